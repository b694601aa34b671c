// File: relkit/github_json.h
// -----------------------------------------------------------------------------
//
// Parsers of GitHub REST response bodies into the values of
// relkit/milestone.h. JSON is data from outside: every parser checks types
// member by member and never trusts a shape.
//
//   absl::StatusOr<std::vector<relkit::Issue>> items =
//       relkit::ParseIssuesJson(body, url);
//   if (!items.ok()) return items.status();
//   // InvalidArgument: "<url>: $[3].number: expected an integer"

#ifndef RELKIT_GITHUB_JSON_H_
#define RELKIT_GITHUB_JSON_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/milestone.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Parsers of one REST response body. Errors are InvalidArgument naming
// `source` (the URL) and the JSON path: `<url>: $[3].number: expected an
// integer`.

absl::StatusOr<std::vector<Milestone>> ParseMilestonesJson(
    absl::string_view json, absl::string_view source);
absl::StatusOr<Milestone> ParseMilestoneJson(absl::string_view json,
                                             absl::string_view source);
absl::StatusOr<std::vector<Issue>> ParseIssuesJson(absl::string_view json,
                                                   absl::string_view source);
absl::StatusOr<std::vector<IssueComment>> ParseIssueCommentsJson(
    absl::string_view json, absl::string_view source);
// One issue or pull request (`GET`/`POST`/`PATCH /issues/{n}`), one comment
// (`POST /issues/{n}/comments`).
absl::StatusOr<Issue> ParseIssueJson(absl::string_view json,
                                     absl::string_view source);
absl::StatusOr<IssueComment> ParseIssueCommentJson(absl::string_view json,
                                                   absl::string_view source);
absl::StatusOr<PullRequest> ParsePullRequestJson(absl::string_view json,
                                                 absl::string_view source);
// `GET /commits/{sha}/status`: the combined state and the statuses.
absl::Status ParseCombinedStatusJson(absl::string_view json,
                                     absl::string_view source,
                                     CommitChecks& out);
// `GET /commits/{sha}/check-runs`: appends the check runs to `out`.
absl::Status ParseCheckRunsJson(absl::string_view json,
                                absl::string_view source, CommitChecks& out);

}  // namespace relkit

#endif  // RELKIT_GITHUB_JSON_H_
