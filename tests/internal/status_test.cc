#include "relkit/status.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError("odd number");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  RELKIT_ASSIGN_OR_RETURN(int half, Half(n));
  RELKIT_ASSIGN_OR_RETURN(half, Half(half));  // assigns to an existing variable
  return half;
}

absl::Status CheckEven(int n) {
  RELKIT_RETURN_IF_ERROR(Half(n).status());
  return absl::OkStatus();
}

TEST(StatusMacrosTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_THAT(Quarter(8), IsOkAndHolds(2));
  EXPECT_THAT(Quarter(6),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("odd")));
  EXPECT_THAT(Quarter(7), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(StatusMacrosTest, ReturnIfErrorReturnsOnlyErrors) {
  EXPECT_THAT(CheckEven(4), IsOk());
  EXPECT_THAT(CheckEven(5), Not(IsOk()));
}

TEST(StatusMatchersTest, StatusIsChecksCodeAndMessage) {
  absl::Status s = absl::NotFoundError("milestone \"2.4.1\" not found");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(s, Not(StatusIs(absl::StatusCode::kInvalidArgument)));
  EXPECT_THAT(s, Not(StatusIs(absl::StatusCode::kNotFound, HasSubstr("2.5"))));
  EXPECT_THAT(absl::StatusOr<int>(3), Not(IsOkAndHolds(4)));
}

}  // namespace
}  // namespace relkit
