// Tests of GitHubClient::Write and relkit/github_writes.h against a real
// HTTP/1.1 server on 127.0.0.1 (tests/testing/http_server.h). The handlers
// keep state where a test needs it (an issue the server created before the
// connection dropped is listed afterwards), so that the lookup-before-create
// rule is tested as it works against GitHub: a rerun or a retry finds the
// object and sends no second POST. Sleeps go through an injected clock.

#include "relkit/github_writes.h"

#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "adapters/github/github_errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "internal/json.h"
#include "relkit/github.h"
#include "relkit/github_repo.h"
#include "testing/http_server.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

namespace fs = std::filesystem;
using ::relkit::testing::HttpTestServer;
using ::relkit::testing::IsOk;
using ::relkit::testing::RecordedRequest;
using ::relkit::testing::ScriptedResponse;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kToken[] = "ghp_WRITETOKENabcdef0123456789";
const absl::Time kStart = absl::FromUnixSeconds(1718100000);

std::string IssueJson(int64_t number, absl::string_view title,
                      absl::string_view body = "", bool pr = false) {
  std::string out = absl::StrCat(
      R"({"number":)", number, R"(,"title":")", title,
      R"(","state":"open","html_url":"https://github.com/o/n/issues/)", number,
      R"(","body":")", body, R"(","labels":[{"name":"release tracker"}])");
  if (pr) absl::StrAppend(&out, R"(,"pull_request":{"merged_at":null})");
  return out + "}";
}

