#include "relkit/branch_cut.h"

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

constexpr char kWorkflow[] =
    "jobs:\n  build:\n"
    "    uses: pytorch/test-infra/.github/workflows/linux_job.yml@main\n"
    "    with:\n      docker: ci\n"
    "  test:\n    uses: pytorch/test-infra/.github/workflows/test.yml@main\n";

class BranchCutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.Commit("main", "Initial",
              {File("version.txt", "2.5.0a0\n"),
               File(".github/workflows/build.yml", kWorkflow),
               File(".github/workflows/lint.yaml", "uses: a/b@v4\n"),
               File(".github/workflows/templates/t.yml", "uses: x@main\n"),
               File(".github/actions/setup/action.yml",
                    "runs:\n  steps:\n    - uses: pytorch/test-infra/.github/"
                    "actions/setup-linux@main\n"),
               File("README.md", "see x@main\n")});
    source_ = *t_.Head("main");
    t_.Branch("viable/strict", source_);
    main_ = t_.Commit("main", "Later work (#9)", {File("later.txt", "x\n")});
    // `git init` checked out main; the cut refuses to move a checked-out
    // branch, so detach HEAD as the docs tell a release manager to.
    Git(absl::StrCat("update-ref --no-deref HEAD ", main_.ToString()));
    options_.source = "viable/strict";
    options_.remote = std::nullopt;
    sig_ = t_.NextSignature("Releaser");
  }

  absl::StatusOr<CutOutcome> Apply(const BranchCutPlan& plan,
                                   bool push = false) {
    ApplyCutOptions o;
    o.signature = sig_;
    o.push = push;
    return ApplyBranchCut(t_.repo(), plan, o);
  }

  std::string Git(const std::string& args) {
    return TempGitRepo::Shell(absl::StrCat("git -C '", t_.path(), "' ", args));
  }

  TempGitRepo t_;
  ObjectId source_, main_;
  BranchCutOptions options_;
  Signature sig_;
};

TEST_F(BranchCutTest, PlanReadsVersionAndRewritesOnlyWorkflowsAndActions) {
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->release.ToString(), "2.5.0");
  EXPECT_EQ(plan->release_branch, "release/2.5");
  EXPECT_EQ(plan->orig_branch, "orig/release/2.5");
  EXPECT_EQ(plan->source_commit, source_);
  ASSERT_TRUE(plan->release_only.has_value());
  std::vector<std::string> paths;
  for (const FileEdit& e : plan->release_only->edits) paths.push_back(e.path);
  EXPECT_THAT(paths, ElementsAre(".github/actions/setup/action.yml",
                                 ".github/workflows/build.yml"));
  EXPECT_THAT(plan->release_only->edits[1].after,
              HasSubstr("linux_job.yml@release/2.5\n"));
  EXPECT_EQ(plan->release_only->message,
            "[RELEASE-ONLY CHANGES] Branch Cut for Release 2.5\n");
  ASSERT_TRUE(plan->version_bump.has_value());
  EXPECT_EQ(plan->version_bump->branch, "main");
  EXPECT_EQ(plan->version_bump->parent, main_);
  EXPECT_EQ(plan->version_bump->edits[0].after, "2.6.0a0\n");
  std::string diff = plan->ToDiff();
  EXPECT_THAT(diff, HasSubstr("create branch release/2.5 at "));
  EXPECT_THAT(diff, HasSubstr("--- a/.github/workflows/build.yml\n+++ b/"));
  EXPECT_THAT(diff, HasSubstr("@@ -3,1 +3,1 @@\n-    uses: pytorch/test-infra/"
                              ".github/workflows/linux_job.yml@main\n+"));
  EXPECT_THAT(diff, HasSubstr("-2.5.0a0\n+2.6.0a0\n"));
  // Planning wrote nothing.
  EXPECT_THAT(t_.repo().LookupRef("refs/heads/release/2.5"),
              IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_THAT(t_.repo().ResolveCommit("main"), IsOkAndHolds(main_));
}

