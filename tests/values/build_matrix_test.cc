#include "relkit/build_matrix.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "relkit/conventions.h"
#include "relkit/version.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) + "/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Version V(absl::string_view text) { return *Version::Parse(text); }

const BuildMatrix& Default() { return BuildMatrix::Default(); }

std::vector<BuildMatrixEntry> Generate(const BuildMatrixOptions& options,
                                       const BuildMatrix& m = Default()) {
  absl::StatusOr<std::vector<BuildMatrixEntry>> out =
      GenerateBuildMatrix(m, options);
  EXPECT_THAT(out, IsOk());
  return out.ok() ? *out : std::vector<BuildMatrixEntry>{};
}

// -----------------------------------------------------------------------------
// The 7 reference outputs of test-infra@61a77570 (ASSETS.md gives the flags)

struct Reference {
  const char* file;
  BuildOs os;
  bool with_cuda, with_rocm, with_cpu, with_xpu;
};

constexpr Reference kReferences[] = {
    {"build_matrix_linux_wheel_cuda.json", BuildOs::kLinux, true, true, true,
     false},
    {"build_matrix_linux_wheel_cuda_norocm.json", BuildOs::kLinux, true, false,
     true, false},
    {"build_matrix_linux_wheel_nocpu.json", BuildOs::kLinux, true, true, false,
     false},
    {"build_matrix_linux_wheel_xpu.json", BuildOs::kLinux, true, false, false,
     true},
    {"build_matrix_macos_wheel.json", BuildOs::kMacos, false, false, true,
     true},
    {"build_matrix_windows_wheel_cuda.json", BuildOs::kWindows, true, true,
     true, true},
    {"build_matrix_windows_wheel_xpu.json", BuildOs::kWindows, false, false,
     true, true},
};

class ReferenceTest : public ::testing::TestWithParam<Reference> {};

TEST_P(ReferenceTest, GeneratesTheSameEntriesKeysInOrderAndValues) {
  const Reference& ref = GetParam();
  BuildMatrixOptions options;
  options.os = ref.os;
  options.with_cuda = ref.with_cuda;
  options.with_rocm = ref.with_rocm;
  options.with_cpu = ref.with_cpu;
  options.with_xpu = ref.with_xpu;
  options.build_python_only = false;
  std::vector<BuildMatrixEntry> entries = Generate(options);

  const std::string text =
      ReadTestFile(std::string("build_matrix/") + ref.file);
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_TRUE(doc.IsObject());
  ASSERT_EQ(doc.MemberCount(), 1u);
  ASSERT_TRUE(doc.HasMember("include"));
  const rapidjson::Value& include = doc["include"];
  ASSERT_EQ(include.Size(), entries.size());
  for (rapidjson::SizeType i = 0; i < include.Size(); ++i) {
    std::vector<std::pair<std::string, std::string>> expected;
    for (auto m = include[i].MemberBegin(); m != include[i].MemberEnd(); ++m) {
      expected.emplace_back(m->name.GetString(), m->value.GetString());
    }
    EXPECT_EQ(entries[i].Fields(), expected) << ref.file << " entry " << i;
  }
  // json.dump(indent=2) layout, byte for byte.
  EXPECT_EQ(BuildMatrixToJson(entries, 2), text);
}