// Returns a JSON string literal's contents for `s` (quotes and backslashes).
std::string JsonEscape(absl::string_view s) {
  rapidjson::Value v(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  std::string out = internal::WriteJson(v);
  return out.substr(1, out.size() - 2);
}

ScriptedResponse Json(
    int status, std::string body,
    std::vector<std::pair<std::string, std::string>> headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  return ScriptedResponse{
      .status = status, .headers = std::move(headers), .body = std::move(body)};
}

class GitHubWritesTest : public ::testing::Test {
 protected:
  GitHubClientOptions Options() {
    GitHubClientOptions o;
    o.api_url = server_.Url();
    o.token = kToken;
    o.http.total_timeout = absl::Seconds(30);
    o.now = [this] { return now_; };
    o.sleep = [this](absl::Duration d) {
      sleeps_.push_back(d);
      now_ += d;
    };
    o.random = [] { return 0.5; };
    o.log = [this](absl::string_view line) { log_.emplace_back(line); };
    return o;
  }
  GitHubClient Client(GitHubClientOptions o) {
    absl::StatusOr<GitHubClient> c = GitHubClient::Create(std::move(o));
    EXPECT_THAT(c, IsOk());
    return *std::move(c);
  }
  GitHubClient Client() { return Client(Options()); }

  std::vector<RecordedRequest> Requests(absl::string_view method,
                                        absl::string_view path) {
    std::vector<RecordedRequest> out;
    for (RecordedRequest& r : server_.RequestsTo(path)) {
      if (r.method == method) out.push_back(std::move(r));
    }
    return out;
  }

  // Serves /repos/o/n/issues statefully: GET lists `issues_`, POST creates
  // one (answering with `post_fault` the first time, once).
  void ServeIssues(
      ScriptedResponse::Fault post_fault = ScriptedResponse::Fault::kNone) {
    server_.Handle("/repos/o/n/issues", [this,
                                         post_fault](const RecordedRequest& r) {
      std::lock_guard<std::mutex> lock(mu_);
      if (r.method == "GET") {
        return Json(200, absl::StrCat("[", absl::StrJoin(issues_, ","), "]"));
      }
      absl::StatusOr<rapidjson::Document> doc =
          internal::ParseJson(r.body, "request");
      const std::string title = (*doc)["title"].GetString();
      const std::string body =
          doc->HasMember("body") ? (*doc)["body"].GetString() : "";
      const int64_t number = 100 + static_cast<int64_t>(issues_.size());
      issues_.push_back(IssueJson(number, title, JsonEscape(body)));
      ScriptedResponse out = Json(201, issues_.back());
      if (!faulted_) {
        out.fault = post_fault;
        out.truncate_at = 0;
        faulted_ = true;
      }
      return out;
    });
  }

  HttpTestServer server_;
  GitHubRepo repo_{"o", "n"};
  absl::Time now_ = kStart;
  std::vector<absl::Duration> sleeps_;
  std::vector<std::string> log_;
  std::mutex mu_;
  std::vector<std::string> issues_;
  bool faulted_ = false;
};

// --- what is sent -----------------------------------------------------------

TEST_F(GitHubWritesTest, CreateIssueLooksUpThenPostsAJsonBodyWithTheHeaders) {
  ServeIssues();
  GitHubClient gh = Client();
  NewIssue issue;
  issue.title = "[v2.4.0] Release Tracker";
  issue.body = "The tracker \"quoted\"";
  issue.labels = {"release tracker", "triaged"};
  issue.milestone = 47;
  issue.marker = "tracker 2.4.0";
  absl::StatusOr<Written<Issue>> w = CreateIssue(gh, repo_, issue);
  ASSERT_THAT(w, IsOk());
  EXPECT_TRUE(w->created);
  EXPECT_EQ(w->value.number, 100);
  EXPECT_EQ(w->value.title, issue.title);

  std::vector<RecordedRequest> gets = Requests("GET", "/repos/o/n/issues");
  ASSERT_THAT(gets, SizeIs(1));
  EXPECT_THAT(gets[0].target, HasSubstr("labels=release%20tracker"));
  EXPECT_THAT(gets[0].target, HasSubstr("state=all"));
  std::vector<RecordedRequest> posts = Requests("POST", "/repos/o/n/issues");
  ASSERT_THAT(posts, SizeIs(1));
  const RecordedRequest& post = posts[0];
  EXPECT_EQ(post.headers.Get("content-type"), "application/json");
  EXPECT_EQ(post.headers.Get("accept"), "application/vnd.github+json");
  EXPECT_EQ(post.headers.Get("x-github-api-version"), "2022-11-28");
  EXPECT_EQ(post.headers.Get("authorization"), absl::StrCat("Bearer ", kToken));
  EXPECT_FALSE(post.headers.Has("if-none-match"));
  absl::StatusOr<rapidjson::Document> body =
      internal::ParseJson(post.body, "body");
  ASSERT_THAT(body, IsOk());
  EXPECT_STREQ((*body)["title"].GetString(), "[v2.4.0] Release Tracker");
  EXPECT_THAT(std::string((*body)["body"].GetString()),
              AllOf(HasSubstr("The tracker \"quoted\""),
                    HasSubstr(WriteMarker("tracker 2.4.0"))));
  ASSERT_TRUE((*body)["labels"].IsArray());
  EXPECT_EQ((*body)["labels"].Size(), 2u);
  EXPECT_EQ((*body)["milestone"].GetInt64(), 47);
}

TEST_F(GitHubWritesTest,
       AnExistingIssueWithExactlyTheTitleIsReturnedWithoutAPost) {
  issues_ = {IssueJson(7, "[v2.4.0] Release Tracker")};
  ServeIssues();
  GitHubClient gh = Client();
  NewIssue issue;
  issue.title = "[v2.4.0] Release Tracker";
  issue.labels = {"release tracker"};
  absl::StatusOr<Written<Issue>> w = CreateIssue(gh, repo_, issue);
  ASSERT_THAT(w, IsOk());
  EXPECT_FALSE(w->created);
  EXPECT_EQ(w->value.number, 7);
  EXPECT_THAT(Requests("POST", "/repos/o/n/issues"), IsEmpty());
}

TEST_F(GitHubWritesTest,
       ATitleThatOnlyContainsTheTitleOrAPullRequestIsNotAMatch) {
  issues_ = {IssueJson(7, "[v2.4.0] Release Tracker (old)"),
             IssueJson(8, "[v2.4.0] Release Tracker", "", /*pr=*/true)};
  ServeIssues();
  GitHubClient gh = Client();
  NewIssue issue;
  issue.title = "[v2.4.0] Release Tracker";
  absl::StatusOr<Written<Issue>> w = CreateIssue(gh, repo_, issue);
  ASSERT_THAT(w, IsOk());
  EXPECT_TRUE(w->created);
  EXPECT_THAT(Requests("POST", "/repos/o/n/issues"), SizeIs(1));
}

TEST_F(GitHubWritesTest, AnExistingIssueCarryingTheMarkerIsTheSameIssue) {
  issues_ = {IssueJson(9, "Renamed by a human",
                       JsonEscape(absl::StrCat("text\n", WriteMarker("v 1"))))};
  ServeIssues();
  GitHubClient gh = Client();
  NewIssue issue;
  issue.title = "Validation of 2.4.0";
  issue.marker = "v 1";
  absl::StatusOr<Written<Issue>> w = CreateIssue(gh, repo_, issue);
  ASSERT_THAT(w, IsOk());
  EXPECT_FALSE(w->created);
  EXPECT_EQ(w->value.number, 9);
  EXPECT_THAT(Requests("POST", "/repos/o/n/issues"), IsEmpty());
}

// --- faults -----------------------------------------------------------------

TEST_F(GitHubWritesTest,
       ADroppedConnectionAfterTheCreateIsFoundByTheRetrysLookup) {
  // The POST goes out after the lookup's GET: on a reused connection, which
  // libcurl would silently resend on when it closes without an answer.
  ServeIssues(ScriptedResponse::Fault::kDrop);
  GitHubClient gh = Client();
  NewIssue issue;
  issue.title = "[v2.4.0] Release Tracker";
  absl::StatusOr<Written<Issue>> w = CreateIssue(gh, repo_, issue);
  ASSERT_THAT(w, IsOk());
  EXPECT_FALSE(w->created);  // the first attempt created it
  EXPECT_EQ(w->value.number, 100);
  EXPECT_THAT(Requests("POST", "/repos/o/n/issues"), SizeIs(1));
  EXPECT_THAT(Requests("GET", "/repos/o/n/issues"), SizeIs(2));
  EXPECT_THAT(issues_, SizeIs(1));
}

TEST_F(GitHubWritesTest,
       ATruncatedAnswerAfterTheCreateIsFoundByTheRetrysLookup) {
  ServeIssues(ScriptedResponse::Fault::kTruncate);
  GitHubClient gh = Client();
  NewIssue issue;
  issue.title = "[v2.4.0] Release Tracker";
  absl::StatusOr<Written<Issue>> w = CreateIssue(gh, repo_, issue);
  ASSERT_THAT(w, IsOk());
  EXPECT_FALSE(w->created);  // the first attempt created it
  EXPECT_EQ(w->value.number, 100);
  EXPECT_THAT(Requests("POST", "/repos/o/n/issues"), SizeIs(1));
  EXPECT_THAT(Requests("GET", "/repos/o/n/issues"), SizeIs(2));
  EXPECT_THAT(issues_, SizeIs(1));
  EXPECT_THAT(sleeps_, SizeIs(1));  // one backoff before the retry
}

TEST_F(GitHubWritesTest, ACreateWithoutALookupIsNotRetriedAfterA5xx) {
  server_.Script("/repos/o/n/things", {Json(502, R"({"message":"Bad"})")});
  GitHubClient gh = Client();
  GitHubWriteRequest request;
  request.path = "repos/o/n/things";
  request.body = R"({"title":"x"})";
  absl::StatusOr<GitHubWriteResponse> r = gh.Write(request);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kUnavailable,
                          AllOf(HasSubstr("POST"), HasSubstr("HTTP 502"),
                                HasSubstr("may have reached GitHub"),
                                HasSubstr("check repos/o/n/things"))));
  EXPECT_THAT(server_.RequestsTo("/repos/o/n/things"), SizeIs(1));
  EXPECT_THAT(sleeps_, IsEmpty());
}

