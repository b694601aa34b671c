// File: relkit/patch_triage.h
// -----------------------------------------------------------------------------
//
// Patch-release triage as a pure value (RELEASE_PROCESS "Patch Releases"):
// which issues and pull requests are candidates for a patch release X.Y.Z,
// what each is classified as, whether it meets the patch-release criteria,
// and whether its nomination on the patch tracker came after the cherry-pick
// deadline.
//
// The candidates are the union of
//   - items labelled `triage review` (what triage reviewers tag),
//   - open regressions (label `module: regression`),
//   - the items of the patch release's milestone (what triage accepted),
//   - the nominations on the patch release's tracker issue (found by exact
//     version: relkit::FindTrackerIssues; comments read by
//     relkit::ParseTrackerComment),
// one candidate per issue or pull request (a nominated PR that is also in
// the milestone is one candidate with both sources).
//
// Classification: the nomination's "Criteria Category", else the labels (the
// item's own, then those of the issue it links): `module: regression` ->
// regression; `topic: correctness (silent)`, `topic: bc-breaking`,
// `topic: crash`, `topic: deadlock`, `topic: memory usage` -> critical;
// `module: docs` -> docs; else unknown.
//
// Criteria: the classification must be known and accepted in a patch release
// (relkit::ClassificationInfo); one that needs an issue (regression,
// critical, fixnewfeature) must link a `high priority` issue of the
// repository or a CI failure (a GitHub Actions run or a HUD link), as the
// patch tracker requires. An issue candidate links itself.
//
// The cherry-pick deadline: `--deadline`, else the patch release's date in
// the schedule (X.Y.1: first patch, X.Y.2: second patch) less the two weeks
// the build, promotion and testing phase takes. A date known only to the
// month counts as the month's first day (as relkit/schedule.h orders it),
// and the deadline is then marked approximate. A nomination whose comment was
// created (UTC) on a day after the deadline is late.
//
//   relkit::PatchTriageInput in;   // fetched: see FetchPatchTriage in
//   in.version = *relkit::Version::Parse("2.4.1");  // patch_triage_fetch.h
//   ...
//   absl::StatusOr<relkit::PatchTriage> t =
//       relkit::TriagePatchRelease(in, *relkit::ReleaseSchedule::Default(),
//                                  {.today = absl::CivilDay(2024, 8, 20)});
//   for (const relkit::PatchCandidate& c : t->candidates)
//     if (c.problem()) ...;  // does not meet the criteria, or late

#ifndef RELKIT_PATCH_TRIAGE_H_
#define RELKIT_PATCH_TRIAGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "relkit/cherry_pick.h"
#include "relkit/github_repo.h"
#include "relkit/milestone.h"
#include "relkit/schedule.h"
#include "relkit/version.h"

namespace relkit {

// Why an item is a candidate.
enum class CandidateSource : uint8_t {
  kTriageReview,  // labelled `triage review`
  kRegression,    // an open `module: regression`
  kMilestone,     // in the patch release's milestone
  kNomination,    // nominated on the patch tracker
};

// Returns "triage_review", "regression", "milestone" or "nomination".
absl::string_view CandidateSourceName(CandidateSource source);

// Where a candidate's classification comes from.
enum class ClassificationOrigin : uint8_t { kNomination, kLabels, kUnknown };

// Returns "nomination", "labels" or "unknown".
absl::string_view ClassificationOriginName(ClassificationOrigin origin);

// The issue a candidate links (its `--fixes`, a `Fixes #N`, or itself).
struct LinkedIssue {
  // "owner/name" of the issue's repository.
  std::string repo = {};
  int64_t number = 0;
  std::string url = {};
  // Whether it is labelled `high priority`; nullopt when that cannot be
  // told (an issue of another repository).
  std::optional<bool> high_priority = {};

  friend bool operator==(const LinkedIssue&, const LinkedIssue&) = default;
};

// One candidate issue or pull request.
struct PatchCandidate {
  IssueKind kind = IssueKind::kPullRequest;
  // "owner/name" of its repository (a nomination may name another one).
  std::string repo = {};
  int64_t number = 0;
  // "" when only a nomination names it (no listing read gave its title).
  std::string title = {};
  std::string url = {};
  // nullopt when only a nomination names it.
  std::optional<IssueState> state = {};
  bool merged = false;
  std::vector<std::string> labels = {};
  // Why it is a candidate, in CandidateSource order, without duplicates.
  std::vector<CandidateSource> sources = {};

  std::optional<Classification> classification = {};
  ClassificationOrigin classification_origin = ClassificationOrigin::kUnknown;
  // The nomination's "Criteria Category" text, as written ("" when none).
  std::string criteria = {};
  std::optional<LinkedIssue> linked_issue = {};
  // The nomination links a CI failure (a GitHub Actions run or HUD page).
  bool ci_failure_link = false;
  bool meets_criteria = false;
  // Why it does not meet the criteria (empty when it does).
  std::vector<std::string> reasons = {};

