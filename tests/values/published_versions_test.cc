#include "relkit/published_versions.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) + "/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const std::string& RealFile() {
  static const std::string* text =
      new std::string(ReadTestFile("published_versions.json"));
  return *text;
}

PublishedVersions RealVersions() {
  absl::StatusOr<PublishedVersions> pv =
      PublishedVersions::Parse(RealFile(), "published_versions.json");
  EXPECT_THAT(pv, IsOk());
  return pv.ok() ? *pv : PublishedVersions{};
}

// Returns the member names of every object in `v`, depth first, so that two
// documents with the same values but another key order compare unequal.
void KeyOrder(const rapidjson::Value& v, std::vector<std::string>& out) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      out.emplace_back(it->name.GetString(), it->name.GetStringLength());
      KeyOrder(it->value, out);
    }
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) KeyOrder(item, out);
  }
}

TEST(PublishedVersionsTest, RoundTripsTheRealFileByteForByte) {
  PublishedVersions pv = RealVersions();
  EXPECT_EQ(pv.ToJson(), RealFile());
}

TEST(PublishedVersionsTest, RoundTripIsIdenticalAfterJsonNormalisation) {
  // Whatever the layout, the documents hold the same values in the same
  // key order.
  std::string compact = absl::StrReplaceAll(RealFile(), {{"\n", ""}});
  absl::StatusOr<PublishedVersions> pv = PublishedVersions::Parse(compact);
  ASSERT_THAT(pv, IsOk());
  rapidjson::Document original, written;
  original.Parse(RealFile().c_str());
  written.Parse(pv->ToJson().c_str());
  ASSERT_FALSE(written.HasParseError());
  EXPECT_TRUE(original == written);
  std::vector<std::string> a, b;
  KeyOrder(original, a);
  KeyOrder(written, b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(*pv, RealVersions());
}

TEST(PublishedVersionsTest, KeepsReleaseAndCellOrder) {
  PublishedVersions pv = RealVersions();
  EXPECT_EQ(pv.latest_stable, "1.13.0");
  EXPECT_EQ(pv.latest_lts, "lts-1.8.2");
  EXPECT_THAT(
      pv.ReleaseNames(),
      ElementsAre("preview", "1.13.0", "1.12.1", "1.12.0", "1.11.0", "1.10.2",
                  "1.10.1", "1.10.0", "1.9.0", "1.9.1", "lts-1.8.2"));
  const PublishedRelease* preview = pv.Find("preview");
  ASSERT_NE(preview, nullptr);
  std::vector<std::string> conda;
  for (const InstallOption& o :
       preview->systems[0].package_managers[1].options) {
    conda.push_back(o.accelerator);
  }
  EXPECT_THAT(conda, ElementsAre("cuda.x", "cuda.y", "rocm5.x", "accnone"));
  const InstallOption* mac = preview->Find("macos", "pip", "cuda.x");
  ASSERT_NE(mac, nullptr);
  EXPECT_EQ(mac->is_default, true);
  const InstallOption* rocm = preview->Find("windows", "libtorch", "rocm5.x");
  ASSERT_NE(rocm, nullptr);
  EXPECT_EQ(rocm->kind, InstallOption::Kind::kDownloads);
  EXPECT_FALSE(rocm->downloads.has_value());
}

TEST(PublishedVersionsTest, MalformedJsonNamesFileAndLine) {
  std::string broken = RealFile();
  broken.replace(broken.find("\"latest_lts\""), 1, "");
  EXPECT_THAT(PublishedVersions::Parse(broken, "published_versions.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("published_versions.json:3:")));
}

TEST(PublishedVersionsTest, WrongShapeNamesTheJsonPath) {
  EXPECT_THAT(
      PublishedVersions::Parse(
          R"({"latest_stable": "preview", "versions": {"preview": {"linux":
              {"pip": {"cuda.x": {"note": null, "command": 5}}}}}})",
          "pv.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("pv.json: $.versions.preview.linux.pip[\"cuda.x\"]."
                         "command: expected a string or null")));
  EXPECT_THAT(
      PublishedVersions::Parse(
          R"({"latest_stable": "preview", "versions": {"preview": {"linux":
              {"pip": {"accnone": {"note": null}}}}}})",
          "pv.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("exactly one of \"command\" or \"versions\"")));
  EXPECT_THAT(PublishedVersions::Parse(
                  R"({"latest_stable": "2.0.0", "versions": {}})", "pv.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("pv.json: $.latest_stable: \"2.0.0\" is not "
                                 "a release")));
  EXPECT_THAT(PublishedVersions::Parse(R"([1, 2])", "pv.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("pv.json: $: expected an object")));
  EXPECT_THAT(PublishedVersions::Parse(
                  R"({"latest_stable": "x", "versions": {}, "extra": 1})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("<input>: $.extra: unknown member")));
}

// -----------------------------------------------------------------------------
// Accelerator columns

MatrixInstall Build(std::string os, std::string package_type,
                    std::string arch_type, std::string arch_version,
                    std::string desired, std::string installation) {
  MatrixInstall m;
  m.os = std::move(os);
  m.package_type = std::move(package_type);
  m.gpu_arch_type = std::move(arch_type);
  m.gpu_arch_version = std::move(arch_version);
  m.desired_cuda = std::move(desired);
  m.installation = std::move(installation);
  m.stable_version = "2.5.0";
  return m;
}

TEST(AcceleratorSlotsTest, PicksRocm7_14Over7_2NumericallyNotAsStrings) {
  // test-infra#8503: max("7.2", "7.14") is "7.2" for strings.
  std::vector<MatrixInstall> builds = {
      Build("linux", "manywheel", "rocm", "7.2", "rocm7.2", "a"),
      Build("linux", "manywheel", "rocm", "7.14", "rocm7.14", "b"),
  };
  std::vector<std::string> keys = {"rocm5.x"};
  absl::StatusOr<AcceleratorSlots> slots = ChooseAcceleratorSlots(builds, keys);
  ASSERT_THAT(slots, IsOk());
  EXPECT_THAT(slots->slots,
              ElementsAre(AcceleratorSlot{"rocm5.x", "rocm", "7.14"}));
}

TEST(AcceleratorSlotsTest, ShowsTheNewestCudaVersionsInNumericOrder) {
  std::vector<MatrixInstall> builds = {
      Build("linux", "manywheel", "cpu", "", "cpu", "c"),
      Build("linux", "manywheel", "cuda", "12.10", "", "x"),
      Build("linux", "manywheel", "cuda", "9.2", "cu92", "x"),
      Build("linux", "manywheel", "cuda", "12.9", "cu129", "x"),
      Build("linux", "manywheel", "cuda", "10.2", "cu102", "x"),
      // Not Linux x86: ignored when Linux builds exist.
      Build("windows", "wheel", "cuda", "13.0", "cu130", "x"),
      Build("linux", "manywheel", "cuda-aarch64", "13.0", "cu130", "x"),
  };
  std::vector<std::string> keys = {"accnone", "cuda.y", "cuda.x", "rocm5.x",
                                   "cuda10.2"};
  absl::StatusOr<AcceleratorSlots> slots = ChooseAcceleratorSlots(builds, keys);
  ASSERT_THAT(slots, IsOk());
  EXPECT_THAT(slots->slots,
              ElementsAre(AcceleratorSlot{"accnone", "cpu", ""},
                          AcceleratorSlot{"cuda.y", "cuda", "12.10"},
                          AcceleratorSlot{"cuda.x", "cuda", "12.9"},
                          AcceleratorSlot{"cuda10.2", "cuda", "10.2"}));
  EXPECT_THAT(slots->unshown_cuda, ElementsAre("9.2", "10.2"));
}

TEST(AcceleratorSlotsTest, RejectsAnUnparsableVersion) {
  std::vector<MatrixInstall> builds = {
      Build("linux", "manywheel", "rocm", "7.x", "rocm7.x", "a")};
  std::vector<std::string> keys = {"rocm5.x"};
  EXPECT_THAT(
      ChooseAcceleratorSlots(builds, keys),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"7.x\"")));
}

// -----------------------------------------------------------------------------
// Publishing

std::vector<MatrixInstall> ReleaseBuilds() {
  const std::string idx =
      "pip3 install torch torchvision --index-url "
      "https://download.pytorch.org/whl/";
  std::vector<MatrixInstall> b = {
      Build("linux", "manywheel", "cpu", "", "cpu", idx + "cpu"),
      Build("linux", "manywheel", "cuda", "11.8", "cu118", idx + "cu118"),
      Build("linux", "manywheel", "cuda", "12.4", "cu124", idx + "cu124"),
      Build("linux", "manywheel", "cuda", "12.6", "cu126", idx + "cu126"),
      Build("linux", "manywheel", "rocm", "7.2", "rocm7.2", idx + "rocm7.2"),
      Build("linux", "manywheel", "rocm", "7.14", "rocm7.14", idx + "rocm7.14"),
      Build("windows", "wheel", "cpu", "", "cpu", "pip3 install torch"),
      Build("windows", "wheel", "cuda", "12.6", "cu126", idx + "cu126"),
      Build("macos", "wheel", "cpu", "", "cpu", "pip3 install torch"),
  };
  const std::string lt = "https://download.pytorch.org/libtorch/";
  MatrixInstall linux_lt =
      Build("linux", "libtorch", "cuda", "12.6", "cu126",
            lt + "cu126/libtorch-shared-with-deps-2.5.0%2Bcu126.zip");
  linux_lt.libtorch_variant = "shared-with-deps";
  linux_lt.devtoolset = "cxx11-abi";
  b.push_back(linux_lt);
  for (const char* config : {"release", "debug"}) {
    MatrixInstall win =
        Build("windows", "libtorch", "cuda", "12.6", "cu126",
              absl::StrCat(lt, "cu126/libtorch-win-shared-with-deps",
                           std::string(config) == "debug" ? "-debug" : "",
                           "-2.5.0%2Bcu126.zip"));
    win.libtorch_variant = "shared-with-deps";
    win.libtorch_config = config;
    b.push_back(win);
  }
  b.push_back(Build("macos", "libtorch", "cpu", "", "cpu",
                    lt + "cpu/libtorch-macos-arm64-2.5.0.zip"));
  return b;
}

TEST(PlanStableReleaseTest, CopiesPreviewAppendsTheReleaseAndMovesLatest) {
  const PublishedVersions before = RealVersions();
  std::vector<MatrixInstall> builds = ReleaseBuilds();
  absl::StatusOr<PublishPlan> plan = PlanStableRelease(before, "2.5.0", builds);
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->added_release);
  EXPECT_TRUE(plan->latest_stable_changed);
  EXPECT_EQ(plan->previous_latest_stable, "1.13.0");
  EXPECT_EQ(plan->result.latest_stable, "2.5.0");
  EXPECT_EQ(plan->result.ReleaseNames().back(), "2.5.0");
  EXPECT_EQ(*plan->result.Find("preview"), *before.Find("preview"));
  EXPECT_EQ(*plan->result.Find("1.13.0"), *before.Find("1.13.0"));

  const PublishedRelease& rel = *plan->result.Find("2.5.0");
  const std::string idx =
      "pip3 install torch torchvision --index-url "
      "https://download.pytorch.org/whl/";
  EXPECT_EQ(rel.Find("linux", "pip", "accnone")->command, idx + "cpu");
  EXPECT_EQ(rel.Find("linux", "pip", "cuda.x")->command, idx + "cu124");
  EXPECT_EQ(rel.Find("linux", "pip", "cuda.y")->command, idx + "cu126");
  EXPECT_EQ(rel.Find("linux", "pip", "rocm5.x")->command, idx + "rocm7.14");
  EXPECT_EQ(rel.Find("macos", "pip", "cuda.x")->command, "pip3 install torch");
  EXPECT_EQ(rel.Find("windows", "pip", "accnone")->command,
            "pip3 install torch");
  // The note of the cell stays.
  EXPECT_EQ(rel.Find("macos", "pip", "accnone")->note,
            before.Find("preview")->Find("macos", "pip", "accnone")->note);

  const auto& linux_lt = *rel.Find("linux", "libtorch", "cuda.y")->downloads;
  EXPECT_THAT(linux_lt, ElementsAre(DownloadLink{
                            "Download here (cxx11 ABI):",
                            "https://download.pytorch.org/libtorch/cu126/"
                            "libtorch-shared-with-deps-2.5.0%2Bcu126.zip"}));
  const auto& win_lt = *rel.Find("windows", "libtorch", "cuda.y")->downloads;
  ASSERT_EQ(win_lt.size(), 2u);
  EXPECT_EQ(win_lt[0].label, "Download here (Release version):");
  EXPECT_THAT(win_lt[1].url, HasSubstr("-debug-2.5.0%2Bcu126.zip"));
  const auto& mac_lt = *rel.Find("macos", "libtorch", "cuda.x")->downloads;
  ASSERT_EQ(mac_lt.size(), 1u);
  EXPECT_EQ(mac_lt[0].label,
            "MacOS binaries do not support CUDA. Download default libtorch "
            "here:");
  EXPECT_THAT(mac_lt[0].url, HasSubstr("libtorch-macos-arm64-2.5.0.zip"));

  EXPECT_THAT(plan->slots,
              Contains(AcceleratorSlot{"rocm5.x", "rocm", "7.14"}));
  EXPECT_THAT(plan->warnings, Contains(HasSubstr("CUDA 11.8 not shown")));
  EXPECT_THAT(plan->warnings,
              Contains(AllOf(HasSubstr("linux/conda/cuda.x"),
                             HasSubstr("keeps the preview's text"))));
  EXPECT_THAT(
      plan->changes,
      Contains(CellChange{
          "2.5.0", "linux", "pip", "rocm5.x", "command",
          before.Find("preview")->Find("linux", "pip", "rocm5.x")->command,
          idx + "rocm7.14"}));
  // Pre-cxx11 has no build any more: its stale link goes.
  EXPECT_THAT(
      plan->changes,
      Contains(AllOf(::testing::Field(&CellChange::field,
                                      "Download here (Pre-cxx11 ABI):"),
                     ::testing::Field(&CellChange::after, std::nullopt))));
  // The plan's value writes and reads back.
  absl::StatusOr<PublishedVersions> again =
      PublishedVersions::Parse(plan->result.ToJson());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, plan->result);
}

