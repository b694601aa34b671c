#include "relkit/version.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "testing/status_matchers.h"
#include "testing/test_data.h"

namespace relkit {
namespace {

using ::relkit::testing::FindTable;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::LoadTestJson;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

// -----------------------------------------------------------------------------
// Vector bookkeeping: every row of tests/data/versions.json is either checked
// or counted as not expressible in C++ (with the reason next to the count), so
// nothing is skipped silently. The last test prints the totals.

int64_t& VectorsChecked() {
  static int64_t n = 0;
  return n;
}
int64_t& VectorsNotExpressible() {
  static int64_t n = 0;
  return n;
}

const rapidjson::Document& VersionsJson() {
  static const rapidjson::Document* doc =
      new rapidjson::Document(LoadTestJson("versions.json"));
  return *doc;
}

absl::string_view Str(const rapidjson::Value& v) {
  return absl::string_view(v.GetString(), v.GetStringLength());
}

// Parses `text`, failing the test (and returning version 0) when it is not a
// valid version.
Version MustParse(absl::string_view text) {
  absl::StatusOr<Version> v = Version::Parse(text);
  EXPECT_THAT(v, IsOk()) << "parsing \"" << text << "\"";
  return v.ok() ? *v : Version();
}

// Calls `check` on every case of the table named `name`, expects the number
// of rows to be the table's declared count, and adds them to the tally.
template <typename Check>
void ForEachCase(const std::string& name, Check check) {
  const rapidjson::Value* table = FindTable(VersionsJson(), name);
  ASSERT_NE(table, nullptr);
  int rows = 0;
  for (const rapidjson::Value& row : (*table)["cases"].GetArray()) {
    check(row);
    ++rows;
  }
  EXPECT_EQ(rows, (*table)["count"].GetInt()) << name;
  EXPECT_GT(rows, 0) << name;
  VectorsChecked() += rows;
}

// For the two-column tables: calls `check(version, expected)`.
template <typename Check>
void ForEachPair(const std::string& name, Check check) {
  ForEachCase(name, [&](const rapidjson::Value& row) {
    const absl::string_view input = Str(row[0]);
    SCOPED_TRACE(absl::StrCat(name, ": \"", input, "\""));
    check(MustParse(input), row[1]);
  });
}

std::optional<uint64_t> OptionalUint(const rapidjson::Value& v) {
  if (v.IsNull()) return std::nullopt;
  return v.GetUint64();
}

PreRelease PreFromJson(const rapidjson::Value& pair) {
  absl::StatusOr<PreReleaseKind> kind = ParsePreReleaseLetter(Str(pair[0]));
  EXPECT_THAT(kind, IsOk());
  return PreRelease{.kind = kind.ok() ? *kind : PreReleaseKind::kAlpha,
                    .number = pair[1].GetUint64()};
}

VersionParts PartsOf(const Version& v) {
  VersionParts parts;
  parts.epoch = v.epoch();
  parts.release.assign(v.release().begin(), v.release().end());
  parts.pre = v.pre();
  parts.post = v.post();
  parts.dev = v.dev();
  parts.local = v.local();
  return parts;
}

// Applies a packaging `from_parts`/`__replace__` argument object to `parts`
// (JSON null clears a component; a null release means `0`).
void ApplyJsonParts(const rapidjson::Value& args, VersionParts& parts) {
  for (const auto& member : args.GetObject()) {
    const absl::string_view key = Str(member.name);
    const rapidjson::Value& value = member.value;
    if (key == "epoch") {
      parts.epoch = value.IsNull() ? 0 : value.GetUint64();
    } else if (key == "release") {
      parts.release.clear();
      if (!value.IsNull()) {
        for (const auto& n : value.GetArray()) {
          parts.release.push_back(n.GetUint64());
        }
      }
    } else if (key == "pre") {
      parts.pre.reset();
      if (!value.IsNull()) parts.pre = PreFromJson(value);
    } else if (key == "post") {
      parts.post = OptionalUint(value);
    } else if (key == "dev") {
      parts.dev = OptionalUint(value);
    } else if (key == "local") {
      parts.local.reset();
      if (!value.IsNull()) parts.local = std::string(Str(value));
    } else {
      ADD_FAILURE() << "unknown part " << key;
    }
  }
}

// Checks all six operators for every ordered pair of a list that is in
// strictly ascending order, as packaging's test_comparison_{true,false} do.
void CheckAllOrderedPairs(const rapidjson::Value& values) {
  std::vector<Version> versions;
  for (const auto& v : values.GetArray()) versions.push_back(MustParse(Str(v)));
  ASSERT_GT(versions.size(), 1u);
  int64_t checked = 0;
  for (size_t i = 0; i < versions.size(); ++i) {
    for (size_t j = 0; j < versions.size(); ++j) {
      const Version& a = versions[i];
      const Version& b = versions[j];
      SCOPED_TRACE(absl::StrCat(Str(values[i]), " vs ", Str(values[j])));
      EXPECT_EQ(a < b, i < j);
      EXPECT_EQ(a <= b, i <= j);
      EXPECT_EQ(a == b, i == j);
      EXPECT_EQ(a != b, i != j);
      EXPECT_EQ(a >= b, i >= j);
      EXPECT_EQ(a > b, i > j);
      checked += 6;
    }
  }
  EXPECT_EQ(checked,
            static_cast<int64_t>(6 * versions.size() * versions.size()));
  VectorsChecked() += checked;

  // Hashing: a version and its reparsed normal form are equal and hash equal.
  for (const Version& v : versions) {
    const Version again = MustParse(v.ToString());
    EXPECT_EQ(v, again);
    EXPECT_EQ(absl::Hash<Version>()(v), absl::Hash<Version>()(again));
    ++VectorsChecked();
  }

  // The batch functions agree with the operators on the same list.
  std::vector<std::string> texts;
  for (const auto& v : values.GetArray()) texts.emplace_back(Str(v));
  std::vector<std::string> shuffled = texts;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(440));
  std::vector<absl::string_view> views(shuffled.begin(), shuffled.end());
  EXPECT_THAT(SortVersionStrings(views), IsOkAndHolds(ElementsAreArray(texts)));
  EXPECT_THAT(MaxVersionIndex(views),
              IsOkAndHolds(static_cast<size_t>(
                  std::find(shuffled.begin(), shuffled.end(), texts.back()) -
                  shuffled.begin())));
  absl::StatusOr<std::vector<Version>> parsed = ParseVersions(views);
  ASSERT_THAT(parsed, IsOk());
  SortVersions(*parsed);
  EXPECT_THAT(*parsed, ElementsAreArray(versions));
}

// -----------------------------------------------------------------------------
// Conformance tables from packaging's tests/test_version.py.

TEST(VersionConformanceTest, RejectsEveryInvalidVersion) {
  ForEachCase("TestVersion.test_invalid_versions",
              [](const rapidjson::Value& row) {
                EXPECT_THAT(Version::Parse(Str(row)),
                            StatusIs(absl::StatusCode::kInvalidArgument))
                    << "\"" << Str(row) << "\"";
              });
}

TEST(VersionConformanceTest, RejectsOversizedNumbersAsInvalidArgument) {
  // packaging raises ValueError past Python's int-digit limit; relkit's limit
  // is UINT64_MAX, and the error is InvalidArgument all the same.
  ForEachCase("TestVersion.test_oversized_version_raises_valueerror",
              [](const rapidjson::Value& row) {
                EXPECT_THAT(Version::Parse(Str(row)),
                            StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("is larger than")));
              });
}

