#include "relkit/cherry_pick.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
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

// -----------------------------------------------------------------------------
// Classifications

namespace {

// The bot's choices, in its order (test-infra torchci Constants.ts), with the
// patch-release rules of RELEASE_PROCESS.txt "Patch Releases".
constexpr std::array<ClassificationInfo, 5> kClassifications = {{
    {Classification::kRegression, "regression",
     "Fixes a regression against the most recent release", true, true,
     "a regression against the previous minor release; link the issue or the "
     "CI failure of the previous RC"},
    {Classification::kCritical, "critical",
     "Critical fix for silent correctness, backwards compatibility, crashes, "
     "deadlocks or (large) memory leaks",
     true, true, "low-risk fixes only; link a high-priority issue"},
    {Classification::kFixNewFeature, "fixnewfeature",
     "Fixes a new feature introduced in the most recent minor release", true,
     true, "fixes to features new in the release being patched"},
    {Classification::kDocs, "docs", "Documentation improvements", false, true,
     "accepted into a planned patch release, but never a reason for one"},
    {Classification::kRelease, "release",
     "Release-branch-specific change (version identifiers, blocking CI fixes)",
     false, true, "release-branch-specific changes such as blocking CI fixes"},
}};

std::string ChoicesText(absl::string_view quote) {
  std::vector<std::string> names;
  for (const ClassificationInfo& c : kClassifications) {
    names.push_back(absl::StrCat(quote, c.name, quote));
  }
  return absl::StrJoin(names, quote.empty() ? "," : ", ");
}

}  // namespace

absl::Span<const ClassificationInfo> AllClassifications() {
  return kClassifications;
}

const ClassificationInfo& GetClassificationInfo(Classification c) {
  return kClassifications[static_cast<size_t>(c)];
}

absl::string_view ClassificationName(Classification c) {
  return GetClassificationInfo(c).name;
}

absl::StatusOr<Classification> ParseClassification(absl::string_view name) {
  for (const ClassificationInfo& c : kClassifications) {
    if (c.name == name) return c.classification;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid cherry-pick classification \"", name,
                   "\" (choose from ", ChoicesText(""), ")"));
}

// -----------------------------------------------------------------------------
// The bot command

std::string CherryPickUsage() {
  return absl::StrCat(
      "usage: @pytorchbot cherry-pick --onto ONTO [--fixes FIXES] -c\n",
      std::string(31, ' '), "{", ChoicesText(""), "}\n");
}

namespace {

constexpr absl::string_view kProg = "@pytorchbot cherry-pick";

// POSIX shell-style splitting, as shlex.split: whitespace separates words,
// single quotes are literal, double quotes allow \\ \" \$ \` escapes, a
// backslash outside quotes escapes the next character.
absl::StatusOr<std::vector<std::string>> ShellSplit(absl::string_view s) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
        c == '\f') {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 >= s.size())
        return absl::InvalidArgumentError("No escaped character");
      cur.push_back(s[++i]);
    } else if (c == '\'') {
      const size_t end = s.find('\'', i + 1);
      if (end == absl::string_view::npos) {
        return absl::InvalidArgumentError("No closing quotation");
      }
      absl::StrAppend(&cur, s.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size() &&
            (s[j + 1] == '\\' || s[j + 1] == '"' || s[j + 1] == '$' ||
             s[j + 1] == '`')) {
          ++j;
        }
        cur.push_back(s[j]);
      }
      if (j >= s.size())
        return absl::InvalidArgumentError("No closing quotation");
      i = j;
    } else {
      cur.push_back(c);
    }
  }
  if (in_word) words.push_back(std::move(cur));
  return words;
}

bool LooksLikeNegativeNumber(absl::string_view s) {
  if (s.size() < 2 || s[0] != '-') return false;
  double d;
  return absl::SimpleAtod(s.substr(1), &d) &&
         absl::ascii_isdigit(static_cast<unsigned char>(s.back()));
}

enum class Dest { kOnto, kFixes, kClassification };

