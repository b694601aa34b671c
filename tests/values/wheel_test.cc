#include "relkit/wheel.h"

#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash_testing.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "relkit/version.h"
#include "testing/status_matchers.h"
#include "testing/test_data.h"

namespace relkit {
namespace {

using ::relkit::testing::FindTable;
using ::relkit::testing::IsOk;
using ::relkit::testing::LoadTestJson;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

// Counts the conformance vectors checked, printed by the last test.
int vectors_checked = 0;

const rapidjson::Document& Filenames() {
  static const rapidjson::Document* doc =
      new rapidjson::Document(LoadTestJson("filenames.json"));
  return *doc;
}

// Returns the cases of table `test`, or an empty array after failing.
const rapidjson::Value& Cases(const std::string& test) {
  static const rapidjson::Value* empty =
      new rapidjson::Value(rapidjson::kArrayType);
  const rapidjson::Value* table = FindTable(Filenames(), test);
  if (table == nullptr || !table->HasMember("cases")) return *empty;
  return (*table)["cases"];
}

std::string Str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

// A string argument, or the string of a {"$Version": s} marker.
std::string VersionText(const rapidjson::Value& v) {
  if (v.IsObject()) return Str(v["$Version"]);
  return Str(v);
}

Version MustParse(absl::string_view text) {
  absl::StatusOr<Version> v = Version::Parse(text);
  EXPECT_THAT(v, IsOk()) << text;
  return v.ok() ? *v : Version();
}

TEST(WheelConformanceTest, CanonicalizeName) {
  const rapidjson::Value& cases = Cases("test_canonicalize_name");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string name = Str(c[0]);
    const std::string expected = Str(c[1]);
    EXPECT_EQ(CanonicalizeName(name), expected) << name;
    EXPECT_THAT(CanonicalizeValidName(name), testing::IsOkAndHolds(expected))
        << name;
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, CanonicalizeInvalidName) {
  const rapidjson::Value& cases = Cases("test_canonicalize_name_invalid");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string name = Str(c[0]);
    EXPECT_THAT(CanonicalizeValidName(name),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("invalid project name")))
        << name;
    EXPECT_FALSE(IsValidName(name)) << name;
    EXPECT_EQ(CanonicalizeName(name), Str(c[1])) << name;
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, IsNormalizedName) {
  const rapidjson::Value& cases = Cases("test_is_normalized_name");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string name = Str(c[0]);
    const std::string expected = Str(c[1]);
    EXPECT_TRUE(IsNormalizedName(expected)) << expected;
    if (name != expected) {
      EXPECT_FALSE(IsNormalizedName(name)) << name;
    }
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, CanonicalizeVersion) {
  const rapidjson::Value& cases = Cases("test_canonicalize_version");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string text = VersionText(c[0]);
    const std::string expected = Str(c[1]);
    if (c[0].IsObject()) {
      EXPECT_EQ(CanonicalizeVersion(MustParse(text)), expected) << text;
    } else {
      EXPECT_EQ(CanonicalizeVersion(absl::string_view(text)), expected) << text;
    }
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, CanonicalizeVersionKeepsTrailingZeros) {
  const rapidjson::Value& cases =
      Cases("test_canonicalize_version_no_strip_trailing_zero");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string text = Str(c);
    EXPECT_EQ(
        CanonicalizeVersion(absl::string_view(text), TrailingZeros::kKeep),
        text);
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, ParsesWheelFilenames) {
  const rapidjson::Value& cases = Cases("test_parse_wheel_filename");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string filename = Str(c[0]);
    absl::StatusOr<WheelFilename> wheel = WheelFilename::Parse(filename);
    ASSERT_THAT(wheel, IsOk()) << filename;
    EXPECT_EQ(wheel->name(), Str(c[1])) << filename;
    EXPECT_EQ(wheel->version(), MustParse(VersionText(c[2]))) << filename;
    const rapidjson::Value& build = c[3];
    if (build.Size() == 0) {
      EXPECT_EQ(wheel->build(), std::nullopt) << filename;
    } else {
      EXPECT_EQ(wheel->build(), (BuildTag{.number = build[0].GetUint64(),
                                          .suffix = Str(build[1])}))
          << filename;
    }
    std::vector<Tag> expected_tags;
    for (const auto& t : c[4].GetArray()) {
      const rapidjson::Value& triple = t["$Tag"];
      expected_tags.emplace_back(Str(triple[0]), Str(triple[1]),
                                 Str(triple[2]));
    }
    EXPECT_THAT(wheel->tags(), UnorderedElementsAreArray(expected_tags))
        << filename;
    // The normalised filename parses back to the same value.
    EXPECT_THAT(WheelFilename::Parse(wheel->ToString()),
                testing::IsOkAndHolds(*wheel))
        << filename;
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, RejectsInvalidWheelFilenames) {
  const rapidjson::Value& cases = Cases("test_parse_wheel_invalid_filename");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string filename = Str(c);
    EXPECT_THAT(WheelFilename::Parse(filename),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("invalid wheel filename")))
        << filename;
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, AcceptsUnsortedTagsByDefault) {
  const rapidjson::Value& cases =
      Cases("test_parse_wheel_unsorted_tags_valid_by_default");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    EXPECT_THAT(WheelFilename::Parse(Str(c)), IsOk()) << Str(c);
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, RejectsUnsortedTagsWhenValidatingOrder) {
  const rapidjson::Value& cases =
      Cases("test_parse_wheel_unsorted_tags_invalid_with_validate");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    EXPECT_THAT(
        WheelFilename::Parse(Str(c), {.validate_order = true}),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sorted order")))
        << Str(c);
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, ParsesSdistFilenames) {
  const rapidjson::Value& cases = Cases("test_parse_sdist_filename");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    const std::string filename = Str(c[0]);
    absl::StatusOr<SdistFilename> sdist = SdistFilename::Parse(filename);
    ASSERT_THAT(sdist, IsOk()) << filename;
    EXPECT_EQ(sdist->name(), Str(c[1]));
    EXPECT_EQ(sdist->version(), MustParse(VersionText(c[2])));
    EXPECT_THAT(SdistFilename::Parse(sdist->ToString()),
                testing::IsOkAndHolds(*sdist));
    ++vectors_checked;
  }
}

