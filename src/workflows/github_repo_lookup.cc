#include "relkit/github_repo_lookup.h"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "relkit/git.h"
#include "relkit/status.h"

namespace relkit {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

absl::StatusOr<ResolvedGitHubRepo> ResolveGitHubRepo(
    const GitHubRepoLookup& lookup) {
  if (!lookup.github_repo.empty()) {
    RELKIT_ASSIGN_OR_RETURN(GitHubRepo repo,
                            GitHubRepo::Parse(lookup.github_repo));
    return ResolvedGitHubRepo{std::move(repo), "--github-repo", ""};
  }
  // What was tried, for the message when nothing gives a repository.
  std::vector<std::string> tried = {"--github-repo not given"};
  auto none = [&](std::string last) {
    tried.push_back(std::move(last));
    return absl::InvalidArgumentError(absl::StrCat(
        "no GitHub repository: ", absl::StrJoin(tried, "; "),
        "; pass --github-repo OWNER/NAME",
        lookup.remote.empty() && !lookup.repo_path.empty() ? " or --remote NAME"
                                                           : ""));
  };

  // The URL of a remote of `lookup.repo_path`: `lookup.remote` when given,
  // else upstream, else origin.
  auto from_remote = [&]() -> absl::StatusOr<ResolvedGitHubRepo> {
    if (lookup.repo_path.empty()) return none("no local git repository given");
    absl::StatusOr<Repository> git = Repository::Discover(lookup.repo_path);
    if (!git.ok()) return none(std::string(git.status().message()));
    const std::string where = absl::StrCat("\"", lookup.repo_path, "\"");

    RELKIT_ASSIGN_OR_RETURN(std::vector<Remote> remotes, git->Remotes());
    std::vector<std::string> names;
    for (const Remote& r : remotes) names.push_back(r.name);
    auto has = [&](absl::string_view name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    const std::string listed =
        names.empty()
            ? " (it has no remotes)"
            : absl::StrCat(" (its remotes: ", absl::StrJoin(names, ", "), ")");
    std::string remote = lookup.remote;
    if (remote.empty()) {
      remote = has("upstream") ? "upstream" : has("origin") ? "origin" : "";
      if (remote.empty()) {
        return none(absl::StrCat(
            where, " has neither an \"upstream\" nor an \"origin\" remote",
            listed));
      }
    } else if (!has(remote)) {
      return none(
          absl::StrCat(where, " has no remote \"", remote, "\"", listed));
    }
    absl::StatusOr<std::string> url = git->RemoteUrl(remote);
    if (!url.ok()) {
      if (url.status().code() != absl::StatusCode::kNotFound &&
          url.status().code() != absl::StatusCode::kInvalidArgument) {
        return url.status();
      }
      return none(std::string(url.status().message()));
    }
    absl::StatusOr<GitHubRemote> parsed = ParseGitHubRemoteUrl(*url);
    if (!parsed.ok()) {
      return none(absl::StrCat("remote \"", remote, "\" of ", where, ": ",
                               parsed.status().message()));
    }
    const std::string shown_url =
        RedactRemoteUrl(absl::StripAsciiWhitespace(*url));
    // A repository on another host must not be looked up on api.github.com.
    if (!IsGitHubComHost(parsed->host) && lookup.api_url.empty() &&
        EnvOrEmpty("GITHUB_API_URL").empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "remote \"", remote, "\" of ", where, " (", shown_url,
          ") is on host \"", parsed->host,
          "\", not github.com, and neither --api-url nor $GITHUB_API_URL is "
          "set; pass --api-url ",
          parsed->ApiUrl(),
          " (GitHub Enterprise) or --github-repo OWNER/NAME"));
    }
    return ResolvedGitHubRepo{std::move(parsed->repo),
                              absl::StrCat("remote \"", remote, "\" of ", where,
                                           " (", shown_url, ")"),
                              std::move(parsed->host)};
  };

  // An explicitly named remote comes before $GITHUB_REPOSITORY.
  if (!lookup.remote.empty()) return from_remote();
  tried.emplace_back("--remote not given");
  if (lookup.use_environment) {
    const std::string env = EnvOrEmpty("GITHUB_REPOSITORY");
    if (!env.empty()) {
      absl::StatusOr<GitHubRepo> repo = GitHubRepo::Parse(env);
      if (!repo.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("$GITHUB_REPOSITORY: ", repo.status().message()));
      }
      return ResolvedGitHubRepo{*std::move(repo), "$GITHUB_REPOSITORY", ""};
    }
    tried.emplace_back("$GITHUB_REPOSITORY not set");
  }
  return from_remote();
}

}  // namespace relkit
