#include "relkit/compat_matrix.h"

#include <algorithm>
#include <cstdint>
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
#include "internal/embedded.h"
#include "internal/json.h"
#include "internal/markdown.h"
#include "relkit/status.h"
#include "relkit/version.h"

namespace relkit {

using internal::SplitMarkdownRow;
namespace {

using internal::JsonReader;

// A Python version as the tables write it: "3.12", "3.12.4", "3.13t".
struct PythonKey {
  uint64_t major = 0;
  uint64_t minor = 0;
  bool free_threaded = false;

  friend auto operator<=>(const PythonKey&, const PythonKey&) = default;
  std::string ToString() const {
    return absl::StrCat(major, ".", minor, free_threaded ? "t" : "");
  }
};

std::optional<PythonKey> ParsePythonKey(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  PythonKey key;
  if (absl::ConsumeSuffix(&text, "t")) key.free_threaded = true;
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  for (absl::string_view p : parts) {
    if (p.empty() || p.size() > 6 ||
        !std::all_of(p.begin(), p.end(), absl::ascii_isdigit)) {
      return std::nullopt;
    }
  }
  if (!absl::SimpleAtoi(parts[0], &key.major) ||
      !absl::SimpleAtoi(parts[1], &key.minor)) {
    return std::nullopt;
  }
  return key;
}

absl::StatusOr<PythonKey> PythonKeyOrError(absl::string_view text) {
  std::optional<PythonKey> key = ParsePythonKey(text);
  if (!key) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid Python version \"", text,
        "\": expected MAJOR.MINOR[.MICRO] with an optional \"t\" suffix"));
  }
  return *key;
}

// True when the release numbers of one version are a prefix of the other's
// ("12.4" and "12.4.1"; "6.2" and "6.2.4").
bool SameLine(const Version& a, const Version& b) {
  const size_t n = std::min(a.release().size(), b.release().size());
  for (size_t i = 0; i < n; ++i) {
    if (a.release()[i] != b.release()[i]) return false;
  }
  return true;
}

bool ListHas(absl::Span<const CudaEntry> entries, const Version& v) {
  for (const CudaEntry& e : entries) {
    absl::StatusOr<Version> ev = Version::Parse(e.version);
    if (ev.ok() && SameLine(*ev, v)) return true;
  }
  return false;
}

// Splits at commas outside parentheses.
std::vector<std::string> SplitTopLevel(absl::string_view text) {
  std::vector<std::string> out;
  int depth = 0;
  std::string current;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (c == ',' && depth == 0) {
      out.emplace_back(absl::StripAsciiWhitespace(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  out.emplace_back(absl::StripAsciiWhitespace(current));
  return out;
}

bool IsEmptyMarker(absl::string_view cell) {
  return cell.empty() || cell == "--" || cell == "-" ||
         absl::EqualsIgnoreCase(cell, "None");
}

// True for "12.4", "9.1.0.70": digits and single dots, and every number small
// enough for a Version, since the queries (CudaStatus, RocmStatus, Find)
// compare the parsed values; a listed "13.0666...6" that no query can match
// is rejected here instead (found by fuzz/compat_matrix_json_fuzz.cc).
bool IsDottedNumber(absl::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  bool prev_dot = false;
  for (char c : text) {
    if (c == '.') {
      if (prev_dot) return false;
      prev_dot = true;
    } else if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    } else {
      prev_dot = false;
    }
  }
  return Version::Parse(text).ok();
}

// Errors of one cell: "RELEASE.md:18: Python cell: ...".
absl::Status CellError(absl::string_view where, absl::string_view cell,
                       absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": ", cell, " cell: ", what));
}

absl::StatusOr<std::vector<std::string>> ParseExperimentalList(
    absl::string_view where, absl::string_view inner) {
  // "3.12 experimental" or "3.15, 3.15t experimental"
  absl::string_view body = absl::StripAsciiWhitespace(inner);
  if (!absl::ConsumeSuffix(&body, "experimental")) {
    return CellError(
        where, "Python",
        absl::StrCat("expected \"(... experimental)\", got \"(", inner, ")\""));
  }
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(body, ',')) {
    item = absl::StripAsciiWhitespace(item);
    std::optional<PythonKey> key = ParsePythonKey(item);
    if (!key) {
      return CellError(where, "Python",
                       absl::StrCat("invalid Python version \"", item, "\""));
    }
    out.emplace_back(item);
  }
  return out;
}

