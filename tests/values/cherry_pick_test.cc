// Tests of relkit/cherry_pick.h: the @pytorchbot cherry-pick grammar and its
// error texts, classifications, tracker comments in the variants seen on
// real trackers (tests/data/github/release_trackers_and_milestones.json
// lists them), and tracker discovery by exact version over the real tracker
// titles.

#include "relkit/cherry_pick.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/test_data.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

CherryPickCommand MustParse(absl::string_view text) {
  absl::StatusOr<CherryPickCommand> c = CherryPickCommand::Parse(text);
  EXPECT_THAT(c, IsOk()) << text;
  return c.ok() ? *c : CherryPickCommand{};
}

std::string ErrorOf(absl::string_view text) {
  absl::StatusOr<CherryPickCommand> c = CherryPickCommand::Parse(text);
  EXPECT_THAT(c, StatusIs(absl::StatusCode::kInvalidArgument)) << text;
  return std::string(c.status().message());
}

// --- the command
// --------------------------------------------------------------

TEST(CherryPickCommandTest, ParsesTheTrackerTemplateExample) {
  // From the release tracker template: "@pytorchbot cherry-pick --onto
  // release/{BRANCH} -c docs".
  CherryPickCommand c =
      MustParse("@pytorchbot cherry-pick --onto release/2.4 -c docs");
  EXPECT_EQ(c.onto, "release/2.4");
  EXPECT_EQ(c.classification, Classification::kDocs);
  EXPECT_EQ(c.fixes, std::nullopt);
  EXPECT_EQ(c.line, 1);
  EXPECT_FALSE(c.missing_recommended_issue());
}

TEST(CherryPickCommandTest, ReadsTheFirstBotLineOfAComment) {
  CherryPickCommand c = MustParse(
      "Thanks for the fix!\n\n  @pytorchbot cherry-pick --onto release/2.2 "
      "--fixes https://github.com/pytorch/pytorch/issues/110666 -c regression\n"
      "@pytorchbot cherry-pick --onto release/9.9 -c docs\n");
  EXPECT_EQ(c.onto, "release/2.2");
  EXPECT_EQ(c.line, 3);
  EXPECT_EQ(c.classification, Classification::kRegression);
  EXPECT_THAT(c.fixes,
              Optional(std::string(
                  "https://github.com/pytorch/pytorch/issues/110666")));
  EXPECT_EQ(c.effective_fixes(), c.fixes);
}

TEST(CherryPickCommandTest, AcceptsArgparseSpellings) {
  EXPECT_EQ(MustParse("@pytorchmergebot cherry-pick --into release/2.4 -c "
                      "critical --fixes #1")
                .onto,
            "release/2.4");
  EXPECT_EQ(MustParse("@pytorchbot cherry-pick --onto=release/2.4 -c=docs")
                .classification,
            Classification::kDocs);
  EXPECT_EQ(
      MustParse("@pytorchbot cherry-pick --onto release/2.4 -cfixnewfeature")
          .classification,
      Classification::kFixNewFeature);
  CherryPickCommand abbreviated = MustParse(
      "@pytorchbot cherry-pick --ont release/2.4 --fix #5 --class release");
  EXPECT_EQ(abbreviated.onto, "release/2.4");
  EXPECT_THAT(abbreviated.fixes, Optional(std::string("#5")));
  EXPECT_EQ(abbreviated.classification, Classification::kRelease);
  // Quotes are shell quotes; a repeated option keeps its last value.
  CherryPickCommand quoted = MustParse(
      "@pytorchbot cherry-pick --onto \"release/2.4\" --onto 'release/2.5' -c "
      "docs");
  EXPECT_EQ(quoted.onto, "release/2.5");
  // A CRLF comment reports the line an editor shows.
  EXPECT_EQ(
      MustParse("a\r\nb\r\n@pytorchbot cherry-pick --onto r -c docs\r\n").line,
      3);
}

TEST(CherryPickCommandTest,
     FixesAreForwardedOnlyForCategoriesThatExpectAnIssue) {
  CherryPickCommand docs =
      MustParse("@pytorchbot cherry-pick --onto r --fixes #9 -c docs");
  EXPECT_THAT(docs.fixes, Optional(std::string("#9")));
  EXPECT_EQ(docs.effective_fixes(), std::nullopt);
  CherryPickCommand regression =
      MustParse("@pytorchbot cherry-pick --onto r -c regression");
  EXPECT_TRUE(regression.missing_recommended_issue());
  CherryPickCommand critical =
      MustParse("@pytorchbot cherry-pick --onto r -c critical");
  EXPECT_TRUE(critical.missing_recommended_issue());
}

