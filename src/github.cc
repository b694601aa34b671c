#include "relkit/github.h"

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
#include "internal/files.h"
#include "internal/json.h"
#include "relkit/git.h"
#include "relkit/snapshot.h"
#include "relkit/status.h"

namespace relkit {
namespace {

bool IsOwnerOrNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.';
}

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

// GitHub's error JSON `{"message": ...}`, or the start of the body.
std::string GitHubMessage(absl::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  std::string message;
  if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("message") &&
      doc["message"].IsString()) {
    message = doc["message"].GetString();
  } else {
    for (char c : body.substr(0, 200)) {
      message.push_back(
          absl::ascii_isprint(static_cast<unsigned char>(c)) ? c : ' ');
    }
    message = std::string(absl::StripAsciiWhitespace(message));
  }
  return message;
}

}  // namespace

// -----------------------------------------------------------------------------
// Repositories and remotes

absl::StatusOr<GitHubRepo> GitHubRepo::Parse(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid repository \"", text, "\": ", why, " (expected OWNER/NAME)"));
  };
  const size_t slash = text.find('/');
  if (slash == absl::string_view::npos) return bad("no '/'");
  absl::string_view owner = text.substr(0, slash);
  absl::string_view name = text.substr(slash + 1);
  if (owner.empty()) return bad("empty owner");
  if (name.empty()) return bad("empty name");
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == slash) continue;
    if (!IsOwnerOrNameChar(text[i])) {
      return bad(absl::StrCat("unexpected character at position ", i));
    }
  }
  if (name == "." || name == "..") return bad("invalid name");
  return GitHubRepo{std::string(owner), std::string(name)};
}

bool IsGitHubComHost(absl::string_view host) {
  const std::string lower = absl::AsciiStrToLower(host);
  absl::string_view h = lower;
  if (h == "www.github.com" || h == "ssh.github.com") return true;
  if (!absl::ConsumePrefix(&h, "github.com")) return false;
  // An ssh alias ("github.com-work", "github.com_me"), not another domain
  // ("github.company.com").
  return h.empty() || h.front() == '-' || h.front() == '_';
}

std::string GitHubRemote::ApiUrl() const {
  if (IsGitHubComHost(host)) return std::string(kGitHubApiUrl);
  return absl::StrCat("https://", host, "/api/v3");
}

namespace {

// The bytes [begin, end) of a URL that is shown with `***` instead: from
// after the first `://` to the last `@` of the whole text; without `://`,
// from the start to the last `@` when that span holds a `:` (a password),
// so `git@github.com:o/n.git` stays readable. Deliberately more than
// RedactUrl: a malformed URL may have a password with an unencoded `/`, `?`
// or `#`, so this redacts too much rather than too little.
struct RedactedSpan {
  size_t begin = 0;
  size_t end = 0;  // == begin: nothing redacted
};

RedactedSpan CredentialSpan(absl::string_view text) {
  const size_t at = text.rfind('@');
  if (at == absl::string_view::npos) return {};
  const size_t scheme = text.find("://");
  if (scheme != absl::string_view::npos && scheme + 3 <= at) {
    return {scheme + 3, at};
  }
  if (text.substr(0, at).find(':') == absl::string_view::npos) return {};
  return {0, at};
}

}  // namespace

std::string RedactRemoteUrl(absl::string_view url) {
  const RedactedSpan secret = CredentialSpan(url);
  if (secret.end == secret.begin) return std::string(url);
  return absl::StrCat(url.substr(0, secret.begin), "***",
                      url.substr(secret.end));
}

