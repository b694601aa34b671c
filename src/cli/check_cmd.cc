// `relkit check` (the final-RC readiness report) and `relkit milestone
// check` (github_analyze --missing-in-branch, done right).

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "cli/github_flags.h"
#include "cli/progress.h"
#include "relkit/branch_audit.h"
#include "relkit/files.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/milestone.h"
#include "relkit/milestone_validation.h"
#include "relkit/readiness.h"
#include "relkit/reports.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

struct CheckArgs {
  std::string repo_path = ".";
  std::string branch;
  std::string main = "main";
  std::string milestone;
  GitHubRepoFlags gh;
  std::string snapshot, record, api_url, cache_dir;
  std::optional<int64_t> tracker;
  std::string html;
  bool json = false, no_cache = false, verbose = false, lines = false;
};

absl::StatusOr<GitHubClient> Client(const CheckArgs& a,
                                    TerminalProgress& progress) {
  GitHubClientFlags flags;
  flags.api_url = a.api_url;
  flags.snapshot = a.snapshot;
  flags.record = a.record;
  flags.cache_dir = a.cache_dir;
  flags.no_cache = a.no_cache;
  flags.verbose = a.verbose;
  return MakeGitHubClient(flags, progress);
}

void AddCommonOptions(CLI::App* cmd, CheckArgs& a) {
  cmd->add_option("--repo", a.repo_path, "Local git repository")
      ->capture_default_str();
  cmd->add_option("--branch", a.branch, "Release branch (release/X.Y)")
      ->required();
  cmd->add_option("--main", a.main, "Main branch")->capture_default_str();
  cmd->add_option("--milestone", a.milestone, "Milestone number or title")
      ->required();
  AddGitHubRepoOptions(cmd, a.gh);
  cmd->add_option("--snapshot", a.snapshot,
                  "Replay this snapshot directory (offline)");
  cmd->add_option("--record", a.record,
                  "Save every GitHub response into this directory");
  cmd->add_option("--api-url", a.api_url, "GitHub API base URL");
  cmd->add_option(
      "--cache-dir", a.cache_dir,
      "ETag cache directory (default: $XDG_CACHE_HOME/relkit/github "
      "or ~/.cache/relkit/github)");
  cmd->add_flag("--no-cache", a.no_cache,
                "Use neither the ETag cache nor the audit's patch-id cache "
                "($XDG_CACHE_HOME/relkit/git)");
  cmd->add_flag("--json", a.json, "Print JSON");
  cmd->add_flag("--verbose", a.verbose,
                "Log each request to stderr (token redacted)");
}

absl::Status RunCheck(const CheckArgs& a, int& exit_code) {
  RELKIT_ASSIGN_OR_RETURN(Repository repo, Repository::Discover(a.repo_path));
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo gh_repo,
      GitHubRepoFromFlags(a.gh, a.repo_path, a.api_url, a.verbose));
  TerminalProgress progress(!a.json);  // cleared before any output
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh, Client(a, progress));
  ReadinessOptions o;
  o.github_repo = gh_repo;
  o.branch = a.branch;
  o.main = a.main;
  o.milestone = a.milestone;
  o.tracker_issue = a.tracker;
  RELKIT_ASSIGN_OR_RETURN(
      ReadinessReport r,
      RunReadinessCheck(repo, gh, std::move(o), progress, !a.no_cache));
  if (!a.html.empty()) {
    // Atomic: a failed write never leaves half a page where a previous
    // report was.
    // The error names the file and the reason, as for every other file.
    RELKIT_RETURN_IF_ERROR(WriteFileAtomically(a.html, ReadinessHtml(r)));
  }
  if (a.json) {
    std::cout << ReadinessJson(r);
  } else {
    std::cout << ReadinessText(r);
    if (!a.html.empty()) {
      std::cout << "HTML report: " << TextEscape(a.html) << "\n";
    }
  }
  exit_code = r.ready() ? kExitOk : kExitProblems;
  return absl::OkStatus();
}

absl::Status RunMilestoneCheck(const CheckArgs& a, int& exit_code) {
  RELKIT_ASSIGN_OR_RETURN(Repository repo, Repository::Discover(a.repo_path));
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo gh_repo,
      GitHubRepoFromFlags(a.gh, a.repo_path, a.api_url, a.verbose));
  TerminalProgress progress(!a.json);  // cleared before any output
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh, Client(a, progress));
  MilestoneCheckOptions o;
  o.github_repo = gh_repo;
  o.branch = a.branch;
  o.milestone = a.milestone;
  o.audit.main = a.main;
  o.audit.progress = progress.AuditCallback();
  if (!a.no_cache) o.audit.cache_dir = UserCacheDir("git");
  o.validation.progress = progress.HistoryCallback();
  RELKIT_ASSIGN_OR_RETURN(MilestoneCheck check, CheckMilestone(repo, gh, o));
  progress.Clear();
  NoteAuditCacheProblem(check.audit.cache.problem);
  NoteGitHubCacheProblem(gh);
  const MilestoneValidation& v = check.validation;
  exit_code = v.ProblemCount() == 0 ? kExitOk : kExitProblems;
  if (a.lines) {
    std::cout << AnalyzeLines(v);
  } else if (a.json) {
    std::cout << MilestoneValidationJson(v, gh_repo.ToString());
  } else {
    std::cout << MilestoneValidationText(v, gh_repo.ToString());
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterCheckCommands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CheckArgs>();
  CLI::App* check = app.add_subcommand(
      "check", "Final-RC readiness report of a release branch");
  AddCommonOptions(check, *a);
  check->add_option("--tracker", a->tracker,
                    "Release tracker issue number (default: looked up by "
                    "the branch's release)");
  check->add_option("--html", a->html,
                    "Also write a self-contained HTML report to this file");
  check->footer(absl::StrCat(
      "Criteria (RELEASE_PROCESS.txt, before the final RC): no open milestone "
      "items;\nevery closed milestone PR in the branch; no outstanding "
      "cherry-picks; no reverts\nneeded; an RC tag at the branch head; CI "
      "green at the head. Exit 1 when any\nfails. See docs/readiness.md.\n",
      kGitHubRepoFooter));
  check->callback([a, &ctx] {
    int code = kExitOk;
    absl::Status s = RunCheck(*a, code);
    ctx.exit_code = s.ok() ? code : ReportError(s);
  });

  auto m = std::make_shared<CheckArgs>();
  CLI::App* milestone = app.add_subcommand(
      "milestone",
      "Milestones of a release: validation against the release branch, "
      "creation, moving what is left open");
  milestone->require_subcommand(1);
  CLI::App* mcheck = milestone->add_subcommand(
      "check",
      "Which milestone items are in the release branch (github_analyze "
      "--missing-in-branch)");
  AddCommonOptions(mcheck, *m);
  mcheck->add_flag("--analyze-lines", m->lines,
                   "Print github_analyze's URL;Title;Status lines");
  mcheck->footer(
      absl::StrCat("Exit 1 when an item is open or missing. See "
                   "docs/milestone-validation.md.\n",
                   kGitHubRepoFooter));
  mcheck->callback([m, &ctx] {
    int code = kExitOk;
    absl::Status s = RunMilestoneCheck(*m, code);
    ctx.exit_code = s.ok() ? code : ReportError(s);
  });
  RegisterMilestoneWriteCommands(*milestone, ctx);
}

}  // namespace relkit::cli
