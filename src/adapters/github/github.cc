#include "relkit/github.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "adapters/github/github_errors.h"
#include "adapters/github/link_header.h"
#include "internal/files.h"
#include "internal/json.h"
#include "relkit/files.h"
#include "relkit/snapshot.h"
#include "relkit/status.h"

namespace relkit {

using internal::LastPageNumber;
using internal::NextPageUrl;

namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// Returns "scheme://host[:port]" of `url`, lower-cased.
std::string Origin(absl::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return "";
  size_t end = url.find_first_of("/?#", scheme + 3);
  if (end == absl::string_view::npos) end = url.size();
  absl::string_view authority = url.substr(scheme + 3, end - scheme - 3);
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) authority.remove_prefix(at + 1);
  return absl::AsciiStrToLower(
      absl::StrCat(url.substr(0, scheme), "://", authority));
}

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::optional<int64_t> HeaderInt(const HttpHeaders& h, absl::string_view name) {
  std::optional<std::string> v = h.Get(name);
  int64_t n = 0;
  if (v && absl::SimpleAtoi(*v, &n)) return n;
  return std::nullopt;
}

// Strips surrounding whitespace from `token` (a token file saved with CRLF
// line endings leaves a `\r`) and refuses any other control character: a CR
// or LF inside would end the Authorization header and start another one.
// The error names where the token came from, never the token.
absl::Status CheckToken(std::string& token, absl::string_view source) {
  token = std::string(absl::StripAsciiWhitespace(token));
  for (size_t i = 0; i < token.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(token[i]);
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s contains a control character (byte 0x%02x at position %d of "
          "%d); a GitHub token is one line of printable text",
          source, c, i + 1, token.size()));
    }
  }
  return absl::OkStatus();
}

// Makes sure `dir` can hold a snapshot: an existing directory, or one that
// can be created.
absl::Status PrepareRecordDir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) &&
      !std::filesystem::is_directory(dir, ec)) {
    return absl::InvalidArgumentError(
        absl::StrCat("record directory ", dir, " is not a directory"));
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::string reason = ec.message();  // "Not a directory"
    if (!reason.empty()) reason[0] = absl::ascii_tolower(reason[0]);
    return absl::InvalidArgumentError(
        absl::StrCat("cannot create record directory ", dir, ": ", reason));
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("record directory ", dir, " is not writable"));
  }
  return absl::OkStatus();
}

}  // namespace

// -----------------------------------------------------------------------------
// GitHub's error bodies

namespace internal {
namespace {

// Returns `text` with control characters as spaces, stripped and cut to
// `max` bytes (GitHub's text goes into error messages and terminals).
std::string Printable(absl::string_view text, size_t max = 200) {
  std::string out;
  for (char c : text.substr(0, max)) {
    const unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  if (text.size() > max) out += "...";
  return std::string(absl::StripAsciiWhitespace(out));
}

std::string Member(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(key);
  if (it == v.MemberEnd()) return "";
  if (it->value.IsString()) {
    return Printable(
        absl::string_view(it->value.GetString(), it->value.GetStringLength()));
  }
  if (it->value.IsInt64()) return absl::StrCat(it->value.GetInt64());
  return "";
}

// One entry of a 422's `errors`, in plain words.
std::string DescribeValidationError(const rapidjson::Value& e) {
  if (e.IsString()) {
    return Printable(absl::string_view(e.GetString(), e.GetStringLength()));
  }
  if (!e.IsObject()) return "";
  const std::string resource = Member(e, "resource");
  const std::string field = Member(e, "field");
  const std::string code = Member(e, "code");
  const std::string message = Member(e, "message");
  const std::string value = Member(e, "value");
  const std::string subject =
      !field.empty() ? field : (!resource.empty() ? resource : "the request");
  std::string words;
  if (code == "missing") {
    words =
        absl::StrCat(resource.empty() ? subject : resource, " does not exist");
  } else if (code == "missing_field") {
    words = absl::StrCat(subject, " is missing");
  } else if (code == "invalid") {
    words = absl::StrCat(subject, " is invalid");
    if (!value.empty()) absl::StrAppend(&words, " (\"", value, "\")");
  } else if (code == "already_exists") {
    words = absl::StrCat(subject, " already exists (another ",
                         resource.empty() ? "object" : resource,
                         " has the same value)");
  } else if (code == "unprocessable") {
    words = absl::StrCat(subject, " could not be processed");
  } else if (!message.empty()) {  // "custom", and codes we do not know
    words = message;
  } else if (!code.empty()) {
    words = absl::StrCat(subject, ": ", code);
  } else {
    return "";
  }
  if (code == "custom" || (code.empty() && !message.empty())) {
    return words;
  }
  if (!message.empty() && words != message)
    absl::StrAppend(&words, ": ", message);
  std::string where = resource;
  if (!field.empty()) {
    absl::StrAppend(&where, where.empty() ? "" : ".", field);
  }
  absl::StrAppend(&words, " (", where, where.empty() ? "" : " ", code, ")");
  return words;
}

}  // namespace

std::string GitHubErrorText(absl::string_view body) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "");
  if (!doc.ok() || !doc->IsObject()) return Printable(body);
  std::string message = Member(*doc, "message");
  auto errors = doc->FindMember("errors");
  if (errors == doc->MemberEnd() || !errors->value.IsArray()) return message;
  std::vector<std::string> parts;
  constexpr rapidjson::SizeType kMaxErrors = 10;
  for (rapidjson::SizeType i = 0; i < errors->value.Size() && i < kMaxErrors;
       ++i) {
    std::string part = DescribeValidationError(errors->value[i]);
    if (!part.empty()) parts.push_back(std::move(part));
  }
  if (errors->value.Size() > kMaxErrors) {
    parts.push_back(
        absl::StrCat("and ", errors->value.Size() - kMaxErrors, " more"));
  }
  if (parts.empty()) return message;
  if (message.empty()) return absl::StrJoin(parts, "; ");
  return absl::StrCat(message, ": ", absl::StrJoin(parts, "; "));
}

}  // namespace internal

