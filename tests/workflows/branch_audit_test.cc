#include "relkit/branch_audit.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/git.h"
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
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;

constexpr Evidence kTrailer = Evidence::kCherryPickTrailer;
constexpr Evidence kPatch = Evidence::kPatchId;
constexpr Evidence kPr = Evidence::kPrNumber;
constexpr Evidence kTitle = Evidence::kTitle;

std::string Lines(int n, absl::string_view tag) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, tag, " line ", i, "\n");
  return out;
}

std::string MergeBotMessage(const std::string& title, int pr) {
  return absl::StrCat(title, " (#", pr, ")\n\nSummary of the change.\n\n",
                      "Pull Request resolved: https://github.com/pytorch/"
                      "pytorch/pull/",
                      pr, "\nApproved by: https://github.com/reviewer\n");
}

// A release branch with every case the audit distinguishes:
//
//   main:    X0 X5 X6 | F1 F2 F3 F4 F5 F7 R1(X0) R2(F1) R3(F4) R4(X5)
//            R5(X6) R6(R5)
//   release/2.4 from the cut C (= orig/release/2.4): P1 (-x of F1), P2
//            (F2 without trailer, new title), P3 (squashed, conflict:
//            "Fix C (#103) (#150)"), P5 ("(#1040)" only), E (release-only),
//            P4r (R4 with -x), P7 (F7 picked onto a branch that already had
//            the change: empty), M (merge of a side branch)
class BranchAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TempGitRepo& t = t_;
    t.Commit("main", "Initial",
             {File("a.py", Lines(20, "a")), File("b.py", Lines(20, "b")),
              File("c.py", Lines(20, "c")), File("d.py", Lines(20, "d")),
              File("e.py", Lines(20, "e")), File("f.py", Lines(20, "f")),
              File("g.py", Lines(20, "g")),
              File(".github/workflows/ci.yml", "uses: x@main\n")});
    x0_ =
        t.Commit("main", MergeBotMessage("Add x0", 90), {File("x0.py", "0\n")});
    x5_ =
        t.Commit("main", MergeBotMessage("Add x5", 95), {File("x5.py", "5\n")});
    x6_ =
        t.Commit("main", MergeBotMessage("Add x6", 96), {File("x6.py", "6\n")});
    cut_ = *t.Head("main");
    t.Branch("release/2.4", cut_);
    t.Branch("orig/release/2.4", cut_);

    f1_ = t.Commit("main", MergeBotMessage("Fix A", 101),
                   {File("a.py", Lines(20, "a") + "fix a\n")});
    f2_ = t.Commit("main", MergeBotMessage("Fix B", 102),
                   {File("b.py", Lines(20, "b") + "fix b\n")});
    f3_ = t.Commit("main", MergeBotMessage("Fix C", 103),
                   {File("c.py", Lines(20, "c") + "fix c\n")});
    f4_ = t.Commit("main", MergeBotMessage("Fix D", 104),
                   {File("d.py", Lines(20, "d") + "fix d\n")});
    f5_ = t.Commit("main", MergeBotMessage("Fix E", 1040),
                   {File("e.py", Lines(20, "e") + "fix e\n")});
    f7_ = t.Commit("main", MergeBotMessage("Fix G", 107),
                   {File("g.py", Lines(20, "g") + "fix g\n")});
    r1_ = t.Revert("main", x0_);
    r2_ = t.Revert("main", f1_);
    r3_ = t.Revert("main", f4_);
    r4_ = t.Revert("main", x5_);
    r5_ = t.Revert("main", x6_);
    r6_ = t.Revert("main", r5_);  // Revert "Revert ..." = reapply

    const std::string b = "release/2.4";
    p1_ = t.CherryPick(b, f1_, CherryPickTrailer::kYes);
    p2_ = t.CherryPick(b, f2_, CherryPickTrailer::kNo,
                       "Backport the second fix\n");
    p3_ = t.CherryPick(b, f3_, CherryPickTrailer::kNo,
                       "Fix C (#103) (#150)\n\nConflict resolved by hand.\n",
                       {File("c.py", Lines(20, "c") + "fix c, 2.4 flavour\n")});
    p5_ = t.Commit(b, "Port something (#1040)\n",
                   {File("e.py", Lines(20, "e") + "other e\n")});
    e_ = t.Commit(b, "[RELEASE-ONLY CHANGES] Branch Cut for Release 2.4\n",
                  {File(".github/workflows/ci.yml", "uses: x@release/2.4\n")});
    p4r_ = t.CherryPick(b, r4_, CherryPickTrailer::kYes);
    t.Commit(b, "Release fix for g\n",
             {File("g.py", Lines(20, "g") + "fix g\n")});
    p7_ = t.CherryPick(b, f7_, CherryPickTrailer::kYes);  // empty
    t.Branch("side", *t.Head(b));
    ObjectId s = t.Commit("side", "Side work\n", {File("side.txt", "s\n")});
    m_ = t.Merge(b, s, "Merge branch 'side' into release/2.4\n");
  }

  absl::StatusOr<BranchAudit> Audit(AuditOptions options = {}) {
    return AuditBranch(t_.repo(), "release/2.4", options);
  }

  static const BranchCommit* Find(const BranchAudit& a, const ObjectId& sha) {
    for (const BranchCommit& c : a.commits) {
      if (c.sha == sha) return &c;
    }
    return nullptr;
  }

  static const MainCommit* FindMain(const BranchAudit& a, const ObjectId& sha) {
    for (const MainCommit& c : a.main_commits) {
      if (c.sha == sha) return &c;
    }
    ADD_FAILURE() << "no main commit " << sha.ToString();
    static const MainCommit kNone;
    return &kNone;
  }

  TempGitRepo t_;
  ObjectId x0_, x5_, x6_, cut_, f1_, f2_, f3_, f4_, f5_, f7_;
  ObjectId r1_, r2_, r3_, r4_, r5_, r6_;
  ObjectId p1_, p2_, p3_, p5_, e_, p4r_, p7_, m_;
};

