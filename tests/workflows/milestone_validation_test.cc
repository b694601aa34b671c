#include "relkit/milestone_validation.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/branch_audit.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/milestone.h"
#include "relkit/reports.h"
#include "relkit/snapshot.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::CherryPickTrailer;
using ::relkit::testing::File;
using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempDir;
using ::relkit::testing::TempGitRepo;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Issue Pr(int64_t n, IssueState state = IssueState::kClosed, bool merged = true,
         std::string body = "") {
  Issue i;
  i.kind = IssueKind::kPullRequest;
  i.number = n;
  i.title = absl::StrCat("PR ", n);
  i.state = state;
  i.merged = merged;
  i.body = std::move(body);
  i.url = absl::StrCat("https://github.com/o/n/pull/", n);
  return i;
}

Issue Iss(int64_t n, IssueState state = IssueState::kClosed,
          std::vector<std::string> labels = {}) {
  Issue i;
  i.number = n;
  i.title = absl::StrCat("Issue ", n);
  i.state = state;
  i.labels = std::move(labels);
  i.url = absl::StrCat("https://github.com/o/n/issues/", n);
  return i;
}

std::string Resolved(int n) {
  return absl::StrCat("\n\nPull Request resolved: https://github.com/o/n/pull/",
                      n, "\n");
}

// main: Old (#10, fixes #50) | cut | Fix (#123) picked -x, Other (#12) not
// picked, Doc (#7, fixes #51) not picked; branch: the pick of #123 and a
// release-only fix (#300) that fixes #52.
class MilestoneValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_ = t_.Commit("main", "Old (#10)\n\nFixes #50" + Resolved(10),
                     {File("a", "1\n")});
    t_.Branch("release/2.4", old_);
    t_.Branch("orig/release/2.4", old_);
    fix_ = t_.Commit("main", "Fix (#123)" + Resolved(123), {File("b", "1\n")});
    other_ =
        t_.Commit("main", "Other (#12)" + Resolved(12), {File("c", "1\n")});
    doc_ = t_.Commit("main", "Doc (#7)\n\nfixes #51" + Resolved(7),
                     {File("d", "1\n")});
    pick_ = t_.CherryPick("release/2.4", fix_, CherryPickTrailer::kYes);
    rel_ = t_.Commit("release/2.4", "Release fix (#300)\n\nFixes #52\n",
                     {File("e", "1\n")});
    auto audit = AuditBranch(t_.repo(), "release/2.4");
    ASSERT_THAT(audit.status(), IsOk());
    audit_ = *audit;
  }

  ValidatedItem Only(const std::vector<Issue>& items) {
    auto v = ValidateMilestone(t_.repo(), audit_, Milestone{}, items);
    EXPECT_THAT(v.status(), IsOk());
    if (!v.ok() || v->items.size() != 1) return {};
    return v->items[0];
  }

  TempGitRepo t_;
  ObjectId old_, fix_, other_, doc_, pick_, rel_;
  BranchAudit audit_;
};

TEST_F(MilestoneValidationTest, PickedPrIsPresentWithTrailerEvidence) {
  ValidatedItem i = Only({Pr(123)});
  EXPECT_EQ(i.status, ItemStatus::kPresent);
  EXPECT_EQ(i.main_commits, std::vector<ObjectId>{fix_});
  ASSERT_EQ(i.in_branch.size(), 1u);
  EXPECT_EQ(i.in_branch[0].sha, pick_);
  EXPECT_EQ(i.in_branch[0].evidence[0], Evidence::kCherryPickTrailer);
}

TEST_F(MilestoneValidationTest, MatchesPrNumbersExactlyNotAsSubstrings) {
  // github_analyze finds ".../pull/12" inside ".../pull/123" and calls #12
  // present; it is not.
  ValidatedItem i = Only({Pr(12)});
  EXPECT_EQ(i.status, ItemStatus::kMissing);
  EXPECT_EQ(i.missing_commits, std::vector<ObjectId>{other_});
  EXPECT_TRUE(i.problem());
}

// github_analyze calls a PR present as soon as its pick is on the branch;
// a pick the branch later reverted carries nothing, and the item says so.
TEST_F(MilestoneValidationTest, PickRevertedOnTheBranchIsMissing) {
  ObjectId undo = t_.Revert("release/2.4", pick_);
  auto audit = AuditBranch(t_.repo(), "release/2.4");
  ASSERT_THAT(audit.status(), IsOk());
  audit_ = *audit;
  ValidatedItem i = Only({Pr(123)});
  EXPECT_EQ(i.status, ItemStatus::kMissing);
  EXPECT_EQ(i.missing_commits, std::vector<ObjectId>{fix_});
  EXPECT_TRUE(i.in_branch.empty());
  EXPECT_THAT(i.detail, HasSubstr(absl::StrCat(
                            "picked as ", pick_.ShortString(),
                            " but reverted there by ", undo.ShortString())));
}

