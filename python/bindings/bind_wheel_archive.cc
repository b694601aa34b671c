// Python bindings of wheel files read, verified and rewritten
// (relkit/wheel_archive.h) and of their METADATA and RECORD values
// (relkit/wheel_metadata.h): `read_wheel()`, `verify_wheel_record()`,
// `rewrite_wheel()`. Each call releases the GIL: a 1 GB wheel takes seconds
// to hash or copy, and other Python threads (a thread pool rewriting several
// wheels) should run meanwhile.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bindings.h"
#include "pybind11/stl.h"
#include "relkit/wheel_archive.h"
#include "relkit/wheel_metadata.h"

namespace relkit::python {
namespace {

std::string PyRepr(const std::string& s) {
  return py::repr(py::str(s)).cast<std::string>();
}

// A str or os.PathLike argument as a path.
std::string PathArg(const py::object& path) {
  return py::str(py::module_::import("os").attr("fspath")(path))
      .cast<std::string>();
}

WheelContents Read(const py::object& path) {
  const std::string p = PathArg(path);
  absl::StatusOr<WheelContents> r;
  {
    py::gil_scoped_release release;
    r = ReadWheel(p);
  }
  return ValueOrThrow(std::move(r));
}

RecordCheck Verify(const py::object& path) {
  const std::string p = PathArg(path);
  absl::StatusOr<RecordCheck> r;
  {
    py::gil_scoped_release release;
    r = VerifyWheelRecord(p);
  }
  return ValueOrThrow(std::move(r));
}

WheelRewrite Rewrite(const py::object& path, const py::object& out_dir,
                     std::vector<std::string> remove_classifiers) {
  const std::string p = PathArg(path);
  const std::string out = PathArg(out_dir);
  absl::StatusOr<WheelRewrite> r;
  {
    py::gil_scoped_release release;
    r = RewriteWheel(p, out,
                     {.remove_classifiers = std::move(remove_classifiers)});
  }
  return ValueOrThrow(std::move(r));
}

}  // namespace

void BindWheelArchive(py::module_& m) {
  py::class_<CoreMetadata>(
      m, "CoreMetadata",
      "A wheel's METADATA: header fields in file order and the body.")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& source) {
            return ValueOrThrow(CoreMetadata::Parse(text, source));
          },
          py::arg("text"), py::arg("source") = "<METADATA>")
      .def(
          "get",
          [](const CoreMetadata& c, const std::string& name) {
            return c.Get(name);
          },
          py::arg("name"),
          "The first value of a field (case-insensitive), or None.")
      .def(
          "get_all",
          [](const CoreMetadata& c, const std::string& name) {
            return c.GetAll(name);
          },
          py::arg("name"), "Every value of a field, in file order.")
      .def_property_readonly(
          "fields",
          [](const CoreMetadata& c) {
            std::vector<std::pair<std::string, std::string>> out;
            for (const CoreMetadata::Field& f : c.fields()) {
              out.emplace_back(f.name, f.value);
            }
            return out;
          })
      .def_property_readonly("body", &CoreMetadata::body)
      .def("__eq__",
           [](const CoreMetadata& a, const CoreMetadata& b) { return a == b; })
      .def("__repr__", [](const CoreMetadata& c) {
        const std::optional<std::string> name = c.Get("Name");
        const std::optional<std::string> version = c.Get("Version");
        return absl::StrCat("<CoreMetadata(Name=", PyRepr(name.value_or("")),
                            ", Version=", PyRepr(version.value_or("")), ", ",
                            c.fields().size(), " fields)>");
      });

  py::class_<RecordEntry>(m, "RecordEntry", "One row of a wheel's RECORD.")
      .def_readonly("path", &RecordEntry::path)
      .def_readonly("hash", &RecordEntry::hash)
      .def_readonly("size", &RecordEntry::size)
      .def("__eq__",
           [](const RecordEntry& a, const RecordEntry& b) { return a == b; })
      .def("__repr__", [](const RecordEntry& e) {
        return absl::StrCat(
            "<RecordEntry(", PyRepr(e.path), ", ", PyRepr(e.hash), ", ",
            e.size.has_value() ? absl::StrCat(*e.size) : "None", ")>");
      });

  py::class_<WheelContents>(
      m, "WheelContents",
      "What a wheel says about itself: its name, METADATA and RECORD.")
      .def_readonly("filename", &WheelContents::filename)
      .def_readonly("dist_info", &WheelContents::dist_info)
      .def_readonly("metadata", &WheelContents::metadata)
      .def_readonly("metadata_text", &WheelContents::metadata_text)
      .def_readonly("record", &WheelContents::record)
      .def_readonly("size", &WheelContents::size)
      .def_readonly("member_count", &WheelContents::member_count)
      .def_property_readonly(
          "version",
          [](const WheelContents& w) { return w.metadata.Get("Version"); })
      .def("__repr__", [](const WheelContents& w) {
        return absl::StrCat("<WheelContents(", PyRepr(w.dist_info), ", ",
                            w.member_count, " members, ", w.size, " bytes)>");
      });

  py::class_<RecordProblem>(m, "RecordProblem",
                            "A disagreement between RECORD and the archive.")
      .def_readonly("member", &RecordProblem::member)
      .def_readonly("what", &RecordProblem::what)
      .def("__eq__", [](const RecordProblem& a,
                        const RecordProblem& b) { return a == b; })
      .def("__repr__", [](const RecordProblem& p) {
        return absl::StrCat("<RecordProblem(", PyRepr(p.member), ": ",
                            PyRepr(p.what), ")>");
      });

  py::class_<RecordCheck>(m, "RecordCheck",
                          "The result of checking a wheel against its RECORD.")
      .def_readonly("members_checked", &RecordCheck::members_checked)
      .def_readonly("problems", &RecordCheck::problems)
      .def_property_readonly("ok", &RecordCheck::ok)
      .def("__bool__", &RecordCheck::ok)
      .def("__repr__", [](const RecordCheck& c) {
        return absl::StrCat("<RecordCheck(", c.ok() ? "ok" : "NOT ok", ", ",
                            c.members_checked, " members hashed, ",
                            c.problems.size(), " problems)>");
      });

  py::class_<WheelRewrite>(m, "WheelRewrite",
                           "A wheel rewritten for PyPI (rewrite_wheel).")
      .def_readonly("input_path", &WheelRewrite::input_path)
      .def_readonly("output_path", &WheelRewrite::output_path)
      .def_readonly("file_name", &WheelRewrite::file_name)
      .def_readonly("old_version", &WheelRewrite::old_version)
      .def_readonly("new_version", &WheelRewrite::new_version)
      .def_readonly("removed_classifiers", &WheelRewrite::removed_classifiers)
      .def_readonly("changed_members", &WheelRewrite::changed_members)
      .def_readonly("copied_members", &WheelRewrite::copied_members)
      .def_readonly("size", &WheelRewrite::size)
      .def_readonly("sha256", &WheelRewrite::sha256)
      .def_readonly("unchanged", &WheelRewrite::unchanged)
      .def("__repr__", [](const WheelRewrite& r) {
        return absl::StrCat(
            "<WheelRewrite(", PyRepr(r.file_name), ", ",
            r.old_version.ToString(), " -> ", r.new_version.ToString(),
            r.unchanged ? ", unchanged" : "",
            r.removed_classifiers.empty()
                ? ""
                : absl::StrCat(", ", r.removed_classifiers.size(),
                               " classifiers removed"),
            ")>");
      });

  m.def("read_wheel", &Read, py::arg("path"),
        "Reads a wheel's name, METADATA and RECORD (not its other members).");
  m.def("verify_wheel_record", &Verify, py::arg("path"),
        "Checks every member of a wheel against its RECORD (streamed).");
  m.def("rewrite_wheel", &Rewrite, py::arg("path"), py::arg("out_dir"),
        py::arg("remove_classifiers") = std::vector<std::string>{},
        "Rewrites a wheel for PyPI into out_dir: strips the local version "
        "label, renames the .dist-info, drops classifiers, regenerates "
        "RECORD.");
}

}  // namespace relkit::python
