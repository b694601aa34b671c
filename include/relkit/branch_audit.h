// File: relkit/branch_audit.h
// -----------------------------------------------------------------------------
//
// The exact version of github_analyze's git logic: for a release branch B,
// find the cut point, every commit on B since the cut, and for each its
// counterparts on main since the cut with the evidence that matched; then say
// which main commits or PRs are present in B, and which reverts on main B
// still needs.
//
//   absl::StatusOr<relkit::Repository> repo = relkit::Repository::Open(path);
//   absl::StatusOr<relkit::BranchAudit> audit =
//       relkit::AuditBranch(*repo, "release/2.4", {.main = "main"});
//   for (const relkit::BranchCommit& c : audit->commits) {
//     if (c.release_only) std::cout << c.sha.ToString() << " " << c.title;
//   }
//   for (const relkit::RevertNeeded& r : audit->reverts_needed) ...
//   std::vector<relkit::Presence> p = relkit::FindPrsInBranch(*audit, {123});
//
// Evidence, strongest first:
//   cherry-pick-trailer  B's `(cherry picked from commit <sha>)` names the
//                        main commit (full or abbreviated sha)
//   patch-id             same `git patch-id --stable`
//   pr-number            the main commit's own PR (its `Pull Request
//                        resolved:` trailer, else its title suffix) is one of
//                        B's PR numbers (exact numbers, never substrings)
//   title                equal normalised titles (`NormalizeTitle`)
// A commit with no counterpart is release-only. Commits whose objects are
// missing (partial clone, pruned mirror) lose only the evidence that needs
// those objects and are listed in `warnings`.
//
// Every commit also carries what its message says that users of the audit
// need (its PR, the issues it fixes; on main, what it reverts, resolved in
// the repository), so that none of them reads the messages again.

#ifndef RELKIT_BRANCH_AUDIT_H_
#define RELKIT_BRANCH_AUDIT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/commit_message.h"
#include "relkit/git.h"

namespace relkit {

// Why a branch commit and a main commit are the same change.
enum class Evidence : uint8_t {
  kCherryPickTrailer,
  kPatchId,
  kPrNumber,
  kTitle,
  // Only in `Presence`: the main commit is an ancestor of the branch head.
  kAncestry,
};

// Returns "cherry-pick-trailer", "patch-id", "pr-number", "title" or
// "ancestry".
absl::string_view EvidenceName(Evidence evidence);

// A commit on the other side and the evidence (strongest first) that matched.
struct Counterpart {
  ObjectId sha;
  std::vector<Evidence> evidence;

  // Returns the short sha and the evidence: "596151d0d587 (cherry-pick-
  // trailer, patch-id)", or the short sha alone when there is no evidence.
  std::string ToString() const;
  // Returns whether the PR number is what ties the two commits, with neither
  // a cherry-pick trailer nor a patch-id (a title may agree too): a pick
  // whose conflict resolution changed its patch-id, which a patch-id
  // comparison (`git cherry`, github_analyze.py) reports as missing.
  bool MatchedOnlyByPrNumber() const;

  friend bool operator==(const Counterpart&, const Counterpart&) = default;
};

// Returns the names of `evidence` joined with ", " (the text form every
// report uses).
std::string EvidenceNames(absl::Span<const Evidence> evidence);

// A commit on the release branch since the cut.
struct BranchCommit {
  ObjectId sha;
  std::string title;
  bool is_merge = false;
  // PR numbers of its message (`CommitMessage::PrNumbers`).
  std::vector<uint64_t> pr_numbers;
  // Matching commits on main since the cut, newest first.
  std::vector<Counterpart> counterparts;
  // True when `counterparts` is empty.
  bool release_only = true;
  // The later branch commit that reverts this one as a whole (`git revert`
  // on the branch: `This reverts commit <this sha>.`), unless that revert was
  // itself undone: nothing of this commit is then in the branch.
  std::optional<ObjectId> reverted_by;
  // Counterparts whose change a later branch commit undid without reverting
  // this commit as a whole, as the `-x` pick of main's revert of that main
  // commit does: (main commit, the branch commit that undid it). A squashed
  // pick of two main commits keeps the one not reverted.
  std::vector<std::pair<ObjectId, ObjectId>> counterparts_reverted;
  // The PR it landed as (`CommitMessage::OwnPr`): for a `-x` pick that
  // keeps its trailer, the main PR; else its last `(#N)` title suffix.
  std::optional<uint64_t> own_pr;
  // The issues its message closes (`CommitMessage::fixes`), in order.
  std::vector<GitHubRef> fixes;

