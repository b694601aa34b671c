#include "relkit/compat_matrix.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "internal/markdown.h"
#include "testing/status_matchers.h"
#include "testing/test_data.h"

namespace relkit {
namespace {

using ::relkit::internal::SplitMarkdownRow;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::LoadTestJson;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) + "/" + name);
  EXPECT_TRUE(in) << "cannot open " << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const CompatibilityMatrix& Defaults() {
  static const CompatibilityMatrix* m = [] {
    absl::StatusOr<CompatibilityMatrix> d = CompatibilityMatrix::Default();
    EXPECT_THAT(d, IsOk());
    return new CompatibilityMatrix(d.ok() ? *d : CompatibilityMatrix());
  }();
  return *m;
}

const MatrixRow& Row(absl::string_view release) {
  const MatrixRow* row = Defaults().Find(release);
  if (row == nullptr) {
    ADD_FAILURE() << "no row " << release;
    static const MatrixRow empty;
    return empty;
  }
  return *row;
}

TEST(CompatMatrixTest, DefaultHasReleases112To214NewestFirst) {
  std::vector<std::string> releases;
  for (const MatrixRow& r : Defaults().rows()) releases.push_back(r.release);
  EXPECT_THAT(releases,
              ElementsAre("2.14", "2.13", "2.12", "2.11", "2.10", "2.9", "2.8",
                          "2.7", "2.6", "2.5", "2.4", "2.3", "2.2", "2.1",
                          "2.0", "1.13", "1.12"));
}

TEST(CompatMatrixTest, FindAcceptsPatchAndTagSpellings) {
  ASSERT_NE(Defaults().Find("2.4.1"), nullptr);
  EXPECT_EQ(Defaults().Find("2.4.1")->release, "2.4");
  ASSERT_NE(Defaults().Find("v2.10.0"), nullptr);
  EXPECT_EQ(Defaults().Find("v2.10.0")->release, "2.10");
  EXPECT_EQ(Defaults().Find("2.15"), nullptr);
  EXPECT_EQ(Defaults().Find("not a version"), nullptr);
}

// RELEASE.md: 2.4 | >=3.8, <=3.12 | CUDA 11.8, CUDA 12.1, CUDNN 9.1.0.70 |
// CUDA 12.4, CUDNN 9.1.0.70 | ROCm 6.1
TEST(CompatMatrixTest, Release24FromTheTable) {
  const MatrixRow& r = Row("2.4");
  EXPECT_EQ(r.python.ToString(), "<=3.12,>=3.8");
  EXPECT_THAT(r.experimental_python, IsEmpty());
  EXPECT_EQ(r.cxx_standard, "C++17");
  ASSERT_EQ(r.stable_cuda.size(), 2u);
  EXPECT_EQ(r.stable_cuda[0].version, "11.8");
  EXPECT_EQ(r.stable_cuda[0].cudnn, "9.1.0.70");
  EXPECT_EQ(r.stable_cuda[1].version, "12.1");
  EXPECT_EQ(r.stable_cuda[1].cudnn, "9.1.0.70");
  ASSERT_EQ(r.experimental_cuda.size(), 1u);
  EXPECT_EQ(r.experimental_cuda[0].version, "12.4");
  EXPECT_THAT(r.stable_rocm, ElementsAre("6.1"));
  EXPECT_EQ(r.cudnn_notation, CudnnNotation::kShared);
}