absl::StatusOr<GitHubRemote> ParseGitHubRemoteUrl(absl::string_view url) {
  absl::string_view text = absl::StripAsciiWhitespace(url);
  // Messages quote `text` with its credentials (see CredentialSpan) replaced
  // by `***`; positions are byte offsets into that quoted text, so that they
  // point at what the reader sees.
  const RedactedSpan secret = CredentialSpan(text);
  const std::string shown = RedactRemoteUrl(text);
  auto bad = [&](size_t pos, absl::string_view why) {
    size_t shown_pos = pos;
    if (secret.end != secret.begin && pos >= secret.begin) {
      // Inside the redacted span: the `***`; after it: shifted.
      shown_pos = pos < secret.end ? secret.begin
                                   : pos - (secret.end - secret.begin) + 3;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("cannot find OWNER/NAME in remote URL \"", shown,
                     "\": ", why, " (position ", shown_pos, ")"));
  };
  if (text.empty()) return bad(0, "empty URL");

  size_t host_begin = 0;  // [host_begin, host_end) in `text`, brackets kept
  size_t host_end = 0;
  size_t path_begin = 0;  // [path_begin, path_end)
  size_t path_end = text.size();
  const size_t scheme_end = text.find("://");
  const bool has_scheme =
      scheme_end != absl::string_view::npos && scheme_end > 0 &&
      absl::ascii_isalpha(static_cast<unsigned char>(text[0])) &&
      std::all_of(text.begin(), text.begin() + scheme_end, [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '+' ||
               c == '-' || c == '.';
      });
  if (has_scheme) {
    if (absl::AsciiStrToLower(text.substr(0, scheme_end)) == "file") {
      return bad(0, "a file:// URL is a local repository");
    }
    const size_t authority = scheme_end + 3;
    const size_t slash = text.find_first_of("/?#", authority);
    if (slash == absl::string_view::npos || text[slash] != '/') {
      return bad(slash == absl::string_view::npos ? text.size() : slash,
                 "no path after the host");
    }
    // Credentials end at the last '@' of the authority.
    const size_t at = text.substr(0, slash).rfind('@');
    host_begin =
        (at != absl::string_view::npos && at >= authority) ? at + 1 : authority;
    if (host_begin < slash && text[host_begin] == '[') {
      const size_t close = text.find(']', host_begin);
      if (close == absl::string_view::npos || close > slash) {
        return bad(host_begin, "unclosed '[' in the host");
      }
      host_end = close + 1;
    } else {
      host_end = text.find(':', host_begin);
      if (host_end == absl::string_view::npos || host_end > slash) {
        host_end = slash;
      }
    }
    // An optional `:port` (digits) up to the path.
    if (host_end < slash) {
      if (text[host_end] != ':') {
        return bad(host_end, "unexpected character after the host");
      }
      for (size_t i = host_end + 1; i < slash; ++i) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) {
          return bad(i, "the port is not a number");
        }
      }
    }
    path_begin = slash + 1;
    path_end = std::min(text.size(), text.find_first_of("?#", path_begin));
  } else {
    // scp-like `[user@]host:path`. git treats anything with a '/' before the
    // first ':' (or no ':' at all) as a local path, and so do we.
    if (text[0] == '\\') return bad(0, "a local path, not a URL");
    const size_t first_sep = text.find_first_of(":/");
    const size_t at = text.substr(0, first_sep).rfind('@');
    host_begin = at == absl::string_view::npos ? 0 : at + 1;
    size_t colon = absl::string_view::npos;
    if (host_begin < text.size() && text[host_begin] == '[') {
      const size_t close = text.find(']', host_begin);
      if (close == absl::string_view::npos) {
        return bad(host_begin, "unclosed '[' in the host");
      }
      if (close + 1 >= text.size() || text[close + 1] != ':') {
        return bad(close + 1, "expected ':' after the host");
      }
      colon = close + 1;
    } else {
      colon = text.find(':', host_begin);
      const size_t slash = text.find('/');
      if (slash != absl::string_view::npos &&
          (colon == absl::string_view::npos || slash < colon)) {
        return bad(0, "a local path, not a URL");
      }
      if (colon == absl::string_view::npos) {
        return bad(0, "neither a URL nor HOST:OWNER/NAME");
      }
    }
    host_end = colon;
    if (host_end - host_begin == 1 && host_begin == 0 &&
        absl::ascii_isalpha(static_cast<unsigned char>(text[0]))) {
      return bad(0, "a Windows drive path, not a URL");
    }
    path_begin = colon + 1;
  }

  // The host: a name (letters, digits, '-', '.', '_' for ssh aliases) or a
  // bracketed IPv6 address.
  absl::string_view host_text = text.substr(host_begin, host_end - host_begin);
  if (host_text.empty()) return bad(host_begin, "no host");
  const bool bracketed = host_text.front() == '[';
  for (size_t i = 0; i < host_text.size(); ++i) {
    const char c = host_text[i];
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    c == '-' || c == '.' || c == '_' ||
                    (bracketed && (c == ':' || (c == '[' && i == 0) ||
                                   (c == ']' && i + 1 == host_text.size())));
    if (!ok) return bad(host_begin + i, "unexpected character in the host");
  }
  std::string host = absl::AsciiStrToLower(host_text);
  if (host == "www.github.com") host = "github.com";

  // The path: [/]OWNER/NAME[.git][/].
  while (path_begin < path_end && text[path_begin] == '/') ++path_begin;
  while (path_end > path_begin && text[path_end - 1] == '/') --path_end;
  if (path_end - path_begin > 4 && text.substr(path_end - 4, 4) == ".git") {
    path_end -= 4;
  }
  absl::string_view path = text.substr(path_begin, path_end - path_begin);
  if (path.empty()) return bad(path_begin, "no OWNER/NAME path");
  const size_t slash = path.find('/');
  if (slash == absl::string_view::npos) {
    return bad(path_end, "the path is not OWNER/NAME (no '/')");
  }
  if (slash == 0) return bad(path_begin, "empty owner");
  if (const size_t extra = path.find('/', slash + 1);
      extra != absl::string_view::npos) {
    return bad(path_begin + extra, "the path has more than OWNER/NAME");
  }
  if (slash + 1 == path.size()) return bad(path_end, "empty name");
  for (size_t i = 0; i < path.size(); ++i) {
    if (i != slash && !IsOwnerOrNameChar(path[i])) {
      return bad(path_begin + i, "unexpected character in OWNER/NAME");
    }
  }
  absl::StatusOr<GitHubRepo> repo = GitHubRepo::Parse(path);
  if (!repo.ok()) {
    return bad(path_begin + slash + 1, "invalid repository name");
  }
  return GitHubRemote{std::move(host), *std::move(repo)};
}

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

