#include "relkit/wheel_metadata.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kMetadata[] =
    "Metadata-Version: 2.1\n"
    "Name: torch\n"
    "Version: 2.4.0+cu121\n"
    "Summary: Tensors and Dynamic neural networks\n"
    "Classifier: Programming Language :: Python :: 3.12\n"
    "Classifier: Programming Language :: Python :: 3.15\n"
    "Requires-Dist: filelock\n"
    "Requires-Dist: sympy\n"
    "License: BSD-3\n"
    "  with a folded second line\n"
    "\n"
    "Version: 0.0 is body text, not a field\n";

TEST(CoreMetadataTest, ParsesFieldsInOrderAndKeepsTheBody) {
  absl::StatusOr<CoreMetadata> m = CoreMetadata::Parse(kMetadata, "METADATA");
  ASSERT_THAT(m.status(), IsOk());
  EXPECT_EQ(m->Get("Version"), "2.4.0+cu121");
  EXPECT_EQ(m->Get("version"), "2.4.0+cu121");
  EXPECT_EQ(m->Get("Author"), std::nullopt);
  EXPECT_THAT(m->GetAll("Requires-Dist"), ElementsAre("filelock", "sympy"));
  EXPECT_EQ(m->Get("License"), "BSD-3  with a folded second line");
  EXPECT_EQ(m->fields().size(), 9u);
  EXPECT_EQ(m->body(), "Version: 0.0 is body text, not a field\n");
}

TEST(CoreMetadataTest, ErrorsNameTheSourceAndLine) {
  EXPECT_THAT(
      CoreMetadata::Parse("Name: x\nnot a field\n", "w!METADATA").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("w!METADATA:2:")));
  EXPECT_THAT(CoreMetadata::Parse(" leading continuation\n", "M").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("M:1:")));
}

TEST(CoreMetadataTest, AcceptsCrlfAndNoTrailingNewline) {
  absl::StatusOr<CoreMetadata> m =
      CoreMetadata::Parse("Name: a\r\nVersion: 1.0\r\n\r\nbody", "M");
  ASSERT_THAT(m.status(), IsOk());
  EXPECT_EQ(m->Get("Version"), "1.0");
  EXPECT_EQ(m->body(), "body");
}

TEST(EditCoreMetadataTest, SetsTheVersionDropsClassifiersKeepsTheRest) {
  absl::StatusOr<std::string> out = EditCoreMetadata(
      kMetadata, "METADATA", "2.4.0",
      {"Programming Language :: Python :: 3.15", "Not :: Present"});
  ASSERT_THAT(out.status(), IsOk());
  std::string expected = kMetadata;
  expected.replace(expected.find("2.4.0+cu121"), 11, "2.4.0");
  const std::string dropped =
      "Classifier: Programming Language :: Python :: 3.15\n";
  expected.erase(expected.find(dropped), dropped.size());
  EXPECT_EQ(*out, expected);
}

TEST(EditCoreMetadataTest, KeepsCrlfLineEnds) {
  absl::StatusOr<std::string> out = EditCoreMetadata(
      "Name: a\r\nVersion: 1.0+cpu\r\nClassifier: X\r\n  folded\r\n\r\nb", "M",
      "1.0", {"X  folded"});  // the classifier as GetAll unfolds it
  ASSERT_THAT(out.status(), IsOk());
  EXPECT_EQ(*out, "Name: a\r\nVersion: 1.0\r\n\r\nb");
}

TEST(EditCoreMetadataTest, ReplacesAFoldedVersionWhole) {
  absl::StatusOr<std::string> out =
      EditCoreMetadata("Version: 1.0+cu\n  folded\nName: a\n", "M", "1.0", {});
  ASSERT_THAT(out.status(), IsOk());
  EXPECT_EQ(*out, "Version: 1.0\nName: a\n");
}

TEST(EditCoreMetadataTest, DropsAClassifierFoldedOverTwoLines) {
  // GetAll reads the folded classifier as one value; the edit must see the
  // same value, or a rewrite reports it removed while it stays.
  const std::string text =
      "Metadata-Version: 2.1\nName: torch\nVersion: 2.9.0+cu130\n"
      "Classifier: Programming Language :: Python ::\n 3.15\n"
      "Classifier: Programming Language :: Python :: 3.14\n\nBody\n";
  absl::StatusOr<std::string> edited = EditCoreMetadata(
      text, "METADATA", "2.9.0", {"Programming Language :: Python :: 3.15"});
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(*edited,
            "Metadata-Version: 2.1\nName: torch\nVersion: 2.9.0\n"
            "Classifier: Programming Language :: Python :: 3.14\n\nBody\n");
}

TEST(EditCoreMetadataTest, RefusesMetadataWithoutVersion) {
  EXPECT_THAT(EditCoreMetadata("Name: a\n", "w!METADATA", "1.0", {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("w!METADATA"), HasSubstr("Version"))));
}

TEST(RecordTest, ParsesAndFormatsAsPythonsCsvModule) {
  const std::string text =
      "demo/__init__.py,sha256=abc,12\n"
      "\"demo/a,b.py\",sha256=def,3\n"
      "\"demo/q\"\"uote.py\",sha256=ghi,0\n"
      "demo-1.0.dist-info/RECORD,,\n";
  absl::StatusOr<std::vector<RecordEntry>> r = ParseRecord(text, "RECORD");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_THAT(*r, ElementsAre(RecordEntry{"demo/__init__.py", "sha256=abc", 12},
                              RecordEntry{"demo/a,b.py", "sha256=def", 3},
                              RecordEntry{"demo/q\"uote.py", "sha256=ghi", 0},
                              RecordEntry{"demo-1.0.dist-info/RECORD", "",
                                          std::nullopt}));
  EXPECT_EQ(FormatRecord(*r), text);
}

TEST(RecordTest, AcceptsCrlfAndBlankLines) {
  absl::StatusOr<std::vector<RecordEntry>> r =
      ParseRecord("a,sha256=x,1\r\n\r\nb,,\r\n", "RECORD");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->size(), 2u);
}

TEST(RecordTest, ErrorsNameTheSourceAndLine) {
  EXPECT_THAT(
      ParseRecord("a,sha256=x,1\nb,c\n", "w!RECORD").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("w!RECORD:2:")));
  EXPECT_THAT(ParseRecord("a,sha256=x,12x\n", "R").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("R:1:")));
  EXPECT_THAT(
      ParseRecord("\"a,sha256=x,1\n", "R").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unterminated")));
  EXPECT_THAT(ParseRecord("a,sha256=x,-1\n", "R").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RecordHashTest, IsUrlsafeBase64WithoutPadding) {
  // sha256("") as pip and wheel write it.
  const std::string raw = absl::HexStringToBytes(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(RecordHashFromDigest(raw),
            "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
}

}  // namespace
}  // namespace relkit