TEST(VersionConformanceTest, NonStringInputsAreNotExpressibleInCpp) {
  // None, int, list and bytes arguments exercise Python's type checks; a
  // string_view parameter cannot receive them.
  const rapidjson::Value* table =
      FindTable(VersionsJson(),
                "TestVersion.test_non_string_versions_raise_invalid_version");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(Str((*table)["category"]), "python-specific");
  EXPECT_EQ((*table)["cases"].Size(), 5u);
  VectorsNotExpressible() += (*table)["cases"].Size();
}

TEST(VersionConformanceTest, NormalizesEverySpelling) {
  ForEachCase("TestVersion.test_normalized_versions",
              [](const rapidjson::Value& row) {
                const absl::string_view input = Str(row[0]);
                const absl::string_view normal = Str(row[1]);
                SCOPED_TRACE(absl::StrCat("\"", input, "\""));
                const Version v = MustParse(input);
                EXPECT_EQ(v.ToString(), normal);
                // Both spellings are the same version, with the same hash.
                const Version w = MustParse(normal);
                EXPECT_EQ(v, w);
                EXPECT_EQ(absl::Hash<Version>()(v), absl::Hash<Version>()(w));
              });
}

TEST(VersionConformanceTest, PrintsTheNormalForm) {
  ForEachPair("TestVersion.test_version_str_repr",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.ToString(), Str(expected));
              });
}

TEST(VersionConformanceTest, PublicVersionDropsTheLocalLabel) {
  ForEachPair("TestVersion.test_version_public",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.PublicVersion(), Str(expected));
              });
}

