#include "relkit/schedule.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "internal/embedded.h"
#include "internal/json.h"
#include "internal/markdown.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"
#include "relkit/version.h"

namespace relkit {

using internal::SplitMarkdownRow;
namespace {

constexpr std::array<absl::string_view, 12> kMonthNames = {
    "Jan", "Feb", "Mar",  "Apr", "May", "Jun",
    "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"};
constexpr std::array<absl::string_view, 12> kLongMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

int MonthNumber(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  for (int i = 0; i < 12; ++i) {
    if (lower == kLongMonthNames[i] ||
        lower == kLongMonthNames[i].substr(0, 3) ||
        (i == 8 && lower == "sept")) {
      return i + 1;
    }
  }
  return 0;
}

absl::StatusOr<Version> MinorVersion(absl::string_view minor) {
  return Version::Parse(minor);
}

bool VersionLess(const std::string& a, const std::string& b) {
  absl::StatusOr<Version> va = MinorVersion(a), vb = MinorVersion(b);
  if (va.ok() && vb.ok()) return *va < *vb;
  return a < b;
}

// The planned events of one row.
std::vector<ScheduleEvent> RowEvents(const ScheduleRow& row) {
  std::vector<ScheduleEvent> out;
  const std::pair<EventKind, const ScheduleDate*> dates[] = {
      {EventKind::kBranchCut, &row.branch_cut},
      {EventKind::kRelease, &row.release},
      {EventKind::kFirstPatch, &row.first_patch},
      {EventKind::kSecondPatch, &row.second_patch}};
  for (const auto& [kind, date] : dates) {
    if (date->planned()) out.push_back({row.minor, kind, *date});
  }
  return out;
}

// RFC 5545 TEXT escaping. A line break (LF, CRLF or a lone CR) becomes "\n";
// other control characters are not allowed in TEXT (3.3.11) and are dropped,
// so a name such as "x\ry" cannot break a content line (found by
// fuzz/schedule_fuzz.cc).
std::string IcsEscape(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' || c == ';' || c == ',') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\\n";
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') ||
               c == 0x7f) {
      continue;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Appends `line` folded at 75 octets (RFC 5545 3.1), never splitting a UTF-8
// sequence, with CRLF line ends.
void AppendFolded(std::string& out, absl::string_view line) {
  size_t limit = 75;
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
      --cut;
    // A whole line of continuation bytes is not UTF-8 (a project name given
    // as arbitrary bytes): there is no sequence to keep whole, so cut at the
    // limit rather than loop forever on an empty piece.
    if (cut == 0) cut = limit;
    absl::StrAppend(&out, line.substr(0, cut), "\r\n ");
    line.remove_prefix(cut);
    limit = 74;  // the leading space of a continuation line counts
  }
  absl::StrAppend(&out, line, "\r\n");
}

std::string IcsDate(absl::CivilDay d) {
  return absl::StrFormat("%04d%02d%02d", d.year(), d.month(), d.day());
}

std::string Slug(absl::string_view text) {
  std::string out;
  for (char c : text) {
    out.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c))
                      ? absl::ascii_tolower(static_cast<unsigned char>(c))
                      : '-');
  }
  return out;
}

}  // namespace

absl::string_view DateStatusName(DateStatus status) {
  switch (status) {
    case DateStatus::kFirm:
      return "firm";
    case DateStatus::kTentative:
      return "tentative";
    case DateStatus::kNotPlanned:
      break;
  }
  return "not planned";
}

absl::string_view ReleasePhaseName(ReleasePhase phase) {
  switch (phase) {
    case ReleasePhase::kInDevelopment:
      return "in development";
    case ReleasePhase::kBranchCut:
      return "branch cut";
    case ReleasePhase::kPatchWindow:
      return "patch window";
    case ReleasePhase::kReleased:
      return "released";
    case ReleasePhase::kOutOfSupport:
      break;
  }
  return "out of support";
}

absl::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kBranchCut:
      return "branch cut";
    case EventKind::kRelease:
      return "release";
    case EventKind::kFirstPatch:
      return "first patch";
    case EventKind::kSecondPatch:
      break;
  }
  return "second patch";
}

