// File: relkit/conventions.h
// -----------------------------------------------------------------------------
//
// PyTorch's release conventions on top of PEP 440 versions: RC git tags
// (`v2.4.0-rc1`), release branches (`release/2.4`, `orig/release/2.4`),
// nightly versions (`2.5.0.dev20240801`), accelerator local labels
// (`+cu121`, `+rocm6.1`, `+cpu`, `+xpu`) and the version bumps of the
// release process.
//
//   absl::StatusOr<relkit::RcTag> tag = relkit::RcTag::Parse("v2.4.0-rc1");
//   if (!tag.ok()) return tag.status();     // InvalidArgument naming position
//   tag->version().ToString();              // "2.4.0rc1"
//   tag->final_version().ToString();        // "2.4.0"
//   relkit::ReleaseBranch::ForVersion(tag->version())->ToString();
//                                           // "release/2.4"
//
//   absl::StatusOr<relkit::Accelerator> acc =
//       relkit::Accelerator::Parse("cu121");
//   acc->kind();                            // AcceleratorKind::kCuda
//   acc->VersionString();                   // "12.1"
//   *relkit::Accelerator::Parse("rocm7.14") >
//       *relkit::Accelerator::Parse("rocm7.2");  // true: numeric
//
//   std::vector<std::string> tags = {"v2.4.0-rc1", "v2.4.0-rc2"};
//   relkit::NextRcTag(*relkit::Version::Parse("2.4.0"), tags)->ToString();
//                                           // "v2.4.0-rc3"
//
// All types are plain values: copyable, ordered, hashable with absl::Hash,
// printable with `ToString()`. Versions with an epoch have no PyTorch form:
// the functions here reject them with InvalidArgument.

#ifndef RELKIT_CONVENTIONS_H_
#define RELKIT_CONVENTIONS_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "relkit/version.h"

namespace relkit {

// -----------------------------------------------------------------------------
// RC and final git tags

// Options for `RcTag::Parse`.
struct RcTagOptions {
  // Also accept a two-component release (`v1.8-rc1`, seen once in
  // pytorch/text). Off by default: PyTorch's own check is
  // `^v[0-9]+\.[0-9]+\.[0-9]+-rc[0-9]+$`.
  bool allow_two_component_release = false;
};

// A release git tag: `vMAJOR.MINOR.PATCH-rcN` for a release candidate, or
// `vMAJOR.MINOR.PATCH` for the final release. Numbers are decimal without
// leading zeros; `-rc0` is allowed (torchtext used it).
class RcTag {
 public:
  // Parses `tag` strictly: lower-case `v`, three numeric release components
  // (two with `allow_two_component_release`), optional `-rc` and a number,
  // nothing else (no whitespace, no `refs/tags/`). Returns InvalidArgument
  // naming the tag and the byte position of the first offending character.
  static absl::StatusOr<RcTag> Parse(absl::string_view tag,
                                     const RcTagOptions& options = {});

  // Returns the tag of `version`: `2.4.0rc1` -> `v2.4.0-rc1`, `2.4.0` ->
  // `v2.4.0`, `2.4` -> `v2.4.0`. Returns InvalidArgument for versions that
  // have no tag form: alpha/beta, dev, post or local versions, an epoch, or
  // more than three release components (unless the extra ones are zero).
  static absl::StatusOr<RcTag> FromVersion(const Version& version);

  // The final tag `v0.0.0`; only useful as a placeholder.
  RcTag() = default;

  uint64_t major() const { return major_; }
  uint64_t minor() const { return minor_; }
  uint64_t patch() const { return patch_; }
  // The RC number, or nullopt for a final tag.
  const std::optional<uint64_t>& rc() const { return rc_; }
  bool is_rc() const { return rc_.has_value(); }

  // Returns the PEP 440 version the tag builds: `2.4.0rc1` or `2.4.0`.
  const Version& version() const { return version_; }
  // Returns the final version the tag leads to: `2.4.0` for `v2.4.0-rc1`.
  const Version& final_version() const { return final_version_; }
  // Returns the final tag for the same release: `v2.4.0` for `v2.4.0-rc1`.
  RcTag Final() const;

  // Returns the tag text: `v2.4.0-rc1` (`v1.8-rc1` when parsed so).
  std::string ToString() const;

  friend bool operator==(const RcTag& a, const RcTag& b) {
    return a.Key() == b.Key();
  }
  // Orders by release, then RCs before the final tag, then by RC number
  // (`v2.4.0-rc1 < v2.4.0-rc2 < v2.4.0 < v2.4.1-rc1`); a two-component
  // spelling sorts just before the three-component one.
  friend std::strong_ordering operator<=>(const RcTag& a, const RcTag& b) {
    return a.Key() <=> b.Key();
  }
  template <typename H>
  friend H AbslHashValue(H h, const RcTag& t) {
    return H::combine(std::move(h), t.Key());
  }

