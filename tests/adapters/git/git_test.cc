#include "relkit/git.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::CherryPickTrailer;
using ::relkit::testing::Delete;
using ::relkit::testing::File;
using ::relkit::testing::Gitlink;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempDir;
using ::relkit::testing::TempGitRepo;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::SizeIs;

std::string Git(const std::string& repo, const std::string& args) {
  return TempGitRepo::Shell(absl::StrCat("git -C '", repo, "' ", args));
}

std::string Trim(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

std::vector<std::string> Shas(const std::vector<ObjectId>& ids) {
  std::vector<std::string> out;
  for (const ObjectId& id : ids) out.push_back(id.ToString());
  return out;
}

std::vector<std::string> Lines(const std::string& s) {
  return absl::StrSplit(s, '\n', absl::SkipEmpty());
}

// ---------------------------------------------------------------------------
// ObjectId

TEST(ObjectIdTest, RoundTripsFortyHexDigits) {
  auto id = ObjectId::Parse("4019E4C0ADDC6EDA8E1AF6CF4C4FAC5D02684720");
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(id->ToString(), "4019e4c0addc6eda8e1af6cf4c4fac5d02684720");
  EXPECT_EQ(id->ShortString(7), "4019e4c");
  EXPECT_FALSE(id->is_zero());
  EXPECT_TRUE(ObjectId().is_zero());
}

TEST(ObjectIdTest, RejectsBadHexNamingInputAndPosition) {
  EXPECT_THAT(
      ObjectId::Parse("4019e4c0addc6eda8e1af6cf4c4fac5d0268472g"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("position 39")));
  EXPECT_THAT(ObjectId::Parse("4019e4c"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected 40 hex digits, got 7")));
}

// ---------------------------------------------------------------------------
// Open / Init

TEST(RepositoryTest, OpenMissingPathIsNotFoundNamingThePath) {
  TempDir dir;
  std::string path = dir.Sub("nope");
  EXPECT_THAT(Repository::Open(path),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

TEST(RepositoryTest, OpenPlainDirectoryIsNotFoundNotARepository) {
  TempDir dir;
  EXPECT_THAT(Repository::Open(dir.path()),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("is not a git repository")));
}

TEST(RepositoryTest, DiscoverFindsTheRepositoryAboveASubdirectory) {
  TempGitRepo work;
  work.Commit("main", "init", {File("a", "a\n")});
  std::string sub = absl::StrCat(work.path(), "/src/deep");
  std::filesystem::create_directories(sub);
  // Open does not search; Discover does, as git does.
  EXPECT_THAT(Repository::Open(sub),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("is not a git repository")));
  auto found = Repository::Discover(sub);
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->workdir().has_value());
  EXPECT_EQ(std::filesystem::canonical(*found->workdir()),
            std::filesystem::canonical(work.path()));
  EXPECT_THAT(found->ResolveCommit("main"), IsOk());

  TempDir plain;
  EXPECT_THAT(Repository::Discover(plain.path()),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr(plain.path()),
                             HasSubstr("is not in a git repository"))));
}

TEST(RepositoryTest, OpensBareAndNonBareRepositories) {
  TempGitRepo work;
  TempGitRepo bare(InitOptions::Kind::kBare);
  work.Commit("main", "init", {File("a", "a\n")});
  auto w = Repository::Open(work.path());
  ASSERT_THAT(w, IsOk());
  EXPECT_FALSE(w->is_bare());
  EXPECT_TRUE(w->workdir().has_value());
  auto b = Repository::Open(bare.path());
  ASSERT_THAT(b, IsOk());
  EXPECT_TRUE(b->is_bare());
  EXPECT_FALSE(b->workdir().has_value());
  // The .git directory itself opens too.
  EXPECT_THAT(Repository::Open(work.path() + "/.git"), IsOk());
}

TEST(RepositoryTest, InitTwiceIsAlreadyExists) {
  TempGitRepo t;
  EXPECT_THAT(Repository::Init(t.path()),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(t.path())));
}

TEST(RepositoryTest, OpenUnsupportedFormatIsFailedPrecondition) {
  TempGitRepo t;
  t.Commit("main", "init", {File("a", "a\n")});
  {
    std::ofstream cfg(t.path() + "/.git/config", std::ios::trunc);
    cfg << "[core]\n\trepositoryformatversion = 99\n";
  }
  EXPECT_THAT(
      Repository::Open(t.path()),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(t.path())));
}

// ---------------------------------------------------------------------------
// Refs

class RefsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = t_.Commit("main", "A", {File("a.txt", "a\n")});
    b_ = t_.Commit("main", "B", {File("b.txt", "b\n")});
    ASSERT_THAT(t_.repo().UpdateRefs(
                    {RefUpdate{.name = "refs/remotes/upstream/release/2.4",
                               .target = a_,
                               .expected = std::nullopt,
                               .message = "fetch"}}),
                IsOk());
    ASSERT_THAT(t_.repo().CreateTag("v2.4.0-rc1", a_, std::nullopt), IsOk());
    ASSERT_THAT(t_.repo().CreateTag("v2.4.0-rc2", b_, "RC2\n",
                                    t_.NextSignature("Releaser")),
                IsOk());
  }
  TempGitRepo t_;
  ObjectId a_, b_;
};

TEST_F(RefsTest, ResolvesBranchesRemoteTrackingRefsTagsAndShas) {
  Repository& r = t_.repo();
  EXPECT_THAT(r.ResolveCommit("main"), IsOkAndHolds(b_));
  EXPECT_THAT(r.ResolveCommit("refs/heads/main"), IsOkAndHolds(b_));
  EXPECT_THAT(r.ResolveCommit("upstream/release/2.4"), IsOkAndHolds(a_));
  EXPECT_THAT(r.ResolveCommit("v2.4.0-rc1"), IsOkAndHolds(a_));
  EXPECT_THAT(r.ResolveCommit("v2.4.0-rc2"), IsOkAndHolds(b_));  // peeled
  EXPECT_THAT(r.ResolveCommit(a_.ToString()), IsOkAndHolds(a_));
  EXPECT_THAT(r.ResolveCommit(a_.ShortString(10)), IsOkAndHolds(a_));
  EXPECT_THAT(r.ResolveCommit("main~1"), IsOkAndHolds(a_));
}

