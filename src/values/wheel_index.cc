#include "relkit/wheel_index.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "internal/json.h"
#include "relkit/conventions.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// -----------------------------------------------------------------------------
// Text helpers

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the HTML character references a simple page uses (`&amp;`, `&lt;`,
// `&gt;`, `&quot;`, `&apos;`, `&#NN;`, `&#xNN;`); others stay as written.
std::string DecodeEntities(absl::string_view s) {
  if (s.find('&') == absl::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == absl::string_view::npos || semi - i > 10) {
      out.push_back(s[i++]);
      continue;
    }
    absl::string_view name = s.substr(i + 1, semi - i - 1);
    std::optional<uint32_t> cp;
    if (name == "amp")
      cp = '&';
    else if (name == "lt")
      cp = '<';
    else if (name == "gt")
      cp = '>';
    else if (name == "quot")
      cp = '"';
    else if (name == "apos")
      cp = '\'';
    else if (name.size() > 1 && name[0] == '#') {
      uint32_t v = 0;
      bool hex = name[1] == 'x' || name[1] == 'X';
      absl::string_view digits = name.substr(hex ? 2 : 1);
      bool ok = !digits.empty();
      for (char c : digits) {
        int d =
            hex ? HexValue(c)
                : (absl::ascii_isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                                      : -1);
        if (d < 0 || v > 0x10FFFF) {
          ok = false;
          break;
        }
        v = v * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      }
      if (ok && v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) cp = v;
    }
    if (!cp) {
      out.push_back(s[i++]);
      continue;
    }
    AppendUtf8(*cp, out);
    i = semi + 1;
  }
  return out;
}

// Decodes `%XX` escapes (`%2B` -> `+`); malformed escapes stay as written.
std::string PercentDecode(absl::string_view s) {
  // Copies the runs between escapes whole: on a 100,000-link page every name
  // has a `%2B`, and a byte-by-byte push_back was a tenth of the parse.
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const void* hit = std::memchr(s.data() + i, '%', s.size() - i);
    const size_t pct =
        hit == nullptr
            ? s.size()
            : static_cast<size_t>(static_cast<const char*>(hit) - s.data());
    out.append(s.data() + i, pct - i);
    if (pct == s.size()) break;
    const int hi = pct + 2 < s.size() ? HexValue(s[pct + 1]) : -1;
    const int lo = hi >= 0 ? HexValue(s[pct + 2]) : -1;
    if (lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i = pct + 3;
    } else {
      out.push_back('%');
      i = pct + 1;
    }
  }
  return out;
}

// Returns the last path component of a URL or path without query/fragment.
absl::string_view BaseName(absl::string_view url) {
  // memchr/memrchr rather than find_first_of("?#") (which builds a lookup
  // table on every call) and rfind: this runs once per link.
  if (url.empty()) return url;  // memchr may not see a null pointer
  for (char c : {'?', '#'}) {
    if (const void* hit = std::memchr(url.data(), c, url.size())) {
      url = url.substr(
          0, static_cast<size_t>(static_cast<const char*>(hit) - url.data()));
    }
  }
  if (const void* slash = memrchr(url.data(), '/', url.size())) {
    url.remove_prefix(
        static_cast<size_t>(static_cast<const char*>(slash) - url.data()) + 1);
  }
  return url;
}

// Collects wheels and skipped links for all three readers.
class Collector {
 public:
  explicit Collector(WheelIndex& index) : index_(index) {}

  // Adds the file `filename` (decoded); `location` makes the position text
  // of a skipped link (only then, to keep the common path cheap).
  template <typename Location>
  void Add(std::string filename, absl::string_view url, Location location,
           size_t line, std::optional<absl::string_view> sha256,
           std::optional<uint64_t> size,
           std::optional<std::string> requires_python, bool yanked) {
    if (!absl::EndsWith(filename, ".whl")) {
      index_.skipped.push_back(
          {std::move(filename), location(), "not a wheel", size});
      return;
    }
    absl::StatusOr<WheelFilename> wheel = WheelFilename::Parse(filename);
    if (!wheel.ok()) {
      index_.skipped.push_back({std::move(filename), location(),
                                std::string(wheel.status().message()), size});
      return;
    }
    IndexedWheel& w = index_.wheels.emplace_back();
    w.wheel = *std::move(wheel);
    w.filename = std::move(filename);
    w.url = std::string(url);
    if (sha256) w.sha256 = std::string(*sha256);
    w.size = size;
    w.requires_python = std::move(requires_python);
    w.yanked = yanked;
    w.line = line;
  }

