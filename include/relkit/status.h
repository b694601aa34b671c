// File: relkit/status.h
// -----------------------------------------------------------------------------
//
// The error model of librelkit. Every fallible call returns `absl::Status` or
// `absl::StatusOr<T>`; nothing in the library throws. The macros below
// propagate errors without boilerplate (Debian's abseil 20220623 has no
// `ABSL_RETURN_IF_ERROR`):
//
//   absl::StatusOr<Version> NextFinal(absl::string_view tag) {
//     RELKIT_ASSIGN_OR_RETURN(RcTag rc, RcTag::Parse(tag));
//     return rc.final_version();
//   }
//
// Status codes carry meaning across all three faces (C++, Python, CLI):
//   kInvalidArgument     bad user input (a parse error names input and
//                        position)
//   kNotFound            missing ref, milestone, file, HTTP 404
//   kAlreadyExists       tag or branch exists with different content
//   kFailedPrecondition  dirty tree, unmet precondition
//   kAborted             a ref moved under us
//   kUnauthenticated     HTTP 401; kPermissionDenied HTTP 403
//   kResourceExhausted   rate limited; kUnavailable 5xx or connect failure
//   kDeadlineExceeded    timeout

#ifndef RELKIT_STATUS_H_
#define RELKIT_STATUS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RELKIT_INTERNAL_CONCAT_IMPL(a, b) a##b
#define RELKIT_INTERNAL_CONCAT(a, b) RELKIT_INTERNAL_CONCAT_IMPL(a, b)

// Evaluates `expr` (an `absl::Status`); returns it from the enclosing
// function when it is not OK.
#define RELKIT_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::absl::Status relkit_status_internal_ = (expr); \
    if (!relkit_status_internal_.ok()) {             \
      return relkit_status_internal_;                \
    }                                                \
  } while (false)

// Evaluates `rexpr` (an `absl::StatusOr<T>`); on error returns its status
// from the enclosing function, otherwise move-assigns the value to `lhs`,
// which may be a declaration (`RELKIT_ASSIGN_OR_RETURN(Version v, ...)`).
#define RELKIT_ASSIGN_OR_RETURN(lhs, rexpr) \
  RELKIT_INTERNAL_ASSIGN_OR_RETURN_IMPL(    \
      RELKIT_INTERNAL_CONCAT(relkit_statusor_internal_, __LINE__), lhs, rexpr)

#define RELKIT_INTERNAL_ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                          \
  if (!statusor.ok()) {                                             \
    return std::move(statusor).status();                            \
  }                                                                 \
  lhs = *std::move(statusor)

#endif  // RELKIT_STATUS_H_
