// File: relkit/published_versions.h
// -----------------------------------------------------------------------------
//
// Release day for the "Get Started" page of pytorch.org: the data file
// `published_versions.json` (pytorch.github.io; pytorch/builder had a copy)
// as a typed value, adding a new stable release to it from the release
// channel's build matrix, and the install matrix of `quick-start-module.js`.
// Replaces pytorch.github.io's scripts/gen_quick_start_module.py.
//
//   absl::StatusOr<relkit::PublishedVersions> pv =
//       relkit::PublishedVersions::Parse(text, "published_versions.json");
//   if (!pv.ok()) return pv.status();   // InvalidArgument naming file and line
//                                       // or JSON path
//   pv->latest_stable;                  // "1.13.0"
//   pv->ToJson() == text;               // true for the real file: key order
//                                       // and layout are kept
//
//   std::vector<relkit::MatrixInstall> builds = ...;  // release channel
//   absl::StatusOr<relkit::PublishPlan> plan =
//       relkit::PlanStableRelease(*pv, "2.5.0", builds);
//   plan->result.latest_stable;         // "2.5.0"
//   plan->changes;                      // every cell that changed
//   plan->warnings;                     // cells still holding preview text...
//
//   relkit::QuickStartInstallMatrix(plan->result);
//   // {{"preview,pip,linux,accnone,python", "pip3 install --pre ..."}, ...}
//
// Deliberate differences from gen_quick_start_module.py:
// - CUDA and ROCm versions are ordered numerically (`7.14 > 7.2`; the script
//   used string `max()`/`sorted()`, test-infra#8503), and CUDA versions that
//   do not fit the page's `cuda.*` slots are reported, not silently dropped.
// - `latest_stable` moves only forward (publishing 2.4.1 after 2.5.0 adds
//   2.4.1 but keeps 2.5.0 as the latest).
// - libtorch links whose ABI / configuration has no build in the matrix are
//   removed from the new release instead of keeping the preview's link, and
//   cells that no build fills are reported as warnings.
// - Nothing is written: the plan holds the new value; callers decide.

#ifndef RELKIT_PUBLISHED_VERSIONS_H_
#define RELKIT_PUBLISHED_VERSIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/build_matrix.h"

namespace relkit {

// -----------------------------------------------------------------------------
// published_versions.json

// One download link of a libtorch cell: `"Download here (cxx11 ABI):"` and
// its URL.
struct DownloadLink {
  std::string label;
  std::string url;

  friend bool operator==(const DownloadLink&, const DownloadLink&) = default;
};

// One accelerator cell of the table: a pip/conda command or libtorch
// download links, with an optional HTML note.
struct InstallOption {
  // Whether the cell holds a `command` (pip, conda) or `versions` (libtorch).
  enum class Kind : uint8_t { kCommand, kDownloads };

  // The cell's key: "accnone", "cuda.x", "cuda.y", "rocm5.x", or a legacy
  // fixed key such as "cuda10.2".
  std::string accelerator;
  Kind kind = Kind::kCommand;
  // The HTML note shown with the command; nullopt is JSON null.
  std::optional<std::string> note;
  // kCommand: the command; nullopt is JSON null (not available).
  std::optional<std::string> command;
  // kDownloads: the links in order; nullopt is JSON null, empty is `{}`.
  std::optional<std::vector<DownloadLink>> downloads;
  // The `"default"` member when present (`true` marks the CPU fallback
  // cells of macOS).
  std::optional<bool> is_default;

  friend bool operator==(const InstallOption&, const InstallOption&) = default;
};

// The cells of one package manager ("pip", "conda", "libtorch") on one OS.
struct PackageManagerOptions {
  std::string name;
  std::vector<InstallOption> options;

  friend bool operator==(const PackageManagerOptions&,
                         const PackageManagerOptions&) = default;
};

// The package managers of one operating system ("linux", "macos", "windows").
struct OsOptions {
  std::string name;
  std::vector<PackageManagerOptions> package_managers;

  friend bool operator==(const OsOptions&, const OsOptions&) = default;
};

// The table of one published release: "preview", "2.4.0", "lts-1.8.2".
struct PublishedRelease {
  std::string name;
  std::vector<OsOptions> systems;

