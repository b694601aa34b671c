// File: relkit/patch_triage_fetch.h
// -----------------------------------------------------------------------------
//
// Reads from GitHub what patch-release triage (relkit/patch_triage.h) needs,
// with the existing read calls (relkit/github_issues.h), never one request
// per item:
//
//   1. the milestones, to find the one titled as the version (none is a
//      note, not an error: triage may come before the milestone);
//   2. that milestone's items;
//   3. open issues and PRs labelled `triage review`;
//   4. open issues labelled `module: regression`;
//   5. issues labelled `high priority` updated since the minor's branch cut
//      (the schedule's; all of them when it has none);
//   6. issues labelled `release tracker`, which with the milestone's items
//      give the patch tracker by exact version (relkit::FindTrackerIssues;
//      open first, then newest);
//   7. that tracker's comments.
//
//   absl::StatusOr<relkit::PatchTriageInput> in = relkit::FetchPatchTriage(
//       gh, *relkit::GitHubRepo::Parse("pytorch/pytorch"),
//       *relkit::Version::Parse("2.4.1"), schedule);
//   absl::StatusOr<relkit::PatchTriage> t =
//       relkit::TriagePatchRelease(*in, schedule, options);

#ifndef RELKIT_PATCH_TRIAGE_FETCH_H_
#define RELKIT_PATCH_TRIAGE_FETCH_H_

#include <string>

#include "absl/status/statusor.h"
#include "relkit/github.h"
#include "relkit/github_repo.h"
#include "relkit/patch_triage.h"
#include "relkit/schedule.h"
#include "relkit/version.h"

namespace relkit {

struct PatchTriageFetchOptions {
  // The label of release tracker issues (the bot requires it).
  std::string tracker_label = "release tracker";
  // The labels of the listings (see PatchTriageOptions).
  std::string triage_label = "triage review";
  std::string regression_label = "module: regression";
  std::string high_priority_label = "high priority";
};

// Returns the input of TriagePatchRelease for patch release `version` of
// `repo` (see the file comment). InvalidArgument when `version` is not a
// patch release (before any request); the errors of the client otherwise.
absl::StatusOr<PatchTriageInput> FetchPatchTriage(
    GitHubClient& client, const GitHubRepo& repo, const Version& version,
    const ReleaseSchedule& schedule,
    const PatchTriageFetchOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_PATCH_TRIAGE_FETCH_H_
