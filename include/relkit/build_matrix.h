// File: relkit/build_matrix.h
// -----------------------------------------------------------------------------
//
// The binary build matrix of a PyTorch-like project: which (Python, CPU/CUDA/
// ROCm/XPU) builds each channel (nightly, test, release) produces, and the
// generator that replaces test-infra's
// `tools/scripts/generate_binary_build_matrix.py`. The tables are data: the
// embedded default is the state at pytorch/test-infra@61a77570 (nightly
// 2.15.0, candidate 2.14.0, stable 2.13.0); any other state loads from JSON in
// the same shape as the entries of test-infra's table timeline.
//
//   const relkit::BuildMatrix& m = relkit::BuildMatrix::Default();
//   m.tables(relkit::BuildChannel::kRelease).cuda_arches;  // {"12.6", ...}
//
//   relkit::BuildMatrixOptions options;     // the script's defaults
//   options.os = relkit::BuildOs::kWindows;
//   options.build_python_only = false;
//   absl::StatusOr<std::vector<relkit::BuildMatrixEntry>> include =
//       relkit::GenerateBuildMatrix(m, options);
//   relkit::BuildMatrixToJson(*include);    // {"include": [{...}, ...]}
//
//   relkit::BuildMatrix cut = m.BranchCut();   // candidate := nightly
//   relkit::BuildMatrix live = cut.GoLive();   // stable := candidate
//
//   // What a release channel is expected to publish (one entry per wheel
//   // build: OS, Python, accelerator):
//   relkit::ExpectedWheels(m, relkit::BuildChannel::kRelease);
//
// All types are plain values (std + abseil); JSON is read and written in
// src/values/build_matrix.cc only.

#ifndef RELKIT_BUILD_MATRIX_H_
#define RELKIT_BUILD_MATRIX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/conventions.h"
#include "relkit/version.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Names

// A binary channel: nightly (main), test (release candidates), release.
enum class BuildChannel : uint8_t { kNightly, kTest, kRelease };

// Returns "nightly", "test" or "release".
absl::string_view BuildChannelName(BuildChannel channel);
// Parses "nightly", "test" or "release". Returns InvalidArgument listing the
// valid channels otherwise.
absl::StatusOr<BuildChannel> ParseBuildChannel(absl::string_view name);
// Parses a channel or "all" (nightly, test, release in that order).
absl::StatusOr<std::vector<BuildChannel>> ParseBuildChannels(
    absl::string_view name);

// An operating system of the generator. `kMacos` is the legacy name "macos"
// that test-infra's own tests still pass (it has no point versions, runners
// or containers of its own and falls back to the Linux CPU defaults).
enum class BuildOs : uint8_t {
  kLinux,
  kLinuxAarch64,
  kMacos,
  kMacosArm64,
  kWindows,
  kWindowsArm64,
};

// Returns "linux", "linux-aarch64", "macos", "macos-arm64", "windows" or
// "windows-arm64".
absl::string_view BuildOsName(BuildOs os);
// Parses one of the names above. Returns InvalidArgument listing them
// otherwise.
absl::StatusOr<BuildOs> ParseBuildOs(absl::string_view name);
// Returns the operating systems that publish wheels today: linux,
// linux-aarch64, macos-arm64, windows, windows-arm64 (not the legacy macos).
std::vector<BuildOs> PublishedBuildOses();

// What a matrix entry builds.
enum class BuildPackageType : uint8_t { kWheel, kLibtorch };

// Returns "wheel" or "libtorch".
absl::string_view BuildPackageTypeName(BuildPackageType type);
// Parses "wheel", "libtorch", "all" (both) or a comma-separated list of
// them. Returns InvalidArgument listing the valid names otherwise ("conda"
// is no longer built and is rejected).
absl::StatusOr<std::vector<BuildPackageType>> ParseBuildPackageTypes(
    absl::string_view names);

// -----------------------------------------------------------------------------
// Tables

