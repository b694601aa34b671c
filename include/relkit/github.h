// File: relkit/github.h
// -----------------------------------------------------------------------------
//
// A GitHub REST client that behaves well under GitHub's rules: it follows
// `Link: rel="next"` pagination (100 per page), honours rate limits
// (`Retry-After`; `x-ratelimit-remaining: 0` waits until `x-ratelimit-reset`
// or fails fast with ResourceExhausted naming the reset time; secondary
// limits back off), retries 5xx and connection errors a bounded number of
// times with exponential backoff and jitter (never another 4xx), and keeps an
// on-disk ETag cache so that unchanged pages come back as 304s, which cost
// no rate limit.
//
// The token comes from `GitHubClientOptions::token` or the `GITHUB_TOKEN` /
// `GH_TOKEN` environment variables. It is sent only to the API's own host
// and never printed: every error message, log line and `ToString()` has it
// redacted. The API base URL comes from the option, the `GITHUB_API_URL`
// environment variable (GitHub Actions; GitHub Enterprise) or defaults to
// https://api.github.com.
//
// Typed calls (milestones, issues, comments, checks) are in relkit/milestone.h;
// this header is the transport-level client they share. Data sources: live
// (libcurl), `record_dir` (live, saving every response, relkit/snapshot.h) or
// `snapshot_dir` (replay, no network); the code path is the same.
//
//   relkit::GitHubClientOptions options;
//   options.cache_dir = "/home/me/.cache/relkit/github";
//   absl::StatusOr<relkit::GitHubClient> gh =
//   relkit::GitHubClient::Create(options); if (!gh.ok()) return gh.status();
//   absl::StatusOr<std::vector<relkit::GitHubResponse>> pages =
//       gh->GetPages("repos/pytorch/pytorch/milestones?state=all");
//   // pages->at(i).body is each page's JSON text (already checked to be JSON)
//
//   absl::StatusOr<relkit::GitHubRemote> remote =
//       relkit::ParseGitHubRemoteUrl("git@github.com:pytorch/pytorch.git");
//   remote->repo.ToString();   // "pytorch/pytorch"
//
//   // --github-repo, else the URL of an explicit --remote, else
//   // $GITHUB_REPOSITORY, else the URL of the `upstream` (or `origin`)
//   // remote of /src/pytorch:
//   absl::StatusOr<relkit::ResolvedGitHubRepo> r = relkit::ResolveGitHubRepo(
//       {.github_repo = flag, .repo_path = "/src/pytorch"});
//
// A client is move-only and not thread-safe (requests are serial, as GitHub
// asks of integrations).

#ifndef RELKIT_GITHUB_H_
#define RELKIT_GITHUB_H_

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "relkit/http.h"

namespace relkit {

// The default API base URL.
inline constexpr absl::string_view kGitHubApiUrl = "https://api.github.com";

// A repository, `OWNER/NAME`.
struct GitHubRepo {
  std::string owner = {};
  std::string name = {};

  // Parses "OWNER/NAME". Returns InvalidArgument naming the input otherwise
  // (empty parts, more than one `/`, characters GitHub does not allow).
  static absl::StatusOr<GitHubRepo> Parse(absl::string_view text);

  // Returns "OWNER/NAME".
  std::string ToString() const { return owner + "/" + name; }

  friend bool operator==(const GitHubRepo&, const GitHubRepo&) = default;
  friend auto operator<=>(const GitHubRepo&, const GitHubRepo&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const GitHubRepo& r) {
    return H::combine(std::move(h), r.owner, r.name);
  }
};

// Where a git remote URL points.
struct GitHubRemote {
  std::string host = {};  // "github.com", "ghe.example.com"
  GitHubRepo repo = {};

