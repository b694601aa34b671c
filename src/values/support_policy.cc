#include "relkit/support_policy.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "internal/embedded.h"
#include "internal/json.h"
#include "relkit/specifier.h"
#include "relkit/status.h"
#include "relkit/version.h"

namespace relkit {
namespace {

// Parses "YYYY-MM-DD", or "YYYY-MM" (then `month_only` is set and the day is
// the month's last).
bool ParseDate(absl::string_view text, absl::CivilDay& day, bool& month_only) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  int y = 0, m = 0, d = 0;
  if (parts.size() < 2 || parts.size() > 3 || parts[0].size() != 4 ||
      parts[1].size() != 2 || !absl::SimpleAtoi(parts[0], &y) ||
      !absl::SimpleAtoi(parts[1], &m) || m < 1 || m > 12) {
    return false;
  }
  month_only = parts.size() == 2;
  if (month_only) {
    day = absl::CivilDay(absl::CivilMonth(y, m) + 1) - 1;
    return true;
  }
  if (parts[2].size() != 2 || !absl::SimpleAtoi(parts[2], &d)) return false;
  day = absl::CivilDay(y, m, d);
  return day.day() == d && day.month() == m;
}

// True for "12.6", "7.14", "3.13": numbers separated by single dots, as the
// tables spell versions. Version::Parse alone would also take " 12.6",
// "v12.6" or "12.6rc1", spellings that a compatibility matrix row rejects, so
// a proposed row made of them would not load back (found by
// fuzz/support_policy_fuzz.cc).
bool IsDottedNumber(absl::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.' ||
      absl::StrContains(text, "..")) {
    return false;
  }
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == '.' || absl::ascii_isdigit(c); });
}

absl::StatusOr<Version> ParseOrError(const std::string& text,
                                     absl::string_view what) {
  absl::StatusOr<Version> v = Version::Parse(text);
  if (!v.ok() || !IsDottedNumber(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ", what, " version \"", text,
                     "\" (expected numbers and dots such as \"12.6\")"));
  }
  return v;
}

bool SameMinor(const Version& a, const Version& b) {
  return a.major() == b.major() && a.minor() == b.minor();
}

}  // namespace

std::string CPythonVersion::ToString() const {
  const std::string eol =
      eol_month_only ? absl::FormatCivilTime(absl::CivilMonth(end_of_life))
                     : absl::FormatCivilTime(end_of_life);
  return absl::StrCat(version, " (released ", absl::FormatCivilTime(released),
                      ", end of life ", eol, ")");
}

absl::string_view DeviationKindName(Deviation::Kind kind) {
  switch (kind) {
    case Deviation::Kind::kEndOfLifePython:
      return "end-of-life python";
    case Deviation::Kind::kMissingPython:
      return "missing python";
    case Deviation::Kind::kExperimentalPython:
      return "experimental python";
    case Deviation::Kind::kMissingAccelerator:
      return "missing accelerator";
    case Deviation::Kind::kOldAccelerator:
      break;
  }
  return "old accelerator";
}

