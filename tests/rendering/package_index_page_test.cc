#include "relkit/package_index_page.h"

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/package_index.h"
#include "relkit/version.h"
#include "relkit/wheel_index.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

namespace fs = std::filesystem;

std::string Sha(char digit) { return std::string(64, digit); }

// sha256 of "torch cpu wheel", from Python's hashlib.
constexpr absl::string_view kTorchCpuSha256 =
    "5bc7ef3554e94117885398f18dce598a2fdc025c923e631cd21388bdf9461a68";

std::vector<std::string> PageKeys(const IndexPlan& plan) {
  std::vector<std::string> out;
  for (const IndexPage& p : plan.pages) out.push_back(p.key);
  return out;
}

const IndexPage* FindPage(const IndexPlan& plan, absl::string_view key) {
  for (const IndexPage& p : plan.pages) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

class PackageIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/relkit-index-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    absl::StatusOr<LocalStore> store = LocalStore::Open(dir_ + "/bucket");
    ASSERT_THAT(store.status(), IsOk());
    store_.emplace(*std::move(store));
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Put(const std::string& key, absl::string_view contents,
           const std::optional<std::string>& sha256,
           const std::string& content_type = "application/zip") {
    const std::string path = absl::StrCat(dir_, "/in/", files_++);
    ASSERT_THAT(WriteFileAtomically(path, contents), IsOk());
    PutOptions options{.content_type = content_type};
    if (sha256) options.metadata = {{"checksum-sha256", *sha256}};
    ASSERT_THAT(store_->Put(key, path, options).status(), IsOk());
  }

  std::string Read(const std::string& key) {
    const std::string path = absl::StrCat(dir_, "/out/", files_++);
    absl::Status got = store_->Get(key, path);
    if (!got.ok()) return absl::StrCat("<", got.ToString(), ">");
    return ReadFile(path).value_or("<unreadable>");
  }

  void PutChannel() {
    Put("whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl", "cu121",
        Sha('1'));
    Put("whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl",
        "torch cpu wheel", std::nullopt);
    Put("whl/cu121/torch-2.4.0+cu121-cp312-cp312-linux_x86_64.whl", "old",
        Sha('2'));
    // Not torch's: another package, a name with the same prefix, not a
    // wheel.
    Put("whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl", "vision",
        Sha('3'));
    Put("whl/cpu/torch_tensorrt-2.4.1-cp312-cp312-linux_x86_64.whl", "trt",
        Sha('4'));
    Put("whl/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip", "zip",
        Sha('5'));
    // The test channel inside the release prefix: its own pages, not these.
    Put("whl/test/cu121/torch-2.4.1+cu121-cp39-cp39-linux_x86_64.whl", "t",
        Sha('6'));
    Put("whl/test/torch-2.4.1-cp39-cp39-linux_x86_64.whl", "t", Sha('6'));
  }

  std::string dir_;
  std::optional<LocalStore> store_;
  int files_ = 0;
};