absl::Status ParsePythonCell(absl::string_view where, absl::string_view cell,
                             MatrixRow& row) {
  std::vector<Specifier> specs;
  for (const std::string& raw : SplitTopLevel(cell)) {
    absl::string_view item = raw;
    if (item.empty()) continue;
    if (item.front() == '(') {
      if (item.back() != ')') {
        return CellError(where, "Python",
                         absl::StrCat("unbalanced \"", item, "\""));
      }
      RELKIT_ASSIGN_OR_RETURN(
          std::vector<std::string> exp,
          ParseExperimentalList(where, item.substr(1, item.size() - 2)));
      row.experimental_python.insert(row.experimental_python.end(), exp.begin(),
                                     exp.end());
      continue;
    }
    const size_t paren = item.find('(');
    std::string spec_text(item);
    if (paren != absl::string_view::npos) {
      // "<=(3.14, 3.14t experimental)": the bound is the first listed
      // version, and every listed version is experimental.
      if (item.back() != ')') {
        return CellError(where, "Python",
                         absl::StrCat("unbalanced \"", item, "\""));
      }
      RELKIT_ASSIGN_OR_RETURN(
          std::vector<std::string> exp,
          ParseExperimentalList(
              where, item.substr(paren + 1, item.size() - paren - 2)));
      spec_text = absl::StrCat(item.substr(0, paren), exp.front());
      row.experimental_python.insert(row.experimental_python.end(), exp.begin(),
                                     exp.end());
    }
    absl::StatusOr<Specifier> spec = Specifier::Parse(spec_text);
    if (!spec.ok()) {
      return CellError(where, "Python", spec.status().message());
    }
    specs.push_back(*std::move(spec));
  }
  row.python = SpecifierSet::FromSpecifiers(std::move(specs));
  return absl::OkStatus();
}

// Parses "CUDA 12.6 (CUDNN 9.10.2.21) (NCCL 2.29.3), CUDA 12.8,
// CUDNN 9.1.0.70".
absl::Status ParseCudaCell(absl::string_view where, absl::string_view name,
                           absl::string_view cell, std::vector<CudaEntry>& out,
                           bool& per_entry, bool& shared,
                           std::string& empty_text) {
  if (IsEmptyMarker(cell)) {
    empty_text = std::string(cell);
    return absl::OkStatus();
  }
  for (const std::string& raw : SplitTopLevel(cell)) {
    absl::string_view item = raw;
    if (absl::StartsWithIgnoreCase(item, "CUDNN ")) {
      absl::string_view v = absl::StripAsciiWhitespace(item.substr(6));
      if (!IsDottedNumber(v)) {
        return CellError(where, name,
                         absl::StrCat("invalid cuDNN version \"", v, "\""));
      }
      bool applied = false;
      for (CudaEntry& e : out) {
        if (!e.cudnn) {
          e.cudnn = std::string(v);
          applied = true;
        }
      }
      if (!applied) {
        return CellError(
            where, name,
            absl::StrCat("\"", item, "\" follows no CUDA version"));
      }
      shared = true;
      continue;
    }
    if (!absl::StartsWith(item, "CUDA ")) {
      return CellError(
          where, name,
          absl::StrCat("expected \"CUDA X.Y\" or \"CUDNN X\", got \"", item,
                       "\""));
    }
    absl::string_view rest = absl::StripAsciiWhitespace(item.substr(5));
    const size_t paren = rest.find('(');
    CudaEntry entry;
    entry.version =
        std::string(absl::StripAsciiWhitespace(rest.substr(0, paren)));
    if (!IsDottedNumber(entry.version)) {
      return CellError(
          where, name,
          absl::StrCat("invalid CUDA version \"", entry.version, "\""));
    }
    rest = paren == absl::string_view::npos ? absl::string_view()
                                            : rest.substr(paren);
    while (!rest.empty()) {
      if (rest.front() != '(') {
        return CellError(where, name,
                         absl::StrCat("unexpected \"", rest, "\""));
      }
      const size_t close = rest.find(')');
      if (close == absl::string_view::npos) {
        return CellError(where, name,
                         absl::StrCat("unbalanced \"", item, "\""));
      }
      absl::string_view inner = rest.substr(1, close - 1);
      std::vector<absl::string_view> kv =
          absl::StrSplit(inner, absl::MaxSplits(' ', 1));
      if (kv.size() != 2 || !IsDottedNumber(kv[1])) {
        return CellError(
            where, name,
            absl::StrCat("expected \"(CUDNN X)\" or \"(NCCL X)\", got \"(",
                         inner, ")\""));
      }
      if (absl::EqualsIgnoreCase(kv[0], "CUDNN")) {
        entry.cudnn = std::string(kv[1]);
      } else if (absl::EqualsIgnoreCase(kv[0], "NCCL")) {
        entry.nccl = std::string(kv[1]);
      } else {
        return CellError(where, name,
                         absl::StrCat("unknown library \"", kv[0], "\""));
      }
      per_entry = true;
      rest = absl::StripLeadingAsciiWhitespace(rest.substr(close + 1));
    }
    out.push_back(std::move(entry));
  }
  return absl::OkStatus();
}

absl::Status ParseRocmCell(absl::string_view where, absl::string_view cell,
                           std::vector<std::string>& out) {
  if (IsEmptyMarker(cell)) return absl::OkStatus();
  for (const std::string& raw : SplitTopLevel(cell)) {
    absl::string_view item = raw;
    if (!absl::ConsumePrefix(&item, "ROCm ") || !IsDottedNumber(item)) {
      return CellError(
          where, "Stable ROCm",
          absl::StrCat("expected \"ROCm X.Y\", got \"", raw, "\""));
    }
    out.emplace_back(item);
  }
  return absl::OkStatus();
}