TEST_F(BranchCutTest, ApplyCreatesEveryRefAndRunningTwiceIsAlreadyApplied) {
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(Apply(*plan), IsOkAndHolds(CutOutcome::kApplied));
  EXPECT_EQ(Git("rev-parse orig/release/2.5"), source_.ToString() + "\n");
  EXPECT_EQ(Git("rev-parse release/2.5^"), source_.ToString() + "\n");
  EXPECT_THAT(Git("show release/2.5:.github/workflows/build.yml"),
              HasSubstr("test.yml@release/2.5"));
  EXPECT_EQ(Git("show release/2.5:README.md"), "see x@main\n");
  EXPECT_EQ(Git("show main:version.txt"), "2.6.0a0\n");
  EXPECT_EQ(Git("rev-parse main^"), main_.ToString() + "\n");
  EXPECT_EQ(Git("log -1 --format=%an release/2.5"), "Releaser\n");
  // The same plan again, and a fresh plan: already applied, nothing moves.
  std::string refs = Git("for-each-ref");
  EXPECT_THAT(Apply(*plan), IsOkAndHolds(CutOutcome::kAlreadyApplied));
  auto again = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->version_bump.has_value());
  EXPECT_THAT(again->ToDiff(), HasSubstr("no bump"));
  EXPECT_THAT(Apply(*again), IsOkAndHolds(CutOutcome::kAlreadyApplied));
  EXPECT_EQ(Git("for-each-ref"), refs);
}

// `cut --from main --execute` moves main to the version bump; the same
// command again must find the cut it made, not cut release/2.6 from the bump.
TEST_F(BranchCutTest,
       ARerunFromTheBumpedMainResumesTheCutInsteadOfCuttingTheNext) {
  options_.source = "main";
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->release_branch, "release/2.5");
  EXPECT_THAT(Apply(*plan), IsOkAndHolds(CutOutcome::kApplied));
  EXPECT_EQ(Git("show main:version.txt"), "2.6.0a0\n");
  const std::string refs = Git("for-each-ref");

  auto again = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->release_branch, "release/2.5");
  EXPECT_TRUE(again->already_applied);
  EXPECT_FALSE(again->version_bump.has_value());
  EXPECT_THAT(again->warnings,
              ElementsAre(AllOf(HasSubstr("is the version bump of the "
                                          "release/2.5 cut"),
                                HasSubstr("orig/release/2.5"))));
  EXPECT_THAT(Apply(*again), IsOkAndHolds(CutOutcome::kAlreadyApplied));
  EXPECT_EQ(Git("for-each-ref"), refs);  // no release/2.6, no second bump

  // Once work lands on top of the bump, main is the next release's source.
  t_.Commit("main", "Next work (#10)", {File("next.txt", "x\n")});
  auto next = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->release_branch, "release/2.6");
  EXPECT_THAT(next->warnings, IsEmpty());
}

TEST_F(BranchCutTest, ExistingBranchWithOtherContentIsAlreadyExists) {
  t_.Branch("release/2.5", main_);
  EXPECT_THAT(
      PlanBranchCut(t_.repo(), options_),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("release/2.5")));
  // Created between plan and apply: refused, nothing written.
  TempGitRepo::Shell(absl::StrCat("git -C '", t_.path(),
                                  "' branch -D release/2.5 >/dev/null"));
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  t_.Branch("orig/release/2.5", main_);
  EXPECT_THAT(Apply(*plan), StatusIs(absl::StatusCode::kAlreadyExists,
                                     HasSubstr("orig/release/2.5")));
  EXPECT_THAT(t_.repo().LookupRef("refs/heads/release/2.5"),
              IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_THAT(t_.repo().ResolveCommit("main"), IsOkAndHolds(main_));
}

