// The options every GitHub-talking command shares (API URL, snapshot,
// record, ETag cache, rate-limit policy, --verbose), and the one way to make
// a client from them, so that every command behaves the same.
#ifndef RELKIT_SRC_CLI_GITHUB_FLAGS_H_
#define RELKIT_SRC_CLI_GITHUB_FLAGS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "cli/progress.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/readiness.h"

namespace relkit::cli {

struct GitHubClientFlags {
  std::string api_url;              // --api-url
  std::string snapshot;             // --snapshot DIR (replay, offline)
  std::string record;               // --record DIR
  std::string cache_dir;            // --cache-dir DIR
  std::string rate_limit = "wait";  // --rate-limit wait|fail
  bool no_cache = false;            // --no-cache
  bool verbose = false;             // --verbose
};

// Adds --api-url, --snapshot, --record, --cache-dir, --no-cache,
// --rate-limit and --verbose to `cmd`. `writes` says that the command
// writes to GitHub: the help then says that --snapshot only plans.
void AddGitHubClientOptions(CLI::App* cmd, GitHubClientFlags& flags,
                            bool writes = false);

// Returns InvalidArgument when `execute` is asked together with --snapshot:
// a replay cannot write to GitHub, and a command must refuse before any of
// its steps (a push, a local branch) rather than fail at its first GitHub
// write.
absl::Status CheckExecuteWritable(const GitHubClientFlags& flags, bool execute);

// Returns a client configured by `flags`: the ETag cache in
// UserCacheDir("github") unless --no-cache, --snapshot or --record; request
// lines (token redacted) through `progress` with --verbose; page progress on
// a terminal.
absl::StatusOr<GitHubClient> MakeGitHubClient(const GitHubClientFlags& flags,
                                              TerminalProgress& progress);

// Runs the final-RC readiness check as `relkit check` does: walk and paging
// progress through `progress` (cleared before returning), the branch
// audit's patch-id cache (UserCacheDir("git")) when `audit_cache`, and a
// note on stderr when a cache could not be used. Used by `check` and by
// `rc create --final`'s guard.
absl::StatusOr<ReadinessReport> RunReadinessCheck(const Repository& repo,
                                                  GitHubClient& client,
                                                  ReadinessOptions options,
                                                  TerminalProgress& progress,
                                                  bool audit_cache);

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_GITHUB_FLAGS_H_
