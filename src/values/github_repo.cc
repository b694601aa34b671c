#include "relkit/github_repo.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "relkit/status.h"

namespace relkit {
namespace {

bool IsOwnerOrNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.';
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

}  // namespace relkit
