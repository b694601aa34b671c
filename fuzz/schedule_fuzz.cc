// libFuzzer target for relkit/schedule.h: the cadence-table date parser
// (ScheduleDate::Parse), the RELEASE.md cadence table reader
// (ReleaseSchedule::FromMarkdown) and the JSON loader
// (ReleaseSchedule::FromJson). The whole input goes to each of them.
//
// Beyond "does not crash":
//   - a rejected input is InvalidArgument naming its source;
//   - an accepted date writes back (ToString) to text that parses to an equal
//     date, and end() is never before start();
//   - an accepted schedule writes Markdown and JSON that load back to an
//     equal schedule and write identically again;
//   - the queries hold their contracts (rows in version order, every row has
//     a phase, EventsAfter is after the day, sorted and limited,
//     ReleaseForWorkOn names a row whose cut is after the day);
//   - the iCalendar export is well formed: CRLF lines of at most 75 octets,
//     one VEVENT per planned date, 8-digit DTSTART/DTEND dates. Its project
//     name is the input's first line, so arbitrary bytes reach the folding.
// Violations abort, which libFuzzer reports as a crash with the input saved.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "relkit/schedule.h"

namespace {

size_t input_size = 0;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "schedule_fuzz: %s (input of %zu bytes)\n", what,
               input_size);
  std::abort();
}

void CheckError(const absl::Status& status, absl::string_view source) {
  Check(status.code() == absl::StatusCode::kInvalidArgument,
        "error is not InvalidArgument");
  Check(absl::StartsWith(status.message(), source),
        "error does not start with the source name");
}

void CheckDate(absl::string_view text) {
  absl::StatusOr<relkit::ScheduleDate> d = relkit::ScheduleDate::Parse(text);
  if (!d.ok()) {
    Check(d.status().code() == absl::StatusCode::kInvalidArgument,
          "date error is not InvalidArgument");
    return;
  }
  Check(!d->planned() || d->end() >= d->start(), "date ends before it starts");
  const std::string written = d->ToString();
  absl::StatusOr<relkit::ScheduleDate> again =
      relkit::ScheduleDate::Parse(written);
  Check(again.ok(), "written date does not parse");
  Check(*again == *d, "date changed in a text round trip");
  Check(again->ToString() == written, "date is written differently twice");
}

bool IsEightDigits(absl::string_view s) {
  if (s.size() != 8) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void CheckIcs(const relkit::ReleaseSchedule& s, absl::string_view project) {
  size_t planned = 0;
  for (const relkit::ScheduleRow& r : s.rows()) {
    for (const relkit::ScheduleDate* d :
         {&r.branch_cut, &r.release, &r.first_patch, &r.second_patch}) {
      planned += d->planned() ? 1 : 0;
    }
  }
  const std::string ics = s.ToIcs({.project = std::string(project)});
  Check(absl::EndsWith(ics, "END:VCALENDAR\r\n"), "calendar is not closed");
  size_t events = 0;
  std::vector<absl::string_view> lines = absl::StrSplit(ics, "\r\n");
  lines.pop_back();  // after the final CRLF
  for (absl::string_view line : lines) {
    Check(line.size() <= 75, "calendar line longer than 75 octets");
    Check(!absl::StrContains(line, '\n') && !absl::StrContains(line, '\r'),
          "bare line break inside a calendar line");
    if (line == "BEGIN:VEVENT") ++events;
    for (absl::string_view key : {"DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:"}) {
      if (absl::ConsumePrefix(&line, key)) {
        Check(IsEightDigits(line), "event date is not YYYYMMDD");
      }
    }
  }
  Check(events == planned, "not one event per planned date");
}

void CheckQueries(const relkit::ReleaseSchedule& s) {
  const std::vector<relkit::ScheduleRow>& rows = s.rows();
  if (rows.empty()) return;
  std::vector<absl::CivilDay> days = {rows.front().branch_cut.start() - 1};
  for (const relkit::ScheduleRow& r : rows) {
    Check(s.Find(r.minor) == &r, "Find does not return the row");
    for (const relkit::ScheduleDate* d :
         {&r.branch_cut, &r.release, &r.first_patch, &r.second_patch}) {
      if (d->planned()) days.push_back(d->start());
    }
  }
  for (absl::CivilDay day : days) {
    Check(s.PhasesOn(day).size() == rows.size(), "not one phase per row");
    const std::vector<relkit::ScheduleEvent> events = s.EventsAfter(day);
    for (size_t i = 0; i < events.size(); ++i) {
      Check(events[i].date.start() > day, "event not after the day");
      Check(i == 0 || events[i - 1].date.start() <= events[i].date.start(),
            "events out of date order");
    }
    Check(s.EventsAfter(day, 2).size() == std::min<size_t>(2, events.size()),
          "EventsAfter ignores its limit");
    absl::StatusOr<std::string> work = s.ReleaseForWorkOn(day);
    if (work.ok()) {
      const relkit::ScheduleRow* row = s.Find(*work);
      Check(row != nullptr && row->branch_cut.start() > day,
            "work lands in a release cut before the day");
    } else {
      Check(work.status().code() == absl::StatusCode::kNotFound,
            "ReleaseForWorkOn failed with an unexpected code");
    }
  }
  (void)s.CheckPolicy();
  (void)s.CheckPolicy({.first_minor = "0", .max_patch_releases = 0});
}

// Round trips through both written forms, then the queries.
void CheckSchedule(const relkit::ReleaseSchedule& s,
                   absl::string_view project) {
  const std::string md = s.ToMarkdown();
  absl::StatusOr<relkit::ReleaseSchedule> from_md =
      relkit::ReleaseSchedule::FromMarkdown(md, "again.md");
  Check(from_md.ok(), "written Markdown does not load");
  Check(*from_md == s, "schedule changed in a Markdown round trip");
  Check(from_md->ToMarkdown() == md, "Markdown is written differently twice");

  const std::string json = s.ToJson(input_size % 2 == 0);
  absl::StatusOr<relkit::ReleaseSchedule> from_json =
      relkit::ReleaseSchedule::FromJson(json, "again.json");
  Check(from_json.ok(), "written JSON does not load");
  Check(*from_json == s, "schedule changed in a JSON round trip");
  Check(from_json->ToJson(input_size % 2 == 0) == json,
        "JSON is written differently twice");

  CheckQueries(s);
  CheckIcs(s, project);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  input_size = size;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::string_view project = text.substr(0, text.find('\n'));

  CheckDate(text);

  absl::StatusOr<relkit::ReleaseSchedule> md =
      relkit::ReleaseSchedule::FromMarkdown(text, "fuzz.md");
  if (md.ok()) {
    CheckSchedule(*md, project);
  } else {
    CheckError(md.status(), "fuzz.md");
  }

  absl::StatusOr<relkit::ReleaseSchedule> json =
      relkit::ReleaseSchedule::FromJson(text, "fuzz.json");
  if (json.ok()) {
    CheckSchedule(*json, project);
  } else {
    CheckError(json.status(), "fuzz.json");
  }
  return 0;
}