TEST(CherryPickCommandTest, MissingArgumentsGiveTheBotsError) {
  EXPECT_EQ(
      ErrorOf("@pytorchbot cherry-pick --onto release/2.4"),
      "<input>:1: @pytorchbot cherry-pick: error: the following arguments are "
      "required: -c/--classification");
  EXPECT_EQ(
      ErrorOf("x\n@pytorchbot cherry-pick --fixes #3"),
      "<input>:2: @pytorchbot cherry-pick: error: the following arguments are "
      "required: --onto/--into, -c/--classification");
}

TEST(CherryPickCommandTest, BadValuesGiveTheBotsError) {
  EXPECT_EQ(ErrorOf("@pytorchbot cherry-pick --onto release/2.4 -c bugfix"),
            "<input>:1: @pytorchbot cherry-pick: error: argument "
            "-c/--classification: "
            "invalid choice: 'bugfix' (choose from 'regression', 'critical', "
            "'fixnewfeature', 'docs', 'release')");
  EXPECT_EQ(ErrorOf("@pytorchbot cherry-pick --onto -c docs"),
            "<input>:1: @pytorchbot cherry-pick: error: argument "
            "--onto/--into: expected "
            "one argument");
  EXPECT_EQ(ErrorOf("@pytorchbot cherry-pick -c Docs --onto r"),
            "<input>:1: @pytorchbot cherry-pick: error: argument "
            "-c/--classification: "
            "invalid choice: 'Docs' (choose from 'regression', 'critical', "
            "'fixnewfeature', 'docs', 'release')");
  EXPECT_EQ(
      ErrorOf("@pytorchbot cherry-pick --onto r -c docs extra --force"),
      "<input>:1: @pytorchbot: error: unrecognized arguments: extra --force");
  EXPECT_THAT(ErrorOf("@pytorchbot cherry-pick --onto 'release/2.4 -c docs"),
              HasSubstr("No closing quotation"));
}

TEST(CherryPickCommandTest, OtherCommandsAndCommentsWithoutOneAreErrors) {
  EXPECT_THAT(
      ErrorOf("@pytorchbot merge\n@pytorchbot cherry-pick --onto r -c docs"),
      HasSubstr(
          "<input>:1: \"@pytorchbot merge\" is not a cherry-pick command"));
  EXPECT_THAT(ErrorOf("please cherry-pick this"),
              HasSubstr("<input>: no @pytorchbot command"));
  // The bot's pattern: only spaces before the mention, and a command after it.
  EXPECT_THAT(ErrorOf("\t@pytorchbot cherry-pick --onto r -c docs"),
              HasSubstr("no @pytorchbot command"));
  EXPECT_THAT(ErrorOf("> @pytorchbot cherry-pick --onto r -c docs"),
              HasSubstr("no @pytorchbot command"));
  EXPECT_THAT(ErrorOf("@pytorchbot\n"), HasSubstr("no @pytorchbot command"));
  absl::StatusOr<CherryPickCommand> named =
      CherryPickCommand::Parse("@pytorchbot cherry-pick", "comment 123");
  EXPECT_THAT(
      named,
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("comment 123:1: @pytorchbot cherry-pick: error")));
}

TEST(CherryPickCommandTest, ToStringParsesBackToTheSameCommand) {
  for (absl::string_view text :
       {"@pytorchbot cherry-pick --onto release/2.4 -c docs",
        "@pytorchbot cherry-pick --into 'release/2.4 x' --fixes \"#12 and "
        "#13\" -c critical",
        "@pytorchbot cherry-pick --onto r --fixes "
        "https://github.com/o/n/issues/1 -c regression",
        // Found by the fuzzer: a value that starts with '-' needs '='.
        "@pytorchbot cherry-pick --into=--weird -c docs --fixes=-1",
        "@pytorchbot cherry-pick --onto r --fixes '--a b' -c docs"}) {
    CherryPickCommand c = MustParse(text);
    EXPECT_EQ(MustParse(c.ToString()), c) << c.ToString();
  }
  EXPECT_EQ(MustParse("@pytorchbot cherry-pick -c docs --into release/2.4")
                .ToString(),
            "@pytorchbot cherry-pick --onto release/2.4 -c docs");
}

