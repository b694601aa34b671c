#include "relkit/wheel.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "relkit/status.h"
#include "relkit/version.h"

namespace relkit {
namespace {

bool IsAsciiAlnum(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c));
}

bool IsNameSeparator(char c) { return c == '-' || c == '_' || c == '.'; }

// Returns the length of the well-formed non-ASCII UTF-8 sequence starting at
// text[i], or 0 when there is none. Python's `\w` and `str.isidentifier`
// accept most non-ASCII letters; without Unicode tables we accept any
// well-formed multi-byte character, which only errs on the lenient side for
// non-ASCII punctuation.
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  size_t n = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, min = 0x80, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, min = 0x800, cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (text.size() - i < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Returns a printable, quoted rendering of user input for error messages.
std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

// Parses a run of ASCII digits as an unsigned 64-bit number.
bool ParseUint64(absl::string_view digits, uint64_t* out) {
  if (digits.empty()) return false;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

// Returns the position of the first character that keeps `name` from being
// a valid core-metadata name, or npos when it is valid.
size_t FirstInvalidNameChar(absl::string_view name) {
  if (name.empty()) return 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (IsAsciiAlnum(c)) continue;
    const bool at_edge = i == 0 || i + 1 == name.size();
    if (IsNameSeparator(c) && !at_edge) continue;
    return i;
  }
  return absl::string_view::npos;
}

absl::Status WheelError(absl::string_view filename, absl::string_view reason,
                        size_t position) {
  return absl::InvalidArgumentError(
      absl::StrFormat("invalid wheel filename %s: %s (position %d)",
                      Quote(filename), reason, position));
}

absl::Status SdistError(absl::string_view filename, absl::string_view reason,
                        size_t position) {
  return absl::InvalidArgumentError(
      absl::StrFormat("invalid sdist filename %s: %s (position %d)",
                      Quote(filename), reason, position));
}

// Replaces the `-` of a canonical name with `_`, the escaping PEP 427 and
// PEP 625 ask for in filenames.
std::string FilenameEscapedName(absl::string_view canonical) {
  std::string out(canonical);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

// Checks an interpreter tag part: Python's `str.isidentifier`, with the
// UTF-8 approximation above.
size_t FirstNonIdentifierChar(absl::string_view part) {
  for (size_t i = 0; i < part.size();) {
    const char c = part[i];
    if (c == '_' || absl::ascii_isalpha(static_cast<unsigned char>(c)) ||
        (i > 0 && absl::ascii_isdigit(static_cast<unsigned char>(c)))) {
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(part, i);
    if (n == 0) return i;
    i += n;
  }
  return absl::string_view::npos;
}

std::vector<std::string> SortedUnique(std::vector<std::string> parts) {
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return parts;
}

}  // namespace

// -----------------------------------------------------------------------------
// Names

std::string CanonicalizeName(absl::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (IsNameSeparator(c)) {
      if (out.empty() || out.back() != '-') out.push_back('-');
    } else {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

bool IsValidName(absl::string_view name) {
  return FirstInvalidNameChar(name) == absl::string_view::npos;
}

absl::StatusOr<std::string> CanonicalizeValidName(absl::string_view name) {
  const size_t bad = FirstInvalidNameChar(name);
  if (bad != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "invalid project name %s: a name is ASCII letters, digits, '-', '_' "
        "and '.', starting and ending with a letter or digit (position %d)",
        Quote(name), bad));
  }
  return CanonicalizeName(name);
}

bool IsNormalizedName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (absl::ascii_islower(static_cast<unsigned char>(c)) ||
        absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      continue;
    }
    if (c != '-') return false;
    // A hyphen sits between two letters/digits: not at an edge, not doubled.
    if (i == 0 || i + 1 == name.size() || name[i + 1] == '-') return false;
  }
  return true;
}

// -----------------------------------------------------------------------------
// Versions

std::string CanonicalizeVersion(const Version& version, TrailingZeros zeros) {
  if (zeros == TrailingZeros::kKeep) return version.ToString();
  absl::Span<const uint64_t> release = version.release();
  size_t n = release.size();
  while (n > 1 && release[n - 1] == 0) --n;
  if (n == release.size()) return version.ToString();
  VersionParts parts;
  parts.epoch = version.epoch();
  parts.release.assign(release.begin(), release.begin() + n);
  parts.pre = version.pre();
  parts.post = version.post();
  parts.dev = version.dev();
  parts.local = version.local();
  absl::StatusOr<Version> trimmed = Version::FromParts(parts);
  // The parts come from a valid version, so this cannot fail; fall back to
  // the untrimmed form rather than crash if it ever does.
  if (!trimmed.ok()) return version.ToString();
  return trimmed->ToString();
}

std::string CanonicalizeVersion(absl::string_view text, TrailingZeros zeros) {
  absl::StatusOr<Version> version = Version::Parse(text);
  if (!version.ok()) return std::string(text);
  return CanonicalizeVersion(*version, zeros);
}

// -----------------------------------------------------------------------------
// Tags

