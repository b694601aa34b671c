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
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/audit_output.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "cli/progress.h"
#include "relkit/branch_audit.h"
#include "relkit/files.h"
#include "relkit/git.h"
#include "relkit/github_ref.h"
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

std::string EvidenceList(const std::vector<Evidence>& ev) {
  std::vector<std::string> names;
  for (Evidence e : ev) names.emplace_back(EvidenceName(e));
  return absl::StrJoin(names, ", ");
}

namespace {

void WriteEvidence(JsonOut& out, const std::vector<Evidence>& ev) {
  out.Key("evidence");
  out.w().StartArray();
  for (Evidence e : ev) out.String(EvidenceName(e));
  out.w().EndArray();
}

void WriteCounterparts(JsonOut& out, absl::string_view key,
                       const std::vector<Counterpart>& list) {
  out.Key(key);
  out.w().StartArray();
  for (const Counterpart& c : list) {
    out.w().StartObject();
    out.Field("sha", c.sha.ToString());
    WriteEvidence(out, c.evidence);
    out.w().EndObject();
  }
  out.w().EndArray();
}

void WriteWarnings(JsonOut& out, const BranchAudit& a) {
  out.Key("warnings");
  out.w().StartArray();
  for (const AuditWarning& w : a.warnings) {
    out.w().StartObject();
    out.Field("sha", w.sha.ToString());
    out.Field("message", w.message);
    out.w().EndObject();
  }
  out.w().EndArray();
}

}  // namespace

namespace {

// `"key": [{"sha": commit, "reverted_by": revert}, ...]`.
void WriteRevertedPairs(
    JsonOut& out, absl::string_view key,
    const std::vector<std::pair<ObjectId, ObjectId>>& pairs) {
  out.Key(key);
  out.w().StartArray();
  for (const auto& [commit, by] : pairs) {
    out.w().StartObject();
    out.Field("sha", commit.ToString());
    out.Field("reverted_by", by.ToString());
    out.w().EndObject();
  }
  out.w().EndArray();
}

}  // namespace

