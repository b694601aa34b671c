// Pins and submodules (relkit/pins.h): the Triton pin and the check of a
// release branch's submodules against their upstreams.

#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "py_repository.h"
#include "pybind11/stl.h"
#include "relkit/git.h"
#include "relkit/pins.h"

namespace relkit::python {

void BindPins(py::module_& m) {
  m.attr("TRITON_PIN_PATH") = std::string(kTritonPinPath);
  m.attr("TRITON_VERSION_PATH") = std::string(kTritonVersionPath);

  py::class_<TritonPin>(m, "TritonPin")
      .def_property_readonly(
          "commit", [](const TritonPin& p) { return p.commit.ToString(); })
      .def_readonly("version", &TritonPin::version)
      .def("__repr__", [](const TritonPin& p) {
        return absl::StrCat("<TritonPin ", p.commit.ShortString(),
                            p.version ? " " + p.version->ToString() : "", ">");
      });

  py::class_<SubmoduleCheck>(m, "SubmoduleCheck")
      .def_readonly("submodule", &SubmoduleCheck::submodule)
      .def_property_readonly(
          "path", [](const SubmoduleCheck& s) { return s.submodule.path; })
      .def_property_readonly("commit",
                             [](const SubmoduleCheck& s) {
                               return OptionalSha(s.submodule.commit);
                             })
      .def_property_readonly("state",
                             [](const SubmoduleCheck& s) {
                               return std::string(SubmoduleStateName(s.state));
                             })
      .def_property_readonly("flagged", &SubmoduleCheck::flagged)
      .def_readonly("upstream", &SubmoduleCheck::upstream)
      .def_readonly("default_branch", &SubmoduleCheck::default_branch)
      .def_property_readonly("default_branch_commit",
                             [](const SubmoduleCheck& s) {
                               return OptionalSha(s.default_branch_commit);
                             })
      .def_readonly("detail", &SubmoduleCheck::detail)
      .def("__repr__", [](const SubmoduleCheck& s) {
        return absl::StrCat("<SubmoduleCheck ", s.submodule.path, " ",
                            SubmoduleStateName(s.state), ">");
      });

  m.def(
      "parse_commit_pin",
      [](const std::string& text, const std::string& source) {
        return ValueOrThrow(ParseCommitPin(text, source)).ToString();
      },
      py::arg("text"), py::arg("source") = "<input>");
  m.def(
      "parse_version_pin",
      [](const std::string& text, const std::string& source) {
        return ValueOrThrow(ParseVersionPin(text, source));
      },
      py::arg("text"), py::arg("source") = "<input>");
  m.def(
      "read_triton_pin",
      [](PyRepository& r, const std::string& ref) {
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return ReadTritonPin(x, ref); }));
      },
      py::arg("repo"), py::arg("ref") = "HEAD");
  m.def(
      "check_submodules",
      [](PyRepository& r, const std::string& ref,
         const std::map<std::string, std::string>& upstreams,
         const std::map<std::string, std::string>& default_branches,
         bool discover) {
        SubmoduleCheckOptions o;
        o.discover = discover;
        for (const auto& [path, repo] : upstreams) {
          SubmoduleUpstream u{
              .path = path, .repository = repo, .default_branch = ""};
          if (auto it = default_branches.find(path);
              it != default_branches.end()) {
            u.default_branch = it->second;
          }
          o.upstreams.push_back(std::move(u));
        }
        return ValueOrThrow(Locked(
            r, [&](Repository& x) { return CheckSubmodules(x, ref, o); }));
      },
      py::arg("repo"), py::arg("ref") = "HEAD", py::kw_only(),
      py::arg("upstreams") = std::map<std::string, std::string>(),
      py::arg("default_branches") = std::map<std::string, std::string>(),
      py::arg("discover") = true);
}

}  // namespace relkit::python
