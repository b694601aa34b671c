// File: relkit/release_tracker.h
// -----------------------------------------------------------------------------
//
// The issues a release opens on GitHub, rendered as values: the release
// tracker of a minor release (the test-infra `release-create-tracker-issue`
// template, embedded from data/github/release_tracker_issue_template.md),
// the patch tracker of a patch release (RELEASE_PROCESS.txt "Patch
// Releases"), and the validation issue of the final RC.
//
//   absl::StatusOr<relkit::ReleaseSchedule> s =
//       relkit::ReleaseSchedule::Default();
//   absl::StatusOr<relkit::TrackerIssues> issues = relkit::RenderTrackerIssues(
//       *s, *relkit::Version::Parse("2.13.0"), {});
//   issues->tracker.title;  // "[v.2.13.0] Release Tracker"
//   issues->dates.m3;       // "week of 8/6/26"
//
// Milestone dates (spelled as the real trackers spell them: D/M/YY without
// leading zeros, "week of <Monday>" for a week):
//   M3  release branch cut: "week of" the Monday of the cut's week;
//   M6  release day: the release date;
//   M4  final RC, = the phase cutoff: "week of" the Monday two weeks before
//       the Monday of release day's week;
//   M4.1 tutorial drafts: release day - 8 days;
//   M5  external-facing content: release day - 7 days.
// The 2.13 tracker (cut 8 Jun 2026, release 8 Jul 2026) has exactly these:
// week of 8/6/26, week of 22/6/26, 30/6/26, 1/7/26, 8/7/26. Any date can be
// given instead (TrackerDateOptions, kept verbatim); a schedule date known
// only to the month is spelled "Jun 2024", and the dates derived from it
// must then be given (InvalidArgument naming the missing option otherwise).

#ifndef RELKIT_RELEASE_TRACKER_H_
#define RELKIT_RELEASE_TRACKER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "relkit/schedule.h"
#include "relkit/version.h"

namespace relkit {

// An issue to open: what relkit::NewIssue (relkit/github_writes.h) is made
// of. `marker` is the key of the hidden body marker that finds it again.
struct IssueDraft {
  std::string title = {};
  std::string body = {};
  std::vector<std::string> labels = {};
  std::string marker = {};

  friend bool operator==(const IssueDraft&, const IssueDraft&) = default;
};

// The milestone dates of a tracker, as written into its body.
struct TrackerDates {
  std::string m3 = {};            // "week of 8/6/26"
  std::string m4 = {};            // "week of 22/6/26"
  std::string m4_1 = {};          // "30/6/26"
  std::string m5 = {};            // "1/7/26"
  std::string m6 = {};            // "8/7/26"
  std::string phase_cutoff = {};  // M4 without "week of": "22/6/26"
  // The release day, when the schedule (or --m6) gives a day.
  std::optional<absl::CivilDay> release_day = {};

  friend bool operator==(const TrackerDates&, const TrackerDates&) = default;
};

// Dates given instead of the derived ones (verbatim text; "" = derive).
struct TrackerDateOptions {
  std::string m3 = {};
  std::string m4 = {};
  std::string m4_1 = {};
  std::string m5 = {};
  std::string m6 = {};
  std::string phase_cutoff = {};
};

// What the trackers are rendered with.
struct TrackerOptions {
  TrackerDateOptions dates = {};
  // Who may grant special dispensation (the template's default pair).
  std::string release_managers = "@atalman, @malfet";
  // The repository the links point to.
  std::string repository = "pytorch/pytorch";
};

// The issues of one release: the (release or patch) tracker and the
// validation issue.
struct TrackerIssues {
  Version version;
  bool patch = false;
  TrackerDates dates = {};
  IssueDraft tracker = {};
  IssueDraft validation = {};
};

// Returns "D/M/YY" ("8/7/26").
std::string TrackerDay(absl::CivilDay day);

// Returns the milestone dates of minor release `version` from its schedule
// row and `options`. NotFound when the schedule has no row for it;
// InvalidArgument when a date cannot be derived and is not given.
absl::StatusOr<TrackerDates> DeriveTrackerDates(
    const ReleaseSchedule& schedule, const Version& version,
    const TrackerDateOptions& options = {});

// Returns `tmpl` with every `{NAME}` replaced by values[NAME]. Returns
// InvalidArgument naming the placeholder for one without a value, and for a
// `{` not closed on its line. Other braces (`{x}` in code, JSON) are not
// placeholders: only `{` followed by upper-case letters, digits and `_`
// and `}` is.
absl::StatusOr<std::string> FillTemplate(
    absl::string_view tmpl, const std::map<std::string, std::string>& values);

// Returns the embedded release tracker template.
absl::string_view ReleaseTrackerTemplate();

// Returns the title of the tracker of `version`: "[v.2.13.0] Release
// Tracker" for a minor (test-infra's skill), "[v2.4.1] Release Tracker" for
// a patch release (as every real patch tracker is titled).
std::string TrackerTitle(const Version& version);

// Returns the title of the validation issue: "Validations for 2.1.2
// release" (RELEASE_PROCESS.txt's example, issue 114904).
std::string ValidationIssueTitle(const Version& version);

// Renders the release tracker of minor `version` (X.Y.0) from `tmpl` (the
// embedded template when empty). InvalidArgument for a patch version or a
// template error.
absl::StatusOr<IssueDraft> RenderReleaseTracker(
    const Version& version, const TrackerDates& dates,
    const TrackerOptions& options = {}, absl::string_view tmpl = {});

// Renders the patch tracker of `version` (Z > 0): the accepted categories of
// RELEASE_PROCESS.txt, the rule that every cherry-pick links a high-priority
// issue or a CI failure of the previous RC, the cherry-pick deadline and the
// release date (from the schedule's first or second patch date, or
// options.dates.m4 / m6), and the nomination template with a "Link to
// issue:" block.
absl::StatusOr<IssueDraft> RenderPatchTracker(
    const Version& version, const ReleaseSchedule& schedule,
    const TrackerOptions& options = {});

// Renders the validation issue: the after-final-RC checklist of
// RELEASE_PROCESS.txt, linking the tracker (`tracker_number` when known)
// and the milestone.
IssueDraft RenderValidationIssue(const Version& version,
                                 std::optional<int64_t> tracker_number,
                                 const TrackerOptions& options = {});

// Returns both issues of `version` (X.Y.Z, no pre-/post-/dev-release):
// the release tracker for Z == 0, else the patch tracker; and the
// validation issue.
absl::StatusOr<TrackerIssues> RenderTrackerIssues(
    const ReleaseSchedule& schedule, const Version& version,
    const TrackerOptions& options = {},
    std::optional<int64_t> tracker_number = std::nullopt);

}  // namespace relkit

#endif  // RELKIT_RELEASE_TRACKER_H_
