// File: relkit/compat_matrix.h
// -----------------------------------------------------------------------------
//
// The release compatibility matrix of a PyTorch-like project: for each minor
// release, which Python versions (a range plus experimental ones, including
// free-threaded builds such as `3.13t`), which CUDA versions (stable and
// experimental, each with its cuDNN and, in newer tables, NCCL and GPU
// architectures), which ROCm versions and which C++ standard it supports.
//
//   absl::StatusOr<relkit::CompatibilityMatrix> m =
//       relkit::CompatibilityMatrix::Default();        // 1.12 ... 2.14
//   const relkit::MatrixRow* row = m->Find("2.4");
//   row->PythonStatus("3.12");                        // kStable
//   m->Diff("2.3", "2.4")->Summary();
//       // "2.4 adds Python 3.12, CUDA 12.1, CUDA 12.4 experimental,
//       //  ROCm 6.1; drops ROCm 6.0" (see MatrixDiff)
//   m->ReleasesSupportingPython("3.8");               // {"1.12", ..., "2.4"}
//
//   // The table of a RELEASE.md, in the seed (no C++ column) or the newer
//   // layout, and back:
//   absl::StatusOr<relkit::CompatibilityMatrix> imported =
//       relkit::CompatibilityMatrix::FromMarkdown(text, "RELEASE.md");
//   imported->ToMarkdown(relkit::MarkdownLayout::kSeed);
//
// Values are plain data (no I/O); `FromJson`/`ToJson` use the schema written
// in docs/compatibility-matrix.md. Parse errors are InvalidArgument naming the
// source and the line (Markdown) or JSON path.

#ifndef RELKIT_COMPAT_MATRIX_H_
#define RELKIT_COMPAT_MATRIX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/specifier.h"

namespace relkit {

// How a release supports a Python or accelerator version.
enum class SupportStatus : uint8_t { kUnsupported, kExperimental, kStable };

// Returns "unsupported", "experimental" or "stable".
absl::string_view SupportStatusName(SupportStatus status);

// One CUDA version of a release, with the libraries built against it.
struct CudaEntry {
  std::string version;               // "12.6" (as written in the table)
  std::optional<std::string> cudnn;  // "9.10.2.21"
  std::optional<std::string> nccl;   // "2.29.3" (newer tables only)
  // GPU architectures (the "PyTorch CUDA Support Matrix" table of newer
  // RELEASE.md files), e.g. {"5.0", ..., "9.0"}; "12.0+PTX" keeps its suffix.
  std::optional<std::string> full_version;  // "12.6.3" from that table
  std::vector<std::string> arches_x86_64;   // Linux x86_64 and Windows
  std::vector<std::string> arches_aarch64;  // Linux aarch64

  friend bool operator==(const CudaEntry&, const CudaEntry&) = default;
};

// How a table cell spells the cuDNN of its CUDA versions: once at the end for
// all of them ("CUDA 11.8, CUDA 12.1, CUDNN 9.1.0.70", older rows) or after
// each ("CUDA 12.6 (CUDNN 9.10.2.21) (NCCL 2.29.3), ...", newer rows).
enum class CudnnNotation : uint8_t { kShared, kPerEntry };

// One minor release of the matrix.
struct MatrixRow {
  std::string release;  // "2.4"
  // The Python range in the order written (">=3.8, <=3.12").
  SpecifierSet python;
  // Python versions supported experimentally ("3.12", "3.13t"); these take
  // precedence over `python`. A free-threaded build ("3.14t") is supported
  // only when listed here.
  std::vector<std::string> experimental_python;
  std::optional<std::string> cxx_standard;  // "C++17"; absent in seed tables
  std::vector<CudaEntry> stable_cuda;
  std::vector<CudaEntry> experimental_cuda;
  std::vector<std::string> stable_rocm;  // {"6.1"}
  CudnnNotation cudnn_notation = CudnnNotation::kShared;
  // How an empty experimental CUDA cell is written: "None", "--" or "".
  std::string empty_cuda_text = "None";

  // Returns the support status of Python `version` ("3.12", "3.12.4",
  // "3.13t"; patch levels are ignored). Returns InvalidArgument when
  // `version` is not a Python version.
  absl::StatusOr<SupportStatus> PythonStatus(absl::string_view version) const;
  // Returns the support status of CUDA `version` ("12.4"; "12.4.1" matches
  // "12.4"). Returns InvalidArgument when `version` is not a version.
  absl::StatusOr<SupportStatus> CudaStatus(absl::string_view version) const;
  // Returns kStable when the ROCm version (major.minor[.patch] as written or
  // a prefix of it: "6.2" matches "6.2.4") is listed, else kUnsupported.
  absl::StatusOr<SupportStatus> RocmStatus(absl::string_view version) const;

  // Returns every Python version the row names, ascending: the minors from
  // 3.0 to 3.29 inside `python`, then the experimental ones, each once.
  std::vector<std::string> PythonVersions() const;