std::string CudaCell(const std::vector<CudaEntry>& entries,
                     CudnnNotation notation, absl::string_view empty) {
  if (entries.empty()) return std::string(empty);
  std::vector<std::string> items;
  if (notation == CudnnNotation::kPerEntry) {
    for (const CudaEntry& e : entries) {
      std::string item = absl::StrCat("CUDA ", e.version);
      if (e.cudnn) absl::StrAppend(&item, " (CUDNN ", *e.cudnn, ")");
      if (e.nccl) absl::StrAppend(&item, " (NCCL ", *e.nccl, ")");
      items.push_back(std::move(item));
    }
  } else {
    // Consecutive entries with the same cuDNN share one "CUDNN X" item.
    for (size_t i = 0; i < entries.size(); ++i) {
      items.push_back(absl::StrCat("CUDA ", entries[i].version));
      const bool last_of_group =
          i + 1 == entries.size() || entries[i + 1].cudnn != entries[i].cudnn;
      if (last_of_group && entries[i].cudnn) {
        items.push_back(absl::StrCat("CUDNN ", *entries[i].cudnn));
      }
    }
  }
  return absl::StrJoin(items, ", ");
}

std::vector<std::string> VersionUnion(const std::vector<std::string>& a,
                                      const std::vector<std::string>& b) {
  std::vector<std::pair<Version, std::string>> all;
  for (const auto* list : {&a, &b}) {
    for (const std::string& s : *list) {
      absl::StatusOr<Version> v = Version::Parse(s);
      if (!v.ok()) continue;
      bool seen = false;
      for (const auto& [pv, ps] : all) seen = seen || pv == *v;
      if (!seen) all.emplace_back(*v, s);
    }
  }
  std::sort(all.begin(), all.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& [v, s] : all) out.push_back(std::move(s));
  return out;
}

std::vector<std::string> CudaVersions(const MatrixRow& row) {
  std::vector<std::string> out;
  for (const CudaEntry& e : row.stable_cuda) out.push_back(e.version);
  for (const CudaEntry& e : row.experimental_cuda) out.push_back(e.version);
  return out;
}

const char* const kSeedColumns[] = {"PyTorch version", "Python", "Stable CUDA",
                                    "Experimental CUDA", "Stable ROCm"};
const char* const kCurrentColumns[] = {
    "PyTorch version",   "Python",     "C++", "Stable CUDA",
    "Experimental CUDA", "Stable ROCm"};

bool IsSeparatorRow(const std::vector<std::string>& cells) {
  if (cells.empty()) return false;
  for (const std::string& c : cells) {
    absl::string_view s = c;
    absl::ConsumePrefix(&s, ":");
    absl::ConsumeSuffix(&s, ":");
    if (s.size() < 3 || s.find_first_not_of('-') != absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

struct Line {
  size_t number;  // 1-based
  absl::string_view text;
};

std::vector<Line> SplitLines(absl::string_view text) {
  std::vector<Line> lines;
  size_t n = 1;
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&l, "\r");
    lines.push_back({n++, l});
  }
  return lines;
}

bool IsTableLine(absl::string_view line) {
  return line.find('|') != absl::string_view::npos &&
         !absl::StripAsciiWhitespace(line).empty();
}

// Extracts "5.0", "8.0", "12.0+PTX" from "Maxwell(5.0), Ampere(8.0, 8.6)".
std::vector<std::string> ParseArches(absl::string_view cell) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = cell.find('(', pos)) != absl::string_view::npos) {
    const size_t close = cell.find(')', pos);
    if (close == absl::string_view::npos) break;
    for (absl::string_view a :
         absl::StrSplit(cell.substr(pos + 1, close - pos - 1), ',')) {
      a = absl::StripAsciiWhitespace(a);
      if (!a.empty()) out.emplace_back(a);
    }
    pos = close + 1;
  }
  return out;
}

