// Tests of relkit/patch_triage.h: patch-release triage over issues, milestone
// items and tracker comments shaped like the real 2.4.1 and 2.12.1 trackers
// (tests/data/github, ../shared/data/github: titles, labels, nomination
// formats), against the schedule's patch dates.

#include "relkit/patch_triage.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

constexpr char kBase[] = "https://github.com/pytorch/pytorch/";

absl::Time Utc(int y, int m, int d, int h = 12) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0),
                         absl::UTCTimeZone());
}

Issue MakeIssue(int64_t number, std::string title,
                std::vector<std::string> labels, bool pr = false,
                IssueState state = IssueState::kOpen, bool merged = false,
                std::string body = "") {
  Issue i;
  i.kind = pr ? IssueKind::kPullRequest : IssueKind::kIssue;
  i.number = number;
  i.title = std::move(title);
  i.labels = std::move(labels);
  i.state = state;
  i.merged = merged;
  i.body = std::move(body);
  i.url = absl::StrCat(kBase, pr ? "pull/" : "issues/", number);
  return i;
}

IssueComment Comment(int64_t id, std::string author, std::string body,
                     absl::Time at) {
  IssueComment c;
  c.id = id;
  c.author = std::move(author);
  c.body = std::move(body);
  c.created_at = at;
  c.url = absl::StrCat(kBase, "issues/132400#issuecomment-", id);
  return c;
}

// 2.4 with the patch release on its real day (4 Sept 2024).
ReleaseSchedule Schedule24() {
  ScheduleRow row;
  row.minor = "2.4";
  row.branch_cut = *ScheduleDate::Parse("10 Jun 2024");
  row.release = *ScheduleDate::Parse("24 Jul 2024");
  row.first_patch = *ScheduleDate::Parse("4 Sept 2024");
  return *ReleaseSchedule::FromRows({row});
}

std::string ThreeBlock(int64_t trunk, int64_t release, std::string criteria) {
  return absl::StrCat("Link to landed trunk PR (if applicable):\n* ", kBase,
                      "pull/", trunk, "\n\nLink to release branch PR:\n* ",
                      kBase, "pull/", release, "\n\nCriteria Category:\n",
                      criteria, "\n");
}

// The 2.4.1 triage: a tracker with bot, free-form and late nominations, a
// milestone, a regression and a triage-review PR.
PatchTriageInput Input241() {
  PatchTriageInput in;
  in.version = *Version::Parse("2.4.1");
  in.repo = *GitHubRepo::Parse("pytorch/pytorch");
  Milestone m;
  m.number = 48;
  m.title = "2.4.1";
  m.url = absl::StrCat(kBase, "milestone/48");
  in.milestone = m;
  in.tracker = MakeIssue(132400, "[v2.4.1] Release Tracker",
                         {"oncall: releng", "release tracker", "triaged"});
  // Regression issue 131000, high priority; its fix PR 131100 is nominated.
  Issue regression = MakeIssue(131000, "torch.compile slower than in 2.3",
                               {"module: regression", "high priority"});
  // An open regression nobody labelled high priority.
  Issue regression_low = MakeIssue(131500, "cdist gives wrong grads on CPU",
                                   {"module: regression"});
  in.regressions = {regression, regression_low};
  in.high_priority = {
      regression,
      MakeIssue(131800, "SIGSEGV in DataLoader workers",
                {"high priority", "topic: crash"}, false, IssueState::kClosed)};
  // A PR in the milestone, labelled as docs, not nominated yet.
  in.milestone_items = {
      MakeIssue(131200, "Fix the torch.export docs example", {"module: docs"},
                true, IssueState::kClosed, true),
      in.tracker.value(),  // the tracker sits in the milestone: no candidate
      MakeIssue(131300, "[RFC] new feature", {"release-feature-request"}),
  };
  // A merged PR for triage review with `Fixes #131800` in its body.
  in.triage_review = {MakeIssue(131900, "Fix worker segfault", {}, true,
                                IssueState::kClosed, true,
                                "Fixes #131800\n\nTest plan: CI")};
  in.tracker_comments = {
      Comment(1, "pytorchbot",
              ThreeBlock(131100, 132500,
                         absl::StrCat("Regression - ", kBase, "issues/131000")),
              Utc(2024, 8, 5)),
      Comment(2, "atalman", "Thanks, looking.", Utc(2024, 8, 6)),
      // Free-form (2.5.1 tracker style), critical, linking a high-priority
      // crash issue.
      Comment(3, "dev2",
              absl::StrCat("- Trunk PR: ", kBase,
                           "pull/131900\n- Cherry-pick PR: ", kBase,
                           "pull/132600\n- Category: critical, see ", kBase,
                           "issues/131800\n---\n@atalman : merged\n"),
              Utc(2024, 8, 12)),
      // Late: after 2024-08-21, a regression without any link.
      Comment(4, "dev3", ThreeBlock(132000, 132700, "Regression"),
              Utc(2024, 8, 27)),
      // A test-infra commit push with no PR.
      Comment(5, "dev4",
              "- Test-infra PR: https://github.com/pytorch/test-infra/pull/"
              "5500\n- Cherry-pick commit: https://github.com/pytorch/"
              "test-infra/commit/abcdef1234567\n- Category: Infra fixes\n",
              Utc(2024, 8, 10)),
  };
  return in;
}

