// File: relkit/wheel_index.h
// -----------------------------------------------------------------------------
//
// Reading a wheel index and checking a release's wheels against the build
// matrix: which wheels are missing, which are there but not expected, which
// are too large, and which carry an inconsistent version or local label.
//
// Three index formats are read: a PEP 503 simple page (HTML, such as
// download.pytorch.org/whl/torch/ with tens of thousands of links), a PEP 691
// JSON page, and a plain listing with sizes (`<size> <filename>` lines or
// `aws s3 ls` output).
//
//   absl::StatusOr<relkit::WheelIndex> index =
//       relkit::WheelIndex::Parse(html, {.source = "torch.html"});
//   if (!index.ok()) return index.status();  // malformed document: names the
//                                            // source and line
//   index->wheels.size();                    // every valid wheel link
//   index->skipped;                          // junk links, with line + reason
//
//   absl::StatusOr<std::vector<relkit::ExpectedWheel>> expected =
//       relkit::ExpectedWheels(relkit::BuildMatrix::Default(),
//                              relkit::BuildChannel::kRelease);
//   relkit::WheelCoverageReport report = relkit::CheckWheelCoverage(
//       *index, "torch", *relkit::Version::Parse("2.4.0"), *expected);
//   report.ok();                             // nothing missing, unexpected,
//                                            // over-size or inconsistent

#ifndef RELKIT_WHEEL_INDEX_H_
#define RELKIT_WHEEL_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/build_matrix.h"
#include "relkit/version.h"
#include "relkit/wheel.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Reading an index

// The document format of an index.
enum class WheelIndexFormat : uint8_t {
  kAuto,     // JSON when the text starts with `{`, HTML when with `<`,
             // otherwise a listing
  kHtml,     // PEP 503 simple page
  kJson,     // PEP 691 `application/vnd.pypi.simple.v1+json`
  kListing,  // `<size> <filename>` lines, or `aws s3 ls` lines
};

// Returns "auto", "html", "json" or "listing".
absl::string_view WheelIndexFormatName(WheelIndexFormat format);
// Parses one of those names. Returns InvalidArgument listing them otherwise.
absl::StatusOr<WheelIndexFormat> ParseWheelIndexFormat(absl::string_view name);

// Options for `WheelIndex::Parse`.
struct WheelIndexOptions {
  WheelIndexFormat format = WheelIndexFormat::kAuto;
  // Named in errors and in `IndexedWheel::location` ("torch.html").
  std::string source = "<input>";
};

// One wheel of an index.
struct IndexedWheel {
  WheelFilename wheel;
  // The file's base name as listed, percent- and entity-decoded
  // ("torch-2.4.0+cu121-cp312-cp312-linux_x86_64.whl").
  std::string filename;
  // The link or path as written, without its `#fragment` (may be relative).
  std::string url;
  // The `#sha256=` fragment (HTML) or `hashes.sha256` (JSON).
  std::optional<std::string> sha256;
  // The size in bytes (listing; JSON `size`).
  std::optional<uint64_t> size;
  // `data-requires-python` / `requires-python`, decoded.
  std::optional<std::string> requires_python;
  // PEP 592: `data-yanked` present / `yanked` true or a reason.
  bool yanked = false;
  // 1-based line of the link (HTML, listing); 0 for JSON.
  size_t line = 0;

  friend bool operator==(const IndexedWheel&, const IndexedWheel&) = default;
};

// A link of the index that is not a valid wheel (an sdist, a directory, a
// malformed name). Expected on real pages; reported, never fatal.
struct SkippedLink {
  std::string text;      // the file name or link as written
  std::string location;  // "torch.html:120" or "torch.json: $.files[7]"
  std::string reason;    // "not a wheel" or the wheel filename error
  // The size the index gives (PEP 691 `size`, listing), when it gives one:
  // an sdist still counts toward a project's quota.
  std::optional<uint64_t> size = {};

  friend bool operator==(const SkippedLink&, const SkippedLink&) = default;
};

// The wheels of one index document.
struct WheelIndex {
  // Parses `text`. Every link is read; names that are not valid wheel
  // filenames go to `skipped`. Returns InvalidArgument naming
  // `options.source` and the line (HTML: an unterminated tag, attribute,
  // comment or `<a>` without `</a>`; listing: a line that is not
  // `[date time] size name`) or the JSON line/column and path (JSON).
  static absl::StatusOr<WheelIndex> Parse(
      absl::string_view text, const WheelIndexOptions& options = {});

