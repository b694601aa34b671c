// The `relkit._relkit` extension module: C++ names adapted to Python. The
// public face is the pure-Python package `relkit`, which re-exports these.

#include "bindings.h"

namespace relkit::python {
// bind_promotion.cc (declared here rather than in bindings.h, which every
// bind file includes).
void BindPromotion(py::module_& m);
// bind_pypi_stage.cc (staging, rewrite, validation) and bind_pypi_upload.cc.
void BindPypiStage(py::module_& m);
void BindPypiUpload(py::module_& m);
// bind_wheel_archive.cc (wheel files read, verified, rewritten).
void BindWheelArchive(py::module_& m);
// bind_github_writes.cc (issues, comments, milestones, PRs, refs written).
void BindGitHubWrites(py::module_& m);
// bind_patch_triage.cc (patch-release triage).
void BindPatchTriage(py::module_& m);
// bind_tracker.cc (tracker issues and milestones written to GitHub).
void BindTracker(py::module_& m);
// bind_cherry_pick_bot.cc (the cherry-pick bot: plan and apply).
void BindCherryPickBot(py::module_& m);
}  // namespace relkit::python

#ifndef RELKIT_VERSION_STRING
#error "RELKIT_VERSION_STRING must be defined by the build"
#endif

PYBIND11_MODULE(_relkit, m) {
  m.doc() = "Compiled core of relkit (release engineering as a library).";
  m.attr("__version__") = RELKIT_VERSION_STRING;
  // Errors first: the other domains raise through the translator.
  relkit::python::BindErrors(m);
  relkit::python::BindVersion(m);
  relkit::python::BindSpecifier(m);
  relkit::python::BindWheel(m);
  relkit::python::BindConventions(m);
  relkit::python::BindGit(m);
  relkit::python::BindBranchCut(m);
  relkit::python::BindRcTags(m);
  relkit::python::BindPins(m);
  relkit::python::BindDemo(m);
  relkit::python::BindMatrix(m);
  relkit::python::BindSupportPolicy(m);
  relkit::python::BindSchedule(m);
  relkit::python::BindBuildMatrix(m);
  relkit::python::BindWheelIndex(m);
  relkit::python::BindPublishedVersions(m);
  relkit::python::BindGitHub(m);
  relkit::python::BindCherryPick(m);
  relkit::python::BindReadiness(m);
  relkit::python::BindPromotion(m);
  relkit::python::BindPypiStage(m);
  relkit::python::BindPypiUpload(m);
  relkit::python::BindCherryPickBot(m);
  relkit::python::BindWheelArchive(m);
  relkit::python::BindGitHubWrites(m);
  relkit::python::BindPatchTriage(m);
  relkit::python::BindTracker(m);
}
