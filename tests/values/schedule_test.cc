#include "relkit/schedule.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) + "/" + name);
  EXPECT_TRUE(in) << "cannot open " << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const ReleaseSchedule& Defaults() {
  static const ReleaseSchedule* s = [] {
    absl::StatusOr<ReleaseSchedule> d = ReleaseSchedule::Default();
    EXPECT_THAT(d, IsOk());
    return new ReleaseSchedule(d.ok() ? *d : ReleaseSchedule());
  }();
  return *s;
}

ScheduleDate D(absl::string_view text) {
  absl::StatusOr<ScheduleDate> d = ScheduleDate::Parse(text);
  EXPECT_THAT(d, IsOk()) << text;
  return d.ok() ? *d : ScheduleDate::NotPlanned();
}

TEST(ScheduleDateTest, ParsesTheTableSpellings) {
  ScheduleDate aug = D("Aug 2023");
  EXPECT_EQ(aug.status(), DateStatus::kFirm);
  EXPECT_FALSE(aug.has_day());
  EXPECT_EQ(aug.start(), absl::CivilDay(2023, 8, 1));
  EXPECT_EQ(aug.end(), absl::CivilDay(2023, 8, 31));
  EXPECT_EQ(D("16 Feb 2026"), ScheduleDate::Day(absl::CivilDay(2026, 2, 16)));
  EXPECT_EQ(D("16 Feb 2026").end(), absl::CivilDay(2026, 2, 16));
  EXPECT_EQ(D("Sep 2024"), D("Sept 2024"));
  EXPECT_EQ(D("September 2024"), D("Sept 2024"));
  ScheduleDate tentative = D("(Oct 2026)");
  EXPECT_TRUE(tentative.tentative());
  EXPECT_EQ(tentative.start(), absl::CivilDay(2026, 10, 1));
  EXPECT_FALSE(D(" Not planned").planned());
  EXPECT_EQ(D("Feb 2024").end(), absl::CivilDay(2024, 2, 29));
}