void WriteAuditJson(JsonOut& out, const BranchAudit& a) {
  out.w().StartObject();
  out.Field("branch", a.branch);
  out.Field("main", a.main);
  out.Field("branch_head", a.branch_head.ToString());
  out.Field("main_head", a.main_head.ToString());
  out.Field("cut_point", a.cut_point.ToString());
  out.Field("cut_point_source", CutPointSourceName(a.cut_point_source));
  out.Field("main_commit_count", static_cast<uint64_t>(a.main_commits.size()));
  out.Key("commits");
  out.w().StartArray();
  for (const BranchCommit& c : a.commits) {
    out.w().StartObject();
    out.Field("sha", c.sha.ToString());
    out.Field("title", c.title);
    out.Field("release_only", c.release_only);
    out.Field("is_merge", c.is_merge);
    WriteCounterparts(out, "counterparts", c.counterparts);
    out.Field("reverted_by", c.reverted_by ? std::optional<std::string>(
                                                 c.reverted_by->ToString())
                                           : std::nullopt);
    WriteRevertedPairs(out, "counterparts_reverted", c.counterparts_reverted);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.Key("reverts_needed");
  out.w().StartArray();
  for (const RevertNeeded& r : a.reverts_needed) {
    out.w().StartObject();
    out.Field("revert_sha", r.revert_sha.ToString());
    out.Field("revert_title", r.revert_title);
    out.Field("reverted_sha", r.reverted_sha.ToString());
    out.Field("present_as", r.present_as.ToString());
    WriteEvidence(out, r.evidence);
    out.w().EndObject();
  }
  out.w().EndArray();
  WriteRevertedPairs(out, "reverted_before_cut", a.reverted_before_cut);
  WriteWarnings(out, a);
  out.w().EndObject();
}

void PrintAuditText(const BranchAudit& a) {
  size_t release_only = 0;
  for (const BranchCommit& c : a.commits) release_only += c.release_only;
  std::cout << a.branch << ": cut point " << a.cut_point.ShortString() << " ("
            << CutPointSourceName(a.cut_point_source) << "); "
            << a.commits.size() << " commits since the cut, " << release_only
            << " release-only; " << a.main_commits.size() << " on " << a.main
            << "\n";
  for (const BranchCommit& c : a.commits) {
    std::cout << "  " << c.sha.ShortString() << " " << c.title << "\n";
    if (c.release_only) {
      std::cout << "      release-only" << (c.is_merge ? " (merge)" : "")
                << "\n";
    }
    for (const Counterpart& cp : c.counterparts) {
      std::cout << "      = " << cp.sha.ShortString() << " on " << a.main
                << " [" << EvidenceList(cp.evidence) << "]\n";
    }
    if (c.reverted_by) {
      std::cout << "      reverted on the branch by "
                << c.reverted_by->ShortString() << "\n";
    }
    for (const auto& [main, by] : c.counterparts_reverted) {
      std::cout << "      change of " << main.ShortString()
                << " reverted on the branch by " << by.ShortString() << "\n";
    }
  }
  std::cout << "Reverts needed: " << a.reverts_needed.size() << "\n";
  for (const RevertNeeded& r : a.reverts_needed) {
    std::cout << "  " << r.revert_sha.ShortString() << " " << r.revert_title
              << "\n      reverts " << r.reverted_sha.ShortString()
              << ", present in " << a.branch << " as "
              << r.present_as.ShortString() << " [" << EvidenceList(r.evidence)
              << "]\n";
  }
  if (!a.warnings.empty()) {
    std::cout << "Warnings: " << a.warnings.size() << "\n";
    for (const AuditWarning& w : a.warnings) {
      std::cout << "  " << w.sha.ShortString() << " " << w.message << "\n";
    }
  }
}

void WritePresenceJson(JsonOut& out, const std::vector<Presence>& results) {
  out.w().StartArray();
  for (const Presence& p : results) {
    out.w().StartObject();
    out.Field("query", p.query);
    out.Field("state", PresenceStateName(p.state));
    out.Key("main_commits");
    out.w().StartArray();
    for (const ObjectId& m : p.main_commits) out.String(m.ToString());
    out.w().EndArray();
    WriteCounterparts(out, "in_branch", p.in_branch);
    WriteCounterparts(out, "reverted_in_branch", p.reverted_in_branch);
    out.w().EndObject();
  }
  out.w().EndArray();
}

void PrintPresenceText(const BranchAudit& audit,
                       const std::vector<Presence>& results) {
  for (const Presence& p : results) {
    std::cout << p.query << " " << PresenceStateName(p.state);
    for (const Counterpart& c : p.in_branch) {
      std::cout << " " << c.sha.ShortString() << " ["
                << EvidenceList(c.evidence) << "]";
    }
    if (p.state == PresenceState::kMissing && !p.main_commits.empty()) {
      std::vector<std::string> shas;
      for (const ObjectId& m : p.main_commits) shas.push_back(m.ShortString());
      std::cout << " (on " << audit.main << " as " << absl::StrJoin(shas, ", ")
                << ")";
    }
    for (const Counterpart& c : p.reverted_in_branch) {
      if (c.sha.ToString() == p.query) {
        std::cout << " (reverted on the branch)";
      } else {
        std::cout << " (picked as " << c.sha.ShortString()
                  << ", reverted on the branch)";
      }
    }
    std::cout << "\n";
  }
}

namespace {

void PrintAuditJson(const BranchAudit& a) {
  JsonOut out;
  WriteAuditJson(out, a);
  out.Print();
}

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
    if (args->json) {
      PrintAuditJson(a->audit);
    } else {
      PrintAuditText(a->audit);
    }
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
    if (args->json) {
      JsonOut out;
      out.w().StartObject();
      out.Field("branch", a->audit.branch);
      out.Field("cut_point", a->audit.cut_point.ToString());
      out.Key("results");
      WritePresenceJson(out, result);
      WriteWarnings(out, a->audit);
      out.w().EndObject();
      out.Print();
    } else {
      PrintPresenceText(a->audit, result);
    }
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
