// The demo repository (src/demo/demo.h, not part of the installed library):
// a release repository with every case the branch audit distinguishes, for
// notebooks, tests and tutorials.

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "demo/demo.h"
#include "pybind11/stl.h"

namespace relkit::python {

void BindDemo(py::module_& m) {
  py::class_<DemoChange>(m, "DemoChange")
      .def_property_readonly(
          "role",
          [](const DemoChange& c) { return std::string(DemoRoleName(c.role)); })
      .def_readonly("pr", &DemoChange::pr)
      .def_readonly("title", &DemoChange::title)
      .def_property_readonly(
          "main_commit",
          [](const DemoChange& c) { return c.main_commit.ToString(); })
      .def_property_readonly(
          "branch_commit",
          [](const DemoChange& c) { return OptionalSha(c.branch_commit); })
      .def_readonly("branch_pr", &DemoChange::branch_pr)
      .def_property_readonly(
          "revert_commit",
          [](const DemoChange& c) { return OptionalSha(c.revert_commit); })
      .def("__repr__", [](const DemoChange& c) {
        return absl::StrCat("<DemoChange #", c.pr, " ", DemoRoleName(c.role),
                            ">");
      });

  py::class_<DemoRepository>(m, "DemoRepository")
      .def_readonly("path", &DemoRepository::path)
      .def_readonly("main", &DemoRepository::main)
      .def_readonly("source", &DemoRepository::source)
      .def_readonly("release_branch", &DemoRepository::release_branch)
      .def_readonly("orig_branch", &DemoRepository::orig_branch)
      .def_property_readonly(
          "cut_point",
          [](const DemoRepository& d) { return d.cut_point.ToString(); })
      .def_readonly("rc_tag", &DemoRepository::rc_tag)
      .def_readonly("changes", &DemoRepository::changes)
      .def_readonly("requested_prs", &DemoRepository::requested_prs)
      .def("__repr__", [](const DemoRepository& d) {
        return absl::StrCat("<DemoRepository ", d.path, ">");
      });

  m.def(
      "build_demo_repository",
      [](const std::string& path) {
        absl::StatusOr<DemoRepository> d;
        {
          py::gil_scoped_release release;
          d = BuildDemoRepository(path);
        }
        return ValueOrThrow(std::move(d));
      },
      py::arg("path"));
}

}  // namespace relkit::python
