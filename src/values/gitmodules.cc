#include "relkit/gitmodules.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "relkit/status.h"

namespace relkit {

// -----------------------------------------------------------------------------
// .gitmodules

namespace {

class GitmodulesParser {
 public:
  GitmodulesParser(absl::string_view text, absl::string_view source)
      : text_(text), source_(source) {}

  absl::StatusOr<std::vector<GitmodulesEntry>> Run() {
    std::vector<GitmodulesEntry> entries;
    std::map<std::string, size_t> by_name;
    std::optional<std::string> current;  // submodule name, if in one
    while (pos_ < text_.size()) {
      SkipBlanks();
      if (AtEol()) {
        EatEol();
        continue;
      }
      char c = text_[pos_];
      if (c == '#' || c == ';') {
        SkipToEol();
        continue;
      }
      if (c == '[') {
        RELKIT_ASSIGN_OR_RETURN(current, ParseSection());
        continue;
      }
      RELKIT_ASSIGN_OR_RETURN(std::string key, ParseKey());
      SkipBlanks();
      std::string value = "true";
      if (pos_ < text_.size() && text_[pos_] == '=') {
        ++pos_;
        RELKIT_ASSIGN_OR_RETURN(value, ParseValue());
      } else if (!AtEol() && text_[pos_] != '#' && text_[pos_] != ';') {
        return Error("expected '=' after key");
      } else {
        SkipToEol();
      }
      if (!current) continue;
      auto [it, inserted] = by_name.try_emplace(*current, entries.size());
      if (inserted) {
        entries.emplace_back();
        entries.back().name = *current;
      }
      GitmodulesEntry& e = entries[it->second];
      if (key == "path") e.path = value;
      if (key == "url") e.url = value;
      if (key == "branch") e.branch = value;
    }
    std::vector<GitmodulesEntry> out;
    for (GitmodulesEntry& e : entries) {
      if (!e.path.empty()) out.push_back(std::move(e));
    }
    return out;
  }

 private:
  bool AtEol() const {
    return pos_ >= text_.size() || text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() &&
            text_[pos_ + 1] == '\n');
  }
  void EatEol() {
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
      line_start_ = pos_;
    }
  }
  void SkipBlanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  void SkipToEol() {
    while (!AtEol()) ++pos_;
    EatEol();
  }
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(
        source_, ":", line_, ":", pos_ - line_start_ + 1, ": ", what));
  }

  // `[submodule "name"]` or `[submodule.name]`; returns the submodule name,
  // or nullopt for other sections.
  absl::StatusOr<std::optional<std::string>> ParseSection() {
    ++pos_;  // '['
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (absl::ascii_isalnum(static_cast<unsigned char>(text_[pos_])) ||
            text_[pos_] == '-' || text_[pos_] == '.')) {
      ++pos_;
    }
    std::string section =
        absl::AsciiStrToLower(text_.substr(start, pos_ - start));
    if (section.empty()) return Error("expected a section name after '['");
    std::optional<std::string> sub;
    if (size_t dot = section.find('.'); dot != std::string::npos) {
      sub = std::string(text_.substr(start + dot + 1, pos_ - start - dot - 1));
      section.resize(dot);
    }
    if (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) {
      if (sub) return Error("unexpected subsection after a dotted section");
      SkipBlanks();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        return Error("expected '\"' to start the subsection name");
      }
      ++pos_;
      std::string name;
      while (true) {
        if (pos_ >= text_.size() || text_[pos_] == '\n') {
          return Error("unterminated subsection name");
        }
        char c = text_[pos_++];
        if (c == '"') break;
        if (c == '\\') {
          if (pos_ >= text_.size() || text_[pos_] == '\n') {
            return Error("unterminated subsection name");
          }
          c = text_[pos_++];
        }
        name.push_back(c);
      }
      sub = std::move(name);
    }
    if (pos_ >= text_.size() || text_[pos_] != ']') {
      return Error("expected ']' to close the section header");
    }
    ++pos_;
    // The rest of the line may hold a key (`[a] k = v`) in git; we only allow
    // blanks and comments, which is what .gitmodules files contain.
    SkipBlanks();
    if (!AtEol() && text_[pos_] != '#' && text_[pos_] != ';') {
      return Error("unexpected text after the section header");
    }
    SkipToEol();
    if (section != "submodule" || !sub) return std::optional<std::string>();
    return sub;
  }

  absl::StatusOr<std::string> ParseKey() {
    size_t start = pos_;
    if (!absl::ascii_isalpha(static_cast<unsigned char>(text_[pos_]))) {
      return Error("expected a key name");
    }
    while (pos_ < text_.size() &&
           (absl::ascii_isalnum(static_cast<unsigned char>(text_[pos_])) ||
            text_[pos_] == '-')) {
      ++pos_;
    }
    return absl::AsciiStrToLower(text_.substr(start, pos_ - start));
  }

  absl::StatusOr<std::string> ParseValue() {
    SkipBlanks();
    std::string value;
    size_t keep = 0;  // length without trailing unquoted blanks
    bool quoted = false;
    while (true) {
      if (pos_ >= text_.size()) break;
      char c = text_[pos_];
      if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        c = '\n';
      }
      if (c == '\n') {
        if (quoted) return Error("unterminated quoted value");
        break;
      }
      if (!quoted && (c == '#' || c == ';')) {
        while (!AtEol()) ++pos_;
        break;
      }
      ++pos_;
      if (c == '"') {
        quoted = !quoted;
        keep = value.size();
        continue;
      }
      if (c == '\\') {
        if (pos_ >= text_.size()) return Error("backslash at end of input");
        char e = text_[pos_];
        if (e == '\n' || e == '\r') {  // line continuation
          EatEol();
          continue;
        }
        ++pos_;
        switch (e) {
          case 'n':
            value.push_back('\n');
            break;
          case 't':
            value.push_back('\t');
            break;
          case 'b':
            if (!value.empty()) value.pop_back();
            break;
          case '\\':
            value.push_back('\\');
            break;
          case '"':
            value.push_back('"');
            break;
          default:
            --pos_;
            return Error("invalid escape sequence");
        }
        keep = value.size();
        continue;
      }
      value.push_back(c);
      if (quoted || (c != ' ' && c != '\t')) keep = value.size();
    }
    EatEol();
    value.resize(keep);
    return value;
  }

  absl::string_view text_;
  absl::string_view source_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<GitmodulesEntry>> ParseGitmodules(
    absl::string_view text, absl::string_view source) {
  return GitmodulesParser(text, source).Run();
}

}  // namespace relkit
