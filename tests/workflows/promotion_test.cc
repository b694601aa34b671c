#include "relkit/promotion.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/build_matrix.h"
#include "relkit/conventions.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/release_versions.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

namespace fs = std::filesystem;

constexpr absl::string_view kReleaseVersions =
    "#!/usr/bin/env bash\n"
    "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1}\n"
    "TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.1}\n"
    "TRITON_VERSION=${TRITON_VERSION:-3.1.0}\n"
    "EXECUTORCH_VERSION=${EXECUTORCH_VERSION:-1.0.0}\n";

// A sha256 in hex made of one repeated digit, enough to tell two apart.
std::string Sha(char digit) { return std::string(64, digit); }

ReleaseSet SetOf(absl::string_view text) {
  absl::StatusOr<ReleaseVersionsFile> file =
      ReleaseVersionsFile::Parse(text, "release_versions.sh");
  EXPECT_THAT(file.status(), IsOk());
  return file.ok() ? file->ToReleaseSet() : ReleaseSet();
}

std::vector<std::pair<std::string, std::string>> CopyPairs(
    const PromotionPlan& plan) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const PlannedCopy& c : plan.copies) {
    out.emplace_back(c.source_key, c.destination_key);
  }
  return out;
}

// One bucket-like directory holding the test channel (`whl/test/`,
// `libtorch/test/`) and the release channel (`whl/`, `libtorch/`), with the
// names the real channels hold, the glob traps among them.
class PromotionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/relkit-promotion-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    absl::StatusOr<LocalStore> store = LocalStore::Open(dir_ + "/bucket");
    ASSERT_THAT(store.status(), IsOk());
    store_.emplace(*std::move(store));

    // With a checksum, as relkit's own uploads carry.
    Put("whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
        "torch cu121 wheel", Sha('1'));
    Put("whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"
        ".metadata",
        "Metadata-Version: 2.1\n", Sha('2'));
    // Without one, as `aws s3 cp` leaves them.
    Raw("whl/test/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl",
        "torch cpu wheel");
    Raw("whl/test/cpu/torch-2.4.1+cpu-cp39-cp39-win_amd64.whl",
        "torch cpu windows");
    // Traps: a later patch version, another package with the same version
    // suffix, index pages.
    Raw("whl/test/cu121/torch-2.4.10+cu121-cp312-cp312-linux_x86_64.whl",
        "torch 2.4.10");
    Raw("whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl",
        "vision");
    Raw("whl/test/cpu/torchvision-0.19.10+cpu-cp312-cp312-linux_x86_64.whl",
        "vision 0.19.10");
    Raw("whl/test/pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl",
        "pytorch triton");
    Raw("whl/test/triton-3.1.0-cp312-cp312-manylinux_2_17_x86_64."
        "manylinux2014_x86_64.whl",
        "openai triton");
    Raw("whl/test/cpu/executorch-1.0.0-cp312-cp312-linux_x86_64.whl",
        "executorch");
    Raw("whl/test/cpu/executorch-1.0.0+cpu-cp312-cp312-"
        "manylinux_2_28_x86_64.whl",
        "executorch cpu");
    Raw("whl/test/torch/index.html", "<html>torch</html>");
    Raw("whl/test/cu121/index.html", "<html>cu121</html>");
    Raw("whl/test/cpu/torch-2.4.1-broken.whl", "not a wheel name");

    Raw("libtorch/test/cu121/"
        "libtorch-cxx11-abi-shared-with-deps-2.4.1%2Bcu121.zip",
        "libtorch cxx11");
    Raw("libtorch/test/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip",
        "libtorch");
    Raw("libtorch/test/cu121/libtorch-shared-with-deps-2.4.10%2Bcu121.zip",
        "libtorch 2.4.10");
    Raw("libtorch/test/cu121/libtorch-shared-with-deps-latest.zip", "latest");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // An object written through the store, with its checksum metadata.
  void Put(const std::string& key, absl::string_view contents,
           const std::string& sha256) {
    const std::string path = absl::StrCat(dir_, "/in/", files_++);
    ASSERT_THAT(WriteFileAtomically(path, contents), IsOk());
    ASSERT_THAT(
        store_->Put(key, path, {.metadata = {{"checksum-sha256", sha256}}})
            .status(),
        IsOk());
  }
  // A file put in the directory by other tools: no metadata. (Plain
  // writes: the paging test makes 1,500 of them.)
  void Raw(const std::string& key, absl::string_view contents) {
    const fs::path path = absl::StrCat(dir_, "/bucket/", key);
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << contents;
    ASSERT_TRUE(out.good()) << path;
  }

  absl::StatusOr<PromotionPlan> Plan(const ReleaseSet& set,
                                     std::vector<std::string> packages,
                                     absl::string_view from = "whl/test",
                                     absl::string_view to = "whl") {
    return PlanPromotion(set, {.store = &*store_, .prefix = std::string(from)},
                         {.store = &*store_, .prefix = std::string(to)},
                         {.packages = std::move(packages)});
  }

  std::string dir_;
  std::optional<LocalStore> store_;
  int files_ = 0;
};