TEST(ScheduleDateTest, RejectsBadDatesNamingThem) {
  EXPECT_THAT(ScheduleDate::Parse("31 Feb 2026"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"31 Feb 2026\"")));
  EXPECT_THAT(
      ScheduleDate::Parse("Foo 2024"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown month")));
  EXPECT_THAT(
      ScheduleDate::Parse("(Oct 2026"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parenthesis")));
  EXPECT_THAT(ScheduleDate::Parse("TBD"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ScheduleDateTest, ToStringKeepsTheDistinctions) {
  EXPECT_EQ(D("Aug 2023").ToString(), "Aug 2023");
  EXPECT_EQ(D("2 Sept 2026").ToString(), "2 Sept 2026");
  EXPECT_EQ(D("(Sep 2024)").ToString(), "(Sept 2024)");
  EXPECT_EQ(D("Not planned").ToString(), "Not planned");
}

TEST(ScheduleDateTest, NamesEachStatus) {
  EXPECT_EQ(DateStatusName(D("Aug 2023").status()), "firm");
  EXPECT_EQ(DateStatusName(D("(Oct 2026)").status()), "tentative");
  EXPECT_EQ(DateStatusName(D("Not planned").status()), "not planned");
}

TEST(ScheduleTest, DefaultHas21To216FromTheNewerTable) {
  std::vector<std::string> minors;
  for (const ScheduleRow& r : Defaults().rows()) minors.push_back(r.minor);
  EXPECT_THAT(minors, ElementsAre("2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
                                  "2.7", "2.8", "2.9", "2.10", "2.11", "2.12",
                                  "2.13", "2.14", "2.15", "2.16"));
  // | 2.14 | 10 Aug 2026 | 2 Sept 2026 | (Oct 2026) | Not planned |
  const ScheduleRow* r = Defaults().Find("2.14");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->branch_cut, ScheduleDate::Day(absl::CivilDay(2026, 8, 10)));
  EXPECT_EQ(r->release, ScheduleDate::Day(absl::CivilDay(2026, 9, 2)));
  EXPECT_EQ(r->first_patch, ScheduleDate::Month(absl::CivilMonth(2026, 10),
                                                DateStatus::kTentative));
  EXPECT_FALSE(r->second_patch.planned());
  // | 2.4 | Jun 2024 | Jul 2024 | Sept 2024 | Not planned | (firm in the newer
  // table)
  EXPECT_EQ(Defaults().Find("2.4.1")->first_patch, D("Sept 2024"));
}

TEST(ScheduleTest, SeedTableKeepsItsTentativeDates) {
  absl::StatusOr<ReleaseSchedule> seed = ReleaseSchedule::FromMarkdown(
      ReadTestFile("release_md_seed.md"), "seed.md");
  ASSERT_THAT(seed, IsOk());
  ASSERT_EQ(seed->rows().size(), 9u);
  // 2.4 | Jun 2024 | Jul 2024 | (Sept 2024) | Not planned |
  EXPECT_TRUE(seed->Find("2.4")->first_patch.tentative());
  // 2.5 | Aug 2024 | Oct 2024 | (Nov 2024) | (Dec 2024) |
  EXPECT_EQ(seed->Find("2.5")->branch_cut, D("Aug 2024"));
  EXPECT_EQ(seed->Find("2.5")->second_patch, D("(Dec 2024)"));
  EXPECT_THAT(seed->CheckPolicy(), IsEmpty());
}

TEST(ScheduleTest, PhasesOnADay) {
  const absl::CivilDay day(2026, 8, 20);
  EXPECT_THAT(Defaults().PhaseOn("2.14", day),
              IsOkAndHolds(ReleasePhase::kBranchCut));
  EXPECT_THAT(Defaults().PhaseOn("2.15", day),
              IsOkAndHolds(ReleasePhase::kInDevelopment));
  // 2.13 released 8 Jul 2026; its patch "(Aug 2026)" counts from Aug 1.
  EXPECT_THAT(Defaults().PhaseOn("2.13", day),
              IsOkAndHolds(ReleasePhase::kReleased));
  EXPECT_THAT(Defaults().PhaseOn("2.13", absl::CivilDay(2026, 7, 20)),
              IsOkAndHolds(ReleasePhase::kPatchWindow));
  EXPECT_THAT(Defaults().PhaseOn("2.12", day),
              IsOkAndHolds(ReleasePhase::kOutOfSupport));
  // Once 2.14 is out (2 Sept 2026), 2.13 gets no more patches.
  EXPECT_THAT(Defaults().PhaseOn("2.13", absl::CivilDay(2026, 9, 2)),
              IsOkAndHolds(ReleasePhase::kOutOfSupport));
  EXPECT_THAT(Defaults().PhaseOn("2.14", absl::CivilDay(2026, 9, 2)),
              IsOkAndHolds(ReleasePhase::kPatchWindow));
  EXPECT_THAT(Defaults().PhaseOn("3.0", day),
              StatusIs(absl::StatusCode::kNotFound));
  auto phases = Defaults().PhasesOn(day);
  ASSERT_EQ(phases.size(), 16u);
  EXPECT_THAT(phases.front(), Pair("2.1", ReleasePhase::kOutOfSupport));
  EXPECT_THAT(phases.back(), Pair("2.16", ReleasePhase::kInDevelopment));
}

TEST(ScheduleTest, NextEventsAfterADay) {
  std::vector<ScheduleEvent> next =
      Defaults().EventsAfter(absl::CivilDay(2026, 8, 20), 3);
  std::vector<std::string> titles;
  for (const ScheduleEvent& e : next) titles.push_back(e.Title());
  // 2 Sept 2026, (Oct 2026) = Oct 1, 5 Oct 2026.
  EXPECT_THAT(titles, ElementsAre("2.14 release", "2.14.1 patch release",
                                  "2.15 branch cut"));
  EXPECT_TRUE(next[1].date.tentative());
  EXPECT_THAT(Defaults().EventsAfter(absl::CivilDay(2027, 1, 1)), IsEmpty());
  // Without a limit: everything from 2.16's release (22 Dec 2026) on.
  std::vector<ScheduleEvent> rest =
      Defaults().EventsAfter(absl::CivilDay(2026, 12, 1));
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].Title(), "2.16 release");
  EXPECT_EQ(rest[1].Title(), "2.16.1 patch release");
}

TEST(ScheduleTest, ReleaseForWorkOnADay) {
  EXPECT_THAT(Defaults().ReleaseForWorkOn(absl::CivilDay(2026, 8, 9)),
              IsOkAndHolds("2.14"));
  EXPECT_THAT(Defaults().ReleaseForWorkOn(absl::CivilDay(2026, 8, 10)),
              IsOkAndHolds("2.15"));
  EXPECT_THAT(Defaults().ReleaseForWorkOn(absl::CivilDay(2023, 1, 1)),
              IsOkAndHolds("2.1"));
  EXPECT_THAT(Defaults().ReleaseForWorkOn(absl::CivilDay(2026, 12, 1)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("2026-12-01")));
}

TEST(ScheduleTest, PatchPolicy) {
  EXPECT_THAT(Defaults().CheckPolicy(), IsEmpty());
  // 2.1 and 2.2 planned two patches each; a one-patch policy flags them.
  std::vector<PolicyViolation> strict =
      Defaults().CheckPolicy({.max_patch_releases = 1});
  ASSERT_EQ(strict.size(), 2u);
  EXPECT_EQ(strict[0].minor, "2.1");
  EXPECT_EQ(strict[1].minor, "2.2");
  // A patch after the next minor's release breaks the latest-only rule.
  absl::StatusOr<ReleaseSchedule> bad = ReleaseSchedule::FromRows(
      {{"2.1", D("Aug 2023"), D("Oct 2023"), D("Nov 2023"), D("Feb 2024")},
       {"2.2", D("Dec 2023"), D("Jan 2024"), D("Feb 2024"), D("Not planned")}});
  ASSERT_THAT(bad, IsOk());
  std::vector<PolicyViolation> v = bad->CheckPolicy();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].minor, "2.1");
  EXPECT_THAT(v[0].message, HasSubstr("only for the latest minor"));
  EXPECT_THAT(bad->CheckPolicy({.latest_minor_only = false}), IsEmpty());
}

