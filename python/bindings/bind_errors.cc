// Python exception hierarchy over absl::Status.
//
// The classes are created once, at import, with the builtin that a Python user
// would catch as a second base (`InvalidArgumentError(Error, ValueError)`), and
// registered under the public name `relkit.<Name>` so that tracebacks and
// pickles name the package, not the private extension. One translator maps
// every StatusError thrown by a binding to its class.

#include <Python.h>

#include <array>
#include <cstddef>
#include <exception>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bindings.h"

namespace relkit::python {
namespace {

// absl::StatusCode values run 0 (kOk) ... 16 (kUnauthenticated).
constexpr size_t kNumCodes = 17;
constexpr size_t kNumDomains = 6;

// Owned forever: exception classes outlive every call that can raise them.
std::array<PyObject*, kNumCodes> code_classes{};
std::array<PyObject*, kNumDomains> domain_classes{};

PyObject* NewErrorClass(py::module_& m, const char* name, const char* doc,
                        py::tuple bases, absl::string_view code) {
  py::dict attrs;
  attrs["code"] = py::str(code.data(), code.size());
  std::string qualified = absl::StrCat("relkit.", name);
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(),
                                            attrs.ptr());
  if (cls == nullptr) throw py::error_already_set();
  // The module keeps one reference; the tables above keep the other.
  m.add_object(name, py::reinterpret_borrow<py::object>(cls));
  return cls;
}

std::string CodeName(absl::StatusCode code) {
  return absl::StatusCodeToString(code);
}

struct CodeClass {
  absl::StatusCode code;
  const char* name;
  PyObject* builtin;  // nullptr: only relkit.Error
  const char* doc;
};

struct DomainClass {
  ErrorDomain domain;
  const char* name;
  const char* doc;
};

}  // namespace

absl::string_view StrView(py::handle text, ErrorDomain domain) {
  if (!PyUnicode_Check(text.ptr())) {
    std::string type_name = Py_TYPE(text.ptr())->tp_name;
    throw StatusError(absl::InvalidArgumentError(
                          absl::StrCat("expected a str, got ", type_name)),
                      domain);
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    throw StatusError(absl::InvalidArgumentError(
                          "text is not encodable as UTF-8 (lone surrogate)"),
                      domain);
  }
  return absl::string_view(data, static_cast<size_t>(size));
}

void SetPythonError(const StatusError& error) {
  const absl::Status& status = error.status();
  auto code = static_cast<size_t>(status.code());
  PyObject* cls = code < kNumCodes ? code_classes[code] : code_classes[2];
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    cls = domain_classes[static_cast<size_t>(error.domain())];
  }
  PyObject* message = PyUnicode_DecodeUTF8(
      status.message().data(), static_cast<Py_ssize_t>(status.message().size()),
      "replace");
  if (message == nullptr) return;
  PyObject* exc = PyObject_CallOneArg(cls, message);
  Py_DECREF(message);
  if (exc == nullptr) return;  // the call's own error stays set
  // The class attribute already names the code; the instance attribute keeps
  // the exact code where several codes share a class (UNKNOWN, OK).
  PyObject* code_name = PyUnicode_FromString(CodeName(status.code()).c_str());
  if (code_name != nullptr &&
      PyObject_SetAttrString(exc, "code", code_name) == 0) {
    PyErr_SetObject(cls, exc);
  }
  Py_XDECREF(code_name);
  Py_DECREF(exc);
}

