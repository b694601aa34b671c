#include "relkit/milestone_plan.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "relkit/github_issues.h"
#include "relkit/github_writes.h"
#include "relkit/status.h"

namespace relkit {
namespace {

absl::StatusOr<ReleaseSchedule> ScheduleOf(
    const std::optional<ReleaseSchedule>& schedule) {
  if (schedule) return *schedule;
  return ReleaseSchedule::Default();
}

absl::Status CheckReleaseVersion(const Version& v) {
  if (v.release().size() != 3 || v.is_prerelease() || v.is_postrelease() ||
      v.local() || v.epoch() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("version \"", v.ToString(),
                     "\" is not a release X.Y.Z (milestones are named after "
                     "final releases)"));
  }
  return absl::OkStatus();
}

std::string MinorOf(const Version& v) {
  return absl::StrCat(v.major(), ".", v.minor());
}

// The planned date of release `v` (X.Y.0: release; X.Y.1, X.Y.2: first and
// second patch), with where it comes from; nullopt when not planned.
std::optional<ScheduleDate> PlannedDate(const ReleaseSchedule& schedule,
                                        const Version& v) {
  const ScheduleRow* row = schedule.Find(MinorOf(v));
  if (row == nullptr) return std::nullopt;
  const ScheduleDate* d = nullptr;
  if (v.micro() == 0) d = &row->release;
  if (v.micro() == 1) d = &row->first_patch;
  if (v.micro() == 2) d = &row->second_patch;
  if (d == nullptr || !d->planned()) return std::nullopt;
  return *d;
}

absl::string_view DateName(const Version& v) {
  if (v.micro() == 0) return "release";
  return v.micro() == 1 ? "first patch" : "second patch";
}

// The milestone the plan means by `title`: exactly titled so, else the one
// whose title's first word is it ("2.2.0 (release/2.2)"). Several: the
// exact one.
const Milestone* FindExisting(const std::vector<Milestone>& all,
                              absl::string_view title) {
  const Milestone* first_word = nullptr;
  for (const Milestone& m : all) {
    if (m.title == title) return &m;
    std::vector<absl::string_view> words =
        absl::StrSplit(m.title, ' ', absl::SkipEmpty());
    if (first_word == nullptr && !words.empty() && words.front() == title) {
      first_word = &m;
    }
  }
  return first_word;
}

std::optional<absl::CivilDay> DueDay(const Milestone& m) {
  if (!m.due_on) return std::nullopt;
  return absl::ToCivilDay(*m.due_on, absl::UTCTimeZone());
}

// Midday UTC: the same calendar day in UTC and in every US time zone.
// GitHub keeps a milestone's due date as a day in Pacific time, so midnight
// UTC would become the day before (and stay different on every rerun); it
// answers with that day's midnight Pacific (`T07:00:00Z`), whose UTC day is
// the day sent.
absl::Time DueTime(absl::CivilDay day) {
  return absl::FromCivil(
      absl::CivilHour(day.year(), day.month(), day.day(), 12),
      absl::UTCTimeZone());
}

PlannedMilestone Plan(const std::vector<Milestone>& all, std::string title,
                      std::optional<absl::CivilDay> due, std::string due_source,
                      bool update_due) {
  PlannedMilestone p;
  p.title = std::move(title);
  p.due = due;
  p.due_source = std::move(due_source);
  p.description =
      absl::StrCat("Issues and pull requests for the ", p.title, " release");
  const Milestone* m = FindExisting(all, p.title);
  if (m == nullptr) return p;
  p.existing = *m;
  p.action = PlannedMilestone::Action::kExists;
  if (due && DueDay(*m) != due) {
    p.action = update_due ? PlannedMilestone::Action::kUpdateDue
                          : PlannedMilestone::Action::kDueDiffers;
  }
  return p;
}

MilestoneWriteResult ResultOf(const Milestone& m, std::string outcome) {
  return MilestoneWriteResult{
      .title = m.title, .number = m.number, .url = m.url, .outcome = outcome};
}

}  // namespace