TEST(ScheduleTest, MarkdownAndJsonRoundTrip) {
  absl::StatusOr<ReleaseSchedule> md =
      ReleaseSchedule::FromMarkdown(Defaults().ToMarkdown(), "out.md");
  ASSERT_THAT(md, IsOk());
  EXPECT_EQ(*md, Defaults());
  absl::StatusOr<ReleaseSchedule> json =
      ReleaseSchedule::FromJson(Defaults().ToJson(), "s.json");
  ASSERT_THAT(json, IsOk());
  EXPECT_EQ(*json, Defaults());
  EXPECT_THAT(
      Defaults().ToMarkdown(),
      HasSubstr(
          "| 2.14 | 10 Aug 2026 | 2 Sept 2026 | (Oct 2026) | Not planned |\n"));
}

TEST(ScheduleTest, BadInputNamesSourceAndPosition) {
  const std::string header =
      "| Minor Version | Release branch cut | Release date | First patch | "
      "Second patch |\n"
      "| --- | --- | --- | --- | --- |\n";
  EXPECT_THAT(
      ReleaseSchedule::FromMarkdown(
          header + "| 2.1 | Aug 2023 | Soon | x | y |\n", "RELEASE.md"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("RELEASE.md:3: invalid schedule date \"Soon\"")));
  EXPECT_THAT(ReleaseSchedule::FromMarkdown(header + "| 2.1 | Aug 2023 |\n",
                                            "RELEASE.md"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("RELEASE.md:3: expected 5 cells, got 2")));
  EXPECT_THAT(
      ReleaseSchedule::FromMarkdown(
          header +
              "| 2.1 | Not planned | Oct 2023 | Not planned | Not planned |\n",
          "RELEASE.md"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("RELEASE.md:3:")));
  EXPECT_THAT(ReleaseSchedule::FromMarkdown("no table", "RELEASE.md"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("RELEASE.md: no release cadence table")));
  EXPECT_THAT(
      ReleaseSchedule::FromJson(R"({"releases": [{"minor": "2.1"}]})",
                                "s.json"),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr("s.json: $.releases[0]: missing field \"branch_cut\"")));
}

