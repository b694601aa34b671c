#include "relkit/pypi_staging.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/build_matrix.h"
#include "relkit/support_policy.h"
#include "relkit/version.h"
#include "relkit/wheel.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Version V(absl::string_view text) { return *Version::Parse(text); }

// The rule of a release on 2026-09-02 (2.14's day): Python 3.15 is due on
// 2026-10-01, so it and 3.15t are pre-releases.
PypiStagingRule Rule() {
  absl::StatusOr<SupportPolicy> policy = SupportPolicy::Default();
  EXPECT_TRUE(policy.ok());
  absl::StatusOr<PypiStagingRule> rule = MakePypiStagingRule(
      BuildMatrix::Default(), *policy, absl::CivilDay(2026, 9, 2));
  EXPECT_TRUE(rule.ok()) << rule.status();
  return *rule;
}

std::vector<PypiWheelSource> Sources(const std::vector<std::string>& names) {
  std::vector<PypiWheelSource> out;
  for (const std::string& n : names) out.push_back({n, "whl/test/" + n});
  return out;
}

const PypiCandidate* Find(const PypiSelection& s, absl::string_view name) {
  for (const PypiCandidate& c : s.candidates) {
    if (c.source.file_name == name) return &c;
  }
  return nullptr;
}

TEST(PypiStagingRuleTest, TakesStableCudaFromTheReleaseChannelNotAConstant) {
  PypiStagingRule rule = Rule();
  EXPECT_EQ(rule.stable_cuda, "13.0");
  EXPECT_EQ(rule.stable_cuda_label, "cu130");

  BuildMatrix m = BuildMatrix::Default();
  m.tables(BuildChannel::kRelease).stable_cuda = "12.8";
  absl::StatusOr<PypiStagingRule> other = MakePypiStagingRule(
      m, *SupportPolicy::Default(), absl::CivilDay(2026, 9, 2));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->stable_cuda_label, "cu128");

  absl::StatusOr<PypiStagingRule> overridden =
      MakePypiStagingRule(m, *SupportPolicy::Default(),
                          absl::CivilDay(2026, 9, 2), {.stable_cuda = "13.2"});
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->stable_cuda_label, "cu132");
}

