// Python bindings of promotion (docs/promotion.md): release_versions.sh and
// the release set (relkit/release_versions.h), artifact names and selection
// (relkit/artifact_name.h), object stores opened from URLs (local_store.h,
// s3_store.h) and the promotion plan (relkit/promotion.h), with
// `plan_promotion()` doing promote.sh's job in one call.
//
// Stores: a Python LocalStore/S3Store owns its C++ store and a lock. Every
// store call releases the GIL first and then takes the lock (as the git
// bindings do with a repository): an S3 store's libcurl handle is not
// thread-safe, and a long listing lets other Python threads run.
//
// Credentials come from the environment only (S3Credentials::FromEnvironment)
// and never reach a repr, a str or an error message.

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/artifact_name.h"
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"
#include "relkit/release_versions.h"
#include "relkit/reports.h"
#include "relkit/s3_store.h"
#include "relkit/sha256_digest.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::python {
namespace {

// -- stores -------------------------------------------------------------------

// The Python-side owner of a store: the store, the URL it was opened from,
// the prefix inside it, and the lock that serialises calls on it.
class PyStore {
 public:
  PyStore(std::unique_ptr<ObjectStore> store, std::string url,
          std::string prefix)
      : store_(std::move(store)),
        url_(std::move(url)),
        prefix_(std::move(prefix)) {}
  virtual ~PyStore() = default;

  const std::string& url() const { return url_; }
  const std::string& prefix() const { return prefix_; }
  std::string Describe() const { return store_->Describe(); }
  ObjectStore* store() { return store_.get(); }
  std::mutex& mu() { return mu_; }

  // Runs `f(store)` without the GIL and under the store's lock. The GIL is
  // released first so that a thread waiting for the lock never holds it.
  template <typename F>
  auto Locked(F&& f) {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mu_);
    return f(*store_);
  }

 private:
  std::unique_ptr<ObjectStore> store_;
  std::string url_;
  std::string prefix_;
  std::mutex mu_;
};

class PyLocalStore final : public PyStore {
 public:
  PyLocalStore(std::unique_ptr<LocalStore> store, std::string url,
               std::string prefix, std::string directory)
      : PyStore(std::move(store), std::move(url), std::move(prefix)),
        directory_(std::move(directory)) {}
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

class PyS3Store final : public PyStore {
 public:
  PyS3Store(std::unique_ptr<S3Store> store, std::string url, std::string prefix,
            std::string bucket, std::string endpoint, std::string region)
      : PyStore(std::move(store), std::move(url), std::move(prefix)),
        bucket_(std::move(bucket)),
        endpoint_(std::move(endpoint)),
        region_(std::move(region)) {}
  const std::string& bucket() const { return bucket_; }
  const std::string& endpoint() const { return endpoint_; }
  // The region as given to open() ("" for the environment's default).
  const std::string& region() const { return region_; }

 private:
  std::string bucket_;
  std::string endpoint_;
  std::string region_;
};

// The URL parsers keep a NUL in the directory, where the file system would
// then stop reading: "file:///srv\0/x" would open /srv.
void RefuseNul(const std::string& url) {
  if (url.find('\0') != std::string::npos) {
    throw StatusError(
        absl::InvalidArgumentError(absl::StrCat("store URL \"", TextEscape(url),
                                                "\": contains a NUL byte")),
        ErrorDomain::kGeneric);
  }
}

// `file://DIR[//PREFIX]`. Unlike LocalStore::Open, a missing directory is
// NotFound: opening a store to plan must not create one.
std::unique_ptr<PyLocalStore> OpenLocal(const std::string& url) {
  RefuseNul(url);
  LocalLocation where = ValueOrThrow(ParseLocalUrl(url));
  std::error_code error;
  if (!std::filesystem::is_directory(where.directory, error)) {
    throw StatusError(
        absl::NotFoundError(absl::StrCat("\"", url, "\": directory \"",
                                         where.directory, "\" does not exist")),
        ErrorDomain::kGeneric);
  }
  LocalStore store = ValueOrThrow(LocalStore::Open(where.directory));
  return std::make_unique<PyLocalStore>(
      std::make_unique<LocalStore>(std::move(store)), url,
      std::move(where.prefix), std::move(where.directory));
}

// `s3://BUCKET[/PREFIX]`, credentials from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN only.
std::unique_ptr<PyS3Store> OpenS3(const std::string& url,
                                  const std::optional<std::string>& endpoint,
                                  const std::optional<std::string>& region) {
  RefuseNul(url);
  S3Location where = ValueOrThrow(ParseS3Url(url));
  S3Credentials credentials = ValueOrThrow(S3Credentials::FromEnvironment());
  std::unique_ptr<S3Store> store =
      ValueOrThrow(S3Store::Create({.bucket = where.bucket,
                                    .region = region.value_or(""),
                                    .endpoint_url = endpoint.value_or(""),
                                    .credentials = std::move(credentials)}));
  std::string resolved_endpoint = store->endpoint();
  return std::make_unique<PyS3Store>(
      std::move(store), url, std::move(where.prefix), std::move(where.bucket),
      std::move(resolved_endpoint), region.value_or(""));
}

// The mirror's own credentials, exactly as `relkit promote --mirror` takes
// them (src/cli/promote_cmd.cc): R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY,
// optional R2_SESSION_TOKEN, region R2_REGION or "auto"; never AWS_*.
std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

absl::StatusOr<S3Credentials> MirrorCredentials() {
  S3Credentials c{.access_key_id = Env("R2_ACCESS_KEY_ID"),
                  .secret_access_key = Env("R2_SECRET_ACCESS_KEY"),
                  .session_token = Env("R2_SESSION_TOKEN")};
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "mirror s3://...: ",
        c.access_key_id.empty() ? "R2_ACCESS_KEY_ID" : "R2_SECRET_ACCESS_KEY",
        " is not set (the mirror has credentials of its own; AWS_* are not "
        "used for it)"));
  }
  return c;
}

std::string MirrorRegion() {
  std::string region = Env("R2_REGION");
  return region.empty() ? "auto" : region;
}

// Opens an s3:// mirror with the R2_* credentials (not thread-safe: one
// handle per caller).
absl::StatusOr<std::unique_ptr<S3Store>> OpenMirrorS3(
    const std::string& bucket, const std::string& endpoint) {
  RELKIT_ASSIGN_OR_RETURN(S3Credentials credentials, MirrorCredentials());
  return S3Store::Create({.bucket = bucket,
                          .region = MirrorRegion(),
                          .endpoint_url = endpoint,
                          .credentials = std::move(credentials)});
}

