// The branch cut (relkit/branch_cut.h): plan release/X.Y and
// orig/release/X.Y with the release-only and version-bump commits, review
// the plan (to_diff, to_dict, to_json), then apply it.

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bindings.h"
#include "convert.h"
#include "py_repository.h"
#include "pybind11/stl.h"
#include "relkit/branch_cut.h"
#include "relkit/git.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

std::optional<Signature> SignatureArg(
    const std::optional<std::pair<std::string, std::string>>& who) {
  if (!who) return std::nullopt;
  return Signature{.name = who->first,
                   .email = who->second,
                   .time = absl::Now(),
                   .utc_offset_minutes = 0};
}

py::dict PlannedCommitDict(const PlannedCommit& c) {
  py::dict d;
  d["branch"] = c.branch;
  d["parent"] = c.parent.ToString();
  d["message"] = c.message;
  py::list edits;
  for (const FileEdit& e : c.edits) {
    py::dict x;
    x["path"] = e.path;
    x["before"] = e.before;
    x["after"] = e.after;
    edits.append(x);
  }
  d["edits"] = edits;
  return d;
}

py::dict CutPlanDict(const BranchCutPlan& p) {
  py::dict d;
  d["release"] = p.release.ToString();
  d["release_branch"] = p.release_branch;
  d["orig_branch"] = p.orig_branch;
  d["source"] = p.source;
  d["source_commit"] = p.source_commit.ToString();
  d["default_branch"] = p.default_branch;
  d["already_applied"] = p.already_applied;
  d["warnings"] = p.warnings;
  d["next_main_version"] = p.next_main_version.ToString();
  d["remote"] = p.remote ? py::cast(*p.remote) : py::none();
  d["release_only_commit"] =
      p.release_only ? py::object(PlannedCommitDict(*p.release_only))
                     : py::none();
  d["version_bump_commit"] =
      p.version_bump ? py::object(PlannedCommitDict(*p.version_bump))
                     : py::none();
  return d;
}

}  // namespace

void BindBranchCut(py::module_& m) {
  py::class_<FileEdit>(m, "FileEdit")
      .def_readonly("path", &FileEdit::path)
      .def_readonly("before", &FileEdit::before)
      .def_readonly("after", &FileEdit::after)
      .def("__repr__", [](const FileEdit& e) {
        return absl::StrCat("<FileEdit ", e.path, ">");
      });

  py::class_<PlannedCommit>(m, "PlannedCommit")
      .def_readonly("branch", &PlannedCommit::branch)
      .def_property_readonly(
          "parent", [](const PlannedCommit& c) { return c.parent.ToString(); })
      .def_readonly("message", &PlannedCommit::message)
      .def_readonly("edits", &PlannedCommit::edits)
      .def("__repr__", [](const PlannedCommit& c) {
        return absl::StrCat("<PlannedCommit on ", c.branch, ": ",
                            c.message.substr(0, c.message.find('\n')), ">");
      });

  py::class_<BranchCutPlan>(m, "BranchCutPlan")
      .def_readonly("release", &BranchCutPlan::release)
      .def_readonly("release_branch", &BranchCutPlan::release_branch)
      .def_readonly("orig_branch", &BranchCutPlan::orig_branch)
      .def_readonly("source", &BranchCutPlan::source)
      .def_property_readonly(
          "source_commit",
          [](const BranchCutPlan& p) { return p.source_commit.ToString(); })
      .def_readonly("default_branch", &BranchCutPlan::default_branch)
      .def_readonly("already_applied", &BranchCutPlan::already_applied)
      .def_readonly("warnings", &BranchCutPlan::warnings)
      .def_readonly("remote", &BranchCutPlan::remote)
      .def_readonly("release_only", &BranchCutPlan::release_only)
      .def_readonly("version_bump", &BranchCutPlan::version_bump)
      .def_readonly("next_main_version", &BranchCutPlan::next_main_version)
      .def("to_diff", &BranchCutPlan::ToDiff)
      .def("to_dict", &CutPlanDict)
      .def("to_json",
           [](const BranchCutPlan& p) { return JsonDumps(CutPlanDict(p)); })
      .def(
          "apply",
          [](const BranchCutPlan& p, PyRepository& r, bool push,
             const std::optional<std::pair<std::string, std::string>>& author) {
            ApplyCutOptions o;
            o.push = push;
            o.signature = SignatureArg(author);
            CutOutcome done = ValueOrThrow(Locked(
                r, [&](Repository& x) { return ApplyBranchCut(x, p, o); }));
            return std::string(CutOutcomeName(done));
          },
          py::arg("repo"), py::kw_only(), py::arg("push") = false,
          py::arg("author") = py::none())
      .def(
          "push",
          [](const BranchCutPlan& p, PyRepository& r) {
            return ValueOrThrow(
                Locked(r, [&](Repository& x) { return PushBranchCut(x, p); }));
          },
          py::arg("repo"))
      .def("__repr__", [](const BranchCutPlan& p) {
        return absl::StrCat("<BranchCutPlan ", p.release_branch, " from ",
                            p.source, " @ ", p.source_commit.ShortString(),
                            ">");
      });

  m.def(
      "plan_branch_cut",
      [](PyRepository& r, std::optional<std::string> version,
         const std::string& source, const std::string& default_branch,
         std::optional<std::string> remote) {
        BranchCutOptions o;
        if (version) {
          o.version =
              ValueOrThrow(Version::Parse(*version), ErrorDomain::kVersion);
        }
        o.source = source;
        o.default_branch = default_branch;
        o.remote = std::move(remote);
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return PlanBranchCut(x, o); }));
      },
      py::arg("repo"), py::kw_only(), py::arg("version") = py::none(),
      py::arg("source") = "viable/strict", py::arg("default_branch") = "main",
      py::arg("remote") = py::none());
}

}  // namespace relkit::python