TEST_F(BranchCutTest, ApplyIsAtomicWhenTheDefaultBranchMoved) {
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  ObjectId moved = t_.Commit("main", "Racing commit (#10)", {File("r", "r\n")});
  EXPECT_THAT(Apply(*plan), StatusIs(absl::StatusCode::kAborted,
                                     HasSubstr("refs/heads/main")));
  EXPECT_THAT(t_.repo().LookupRef("refs/heads/release/2.5"),
              IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_THAT(t_.repo().LookupRef("refs/heads/orig/release/2.5"),
              IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_THAT(t_.repo().ResolveCommit("main"), IsOkAndHolds(moved));
}

TEST_F(BranchCutTest, PushesOnlyWhenAsked) {
  TempGitRepo remote(InitOptions::Kind::kBare);
  options_.remote = remote.path();
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  ASSERT_THAT(Apply(*plan), IsOkAndHolds(CutOutcome::kApplied));
  EXPECT_THAT(remote.repo().LookupRef("refs/heads/release/2.5"),
              IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_THAT(Apply(*plan, /*push=*/true),
              IsOkAndHolds(CutOutcome::kAlreadyApplied));
  auto r = Repository::Open(remote.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->LookupRef("refs/heads/orig/release/2.5"),
              IsOkAndHolds(Optional(source_)));
  EXPECT_THAT(r->LookupRef("refs/heads/release/2.5"),
              IsOkAndHolds(Optional(*t_.Head("release/2.5"))));
}

TEST_F(BranchCutTest, RefusesToMoveACheckedOutDefaultBranch) {
  // Issue 14: with main checked out, the cut moved main under the working
  // tree, and the next `git commit` silently undid the version bump.
  Git("symbolic-ref HEAD refs/heads/main");
  EXPECT_THAT(PlanBranchCut(t_.repo(), options_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("branch main is checked out in"),
                             HasSubstr("switch --detach"),
                             HasSubstr("nothing written"))));
  EXPECT_THAT(t_.repo().LookupRef("refs/heads/release/2.5"),
              IsOkAndHolds(std::optional<ObjectId>()));
  // A plan made while main was detached is refused at apply too.
  Git(absl::StrCat("update-ref --no-deref HEAD ", main_.ToString()));
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  std::string linked = t_.dir().Sub("linked");
  Git(absl::StrCat("worktree add -q '", linked, "' main"));
  EXPECT_THAT(Apply(*plan), StatusIs(absl::StatusCode::kFailedPrecondition,
                                     HasSubstr("linked")));
  EXPECT_THAT(t_.repo().ResolveCommit("main"), IsOkAndHolds(main_));
  Git(absl::StrCat("worktree remove --force '", linked, "'"));
  // Detached: the cut applies; back on main afterwards, a rerun moves
  // nothing and is allowed.
  ASSERT_THAT(Apply(*plan), IsOkAndHolds(CutOutcome::kApplied));
  Git("symbolic-ref HEAD refs/heads/main");
  auto again = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_applied);
  EXPECT_THAT(Apply(*again), IsOkAndHolds(CutOutcome::kAlreadyApplied));
}

TEST_F(BranchCutTest, APartialCutSaysWhatIsThere) {
  // Issue 14: with orig/release/2.5 there and release/2.5 deleted, the cut
  // said release/2.5 "already exists with other content".
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  ASSERT_THAT(Apply(*plan), IsOkAndHolds(CutOutcome::kApplied));
  Git("branch -D release/2.5 >/dev/null");
  auto status = PlanBranchCut(t_.repo(), options_).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists,
                               AllOf(HasSubstr("release/2.5 does not exist"),
                                     HasSubstr("orig/release/2.5 is at"),
                                     HasSubstr("(as planned)"),
                                     HasSubstr("partial cut"),
                                     Not(HasSubstr("other content")))));
  EXPECT_THAT(Apply(*plan), StatusIs(absl::StatusCode::kAlreadyExists,
                                     HasSubstr("release/2.5 does not exist")));
}

TEST_F(BranchCutTest, TheDefaultBranchMustBeALocalBranch) {
  // Issue 14: a tag, HEAD, origin/main or a sha passed the plan and failed
  // at apply (exit 3).
  Git("tag v0 main");
  Git(absl::StrCat("update-ref refs/remotes/origin/main ", main_.ToString()));
  for (const std::string& name :
       {std::string("v0"), std::string("HEAD"), std::string("origin/main"),
        main_.ToString()}) {
    SCOPED_TRACE(name);
    options_.default_branch = name;
    EXPECT_THAT(PlanBranchCut(t_.repo(), options_),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr(absl::StrCat("\"", name, "\"")),
                               HasSubstr("not a local branch"))));
  }
  options_.default_branch = "origin/main";
  EXPECT_THAT(PlanBranchCut(t_.repo(), options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("remote-tracking branch")));
  options_.default_branch = "nope";
  EXPECT_THAT(PlanBranchCut(t_.repo(), options_),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("\"nope\"")));
}

