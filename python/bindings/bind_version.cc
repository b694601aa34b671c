// relkit.Version and the batch version APIs.
//
// Version is bound directly (no Python wrapper class): construction is the hot
// path of release scripts that parse thousands of tags, so `Version(s)` is one
// pybind11 call that views the str's UTF-8 buffer without copying it. The batch
// functions convert their inputs once and release the GIL around the C++ loop.

#include <Python.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "pybind11/operators.h"
#include "pybind11/stl.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

Version ParseOrThrow(py::handle text) {
  return ValueOrThrow(Version::Parse(StrView(text, ErrorDomain::kVersion)),
                      ErrorDomain::kVersion);
}

py::object OptionalInt(const std::optional<uint64_t>& n) {
  if (!n.has_value()) return py::none();
  return py::int_(*n);
}

Version FromParts(std::optional<uint64_t> epoch,
                  std::optional<std::vector<uint64_t>> release,
                  std::optional<std::pair<std::string, uint64_t>> pre,
                  std::optional<uint64_t> post, std::optional<uint64_t> dev,
                  std::optional<std::string> local) {
  VersionParts parts;
  parts.epoch = epoch.value_or(0);
  if (release.has_value()) parts.release = *std::move(release);
  if (pre.has_value()) {
    PreReleaseKind kind =
        ValueOrThrow(ParsePreReleaseLetter(pre->first), ErrorDomain::kVersion);
    parts.pre = PreRelease{.kind = kind, .number = pre->second};
  }
  parts.post = post;
  parts.dev = dev;
  parts.local = std::move(local);
  return ValueOrThrow(Version::FromParts(parts), ErrorDomain::kVersion);
}

// The pybind11 type record of Version, set once by BindVersion.
const py::detail::type_info* version_type = nullptr;

// Stores `value` in the fresh pybind11 instance `self` of Version: what
// pybind11's `py::init` plus class_<Version>::init_instance do, minus the
// per-call type lookup by typeid name (a third of the constructor's time).
void InstallValue(PyObject* self, Version&& value) {
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  py::detail::value_and_holder vh = inst->get_value_and_holder(version_type);
  if (vh.holder_constructed()) {  // __init__ run again on a live object
    *vh.value_ptr<Version>() = std::move(value);
    return;
  }
  auto* owned = new Version(std::move(value));
  vh.value_ptr() = owned;
  py::detail::register_instance(inst, owned, version_type);
  vh.set_instance_registered();
  new (std::addressof(vh.holder<std::unique_ptr<Version>>()))
      std::unique_ptr<Version>(owned);
  vh.set_holder_constructed();
}

// Returns a new Python Version holding `value`, by the same path as
// `Version(s)`; for batch results.
py::object WrapVersion(Version&& value) {
  PyTypeObject* type = version_type->type;
  py::object self = py::reinterpret_steal<py::object>(
      type->tp_new(type, py::tuple().ptr(), nullptr));
  if (!self) throw py::error_already_set();
  InstallValue(self.ptr(), std::move(value));
  return self;
}

// CPython `tp_init` of Version: `Version(s)` is the hot path of release
// scripts, and pybind11's generic dispatcher (argument loaders, overload
// resolution, life-support frames) costs more than the parse itself. This
// slot parses the one str argument and installs the value directly. The
// pybind11 `__init__` stays bound for introspection and for Python
// subclasses, which call it.
int VersionTpInit(PyObject* self, PyObject* args, PyObject* kwargs) {
  PyObject* text = nullptr;
  if (kwargs == nullptr && PyTuple_GET_SIZE(args) == 1) {
    text = PyTuple_GET_ITEM(args, 0);
  } else {
    static const char* kKeywords[] = {"version", nullptr};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:Version",
                                     const_cast<char**>(kKeywords), &text)) {
      return -1;
    }
  }
  try {
    InstallValue(self, ParseOrThrow(text));
    return 0;
  } catch (const StatusError& e) {
    SetPythonError(e);
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return -1;
}

}  // namespace

