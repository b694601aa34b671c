// File: relkit/tracker_create.h
// -----------------------------------------------------------------------------
//
// `relkit tracker create`: plan, then open the issues of a release on GitHub
// (the release or patch tracker and the validation issue, rendered by
// relkit/release_tracker.h).
//
//   absl::StatusOr<relkit::TrackerCreatePlan> plan = relkit::PlanTrackerCreate(
//       gh, repo, {.version = *relkit::Version::Parse("2.13.0")});
//   // print plan: each issue "create" or "exists: #N url"
//   absl::StatusOr<relkit::TrackerCreateResult> done =
//       relkit::ApplyTrackerCreate(gh, repo, *plan);
//
// An existing tracker is found by its exact version (FindTrackerIssues in
// relkit/cherry_pick.h over the issues labelled "release tracker": "[v2.4.1]
// Release Tracker" is the tracker of 2.4.1, "[v.2.4.10] Release Tracker"
// never is); the validation issue by its exact title or body marker among
// the issues with its first label. The apply creates through CreateIssue
// (relkit/github_writes.h), which looks again before creating, so a rerun
// or a retry after a dropped response never opens a second issue.

#ifndef RELKIT_TRACKER_CREATE_H_
#define RELKIT_TRACKER_CREATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "relkit/github.h"
#include "relkit/github_repo.h"
#include "relkit/release_tracker.h"
#include "relkit/schedule.h"
#include "relkit/version.h"

namespace relkit {

struct TrackerCreateOptions {
  Version version;
  // The schedule the dates come from; ReleaseSchedule::Default() when unset.
  std::optional<ReleaseSchedule> schedule = {};
  TrackerOptions tracker = {};  // dates, release managers (repository: set
                                // from `repo` when empty)
};

// One issue of the plan.
struct PlannedIssue {
  enum class Action : uint8_t { kCreate, kExists };
  Action action = Action::kCreate;
  std::string role = {};  // "tracker" / "validation"
  IssueDraft draft = {};
  // kExists: the issue there is.
  int64_t number = 0;
  std::string url = {};
  std::string existing_title = {};
};

// Returns "create" or "exists".
absl::string_view PlannedIssueActionName(PlannedIssue::Action action);

struct TrackerCreatePlan {
  std::string repository = {};  // "owner/name"
  Version version;
  bool patch = false;
  TrackerDates dates = {};
  std::vector<PlannedIssue> issues = {};  // the tracker, then validation
  // Other trackers of the same version (several issues matched exactly).
  std::vector<std::string> notes = {};

  // Returns the number of issues to create.
  size_t create_count() const;
};

// One issue of the result.
struct CreatedIssue {
  std::string role = {};
  std::string title = {};
  int64_t number = 0;
  std::string url = {};
  bool created = false;  // false: it existed (plan or CreateIssue's lookup)
};

struct TrackerCreateResult {
  std::vector<CreatedIssue> issues = {};
  size_t created_count() const;
};

// Returns the plan: renders both issues and looks for them on GitHub.
// InvalidArgument for a version that is not X.Y.Z or missing dates (see
// DeriveTrackerDates); GitHub errors as GitHubClient::Get.
absl::StatusOr<TrackerCreatePlan> PlanTrackerCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const TrackerCreateOptions& options);

// Creates what `plan` says to create, the tracker first (the validation
// issue then links it by number). Errors of CreateIssue; issues created
// before a failure stay, and a rerun finds them.
absl::StatusOr<TrackerCreateResult> ApplyTrackerCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const TrackerCreatePlan& plan);

}  // namespace relkit

#endif  // RELKIT_TRACKER_CREATE_H_