 private:
  WheelIndex& index_;
};

// -----------------------------------------------------------------------------
// PEP 503 HTML

class HtmlReader {
 public:
  HtmlReader(absl::string_view text, absl::string_view source,
             WheelIndex& index)
      : text_(text), source_(source), out_(index) {}

  absl::Status Run() {
    while (pos_ < text_.size()) {
      size_t lt = text_.find('<', pos_);
      if (lt == absl::string_view::npos) break;
      Advance(lt);
      RELKIT_RETURN_IF_ERROR(Markup());
    }
    return absl::OkStatus();
  }

 private:
  // Moves to `to`, counting newlines on the way.
  void Advance(size_t to) {
    // memchr jumps from newline to newline; std::count looked at every byte
    // of every tag and link, the largest single cost of a big page.
    const char* p = text_.data() + pos_;
    const char* const end = text_.data() + to;
    while (p < end) {
      p = static_cast<const char*>(
          std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (p == nullptr) break;
      ++line_;
      ++p;
    }
    pos_ = to;
  }

  absl::Status Error(size_t line, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ":", line, ": ", what));
  }

  bool StartsWithAt(size_t at, absl::string_view s) const {
    return text_.size() - at >= s.size() &&
           absl::EqualsIgnoreCase(text_.substr(at, s.size()), s);
  }

  // At a `<`: a comment, declaration, end tag, start tag or plain text.
  absl::Status Markup() {
    const size_t start_line = line_;
    if (StartsWithAt(pos_, "<!--")) {
      size_t end = text_.find("-->", pos_ + 4);
      if (end == absl::string_view::npos) {
        return Error(start_line, "unterminated comment <!--");
      }
      Advance(end + 3);
      return absl::OkStatus();
    }
    const size_t after = pos_ + 1;
    if (after >= text_.size()) {
      Advance(text_.size());
      return absl::OkStatus();
    }
    const char c = text_[after];
    if (c == '!' || c == '?' || c == '/') {
      size_t end = text_.find('>', after);
      if (end == absl::string_view::npos) {
        return Error(start_line, "unterminated tag");
      }
      Advance(end + 1);
      return absl::OkStatus();
    }
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      Advance(after);  // a bare `<` in text
      return absl::OkStatus();
    }
    size_t name_end = after;
    while (name_end < text_.size() &&
           absl::ascii_isalnum(static_cast<unsigned char>(text_[name_end]))) {
      ++name_end;
    }
    absl::string_view name = text_.substr(after, name_end - after);
    const bool is_link = absl::EqualsIgnoreCase(name, "a");
    Advance(name_end);
    attrs_.clear();
    RELKIT_RETURN_IF_ERROR(Attributes(start_line, name));
    if (absl::EqualsIgnoreCase(name, "script") ||
        absl::EqualsIgnoreCase(name, "style")) {
      const std::string close = absl::StrCat("</", name);
      size_t end = pos_;
      while (true) {
        end = text_.find("</", end);
        if (end == absl::string_view::npos || StartsWithAt(end, close)) break;
        end += 2;
      }
      if (end == absl::string_view::npos) {
        return Error(start_line,
                     absl::StrCat("<", name, "> has no </", name, ">"));
      }
      Advance(end);
      return absl::OkStatus();
    }
    if (!is_link) return absl::OkStatus();
    return Link(start_line);
  }

  // Reads attributes up to and including `>` into attrs_.
  absl::Status Attributes(size_t start_line, absl::string_view tag) {
    while (true) {
      while (pos_ < text_.size() &&
             (absl::ascii_isspace(static_cast<unsigned char>(text_[pos_])) ||
              text_[pos_] == '/')) {
        if (text_[pos_] == '\n') ++line_;
        ++pos_;
      }
      if (pos_ >= text_.size()) {
        return Error(start_line, absl::StrCat("unterminated tag <", tag));
      }
      if (text_[pos_] == '>') {
        ++pos_;
        return absl::OkStatus();
      }
      size_t name_start = pos_;
      while (pos_ < text_.size() && text_[pos_] != '=' && text_[pos_] != '>' &&
             text_[pos_] != '/' &&
             !absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      }
      absl::string_view attr = text_.substr(name_start, pos_ - name_start);
      absl::string_view value;
      size_t look = pos_;
      while (look < text_.size() &&
             absl::ascii_isspace(static_cast<unsigned char>(text_[look]))) {
        ++look;
      }
      if (look < text_.size() && text_[look] == '=') {
        Advance(look + 1);
        while (pos_ < text_.size() &&
               absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
          if (text_[pos_] == '\n') ++line_;
          ++pos_;
        }
        if (pos_ >= text_.size()) {
          return Error(start_line, absl::StrCat("unterminated tag <", tag));
        }
        const char q = text_[pos_];
        if (q == '"' || q == '\'') {
          size_t end = text_.find(q, pos_ + 1);
          if (end == absl::string_view::npos) {
            return Error(line_, absl::StrCat("unterminated ", std::string(1, q),
                                             " quote in "
                                             "attribute ",
                                             attr, " of <", tag));
          }
          value = text_.substr(pos_ + 1, end - pos_ - 1);
          Advance(end + 1);
        } else {
          size_t end = pos_;
          while (end < text_.size() && text_[end] != '>' &&
                 !absl::ascii_isspace(static_cast<unsigned char>(text_[end]))) {
            ++end;
          }
          value = text_.substr(pos_, end - pos_);
          pos_ = end;
        }
      }
      attrs_.emplace_back(attr, value);
    }
  }

  const absl::string_view* Attr(absl::string_view name) const {
    for (const auto& [k, v] : attrs_) {
      if (absl::EqualsIgnoreCase(k, name)) return &v;
    }
    return nullptr;
  }

  // After `<a ...>`: reads the text up to `</a>` and records the link.
  absl::Status Link(size_t start_line) {
    size_t end = pos_;
    while (true) {
      end = text_.find('<', end);
      if (end == absl::string_view::npos) break;
      if (StartsWithAt(end, "</a") &&
          (end + 3 == text_.size() || text_[end + 3] == '>' ||
           absl::ascii_isspace(static_cast<unsigned char>(text_[end + 3])))) {
        break;
      }
      ++end;
    }
    if (end == absl::string_view::npos) {
      return Error(start_line, "<a> has no </a>");
    }
    absl::string_view inner =
        absl::StripAsciiWhitespace(text_.substr(pos_, end - pos_));
    Advance(end);
    const absl::string_view* href = Attr("href");
    absl::string_view url;
    std::optional<absl::string_view> sha256;
    std::string decoded;
    std::string filename;
    if (href != nullptr) {
      url = *href;
      if (url.find('&') != absl::string_view::npos) {
        decoded = DecodeEntities(url);
        url = decoded;
      }
      size_t hash = url.find('#');
      if (hash != absl::string_view::npos) {
        absl::string_view fragment = url.substr(hash + 1);
        if (absl::ConsumePrefix(&fragment, "sha256=")) sha256 = fragment;
        url = url.substr(0, hash);
      }
      filename = PercentDecode(BaseName(url));
    }
    if (filename.empty()) filename = DecodeEntities(inner);
    std::optional<std::string> requires_python;
    if (const absl::string_view* rp = Attr("data-requires-python")) {
      requires_python = DecodeEntities(*rp);
    }
    const bool yanked = Attr("data-yanked") != nullptr;
    out_.Add(
        std::move(filename), url,
        [&] { return absl::StrCat(source_, ":", start_line); }, start_line,
        sha256, std::nullopt, std::move(requires_python), yanked);
    return absl::OkStatus();
  }

  absl::string_view text_;
  absl::string_view source_;
  Collector out_;
  size_t pos_ = 0;
  size_t line_ = 1;
  std::vector<std::pair<absl::string_view, absl::string_view>> attrs_;
};

