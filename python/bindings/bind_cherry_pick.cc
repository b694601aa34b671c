// The cherry-pick workflow as values (relkit/cherry_pick.h): the
// @pytorchbot cherry-pick command, its classifications, release tracker
// comments and finding the tracker issue of a release.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/cherry_pick.h"
#include "relkit/milestone.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

std::optional<std::string> ClassName(const std::optional<Classification>& c) {
  if (!c) return std::nullopt;
  return std::string(ClassificationName(*c));
}

}  // namespace

void BindCherryPick(py::module_& m) {
  m.def(
      "cherry_pick_classifications",
      [] {
        py::list out;
        for (const ClassificationInfo& c : AllClassifications()) {
          py::dict d;
          d["name"] = std::string(c.name);
          d["meaning"] = std::string(c.meaning);
          d["requires_issue"] = c.requires_issue;
          d["acceptable_in_patch_release"] = c.acceptable_in_patch_release;
          d["patch_release_condition"] = std::string(c.patch_release_condition);
          out.append(d);
        }
        return out;
      },
      "The @pytorchbot cherry-pick -c categories, in the bot's order.");
  m.def("cherry_pick_usage", &CherryPickUsage);

  py::class_<CherryPickCommand>(m, "CherryPickCommand",
                                "A @pytorchbot cherry-pick command.")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& source) {
            return ValueOrThrow(CherryPickCommand::Parse(text, source));
          },
          py::arg("comment"), py::arg("source") = "<input>",
          "Parses the first @pytorchbot line of a comment as the bot does; "
          "InvalidArgumentError with the bot's error otherwise.")
      .def_readonly("onto", &CherryPickCommand::onto)
      .def_readonly("fixes", &CherryPickCommand::fixes)
      .def_property_readonly(
          "classification",
          [](const CherryPickCommand& c) {
            return std::string(ClassificationName(c.classification));
          })
      .def_readonly("line", &CherryPickCommand::line)
      .def_property_readonly("effective_fixes",
                             &CherryPickCommand::effective_fixes)
      .def_property_readonly("missing_recommended_issue",
                             &CherryPickCommand::missing_recommended_issue)
      .def("__str__", &CherryPickCommand::ToString)
      .def("__repr__",
           [](const CherryPickCommand& c) {
             return absl::StrCat("CherryPickCommand.parse('", c.ToString(),
                                 "')");
           })
      .def("__eq__", [](const CherryPickCommand& a,
                        const CherryPickCommand& b) { return a == b; });

  py::class_<TrackerLink>(m, "TrackerLink", "A link in a tracker comment.")
      .def_readonly("text", &TrackerLink::text)
      .def_property_readonly("kind",
                             [](const TrackerLink& l) {
                               return std::string(TrackerLinkKindName(l.kind));
                             })
      .def_readonly("repo", &TrackerLink::repo)
      .def_readonly("number", &TrackerLink::number)
      .def_readonly("sha", &TrackerLink::sha)
      .def("__repr__", [](const TrackerLink& l) {
        return absl::StrCat("<TrackerLink ", l.text, ">");
      });

  py::class_<CherryPickNomination>(
      m, "CherryPickNomination",
      "A cherry-pick nomination on a release tracker issue.")
      .def(py::init([](const std::vector<std::string>& trunk_prs,
                       const std::vector<std::string>& release_prs,
                       std::optional<std::string> classification,
                       std::optional<std::string> fixes,
                       const std::string& criteria) {
             CherryPickNomination n;
             for (const std::string& t : trunk_prs)
               n.trunk_prs.push_back({.text = t});
             for (const std::string& t : release_prs)
               n.release_prs.push_back({.text = t});
             if (classification)
               n.classification =
                   ValueOrThrow(ParseClassification(*classification));
             n.fixes = std::move(fixes);
             n.criteria = criteria;
             return n;
           }),
           py::kw_only(), py::arg("trunk_prs") = std::vector<std::string>(),
           py::arg("release_prs") = std::vector<std::string>(),
           py::arg("classification") = py::none(),
           py::arg("fixes") = py::none(), py::arg("criteria") = "")
      .def_readonly("trunk_prs", &CherryPickNomination::trunk_prs)
      .def_readonly("release_prs", &CherryPickNomination::release_prs)
      .def_readonly("criteria", &CherryPickNomination::criteria)
      .def_property_readonly("classification",
                             [](const CherryPickNomination& n) {
                               return ClassName(n.classification);
                             })
      .def_readonly("fixes", &CherryPickNomination::fixes)
      .def_readonly("reply", &CherryPickNomination::reply)
      .def_readonly("warnings", &CherryPickNomination::warnings)
      .def("render", &RenderTrackerComment,
           "The exact three-block tracker comment.")
      .def("__repr__", [](const CherryPickNomination& n) {
        return absl::StrCat(
            "<CherryPickNomination ", n.release_prs.size(), " release PR(s), ",
            n.classification ? ClassificationName(*n.classification)
                             : "unclassified",
            ">");
      });
  m.def(
      "parse_tracker_comment",
      [](const std::string& text) { return ParseTrackerComment(text); },
      py::arg("text"),
      "The nomination in a tracker comment, or None when it is not one.");
  m.def(
      "tracker_version",
      [](const std::string& title) { return TrackerVersion(title); },
      py::arg("title"),
      "The version a '[vX.Y.Z] Release Tracker' title names, or None.");
  m.def(
      "find_tracker_issues",
      [](const std::vector<Issue>& issues, py::handle version) {
        return FindTrackerIssues(issues, ToVersion(version));
      },
      py::arg("issues"), py::arg("version"),
      "The release tracker issues for exactly this version, open first, newest "
      "first.");
}

}  // namespace relkit::python
