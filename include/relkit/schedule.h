// File: relkit/schedule.h
// -----------------------------------------------------------------------------
//
// The release cadence of a PyTorch-like project: per minor release the month
// (or day) of the branch cut, the release, and the first and second patch
// releases, keeping the distinctions the RELEASE.md table makes between a firm
// date ("Oct 2023", "2 Sept 2026"), a tentative one ("(Oct 2026)") and "Not
// planned". Answers what phase each release is in on a date, what comes next,
// and which release work merged on a date lands in; exports an iCalendar file.
//
//   absl::StatusOr<relkit::ReleaseSchedule> s =
//       relkit::ReleaseSchedule::Default();           // 2.1 ... 2.16
//   s->PhaseOn("2.14", absl::CivilDay(2026, 8, 20));  // kBranchCut
//   s->EventsAfter(absl::CivilDay(2026, 8, 20));      // 2.14 release, ...
//   s->ReleaseForWorkOn(absl::CivilDay(2026, 8, 20)); // "2.15"
//   s->ToIcs({.dtstamp = absl::Now()});               // RFC 5545 text
//
// A date known only to the month counts as the first day of that month for
// ordering and phases ("has it happened yet" turns true on the 1st); in the
// iCalendar export it is an all-day event spanning the whole month.

#ifndef RELKIT_SCHEDULE_H_
#define RELKIT_SCHEDULE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace relkit {

// Whether a table date is firm, tentative ("(...)") or "Not planned".
enum class DateStatus : uint8_t { kFirm, kTentative, kNotPlanned };

// Returns "firm", "tentative" or "not planned".
absl::string_view DateStatusName(DateStatus status);

// One date cell of the cadence table.
class ScheduleDate {
 public:
  // Parses "Aug 2023", "Sept 2024", "16 Feb 2026", "(Oct 2026)" or "Not
  // planned" (month names in English, short or long, any case; "Sep" and
  // "Sept" both mean September). Returns InvalidArgument naming the text.
  static absl::StatusOr<ScheduleDate> Parse(absl::string_view text);

  static ScheduleDate NotPlanned() { return ScheduleDate(); }
  static ScheduleDate Month(absl::CivilMonth month,
                            DateStatus status = DateStatus::kFirm);
  static ScheduleDate Day(absl::CivilDay day,
                          DateStatus status = DateStatus::kFirm);

  DateStatus status() const { return status_; }
  bool planned() const { return status_ != DateStatus::kNotPlanned; }
  bool tentative() const { return status_ == DateStatus::kTentative; }
  // True when the day of the month is known.
  bool has_day() const { return has_day_; }
  // The day (first of the month when only the month is known). Meaningless
  // when not planned.
  absl::CivilDay start() const { return start_; }
  // The last day the event may fall on: start() or the month's last day.
  absl::CivilDay end() const;

  // Returns the table spelling: "Aug 2023", "16 Feb 2026", "(Sept 2024)",
  // "Not planned" (September is written "Sept", as the table mostly does).
  std::string ToString() const;

  friend bool operator==(const ScheduleDate&, const ScheduleDate&) = default;

 private:
  ScheduleDate() = default;
  DateStatus status_ = DateStatus::kNotPlanned;
  bool has_day_ = false;
  absl::CivilDay start_;
};

// One row of the cadence table.
struct ScheduleRow {
  std::string minor;  // "2.14"
  ScheduleDate branch_cut = ScheduleDate::NotPlanned();
  ScheduleDate release = ScheduleDate::NotPlanned();
  ScheduleDate first_patch = ScheduleDate::NotPlanned();
  ScheduleDate second_patch = ScheduleDate::NotPlanned();

  friend bool operator==(const ScheduleRow&, const ScheduleRow&) = default;
};

// Where a release stands on a given day.
enum class ReleasePhase : uint8_t {
  kInDevelopment,  // before its branch cut: work on main lands in it
  kBranchCut,      // release branch cut, release candidates until the release
  kPatchWindow,    // released, newest minor, a planned patch release ahead
  kReleased,       // released, newest minor, no patch release planned ahead
  kOutOfSupport,   // a newer minor is out: no more patches (latest-only rule)
};

// Returns "in development", "branch cut", "patch window", "released" or
// "out of support".
absl::string_view ReleasePhaseName(ReleasePhase phase);

enum class EventKind : uint8_t {
  kBranchCut,
  kRelease,
  kFirstPatch,
  kSecondPatch
};

// Returns "branch cut", "release", "first patch" or "second patch".
absl::string_view EventKindName(EventKind kind);

// One planned date of the schedule.
struct ScheduleEvent {
  std::string minor;
  EventKind kind = EventKind::kRelease;
  ScheduleDate date = ScheduleDate::NotPlanned();

