// Python bindings of PyPI staging (relkit/pypi_staging.h, pypi_stage.h,
// pypi_validate.h): the staging rule and selection as values,
// `pypi_stage()` (a plan, applied with execute=True) and `pypi_validate()`.
// Reports come from relkit/pypi_stage_report.h, the same text and JSON the
// CLI prints. Long calls release the GIL. Stores are opened from URLs here
// (file://, s3:// with AWS_* credentials from the environment, or a plain
// directory), and credentials never reach a repr or an error.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bindings.h"
#include "pybind11/stl.h"
#include "relkit/build_matrix.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/pypi_stage.h"
#include "relkit/pypi_stage_report.h"
#include "relkit/pypi_staging.h"
#include "relkit/pypi_validate.h"
#include "relkit/release_versions.h"
#include "relkit/s3_store.h"
#include "relkit/support_policy.h"
#include "relkit/text_escape.h"

namespace relkit::python {
namespace {

std::string Day(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

PypiStagingRule MakeRule(const std::optional<std::string>& date,
                         const std::optional<std::string>& stable_cuda,
                         const std::optional<std::string>& build_matrix) {
  BuildMatrix matrix = BuildMatrix::Default();
  if (build_matrix) matrix = ValueOrThrow(BuildMatrix::Load(*build_matrix));
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  if (date && !absl::ParseCivilTime(*date, &day)) {
    throw StatusError(
        absl::InvalidArgumentError(
            absl::StrCat("date \"", TextEscape(*date), "\" is not YYYY-MM-DD")),
        ErrorDomain::kGeneric);
  }
  return ValueOrThrow(
      MakePypiStagingRule(matrix, ValueOrThrow(SupportPolicy::Default()), day,
                          {.stable_cuda = stable_cuda.value_or("")}));
}

struct Opened {
  std::unique_ptr<ObjectStore> store;
  std::string prefix;
};

// file://DIR[//PREFIX], s3://BUCKET[/PREFIX] or a plain directory.
Opened OpenUrl(const std::string& url,
               const std::optional<std::string>& endpoint, bool create) {
  if (url.find('\0') != std::string::npos) {
    throw StatusError(absl::InvalidArgumentError("a URL holds a NUL byte"),
                      ErrorDomain::kGeneric);
  }
  if (absl::StartsWith(url, "s3://")) {
    S3Location where = ValueOrThrow(ParseS3Url(url));
    S3Credentials credentials = ValueOrThrow(S3Credentials::FromEnvironment());
    std::unique_ptr<S3Store> store =
        ValueOrThrow(S3Store::Create({.bucket = where.bucket,
                                      .endpoint_url = endpoint.value_or(""),
                                      .credentials = std::move(credentials)}));
    return {std::move(store), where.prefix};
  }
  LocalLocation where;
  if (absl::StartsWith(url, "file://")) {
    where = ValueOrThrow(ParseLocalUrl(url));
  } else if (absl::StrContains(url, "://")) {
    throw StatusError(absl::InvalidArgumentError(
                          absl::StrCat("store URL \"", TextEscape(url),
                                       "\": expected file://DIR[//PREFIX], "
                                       "s3://BUCKET[/PREFIX] or a directory")),
                      ErrorDomain::kGeneric);
  } else {
    where.directory = url;
  }
  std::error_code ec;
  if (!create && !std::filesystem::is_directory(where.directory, ec)) {
    throw StatusError(
        absl::NotFoundError(absl::StrCat(
            "directory \"", TextEscape(where.directory), "\" does not exist")),
        ErrorDomain::kGeneric);
  }
  LocalStore store = ValueOrThrow(LocalStore::Open(where.directory));
  return {std::make_unique<LocalStore>(std::move(store)), where.prefix};
}

bool IsIndexPage(absl::string_view from) {
  return absl::StartsWith(from, "http://") ||
         absl::StartsWith(from, "https://") || absl::EndsWith(from, ".html") ||
         absl::EndsWith(from, ".json");
}

// What pypi_stage() returns: the plan, and the result of execute=True.
struct PyStageRun {
  PypiStagePlan plan;
  std::optional<PypiStageResult> result;
  bool ok() const { return plan.ok() && (!result || result->ok()); }
  std::string Summary() const {
    if (!result) {
      return absl::StrCat(plan.ok() ? "plan ok" : "plan blocked", ": ",
                          plan.to_stage.size(), " to stage, ",
                          plan.already_staged.size(), " already staged, ",
                          plan.error_count(), " errors");
    }
    if (result->already_applied) return "already applied";
    return absl::StrCat(result->staged.size(), " staged, ",
                        result->already_staged.size(), " already staged, ",
                        result->failed.size(), " failed");
  }
};

std::vector<std::string> Pages(const std::vector<std::string>& from) {
  std::vector<std::string> out;
  for (const std::string& f : from) out.push_back(f);
  return out;
}

PyStageRun StageCall(py::handle versions, py::object from_url,
                     const std::string& to_url,
                     std::optional<std::vector<std::string>> packages,
                     bool execute, std::optional<std::string> date,
                     std::optional<std::string> stable_cuda,
                     std::optional<std::string> build_matrix, bool overwrite,
                     std::optional<std::vector<std::string>> remove_classifiers,
                     std::optional<std::string> endpoint_url) {
  ReleaseSet release = ReleaseSetArg(versions);
  PypiStagingRule rule = MakeRule(date, stable_cuda, build_matrix);
  std::vector<std::string> from;
  if (py::isinstance<py::str>(from_url)) {
    from.push_back(from_url.cast<std::string>());
  } else {
    from = from_url.cast<std::vector<std::string>>();
  }
  PypiStageSource source;
  std::optional<Opened> source_store;
  if (from.size() == 1 && !IsIndexPage(from[0])) {
    source_store = OpenUrl(from[0], endpoint_url, false);
    source.store = source_store->store.get();
    source.prefix = source_store->prefix;
  } else {
    source.index_pages = Pages(from);
  }
  Opened to = OpenUrl(to_url, endpoint_url, execute);
  PypiStageOptions options{
      .packages = packages.value_or(std::vector<std::string>{}),
      .overwrite = overwrite,
      .remove_classifiers = remove_classifiers};
  PyStageRun run;
  {
    py::gil_scoped_release release_gil;
    absl::StatusOr<PypiStagePlan> plan =
        PlanPypiStage(release, rule, source,
                      {.store = to.store.get(), .prefix = to.prefix}, options);
    if (!plan.ok()) {
      py::gil_scoped_acquire acquire;
      ThrowIfError(plan.status());
    }
    run.plan = *std::move(plan);
  }
  if (!execute) return run;
  if (!run.plan.ok()) {
    throw StatusError(
        absl::FailedPreconditionError(absl::StrCat(
            "execute refused: the plan has ", run.plan.error_count(),
            " errors; nothing was staged")),
        ErrorDomain::kGeneric);
  }
  absl::StatusOr<PypiStageResult> result;
  {
    py::gil_scoped_release release_gil;
    result = ApplyPypiStage(run.plan, source.store, *to.store);
  }
  run.result = ValueOrThrow(std::move(result));
  return run;
}

PypiValidation ValidateCall(py::handle versions, const std::string& staging,
                            std::optional<std::vector<std::string>> packages,
                            std::optional<std::string> date,
                            std::optional<std::string> stable_cuda,
                            std::optional<std::string> build_matrix,
                            std::optional<std::vector<std::string>> platforms,
                            double max_file_mb, double warn_file_mb,
                            double project_quota_gb,
                            std::optional<std::string> index_url,
                            std::optional<std::string> endpoint_url) {
  // Checked before the cast: a negative or NaN float would wrap (ValueError).
  const uint64_t max_file_bytes =
      ValueOrThrow(PypiSizeOptionBytes(max_file_mb, kMegabyte, "max_file_mb"));
  const uint64_t warn_file_bytes = ValueOrThrow(
      PypiSizeOptionBytes(warn_file_mb, kMegabyte, "warn_file_mb"));
  const uint64_t quota_bytes = ValueOrThrow(PypiSizeOptionBytes(
      project_quota_gb, uint64_t{1} << 30, "project_quota_gb"));
  ReleaseSet release = ReleaseSetArg(versions);
  PypiStagingRule rule = MakeRule(date, stable_cuda, build_matrix);
  Opened store = OpenUrl(staging, endpoint_url, false);
  PypiValidateOptions options{
      .pythons = rule.pythons,
      .packages = packages.value_or(std::vector<std::string>{}),
      .max_file_bytes = max_file_bytes,
      .warn_file_bytes = warn_file_bytes,
      .quota_bytes = quota_bytes,
      .index_url = index_url.value_or("")};
  if (platforms) options.platforms = *platforms;
  absl::StatusOr<PypiValidation> v;
  {
    py::gil_scoped_release release_gil;
    v = ValidatePypiStaging(release, *store.store, store.prefix, options);
  }
  return ValueOrThrow(std::move(v));
}

}  // namespace

void BindPypiStage(py::module_& m) {
  py::class_<PypiStagingRule>(
      m, "PypiStagingRule",
      "Which wheels of a test channel go to PyPI on a release day: the "
      "stable CUDA label for Linux and the pre-release Pythons left out.")
      .def_readonly("stable_cuda", &PypiStagingRule::stable_cuda)
      .def_readonly("stable_cuda_label", &PypiStagingRule::stable_cuda_label)
      .def_property_readonly(
          "date", [](const PypiStagingRule& r) { return Day(r.date); })
      .def_property_readonly(
          "prerelease_pythons",
          [](const PypiStagingRule& r) {
            std::vector<std::string> out;
            for (const PrereleasePython& p : r.prerelease_pythons) {
              out.push_back(p.version);
            }
            return out;
          })
      .def_readonly("pythons", &PypiStagingRule::pythons)
      .def_property_readonly("removed_classifiers",
                             &PypiStagingRule::RemovedClassifiers)
      .def("__repr__", [](const PypiStagingRule& r) {
        std::string pre;
        for (const PrereleasePython& p : r.prerelease_pythons) {
          absl::StrAppend(&pre, pre.empty() ? "" : ", ", p.version);
        }
        return absl::StrCat("<PypiStagingRule ", Day(r.date), " +",
                            r.stable_cuda_label, ", pre-release Pythons [", pre,
                            "]>");
      });

  m.def(
      "pypi_staging_rule",
      [](std::optional<std::string> date,
         std::optional<std::string> stable_cuda,
         std::optional<std::string> build_matrix) {
        return MakeRule(date, stable_cuda, build_matrix);
      },
      py::kw_only(), py::arg("date") = py::none(),
      py::arg("stable_cuda") = py::none(), py::arg("build_matrix") = py::none(),
      "Returns the staging rule for a release on `date` (YYYY-MM-DD, default "
      "today): the stable CUDA of the build matrix's release channel (or "
      "`stable_cuda`), the CPythons that are pre-releases that day.");

  py::class_<PypiCandidate>(m, "PypiCandidate",
                            "One wheel of a package version and the rule's "
                            "decision, with its reason in words.")
      .def_property_readonly(
          "file_name",
          [](const PypiCandidate& c) { return c.source.file_name; })
      .def_property_readonly(
          "location", [](const PypiCandidate& c) { return c.source.location; })
      .def_property_readonly(
          "sha256", [](const PypiCandidate& c) { return c.source.sha256; })
      .def_property_readonly(
          "size", [](const PypiCandidate& c) { return c.source.size; })
      .def_readonly("selected", &PypiCandidate::selected)
      .def_property_readonly("reason",
                             [](const PypiCandidate& c) {
                               return std::string(PypiReasonName(c.reason));
                             })
      .def_readonly("explanation", &PypiCandidate::explanation)
      .def_readonly("staged_name", &PypiCandidate::staged_name)
      .def("__repr__", [](const PypiCandidate& c) {
        return absl::StrCat("<PypiCandidate ", TextEscape(c.source.file_name),
                            c.selected ? " selected (" : " excluded (",
                            PypiReasonName(c.reason), ")>");
      });

  py::class_<PypiSelection>(m, "PypiSelection",
                            "The rule applied to one package version: every "
                            "wheel with its reason.")
      .def_readonly("package", &PypiSelection::package)
      .def_property_readonly(
          "version",
          [](const PypiSelection& s) { return s.version.ToString(); })
      .def_readonly("candidates", &PypiSelection::candidates)
      .def_property_readonly("selected",
                             [](const PypiSelection& s) {
                               std::vector<PypiCandidate> out;
                               for (const PypiCandidate* c : s.selected()) {
                                 out.push_back(*c);
                               }
                               return out;
                             })
      .def_readonly("other_files", &PypiSelection::other_files)
      .def("to_text", &PypiSelectionText)
      .def("to_json", &PypiSelectionJson)
      .def("__repr__", [](const PypiSelection& s) {
        return absl::StrCat("<PypiSelection ", TextEscape(s.package),
                            "==", s.version.ToString(), ": ",
                            s.selected_count(), " of ", s.candidates.size(),
                            " selected>");
      });

  m.def(
      "pypi_select",
      [](const std::string& package, const std::string& version,
         const std::vector<std::string>& wheels,
         std::optional<PypiStagingRule> rule) {
        std::vector<PypiWheelSource> sources;
        for (const std::string& w : wheels) {
          sources.push_back(
              {.file_name = std::string(w.substr(w.find_last_of('/') + 1)),
               .location = w});
        }
        const Version v =
            ValueOrThrow(Version::Parse(version), ErrorDomain::kVersion);
        return SelectForPypi(package, v, sources,
                             rule ? *rule : MakeRule({}, {}, {}));
      },
      py::arg("package"), py::arg("version"), py::arg("wheels"), py::kw_only(),
      py::arg("rule") = py::none(),
      "Applies the staging rule (default: today's, pypi_staging_rule()) to "
      "`wheels` (file names, keys or URLs; other packages and versions are "
      "counted in other_files) for `package` at `version`.");

  py::class_<PypiStageItem>(m, "PypiStageItem",
                            "A selected wheel and the key it is staged as.")
      .def_readonly("package", &PypiStageItem::package)
      .def_property_readonly(
          "source", [](const PypiStageItem& i) { return i.source.location; })
      .def_property_readonly(
          "sha256", [](const PypiStageItem& i) { return i.source.sha256; })
      .def_readonly("staged_key", &PypiStageItem::staged_key)
      .def_readonly("overwrite", &PypiStageItem::overwrite)
      .def("__repr__", [](const PypiStageItem& i) {
        return absl::StrCat("<PypiStageItem ", TextEscape(i.staged_key), ">");
      });

  py::class_<PypiStageProblem>(m, "PypiStageProblem")
      .def_property_readonly(
          "kind",
          [](const PypiStageProblem& p) {
            return std::string(PypiStageProblemKindName(p.kind));
          })
      .def_readonly("error", &PypiStageProblem::error)
      .def_readonly("package", &PypiStageProblem::package)
      .def_readonly("key", &PypiStageProblem::key)
      .def_readonly("message", &PypiStageProblem::message)
      .def("__repr__", [](const PypiStageProblem& p) {
        return absl::StrCat(
            "<PypiStageProblem ", p.error ? "error " : "warning ",
            PypiStageProblemKindName(p.kind), ": ", TextEscape(p.message), ">");
      });

  py::class_<PypiStagePlan>(m, "PypiStagePlan",
                            "What `relkit pypi stage` would do.")
      .def_readonly("source", &PypiStagePlan::source)
      .def_readonly("destination", &PypiStagePlan::destination)
      .def_readonly("rule", &PypiStagePlan::rule)
      .def_readonly("remove_classifiers", &PypiStagePlan::remove_classifiers)
      .def_readonly("selections", &PypiStagePlan::selections)
      .def_readonly("to_stage", &PypiStagePlan::to_stage)
      .def_readonly("already_staged", &PypiStagePlan::already_staged)
      .def_readonly("problems", &PypiStagePlan::problems)
      .def_property_readonly("ok", &PypiStagePlan::ok)
      .def("to_text", &PypiStagePlanText)
      .def("to_json", &PypiStagePlanJson)
      .def("__repr__", [](const PypiStagePlan& p) {
        return absl::StrCat("<PypiStagePlan ", p.ok() ? "ok" : "blocked", ": ",
                            p.to_stage.size(), " to stage, ",
                            p.already_staged.size(), " already staged>");
      });

  py::class_<PypiStagedFile>(m, "PypiStagedFile")
      .def_readonly("package", &PypiStagedFile::package)
      .def_readonly("source", &PypiStagedFile::source)
      .def_readonly("staged_key", &PypiStagedFile::staged_key)
      .def_readonly("source_sha256", &PypiStagedFile::source_sha256)
      .def_readonly("sha256", &PypiStagedFile::sha256)
      .def_readonly("size", &PypiStagedFile::size)
      .def_readonly("removed_classifiers", &PypiStagedFile::removed_classifiers)
      .def_readonly("overwritten", &PypiStagedFile::overwritten)
      .def("__repr__", [](const PypiStagedFile& f) {
        return absl::StrCat("<PypiStagedFile ", TextEscape(f.staged_key), ">");
      });

  py::class_<PyStageRun>(m, "PypiStageRun",
                         "What pypi_stage() did: the plan, and with "
                         "execute=True the result.")
      .def_readonly("plan", &PyStageRun::plan)
      .def_property_readonly(
          "executed", [](const PyStageRun& r) { return r.result.has_value(); })
      .def_property_readonly("ok", &PyStageRun::ok)
      .def_property_readonly("already_applied",
                             [](const PyStageRun& r) {
                               return r.result && r.result->already_applied;
                             })
      .def_property_readonly("staged",
                             [](const PyStageRun& r) {
                               return r.result ? r.result->staged
                                               : std::vector<PypiStagedFile>{};
                             })
      .def_property_readonly(
          "already_staged",
          [](const PyStageRun& r) {
            std::vector<std::string> out;
            if (r.result) return r.result->already_staged;
            for (const PypiStageItem& i : r.plan.already_staged) {
              out.push_back(i.staged_key);
            }
            return out;
          })
      .def_property_readonly(
          "failed",
          [](const PyStageRun& r) {
            std::vector<std::pair<std::string, std::string>> out;
            if (r.result) {
              for (const PypiStageFailure& f : r.result->failed) {
                out.emplace_back(f.key, std::string(f.status.message()));
              }
            }
            return out;
          },
          "(staged key, message) of the failure that stopped the run.")
      .def("to_text",
           [](const PyStageRun& r) {
             return r.result ? PypiStagePlanText(r.plan) +
                                   PypiStageResultText(*r.result)
                             : PypiStagePlanText(r.plan);
           })
      .def("to_json",
           [](const PyStageRun& r) {
             return r.result ? PypiStageExecuteJson(r.plan, *r.result)
                             : PypiStagePlanJson(r.plan);
           })
      .def("__repr__", [](const PyStageRun& r) {
        return absl::StrCat("<PypiStageRun ", r.Summary(), ">");
      });

  m.def("pypi_stage", &StageCall, py::arg("versions"), py::arg("from_url"),
        py::arg("to_url"), py::kw_only(), py::arg("packages") = py::none(),
        py::arg("execute") = false, py::arg("date") = py::none(),
        py::arg("stable_cuda") = py::none(),
        py::arg("build_matrix") = py::none(), py::arg("overwrite") = false,
        py::arg("remove_classifiers") = py::none(),
        py::arg("endpoint_url") = py::none(),
        "Plans (and with execute=True applies) staging a release's wheels "
        "for PyPI, as `relkit pypi stage`: `from_url` a store URL or "
        "directory, or index page(s) (a str or a list; http(s) URLs or "
        ".html/.json files, {package}/{acc} expanded); `to_url` the staging "
        "store root. A refused execute raises; a failed file is in "
        "`failed`.");

  py::class_<PypiCheckProblem>(m, "PypiCheckProblem")
      .def_property_readonly("kind",
                             [](const PypiCheckProblem& p) {
                               return std::string(PypiCheckKindName(p.kind));
                             })
      .def_readonly("package", &PypiCheckProblem::package)
      .def_readonly("file", &PypiCheckProblem::file)
      .def_readonly("message", &PypiCheckProblem::message)
      .def("__repr__", [](const PypiCheckProblem& p) {
        return absl::StrCat("<PypiCheckProblem ", PypiCheckKindName(p.kind),
                            ": ", TextEscape(p.message), ">");
      });

  py::class_<PypiStagedWheel>(m, "PypiStagedWheel")
      .def_readonly("package", &PypiStagedWheel::package)
      .def_readonly("key", &PypiStagedWheel::key)
      .def_readonly("file_name", &PypiStagedWheel::file_name)
      .def_readonly("size", &PypiStagedWheel::size)
      .def_readonly("version", &PypiStagedWheel::version)
      .def_readonly("requires_dist", &PypiStagedWheel::requires_dist)
      .def_readonly("requires_python", &PypiStagedWheel::requires_python)
      .def_readonly("python_classifiers", &PypiStagedWheel::python_classifiers)
      .def_readonly("record_ok", &PypiStagedWheel::record_ok)
      .def("__repr__", [](const PypiStagedWheel& w) {
        return absl::StrCat("<PypiStagedWheel ", TextEscape(w.file_name), " ",
                            w.size, " bytes>");
      });

  py::class_<PypiPackageValidation>(m, "PypiPackageValidation")
      .def_readonly("package", &PypiPackageValidation::package)
      .def_readonly("version", &PypiPackageValidation::version)
      .def_readonly("folder", &PypiPackageValidation::folder)
      .def_readonly("pure_python", &PypiPackageValidation::pure_python)
      .def_readonly("expected", &PypiPackageValidation::expected)
      .def_readonly("present", &PypiPackageValidation::present)
      .def_readonly("staged_bytes", &PypiPackageValidation::staged_bytes)
      .def_readonly("current_bytes", &PypiPackageValidation::current_bytes)
      .def_readonly("staged_on_index_bytes",
                    &PypiPackageValidation::staged_on_index_bytes)
      .def_readonly("quota_bytes", &PypiPackageValidation::quota_bytes)
      .def_property_readonly("total_after_upload",
                             &PypiPackageValidation::total_after_upload)
      .def("__repr__", [](const PypiPackageValidation& p) {
        return absl::StrCat("<PypiPackageValidation ", TextEscape(p.package),
                            "==", TextEscape(p.version), ": ", p.present,
                            " of ", p.expected.size(), " expected files>");
      });

  py::class_<PypiValidation>(m, "PypiValidation",
                             "What `relkit pypi validate` reports.")
      .def_readonly("staging", &PypiValidation::staging)
      .def_readonly("packages", &PypiValidation::packages)
      .def_readonly("wheels", &PypiValidation::wheels)
      .def_readonly("problems", &PypiValidation::problems)
      .def_property_readonly("ok", &PypiValidation::ok)
      .def("to_text", &PypiValidationText)
      .def("to_json", &PypiValidationJson)
      .def("__repr__", [](const PypiValidation& v) {
        return absl::StrCat("<PypiValidation ", v.ok() ? "ok" : "failed", ": ",
                            v.wheels.size(), " wheels, ", v.problems.size(),
                            " problems>");
      });

  m.def("pypi_validate", &ValidateCall, py::arg("versions"), py::arg("staging"),
        py::kw_only(), py::arg("packages") = py::none(),
        py::arg("date") = py::none(), py::arg("stable_cuda") = py::none(),
        py::arg("build_matrix") = py::none(), py::arg("platforms") = py::none(),
        py::arg("max_file_mb") = 1000.0, py::arg("warn_file_mb") = 850.0,
        py::arg("project_quota_gb") = 10.0, py::arg("index_url") = py::none(),
        py::arg("endpoint_url") = py::none(),
        "Validates a PyPI staging set as `relkit pypi validate`: expected "
        "files, Version, metadata agreement across wheels, RECORD, sizes, "
        "quota. Problems are in the result; a store that cannot be read "
        "raises.");
}

}  // namespace relkit::python