TEST_F(PromotionTest, SelectsEachPackageVersionByParsedNameNeverByGlob) {
  absl::StatusOr<PromotionPlan> plan =
      Plan(SetOf(kReleaseVersions),
           {"torch", "torchvision", "pytorch-triton", "executorch"});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(
      CopyPairs(*plan),
      ElementsAre(
          Pair("whl/test/cpu/executorch-1.0.0+cpu-cp312-cp312-"
               "manylinux_2_28_x86_64.whl",
               "whl/cpu/executorch-1.0.0+cpu-cp312-cp312-"
               "manylinux_2_28_x86_64.whl"),
          Pair("whl/test/cpu/executorch-1.0.0-cp312-cp312-linux_x86_64.whl",
               "whl/cpu/executorch-1.0.0-cp312-cp312-linux_x86_64.whl"),
          Pair("whl/test/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl",
               "whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl"),
          Pair("whl/test/cpu/torch-2.4.1+cpu-cp39-cp39-win_amd64.whl",
               "whl/cpu/torch-2.4.1+cpu-cp39-cp39-win_amd64.whl"),
          Pair("whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64"
               ".whl",
               "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl"),
          Pair("whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
               "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"),
          Pair("whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"
               ".metadata",
               "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"
               ".metadata"),
          Pair("whl/test/pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl",
               "whl/pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl")));
  EXPECT_TRUE(plan->ok()) << plan->problems.size();
  EXPECT_THAT(plan->already_present, IsEmpty());
  EXPECT_EQ(plan->source_prefix, "whl/test/");
  EXPECT_EQ(plan->destination_prefix, "whl/");

  // Size from the store; sha256 from the metadata where there is one.
  const PlannedCopy& cu121 = plan->copies[5];
  EXPECT_EQ(cu121.package, "torch");
  EXPECT_EQ(cu121.version.ToString(), "2.4.1+cu121");
  EXPECT_EQ(cu121.kind, ArtifactKind::kWheel);
  EXPECT_EQ(cu121.size, 17u);
  EXPECT_EQ(cu121.sha256, Sha('1'));
  EXPECT_EQ(plan->copies[2].sha256, std::nullopt);
  EXPECT_EQ(plan->copies[6].kind, ArtifactKind::kWheelMetadata);
  EXPECT_EQ(plan->bytes_to_copy(), [&] {
    uint64_t n = 0;
    for (const PlannedCopy& c : plan->copies) n += c.size;
    return n;
  }());

  EXPECT_THAT(
      plan->packages,
      ElementsAre(AllOf(Field(&PromotionPackage::package, "torch"),
                        Field(&PromotionPackage::version, "2.4.1"),
                        Field(&PromotionPackage::variable, "PYTORCH_VERSION"),
                        Field(&PromotionPackage::found, 4),
                        Field(&PromotionPackage::to_copy, 4)),
                  Field(&PromotionPackage::package, "torchvision"),
                  AllOf(Field(&PromotionPackage::package, "pytorch-triton"),
                        Field(&PromotionPackage::found, 1)),
                  AllOf(Field(&PromotionPackage::package, "executorch"),
                        Field(&PromotionPackage::found, 2))));
  // The unreadable wheel name is said, as a warning.
  EXPECT_THAT(
      plan->problems,
      ElementsAre(AllOf(
          Field(&PromotionProblem::kind, PromotionProblemKind::kUnreadableName),
          Field(&PromotionProblem::severity, ProblemSeverity::kWarning),
          Field(&PromotionProblem::key,
                "whl/test/cpu/torch-2.4.1-broken.whl"))));
}