 private:
  static absl::StatusOr<RcTag> Make(uint64_t major, uint64_t minor,
                                    uint64_t patch, std::optional<uint64_t> rc,
                                    bool two_components);
  std::tuple<uint64_t, uint64_t, uint64_t, bool, uint64_t, bool> Key() const {
    return {major_,           minor_,          patch_,
            !rc_.has_value(), rc_.value_or(0), !two_components_};
  }

  uint64_t major_ = 0;
  uint64_t minor_ = 0;
  uint64_t patch_ = 0;
  std::optional<uint64_t> rc_;
  bool two_components_ = false;
  Version version_;
  Version final_version_;
};

// -----------------------------------------------------------------------------
// Release branches

// A release branch `release/MAJOR.MINOR`, or its untouched cut point
// `orig/release/MAJOR.MINOR`.
class ReleaseBranch {
 public:
  // Parses `release/X.Y` or `orig/release/X.Y` (decimal, no leading zeros,
  // nothing else: not `release/0.18.0`, not `refs/heads/release/2.4`).
  // Returns InvalidArgument naming the branch and the position.
  static absl::StatusOr<ReleaseBranch> Parse(absl::string_view branch);

  // Returns `release/X.Y` for any version X.Y.*. Returns InvalidArgument for
  // a version with an epoch.
  static absl::StatusOr<ReleaseBranch> ForVersion(const Version& version);

  // `release/0.0`.
  ReleaseBranch() = default;

  uint64_t major() const { return major_; }
  uint64_t minor() const { return minor_; }
  // True for `orig/release/X.Y`.
  bool is_orig() const { return orig_; }

  // Returns `release/X.Y` for both spellings.
  ReleaseBranch Release() const;
  // Returns `orig/release/X.Y` for both spellings.
  ReleaseBranch Orig() const;
  // Returns true when `version` belongs on this branch (X.Y.*, no epoch).
  bool Contains(const Version& version) const;

  // Returns `release/X.Y` or `orig/release/X.Y`.
  std::string ToString() const;

  friend bool operator==(const ReleaseBranch&, const ReleaseBranch&) = default;
  // Orders numerically by (major, minor), `release/` before `orig/release/`.
  friend std::strong_ordering operator<=>(const ReleaseBranch&,
                                          const ReleaseBranch&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const ReleaseBranch& b) {
    return H::combine(std::move(h), b.major_, b.minor_, b.orig_);
  }

 private:
  uint64_t major_ = 0;
  uint64_t minor_ = 0;
  bool orig_ = false;
};

// -----------------------------------------------------------------------------
// Nightly versions

// Returns the date of a nightly version (`2.5.0.dev20240801` -> 2024-08-01):
// the dev number read as YYYYMMDD when it is a valid calendar date between
// 1000-01-01 and 9999-12-31; nullopt when there is no dev number or it is
// not such a date (`1.0.dev0`, `1.0.dev20241301`).
std::optional<absl::CivilDay> NightlyDate(const Version& version);

// Returns the nightly version for `base` built on `day`: the epoch and
// release of `base` with dev number YYYYMMDD and `base`'s local label
// (`2.5.0a0` + 2024-08-01 -> `2.5.0.dev20240801`, `2.5.0+cu121` ->
// `2.5.0.dev20240801+cu121`). Pre, post and dev segments of `base` are
// dropped. Returns InvalidArgument when the year is outside 1000..9999.
absl::StatusOr<Version> MakeNightlyVersion(const Version& base,
                                           absl::CivilDay day);

// -----------------------------------------------------------------------------
// Accelerator local labels

// The accelerator a wheel is built for, in sort order.
enum class AcceleratorKind : uint8_t { kCpu, kCuda, kRocm, kXpu };

// Returns "cpu", "cuda", "rocm" or "xpu".
absl::string_view AcceleratorKindName(AcceleratorKind kind);

// The accelerator of a PyTorch local version label: `cpu`, `cu121` (CUDA
// 12.1), `rocm6.1` / `rocm5.4.2` (ROCm), `xpu`, optionally followed by
// variant segments (`cpu.cxx11.abi`, `cu121.with.pypi.cudnn`).
class Accelerator {
 public:
  // Parses a local label with or without the leading `+`, in any spelling
  // PEP 440 allows for local labels (case-insensitive; `.`, `-`, `_` as
  // separators: `cpu-cxx11-abi` is `cpu.cxx11.abi`). CUDA is `cu` and at
  // least two digits, the last one being the minor version (`cu92` is 9.2,
  // `cu121` is 12.1, `cu130` is 13.0). ROCm is `rocm` and one or more
  // dot-separated numbers (`rocm6.1`, `rocm5.4.2`). The number joined to `cu`
  // or `rocm` has no leading zero; later numeric segments are PEP 440
  // integers (`rocm6.01` is `rocm6.1`). Returns InvalidArgument naming the
  // label and the position otherwise.
  static absl::StatusOr<Accelerator> Parse(absl::string_view label);