TEST(PlanStableReleaseTest, OlderPatchReleaseDoesNotMoveLatestStable) {
  absl::StatusOr<PublishPlan> plan =
      PlanStableRelease(RealVersions(), "1.12.2", ReleaseBuilds());
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->added_release);
  EXPECT_FALSE(plan->latest_stable_changed);
  EXPECT_EQ(plan->result.latest_stable, "1.13.0");
  EXPECT_THAT(plan->warnings,
              Contains(HasSubstr("matrix is for stable version 2.5.0, not "
                                 "1.12.2")));
}

TEST(PlanStableReleaseTest, UpdatesAnExistingReleaseInPlace) {
  const PublishedVersions before = RealVersions();
  absl::StatusOr<PublishPlan> plan =
      PlanStableRelease(before, "1.13.0", ReleaseBuilds());
  ASSERT_THAT(plan, IsOk());
  EXPECT_FALSE(plan->added_release);
  EXPECT_EQ(plan->result.ReleaseNames(), before.ReleaseNames());
  EXPECT_NE(*plan->result.Find("1.13.0"), *before.Find("1.13.0"));
}

TEST(PlanStableReleaseTest, RejectsPreReleasesEmptyMatricesAndNoPreview) {
  EXPECT_THAT(PlanStableRelease(RealVersions(), "2.5.0rc1", ReleaseBuilds()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected a final version")));
  EXPECT_THAT(PlanStableRelease(RealVersions(), "two", ReleaseBuilds()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PlanStableRelease(RealVersions(), "2.5.0", {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("matrix is empty")));
  PublishedVersions no_preview = RealVersions();
  no_preview.releases.erase(no_preview.releases.begin());
  EXPECT_THAT(PlanStableRelease(no_preview, "2.5.0", ReleaseBuilds()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// -----------------------------------------------------------------------------
// Matrix documents and the quick-start module

TEST(MatrixInstallsTest, ReadsABuildMatrixDocumentAndInfersTheOs) {
  absl::StatusOr<std::vector<MatrixInstall>> builds = ParseMatrixInstalls(
      R"({"include": [
        {"python_version": "3.10", "gpu_arch_type": "rocm",
         "gpu_arch_version": "7.14", "desired_cuda": "rocm7.14",
         "package_type": "manywheel", "installation": "pip3 install torch",
         "channel": "release", "stable_version": "2.13.0"},
        {"gpu_arch_type": "cpu", "gpu_arch_version": "", "desired_cuda": "cpu",
         "package_type": "wheel", "validation_runner": "macos-m1-stable",
         "installation": "pip3 install torch"}]})",
      "m.json");
  ASSERT_THAT(builds, IsOk());
  ASSERT_EQ(builds->size(), 2u);
  EXPECT_EQ((*builds)[0].os, "linux");
  EXPECT_EQ((*builds)[0].gpu_arch_version, "7.14");
  EXPECT_EQ((*builds)[0].stable_version, "2.13.0");
  EXPECT_EQ((*builds)[1].os, "macos");
  EXPECT_THAT(
      ParseMatrixInstalls(R"({"include": [{"package_type": 1}]})", "m.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("m.json: $.include[0].package_type")));
  EXPECT_THAT(
      ParseMatrixInstalls("{\"include\": [\n", "m.json"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("m.json:2:")));
}

TEST(QuickStartTest, KeysEveryPreviewAndStableCellInFileOrder) {
  PublishedVersions pv = RealVersions();
  auto matrix = QuickStartInstallMatrix(pv);
  ASSERT_THAT(matrix, IsOk());
  size_t cells = 0;
  for (const char* name : {"preview", "1.13.0"}) {
    for (const OsOptions& os : pv.Find(name)->systems) {
      for (const PackageManagerOptions& pm : os.package_managers) {
        cells += pm.options.size();
      }
    }
  }
  ASSERT_EQ(matrix->size(), cells);
  EXPECT_EQ((*matrix)[0].first, "preview,pip,linux,accnone,python");
  EXPECT_EQ((*matrix)[0].second,
            "pip3 install --pre torch torchvision torchaudio --extra-index-url "
            "https://download.pytorch.org/whl/nightly/cpu");
  EXPECT_THAT(*matrix,
              Contains(Pair("stable,libtorch,windows,rocm5.x,cplusplus",
                            "<b>NOTE:</b> ROCm is not available on Windows")));
  EXPECT_THAT(
      *matrix,
      Contains(Pair(
          "preview,libtorch,linux,accnone,cplusplus",
          "Download here (Pre-cxx11 ABI):<br /><a "
          "href='https://download.pytorch.org/libtorch/nightly/cpu/"
          "libtorch-shared-with-deps-latest.zip'>https://download.pytorch.org/"
          "libtorch/nightly/cpu/libtorch-shared-with-deps-latest.zip</a><br />"
          "Download here (cxx11 ABI):<br /><a "
          "href='https://download.pytorch.org/libtorch/nightly/cpu/"
          "libtorch-cxx11-abi-shared-with-deps-latest.zip'>https://"
          "download.pytorch.org/libtorch/nightly/cpu/"
          "libtorch-cxx11-abi-shared-with-deps-latest.zip</a>")));
  EXPECT_THAT(*matrix, Contains(Pair("stable,pip,macos,cuda.x,python",
                                     "# MacOS Binaries dont support CUDA, "
                                     "install from source if CUDA is "
                                     "needed<br />pip3 install torch "
                                     "torchvision torchaudio")));
}

TEST(QuickStartTest, ModuleJsonHasVersionMatrixAndArchMap) {
  PublishedVersions pv = RealVersions();
  std::vector<AcceleratorSlot> slots = {{"accnone", "cpu", ""},
                                        {"rocm5.x", "rocm", "7.14"}};
  absl::StatusOr<std::string> json = QuickStartModuleJson(pv, slots);
  ASSERT_THAT(json, IsOk());
  rapidjson::Document doc;
  doc.Parse(json->c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["stable_version"].GetString(), "Stable (1.13.0)");
  EXPECT_TRUE(
      doc["install_matrix"].HasMember("stable,conda,linux,cuda.y,python"));
  EXPECT_STREQ(doc["acc_arch_map"]["rocm5.x"][1].GetString(), "7.14");

  pv.latest_stable = "9.9.9";
  EXPECT_THAT(
      QuickStartInstallMatrix(pv),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"9.9.9\"")));
}

}  // namespace
}  // namespace relkit
