// Tests of relkit/milestone.h: the models' JSON parsers, milestone lookup by
// number or title (over the real milestone titles of
// tests/data/github/release_trackers_and_milestones.json), and the client
// calls, replayed from the snapshot in tests/data/github/snapshot/ and served
// live by a server on 127.0.0.1.

#include "relkit/milestone.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/cherry_pick.h"
#include "relkit/github.h"
#include "relkit/github_issues.h"
#include "relkit/github_json.h"
#include "testing/http_server.h"
#include "testing/status_matchers.h"
#include "testing/test_data.h"

namespace relkit {
namespace {

using ::relkit::testing::HttpTestServer;
using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;

const GitHubRepo kRepo{"example", "project"};

MATCHER_P(IsOkAndHoldsTitle, title,
          absl::StrCat("is OK with title \"", title, "\"")) {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status().ToString();
    return false;
  }
  *result_listener << "title is \"" << arg->title << "\"";
  return arg->title == title;
}
constexpr char kSha[] = "0123456789abcdef0123456789abcdef01234567";

GitHubClient SnapshotClient() {
  absl::StatusOr<GitHubClient> gh = GitHubClient::Create(
      {.api_url = "https://api.github.com",
       .snapshot_dir = std::string(RELKIT_TEST_DATA_DIR) + "/github/snapshot"});
  EXPECT_THAT(gh, IsOk());
  return *std::move(gh);
}

std::vector<int64_t> Numbers(const std::vector<Issue>& issues) {
  std::vector<int64_t> out;
  for (const Issue& i : issues) out.push_back(i.number);
  return out;
}

// --- parsers
// ------------------------------------------------------------------

TEST(MilestoneJsonTest, ParsesMilestonesWithNullsAndDueDates) {
  absl::StatusOr<std::vector<Milestone>> ms = ParseMilestonesJson(
      R"j([{"number":57,"title":"2.10.0 (release/2.10)","state":"open","description":null,
           "due_on":"2025-12-10T08:00:00Z","open_issues":2,"closed_issues":40,
           "html_url":"https://github.com/pytorch/pytorch/milestone/57"},
          {"number":39,"title":"2.1.2","state":"closed"}])j",
      "<input>");
  ASSERT_THAT(ms, IsOk());
  ASSERT_THAT(*ms, SizeIs(2));
  EXPECT_EQ((*ms)[0].number, 57);
  EXPECT_EQ((*ms)[0].description, "");
  EXPECT_THAT((*ms)[0].due_on,
              Optional(absl::FromCivil(absl::CivilSecond(2025, 12, 10, 8, 0, 0),
                                       absl::UTCTimeZone())));
  EXPECT_EQ((*ms)[0].ToString(),
            "#57 \"2.10.0 (release/2.10)\" (open, 2 open / 40 closed, due "
            "2025-12-10)");
  EXPECT_EQ((*ms)[1].state, IssueState::kClosed);
  EXPECT_EQ((*ms)[1].due_on, std::nullopt);
}

TEST(MilestoneJsonTest, ShapeErrorsNameTheSourceAndJsonPath) {
  EXPECT_THAT(
      ParseMilestonesJson(R"({"message":"Not Found"})", "https://x/milestones"),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr(
              "https://x/milestones: $: expected an array of milestones")));
  EXPECT_THAT(
      ParseIssuesJson(R"([{"number":1,"title":"a","state":"open"},
                                  {"number":"2","title":"b","state":"open"}])",
                      "https://x/issues"),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr("https://x/issues: $[1].number: expected an integer")));
  EXPECT_THAT(
      ParseIssuesJson(R"([{"number":1,"title":"a","state":"merged"}])", "u"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("$[0].state: expected \"open\" or \"closed\"")));
  EXPECT_THAT(
      ParseIssuesJson(
          R"([{"number":1,"title":"a","state":"open","closed_at":"yesterday"}])",
          "u"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("$[0].closed_at: not an RFC 3339 time")));
  EXPECT_THAT(ParseIssuesJson("[{", "u"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("u:1:3: invalid JSON")));
}

