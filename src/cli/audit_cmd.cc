// `relkit audit branch|missing`: the branch audit from the command line.

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "relkit/branch_audit.h"
#include "relkit/files.h"
#include "relkit/git.h"
#include "relkit/github_ref.h"
#include "relkit/reports.h"
#include "relkit/status.h"

namespace relkit::cli {
namespace {

struct AuditArgs {
  std::string repo = ".";
  std::string branch;
  std::string main = "main";
  std::string orig;
  bool json = false;
  std::vector<uint64_t> prs;
  std::string prs_from;
  std::vector<std::string> commits;
  std::string cache_dir;
  bool no_cache = false;
};

void AddCommonOptions(CLI::App* cmd, AuditArgs& a) {
  cmd->add_option("--repo", a.repo, "Path of the git repository (default: .)");
  cmd->add_option("--branch", a.branch,
                  "Release branch, e.g. release/2.4 or upstream/release/2.4")
      ->required();
  cmd->add_option("--main", a.main, "Main branch (default: main)");
  cmd->add_option("--orig", a.orig,
                  "Untouched cut point (default: orig/<branch>)");
  cmd->add_flag("--json", a.json, "Print JSON instead of text");
  CLI::Option* cache_dir = cmd->add_option(
      "--cache-dir", a.cache_dir,
      "Cache of per-commit patch-ids and changed paths (default: "
      "$XDG_CACHE_HOME/relkit/git or ~/.cache/relkit/git); a repeated audit "
      "then reads commits only");
  cmd->add_flag("--no-cache", a.no_cache,
                "Neither read nor write the patch-id cache")
      ->excludes(cache_dir);
}

}  // namespace

namespace {

// A repository and its audit, as both commands need them.
struct Audited {
  Repository repo;
  BranchAudit audit;
};

// Opens the repository of `a` and audits the branch, with progress on a
// terminal (cleared before any output). On failure reports the error, sets
// the exit status and returns nullopt. The audit is complete without its
// cache, but a cache that cannot be used makes every run slow: that is said
// on stderr.
std::optional<Audited> OpenAndAudit(const AuditArgs& a, Context& ctx) {
  absl::StatusOr<Repository> repo = Repository::Discover(a.repo);
  if (!repo.ok()) {
    ctx.exit_code = ReportError(repo.status());
    return std::nullopt;
  }
  AuditOptions options;
  options.main = a.main;
  options.orig = a.orig;
  if (!a.no_cache) {
    options.cache_dir = a.cache_dir.empty() ? UserCacheDir("git") : a.cache_dir;
  }
  absl::StatusOr<BranchAudit> audit;
  {
    TerminalProgress progress(!a.json);
    options.progress = progress.AuditCallback();
    audit = AuditBranch(*repo, a.branch, options);
  }
  if (!audit.ok()) {
    ctx.exit_code = ReportError(audit.status());
    return std::nullopt;
  }
  NoteAuditCacheProblem(audit->cache.problem);
  return Audited{*std::move(repo), *std::move(audit)};
}

// Reads PR numbers from `path`: one per line as `123`, `#123` or a pull
// request URL (`https://github.com/o/r/pull/123`, a trailing `/` and the
// scheme may be left out); blank lines are skipped. A line is one whole
// reference (relkit/github_ref.h): no `o/r#123`, no `/files` after the URL.
absl::Status ReadPrs(const std::string& path, std::vector<uint64_t>& out) {
  RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  int n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++n;
    const absl::string_view s = absl::StripAsciiWhitespace(line);
    if (s.empty()) continue;
    uint64_t pr = 0;
    // A bare number is the list's own form, not a GitHub reference.
    if (std::all_of(s.begin(), s.end(), absl::ascii_isdigit) &&
        absl::SimpleAtoi(s, &pr)) {
      out.push_back(pr);
      continue;
    }
    std::optional<GitHubRefToken> ref = ParseGitHubRef(s);
    absl::string_view rest;
    if (!ref && s.front() != '#' && !absl::StrContains(s, "://")) {
      // "github.com/o/r/pull/123", copied without its scheme.
      const std::string url = absl::StrCat("https://", s);
      ref = ParseGitHubRef(url);
      if (ref) ref->size -= 8;  // "https://"
    }
    if (ref) rest = s.substr(ref->size);
    const bool number = ref && ref->kind == GitHubRefKind::kNumber &&
                        ref->owner.empty() && rest.empty();
    const bool pull_url = ref && ref->kind == GitHubRefKind::kPull &&
                          (rest.empty() || rest == "/");
    if (!number && !pull_url) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", n, ":1: expected a PR number, #N or a pull URL, got \"", s,
          "\""));
    }
    out.push_back(ref->number);
  }
  return absl::OkStatus();
}

