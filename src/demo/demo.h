// File: demo/demo.h (the relkit_demo target; not installed)
// -----------------------------------------------------------------------------
//
// A realistic release repository built from scratch through relkit's own
// write API (no `git` subprocess): the story `relkit demo` tells, and a
// fixture for tests, notebooks and later workflows (milestone checks) that
// need a repository with every case the branch audit distinguishes.
//
//   absl::StatusOr<relkit::DemoRepository> demo =
//       relkit::BuildDemoRepository("/tmp/demo/pytorch.git");
//   absl::StatusOr<relkit::Repository> repo =
//       relkit::Repository::Open(demo->path);
//   absl::StatusOr<relkit::BranchAudit> audit =
//       relkit::AuditBranch(*repo, demo->release_branch);
//   relkit::FindPrsInBranch(*audit, demo->requested_prs);  // #128004 missing
//
// The repository (bare) holds:
//   - `main`: merge-bot commits (`Title (#N)`, `Pull Request resolved:
//     https://github.com/pytorch/pytorch/pull/N`, `Approved by:`), a
//     `version.txt` of `2.4.0a0`, a triton pin, a `viable/strict` branch;
//   - the 2.4 branch cut, planned and applied with `PlanBranchCut` /
//     `ApplyBranchCut` from `viable/strict`: `release/2.4`,
//     `orig/release/2.4`, the release-only workflow rewrite and main's bump
//     to `2.5.0a0`;
//   - on `release/2.4`: cherry-picks with `-x` trailers, one pick whose
//     conflict resolution changed its patch-id (it names the main PR only),
//     a release-only triton pin update, and the tag `v2.4.0-rc1` (planned and
//     applied with `PlanRcTag` / `ApplyRcTag`);
//   - on `main` after the cut: one requested fix that was never picked, and
//     a revert of a picked fix that was never propagated.
// Every commit has a fixed author, committer and time, so the shas are the
// same on every run.

#ifndef RELKIT_DEMO_H_
#define RELKIT_DEMO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/git.h"

namespace relkit {

// The part a main-branch change plays in the demo's story.
enum class DemoRole : uint8_t {
  // A fix cherry-picked to the release branch with `git cherry-pick -x`.
  kPicked,
  // A fix picked with a conflict resolution: a new patch-id, no trailer; only
  // its PR number ties it to main.
  kConflictResolved,
  // A fix requested for the release that was never picked.
  kNeverPicked,
  // A fix picked with `-x`, then reverted on main; the revert was not picked.
  kRevertedOnMain,
  // A change for the next release; not requested.
  kMainOnly,
};

// Returns "picked", "conflict-resolved", "never-picked", "reverted-on-main"
// or "main-only".
absl::string_view DemoRoleName(DemoRole role);

// One PR of the story.
struct DemoChange {
  DemoRole role = DemoRole::kMainOnly;
  uint64_t pr = 0;
  // The title on main, with its `(#N)` suffix.
  std::string title;
  ObjectId main_commit;
  // The cherry-pick on the release branch, when there is one.
  std::optional<ObjectId> branch_commit = std::nullopt;
  // The PR of the cherry-pick on the release branch, when it has one.
  std::optional<uint64_t> branch_pr = std::nullopt;
  // The revert on main (kRevertedOnMain only).
  std::optional<ObjectId> revert_commit = std::nullopt;
};

// What `BuildDemoRepository` built: refs, tags and the story's commits.
struct DemoRepository {
  // The bare repository.
  std::string path;
  std::string main = "main";
  std::string source = "viable/strict";
  std::string release_branch;  // "release/2.4"
  std::string orig_branch;     // "orig/release/2.4"
  // The commit the branch was cut from (`orig/release/2.4`).
  ObjectId cut_point;
  // The release-only commit of the branch cut, and main's version bump.
  ObjectId release_only_commit;
  ObjectId version_bump_commit;
  // The release-only triton pin update on the release branch.
  ObjectId pin_update_commit;
  std::string rc_tag;  // "v2.4.0-rc1"
  ObjectId rc_commit;
  // The story, in the order the PRs landed on main.
  std::vector<DemoChange> changes;
  // The fixes requested for the release (what a milestone lists): every
  // change except kMainOnly, by PR number.
  std::vector<uint64_t> requested_prs;

  // Returns the change with `role` (the first one when there are several),
  // or nullptr.
  const DemoChange* Find(DemoRole role) const;
};

// Builds the demo repository as a bare repository at `path` (created when
// missing). Writes objects and refs only through `Repository`; the branch cut
// and the RC tag go through their plan/apply functions. Returns
// FailedPrecondition naming `path` when it exists and is not an empty
// directory, and any error of the underlying writes.
absl::StatusOr<DemoRepository> BuildDemoRepository(absl::string_view path);

}  // namespace relkit

#endif  // RELKIT_DEMO_H_