std::string ScheduleEvent::Title() const {
  switch (kind) {
    case EventKind::kBranchCut:
      return absl::StrCat(minor, " branch cut");
    case EventKind::kRelease:
      return absl::StrCat(minor, " release");
    case EventKind::kFirstPatch:
      return absl::StrCat(minor, ".1 patch release");
    case EventKind::kSecondPatch:
      break;
  }
  return absl::StrCat(minor, ".2 patch release");
}

absl::StatusOr<ScheduleDate> ScheduleDate::Parse(absl::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid schedule date \"", text, "\": ", why,
        " (expected \"Aug 2023\", \"16 Feb 2026\", \"(Oct 2026)\" or \"Not "
        "planned\")"));
  };
  if (absl::EqualsIgnoreCase(s, "Not planned")) return NotPlanned();
  DateStatus status = DateStatus::kFirm;
  if (absl::ConsumePrefix(&s, "(")) {
    if (!absl::ConsumeSuffix(&s, ")")) return error("unbalanced parenthesis");
    status = DateStatus::kTentative;
    s = absl::StripAsciiWhitespace(s);
  }
  std::vector<absl::string_view> parts =
      absl::StrSplit(s, ' ', absl::SkipEmpty());
  if (parts.size() != 2 && parts.size() != 3)
    return error("expected [DAY] MONTH YEAR");
  int day = 0, year = 0;
  const bool with_day = parts.size() == 3;
  const int month = MonthNumber(parts[with_day ? 1 : 0]);
  if (month == 0) return error("unknown month");
  if (!absl::SimpleAtoi(parts.back(), &year) || year < 1970 || year > 9999) {
    return error("bad year");
  }
  if (with_day) {
    if (!absl::SimpleAtoi(parts[0], &day) || day < 1 || day > 31) {
      return error("bad day");
    }
    const absl::CivilDay d(year, month, day);
    if (d.day() != day) return error("no such day");
    return Day(d, status);
  }
  return Month(absl::CivilMonth(year, month), status);
}

ScheduleDate ScheduleDate::Month(absl::CivilMonth month, DateStatus status) {
  ScheduleDate d;
  d.status_ = status;
  d.has_day_ = false;
  d.start_ = absl::CivilDay(month);
  return d;
}

ScheduleDate ScheduleDate::Day(absl::CivilDay day, DateStatus status) {
  ScheduleDate d;
  d.status_ = status;
  d.has_day_ = true;
  d.start_ = day;
  return d;
}

absl::CivilDay ScheduleDate::end() const {
  if (has_day_) return start_;
  return absl::CivilDay(absl::CivilMonth(start_) + 1) - 1;
}

std::string ScheduleDate::ToString() const {
  if (!planned()) return "Not planned";
  std::string s =
      absl::StrCat(kMonthNames[start_.month() - 1], " ", start_.year());
  if (has_day_) s = absl::StrCat(start_.day(), " ", s);
  return tentative() ? absl::StrCat("(", s, ")") : s;
}

absl::StatusOr<ReleaseSchedule> ReleaseSchedule::Default() {
  return FromMarkdown(internal::EmbeddedReleaseMdTables(),
                      "<embedded release_md_tables.md>");
}

