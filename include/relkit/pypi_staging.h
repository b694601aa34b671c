// File: relkit/pypi_staging.h
// -----------------------------------------------------------------------------
//
// Which wheels of a test channel go to PyPI, as a rule with a reason for
// every wheel, and which files a staging set must hold. Pure values: the
// wheels come in as names (from an index page or a store listing), the rule
// from the build matrix and the support policy.
//
//   absl::StatusOr<relkit::PypiStagingRule> rule = relkit::MakePypiStagingRule(
//       relkit::BuildMatrix::Default(), *relkit::SupportPolicy::Default(),
//       absl::CivilDay(2026, 9, 2));
//   rule->stable_cuda_label;        // "cu130" (the release channel's stable)
//   rule->prerelease_pythons;       // {"3.15", "3.15t"}: not final on the day
//   relkit::PypiSelection s = relkit::SelectForPypi(
//       "torch", *relkit::Version::Parse("2.9.0"), wheels, *rule);
//   s.candidates[0].reason;         // PypiReason::kStableCuda
//   s.candidates[0].explanation;    // "selected: Linux x86_64 takes the
//                                   //  stable CUDA build (cu130)"
//
// The rule (what upload_pypi_to_staging.sh greps for, as data):
//   Linux x86_64 / aarch64   the stable CUDA build (`+cu130`)
//   Windows (x86_64)         the CPU build (`+cpu`)
//   macOS arm64              the build without a local label
//   pure Python (`any`)      as it is (unlabelled first, else `+cpu`)
// excluded: a CPython that is a pre-release on the release date, other
// accelerators (ROCm, XPU, other CUDA versions), other platforms (macOS
// x86_64, Windows arm64, plain `linux_x86_64` that PyPI refuses, ...), a
// second wheel that would be staged under the same file name (a
// duplicate). Wheels of other versions (torch-2.9.10 is not 2.9.0; neither
// is torch-2.9.0rc1) are not candidates at all.

#ifndef RELKIT_PYPI_STAGING_H_
#define RELKIT_PYPI_STAGING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "relkit/build_matrix.h"
#include "relkit/support_policy.h"
#include "relkit/version.h"
#include "relkit/wheel.h"

namespace relkit {

// A CPython that is not final on the release date.
struct PrereleasePython {
  std::string version = {};      // "3.15" or "3.15t"
  absl::CivilDay released = {};  // its first final release (planned)

  friend bool operator==(const PrereleasePython&,
                         const PrereleasePython&) = default;
};

// The staging rule of one release.
struct PypiStagingRule {
  // `cu` + the stable CUDA without the dot ("cu130").
  std::string stable_cuda_label = {};
  // The stable CUDA as the matrix writes it ("13.0").
  std::string stable_cuda = {};
  // The release day the rule was made for.
  absl::CivilDay date = {};
  // CPythons (and free-threaded builds) whose first final release is after
  // `date`, in policy order.
  std::vector<PrereleasePython> prerelease_pythons = {};
  // The Pythons of the build matrix's release channel that are final on
  // `date` ("3.10", ..., "3.14t"): the Pythons a staging set must cover.
  std::vector<std::string> pythons = {};

  // Returns true when `python` ("3.15t") is in `prerelease_pythons`, or its
  // base version ("3.15") is: a free-threaded build of a pre-release.
  bool IsPrerelease(absl::string_view python) const;
  // Returns the classifiers a staged wheel drops: "Programming Language ::
  // Python :: 3.15" for each pre-release CPython (free-threaded builds have
  // no classifier of their own), in order, without duplicates.
  std::vector<std::string> RemovedClassifiers() const;
};

struct PypiStagingRuleOptions {
  // Overrides the matrix's stable CUDA of the release channel ("13.0").
  std::string stable_cuda = {};
};

// Returns the rule for a release on `date`: the stable CUDA of `matrix`'s
// release channel (or `options.stable_cuda`), the CPythons of `policy` whose
// first final release is after `date`, and the release channel's Pythons
// that are final. Returns FailedPrecondition when there is no stable CUDA
// (the matrix records none and none is given) and InvalidArgument for a
// stable CUDA that is not MAJOR.MINOR digits.
absl::StatusOr<PypiStagingRule> MakePypiStagingRule(
    const BuildMatrix& matrix, const SupportPolicy& policy, absl::CivilDay date,
    const PypiStagingRuleOptions& options = {});

// Why a wheel is selected or left out.
enum class PypiReason : uint8_t {
  kStableCuda,        // selected: Linux, the stable CUDA build
  kWindowsCpu,        // selected: Windows, the CPU build
  kMacosUnlabelled,   // selected: macOS arm64, no local label
  kPurePython,        // selected: a `none-any` wheel
  kPrereleasePython,  // excluded: a pre-release CPython
  kOtherAccelerator,  // excluded: ROCm, XPU, another CUDA, CPU on Linux ...
  kOtherPlatform,     // excluded: a platform PyPI does not get
  kDuplicate,         // excluded: another wheel is staged under its name
};

// Returns "stable-cuda", "windows-cpu", "macos-unlabelled", "pure-python",
// "prerelease-python", "other-accelerator", "other-platform", "duplicate".
absl::string_view PypiReasonName(PypiReason reason);
// Returns true for the reasons that select a wheel.
bool PypiReasonSelects(PypiReason reason);

// One wheel offered to the rule.
struct PypiWheelSource {
  // The base name (`%2B` already decoded to `+`).
  std::string file_name = {};
  // Where it is: an object key, a URL or a path (resolved, without the
  // `#sha256=` fragment).
  std::string location = {};
  // Lower-case hex from the index (`#sha256=`) or the object's
  // `checksum-sha256`; nullopt when neither says.
  std::optional<std::string> sha256 = {};
  std::optional<uint64_t> size = {};