TEST_F(BranchAuditTest, UsesOrigBranchAsCutPoint) {
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->cut_point, cut_);
  EXPECT_EQ(a->cut_point_source, CutPointSource::kOrigBranch);
  EXPECT_EQ(a->branch_head, m_);
  EXPECT_THAT(a->commits, SizeIs(10));  // 8 above + "Release fix" + side
  EXPECT_THAT(a->main_commits, SizeIs(12));
  EXPECT_THAT(a->warnings, IsEmpty());
}

TEST_F(BranchAuditTest, MatchesEachCommitWithTheEvidenceThatHolds) {
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  // -x cherry-pick: every kind of evidence.
  const BranchCommit* p1 = Find(*a, p1_);
  ASSERT_NE(p1, nullptr);
  EXPECT_FALSE(p1->release_only);
  EXPECT_THAT(p1->counterparts,
              ElementsAre(Counterpart{f1_, {kTrailer, kPatch, kPr, kTitle}}));
  // No trailer, new title: the patch-id alone.
  EXPECT_THAT(Find(*a, p2_)->counterparts,
              ElementsAre(Counterpart{f2_, {kPatch}}));
  // Squashed with a conflict resolution: PR number and title, not patch-id.
  EXPECT_THAT(Find(*a, p3_)->counterparts,
              ElementsAre(Counterpart{f3_, {kPr, kTitle}}));
  // (#1040) matches PR 1040 only, never 104.
  EXPECT_THAT(Find(*a, p5_)->counterparts,
              ElementsAre(Counterpart{f5_, {kPr}}));
  // Release-only.
  EXPECT_TRUE(Find(*a, e_)->release_only);
  EXPECT_THAT(Find(*a, e_)->counterparts, IsEmpty());
  // A picked revert.
  EXPECT_THAT(Find(*a, p4r_)->counterparts,
              ElementsAre(Counterpart{r4_, {kTrailer, kPatch, kTitle}}));
  // An empty cherry-pick has no patch-id but keeps its trailer.
  EXPECT_THAT(Find(*a, p7_)->counterparts,
              ElementsAre(Counterpart{f7_, {kTrailer, kPr, kTitle}}));
  // The merge commit is listed, flagged, and release-only.
  const BranchCommit* m = Find(*a, m_);
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->is_merge);
  EXPECT_TRUE(m->release_only);
}

TEST_F(BranchAuditTest, PatchIdEvidenceAgreesWithGitCherry) {
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  std::string out = TempGitRepo::Shell(
      absl::StrCat("git -C '", t_.path(), "' cherry main release/2.4"));
  std::map<std::string, char> cherry;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    cherry[std::string(line.substr(2))] = line[0];
  }
  size_t compared = 0;
  for (const BranchCommit& c : a->commits) {
    if (c.is_merge) continue;
    bool by_patch = false;
    for (const Counterpart& cp : c.counterparts) {
      for (Evidence e : cp.evidence) by_patch |= e == kPatch;
    }
    ASSERT_EQ(cherry.count(c.sha.ToString()), 1u) << c.title;
    EXPECT_EQ(cherry[c.sha.ToString()], by_patch ? '-' : '+') << c.title;
    ++compared;
  }
  EXPECT_EQ(compared, 9u);
}

TEST_F(BranchAuditTest, RevertsNeededByAncestryAndEvidenceNotReverted) {
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  // R1 reverts X0 (before the cut, so in the branch by ancestry); R2 reverts
  // F1 (in the branch as P1). R3's target F4 is not in the branch; R4 was
  // picked; R5 was reapplied on main by R6, whose target R5 is not in the
  // branch.
  ASSERT_THAT(a->reverts_needed, SizeIs(2));
  std::map<ObjectId, RevertNeeded> by_revert;
  for (const RevertNeeded& r : a->reverts_needed) by_revert[r.revert_sha] = r;
  ASSERT_EQ(by_revert.count(r1_), 1u);
  EXPECT_EQ(by_revert[r1_].reverted_sha, x0_);
  EXPECT_EQ(by_revert[r1_].present_as, x0_);
  EXPECT_THAT(by_revert[r1_].evidence, ElementsAre(Evidence::kAncestry));
  ASSERT_EQ(by_revert.count(r2_), 1u);
  EXPECT_EQ(by_revert[r2_].reverted_sha, f1_);
  EXPECT_EQ(by_revert[r2_].present_as, p1_);
  EXPECT_THAT(by_revert[r2_].evidence,
              ElementsAre(kTrailer, kPatch, kPr, kTitle));
  EXPECT_EQ(by_revert[r2_].revert_title, "Revert \"Fix A (#101)\"");
}