// A release-only fix (#300, fixing #52) reverted on the branch is missing
// too, though it never was on main.
TEST_F(MilestoneValidationTest, BranchOnlyFixRevertedThereIsMissing) {
  ObjectId undo = t_.Revert("release/2.4", rel_);
  auto audit = AuditBranch(t_.repo(), "release/2.4");
  ASSERT_THAT(audit.status(), IsOk());
  audit_ = *audit;
  for (const Issue& item : {Pr(300), Iss(52)}) {
    ValidatedItem i = Only({item});
    EXPECT_EQ(i.status, ItemStatus::kMissing)
        << item.number << ": " << i.detail;
    EXPECT_EQ(i.missing_commits, std::vector<ObjectId>{rel_});
    EXPECT_TRUE(i.in_branch.empty());
    EXPECT_THAT(i.detail, HasSubstr(absl::StrCat(rel_.ShortString(),
                                                 ", not in release/2.4")));
    EXPECT_THAT(i.detail, HasSubstr(absl::StrCat("reverted there by ",
                                                 undo.ShortString())));
    EXPECT_THAT(i.detail, ::testing::Not(HasSubstr(" on main")));
  }
}

TEST_F(MilestoneValidationTest, PrLandedBeforeTheCutIsPresentByAncestry) {
  ValidatedItem i = Only({Pr(10)});
  EXPECT_EQ(i.status, ItemStatus::kPresent);
  ASSERT_EQ(i.in_branch.size(), 1u);
  EXPECT_EQ(i.in_branch[0].sha, old_);
  EXPECT_THAT(i.in_branch[0].evidence, ElementsAre(Evidence::kAncestry));
}

TEST_F(MilestoneValidationTest, MergedPrWithoutCommitIsNoCommit) {
  EXPECT_EQ(Only({Pr(999)}).status, ItemStatus::kNoCommit);
  EXPECT_EQ(Only({Pr(998, IssueState::kClosed, false)}).status,
            ItemStatus::kNotMerged);
  EXPECT_EQ(Only({Pr(997, IssueState::kOpen, false)}).status,
            ItemStatus::kOpen);
}

TEST_F(MilestoneValidationTest, IssuesMapToTheirFixingCommits) {
  ValidatedItem before = Only({Iss(50)});
  EXPECT_EQ(before.status, ItemStatus::kPresent);
  EXPECT_EQ(before.prs, std::vector<uint64_t>{10});

  ValidatedItem missing = Only({Iss(51)});
  EXPECT_EQ(missing.status, ItemStatus::kMissing);
  EXPECT_EQ(missing.prs, std::vector<uint64_t>{7});
  EXPECT_EQ(missing.missing_commits, std::vector<ObjectId>{doc_});

  ValidatedItem release_only = Only({Iss(52)});
  EXPECT_EQ(release_only.status, ItemStatus::kPresent);
  ASSERT_EQ(release_only.in_branch.size(), 1u);
  EXPECT_EQ(release_only.in_branch[0].sha, rel_);

  EXPECT_EQ(Only({Iss(53)}).status, ItemStatus::kNoFix);
}

TEST_F(MilestoneValidationTest, MilestonePrBodyLinksAnIssue) {
  auto v = ValidateMilestone(
      t_.repo(), audit_, Milestone{},
      {Pr(123, IssueState::kClosed, true, "Fixes #60"), Iss(60)});
  ASSERT_THAT(v.status(), IsOk());
  EXPECT_EQ(v->items[1].status, ItemStatus::kPresent);
  EXPECT_EQ(v->items[1].prs, std::vector<uint64_t>{123});
}

