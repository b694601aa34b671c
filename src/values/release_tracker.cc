#include "relkit/release_tracker.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "internal/embedded.h"

namespace relkit {
namespace {

constexpr absl::string_view kWeekOf = "week of ";

// The Monday of `day`'s week (ISO weeks start on Monday).
absl::CivilDay MondayOf(absl::CivilDay day) {
  const int since_monday = (static_cast<int>(absl::GetWeekday(day)) -
                            static_cast<int>(absl::Weekday::monday) + 7) %
                           7;
  return day - since_monday;
}

std::string WeekOf(absl::CivilDay day) {
  return absl::StrCat(kWeekOf, TrackerDay(MondayOf(day)));
}

// A schedule date as the tracker writes it: D/M/YY when the day is known,
// else the table's month ("Jun 2024").
std::string Spell(const ScheduleDate& date, bool week) {
  if (!date.has_day()) {
    const std::string text = date.ToString();
    absl::string_view s = text;
    if (absl::ConsumePrefix(&s, "(")) absl::ConsumeSuffix(&s, ")");
    return date.tentative() ? absl::StrCat(s, " (tentative)") : std::string(s);
  }
  return week ? WeekOf(date.start()) : TrackerDay(date.start());
}

absl::Status CheckReleaseVersion(const Version& version) {
  if (version.release().size() != 3 || version.is_prerelease() ||
      version.is_postrelease() || version.local() || version.epoch() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("version \"", version.ToString(),
                     "\" is not a release X.Y.Z (a tracker is for a final "
                     "release, not an RC, dev or local version)"));
  }
  return absl::OkStatus();
}

std::string Minor(const Version& v) {
  return absl::StrCat(v.major(), ".", v.minor());
}

std::string PrevMinor(const Version& v) {
  if (v.minor() > 0) return absl::StrCat(v.major(), ".", v.minor() - 1);
  return absl::StrCat(v.major() > 0 ? v.major() - 1 : 0, ".x");
}

bool IsPlaceholderChar(char c) {
  return absl::ascii_isupper(static_cast<unsigned char>(c)) ||
         absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

std::string TrackerDay(absl::CivilDay day) {
  return absl::StrFormat("%d/%d/%02d", day.day(), day.month(),
                         static_cast<int>(day.year() % 100));
}

absl::StatusOr<TrackerDates> DeriveTrackerDates(
    const ReleaseSchedule& schedule, const Version& version,
    const TrackerDateOptions& options) {
  const std::string minor = Minor(version);
  const ScheduleRow* row = schedule.Find(minor);
  TrackerDates d;
  // Given dates win; a row is needed only for what is not given.
  auto need_row = [&]() -> absl::Status {
    if (row != nullptr) return absl::OkStatus();
    return absl::NotFoundError(absl::StrCat(
        "release ", minor,
        " is not in the schedule: give every milestone date (--m3, --m4, "
        "--m4-1, --m5, --m6) or a --schedule that has it"));
  };
  if (!options.m6.empty()) {
    d.m6 = options.m6;
    absl::CivilDay day;
    if (absl::ParseCivilTime(options.m6, &day)) {
      d.release_day = day;
      d.m6 = TrackerDay(day);
    }
  } else {
    if (absl::Status s = need_row(); !s.ok()) return s;
    d.m6 = Spell(row->release, /*week=*/false);
    if (row->release.has_day()) d.release_day = row->release.start();
  }
  if (!options.m3.empty()) {
    d.m3 = options.m3;
  } else {
    if (absl::Status s = need_row(); !s.ok()) return s;
    d.m3 = Spell(row->branch_cut, /*week=*/true);
  }
  auto derived = [&](const std::string& given, absl::string_view flag,
                     auto from_day) -> absl::StatusOr<std::string> {
    if (!given.empty()) return given;
    if (!d.release_day) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the release day of ", minor, " is known only as \"", d.m6,
          "\": give ", flag, " (or a --schedule with the day)"));
    }
    return from_day(*d.release_day);
  };
  absl::StatusOr<std::string> m4 = derived(
      options.m4, "--m4",
      [](absl::CivilDay release) { return WeekOf(MondayOf(release) - 14); });
  if (!m4.ok()) return m4.status();
  d.m4 = *m4;
  absl::StatusOr<std::string> m4_1 =
      derived(options.m4_1, "--m4-1",
              [](absl::CivilDay release) { return TrackerDay(release - 8); });
  if (!m4_1.ok()) return m4_1.status();
  d.m4_1 = *m4_1;
  absl::StatusOr<std::string> m5 =
      derived(options.m5, "--m5",
              [](absl::CivilDay release) { return TrackerDay(release - 7); });
  if (!m5.ok()) return m5.status();
  d.m5 = *m5;
  // test-infra's rule: the phase cutoff is the bare M4 date.
  d.phase_cutoff = options.phase_cutoff;
  if (d.phase_cutoff.empty()) {
    absl::string_view cutoff = d.m4;
    absl::ConsumePrefix(&cutoff, kWeekOf);
    d.phase_cutoff = std::string(cutoff);
  }
  return d;
}

