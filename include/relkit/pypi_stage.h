// File: relkit/pypi_stage.h
// -----------------------------------------------------------------------------
//
// Staging a release's wheels for PyPI: select them from a test channel
// (relkit/pypi_staging.h's rule), download each, check its sha256 against
// what the channel publishes before anything is rewritten, rewrite it for
// PyPI (relkit/wheel_archive.h: bare version, pre-release classifiers
// dropped, RECORD regenerated) and put it in a staging store under
// `<package>-<version>-pypi-staging/<file>`, where `relkit pypi validate`
// checks it and `relkit pypi upload` takes it.
//
//   absl::StatusOr<relkit::PypiStagePlan> plan = relkit::PlanPypiStage(
//       release_set, rule, {.store = &test_bucket, .prefix = "whl/test/"},
//       {.store = &staging, .prefix = ""}, {.packages = {"torch"}});
//   plan->to_stage;        // what --execute would stage, and from where
//   plan->already_staged;  // staged from the same source before
//   absl::StatusOr<relkit::PypiStageResult> r =
//       relkit::ApplyPypiStage(*plan, &test_bucket, staging);
//
// The source is a store listing (every object under the prefix, all
// folders) or index pages (PEP 503 HTML or PEP 691 JSON, files or http(s)
// URLs; `{package}` and `{acc}` in a page's address are expanded for each
// package and for the stable CUDA label and `cpu`, as
// `https://download.pytorch.org/whl/test/{acc}/{package}/`). A wheel's
// published sha256 is the page's `#sha256=` / `hashes.sha256`, or the
// store object's `checksum-sha256` metadata.
//
// Staged objects carry `checksum-sha256` (of the staged file) and
// `relkit-source-sha256` (of the wheel it was made from). The plan reads
// them: a staged object made from the same source is "already staged"; one
// made from another source (or by another tool) is a conflict that refuses
// the plan unless `overwrite`. Applying is safe to kill and to rerun: each
// Put replaces an object whole, and a rerun plans only what is not staged.

#ifndef RELKIT_PYPI_STAGE_H_
#define RELKIT_PYPI_STAGE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "relkit/http_download.h"
#include "relkit/index_fetch.h"
#include "relkit/object_store.h"
#include "relkit/pypi_staging.h"
#include "relkit/release_versions.h"
#include "relkit/version.h"

namespace relkit {

// The metadata key of a staged object that names the sha256 of the wheel it
// was made from (lower-case hex).
inline constexpr absl::string_view kSourceSha256Metadata =
    "relkit-source-sha256";

// Where the test channel's wheels are read from: a store (when `store` is
// set) or index pages.
struct PypiStageSource {
  ObjectStore* store = nullptr;  // not owned
  std::string prefix = {};
  // Index page addresses (http(s) URLs or file paths), with optional
  // `{package}` and `{acc}` placeholders.
  std::vector<std::string> index_pages = {};
  IndexFetchOptions fetch = {};
};

// The staging store and the prefix of the staging folders. Not owned.
struct PypiStageDestination {
  ObjectStore* store = nullptr;
  std::string prefix = {};
};

enum class PypiStageProblemKind : uint8_t {
  kReleaseSet,       // a release_versions.sh problem that hides a version
  kUnknownPackage,   // a requested package the release set does not name
  kNotGa,            // a pre- or dev-release version: never staged for PyPI
  kNothingSelected,  // no wheel of the package version passes the rule
  kConflict,         // the staging store holds another file under a key
  kNoChecksum,       // warning: the source publishes no sha256 for a wheel
  kMissingPage,      // an index page that does not exist (404): an error
                     // for the stable CUDA page or the only page, else a
                     // warning
  kStrayFile,        // warning: a staged file the selection does not make
};

// Returns "release-set", "unknown-package", "not-ga", "nothing-selected",
// "conflict", "no-checksum", "missing-page" or "stray-file".
absl::string_view PypiStageProblemKindName(PypiStageProblemKind kind);

struct PypiStageProblem {
  PypiStageProblemKind kind = PypiStageProblemKind::kReleaseSet;
  bool error = true;  // false: a warning
  std::string package = {};
  std::string key = {};  // the staged key or the source location, if any
  std::string message = {};

  friend bool operator==(const PypiStageProblem&,
                         const PypiStageProblem&) = default;
};

// One selected wheel and where it goes.
struct PypiStageItem {
  std::string package = {};
  Version version = {};  // the release's (public) version
  PypiWheelSource source = {};
  std::string staged_key = {};
  // What the staging store holds under `staged_key` (Head), when it holds
  // something: its `relkit-source-sha256` (empty when it has none).
  std::optional<std::string> staged_source_sha256 = {};
  // The key holds a file from another source and is replaced (overwrite).
  bool overwrite = false;