INSTANTIATE_TEST_SUITE_P(TestInfra61a77570, ReferenceTest,
                         ::testing::ValuesIn(kReferences),
                         [](const ::testing::TestParamInfo<Reference>& info) {
                           std::string name = info.param.file;
                           name = name.substr(0, name.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(BuildMatrixJsonTest, CompactOutputUsesTheScriptsSeparators) {
  BuildMatrixOptions options;  // defaults: build_python_only keeps one Python
  options.with_cuda = false;
  options.with_rocm = false;
  options.with_xpu = false;
  std::vector<BuildMatrixEntry> entries = Generate(options);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(BuildMatrixToJson(entries),
            "{\"include\": [{\"python_version\": \"3.10\", \"gpu_arch_type\": "
            "\"cpu\", \"gpu_arch_version\": \"\", \"desired_cuda\": \"cpu\", "
            "\"container_image\": \"pytorch/manylinux2_28-builder:cpu\", "
            "\"package_type\": \"manywheel\", \"build_name\": "
            "\"manywheel-py3_10-cpu\", \"validation_runner\": "
            "\"linux.2xlarge\", \"installation\": \"pip3 install --pre torch "
            "torchvision --index-url "
            "https://download.pytorch.org/whl/nightly/cpu\", \"channel\": "
            "\"nightly\", \"upload_to_base_bucket\": \"yes\", "
            "\"stable_version\": \"2.13.0\"}]}");
  EXPECT_EQ(BuildMatrixToJson({}), "{\"include\": []}");
  EXPECT_EQ(BuildMatrixToJson({}, 2), "{\n  \"include\": []\n}");
}

// -----------------------------------------------------------------------------
// Tables

TEST(BuildMatrixTest, DefaultIsTheStateAtTestInfra61a77570) {
  const BuildMatrix& m = Default();
  EXPECT_THAT(m.nightly_version, Optional(V("2.15.0")));
  EXPECT_THAT(m.candidate_version, Optional(V("2.14.0")));
  EXPECT_THAT(m.stable_version, Optional(V("2.13.0")));
  EXPECT_THAT(m.release.cuda_arches, ElementsAre("12.6", "13.0", "13.2"));
  EXPECT_THAT(m.nightly.rocm_arches, ElementsAre("7.2", "7.14"));
  EXPECT_THAT(m.release.python_versions,
              ElementsAre("3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"));
  EXPECT_EQ(m.release.stable_cuda, "13.0");
  EXPECT_THAT(m.cuda_arches_no_windows, ElementsAre("13.4"));
  EXPECT_THAT(m.CudaToolkitFor("12.6"),
              Optional(CudaToolkit{"12.6", "12.6.3", "9"}));
  EXPECT_EQ(m.CudaToolkitFor("11.8"), std::nullopt);
}

TEST(BuildMatrixTest, DefaultAgreesWithTheLastTimelineState) {
  absl::StatusOr<std::vector<BuildMatrixState>> timeline =
      ParseBuildMatrixTimeline(
          ReadTestFile(
              "build_matrix/test-infra_binary_build_matrix_timeline.json"),
          "timeline.json");
  ASSERT_THAT(timeline, IsOk());
  ASSERT_EQ(timeline->size(), 118u);
  const BuildMatrixState& last = timeline->back();
  EXPECT_EQ(last.commit, "e33a53fe17b23a9c8772b446035dac06e13e698f");
  EXPECT_EQ(last.date, "2026-08-12");
  const BuildMatrix& d = Default();
  for (BuildChannel c :
       {BuildChannel::kNightly, BuildChannel::kTest, BuildChannel::kRelease}) {
    EXPECT_EQ(last.tables.tables(c).python_versions,
              d.tables(c).python_versions);
    EXPECT_EQ(last.tables.tables(c).cuda_arches, d.tables(c).cuda_arches);
    EXPECT_EQ(last.tables.tables(c).rocm_arches, d.tables(c).rocm_arches);
    EXPECT_EQ(last.tables.tables(c).stable_cuda, d.tables(c).stable_cuda);
  }
  EXPECT_EQ(last.tables.cuda_cudnn, d.cuda_cudnn);
  EXPECT_EQ(last.tables.cuda_aarch64_arches, d.cuda_aarch64_arches);
  EXPECT_EQ(last.tables.nightly_version, d.nightly_version);
  EXPECT_EQ(last.tables.package_types, d.package_types);
  // The first state predates every table.
  EXPECT_EQ(timeline->front().tables.stable_version, std::nullopt);
  EXPECT_TRUE(timeline->front().tables.nightly.cuda_arches.empty());
}

TEST(BuildMatrixTest, JsonRoundTripIsUnchanged) {
  absl::StatusOr<BuildMatrix> again =
      BuildMatrix::FromJson(Default().ToJson(), "roundtrip.json");
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, Default());
}

TEST(BuildMatrixTest, BranchCutReproducesTheRelease214Commit) {
  absl::StatusOr<std::vector<BuildMatrixState>> timeline =
      ParseBuildMatrixTimeline(ReadTestFile(
          "build_matrix/test-infra_binary_build_matrix_timeline.json"));
  ASSERT_THAT(timeline, IsOk());
  // 27bde840 -> 00fa5780 "Update binary build matrix for release 2.14".
  const BuildMatrixState& before = (*timeline)[114];
  const BuildMatrixState& after = (*timeline)[115];
  ASSERT_THAT(after.subject, HasSubstr("release 2.14"));
  BuildMatrix cut = before.tables.BranchCut();
  EXPECT_THAT(cut.candidate_version, Optional(V("2.14.0")));
  EXPECT_EQ(cut.test, after.tables.test);
  EXPECT_EQ(cut.release, before.tables.release);
  EXPECT_EQ(cut.nightly_version, before.tables.nightly_version);
  EXPECT_EQ(cut.stable_version, before.tables.stable_version);
}

TEST(BuildMatrixTest, GoLiveReproducesTheRelease212Commit) {
  absl::StatusOr<std::vector<BuildMatrixState>> timeline =
      ParseBuildMatrixTimeline(ReadTestFile(
          "build_matrix/test-infra_binary_build_matrix_timeline.json"));
  ASSERT_THAT(timeline, IsOk());
  const BuildMatrixState& before = (*timeline)[107];
  const BuildMatrixState& after = (*timeline)[108];
  ASSERT_THAT(after.subject, HasSubstr("Release 2.12 go live"));
  BuildMatrix live = before.tables.GoLive();
  EXPECT_THAT(live.stable_version, Optional(V("2.12.0")));
  EXPECT_EQ(live.stable_version, after.tables.stable_version);
  EXPECT_EQ(live.release, after.tables.release);
  EXPECT_EQ(live.test, before.tables.test);
}

TEST(BuildMatrixTest, CurrentVersionIsTheCandidateOnlyForTest) {
  EXPECT_THAT(Default().CurrentVersion(BuildChannel::kTest),
              Optional(V("2.14.0")));
  EXPECT_THAT(Default().CurrentVersion(BuildChannel::kNightly),
              Optional(V("2.13.0")));
  EXPECT_THAT(Default().CurrentVersion(BuildChannel::kRelease),
              Optional(V("2.13.0")));
}

TEST(BuildMatrixTest, ChannelForVersionMatchesReleaseNumbers) {
  EXPECT_THAT(Default().ChannelForVersion(V("2.13.0")),
              Optional(BuildChannel::kRelease));
  EXPECT_THAT(Default().ChannelForVersion(V("2.14.0rc2")),
              Optional(BuildChannel::kTest));
  EXPECT_THAT(Default().ChannelForVersion(V("2.15.0.dev20260901+cu130")),
              Optional(BuildChannel::kNightly));
  EXPECT_EQ(Default().ChannelForVersion(V("2.12.1")), std::nullopt);
}

TEST(BuildMatrixTest, LoadNamesTheFileAndJsonPath) {
  EXPECT_THAT(
      BuildMatrix::FromJson(R"({"CUDA_ARCHES_DICT": {"nightly": ["12.6"],
      "test": ["12.6", 13], "release": []}})",
                            "tables.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("tables.json"),
                     HasSubstr("$.CUDA_ARCHES_DICT.test[1]"),
                     HasSubstr("expected a string"))));
  EXPECT_THAT(BuildMatrix::FromJson(R"({"ROCM_ARCHES_DICT": {"nightly": ["7.x"],
      "test": [], "release": []}})",
                                    "t.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("$.ROCM_ARCHES_DICT.nightly[0]"),
                             HasSubstr("\"7.x\" is not a ROCm version"))));
  EXPECT_THAT(BuildMatrix::FromJson(R"({"CUDA_ARCHES_DICT": {"nightly": []}})",
                                    "t.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("missing channel \"test\"")));
  EXPECT_THAT(BuildMatrix::FromJson(
                  R"({"PYTHON_ARCHES_DICT": {"nightly": [], "test": [],
                      "release": [], "beta": []}})",
                  "t.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("$.PYTHON_ARCHES_DICT.beta"),
                             HasSubstr("valid: nightly, test, release"))));
  EXPECT_THAT(
      BuildMatrix::FromJson(R"({"CUDA_ARCHS": []})", "t.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("$.CUDA_ARCHS"), HasSubstr("unknown key"))));
  EXPECT_THAT(
      BuildMatrix::FromJson(R"({"CURRENT_STABLE_VERSION": "two"})", "t.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("$.CURRENT_STABLE_VERSION"),
                     HasSubstr("bad version"))));
  EXPECT_THAT(
      BuildMatrix::FromJson("{\n  \"PACKAGE_TYPES\": [\n", "t.json"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("t.json:3:")));
  EXPECT_THAT(
      BuildMatrix::FromJson("[]", "t.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("t.json: $"), HasSubstr("expected an object"))));
  EXPECT_THAT(BuildMatrix::FromJson(R"({"CUDA_CUDNN_VERSIONS":
      {"12.6": {"cuda": "12.6.3"}}})",
                                    "t.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("$.CUDA_CUDNN_VERSIONS.12.6")));
  EXPECT_THAT(ParseBuildMatrixTimeline(R"([{"commit": "abc", "date": "x"}])",
                                       "timeline.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("timeline.json: $[0]"),
                             HasSubstr("missing field \"subject\""))));
  // Found by fuzzing: bytes that are not UTF-8 must not reach the tables.
  EXPECT_THAT(BuildMatrix::FromJson(
                  "{\"PACKAGE_TYPES\": [\"wheel\", \"c\xcd\"]}", "t.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("$.PACKAGE_TYPES[1]")));
  EXPECT_THAT(BuildMatrix::Load("/nonexistent/tables.json"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("/nonexistent/tables.json")));
}

TEST(BuildMatrixTest, UnknownNamesListTheValidOnes) {
  EXPECT_THAT(ParseBuildChannel("beta"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("\"beta\""),
                             HasSubstr("nightly, test, release"))));
  EXPECT_THAT(ParseBuildChannels("all"),
              testing::IsOkAndHolds(ElementsAre(BuildChannel::kNightly,
                                                BuildChannel::kTest,
                                                BuildChannel::kRelease)));
  EXPECT_THAT(
      ParseBuildOs("solaris"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("\"solaris\""),
                     HasSubstr("linux, linux-aarch64, macos, "
                               "macos-arm64, windows, windows-arm64"))));
  EXPECT_THAT(ParseBuildPackageTypes("wheel,conda"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("\"conda\""),
                             HasSubstr("wheel, libtorch, all"))));
  EXPECT_THAT(ParseBuildPackageTypes("libtorch,wheel"),
              testing::IsOkAndHolds(ElementsAre(BuildPackageType::kLibtorch,
                                                BuildPackageType::kWheel)));
  for (BuildOs os :
       {BuildOs::kLinux, BuildOs::kLinuxAarch64, BuildOs::kMacos,
        BuildOs::kMacosArm64, BuildOs::kWindows, BuildOs::kWindowsArm64}) {
    EXPECT_THAT(ParseBuildOs(BuildOsName(os)), testing::IsOkAndHolds(os));
  }
}

