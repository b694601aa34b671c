// The release cadence (relkit/schedule.h). Days are datetime.date; phases,
// event kinds and date statuses are strings; the table has `to_records()`
// and `_repr_html_()` for notebooks.

#include <Python.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/schedule.h"

namespace relkit::python {
namespace {

// A datetime (naive = UTC) or None (now) as an absl::Time.
absl::Time FromDateTime(py::handle dt) {
  if (dt.is_none()) return absl::Now();
  if (!py::isinstance(dt, py::module_::import("datetime").attr("datetime"))) {
    throw py::type_error("expected a datetime.datetime or None");
  }
  if (!dt.attr("tzinfo").is_none()) {
    return absl::FromUnixSeconds(
        static_cast<int64_t>(dt.attr("timestamp")().cast<double>()));
  }
  return absl::FromCivil(
      absl::CivilSecond(
          dt.attr("year").cast<int>(), dt.attr("month").cast<int>(),
          dt.attr("day").cast<int>(), dt.attr("hour").cast<int>(),
          dt.attr("minute").cast<int>(), dt.attr("second").cast<int>()),
      absl::UTCTimeZone());
}

py::dict RowRecord(const ScheduleRow& r) {
  py::dict d;
  d["minor"] = r.minor;
  d["branch_cut"] = r.branch_cut.ToString();
  d["release"] = r.release.ToString();
  d["first_patch"] = r.first_patch.ToString();
  d["second_patch"] = r.second_patch.ToString();
  return d;
}

}  // namespace

void BindSchedule(py::module_& m) {
  py::class_<ScheduleDate>(
      m, "ScheduleDate",
      "A cadence-table date: firm, tentative \"(...)\" or \"Not planned\".")
      .def(py::init([](const std::string& text) {
             return ValueOrThrow(ScheduleDate::Parse(text));
           }),
           py::arg("text"))
      .def_property_readonly("status",
                             [](const ScheduleDate& d) {
                               return std::string(DateStatusName(d.status()));
                             })
      .def_property_readonly("planned", &ScheduleDate::planned)
      .def_property_readonly("tentative", &ScheduleDate::tentative)
      .def_property_readonly("has_day", &ScheduleDate::has_day)
      .def_property_readonly("start",
                             [](const ScheduleDate& d) -> py::object {
                               return d.planned() ? ToDate(d.start())
                                                  : py::none();
                             })
      .def_property_readonly("end",
                             [](const ScheduleDate& d) -> py::object {
                               return d.planned() ? ToDate(d.end())
                                                  : py::none();
                             })
      .def("__str__", &ScheduleDate::ToString)
      .def("__eq__",
           [](const ScheduleDate& a, const ScheduleDate& b) { return a == b; })
      .def("__repr__", [](const ScheduleDate& d) {
        return absl::StrCat("ScheduleDate('", d.ToString(), "')");
      });

  py::class_<ScheduleRow>(m, "ScheduleRow",
                          "One minor release of the cadence table.")
      .def_readonly("minor", &ScheduleRow::minor)
      .def_readonly("branch_cut", &ScheduleRow::branch_cut)
      .def_readonly("release", &ScheduleRow::release)
      .def_readonly("first_patch", &ScheduleRow::first_patch)
      .def_readonly("second_patch", &ScheduleRow::second_patch)
      .def("to_dict", &RowRecord)
      .def("__repr__", [](const ScheduleRow& r) {
        return absl::StrCat("<ScheduleRow ", r.minor, " release ",
                            r.release.ToString(), ">");
      });

  py::class_<ScheduleEvent>(m, "ScheduleEvent",
                            "One planned date of the schedule.")
      .def_readonly("minor", &ScheduleEvent::minor)
      .def_property_readonly("kind",
                             [](const ScheduleEvent& e) {
                               return std::string(EventKindName(e.kind));
                             })
      .def_readonly("date", &ScheduleEvent::date)
      .def_property_readonly("title", &ScheduleEvent::Title)
      .def("__repr__", [](const ScheduleEvent& e) {
        return absl::StrCat("<ScheduleEvent ", e.Title(), " ",
                            e.date.ToString(), ">");
      });

  py::class_<ReleaseSchedule> schedule(
      m, "ReleaseSchedule",
      "Release cadence: branch cut, release and patch dates per minor.");
  DefRowTable<ReleaseSchedule, ScheduleRow>(schedule, "minor", &RowRecord);
  schedule
      .def(
          "phase_on",
          [](const ReleaseSchedule& s, const std::string& minor,
             py::handle day) {
            return std::string(ReleasePhaseName(
                ValueOrThrow(s.PhaseOn(minor, FromDate(day)))));
          },
          py::arg("minor"), py::arg("day"))
      .def(
          "phases_on",
          [](const ReleaseSchedule& s, py::handle day) {
            py::dict out;
            for (const auto& [minor, phase] : s.PhasesOn(FromDate(day))) {
              out[py::str(minor)] = std::string(ReleasePhaseName(phase));
            }
            return out;
          },
          py::arg("day"))
      .def(
          "events_after",
          [](const ReleaseSchedule& s, py::handle day, size_t limit) {
            return s.EventsAfter(FromDate(day), limit);
          },
          py::arg("day"), py::arg("limit") = 0)
      .def(
          "release_for_work_on",
          [](const ReleaseSchedule& s, py::handle day) {
            return ValueOrThrow(s.ReleaseForWorkOn(FromDate(day)));
          },
          py::arg("day"))
      .def(
          "check_policy",
          [](const ReleaseSchedule& s, const std::string& first_minor,
             int max_patch_releases, bool latest_minor_only) {
            std::vector<std::pair<std::string, std::string>> out;
            for (const PolicyViolation& v :
                 s.CheckPolicy({.first_minor = first_minor,
                 .max_patch_releases = max_patch_releases,
                 .latest_minor_only = latest_minor_only})) {
              out.emplace_back(v.minor, v.message);
            }
            return out;
          },
          py::arg("first_minor") = "2.1", py::arg("max_patch_releases") = 2,
          py::arg("latest_minor_only") = true)
      .def("to_markdown", &ReleaseSchedule::ToMarkdown)
      .def(
          "to_ics",
          [](const ReleaseSchedule& s, py::handle dtstamp,
             const std::string& project, const std::string& uid_domain) {
            return s.ToIcs({.project = project,
                            .dtstamp = FromDateTime(dtstamp),
                            .uid_domain = uid_domain});
          },
          py::arg("dtstamp") = py::none(), py::arg("project") = "PyTorch",
          py::arg("uid_domain") = "relkit")
      .def("_repr_html_",
           [](const ReleaseSchedule& s) {
             std::vector<std::vector<std::string>> rows;
             for (const ScheduleRow& r : s.rows()) {
               rows.push_back({r.minor, r.branch_cut.ToString(),
                               r.release.ToString(), r.first_patch.ToString(),
                               r.second_patch.ToString()});
             }
             return HtmlTable(
                 {"Minor Version", "Release branch cut", "Release date",
                  "First patch release date", "Second patch release date"},
                 rows);
           })
      .def("__repr__", [](const ReleaseSchedule& s) {
        return absl::StrCat("<ReleaseSchedule ", s.rows().size(), " releases>");
      });
}

}  // namespace relkit::python