TEST(WheelConformanceTest, RejectsInvalidSdistFilenames) {
  const rapidjson::Value& cases = Cases("test_parse_sdist_invalid_filename");
  EXPECT_GT(cases.Size(), 0u);
  for (const auto& c : cases.GetArray()) {
    EXPECT_THAT(SdistFilename::Parse(Str(c)),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("invalid sdist filename")))
        << Str(c);
    ++vectors_checked;
  }
}

// Prints the tally when the whole binary has run.
const ::testing::Environment* const kTally =
    ::testing::AddGlobalTestEnvironment(new relkit::testing::VectorTally([] {
      return absl::StrCat("filenames.json vectors checked: ", vectors_checked);
    }));

// -----------------------------------------------------------------------------
// PyTorch wheels

TEST(WheelFilenameTest, ParsesCudaManylinuxWheel) {
  absl::StatusOr<WheelFilename> w = WheelFilename::Parse(
      "torch-2.4.0+cu121-cp312-cp312-"
      "manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->name(), "torch");
  EXPECT_EQ(w->version().ToString(), "2.4.0+cu121");
  EXPECT_EQ(w->version().local(), "cu121");
  EXPECT_EQ(w->build(), std::nullopt);
  EXPECT_THAT(w->python_tags(), ElementsAre("cp312"));
  EXPECT_THAT(w->abi_tags(), ElementsAre("cp312"));
  EXPECT_THAT(w->platform_tags(),
              ElementsAre("manylinux2014_x86_64", "manylinux_2_17_x86_64"));
  EXPECT_THAT(w->tags(),
              ElementsAre(Tag("cp312", "cp312", "manylinux2014_x86_64"),
                          Tag("cp312", "cp312", "manylinux_2_17_x86_64")));
  // Normalised: tag components sorted.
  EXPECT_EQ(w->ToString(),
            "torch-2.4.0+cu121-cp312-cp312-"
            "manylinux2014_x86_64.manylinux_2_17_x86_64.whl");
}

TEST(WheelFilenameTest, ParsesRocmNightlyWheel) {
  absl::StatusOr<WheelFilename> w = WheelFilename::Parse(
      "torch-2.5.0.dev20240801+rocm6.1-cp310-cp310-linux_x86_64.whl");
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->version().ToString(), "2.5.0.dev20240801+rocm6.1");
  EXPECT_TRUE(w->version().is_devrelease());
  EXPECT_EQ(w->version().dev(), 20240801u);
  EXPECT_EQ(w->version().local(), "rocm6.1");
  EXPECT_THAT(w->tags(), ElementsAre(Tag("cp310", "cp310", "linux_x86_64")));
  EXPECT_EQ(w->ToString(),
            "torch-2.5.0.dev20240801+rocm6.1-cp310-cp310-linux_x86_64.whl");
}

