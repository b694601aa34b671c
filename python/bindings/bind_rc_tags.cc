// RC tags of a release branch (relkit/rc_tags.h): list them, plan the next
// `vX.Y.Z-rcN` (or the final tag), then apply the plan.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "py_repository.h"
#include "pybind11/stl.h"
#include "relkit/git.h"
#include "relkit/rc_tags.h"
#include "relkit/readiness.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

py::dict RcPlanDict(const RcTagPlan& p) {
  py::dict d;
  d["branch"] = p.branch;
  d["tag"] = p.tag.ToString();
  d["target"] = p.target.ToString();
  d["head"] = p.head.ToString();
  d["annotated"] = p.message.has_value();
  d["message"] = p.message ? py::cast(*p.message) : py::none();
  d["promotes"] = p.promotes ? py::cast(*p.promotes) : py::none();
  d["already_applied"] = p.already_applied;
  d["remote"] = p.remote ? py::cast(*p.remote) : py::none();
  d["tags_at_target"] = p.tags_at_target;
  d["warnings"] = p.warnings;
  d["overridden"] = p.overridden;
  d["override_reason"] =
      p.override_reason.empty() ? py::none() : py::cast(p.override_reason);
  return d;
}

}  // namespace

void BindRcTags(py::module_& m) {
  py::class_<RepositoryRcTag>(m, "RepositoryRcTag")
      .def_readonly("tag", &RepositoryRcTag::tag)
      .def_property_readonly(
          "name", [](const RepositoryRcTag& t) { return t.tag.ToString(); })
      .def_property_readonly(
          "commit",
          [](const RepositoryRcTag& t) { return t.commit.ToString(); })
      .def_readonly("annotated", &RepositoryRcTag::annotated)
      .def("__repr__", [](const RepositoryRcTag& t) {
        return absl::StrCat("<RepositoryRcTag ", t.tag.ToString(), " -> ",
                            t.commit.ShortString(), ">");
      });

  py::class_<RcTagPlan>(m, "RcTagPlan")
      .def_readonly("branch", &RcTagPlan::branch)
      .def_readonly("tag", &RcTagPlan::tag)
      .def_property_readonly(
          "target", [](const RcTagPlan& p) { return p.target.ToString(); })
      .def_property_readonly(
          "head", [](const RcTagPlan& p) { return p.head.ToString(); })
      .def_readonly("message", &RcTagPlan::message)
      .def_readonly("promotes", &RcTagPlan::promotes)
      .def_readonly("already_applied", &RcTagPlan::already_applied)
      .def_readonly("remote", &RcTagPlan::remote)
      .def_readonly("tags_at_target", &RcTagPlan::tags_at_target)
      .def_readonly("warnings", &RcTagPlan::warnings)
      .def_readonly("overridden", &RcTagPlan::overridden)
      .def_property_readonly("override_reason",
                             [](const RcTagPlan& p) -> py::object {
                               if (p.override_reason.empty()) return py::none();
                               return py::cast(p.override_reason);
                             })
      .def("to_dict", &RcPlanDict)
      .def("to_json",
           [](const RcTagPlan& p) { return JsonDumps(RcPlanDict(p)); })
      .def(
          "apply",
          [](const RcTagPlan& p, PyRepository& r) {
            ApplyOutcome done = ValueOrThrow(
                Locked(r, [&](Repository& x) { return ApplyRcTag(x, p); }));
            return std::string(ApplyOutcomeName(done));
          },
          py::arg("repo"))
      .def(
          "push",
          [](const RcTagPlan& p, PyRepository& r) {
            ThrowIfError(
                Locked(r, [&](Repository& x) { return PushRcTag(x, p); }));
          },
          py::arg("repo"))
      .def("__repr__", [](const RcTagPlan& p) {
        return absl::StrCat("<RcTagPlan ", p.tag.ToString(), " at ",
                            p.target.ShortString(), " on ", p.branch, ">");
      });

  m.def(
      "list_rc_tags",
      [](PyRepository& r, const std::string& branch) {
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return ListRcTags(x, branch); }));
      },
      py::arg("repo"), py::arg("branch"));
  m.def(
      "target_release",
      [](const std::string& branch, const std::vector<std::string>& tags) {
        return ValueOrThrow(TargetRelease(branch, tags));
      },
      py::arg("branch"), py::arg("tags"));
  m.def(
      "plan_rc_tag",
      [](PyRepository& r, const std::string& branch,
         std::optional<std::string> release, bool final,
         std::optional<std::string> message, bool allow_skip,
         std::optional<std::string> remote,
         std::optional<std::string> override_reason) {
        RcTagPlanOptions o;
        if (override_reason) {
          if (override_reason->empty()) {
            throw py::value_error("override_reason must not be empty");
          }
          o.override_reason = *override_reason;
        }
        if (release) {
          o.release =
              ValueOrThrow(Version::Parse(*release), ErrorDomain::kVersion);
        }
        o.final = final;
        o.message = std::move(message);
        o.allow_skip = allow_skip;
        o.remote = std::move(remote);
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return PlanRcTag(x, branch, o); }));
      },
      py::arg("repo"), py::arg("branch"), py::kw_only(),
      py::arg("release") = py::none(), py::arg("final") = false,
      py::arg("message") = py::none(), py::arg("allow_skip") = false,
      py::arg("remote") = py::none(), py::arg("override_reason") = py::none());
  m.def(
      "guard_final_tag",
      [](const RcTagPlan& plan, const ReadinessReport* readiness) {
        RcTagPlan guarded = plan;
        ThrowIfError(GuardFinalTag(readiness, guarded));
        return guarded;
      },
      py::arg("plan"), py::arg("readiness"),
      "Returns `plan` guarded by the readiness report (None: not run); "
      "raises unless it passed or the plan has an override_reason.");
  m.def(
      "next_branch_rc_tag",
      [](PyRepository& r, const std::string& branch) {
        return ValueOrThrow(Locked(r,
                                   [&](Repository& x) {
                                     return PlanRcTag(x, branch, {});
                                   }))
            .tag;
      },
      py::arg("repo"), py::arg("branch"));
}

}  // namespace relkit::python
