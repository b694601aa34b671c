// File: relkit/milestone.h
// -----------------------------------------------------------------------------
//
// GitHub data of a release as values: milestones, the issues and pull
// requests in them, issue comments (the cherry-pick tracker), pull requests,
// and the CI state of a commit (combined status + check runs). Each has a
// parser of the REST JSON (errors name the source URL and the JSON path) and
// a client call over relkit/github.h (paginated, cached, rate-limit aware; a
// snapshot replays the same calls offline).
//
//   absl::StatusOr<relkit::GitHubClient> gh = relkit::GitHubClient::Create(
//       {.snapshot_dir = "snapshots/pytorch-2.4"});
//   relkit::GitHubRepo repo = *relkit::GitHubRepo::Parse("pytorch/pytorch");
//   absl::StatusOr<relkit::Milestone> m =
//       relkit::FindMilestone(*gh, repo, "2.4.0");      // or "47": by number
//   absl::StatusOr<std::vector<relkit::Issue>> items =
//       relkit::ListMilestoneItems(*gh, repo, m->number); // issues and PRs
//   for (const relkit::Issue& item : *items) {
//     if (item.is_pull_request() && item.merged) { ... }
//   }
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
#include "relkit/github.h"

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

  // Returns the statuses and check runs that are not green: a status other
  // than success; a check run not completed, or completed with a conclusion
  // other than success, neutral or skipped. Each as "name: state".
  std::vector<std::string> NotGreen() const;
  // Returns whether there is at least one status or check run and all are
  // green.
  bool green() const;
};

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
absl::StatusOr<PullRequest> ParsePullRequestJson(absl::string_view json,
                                                 absl::string_view source);
// `GET /commits/{sha}/status`: the combined state and the statuses.
absl::Status ParseCombinedStatusJson(absl::string_view json,
                                     absl::string_view source,
                                     CommitChecks& out);
// `GET /commits/{sha}/check-runs`: appends the check runs to `out`.
absl::Status ParseCheckRunsJson(absl::string_view json,
                                absl::string_view source, CommitChecks& out);

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

// -----------------------------------------------------------------------------
// Client calls. Errors are those of GitHubClient::Get and the parsers.

// Returns every milestone of `repo`, open and closed.
absl::StatusOr<std::vector<Milestone>> ListMilestones(GitHubClient& client,
                                                      const GitHubRepo& repo);

// Returns the milestone `number_or_title` (see the pure FindMilestone; a
// number is fetched directly, a title searches every milestone).
absl::StatusOr<Milestone> FindMilestone(GitHubClient& client,
                                        const GitHubRepo& repo,
                                        absl::string_view number_or_title);

// Which issues ListIssues asks for.
struct IssueQuery {
  std::string state = "all";                  // open, closed, all
  std::optional<std::string> milestone = {};  // a number, "*" or "none"
  std::string labels = {};                    // comma-separated
  std::optional<absl::Time> since = {};       // updated at or after
};

// Returns the issues and pull requests matching `query`, every page.
absl::StatusOr<std::vector<Issue>> ListIssues(GitHubClient& client,
                                              const GitHubRepo& repo,
                                              const IssueQuery& query);

// Returns the issues and pull requests of milestone `number` (open and
// closed): ceil(items / 100) requests.
absl::StatusOr<std::vector<Issue>> ListMilestoneItems(GitHubClient& client,
                                                      const GitHubRepo& repo,
                                                      int64_t milestone_number);

// Returns the comments of issue or pull request `number`, oldest first.
absl::StatusOr<std::vector<IssueComment>> ListIssueComments(
    GitHubClient& client, const GitHubRepo& repo, int64_t number);

// Returns pull request `number` (with its merge commit).
absl::StatusOr<PullRequest> GetPullRequest(GitHubClient& client,
                                           const GitHubRepo& repo,
                                           int64_t number);

// Returns the combined status and every check run of commit `sha`.
absl::StatusOr<CommitChecks> GetCommitChecks(GitHubClient& client,
                                             const GitHubRepo& repo,
                                             absl::string_view sha);

}  // namespace relkit

#endif  // RELKIT_MILESTONE_H_