// -----------------------------------------------------------------------------
// Generator behaviour beyond the references

TEST(BuildMatrixGeneratorTest, BuildPythonOnlyKeepsTheOldestPython) {
  BuildMatrixOptions options;
  std::set<std::string> pythons;
  for (const BuildMatrixEntry& e : Generate(options)) {
    pythons.insert(e.python_version);
  }
  EXPECT_THAT(pythons, ElementsAre("3.10"));
}

TEST(BuildMatrixGeneratorTest,
     ExplicitPythonVersionsWinAndLimitPrBuildsKeepsOne) {
  BuildMatrixOptions options;
  options.python_versions = {"3.13", "3.14t"};
  options.with_rocm = false;
  options.with_xpu = false;
  std::set<std::string> pythons;
  for (const BuildMatrixEntry& e : Generate(options))
    pythons.insert(e.python_version);
  EXPECT_THAT(pythons, ElementsAre("3.13", "3.14t"));
  options.limit_pr_builds = true;
  pythons.clear();
  for (const BuildMatrixEntry& e : Generate(options))
    pythons.insert(e.python_version);
  EXPECT_THAT(pythons, ElementsAre("3.13"));
  options.python_versions = {"3.x"};
  EXPECT_THAT(
      GenerateBuildMatrix(Default(), options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"3.x\"")));
}