TEST_F(GitHubWritesTest, ACreateWithoutALookupIsNotRetriedAfterADroppedAnswer) {
  server_.Script("/repos/o/n/things",
                 {{.status = 201,
                   .body = "{}",
                   .fault = ScriptedResponse::Fault::kTruncate}});
  GitHubClient gh = Client();
  GitHubWriteRequest request;
  request.path = "repos/o/n/things";
  request.body = "{}";
  EXPECT_THAT(gh.Write(request),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("may have reached GitHub")));
  EXPECT_THAT(server_.RequestsTo("/repos/o/n/things"), SizeIs(1));
}

TEST_F(GitHubWritesTest, AnIdempotentPatchIsRetriedAfterA5xx) {
  server_.Script("/repos/o/n/issues/5",
                 {Json(500, R"({"message":"Server Error"})"),
                  Json(200, IssueJson(5, "New title"))});
  GitHubClient gh = Client();
  IssueEdit edit;
  edit.title = "New title";
  edit.state = IssueState::kClosed;
  edit.milestone = std::optional<int64_t>();  // remove from its milestone
  absl::StatusOr<Issue> issue = EditIssue(gh, repo_, 5, edit);
  ASSERT_THAT(issue, IsOk());
  EXPECT_EQ(issue->title, "New title");
  std::vector<RecordedRequest> patches =
      Requests("PATCH", "/repos/o/n/issues/5");
  ASSERT_THAT(patches, SizeIs(2));
  EXPECT_EQ(patches[1].body,
            R"({"title":"New title","state":"closed","milestone":null})");
  EXPECT_THAT(sleeps_, SizeIs(1));
}

