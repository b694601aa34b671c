#include "relkit/github_ref.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace relkit {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}
// The characters GitHub allows in owner and repository names (the same set
// as GitHubRepo::Parse).
bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.';
}
bool IsHostChar(char c) { return IsNameChar(c) || c == ':'; }

// Reads a run of `pred` characters at the start of `rest` (at least one);
// advances `rest` past it.
template <typename Pred>
std::optional<absl::string_view> Take(absl::string_view& rest, Pred pred) {
  size_t n = 0;
  while (n < rest.size() && pred(rest[n])) ++n;
  if (n == 0) return std::nullopt;
  absl::string_view run = rest.substr(0, n);
  rest.remove_prefix(n);
  return run;
}

// A reference ends at its number or sha: not in the middle of a word.
bool EndsHere(absl::string_view rest) {
  return rest.empty() || !IsWordChar(rest.front());
}

// Reads the decimal number at the start of `rest` into `out`; false when
// there are no digits or the value does not fit in 64 bits.
bool TakeNumber(absl::string_view& rest, uint64_t& out) {
  std::optional<absl::string_view> digits = Take(rest, IsDigit);
  // SimpleAtoi, given digits only, fails exactly on overflow.
  return digits && absl::SimpleAtoi(*digits, &out) && EndsHere(rest);
}

bool ValidRepoName(absl::string_view name) {
  return name != "." && name != "..";
}

// `owner/repo` at the start of `rest`, the repo followed by `next`.
bool TakeOwnerRepo(absl::string_view& rest, char next, GitHubRefToken& t) {
  std::optional<absl::string_view> owner = Take(rest, IsNameChar);
  if (!owner || !absl::ConsumePrefix(&rest, "/")) return false;
  std::optional<absl::string_view> repo = Take(rest, IsNameChar);
  if (!repo || !ValidRepoName(*repo) || rest.empty() || rest.front() != next) {
    return false;
  }
  rest.remove_prefix(1);
  t.owner = std::string(*owner);
  t.repo = std::string(*repo);
  return true;
}

// The URL forms; `text` starts with a scheme that ends at `colon`.
std::optional<GitHubRefToken> ParseUrl(absl::string_view text, size_t colon) {
  const absl::string_view scheme = text.substr(0, colon);
  if (!absl::EqualsIgnoreCase(scheme, "https") &&
      !absl::EqualsIgnoreCase(scheme, "http")) {
    return std::nullopt;
  }
  absl::string_view rest = text.substr(colon);
  if (!absl::ConsumePrefix(&rest, "://")) return std::nullopt;
  GitHubRefToken t;
  std::optional<absl::string_view> host = Take(rest, IsHostChar);
  if (!host || !absl::ConsumePrefix(&rest, "/")) return std::nullopt;
  if (!TakeOwnerRepo(rest, '/', t)) return std::nullopt;
  std::optional<absl::string_view> kind = Take(rest, absl::ascii_islower);
  if (!kind || !absl::ConsumePrefix(&rest, "/")) return std::nullopt;
  if (*kind == "pull") {
    t.kind = GitHubRefKind::kPull;
  } else if (*kind == "pulls") {
    t.kind = GitHubRefKind::kPulls;
  } else if (*kind == "issues") {
    t.kind = GitHubRefKind::kIssue;
  } else if (*kind == "commit" || *kind == "commits") {
    t.kind = GitHubRefKind::kCommit;
  } else {
    return std::nullopt;
  }
  if (t.kind == GitHubRefKind::kCommit) {
    std::optional<absl::string_view> sha = Take(rest, [](char c) {
      return absl::ascii_isxdigit(static_cast<unsigned char>(c));
    });
    if (!sha || !EndsHere(rest)) return std::nullopt;
    t.sha = absl::AsciiStrToLower(*sha);
  } else if (!TakeNumber(rest, t.number)) {
    return std::nullopt;
  }
  t.scheme = std::string(scheme);
  t.host = std::string(*host);
  t.size = text.size() - rest.size();
  return t;
}

}  // namespace

std::string GitHubRef::ToString() const {
  if (owner.empty()) return absl::StrCat("#", number);
  return absl::StrCat(owner, "/", repo, "#", number);
}

std::string GitHubRefToken::ToString() const {
  absl::string_view path;
  switch (kind) {
    case GitHubRefKind::kNumber:
      return ref().ToString();
    case GitHubRefKind::kPull:
      path = "pull";
      break;
    case GitHubRefKind::kPulls:
      path = "pulls";
      break;
    case GitHubRefKind::kIssue:
      path = "issues";
      break;
    case GitHubRefKind::kCommit:
      return absl::StrCat(scheme, "://", host, "/", owner, "/", repo,
                          "/commit/", sha);
  }
  return absl::StrCat(scheme, "://", host, "/", owner, "/", repo, "/", path,
                      "/", number);
}

std::optional<GitHubRefToken> ParseGitHubRef(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  // Each form is told by its first bytes: "#", a name then "/" then a name
  // then "#", or a scheme then "://". Only the last two share a start, and
  // a name never holds ':'.
  absl::string_view rest = text;
  GitHubRefToken t;
  if (rest.front() == '#') {
    rest.remove_prefix(1);
  } else if (IsNameChar(rest.front())) {
    const size_t end = rest.find_first_not_of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
    if (end != absl::string_view::npos && rest[end] == ':') {
      return ParseUrl(text, end);
    }
    if (!TakeOwnerRepo(rest, '#', t)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!TakeNumber(rest, t.number)) return std::nullopt;
  t.size = text.size() - rest.size();
  return t;
}

}  // namespace relkit