absl::StatusOr<std::vector<std::string>> LatestMinorVersions(
    const std::vector<std::string>& available, size_t n) {
  std::vector<std::pair<Version, std::string>> versions;
  for (const std::string& s : available) {
    RELKIT_ASSIGN_OR_RETURN(Version v, ParseOrError(s, "accelerator"));
    versions.emplace_back(std::move(v), s);
  }
  std::sort(versions.begin(), versions.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::pair<Version, std::string>> picked;  // newest first
  for (auto& [v, s] : versions) {
    if (picked.size() == n) break;
    if (!picked.empty() && SameMinor(picked.back().first, v)) continue;
    picked.emplace_back(v, s);
  }
  std::vector<std::string> out;
  for (auto it = picked.rbegin(); it != picked.rend(); ++it)
    out.push_back(it->second);
  return out;
}

absl::StatusOr<SupportPolicy> SupportPolicy::Default() {
  return FromJson(internal::EmbeddedSupportPolicyJson(),
                  "<embedded support_policy.json>");
}

absl::StatusOr<SupportPolicy> SupportPolicy::FromJson(
    absl::string_view text, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(text, source));
  internal::JsonReader r(source);
  SupportPolicy policy;
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* cpython,
                          r.Member(doc, "cpython", "$"));
  if (!cpython->IsArray())
    return r.Error("$.cpython", "expected an array of objects");
  for (rapidjson::SizeType i = 0; i < cpython->Size(); ++i) {
    const std::string path = absl::StrCat("$.cpython[", i, "]");
    const rapidjson::Value& v = (*cpython)[i];
    CPythonVersion p;
    RELKIT_ASSIGN_OR_RETURN(p.version, r.String(v, "version", path));
    absl::string_view base = p.version;
    p.free_threaded = absl::ConsumeSuffix(&base, "t");
    absl::StatusOr<Version> parsed = Version::Parse(base);
    if (!parsed.ok() || parsed->release().size() != 2 ||
        !IsDottedNumber(base)) {
      return r.Error(absl::StrCat(path, ".version"),
                     "expected MAJOR.MINOR with an optional \"t\" (\"3.14t\")");
    }
    RELKIT_ASSIGN_OR_RETURN(std::string released,
                            r.String(v, "released", path));
    bool month_only = false;
    if (!ParseDate(released, p.released, month_only) || month_only) {
      return r.Error(absl::StrCat(path, ".released"),
                     "expected a date YYYY-MM-DD");
    }
    RELKIT_ASSIGN_OR_RETURN(std::string eol, r.String(v, "end_of_life", path));
    if (!ParseDate(eol, p.end_of_life, p.eol_month_only)) {
      return r.Error(absl::StrCat(path, ".end_of_life"),
                     "expected a date YYYY-MM-DD or a month YYYY-MM");
    }
    policy.cpython_.push_back(std::move(p));
  }
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* os,
                          r.Member(doc, "operating_systems", "$"));
  if (!os->IsArray())
    return r.Error("$.operating_systems", "expected an array of objects");
  for (rapidjson::SizeType i = 0; i < os->Size(); ++i) {
    const std::string path = absl::StrCat("$.operating_systems[", i, "]");
    const rapidjson::Value& v = (*os)[i];
    OsSupport o;
    RELKIT_ASSIGN_OR_RETURN(o.family, r.String(v, "family", path));
    RELKIT_ASSIGN_OR_RETURN(o.arch, r.String(v, "arch", path));
    RELKIT_ASSIGN_OR_RETURN(o.minimum, r.String(v, "minimum", path));
    RELKIT_ASSIGN_OR_RETURN(o.notes, r.String(v, "notes", path));
    RELKIT_ASSIGN_OR_RETURN(o.last_release,
                            r.OptionalString(v, "last_release", path));
    if (o.last_release && !Version::Parse(*o.last_release).ok()) {
      return r.Error(absl::StrCat(path, ".last_release"),
                     "expected a release such as \"2.2\"");
    }
    policy.os_.push_back(std::move(o));
  }
  return policy;
}

std::vector<CPythonVersion> SupportPolicy::SupportedPythons(
    absl::CivilDay day) const {
  std::vector<CPythonVersion> out;
  for (const CPythonVersion& p : cpython_) {
    if (p.released <= day && day <= p.end_of_life) out.push_back(p);
  }
  return out;
}

std::vector<OsSupport> SupportPolicy::OperatingSystemsFor(
    absl::string_view release) const {
  std::vector<OsSupport> out;
  absl::StatusOr<Version> r = Version::Parse(release);
  for (const OsSupport& o : os_) {
    if (r.ok() && o.last_release) {
      absl::StatusOr<Version> last = Version::Parse(*o.last_release);
      // Compare minors: "2.2.1" is still 2.2.
      if (last.ok() &&
          (r->major() > last->major() ||
           (r->major() == last->major() && r->minor() > last->minor()))) {
        continue;
      }
    }
    out.push_back(o);
  }
  return out;
}

MatrixRow SupportPolicy::ProposeMatrixRow(
    absl::string_view release, absl::CivilDay day,
    const SupportPolicyOptions& options) const {
  MatrixRow row;
  row.release = std::string(release);
  row.cudnn_notation = CudnnNotation::kPerEntry;
  const absl::CivilDay established = day - options.new_python_experimental_days;
  const absl::CivilDay horizon = day + options.prerelease_lead_days;
  std::vector<std::string> stable;
  const CPythonVersion* newest_ft = nullptr;
  for (const CPythonVersion& p : cpython_) {
    if (p.end_of_life < day || p.released > horizon) continue;
    if (p.free_threaded) {
      if (newest_ft == nullptr || p.released > newest_ft->released)
        newest_ft = &p;
      continue;
    }
    if (p.released <= established) {
      stable.push_back(p.version);
    } else {
      row.experimental_python.push_back(p.version);
    }
  }
  if (newest_ft != nullptr)
    row.experimental_python.push_back(newest_ft->version);
  if (!stable.empty()) {
    // Table order is version order; the range is min..max.
    absl::StatusOr<SpecifierSet> set = SpecifierSet::Parse(
        absl::StrCat(">=", stable.front(), ", <=", stable.back()));
    if (set.ok()) row.python = *std::move(set);
  }
  absl::StatusOr<std::vector<std::string>> cuda =
      LatestMinorVersions(options.available_cuda, options.accelerator_minors);
  if (cuda.ok()) {
    for (const std::string& c : *cuda) {
      CudaEntry entry;
      entry.version = c;
      row.stable_cuda.push_back(std::move(entry));
    }
  }
  absl::StatusOr<std::vector<std::string>> rocm =
      LatestMinorVersions(options.available_rocm, options.accelerator_minors);
  if (rocm.ok()) row.stable_rocm = *rocm;
  return row;
}

