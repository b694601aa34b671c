#include "relkit/commit_message.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "relkit/github_ref.h"

namespace relkit {
namespace {

// GitHub's truncation mark (U+2026 HORIZONTAL ELLIPSIS) in UTF-8.
constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexLower(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }
bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Parses the decimal number at the start of `s` (no sign); returns the
// number of digits consumed (0 when none or when it overflows).
size_t ParseNumber(absl::string_view s, uint64_t* out) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  if (n == 0 || n > 19) return 0;
  if (!absl::SimpleAtoi(s.substr(0, n), out)) return 0;
  return n;
}

// Parses `https://github.com/<owner>/<repo>/<kind>/<number>` at the start of
// `s` (also http://, www.github.com): a reference (relkit/github_ref.h) of
// `kind` on github.com, whose merge bot writes these URLs in lower case.
// `consumed` receives the length of the URL.
std::optional<GitHubRef> ParseGitHubUrl(absl::string_view s, GitHubRefKind kind,
                                        size_t* consumed = nullptr) {
  std::optional<GitHubRefToken> t = ParseGitHubRef(s);
  if (!t || t->kind != kind || (t->scheme != "https" && t->scheme != "http") ||
      (t->host != "github.com" && t->host != "www.github.com")) {
    return std::nullopt;
  }
  if (consumed != nullptr) *consumed = t->size;
  return t->ref();
}

// Parses a lower-case hex sha of 7..40 digits at the start of `s` that is not
// followed by another word character.
std::optional<std::string> ParseSha(absl::string_view s) {
  size_t n = 0;
  while (n < s.size() && n < 41 &&
         IsHexLower(absl::ascii_tolower(static_cast<unsigned char>(s[n])))) {
    ++n;
  }
  if (n < 7 || n > 40) return std::nullopt;
  if (n < s.size() && IsWordChar(s[n])) return std::nullopt;
  return absl::AsciiStrToLower(s.substr(0, n));
}

// The known `Key: value` lines, matched case-sensitively at column 0.
constexpr absl::string_view kKnownKeys[] = {
    "Pull Request resolved",
    "Pull-Request-resolved",
    "Pull-Request",
    "ghstack-source-id",
    "Differential Revision",
    "Approved by",
    "Reviewed By",
    "Reviewed-by",
    "Pulled By",
    "fbshipit-source-id",
    "Co-authored-by",
    "Signed-off-by",
    "X-link",
    "Original Phabricator Diff",
    "Original commit changeset",
    "ghstack dependencies",
};

std::optional<Trailer> ParseTrailer(absl::string_view line) {
  for (absl::string_view key : kKnownKeys) {
    if (line.size() > key.size() && absl::StartsWith(line, key) &&
        line[key.size()] == ':') {
      return Trailer{
          std::string(key),
          std::string(absl::StripAsciiWhitespace(line.substr(key.size() + 1)))};
    }
  }
  return std::nullopt;
}

// Finds `Fixes #N` / `Fixes <issue url>` mentions in `text`.
void FindFixes(absl::string_view text, std::vector<GitHubRef>* out) {
  static constexpr absl::string_view kWords[] = {
      "fixes", "fixed",    "fix",      "closes", "closed",
      "close", "resolves", "resolved", "resolve"};
  // This runs on every line of every commit an audit reads, so it looks
  // only at the first letter of each word: every keyword starts with f, c
  // or r (`| 0x20` lower-cases exactly F, C and R among the bytes that can
  // become f, c or r).
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordChar(text[i])) {
      ++i;
      continue;
    }
    const size_t word = i;
    while (i < text.size() && IsWordChar(text[i])) ++i;  // to the word's end
    const char first = static_cast<char>(text[word] | 0x20);
    if (first != 'f' && first != 'c' && first != 'r') continue;
    for (absl::string_view w : kWords) {
      if (w[0] != first) continue;
      if (!absl::StartsWithIgnoreCase(text.substr(word), w)) continue;
      size_t j = word + w.size();
      if (j < text.size() && text[j] == ':') ++j;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j < text.size() && text[j] == '#') {
        // `#N` only: `Fixes owner/repo#N` is not read (the keyword must be
        // followed by `#` or a URL).
        if (auto t = ParseGitHubRef(text.substr(j))) out->push_back(t->ref());
      } else if (auto ref =
                     ParseGitHubUrl(text.substr(j), GitHubRefKind::kIssue)) {
        out->push_back(std::move(*ref));
      }
      break;  // longest word first in kWords per stem
    }
  }
}

// Returns the quoted title after `Revert "` (up to the last quote) and
// whether a closing quote was found.
std::pair<std::string, bool> QuotedTitle(absl::string_view after_quote) {
  size_t last = after_quote.rfind('"');
  if (last == absl::string_view::npos) return {std::string(after_quote), false};
  return {std::string(after_quote.substr(0, last)), true};
}

}  // namespace

absl::string_view RevertKindName(RevertKind kind) {
  switch (kind) {
    case RevertKind::kNone:
      return "none";
    case RevertKind::kRevert:
      return "revert";
    case RevertKind::kReapply:
      return "reapply";
  }
  return "none";
}