// `mirror=`: a file:// or s3:// URL; an s3:// one needs its own endpoint
// (as --mirror-endpoint: the mirror never takes the source's).
std::unique_ptr<PyStore> OpenMirror(
    const std::string& url, const std::optional<std::string>& endpoint) {
  RefuseNul(url);
  if (absl::StartsWith(url, "file://")) return OpenLocal(url);
  if (!absl::StartsWith(url, "s3://")) {
    throw StatusError(absl::InvalidArgumentError(
                          absl::StrCat("mirror URL \"", TextEscape(url),
                                       "\": expected file://DIR[//PREFIX] or "
                                       "s3://BUCKET[/PREFIX]")),
                      ErrorDomain::kGeneric);
  }
  if (!endpoint || endpoint->empty()) {
    throw StatusError(
        absl::InvalidArgumentError(
            "mirror s3://... needs mirror_endpoint_url (the mirror never "
            "takes the source's endpoint)"),
        ErrorDomain::kGeneric);
  }
  S3Location where = ValueOrThrow(ParseS3Url(url));
  std::unique_ptr<S3Store> store =
      ValueOrThrow(OpenMirrorS3(where.bucket, *endpoint));
  std::string resolved_endpoint = store->endpoint();
  return std::make_unique<PyS3Store>(
      std::move(store), url, std::move(where.prefix), std::move(where.bucket),
      std::move(resolved_endpoint), MirrorRegion());
}

std::unique_ptr<PyStore> OpenStore(const std::string& url,
                                   const std::optional<std::string>& endpoint) {
  if (absl::StartsWith(url, "file://")) return OpenLocal(url);
  if (absl::StartsWith(url, "s3://"))
    return OpenS3(url, endpoint, std::nullopt);
  throw StatusError(absl::InvalidArgumentError(
                        absl::StrCat("store URL \"", TextEscape(url),
                                     "\": expected file://DIR[//PREFIX] or "
                                     "s3://BUCKET[/PREFIX]")),
                    ErrorDomain::kGeneric);
}

py::dict InfoRecord(const ObjectInfo& o) {
  py::dict d;
  d["key"] = o.key;
  d["size"] = o.size;
  d["etag"] = o.etag;
  d["content_type"] = o.content_type;
  d["metadata"] = o.metadata;
  return d;
}

// -- records ------------------------------------------------------------------

py::object OrNone(const std::string& s) {
  if (s.empty()) return py::none();
  return py::str(s);
}

py::object OrNone(const std::optional<std::string>& s) {
  if (!s) return py::none();
  return py::str(*s);
}

// Field names as in `relkit promote --json`.
py::dict CopyRecord(const PlannedCopy& c) {
  py::dict d;
  d["package"] = c.package;
  d["version"] = c.version.ToString();
  d["kind"] = std::string(ArtifactKindName(c.kind));
  d["source"] = c.source_key;
  d["destination"] = c.destination_key;
  d["size"] = c.size;
  d["sha256"] = OrNone(c.sha256);
  d["overwrite"] = c.overwrite;
  return d;
}

py::dict PresentRecord(const AlreadyPresent& a) {
  py::dict d;
  d["package"] = a.package;
  d["version"] = a.version.ToString();
  d["kind"] = std::string(ArtifactKindName(a.kind));
  d["source"] = a.source_key;
  d["destination"] = a.destination_key;
  d["size"] = a.size;
  d["sha256"] = OrNone(a.sha256);
  d["same_by"] = std::string(SameByName(a.same_by));
  return d;
}

py::dict PackageRecord(const PromotionPackage& p) {
  py::dict d;
  d["package"] = p.package;
  d["version"] = OrNone(p.version);
  d["variable"] = OrNone(p.variable);
  d["not_ga"] = p.not_ga;
  d["found"] = p.found;
  d["to_copy"] = p.to_copy;
  d["already_there"] = p.already_there;
  d["conflicts"] = p.conflicts;
  return d;
}

py::dict ProblemRecord(const PromotionProblem& p) {
  py::dict d;
  d["severity"] = std::string(ProblemSeverityName(p.severity));
  d["kind"] = std::string(PromotionProblemKindName(p.kind));
  d["package"] = OrNone(p.package);
  d["key"] = OrNone(p.key);
  d["message"] = p.message;
  return d;
}

py::dict PackageVersionRecord(const PackageVersion& p) {
  py::dict d;
  d["package"] = p.package;
  d["version"] = p.version.ToString();
  d["variable"] = p.variable;
  return d;
}

py::dict ReleaseProblemRecord(const ReleaseProblem& p) {
  py::dict d;
  d["kind"] = std::string(ReleaseProblemKindName(p.kind));
  d["variable"] = p.variable;
  d["line"] = p.line;
  d["message"] = p.message;
  return d;
}

py::dict SelectedRecord(const std::string& key, const ArtifactName& n) {
  py::dict d;
  d["key"] = key;
  d["kind"] = std::string(ArtifactKindName(n.kind));
  d["package"] = n.package;
  d["version"] = n.version ? py::object(py::str(n.version->ToString()))
                           : py::object(py::none());
  d["accelerator"] = OrNone(n.accelerator);
  d["variant"] = OrNone(n.variant);
  return d;
}

template <typename T>
py::list Records(const std::vector<T>& items, py::dict (*record)(const T&)) {
  py::list out;
  for (const T& item : items) out.append(record(item));
  return out;
}

// A read-only list of plan entries with `to_records()` and `_repr_html_`
// (PromotionPlan.copies, .packages, .already_present, .problems).
template <typename T>
struct EntryList {
  std::vector<T> items;
};

template <typename T>
void BindEntryList(py::module_& m, const char* name, const char* doc,
                   py::dict (*record)(const T&)) {
  using List = EntryList<T>;
  py::class_<List>(m, name, doc)
      .def("__len__", [](const List& l) { return l.items.size(); })
      .def("__getitem__",
           [](const List& l, Py_ssize_t k) {
             const Py_ssize_t n = static_cast<Py_ssize_t>(l.items.size());
             if (k < 0) k += n;
             if (k < 0 || k >= n) throw py::index_error("index out of range");
             return l.items[static_cast<size_t>(k)];
           })
      .def(
          "__iter__",
          [](const List& l) {
            return py::make_iterator(l.items.begin(), l.items.end());
          },
          py::keep_alive<0, 1>())
      .def("__eq__",
           [](const List& a, const List& b) { return a.items == b.items; })
      .def(
          "to_records",
          [record](const List& l) { return Records(l.items, record); },
          "Returns one dict per entry (the fields of `relkit promote "
          "--json`), ready for pandas.DataFrame.")
      .def("_repr_html_",
           [record, name](const List& l) {
             return RecordsHtml(Records(l.items, record),
                                absl::StrCat(name, ": ", l.items.size()));
           })
      .def("__repr__", [name](const List& l) {
        return absl::StrCat("<", name, " (", l.items.size(), ")>");
      });
}

// -- plan_promotion's arguments --------------------------------------------------

// A store argument: a LocalStore/S3Store as is, or a URL opened here (kept
// in `opened` for the duration of the call).
PyStore& StoreArg(py::handle arg, const std::optional<std::string>& endpoint,
                  std::unique_ptr<PyStore>& opened) {
  if (py::isinstance<PyStore>(arg)) return arg.cast<PyStore&>();
  opened =
      OpenStore(std::string(StrView(arg, ErrorDomain::kGeneric)), endpoint);
  return *opened;
}