TEST(IssueJsonTest, TellsPullRequestsFromIssuesAndMergedFromClosed) {
  absl::StatusOr<std::vector<Issue>> items = ParseIssuesJson(
      R"([{"number":1,"title":"PR","state":"closed","labels":[{"name":"Merged"}],
           "pull_request":{"merged_at":"2024-06-01T00:00:00Z"},"user":{"login":"a"},
           "milestone":{"number":7}},
          {"number":2,"title":"closed PR","state":"closed","labels":[],
           "pull_request":{"merged_at":null}},
          {"number":3,"title":"issue","state":"open","labels":["plain"],"user":null,
           "body":null,"created_at":"2024-05-02T03:04:05Z"}])",
      "u");
  ASSERT_THAT(items, IsOk());
  ASSERT_THAT(*items, SizeIs(3));
  EXPECT_TRUE((*items)[0].is_pull_request());
  EXPECT_TRUE((*items)[0].merged);
  EXPECT_TRUE((*items)[0].HasLabel("merged"));
  EXPECT_EQ((*items)[0].milestone, 7);
  EXPECT_EQ((*items)[0].author, "a");
  EXPECT_EQ((*items)[0].ToString(), "PR #1 \"PR\" (closed, merged)");
  EXPECT_FALSE((*items)[1].merged);
  EXPECT_EQ((*items)[1].ToString(), "PR #2 \"closed PR\" (closed, not merged)");
  EXPECT_FALSE((*items)[2].is_pull_request());
  EXPECT_THAT((*items)[2].labels, ElementsAre("plain"));
  EXPECT_EQ((*items)[2].ToString(), "issue #3 \"issue\" (open)");
  EXPECT_EQ((*items)[2].created_at,
            absl::FromCivil(absl::CivilSecond(2024, 5, 2, 3, 4, 5),
                            absl::UTCTimeZone()));
  EXPECT_EQ((*items)[0].created_at, std::nullopt);
}

TEST(IssueJsonTest, NamesEachKind) {
  EXPECT_EQ(IssueKindName(IssueKind::kIssue), "issue");
  EXPECT_EQ(IssueKindName(IssueKind::kPullRequest), "pull_request");
}

TEST(CommitChecksTest, GreenOnlyWhenEverythingFinishedWell) {
  CommitChecks c;
  EXPECT_FALSE(c.green());  // nothing ran
  c.statuses.push_back({.context = "ci/lint", .state = "success"});
  c.check_runs.push_back({.id = 1,
                          .name = "build",
                          .status = "completed",
                          .conclusion = "success"});
  c.check_runs.push_back({.id = 2,
                          .name = "docs",
                          .status = "completed",
                          .conclusion = "skipped"});
  EXPECT_TRUE(c.green());
  c.check_runs.push_back({.id = 3, .name = "test", .status = "in_progress"});
  c.check_runs.push_back({.id = 4,
                          .name = "lint",
                          .status = "completed",
                          .conclusion = "failure"});
  c.statuses.push_back({.context = "ci/old", .state = "error"});
  EXPECT_FALSE(c.green());
  EXPECT_THAT(c.NotGreen(), ElementsAre("ci/old: error", "test: in_progress",
                                        "lint: failure"));
}

// --- lookup
// -------------------------------------------------------------------

std::vector<Milestone> RealMilestones() {
  rapidjson::Document doc =
      testing::LoadTestJson("github/release_trackers_and_milestones.json");
  std::vector<Milestone> out;
  for (const auto& m : doc["milestones"].GetArray()) {
    Milestone ms;
    ms.title = m["title"].GetString();
    ms.number = m.HasMember("number") ? m["number"].GetInt64()
                                      : m["number_in_link"].GetInt64();
    out.push_back(ms);
  }
  return out;
}