TEST(BuildMatrixGeneratorTest, ReleaseInstallsStableCudaAndWindowsCpuFromPyPI) {
  BuildMatrixOptions options;
  options.channels = {BuildChannel::kRelease};
  options.with_rocm = false;
  options.with_xpu = false;
  std::vector<BuildMatrixEntry> linux = Generate(options);
  for (const BuildMatrixEntry& e : linux) {
    if (e.desired_cuda == "cu130") {
      EXPECT_EQ(e.installation, "pip3 install torch torchvision");
    } else {
      EXPECT_THAT(e.installation,
                  HasSubstr(absl::StrCat(
                      "--index-url https://download.pytorch.org/whl/",
                      e.desired_cuda)));
    }
  }
  options.os = BuildOs::kWindows;
  for (const BuildMatrixEntry& e : Generate(options)) {
    if (e.gpu_arch_type == "cpu") {
      EXPECT_EQ(e.installation, "pip3 install torch torchvision");
    }
  }
  options.use_only_dl_pytorch_org = true;
  for (const BuildMatrixEntry& e : Generate(options)) {
    EXPECT_THAT(e.installation, HasSubstr("--index-url"));
  }
}

TEST(BuildMatrixGeneratorTest, TestChannelUsesTheCandidateAndTestIndex) {
  BuildMatrixOptions options;
  options.channels = {BuildChannel::kTest};
  options.python_versions = {"3.15"};
  options.with_rocm = false;
  options.with_xpu = false;
  options.with_cuda = false;
  std::vector<BuildMatrixEntry> entries = Generate(options);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].stable_version, "2.14.0");
  // 3.15 is torch-only: torchvision has no wheels for it yet.
  EXPECT_EQ(entries[0].installation,
            "pip3 install torch --index-url "
            "https://download.pytorch.org/whl/test/cpu");
}

