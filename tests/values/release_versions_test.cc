#include "relkit/release_versions.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/version.h"
#include "testing/status_matchers.h"
#include "testing/test_data.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// The file as pytorch/test-infra writes it, at one state of its history:
// the shebang, the reminder comment, then one `NAME=${NAME:-x}` per entry,
// in the entry's order.
std::string RenderHistoryEntry(const rapidjson::Value& entry) {
  std::string text =
      "#!/usr/bin/env bash\n\n"
      "# Make sure to update these versions when doing a release first\n";
  for (const auto& m : entry.GetObject()) {
    const std::string name = m.name.GetString();
    if (name.size() < 8 || name.substr(name.size() - 8) != "_VERSION") {
      continue;
    }
    absl::StrAppend(&text, name, "=${", name, ":-", m.value.GetString(), "}\n");
  }
  return text;
}

TEST(ReleaseVersionsTest, EveryStateOfTheHistoryRoundTripsByteForByte) {
  const rapidjson::Document history =
      testing::LoadTestJson("release_versions_sh_history.json");
  ASSERT_TRUE(history.IsArray());
  ASSERT_EQ(history.GetArray().Size(), 81u);
  for (const auto& entry : history.GetArray()) {
    SCOPED_TRACE(entry["commit"].GetString());
    const std::string text = RenderHistoryEntry(entry);
    absl::StatusOr<ReleaseVersionsFile> file =
        ReleaseVersionsFile::Parse(text, "release_versions.sh");
    ASSERT_THAT(file.status(), IsOk());
    EXPECT_EQ(file->ToString(), text);
    // Every variable of the entry, in order, with its value.
    std::vector<std::string> names;
    for (const auto& m : entry.GetObject()) {
      const std::string name = m.name.GetString();
      if (name.size() < 8 || name.substr(name.size() - 8) != "_VERSION") {
        continue;
      }
      names.push_back(name);
      EXPECT_EQ(file->Get(name), std::string(m.value.GetString()));
    }
    ASSERT_THAT(file->assignments(), SizeIs(names.size()));
    for (size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(file->assignments()[i].variable, names[i]);
      EXPECT_EQ(file->assignments()[i].line, static_cast<int>(i) + 4);
    }
    // Setting every value to itself changes nothing.
    for (const std::string& name : names) {
      ASSERT_THAT(file->SetValue(name, *file->Get(name)), IsOk());
    }
    EXPECT_EQ(file->ToString(), text);
    // Every known variable becomes a package of the set.
    const ReleaseSet set = file->ToReleaseSet();
    const PackageVersion* torch = set.Find("torch");
    ASSERT_NE(torch, nullptr);
    EXPECT_EQ(torch->version.ToString(), entry["PYTORCH_VERSION"].GetString());
  }
}

TEST(ReleaseVersionsTest, TheHistorysFormerNamesAndBadVersionAreReported) {
  const rapidjson::Document history =
      testing::LoadTestJson("release_versions_sh_history.json");
  ASSERT_TRUE(history.IsArray());
  // pytorch/builder 2024-02: `FBGEMMGPU_VERSION=${FBGEMMGPU_VERSION:-0.6.0+}`.
  const auto& entry = history.GetArray()[9];
  ASSERT_STREQ(entry["FBGEMMGPU_VERSION"].GetString(), "0.6.0+");
  absl::StatusOr<ReleaseVersionsFile> file =
      ReleaseVersionsFile::Parse(RenderHistoryEntry(entry));
  ASSERT_THAT(file.status(), IsOk());
  const ReleaseSet set = file->ToReleaseSet();
  EXPECT_EQ(set.Find("fbgemm-gpu"), nullptr);  // not silently used
  std::vector<ReleaseProblemKind> kinds;
  for (const ReleaseProblem& p : set.problems()) kinds.push_back(p.kind);
  EXPECT_THAT(kinds, ::testing::Contains(ReleaseProblemKind::kInvalidVersion));
  EXPECT_THAT(kinds,
              ::testing::Contains(ReleaseProblemKind::kFormerVariableName));
}

TEST(ReleaseVersionsTest, TheHistorysFbgemmDowngradeIsReported) {
  const rapidjson::Document history =
      testing::LoadTestJson("release_versions_sh_history.json");
  ASSERT_TRUE(history.IsArray());
  // pytorch/test-infra 2026-08-10: FBGEMM_GPU_VERSION 1.8.0 -> 1.7.0.
  std::vector<std::string> went_back;
  std::optional<ReleaseSet> previous;
  for (const auto& entry : history.GetArray()) {
    absl::StatusOr<ReleaseVersionsFile> file =
        ReleaseVersionsFile::Parse(RenderHistoryEntry(entry));
    ASSERT_THAT(file.status(), IsOk());
    ReleaseSet set = file->ToReleaseSet();
    if (previous.has_value()) {
      for (const ReleaseProblem& p : CompareReleaseSets(*previous, set)) {
        went_back.push_back(
            absl::StrCat(entry["commit"].GetString(), " ", p.message));
      }
    }
    previous = std::move(set);
  }
  EXPECT_THAT(went_back, ElementsAre("030feb596f3d7364d99d1276a8e79942267957e7 "
                                     "fbgemm-gpu went back from 1.8.0 to 1.7.0 "
                                     "(FBGEMM_GPU_VERSION)"));
}