// Applies the "PyTorch CUDA Support Matrix" tables to the rows they name.
void ApplyArchTables(const std::vector<Line>& lines,
                     std::vector<MatrixRow>& rows) {
  std::vector<std::string> scope;  // releases named by "For Release ..."
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::string_view text = absl::StripAsciiWhitespace(lines[i].text);
    if (absl::StartsWithIgnoreCase(text, "For Release")) {
      scope.clear();
      for (absl::string_view tok :
           absl::StrSplit(text, absl::ByAnyChar(" ,"))) {
        if (IsDottedNumber(tok)) scope.emplace_back(tok);
      }
      continue;
    }
    if (!IsTableLine(text) || scope.empty()) continue;
    std::vector<std::string> header = SplitMarkdownRow(text);
    if (header.size() < 2 || header[0] != "CUDA" ||
        !absl::StartsWithIgnoreCase(header[1], "architectures supported")) {
      continue;
    }
    const bool aarch64 = absl::StrContains(header[1], "aarch64");
    size_t j = i + 2;  // skip the separator row
    for (; j < lines.size() && IsTableLine(lines[j].text); ++j) {
      std::vector<std::string> cells = SplitMarkdownRow(lines[j].text);
      if (cells.size() < 2) continue;
      absl::StatusOr<Version> full = Version::Parse(cells[0]);
      if (!full.ok()) continue;
      std::vector<std::string> arches = ParseArches(cells[1]);
      for (MatrixRow& row : rows) {
        if (std::find(scope.begin(), scope.end(), row.release) == scope.end()) {
          continue;
        }
        for (auto* list : {&row.stable_cuda, &row.experimental_cuda}) {
          for (CudaEntry& e : *list) {
            absl::StatusOr<Version> ev = Version::Parse(e.version);
            if (!ev.ok() || !SameLine(*ev, *full)) continue;
            e.full_version = cells[0];
            (aarch64 ? e.arches_aarch64 : e.arches_x86_64) = arches;
          }
        }
      }
    }
    i = j - 1;
  }
}

absl::StatusOr<CudaEntry> CudaFromJson(const JsonReader& r,
                                       const rapidjson::Value& v,
                                       const std::string& path) {
  CudaEntry e;
  RELKIT_ASSIGN_OR_RETURN(e.version, r.String(v, "version", path));
  RELKIT_ASSIGN_OR_RETURN(e.cudnn, r.OptionalString(v, "cudnn", path));
  RELKIT_ASSIGN_OR_RETURN(e.nccl, r.OptionalString(v, "nccl", path));
  RELKIT_ASSIGN_OR_RETURN(e.full_version,
                          r.OptionalString(v, "full_version", path));
  if (v.HasMember("arches_x86_64")) {
    RELKIT_ASSIGN_OR_RETURN(e.arches_x86_64,
                            r.StringArray(v, "arches_x86_64", path));
  }
  if (v.HasMember("arches_aarch64")) {
    RELKIT_ASSIGN_OR_RETURN(e.arches_aarch64,
                            r.StringArray(v, "arches_aarch64", path));
  }
  if (!IsDottedNumber(e.version)) {
    return r.Error(absl::StrCat(path, ".version"),
                   "expected a version such as \"12.4\"");
  }
  return e;
}

absl::StatusOr<std::vector<CudaEntry>> CudaListFromJson(
    const JsonReader& r, const rapidjson::Value& obj, absl::string_view key,
    const std::string& path) {
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* list,
                          r.Member(obj, key, path));
  const std::string where = absl::StrCat(path, ".", key);
  if (!list->IsArray()) return r.Error(where, "expected an array of objects");
  std::vector<CudaEntry> out;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const std::string item_path = absl::StrCat(where, "[", i, "]");
    if (!(*list)[i].IsObject()) return r.Error(item_path, "expected an object");
    RELKIT_ASSIGN_OR_RETURN(CudaEntry e,
                            CudaFromJson(r, (*list)[i], item_path));
    out.push_back(std::move(e));
  }
  return out;
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void WriteString(Writer& w, absl::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void WriteOptional(Writer& w, const char* key,
                   const std::optional<std::string>& v) {
  w.Key(key);
  if (v)
    WriteString(w, *v);
  else
    w.Null();
}
void WriteStrings(Writer& w, const char* key,
                  const std::vector<std::string>& v) {
  w.Key(key);
  w.StartArray();
  for (const std::string& s : v) WriteString(w, s);
  w.EndArray();
}
void WriteCuda(Writer& w, const char* key, const std::vector<CudaEntry>& list) {
  w.Key(key);
  w.StartArray();
  for (const CudaEntry& e : list) {
    w.StartObject();
    w.Key("version");
    WriteString(w, e.version);
    WriteOptional(w, "cudnn", e.cudnn);
    WriteOptional(w, "nccl", e.nccl);
    WriteOptional(w, "full_version", e.full_version);
    WriteStrings(w, "arches_x86_64", e.arches_x86_64);
    WriteStrings(w, "arches_aarch64", e.arches_aarch64);
    w.EndObject();
  }
  w.EndArray();
}

absl::StatusOr<Version> ReleaseVersion(absl::string_view release) {
  return Version::Parse(release);
}

// True when two row releases name the same minor release ("2.6", "2.06",
// "2.6.0", "2.6.1"), the unit Find and Diff look rows up by; comparing the
// text let "2.6" and "2.06" both in (found by
// fuzz/compat_matrix_markdown_fuzz.cc).
bool SameRelease(absl::string_view a, absl::string_view b) {
  absl::StatusOr<Version> va = ReleaseVersion(a), vb = ReleaseVersion(b);
  return va.ok() && vb.ok() && va->major() == vb->major() &&
         va->minor() == vb->minor();
}

}  // namespace

absl::string_view SupportStatusName(SupportStatus status) {
  switch (status) {
    case SupportStatus::kStable:
      return "stable";
    case SupportStatus::kExperimental:
      return "experimental";
    case SupportStatus::kUnsupported:
      break;
  }
  return "unsupported";
}

