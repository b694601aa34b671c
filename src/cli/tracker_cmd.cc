// `relkit tracker create`: plan (and with --execute open) the release or
// patch tracker and the validation issue of a release
// (relkit/tracker_create.h).
#include <iostream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "cli/github_flags.h"
#include "cli/progress.h"
#include "cli/schedule_source.h"
#include "relkit/status.h"
#include "relkit/tracker_create.h"
#include "relkit/tracker_report.h"
#include "relkit/version.h"

namespace relkit::cli {
namespace {

struct TrackerArgs {
  GitHubRepoFlags gh;
  GitHubClientFlags client;
  std::string repo_path = ".";
  std::string version;
  std::string schedule;
  TrackerDateOptions dates;
  std::string release_managers = "@atalman, @malfet";
  bool execute = false;
  bool json = false;
};

absl::Status RunTrackerCreate(const TrackerArgs& a) {
  RELKIT_RETURN_IF_ERROR(CheckExecuteWritable(a.client, a.execute));
  RELKIT_ASSIGN_OR_RETURN(Version version, Version::Parse(a.version));
  RELKIT_ASSIGN_OR_RETURN(ReleaseSchedule schedule, LoadSchedule(a.schedule));
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo repo, GitHubRepoFromFlags(a.gh, a.repo_path, a.client.api_url,
                                           a.client.verbose));
  TerminalProgress progress(!a.json);
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh,
                          MakeGitHubClient(a.client, progress));
  TrackerCreateOptions options{.version = version, .schedule = schedule};
  options.tracker.dates = a.dates;
  options.tracker.release_managers = a.release_managers;
  RELKIT_ASSIGN_OR_RETURN(TrackerCreatePlan plan,
                          PlanTrackerCreate(gh, repo, options));
  progress.Clear();
  if (!a.execute) {
    NoteGitHubCacheProblem(gh);
    std::cout << (a.json ? TrackerCreatePlanJson(plan)
                         : TrackerCreatePlanText(plan));
    return absl::OkStatus();
  }
  RELKIT_ASSIGN_OR_RETURN(TrackerCreateResult result,
                          ApplyTrackerCreate(gh, repo, plan));
  progress.Clear();
  NoteGitHubCacheProblem(gh);
  std::cout << (a.json ? TrackerCreateResultJson(plan, result)
                       : TrackerCreateResultText(plan, result));
  return absl::OkStatus();
}

}  // namespace

void RegisterTrackerCommands(CLI::App& app, Context& ctx) {
  CLI::App* tracker = app.add_subcommand(
      "tracker", "The release tracker issues of a release on GitHub");
  tracker->require_subcommand(1);
  auto a = std::make_shared<TrackerArgs>();
  CLI::App* create = tracker->add_subcommand(
      "create",
      "Plan (and with --execute open) the release tracker, or the patch "
      "tracker of\nX.Y.Z with Z > 0, and the validation issue of a release");
  create->footer(absl::StrCat(
      "Example:\n  relkit tracker create --version 2.13.0 --github-repo "
      "pytorch/pytorch\n  relkit tracker create --version 2.13.0 "
      "--github-repo pytorch/pytorch --execute\n\n"
      "Without --execute only the plan is printed: each issue 'create' (title, "
      "labels)\nor 'exists: #N url'. An existing tracker is matched by exact "
      "version among\nissues labelled 'release tracker' ('[v2.4.1]' is 2.4.1, "
      "'[v.2.4.10]' never is);\na rerun of --execute creates nothing "
      "('already exists').\n"
      "Dates: M3 = week of the branch cut, M6 = release day (from the "
      "schedule);\nM4 = week of the Monday two weeks before release week, "
      "M4.1 = M6 - 8 days,\nM5 = M6 - 7 days, unless given. The token comes "
      "from GITHUB_TOKEN or GH_TOKEN\nand is never printed.\n",
      kGitHubRepoFooter, "\nSee docs/github.md."));
  create->add_option("--version", a->version, "Release version X.Y.Z")
      ->required();
  create->add_option("--schedule", a->schedule,
                     "Release schedule file (Markdown table or JSON; default: "
                     "the embedded one)");
  create->add_option("--m3", a->dates.m3, "M3 text (branch cut)");
  create->add_option("--m4", a->dates.m4,
                     "M4 text (final RC; patch tracker: cherry-pick deadline)");
  create->add_option("--m4-1", a->dates.m4_1, "M4.1 text (tutorial drafts)");
  create->add_option("--m5", a->dates.m5, "M5 text (external content)");
  create->add_option("--m6", a->dates.m6,
                     "M6 text or YYYY-MM-DD (release day)");
  create->add_option("--phase-cutoff", a->dates.phase_cutoff,
                     "Phase 1/2 cutoff (default: the M4 date)");
  create
      ->add_option("--release-managers", a->release_managers,
                   "Who grants special dispensation")
      ->capture_default_str();
  AddGitHubRepoOptions(create, a->gh);
  create
      ->add_option("--repo", a->repo_path,
                   "Local git repository whose remote names the GitHub "
                   "repository")
      ->capture_default_str();
  AddGitHubClientOptions(create, a->client, /*writes=*/true);
  create->add_flag("--execute", a->execute,
                   "Create the issues (default: print the plan only)");
  create->add_flag("--json", a->json, "Print JSON (the plan, and the result)");
  create->callback([a, &ctx] {
    absl::Status status = RunTrackerCreate(*a);
    ctx.exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace relkit::cli