TEST(VersionConformanceTest, BaseVersionKeepsEpochAndReleaseOnly) {
  ForEachPair("TestVersion.test_version_base_version",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.BaseVersion(), Str(expected));
              });
}

TEST(VersionConformanceTest, ReportsTheEpoch) {
  ForEachPair("TestVersion.test_version_epoch",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.epoch(), expected.GetUint64());
              });
}

TEST(VersionConformanceTest, ReportsTheReleaseWithTrailingZeros) {
  ForEachPair("TestVersion.test_version_release",
              [](const Version& v, const rapidjson::Value& expected) {
                std::vector<uint64_t> release;
                for (const auto& n : expected.GetArray()) {
                  release.push_back(n.GetUint64());
                }
                EXPECT_THAT(v.release(), ElementsAreArray(release));
              });
}

TEST(VersionConformanceTest, ReportsTheLocalLabel) {
  ForEachPair("TestVersion.test_version_local",
              [](const Version& v, const rapidjson::Value& expected) {
                if (expected.IsNull()) {
                  EXPECT_EQ(v.local(), std::nullopt);
                } else {
                  EXPECT_THAT(v.local(), Optional(std::string(Str(expected))));
                }
              });
}

TEST(VersionConformanceTest, ReportsThePreRelease) {
  ForEachPair("TestVersion.test_version_pre",
              [](const Version& v, const rapidjson::Value& expected) {
                if (expected.IsNull()) {
                  EXPECT_EQ(v.pre(), std::nullopt);
                  return;
                }
                ASSERT_TRUE(v.pre().has_value());
                EXPECT_EQ(PreReleaseLetter(v.pre()->kind), Str(expected[0]));
                EXPECT_EQ(v.pre()->number, expected[1].GetUint64());
              });
}

TEST(VersionConformanceTest, ReportsTheDevRelease) {
  ForEachPair("TestVersion.test_version_dev",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.dev(), OptionalUint(expected));
              });
}

TEST(VersionConformanceTest, ReportsThePostRelease) {
  ForEachPair("TestVersion.test_version_post",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.post(), OptionalUint(expected));
              });
}

TEST(VersionConformanceTest, TreatsDevAndPreReleasesAsPreReleases) {
  ForEachPair("TestVersion.test_version_is_prerelease",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.is_prerelease(), expected.GetBool());
              });
}

TEST(VersionConformanceTest, DetectsDevReleases) {
  ForEachPair("TestVersion.test_version_is_devrelease",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.is_devrelease(), expected.GetBool());
              });
}

TEST(VersionConformanceTest, DetectsPostReleases) {
  ForEachPair("TestVersion.test_version_is_postrelease",
              [](const Version& v, const rapidjson::Value& expected) {
                EXPECT_EQ(v.is_postrelease(), expected.GetBool());
              });
}

TEST(VersionConformanceTest, FromPartsBuildsTheVersionThatParsingBuilds) {
  ForEachCase("test_from_parts", [](const rapidjson::Value& row) {
    const absl::string_view text = Str(row[1]);
    SCOPED_TRACE(absl::StrCat("from_parts -> \"", text, "\""));
    VersionParts parts;
    ApplyJsonParts(row[0], parts);
    absl::StatusOr<Version> built = Version::FromParts(parts);
    ASSERT_THAT(built, IsOk());
    const Version parsed = MustParse(text);
    EXPECT_EQ(*built, parsed);
    EXPECT_EQ(built->ToString(), parsed.ToString());
    EXPECT_EQ(absl::Hash<Version>()(*built), absl::Hash<Version>()(parsed));
  });
}

TEST(VersionConformanceTest, PickleSamplesRoundTripThroughTheNormalForm) {
  // packaging pickles these; the C++ equivalent of a lossless round trip is
  // Parse(ToString()).
  ForEachCase("test_pickle_roundtrip", [](const rapidjson::Value& row) {
    const Version v = MustParse(Str(row));
    const Version again = MustParse(v.ToString());
    EXPECT_EQ(v, again);
    EXPECT_EQ(v.ToString(), again.ToString());
    EXPECT_EQ(v.ToString(), Str(row));
  });
}

TEST(VersionConformanceTest, OrdersEveryPairOfTheSortedVersions) {
  const rapidjson::Value& list = VersionsJson()["sorted_versions"];
  ASSERT_EQ(list["values"].Size(), list["count"].GetUint());
  CheckAllOrderedPairs(list["values"]);
}

TEST(VersionConformanceTest, OrdersEveryPairOfTheAdditionalSortedVersions) {
  const rapidjson::Value& list = VersionsJson()["additional_sorted_versions"];
  ASSERT_EQ(list["values"].Size(), list["count"].GetUint());
  CheckAllOrderedPairs(list["values"]);
}

