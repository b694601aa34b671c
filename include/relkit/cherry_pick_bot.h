// File: relkit/cherry_pick_bot.h
// -----------------------------------------------------------------------------
//
// The `@pytorchbot cherry-pick` bot as a plan and an apply: pick a merged
// PR's commit on main onto a release branch in memory (libgit2, no working
// tree), push it as branch `cherry-pick-<pr>-by-<actor>`, open the PR
// against the release branch with the original PR's title and body, post
// the three-block nomination on the release tracker and a short note on the
// original PR. A conflict opens nothing: the original PR gets a comment
// that @-mentions the requester and names the conflicting paths.
//
//   relkit::CherryPickRequest req;
//   req.pr = 128004;
//   req.onto = "release/2.4";
//   req.classification = relkit::Classification::kRegression;
//   req.fixes = "https://github.com/pytorch/pytorch/issues/130000";
//   req.requested_by = "octocat";
//   req.repo = *relkit::GitHubRepo::Parse("pytorch/pytorch");
//   absl::StatusOr<relkit::CherryPickPlan> plan =
//       relkit::PlanCherryPick(repo, gh, req);
//   if (plan.ok() && plan->refusals.empty()) {
//     absl::StatusOr<relkit::CherryPickApplyResult> done =
//         relkit::ApplyCherryPick(repo, gh, *plan);
//   }
//
// Deliberate differences from the bot: the main commit is found by the
// branch audit's exact PR number (never a substring `git log --grep`), the
// tracker by exact version (`FindTrackerIssues`), a PR the audit finds in
// the branch already is refused with the evidence, patch-release rules are
// enforced, conflicts are never auto-resolved (no `-X theirs`), and every
// step is planned first and idempotent: a rerun finds the branch, the PR and
// the comments (by their hidden markers) instead of making new ones.

#ifndef RELKIT_CHERRY_PICK_BOT_H_
#define RELKIT_CHERRY_PICK_BOT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/cherry_pick.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/github_repo.h"
#include "relkit/milestone.h"
#include "relkit/version.h"

namespace relkit {

// What to pick, where, and why.
struct CherryPickRequest {
  // The PR on main to pick.
  int64_t pr = 0;
  // The release branch, as GitHub names it ("release/2.4"). Locally it is
  // `refs/heads/<onto>`, else `<push_remote>/<onto>` when `push_remote` is
  // a configured remote.
  std::string onto = {};
  Classification classification = Classification::kRegression;
  // The issue the pick fixes (`--fixes`): a URL or `#N`.
  std::optional<std::string> fixes = {};
  // The GitHub login of who asked; names the branch and is @-mentioned when
  // the pick fails. Empty: "relkit" in the branch name and no mention.
  std::string requested_by = {};
  // The main branch (any revision).
  std::string main = "main";
  // Where the branch is pushed: a configured remote, URL or path.
  std::string push_remote = "origin";
  // The GitHub repository of the PRs, the tracker and the comments.
  GitHubRepo repo = {};
  // The committer of the pick; nullopt: the repository's configured user.
  std::optional<Signature> committer = {};
};

// Returns `base` with `onto`, `classification` and `fixes` taken from the
// `@pytorchbot cherry-pick` command in `comment` (CherryPickCommand::Parse;
// its errors as they are).
absl::StatusOr<CherryPickRequest> CherryPickRequestFromComment(
    absl::string_view comment, CherryPickRequest base,
    absl::string_view source = "<comment>");

// Returns the bot's branch name: `cherry-pick-<pr>-by-<actor>` with every
// run of characters other than [0-9a-zA-Z] in the actor replaced by `_`
// ("relkit" for an empty actor).
std::string CherryPickBranchName(int64_t pr, absl::string_view actor);

// The state of one planned write.
enum class CherryPickStepState : uint8_t {
  kToDo,     // will be done by apply
  kDone,     // exists already (a rerun)
  kSkipped,  // not applicable (no tracker; a conflict opens nothing)
};
// Returns "to do", "done" or "skipped".
absl::string_view CherryPickStepStateName(CherryPickStepState state);

// The plan of one cherry-pick.
struct CherryPickPlan {
  CherryPickRequest request;
  // The PR, from the pulls API.
  PullRequest pr;
  // The release the branch is working towards (TargetRelease) and whether
  // it is a patch release (X.Y.Z with Z > 0).
  std::optional<Version> target_release;
  bool patch_release = false;
  // The revision of the release branch in the repository and its head.
  std::string onto_rev;
  ObjectId onto_head;
  // The PR's commit on main since the cut (exact PR number; the PR's merge
  // commit when several carry it), and how it was found.
  std::optional<ObjectId> main_commit;
  std::string main_commit_title;
  std::string main_commit_found_by;
  // The branch to create and where it is: locally and on the push remote.
  std::string branch;
  std::optional<ObjectId> branch_local;
  std::optional<ObjectId> branch_remote;
  // The in-memory pick (of `main_commit` onto `onto_head`; or the commit an
  // earlier run left on `branch`).
  std::optional<CherryPickResult> pick;
  // The PR to open.
  std::string pr_title;
  std::string pr_body;
  // The tracker issue (exact version, `release tracker` label) and the
  // nomination to post there; the release-branch PR link is filled in at
  // apply time.
  std::optional<Issue> tracker;
  CherryPickNomination nomination;
  // Markers (WriteMarker keys) of the comments.
  std::string tracker_marker;
  std::string done_marker;
  std::string failure_marker;
  // Steps: branch (local ref), push, PR, tracker comment, PR comment; or,
  // for a conflict, the failure comment.
  CherryPickStepState branch_step = CherryPickStepState::kToDo;
  CherryPickStepState push_step = CherryPickStepState::kToDo;
  CherryPickStepState pr_step = CherryPickStepState::kToDo;
  CherryPickStepState tracker_step = CherryPickStepState::kToDo;
  CherryPickStepState done_comment_step = CherryPickStepState::kToDo;
  CherryPickStepState failure_comment_step = CherryPickStepState::kSkipped;
  // The cherry-pick PR's URL when an earlier run opened it (read back from
  // the done comment or the tracker comment); else "".
  std::string existing_pr_url;
  // True when every step is done already (a rerun after success).
  bool already_applied = false;
  // Why the pick must not happen (each a sentence); apply refuses a plan
  // that has any.
  std::vector<std::string> refusals;
  // What is worth knowing but does not stop it.
  std::vector<std::string> warnings;