// A new handle on the store `s` was opened on, for one apply worker (an
// S3Store is not thread-safe; the Python object's own store stays with
// Python). Captures strings only: it runs without the GIL.
ObjectStoreFactory FactoryOf(const PyStore& s, bool mirror) {
  if (const auto* local = dynamic_cast<const PyLocalStore*>(&s)) {
    return [directory = local->directory()]()
               -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
      RELKIT_ASSIGN_OR_RETURN(LocalStore store, LocalStore::Open(directory));
      return std::make_unique<LocalStore>(std::move(store));
    };
  }
  const auto& s3 = dynamic_cast<const PyS3Store&>(s);
  return [bucket = s3.bucket(), endpoint = s3.endpoint(), region = s3.region(),
          mirror]() -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
    if (mirror) {
      RELKIT_ASSIGN_OR_RETURN(std::unique_ptr<S3Store> store,
                              OpenMirrorS3(bucket, endpoint));
      return store;
    }
    RELKIT_ASSIGN_OR_RETURN(S3Credentials credentials,
                            S3Credentials::FromEnvironment());
    RELKIT_ASSIGN_OR_RETURN(
        std::unique_ptr<S3Store> store,
        S3Store::Create({.bucket = bucket,
                         .region = region,
                         .endpoint_url = endpoint,
                         .credentials = std::move(credentials)}));
    return store;
  };
}

// A plan and the factories of its stores (for promote(execute=True)).
struct Planned {
  PromotionPlan plan;
  PromotionStores stores;
};

Planned PlanCall(py::handle versions, py::handle source, py::handle destination,
                 const std::optional<std::vector<std::string>>& packages,
                 const std::optional<py::object>& matrix, bool allow_incomplete,
                 const std::optional<std::string>& endpoint_url,
                 const std::optional<std::string>& mirror_url,
                 const std::optional<std::string>& mirror_endpoint_url,
                 bool overwrite) {
  ReleaseSet release = ReleaseSetArg(versions);
  std::unique_ptr<PyStore> opened_source;
  std::unique_ptr<PyStore> opened_destination;
  PyStore& from = StoreArg(source, endpoint_url, opened_source);
  PyStore& to = StoreArg(destination, endpoint_url, opened_destination);
  std::unique_ptr<PyStore> mirror;
  if (mirror_url) mirror = OpenMirror(*mirror_url, mirror_endpoint_url);
  // The coverage check of `relkit promote` with the same matrix: the
  // embedded one unless a build-matrix JSON file is named.
  std::optional<std::string> matrix_path;
  if (matrix && !matrix->is_none()) {
    matrix_path = py::str(py::module_::import("os").attr("fspath")(*matrix));
  }
  PromotionOptions options{
      .packages = packages.value_or(std::vector<std::string>{}),
      .allow_incomplete = allow_incomplete,
      .mirror = {.store = mirror ? mirror->store() : nullptr,
                 .prefix = mirror ? mirror->prefix() : ""},
      .overwrite = overwrite};
  absl::StatusOr<PromotionPlan> plan;
  {
    py::gil_scoped_release release_gil;
    // One lock when both sides are the same store object (the mirror is
    // always opened here, so it is never one of them).
    std::unique_lock<std::mutex> lock_from(from.mu());
    std::unique_lock<std::mutex> lock_to;
    if (&to != &from) lock_to = std::unique_lock<std::mutex>(to.mu());
    plan = [&]() -> absl::StatusOr<PromotionPlan> {
      BuildMatrix loaded = BuildMatrix::Default();
      if (matrix_path) {
        RELKIT_ASSIGN_OR_RETURN(loaded, BuildMatrix::Load(*matrix_path));
      }
      RELKIT_ASSIGN_OR_RETURN(options.expected_torch_wheels,
                              ExpectedWheels(loaded, BuildChannel::kRelease));
      return PlanPromotion(
          release, {.store = from.store(), .prefix = from.prefix()},
          {.store = to.store(), .prefix = to.prefix()}, options);
    }();
  }
  return Planned{.plan = ValueOrThrow(std::move(plan)),
                 .stores = {.source = FactoryOf(from, false),
                            .destination = FactoryOf(to, false),
                            .mirror = mirror ? FactoryOf(*mirror, true)
                                             : ObjectStoreFactory()}};
}

// -- applying -----------------------------------------------------------------

// What promote(execute=True) returns: the plan that was applied and what
// applying it did.
struct PyPromotionResult {
  PromotionPlan plan;
  PromotionResult result;
};

// The default journal, as `relkit promote --execute` picks it: one file per
// plan identity under $XDG_CACHE_HOME/relkit/promotions, else
// ~/.cache/relkit/promotions (the same file for the same promotion, so that
// the CLI and Python resume each other's runs).
std::string DefaultJournalPath(const PromotionPlan& plan) {
  std::string dir;
  if (std::string xdg = Env("XDG_CACHE_HOME"); !xdg.empty()) {
    dir = absl::StrCat(xdg, "/relkit/promotions");
  } else if (std::string home = Env("HOME"); !home.empty()) {
    dir = absl::StrCat(home, "/.cache/relkit/promotions");
  } else {
    throw StatusError(absl::FailedPreconditionError(
                          "no cache directory ($XDG_CACHE_HOME and $HOME are "
                          "unset): name the journal with journal=PATH"),
                      ErrorDomain::kGeneric);
  }
  return absl::StrCat(
      dir, "/", Sha256Hex(PromotionPlanIdentity(plan)).substr(0, 24), ".jsonl");
}

// The refusal of `relkit promote --execute` for a plan with errors (exit 2
// there), with each error's message.
absl::Status Refusal(const PromotionPlan& plan) {
  std::string conflicts;
  std::string errors;
  for (const PromotionProblem& p : plan.problems) {
    if (p.severity != ProblemSeverity::kError) continue;
    absl::StrAppend(&errors, "\n  ", PromotionProblemKindName(p.kind), ": ",
                    TextEscape(p.message));
    if (p.kind == PromotionProblemKind::kConflict) {
      absl::StrAppend(&conflicts, conflicts.empty() ? "" : ", ", "\"",
                      TextEscape(p.key), "\"");
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "execute refused: the plan has ", plan.error_count(),
      " errors; nothing was copied",
      conflicts.empty()
          ? ""
          : absl::StrCat("; conflicts (use overwrite=True to replace them): ",
                         conflicts),
      errors));
}

