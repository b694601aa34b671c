// Shared plumbing of the relkit command-line program: exit codes, error
// reporting, input gathering and JSON output. The CLI is a thin face: it parses
// arguments, calls librelkit and formats results; no release logic lives here.

#ifndef RELKIT_SRC_CLI_CLI_H_
#define RELKIT_SRC_CLI_CLI_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/github.h"
#include "relkit/github_repo_lookup.h"

namespace relkit::cli {

// Exit statuses, documented in `relkit --help` and docs/cli.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;  // the check ran and found problems
inline constexpr int kExitUsage = 2;     // bad usage or bad input
inline constexpr int kExitFailure = 3;   // the operation could not complete

// State shared by all subcommands of one invocation.
struct Context {
  int exit_code = kExitOk;
};

// Returns the exit status for a failed operation: input errors are 2, errors
// of the environment (network, I/O, internal) are 3.
int ExitCodeFor(const absl::Status& status);

// Prints `status` to stderr as one line ("relkit: error: ...") and returns its
// exit status.
int ReportError(const absl::Status& status);

// Returns `args`, or, when it is empty and stdin is not a terminal, the
// non-blank lines of stdin with surrounding whitespace removed.
std::vector<std::string> ArgsOrStdin(const std::vector<std::string>& args);

// Returns relkit's cache directory for `what` ("github", "git"):
// $XDG_CACHE_HOME/relkit/<what>, else ~/.cache/relkit/<what>; "" (no cache)
// when neither variable is set.
std::string UserCacheDir(absl::string_view what);
// Prints "relkit: note: patch-id cache not used: <why>" on stderr when the
// audit could not read or write its cache (`BranchAudit::cache.problem`);
// the audit itself is complete either way.
void NoteAuditCacheProblem(absl::string_view problem);
// Prints "relkit: note: ETag cache not used: <why>" on stderr when the GitHub
// client could not use its ETag cache (`GitHubClient::cache_problem`, e.g. a
// --cache-dir that is a file); the results are complete either way.
void NoteGitHubCacheProblem(const GitHubClient& client);

// The options that name the GitHub repository, shared by every command that
// talks to GitHub, so that all of them look it up the same way.
struct GitHubRepoFlags {
  std::string github_repo;  // --github-repo OWNER/NAME
  std::string remote;       // --remote NAME
};

// One line for a command's footer: where the GitHub repository comes from.
inline constexpr const char* kGitHubRepoFooter =
    "The GitHub repository: --github-repo, else the URL of --remote when "
    "given, else\n$GITHUB_REPOSITORY, else the URL of upstream (if it "
    "exists, else origin) of\n--repo. A remote not on github.com needs "
    "--api-url (or $GITHUB_API_URL).";

// Adds --github-repo and --remote to `cmd`.
void AddGitHubRepoOptions(CLI::App* cmd, GitHubRepoFlags& flags);

// Returns the GitHub repository: --github-repo, else the URL of --remote when
// given, else $GITHUB_REPOSITORY, else the URL of upstream (if it exists, else
// origin) of the git repository at `repo_path` (relkit::ResolveGitHubRepo).
// `api_url` is --api-url ("" when not given): without it and without
// $GITHUB_API_URL a remote whose host is not github.com is an error. With
// `verbose`, says on stderr where the repository came from.
absl::StatusOr<GitHubRepo> GitHubRepoFromFlags(const GitHubRepoFlags& flags,
                                               const std::string& repo_path,
                                               const std::string& api_url,
                                               bool verbose);

// Registers the subcommands of each area.
void RegisterVersionCommands(CLI::App& app, Context& ctx);
void RegisterDemoCommand(CLI::App& app, Context& ctx);
void RegisterAuditCommands(CLI::App& app, Context& ctx);
void RegisterRcCommands(CLI::App& app, Context& ctx);
void RegisterCutCommands(CLI::App& app, Context& ctx);
void RegisterMatrixCommands(CLI::App& app, Context& ctx);
void RegisterScheduleCommand(CLI::App& app, Context& ctx);
void RegisterBuildMatrixCommands(CLI::App& app, Context& ctx);
void RegisterWheelsCommands(CLI::App& app, Context& ctx);
void RegisterReleaseDayCommands(CLI::App& app, Context& ctx);
// `github` and `cherry-pick` (src/cli/github_cmd.cc).
void RegisterGitHubCommands(CLI::App& app, Context& ctx);
// `check` and `milestone check` (src/cli/check_cmd.cc).
void RegisterCheckCommands(CLI::App& app, Context& ctx);
// `pins` (src/cli/pins_cmd.cc).
void RegisterPinsCommand(CLI::App& app, Context& ctx);
// `promote` (src/cli/promote_cmd.cc).
void RegisterPromoteCommand(CLI::App& app, Context& ctx);
// `backup create|restore` (src/cli/backup_cmd.cc).
void RegisterBackupCommands(CLI::App& app, Context& ctx);
// `index regenerate` (src/cli/index_cmd.cc).
void RegisterIndexCommands(CLI::App& app, Context& ctx);
// `pypi stage|validate|upload` (src/cli/pypi_cmd.cc).
void RegisterPypiCommands(CLI::App& app, Context& ctx);
// `milestone create|move`, added to the `milestone` group that
// RegisterCheckCommands makes (src/cli/milestone_cmd.cc).
void RegisterMilestoneWriteCommands(CLI::App& milestone, Context& ctx);
// `tracker create` (src/cli/tracker_cmd.cc).
void RegisterTrackerCommands(CLI::App& app, Context& ctx);
// `patch triage` (src/cli/patch_cmd.cc).
void RegisterPatchCommands(CLI::App& app, Context& ctx);
// `cherry-pick apply`, added to the `cherry-pick` group that
// RegisterGitHubCommands makes (src/cli/cherry_pick_cmd.cc).
void RegisterCherryPickApplyCommand(CLI::App& cherry_pick, Context& ctx);

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_CLI_H_