TEST(PypiStagingRuleTest, RefusesAMissingOrMalformedStableCuda) {
  BuildMatrix m = BuildMatrix::Default();
  m.tables(BuildChannel::kRelease).stable_cuda = "";
  EXPECT_THAT(MakePypiStagingRule(m, *SupportPolicy::Default(),
                                  absl::CivilDay(2026, 9, 2)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(
      MakePypiStagingRule(m, *SupportPolicy::Default(),
                          absl::CivilDay(2026, 9, 2), {.stable_cuda = "cu130"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cu130")));
}

TEST(PypiStagingRuleTest, PrereleasePythonsComeFromThePolicyAndTheDate) {
  PypiStagingRule rule = Rule();
  ASSERT_EQ(rule.prerelease_pythons.size(), 2u);
  EXPECT_EQ(rule.prerelease_pythons[0].version, "3.15");
  EXPECT_EQ(rule.prerelease_pythons[1].version, "3.15t");
  EXPECT_THAT(rule.RemovedClassifiers(),
              ElementsAre("Programming Language :: Python :: 3.15"));
  EXPECT_THAT(rule.pythons,
              ElementsAre("3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"));

  // After 3.15's release nothing is a pre-release any more.
  absl::StatusOr<PypiStagingRule> later =
      MakePypiStagingRule(BuildMatrix::Default(), *SupportPolicy::Default(),
                          absl::CivilDay(2026, 10, 2));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->prerelease_pythons.empty());
  EXPECT_TRUE(later->RemovedClassifiers().empty());
}

TEST(PypiStagingRuleTest, AFreeThreadedBuildIsAPrereleaseWithItsBase) {
  // A list naming only 3.15 (no 3.15t entry) still excludes cp315t.
  PypiStagingRule rule;
  rule.prerelease_pythons = {{.version = "3.15"}};
  EXPECT_TRUE(rule.IsPrerelease("3.15"));
  EXPECT_TRUE(rule.IsPrerelease("3.15t"));
  EXPECT_FALSE(rule.IsPrerelease("3.14t"));
  EXPECT_FALSE(rule.IsPrerelease("3.1t"));
  EXPECT_FALSE(rule.IsPrerelease("3.1"));
  // The other way round is not implied: a final 3.15 with a pre-release
  // free-threaded build.
  rule.prerelease_pythons = {{.version = "3.15t"}};
  EXPECT_TRUE(rule.IsPrerelease("3.15t"));
  EXPECT_FALSE(rule.IsPrerelease("3.15"));
}

TEST(PypiSelectionTest, SelectsOneBuildPerPlatformAndSaysWhyForEveryWheel) {
  const std::vector<PypiWheelSource> wheels = Sources({
      "torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+cu126-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+rocm7.2-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+xpu-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_aarch64.whl",
      "torch-2.9.0+cpu-cp312-cp312-win_amd64.whl",
      "torch-2.9.0+cu130-cp312-cp312-win_amd64.whl",
      "torch-2.9.0-cp312-none-macosx_11_0_arm64.whl",
      "torch-2.9.0+cu130-cp315-cp315-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+cu130-cp315-cp315t-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+cpu-cp312-cp312-win_arm64.whl",
      "torch-2.9.0+cu130-cp313-cp313-linux_x86_64.whl",
      // Not candidates: other versions and packages.
      "torch-2.9.10+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torch-2.9.0rc1+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torchvision-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
      "index.html",
  });
  PypiSelection s = SelectForPypi("torch", V("2.9.0"), wheels, Rule());
  EXPECT_EQ(s.other_files, 4u);
  ASSERT_EQ(s.candidates.size(), 13u);
  EXPECT_EQ(s.selected_count(), 4u);

  const PypiCandidate* linux =
      Find(s, "torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl");
  ASSERT_NE(linux, nullptr);
  EXPECT_TRUE(linux->selected);
  EXPECT_EQ(linux->reason, PypiReason::kStableCuda);
  EXPECT_EQ(linux->staged_name,
            "torch-2.9.0-cp312-cp312-manylinux_2_28_x86_64.whl");
  EXPECT_THAT(linux->explanation, HasSubstr("stable CUDA build (+cu130)"));

  EXPECT_EQ(Find(s, "torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_aarch64.whl")
                ->reason,
            PypiReason::kStableCuda);
  EXPECT_EQ(Find(s, "torch-2.9.0+cpu-cp312-cp312-win_amd64.whl")->reason,
            PypiReason::kWindowsCpu);
  EXPECT_EQ(Find(s, "torch-2.9.0-cp312-none-macosx_11_0_arm64.whl")->reason,
            PypiReason::kMacosUnlabelled);
  for (const char* other :
       {"torch-2.9.0+cu126-cp312-cp312-manylinux_2_28_x86_64.whl",
        "torch-2.9.0+rocm7.2-cp312-cp312-manylinux_2_28_x86_64.whl",
        "torch-2.9.0+xpu-cp312-cp312-manylinux_2_28_x86_64.whl",
        "torch-2.9.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl",
        "torch-2.9.0+cu130-cp312-cp312-win_amd64.whl"}) {
    const PypiCandidate* c = Find(s, other);
    ASSERT_NE(c, nullptr) << other;
    EXPECT_FALSE(c->selected) << other;
    EXPECT_EQ(c->reason, PypiReason::kOtherAccelerator) << other;
    EXPECT_THAT(c->explanation, HasSubstr("excluded: ")) << other;
  }
  const PypiCandidate* py315 =
      Find(s, "torch-2.9.0+cu130-cp315-cp315t-manylinux_2_28_x86_64.whl");
  EXPECT_EQ(py315->reason, PypiReason::kPrereleasePython);
  EXPECT_THAT(py315->explanation,
              HasSubstr("Python 3.15t is a pre-release on 2026-09-02 (first "
                        "final release 2026-10-01)"));
  EXPECT_EQ(Find(s, "torch-2.9.0+cpu-cp312-cp312-win_arm64.whl")->reason,
            PypiReason::kOtherPlatform);
  EXPECT_THAT(
      Find(s, "torch-2.9.0+cu130-cp313-cp313-linux_x86_64.whl")->explanation,
      HasSubstr("not accepted by PyPI"));
}

TEST(PypiSelectionTest, ASecondWheelStagedUnderTheSameNameIsADuplicate) {
  // The same file listed twice (two index pages), and a `%2B` spelling.
  const std::vector<PypiWheelSource> wheels = Sources({
      "torch-2.9.0%2Bcu130-cp312-cp312-manylinux_2_28_x86_64.whl",
      "torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
  });
  PypiSelection s = SelectForPypi("torch", V("2.9.0"), wheels, Rule());
  ASSERT_EQ(s.candidates.size(), 2u);
  EXPECT_EQ(s.selected_count(), 1u);
  EXPECT_EQ(s.candidates[1].reason, PypiReason::kDuplicate);
  EXPECT_THAT(s.candidates[1].explanation, HasSubstr("a duplicate of"));
}

TEST(PypiSelectionTest, PurePythonWheelsAreTakenAsTheyAre) {
  const std::vector<PypiWheelSource> wheels = Sources({
      "torchao-0.14.0-py3-none-any.whl",
      "torchao-0.14.0+cu130-py3-none-any.whl",
  });
  PypiSelection s = SelectForPypi("torchao", V("0.14.0"), wheels, Rule());
  ASSERT_EQ(s.candidates.size(), 2u);
  EXPECT_EQ(Find(s, "torchao-0.14.0-py3-none-any.whl")->reason,
            PypiReason::kPurePython);
  EXPECT_EQ(Find(s, "torchao-0.14.0+cu130-py3-none-any.whl")->reason,
            PypiReason::kOtherAccelerator);
}

TEST(PypiStagedNameTest, StripsTheLocalLabelOnly) {
  EXPECT_EQ(PypiStagedName("torch-2.9.0+cu130-cp312-cp312-win_amd64.whl"),
            "torch-2.9.0-cp312-cp312-win_amd64.whl");
  EXPECT_EQ(PypiStagedName("torch-2.9.0%2Bcpu-cp312-cp312-win_amd64.whl"),
            "torch-2.9.0-cp312-cp312-win_amd64.whl");
  EXPECT_EQ(PypiStagedName("torch-2.9.0-cp312-none-macosx_11_0_arm64.whl"),
            "torch-2.9.0-cp312-none-macosx_11_0_arm64.whl");
}

TEST(ExpectedPypiFilesTest,
     OneFilePerPythonAndPlatformAsTheReferenceNamesThem) {
  absl::StatusOr<std::vector<ExpectedPypiFile>> files = ExpectedPypiFiles(
      "torch", V("2.9.0"), {"3.12", "3.13t"}, DefaultPypiPlatforms(), false);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 8u);
  EXPECT_EQ((*files)[0].file_name,
            "torch-2.9.0-cp312-cp312-manylinux_2_28_x86_64.whl");
  EXPECT_EQ((*files)[1].file_name,
            "torch-2.9.0-cp313-cp313t-manylinux_2_28_x86_64.whl");
  EXPECT_EQ((*files)[7].file_name,
            "torch-2.9.0-cp313-cp313t-macosx_11_0_arm64.whl");

  // A macOS wheel tagged cp312-none is the cp312 file; cp313t is not cp313.
  const ExpectedPypiFile& mac312 = (*files)[6];
  EXPECT_TRUE(mac312.Matches(
      *WheelFilename::Parse("torch-2.9.0-cp312-none-macosx_11_0_arm64.whl")));
  EXPECT_FALSE((*files)[0].Matches(*WheelFilename::Parse(
      "torch-2.9.0-cp312-cp312t-manylinux_2_28_x86_64.whl")));

  absl::StatusOr<std::vector<ExpectedPypiFile>> pure = ExpectedPypiFiles(
      "torchao", V("0.14.0"), {"3.12"}, DefaultPypiPlatforms(), true);
  ASSERT_TRUE(pure.ok());
  ASSERT_EQ(pure->size(), 1u);
  EXPECT_EQ((*pure)[0].file_name, "torchao-0.14.0-py3-none-any.whl");

  EXPECT_THAT(ExpectedPypiFiles("torch", V("2.9.0"), {"3.x"},
                                DefaultPypiPlatforms(), false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("3.x")));
}

TEST(PypiStagingFolderTest, NamesTheFolderAsTheScripts) {
  EXPECT_EQ(PypiStagingFolder("Torch", V("2.9.0")),
            "torch-2.9.0-pypi-staging/");
}

}  // namespace
}  // namespace relkit
