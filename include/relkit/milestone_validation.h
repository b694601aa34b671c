// File: relkit/milestone_validation.h
// -----------------------------------------------------------------------------
//
// Milestone validation: github_analyze's `--missing-in-branch`, done right.
// Every item of a milestone (except those labelled `release-feature-request`)
// is checked against a branch audit (relkit/branch_audit.h):
//
// - a merged pull request is mapped to its main commits through the local
//   git history (its `Pull Request resolved:` trailer, else its `(#N)` title
//   suffix; exact numbers, never substrings, no per-PR API call), then to
//   the release-branch commits that carry it, with the audit's evidence;
// - an issue is mapped to the commits that fix it (`Fixes #N` and the other
//   closing keywords in commit messages, and in the body of the milestone's
//   pull requests) and those to the branch the same way;
// - open items are listed.
//
//   absl::StatusOr<relkit::BranchAudit> audit =
//       relkit::AuditBranch(repo, "release/2.4");
//   absl::StatusOr<relkit::MilestoneValidation> v =
//       relkit::ValidateMilestone(repo, *audit, milestone, items);
//   for (const relkit::ValidatedItem& i : v->items) {
//     if (i.status == relkit::ItemStatus::kMissing) ...
//   }
//   std::cout << relkit::AnalyzeLines(*v);  // relkit/reports.h: github_analyze's
//                                           // URL;Title;Status lines
//
// `CheckMilestone` does the whole sequence (audit, read the milestone and its
// items from GitHub, validate), as `relkit milestone check` and the readiness
// report need it:
//
//   absl::StatusOr<relkit::MilestoneCheck> c = relkit::CheckMilestone(
//       repo, gh, {.github_repo = *relkit::GitHubRepo::Parse("o/n"),
//                  .branch = "release/2.4", .milestone = "2.4.0"});
//   for (const relkit::ValidatedItem& i : c->validation.items) ...

#ifndef RELKIT_MILESTONE_VALIDATION_H_
#define RELKIT_MILESTONE_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "relkit/branch_audit.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/github_repo.h"
#include "relkit/milestone.h"

namespace relkit {

// What the validation concluded about one milestone item.
enum class ItemStatus : uint8_t {
  // Closed, and every change it names is in the branch.
  kPresent,
  // Closed, and a change it names landed on main since the cut but is not in
  // the branch.
  kMissing,
  // Still open (the release process wants it closed or de-milestoned).
  kOpen,
  // A pull request closed without merging: nothing to pick.
  kNotMerged,
  // A merged pull request that no commit of main or the branch names.
  kNoCommit,
  // A closed issue that no commit or milestone PR says it fixes.
  kNoFix,
  // Labelled `release-feature-request` (skipped, as github_analyze does).
  kSkipped,
};

// Returns "present", "missing", "open", "not-merged", "no-commit", "no-fix"
// or "skipped".
absl::string_view ItemStatusName(ItemStatus status);

// One milestone item and its validation.
struct ValidatedItem {
  Issue item;
  ItemStatus status = ItemStatus::kOpen;
  // The pull requests examined: the PR itself, or the PRs that fix the issue.
  std::vector<uint64_t> prs;
  // The commits of main that carry those changes (since the cut or before).
  std::vector<ObjectId> main_commits;
  // The main commits (since the cut) with no counterpart in the branch.
  std::vector<ObjectId> missing_commits;
  // The branch commits that carry them, with evidence (kAncestry: the main
  // commit predates the cut and so is in the branch).
  std::vector<Counterpart> in_branch;
  // One line explaining the status.
  std::string detail;

  // Returns whether the item blocks a final RC (open or missing).
  bool problem() const {
    return status == ItemStatus::kMissing || status == ItemStatus::kOpen;
  }
};

struct MilestoneValidation {
  std::string branch;
  Milestone milestone;
  // Every item, in the milestone's order (skipped ones included).
  std::vector<ValidatedItem> items;
  // github_analyze's counts: main commits since the cut and branch commits.
  size_t main_commits_since_cut = 0;
  size_t branch_commits = 0;
  // Commits of main before the cut read to map the remaining items.
  size_t history_commits_read = 0;
  // When that walk skipped history older than any remaining item can be
  // (see MilestoneValidationOptions) and some item stayed unfound: the time
  // before which it did not search (the details of those items say so).
  std::optional<absl::Time> history_ended_before = {};