Tag::Tag(absl::string_view interpreter, absl::string_view abi,
         absl::string_view platform)
    : interpreter_(absl::AsciiStrToLower(interpreter)),
      abi_(absl::AsciiStrToLower(abi)),
      platform_(absl::AsciiStrToLower(platform)) {}

std::string Tag::ToString() const {
  return absl::StrCat(interpreter_, "-", abi_, "-", platform_);
}

std::string TagSet::ToString() const {
  return absl::StrCat(absl::StrJoin(interpreters, "."), "-",
                      absl::StrJoin(abis, "."), "-",
                      absl::StrJoin(platforms, "."));
}

namespace {

// Parses a tag string whose first byte is at `offset` inside `context` (the
// whole filename, for error messages). `error` builds the status.
template <typename ErrorFn>
absl::StatusOr<TagSet> ParseTagSetAt(absl::string_view text, size_t offset,
                                     const TagSetOptions& options,
                                     ErrorFn error) {
  // Split by hand into a fixed array (no vector per call; see
  // WheelFilename::Parse).
  std::array<absl::string_view, 3> components;
  size_t component_count = 0;
  for (size_t i = 0, start = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '-') continue;
    if (component_count < components.size()) {
      components[component_count] = text.substr(start, i - start);
    }
    ++component_count;
    start = i + 1;
  }
  if (component_count != 3) {
    return error(absl::StrFormat("tag %s must have exactly three components "
                                 "(interpreter-abi-platform), not %d",
                                 Quote(text), component_count),
                 offset);
  }
  static constexpr absl::string_view kFieldNames[] = {"interpreter", "abi",
                                                      "platform"};
  std::vector<std::string> fields[3];
  size_t pos = offset;
  size_t count = 1;
  for (size_t f = 0; f < 3; ++f) {
    // The '.'-separated parts, as StrSplit gives them ("a." is "a", "").
    absl::string_view rest = components[f];
    absl::string_view previous;
    bool more = true;
    for (size_t p = 0; more; ++p) {
      const size_t dot = rest.find('.');
      const absl::string_view part = rest.substr(0, dot);
      more = dot != absl::string_view::npos;
      if (more) rest.remove_prefix(dot + 1);
      if (part.empty()) {
        return error(absl::StrFormat("tag %s has an empty %s component",
                                     Quote(text), kFieldNames[f]),
                     pos);
      }
      if (f == 0) {
        const size_t bad = FirstNonIdentifierChar(part);
        if (bad != absl::string_view::npos) {
          return error(
              absl::StrFormat("interpreter tag %s is not an identifier",
                              Quote(part)),
              pos + bad);
        }
      }
      if (options.validate_order && p > 0 && part < previous) {
        return error(
            absl::StrFormat("compressed tag set component %s must be in sorted "
                            "order per PEP 425",
                            Quote(components[f])),
            pos);
      }
      previous = part;
      fields[f].push_back(absl::AsciiStrToLower(part));
      pos += part.size() + 1;  // the part and the '.' or '-' after it
    }
    fields[f] = SortedUnique(std::move(fields[f]));
    count *= fields[f].size();
    if (count > options.max_tags) {
      return error(absl::StrFormat("tag set %s expands to more than %d tags",
                                   Quote(text), options.max_tags),
                   offset);
    }
  }
  TagSet set;
  set.tags.reserve(count);
  for (const std::string& interpreter : fields[0]) {
    for (const std::string& abi : fields[1]) {
      for (const std::string& platform : fields[2]) {
        set.tags.emplace_back(interpreter, abi, platform);
      }
    }
  }
  // Components are sorted and unique, so the product is too.
  set.interpreters = std::move(fields[0]);
  set.abis = std::move(fields[1]);
  set.platforms = std::move(fields[2]);
  return set;
}

}  // namespace

absl::StatusOr<TagSet> ParseTagSet(absl::string_view text,
                                   const TagSetOptions& options) {
  return ParseTagSetAt(
      text, 0, options, [text](absl::string_view reason, size_t position) {
        return absl::InvalidArgumentError(
            absl::StrFormat("invalid tag set %s: %s (position %d)", Quote(text),
                            reason, position));
      });
}

// -----------------------------------------------------------------------------
// Wheel filenames

std::string BuildTag::ToString() const { return absl::StrCat(number, suffix); }