TEST_F(MilestoneValidationTest, SkipsFeatureRequestsAndPrintsAnalyzeLines) {
  auto v = ValidateMilestone(
      t_.repo(), audit_, Milestone{},
      {Iss(70, IssueState::kOpen, {"Release-Feature-Request"}), Pr(12),
       Iss(71, IssueState::kOpen), Pr(123)});
  ASSERT_THAT(v.status(), IsOk());
  EXPECT_EQ(v->items[0].status, ItemStatus::kSkipped);
  EXPECT_EQ(v->With(ItemStatus::kOpen).size(), 1u);
  EXPECT_EQ(AnalyzeLines(*v),
            "len(main_commits)=3\nlen(release_commits)=2\nURL;Title;Status\n"
            "https://github.com/o/n/pull/12 ;PR 12;closed\n"
            "https://github.com/o/n/issues/71 ;Issue 71;open\n");
}

TEST_F(MilestoneValidationTest, HistoryLimitBoundsTheWalkBeforeTheCut) {
  MilestoneValidationOptions o;
  o.max_history_commits = 1;
  auto v = ValidateMilestone(t_.repo(), audit_, Milestone{}, {Iss(53)}, o);
  ASSERT_THAT(v.status(), IsOk());
  EXPECT_EQ(v->history_commits_read, 1u);
  EXPECT_THAT(v->items[0].detail, HasSubstr("no commit"));
}

// Where a `Fixes` reference to issue #60 is written.
enum class FixesIn { kPrBody, kMainSinceCut, kBranchSinceCut, kBeforeCut };

std::string FixesInName(FixesIn where) {
  switch (where) {
    case FixesIn::kPrBody:
      return "PrBody";
    case FixesIn::kMainSinceCut:
      return "MainSinceCut";
    case FixesIn::kBranchSinceCut:
      return "BranchSinceCut";
    case FixesIn::kBeforeCut:
      return "BeforeCut";
  }
  return "";
}

// Validates the milestone {#61 merged, issue #60} of o/n where `Fixes <ref>`
// is written in the one place `where`: the description of PR #61, its
// commit on main since the cut, a release-only commit (#300) on the branch,
// or a commit (#9) before the cut. Returns issue #60's validation.
ValidatedItem IssueSixty(FixesIn where, const std::string& ref) {
  auto fixes = [&](FixesIn here) {
    return where == here ? absl::StrCat("\n\nFixes ", ref) : std::string();
  };
  TempGitRepo t;
  t.Commit("main", "Older (#9)" + fixes(FixesIn::kBeforeCut) + Resolved(9),
           {File("z", "1\n")});
  ObjectId cut =
      t.Commit("main", "Cut here (#10)" + Resolved(10), {File("a", "1\n")});
  t.Branch("release/2.4", cut);
  t.Branch("orig/release/2.4", cut);
  t.Commit("main", "Fix (#61)" + fixes(FixesIn::kMainSinceCut) + Resolved(61),
           {File("b", "1\n")});
  t.Commit("release/2.4",
           "Release fix (#300)" + fixes(FixesIn::kBranchSinceCut) + "\n",
           {File("e", "1\n")});
  auto audit = AuditBranch(t.repo(), "release/2.4");
  EXPECT_THAT(audit.status(), IsOk());
  if (!audit.ok()) return {};
  auto v = ValidateMilestone(
      t.repo(), *audit, Milestone{},
      {Pr(61, IssueState::kClosed, true,
          where == FixesIn::kPrBody ? absl::StrCat("Fixes ", ref) : ""),
       Iss(60)});
  EXPECT_THAT(v.status(), IsOk());
  if (!v.ok() || v->items.size() != 2) return {};
  return v->items[1];
}

// The PR or commit that names #60 in each place, when it names o/n's #60.
uint64_t FixingPr(FixesIn where) {
  switch (where) {
    case FixesIn::kPrBody:
    case FixesIn::kMainSinceCut:
      return 61;
    case FixesIn::kBranchSinceCut:
      return 300;
    case FixesIn::kBeforeCut:
      return 9;
  }
  return 0;
}

class CrossRepositoryFixesTest : public ::testing::TestWithParam<FixesIn> {};

// `Fixes https://github.com/other/repo/issues/60` closes issue #60 of
// other/repo: o/n's #60 stays without a fix, wherever the reference is
// written. (`Fixes other/repo#60` is no `Fixes` reference at all: see
// CommitMessageTest; it must not count either.)
TEST_P(CrossRepositoryFixesTest, FixesOfAnotherRepositoryFixNothingHere) {
  for (const std::string ref :
       {"https://github.com/other/repo/issues/60",
        "https://github.com/Other/Repo/issues/60",
        "https://github.com/o/n2/issues/60",
        "https://github.com/other/n/issues/60", "other/repo#60"}) {
    ValidatedItem i = IssueSixty(GetParam(), ref);
    EXPECT_EQ(i.item.number, 60) << ref;
    EXPECT_EQ(i.status, ItemStatus::kNoFix) << ref << ": " << i.detail;
    EXPECT_THAT(i.prs, ::testing::IsEmpty()) << ref;
    EXPECT_THAT(i.main_commits, ::testing::IsEmpty()) << ref;
    EXPECT_THAT(i.in_branch, ::testing::IsEmpty()) << ref;
  }
}

