#include "relkit/pins.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/git.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::File;
using ::relkit::testing::Gitlink;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempGitRepo;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr absl::string_view kSha = "5f40dc89506d67ab8e7aa2b7c8cf1351f8b22f31";

ObjectId Id(absl::string_view hex) { return *ObjectId::Parse(hex); }

// --- Parsers
// -------------------------------------------------------------------

TEST(ParseCommitPinTest, AcceptsOneShaWithOrWithoutTrailingNewline) {
  EXPECT_THAT(ParseCommitPin(absl::StrCat(kSha, "\n")), IsOkAndHolds(Id(kSha)));
  EXPECT_THAT(ParseCommitPin(kSha), IsOkAndHolds(Id(kSha)));
  EXPECT_THAT(ParseCommitPin(absl::StrCat(kSha, "\r\n\n  ")),
              IsOkAndHolds(Id(kSha)));
  EXPECT_THAT(ParseCommitPin("5F40DC89506D67AB8E7AA2B7C8CF1351F8B22F31\n"),
              IsOkAndHolds(Id(kSha)));
}

TEST(ParseCommitPinTest, RejectsAnEmptyFileNamingSourceAndPosition) {
  EXPECT_THAT(ParseCommitPin("", "triton.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("triton.txt:1:1: "),
                             HasSubstr("empty pin file"))));
  EXPECT_THAT(ParseCommitPin(" \n\n", "triton.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("triton.txt:1:1: empty")));
}

TEST(ParseCommitPinTest, NamesTheFirstNonHexCharacter) {
  EXPECT_THAT(ParseCommitPin("5f40xc89506d67ab8e7aa2b7c8cf1351f8b22f31\n", "t"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("t:1:5: "), HasSubstr("'x'"))));
  EXPECT_THAT(
      ParseCommitPin(" 5f40dc89506d67ab8e7aa2b7c8cf1351f8b22f31", "t"),
      StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("t:1:1: ")));
  EXPECT_THAT(ParseCommitPin("v3.0.0\n", "t"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("t:1:1: "), HasSubstr("'v'"))));
}

TEST(ParseCommitPinTest, RejectsShasOfTheWrongLength) {
  EXPECT_THAT(ParseCommitPin("5f40dc89\n", "t"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("t:1:1: "),
                             HasSubstr("has 8 hexadecimal digits"))));
  EXPECT_THAT(ParseCommitPin(absl::StrCat(kSha, "ab\n"), "t"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("t:1:41: "), HasSubstr("longer"))));
}

TEST(ParseCommitPinTest, RejectsTextAfterTheShaWithLineAndColumn) {
  EXPECT_THAT(ParseCommitPin(absl::StrCat(kSha, " # pinned\n"), "t"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("t:1:42: "), HasSubstr("'#'"))));
  EXPECT_THAT(
      ParseCommitPin(absl::StrCat(kSha, "\n", kSha, "\n"), "t"),
      StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("t:2:1: ")));
}

TEST(ParseVersionPinTest, AcceptsOneVersion) {
  absl::StatusOr<Version> v = ParseVersionPin("3.0.0\n");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->ToString(), "3.0.0");
  EXPECT_EQ(ParseVersionPin("3.1.0+git1234\r\n")->ToString(), "3.1.0+git1234");
}

