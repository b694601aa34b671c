// Wheel indexes and coverage (relkit/wheel_index.h, relkit/index_fetch.h).
//
// parse_wheel_index() is the batch entry point: one call parses a whole page
// with the GIL released and returns a WheelIndex that keeps the C++ values;
// Python objects for single wheels are made only when asked for.
// fetch_index_page() gets the page over HTTP (or from a file) the way the
// CLI does, also with the GIL released.

#include <Python.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/build_matrix.h"
#include "relkit/index_fetch.h"
#include "relkit/version.h"
#include "relkit/wheel.h"
#include "relkit/wheel_index.h"

namespace relkit::python {

std::string RecordsHtml(const py::list& records, const std::string& caption,
                        size_t limit) {
  std::vector<std::string> header;
  // Only the rows shown are turned into text; the others only count (a big
  // index has many thousands).
  std::vector<std::vector<std::string>> rows;
  rows.reserve(records.size());
  for (py::handle rec : records) {
    if (rows.size() == limit) {
      rows.resize(records.size());
      break;
    }
    std::vector<std::string> row;
    for (auto item : rec.cast<py::dict>()) {
      if (rows.empty())
        header.push_back(py::str(item.first).cast<std::string>());
      row.push_back(item.second.is_none()
                        ? std::string()
                        : py::str(item.second).cast<std::string>());
    }
    rows.push_back(std::move(row));
  }
  return HtmlTable(header, rows, {.caption = caption, .max_rows = limit});
}

namespace {

WheelIndexFormat FormatOf(const std::string& name) {
  return ValueOrThrow(ParseWheelIndexFormat(name));
}

WheelIndex ParseIndex(py::handle text, const std::string& format,
                      const std::string& source) {
  absl::string_view view = StrView(text, ErrorDomain::kGeneric);
  WheelIndexOptions options{.format = FormatOf(format), .source = source};
  absl::StatusOr<WheelIndex> index;
  {
    py::gil_scoped_release release;
    index = WheelIndex::Parse(view, options);
  }
  return ValueOrThrow(std::move(index));
}

// Fetches (or reads) the page with the GIL released, so that other Python
// threads (a local server, a progress bar) run meanwhile.
py::str FetchPage(const std::string& url_or_path, double timeout,
                  uint64_t max_response_bytes) {
  IndexFetchOptions options;
  options.http.total_timeout = absl::Seconds(timeout);
  options.http.max_response_bytes = static_cast<size_t>(max_response_bytes);
  options.http.user_agent =
      absl::StrCat("relkit-python/", RELKIT_VERSION_STRING);
  absl::StatusOr<std::string> page;
  {
    py::gil_scoped_release release;
    page = FetchIndexPage(url_or_path, options);
  }
  const std::string& bytes = ValueOrThrow(std::move(page));
  // Index pages are UTF-8 (PEP 503, PEP 691); other bytes are a malformed
  // page, reported like one: naming the page and the position.
  PyObject* text = PyUnicode_DecodeUTF8(
      bytes.data(), static_cast<Py_ssize_t>(bytes.size()), "strict");
  if (text == nullptr) {
    Py_ssize_t at = 0;
    PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value == nullptr || PyUnicodeDecodeError_GetStart(value, &at) != 0) {
      PyErr_Clear();
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    ThrowIfError(absl::InvalidArgumentError(
        absl::StrCat("index page \"", url_or_path,
                     "\" is not UTF-8 text: invalid byte at offset ", at)));
  }
  return py::reinterpret_steal<py::str>(text);
}

py::dict WheelRecord(const IndexedWheel& w) {
  py::dict d;
  d["filename"] = w.filename;
  d["name"] = w.wheel.name();
  d["version"] = w.wheel.version().ToString();
  d["python"] = WheelPythonVersion(w.wheel);
  std::optional<BuildOs> os = WheelOs(w.wheel);
  d["os"] = os ? py::object(py::str(std::string(BuildOsName(*os))))
               : py::object(py::none());
  d["size"] = w.size;
  d["sha256"] = w.sha256;
  d["yanked"] = w.yanked;
  d["line"] = w.line;
  return d;
}

py::list IndexRecords(const WheelIndex& index) {
  py::list out;
  for (const IndexedWheel& w : index.wheels) out.append(WheelRecord(w));
  return out;
}

py::list ReportRecords(const WheelCoverageReport& r) {
  py::list out;
  auto row = [&](const char* problem, const std::string& filename,
                 const std::string& detail) {
    py::dict d;
    d["problem"] = problem;
    d["filename"] = filename;
    d["detail"] = detail;
    out.append(d);
  };
  for (const ExpectedWheel& e : r.missing) {
    row("missing", ExpectedWheelPattern(r.package, r.version, e), e.build_name);
  }
  for (const IndexedWheel& w : r.unexpected) row("unexpected", w.filename, "");
  for (const OversizeWheel& w : r.oversize) {
    row("oversize", w.wheel.filename,
        absl::StrCat(w.wheel.size.value_or(0), " bytes > ", w.limit, " ",
                     w.limit_bytes));
  }
  for (const InconsistentWheel& w : r.inconsistent) {
    row("inconsistent", w.wheel.filename, w.reason);
  }
  return out;
}

void BindIndex(py::module_& m) {
  py::class_<IndexedWheel>(m, "IndexedWheel", "One wheel link of an index.")
      .def_readonly("wheel", &IndexedWheel::wheel)
      .def_readonly("filename", &IndexedWheel::filename)
      .def_readonly("url", &IndexedWheel::url)
      .def_readonly("sha256", &IndexedWheel::sha256)
      .def_readonly("size", &IndexedWheel::size)
      .def_readonly("requires_python", &IndexedWheel::requires_python)
      .def_readonly("yanked", &IndexedWheel::yanked)
      .def_readonly("line", &IndexedWheel::line)
      .def("__eq__",
           [](const IndexedWheel& a, const IndexedWheel& b) { return a == b; })
      .def("__repr__", [](const IndexedWheel& w) {
        return absl::StrCat("<IndexedWheel(",
                            py::repr(py::str(w.filename)).cast<std::string>(),
                            ")>");
      });

  py::class_<SkippedLink>(m, "SkippedLink",
                          "A link of an index that is not a valid wheel.")
      .def_readonly("text", &SkippedLink::text)
      .def_readonly("location", &SkippedLink::location)
      .def_readonly("reason", &SkippedLink::reason)
      .def("__repr__", [](const SkippedLink& s) {
        return absl::StrCat("<SkippedLink(",
                            py::repr(py::str(s.text)).cast<std::string>(),
                            " at ", s.location, ": ", s.reason, ")>");
      });

  py::class_<WheelIndex>(
      m, "WheelIndex", "The wheels of one index page (HTML, JSON or listing).")
      .def_static("parse", &ParseIndex, py::arg("text"), py::kw_only(),
                  py::arg("format") = "auto", py::arg("source") = "<input>")
      .def_property_readonly(
          "format",
          [](const WheelIndex& i) {
            return std::string(WheelIndexFormatName(i.format));
          })
      .def_readonly("source", &WheelIndex::source)
      .def_readonly("wheels", &WheelIndex::wheels)
      .def_readonly("skipped", &WheelIndex::skipped)
      .def("__len__", [](const WheelIndex& i) { return i.wheels.size(); })
      .def("__getitem__",
           [](const WheelIndex& i, Py_ssize_t k) {
             const Py_ssize_t n = static_cast<Py_ssize_t>(i.wheels.size());
             if (k < 0) k += n;
             if (k < 0 || k >= n)
               throw py::index_error("wheel index out of range");
             return i.wheels[static_cast<size_t>(k)];
           })
      .def(
          "filenames",
          [](const WheelIndex& i) {
            py::list out(i.wheels.size());
            for (size_t k = 0; k < i.wheels.size(); ++k) {
              out[k] = py::str(i.wheels[k].filename);
            }
            return out;
          },
          "Returns the file names of the wheels, in page order.")
      .def("to_records", &IndexRecords)
      .def("_repr_html_",
           [](const WheelIndex& i) {
             return RecordsHtml(
                 IndexRecords(i),
                 absl::StrCat(i.source, ": ", i.wheels.size(), " wheels, ",
                              i.skipped.size(), " other links"));
           })
      .def("__repr__", [](const WheelIndex& i) {
        return absl::StrCat("<WheelIndex(", i.source, ": ", i.wheels.size(),
                            " wheels, ", i.skipped.size(), " skipped)>");
      });

  m.def("parse_wheel_index", &ParseIndex, py::arg("text"), py::kw_only(),
        py::arg("format") = "auto", py::arg("source") = "<input>",
        "Parses a PEP 503 HTML page, PEP 691 JSON page or size listing in one "
        "call; raises InvalidArgumentError naming the source and line for a "
        "malformed document. Links that are not valid wheels go to .skipped.");

  m.def("fetch_index_page", &FetchPage, py::arg("url_or_path"), py::kw_only(),
        py::arg("timeout") = 120.0,
        py::arg("max_response_bytes") =
            uint64_t{IndexFetchOptions{}.http.max_response_bytes},
        "Returns the text of the index page at an http(s) URL (one GET, "
        "redirects followed) or in a local file, for parse_wheel_index(). "
        "Raises NotFoundError for HTTP 404 or a missing file, "
        "UnavailableError when the server cannot be reached, "
        "DeadlineExceededError after `timeout` seconds, "
        "ResourceExhaustedError above max_response_bytes.");

  m.def(
      "wheel_os",
      [](const WheelFilename& w) -> std::optional<std::string> {
        std::optional<BuildOs> os = WheelOs(w);
        if (!os) return std::nullopt;
        return std::string(BuildOsName(*os));
      },
      py::arg("wheel"));
  m.def("wheel_python_version", &WheelPythonVersion, py::arg("wheel"));
}

void BindCoverage(py::module_& m) {
  py::class_<OversizeWheel>(m, "OversizeWheel")
      .def_readonly("wheel", &OversizeWheel::wheel)
      .def_readonly("limit", &OversizeWheel::limit)
      .def_readonly("limit_bytes", &OversizeWheel::limit_bytes);
  py::class_<InconsistentWheel>(m, "InconsistentWheel")
      .def_readonly("wheel", &InconsistentWheel::wheel)
      .def_readonly("reason", &InconsistentWheel::reason);
  py::class_<WheelCoverageReport>(m, "WheelCoverageReport",
                                  "Missing, unexpected, over-size and "
                                  "inconsistent wheels of a release.")
      .def_readonly("package", &WheelCoverageReport::package)
      .def_readonly("version", &WheelCoverageReport::version)
      .def_readonly("expected_count", &WheelCoverageReport::expected_count)
      .def_readonly("found_count", &WheelCoverageReport::found_count)
      .def_readonly("missing", &WheelCoverageReport::missing)
      .def_readonly("unexpected", &WheelCoverageReport::unexpected)
      .def_readonly("oversize", &WheelCoverageReport::oversize)
      .def_readonly("inconsistent", &WheelCoverageReport::inconsistent)
      .def_property_readonly("ok", &WheelCoverageReport::ok)
      .def("__bool__", &WheelCoverageReport::ok)
      .def("missing_patterns",
           [](const WheelCoverageReport& r) {
             std::vector<std::string> out;
             for (const ExpectedWheel& e : r.missing) {
               out.push_back(ExpectedWheelPattern(r.package, r.version, e));
             }
             return out;
           })
      .def("to_records", &ReportRecords)
      .def("_repr_html_",
           [](const WheelCoverageReport& r) {
             return RecordsHtml(
                 ReportRecords(r),
                 absl::StrCat(r.package, " ", r.version.ToString(), ": ",
                              r.expected_count, " expected, ", r.found_count,
                              " found", r.ok() ? ", ok" : ""));
           })
      .def("__repr__", [](const WheelCoverageReport& r) {
        return absl::StrCat("<WheelCoverageReport(", r.package, " ",
                            r.version.ToString(), ": ", r.missing.size(),
                            " missing, ", r.unexpected.size(), " unexpected, ",
                            r.oversize.size(), " oversize, ",
                            r.inconsistent.size(), " inconsistent)>");
      });

  m.def(
      "check_wheel_coverage",
      [](const WheelIndex& index, const std::string& package,
         py::handle version, std::optional<std::vector<ExpectedWheel>> expected,
         const std::string& channel, uint64_t size_threshold_bytes,
         uint64_t pypi_file_limit_bytes, bool threshold_for_rocm) {
        Version v = ToVersion(version);
        if (!expected) {
          expected = ValueOrThrow(
              ExpectedWheels(BuildMatrix::Default(),
                             ValueOrThrow(ParseBuildChannel(channel))));
        }
        WheelCheckOptions options{
            .size_threshold_bytes = size_threshold_bytes,
            .pypi_file_limit_bytes = pypi_file_limit_bytes,
            .threshold_for_rocm = threshold_for_rocm};
        py::gil_scoped_release release;
        return CheckWheelCoverage(index, package, v, *expected, options);
      },
      py::arg("index"), py::arg("package"), py::arg("version"),
      py::arg("expected") = py::none(), py::kw_only(),
      py::arg("channel") = "release",
      py::arg("size_threshold_bytes") =
          WheelCheckOptions{}.size_threshold_bytes,
      py::arg("pypi_file_limit_bytes") =
          WheelCheckOptions{}.pypi_file_limit_bytes,
      py::arg("threshold_for_rocm") = false,
      "Checks the wheels of package==version in index against the expected "
      "builds (default: the embedded build matrix's channel).");
  m.def(
      "expected_wheel_pattern",
      [](const std::string& package, const Version& version,
         const ExpectedWheel& e) {
        return ExpectedWheelPattern(package, version, e);
      },
      py::arg("package"), py::arg("version"), py::arg("expected"));
}

}  // namespace

void BindWheelIndex(py::module_& m) {
  BindIndex(m);
  BindCoverage(m);
}

}  // namespace relkit::python
