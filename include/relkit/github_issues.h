// File: relkit/github_issues.h
// -----------------------------------------------------------------------------
//
// Typed GitHub REST reads over relkit/github.h: milestones, the issues and
// pull requests in them, comments, pull requests and a commit's CI state,
// parsed into the values of relkit/milestone.h. Live, recorded or replayed
// from a snapshot: the client decides, the calls are the same.
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

#ifndef RELKIT_GITHUB_ISSUES_H_
#define RELKIT_GITHUB_ISSUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "relkit/github.h"
#include "relkit/github_repo.h"
#include "relkit/milestone.h"

namespace relkit {

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

#endif  // RELKIT_GITHUB_ISSUES_H_