constexpr char kCurrent[] =
    "#!/usr/bin/env bash\r\n"
    "\n"
    "# Make sure to update these versions when doing a release first\n"
    "PYTORCH_VERSION=${PYTORCH_VERSION:-2.12.1}\n"
    "  TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.27.1}   # vision\n"
    "export TORCHAUDIO_VERSION=\"${TORCHAUDIO_VERSION:-2.11.0}\"\n"
    "TORCH_TENSORRT_VERSION=${TORCH_TENSORRT_VERSION:-2.13.0}\n"
    "TORCH_TENSORRT_RTX_VERSION=${TORCH_TENSORRT_RTX_VERSION:-${TORCH_"
    "TENSORRT_VERSION}}\n"
    "FBGEMM_GPU_VERSION=${FBGEMM_GPU_VERSION-1.8.0}\n"
    "FBGEMM_GPU_GENAI_VERSION=$FBGEMM_GPU_VERSION\n"
    "\t# indented comment\n"
    "MSLK_VERSION=1.3.0";  // no final newline

TEST(ReleaseVersionsTest, KeepsSpacingCommentsQuotesAndLineEndings) {
  absl::StatusOr<ReleaseVersionsFile> file =
      ReleaseVersionsFile::Parse(kCurrent, "release_versions.sh");
  ASSERT_THAT(file.status(), IsOk());
  EXPECT_EQ(file->ToString(), kCurrent);
  ASSERT_THAT(file->assignments(), SizeIs(8));
  EXPECT_TRUE(file->assignments()[2].exported);
  EXPECT_EQ(file->assignments()[4].alias_of, "TORCH_TENSORRT_VERSION");
  EXPECT_EQ(file->assignments()[6].alias_of, "FBGEMM_GPU_VERSION");
  EXPECT_EQ(file->assignments()[7].reads, "");

  const ReleaseSet set = file->ToReleaseSet();
  EXPECT_THAT(set.problems(), IsEmpty());
  std::vector<std::string> packages;
  for (const PackageVersion& p : set.packages())
    packages.push_back(p.ToString());
  EXPECT_THAT(
      packages,
      ElementsAre("fbgemm-gpu==1.8.0", "fbgemm-gpu-genai==1.8.0", "mslk==1.3.0",
                  "torch==2.12.1", "torch-tensorrt==2.13.0",
                  "torch-tensorrt-rtx==2.13.0", "torchaudio==2.11.0",
                  "torchvision==0.27.1"));
}

