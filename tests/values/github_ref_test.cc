#include "relkit/github_ref.h"

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relkit {
namespace {

GitHubRefToken Parsed(absl::string_view text) {
  std::optional<GitHubRefToken> t = ParseGitHubRef(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(GitHubRefToken{});
}

TEST(GitHubRefTest, ParsesTheShortForms) {
  GitHubRefToken t = Parsed("#123");
  EXPECT_EQ(t.kind, GitHubRefKind::kNumber);
  EXPECT_FALSE(t.is_url());
  EXPECT_EQ(t.ref(), (GitHubRef{"", "", 123}));
  EXPECT_EQ(t.size, 4u);
  t = Parsed("pytorch/vision#8500");
  EXPECT_EQ(t.ref(), (GitHubRef{"pytorch", "vision", 8500}));
  EXPECT_EQ(t.size, 19u);
  EXPECT_TRUE(t.scheme.empty() && t.host.empty() && t.sha.empty());
  EXPECT_EQ(Parsed("my-org/my_repo.py#7").repo, "my_repo.py");
}

TEST(GitHubRefTest, ParsesUrlsOfEveryKindOnAnyHost) {
  GitHubRefToken t =
      Parsed("https://github.com/pytorch/pytorch/pull/123#issuecomment-1");
  EXPECT_EQ(t.kind, GitHubRefKind::kPull);
  EXPECT_TRUE(t.is_url());
  EXPECT_EQ(t.scheme, "https");
  EXPECT_EQ(t.host, "github.com");
  EXPECT_EQ(t.ref(), (GitHubRef{"pytorch", "pytorch", 123}));
  EXPECT_EQ(t.size, 43u);  // up to the '#'
  EXPECT_EQ(Parsed("http://github.com/o/r/pulls/5").kind,
            GitHubRefKind::kPulls);
  EXPECT_EQ(Parsed("https://www.github.com/o/r/issues/9").host,
            "www.github.com");
  EXPECT_EQ(Parsed("https://github.com/o/r/issues/9").kind,
            GitHubRefKind::kIssue);
  t = Parsed("HTTPS://ghe.example.com:8443/o/r/commits/ABCdef0");
  EXPECT_EQ(t.kind, GitHubRefKind::kCommit);
  EXPECT_EQ(t.scheme, "HTTPS");  // as written: callers may insist on case
  EXPECT_EQ(t.host, "ghe.example.com:8443");
  EXPECT_EQ(t.sha, "abcdef0");
  EXPECT_EQ(t.number, 0u);
  EXPECT_EQ(Parsed("https://github.com/o/r/commit/a").sha, "a");
}

TEST(GitHubRefTest, EndsAtTheNumberAndLeavesWhatFollowsToTheCaller) {
  EXPECT_EQ(Parsed("#5) and more").size, 2u);
  EXPECT_EQ(Parsed("#5.").size, 2u);
  EXPECT_EQ(Parsed("#5#6").size, 2u);
  EXPECT_EQ(Parsed("https://github.com/o/r/pull/5/files").size, 29u);
  EXPECT_EQ(Parsed("https://github.com/o/r/pull/5?w=1").size, 29u);
  EXPECT_EQ(Parsed("https://github.com/o/r/pull/5-x").size, 29u);
  EXPECT_EQ(Parsed("https://github.com/o/r/commit/abc/x").size, 33u);
}

TEST(GitHubRefTest, ReferencesGluedToAWordAreNone) {
  for (absl::string_view text :
       {"#12abc", "#12_", "o/r#12x", "https://github.com/o/r/pull/12abc",
        "https://github.com/o/r/pull/12_", "https://github.com/o/r/commit/abg",
        "https://github.com/o/r/commit/ab_"}) {
    EXPECT_EQ(ParseGitHubRef(text), std::nullopt) << text;
  }
}

TEST(GitHubRefTest, NumbersAreUnsignedDecimalsThatFitIn64Bits) {
  for (absl::string_view text :
       {"#", "#-5", "#+5", "# 5", "https://github.com/o/r/pull/-5",
        "https://github.com/o/r/pull/+5", "https://github.com/o/r/pull/",
        "https://github.com/o/r/pull/#5", "#18446744073709551616",
        "#99999999999999999999"}) {
    EXPECT_EQ(ParseGitHubRef(text), std::nullopt) << text;
  }
  EXPECT_EQ(Parsed("#18446744073709551615").number, 18446744073709551615u);
  EXPECT_EQ(Parsed("#007").number, 7u);
  EXPECT_EQ(Parsed("#0").number, 0u);
  // Leading zeros do not count against the 64 bits.
  EXPECT_EQ(Parsed("#000000000000000000000001").number, 1u);
}

TEST(GitHubRefTest, OwnersAndReposAreGitHubNames) {
  for (absl::string_view text :
       {"/#5", "o/#5", "/r#5", "x#5", "a/b/c#5", "o/..#5", "o/.#5",
        "https://github.com//r/pull/5", "https://github.com/o//pull/5",
        "https://github.com/o#x/r/pull/5", "https://github.com/o?x/r/pull/5",
        "https://github.com/o x/r/pull/5", "https://github.com/o%20x/r/pull/5",
        "https://github.com/o/r)/pull/5",
        "https://github.com/\xC3\xA9/r/pull/5",
        "https://github.com/o/../pull/5", "https://github.com/o/r/x/pull/5"}) {
    EXPECT_EQ(ParseGitHubRef(text), std::nullopt) << text;
  }
  EXPECT_EQ(Parsed("./a#5").owner, ".");  // GitHubRepo::Parse allows it too
}

TEST(GitHubRefTest, UrlsNeedAnHttpSchemeAHostAndAKnownLowerCaseKind) {
  for (absl::string_view text :
       {"ftp://github.com/o/r/pull/5", "github.com/o/r/pull/5",
        "https:/github.com/o/r/pull/5", "https:///o/r/pull/5",
        "https://gh#x/o/r/pull/5", "https://user@github.com/o/r/pull/5",
        "https://github.com/o/r/PULL/5", "https://github.com/o/r/tree/5",
        "https://github.com/o/r/pull", "https://github.com/o/r",
        "https://github.com/o/r/pull5"}) {
    EXPECT_EQ(ParseGitHubRef(text), std::nullopt) << text;
  }
}

TEST(GitHubRefTest, OnlyTheStartOfTheTextIsRead) {
  EXPECT_EQ(ParseGitHubRef(""), std::nullopt);
  EXPECT_EQ(ParseGitHubRef(" #5"), std::nullopt);
  EXPECT_EQ(ParseGitHubRef("(#5)"), std::nullopt);
  EXPECT_EQ(ParseGitHubRef("see https://github.com/o/r/pull/5"), std::nullopt);
  EXPECT_EQ(ParseGitHubRef(absl::string_view("#5\0", 3))->size, 2u);
}

TEST(GitHubRefTest, ToStringWritesTheReferenceOutAndParsesBack) {
  for (absl::string_view text :
       {"#0042", "o/r#5", "HTTP://h:1/o/r/pull/7", "https://x/o/r/pulls/8",
        "https://github.com/o/r/issues/9/",
        "https://github.com/o/r/commits/ABC0"}) {
    GitHubRefToken t = Parsed(text);
    std::optional<GitHubRefToken> again = ParseGitHubRef(t.ToString());
    ASSERT_TRUE(again.has_value()) << t.ToString();
    again->size = t.size;
    EXPECT_EQ(*again, t) << text;
  }
  EXPECT_EQ(Parsed("#0042").ToString(), "#42");
  EXPECT_EQ(Parsed("https://github.com/o/r/commits/ABC0").ToString(),
            "https://github.com/o/r/commit/abc0");
}

TEST(GitHubRefTest, GitHubRefToStringNamesTheRepositoryWhenKnown) {
  EXPECT_EQ((GitHubRef{"", "", 5}).ToString(), "#5");
  EXPECT_EQ((GitHubRef{"pytorch", "pytorch", 5}).ToString(),
            "pytorch/pytorch#5");
  EXPECT_EQ(Parsed("https://github.com/o/r/pull/5").ref().ToString(), "o/r#5");
}

}  // namespace
}  // namespace relkit