TEST_F(PromotionTest, TorchOneDotZeroDoesNotTakeExecutorchOneDotZero) {
  Raw("whl/test/cpu/torch-1.0.0-cp37-cp37m-linux_x86_64.whl", "torch 1.0");
  absl::StatusOr<PromotionPlan> plan =
      Plan(SetOf("PYTORCH_VERSION=${PYTORCH_VERSION:-1.0.0}\n"), {});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(
      CopyPairs(*plan),
      ElementsAre(Pair("whl/test/cpu/torch-1.0.0-cp37-cp37m-linux_x86_64.whl",
                       "whl/cpu/torch-1.0.0-cp37-cp37m-linux_x86_64.whl")));
}

TEST_F(PromotionTest, LibtorchTakesTorchsVersionAndSkipsLatestZips) {
  absl::StatusOr<PromotionPlan> plan = Plan(
      SetOf(kReleaseVersions), {"libtorch"}, "libtorch/test/", "libtorch/");
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(
      CopyPairs(*plan),
      ElementsAre(
          Pair("libtorch/test/cu121/"
               "libtorch-cxx11-abi-shared-with-deps-2.4.1%2Bcu121.zip",
               "libtorch/cu121/"
               "libtorch-cxx11-abi-shared-with-deps-2.4.1%2Bcu121.zip"),
          Pair("libtorch/test/cu121/"
               "libtorch-shared-with-deps-2.4.1%2Bcu121.zip",
               "libtorch/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip")));
  EXPECT_EQ(plan->copies[0].kind, ArtifactKind::kLibtorch);
  EXPECT_THAT(plan->packages,
              ElementsAre(AllOf(
                  Field(&PromotionPackage::package, "libtorch"),
                  Field(&PromotionPackage::version, "2.4.1"),
                  Field(&PromotionPackage::variable, "PYTORCH_VERSION"))));
  EXPECT_TRUE(plan->ok());
}

TEST_F(PromotionTest, SameContentIsAlreadyThereOtherContentIsAConflict) {
  // Promoted before by relkit: same size and sha256.
  Put("whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
      "torch cu121 wheel", Sha('1'));
  // Promoted before by `aws s3 cp`: same bytes, no checksum.
  Raw("whl/cpu/torch-2.4.1+cpu-cp39-cp39-win_amd64.whl", "torch cpu windows");
  // Another build under the same name: other size.
  Raw("whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl",
      "another torch cpu wheel");
  // Same size, other sha256.
  Put("whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl.metadata",
      "Metadata-Version: 2.2\n", Sha('3'));

  absl::StatusOr<PromotionPlan> plan = Plan(SetOf(kReleaseVersions), {"torch"});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(CopyPairs(*plan), IsEmpty());
  EXPECT_THAT(
      plan->already_present,
      ElementsAre(
          AllOf(Field(&AlreadyPresent::destination_key,
                      "whl/cpu/torch-2.4.1+cpu-cp39-cp39-win_amd64.whl"),
                Field(&AlreadyPresent::same_by, SameBy::kSize)),
          AllOf(Field(&AlreadyPresent::destination_key,
                      "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64"
                      ".whl"),
                Field(&AlreadyPresent::same_by, SameBy::kSha256),
                Field(&AlreadyPresent::sha256, Sha('1')))));
  EXPECT_FALSE(plan->ok());
  EXPECT_EQ(plan->error_count(), 2);
  EXPECT_THAT(
      plan->problems,
      Contains(
          AllOf(Field(&PromotionProblem::kind, PromotionProblemKind::kConflict),
                Field(&PromotionProblem::key,
                      "whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl"),
                Field(&PromotionProblem::message,
                      HasSubstr("size 23 there, 15 in the source")))));
  EXPECT_THAT(
      plan->problems,
      Contains(
          AllOf(Field(&PromotionProblem::kind, PromotionProblemKind::kConflict),
                Field(&PromotionProblem::message,
                      HasSubstr(absl::StrCat("sha256 ", Sha('3'), " there, ",
                                             Sha('2'), " in the source"))))));
  EXPECT_THAT(plan->packages,
              ElementsAre(AllOf(Field(&PromotionPackage::found, 4),
                                Field(&PromotionPackage::to_copy, 0),
                                Field(&PromotionPackage::already_there, 2),
                                Field(&PromotionPackage::conflicts, 2))));
}