TEST(BuildMatrixGeneratorTest, GettingStartedHidesCuda134AndShowsOneRocm) {
  BuildMatrixOptions options;
  options.getting_started = true;
  options.build_python_only = false;
  for (BuildChannel c :
       {BuildChannel::kNightly, BuildChannel::kTest, BuildChannel::kRelease}) {
    options.channels = {c};
    std::set<std::string> cuda, rocm;
    for (const BuildMatrixEntry& e : Generate(options)) {
      if (e.gpu_arch_type == "cuda") cuda.insert(e.gpu_arch_version);
      if (e.gpu_arch_type == "rocm") rocm.insert(e.gpu_arch_version);
    }
    EXPECT_THAT(cuda, Not(Contains("13.4"))) << BuildChannelName(c);
    EXPECT_EQ(rocm.size(), 1u) << BuildChannelName(c);
  }
  options.os = BuildOs::kLinuxAarch64;
  options.channels = {BuildChannel::kNightly};
  for (const BuildMatrixEntry& e : Generate(options)) {
    EXPECT_NE(e.desired_cuda, "cu134");
  }
}

TEST(BuildMatrixGeneratorTest, GettingStartedRocmIsNumericNotStringMax) {
  BuildMatrix m = Default();
  m.getting_started_rocm_arch.reset();
  // String max would pick "7.2" (test-infra#8503).
  EXPECT_THAT(GettingStartedRocm(m, BuildChannel::kNightly),
              Optional(std::string("7.14")));
  EXPECT_THAT(GettingStartedRocm(Default(), BuildChannel::kNightly),
              Optional(std::string("7.2")));  // pinned while built
  m.getting_started_rocm_arch = "6.4";        // pinned but not built: newest
  EXPECT_THAT(GettingStartedRocm(m, BuildChannel::kRelease),
              Optional(std::string("7.2")));
  m.release.rocm_arches.clear();
  EXPECT_EQ(GettingStartedRocm(m, BuildChannel::kRelease), std::nullopt);
}