TEST(CherryPickCommandTest, UsageMatchesTheReleaseProcessText) {
  EXPECT_EQ(CherryPickUsage(),
            "usage: @pytorchbot cherry-pick --onto ONTO [--fixes FIXES] -c\n"
            "                               "
            "{regression,critical,fixnewfeature,docs,release}\n");
}

// --- classifications --------------------------------------------------------

TEST(ClassificationTest, NamesMeaningsAndPatchReleaseRules) {
  ASSERT_EQ(AllClassifications().size(), 5u);
  std::vector<std::string> names;
  for (const ClassificationInfo& c : AllClassifications()) {
    names.emplace_back(c.name);
    EXPECT_THAT(ParseClassification(c.name), IsOk());
    EXPECT_EQ(ClassificationName(c.classification), c.name);
    EXPECT_FALSE(c.meaning.empty());
    // RELEASE_PROCESS "Patch Releases" accepts all five kinds ...
    EXPECT_TRUE(c.acceptable_in_patch_release) << c.name;
    EXPECT_FALSE(c.patch_release_condition.empty()) << c.name;
  }
  EXPECT_THAT(names, ElementsAre("regression", "critical", "fixnewfeature",
                                 "docs", "release"));
  // ... and the bot expects an issue for the first three.
  EXPECT_TRUE(
      GetClassificationInfo(Classification::kRegression).requires_issue);
  EXPECT_TRUE(GetClassificationInfo(Classification::kCritical).requires_issue);
  EXPECT_TRUE(
      GetClassificationInfo(Classification::kFixNewFeature).requires_issue);
  EXPECT_FALSE(GetClassificationInfo(Classification::kDocs).requires_issue);
  EXPECT_FALSE(GetClassificationInfo(Classification::kRelease).requires_issue);
  EXPECT_THAT(
      GetClassificationInfo(Classification::kCritical).patch_release_condition,
      HasSubstr("low-risk"));
  EXPECT_EQ(GetClassificationInfo(Classification::kRegression).meaning,
            "Fixes a regression against the most recent release");
  EXPECT_THAT(
      ParseClassification("Regression"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("choose from")));
}

// --- tracker comments
// -----------------------------------------------------------

TEST(TrackerCommentTest, ParsesTheBotsThreeBlockFormat) {
  // cherry_pick.py writes the category with str.capitalize(): "Https://...".
  std::optional<CherryPickNomination> n = ParseTrackerComment(
      "Link to landed trunk PR (if applicable):\n"
      "* https://github.com/pytorch/pytorch/pull/120567\n"
      "\n"
      "Link to release branch PR:\n"
      "* https://github.com/pytorch/pytorch/pull/121232\n"
      "\n"
      "Criteria Category:\n"
      "Regression - Https://github.com/pytorch/pytorch/issues/120000\n");
  ASSERT_TRUE(n.has_value());
  ASSERT_EQ(n->trunk_prs.size(), 1u);
  EXPECT_EQ(n->trunk_prs[0].kind, TrackerLink::Kind::kPullRequest);
  EXPECT_EQ(n->trunk_prs[0].number, 120567);
  EXPECT_EQ(n->trunk_prs[0].repo, "pytorch/pytorch");
  ASSERT_EQ(n->release_prs.size(), 1u);
  EXPECT_EQ(n->release_prs[0].number, 121232);
  EXPECT_EQ(n->classification, Classification::kRegression);
  EXPECT_THAT(n->fixes,
              Optional(std::string(
                  "https://github.com/pytorch/pytorch/issues/120000")));
  EXPECT_THAT(n->warnings, IsEmpty());
}

TEST(TrackerCommentTest, ParsesTheBotFormatWithoutFixes) {
  std::optional<CherryPickNomination> n = ParseTrackerComment(
      "Link to landed trunk PR (if applicable):\n* "
      "https://github.com/o/n/pull/1\n\n"
      "Link to release branch PR:\n* https://github.com/o/n/pull/2\n\nCriteria "
      "Category:\nDocs - \n");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->classification, Classification::kDocs);
  EXPECT_EQ(n->fixes, std::nullopt);
}

TEST(TrackerCommentTest, ParsesAnUnfilledTemplateWithWarnings) {
  std::optional<CherryPickNomination> n = ParseTrackerComment(
      "Link to landed trunk PR (if applicable):\n*\n\nLink to release branch "
      "PR:\n*\n\n"
      "Criteria Category:\n*\n");
  ASSERT_TRUE(n.has_value());
  EXPECT_THAT(n->trunk_prs, IsEmpty());
  EXPECT_THAT(n->release_prs, IsEmpty());
  EXPECT_THAT(
      n->warnings,
      ElementsAre("no release branch PR link",
                  "no trunk PR link (write N/A for release-only changes)",
                  "no criteria category"));
}