const PatchCandidate* FindCandidate(const PatchTriage& t, int64_t number) {
  for (const PatchCandidate& c : t.candidates) {
    if (c.number == number) return &c;
  }
  return nullptr;
}

TEST(PatchDeadlineTest, FirstPatchDayLessTwoWeeks) {
  absl::StatusOr<PatchDeadline> d =
      PatchCherryPickDeadline(Schedule24(), *Version::Parse("2.4.1"));
  ASSERT_THAT(d, IsOk());
  EXPECT_THAT(d->day, Optional(absl::CivilDay(2024, 8, 21)));
  EXPECT_THAT(d->release_day, Optional(absl::CivilDay(2024, 9, 4)));
  EXPECT_FALSE(d->approximate);
  EXPECT_THAT(d->source, HasSubstr("4 Sept 2024"));
}

TEST(PatchDeadlineTest, MonthOnlyAndTentativeDatesAreApproximate) {
  absl::StatusOr<ReleaseSchedule> s = ReleaseSchedule::Default();
  ASSERT_THAT(s, IsOk());
  // 2.13.1 is "(Aug 2026)": counted from 1 Aug, tentative.
  absl::StatusOr<PatchDeadline> d =
      PatchCherryPickDeadline(*s, *Version::Parse("2.13.1"));
  ASSERT_THAT(d, IsOk());
  EXPECT_THAT(d->day, Optional(absl::CivilDay(2026, 7, 18)));
  EXPECT_TRUE(d->approximate);
  EXPECT_THAT(d->source, HasSubstr("month only"));
  EXPECT_THAT(d->source, HasSubstr("tentative"));
}

TEST(PatchDeadlineTest, NotPlannedGivesNoDeadlineUnlessOverridden) {
  absl::StatusOr<ReleaseSchedule> s = ReleaseSchedule::Default();
  ASSERT_THAT(s, IsOk());
  absl::StatusOr<PatchDeadline> d =
      PatchCherryPickDeadline(*s, *Version::Parse("2.4.2"));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->day, std::nullopt);
  EXPECT_THAT(d->source, HasSubstr("not planned"));
  EXPECT_THAT(d->source, HasSubstr("--deadline"));

  d = PatchCherryPickDeadline(*s, *Version::Parse("2.4.2"),
                              {.deadline = absl::CivilDay(2024, 10, 1)});
  ASSERT_THAT(d, IsOk());
  EXPECT_THAT(d->day, Optional(absl::CivilDay(2024, 10, 1)));
  EXPECT_EQ(d->source, "--deadline");

  d = PatchCherryPickDeadline(*s, *Version::Parse("3.0.1"));
  ASSERT_THAT(d, IsOk());
  EXPECT_THAT(d->source, HasSubstr("3.0 is not in the schedule"));
}

TEST(PatchDeadlineTest, RejectsWhatIsNotAPatchRelease) {
  ReleaseSchedule s = Schedule24();
  for (absl::string_view v : {"2.4.0", "2.4", "2.4.1rc1", "2.4.1.post1"}) {
    EXPECT_THAT(PatchCherryPickDeadline(s, *Version::Parse(v)),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("is not a patch release")))
        << v;
  }
  PatchTriageInput in;
  in.version = *Version::Parse("2.4.0");
  EXPECT_THAT(TriagePatchRelease(in, s),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ClassificationFromLabelsTest, LabelsNameTheCategory) {
  EXPECT_EQ(ClassificationFromLabels({"module: regression", "topic: crash"}),
            Classification::kRegression);
  EXPECT_EQ(ClassificationFromLabels({"Topic: Deadlock"}),
            Classification::kCritical);
  EXPECT_EQ(ClassificationFromLabels({"topic: correctness (silent)"}),
            Classification::kCritical);
  EXPECT_EQ(ClassificationFromLabels({"module: docs"}), Classification::kDocs);
  EXPECT_EQ(ClassificationFromLabels({"triaged", "module: cuda"}),
            std::nullopt);
}