// The tables of one channel (test-infra's `*_DICT[channel]` entries).
struct ChannelTables {
  // Python versions, oldest first ("3.10", ..., "3.14t").
  std::vector<std::string> python_versions;
  // CUDA versions, dotted ("12.6", "13.0").
  std::vector<std::string> cuda_arches;
  // ROCm versions, dotted ("7.2", "7.14").
  std::vector<std::string> rocm_arches;
  // XPU builds; {"xpu"} while XPU is built.
  std::vector<std::string> xpu_arches;
  // The CUDA version installed from PyPI without an index URL ("13.0"), or
  // "" when unknown.
  std::string stable_cuda;

  friend bool operator==(const ChannelTables&, const ChannelTables&) = default;
};

// The full CUDA version and cuDNN major of one CUDA arch
// (`CUDA_CUDNN_VERSIONS["12.6"] = {"cuda": "12.6.3", "cudnn": "9"}`).
struct CudaToolkit {
  std::string arch;   // "12.6"
  std::string cuda;   // "12.6.3"
  std::string cudnn;  // "9"

  friend bool operator==(const CudaToolkit&, const CudaToolkit&) = default;
};

// The build matrix tables of one state of the release process.
struct BuildMatrix {
  ChannelTables nightly;
  ChannelTables test;
  ChannelTables release;

  // Global tables (not per channel in test-infra).
  std::vector<CudaToolkit> cuda_cudnn;
  // Linux aarch64 CUDA arches ("12.6-aarch64").
  std::vector<std::string> cuda_aarch64_arches;
  // CUDA arches not built for Windows ("13.4").
  std::vector<std::string> cuda_arches_no_windows;
  // CUDA arches hidden from the Get Started page ("13.4"); also hides their
  // aarch64 variants.
  std::vector<std::string> cuda_arches_no_getting_started;
  // Python versions for which only torch is installed (no torchvision yet).
  std::vector<std::string> torch_only_python_versions;
  // macOS (arm64) Python point versions ({"3.10", "3.10.19"}, ...).
  std::vector<std::pair<std::string, std::string>> macos_python_point_versions;
  // The ROCm version shown on the Get Started page when it is built on the
  // channel (otherwise the numerically newest ROCm is shown).
  std::optional<std::string> getting_started_rocm_arch;
  // The package types the generator knows, as recorded ("wheel", "libtorch").
  std::vector<std::string> package_types;

  // CURRENT_NIGHTLY_VERSION / CURRENT_CANDIDATE_VERSION /
  // CURRENT_STABLE_VERSION; absent in early states of the timeline.
  std::optional<Version> nightly_version;
  std::optional<Version> candidate_version;
  std::optional<Version> stable_version;

  // Returns the tables at pytorch/test-infra@61a77570 (embedded from
  // data/build_matrix.json). The embedded file is checked by the tests; the
  // process aborts if it does not parse.
  static const BuildMatrix& Default();

  // Parses a JSON object in the shape of a test-infra timeline entry:
  // `CURRENT_{NIGHTLY,CANDIDATE,STABLE}_VERSION`, `{PYTHON,CUDA,ROCM,XPU}_
  // ARCHES_DICT` (objects with "nightly", "test", "release" arrays),
  // `STABLE_CUDA_VERSIONS`, `CUDA_CUDNN_VERSIONS`, `CUDA_AARCH64_ARCHES`,
  // `CUDA_ARCHES_NO_WINDOWS`, `CUDA_ARCHES_NO_GETTING_STARTED`,
  // `TORCH_ONLY_PYTHON_ARCHES`, `MACOS_PYTHON_POINT_VERSIONS`,
  // `GETTING_STARTED_ROCM_ARCH`, `PACKAGE_TYPES`. Every key is optional (a
  // missing table is empty); "commit", "date", "subject" and keys starting
  // with "_" are ignored. Returns InvalidArgument naming `source` and the
  // JSON path (`tables.json: $.CUDA_ARCHES_DICT.test[1]: expected a
  // string`) for malformed JSON, an unknown key, a value of the wrong shape,
  // a bad version or a CUDA/ROCm arch that is not a dotted version.
  static absl::StatusOr<BuildMatrix> FromJson(
      absl::string_view json, absl::string_view source = "<input>");
  // Reads and parses the file at `path` (errors name the path; read errors
  // as relkit/files.h's `ReadFile`: NotFound when it does not exist).
  static absl::StatusOr<BuildMatrix> Load(const std::string& path);