// -----------------------------------------------------------------------------
// Listing: `<size> <name>` or `<date> <time> <size> <name>`; `PRE dir/` lines
// and `#` comments are skipped.

absl::Status ReadListing(absl::string_view text, absl::string_view source,
                         WheelIndex& index) {
  Collector out(index);
  size_t line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() == 2 && fields[0] == "PRE") continue;
    if (fields.size() != 2 && fields.size() != 4) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ":", line_no,
          ": expected \"<size> <filename>\" or \"<date> <time> <size> "
          "<filename>\", got ",
          fields.size(), " fields"));
    }
    absl::string_view size_text = fields[fields.size() - 2];
    uint64_t size = 0;
    if (!absl::SimpleAtoi(size_text, &size) ||
        !absl::ascii_isdigit(static_cast<unsigned char>(size_text[0]))) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line_no, ": size \"", size_text,
                       "\" is not a number of bytes"));
    }
    absl::string_view path = fields.back();
    out.Add(
        PercentDecode(BaseName(path)), path,
        [&] { return absl::StrCat(source, ":", line_no); }, line_no,
        std::nullopt, size, std::nullopt, false);
  }
  return absl::OkStatus();
}

// -----------------------------------------------------------------------------
// PEP 691 JSON

absl::Status ReadJson(absl::string_view text, absl::string_view source,
                      WheelIndex& index) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(text, source));
  internal::JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* files,
                          r.Member(doc, "files", "$"));
  if (!files->IsArray()) return r.Error("$.files", "expected an array");
  Collector out(index);
  for (rapidjson::SizeType i = 0; i < files->Size(); ++i) {
    const rapidjson::Value& f = (*files)[i];
    const std::string path = absl::StrCat("$.files[", i, "]");
    if (!f.IsObject()) return r.Error(path, "expected an object");
    RELKIT_ASSIGN_OR_RETURN(std::string filename,
                            r.String(f, "filename", path));
    RELKIT_ASSIGN_OR_RETURN(std::string url, r.String(f, "url", path));
    std::optional<std::string> sha256;
    if (auto h = f.FindMember("hashes"); h != f.MemberEnd()) {
      if (!h->value.IsObject()) {
        return r.Error(path + ".hashes", "expected an object");
      }
      RELKIT_ASSIGN_OR_RETURN(
          sha256, r.OptionalString(h->value, "sha256", path + ".hashes"));
    }
    std::optional<uint64_t> size;
    if (auto s = f.FindMember("size");
        s != f.MemberEnd() && !s->value.IsNull()) {
      if (!s->value.IsUint64()) {
        return r.Error(path + ".size", "expected a non-negative integer");
      }
      size = s->value.GetUint64();
    }
    RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> requires_python,
                            r.OptionalString(f, "requires-python", path));
    bool yanked = false;
    if (auto y = f.FindMember("yanked"); y != f.MemberEnd()) {
      if (y->value.IsBool()) {
        yanked = y->value.GetBool();
      } else if (y->value.IsString()) {
        yanked = true;
      } else if (!y->value.IsNull()) {
        return r.Error(path + ".yanked", "expected true, false or a reason");
      }
    }
    std::optional<absl::string_view> sha_view;
    if (sha256) sha_view = *sha256;
    out.Add(
        std::move(filename), url,
        [&] { return absl::StrCat(source, ": ", path); }, 0, sha_view, size,
        std::move(requires_python), yanked);
  }
  return absl::OkStatus();
}

}  // namespace