  bool refused() const { return !refusals.empty(); }
  bool conflict() const {
    return pick && pick->kind == CherryPickResult::Kind::kConflict;
  }
};

// Plans the pick of `request.pr` onto `request.onto`, reading the
// repository and GitHub only. Refusals (in `refusals`, not errors): the PR
// is not merged ("Refuse to cherry pick #N because it hasn't been merged
// yet"), no commit on main carries it, the audit finds it in the branch
// already (with the evidence and the branch commit), a classification a
// patch release does not accept or a missing `fixes` where the
// classification requires an issue in a patch release (in a minor release:
// a warning), an earlier branch of that name that is not this pick, an
// empty pick. Returns InvalidArgument for a bad request, NotFound when the
// PR, the release branch or main do not exist, and GitHub's and git's
// errors as they are.
absl::StatusOr<CherryPickPlan> PlanCherryPick(Repository& repo,
                                              GitHubClient& client,
                                              const CherryPickRequest& request);

// What ApplyCherryPick did.
struct CherryPickApplyResult {
  // True when nothing needed doing.
  bool already_applied = false;
  // True when the pick conflicted: only the failure comment was posted.
  bool conflict = false;
  bool branch_created = false;
  bool pushed = false;
  // The cherry-pick PR (created now or found).
  std::optional<Issue> pull_request;
  bool pr_created = false;
  std::optional<IssueComment> tracker_comment;
  bool tracker_comment_created = false;
  std::optional<IssueComment> pr_comment;
  bool pr_comment_created = false;
  std::optional<IssueComment> failure_comment;
  bool failure_comment_created = false;
};

// Carries out `plan`: for a clean pick, creates the local branch
// (compare-and-swap: it must not exist, or be at the planned commit), pushes
// it, opens the PR (found instead when one from the branch exists), posts
// the tracker comment and the note on the original PR; for a conflict,
// posts the failure comment only. Each step finds its result from an
// earlier run instead of repeating it. Returns FailedPrecondition for a
// refused plan, Aborted when the release branch or the pick branch moved
// since the plan, and git's and GitHub's errors naming the step (steps
// before it stay done; a rerun continues).
absl::StatusOr<CherryPickApplyResult> ApplyCherryPick(
    Repository& repo, GitHubClient& client, const CherryPickPlan& plan);

// Returns the text of the comment on the original PR after a clean pick
// (the bot's "### Cherry picking #N" note with the PR URL and the issue).
std::string CherryPickDoneComment(const CherryPickPlan& plan,
                                  absl::string_view pr_url);
// Returns the text of the failure comment on the original PR: @-mentions
// the requester and lists the conflicting paths.
std::string CherryPickFailureComment(const CherryPickPlan& plan);
// Returns the nomination with `pr_url` as the release-branch PR.
CherryPickNomination CherryPickNominationFor(const CherryPickPlan& plan,
                                             absl::string_view pr_url);

}  // namespace relkit

#endif  // RELKIT_CHERRY_PICK_BOT_H_