struct OptionSpec {
  absl::string_view option;
  Dest dest;
  absl::string_view display;  // how argparse names the action in errors
};

constexpr OptionSpec kOptions[] = {
    {"--onto", Dest::kOnto, "--onto/--into"},
    {"--into", Dest::kOnto, "--onto/--into"},
    {"--fixes", Dest::kFixes, "--fixes"},
    {"-c", Dest::kClassification, "-c/--classification"},
    {"--classification", Dest::kClassification, "-c/--classification"},
};

// Finds the option a word names (exactly, by unique prefix for long options,
// `--opt=value`, `-cVALUE`, `-c=VALUE`). Returns nullptr for an unknown
// option; sets `ambiguous` when a prefix matches several.
const OptionSpec* MatchOption(absl::string_view word,
                              std::optional<std::string>& explicit_arg,
                              std::string& ambiguous) {
  absl::string_view name = word;
  const size_t eq = word.find('=');
  if (eq != absl::string_view::npos) {
    name = word.substr(0, eq);
    explicit_arg = std::string(word.substr(eq + 1));
  }
  for (const OptionSpec& o : kOptions) {
    if (o.option == name) return &o;
  }
  if (absl::StartsWith(word, "--")) {
    std::vector<const OptionSpec*> matches;
    for (const OptionSpec& o : kOptions) {
      if (absl::StartsWith(o.option, "--") &&
          absl::StartsWith(o.option, name)) {
        matches.push_back(&o);
      }
    }
    if (matches.size() == 1) return matches[0];
    if (matches.size() > 1) {
      std::vector<absl::string_view> names;
      for (const OptionSpec* m : matches) names.push_back(m->option);
      ambiguous = absl::StrCat("ambiguous option: ", name, " could match ",
                               absl::StrJoin(names, ", "));
    }
    explicit_arg.reset();
    return nullptr;
  }
  // A single-dash short option with its value attached: -cdocs.
  explicit_arg.reset();
  if (word.size() > 2 && word[1] != '-') {
    for (const OptionSpec& o : kOptions) {
      if (o.option.size() == 2 && absl::StartsWith(word, o.option)) {
        explicit_arg = std::string(word.substr(2));
        return &o;
      }
    }
  }
  return nullptr;
}

// argparse's _parse_optional: a word is an option string when it starts with
// '-' and is longer than "-", and either names a known option (exactly, with
// "=value", by prefix) or is neither a negative number nor holds a space.
bool IsOptionLike(absl::string_view s) {
  if (s.size() < 2 || s[0] != '-') return false;
  std::optional<std::string> value;
  std::string ambiguous;
  if (MatchOption(s, value, ambiguous) != nullptr || !ambiguous.empty())
    return true;
  return !LooksLikeNegativeNumber(s) && !absl::StrContains(s, ' ');
}

// Double-quotes `word` for a shell when it needs it.
std::string ShellQuote(absl::string_view word) {
  const bool plain =
      !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
               absl::StrContains("-_./:#=+,@%", c);
      });
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

}  // namespace