  // Returns the JSON object that `FromJson` reads (2-space indented).
  std::string ToJson() const;

  // Returns the tables of `channel`.
  const ChannelTables& tables(BuildChannel channel) const;
  ChannelTables& tables(BuildChannel channel);

  // Returns the version the channel's artifacts carry as "stable_version":
  // the candidate for test, the stable version for nightly and release (as
  // test-infra does). Returns nullopt when that version is not recorded.
  std::optional<Version> CurrentVersion(BuildChannel channel) const;

  // Returns the channel whose current version has the release numbers of
  // `version` (2.14.0rc3 -> test while 2.14.0 is the candidate; 2.15.0.dev…
  // -> nightly), preferring release, then test, then nightly. nullopt when
  // none matches.
  std::optional<BuildChannel> ChannelForVersion(const Version& version) const;

  // Returns the cuDNN row of a CUDA arch ("12.6"), or nullopt.
  std::optional<CudaToolkit> CudaToolkitFor(absl::string_view arch) const;

  // Returns the state after a branch cut: candidate := nightly version, the
  // test tables := the nightly tables (all of ChannelTables).
  BuildMatrix BranchCut() const;
  // Returns the state after go-live: stable := candidate version, the
  // release tables := the test tables.
  BuildMatrix GoLive() const;

  friend bool operator==(const BuildMatrix&, const BuildMatrix&) = default;
};

// One state of test-infra's table history (an entry of
// test-infra_binary_build_matrix_timeline.json).
struct BuildMatrixState {
  std::string commit;
  std::string date;     // "2026-08-12"
  std::string subject;  // the commit subject
  BuildMatrix tables;
};

// Parses a JSON array of timeline entries (each a `BuildMatrix::FromJson`
// object plus "commit", "date", "subject"). Errors name `source` and the path
// (`$[12].ROCM_ARCHES_DICT.nightly`).
absl::StatusOr<std::vector<BuildMatrixState>> ParseBuildMatrixTimeline(
    absl::string_view json, absl::string_view source = "<input>");

// -----------------------------------------------------------------------------
// Generator

// The generator's options, with the reference script's defaults.
struct BuildMatrixOptions {
  std::vector<BuildPackageType> package_types = {BuildPackageType::kWheel};
  BuildOs os = BuildOs::kLinux;
  std::vector<BuildChannel> channels = {BuildChannel::kNightly};
  bool with_cuda = true;
  bool with_rocm = true;
  bool with_cpu = true;
  bool with_xpu = true;
  // Explicit Python versions for wheels; empty means the channel's table.
  // Ignored for libtorch (which has no Python).
  std::vector<std::string> python_versions;
  // Only the channel's oldest Python (for pure-Python packages). The script
  // defaults to true; its reusable workflow passes false.
  bool build_python_only = true;
  // Only the first Python version (pull requests).
  bool limit_pr_builds = false;
  // Install commands always use download.pytorch.org, never bare PyPI.
  bool use_only_dl_pytorch_org = false;
  // The Get Started page's view: no CUDA from
  // `cuda_arches_no_getting_started`, exactly one ROCm.
  bool getting_started = false;
};

