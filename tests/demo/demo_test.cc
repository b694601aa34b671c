#include "demo/demo.h"

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/branch_audit.h"
#include "relkit/commit_message.h"
#include "relkit/git.h"
#include "relkit/pins.h"
#include "relkit/rc_tags.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<DemoRepository> demo =
        BuildDemoRepository(dir_.Sub("pytorch.git"));
    ASSERT_THAT(demo, IsOk());
    demo_ = *std::move(demo);
    absl::StatusOr<Repository> repo = Repository::Open(demo_.path);
    ASSERT_THAT(repo, IsOk());
    repo_.emplace(*std::move(repo));
    AuditOptions options;
    options.main = demo_.main;
    absl::StatusOr<BranchAudit> audit =
        AuditBranch(*repo_, demo_.release_branch, options);
    ASSERT_THAT(audit, IsOk());
    audit_ = *std::move(audit);
  }

  const BranchCommit& OnBranch(const ObjectId& sha) {
    for (const BranchCommit& c : audit_.commits) {
      if (c.sha == sha) return c;
    }
    ADD_FAILURE() << "not on the branch: " << sha.ToString();
    return audit_.commits.front();
  }

  TempDir dir_;
  DemoRepository demo_;
  std::optional<Repository> repo_;
  BranchAudit audit_;
};

TEST_F(DemoTest, BuildsABareRepositoryWithTheCutRefsAndTheRcTag) {
  EXPECT_TRUE(repo_->is_bare());
  EXPECT_EQ(demo_.release_branch, "release/2.4");
  EXPECT_EQ(demo_.orig_branch, "orig/release/2.4");
  EXPECT_EQ(*repo_->ResolveCommit("orig/release/2.4"), demo_.cut_point);
  EXPECT_EQ(*repo_->ResolveCommit("viable/strict"), demo_.cut_point);
  EXPECT_EQ(*repo_->ReadFile("main", "version.txt"), "2.5.0a0\n");
  EXPECT_EQ(*repo_->ReadFile("release/2.4", "version.txt"), "2.4.0a0\n");
  EXPECT_THAT(*repo_->ReadFile("release/2.4", ".github/workflows/pull.yml"),
              HasSubstr("linux_job.yml@release/2.4"));
  EXPECT_EQ(demo_.rc_tag, "v2.4.0-rc1");
  absl::StatusOr<std::vector<RepositoryRcTag>> tags =
      ListRcTags(*repo_, "release/2.4");
  ASSERT_THAT(tags, IsOk());
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_EQ((*tags)[0].commit, demo_.rc_commit);
  EXPECT_EQ(PlanRcTag(*repo_, "release/2.4", {})->tag.ToString(), "v2.4.0-rc2");
  EXPECT_EQ(ReadTritonPin(*repo_, "main")->version->ToString(), "3.0.0");
  EXPECT_NE(ReadTritonPin(*repo_, "release/2.4")->commit,
            ReadTritonPin(*repo_, "main")->commit);
}

TEST_F(DemoTest, MainCommitsReadLikeMergeBotLandings) {
  for (const DemoChange& c : demo_.changes) {
    CommitMessage m =
        CommitMessage::Parse(repo_->GetCommit(c.main_commit)->message);
    EXPECT_EQ(m.OwnPr(), c.pr) << c.title;
    EXPECT_FALSE(m.approved_by.empty()) << c.title;
    EXPECT_EQ(repo_->GetCommit(c.main_commit)->committer.name,
              "PyTorch MergeBot");
  }
  EXPECT_THAT(demo_.requested_prs,
              ElementsAre(128001, 128002, 128003, 128004, 128005));
}

TEST_F(DemoTest, AuditMatchesEachPickWithTheExpectedEvidence) {
  EXPECT_EQ(audit_.cut_point, demo_.cut_point);
  EXPECT_EQ(audit_.cut_point_source, CutPointSource::kOrigBranch);
  EXPECT_THAT(audit_.warnings, IsEmpty());
  for (const DemoChange& c : demo_.changes) {
    if (!c.branch_commit) continue;
    const BranchCommit& b = OnBranch(*c.branch_commit);
    ASSERT_EQ(b.counterparts.size(), 1u) << c.title;
    EXPECT_EQ(b.counterparts[0].sha, c.main_commit);
    if (c.role == DemoRole::kConflictResolved) {
      EXPECT_THAT(b.counterparts[0].evidence, ElementsAre(Evidence::kPrNumber));
      // The conflict resolution changed the patch.
      EXPECT_NE(*repo_->PatchId(*c.branch_commit),
                *repo_->PatchId(c.main_commit));
    } else {
      EXPECT_THAT(b.counterparts[0].evidence,
                  ElementsAre(Evidence::kCherryPickTrailer, Evidence::kPatchId,
                              Evidence::kPrNumber, Evidence::kTitle));
    }
  }
  std::vector<ObjectId> release_only;
  for (const BranchCommit& c : audit_.commits) {
    if (c.release_only) release_only.push_back(c.sha);
  }
  EXPECT_THAT(release_only, UnorderedElementsAre(demo_.release_only_commit,
                                                 demo_.pin_update_commit));
}

TEST_F(DemoTest, AuditFindsTheNeverPickedFixAndTheUnpropagatedRevert) {
  const DemoChange* never = demo_.Find(DemoRole::kNeverPicked);
  const DemoChange* reverted = demo_.Find(DemoRole::kRevertedOnMain);
  ASSERT_NE(never, nullptr);
  ASSERT_NE(reverted, nullptr);
  std::vector<Presence> p = FindPrsInBranch(audit_, demo_.requested_prs);
  std::vector<std::string> missing;
  for (const Presence& x : p) {
    if (x.state == PresenceState::kMissing) missing.push_back(x.query);
    if (x.state != PresenceState::kMissing) {
      EXPECT_EQ(x.state, PresenceState::kPresent) << x.query;
    }
  }
  EXPECT_THAT(missing, ElementsAre(absl::StrCat("#", never->pr)));

  ASSERT_EQ(audit_.reverts_needed.size(), 1u);
  const RevertNeeded& r = audit_.reverts_needed[0];
  EXPECT_EQ(r.revert_sha, *reverted->revert_commit);
  EXPECT_EQ(r.reverted_sha, reverted->main_commit);
  EXPECT_EQ(r.present_as, *reverted->branch_commit);
}

TEST(DemoBuildTest, IsDeterministic) {
  TempDir dir;
  absl::StatusOr<DemoRepository> a = BuildDemoRepository(dir.Sub("a"));
  absl::StatusOr<DemoRepository> b = BuildDemoRepository(dir.Sub("b"));
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_EQ(a->changes.size(), b->changes.size());
  for (size_t i = 0; i < a->changes.size(); ++i) {
    EXPECT_EQ(a->changes[i].main_commit, b->changes[i].main_commit);
    EXPECT_EQ(a->changes[i].branch_commit, b->changes[i].branch_commit);
  }
  EXPECT_EQ(a->rc_commit, b->rc_commit);
}

TEST(DemoBuildTest, RefusesANonEmptyDirectoryNamingIt) {
  TempDir dir;
  std::ofstream(dir.Sub("file.txt")) << "x";
  EXPECT_THAT(
      BuildDemoRepository(dir.path()),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(dir.path())));
  // Building twice in the same place is refused too.
  ASSERT_THAT(BuildDemoRepository(dir.Sub("repo")), IsOk());
  EXPECT_THAT(BuildDemoRepository(dir.Sub("repo")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace relkit
