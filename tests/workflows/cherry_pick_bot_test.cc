// The pure parts of the cherry-pick bot: branch names, requests from
// comments, and the comments it writes (the end-to-end runs are in
// tests/cli/test_cli_cherry_pick_apply.py).
#include "relkit/cherry_pick_bot.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(CherryPickBranchNameTest, ReplacesRunsOfOtherCharactersLikeTheBot) {
  EXPECT_EQ(CherryPickBranchName(128004, "octocat"),
            "cherry-pick-128004-by-octocat");
  EXPECT_EQ(CherryPickBranchName(1, "pytorch-bot[bot]"),
            "cherry-pick-1-by-pytorch_bot_bot_");
  EXPECT_EQ(CherryPickBranchName(1, "a--b..c"), "cherry-pick-1-by-a_b_c");
  EXPECT_EQ(CherryPickBranchName(7, ""), "cherry-pick-7-by-relkit");
}

TEST(CherryPickRequestTest, FromCommentTakesOntoClassificationAndFixes) {
  CherryPickRequest base;
  base.pr = 5;
  base.requested_by = "octocat";
  auto r = CherryPickRequestFromComment(
      "Please\n@pytorchbot cherry-pick --into release/2.4 -c critical "
      "--fixes #9",
      base);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->onto, "release/2.4");
  EXPECT_EQ(r->classification, Classification::kCritical);
  EXPECT_EQ(r->fixes, "#9");
  EXPECT_EQ(r->pr, 5);
  EXPECT_EQ(r->requested_by, "octocat");
  EXPECT_THAT(CherryPickRequestFromComment("@pytorchbot cherry-pick -c docs",
                                           base, "c.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("c.txt")));
}

CherryPickPlan SamplePlan() {
  CherryPickPlan plan;
  plan.request.pr = 123;
  plan.request.onto = "release/2.4";
  plan.request.classification = Classification::kRegression;
  plan.request.fixes = "https://github.com/o/n/issues/99";
  plan.request.requested_by = "octocat";
  plan.request.repo = GitHubRepo{.owner = "o", .name = "n"};
  plan.pr.url = "https://github.com/o/n/pull/123";
  plan.main_commit = *ObjectId::Parse(std::string(40, 'a'));
  CherryPickResult pick;
  pick.kind = CherryPickResult::Kind::kConflict;
  pick.conflicts = {"b.py", "torch/x.py"};
  plan.pick = pick;
  return plan;
}

TEST(CherryPickCommentsTest, NominationReadsBackExactly) {
  CherryPickPlan plan = SamplePlan();
  CherryPickNomination n =
      CherryPickNominationFor(plan, "https://github.com/o/n/pull/130");
  std::optional<CherryPickNomination> back =
      ParseTrackerComment(RenderTrackerComment(n));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->trunk_prs, n.trunk_prs);
  EXPECT_EQ(back->release_prs, n.release_prs);
  EXPECT_EQ(back->classification, Classification::kRegression);
  EXPECT_EQ(back->fixes, "https://github.com/o/n/issues/99");
  EXPECT_TRUE(back->warnings.empty());
}

TEST(CherryPickCommentsTest, FailureMentionsTheRequesterAndThePaths) {
  CherryPickPlan plan = SamplePlan();
  std::string text = CherryPickFailureComment(plan);
  EXPECT_THAT(text, HasSubstr("@octocat "));
  EXPECT_THAT(text, HasSubstr("* `b.py`\n* `torch/x.py`\n"));
  EXPECT_THAT(text, HasSubstr(std::string(40, 'a')));
  plan.request.requested_by = "";
  EXPECT_THAT(CherryPickFailureComment(plan), Not(HasSubstr("@")));
}

TEST(CherryPickCommentsTest, DoneCommentLikeTheBot) {
  CherryPickPlan plan = SamplePlan();
  std::string text =
      CherryPickDoneComment(plan, "https://github.com/o/n/pull/130");
  EXPECT_THAT(text, HasSubstr("### Cherry picking #123\nThe cherry pick PR is "
                              "at https://github.com/o/n/pull/130 and it is "
                              "linked with issue "
                              "https://github.com/o/n/issues/99."));
  plan.request.fixes.reset();
  EXPECT_THAT(CherryPickDoneComment(plan, "u"),
              HasSubstr("it is recommended to link a regression cherry pick "
                        "PR with an issue."));
}

}  // namespace
}  // namespace relkit