TEST_F(PromotionTest, AnRcVersionIsRefusedAndNothingOfItIsPlanned) {
  Raw("whl/test/cpu/torch-2.4.1rc1+cpu-cp312-cp312-linux_x86_64.whl", "rc");
  absl::StatusOr<PromotionPlan> plan =
      Plan(SetOf("PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1rc1}\n"
                 "TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.1}\n"),
           {});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  EXPECT_THAT(plan->problems,
              Contains(AllOf(
                  Field(&PromotionProblem::kind, PromotionProblemKind::kNotGa),
                  Field(&PromotionProblem::package, "torch"),
                  Field(&PromotionProblem::message,
                        HasSubstr("torch==2.4.1rc1: must be a GA "
                                  "version")))));
  for (const PlannedCopy& c : plan->copies) EXPECT_NE(c.package, "torch");
  EXPECT_THAT(
      plan->packages,
      ElementsAre(AllOf(Field(&PromotionPackage::package, "torch"),
                        Field(&PromotionPackage::not_ga, true),
                        Field(&PromotionPackage::found, 0)),
                  AllOf(Field(&PromotionPackage::package, "torchvision"),
                        Field(&PromotionPackage::not_ga, false))));
  EXPECT_THAT(CopyPairs(*plan),
              ElementsAre(Pair("whl/test/cpu/torchvision-0.19.1+cpu-"
                               "cp312-cp312-linux_x86_64.whl",
                               "whl/cpu/torchvision-0.19.1+cpu-cp312-"
                               "cp312-linux_x86_64.whl")));

  absl::StatusOr<PromotionPlan> dev = Plan(
      SetOf("PYTORCH_VERSION=${PYTORCH_VERSION:-2.5.0.dev20240801}\n"), {});
  ASSERT_THAT(dev.status(), IsOk());
  EXPECT_THAT(dev->problems, Contains(Field(&PromotionProblem::kind,
                                            PromotionProblemKind::kNotGa)));
}

TEST_F(PromotionTest, ARequestedPackageWithNothingToCopyIsAnError) {
  // No filter: every package of the set is requested; TRITON_VERSION also
  // names the ROCm and XPU tritons, which this channel lacks.
  absl::StatusOr<PromotionPlan> plan = Plan(SetOf(kReleaseVersions), {});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  std::vector<std::string> nothing;
  for (const PromotionProblem& p : plan->problems) {
    if (p.kind == PromotionProblemKind::kNothingToCopy) {
      EXPECT_EQ(p.severity, ProblemSeverity::kError);
      nothing.push_back(p.message);
    }
  }
  EXPECT_THAT(
      nothing,
      UnorderedElementsAre(
          HasSubstr("no file of pytorch-triton-rocm==3.1.0 under file://"),
          HasSubstr("no file of pytorch-triton-xpu==3.1.0 under file://")));
  EXPECT_THAT(nothing[0], HasSubstr("prefix \"whl/test/\""));

  // A package the set does not name.
  absl::StatusOr<PromotionPlan> unknown =
      Plan(SetOf(kReleaseVersions), {"torchaudio", "Torch"});
  ASSERT_THAT(unknown.status(), IsOk());
  EXPECT_THAT(unknown->problems,
              ElementsAre(AllOf(Field(&PromotionProblem::kind,
                                      PromotionProblemKind::kUnknownPackage),
                                Field(&PromotionProblem::message,
                                      HasSubstr("\"torchaudio\" is not in the "
                                                "release set"))),
                          Field(&PromotionProblem::kind,
                                PromotionProblemKind::kUnreadableName)));
  EXPECT_EQ(unknown->packages[1].package, "torch");
  EXPECT_EQ(unknown->packages[1].to_copy, 4);
}

