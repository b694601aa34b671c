// The staged wheels to PyPI, once: plan (staging listing + the index) and
// apply (download, verify, read METADATA, upload through PypiClient, which
// asks the index before every try, confirm).

#include "relkit/pypi_upload.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "internal/temp_dir.h"
#include "relkit/sha256_digest.h"
#include "relkit/status.h"
#include "relkit/wheel.h"
#include "relkit/wheel_archive.h"

namespace relkit {

absl::string_view PypiFileActionName(PypiFileAction action) {
  switch (action) {
    case PypiFileAction::kUpload:
      return "upload";
    case PypiFileAction::kAlreadyThere:
      return "already there";
    case PypiFileAction::kConflict:
      return "conflict";
  }
  return "unknown";
}

namespace {

using internal::TempDir;

size_t CountAction(const PypiUploadPlan& plan, PypiFileAction action) {
  return static_cast<size_t>(std::count_if(
      plan.files.begin(), plan.files.end(),
      [action](const PypiPlannedFile& f) { return f.action == action; }));
}

// Removes a file when it goes out of scope (a 1 GB download must not stay
// in the temporary directory while the next one comes in).
class RemoveOnExit {
 public:
  explicit RemoveOnExit(std::string path) : path_(std::move(path)) {}
  ~RemoveOnExit() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;

 private:
  std::string path_;
};

absl::string_view BaseName(absl::string_view key) {
  const size_t slash = key.rfind('/');
  return slash == absl::string_view::npos ? key : key.substr(slash + 1);
}

bool IsHex64(absl::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_isxdigit(static_cast<unsigned char>(c));
         });
}

}  // namespace

size_t PypiUploadPlan::upload_count() const {
  return CountAction(*this, PypiFileAction::kUpload);
}
size_t PypiUploadPlan::already_there_count() const {
  return CountAction(*this, PypiFileAction::kAlreadyThere);
}
size_t PypiUploadPlan::conflict_count() const {
  return CountAction(*this, PypiFileAction::kConflict);
}
uint64_t PypiUploadPlan::upload_bytes() const {
  uint64_t total = 0;
  for (const PypiPlannedFile& f : files) {
    if (f.action == PypiFileAction::kUpload) total += f.size;
  }
  return total;
}

size_t PypiUploadResult::uploaded_count() const {
  return static_cast<size_t>(
      std::count_if(files.begin(), files.end(), [](const PypiAppliedFile& f) {
        return f.status == PypiUploadStatusName(PypiUploadStatus::kUploaded);
      }));
}
size_t PypiUploadResult::already_count() const {
  return files.size() - uploaded_count();
}

absl::StatusOr<PypiUploadPlan> PlanPypiUpload(
    ObjectStore& staging, absl::string_view prefix, PypiClient& client,
    const PypiUploadPlanOptions& options) {
  PypiUploadPlan plan;
  plan.staging = staging.Describe();
  plan.prefix = std::string(prefix);
  plan.repository_url = RedactUrl(client.options().repository_url);
  plan.index_url = RedactUrl(client.options().index_url);
  plan.packages = options.packages;
  std::set<std::string> wanted;
  for (const std::string& p : options.packages) {
    wanted.insert(CanonicalizeName(p));
  }

  RELKIT_ASSIGN_OR_RETURN(std::vector<ObjectInfo> objects,
                          staging.ListAll(prefix));
  std::map<std::string, std::string> key_of_filename;
  std::optional<TempDir> temp;
  for (const ObjectInfo& object : objects) {
    const absl::string_view name = BaseName(object.key);
    if (!absl::EndsWith(name, ".whl")) continue;
    absl::StatusOr<WheelFilename> wheel = WheelFilename::Parse(name);
    if (!wheel.ok()) {
      plan.problems.push_back(
          absl::StrCat(object.key, ": ", wheel.status().message()));
      continue;
    }
    if (!wanted.empty() && !wanted.contains(wheel->name())) continue;
    // PyPI answers 400 to a local version (PEP 440: not for public
    // indexes), and only when that file's turn comes, after the files before
    // it were sent: refused here, before anything is sent. A `+cu130` wheel
    // here means --staging points at the download channel's staging.
    if (const std::optional<std::string>& local = wheel->version().local();
        local.has_value()) {
      plan.problems.push_back(absl::StrCat(
          object.key, ": the version ", wheel->version().ToString(),
          " has a local label (+", *local,
          "), which PyPI refuses; PyPI wheels carry none (is --staging the "
          "PyPI staging?)"));
      continue;
    }
    if (auto [it, inserted] =
            key_of_filename.emplace(std::string(name), object.key);
        !inserted) {
      plan.problems.push_back(
          absl::StrCat(object.key, ": the same file name is also staged as ",
                       it->second, "; a name can be uploaded once"));
      continue;
    }
    PypiPlannedFile file{.key = object.key,
                         .filename = std::string(name),
                         .project = wheel->name(),
                         .version = wheel->version().ToString(),
                         .size = object.size};
    RELKIT_ASSIGN_OR_RETURN(ObjectInfo head, staging.Head(object.key));
    file.size = head.size;
    if (auto it = head.metadata.find("checksum-sha256");
        it != head.metadata.end() && IsHex64(it->second)) {
      file.sha256 = absl::AsciiStrToLower(it->second);
    } else {
      if (!temp.has_value()) {
        RELKIT_ASSIGN_OR_RETURN(TempDir made,
                                TempDir::Create(options.temp_dir, "pypi"));
        temp.emplace(std::move(made));
      }
      if (options.progress) {
        options.progress(
            absl::StrCat("hashing ", name, " (no checksum-sha256 metadata)"));
      }
      const std::string path = absl::StrCat(temp->path(), "/", name);
      RemoveOnExit remove(path);
      RELKIT_RETURN_IF_ERROR(staging.Get(object.key, path));
      RELKIT_ASSIGN_OR_RETURN(file.sha256, Sha256OfFile(path));
      file.sha256_computed = true;
    }
    plan.files.push_back(std::move(file));
  }
  if (plan.files.empty() && plan.problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no staged wheel under \"", prefix, "\" of ", plan.staging,
        wanted.empty() ? std::string()
                       : absl::StrCat(" for ", absl::StrJoin(wanted, ", "))));
  }

  // One look at the index per project.
  std::map<std::string, PypiProjectFiles> index;
  for (const PypiPlannedFile& f : plan.files) {
    if (index.contains(f.project)) continue;
    if (options.progress) {
      options.progress(absl::StrCat("asking the index for ", f.project));
    }
    RELKIT_ASSIGN_OR_RETURN(PypiProjectFiles have,
                            client.ProjectFiles(f.project));
    plan.projects.push_back({.project = f.project,
                             .exists = have.exists,
                             .files = have.files.size()});
    index.emplace(f.project, std::move(have));
  }
  for (PypiPlannedFile& f : plan.files) {
    const PypiIndexFile* there = index[f.project].Find(f.filename);
    if (there == nullptr) continue;
    f.index_sha256 = there->sha256;
    f.action = there->sha256.has_value() && *there->sha256 == f.sha256
                   ? PypiFileAction::kAlreadyThere
                   : PypiFileAction::kConflict;
  }
  return plan;
}

