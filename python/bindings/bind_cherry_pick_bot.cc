// The cherry-pick bot (relkit/cherry_pick_bot.h): plan the pick of a merged
// PR onto a release branch, then apply it (branch, push, PR, comments).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "py_repository.h"
#include "pybind11/stl.h"
#include "relkit/cherry_pick.h"
#include "relkit/cherry_pick_bot.h"
#include "relkit/cherry_pick_bot_report.h"
#include "relkit/git.h"
#include "relkit/github.h"

namespace relkit::python {

void BindCherryPickBot(py::module_& m);

namespace {

std::optional<std::string> Sha(const std::optional<ObjectId>& id) {
  if (!id) return std::nullopt;
  return id->ToString();
}

}  // namespace

void BindCherryPickBot(py::module_& m) {
  py::class_<CherryPickPlan>(m, "CherryPickPlan")
      .def_property_readonly(
          "pr", [](const CherryPickPlan& p) { return p.request.pr; })
      .def_property_readonly(
          "onto", [](const CherryPickPlan& p) { return p.request.onto; })
      .def_property_readonly(
          "classification",
          [](const CherryPickPlan& p) {
            return std::string(ClassificationName(p.request.classification));
          })
      .def_property_readonly(
          "fixes", [](const CherryPickPlan& p) { return p.request.fixes; })
      .def_property_readonly(
          "requested_by",
          [](const CherryPickPlan& p) { return p.request.requested_by; })
      .def_readonly("branch", &CherryPickPlan::branch)
      .def_property_readonly(
          "onto_head",
          [](const CherryPickPlan& p) { return p.onto_head.ToString(); })
      .def_property_readonly(
          "target_release",
          [](const CherryPickPlan& p) -> std::optional<std::string> {
            if (!p.target_release) return std::nullopt;
            return p.target_release->ToString();
          })
      .def_readonly("patch_release", &CherryPickPlan::patch_release)
      .def_property_readonly(
          "main_commit",
          [](const CherryPickPlan& p) { return Sha(p.main_commit); })
      .def_readonly("main_commit_found_by",
                    &CherryPickPlan::main_commit_found_by)
      .def_property_readonly(
          "pick_result",
          [](const CherryPickPlan& p) -> std::optional<std::string> {
            if (!p.pick) return std::nullopt;
            return std::string(CherryPickKindName(p.pick->kind));
          })
      .def_property_readonly("pick_commit",
                             [](const CherryPickPlan& p) {
                               return p.pick ? Sha(p.pick->commit)
                                             : std::nullopt;
                             })
      .def_property_readonly("message",
                             [](const CherryPickPlan& p) {
                               return p.pick ? p.pick->message : std::string();
                             })
      .def_property_readonly("conflicts",
                             [](const CherryPickPlan& p) {
                               return p.pick ? p.pick->conflicts
                                             : std::vector<std::string>{};
                             })
      .def_readonly("pr_title", &CherryPickPlan::pr_title)
      .def_readonly("pr_body", &CherryPickPlan::pr_body)
      .def_property_readonly(
          "tracker",
          [](const CherryPickPlan& p) -> std::optional<int64_t> {
            if (!p.tracker) return std::nullopt;
            return p.tracker->number;
          })
      .def_property_readonly(
          "steps",
          [](const CherryPickPlan& p) {
            py::dict d;
            d["branch"] = std::string(CherryPickStepStateName(p.branch_step));
            d["push"] = std::string(CherryPickStepStateName(p.push_step));
            d["pull_request"] = std::string(CherryPickStepStateName(p.pr_step));
            d["tracker_comment"] =
                std::string(CherryPickStepStateName(p.tracker_step));
            d["pr_comment"] =
                std::string(CherryPickStepStateName(p.done_comment_step));
            d["failure_comment"] =
                std::string(CherryPickStepStateName(p.failure_comment_step));
            return d;
          })
      .def_readonly("already_applied", &CherryPickPlan::already_applied)
      .def_property_readonly("refused", &CherryPickPlan::refused)
      .def_property_readonly("conflict", &CherryPickPlan::conflict)
      .def_readonly("refusals", &CherryPickPlan::refusals)
      .def_readonly("warnings", &CherryPickPlan::warnings)
      .def("text", &CherryPickPlanText)
      .def("to_json", &CherryPickPlanJson)
      .def("__repr__", [](const CherryPickPlan& p) {
        return absl::StrCat("<CherryPickPlan #", p.request.pr, " onto ",
                            p.request.onto, " ",
                            p.refused()         ? "refused"
                            : p.conflict()      ? "conflict"
                            : p.already_applied ? "already applied"
                                                : "ok",
                            ">");
      });

  py::class_<CherryPickApplyResult>(m, "CherryPickApplyResult")
      .def_readonly("already_applied", &CherryPickApplyResult::already_applied)
      .def_readonly("conflict", &CherryPickApplyResult::conflict)
      .def_readonly("branch_created", &CherryPickApplyResult::branch_created)
      .def_readonly("pushed", &CherryPickApplyResult::pushed)
      .def_property_readonly(
          "pull_request_url",
          [](const CherryPickApplyResult& r) -> std::optional<std::string> {
            if (!r.pull_request) return std::nullopt;
            return r.pull_request->url;
          })
      .def_property_readonly(
          "pull_request_number",
          [](const CherryPickApplyResult& r) -> std::optional<int64_t> {
            if (!r.pull_request) return std::nullopt;
            return r.pull_request->number;
          })
      .def_readonly("pr_created", &CherryPickApplyResult::pr_created)
      .def_property_readonly(
          "tracker_comment_url",
          [](const CherryPickApplyResult& r) -> std::optional<std::string> {
            if (!r.tracker_comment) return std::nullopt;
            return r.tracker_comment->url;
          })
      .def_readonly("tracker_comment_created",
                    &CherryPickApplyResult::tracker_comment_created)
      .def_property_readonly(
          "pr_comment_url",
          [](const CherryPickApplyResult& r) -> std::optional<std::string> {
            if (!r.pr_comment) return std::nullopt;
            return r.pr_comment->url;
          })
      .def_readonly("pr_comment_created",
                    &CherryPickApplyResult::pr_comment_created)
      .def_property_readonly(
          "failure_comment_url",
          [](const CherryPickApplyResult& r) -> std::optional<std::string> {
            if (!r.failure_comment) return std::nullopt;
            return r.failure_comment->url;
          })
      .def_readonly("failure_comment_created",
                    &CherryPickApplyResult::failure_comment_created)
      .def("__repr__", [](const CherryPickApplyResult& r) {
        return absl::StrCat("<CherryPickApplyResult ",
                            r.already_applied ? "already applied"
                            : r.conflict      ? "conflict"
                                              : "applied",
                            ">");
      });

  m.def(
      "plan_cherry_pick",
      [](PyRepository& r, GitHubClient& client, py::handle github_repo,
         int64_t pr, std::optional<std::string> onto,
         std::optional<std::string> classification,
         std::optional<std::string> fixes, const std::string& requested_by,
         const std::string& main, const std::string& push_remote,
         std::optional<std::string> comment) {
        CherryPickRequest req;
        req.pr = pr;
        req.repo = RepoArg(github_repo, "github_repo");
        req.requested_by = requested_by;
        req.main = main;
        req.push_remote = push_remote;
        if (comment) {
          req = ValueOrThrow(CherryPickRequestFromComment(*comment, req));
        } else {
          if (!onto || !classification) {
            throw py::value_error(
                "onto and classification are required (or comment=)");
          }
          req.onto = *onto;
          req.classification =
              ValueOrThrow(ParseClassification(*classification));
          req.fixes = std::move(fixes);
        }
        return ValueOrThrow(Locked(
            r, [&](Repository& x) { return PlanCherryPick(x, client, req); }));
      },
      py::arg("repo"), py::arg("client"), py::arg("github_repo"), py::arg("pr"),
      py::kw_only(), py::arg("onto") = py::none(),
      py::arg("classification") = py::none(), py::arg("fixes") = py::none(),
      py::arg("requested_by") = "", py::arg("main") = "main",
      py::arg("push_remote") = "origin", py::arg("comment") = py::none(),
      "Plans the cherry-pick of merged PR `pr` onto a release branch "
      "(reads only; see CherryPickPlan).");
  m.def(
      "apply_cherry_pick",
      [](const CherryPickPlan& plan, PyRepository& r, GitHubClient& client) {
        return ValueOrThrow(Locked(r, [&](Repository& x) {
          return ApplyCherryPick(x, client, plan);
        }));
      },
      py::arg("plan"), py::arg("repo"), py::arg("client"),
      "Carries out a plan: branch, push, PR, tracker and PR comments (or the "
      "failure comment of a conflict). Idempotent.");
}

}  // namespace relkit::python