TEST_F(BranchAuditTest, PicksOfRevertsAndReappliesFlowThrough) {
  // Pick the reverts R2 and R5 too: R2 is then present; R5 is present, so
  // its reapply R6 becomes needed.
  t_.CherryPick("release/2.4", r2_, CherryPickTrailer::kYes);
  ObjectId p5r = t_.CherryPick("release/2.4", r5_, CherryPickTrailer::kYes);
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  std::vector<ObjectId> needed;
  for (const RevertNeeded& r : a->reverts_needed)
    needed.push_back(r.revert_sha);
  EXPECT_THAT(needed, ::testing::UnorderedElementsAre(r1_, r6_));
  for (const RevertNeeded& r : a->reverts_needed) {
    if (r.revert_sha == r6_) {
      EXPECT_EQ(r.reverted_sha, r5_);
      EXPECT_EQ(r.present_as, p5r);
    }
  }
}

// A pick reverted on the branch itself (`git revert` there) no longer
// carries its change: the PR is missing again, main's own revert of it is
// not needed, and reverting the revert (a reapply) brings it back.
TEST_F(BranchAuditTest, RevertOnTheBranchUndoesThePick) {
  const std::string b = "release/2.4";
  ObjectId undo = t_.Revert(b, p1_);
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  ASSERT_NE(Find(*a, p1_), nullptr);
  EXPECT_THAT(Find(*a, p1_)->reverted_by, Optional(undo));
  EXPECT_EQ(Find(*a, undo)->reverted_by, std::nullopt);
  EXPECT_FALSE(Find(*a, p1_)->release_only);  // still matched to F1
  std::vector<Presence> p = FindPrsInBranch(*a, {101, 102});
  EXPECT_EQ(p[0].state, PresenceState::kMissing);
  EXPECT_THAT(p[0].in_branch, IsEmpty());
  EXPECT_THAT(p[0].reverted_in_branch,
              ElementsAre(Counterpart{p1_, {kTrailer, kPatch, kPr, kTitle}}));
  EXPECT_EQ(p[1].state, PresenceState::kPresent);  // untouched
  EXPECT_THAT(p[1].reverted_in_branch, IsEmpty());
  auto by_commit = FindCommitsInBranch(t_.repo(), *a, {f1_.ToString()});
  ASSERT_THAT(by_commit, IsOk());
  EXPECT_EQ((*by_commit)[0].state, PresenceState::kMissing);
  EXPECT_THAT((*by_commit)[0].reverted_in_branch, SizeIs(1));
  // R2 (main's revert of F1) has nothing left to undo on the branch.
  for (const RevertNeeded& r : a->reverts_needed) EXPECT_NE(r.revert_sha, r2_);

  ObjectId redo = t_.Revert(b, undo);  // Revert "Revert ..." = reapply
  a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(Find(*a, p1_)->reverted_by, std::nullopt);
  EXPECT_THAT(Find(*a, undo)->reverted_by, Optional(redo));
  p = FindPrsInBranch(*a, {101});
  EXPECT_EQ(p[0].state, PresenceState::kPresent);
  // P1 again, and the reapply itself (F1's patch-id).
  std::vector<ObjectId> carriers;
  for (const Counterpart& c : p[0].in_branch) carriers.push_back(c.sha);
  EXPECT_THAT(carriers, ::testing::UnorderedElementsAre(p1_, redo));
  // Main's revert R2 is needed again: the branch has F1's change, main not.
  bool r2_needed = false;
  for (const RevertNeeded& r : a->reverts_needed)
    r2_needed |= r.revert_sha == r2_;
  EXPECT_TRUE(r2_needed);
}

