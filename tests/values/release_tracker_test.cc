#include "relkit/release_tracker.h"

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/cherry_pick.h"
#include "relkit/schedule.h"
#include "relkit/version.h"
#include "testing/status_matchers.h"
#include "testing/test_data.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

Version V(const char* text) { return *Version::Parse(text); }

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) + "/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The real 2.13 tracker's dates (tests/data/github/release_tracker_dates.json)
// come out of the default schedule's 2.13 row (cut 8 Jun 2026, release
// 8 Jul 2026) by the documented rule.
TEST(ReleaseTrackerTest, DerivesTheDatesOfTheReal213Tracker) {
  rapidjson::Document doc =
      testing::LoadTestJson("github/release_tracker_dates.json");
  ASSERT_TRUE(doc.HasMember("trackers"));
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  for (const auto& t : doc["trackers"].GetArray()) {
    const Version version = V(t["version"].GetString());
    absl::StatusOr<TrackerDates> d = DeriveTrackerDates(*schedule, version);
    ASSERT_THAT(d.status(), IsOk());
    EXPECT_EQ(d->m3, t["m3"].GetString());
    EXPECT_EQ(d->m4, t["m4"].GetString());
    EXPECT_EQ(d->m4_1, t["m4_1"].GetString());
    EXPECT_EQ(d->m5, t["m5"].GetString());
    EXPECT_EQ(d->m6, t["m6"].GetString());
    EXPECT_EQ(d->phase_cutoff, t["phase_cutoff"].GetString());

    absl::StatusOr<TrackerIssues> issues =
        RenderTrackerIssues(*schedule, version);
    ASSERT_THAT(issues.status(), IsOk());
    EXPECT_EQ(issues->tracker.title, t["title"].GetString());
    const std::string& body = issues->tracker.body;
    EXPECT_THAT(body, HasSubstr(absl::StrCat("* M3: Release branch cut (",
                                             t["m3"].GetString(), ")")));
    EXPECT_THAT(body, HasSubstr(absl::StrCat("* M6: Release Day (",
                                             t["m6"].GetString(), ")")));
    EXPECT_THAT(body,
                HasSubstr(absl::StrCat("* Phase 1 (until ",
                                       t["phase_cutoff"].GetString(), "): ")));
    EXPECT_THAT(body,
                HasSubstr(absl::StrCat("(e.g. ", t["prev_minor"].GetString(),
                                       ".x for this release")));
  }
}

TEST(ReleaseTrackerTest, RenderedTitlesAreFoundByExactTrackerLookup) {
  // Every real tracker title of the reference data reads back to its
  // version; ours for the same version does too, with the real spelling.
  rapidjson::Document doc =
      testing::LoadTestJson("github/release_trackers_and_milestones.json");
  ASSERT_TRUE(doc.HasMember("release_tracker_issues"));
  int checked = 0;
  for (const auto& t : doc["release_tracker_issues"].GetArray()) {
    const std::string title = t["title"].GetString();
    std::optional<Version> v = TrackerVersion(title);
    ASSERT_TRUE(v.has_value()) << title;
    EXPECT_EQ(TrackerVersion(TrackerTitle(*v)), v);
    const bool patch = std::string(t["kind"].GetString()) == "patch";
    EXPECT_EQ(v->micro() != 0, patch) << title;
    // Recent trackers (2.4 on) use "[v.X.Y.0]" for a minor and "[vX.Y.Z]"
    // for a patch release: exactly what TrackerTitle writes.
    if (*v >= V("2.4.0")) {
      EXPECT_EQ(TrackerTitle(*v), title);
      ++checked;
    }
  }
  EXPECT_GE(checked, 8);
}

TEST(ReleaseTrackerTest, ReleaseTrackerFillsEveryPlaceholder) {
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  absl::StatusOr<TrackerIssues> issues = RenderTrackerIssues(
      *schedule, V("2.14.0"), {.release_managers = "@alice @bob"});
  ASSERT_THAT(issues.status(), IsOk());
  const IssueDraft& t = issues->tracker;
  EXPECT_FALSE(issues->patch);
  EXPECT_EQ(t.title, "[v.2.14.0] Release Tracker");
  EXPECT_EQ(t.labels, (std::vector<std::string>{"release tracker", "triaged"}));
  EXPECT_THAT(t.body, Not(HasSubstr("{")));  // the template has no "{x}"
  EXPECT_THAT(t.body, HasSubstr("tree/release/2.14)"));
  EXPECT_THAT(t.body, HasSubstr("(currently @alice @bob )"));
  EXPECT_THAT(t.body, HasSubstr("cherry-pick --onto release/2.14 -c docs"));
  EXPECT_TRUE(absl::EndsWith(t.body, "### Versions\n\n2.14.0\n"));
  // 2.14: cut Mon 10 Aug 2026, release Wed 2 Sept 2026.
  EXPECT_EQ(issues->dates.m3, "week of 10/8/26");
  EXPECT_EQ(issues->dates.m6, "2/9/26");
  EXPECT_EQ(issues->dates.m4, "week of 17/8/26");
  EXPECT_EQ(issues->dates.m4_1, "25/8/26");
  EXPECT_EQ(issues->dates.m5, "26/8/26");
}

TEST(ReleaseTrackerTest, GivenDatesAreKeptVerbatim) {
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  absl::StatusOr<TrackerDates> d = DeriveTrackerDates(
      *schedule, V("2.13.0"), {.m4 = "week of 29/6/26", .m5 = "3/7/26"});
  ASSERT_THAT(d.status(), IsOk());
  EXPECT_EQ(d->m4, "week of 29/6/26");
  EXPECT_EQ(d->phase_cutoff, "29/6/26");
  EXPECT_EQ(d->m5, "3/7/26");
  EXPECT_EQ(d->m6, "8/7/26");
}