// -----------------------------------------------------------------------------
// Link headers and the API URL

namespace {

// Returns the path of `url` relative to `api_url`, without the query.
std::string ListingPath(absl::string_view url, absl::string_view api_url) {
  absl::string_view path = url.substr(0, url.find_first_of("?#"));
  if (absl::StartsWith(path, api_url)) path.remove_prefix(api_url.size());
  while (absl::ConsumePrefix(&path, "/")) {
  }
  return std::string(path);
}

}  // namespace

absl::StatusOr<std::string> ResolveGitHubApiUrl(absl::string_view option) {
  std::string url(option);
  std::string origin = "--api-url";
  if (url.empty()) {
    url = EnvOrEmpty("GITHUB_API_URL");
    origin = "GITHUB_API_URL";
  }
  if (url.empty()) return std::string(kGitHubApiUrl);
  if (!absl::StartsWithIgnoreCase(url, "http://") &&
      !absl::StartsWithIgnoreCase(url, "https://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        origin, " \"", RedactUrl(url), "\" is not an http:// or https:// URL"));
  }
  while (absl::EndsWith(url, "/")) url.pop_back();
  return url;
}

absl::StatusOr<RateLimitPolicy> ParseRateLimitPolicy(absl::string_view name,
                                                     absl::string_view what) {
  if (name == "wait") return RateLimitPolicy::kWait;
  if (name == "fail") return RateLimitPolicy::kFailFast;
  return absl::InvalidArgumentError(
      absl::StrCat(what, " must be \"wait\" or \"fail\", got \"", name, "\""));
}

// -----------------------------------------------------------------------------
// GitHubClient

struct GitHubClient::Impl {
  std::unique_ptr<HttpTransport> transport;
  GitHubClientOptions options;
  std::string api_url;
  std::string token;
  std::string source = "live";
  std::string cache_scope;
  RateLimitInfo rate;
  GitHubStats stats;
  std::mt19937_64 rng{std::random_device{}()};

  absl::Time Now() { return options.now ? options.now() : absl::Now(); }
  void Sleep(absl::Duration d) {
    stats.waited += d;
    if (options.sleep) {
      options.sleep(d);
    } else {
      absl::SleepFor(d);
    }
  }
  double Random() {
    if (options.random) return options.random();
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }
  void Log(absl::string_view line) {
    if (options.log) options.log(Redact(line));
  }
  std::string Redact(absl::string_view text) const {
    if (token.empty()) return std::string(text);
    return absl::StrReplaceAll(text, {{token, "***"}});
  }
  absl::Status Fail(const absl::Status& s) const {
    return absl::Status(s.code(), Redact(s.message()));
  }