TEST(FindMilestoneTest, ByNumberExactTitleOrFirstWordOfTheRealTitles) {
  const std::vector<Milestone> ms = RealMilestones();
  const GitHubRepo repo{"pytorch", "pytorch"};
  EXPECT_THAT(FindMilestone(ms, "40", repo),
              IsOkAndHoldsTitle("2.2.0 (release/2.2)"));
  EXPECT_THAT(FindMilestone(ms, "2.1.2", repo), IsOkAndHoldsTitle("2.1.2"));
  EXPECT_THAT(FindMilestone(ms, "2.10.0", repo),
              IsOkAndHoldsTitle("2.10.0 (release/2.10)"));
  EXPECT_THAT(FindMilestone(ms, " 2.11 ", repo), IsOkAndHoldsTitle("2.11"));
  // "2.1" is neither "2.1.2" nor "2.10.0 (release/2.10)" nor "2.11".
  EXPECT_THAT(
      FindMilestone(ms, "2.1", repo),
      StatusIs(
          absl::StatusCode::kNotFound,
          AllOf(HasSubstr("milestone \"2.1\" not found in pytorch/pytorch"),
                HasSubstr("\"2.10.0 (release/2.10)\""))));
  EXPECT_THAT(FindMilestone(ms, "12345", repo),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(FindMilestoneTest, AmbiguousFirstWordIsAnError) {
  std::vector<Milestone> ms = {{.number = 1, .title = "2.4.0 (release/2.4)"},
                               {.number = 2, .title = "2.4.0 (old)"}};
  EXPECT_THAT(
      FindMilestone(ms, "2.4.0", kRepo),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("ambiguous"), HasSubstr("give its number"))));
}

// --- client calls over the snapshot
// ------------------------------------------------

TEST(MilestoneSnapshotTest, ListsAndFindsMilestones) {
  GitHubClient gh = SnapshotClient();
  absl::StatusOr<std::vector<Milestone>> ms = ListMilestones(gh, kRepo);
  ASSERT_THAT(ms, IsOk());
  ASSERT_THAT(*ms, SizeIs(2));
  EXPECT_EQ((*ms)[1].state, IssueState::kClosed);
  EXPECT_THAT(FindMilestone(gh, kRepo, "7"),
              IsOkAndHoldsTitle("2.4.0 (release/2.4)"));
  EXPECT_THAT(FindMilestone(gh, kRepo, "2.4.0"),
              IsOkAndHoldsTitle("2.4.0 (release/2.4)"));
  EXPECT_THAT(FindMilestone(gh, kRepo, "2.3.1"), IsOkAndHoldsTitle("2.3.1"));
  EXPECT_THAT(FindMilestone(gh, kRepo, "99"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("milestone 99 not found in example/project")));
  EXPECT_THAT(
      FindMilestone(gh, kRepo, "3.0"),
      StatusIs(absl::StatusCode::kNotFound,
               HasSubstr("milestones: \"2.4.0 (release/2.4)\", \"2.3.1\"")));
}

TEST(MilestoneSnapshotTest, ListsMilestoneItemsAcrossPages) {
  GitHubClient gh = SnapshotClient();
  absl::StatusOr<std::vector<Issue>> items = ListMilestoneItems(gh, kRepo, 7);
  ASSERT_THAT(items, IsOk());
  EXPECT_THAT(Numbers(*items), ElementsAre(101, 102, 103, 104, 105));
  EXPECT_EQ(gh.stats().requests,
            2);  // the snapshot's two pages, nothing per item
  EXPECT_TRUE((*items)[0].is_pull_request() && (*items)[0].merged);
  EXPECT_TRUE((*items)[2].is_pull_request() && !(*items)[2].merged);
  EXPECT_TRUE((*items)[3].HasLabel("release-feature-request"));
  EXPECT_THAT(ListMilestoneItems(gh, kRepo, 8),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("no snapshot response for GET "
                                 "repos/example/project/"
                                 "issues?milestone=8&state=all&per_page=100")));
}