// The usual way a revert reaches a release branch: main's revert is picked
// (`-x`). Its message names the main commit: the change of that main commit
// is undone in the older picks, and a fresh pick after it brings it back.
TEST_F(BranchAuditTest, PickOfMainsRevertUndoesTheEarlierPick) {
  const std::string b = "release/2.4";
  ObjectId pr2 = t_.CherryPick(b, r2_, CherryPickTrailer::kYes);
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(Find(*a, p1_)->reverted_by, std::nullopt);  // not as a whole
  EXPECT_THAT(Find(*a, p1_)->counterparts_reverted,
              ElementsAre(std::pair(f1_, pr2)));
  EXPECT_THAT(Find(*a, p1_)->RevertedFor(f1_), Optional(pr2));
  EXPECT_EQ(Find(*a, pr2)->RevertedFor(r2_), std::nullopt);
  std::vector<Presence> p = FindPrsInBranch(*a, {101});
  EXPECT_EQ(p[0].state, PresenceState::kMissing);
  EXPECT_THAT(p[0].reverted_in_branch, SizeIs(1));
  auto needed = [](const BranchAudit& audit, const ObjectId& sha) {
    for (const RevertNeeded& r : audit.reverts_needed) {
      if (r.revert_sha == sha) return true;
    }
    return false;
  };
  EXPECT_FALSE(needed(*a, r2_));
  // Asked for by sha, the pick itself is missing too: nothing of it is left.
  auto by_sha = FindCommitsInBranch(t_.repo(), *a, {p1_.ToString()});
  ASSERT_THAT(by_sha, IsOk());
  EXPECT_EQ((*by_sha)[0].state, PresenceState::kMissing);

  // Picked again after the revert: present, and R2 is needed again.
  ObjectId again = t_.CherryPick(b, f1_, CherryPickTrailer::kYes);
  a = Audit();
  ASSERT_THAT(a, IsOk());
  p = FindPrsInBranch(*a, {101});
  EXPECT_EQ(p[0].state, PresenceState::kPresent);
  ASSERT_THAT(p[0].in_branch, SizeIs(1));
  EXPECT_EQ(p[0].in_branch[0].sha, again);
  EXPECT_TRUE(needed(*a, r2_));

  // Abbreviated shas in a revert message work the same way.
  TempGitRepo& t = t_;
  ObjectId p2r = t.Commit(b,
                          absl::StrCat("Revert \"Backport the second fix\"\n\n"
                                       "This reverts commit ",
                                       p2_.ShortString(10), ".\n"),
                          {File("b.py", Lines(20, "b"))});
  a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_THAT(Find(*a, p2_)->reverted_by, Optional(p2r));
  EXPECT_EQ(FindPrsInBranch(*a, {102})[0].state, PresenceState::kMissing);
}

// A revert message naming a commit this clone does not have (another
// repository's, or a rewritten one) costs nothing but that revert.
TEST_F(BranchAuditTest, RevertOfAnUnknownCommitIsIgnored) {
  ObjectId odd =
      t_.Commit("release/2.4",
                "Revert \"Something elsewhere\"\n\nThis reverts commit "
                "0123456789abcdef0123456789abcdef01234567.\n",
                {File("odd.txt", "odd\n")});
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_THAT(a->reverted_before_cut, ElementsAre(std::pair(x5_, p4r_)));
  EXPECT_EQ(Find(*a, odd)->reverted_by, std::nullopt);
  for (const BranchCommit& c : a->commits) {
    EXPECT_EQ(c.reverted_by, std::nullopt) << c.title;
    EXPECT_THAT(c.counterparts_reverted, IsEmpty()) << c.title;
  }
}

// What main's reverts undo comes with the audit, resolved in the
// repository once, so that its users need not read the messages again.
TEST_F(BranchAuditTest, MainCommitsSayWhatTheyRevertAndWhatRevertedThem) {
  // F4 reverted a second time, by an abbreviated sha, with the merge bot's
  // line; and a revert of a commit this clone does not have.
  ObjectId again = t_.Commit(
      "main",
      absl::StrCat(
          "Revert \"Fix D (#104)\"\n\nThis reverts commit ",
          f4_.ShortString(10),
          ".\n\nReverted https://github.com/pytorch/pytorch/pull/104 "
          "on behalf of https://github.com/reviewer due to breakage\n"),
      {File("again.txt", "1\n")});
  ObjectId unknown =
      t_.Commit("main",
                "Revert \"Something elsewhere\"\n\nThis reverts commit "
                "0123456789abcdef0123456789abcdef01234567.\n",
                {File("odd.txt", "odd\n")});
  auto a = Audit();
  ASSERT_THAT(a, IsOk());

  EXPECT_EQ(FindMain(*a, r2_)->revert_kind, RevertKind::kRevert);
  EXPECT_THAT(FindMain(*a, r2_)->reverts, ElementsAre(f1_));
  EXPECT_EQ(FindMain(*a, r2_)->reverted_pr, std::nullopt);
  EXPECT_THAT(FindMain(*a, f1_)->reverted_on_main_by, Optional(r2_));
  // X0 predates the cut: resolved through the repository all the same.
  EXPECT_THAT(FindMain(*a, r1_)->reverts, ElementsAre(x0_));
  // R6 reapplies R5: a reapply names the revert it undoes.
  EXPECT_EQ(FindMain(*a, r6_)->revert_kind, RevertKind::kReapply);
  EXPECT_THAT(FindMain(*a, r6_)->reverts, ElementsAre(r5_));
  EXPECT_THAT(FindMain(*a, r5_)->reverted_on_main_by, Optional(r6_));
  EXPECT_EQ(FindMain(*a, r6_)->reverted_on_main_by, std::nullopt);
  // The abbreviated sha resolves; F4's newest revert is the one named.
  EXPECT_THAT(FindMain(*a, again)->reverts, ElementsAre(f4_));
  EXPECT_THAT(FindMain(*a, again)->reverted_pr, Optional(104u));
  EXPECT_THAT(FindMain(*a, r3_)->reverts, ElementsAre(f4_));
  EXPECT_THAT(FindMain(*a, f4_)->reverted_on_main_by, Optional(again));
  // A revert of an unknown commit reverts nothing here.
  EXPECT_EQ(FindMain(*a, unknown)->revert_kind, RevertKind::kRevert);
  EXPECT_THAT(FindMain(*a, unknown)->reverts, IsEmpty());
  // Not a revert, not reverted.
  EXPECT_EQ(FindMain(*a, f2_)->revert_kind, RevertKind::kNone);
  EXPECT_THAT(FindMain(*a, f2_)->reverts, IsEmpty());
  EXPECT_EQ(FindMain(*a, f2_)->reverted_on_main_by, std::nullopt);
  // R6 reapplied R5, so R5 is not needed (as before these fields).
  for (const RevertNeeded& r : a->reverts_needed) EXPECT_NE(r.revert_sha, r5_);
}

