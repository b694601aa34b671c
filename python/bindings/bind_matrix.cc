// The release compatibility matrix (relkit/compat_matrix.h). Statuses are the
// strings "stable", "experimental" and "unsupported"; the table has
// `to_records()` and `_repr_html_()` for notebooks.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bindings.h"
#include "pybind11/stl.h"
#include "relkit/compat_matrix.h"

namespace relkit::python {

// Returns an HTML table of `header` and `rows` (cells escaped).
namespace {

std::string Status(absl::StatusOr<SupportStatus> s) {
  return std::string(SupportStatusName(ValueOrThrow(std::move(s))));
}

std::vector<std::string> Versions(const std::vector<CudaEntry>& entries) {
  std::vector<std::string> out;
  for (const CudaEntry& e : entries) out.push_back(e.version);
  return out;
}

py::dict RowRecord(const MatrixRow& r) {
  py::dict d;
  d["release"] = r.release;
  d["python"] = r.PythonCell();
  d["python_versions"] = r.PythonVersions();
  d["experimental_python"] = r.experimental_python;
  d["cxx"] = r.cxx_standard;
  d["stable_cuda"] = Versions(r.stable_cuda);
  d["experimental_cuda"] = Versions(r.experimental_cuda);
  std::vector<std::optional<std::string>> cudnn;
  for (const CudaEntry& e : r.stable_cuda) cudnn.push_back(e.cudnn);
  d["stable_cudnn"] = cudnn;
  d["stable_rocm"] = r.stable_rocm;
  return d;
}

}  // namespace

void BindMatrix(py::module_& m) {
  py::class_<CudaEntry>(m, "CudaEntry",
                        "One CUDA version of a release with its libraries.")
      .def_readonly("version", &CudaEntry::version)
      .def_readonly("cudnn", &CudaEntry::cudnn)
      .def_readonly("nccl", &CudaEntry::nccl)
      .def_readonly("full_version", &CudaEntry::full_version)
      .def_readonly("arches_x86_64", &CudaEntry::arches_x86_64)
      .def_readonly("arches_aarch64", &CudaEntry::arches_aarch64)
      .def("__eq__",
           [](const CudaEntry& a, const CudaEntry& b) { return a == b; })
      .def("__repr__", [](const CudaEntry& e) {
        return absl::StrCat("<CudaEntry ", e.version,
                            e.cudnn ? absl::StrCat(" cuDNN ", *e.cudnn) : "",
                            e.nccl ? absl::StrCat(" NCCL ", *e.nccl) : "", ">");
      });

  py::class_<MatrixRow>(m, "MatrixRow",
                        "One minor release of the compatibility matrix.")
      .def_readonly("release", &MatrixRow::release)
      .def_readonly("python", &MatrixRow::python)
      .def_readonly("experimental_python", &MatrixRow::experimental_python)
      .def_readonly("cxx_standard", &MatrixRow::cxx_standard)
      .def_readonly("stable_cuda", &MatrixRow::stable_cuda)
      .def_readonly("experimental_cuda", &MatrixRow::experimental_cuda)
      .def_readonly("stable_rocm", &MatrixRow::stable_rocm)
      .def_property_readonly("python_text", &MatrixRow::PythonCell)
      .def("python_versions", &MatrixRow::PythonVersions)
      .def(
          "python_status",
          [](const MatrixRow& r, const std::string& v) {
            return Status(r.PythonStatus(v));
          },
          py::arg("version"))
      .def(
          "cuda_status",
          [](const MatrixRow& r, const std::string& v) {
            return Status(r.CudaStatus(v));
          },
          py::arg("version"))
      .def(
          "rocm_status",
          [](const MatrixRow& r, const std::string& v) {
            return Status(r.RocmStatus(v));
          },
          py::arg("version"))
      .def("to_dict", &RowRecord)
      .def("__eq__",
           [](const MatrixRow& a, const MatrixRow& b) { return a == b; })
      .def("__repr__", [](const MatrixRow& r) {
        return absl::StrCat("<MatrixRow ", r.release, " Python ",
                            r.PythonCell(), ">");
      });

  py::class_<MatrixChange>(m, "MatrixChange",
                           "One item that changed between two releases.")
      .def_property_readonly("kind",
                             [](const MatrixChange& c) {
                               return std::string(MatrixChangeKindName(c.kind));
                             })
      .def_readonly("name", &MatrixChange::name)
      .def_property_readonly("before",
                             [](const MatrixChange& c) {
                               return std::string(SupportStatusName(c.before));
                             })
      .def_property_readonly("after",
                             [](const MatrixChange& c) {
                               return std::string(SupportStatusName(c.after));
                             })
      .def("__repr__", [](const MatrixChange& c) {
        return absl::StrCat("<MatrixChange ", c.name, ": ",
                            SupportStatusName(c.before), " -> ",
                            SupportStatusName(c.after), ">");
      });

  py::class_<MatrixDiff>(m, "MatrixDiff",
                         "What changed from one release to another.")
      .def_readonly("from_release", &MatrixDiff::from)
      .def_readonly("to_release", &MatrixDiff::to)
      .def_readonly("changes", &MatrixDiff::changes)
      .def("summary", &MatrixDiff::Summary)
      .def("__str__", &MatrixDiff::Summary)
      .def("__repr__", [](const MatrixDiff& d) {
        return absl::StrCat("<MatrixDiff ", d.Summary(), ">");
      });

  py::class_<CompatibilityMatrix> matrix(
      m, "CompatibilityMatrix",
      "Release compatibility matrix: Python, CUDA, ROCm and C++ per minor "
      "release.");
  DefRowTable<CompatibilityMatrix, MatrixRow>(matrix, "release", &RowRecord);
  matrix
      .def(
          "releases_supporting_python",
          [](const CompatibilityMatrix& mx, const std::string& python,
             bool experimental) {
            return mx.ReleasesSupportingPython(python, experimental);
          },
          py::arg("python"), py::arg("include_experimental") = false)
      .def(
          "diff",
          [](const CompatibilityMatrix& mx, const std::string& a,
             const std::string& b) { return ValueOrThrow(mx.Diff(a, b)); },
          py::arg("from_release"), py::arg("to_release"))
      .def(
          "to_markdown",
          [](const CompatibilityMatrix& mx, const std::string& layout) {
            return mx.ToMarkdown(ValueOrThrow(ParseMarkdownLayout(layout)));
          },
          py::arg("layout") = "current")
      .def("_repr_html_",
           [](const CompatibilityMatrix& mx) {
             std::vector<std::vector<std::string>> rows;
             for (const MatrixRow& r : mx.rows()) {
               rows.push_back({r.release, r.PythonCell(),
                               r.cxx_standard.value_or(""), r.StableCudaCell(),
                               r.ExperimentalCudaCell(), r.RocmCell()});
             }
             return HtmlTable(
                 {"PyTorch version", "Python", "C++", "Stable CUDA",
                  "Experimental CUDA", "Stable ROCm"},
                 rows);
           })
      .def("__iter__",
           [](const CompatibilityMatrix& mx) {
             return py::iter(py::cast(mx.rows()));
           })
      .def("__repr__", [](const CompatibilityMatrix& mx) {
        return absl::StrCat(
            "<CompatibilityMatrix ", mx.rows().size(), " releases",
            mx.rows().empty() ? ""
                              : absl::StrCat(" ", mx.rows().back().release,
                                             "..", mx.rows().front().release),
            ">");
      });
}

}  // namespace relkit::python