  // --- ETag cache --------------------------------------------------------
  struct CacheEntry {
    std::string etag, last_modified, link, body;
  };
  // The first reason the cache was not (fully) used; the client never fails
  // because of its cache, the CLI prints this as a note.
  std::string cache_problem;
  void NoteCacheProblem(absl::string_view problem) {
    Log(absl::StrCat("cache: ", problem));
    if (cache_problem.empty()) cache_problem = Redact(problem);
  }
  // `what` names the entry's file and what is wrong with it.
  void IgnoreCorruptEntry(absl::string_view what) {
    NoteCacheProblem(absl::StrCat("ignoring corrupt entry ", what));
  }
  std::string CachePath(const std::string& url) const {
    return (std::filesystem::path(options.cache_dir) /
            absl::StrFormat("%016x.json", internal::StableHash64(absl::StrCat(
                                              cache_scope, " ", url))))
        .string();
  }
  // Returns the entry for `url`; nullopt when there is none or it is corrupt
  // (never served: the request goes out unconditional and rewrites it).
  std::optional<CacheEntry> ReadCache(const std::string& url) {
    if (options.cache_dir.empty()) return std::nullopt;
    const std::string path = CachePath(url);
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) {
      if (!absl::IsNotFound(text.status())) {
        NoteCacheProblem(text.status().message());
      }
      return std::nullopt;
    }
    // A corrupt entry (hostile, truncated, nested too deep) is never fatal:
    // the request goes out unconditional and its answer replaces the entry.
    absl::StatusOr<rapidjson::Document> doc = internal::ParseJson(*text, path);
    if (!doc.ok()) {
      IgnoreCorruptEntry(doc.status().message());
      return std::nullopt;
    }
    auto str = [&](const char* key) -> const rapidjson::Value* {
      if (!doc->IsObject() || !doc->HasMember(key) || !(*doc)[key].IsString())
        return nullptr;
      return &(*doc)[key];
    };
    const rapidjson::Value* u = str("url");
    const rapidjson::Value* etag = str("etag");
    const rapidjson::Value* body = str("body");
    if (u == nullptr || etag == nullptr || body == nullptr ||
        u->GetString() != url) {
      IgnoreCorruptEntry(absl::StrCat(path, ": not an entry for this request"));
      return std::nullopt;
    }
    // The body must still be JSON (it was checked before it was stored).
    if (body->GetStringLength() != 0) {
      absl::StatusOr<rapidjson::Document> check = internal::ParseJson(
          absl::string_view(body->GetString(), body->GetStringLength()),
          absl::StrCat(path, " $.body"));
      if (!check.ok()) {
        IgnoreCorruptEntry(check.status().message());
        return std::nullopt;
      }
    }
    CacheEntry e;
    e.etag = etag->GetString();
    e.body.assign(body->GetString(), body->GetStringLength());
    if (const rapidjson::Value* lm = str("last_modified"))
      e.last_modified = lm->GetString();
    // Both go back to the server as request headers: a line break in a
    // tampered entry would inject a header (the transport refuses such a
    // request, which must not fail the command).
    for (const std::string* value : {&e.etag, &e.last_modified}) {
      if (value->find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
        IgnoreCorruptEntry(
            absl::StrCat(path, ": a line break in a validator header"));
        return std::nullopt;
      }
    }
    if (const rapidjson::Value* link = str("link")) e.link = link->GetString();
    return e;
  }
  void WriteCache(const std::string& url, const HttpResponse& r) {
    if (options.cache_dir.empty()) return;
    std::optional<std::string> etag = r.headers.Get("etag");
    if (!etag) return;
    rapidjson::Document doc;
    doc.SetObject();
    auto& a = doc.GetAllocator();
    auto str = [&](absl::string_view s) {
      return rapidjson::Value(s.data(),
                              static_cast<rapidjson::SizeType>(s.size()), a);
    };
    doc.AddMember("url", str(url), a);
    doc.AddMember("etag", str(*etag), a);
    if (auto lm = r.headers.Get("last-modified"))
      doc.AddMember("last_modified", str(*lm), a);
    if (auto link = r.headers.Get("link")) doc.AddMember("link", str(*link), a);
    doc.AddMember("body", str(r.body), a);
    absl::Status s =
        WriteFileAtomically(CachePath(url), internal::WriteJson(doc));
    if (!s.ok()) NoteCacheProblem(s.message());
  }

  // --- rate limits -------------------------------------------------------
  void UpdateRateLimit(const HttpHeaders& h) {
    if (!h.Has("x-ratelimit-remaining")) return;
    rate.limit = HeaderInt(h, "x-ratelimit-limit");
    rate.remaining = HeaderInt(h, "x-ratelimit-remaining");
    rate.used = HeaderInt(h, "x-ratelimit-used");
    std::optional<int64_t> reset = HeaderInt(h, "x-ratelimit-reset");
    rate.reset = reset
                     ? std::optional<absl::Time>(absl::FromUnixSeconds(*reset))
                     : std::nullopt;
    rate.resource = h.Get("x-ratelimit-resource").value_or("");
  }

  std::string RateDescription() const {
    std::string out;
    if (rate.remaining) {
      absl::StrAppend(&out, *rate.remaining, " of ",
                      rate.limit ? absl::StrCat(*rate.limit) : std::string("?"),
                      " requests left");
      if (!rate.resource.empty())
        absl::StrAppend(&out, " for \"", rate.resource, "\"");
    }
    return out;
  }

  // Waits for the limit to reset, or returns ResourceExhausted when waiting
  // is not allowed. `what` names the request.
  absl::Status WaitOrFail(absl::string_view what, absl::Duration wait,
                          absl::string_view reason, int attempt) {
    const bool too_long = wait > options.max_rate_limit_wait;
    const bool fail_fast =
        options.rate_limit_policy == RateLimitPolicy::kFailFast;
    const bool out_of_retries = attempt >= options.max_rate_limit_retries;
    if (fail_fast || too_long || out_of_retries) {
      std::string why =
          fail_fast ? "not waiting (fail-fast rate limit policy)"
          : too_long
              ? absl::StrCat("longer than the allowed wait of ",
                             absl::FormatDuration(options.max_rate_limit_wait))
              : absl::StrCat("still limited after ", attempt, " waits");
      return absl::ResourceExhaustedError(
          absl::StrCat(what, ": rate limited by GitHub: ", reason, "; ", why));
    }
    Log(absl::StrCat(what, ": rate limited (", reason, "); waiting ",
                     absl::FormatDuration(wait)));
    ++stats.rate_limit_waits;
    Sleep(wait);
    return absl::OkStatus();
  }

  absl::Duration Backoff(int attempt) {
    absl::Duration d = options.initial_backoff * std::pow(2.0, attempt);
    d = std::min(d, options.max_backoff);
    return d / 2 + d / 2 * Random();  // "equal jitter"
  }

  // One request, as Get and Write send it.
  struct Call {
    std::string method = "GET";
    std::string url;
    std::string body;  // JSON; writes only
    // Writes: see GitHubWriteRequest.
    const std::function<absl::StatusOr<std::optional<GitHubResponse>>()>*
        find_existing = nullptr;
    // Whether 5xx, timeouts and connection errors may be retried.
    bool retry_transient = true;
    bool is_write() const { return method != "GET"; }
  };

  // The one send loop of the client: rate limits (pre-emptive, primary,
  // secondary), retries with backoff and jitter, the ETag cache (GET only),
  // the lookup of writes, error texts, redaction.
  absl::StatusOr<GitHubWriteResponse> Send(const Call& call);

  absl::StatusOr<GitHubResponse> Get(const std::string& url) {
    Call call;
    call.url = url;
    RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, Send(call));
    return std::move(r.response);
  }
};

