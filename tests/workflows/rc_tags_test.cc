#include "relkit/rc_tags.h"

#include <filesystem>
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
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::SizeIs;
using ::testing::StartsWith;

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

TEST_F(RcTagsTest, RerunAtAHeadThatCarriesTheNewestRcIsAlreadyApplied) {
  // Issue 14: a rerun of `rc create --execute` made -rc2 on the commit that
  // already carried -rc1.
  Tag("v2.4.0-rc1", base_);
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.0-rc1");
  EXPECT_TRUE(plan->already_applied);
  EXPECT_THAT(plan->tags_at_target, ElementsAre("v2.4.0-rc1"));
  EXPECT_THAT(plan->warnings, IsEmpty());
  EXPECT_THAT(ApplyRcTag(t_.repo(), *plan),
              IsOkAndHolds(ApplyOutcome::kAlreadyApplied));
  EXPECT_EQ(TempGitRepo::Shell(absl::StrCat("git -C '", t_.path(), "' tag")),
            "v2.4.0-rc1\n");
}

TEST_F(RcTagsTest, WarnsWhenTheHeadCarriesAnotherReleasesRc) {
  Tag("v2.4.0-rc1", base_);
  Tag("v2.4.0", base_);
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->tag.ToString(), "v2.4.1-rc1");
  EXPECT_FALSE(plan->already_applied);
  ASSERT_THAT(plan->warnings, SizeIs(1));
  EXPECT_THAT(plan->warnings[0], HasSubstr("already carries v2.4.0-rc1"));
}

TEST_F(RcTagsTest, ApplyCreatesTheTagOnceAndIsIdempotent) {
  auto plan = Plan();
  ASSERT_THAT(plan, IsOk());
  EXPECT_FALSE(plan->already_applied);
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
  // A plan made afterwards (a rerun) is the same tag, already applied...
  auto again = Plan();
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->tag.ToString(), "v2.4.0-rc1");
  EXPECT_TRUE(again->already_applied);
  EXPECT_THAT(ApplyRcTag(t_.repo(), *again),
              IsOkAndHolds(ApplyOutcome::kAlreadyApplied));
  // ...until the branch moves on.
  ObjectId fix = t_.Commit("release/2.4", "Fix (#1)", {File("a", "a\n")});
  auto next = Plan();
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->tag.ToString(), "v2.4.0-rc2");
  EXPECT_EQ(next->target, fix);
  EXPECT_FALSE(next->already_applied);
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
                                         .message = std::nullopt,
                                         .allow_skip = false,
                                         .remote = std::nullopt}),
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

TEST_F(RcTagsTest, FinalTagGoesAtTheLastRcAndRerunsAreAlreadyApplied) {
  // Issue 14: three runs of `rc create --final --execute` on one commit made
  // v2.4.0, v2.4.1 and v2.4.2.
  Tag("v2.4.0-rc1", base_);
  ObjectId fix = t_.Commit("release/2.4", "Fix (#1)", {File("a", "a\n")});
  Tag("v2.4.0-rc2", fix);
  RcTagPlanOptions o;
  o.final = true;
  for (int run = 0; run < 3; ++run) {
    SCOPED_TRACE(run);
    auto plan = Plan(o);
    ASSERT_THAT(plan, IsOk());
    EXPECT_EQ(plan->tag.ToString(), "v2.4.0");
    EXPECT_EQ(plan->target, fix);
    EXPECT_EQ(plan->promotes, "v2.4.0-rc2");
    EXPECT_EQ(plan->already_applied, run > 0);
    EXPECT_THAT(ApplyRcTag(t_.repo(), *plan),
                IsOkAndHolds(run == 0 ? ApplyOutcome::kApplied
                                      : ApplyOutcome::kAlreadyApplied));
  }
  EXPECT_EQ(TempGitRepo::Shell(absl::StrCat("git -C '", t_.path(), "' tag")),
            "v2.4.0\nv2.4.0-rc1\nv2.4.0-rc2\n");
}

