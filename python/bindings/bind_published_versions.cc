// The Get Started page data of release day (relkit/published_versions.h):
// published_versions.json, the plan of publishing a stable release, and the
// quick-start module's install matrix.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "pybind11/stl.h"
#include "relkit/build_matrix.h"
#include "relkit/published_versions.h"

namespace relkit::python {
namespace {

py::list PublishedRecords(const PublishedVersions& pv) {
  py::list out;
  for (const PublishedRelease& rel : pv.releases) {
    for (const OsOptions& os : rel.systems) {
      for (const PackageManagerOptions& pm : os.package_managers) {
        for (const InstallOption& opt : pm.options) {
          py::dict d;
          d["release"] = rel.name;
          d["os"] = os.name;
          d["package_manager"] = pm.name;
          d["accelerator"] = opt.accelerator;
          d["note"] = opt.note;
          d["command"] = opt.command;
          if (opt.downloads) {
            py::dict links;
            for (const DownloadLink& l : *opt.downloads)
              links[py::str(l.label)] = l.url;
            d["downloads"] = links;
          } else {
            d["downloads"] = py::none();
          }
          d["default"] = opt.is_default;
          out.append(d);
        }
      }
    }
  }
  return out;
}

py::dict CellDict(const InstallOption& opt) {
  py::dict d;
  d["note"] = opt.note;
  if (opt.kind == InstallOption::Kind::kCommand) {
    d["command"] = opt.command;
  } else if (opt.downloads) {
    py::dict links;
    for (const DownloadLink& l : *opt.downloads)
      links[py::str(l.label)] = l.url;
    d["versions"] = links;
  } else {
    d["versions"] = py::none();
  }
  if (opt.is_default) d["default"] = *opt.is_default;
  return d;
}

py::list ChangeRecords(const PublishPlan& plan) {
  py::list out;
  for (const CellChange& c : plan.changes) {
    py::dict d;
    d["release"] = c.release;
    d["os"] = c.os;
    d["package_manager"] = c.package_manager;
    d["accelerator"] = c.accelerator;
    d["field"] = c.field;
    d["before"] = c.before;
    d["after"] = c.after;
    out.append(d);
  }
  return out;
}

std::vector<MatrixInstall> BuildsFrom(
    const std::optional<std::vector<std::string>>& docs) {
  if (!docs) {
    return ValueOrThrow(
        GettingStartedBuilds(BuildMatrix::Default(), BuildChannel::kRelease));
  }
  std::vector<MatrixInstall> out;
  for (size_t i = 0; i < docs->size(); ++i) {
    std::vector<MatrixInstall> builds = ValueOrThrow(
        ParseMatrixInstalls((*docs)[i], absl::StrCat("builds[", i, "]")));
    out.insert(out.end(), builds.begin(), builds.end());
  }
  return out;
}

}  // namespace

void BindPublishedVersions(py::module_& m) {
  py::class_<PublishedVersions>(
      m, "PublishedVersions",
      "published_versions.json of the Get Started page.")
      .def_static(
          "parse",
          [](py::handle text, const std::string& source) {
            return ValueOrThrow(PublishedVersions::Parse(
                StrView(text, ErrorDomain::kGeneric), source));
          },
          py::arg("text"), py::arg("source") = "<input>")
      .def(
          "to_json", &PublishedVersions::ToJson,
          "Returns the JSON text (json.dump(indent=2) layout, key order kept).")
      .def_readwrite("latest_stable", &PublishedVersions::latest_stable)
      .def_readwrite("latest_lts", &PublishedVersions::latest_lts)
      .def("release_names", &PublishedVersions::ReleaseNames)
      .def(
          "cell",
          [](const PublishedVersions& pv, const std::string& release,
             const std::string& os, const std::string& package_manager,
             const std::string& accelerator) -> py::object {
            const PublishedRelease* rel = pv.Find(release);
            if (rel == nullptr) return py::none();
            const InstallOption* opt =
                rel->Find(os, package_manager, accelerator);
            if (opt == nullptr) return py::none();
            return CellDict(*opt);
          },
          py::arg("release"), py::arg("os"), py::arg("package_manager"),
          py::arg("accelerator"),
          "Returns one cell as the JSON object it is written as, or None.")
      .def("__eq__", [](const PublishedVersions& a,
                        const PublishedVersions& b) { return a == b; })
      .def("to_records", &PublishedRecords)
      .def("_repr_html_",
           [](const PublishedVersions& pv) {
             return RecordsHtml(
                 PublishedRecords(pv),
                 absl::StrCat("latest stable ", pv.latest_stable));
           })
      .def("__repr__", [](const PublishedVersions& pv) {
        return absl::StrCat(
            "<PublishedVersions(latest_stable=", pv.latest_stable, ", ",
            pv.releases.size(), " releases)>");
      });

  py::class_<PublishPlan>(m, "PublishPlan",
                          "What publishing a stable release would change.")
      .def_readonly("result", &PublishPlan::result)
      .def_readonly("version", &PublishPlan::version)
      .def_readonly("added_release", &PublishPlan::added_release)
      .def_readonly("previous_latest_stable",
                    &PublishPlan::previous_latest_stable)
      .def_readonly("latest_stable_changed",
                    &PublishPlan::latest_stable_changed)
      .def_property_readonly("columns",
                             [](const PublishPlan& p) {
                               py::dict out;
                               for (const AcceleratorSlot& s : p.slots) {
                                 out[py::str(s.key)] = py::make_tuple(
                                     s.gpu_arch_type, s.gpu_arch_version);
                               }
                               return out;
                             })
      .def_readonly("warnings", &PublishPlan::warnings)
      .def("changes", &ChangeRecords)
      .def("to_records", &ChangeRecords)
      .def("_repr_html_",
           [](const PublishPlan& p) {
             return RecordsHtml(
                 ChangeRecords(p),
                 absl::StrCat("publish ", p.version, ": ", p.changes.size(),
                              " changes, ", p.warnings.size(), " warnings"));
           })
      .def("__repr__", [](const PublishPlan& p) {
        return absl::StrCat("<PublishPlan(", p.version, ": ", p.changes.size(),
                            " changes, ", p.warnings.size(), " warnings)>");
      });

  m.def(
      "plan_stable_release",
      [](const PublishedVersions& pv, const std::string& version,
         std::optional<std::vector<std::string>> builds) {
        return ValueOrThrow(PlanStableRelease(pv, version, BuildsFrom(builds)));
      },
      py::arg("published"), py::arg("version"), py::arg("builds") = py::none(),
      "Plans adding a stable release from the release build matrix: builds "
      "are build-matrix JSON documents ({\"include\": [...]}), default the "
      "embedded tables' release channel.");
  m.def(
      "quick_start_install_matrix",
      [](const PublishedVersions& pv) {
        py::dict out;
        for (auto& [k, v] : ValueOrThrow(QuickStartInstallMatrix(pv))) {
          out[py::str(k)] = v;
        }
        return out;
      },
      py::arg("published"),
      "Returns the quick-start module's install matrix "
      "({'preview,pip,linux,accnone,python': ...}).");
  m.def(
      "quick_start_module_json",
      [](const PublishedVersions& pv) {
        return ValueOrThrow(QuickStartModuleJson(pv));
      },
      py::arg("published"));
}

}  // namespace relkit::python
