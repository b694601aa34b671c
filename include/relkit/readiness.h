// File: relkit/readiness.h
// -----------------------------------------------------------------------------
//
// The final-RC readiness report of a release branch: the criteria that
// RELEASE_PROCESS.txt lists before creating the final release candidate,
// each evaluated with its evidence from the local repository (branch audit,
// RC tags) and GitHub (milestone listing pages, tracker comments, the CI
// state of the branch head):
//
//   no-open-items          no open issue or PR in the milestone
//   milestone-prs-present  every closed milestone PR (and issue fix) is in
//                          the branch (relkit/milestone_validation.h)
//   no-outstanding-picks   every tracker nomination is in the branch
//   no-reverts-needed      no revert on main the branch still needs
//   rc-tag-at-head         an RC tag points at the branch head
//   ci-green               the head's commit statuses and check runs are green
//
//   absl::StatusOr<relkit::ReadinessReport> r = relkit::CheckReadiness(
//       repo, gh, {.github_repo = *relkit::GitHubRepo::Parse("o/n"),
//                  .branch = "release/2.4", .milestone = "2.4.0"});
//   if (!r->ready()) std::cout << relkit::ReadinessText(*r);  // reports.h
//   relkit::WriteFileAtomically("report.html", relkit::ReadinessHtml(*r));
//
// Also the status of each cherry-pick request (`EvaluateCherryPicks`):
// landed on main, in the release branch, reverted on main since.

#ifndef RELKIT_READINESS_H_
#define RELKIT_READINESS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/branch_audit.h"
#include "relkit/cherry_pick.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/milestone.h"
#include "relkit/milestone_validation.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Cherry-pick requests

// The state of one tracker nomination.
struct CherryPickStatus {
  // The tracker comment.
  std::string comment_url;
  std::string author;
  CherryPickNomination nomination;
  // The PR numbers of its links (pull-request links only).
  std::vector<uint64_t> trunk_prs;
  std::vector<uint64_t> release_prs;
  // Whether every trunk PR has a commit on main since the cut; nullopt when
  // the nomination names no trunk PR (a release-only change).
  std::optional<bool> landed_on_main;
  std::vector<ObjectId> main_commits;
  // Whether the change is in the release branch: a release PR's number is
  // on a branch commit, or every trunk commit has a counterpart there.
  bool in_branch = false;
  std::vector<Counterpart> branch_commits;
  // Reverts on main (since the cut) of the trunk commits.
  std::vector<ObjectId> reverts_on_main;
  // Those reverts that the branch does not have yet.
  std::vector<ObjectId> reverts_missing;

  // Returns whether the request still needs work before a final RC: not in
  // the branch yet.
  bool outstanding() const { return !in_branch; }
  // Returns whether the original was reverted on main while the cherry-pick
  // is in the branch and its revert is not (it must be reverted too).
  bool needs_revert() const { return in_branch && !reverts_missing.empty(); }
  // Returns "in-branch", "outstanding" or "needs-revert".
  std::string state() const;
};

// Returns the status of each nomination among `comments` (comments that are
// not nominations are skipped), against `audit`. Uses only what the audit
// read (`MainCommit::reverts`, `revert_kind`, `reverted_pr` for the reverts
// on main): no repository access, no error.
std::vector<CherryPickStatus> EvaluateCherryPicks(
    const BranchAudit& audit, absl::Span<const IssueComment> comments);

// -----------------------------------------------------------------------------
// Readiness

enum class CriterionId : uint8_t {
  kNoOpenItems,
  kMilestonePrsPresent,
  kNoOutstandingPicks,
  kNoRevertsNeeded,
  kRcTagAtHead,
  kCiGreen,
};

// Returns "no-open-items", "milestone-prs-present", "no-outstanding-picks",
// "no-reverts-needed", "rc-tag-at-head" or "ci-green".
absl::string_view CriterionName(CriterionId id);

// One criterion and its evidence.
struct Criterion {
  CriterionId id = CriterionId::kNoOpenItems;
  // What it requires, in the release process's words.
  std::string title = {};
  bool passed = false;
  // One line: why it passed or failed.
  std::string summary = {};
  // The facts behind it, one per line (items, commits, checks).
  std::vector<std::string> evidence = {};
};

struct ReadinessReport {
  std::string repository;  // OWNER/NAME
  std::string branch;
  ObjectId branch_head;
  Milestone milestone;
  // The tracker issue read for nominations (nullopt when none was found).
  std::optional<int64_t> tracker_issue;
  std::vector<std::string> rc_tags_at_head;
  std::vector<Criterion> criteria;
  MilestoneValidation validation;
  std::vector<CherryPickStatus> cherry_picks;
  std::vector<RevertNeeded> reverts_needed;
  // Why the branch audit could not use its patch-id cache
  // (`BranchAudit::cache.problem`); "" when it could or had none. The
  // report is complete either way.
  std::string audit_cache_problem;
  CommitChecks checks;
  // Where the GitHub data came from ("live", "snapshot DIR", "record DIR")
  // and how many requests it took.
  std::string source;
  int64_t requests = 0;

  // Returns whether every criterion passed.
  bool ready() const;
  // Its text, JSON and HTML: ReadinessText, ReadinessJson and ReadinessHtml
  // in relkit/reports.h.
};

struct ReadinessOptions {
  GitHubRepo github_repo = {};
  // The release branch (`release/X.Y`, any revision the repository
  // resolves) and main.
  std::string branch = {};
  std::string main = "main";
  // The milestone number or title.
  std::string milestone = {};
  // The tracker issue; nullopt: the open `release tracker` issue of the
  // branch's target release, when there is one.
  std::optional<int64_t> tracker_issue = {};
  // The label of tracker issues when looking one up.
  std::string tracker_label = "release tracker";
  // Progress of the walks, for a progress line on a terminal: the branch
  // audit's (AuditOptions::progress) and the milestone validation's walk
  // before the cut (MilestoneValidationOptions::progress). GitHub paging
  // reports through the client (GitHubClientOptions::page_progress).
  std::function<void(AuditStage, size_t, size_t)> audit_progress = {};
  std::function<void(size_t)> history_progress = {};
  // The branch audit's patch-id cache (AuditOptions::cache_dir); empty: none.
  std::string audit_cache_dir = {};
};

// Evaluates the final-RC criteria of `options.branch` in `repo` against
// GitHub through `client`. GitHub requests: the milestone (one request by
// number, the listing by title), its item listing pages, the tracker issue
// lookup and comments, and the head's status and check runs; never one per
// item. Returns the errors of the audit and the client (NotFound for a
// missing milestone or branch).
absl::StatusOr<ReadinessReport> CheckReadiness(const Repository& repo,
                                               GitHubClient& client,
                                               const ReadinessOptions& options);

}  // namespace relkit

#endif  // RELKIT_READINESS_H_