void BindVersion(py::module_& m) {
  py::class_<Version> cls(m, "Version", R"doc(
A PEP 440 version, compatible with ``packaging.version.Version``.

    >>> v = Version("2.4.0-RC1")
    >>> str(v), v.is_prerelease, v.release
    ('2.4.0rc1', True, (2, 4, 0))

Raises InvalidVersion (a ValueError) when the string is not a valid version.)doc");
  cls.def(py::init(&ParseOrThrow), py::arg("version"))
      .def_static("from_parts", &FromParts, py::kw_only(),
                  py::arg("epoch") = py::none(),
                  py::arg("release") = py::none(), py::arg("pre") = py::none(),
                  py::arg("post") = py::none(), py::arg("dev") = py::none(),
                  py::arg("local") = py::none(),
                  "Builds a version from its components.")
      .def_property_readonly("epoch",
                             [](const Version& v) { return v.epoch(); })
      .def_property_readonly("release",
                             [](const Version& v) {
                               absl::Span<const uint64_t> r = v.release();
                               py::tuple out(r.size());
                               for (size_t i = 0; i < r.size(); ++i) {
                                 out[i] = py::int_(r[i]);
                               }
                               return out;
                             })
      .def_property_readonly(
          "pre",
          [](const Version& v) -> py::object {
            if (!v.pre().has_value()) return py::none();
            absl::string_view letter = PreReleaseLetter(v.pre()->kind);
            return py::make_tuple(py::str(letter.data(), letter.size()),
                                  py::int_(v.pre()->number));
          })
      .def_property_readonly(
          "post", [](const Version& v) { return OptionalInt(v.post()); })
      .def_property_readonly(
          "dev", [](const Version& v) { return OptionalInt(v.dev()); })
      .def_property_readonly("local",
                             [](const Version& v) -> py::object {
                               if (!v.local().has_value()) return py::none();
                               return py::str(*v.local());
                             })
      .def_property_readonly("public", &Version::PublicVersion)
      .def_property_readonly("base_version", &Version::BaseVersion)
      .def_property_readonly("is_prerelease", &Version::is_prerelease)
      .def_property_readonly("is_postrelease", &Version::is_postrelease)
      .def_property_readonly("is_devrelease", &Version::is_devrelease)
      .def_property_readonly("major", &Version::major)
      .def_property_readonly("minor", &Version::minor)
      .def_property_readonly("micro", &Version::micro)
      .def("__str__", &Version::ToString)
      .def("__repr__",
           [](const Version& v) {
             return absl::StrCat("<Version('", v.ToString(), "')>");
           })
      .def("__hash__",
           [](const Version& v) {
             return static_cast<Py_ssize_t>(absl::Hash<Version>{}(v));
           })
      // Operators return NotImplemented for a non-Version operand, as
      // packaging does, so `Version("1") == "1"` is False, not an error.
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def(py::self < py::self)
      .def(py::self <= py::self)
      .def(py::self > py::self)
      .def(py::self >= py::self)
      // Pickles as `Version(str(v))`. An explicit __reduce__ rather than
      // py::pickle: pybind11's __setstate__ path aborts under protocols 0/1.
      .def("__reduce__", [](py::handle self) {
        return py::make_tuple(py::type::of(self),
                              py::make_tuple(py::str(self)));
      });
  // Last, after every attribute is set: assigning a class attribute
  // recomputes the type's slots.
  version_type = py::detail::get_type_info(typeid(Version));
  reinterpret_cast<PyTypeObject*>(cls.ptr())->tp_init = &VersionTpInit;

  m.def(
      "parse_versions",
      [](const py::iterable& versions) {
        TextBatch batch(versions);
        absl::StatusOr<std::vector<Version>> parsed;
        {
          py::gil_scoped_release release;
          parsed = ParseVersions(batch.views());
        }
        std::vector<Version> values =
            ValueOrThrow(std::move(parsed), ErrorDomain::kVersion);
        py::list out(values.size());
        for (size_t i = 0; i < values.size(); ++i) {
          out[i] = WrapVersion(std::move(values[i]));
        }
        return out;
      },
      py::arg("versions"),
      "Parses every string; raises InvalidVersion naming the first bad one.");
  m.def(
      "sort_versions",
      [](const py::iterable& versions, bool skip_invalid) {
        TextBatch batch(versions);
        absl::StatusOr<std::vector<size_t>> order;
        {
          py::gil_scoped_release release;
          order = SortVersionOrder(
              batch.views(),
              skip_invalid ? InvalidVersions::kSkip : InvalidVersions::kError);
        }
        std::vector<size_t> indices =
            ValueOrThrow(std::move(order), ErrorDomain::kVersion);
        // The caller's own str objects, reordered: no copies.
        py::list out(indices.size());
        for (size_t i = 0; i < indices.size(); ++i) {
          out[i] = batch.item(indices[i]);
        }
        return out;
      },
      py::arg("versions"), py::arg("skip_invalid") = false,
      "Returns the strings in ascending PEP 440 order (stable for equal "
      "versions). Invalid strings raise InvalidVersion, or are dropped when "
      "skip_invalid is true.");
  m.def(
      "max_version",
      [](const py::iterable& versions) {
        TextBatch batch(versions);
        absl::StatusOr<size_t> index;
        {
          py::gil_scoped_release release;
          index = MaxVersionIndex(batch.views());
        }
        return batch.item(ValueOrThrow(std::move(index)));
      },
      py::arg("versions"),
      "Returns the string holding the greatest valid version; invalid strings "
      "are skipped. Raises NotFoundError (a LookupError) when none is valid.");
}

}  // namespace relkit::python