// -----------------------------------------------------------------------------
// WheelIndex

absl::string_view WheelIndexFormatName(WheelIndexFormat format) {
  switch (format) {
    case WheelIndexFormat::kAuto:
      return "auto";
    case WheelIndexFormat::kHtml:
      return "html";
    case WheelIndexFormat::kJson:
      return "json";
    case WheelIndexFormat::kListing:
      return "listing";
  }
  return "auto";
}

absl::StatusOr<WheelIndexFormat> ParseWheelIndexFormat(absl::string_view name) {
  for (WheelIndexFormat f :
       {WheelIndexFormat::kAuto, WheelIndexFormat::kHtml,
        WheelIndexFormat::kJson, WheelIndexFormat::kListing}) {
    if (name == WheelIndexFormatName(f)) return f;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown index format \"", name,
                   "\" (expected auto, html, json or listing)"));
}

absl::StatusOr<WheelIndex> WheelIndex::Parse(absl::string_view text,
                                             const WheelIndexOptions& options) {
  WheelIndex index;
  index.source = options.source;
  WheelIndexFormat format = options.format;
  if (format == WheelIndexFormat::kAuto) {
    absl::string_view head = absl::StripLeadingAsciiWhitespace(text);
    if (absl::StartsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
    if (!head.empty() && head[0] == '{') {
      format = WheelIndexFormat::kJson;
    } else if (!head.empty() && head[0] == '<') {
      format = WheelIndexFormat::kHtml;
    } else {
      format = WheelIndexFormat::kListing;
    }
  }
  index.format = format;
  switch (format) {
    case WheelIndexFormat::kHtml: {
      // One wheel per link at most: reserve for them all (counting `<a`
      // is cheap next to parsing).
      size_t links = 0;
      for (size_t at = text.find('<'); at != absl::string_view::npos;
           at = text.find('<', at + 1)) {
        if (at + 1 < text.size() && (text[at + 1] | 0x20) == 'a') ++links;
      }
      index.wheels.reserve(links);
      HtmlReader reader(text, options.source, index);
      RELKIT_RETURN_IF_ERROR(reader.Run());
      break;
    }
    case WheelIndexFormat::kJson:
      RELKIT_RETURN_IF_ERROR(ReadJson(text, options.source, index));
      break;
    case WheelIndexFormat::kListing:
    case WheelIndexFormat::kAuto:
      RELKIT_RETURN_IF_ERROR(ReadListing(text, options.source, index));
      break;
  }
  return index;
}

// -----------------------------------------------------------------------------
// What a wheel is built for

std::optional<BuildOs> WheelOs(const WheelFilename& wheel) {
  for (const std::string& p : wheel.platform_tags()) {
    if (p == "win_amd64") return BuildOs::kWindows;
    if (p == "win_arm64") return BuildOs::kWindowsArm64;
    if (absl::StartsWith(p, "macosx_")) {
      if (absl::EndsWith(p, "_arm64")) return BuildOs::kMacosArm64;
      if (absl::EndsWith(p, "_x86_64")) return BuildOs::kMacos;
    }
    if (absl::StartsWith(p, "manylinux") || absl::StartsWith(p, "linux_") ||
        absl::StartsWith(p, "musllinux")) {
      if (absl::EndsWith(p, "_aarch64")) return BuildOs::kLinuxAarch64;
      if (absl::EndsWith(p, "_x86_64")) return BuildOs::kLinux;
    }
  }
  return std::nullopt;
}

std::optional<std::string> WheelPythonVersion(const WheelFilename& wheel) {
  if (wheel.python_tags().size() != 1) return std::nullopt;
  absl::string_view py = wheel.python_tags()[0];
  if (!absl::ConsumePrefix(&py, "cp") || py.size() < 2) return std::nullopt;
  for (char c : py) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
  }
  bool free_threaded = false;
  for (const std::string& abi : wheel.abi_tags()) {
    if (absl::EndsWith(abi, "t")) free_threaded = true;
  }
  return absl::StrCat(py.substr(0, 1), ".", py.substr(1),
                      free_threaded ? "t" : "");
}

