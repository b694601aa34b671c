#include "cli/github_flags.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "relkit/status.h"

namespace relkit::cli {

void AddGitHubClientOptions(CLI::App* cmd, GitHubClientFlags& flags,
                            bool writes) {
  cmd->add_option("--api-url", flags.api_url,
                  "GitHub API base URL (default: $GITHUB_API_URL or "
                  "https://api.github.com)");
  cmd->add_option("--snapshot", flags.snapshot,
                  writes ? "Read GitHub from this snapshot directory "
                           "(offline; plans only: a snapshot cannot be "
                           "written)"
                         : "Replay this snapshot directory (offline)");
  cmd->add_option("--record", flags.record,
                  "Save every GitHub response read into this directory");
  cmd->add_option("--cache-dir", flags.cache_dir,
                  "ETag cache directory (default: $XDG_CACHE_HOME/relkit/"
                  "github or ~/.cache/relkit/github)");
  cmd->add_flag("--no-cache", flags.no_cache, "Do not use the ETag cache");
  cmd->add_option("--rate-limit", flags.rate_limit,
                  "When the rate limit is used up: wait (until it resets, up "
                  "to 20 minutes) or fail")
      ->capture_default_str();
  cmd->add_flag("--verbose", flags.verbose,
                "Log each request to stderr (token redacted)");
}

absl::Status CheckExecuteWritable(const GitHubClientFlags& flags,
                                  bool execute) {
  if (execute && !flags.snapshot.empty()) {
    return absl::InvalidArgumentError(
        "--execute writes to GitHub, and --snapshot replays a snapshot that "
        "cannot be written: plan with --snapshot, execute without it");
  }
  return absl::OkStatus();
}

absl::StatusOr<GitHubClient> MakeGitHubClient(const GitHubClientFlags& flags,
                                              TerminalProgress& progress) {
  GitHubClientOptions o;
  o.api_url = flags.api_url;
  o.snapshot_dir = flags.snapshot;
  o.record_dir = flags.record;
  if (!flags.no_cache && flags.snapshot.empty() && flags.record.empty()) {
    o.cache_dir =
        flags.cache_dir.empty() ? UserCacheDir("github") : flags.cache_dir;
  }
  RELKIT_ASSIGN_OR_RETURN(
      o.rate_limit_policy,
      ParseRateLimitPolicy(flags.rate_limit, "--rate-limit"));
  o.http.user_agent = absl::StrCat("relkit/", RELKIT_VERSION_STRING);
  if (flags.verbose) {
    // The client redacts the token from every line it logs.
    o.log = [&progress](absl::string_view line) { progress.Print(line); };
  }
  o.page_progress = progress.PageCallback();
  return GitHubClient::Create(std::move(o));
}

absl::StatusOr<ReadinessReport> RunReadinessCheck(const Repository& repo,
                                                  GitHubClient& client,
                                                  ReadinessOptions options,
                                                  TerminalProgress& progress,
                                                  bool audit_cache) {
  options.audit_progress = progress.AuditCallback();
  options.history_progress = progress.HistoryCallback();
  if (audit_cache) options.audit_cache_dir = UserCacheDir("git");
  RELKIT_ASSIGN_OR_RETURN(ReadinessReport report,
                          CheckReadiness(repo, client, options));
  progress.Clear();
  NoteAuditCacheProblem(report.audit_cache_problem);
  NoteGitHubCacheProblem(client);
  return report;
}

}  // namespace relkit::cli
