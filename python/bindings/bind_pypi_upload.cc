// Python bindings of the PyPI upload (relkit/pypi_upload.h):
// `relkit.pypi_upload(staging, ...)` plans, and with execute=True uploads,
// as `relkit pypi upload` does, and returns a PypiUploadRun.
//
// The token comes from the `token` argument or the environment
// (TWINE_PASSWORD, else PYPI_API_TOKEN); it is held only by the C++ client
// for the length of the call and never reaches a result, a repr or an
// error message.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "pybind11/functional.h"
#include "pybind11/stl.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/pypi_client.h"
#include "relkit/pypi_upload.h"
#include "relkit/pypi_upload_report.h"
#include "relkit/s3_store.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::python {
namespace {

// What pypi_upload() returns: the plan, and what an execute did.
struct PypiUploadRun {
  PypiUploadPlan plan;
  bool executed = false;
  PypiUploadResult result;

  bool ok() const { return plan.ok() && result.ok(); }
};

// The token, or why there is none, said for this face.
absl::StatusOr<std::string> TokenFromEnvironment() {
  absl::StatusOr<std::string> token = PypiTokenFromEnvironment();
  if (!token.ok()) {
    return absl::Status(
        token.status().code(),
        absl::StrCat("execute=True needs an API token (or token=): ",
                     token.status().message()));
  }
  return token;
}

struct Staging {
  std::unique_ptr<ObjectStore> store;
  std::string prefix;
};

// `file://DIR[//PREFIX]`, `s3://BUCKET[/PREFIX]` (AWS_* credentials) or a
// directory path.
absl::StatusOr<Staging> OpenStaging(
    std::string url, const std::optional<std::string>& endpoint) {
  if (url.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("staging URL contains a NUL byte");
  }
  if (absl::StartsWith(url, "s3://")) {
    RELKIT_ASSIGN_OR_RETURN(S3Location where, ParseS3Url(url));
    RELKIT_ASSIGN_OR_RETURN(S3Credentials credentials,
                            S3Credentials::FromEnvironment());
    RELKIT_ASSIGN_OR_RETURN(
        std::unique_ptr<S3Store> store,
        S3Store::Create({.bucket = where.bucket,
                         .endpoint_url = endpoint.value_or(""),
                         .credentials = std::move(credentials)}));
    return Staging{std::move(store), std::move(where.prefix)};
  }
  if (!absl::StrContains(url, "://")) {
    std::error_code error;
    std::filesystem::path p = std::filesystem::absolute(url, error);
    if (!error) {
      url = p.lexically_normal().string();
      while (url.size() > 1 && url.back() == '/') url.pop_back();
    }
    url = absl::StrCat("file://", url);
  }
  if (!absl::StartsWith(url, "file://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("staging \"", url,
                     "\": expected s3://BUCKET[/PREFIX], file://DIR[//PREFIX] "
                     "or a directory"));
  }
  RELKIT_ASSIGN_OR_RETURN(LocalLocation where, ParseLocalUrl(url));
  std::error_code error;
  if (!std::filesystem::is_directory(where.directory, error)) {
    return absl::NotFoundError(absl::StrCat("staging \"", url,
                                            "\": directory \"", where.directory,
                                            "\" does not exist"));
  }
  RELKIT_ASSIGN_OR_RETURN(LocalStore store, LocalStore::Open(where.directory));
  return Staging{std::make_unique<LocalStore>(std::move(store)),
                 std::move(where.prefix)};
}