TEST_F(RcTagsTest, FinalTagNeedsAnRcAtTheHeadOrAnOverrideWithAReason) {
  // Issue 14: the first final run tagged a head that never carried an RC.
  // Issue 13: a head that moved on since the last RC is refused; an
  // override takes a reason, which goes into the (annotated) tag message.
  RcTagPlanOptions o;
  o.final = true;
  EXPECT_THAT(Plan(o), StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("has no RC tag")));
  Tag("v2.4.0-rc1", base_);
  ObjectId later = t_.Commit("release/2.4", "Fix (#1)", {File("a", "a\n")});
  EXPECT_THAT(Plan(o),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("has moved on since v2.4.0-rc1"),
                             HasSubstr("override with a reason"))));
  o.override_reason = "the fix is docs only; rc1 was validated";
  auto plan = Plan(o);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->target, base_);  // the tested RC, not the untested head
  EXPECT_EQ(plan->head, later);
  ASSERT_THAT(plan->overridden, SizeIs(1));
  EXPECT_THAT(plan->overridden[0], HasSubstr("does not carry the last RC"));
  ASSERT_TRUE(plan->message.has_value());
  EXPECT_THAT(*plan->message,
              AllOf(HasSubstr("Release 2.4.0"),
                    HasSubstr("Readiness override: the fix is docs only"),
                    HasSubstr("- release/2.4 has moved on since v2.4.0-rc1")));
  // A new RC between plan and apply: the plan is stale.
  Tag("v2.4.0-rc2", later);
  EXPECT_THAT(ApplyRcTag(t_.repo(), *plan),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("plan again")));
  EXPECT_THAT(t_.repo().LookupRef("refs/tags/v2.4.0"),
              IsOkAndHolds(std::optional<ObjectId>()));
  // A patch release without an RC of its own has nothing to promote.
  Tag("v2.4.0", later);
  o.release = *Version::Parse("2.4.1");
  EXPECT_THAT(Plan(o), StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("2.4.1 has no RC tag")));
}

TEST_F(RcTagsTest, FinalTagNeedsAPassingReadinessCheckOrAnOverride) {
  Tag("v2.4.0-rc1", base_);
  RcTagPlanOptions o;
  o.final = true;
  auto plan = Plan(o);
  ASSERT_THAT(plan, IsOk());
  // Not run: refused.
  RcTagPlan copy = *plan;
  EXPECT_THAT(GuardFinalTag(nullptr, copy),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("readiness check was not run")));
  // Run and failed: refused, naming each failed criterion.
  ReadinessReport report;
  report.branch_head = base_;
  report.criteria.push_back({.id = CriterionId::kNoOpenItems,
                             .passed = false,
                             .summary = "1 item still open"});
  report.criteria.push_back(
      {.id = CriterionId::kCiGreen, .passed = true, .summary = "green"});
  copy = *plan;
  EXPECT_THAT(GuardFinalTag(&report, copy),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("no-open-items failed: 1 item"),
                             Not(HasSubstr("ci-green")))));
  EXPECT_FALSE(copy.message.has_value());
  // Passed: the plan stands as it is (a lightweight tag).
  report.criteria[0].passed = true;
  copy = *plan;
  ASSERT_THAT(GuardFinalTag(&report, copy), IsOk());
  EXPECT_FALSE(copy.message.has_value());
  EXPECT_THAT(copy.overridden, IsEmpty());
  // Failed with an override: recorded in the message.
  report.criteria[0].passed = false;
  o.override_reason = "tracked in #9";
  o.message = "PyTorch 2.4.0";
  plan = Plan(o);
  ASSERT_THAT(plan, IsOk());
  ASSERT_THAT(GuardFinalTag(&report, *plan), IsOk());
  ASSERT_TRUE(plan->message.has_value());
  EXPECT_THAT(*plan->message,
              AllOf(StartsWith("PyTorch 2.4.0\n\nReadiness override: "
                               "tracked in #9\n"),
                    HasSubstr("- readiness: no-open-items failed")));
  // Applied: an annotated tag carrying the message.
  ASSERT_THAT(ApplyRcTag(t_.repo(), *plan),
              IsOkAndHolds(ApplyOutcome::kApplied));
  auto target = t_.repo().LookupRefTarget("refs/tags/v2.4.0");
  ASSERT_THAT(target, IsOk());
  EXPECT_NE(**target, base_);  // a tag object, not the commit
  // A rerun is already applied and needs no guard.
  plan = Plan(o);
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->already_applied);
  EXPECT_THAT(GuardFinalTag(nullptr, *plan), IsOk());
}