absl::StatusOr<CherryPickCommand> CherryPickCommand::Parse(
    absl::string_view comment, absl::string_view source) {
  // The bot's pattern, /^ *@pytorch(merge|)bot .+$/m, on the first matching
  // line; JavaScript ends lines at \n and \r.
  int line_number = 0;
  std::optional<absl::string_view> command_line;
  for (absl::string_view line :
       absl::StrSplit(comment, absl::ByAnyChar("\n\r"))) {
    ++line_number;
    absl::string_view rest = line;
    while (absl::ConsumePrefix(&rest, " ")) {
    }
    if (!absl::ConsumePrefix(&rest, "@pytorch")) continue;
    absl::ConsumePrefix(&rest, "merge");
    if (!absl::ConsumePrefix(&rest, "bot ") || rest.empty()) continue;
    command_line = rest;
    break;
  }
  // "\r\n" counts as two line ends above; report the line as an editor does.
  if (command_line) {
    int crlf = 0;
    const absl::string_view before = comment.substr(
        0, static_cast<size_t>(command_line->data() - comment.data()));
    for (size_t i = 0; i + 1 < before.size(); ++i) {
      if (before[i] == '\r' && before[i + 1] == '\n') ++crlf;
    }
    line_number -= crlf;
  }
  if (!command_line) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": no @pytorchbot command (a line starting with "
                     "\"@pytorchbot \")"));
  }
  const std::string where = absl::StrCat(source, ":", line_number, ": ");
  auto bot_error = [&](absl::string_view prog, absl::string_view message) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, prog, ": error: ", message));
  };

  absl::StatusOr<std::vector<std::string>> words = ShellSplit(*command_line);
  if (!words.ok()) return bot_error("@pytorchbot", words.status().message());
  if (words->empty()) {
    return bot_error("@pytorchbot",
                     "the following arguments are required: command");
  }
  if ((*words)[0] != "cherry-pick") {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "\"@pytorchbot ", (*words)[0],
                     "\" is not a cherry-pick command (the bot reads only the "
                     "first @pytorchbot line)"));
  }

  CherryPickCommand cmd;
  cmd.line = line_number;
  bool have_onto = false, have_classification = false;
  std::vector<std::string> extras;
  bool positional_only = false;
  for (size_t i = 1; i < words->size(); ++i) {
    const std::string& word = (*words)[i];
    if (!positional_only && word == "--") {
      positional_only = true;
      continue;
    }
    if (positional_only || !IsOptionLike(word)) {
      extras.push_back(word);
      continue;
    }
    std::optional<std::string> value;
    std::string ambiguous;
    const OptionSpec* option = MatchOption(word, value, ambiguous);
    if (!ambiguous.empty()) return bot_error(kProg, ambiguous);
    if (option == nullptr) {
      extras.push_back(word);
      continue;
    }
    if (!value) {
      if (i + 1 >= words->size() || IsOptionLike((*words)[i + 1]) ||
          (*words)[i + 1] == "--") {
        return bot_error(kProg, absl::StrCat("argument ", option->display,
                                             ": expected one argument"));
      }
      value = (*words)[++i];
    }
    switch (option->dest) {
      case Dest::kOnto:
        cmd.onto = *value;
        have_onto = true;
        break;
      case Dest::kFixes:
        cmd.fixes = *value;
        break;
      case Dest::kClassification: {
        absl::StatusOr<Classification> c = ParseClassification(*value);
        if (!c.ok()) {
          return bot_error(
              kProg,
              absl::StrCat("argument ", option->display, ": invalid choice: '",
                           *value, "' (choose from ", ChoicesText("'"), ")"));
        }
        cmd.classification = *c;
        have_classification = true;
        break;
      }
    }
  }
  std::vector<absl::string_view> missing;
  if (!have_onto) missing.push_back("--onto/--into");
  if (!have_classification) missing.push_back("-c/--classification");
  if (!missing.empty()) {
    return bot_error(kProg,
                     absl::StrCat("the following arguments are required: ",
                                  absl::StrJoin(missing, ", ")));
  }
  if (!extras.empty()) {
    return bot_error("@pytorchbot", absl::StrCat("unrecognized arguments: ",
                                                 absl::StrJoin(extras, " ")));
  }
  return cmd;
}

std::optional<std::string> CherryPickCommand::effective_fixes() const {
  if (!GetClassificationInfo(classification).requires_issue)
    return std::nullopt;
  return fixes;
}

bool CherryPickCommand::missing_recommended_issue() const {
  return GetClassificationInfo(classification).requires_issue &&
         !fixes.has_value();
}

std::string CherryPickCommand::ToString() const {
  // A value that starts with '-' only reads back attached with '='.
  auto option = [](absl::string_view name, absl::string_view value) {
    return absl::StrCat(" ", name, absl::StartsWith(value, "-") ? "=" : " ",
                        ShellQuote(value));
  };
  std::string out =
      absl::StrCat("@pytorchbot cherry-pick", option("--onto", onto));
  if (fixes) absl::StrAppend(&out, option("--fixes", *fixes));
  absl::StrAppend(&out, " -c ", ClassificationName(classification));
  return out;
}

