// Python bindings of the tracker and milestone writes
// (relkit/tracker_create.h, relkit/milestone_plan.h): plan_* returns a
// typed plan (nothing is written), apply_* does what a plan says and
// returns a typed result; each prints (to_text), serialises (to_json,
// to_dict) and has a repr, from the one rendering (relkit/tracker_report.h)
// the CLI uses. The GitHub token stays inside the client: no plan, result,
// repr or message holds it.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/milestone_plan.h"
#include "relkit/release_tracker.h"
#include "relkit/text_escape.h"
#include "relkit/tracker_create.h"
#include "relkit/tracker_report.h"

namespace relkit::python {
namespace {

py::object JsonToDict(const std::string& json) {
  return py::module_::import("json").attr("loads")(json);
}

std::optional<ReleaseSchedule> ScheduleArg(py::handle schedule) {
  if (schedule.is_none()) return std::nullopt;
  return schedule.cast<ReleaseSchedule>();
}

std::optional<py::object> DayOrNone(const std::optional<absl::CivilDay>& d) {
  if (!d) return std::nullopt;
  return ToDate(*d);
}

}  // namespace

void BindTracker(py::module_& m) {
  // --- tracker create -------------------------------------------------------
  py::class_<PlannedIssue>(m, "PlannedIssue",
                           "One issue of a tracker plan: to create, or there.")
      .def_property_readonly(
          "action",
          [](const PlannedIssue& i) {
            return std::string(PlannedIssueActionName(i.action));
          },
          "'create' or 'exists'.")
      .def_readonly("role", &PlannedIssue::role, "'tracker' or 'validation'.")
      .def_property_readonly("title",
                             [](const PlannedIssue& i) {
                               return i.action == PlannedIssue::Action::kExists
                                          ? i.existing_title
                                          : i.draft.title;
                             })
      .def_property_readonly(
          "labels", [](const PlannedIssue& i) { return i.draft.labels; })
      .def_property_readonly("body",
                             [](const PlannedIssue& i) { return i.draft.body; })
      .def_property_readonly(
          "number",
          [](const PlannedIssue& i) -> std::optional<int64_t> {
            if (i.action != PlannedIssue::Action::kExists) return std::nullopt;
            return i.number;
          })
      .def_property_readonly(
          "url",
          [](const PlannedIssue& i) -> std::optional<std::string> {
            if (i.action != PlannedIssue::Action::kExists) return std::nullopt;
            return i.url;
          })
      .def("__repr__", [](const PlannedIssue& i) {
        if (i.action == PlannedIssue::Action::kExists) {
          return absl::StrCat("<PlannedIssue ", i.role, ": exists #", i.number,
                              ">");
        }
        return absl::StrCat("<PlannedIssue ", i.role, ": create \"",
                            TextEscape(i.draft.title), "\">");
      });

  py::class_<TrackerCreatePlan>(m, "TrackerCreatePlan",
                                "What `relkit tracker create` would do.")
      .def_readonly("repository", &TrackerCreatePlan::repository)
      .def_property_readonly(
          "version",
          [](const TrackerCreatePlan& p) { return p.version.ToString(); })
      .def_readonly("patch", &TrackerCreatePlan::patch)
      .def_readonly("issues", &TrackerCreatePlan::issues)
      .def_readonly("notes", &TrackerCreatePlan::notes)
      .def_property_readonly("create_count", &TrackerCreatePlan::create_count)
      .def("to_text", &TrackerCreatePlanText)
      .def("to_json", &TrackerCreatePlanJson)
      .def("to_dict",
           [](const TrackerCreatePlan& p) {
             return JsonToDict(TrackerCreatePlanJson(p));
           })
      .def("__repr__", [](const TrackerCreatePlan& p) {
        return absl::StrCat("<TrackerCreatePlan ", p.version.ToString(), " in ",
                            TextEscape(p.repository), ": ", p.create_count(),
                            " to create>");
      });

  py::class_<CreatedIssue>(m, "CreatedIssue",
                           "One issue after apply: created, or already there.")
      .def_readonly("role", &CreatedIssue::role)
      .def_readonly("title", &CreatedIssue::title)
      .def_readonly("number", &CreatedIssue::number)
      .def_readonly("url", &CreatedIssue::url)
      .def_readonly("created", &CreatedIssue::created)
      .def("__repr__", [](const CreatedIssue& i) {
        return absl::StrCat("<CreatedIssue ", i.role, " #", i.number, ": ",
                            i.created ? "created" : "already existed", ">");
      });

  // The result keeps its plan: its text and JSON are the plan's plus what
  // was done.
  struct TrackerRun {
    TrackerCreatePlan plan;
    TrackerCreateResult result = {};
  };
  py::class_<TrackerRun>(m, "TrackerCreateResult",
                         "What apply_tracker_create() did.")
      .def_property_readonly(
          "issues", [](const TrackerRun& r) { return r.result.issues; })
      .def_property_readonly(
          "created_count",
          [](const TrackerRun& r) { return r.result.created_count(); })
      .def("to_text",
           [](const TrackerRun& r) {
             return TrackerCreateResultText(r.plan, r.result);
           })
      .def("to_json",
           [](const TrackerRun& r) {
             return TrackerCreateResultJson(r.plan, r.result);
           })
      .def("to_dict",
           [](const TrackerRun& r) {
             return JsonToDict(TrackerCreateResultJson(r.plan, r.result));
           })
      .def("__repr__", [](const TrackerRun& r) {
        return absl::StrCat("<TrackerCreateResult ", r.result.created_count(),
                            " created, ",
                            r.result.issues.size() - r.result.created_count(),
                            " already existed>");
      });

  m.def(
      "plan_tracker_create",
      [](GitHubClient& client, py::handle repo, py::handle version,
         py::handle schedule, std::optional<std::string> m3,
         std::optional<std::string> m4, std::optional<std::string> m4_1,
         std::optional<std::string> m5, std::optional<std::string> m6,
         std::optional<std::string> phase_cutoff,
         std::string release_managers) {
        GitHubRepo r = RepoArg(repo, "repo");
        TrackerCreateOptions o{.version = ToVersion(version),
                               .schedule = ScheduleArg(schedule)};
        o.tracker.dates = {.m3 = m3.value_or(""),
                           .m4 = m4.value_or(""),
                           .m4_1 = m4_1.value_or(""),
                           .m5 = m5.value_or(""),
                           .m6 = m6.value_or(""),
                           .phase_cutoff = phase_cutoff.value_or("")};
        o.tracker.release_managers = std::move(release_managers);
        return CallWithoutGil([&] { return PlanTrackerCreate(client, r, o); });
      },
      py::arg("client"), py::arg("repo"), py::arg("version"), py::kw_only(),
      py::arg("schedule") = py::none(), py::arg("m3") = py::none(),
      py::arg("m4") = py::none(), py::arg("m4_1") = py::none(),
      py::arg("m5") = py::none(), py::arg("m6") = py::none(),
      py::arg("phase_cutoff") = py::none(),
      py::arg("release_managers") = "@atalman, @malfet",
      "Plans the tracker (release tracker for X.Y.0, patch tracker else) and "
      "the validation issue of `version`; nothing is written.");
  m.def(
      "apply_tracker_create",
      [](GitHubClient& client, py::handle repo, const TrackerCreatePlan& plan) {
        GitHubRepo r = RepoArg(repo, "repo");
        TrackerRun run{.plan = plan};
        run.result =
            CallWithoutGil([&] { return ApplyTrackerCreate(client, r, plan); });
        return run;
      },
      py::arg("client"), py::arg("repo"), py::arg("plan"),
      "Creates what `plan` says; an issue already there is not created "
      "again.");

  // --- milestone create -----------------------------------------------------
  py::class_<PlannedMilestone>(m, "PlannedMilestone",
                               "One milestone of a milestone plan.")
      .def_property_readonly(
          "action",
          [](const PlannedMilestone& p) {
            return std::string(PlannedMilestoneActionName(p.action));
          },
          "'create', 'exists', 'due differs' or 'update due'.")
      .def_readonly("title", &PlannedMilestone::title)
      .def_property_readonly(
          "due", [](const PlannedMilestone& p) { return DayOrNone(p.due); })
      .def_readonly("due_source", &PlannedMilestone::due_source)
      .def_property_readonly(
          "number",
          [](const PlannedMilestone& p) -> std::optional<int64_t> {
            if (!p.existing) return std::nullopt;
            return p.existing->number;
          })
      .def("__repr__", [](const PlannedMilestone& p) {
        return absl::StrCat("<PlannedMilestone \"", TextEscape(p.title),
                            "\": ", PlannedMilestoneActionName(p.action), ">");
      });

  py::class_<MilestoneCreatePlan>(m, "MilestoneCreatePlan",
                                  "What `relkit milestone create` would do.")
      .def_readonly("repository", &MilestoneCreatePlan::repository)
      .def_property_readonly(
          "version",
          [](const MilestoneCreatePlan& p) { return p.version.ToString(); })
      .def_readonly("milestones", &MilestoneCreatePlan::milestones)
      .def_readonly("notes", &MilestoneCreatePlan::notes)
      .def_property_readonly("change_count", &MilestoneCreatePlan::change_count)
      .def("to_text", &MilestoneCreatePlanText)
      .def("to_json", &MilestoneCreatePlanJson)
      .def("to_dict",
           [](const MilestoneCreatePlan& p) {
             return JsonToDict(MilestoneCreatePlanJson(p));
           })
      .def("__repr__", [](const MilestoneCreatePlan& p) {
        return absl::StrCat("<MilestoneCreatePlan ", p.version.ToString(),
                            " in ", TextEscape(p.repository), ": ",
                            p.change_count(), " to create or change>");
      });

  py::class_<MilestoneWriteResult>(m, "MilestoneWriteResult",
                                   "A milestone after apply.")
      .def_readonly("title", &MilestoneWriteResult::title)
      .def_readonly("number", &MilestoneWriteResult::number)
      .def_readonly("url", &MilestoneWriteResult::url)
      .def_readonly("outcome", &MilestoneWriteResult::outcome,
                    "'created', 'already existed', 'due date updated' or "
                    "'unchanged'.")
      .def("__repr__", [](const MilestoneWriteResult& r) {
        return absl::StrCat("<MilestoneWriteResult #", r.number, " \"",
                            TextEscape(r.title), "\": ", r.outcome, ">");
      });

  struct MilestoneCreateRun {
    MilestoneCreatePlan plan;
    MilestoneCreateResult result = {};
  };
  py::class_<MilestoneCreateRun>(m, "MilestoneCreateResult",
                                 "What apply_milestone_create() did.")
      .def_property_readonly(
          "milestones",
          [](const MilestoneCreateRun& r) { return r.result.milestones; })
      .def_property_readonly(
          "changed_count",
          [](const MilestoneCreateRun& r) { return r.result.changed_count(); })
      .def("to_text",
           [](const MilestoneCreateRun& r) {
             return MilestoneCreateResultText(r.plan, r.result);
           })
      .def("to_json",
           [](const MilestoneCreateRun& r) {
             return MilestoneCreateResultJson(r.plan, r.result);
           })
      .def("to_dict",
           [](const MilestoneCreateRun& r) {
             return JsonToDict(MilestoneCreateResultJson(r.plan, r.result));
           })
      .def("__repr__", [](const MilestoneCreateRun& r) {
        return absl::StrCat("<MilestoneCreateResult ", r.result.changed_count(),
                            " created or changed>");
      });

  m.def(
      "plan_milestone_create",
      [](GitHubClient& client, py::handle repo, py::handle version,
         py::handle schedule, py::handle due, bool update_due_dates) {
        GitHubRepo r = RepoArg(repo, "repo");
        MilestoneCreateOptions o{.version = ToVersion(version),
                                 .schedule = ScheduleArg(schedule),
                                 .update_due_dates = update_due_dates};
        if (!due.is_none()) o.due = FromDate(due);
        return CallWithoutGil(
            [&] { return PlanMilestoneCreate(client, r, o); });
      },
      py::arg("client"), py::arg("repo"), py::arg("version"), py::kw_only(),
      py::arg("schedule") = py::none(), py::arg("due") = py::none(),
      py::arg("update_due_dates") = false,
      "Plans the milestones of `version` with due dates from the schedule; "
      "nothing is written.");
  m.def(
      "apply_milestone_create",
      [](GitHubClient& client, py::handle repo,
         const MilestoneCreatePlan& plan) {
        GitHubRepo r = RepoArg(repo, "repo");
        MilestoneCreateRun run{.plan = plan};
        run.result = CallWithoutGil(
            [&] { return ApplyMilestoneCreate(client, r, plan); });
        return run;
      },
      py::arg("client"), py::arg("repo"), py::arg("plan"),
      "Creates and updates what `plan` says.");

  // --- milestone move -------------------------------------------------------
  py::class_<MilestoneMovePlan>(m, "MilestoneMovePlan",
                                "What `relkit milestone move` would do.")
      .def_readonly("repository", &MilestoneMovePlan::repository)
      .def_readonly("from_milestone", &MilestoneMovePlan::from)
      .def_readonly("to_milestone", &MilestoneMovePlan::to)
      .def_readonly("create_to", &MilestoneMovePlan::create_to)
      .def_readonly("move", &MilestoneMovePlan::move,
                    "The open issues and pull requests to move.")
      .def_readonly("staying_closed", &MilestoneMovePlan::staying_closed)
      .def_readonly("close_from", &MilestoneMovePlan::close_from)
      .def_property_readonly("done", &MilestoneMovePlan::done,
                             "True when there is nothing to do (already "
                             "applied).")
      .def("to_text", &MilestoneMovePlanText)
      .def("to_json", &MilestoneMovePlanJson)
      .def("to_dict",
           [](const MilestoneMovePlan& p) {
             return JsonToDict(MilestoneMovePlanJson(p));
           })
      .def("__repr__", [](const MilestoneMovePlan& p) {
        return absl::StrCat("<MilestoneMovePlan \"", TextEscape(p.from.title),
                            "\" -> \"", TextEscape(p.to.title),
                            "\": ", p.move.size(), " to move",
                            p.done() ? ", already applied" : "", ">");
      });

  py::class_<MovedItem>(m, "MovedItem", "An issue or PR moved.")
      .def_readonly("number", &MovedItem::number)
      .def_readonly("pull_request", &MovedItem::pull_request)
      .def_readonly("title", &MovedItem::title)
      .def("__repr__", [](const MovedItem& i) {
        return absl::StrCat("<MovedItem #", i.number, ">");
      });

  struct MoveRun {
    MilestoneMovePlan plan;
    MilestoneMoveResult result = {};
  };
  py::class_<MoveRun>(m, "MilestoneMoveResult",
                      "What apply_milestone_move() did.")
      .def_property_readonly("to_milestone",
                             [](const MoveRun& r) { return r.result.to; })
      .def_property_readonly("moved",
                             [](const MoveRun& r) { return r.result.moved; })
      .def_property_readonly(
          "closed_from", [](const MoveRun& r) { return r.result.closed_from; })
      .def("to_text",
           [](const MoveRun& r) {
             return MilestoneMoveResultText(r.plan, r.result);
           })
      .def("to_json",
           [](const MoveRun& r) {
             return MilestoneMoveResultJson(r.plan, r.result);
           })
      .def("to_dict",
           [](const MoveRun& r) {
             return JsonToDict(MilestoneMoveResultJson(r.plan, r.result));
           })
      .def("__repr__", [](const MoveRun& r) {
        return absl::StrCat("<MilestoneMoveResult ", r.result.moved.size(),
                            " moved", r.result.closed_from ? ", closed" : "",
                            ">");
      });

  m.def(
      "plan_milestone_move",
      [](GitHubClient& client, py::handle repo, const std::string& from,
         const std::string& to, py::handle schedule, bool close_from) {
        GitHubRepo r = RepoArg(repo, "repo");
        MilestoneMoveOptions o{.from = from,
                               .to = to,
                               .schedule = ScheduleArg(schedule),
                               .close_from = close_from};
        return CallWithoutGil([&] { return PlanMilestoneMove(client, r, o); });
      },
      py::arg("client"), py::arg("repo"), py::arg("from_"), py::arg("to"),
      py::kw_only(), py::arg("schedule") = py::none(),
      py::arg("close_from") = true,
      "Plans moving the open items of milestone `from_` to `to` and closing "
      "`from_`; nothing is written.");
  m.def(
      "apply_milestone_move",
      [](GitHubClient& client, py::handle repo, const MilestoneMovePlan& plan) {
        GitHubRepo r = RepoArg(repo, "repo");
        MoveRun run{.plan = plan};
        run.result =
            CallWithoutGil([&] { return ApplyMilestoneMove(client, r, plan); });
        return run;
      },
      py::arg("client"), py::arg("repo"), py::arg("plan"),
      "Moves the items and closes the old milestone as `plan` says; a rerun "
      "of the plan after a failure moves the rest.");
}

}  // namespace relkit::python