  // Returns the items with `status`.
  std::vector<const ValidatedItem*> With(ItemStatus status) const;
  // Returns how many items block a final RC (ValidatedItem::problem).
  size_t ProblemCount() const;
  // Its text and JSON, and github_analyze's `--missing-in-branch` lines:
  // MilestoneValidationText, MilestoneValidationJson and AnalyzeLines in
  // relkit/reports.h.
};

struct MilestoneValidationOptions {
  // Items with this label are skipped (case-insensitive).
  std::string skip_label = "release-feature-request";
  // Commits of main before the cut read at most to map PRs and issues not
  // seen since the cut (0: no limit). The walk stops as soon as every item
  // is mapped, and skips what lies below 200 first-parent commits in a row
  // older than the earliest time a remaining item can have landed, less a
  // week for clock skew: a PR lands when it merges (`merged_at`), a fix
  // after its issue was opened (`created_at`). When a remaining item has no
  // such time the walk may go to the root (an issue closed without a fix
  // costs a walk of the whole history otherwise).
  size_t max_history_commits = 0;
  // Called every 1024 commits of that walk and when it ends with the number
  // of commits read so far (a progress line on a terminal). Must not call
  // back into the repository.
  std::function<void(size_t)> progress = {};
};

// Validates `items` of `milestone` against `audit` (made on `repo`). Reads
// commit messages from `repo`; never calls GitHub. Returns the errors of
// reading commits (NotFound naming a missing commit).
absl::StatusOr<MilestoneValidation> ValidateMilestone(
    const Repository& repo, const BranchAudit& audit,
    const Milestone& milestone, absl::Span<const Issue> items,
    const MilestoneValidationOptions& options = {});

// What `CheckMilestone` checks, and how.
struct MilestoneCheckOptions {
  // The repository of the milestone.
  GitHubRepo github_repo = {};
  // The release branch (`release/X.Y`, any revision the repository
  // resolves).
  std::string branch = {};
  // The milestone number or title (see FindMilestone in
  // relkit/github_issues.h).
  std::string milestone = {};
  // The branch audit's: main, the cut point's `orig/` ref, the patch-id
  // cache and the progress of its walks.
  AuditOptions audit = {};
  // The validation's: the label of skipped items, the bound and progress of
  // the walk before the cut.
  MilestoneValidationOptions validation = {};
};

// A milestone validated against a fresh audit of the branch, and that audit
// (its reverts needed, its cache use).
struct MilestoneCheck {
  BranchAudit audit;
  Milestone milestone;
  // Every item of the milestone, in its order, validated.
  MilestoneValidation validation;
};

// Audits `options.branch` of `repo`, reads milestone `options.milestone` of
// `options.github_repo` and its items through `client`, and validates them
// against the audit. The audit comes first: a branch that does not resolve
// costs no request. GitHub requests: the milestone (one by number, the
// listing by title) and its item pages; never one per item. Returns the
// errors of AuditBranch (NotFound naming the branch or main), of the client
// (NotFound for a missing milestone) and of ValidateMilestone.
absl::StatusOr<MilestoneCheck> CheckMilestone(
    const Repository& repo, GitHubClient& client,
    const MilestoneCheckOptions& options);

// Audits `options.branch` of `repo` and validates `items` of `milestone`
// (read by the caller) against it: CheckMilestone without GitHub
// (`options.github_repo` and `options.milestone` are not used). Returns the
// errors of AuditBranch and ValidateMilestone.
absl::StatusOr<MilestoneCheck> CheckMilestone(
    const Repository& repo, const Milestone& milestone,
    absl::Span<const Issue> items, const MilestoneCheckOptions& options);

}  // namespace relkit

#endif  // RELKIT_MILESTONE_VALIDATION_H_