// -----------------------------------------------------------------------------
// Tracker comments

absl::string_view TrackerLinkKindName(TrackerLink::Kind kind) {
  switch (kind) {
    case TrackerLink::Kind::kPullRequest:
      return "pull_request";
    case TrackerLink::Kind::kIssue:
      return "issue";
    case TrackerLink::Kind::kCommit:
      return "commit";
    case TrackerLink::Kind::kOther:
      break;
  }
  return "other";
}

namespace {

enum class Field { kNone, kTrunk, kRelease, kCriteria };

// Lower-cases, turns '-' and '_' into spaces, drops markdown emphasis and
// collapses spaces: "**Cherry-pick PR**" -> "cherry pick pr".
std::string NormalizeLabel(absl::string_view label) {
  std::string out;
  for (char c : label) {
    if (c == '*' || c == '`') continue;
    char d = (c == '-' || c == '_')
                 ? ' '
                 : absl::ascii_tolower(static_cast<unsigned char>(c));
    if (d == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(d);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Field LabelField(absl::string_view normalized) {
  static constexpr absl::string_view kTrunk[] = {
      "link to landed trunk pr (if applicable)",
      "link to landed trunk pr",
      "link to landed main pr",
      "link to landed master pr",
      "link to trunk pr",
      "landed trunk pr",
      "trunk pr",
      "main pr",
      "master pr",
      "original pr",
      "test infra pr"};
  static constexpr absl::string_view kRelease[] = {"link to release branch pr",
                                                   "release branch pr",
                                                   "link to cherry pick pr",
                                                   "cherry pick pr",
                                                   "cherrypick pr",
                                                   "cherry pick commit",
                                                   "release pr"};
  static constexpr absl::string_view kCriteria[] = {"criteria category",
                                                    "category", "criteria"};
  for (absl::string_view l : kTrunk) {
    if (normalized == l) return Field::kTrunk;
  }
  for (absl::string_view l : kRelease) {
    if (normalized == l) return Field::kRelease;
  }
  for (absl::string_view l : kCriteria) {
    if (normalized == l) return Field::kCriteria;
  }
  return Field::kNone;
}

// Strips a markdown list marker ("- ", "* ", "+ ", or a lone marker).
absl::string_view StripBullet(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  if (s == "-" || s == "*" || s == "+") return "";
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') &&
      (s[1] == ' ' || s[1] == '\t') && !absl::StartsWith(s, "**")) {
    return absl::StripLeadingAsciiWhitespace(s.substr(2));
  }
  return s;
}

bool IsNotApplicable(absl::string_view s) {
  std::string l = absl::AsciiStrToLower(absl::StripAsciiWhitespace(s));
  return l == "n/a" || l == "na" || l == "none" || l == "-" ||
         l == "not applicable" || absl::StartsWith(l, "n/a ") ||
         absl::StartsWith(l, "n/a,") || absl::StartsWith(l, "n/a (");
}

// The largest number a TrackerLink holds.
constexpr uint64_t kMaxLinkNumber = std::numeric_limits<int64_t>::max();

bool IsRepoChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.';
}

// Fills in `link` from the URL `url` (scheme in lower case) when the URL is
// a pull request, issue or commit reference (relkit/github_ref.h) on any
// host, for GitHub Enterprise. The reference must be the URL's whole path,
// or be followed by more path, a query or a fragment (`/files`, `?w=1`,
// `#issuecomment-1`).
void ClassifyUrl(absl::string_view url, TrackerLink& link) {
  std::optional<GitHubRefToken> t = ParseGitHubRef(url);
  if (!t || !t->is_url()) return;
  if (t->size < url.size() && !absl::StrContains("/?#", url[t->size])) return;
  if (t->number > kMaxLinkNumber) return;
  switch (t->kind) {
    case GitHubRefKind::kPull:
    case GitHubRefKind::kPulls:
      link.kind = TrackerLink::Kind::kPullRequest;
      link.number = static_cast<int64_t>(t->number);
      break;
    case GitHubRefKind::kIssue:
      link.kind = TrackerLink::Kind::kIssue;
      link.number = static_cast<int64_t>(t->number);
      break;
    case GitHubRefKind::kCommit:
      link.kind = TrackerLink::Kind::kCommit;
      link.sha = std::move(t->sha);
      break;
    case GitHubRefKind::kNumber:
      return;
  }
  link.repo = absl::StrCat(t->owner, "/", t->repo);
}

// Returns the links in `text`: URLs, then `#N` and `owner/repo#N` references
// outside them (of `ref_kind`), without duplicates.
std::vector<TrackerLink> ExtractLinks(absl::string_view text,
                                      TrackerLink::Kind ref_kind) {
  std::vector<TrackerLink> links;
  std::string rest(text);  // URLs are blanked out as they are read
  size_t pos = 0;
  const std::string lower = absl::AsciiStrToLower(text);
  while (true) {
    size_t a = lower.find("http://", pos), b = lower.find("https://", pos);
    size_t start = std::min(a, b);
    if (start == std::string::npos) break;
    size_t end = start;
    while (end < text.size() &&
           !absl::ascii_isspace(static_cast<unsigned char>(text[end])) &&
           !absl::StrContains("<>()[]\"'`", text[end])) {
      ++end;
    }
    absl::string_view url = text.substr(start, end - start);
    while (!url.empty() && absl::StrContains(".,;:!", url.back()))
      url.remove_suffix(1);
    TrackerLink link;
    // The bot's str.capitalize() writes "Https://": give the URL back its
    // scheme.
    link.text =
        absl::StrCat(absl::AsciiStrToLower(url.substr(0, url.find("://"))),
                     url.substr(url.find("://")));
    ClassifyUrl(link.text, link);
    links.push_back(std::move(link));
    for (size_t i = start; i < end; ++i) rest[i] = ' ';
    pos = end;
  }
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != '#') continue;
    // A reference starts at the "owner/repo" right before the '#', if any:
    // a '#' glued to anything else ("a/b/c#1", "x#1", "/#1") is none.
    size_t k = i;
    while (k > 0 && (IsRepoChar(rest[k - 1]) || rest[k - 1] == '/')) --k;
    std::optional<GitHubRefToken> t =
        ParseGitHubRef(absl::string_view(rest).substr(k));
    // "#12abc" is no reference.
    if (!t || t->kind != GitHubRefKind::kNumber || t->number > kMaxLinkNumber) {
      continue;
    }
    const size_t j = k + t->size;
    TrackerLink link;
    link.text = rest.substr(k, t->size);
    link.kind = ref_kind;
    link.number = static_cast<int64_t>(t->number);
    if (!t->owner.empty()) link.repo = absl::StrCat(t->owner, "/", t->repo);
    const bool duplicate =
        std::any_of(links.begin(), links.end(), [&](const TrackerLink& l) {
          return l.number == link.number &&
                 (link.repo.empty() || l.repo == link.repo);
        });
    if (!duplicate) links.push_back(std::move(link));
    i = j - 1;
  }
  return links;
}

