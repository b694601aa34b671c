#include "relkit/local_store.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/files.h"
#include "relkit/object_store.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

namespace fs = std::filesystem;

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/relkit-local-store-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string File(absl::string_view name, absl::string_view contents) {
    const std::string path = absl::StrCat(dir_, "/in-", name);
    EXPECT_THAT(WriteFileAtomically(path, contents), IsOk());
    return path;
  }

  std::string dir_;
};

TEST_F(LocalStoreTest, PutHeadGetKeepContentTypeAndMetadata) {
  absl::StatusOr<LocalStore> store = LocalStore::Open(dir_ + "/store");
  ASSERT_THAT(store.status(), IsOk());
  absl::StatusOr<ObjectInfo> put =
      store->Put("whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl",
                 File("a", "wheel bytes"),
                 {.metadata = {{"checksum-sha256", "abc"}},
                  .content_type = "application/zip",
                  .acl = ObjectAcl::kPublicRead});
  ASSERT_THAT(put.status(), IsOk());
  EXPECT_EQ(put->size, 11u);

  absl::StatusOr<ObjectInfo> head =
      store->Head("whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl");
  ASSERT_THAT(head.status(), IsOk());
  EXPECT_EQ(*head, *put);
  EXPECT_THAT(head->metadata, ElementsAre(Pair("checksum-sha256", "abc")));

  const std::string out = dir_ + "/out/x.whl";
  ASSERT_THAT(
      store->Get("whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl",
                 out),
      IsOk());
  EXPECT_EQ(*ReadFile(out), "wheel bytes");
  EXPECT_THAT(store->Head("nope"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("\"nope\"")));
  EXPECT_THAT(store->Get("nope", out), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store->Head("whl"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(LocalStoreTest, CopyKeepsMetadataAndSetsTheAcl) {
  absl::StatusOr<LocalStore> store = LocalStore::Open(dir_ + "/store");
  ASSERT_THAT(store.status(), IsOk());
  ASSERT_THAT(store
                  ->Put("test/a.zip", File("a", "zip"),
                        {.metadata = {{"checksum-sha256", "0f"}},
                         .content_type = "application/zip"})
                  .status(),
              IsOk());
  ASSERT_THAT(store->Copy("test/a.zip", "release/a.zip",
                          {.acl = ObjectAcl::kPublicRead}),
              IsOk());
  absl::StatusOr<ObjectInfo> copy = store->Head("release/a.zip");
  ASSERT_THAT(copy.status(), IsOk());
  EXPECT_EQ(copy->size, 3u);
  EXPECT_EQ(copy->content_type, "application/zip");
  EXPECT_THAT(copy->metadata, ElementsAre(Pair("checksum-sha256", "0f")));
  EXPECT_NE(ReadFile(dir_ + "/store/.relkit-meta/release/a.zip.json")
                ->find("\"acl\": \"public-read\""),
            std::string::npos);
  EXPECT_THAT(store->Copy("test/missing.zip", "release/b.zip", {}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store->Copy("test/a.zip", "../escape", {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store->Copy("test/a.zip", ".relkit-meta/a.zip", {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(LocalStoreTest, ListsInKeyOrderWithPagesAndSkipsSidecarsAndTemporaries) {
  absl::StatusOr<LocalStore> store = LocalStore::Open(dir_ + "/store");
  ASSERT_THAT(store.status(), IsOk());
  const std::string in = File("x", "x");
  for (const char* key : {"w/b", "w/a", "w/c/d", "x/e", "w/a0"}) {
    ASSERT_THAT(store->Put(key, in, {}).status(), IsOk());
  }
  // A temporary left by a killed write is not an object.
  ASSERT_THAT(WriteFileAtomically(dir_ + "/store/w/.z.relkit-tmp-123456", "t"),
              IsOk());
  absl::StatusOr<ObjectPage> first =
      store->List({.prefix = "w/", .max_keys = 2});
  ASSERT_THAT(first.status(), IsOk());
  ASSERT_EQ(first->objects.size(), 2u);
  EXPECT_EQ(first->objects[0].key, "w/a");
  EXPECT_EQ(first->objects[1].key, "w/a0");
  EXPECT_EQ(first->next_token, "w/a0");
  absl::StatusOr<ObjectPage> second = store->List(
      {.prefix = "w/", .continuation_token = first->next_token, .max_keys = 2});
  ASSERT_THAT(second.status(), IsOk());
  ASSERT_EQ(second->objects.size(), 2u);
  EXPECT_EQ(second->objects[0].key, "w/b");
  EXPECT_EQ(second->objects[1].key, "w/c/d");
  EXPECT_THAT(second->next_token, IsEmpty());

  absl::StatusOr<std::vector<ObjectInfo>> all = store->ListAll("");
  ASSERT_THAT(all.status(), IsOk());
  std::vector<std::string> keys;
  for (const ObjectInfo& o : *all) keys.push_back(o.key);
  EXPECT_THAT(keys, ElementsAre("w/a", "w/a0", "w/b", "w/c/d", "x/e"));
}

TEST_F(LocalStoreTest, ASidecarLeftByAKilledWriteIsIgnored) {
  absl::StatusOr<LocalStore> store = LocalStore::Open(dir_ + "/store");
  ASSERT_THAT(store.status(), IsOk());
  ASSERT_THAT(store
                  ->Put("k", File("a", "old"),
                        {.metadata = {{"checksum-sha256", "old"}}})
                  .status(),
              IsOk());
  // What a kill between the sidecar's rename and the data's leaves: a
  // sidecar that describes other data.
  ASSERT_THAT(WriteFileAtomically(
                  dir_ + "/store/.relkit-meta/k.json",
                  "{\"etag\": \"3-1\", \"content_type\": \"x\", \"acl\": "
                  "\"default\", \"metadata\": {\"checksum-sha256\": \"new\"}}"),
              IsOk());
  absl::StatusOr<ObjectInfo> head = store->Head("k");
  ASSERT_THAT(head.status(), IsOk());
  EXPECT_THAT(head->metadata, IsEmpty());
}

TEST_F(LocalStoreTest, OpenRefusesAFile) {
  File("f", "x");
  EXPECT_THAT(LocalStore::Open(dir_ + "/in-f").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(ValidateObjectKey("a//b"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateObjectKey("/a"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateObjectKey("a/./b"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateObjectKey("whl/test/x+y.whl"), IsOk());
}

TEST(LocalUrlTest, ADoubleSlashSeparatesTheRootFromThePrefix) {
  absl::StatusOr<LocalLocation> whole = ParseLocalUrl("file:///srv/bucket");
  ASSERT_THAT(whole.status(), IsOk());
  EXPECT_EQ(whole->directory, "/srv/bucket");
  EXPECT_EQ(whole->prefix, "");

  absl::StatusOr<LocalLocation> test =
      ParseLocalUrl("file:///srv/bucket//whl/test");
  ASSERT_THAT(test.status(), IsOk());
  EXPECT_EQ(test->directory, "/srv/bucket");
  EXPECT_EQ(test->prefix, "whl/test");

  absl::StatusOr<LocalLocation> relative = ParseLocalUrl("file://b//whl/");
  ASSERT_THAT(relative.status(), IsOk());
  EXPECT_EQ(relative->directory, "b");
  EXPECT_EQ(relative->prefix, "whl/");

  EXPECT_THAT(ParseLocalUrl("file://"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("needs a directory")));
  EXPECT_THAT(ParseLocalUrl("s3://b/whl"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a file://DIR[//PREFIX] URL")));
}

}  // namespace
}  // namespace relkit