  // Returns the REST base URL of the host: https://api.github.com for
  // github.com, https://HOST/api/v3 for GitHub Enterprise Server.
  std::string ApiUrl() const;
};

// Returns whether `host` (as ParseGitHubRemoteUrl returns it) is github.com
// itself: `github.com`, `www.github.com`, `ssh.github.com`, or an ssh alias
// that starts with `github.com-` or `github.com_` (`github.com-work`); not
// `github.company.com`. Case-insensitive.
bool IsGitHubComHost(absl::string_view host);

// Parses a git remote URL: `https://github.com/o/n(.git)(/)`, `http://`,
// `git@github.com:o/n.git` (scp-like, `[::1]` hosts too),
// `ssh://git@host(:port)/o/n.git`, `git://host/o/n.git`, `git+ssh://`, with
// any host (GitHub Enterprise, ssh aliases). Surrounding whitespace, a query
// or fragment and credentials are ignored; the host is lower-cased
// (`www.github.com` is `github.com`). Returns InvalidArgument naming the URL
// and the byte position of the problem when it has no `OWNER/NAME` path, or
// when it is a local repository: a `file://` URL or a path
// (`/srv/git/o/n.git`, `../n`, `C:\git\n`). The URL in the message has
// surrounding whitespace removed and its credentials replaced by `***` (see
// RedactRemoteUrl), so that a password with an unencoded `/`, `?` or `#` is
// never shown; the position
// counts bytes of the URL as the message shows it (a position inside the
// credentials points at the `***`).
absl::StatusOr<GitHubRemote> ParseGitHubRemoteUrl(absl::string_view url);

// Returns a git remote URL fit to show: everything from after `://` to the
// last `@` replaced by `***` (without `://`: from the start, when that part
// holds a `:`, so `git@github.com:o/n.git` stays as it is), as in the
// messages of ParseGitHubRemoteUrl. Stricter than RedactUrl (relkit/http.h),
// which keeps a `@` after the first `/`, `?` or `#`: a remote URL's password
// may hold those unencoded, and git still accepts it.
std::string RedactRemoteUrl(absl::string_view url);

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

// Returns the `rel="next"` URL of a `Link` header (RFC 8288: several
// comma-separated `<url>; param=value` links, `rel` may list several
// relations), or nullopt when there is none.
std::optional<std::string> NextPageUrl(absl::string_view link_header);

// Returns the page number of the `rel="last"` URL of a `Link` header (its
// `page` query parameter: how many pages the listing has), or nullopt when
// there is no such link or it has no positive `page`.
std::optional<int> LastPageNumber(absl::string_view link_header);

// Returns the API base URL: `option` when it is not empty, else the
// `GITHUB_API_URL` environment variable when set, else kGitHubApiUrl; without
// a trailing `/`. Returns InvalidArgument naming where it came from when it
// is not an http(s) URL.
absl::StatusOr<std::string> ResolveGitHubApiUrl(absl::string_view option);

// What to do when the primary rate limit is exhausted.
enum class RateLimitPolicy {
  kWait,      // sleep until x-ratelimit-reset (up to max_rate_limit_wait)
  kFailFast,  // return ResourceExhausted naming the reset time
};

// The rate-limit state the last response reported.
struct RateLimitInfo {
  std::optional<int64_t> limit = {};
  std::optional<int64_t> remaining = {};
  std::optional<int64_t> used = {};
  std::optional<absl::Time> reset = {};
  std::string resource = {};  // "core", "search", "graphql"
};

// Counters of one client, for progress output and performance figures.
struct GitHubStats {
  int64_t requests = 0;          // requests sent to the transport
  int64_t not_modified = 0;      // 304 responses served from the ETag cache
  int64_t retries = 0;           // retries after 5xx or connection errors
  int64_t rate_limit_waits = 0;  // waits for primary or secondary limits
  absl::Duration waited = absl::ZeroDuration();  // total sleep
};

// Where a paginated listing (GitHubClient::GetPages) is, after each page.
struct PageProgress {
  // The listing's path relative to the API base, without the query
  // ("repos/o/n/issues"); never the token.
  std::string path = {};
  int pages = 0;  // pages read so far
  // How many pages the listing has, from `Link: rel="last"`; 0 while
  // unknown (GitHub sends no `last` link on the last page).
  int total_pages = 0;
  int not_modified = 0;  // of `pages`, 304s served from the ETag cache
};

struct GitHubClientOptions {
  // API base URL; empty: see ResolveGitHubApiUrl.
  std::string api_url = {};
  // Token; nullopt: $GITHUB_TOKEN, then $GH_TOKEN; "": anonymous.
  std::optional<std::string> token = {};
  // Replay this snapshot directory instead of the network (no token, cache
  // or retries needed).
  std::string snapshot_dir = {};
  // Save every live response into this snapshot directory.
  std::string record_dir = {};
  // Directory of the ETag cache; empty: no cache. Not used with snapshots.
  std::string cache_dir = {};
  // The libcurl transport's options (timeouts, size cap, proxy).
  CurlTransportOptions http = {};

