// File: relkit/wheel.h
// -----------------------------------------------------------------------------
//
// Distribution names, wheel tags and wheel/sdist filenames: the same rules as
// `packaging.utils` (canonicalize_name, canonicalize_version,
// parse_wheel_filename, parse_sdist_filename) and `packaging.tags.Tag`.
//
//   absl::StatusOr<relkit::WheelFilename> w = relkit::WheelFilename::Parse(
//       "torch-2.4.0+cu121-cp312-cp312-"
//       "manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
//   if (!w.ok()) return w.status();    // InvalidArgument: file and reason
//   w->name();                         // "torch"
//   w->version().ToString();           // "2.4.0+cu121"
//   w->tags().size();                  // 2 (the compressed set, expanded)
//   w->platform_tags();                // {"manylinux2014_x86_64",
//                                      //  "manylinux_2_17_x86_64"}
//
//   relkit::CanonicalizeName("Foo.Bar_baz");      // "foo-bar-baz"
//   relkit::CanonicalizeVersion("2.4.0");         // "2.4"
//
// All types here are plain values: copyable, comparable with `==`, hashable
// with absl::Hash, and printable with `ToString()`.
//
// Deviation from Python: only ASCII letters are lower-cased, and any
// well-formed non-ASCII UTF-8 character counts as a word character (`\w`)
// in a wheel's project name and interpreter tags.

#ifndef RELKIT_WHEEL_H_
#define RELKIT_WHEEL_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/version.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Names (PEP 503 / core metadata `Name`)

// Returns the PEP 503 normal form of `name`: ASCII letters lower-cased and
// every run of `-`, `_`, `.` replaced by a single `-`. Does not validate:
// `"_not_legal"` becomes `"-not-legal"`.
std::string CanonicalizeName(absl::string_view name);

// Returns true when `name` is a valid distribution name (core metadata:
// ASCII letters, digits, `-`, `_`, `.`, starting and ending with a letter or
// digit).
bool IsValidName(absl::string_view name);

// Returns the PEP 503 normal form of `name` after checking that it is a valid
// distribution name. Returns InvalidArgument naming the name and the position
// of the first offending character otherwise.
absl::StatusOr<std::string> CanonicalizeValidName(absl::string_view name);

// Returns true when `name` is already a normalised, valid name: lower-case
// ASCII letters and digits separated by single hyphens ("foo-bar", not
// "Foo", "foo--bar" or "-foo").
bool IsNormalizedName(absl::string_view name);

// -----------------------------------------------------------------------------
// Versions

// Whether `CanonicalizeVersion` strips trailing zero release components.
enum class TrailingZeros : uint8_t { kStrip, kKeep };

// Returns the normal form of `version`, by default with trailing `.0`
// release components removed ("1.0.0+abc" -> "1+abc", "100!0.0" -> "100!0";
// at least one component stays).
std::string CanonicalizeVersion(const Version& version,
                                TrailingZeros zeros = TrailingZeros::kStrip);

// Parses `text` and returns `CanonicalizeVersion` of it; returns `text`
// unchanged when it is not a valid PEP 440 version ("lolwat" -> "lolwat").
std::string CanonicalizeVersion(absl::string_view text,
                                TrailingZeros zeros = TrailingZeros::kStrip);

// -----------------------------------------------------------------------------
// Tags (PEP 425)

// One wheel tag triple such as `cp312-cp312-manylinux_2_17_x86_64`. The
// components are stored lower-cased, as `packaging.tags.Tag` does.
class Tag {
 public:
  // The empty tag "--"; only useful as a placeholder.
  Tag() = default;
  // Builds a tag from its three components, lower-casing ASCII letters. Does
  // not validate (see `ParseTagSet`).
  Tag(absl::string_view interpreter, absl::string_view abi,
      absl::string_view platform);

  const std::string& interpreter() const { return interpreter_; }
  const std::string& abi() const { return abi_; }
  const std::string& platform() const { return platform_; }

  // Returns "interpreter-abi-platform".
  std::string ToString() const;

  friend bool operator==(const Tag&, const Tag&) = default;
  // Orders by interpreter, then abi, then platform (byte-wise).
  friend std::strong_ordering operator<=>(const Tag&, const Tag&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const Tag& t) {
    return H::combine(std::move(h), t.interpreter_, t.abi_, t.platform_);
  }

 private:
  std::string interpreter_;
  std::string abi_;
  std::string platform_;
};

// Options for parsing compressed tag sets.
struct TagSetOptions {
  // Require every dotted component list to be sorted, as PEP 425 asks
  // (`py2.py3`, not `py3.py2`).
  bool validate_order = false;
  // The largest number of tags a compressed set may expand to; protects
  // against inputs such as 100 interpreters x 100 ABIs x 100 platforms.
  size_t max_tags = 4096;
};

// A parsed compressed tag set such as `py2.py3-none-any`: the dotted
// component lists (lower-cased, sorted, without duplicates) and their
// expansion into every combination.
struct TagSet {
  std::vector<std::string> interpreters;
  std::vector<std::string> abis;
  std::vector<std::string> platforms;
  std::vector<Tag> tags;  // sorted, without duplicates