TEST(WheelFilenameTest, ParsesMacosWheelWithoutAbi) {
  absl::StatusOr<WheelFilename> w =
      WheelFilename::Parse("torch-2.4.0-cp311-none-macosx_11_0_arm64.whl");
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->version(), *Version::Parse("2.4"));
  EXPECT_EQ(w->version().local(), std::nullopt);
  EXPECT_THAT(w->abi_tags(), ElementsAre("none"));
  EXPECT_THAT(w->platform_tags(), ElementsAre("macosx_11_0_arm64"));
}

TEST(WheelFilenameTest, ParsesFreeThreadedAndWindowsWheels) {
  absl::StatusOr<WheelFilename> ft = WheelFilename::Parse(
      "torch-2.6.0+cu126-cp313-cp313t-manylinux_2_28_aarch64.whl");
  ASSERT_THAT(ft, IsOk());
  EXPECT_THAT(ft->abi_tags(), ElementsAre("cp313t"));
  absl::StatusOr<WheelFilename> win =
      WheelFilename::Parse("torch-2.4.1+cpu-cp311-cp311-win_amd64.whl");
  ASSERT_THAT(win, IsOk());
  EXPECT_EQ(win->version().local(), "cpu");
  absl::StatusOr<WheelFilename> any =
      WheelFilename::Parse("torchao-0.5.0-py3-none-any.whl");
  ASSERT_THAT(any, IsOk());
  EXPECT_EQ(any->tag_set().ToString(), "py3-none-any");
}

TEST(WheelFilenameTest, ParsesBuildTag) {
  absl::StatusOr<WheelFilename> w =
      WheelFilename::Parse("foo-1.0-007abc-py3-none-any.whl");
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->build(), (BuildTag{.number = 7, .suffix = "abc"}));
  EXPECT_EQ(w->ToString(), "foo-1.0-7abc-py3-none-any.whl");
  EXPECT_LT((BuildTag{.number = 2, .suffix = "z"}),
            (BuildTag{.number = 10, .suffix = ""}));
}

TEST(WheelFilenameTest, ExpandsCompressedTagSets) {
  absl::StatusOr<WheelFilename> w = WheelFilename::Parse(
      "foo-2-py3.py2-none.abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->tags().size(), 8u);
  EXPECT_THAT(w->python_tags(), ElementsAre("py2", "py3"));
  EXPECT_THAT(w->abi_tags(), ElementsAre("abi3", "none"));
  EXPECT_EQ(w->ToString(),
            "foo-2-py2.py3-abi3.none-"
            "manylinux2014_x86_64.manylinux_2_17_x86_64.whl");
}

TEST(WheelFilenameTest, LowerCasesTags) {
  absl::StatusOr<WheelFilename> w =
      WheelFilename::Parse("foo-1.0-PY3-None-ANY.whl");
  ASSERT_THAT(w, IsOk());
  EXPECT_THAT(w->tags(), ElementsAre(Tag("py3", "none", "any")));
}

TEST(WheelFilenameTest, ErrorsNameFilenameReasonAndPosition) {
  EXPECT_THAT(
      WheelFilename::Parse("foo-1.x-py3-none-any.whl"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("\"foo-1.x-py3-none-any.whl\""),
                     HasSubstr("invalid version"), HasSubstr("position 4"))));
  EXPECT_THAT(WheelFilename::Parse("foo#bar-1.0-py3-none-any.whl"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("invalid project name"),
                             HasSubstr("position 3"))));
  EXPECT_THAT(WheelFilename::Parse("foo-1.0-py3.-none-any.whl"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("empty interpreter"),
                             HasSubstr("position 12"))));
  EXPECT_THAT(WheelFilename::Parse("foo-1.0-abc-py3-none-any.whl"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("build tag"), HasSubstr("position 8"))));
  EXPECT_THAT(
      WheelFilename::Parse("foo-1.0.whl"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("wrong number")));
  EXPECT_THAT(
      WheelFilename::Parse("foo-1.0-99999999999999999999999-py3-none-any.whl"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("out of range")));
}