namespace {

// `title` without its ` (#N)` suffixes; appends their numbers, last first,
// to `prs` when it is given. Allocates nothing else: NormalizeTitle runs on
// every commit an audit reads.
absl::string_view StripTitlePrSuffixes(absl::string_view title,
                                       std::vector<uint64_t>* prs) {
  absl::string_view rest = absl::StripTrailingAsciiWhitespace(title);
  while (absl::EndsWith(rest, ")")) {
    size_t open = rest.rfind("(#");
    if (open == absl::string_view::npos) break;
    // The reference `#N` must fill the parentheses.
    std::optional<GitHubRefToken> ref = ParseGitHubRef(rest.substr(open + 1));
    if (!ref || ref->size != rest.size() - open - 2) break;
    const uint64_t n = ref->number;
    // A suffix is separated by whitespace (or starts the title).
    if (open > 0 &&
        !absl::ascii_isspace(static_cast<unsigned char>(rest[open - 1]))) {
      break;
    }
    if (prs != nullptr) prs->push_back(n);
    rest = absl::StripTrailingAsciiWhitespace(rest.substr(0, open));
  }
  return rest;
}

}  // namespace

std::pair<std::vector<uint64_t>, std::string> SplitTitlePrSuffixes(
    absl::string_view title) {
  std::vector<uint64_t> prs;
  std::string rest(StripTitlePrSuffixes(title, &prs));
  std::reverse(prs.begin(), prs.end());
  return {std::move(prs), std::move(rest)};
}

std::string NormalizeTitle(absl::string_view title) {
  // Fold case and whitespace first so that marker and suffix checks see the
  // same text a second pass would (normalising is idempotent).
  std::string folded;
  folded.reserve(title.size());
  bool space = false;
  for (char c : StripTitlePrSuffixes(title, nullptr)) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !folded.empty();
      continue;
    }
    if (space) folded.push_back(' ');
    space = false;
    folded.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  absl::string_view t = folded;
  // Strip release markers at the start, repeatedly.
  while (true) {
    bool stripped = false;
    if (absl::StartsWith(t, "[")) {
      size_t close = t.find(']');
      if (close != absl::string_view::npos) {
        absl::string_view tag = t.substr(1, close - 1);
        if (absl::StartsWith(tag, "release") ||
            absl::StartsWith(tag, "cherry-pick") ||
            absl::StartsWith(tag, "cherry pick") ||
            absl::StartsWith(tag, "cherrypick")) {
          t = absl::StripLeadingAsciiWhitespace(t.substr(close + 1));
          stripped = true;
        }
      }
    }
    for (absl::string_view p :
         {"cherry-pick:", "cherry pick:", "cherry-pick ", "cherry pick "}) {
      if (!stripped && absl::StartsWith(t, p)) {
        t = absl::StripLeadingAsciiWhitespace(t.substr(p.size()));
        stripped = true;
      }
    }
    if (!stripped) break;
  }
  // Stripping markers can leave a title that is only PR suffixes.
  return std::string(StripTitlePrSuffixes(t, nullptr));
}