  // Returns the cell at (os, package manager, accelerator), or nullptr.
  const InstallOption* Find(absl::string_view os,
                            absl::string_view package_manager,
                            absl::string_view accelerator) const;
  InstallOption* Find(absl::string_view os, absl::string_view package_manager,
                      absl::string_view accelerator);

  friend bool operator==(const PublishedRelease&,
                         const PublishedRelease&) = default;
};

// The whole of published_versions.json. Every JSON object is kept in its
// order; cells are written `note`, `command`|`versions`, `default`.
struct PublishedVersions {
  // Parses published_versions.json. Returns InvalidArgument naming `source`
  // and the line/column of malformed JSON, or the JSON path of a member of
  // the wrong shape (`published_versions.json: $.versions.preview.linux.pip
  // ["cuda.x"].command: expected a string or null`), an unknown member, or a
  // `latest_stable` that names no release.
  static absl::StatusOr<PublishedVersions> Parse(
      absl::string_view json, absl::string_view source = "<input>");

  // Returns the JSON text: 2-space indentation and `": "` separators, no
  // trailing newline (what Python's `json.dump(indent=2)` writes for ASCII
  // text), so that parsing and writing the real file gives it back
  // byte for byte.
  std::string ToJson() const;

  // Returns the release named `name`, or nullptr.
  const PublishedRelease* Find(absl::string_view name) const;
  PublishedRelease* Find(absl::string_view name);
  // Returns the names of the releases in file order.
  std::vector<std::string> ReleaseNames() const;

  std::string latest_stable;
  // Absent in files that have no LTS release.
  std::optional<std::string> latest_lts;
  std::vector<PublishedRelease> releases;

  friend bool operator==(const PublishedVersions&,
                         const PublishedVersions&) = default;
};

// -----------------------------------------------------------------------------
// Build matrix input

// The fields of one build-matrix entry (`generate_binary_build_matrix.py` /
// `relkit build-matrix` output) that the Get Started page uses, plus the
// operating system the matrix was generated for.
struct MatrixInstall {
  std::string os;                // "linux", "windows", "macos"
  std::string package_type;      // "manywheel", "wheel", "libtorch", "conda"
  std::string gpu_arch_type;     // "cpu", "cuda", "rocm", "xpu", ...
  std::string gpu_arch_version;  // "12.6", "7.14", "" for cpu
  std::string desired_cuda;      // "cu126", "rocm7.14", "cpu"
  std::string installation;      // the pip command or the libtorch URL
  std::string libtorch_variant;  // "shared-with-deps" (libtorch only)
  std::string libtorch_config;   // "release"/"debug" (Windows libtorch)
  std::string devtoolset;        // "cxx11-abi"/"pre-cxx11" (libtorch)
  std::string stable_version;    // "2.13.0"

  friend bool operator==(const MatrixInstall&, const MatrixInstall&) = default;
};

// Parses a build matrix document `{"include": [...]}`. `os` is the operating
// system it was generated for ("linux", "windows", "macos"); when empty it is
// inferred per entry (package type `manywheel` or a `linux` runner: linux; a
// `windows` runner or `win` in the name: windows; a `macos` runner: macos).
// Returns InvalidArgument naming `source` and the line/column or JSON path of
// a malformed document, and the entry whose OS cannot be inferred.
absl::StatusOr<std::vector<MatrixInstall>> ParseMatrixInstalls(
    absl::string_view json, absl::string_view source = "<input>",
    absl::string_view os = "");

// Returns the builds the Get Started page draws on for `channel`: the
// generator's wheel and libtorch entries for linux, windows and macos-arm64
// (named "macos"), all Python versions, in the getting-started view (CUDA
// versions hidden from the page left out). Returns the generator's errors
// (FailedPrecondition when the channel's version is not recorded).
absl::StatusOr<std::vector<MatrixInstall>> GettingStartedBuilds(
    const BuildMatrix& matrix, BuildChannel channel);

// -----------------------------------------------------------------------------
// Choosing the page's accelerator columns

// What one accelerator key of the page stands for in the build matrix.
struct AcceleratorSlot {
  std::string key;               // "cuda.x"
  std::string gpu_arch_type;     // "cuda"
  std::string gpu_arch_version;  // "12.6"