// The same places do map o/n's #60 when the reference names it (so the test
// above reads each place): plainly, or by its URL in any case.
TEST_P(CrossRepositoryFixesTest, FixesOfThisRepositoryMapTheIssue) {
  for (const std::string ref : {"#60", "https://github.com/o/n/issues/60",
                                "https://github.com/O/N/issues/60"}) {
    ValidatedItem i = IssueSixty(GetParam(), ref);
    EXPECT_NE(i.status, ItemStatus::kNoFix) << ref << ": " << i.detail;
    EXPECT_EQ(i.prs, std::vector<uint64_t>{FixingPr(GetParam())}) << ref;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryPlace, CrossRepositoryFixesTest,
                         ::testing::Values(FixesIn::kPrBody,
                                           FixesIn::kMainSinceCut,
                                           FixesIn::kBranchSinceCut,
                                           FixesIn::kBeforeCut),
                         [](const ::testing::TestParamInfo<FixesIn>& info) {
                           return FixesInName(info.param);
                         });

// Long history before the cut: 300 commits a month older than the rest.
TEST(MilestoneHistoryTest, WalkEndsAtCommitsOlderThanAnyItemCanBe) {
  TempGitRepo t;
  for (int i = 0; i < 300; ++i) {
    t.Commit("main", absl::StrCat("Old ", i, "\n"),
             {File("old.txt", absl::StrCat(i, "\n"))});
  }
  t.AdvanceClock(absl::Hours(24 * 30));
  const absl::Time opened = t.clock();
  ObjectId fix = t.Commit("main", "Fix (#61)\n\nFixes #60" + Resolved(61),
                          {File("fix.txt", "1\n")});
  for (int i = 0; i < 5; ++i) {
    t.Commit("main", absl::StrCat("New ", i, "\n"),
             {File("new.txt", absl::StrCat(i, "\n"))});
  }
  t.Branch("release/2.4", *t.Head("main"));
  t.Branch("orig/release/2.4", *t.Head("main"));
  auto audit = AuditBranch(t.repo(), "release/2.4");
  ASSERT_THAT(audit.status(), IsOk());

  Issue fixed = Iss(60);
  Issue never_fixed = Iss(70);  // closed as "won't fix": nothing fixes it
  Issue merged = Pr(61);
  for (Issue* i : {&fixed, &never_fixed}) i->created_at = opened;
  merged.merged_at = opened;
  auto v = ValidateMilestone(t.repo(), *audit, Milestone{},
                             {fixed, never_fixed, merged});
  ASSERT_THAT(v.status(), IsOk());
  EXPECT_EQ(v->items[0].status, ItemStatus::kPresent);
  EXPECT_THAT(v->items[0].detail, ::testing::Not(HasSubstr("no commit")));
  EXPECT_THAT(v->items[1].detail, HasSubstr("no commit"));
  EXPECT_THAT(v->items[1].detail,
              HasSubstr(absl::StrCat(
                  "(history before ",
                  absl::FormatTime("%Y-%m-%d", opened - absl::Hours(7 * 24),
                                   absl::UTCTimeZone()),
                  " not searched)")));
  EXPECT_EQ(v->items[2].status, ItemStatus::kPresent);
  EXPECT_THAT(v->items[2].in_branch,
              ElementsAre(Counterpart{fix, {Evidence::kAncestry}}));
  // The 6 recent commits; not the 300 below the run of old ones.
  EXPECT_EQ(v->history_commits_read, 6u);
  EXPECT_EQ(v->history_ended_before, opened - absl::Hours(7 * 24));

  // An item without a time can have landed any time: the whole history.
  never_fixed.created_at.reset();
  auto w = ValidateMilestone(t.repo(), *audit, Milestone{},
                             {fixed, never_fixed, merged});
  ASSERT_THAT(w.status(), IsOk());
  EXPECT_EQ(w->history_commits_read, 306u);
  EXPECT_FALSE(w->history_ended_before.has_value());
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(w->items[k].status, v->items[k].status);
  }
  EXPECT_EQ(w->items[1].detail,
            "no commit or milestone PR says it fixes this issue");
}