TEST_F(PromotionTest, ReleaseSetProblemsAreSurfaced) {
  absl::StatusOr<PromotionPlan> plan =
      Plan(SetOf("PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1}\n"
                 "TORCHVISON_VERSION=${TORCHVISON_VERSION:-0.19.1}\n"
                 "TENSORRT_VERSION=${TENSORRT_VERSION:-2.4.0}\n"),
           {"torch"});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  EXPECT_THAT(
      plan->problems,
      Contains(AllOf(
          Field(&PromotionProblem::kind, PromotionProblemKind::kReleaseSet),
          Field(&PromotionProblem::severity, ProblemSeverity::kError),
          Field(&PromotionProblem::message,
                AllOf(HasSubstr("unknown-variable"),
                      HasSubstr("TORCHVISON_VERSION"))))));
  EXPECT_THAT(
      plan->problems,
      Contains(AllOf(
          Field(&PromotionProblem::kind, PromotionProblemKind::kReleaseSet),
          Field(&PromotionProblem::severity, ProblemSeverity::kWarning),
          Field(&PromotionProblem::message,
                HasSubstr("former-variable-name")))));
}

TEST_F(PromotionTest, AMalformedChecksumIsTreatedAsUnknownAndSaid) {
  Put("whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl",
      "vision", "not-a-sha");
  absl::StatusOr<PromotionPlan> plan =
      Plan(SetOf(kReleaseVersions), {"torchvision"});
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_EQ(plan->copies.size(), 1u);
  EXPECT_EQ(plan->copies[0].sha256, std::nullopt);
  EXPECT_TRUE(plan->ok());
  EXPECT_THAT(
      plan->problems,
      Contains(AllOf(
          Field(&PromotionProblem::kind, PromotionProblemKind::kBadChecksum),
          Field(&PromotionProblem::severity, ProblemSeverity::kWarning))));
}

TEST_F(PromotionTest, TorchWheelsTheBuildMatrixExpectsMustBeInTheSource) {
  auto expect = [](BuildOs os, std::string python, absl::string_view acc,
                   std::string name) {
    absl::StatusOr<Accelerator> a = Accelerator::Parse(acc);
    EXPECT_THAT(a.status(), IsOk());
    return ExpectedWheel{.os = os,
                         .python_version = std::move(python),
                         .accelerator = *a,
                         .build_name = std::move(name)};
  };
  const std::vector<ExpectedWheel> expected = {
      expect(BuildOs::kLinux, "3.12", "cu121", "manywheel-py3_12-cuda12_1"),
      expect(BuildOs::kLinux, "3.12", "cpu", "manywheel-py3_12-cpu"),
      expect(BuildOs::kWindows, "3.9", "cpu", "wheel-py3_9-cpu"),
      expect(BuildOs::kLinux, "3.13", "cpu", "manywheel-py3_13-cpu"),
  };
  absl::StatusOr<PromotionPlan> plan = PlanPromotion(
      SetOf(kReleaseVersions), {.store = &*store_, .prefix = "whl/test"},
      {.store = &*store_, .prefix = "whl"},
      {.packages = {"torch", "torchvision"},
       .expected_torch_wheels = expected});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  std::vector<PromotionProblem> incomplete;
  for (const PromotionProblem& p : plan->problems) {
    if (p.kind == PromotionProblemKind::kIncomplete) incomplete.push_back(p);
  }
  // The %2B-encoded cpu wheel counts; only the Python 3.13 build is missing.
  EXPECT_THAT(
      incomplete,
      ElementsAre(AllOf(
          Field(&PromotionProblem::severity, ProblemSeverity::kError),
          Field(&PromotionProblem::package, "torch"),
          Field(&PromotionProblem::message,
                HasSubstr("torch==2.4.1: the build matrix expects "
                          "torch-2.4.1+cpu-cp313-cp313-manylinux_*_x86_64.whl "
                          "(manywheel-py3_13-cpu), not in the source")))));
  EXPECT_EQ(plan->copies.size(), 5u);  // the plan is still listed in full

  absl::StatusOr<PromotionPlan> allowed = PlanPromotion(
      SetOf(kReleaseVersions), {.store = &*store_, .prefix = "whl/test"},
      {.store = &*store_, .prefix = "whl"},
      {.packages = {"torch"},
       .expected_torch_wheels = expected,
       .allow_incomplete = true});
  ASSERT_THAT(allowed.status(), IsOk());
  EXPECT_TRUE(allowed->ok());
  EXPECT_THAT(
      allowed->problems,
      Contains(AllOf(
          Field(&PromotionProblem::kind, PromotionProblemKind::kIncomplete),
          Field(&PromotionProblem::severity, ProblemSeverity::kWarning))));

  // Without the matrix, no coverage check.
  absl::StatusOr<PromotionPlan> unchecked =
      Plan(SetOf(kReleaseVersions), {"torch"});
  ASSERT_THAT(unchecked.status(), IsOk());
  EXPECT_TRUE(unchecked->ok());
}