absl::StatusOr<std::string> FillTemplate(
    absl::string_view tmpl, const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(tmpl.size() + 256);
  size_t line = 1;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const char c = tmpl[i];
    if (c == '\n') ++line;
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    size_t j = i + 1;
    while (j < tmpl.size() && IsPlaceholderChar(tmpl[j])) ++j;
    const bool upper_start =
        j > i + 1 &&
        absl::ascii_isupper(static_cast<unsigned char>(tmpl[i + 1]));
    if (!upper_start) {  // "{x}", "{ ": not a placeholder
      out.push_back(c);
      continue;
    }
    if (j >= tmpl.size() || tmpl[j] != '}') {
      return absl::InvalidArgumentError(absl::StrCat(
          "release tracker template, line ", line, ": placeholder \"",
          tmpl.substr(i, j - i), "\" is not closed with }"));
    }
    const std::string name(tmpl.substr(i + 1, j - i - 1));
    auto it = values.find(name);
    if (it == values.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("release tracker template, line ", line,
                       ": unknown placeholder {", name, "}"));
    }
    out += it->second;
    i = j;
  }
  return out;
}

absl::string_view ReleaseTrackerTemplate() {
  return internal::EmbeddedReleaseTrackerTemplate();
}

std::string TrackerTitle(const Version& version) {
  if (version.micro() == 0) {
    return absl::StrCat("[v.", version.ToString(), "] Release Tracker");
  }
  return absl::StrCat("[v", version.ToString(), "] Release Tracker");
}

std::string ValidationIssueTitle(const Version& version) {
  return absl::StrCat("Validations for ", version.ToString(), " release");
}

absl::StatusOr<IssueDraft> RenderReleaseTracker(const Version& version,
                                                const TrackerDates& dates,
                                                const TrackerOptions& options,
                                                absl::string_view tmpl) {
  if (absl::Status s = CheckReleaseVersion(version); !s.ok()) return s;
  if (version.micro() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("version ", version.ToString(),
                     " is a patch release: it gets the patch tracker"));
  }
  if (tmpl.empty()) tmpl = ReleaseTrackerTemplate();
  const std::map<std::string, std::string> values = {
      {"VERSION", version.ToString()},
      {"BRANCH", Minor(version)},
      {"PREV_MINOR", PrevMinor(version)},
      {"PHASE_CUTOFF", dates.phase_cutoff},
      {"M3_DATE", dates.m3},
      {"M4_DATE", dates.m4},
      {"M4_1_DATE", dates.m4_1},
      {"M5_DATE", dates.m5},
      {"M6_DATE", dates.m6},
      {"RELEASE_MANAGERS", options.release_managers},
  };
  absl::StatusOr<std::string> body = FillTemplate(tmpl, values);
  if (!body.ok()) return body.status();
  // The repository of the links: the template names pytorch/pytorch.
  if (!options.repository.empty() && options.repository != "pytorch/pytorch") {
    *body = absl::StrReplaceAll(
        *body, {{"github.com/pytorch/pytorch/",
                 absl::StrCat("github.com/", options.repository, "/")},
                {"hud/pytorch/pytorch/",
                 absl::StrCat("hud/", options.repository, "/")}});
  }
  return IssueDraft{
      .title = TrackerTitle(version),
      .body = *std::move(body),
      .labels = {"release tracker", "triaged"},
      .marker = absl::StrCat("release-tracker ", version.ToString()),
  };
}