class Triage241Test : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<PatchTriage> t = TriagePatchRelease(
        Input241(), Schedule24(), {.today = absl::CivilDay(2024, 8, 20)});
    ASSERT_THAT(t, IsOk());
    triage_ = *t;
  }
  PatchTriage triage_;
};

TEST_F(Triage241Test, TheReleaseAndItsDeadline) {
  EXPECT_EQ(triage_.release_branch, "release/2.4");
  EXPECT_THAT(triage_.deadline.day, Optional(absl::CivilDay(2024, 8, 21)));
  EXPECT_THAT(triage_.days_left, Optional(1));
}

TEST_F(Triage241Test, OneCandidatePerItemFromEverySource) {
  std::vector<int64_t> numbers;
  for (const PatchCandidate& c : triage_.candidates)
    numbers.push_back(c.number);
  // Sorted by number; the tracker and the feature request are no candidates;
  // the test-infra commit push (a PR of another repository) is one; the
  // closed high-priority issue read only to check links (131800) is none.
  EXPECT_THAT(numbers, ElementsAre(5500, 131000, 131100, 131200, 131500, 131900,
                                   132000));
  const PatchCandidate* fix = FindCandidate(triage_, 131900);
  ASSERT_NE(fix, nullptr);
  EXPECT_THAT(fix->sources, ElementsAre(CandidateSource::kTriageReview,
                                        CandidateSource::kNomination));
  EXPECT_EQ(fix->title, "Fix worker segfault");
}

TEST_F(Triage241Test, BotNominationOfAHighPriorityRegressionMeetsTheCriteria) {
  const PatchCandidate* c = FindCandidate(triage_, 131100);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, IssueKind::kPullRequest);
  EXPECT_EQ(c->title, "");  // only the nomination names it
  EXPECT_EQ(c->url, absl::StrCat(kBase, "pull/131100"));
  EXPECT_EQ(c->classification, Classification::kRegression);
  EXPECT_EQ(c->classification_origin, ClassificationOrigin::kNomination);
  ASSERT_TRUE(c->linked_issue.has_value());
  EXPECT_EQ(c->linked_issue->number, 131000);
  EXPECT_THAT(c->linked_issue->high_priority, Optional(true));
  EXPECT_TRUE(c->meets_criteria) << ::testing::PrintToString(c->reasons);
  EXPECT_THAT(c->release_prs, ElementsAre(132500));
  EXPECT_THAT(c->nominated_at, Optional(Utc(2024, 8, 5)));
  EXPECT_EQ(c->nominated_by, "pytorchbot");
  EXPECT_FALSE(c->late);
  // The regression issue learns its nominated fix.
  const PatchCandidate* issue = FindCandidate(triage_, 131000);
  ASSERT_NE(issue, nullptr);
  EXPECT_THAT(issue->nominated_fixes, ElementsAre(131100));
  EXPECT_TRUE(issue->meets_criteria);
  EXPECT_EQ(issue->classification_origin, ClassificationOrigin::kLabels);
}

TEST_F(Triage241Test, FreeFormCriticalNominationLinksAClosedHighPriorityIssue) {
  const PatchCandidate* c = FindCandidate(triage_, 131900);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->classification, Classification::kCritical);
  ASSERT_TRUE(c->linked_issue.has_value());
  EXPECT_EQ(c->linked_issue->number, 131800);
  EXPECT_TRUE(c->meets_criteria) << ::testing::PrintToString(c->reasons);
  EXPECT_EQ(c->reply, "@atalman : merged");
}

TEST_F(Triage241Test, RegressionWithoutHighPriorityDoesNotMeetTheCriteria) {
  const PatchCandidate* c = FindCandidate(triage_, 131500);
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->meets_criteria);
  EXPECT_THAT(c->reasons,
              ElementsAre(HasSubstr("not labelled \"high priority\"")));
  EXPECT_TRUE(c->problem());
}

TEST_F(Triage241Test, LateNominationWithoutALinkIsFlaggedTwice) {
  const PatchCandidate* c = FindCandidate(triage_, 132000);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->late);
  EXPECT_FALSE(c->meets_criteria);
  EXPECT_THAT(c->reasons, ElementsAre(HasSubstr("needs a link")));
  EXPECT_EQ(triage_.LateCount(), 1u);
}