TEST_F(PackageIndexTest, PlansOnePagePerFolderAndOneAcrossFolders) {
  PutChannel();
  absl::StatusOr<IndexPlan> plan = PlanIndexes(*store_, "whl", {"Torch"});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_EQ(plan->prefix, "whl/");
  EXPECT_THAT(PageKeys(*plan),
              ElementsAre("whl/torch/index.html", "whl/cpu/torch/index.html",
                          "whl/cu121/torch/index.html"));
  const IndexPage* all = FindPage(*plan, "whl/torch/index.html");
  ASSERT_NE(all, nullptr);
  EXPECT_THAT(
      all->links,
      ElementsAre(Field(&IndexLink::file_name,
                        "torch-2.4.0+cu121-cp312-cp312-linux_x86_64.whl"),
                  Field(&IndexLink::file_name,
                        "torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl"),
                  Field(&IndexLink::file_name,
                        "torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl")));
  // The object without checksum metadata was read and hashed.
  EXPECT_EQ(all->links[1].sha256, std::string(kTorchCpuSha256));
  EXPECT_TRUE(all->links[1].sha256_computed);
  EXPECT_EQ(all->links[2].sha256, Sha('1'));
  EXPECT_FALSE(all->links[2].sha256_computed);
  EXPECT_THAT(
      plan->computed_sha256,
      ElementsAre("whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl"));
  // Planning wrote nothing.
  EXPECT_THAT(store_->Head("whl/torch/index.html").status(),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(PackageIndexTest, PagesReadBackThroughTheWheelIndexParser) {
  PutChannel();
  absl::StatusOr<IndexPlan> plan = PlanIndexes(*store_, "whl/", {"torch"});
  ASSERT_THAT(plan.status(), IsOk());
  RenderIndexPlan(*plan);
  const IndexPage* cpu = FindPage(*plan, "whl/cpu/torch/index.html");
  ASSERT_NE(cpu, nullptr);
  absl::StatusOr<WheelIndex> index =
      WheelIndex::Parse(cpu->html, {.source = cpu->key});
  ASSERT_THAT(index.status(), IsOk());
  ASSERT_EQ(index->wheels.size(), 1u);
  EXPECT_EQ(index->wheels[0].filename,
            "torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl");
  EXPECT_EQ(index->wheels[0].sha256, std::string(kTorchCpuSha256));
  EXPECT_EQ(index->wheels[0].url,
            "/whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl");
  EXPECT_THAT(index->skipped, IsEmpty());
}

TEST_F(PackageIndexTest, EscapesKeysAndNamesOnThePage) {
  Put("whl/a\"b<c>&'d/torch-2.4.1-cp312-cp312-linux_x86_64.whl", "x", Sha('7'));
  absl::StatusOr<IndexPlan> plan = PlanIndexes(*store_, "whl", {"torch"});
  ASSERT_THAT(plan.status(), IsOk());
  RenderIndexPlan(*plan);
  for (const IndexPage& page : plan->pages) {
    EXPECT_THAT(page.html, Not(HasSubstr("<c>"))) << page.key;
    EXPECT_THAT(page.html, Not(HasSubstr("\"b"))) << page.key;
    absl::StatusOr<WheelIndex> index = WheelIndex::Parse(page.html);
    ASSERT_THAT(index.status(), IsOk()) << page.html;
    ASSERT_EQ(index->wheels.size(), 1u);
    EXPECT_EQ(index->wheels[0].sha256, Sha('7'));
  }
  EXPECT_EQ(IndexHref("whl/a\"b<c>&'d/x y%2B%zz.whl"),
            "/whl/a%22b%3Cc%3E&'d/x%20y%2B%25zz.whl");
}

TEST_F(PackageIndexTest, WritesOnlyNewAndChangedPagesAndARerunWritesNone) {
  PutChannel();
  // A stale page across folders, and a folder page that is already right.
  Put("whl/torch/index.html", "<html>old</html>", std::nullopt, "text/html");
  absl::StatusOr<IndexPlan> first = PlanIndexes(*store_, "whl", {"torch"});
  ASSERT_THAT(first.status(), IsOk());
  RenderIndexPlan(*first);
  const IndexPage* cu121 = FindPage(*first, "whl/cu121/torch/index.html");
  ASSERT_NE(cu121, nullptr);
  Put(cu121->key, cu121->html, std::nullopt, "text/html");

  absl::StatusOr<IndexPlan> plan = PlanIndexes(*store_, "whl", {"torch"});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(ApplyIndexPlan(*store_, *plan).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not rendered")));
  RenderIndexPlan(*plan);
  EXPECT_EQ(FindPage(*plan, "whl/torch/index.html")->change,
            IndexPageChange::kChanged);
  EXPECT_EQ(FindPage(*plan, "whl/cpu/torch/index.html")->change,
            IndexPageChange::kNew);
  EXPECT_EQ(FindPage(*plan, "whl/cu121/torch/index.html")->change,
            IndexPageChange::kUnchanged);
  EXPECT_EQ(plan->pages_to_write(), 2);
  absl::StatusOr<IndexResult> done = ApplyIndexPlan(*store_, *plan);
  ASSERT_THAT(done.status(), IsOk());
  EXPECT_THAT(done->written, UnorderedElementsAre("whl/torch/index.html",
                                                  "whl/cpu/torch/index.html"));
  EXPECT_THAT(done->unchanged, ElementsAre("whl/cu121/torch/index.html"));
  EXPECT_EQ(Read("whl/torch/index.html"),
            FindPage(*plan, "whl/torch/index.html")->html);
  absl::StatusOr<ObjectInfo> head = store_->Head("whl/cpu/torch/index.html");
  ASSERT_THAT(head.status(), IsOk());
  EXPECT_EQ(head->content_type, "text/html");

  // Run twice: nothing to write.
  absl::StatusOr<IndexResult> again =
      RegenerateIndexes(*store_, "whl", {"torch"});
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_THAT(again->written, IsEmpty());
  EXPECT_EQ(again->unchanged.size(), 3u);
}

TEST_F(PackageIndexTest, APackageWithoutWheelsGetsNoPage) {
  PutChannel();
  absl::StatusOr<IndexPlan> plan =
      PlanIndexes(*store_, "whl", {"torch", "torchaudio"});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(plan->packages_without_wheels, ElementsAre("torchaudio"));
  EXPECT_THAT(PlanIndexes(*store_, "whl", {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Every torch wheel the build matrix expects of a release, in its
// accelerator folder: the regenerated page across folders covers them all,
// each with its sha256.
TEST_F(PackageIndexTest, TheRegeneratedPageShowsFullCoverageOfTheMatrix) {
  absl::StatusOr<std::vector<ExpectedWheel>> expected =
      ExpectedWheels(BuildMatrix::Default(), BuildChannel::kRelease);
  ASSERT_THAT(expected.status(), IsOk());
  ASSERT_FALSE(expected->empty());
  const Version version = *Version::Parse("2.4.1");
  std::set<std::string> keys;
  for (const ExpectedWheel& e : *expected) {
    const std::string name = absl::StrReplaceAll(
        ExpectedWheelPattern("torch", version, e),
        {{"manylinux_*_", "manylinux_2_28_"}, {"macosx_*_", "macosx_11_0_"}});
    const size_t plus = name.find('+');
    const std::string folder =
        plus == std::string::npos
            ? "cpu"
            : name.substr(plus + 1, name.find('-', plus) - plus - 1);
    const std::string key = absl::StrCat(
        "whl/", folder, "/", absl::StrReplaceAll(name, {{"+", "%2B"}}));
    if (!keys.insert(key).second) continue;
    Put(key, key, Sha('a'));
  }
  absl::StatusOr<IndexResult> done =
      RegenerateIndexes(*store_, "whl", {"torch"});
  ASSERT_THAT(done.status(), IsOk());
  ASSERT_THAT(done->written, Not(IsEmpty()));
  absl::StatusOr<WheelIndex> index =
      WheelIndex::Parse(Read("whl/torch/index.html"));
  ASSERT_THAT(index.status(), IsOk());
  EXPECT_EQ(index->wheels.size(), keys.size());
  for (const IndexedWheel& w : index->wheels) {
    EXPECT_EQ(w.sha256, Sha('a')) << w.filename;
  }
  const WheelCoverageReport report =
      CheckWheelCoverage(*index, "torch", version, *expected);
  EXPECT_THAT(report.missing, IsEmpty());
  EXPECT_EQ(report.found_count, keys.size());
}

}  // namespace
}  // namespace relkit
