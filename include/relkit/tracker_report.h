// File: relkit/tracker_report.h
// -----------------------------------------------------------------------------
//
// Text and JSON of the tracker and milestone plans and of what their apply
// did (`relkit tracker create`, `relkit milestone create|move`, and the
// Python `to_dict()`s). Text from GitHub (titles) goes through TextEscape;
// JSON keeps it exact. A plan's text says exactly what would be created or
// changed; a result's says what was done and what already was there.
//
//   std::cout << relkit::TrackerCreatePlanText(plan);            // dry run
//   std::cout << relkit::TrackerCreateResultText(plan, result);  // --execute

#ifndef RELKIT_TRACKER_REPORT_H_
#define RELKIT_TRACKER_REPORT_H_

#include <string>

#include "relkit/milestone_plan.h"
#include "relkit/tracker_create.h"

namespace relkit {

// Returns the plan: per issue "create" (title, labels, body size and its
// milestone dates) or "exists: #N url", and a verdict line.
std::string TrackerCreatePlanText(const TrackerCreatePlan& plan);
// Returns {"dry_run", "repository", "version", "patch", "dates", "issues":
// [{"role", "action", "title", "labels", "body", "marker", "number",
// "url"}], "notes", "to_create"}.
std::string TrackerCreatePlanJson(const TrackerCreatePlan& plan);
// Returns per issue "created #N url" or "already exists #N url".
std::string TrackerCreateResultText(const TrackerCreatePlan& plan,
                                    const TrackerCreateResult& result);
// Returns the plan's JSON with "dry_run": false and "applied": {"issues":
// [{"role", "title", "number", "url", "created"}], "created"}.
std::string TrackerCreateResultJson(const TrackerCreatePlan& plan,
                                    const TrackerCreateResult& result);

// Returns the plan: per milestone its action, title and due date (and the
// existing due date when it differs).
std::string MilestoneCreatePlanText(const MilestoneCreatePlan& plan);
// Returns {"dry_run", "repository", "version", "milestones": [{"action",
// "title", "due", "due_source", "number", "url", "existing_due"}], "notes",
// "to_change"}.
std::string MilestoneCreatePlanJson(const MilestoneCreatePlan& plan);
std::string MilestoneCreateResultText(const MilestoneCreatePlan& plan,
                                      const MilestoneCreateResult& result);
// The plan's JSON with "applied": {"milestones": [{"title", "number", "url",
// "outcome"}], "changed"}.
std::string MilestoneCreateResultJson(const MilestoneCreatePlan& plan,
                                      const MilestoneCreateResult& result);

// Returns the plan: the milestone to create (if any), every item to move
// with its number and title, how many closed items stay, closing the old
// one; "already applied" when there is nothing to do.
std::string MilestoneMovePlanText(const MilestoneMovePlan& plan);
// Returns {"dry_run", "repository", "from": {number, title, state, url},
// "to": {number, title, create, due}, "move": [{number, kind, title, url}],
// "staying_closed", "close_from", "already_applied"}.
std::string MilestoneMovePlanJson(const MilestoneMovePlan& plan);
std::string MilestoneMoveResultText(const MilestoneMovePlan& plan,
                                    const MilestoneMoveResult& result);
// The plan's JSON with "applied": {"to": {title, number, url, outcome},
// "moved": [{number, kind, title}], "closed_from"}.
std::string MilestoneMoveResultJson(const MilestoneMovePlan& plan,
                                    const MilestoneMoveResult& result);

}  // namespace relkit

#endif  // RELKIT_TRACKER_REPORT_H_