absl::string_view MatrixChangeKindName(MatrixChange::Kind kind) {
  switch (kind) {
    case MatrixChange::Kind::kPython:
      return "python";
    case MatrixChange::Kind::kCuda:
      return "cuda";
    case MatrixChange::Kind::kRocm:
      return "rocm";
    case MatrixChange::Kind::kCxx:
      break;
  }
  return "cxx";
}

absl::StatusOr<MarkdownLayout> ParseMarkdownLayout(absl::string_view name) {
  if (name == "current") return MarkdownLayout::kCurrent;
  if (name == "seed") return MarkdownLayout::kSeed;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown Markdown layout \"", name,
                   "\" (expected \"current\" or \"seed\")"));
}

absl::StatusOr<SupportStatus> MatrixRow::PythonStatus(
    absl::string_view version) const {
  RELKIT_ASSIGN_OR_RETURN(PythonKey key, PythonKeyOrError(version));
  for (const std::string& e : experimental_python) {
    std::optional<PythonKey> ek = ParsePythonKey(e);
    if (ek && ek->major == key.major && ek->minor == key.minor &&
        ek->free_threaded == key.free_threaded) {
      return SupportStatus::kExperimental;
    }
  }
  if (key.free_threaded) return SupportStatus::kUnsupported;
  const std::string minor = absl::StrCat(key.major, ".", key.minor);
  return python.Contains(absl::string_view(minor), /*prereleases=*/true)
             ? SupportStatus::kStable
             : SupportStatus::kUnsupported;
}

absl::StatusOr<SupportStatus> MatrixRow::CudaStatus(
    absl::string_view version) const {
  absl::StatusOr<Version> v = Version::Parse(version);
  if (!v.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid CUDA version \"", version, "\""));
  }
  if (ListHas(stable_cuda, *v)) return SupportStatus::kStable;
  if (ListHas(experimental_cuda, *v)) return SupportStatus::kExperimental;
  return SupportStatus::kUnsupported;
}

absl::StatusOr<SupportStatus> MatrixRow::RocmStatus(
    absl::string_view version) const {
  absl::StatusOr<Version> v = Version::Parse(version);
  if (!v.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ROCm version \"", version, "\""));
  }
  for (const std::string& r : stable_rocm) {
    absl::StatusOr<Version> rv = Version::Parse(r);
    if (rv.ok() && SameLine(*rv, *v)) return SupportStatus::kStable;
  }
  return SupportStatus::kUnsupported;
}