TEST(MilestoneSnapshotTest, ReadsTrackerNominationsFromComments) {
  GitHubClient gh = SnapshotClient();
  absl::StatusOr<std::vector<Issue>> trackers =
      ListIssues(gh, kRepo, {.labels = "release tracker"});
  ASSERT_THAT(trackers, IsOk());
  std::vector<Issue> found =
      FindTrackerIssues(*trackers, *Version::Parse("2.4"));
  ASSERT_THAT(Numbers(found), ElementsAre(100));
  absl::StatusOr<std::vector<IssueComment>> comments =
      ListIssueComments(gh, kRepo, found[0].number);
  ASSERT_THAT(comments, IsOk());
  ASSERT_THAT(*comments, SizeIs(3));
  std::vector<int64_t> release_prs;
  for (const IssueComment& c : *comments) {
    if (std::optional<CherryPickNomination> n = ParseTrackerComment(c.body)) {
      for (const TrackerLink& l : n->release_prs)
        release_prs.push_back(*l.number);
    }
  }
  EXPECT_THAT(release_prs, ElementsAre(111, 112));
  EXPECT_EQ((*comments)[1].author, "other");
}

TEST(MilestoneSnapshotTest, GetsAPullRequestAndTheChecksOfItsMergeCommit) {
  GitHubClient gh = SnapshotClient();
  absl::StatusOr<PullRequest> pr = GetPullRequest(gh, kRepo, 101);
  ASSERT_THAT(pr, IsOk());
  EXPECT_TRUE(pr->merged);
  EXPECT_THAT(pr->merge_commit_sha, Optional(std::string(kSha)));
  EXPECT_EQ(pr->base_ref, "main");
  absl::StatusOr<CommitChecks> checks =
      GetCommitChecks(gh, kRepo, *pr->merge_commit_sha);
  ASSERT_THAT(checks, IsOk());
  EXPECT_EQ(checks->combined_state, "success");
  EXPECT_THAT(checks->statuses, SizeIs(1));
  EXPECT_THAT(checks->check_runs, SizeIs(2));
  EXPECT_TRUE(checks->green());
  EXPECT_THAT(GetCommitChecks(gh, kRepo, "main; rm -rf"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a commit sha")));
}

// --- client calls against a live server
// --------------------------------------------

TEST(MilestoneLiveTest, PaginatesWithOneRequestPerPageAndDropsRepeatedItems) {
  HttpTestServer server;
  const std::string first =
      "/repos/o/n/issues?milestone=3&state=all&per_page=100";
  std::string page1 = "[";
  for (int i = 1; i <= 100; ++i) {
    absl::StrAppend(
        &page1, i > 1 ? "," : "", R"({"number":)", i,
        R"(,"title":"t","state":"closed","pull_request":{"merged_at":null}})");
  }
  page1 += "]";
  server.Script(first,
                {{.headers = {{"Link", absl::StrCat("<", server.Url(first),
                                                    "&page=2>; rel=\"next\"")}},
                  .body = page1}});
  // Items shifted while paging: #100 shows up again on page 2.
  server.Script(first + "&page=2",
                {{.body = R"([{"number":100,"title":"t","state":"closed"},
                              {"number":101,"title":"u","state":"open"}])"}});
  absl::StatusOr<GitHubClient> gh = GitHubClient::Create(
      {.api_url = server.Url(), .token = "", .max_retries = 0});
  ASSERT_THAT(gh, IsOk());
  absl::StatusOr<std::vector<Issue>> items =
      ListMilestoneItems(*gh, {"o", "n"}, 3);
  ASSERT_THAT(items, IsOk());
  EXPECT_THAT(*items, SizeIs(101));
  EXPECT_EQ(gh->stats().requests, 2);
  EXPECT_THAT(server.requests(), SizeIs(2));
}

TEST(MilestoneLiveTest, UnexpectedShapeNamesTheUrl) {
  HttpTestServer server;
  server.Script("/repos/o/n/milestones", {{.body = R"({"milestones": []})"}});
  absl::StatusOr<GitHubClient> gh =
      GitHubClient::Create({.api_url = server.Url(), .token = ""});
  ASSERT_THAT(gh, IsOk());
  EXPECT_THAT(
      ListMilestones(*gh, {"o", "n"}),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr(server.Url("/repos/o/n/milestones?state=all&per_page=100") +
                    ": $: expected an array of milestones")));
}

}  // namespace
}  // namespace relkit
