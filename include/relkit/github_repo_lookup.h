// File: relkit/github_repo_lookup.h
// -----------------------------------------------------------------------------
//
// Which GitHub repository a command talks about, found the way the CLI's
// `--github-repo` / `--remote` options promise: an explicit name, else a
// remote of the local repository, else `$GITHUB_REPOSITORY`, else the
// `upstream` (or `origin`) remote. Reads git remotes (relkit/git.h) and the
// environment; never the network.
//
//   // --github-repo, else the URL of an explicit --remote, else
//   // $GITHUB_REPOSITORY, else the URL of the `upstream` (or `origin`)
//   // remote of /src/pytorch:
//   absl::StatusOr<relkit::ResolvedGitHubRepo> r = relkit::ResolveGitHubRepo(
//       {.github_repo = flag, .repo_path = "/src/pytorch"});
//   if (!r.ok()) return r.status();   // says what was tried
//   r->repo.ToString();               // "pytorch/pytorch"

#ifndef RELKIT_GITHUB_REPO_LOOKUP_H_
#define RELKIT_GITHUB_REPO_LOOKUP_H_

#include <string>

#include "absl/status/statusor.h"
#include "relkit/github_repo.h"

namespace relkit {

// Where `ResolveGitHubRepo` looks for the repository, in this order:
//   1. `github_repo` (`--github-repo`);
//   2. the URL of remote `remote` of `repo_path`, when `remote` is given
//      (`--remote`);
//   3. `$GITHUB_REPOSITORY`, when `use_environment`;
//   4. the URL of remote `upstream` of `repo_path` when it has one, else
//      `origin`.
struct GitHubRepoLookup {
  // An explicit `OWNER/NAME`; empty: not given.
  std::string github_repo = {};
  // Whether to read the `GITHUB_REPOSITORY` environment variable (set by
  // GitHub Actions); an empty variable counts as not set.
  bool use_environment = true;
  // The git repository whose remotes are read; empty: none (steps 2 and 4
  // find nothing).
  std::string repo_path = {};
  // The remote named by the user; empty: not given.
  std::string remote = {};
  // The API base URL the caller will query (`--api-url`); empty: not given.
  // When both this and `$GITHUB_API_URL` are empty, a repository found
  // from a remote whose host is not github.com (see IsGitHubComHost) is an
  // error: it would otherwise be looked up on api.github.com.
  std::string api_url = {};
};

// The repository `ResolveGitHubRepo` found, and where.
struct ResolvedGitHubRepo {
  GitHubRepo repo = {};
  // "--github-repo", "$GITHUB_REPOSITORY" or `remote "upstream" of
  // "/src/pytorch" (git@github.com:pytorch/pytorch.git)` (credentials
  // removed).
  std::string source = {};
  // The host of the remote the repository came from ("github.com",
  // "ghe.example.com"; see ParseGitHubRemoteUrl); empty when it came from
  // `--github-repo` or `$GITHUB_REPOSITORY`.
  std::string host = {};
};

// Returns the GitHub repository named by the first of `lookup`'s sources that
// is present (see GitHubRepoLookup for the order). A source that is present
// but malformed is an error, not skipped; so is an explicit `remote` that
// names no repository (`$GITHUB_REPOSITORY` is not tried then). Returns
// InvalidArgument naming the bad value (`$GITHUB_REPOSITORY` is named as
// such); InvalidArgument naming the remote, its URL (credentials removed)
// and host and suggesting `--api-url https://HOST/api/v3` or
// `--github-repo` when the remote is not on github.com and no API URL is
// set (see `GitHubRepoLookup::api_url`); or, when no source gives a
// repository, InvalidArgument saying what was tried, in the order above
// ("--github-repo not given; --remote not given; $GITHUB_REPOSITORY not
// set; " and then no repository at `repo_path`, no such remote and the
// remotes there are, or a remote URL that names no OWNER/NAME).
absl::StatusOr<ResolvedGitHubRepo> ResolveGitHubRepo(
    const GitHubRepoLookup& lookup);

}  // namespace relkit

#endif  // RELKIT_GITHUB_REPO_LOOKUP_H_