std::vector<std::string> MatrixRow::PythonVersions() const {
  std::vector<PythonKey> keys;
  for (uint64_t minor = 0; minor < 30; ++minor) {
    const std::string text = absl::StrCat("3.", minor);
    if (!python.empty() && python.Contains(absl::string_view(text), true)) {
      keys.push_back({3, minor, false});
    }
  }
  for (const std::string& e : experimental_python) {
    if (std::optional<PythonKey> k = ParsePythonKey(e)) keys.push_back(*k);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<std::string> out;
  for (const PythonKey& k : keys) out.push_back(k.ToString());
  return out;
}

std::string MatrixRow::PythonCell() const {
  std::vector<std::string> items;
  bool inline_experimental = false;
  for (const Specifier& s : python) {
    // Inline the list once: a second matching bound ("<=3.15, <=(3.15, 3.15t
    // experimental)") repeating it would add the versions again when read
    // back (found by fuzz/compat_matrix_markdown_fuzz.cc).
    if (!inline_experimental && !experimental_python.empty() &&
        s.op() == SpecifierOperator::kLessThanOrEqual &&
        s.version_text() == experimental_python.front()) {
      items.push_back(absl::StrCat(
          "<=(", absl::StrJoin(experimental_python, ", "), " experimental)"));
      inline_experimental = true;
    } else {
      items.push_back(s.ToString());
    }
  }
  if (!inline_experimental && !experimental_python.empty()) {
    items.push_back(absl::StrCat("(", absl::StrJoin(experimental_python, ", "),
                                 " experimental)"));
  }
  return absl::StrJoin(items, ", ");
}

std::string MatrixRow::StableCudaCell() const {
  return CudaCell(stable_cuda, cudnn_notation, empty_cuda_text);
}

std::string MatrixRow::ExperimentalCudaCell() const {
  return CudaCell(experimental_cuda, cudnn_notation, empty_cuda_text);
}

std::string MatrixRow::RocmCell() const {
  std::vector<std::string> items;
  for (const std::string& r : stable_rocm)
    items.push_back(absl::StrCat("ROCm ", r));
  return items.empty() ? std::string("--") : absl::StrJoin(items, ", ");
}

std::string MatrixDiff::Summary() const {
  std::vector<std::string> adds, drops, demotes;
  for (const MatrixChange& c : changes) {
    if (c.after == SupportStatus::kUnsupported) {
      drops.push_back(c.before == SupportStatus::kExperimental
                          ? absl::StrCat(c.name, " experimental")
                          : c.name);
    } else if (c.after > c.before) {
      adds.push_back(c.after == SupportStatus::kExperimental
                         ? absl::StrCat(c.name, " experimental")
                         : c.name);
    } else {
      demotes.push_back(c.name);
    }
  }
  std::vector<std::string> clauses;
  if (!adds.empty())
    clauses.push_back(absl::StrCat("adds ", absl::StrJoin(adds, ", ")));
  if (!demotes.empty()) {
    clauses.push_back(absl::StrCat("moves ", absl::StrJoin(demotes, ", "),
                                   " to experimental"));
  }
  if (!drops.empty())
    clauses.push_back(absl::StrCat("drops ", absl::StrJoin(drops, ", ")));
  if (clauses.empty()) return absl::StrCat(to, ": no changes");
  return absl::StrCat(to, " ", absl::StrJoin(clauses, "; "));
}

absl::StatusOr<CompatibilityMatrix> CompatibilityMatrix::Default() {
  return FromMarkdown(internal::EmbeddedReleaseMdTables(),
                      "<embedded release_md_tables.md>");
}

absl::StatusOr<CompatibilityMatrix> CompatibilityMatrix::FromMarkdown(
    absl::string_view text, absl::string_view source) {
  const std::vector<Line> lines = SplitLines(text);
  size_t header_index = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!IsTableLine(lines[i].text)) continue;
    std::vector<std::string> cells = SplitMarkdownRow(lines[i].text);
    if (!cells.empty() && absl::EqualsIgnoreCase(cells[0], "PyTorch version")) {
      header_index = i;
      break;
    }
  }
  if (header_index == lines.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source,
        ": no compatibility matrix table (a header row starting with "
        "\"PyTorch version\")"));
  }
  const Line& header_line = lines[header_index];
  const std::vector<std::string> header = SplitMarkdownRow(header_line.text);
  // Column index of each known header.
  int python_col = -1, cxx_col = -1, stable_col = -1, exp_col = -1,
      rocm_col = -1;
  for (size_t c = 1; c < header.size(); ++c) {
    const std::string& h = header[c];
    int* slot = nullptr;
    if (absl::EqualsIgnoreCase(h, "Python")) slot = &python_col;
    if (absl::EqualsIgnoreCase(h, "C++")) slot = &cxx_col;
    if (absl::EqualsIgnoreCase(h, "Stable CUDA")) slot = &stable_col;
    if (absl::EqualsIgnoreCase(h, "Experimental CUDA")) slot = &exp_col;
    if (absl::EqualsIgnoreCase(h, "Stable ROCm")) slot = &rocm_col;
    if (slot == nullptr || *slot != -1) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ":", header_line.number, ": unexpected column \"", h,
          "\" in the compatibility matrix header"));
    }
    *slot = static_cast<int>(c);
  }
  if (python_col < 0 || stable_col < 0 || exp_col < 0 || rocm_col < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", header_line.number,
        ": the compatibility matrix header needs the columns Python, Stable "
        "CUDA, Experimental CUDA and Stable ROCm"));
  }
  if (header_index + 1 >= lines.size() ||
      !IsSeparatorRow(SplitMarkdownRow(lines[header_index + 1].text)) ||
      SplitMarkdownRow(lines[header_index + 1].text).size() != header.size()) {
    const size_t n = header_index + 1 < lines.size()
                         ? lines[header_index + 1].number
                         : header_line.number + 1;
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":", n, ": expected a separator row of ",
                     header.size(), " cells (---) after the table header"));
  }
  std::vector<MatrixRow> rows;
  for (size_t i = header_index + 2;
       i < lines.size() && IsTableLine(lines[i].text); ++i) {
    const std::string where = absl::StrCat(source, ":", lines[i].number);
    std::vector<std::string> cells = SplitMarkdownRow(lines[i].text);
    if (cells.size() != header.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": expected ", header.size(), " cells, got ", cells.size()));
    }
    MatrixRow row;
    row.release = cells[0];
    if (!IsDottedNumber(row.release)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": invalid PyTorch version \"", row.release, "\""));
    }
    RELKIT_RETURN_IF_ERROR(ParsePythonCell(where, cells[python_col], row));
    if (cxx_col >= 0 && !IsEmptyMarker(cells[cxx_col])) {
      row.cxx_standard = cells[cxx_col];
    }
    bool per_entry = false, shared = false;
    std::string empty_text = "None";
    RELKIT_RETURN_IF_ERROR(ParseCudaCell(where, "Stable CUDA",
                                         cells[stable_col], row.stable_cuda,
                                         per_entry, shared, empty_text));
    RELKIT_RETURN_IF_ERROR(ParseCudaCell(where, "Experimental CUDA",
                                         cells[exp_col], row.experimental_cuda,
                                         per_entry, shared, empty_text));
    row.empty_cuda_text = empty_text;
    row.cudnn_notation =
        per_entry ? CudnnNotation::kPerEntry : CudnnNotation::kShared;
    RELKIT_RETURN_IF_ERROR(
        ParseRocmCell(where, cells[rocm_col], row.stable_rocm));
    for (const MatrixRow& seen : rows) {
      if (SameRelease(seen.release, row.release)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": release ", row.release, " is listed twice"));
      }
    }
    rows.push_back(std::move(row));
  }
  ApplyArchTables(lines, rows);
  return CompatibilityMatrix(std::move(rows));
}

