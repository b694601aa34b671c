// The binary build matrix (relkit/build_matrix.h): channel tables, the
// generator that replaces test-infra's generate_binary_build_matrix.py
// (`BuildMatrix.generate` returns the script's `{"include": [...]}` as a dict
// with the script's key order), branch cut / go-live, and the queries the
// release checks use. Channels, operating systems and package types are the
// script's strings; unknown ones raise InvalidArgumentError listing the valid
// ones.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/build_matrix.h"
#include "relkit/conventions.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

BuildChannel Channel(const std::string& name) {
  return ValueOrThrow(ParseBuildChannel(name));
}

std::optional<Version> ToOptionalVersion(py::handle v) {
  if (v.is_none()) return std::nullopt;
  return ToVersion(v);
}

py::dict EntryDict(const BuildMatrixEntry& e) {
  py::dict d;
  for (const auto& [k, v] : e.Fields()) d[py::str(k)] = py::str(v);
  return d;
}

std::string VersionText(const std::optional<Version>& v) {
  return v.has_value() ? v->ToString() : "-";
}

// One record per channel, for tables in notebooks.
py::list Records(const BuildMatrix& m) {
  py::list out;
  for (BuildChannel c :
       {BuildChannel::kNightly, BuildChannel::kTest, BuildChannel::kRelease}) {
    const ChannelTables& t = m.tables(c);
    const std::optional<Version> version =
        c == BuildChannel::kNightly ? m.nightly_version : m.CurrentVersion(c);
    py::dict r;
    r["channel"] = std::string(BuildChannelName(c));
    r["version"] = version.has_value()
                       ? py::object(py::str(version->ToString()))
                       : py::object(py::none());
    r["python_versions"] = t.python_versions;
    r["cuda_arches"] = t.cuda_arches;
    r["rocm_arches"] = t.rocm_arches;
    r["xpu_arches"] = t.xpu_arches;
    r["stable_cuda"] = t.stable_cuda;
    out.append(r);
  }
  return out;
}

std::string ReprHtml(const BuildMatrix& m) {
  std::vector<std::vector<std::string>> rows;
  for (BuildChannel c :
       {BuildChannel::kNightly, BuildChannel::kTest, BuildChannel::kRelease}) {
    const ChannelTables& t = m.tables(c);
    const std::optional<Version> version =
        c == BuildChannel::kNightly ? m.nightly_version : m.CurrentVersion(c);
    rows.push_back({std::string(BuildChannelName(c)), VersionText(version),
                    absl::StrJoin(t.python_versions, " "),
                    absl::StrJoin(t.cuda_arches, " "),
                    absl::StrJoin(t.rocm_arches, " "),
                    absl::StrJoin(t.xpu_arches, " "), t.stable_cuda});
  }
  return HtmlTable(
      {"channel", "version", "python", "cuda", "rocm", "xpu", "stable cuda"},
      rows);
}

py::dict Generate(const BuildMatrix& m, const std::string& package_type,
                  const std::string& operating_system,
                  const std::string& channel, bool with_cuda, bool with_rocm,
                  bool with_cpu, bool with_xpu,
                  std::optional<std::vector<std::string>> python_versions,
                  bool build_python_only, bool limit_pr_builds,
                  bool use_only_dl_pytorch_org, bool getting_started) {
  BuildMatrixOptions o;
  o.package_types = ValueOrThrow(ParseBuildPackageTypes(package_type));
  o.os = ValueOrThrow(ParseBuildOs(operating_system));
  o.channels = ValueOrThrow(ParseBuildChannels(channel));
  o.with_cuda = with_cuda;
  o.with_rocm = with_rocm;
  o.with_cpu = with_cpu;
  o.with_xpu = with_xpu;
  if (python_versions.has_value()) o.python_versions = *python_versions;
  o.build_python_only = build_python_only;
  o.limit_pr_builds = limit_pr_builds;
  o.use_only_dl_pytorch_org = use_only_dl_pytorch_org;
  o.getting_started = getting_started;
  std::vector<BuildMatrixEntry> entries =
      ValueOrThrow(GenerateBuildMatrix(m, o));
  py::list include;
  for (const BuildMatrixEntry& e : entries) include.append(EntryDict(e));
  py::dict out;
  out["include"] = include;
  return out;
}

std::string ChannelTablesRepr(const ChannelTables& t) {
  auto list = [](const std::vector<std::string>& l) {
    return absl::StrCat(
        "[",
        absl::StrJoin(l, ", ",
                      [](std::string* out, const std::string& s) {
                        absl::StrAppend(out, "'", s, "'");
                      }),
        "]");
  };
  return absl::StrCat("ChannelTables(python_versions=", list(t.python_versions),
                      ", cuda_arches=", list(t.cuda_arches),
                      ", rocm_arches=", list(t.rocm_arches),
                      ", xpu_arches=", list(t.xpu_arches), ", stable_cuda='",
                      t.stable_cuda, "')");
}

}  // namespace

