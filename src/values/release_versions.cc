#include "relkit/release_versions.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "relkit/wheel.h"

namespace relkit {
namespace {

// The variables of release_versions.sh over its history (pytorch/builder
// 2022 to pytorch/test-infra today; tests/data/release_versions_sh_history
// .json), in the current file's order. TRITON_VERSION is the version of the
// pytorch-triton wheels (`promote.sh` promotes all three with it).
const std::vector<ReleaseVariable>& Variables() {
  static const auto* const kVariables = new std::vector<ReleaseVariable>{
      {"PYTORCH_VERSION", {"torch"}, ""},
      {"TORCHVISION_VERSION", {"torchvision"}, ""},
      {"TORCHAUDIO_VERSION", {"torchaudio"}, ""},
      {"TORCHCODEC_VERSION", {"torchcodec"}, ""},
      {"TORCHCOMMS_VERSION", {"torchcomms"}, ""},
      {"TRITON_VERSION",
       {"pytorch-triton", "pytorch-triton-rocm", "pytorch-triton-xpu"},
       ""},
      {"TORCHTEXT_VERSION", {"torchtext"}, ""},
      {"TORCHREC_VERSION", {"torchrec"}, ""},
      {"EXECUTORCH_VERSION", {"executorch"}, ""},
      {"TORCH_TENSORRT_VERSION", {"torch-tensorrt"}, ""},
      {"TORCH_TENSORRT_RTX_VERSION", {"torch-tensorrt-rtx"}, ""},
      {"TORCHAO_VERSION", {"torchao"}, ""},
      {"TORCHDATA_VERSION", {"torchdata"}, ""},
      {"TORCHTUNE_VERSION", {"torchtune"}, ""},
      {"FBGEMM_GPU_VERSION", {"fbgemm-gpu"}, ""},
      {"FBGEMM_GPU_GENAI_VERSION", {"fbgemm-gpu-genai"}, ""},
      {"MSLK_VERSION", {"mslk"}, ""},
      {"FLASH_ATTN_3_VERSION", {"flash-attn-3"}, ""},
      // Former names, still in the history.
      {"TENSORRT_VERSION", {"torch-tensorrt"}, "TORCH_TENSORRT_VERSION"},
      {"FBGEMMGPU_VERSION", {"fbgemm-gpu"}, "FBGEMM_GPU_VERSION"},
      {"FLASH_ATTN_VERSION", {"flash-attn-3"}, "FLASH_ATTN_3_VERSION"},
  };
  return *kVariables;
}

bool IsNameStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsNameChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// A byte that may stand in an unquoted default: no shell syntax, no space.
bool IsWordChar(char c) {
  if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return false;
  switch (c) {
    case '$':
    case '{':
    case '}':
    case '"':
    case '\'':
    case '`':
    case '\\':
    case '#':
    case ';':
    case '&':
    case '|':
    case '<':
    case '>':
    case '(':
    case ')':
      return false;
    default:
      return true;
  }
}

// Levenshtein distance, for "did you mean".
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Returns the closest known current name, when it is close enough to be a
// misspelling.
std::optional<absl::string_view> ClosestName(absl::string_view name) {
  std::optional<absl::string_view> best;
  size_t best_distance = 3;  // at most 2 edits
  for (const ReleaseVariable& v : Variables()) {
    const size_t d = EditDistance(name, v.name);
    if (d < best_distance) {
      best_distance = d;
      best = v.replaced_by.empty() ? v.name : v.replaced_by;
    }
  }
  return best;
}

// Parses one line; fills `a` and the default's byte range, or returns the
// 0-based column and reason of the first byte that does not fit. Blank and
// comment lines leave `a->variable` empty.
class LineParser {
 public:
  explicit LineParser(absl::string_view text) : text_(text) {}