absl::StatusOr<IssueDraft> RenderPatchTracker(const Version& version,
                                              const ReleaseSchedule& schedule,
                                              const TrackerOptions& options) {
  if (absl::Status s = CheckReleaseVersion(version); !s.ok()) return s;
  if (version.micro() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("version ", version.ToString(),
                     " is a minor release: it gets the release tracker"));
  }
  const std::string branch = Minor(version);
  const std::string repo =
      options.repository.empty() ? "pytorch/pytorch" : options.repository;
  // The release date: the schedule's first or second patch date, unless
  // given; the cherry-pick deadline two weeks before it (RELEASE_PROCESS:
  // building, promoting and testing take about two weeks after the last
  // cherry-pick).
  std::string release_date = options.dates.m6;
  std::string deadline = options.dates.m4;
  const ScheduleRow* row = schedule.Find(branch);
  std::optional<ScheduleDate> planned;
  if (row != nullptr && version.micro() == 1) planned = row->first_patch;
  if (row != nullptr && version.micro() == 2) planned = row->second_patch;
  if (release_date.empty()) {
    release_date = planned && planned->planned()
                       ? Spell(*planned, /*week=*/false)
                       : "to be announced";
  }
  if (deadline.empty()) {
    deadline = planned && planned->planned() && planned->has_day()
                   ? TrackerDay(planned->start() - 14)
                   : "to be announced";
  }
  std::string body = absl::StrCat(
      "We are preparing the ", version.ToString(),
      " patch release from the [release branch](https://github.com/", repo,
      "/tree/release/", branch, ").\n\n",
      "This issue is for tracking cherry-picks to the release branch.\n\n",
      "## Release dates\n\n", "* Cherry-pick deadline: ", deadline, "\n",
      "* Patch release day: ", release_date, "\n\n",
      "Requests after the deadline are not accepted. Authors of the fixes "
      "post their own cherry-picks; a fix without a cherry-pick is not in "
      "the release.\n\n",
      "## Cherry-Pick Criteria\n\n",
      "Every cherry-pick must link a **high-priority GitHub issue** or a **CI "
      "failure from the previous RC**. Only the following are accepted:\n\n",
      "1. Fixes to regressions against the previous minor release (e.g. "
      "regressions introduced in ",
      branch, ".0 from ", PrevMinor(version), ")\n",
      "2. Low risk critical fixes for: silent correctness, backwards "
      "compatibility, crashes, deadlocks, (large) memory leaks\n",
      "3. Fixes to new features being introduced in this release\n",
      "4. Documentation improvements\n",
      "5. Release branch specific changes (e.g. blocking ci fixes, change "
      "version identifiers)\n\n",
      "Any other change requires special dispensation from the release "
      "managers (currently ",
      options.release_managers, " ).\n\n", "## Cherry-Pick Process\n\n",
      "1. Ensure your PR has landed in main.\n",
      "2. Create (but do not land) a PR against the [release "
      "branch](https://github.com/",
      repo, "/tree/release/", branch,
      "), e.g. with `@pytorchbot cherry-pick --onto release/", branch,
      " --fixes <issue> -c regression` on the merged PR.\n",
      "3. Make a request below with the following format:\n\n", "```\n",
      "Link to landed trunk PR (if applicable):\n* \n\n",
      "Link to release branch PR:\n* \n\n",
      "Link to issue (high priority) or CI failure:\n* \n\n",
      "Criteria Category:\n* \n", "```\n\n",
      "Someone from the release team will reply with approved / denied or "
      "ask for more information. **Do not land the release branch PR "
      "yourself.**\n\n",
      "[HUD](https://hud.pytorch.org/hud/", repo, "/release%2F", branch,
      ")\n\n", "### Versions\n\n", version.ToString(), "\n");
  return IssueDraft{
      .title = TrackerTitle(version),
      .body = std::move(body),
      .labels = {"release tracker", "triaged"},
      .marker = absl::StrCat("release-tracker ", version.ToString()),
  };
}