// Old dates that do not end the walk: a long side branch merged late keeps
// its old dates, and one mainline commit has a wrong (old) clock. Only a
// run of old mainline commits ends it.
TEST(MilestoneHistoryTest, OldSideBranchesAndOneSkewedDateDoNotEndTheWalk) {
  auto at = [](int y, int m, int d) {
    return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
  };
  TempGitRepo t;
  t.SetClock(at(2024, 1, 1));
  ObjectId root = t.Commit("main", "Initial\n", {File("a.txt", "0\n")});
  t.Branch("side", root);
  for (int i = 0; i < 300; ++i) {
    t.Commit("side", absl::StrCat("Side ", i, "\n"),
             {File("side.txt", absl::StrCat(i, "\n"))});
  }
  t.SetClock(at(2024, 6, 1));
  ObjectId fix = t.Commit("main", "Fix thing (#61)" + Resolved(61),
                          {File("fix.txt", "1\n")});
  t.SetClock(at(2023, 1, 1));  // a machine with a wrong clock
  t.Commit("main", "Skewed\n", {File("skew.txt", "1\n")});
  t.SetClock(at(2024, 6, 2));
  for (int i = 0; i < 3; ++i) {
    t.Commit("main", absl::StrCat("New ", i, "\n"),
             {File("new.txt", absl::StrCat(i, "\n"))});
  }
  t.Merge("main", *t.Head("side"), "Merge side\n");
  t.Branch("release/2.4", *t.Head("main"));
  t.Branch("orig/release/2.4", *t.Head("main"));
  auto audit = AuditBranch(t.repo(), "release/2.4");
  ASSERT_THAT(audit.status(), IsOk());

  Issue merged = Pr(61);
  merged.merged_at = at(2024, 6, 1);
  auto v = ValidateMilestone(t.repo(), *audit, Milestone{}, {merged});
  ASSERT_THAT(v.status(), IsOk());
  EXPECT_EQ(v->items[0].status, ItemStatus::kPresent) << v->items[0].detail;
  EXPECT_THAT(v->items[0].in_branch,
              ElementsAre(Counterpart{fix, {Evidence::kAncestry}}));
  EXPECT_FALSE(v->history_ended_before.has_value());
}

TEST_F(MilestoneValidationTest, ReportsTheWalkBeforeTheCutToProgress) {
  MilestoneValidationOptions o;
  std::vector<size_t> seen;
  o.progress = [&](size_t commits) { seen.push_back(commits); };
  auto v = ValidateMilestone(t_.repo(), audit_, Milestone{}, {Iss(53)}, o);
  ASSERT_THAT(v.status(), IsOk());
  ASSERT_GT(v->history_commits_read, 0u);
  EXPECT_THAT(seen, ElementsAre(v->history_commits_read));

  // No walk (every item is mapped since the cut): no progress.
  seen.clear();
  ASSERT_THAT(
      ValidateMilestone(t_.repo(), audit_, Milestone{}, {Pr(123)}, o).status(),
      IsOk());
  EXPECT_THAT(seen, ::testing::IsEmpty());
}

// One item of the issues API's listing (repository o/n).
std::string ItemJson(int number, bool pr, const std::string& state) {
  std::string j = absl::StrCat(
      "{\"number\":", number, ",\"title\":\"Item ", number, "\",\"state\":\"",
      state, "\",\"labels\":[],", "\"html_url\":\"https://github.com/o/n/",
      pr ? "pull/" : "issues/", number,
      "\",\"user\":{\"login\":\"dev\"},\"body\":\"\"");
  if (pr) {
    absl::StrAppend(&j, ",\"pull_request\":{\"merged_at\":",
                    state == "closed" ? "\"2024-06-20T10:00:00Z\"" : "null",
                    "}");
  }
  return j + "}";
}

// A snapshot of o/n's milestone 7 "2.4.0" holding `items`, for CheckMilestone
// to read offline.
void WriteMilestone(const std::string& dir,
                    const std::vector<std::string>& items) {
  const std::string m =
      "{\"number\":7,\"title\":\"2.4.0\",\"state\":\"open\","
      "\"open_issues\":0,\"closed_issues\":0,"
      "\"html_url\":\"https://github.com/o/n/milestone/7\"}";
  auto put = [&dir](const std::string& key, const std::string& body) {
    ASSERT_THAT(WriteSnapshotEntry(dir, {.key = key, .body = body}), IsOk());
  };
  put("repos/o/n/milestones/7", m);
  put("repos/o/n/milestones?state=all&per_page=100", absl::StrCat("[", m, "]"));
  put("repos/o/n/issues?milestone=7&state=all&per_page=100",
      absl::StrCat("[", absl::StrJoin(items, ","), "]"));
}

