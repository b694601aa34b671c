// Repository::CherryPick and CherryPickMessage against real repositories,
// compared with what the git CLI's `git cherry-pick -x` produces.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/git.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::File;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempGitRepo;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kGitEnv[] =
    "env GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent GIT_AUTHOR_NAME=Dev "
    "GIT_AUTHOR_EMAIL=dev@example.com GIT_COMMITTER_NAME=Bot "
    "GIT_COMMITTER_EMAIL=bot@example.com ";

std::string Git(const std::string& repo, const std::string& args) {
  return TempGitRepo::Shell(
      absl::StrCat(kGitEnv, "git -C '", repo, "' ", args, " 2>/dev/null"));
}

std::string Trim(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

// The message of the commit `git cherry-pick -x` makes in a clone of `t`
// when picking `commit` onto `onto`, and its tree.
struct GitPick {
  std::string message;
  std::string tree;
};
GitPick GitCherryPickX(TempGitRepo& t, const ObjectId& commit,
                       const ObjectId& onto, const std::string& name) {
  std::string clone = t.dir().Sub(name);
  TempGitRepo::Shell(absl::StrCat(kGitEnv, "git clone -q '", t.path(), "' '",
                                  clone, "' 2>/dev/null"));
  Git(clone, absl::StrCat("checkout -q --detach ", onto.ToString()));
  Git(clone, absl::StrCat("cherry-pick -x ", commit.ToString()));
  GitPick out;
  std::string raw = Git(clone, "cat-file commit HEAD");
  out.message = raw.substr(raw.find("\n\n") + 2);
  out.tree = Trim(Git(clone, "rev-parse HEAD^{tree}"));
  return out;
}

TEST(CherryPickTest, CleanPickMatchesGitCherryPickX) {
  TempGitRepo t;
  std::string lines;
  for (int i = 0; i < 30; ++i) absl::StrAppend(&lines, "line ", i, "\n");
  ObjectId base = t.Commit("main", "Initial (#1)",
                           {File("a.py", lines), File("b.py", "b\n")});
  t.Branch("release/2.4", base);
  // The release branch changes the top of a.py, main the bottom.
  std::string top = absl::StrCat("release top\n", lines);
  ObjectId rel =
      t.Commit("release/2.4", "[release/2.4] top", {File("a.py", top)});
  std::string bottom = absl::StrCat(lines, "main bottom\n");
  ObjectId fix =
      t.Commit("main",
               "Fix the bottom (#128004)\n\nA fix.\nPull Request resolved: "
               "https://github.com/o/n/pull/128004\nApproved by: "
               "https://github.com/reviewer\n",
               {File("a.py", bottom), File("c.py", "new\n")}, "Author");

  Signature committer{.name = "Bot",
                      .email = "bot@example.com",
                      .time = absl::FromUnixSeconds(1700000000)};
  auto r = t.repo().CherryPick(fix, rel, {.committer = committer});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, CherryPickResult::Kind::kClean);
  ASSERT_TRUE(r->commit.has_value());
  auto info = t.repo().GetCommit(*r->commit);
  ASSERT_TRUE(info.ok());
  EXPECT_THAT(info->parents, ElementsAre(rel));
  auto orig = t.repo().GetCommit(fix);
  EXPECT_EQ(info->author, orig->author);
  EXPECT_EQ(info->committer, committer);
  // Nothing moved: the pick is on no ref, and no index was written.
  EXPECT_EQ(t.Head("release/2.4"), rel);
  EXPECT_FALSE(std::filesystem::exists(t.repo().git_dir() + "index"));

  GitPick git = GitCherryPickX(t, fix, rel, "clone");
  EXPECT_EQ(info->message, git.message);
  EXPECT_EQ(r->message, git.message);
  EXPECT_EQ(r->tree->ToString(), git.tree);
  EXPECT_EQ(Trim(Git(t.path(), absl::StrCat("rev-parse ", r->commit->ToString(),
                                            "^{tree}"))),
            git.tree);
  // The merge-bot trailer is no git trailer: a blank line before -x's.
  EXPECT_THAT(info->message,
              HasSubstr(absl::StrCat("https://github.com/reviewer\n\n(cherry "
                                     "picked from commit ",
                                     fix.ToString(), ")\n")));
}