  // Returns the compressed form, components sorted ("py2.py3-none-any").
  std::string ToString() const;

  friend bool operator==(const TagSet&, const TagSet&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const TagSet& s) {
    return H::combine(std::move(h), s.tags);
  }
};

// Parses a (possibly compressed) tag string: exactly three `-`-separated
// components, each a `.`-separated list of non-empty parts, interpreters
// being identifiers. Returns InvalidArgument naming the text, the position
// and the reason when it is malformed, unsorted (with `validate_order`) or
// expands to more than `max_tags` tags.
absl::StatusOr<TagSet> ParseTagSet(absl::string_view text,
                                   const TagSetOptions& options = {});

// -----------------------------------------------------------------------------
// Wheel filenames (PEP 427 / PEP 491)

// The optional build tag of a wheel: leading digits and the rest ("1000abc"
// is {1000, "abc"}). Build tags sort numerically, then by suffix.
struct BuildTag {
  uint64_t number = 0;
  std::string suffix;

  // Returns the tag as written in a filename ("1000abc").
  std::string ToString() const;

  friend bool operator==(const BuildTag&, const BuildTag&) = default;
  friend std::strong_ordering operator<=>(const BuildTag&,
                                          const BuildTag&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const BuildTag& b) {
    return H::combine(std::move(h), b.number, b.suffix);
  }
};

// Options for `WheelFilename::Parse`.
struct WheelFilenameOptions {
  // Require sorted compressed tag set components (PEP 425).
  bool validate_order = false;
  // See `TagSetOptions::max_tags`.
  size_t max_tags = 4096;
};

// A parsed wheel filename
// `{name}-{version}[-{build}]-{python}-{abi}-{platform}.whl`.
class WheelFilename {
 public:
  // Parses `filename` (a base name, no directory) like
  // `packaging.utils.parse_wheel_filename`. Returns InvalidArgument naming
  // the filename, the reason and the byte position when it is not a valid
  // wheel filename (extension, number of parts, project name, version, build
  // tag, tags, unsorted tags when `validate_order` is set).
  static absl::StatusOr<WheelFilename> Parse(
      absl::string_view filename, const WheelFilenameOptions& options = {});

  // The canonical project name ("some_PACKAGE" -> "some-package").
  const std::string& name() const { return name_; }
  const Version& version() const { return version_; }
  const std::optional<BuildTag>& build() const { return build_; }
  // The expanded tag set, sorted and without duplicates.
  const std::vector<Tag>& tags() const { return tag_set_.tags; }
  // The components of the compressed tag set (lower-cased, sorted, without
  // duplicates): which interpreters, ABIs and platforms the wheel is for.
  const std::vector<std::string>& python_tags() const {
    return tag_set_.interpreters;
  }
  const std::vector<std::string>& abi_tags() const { return tag_set_.abis; }
  const std::vector<std::string>& platform_tags() const {
    return tag_set_.platforms;
  }
  const TagSet& tag_set() const { return tag_set_; }

  // Returns the normalised filename: name with `_` for `-`, normal-form
  // version, build tag, sorted compressed tags
  // ("Foo.Bar-1.0.0-py3.py2-none-any.whl" ->
  // "foo_bar-1.0.0-py2.py3-none-any.whl"). Parsing the result yields an equal
  // value.
  std::string ToString() const;

  // Equal when name, version (PEP 440 equality), build tag and tag set are.
  friend bool operator==(const WheelFilename&, const WheelFilename&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const WheelFilename& w) {
    // absl::Hash of this abseil release cannot hash std::optional of a
    // user type, so the build tag is hashed by hand.
    return H::combine(std::move(h), w.name_, w.version_, w.build_.has_value(),
                      w.build_.value_or(BuildTag{}), w.tag_set_);
  }

 private:
  std::string name_;
  Version version_;
  std::optional<BuildTag> build_;
  TagSet tag_set_;
};

// -----------------------------------------------------------------------------
// Source distribution filenames

// The archive format of an sdist.
enum class SdistFormat : uint8_t { kTarGz, kZip };

// A parsed source distribution filename `{name}-{version}.tar.gz` (or `.zip`).
class SdistFilename {
 public:
  // Parses `filename` like `packaging.utils.parse_sdist_filename`: the
  // version follows the last `-`. Returns InvalidArgument naming the filename
  // and the reason when the extension is not `.tar.gz`/`.zip`, there is no
  // `-`, the name is empty or the version is invalid.
  static absl::StatusOr<SdistFilename> Parse(absl::string_view filename);

  // The canonical project name.
  const std::string& name() const { return name_; }
  const Version& version() const { return version_; }
  SdistFormat format() const { return format_; }

  // Returns the normalised filename ("foo_bar-1.0.tar.gz").
  std::string ToString() const;

  friend bool operator==(const SdistFilename&, const SdistFilename&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const SdistFilename& s) {
    return H::combine(std::move(h), s.name_, s.version_, s.format_);
  }

 private:
  std::string name_;
  Version version_;
  SdistFormat format_ = SdistFormat::kTarGz;
};

}  // namespace relkit

#endif  // RELKIT_WHEEL_H_