// -----------------------------------------------------------------------------
// Link headers and the API URL

namespace {

// Returns the target of the first link in `link` whose `rel` lists `rel`.
std::optional<std::string> LinkTarget(absl::string_view link,
                                      absl::string_view rel) {
  size_t pos = 0;
  while (pos < link.size()) {
    const size_t open = link.find('<', pos);
    if (open == absl::string_view::npos) return std::nullopt;
    const size_t close = link.find('>', open + 1);
    if (close == absl::string_view::npos) return std::nullopt;
    absl::string_view target = link.substr(open + 1, close - open - 1);
    // Parameters run to the next ',' outside a quoted string.
    size_t i = close + 1;
    bool quoted = false;
    size_t end = i;
    for (; end < link.size(); ++end) {
      if (link[end] == '"') quoted = !quoted;
      if (link[end] == ',' && !quoted) break;
    }
    absl::string_view params = link.substr(i, end - i);
    for (absl::string_view param : absl::StrSplit(params, ';')) {
      param = absl::StripAsciiWhitespace(param);
      const size_t eq = param.find('=');
      if (eq == absl::string_view::npos) continue;
      if (!absl::EqualsIgnoreCase(
              absl::StripAsciiWhitespace(param.substr(0, eq)), "rel")) {
        continue;
      }
      absl::string_view value =
          absl::StripAsciiWhitespace(param.substr(eq + 1));
      absl::ConsumePrefix(&value, "\"");
      absl::ConsumeSuffix(&value, "\"");
      for (absl::string_view r :
           absl::StrSplit(value, ' ', absl::SkipWhitespace())) {
        if (absl::EqualsIgnoreCase(r, rel)) return std::string(target);
      }
    }
    pos = end + 1;
  }
  return std::nullopt;
}

// Returns the path of `url` relative to `api_url`, without the query.
std::string ListingPath(absl::string_view url, absl::string_view api_url) {
  absl::string_view path = url.substr(0, url.find_first_of("?#"));
  if (absl::StartsWith(path, api_url)) path.remove_prefix(api_url.size());
  while (absl::ConsumePrefix(&path, "/")) {
  }
  return std::string(path);
}

}  // namespace

std::optional<std::string> NextPageUrl(absl::string_view link) {
  return LinkTarget(link, "next");
}