void BindBuildMatrix(py::module_& m) {
  py::class_<ChannelTables>(m, "ChannelTables",
                            "The build tables of one channel.")
      .def(py::init([](std::vector<std::string> python_versions,
                       std::vector<std::string> cuda_arches,
                       std::vector<std::string> rocm_arches,
                       std::vector<std::string> xpu_arches,
                       std::string stable_cuda) {
             return ChannelTables{std::move(python_versions),
                                  std::move(cuda_arches),
                                  std::move(rocm_arches), std::move(xpu_arches),
                                  std::move(stable_cuda)};
           }),
           py::arg("python_versions") = std::vector<std::string>{},
           py::arg("cuda_arches") = std::vector<std::string>{},
           py::arg("rocm_arches") = std::vector<std::string>{},
           py::arg("xpu_arches") = std::vector<std::string>{},
           py::arg("stable_cuda") = "")
      .def_readwrite("python_versions", &ChannelTables::python_versions)
      .def_readwrite("cuda_arches", &ChannelTables::cuda_arches)
      .def_readwrite("rocm_arches", &ChannelTables::rocm_arches)
      .def_readwrite("xpu_arches", &ChannelTables::xpu_arches)
      .def_readwrite("stable_cuda", &ChannelTables::stable_cuda)
      .def("__eq__",
           [](const ChannelTables& a, const py::object& b) -> py::object {
             if (!py::isinstance<ChannelTables>(b))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(a == b.cast<const ChannelTables&>());
           })
      .def("__repr__", &ChannelTablesRepr)
      .attr("__hash__") = py::none();

  py::class_<ExpectedWheel>(m, "ExpectedWheel",
                            "A wheel build the matrix expects on a channel.")
      .def_property_readonly(
          "operating_system",
          [](const ExpectedWheel& w) { return std::string(BuildOsName(w.os)); })
      .def_readonly("python_version", &ExpectedWheel::python_version)
      .def_readonly("accelerator", &ExpectedWheel::accelerator)
      .def_readonly("build_name", &ExpectedWheel::build_name)
      .def("__eq__",
           [](const ExpectedWheel& a, const py::object& b) -> py::object {
             if (!py::isinstance<ExpectedWheel>(b))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(a == b.cast<const ExpectedWheel&>());
           })
      .def("__repr__",
           [](const ExpectedWheel& w) {
             return absl::StrCat("ExpectedWheel(operating_system='",
                                 BuildOsName(w.os), "', python_version='",
                                 w.python_version, "', accelerator='",
                                 w.accelerator.ToString(), "', build_name='",
                                 w.build_name, "')");
           })
      .attr("__hash__") = py::none();

  py::class_<BuildMatrix> bm(m, "BuildMatrix",
                             "Binary build matrix tables (test-infra's "
                             "generate_binary_build_matrix.py "
                             "module tables) and the generator.");
  bm.def(py::init<>(), "Empty tables.")
      .def_static(
          "default", [] { return BuildMatrix::Default(); },
          "Returns the tables at pytorch/test-infra@61a77570.")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            return ValueOrThrow(BuildMatrix::FromJson(text, source));
          },
          py::arg("text"), py::arg("source") = "<input>",
          "Parses tables in the shape of a test-infra timeline entry.")
      .def_static(
          "load",
          [](const std::string& path) {
            return ValueOrThrow(BuildMatrix::Load(path));
          },
          py::arg("path"))
      .def("to_json", &BuildMatrix::ToJson)
      .def_readwrite("nightly", &BuildMatrix::nightly)
      .def_readwrite("test", &BuildMatrix::test)
      .def_readwrite("release", &BuildMatrix::release)
      .def(
          "tables",
          [](const BuildMatrix& self, const std::string& channel) {
            return self.tables(Channel(channel));
          },
          py::arg("channel"))
      .def(
          "set_tables",
          [](BuildMatrix& self, const std::string& channel,
             const ChannelTables& tables) {
            self.tables(Channel(channel)) = tables;
          },
          py::arg("channel"), py::arg("tables"))
      .def_property(
          "nightly_version",
          [](const BuildMatrix& self) { return self.nightly_version; },
          [](BuildMatrix& self, py::handle v) {
            self.nightly_version = ToOptionalVersion(v);
          })
      .def_property(
          "candidate_version",
          [](const BuildMatrix& self) { return self.candidate_version; },
          [](BuildMatrix& self, py::handle v) {
            self.candidate_version = ToOptionalVersion(v);
          })
      .def_property(
          "stable_version",
          [](const BuildMatrix& self) { return self.stable_version; },
          [](BuildMatrix& self, py::handle v) {
            self.stable_version = ToOptionalVersion(v);
          })
      .def_property(
          "cuda_cudnn",
          [](const BuildMatrix& self) {
            py::dict d;
            for (const CudaToolkit& t : self.cuda_cudnn) {
              d[py::str(t.arch)] = py::make_tuple(t.cuda, t.cudnn);
            }
            return d;
          },
          [](BuildMatrix& self, const py::dict& d) {
            std::vector<CudaToolkit> rows;
            for (auto [k, v] : d) {
              auto pair = v.cast<std::pair<std::string, std::string>>();
              rows.push_back({k.cast<std::string>(), pair.first, pair.second});
            }
            self.cuda_cudnn = std::move(rows);
          })
      .def_readwrite("cuda_aarch64_arches", &BuildMatrix::cuda_aarch64_arches)
      .def_readwrite("cuda_arches_no_windows",
                     &BuildMatrix::cuda_arches_no_windows)
      .def_readwrite("cuda_arches_no_getting_started",
                     &BuildMatrix::cuda_arches_no_getting_started)
      .def_readwrite("torch_only_python_versions",
                     &BuildMatrix::torch_only_python_versions)
      .def_property(
          "macos_python_point_versions",
          [](const BuildMatrix& self) {
            py::dict d;
            for (const auto& [k, v] : self.macos_python_point_versions) {
              d[py::str(k)] = py::str(v);
            }
            return d;
          },
          [](BuildMatrix& self, const py::dict& d) {
            std::vector<std::pair<std::string, std::string>> rows;
            for (auto [k, v] : d) {
              rows.emplace_back(k.cast<std::string>(), v.cast<std::string>());
            }
            self.macos_python_point_versions = std::move(rows);
          })
      .def_readwrite("getting_started_rocm_arch",
                     &BuildMatrix::getting_started_rocm_arch)
      .def_readwrite("package_types", &BuildMatrix::package_types)
      .def(
          "current_version",
          [](const BuildMatrix& self, const std::string& channel) {
            return self.CurrentVersion(Channel(channel));
          },
          py::arg("channel"))
      .def(
          "channel_for_version",
          [](const BuildMatrix& self,
             py::handle version) -> std::optional<std::string> {
            std::optional<BuildChannel> c =
                self.ChannelForVersion(ToVersion(version));
            if (!c.has_value()) return std::nullopt;
            return std::string(BuildChannelName(*c));
          },
          py::arg("version"))
      .def("branch_cut", &BuildMatrix::BranchCut)
      .def("go_live", &BuildMatrix::GoLive)
      .def("generate", &Generate, py::kw_only(),
           py::arg("package_type") = "wheel",
           py::arg("operating_system") = "linux",
           py::arg("channel") = "nightly", py::arg("with_cuda") = true,
           py::arg("with_rocm") = true, py::arg("with_cpu") = true,
           py::arg("with_xpu") = true, py::arg("python_versions") = py::none(),
           py::arg("build_python_only") = true,
           py::arg("limit_pr_builds") = false,
           py::arg("use_only_dl_pytorch_org") = false,
           py::arg("getting_started") = false,
           "Returns {'include': [...]} as generate_binary_build_matrix.py "
           "prints it (same keys, order and values).")
      .def(
          "expected_wheels",
          [](const BuildMatrix& self, const std::string& channel,
             std::optional<std::vector<std::string>> operating_systems) {
            std::vector<BuildOs> oses;
            if (operating_systems.has_value()) {
              for (const std::string& os : *operating_systems) {
                oses.push_back(ValueOrThrow(ParseBuildOs(os)));
              }
            }
            return ValueOrThrow(ExpectedWheels(self, Channel(channel), oses));
          },
          py::arg("channel"), py::arg("operating_systems") = py::none())
      .def(
          "gpu_accelerators",
          [](const BuildMatrix& self, const std::string& channel) {
            return ValueOrThrow(ChannelGpuAccelerators(self, Channel(channel)));
          },
          py::arg("channel"))
      .def(
          "getting_started_rocm",
          [](const BuildMatrix& self, const std::string& channel) {
            return GettingStartedRocm(self, Channel(channel));
          },
          py::arg("channel"))
      .def("to_records", &Records)
      .def("_repr_html_", &ReprHtml)
      .def("__eq__",
           [](const BuildMatrix& a, const py::object& b) -> py::object {
             if (!py::isinstance<BuildMatrix>(b))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(a == b.cast<const BuildMatrix&>());
           })
      .def("__repr__",
           [](const BuildMatrix& self) {
             return absl::StrCat(
                 "<BuildMatrix nightly=", VersionText(self.nightly_version),
                 " candidate=", VersionText(self.candidate_version),
                 " stable=", VersionText(self.stable_version), ">");
           })
      .attr("__hash__") = py::none();

  m.def(
      "parse_build_matrix_timeline",
      [](const std::string& text, const std::string& source) {
        std::vector<BuildMatrixState> states =
            ValueOrThrow(ParseBuildMatrixTimeline(text, source));
        py::list out;
        for (BuildMatrixState& s : states) {
          out.append(
              py::make_tuple(s.commit, s.date, s.subject, std::move(s.tables)));
        }
        return out;
      },
      py::arg("text"), py::arg("source") = "<input>",
      "Parses test-infra's table timeline: [(commit, date, subject, "
      "BuildMatrix), ...].");
}

}  // namespace relkit::python