TEST(ReleaseVersionsTest, SetValueChangesOnlyTheDefaultsBytes) {
  absl::StatusOr<ReleaseVersionsFile> file =
      ReleaseVersionsFile::Parse(kCurrent);
  ASSERT_THAT(file.status(), IsOk());
  ASSERT_THAT(file->SetValue("TORCHVISION_VERSION", "0.28.0"), IsOk());
  ASSERT_THAT(file->SetValue("TORCHAUDIO_VERSION", "2.12.0rc1"), IsOk());
  ASSERT_THAT(file->SetValue("TORCH_TENSORRT_RTX_VERSION", "2.13.1"), IsOk());
  std::string expected = kCurrent;
  auto replace = [&](const std::string& from, const std::string& to) {
    const size_t at = expected.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    expected.replace(at, from.size(), to);
  };
  replace(":-0.27.1}   # vision", ":-0.28.0}   # vision");
  replace(":-2.11.0}\"", ":-2.12.0rc1}\"");
  replace(":-${TORCH_TENSORRT_VERSION}}", ":-2.13.1}");
  EXPECT_EQ(file->ToString(), expected);
  EXPECT_EQ(file->ToReleaseSet().Find("torch-tensorrt-rtx")->version.ToString(),
            "2.13.1");

  EXPECT_THAT(file->SetValue("TORCHTEXT_VERSION", "0.18.0"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("TORCHTEXT")));
  for (const char* bad : {"", "1.0 2", "1.0}", "$X", "1\"", "1#", "a\nb"}) {
    EXPECT_THAT(file->SetValue("PYTORCH_VERSION", bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

TEST(ReleaseVersionsTest, ReportsMisspelledUnknownAndMisreadVariables) {
  absl::StatusOr<ReleaseVersionsFile> file = ReleaseVersionsFile::Parse(
      "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1}\n"
      "TORCHVISON_VERSION=${TORCHVISON_VERSION:-0.19.1}\n"
      "TORCHAUDIO_VERSION=${TORCHVISION_VERSION:-2.4.1}\n"
      "TENSORRT_VERSION=${TENSORRT_VERSION:-2.2.0}\n"
      "TORCH_TENSORRT_VERSION=${TORCH_TENSORRT_VERSION:-2.4.0}\n"
      "FBGEMM_GPU_GENAI_VERSION=${FBGEMM_GPU_GENAI_VERSION:-${NOPE}}\n"
      "TORCHAO_VERSION=${TORCHAO_VERSION:-latest}\n"
      "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.0}\n"
      "DRY_RUN=${DRY_RUN:-enabled}\n");
  ASSERT_THAT(file.status(), IsOk());
  const ReleaseSet set = file->ToReleaseSet();
  std::vector<std::string> problems;
  for (const ReleaseProblem& p : set.problems()) {
    problems.push_back(
        absl::StrCat(ReleaseProblemKindName(p.kind), " ", p.ToString()));
  }
  EXPECT_THAT(
      problems,
      ElementsAre(
          "unknown-variable line 2: unknown variable TORCHVISON_VERSION: not "
          "used (did you mean TORCHVISION_VERSION?)",
          "mismatched-default line 3: TORCHAUDIO_VERSION=${TORCHVISION_"
          "VERSION:-...} reads another variable than it sets",
          "former-variable-name line 4: TENSORRT_VERSION is the former name "
          "of TORCH_TENSORRT_VERSION",
          "duplicate-package line 5: TORCH_TENSORRT_VERSION and "
          "TENSORRT_VERSION (line 4) both set torch-tensorrt; the later line "
          "is used",
          "unresolved-alias line 6: FBGEMM_GPU_GENAI_VERSION refers to NOPE, "
          "which no earlier line sets",
          "invalid-version line 7: TORCHAO_VERSION=\"latest\" is not a PEP "
          "440 version",
          "duplicate-variable line 8: PYTORCH_VERSION is set again (first on "
          "line 1); the shell uses this later value",
          "unknown-variable line 9: unknown variable DRY_RUN: not used"));
  EXPECT_EQ(set.Find("torchvision"), nullptr);
  EXPECT_EQ(set.Find("torchao"), nullptr);
  EXPECT_EQ(set.Find("fbgemm-gpu-genai"), nullptr);
  EXPECT_EQ(set.Find("torch")->version.ToString(), "2.4.0");
  EXPECT_EQ(set.Find("torch_tensorrt")->version.ToString(), "2.4.0");
}

TEST(ReleaseVersionsTest, ComparesVersionsNumericallyNotAsText) {
  auto set = [](absl::string_view text) {
    return ReleaseVersionsFile::Parse(text)->ToReleaseSet();
  };
  const ReleaseSet before =
      set("PYTORCH_VERSION=2.4.9\nTORCHVISION_VERSION=0.19.1\nTORCHAO_VERSION="
          "0.5\n");
  EXPECT_THAT(CompareReleaseSets(before, set("PYTORCH_VERSION=2.4.10\n"
                                             "TORCHVISION_VERSION=0.19.1\n")),
              IsEmpty());
  EXPECT_THAT(CompareReleaseSets(before, set("PYTORCH_VERSION=2.4.9rc1\n"
                                             "TORCHVISION_VERSION=0.19.0\n")),
              ElementsAre(Field(&ReleaseProblem::message,
                                "torch went back from 2.4.9 to 2.4.9rc1 "
                                "(PYTORCH_VERSION)"),
                          Field(&ReleaseProblem::message,
                                "torchvision went back from 0.19.1 to 0.19.0 "
                                "(TORCHVISION_VERSION)")));
}

TEST(ReleaseVersionsTest, MalformedInputNamesFileLineAndColumn) {
  struct Case {
    const char* text;
    const char* where;
  };
  for (const Case& c : std::vector<Case>{
           {"A=1\nsource other.sh\n", "f.sh:2:7: expected '='"},
           {"A=${A:-1.0\n", "f.sh:1:11: expected '}' after the default"},
           {"A=${A:-}\n", "f.sh:1:8: expected a default value"},
           {"A=${A?x}\n", "f.sh:1:6: expected ':-' or '}'"},
           {"A=\n", "f.sh:1:3: expected a value"},
           {"A=1 2\n", "f.sh:1:5: unexpected text after the value"},
           {"A=1#x\n", "f.sh:1:4: unexpected text after the value"},
           {"A=\"1\n", "f.sh:1:5: expected the closing"},
           {"\n\n  if [ x ]; then\n", "f.sh:3:5: expected '='"},
           {"=1\n", "f.sh:1:1: expected a comment or NAME=VALUE"},
       }) {
    EXPECT_THAT(
        ReleaseVersionsFile::Parse(c.text, "f.sh").status(),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.where)))
        << c.text;
  }
  absl::StatusOr<ReleaseVersionsFile> nul =
      ReleaseVersionsFile::Parse(absl::string_view("A=1\0\n", 5), "f.sh");
  EXPECT_THAT(nul.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("f.sh:1:4: NUL byte")));
}

TEST(ReleaseVersionsTest, EmptyFileIsAnEmptySet) {
  absl::StatusOr<ReleaseVersionsFile> file = ReleaseVersionsFile::Parse("");
  ASSERT_THAT(file.status(), IsOk());
  EXPECT_EQ(file->ToString(), "");
  EXPECT_THAT(file->ToReleaseSet().packages(), IsEmpty());
}

}  // namespace
}  // namespace relkit