TEST_F(PromotionTest, ListsEveryPageOfALargeChannel) {
  // Over one 1,000-key page of the source listing and of the destination's.
  for (int i = 0; i < 1003; ++i) {
    Raw(absl::StrFormat("whl/test/f%04d/torchvision-0.19.1-py3-none-any.whl",
                        i),
        "v");
    if (i % 2 == 0) {
      Raw(absl::StrFormat("whl/f%04d/torchvision-0.19.1-py3-none-any.whl", i),
          "v");
    }
  }
  absl::StatusOr<PromotionPlan> plan =
      Plan(SetOf(kReleaseVersions), {"torchvision"});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_EQ(plan->packages[0].found, 1004);
  EXPECT_EQ(plan->already_present.size(), 502u);
  EXPECT_EQ(plan->copies.size(), 502u);
  EXPECT_EQ(plan->copies.back().destination_key,
            "whl/f1001/torchvision-0.19.1-py3-none-any.whl");
}

TEST_F(PromotionTest, TwoStoresAndBadLocations) {
  absl::StatusOr<LocalStore> release = LocalStore::Open(dir_ + "/release");
  ASSERT_THAT(release.status(), IsOk());
  absl::StatusOr<PromotionPlan> plan = PlanPromotion(
      SetOf(kReleaseVersions), {.store = &*store_, .prefix = "whl/test/"},
      {.store = &*release, .prefix = ""}, {.packages = {"pytorch-triton"}});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_THAT(CopyPairs(*plan),
              ElementsAre(Pair(
                  "whl/test/pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl",
                  "pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl")));
  EXPECT_EQ(plan->destination, absl::StrCat("file://", dir_, "/release"));

  EXPECT_THAT(Plan(SetOf(kReleaseVersions), {}, "whl/test", "whl/test/"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("source and destination are the same")));
  EXPECT_THAT(Plan(SetOf(kReleaseVersions), {}, "whl/../x", "whl"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid prefix")));
  EXPECT_THAT(PlanPromotion(SetOf(kReleaseVersions), {}, {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// A factory of handles on the directory store at `directory`, counting how
// many it opened.
ObjectStoreFactory LocalFactory(std::string directory,
                                std::shared_ptr<std::atomic<int>> opened) {
  return [directory, opened]() -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
    absl::StatusOr<LocalStore> store = LocalStore::Open(directory);
    if (!store.ok()) return store.status();
    ++*opened;
    return std::make_unique<LocalStore>(*std::move(store));
  };
}

TEST_F(PromotionTest, ParallelHeadsMakeTheSamePlanAsOneAtATime) {
  // Many files, some already there (same or other content), some with a
  // malformed checksum, and a mirror holding some of them.
  absl::StatusOr<LocalStore> mirror = LocalStore::Open(dir_ + "/mirror");
  ASSERT_THAT(mirror.status(), IsOk());
  for (int i = 0; i < 60; ++i) {
    const std::string name =
        absl::StrFormat("f%02d/torchvision-0.19.1-py3-none-any.whl", i);
    const std::string contents = absl::StrCat("vision ", i);
    if (i % 7 == 3) {
      Put(absl::StrCat("whl/test/", name), contents, "not-hex");
    } else {
      Put(absl::StrCat("whl/test/", name), contents, Sha('a' + i % 6));
    }
    if (i % 3 == 0) Put(absl::StrCat("whl/", name), contents, Sha('a' + i % 6));
    if (i % 5 == 0) Raw(absl::StrCat("whl/", name), "other content");
    if (i % 4 == 0) {
      const fs::path path = absl::StrCat(dir_, "/mirror/", name);
      fs::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary) << (i % 8 == 0 ? contents : "x");
    }
  }
  Put("whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
      "torch cu121 wheel", Sha('1'));
  Raw("whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl",
      "another torch cpu wheel");

  auto plan_with = [&](bool parallel, int head_jobs, bool overwrite,
                       std::shared_ptr<std::atomic<int>> opened) {
    const std::string bucket = dir_ + "/bucket";
    return PlanPromotion(
        SetOf(kReleaseVersions),
        {.store = &*store_,
         .prefix = "whl/test",
         .open = parallel ? LocalFactory(bucket, opened) : nullptr},
        {.store = &*store_,
         .prefix = "whl",
         .open = parallel ? LocalFactory(bucket, opened) : nullptr},
        {.packages = {"torch", "torchvision"},
         .mirror = {.store = &*mirror,
                    .prefix = "",
                    .open = parallel ? LocalFactory(dir_ + "/mirror", opened)
                                     : nullptr},
         .overwrite = overwrite,
         .head_jobs = head_jobs});
  };
  for (const bool overwrite : {false, true}) {
    auto unused = std::make_shared<std::atomic<int>>(0);
    absl::StatusOr<PromotionPlan> one = plan_with(false, 16, overwrite, unused);
    ASSERT_THAT(one.status(), IsOk());
    EXPECT_EQ(unused->load(), 0);
    // The plan is not trivial: every kind of outcome is in it.
    EXPECT_THAT(one->copies, Not(IsEmpty()));
    EXPECT_THAT(one->already_present, Not(IsEmpty()));
    EXPECT_THAT(one->mirror_copies, Not(IsEmpty()));
    EXPECT_THAT(one->mirror_already_present, Not(IsEmpty()));
    EXPECT_THAT(one->problems,
                Contains(Field(&PromotionProblem::kind,
                               PromotionProblemKind::kBadChecksum)));
    EXPECT_THAT(one->problems,
                Contains(Field(&PromotionProblem::kind,
                               PromotionProblemKind::kConflict)));
    for (const int jobs : {1, 2, 16, 64, 1000}) {
      auto opened = std::make_shared<std::atomic<int>>(0);
      absl::StatusOr<PromotionPlan> many =
          plan_with(true, jobs, overwrite, opened);
      ASSERT_THAT(many.status(), IsOk()) << jobs;
      EXPECT_EQ(*many, *one) << "head_jobs " << jobs;
      // Handles are opened only when more than one Head is in flight.
      if (jobs == 1) {
        EXPECT_EQ(opened->load(), 0);
      } else {
        EXPECT_GE(opened->load(), 2) << jobs;
        EXPECT_LE(opened->load(), 3 * std::min(jobs, 64)) << jobs;
      }
    }
  }
}

TEST_F(PromotionTest, AFactoryOrAWorkersHeadFailingIsThePlansError) {
  const std::string bucket = dir_ + "/bucket";
  ObjectStoreFactory failing =
      []() -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
    return absl::UnavailableError("no handle for the test");
  };
  EXPECT_THAT(
      PlanPromotion(SetOf(kReleaseVersions),
                    {.store = &*store_, .prefix = "whl/test", .open = failing},
                    {.store = &*store_, .prefix = "whl"},
                    {.packages = {"torch"}}),
      StatusIs(absl::StatusCode::kUnavailable,
               HasSubstr("no handle for the test")));
  // Handles on an empty directory: every Head they make is NotFound, and
  // the plan says so instead of planning without checksums.
  auto opened = std::make_shared<std::atomic<int>>(0);
  EXPECT_THAT(PlanPromotion(SetOf(kReleaseVersions),
                            {.store = &*store_,
                             .prefix = "whl/test",
                             .open = LocalFactory(dir_ + "/empty", opened)},
                            {.store = &*store_, .prefix = "whl"},
                            {.packages = {"torch"}}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("whl/test/")));
  EXPECT_GE(opened->load(), 2);
}

TEST_F(PromotionTest, PlanningWritesNothing) {
  auto snapshot = [&] {
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir_ + "/bucket")) {
      files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
  };
  const std::vector<std::string> before = snapshot();
  ASSERT_THAT(Plan(SetOf(kReleaseVersions), {}).status(), IsOk());
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace relkit
