#include "cli/cli.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "relkit/text_escape.h"

namespace relkit::cli {

int ExitCodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

int ReportError(const absl::Status& status) {
  // Messages quote what they were given (a title, a file's text, a server's
  // answer): escaped, so that none of it can pose as a line of ours.
  std::cerr << "relkit: error: " << TextEscape(status.message()) << "\n";
  return ExitCodeFor(status);
}

std::string UserCacheDir(absl::string_view what) {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME");
      xdg != nullptr && *xdg != '\0') {
    return absl::StrCat(xdg, "/relkit/", what);
  }
  if (const char* home = std::getenv("HOME");
      home != nullptr && *home != '\0') {
    return absl::StrCat(home, "/.cache/relkit/", what);
  }
  return "";
}

void NoteAuditCacheProblem(absl::string_view problem) {
  if (problem.empty()) return;
  std::cerr << "relkit: note: patch-id cache not used: " << TextEscape(problem)
            << "\n";
}

void NoteGitHubCacheProblem(const GitHubClient& client) {
  if (client.cache_problem().empty()) return;
  std::cerr << "relkit: note: ETag cache not used: " << client.cache_problem()
            << "\n";
}

std::vector<std::string> ArgsOrStdin(const std::vector<std::string>& args) {
  if (!args.empty() || isatty(STDIN_FILENO)) return args;
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(std::cin, line)) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (!trimmed.empty()) lines.emplace_back(trimmed);
  }
  return lines;
}

void AddGitHubRepoOptions(CLI::App* cmd, GitHubRepoFlags& flags) {
  cmd->add_option("--github-repo", flags.github_repo,
                  "GitHub repository OWNER/NAME (default: from the URL of "
                  "--remote when given, else $GITHUB_REPOSITORY, else from the "
                  "URL of upstream or origin)");
  cmd->add_option("--remote", flags.remote,
                  "Remote of --repo whose URL names the GitHub repository, "
                  "used before $GITHUB_REPOSITORY (without it: "
                  "$GITHUB_REPOSITORY, else upstream if it exists, else "
                  "origin)");
}

absl::StatusOr<GitHubRepo> GitHubRepoFromFlags(const GitHubRepoFlags& flags,
                                               const std::string& repo_path,
                                               const std::string& api_url,
                                               bool verbose) {
  absl::StatusOr<ResolvedGitHubRepo> r =
      ResolveGitHubRepo({.github_repo = flags.github_repo,
                         .repo_path = repo_path,
                         .remote = flags.remote,
                         .api_url = api_url});
  if (!r.ok()) return r.status();
  if (verbose) {
    std::cerr << "relkit: GitHub repository " << TextEscape(r->repo.ToString())
              << " from " << TextEscape(r->source) << "\n";
  }
  return r->repo;
}

}  // namespace relkit::cli
