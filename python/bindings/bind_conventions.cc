// PyTorch's release conventions (relkit/conventions.h): RC tags, release
// branches, nightly dates, accelerator labels and version bumps.
//
// Functions that take a version accept a relkit.Version or a str (parsed,
// InvalidVersion when it is not a version).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/conventions.h"
#include "relkit/version.h"
#include "value_protocol.h"

namespace relkit::python {
namespace {

py::tuple UintTuple(absl::Span<const uint64_t> values) {
  py::tuple out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = py::int_(values[i]);
  return out;
}

}  // namespace

void BindConventions(py::module_& m) {
  py::class_<RcTag> rc(m, "RcTag",
                       "A release git tag: v2.4.0-rc1 (an RC) or v2.4.0.");
  rc.def(py::init([](py::handle tag, bool allow_two_component_release) {
           return ValueOrThrow(RcTag::Parse(
               StrView(tag, ErrorDomain::kGeneric),
               {.allow_two_component_release = allow_two_component_release}));
         }),
         py::arg("tag"), py::kw_only(),
         py::arg("allow_two_component_release") = false)
      .def_static(
          "from_version",
          [](py::handle v) {
            return ValueOrThrow(RcTag::FromVersion(ToVersion(v)));
          },
          py::arg("version"))
      .def_property_readonly("major", &RcTag::major)
      .def_property_readonly("minor", &RcTag::minor)
      .def_property_readonly("patch", &RcTag::patch)
      .def_property_readonly("rc", &RcTag::rc)
      .def_property_readonly("is_rc", &RcTag::is_rc)
      .def_property_readonly("version", &RcTag::version)
      .def_property_readonly("final_version", &RcTag::final_version)
      .def("final", &RcTag::Final);
  BindValueProtocol(rc, "RcTag");
  BindOrdering(rc);

  py::class_<ReleaseBranch> branch(
      m, "ReleaseBranch", "A release branch release/X.Y or orig/release/X.Y.");
  branch
      .def(py::init([](py::handle text) {
             return ValueOrThrow(
                 ReleaseBranch::Parse(StrView(text, ErrorDomain::kGeneric)));
           }),
           py::arg("branch"))
      .def_static(
          "for_version",
          [](py::handle v) {
            return ValueOrThrow(ReleaseBranch::ForVersion(ToVersion(v)));
          },
          py::arg("version"))
      .def_property_readonly("major", &ReleaseBranch::major)
      .def_property_readonly("minor", &ReleaseBranch::minor)
      .def_property_readonly("is_orig", &ReleaseBranch::is_orig)
      .def("release", &ReleaseBranch::Release)
      .def("orig", &ReleaseBranch::Orig)
      .def(
          "contains",
          [](const ReleaseBranch& b, py::handle v) {
            return b.Contains(ToVersion(v));
          },
          py::arg("version"))
      .def("__contains__", [](const ReleaseBranch& b, py::handle v) {
        return b.Contains(ToVersion(v));
      });
  BindValueProtocol(branch, "ReleaseBranch");
  BindOrdering(branch);

  m.def(
      "nightly_date",
      [](py::handle v) -> py::object {
        std::optional<absl::CivilDay> day = NightlyDate(ToVersion(v));
        if (!day.has_value()) return py::none();
        return ToDate(*day);
      },
      py::arg("version"),
      "Returns the datetime.date of a nightly version (2.5.0.dev20240801), "
      "or None.");
  m.def(
      "make_nightly_version",
      [](py::handle base, py::handle day) {
        return ValueOrThrow(MakeNightlyVersion(ToVersion(base), FromDate(day)));
      },
      py::arg("base"), py::arg("day"),
      "Returns the nightly version of `base` for a datetime.date.");

  py::class_<Accelerator> acc(
      m, "Accelerator",
      "The accelerator of a PyTorch local version label (cpu, cu121, "
      "rocm6.1, xpu).");
  acc.def(py::init([](py::handle label) {
            return ValueOrThrow(
                Accelerator::Parse(StrView(label, ErrorDomain::kGeneric)));
          }),
          py::arg("label"))
      .def_static(
          "from_version",
          [](py::handle v) {
            return ValueOrThrow(Accelerator::FromVersion(ToVersion(v)));
          },
          py::arg("version"))
      .def_static("cpu", &Accelerator::Cpu)
      .def_static("xpu", &Accelerator::Xpu)
      .def_static(
          "cuda",
          [](py::handle dotted) {
            return ValueOrThrow(
                Accelerator::Cuda(StrView(dotted, ErrorDomain::kGeneric)));
          },
          py::arg("version"))
      .def_static(
          "rocm",
          [](py::handle dotted) {
            return ValueOrThrow(
                Accelerator::Rocm(StrView(dotted, ErrorDomain::kGeneric)));
          },
          py::arg("version"))
      .def_property_readonly("kind",
                             [](const Accelerator& a) {
                               absl::string_view k =
                                   AcceleratorKindName(a.kind());
                               return py::str(k.data(), k.size());
                             })
      .def_property_readonly(
          "version",
          [](const Accelerator& a) { return UintTuple(a.version()); })
      .def_property_readonly("variant", &Accelerator::variant)
      .def_property_readonly("version_string", &Accelerator::VersionString);
  BindValueProtocol(acc, "Accelerator");
  BindOrdering(acc);

  m.def(
      "cuda_short_form",
      [](py::handle dotted) {
        return ValueOrThrow(
            CudaShortForm(StrView(dotted, ErrorDomain::kGeneric)));
      },
      py::arg("version"), "Returns \"cu121\" for \"12.1\".");
  m.def(
      "cuda_dotted_form",
      [](py::handle label) {
        return ValueOrThrow(
            CudaDottedForm(StrView(label, ErrorDomain::kGeneric)));
      },
      py::arg("label"), "Returns \"12.1\" for \"cu121\".");
  m.def(
      "with_accelerator",
      [](py::handle v, const Accelerator& a) {
        return ValueOrThrow(WithAccelerator(ToVersion(v), a));
      },
      py::arg("version"), py::arg("accelerator"),
      "Returns the version with its local label set to the accelerator's.");
  m.def(
      "next_minor",
      [](py::handle v) { return ValueOrThrow(NextMinor(ToVersion(v))); },
      py::arg("version"), "2.4.1 -> 2.5.0");
  m.def(
      "next_patch",
      [](py::handle v) { return ValueOrThrow(NextPatch(ToVersion(v))); },
      py::arg("version"), "2.4.0 -> 2.4.1");
  m.def(
      "next_main_version",
      [](py::handle v) { return ValueOrThrow(NextMainVersion(ToVersion(v))); },
      py::arg("version"), "2.5.0a0 -> 2.6.0a0 (main's version after a cut)");
  m.def(
      "next_rc_tag",
      [](py::handle v, const py::iterable& existing_tags) {
        Version version = ToVersion(v);
        TextBatch batch(existing_tags);
        std::vector<std::string> tags(batch.views().begin(),
                                      batch.views().end());
        return ValueOrThrow(NextRcTag(version, tags));
      },
      py::arg("version"), py::arg("existing_tags"),
      "Returns the next RC tag of a final release given the repository's "
      "tags; FailedPreconditionError when the final tag exists.");
}

}  // namespace relkit::python