  WheelIndexFormat format = WheelIndexFormat::kHtml;
  std::string source;
  std::vector<IndexedWheel> wheels;
  std::vector<SkippedLink> skipped;

  friend bool operator==(const WheelIndex&, const WheelIndex&) = default;
};

// -----------------------------------------------------------------------------
// What a wheel is built for

// Returns the operating system of a wheel's platform tags (`manylinux_2_28_
// x86_64` / `linux_x86_64`: linux; `..._aarch64`: linux-aarch64;
// `macosx_11_0_arm64`: macos-arm64; `macosx_*_x86_64`: macos; `win_amd64`:
// windows; `win_arm64`: windows-arm64), or nullopt for `any` and others.
std::optional<BuildOs> WheelOs(const WheelFilename& wheel);

// Returns the build-matrix Python version of a CPython wheel: "3.12" for
// `cp312-cp312`, "3.13t" for `cp313-cp313t`; nullopt otherwise.
std::optional<std::string> WheelPythonVersion(const WheelFilename& wheel);

// Returns the filename that the build `expected` has for `package` at
// `version`, with a `*` for the platform tag's glibc/macOS version part:
// "torch-2.4.0+cu121-cp312-cp312-manylinux_*_x86_64.whl". macOS wheels carry
// no local label.
std::string ExpectedWheelPattern(absl::string_view package,
                                 const Version& version,
                                 const ExpectedWheel& expected);

// -----------------------------------------------------------------------------
// Coverage

// Size limits of the check. MB = 1,000,000 bytes (what pip prints and
// validate_binaries.sh compares); MiB = 1,048,576 bytes (PyPI's limits).
struct WheelCheckOptions {
  // validate_binaries.sh's WHEEL_SIZE_THRESHOLD_MB (850 MB): applies to Linux
  // (x86_64 and aarch64) wheels.
  uint64_t size_threshold_bytes = 850ull * 1000 * 1000;
  // The per-file limit PyPI granted torch (1000 MiB, pypi/support#2341):
  // applies to every wheel.
  uint64_t pypi_file_limit_bytes = 1000ull * 1024 * 1024;
  // Apply the threshold to ROCm wheels too (validate_binaries.sh skips them:
  // "legitimately multi-GB").
  bool threshold_for_rocm = false;
};

// A wheel over a size limit.
struct OversizeWheel {
  IndexedWheel wheel;
  uint64_t limit_bytes = 0;
  std::string limit;  // "size threshold" or "PyPI file limit"

  friend bool operator==(const OversizeWheel&, const OversizeWheel&) = default;
};

// A wheel of the release whose version or local label does not fit the rest.
struct InconsistentWheel {
  IndexedWheel wheel;
  std::string reason;

  friend bool operator==(const InconsistentWheel&,
                         const InconsistentWheel&) = default;
};

// The result of checking an index against the wheels a release should have.
struct WheelCoverageReport {
  std::string package;  // canonical name
  Version version;      // the release checked (public version)
  size_t expected_count = 0;
  // Wheels of `package` whose public version is `version`.
  size_t found_count = 0;
  // Expected builds with no wheel, in the build matrix's order.
  std::vector<ExpectedWheel> missing;
  // Wheels of the release that no expected build accounts for.
  std::vector<IndexedWheel> unexpected;
  std::vector<OversizeWheel> oversize;
  std::vector<InconsistentWheel> inconsistent;

  // True when nothing is missing, unexpected, over-size or inconsistent.
  bool ok() const {
    return missing.empty() && unexpected.empty() && oversize.empty() &&
           inconsistent.empty();
  }
};

// Checks the wheels of `package` at `version` (its public version: "2.4.0")
// in `index` against `expected`. A wheel matches an expected build when the
// OS, the Python version and the accelerator of its local label (no label:
// CPU) agree. Wheels with the same release numbers but another public version
// (`2.4.0.post1`, `2.4.0rc1`) are inconsistent; so are local labels that are
// not accelerator labels and labels that differ from the one most wheels of
// the same OS and accelerator carry (`+cu121.with.pypi.cudnn` among
// `+cu121`, `+cpu` among unlabelled wheels). Other versions are ignored.
WheelCoverageReport CheckWheelCoverage(const WheelIndex& index,
                                       absl::string_view package,
                                       const Version& version,
                                       absl::Span<const ExpectedWheel> expected,
                                       const WheelCheckOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_WHEEL_INDEX_H_