std::string ExpectedWheelPattern(absl::string_view package,
                                 const Version& version,
                                 const ExpectedWheel& expected) {
  std::string name = CanonicalizeName(package);
  std::replace(name.begin(), name.end(), '-', '_');
  std::string v = version.PublicVersion();
  const bool macos =
      expected.os == BuildOs::kMacos || expected.os == BuildOs::kMacosArm64;
  if (!macos) absl::StrAppend(&v, "+", expected.accelerator.ToString());
  absl::string_view py = expected.python_version;
  const bool ft = absl::ConsumeSuffix(&py, "t");
  std::string cp = absl::StrCat("cp", absl::StrReplaceAll(py, {{".", ""}}));
  std::string platform;
  switch (expected.os) {
    case BuildOs::kLinux:
      platform = "manylinux_*_x86_64";
      break;
    case BuildOs::kLinuxAarch64:
      platform = "manylinux_*_aarch64";
      break;
    case BuildOs::kMacos:
      platform = "macosx_*_x86_64";
      break;
    case BuildOs::kMacosArm64:
      platform = "macosx_*_arm64";
      break;
    case BuildOs::kWindows:
      platform = "win_amd64";
      break;
    case BuildOs::kWindowsArm64:
      platform = "win_arm64";
      break;
  }
  return absl::StrCat(name, "-", v, "-", cp, "-", cp, ft ? "t" : "", "-",
                      platform, ".whl");
}

// -----------------------------------------------------------------------------
// Coverage

namespace {

// (OS, Python, accelerator kind, accelerator version): what a wheel is for.
using BuildKey =
    std::tuple<BuildOs, std::string, AcceleratorKind, std::vector<uint64_t>>;

BuildKey KeyOf(BuildOs os, const std::string& python, const Accelerator& acc) {
  return {os, python, acc.kind(),
          std::vector<uint64_t>(acc.version().begin(), acc.version().end())};
}

}  // namespace