IssueDraft RenderValidationIssue(const Version& version,
                                 std::optional<int64_t> tracker_number,
                                 const TrackerOptions& options) {
  const std::string v = version.ToString();
  const std::string branch = Minor(version);
  const std::string repo =
      options.repository.empty() ? "pytorch/pytorch" : options.repository;
  const std::string tracker =
      tracker_number
          ? absl::StrCat("[Release Tracker #", *tracker_number,
                         "](https://github.com/", repo, "/issues/",
                         *tracker_number, ")")
          : absl::StrCat("Release Tracker \"", TrackerTitle(version), "\"");
  std::string body = absl::StrCat(
      "# Release ", v, " validations checklist\n\n",
      "This issue tracks the validation of the final release candidate of "
      "PyTorch ",
      v, ".\n\n", "- Milestone: [", v, "](https://github.com/", repo,
      "/milestones?state=open&q=", v, ")\n", "- ", tracker,
      ": cherry-picks to the [release/", branch, "](https://github.com/", repo,
      "/tree/release/", branch, ") branch\n",
      "- Release branch CI status: [HUD](https://hud.pytorch.org/hud/", repo,
      "/release%2F", branch, ")\n\n", "## After the final RC\n\n",
      "- [ ] Release candidate health: CI on the release branch is green\n",
      "- [ ] The Validate Binaries workflow ran and its output was inspected\n",
      "- [ ] Every closed issue of milestone ", v,
      " is validated (confirmed by a comment on the issue)\n",
      "- [ ] Performance tests in the benchmark repository show no "
      "regressions\n",
      "- [ ] PyPI binaries staged for promotion\n",
      "- [ ] Staged PyPI binaries validated: the packages are correct and no "
      "file exceeds the PyPI size limit\n\n",
      "## Milestone issues and cherry-picks\n\n",
      "- [ ] (one line per item: `- [ ] <title> <url> - @author`)\n");
  return IssueDraft{
      .title = ValidationIssueTitle(version),
      .body = std::move(body),
      .labels = {"oncall: releng", "triaged"},
      .marker = absl::StrCat("release-validation ", v),
  };
}

absl::StatusOr<TrackerIssues> RenderTrackerIssues(
    const ReleaseSchedule& schedule, const Version& version,
    const TrackerOptions& options, std::optional<int64_t> tracker_number) {
  if (absl::Status s = CheckReleaseVersion(version); !s.ok()) return s;
  TrackerIssues out{.version = version, .patch = version.micro() != 0};
  if (out.patch) {
    absl::StatusOr<IssueDraft> t =
        RenderPatchTracker(version, schedule, options);
    if (!t.ok()) return t.status();
    out.tracker = *std::move(t);
  } else {
    absl::StatusOr<TrackerDates> dates =
        DeriveTrackerDates(schedule, version, options.dates);
    if (!dates.ok()) return dates.status();
    out.dates = *dates;
    absl::StatusOr<IssueDraft> t =
        RenderReleaseTracker(version, out.dates, options);
    if (!t.ok()) return t.status();
    out.tracker = *std::move(t);
  }
  out.validation = RenderValidationIssue(version, tracker_number, options);
  return out;
}

}  // namespace relkit