std::vector<Deviation> SupportPolicy::CheckMatrixRow(
    const MatrixRow& row, absl::CivilDay day,
    const SupportPolicyOptions& options) const {
  std::vector<Deviation> out;
  const absl::CivilDay established = day - options.new_python_experimental_days;
  for (const CPythonVersion& p : cpython_) {
    absl::StatusOr<SupportStatus> status = row.PythonStatus(p.version);
    if (!status.ok()) continue;
    const std::string subject = absl::StrCat("Python ", p.version);
    if (p.end_of_life < day) {
      if (*status != SupportStatus::kUnsupported) {
        out.push_back({Deviation::Kind::kEndOfLifePython, subject,
                       absl::StrCat(row.release, " supports ", subject,
                                    ", end of life on ",
                                    absl::FormatCivilTime(p.end_of_life))});
      }
      continue;
    }
    // Free-threaded builds are optional (experimental at most) in the policy.
    if (p.free_threaded || p.released > established) continue;
    if (*status == SupportStatus::kUnsupported) {
      out.push_back(
          {Deviation::Kind::kMissingPython, subject,
           absl::StrCat(row.release, " does not support ", p.ToString(),
                        ", which is not end-of-life on ",
                        absl::FormatCivilTime(day))});
    } else if (*status == SupportStatus::kExperimental) {
      out.push_back(
          {Deviation::Kind::kExperimentalPython, subject,
           absl::StrCat(row.release, " supports ", subject,
                        " only experimentally although it was released on ",
                        absl::FormatCivilTime(p.released))});
    }
  }
  struct Accel {
    const char* name;
    const std::vector<std::string>* available;
  };
  for (const Accel& a : {Accel{"CUDA", &options.available_cuda},
                         Accel{"ROCm", &options.available_rocm}}) {
    if (a.available->empty()) continue;
    absl::StatusOr<std::vector<std::string>> latest =
        LatestMinorVersions(*a.available, options.accelerator_minors);
    if (!latest.ok()) continue;
    const bool cuda = absl::string_view(a.name) == "CUDA";
    auto supported = [&](const std::string& v) {
      absl::StatusOr<SupportStatus> s =
          cuda ? row.CudaStatus(v) : row.RocmStatus(v);
      return s.ok() && *s != SupportStatus::kUnsupported;
    };
    const std::string latest_text = absl::StrJoin(*latest, ", ");
    for (const std::string& v : *latest) {
      if (!supported(v)) {
        out.push_back(
            {Deviation::Kind::kMissingAccelerator, absl::StrCat(a.name, " ", v),
             absl::StrCat(row.release, " does not support ", a.name, " ", v,
                          ", one of the latest ", options.accelerator_minors,
                          " minor versions (", latest_text, ")")});
      }
    }
    std::vector<std::string> listed;
    if (cuda) {
      for (const CudaEntry& e : row.stable_cuda) listed.push_back(e.version);
    } else {
      listed = row.stable_rocm;
    }
    for (const std::string& v : listed) {
      absl::StatusOr<Version> pv = Version::Parse(v);
      bool recent = false;
      for (const std::string& l : *latest) {
        absl::StatusOr<Version> lv = Version::Parse(l);
        recent = recent || (pv.ok() && lv.ok() && SameMinor(*pv, *lv));
      }
      if (!recent) {
        out.push_back(
            {Deviation::Kind::kOldAccelerator, absl::StrCat(a.name, " ", v),
             absl::StrCat(row.release, " supports ", a.name, " ", v,
                          ", older than the latest ",
                          options.accelerator_minors, " minor versions (",
                          latest_text, "): a special case to justify")});
      }
    }
  }
  return out;
}

}  // namespace relkit