absl::StatusOr<CompatibilityMatrix> CompatibilityMatrix::FromJson(
    absl::string_view text, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(text, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* releases,
                          r.Member(doc, "releases", "$"));
  if (!releases->IsArray())
    return r.Error("$.releases", "expected an array of objects");
  std::vector<MatrixRow> rows;
  for (rapidjson::SizeType i = 0; i < releases->Size(); ++i) {
    const std::string path = absl::StrCat("$.releases[", i, "]");
    const rapidjson::Value& v = (*releases)[i];
    if (!v.IsObject()) return r.Error(path, "expected an object");
    MatrixRow row;
    RELKIT_ASSIGN_OR_RETURN(row.release, r.String(v, "release", path));
    if (!IsDottedNumber(row.release)) {
      return r.Error(absl::StrCat(path, ".release"),
                     "expected a release such as \"2.4\"");
    }
    RELKIT_ASSIGN_OR_RETURN(std::string python, r.String(v, "python", path));
    absl::StatusOr<SpecifierSet> set = SpecifierSet::Parse(python);
    if (!set.ok())
      return r.Error(absl::StrCat(path, ".python"), set.status().message());
    row.python = *std::move(set);
    RELKIT_ASSIGN_OR_RETURN(row.experimental_python,
                            r.StringArray(v, "experimental_python", path));
    for (size_t k = 0; k < row.experimental_python.size(); ++k) {
      if (!ParsePythonKey(row.experimental_python[k])) {
        return r.Error(absl::StrCat(path, ".experimental_python[", k, "]"),
                       "expected a Python version such as \"3.13t\"");
      }
    }
    RELKIT_ASSIGN_OR_RETURN(row.cxx_standard, r.OptionalString(v, "cxx", path));
    RELKIT_ASSIGN_OR_RETURN(row.stable_cuda,
                            CudaListFromJson(r, v, "stable_cuda", path));
    RELKIT_ASSIGN_OR_RETURN(row.experimental_cuda,
                            CudaListFromJson(r, v, "experimental_cuda", path));
    RELKIT_ASSIGN_OR_RETURN(row.stable_rocm,
                            r.StringArray(v, "stable_rocm", path));
    RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> notation,
                            r.OptionalString(v, "cudnn_notation", path));
    if (notation && *notation != "shared" && *notation != "per_entry") {
      return r.Error(absl::StrCat(path, ".cudnn_notation"),
                     "expected \"shared\" or \"per_entry\"");
    }
    row.cudnn_notation = notation == "per_entry" ? CudnnNotation::kPerEntry
                                                 : CudnnNotation::kShared;
    RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> empty,
                            r.OptionalString(v, "empty_cuda_text", path));
    if (empty) row.empty_cuda_text = *empty;
    rows.push_back(std::move(row));
  }
  absl::StatusOr<CompatibilityMatrix> m = FromRows(std::move(rows));
  if (!m.ok()) return r.Error("$.releases", m.status().message());
  return m;
}

absl::StatusOr<CompatibilityMatrix> CompatibilityMatrix::FromRows(
    std::vector<MatrixRow> rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    absl::StatusOr<Version> v = ReleaseVersion(rows[i].release);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid release \"", rows[i].release, "\""));
    }
    for (size_t j = 0; j < i; ++j) {
      if (SameRelease(rows[j].release, rows[i].release)) {
        return absl::InvalidArgumentError(
            absl::StrCat("release ", rows[i].release, " is listed twice"));
      }
    }
  }
  return CompatibilityMatrix(std::move(rows));
}

const MatrixRow* CompatibilityMatrix::Find(absl::string_view release) const {
  absl::StatusOr<Version> v = Version::Parse(release);
  if (!v.ok()) return nullptr;
  for (const MatrixRow& row : rows_) {
    absl::StatusOr<Version> rv = ReleaseVersion(row.release);
    if (rv.ok() && rv->major() == v->major() && rv->minor() == v->minor()) {
      return &row;
    }
  }
  return nullptr;
}