  // Returns the accelerator of `version`'s local label, or nullopt when it
  // has none (macOS wheels, PyPI uploads). Returns InvalidArgument when the
  // local label is not an accelerator label (`1.0+ubuntu1`).
  static absl::StatusOr<std::optional<Accelerator>> FromVersion(
      const Version& version);

  // Returns the CPU / XPU accelerator.
  static Accelerator Cpu();
  static Accelerator Xpu();
  // Returns the CUDA accelerator for a dotted version such as "12.1" (the
  // build matrix's gpu_arch_version). Returns InvalidArgument unless it is
  // MAJOR.MINOR with a single-digit minor (the short form cannot say 12.10).
  static absl::StatusOr<Accelerator> Cuda(absl::string_view dotted_version);
  // Returns the ROCm accelerator for a dotted version such as "6.1" or
  // "5.4.2". Returns InvalidArgument when it is not numbers and dots.
  static absl::StatusOr<Accelerator> Rocm(absl::string_view dotted_version);

  // `cpu`.
  Accelerator() = default;

  AcceleratorKind kind() const { return kind_; }
  // The version components ({12, 1} for cu121, {6, 1} for rocm6.1); empty
  // for CPU and XPU.
  absl::Span<const uint64_t> version() const { return version_; }
  // The segments after the accelerator, normalised ("cxx11.abi"), or "".
  const std::string& variant() const { return variant_; }

  // Returns the dotted version ("12.1", "6.1"), or "" for CPU and XPU.
  std::string VersionString() const;
  // Returns the normalised local label without `+`: "cu121", "rocm6.1",
  // "cpu", "xpu", "cpu.cxx11.abi". Parsing it yields an equal value.
  std::string ToString() const;

  friend bool operator==(const Accelerator&, const Accelerator&) = default;
  // Orders by kind, then numerically by version (rocm7.2 < rocm7.14), then
  // by variant (none first).
  friend std::strong_ordering operator<=>(const Accelerator&,
                                          const Accelerator&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Accelerator& a) {
    return H::combine(std::move(h), a.kind_, a.version_, a.variant_);
  }

 private:
  AcceleratorKind kind_ = AcceleratorKind::kCpu;
  std::vector<uint64_t> version_;
  std::string variant_;
};

// Returns "cu121" for "12.1" (the build matrix's two spellings of a CUDA
// version). Returns InvalidArgument as `Accelerator::Cuda` does.
absl::StatusOr<std::string> CudaShortForm(absl::string_view dotted_version);
// Returns "12.1" for "cu121". Returns InvalidArgument unless `short_form` is
// a CUDA label without variant.
absl::StatusOr<std::string> CudaDottedForm(absl::string_view short_form);

// Returns `version` with its local label replaced by `accelerator`'s
// (`2.4.0` + cu121 -> `2.4.0+cu121`).
absl::StatusOr<Version> WithAccelerator(const Version& version,
                                        const Accelerator& accelerator);

// -----------------------------------------------------------------------------
// Version bumps. Each keeps only the release numbers of its input (and
// returns InvalidArgument for an epoch, or when a number would overflow).

// Returns the next minor release: 2.4.1 -> 2.5.0, 2.5.0a0 -> 2.6.0.
absl::StatusOr<Version> NextMinor(const Version& version);

// Returns the next patch release: 2.4.0 -> 2.4.1, 2.4 -> 2.4.1.
absl::StatusOr<Version> NextPatch(const Version& version);

// Returns the main branch's next version.txt after a branch cut:
// 2.5.0a0 -> 2.6.0a0 (MAJOR.(MINOR+1).0a0).
absl::StatusOr<Version> NextMainVersion(const Version& version);

// Returns the next RC tag for the final release `version` given the
// repository's tags (any strings; those that are not RC tags, or are RC tags
// of other releases, are ignored; `v1.8-rc1` counts for 1.8.0): one more than
// the highest existing RC number, or `-rc1` when there is none. Returns
// InvalidArgument when `version` is not a plain final release, and
// FailedPrecondition when the final tag `vX.Y.Z` already exists.
absl::StatusOr<RcTag> NextRcTag(const Version& version,
                                absl::Span<const std::string> existing_tags);

}  // namespace relkit

#endif  // RELKIT_CONVENTIONS_H_