TEST_F(BranchCutTest, WarnsWhenTheVersionDisagreesWithTheVersionFile) {
  options_.version = *Version::Parse("2");
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->release_branch, "release/2.0");
  ASSERT_THAT(plan->warnings, SizeIs(1));
  EXPECT_THAT(plan->warnings[0],
              AllOf(HasSubstr("release/2.0"), HasSubstr("version.txt"),
                    HasSubstr("2.5.0a0"), HasSubstr("release/2.5")));
  options_.version = *Version::Parse("2.5");
  plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(plan->warnings, IsEmpty());
}

TEST_F(BranchCutTest, ARerunAfterAFailedPushPushesEverythingIncludingTheBump) {
  // Issue 14: the rerun after a failed push pushed the cut branches but not
  // the version bump of main (its plan has no bump left).
  TempGitRepo remote(InitOptions::Kind::kBare);
  std::string gone = t_.dir().Sub("gone.git");
  ASSERT_THAT(Repository::Init(gone, {.kind = InitOptions::Kind::kBare,
                                      .initial_branch = "main"}),
              IsOk());
  options_.remote = gone;
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  std::filesystem::remove_all(gone);  // the remote goes away
  EXPECT_THAT(Apply(*plan, /*push=*/true),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("the cut is applied locally"),
                             HasSubstr("not pushed to \"" + gone + "\""),
                             HasSubstr("run the same command again"))));
  ObjectId bump = *t_.Head("main");
  EXPECT_EQ(Git("show main:version.txt"), "2.6.0a0\n");
  // The remote as it was before the cut (main at its old head).
  ASSERT_THAT(
      t_.repo().Push(PushOptions{
          .remote = remote.path(),
          .refspecs = {absl::StrCat(main_.ToString(), ":refs/heads/main")}}),
      IsOk());
  options_.remote = remote.path();
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run);
    auto again = PlanBranchCut(t_.repo(), options_);
    ASSERT_THAT(again, IsOk());
    EXPECT_TRUE(again->already_applied);
    EXPECT_FALSE(again->version_bump.has_value());
    EXPECT_THAT(Apply(*again), IsOkAndHolds(CutOutcome::kAlreadyApplied));
    auto pushed = PushBranchCut(t_.repo(), *again);
    ASSERT_THAT(pushed, IsOk());
    if (run == 0) {
      EXPECT_THAT(*pushed,
                  ElementsAre("orig/release/2.5", "release/2.5", "main"));
    } else {
      EXPECT_THAT(*pushed, IsEmpty());  // everything is there
    }
  }
  auto r = Repository::Open(remote.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->LookupRef("refs/heads/main"), IsOkAndHolds(Optional(bump)));
  EXPECT_THAT(r->LookupRef("refs/heads/orig/release/2.5"),
              IsOkAndHolds(Optional(source_)));
  // Work merged on the remote after the cut is not pushed back over.
  ObjectId later = t_.Commit("main", "After the cut (#11)", {File("n", "n\n")});
  ASSERT_THAT(t_.repo().Push(PushOptions{.remote = remote.path(),
                                         .refspecs = {"refs/heads/main"}}),
              IsOk());
  auto third = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(third, IsOk());
  EXPECT_THAT(PushBranchCut(t_.repo(), *third), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(r->LookupRef("refs/heads/main"), IsOkAndHolds(Optional(later)));
}

TEST_F(BranchCutTest, AMissingRemoteIsRefusedAtPlanTime) {
  options_.remote = t_.dir().Sub("nope.git");
  EXPECT_THAT(PlanBranchCut(t_.repo(), options_),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.git")));
  EXPECT_THAT(t_.repo().LookupRef("refs/heads/release/2.5"),
              IsOkAndHolds(std::optional<ObjectId>()));
}

TEST_F(BranchCutTest, VersionInputs) {
  options_.version = *Version::Parse("2.5");
  auto plan = PlanBranchCut(t_.repo(), options_);
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->release_branch, "release/2.5");
  options_.version = std::nullopt;
  options_.version_file = "nope.txt";
  EXPECT_THAT(PlanBranchCut(t_.repo(), options_),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.txt")));
  t_.Commit("viable/strict", "bad", {File("version.txt", "two point five\n")});
  options_.version_file = "version.txt";
  EXPECT_THAT(PlanBranchCut(t_.repo(), options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("version.txt at viable/strict")));
}

}  // namespace
}  // namespace relkit