absl::StatusOr<GitHubWriteResponse> GitHubClient::Impl::Send(const Call& call) {
  const std::string& url = call.url;
  const bool write = call.is_write();
  const std::string what = absl::StrCat(call.method, " ", RedactUrl(url));

  // Pre-emptive: the last response said the limit is used up.
  if (rate.remaining && *rate.remaining == 0 && rate.reset &&
      *rate.reset > Now()) {
    const absl::Time reset = *rate.reset;
    absl::Status s = WaitOrFail(
        what, reset - Now() + absl::Seconds(1),
        absl::StrCat(
            RateDescription(), "; the limit resets at ", FormatUtc(reset),
            " (in ",
            absl::FormatDuration(absl::Trunc(reset - Now(), absl::Seconds(1))),
            ")"),
        0);
    if (!s.ok()) return Fail(s);
    rate.remaining.reset();
  }

  // Writes are never answered from (or stored into) the ETag cache.
  std::optional<CacheEntry> cached = write ? std::nullopt : ReadCache(url);
  const bool send_token = !token.empty() && Origin(url) == Origin(api_url);
  // Writes bypass a recording transport: a snapshot holds what was read.
  HttpTransport* send_through = transport.get();
  if (write) {
    if (auto* recording = dynamic_cast<RecordingTransport*>(send_through)) {
      send_through = recording->live();
    }
  }
  // A write that failed in a way that may have reached GitHub and is not
  // retried: says so, and what to check before sending it again.
  auto not_retried = [&](absl::Status s) {
    return Fail(absl::Status(
        s.code(),
        absl::StrCat(s.message(),
                     "; not retried: this write may have reached GitHub (it "
                     "is not idempotent and has no lookup), check ",
                     RedactUrl(ListingPath(url, api_url)),
                     " for what it would have created or changed before "
                     "sending it again")));
  };
  int attempt = 0;             // retries for 5xx / connection errors
  int rate_limit_attempt = 0;  // waits for rate limits
  while (true) {
    if (call.find_existing != nullptr && *call.find_existing) {
      absl::StatusOr<std::optional<GitHubResponse>> found =
          (*call.find_existing)();
      if (!found.ok()) {
        return Fail(absl::Status(
            found.status().code(),
            absl::StrCat(what, ": looking for an existing object first: ",
                         found.status().message())));
      }
      if (found->has_value()) {
        Log(absl::StrCat(what, ": already exists (",
                         attempt + rate_limit_attempt == 0
                             ? "found before sending"
                             : "found before retrying",
                         "), not sent"));
        GitHubWriteResponse out;
        out.response = std::move(**found);
        out.found_existing = true;
        return out;
      }
    }
    HttpRequest request;
    request.method = call.method;
    request.url = url;
    request.headers.Set("Accept", "application/vnd.github+json");
    request.headers.Set("X-GitHub-Api-Version", "2022-11-28");
    if (send_token)
      request.headers.Set("Authorization", absl::StrCat("Bearer ", token));
    if (write && !call.body.empty()) {
      request.headers.Set("Content-Type", "application/json");
      request.body = call.body;
    }
    if (cached) {
      request.headers.Set("If-None-Match", cached->etag);
      if (!cached->last_modified.empty()) {
        request.headers.Set("If-Modified-Since", cached->last_modified);
      }
    }
    ++stats.requests;
    absl::StatusOr<HttpResponse> sent = send_through->Send(request);
    if (!sent.ok()) {
      const absl::StatusCode code = sent.status().code();
      const bool transient = code == absl::StatusCode::kUnavailable ||
                             code == absl::StatusCode::kDeadlineExceeded;
      if (transient && !call.retry_transient) {
        return not_retried(sent.status());
      }
      if (transient && attempt < options.max_retries) {
        const absl::Duration wait = Backoff(attempt);
        Log(absl::StrCat(sent.status().message(), "; retrying in ",
                         absl::FormatDuration(wait)));
        ++attempt;
        ++stats.retries;
        Sleep(wait);
        continue;
      }
      if (transient && attempt > 0) {
        return Fail(
            absl::Status(code, absl::StrCat(sent.status().message(), " (after ",
                                            attempt + 1, " attempts)")));
      }
      return Fail(sent.status());
    }
    HttpResponse& r = *sent;
    UpdateRateLimit(r.headers);
    Log(absl::StrCat(what, " -> ", r.status,
                     r.status == 304 ? " (not modified, from cache)" : ""));

    if (r.status == 304 && !write) {
      if (cached) {
        ++stats.not_modified;
        GitHubWriteResponse out;
        out.response.status = 200;
        out.response.url = url;
        out.response.body = std::move(cached->body);
        if (!cached->link.empty())
          out.response.headers.Set("link", cached->link);
        out.response.headers.Set("etag", cached->etag);
        out.response.from_cache = true;
        return out;
      }
      // A 304 we did not ask for: ask again without conditions.
      if (attempt < options.max_retries) {
        ++attempt;
        continue;
      }
      return Fail(absl::UnavailableError(absl::StrCat(
          what, ": unexpected 304 Not Modified without a cached copy")));
    }

    if (r.status >= 200 && r.status < 300) {
      if (!absl::StripAsciiWhitespace(r.body).empty()) {
        absl::StatusOr<rapidjson::Document> json =
            internal::ParseJson(r.body, url);
        if (!json.ok()) {
          return Fail(absl::InvalidArgumentError(
              absl::StrCat(json.status().message(), " (GitHub returned HTTP ",
                           r.status, " with a body that is not JSON)")));
        }
      }
      if (!write) WriteCache(url, r);
      GitHubWriteResponse out;
      out.response.status = r.status;
      out.response.url = url;
      out.response.headers = std::move(r.headers);
      out.response.body = std::move(r.body);
      return out;
    }

    const std::string message = internal::GitHubErrorText(r.body);
    const std::optional<int64_t> retry_after =
        HeaderInt(r.headers, "retry-after");
    const std::optional<int64_t> remaining =
        HeaderInt(r.headers, "x-ratelimit-remaining");
    const bool rate_limited =
        r.status == 429 ||
        (r.status == 403 &&
         (retry_after.has_value() || remaining == 0 ||
          absl::StrContains(absl::AsciiStrToLower(message), "rate limit")));
    if (rate_limited) {
      // GitHub refused the request: nothing was carried out, so a write is
      // sent again too (after its lookup).
      absl::Duration wait;
      std::string reason = absl::StrCat("HTTP ", r.status);
      if (retry_after) {
        wait = absl::Seconds(std::max<int64_t>(*retry_after, 1));
        absl::StrAppend(&reason, ", Retry-After ", *retry_after, "s");
      } else if (remaining == 0 && rate.reset) {
        wait = std::max(*rate.reset - Now(), absl::ZeroDuration()) +
               absl::Seconds(1);
        absl::StrAppend(&reason, ", ", RateDescription(),
                        "; the limit resets at ", FormatUtc(*rate.reset),
                        " (in ",
                        absl::FormatDuration(
                            absl::Trunc(*rate.reset - Now(), absl::Seconds(1))),
                        ")");
      } else {
        const absl::Duration base = options.secondary_rate_limit_wait *
                                    std::pow(2.0, rate_limit_attempt);
        wait = base + base / 4 * Random();
        absl::StrAppend(&reason, ", secondary rate limit");
      }
      if (!message.empty()) absl::StrAppend(&reason, ": ", message);
      absl::Status s = WaitOrFail(what, wait, reason, rate_limit_attempt);
      if (!s.ok()) return Fail(s);
      ++rate_limit_attempt;
      rate.remaining.reset();
      continue;
    }

    if (r.status >= 500 && call.retry_transient &&
        attempt < options.max_retries) {
      const absl::Duration wait = Backoff(attempt);
      Log(absl::StrCat(what, ": HTTP ", r.status, "; retrying in ",
                       absl::FormatDuration(wait)));
      ++attempt;
      ++stats.retries;
      Sleep(wait);
      continue;
    }

    absl::StatusCode code = HttpStatusToCode(r.status);
    if (code == absl::StatusCode::kOk) code = absl::StatusCode::kUnknown;
    std::string text = absl::StrCat(what, ": HTTP ", r.status);
    if (attempt > 0)
      absl::StrAppend(&text, " (after ", attempt + 1, " attempts)");
    if (!message.empty()) absl::StrAppend(&text, ": ", message);
    if (r.status == 401) {
      absl::StrAppend(&text,
                      token.empty()
                          ? " (no token: set GITHUB_TOKEN or GH_TOKEN)"
                          : " (check the token in GITHUB_TOKEN / GH_TOKEN)");
    } else if (r.status == 404 && token.empty()) {
      absl::StrAppend(&text, " (private repositories need a token)");
    }
    if (auto id = r.headers.Get("x-github-request-id")) {
      absl::StrAppend(&text, " [request id ", *id, "]");
    }
    if (r.status >= 500 && !call.retry_transient) {
      return not_retried(absl::Status(code, text));
    }
    return Fail(absl::Status(code, text));
  }
}