  // Returns an empty string on success, the reason otherwise (`column()`
  // says where).
  std::string Parse(ReleaseAssignment* a, size_t* value_begin,
                    size_t* value_end) {
    SkipBlanks();
    if (AtEnd() || Peek() == '#') return "";
    if (text_.substr(pos_, 7) == "export " ||
        text_.substr(pos_, 7) == "export\t") {
      a->exported = true;
      pos_ += 7;
      SkipBlanks();
    }
    if (AtEnd() || !IsNameStart(Peek())) {
      return "expected a comment or NAME=VALUE";
    }
    a->variable = std::string(Name());
    if (AtEnd() || Peek() != '=') {
      return "expected '=' after the variable name";
    }
    ++pos_;
    if (!AtEnd() && Peek() == '"') {
      ++pos_;
      if (std::string error = Value(a, value_begin, value_end);
          !error.empty()) {
        return error;
      }
      if (AtEnd() || Peek() != '"') return "expected the closing '\"'";
      ++pos_;
    } else {
      if (std::string error = Value(a, value_begin, value_end);
          !error.empty()) {
        return error;
      }
    }
    // A comment may follow after a blank; nothing else may.
    const size_t before = pos_;
    SkipBlanks();
    if (AtEnd()) return "";
    if (Peek() == '#' && pos_ > before) return "";
    return "unexpected text after the value";
  }

  size_t column() const { return pos_; }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void SkipBlanks() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++pos_;
  }
  absl::string_view Name() {
    const size_t begin = pos_;
    while (!AtEnd() && IsNameChar(Peek())) ++pos_;
    return text_.substr(begin, pos_ - begin);
  }

  // A word, or `$NAME`/`${NAME}` (an alias) as the whole default.
  std::string Word(ReleaseAssignment* a, size_t* begin, size_t* end) {
    *begin = pos_;
    if (!AtEnd() && Peek() == '$') {
      ++pos_;
      const bool braced = !AtEnd() && Peek() == '{';
      if (braced) ++pos_;
      if (AtEnd() || !IsNameStart(Peek())) return "expected a variable name";
      a->alias_of = std::string(Name());
      if (braced) {
        if (AtEnd() || Peek() != '}') return "expected '}'";
        ++pos_;
      }
    } else {
      while (!AtEnd() && IsWordChar(Peek())) ++pos_;
    }
    *end = pos_;
    a->value = std::string(text_.substr(*begin, *end - *begin));
    return "";
  }

