// Tests of the private JSON glue (src/internal/json.h): errors must name the
// source, the position and the JSON path.

#include "internal/json.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit::internal {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

TEST(JsonTest, ParseErrorNamesSourceLineAndColumn) {
  EXPECT_THAT(ParseJson("{\n  \"a\": [1,\n  2,,]\n}", "matrix.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("matrix.json:3:5: invalid JSON")));
  EXPECT_THAT(
      ParseJson("", "<stdin>"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("<stdin>:1:1")));
}

std::string Nested(int depth, absl::string_view open = "[",
                   absl::string_view inner = "",
                   absl::string_view close = "]") {
  std::string out;
  out.reserve(depth * (open.size() + close.size()) + inner.size());
  for (int i = 0; i < depth; ++i) absl::StrAppend(&out, open);
  absl::StrAppend(&out, inner);
  for (int i = 0; i < depth; ++i) absl::StrAppend(&out, close);
  return out;
}

TEST(JsonTest, AcceptsNestingUpToTheLimit) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseJson(Nested(kMaxJsonDepth, "[", "1"), "deep.json");
  ASSERT_THAT(doc, IsOk());
  // Every later recursive walk of the value is safe at the limit.
  EXPECT_EQ(WriteJson(*doc), Nested(kMaxJsonDepth, "[", "1"));
  EXPECT_THAT(WriteJson(*doc, /*pretty=*/true), HasSubstr("1"));
  rapidjson::Document copy;
  copy.CopyFrom(*doc, copy.GetAllocator());
  EXPECT_TRUE(copy == *doc);
  EXPECT_THAT(ParseJson(Nested(kMaxJsonDepth, "{\"a\":", "1", "}"), "o.json"),
              IsOk());
}

TEST(JsonTest, RefusesNestingOverTheLimitNamingSourceAndPosition) {
  EXPECT_THAT(
      ParseJson(Nested(kMaxJsonDepth + 1), "deep.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("deep.json:1:257: invalid JSON: nested deeper than "
                         "256 levels")));
  EXPECT_THAT(
      ParseJson(Nested(kMaxJsonDepth + 1, "{\"a\":", "1", "}"), "o.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("nested deeper than 256 levels")));
  // Mixed, on a later line: the position is the bracket that goes too deep.
  EXPECT_THAT(
      ParseJson(
          absl::StrCat("{\n\"x\": ", Nested(300, "[{\"k\":", "0", "}]"), "}"),
          "m.json"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("m.json:2:")));
  EXPECT_THAT(ParseJson(Nested(10), "small.json", /*max_depth=*/3),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("small.json:1:4: invalid JSON: nested deeper "
                                 "than 3 levels")));
  EXPECT_THAT(ParseJson(Nested(3), "small.json", /*max_depth=*/3), IsOk());
}

TEST(JsonTest, AMillionLevelsAreAnErrorNotAStackOverflow) {
  // The recursive parser this replaced crashed (SIGSEGV) on this input.
  EXPECT_THAT(ParseJson(Nested(1000000), "hostile.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("hostile.json:1:257")));
  // Unclosed, as a truncated hostile body would be.
  EXPECT_THAT(ParseJson(std::string(1000000, '['), "<input>"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("nested deeper than 256 levels")));
}

TEST(JsonTest, KeepsTheBehaviourOfTheRecursiveParser) {
  // A UTF-8 byte order mark is skipped, trailing whitespace is fine, a second
  // value is not.
  EXPECT_THAT(ParseJson("\xEF\xBB\xBF{\"a\": 1}\n", "bom.json"), IsOk());
  EXPECT_THAT(ParseJson("{} {}", "two.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("two.json:1:4: invalid JSON: The document "
                                 "root must not be followed by other values")));
  absl::StatusOr<rapidjson::Document> doc =
      ParseJson(R"({"s":"x\u00e9","n":-3,"u":18446744073709551615,)"
                R"("d":1.5,"t":true,"z":null,"a":[]})",
                "types.json");
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(WriteJson(*doc),
            "{\"s\":\"x\xC3\xA9\",\"n\":-3,\"u\":18446744073709551615,"
            "\"d\":1.5,\"t\":true,\"z\":null,\"a\":[]}");
}

TEST(JsonTest, ReaderNamesThePathOfAFieldOfTheWrongShape) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(
      R"({"name": "torch", "n": 3, "ok": true, "py": ["3.8", 9]})", "f.json");
  ASSERT_THAT(doc, IsOk());
  JsonReader r("f.json");
  EXPECT_THAT(r.String(*doc, "name", "$"), IsOkAndHolds("torch"));
  EXPECT_THAT(r.Int(*doc, "n", "$"), IsOkAndHolds(3));
  EXPECT_THAT(r.Bool(*doc, "ok", "$"), IsOkAndHolds(true));
  EXPECT_THAT(r.OptionalString(*doc, "absent", "$"),
              IsOkAndHolds(std::nullopt));
  EXPECT_THAT(r.OptionalString(*doc, "name", "$"),
              IsOkAndHolds(Optional(std::string("torch"))));
  EXPECT_THAT(r.String(*doc, "n", "$"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("f.json: $.n: expected a string")));
  EXPECT_THAT(r.String(*doc, "missing", "$"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("missing field \"missing\"")));
  EXPECT_THAT(r.StringArray(*doc, "py", "$"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("$.py[1]: expected a string")));
}

TEST(JsonTest, WriteJsonRoundTrips) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseJson(R"({"a":[1,"x",null]})", "x");
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(WriteJson(*doc), R"({"a":[1,"x",null]})");
  EXPECT_THAT(WriteJson(*doc, /*pretty=*/true), HasSubstr("\n  \"a\": ["));
}

}  // namespace
}  // namespace relkit::internal