// The PR each commit landed as and the issues it closes come with the
// audit too.
TEST_F(BranchAuditTest, CommitsSayTheirOwnPrAndTheIssuesTheyFix) {
  ObjectId fix = t_.Commit(
      "main",
      "Fix J (#110)\n\nFixes #5000\n"
      "Fixes https://github.com/pytorch/pytorch/issues/5001\n\n"
      "Pull Request resolved: https://github.com/pytorch/pytorch/pull/110\n",
      {File("j.py", "j\n")});
  ObjectId pick = t_.CherryPick("release/2.4", fix, CherryPickTrailer::kYes,
                                "[release/2.4] Fix J (#111)\n\nFixes #5000\n");
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  const MainCommit* m = FindMain(*a, fix);
  EXPECT_THAT(m->pr, Optional(110u));
  EXPECT_THAT(m->fixes, ElementsAre(GitHubRef{"", "", 5000},
                                    GitHubRef{"pytorch", "pytorch", 5001}));
  ASSERT_NE(Find(*a, pick), nullptr);
  EXPECT_THAT(Find(*a, pick)->own_pr, Optional(111u));
  EXPECT_THAT(Find(*a, pick)->fixes, ElementsAre(GitHubRef{"", "", 5000}));
  // A -x pick that kept the trailer lands as the main PR; a squashed pick
  // as its last suffix; a release-only change as none.
  EXPECT_THAT(Find(*a, p1_)->own_pr, Optional(101u));
  EXPECT_THAT(Find(*a, p1_)->fixes, IsEmpty());
  EXPECT_THAT(Find(*a, p3_)->own_pr, Optional(150u));
  EXPECT_EQ(Find(*a, e_)->own_pr, std::nullopt);
}

// A squashed pick of two main commits: reverting one of them (the pick of
// main's revert) leaves the other in the branch.
TEST_F(BranchAuditTest, RevertingOneChangeOfASquashedPickKeepsTheOther) {
  ObjectId f8 = t_.Commit("main", MergeBotMessage("Fix H", 108),
                          {File("h.py", "fix h\n")});
  ObjectId f9 = t_.Commit("main", MergeBotMessage("Fix I", 109),
                          {File("i.py", "fix i\n")});
  ObjectId r8 = t_.Revert("main", f8);
  const std::string b = "release/2.4";
  ObjectId squash = t_.Commit(
      b,
      absl::StrCat("Fixes H and I (#108) (#109)\n\n(cherry picked from commit ",
                   f8.ToString(), ")\n(cherry picked from commit ",
                   f9.ToString(), ")\n"),
      {File("h.py", "fix h\n"), File("i.py", "fix i\n")});
  ObjectId pr8 = t_.CherryPick(b, r8, CherryPickTrailer::kYes);
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  const BranchCommit* s = Find(*a, squash);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->reverted_by, std::nullopt);
  EXPECT_THAT(s->counterparts_reverted, ElementsAre(std::pair(f8, pr8)));
  std::vector<Presence> p = FindPrsInBranch(*a, {108, 109});
  EXPECT_EQ(p[0].state, PresenceState::kMissing);
  EXPECT_EQ(p[1].state, PresenceState::kPresent);
  EXPECT_THAT(p[1].in_branch, SizeIs(1));
}

// Reverts of what predates the cut: the commit is still an ancestor of the
// branch, but its change is gone.
TEST_F(BranchAuditTest, RevertOfACommitBeforeTheCutMakesItMissing) {
  // P4r, the pick of R4, already reverts X5 (before the cut).
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_THAT(a->reverted_before_cut, ElementsAre(std::pair(x5_, p4r_)));
  auto p = FindCommitsInBranch(
      t_.repo(), *a, {x5_.ToString(), x6_.ToString(), p1_.ToString()});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ((*p)[0].state, PresenceState::kMissing);
  EXPECT_THAT((*p)[0].reverted_in_branch,
              ElementsAre(Counterpart{x5_, {Evidence::kAncestry}}));
  EXPECT_EQ((*p)[1].state, PresenceState::kPresent);  // X6: not reverted here
  EXPECT_EQ((*p)[2].state, PresenceState::kPresent);  // a branch commit
  // A branch commit the branch reverted is missing too.
  ObjectId undo = t_.Revert("release/2.4", p1_);
  a = Audit();
  ASSERT_THAT(a, IsOk());
  p = FindCommitsInBranch(t_.repo(), *a, {p1_.ToString(), undo.ToString()});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ((*p)[0].state, PresenceState::kMissing);
  EXPECT_EQ((*p)[1].state, PresenceState::kPresent);
}