std::optional<Classification> ClassificationIn(absl::string_view criteria) {
  const std::string lower = absl::AsciiStrToLower(criteria);
  struct Keyword {
    absl::string_view word;
    Classification c;
  };
  static constexpr Keyword kKeywords[] = {
      {"regression", Classification::kRegression},
      {"critical", Classification::kCritical},
      {"fixnewfeature", Classification::kFixNewFeature},
      {"new feature", Classification::kFixNewFeature},
      {"doc", Classification::kDocs},
      {"release only", Classification::kRelease},
      {"release-only", Classification::kRelease},
      {"release branch specific", Classification::kRelease},
      {"release-branch specific", Classification::kRelease},
      {"release specific", Classification::kRelease},
  };
  size_t best = std::string::npos;
  std::optional<Classification> out;
  for (const Keyword& k : kKeywords) {
    const size_t at = absl::string_view(lower).find(k.word);
    if (at < best) {
      best = at;
      out = k.c;
    }
  }
  // The bot's "Release - ..." is release-branch-specific too.
  absl::string_view first =
      absl::string_view(lower).substr(0, lower.find_first_of(" -\n"));
  if (first == "release") return Classification::kRelease;
  return out;
}

std::string Capitalize(absl::string_view s) {
  std::string out = absl::AsciiStrToLower(s);
  if (!out.empty())
    out[0] = absl::ascii_toupper(static_cast<unsigned char>(out[0]));
  return out;
}

}  // namespace