  // Returns the branch commit that undid main commit `main` here (the whole
  // commit's revert, else the counterpart's); nullopt when it is live.
  std::optional<ObjectId> RevertedFor(const ObjectId& main) const;
  // Returns true when nothing of this commit is left in the branch: it was
  // reverted as a whole, or every counterpart's change was.
  bool Undone() const {
    return reverted_by.has_value() ||
           (!counterparts.empty() &&
            counterparts_reverted.size() == counterparts.size());
  }
};

// A commit on main since the cut (kept for present/missing queries, and for
// what its message says: the issues it fixes, what it reverts).
struct MainCommit {
  ObjectId sha;
  std::string title;
  // The PR it landed as (`CommitMessage::OwnPr`).
  std::optional<uint64_t> pr;
  // The issues its message closes (`CommitMessage::fixes`), in order.
  std::vector<GitHubRef> fixes;
  // Whether its title makes it a revert or a reapply
  // (`CommitMessage::revert_kind`).
  RevertKind revert_kind = RevertKind::kNone;
  // The commits its `This reverts commit <sha>` lines name, in order, as the
  // audit resolved them in the repository (a full sha of a main commit
  // since the cut directly, else `Repository::ResolveCommit`, so abbreviated
  // shas too). A sha that names no commit of the repository (another
  // repository's, one this clone lacks) or an ambiguous abbreviation is
  // left out. Filled whatever `revert_kind` is: a reapply names the revert
  // it undoes.
  std::vector<ObjectId> reverts;
  // The PR number of the merge bot's `Reverted <PR URL> on behalf of ...`
  // line (`CommitMessage::reverted_pr`, any repository).
  std::optional<uint64_t> reverted_pr;
  // The newest main commit since the cut whose `reverts` names this one
  // (for a revert: its reapply); nullopt when none does.
  std::optional<ObjectId> reverted_on_main_by;
};

// A revert on main whose reverted commit is in the branch while the revert
// itself is not.
struct RevertNeeded {
  ObjectId revert_sha;  // on main
  std::string revert_title;
  ObjectId reverted_sha;  // the commit the revert undoes (on main)
  // The commit of the branch that carries the reverted change: its
  // counterpart, or `reverted_sha` itself when it predates the cut.
  ObjectId present_as;
  // How `present_as` matched `reverted_sha` (kAncestry when it predates
  // the cut).
  std::vector<Evidence> evidence;
};

// Something the audit could not check fully.
struct AuditWarning {
  ObjectId sha;
  std::string message;
};

// How the cut point was found.
enum class CutPointSource : uint8_t { kOrigBranch, kMergeBase };
// Returns "orig-branch" or "merge-base".
absl::string_view CutPointSourceName(CutPointSource source);

struct BranchAudit {
  std::string branch;
  std::string main;
  ObjectId branch_head;
  ObjectId main_head;
  ObjectId cut_point;
  CutPointSource cut_point_source = CutPointSource::kMergeBase;
  // Every commit reachable from the branch but not from the cut or main,
  // newest first.
  std::vector<BranchCommit> commits;
  // Every commit reachable from main but not from the cut or the branch,
  // newest first.
  std::vector<MainCommit> main_commits;
  std::vector<RevertNeeded> reverts_needed;
  // Commits the branch has by ancestry (from before the cut, or merged from
  // main) that a branch commit reverts, and nothing undid that revert:
  // (commit, the reverting branch commit). Their change is gone.
  std::vector<std::pair<ObjectId, ObjectId>> reverted_before_cut;
  std::vector<AuditWarning> warnings;
  // What the diff-facts cache (`AuditOptions::cache_dir`) did.
  struct CacheUse {
    // Lookups the cache answered, and commits whose facts were computed
    // (and added to it).
    size_t hits = 0;
    size_t computed = 0;
    // Why the cache could not be read or written ("" when it could, or when
    // there is none). The audit itself is complete either way.
    std::string problem;
  } cache;