TEST(VersionConformanceTest, DerivedComparisonCountsMatchTheData) {
  const rapidjson::Value& derived = VersionsJson()["derived_comparisons"];
  const uint64_t n = VersionsJson()["sorted_versions"]["values"].Size();
  EXPECT_EQ(derived["count_true_assertions"].GetUint64() +
                derived["count_false_assertions"].GetUint64(),
            6 * n * n);
}

TEST(VersionConformanceTest, ManualEqualitiesHold) {
  const rapidjson::Value& manual = VersionsJson()["manual_assertions"];
  for (const auto& row : manual["equalities"].GetArray()) {
    ASSERT_EQ(Str(row[1]), "==");
    const Version a = MustParse(Str(row[0]));
    const Version b = MustParse(Str(row[2]));
    EXPECT_EQ(a, b);
    EXPECT_EQ(absl::Hash<Version>()(a), absl::Hash<Version>()(b));
    ++VectorsChecked();
  }
}

TEST(VersionConformanceTest, MajorMinorMicroDefaultToZero) {
  const rapidjson::Value& manual = VersionsJson()["manual_assertions"];
  for (const auto& row : manual["major_minor_micro"].GetArray()) {
    const Version v = MustParse(Str(row["version"]));
    int fields = 0;
    if (row.HasMember("major")) {
      EXPECT_EQ(v.major(), row["major"].GetUint64());
      ++fields;
    }
    if (row.HasMember("minor")) {
      EXPECT_EQ(v.minor(), row["minor"].GetUint64());
      ++fields;
    }
    if (row.HasMember("micro")) {
      EXPECT_EQ(v.micro(), row["micro"].GetUint64());
      ++fields;
    }
    EXPECT_EQ(fields, 1) << Str(row["version"]);
    ++VectorsChecked();
  }
}

TEST(VersionConformanceTest, ReplacingPartsThroughFromPartsMatchesPackaging) {
  const rapidjson::Value& replace_ok =
      VersionsJson()["manual_assertions"]["replace_ok"];
  int rows = 0;
  for (const auto& row : replace_ok["cases"].GetArray()) {
    SCOPED_TRACE(absl::StrCat(Str(row["test"]), " from ", Str(row["from"])));
    VersionParts parts = PartsOf(MustParse(Str(row["from"])));
    ApplyJsonParts(row["replace"], parts);
    absl::StatusOr<Version> replaced = Version::FromParts(parts);
    ASSERT_THAT(replaced, IsOk());
    EXPECT_EQ(replaced->ToString(), Str(row["str"]));
    ++rows;
  }
  EXPECT_EQ(rows, replace_ok["count"].GetInt());
  VectorsChecked() += rows;
}

TEST(VersionConformanceTest, RejectsInvalidReplacementsThatCppCanExpress) {
  // Of packaging's replace_errors, the ones a typed C++ API can express are a
  // pre-release letter outside a|b|rc and an invalid local label. The others
  // pass a str, a negative number, a pre tuple of the wrong length, or an
  // empty release tuple (which VersionParts documents as `0`, like None).
  const rapidjson::Value& errors =
      VersionsJson()["manual_assertions"]["replace_errors"];
  int rows = 0;
  int checked = 0;
  for (const auto& row : errors["cases"].GetArray()) {
    ++rows;
    const rapidjson::Value& replace = row["replace"];
    SCOPED_TRACE(Str(row["test"]));
    if (replace.HasMember("local") && replace["local"].IsString()) {
      VersionParts parts = PartsOf(MustParse(Str(row["from"])));
      parts.local = std::string(Str(replace["local"]));
      EXPECT_THAT(Version::FromParts(parts),
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           HasSubstr("invalid local version label")));
      ++checked;
    } else if (replace.HasMember("pre") && replace["pre"].IsArray() &&
               replace["pre"].Size() == 2 && replace["pre"][1].IsUint64()) {
      EXPECT_THAT(ParsePreReleaseLetter(Str(replace["pre"][0])),
                  StatusIs(absl::StatusCode::kInvalidArgument));
      ++checked;
    }
  }
  EXPECT_EQ(rows, errors["count"].GetInt());
  EXPECT_EQ(checked, 3);
  VectorsChecked() += checked;
  VectorsNotExpressible() += rows - checked;
}