absl::string_view PlannedMilestoneActionName(PlannedMilestone::Action action) {
  switch (action) {
    case PlannedMilestone::Action::kCreate:
      return "create";
    case PlannedMilestone::Action::kExists:
      return "exists";
    case PlannedMilestone::Action::kDueDiffers:
      return "due differs";
    case PlannedMilestone::Action::kUpdateDue:
      return "update due";
  }
  return "?";
}

size_t MilestoneCreatePlan::change_count() const {
  size_t n = 0;
  for (const PlannedMilestone& m : milestones) {
    if (m.action == PlannedMilestone::Action::kCreate ||
        m.action == PlannedMilestone::Action::kUpdateDue) {
      ++n;
    }
  }
  return n;
}

size_t MilestoneCreateResult::changed_count() const {
  size_t n = 0;
  for (const MilestoneWriteResult& m : milestones) {
    if (m.outcome == "created" || m.outcome == "due date updated") ++n;
  }
  return n;
}

absl::StatusOr<MilestoneCreatePlan> PlanMilestoneCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneCreateOptions& options) {
  RELKIT_RETURN_IF_ERROR(CheckReleaseVersion(options.version));
  RELKIT_ASSIGN_OR_RETURN(ReleaseSchedule schedule,
                          ScheduleOf(options.schedule));
  RELKIT_ASSIGN_OR_RETURN(std::vector<Milestone> all,
                          ListMilestones(client, repo));
  MilestoneCreatePlan plan;
  plan.repository = repo.ToString();
  plan.version = options.version;
  const Version& v = options.version;
  const std::string minor = MinorOf(v);

  // The version's own milestone.
  std::optional<absl::CivilDay> due = options.due;
  std::string source = "--due";
  if (!due) {
    std::optional<ScheduleDate> d = PlannedDate(schedule, v);
    source = absl::StrCat(minor, " ", DateName(v), " (schedule)");
    if (d && d->has_day()) {
      due = d->start();
    } else {
      source.clear();
      plan.notes.push_back(
          absl::StrCat(v.ToString(), ": no due date: the schedule gives the ",
                       DateName(v), " of ", minor, " as \"",
                       d ? d->ToString() : std::string("not planned"),
                       "\" (give --due YYYY-MM-DD)"));
    }
  }
  plan.milestones.push_back(Plan(all, v.ToString(), due, std::move(source),
                                 options.update_due_dates));

  // A minor's first patch milestone, when the schedule plans that patch.
  if (v.micro() == 0) {
    const Version next = *Version::Parse(absl::StrCat(minor, ".1"));
    std::optional<ScheduleDate> d = PlannedDate(schedule, next);
    if (d) {
      std::optional<absl::CivilDay> next_due;
      std::string next_source;
      if (d->has_day() && !d->tentative()) {
        next_due = d->start();
        next_source = absl::StrCat(minor, " first patch (schedule)");
      } else {
        plan.notes.push_back(absl::StrCat(
            next.ToString(), ": no due date: the schedule's first patch of ",
            minor, " is \"", d->ToString(), "\""));
      }
      plan.milestones.push_back(Plan(all, next.ToString(), next_due,
                                     std::move(next_source),
                                     options.update_due_dates));
    } else {
      plan.notes.push_back(absl::StrCat(
          minor, ".1: not made: the schedule plans no patch release of ",
          minor));
    }
  }
  return plan;
}

absl::StatusOr<MilestoneCreateResult> ApplyMilestoneCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneCreatePlan& plan) {
  MilestoneCreateResult result;
  for (const PlannedMilestone& p : plan.milestones) {
    switch (p.action) {
      case PlannedMilestone::Action::kCreate: {
        NewMilestone m{.title = p.title, .description = p.description};
        if (p.due) m.due_on = DueTime(*p.due);
        RELKIT_ASSIGN_OR_RETURN(Written<Milestone> w,
                                CreateMilestone(client, repo, m));
        result.milestones.push_back(
            ResultOf(w.value, w.created ? "created" : "already existed"));
        break;
      }
      case PlannedMilestone::Action::kUpdateDue: {
        RELKIT_ASSIGN_OR_RETURN(Milestone m,
                                EditMilestone(client, repo, p.existing->number,
                                              {.due_on = DueTime(*p.due)}));
        result.milestones.push_back(ResultOf(m, "due date updated"));
        break;
      }
      case PlannedMilestone::Action::kExists:
        result.milestones.push_back(ResultOf(*p.existing, "already existed"));
        break;
      case PlannedMilestone::Action::kDueDiffers:
        result.milestones.push_back(ResultOf(*p.existing, "unchanged"));
        break;
    }
  }
  return result;
}