  // Retries after a 5xx or a connection error (so max_retries + 1 attempts).
  int max_retries = 4;
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Seconds(30);
  RateLimitPolicy rate_limit_policy = RateLimitPolicy::kWait;
  // A wait longer than this fails with ResourceExhausted even under kWait.
  absl::Duration max_rate_limit_wait = absl::Minutes(20);
  // First wait after a secondary rate limit without Retry-After; doubles.
  absl::Duration secondary_rate_limit_wait = absl::Seconds(60);
  int max_rate_limit_retries = 3;
  int per_page = 100;
  // GetPages fails with ResourceExhausted past this many pages.
  int max_pages = 1000;

  // Injectable clock, sleep and randomness (uniform in [0, 1), for jitter);
  // defaults: absl::Now, absl::SleepFor, a per-client PRNG.
  std::function<absl::Time()> now = {};
  std::function<void(absl::Duration)> sleep = {};
  std::function<double()> random = {};
  // Receives one line per request and per wait (`--verbose`); the token is
  // never in them.
  std::function<void(absl::string_view)> log = {};
  // Called after each page GetPages reads (a progress line on a terminal);
  // not by Get.
  std::function<void(const PageProgress&)> page_progress = {};
};

// One successful response: 2xx, or a 304 answered from the ETag cache.
struct GitHubResponse {
  int status = 0;
  std::string url = {};
  HttpHeaders headers = {};
  // JSON text (checked to parse when not empty).
  std::string body = {};
  bool from_cache = false;
};

class GitHubClient {
 public:
  // Returns a client over libcurl, a recording transport or a snapshot,
  // according to `options`. Returns InvalidArgument for a bad API URL or for
  // both snapshot_dir and record_dir, NotFound for a missing snapshot
  // directory.
  static absl::StatusOr<GitHubClient> Create(GitHubClientOptions options = {});
  // Returns a client over `transport` (snapshot_dir and record_dir are
  // ignored).
  static absl::StatusOr<GitHubClient> Create(
      std::unique_ptr<HttpTransport> transport, GitHubClientOptions options);

  GitHubClient(GitHubClient&&) noexcept;
  GitHubClient& operator=(GitHubClient&&) noexcept;
  ~GitHubClient();

  // GETs `path` ("repos/o/n/milestones?state=all", relative to the API base)
  // or an absolute URL. Returns the response when it is 2xx (or a 304 served
  // from the cache). Errors (messages name the method and URL; never the
  // token): 401 Unauthenticated, 403 PermissionDenied, 404 NotFound, 422
  // InvalidArgument, rate limits that cannot be waited out
  // ResourceExhausted naming the reset time, 5xx and connection errors that
  // outlast the retries Unavailable, timeouts DeadlineExceeded, a body that
  // is not JSON InvalidArgument naming the URL, line and column.
  absl::StatusOr<GitHubResponse> Get(absl::string_view path);

  // GETs every page of a list: adds `per_page` when the path has none and
  // follows `Link: rel="next"` until the last page, reporting each page to
  // `options.page_progress`. Returns the pages in order; the errors of Get,
  // and InvalidArgument for a Link loop.
  absl::StatusOr<std::vector<GitHubResponse>> GetPages(absl::string_view path);

  // Returns the absolute URL for `path` (as Get resolves it).
  std::string UrlFor(absl::string_view path) const;

  const std::string& api_url() const;
  // Returns whether a token is configured.
  bool authenticated() const;
  // Returns "live", "snapshot DIR" or "record DIR".
  std::string source() const;
  const RateLimitInfo& rate_limit() const;
  const GitHubStats& stats() const;
  // Returns e.g. `GitHubClient(api_url=https://api.github.com, token=set,
  // source=live, cache=none)`; never the token.
  std::string ToString() const;
  // Returns `text` with the token (if any) replaced by `***`.
  std::string Redact(absl::string_view text) const;

 private:
  struct Impl;
  explicit GitHubClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace relkit

#endif  // RELKIT_GITHUB_H_
