// File: convert.h
// -----------------------------------------------------------------------------
//
// The conversions between Python objects and relkit values that several
// bind_<domain>.cc files need, written once: dates and datetimes, shas,
// repository arguments and versions. Each is a few lines, so they are inline
// here rather than in a translation unit of their own (every pybind11
// translation unit costs a long compile).
//
//   absl::CivilDay day = FromDate(arg);   // TypeError unless a datetime.date
//   GitHubRepo repo = RepoArg(arg, "repo");
//   Version v = ToVersion(arg);           // a Version, or a str parsed

#ifndef RELKIT_PYTHON_BINDINGS_CONVERT_H_
#define RELKIT_PYTHON_BINDINGS_CONVERT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bindings.h"
#include "pybind11/pybind11.h"
#include "relkit/git_object.h"
#include "relkit/github_repo.h"
#include "relkit/version.h"

namespace relkit::python {

// Returns `day` as a datetime.date.
inline py::object ToDate(absl::CivilDay day) {
  return py::module_::import("datetime")
      .attr("date")(day.year(), day.month(), day.day());
}

// Returns the day of a datetime.date (a datetime.datetime is one too).
// Raises TypeError for anything else.
inline absl::CivilDay FromDate(py::handle date) {
  if (!py::isinstance(date, py::module_::import("datetime").attr("date"))) {
    throw py::type_error("expected a datetime.date");
  }
  return absl::CivilDay(date.attr("year").cast<int>(),
                        date.attr("month").cast<int>(),
                        date.attr("day").cast<int>());
}

// Returns `t` as a timezone-aware datetime.datetime in the time zone
// `utc_offset_minutes` east of UTC (datetime.timezone.utc for 0).
inline py::object ToDatetime(absl::Time t, int utc_offset_minutes = 0) {
  // Held for the life of the process (never released at exit, as pybind11
  // advises for module-level statics): tables of issues convert many times.
  static py::handle datetime = py::module_::import("datetime").release();
  py::object tz = utc_offset_minutes == 0
                      ? datetime.attr("timezone").attr("utc")
                      : datetime.attr("timezone")(datetime.attr("timedelta")(
                            py::arg("minutes") = utc_offset_minutes));
  const double seconds = absl::ToDoubleSeconds(t - absl::UnixEpoch());
  return datetime.attr("datetime").attr("fromtimestamp")(seconds, tz);
}

// Returns ToDatetime(*t) (UTC), or None.
inline py::object OptionalDatetime(const std::optional<absl::Time>& t) {
  if (!t) return py::none();
  return ToDatetime(*t);
}

// Returns the full hex shas of `ids`, in order.
inline std::vector<std::string> Shas(const std::vector<ObjectId>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const ObjectId& id : ids) out.push_back(id.ToString());
  return out;
}

// Returns the full hex sha of `id`, or nullopt (None).
inline std::optional<std::string> OptionalSha(
    const std::optional<ObjectId>& id) {
  if (!id) return std::nullopt;
  return id->ToString();
}

// Returns `repo` as a GitHubRepo: a GitHubRepo as is, an 'OWNER/NAME' str
// parsed (InvalidArgumentError when it is not one). Raises TypeError naming
// `parameter` for any other type.
inline GitHubRepo RepoArg(py::handle repo, const char* parameter) {
  if (py::isinstance<GitHubRepo>(repo)) return repo.cast<GitHubRepo>();
  if (py::isinstance<py::str>(repo)) {
    return ValueOrThrow(GitHubRepo::Parse(repo.cast<std::string>()));
  }
  throw py::type_error(
      absl::StrCat(parameter, " must be a GitHubRepo or an 'OWNER/NAME' str"));
}

// Returns `v` as a Version: a relkit.Version as is, a str parsed. Raises
// InvalidVersion when `v` is neither or the str is not a version.
inline Version ToVersion(py::handle v) {
  if (py::isinstance<Version>(v)) return v.cast<const Version&>();
  return ValueOrThrow(Version::Parse(StrView(v, ErrorDomain::kVersion)),
                      ErrorDomain::kVersion);
}

// Returns json.dumps(value, indent=2): the `to_json()` of plans whose
// `to_dict()` is built in the bindings.
inline py::object JsonDumps(const py::object& value) {
  return py::module_::import("json").attr("dumps")(value,
                                                   py::arg("indent") = 2);
}

}  // namespace relkit::python

#endif  // RELKIT_PYTHON_BINDINGS_CONVERT_H_