std::optional<CherryPickNomination> ParseTrackerComment(
    absl::string_view text) {
  CherryPickNomination n;
  bool any_label = false;
  bool trunk_label = false, release_label = false, criteria_label = false;
  bool trunk_not_applicable = false;
  Field field = Field::kNone;
  bool field_has_value = false;
  std::vector<std::string> criteria_lines;
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (size_t li = 0; li < lines.size(); ++li) {
    absl::string_view raw = absl::StripTrailingAsciiWhitespace(lines[li]);
    absl::string_view s = absl::StripAsciiWhitespace(raw);
    // A horizontal rule starts the release manager's reply.
    if (s.size() >= 3 &&
        (std::all_of(s.begin(), s.end(), [](char c) { return c == '-'; }) ||
         std::all_of(s.begin(), s.end(), [](char c) { return c == '_'; }))) {
      std::vector<absl::string_view> reply(
          lines.begin() + static_cast<long>(li) + 1, lines.end());
      n.reply =
          std::string(absl::StripAsciiWhitespace(absl::StrJoin(reply, "\n")));
      break;
    }
    if (s.empty()) {
      if (field_has_value) field = Field::kNone;
      continue;
    }
    absl::string_view item = StripBullet(s);
    // "Label: value" (the label possibly bold: "**Trunk PR**:" or "**Trunk
    // PR:**").
    const size_t colon = item.find(':');
    Field labelled = Field::kNone;
    absl::string_view value = item;
    if (colon != absl::string_view::npos) {
      labelled = LabelField(NormalizeLabel(item.substr(0, colon)));
      if (labelled != Field::kNone) {
        value = item.substr(colon + 1);
        while (absl::ConsumePrefix(&value, "*")) {
        }
        value = absl::StripAsciiWhitespace(value);
      }
    }
    if (labelled != Field::kNone) {
      any_label = true;
      field = labelled;
      field_has_value = false;
      if (labelled == Field::kTrunk) trunk_label = true;
      if (labelled == Field::kRelease) release_label = true;
      if (labelled == Field::kCriteria) criteria_label = true;
      if (value.empty()) continue;
    } else if (field == Field::kNone) {
      continue;  // free text outside the fields
    }
    value = StripBullet(value);
    if (value.empty()) continue;
    field_has_value = true;
    switch (field) {
      case Field::kTrunk:
      case Field::kRelease: {
        if (IsNotApplicable(value)) {
          if (field == Field::kTrunk) trunk_not_applicable = true;
          break;
        }
        std::vector<TrackerLink> links =
            ExtractLinks(value, TrackerLink::Kind::kPullRequest);
        if (links.empty())
          links.push_back(TrackerLink{.text = std::string(value)});
        auto& into = field == Field::kTrunk ? n.trunk_prs : n.release_prs;
        into.insert(into.end(), links.begin(), links.end());
        break;
      }
      case Field::kCriteria:
        criteria_lines.emplace_back(value);
        break;
      case Field::kNone:
        break;
    }
  }
  if (!any_label) return std::nullopt;
  n.criteria = absl::StrJoin(criteria_lines, "\n");
  if (!n.criteria.empty()) {
    n.classification = ClassificationIn(n.criteria);
    // The bot's format: "<Classification> - <fixes>".
    absl::string_view first_line =
        absl::string_view(n.criteria).substr(0, n.criteria.find('\n'));
    const size_t dash = first_line.find(" - ");
    absl::string_view head = dash == absl::string_view::npos
                                 ? first_line
                                 : first_line.substr(0, dash);
    absl::string_view tail =
        dash == absl::string_view::npos
            ? absl::string_view()
            : absl::StripAsciiWhitespace(first_line.substr(dash + 3));
    absl::string_view trimmed_head = absl::StripAsciiWhitespace(head);
    for (const ClassificationInfo& c : AllClassifications()) {
      if (absl::EqualsIgnoreCase(trimmed_head, c.name)) {
        n.classification = c.classification;
        if (!tail.empty()) {
          std::string fixes(tail);
          if (absl::StartsWith(fixes, "Https://") ||
              absl::StartsWith(fixes, "Http://")) {
            fixes[0] = 'h';
          }
          n.fixes = std::move(fixes);
        }
        break;
      }
    }
  }
  if (!release_label || n.release_prs.empty()) {
    n.warnings.push_back("no release branch PR link");
  }
  if (n.trunk_prs.empty() && !trunk_not_applicable) {
    n.warnings.push_back(
        trunk_label ? "no trunk PR link (write N/A for release-only changes)"
                    : "no trunk PR field");
  }
  if (!criteria_label || n.criteria.empty())
    n.warnings.push_back("no criteria category");
  return n;
}

