// File: relkit/promotion.h
// -----------------------------------------------------------------------------
//
// The promotion plan: which files of a release set go from a test channel
// (`whl/test/`, `libtorch/test/`) to the release channel (`whl/`,
// `libtorch/`), what already sits there, and what stops the promotion. A
// plan is a value: computing it reads both stores and changes nothing.
//
//   relkit::ReleaseSet set = file->ToReleaseSet();  // release_versions.sh
//   absl::StatusOr<relkit::PromotionPlan> plan = relkit::PlanPromotion(
//       set, {.store = &test_bucket, .prefix = "whl/test/"},
//       {.store = &release_bucket, .prefix = "whl/"},
//       {.packages = {"torch", "torchvision"}});
//   if (!plan.ok()) return plan.status();  // a store could not be read
//   plan->ok();      // false: an RC version, a conflict, nothing to copy ...
//   plan->copies;    // source key -> destination key, size, sha256
//
// How the plan is made:
//   - every object under the source prefix is listed (all pages), and each
//     requested package version's files are selected by parsed name
//     (relkit/artifact_name.h: never by glob);
//   - a selected file's destination key is the destination prefix followed
//     by the file's key below the source prefix
//     (`whl/test/cu121/x.whl` -> `whl/cu121/x.whl`);
//   - the sha256 of a file is its `checksum-sha256` metadata (a Head of the
//     source object), when it has one; with `PromotionLocation::open` the
//     Heads run `PromotionOptions::head_jobs` at a time (same plan);
//   - the destination prefix is listed once; a key that exists there is
//     "already there" when the sizes match and the sha256s match (or one of
//     them is unknown: then compared by size only), and a conflict otherwise.
//
// Problems (errors make `ok()` false; warnings do not):
//   kReleaseSet     a problem of the release set (errors, except the
//                   variables it still uses as the shell does: a former
//                   variable name, a variable or package set twice)
//   kNotGa          a requested version is a pre- or dev-release: "must be
//                   a GA version"; none of its files are planned
//   kUnknownPackage a requested package the release set does not name
//   kNothingToCopy  no file of a requested package version in the source
//   kConflict       the destination holds other content under a planned key
//   kUnreadableName warning: a key that looks like an artifact but does not
//                   parse (never selected)
//   kBadChecksum    warning: a `checksum-sha256` that is not 64 hex digits
//                   (treated as unknown)
//   kIncomplete     a torch wheel the build matrix expects is not in the
//                   source (when `expected_torch_wheels` is given); a
//                   warning with `allow_incomplete`
//
// With a mirror (`PromotionOptions::mirror`, e.g. an R2 bucket with its own
// credentials), every selected file also goes to the mirror prefix plus its
// key below the source prefix; the mirror is listed once and compared the
// same way (`mirror_copies`, `mirror_already_present`, conflicts naming the
// mirror key).
//
// With `overwrite`, a conflict is a warning and the copy is planned with
// `PlannedCopy::overwrite` set. Applying a plan: relkit/promotion_apply.h.

#ifndef RELKIT_PROMOTION_H_
#define RELKIT_PROMOTION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/artifact_name.h"
#include "relkit/build_matrix.h"
#include "relkit/object_store.h"
#include "relkit/release_versions.h"
#include "relkit/version.h"

namespace relkit {

// The metadata key that holds an object's sha256 (lower-case hex).
inline constexpr absl::string_view kChecksumSha256Metadata = "checksum-sha256";

// Opens a new handle on a store (one per worker thread): planning's Heads
// and relkit/promotion_apply.h's copies.
using ObjectStoreFactory =
    std::function<absl::StatusOr<std::unique_ptr<ObjectStore>>()>;

// A store and a prefix inside it. Not owned.
struct PromotionLocation {
  ObjectStore* store = nullptr;
  // "whl/test" and "whl/test/" are the same prefix; empty: the whole store.
  std::string prefix = {};
  // Opens more handles on the same store, so that the plan's Heads run
  // `PromotionOptions::head_jobs` at a time, one handle per worker. Empty:
  // every Head goes through `store`, one after the other. Lists always go
  // through `store`.
  ObjectStoreFactory open = {};
};

enum class PromotionProblemKind : uint8_t {
  kReleaseSet,
  kNotGa,
  kUnknownPackage,
  kNothingToCopy,
  kConflict,
  kUnreadableName,
  kBadChecksum,
  kIncomplete,
};

// Returns "release-set", "not-ga", "unknown-package", "nothing-to-copy",
// "conflict", "unreadable-name", "bad-checksum" or "incomplete".
absl::string_view PromotionProblemKindName(PromotionProblemKind kind);

enum class ProblemSeverity : uint8_t { kError, kWarning };

// Returns "error" or "warning".
absl::string_view ProblemSeverityName(ProblemSeverity severity);

struct PromotionProblem {
  PromotionProblemKind kind = PromotionProblemKind::kReleaseSet;
  ProblemSeverity severity = ProblemSeverity::kError;
  // The package concerned (canonical), or empty.
  std::string package = {};
  // The object key concerned, or empty.
  std::string key = {};
  // Lower case, names the package, version and key.
  std::string message = {};