  // Returns "2.14 release", "2.14 branch cut", "2.14.1 patch release".
  std::string Title() const;

  friend bool operator==(const ScheduleEvent&, const ScheduleEvent&) = default;
};

// The patch-release policy of RELEASE.md: from 2.1 on, at most 2 patch
// releases after each minor, and patch releases only for the latest minor.
struct PatchPolicy {
  std::string first_minor = "2.1";
  int max_patch_releases = 2;
  bool latest_minor_only = true;
};

// A schedule entry that breaks the patch policy.
struct PolicyViolation {
  std::string minor;
  std::string message;

  friend bool operator==(const PolicyViolation&,
                         const PolicyViolation&) = default;
};

// Options of the iCalendar export.
struct IcsOptions {
  std::string project = "PyTorch";  // event titles: "PyTorch 2.14 release"
  absl::Time dtstamp = absl::UnixEpoch();  // DTSTAMP of every event (UTC)
  std::string uid_domain = "relkit";       // UID: "pytorch-2.14-release@relkit"
};

class ReleaseSchedule {
 public:
  // Returns the embedded default: 2.1 to 2.16 from the newest RELEASE.md
  // cadence table (data/release_md_tables.md), whose dates supersede the
  // tentative ones of the seed table.
  static absl::StatusOr<ReleaseSchedule> Default();

  // Parses the cadence table (header starting with "Minor Version") out of a
  // RELEASE.md text. InvalidArgument naming `source` and the line for a
  // malformed table or date, or when there is no such table.
  static absl::StatusOr<ReleaseSchedule> FromMarkdown(
      absl::string_view text, absl::string_view source = "<input>");

  // Parses the JSON form of ToJson (dates in the table's spelling).
  // InvalidArgument naming `source` and the JSON path.
  static absl::StatusOr<ReleaseSchedule> FromJson(
      absl::string_view text, absl::string_view source = "<input>");

  // Returns InvalidArgument when a minor is not a version or repeats ("2.4",
  // "2.04" and "2.4.1" are the same minor), or a
  // branch cut or release date is "Not planned".
  static absl::StatusOr<ReleaseSchedule> FromRows(
      std::vector<ScheduleRow> rows);

  ReleaseSchedule() = default;

  // Rows in ascending version order.
  const std::vector<ScheduleRow>& rows() const { return rows_; }

  // Returns the row of `minor` ("2.4", "2.4.1" and "v2.4.0" find 2.4), or
  // nullptr.
  const ScheduleRow* Find(absl::string_view minor) const;

  // Returns the phase of `minor` on `day`; NotFound for an unknown minor.
  absl::StatusOr<ReleasePhase> PhaseOn(absl::string_view minor,
                                       absl::CivilDay day) const;
  // Returns (minor, phase) for every row, in row order.
  std::vector<std::pair<std::string, ReleasePhase>> PhasesOn(
      absl::CivilDay day) const;

  // Returns the planned events that start after `day`, in date order (at
  // most `limit` of them when limit > 0).
  std::vector<ScheduleEvent> EventsAfter(absl::CivilDay day,
                                         size_t limit = 0) const;

  // Returns the minor release that work merged to main on `day` lands in:
  // the first whose branch cut is after `day`. NotFound when every cut in
  // the schedule is on or before `day`.
  absl::StatusOr<std::string> ReleaseForWorkOn(absl::CivilDay day) const;

  // Returns the entries that break `policy`: more planned patch releases
  // than allowed, a patch release before its minor's release, or (latest
  // only) one on or after the next minor's release.
  std::vector<PolicyViolation> CheckPolicy(
      const PatchPolicy& policy = {}) const;

  // Returns the table as RELEASE.md writes it (newer layout).
  std::string ToMarkdown() const;
  // Returns the JSON form: {"releases": [{"minor", "branch_cut", "release",
  // "first_patch", "second_patch"}]} with dates in table spelling.
  std::string ToJson(bool pretty = true) const;
  // Returns an RFC 5545 calendar: one all-day VEVENT per planned date (CRLF
  // line ends, lines folded at 75 octets, UID and DTSTAMP on each event,
  // STATUS:TENTATIVE for tentative dates).
  std::string ToIcs(const IcsOptions& options = {}) const;

  friend bool operator==(const ReleaseSchedule&,
                         const ReleaseSchedule&) = default;

 private:
  explicit ReleaseSchedule(std::vector<ScheduleRow> rows)
      : rows_(std::move(rows)) {}
  std::vector<ScheduleRow> rows_;
};

}  // namespace relkit

#endif  // RELKIT_SCHEDULE_H_