// One element of the matrix's "include" list. Wheel entries and libtorch
// entries have different keys; `Fields()` gives the script's keys in order.
struct BuildMatrixEntry {
  BuildPackageType kind = BuildPackageType::kWheel;
  BuildOs os = BuildOs::kLinux;
  BuildChannel build_channel = BuildChannel::kNightly;
  std::string python_version;  // wheel only ("3.10", macOS "3.10.19")
  std::string gpu_arch_type;  // cpu, cpu-aarch64, cuda, cuda-aarch64, rocm, xpu
  std::string gpu_arch_version;  // "" for cpu/cpu-aarch64/xpu
  std::string desired_cuda;      // cpu, cu130, rocm7.2, xpu
  std::string libtorch_variant;  // libtorch only
  std::string libtorch_config;   // libtorch only ("release" on windows)
  std::string devtoolset;        // libtorch only (cxx11-abi, "" on windows)
  std::string container_image;
  std::string package_type;  // manywheel, wheel, libtorch
  std::string build_name;
  std::string validation_runner;
  std::string installation;
  std::string channel;
  std::string upload_to_base_bucket;  // wheel only: "yes" / "no"
  std::string stable_version;

  // Returns the accelerator this entry builds for (`cpu-aarch64` is CPU,
  // `cuda-aarch64` CUDA).
  absl::StatusOr<Accelerator> GetAccelerator() const;

  // Returns the (key, value) pairs in the reference script's key order.
  std::vector<std::pair<std::string, std::string>> Fields() const;

  friend bool operator==(const BuildMatrixEntry&,
                         const BuildMatrixEntry&) = default;
};

// Generates the matrix for every (channel, package type) of `options`, in
// that nesting order. Returns InvalidArgument when a Python version in
// `options.python_versions` is not MAJOR.MINOR[t], and FailedPrecondition
// when the version a channel needs (`CurrentVersion`) is not recorded.
absl::StatusOr<std::vector<BuildMatrixEntry>> GenerateBuildMatrix(
    const BuildMatrix& matrix, const BuildMatrixOptions& options = {});

// Parses the script's `--python-versions` value: a JSON array of Python
// versions (`["3.10", "3.14t"]`; `[]` means the channel's table). Returns
// InvalidArgument naming `source` and the line/column or JSON path of the
// problem (the script silently ignores malformed JSON instead).
absl::StatusOr<std::vector<std::string>> ParsePythonVersionList(
    absl::string_view json, absl::string_view source = "--python-versions");

// Returns `{"include": [...]}`: compact in the script's `json.dumps` style
// (", " and ": " separators) with `indent` 0, else indented by `indent`
// spaces as `json.dump(..., indent=N)` writes.
std::string BuildMatrixToJson(absl::Span<const BuildMatrixEntry> entries,
                              int indent = 0);

// -----------------------------------------------------------------------------
// Queries for release checks

// A wheel build the matrix expects on a channel.
struct ExpectedWheel {
  BuildOs os = BuildOs::kLinux;
  std::string python_version;  // "3.10", "3.14t" (no macOS point version)
  Accelerator accelerator;     // cpu, cu130, rocm7.2, xpu
  std::string build_name;

  friend bool operator==(const ExpectedWheel&, const ExpectedWheel&) = default;
};

// Returns every wheel build of `channel` for `oses` (empty: all of
// `PublishedBuildOses()`), with every accelerator enabled and all Python
// versions (the full matrix, not the Get Started view).
absl::StatusOr<std::vector<ExpectedWheel>> ExpectedWheels(
    const BuildMatrix& matrix, BuildChannel channel,
    absl::Span<const BuildOs> oses = {});

// Returns the CUDA and ROCm accelerators of `channel` (cu126, ..., rocm7.2,
// rocm7.14), each kind sorted numerically.
absl::StatusOr<std::vector<Accelerator>> ChannelGpuAccelerators(
    const BuildMatrix& matrix, BuildChannel channel);

// Returns the ROCm version the Get Started page shows for `channel`:
// `getting_started_rocm_arch` when the channel builds it, else the
// numerically newest ROCm ("7.14" > "7.2"); nullopt without ROCm.
std::optional<std::string> GettingStartedRocm(const BuildMatrix& matrix,
                                              BuildChannel channel);

}  // namespace relkit

#endif  // RELKIT_BUILD_MATRIX_H_
