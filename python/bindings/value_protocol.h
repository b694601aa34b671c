// File: value_protocol.h
// -----------------------------------------------------------------------------
//
// The Python protocol of relkit's string-round-tripping value types (wheel
// and sdist file names, RC tags, release branches, accelerators), defined
// once for the bind files that bind them:
//
//   py::class_<RcTag> rc(m, "RcTag");
//   BindValueProtocol(rc, "RcTag");  // str, repr, hash, ==, pickling
//   BindOrdering(rc);                // <, <=, >, >=

#ifndef RELKIT_PYTHON_BINDINGS_VALUE_PROTOCOL_H_
#define RELKIT_PYTHON_BINDINGS_VALUE_PROTOCOL_H_

#include <Python.h>

#include <string>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "pybind11/operators.h"
#include "pybind11/pybind11.h"

namespace relkit::python {

// Returns `<Name('text')>` with Python quoting of `value.ToString()`.
template <typename T>
std::string Repr(const char* name, const T& value) {
  return absl::StrCat(
      "<", name, "(",
      py::repr(py::str(value.ToString())).template cast<std::string>(), ")>");
}

// Binds str, repr, hash, ==/!= and pickling through the string form, which
// every value type bound with it round-trips (the class's constructor parses
// that string).
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

// Binds <, <=, > and >= from the C++ ordering of T.
template <typename T, typename... Options>
void BindOrdering(py::class_<T, Options...>& cls) {
  cls.def(py::self < py::self)
      .def(py::self <= py::self)
      .def(py::self > py::self)
      .def(py::self >= py::self);
}

}  // namespace relkit::python

#endif  // RELKIT_PYTHON_BINDINGS_VALUE_PROTOCOL_H_
