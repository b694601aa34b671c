// The support policy (relkit/support_policy.h): supported CPython versions
// and operating systems, and how a compatibility matrix row departs from the
// policy. Days are datetime.date; the CPython table has `to_records()` and
// `_repr_html_()` for notebooks.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/compat_matrix.h"
#include "relkit/support_policy.h"

namespace relkit::python {
namespace {

SupportPolicyOptions Options(std::vector<std::string> cuda,
                             std::vector<std::string> rocm,
                             int experimental_days, int lead_days,
                             size_t minors) {
  return {.new_python_experimental_days = experimental_days,
          .prerelease_lead_days = lead_days,
          .available_cuda = std::move(cuda),
          .available_rocm = std::move(rocm),
          .accelerator_minors = minors};
}

py::dict PythonRecord(const CPythonVersion& p) {
  py::dict d;
  d["version"] = p.version;
  d["free_threaded"] = p.free_threaded;
  d["released"] = ToDate(p.released);
  d["end_of_life"] = ToDate(p.end_of_life);
  d["eol_month_only"] = p.eol_month_only;
  return d;
}

#define RELKIT_POLICY_ARGS                                               \
  py::kw_only(), py::arg("available_cuda") = std::vector<std::string>{}, \
                 py::arg("available_rocm") = std::vector<std::string>{}, \
                 py::arg("new_python_experimental_days") = 90,           \
                 py::arg("prerelease_lead_days") = 120,                  \
                 py::arg("accelerator_minors") = 2

}  // namespace

void BindSupportPolicy(py::module_& m) {
  py::class_<CPythonVersion>(m, "CPythonVersion",
                             "A CPython minor version and its support dates.")
      .def_readonly("version", &CPythonVersion::version)
      .def_readonly("free_threaded", &CPythonVersion::free_threaded)
      .def_property_readonly(
          "released",
          [](const CPythonVersion& p) { return ToDate(p.released); })
      .def_property_readonly(
          "end_of_life",
          [](const CPythonVersion& p) { return ToDate(p.end_of_life); })
      .def_readonly("eol_month_only", &CPythonVersion::eol_month_only)
      .def("__repr__", [](const CPythonVersion& p) {
        return absl::StrCat("<CPythonVersion ", p.ToString(), ">");
      });

  py::class_<OsSupport>(m, "OsSupport",
                        "One row of the supported operating systems table.")
      .def_readonly("family", &OsSupport::family)
      .def_readonly("arch", &OsSupport::arch)
      .def_readonly("minimum", &OsSupport::minimum)
      .def_readonly("notes", &OsSupport::notes)
      .def_readonly("last_release", &OsSupport::last_release)
      .def("__repr__", [](const OsSupport& o) {
        return absl::StrCat("<OsSupport ", o.family, " ", o.arch,
                            " >= ", o.minimum, ">");
      });

  py::class_<Deviation>(m, "Deviation",
                        "How a matrix row departs from the support policy.")
      .def_property_readonly("kind",
                             [](const Deviation& d) {
                               return std::string(DeviationKindName(d.kind));
                             })
      .def_readonly("subject", &Deviation::subject)
      .def_readonly("message", &Deviation::message)
      .def("__repr__", [](const Deviation& d) {
        return absl::StrCat("<Deviation ", DeviationKindName(d.kind), ": ",
                            d.message, ">");
      });

  m.def(
      "latest_minor_versions",
      [](const std::vector<std::string>& available, size_t n) {
        return ValueOrThrow(LatestMinorVersions(available, n));
      },
      py::arg("available"), py::arg("n") = 2,
      "Returns the latest n minor versions among `available`, ascending "
      "(numeric order).");

  py::class_<SupportPolicy>(
      m, "SupportPolicy",
      "Support policy: non-EOL CPython, latest 2 accelerator minors, OS table.")
      .def_static("default",
                  [] { return ValueOrThrow(SupportPolicy::Default()); })
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            return ValueOrThrow(SupportPolicy::FromJson(text, source));
          },
          py::arg("text"), py::arg("source") = "<input>")
      .def_property_readonly("cpython", &SupportPolicy::cpython)
      .def_property_readonly("operating_systems",
                             &SupportPolicy::operating_systems)
      .def(
          "supported_pythons",
          [](const SupportPolicy& p, py::handle day) {
            return p.SupportedPythons(FromDate(day));
          },
          py::arg("day"))
      .def(
          "operating_systems_for",
          [](const SupportPolicy& p, const std::string& release) {
            return p.OperatingSystemsFor(release);
          },
          py::arg("release"))
      .def(
          "propose_matrix_row",
          [](const SupportPolicy& p, const std::string& release, py::handle day,
             std::vector<std::string> cuda, std::vector<std::string> rocm,
             int exp_days, int lead_days, size_t minors) {
            return p.ProposeMatrixRow(release, FromDate(day),
                                      Options(std::move(cuda), std::move(rocm),
                                              exp_days, lead_days, minors));
          },
          py::arg("release"), py::arg("day"), RELKIT_POLICY_ARGS)
      .def(
          "check_matrix_row",
          [](const SupportPolicy& p, const MatrixRow& row, py::handle day,
             std::vector<std::string> cuda, std::vector<std::string> rocm,
             int exp_days, int lead_days, size_t minors) {
            return p.CheckMatrixRow(row, FromDate(day),
                                    Options(std::move(cuda), std::move(rocm),
                                            exp_days, lead_days, minors));
          },
          py::arg("row"), py::arg("day"), RELKIT_POLICY_ARGS)
      .def("to_records",
           [](const SupportPolicy& p) {
             py::list out;
             for (const CPythonVersion& v : p.cpython())
               out.append(PythonRecord(v));
             return out;
           })
      .def("_repr_html_",
           [](const SupportPolicy& p) {
             std::vector<std::vector<std::string>> rows;
             for (const CPythonVersion& v : p.cpython()) {
               rows.push_back(
                   {v.version, absl::FormatCivilTime(v.released),
                    v.eol_month_only
                        ? absl::FormatCivilTime(absl::CivilMonth(v.end_of_life))
                        : absl::FormatCivilTime(v.end_of_life)});
             }
             return HtmlTable({"CPython", "released", "end of life"}, rows);
           })
      .def("__repr__", [](const SupportPolicy& p) {
        return absl::StrCat("<SupportPolicy ", p.cpython().size(),
                            " CPython versions, ", p.operating_systems().size(),
                            " OS rows>");
      });
}

#undef RELKIT_POLICY_ARGS

}  // namespace relkit::python
