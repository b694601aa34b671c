// File: demo/release_demo.h (the relkit_demo target; not installed)
// -----------------------------------------------------------------------------
//
// The release demo end to end, as `relkit demo` tells it: build the demo
// repository (demo/demo.h), audit its release branch, ask for the requested
// PRs, plan the next RC tag, record a matching GitHub snapshot
// (demo/demo_snapshot.h) and run the final-RC readiness check on both; then
// conclude what a release manager has to act on. The faces only print it.
//
//   absl::StatusOr<relkit::ReleaseDemo> d =
//       relkit::RunReleaseDemo("/tmp/demo/pytorch.git");
//   for (const relkit::DemoFinding& f : d->findings) {
//     std::cout << relkit::DemoFindingKindName(f.kind) << ": " << f.text;
//   }

#ifndef RELKIT_DEMO_RELEASE_DEMO_H_
#define RELKIT_DEMO_RELEASE_DEMO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "demo/demo.h"
#include "demo/demo_snapshot.h"
#include "relkit/branch_audit.h"
#include "relkit/cherry_pick_bot.h"
#include "relkit/readiness.h"

namespace relkit {

// What a finding asks the release manager to do.
enum class DemoFindingKind : uint8_t {
  // A requested PR is on main but not in the branch: pick it.
  kMissing,
  // The branch carries a change main reverted: pick the revert too.
  kRevertNeeded,
  // A pick ties to main only by its PR number (see
  // Counterpart::MatchedOnlyByPrNumber): present, though a patch-id
  // comparison says missing.
  kPrNumberOnly,
};

// Returns "missing", "revert-needed" or "pr-number-only".
absl::string_view DemoFindingKindName(DemoFindingKind kind);

// A conclusion of the audit, as a release manager would act on it.
struct DemoFinding {
  DemoFindingKind kind = DemoFindingKind::kMissing;
  // One sentence naming the commits and what to do.
  std::string text = {};
  // The PR of the main commit; 0 when it names none.
  uint64_t pr = 0;
  // The main commit (missing, pr-number-only) or the revert on main.
  ObjectId sha = {};
  // The branch commit (pr-number-only, revert-needed); zero for missing.
  ObjectId branch_sha = {};
};

// Returns the findings of `audit` given the presence of the requested PRs:
// every missing main commit, every revert needed, every pick matched only
// by its PR number; in that order.
std::vector<DemoFinding> ConcludeAudit(const BranchAudit& audit,
                                       absl::Span<const Presence> presence);

// The release demo's results.
struct ReleaseDemo {
  DemoRepository repo;
  BranchAudit audit;
  // FindPrsInBranch of the requested PRs.
  std::vector<Presence> presence;
  // The RC tag PlanRcTag would make next.
  std::string next_rc;
  std::vector<DemoFinding> findings;
  // The GitHub side (a snapshot matching the repository, next to it as
  // `<path>.github`) and the readiness check on both.
  DemoSnapshot snapshot;
  ReadinessReport readiness;

  // The cherry-pick bot (relkit cherry-pick apply) picks the first missing
  // requested PR onto the release branch against the demo's writable
  // GitHub (demo/demo_github.h): the plan, what applying it did, and that
  // planning again finds everything done.
  std::optional<CherryPickPlan> bot_plan;
  std::optional<CherryPickApplyResult> bot_result;
  bool bot_rerun_already_applied = false;
  // The GitHub writes the bot made ("POST repos/o/n/pulls -> 201").
  std::vector<std::string> github_writes;
  // The release manager merges the bot's PR (a fast-forward of the release
  // branch), tags the next RC at the new head, and checks readiness again.
  ObjectId release_head_before;
  ObjectId release_head_after;
  std::string rc_after;
  ReadinessReport readiness_after;
};

// Builds the demo repository at `path` (new or empty; see
// BuildDemoRepository) and runs the demo on it, offline, writing the GitHub
// snapshot into `<path>.github`; then runs the cherry-pick bot on the first
// missing requested PR, merges its branch into the release branch, tags the
// next RC and checks readiness again (the repository ends in that state:
// `release_head_before` is the story's release head). Returns FailedPrecondition, before creating
// anything, when `path` or `<path>.github` exists and is not an empty
// directory; and the errors of building, auditing and checking.
absl::StatusOr<ReleaseDemo> RunReleaseDemo(const std::string& path);

}  // namespace relkit

#endif  // RELKIT_DEMO_RELEASE_DEMO_H_
