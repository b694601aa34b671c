// File: relkit/pypi_validate.h
// -----------------------------------------------------------------------------
//
// Validation of a PyPI staging set before the upload that cannot be undone
// (what validate_pypi_staging.py and validate_binaries.sh's size check do,
// and more). Each staged wheel is downloaded once and read:
//
//   absl::StatusOr<relkit::PypiValidation> v = relkit::ValidatePypiStaging(
//       release_set, staging_store, "",
//       {.pythons = rule.pythons, .packages = {"torch"}});
//   v->ok();        // false: a problem below
//   v->problems;    // "torch-2.9.0-cp312-...whl: Requires-Dist pins
//                   //  triton==3.4.0 where 5 other wheels pin triton==3.5.0"
//
// Checks, per package version of the release set (folder
// `<package>-<version>-pypi-staging/` under the prefix):
//   missing        an expected file (Python x platform; the `py3-none-any`
//                  wheel for a pure-Python package: one whose staged wheels
//                  are all `none-any`) is not there
//   unexpected     a staged file no expected file accounts for
//   version        METADATA `Version` is not the release's (bare) version
//   requires-dist  a requirement differs from what the majority of the
//                  package's wheels say for the same project (another
//                  triton or nvidia-* pin), or a wheel lacks or adds a
//                  requirement the other wheels of its platform have
//   requires-python, classifiers
//                  `Requires-Python` / the `Programming Language :: Python
//                  ::` classifiers differ from the majority's
//   record         RECORD does not verify for a member
//   unreadable     the wheel cannot be read (not a zip, no METADATA ...)
//   file-limit     larger than PyPI's per-file limit
//   size-threshold larger than the threshold (validate_binaries.sh's 850 MB)
//   quota          the project's size after the upload exceeds its quota
//   release-set    a release_versions.sh problem that hides a version
// The odd one out is named; when the wheels split evenly, the wheels of
// the smaller group(s) in file-name order are.

#ifndef RELKIT_PYPI_VALIDATE_H_
#define RELKIT_PYPI_VALIDATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/object_store.h"
#include "relkit/pypi_staging.h"
#include "relkit/release_versions.h"
#include "relkit/version.h"

namespace relkit {

enum class PypiCheckKind : uint8_t {
  kMissing,
  kUnexpected,
  kVersion,
  kRequiresDist,
  kRequiresPython,
  kClassifiers,
  kRecord,
  kUnreadable,
  kFileLimit,
  kSizeThreshold,
  kQuota,
  kReleaseSet,
};

// Returns "missing", "unexpected", "version", "requires-dist",
// "requires-python", "classifiers", "record", "unreadable", "file-limit",
// "size-threshold", "quota" or "release-set".
absl::string_view PypiCheckKindName(PypiCheckKind kind);

struct PypiCheckProblem {
  PypiCheckKind kind = PypiCheckKind::kMissing;
  std::string package = {};
  std::string file = {};  // the file name concerned, if any
  std::string message = {};

  friend bool operator==(const PypiCheckProblem&,
                         const PypiCheckProblem&) = default;
};

// What was read from one staged wheel.
struct PypiStagedWheel {
  std::string package = {};
  std::string key = {};
  std::string file_name = {};
  uint64_t size = 0;
  std::string version = {};  // METADATA Version ("" when unreadable)
  std::vector<std::string> requires_dist = {};
  std::string requires_python = {};
  std::vector<std::string> python_classifiers = {};
  bool readable = false;
  bool record_ok = false;
  uint64_t members_checked = 0;
};

struct PypiPackageValidation {
  std::string package = {};
  std::string version = {};
  std::string folder = {};  // the staging folder (key prefix)
  bool pure_python = false;
  std::vector<std::string> expected = {};  // file names
  size_t present = 0;                      // expected files found
  uint64_t staged_bytes = 0;
  // The project's size on the index now (sum of the `size` fields of every
  // file of its PEP 691 page, sdists included), when known.
  std::optional<uint64_t> current_bytes = {};
  // The bytes of the staged files whose names the index already lists
  // (a rerun after a partial upload): counted in current_bytes, so not again.
  uint64_t staged_on_index_bytes = 0;
  uint64_t quota_bytes = 0;
  // current_bytes (0 when unknown) + the staged files not on the index yet.
  uint64_t total_after_upload() const {
    return current_bytes.value_or(0) + staged_bytes - staged_on_index_bytes;
  }
};

struct PypiValidation {
  std::string staging = {};  // the store's Describe()
  std::string prefix = {};
  uint64_t max_file_bytes = 0;
  uint64_t warn_file_bytes = 0;
  std::vector<PypiPackageValidation> packages = {};
  std::vector<PypiStagedWheel> wheels = {};  // sorted by key
  std::vector<PypiCheckProblem> problems = {};

  bool ok() const { return problems.empty(); }
};

// MB as pip prints it and validate_binaries.sh compares: 1,000,000 bytes.
inline constexpr uint64_t kMegabyte = 1000 * 1000;

struct PypiValidateOptions {
  // The Pythons every platform must have ("3.10", ..., "3.14t"): the
  // rule's `pythons` (release channel minus pre-releases).
  std::vector<std::string> pythons = {};
  std::vector<std::string> platforms = DefaultPypiPlatforms();
  // Packages to validate (any spelling); empty: every package of the set.
  std::vector<std::string> packages = {};
  uint64_t max_file_bytes = 1000 * kMegabyte;
  uint64_t warn_file_bytes = 850 * kMegabyte;
  // PyPI's default project quota: 10 GiB.
  uint64_t quota_bytes = uint64_t{10} << 30;
  // A PEP 691 index ("https://pypi.org/simple/"): the project's current
  // size is the sum of its files' `size` there. Empty: not looked up.
  std::string index_url = {};
  // Where the wheels are downloaded (a private directory is made and
  // removed); empty: $TMPDIR, else /tmp.
  std::string temp_dir = {};
  std::function<void(size_t done, size_t total, const std::string& key)>
      progress = {};
};

// Validates the staging set of `release` under `prefix` of `staging` (see
// the file comment). Problems are in the result; errors are the store's
// (List, Get), the index's (other than NotFound: a new project) and
// InvalidArgument for a bad Python in `options.pythons`.
absl::StatusOr<PypiValidation> ValidatePypiStaging(
    const ReleaseSet& release, ObjectStore& staging, absl::string_view prefix,
    const PypiValidateOptions& options);

// Returns `value` units of `unit` bytes (kMegabyte, or 1 << 30 for GiB) as
// bytes, for a size option named `what` ("--max-file-mb"). InvalidArgument
// naming `what` when `value` is negative, not finite or absurd (above 10^9
// GB: no file or quota is that large, and the cast would wrap).
absl::StatusOr<uint64_t> PypiSizeOptionBytes(double value, uint64_t unit,
                                             absl::string_view what);

// Returns the sum of the `size` fields of every file (wheels, sdists and any
// other) of a PEP 691 JSON project page (`text`); InvalidArgument naming
// `source` when it is not one.
absl::StatusOr<uint64_t> Pep691ProjectBytes(absl::string_view text,
                                            absl::string_view source);

}  // namespace relkit

#endif  // RELKIT_PYPI_VALIDATE_H_
