// File: relkit/github_writes.h
// -----------------------------------------------------------------------------
//
// Typed GitHub REST writes over relkit/github.h: issues, comments,
// milestones, labels, pull requests and git refs. Every call that creates
// something looks for it first, so that a rerun, or a retry after a timeout
// whose request did reach GitHub, finds the object instead of making a
// second one:
//
// - an issue: an issue (open or closed, not a pull request) whose title is
//   exactly `title`, or whose body carries `marker`;
// - a comment: a comment of the issue whose body carries `marker`;
// - a milestone: a milestone (open or closed) titled exactly `title`;
// - a pull request: a pull request (any state) from `head` into `base`;
// - a ref: the ref itself (at the same commit: already there; elsewhere:
//   AlreadyExists).
//
// The lookup runs before the first try and again before every retry; a
// create without a lookup is never retried after a failure that may have
// reached the server (GitHubClient::Write). Edits (PATCH) and label
// additions are idempotent and retried like reads.
//
//   relkit::NewIssue issue;
//   issue.title = "[v.2.4.0] Release Tracker";
//   issue.body = "...";
//   issue.labels = {"release tracker", "triaged"};
//   absl::StatusOr<relkit::Written<relkit::Issue>> w =
//       relkit::CreateIssue(gh, repo, issue);
//   if (w.ok() && !w->created) { /* it was there already: w->value */ }
//
// A snapshot client refuses every write (FailedPrecondition): a replay
// cannot change GitHub. Errors are those of GitHubClient::Write; a 422 is
// InvalidArgument with GitHub's validation errors in plain words.

#ifndef RELKIT_GITHUB_WRITES_H_
#define RELKIT_GITHUB_WRITES_H_

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

// The result of a create: the object, and whether this call created it
// (false: it existed already, found by the lookup; nothing was sent).
template <typename T>
struct Written {
  T value;
  bool created = false;
};

// Returns the hidden marker relkit puts into bodies it writes:
// `<!-- relkit:<key> -->`. `key` names the object ("cherry-pick 128004 onto
// release/2.4"); `-->` and line breaks in it are replaced so that the marker
// stays one HTML comment.
std::string WriteMarker(absl::string_view key);

// Returns whether `body` carries the marker of `key`.
bool HasWriteMarker(absl::string_view body, absl::string_view key);

// --- Issues -----------------------------------------------------------------

struct NewIssue {
  std::string title = {};
  std::string body = {};
  std::vector<std::string> labels = {};
  std::vector<std::string> assignees = {};
  std::optional<int64_t> milestone = {};  // milestone number
  // The lookup key of the body's marker (WriteMarker), appended to the body
  // when not empty; an existing issue with this marker or the exact title
  // is the same issue.
  std::string marker = {};
};

// Returns issue `number` (an issue or a pull request).
absl::StatusOr<Issue> GetIssue(GitHubClient& client, const GitHubRepo& repo,
                               int64_t number);

// Creates `issue` unless an issue with exactly its title (or its marker)
// exists; the lookup lists the issues carrying the first of its labels (all
// issues when it has none).
absl::StatusOr<Written<Issue>> CreateIssue(GitHubClient& client,
                                           const GitHubRepo& repo,
                                           const NewIssue& issue);

// Fields of an issue to change; unset fields are left alone.
struct IssueEdit {
  std::optional<std::string> title = {};
  std::optional<std::string> body = {};
  std::optional<IssueState> state = {};
  // Set to move the issue: a milestone number, or nullopt inside to remove
  // it from its milestone.
  std::optional<std::optional<int64_t>> milestone = {};
  std::optional<std::vector<std::string>> labels = {};  // replaces all
};

// Edits issue (or pull request) `number` (PATCH; idempotent).
absl::StatusOr<Issue> EditIssue(GitHubClient& client, const GitHubRepo& repo,
                                int64_t number, const IssueEdit& edit);

// Adds `labels` to issue or pull request `number` (labels it already has
// stay once). Returns the issue's labels afterwards.
absl::StatusOr<std::vector<std::string>> AddLabels(
    GitHubClient& client, const GitHubRepo& repo, int64_t number,
    absl::Span<const std::string> labels);

// --- Comments ---------------------------------------------------------------

// Creates a comment on issue or pull request `number` whose body is `body`
// followed by WriteMarker(marker), unless a comment of that issue already
// carries the marker. `marker` must not be empty.
absl::StatusOr<Written<IssueComment>> CreateComment(GitHubClient& client,
                                                    const GitHubRepo& repo,
                                                    int64_t number,
                                                    absl::string_view body,
                                                    absl::string_view marker);

// --- Milestones -------------------------------------------------------------

struct NewMilestone {
  std::string title = {};
  std::string description = {};
  std::optional<absl::Time> due_on = {};
  IssueState state = IssueState::kOpen;
};

// Creates `milestone` unless a milestone titled exactly the same exists
// (open or closed).
absl::StatusOr<Written<Milestone>> CreateMilestone(
    GitHubClient& client, const GitHubRepo& repo,
    const NewMilestone& milestone);

struct MilestoneEdit {
  std::optional<std::string> title = {};
  std::optional<std::string> description = {};
  std::optional<absl::Time> due_on = {};
  std::optional<IssueState> state = {};
};

// Edits milestone `number` (PATCH; idempotent).
absl::StatusOr<Milestone> EditMilestone(GitHubClient& client,
                                        const GitHubRepo& repo, int64_t number,
                                        const MilestoneEdit& edit);

// --- Pull requests ----------------------------------------------------------

struct NewPullRequest {
  std::string title = {};
  std::string body = {};
  std::string head = {};  // branch name in `repo` ("cherry-pick-1-by-me")
  std::string base = {};  // "release/2.4"
  bool draft = false;
  bool maintainer_can_modify = true;
};

// Creates `pr` unless a pull request (any state) from `head` into `base`
// exists. The PR comes back as an Issue (kind kPullRequest, its number,
// title, state and html_url).
absl::StatusOr<Written<Issue>> CreatePullRequest(GitHubClient& client,
                                                 const GitHubRepo& repo,
                                                 const NewPullRequest& pr);

// --- Git refs ---------------------------------------------------------------

// Creates ref `ref` ("refs/heads/x", "refs/tags/v1") at `sha` unless it
// exists at `sha` (created == false). Returns AlreadyExists naming both
// commits when it exists elsewhere. The value is the commit (`sha`).
absl::StatusOr<Written<std::string>> CreateRef(GitHubClient& client,
                                               const GitHubRepo& repo,
                                               absl::string_view ref,
                                               absl::string_view sha);

}  // namespace relkit

#endif  // RELKIT_GITHUB_WRITES_H_