TEST(CherryPickMessageTest, MatchesGitForTrailerShapes) {
  const std::vector<std::string> messages = {
      "Title only",
      "Title only\n",
      "Title (#1)\n\nbody\nPull Request resolved: "
      "https://github.com/o/n/pull/1\n",
      "Title\n\nFixes: #3\n",
      "Title\n\nbody\n\nSigned-off-by: A <a@x>\nReviewed-by: B <b@x>\n",
      "Title\n\nbody\nSigned-off-by: a\n# comment\n",
      "Title\n\nbody\nSigned-off-by: a\nfoo bar\nbaz\nqux\n",
      "Title\n\nSigned-off-by: a\nfoo bar\nbaz\nqux\n",
      "Title\n\nbody\n\nCo-authored-by: a\n  continued\n",
      "Title\n\n\n\nbody  \n\n\n",
      "Title: with colon\n",
      "Title\n\nbody\n---\nKey: v\n",
      "Title\n\nbody\n\n(cherry picked from commit "
      "0123456789012345678901234567890123456789)\n",
      "  \n\nTitle after blanks\n\nKey: value\n\n\n",
  };
  TempGitRepo t;
  ObjectId base = t.Commit("main", "base", {File("base", "0\n")});
  t.Branch("release", base);
  for (size_t i = 0; i < messages.size(); ++i) {
    SCOPED_TRACE(messages[i]);
    ObjectId c =
        t.Commit("main", messages[i], {File(absl::StrCat("f", i), "x\n")});
    GitPick git = GitCherryPickX(t, c, base, absl::StrCat("clone", i));
    EXPECT_EQ(CherryPickMessage(messages[i], c), git.message);
  }
}

TEST(CherryPickTest, ConflictNamesThePathsAndWritesNothing) {
  TempGitRepo t;
  ObjectId base =
      t.Commit("main", "base", {File("a.py", "x = 1\n"), File("b.py", "b\n")});
  t.Branch("release/2.4", base);
  ObjectId rel = t.Commit("release/2.4", "rel", {File("a.py", "x = 2\n")});
  ObjectId fix = t.Commit("main", "fix (#5)",
                          {File("a.py", "x = 3\n"), File("b.py", "b2\n")});
  auto r = t.repo().CherryPick(fix, rel);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, CherryPickResult::Kind::kConflict);
  EXPECT_THAT(r->conflicts, ElementsAre("a.py"));
  EXPECT_FALSE(r->commit.has_value());
  EXPECT_EQ(t.Head("release/2.4"), rel);
}

TEST(CherryPickTest, AlreadyPresentChangeIsEmpty) {
  TempGitRepo t;
  ObjectId base = t.Commit("main", "base", {File("a.py", "x = 1\n")});
  t.Branch("release/2.4", base);
  ObjectId fix = t.Commit("main", "fix (#5)", {File("a.py", "x = 3\n")});
  ObjectId rel =
      t.Commit("release/2.4", "fix by hand", {File("a.py", "x = 3\n")});
  auto r = t.repo().CherryPick(fix, rel);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, CherryPickResult::Kind::kEmpty);
  EXPECT_FALSE(r->commit.has_value());
  EXPECT_EQ(CherryPickKindName(r->kind), "empty");
}

TEST(CherryPickTest, RefusesMergeAndRootCommits) {
  TempGitRepo t;
  ObjectId root = t.Commit("main", "root", {File("a", "1\n")});
  t.Branch("side", root);
  ObjectId side = t.Commit("side", "side", {File("b", "1\n")});
  t.Commit("main", "main", {File("c", "1\n")});
  ObjectId merge = t.Merge("main", side, "Merge side");
  EXPECT_THAT(t.repo().CherryPick(merge, root),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("merge commit")));
  EXPECT_THAT(t.repo().CherryPick(root, side),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("root commit")));
  EXPECT_THAT(t.repo().CherryPick(*ObjectId::Parse(std::string(40, 'a')), root),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace relkit