std::string RenderTrackerComment(const CherryPickNomination& n) {
  auto bullets = [](const std::vector<TrackerLink>& links) {
    if (links.empty()) return std::string("* N/A\n");
    std::string out;
    for (const TrackerLink& l : links)
      absl::StrAppend(&out, "* ", l.text, "\n");
    return out;
  };
  std::string criteria;
  if (n.classification) {
    criteria = Capitalize(ClassificationName(*n.classification));
    if (n.fixes && !n.fixes->empty())
      absl::StrAppend(&criteria, " - ", *n.fixes);
  } else {
    criteria = n.criteria;
  }
  return absl::StrCat("Link to landed trunk PR (if applicable):\n",
                      bullets(n.trunk_prs), "\nLink to release branch PR:\n",
                      bullets(n.release_prs), "\nCriteria Category:\n",
                      criteria, "\n");
}

// -----------------------------------------------------------------------------
// Tracker issues

std::optional<Version> TrackerVersion(absl::string_view title) {
  if (!absl::StrContains(absl::AsciiStrToLower(title), "release tracker"))
    return std::nullopt;
  size_t pos = 0;
  while ((pos = title.find('[', pos)) != absl::string_view::npos) {
    absl::string_view rest =
        absl::StripLeadingAsciiWhitespace(title.substr(pos + 1));
    ++pos;
    if (!absl::ConsumePrefix(&rest, "v") && !absl::ConsumePrefix(&rest, "V"))
      continue;
    absl::ConsumePrefix(&rest, ".");
    const size_t close = rest.find(']');
    if (close == absl::string_view::npos) return std::nullopt;
    absl::string_view text = absl::StripAsciiWhitespace(rest.substr(0, close));
    if (text.empty() ||
        !absl::ascii_isdigit(static_cast<unsigned char>(text[0])))
      continue;
    absl::StatusOr<Version> v = Version::Parse(text);
    if (v.ok()) return *v;
  }
  return std::nullopt;
}

std::vector<Issue> FindTrackerIssues(absl::Span<const Issue> issues,
                                     const Version& version) {
  std::vector<Issue> out;
  for (const Issue& issue : issues) {
    if (issue.is_pull_request()) continue;
    std::optional<Version> v = TrackerVersion(issue.title);
    if (v && *v == version) out.push_back(issue);
  }
  std::stable_sort(out.begin(), out.end(), [](const Issue& a, const Issue& b) {
    if (a.state != b.state) return a.state == IssueState::kOpen;
    return a.number > b.number;
  });
  return out;
}

}  // namespace relkit