TEST(VersionConformanceTest, EveryTableIsCovered) {
  // A table added to the data without a test here would otherwise go
  // unnoticed.
  const std::vector<std::string> known = {
      "TestVersion.test_invalid_versions",
      "TestVersion.test_non_string_versions_raise_invalid_version",
      "TestVersion.test_oversized_version_raises_valueerror",
      "TestVersion.test_normalized_versions",
      "TestVersion.test_version_str_repr",
      "TestVersion.test_version_public",
      "TestVersion.test_version_base_version",
      "TestVersion.test_version_epoch",
      "TestVersion.test_version_release",
      "TestVersion.test_version_local",
      "TestVersion.test_version_pre",
      "TestVersion.test_version_is_prerelease",
      "TestVersion.test_version_dev",
      "TestVersion.test_version_is_devrelease",
      "TestVersion.test_version_post",
      "TestVersion.test_version_is_postrelease",
      "test_from_parts",
      "test_pickle_roundtrip",
  };
  int total_rows = 0;
  for (const auto& table : VersionsJson()["tables"].GetArray()) {
    const std::string name(Str(table["test"]));
    EXPECT_NE(std::find(known.begin(), known.end(), name), known.end())
        << "no test for table " << name;
    total_rows += table["count"].GetInt();
  }
  EXPECT_EQ(total_rows, VersionsJson()["total_table_rows"].GetInt());
}

// -----------------------------------------------------------------------------
// Parsing details beyond the tables.

TEST(VersionTest, DefaultVersionIsZero) {
  const Version v;
  EXPECT_EQ(v.ToString(), "0");
  EXPECT_EQ(v, MustParse("0"));
  EXPECT_EQ(v, MustParse("0.0.0"));
}

TEST(VersionTest, AcceptsSeparatorsAfterLabelsWithoutNumbers) {
  // packaging's pattern lets a label's trailing separator stand alone.
  EXPECT_EQ(MustParse("1.0a-").ToString(), "1.0a0");
  EXPECT_EQ(MustParse("1.0post.").ToString(), "1.0.post0");
  EXPECT_EQ(MustParse("1.0a..dev").ToString(), "1.0a0.dev0");
  EXPECT_EQ(MustParse("1.0rc.1").ToString(), "1.0rc1");
  EXPECT_EQ(MustParse("1.0prerev").ToString(), "1.0rc0.post0");
  EXPECT_EQ(MustParse("1.0a1-1").ToString(), "1.0a1.post1");
  EXPECT_EQ(MustParse("V1!2.0").ToString(), "1!2.0");
}