GitHubClient::GitHubClient(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
GitHubClient::GitHubClient(GitHubClient&&) noexcept = default;
GitHubClient& GitHubClient::operator=(GitHubClient&&) noexcept = default;
GitHubClient::~GitHubClient() = default;

absl::StatusOr<GitHubClient> GitHubClient::Create(GitHubClientOptions options) {
  RELKIT_ASSIGN_OR_RETURN(std::string api_url,
                          ResolveGitHubApiUrl(options.api_url));
  if (!options.snapshot_dir.empty() && !options.record_dir.empty()) {
    return absl::InvalidArgumentError(
        "a snapshot is either replayed (--snapshot) or recorded (--record), "
        "not both");
  }
  std::unique_ptr<HttpTransport> transport;
  std::string source = "live";
  if (!options.snapshot_dir.empty()) {
    RELKIT_ASSIGN_OR_RETURN(
        transport, SnapshotTransport::Open(options.snapshot_dir, api_url));
    source = absl::StrCat("snapshot ", options.snapshot_dir);
    options.token = "";  // nothing is sent anywhere
    options.cache_dir.clear();
  } else {
    RELKIT_ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> live,
                            CurlTransport::Create(options.http));
    transport = std::move(live);
    if (!options.record_dir.empty()) {
      // Before any request: a record directory that cannot be made would
      // otherwise cost a request (and rate limit) to find out.
      RELKIT_RETURN_IF_ERROR(PrepareRecordDir(options.record_dir));
      transport = std::make_unique<RecordingTransport>(
          std::move(transport), options.record_dir, api_url);
      source = absl::StrCat("record ", options.record_dir);
      options.cache_dir.clear();  // record full bodies, never 304s
    }
  }
  RELKIT_ASSIGN_OR_RETURN(GitHubClient client,
                          Create(std::move(transport), std::move(options)));
  client.impl_->source = std::move(source);
  return client;
}