  friend bool operator==(const PypiWheelSource&,
                         const PypiWheelSource&) = default;
};

// One wheel of the package version, with the rule's decision.
struct PypiCandidate {
  PypiWheelSource source = {};
  WheelFilename wheel = {};
  bool selected = false;
  PypiReason reason = PypiReason::kOtherPlatform;
  // "selected: ..." or "excluded: ..." in words.
  std::string explanation = {};
  // The file name on PyPI: the version without its local label
  // ("torch-2.9.0-cp312-cp312-manylinux_2_28_x86_64.whl").
  std::string staged_name = {};

  friend bool operator==(const PypiCandidate&, const PypiCandidate&) = default;
};

// The decision for one package version.
struct PypiSelection {
  std::string package = {};  // canonical
  Version version = {};      // the release's public version
  // Every wheel of the package version, sorted by file name.
  std::vector<PypiCandidate> candidates = {};
  // Wheels offered that are of another version of the package, or of
  // another package, or not readable as wheels: not candidates.
  size_t other_files = 0;

  std::vector<const PypiCandidate*> selected() const;
  size_t selected_count() const;

  friend bool operator==(const PypiSelection&, const PypiSelection&) = default;
};

// Returns the staged file name of `wheel`: the file name with the version's
// local label removed (`%2B` and `+` forms), tags as written.
std::string PypiStagedName(absl::string_view file_name);

// Applies `rule` to the wheels of `package` at `version` among `wheels`
// (any packages and versions: the rest are counted in `other_files`).
// Candidates are taken in file-name order, so that of two wheels staged
// under one name the first is selected and the other is a duplicate.
PypiSelection SelectForPypi(absl::string_view package, const Version& version,
                            absl::Span<const PypiWheelSource> wheels,
                            const PypiStagingRule& rule);

// -----------------------------------------------------------------------------
// The staging set

// The default platforms of a staging set (validate_pypi_staging.py's).
std::vector<std::string> DefaultPypiPlatforms();

// One file a staging set must hold.
struct ExpectedPypiFile {
  std::string python = {};    // "3.12", "3.13t"; empty for a pure-Python wheel
  std::string platform = {};  // "manylinux_2_28_x86_64"; "any" for pure Python
  // The name as validate_pypi_staging.py builds it:
  // "torch-2.9.0-cp313-cp313t-win_amd64.whl".
  std::string file_name = {};

  // Returns true when `wheel` is this file: same interpreter, an ABI of the
  // Python's kind (free-threaded `cp313t`; else `cp313`, `abi3` or `none`)
  // and the platform among its platform tags.
  bool Matches(const WheelFilename& wheel) const;

  friend bool operator==(const ExpectedPypiFile&,
                         const ExpectedPypiFile&) = default;
};

// Returns the files of `package` at `version` for every Python x platform,
// or the one `py3-none-any` wheel when `pure_python`. InvalidArgument for a
// Python that is not MAJOR.MINOR[t].
absl::StatusOr<std::vector<ExpectedPypiFile>> ExpectedPypiFiles(
    absl::string_view package, const Version& version,
    absl::Span<const std::string> pythons,
    absl::Span<const std::string> platforms, bool pure_python);

// The folder of a package version in a staging store:
// "torch-2.9.0-pypi-staging/" (as promote_pypi_to_staging.sh names it).
std::string PypiStagingFolder(absl::string_view package,
                              const Version& version);

}  // namespace relkit

#endif  // RELKIT_PYPI_STAGING_H_