  friend bool operator==(const AcceleratorSlot&,
                         const AcceleratorSlot&) = default;
};

// The accelerator columns chosen for a channel.
struct AcceleratorSlots {
  std::vector<AcceleratorSlot> slots;
  // CUDA versions of the matrix that no `cuda.*` key shows (the oldest ones
  // when there are more versions than keys), dotted ("11.8").
  std::vector<std::string> unshown_cuda;
};

// Returns which build each key of `keys` (a release's accelerator keys, e.g.
// accnone, cuda.x, cuda.y, rocm5.x) shows, from the Linux entries of
// `builds`: `accnone` is CPU; the generic `cuda.<letter>` keys, in letter
// order, show the newest CUDA versions in ascending numeric order (two keys
// and CUDA 12.6, 13.0, 13.2 give cuda.x = 13.0, cuda.y = 13.2); a generic
// `rocm<N>.x` key shows the numerically newest ROCm (7.14 over 7.2); a fixed
// key (`cuda10.2`, `cuda11.6`) shows that version. Keys with nothing to show
// (no ROCm build) are left out. Returns InvalidArgument for an unparsable
// CUDA or ROCm version in the matrix.
absl::StatusOr<AcceleratorSlots> ChooseAcceleratorSlots(
    absl::Span<const MatrixInstall> builds, absl::Span<const std::string> keys);

// -----------------------------------------------------------------------------
// Publishing a stable release

// One changed member of a cell in a plan.
struct CellChange {
  std::string release;                // "2.5.0"
  std::string os;                     // "linux"
  std::string package_manager;        // "pip"
  std::string accelerator;            // "cuda.x"
  std::string field;                  // "command" or a libtorch download label
  std::optional<std::string> before;  // nullopt: absent or null
  std::optional<std::string> after;   // nullopt: removed or null

  friend bool operator==(const CellChange&, const CellChange&) = default;
};

// What `PlanStableRelease` would do: the new value and an account of it.
struct PublishPlan {
  PublishedVersions result;
  std::string version;         // the release key, "2.5.0"
  bool added_release = false;  // false: the release existed and was updated
  std::optional<std::string> previous_latest_stable;
  bool latest_stable_changed = false;
  std::vector<AcceleratorSlot> slots;
  std::vector<CellChange> changes;
  // Things a release manager should look at: CUDA versions not shown, cells
  // no build filled (still the preview's text), builds whose stable_version
  // differs from the version being published.
  std::vector<std::string> warnings;
};

// Plans publishing `version` (a final release such as "2.5.0") from the
// release channel's `builds`: copies the `preview` table as the new release
// (appended after the existing ones, as the site's generator does) unless the
// release exists, fills every cell whose (package type, accelerator) has a
// build, and moves `latest_stable` to `version` when it is newer. `pip` cells
// use `manywheel` builds on Linux and `wheel` builds elsewhere; cells marked
// `default` use the CPU build, and so do macOS cells of an accelerator macOS
// has no build for. Returns InvalidArgument when `version` is not
// a final release (no pre/dev/local part) or `builds` is empty, and
// FailedPrecondition when there is no `preview` release to copy.
absl::StatusOr<PublishPlan> PlanStableRelease(
    const PublishedVersions& current, absl::string_view version,
    absl::Span<const MatrixInstall> builds);

// -----------------------------------------------------------------------------
// quick-start-module.js

// Returns the install matrix of quick-start-module.js: one entry per cell of
// the `preview` and `latest_stable` releases, keyed
// "{preview|stable},{pip|conda|libtorch},{os},{accelerator},{python|cplusplus}"
// in file order, valued with the note and the command (or `label<br /><a
// href='url'>url</a>` per libtorch link) joined by `<br />`. Returns
// FailedPrecondition when `preview` or the latest stable release is missing.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
QuickStartInstallMatrix(const PublishedVersions& versions);

// Returns the quick-start module data as one JSON object:
// {"stable_version": "Stable (2.5.0)", "install_matrix": {...}} plus
// "acc_arch_map": {"accnone": ["cpu", ""], "cuda.x": ["cuda", "12.6"], ...}
// when `slots` is not empty. Errors as `QuickStartInstallMatrix`.
absl::StatusOr<std::string> QuickStartModuleJson(
    const PublishedVersions& versions,
    absl::Span<const AcceleratorSlot> slots = {});

}  // namespace relkit

#endif  // RELKIT_PUBLISHED_VERSIONS_H_
