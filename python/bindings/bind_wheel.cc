// Distribution names, wheel tags and wheel/sdist file names (relkit/wheel.h,
// the API of packaging.utils and packaging.tags.Tag), and PyTorch's release
// conventions (relkit/conventions.h): RC tags, release branches, nightly
// dates, accelerator labels and version bumps.
//
// Functions that take a version accept a relkit.Version or a str (parsed,
// InvalidVersion when it is not a version).

#include <Python.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/operators.h"
#include "pybind11/stl.h"
#include "relkit/conventions.h"
#include "relkit/version.h"
#include "relkit/wheel.h"

namespace relkit::python {
namespace {

py::tuple UintTuple(absl::Span<const uint64_t> values) {
  py::tuple out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = py::int_(values[i]);
  return out;
}

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

// `<Name('text')>` with Python quoting.
template <typename T>
std::string Repr(const char* name, const T& value) {
  return absl::StrCat(
      "<", name, "(",
      py::repr(py::str(value.ToString())).template cast<std::string>(), ")>");
}

// Binds str, repr, hash, ==/!= and pickling through the string form, which
// every value type here round-trips.
template <typename T, typename... Options>
void BindValueProtocol(py::class_<T, Options...>& cls, const char* name) {
  cls.def("__str__", &T::ToString)
      .def("__repr__", [name](const T& v) { return Repr(name, v); })
      .def("__hash__",
           [](const T& v) {
             return static_cast<Py_ssize_t>(absl::Hash<T>{}(v));
           })
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__reduce__", [](py::handle self) {
        return py::make_tuple(py::type::of(self),
                              py::make_tuple(py::str(self)));
      });
}

template <typename T, typename... Options>
void BindOrdering(py::class_<T, Options...>& cls) {
  cls.def(py::self < py::self)
      .def(py::self <= py::self)
      .def(py::self > py::self)
      .def(py::self >= py::self);
}

void BindNamesAndFilenames(py::module_& m) {
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

}  // namespace

void BindWheel(py::module_& m) {
  BindNamesAndFilenames(m);
  BindConventions(m);
}

}  // namespace relkit::python