absl::StatusOr<ReleaseSchedule> ReleaseSchedule::FromMarkdown(
    absl::string_view text, absl::string_view source) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (absl::string_view& l : lines) absl::ConsumeSuffix(&l, "\r");
  auto is_table = [](absl::string_view l) {
    return l.find('|') != absl::string_view::npos &&
           !absl::StripAsciiWhitespace(l).empty();
  };
  size_t header = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!is_table(lines[i])) continue;
    std::vector<std::string> cells = SplitMarkdownRow(lines[i]);
    if (!cells.empty() && absl::EqualsIgnoreCase(cells[0], "Minor Version")) {
      header = i;
      break;
    }
  }
  if (header == lines.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": no release cadence table (a header row starting with "
                     "\"Minor Version\")"));
  }
  const size_t columns = SplitMarkdownRow(lines[header]).size();
  if (columns != 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", header + 1,
        ": expected 5 columns in the cadence header, got ", columns));
  }
  bool separator = header + 1 < lines.size() && is_table(lines[header + 1]);
  if (separator) {
    for (const std::string& c : SplitMarkdownRow(lines[header + 1])) {
      separator = separator && c.size() >= 3 &&
                  c.find_first_not_of("-:") == std::string::npos;
    }
  }
  if (!separator) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", header + 2,
        ": expected a separator row (---) after the table header"));
  }
  std::vector<ScheduleRow> rows;
  for (size_t i = header + 2; i < lines.size() && is_table(lines[i]); ++i) {
    const std::string where = absl::StrCat(source, ":", i + 1);
    std::vector<std::string> cells = SplitMarkdownRow(lines[i]);
    if (cells.size() != 5) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": expected 5 cells, got ", cells.size()));
    }
    ScheduleRow row;
    row.minor = cells[0];
    ScheduleDate* slots[] = {&row.branch_cut, &row.release, &row.first_patch,
                             &row.second_patch};
    for (int c = 0; c < 4; ++c) {
      absl::StatusOr<ScheduleDate> d = ScheduleDate::Parse(cells[c + 1]);
      if (!d.ok())
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": ", d.status().message()));
      *slots[c] = *d;
    }
    rows.push_back(std::move(row));
    absl::StatusOr<ReleaseSchedule> check = FromRows(rows);
    if (!check.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", check.status().message()));
    }
  }
  return FromRows(std::move(rows));
}

absl::StatusOr<ReleaseSchedule> ReleaseSchedule::FromJson(
    absl::string_view text, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(text, source));
  internal::JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* releases,
                          r.Member(doc, "releases", "$"));
  if (!releases->IsArray())
    return r.Error("$.releases", "expected an array of objects");
  std::vector<ScheduleRow> rows;
  static const char* const kKeys[] = {"branch_cut", "release", "first_patch",
                                      "second_patch"};
  for (rapidjson::SizeType i = 0; i < releases->Size(); ++i) {
    const std::string path = absl::StrCat("$.releases[", i, "]");
    const rapidjson::Value& v = (*releases)[i];
    ScheduleRow row;
    RELKIT_ASSIGN_OR_RETURN(row.minor, r.String(v, "minor", path));
    ScheduleDate* slots[] = {&row.branch_cut, &row.release, &row.first_patch,
                             &row.second_patch};
    for (int c = 0; c < 4; ++c) {
      RELKIT_ASSIGN_OR_RETURN(std::string s, r.String(v, kKeys[c], path));
      absl::StatusOr<ScheduleDate> d = ScheduleDate::Parse(s);
      if (!d.ok())
        return r.Error(absl::StrCat(path, ".", kKeys[c]), d.status().message());
      *slots[c] = *d;
    }
    rows.push_back(std::move(row));
  }
  absl::StatusOr<ReleaseSchedule> s = FromRows(std::move(rows));
  if (!s.ok()) return r.Error("$.releases", s.status().message());
  return s;
}

absl::StatusOr<ReleaseSchedule> ReleaseSchedule::FromRows(
    std::vector<ScheduleRow> rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    // The version parser strips what Python's str.strip() strips, control
    // characters U+001C..U+001F included; a minor that holds one would be
    // written escaped and no longer read back, so it is refused here.
    if (TextEscape(rows[i].minor) != rows[i].minor) {
      return absl::InvalidArgumentError(absl::StrCat("invalid minor version \"",
                                                     TextEscape(rows[i].minor),
                                                     "\": control characters"));
    }
    absl::StatusOr<Version> v = MinorVersion(rows[i].minor);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid minor version \"", rows[i].minor, "\""));
    }
    if (!rows[i].branch_cut.planned() || !rows[i].release.planned()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "release ", rows[i].minor, " needs a branch cut and a release date"));
    }
    // Rows are minors: "2.4", "2.04" and "2.4.1" are the same row for Find.
    for (size_t j = 0; j < i; ++j) {
      const Version w = *MinorVersion(rows[j].minor);
      if (w.major() == v->major() && w.minor() == v->minor()) {
        return absl::InvalidArgumentError(
            absl::StrCat("release ", rows[i].minor, " is listed twice"));
      }
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ScheduleRow& a, const ScheduleRow& b) {
                     return VersionLess(a.minor, b.minor);
                   });
  return ReleaseSchedule(std::move(rows));
}