TEST_F(Triage241Test, DocsNeedNoIssueAndUnclassifiedItemsDoNotMeetCriteria) {
  const PatchCandidate* docs = FindCandidate(triage_, 131200);
  ASSERT_NE(docs, nullptr);
  EXPECT_EQ(docs->classification, Classification::kDocs);
  EXPECT_TRUE(docs->meets_criteria);
  EXPECT_FALSE(docs->nominated());
  // "Infra fixes" names no classification.
  const PatchCandidate* infra = FindCandidate(triage_, 5500);
  ASSERT_NE(infra, nullptr);
  EXPECT_EQ(infra->repo, "pytorch/test-infra");
  EXPECT_EQ(infra->classification, std::nullopt);
  EXPECT_THAT(infra->reasons, ElementsAre(HasSubstr("no classification")));
}

TEST_F(Triage241Test, PullRequestClassifiedByItsLinkedIssueLabels) {
  PatchTriageInput in = Input241();
  in.tracker_comments.clear();  // before any nomination
  absl::StatusOr<PatchTriage> t = TriagePatchRelease(
      in, Schedule24(), {.today = absl::CivilDay(2024, 8, 1)});
  ASSERT_THAT(t, IsOk());
  const PatchCandidate* c = FindCandidate(*t, 131900);
  ASSERT_NE(c, nullptr);
  // `Fixes #131800`, labelled topic: crash and high priority.
  ASSERT_TRUE(c->linked_issue.has_value());
  EXPECT_EQ(c->linked_issue->number, 131800);
  EXPECT_EQ(c->classification, Classification::kCritical);
  EXPECT_EQ(c->classification_origin, ClassificationOrigin::kLabels);
  EXPECT_TRUE(c->meets_criteria);
}

TEST(PatchTriageTest, DeadlineOverrideAndRepeatedNominations) {
  PatchTriageInput in = Input241();
  // The same PR nominated again later: the first comment counts.
  in.tracker_comments.push_back(
      Comment(9, "dev9",
              ThreeBlock(131100, 132500,
                         absl::StrCat("Regression - ", kBase, "issues/131000")),
              Utc(2024, 9, 1)));
  absl::StatusOr<PatchTriage> t =
      TriagePatchRelease(in, Schedule24(),
                         {.today = absl::CivilDay(2024, 8, 30),
                          .deadline = absl::CivilDay(2024, 8, 8)});
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->deadline.source, "--deadline");
  EXPECT_THAT(t->days_left, Optional(-22));
  const PatchCandidate* c = FindCandidate(*t, 131100);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->nominations, 2);
  EXPECT_EQ(c->nominated_by, "pytorchbot");
  EXPECT_FALSE(c->late);                         // 5 Aug, before 8 Aug
  EXPECT_TRUE(FindCandidate(*t, 131900)->late);  // 12 Aug
}

TEST(PatchTriageTest, NoTrackerNoMilestoneAreNotes) {
  PatchTriageInput in;
  in.version = *Version::Parse("2.12.1");
  in.repo = *GitHubRepo::Parse("pytorch/pytorch");
  in.regressions = {MakeIssue(185000, "regression", {"module: regression"})};
  absl::StatusOr<ReleaseSchedule> s = ReleaseSchedule::Default();
  ASSERT_THAT(s, IsOk());
  absl::StatusOr<PatchTriage> t =
      TriagePatchRelease(in, *s, {.today = absl::CivilDay(2026, 5, 20)});
  ASSERT_THAT(t, IsOk());
  EXPECT_THAT(t->notes, ElementsAre(HasSubstr("no milestone titled 2.12.1"),
                                    HasSubstr("no release tracker")));
  ASSERT_EQ(t->candidates.size(), 1u);
  EXPECT_FALSE(t->candidates[0].nominated());
  EXPECT_EQ(t->ProblemCount(), 1u);
}

TEST(PatchTriageTest, NonNominationCommentsAndEmptyCommentsAreIgnored) {
  PatchTriageInput in = Input241();
  in.tracker_comments = {
      Comment(1, "x", "", Utc(2024, 8, 2)),
      Comment(2, "x", "Criteria Category:\n*\n", Utc(2024, 8, 2)),
  };
  in.milestone_items.clear();
  in.triage_review.clear();
  in.regressions.clear();
  absl::StatusOr<PatchTriage> t = TriagePatchRelease(in, Schedule24(), {});
  ASSERT_THAT(t, IsOk());
  EXPECT_THAT(t->candidates, IsEmpty());
  EXPECT_THAT(t->notes, ElementsAre(HasSubstr("nominates no pull request")));
}

}  // namespace
}  // namespace relkit
