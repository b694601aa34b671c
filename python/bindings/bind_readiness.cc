// Python bindings of relkit/milestone_validation.h and relkit/readiness.h:
// milestone validation (github_analyze --missing-in-branch) and the final-RC
// readiness report. The functions open the repository at a path themselves,
// so that a long check runs without the GIL and without sharing a handle.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/branch_audit.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/milestone.h"
#include "relkit/milestone_validation.h"
#include "relkit/readiness.h"
#include "relkit/reports.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::python {

void BindReadiness(py::module_& m) {
  py::class_<ValidatedItem>(m, "ValidatedItem",
                            "A milestone item and whether it is in the branch.")
      .def_property_readonly("item",
                             [](const ValidatedItem& v) { return v.item; })
      .def_property_readonly("status",
                             [](const ValidatedItem& v) {
                               return std::string(ItemStatusName(v.status));
                             })
      .def_property_readonly("prs",
                             [](const ValidatedItem& v) { return v.prs; })
      .def_property_readonly(
          "main_commits",
          [](const ValidatedItem& v) { return Shas(v.main_commits); })
      .def_property_readonly(
          "missing_commits",
          [](const ValidatedItem& v) { return Shas(v.missing_commits); })
      .def_property_readonly("in_branch",
                             [](const ValidatedItem& v) { return v.in_branch; })
      .def_property_readonly("detail",
                             [](const ValidatedItem& v) { return v.detail; })
      .def_property_readonly("problem", &ValidatedItem::problem)
      .def("__repr__", [](const ValidatedItem& v) {
        return absl::StrCat("<ValidatedItem #", v.item.number, " ",
                            ItemStatusName(v.status), ">");
      });

  py::class_<MilestoneValidation>(m, "MilestoneValidation",
                                  "Every item of a milestone, validated.")
      .def_readonly("branch", &MilestoneValidation::branch)
      .def_readonly("milestone", &MilestoneValidation::milestone)
      .def_readonly("items", &MilestoneValidation::items)
      .def_readonly("main_commits_since_cut",
                    &MilestoneValidation::main_commits_since_cut)
      .def_readonly("branch_commits", &MilestoneValidation::branch_commits)
      .def(
          "analyze_lines",
          [](const MilestoneValidation& v) { return AnalyzeLines(v); },
          "github_analyze --missing-in-branch output.")
      .def(
          "to_text",
          [](const MilestoneValidation& v, const std::string& repository) {
            return MilestoneValidationText(v, repository);
          },
          py::arg("repository"),
          "The text `relkit milestone check` prints, headed by repository "
          "(OWNER/NAME).")
      .def(
          "to_json",
          [](const MilestoneValidation& v, const std::string& repository) {
            return MilestoneValidationJson(v, repository);
          },
          py::arg("repository"),
          "The document `relkit milestone check --json` prints.")
      .def("__repr__", [](const MilestoneValidation& v) {
        return absl::StrCat("<MilestoneValidation ", v.milestone.title, " vs ",
                            v.branch, ": ", v.items.size(), " items, ",
                            v.ProblemCount(), " open or missing>");
      });

  m.def(
      "validate_milestone",
      [](const std::string& repo_path, const std::string& branch,
         const Milestone& milestone, const std::vector<Issue>& items,
         const std::string& main, const std::string& skip_label) {
        absl::StatusOr<MilestoneValidation> v;
        {
          py::gil_scoped_release release;
          v = [&]() -> absl::StatusOr<MilestoneValidation> {
            RELKIT_ASSIGN_OR_RETURN(Repository repo,
                                    Repository::Open(repo_path));
            MilestoneCheckOptions o;
            o.branch = branch;
            o.audit.main = main;
            o.validation.skip_label = skip_label;
            RELKIT_ASSIGN_OR_RETURN(MilestoneCheck check,
                                    CheckMilestone(repo, milestone, items, o));
            return std::move(check.validation);
          }();
        }
        return ValueOrThrow(std::move(v));
      },
      py::arg("repo_path"), py::arg("branch"), py::arg("milestone"),
      py::arg("items"), py::kw_only(), py::arg("main") = "main",
      py::arg("skip_label") = "release-feature-request",
      "Audits `branch` of the repository at `repo_path` and validates the "
      "milestone's items against it (no GitHub call).");

  py::class_<Criterion>(m, "Criterion", "One final-RC criterion.")
      .def_property_readonly(
          "id",
          [](const Criterion& c) { return std::string(CriterionName(c.id)); })
      .def_readonly("title", &Criterion::title)
      .def_readonly("passed", &Criterion::passed)
      .def_readonly("summary", &Criterion::summary)
      .def_readonly("evidence", &Criterion::evidence)
      .def("__repr__", [](const Criterion& c) {
        return absl::StrCat("<Criterion ", CriterionName(c.id), " ",
                            c.passed ? "pass" : "fail", ">");
      });

  py::class_<CherryPickStatus>(m, "CherryPickStatus",
                               "The state of one tracker nomination.")
      .def_readonly("comment_url", &CherryPickStatus::comment_url)
      .def_readonly("author", &CherryPickStatus::author)
      .def_readonly("trunk_prs", &CherryPickStatus::trunk_prs)
      .def_readonly("release_prs", &CherryPickStatus::release_prs)
      .def_readonly("landed_on_main", &CherryPickStatus::landed_on_main)
      .def_property_readonly(
          "main_commits",
          [](const CherryPickStatus& s) { return Shas(s.main_commits); })
      .def_readonly("in_branch", &CherryPickStatus::in_branch)
      .def_readonly("branch_commits", &CherryPickStatus::branch_commits)
      .def_property_readonly(
          "reverts_on_main",
          [](const CherryPickStatus& s) { return Shas(s.reverts_on_main); })
      .def_property_readonly(
          "reverts_missing",
          [](const CherryPickStatus& s) { return Shas(s.reverts_missing); })
      .def_property_readonly("state", &CherryPickStatus::state)
      .def("__repr__", [](const CherryPickStatus& s) {
        return absl::StrCat("<CherryPickStatus ", s.state(), " ", s.comment_url,
                            ">");
      });

  py::class_<ReadinessReport>(m, "ReadinessReport",
                              "The final-RC readiness report of a branch.")
      .def_readonly("repository", &ReadinessReport::repository)
      .def_readonly("branch", &ReadinessReport::branch)
      .def_property_readonly(
          "branch_head",
          [](const ReadinessReport& r) { return r.branch_head.ToString(); })
      .def_readonly("milestone", &ReadinessReport::milestone)
      .def_readonly("tracker_issue", &ReadinessReport::tracker_issue)
      .def_readonly("rc_tags_at_head", &ReadinessReport::rc_tags_at_head)
      .def_readonly("criteria", &ReadinessReport::criteria)
      .def_readonly("validation", &ReadinessReport::validation)
      .def_readonly("cherry_picks", &ReadinessReport::cherry_picks)
      .def_readonly("requests", &ReadinessReport::requests)
      .def_readonly("audit_cache_problem",
                    &ReadinessReport::audit_cache_problem)
      .def_property_readonly("ready", &ReadinessReport::ready)
      .def(
          "to_text", [](const ReadinessReport& r) { return ReadinessText(r); },
          "The text `relkit check` prints.")
      .def(
          "to_json", [](const ReadinessReport& r) { return ReadinessJson(r); },
          "The document `relkit check --json` prints.")
      .def(
          "to_html", [](const ReadinessReport& r) { return ReadinessHtml(r); },
          "The page `relkit check --html` writes.")
      .def("_repr_html_",
           [](const ReadinessReport& r) { return ReadinessHtml(r); })
      .def("__repr__", [](const ReadinessReport& r) {
        size_t passed = 0;
        for (const Criterion& c : r.criteria) passed += c.passed ? 1 : 0;
        return absl::StrCat("<ReadinessReport ", r.branch, " ",
                            r.ready() ? "ready" : "not ready", ": ", passed,
                            "/", r.criteria.size(), " passed>");
      });

  m.def(
      "check_readiness",
      [](const std::string& repo_path, GitHubClient& client,
         py::handle github_repo, const std::string& branch,
         const std::string& milestone, const std::string& main,
         std::optional<int64_t> tracker_issue,
         const std::optional<std::string>& cache_dir) {
        ReadinessOptions o;
        o.github_repo = RepoArg(github_repo, "github_repo");
        o.branch = branch;
        o.main = main;
        o.milestone = milestone;
        o.tracker_issue = tracker_issue;
        o.audit_cache_dir = cache_dir.value_or("");
        absl::StatusOr<ReadinessReport> r;
        {
          py::gil_scoped_release release;
          r = [&]() -> absl::StatusOr<ReadinessReport> {
            RELKIT_ASSIGN_OR_RETURN(Repository repo,
                                    Repository::Open(repo_path));
            return CheckReadiness(repo, client, o);
          }();
        }
        return ValueOrThrow(std::move(r));
      },
      py::arg("repo_path"), py::arg("client"), py::arg("github_repo"),
      py::arg("branch"), py::arg("milestone"), py::kw_only(),
      py::arg("main") = "main", py::arg("tracker_issue") = py::none(),
      py::arg("cache_dir") = py::none(),
      "Evaluates the final-RC criteria of `branch` (see docs/readiness.md). "
      "`cache_dir`: the branch audit's patch-id cache, as for audit_branch; "
      "`report.audit_cache_problem` says when it could not be used.");

  m.def(
      "text_escape",
      [](const std::string& text, bool keep_newlines) {
        return TextEscape(text,
                          keep_newlines ? Newlines::kKeep : Newlines::kEscape);
      },
      py::arg("text"), py::kw_only(), py::arg("keep_newlines") = false,
      "Returns `text` safe to print on a terminal, as every text report and "
      "the CLI print outside text: control characters, bidi overrides and "
      "invalid UTF-8 escaped visibly (`\\n`, `\\x1b`, `\\u202e`).");
}

}  // namespace relkit::python