  // Returns the commit of `main_commits` with id `sha`; nullptr when `sha`
  // is not on main since the cut.
  const MainCommit* FindMainCommit(const ObjectId& sha) const;
};

// The stages `AuditOptions::progress` reports.
enum class AuditStage : uint8_t { kBranchCommits, kMainCommits, kPatchIds };

struct AuditOptions {
  // The main branch (any revision `Repository::ResolveCommit` accepts).
  std::string main = "main";
  // The untouched cut point; empty: `orig/<branch>` (for a remote-tracking
  // `upstream/release/2.4`: `upstream/orig/release/2.4`).
  std::string orig;
  // Called now and then during long walks with (stage, done, total; total is
  // 0 while unknown). Must not call back into the repository.
  std::function<void(AuditStage, size_t, size_t)> progress;
  // A directory for the on-disk cache of per-commit diff facts (patch-ids
  // and changed-path digests; see docs/branch-audit.md); empty: no cache.
  // They depend only on a commit's content, so entries never go stale and
  // one directory serves every repository. Reading trees and blobs for them
  // is most of a cold audit's time; with the cache a repeated audit reads
  // commits only. Written atomically; an unusable file is ignored, never
  // served.
  std::string cache_dir;
};

// Audits release branch `branch` of `repo`. The cut point is `orig/<branch>`
// when it exists and is an ancestor of the branch, else the merge-base of
// branch and main (with a warning when `orig/` exists but is not an
// ancestor). Returns NotFound naming the branch or main when they do not
// resolve, FailedPrecondition when history is incomplete (shallow clone) or
// branch and main share no history.
absl::StatusOr<BranchAudit> AuditBranch(const Repository& repo,
                                        absl::string_view branch,
                                        const AuditOptions& options = {});

// Whether a main commit or PR is in the branch.
enum class PresenceState : uint8_t {
  kPresent,
  kMissing,
  // No commit for it on main since the cut and none on the branch: it
  // landed before the cut (and is in the branch) or never landed.
  kNotOnMainSinceCut,
};
// Returns "present", "missing" or "not-on-main-since-cut".
absl::string_view PresenceStateName(PresenceState state);

struct Presence {
  // `#123` for a PR, the full sha for a commit.
  std::string query;
  PresenceState state = PresenceState::kMissing;
  // The main commits (since the cut) that the query names.
  std::vector<ObjectId> main_commits;
  // The branch commits that carry it, with evidence; for kAncestry the main
  // commit itself.
  std::vector<Counterpart> in_branch;
  // Branch commits that carried it but whose change the branch undid
  // (`BranchCommit::RevertedFor`; for a commit before the cut, the commit
  // itself with kAncestry, see `BranchAudit::reverted_before_cut`). They do
  // not count: a change picked and then reverted on the branch is missing.
  std::vector<Counterpart> reverted_in_branch;
};

// Returns, for each PR number, whether its main commits are in the branch.
// A PR that only appears on the branch (by number) is present.
std::vector<Presence> FindPrsInBranch(const BranchAudit& audit,
                                      absl::Span<const uint64_t> prs);

// Returns, for each revision (sha, abbreviated sha, ref), whether that main
// commit is in the branch: by counterpart evidence, or by ancestry when it
// predates the cut. Returns NotFound naming a revision that does not
// resolve.
absl::StatusOr<std::vector<Presence>> FindCommitsInBranch(
    const Repository& repo, const BranchAudit& audit,
    absl::Span<const std::string> revisions);

}  // namespace relkit

#endif  // RELKIT_BRANCH_AUDIT_H_