namespace {

// Uploads one planned file; returns what was done, or the error.
absl::StatusOr<PypiAppliedFile> UploadOne(
    const PypiPlannedFile& file, ObjectStore& staging, PypiClient& client,
    const std::string& temp_dir,
    const std::function<void(absl::string_view)>& stage) {
  PypiAppliedFile applied{.key = file.key, .filename = file.filename};
  const std::string path = absl::StrCat(temp_dir, "/", file.filename);
  RemoveOnExit remove(path);
  stage("downloading");
  RELKIT_RETURN_IF_ERROR(staging.Get(file.key, path));
  RELKIT_ASSIGN_OR_RETURN(PypiFileDigests digests, PypiDigestsOfFile(path));
  if (digests.sha256 != file.sha256) {
    return absl::DataLossError(absl::StrCat(
        file.key, " has sha256 ", digests.sha256, ", not ", file.sha256,
        " as planned: the staged file changed; plan again"));
  }
  RELKIT_ASSIGN_OR_RETURN(WheelContents wheel, ReadWheel(path));
  RELKIT_ASSIGN_OR_RETURN(PypiUploadForm form,
                          PypiUploadFormFor(wheel, file.filename, digests));
  stage("uploading");
  RELKIT_ASSIGN_OR_RETURN(PypiUploadOutcome outcome, client.Upload(path, form));
  applied.status = std::string(PypiUploadStatusName(outcome.status));
  applied.attempts = outcome.attempts;
  applied.notes = std::move(outcome.notes);
  stage("confirming");
  absl::StatusOr<PypiProjectFiles> after = client.ProjectFiles(file.project);
  if (after.ok()) {
    const PypiIndexFile* there = after->Find(file.filename);
    applied.confirmed = there != nullptr && there->sha256 == file.sha256;
    if (!applied.confirmed) {
      applied.notes.push_back(
          "the index does not list the file yet (PyPI's index may lag); a "
          "rerun checks again");
    }
  } else {
    applied.notes.push_back(absl::StrCat("could not confirm on the index: ",
                                         after.status().message()));
  }
  return applied;
}

}  // namespace

absl::StatusOr<PypiUploadResult> ApplyPypiUpload(
    const PypiUploadPlan& plan, ObjectStore& staging, PypiClient& client,
    const PypiUploadApplyOptions& options) {
  if (!plan.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the upload plan has ", plan.conflict_count(), " conflicts and ",
        plan.problems.size(), " problems; nothing was sent"));
  }
  RELKIT_ASSIGN_OR_RETURN(TempDir temp,
                          TempDir::Create(options.temp_dir, "pypi"));
  PypiUploadResult result;
  const size_t total = plan.files.size();
  size_t done = 0;
  for (const PypiPlannedFile& file : plan.files) {
    if (file.action == PypiFileAction::kAlreadyThere) {
      result.files.push_back({.key = file.key,
                              .filename = file.filename,
                              .status = "already there",
                              .confirmed = true});
      ++done;
      continue;
    }
    auto stage = [&](absl::string_view what) {
      if (options.progress) {
        options.progress({.done = done,
                          .total = total,
                          .filename = file.filename,
                          .stage = std::string(what)});
      }
    };
    absl::StatusOr<PypiAppliedFile> applied =
        UploadOne(file, staging, client, temp.path(), stage);
    if (!applied.ok()) {
      result.failure = PypiUploadFailure{.key = file.key,
                                         .filename = file.filename,
                                         .status = applied.status()};
      return result;
    }
    result.files.push_back(*std::move(applied));
    ++done;
  }
  return result;
}

}  // namespace relkit