std::vector<std::string> CompatibilityMatrix::ReleasesSupportingPython(
    absl::string_view python, bool include_experimental) const {
  std::vector<std::pair<Version, std::string>> found;
  for (const MatrixRow& row : rows_) {
    absl::StatusOr<SupportStatus> s = row.PythonStatus(python);
    if (!s.ok()) return {};
    if (*s == SupportStatus::kStable ||
        (include_experimental && *s == SupportStatus::kExperimental)) {
      absl::StatusOr<Version> v = ReleaseVersion(row.release);
      if (v.ok()) found.emplace_back(*v, row.release);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [v, s] : found) out.push_back(std::move(s));
  return out;
}

absl::StatusOr<MatrixDiff> CompatibilityMatrix::Diff(
    absl::string_view from, absl::string_view to) const {
  const MatrixRow* a = Find(from);
  const MatrixRow* b = Find(to);
  for (auto [row, name] : {std::pair{a, from}, std::pair{b, to}}) {
    if (row == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "release \"", name, "\" not found in the compatibility matrix"));
    }
  }
  MatrixDiff diff{a->release, b->release, {}};
  // Python: union of the versions either names, in version order.
  std::vector<PythonKey> keys;
  for (const MatrixRow* row : {a, b}) {
    for (const std::string& p : row->PythonVersions()) {
      if (std::optional<PythonKey> k = ParsePythonKey(p)) keys.push_back(*k);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const PythonKey& k : keys) {
    const std::string p = k.ToString();
    SupportStatus before = *a->PythonStatus(p);
    SupportStatus after = *b->PythonStatus(p);
    if (before != after) {
      diff.changes.push_back({MatrixChange::Kind::kPython,
                              absl::StrCat("Python ", p), before, after});
    }
  }
  for (const std::string& c :
       VersionUnion(CudaVersions(*a), CudaVersions(*b))) {
    SupportStatus before = *a->CudaStatus(c);
    SupportStatus after = *b->CudaStatus(c);
    if (before != after) {
      diff.changes.push_back(
          {MatrixChange::Kind::kCuda, absl::StrCat("CUDA ", c), before, after});
    }
  }
  for (const std::string& r : VersionUnion(a->stable_rocm, b->stable_rocm)) {
    SupportStatus before = *a->RocmStatus(r);
    SupportStatus after = *b->RocmStatus(r);
    if (before != after) {
      diff.changes.push_back(
          {MatrixChange::Kind::kRocm, absl::StrCat("ROCm ", r), before, after});
    }
  }
  if (a->cxx_standard && b->cxx_standard &&
      *a->cxx_standard != *b->cxx_standard) {
    diff.changes.push_back({MatrixChange::Kind::kCxx, *b->cxx_standard,
                            SupportStatus::kUnsupported,
                            SupportStatus::kStable});
  }
  return diff;
}

std::string CompatibilityMatrix::ToMarkdown(MarkdownLayout layout) const {
  // A cell's text comes from a file: it must not end the row or add a cell.
  auto Cell = [](absl::string_view text) {
    return internal::MarkdownCell(text);
  };
  std::string out;
  if (layout == MarkdownLayout::kSeed) {
    absl::StrAppend(&out, absl::StrJoin(kSeedColumns, " | "), " |\n");
    absl::StrAppend(&out, "---|---|---|---|---|\n");
    for (const MatrixRow& row : rows_) {
      absl::StrAppend(&out, Cell(row.release), " | ", Cell(row.PythonCell()),
                      " | ", Cell(row.StableCudaCell()), " | ",
                      Cell(row.ExperimentalCudaCell()), " | ",
                      Cell(row.RocmCell()), " |\n");
    }
    return out;
  }
  absl::StrAppend(&out, "| ", absl::StrJoin(kCurrentColumns, " | "), " |\n");
  absl::StrAppend(&out, "| --- | --- | --- | --- | --- | --- |\n");
  for (const MatrixRow& row : rows_) {
    absl::StrAppend(
        &out, "| ", Cell(row.release), " | ", Cell(row.PythonCell()), " | ",
        Cell(row.cxx_standard.value_or("--")), " | ",
        Cell(row.StableCudaCell()), " | ", Cell(row.ExperimentalCudaCell()),
        " | ", Cell(row.RocmCell()), " |\n");
  }
  return out;
}

std::string CompatibilityMatrix::ToJson(bool pretty) const {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("releases");
  w.StartArray();
  for (const MatrixRow& row : rows_) {
    w.StartObject();
    w.Key("release");
    WriteString(w, row.release);
    w.Key("python");
    std::vector<std::string> specs;
    for (const Specifier& s : row.python) specs.push_back(s.ToString());
    WriteString(w, absl::StrJoin(specs, ", "));
    WriteStrings(w, "experimental_python", row.experimental_python);
    WriteOptional(w, "cxx", row.cxx_standard);
    WriteCuda(w, "stable_cuda", row.stable_cuda);
    WriteCuda(w, "experimental_cuda", row.experimental_cuda);
    WriteStrings(w, "stable_rocm", row.stable_rocm);
    w.Key("cudnn_notation");
    WriteString(w, row.cudnn_notation == CudnnNotation::kPerEntry ? "per_entry"
                                                                  : "shared");
    w.Key("empty_cuda_text");
    WriteString(w, row.empty_cuda_text);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::string text(buffer.GetString(), buffer.GetSize());
  if (!pretty) {
    // Compact form: reparse and write without whitespace.
    absl::StatusOr<rapidjson::Document> doc =
        internal::ParseJson(text, "<self>");
    if (doc.ok()) return internal::WriteJson(*doc, false);
  }
  return text;
}

}  // namespace relkit
