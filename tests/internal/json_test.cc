// Tests of the private JSON glue (src/internal/json.h): errors must name the
// source, the position and the JSON path.

#include "internal/json.h"

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