TEST(ReleaseTrackerTest, MonthOnlyScheduleNeedsTheDerivedDates) {
  // 2.4: "Jun 2024" / "Jul 2024" in the table: no day to derive M4 from.
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  EXPECT_THAT(DeriveTrackerDates(*schedule, V("2.4.0")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--m4")));
  absl::StatusOr<TrackerDates> d = DeriveTrackerDates(
      *schedule, V("2.4.0"),
      {.m4 = "week of 1/7/24", .m4_1 = "9/7/24", .m5 = "10/7/24"});
  ASSERT_THAT(d.status(), IsOk());
  EXPECT_EQ(d->m3, "Jun 2024");
  EXPECT_EQ(d->m6, "Jul 2024");
  EXPECT_EQ(d->phase_cutoff, "1/7/24");
}

TEST(ReleaseTrackerTest, UnknownReleaseIsNotFound) {
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  EXPECT_THAT(DeriveTrackerDates(*schedule, V("9.1.0")).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("9.1")));
}

TEST(ReleaseTrackerTest, TemplateErrorsAreInvalidArgument) {
  EXPECT_THAT(FillTemplate("a {NOPE} b", {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown placeholder {NOPE}")));
  EXPECT_THAT(
      FillTemplate("line\n{VERSION", {{"VERSION", "1"}}).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  absl::StatusOr<std::string> ok =
      FillTemplate("{V} {x} {} json {\"a\": 1}", {{"V", "2.4.0"}});
  ASSERT_THAT(ok.status(), IsOk());
  EXPECT_EQ(*ok, "2.4.0 {x} {} json {\"a\": 1}");
  TrackerDates dates;
  EXPECT_THAT(
      RenderReleaseTracker(V("2.4.0"), dates, {}, "{UNKNOWN_THING}").status(),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ReleaseTrackerTest, EmbeddedTemplateIsTheReferenceTemplate) {
  EXPECT_EQ(ReleaseTrackerTemplate(),
            ReadTestFile("github/release_tracker_issue_template.md"));
}

TEST(ReleaseTrackerTest, PatchVersionGetsThePatchTracker) {
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  absl::StatusOr<TrackerIssues> issues =
      RenderTrackerIssues(*schedule, V("2.12.1"));
  ASSERT_THAT(issues.status(), IsOk());
  EXPECT_TRUE(issues->patch);
  EXPECT_EQ(issues->tracker.title, "[v2.12.1] Release Tracker");
  EXPECT_EQ(TrackerVersion(issues->tracker.title), V("2.12.1"));
  const std::string& body = issues->tracker.body;
  EXPECT_THAT(body, HasSubstr("high-priority GitHub issue"));
  EXPECT_THAT(body, HasSubstr("Link to issue (high priority) or CI failure:"));
  EXPECT_THAT(body, HasSubstr("release/2.12"));
  // 2.12's first patch is "Jun 2026" (month only): no derived deadline.
  EXPECT_THAT(body, HasSubstr("Patch release day: Jun 2026\n"));
  EXPECT_THAT(body, HasSubstr("Cherry-pick deadline: to be announced"));
  EXPECT_THAT(RenderReleaseTracker(V("2.12.1"), {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A deadline given is used.
  absl::StatusOr<IssueDraft> given = RenderPatchTracker(
      V("2.12.1"), *schedule, {.dates = {.m4 = "5/6/26", .m6 = "17/6/26"}});
  ASSERT_THAT(given.status(), IsOk());
  EXPECT_THAT(given->body, HasSubstr("Cherry-pick deadline: 5/6/26\n"));
  EXPECT_THAT(given->body, HasSubstr("Patch release day: 17/6/26\n"));
}

TEST(ReleaseTrackerTest, ValidationIssueFollowsTheFinalRcChecklist) {
  IssueDraft v = RenderValidationIssue(V("2.1.2"), 114000, {});
  EXPECT_EQ(v.title, "Validations for 2.1.2 release");
  EXPECT_THAT(v.body, HasSubstr("issues/114000"));
  EXPECT_THAT(v.body, HasSubstr("Validate Binaries"));
  EXPECT_THAT(v.body, HasSubstr("milestone 2.1.2"));
  EXPECT_THAT(v.body, HasSubstr("PyPI"));
  // Not labelled "release tracker": the bot would take it for a tracker.
  for (const std::string& l : v.labels) EXPECT_NE(l, "release tracker");
  EXPECT_NE(v.marker, RenderValidationIssue(V("2.1.1"), {}, {}).marker);
}

TEST(ReleaseTrackerTest, RejectsNonReleaseVersions) {
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  for (const char* v : {"2.4.0rc1", "2.4", "2.4.0.dev20240101", "2.4.0+cpu"}) {
    EXPECT_THAT(RenderTrackerIssues(*schedule, V(v)).status(),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << v;
  }
}

TEST(ReleaseTrackerTest, OtherRepositoryLinksPointThere) {
  absl::StatusOr<ReleaseSchedule> schedule = ReleaseSchedule::Default();
  ASSERT_THAT(schedule.status(), IsOk());
  absl::StatusOr<TrackerIssues> issues =
      RenderTrackerIssues(*schedule, V("2.13.0"), {.repository = "o/n"});
  ASSERT_THAT(issues.status(), IsOk());
  EXPECT_THAT(issues->tracker.body,
              HasSubstr("https://github.com/o/n/tree/release/2.13"));
  EXPECT_THAT(issues->tracker.body,
              Not(HasSubstr("github.com/pytorch/pytorch/")));
}

}  // namespace
}  // namespace relkit