class CheckMilestoneTest : public MilestoneValidationTest {
 protected:
  void SetUp() override {
    MilestoneValidationTest::SetUp();
    WriteMilestone(
        dir_.path(),
        {ItemJson(123, true, "closed"), ItemJson(12, true, "closed"),
         ItemJson(51, false, "closed"), ItemJson(71, false, "open")});
    auto gh = GitHubClient::Create({.snapshot_dir = dir_.path()});
    ASSERT_THAT(gh.status(), IsOk());
    gh_.emplace(std::move(*gh));
  }

  MilestoneCheckOptions Options(const std::string& milestone) const {
    return {.github_repo = *GitHubRepo::Parse("o/n"),
            .branch = "release/2.4",
            .milestone = milestone};
  }

  TempDir dir_;
  std::optional<GitHubClient> gh_;
};

// The audit, the milestone and its items, the validation: what the three
// calls give by hand, from two listing requests.
TEST_F(CheckMilestoneTest, AuditsReadsTheMilestoneAndValidatesIt) {
  auto c = CheckMilestone(t_.repo(), *gh_, Options("2.4.0"));
  ASSERT_THAT(c.status(), IsOk());
  EXPECT_EQ(c->milestone.number, 7);
  EXPECT_EQ(c->milestone.title, "2.4.0");
  EXPECT_EQ(c->audit.branch_head, audit_.branch_head);
  EXPECT_EQ(c->audit.main_commits.size(), audit_.main_commits.size());
  EXPECT_EQ(c->validation.milestone, c->milestone);
  std::vector<ItemStatus> status;
  std::vector<Issue> items;
  for (const ValidatedItem& i : c->validation.items) {
    status.push_back(i.status);
    items.push_back(i.item);
  }
  EXPECT_THAT(status, ElementsAre(ItemStatus::kPresent, ItemStatus::kMissing,
                                  ItemStatus::kMissing, ItemStatus::kOpen));
  auto by_hand = ValidateMilestone(t_.repo(), audit_, c->milestone, items);
  ASSERT_THAT(by_hand.status(), IsOk());
  EXPECT_EQ(AnalyzeLines(*by_hand), AnalyzeLines(c->validation));
  for (size_t k = 0; k < items.size(); ++k) {
    EXPECT_EQ(by_hand->items[k].detail, c->validation.items[k].detail);
  }
  // The milestone listing (by title) and one item page.
  EXPECT_EQ(gh_->stats().requests, 2);
}

TEST_F(CheckMilestoneTest,
       MissingBranchCostsNoRequestMissingMilestoneIsNotFound) {
  MilestoneCheckOptions o = Options("7");
  o.branch = "release/9.9";
  EXPECT_THAT(CheckMilestone(t_.repo(), *gh_, o).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("release/9.9")));
  EXPECT_EQ(gh_->stats().requests, 0);
  EXPECT_THAT(CheckMilestone(t_.repo(), *gh_, Options("8")).status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(CheckMilestone(t_.repo(), *gh_, Options("7")).status(), IsOk());
}

// With the milestone and its items from the caller: no GitHub, and both
// option sets reach their step.
TEST_F(MilestoneValidationTest, CheckMilestoneOfGivenItemsPassesTheOptionsOn) {
  Milestone m;
  m.number = 7;
  m.title = "2.4.0";
  MilestoneCheckOptions o;
  o.branch = "release/2.4";
  o.validation.skip_label = "";  // nothing skipped
  const std::vector<Issue> items = {
      Iss(70, IssueState::kOpen, {"release-feature-request"}), Pr(123)};
  auto c = CheckMilestone(t_.repo(), m, items, o);
  ASSERT_THAT(c.status(), IsOk());
  EXPECT_EQ(c->milestone, m);
  ASSERT_EQ(c->validation.items.size(), 2u);
  EXPECT_EQ(c->validation.items[0].status, ItemStatus::kOpen);
  EXPECT_EQ(c->validation.items[1].status, ItemStatus::kPresent);
  o.audit.main = "no-such-main";
  EXPECT_THAT(CheckMilestone(t_.repo(), m, items, o).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no-such-main")));
}

}  // namespace
}  // namespace relkit