absl::StatusOr<MilestoneMovePlan> PlanMilestoneMove(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneMoveOptions& options) {
  RELKIT_ASSIGN_OR_RETURN(std::vector<Milestone> all,
                          ListMilestones(client, repo));
  RELKIT_ASSIGN_OR_RETURN(Milestone from,
                          FindMilestone(all, options.from, repo));
  MilestoneMovePlan plan;
  plan.repository = repo.ToString();
  plan.from = from;
  absl::StatusOr<Milestone> to = FindMilestone(all, options.to, repo);
  if (to.ok()) {
    if (to->number == from.number) {
      return absl::InvalidArgumentError(
          absl::StrCat("--from \"", options.from, "\" and --to \"", options.to,
                       "\" are the same milestone #", from.number));
    }
    plan.to = *to;
  } else if (absl::IsNotFound(to.status())) {
    // Created: the title is --to; a version's due date from the schedule.
    plan.create_to = true;
    plan.to.title = options.to;
    absl::StatusOr<Version> v = Version::Parse(options.to);
    if (!v.ok() || !CheckReleaseVersion(*v).ok()) {
      // A typo ("2.8.l") or a number ("63") must not become a milestone.
      return absl::NotFoundError(
          absl::StrCat(to.status().message(),
                       "; relkit creates the --to milestone only "
                       "when it is a release version X.Y.Z"));
    }
    {
      RELKIT_ASSIGN_OR_RETURN(ReleaseSchedule schedule,
                              ScheduleOf(options.schedule));
      std::optional<ScheduleDate> d = PlannedDate(schedule, *v);
      if (d && d->has_day()) plan.to_due = d->start();
    }
  } else {
    return to.status();
  }
  RELKIT_ASSIGN_OR_RETURN(std::vector<Issue> items,
                          ListMilestoneItems(client, repo, from.number));
  for (Issue& i : items) {
    if (i.state == IssueState::kOpen) {
      plan.move.push_back(std::move(i));
    } else {
      ++plan.staying_closed;
    }
  }
  plan.close_from = options.close_from && from.state == IssueState::kOpen;
  return plan;
}

absl::StatusOr<MilestoneMoveResult> ApplyMilestoneMove(
    GitHubClient& client, const GitHubRepo& repo,
    const MilestoneMovePlan& plan) {
  MilestoneMoveResult result;
  int64_t to_number = plan.to.number;
  if (plan.create_to) {
    NewMilestone m{.title = plan.to.title,
                   .description = absl::StrCat("Issues and pull requests for "
                                               "the ",
                                               plan.to.title, " release")};
    if (plan.to_due) m.due_on = DueTime(*plan.to_due);
    RELKIT_ASSIGN_OR_RETURN(Written<Milestone> w,
                            CreateMilestone(client, repo, m));
    to_number = w.value.number;
    result.to = ResultOf(w.value, w.created ? "created" : "already existed");
  } else {
    result.to = ResultOf(plan.to, "already existed");
  }
  for (const Issue& i : plan.move) {
    IssueEdit edit;
    edit.milestone = std::optional<int64_t>(to_number);
    RELKIT_RETURN_IF_ERROR(EditIssue(client, repo, i.number, edit).status());
    result.moved.push_back(MovedItem{.number = i.number,
                                     .pull_request = i.is_pull_request(),
                                     .title = i.title});
  }
  if (plan.close_from) {
    RELKIT_RETURN_IF_ERROR(EditMilestone(client, repo, plan.from.number,
                                         {.state = IssueState::kClosed})
                               .status());
    result.closed_from = true;
  }
  return result;
}

}  // namespace relkit