  std::string Value(ReleaseAssignment* a, size_t* begin, size_t* end) {
    if (AtEnd() || Peek() != '$' || pos_ + 1 >= text_.size() ||
        text_[pos_ + 1] != '{') {
      std::string error = Word(a, begin, end);
      if (!error.empty()) return error;
      if (*begin == *end) return "expected a value";
      return "";
    }
    // `${READ:-default}` or `${READ-default}`; `${NAME}` alone is an alias.
    const size_t open = pos_;
    pos_ += 2;
    if (AtEnd() || !IsNameStart(Peek())) return "expected a variable name";
    const absl::string_view read = Name();
    if (!AtEnd() && Peek() == '}') {
      pos_ = open;
      return Word(a, begin, end);
    }
    a->reads = std::string(read);
    if (text_.substr(pos_, 2) == ":-") {
      pos_ += 2;
    } else if (!AtEnd() && Peek() == '-') {
      pos_ += 1;
    } else {
      return "expected ':-' or '}' after the variable name";
    }
    std::string error = Word(a, begin, end);
    if (!error.empty()) return error;
    if (*begin == *end) return "expected a default value";
    if (AtEnd() || Peek() != '}') return "expected '}' after the default";
    ++pos_;
    return "";
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

bool IsValidWord(absl::string_view value) {
  if (value.empty()) return false;
  return std::all_of(value.begin(), value.end(), IsWordChar);
}

}  // namespace

absl::Span<const ReleaseVariable> KnownReleaseVariables() {
  return Variables();
}

const ReleaseVariable* FindReleaseVariable(absl::string_view name) {
  for (const ReleaseVariable& v : Variables()) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

absl::string_view ReleaseProblemKindName(ReleaseProblemKind kind) {
  switch (kind) {
    case ReleaseProblemKind::kUnknownVariable:
      return "unknown-variable";
    case ReleaseProblemKind::kFormerVariableName:
      return "former-variable-name";
    case ReleaseProblemKind::kInvalidVersion:
      return "invalid-version";
    case ReleaseProblemKind::kMismatchedDefault:
      return "mismatched-default";
    case ReleaseProblemKind::kDuplicateVariable:
      return "duplicate-variable";
    case ReleaseProblemKind::kDuplicatePackage:
      return "duplicate-package";
    case ReleaseProblemKind::kUnresolvedAlias:
      return "unresolved-alias";
    case ReleaseProblemKind::kVersionWentBack:
      return "version-went-back";
  }
  return "unknown";
}

std::string ReleaseProblem::ToString() const {
  if (line == 0) return message;
  return absl::StrCat("line ", line, ": ", message);
}

std::string PackageVersion::ToString() const {
  return absl::StrCat(package, "==", version.ToString());
}

ReleaseSet::ReleaseSet(std::vector<PackageVersion> packages,
                       std::vector<ReleaseProblem> problems)
    : packages_(std::move(packages)), problems_(std::move(problems)) {
  std::sort(packages_.begin(), packages_.end());
}

const PackageVersion* ReleaseSet::Find(absl::string_view package) const {
  const std::string name = CanonicalizeName(package);
  for (const PackageVersion& p : packages_) {
    if (p.package == name) return &p;
  }
  return nullptr;
}

std::string ReleaseSet::ToString() const {
  std::string out;
  for (const PackageVersion& p : packages_)
    absl::StrAppend(&out, p.ToString(), "\n");
  for (const ReleaseProblem& p : problems_) {
    absl::StrAppend(&out, "problem: ", p.ToString(), "\n");
  }
  return out;
}

absl::StatusOr<ReleaseVersionsFile> ReleaseVersionsFile::Parse(
    absl::string_view text, absl::string_view filename) {
  ReleaseVersionsFile file;
  file.filename_ = std::string(filename);
  size_t begin = 0;
  int number = 0;
  while (begin < text.size()) {
    ++number;
    size_t end = text.find('\n', begin);
    Line line;
    if (end == absl::string_view::npos) {
      end = text.size();
    } else {
      line.eol = "\n";
    }
    absl::string_view body = text.substr(begin, end - begin);
    if (!body.empty() && body.back() == '\r') {
      body.remove_suffix(1);
      line.eol = absl::StrCat("\r", line.eol);
    }
    line.text = std::string(body);
    begin = end < text.size() ? end + 1 : text.size();

    const size_t nul = line.text.find('\0');
    if (nul != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          filename, ":", number, ":", nul + 1, ": NUL byte in the file"));
    }
    ReleaseAssignment a;
    a.line = number;
    LineParser parser(line.text);
    const std::string error =
        parser.Parse(&a, &line.value_begin, &line.value_end);
    if (!error.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          filename, ":", number, ":", parser.column() + 1, ": ", error));
    }
    if (!a.variable.empty()) {
      line.assignment = static_cast<int>(file.assignments_.size());
      file.assignments_.push_back(std::move(a));
    }
    file.lines_.push_back(std::move(line));
  }
  return file;
}

std::string ReleaseVersionsFile::ToString() const {
  std::string out;
  for (const Line& line : lines_) absl::StrAppend(&out, line.text, line.eol);
  return out;
}

std::optional<std::string> ReleaseVersionsFile::Get(
    absl::string_view variable) const {
  std::optional<std::string> value;
  for (const ReleaseAssignment& a : assignments_) {
    if (a.variable == variable) value = a.value;
  }
  return value;
}

absl::Status ReleaseVersionsFile::SetValue(absl::string_view variable,
                                           absl::string_view value) {
  if (!IsValidWord(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot set ", variable, " in ", filename_, " to \"",
                     absl::CHexEscape(value),
                     "\": not a plain word (no spaces, quotes, $, }, #)"));
  }
  bool found = false;
  for (Line& line : lines_) {
    if (line.assignment < 0) continue;
    ReleaseAssignment& a = assignments_[line.assignment];
    if (a.variable != variable) continue;
    found = true;
    line.text.replace(line.value_begin, line.value_end - line.value_begin,
                      value.data(), value.size());
    line.value_end = line.value_begin + value.size();
    a.value = std::string(value);
    a.alias_of.clear();
  }
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("variable ", variable, " is not set in ", filename_));
  }
  return absl::OkStatus();
}