void BindErrors(py::module_& m) {
  PyObject* error = NewErrorClass(
      m, "Error",
      "Base class of every relkit error. `code` is the absl status code name "
      "(\"INVALID_ARGUMENT\", \"NOT_FOUND\", ...).",
      py::make_tuple(py::handle(PyExc_Exception)),
      CodeName(absl::StatusCode::kUnknown));
  code_classes.fill(error);

  const CodeClass kCodeClasses[] = {
      {absl::StatusCode::kCancelled, "CancelledError", nullptr,
       "The operation was cancelled."},
      {absl::StatusCode::kInvalidArgument, "InvalidArgumentError",
       PyExc_ValueError, "Bad input: a malformed version, specifier, name..."},
      {absl::StatusCode::kDeadlineExceeded, "DeadlineExceededError",
       PyExc_TimeoutError, "A network or process operation timed out."},
      {absl::StatusCode::kNotFound, "NotFoundError", PyExc_LookupError,
       "A ref, milestone, file or URL (HTTP 404) does not exist."},
      {absl::StatusCode::kAlreadyExists, "AlreadyExistsError",
       PyExc_FileExistsError,
       "A tag, branch or artifact already exists with different content."},
      {absl::StatusCode::kPermissionDenied, "PermissionDeniedError",
       PyExc_PermissionError, "Access refused (HTTP 403)."},
      {absl::StatusCode::kResourceExhausted, "ResourceExhaustedError",
       PyExc_RuntimeError, "Rate limited or out of quota."},
      {absl::StatusCode::kFailedPrecondition, "FailedPreconditionError",
       PyExc_RuntimeError, "A precondition does not hold (dirty tree, ...)."},
      {absl::StatusCode::kAborted, "AbortedError", PyExc_RuntimeError,
       "The operation was aborted (a ref moved under us)."},
      {absl::StatusCode::kOutOfRange, "OutOfRangeError", PyExc_ValueError,
       "A value is outside its valid range."},
      {absl::StatusCode::kUnimplemented, "UnimplementedError",
       PyExc_NotImplementedError, "The operation is not implemented."},
      {absl::StatusCode::kInternal, "InternalError", PyExc_RuntimeError,
       "An invariant of relkit was broken (a bug)."},
      {absl::StatusCode::kUnavailable, "UnavailableError",
       PyExc_ConnectionError, "A service is unreachable (HTTP 5xx, connect)."},
      {absl::StatusCode::kDataLoss, "DataLossError", PyExc_RuntimeError,
       "Unrecoverable data loss or corruption."},
      {absl::StatusCode::kUnauthenticated, "UnauthenticatedError",
       PyExc_PermissionError, "Missing or bad credentials (HTTP 401)."},
  };
  for (const CodeClass& c : kCodeClasses) {
    py::tuple bases =
        c.builtin == nullptr
            ? py::make_tuple(py::handle(error))
            : py::make_tuple(py::handle(error), py::handle(c.builtin));
    code_classes[static_cast<size_t>(c.code)] =
        NewErrorClass(m, c.name, c.doc, bases, CodeName(c.code));
  }
  // An OK status never reaches the translator; if it did, it is a bug.
  code_classes[0] =
      code_classes[static_cast<size_t>(absl::StatusCode::kInternal)];

  // Aliases named like packaging's exceptions, raised for InvalidArgument in
  // their domain; each is an InvalidArgumentError and so a ValueError.
  PyObject* invalid_argument =
      code_classes[static_cast<size_t>(absl::StatusCode::kInvalidArgument)];
  domain_classes.fill(invalid_argument);
  const DomainClass kDomainClasses[] = {
      {ErrorDomain::kVersion, "InvalidVersion",
       "A string is not a valid PEP 440 version."},
      {ErrorDomain::kSpecifier, "InvalidSpecifier",
       "A string is not a valid PEP 440 version specifier."},
      {ErrorDomain::kWheelFilename, "InvalidWheelFilename",
       "A file name is not a valid wheel file name."},
      {ErrorDomain::kSdistFilename, "InvalidSdistFilename",
       "A file name is not a valid source distribution file name."},
      {ErrorDomain::kName, "InvalidName",
       "A string is not a valid distribution name."},
  };
  for (const DomainClass& d : kDomainClasses) {
    domain_classes[static_cast<size_t>(d.domain)] = NewErrorClass(
        m, d.name, d.doc, py::make_tuple(py::handle(invalid_argument)),
        CodeName(absl::StatusCode::kInvalidArgument));
  }

  // For tests of the translator: raises the exception for a status with the
  // code named `code` ("NOT_FOUND") and `domain` (0 generic, 1 version, ...).
  m.def(
      "_raise_status",
      [](const std::string& code, const std::string& message, int domain) {
        for (size_t i = 1; i < kNumCodes; ++i) {
          auto c = static_cast<absl::StatusCode>(i);
          if (CodeName(c) == code) {
            if (domain < 0 || static_cast<size_t>(domain) >= kNumDomains) {
              throw py::value_error("domain out of range");
            }
            ThrowIfError(absl::Status(c, message),
                         static_cast<ErrorDomain>(domain));
          }
        }
        throw py::value_error(absl::StrCat("unknown status code ", code));
      },
      py::arg("code"), py::arg("message"), py::arg("domain") = 0);

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      SetPythonError(e);
    }
  });
}

}  // namespace relkit::python