  friend bool operator==(const PypiStageItem&, const PypiStageItem&) = default;
};

struct PypiStagePlan {
  std::string source = {};  // a store's Describe() or the index pages
  // The wheels come from a store (ApplyPypiStage needs it), not pages.
  bool source_is_store = false;
  std::string destination = {};
  std::string destination_prefix = {};
  PypiStagingRule rule = {};
  // Classifiers the rewrite drops (the rule's, unless options say others).
  std::vector<std::string> remove_classifiers = {};
  // One per requested package version, in request order.
  std::vector<PypiSelection> selections = {};
  // Sorted by staged key.
  std::vector<PypiStageItem> to_stage = {};
  std::vector<PypiStageItem> already_staged = {};
  std::vector<PypiStageProblem> problems = {};

  bool ok() const;
  int error_count() const;
  int warning_count() const;
  bool nothing_to_do() const { return to_stage.empty(); }
};

struct PypiStageOptions {
  // Packages to stage (any spelling); empty: every package of the set.
  std::vector<std::string> packages = {};
  // Replace staged files that came from another source (each a warning).
  bool overwrite = false;
  // Classifiers the rewrite drops; nullopt: the rule's
  // (`PypiStagingRule::RemovedClassifiers`).
  std::optional<std::vector<std::string>> remove_classifiers = {};
};

// Returns the plan (see the file comment). Reads the source (List/Head, or
// the index pages) and the staging store (List/Head); writes nothing.
// Problems are in the plan. Returns InvalidArgument for a null destination,
// a source with neither a store nor pages; errors of the stores and of
// fetching a page (other than NotFound, a kMissingPage problem) as they are.
absl::StatusOr<PypiStagePlan> PlanPypiStage(
    const ReleaseSet& release, const PypiStagingRule& rule,
    const PypiStageSource& source, const PypiStageDestination& destination,
    const PypiStageOptions& options = {});

struct PypiStageProgress {
  size_t done = 0;
  size_t total = 0;
  std::string key = {};
  std::string step = {};  // "download", "rewrite", "put"
};

struct PypiStageApplyOptions {
  // Where downloads and rewritten files go (a private directory is made in
  // it and removed); empty: $TMPDIR, else /tmp.
  std::string temp_dir = {};
  DownloadOptions download = {};
  std::function<void(const PypiStageProgress&)> progress = {};
  // Test only: a pause before each file, so a test can kill a run.
  absl::Duration delay_per_file = absl::ZeroDuration();
};

// One file staged by this run.
struct PypiStagedFile {
  std::string package = {};
  std::string source = {};  // the source's location
  std::string staged_key = {};
  std::string source_sha256 = {};
  std::string sha256 = {};  // of the staged file
  uint64_t size = 0;
  std::vector<std::string> removed_classifiers = {};
  bool overwritten = false;
};

struct PypiStageFailure {
  std::string key = {};  // the staged key
  absl::Status status = absl::OkStatus();
};

struct PypiStageResult {
  // The plan had nothing to stage (a rerun after a complete run).
  bool already_applied = false;
  std::vector<PypiStagedFile> staged = {};
  // Keys found staged from the same source (by the plan or, when the
  // source published no sha256, after the download).
  std::vector<std::string> already_staged = {};
  // The run stops at the first failure: a sha256 that does not match the
  // published one (DataLoss; nothing staged for that file), a conflict found
  // after a download (FailedPrecondition), a store or rewrite error.
  std::vector<PypiStageFailure> failed = {};

  bool ok() const { return failed.empty(); }
};

// Applies `plan`. `source_store` is the plan's source store (null for index
// pages). Returns FailedPrecondition for a plan with errors (nothing is
// done) or a store source without `source_store`; a file's failure is in
// `PypiStageResult::failed`.
absl::StatusOr<PypiStageResult> ApplyPypiStage(
    const PypiStagePlan& plan, ObjectStore* source_store,
    ObjectStore& destination, const PypiStageApplyOptions& options = {});

// Returns `link` (an index page's href, maybe relative) resolved against
// the page's address `page` (an http(s) URL or a file path): an absolute
// URL, or a file path with `%XX` escapes decoded.
std::string ResolveIndexLink(absl::string_view page, absl::string_view link);

}  // namespace relkit

#endif  // RELKIT_PYPI_STAGE_H_