PypiUploadRun PypiUploadCall(py::object staging,
                             std::optional<std::vector<std::string>> packages,
                             std::string repository_url, std::string index_url,
                             std::optional<std::string> token, bool execute,
                             std::optional<std::string> endpoint_url) {
  const std::string url =
      py::str(py::module_::import("os").attr("fspath")(staging));
  std::string secret;
  if (execute) {
    secret = token.has_value() ? *std::move(token)
                               : ValueOrThrow(TokenFromEnvironment());
    if (secret.empty()) {
      ThrowIfError(absl::InvalidArgumentError("token is empty"));
    }
  }
  PypiUploadRun run;
  absl::Status status;
  {
    py::gil_scoped_release release;
    status = [&]() -> absl::Status {
      RELKIT_ASSIGN_OR_RETURN(Staging opened, OpenStaging(url, endpoint_url));
      RELKIT_ASSIGN_OR_RETURN(
          std::unique_ptr<PypiClient> client,
          PypiClient::Create({.repository_url = std::move(repository_url),
                              .index_url = std::move(index_url),
                              .token = std::move(secret)}));
      RELKIT_ASSIGN_OR_RETURN(
          run.plan,
          PlanPypiUpload(
              *opened.store, opened.prefix, *client,
              {.packages = packages.value_or(std::vector<std::string>{})}));
      if (!execute || !run.plan.ok()) return absl::OkStatus();
      RELKIT_ASSIGN_OR_RETURN(
          run.result, ApplyPypiUpload(run.plan, *opened.store, *client));
      run.executed = true;
      return absl::OkStatus();
    }();
  }
  ThrowIfError(std::move(status));
  return run;
}

std::string Summary(const PypiUploadRun& r) {
  if (!r.plan.ok()) {
    return absl::StrCat("blocked: ", r.plan.conflict_count(), " conflicts, ",
                        r.plan.problems.size(), " problems");
  }
  if (!r.executed) {
    return absl::StrCat("plan: ", r.plan.upload_count(), " to upload, ",
                        r.plan.already_there_count(), " already there");
  }
  std::string out = absl::StrCat(r.result.uploaded_count(), " uploaded, ",
                                 r.result.already_count(), " already there");
  if (r.result.failure.has_value()) {
    absl::StrAppend(&out, ", failed at ",
                    TextEscape(r.result.failure->filename));
  }
  return out;
}

}  // namespace

