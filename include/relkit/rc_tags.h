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
//   absl::StatusOr<relkit::ApplyOutcome> done = relkit::ApplyRcTag(*repo,
//   *plan);
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
  // The final release to tag an RC of; nullopt: `TargetRelease`.
  std::optional<Version> release;
  // Create the final tag `vX.Y.Z` instead of the next RC (promotion).
  bool final = false;
  // Annotated tag message; nullopt: a lightweight tag (what PyTorch pushes).
  std::optional<std::string> message;
};

// A tag to create: the plan value.
struct RcTagPlan {
  std::string branch;
  RcTag tag;
  ObjectId target;  // the branch head
  std::optional<std::string> message;
  // Release tags that already point at `target`.
  std::vector<std::string> tags_at_target;
  // Human-readable warnings (the head already carries an RC tag).
  std::vector<std::string> warnings;
};

// Plans the next RC tag (or the final tag) at the head of `branch`. Returns
// NotFound when the branch does not resolve, InvalidArgument when it is not
// `release/X.Y` or `release` does not belong to it, FailedPrecondition when
// the release is already final (for an RC), AlreadyExists when the final tag
// exists (for `final`).
absl::StatusOr<RcTagPlan> PlanRcTag(const Repository& repo,
                                    absl::string_view branch,
                                    const RcTagPlanOptions& options);

enum class ApplyOutcome : uint8_t { kApplied, kAlreadyApplied };
// Returns "applied" or "already applied".
absl::string_view ApplyOutcomeName(ApplyOutcome outcome);

// Creates the planned tag. Returns kAlreadyApplied when the tag already
// points at the planned commit; AlreadyExists when it exists elsewhere;
// Aborted when the branch head moved since the plan was made.
absl::StatusOr<ApplyOutcome> ApplyRcTag(Repository& repo,
                                        const RcTagPlan& plan);

}  // namespace relkit

#endif  // RELKIT_RC_TAGS_H_
