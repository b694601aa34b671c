// File: bindings.h
// -----------------------------------------------------------------------------
//
// Shared declarations of the `_relkit` extension: one `Bind<Domain>()` per
// bind_<domain>.cc, and the single path by which an `absl::Status` becomes a
// Python exception. Binding code never builds Python exceptions itself; it
// calls `ThrowIfError()` / `ValueOrThrow()`, and the translator registered by
// `BindErrors()` maps the status code (and the error domain, for the
// packaging-compatible `InvalidVersion`, `InvalidSpecifier`, ... aliases) to
// the exception classes created once in bind_errors.cc.
//
//   Version v = ValueOrThrow(Version::Parse(text), ErrorDomain::kVersion);

#ifndef RELKIT_PYTHON_BINDINGS_BINDINGS_H_
#define RELKIT_PYTHON_BINDINGS_BINDINGS_H_

#include <Python.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pybind11/pybind11.h"
#include "relkit/html.h"

namespace relkit {
class ReleaseSet;  // relkit/release_versions.h
}  // namespace relkit

namespace relkit::python {

namespace py = ::pybind11;

// Which input an InvalidArgument status is about; selects the packaging
// alias raised for it (`InvalidVersion` for kVersion, ...). Other status
// codes ignore the domain.
enum class ErrorDomain : uint8_t {
  kGeneric,
  kVersion,
  kSpecifier,
  kWheelFilename,
  kSdistFilename,
  kName,
};

// A C++ exception carrying a non-OK status out of a binding; turned into a
// Python exception by the translator that `BindErrors()` registers.
class StatusError : public std::exception {
 public:
  StatusError(absl::Status status, ErrorDomain domain)
      : status_(std::move(status)), domain_(domain) {}

  const char* what() const noexcept override {
    return status_.message().data();
  }
  const absl::Status& status() const { return status_; }
  ErrorDomain domain() const { return domain_; }

 private:
  absl::Status status_;
  ErrorDomain domain_;
};

// Sets the Python error indicator to the relkit exception for `error` (the
// mapping that the registered translator applies); for code that cannot throw
// through pybind11, such as a raw CPython slot.
void SetPythonError(const StatusError& error);

// Throws StatusError when `status` is not OK.
inline void ThrowIfError(absl::Status status,
                         ErrorDomain domain = ErrorDomain::kGeneric) {
  if (!status.ok()) throw StatusError(std::move(status), domain);
}

// Returns the value of `result`, or throws StatusError with its status.
template <typename T>
T ValueOrThrow(absl::StatusOr<T>&& result,
               ErrorDomain domain = ErrorDomain::kGeneric) {
  if (!result.ok()) throw StatusError(std::move(result).status(), domain);
  return *std::move(result);
}

// Runs `f` (a call returning absl::StatusOr: a GitHub request, a git walk)
// with the GIL released, then returns its value or throws its error.
template <typename F>
auto CallWithoutGil(F&& f) {
  decltype(f()) result;
  {
    py::gil_scoped_release release;
    result = f();
  }
  return ValueOrThrow(std::move(result));
}

// Returns the UTF-8 text of a Python str without copying (the view lives as
// long as `text`). Throws StatusError(InvalidArgument, `domain`) when `text`
// is not a str (packaging raises InvalidVersion for non-strings) or cannot be
// encoded as UTF-8.
absl::string_view StrView(py::handle text, ErrorDomain domain);

// A `versions` argument (promotion, PyPI staging): a ReleaseSet, a
// ReleaseVersionsFile, or the path of a release_versions.sh (str or
// os.PathLike), read without the GIL. Defined in bind_promotion.cc.
ReleaseSet ReleaseSetArg(py::handle versions);

// The items of a Python iterable of str, converted once for a batch call:
// holds strong references (a tuple) so that the UTF-8 views stay valid while
// the GIL is released, even if the caller's list is mutated meanwhile.
class TextBatch {
 public:
  // Raises TypeError when `iterable` is a str itself or holds a non-str item.
  explicit TextBatch(py::handle iterable) {
    if (PyUnicode_Check(iterable.ptr())) {
      throw py::type_error("expected an iterable of str, got a single str");
    }
    items_ = py::reinterpret_steal<py::tuple>(PySequence_Tuple(iterable.ptr()));
    if (!items_) throw py::error_already_set();
    views_.reserve(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) {
      PyObject* item =
          PyTuple_GET_ITEM(items_.ptr(), static_cast<Py_ssize_t>(i));
      if (!PyUnicode_Check(item)) {
        throw py::type_error(absl::StrCat("expected str items, got ",
                                          Py_TYPE(item)->tp_name, " at index ",
                                          i));
      }
      Py_ssize_t size = 0;
      const char* data = PyUnicode_AsUTF8AndSize(item, &size);
      if (data == nullptr) throw py::error_already_set();
      views_.emplace_back(data, static_cast<size_t>(size));
    }
  }

