#include "relkit/support_policy.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/compat_matrix.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const SupportPolicy& Policy() {
  static const SupportPolicy* p = [] {
    absl::StatusOr<SupportPolicy> d = SupportPolicy::Default();
    EXPECT_THAT(d, IsOk());
    return new SupportPolicy(d.ok() ? *d : SupportPolicy());
  }();
  return *p;
}

const MatrixRow& Row(absl::string_view release) {
  static const CompatibilityMatrix* m =
      new CompatibilityMatrix(*CompatibilityMatrix::Default());
  const MatrixRow* row = m->Find(release);
  EXPECT_NE(row, nullptr) << release;
  return *row;
}

std::vector<std::string> Versions(const std::vector<CPythonVersion>& list) {
  std::vector<std::string> out;
  for (const CPythonVersion& p : list) out.push_back(p.version);
  return out;
}

std::vector<Deviation::Kind> Kinds(const std::vector<Deviation>& list) {
  std::vector<Deviation::Kind> out;
  for (const Deviation& d : list) out.push_back(d.kind);
  return out;
}

TEST(SupportPolicyTest, CPythonTableFromTheDevguide) {
  ASSERT_EQ(Policy().cpython().size(), 12u);
  const CPythonVersion& py37 = Policy().cpython()[0];
  EXPECT_EQ(py37.version, "3.7");
  EXPECT_EQ(py37.released, absl::CivilDay(2018, 6, 27));
  EXPECT_EQ(py37.end_of_life, absl::CivilDay(2023, 6, 27));
  EXPECT_FALSE(py37.eol_month_only);
  // 3.9: "2025-10" counts to the end of October.
  const CPythonVersion& py39 = Policy().cpython()[2];
  EXPECT_EQ(py39.end_of_life, absl::CivilDay(2025, 10, 31));
  EXPECT_TRUE(py39.eol_month_only);
  EXPECT_EQ(py39.ToString(), "3.9 (released 2020-10-05, end of life 2025-10)");
  EXPECT_TRUE(Policy().cpython()[7].free_threaded);
  EXPECT_EQ(Policy().cpython()[7].version, "3.13t");
}

TEST(SupportPolicyTest, SupportedPythonsOnADay) {
  EXPECT_THAT(Versions(Policy().SupportedPythons(absl::CivilDay(2025, 1, 1))),
              ElementsAre("3.9", "3.10", "3.11", "3.12", "3.13", "3.13t"));
  // EOL day and release day are both inclusive.
  EXPECT_THAT(
      Versions(Policy().SupportedPythons(absl::CivilDay(2024, 10, 7))),
      ElementsAre("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.13t"));
  EXPECT_THAT(
      Versions(Policy().SupportedPythons(absl::CivilDay(2025, 11, 1))),
      ElementsAre("3.10", "3.11", "3.12", "3.13", "3.13t", "3.14", "3.14t"));
}

TEST(SupportPolicyTest, OperatingSystemsDropMacX86After22) {
  EXPECT_EQ(Policy().OperatingSystemsFor("2.2").size(), 5u);
  EXPECT_EQ(Policy().OperatingSystemsFor("2.2.1").size(), 5u);
  std::vector<OsSupport> v23 = Policy().OperatingSystemsFor("2.3");
  ASSERT_EQ(v23.size(), 4u);
  for (const OsSupport& o : v23)
    EXPECT_FALSE(o.family == "macOS" && o.arch == "x86_64");
  EXPECT_EQ(v23[0].minimum, "glibc 2.17 (manylinux2014)");
  EXPECT_EQ(v23[2].minimum, "macOS 11 (Big Sur)");
  EXPECT_EQ(v23[3].minimum, "Windows 10");
}

