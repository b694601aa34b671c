#include "relkit/tracker_create.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "relkit/cherry_pick.h"
#include "relkit/github_issues.h"
#include "relkit/github_writes.h"
#include "relkit/status.h"

namespace relkit {
namespace {

PlannedIssue Exists(std::string role, IssueDraft draft, const Issue& issue) {
  PlannedIssue p;
  p.action = PlannedIssue::Action::kExists;
  p.role = std::move(role);
  p.draft = std::move(draft);
  p.number = issue.number;
  p.url = issue.url;
  p.existing_title = issue.title;
  return p;
}

PlannedIssue Create(std::string role, IssueDraft draft) {
  PlannedIssue p;
  p.role = std::move(role);
  p.draft = std::move(draft);
  return p;
}

// The issue (not a pull request) titled exactly `draft.title` or carrying
// its marker, among `issues`.
const Issue* FindDraft(const std::vector<Issue>& issues,
                       const IssueDraft& draft) {
  for (const Issue& i : issues) {
    if (i.is_pull_request()) continue;
    if (i.title == draft.title || HasWriteMarker(i.body, draft.marker)) {
      return &i;
    }
  }
  return nullptr;
}

NewIssue ToNewIssue(const IssueDraft& draft) {
  return NewIssue{.title = draft.title,
                  .body = draft.body,
                  .labels = draft.labels,
                  .marker = draft.marker};
}

}  // namespace

absl::string_view PlannedIssueActionName(PlannedIssue::Action action) {
  return action == PlannedIssue::Action::kCreate ? "create" : "exists";
}

size_t TrackerCreatePlan::create_count() const {
  size_t n = 0;
  for (const PlannedIssue& i : issues) {
    if (i.action == PlannedIssue::Action::kCreate) ++n;
  }
  return n;
}

size_t TrackerCreateResult::created_count() const {
  size_t n = 0;
  for (const CreatedIssue& i : issues) n += i.created ? 1 : 0;
  return n;
}

absl::StatusOr<TrackerCreatePlan> PlanTrackerCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const TrackerCreateOptions& options) {
  ReleaseSchedule schedule;
  if (options.schedule) {
    schedule = *options.schedule;
  } else {
    RELKIT_ASSIGN_OR_RETURN(schedule, ReleaseSchedule::Default());
  }
  TrackerOptions tracker_options = options.tracker;
  if (tracker_options.repository.empty()) {
    tracker_options.repository = repo.ToString();
  }
  // The tracker first: the validation issue links it when it exists.
  RELKIT_ASSIGN_OR_RETURN(
      std::vector<Issue> trackers,
      ListIssues(client, repo, {.state = "all", .labels = "release tracker"}));
  const std::vector<Issue> exact = FindTrackerIssues(trackers, options.version);
  std::optional<int64_t> tracker_number;
  if (!exact.empty()) tracker_number = exact.front().number;
  RELKIT_ASSIGN_OR_RETURN(TrackerIssues issues,
                          RenderTrackerIssues(schedule, options.version,
                                              tracker_options, tracker_number));

  TrackerCreatePlan plan;
  plan.repository = repo.ToString();
  plan.version = options.version;
  plan.patch = issues.patch;
  plan.dates = issues.dates;
  if (!exact.empty()) {
    plan.issues.push_back(Exists("tracker", issues.tracker, exact.front()));
    for (size_t i = 1; i < exact.size(); ++i) {
      plan.notes.push_back(absl::StrCat(
          "another tracker of ", options.version.ToString(), " exists: #",
          exact[i].number, " \"", exact[i].title, "\""));
    }
  } else {
    plan.issues.push_back(Create("tracker", issues.tracker));
  }

  const std::string& first_label = issues.validation.labels.front();
  RELKIT_ASSIGN_OR_RETURN(
      std::vector<Issue> labelled,
      ListIssues(client, repo, {.state = "all", .labels = first_label}));
  if (const Issue* v = FindDraft(labelled, issues.validation)) {
    plan.issues.push_back(Exists("validation", issues.validation, *v));
  } else {
    plan.issues.push_back(Create("validation", issues.validation));
  }
  return plan;
}

absl::StatusOr<TrackerCreateResult> ApplyTrackerCreate(
    GitHubClient& client, const GitHubRepo& repo,
    const TrackerCreatePlan& plan) {
  TrackerCreateResult result;
  std::optional<int64_t> tracker_number;
  for (const PlannedIssue& p : plan.issues) {
    CreatedIssue out{.role = p.role, .title = p.draft.title};
    if (p.action == PlannedIssue::Action::kExists) {
      out.number = p.number;
      out.url = p.url;
      out.title = p.existing_title;
    } else {
      IssueDraft draft = p.draft;
      if (p.role == "validation" && tracker_number) {
        // The tracker was created by this run: link it by number.
        TrackerOptions o;
        o.repository = plan.repository;
        draft.body =
            RenderValidationIssue(plan.version, tracker_number, o).body;
      }
      RELKIT_ASSIGN_OR_RETURN(Written<Issue> w,
                              CreateIssue(client, repo, ToNewIssue(draft)));
      out.number = w.value.number;
      out.url = w.value.url;
      out.title = w.value.title;
      out.created = w.created;
    }
    if (p.role == "tracker") tracker_number = out.number;
    result.issues.push_back(std::move(out));
  }
  return result;
}

}  // namespace relkit