TEST(BuildMatrixGeneratorTest, Aarch64BuildsOnlyTheChannelsCuda) {
  BuildMatrixOptions options;
  options.os = BuildOs::kLinuxAarch64;
  options.channels = {BuildChannel::kRelease};
  std::vector<BuildMatrixEntry> entries = Generate(options);
  std::vector<std::string> names;
  for (const BuildMatrixEntry& e : entries) names.push_back(e.build_name);
  EXPECT_THAT(names, ElementsAre("wheel-py3_10-cpu-aarch64",
                                 "wheel-py3_10-cuda-aarch64-12_6",
                                 "wheel-py3_10-cuda-aarch64-13_0",
                                 "wheel-py3_10-cuda-aarch64-13_2"));
  EXPECT_EQ(entries[1].gpu_arch_version, "12.6-aarch64");
  EXPECT_EQ(entries[1].desired_cuda, "cu126");
  EXPECT_EQ(entries[1].container_image,
            "pytorch/manylinuxaarch64-builder:cuda12.6");
  EXPECT_EQ(entries[1].validation_runner, "linux.arm64.m7g.4xlarge");
  EXPECT_EQ(entries[0].validation_runner, "linux.arm64.2xlarge");
  EXPECT_EQ(entries[0].installation, "pip3 install torch torchvision");
}

TEST(BuildMatrixGeneratorTest, MacosArm64UsesPointVersions) {
  BuildMatrixOptions options;
  options.os = BuildOs::kMacosArm64;
  options.build_python_only = false;
  std::vector<std::string> pythons;
  for (const BuildMatrixEntry& e : Generate(options)) {
    pythons.push_back(e.python_version);
    EXPECT_EQ(e.validation_runner, "macos-m1-stable");
    EXPECT_EQ(e.gpu_arch_type, "cpu");
  }
  EXPECT_THAT(pythons, ElementsAre("3.10.19", "3.11.14", "3.12.12", "3.13",
                                   "3.14.3", "3.14t", "3.15", "3.15t"));
}

TEST(BuildMatrixGeneratorTest, LibtorchIgnoresPythonVersions) {
  // The script passes --python-versions into libtorch's abi_versions
  // parameter (KeyError); relkit ignores Python versions for libtorch.
  BuildMatrixOptions options;
  options.package_types = {BuildPackageType::kLibtorch};
  options.python_versions = {"3.10"};
  options.channels = {BuildChannel::kRelease};
  std::vector<BuildMatrixEntry> entries = Generate(options);
  ASSERT_EQ(entries.size(), 6u);  // cpu, 3 CUDA, 2 ROCm
  const BuildMatrixEntry& cpu = entries[0];
  EXPECT_EQ(cpu.build_name, "libtorch-cpu-shared-with-deps-cxx11-abi");
  EXPECT_EQ(cpu.container_image, "pytorch/libtorch-cxx11-builder:cpu");
  EXPECT_EQ(cpu.installation,
            "https://download.pytorch.org/libtorch/cpu/"
            "libtorch-shared-with-deps-2.13.0%2Bcpu.zip");
  EXPECT_EQ(entries[1].validation_runner, "linux.2xlarge");
  EXPECT_EQ(entries[1].Fields().front().first, "gpu_arch_type");

  options.os = BuildOs::kWindows;
  options.channels = {BuildChannel::kNightly};
  entries = Generate(options);
  ASSERT_FALSE(entries.empty());
  for (const BuildMatrixEntry& e : entries) {
    EXPECT_EQ(e.libtorch_config, "release");
    EXPECT_EQ(e.container_image, "");
    EXPECT_NE(e.desired_cuda, "cu134");  // CUDA_ARCHES_NO_WINDOWS
    EXPECT_THAT(e.installation,
                HasSubstr("libtorch-win-shared-with-deps-latest.zip"));
  }
}