CommitMessage CommitMessage::Parse(absl::string_view message) {
  CommitMessage m;
  // Lines without their terminators ("\r\n" or "\n").
  std::vector<absl::string_view> lines;
  lines.reserve(std::count(message.begin(), message.end(), '\n') + 1);
  for (absl::string_view line : absl::StrSplit(message, '\n')) {
    lines.push_back(line);
  }
  for (absl::string_view& l : lines) absl::ConsumeSuffix(&l, "\r");
  size_t i = 0;
  while (i < lines.size() && absl::StripAsciiWhitespace(lines[i]).empty()) {
    ++i;  // git strips leading blank lines; so do we
  }
  if (i < lines.size()) m.subject = std::string(lines[i++]);
  m.title = m.subject;
  // GitHub cuts long squash titles at "… (#N)" and puts the rest, starting
  // with "…", as the first body line.
  {
    auto [prs, bare] = SplitTitlePrSuffixes(m.subject);
    size_t j = i;
    while (j < lines.size() && absl::StripAsciiWhitespace(lines[j]).empty()) {
      ++j;
    }
    if (!prs.empty() && absl::EndsWith(bare, kEllipsis) && j < lines.size() &&
        absl::StartsWith(lines[j], kEllipsis)) {
      std::string joined(bare.substr(0, bare.size() - kEllipsis.size()));
      absl::StrAppend(&joined, lines[j].substr(kEllipsis.size()));
      for (uint64_t n : prs) absl::StrAppend(&joined, " (#", n, ")");
      m.title = std::move(joined);
      i = j + 1;
    }
  }
  while (i < lines.size() && absl::StripAsciiWhitespace(lines[i]).empty()) ++i;
  size_t body_start = i;
  {
    std::vector<absl::string_view> body_lines(lines.begin() + body_start,
                                              lines.end());
    m.body = absl::StrJoin(body_lines, "\n");
  }

  auto [prs, bare] = SplitTitlePrSuffixes(m.title);
  m.title_prs = std::move(prs);
  m.bare_title = std::move(bare);

  // Revert / reapply from the title.
  absl::string_view bt = m.bare_title;
  std::optional<std::string> quoted;
  bool closed = true;
  auto take_quoted = [&](absl::string_view prefix) {
    if (!absl::StartsWith(bt, prefix)) return false;
    auto [t, ok] = QuotedTitle(bt.substr(prefix.size()));
    quoted = std::move(t);
    closed = ok;
    return true;
  };
  if (absl::StartsWith(bt, "Revert \"Revert \"") ||
      absl::StartsWith(bt, "Back out \"Revert \"")) {
    take_quoted(absl::StartsWith(bt, "Revert") ? "Revert \"" : "Back out \"");
    m.revert_kind = RevertKind::kReapply;
  } else if (take_quoted("Revert \"") || take_quoted("Back out \"")) {
    m.revert_kind = RevertKind::kRevert;
  } else if (take_quoted("Reapply \"") || take_quoted("Reland \"") ||
             take_quoted("Re-land \"")) {
    m.revert_kind = RevertKind::kReapply;
  } else {
    std::string lower = absl::AsciiStrToLower(bt.substr(0, 12));
    if (absl::StartsWith(lower, "reland") ||
        absl::StartsWith(lower, "re-land") ||
        absl::StartsWith(lower, "[reland]") ||
        absl::StartsWith(lower, "reapply")) {
      m.revert_kind = RevertKind::kReapply;
    } else if (body_start < lines.size() &&
               absl::StartsWith(lines[body_start], "Reapply \"")) {
      m.revert_kind = RevertKind::kReapply;  // GitHub squash of a reapply
    }
  }
  m.reverted_title = quoted;
  m.title_truncated = absl::EndsWith(m.title, kEllipsis) ||
                      absl::StrContains(m.bare_title, kEllipsis) || !closed;

  FindFixes(m.title, &m.fixes);

  for (size_t k = body_start; k < lines.size(); ++k) {
    absl::string_view line = lines[k];
    FindFixes(line, &m.fixes);
    // `Summary: Pull Request resolved: ...` (Phabricator exports).
    absl::string_view content = line;
    if (absl::ConsumePrefix(&content, "Summary:")) {
      content = absl::StripLeadingAsciiWhitespace(content);
    }
    if (absl::StartsWith(content, "(cherry picked from commit ")) {
      if (auto sha = ParseSha(content.substr(27))) {
        m.cherry_picked_from.push_back(std::move(*sha));
      }
      continue;
    }
    if (absl::StartsWith(content, "This reverts commit ")) {
      if (auto sha = ParseSha(content.substr(20))) {
        m.reverted_commits.push_back(std::move(*sha));
      }
      continue;
    }
    if (absl::StartsWith(content, "Reverted ")) {
      size_t used = 0;
      auto ref = ParseGitHubUrl(content.substr(9), GitHubRefKind::kPull, &used);
      if (ref && absl::StartsWith(content.substr(9 + used), " on behalf of")) {
        m.reverted_pr = std::move(*ref);
      }
      continue;
    }
    std::optional<Trailer> trailer = ParseTrailer(content);
    if (!trailer) continue;
    const std::string& key = trailer->key;
    absl::string_view value = trailer->value;
    if (key == "Pull Request resolved" || key == "Pull-Request-resolved" ||
        key == "Pull-Request") {
      if (auto ref = ParseGitHubUrl(value, GitHubRefKind::kPull)) {
        m.resolved_prs.push_back(std::move(*ref));
      }
    } else if (key == "ghstack-source-id") {
      uint64_t n = 0;
      if (ParseNumber(value, &n) == value.size()) m.ghstack_source_id = n;
    } else if (key == "Differential Revision") {
      size_t d = value.find('D');
      while (d != absl::string_view::npos) {
        size_t e = d + 1;
        while (e < value.size() && IsDigit(value[e])) ++e;
        if (e > d + 1 && (d == 0 || !IsWordChar(value[d - 1]))) {
          m.differential_revision = std::string(value.substr(d, e - d));
          break;
        }
        d = value.find('D', d + 1);
      }
    } else if (key == "Approved by") {
      for (absl::string_view who : absl::StrSplit(value, ',')) {
        who = absl::StripAsciiWhitespace(who);
        if (!who.empty()) m.approved_by.emplace_back(who);
      }
    }
    m.trailers.push_back(std::move(*trailer));
  }
  return m;
}

std::optional<uint64_t> CommitMessage::OwnPr() const {
  if (!resolved_prs.empty()) return resolved_prs.front().number;
  if (!title_prs.empty()) return title_prs.back();
  return std::nullopt;
}

std::vector<uint64_t> CommitMessage::PrNumbers() const {
  std::vector<uint64_t> out = title_prs;
  for (const GitHubRef& r : resolved_prs) out.push_back(r.number);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool CommitMessage::MentionsPr(uint64_t number) const {
  std::vector<uint64_t> prs = PrNumbers();
  return std::binary_search(prs.begin(), prs.end(), number);
}

std::string CommitMessage::NormalizedTitle() const {
  return NormalizeTitle(title);
}

}  // namespace relkit