TEST(SupportPolicyTest, LatestMinorVersionsIsNumeric) {
  EXPECT_THAT(LatestMinorVersions({"7.2", "7.14", "7.1", "6.4"}),
              IsOkAndHolds(ElementsAre("7.2", "7.14")));
  EXPECT_THAT(LatestMinorVersions({"12.6", "12.8", "12.9", "13.0"}),
              IsOkAndHolds(ElementsAre("12.9", "13.0")));
  EXPECT_THAT(LatestMinorVersions({"12.4", "12.4.1", "12.6"}),
              IsOkAndHolds(ElementsAre("12.4.1", "12.6")));
  EXPECT_THAT(LatestMinorVersions({"11.8"}, 3),
              IsOkAndHolds(ElementsAre("11.8")));
  EXPECT_THAT(
      LatestMinorVersions({"12.6", "cuda"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"cuda\"")));
}

TEST(SupportPolicyTest, ProposeMatrixRow) {
  MatrixRow r25 =
      Policy().ProposeMatrixRow("2.5", absl::CivilDay(2024, 10, 17));
  EXPECT_EQ(r25.release, "2.5");
  EXPECT_EQ(r25.PythonCell(), ">=3.9, <=3.12, (3.13, 3.13t experimental)");
  MatrixRow r = Policy().ProposeMatrixRow(
      "2.9", absl::CivilDay(2025, 10, 15),
      {.available_cuda = {"12.6", "12.8", "12.9", "13.0"},
       .available_rocm = {"6.3", "6.4"}});
  // 3.9 is EOL only at the end of October 2025.
  EXPECT_EQ(r.PythonCell(), ">=3.9, <=3.13, (3.14, 3.14t experimental)");
  ASSERT_EQ(r.stable_cuda.size(), 2u);
  EXPECT_EQ(r.stable_cuda[0].version, "12.9");
  EXPECT_EQ(r.stable_cuda[1].version, "13.0");
  EXPECT_THAT(r.stable_rocm, ElementsAre("6.3", "6.4"));
}

// RELEASE.md's 2.13 row: >=3.10, <=(3.15, 3.15t experimental), released 8 Jul
// 2026.
TEST(SupportPolicyTest, ProposalFor213MatchesTheTableStatuses) {
  const absl::CivilDay day(2026, 7, 8);
  MatrixRow proposed = Policy().ProposeMatrixRow("2.13", day);
  for (const char* py : {"3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.13t",
                         "3.14", "3.14t", "3.15", "3.15t", "3.16"}) {
    EXPECT_EQ(*proposed.PythonStatus(py), *Row("2.13").PythonStatus(py)) << py;
  }
  EXPECT_THAT(Policy().CheckMatrixRow(Row("2.13"), day), IsEmpty());
}

TEST(SupportPolicyTest, CheckMatrixRowFindsPythonDeviations) {
  // 2.3 (24 Apr 2024) kept 3.12, released Oct 2023, experimental.
  std::vector<Deviation> d23 =
      Policy().CheckMatrixRow(Row("2.3"), absl::CivilDay(2024, 4, 24));
  ASSERT_EQ(d23.size(), 1u);
  EXPECT_EQ(d23[0].kind, Deviation::Kind::kExperimentalPython);
  EXPECT_EQ(d23[0].subject, "Python 3.12");
  // 2.9 (15 Oct 2025) dropped 3.9 two weeks before its end of life.
  std::vector<Deviation> d29 =
      Policy().CheckMatrixRow(Row("2.9"), absl::CivilDay(2025, 10, 15));
  ASSERT_EQ(d29.size(), 1u);
  EXPECT_EQ(d29[0].kind, Deviation::Kind::kMissingPython);
  EXPECT_THAT(d29[0].message, HasSubstr("3.9"));
  // 1.13's row judged on 1 Jan 2024: 3.7 is EOL, 3.11 and 3.12 are missing.
  std::vector<Deviation> d113 =
      Policy().CheckMatrixRow(Row("1.13"), absl::CivilDay(2024, 1, 1));
  EXPECT_THAT(Kinds(d113), ElementsAre(Deviation::Kind::kEndOfLifePython,
                                       Deviation::Kind::kMissingPython,
                                       Deviation::Kind::kMissingPython));
  EXPECT_EQ(d113[2].subject, "Python 3.12");
  EXPECT_THAT(Policy().CheckMatrixRow(Row("2.5"), absl::CivilDay(2024, 10, 17)),
              IsEmpty());
  EXPECT_THAT(Policy().CheckMatrixRow(Row("2.4"), absl::CivilDay(2024, 7, 24)),
              IsEmpty());
}