TEST(VersionTest, StripsPythonWhitespaceButNotInsideTheVersion) {
  EXPECT_EQ(MustParse(" \xC2\x85 1.0\xE3\x80\x80").ToString(), "1.0");
  EXPECT_EQ(MustParse("\xE2\x80\xA8\xC2\xA0"
                      "2.0\xE1\x9A\x80")
                .ToString(),
            "2.0");
  EXPECT_THAT(Version::Parse("1.0\xC2\xA0"
                             "a1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(VersionTest, RejectsNonAsciiLettersThatFoldToAscii) {
  // U+212A KELVIN SIGN and U+017F LONG S fold to k and s in Python's
  // case-insensitive matching; packaging 26 rejects them.
  EXPECT_THAT(Version::Parse("1.0+\xE2\x84\xAA"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Version::Parse("1.0po\xC5\xBFt"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(VersionTest, NormalizesLocalLabels) {
  EXPECT_THAT(MustParse("1.0+Ubuntu-1_007.0abc").local(),
              Optional(std::string("ubuntu.1.7.0abc")));
  EXPECT_THAT(MustParse("1.0+000").local(), Optional(std::string("0")));
}

TEST(VersionTest, AcceptsTheLargestNumbers) {
  const Version v = MustParse(
      "18446744073709551615!18446744073709551615.0rc18446744073709551615");
  EXPECT_EQ(v.epoch(), UINT64_MAX);
  EXPECT_THAT(v.release(), ElementsAre(UINT64_MAX, 0u));
  EXPECT_EQ(v.pre()->number, UINT64_MAX);
  EXPECT_EQ(MustParse("1.0000000000000000000000000001").release()[1], 1u);
  EXPECT_THAT(Version::Parse("18446744073709551616"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("number at position 0 is larger than "
                                 "18446744073709551615")));
  EXPECT_THAT(
      Version::Parse("1.0.dev18446744073709551616"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("position 7")));
}

TEST(VersionTest, ErrorNamesTheInputAndPosition) {
  EXPECT_THAT(Version::Parse("1.0+foo&asd"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid version \"1.0+foo&asd\": unexpected "
                                 "character '&' at position 7")));
  EXPECT_THAT(Version::Parse("1..0"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unexpected character '.' at position 2")));
  EXPECT_THAT(Version::Parse("1.0."),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unexpected end of input at position 4")));
  EXPECT_THAT(Version::Parse("french toast"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unexpected character 'f' at position 0 "
                                 "(expected a digit)")));
  EXPECT_THAT(Version::Parse("1.0 a1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unexpected character ' ' at position 3")));
  EXPECT_THAT(Version::Parse("1.0_1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'1' at position 4")));
}

TEST(VersionTest, ErrorKeepsControlAndNonAsciiCharactersReadable) {
  EXPECT_THAT(Version::Parse(absl::string_view("1.0\x01", 4)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"1.0\\x01\": unexpected character '\\x01' "
                                 "at position 3")));
  EXPECT_THAT(Version::Parse("1.0+\xC4\xB0"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unexpected character U+0130 at position 4")));
  EXPECT_THAT(Version::Parse("1.0\xff"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'\\xff' at position 3")));
  EXPECT_THAT(Version::Parse(absl::string_view("1\0", 2)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'\\x00' at position 1")));
}

TEST(VersionTest, ErrorTruncatesLongInputs) {
  const std::string text = "1.0+" + std::string(500, 'a') + "&";
  absl::StatusOr<Version> v = Version::Parse(text);
  ASSERT_THAT(v, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("(505 bytes)")));
  EXPECT_LT(v.status().message().size(), 200u);
  EXPECT_THAT(v, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("at position 504")));
}

TEST(VersionTest, RejectsEmptyAndBlankInput) {
  EXPECT_THAT(Version::Parse(""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid version \"\": empty")));
  EXPECT_THAT(Version::Parse(" \t\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(Version::Parse("v"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("end of input at position 1")));
}

// -----------------------------------------------------------------------------
// Ordering and hashing.

TEST(VersionTest, OrdersDevBeforePreBeforeFinalBeforeLocalBeforePost) {
  EXPECT_LT(MustParse("1.0.dev0"), MustParse("1.0a1"));
  EXPECT_LT(MustParse("1.0a1"), MustParse("1.0"));
  EXPECT_LT(MustParse("1.0"), MustParse("1.0+local"));
  EXPECT_LT(MustParse("1.0+local"), MustParse("1.0.post1"));
  EXPECT_LT(MustParse("1.0a1.dev1"), MustParse("1.0a1"));
  EXPECT_LT(MustParse("1.0.post1.dev1"), MustParse("1.0.post1"));
  EXPECT_GT(MustParse("1.0.post1.dev1"), MustParse("1.0"));
}

TEST(VersionTest, TrailingZerosDoNotChangeEqualityOrHash) {
  const Version a = MustParse("1.0");
  const Version b = MustParse("1.0.0.0");
  const Version c = MustParse("1");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  EXPECT_EQ(absl::Hash<Version>()(a), absl::Hash<Version>()(b));
  EXPECT_EQ(absl::Hash<Version>()(a), absl::Hash<Version>()(c));
  EXPECT_EQ(MustParse("0"), MustParse("0.0"));
  EXPECT_EQ(absl::Hash<Version>()(MustParse("0")),
            absl::Hash<Version>()(MustParse("0.0")));
  EXPECT_EQ(b.ToString(), "1.0.0.0");  // the spelling is kept for printing
}

TEST(VersionTest, OrdersLocalSegmentsNumbersAboveWords) {
  EXPECT_LT(MustParse("1.0+abc"), MustParse("1.0+0"));
  EXPECT_LT(MustParse("1.0+9"), MustParse("1.0+10"));
  EXPECT_LT(MustParse("1.0+a"), MustParse("1.0+a.0"));
  EXPECT_LT(MustParse("1.0+ab"), MustParse("1.0+b"));
  EXPECT_EQ(MustParse("1.0+A-01"), MustParse("1.0+a.1"));
  // Local numbers are compared at any length, as Python ints are.
  EXPECT_LT(MustParse("1.0+18446744073709551616"),
            MustParse("1.0+99999999999999999999999"));
}

TEST(VersionTest, ComparesLargeNumbersByValue) {
  EXPECT_LT(MustParse("1.255"), MustParse("1.256"));
  EXPECT_LT(MustParse("1.65535"), MustParse("1.65536"));
  EXPECT_LT(MustParse("1.4294967295"), MustParse("1.18446744073709551615"));
  EXPECT_LT(MustParse("18446744073709551614!0"),
            MustParse("18446744073709551615!0"));
}

// -----------------------------------------------------------------------------
// FromParts and the accessors.

TEST(VersionTest, FromPartsTreatsAnEmptyReleaseAsZero) {
  EXPECT_THAT(Version::FromParts({}), IsOkAndHolds(MustParse("0")));
}

TEST(VersionTest, FromPartsNormalizesAndValidatesTheLocalLabel) {
  VersionParts parts;
  parts.release = {1, 2};
  parts.local = "Ubuntu-01";
  absl::StatusOr<Version> v = Version::FromParts(parts);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ToString(), "1.2+ubuntu.1");
  parts.local = "";
  EXPECT_THAT(Version::FromParts(parts),
              StatusIs(absl::StatusCode::kInvalidArgument));
  parts.local = "abc+123";
  EXPECT_THAT(Version::FromParts(parts),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid local version label \"abc+123\": "
                                 "unexpected character '+' at position 3")));
  parts.local = "abc.";
  EXPECT_THAT(Version::FromParts(parts),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(VersionTest, ParsesEverySpellingOfAPreReleaseLetter) {
  EXPECT_THAT(ParsePreReleaseLetter("a"), IsOkAndHolds(PreReleaseKind::kAlpha));
  EXPECT_THAT(ParsePreReleaseLetter("Alpha"),
              IsOkAndHolds(PreReleaseKind::kAlpha));
  EXPECT_THAT(ParsePreReleaseLetter("B"), IsOkAndHolds(PreReleaseKind::kBeta));
  EXPECT_THAT(ParsePreReleaseLetter("bEta"),
              IsOkAndHolds(PreReleaseKind::kBeta));
  for (absl::string_view rc : {"c", "rc", "RC", "pre", "preview", "PREVIEW"}) {
    EXPECT_THAT(ParsePreReleaseLetter(rc),
                IsOkAndHolds(PreReleaseKind::kReleaseCandidate))
        << rc;
  }
  for (absl::string_view bad : {"", "x", "alphas", "dev", "post", "previews"}) {
    EXPECT_THAT(ParsePreReleaseLetter(bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

TEST(VersionTest, WithoutLocalDropsOnlyTheLocalLabel) {
  const Version v = MustParse("1!2.0rc1.post2.dev3+abc.1");
  EXPECT_EQ(v.ToString(), "1!2.0rc1.post2.dev3+abc.1");
  EXPECT_EQ(v.WithoutLocal().ToString(), "1!2.0rc1.post2.dev3");
  EXPECT_EQ(v.WithoutLocal(), MustParse(v.PublicVersion()));
}

// -----------------------------------------------------------------------------
// Batch functions.

TEST(VersionBatchTest, ParseVersionsNamesTheIndexOfTheFirstInvalidString) {
  const std::vector<absl::string_view> good = {"1.0", "2.0rc1", "v3"};
  absl::StatusOr<std::vector<Version>> parsed = ParseVersions(good);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_THAT(*parsed, ElementsAre(MustParse("1.0"), MustParse("2.0rc1"),
                                   MustParse("3")));
  const std::vector<absl::string_view> bad = {"1.0", "nope", "also bad"};
  EXPECT_THAT(ParseVersions(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("texts[1]: invalid version \"nope\"")));
  EXPECT_THAT(ParseVersions({}), IsOkAndHolds(::testing::IsEmpty()));
}

TEST(VersionBatchTest, SortVersionsIsStableForEqualVersions) {
  std::vector<Version> versions = {MustParse("2.0"), MustParse("1.0.0"),
                                   MustParse("1.0a1"), MustParse("1.0"),
                                   MustParse("1")};
  SortVersions(versions);
  std::vector<std::string> printed;
  for (const Version& v : versions) printed.push_back(v.ToString());
  EXPECT_THAT(printed, ElementsAre("1.0a1", "1.0.0", "1.0", "1", "2.0"));
}

TEST(VersionBatchTest, SortVersionStringsKeepsTheOriginalSpellings) {
  const std::vector<absl::string_view> texts = {"v2.0", "1.0-RC1", " 1.0 ",
                                                "1.0.dev0", "1.0.0"};
  EXPECT_THAT(SortVersionStrings(texts),
              IsOkAndHolds(ElementsAre("1.0.dev0", "1.0-RC1", " 1.0 ", "1.0.0",
                                       "v2.0")));
}

TEST(VersionBatchTest, SortVersionStringsSkipsOrRejectsInvalidStrings) {
  const std::vector<absl::string_view> texts = {"2.0", "garbage", "1.0"};
  EXPECT_THAT(SortVersionStrings(texts, InvalidVersions::kSkip),
              IsOkAndHolds(ElementsAre("1.0", "2.0")));
  EXPECT_THAT(SortVersionStrings(texts, InvalidVersions::kError),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("texts[1]: invalid version \"garbage\"")));
}

TEST(VersionBatchTest, SortVersionOrderReturnsIndicesOfValidStringsInOrder) {
  const std::vector<absl::string_view> texts = {"2.10.0", "bad", "2.9.1",
                                                "2.4.0rc1", "2.9.1.0"};
  EXPECT_THAT(SortVersionOrder(texts, InvalidVersions::kSkip),
              IsOkAndHolds(ElementsAre(3, 2, 4, 0)));
  EXPECT_THAT(
      SortVersionOrder(texts, InvalidVersions::kError),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("texts[1]")));
  EXPECT_THAT(SortVersionOrder({}, InvalidVersions::kError),
              IsOkAndHolds(ElementsAre()));
}

TEST(VersionBatchTest, SortVersionOrderOfRepetitiveListsMatchesAStableSort) {
  // Large lists that repeat their strings (tag listings, wheel indexes) take
  // a deduplicating path; it must give exactly a stable sort's order, also
  // for equal versions spelled differently and with invalid strings mixed in.
  const std::vector<std::string> pool = {
      "1.0",       "1.0.0",     "v1.0",      "1.0rc1", "2.10.0",
      "2.9.1",     "1.0+cu121", "1.0.post1", "1!0.1",  "1.0.dev0",
      "2.4.0-RC1", "2.4.0rc1",  "bad",       "0"};
  std::mt19937 rng(11);
  std::vector<std::string> texts(20000);
  for (std::string& t : texts) t = pool[rng() % pool.size()];
  std::vector<absl::string_view> views(texts.begin(), texts.end());

  std::vector<size_t> expected;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (Version::Parse(texts[i]).ok()) expected.push_back(i);
  }
  std::stable_sort(expected.begin(), expected.end(), [&](size_t a, size_t b) {
    return MustParse(texts[a]) < MustParse(texts[b]);
  });
  EXPECT_THAT(SortVersionOrder(views, InvalidVersions::kSkip),
              IsOkAndHolds(ElementsAreArray(expected)));

  const size_t first_bad = static_cast<size_t>(
      std::find(texts.begin(), texts.end(), "bad") - texts.begin());
  EXPECT_THAT(SortVersionOrder(views, InvalidVersions::kError),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat("texts[", first_bad, "]"))));
}

TEST(VersionBatchTest, SortVersionStringsAgreesWithTheOperators) {
  // Mixed versions whose sort keys exercise every field, including numbers of
  // different byte lengths and local labels of different shapes.
  std::vector<std::string> texts;
  const char* const bases[] = {
      "0",     "1",       "1.0.1", "1.255",
      "1.256", "1.65536", "2!1",   "1.18446744073709551615"};
  const char* const suffixes[] = {"",     ".dev0",     "a1",      "a1.dev2",
                                  "b300", "rc1.post1", ".post0",  ".post1.dev1",
                                  "+abc", "+0",        "+abc.10", "+abc.9",
                                  "+1.a", "+1",        "a1+z"};
  for (const char* base : bases) {
    for (const char* suffix : suffixes)
      texts.push_back(absl::StrCat(base, suffix));
  }
  std::shuffle(texts.begin(), texts.end(), std::mt19937(7));
  std::vector<absl::string_view> views(texts.begin(), texts.end());
  absl::StatusOr<std::vector<std::string>> sorted = SortVersionStrings(views);
  ASSERT_THAT(sorted, IsOk());
  ASSERT_EQ(sorted->size(), texts.size());
  for (size_t i = 0; i + 1 < sorted->size(); ++i) {
    EXPECT_LT(MustParse((*sorted)[i]), MustParse((*sorted)[i + 1]))
        << (*sorted)[i] << " vs " << (*sorted)[i + 1];
  }
}

TEST(VersionBatchTest, MaxVersionIndexSkipsInvalidStringsAndPrefersTheFirst) {
  const std::vector<absl::string_view> texts = {"1.0", "bad", "2.0", "2.0.0",
                                                "2.0rc1"};
  EXPECT_THAT(MaxVersionIndex(texts), IsOkAndHolds(2u));
  const std::vector<absl::string_view> none = {"bad", ""};
  EXPECT_THAT(MaxVersionIndex(none), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(MaxVersionIndex({}), StatusIs(absl::StatusCode::kNotFound));
}

// -----------------------------------------------------------------------------
// Prints the tally when the whole binary has run.

const ::testing::Environment* const kTally =
    ::testing::AddGlobalTestEnvironment(new relkit::testing::VectorTally([] {
      return absl::StrCat("PEP 440 version vectors checked: ", VectorsChecked(),
                          " (not expressible in C++: ", VectorsNotExpressible(),
                          ", listed in the tests that count them)");
    }));

}  // namespace
}  // namespace relkit
