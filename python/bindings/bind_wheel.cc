// Distribution names, wheel tags and wheel/sdist file names (relkit/wheel.h):
// the API of packaging.utils and packaging.tags.Tag.

#include <Python.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "pybind11/operators.h"
#include "pybind11/stl.h"
#include "relkit/version.h"
#include "relkit/wheel.h"
#include "value_protocol.h"

namespace relkit::python {
namespace {

py::frozenset TagFrozenset(const std::vector<Tag>& tags) {
  py::set out;
  for (const Tag& t : tags) out.add(py::cast(t));
  return py::frozenset(out);
}

// packaging's BuildTag: () or (number, suffix).
py::tuple BuildTuple(const std::optional<BuildTag>& build) {
  if (!build.has_value()) return py::tuple();
  return py::make_tuple(py::int_(build->number), py::str(build->suffix));
}

WheelFilename ParseWheel(py::handle filename, bool validate_order) {
  return ValueOrThrow(
      WheelFilename::Parse(StrView(filename, ErrorDomain::kWheelFilename),
                           {.validate_order = validate_order}),
      ErrorDomain::kWheelFilename);
}

SdistFilename ParseSdist(py::handle filename) {
  return ValueOrThrow(
      SdistFilename::Parse(StrView(filename, ErrorDomain::kSdistFilename)),
      ErrorDomain::kSdistFilename);
}

}  // namespace

void BindWheel(py::module_& m) {
  m.def(
      "canonicalize_name",
      [](py::handle name, bool validate) {
        absl::string_view text = StrView(name, ErrorDomain::kName);
        if (validate) {
          return ValueOrThrow(CanonicalizeValidName(text), ErrorDomain::kName);
        }
        return CanonicalizeName(text);
      },
      py::arg("name"), py::kw_only(), py::arg("validate") = false,
      "Returns the PEP 503 normal form of a distribution name; with "
      "validate=True raises InvalidName for an invalid name.");
  m.def(
      "is_normalized_name",
      [](py::handle name) {
        return IsNormalizedName(StrView(name, ErrorDomain::kName));
      },
      py::arg("name"));
  m.def(
      "canonicalize_version",
      [](py::handle version, bool strip_trailing_zero) {
        TrailingZeros zeros =
            strip_trailing_zero ? TrailingZeros::kStrip : TrailingZeros::kKeep;
        if (py::isinstance<Version>(version)) {
          return CanonicalizeVersion(version.cast<const Version&>(), zeros);
        }
        return CanonicalizeVersion(StrView(version, ErrorDomain::kVersion),
                                   zeros);
      },
      py::arg("version"), py::kw_only(), py::arg("strip_trailing_zero") = true,
      "Returns the normal form of a version without trailing .0 release "
      "components; a string that is not a version is returned unchanged.");

  py::class_<Tag> tag(m, "Tag", "A wheel tag triple, like packaging.tags.Tag.");
  tag.def(py::init(
              [](py::handle interpreter, py::handle abi, py::handle platform) {
                return Tag(StrView(interpreter, ErrorDomain::kGeneric),
                           StrView(abi, ErrorDomain::kGeneric),
                           StrView(platform, ErrorDomain::kGeneric));
              }),
          py::arg("interpreter"), py::arg("abi"), py::arg("platform"))
      .def_property_readonly("interpreter", &Tag::interpreter)
      .def_property_readonly("abi", &Tag::abi)
      .def_property_readonly("platform", &Tag::platform)
      .def("__str__", &Tag::ToString)
      // packaging shows "<py3-none-any @ 140...>".
      .def("__repr__",
           [](py::handle self) {
             return absl::StrCat("<", self.cast<const Tag&>().ToString(), " @ ",
                                 reinterpret_cast<uintptr_t>(self.ptr()), ">");
           })
      .def("__hash__",
           [](const Tag& t) {
             return static_cast<Py_ssize_t>(absl::Hash<Tag>{}(t));
           })
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__reduce__", [](py::handle self) {
        const auto& t = self.cast<const Tag&>();
        return py::make_tuple(
            py::type::of(self),
            py::make_tuple(t.interpreter(), t.abi(), t.platform()));
      });
  m.def(
      "parse_tag",
      [](py::handle text) {
        return TagFrozenset(
            ValueOrThrow(ParseTagSet(StrView(text, ErrorDomain::kGeneric)))
                .tags);
      },
      py::arg("tag"),
      "Expands a compressed tag set (\"py2.py3-none-any\") into a frozenset "
      "of Tag, like packaging.tags.parse_tag.");

  py::class_<WheelFilename> wheel(m, "WheelFilename",
                                  "A parsed wheel file name.");
  wheel
      .def(py::init(&ParseWheel), py::arg("filename"), py::kw_only(),
           py::arg("validate_order") = false)
      .def_property_readonly("name", &WheelFilename::name)
      .def_property_readonly("version", &WheelFilename::version)
      .def_property_readonly(
          "build", [](const WheelFilename& w) { return BuildTuple(w.build()); })
      .def_property_readonly(
          "tags", [](const WheelFilename& w) { return TagFrozenset(w.tags()); })
      .def_property_readonly("python_tags", &WheelFilename::python_tags)
      .def_property_readonly("abi_tags", &WheelFilename::abi_tags)
      .def_property_readonly("platform_tags", &WheelFilename::platform_tags);
  BindValueProtocol(wheel, "WheelFilename");
  m.def(
      "parse_wheel_filename",
      [](py::handle filename, bool validate_order) {
        WheelFilename w = ParseWheel(filename, validate_order);
        return py::make_tuple(w.name(), w.version(), BuildTuple(w.build()),
                              TagFrozenset(w.tags()));
      },
      py::arg("filename"), py::kw_only(), py::arg("validate_order") = false,
      "Returns (name, version, build, tags) like "
      "packaging.utils.parse_wheel_filename; raises InvalidWheelFilename.");

  py::class_<SdistFilename> sdist(m, "SdistFilename",
                                  "A parsed source distribution file name.");
  sdist.def(py::init(&ParseSdist), py::arg("filename"))
      .def_property_readonly("name", &SdistFilename::name)
      .def_property_readonly("version", &SdistFilename::version)
      .def_property_readonly("format", [](const SdistFilename& s) {
        return s.format() == SdistFormat::kZip ? ".zip" : ".tar.gz";
      });
  BindValueProtocol(sdist, "SdistFilename");
  m.def(
      "parse_sdist_filename",
      [](py::handle filename) {
        SdistFilename s = ParseSdist(filename);
        return py::make_tuple(s.name(), s.version());
      },
      py::arg("filename"),
      "Returns (name, version) like packaging.utils.parse_sdist_filename; "
      "raises InvalidSdistFilename.");
}

}  // namespace relkit::python