TEST(CompatMatrixTest, PythonStatusUsesRangeAndExperimentalList) {
  EXPECT_THAT(Row("2.4").PythonStatus("3.12"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.4").PythonStatus("3.12.4"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.4").PythonStatus("3.8"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.4").PythonStatus("3.7"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  EXPECT_THAT(Row("2.4").PythonStatus("3.13"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  // 2.3 | >=3.8, <=3.11, (3.12 experimental)
  EXPECT_THAT(Row("2.3").PythonStatus("3.12"),
              IsOkAndHolds(SupportStatus::kExperimental));
  EXPECT_THAT(Row("2.3").PythonStatus("3.11"),
              IsOkAndHolds(SupportStatus::kStable));
  // 2.8 | >=3.9, <=3.13, (3.13t experimental)
  EXPECT_THAT(Row("2.8").PythonStatus("3.13"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.8").PythonStatus("3.13t"),
              IsOkAndHolds(SupportStatus::kExperimental));
  // 2.14 | >=3.10, <=(3.15, 3.15t experimental)
  EXPECT_THAT(Row("2.14").PythonStatus("3.15"),
              IsOkAndHolds(SupportStatus::kExperimental));
  EXPECT_THAT(Row("2.14").PythonStatus("3.15t"),
              IsOkAndHolds(SupportStatus::kExperimental));
  EXPECT_THAT(Row("2.14").PythonStatus("3.14"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.14").PythonStatus("3.14t"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  EXPECT_THAT(Row("2.14").PythonStatus("3.9"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  EXPECT_THAT(Row("2.14").PythonStatus("3.16"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  EXPECT_THAT(
      Row("2.14").PythonStatus("python3"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("python3")));
}

TEST(CompatMatrixTest, PythonVersionsListsRangeThenExperimental) {
  EXPECT_THAT(
      Row("2.14").PythonVersions(),
      ElementsAre("3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "3.15t"));
  EXPECT_THAT(Row("1.12").PythonVersions(),
              ElementsAre("3.7", "3.8", "3.9", "3.10"));
}

TEST(CompatMatrixTest, CudaAndRocmStatus) {
  EXPECT_THAT(Row("2.4").CudaStatus("12.1"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.4").CudaStatus("12.4"),
              IsOkAndHolds(SupportStatus::kExperimental));
  EXPECT_THAT(Row("2.4").CudaStatus("12.4.1"),
              IsOkAndHolds(SupportStatus::kExperimental));
  EXPECT_THAT(Row("2.4").CudaStatus("12.6"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  EXPECT_THAT(Row("2.4").CudaStatus("cuda"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // 2.6 | ROCm 6.2.4
  EXPECT_THAT(Row("2.6").RocmStatus("6.2.4"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.6").RocmStatus("6.2"),
              IsOkAndHolds(SupportStatus::kStable));
  EXPECT_THAT(Row("2.6").RocmStatus("6.3"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  // ROCm 7.14 is a newer line than 7.2, not "7.1".
  EXPECT_THAT(Row("2.14").RocmStatus("7.1"),
              IsOkAndHolds(SupportStatus::kUnsupported));
  EXPECT_THAT(Row("2.14").RocmStatus("7.14"),
              IsOkAndHolds(SupportStatus::kStable));
}

// 2.14 | C++20 | CUDA 12.6 (CUDNN 9.10.2.21) (NCCL 2.29.3), CUDA 13.0 (CUDNN
// 9.24.0.43) (NCCL 2.30.7), CUDA 13.2 (...) | -- | ROCm 7.14
TEST(CompatMatrixTest, NewerLayoutKeepsCxxNcclAndArches) {
  const MatrixRow& r = Row("2.14");
  EXPECT_EQ(r.cxx_standard, "C++20");
  EXPECT_EQ(r.cudnn_notation, CudnnNotation::kPerEntry);
  ASSERT_EQ(r.stable_cuda.size(), 3u);
  EXPECT_EQ(r.stable_cuda[0].version, "12.6");
  EXPECT_EQ(r.stable_cuda[0].cudnn, "9.10.2.21");
  EXPECT_EQ(r.stable_cuda[0].nccl, "2.29.3");
  EXPECT_EQ(r.stable_cuda[1].nccl, "2.30.7");
  EXPECT_THAT(r.experimental_cuda, IsEmpty());
  EXPECT_EQ(r.empty_cuda_text, "--");
  // "For Release 2.12, 2.13 and 2.14": 12.6.3 Maxwell(5.0) ... Hopper(9.0).
  EXPECT_EQ(r.stable_cuda[0].full_version, "12.6.3");
  EXPECT_THAT(r.stable_cuda[0].arches_x86_64,
              ElementsAre("5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0"));
  EXPECT_THAT(r.stable_cuda[0].arches_aarch64, ElementsAre("8.0", "9.0"));
  EXPECT_THAT(r.stable_cuda[1].arches_aarch64,
              ElementsAre("8.0", "9.0", "10.0", "11.0", "12.0+PTX"));
  // 2.13's experimental CUDA 13.2 gets the 13.2.1 arches; 2.11 is out of scope.
  ASSERT_EQ(Row("2.13").experimental_cuda.size(), 1u);
  EXPECT_EQ(Row("2.13").experimental_cuda[0].full_version, "13.2.1");
  EXPECT_THAT(Row("2.11").stable_cuda[0].arches_x86_64, IsEmpty());
  EXPECT_EQ(Row("2.11").stable_cuda[0].full_version, std::nullopt);
}

TEST(CompatMatrixTest, MixedAndSharedCudnnSpellings) {
  // 2.6 | CUDA 11.8, CUDA 12.4 (CUDNN 9.1.0.70)
  const MatrixRow& r26 = Row("2.6");
  ASSERT_EQ(r26.stable_cuda.size(), 2u);
  EXPECT_EQ(r26.stable_cuda[0].cudnn, std::nullopt);
  EXPECT_EQ(r26.stable_cuda[1].cudnn, "9.1.0.70");
  EXPECT_EQ(r26.StableCudaCell(), "CUDA 11.8, CUDA 12.4 (CUDNN 9.1.0.70)");
  // 2.5 | CUDA 11.8, CUDA 12.1, CUDA 12.4, CUDNN 9.1.0.70 | None
  const MatrixRow& r25 = Row("2.5");
  ASSERT_EQ(r25.stable_cuda.size(), 3u);
  for (const CudaEntry& e : r25.stable_cuda) EXPECT_EQ(e.cudnn, "9.1.0.70");
  EXPECT_EQ(r25.ExperimentalCudaCell(), "None");
  EXPECT_EQ(r25.PythonCell(), ">=3.9, <=3.12, (3.13 experimental)");
}

TEST(CompatMatrixTest, DiffNamesAddedAndDroppedItems) {
  absl::StatusOr<MatrixDiff> d = Defaults().Diff("2.3", "2.4");
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(
      d->Summary(),
      "2.4 adds Python 3.12, CUDA 12.1, CUDA 12.4 experimental, ROCm 6.1; "
      "drops ROCm 6.0");
  ASSERT_FALSE(d->changes.empty());
  EXPECT_EQ(
      d->changes[0],
      (MatrixChange{MatrixChange::Kind::kPython, "Python 3.12",
                    SupportStatus::kExperimental, SupportStatus::kStable}));
  // 2.4 -> 2.5: 3.8 dropped, 3.9 kept, 3.13 experimental; CUDA 12.4 promoted.
  absl::StatusOr<MatrixDiff> d2 = Defaults().Diff("2.4", "2.5.0");
  ASSERT_THAT(d2, IsOk());
  EXPECT_EQ(d2->Summary(),
            "2.5 adds Python 3.13 experimental, CUDA 12.4, ROCm 6.2; drops "
            "Python 3.8, ROCm 6.1");
  // The C++ standard changes between 2.12 and 2.13.
  absl::StatusOr<MatrixDiff> d3 = Defaults().Diff("2.12", "2.13");
  ASSERT_THAT(d3, IsOk());
  EXPECT_THAT(d3->Summary(), HasSubstr("C++20"));
  EXPECT_THAT(Defaults().Diff("2.4", "2.4"),
              IsOkAndHolds(::testing::Field(&MatrixDiff::changes, IsEmpty())));
  EXPECT_THAT(Defaults().Diff("2.4", "9.9"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("9.9")));
}

TEST(CompatMatrixTest, ReleasesSupportingAPython) {
  EXPECT_THAT(Defaults().ReleasesSupportingPython("3.7"),
              ElementsAre("1.12", "1.13"));
  EXPECT_THAT(Defaults().ReleasesSupportingPython("3.8"),
              ElementsAre("1.12", "1.13", "2.0", "2.1", "2.2", "2.3", "2.4"));
  EXPECT_THAT(Defaults().ReleasesSupportingPython("3.13t"), IsEmpty());
  EXPECT_THAT(Defaults().ReleasesSupportingPython("3.13t", true),
              ElementsAre("2.6", "2.7", "2.8"));
  EXPECT_THAT(Defaults().ReleasesSupportingPython("3.12", true),
              ElementsAre("2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8",
                          "2.9", "2.10", "2.11", "2.12", "2.13", "2.14"));
}

// The table lines of tests/data/release_md_seed.md (RELEASE_PROCESS.txt).
std::string SeedTableLines() {
  std::vector<std::string> lines =
      absl::StrSplit(ReadTestFile("release_md_seed.md"), '\n');
  std::string out;
  for (size_t i = 1; i <= 9 && i < lines.size(); ++i)
    absl::StrAppend(&out, lines[i], "\n");
  return out;
}

TEST(CompatMatrixTest, SeedTableRoundTripsUnchanged) {
  absl::StatusOr<CompatibilityMatrix> seed = CompatibilityMatrix::FromMarkdown(
      ReadTestFile("release_md_seed.md"), "release_md_seed.md");
  ASSERT_THAT(seed, IsOk());
  ASSERT_EQ(seed->rows().size(), 7u);
  EXPECT_EQ(seed->rows()[0].cxx_standard, std::nullopt);
  const std::string expected = SeedTableLines();
  ASSERT_THAT(expected, HasSubstr("2.4 | >=3.8, <=3.12 |"));
  EXPECT_EQ(seed->ToMarkdown(MarkdownLayout::kSeed), expected);
}

TEST(CompatMatrixTest, SeedRowsAgreeWithTheNewerTable) {
  absl::StatusOr<CompatibilityMatrix> seed = CompatibilityMatrix::FromMarkdown(
      ReadTestFile("release_md_seed.md"), "release_md_seed.md");
  ASSERT_THAT(seed, IsOk());
  for (MatrixRow row : seed->rows()) {
    MatrixRow newer = Row(row.release);
    newer.cxx_standard.reset();
    EXPECT_EQ(row, newer) << row.release;
  }
}

std::string CollapseSpaces(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

TEST(CompatMatrixTest, NewerTableRoundTripsUpToSpacing) {
  const std::string md = ReadTestFile("release_md_tables.md");
  std::vector<std::string> lines = absl::StrSplit(md, '\n');
  std::string expected;
  bool in_table = false;
  for (const std::string& l : lines) {
    if (absl::StartsWith(l, "| PyTorch version")) in_table = true;
    if (in_table && l.empty()) break;
    if (in_table) absl::StrAppend(&expected, CollapseSpaces(l), "\n");
  }
  ASSERT_THAT(expected, HasSubstr("| 1.12 |"));
  EXPECT_EQ(Defaults().ToMarkdown(MarkdownLayout::kCurrent), expected);
}

// release_md_tables.json is a separate cell-by-cell extraction of the same
// RELEASE.md: every cell must render back to its text.
TEST(CompatMatrixTest, CellsMatchTheJsonExtraction) {
  rapidjson::Document doc = LoadTestJson("release_md_tables.json");
  ASSERT_TRUE(doc.HasMember("compatibility_matrix"));
  size_t n = 0;
  for (const auto& j : doc["compatibility_matrix"].GetArray()) {
    const MatrixRow& r = Row(j["pytorch"].GetString());
    auto stripped = [](const char* s) {
      return std::string(absl::StripAsciiWhitespace(s));
    };
    EXPECT_EQ(r.PythonCell(), stripped(j["python"].GetString()));
    EXPECT_EQ(r.cxx_standard.value_or(""), stripped(j["cxx"].GetString()));
    EXPECT_EQ(r.StableCudaCell(), stripped(j["stable_cuda"].GetString()));
    EXPECT_EQ(r.ExperimentalCudaCell(),
              stripped(j["experimental_cuda"].GetString()));
    EXPECT_EQ(r.RocmCell(), stripped(j["stable_rocm"].GetString()));
    ++n;
  }
  EXPECT_EQ(n, 17u);
}

TEST(CompatMatrixTest, JsonRoundTrip) {
  absl::StatusOr<CompatibilityMatrix> back =
      CompatibilityMatrix::FromJson(Defaults().ToJson(), "matrix.json");
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, Defaults());
  absl::StatusOr<CompatibilityMatrix> compact =
      CompatibilityMatrix::FromJson(Defaults().ToJson(false), "matrix.json");
  ASSERT_THAT(compact, IsOk());
  EXPECT_EQ(*compact, Defaults());
  EXPECT_EQ(Defaults().ToJson(false).find('\n'), std::string::npos);
}

TEST(CompatMatrixTest, JsonOfTheWrongShapeNamesFileAndPath) {
  EXPECT_THAT(CompatibilityMatrix::FromJson("{\"releases\": {}}", "m.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("m.json: $.releases: expected an array")));
  EXPECT_THAT(
      CompatibilityMatrix::FromJson(
          R"({"releases": [{"release": "2.4", "python": ">=3.8", "experimental_python": [],
              "cxx": null, "stable_cuda": [{"version": 11.8}], "experimental_cuda": [],
              "stable_rocm": []}]})",
          "m.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("m.json: $.releases[0].stable_cuda[0].version")));
  EXPECT_THAT(CompatibilityMatrix::FromJson(
                  R"({"releases": [{"release": "2.4", "python": ">=>3.8"}]})",
                  "m.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("$.releases[0].python")));
  EXPECT_THAT(
      CompatibilityMatrix::FromJson("{\"releases\": [", "m.json"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("m.json:1:")));
}

// Found by fuzz/compat_matrix_json_fuzz.cc: a CUDA version of only digits and
// dots but too large for a Version was accepted, and then CudaStatus could
// not find the version the row lists.
TEST(CompatMatrixTest, RejectsVersionNumbersTooLargeToCompare) {
  const std::string huge = "13.066666666666666666666666666666";
  EXPECT_THAT(
      CompatibilityMatrix::FromJson(
          absl::StrCat(R"({"releases": [{"release": "2.4", "python": ">=3.8",
              "experimental_python": [], "cxx": null,
              "stable_cuda": [{"version": ")",
                       huge, R"("}],
              "experimental_cuda": [], "stable_rocm": []}]})"),
          "m.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("m.json: $.releases[0].stable_cuda[0].version")));
  EXPECT_THAT(
      CompatibilityMatrix::FromMarkdown(
          absl::StrCat(
              "PyTorch version | Python | Stable CUDA | Experimental "
              "CUDA | Stable ROCm |\n---|---|---|---|---|\n2.4 | >=3.8 | "
              "CUDA ",
              huge, " | None | ROCm 6.1 |\n"),
          "RELEASE.md"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("RELEASE.md:3:")));
}

// Found by fuzz/compat_matrix_markdown_fuzz.cc: with two "<=" bounds on the
// first experimental version, the cell inlined the experimental list twice,
// and reading it back listed every experimental version twice.
TEST(CompatMatrixTest, PythonCellInlinesTheExperimentalListOnce) {
  absl::StatusOr<CompatibilityMatrix> m = CompatibilityMatrix::FromMarkdown(
      "| PyTorch version | Python | C++ | Stable CUDA | Experimental CUDA | "
      "Stable ROCm |\n"
      "| --- | --- | --- | --- | --- | --- |\n"
      "| 2.13 | <=3.15, <=(3.15, 3.15t experimental) | C++20 | CUDA 12.6 | -- "
      "| ROCm 7.2 |\n",
      "RELEASE.md");
  ASSERT_THAT(m, IsOk());
  const MatrixRow& row = m->rows().front();
  EXPECT_THAT(row.experimental_python, ElementsAre("3.15", "3.15t"));
  EXPECT_EQ(row.PythonCell(), "<=(3.15, 3.15t experimental), <=3.15");
  absl::StatusOr<CompatibilityMatrix> again =
      CompatibilityMatrix::FromMarkdown(m->ToMarkdown(), "again.md");
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *m);
}

// Found by fuzz/compat_matrix_markdown_fuzz.cc: "2.6" and "2.06" were two
// rows in Markdown (compared as text) but one release for Find and FromJson.
TEST(CompatMatrixTest, RowsOfTheSameMinorReleaseAreListedTwice) {
  const std::string table =
      "PyTorch version | Python | Stable CUDA | Experimental CUDA | Stable "
      "ROCm |\n"
      "---|---|---|---|---|\n"
      "2.6 | >=3.9 | CUDA 12.4 | None | ROCm 6.2 |\n";
  for (const char* again : {"2.06", "2.6.1"}) {
    EXPECT_THAT(CompatibilityMatrix::FromMarkdown(
                    absl::StrCat(table, again,
                                 " | >=3.9 | CUDA 12.4 | None | ROCm 6.2 |\n"),
                    "RELEASE.md"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("RELEASE.md:4: release ")))
        << again;
  }
  absl::StatusOr<CompatibilityMatrix> m =
      CompatibilityMatrix::FromMarkdown(table, "RELEASE.md");
  ASSERT_THAT(m, IsOk());
  MatrixRow other = m->rows().front();
  other.release = "2.6.1";
  EXPECT_THAT(
      CompatibilityMatrix::FromRows({m->rows().front(), other}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("listed twice")));
}

TEST(CompatMatrixTest, MalformedMarkdownNamesFileAndLine) {
  const std::string header =
      "Intro text\n"
      "PyTorch version | Python | Stable CUDA | Experimental CUDA | Stable "
      "ROCm |\n"
      "---|---|---|---|---|\n";
  EXPECT_THAT(
      CompatibilityMatrix::FromMarkdown(
          header + "2.4 | >=3.8 | CUDA 11.8 | ROCm 6.1 |\n", "RELEASE.md"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("RELEASE.md:4: expected 5 cells, got 4")));
  EXPECT_THAT(CompatibilityMatrix::FromMarkdown(
                  header + "2.4 | >=3.8 | CUDA 11.8 | None | ROCm 6.1 |\n"
                           "2.3 | >=3.8 | CUDA eleven | None | ROCm 6.0 |\n",
                  "RELEASE.md"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("RELEASE.md:5: Stable CUDA cell: invalid CUDA "
                                 "version \"eleven\"")));
  EXPECT_THAT(
      CompatibilityMatrix::FromMarkdown(
          header + "2.4 | >=3.8, (3.12 beta) | CUDA 11.8 | None | ROCm 6.1 |\n",
          "RELEASE.md"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("RELEASE.md:4: Python cell")));
  EXPECT_THAT(CompatibilityMatrix::FromMarkdown(
                  "PyTorch version | Python | Stable CUDA | Experimental CUDA "
                  "| Stable ROCm |\n"
                  "2.4 | >=3.8 | CUDA 11.8 | None | ROCm 6.1 |\n",
                  "RELEASE.md"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("RELEASE.md:2: expected a separator row")));
  EXPECT_THAT(
      CompatibilityMatrix::FromMarkdown("# Nothing here\n", "RELEASE.md"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("RELEASE.md: no compatibility matrix table")));
  EXPECT_THAT(
      CompatibilityMatrix::FromMarkdown(
          "| PyTorch version | Python | GPU | Stable CUDA |\n", "RELEASE.md"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("RELEASE.md:1: unexpected column \"GPU\"")));
  EXPECT_THAT(CompatibilityMatrix::FromMarkdown(
                  header + "2.4 | >=3.8 | CUDA 11.8 | None | ROCm 6.1 |\n"
                           "2.4 | >=3.8 | CUDA 11.8 | None | ROCm 6.1 |\n",
                  "RELEASE.md"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("RELEASE.md:5: release 2.4 is listed twice")));
}

TEST(CompatMatrixTest, SplitMarkdownRowTrimsCellsAndOptionalPipes) {
  EXPECT_THAT(SplitMarkdownRow("| a | b  |c|"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitMarkdownRow("a | b |"), ElementsAre("a", "b"));
  EXPECT_THAT(SplitMarkdownRow("a|b"), ElementsAre("a", "b"));
}

TEST(CompatMatrixTest, SplitMarkdownRowReadsAnEscapedPipeAsText) {
  EXPECT_THAT(SplitMarkdownRow(R"(| a \| b | c |)"), ElementsAre("a | b", "c"));
  EXPECT_THAT(SplitMarkdownRow(R"(| a | b \|)"), ElementsAre("a", "b |"));
  EXPECT_THAT(SplitMarkdownRow(R"(a\b | c)"), ElementsAre(R"(a\b)", "c"));
}

TEST(CompatMatrixTest, MarkdownCellKeepsOutsideTextInItsCell) {
  EXPECT_EQ(relkit::internal::MarkdownCell("C++20"), "C++20");
  EXPECT_EQ(relkit::internal::MarkdownCell("a | b\n| 9.9 | x\x1b[8m"),
            R"(a \| b\n\| 9.9 \| x\x1b[8m)");
  const std::string row =
      absl::StrCat("| ", relkit::internal::MarkdownCell("x | y\nz"), " | w |");
  EXPECT_THAT(SplitMarkdownRow(row), ElementsAre(R"(x | y\nz)", "w"));
}

// A C++ standard from a JSON matrix is outside text: in RELEASE.md it stays
// one cell of one row, and reads back as the same text.
TEST(CompatMatrixTest, MarkdownOfOutsideTextStaysInItsCell) {
  auto m = CompatibilityMatrix::FromMarkdown(
      "| PyTorch version | Python | C++ | Stable CUDA | Experimental CUDA | "
      "Stable ROCm |\n| --- | --- | --- | --- | --- | --- |\n"
      "| 2.4 | >=3.8, <=3.12 | C++17 | CUDA 11.8 | CUDA 12.4 | ROCm 6.1 |\n",
      "RELEASE.md");
  ASSERT_THAT(m.status(), IsOk());
  MatrixRow row = m->rows()[0];
  row.cxx_standard = "C++17 | x\n| 9.9 | \x1b[8m";
  auto forged = CompatibilityMatrix::FromRows({row});
  ASSERT_THAT(forged.status(), IsOk());
  const std::string md = forged->ToMarkdown(MarkdownLayout::kCurrent);
  EXPECT_EQ(std::count(md.begin(), md.end(), '\n'), 3) << md;
  EXPECT_THAT(md, HasSubstr(R"(| C++17 \| x\n\| 9.9 \| \x1b[8m |)"));
  auto again = CompatibilityMatrix::FromMarkdown(md, "again.md");
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_EQ(again->rows()[0].cxx_standard,
            std::optional<std::string>(R"(C++17 | x\n| 9.9 | \x1b[8m)"));
  EXPECT_EQ(again->ToMarkdown(MarkdownLayout::kCurrent), md);
}

TEST(CompatMatrixTest, SupportStatusNames) {
  EXPECT_EQ(SupportStatusName(SupportStatus::kStable), "stable");
  EXPECT_EQ(SupportStatusName(SupportStatus::kExperimental), "experimental");
  EXPECT_EQ(SupportStatusName(SupportStatus::kUnsupported), "unsupported");
}

TEST(CompatMatrixTest, MatrixChangeKindNames) {
  EXPECT_EQ(MatrixChangeKindName(MatrixChange::Kind::kPython), "python");
  EXPECT_EQ(MatrixChangeKindName(MatrixChange::Kind::kCuda), "cuda");
  EXPECT_EQ(MatrixChangeKindName(MatrixChange::Kind::kRocm), "rocm");
  EXPECT_EQ(MatrixChangeKindName(MatrixChange::Kind::kCxx), "cxx");
}

TEST(CompatMatrixTest, ParsesMarkdownLayoutNames) {
  EXPECT_THAT(ParseMarkdownLayout("current"),
              IsOkAndHolds(MarkdownLayout::kCurrent));
  EXPECT_THAT(ParseMarkdownLayout("seed"), IsOkAndHolds(MarkdownLayout::kSeed));
  EXPECT_THAT(ParseMarkdownLayout("Seed"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown Markdown layout \"Seed\" (expected "
                                 "\"current\" or \"seed\")")));
}

}  // namespace
}  // namespace relkit