WheelCoverageReport CheckWheelCoverage(const WheelIndex& index,
                                       absl::string_view package,
                                       const Version& version,
                                       absl::Span<const ExpectedWheel> expected,
                                       const WheelCheckOptions& options) {
  WheelCoverageReport report;
  report.package = CanonicalizeName(package);
  report.version = version.WithoutLocal();
  report.expected_count = expected.size();
  const std::string base = version.BaseVersion();

  std::map<BuildKey, size_t> expected_keys;  // key -> wheels found
  for (const ExpectedWheel& e : expected) {
    expected_keys.emplace(KeyOf(e.os, e.python_version, e.accelerator), 0);
  }

  struct Found {
    const IndexedWheel* wheel;
    BuildOs os;
    Accelerator acc;
    std::string label;  // full local label or "" for none
  };
  std::vector<Found> found;
  for (const IndexedWheel& w : index.wheels) {
    if (w.wheel.name() != report.package) continue;
    const Version& v = w.wheel.version();
    if (v.WithoutLocal() != report.version) {
      if (v.BaseVersion() == base && v.epoch() == version.epoch()) {
        report.inconsistent.push_back(
            {w, absl::StrCat("version ", v.PublicVersion(),
                             " is not the release's ",
                             report.version.ToString())});
      }
      continue;
    }
    ++report.found_count;
    absl::StatusOr<std::optional<Accelerator>> acc =
        Accelerator::FromVersion(v);
    if (!acc.ok()) {
      report.inconsistent.push_back(
          {w, absl::StrCat("local label +", v.local().value_or(""),
                           " is not an accelerator label")});
      continue;
    }
    std::optional<BuildOs> os = WheelOs(w.wheel);
    std::optional<std::string> py = WheelPythonVersion(w.wheel);
    Accelerator a = acc->value_or(Accelerator::Cpu());
    if (os && py) {
      auto it = expected_keys.find(KeyOf(*os, *py, a));
      if (it != expected_keys.end()) {
        ++it->second;
      } else {
        report.unexpected.push_back(w);
      }
      found.push_back({&w, *os, a, v.local().value_or("")});
    } else {
      report.unexpected.push_back(w);
    }

    // Sizes.
    if (w.size) {
      if (*w.size > options.pypi_file_limit_bytes) {
        report.oversize.push_back(
            {w, options.pypi_file_limit_bytes, "PyPI file limit"});
      }
      const bool on_linux =
          os && (*os == BuildOs::kLinux || *os == BuildOs::kLinuxAarch64);
      if (on_linux && *w.size > options.size_threshold_bytes &&
          (a.kind() != AcceleratorKind::kRocm || options.threshold_for_rocm)) {
        report.oversize.push_back(
            {w, options.size_threshold_bytes, "size threshold"});
      }
    }
  }

  // Local labels: within one (OS, accelerator), the label most wheels carry
  // is the convention; the others are inconsistent.
  std::map<std::tuple<BuildOs, AcceleratorKind, std::vector<uint64_t>>,
           std::map<std::string, size_t>>
      labels;
  auto group_of = [](const Found& f) {
    return std::make_tuple(
        f.os, f.acc.kind(),
        std::vector<uint64_t>(f.acc.version().begin(), f.acc.version().end()));
  };
  for (const Found& f : found) ++labels[group_of(f)][f.label];
  for (const Found& f : found) {
    const auto& counts = labels[group_of(f)];
    if (counts.size() < 2) continue;
    auto best = std::max_element(
        counts.begin(), counts.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    if (f.label == best->first) continue;
    report.inconsistent.push_back(
        {*f.wheel,
         absl::StrCat("local label ",
                      f.label.empty() ? "(none)" : "+" + f.label,
                      " differs from ",
                      best->first.empty() ? "(none)" : "+" + best->first,
                      " on the other ", BuildOsName(f.os), " ",
                      AcceleratorKindName(f.acc.kind()),
                      f.acc.version().empty() ? "" : " ", f.acc.VersionString(),
                      " wheels")});
  }

  for (const ExpectedWheel& e : expected) {
    if (expected_keys[KeyOf(e.os, e.python_version, e.accelerator)] == 0) {
      report.missing.push_back(e);
    }
  }
  return report;
}

}  // namespace relkit