std::optional<int> LastPageNumber(absl::string_view link) {
  std::optional<std::string> last = LinkTarget(link, "last");
  if (!last) return std::nullopt;
  absl::string_view url = *last;
  const size_t q = url.find('?');
  if (q == absl::string_view::npos) return std::nullopt;
  url = url.substr(q + 1, url.find('#', q) - q - 1);
  for (absl::string_view param : absl::StrSplit(url, '&')) {
    int page = 0;
    if (absl::ConsumePrefix(&param, "page=") &&
        absl::SimpleAtoi(param, &page) && page > 0) {
      return page;
    }
  }
  return std::nullopt;
}

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
    absl::StatusOr<std::string> text = internal::ReadWholeFile(path);
    if (!text.ok()) return std::nullopt;
    rapidjson::Document doc;
    doc.Parse(text->data(), text->size());
    auto str = [&](const char* key) -> const rapidjson::Value* {
      if (!doc.IsObject() || !doc.HasMember(key) || !doc[key].IsString())
        return nullptr;
      return &doc[key];
    };
    const rapidjson::Value* u = str("url");
    const rapidjson::Value* etag = str("etag");
    const rapidjson::Value* body = str("body");
    if (doc.HasParseError() || u == nullptr || etag == nullptr ||
        body == nullptr || u->GetString() != url) {
      Log(absl::StrCat("cache: ignoring corrupt entry ", path));
      return std::nullopt;
    }
    // The body must still be JSON (it was checked before it was stored).
    rapidjson::Document check;
    check.Parse(body->GetString(), body->GetStringLength());
    if (body->GetStringLength() != 0 && check.HasParseError()) {
      Log(absl::StrCat("cache: ignoring corrupt entry ", path));
      return std::nullopt;
    }
    CacheEntry e;
    e.etag = etag->GetString();
    e.body.assign(body->GetString(), body->GetStringLength());
    if (const rapidjson::Value* lm = str("last_modified"))
      e.last_modified = lm->GetString();
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
        internal::WriteFileAtomically(CachePath(url), internal::WriteJson(doc));
    if (!s.ok()) Log(absl::StrCat("cache: ", s.message()));
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

  absl::StatusOr<GitHubResponse> Get(const std::string& url);
};

absl::StatusOr<GitHubResponse> GitHubClient::Impl::Get(const std::string& url) {
  const std::string what = absl::StrCat("GET ", RedactUrl(url));

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

  std::optional<CacheEntry> cached = ReadCache(url);
  const bool send_token = !token.empty() && Origin(url) == Origin(api_url);
  int attempt = 0;             // retries for 5xx / connection errors
  int rate_limit_attempt = 0;  // waits for rate limits
  while (true) {
    HttpRequest request;
    request.url = url;
    request.headers.Set("Accept", "application/vnd.github+json");
    request.headers.Set("X-GitHub-Api-Version", "2022-11-28");
    if (send_token)
      request.headers.Set("Authorization", absl::StrCat("Bearer ", token));
    if (cached) {
      request.headers.Set("If-None-Match", cached->etag);
      if (!cached->last_modified.empty()) {
        request.headers.Set("If-Modified-Since", cached->last_modified);
      }
    }
    ++stats.requests;
    absl::StatusOr<HttpResponse> sent = transport->Send(request);
    if (!sent.ok()) {
      const absl::StatusCode code = sent.status().code();
      const bool transient = code == absl::StatusCode::kUnavailable ||
                             code == absl::StatusCode::kDeadlineExceeded;
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

    if (r.status == 304) {
      if (cached) {
        ++stats.not_modified;
        GitHubResponse out;
        out.status = 200;
        out.url = url;
        out.body = std::move(cached->body);
        if (!cached->link.empty()) out.headers.Set("link", cached->link);
        out.headers.Set("etag", cached->etag);
        out.from_cache = true;
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
      WriteCache(url, r);
      GitHubResponse out;
      out.status = r.status;
      out.url = url;
      out.headers = std::move(r.headers);
      out.body = std::move(r.body);
      return out;
    }

    const std::string message = GitHubMessage(r.body);
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

    if (r.status >= 500 && attempt < options.max_retries) {
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
  if (options.token.has_value()) {
    impl->token = *options.token;
  } else {
    impl->token = EnvOrEmpty("GITHUB_TOKEN");
    if (impl->token.empty()) impl->token = EnvOrEmpty("GH_TOKEN");
  }
  impl->token = std::string(absl::StripAsciiWhitespace(impl->token));
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
  return GitHubClient(std::move(impl));
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