  // Returns the row's cells as written in a RELEASE.md table.
  std::string PythonCell() const;
  std::string StableCudaCell() const;
  std::string ExperimentalCudaCell() const;
  std::string RocmCell() const;

  friend bool operator==(const MatrixRow&, const MatrixRow&) = default;
};

// One thing that changed between two releases.
struct MatrixChange {
  enum class Kind : uint8_t { kPython, kCuda, kRocm, kCxx };
  Kind kind = Kind::kPython;
  std::string name;  // "Python 3.12", "CUDA 12.4", "ROCm 6.1", "C++20"
  SupportStatus before = SupportStatus::kUnsupported;
  SupportStatus after = SupportStatus::kUnsupported;

  friend bool operator==(const MatrixChange&, const MatrixChange&) = default;
};

// Returns "python", "cuda", "rocm" or "cxx".
absl::string_view MatrixChangeKindName(MatrixChange::Kind kind);

// What changed from release `from` to release `to`.
struct MatrixDiff {
  std::string from;
  std::string to;
  std::vector<MatrixChange> changes;  // Python, then CUDA, ROCm, C++

  // Returns one line: "2.4 adds Python 3.12, CUDA 12.4 experimental, ROCm
  // 6.1; drops ROCm 6.0". An item that becomes supported (or stable) is
  // "added" (with " experimental" when it is experimental now); one that
  // becomes unsupported is "dropped"; a stable item that becomes
  // experimental "moves to experimental". "2.4: no changes" when empty.
  std::string Summary() const;
};

// The layouts of the matrix table in RELEASE.md.
enum class MarkdownLayout : uint8_t {
  // `PyTorch version | Python | Stable CUDA | Experimental CUDA |
  // Stable ROCm |` without leading pipe, `---|---|...` separator (RELEASE.md
  // up to 2.4).
  kSeed,
  // `| PyTorch version | Python | C++ | Stable CUDA | Experimental CUDA |
  // Stable ROCm |` with `| --- |` separators (newer RELEASE.md).
  kCurrent,
};

// Parses "current" or "seed". Returns InvalidArgument naming `name` and the
// valid layouts otherwise.
absl::StatusOr<MarkdownLayout> ParseMarkdownLayout(absl::string_view name);

class CompatibilityMatrix {
 public:
  // Returns the embedded default: releases 1.12 to 2.14 from the newest
  // RELEASE.md tables (data/release_md_tables.md, see data/SOURCES.md).
  static absl::StatusOr<CompatibilityMatrix> Default();

  // Parses the compatibility matrix table (and, when present, the CUDA
  // architecture tables) out of a RELEASE.md text; other text is ignored.
  // Returns InvalidArgument naming `source` and the line for a malformed
  // table (wrong number of cells, a missing separator row, a cell that does
  // not parse) and when there is no matrix table at all.
  static absl::StatusOr<CompatibilityMatrix> FromMarkdown(
      absl::string_view text, absl::string_view source = "<input>");

  // Parses the JSON form written by ToJson. Returns InvalidArgument naming
  // `source` and the JSON path of a field of the wrong shape.
  static absl::StatusOr<CompatibilityMatrix> FromJson(
      absl::string_view text, absl::string_view source = "<input>");

  // Builds a matrix from rows (newest first is the convention, not required).
  // Returns InvalidArgument when a release is not a version or is repeated
  // (rows are minor releases: "2.6", "2.06" and "2.6.1" are the same row).
  static absl::StatusOr<CompatibilityMatrix> FromRows(
      std::vector<MatrixRow> rows);

  CompatibilityMatrix() = default;

  const std::vector<MatrixRow>& rows() const { return rows_; }

  // Returns the row of `release` ("2.4", "2.4.1" and "v2.4.0" all find
  // 2.4), or nullptr.
  const MatrixRow* Find(absl::string_view release) const;

  // Returns the releases whose Python status for `python` is stable (or,
  // with `include_experimental`, stable or experimental), ascending.
  std::vector<std::string> ReleasesSupportingPython(
      absl::string_view python, bool include_experimental = false) const;

  // Returns the changes from `from` to `to`. NotFound when either is absent.
  absl::StatusOr<MatrixDiff> Diff(absl::string_view from,
                                  absl::string_view to) const;

  // Returns the Markdown table (header, separator, one line per row in the
  // stored order). The seed layout has no C++ column.
  std::string ToMarkdown(
      MarkdownLayout layout = MarkdownLayout::kCurrent) const;

  // Returns the JSON form (2-space indented with `pretty`).
  std::string ToJson(bool pretty = true) const;

  friend bool operator==(const CompatibilityMatrix&,
                         const CompatibilityMatrix&) = default;

 private:
  explicit CompatibilityMatrix(std::vector<MatrixRow> rows)
      : rows_(std::move(rows)) {}
  std::vector<MatrixRow> rows_;
};

}  // namespace relkit

#endif  // RELKIT_COMPAT_MATRIX_H_