TEST_F(RefsTest, MissingRevisionIsNotFoundNamingIt) {
  EXPECT_THAT(t_.repo().ResolveCommit("release/9.9"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("\"release/9.9\" not found")));
  EXPECT_THAT(t_.repo().ResolveCommit(std::string(40, 'a')),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("aaaa")));
  EXPECT_THAT(t_.repo().ResolveCommit(""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RefsTest, NonCommitObjectIsInvalidArgument) {
  std::string blob = Trim(Git(t_.path(), "rev-parse main:a.txt"));
  EXPECT_THAT(
      t_.repo().ResolveCommit(blob),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a commit")));
}

TEST_F(RefsTest, ListsTagsAnnotatedAndLightweight) {
  auto tags = t_.repo().ListTags();
  ASSERT_THAT(tags, IsOk());
  ASSERT_THAT(*tags, SizeIs(2));
  EXPECT_EQ((*tags)[0].name, "v2.4.0-rc1");
  EXPECT_FALSE((*tags)[0].annotated());
  EXPECT_EQ((*tags)[0].target, a_);
  EXPECT_EQ((*tags)[1].name, "v2.4.0-rc2");
  EXPECT_TRUE((*tags)[1].annotated());
  EXPECT_EQ((*tags)[1].target, b_);
  EXPECT_THAT((*tags)[1].message, Optional(std::string("RC2\n")));
  ASSERT_TRUE((*tags)[1].tagger.has_value());
  EXPECT_EQ((*tags)[1].tagger->name, "Releaser");
  // The git CLI sees the same tags at the same commits.
  EXPECT_EQ(Trim(Git(t_.path(), "rev-parse v2.4.0-rc2^{commit}")),
            b_.ToString());
  EXPECT_EQ(Trim(Git(t_.path(), "cat-file -t v2.4.0-rc2")), "tag");
  EXPECT_THAT(t_.repo().TagsAt(b_), IsOkAndHolds(ElementsAre("v2.4.0-rc2")));
}

TEST_F(RefsTest, ListsRefsUnderAPrefixSorted) {
  auto refs = t_.repo().ListRefs("refs/remotes/upstream/");
  ASSERT_THAT(refs, IsOk());
  ASSERT_THAT(*refs, SizeIs(1));
  EXPECT_EQ((*refs)[0].first, "refs/remotes/upstream/release/2.4");
  EXPECT_EQ((*refs)[0].second, a_);
  EXPECT_THAT(t_.repo().LookupRef("refs/heads/nope"),
              IsOkAndHolds(std::optional<ObjectId>()));
}

TEST_F(RefsTest, DuplicateTagOrBranchIsAlreadyExists) {
  EXPECT_THAT(
      t_.repo().CreateTag("v2.4.0-rc1", b_, std::nullopt),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("v2.4.0-rc1")));
  EXPECT_THAT(t_.repo().CreateTag("v2.4.0-rc2", b_, "again", std::nullopt),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(t_.repo().CreateBranch("main", a_),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("main")));
  EXPECT_THAT(t_.repo().ResolveCommit("main"), IsOkAndHolds(b_));
}

TEST(CorruptRefTest, ClearErrorAndNothingWritten) {
  TempGitRepo t;
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  {
    std::ofstream f(t.path() + "/.git/refs/heads/broken");
    f << "this is not a sha\n";
  }
  EXPECT_THAT(
      t.repo().ResolveCommit("broken"),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("refs/heads/broken"), HasSubstr("corrupt"))));
  EXPECT_THAT(t.repo().LookupRef("refs/heads/broken"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // An atomic update that includes the corrupt ref writes nothing.
  absl::Status s = t.repo().UpdateRefs({RefUpdate{.name = "refs/heads/new",
                                                  .target = a,
                                                  .expected = std::nullopt,
                                                  .message = "m"},
                                        RefUpdate{.name = "refs/heads/broken",
                                                  .target = a,
                                                  .expected = a,
                                                  .message = "m"}});
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                          HasSubstr("refs/heads/broken")));
  EXPECT_THAT(t.repo().LookupRef("refs/heads/new"),
              IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_FALSE(std::filesystem::exists(t.path() + "/.git/refs/heads/new"));
  EXPECT_FALSE(std::filesystem::exists(t.path() + "/.git/refs/heads/new.lock"));
}

