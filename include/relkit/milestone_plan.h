// File: relkit/milestone_plan.h
// -----------------------------------------------------------------------------
//
// The milestones of a release on GitHub: `relkit milestone create` (the
// release's milestones with due dates from the schedule) and `relkit
// milestone move` (what is still open after a release goes to the next
// patch milestone; the old one is closed). Plan first, then apply.
//
//   absl::StatusOr<relkit::MilestoneCreatePlan> plan =
//       relkit::PlanMilestoneCreate(gh, repo, {.version = v});
//   relkit::ApplyMilestoneCreate(gh, repo, *plan);
//
//   absl::StatusOr<relkit::MilestoneMovePlan> move = relkit::PlanMilestoneMove(
//       gh, repo, {.from = "2.4.0", .to = "2.4.1"});
//   relkit::ApplyMilestoneMove(gh, repo, *move);  // rerun: nothing left
//
// Milestones of a minor X.Y.0: "X.Y.0" due on release day, and "X.Y.1" when
// the schedule plans a first patch release (due on its day when the
// schedule gives one, else no due date): patch triage adds candidates to
// the X.Y.1 milestone right after the release (RELEASE_PROCESS.txt), so it
// must exist by then. Of a patch X.Y.Z: "X.Y.Z" due on its planned day.
// An existing milestone is matched by title exactly, or by the first word
// of its title ("2.2.0" is "2.2.0 (release/2.2)", as the real one is
// titled); a due date that differs is shown and changed only with
// `update_due_dates`.

#ifndef RELKIT_MILESTONE_PLAN_H_
#define RELKIT_MILESTONE_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "relkit/github.h"
#include "relkit/github_repo.h"
#include "relkit/milestone.h"
#include "relkit/schedule.h"
#include "relkit/version.h"

namespace relkit {

// --- milestone create -------------------------------------------------------

struct MilestoneCreateOptions {
  Version version;
  std::optional<ReleaseSchedule> schedule = {};  // Default() when unset
  // Due date of the version's milestone instead of the schedule's.
  std::optional<absl::CivilDay> due = {};
  bool update_due_dates = false;  // change a differing due date
};

struct PlannedMilestone {
  enum class Action : uint8_t {
    kCreate,      // not there
    kExists,      // there, due date as planned (or none planned)
    kDueDiffers,  // there, another due date: left alone
    kUpdateDue,   // there, another due date: changed (update_due_dates)
  };
  Action action = Action::kCreate;
  std::string title = {};
  std::string description = {};
  std::optional<absl::CivilDay> due = {};  // planned due date
  std::string due_source = {};  // "2.13 release (schedule)", "--due", ...
  // The milestone there is (kExists, kDueDiffers, kUpdateDue).
  std::optional<Milestone> existing = {};
};

// Returns "create", "exists", "due differs" or "update due".
absl::string_view PlannedMilestoneActionName(PlannedMilestone::Action action);

struct MilestoneCreatePlan {
  std::string repository = {};
  Version version;
  std::vector<PlannedMilestone> milestones = {};
  std::vector<std::string> notes = {};
  // Returns the number of milestones to create or change.
  size_t change_count() const;
};

struct MilestoneWriteResult {
  std::string title = {};
  int64_t number = 0;
  std::string url = {};
  // "created", "already existed", "due date updated", "unchanged"
  std::string outcome = {};
};

struct MilestoneCreateResult {
  std::vector<MilestoneWriteResult> milestones = {};
  size_t changed_count() const;
};

// Returns the plan. InvalidArgument for a version that is not X.Y.Z;
// GitHub errors as ListMilestones.
absl::StatusOr<MilestoneCreatePlan> PlanMilestoneCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneCreateOptions& options);

// Creates (CreateMilestone: an existing title is found, not duplicated) and
// updates what `plan` says.
absl::StatusOr<MilestoneCreateResult> ApplyMilestoneCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneCreatePlan& plan);

// --- milestone move ---------------------------------------------------------

struct MilestoneMoveOptions {
  std::string from = {};  // milestone title or number: "2.4.0"
  std::string to = {};    // "2.4.1": found, or created when missing
  std::optional<ReleaseSchedule> schedule = {};  // the new one's due date
  bool close_from = true;  // close the old milestone afterwards
};

struct MilestoneMovePlan {
  std::string repository = {};
  Milestone from = {};
  // The target: there (number > 0) or to be created (`create_to`).
  Milestone to = {};
  bool create_to = false;
  std::optional<absl::CivilDay> to_due = {};  // when created
  std::vector<Issue> move = {};  // the open issues and PRs of `from`
  size_t staying_closed = 0;     // closed items that stay in `from`
  bool close_from = false;       // `from` is open and will be closed

  // Returns whether there is nothing to do ("already applied").
  bool done() const { return !create_to && move.empty() && !close_from; }
};

struct MovedItem {
  int64_t number = 0;
  bool pull_request = false;
  std::string title = {};
};

struct MilestoneMoveResult {
  MilestoneWriteResult to = {};
  std::vector<MovedItem> moved = {};
  bool closed_from = false;
};

// Returns the plan. NotFound when `from` is not a milestone of `repo`;
// InvalidArgument when `from` and `to` are the same milestone.
absl::StatusOr<MilestoneMovePlan> PlanMilestoneMove(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneMoveOptions& options);

// Creates the target if needed, moves each item (EditIssue, idempotent),
// then closes `from` (EditMilestone). A run that fails midway leaves the
// items moved so far moved; PlanMilestoneMove then lists the rest.
absl::StatusOr<MilestoneMoveResult> ApplyMilestoneMove(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneMovePlan& plan);

}  // namespace relkit

#endif  // RELKIT_MILESTONE_PLAN_H_