absl::StatusOr<GitHubClient> GitHubClient::Create(
    std::unique_ptr<HttpTransport> transport, GitHubClientOptions options) {
  if (transport == nullptr)
    return absl::InvalidArgumentError("no HTTP transport");
  auto impl = std::make_unique<Impl>();
  RELKIT_ASSIGN_OR_RETURN(impl->api_url, ResolveGitHubApiUrl(options.api_url));
  std::string token_source = "the token";
  if (options.token.has_value()) {
    impl->token = *options.token;
  } else {
    impl->token = EnvOrEmpty("GITHUB_TOKEN");
    token_source = "GITHUB_TOKEN";
    if (impl->token.empty()) {
      impl->token = EnvOrEmpty("GH_TOKEN");
      token_source = "GH_TOKEN";
    }
  }
  RELKIT_RETURN_IF_ERROR(CheckToken(impl->token, token_source));
  options.token.reset();  // the only copy lives in impl->token
  if (options.per_page < 1 || options.per_page > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("per_page must be in 1..100, got ", options.per_page));
  }
  impl->cache_scope =
      impl->token.empty()
          ? std::string("anonymous")
          : absl::StrFormat("%016x",
                            internal::StableHash64("token " + impl->token));
  impl->transport = std::move(transport);
  impl->options = std::move(options);
  const std::string& cache_dir = impl->options.cache_dir;
  std::error_code ec;
  if (!cache_dir.empty() && std::filesystem::exists(cache_dir, ec) &&
      !std::filesystem::is_directory(cache_dir, ec)) {
    // Not fatal (the cache only saves rate limit), but said once, up front.
    impl->NoteCacheProblem(
        absl::StrCat("\"", cache_dir, "\" is not a directory"));
    impl->options.cache_dir.clear();
  }
  return GitHubClient(std::move(impl));
}