py::object PromoteCall(py::handle versions, py::handle source,
                       py::handle destination,
                       std::optional<std::vector<std::string>> packages,
                       std::optional<std::string> mirror,
                       std::optional<std::string> mirror_endpoint_url,
                       std::optional<std::string> endpoint_url,
                       std::optional<py::object> matrix, bool allow_incomplete,
                       bool overwrite, bool execute,
                       std::optional<py::object> journal, int jobs,
                       std::optional<py::function> progress) {
  if (jobs < 1 || jobs > 64) {
    throw StatusError(
        absl::InvalidArgumentError("jobs must be between 1 and 64"),
        ErrorDomain::kGeneric);
  }
  std::optional<std::string> journal_path;
  if (journal && !journal->is_none()) {
    journal_path = py::str(py::module_::import("os").attr("fspath")(*journal));
  }
  Planned planned = PlanCall(versions, source, destination, packages, matrix,
                             allow_incomplete, endpoint_url, mirror,
                             mirror_endpoint_url, overwrite);
  if (!execute) return py::cast(std::move(planned.plan));
  if (!planned.plan.ok()) {
    throw StatusError(Refusal(planned.plan), ErrorDomain::kGeneric);
  }
  PromotionApplyOptions options{
      .journal_path =
          journal_path ? *journal_path : DefaultJournalPath(planned.plan),
      .jobs = jobs};
  if (progress && !progress->is_none()) {
    // Called from the worker threads (one at a time) with the GIL taken; an
    // exception in it is reported as unraisable and the apply goes on (the
    // copies are not undone for a progress bar).
    const py::function& f = *progress;
    options.progress = [&f](const PromotionProgress& p) {
      py::gil_scoped_acquire gil;
      try {
        f(p.done, p.total, p.key);
      } catch (py::error_already_set& e) {
        e.discard_as_unraisable("relkit.promote progress callback");
      }
    };
  }
  absl::StatusOr<PromotionResult> result;
  {
    py::gil_scoped_release release;
    result = ApplyPromotion(planned.plan, planned.stores, options);
  }
  return py::cast(PyPromotionResult{.plan = std::move(planned.plan),
                                    .result = ValueOrThrow(std::move(result))});
}

// One row per key of a result: what happened to it.
py::list ResultRecords(const PromotionResult& r) {
  py::list out;
  auto add = [&out](const char* outcome, const std::vector<std::string>& keys) {
    for (const std::string& k : keys) {
      py::dict d;
      d["outcome"] = outcome;
      d["key"] = k;
      d["code"] = py::none();
      d["message"] = py::none();
      out.append(d);
    }
  };
  add("copied", r.copied);
  add("overwritten", r.overwritten);
  add("skipped", r.skipped);
  add("mirrored", r.mirrored);
  add("mirror_skipped", r.mirror_skipped);
  add("verified", r.verified);
  for (const PromotionFailure& f : r.failed) {
    py::dict d;
    d["outcome"] = "failed";
    d["key"] = f.key;
    d["code"] = absl::StatusCodeToString(f.status.code());
    d["message"] = std::string(f.status.message());
    out.append(d);
  }
  return out;
}

std::string ResultSummary(const PromotionResult& r) {
  if (r.already_applied) return "already applied: nothing left to copy";
  return absl::StrCat(r.ok() ? "done" : "FAILED", ": ", r.copied.size(),
                      " copied (", r.overwritten.size(), " overwritten), ",
                      r.skipped.size(), " already there, ", r.mirrored.size(),
                      " mirrored, ", r.verified.size(), " verified, ",
                      r.failed.size(), " failed");
}

// One row per key of a journal: its state and sha256.
py::list JournalRecords(const PromotionJournalState& j) {
  py::list out;
  auto add = [&out](const char* state,
                    const std::map<std::string, std::string>& keys) {
    for (const auto& entry : keys) {
      py::dict d;
      d["state"] = state;
      d["key"] = entry.first;
      d["sha256"] = entry.second;
      out.append(d);
    }
  };
  add("verified", j.verified);
  add("copied", j.copied);
  add("mirror-verified", j.mirror_verified);
  add("mirrored", j.mirrored);
  return out;
}

std::string StoreRepr(const char* type, const PyStore& s) {
  // The URL as given (no credential can be in it: S3 URLs are parsed as
  // s3://BUCKET/PREFIX) and Describe(), which never names a credential.
  return absl::StrCat("<", type, "(", TextEscape(s.url()), ") ",
                      TextEscape(s.Describe()), ">");
}

}  // namespace

ReleaseSet ReleaseSetArg(py::handle versions) {
  if (py::isinstance<ReleaseSet>(versions)) {
    return versions.cast<const ReleaseSet&>();
  }
  if (py::isinstance<ReleaseVersionsFile>(versions)) {
    return versions.cast<const ReleaseVersionsFile&>().ToReleaseSet();
  }
  const std::string path =
      py::str(py::module_::import("os").attr("fspath")(versions));
  absl::StatusOr<std::string> text;
  {
    py::gil_scoped_release release;
    text = ReadFile(path);
  }
  return ValueOrThrow(
             ReleaseVersionsFile::Parse(ValueOrThrow(std::move(text)), path))
      .ToReleaseSet();
}