TEST(TrackerCommentTest, ParsesTheFreeFormVariantWithAReleaseManagerReply) {
  // "free-form (2.5.1 tracker, human-written)".
  std::optional<CherryPickNomination> n = ParseTrackerComment(
      "Trunk PR: https://github.com/pytorch/pytorch/pull/137000\n"
      "Cherry pick PR: https://github.com/pytorch/pytorch/pull/137500\n"
      "Category: fix for a crash in torch.compile\n"
      "---\n"
      "@atalman: merged\n");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->trunk_prs[0].number, 137000);
  EXPECT_EQ(n->release_prs[0].number, 137500);
  EXPECT_EQ(n->criteria, "fix for a crash in torch.compile");
  EXPECT_EQ(n->classification, std::nullopt);
  EXPECT_EQ(n->reply, "@atalman: merged");
}

TEST(TrackerCommentTest, ParsesTheBulletVariant) {
  // "free-form bullet (2.5.1 tracker)".
  std::optional<CherryPickNomination> n = ParseTrackerComment(
      "- Trunk PR: https://github.com/pytorch/pytorch/pull/138000\n"
      "- Cherry-pick PR: https://github.com/pytorch/pytorch/pull/138100\n"
      "- Category: critical regression, see "
      "https://github.com/pytorch/pytorch/issues/137900\n"
      "---\n"
      "@malfet : merged\n");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->release_prs[0].number, 138100);
  EXPECT_EQ(n->classification, Classification::kCritical);
  EXPECT_EQ(n->reply, "@malfet : merged");
}

TEST(TrackerCommentTest, ParsesTheTestInfraVariantWithACommitLink) {
  // "test-infra cherry-pick (2.5.1 tracker)".
  std::optional<CherryPickNomination> n = ParseTrackerComment(
      "- Test-infra PR: https://github.com/pytorch/test-infra/pull/5800\n"
      "- Cherry-pick commit: "
      "https://github.com/pytorch/test-infra/commit/ABCDEF0123456789\n"
      "- Category: Infra fixes\n"
      "---\n"
      "@kit1980: pushed\n");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->trunk_prs[0].repo, "pytorch/test-infra");
  ASSERT_EQ(n->release_prs.size(), 1u);
  EXPECT_EQ(n->release_prs[0].kind, TrackerLink::Kind::kCommit);
  EXPECT_EQ(n->release_prs[0].sha, "abcdef0123456789");
  EXPECT_EQ(n->criteria, "Infra fixes");
  EXPECT_EQ(n->classification, std::nullopt);
  EXPECT_EQ(n->reply, "@kit1980: pushed");
}

TEST(TrackerCommentTest, NamesEachLinkKind) {
  EXPECT_EQ(TrackerLinkKindName(TrackerLink::Kind::kPullRequest),
            "pull_request");
  EXPECT_EQ(TrackerLinkKindName(TrackerLink::Kind::kIssue), "issue");
  EXPECT_EQ(TrackerLinkKindName(TrackerLink::Kind::kCommit), "commit");
  EXPECT_EQ(TrackerLinkKindName(TrackerLink::Kind::kOther), "other");
}

TEST(TrackerCommentTest,
     ToleratesSameLineValuesBoldLabelsShortRefsAndNotApplicable) {
  std::optional<CherryPickNomination> n = ParseTrackerComment(
      "**Link to landed trunk PR (if applicable):** N/A\r\n"
      "**Link to release branch PR:** #131000, pytorch/vision#8500 and "
      "[#131001](https://github.com/pytorch/pytorch/pull/131001)\r\n"
      "**Criteria Category:** Release-only change: bump version.txt\r\n");
  ASSERT_TRUE(n.has_value());
  EXPECT_THAT(n->trunk_prs, IsEmpty());
  ASSERT_EQ(n->release_prs.size(), 3u);
  EXPECT_EQ(n->release_prs[0].text,
            "https://github.com/pytorch/pytorch/pull/131001");
  EXPECT_EQ(n->release_prs[1].text, "#131000");
  EXPECT_EQ(n->release_prs[1].number, 131000);
  EXPECT_EQ(n->release_prs[2].repo, "pytorch/vision");
  EXPECT_EQ(n->release_prs[2].number, 8500);
  EXPECT_EQ(n->classification, Classification::kRelease);
  EXPECT_THAT(n->warnings, IsEmpty());  // N/A is a valid trunk answer
}

