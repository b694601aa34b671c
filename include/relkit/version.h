// File: relkit/version.h
// -----------------------------------------------------------------------------
//
// PEP 440 versions, complete and exact: the same parse, normal form and total
// ordering as `packaging.version.Version` (packaging 26.x).
//
//   absl::StatusOr<relkit::Version> v = relkit::Version::Parse("2.4.0-RC1");
//   if (!v.ok()) return v.status();         // InvalidArgument naming position
//   v->ToString();                          // "2.4.0rc1"
//   v->is_prerelease();                     // true
//   *v < *relkit::Version::Parse("2.4.0");  // true
//
// `Version` is a cheap, copyable value: equality and hashing follow PEP 440
// (`1.0 == 1.0.0`, and both hash equal). Numeric components are limited to
// unsigned 64-bit values; a longer number is rejected as `InvalidArgument`
// (packaging rejects numbers past Python's int-digit limit the same way).

#ifndef RELKIT_VERSION_H_
#define RELKIT_VERSION_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace relkit {

// The three kinds of pre-release, in PEP 440 order.
enum class PreReleaseKind : uint8_t { kAlpha, kBeta, kReleaseCandidate };

// Returns the normal-form letter of `kind`: "a", "b" or "rc".
absl::string_view PreReleaseLetter(PreReleaseKind kind);

// Parses a pre-release letter in any spelling that PEP 440 accepts ("a",
// "alpha", "b", "beta", "c", "rc", "pre", "preview"; any ASCII case), as
// packaging's `Version.from_parts(pre=...)` does. Returns InvalidArgument for
// anything else.
absl::StatusOr<PreReleaseKind> ParsePreReleaseLetter(absl::string_view letter);

// A pre-release segment such as `a1`, `b2` or `rc3`.
struct PreRelease {
  PreReleaseKind kind = PreReleaseKind::kAlpha;
  uint64_t number = 0;

  friend bool operator==(const PreRelease&, const PreRelease&) = default;
  friend auto operator<=>(const PreRelease&, const PreRelease&) = default;
};

// The components of a version, for building one without a string
// (`Version::FromParts`). `local` is the text after `+`, in any spelling that
// PEP 440 accepts ("ubuntu-1", "CU121").
struct VersionParts {
  uint64_t epoch = 0;
  std::vector<uint64_t> release;  // empty is treated as {0}
  std::optional<PreRelease> pre;
  std::optional<uint64_t> post;
  std::optional<uint64_t> dev;
  std::optional<std::string> local;
};

class Version {
 public:
  // Parses `text` as a PEP 440 version in any spelling that PEP 440 allows
  // (case-insensitive, `v` prefix, separators `.`, `-`, `_`, spelled-out
  // pre-release words, implicit post `1.0-1`, surrounding whitespace).
  // Returns InvalidArgument naming the input and the byte position of the
  // first character that does not fit.
  static absl::StatusOr<Version> Parse(absl::string_view text);

  // Builds a version from its components. Returns InvalidArgument when the
  // local label is not a valid PEP 440 local label.
  static absl::StatusOr<Version> FromParts(const VersionParts& parts);

  // The version `0`.
  Version();

  uint64_t epoch() const { return epoch_; }
  // The release numbers as written (trailing zeros kept: `1.0` is {1, 0}).
  absl::Span<const uint64_t> release() const { return release_; }
  const std::optional<PreRelease>& pre() const { return pre_; }
  const std::optional<uint64_t>& post() const { return post_; }
  const std::optional<uint64_t>& dev() const { return dev_; }
  // The normalised local label (lower case, `.`-separated, numeric segments
  // without leading zeros), or nullopt when there is none.
  const std::optional<std::string>& local() const { return local_; }

  // Returns release()[0], [1], [2], or 0 when the release is shorter.
  uint64_t major() const { return ReleaseAt(0); }
  uint64_t minor() const { return ReleaseAt(1); }
  uint64_t micro() const { return ReleaseAt(2); }

  // True for dev releases and for versions with a pre-release segment.
  bool is_prerelease() const { return pre_.has_value() || dev_.has_value(); }
  bool is_postrelease() const { return post_.has_value(); }
  bool is_devrelease() const { return dev_.has_value(); }

  // Returns the normal form ("1!2.0rc1.post2.dev3+abc.1").
  std::string ToString() const;
  // Returns the normal form without the local label ("1.0+cu121" -> "1.0").
  std::string PublicVersion() const;
  // Returns epoch (when not 0) and release only ("1!2.0rc1" -> "1!2.0").
  std::string BaseVersion() const;

  // Returns a copy without the local label.
  Version WithoutLocal() const;

  // Three-way PEP 440 comparison (`1.0.dev0 < 1.0a1 < 1.0 < 1.0+local <
  // 1.0.post1`). Trailing zeros of the release do not matter.
  friend std::strong_ordering operator<=>(const Version& a, const Version& b);
  friend bool operator==(const Version& a, const Version& b) {
    return (a <=> b) == std::strong_ordering::equal;
  }

  template <typename H>
  friend H AbslHashValue(H h, const Version& v) {
    size_t n = v.release_.size();
    while (n > 1 && v.release_[n - 1] == 0) --n;  // 1.0 and 1.0.0 hash equal
    h = H::combine(std::move(h), v.epoch_, n);
    for (size_t i = 0; i < n; ++i) h = H::combine(std::move(h), v.release_[i]);
    return H::combine(std::move(h), v.pre_.has_value(),
                      v.pre_ ? static_cast<int>(v.pre_->kind) : 0,
                      v.pre_ ? v.pre_->number : 0, v.post_, v.dev_, v.local_);
  }

 private:
  uint64_t ReleaseAt(size_t i) const {
    return i < release_.size() ? release_[i] : 0;
  }

  uint64_t epoch_ = 0;
  absl::InlinedVector<uint64_t, 4> release_;
  std::optional<PreRelease> pre_;
  std::optional<uint64_t> post_;
  std::optional<uint64_t> dev_;
  std::optional<std::string> local_;
};

// Batch operations for scripts that handle many versions at once.

// Parses every string; fails on the first invalid one, naming its index.
absl::StatusOr<std::vector<Version>> ParseVersions(
    absl::Span<const absl::string_view> texts);

// Sorts `versions` ascending in PEP 440 order (stable for equal versions).
void SortVersions(std::vector<Version>& versions);

// What batch functions do with strings that are not valid versions.
enum class InvalidVersions : uint8_t { kError, kSkip };

// Parses `texts` and returns the indices of the valid ones in ascending
// version order (stable: equal versions keep their input order). Strings that
// are not valid versions are left out when `invalid` is kSkip and are an
// InvalidArgument error naming their index otherwise. Cheapest way to sort
// when the caller keeps its own strings (the Python binding does).
absl::StatusOr<std::vector<size_t>> SortVersionOrder(
    absl::Span<const absl::string_view> texts, InvalidVersions invalid);

// Parses and sorts `texts`, returning the original strings in ascending
// version order; `invalid` as for SortVersionOrder.
absl::StatusOr<std::vector<std::string>> SortVersionStrings(
    absl::Span<const absl::string_view> texts,
    InvalidVersions invalid = InvalidVersions::kError);

// Returns the index of the greatest valid version in `texts`, or NotFound
// when none of them is a valid version. Invalid strings are skipped.
absl::StatusOr<size_t> MaxVersionIndex(
    absl::Span<const absl::string_view> texts);

}  // namespace relkit

#endif  // RELKIT_VERSION_H_