absl::StatusOr<GitHubWriteResponse> GitHubClient::Write(
    const GitHubWriteRequest& request) {
  Impl::Call call;
  call.method = absl::AsciiStrToUpper(request.method);
  call.url = UrlFor(request.path);
  call.body = request.body;
  const std::string what = absl::StrCat(call.method, " ", RedactUrl(call.url));
  if (call.method != "POST" && call.method != "PATCH" && call.method != "PUT" &&
      call.method != "DELETE") {
    return impl_->Fail(absl::InvalidArgumentError(
        absl::StrCat(what, ": a write is POST, PATCH, PUT or DELETE, not \"",
                     request.method, "\"")));
  }
  if (dynamic_cast<SnapshotTransport*>(impl_->transport.get()) != nullptr) {
    return impl_->Fail(absl::FailedPreconditionError(absl::StrCat(
        "a snapshot is read-only: ", what,
        " not sent (a replay cannot change GitHub; run live to write)")));
  }
  if (!call.body.empty()) {
    absl::StatusOr<rapidjson::Document> json =
        internal::ParseJson(call.body, "the request body");
    if (!json.ok()) {
      return impl_->Fail(absl::InvalidArgumentError(
          absl::StrCat(what, ": ", json.status().message())));
    }
  }
  if (request.find_existing) call.find_existing = &request.find_existing;
  call.retry_transient = request.idempotent || request.find_existing;
  return impl_->Send(call);
}

