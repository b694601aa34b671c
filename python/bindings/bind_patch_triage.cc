// Python bindings of patch-release triage (relkit/patch_triage.h,
// patch_triage_fetch.h, patch_triage_report.h): `relkit.patch_triage(client,
// github_repo, version, ...)` reads GitHub as `relkit patch triage` does and
// returns a PatchTriage; `to_records()` gives one dict per candidate with
// typed values (ints, bools, datetimes, None), for a DataFrame.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/cherry_pick.h"
#include "relkit/github.h"
#include "relkit/milestone.h"
#include "relkit/patch_triage.h"
#include "relkit/patch_triage_fetch.h"
#include "relkit/patch_triage_report.h"
#include "relkit/schedule.h"
#include "relkit/status.h"

namespace relkit::python {
namespace {

std::optional<std::string> ClassificationText(
    const std::optional<Classification>& c) {
  if (!c) return std::nullopt;
  return std::string(ClassificationName(*c));
}

std::vector<std::string> SourceNames(const PatchCandidate& c) {
  std::vector<std::string> out;
  for (CandidateSource s : c.sources) {
    out.emplace_back(CandidateSourceName(s));
  }
  return out;
}

py::object OptionalDate(const std::optional<absl::CivilDay>& day) {
  if (!day) return py::none();
  return ToDate(*day);
}

py::object LinkedIssueDict(const std::optional<LinkedIssue>& l) {
  if (!l) return py::none();
  py::dict d;
  d["repo"] = l->repo;
  d["number"] = l->number;
  d["url"] = l->url;
  d["high_priority"] =
      l->high_priority ? py::cast(*l->high_priority) : py::object(py::none());
  return d;
}

py::dict CandidateRecord(const PatchCandidate& c) {
  py::dict d;
  d["kind"] = std::string(IssueKindName(c.kind));
  d["repo"] = c.repo;
  d["number"] = c.number;
  d["title"] = c.title;
  d["url"] = c.url;
  d["state"] = c.state ? py::cast(std::string(IssueStateName(*c.state)))
                       : py::object(py::none());
  d["merged"] = c.merged;
  d["labels"] = c.labels;
  d["sources"] = SourceNames(c);
  d["classification"] = ClassificationText(c.classification);
  d["classification_origin"] =
      std::string(ClassificationOriginName(c.classification_origin));
  d["criteria"] = c.criteria;
  d["linked_issue"] = LinkedIssueDict(c.linked_issue);
  d["ci_failure_link"] = c.ci_failure_link;
  d["meets_criteria"] = c.meets_criteria;
  d["reasons"] = c.reasons;
  d["nominated"] = c.nominated();
  d["nominations"] = c.nominations;
  d["nominated_at"] = OptionalDatetime(c.nominated_at);
  d["nomination_url"] = c.nomination_url;
  d["nominated_by"] = c.nominated_by;
  d["release_prs"] = c.release_prs;
  d["reply"] = c.reply;
  d["late"] = c.late;
  d["nominated_fixes"] = c.nominated_fixes;
  return d;
}

}  // namespace

void BindPatchTriage(py::module_& m) {
  py::class_<LinkedIssue>(m, "LinkedIssue",
                          "The issue a patch candidate links.")
      .def_readonly("repo", &LinkedIssue::repo)
      .def_readonly("number", &LinkedIssue::number)
      .def_readonly("url", &LinkedIssue::url)
      .def_readonly("high_priority", &LinkedIssue::high_priority,
                    "Labelled 'high priority'; None for an issue of another "
                    "repository.")
      .def("__repr__", [](const LinkedIssue& l) {
        return absl::StrCat("<LinkedIssue ", l.repo, "#", l.number, ">");
      });

  py::class_<PatchDeadline>(m, "PatchDeadline",
                            "The cherry-pick deadline of a patch release.")
      .def_property_readonly(
          "day", [](const PatchDeadline& d) { return OptionalDate(d.day); },
          "The last day (UTC) a nomination is on time, or None.")
      .def_property_readonly(
          "release_day",
          [](const PatchDeadline& d) { return OptionalDate(d.release_day); })
      .def_readonly("approximate", &PatchDeadline::approximate)
      .def_readonly("source", &PatchDeadline::source)
      .def("__repr__", [](const PatchDeadline& d) {
        return absl::StrCat(
            "<PatchDeadline ",
            d.day ? absl::FormatCivilTime(*d.day) : std::string("none"), ">");
      });

  py::class_<PatchCandidate>(m, "PatchCandidate",
                             "One candidate issue or pull request of a patch "
                             "release.")
      .def_property_readonly("kind",
                             [](const PatchCandidate& c) {
                               return std::string(IssueKindName(c.kind));
                             })
      .def_readonly("repo", &PatchCandidate::repo)
      .def_readonly("number", &PatchCandidate::number)
      .def_readonly("title", &PatchCandidate::title)
      .def_readonly("url", &PatchCandidate::url)
      .def_property_readonly(
          "state",
          [](const PatchCandidate& c) -> py::object {
            if (!c.state) return py::none();
            return py::cast(std::string(IssueStateName(*c.state)));
          })
      .def_readonly("merged", &PatchCandidate::merged)
      .def_readonly("labels", &PatchCandidate::labels)
      .def_property_readonly("sources", &SourceNames)
      .def_property_readonly("classification",
                             [](const PatchCandidate& c) {
                               return ClassificationText(c.classification);
                             })
      .def_property_readonly("classification_origin",
                             [](const PatchCandidate& c) {
                               return std::string(ClassificationOriginName(
                                   c.classification_origin));
                             })
      .def_readonly("criteria", &PatchCandidate::criteria)
      .def_readonly("linked_issue", &PatchCandidate::linked_issue)
      .def_readonly("ci_failure_link", &PatchCandidate::ci_failure_link)
      .def_readonly("meets_criteria", &PatchCandidate::meets_criteria)
      .def_readonly("reasons", &PatchCandidate::reasons)
      .def_property_readonly("nominated", &PatchCandidate::nominated)
      .def_readonly("nominations", &PatchCandidate::nominations)
      .def_property_readonly("nominated_at",
                             [](const PatchCandidate& c) {
                               return OptionalDatetime(c.nominated_at);
                             })
      .def_readonly("nomination_url", &PatchCandidate::nomination_url)
      .def_readonly("nominated_by", &PatchCandidate::nominated_by)
      .def_readonly("release_prs", &PatchCandidate::release_prs)
      .def_readonly("reply", &PatchCandidate::reply)
      .def_readonly("late", &PatchCandidate::late)
      .def_readonly("nominated_fixes", &PatchCandidate::nominated_fixes)
      .def_property_readonly("problem", &PatchCandidate::problem)
      .def("to_dict", &CandidateRecord)
      .def("__repr__", [](const PatchCandidate& c) {
        return absl::StrCat("<PatchCandidate ", IssueKindName(c.kind), " #",
                            c.number, c.meets_criteria ? " meets" : " fails",
                            c.late ? " late" : "", ">");
      });

  py::class_<PatchTriage>(m, "PatchTriage",
                          "The candidates of a patch release, classified and "
                          "checked against the patch-release criteria.")
      .def_readonly("version", &PatchTriage::version)
      .def_readonly("release_branch", &PatchTriage::release_branch)
      .def_readonly("repo", &PatchTriage::repo)
      .def_readonly("milestone", &PatchTriage::milestone)
      .def_readonly("tracker", &PatchTriage::tracker)
      .def_readonly("deadline", &PatchTriage::deadline)
      .def_property_readonly(
          "today", [](const PatchTriage& t) { return ToDate(t.today); })
      .def_readonly("days_left", &PatchTriage::days_left)
      .def_readonly("candidates", &PatchTriage::candidates)
      .def_readonly("notes", &PatchTriage::notes)
      .def_property_readonly("problem_count", &PatchTriage::ProblemCount)
      .def_property_readonly("late_count", &PatchTriage::LateCount)
      .def_property_readonly(
          "ok", [](const PatchTriage& t) { return t.ProblemCount() == 0; })
      .def(
          "to_records",
          [](const PatchTriage& t) {
            py::list out;
            for (const PatchCandidate& c : t.candidates) {
              out.append(CandidateRecord(c));
            }
            return out;
          },
          "One dict per candidate (typed values: int, bool, datetime, None).")
      .def("to_text", &PatchTriageText,
           "The text `relkit patch triage` prints.")
      .def("to_json", &PatchTriageJson,
           "The document `relkit patch triage --json` prints.")
      .def("__repr__", [](const PatchTriage& t) {
        return absl::StrCat("<PatchTriage ", t.version.ToString(), ": ",
                            t.candidates.size(), " candidates, ",
                            t.ProblemCount(), " problems>");
      });

  m.def(
      "patch_triage",
      [](GitHubClient& client, py::handle github_repo, py::handle version,
         const std::optional<ReleaseSchedule>& schedule, py::handle deadline,
         py::handle today) {
        const GitHubRepo repo = RepoArg(github_repo, "github_repo");
        const Version v = ToVersion(version);
        PatchTriageOptions o;
        if (!deadline.is_none()) o.deadline = FromDate(deadline);
        o.today = today.is_none()
                      ? absl::ToCivilDay(absl::Now(), absl::UTCTimeZone())
                      : FromDate(today);
        absl::StatusOr<PatchTriage> t;
        {
          py::gil_scoped_release release;
          t = [&]() -> absl::StatusOr<PatchTriage> {
            ReleaseSchedule s;
            if (schedule) {
              s = *schedule;
            } else {
              RELKIT_ASSIGN_OR_RETURN(s, ReleaseSchedule::Default());
            }
            // Not a patch release: fails before any request.
            RELKIT_RETURN_IF_ERROR(PatchCherryPickDeadline(s, v, o).status());
            RELKIT_ASSIGN_OR_RETURN(PatchTriageInput in,
                                    FetchPatchTriage(client, repo, v, s));
            return TriagePatchRelease(in, s, o);
          }();
        }
        return ValueOrThrow(std::move(t));
      },
      py::arg("client"), py::arg("github_repo"), py::arg("version"),
      py::kw_only(), py::arg("schedule") = py::none(),
      py::arg("deadline") = py::none(), py::arg("today") = py::none(),
      "Triage of patch release `version` (e.g. '2.4.1') of `github_repo`: "
      "candidates from 'triage review', open regressions, the milestone and "
      "the patch tracker's nominations, with classification, criteria and "
      "late nominations (relkit patch triage). Read-only.");
}

}  // namespace relkit::python
