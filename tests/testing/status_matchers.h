// gMock matchers for absl::Status and absl::StatusOr<T> (Debian's abseil
// 20220623 ships none):
//
//   EXPECT_THAT(Version::Parse("1.0"), IsOk());
//   EXPECT_THAT(Version::Parse("x"),
//               StatusIs(absl::StatusCode::kInvalidArgument,
//                        HasSubstr("position 0")));
//   EXPECT_THAT(MaxVersionIndex(v), IsOkAndHolds(2));

#ifndef RELKIT_TESTS_TESTING_STATUS_MATCHERS_H_
#define RELKIT_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace relkit::testing {
namespace internal {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace internal

// Matches an OK absl::Status or absl::StatusOr<T>.
MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  const absl::Status& status = internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status.ToString();
  return status.ok();
}

// Matches a status whose code is `code` and whose message matches
// `message_matcher` (any string matcher; defaults to anything).
MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has code ") + absl::StatusCodeToString(code)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(status.message()), result_listener);
}

inline auto StatusIs(absl::StatusCode code) {
  return StatusIs(code, ::testing::_);
}

// Matches an OK absl::StatusOr<T> whose value matches `value_matcher`.
MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

}  // namespace relkit::testing

#endif  // RELKIT_TESTS_TESTING_STATUS_MATCHERS_H_
