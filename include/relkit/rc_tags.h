// File: relkit/rc_tags.h
// -----------------------------------------------------------------------------
//
// RC tags of a release branch in a real repository: list the `vX.Y.Z-rcN`
// tags, compute the next one for `release/X.Y`, and create it at the branch
// head as a plan first.
//
//   absl::StatusOr<relkit::Repository> repo = relkit::Repository::Open(path);
//   absl::StatusOr<relkit::RcTagPlan> plan =
//       relkit::PlanRcTag(*repo, "release/2.4", {});
//   plan->tag.ToString();        // "v2.4.0-rc3"
//   plan->warnings;              // e.g. the head already carries v2.4.0-rc2
//   absl::StatusOr<relkit::ApplyOutcome> done =
//       relkit::ApplyRcTag(*repo, *plan);   // "already applied" on a rerun
//
// Every step is safe to run again: a plan made after the tag exists at the
// head is that same tag, already applied, and pushing it again is a no-op.
//
// The release a branch is working towards is X.Y.0 until `vX.Y.0` exists,
// then the patch after the highest final tag (or the patch of pending RCs).

#ifndef RELKIT_RC_TAGS_H_
#define RELKIT_RC_TAGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/conventions.h"
#include "relkit/git.h"
#include "relkit/readiness.h"
#include "relkit/version.h"

namespace relkit {

// A release tag of the repository.
struct RepositoryRcTag {
  RcTag tag;
  ObjectId commit;  // peeled
  bool annotated = false;
};

// Returns the release tags (`vX.Y.Z-rcN` and `vX.Y.Z`) of `repo` for
// release branch `branch` (`release/X.Y`, optionally behind a remote prefix
// such as `upstream/`), in tag order. Other tags are ignored.
absl::StatusOr<std::vector<RepositoryRcTag>> ListRcTags(
    const Repository& repo, absl::string_view branch);

// Returns the final release `branch` is working towards given the tags of
// the repository: X.Y.0 when no final X.Y tag exists; else the patch of
// pending RCs without a final tag, else one more than the highest final
// patch. Returns InvalidArgument when `branch` is not a release branch.
absl::StatusOr<Version> TargetRelease(absl::string_view branch,
                                      absl::Span<const std::string> tags);

struct RcTagPlanOptions {
  // The final release to tag an RC of; nullopt: `TargetRelease`. For
  // `final`, nullopt means the release of the branch's newest RC tag.
  std::optional<Version> release;
  // Create the final tag `vX.Y.Z` instead of the next RC (promotion).
  bool final = false;
  // Annotated tag message; nullopt: a lightweight tag (what PyTorch pushes).
  std::optional<std::string> message;
  // Allow `release` to skip versions: a release after the next one the
  // branch's tags lead to (2.4.9 when v2.4.2 is the newest final tag).
  bool allow_skip = false;
  // Where `PushRcTag` sends the tag (a remote name, URL or path); checked
  // when planning, without contacting it.
  std::optional<std::string> remote;
  // For `final`: why the final tag's guards are overridden (the branch head
  // does not carry the last RC; the readiness check failed or was not run,
  // see GuardFinalTag). Empty: no override, a failing guard refuses. The
  // reason and what it overrides go into the tag message, so an overridden
  // final tag is always annotated.
  std::string override_reason = {};
};

// A tag to create: the plan value.
struct RcTagPlan {
  std::string branch;
  RcTag tag;
  // The commit to tag: the branch head for an RC; for a final tag, the
  // commit of the release's last RC (what was built and tested).
  ObjectId target;
  // The branch head when the plan was made.
  ObjectId head;
  std::optional<std::string> message;
  // For a final tag: the last RC of the release, which it promotes.
  std::optional<std::string> promotes;
  // True when `tag` already points at `target` (a rerun): applying changes
  // nothing and reports "already applied".
  bool already_applied = false;
  std::optional<std::string> remote;
  // Release tags that already point at `target`.
  std::vector<std::string> tags_at_target;
  // Human-readable warnings (the head carries another release's RC tag; an
  // overridden guard of a final tag).
  std::vector<std::string> warnings;
  // For a final tag: the guards the plan overrides, one sentence each, and
  // the reason given (RcTagPlanOptions::override_reason).
  std::vector<std::string> overridden;
  std::string override_reason = {};
};

// Plans the next RC tag at the head of `branch`, or the final tag at the
// commit of the release's last RC. Planning again after applying (a rerun)
// returns the same tag with `already_applied` set: for an RC, when the head
// already carries the release's newest RC; for a final tag, when the final
// tag already points at the last RC's commit.
// Returns NotFound when the branch does not resolve, InvalidArgument when it
// is not `release/X.Y` or `release` does not belong to it,
// FailedPrecondition when `release` skips versions without `allow_skip`,
// when the release is already final (for an RC), when it has no RC or its
// last RC is not on the branch (for `final`), when the branch head does not
// carry the last RC (for `final`, without `override_reason`: the final tag
// releases what was built and tested, and the head was not), or when
// `remote` names a
// path that is not a repository (NotFound when nothing is there);
// AlreadyExists when the final tag exists at another commit.
absl::StatusOr<RcTagPlan> PlanRcTag(const Repository& repo,
                                    absl::string_view branch,
                                    const RcTagPlanOptions& options);

// The second guard of a final tag: the final-RC readiness check
// (relkit/readiness.h) must pass. `readiness` is the report of
// CheckReadiness for the branch, or nullptr when it was not run. Returns OK
// for a plan that is not a final tag or is already applied, and when the
// report is ready. Otherwise, without `plan.override_reason`, returns
// FailedPrecondition naming each failed criterion (or that the check was not
// run); with it, records the failures in `plan.overridden` and `warnings`
// and returns OK. Then sets the tag message (FinalTagMessage).
absl::Status GuardFinalTag(const ReadinessReport* readiness, RcTagPlan& plan);

// Returns the message of a final tag whose guards were overridden: the
// plan's message (or "Release X.Y.Z"), then "Readiness override: <reason>"
// and one "- <guard>" line per overridden guard. nullopt when nothing was
// overridden (the plan's own message stands).
std::optional<std::string> FinalTagMessage(const RcTagPlan& plan);

enum class ApplyOutcome : uint8_t { kApplied, kAlreadyApplied };
// Returns "applied" or "already applied".
absl::string_view ApplyOutcomeName(ApplyOutcome outcome);

// Creates the planned tag locally. Returns kAlreadyApplied when the tag
// already points at the planned commit; AlreadyExists when it exists
// elsewhere; Aborted when the branch head moved since the plan was made
// (for an RC) or the release got a newer RC (for a final tag).
absl::StatusOr<ApplyOutcome> ApplyRcTag(Repository& repo,
                                        const RcTagPlan& plan);

// Pushes the planned tag, which must exist locally, to `plan.remote`
// (pushing a tag the remote already has at the same commit changes
// nothing). Returns InvalidArgument when the plan names no remote,
// FailedPrecondition when the tag does not exist locally (apply first), and
// otherwise the push's error, whose message says that the tag exists
// locally and that rerunning pushes it.
absl::Status PushRcTag(Repository& repo, const RcTagPlan& plan);

}  // namespace relkit

#endif  // RELKIT_RC_TAGS_H_