TEST_F(RcTagsTest, ASkippedReleaseIsRefusedUnlessAllowed) {
  // Issue 14: `--release 2.4.9 --final` skipped 2.4.3 to 2.4.8 silently.
  for (const char* name : {"v2.4.0-rc1", "v2.4.0", "v2.4.1", "v2.4.2"}) {
    Tag(name, base_);
  }
  RcTagPlanOptions o;
  o.release = *Version::Parse("2.4.9");
  o.final = true;
  EXPECT_THAT(Plan(o), StatusIs(absl::StatusCode::kFailedPrecondition,
                                AllOf(HasSubstr("2.4.9 skips 2.4.3"),
                                      HasSubstr("--allow-skip"))));
  o.final = false;
  EXPECT_THAT(Plan(o), StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("skips 2.4.3")));
  o.allow_skip = true;
  auto rc = Plan(o);
  ASSERT_THAT(rc, IsOk());
  EXPECT_EQ(rc->tag.ToString(), "v2.4.9-rc1");
  // The next release itself is no skip.
  o.allow_skip = false;
  o.release = *Version::Parse("2.4.3");
  EXPECT_THAT(Plan(o), IsOk());
}

TEST_F(RcTagsTest, PushSendsTheLocalTagAndARerunAfterAKillPushesIt) {
  TempGitRepo remote(InitOptions::Kind::kBare);
  RcTagPlanOptions o;
  o.remote = remote.path();
  auto plan = Plan(o);
  ASSERT_THAT(plan, IsOk());
  // Killed between the local tag and the push: the tag exists locally only.
  ASSERT_THAT(ApplyRcTag(t_.repo(), *plan),
              IsOkAndHolds(ApplyOutcome::kApplied));
  auto rerun = Plan(o);
  ASSERT_THAT(rerun, IsOk());
  EXPECT_EQ(rerun->tag.ToString(), "v2.4.0-rc1");
  EXPECT_TRUE(rerun->already_applied);
  EXPECT_THAT(ApplyRcTag(t_.repo(), *rerun),
              IsOkAndHolds(ApplyOutcome::kAlreadyApplied));
  ASSERT_THAT(PushRcTag(t_.repo(), *rerun), IsOk());
  ASSERT_THAT(PushRcTag(t_.repo(), *rerun), IsOk());  // twice: a no-op
  auto r = Repository::Open(remote.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->LookupRef("refs/tags/v2.4.0-rc1"),
              IsOkAndHolds(Optional(base_)));
  EXPECT_THAT(ListRcTags(*r, "release/2.4"), IsOkAndHolds(SizeIs(1)));
}

TEST_F(RcTagsTest, AMissingRemoteIsRefusedAtPlanTimeAndAFailedPushSaysSo) {
  RcTagPlanOptions o;
  o.remote = t_.dir().Sub("nope.git");
  EXPECT_THAT(Plan(o), StatusIs(absl::StatusCode::kNotFound,
                                AllOf(HasSubstr("nope.git"),
                                      HasSubstr("no such file"))));
  // A remote that goes away between the plan and the push.
  std::string gone = t_.dir().Sub("gone.git");
  ASSERT_THAT(Repository::Init(gone, {.kind = InitOptions::Kind::kBare,
                                      .initial_branch = "main"}),
              IsOk());
  o.remote = gone;
  auto plan = Plan(o);
  ASSERT_THAT(plan, IsOk());
  std::filesystem::remove_all(gone);
  ASSERT_THAT(ApplyRcTag(t_.repo(), *plan),
              IsOkAndHolds(ApplyOutcome::kApplied));
  EXPECT_THAT(PushRcTag(t_.repo(), *plan),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("v2.4.0-rc1 exists locally"),
                             HasSubstr("not pushed to \"" + gone + "\""),
                             HasSubstr("run the same command again"))));
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