TEST_F(BranchAuditTest, PresentAndMissingPrsMatchExactly) {
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  std::vector<Presence> p = FindPrsInBranch(*a, {101, 104, 1040, 150, 90, 7});
  ASSERT_THAT(p, SizeIs(6));
  EXPECT_EQ(p[0].query, "#101");
  EXPECT_EQ(p[0].state, PresenceState::kPresent);
  EXPECT_THAT(p[0].main_commits, ElementsAre(f1_));
  EXPECT_THAT(p[0].in_branch,
              ElementsAre(Counterpart{p1_, {kTrailer, kPatch, kPr, kTitle}}));
  EXPECT_EQ(p[1].state, PresenceState::kMissing);  // 104, despite #1040
  EXPECT_THAT(p[1].main_commits, ElementsAre(f4_));
  EXPECT_THAT(p[1].in_branch, IsEmpty());
  EXPECT_EQ(p[2].state, PresenceState::kPresent);
  // The cherry-pick PR itself only exists on the branch.
  EXPECT_EQ(p[3].state, PresenceState::kPresent);
  EXPECT_THAT(p[3].in_branch, ElementsAre(Counterpart{p3_, {kPr}}));
  // PR 90 landed before the cut: not on main since the cut.
  EXPECT_EQ(p[4].state, PresenceState::kNotOnMainSinceCut);
  EXPECT_EQ(p[5].state, PresenceState::kNotOnMainSinceCut);
}

TEST_F(BranchAuditTest, PresentAndMissingCommits) {
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  auto p = FindCommitsInBranch(
      t_.repo(), *a,
      {f2_.ToString(), f4_.ShortString(10), x0_.ToString(), "main"});
  ASSERT_THAT(p, IsOk());
  ASSERT_THAT(*p, SizeIs(4));
  EXPECT_EQ((*p)[0].state, PresenceState::kPresent);
  EXPECT_THAT((*p)[0].in_branch, ElementsAre(Counterpart{p2_, {kPatch}}));
  EXPECT_EQ((*p)[1].state, PresenceState::kMissing);
  EXPECT_EQ((*p)[1].query, f4_.ToString());
  EXPECT_EQ((*p)[2].state, PresenceState::kPresent);
  EXPECT_THAT((*p)[2].in_branch,
              ElementsAre(Counterpart{x0_, {Evidence::kAncestry}}));
  EXPECT_EQ((*p)[3].state, PresenceState::kMissing);  // main head = R6
  EXPECT_THAT(FindCommitsInBranch(t_.repo(), *a, {"nope"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

TEST_F(BranchAuditTest, MissingOrigFallsBackToMergeBase) {
  ASSERT_THAT(
      t_.repo().UpdateRefs({RefUpdate{.name = "refs/heads/orig/release/2.4",
                                      .target = ObjectId(),
                                      .expected = cut_,
                                      .message = "delete"}}),
      IsOk());
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->cut_point_source, CutPointSource::kMergeBase);
  EXPECT_EQ(a->cut_point, cut_);
  EXPECT_THAT(a->warnings, IsEmpty());
  EXPECT_THAT(a->reverts_needed, SizeIs(2));
}

TEST_F(BranchAuditTest, OrigThatIsNotAnAncestorWarnsAndUsesMergeBase) {
  // test-infra's cut script commits separately on orig/ and release/.
  ObjectId sibling = t_.Commit("orig/release/2.4", "[RELEASE-ONLY CHANGES] x\n",
                               {File("z.txt", "z\n")});
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->cut_point_source, CutPointSource::kMergeBase);
  EXPECT_EQ(a->cut_point, cut_);
  ASSERT_THAT(a->warnings, SizeIs(1));
  EXPECT_EQ(a->warnings[0].sha, sibling);
  EXPECT_THAT(a->warnings[0].message, HasSubstr("not an ancestor"));
}

TEST_F(BranchAuditTest, RemoteTrackingBranchUsesRemoteOrig) {
  ASSERT_THAT(t_.repo().UpdateRefs(
                  {RefUpdate{.name = "refs/remotes/upstream/release/2.4",
                             .target = m_,
                             .expected = std::nullopt,
                             .message = "f"},
                   RefUpdate{.name = "refs/remotes/upstream/orig/release/2.4",
                             .target = cut_,
                             .expected = std::nullopt,
                             .message = "f"},
                   RefUpdate{.name = "refs/remotes/upstream/main",
                             .target = r6_,
                             .expected = std::nullopt,
                             .message = "f"}}),
              IsOk());
  AuditOptions o;
  o.main = "upstream/main";
  auto a = AuditBranch(t_.repo(), "upstream/release/2.4", o);
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->cut_point_source, CutPointSource::kOrigBranch);
  EXPECT_THAT(a->commits, SizeIs(10));
}

TEST_F(BranchAuditTest, CorruptOrigRefIsAClearErrorAndNothingIsWritten) {
  {
    std::ofstream f(t_.path() + "/.git/refs/heads/orig/release/2.4",
                    std::ios::trunc);
    f << "garbage\n";
  }
  auto refs_before = t_.repo().ListRefs("refs/heads/release/");
  EXPECT_THAT(Audit(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("orig/release/2.4")));
  EXPECT_EQ(t_.repo().ListRefs("refs/heads/release/").value(),
            refs_before.value());
}

TEST_F(BranchAuditTest, MissingBranchOrMainIsNotFound) {
  EXPECT_THAT(AuditBranch(t_.repo(), "release/9.9"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("release/9.9")));
  AuditOptions o;
  o.main = "trunk";
  EXPECT_THAT(Audit(o),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("trunk")));
}