TEST_F(GitHubWritesTest,
       ASecondaryRateLimit403IsWaitedOutThenTheLookupRunsAgain) {
  std::vector<ScriptedResponse> posts = {
      Json(
          403,
          R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})",
          {{"Retry-After", "1"}}),
      Json(403, R"({"message":"You have exceeded a secondary rate limit."})"),
      Json(
          201,
          R"({"id":11,"body":"hi","html_url":"https://github.com/o/n/issues/3#issuecomment-11"})")};
  auto served = std::make_shared<size_t>(0);
  server_.Handle("/repos/o/n/issues/3/comments",
                 [posts, served](const RecordedRequest& r) {
                   if (r.method == "GET") return Json(200, "[]");
                   return posts[std::min((*served)++, posts.size() - 1)];
                 });
  GitHubClient gh = Client();
  absl::StatusOr<Written<IssueComment>> w =
      CreateComment(gh, repo_, 3, "hi", "validation 2.4.0");
  ASSERT_THAT(w, IsOk());
  EXPECT_TRUE(w->created);
  EXPECT_EQ(w->value.id, 11);
  // Retry-After: 1s; then without it the secondary-limit backoff of the
  // second wait (60s doubled, plus a quarter of it times the jitter 0.5).
  EXPECT_THAT(sleeps_, ElementsAre(absl::Seconds(1), absl::Seconds(135)));
  EXPECT_THAT(Requests("POST", "/repos/o/n/issues/3/comments"), SizeIs(3));
  EXPECT_THAT(Requests("GET", "/repos/o/n/issues/3/comments"), SizeIs(3));
  EXPECT_EQ(gh.stats().rate_limit_waits, 2);
}

TEST_F(GitHubWritesTest, A429IsWaitedOutThenTheMilestoneIsCreated) {
  std::vector<ScriptedResponse> posts = {
      Json(429, R"({"message":"Too Many Requests"})", {{"Retry-After", "7"}}),
      Json(
          201,
          R"({"number":12,"title":"2.4.1","state":"open","due_on":"2024-09-04T07:00:00Z"})")};
  auto served = std::make_shared<size_t>(0);
  server_.Handle("/repos/o/n/milestones",
                 [posts, served](const RecordedRequest& r) {
                   if (r.method == "GET") return Json(200, "[]");
                   return posts[std::min((*served)++, posts.size() - 1)];
                 });
  GitHubClient gh = Client();
  NewMilestone m;
  m.title = "2.4.1";
  m.due_on = absl::FromUnixSeconds(1725433200);  // 2024-09-04T07:00:00Z
  absl::StatusOr<Written<Milestone>> w = CreateMilestone(gh, repo_, m);
  ASSERT_THAT(w, IsOk());
  EXPECT_TRUE(w->created);
  EXPECT_EQ(w->value.number, 12);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Seconds(7)));
  std::vector<RecordedRequest> sent = Requests("POST", "/repos/o/n/milestones");
  ASSERT_THAT(sent, SizeIs(2));
  EXPECT_EQ(
      sent[1].body,
      R"({"title":"2.4.1","state":"open","due_on":"2024-09-04T07:00:00Z"})");
}

