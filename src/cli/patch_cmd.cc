// `relkit patch triage`: the candidates of a patch release, their
// classification, whether each meets the patch-release criteria, and the
// cherry-pick deadline (issue 13 point 6). Read-only: no GitHub writes.

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/cli.h"
#include "cli/github_flags.h"
#include "cli/json_writer.h"
#include "cli/progress.h"
#include "relkit/files.h"
#include "relkit/patch_triage.h"
#include "relkit/patch_triage_fetch.h"
#include "relkit/patch_triage_report.h"
#include "relkit/schedule.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"
#include "relkit/version.h"

namespace relkit::cli {
namespace {

struct TriageArgs {
  GitHubRepoFlags repo;
  GitHubClientFlags client;
  std::string repo_path = ".";
  std::string milestone;
  std::string schedule;
  std::string deadline;
  std::string date;
  bool json = false;
};

absl::StatusOr<ReleaseSchedule> LoadTriageSchedule(const std::string& path) {
  if (path.empty()) return ReleaseSchedule::Default();
  RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (absl::EndsWithIgnoreCase(path, ".md")) {
    return ReleaseSchedule::FromMarkdown(text, path);
  }
  return ReleaseSchedule::FromJson(text, path);
}

absl::StatusOr<absl::CivilDay> ParseDayFlag(const std::string& text,
                                            absl::string_view flag) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid date \"", text, "\" for ", flag, ": expected YYYY-MM-DD"));
  }
  return day;
}

absl::Status RunTriage(const TriageArgs& a, int& exit_code) {
  absl::StatusOr<Version> version = Version::Parse(a.milestone);
  if (!version.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--milestone: ", version.status().message(),
                     " (expected the patch release, e.g. 2.4.1)"));
  }
  PatchTriageOptions options;
  options.today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  if (!a.date.empty()) {
    RELKIT_ASSIGN_OR_RETURN(options.today, ParseDayFlag(a.date, "--date"));
  }
  if (!a.deadline.empty()) {
    RELKIT_ASSIGN_OR_RETURN(options.deadline,
                            ParseDayFlag(a.deadline, "--deadline"));
  }
  RELKIT_ASSIGN_OR_RETURN(ReleaseSchedule schedule,
                          LoadTriageSchedule(a.schedule));
  // A version that is no patch release fails before any request.
  RELKIT_RETURN_IF_ERROR(
      PatchCherryPickDeadline(schedule, *version, options).status());
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo repo, GitHubRepoFromFlags(a.repo, a.repo_path,
                                           a.client.api_url, a.client.verbose));
  TerminalProgress progress(!a.json);  // cleared before any output
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh,
                          MakeGitHubClient(a.client, progress));
  if (a.client.verbose) {
    std::cerr << "relkit: " << TextEscape(gh.ToString()) << "\n";
  }
  RELKIT_ASSIGN_OR_RETURN(PatchTriageInput input,
                          FetchPatchTriage(gh, repo, *version, schedule));
  progress.Clear();
  NoteGitHubCacheProblem(gh);
  RELKIT_ASSIGN_OR_RETURN(PatchTriage triage,
                          TriagePatchRelease(input, schedule, options));
  if (a.json) {
    std::cout << PatchTriageJson(triage) << "\n";
  } else {
    std::cout << PatchTriageText(triage);
  }
  exit_code = triage.ProblemCount() == 0 ? kExitOk : kExitProblems;
  return absl::OkStatus();
}

}  // namespace

void RegisterPatchCommands(CLI::App& app, Context& ctx) {
  CLI::App* patch = app.add_subcommand(
      "patch", "Patch releases: triage of the candidates (read-only)");
  patch->require_subcommand(1);
  auto args = std::make_shared<TriageArgs>();
  CLI::App* triage = patch->add_subcommand(
      "triage",
      "List a patch release's candidates: classification, criteria, deadline");
  triage->footer(absl::StrCat(
      "Candidates: open or closed items labelled 'triage review', open "
      "'module: regression'\nissues, the items of the milestone titled as "
      "the version, and the nominations on\nits release tracker (exact "
      "version: '[v2.4.1] Release Tracker'). Each is\nclassified by its "
      "nomination's Criteria Category, else by labels, and checked\nagainst "
      "the patch-release criteria: a regression, critical or fixnewfeature "
      "change\nmust link a 'high priority' issue or a CI failure of the "
      "previous RC.\n"
      "The cherry-pick deadline is the schedule's patch-release date (X.Y.1: "
      "first patch,\nX.Y.2: second) less 14 days of build, promotion and "
      "testing, or --deadline;\na nomination comment created (UTC) after "
      "that day is flagged late.\n"
      "Exit 0 when every candidate meets the criteria and none is late, 1 "
      "when some\ncandidate does not or was nominated late (the release "
      "manager's to-do), 2 for\nbad input, 3 when GitHub cannot be read. "
      "Nothing is written to GitHub.\n",
      kGitHubRepoFooter,
      "\nExample: relkit patch triage --milestone 2.4.1 --github-repo "
      "pytorch/pytorch\nSee docs/github.md (Patch triage)."));
  AddGitHubRepoOptions(triage, args->repo);
  AddGitHubClientOptions(triage, args->client, /*writes=*/false);
  triage
      ->add_option("--repo", args->repo_path,
                   "Local git repository whose --remote names the GitHub "
                   "repository")
      ->capture_default_str();
  triage
      ->add_option("--milestone", args->milestone,
                   "The patch release X.Y.Z (its milestone's title)")
      ->required();
  triage->add_option(
      "--schedule", args->schedule,
      "Use this schedule instead of the built-in one (JSON, or a RELEASE.md)");
  triage->add_option("--deadline", args->deadline,
                     "The cherry-pick deadline YYYY-MM-DD (overrides the "
                     "schedule's)");
  triage->add_option("--date", args->date,
                     "The day of the report YYYY-MM-DD (default: today, UTC)");
  triage->add_flag("--json", args->json, "Print JSON");
  triage->callback([args, &ctx] {
    int code = kExitOk;
    absl::Status status = RunTriage(*args, code);
    ctx.exit_code = status.ok() ? code : ReportError(status);
  });
}

}  // namespace relkit::cli