  friend bool operator==(const PromotionProblem&,
                         const PromotionProblem&) = default;
};

// One file the plan would copy.
struct PlannedCopy {
  std::string package = {};  // canonical
  Version version = {};      // the file's version (with its local label)
  ArtifactKind kind = ArtifactKind::kOther;
  std::string source_key = {};
  std::string destination_key = {};
  uint64_t size = 0;
  // Lower-case hex, from the source's `checksum-sha256` metadata (for a
  // mirror copy, else from the destination's when it is already there).
  std::optional<std::string> sha256 = {};
  // The key holds other content and is replaced (PromotionOptions::
  // overwrite); never set otherwise.
  bool overwrite = false;

  friend bool operator==(const PlannedCopy&, const PlannedCopy&) = default;
};

// How a file at the destination was found to be the same.
enum class SameBy : uint8_t {
  kSha256,  // both sides carry the same sha256 (and size)
  kSize,    // the sizes match; one side has no sha256
};

// Returns "sha256" or "size".
absl::string_view SameByName(SameBy same_by);

// One file that already sits at the destination with the same content.
struct AlreadyPresent {
  std::string package = {};
  Version version = {};
  ArtifactKind kind = ArtifactKind::kOther;
  std::string source_key = {};
  std::string destination_key = {};
  uint64_t size = 0;
  std::optional<std::string> sha256 = {};
  SameBy same_by = SameBy::kSize;

  friend bool operator==(const AlreadyPresent&,
                         const AlreadyPresent&) = default;
};

// What the plan found for one requested package version.
struct PromotionPackage {
  std::string package = {};   // canonical
  std::string version = {};   // as in the release set ("2.4.1"), or "" if none
  std::string variable = {};  // the release_versions.sh variable it comes from
  // A pre- or dev release: refused, not looked for (`found` stays 0).
  bool not_ga = false;
  int found = 0;  // files of it in the source
  int to_copy = 0;
  int already_there = 0;
  int conflicts = 0;

  friend bool operator==(const PromotionPackage&,
                         const PromotionPackage&) = default;
};

struct PromotionPlan {
  // `ObjectStore::Describe()` of each side, and the normalised prefixes
  // ("whl/test/"; "" for the whole store).
  std::string source = {};
  std::string source_prefix = {};
  std::string destination = {};
  std::string destination_prefix = {};
  // The requested packages, in request order (release-set order when no
  // filter was given).
  std::vector<PromotionPackage> packages = {};
  // Sorted by destination key.
  std::vector<PlannedCopy> copies = {};
  std::vector<AlreadyPresent> already_present = {};
  // The mirror (`ObjectStore::Describe()`, normalised prefix); empty when
  // the plan has none. Its copies and files already there, sorted by mirror
  // key (`destination_key` is the key in the mirror).
  std::string mirror = {};
  std::string mirror_prefix = {};
  std::vector<PlannedCopy> mirror_copies = {};
  std::vector<AlreadyPresent> mirror_already_present = {};
  // Release-set problems first, then per package, then per key.
  std::vector<PromotionProblem> problems = {};

  // Returns true when no problem is an error: the plan may be applied.
  bool ok() const;
  int error_count() const;
  int warning_count() const;
  // Returns the total size of `copies`.
  uint64_t bytes_to_copy() const;
  // Returns true when the plan has a mirror.
  bool has_mirror() const { return !mirror.empty(); }
  // Returns true when nothing is left to copy (to the destination or the
  // mirror): a plan made after a complete promotion.
  bool nothing_to_do() const { return copies.empty() && mirror_copies.empty(); }

  friend bool operator==(const PromotionPlan&, const PromotionPlan&) = default;
};

struct PromotionOptions {
  // Packages to promote (any spelling; canonicalised), each at its release
  // set version; "libtorch" takes torch's version. Empty: every package of
  // the release set.
  std::vector<std::string> packages = {};
  // The torch wheels the build matrix expects (relkit::ExpectedWheels of
  // the release channel). When set and torch is promoted, its wheels in the
  // source are checked against them (relkit::CheckWheelCoverage) and each
  // missing build is a kIncomplete error. Nullopt: no coverage check.
  std::optional<std::vector<ExpectedWheel>> expected_torch_wheels = {};
  // Makes kIncomplete a warning (a release shipped without some builds).
  bool allow_incomplete = false;
  // A second store the files also go to (an R2 bucket): `store` null for
  // none.
  PromotionLocation mirror = {};
  // Plans a conflicting key as a copy that replaces it (a warning naming the
  // key) instead of a kConflict error.
  bool overwrite = false;
  // Heads in flight per store whose location has an `open` factory (1 to
  // 64; clamped). The plan is the same whatever the value: Heads are issued
  // first, then the plan is made from their answers in the order of the
  // sequential plan (the first failing key in that order is the error).
  int head_jobs = 16;
};

// Returns the plan of promoting `release`'s packages from `source` to
// `destination`. Reads both stores (List, Head) and writes nothing. What
// stops the promotion is in `problems`, not an error. Returns
// InvalidArgument for a null store, a prefix that is not a key prefix, or
// the same store and prefix on two sides (source, destination, mirror); a store's error (NotFound,
// PermissionDenied, Unavailable, ...) as it is.
absl::StatusOr<PromotionPlan> PlanPromotion(
    const ReleaseSet& release, const PromotionLocation& source,
    const PromotionLocation& destination, const PromotionOptions& options);

}  // namespace relkit

#endif  // RELKIT_PROMOTION_H_
