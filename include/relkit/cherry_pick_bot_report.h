// File: relkit/cherry_pick_bot_report.h
// -----------------------------------------------------------------------------
//
// Text and JSON of a cherry-pick plan and of what an apply did (`relkit
// cherry-pick apply`). Text from GitHub and git (titles, bodies, paths,
// logins) goes through TextEscape; JSON keeps it exact.
//
//   std::cout << relkit::CherryPickPlanText(plan);            // dry run
//   std::cout << relkit::CherryPickResultText(plan, result);  // --execute

#ifndef RELKIT_CHERRY_PICK_BOT_REPORT_H_
#define RELKIT_CHERRY_PICK_BOT_REPORT_H_

#include <string>

#include "relkit/cherry_pick_bot.h"

namespace relkit {

// Returns the plan: the PR, the release, the main commit and how it was
// found, the pick (commit and tree, or the conflicting paths), each step
// with its state and the exact text it would post, warnings, refusals and a
// verdict line.
std::string CherryPickPlanText(const CherryPickPlan& plan);

// Returns the plan as JSON: `dry_run`, `ok`, `refused`, `refusals`,
// `warnings`, `already_applied`, `pr`, `onto`, `target_release`,
// `patch_release`, `main_commit`, `branch`, `pick`, `pull_request`,
// `tracker`, `steps`, `comments`.
std::string CherryPickPlanJson(const CherryPickPlan& plan);

// Returns what an apply did, step by step, and a verdict line.
std::string CherryPickResultText(const CherryPickPlan& plan,
                                 const CherryPickApplyResult& result);

// Returns CherryPickPlanJson's document with `dry_run` false and an
// `applied` member.
std::string CherryPickResultJson(const CherryPickPlan& plan,
                                 const CherryPickApplyResult& result);

}  // namespace relkit

#endif  // RELKIT_CHERRY_PICK_BOT_REPORT_H_