std::string GitHubClient::UrlFor(absl::string_view path) const {
  if (absl::StartsWithIgnoreCase(path, "http://") ||
      absl::StartsWithIgnoreCase(path, "https://")) {
    return std::string(path);
  }
  while (absl::ConsumePrefix(&path, "/")) {
  }
  return absl::StrCat(impl_->api_url, "/", path);
}

absl::StatusOr<GitHubResponse> GitHubClient::Get(absl::string_view path) {
  return impl_->Get(UrlFor(path));
}

absl::StatusOr<std::vector<GitHubResponse>> GitHubClient::GetPages(
    absl::string_view path) {
  std::string url = UrlFor(path);
  const size_t q = url.find('?');
  const bool has_per_page = q != std::string::npos &&
                            (absl::StrContains(url.substr(q), "?per_page=") ||
                             absl::StrContains(url.substr(q), "&per_page="));
  if (!has_per_page) {
    absl::StrAppend(&url, q == std::string::npos ? "?" : "&",
                    "per_page=", impl_->options.per_page);
  }
  std::vector<GitHubResponse> pages;
  std::set<std::string> seen;
  PageProgress progress;
  progress.path = RedactUrl(ListingPath(url, impl_->api_url));
  while (true) {
    if (!seen.insert(url).second) {
      return impl_->Fail(absl::InvalidArgumentError(
          absl::StrCat("GET ", RedactUrl(url),
                       ": pagination loop (Link rel=\"next\" points to a page "
                       "already read)")));
    }
    if (static_cast<int>(pages.size()) >= impl_->options.max_pages) {
      return impl_->Fail(absl::ResourceExhaustedError(
          absl::StrCat("GET ", RedactUrl(UrlFor(path)), ": more than ",
                       impl_->options.max_pages, " pages")));
    }
    RELKIT_ASSIGN_OR_RETURN(GitHubResponse page, impl_->Get(url));
    std::optional<std::string> link = page.headers.Get("link");
    std::optional<std::string> next = link ? NextPageUrl(*link) : std::nullopt;
    if (impl_->options.page_progress) {
      ++progress.pages;
      if (page.from_cache) ++progress.not_modified;
      std::optional<int> last = link ? LastPageNumber(*link) : std::nullopt;
      if (last) progress.total_pages = std::max(*last, progress.pages);
      // The last page has no `last` link: it is the total.
      if (!next) progress.total_pages = progress.pages;
      impl_->options.page_progress(progress);
    }
    pages.push_back(std::move(page));
    if (!next) break;
    url = UrlFor(*next);
  }
  return pages;
}

const std::string& GitHubClient::api_url() const { return impl_->api_url; }
bool GitHubClient::authenticated() const { return !impl_->token.empty(); }
std::string GitHubClient::source() const { return impl_->source; }
const RateLimitInfo& GitHubClient::rate_limit() const { return impl_->rate; }
const GitHubStats& GitHubClient::stats() const { return impl_->stats; }
const std::string& GitHubClient::cache_problem() const {
  return impl_->cache_problem;
}
std::string GitHubClient::Redact(absl::string_view text) const {
  return impl_->Redact(text);
}

std::string GitHubClient::ToString() const {
  return absl::StrCat(
      "GitHubClient(api_url=", RedactUrl(impl_->api_url),
      ", token=", impl_->token.empty() ? "none" : "set",
      ", source=", impl_->source, ", cache=",
      impl_->options.cache_dir.empty() ? "none" : impl_->options.cache_dir,
      ")");
}

}  // namespace relkit