TEST(SupportPolicyTest, CheckMatrixRowAppliesTheLatestTwoRule) {
  // 2.9: stable CUDA 12.6, 12.8, experimental 13.0, ROCm 6.4.
  std::vector<Deviation> d = Policy().CheckMatrixRow(
      Row("2.9"), absl::CivilDay(2025, 11, 1),
      {.available_cuda = {"12.6", "12.8", "12.9", "13.0"},
       .available_rocm = {"6.3", "6.4"}});
  std::vector<std::string> subjects;
  for (const Deviation& x : d)
    subjects.push_back(
        absl::StrCat(DeviationKindName(x.kind), ": ", x.subject));
  EXPECT_THAT(subjects, ElementsAre("missing accelerator: CUDA 12.9",
                                    "old accelerator: CUDA 12.6",
                                    "old accelerator: CUDA 12.8",
                                    "missing accelerator: ROCm 6.3"));
}

TEST(SupportPolicyTest, JsonOfTheWrongShapeNamesThePath) {
  EXPECT_THAT(SupportPolicy::FromJson(
                  R"({"cpython": [{"version": "3.9", "released": "2020-10-05",
                      "end_of_life": "2025-13"}], "operating_systems": []})",
                  "policy.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("policy.json: $.cpython[0].end_of_life")));
  EXPECT_THAT(SupportPolicy::FromJson(
                  R"({"cpython": [{"version": "three", "released": "2020-10-05",
                      "end_of_life": "2025-10"}], "operating_systems": []})",
                  "policy.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("$.cpython[0].version")));
  EXPECT_THAT(SupportPolicy::FromJson(R"({"cpython": []})", "policy.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("missing field \"operating_systems\"")));
}

// Found by fuzz/support_policy_fuzz.cc: "4.13 " (and "3.13rc1", "v3.13") were
// accepted because Version::Parse takes them, and the rows proposed from such
// a table or accelerator list did not load back as compatibility-matrix rows.
TEST(SupportPolicyTest, VersionsMustBeSpelledAsNumbersAndDots) {
  for (const char* version :
       {"4.13 ", " 3.13", "3.13rc1", "v3.13", "3.13.post1t"}) {
    EXPECT_THAT(
        SupportPolicy::FromJson(
            absl::StrCat(
                R"({"cpython": [{"version": ")", version,
                R"(", "released": "2024-10-07", "end_of_life": "2029-10"}],
                        "operating_systems": []})"),
            "policy.json"),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr("$.cpython[0].version")))
        << version;
  }
  EXPECT_THAT(
      LatestMinorVersions({"12.6", "13.0 "}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"13.0 \"")));
  EXPECT_THAT(LatestMinorVersions({"v12.6"}),
              StatusIs(absl::StatusCode::kInvalidArgument));

  const MatrixRow row = Policy().ProposeMatrixRow(
      "2.5", absl::CivilDay(2024, 10, 17),
      {.available_cuda = {"12.4", "12.6"}, .available_rocm = {"6.1", "6.2.4"}});
  absl::StatusOr<CompatibilityMatrix> m = CompatibilityMatrix::FromRows({row});
  ASSERT_THAT(m, IsOk());
  EXPECT_THAT(CompatibilityMatrix::FromJson(m->ToJson(), "proposed.json"),
              IsOkAndHolds(*m));
}

}  // namespace
}  // namespace relkit
