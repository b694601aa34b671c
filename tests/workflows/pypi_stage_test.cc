#include "relkit/pypi_stage.h"

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/pypi_stage_report.h"
#include "relkit/pypi_staging.h"
#include "relkit/pypi_validate.h"
#include "relkit/release_versions.h"
#include "relkit/sha256_digest.h"
#include "relkit/support_policy.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ResolveIndexLinkTest, ResolvesAgainstHttpPagesAndFilePages) {
  EXPECT_EQ(ResolveIndexLink("https://d.example/whl/test/cu130/torch/",
                             "../torch-2.9.0%2Bcu130-cp312.whl"),
            "https://d.example/whl/test/cu130/torch-2.9.0%2Bcu130-cp312.whl");
  EXPECT_EQ(ResolveIndexLink("https://d.example/whl/test/cu130/torch/",
                             "/whl/test/cu130/x.whl"),
            "https://d.example/whl/test/cu130/x.whl");
  EXPECT_EQ(ResolveIndexLink("https://d.example/a/b/", "//cdn.example/x.whl"),
            "https://cdn.example/x.whl");
  EXPECT_EQ(ResolveIndexLink("https://d.example/a/", "https://o.example/y.whl"),
            "https://o.example/y.whl");
  // Never above the root.
  EXPECT_EQ(ResolveIndexLink("https://d.example/a/", "../../../x.whl"),
            "https://d.example/x.whl");
  // A file page: a path, percent-decoded.
  EXPECT_EQ(ResolveIndexLink("/srv/whl/test/cpu/torch/index.html",
                             "../torch-2.9.0%2Bcpu-cp312.whl"),
            "/srv/whl/test/cpu/torch-2.9.0+cpu-cp312.whl");
}

TEST(Pep691ProjectBytesTest, SumsTheSizesOfTheProjectsFiles) {
  absl::StatusOr<uint64_t> bytes = Pep691ProjectBytes(
      R"({"meta": {"api-version": "1.1"}, "name": "torch", "files": [
           {"filename": "torch-2.8.0-cp312-cp312-win_amd64.whl", "url": "a",
            "hashes": {}, "size": 100},
           {"filename": "torch-2.8.0-cp313-cp313-win_amd64.whl", "url": "b",
            "hashes": {}, "size": 250}]})",
      "pypi torch");
  ASSERT_THAT(bytes.status(), IsOk());
  EXPECT_EQ(*bytes, 350u);
  EXPECT_FALSE(Pep691ProjectBytes("{", "pypi torch").ok());
}

TEST(Pep691ProjectBytesTest, CountsSdistsAndOtherFilesToo) {
  // PyPI's quota counts every file of the project, not only its wheels.
  absl::StatusOr<uint64_t> bytes = Pep691ProjectBytes(
      R"({"meta": {"api-version": "1.1"}, "name": "torch", "files": [
           {"filename": "torch-2.8.0.tar.gz", "url": "s", "hashes": {},
            "size": 1000},
           {"filename": "torch-2.8.0-cp312-cp312-win_amd64.whl", "url": "a",
            "hashes": {}, "size": 100}]})",
      "pypi torch");
  ASSERT_THAT(bytes.status(), IsOk());
  EXPECT_EQ(*bytes, 1100u);
}

// A test channel and a staging store in temp directories; the plan reads
// names and metadata only, so the wheels' bytes can be anything.
class PypiStagePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/relkit-pypi-stage-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    source_.emplace(*LocalStore::Open(dir_ + "/channel"));
    staging_.emplace(*LocalStore::Open(dir_ + "/staging"));
    for (const char* name :
         {"cu130/torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
          "cu126/torch-2.9.0+cu126-cp312-cp312-manylinux_2_28_x86_64.whl",
          "cpu/torch-2.9.0+cpu-cp312-cp312-win_amd64.whl",
          "cpu/torch-2.9.0-cp312-none-macosx_11_0_arm64.whl"}) {
      Put(*source_, std::string("whl/test/") + name, name,
          {{"checksum-sha256", Sha256Hex(name)}});
    }
    absl::StatusOr<ReleaseVersionsFile> file = ReleaseVersionsFile::Parse(
        "PYTORCH_VERSION=${PYTORCH_VERSION:-2.9.0}\n", "rv.sh");
    ASSERT_THAT(file.status(), IsOk());
    release_ = file->ToReleaseSet();
    rule_ =
        *MakePypiStagingRule(BuildMatrix::Default(), *SupportPolicy::Default(),
                             absl::CivilDay(2026, 9, 2));
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void Put(LocalStore& store, const std::string& key, const std::string& data,
           const ObjectMetadata& metadata) {
    const std::string file = dir_ + "/tmp-put";
    ASSERT_THAT(WriteFileAtomically(file, data), IsOk());
    ASSERT_THAT(store.Put(key, file, {.metadata = metadata}).status(), IsOk());
  }

  absl::StatusOr<PypiStagePlan> Plan(bool overwrite = false) {
    return PlanPypiStage(
        release_, rule_, {.store = &*source_, .prefix = "whl/test"},
        {.store = &*staging_, .prefix = ""}, {.overwrite = overwrite});
  }

  std::string dir_;
  std::optional<LocalStore> source_;
  std::optional<LocalStore> staging_;
  ReleaseSet release_;
  PypiStagingRule rule_;
};

