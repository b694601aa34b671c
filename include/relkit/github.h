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
// `GH_TOKEN` environment variables, without surrounding whitespace (a token
// file with CRLF line endings works); a token with any other control
// character (a CR or LF inside would inject a header) is refused. It is sent
// only to the API's own host and never printed: every error message, log
// line, recorded snapshot and `ToString()` has it redacted. The API base URL comes from the option, the `GITHUB_API_URL`
// environment variable (GitHub Actions; GitHub Enterprise) or defaults to
// https://api.github.com.
//
// Typed calls (milestones, issues, comments, checks) are in
// relkit/github_issues.h; the repository value is in relkit/github_repo.h;
// this header is the transport-level client they share. Data sources: live
// (libcurl), `record_dir` (live, saving every response, relkit/snapshot.h) or
// `snapshot_dir` (replay, no network); the code path is the same.
//
//   relkit::GitHubClientOptions options;
//   options.cache_dir = "/home/me/.cache/relkit/github";
//   absl::StatusOr<relkit::GitHubClient> gh =
//       relkit::GitHubClient::Create(options);
//   if (!gh.ok()) return gh.status();
//   absl::StatusOr<std::vector<relkit::GitHubResponse>> pages =
//       gh->GetPages("repos/pytorch/pytorch/milestones?state=all");
//   // pages->at(i).body is each page's JSON text (already checked to be JSON)
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
#include "relkit/github_repo.h"
#include "relkit/http.h"

namespace relkit {

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

// Parses "wait" (kWait) or "fail" (kFailFast). Returns InvalidArgument
// `<what> must be "wait" or "fail", got "<name>"` otherwise; `what` names
// where the text came from ("--rate-limit", "rate_limit").
absl::StatusOr<RateLimitPolicy> ParseRateLimitPolicy(
    absl::string_view name, absl::string_view what = "rate limit policy");

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
  // A path that is not a directory, an unwritable directory or a corrupt
  // entry never fails a request: see GitHubClient::cache_problem().
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

// A write: POST, PATCH, PUT or DELETE with a JSON body.
struct GitHubWriteRequest {
  std::string method = "POST";
  // Relative to the API base ("repos/o/n/issues") or an absolute URL.
  std::string path = {};
  // JSON text; "" sends no body.
  std::string body = {};
  // For a write that creates something (POST of an issue, a comment, a pull
  // request, a milestone): finds the object the write would create, or
  // returns nullopt. Called before the first try and before every retry, so
  // that a retry after a timeout (whose request may have reached GitHub)
  // finds the object instead of creating it twice. A create without it is
  // never retried after a failure that may have reached the server.
  std::function<absl::StatusOr<std::optional<GitHubResponse>>()> find_existing =
      {};
  // Whether the write may be retried blindly (PATCH, PUT, DELETE and adding
  // labels are; creating is not).
  bool idempotent = false;
};

// The answer to a write.
struct GitHubWriteResponse {
  GitHubResponse response;
  // True when `find_existing` found the object: nothing was created by this
  // call (a rerun), or the earlier attempt of this call had created it.
  bool found_existing = false;
};

class GitHubClient {
 public:
  // Returns a client over libcurl, a recording transport or a snapshot,
  // according to `options`. Returns InvalidArgument for a bad API URL, for
  // both snapshot_dir and record_dir, for a snapshot or record directory that
  // is a file or a record directory that cannot be created or written, and
  // for a token with a control character (naming where it came from, never
  // the token); NotFound for a missing snapshot directory.
  static absl::StatusOr<GitHubClient> Create(GitHubClientOptions options = {});
  // Returns a client over `transport` (snapshot_dir and record_dir are
  // ignored). Returns InvalidArgument for a bad API URL, a bad per_page or a
  // token with a control character.
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

  // Sends `request` (see GitHubWriteRequest). Rate limits (primary and
  // secondary, 403 or 429) wait and try again as for Get (a request GitHub
  // refused was not carried out), after `find_existing`. 5xx, timeouts and
  // connection errors are retried only when the write is idempotent or
  // `find_existing` is set, and then only after it found nothing. Errors as
  // for Get; a 422 is InvalidArgument listing GitHub's validation errors in
  // plain words; a snapshot client returns FailedPrecondition (a replay
  // cannot change GitHub). Never recorded into a record directory.
  absl::StatusOr<GitHubWriteResponse> Write(const GitHubWriteRequest& request);

  // Returns the absolute URL for `path` (as Get resolves it).
  std::string UrlFor(absl::string_view path) const;

  const std::string& api_url() const;
  // Returns whether a token is configured.
  bool authenticated() const;
  // Returns "live", "snapshot DIR" or "record DIR".
  std::string source() const;
  const RateLimitInfo& rate_limit() const;
  const GitHubStats& stats() const;
  // Returns "" while the ETag cache works as asked; otherwise the first
  // reason it was not used (`"x" is not a directory`, `cannot write
  // "x/....json": ...`, `ignoring corrupt entry x/....json:1:1: invalid JSON:
  // ...`). The requests themselves are unaffected (a corrupt entry is
  // fetched again and rewritten); the CLI prints this as a note.
  const std::string& cache_problem() const;
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