TEST_F(GitHubWritesTest, An422IsInvalidArgumentInPlainWords) {
  server_.Handle("/repos/o/n/milestones", [](const RecordedRequest& r) {
    if (r.method == "GET") return Json(200, "[]");
    return Json(422, R"({"message":"Validation Failed","errors":[
        {"resource":"Milestone","code":"already_exists","field":"title"}],
        "documentation_url":"https://docs.github.com/rest"})");
  });
  GitHubClient gh = Client();
  NewMilestone m;
  m.title = "2.4.0";
  EXPECT_THAT(CreateMilestone(gh, repo_, m),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("POST"), HasSubstr("HTTP 422"),
                             HasSubstr("Validation Failed: title already "
                                       "exists"),
                             HasSubstr("(Milestone.title already_exists)"))));
  EXPECT_THAT(Requests("POST", "/repos/o/n/milestones"), SizeIs(1));
  EXPECT_THAT(sleeps_, IsEmpty());
}

TEST_F(GitHubWritesTest, TheTokenIsInNoErrorOrLogLine) {
  // A hostile server echoes the Authorization header into its 422 and 500.
  server_.Handle("/repos/o/n/issues", [](const RecordedRequest& r) {
    if (r.method == "GET") return Json(200, "[]");
    const std::string auth = r.headers.Get("authorization").value_or("");
    return Json(422,
                absl::StrCat(R"({"message":"Validation Failed )", auth,
                             R"(","errors":[{"code":"custom","message":"bad )",
                             auth, R"("}]})"));
  });
  server_.Handle("/repos/o/n/things", [](const RecordedRequest& r) {
    return Json(
        500, absl::StrCat(R"({"message":")",
                          r.headers.Get("authorization").value_or(""), "\"}"));
  });
  GitHubClient gh = Client();
  NewIssue issue;
  issue.title = "t";
  absl::Status s1 = CreateIssue(gh, repo_, issue).status();
  GitHubWriteRequest request;
  request.path = "repos/o/n/things";
  absl::Status s2 = gh.Write(request).status();
  EXPECT_FALSE(s1.ok());
  EXPECT_FALSE(s2.ok());
  EXPECT_THAT(s1.message(), AllOf(HasSubstr("bad"), Not(HasSubstr("TOKEN"))));
  EXPECT_THAT(s2.message(), Not(HasSubstr("TOKEN")));
  for (const std::string& line : log_) {
    EXPECT_THAT(line, Not(HasSubstr("TOKEN")));
  }
  EXPECT_THAT(gh.ToString(), Not(HasSubstr("TOKEN")));
}

// --- the other calls --------------------------------------------------------

TEST_F(GitHubWritesTest,
       APullRequestFromTheSameHeadIntoTheSameBaseIsNotOpenedTwice) {
  server_.Handle("/repos/o/n/pulls", [](const RecordedRequest& r) {
    if (r.method == "GET") {
      return Json(200,
                  R"([{"number":31,"title":"[release/2.4] Fix","state":"closed",
          "merged_at":null,"html_url":"https://github.com/o/n/pull/31","body":"",
          "head":{"ref":"cherry-pick-1-by-me","sha":"aa"},
          "base":{"ref":"release/2.4","sha":"bb"}}])");
    }
    return Json(500, "{}");
  });
  GitHubClient gh = Client();
  NewPullRequest pr;
  pr.title = "[release/2.4] Fix";
  pr.head = "cherry-pick-1-by-me";
  pr.base = "release/2.4";
  absl::StatusOr<Written<Issue>> w = CreatePullRequest(gh, repo_, pr);
  ASSERT_THAT(w, IsOk());
  EXPECT_FALSE(w->created);
  EXPECT_EQ(w->value.number, 31);
  EXPECT_TRUE(w->value.is_pull_request());
  std::vector<RecordedRequest> gets = Requests("GET", "/repos/o/n/pulls");
  ASSERT_THAT(gets, SizeIs(1));
  EXPECT_THAT(gets[0].target, AllOf(HasSubstr("state=all"),
                                    HasSubstr("head=o:cherry-pick-1-by-me"),
                                    HasSubstr("base=release%2F2.4")));
  EXPECT_THAT(Requests("POST", "/repos/o/n/pulls"), IsEmpty());
}

