// `relkit milestone create|move`: the milestones of a release on GitHub
// (relkit/milestone_plan.h), planned, and applied with --execute.
#include <iostream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "cli/cli.h"
#include "cli/github_flags.h"
#include "cli/progress.h"
#include "cli/schedule_source.h"
#include "relkit/milestone_plan.h"
#include "relkit/status.h"
#include "relkit/tracker_report.h"
#include "relkit/version.h"

namespace relkit::cli {
namespace {

struct MilestoneWriteArgs {
  GitHubRepoFlags gh;
  GitHubClientFlags client;
  std::string repo_path = ".";
  std::string schedule;
  // create
  std::string version;
  std::string due;
  bool update_due = false;
  // move
  std::string from, to;
  bool keep_open = false;
  bool execute = false;
  bool json = false;
};

struct Connection {
  GitHubRepo repo;
  GitHubClient client;
};

absl::StatusOr<Connection> Connect(const MilestoneWriteArgs& a,
                                   TerminalProgress& progress) {
  RELKIT_RETURN_IF_ERROR(CheckExecuteWritable(a.client, a.execute));
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo repo, GitHubRepoFromFlags(a.gh, a.repo_path, a.client.api_url,
                                           a.client.verbose));
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh,
                          MakeGitHubClient(a.client, progress));
  return Connection{std::move(repo), std::move(gh)};
}

absl::Status RunCreate(const MilestoneWriteArgs& a) {
  RELKIT_ASSIGN_OR_RETURN(Version version, Version::Parse(a.version));
  RELKIT_ASSIGN_OR_RETURN(ReleaseSchedule schedule, LoadSchedule(a.schedule));
  MilestoneCreateOptions options{.version = version,
                                 .schedule = schedule,
                                 .update_due_dates = a.update_due};
  if (!a.due.empty()) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(a.due, &day)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid date \"", a.due, "\" for --due: expected YYYY-MM-DD"));
    }
    options.due = day;
  }
  TerminalProgress progress(!a.json);
  RELKIT_ASSIGN_OR_RETURN(Connection c, Connect(a, progress));
  RELKIT_ASSIGN_OR_RETURN(MilestoneCreatePlan plan,
                          PlanMilestoneCreate(c.client, c.repo, options));
  progress.Clear();
  if (!a.execute) {
    NoteGitHubCacheProblem(c.client);
    std::cout << (a.json ? MilestoneCreatePlanJson(plan)
                         : MilestoneCreatePlanText(plan));
    return absl::OkStatus();
  }
  RELKIT_ASSIGN_OR_RETURN(MilestoneCreateResult result,
                          ApplyMilestoneCreate(c.client, c.repo, plan));
  progress.Clear();
  NoteGitHubCacheProblem(c.client);
  std::cout << (a.json ? MilestoneCreateResultJson(plan, result)
                       : MilestoneCreateResultText(plan, result));
  return absl::OkStatus();
}

absl::Status RunMove(const MilestoneWriteArgs& a) {
  RELKIT_ASSIGN_OR_RETURN(ReleaseSchedule schedule, LoadSchedule(a.schedule));
  TerminalProgress progress(!a.json);
  RELKIT_ASSIGN_OR_RETURN(Connection c, Connect(a, progress));
  RELKIT_ASSIGN_OR_RETURN(MilestoneMovePlan plan,
                          PlanMilestoneMove(c.client, c.repo,
                                            {.from = a.from,
                                             .to = a.to,
                                             .schedule = schedule,
                                             .close_from = !a.keep_open}));
  progress.Clear();
  if (!a.execute || plan.done()) {
    NoteGitHubCacheProblem(c.client);
    std::cout << (a.json ? MilestoneMovePlanJson(plan)
                         : MilestoneMovePlanText(plan));
    return absl::OkStatus();
  }
  RELKIT_ASSIGN_OR_RETURN(MilestoneMoveResult result,
                          ApplyMilestoneMove(c.client, c.repo, plan));
  progress.Clear();
  NoteGitHubCacheProblem(c.client);
  std::cout << (a.json ? MilestoneMoveResultJson(plan, result)
                       : MilestoneMoveResultText(plan, result));
  return absl::OkStatus();
}

void AddCommon(CLI::App* cmd, MilestoneWriteArgs& a) {
  cmd->add_option("--schedule", a.schedule,
                  "Release schedule file (Markdown table or JSON; default: "
                  "the embedded one)");
  AddGitHubRepoOptions(cmd, a.gh);
  cmd->add_option("--repo", a.repo_path,
                  "Local git repository whose remote names the GitHub "
                  "repository")
      ->capture_default_str();
  AddGitHubClientOptions(cmd, a.client, /*writes=*/true);
  cmd->add_flag("--execute", a.execute,
                "Apply the plan (default: print the plan only)");
  cmd->add_flag("--json", a.json, "Print JSON (the plan, and the result)");
}

}  // namespace

void RegisterMilestoneWriteCommands(CLI::App& milestone, Context& ctx) {
  auto c = std::make_shared<MilestoneWriteArgs>();
  CLI::App* create = milestone.add_subcommand(
      "create",
      "Plan (and with --execute create) the milestones of a release with "
      "due dates\nfrom the schedule");
  create->footer(absl::StrCat(
      "Example:\n  relkit milestone create --version 2.14.0 --github-repo "
      "pytorch/pytorch --execute\n\n"
      "X.Y.0 gets milestone X.Y.0 due on release day, and X.Y.1 when the "
      "schedule plans\na first patch release (patch triage fills it right "
      "after the release). An\nexisting milestone (exact title, or first "
      "word: '2.2.0 (release/2.2)') is left\nalone; a different due date is "
      "shown and changed only with --update-due.\n",
      kGitHubRepoFooter, "\nSee docs/github.md."));
  create->add_option("--version", c->version, "Release version X.Y.Z")
      ->required();
  create->add_option("--due", c->due,
                     "Due date of the version's milestone (YYYY-MM-DD; "
                     "default: from the schedule)");
  create->add_flag("--update-due", c->update_due,
                   "Change the due date of an existing milestone that differs");
  AddCommon(create, *c);
  create->callback([c, &ctx] {
    absl::Status status = RunCreate(*c);
    ctx.exit_code = status.ok() ? kExitOk : ReportError(status);
  });

  auto m = std::make_shared<MilestoneWriteArgs>();
  CLI::App* move = milestone.add_subcommand(
      "move",
      "Plan (and with --execute do) moving the open issues and PRs of a "
      "milestone to\nthe next one, then closing the old one");
  move->footer(absl::StrCat(
      "Example:\n  relkit milestone move --from 2.4.0 --to 2.4.1 "
      "--github-repo pytorch/pytorch --execute\n\n"
      "Closed items stay in --from. --to is created when missing (due on its "
      "scheduled\nday). A rerun finds nothing left to move and says 'already "
      "applied'; a run that\nstopped midway is finished by the same "
      "command.\n",
      kGitHubRepoFooter, "\nSee docs/github.md."));
  move->add_option("--from", m->from, "Milestone to empty (title or number)")
      ->required();
  move->add_option("--to", m->to, "Milestone to move to (title or number)")
      ->required();
  move->add_flag("--keep-open", m->keep_open,
                 "Do not close the --from milestone afterwards");
  AddCommon(move, *m);
  move->callback([m, &ctx] {
    absl::Status status = RunMove(*m);
    ctx.exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace relkit::cli