TEST_F(BranchAuditTest, MissingBlobsSkipOnlyPatchIdsOfTheCommitsConcerned) {
  // A mirror that dropped two blobs: F2's new b.py (P2 has the same content,
  // hence the same blob) and F3's new c.py (P3 resolved a conflict, so only
  // main lacks its blob).
  for (const ObjectId& c : {f2_, f3_}) {
    std::string path = c == f2_ ? "b.py" : "c.py";
    std::string blob(absl::StripAsciiWhitespace(TempGitRepo::Shell(absl::StrCat(
        "git -C '", t_.path(), "' rev-parse ", c.ToString(), ":", path))));
    ASSERT_TRUE(std::filesystem::remove(absl::StrCat(
        t_.path(), "/.git/objects/", blob.substr(0, 2), "/", blob.substr(2))));
  }
  auto repo = Repository::Open(t_.path());
  ASSERT_THAT(repo, IsOk());
  auto a = AuditBranch(*repo, "release/2.4");
  ASSERT_THAT(a, IsOk());
  // P2 could only match by patch-id: it turns release-only.
  EXPECT_TRUE(Find(*a, p2_)->release_only);
  // P3 keeps its PR-number and title evidence; others are untouched.
  EXPECT_THAT(Find(*a, p3_)->counterparts,
              ElementsAre(Counterpart{f3_, {kPr, kTitle}}));
  EXPECT_THAT(Find(*a, p1_)->counterparts,
              ElementsAre(Counterpart{f1_, {kTrailer, kPatch, kPr, kTitle}}));
  // The commits whose patch-id could not be computed are the warnings (F2 is
  // never asked for one: no branch commit left changes the same paths).
  std::vector<ObjectId> warned;
  for (const AuditWarning& w : a->warnings) {
    warned.push_back(w.sha);
    EXPECT_THAT(w.message, HasSubstr("patch-id evidence skipped"));
    EXPECT_THAT(w.message, HasSubstr(w.sha.ToString()));
  }
  EXPECT_THAT(warned, ::testing::UnorderedElementsAre(p2_, f3_));
  EXPECT_THAT(a->reverts_needed, SizeIs(2));
}