TEST(ParseVersionPinTest, RejectsBadContentNamingSourceAndPosition) {
  EXPECT_THAT(ParseVersionPin("", "tv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("tv:1:1: empty version file")));
  EXPECT_THAT(ParseVersionPin("3.0.0 final\n", "tv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("tv:1:1: invalid version"),
                             HasSubstr("position"))));
  EXPECT_THAT(ParseVersionPin("\n3.0.0\n", "tv"), IsOk());
  EXPECT_THAT(ParseVersionPin("3.0.0\n3.1.0\n", "tv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("tv:2:1: unexpected text")));
}

// --- Pins at a ref
// -------------------------------------------------------------

class TritonPinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ =
        t_.Commit("main", "Initial",
                  {File(std::string(kTritonPinPath), absl::StrCat(kSha, "\n")),
                   File(std::string(kTritonVersionPath), "3.0.0\n"),
                   File("version.txt", "2.4.0a0\n")});
    t_.Branch("release/2.4", base_);
  }
  TempGitRepo t_;
  ObjectId base_;
};

TEST_F(TritonPinTest, ReadsCommitAndVersionAtAnyRef) {
  const std::string other = "0123456789abcdef0123456789abcdef01234567";
  t_.Commit("release/2.4", "Pin triton release",
            {File(std::string(kTritonPinPath), other + "\n"),
             File(std::string(kTritonVersionPath), "3.0.1\n")});
  absl::StatusOr<TritonPin> main = ReadTritonPin(t_.repo(), "main");
  ASSERT_THAT(main, IsOk());
  EXPECT_EQ(main->commit, Id(kSha));
  EXPECT_EQ(main->version->ToString(), "3.0.0");
  absl::StatusOr<TritonPin> rel = ReadTritonPin(t_.repo(), "release/2.4");
  ASSERT_THAT(rel, IsOk());
  EXPECT_EQ(rel->commit, Id(other));
  EXPECT_EQ(rel->version->ToString(), "3.0.1");
  EXPECT_THAT(ReadTritonPin(t_.repo(), base_.ToString()), IsOk());
}

TEST_F(TritonPinTest, MissingPinIsNotFoundAndMissingVersionIsOptional) {
  t_.Commit("main", "Drop the version file",
            {::relkit::testing::Delete(std::string(kTritonVersionPath))});
  absl::StatusOr<TritonPin> pin = ReadTritonPin(t_.repo(), "main");
  ASSERT_THAT(pin, IsOk());
  EXPECT_FALSE(pin->version.has_value());
  t_.Commit("main", "Drop the pin",
            {::relkit::testing::Delete(std::string(kTritonPinPath))});
  EXPECT_THAT(ReadTritonPin(t_.repo(), "main"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("triton.txt")));
  EXPECT_THAT(ReadTritonPin(t_.repo(), "no/such/ref"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no/such/ref")));
}

TEST_F(TritonPinTest, MalformedFilesNameFileRefAndPosition) {
  t_.Commit("release/2.4", "Bad pin",
            {File(std::string(kTritonPinPath), "5f40dc89 \n")});
  EXPECT_THAT(
      ReadTritonPin(t_.repo(), "release/2.4"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               StartsWith("release/2.4:.ci/docker/ci_commit_pins/triton.txt:"
                          "1:1: commit sha has 8")));
  t_.Commit("main", "Bad version",
            {File(std::string(kTritonVersionPath), "three\n")});
  EXPECT_THAT(ReadTritonPin(t_.repo(), "main"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("main:.ci/docker/triton_version.txt:1:1: "
                                  "invalid version")));
  EXPECT_THAT(ReadVersionPin(t_.repo(), "main", "version.txt"), IsOk());
  EXPECT_THAT(ReadCommitPin(t_.repo(), "main", "version.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("main:version.txt:1:2: ")));
}

// --- Submodules
// ----------------------------------------------------------------

std::string Gitmodules(
    const std::vector<std::pair<std::string, std::string>>& entries,
    const std::string& extra = "") {
  std::string out;
  for (const auto& [path, branch] : entries) {
    absl::StrAppend(&out, "[submodule \"", path, "\"]\n\tpath = ", path,
                    "\n\turl = https://github.com/example/",
                    path.substr(path.rfind('/') + 1), ".git\n");
    if (!branch.empty()) absl::StrAppend(&out, "\tbranch = ", branch, "\n");
  }
  return out + extra;
}

// An upstream with `main` (a, b), a feature branch (s, not on main) and a
// release branch (r); and a superproject pinning submodules at each.
class SubmoduleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = up_.Commit("main", "A", {File("lib.h", "a\n")});
    b_ = up_.Commit("main", "B", {File("lib.h", "b\n")});
    up_.Branch("feature", b_);
    s_ = up_.Commit("feature", "S", {File("lib.h", "s\n")});
    up_.Branch("release", a_);
    r_ = up_.Commit("release", "R", {File("lib.h", "r\n")});
  }

  SubmoduleCheckOptions Upstreams(const std::vector<std::string>& paths) {
    SubmoduleCheckOptions o;
    for (const std::string& p : paths) {
      o.upstreams.push_back(
          {.path = p, .repository = up_.path(), .default_branch = ""});
    }
    return o;
  }

  TempGitRepo up_;
  TempGitRepo super_;
  ObjectId a_, b_, s_, r_;
};

TEST_F(SubmoduleTest, FlagsPinsOutsideTheUpstreamDefaultBranch) {
  const ObjectId gone = Id("00000000000000000000000000000000000000aa");
  super_.Commit(
      "main", "Add submodules",
      {File(".gitmodules", Gitmodules({{"third_party/ok", ""},
                                       {"third_party/old", ""},
                                       {"third_party/fork", ""},
                                       {"third_party/gone", ""},
                                       {"third_party/rel", "release"},
                                       {"third_party/unknown", ""},
                                       {"third_party/nolink", ""}})),
       Gitlink("third_party/ok", b_), Gitlink("third_party/old", a_),
       Gitlink("third_party/fork", s_), Gitlink("third_party/gone", gone),
       Gitlink("third_party/rel", r_), Gitlink("third_party/unknown", b_)});
  SubmoduleCheckOptions o =
      Upstreams({"third_party/ok", "third_party/old", "third_party/fork",
                 "third_party/gone", "third_party/rel"});
  o.discover = false;
  absl::StatusOr<std::vector<SubmoduleCheck>> subs =
      CheckSubmodules(super_.repo(), "main", o);
  ASSERT_THAT(subs, IsOk());
  std::vector<std::pair<std::string, std::string>> got;
  for (const SubmoduleCheck& s : *subs) {
    got.emplace_back(s.submodule.path, SubmoduleStateName(s.state));
  }
  EXPECT_THAT(got, ElementsAre(std::pair<std::string, std::string>(
                                   "third_party/fork", "off-default-branch"),
                               std::pair<std::string, std::string>(
                                   "third_party/gone", "not-in-upstream"),
                               std::pair<std::string, std::string>(
                                   "third_party/nolink", "no-gitlink"),
                               std::pair<std::string, std::string>(
                                   "third_party/ok", "on-default-branch"),
                               std::pair<std::string, std::string>(
                                   "third_party/old", "on-default-branch"),
                               std::pair<std::string, std::string>(
                                   "third_party/rel", "on-default-branch"),
                               std::pair<std::string, std::string>(
                                   "third_party/unknown", "unchecked")));
  const SubmoduleCheck& fork = (*subs)[0];
  EXPECT_TRUE(fork.flagged());
  EXPECT_EQ(fork.default_branch, "main");
  EXPECT_EQ(fork.default_branch_commit, b_);
  EXPECT_EQ(fork.submodule.commit, s_);
  EXPECT_THAT(fork.detail, HasSubstr(s_.ShortString()));
  EXPECT_TRUE((*subs)[1].flagged());
  EXPECT_TRUE((*subs)[2].flagged());
  EXPECT_FALSE((*subs)[3].flagged());
  // The `.gitmodules` branch is the default branch of `rel`.
  EXPECT_EQ((*subs)[5].default_branch, "release");
  EXPECT_FALSE((*subs)[6].flagged());
  EXPECT_EQ((*subs)[6].upstream, "");
}

TEST_F(SubmoduleTest, UsesRemoteTrackingRefsAndAnExplicitDefaultBranch) {
  // A (bare) clone whose only refs are remote-tracking: origin/main and
  // origin/feature.
  TempGitRepo clone(InitOptions::Kind::kBare);
  // Fill it the libgit2 way: push from the upstream into the clone.
  ASSERT_THAT(up_.repo().Push({.remote = clone.path(),
                               .refspecs = {"refs/heads/main:refs/remotes/"
                                            "origin/main",
                                            "refs/heads/feature:refs/remotes/"
                                            "origin/feature"}}),
              IsOk());
  super_.Commit("main", "Add submodule",
                {File(".gitmodules", Gitmodules({{"third_party/x", ""}})),
                 Gitlink("third_party/x", s_)});
  SubmoduleCheckOptions o;
  o.discover = false;
  o.upstreams.push_back({.path = "third_party/x",
                         .repository = clone.path(),
                         .default_branch = ""});
  absl::StatusOr<std::vector<SubmoduleCheck>> subs =
      CheckSubmodules(super_.repo(), "main", o);
  ASSERT_THAT(subs, IsOk());
  ASSERT_EQ(subs->size(), 1u);
  EXPECT_EQ((*subs)[0].state, SubmoduleState::kOffDefaultBranch);
  EXPECT_EQ((*subs)[0].default_branch, "origin/main");

  o.upstreams[0].default_branch = "origin/feature";
  subs = CheckSubmodules(super_.repo(), "main", o);
  ASSERT_THAT(subs, IsOk());
  EXPECT_EQ((*subs)[0].state, SubmoduleState::kOnDefaultBranch);
  EXPECT_EQ((*subs)[0].default_branch, "origin/feature");

  o.upstreams[0].default_branch = "origin/nope";
  EXPECT_THAT(
      CheckSubmodules(super_.repo(), "main", o),
      StatusIs(absl::StatusCode::kNotFound,
               AllOf(HasSubstr("third_party/x"), HasSubstr("origin/nope"))));
}

TEST_F(SubmoduleTest, DiscoversACheckedOutSubmodule) {
  super_.Commit("main", "Add submodule",
                {File(".gitmodules", Gitmodules({{"third_party/x", ""}})),
                 Gitlink("third_party/x", s_)});
  // A checked-out submodule: `git clone` (the git CLI, tests only) inside
  // the superproject's working tree, detached at the pin, with origin/HEAD.
  std::string sub_path = absl::StrCat(super_.path(), "/third_party/x");
  TempGitRepo::Shell(absl::StrCat("git clone -q '", up_.path(), "' '", sub_path,
                                  "' && git -C '", sub_path,
                                  "' checkout -q --detach ", s_.ToString()));
  absl::StatusOr<std::vector<SubmoduleCheck>> subs =
      CheckSubmodules(super_.repo(), "main");
  ASSERT_THAT(subs, IsOk());
  ASSERT_EQ(subs->size(), 1u);
  EXPECT_EQ((*subs)[0].state, SubmoduleState::kOffDefaultBranch);
  EXPECT_THAT((*subs)[0].upstream, HasSubstr("third_party/x"));
  EXPECT_EQ((*subs)[0].default_branch, "origin/HEAD");
  // Without discovery nothing is checked.
  subs = CheckSubmodules(super_.repo(), "main",
                         {.upstreams = {}, .discover = false});
  ASSERT_THAT(subs, IsOk());
  EXPECT_EQ((*subs)[0].state, SubmoduleState::kUnchecked);
}

TEST_F(SubmoduleTest, RejectsBadUpstreamsNamingThem) {
  super_.Commit("main", "Add submodule",
                {File(".gitmodules", Gitmodules({{"third_party/x", ""}})),
                 Gitlink("third_party/x", b_)});
  SubmoduleCheckOptions o = Upstreams({"third_party/y"});
  EXPECT_THAT(
      CheckSubmodules(super_.repo(), "main", o),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("third_party/y"), HasSubstr("third_party/x"))));
  o.upstreams = {{.path = "third_party/x",
                  .repository = super_.dir().Sub("missing"),
                  .default_branch = ""}};
  EXPECT_THAT(
      CheckSubmodules(super_.repo(), "main", o),
      StatusIs(absl::StatusCode::kNotFound,
               AllOf(HasSubstr("third_party/x"), HasSubstr("missing"))));
  EXPECT_THAT(CheckSubmodules(super_.repo(), "nope"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

TEST_F(SubmoduleTest, NoGitmodulesMeansNoSubmodules) {
  super_.Commit("main", "Initial", {File("a.txt", "a\n")});
  EXPECT_THAT(CheckSubmodules(super_.repo(), "main"), IsOkAndHolds(IsEmpty()));
}

}  // namespace
}  // namespace relkit