TEST_F(GitHubWritesTest, APullRequestIsCreatedWhenNoneExists) {
  server_.Handle("/repos/o/n/pulls", [](const RecordedRequest& r) {
    if (r.method == "GET") return Json(200, "[]");
    return Json(201,
                R"({"number":32,"title":"T","state":"open","merged_at":null,
        "html_url":"https://github.com/o/n/pull/32","body":"b",
        "head":{"ref":"h","sha":"aa"},"base":{"ref":"main","sha":"bb"}})");
  });
  GitHubClient gh = Client();
  NewPullRequest pr{.title = "T", .body = "b", .head = "h", .base = "main"};
  absl::StatusOr<Written<Issue>> w = CreatePullRequest(gh, repo_, pr);
  ASSERT_THAT(w, IsOk());
  EXPECT_TRUE(w->created);
  EXPECT_EQ(w->value.number, 32);
  std::vector<RecordedRequest> posts = Requests("POST", "/repos/o/n/pulls");
  ASSERT_THAT(posts, SizeIs(1));
  EXPECT_EQ(posts[0].body,
            R"({"title":"T","head":"h","base":"main","body":"b","draft":false,)"
            R"("maintainer_can_modify":true})");
}

TEST_F(GitHubWritesTest,
       ARefAtTheSameCommitExistsAlreadyElsewhereIsAlreadyExists) {
  const std::string sha(40, 'a');
  const std::string other(40, 'b');
  server_.Script(
      "/repos/o/n/git/ref/heads/x",
      {Json(200, absl::StrCat(R"({"ref":"refs/heads/x","object":{"sha":")", sha,
                              R"(","type":"commit"}})"))});
  server_.Script("/repos/o/n/git/refs", {Json(201, "{}")});
  GitHubClient gh = Client();
  absl::StatusOr<Written<std::string>> w =
      CreateRef(gh, repo_, "refs/heads/x", sha);
  ASSERT_THAT(w, IsOk());
  EXPECT_FALSE(w->created);
  EXPECT_THAT(CreateRef(gh, repo_, "refs/heads/x", other),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       AllOf(HasSubstr(sha), HasSubstr(other))));
  EXPECT_THAT(Requests("POST", "/repos/o/n/git/refs"), IsEmpty());

  // A missing ref (404) is created.
  absl::StatusOr<Written<std::string>> y =
      CreateRef(gh, repo_, "refs/heads/y", sha);
  ASSERT_THAT(y, IsOk());
  EXPECT_TRUE(y->created);
  std::vector<RecordedRequest> posts = Requests("POST", "/repos/o/n/git/refs");
  ASSERT_THAT(posts, SizeIs(1));
  EXPECT_EQ(posts[0].body,
            absl::StrCat(R"({"ref":"refs/heads/y","sha":")", sha, "\"}"));
  EXPECT_THAT(CreateRef(gh, repo_, "heads/y", sha),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(GitHubWritesTest, AddLabelsReturnsTheLabelsAndIsRetriedAfterA5xx) {
  server_.Script("/repos/o/n/issues/4/labels",
                 {Json(503, "{}"),
                  Json(200, R"([{"name":"a"},{"name":"release tracker"}])")});
  GitHubClient gh = Client();
  std::vector<std::string> labels = {"release tracker"};
  absl::StatusOr<std::vector<std::string>> out =
      AddLabels(gh, repo_, 4, labels);
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, ElementsAre("a", "release tracker"));
  EXPECT_THAT(Requests("POST", "/repos/o/n/issues/4/labels"), SizeIs(2));
}

TEST_F(GitHubWritesTest, ACommentNeedsAMarker) {
  GitHubClient gh = Client();
  EXPECT_THAT(
      CreateComment(gh, repo_, 1, "body", ""),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("marker")));
  EXPECT_THAT(server_.requests(), IsEmpty());
}