TEST(ScheduleTest, RowsOfTheSameMinorAreListedTwice) {
  const std::string header =
      "| Minor Version | Release branch cut | Release date | First patch | "
      "Second patch |\n"
      "| --- | --- | --- | --- | --- |\n"
      "| 2.4 | Jun 2024 | Jul 2024 | Not planned | Not planned |\n";
  for (const char* again : {"2.4", "2.04", "2.4.1"}) {
    EXPECT_THAT(
        ReleaseSchedule::FromMarkdown(
            absl::StrCat(
                header, "| ", again,
                " | Aug 2024 | Sept 2024 | Not planned | Not planned |\n"),
            "RELEASE.md"),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr("RELEASE.md:4: release ")))
        << again;
  }
}

std::string Unfold(const std::string& ics) {
  return absl::StrReplaceAll(ics, {{"\r\n ", ""}});
}

TEST(ScheduleTest, IcsFollowsRfc5545) {
  const std::string ics = Defaults().ToIcs(
      {.dtstamp = absl::FromCivil(absl::CivilSecond(2026, 8, 20, 12, 0, 0),
                                  absl::UTCTimeZone())});
  // Every line ends in CRLF and is at most 75 octets.
  ASSERT_TRUE(absl::EndsWith(ics, "END:VCALENDAR\r\n"));
  std::vector<std::string> lines = absl::StrSplit(ics, "\r\n");
  lines.pop_back();
  for (const std::string& l : lines) {
    EXPECT_LE(l.size(), 75u) << l;
    EXPECT_EQ(l.find('\n'), std::string::npos);
  }
  EXPECT_TRUE(
      absl::StartsWith(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
  const std::string text = Unfold(ics);
  // One event per planned date of the table: 46 in 2.1 ... 2.16.
  size_t events = 0, pos = 0;
  while ((pos = text.find("BEGIN:VEVENT", pos)) != std::string::npos)
    ++events, ++pos;
  EXPECT_EQ(events, 46u);
  std::set<std::string> uids;
  for (absl::string_view l : absl::StrSplit(text, "\r\n")) {
    if (absl::StartsWith(l, "UID:")) {
      EXPECT_TRUE(uids.insert(std::string(l)).second) << l;
    }
  }
  EXPECT_EQ(uids.size(), 46u);
  EXPECT_THAT(text, HasSubstr("UID:pytorch-2.14-release@relkit\r\n"
                              "DTSTAMP:20260820T120000Z\r\n"
                              "DTSTART;VALUE=DATE:20260902\r\n"
                              "DTEND;VALUE=DATE:20260903\r\n"
                              "SUMMARY:PyTorch 2.14 release\r\n"));
  // A tentative month-only date spans its month.
  EXPECT_THAT(
      text, HasSubstr("UID:pytorch-2.14-first-patch@relkit\r\n"
                      "DTSTAMP:20260820T120000Z\r\n"
                      "DTSTART;VALUE=DATE:20261001\r\n"
                      "DTEND;VALUE=DATE:20261101\r\n"
                      "SUMMARY:PyTorch 2.14.1 patch release (tentative)\r\n"));
  EXPECT_THAT(text, HasSubstr("STATUS:TENTATIVE"));
  // Description text escapes commas (RFC 5545 3.3.11).
  EXPECT_THAT(
      text,
      HasSubstr(
          "DESCRIPTION:PyTorch 2.14 release\\, scheduled for 2 Sept 2026."));
}

TEST(ScheduleTest, IcsFoldsLongLines) {
  const std::string project(100, 'P');
  const std::string ics = Defaults().ToIcs({.project = project});
  EXPECT_THAT(ics, HasSubstr("\r\n "));
  EXPECT_THAT(Unfold(ics),
              HasSubstr(absl::StrCat("SUMMARY:", project, " 2.1 release\r\n")));
}

// Found by fuzz/schedule_fuzz.cc: a carriage return in the project name was
// copied into the calendar, breaking a content line in two.
TEST(ScheduleTest, IcsEscapesLineBreaksAndDropsControlCharacters) {
  const std::string ics = Defaults().ToIcs({.project = "A\rB\r\nC\nD\x01"});
  EXPECT_THAT(ics,
              HasSubstr("X-WR-CALNAME:A\\nB\\nC\\nD release schedule\r\n"));
  for (absl::string_view line : absl::StrSplit(ics, "\r\n")) {
    EXPECT_EQ(line.find_first_of("\r\n\x01"), absl::string_view::npos) << line;
  }
}

// Found by fuzz/schedule_fuzz.cc: a project name holding a run of UTF-8
// continuation bytes longer than a line made the folding loop forever.
TEST(ScheduleTest, IcsFoldsBytesThatAreNotUtf8) {
  const std::string project(200, '\xaa');
  const std::string ics = Defaults().ToIcs({.project = project});
  for (absl::string_view line : absl::StrSplit(ics, "\r\n")) {
    EXPECT_LE(line.size(), 75u);
  }
  EXPECT_THAT(Unfold(ics),
              HasSubstr(absl::StrCat("SUMMARY:", project, " 2.1 release\r\n")));
}

// Found by fuzz/schedule_fuzz.cc: the minor-version cell is the table's text,
// and a carriage return in it went into the UID unescaped, ending the line.
// Python's str.strip() strips U+001C..U+001F, so "\x1d\r\x1d 2.2" parses as
// the version 2.2; written back it would be escaped and no longer load (the
// schedule fuzz target found this). Such a minor is refused when read.
TEST(ScheduleTest, RejectsControlCharactersInTheMinorVersion) {
  const std::string table =
      "| Minor Version | Release branch cut | Release date | First patch "
      "release date | Second patch release date |\n"
      "|---|---|---|---|---|\n"
      "| 2.1 | Aug 2023 | Oct 2023 | Sep 2023 | Dec 2023 |\n"
      "| \x1d\r\x1d 2.2 | Dec 2023 | Nov 2023 | Feb 2024 | Mar 2024 |\n";
  EXPECT_THAT(ReleaseSchedule::FromMarkdown(table, "t.md"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("t.md:4: invalid minor version"),
                             HasSubstr("control characters"))));
  EXPECT_THAT(
      ReleaseSchedule::FromJson(
          R"({"releases": [{"minor": "\u001d2.2", "branch_cut": "Dec 2023",)"
          R"( "release": "Feb 2024", "first_patch": "Not planned",)"
          R"( "second_patch": "Not planned"}]})",
          "s.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("control characters")));
}

// A minor padded with what Python strips but TextEscape keeps (U+00A0)
// round-trips, and its calendar UIDs hold no line break.
TEST(ScheduleTest, IcsUidsOfAPaddedMinorHoldNoLineBreak) {
  absl::StatusOr<ReleaseSchedule> s = ReleaseSchedule::FromMarkdown(
      "| Minor Version | Release branch cut | Release date | First patch "
      "release date | Second patch release date |\n"
      "|---|---|---|---|---|\n"
      "| \u00a02.2\u00a0 | Dec 2023 | Feb 2024 | Mar 2024 | Not planned |\n",
      "t.md");
  ASSERT_THAT(s, IsOk());
  absl::StatusOr<ReleaseSchedule> again =
      ReleaseSchedule::FromMarkdown(s->ToMarkdown(), "again.md");
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *s);
  const std::string ics = s->ToIcs({.project = "P"});
  for (absl::string_view line : absl::StrSplit(ics, "\r\n")) {
    EXPECT_EQ(line.find_first_of("\r\n"), absl::string_view::npos) << line;
  }
}

}  // namespace
}  // namespace relkit