void AddBranch(CLI::App& audit, Context& ctx) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = audit.add_subcommand(
      "branch",
      "List every commit of a release branch since the cut with its "
      "counterparts on main and the evidence, and the reverts it still needs");
  AddCommonOptions(cmd, *args);
  cmd->footer(
      "Exit status: 0 no reverts needed, 1 reverts needed, 2 bad input, 3 "
      "failure.");
  cmd->callback([args, &ctx] {
    std::optional<Audited> a = OpenAndAudit(*args, ctx);
    if (!a) return;
    std::cout << (args->json ? BranchAuditJson(a->audit)
                             : BranchAuditText(a->audit));
    ctx.exit_code = a->audit.reverts_needed.empty() ? kExitOk : kExitProblems;
  });
}

void AddMissing(CLI::App& audit, Context& ctx) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = audit.add_subcommand(
      "missing",
      "Say which PRs or main commits are in a release branch (and by which "
      "evidence) and which are missing");
  AddCommonOptions(cmd, *args);
  cmd->add_option("--pr", args->prs, "PR number (repeatable)");
  cmd->add_option("--prs-from", args->prs_from,
                  "File with one PR per line (123, #123 or a pull URL)");
  cmd->add_option("--commit", args->commits,
                  "Main commit, sha or revision (repeatable)");
  cmd->footer(
      "Exit status: 0 all present, 1 some missing, 2 bad input, 3 failure.");
  cmd->callback([args, &ctx] {
    std::vector<uint64_t> prs = args->prs;
    if (!args->prs_from.empty()) {
      absl::Status s = ReadPrs(args->prs_from, prs);
      if (!s.ok()) {
        ctx.exit_code = ReportError(s);
        return;
      }
    }
    if (prs.empty() && args->commits.empty()) {
      ctx.exit_code = ReportError(absl::InvalidArgumentError(
          "no PRs or commits given (use --pr, --prs-from or --commit)"));
      return;
    }
    std::optional<Audited> a = OpenAndAudit(*args, ctx);
    if (!a) return;
    std::vector<Presence> result = FindPrsInBranch(a->audit, prs);
    absl::StatusOr<std::vector<Presence>> by_commit =
        FindCommitsInBranch(a->repo, a->audit, args->commits);
    if (!by_commit.ok()) {
      ctx.exit_code = ReportError(by_commit.status());
      return;
    }
    for (Presence& p : *by_commit) result.push_back(std::move(p));
    bool missing = false;
    for (const Presence& p : result) {
      missing |= p.state == PresenceState::kMissing;
    }
    std::cout << (args->json ? PresenceJson(a->audit, result)
                             : PresenceText(a->audit, result));
    ctx.exit_code = missing ? kExitProblems : kExitOk;
  });
}

}  // namespace

void RegisterAuditCommands(CLI::App& app, Context& ctx) {
  CLI::App* audit = app.add_subcommand(
      "audit", "Audit a release branch against main (cherry-picks, reverts)");
  audit->require_subcommand(1);
  AddBranch(*audit, ctx);
  AddMissing(*audit, ctx);
}

}  // namespace relkit::cli