  size_t size() const { return views_.size(); }
  absl::Span<const absl::string_view> views() const { return views_; }
  // Returns the original Python object at index `i`.
  py::object item(size_t i) const { return items_[i]; }

 private:
  py::tuple items_;
  std::vector<absl::string_view> views_;
};

// Every `_repr_html_` table is the library's relkit::HtmlTable
// (relkit/html.h).
using ::relkit::HtmlEscape;
using ::relkit::HtmlTable;

// Returns an HTML table of `records` (a list of dicts with the same keys), at
// most `limit` rows, with a note of how many were left out (for
// `_repr_html_`; in bind_wheel_index.cc).
std::string RecordsHtml(const py::list& records, const std::string& caption,
                        size_t limit = 50);

// The methods every row table (CompatibilityMatrix, ReleaseSchedule) has,
// defined once: `default()`, `from_markdown(text, source)`,
// `from_json(text, source)`, `rows`, `find(<key>)` (None when absent),
// `to_json(pretty)`, `to_records()` (`record` of each row: a list of dicts,
// ready for pandas.DataFrame), `__len__` and `__eq__`.
template <typename Table, typename Row>
void DefRowTable(py::class_<Table>& table, const char* key,
                 py::dict (*record)(const Row&)) {
  table.def_static("default", [] { return ValueOrThrow(Table::Default()); })
      .def_static(
          "from_markdown",
          [](const std::string& text, const std::string& source) {
            return ValueOrThrow(Table::FromMarkdown(text, source));
          },
          py::arg("text"), py::arg("source") = "<input>")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            return ValueOrThrow(Table::FromJson(text, source));
          },
          py::arg("text"), py::arg("source") = "<input>")
      .def_property_readonly("rows", &Table::rows)
      .def(
          "find",
          [](const Table& t, const std::string& k) -> std::optional<Row> {
            const Row* row = t.Find(k);
            if (row == nullptr) return std::nullopt;
            return *row;
          },
          py::arg(key))
      .def("to_json", &Table::ToJson, py::arg("pretty") = true)
      .def("to_records",
           [record](const Table& t) {
             py::list out;
             for (const Row& r : t.rows()) out.append(record(r));
             return out;
           })
      .def("__len__", [](const Table& t) { return t.rows().size(); })
      .def("__eq__", [](const Table& a, const Table& b) { return a == b; });
}

void BindErrors(py::module_& m);
void BindVersion(py::module_& m);
void BindSpecifier(py::module_& m);
void BindWheel(py::module_& m);
void BindConventions(py::module_& m);
void BindGit(py::module_& m);
void BindBranchCut(py::module_& m);
void BindRcTags(py::module_& m);
void BindPins(py::module_& m);
void BindDemo(py::module_& m);
void BindMatrix(py::module_& m);
void BindSupportPolicy(py::module_& m);
void BindSchedule(py::module_& m);
void BindBuildMatrix(py::module_& m);
void BindWheelIndex(py::module_& m);
void BindPublishedVersions(py::module_& m);
void BindGitHub(py::module_& m);
void BindCherryPick(py::module_& m);
void BindReadiness(py::module_& m);

}  // namespace relkit::python

#endif  // RELKIT_PYTHON_BINDINGS_BINDINGS_H_