TEST_F(PypiStagePlanTest, PlansTheSelectedWheelsUnderTheStagingFolder) {
  absl::StatusOr<PypiStagePlan> plan = Plan();
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_TRUE(plan->ok());
  ASSERT_EQ(plan->to_stage.size(), 3u);
  EXPECT_EQ(plan->to_stage[0].staged_key,
            "torch-2.9.0-pypi-staging/torch-2.9.0-cp312-cp312-manylinux_2_28_"
            "x86_64.whl");
  // The published sha256 is the object's checksum-sha256.
  EXPECT_EQ(plan->to_stage[0].source.sha256,
            Sha256Hex("cu130/torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_"
                      "64.whl"));
  EXPECT_EQ(plan->selections.at(0).candidates.size(), 4u);
}

TEST_F(PypiStagePlanTest, AStagedFileFromTheSameSourceIsAlreadyStaged) {
  const std::string key =
      "torch-2.9.0-pypi-staging/torch-2.9.0-cp312-cp312-win_amd64.whl";
  Put(*staging_, key, "rewritten",
      {{std::string(kSourceSha256Metadata),
        Sha256Hex("cpu/torch-2.9.0+cpu-cp312-cp312-win_amd64.whl")}});
  absl::StatusOr<PypiStagePlan> plan = Plan();
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_TRUE(plan->ok());
  EXPECT_EQ(plan->to_stage.size(), 2u);
  ASSERT_EQ(plan->already_staged.size(), 1u);
  EXPECT_EQ(plan->already_staged[0].staged_key, key);
}

TEST_F(PypiStagePlanTest, AStagedFileFromAnotherSourceIsAConflict) {
  const std::string key =
      "torch-2.9.0-pypi-staging/torch-2.9.0-cp312-cp312-win_amd64.whl";
  Put(*staging_, key, "other", {});
  absl::StatusOr<PypiStagePlan> plan = Plan();
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  EXPECT_THAT(PypiStagePlanText(*plan), HasSubstr("[conflict]"));
  EXPECT_THAT(ApplyPypiStage(*plan, &*source_, *staging_).status(),
              Not(IsOk()));

  absl::StatusOr<PypiStagePlan> over = Plan(/*overwrite=*/true);
  ASSERT_THAT(over.status(), IsOk());
  EXPECT_TRUE(over->ok());
  ASSERT_EQ(over->to_stage.size(), 3u);
  for (const PypiStageItem& item : over->to_stage) {
    EXPECT_EQ(item.overwrite, item.staged_key == key) << item.staged_key;
  }
}

TEST_F(PypiStagePlanTest, APreReleaseVersionIsNeverStaged) {
  release_ = ReleaseVersionsFile::Parse(
                 "PYTORCH_VERSION=${PYTORCH_VERSION:-2.9.0rc1}\n", "rv.sh")
                 ->ToReleaseSet();
  absl::StatusOr<PypiStagePlan> plan = Plan();
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  EXPECT_EQ(plan->problems.at(0).kind, PypiStageProblemKind::kNotGa);
}

TEST(PypiStageReportTest, OutsideTextIsEscapedInTheText) {
  PypiStagePlan plan;
  plan.to_stage.push_back(
      {.package = "torch",
       .source = {.file_name = "x.whl", .location = "evil\x1b[31m/x.whl"},
       .staged_key = "k\x1b]0;title\x07"});
  const std::string text = PypiStagePlanText(plan);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  // JSON carries the bytes escaped as JSON does.
  EXPECT_THAT(PypiStagePlanJson(plan), HasSubstr("\\u001B"));
}

}  // namespace
}  // namespace relkit