const ScheduleRow* ReleaseSchedule::Find(absl::string_view minor) const {
  absl::StatusOr<Version> v = Version::Parse(minor);
  if (!v.ok()) return nullptr;
  for (const ScheduleRow& row : rows_) {
    absl::StatusOr<Version> rv = MinorVersion(row.minor);
    if (rv.ok() && rv->major() == v->major() && rv->minor() == v->minor())
      return &row;
  }
  return nullptr;
}

absl::StatusOr<ReleasePhase> ReleaseSchedule::PhaseOn(
    absl::string_view minor, absl::CivilDay day) const {
  const ScheduleRow* row = Find(minor);
  if (row == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "release \"", minor, "\" not found in the release schedule"));
  }
  if (day < row->branch_cut.start()) return ReleasePhase::kInDevelopment;
  if (day < row->release.start()) return ReleasePhase::kBranchCut;
  // rows_ is in version order: any later row released by `day` ends support.
  for (const ScheduleRow* later = row + 1; later != rows_.data() + rows_.size();
       ++later) {
    if (later->release.start() <= day) return ReleasePhase::kOutOfSupport;
  }
  for (const ScheduleDate* patch : {&row->first_patch, &row->second_patch}) {
    if (patch->planned() && patch->start() >= day)
      return ReleasePhase::kPatchWindow;
  }
  return ReleasePhase::kReleased;
}

std::vector<std::pair<std::string, ReleasePhase>> ReleaseSchedule::PhasesOn(
    absl::CivilDay day) const {
  std::vector<std::pair<std::string, ReleasePhase>> out;
  for (const ScheduleRow& row : rows_)
    out.emplace_back(row.minor, *PhaseOn(row.minor, day));
  return out;
}

std::vector<ScheduleEvent> ReleaseSchedule::EventsAfter(absl::CivilDay day,
                                                        size_t limit) const {
  std::vector<ScheduleEvent> out;
  for (const ScheduleRow& row : rows_) {
    for (ScheduleEvent& e : RowEvents(row)) {
      if (e.date.start() > day) out.push_back(std::move(e));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ScheduleEvent& a, const ScheduleEvent& b) {
                     return a.date.start() < b.date.start();
                   });
  if (limit > 0 && out.size() > limit) out.resize(limit);
  return out;
}

absl::StatusOr<std::string> ReleaseSchedule::ReleaseForWorkOn(
    absl::CivilDay day) const {
  for (const ScheduleRow& row : rows_) {
    if (row.branch_cut.start() > day) return row.minor;
  }
  return absl::NotFoundError(
      absl::StrCat("no release in the schedule has its branch cut after ",
                   absl::FormatCivilTime(day)));
}

std::vector<PolicyViolation> ReleaseSchedule::CheckPolicy(
    const PatchPolicy& policy) const {
  std::vector<PolicyViolation> out;
  absl::StatusOr<Version> first = Version::Parse(policy.first_minor);
  for (size_t i = 0; i < rows_.size(); ++i) {
    const ScheduleRow& row = rows_[i];
    if (first.ok() && *MinorVersion(row.minor) < *first) continue;
    int planned = 0;
    for (const ScheduleDate* patch : {&row.first_patch, &row.second_patch}) {
      if (!patch->planned()) continue;
      ++planned;
      if (patch->start() < row.release.start()) {
        out.push_back(
            {row.minor,
             absl::StrCat("patch release ", patch->ToString(),
                          " is before the release ", row.release.ToString())});
      }
      if (policy.latest_minor_only && i + 1 < rows_.size() &&
          patch->start() >= rows_[i + 1].release.start()) {
        out.push_back(
            {row.minor,
             absl::StrCat("patch release ", patch->ToString(),
                          " is not before the release of ", rows_[i + 1].minor,
                          " (", rows_[i + 1].release.ToString(),
                          "): patches are only for the latest minor")});
      }
    }
    if (planned > policy.max_patch_releases) {
      out.push_back(
          {row.minor, absl::StrCat(planned, " patch releases planned, at most ",
                                   policy.max_patch_releases, " allowed")});
    }
  }
  return out;
}