TEST(UpdateRefsTest, IsAllOrNothing) {
  TempGitRepo t;
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  ObjectId b = t.Commit("main", "B", {File("b", "b\n")});
  // The second update expects the wrong old value: neither is applied.
  EXPECT_THAT(
      t.repo().UpdateRefs({RefUpdate{.name = "refs/heads/release/2.4",
                                     .target = a,
                                     .expected = std::nullopt,
                                     .message = "m"},
                           RefUpdate{.name = "refs/heads/main",
                                     .target = a,
                                     .expected = a,
                                     .message = "m"}}),
      StatusIs(absl::StatusCode::kAborted, HasSubstr("refs/heads/main")));
  EXPECT_THAT(t.repo().LookupRef("refs/heads/release/2.4"),
              IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_THAT(t.repo().LookupRef("refs/heads/main"), IsOkAndHolds(Optional(b)));
  // An existing ref expected absent is AlreadyExists, nothing written.
  EXPECT_THAT(
      t.repo().UpdateRefs({RefUpdate{.name = "refs/heads/orig/release/2.4",
                                     .target = a,
                                     .expected = std::nullopt,
                                     .message = "m"},
                           RefUpdate{.name = "refs/heads/main",
                                     .target = a,
                                     .expected = std::nullopt,
                                     .message = "m"}}),
      StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(t.repo().LookupRef("refs/heads/orig/release/2.4"),
              IsOkAndHolds(std::optional<ObjectId>()));
  // Both succeed together.
  EXPECT_THAT(t.repo().UpdateRefs({RefUpdate{.name = "refs/heads/release/2.4",
                                             .target = a,
                                             .expected = std::nullopt,
                                             .message = "m"},
                                   RefUpdate{.name = "refs/heads/main",
                                             .target = a,
                                             .expected = b,
                                             .message = "m"}}),
              IsOk());
  EXPECT_EQ(Trim(Git(t.path(), "rev-parse release/2.4 main")),
            a.ToString() + "\n" + a.ToString());
  EXPECT_THAT(t.repo().UpdateRefs({RefUpdate{.name = "refs/heads/a..b",
                                             .target = a,
                                             .expected = std::nullopt,
                                             .message = "m"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a..b")));
}

// ---------------------------------------------------------------------------
// History

class HistoryTest : public ::testing::Test {
 protected:
  // main: r - m1 - m2 ------- M(merge of side) - m3
  //             \             /
  //              s1 - s2 ----
  void SetUp() override {
    r_ = t_.Commit("main", "root", {File("README", "hello\n")});
    m1_ = t_.Commit("main", "m1", {File("a.txt", "1\n")});
    t_.Branch("side", m1_);
    s1_ = t_.Commit("side", "s1", {File("s.txt", "s1\n")});
    s2_ = t_.Commit("side", "s2", {File("s.txt", "s1\ns2\n")});
    m2_ = t_.Commit("main", "m2", {File("a.txt", "1\n2\n")});
    merge_ = t_.Merge("main", s2_, "Merge side", {File("s.txt", "s1\ns2\n")});
    m3_ = t_.Commit("main", "m3", {File("a.txt", "1\n2\n3\n")});
  }
  TempGitRepo t_;
  ObjectId r_, m1_, s1_, s2_, m2_, merge_, m3_;
};

TEST_F(HistoryTest, RangeWalkMatchesGitRevList) {
  auto got = t_.repo().RevList("side..main");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(Shas(*got),
            Lines(Git(t_.path(), "rev-list --topo-order side..main")));
  auto all = t_.repo().RevList("main");
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, SizeIs(7));
  // Same set as git; both orders are topological (children before parents)
  // but may break ties differently.
  EXPECT_THAT(Shas(*all), ::testing::UnorderedElementsAreArray(
                              Lines(Git(t_.path(), "rev-list main"))));
  for (size_t i = 0; i < all->size(); ++i) {
    auto c = t_.repo().GetCommit((*all)[i]);
    ASSERT_THAT(c, IsOk());
    for (const ObjectId& p : c->parents) {
      auto pos = std::find(all->begin(), all->end(), p);
      EXPECT_GT(pos - all->begin(), static_cast<ptrdiff_t>(i));
    }
  }
}

TEST_F(HistoryTest, FirstParentSkipsTheMergedSide) {
  auto got = t_.repo().RevList(
      absl::StrCat(r_.ToString(), "..main"),
      WalkOptions{.first_parent = true, .reverse = false, .limit = 0});
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(*got, ElementsAre(m3_, merge_, m2_, m1_));
  EXPECT_EQ(Shas(*got),
            Lines(Git(t_.path(), absl::StrCat("rev-list --first-parent ",
                                              r_.ToString(), "..main"))));
}

TEST_F(HistoryTest, ReverseAndLimit) {
  auto got = t_.repo().RevList(
      "side..main",
      WalkOptions{.first_parent = true, .reverse = true, .limit = 0});
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(*got, ElementsAre(m2_, merge_, m3_));
  auto limited = t_.repo().RevList(
      "main", WalkOptions{.first_parent = false, .reverse = false, .limit = 2});
  ASSERT_THAT(limited, IsOk());
  EXPECT_THAT(*limited, ElementsAre(m3_, merge_));
}

TEST_F(HistoryTest, SymmetricDifference) {
  auto got = t_.repo().RevList(absl::StrCat("side...", m2_.ToString()));
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(*got, ::testing::UnorderedElementsAre(s1_, s2_, m2_));
}

TEST_F(HistoryTest, EmptyRangeSideIsInvalidArgument) {
  EXPECT_THAT(
      t_.repo().RevList("..main"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"..main\"")));
  EXPECT_THAT(t_.repo().RevList("main..nope"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

TEST_F(HistoryTest, CommitMetadata) {
  auto c = t_.repo().GetCommit(merge_);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(c->parents, ElementsAre(m2_, s2_));
  EXPECT_TRUE(c->is_merge());
  EXPECT_EQ(c->Title(), "Merge side");
  EXPECT_EQ(c->author.name, "Dev");
  EXPECT_EQ(c->author.email, "Dev@example.com");
  EXPECT_EQ(absl::ToUnixSeconds(c->author.time),
            std::stoll(Trim(Git(t_.path(), absl::StrCat("show -s --format=%at ",
                                                        merge_.ToString())))));
  EXPECT_EQ(Trim(Git(t_.path(),
                     absl::StrCat("show -s --format=%s ", merge_.ToString()))),
            "Merge side");
  EXPECT_THAT(t_.repo().GetCommit(ObjectId()),
              StatusIs(absl::StatusCode::kNotFound));
}

// ReadMessage is the audit's fast path: it must agree with GetCommit (libgit2's
// own commit parser) on every commit.
TEST_F(HistoryTest, ReadMessageAgreesWithGetCommit) {
  auto all = t_.repo().RevList("main");
  ASSERT_THAT(all, IsOk());
  for (const ObjectId& id : *all) {
    auto c = t_.repo().GetCommit(id);
    ASSERT_THAT(c, IsOk());
    std::string message;
    size_t parents = 99;
    ASSERT_THAT(t_.repo().ReadMessage(id,
                                      [&](absl::string_view m, size_t n) {
                                        message = std::string(m);
                                        parents = n;
                                      }),
                IsOk());
    EXPECT_EQ(message, c->message) << id.ToString();
    EXPECT_EQ(parents, c->parents.size()) << id.ToString();
  }
  auto noop = [](absl::string_view, size_t) {};
  EXPECT_THAT(t_.repo().ReadMessage(ObjectId(), noop),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
  auto tree = ObjectId::Parse(Trim(
      Git(t_.path(), absl::StrCat("rev-parse ", m3_.ToString(), "^{tree}"))));
  ASSERT_THAT(tree, IsOk());
  EXPECT_THAT(t_.repo().ReadMessage(*tree, noop),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is a tree, not a commit")));
  EXPECT_THAT(t_.repo().GetCommit(*tree),
              StatusIs(absl::StatusCode::kNotFound));  // as git.h says
}

// Commits as other tools write them: signed (a multi-line header whose
// continuation lines include one that is a lone space), with an encoding
// header, with blank lines before the message, with no message at all, and
// with two parents. Written with `git hash-object`, read with both paths.
TEST_F(HistoryTest, ReadMessageHandlesUnusualHeaders) {
  std::string tree = Trim(
      Git(t_.path(), absl::StrCat("rev-parse ", m3_.ToString(), "^{tree}")));
  std::string who = "A U Thor <a@example.com> 1700000000 +0000";
  const std::string mergetag = absl::StrCat(
      "mergetag object ", m2_.ToString(),
      "\n type commit\n tag v1\n tagger T <t@example.com> 1700000000 +0000\n "
      "\n tag message\n");
  const std::vector<std::string> raws = {
      absl::StrCat("tree ", tree, "\nparent ", m2_.ToString(), "\nauthor ", who,
                   "\ncommitter ", who,
                   "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n "
                   "-----END PGP SIGNATURE-----\n\nSigned title\n\nBody\n"),
      absl::StrCat("tree ", tree, "\nparent ", m2_.ToString(), "\nparent ",
                   s2_.ToString(), "\nauthor ", who, "\ncommitter ", who,
                   "\nencoding ISO-8859-1\n\n\n\nTitle after blank lines\n"),
      absl::StrCat("tree ", tree, "\nauthor ", who, "\ncommitter ", who, "\n"),
      absl::StrCat("tree ", tree, "\nauthor ", who, "\ncommitter ", who,
                   "\n\nno newline at the end"),
      absl::StrCat("tree ", tree, "\nparent ", m2_.ToString(), "\nparent ",
                   s2_.ToString(), "\nauthor ", who, "\ncommitter ", who, "\n",
                   mergetag, "\nMerge tag v1\r\n\r\nCRLF body\r\n"),
      // libgit2 stops a message at a NUL (git fsck allows one in the body).
      absl::StrCat("tree ", tree, "\nauthor ", who, "\ncommitter ", who,
                   "\n\nTitle\n\nbefore", std::string(1, '\0'), "Fixes #12\n"),
  };
  const std::vector<std::pair<std::string, size_t>> want = {
      {"Signed title\n\nBody\n", 1},
      {"Title after blank lines\n", 2},
      {"", 0},
      {"no newline at the end", 0},
      {"Merge tag v1\r\n\r\nCRLF body\r\n", 2},
      {"Title\n\nbefore", 0},
  };
  for (size_t i = 0; i < raws.size(); ++i) {
    std::string file = absl::StrCat(t_.path(), "/raw-commit-", i);
    {
      std::ofstream out(file, std::ios::binary);
      out << raws[i];
    }
    auto id = ObjectId::Parse(Trim(Git(
        t_.path(),
        absl::StrCat("hash-object -t commit -w --literally '", file, "'"))));
    ASSERT_THAT(id, IsOk());
    auto c = t_.repo().GetCommit(*id);
    ASSERT_THAT(c, IsOk());
    std::string message;
    size_t parents = 99;
    ASSERT_THAT(t_.repo().ReadMessage(*id,
                                      [&](absl::string_view m, size_t n) {
                                        message = std::string(m);
                                        parents = n;
                                      }),
                IsOk());
    EXPECT_EQ(message, want[i].first) << i;
    EXPECT_EQ(parents, want[i].second) << i;
    EXPECT_EQ(message, c->message) << i;  // as libgit2 parses it
    EXPECT_EQ(parents, c->parents.size()) << i;
  }
}

// What libgit2 refuses to parse, ReadMessage refuses too, naming the commit.
TEST_F(HistoryTest, ReadMessageRefusesMalformedCommits) {
  std::string tree = Trim(
      Git(t_.path(), absl::StrCat("rev-parse ", m3_.ToString(), "^{tree}")));
  std::string who = "A U Thor <a@example.com> 1700000000 +0000";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {absl::StrCat("tree 12345\nauthor ", who, "\ncommitter ", who, "\n\nm\n"),
       "no tree line"},
      {absl::StrCat("tree ", tree, "\r\nauthor ", who, "\ncommitter ", who,
                    "\n\nm\n"),
       "no tree line"},
      {absl::StrCat("tree ", tree, "\nparent junk\nauthor ", who,
                    "\ncommitter ", who, "\n\nm\n"),
       "no author line"},
      {absl::StrCat("tree ", tree, "\ncommitter ", who, "\n\nm\n"),
       "no author line"},
      {absl::StrCat("tree ", tree, "\nauthor ", who, "\n\nm\n"),
       "no committer line"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string file = absl::StrCat(t_.path(), "/bad-commit-", i);
    {
      std::ofstream out(file, std::ios::binary);
      out << cases[i].first;
    }
    auto id = ObjectId::Parse(Trim(Git(
        t_.path(),
        absl::StrCat("hash-object -t commit -w --literally '", file, "'"))));
    ASSERT_THAT(id, IsOk());
    EXPECT_THAT(t_.repo().GetCommit(*id), Not(IsOk())) << i;  // libgit2 too
    EXPECT_THAT(
        t_.repo().ReadMessage(*id, [](absl::string_view, size_t) {}),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AllOf(HasSubstr(id->ToString()), HasSubstr("is malformed"),
                       HasSubstr(cases[i].second))))
        << i;
  }
}

TEST_F(HistoryTest, MergeBaseAndAncestryMatchGit) {
  EXPECT_THAT(t_.repo().MergeBase(s2_, m2_), IsOkAndHolds(m1_));
  EXPECT_EQ(Trim(Git(t_.path(), absl::StrCat("merge-base ", s2_.ToString(), " ",
                                             m2_.ToString()))),
            m1_.ToString());
  EXPECT_THAT(t_.repo().IsAncestor(s1_, m3_), IsOkAndHolds(true));
  EXPECT_THAT(t_.repo().IsAncestor(m3_, s1_), IsOkAndHolds(false));
  EXPECT_THAT(t_.repo().IsAncestor(m2_, s2_), IsOkAndHolds(false));
  EXPECT_THAT(t_.repo().IsAncestor(m2_, m2_), IsOkAndHolds(true));
}

TEST(MergeBaseTest, UnrelatedHistoriesAreNotFound) {
  TempGitRepo t;
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  ObjectId b = t.Commit("other", "B", {File("b", "b\n")});
  EXPECT_THAT(
      t.repo().MergeBase(a, b),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("no common ancestor")));
}

// ---------------------------------------------------------------------------
// Patch-id

std::string CliPatchId(const std::string& repo, const ObjectId& c) {
  std::string out = TempGitRepo::Shell(
      absl::StrCat("git -C '", repo, "' diff-tree -p --no-renames --root ",
                   c.ToString(), " | git patch-id --stable"));
  std::vector<std::string> parts = absl::StrSplit(Trim(out), ' ');
  return parts.empty() ? "" : parts[0];
}

TEST(PatchIdTest, EqualsGitPatchIdStable) {
  TempGitRepo t;
  std::string big;
  for (int i = 0; i < 40; ++i) absl::StrAppend(&big, "line ", i, "\n");
  std::vector<ObjectId> commits;
  commits.push_back(t.Commit(
      "main", "root", {File("big.txt", big), File("dir/x.py", "x = 1\n")}));
  std::string big2 = big;
  big2.replace(big2.find("line 5\n"), 7, "line five\n");
  big2.replace(big2.find("line 30\n"), 8, "line thirty\nextra\n");
  commits.push_back(t.Commit("main", "two hunks", {File("big.txt", big2)}));
  commits.push_back(
      t.Commit("main", "add and delete",
               {File("new/file.txt", "n\n"), Delete("dir/x.py")}));
  commits.push_back(t.Commit("main", "no newline at end",
                             {File("new/file.txt", "n\nno-eol")}));
  commits.push_back(t.Commit("main", "multi-file",
                             {File("b.txt", "b\n"), File("a.txt", "a\n"),
                              File("new/file.txt", "n\n")}));
  for (const ObjectId& c : commits) {
    auto pid = t.repo().PatchId(c);
    ASSERT_THAT(pid, IsOk());
    ASSERT_TRUE(pid->has_value()) << c.ToString();
    EXPECT_EQ((*pid)->ToString(), CliPatchId(t.path(), c)) << c.ToString();
  }
}

// ChangedPaths skips equal subtrees itself (it is the audit's hot path) and
// PatchId diffs only those paths: both must agree with git on tree shapes
// where names sort differently as files and as directories.
TEST(PatchIdTest, ChangedPathsAndPatchIdMatchGitOnTrickyTrees) {
  TempGitRepo t;
  std::vector<ObjectId> commits;
  commits.push_back(
      t.Commit("main", "root",
               {File("a", "a\n"), File("a.b", "ab\n"), File("a-b/x", "x\n"),
                File("d/e/f.txt", "f\n"), File("d/e/g.txt", "g\n"),
                File("d/h.txt", "h\n"), File("z", "z\n")}));
  ObjectId removed = t.Commit("main", "file removed", {Delete("a")});
  ObjectId dir =
      t.Commit("main", "directory added", {File("a/inner.txt", "i\n")});
  commits.push_back(removed);
  commits.push_back(dir);
  // One commit where `a` goes from file to directory: the root's tree plus
  // the later tree, as a child of the root.
  CommitSpec file_to_dir;
  file_to_dir.parents = {commits[0]};
  file_to_dir.base_tree_of = dir;
  file_to_dir.message = "file becomes a directory\n";
  file_to_dir.author = t.NextSignature();
  absl::StatusOr<ObjectId> f2d = t.repo().CreateCommit(file_to_dir);
  ASSERT_THAT(f2d, IsOk());
  commits.push_back(*f2d);
  commits.push_back(
      t.Commit("main", "deep change and a sibling",
               {File("d/e/g.txt", "g2\n"), File("a.b", "ab2\n")}));
  commits.push_back(t.Commit("main", "directory removed",
                             {Delete("d/e/f.txt"), Delete("d/e/g.txt")}));
  FileChange exec = File("z", "z\n");
  exec.executable = true;
  commits.push_back(t.Commit("main", "mode change only", {exec}));
  commits.push_back(
      t.Commit("main", "gitlink",
               {::relkit::testing::Gitlink("third_party/sub", commits[0])}));
  for (const ObjectId& c : commits) {
    std::string names = TempGitRepo::Shell(absl::StrCat(
        "git -C '", t.path(), "' diff-tree -r --no-renames --root --name-only ",
        "--no-commit-id ", c.ToString(), " | sort"));
    std::vector<std::string> want = absl::StrSplit(
        absl::StripTrailingAsciiWhitespace(names), '\n', absl::SkipEmpty());
    EXPECT_THAT(t.repo().ChangedPaths(c), IsOkAndHolds(want)) << c.ToString();
    auto pid = t.repo().PatchId(c);
    ASSERT_THAT(pid, IsOk());
    ASSERT_TRUE(pid->has_value()) << c.ToString();
    EXPECT_EQ((*pid)->ToString(), CliPatchId(t.path(), c)) << c.ToString();
  }
}

TEST(PatchIdTest, SameChangeOnAnotherBaseHasTheSamePatchId) {
  TempGitRepo t;
  std::string text;
  for (int i = 0; i < 30; ++i) absl::StrAppend(&text, "l", i, "\n");
  ObjectId base = t.Commit("main", "base", {File("f.txt", text)});
  t.Branch("release/1.0", base);
  t.Commit("release/1.0", "unrelated", {File("g.txt", "g\n")});
  std::string changed = text;
  changed.replace(changed.find("l20\n"), 4, "L20\n");
  ObjectId fix = t.Commit("main", "Fix", {File("f.txt", changed)});
  ObjectId pick = t.CherryPick("release/1.0", fix, CherryPickTrailer::kYes);
  ASSERT_NE(fix, pick);
  auto a = t.repo().PatchId(fix);
  auto b = t.repo().PatchId(pick);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(*a, *b);
  // A conflict resolution that changes the content changes the patch-id.
  ObjectId other = t.CherryPick("release/1.0", fix, CherryPickTrailer::kYes,
                                std::nullopt, {File("f.txt", changed + "x\n")});
  EXPECT_THAT(t.repo().PatchId(other), IsOk());
  EXPECT_NE(*t.repo().PatchId(other), *a);
}

TEST(PatchIdTest, MergesAndEmptyCommitsHaveNone) {
  TempGitRepo t;
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  t.Branch("side", a);
  ObjectId s = t.Commit("side", "S", {File("s", "s\n")});
  t.Commit("main", "B", {File("b", "b\n")});
  ObjectId m = t.Merge("main", s, "merge");
  ObjectId empty = t.Commit("main", "empty", {});
  EXPECT_THAT(t.repo().PatchId(m), IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_THAT(t.repo().PatchId(empty), IsOkAndHolds(std::optional<ObjectId>()));
  EXPECT_EQ(CliPatchId(t.path(), empty), "");
}

TEST(PatchIdTest, MissingBlobIsNotFoundButPathsStillWork) {
  TempGitRepo t;
  t.Commit("main", "A", {File("a", "a\n")});
  ObjectId b = t.Commit("main", "B", {File("a", "a\nb\n")});
  std::string blob = Trim(Git(t.path(), "rev-parse main:a"));
  std::filesystem::remove(absl::StrCat(t.path(), "/.git/objects/",
                                       blob.substr(0, 2), "/", blob.substr(2)));
  auto reopened = Repository::Open(t.path());
  ASSERT_THAT(reopened, IsOk());
  EXPECT_THAT(reopened->PatchId(b),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(b.ToString())));
  EXPECT_THAT(reopened->ChangedPaths(b), IsOkAndHolds(ElementsAre("a")));
}

// ---------------------------------------------------------------------------
// Shallow history

TEST(ShallowTest, WalkPastTheBoundaryIsFailedPreconditionNamingIt) {
  TempGitRepo t;
  for (int i = 0; i < 4; ++i) {
    t.Commit("main", absl::StrCat("c", i), {File("f", absl::StrCat(i, "\n"))});
  }
  TempDir dir;
  std::string clone = dir.Sub("shallow");
  TempGitRepo::Shell(
      absl::StrCat("git clone -q --depth 1 --branch main 'file://", t.path(),
                   "' '", clone, "' 2>&1"));
  auto r = Repository::Open(clone);
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->is_shallow());
  auto walk = r->RevList("main");
  EXPECT_THAT(walk,
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("shallow"), HasSubstr("incomplete"))));
}

// ---------------------------------------------------------------------------
// Content at a revision

TEST(ContentTest, ReadsFilesAtARef) {
  TempGitRepo t;
  t.Commit("main", "A", {File(".ci/docker/triton_version.txt", "3.4.0\n")});
  t.Commit("main", "B", {File(".ci/docker/triton_version.txt", "3.5.0\n")});
  EXPECT_THAT(t.repo().ReadFile("main", ".ci/docker/triton_version.txt"),
              IsOkAndHolds(std::string("3.5.0\n")));
  EXPECT_THAT(t.repo().ReadFile("main~1", ".ci/docker/triton_version.txt"),
              IsOkAndHolds(std::string("3.4.0\n")));
  EXPECT_THAT(t.repo().ReadFile("main", "missing.txt"),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("missing.txt"), HasSubstr("main"))));
  EXPECT_THAT(t.repo().ReadFile("main", ".ci/docker"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not a file")));
}

TEST(ContentTest, SubmodulesJoinGitmodulesWithGitlinks) {
  TempGitRepo t;
  ObjectId pin1 = *ObjectId::Parse("5f40dc89506d67ab8e7aa2b7c8cf1351f8b22f31");
  ObjectId pin2 = *ObjectId::Parse("1adaa7c70aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  t.Commit("main", "add submodules",
           {File(".gitmodules",
                 "[submodule \"third_party/pybind11\"]\n"
                 "\tpath = third_party/pybind11\n"
                 "\turl = https://github.com/pybind/pybind11.git\n"
                 "[submodule \"third_party/XNNPACK\"]\n"
                 "\tpath = third_party/XNNPACK\n"
                 "\turl = https://github.com/google/XNNPACK.git\n"
                 "\tbranch = main\n"
                 "[submodule \"gone\"]\n\tpath = gone\n\turl = x\n"),
            Gitlink("third_party/pybind11", pin1),
            Gitlink("third_party/XNNPACK", pin2)});
  auto subs = t.repo().Submodules("main");
  ASSERT_THAT(subs, IsOk());
  ASSERT_THAT(*subs, SizeIs(3));
  EXPECT_EQ((*subs)[0].path, "gone");
  EXPECT_FALSE((*subs)[0].commit.has_value());
  EXPECT_EQ((*subs)[1].path, "third_party/XNNPACK");
  EXPECT_THAT((*subs)[1].branch, Optional(std::string("main")));
  EXPECT_THAT((*subs)[1].commit, Optional(pin2));
  EXPECT_EQ((*subs)[2].url, "https://github.com/pybind/pybind11.git");
  EXPECT_THAT((*subs)[2].commit, Optional(pin1));
  // git agrees on the gitlink.
  EXPECT_THAT(Git(t.path(), "ls-tree main third_party/pybind11"),
              HasSubstr(absl::StrCat("160000 commit ", pin1.ToString())));
}

TEST(ContentTest, ListsFilesUnderADirectory) {
  TempGitRepo t;
  ObjectId pin = *ObjectId::Parse("5f40dc89506d67ab8e7aa2b7c8cf1351f8b22f31");
  t.Commit("main", "A",
           {File(".github/workflows/a.yml", "a"),
            File(".github/workflows/sub/b.yml", "b"), File("top.txt", "t"),
            Gitlink(".github/workflows/sm", pin)});
  EXPECT_THAT(t.repo().ListFiles("main", ".github/workflows"),
              IsOkAndHolds(ElementsAre(".github/workflows/a.yml",
                                       ".github/workflows/sub/b.yml")));
  EXPECT_THAT(
      t.repo().ListFiles("main"),
      IsOkAndHolds(ElementsAre(".github/workflows/a.yml",
                               ".github/workflows/sub/b.yml", "top.txt")));
  EXPECT_THAT(t.repo().ListFiles("main", "missing/"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(t.repo().ListFiles("main", "top.txt"), IsOkAndHolds(IsEmpty()));
}

TEST(ContentTest, NoGitmodulesMeansNoSubmodules) {
  TempGitRepo t;
  t.Commit("main", "A", {File("a", "a\n")});
  EXPECT_THAT(t.repo().Submodules("main"), IsOkAndHolds(IsEmpty()));
}

TEST(GitmodulesTest, ParsesGitConfigSyntax) {
  auto e = ParseGitmodules(
      "# comment\n"
      "[submodule \"a \\\"q\\\"\"]  ; trailing comment\n"
      "  path = \"dir with space\"  # c\n"
      "  URL=https://x/y.git\r\n"
      "[core]\n  bare = false\n"
      "[submodule.legacy]\n  path = l\n  url = u \\\n  continued\n");
  ASSERT_THAT(e, IsOk());
  ASSERT_THAT(*e, SizeIs(2));
  EXPECT_EQ((*e)[0].name, "a \"q\"");
  EXPECT_EQ((*e)[0].path, "dir with space");
  EXPECT_EQ((*e)[0].url, "https://x/y.git");
  EXPECT_EQ((*e)[1].name, "legacy");
  EXPECT_EQ((*e)[1].url, "u   continued");
}

TEST(GitmodulesTest, ErrorsNameSourceLineAndColumn) {
  EXPECT_THAT(ParseGitmodules("[submodule \"x\"]\n path = a\n[submodule \"y\n",
                              "v2.4:.gitmodules"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("v2.4:.gitmodules:3:")));
  EXPECT_THAT(ParseGitmodules("[submodule \"x\"]\n  path = \"open\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(".gitmodules:2:")));
  EXPECT_THAT(ParseGitmodules("[sub"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1:5")));
  EXPECT_THAT(ParseGitmodules("  9key = v\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1:3")));
}

// ---------------------------------------------------------------------------
// Writes

TEST(WriteTest, CommitsBuiltInMemoryLeaveWorkingTreeAndIndexAlone) {
  TempGitRepo t;
  ObjectId a = t.Commit("main", "A", {File("a.txt", "a\n")});
  // Materialise the working tree and index with git, then commit in memory.
  Git(t.path(), "checkout -q -f main");
  std::string status_before = Git(t.path(), "status --porcelain");
  auto index_time = std::filesystem::last_write_time(t.path() + "/.git/index");
  CommitSpec spec;
  spec.parents = {a};
  spec.changes = {File(".github/workflows/x.yml", "uses: a@release/2.4\n"),
                  File("a.txt", "changed\n"), File("run.sh", "#!/bin/sh\n")};
  spec.changes.back().executable = true;
  spec.message = "[RELEASE-ONLY CHANGES] Branch Cut for Release 2.4\n";
  spec.author = t.NextSignature("Releaser");
  auto c = t.repo().CreateCommit(spec);
  ASSERT_THAT(c, IsOk());
  // No ref moved; working tree and index untouched.
  EXPECT_THAT(t.repo().ResolveCommit("main"), IsOkAndHolds(a));
  EXPECT_EQ(std::filesystem::last_write_time(t.path() + "/.git/index"),
            index_time);
  EXPECT_EQ(Git(t.path(), "status --porcelain"), status_before);
  std::ifstream in(t.path() + "/a.txt");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "a\n");
  // The commit has what was asked.
  EXPECT_THAT(t.repo().ReadFile(c->ToString(), "a.txt"),
              IsOkAndHolds(std::string("changed\n")));
  EXPECT_THAT(Git(t.path(), absl::StrCat("ls-tree ", c->ToString(), " run.sh")),
              HasSubstr("100755"));
  EXPECT_EQ(Trim(Git(t.path(),
                     absl::StrCat("log -1 --format=%an%n%P ", c->ToString()))),
            "Releaser\n" + a.ToString());
  Git(t.path(), absl::StrCat("fsck --no-dangling ", c->ToString()));
}

TEST(WriteTest, BadPathsAreInvalidArgumentNamingTheChange) {
  TempGitRepo t;
  ObjectId a = t.Commit("main", "A", {File("a.txt", "a\n")});
  for (const char* bad : {"", "/abs", "x/../y", ".git/config", "a//b", "d/"}) {
    CommitSpec spec;
    spec.parents = {a};
    spec.changes = {File("ok.txt", "1"), File(bad, "x")};
    spec.message = "m";
    spec.author = t.NextSignature();
    EXPECT_THAT(t.repo().CreateCommit(spec),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("change 1"),
                               HasSubstr(absl::StrCat("\"", bad, "\"")))))
        << bad;
  }
  CommitSpec del;
  del.parents = {a};
  del.changes = {Delete("not-there")};
  del.message = "m";
  del.author = t.NextSignature();
  EXPECT_THAT(t.repo().CreateCommit(del),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not-there")));
}

TEST(WriteTest, DefaultSignatureNeedsConfiguredIdentity) {
  TempGitRepo t;
  Git(t.path(), "config user.name 'Release Bot'");
  Git(t.path(), "config user.email bot@example.com");
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  auto sig = r->DefaultSignature();
  ASSERT_THAT(sig, IsOk());
  EXPECT_EQ(sig->name, "Release Bot");
  CommitSpec spec;
  spec.changes = {File("a", "a\n")};
  spec.message = "root\n";
  auto c = r->CreateCommit(spec);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(r->GetCommit(*c), IsOk());
  EXPECT_EQ(r->GetCommit(*c)->author.email, "bot@example.com");
}

TEST(PushTest, PushesOnlyTheRequestedRefsToALocalBareRepository) {
  TempGitRepo t;
  TempGitRepo remote(InitOptions::Kind::kBare);
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  ObjectId b = t.Commit("main", "B", {File("b", "b\n")});
  t.Branch("release/2.4", a);
  t.Branch("unpushed", a);
  ASSERT_THAT(t.repo().CreateTag("v2.4.0-rc1", a, "rc1\n", t.NextSignature()),
              IsOk());
  ASSERT_THAT(t.repo().Push(PushOptions{
                  .remote = remote.path(),
                  .refspecs = {"refs/heads/release/2.4", "refs/heads/main",
                               "refs/tags/v2.4.0-rc1"}}),
              IsOk());
  auto r = Repository::Open(remote.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->LookupRef("refs/heads/release/2.4"),
              IsOkAndHolds(Optional(a)));
  EXPECT_THAT(r->LookupRef("refs/heads/main"), IsOkAndHolds(Optional(b)));
  EXPECT_THAT(r->LookupRef("refs/heads/unpushed"),
              IsOkAndHolds(std::optional<ObjectId>()));
  auto tags = r->ListTags();
  ASSERT_THAT(tags, IsOk());
  ASSERT_THAT(*tags, SizeIs(1));
  EXPECT_TRUE((*tags)[0].annotated());
  EXPECT_EQ((*tags)[0].target, a);
  // A non-fast-forward push is refused by the remote and reported.
  EXPECT_FALSE(t.repo()
                   .Push(PushOptions{
                       .remote = remote.path(),
                       .refspecs = {"refs/heads/unpushed:refs/heads/main"}})
                   .ok());
  EXPECT_THAT(r->LookupRef("refs/heads/main"), IsOkAndHolds(Optional(b)));
}

TEST(PushTest, ConfiguredRemoteNameWorks) {
  TempGitRepo t;
  TempGitRepo remote(InitOptions::Kind::kBare);
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  Git(t.path(), absl::StrCat("remote add upstream '", remote.path(), "'"));
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  ASSERT_THAT(r->Push(PushOptions{.remote = "upstream",
                                  .refspecs = {"refs/heads/main"}}),
              IsOk());
  EXPECT_EQ(Trim(Git(remote.path(), "rev-parse main")), a.ToString());
}

TEST(PushTest, MissingPathIsNotFoundNamingThePath) {
  TempGitRepo t;
  t.Commit("main", "A", {File("a", "a\n")});
  std::string nope = t.dir().Sub("nope.git");
  // libgit2 alone says "unsupported URL protocol" for a path that does not
  // exist; the check says what is wrong, before contacting anything.
  EXPECT_THAT(t.repo().CheckPushRemote(nope),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr(nope), HasSubstr("no such file"))));
  EXPECT_THAT(t.repo().Push(
                  PushOptions{.remote = nope, .refspecs = {"refs/heads/main"}}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(nope)));
  EXPECT_THAT(t.repo().CheckPushRemote(absl::StrCat("file://", nope)),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(PushTest, RemoteThatIsNotARepositoryOrHasABadSchemeIsRefused) {
  TempGitRepo t;
  std::string plain = t.dir().Sub("plain");
  std::filesystem::create_directories(plain);
  EXPECT_THAT(t.repo().CheckPushRemote(plain),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not a git repository")));
  EXPECT_THAT(t.repo().CheckPushRemote("ftp://example.com/x.git"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unsupported URL scheme")));
  EXPECT_THAT(t.repo().CheckPushRemote(""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Network URLs are not contacted by the check.
  EXPECT_THAT(t.repo().CheckPushRemote("https://github.com/o/r.git"), IsOk());
  EXPECT_THAT(t.repo().CheckPushRemote("git@github.com:o/r.git"), IsOk());
  // A configured remote is checked by its URL.
  Git(t.path(),
      absl::StrCat("remote add gone '", t.dir().Sub("gone.git"), "'"));
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(
      r->CheckPushRemote("gone"),
      StatusIs(absl::StatusCode::kNotFound,
               AllOf(HasSubstr("remote \"gone\""), HasSubstr("gone.git"))));
}

TEST(PushTest, ACommitIdPushesAsTheSourceAndRemoteRefsAreListed) {
  TempGitRepo t;
  TempGitRepo remote(InitOptions::Kind::kBare);
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  t.Commit("main", "B", {File("b", "b\n")});
  ASSERT_THAT(t.repo().CreateTag("v1", a, std::nullopt), IsOk());
  EXPECT_THAT(t.repo().ListRemoteRefs(remote.path()), IsOkAndHolds(IsEmpty()));
  ASSERT_THAT(t.repo().Push(PushOptions{
                  .remote = remote.path(),
                  .refspecs = {absl::StrCat(a.ToString(), ":refs/heads/main"),
                               "refs/tags/v1"}}),
              IsOk());
  using Refs = std::vector<std::pair<std::string, ObjectId>>;
  EXPECT_THAT(t.repo().ListRemoteRefs(remote.path()),
              IsOkAndHolds(Refs{{"refs/heads/main", a}, {"refs/tags/v1", a}}));
  // The temporary ref that carried the commit id is gone.
  EXPECT_THAT(t.repo().ListRefs("refs/relkit/"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(t.repo().ListRemoteRefs(t.dir().Sub("nope")),
              StatusIs(absl::StatusCode::kNotFound));
}

// ---------------------------------------------------------------------------
// Checked-out branches

TEST(WorktreeTest, FindsTheWorkingTreeThatHasABranchCheckedOut) {
  TempGitRepo t;  // HEAD -> refs/heads/main, as after `git init`
  ObjectId a = t.Commit("main", "A", {File("a", "a\n")});
  t.Branch("release/2.4", a);
  auto main_at = t.repo().WorktreeWithBranch("main");
  ASSERT_THAT(main_at, IsOk());
  ASSERT_TRUE(main_at->has_value());
  EXPECT_EQ(std::filesystem::canonical(**main_at),
            std::filesystem::canonical(t.path()));
  EXPECT_THAT(t.repo().WorktreeWithBranch("release/2.4"),
              IsOkAndHolds(std::optional<std::string>()));
  // A linked worktree counts too; a detached HEAD does not.
  std::string linked = t.dir().Sub("linked");
  Git(t.path(), absl::StrCat("worktree add -q '", linked, "' release/2.4"));
  Git(t.path(), absl::StrCat("update-ref --no-deref HEAD ", a.ToString()));
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->WorktreeWithBranch("main"),
              IsOkAndHolds(std::optional<std::string>()));
  auto rel = r->WorktreeWithBranch("release/2.4");
  ASSERT_THAT(rel, IsOk());
  ASSERT_TRUE(rel->has_value());
  EXPECT_EQ(std::filesystem::canonical(**rel),
            std::filesystem::canonical(linked));
  // From inside the linked worktree, the main working tree is seen too.
  Git(t.path(), "symbolic-ref HEAD refs/heads/main");
  auto from_linked = Repository::Open(linked);
  ASSERT_THAT(from_linked, IsOk());
  auto m = from_linked->WorktreeWithBranch("main");
  ASSERT_THAT(m, IsOk());
  EXPECT_TRUE(m->has_value());
}

TEST(WorktreeTest, NothingIsCheckedOutInABareRepository) {
  TempGitRepo t(InitOptions::Kind::kBare);
  t.Commit("main", "A", {File("a", "a\n")});
  EXPECT_THAT(t.repo().WorktreeWithBranch("main"),
              IsOkAndHolds(std::optional<std::string>()));
}

// ---------------------------------------------------------------------------
// Remotes

TEST(RemotesTest, ListsRemotesWithTheirFetchUrlsSortedAsGitDoes) {
  TempGitRepo t;
  Git(t.path(), "remote add upstream git@github.com:pytorch/pytorch.git");
  Git(t.path(), "remote add origin https://github.com/me/pytorch.git");
  Git(t.path(), "remote add mirror /srv/git/pytorch.git");
  Git(t.path(), "remote set-url --push upstream no-push");
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  auto remotes = r->Remotes();
  ASSERT_THAT(remotes, IsOk());
  EXPECT_THAT(
      *remotes,
      ElementsAre(Remote{"mirror", "/srv/git/pytorch.git"},
                  Remote{"origin", "https://github.com/me/pytorch.git"},
                  Remote{"upstream", "git@github.com:pytorch/pytorch.git"}));
  // The same names and fetch URLs as `git remote -v`.
  std::vector<std::string> from_git;
  for (const std::string& line : Lines(Git(t.path(), "remote -v"))) {
    if (absl::EndsWith(line, " (fetch)")) {
      from_git.push_back(std::string(absl::StripSuffix(line, " (fetch)")));
    }
  }
  std::vector<std::string> ours;
  for (const Remote& x : *remotes) ours.push_back(x.name + "\t" + x.url);
  EXPECT_EQ(ours, from_git);
  for (const Remote& x : *remotes) {
    EXPECT_THAT(r->RemoteUrl(x.name), IsOkAndHolds(x.url)) << x.name;
  }
}

TEST(RemotesTest, UrlAppliesInsteadOfLikeGitRemoteGetUrl) {
  TempGitRepo t;
  Git(t.path(), "remote add upstream gh:pytorch/vision");
  Git(t.path(), "config url.https://github.com/.insteadOf gh:");
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->RemoteUrl("upstream"),
              IsOkAndHolds(std::string("https://github.com/pytorch/vision")));
  EXPECT_EQ(*r->RemoteUrl("upstream"),
            Trim(Git(t.path(), "remote get-url upstream")));
  // The longest matching prefix wins; a second url is not the fetch URL.
  Git(t.path(), "config url.ssh://git@ghe.example.com/.insteadOf gh:pytorch/");
  Git(t.path(), "config --add remote.upstream.url https://mirror.example/x");
  Git(t.path(), "remote add Other gh:other/n");
  auto again = Repository::Open(t.path());
  ASSERT_THAT(again, IsOk());
  for (const char* name : {"upstream", "Other"}) {
    EXPECT_THAT(again->RemoteUrl(name),
                IsOkAndHolds(
                    Trim(Git(t.path(), absl::StrCat("remote get-url ", name)))))
        << name;
  }
  EXPECT_THAT(again->RemoteUrl("upstream"),
              IsOkAndHolds(std::string("ssh://git@ghe.example.com/vision")));
  EXPECT_THAT(again->Remotes(),
              IsOkAndHolds(ElementsAre(
                  Remote{"Other", "https://github.com/other/n"},
                  Remote{"upstream", "ssh://git@ghe.example.com/vision"})));
}

TEST(RemotesTest, WorksInBareRepositories) {
  TempGitRepo t(InitOptions::Kind::kBare);
  Git(t.path(), "remote add origin https://ghe.example.com/team/tool.git");
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->Remotes(),
              IsOkAndHolds(ElementsAre(
                  Remote{"origin", "https://ghe.example.com/team/tool.git"})));
}

TEST(RemotesTest, NoRemotesIsAnEmptyList) {
  TempGitRepo t;
  EXPECT_THAT(t.repo().Remotes(), IsOkAndHolds(IsEmpty()));
}

TEST(RemotesTest, MissingRemoteIsNotFoundNamingRemoteAndRepository) {
  TempGitRepo t;
  Git(t.path(), "remote add origin https://github.com/o/n");
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->RemoteUrl("upstream"),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("\"upstream\""), HasSubstr(t.path()))));
  EXPECT_THAT(
      r->RemoteUrl("bad name"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"bad name\"")));
  EXPECT_THAT(r->RemoteUrl(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(r->RemoteUrl(absl::string_view("origin\0x", 8)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RemotesTest, PushOnlyRemoteIsListedWithoutAFetchUrl) {
  TempGitRepo t;
  Git(t.path(), "config remote.backup.pushurl /srv/backup.git");
  auto r = Repository::Open(t.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->Remotes(), IsOkAndHolds(ElementsAre(Remote{"backup", ""})));
  EXPECT_THAT(r->RemoteUrl("backup"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no fetch URL")));
}

}  // namespace
}  // namespace relkit