void BindPromotion(py::module_& m) {
  // -- release_versions.sh ----------------------------------------------------
  py::class_<ReleaseProblem>(m, "ReleaseProblem",
                             "Something release_versions.sh says that relkit "
                             "will not silently use.")
      .def_property_readonly(
          "kind",
          [](const ReleaseProblem& p) {
            return std::string(ReleaseProblemKindName(p.kind));
          })
      .def_readonly("variable", &ReleaseProblem::variable)
      .def_readonly("line", &ReleaseProblem::line)
      .def_readonly("message", &ReleaseProblem::message)
      .def("__str__", &ReleaseProblem::ToString)
      .def("__eq__", [](const ReleaseProblem& a,
                        const ReleaseProblem& b) { return a == b; })
      .def("__repr__", [](const ReleaseProblem& p) {
        return absl::StrCat("<ReleaseProblem ", ReleaseProblemKindName(p.kind),
                            " ", TextEscape(p.variable), " line ", p.line, ">");
      });

  py::class_<PackageVersion>(m, "PackageVersion",
                             "One package of a release set and its version.")
      .def_readonly("package", &PackageVersion::package)
      .def_readonly("version", &PackageVersion::version)
      .def_readonly("variable", &PackageVersion::variable)
      .def("__str__", &PackageVersion::ToString)
      .def("__eq__", [](const PackageVersion& a,
                        const PackageVersion& b) { return a == b; })
      .def("__repr__", [](const PackageVersion& p) {
        return absl::StrCat("<PackageVersion ", p.ToString(), " (", p.variable,
                            ")>");
      });

  py::class_<ReleaseSet>(m, "ReleaseSet",
                         "The (package, version) pairs a release_versions.sh "
                         "names, with its problems.")
      .def_property_readonly("packages", &ReleaseSet::packages)
      .def_property_readonly("problems", &ReleaseSet::problems)
      .def(
          "find",
          [](const ReleaseSet& s,
             const std::string& package) -> std::optional<PackageVersion> {
            const PackageVersion* p = s.Find(package);
            if (p == nullptr) return std::nullopt;
            return *p;
          },
          py::arg("package"),
          "Returns the entry of `package` (any spelling), or None.")
      .def("__len__", [](const ReleaseSet& s) { return s.packages().size(); })
      .def("__eq__",
           [](const ReleaseSet& a, const ReleaseSet& b) { return a == b; })
      .def("__str__", &ReleaseSet::ToString)
      .def(
          "to_records",
          [](const ReleaseSet& s) {
            return Records(s.packages(), &PackageVersionRecord);
          },
          "Returns one dict per package (package, version, variable).")
      .def(
          "problem_records",
          [](const ReleaseSet& s) {
            return Records(s.problems(), &ReleaseProblemRecord);
          },
          "Returns one dict per problem (kind, variable, line, message).")
      .def("_repr_html_",
           [](const ReleaseSet& s) {
             return RecordsHtml(
                 Records(s.packages(), &PackageVersionRecord),
                 absl::StrCat("release set: ", s.packages().size(),
                              " packages, ", s.problems().size(), " problems"));
           })
      .def("__repr__", [](const ReleaseSet& s) {
        return absl::StrCat("<ReleaseSet ", s.packages().size(), " packages, ",
                            s.problems().size(), " problems>");
      });

  py::class_<ReleaseAssignment>(m, "ReleaseAssignment",
                                "One `NAME=${NAME:-default}` line.")
      .def_readonly("line", &ReleaseAssignment::line)
      .def_readonly("variable", &ReleaseAssignment::variable)
      .def_readonly("reads", &ReleaseAssignment::reads)
      .def_readonly("value", &ReleaseAssignment::value)
      .def_readonly("alias_of", &ReleaseAssignment::alias_of)
      .def_readonly("exported", &ReleaseAssignment::exported)
      .def("__repr__", [](const ReleaseAssignment& a) {
        return absl::StrCat("<ReleaseAssignment line ", a.line, " ",
                            TextEscape(a.variable), "=", TextEscape(a.value),
                            ">");
      });

  py::class_<ReleaseVersionsFile>(
      m, "ReleaseVersionsFile",
      "release_versions.sh, read and written byte for byte.")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& filename) {
            return ValueOrThrow(ReleaseVersionsFile::Parse(text, filename));
          },
          py::arg("text"), py::arg("filename") = "<input>",
          "Parses the file's text; raises InvalidArgumentError naming "
          "filename:line:column.")
      .def_static(
          "read",
          [](py::handle path) {
            const std::string p =
                py::str(py::module_::import("os").attr("fspath")(path));
            absl::StatusOr<std::string> text;
            {
              py::gil_scoped_release release;
              text = ReadFile(p);
            }
            return ValueOrThrow(
                ReleaseVersionsFile::Parse(ValueOrThrow(std::move(text)), p));
          },
          py::arg("path"), "Reads and parses the file at `path`.")
      .def_property_readonly("filename", &ReleaseVersionsFile::filename)
      .def_property_readonly("assignments", &ReleaseVersionsFile::assignments)
      .def(
          "get",
          [](const ReleaseVersionsFile& f, const std::string& variable) {
            return f.Get(variable);
          },
          py::arg("variable"),
          "Returns the default of the variable's last assignment, or None.")
      .def(
          "set_value",
          [](ReleaseVersionsFile& f, const std::string& variable,
             const std::string& value) {
            ThrowIfError(f.SetValue(variable, value));
          },
          py::arg("variable"), py::arg("value"),
          "Replaces the variable's default, keeping the rest of the line; "
          "raises NotFoundError or InvalidArgumentError.")
      .def("to_string", &ReleaseVersionsFile::ToString,
           "Returns the file's bytes (exactly the parsed text when nothing "
           "was set).")
      .def("__str__", &ReleaseVersionsFile::ToString)
      .def("release_set", &ReleaseVersionsFile::ToReleaseSet,
           "Returns the release set the file names, with its problems.")
      .def("__repr__", [](const ReleaseVersionsFile& f) {
        return absl::StrCat("<ReleaseVersionsFile ", TextEscape(f.filename()),
                            ": ", f.assignments().size(), " assignments>");
      });

  m.def("compare_release_sets", &CompareReleaseSets, py::arg("previous"),
        py::arg("current"),
        "Returns a version-went-back problem for each package older in "
        "`current` than in `previous`.");

  // -- artifact names -----------------------------------------------------------
  py::class_<ArtifactName>(m, "ArtifactName",
                           "A parsed channel file name (wheel, libtorch zip, "
                           "...).")
      .def_property_readonly("kind",
                             [](const ArtifactName& n) {
                               return std::string(ArtifactKindName(n.kind));
                             })
      .def_readonly("file_name", &ArtifactName::file_name)
      .def_readonly("package", &ArtifactName::package)
      .def_readonly("version", &ArtifactName::version)
      .def_readonly("accelerator", &ArtifactName::accelerator)
      .def_readonly("variant", &ArtifactName::variant)
      .def(
          "belongs_to",
          [](const ArtifactName& n, const std::string& package,
             py::handle version) {
            return n.BelongsTo(package, ToVersion(version));
          },
          py::arg("package"), py::arg("version"),
          "Returns True when the file is `package` at `version` (local "
          "label ignored).")
      .def("__eq__",
           [](const ArtifactName& a, const ArtifactName& b) { return a == b; })
      .def("__repr__", [](const ArtifactName& n) {
        return absl::StrCat("<ArtifactName ", ArtifactKindName(n.kind), " ",
                            TextEscape(n.file_name), ">");
      });

  m.def(
      "parse_artifact_name",
      [](const std::string& file_name) {
        return ValueOrThrow(ParseArtifactName(file_name));
      },
      py::arg("file_name"),
      "Parses a file name (no `/`): kind 'other' for a name of no known "
      "kind; raises InvalidArgumentError naming the position for a "
      "malformed one.");

  py::class_<UnreadableKey>(m, "UnreadableKey",
                            "A key that looks like an artifact but does not "
                            "parse.")
      .def_readonly("key", &UnreadableKey::key)
      .def_readonly("reason", &UnreadableKey::reason)
      .def("__repr__", [](const UnreadableKey& u) {
        return absl::StrCat("<UnreadableKey ", TextEscape(u.key), ">");
      });

  py::class_<ArtifactSelection>(m, "ArtifactSelection",
                                "One package version's files, selected by "
                                "parsed name.")
      .def_readonly("keys", &ArtifactSelection::keys)
      .def_readonly("names", &ArtifactSelection::names)
      .def_readonly("unreadable", &ArtifactSelection::unreadable)
      .def("__len__", [](const ArtifactSelection& s) { return s.keys.size(); })
      .def(
          "to_records",
          [](const ArtifactSelection& s) {
            py::list out;
            for (size_t i = 0; i < s.keys.size(); ++i) {
              out.append(SelectedRecord(s.keys[i], s.names[i]));
            }
            return out;
          },
          "Returns one dict per selected key (key, kind, package, version, "
          "accelerator, variant).")
      .def("_repr_html_",
           [](const ArtifactSelection& s) {
             py::list out;
             for (size_t i = 0; i < s.keys.size(); ++i) {
               out.append(SelectedRecord(s.keys[i], s.names[i]));
             }
             return RecordsHtml(
                 out, absl::StrCat(s.keys.size(), " selected, ",
                                   s.unreadable.size(), " unreadable"));
           })
      .def("__repr__", [](const ArtifactSelection& s) {
        return absl::StrCat("<ArtifactSelection ", s.keys.size(), " selected, ",
                            s.unreadable.size(), " unreadable>");
      });

  m.def(
      "select_artifacts",
      [](py::handle keys, const std::string& package, py::handle version) {
        std::vector<std::string> list;
        TextBatch batch(keys);
        list.reserve(batch.size());
        for (absl::string_view k : batch.views()) list.emplace_back(k);
        const Version v = ToVersion(version);
        py::gil_scoped_release release;
        return SelectArtifacts(list, package, v);
      },
      py::arg("keys"), py::arg("package"), py::arg("version"),
      "Selects `package` at `version`'s files from object keys by parsed "
      "name, never by glob (torch 2.4.1 does not take torch-2.4.10).");

  // -- stores -------------------------------------------------------------------
  py::class_<ObjectInfo>(m, "ObjectInfo", "What a store knows of one object.")
      .def_readonly("key", &ObjectInfo::key)
      .def_readonly("size", &ObjectInfo::size)
      .def_readonly("etag", &ObjectInfo::etag)
      .def_readonly("content_type", &ObjectInfo::content_type)
      .def_readonly("metadata", &ObjectInfo::metadata)
      .def("to_record", &InfoRecord)
      .def("__repr__", [](const ObjectInfo& o) {
        return absl::StrCat("<ObjectInfo ", TextEscape(o.key), " ", o.size,
                            " bytes>");
      });

  py::class_<PyStore>(m, "ObjectStore",
                      "A store and a prefix inside it (LocalStore or "
                      "S3Store).")
      .def_property_readonly("url", &PyStore::url)
      .def_property_readonly("prefix", &PyStore::prefix)
      .def("describe", &PyStore::Describe,
           "Returns 's3://bucket (endpoint)' or 'file:///dir' (never a "
           "credential).")
      .def(
          "list_all",
          [](PyStore& s, std::optional<std::string> prefix) {
            const std::string p = prefix.value_or(s.prefix());
            return ValueOrThrow(
                s.Locked([&](ObjectStore& x) { return x.ListAll(p); }));
          },
          py::arg("prefix") = py::none(),
          "Returns every object under `prefix` (default: the store's "
          "prefix), following every page; the GIL is released.")
      .def(
          "head",
          [](PyStore& s, const std::string& key) {
            return ValueOrThrow(
                s.Locked([&](ObjectStore& x) { return x.Head(key); }));
          },
          py::arg("key"),
          "Returns size, tag, content type and metadata of `key` (a full "
          "key, not below the prefix); raises NotFoundError.");

  py::class_<PyLocalStore, PyStore>(m, "LocalStore",
                                    "A local directory as an object store.")
      .def_static("open", &OpenLocal, py::arg("url"),
                  "Opens `file://DIR` or `file://DIR//PREFIX`; raises "
                  "NotFoundError when DIR does not exist (never creates it).")
      .def_property_readonly("directory", &PyLocalStore::directory)
      .def("__repr__",
           [](const PyLocalStore& s) { return StoreRepr("LocalStore", s); });

  py::class_<PyS3Store, PyStore>(m, "S3Store",
                                 "An S3 (or R2, ...) bucket as an object "
                                 "store.")
      .def_static("open", &OpenS3, py::arg("url"), py::kw_only(),
                  py::arg("endpoint_url") = py::none(),
                  py::arg("region") = py::none(),
                  "Opens `s3://BUCKET[/PREFIX]` with the credentials of "
                  "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
                  "AWS_SESSION_TOKEN (never arguments); endpoint_url "
                  "default AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else "
                  "AWS. Raises FailedPreconditionError naming a missing "
                  "variable.")
      .def_property_readonly("bucket", &PyS3Store::bucket)
      .def_property_readonly("endpoint", &PyS3Store::endpoint)
      .def("__repr__",
           [](const PyS3Store& s) { return StoreRepr("S3Store", s); });

  m.def("open_store", &OpenStore, py::arg("url"), py::kw_only(),
        py::arg("endpoint_url") = py::none(),
        "Opens a LocalStore (file://...) or an S3Store (s3://...).");

  // -- the plan -----------------------------------------------------------------
  py::class_<PromotionPackage>(m, "PromotionPackage",
                               "What the plan found for one requested "
                               "package version.")
      .def_readonly("package", &PromotionPackage::package)
      .def_property_readonly(
          "version",
          [](const PromotionPackage& p) { return OrNone(p.version); })
      .def_property_readonly(
          "variable",
          [](const PromotionPackage& p) { return OrNone(p.variable); })
      .def_readonly("not_ga", &PromotionPackage::not_ga)
      .def_readonly("found", &PromotionPackage::found)
      .def_readonly("to_copy", &PromotionPackage::to_copy)
      .def_readonly("already_there", &PromotionPackage::already_there)
      .def_readonly("conflicts", &PromotionPackage::conflicts)
      .def("to_record", &PackageRecord)
      .def("__repr__", [](const PromotionPackage& p) {
        return absl::StrCat("<PromotionPackage ", TextEscape(p.package),
                            "==", TextEscape(p.version), ": ", p.to_copy,
                            " to copy, ", p.already_there, " already there>");
      });

  py::class_<PlannedCopy>(m, "PlannedCopy", "One file the plan would copy.")
      .def_readonly("package", &PlannedCopy::package)
      .def_readonly("version", &PlannedCopy::version)
      .def_property_readonly("kind",
                             [](const PlannedCopy& c) {
                               return std::string(ArtifactKindName(c.kind));
                             })
      .def_readonly("source_key", &PlannedCopy::source_key)
      .def_readonly("destination_key", &PlannedCopy::destination_key)
      .def_readonly("size", &PlannedCopy::size)
      .def_readonly("sha256", &PlannedCopy::sha256)
      .def_readonly("overwrite", &PlannedCopy::overwrite,
                    "The key holds other content and is replaced "
                    "(overwrite=True).")
      .def("to_record", &CopyRecord)
      .def("__eq__",
           [](const PlannedCopy& a, const PlannedCopy& b) { return a == b; })
      .def("__repr__", [](const PlannedCopy& c) {
        return absl::StrCat("<PlannedCopy ", TextEscape(c.source_key), " -> ",
                            TextEscape(c.destination_key), ">");
      });

  py::class_<AlreadyPresent>(m, "AlreadyPresent",
                             "A file already at the destination with the "
                             "same content.")
      .def_readonly("package", &AlreadyPresent::package)
      .def_readonly("version", &AlreadyPresent::version)
      .def_property_readonly("kind",
                             [](const AlreadyPresent& a) {
                               return std::string(ArtifactKindName(a.kind));
                             })
      .def_readonly("source_key", &AlreadyPresent::source_key)
      .def_readonly("destination_key", &AlreadyPresent::destination_key)
      .def_readonly("size", &AlreadyPresent::size)
      .def_readonly("sha256", &AlreadyPresent::sha256)
      .def_property_readonly("same_by",
                             [](const AlreadyPresent& a) {
                               return std::string(SameByName(a.same_by));
                             })
      .def("to_record", &PresentRecord)
      .def("__repr__", [](const AlreadyPresent& a) {
        return absl::StrCat("<AlreadyPresent ", TextEscape(a.destination_key),
                            " same ", SameByName(a.same_by), ">");
      });

  py::class_<PromotionProblem>(m, "PromotionProblem",
                               "What stops (error) or qualifies (warning) a "
                               "promotion.")
      .def_property_readonly(
          "severity",
          [](const PromotionProblem& p) {
            return std::string(ProblemSeverityName(p.severity));
          })
      .def_property_readonly(
          "kind",
          [](const PromotionProblem& p) {
            return std::string(PromotionProblemKindName(p.kind));
          })
      .def_property_readonly(
          "package",
          [](const PromotionProblem& p) { return OrNone(p.package); })
      .def_property_readonly(
          "key", [](const PromotionProblem& p) { return OrNone(p.key); })
      .def_readonly("message", &PromotionProblem::message)
      .def("to_record", &ProblemRecord)
      .def("__str__", [](const PromotionProblem& p) { return p.message; })
      .def("__repr__", [](const PromotionProblem& p) {
        return absl::StrCat(
            "<PromotionProblem ", ProblemSeverityName(p.severity), " ",
            PromotionProblemKindName(p.kind), ": ", TextEscape(p.message), ">");
      });

  BindEntryList<PromotionPackage>(m, "PromotionPackages",
                                  "The plan's requested package versions.",
                                  &PackageRecord);
  BindEntryList<PlannedCopy>(m, "PlannedCopies",
                             "The plan's copies, by destination key.",
                             &CopyRecord);
  BindEntryList<AlreadyPresent>(m, "AlreadyPresentFiles",
                                "The files already at the destination.",
                                &PresentRecord);
  BindEntryList<PromotionProblem>(m, "PromotionProblems",
                                  "The plan's problems.", &ProblemRecord);

  py::class_<PromotionPlan>(m, "PromotionPlan",
                            "What promoting a release set would copy (a dry "
                            "run: making it changes nothing).")
      .def_readonly("source", &PromotionPlan::source)
      .def_readonly("source_prefix", &PromotionPlan::source_prefix)
      .def_readonly("destination", &PromotionPlan::destination)
      .def_readonly("destination_prefix", &PromotionPlan::destination_prefix)
      .def_property_readonly("packages",
                             [](const PromotionPlan& p) {
                               return EntryList<PromotionPackage>{p.packages};
                             })
      .def_property_readonly("copies",
                             [](const PromotionPlan& p) {
                               return EntryList<PlannedCopy>{p.copies};
                             })
      .def_property_readonly(
          "already_present",
          [](const PromotionPlan& p) {
            return EntryList<AlreadyPresent>{p.already_present};
          })
      .def_property_readonly("problems",
                             [](const PromotionPlan& p) {
                               return EntryList<PromotionProblem>{p.problems};
                             })
      .def_readonly("mirror", &PromotionPlan::mirror,
                    "The mirror's description ('' without a mirror).")
      .def_readonly("mirror_prefix", &PromotionPlan::mirror_prefix)
      .def_property_readonly("mirror_copies",
                             [](const PromotionPlan& p) {
                               return EntryList<PlannedCopy>{p.mirror_copies};
                             })
      .def_property_readonly(
          "mirror_already_present",
          [](const PromotionPlan& p) {
            return EntryList<AlreadyPresent>{p.mirror_already_present};
          })
      .def_property_readonly("has_mirror", &PromotionPlan::has_mirror)
      .def_property_readonly("nothing_to_do", &PromotionPlan::nothing_to_do,
                             "True when nothing is left to copy to the "
                             "destination or the mirror.")
      .def_property_readonly("ok", &PromotionPlan::ok,
                             "True when no problem is an error.")
      .def_property_readonly("error_count", &PromotionPlan::error_count)
      .def_property_readonly("warning_count", &PromotionPlan::warning_count)
      .def_property_readonly("bytes_to_copy", &PromotionPlan::bytes_to_copy)
      .def(
          "to_records",
          [](const PromotionPlan& p) { return Records(p.copies, &CopyRecord); },
          "Returns the copies, one dict each (plan.copies.to_records()).")
      .def("to_text", &PromotionPlanText, "The text `relkit promote` prints.")
      .def("to_json", &PromotionPlanJson,
           "The document `relkit promote --json` prints.")
      .def("to_markdown", &PromotionPlanMarkdown,
           "The summary `relkit promote --markdown FILE` writes.")
      .def("to_html", &PromotionPlanHtml, "An HTML fragment of the plan.")
      .def("_repr_html_", &PromotionPlanHtml)
      .def("__eq__", [](const PromotionPlan& a,
                        const PromotionPlan& b) { return a == b; })
      .def("__repr__", [](const PromotionPlan& p) {
        return absl::StrCat("<PromotionPlan ", p.ok() ? "ok" : "blocked", ": ",
                            p.copies.size(), " to copy (", p.bytes_to_copy(),
                            " bytes), ", p.already_present.size(),
                            " already there, ", p.error_count(), " errors, ",
                            p.warning_count(), " warnings>");
      });

  m.def(
      "plan_promotion",
      [](py::handle versions, py::handle source, py::handle destination,
         std::optional<std::vector<std::string>> packages,
         std::optional<py::object> matrix, bool allow_incomplete,
         std::optional<std::string> endpoint_url,
         std::optional<std::string> mirror,
         std::optional<std::string> mirror_endpoint_url, bool overwrite) {
        return PlanCall(versions, source, destination, packages, matrix,
                        allow_incomplete, endpoint_url, mirror,
                        mirror_endpoint_url, overwrite)
            .plan;
      },
      py::arg("versions"), py::arg("source"), py::arg("destination"),
      py::kw_only(), py::arg("packages") = py::none(),
      py::arg("matrix") = py::none(), py::arg("allow_incomplete") = false,
      py::arg("endpoint_url") = py::none(), py::arg("mirror") = py::none(),
      py::arg("mirror_endpoint_url") = py::none(), py::arg("overwrite") = false,
      "Plans promoting a release set (a release_versions.sh path, a "
      "ReleaseVersionsFile or a ReleaseSet) from `source` to `destination` "
      "(store URLs or opened stores), as `relkit promote` does: reads both "
      "stores without the GIL and writes nothing. `packages`: promote only "
      "these (default every package of the set); `matrix`: a build-matrix "
      "JSON for the torch coverage check (default the embedded one); "
      "`mirror`: a file:// or s3:// URL the files also go to (an s3:// "
      "mirror needs `mirror_endpoint_url` and takes its credentials from "
      "R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_SESSION_TOKEN, region "
      "R2_REGION or 'auto'); `overwrite`: plan a conflicting key as a copy "
      "that replaces it (a warning) instead of an error. What stops the "
      "promotion is in plan.problems; a store that cannot be read raises.");

  // -- applying -----------------------------------------------------------------
  py::class_<PromotionFailure>(m, "PromotionFailure",
                               "A key that could not be copied or verified.")
      .def_readonly("key", &PromotionFailure::key)
      .def_property_readonly("code",
                             [](const PromotionFailure& f) {
                               return absl::StatusCodeToString(f.status.code());
                             })
      .def_property_readonly("message",
                             [](const PromotionFailure& f) {
                               return std::string(f.status.message());
                             })
      .def("__repr__", [](const PromotionFailure& f) {
        return absl::StrCat("<PromotionFailure ", TextEscape(f.key), ": ",
                            absl::StatusCodeToString(f.status.code()), ": ",
                            TextEscape(f.status.message()), ">");
      });

  using R = PyPromotionResult;
  py::class_<R>(m, "PromotionResult",
                "What promote(execute=True) did. `ok` is False when a store "
                "failed (`failed` names the key; the journal records what "
                "was done and the same call resumes); a refused plan raises "
                "instead.")
      .def_property_readonly("plan", [](const R& r) { return r.plan; })
      .def_property_readonly(
          "already_applied",
          [](const R& r) { return r.result.already_applied; },
          "The plan had nothing left to copy (a rerun after a complete run).")
      .def_property_readonly(
          "copied", [](const R& r) { return r.result.copied; },
          "Destination keys copied (including `overwritten`), in key order.")
      .def_property_readonly(
          "skipped", [](const R& r) { return r.result.skipped; },
          "Destination keys already there with the same content.")
      .def_property_readonly(
          "overwritten", [](const R& r) { return r.result.overwritten; },
          "Destination and mirror keys that held other content and were "
          "replaced.")
      .def_property_readonly("mirrored",
                             [](const R& r) { return r.result.mirrored; })
      .def_property_readonly("mirror_skipped",
                             [](const R& r) { return r.result.mirror_skipped; })
      .def_property_readonly(
          "verified", [](const R& r) { return r.result.verified; },
          "Destination and mirror keys verified by this run (size, sha256).")
      .def_property_readonly("failed",
                             [](const R& r) { return r.result.failed; })
      .def_property_readonly("journal_path",
                             [](const R& r) { return r.result.journal_path; })
      .def_property_readonly("ok", [](const R& r) { return r.result.ok(); })
      .def(
          "to_records", [](const R& r) { return ResultRecords(r.result); },
          "Returns one dict per key (outcome, key, code, message), ready for "
          "pandas.DataFrame.")
      .def(
          "to_text",
          [](const R& r) { return PromotionResultText(r.plan, r.result); },
          "The text `relkit promote --execute` prints.")
      .def(
          "to_json",
          [](const R& r) { return PromotionExecuteJson(r.plan, r.result); },
          "The document `relkit promote --execute --json` prints.")
      .def(
          "to_markdown",
          [](const R& r) { return PromotionResultMarkdown(r.plan, r.result); },
          "The summary `relkit promote --execute --markdown FILE` writes.")
      .def("_repr_html_",
           [](const R& r) {
             // Built here from escaped pieces (RecordsHtml escapes every
             // cell): no C++ HTML renderer of a result exists yet.
             return RecordsHtml(
                 ResultRecords(r.result),
                 absl::StrCat("promotion ", ResultSummary(r.result),
                              "; journal ", TextEscape(r.result.journal_path)),
                 200);
           })
      .def("__repr__", [](const R& r) {
        return absl::StrCat("<PromotionResult ", ResultSummary(r.result), ">");
      });

  m.def("promote", &PromoteCall, py::arg("versions"), py::arg("source"),
        py::arg("destination"), py::kw_only(), py::arg("packages") = py::none(),
        py::arg("mirror") = py::none(),
        py::arg("mirror_endpoint_url") = py::none(),
        py::arg("endpoint_url") = py::none(), py::arg("matrix") = py::none(),
        py::arg("allow_incomplete") = false, py::arg("overwrite") = false,
        py::arg("execute") = false, py::arg("journal") = py::none(),
        py::arg("jobs") = 4, py::arg("progress") = py::none(),
        "promote.sh's job in one call, as `relkit promote`: plans (the "
        "arguments of plan_promotion) and, without `execute`, returns the "
        "PromotionPlan. With execute=True: raises FailedPreconditionError "
        "naming the plan's errors when it has any (nothing copied), else "
        "applies it (`jobs` objects in flight, the GIL released) with the "
        "journal `journal` (default: $XDG_CACHE_HOME/relkit/promotions/"
        "<plan id>.jsonl, else ~/.cache/relkit/promotions/..., the file the "
        "CLI uses) and returns a PromotionResult; a store failure is in "
        "result.failed (ok False), not raised. `progress(done, total, key)` "
        "is called from the worker threads after each object. Safe to call "
        "again: a rerun resumes, a complete one is already_applied.");

  py::class_<PromotionJournalState>(m, "PromotionJournalState",
                                    "What a promotion journal says.")
      .def_readonly("plans", &PromotionJournalState::plans,
                    "The plan identity of each `start` record.")
      .def_readonly("verified", &PromotionJournalState::verified,
                    "Destination key -> sha256, verified.")
      .def_readonly("copied", &PromotionJournalState::copied,
                    "Destination key -> sha256, copied (verified or not).")
      .def_readonly("mirror_verified", &PromotionJournalState::mirror_verified)
      .def_readonly("mirrored", &PromotionJournalState::mirrored)
      .def_readonly("finished", &PromotionJournalState::finished,
                    "The number of `finished` records (runs that ended).")
      .def_readonly("records", &PromotionJournalState::records)
      .def("to_records", &JournalRecords,
           "Returns one dict per key (state, key, sha256).")
      .def("_repr_html_",
           [](const PromotionJournalState& j) {
             return RecordsHtml(
                 JournalRecords(j),
                 absl::StrCat(j.records, " records, ", j.plans.size(),
                              " runs, ", j.finished, " finished"));
           })
      .def("__repr__", [](const PromotionJournalState& j) {
        return absl::StrCat("<PromotionJournalState ", j.records, " records, ",
                            j.verified.size(), " verified, ",
                            j.mirror_verified.size(), " mirror verified, ",
                            j.finished, " finished>");
      });

  m.def(
      "read_promotion_journal",
      [](py::object path) {
        const std::string p =
            py::str(py::module_::import("os").attr("fspath")(path));
        absl::StatusOr<PromotionJournalState> state;
        {
          py::gil_scoped_release release;
          state = [&]() -> absl::StatusOr<PromotionJournalState> {
            RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(p));
            return ParsePromotionJournal(text, p);
          }();
        }
        return ValueOrThrow(std::move(state));
      },
      py::arg("path"),
      "Reads a promotion journal (JSON lines); a last line cut by a kill is "
      "ignored; raises InvalidArgumentError naming the file and line of a "
      "malformed one.");
}

}  // namespace relkit::python