absl::StatusOr<WheelFilename> WheelFilename::Parse(
    absl::string_view filename, const WheelFilenameOptions& options) {
  if (!absl::EndsWith(filename, ".whl")) {
    return WheelError(filename, "extension must be '.whl'",
                      filename.size() < 4 ? 0 : filename.size() - 4);
  }
  const absl::string_view stem = filename.substr(0, filename.size() - 4);
  // The '-'-separated parts and the byte offset of each inside `filename`,
  // in fixed arrays: this runs once per link of an index page, and vectors
  // here were several heap allocations per name.
  std::array<absl::string_view, 6> parts;
  std::array<size_t, 6> offsets{};
  size_t part_count = 0;
  for (size_t i = 0, start = 0; i <= stem.size(); ++i) {
    if (i < stem.size() && stem[i] != '-') continue;
    if (part_count < parts.size()) {
      parts[part_count] = stem.substr(start, i - start);
      offsets[part_count] = start;
    }
    ++part_count;
    start = i + 1;
  }
  if (part_count != 5 && part_count != 6) {
    return WheelError(
        filename,
        absl::StrFormat("wrong number of '-'-separated parts: %d, expected "
                        "name-version[-build]-python-abi-platform",
                        part_count),
        0);
  }

  WheelFilename wheel;

  // PEP 427: the name is escaped to word characters, '.' and '_', and never
  // contains "__" (an escaped run is a single '_').
  const absl::string_view name = parts[0];
  if (name.empty()) return WheelError(filename, "empty project name", 0);
  for (size_t i = 0; i < name.size();) {
    const char c = name[i];
    if (c == '_' && i + 1 < name.size() && name[i + 1] == '_') {
      return WheelError(
          filename,
          absl::StrFormat("invalid project name %s: \"__\"", Quote(name)), i);
    }
    if (IsAsciiAlnum(c) || c == '_' || c == '.') {
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(name, i);
    if (n == 0) {
      return WheelError(filename,
                        absl::StrFormat("invalid project name %s: character %s",
                                        Quote(name), Quote(name.substr(i, 1))),
                        i);
    }
    i += n;
  }
  wheel.name_ = CanonicalizeName(name);

  absl::StatusOr<Version> version = Version::Parse(parts[1]);
  if (!version.ok()) {
    return WheelError(filename,
                      absl::StrCat("invalid version ", Quote(parts[1]), ": ",
                                   version.status().message()),
                      offsets[1]);
  }
  wheel.version_ = *std::move(version);

  if (part_count == 6) {
    const absl::string_view build = parts[2];
    size_t digits = 0;
    while (digits < build.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(build[digits]))) {
      ++digits;
    }
    BuildTag tag;
    if (digits == 0) {
      return WheelError(
          filename,
          absl::StrFormat("invalid build tag %s: must start with a digit",
                          Quote(build)),
          offsets[2]);
    }
    if (!ParseUint64(build.substr(0, digits), &tag.number)) {
      return WheelError(filename,
                        absl::StrFormat("build number %s is out of range",
                                        Quote(build.substr(0, digits))),
                        offsets[2]);
    }
    tag.suffix = std::string(build.substr(digits));
    wheel.build_ = std::move(tag);
  }

  const size_t tags_at = offsets[part_count - 3];
  const absl::string_view tag_text = stem.substr(tags_at);
  absl::StatusOr<TagSet> tags =
      ParseTagSetAt(tag_text, tags_at,
                    TagSetOptions{.validate_order = options.validate_order,
                                  .max_tags = options.max_tags},
                    [filename](absl::string_view reason, size_t position) {
                      return WheelError(filename, reason, position);
                    });
  if (!tags.ok()) return tags.status();
  wheel.tag_set_ = *std::move(tags);
  return wheel;
}

std::string WheelFilename::ToString() const {
  std::string out =
      absl::StrCat(FilenameEscapedName(name_), "-", version_.ToString());
  if (build_.has_value()) absl::StrAppend(&out, "-", build_->ToString());
  absl::StrAppend(&out, "-", tag_set_.ToString(), ".whl");
  return out;
}

// -----------------------------------------------------------------------------
// Sdist filenames

absl::StatusOr<SdistFilename> SdistFilename::Parse(absl::string_view filename) {
  SdistFilename sdist;
  absl::string_view stem;
  if (absl::EndsWith(filename, ".tar.gz")) {
    stem = filename.substr(0, filename.size() - 7);
    sdist.format_ = SdistFormat::kTarGz;
  } else if (absl::EndsWith(filename, ".zip")) {
    stem = filename.substr(0, filename.size() - 4);
    sdist.format_ = SdistFormat::kZip;
  } else {
    return SdistError(filename, "extension must be '.tar.gz' or '.zip'",
                      filename.rfind('.') == absl::string_view::npos
                          ? filename.size()
                          : filename.rfind('.'));
  }
  // A PEP 440 version never contains '-', so the version follows the last.
  const size_t dash = stem.rfind('-');
  if (dash == absl::string_view::npos) {
    return SdistError(filename, "a '-' must separate name and version", 0);
  }
  if (dash == 0) return SdistError(filename, "empty project name", 0);
  const absl::string_view version_text = stem.substr(dash + 1);
  absl::StatusOr<Version> version = Version::Parse(version_text);
  if (!version.ok()) {
    return SdistError(filename,
                      absl::StrCat("invalid version ", Quote(version_text),
                                   ": ", version.status().message()),
                      dash + 1);
  }
  sdist.name_ = CanonicalizeName(stem.substr(0, dash));
  sdist.version_ = *std::move(version);
  return sdist;
}

std::string SdistFilename::ToString() const {
  return absl::StrCat(FilenameEscapedName(name_), "-", version_.ToString(),
                      format_ == SdistFormat::kTarGz ? ".tar.gz" : ".zip");
}

}  // namespace relkit
