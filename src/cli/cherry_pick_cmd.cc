// `relkit cherry-pick apply`: the @pytorchbot cherry-pick bot as a command
// (relkit/cherry_pick_bot.h), planned first and done with --execute.

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "cli/github_flags.h"
#include "cli/progress.h"
#include "relkit/cherry_pick.h"
#include "relkit/cherry_pick_bot.h"
#include "relkit/cherry_pick_bot_report.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/status.h"

namespace relkit::cli {
namespace {

struct ApplyArgs {
  int64_t pr = 0;
  std::string onto;
  std::string classification;
  std::string fixes;
  std::string requested_by;
  std::string comment;
  std::string comment_file;
  std::string repo_path = ".";
  std::string main = "main";
  std::string push_remote = "origin";
  GitHubRepoFlags gh;
  GitHubClientFlags client;
  bool execute = false;
  bool json = false;
};

absl::StatusOr<std::string> ReadCommentFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read comment file \"", path, "\""));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::StatusOr<CherryPickRequest> RequestFrom(const ApplyArgs& a,
                                              const GitHubRepo& repo) {
  CherryPickRequest req;
  req.pr = a.pr;
  req.requested_by = a.requested_by;
  req.main = a.main;
  req.push_remote = a.push_remote;
  req.repo = repo;
  std::optional<std::string> comment;
  std::string source = "--comment";
  if (!a.comment.empty()) comment = a.comment;
  if (!a.comment_file.empty()) {
    RELKIT_ASSIGN_OR_RETURN(comment, ReadCommentFile(a.comment_file));
    source = a.comment_file;
  }
  if (comment) {
    if (!a.onto.empty() || !a.classification.empty() || !a.fixes.empty()) {
      return absl::InvalidArgumentError(
          "--comment/--comment-file gives --onto, -c and --fixes: do not pass "
          "them too");
    }
    return CherryPickRequestFromComment(*comment, std::move(req), source);
  }
  if (a.onto.empty() || a.classification.empty()) {
    return absl::InvalidArgumentError(
        "--onto and -c/--classification are required (or --comment TEXT)");
  }
  req.onto = a.onto;
  RELKIT_ASSIGN_OR_RETURN(req.classification,
                          ParseClassification(a.classification));
  if (!a.fixes.empty()) req.fixes = a.fixes;
  return req;
}

absl::Status RunApply(const ApplyArgs& a, int& exit_code) {
  RELKIT_RETURN_IF_ERROR(CheckExecuteWritable(a.client, a.execute));
  RELKIT_ASSIGN_OR_RETURN(Repository repo, Repository::Discover(a.repo_path));
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo gh_repo,
      GitHubRepoFromFlags(a.gh, a.repo_path, a.client.api_url,
                          a.client.verbose));
  RELKIT_ASSIGN_OR_RETURN(CherryPickRequest req, RequestFrom(a, gh_repo));
  TerminalProgress progress(!a.json);  // cleared before any output
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh,
                          MakeGitHubClient(a.client, progress));
  progress.Show(absl::StrCat("planning the cherry-pick of #", req.pr));
  RELKIT_ASSIGN_OR_RETURN(CherryPickPlan plan, PlanCherryPick(repo, gh, req));
  progress.Clear();
  NoteGitHubCacheProblem(gh);
  const bool blocked = plan.refused();
  if (!a.execute || blocked || plan.already_applied) {
    std::cout << (a.json ? CherryPickPlanJson(plan) : CherryPickPlanText(plan));
    exit_code = (blocked || plan.conflict()) ? kExitProblems : kExitOk;
    return absl::OkStatus();
  }
  RELKIT_ASSIGN_OR_RETURN(CherryPickApplyResult result,
                          ApplyCherryPick(repo, gh, plan));
  std::cout << (a.json ? CherryPickResultJson(plan, result)
                       : CherryPickResultText(plan, result));
  exit_code = result.conflict ? kExitProblems : kExitOk;
  return absl::OkStatus();
}

}  // namespace

void RegisterCherryPickApplyCommand(CLI::App& cherry_pick, Context& ctx) {
  auto a = std::make_shared<ApplyArgs>();
  CLI::App* cmd = cherry_pick.add_subcommand(
      "apply",
      "Cherry-pick a merged PR onto a release branch as @pytorchbot does: "
      "branch, in-memory pick with -x, push, PR, tracker comment");
  cmd->footer(absl::StrCat(
      "Plans first: prints the PR, its commit on main (exact PR number), the "
      "pick\n(clean, or the conflicting paths) and every write with its "
      "text; --execute\ndoes it. A rerun finds what exists and says already "
      "applied. A conflict\nopens nothing: --execute posts a failure comment "
      "that @-mentions the requester.\nExit 0 when planned or done, 1 for a "
      "refusal (not merged, already in the\nbranch, patch-release rules) or "
      "a conflict, 2 for bad input, 3 when it\ncould not complete.\n",
      kGitHubRepoFooter,
      "\nExample: relkit cherry-pick apply --pr 128004 --onto release/2.4 -c "
      "regression\n  --fixes https://github.com/pytorch/pytorch/issues/130000 "
      "--requested-by octocat --execute"));
  cmd->add_option("--pr", a->pr, "The merged PR on main to pick")->required();
  cmd->add_option("--onto,--into", a->onto, "Release branch (release/X.Y)");
  cmd->add_option("-c,--classification", a->classification,
                  "regression, critical, fixnewfeature, docs or release");
  cmd->add_option("--fixes", a->fixes, "The issue the pick fixes (URL or #N)");
  cmd->add_option("--requested-by", a->requested_by,
                  "GitHub login of the requester (branch name, @-mention)");
  auto* comment = cmd->add_option(
      "--comment", a->comment,
      "A '@pytorchbot cherry-pick' comment giving --onto, -c and --fixes");
  cmd->add_option("--comment-file", a->comment_file,
                  "Read that comment from a file")
      ->excludes(comment);
  cmd->add_option("--repo", a->repo_path, "Local git repository")
      ->capture_default_str();
  cmd->add_option("--main", a->main, "Main branch")->capture_default_str();
  cmd->add_option("--push-remote", a->push_remote,
                  "Remote name, URL or path the branch is pushed to")
      ->capture_default_str();
  AddGitHubRepoOptions(cmd, a->gh);
  AddGitHubClientOptions(cmd, a->client, /*writes=*/true);
  cmd->add_flag("--execute", a->execute,
                "Do it (default: print the plan only)");
  cmd->add_flag("--json", a->json, "Print JSON");
  cmd->callback([a, &ctx] {
    int code = kExitOk;
    absl::Status status = RunApply(*a, code);
    ctx.exit_code = status.ok() ? code : ReportError(status);
  });
}

}  // namespace relkit::cli