TEST_F(GitHubWritesTest, ASnapshotClientRefusesEveryWrite) {
  const fs::path dir = fs::path(::testing::TempDir()) / "relkit_writes_snap";
  fs::create_directories(dir);
  GitHubClientOptions o = Options();
  o.snapshot_dir = dir.string();
  GitHubClient gh = Client(o);
  GitHubWriteRequest request;
  request.path = "repos/o/n/issues";
  request.body = "{}";
  EXPECT_THAT(gh.Write(request),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("a snapshot is read-only"),
                             HasSubstr("not sent"))));
  EditIssue(gh, repo_, 1, IssueEdit{}).IgnoreError();
  EXPECT_THAT(server_.requests(), IsEmpty());
}

TEST_F(GitHubWritesTest, AWriteIsNeverRecordedIntoARecordDirectory) {
  const fs::path dir = fs::path(::testing::TempDir()) / "relkit_writes_rec";
  fs::remove_all(dir);
  server_.Script(
      "/repos/o/n/milestones/3",
      {Json(200, R"({"number":3,"title":"2.4.0","state":"closed"})")});
  GitHubClientOptions o = Options();
  o.record_dir = dir.string();
  GitHubClient gh = Client(o);
  MilestoneEdit edit;
  edit.state = IssueState::kClosed;
  absl::StatusOr<Milestone> m = EditMilestone(gh, repo_, 3, edit);
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->state, IssueState::kClosed);
  EXPECT_THAT(server_.RequestsTo("/repos/o/n/milestones/3"), SizeIs(1));
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST_F(GitHubWritesTest, GetIssueReadsOneIssue) {
  server_.Script("/repos/o/n/issues/5", {Json(200, IssueJson(5, "Five"))});
  GitHubClient gh = Client();
  absl::StatusOr<Issue> issue = GetIssue(gh, repo_, 5);
  ASSERT_THAT(issue, IsOk());
  EXPECT_EQ(issue->title, "Five");
  EXPECT_THAT(GetIssue(gh, repo_, 6), StatusIs(absl::StatusCode::kNotFound));
}

// --- GitHub's error bodies --------------------------------------------------

TEST(GitHubErrorTextTest, SaysValidationErrorsInPlainWords) {
  using internal::GitHubErrorText;
  EXPECT_EQ(
      GitHubErrorText(
          R"({"message":"Validation Failed","errors":[{"resource":"Issue",)"
          R"("field":"title","code":"missing_field"}]})"),
      "Validation Failed: title is missing (Issue.title missing_field)");
  EXPECT_EQ(
      GitHubErrorText(
          R"({"message":"Validation Failed","errors":[{"resource":"PullRequest",)"
          R"("code":"custom","message":"A pull request already exists for o:b."}]})"),
      "Validation Failed: A pull request already exists for o:b.");
  EXPECT_EQ(
      GitHubErrorText(
          R"({"message":"Validation Failed","errors":[{"resource":"Issue",)"
          R"("field":"milestone","code":"invalid","value":99},"plain"]})"),
      "Validation Failed: milestone is invalid (\"99\") "
      "(Issue.milestone invalid); plain");
  EXPECT_EQ(GitHubErrorText(R"({"message":"Not Found"})"), "Not Found");
  EXPECT_EQ(GitHubErrorText("<html>\x1b[31mbad\n</html>"),
            "<html> [31mbad </html>");
  EXPECT_EQ(GitHubErrorText(R"({"message":"x","errors":"not a list"})"), "x");
  std::string many = R"({"message":"V","errors":[)";
  for (int i = 0; i < 12; ++i) {
    absl::StrAppend(&many, i ? "," : "",
                    R"({"code":"missing_field","field":"f)", i, "\"}");
  }
  many += "]}";
  EXPECT_THAT(GitHubErrorText(many),
              AllOf(HasSubstr("f9 is missing"), Not(HasSubstr("f10 is")),
                    HasSubstr("and 2 more")));
}

}  // namespace
}  // namespace relkit
