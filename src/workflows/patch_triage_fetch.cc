#include "relkit/patch_triage_fetch.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "relkit/cherry_pick.h"
#include "relkit/github_issues.h"
#include "relkit/milestone.h"
#include "relkit/status.h"

namespace relkit {

absl::StatusOr<PatchTriageInput> FetchPatchTriage(
    GitHubClient& client, const GitHubRepo& repo, const Version& version,
    const ReleaseSchedule& schedule, const PatchTriageFetchOptions& options) {
  if (version.release().size() != 3 || version.micro() == 0 ||
      version.is_prerelease() || version.is_postrelease() || version.local()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", version.ToString(),
        "\" is not a patch release: expected X.Y.Z with Z > 0 (e.g. 2.4.1)"));
  }
  PatchTriageInput in;
  in.version = version;
  in.repo = repo;

  RELKIT_ASSIGN_OR_RETURN(std::vector<Milestone> milestones,
                          ListMilestones(client, repo));
  absl::StatusOr<Milestone> m =
      FindMilestone(milestones, version.ToString(), repo);
  if (m.ok()) {
    in.milestone = *m;
    RELKIT_ASSIGN_OR_RETURN(in.milestone_items,
                            ListMilestoneItems(client, repo, m->number));
  } else if (m.status().code() != absl::StatusCode::kNotFound) {
    return m.status();
  }

  RELKIT_ASSIGN_OR_RETURN(
      in.triage_review,
      ListIssues(client, repo,
                 {.state = "open", .labels = options.triage_label}));
  RELKIT_ASSIGN_OR_RETURN(
      in.regressions,
      ListIssues(client, repo,
                 {.state = "open", .labels = options.regression_label}));
  IssueQuery hp{.state = "all", .labels = options.high_priority_label};
  const ScheduleRow* row =
      schedule.Find(absl::StrCat(version.major(), ".", version.minor()));
  if (row != nullptr && row->branch_cut.planned()) {
    hp.since = absl::FromCivil(absl::CivilSecond(row->branch_cut.start()),
                               absl::UTCTimeZone());
  }
  RELKIT_ASSIGN_OR_RETURN(in.high_priority, ListIssues(client, repo, hp));

  RELKIT_ASSIGN_OR_RETURN(
      std::vector<Issue> trackers,
      ListIssues(client, repo,
                 {.state = "all", .labels = options.tracker_label}));
  // Older trackers lack the label but sit in the milestone.
  for (const Issue& i : in.milestone_items) trackers.push_back(i);
  std::vector<Issue> found = FindTrackerIssues(trackers, version);
  // The same issue may come from both lists.
  std::vector<Issue> unique;
  for (Issue& i : found) {
    bool seen = false;
    for (const Issue& u : unique) seen = seen || u.number == i.number;
    if (!seen) unique.push_back(std::move(i));
  }
  if (!unique.empty()) {
    in.tracker = unique.front();
    if (unique.size() > 1) {
      std::string others;
      for (size_t k = 1; k < unique.size(); ++k) {
        absl::StrAppend(&others, k > 1 ? ", " : "", "#", unique[k].number);
      }
      in.notes.push_back(absl::StrCat(
          unique.size(), " release trackers for ", version.ToString(), ": #",
          in.tracker->number, " read, not ", others));
    }
    RELKIT_ASSIGN_OR_RETURN(
        in.tracker_comments,
        ListIssueComments(client, repo, in.tracker->number));
  }
  return in;
}

}  // namespace relkit
