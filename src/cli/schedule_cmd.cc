// `relkit schedule`: the release cadence from the command line.

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "cli/schedule_source.h"
#include "relkit/files.h"
#include "relkit/schedule.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

struct ScheduleArgs {
  std::string on;
  std::string schedule;
  size_t next = 5;
  bool json = false;
  bool ics = false;
};

absl::StatusOr<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid date \"", text, "\" for --on: expected YYYY-MM-DD"));
  }
  return day;
}

int Run(const ScheduleArgs& args) {
  absl::StatusOr<ReleaseSchedule> s = LoadSchedule(args.schedule);
  if (!s.ok()) return ReportError(s.status());
  if (args.ics) {
    std::cout << s->ToIcs({.dtstamp = absl::Now()});
    return kExitOk;
  }
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  if (!args.on.empty()) {
    absl::StatusOr<absl::CivilDay> parsed = ParseDay(args.on);
    if (!parsed.ok()) return ReportError(parsed.status());
    day = *parsed;
  }
  const std::vector<ScheduleEvent> next = s->EventsAfter(day, args.next);
  absl::StatusOr<std::string> lands = s->ReleaseForWorkOn(day);
  const std::string on = absl::FormatCivilTime(day);
  if (args.json) {
    JsonOut out;
    out.w().StartObject();
    out.Field("on", on);
    out.Key("releases");
    out.w().StartArray();
    for (const ScheduleRow& row : s->rows()) {
      out.w().StartObject();
      out.Field("minor", row.minor);
      out.Field("branch_cut", row.branch_cut.ToString());
      out.Field("release", row.release.ToString());
      out.Field("first_patch", row.first_patch.ToString());
      out.Field("second_patch", row.second_patch.ToString());
      out.Field("phase", ReleasePhaseName(*s->PhaseOn(row.minor, day)));
      out.w().EndObject();
    }
    out.w().EndArray();
    out.Key("next_events");
    out.w().StartArray();
    for (const ScheduleEvent& e : next) {
      out.w().StartObject();
      out.Field("minor", e.minor);
      out.Field("event", EventKindName(e.kind));
      out.Field("title", e.Title());
      out.Field("date", e.date.ToString());
      out.Field("start", absl::FormatCivilTime(e.date.start()));
      out.Field("tentative", e.date.tentative());
      out.w().EndObject();
    }
    out.w().EndArray();
    if (lands.ok())
      out.Field("work_lands_in", *lands);
    else
      out.NullField("work_lands_in");
    out.w().EndObject();
    out.Print();
    return kExitOk;
  }
  std::cout << "Release schedule on " << on << "\n";
  std::cout << absl::StrFormat("%-6s %-13s %-13s %-13s %-13s %s\n", "minor",
                               "branch cut", "release", "1st patch",
                               "2nd patch", "phase");
  for (const ScheduleRow& row : s->rows()) {
    std::cout << absl::StrFormat(
        "%-6s %-13s %-13s %-13s %-13s %s\n", TextEscape(row.minor),
        row.branch_cut.ToString(), row.release.ToString(),
        row.first_patch.ToString(), row.second_patch.ToString(),
        ReleasePhaseName(*s->PhaseOn(row.minor, day)));
  }
  std::cout << "\nNext events:\n";
  if (next.empty()) std::cout << "  (none scheduled)\n";
  for (const ScheduleEvent& e : next) {
    std::cout << "  " << e.date.ToString() << "  " << TextEscape(e.Title())
              << (e.date.tentative() ? " (tentative)" : "") << "\n";
  }
  std::cout << "\nWork merged to main on " << on << " lands in: "
            << (lands.ok() ? TextEscape(*lands)
                           : std::string("(beyond the schedule)"))
            << "\n";
  return kExitOk;
}

}  // namespace

void RegisterScheduleCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ScheduleArgs>();
  CLI::App* cmd = app.add_subcommand(
      "schedule",
      "Release cadence: phase of each release on a date, next events, .ics");
  cmd->add_option("--on", args->on,
                  "The date to look at, YYYY-MM-DD (default: today, UTC)");
  cmd->add_option(
      "--schedule", args->schedule,
      "Use this schedule instead of the built-in one (JSON, or a RELEASE.md)");
  cmd->add_option("--next", args->next,
                  "How many upcoming events to list (default 5)");
  auto* json = cmd->add_flag("--json", args->json, "Print JSON");
  auto* ics = cmd->add_flag("--ics", args->ics,
                            "Print an iCalendar (.ics) file of all dates");
  json->excludes(ics);
  cmd->callback([args, &ctx] { ctx.exit_code = Run(*args); });
}

}  // namespace relkit::cli