ReleaseSet ReleaseVersionsFile::ToReleaseSet() const {
  std::vector<ReleaseProblem> problems;
  // The value each variable has after the file ran, for aliases.
  absl::flat_hash_map<std::string, std::optional<Version>> resolved;
  absl::flat_hash_map<std::string, int> first_line;
  // package -> (variable, line, version) of the last assignment.
  struct Pick {
    std::string variable;
    int line = 0;
    std::optional<Version> version;
  };
  std::vector<std::pair<std::string, Pick>> picks;

  for (const ReleaseAssignment& a : assignments_) {
    auto problem = [&](ReleaseProblemKind kind, std::string message) {
      problems.push_back({kind, a.variable, a.line, std::move(message)});
    };
    if (auto [it, inserted] = first_line.emplace(a.variable, a.line);
        !inserted) {
      problem(ReleaseProblemKind::kDuplicateVariable,
              absl::StrCat(a.variable, " is set again (first on line ",
                           it->second, "); the shell uses this later value"));
    }
    if (!a.reads.empty() && a.reads != a.variable) {
      problem(ReleaseProblemKind::kMismatchedDefault,
              absl::StrCat(a.variable, "=${", a.reads,
                           ":-...} reads another variable than it sets"));
    }
    const ReleaseVariable* known = FindReleaseVariable(a.variable);
    std::optional<Version> version;
    if (!a.alias_of.empty()) {
      auto it = resolved.find(a.alias_of);
      if (it == resolved.end()) {
        problem(ReleaseProblemKind::kUnresolvedAlias,
                absl::StrCat(a.variable, " refers to ", a.alias_of,
                             ", which no earlier line sets"));
      } else {
        version = it->second;
      }
    } else {
      absl::StatusOr<Version> parsed = Version::Parse(a.value);
      if (parsed.ok()) {
        version = *parsed;
      } else if (known != nullptr) {  // an unknown name is reported as such
        problem(ReleaseProblemKind::kInvalidVersion,
                absl::StrCat(a.variable, "=\"", absl::CHexEscape(a.value),
                             "\" is not a PEP 440 version"));
      }
    }
    resolved[a.variable] = version;

    if (known == nullptr) {
      std::string message =
          absl::StrCat("unknown variable ", a.variable, ": not used");
      if (std::optional<absl::string_view> near = ClosestName(a.variable)) {
        absl::StrAppend(&message, " (did you mean ", *near, "?)");
      }
      problem(ReleaseProblemKind::kUnknownVariable, std::move(message));
      continue;
    }
    if (!known->replaced_by.empty()) {
      problem(ReleaseProblemKind::kFormerVariableName,
              absl::StrCat(a.variable, " is the former name of ",
                           known->replaced_by));
    }
    for (absl::string_view package : known->packages) {
      auto it = std::find_if(picks.begin(), picks.end(),
                             [&](const auto& p) { return p.first == package; });
      if (it == picks.end()) {
        picks.push_back({std::string(package), {a.variable, a.line, version}});
        continue;
      }
      if (it->second.variable != a.variable) {
        problem(ReleaseProblemKind::kDuplicatePackage,
                absl::StrCat(a.variable, " and ", it->second.variable,
                             " (line ", it->second.line, ") both set ", package,
                             "; the later line is used"));
      }
      it->second = {a.variable, a.line, version};
    }
  }
  std::vector<PackageVersion> packages;
  for (auto& [package, pick] : picks) {
    if (!pick.version.has_value()) continue;
    packages.push_back({package, *pick.version, pick.variable});
  }
  return ReleaseSet(std::move(packages), std::move(problems));
}

std::vector<ReleaseProblem> CompareReleaseSets(const ReleaseSet& previous,
                                               const ReleaseSet& current) {
  std::vector<ReleaseProblem> problems;
  for (const PackageVersion& now : current.packages()) {
    const PackageVersion* before = previous.Find(now.package);
    if (before == nullptr || !(now.version < before->version)) continue;
    problems.push_back(
        {ReleaseProblemKind::kVersionWentBack, now.variable, 0,
         absl::StrCat(now.package, " went back from ",
                      before->version.ToString(), " to ",
                      now.version.ToString(), " (", now.variable, ")")});
  }
  return problems;
}

}  // namespace relkit