std::string ReleaseSchedule::ToMarkdown() const {
  std::string out =
      "| Minor Version | Release branch cut | Release date | First patch "
      "release "
      "date | Second patch release date |\n| --- | --- | --- | --- | --- |\n";
  for (const ScheduleRow& r : rows_) {
    absl::StrAppend(&out, "| ", internal::MarkdownCell(r.minor), " | ",
                    r.branch_cut.ToString(), " | ", r.release.ToString(), " | ",
                    r.first_patch.ToString(), " | ", r.second_patch.ToString(),
                    " |\n");
  }
  return out;
}

std::string ReleaseSchedule::ToJson(bool pretty) const {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  rapidjson::Value releases(rapidjson::kArrayType);
  auto str = [&](const std::string& s) {
    return rapidjson::Value(s.c_str(), a);
  };
  for (const ScheduleRow& r : rows_) {
    rapidjson::Value row(rapidjson::kObjectType);
    row.AddMember("minor", str(r.minor), a);
    row.AddMember("branch_cut", str(r.branch_cut.ToString()), a);
    row.AddMember("release", str(r.release.ToString()), a);
    row.AddMember("first_patch", str(r.first_patch.ToString()), a);
    row.AddMember("second_patch", str(r.second_patch.ToString()), a);
    releases.PushBack(row, a);
  }
  doc.AddMember("releases", releases, a);
  return internal::WriteJson(doc, pretty);
}

std::string ReleaseSchedule::ToIcs(const IcsOptions& options) const {
  std::string out;
  AppendFolded(out, "BEGIN:VCALENDAR");
  AppendFolded(out, "VERSION:2.0");
  AppendFolded(out,
               absl::StrCat("PRODID:-//relkit//", IcsEscape(options.project),
                            " release schedule//EN"));
  AppendFolded(out, "CALSCALE:GREGORIAN");
  AppendFolded(out, absl::StrCat("X-WR-CALNAME:", IcsEscape(options.project),
                                 " release schedule"));
  const std::string stamp =
      absl::FormatTime("%Y%m%dT%H%M%SZ", options.dtstamp, absl::UTCTimeZone());
  for (const ScheduleRow& row : rows_) {
    for (const ScheduleEvent& e : RowEvents(row)) {
      const absl::CivilDay end = e.date.end() + 1;  // DTEND is exclusive
      AppendFolded(out, "BEGIN:VEVENT");
      AppendFolded(
          out,
          // The minor is the table's text: escaped like any TEXT, so a line
          // break in it cannot end the content line (fuzz/schedule_fuzz.cc).
          absl::StrCat("UID:", Slug(options.project), "-", IcsEscape(row.minor),
                       "-", Slug(EventKindName(e.kind)), "@",
                       options.uid_domain));
      AppendFolded(out, absl::StrCat("DTSTAMP:", stamp));
      AppendFolded(
          out, absl::StrCat("DTSTART;VALUE=DATE:", IcsDate(e.date.start())));
      AppendFolded(out, absl::StrCat("DTEND;VALUE=DATE:", IcsDate(end)));
      AppendFolded(
          out, absl::StrCat("SUMMARY:",
                            IcsEscape(absl::StrCat(
                                options.project, " ", e.Title(),
                                e.date.tentative() ? " (tentative)" : ""))));
      AppendFolded(
          out,
          absl::StrCat(
              "DESCRIPTION:",
              IcsEscape(absl::StrCat(
                  options.project, " ", e.Title(), ", scheduled for ",
                  e.date.ToString(),
                  e.date.has_day() ? "."
                                   : ". Only the month is fixed, so the event "
                                     "spans the whole month.",
                  e.date.tentative() ? " The date is tentative." : ""))));
      AppendFolded(
          out, absl::StrCat("STATUS:",
                            e.date.tentative() ? "TENTATIVE" : "CONFIRMED"));
      AppendFolded(out, "TRANSP:TRANSPARENT");
      AppendFolded(out, "END:VEVENT");
    }
  }
  AppendFolded(out, "END:VCALENDAR");
  return out;
}

}  // namespace relkit