// Links go through ParseGitHubRef (relkit/github_ref.h). It fixed these: a
// sign before a URL's number (`/pull/-5` was PR -5), a '?' or '#' before the
// number read as a path separator (`/o/r?pull/5` was PR 5), owners and repos
// that are no GitHub names (empty, `%20`, `.`), hosts with other characters,
// and `/#5`, `o/#5`, `/r#5` read as references of repository "/", "o/", "/r".
TEST(TrackerCommentTest, LinksAreReferencesAsGitHubRefReadsThem) {
  auto release_prs = [](absl::string_view value) {
    std::optional<CherryPickNomination> n = ParseTrackerComment(
        absl::StrCat("Link to release branch PR: ", value, "\n"));
    EXPECT_TRUE(n.has_value());
    return n.value_or(CherryPickNomination{}).release_prs;
  };
  for (absl::string_view url :
       {"https://github.com/o/r/pull/-5", "https://github.com/o/r/pull/+5",
        "https://github.com/o/r?pull/5", "https://github.com/o/r#x/pull/5",
        "https://github.com//r/pull/5", "https://github.com/o%20x/r/pull/5",
        "https://github.com/o/./pull/5", "https://gh@x/o/r/pull/5",
        "https:///o/r/pull/5"}) {
    std::vector<TrackerLink> links = release_prs(url);
    ASSERT_EQ(links.size(), 1u) << url;
    EXPECT_EQ(links[0].kind, TrackerLink::Kind::kOther) << url;
    EXPECT_EQ(links[0].number, std::nullopt) << url;
    EXPECT_EQ(links[0].text, url);
  }
  // What follows the number is more path, a query or a fragment; a GHE host
  // with a port is a host.
  std::vector<TrackerLink> links = release_prs(
      "https://ghe.example.com:8443/o/r/pull/5/files, "
      "https://github.com/o/r/issues/6#issuecomment-1 and "
      "https://github.com/o/r/pull/7.x");
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].number, 5);
  EXPECT_EQ(links[0].repo, "o/r");
  EXPECT_EQ(links[1].kind, TrackerLink::Kind::kIssue);
  EXPECT_EQ(links[2].kind, TrackerLink::Kind::kOther);
  // A '#' glued to a path that is no owner/repo starts no reference.
  links = release_prs("/#5 o/#6 /r#7 a/b/c#8 x#9 o/r#10 (#11)");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].text, "o/r#10");
  EXPECT_EQ(links[0].repo, "o/r");
  EXPECT_EQ(links[1].text, "#11");
  // Numbers beyond int64_t are not links (as before).
  links = release_prs("#9223372036854775808 #9223372036854775807");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].number, 9223372036854775807);
}

TEST(TrackerCommentTest, ReturnsNothingForCommentsThatAreNotNominations) {
  EXPECT_EQ(ParseTrackerComment("Approved, thanks!"), std::nullopt);
  EXPECT_EQ(ParseTrackerComment("@pytorchbot merge"), std::nullopt);
  EXPECT_EQ(ParseTrackerComment(""), std::nullopt);
  EXPECT_EQ(
      ParseTrackerComment("See https://github.com/o/n/pull/1: it fixes it"),
      std::nullopt);
}

TEST(TrackerCommentTest, RendersTheExactThreeBlockFormat) {
  CherryPickNomination n;
  n.trunk_prs.push_back({.text = "https://github.com/o/n/pull/1"});
  n.release_prs.push_back({.text = "https://github.com/o/n/pull/2"});
  n.classification = Classification::kFixNewFeature;
  n.fixes = "https://github.com/o/n/issues/3";
  EXPECT_EQ(RenderTrackerComment(n),
            "Link to landed trunk PR (if applicable):\n"
            "* https://github.com/o/n/pull/1\n"
            "\n"
            "Link to release branch PR:\n"
            "* https://github.com/o/n/pull/2\n"
            "\n"
            "Criteria Category:\n"
            "Fixnewfeature - https://github.com/o/n/issues/3\n");
  n.fixes.reset();
  n.classification = Classification::kDocs;
  n.trunk_prs.clear();
  EXPECT_THAT(RenderTrackerComment(n), HasSubstr("(if applicable):\n* N/A\n"));
  EXPECT_THAT(RenderTrackerComment(n), HasSubstr("Criteria Category:\nDocs\n"));
}

