// File: relkit/milestone.h
// -----------------------------------------------------------------------------
//
// GitHub data of a release as values: milestones, the issues and pull
// requests in them, issue comments (the cherry-pick tracker), pull requests,
// and the CI state of a commit (combined status + check runs). Pure values:
// their REST JSON parsers are in relkit/github_json.h, the client calls that
// fetch them (paginated, cached, rate-limit aware; a snapshot replays the
// same calls offline) in relkit/github_issues.h.
//
//   std::vector<relkit::Milestone> all = ...;   // ListMilestones
//   absl::StatusOr<relkit::Milestone> m =
//       relkit::FindMilestone(all, "2.4.0", repo);   // or "47": by number
//   if (!m.ok()) return m.status();  // NotFound listing the titles there are
//
// The issues API lists pull requests too (`kind == kPullRequest`); it gives
// `merged` (from `pull_request.merged_at`) but not the merge commit, which
// needs one `GetPullRequest` call per PR (milestone validation maps PRs to
// commits through local git trailers instead).

#ifndef RELKIT_MILESTONE_H_
#define RELKIT_MILESTONE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "relkit/github_repo.h"

namespace relkit {

enum class IssueState : uint8_t { kOpen, kClosed };

// Returns "open" or "closed".
absl::string_view IssueStateName(IssueState state);

// A milestone (`number` is the API's id, distinct from its title).
struct Milestone {
  int64_t number = 0;
  std::string title = {};
  IssueState state = IssueState::kOpen;
  std::string description = {};
  std::optional<absl::Time> due_on = {};
  int64_t open_issues = 0;
  int64_t closed_issues = 0;
  std::string url = {};  // html_url

  // Returns e.g. `#47 "2.4.0" (open, 3 open / 120 closed, due 2024-07-24)`.
  std::string ToString() const;
  friend bool operator==(const Milestone&, const Milestone&) = default;
};

enum class IssueKind : uint8_t { kIssue, kPullRequest };

// Returns "issue" or "pull_request" (the spelling of the JSON output and the
// Python `kind`).
absl::string_view IssueKindName(IssueKind kind);

// An issue or a pull request as the issues API lists it. Also what a
// milestone holds (`MilestoneItem`).
struct Issue {
  IssueKind kind = IssueKind::kIssue;
  int64_t number = 0;
  std::string title = {};
  IssueState state = IssueState::kOpen;
  std::vector<std::string> labels = {};
  // Pull requests: merged (closed without merging is `state == kClosed`
  // and `merged == false`).
  bool merged = false;
  std::optional<absl::Time> merged_at = {};
  // Pull requests, from the pulls API only (see GetPullRequest).
  std::optional<std::string> merge_commit_sha = {};
  std::string url = {};     // html_url
  std::string author = {};  // user.login
  std::string body = {};
  std::optional<int64_t> milestone = {};  // its number
  std::optional<absl::Time> closed_at = {};
  std::optional<absl::Time> created_at = {};

  bool is_pull_request() const { return kind == IssueKind::kPullRequest; }
  // Returns whether a label is `name` (case-insensitive, as GitHub compares).
  bool HasLabel(absl::string_view name) const;
  // Returns e.g. `PR #123 "Fix foo" (closed, merged)`.
  std::string ToString() const;
  friend bool operator==(const Issue&, const Issue&) = default;
};
using MilestoneItem = Issue;

// A comment on an issue or a pull request's conversation.
struct IssueComment {
  int64_t id = 0;
  std::string author = {};
  std::string body = {};
  std::optional<absl::Time> created_at = {};
  std::optional<absl::Time> updated_at = {};
  std::string url = {};
  friend bool operator==(const IssueComment&, const IssueComment&) = default;
};

// A pull request from the pulls API.
struct PullRequest {
  int64_t number = 0;
  std::string title = {};
  IssueState state = IssueState::kOpen;
  bool merged = false;
  std::optional<absl::Time> merged_at = {};
  // After merging: the merge, squash or rebase-tip commit. While open it is
  // GitHub's test merge commit, so only trust it when `merged`.
  std::optional<std::string> merge_commit_sha = {};
  std::string base_ref = {};  // "release/2.4"
  std::string head_ref = {};
  std::string head_sha = {};
  std::string url = {};
  std::string body = {};
  friend bool operator==(const PullRequest&, const PullRequest&) = default;
};

// One commit status context (the statuses API).
struct StatusContext {
  std::string context = {};
  std::string state = {};  // error, failure, pending, success
  std::string description = {};
  std::string target_url = {};
  friend bool operator==(const StatusContext&, const StatusContext&) = default;
};

// One check run (the checks API).
struct CheckRun {
  int64_t id = 0;
  std::string name = {};
  std::string status = {};      // queued, in_progress, completed, ...
  std::string conclusion = {};  // success, failure, neutral, skipped, ... or ""
  std::string url = {};         // html_url
  friend bool operator==(const CheckRun&, const CheckRun&) = default;
};

// The CI state of one commit.
struct CommitChecks {
  std::string sha = {};
  // The combined status: success, failure, error or pending ("pending" also
  // when there are no statuses at all).
  std::string combined_state = {};
  std::vector<StatusContext> statuses = {};
  std::vector<CheckRun> check_runs = {};
  // How many statuses and check runs GitHub says there are (each API's
  // `total_count`), when it says so. More than listed means that the lists
  // above are incomplete, and what is missing may be red.
  std::optional<int64_t> statuses_total = {};
  std::optional<int64_t> check_runs_total = {};

  // Returns the statuses and check runs that are not green: a status other
  // than success; a check run not completed, or completed with a conclusion
  // other than success, neutral or skipped. Each as "name: state".
  std::vector<std::string> NotGreen() const;
  // Returns why the lists are incomplete ("GitHub reports 3 check runs but
  // lists 1"; both lists' reasons joined by "; "), or "" when nothing is
  // known to be missing.
  std::string Incomplete() const;
  // Returns whether there is at least one status or check run, all are
  // green, and none is known to be missing (Incomplete() is "").
  bool green() const;
};

// -----------------------------------------------------------------------------
// Lookups

// Returns the milestone `number_or_title` names among `milestones`: by number
// when it is all digits, else the milestone titled exactly so, else the one
// whose title's first word is it (`2.2.0` finds `2.2.0 (release/2.2)`, `2.1`
// never finds `2.10.0`). Returns NotFound naming it and `repo`, with the
// titles there are, or InvalidArgument when several titles match.
absl::StatusOr<Milestone> FindMilestone(absl::Span<const Milestone> milestones,
                                        absl::string_view number_or_title,
                                        const GitHubRepo& repo);

}  // namespace relkit

#endif  // RELKIT_MILESTONE_H_