// The commits of a rev-list, as the git CLI lists them, sorted.
std::vector<ObjectId> GitRevList(const std::string& repo,
                                 const std::string& args) {
  std::vector<ObjectId> out;
  for (absl::string_view line :
       absl::StrSplit(TempGitRepo::Shell(
                          absl::StrCat("git -C '", repo, "' rev-list ", args)),
                      '\n', absl::SkipEmpty())) {
    out.push_back(*ObjectId::Parse(line));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(BranchAuditTest, MainMergedIntoTheBranchCountsOnNeitherSide) {
  // Some projects merge main into a release branch: the merged main commits
  // are then on both sides and in neither list, as in B ^cut ^main.
  ObjectId merge = t_.Merge("release/2.4", *t_.Head("main"),
                            "Merge main into release/2.4\n");
  t_.Commit("main", MergeBotMessage("After the merge", 200),
            {File("late.py", "late\n")});
  auto a = Audit();
  ASSERT_THAT(a, IsOk());
  std::vector<ObjectId> branch, main;
  for (const BranchCommit& c : a->commits) branch.push_back(c.sha);
  for (const MainCommit& c : a->main_commits) main.push_back(c.sha);
  std::sort(branch.begin(), branch.end());
  std::sort(main.begin(), main.end());
  EXPECT_EQ(branch,
            GitRevList(t_.path(), "release/2.4 ^orig/release/2.4 ^main"));
  EXPECT_EQ(main, GitRevList(t_.path(), "main ^orig/release/2.4 ^release/2.4"));
  EXPECT_THAT(main, SizeIs(1));
  EXPECT_NE(Find(*a, merge), nullptr);
  EXPECT_EQ(Find(*a, f1_), nullptr);                  // merged: on both sides
  EXPECT_EQ(Find(*a, p1_)->counterparts.size(), 0u);  // F1 is not "since"
}

// Everything an audit found, as text, to compare audits.
std::string Findings(const BranchAudit& a) {
  std::string out;
  for (const BranchCommit& c : a.commits) {
    absl::StrAppend(&out, c.sha.ToString(), ":");
    for (const Counterpart& cp : c.counterparts) {
      absl::StrAppend(&out, " ", cp.sha.ToString(), "[");
      for (Evidence e : cp.evidence)
        absl::StrAppend(&out, EvidenceName(e), ",");
      absl::StrAppend(&out, "]");
    }
    absl::StrAppend(&out, "\n");
  }
  for (const RevertNeeded& r : a.reverts_needed) {
    absl::StrAppend(&out, "revert ", r.revert_sha.ToString(), " of ",
                    r.reverted_sha.ToString(), " as ", r.present_as.ToString(),
                    "\n");
  }
  for (const AuditWarning& w : a.warnings) {
    absl::StrAppend(&out, "warning ", w.sha.ToString(), " ", w.message, "\n");
  }
  return out;
}

TEST_F(BranchAuditTest, CacheGivesTheSameAuditAndAnswersTheSecondRun) {
  TempDir cache;
  AuditOptions o;
  o.cache_dir = cache.Sub("git");  // created on first save
  auto plain = Audit();
  auto first = Audit(o);
  auto second = Audit(o);
  ASSERT_THAT(plain, IsOk());
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(Findings(*first), Findings(*plain));
  EXPECT_EQ(Findings(*second), Findings(*plain));
  EXPECT_EQ(plain->cache.hits + plain->cache.computed, 0u);  // no cache
  EXPECT_EQ(first->cache.hits, 0u);
  EXPECT_GT(first->cache.computed, 0u);
  EXPECT_EQ(second->cache.computed, 0u);
  EXPECT_GT(second->cache.hits, 0u);
  EXPECT_EQ(second->cache.problem, "");
  EXPECT_TRUE(std::filesystem::exists(cache.Sub("git/diff-facts-v1.bin")));
}

TEST_F(BranchAuditTest, UnusableCacheFileIsIgnoredThenReplaced) {
  TempDir cache;
  {
    std::ofstream f(cache.Sub("diff-facts-v1.bin"), std::ios::binary);
    f << "relkit-diff-facts\n but then garbage";
  }
  AuditOptions o;
  o.cache_dir = cache.path();
  auto plain = Audit();
  auto a = Audit(o);
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(Findings(*a), Findings(*plain));
  EXPECT_THAT(a->cache.problem, HasSubstr("diff-facts-v1.bin"));
  auto b = Audit(o);
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->cache.problem, "");
  EXPECT_GT(b->cache.hits, 0u);
  EXPECT_EQ(Findings(*b), Findings(*plain));
}

TEST_F(BranchAuditTest, UnwritableCacheIsReportedAndTheAuditIsComplete) {
  TempDir dir;
  { std::ofstream f(dir.Sub("not-a-dir")); }
  AuditOptions o;
  o.cache_dir = dir.Sub("not-a-dir");
  auto a = Audit(o);
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(Findings(*a), Findings(*Audit()));
  EXPECT_THAT(a->cache.problem, HasSubstr("not-a-dir"));
}

TEST_F(BranchAuditTest, FactsMissingObjectsPreventAreNotCached) {
  // F2's new b.py blob (P2 has the same one) is missing, so P2's patch-id
  // cannot be computed. Once the blob is back, the cached audit finds it.
  std::string blob(absl::StripAsciiWhitespace(TempGitRepo::Shell(absl::StrCat(
      "git -C '", t_.path(), "' rev-parse ", f2_.ToString(), ":b.py"))));
  std::string loose = absl::StrCat(t_.path(), "/.git/objects/",
                                   blob.substr(0, 2), "/", blob.substr(2));
  TempDir cache;
  std::filesystem::rename(loose, cache.Sub("blob"));
  AuditOptions o;
  o.cache_dir = cache.path();
  {
    auto repo = Repository::Open(t_.path());
    ASSERT_THAT(repo, IsOk());
    auto a = AuditBranch(*repo, "release/2.4", o);
    ASSERT_THAT(a, IsOk());
    EXPECT_TRUE(Find(*a, p2_)->release_only);
    EXPECT_THAT(a->warnings, SizeIs(1));
  }
  std::filesystem::rename(cache.Sub("blob"), loose);
  auto repo = Repository::Open(t_.path());
  ASSERT_THAT(repo, IsOk());
  auto b = AuditBranch(*repo, "release/2.4", o);
  ASSERT_THAT(b, IsOk());
  EXPECT_THAT(b->warnings, IsEmpty());
  EXPECT_THAT(Find(*b, p2_)->counterparts,
              ElementsAre(Counterpart{f2_, {kPatch}}));
  EXPECT_GT(b->cache.hits, 0u);
}

TEST_F(BranchAuditTest, ShallowCloneIsFailedPrecondition) {
  TempDir dir;
  std::string clone = dir.Sub("shallow");
  TempGitRepo::Shell(
      absl::StrCat("git clone -q --depth 3 --no-single-branch 'file://",
                   t_.path(), "' '", clone, "' 2>&1"));
  auto r = Repository::Open(clone);
  ASSERT_THAT(r, IsOk());
  AuditOptions o;
  o.main = "origin/main";
  EXPECT_THAT(
      AuditBranch(*r, "origin/release/2.4", o),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("shallow")));
}

TEST_F(BranchAuditTest, ReportsProgress) {
  AuditOptions o;
  size_t calls = 0;
  o.progress = [&](AuditStage, size_t done, size_t total) {
    ++calls;
    EXPECT_TRUE(total == 0 || done <= total);
  };
  ASSERT_THAT(Audit(o), IsOk());
  EXPECT_GT(calls, 0u);
}

}  // namespace
}  // namespace relkit
