// File: relkit/pypi_upload.h
// -----------------------------------------------------------------------------
//
// The last step of a release: the staged wheels to PyPI, once and only once.
// A plan first (what would be uploaded, what the index already has, any
// conflict), then an apply that uploads only what is missing.
//
//   absl::StatusOr<relkit::PypiUploadPlan> plan = relkit::PlanPypiUpload(
//       *staging, "torch-2.4.0-pypi-staging/", *client,
//       {.packages = {"torch"}});
//   plan->ok();              // false: a conflict; nothing may be sent
//   absl::StatusOr<relkit::PypiUploadResult> done =
//       relkit::ApplyPypiUpload(*plan, *staging, *client);
//   done->ok();              // every file uploaded or already there
//
// The staging layout is the scripts' `<pkg>-<version>-pypi-staging/<wheel>`,
// but every `.whl` under the prefix is taken (optionally only those of some
// packages). Each file's sha256 is the `checksum-sha256` metadata that
// staging writes, or else computed from a download. The index (PEP 691) is
// asked once per project while planning: the same filename with the same
// sha256 is "already there"; with another sha256 it is a conflict, and a
// plan with a conflict is refused whole before any byte is sent (a file
// name on PyPI can never be reused).
//
// The apply, for each file to upload: download it from the staging store to
// a temporary file, verify its sha256 against the plan, read its METADATA,
// build twine's form (relkit/pypi_client.h), ask the index again right
// before sending, send, and confirm on the index. A rerun after an
// interruption finds on the index what an earlier run sent and uploads only
// what is missing; no file is ever sent twice.

#ifndef RELKIT_PYPI_UPLOAD_H_
#define RELKIT_PYPI_UPLOAD_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/object_store.h"
#include "relkit/pypi_client.h"

namespace relkit {

// What the plan does with one staged file.
enum class PypiFileAction : uint8_t {
  kUpload,        // not on the index: to be uploaded
  kAlreadyThere,  // the index has the same filename with the same sha256
  kConflict,      // the index has the same filename with another sha256
};

// Returns "upload", "already there" or "conflict".
absl::string_view PypiFileActionName(PypiFileAction action);

// One staged wheel.
struct PypiPlannedFile {
  std::string key = {};       // in the staging store
  std::string filename = {};  // base name, as uploaded
  std::string project = {};   // normalized
  std::string version = {};   // from the file name
  uint64_t size = 0;
  std::string sha256 = {};  // hex
  // True when the staged object had no `checksum-sha256` metadata and the
  // sha256 was computed from a download.
  bool sha256_computed = false;
  PypiFileAction action = PypiFileAction::kUpload;
  // The index's sha256 of the same filename (already there, conflict).
  std::optional<std::string> index_sha256 = {};

  friend bool operator==(const PypiPlannedFile&,
                         const PypiPlannedFile&) = default;
};

// What the index had of one project while planning.
struct PypiIndexProject {
  std::string project = {};
  bool exists = false;  // false: a new project (404)
  size_t files = 0;     // files the index lists

  friend bool operator==(const PypiIndexProject&,
                         const PypiIndexProject&) = default;
};

struct PypiUploadPlan {
  std::string staging = {};  // the store's description
  std::string prefix = {};
  std::string repository_url = {};  // credentials removed
  std::string index_url = {};
  std::vector<std::string> packages = {};  // the filter; empty: all
  std::vector<PypiIndexProject> projects = {};
  std::vector<PypiPlannedFile> files = {};  // in key order
  // Staged keys that refuse the plan: a `.whl` whose name does not parse,
  // two staged files with one name.
  std::vector<std::string> problems = {};

  size_t upload_count() const;
  size_t already_there_count() const;
  size_t conflict_count() const;
  uint64_t upload_bytes() const;
  // True when nothing conflicts and there is no problem.
  bool ok() const { return conflict_count() == 0 && problems.empty(); }
};

struct PypiUploadPlanOptions {
  // Only wheels of these projects (any spelling; compared normalized).
  std::vector<std::string> packages = {};
  // Where downloads go while planning (a staged object without
  // `checksum-sha256`); empty: the system's temporary directory.
  std::string temp_dir = {};
  // Called with short notes of long work ("hashing x.whl").
  std::function<void(absl::string_view)> progress = {};
};

// Lists `prefix` of `staging`, reads each wheel's sha256 and asks the index
// once per project. Errors: the store's (listing, Head, Get) and the
// index's (relkit/pypi_client.h); InvalidArgument when no staged wheel
// matches (naming the prefix and the filter).
absl::StatusOr<PypiUploadPlan> PlanPypiUpload(
    ObjectStore& staging, absl::string_view prefix, PypiClient& client,
    const PypiUploadPlanOptions& options = {});

// What the apply did with one file.
struct PypiAppliedFile {
  std::string key = {};
  std::string filename = {};
  // "uploaded", "already uploaded" (found on the index right before
  // sending, or after a try whose answer was lost) or "already there" (so
  // in the plan).
  std::string status = {};
  int attempts = 0;  // POSTs sent
  // The index listed the file with its sha256 after the upload.
  bool confirmed = false;
  std::vector<std::string> notes = {};
};

struct PypiUploadFailure {
  std::string key = {};
  std::string filename = {};
  absl::Status status = {};
};

struct PypiUploadResult {
  std::vector<PypiAppliedFile> files = {};
  // The first failure; the files after it were not tried.
  std::optional<PypiUploadFailure> failure = {};

  size_t uploaded_count() const;
  size_t already_count() const;  // already uploaded or already there
  bool ok() const { return !failure.has_value(); }
};

// Progress of an apply.
struct PypiUploadProgress {
  size_t done = 0;  // files finished
  size_t total = 0;
  std::string filename = {};
  std::string stage = {};  // "downloading", "uploading", "confirming"
};

struct PypiUploadApplyOptions {
  std::string temp_dir = {};
  std::function<void(const PypiUploadProgress&)> progress = {};
};

// Uploads the plan's files to upload (see the file comment). Returns
// FailedPrecondition, sending nothing, when the plan is not ok. A failure
// of one file (download, DataLoss for a sha256 that differs from the plan,
// a wheel that does not read, the upload) stops the run and is the
// result's `failure`; what was done before it is in `files`.
absl::StatusOr<PypiUploadResult> ApplyPypiUpload(
    const PypiUploadPlan& plan, ObjectStore& staging, PypiClient& client,
    const PypiUploadApplyOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_PYPI_UPLOAD_H_