TEST(WheelFilenameTest, LimitsTagExpansion) {
  std::string many;
  for (int i = 0; i < 20; ++i) absl::StrAppend(&many, i ? "." : "", "p", i);
  const std::string filename =
      absl::StrCat("foo-1.0-", many, "-", many, "-", many, ".whl");
  EXPECT_THAT(WheelFilename::Parse(filename),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("more than 4096 tags")));
  EXPECT_THAT(WheelFilename::Parse(filename, {.max_tags = 8000}), IsOk());
}

TEST(WheelFilenameTest, EqualityAndHashIgnoreSpelling) {
  absl::StatusOr<WheelFilename> a =
      WheelFilename::Parse("Foo.Bar-1.0.0-py3.py2-none-any.whl");
  absl::StatusOr<WheelFilename> b =
      WheelFilename::Parse("foo_bar-1.0-py2.py3-none-any.whl");
  absl::StatusOr<WheelFilename> c =
      WheelFilename::Parse("foo_bar-1.0-1-py2.py3-none-any.whl");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly({*a, *b, *c}));
}

TEST(TagTest, ParsesTagSets) {
  absl::StatusOr<TagSet> set = ParseTagSet("cp39.cp310-abi3-win_amd64");
  ASSERT_THAT(set, IsOk());
  EXPECT_THAT(set->tags, ElementsAre(Tag("cp310", "abi3", "win_amd64"),
                                     Tag("cp39", "abi3", "win_amd64")));
  EXPECT_EQ(set->ToString(), "cp310.cp39-abi3-win_amd64");
  EXPECT_THAT(ParseTagSet("py3-none"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exactly three components")));
  EXPECT_THAT(ParseTagSet("3py-none-any"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not an identifier")));
  EXPECT_THAT(
      ParseTagSet("py3-none-any.", {.validate_order = true}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("position 13")));
}

TEST(TagTest, IsAnOrderedHashableValue) {
  const Tag a("py3", "none", "any");
  const Tag b("PY3", "NONE", "Any");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.ToString(), "py3-none-any");
  EXPECT_LT(Tag("cp310", "cp310", "linux_x86_64"), a);
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly(
      {a, Tag("cp310", "cp310", "linux_x86_64"), Tag()}));
}

TEST(SdistFilenameTest, ParsesPyTorchSdists) {
  absl::StatusOr<SdistFilename> s = SdistFilename::Parse("torch-2.4.0.tar.gz");
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->name(), "torch");
  EXPECT_EQ(s->format(), SdistFormat::kTarGz);
  absl::StatusOr<SdistFilename> z =
      SdistFilename::Parse("pytorch-triton-rocm-3.0.0.zip");
  ASSERT_THAT(z, IsOk());
  EXPECT_EQ(z->name(), "pytorch-triton-rocm");
  EXPECT_EQ(z->format(), SdistFormat::kZip);
  EXPECT_EQ(z->ToString(), "pytorch_triton_rocm-3.0.0.zip");
  EXPECT_THAT(
      SdistFilename::Parse("foo-1.x.tar.gz"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("invalid version"), HasSubstr("position 4"))));
}

TEST(NameTest, ValidatesNames) {
  EXPECT_TRUE(IsValidName("torch"));
  EXPECT_TRUE(IsValidName("pytorch_triton.rocm-3"));
  EXPECT_FALSE(IsValidName(""));
  EXPECT_FALSE(IsValidName("-torch"));
  EXPECT_FALSE(IsValidName("tor ch"));
  EXPECT_THAT(
      CanonicalizeValidName("tor ch"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("position 3")));
  EXPECT_FALSE(IsNormalizedName(""));
  EXPECT_FALSE(IsNormalizedName("-foo"));
  EXPECT_FALSE(IsNormalizedName("foo-"));
  EXPECT_TRUE(IsNormalizedName("pytorch-triton-rocm"));
}

TEST(CanonicalizeVersionTest, StripsTrailingZerosOfPyTorchVersions) {
  EXPECT_EQ(CanonicalizeVersion("2.4.0+cu121"), "2.4+cu121");
  EXPECT_EQ(CanonicalizeVersion("2.5.0.dev20240801"), "2.5.dev20240801");
  EXPECT_EQ(CanonicalizeVersion("2.4.0-RC1"), "2.4rc1");
  EXPECT_EQ(CanonicalizeVersion("2.4.0-RC1", TrailingZeros::kKeep), "2.4.0rc1");
  EXPECT_EQ(CanonicalizeVersion("0.0"), "0");
}

}  // namespace
}  // namespace relkit
