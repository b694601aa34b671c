// File: relkit/support_policy.h
// -----------------------------------------------------------------------------
//
// The hardware/software support policy of RELEASE.md as rules over data:
//   - CPython: every minor version that is not end-of-life on a date (EOL
//     table 3.7-3.15 from the CPython devguide; free-threaded builds such as
//     "3.14t" are entries of their own);
//   - accelerators (CUDA, ROCm): the latest 2 minor versions of those
//     available;
//   - operating systems: the OS table (Linux manylinux2014 / glibc >= 2.17,
//     macOS arm64 >= 11, macOS x86_64 only up to 2.2, Windows >= 10).
//
//   absl::StatusOr<relkit::SupportPolicy> p = relkit::SupportPolicy::Default();
//   p->SupportedPythons(absl::CivilDay(2025, 1, 1));   // 3.9 ... 3.13, 3.13t
//   relkit::MatrixRow row =
//       p->ProposeMatrixRow("2.5", absl::CivilDay(2024, 10, 17));
//   row.PythonCell();   // ">=3.9, <=3.12, (3.13, 3.13t experimental)"
//   p->CheckMatrixRow(*matrix.Find("2.3"), absl::CivilDay(2024, 4, 24));
//       // {kExperimentalPython "Python 3.12 ..."}
//
// An EOL known only to the month (the devguide's "2025-10") counts as the
// last day of that month.

#ifndef RELKIT_SUPPORT_POLICY_H_
#define RELKIT_SUPPORT_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "relkit/compat_matrix.h"

namespace relkit {

// One CPython minor version (or its free-threaded build).
struct CPythonVersion {
  std::string version;  // "3.13" or "3.13t"
  bool free_threaded = false;
  absl::CivilDay released;      // first final release (planned when future)
  absl::CivilDay end_of_life;   // last day of support
  bool eol_month_only = false;  // the devguide gives only the month

  // Returns "3.9 (released 2020-10-05, end of life 2025-10)".
  std::string ToString() const;
  friend bool operator==(const CPythonVersion&,
                         const CPythonVersion&) = default;
};

// One row of the OS table.
struct OsSupport {
  std::string family;  // "Linux", "macOS", "Windows"
  std::string arch;    // "x86_64", "aarch64", "arm64"
  std::string
      minimum;        // "glibc 2.17 (manylinux2014)", "macOS 11", "Windows 10"
  std::string notes;  // the table's text
  std::optional<std::string> last_release;  // "2.2" for macOS x86_64

  friend bool operator==(const OsSupport&, const OsSupport&) = default;
};

// Knobs of ProposeMatrixRow / CheckMatrixRow.
struct SupportPolicyOptions {
  // A CPython released fewer days than this before the date is proposed as
  // experimental, not stable (and not required by CheckMatrixRow).
  int new_python_experimental_days = 90;
  // A CPython whose final release is at most this many days after the date
  // (its betas are out) is proposed as experimental.
  int prerelease_lead_days = 120;
  // Available accelerator versions ("12.6", "13.0"); empty: no proposal or
  // check for that accelerator.
  std::vector<std::string> available_cuda;
  std::vector<std::string> available_rocm;
  // "Support latest 2 minor versions".
  size_t accelerator_minors = 2;
};

// How a matrix row departs from the policy.
struct Deviation {
  enum class Kind : uint8_t {
    kEndOfLifePython,     // supports a CPython past its end of life
    kMissingPython,       // lacks a CPython that is released and not EOL
    kExperimentalPython,  // only experimental support for an established
                          // CPython
    kMissingAccelerator,  // lacks one of the latest N minor versions
    kOldAccelerator,      // supports a version older than the latest N (special
                          // case)
  };
  Kind kind = Kind::kMissingPython;
  std::string subject;  // "Python 3.8", "CUDA 11.8"
  std::string message;

  friend bool operator==(const Deviation&, const Deviation&) = default;
};

// Returns "end-of-life python", "missing python", "experimental python",
// "missing accelerator" or "old accelerator".
absl::string_view DeviationKindName(Deviation::Kind kind);

// Returns the latest `n` minor versions among `available` (numeric order:
// 7.14 is newer than 7.2), ascending; each minor once, spelled as the newest
// available version of it. InvalidArgument naming a string that is not a
// version of numbers and dots ("12.6"; not " 12.6", "v12.6" or "12.6rc1").
absl::StatusOr<std::vector<std::string>> LatestMinorVersions(
    const std::vector<std::string>& available, size_t n = 2);

class SupportPolicy {
 public:
  // Returns the embedded tables (data/support_policy.json).
  static absl::StatusOr<SupportPolicy> Default();
  // Parses {"cpython": [{"version" ("3.13", "3.13t": MAJOR.MINOR in digits,
  // optional "t"), "released": "YYYY-MM-DD",
  // "end_of_life": "YYYY-MM-DD" or "YYYY-MM"}], "operating_systems":
  // [{"family", "arch", "minimum", "notes", "last_release"}]}.
  // InvalidArgument naming `source` and the JSON path.
  static absl::StatusOr<SupportPolicy> FromJson(
      absl::string_view text, absl::string_view source = "<input>");

  SupportPolicy() = default;

  const std::vector<CPythonVersion>& cpython() const { return cpython_; }
  const std::vector<OsSupport>& operating_systems() const { return os_; }

  // Returns the CPython entries released on or before `day` and not EOL on
  // it, in table order.
  std::vector<CPythonVersion> SupportedPythons(absl::CivilDay day) const;

  // Returns the OS rows that apply to `release` ("2.3" drops macOS x86_64).
  std::vector<OsSupport> OperatingSystemsFor(absl::string_view release) const;

  // Returns the row the policy asks for when releasing `release` on `day`:
  // stable Python range over the non-free-threaded CPythons released at
  // least `new_python_experimental_days` before and not EOL; experimental:
  // newer ones (released recently or due within `prerelease_lead_days`) and
  // the newest free-threaded build; stable CUDA/ROCm: the latest N minors of
  // those available.
  MatrixRow ProposeMatrixRow(absl::string_view release, absl::CivilDay day,
                             const SupportPolicyOptions& options = {}) const;

  // Returns how `row` departs from the policy on `day` (empty: it follows
  // it). Accelerators are checked only when available versions are given.
  std::vector<Deviation> CheckMatrixRow(
      const MatrixRow& row, absl::CivilDay day,
      const SupportPolicyOptions& options = {}) const;

 private:
  std::vector<CPythonVersion> cpython_;
  std::vector<OsSupport> os_;
};

}  // namespace relkit

#endif  // RELKIT_SUPPORT_POLICY_H_