void BindPypiUpload(py::module_& m) {
  py::class_<PypiPlannedFile>(m, "PypiPlannedFile",
                              "One staged wheel of a PyPI upload plan.")
      .def_readonly("key", &PypiPlannedFile::key)
      .def_readonly("filename", &PypiPlannedFile::filename)
      .def_readonly("project", &PypiPlannedFile::project)
      .def_readonly("version", &PypiPlannedFile::version)
      .def_readonly("size", &PypiPlannedFile::size)
      .def_readonly("sha256", &PypiPlannedFile::sha256)
      .def_readonly("sha256_computed", &PypiPlannedFile::sha256_computed)
      .def_property_readonly(
          "action",
          [](const PypiPlannedFile& f) {
            return std::string(PypiFileActionName(f.action));
          },
          "'upload', 'already there' or 'conflict'.")
      .def_readonly("index_sha256", &PypiPlannedFile::index_sha256)
      .def("__repr__", [](const PypiPlannedFile& f) {
        return absl::StrCat("<PypiPlannedFile ", TextEscape(f.filename), ": ",
                            PypiFileActionName(f.action), ">");
      });

  py::class_<PypiUploadPlan>(m, "PypiUploadPlan",
                             "What `relkit pypi upload` would do.")
      .def_readonly("staging", &PypiUploadPlan::staging)
      .def_readonly("prefix", &PypiUploadPlan::prefix)
      .def_readonly("repository_url", &PypiUploadPlan::repository_url)
      .def_readonly("index_url", &PypiUploadPlan::index_url)
      .def_readonly("files", &PypiUploadPlan::files)
      .def_readonly("problems", &PypiUploadPlan::problems)
      .def_property_readonly("ok", &PypiUploadPlan::ok)
      .def_property_readonly("upload_count", &PypiUploadPlan::upload_count)
      .def_property_readonly("already_there_count",
                             &PypiUploadPlan::already_there_count)
      .def_property_readonly("conflict_count", &PypiUploadPlan::conflict_count)
      .def("to_text", &PypiUploadPlanText)
      .def("to_json", &PypiUploadPlanJson)
      .def("__repr__", [](const PypiUploadPlan& p) {
        return absl::StrCat("<PypiUploadPlan ", p.upload_count(),
                            " to upload, ", p.already_there_count(),
                            " already there, ", p.conflict_count(),
                            " conflicts>");
      });

  py::class_<PypiAppliedFile>(m, "PypiAppliedFile",
                              "What an upload did with one file.")
      .def_readonly("key", &PypiAppliedFile::key)
      .def_readonly("filename", &PypiAppliedFile::filename)
      .def_readonly("status", &PypiAppliedFile::status,
                    "'uploaded', 'already uploaded' or 'already there'.")
      .def_readonly("attempts", &PypiAppliedFile::attempts)
      .def_readonly("confirmed", &PypiAppliedFile::confirmed)
      .def_readonly("notes", &PypiAppliedFile::notes)
      .def("__repr__", [](const PypiAppliedFile& f) {
        return absl::StrCat("<PypiAppliedFile ", TextEscape(f.filename), ": ",
                            f.status, ">");
      });

  using R = PypiUploadRun;
  py::class_<R>(m, "PypiUploadRun",
                "What pypi_upload() planned and, with execute=True, did. A "
                "blocked plan (a conflict) is not executed: `executed` is "
                "False and `ok` False. A failed upload is `failure_*`, not "
                "raised; calling again resumes.")
      .def_property_readonly("plan", [](const R& r) { return r.plan; })
      .def_property_readonly("executed", [](const R& r) { return r.executed; })
      .def_property_readonly("files", [](const R& r) { return r.result.files; })
      .def_property_readonly(
          "uploaded", [](const R& r) { return r.result.uploaded_count(); })
      .def_property_readonly("ok", &R::ok)
      .def_property_readonly("failure_filename",
                             [](const R& r) -> std::optional<std::string> {
                               if (!r.result.failure) return std::nullopt;
                               return r.result.failure->filename;
                             })
      .def_property_readonly(
          "failure_code",
          [](const R& r) -> std::optional<std::string> {
            if (!r.result.failure) return std::nullopt;
            return absl::StatusCodeToString(r.result.failure->status.code());
          })
      .def_property_readonly(
          "failure_message",
          [](const R& r) -> std::optional<std::string> {
            if (!r.result.failure) return std::nullopt;
            return std::string(r.result.failure->status.message());
          })
      .def(
          "to_text",
          [](const R& r) {
            return r.executed ? PypiUploadResultText(r.plan, r.result)
                              : PypiUploadPlanText(r.plan);
          },
          "The text `relkit pypi upload [--execute]` prints.")
      .def(
          "to_json",
          [](const R& r) {
            return r.executed ? PypiUploadResultJson(r.plan, r.result)
                              : PypiUploadPlanJson(r.plan);
          },
          "The document `relkit pypi upload [--execute] --json` prints.")
      .def("__repr__", [](const R& r) {
        return absl::StrCat("<PypiUploadRun ", Summary(r), ">");
      });

  m.def("pypi_upload", &PypiUploadCall, py::arg("staging"), py::kw_only(),
        py::arg("packages") = py::none(),
        py::arg("repository_url") = std::string(kPypiUploadUrl),
        py::arg("index_url") = std::string(kPypiIndexUrl),
        py::arg("token") = py::none(), py::arg("execute") = false,
        py::arg("endpoint_url") = py::none(),
        "`relkit pypi upload`: lists the staged wheels under `staging` (an "
        "s3:// or file:// URL, or a directory; `packages` filters by "
        "project) and asks the index (`index_url`, PEP 691) what each "
        "project has: the same file with the same sha256 is already there, "
        "the same name with another sha256 a conflict. With execute=True and "
        "no conflict, uploads each missing file once to `repository_url` "
        "with twine's form (asking the index before every try), the GIL "
        "released. `token`: the API token; None reads TWINE_PASSWORD, else "
        "PYPI_API_TOKEN (only with execute). Returns a PypiUploadRun; store "
        "and index errors raise.");
}

}  // namespace relkit::python