TEST(TrackerCommentTest, RenderedCommentsParseBackToTheSameNomination) {
  for (absl::string_view text : {
           "Trunk PR: https://github.com/o/n/pull/10\nCherry pick PR: "
           "https://github.com/o/n/pull/11\nCategory: regression - #9\n",
           "Link to release branch PR: #5\nCriteria Category:\nSpecial "
           "Dispensation: "
           "needed for the launch\n",
       }) {
    std::optional<CherryPickNomination> first = ParseTrackerComment(text);
    ASSERT_TRUE(first.has_value());
    std::optional<CherryPickNomination> second =
        ParseTrackerComment(RenderTrackerComment(*first));
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->trunk_prs, first->trunk_prs);
    EXPECT_EQ(second->release_prs, first->release_prs);
    EXPECT_EQ(second->classification, first->classification);
    EXPECT_EQ(second->fixes, first->fixes);
  }
}

// --- tracker issues
// -------------------------------------------------------------

std::vector<Issue> RealTrackers() {
  rapidjson::Document doc =
      testing::LoadTestJson("github/release_trackers_and_milestones.json");
  std::vector<Issue> out;
  for (const auto& t : doc["release_tracker_issues"].GetArray()) {
    Issue issue;
    issue.number = t["number"].GetInt64();
    issue.title = t["title"].GetString();
    issue.state = IssueState::kClosed;
    for (const auto& l : t["labels"].GetArray())
      issue.labels.emplace_back(l.GetString());
    out.push_back(issue);
  }
  return out;
}

std::vector<int64_t> Numbers(const std::vector<Issue>& issues) {
  std::vector<int64_t> out;
  for (const Issue& i : issues) out.push_back(i.number);
  return out;
}

TEST(TrackerIssueTest, ReadsTheVersionOfEveryRealTrackerTitle) {
  std::vector<Issue> trackers = RealTrackers();
  ASSERT_EQ(trackers.size(), 12u);
  for (const Issue& t : trackers) {
    EXPECT_TRUE(TrackerVersion(t.title).has_value()) << t.title;
  }
  EXPECT_THAT(TrackerVersion("[v.2.14.0] Release Tracker"),
              Optional(Eq(*Version::Parse("2.14.0"))));
  EXPECT_THAT(TrackerVersion("[v2.0.1] Release Tracker"),
              Optional(Eq(*Version::Parse("2.0.1"))));
  EXPECT_EQ(TrackerVersion("[v2.4.0] Validations"), std::nullopt);
  EXPECT_EQ(TrackerVersion("Release Tracker for the next release"),
            std::nullopt);
}

TEST(TrackerIssueTest, FindsTrackersByExactVersion) {
  std::vector<Issue> trackers = RealTrackers();
  // "2.1" must not match "[v.2.14.0]", "[v.2.10.0]" or "[v.2.13.0]".
  EXPECT_THAT(Numbers(FindTrackerIssues(trackers, *Version::Parse("2.1"))),
              IsEmpty());
  EXPECT_THAT(Numbers(FindTrackerIssues(trackers, *Version::Parse("2.14"))),
              ElementsAre(193034));
  EXPECT_THAT(Numbers(FindTrackerIssues(trackers, *Version::Parse("2.4.0"))),
              ElementsAre(128436));
  EXPECT_THAT(Numbers(FindTrackerIssues(trackers, *Version::Parse("2.4.1"))),
              ElementsAre(132400));
  EXPECT_THAT(Numbers(FindTrackerIssues(trackers, *Version::Parse("2.10.0"))),
              ElementsAre(170119));
}

TEST(TrackerIssueTest, PrefersOpenTrackersThenNewest) {
  std::vector<Issue> issues = {
      {.number = 10,
       .title = "[v2.4.0] Release Tracker",
       .state = IssueState::kClosed},
      {.number = 20,
       .title = "[v.2.4.0] Release Tracker",
       .state = IssueState::kOpen},
      {.number = 30,
       .title = "[v2.4.0] Release Tracker",
       .state = IssueState::kClosed},
      {.kind = IssueKind::kPullRequest,
       .number = 40,
       .title = "[v2.4.0] Release Tracker"},
  };
  EXPECT_THAT(Numbers(FindTrackerIssues(issues, *Version::Parse("2.4.0"))),
              ElementsAre(20, 30, 10));
}

}  // namespace
}  // namespace relkit