  // Nomination: when the earliest nomination comment was created, its URL,
  // its author, the release-branch PRs it links, how many comments nominate
  // it, the release manager's reply ("merged"), and whether it is late.
  std::optional<absl::Time> nominated_at = {};
  std::string nomination_url = {};
  std::string nominated_by = {};
  std::vector<int64_t> release_prs = {};
  int nominations = 0;
  std::string reply = {};
  bool late = false;
  // An issue: the nominated pull requests that link it.
  std::vector<int64_t> nominated_fixes = {};

  bool nominated() const { return nominations > 0; }
  // Does not meet the criteria, or nominated late.
  bool problem() const { return !meets_criteria || late; }
  friend bool operator==(const PatchCandidate&,
                         const PatchCandidate&) = default;
};

// The cherry-pick deadline and where it comes from.
struct PatchDeadline {
  // The last day (UTC) a nomination is on time; nullopt when neither
  // --deadline nor the schedule gives one.
  std::optional<absl::CivilDay> day = {};
  // The patch release's day in the schedule (the first of the month when
  // only the month is known), when it has one.
  std::optional<absl::CivilDay> release_day = {};
  // Derived from a date known only to the month, or a tentative one.
  bool approximate = false;
  // One line: "--deadline", "schedule: 2.4.1 patch release 4 Sept 2024 less
  // 14 days (build, promotion and testing)", or why there is none.
  std::string source = {};

  friend bool operator==(const PatchDeadline&, const PatchDeadline&) = default;
};

// What TriagePatchRelease reads: fetched by FetchPatchTriage
// (relkit/patch_triage_fetch.h), or built by hand.
struct PatchTriageInput {
  Version version = {};
  GitHubRepo repo = {};
  // The milestone titled as the version, when there is one, and its items.
  std::optional<Milestone> milestone = {};
  std::vector<Issue> milestone_items = {};
  // Items labelled `triage review` and open `module: regression` issues.
  std::vector<Issue> triage_review = {};
  std::vector<Issue> regressions = {};
  // Issues labelled `high priority` (to tell whether a linked issue is).
  std::vector<Issue> high_priority = {};
  // The patch tracker and its comments, oldest first.
  std::optional<Issue> tracker = {};
  std::vector<IssueComment> tracker_comments = {};
  // What the fetch wants said ("2 trackers for 2.4.1: #2 used").
  std::vector<std::string> notes = {};
};

struct PatchTriageOptions {
  // The day the report is for (the deadline's days left are counted from
  // it).
  absl::CivilDay today = {};
  // Overrides the schedule's deadline.
  std::optional<absl::CivilDay> deadline = {};
  // Days between the cherry-pick deadline and the patch release: the build,
  // promotion and testing phase ("normally takes 2 weeks").
  int days_before_release = 14;
  std::string triage_label = "triage review";
  std::string regression_label = "module: regression";
  std::string high_priority_label = "high priority";
  // Items with this label are no candidates (as milestone validation skips
  // them).
  std::string skip_label = "release-feature-request";
};

struct PatchTriage {
  Version version = {};
  // "release/X.Y".
  std::string release_branch = {};
  GitHubRepo repo = {};
  std::optional<Milestone> milestone = {};
  std::optional<Issue> tracker = {};
  PatchDeadline deadline = {};
  absl::CivilDay today = {};
  // deadline - today, in days (negative once it has passed).
  std::optional<int64_t> days_left = {};
  // By number, issues and pull requests mixed; nomination-only commits
  // (number 0) last.
  std::vector<PatchCandidate> candidates = {};
  std::vector<std::string> notes = {};

  size_t ProblemCount() const;
  size_t LateCount() const;
  size_t MeetingCount() const;
};

// Returns the cherry-pick deadline of patch release `version` (see the file
// comment). InvalidArgument when `version` is not a patch release (X.Y.Z with
// Z > 0, not a pre-release).
absl::StatusOr<PatchDeadline> PatchCherryPickDeadline(
    const ReleaseSchedule& schedule, const Version& version,
    const PatchTriageOptions& options = {});

// Returns the classification the labels name (see the file comment), or
// nullopt.
std::optional<Classification> ClassificationFromLabels(
    const std::vector<std::string>& labels);

// Triage of `input` (see the file comment). InvalidArgument when
// `input.version` is not a patch release. Never calls anything.
absl::StatusOr<PatchTriage> TriagePatchRelease(
    const PatchTriageInput& input, const ReleaseSchedule& schedule,
    const PatchTriageOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_PATCH_TRIAGE_H_