TEST(BuildMatrixGeneratorTest, ChannelAllAndPackageAllNestChannelsOutside) {
  BuildMatrixOptions options;
  options.channels = {BuildChannel::kNightly, BuildChannel::kTest,
                      BuildChannel::kRelease};
  options.package_types = {BuildPackageType::kWheel,
                           BuildPackageType::kLibtorch};
  std::vector<std::string> order;
  for (const BuildMatrixEntry& e : Generate(options)) {
    std::string key = absl::StrCat(
        e.channel, "/", e.package_type == "libtorch" ? "libtorch" : "wheel");
    if (order.empty() || order.back() != key) order.push_back(key);
  }
  EXPECT_THAT(
      order, ElementsAre("nightly/wheel", "nightly/libtorch", "test/wheel",
                         "test/libtorch", "release/wheel", "release/libtorch"));
}

TEST(BuildMatrixGeneratorTest, MissingVersionIsFailedPrecondition) {
  BuildMatrix m = Default();
  m.candidate_version.reset();
  BuildMatrixOptions options;
  options.channels = {BuildChannel::kTest};
  EXPECT_THAT(
      GenerateBuildMatrix(m, options),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("candidate")));
}

TEST(BuildMatrixGeneratorTest, ParsePythonVersionListNamesThePosition) {
  EXPECT_THAT(ParsePythonVersionList(R"(["3.10", "3.14t"])"),
              testing::IsOkAndHolds(ElementsAre("3.10", "3.14t")));
  EXPECT_THAT(ParsePythonVersionList("[]"),
              testing::IsOkAndHolds(ElementsAre()));
  EXPECT_THAT(
      ParsePythonVersionList(R"(["3.10", 3.11])"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("--python-versions"), HasSubstr("$[1]"))));
  EXPECT_THAT(ParsePythonVersionList("[\"3.10\""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--python-versions:1:")));
}

// -----------------------------------------------------------------------------
// Queries

TEST(BuildMatrixQueryTest, ExpectedWheelsOfTheReleaseChannel) {
  absl::StatusOr<std::vector<ExpectedWheel>> wheels =
      ExpectedWheels(Default(), BuildChannel::kRelease, {BuildOs::kLinux});
  ASSERT_THAT(wheels, IsOk());
  // 6 Pythons x (cpu + 3 CUDA + 2 ROCm + xpu).
  EXPECT_EQ(wheels->size(), 6u * 7u);
  EXPECT_EQ((*wheels)[1].python_version, "3.10");
  EXPECT_EQ((*wheels)[1].accelerator.ToString(), "cu126");
  EXPECT_EQ((*wheels)[1].build_name, "manywheel-py3_10-cuda12_6");

  absl::StatusOr<std::vector<ExpectedWheel>> mac =
      ExpectedWheels(Default(), BuildChannel::kRelease, {BuildOs::kMacosArm64});
  ASSERT_THAT(mac, IsOk());
  ASSERT_FALSE(mac->empty());
  EXPECT_EQ(mac->front().python_version, "3.10");  // not the point version

  absl::StatusOr<std::vector<ExpectedWheel>> all =
      ExpectedWheels(Default(), BuildChannel::kNightly);
  ASSERT_THAT(all, IsOk());
  std::set<BuildOs> oses;
  for (const ExpectedWheel& w : *all) oses.insert(w.os);
  EXPECT_EQ(oses.size(), 5u);
}

TEST(BuildMatrixQueryTest, ChannelGpuAcceleratorsAreNumericallySorted) {
  absl::StatusOr<std::vector<Accelerator>> accs =
      ChannelGpuAccelerators(Default(), BuildChannel::kNightly);
  ASSERT_THAT(accs, IsOk());
  std::vector<std::string> labels;
  for (const Accelerator& a : *accs) labels.push_back(a.ToString());
  EXPECT_THAT(labels, ElementsAre("cu126", "cu130", "cu132", "cu134", "rocm7.2",
                                  "rocm7.14"));
}

}  // namespace
}  // namespace relkit
