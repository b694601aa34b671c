#include "relkit/rc_tags.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::File;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempGitRepo;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class RcTagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = t_.Commit("main", "Initial", {File("version.txt", "2.4.0a0\n")});
    t_.Branch("release/2.4", base_);
    t_.Branch("orig/release/2.4", base_);
  }
  void Tag(const std::string& name, const ObjectId& at) {
    ASSERT_THAT(t_.repo().CreateTag(name, at, std::nullopt), IsOk());
  }
  absl::StatusOr<RcTagPlan> Plan(RcTagPlanOptions o = {}) {
    return PlanRcTag(t_.repo(), "release/2.4", o);
  }
  TempGitRepo t_;
  ObjectId base_;
};

TEST_F(RcTagsTest, FirstRcIsRc1OfTheMinorRelease) {
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.0-rc1");
  EXPECT_EQ(plan->target, base_);
  EXPECT_THAT(plan->warnings, IsEmpty());
}

TEST_F(RcTagsTest, NextRcCountsOnlyThisReleasesTags) {
  Tag("v2.4.0-rc1", base_);
  Tag("v2.3.0-rc9", base_);
  Tag("v2.5.0-rc4", base_);
  Tag("ciflow/trunk/123", base_);
  ObjectId fix = t_.Commit("release/2.4", "Fix (#1)", {File("a", "a\n")});
  Tag("v2.4.0-rc2", fix);
  ObjectId fix2 = t_.Commit("release/2.4", "Fix (#2)", {File("b", "b\n")});
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.0-rc3");
  EXPECT_EQ(plan->target, fix2);
  auto listed = ListRcTags(t_.repo(), "release/2.4");
  ASSERT_THAT(listed, IsOk());
  std::vector<std::string> names;
  for (const RepositoryRcTag& r : *listed) names.push_back(r.tag.ToString());
  EXPECT_THAT(names, ElementsAre("v2.4.0-rc1", "v2.4.0-rc2"));
}

TEST_F(RcTagsTest, AfterTheFinalTagThePatchReleaseStartsAtRc1) {
  Tag("v2.4.0-rc1", base_);
  Tag("v2.4.0", base_);
  t_.Commit("release/2.4", "Fix (#1)", {File("a", "a\n")});
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.1-rc1");
  EXPECT_THAT(
      TargetRelease("release/2.4", {"v2.4.0", "v2.4.1-rc1", "v2.4.1-rc2"}),
      IsOkAndHolds(*Version::Parse("2.4.1")));
  EXPECT_THAT(TargetRelease("release/2.4", {"v2.4.0", "v2.4.1"}),
              IsOkAndHolds(*Version::Parse("2.4.2")));
}

TEST_F(RcTagsTest, WarnsWhenTheHeadAlreadyCarriesAnRcTag) {
  Tag("v2.4.0-rc1", base_);
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.0-rc2");
  EXPECT_THAT(plan->tags_at_target, ElementsAre("v2.4.0-rc1"));
  ASSERT_THAT(plan->warnings, SizeIs(1));
  EXPECT_THAT(plan->warnings[0], HasSubstr("already carries v2.4.0-rc1"));
}

TEST_F(RcTagsTest, ApplyCreatesTheTagOnceAndIsIdempotent) {
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(
      t_.repo().LookupRef("refs/tags/v2.4.0-rc1"),
      IsOkAndHolds(std::optional<ObjectId>()));  // planning wrote nothing
  EXPECT_THAT(ApplyRcTag(t_.repo(), *plan),
              IsOkAndHolds(ApplyOutcome::kApplied));
  EXPECT_EQ(TempGitRepo::Shell(
                absl::StrCat("git -C '", t_.path(), "' rev-parse v2.4.0-rc1")),
            base_.ToString() + "\n");
  EXPECT_EQ(TempGitRepo::Shell(absl::StrCat("git -C '", t_.path(),
                                            "' cat-file -t v2.4.0-rc1")),
            "commit\n");  // lightweight, as PyTorch pushes them
  EXPECT_THAT(ApplyRcTag(t_.repo(), *plan),
              IsOkAndHolds(ApplyOutcome::kAlreadyApplied));
  // A plan made afterwards moves on to rc2 and warns.
  auto next = Plan();
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->tag.ToString(), "v2.4.0-rc2");
  EXPECT_THAT(next->warnings, SizeIs(1));
}

TEST_F(RcTagsTest, ApplyRefusesATagElsewhereAndAMovedBranch) {
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  ObjectId moved = t_.Commit("release/2.4", "Fix (#1)", {File("a", "a\n")});
  EXPECT_THAT(ApplyRcTag(t_.repo(), *plan),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("moved")));
  EXPECT_THAT(t_.repo().LookupRef("refs/tags/v2.4.0-rc1"),
              IsOkAndHolds(std::optional<ObjectId>()));
  Tag("v2.4.0-rc1", moved);
  EXPECT_THAT(
      ApplyRcTag(t_.repo(), *plan),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("v2.4.0-rc1")));
}

TEST_F(RcTagsTest, FinalTagForPromotion) {
  Tag("v2.4.0-rc1", base_);
  RcTagPlanOptions o;
  o.final = true;
  o.message = "PyTorch 2.4.0\n";
  auto plan = Plan(o);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.0");
  EXPECT_THAT(plan->warnings, IsEmpty());
  // Annotated tags need an identity.
  TempGitRepo::Shell(absl::StrCat(
      "git -C '", t_.path(), "' config user.name Releaser && git -C '",
      t_.path(), "' config user.email r@example.com"));
  auto repo = Repository::Open(t_.path());
  ASSERT_THAT(repo, IsOk());
  EXPECT_THAT(ApplyRcTag(*repo, *plan), IsOkAndHolds(ApplyOutcome::kApplied));
  EXPECT_EQ(TempGitRepo::Shell(
                absl::StrCat("git -C '", t_.path(), "' cat-file -t v2.4.0")),
            "tag\n");
  // No more RCs for a final release.
  EXPECT_THAT(PlanRcTag(*repo, "release/2.4",
                        RcTagPlanOptions{.release = *Version::Parse("2.4.0"),
                                         .final = false,
                                         .message = std::nullopt}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("already final")));
}

TEST_F(RcTagsTest, BadBranchesAreClearErrors) {
  EXPECT_THAT(PlanRcTag(t_.repo(), "orig/release/2.4", {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("untouched cut point")));
  EXPECT_THAT(PlanRcTag(t_.repo(), "main", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("main")));
  EXPECT_THAT(PlanRcTag(t_.repo(), "release/2.5", {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("release/2.5")));
  RcTagPlanOptions o;
  o.release = *Version::Parse("2.5.0");
  EXPECT_THAT(Plan(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("does not belong")));
}

TEST_F(RcTagsTest, RemoteTrackingBranch) {
  ASSERT_THAT(t_.repo().UpdateRefs(
                  {RefUpdate{.name = "refs/remotes/upstream/release/2.4",
                             .target = base_,
                             .expected = std::nullopt,
                             .message = "fetch"}}),
              IsOk());
  auto plan = PlanRcTag(t_.repo(), "upstream/release/2.4", {});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.0-rc1");
}

}  // namespace
}  // namespace relkit
