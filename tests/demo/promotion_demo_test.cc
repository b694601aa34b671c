// The promotion step of `relkit demo` (demo/promotion_demo.h), on a real
// temporary directory.

#include "demo/promotion_demo.h"

#include <stdlib.h>

#include <filesystem>
#include <set>
#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"
#include "relkit/sha256_digest.h"

namespace relkit {
namespace {

using ::testing::ElementsAre;

class PromotionDemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "promotion-demo-XXXXXX")
            .string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(PromotionDemoTest, PlansByNameAndListsWhatTheGlobTakesWrongly) {
  const std::string dir = (root_ / "channel").string();
  absl::StatusOr<PromotionDemo> demo = RunPromotionDemo(dir);
  ASSERT_TRUE(demo.ok()) << demo.status();
  ASSERT_EQ(demo->plans.size(), 2u);
  std::set<std::string> planned;
  for (const DemoPlan& p : demo->plans) {
    EXPECT_TRUE(p.plan.ok()) << p.name;
    for (const PlannedCopy& c : p.plan.copies) planned.insert(c.source_key);
  }
  EXPECT_TRUE(planned.count(
      "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"));
  EXPECT_TRUE(planned.count(
      "libtorch/test/cpu/libtorch-shared-with-deps-2.4.1%2Bcpu.zip"));
  ASSERT_EQ(demo->plans[0].plan.already_present.size(), 1u);
  std::set<std::string> wrong;
  for (const GlobMistake& m : demo->glob_mistakes) {
    wrong.insert(m.key);
    EXPECT_EQ(planned.count(m.key), 0u) << m.key;
  }
  EXPECT_THAT(
      wrong, ElementsAre(
                 "libtorch/test/cpu/libtorch-shared-with-deps-2.4.10%2Bcpu.zip",
                 "whl/test/cpu/executorch-2.4.1-cp312-cp312-linux_x86_64.whl",
                 "whl/test/cpu/torch-2.4.10+cpu-cp312-cp312-linux_x86_64.whl"));
  // The channel is real files, and release_versions.sh sits beside it.
  EXPECT_TRUE(std::filesystem::is_regular_file(
      root_ /
      "channel/whl/test/cpu/torch-2.4.10+cpu-cp312-cp312-linux_x86_64"
      ".whl"));
  absl::StatusOr<std::string> versions = ReadFile(demo->versions_path);
  ASSERT_TRUE(versions.ok());
  EXPECT_THAT(*versions, ::testing::HasSubstr("PYTORCH_VERSION="));
  EXPECT_FALSE(std::filesystem::exists(root_ / "channel/.demo-staging"));
}

TEST_F(PromotionDemoTest, AppliesEachPlanAndARerunHasNothingLeft) {
  const std::string dir = (root_ / "channel").string();
  absl::StatusOr<PromotionDemo> demo = RunPromotionDemo(dir);
  ASSERT_TRUE(demo.ok()) << demo.status();
  absl::StatusOr<LocalStore> store = LocalStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  for (const DemoPlan& p : demo->plans) {
    ASSERT_TRUE(p.result.has_value()) << p.name;
    EXPECT_TRUE(p.result->ok()) << p.name;
    EXPECT_EQ(p.result->copied.size(), p.plan.copies.size()) << p.name;
    EXPECT_TRUE(p.rerun_nothing_to_do) << p.name;
    for (const PlannedCopy& c : p.plan.copies) {
      absl::StatusOr<ObjectInfo> head = store->Head(c.destination_key);
      ASSERT_TRUE(head.ok()) << head.status();
      EXPECT_EQ(head->size, c.size);
      absl::StatusOr<std::string> bytes =
          ReadFile((root_ / "channel" / c.source_key).string());
      ASSERT_TRUE(bytes.ok());
      EXPECT_EQ(head->metadata.at(std::string(kChecksumSha256Metadata)),
                Sha256Hex(*bytes))
          << c.destination_key;
    }
  }
  // The glob's mistakes stay in the test channel.
  for (const GlobMistake& m : demo->glob_mistakes) {
    const std::string promoted = absl::StrReplaceAll(m.key, {{"/test/", "/"}});
    EXPECT_FALSE(store->Head(promoted).ok()) << promoted;
  }
  ASSERT_TRUE(demo->plans[0].indexes.has_value());
  EXPECT_THAT(demo->plans[0].indexes->written,
              ::testing::Contains("whl/torch/index.html"));
}

TEST_F(PromotionDemoTest, RefusesANonEmptyPlaceBeforeWriting) {
  std::filesystem::create_directories(root_ / "channel");
  ASSERT_TRUE(WriteFileAtomically((root_ / "channel/mine").string(), "x").ok());
  absl::StatusOr<PromotionDemo> demo =
      RunPromotionDemo((root_ / "channel").string());
  EXPECT_EQ(demo.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(demo.status().message(),
              ::testing::HasSubstr("not an empty directory"));
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(root_ / "channel"))
    names.insert(e.path().filename().string());
  EXPECT_THAT(names, ElementsAre("mine"));
  EXPECT_TRUE(CheckPromotionDemoPlace((root_ / "absent").string()).ok());
}

}  // namespace
}  // namespace relkit
