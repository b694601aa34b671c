#include "relkit/reports.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "relkit/branch_audit.h"
#include "relkit/html.h"
#include "relkit/json_writer.h"
#include "relkit/milestone_validation.h"
#include "relkit/readiness.h"

namespace relkit {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

ObjectId Id(char c) { return *ObjectId::Parse(std::string(40, c)); }

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

// A release branch with one -x pick, one release-only commit, one revert
// still needed and one warning: every section the audit text has.
BranchAudit SampleAudit() {
  BranchAudit a;
  a.branch = "release/2.4";
  a.main = "main";
  a.branch_head = Id('b');
  a.main_head = Id('c');
  a.cut_point = Id('1');
  a.cut_point_source = CutPointSource::kOrigBranch;
  BranchCommit pick;
  pick.sha = Id('2');
  pick.title = "Fix the \"allocator\" leak (#7)";
  pick.counterparts = {
      {Id('3'), {Evidence::kCherryPickTrailer, Evidence::kPatchId}}};
  pick.release_only = false;
  BranchCommit only;
  only.sha = Id('4');
  only.title = "[RELEASE-ONLY CHANGES] pin triton";
  a.commits = {pick, only};
  MainCommit revert;
  revert.sha = Id('5');
  revert.title = "Revert \"Fix\"";
  revert.pr = 9;
  MainCommit fix;
  fix.sha = Id('3');
  fix.title = "Fix";
  fix.pr = 7;
  a.main_commits = {revert, fix};
  a.reverts_needed = {{Id('5'),
                       "Revert \"Fix\"",
                       Id('3'),
                       Id('2'),
                       {Evidence::kCherryPickTrailer}}};
  a.warnings = {{Id('6'), "merge commit on the branch"}};
  return a;
}

TEST(BranchAuditTextTest, ListsCommitsEvidenceRevertsAndWarnings) {
  const std::string text = BranchAuditText(SampleAudit());
  EXPECT_THAT(text, StartsWith("release/2.4: cut point 111111111111 "
                               "(orig-branch); 2 commits since the cut, 1 "
                               "release-only; 2 on main\n"));
  EXPECT_THAT(text, HasSubstr("  222222222222 Fix the \"allocator\" leak (#7)\n"
                              "      = 333333333333 on main "
                              "[cherry-pick-trailer, patch-id]\n"));
  EXPECT_THAT(text, HasSubstr("  444444444444 [RELEASE-ONLY CHANGES] pin "
                              "triton\n      release-only\n"));
  EXPECT_THAT(text, HasSubstr("Reverts needed: 1\n  555555555555 Revert "
                              "\"Fix\"\n      reverts 333333333333, present in "
                              "release/2.4 as 222222222222 "
                              "[cherry-pick-trailer]\n"));
  EXPECT_THAT(text, EndsWith("Warnings: 1\n  666666666666 merge commit on the "
                             "branch\n"));
}

TEST(BranchAuditJsonTest, IsOneDocumentWithEveryCommitAndFullShas) {
  const std::string json = BranchAuditJson(SampleAudit());
  EXPECT_THAT(json, EndsWith("}\n"));
  rapidjson::Document doc = Parse(json);
  EXPECT_STREQ(doc["branch"].GetString(), "release/2.4");
  EXPECT_STREQ(doc["cut_point_source"].GetString(), "orig-branch");
  EXPECT_EQ(doc["main_commit_count"].GetUint64(), 2u);
  ASSERT_EQ(doc["commits"].Size(), 2u);
  const auto& pick = doc["commits"][0];
  EXPECT_STREQ(pick["title"].GetString(), "Fix the \"allocator\" leak (#7)");
  EXPECT_STREQ(pick["counterparts"][0]["sha"].GetString(),
               std::string(40, '3').c_str());
  EXPECT_STREQ(pick["counterparts"][0]["evidence"][1].GetString(), "patch-id");
  EXPECT_TRUE(pick["reverted_by"].IsNull());
  EXPECT_TRUE(doc["commits"][1]["release_only"].GetBool());
  EXPECT_STREQ(doc["reverts_needed"][0]["present_as"].GetString(),
               std::string(40, '2').c_str());
  EXPECT_STREQ(doc["warnings"][0]["message"].GetString(),
               "merge commit on the branch");
}

TEST(BranchAuditJsonTest, WritesIntoACallersDocument) {
  JsonWriter w;
  w.StartObject();
  w.Key("audit");
  WriteBranchAuditJson(w, SampleAudit());
  w.Field("after", true);
  w.EndObject();
  rapidjson::Document outer = Parse(w.str());
  rapidjson::Document alone = Parse(BranchAuditJson(SampleAudit()));
  EXPECT_TRUE(outer["audit"] == alone);
  EXPECT_TRUE(outer["after"].GetBool());
}

TEST(PresenceTest, TextSaysWhereEachQueryIsAndJsonCarriesTheWarnings) {
  const BranchAudit a = SampleAudit();
  std::vector<Presence> results(2);
  results[0].query = "#7";
  results[0].state = PresenceState::kPresent;
  results[0].main_commits = {Id('3')};
  results[0].in_branch = {{Id('2'), {Evidence::kPrNumber}}};
  results[1].query = "#8";
  results[1].state = PresenceState::kMissing;
  results[1].main_commits = {Id('7')};
  EXPECT_EQ(PresenceText(a, results),
            "#7 present 222222222222 [pr-number]\n"
            "#8 missing (on main as 777777777777)\n");
  rapidjson::Document doc = Parse(PresenceJson(a, results));
  EXPECT_STREQ(doc["cut_point"].GetString(), std::string(40, '1').c_str());
  EXPECT_STREQ(doc["results"][1]["state"].GetString(), "missing");
  EXPECT_EQ(doc["results"][0]["in_branch"][0]["evidence"].Size(), 1u);
  EXPECT_EQ(doc["warnings"].Size(), 1u);
}

MilestoneValidation SampleValidation() {
  MilestoneValidation v;
  v.branch = "release/2.4";
  v.milestone.title = "2.4.0";
  v.milestone.number = 47;
  v.main_commits_since_cut = 10;
  v.branch_commits = 6;
  ValidatedItem present;
  present.item.kind = IssueKind::kPullRequest;
  present.item.number = 7;
  present.item.title = "Fix";
  present.item.url = "https://github.com/o/n/pull/7";
  present.status = ItemStatus::kPresent;
  present.prs = {7};
  present.in_branch = {{Id('2'), {Evidence::kPrNumber, Evidence::kTitle}},
                       {Id('4'), {}}};
  ValidatedItem open;
  open.item.number = 9;
  open.item.title = "Crash <on> exit";
  open.item.state = IssueState::kOpen;
  open.item.url = "https://github.com/o/n/issues/9";
  open.status = ItemStatus::kOpen;
  open.detail = "still open";
  v.items = {present, open};
  return v;
}

TEST(MilestoneValidationReportTest, TextHasOneLinePerItemAndTheCount) {
  EXPECT_EQ(MilestoneValidationText(SampleValidation(), "o/n"),
            "o/n milestone 2.4.0 against release/2.4 (10 main commits since "
            "the cut, 6 branch commits)\n"
            "  PR    #7  present  Fix    [222222222222 (pr-number, title); "
            "444444444444]\n"
            "  issue #9  open  Crash <on> exit  still open\n"
            "2 items, 1 open or missing\n");
}

TEST(MilestoneValidationReportTest, JsonCountsProblemsAndListsItems) {
  rapidjson::Document doc =
      Parse(MilestoneValidationJson(SampleValidation(), "o/n"));
  EXPECT_STREQ(doc["repository"].GetString(), "o/n");
  EXPECT_EQ(doc["milestone_number"].GetInt64(), 47);
  EXPECT_EQ(doc["problems"].GetUint64(), 1u);
  EXPECT_STREQ(doc["items"][0]["kind"].GetString(), "pull_request");
  EXPECT_STREQ(doc["items"][1]["kind"].GetString(), "issue");
  EXPECT_STREQ(doc["items"][1]["title"].GetString(), "Crash <on> exit");
  EXPECT_EQ(doc["items"][0]["in_branch"].Size(), 2u);
}

TEST(MilestoneValidationReportTest, AnalyzeLinesListOnlyProblems) {
  EXPECT_EQ(AnalyzeLines(SampleValidation()),
            "len(main_commits)=10\nlen(release_commits)=6\nURL;Title;Status\n"
            "https://github.com/o/n/issues/9 ;Crash <on> exit;open\n");
}

ReadinessReport SampleReadiness() {
  ReadinessReport r;
  r.repository = "o/n";
  r.branch = "release/2.4";
  r.branch_head = Id('b');
  r.milestone.title = "2.4.0 <script>";
  r.milestone.number = 47;
  r.criteria = {{CriterionId::kNoOpenItems,
                 "No open items",
                 false,
                 "1 open item",
                 {"issue #9 \"Crash <on> exit\""}},
                {CriterionId::kCiGreen, "CI green", true, "all green", {}}};
  r.validation = SampleValidation();
  r.source = "snapshot DIR";
  r.requests = 5;
  return r;
}

TEST(ReadinessReportTest, TextJsonAndHtmlAgreeOnTheVerdict) {
  const ReadinessReport r = SampleReadiness();
  const std::string text = ReadinessText(r);
  EXPECT_THAT(text, HasSubstr("FAIL  no-open-items: 1 open item\n"
                              "        issue #9 \"Crash <on> exit\"\n"));
  EXPECT_THAT(text, EndsWith("NOT READY: 1/2 criteria passed (GitHub: "
                             "snapshot DIR, 5 requests)\n"));
  rapidjson::Document doc = Parse(ReadinessJson(r));
  EXPECT_FALSE(doc["ready"].GetBool());
  EXPECT_TRUE(doc["tracker_issue"].IsNull());
  EXPECT_EQ(doc["items"].Size(), 2u);
  const std::string html = ReadinessHtml(r);
  EXPECT_THAT(html, HasSubstr("NOT READY"));
  EXPECT_THAT(html, HasSubstr(HtmlEscape("2.4.0 <script>")));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

// A title from GitHub cannot forge the verdict or drive the terminal: each
// field stays on its line, escaped (issue 14). JSON keeps the text as it is.
TEST(ReadinessReportTest, TextEscapesOutsideTextInEveryField) {
  const std::string forged =
      "ok\nREADY: 2/2 criteria passed\x1b[8m\xe2\x80\xae";
  const std::string shown = R"(ok\nREADY: 2/2 criteria passed\x1b[8m\u202e)";
  ReadinessReport r = SampleReadiness();
  r.milestone.title = forged;
  r.criteria[0].summary = forged;
  r.criteria[0].evidence = {forged};
  r.validation.items[1].item.title = forged;
  const std::string text = ReadinessText(r);
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, Not(HasSubstr("\nREADY")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("milestone ", shown, "\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("no-open-items: ", shown, "\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("        ", shown, "\n")));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5) << text;
  const std::string validation =
      MilestoneValidationText(r.validation, "o/n") + AnalyzeLines(r.validation);
  EXPECT_THAT(validation, Not(HasSubstr("\x1b")));
  EXPECT_THAT(validation, HasSubstr(shown));
  EXPECT_STREQ(Parse(ReadinessJson(r))["milestone"]["title"].GetString(),
               forged.c_str());
}

TEST(ReadinessReportTest, ItemsAreWrittenAsTheMilestoneCheckWritesThem) {
  const ReadinessReport r = SampleReadiness();
  rapidjson::Document readiness = Parse(ReadinessJson(r));
  rapidjson::Document milestone =
      Parse(MilestoneValidationJson(r.validation, "o/n"));
  EXPECT_TRUE(readiness["items"] == milestone["items"]);
}

TEST(JsonWriterTest, EscapesControlCharactersAndQuotes) {
  JsonWriter w;
  w.StartArray();
  w.String("a\"b\n\x01");
  w.EndArray();
  rapidjson::Document doc = Parse(w.str());
  EXPECT_EQ(std::string(doc[0].GetString(), doc[0].GetStringLength()),
            "a\"b\n\x01");
  EXPECT_THAT(w.str(), HasSubstr("\\u0001"));
}

TEST(JsonWriterTest, OptionalFieldsAreNullWhenAbsent) {
  JsonWriter w;
  w.StartObject();
  w.Field("a", std::optional<uint64_t>());
  w.Field("b", std::optional<std::string>("x"));
  w.Field("c", std::optional<int64_t>(-3));
  w.EndObject();
  rapidjson::Document doc = Parse(w.str());
  EXPECT_TRUE(doc["a"].IsNull());
  EXPECT_STREQ(doc["b"].GetString(), "x");
  EXPECT_EQ(doc["c"].GetInt64(), -3);
}

}  // namespace
}  // namespace relkit
