// Tests of relkit/github.h and relkit/snapshot.h. The client talks to a real
// HTTP/1.1 server on 127.0.0.1 (tests/testing/http_server.h) serving
// GitHub-shaped responses with Link, ETag and rate-limit headers, and the
// faults of issue 5: 500 then success, 502 every time, 403 rate limited with
// a reset, 429 with Retry-After, a response slower than the timeout, a
// truncated body, invalid JSON, an oversized body, a redirect and a refused
// connection. Sleeps go through an injected clock, so nothing waits for real
// except the one timeout case (which uses a server that never answers).

#include "relkit/github.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "adapters/github/link_header.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/github_repo_lookup.h"
#include "relkit/http.h"
#include "relkit/snapshot.h"
#include "testing/git_repo.h"
#include "testing/http_server.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

namespace fs = std::filesystem;
using ::relkit::internal::LastPageNumber;
using ::relkit::internal::NextPageUrl;
using ::relkit::testing::HttpTestServer;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::ScriptedResponse;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::SizeIs;

constexpr char kToken[] = "ghp_TESTTOKENabcdef0123456789";
const absl::Time kStart =
    absl::FromUnixSeconds(1718100000);  // 2024-06-11T10:00:00Z

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory under the test's temp dir.
fs::path TempDir(const std::string& name) {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::path(::testing::TempDir()) /
                 absl::StrCat("relkit_github_", info->test_suite_name(), "_",
                              info->name(), "_", name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

class GitHubClientTest : public ::testing::Test {
 protected:
  void SetUp() override { cache_dir_ = TempDir("cache"); }

  GitHubClientOptions Options() {
    GitHubClientOptions o;
    o.api_url = server_.Url();
    o.token = kToken;
    o.cache_dir = cache_dir_.string();
    o.http.total_timeout = absl::Seconds(60);
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

  // Primes the cache with /repos/o/n/milestones (ETag "v1") and returns the
  // cache file's bytes.
  std::string PrimeCache(GitHubClient& gh) {
    server_.Script("/repos/o/n/milestones", {{.headers = {{"ETag", "\"v1\""}},
                                              .body = R"([{"number":1}])"}});
    EXPECT_THAT(gh.Get("repos/o/n/milestones"), IsOk());
    std::vector<fs::path> files = FilesIn(cache_dir_);
    EXPECT_THAT(files, SizeIs(1));
    return files.empty() ? "" : ReadFile(files[0]);
  }

  // Checks that the cache still holds the primed entry and serves it on 304.
  void ExpectCacheIntact(GitHubClient& gh, const std::string& primed) {
    std::vector<fs::path> files = FilesIn(cache_dir_);
    ASSERT_THAT(files, SizeIs(1));
    EXPECT_EQ(ReadFile(files[0]), primed);
    server_.Script("/repos/o/n/milestones", {{.status = 304}});
    absl::StatusOr<GitHubResponse> r = gh.Get("repos/o/n/milestones");
    ASSERT_THAT(r, IsOk());
    EXPECT_TRUE(r->from_cache);
    EXPECT_EQ(r->body, R"([{"number":1}])");
  }

  HttpTestServer server_;
  fs::path cache_dir_;
  absl::Time now_ = kStart;
  std::vector<absl::Duration> sleeps_;
  std::vector<std::string> log_;
};

// --- requests, pagination ---------------------------------------------------

TEST_F(GitHubClientTest, SendsGitHubHeadersAndTheTokenAsBearer) {
  server_.Script("/rate_limit", {{.body = "{}"}});
  GitHubClient gh = Client();
  ASSERT_THAT(gh.Get("/rate_limit"), IsOk());
  auto seen = server_.RequestsTo("/rate_limit");
  ASSERT_THAT(seen, SizeIs(1));
  EXPECT_THAT(seen[0].headers.Get("authorization"),
              Optional(absl::StrCat("Bearer ", kToken)));
  EXPECT_THAT(seen[0].headers.Get("accept"),
              Optional(std::string("application/vnd.github+json")));
  EXPECT_THAT(seen[0].headers.Get("x-github-api-version"),
              Optional(std::string("2022-11-28")));
  EXPECT_TRUE(seen[0].headers.Has("user-agent"));
}

TEST_F(GitHubClientTest, AnonymousClientSendsNoAuthorization) {
  server_.Script("/rate_limit", {{.body = "{}"}});
  GitHubClientOptions o = Options();
  o.token = "";
  GitHubClient gh = Client(o);
  EXPECT_FALSE(gh.authenticated());
  ASSERT_THAT(gh.Get("rate_limit"), IsOk());
  EXPECT_FALSE(
      server_.RequestsTo("/rate_limit")[0].headers.Has("authorization"));
}

TEST_F(GitHubClientTest, FollowsLinkNextWithPerPage100) {
  const std::string base = server_.Url("/repos/o/n/issues");
  server_.Script(
      "/repos/o/n/issues?milestone=3&state=all&per_page=100",
      {{.headers = {{"Link", absl::StrCat(
                                 "<", base,
                                 "?milestone=3&state=all&per_page=100&page=2>; "
                                 "rel=\"next\", <",
                                 base, "?page=3>; rel=\"last\"")}},
        .body = "[1]"}});
  server_.Script(
      "/repos/o/n/issues?milestone=3&state=all&per_page=100&page=2",
      {{.headers = {{"Link", absl::StrCat(
                                 "<", base,
                                 "?milestone=3&state=all&per_page=100&page=3>; "
                                 "rel=\"next\"")}},
        .body = "[2]"}});
  server_.Script(
      "/repos/o/n/issues?milestone=3&state=all&per_page=100&page=3",
      {{.headers = {{"Link",
                     absl::StrCat("<", base, "?page=1>; rel=\"first\"")}},
        .body = "[3]"}});
  GitHubClient gh = Client();
  absl::StatusOr<std::vector<GitHubResponse>> pages =
      gh.GetPages("repos/o/n/issues?milestone=3&state=all");
  ASSERT_THAT(pages, IsOk());
  ASSERT_THAT(*pages, SizeIs(3));
  EXPECT_EQ((*pages)[0].body, "[1]");
  EXPECT_EQ((*pages)[1].body, "[2]");
  EXPECT_EQ((*pages)[2].body, "[3]");
  EXPECT_THAT(server_.requests(), SizeIs(3));
  EXPECT_EQ(gh.stats().requests, 3);
}

TEST_F(GitHubClientTest, ReportsEachPageToPageProgressColdAndFromTheCache) {
  // Three pages as GitHub links them: next and last on all but the last.
  const std::string base = server_.Url("/repos/o/n/issues");
  for (int page = 1; page <= 3; ++page) {
    const std::string query =
        page == 1 ? "?state=all&per_page=100"
                  : absl::StrCat("?state=all&per_page=100&page=", page);
    std::string link;
    if (page < 3) {
      link = absl::StrCat("<", base, "?state=all&per_page=100&page=", page + 1,
                          ">; rel=\"next\", <", base,
                          "?state=all&per_page=100&page=3>; rel=\"last\"");
    }
    const std::string etag = absl::StrCat("\"p", page, "\"");
    server_.Handle(
        absl::StrCat("/repos/o/n/issues", query),
        [=](const testing::RecordedRequest& r) {
          if (r.headers.Get("if-none-match") == etag) {
            return ScriptedResponse{.status = 304, .headers = {{"ETag", etag}}};
          }
          ScriptedResponse out{.headers = {{"ETag", etag}},
                               .body = absl::StrCat("[", page, "]")};
          if (!link.empty()) out.headers.push_back({"Link", link});
          return out;
        });
  }
  std::vector<std::string> seen;
  GitHubClientOptions o = Options();
  o.page_progress = [&](const PageProgress& p) {
    seen.push_back(absl::StrCat(p.path, " ", p.pages, "/", p.total_pages, " ",
                                p.not_modified));
  };
  GitHubClient gh = Client(o);
  ASSERT_THAT(gh.GetPages("repos/o/n/issues?state=all"), IsOk());
  EXPECT_THAT(seen,
              ElementsAre("repos/o/n/issues 1/3 0", "repos/o/n/issues 2/3 0",
                          "repos/o/n/issues 3/3 0"));
  seen.clear();
  ASSERT_THAT(gh.GetPages("repos/o/n/issues?state=all"), IsOk());
  EXPECT_THAT(seen,
              ElementsAre("repos/o/n/issues 1/3 1", "repos/o/n/issues 2/3 2",
                          "repos/o/n/issues 3/3 3"));
  // Get is not a listing: no progress.
  seen.clear();
  ASSERT_THAT(gh.Get("repos/o/n/issues?state=all&per_page=100"), IsOk());
  EXPECT_THAT(seen, IsEmpty());
}

TEST_F(GitHubClientTest, PaginationLoopIsInvalidArgument) {
  server_.Script(
      "/loop",
      {{.headers = {{"Link",
                     absl::StrCat("<", server_.Url("/loop?per_page=100"),
                                  ">; rel=\"next\"")}},
        .body = "[]"}});
  GitHubClient gh = Client();
  EXPECT_THAT(gh.GetPages("loop"), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("pagination loop")));
}

TEST_F(GitHubClientTest, DoesNotSendTheTokenToAnotherHost) {
  server_.Script(
      "/list",
      {{.headers = {{"Link", absl::StrCat("<http://localhost:", server_.port(),
                                          "/list2>; rel=\"next\"")}},
        .body = "[1]"}});
  server_.Script("/list2", {{.body = "[2]"}});
  GitHubClient gh = Client();
  ASSERT_THAT(gh.GetPages("list"), IsOk());
  EXPECT_TRUE(server_.RequestsTo("/list")[0].headers.Has("authorization"));
  EXPECT_FALSE(server_.RequestsTo("/list2")[0].headers.Has("authorization"));
}

// --- the fault list of issue 5 ---------------------------------------------

TEST_F(GitHubClientTest, Retries500ThenSucceeds) {
  server_.Script("/x",
                 {{.status = 500, .body = "oops"}, {.body = R"({"ok":true})"}});
  GitHubClient gh = Client();
  absl::StatusOr<GitHubResponse> r = gh.Get("x");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->body, R"({"ok":true})");
  EXPECT_THAT(server_.RequestsTo("/x"), SizeIs(2));
  EXPECT_EQ(gh.stats().retries, 1);
  // One backoff of initial_backoff with jitter 0.5: 1s/2 + 1s/2*0.5.
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(750)));
}

TEST_F(GitHubClientTest, Gives502EveryTimeUpAsUnavailableAfterBoundedRetries) {
  GitHubClient gh = Client();
  const std::string primed = PrimeCache(gh);
  server_.Script("/y", {{.status = 502, .body = "Bad Gateway"}});
  EXPECT_THAT(gh.Get("y"), StatusIs(absl::StatusCode::kUnavailable,
                                    AllOf(HasSubstr("GET " + server_.Url("/y")),
                                          HasSubstr("HTTP 502"),
                                          HasSubstr("after 5 attempts"))));
  EXPECT_THAT(server_.RequestsTo("/y"), SizeIs(5));  // 1 + max_retries
  // Exponential: 1, 2, 4, 8 s (times 0.75 for the fixed jitter).
  EXPECT_THAT(sleeps_,
              ElementsAre(absl::Milliseconds(750), absl::Milliseconds(1500),
                          absl::Seconds(3), absl::Seconds(6)));
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, Waits403RateLimitUntilResetThenSucceeds) {
  GitHubClient gh = Client();
  const std::string primed = PrimeCache(gh);
  const int64_t reset = absl::ToUnixSeconds(kStart) + 120;
  server_.Script(
      "/z",
      {{.status = 403,
        .headers = {{"X-RateLimit-Limit", "5000"},
                    {"X-RateLimit-Remaining", "0"},
                    {"X-RateLimit-Reset", absl::StrCat(reset)},
                    {"X-RateLimit-Resource", "core"}},
        .body = R"({"message":"API rate limit exceeded for user ID 1."})"},
       {.headers = {{"X-RateLimit-Remaining", "4999"}}, .body = "[]"}});
  ASSERT_THAT(gh.Get("z"), IsOk());
  EXPECT_THAT(sleeps_, ElementsAre(absl::Seconds(121)));
  EXPECT_EQ(gh.stats().rate_limit_waits, 1);
  EXPECT_EQ(gh.rate_limit().remaining, 4999);
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, Fails403RateLimitFastNamingTheResetTime) {
  GitHubClientOptions o = Options();
  o.rate_limit_policy = RateLimitPolicy::kFailFast;
  GitHubClient gh = Client(o);
  const std::string primed = PrimeCache(gh);
  server_.Script(
      "/z", {{.status = 403,
              .headers = {{"X-RateLimit-Limit", "5000"},
                          {"X-RateLimit-Remaining", "0"},
                          {"X-RateLimit-Reset",
                           absl::StrCat(absl::ToUnixSeconds(kStart) + 750)},
                          {"X-RateLimit-Resource", "core"}},
              .body = R"({"message":"API rate limit exceeded"})"}});
  EXPECT_THAT(gh.Get("z"),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("GET " + server_.Url("/z")),
                             HasSubstr("0 of 5000 requests left for \"core\""),
                             HasSubstr("resets at 2024-06-11T10:12:30Z"),
                             HasSubstr("in 12m30s"), HasSubstr("fail-fast"))));
  EXPECT_THAT(server_.RequestsTo("/z"), SizeIs(1));
  EXPECT_THAT(sleeps_, IsEmpty());
  // Until the reset, the client fails fast without sending anything.
  EXPECT_THAT(
      gh.Get("repos/o/n/milestones"),
      StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("fail-fast")));
  EXPECT_THAT(server_.RequestsTo("/repos/o/n/milestones"), SizeIs(1));
  now_ += absl::Minutes(13);
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, RefusesToWaitLongerThanAllowed) {
  GitHubClientOptions o = Options();
  o.max_rate_limit_wait = absl::Minutes(5);
  GitHubClient gh = Client(o);
  server_.Script(
      "/z",
      {{.status = 403,
        .headers = {{"X-RateLimit-Remaining", "0"},
                    {"X-RateLimit-Reset",
                     absl::StrCat(absl::ToUnixSeconds(kStart) + 3600)}}}});
  EXPECT_THAT(gh.Get("z"),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("resets at 2024-06-11T11:00:00Z"),
                             HasSubstr("allowed wait of 5m"))));
  EXPECT_THAT(sleeps_, IsEmpty());
}

TEST_F(GitHubClientTest, WaitsBeforeSendingWhenTheLastResponseUsedTheLimitUp) {
  const int64_t reset = absl::ToUnixSeconds(kStart) + 30;
  server_.Script("/a",
                 {{.headers = {{"X-RateLimit-Remaining", "0"},
                               {"X-RateLimit-Reset", absl::StrCat(reset)}},
                   .body = "[]"}});
  server_.Script(
      "/b", {{.headers = {{"X-RateLimit-Remaining", "4999"}}, .body = "[]"}});
  GitHubClient gh = Client();
  ASSERT_THAT(gh.Get("a"), IsOk());
  EXPECT_THAT(sleeps_, IsEmpty());
  ASSERT_THAT(gh.Get("b"), IsOk());
  EXPECT_THAT(sleeps_, ElementsAre(absl::Seconds(31)));
  EXPECT_THAT(server_.RequestsTo("/b"), SizeIs(1));
}

TEST_F(GitHubClientTest, Honours429RetryAfter) {
  GitHubClient gh = Client();
  const std::string primed = PrimeCache(gh);
  server_.Script("/w", {{.status = 429,
                         .headers = {{"Retry-After", "7"}},
                         .body = R"({"message":"slow down"})"},
                        {.body = "{}"}});
  ASSERT_THAT(gh.Get("w"), IsOk());
  EXPECT_THAT(sleeps_, ElementsAre(absl::Seconds(7)));
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, BacksOffSecondaryRateLimitsAndGivesUpAfterTheBound) {
  GitHubClientOptions o = Options();
  o.max_rate_limit_retries = 2;
  GitHubClient gh = Client(o);
  server_.Script(
      "/s",
      {{.status = 403,
        .headers = {{"X-RateLimit-Remaining", "4000"}},
        .body = R"({"message":"You have exceeded a secondary rate limit."})"}});
  EXPECT_THAT(gh.Get("s"), StatusIs(absl::StatusCode::kResourceExhausted,
                                    AllOf(HasSubstr("secondary rate limit"),
                                          HasSubstr("after 2 waits"))));
  // At least a minute, doubling, with up to 25% jitter (0.5 -> 12.5%).
  EXPECT_THAT(sleeps_,
              ElementsAre(absl::Milliseconds(67500), absl::Seconds(135)));
  EXPECT_THAT(server_.RequestsTo("/s"), SizeIs(3));
}

TEST_F(GitHubClientTest, NeverRetriesAPermission403) {
  server_.Script(
      "/p",
      {{.status = 403,
        .headers = {{"X-RateLimit-Remaining", "4000"}},
        .body = R"({"message":"Resource not accessible by integration"})"}});
  GitHubClient gh = Client();
  EXPECT_THAT(gh.Get("p"),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("Resource not accessible by integration")));
  EXPECT_THAT(server_.RequestsTo("/p"), SizeIs(1));
  EXPECT_THAT(sleeps_, IsEmpty());
}

TEST_F(GitHubClientTest, MapsOther4xxWithoutRetrying) {
  server_.Script("/nf", {{.status = 404,
                          .headers = {{"X-GitHub-Request-Id", "ABCD:1234"}},
                          .body = R"({"message":"Not Found"})"}});
  server_.Script("/auth",
                 {{.status = 401, .body = R"({"message":"Bad credentials"})"}});
  server_.Script(
      "/bad", {{.status = 422, .body = R"({"message":"Validation Failed"})"}});
  GitHubClient gh = Client();
  EXPECT_THAT(gh.Get("nf"), StatusIs(absl::StatusCode::kNotFound,
                                     AllOf(HasSubstr("HTTP 404: Not Found"),
                                           HasSubstr("request id ABCD:1234"))));
  EXPECT_THAT(gh.Get("auth"), StatusIs(absl::StatusCode::kUnauthenticated,
                                       AllOf(HasSubstr("Bad credentials"),
                                             HasSubstr("GITHUB_TOKEN"))));
  EXPECT_THAT(gh.Get("bad"), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("Validation Failed")));
  EXPECT_THAT(server_.requests(), SizeIs(3));
}

TEST_F(GitHubClientTest, RetriesAResponseSlowerThanTheTimeout) {
  GitHubClientOptions o = Options();
  o.http.total_timeout =
      absl::Milliseconds(300);  // the server never answers the first
  GitHubClient gh = Client(o);
  const std::string primed = PrimeCache(gh);
  server_.Script("/slow",
                 {{.fault = ScriptedResponse::Fault::kHang}, {.body = "[7]"}});
  absl::StatusOr<GitHubResponse> r = gh.Get("slow");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->body, "[7]");
  EXPECT_EQ(gh.stats().retries, 1);
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, GivesAnAlwaysSlowResponseUpAsDeadlineExceeded) {
  GitHubClientOptions o = Options();
  o.http.total_timeout = absl::Milliseconds(300);
  o.max_retries = 1;
  GitHubClient gh = Client(o);
  server_.Script("/slow", {{.fault = ScriptedResponse::Fault::kHang}});
  EXPECT_THAT(
      gh.Get("slow"),
      StatusIs(absl::StatusCode::kDeadlineExceeded,
               AllOf(HasSubstr("GET " + server_.Url("/slow")),
                     HasSubstr("timed out"), HasSubstr("after 2 attempts"))));
}

TEST_F(GitHubClientTest, RetriesATruncatedBodyAndGivesUpWhenItPersists) {
  GitHubClient gh = Client();
  const std::string primed = PrimeCache(gh);
  const std::string body = R"([{"number":1,"title":"a long enough body"}])";
  server_.Script("/t", {{.body = body,
                         .fault = ScriptedResponse::Fault::kTruncate,
                         .truncate_at = 10},
                        {.body = body}});
  absl::StatusOr<GitHubResponse> r = gh.Get("t");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->body, body);
  server_.Script("/t2", {{.body = body,
                          .fault = ScriptedResponse::Fault::kTruncate,
                          .truncate_at = 10}});
  EXPECT_THAT(gh.Get("t2"), StatusIs(absl::StatusCode::kUnavailable,
                                     AllOf(HasSubstr("truncated"),
                                           HasSubstr("after 5 attempts"))));
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest,
       InvalidJsonIsInvalidArgumentNamingTheUrlAndIsNotCached) {
  GitHubClient gh = Client();
  const std::string primed = PrimeCache(gh);
  // A new ETag with a broken body must not replace the good entry.
  server_.Script(
      "/repos/o/n/milestones",
      {{.headers = {{"ETag", "\"v2\""}}, .body = "[{\"number\": 1,\n oops"}});
  EXPECT_THAT(gh.Get("repos/o/n/milestones"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(server_.Url("/repos/o/n/milestones")),
                             HasSubstr(":2:"), HasSubstr("invalid JSON"))));
  EXPECT_THAT(server_.RequestsTo("/repos/o/n/milestones"),
              SizeIs(2));  // not retried
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, OversizedBodyIsResourceExhaustedWithoutRetry) {
  GitHubClientOptions o = Options();
  o.http.max_response_bytes = 4096;
  GitHubClient gh = Client(o);
  const std::string primed = PrimeCache(gh);
  server_.Script("/huge", {{.body = "[" + std::string(10000, ' ') + "]"}});
  EXPECT_THAT(gh.Get("huge"), StatusIs(absl::StatusCode::kResourceExhausted,
                                       AllOf(HasSubstr(server_.Url("/huge")),
                                             HasSubstr("4096 bytes"))));
  EXPECT_THAT(server_.RequestsTo("/huge"), SizeIs(1));
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, FollowsARedirect) {
  GitHubClient gh = Client();
  const std::string primed = PrimeCache(gh);
  server_.Script("/repos/old/name/milestones",
                 {{.status = 301,
                   .headers = {{"Location", "/repos/new/name/milestones"}}}});
  server_.Script("/repos/new/name/milestones", {{.body = R"([{"number":9}])"}});
  absl::StatusOr<GitHubResponse> r = gh.Get("repos/old/name/milestones");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->body, R"([{"number":9}])");
  ExpectCacheIntact(gh, primed);
}

TEST_F(GitHubClientTest, RefusedConnectionIsUnavailableAfterRetries) {
  GitHubClientOptions o = Options();
  o.api_url = absl::StrCat("http://127.0.0.1:", HttpTestServer::UnusedPort());
  o.max_retries = 2;
  GitHubClient gh = Client(o);
  EXPECT_THAT(gh.Get("repos/o/n"),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("GET " + o.api_url + "/repos/o/n"),
                             HasSubstr("cannot connect"),
                             HasSubstr("after 3 attempts"))));
  EXPECT_THAT(sleeps_, SizeIs(2));
}

// --- ETag cache -------------------------------------------------------------

TEST_F(GitHubClientTest, ServesA304FromTheCacheWithItsLinkHeader) {
  const std::string link = absl::StrCat(
      "<", server_.Url("/m?per_page=100&page=2"), ">; rel=\"next\"");
  server_.Handle("/m", [&](const testing::RecordedRequest& r) {
    if (r.headers.Get("if-none-match") == "W/\"e1\"") {
      return ScriptedResponse{.status = 304, .headers = {{"ETag", "W/\"e1\""}}};
    }
    return ScriptedResponse{.headers = {{"ETag", "W/\"e1\""}, {"Link", link}},
                            .body = "[1,2]"};
  });
  server_.Handle(
      "/m?per_page=100&page=2", [&](const testing::RecordedRequest& r) {
        if (r.headers.Get("if-none-match") == "\"p2\"") {
          return ScriptedResponse{.status = 304};
        }
        return ScriptedResponse{.headers = {{"ETag", "\"p2\""}}, .body = "[3]"};
      });
  GitHubClient gh = Client();
  absl::StatusOr<std::vector<GitHubResponse>> first = gh.GetPages("m");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(gh.stats().not_modified, 0);
  absl::StatusOr<std::vector<GitHubResponse>> second = gh.GetPages("m");
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(*second, SizeIs(2));
  EXPECT_TRUE((*second)[0].from_cache);
  EXPECT_EQ((*second)[0].body, "[1,2]");
  EXPECT_EQ((*second)[1].body, "[3]");
  EXPECT_EQ(gh.stats().not_modified, 2);
  EXPECT_EQ(gh.stats().requests, 4);
}

TEST_F(GitHubClientTest, IgnoresACorruptCacheEntryAndRefetches) {
  GitHubClient gh = Client();
  PrimeCache(gh);
  std::vector<fs::path> files = FilesIn(cache_dir_);
  ASSERT_THAT(files, SizeIs(1));
  {
    std::ofstream out(files[0], std::ios::trunc);
    out << "{\"url\": \"truncated";
  }
  server_.Script("/repos/o/n/milestones", {{.headers = {{"ETag", "\"v3\""}},
                                            .body = R"([{"number":3}])"}});
  absl::StatusOr<GitHubResponse> r = gh.Get("repos/o/n/milestones");
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->from_cache);
  EXPECT_EQ(r->body, R"([{"number":3}])");
  auto seen = server_.RequestsTo("/repos/o/n/milestones");
  EXPECT_FALSE(seen.back().headers.Has(
      "if-none-match"));  // never served the corrupt copy
  EXPECT_THAT(ReadFile(files[0]), HasSubstr("\\\"v3\\\""));  // rewritten whole
  EXPECT_THAT(log_, ::testing::Contains(HasSubstr("ignoring corrupt entry")));
}

TEST_F(GitHubClientTest, CacheEntriesAreScopedByToken) {
  GitHubClient gh = Client();
  PrimeCache(gh);
  GitHubClientOptions o = Options();
  o.token = "ghp_someoneelse";
  GitHubClient other = Client(o);
  server_.Script("/repos/o/n/milestones", {{.body = "[]"}});
  ASSERT_THAT(other.Get("repos/o/n/milestones"), IsOk());
  EXPECT_FALSE(server_.RequestsTo("/repos/o/n/milestones")
                   .back()
                   .headers.Has("if-none-match"));
}

TEST_F(GitHubClientTest, ADeeplyNestedCacheEntryIsIgnoredAndSaid) {
  const std::string url = server_.Url("/repos/o/n/milestones");
  server_.Handle(
      "/repos/o/n/milestones", [](const testing::RecordedRequest& r) {
        if (r.headers.Has("if-none-match")) {
          return ScriptedResponse{.status = 304};
        }
        return ScriptedResponse{.headers = {{"ETag", "\"v2\""}}, .body = "[]"};
      });
  const std::string deep =
      std::string(1000000, '[') + std::string(1000000, ']');
  // The entry itself, then only its body, nested a million levels deep: the
  // recursive parser this replaced crashed on both.
  for (const std::string& entry :
       {deep, absl::StrCat(R"({"url":")", url, R"(","etag":"\"v1\"","body":")",
                           deep, R"("})")}) {
    GitHubClient gh = Client();
    ASSERT_THAT(gh.Get("repos/o/n/milestones"), IsOk());  // writes the entry
    std::vector<fs::path> files = FilesIn(cache_dir_);
    ASSERT_THAT(files, SizeIs(1));
    {
      std::ofstream out(files[0], std::ios::trunc);
      out << entry;
    }
    const size_t before = server_.requests().size();
    absl::StatusOr<GitHubResponse> r = gh.Get("repos/o/n/milestones");
    ASSERT_THAT(r, IsOk());
    EXPECT_FALSE(r->from_cache);
    EXPECT_EQ(r->body, "[]");
    ASSERT_EQ(server_.requests().size(), before + 1);
    EXPECT_FALSE(server_.requests().back().headers.Has("if-none-match"));
    EXPECT_THAT(
        gh.cache_problem(),
        AllOf(HasSubstr("ignoring corrupt entry"), HasSubstr(files[0].string()),
              HasSubstr("nested deeper than 256 levels")));
    EXPECT_THAT(ReadFile(files[0]), HasSubstr("\\\"v2\\\""));  // rewritten
  }
}

TEST_F(GitHubClientTest, ACacheEntryWithALineBreakInItsEtagIsIgnored) {
  GitHubClient gh = Client();
  PrimeCache(gh);
  std::vector<fs::path> files = FilesIn(cache_dir_);
  ASSERT_THAT(files, SizeIs(1));
  {
    std::ofstream out(files[0], std::ios::trunc);
    out << R"({"url":")" << server_.Url("/repos/o/n/milestones")
        << R"(","etag":"\"v1\"\r\nX-Injected: 1","body":"[]"})";
  }
  server_.Script("/repos/o/n/milestones",
                 {{.headers = {{"ETag", "\"v3\""}}, .body = "[]"}});
  ASSERT_THAT(gh.Get("repos/o/n/milestones"), IsOk());
  const testing::RecordedRequest sent = server_.requests().back();
  EXPECT_FALSE(sent.headers.Has("if-none-match"));
  EXPECT_FALSE(sent.headers.Has("x-injected"));
  EXPECT_THAT(gh.cache_problem(), HasSubstr("a line break"));
}

TEST_F(GitHubClientTest, ACacheDirectoryThatIsAFileIsSaidAndNeverFails) {
  const fs::path file = cache_dir_ / "not-a-dir";
  { std::ofstream(file) << "x"; }
  GitHubClientOptions o = Options();
  o.cache_dir = file.string();
  GitHubClient gh = Client(o);
  EXPECT_EQ(gh.cache_problem(),
            absl::StrCat("\"", file.string(), "\" is not a directory"));
  server_.Script("/m", {{.headers = {{"ETag", "\"e\""}}, .body = "[1]"}});
  EXPECT_THAT(gh.Get("m"), IsOk());
  EXPECT_THAT(gh.Get("m"), IsOk());
  EXPECT_EQ(ReadFile(file), "x");
  EXPECT_EQ(Client().cache_problem(), "");  // a usable cache says nothing
}

// --- secrets ----------------------------------------------------------------

TEST_F(GitHubClientTest, TheTokenAppearsInNoOutputOfAnyFailingCall) {
  // A hostile server echoes the Authorization header into every error body.
  auto echo =
      [](int status,
         std::vector<std::pair<std::string, std::string>> headers = {}) {
        return [status, headers](const testing::RecordedRequest& r) {
          return ScriptedResponse{
              .status = status,
              .headers = headers,
              .body = absl::StrCat(R"({"message":"bad: )",
                                   r.headers.Get("authorization").value_or(""),
                                   "\"}")};
        };
      };
  server_.Handle("/401", echo(401));
  server_.Handle("/403", echo(403));
  server_.Handle("/404", echo(404));
  server_.Handle("/422", echo(422));
  server_.Handle("/500", echo(500));
  server_.Handle("/429", echo(429, {{"Retry-After", "100000"}}));
  server_.Handle("/ratelimit",
                 echo(403, {{"X-RateLimit-Remaining", "0"},
                            {"X-RateLimit-Reset", "9999999999"}}));
  server_.Handle("/json", [](const testing::RecordedRequest& r) {
    return ScriptedResponse{
        .body = absl::StrCat("{\"a\": \"",
                             r.headers.Get("authorization").value_or(""))};
  });
  server_.Script("/hang", {{.fault = ScriptedResponse::Fault::kHang}});
  server_.Script("/big", {{.body = std::string(10000, 'x')}});
  GitHubClientOptions o = Options();
  o.max_retries = 1;
  o.http.total_timeout = absl::Milliseconds(300);
  o.http.max_response_bytes = 1000;
  GitHubClient gh = Client(o);
  std::vector<std::string> outputs = {gh.ToString()};
  for (const char* path : {"401", "403", "404", "422", "500", "429",
                           "ratelimit", "json", "hang", "big"}) {
    absl::StatusOr<GitHubResponse> r = gh.Get(path);
    ASSERT_FALSE(r.ok()) << path;
    outputs.push_back(std::string(r.status().message()));
    outputs.push_back(r.status().ToString());
  }
  GitHubClientOptions refused = o;
  refused.api_url =
      absl::StrCat("http://127.0.0.1:", HttpTestServer::UnusedPort());
  GitHubClient gh2 = Client(refused);
  absl::StatusOr<GitHubResponse> r = gh2.Get(absl::StrCat("x?t=", kToken));
  ASSERT_FALSE(r.ok());
  outputs.push_back(std::string(r.status().message()));
  outputs.insert(outputs.end(), log_.begin(), log_.end());
  // The echo reached the client (so redaction was needed) ...
  EXPECT_THAT(absl::StrJoin(outputs, "\n"), HasSubstr("bad: Bearer ***"));
  // ... and the token is nowhere.
  for (const std::string& out : outputs) {
    EXPECT_THAT(out, Not(HasSubstr(kToken)));
    EXPECT_THAT(out, Not(HasSubstr("TESTTOKEN")));
  }
}

TEST_F(GitHubClientTest, ToStringShowsWhetherATokenIsSetButNeverIt) {
  GitHubClient gh = Client();
  EXPECT_THAT(gh.ToString(),
              AllOf(HasSubstr("token=set"), HasSubstr(server_.Url()),
                    HasSubstr("source=live"), Not(HasSubstr(kToken))));
  EXPECT_EQ(gh.Redact(absl::StrCat("x ", kToken, " y")), "x *** y");
}

TEST_F(GitHubClientTest, ReadsTheTokenFromTheEnvironment) {
  server_.Script("/e", {{.body = "{}"}});
  ::setenv("GITHUB_TOKEN", "", 1);
  ::setenv("GH_TOKEN", "ghp_fromenv", 1);
  GitHubClientOptions o = Options();
  o.token.reset();
  GitHubClient gh = Client(o);
  ::unsetenv("GH_TOKEN");
  ::unsetenv("GITHUB_TOKEN");
  ASSERT_THAT(gh.Get("e"), IsOk());
  EXPECT_THAT(server_.RequestsTo("/e")[0].headers.Get("authorization"),
              Optional(std::string("Bearer ghp_fromenv")));
}

TEST_F(GitHubClientTest, ATokenWithALineBreakIsRefusedWithoutPrintingIt) {
  server_.Script("/e", {{.body = "{}"}});
  for (const char* token : {"ghp_SECRETabc\r\nX-Injected: 1", "ghp_SECRET\nabc",
                            "ghp_SECRET\x01"
                            "abc",
                            "ghp_SECRET\x7f"}) {
    GitHubClientOptions o = Options();
    o.token = token;
    absl::StatusOr<GitHubClient> gh = GitHubClient::Create(std::move(o));
    EXPECT_THAT(gh, StatusIs(absl::StatusCode::kInvalidArgument,
                             AllOf(HasSubstr("the token contains a control "
                                             "character"),
                                   Not(HasSubstr("SECRET")),
                                   Not(HasSubstr("Injected")))));
  }
  ::setenv("GITHUB_TOKEN", "ghp_SECRET\r\nX-Injected: 1", 1);
  GitHubClientOptions o = Options();
  o.token.reset();
  EXPECT_THAT(GitHubClient::Create(std::move(o)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("GITHUB_TOKEN contains a control "
                                       "character (byte 0x0d at position 11"),
                             Not(HasSubstr("SECRET")))));
  ::unsetenv("GITHUB_TOKEN");
  EXPECT_THAT(server_.requests(), IsEmpty());
}

TEST_F(GitHubClientTest, ATokenSavedWithCrlfLineEndingsIsTrimmed) {
  server_.Script("/e", {{.body = "{}"}});
  GitHubClientOptions o = Options();
  o.token = "  ghp_fromfile\r\n";
  GitHubClient gh = Client(o);
  ASSERT_THAT(gh.Get("e"), IsOk());
  EXPECT_THAT(server_.RequestsTo("/e")[0].headers.Get("authorization"),
              Optional(std::string("Bearer ghp_fromfile")));
}

// --- snapshots --------------------------------------------------------------

TEST_F(GitHubClientTest, RecordsALiveRunAndReplaysItOfflineUnderAnotherApiUrl) {
  const fs::path snap = TempDir("snap");
  server_.Script(
      "/repos/o/n/issues?state=all&per_page=100",
      {{.headers = {{"ETag", "\"i1\""},
                    {"Link",
                     absl::StrCat(
                         "<", server_.Url("/repos/o/n/issues"),
                         "?state=all&per_page=100&page=2>; rel=\"next\"")},
                    {"X-RateLimit-Remaining", "0"},
                    {"X-RateLimit-Reset", "1"}},
        .body = R"([{"number":1}])"}});
  server_.Script("/repos/o/n/issues?state=all&per_page=100&page=2",
                 {{.body = R"([{"number":2}])"}});
  GitHubClientOptions rec = Options();
  rec.record_dir = snap.string();
  GitHubClient recorder = Client(rec);
  EXPECT_THAT(recorder.source(), HasSubstr("record"));
  ASSERT_THAT(recorder.GetPages("repos/o/n/issues?state=all"), IsOk());
  std::vector<fs::path> files = FilesIn(snap);
  ASSERT_THAT(files, SizeIs(2));
  for (const fs::path& f : files) {
    const std::string text = ReadFile(f);
    EXPECT_THAT(text, Not(HasSubstr(kToken)));
    EXPECT_THAT(text, Not(HasSubstr("127.0.0.1")));  // links stored relative
    EXPECT_THAT(text, Not(HasSubstr("x-ratelimit")));
  }
  // The recorded request never carried conditional headers.
  for (const auto& r : server_.requests())
    EXPECT_FALSE(r.headers.Has("if-none-match"));

  server_.Stop();  // replay must not need the network
  GitHubClientOptions play;
  play.snapshot_dir = snap.string();
  play.api_url = "https://api.github.com";
  GitHubClient replay = Client(play);
  EXPECT_FALSE(replay.authenticated());
  absl::StatusOr<std::vector<GitHubResponse>> pages =
      replay.GetPages("repos/o/n/issues?state=all");
  ASSERT_THAT(pages, IsOk());
  ASSERT_THAT(*pages, SizeIs(2));
  EXPECT_EQ((*pages)[0].body, R"([{"number":1}])");
  EXPECT_EQ((*pages)[1].body, R"([{"number":2}])");
  EXPECT_THAT(replay.Get("repos/o/n/milestones?state=all"),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("no snapshot response for GET "
                                       "repos/o/n/milestones?state=all"),
                             HasSubstr(snap.string()))));
}

TEST_F(GitHubClientTest, ALocalWriteErrorWhileRecordingIsNotRetried) {
  const fs::path snap = TempDir("snap");
  // A directory where the response's file goes: the write fails locally
  // (as on a full disk), after the request was answered.
  fs::create_directories(snap /
                         SnapshotFileName("GET", "repos/o/n/milestones"));
  server_.Script("/repos/o/n/milestones", {{.body = "[]"}});
  GitHubClientOptions rec = Options();
  rec.record_dir = snap.string();
  GitHubClient gh = Client(rec);
  EXPECT_THAT(gh.Get("repos/o/n/milestones"),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("received, but not recorded"),
                             HasSubstr(snap.string()))));
  EXPECT_THAT(server_.requests(), SizeIs(1));  // not retried
  EXPECT_THAT(sleeps_, IsEmpty());
}

TEST_F(GitHubClientTest,
       ARecordDirectoryThatCannotBeUsedFailsBeforeAnyRequest) {
  const fs::path file = TempDir("rec") / "file";
  { std::ofstream(file) << "x"; }
  GitHubClientOptions rec = Options();
  rec.record_dir = file.string();
  EXPECT_THAT(
      GitHubClient::Create(rec),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr(absl::StrCat("record directory ", file.string(),
                                      " is not a directory"))));
  rec.record_dir = (file / "snap").string();
  EXPECT_THAT(GitHubClient::Create(rec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("cannot create record directory")));
  EXPECT_THAT(server_.requests(), IsEmpty());
}

TEST_F(GitHubClientTest, RecordingRedactsATokenTheServerEchoes) {
  const fs::path snap = TempDir("snap");
  const std::string page2 = absl::StrCat(
      "/repos/o/n/issues?state=all&per_page=100&access_token=", kToken,
      "&page=2");
  // Echoed in the ETag, a Link URL (which the next request then carries),
  // a JSON body, and the text body of a 401.
  server_.Script("/repos/o/n/issues?state=all&per_page=100",
                 {{.headers = {{"ETag", absl::StrCat("W/\"", kToken, "\"")},
                               {"Link", absl::StrCat("<", server_.Url(page2),
                                                     ">; rel=\"next\"")}},
                   .body = absl::StrCat(R"([{"number":1,"title":"Bearer )",
                                        kToken, R"("}])")}});
  server_.Script(
      page2,
      {{.status = 401,
        .headers = {{"Content-Type", "text/plain"}},
        .body = absl::StrCat("bad credentials: Bearer ", kToken, "\n")}});
  GitHubClientOptions rec = Options();
  rec.record_dir = snap.string();
  GitHubClient recorder = Client(rec);
  EXPECT_THAT(
      recorder.GetPages("repos/o/n/issues?state=all"),
      StatusIs(absl::StatusCode::kUnauthenticated, Not(HasSubstr(kToken))));
  std::vector<fs::path> files = FilesIn(snap);
  ASSERT_THAT(files, SizeIs(2));
  for (const fs::path& f : files) {
    EXPECT_THAT(f.filename().string(), Not(HasSubstr(kToken)));
    const std::string text = ReadFile(f);
    EXPECT_THAT(text, Not(HasSubstr(kToken)));
    EXPECT_THAT(text, HasSubstr("***"));
  }
  // The redacted snapshot replays the same way (the Link now names
  // access_token=***, and so does the recorded key).
  server_.Stop();
  GitHubClientOptions play;
  play.snapshot_dir = snap.string();
  play.api_url = "https://api.github.com";
  GitHubClient replay = Client(play);
  EXPECT_THAT(replay.GetPages("repos/o/n/issues?state=all"),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("bad credentials: Bearer ***")));
}

TEST_F(GitHubClientTest, ADeeplyNestedLiveResponseIsInvalidArgument) {
  const std::string deep =
      std::string(1000000, '[') + std::string(1000000, ']');
  server_.Script("/deep", {{.body = deep}});
  server_.Script("/deep404", {{.status = 404, .body = deep}});
  const fs::path snap = TempDir("snap");
  GitHubClientOptions rec = Options();
  rec.record_dir = snap.string();
  GitHubClient gh = Client(rec);
  EXPECT_THAT(gh.Get("deep"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(server_.Url("/deep")),
                             HasSubstr(":1:257: invalid JSON: nested deeper "
                                       "than 256 levels"))));
  EXPECT_THAT(server_.RequestsTo("/deep"), SizeIs(1));
  EXPECT_THAT(gh.Get("deep404"), StatusIs(absl::StatusCode::kNotFound));
  // Recorded as text (the snapshot file must stay within the limit), so the
  // replay fails exactly as the live run did.
  GitHubClientOptions play;
  play.snapshot_dir = snap.string();
  play.api_url = server_.Url();
  GitHubClient replay = Client(play);
  EXPECT_THAT(replay.Get("deep"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("nested deeper than 256 levels")));
}

TEST(SnapshotTest, KeysAreRelativeToTheApiBase) {
  EXPECT_EQ(SnapshotKey("https://api.github.com/repos/o/n?x=1",
                        "https://api.github.com"),
            "repos/o/n?x=1");
  EXPECT_EQ(SnapshotKey("https://ghe.corp/api/v3/repos/o/n",
                        "https://ghe.corp/api/v3/"),
            "repos/o/n");
  EXPECT_EQ(SnapshotKey("http://127.0.0.1:8080/repos/o/n#frag",
                        "https://api.github.com"),
            "repos/o/n");
}

TEST(SnapshotTest, WritesAndReadsEntriesAsPlainJson) {
  const fs::path dir = fs::path(::testing::TempDir()) / "relkit_snapshot_rw";
  fs::remove_all(dir);
  SnapshotEntry e{
      .key = "repos/o/n/milestones?state=all&per_page=100",
      .status = 200,
      .headers = {{"ETag", "\"x\""}, {"X-RateLimit-Remaining", "3"}},
      .body = R"([{"number":1,"title":"2.4.0"}])"};
  ASSERT_THAT(WriteSnapshotEntry(dir.string(), e), IsOk());
  std::vector<fs::path> files = FilesIn(dir);
  ASSERT_THAT(files, SizeIs(1));
  EXPECT_THAT(
      files[0].filename().string(),
      ::testing::StartsWith("repos_o_n_milestones_state=all_per_page=100."));
  const std::string text = ReadFile(files[0]);
  EXPECT_THAT(text,
              AllOf(HasSubstr("\"json\": ["), HasSubstr("\"title\": \"2.4.0\""),
                    Not(HasSubstr("RateLimit"))));
  absl::StatusOr<SnapshotEntry> back = ReadSnapshotEntry(
      dir.string(), "GET", "repos/o/n/milestones?state=all&per_page=100");
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->status, 200);
  EXPECT_EQ(back->body, R"([{"number":1,"title":"2.4.0"}])");
  EXPECT_THAT(back->headers.Get("etag"), Optional(std::string("\"x\"")));
}

TEST(SnapshotTest, MalformedSnapshotFileNamesTheFileAndPosition) {
  const fs::path dir = fs::path(::testing::TempDir()) / "relkit_snapshot_bad";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string name = SnapshotFileName("GET", "repos/o/n");
  {
    std::ofstream out(dir / name);
    out << "{\n  \"request\": \"GET repos/o/n\",\n  \"status\": 200,\n  "
           "oops\n}";
  }
  EXPECT_THAT(ReadSnapshotEntry(dir.string(), "GET", "repos/o/n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(name), HasSubstr(":4:"))));
  {
    std::ofstream out(dir / name, std::ios::trunc);
    out << R"({"request": "GET repos/x/y", "status": 200, "body": ""})";
  }
  EXPECT_THAT(ReadSnapshotEntry(dir.string(), "GET", "repos/o/n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("holds \"GET repos/x/y\"")));
}

TEST(SnapshotTest, MissingDirectoryIsNotFound) {
  EXPECT_THAT(SnapshotTransport::Open("/nonexistent/relkit/snap",
                                      "https://api.github.com"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("/nonexistent/relkit/snap")));
  EXPECT_THAT(
      GitHubClient::Create({.snapshot_dir = "/nonexistent/relkit/snap"}),
      StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(
      GitHubClient::Create({.snapshot_dir = "a", .record_dir = "b"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not both")));
}

TEST(SnapshotTest, AFileIsNotASnapshotDirectory) {
  const fs::path dir = fs::path(::testing::TempDir()) / "relkit_snapshot_file";
  fs::remove_all(dir);
  fs::create_directories(dir);
  { std::ofstream(dir / "snap") << "x"; }
  const std::string file = (dir / "snap").string();
  EXPECT_THAT(SnapshotTransport::Open(file, "https://api.github.com"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat("snapshot directory ", file,
                                              " is not a directory"))));
  EXPECT_THAT(GitHubClient::Create({.snapshot_dir = file}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not a directory")));
}

TEST(SnapshotTest, ADeeplyNestedSnapshotFileIsInvalidArgument) {
  const fs::path dir = fs::path(::testing::TempDir()) / "relkit_snapshot_deep";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string name = SnapshotFileName("GET", "repos/o/n");
  {
    std::ofstream out(dir / name);
    out << R"({"request": "GET repos/o/n", "status": 200, "json": )"
        << std::string(1000000, '[') << std::string(1000000, ']') << "}";
  }
  EXPECT_THAT(ReadSnapshotEntry(dir.string(), "GET", "repos/o/n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(name), HasSubstr(":1:"),
                             HasSubstr("nested deeper than 256 levels"))));
}

TEST(SnapshotTest, BodiesAtTheNestingLimitAreKeptAsText) {
  const fs::path dir = fs::path(::testing::TempDir()) / "relkit_snapshot_lim";
  fs::remove_all(dir);
  // The file adds a level: a body one level under the limit is stored as
  // JSON, one at the limit as text; both come back as the same bytes.
  for (int depth : {255, 256}) {
    const std::string body = std::string(depth, '[') + std::string(depth, ']');
    const std::string key = absl::StrCat("deep", depth);
    ASSERT_THAT(WriteSnapshotEntry(dir.string(), {.key = key, .body = body}),
                IsOk());
    EXPECT_THAT(ReadFile(dir / SnapshotFileName("GET", key)),
                HasSubstr(depth == 255 ? "\"json\"" : "\"body\""));
    absl::StatusOr<SnapshotEntry> back =
        ReadSnapshotEntry(dir.string(), "GET", key);
    ASSERT_THAT(back, IsOk());
    EXPECT_EQ(back->body, body);
  }
}

TEST(RateLimitPolicyTest, ParsesWaitAndFailAndNamesTheInputOtherwise) {
  EXPECT_THAT(ParseRateLimitPolicy("wait"),
              IsOkAndHolds(RateLimitPolicy::kWait));
  EXPECT_THAT(ParseRateLimitPolicy("fail"),
              IsOkAndHolds(RateLimitPolicy::kFailFast));
  EXPECT_THAT(ParseRateLimitPolicy("sometimes", "--rate-limit"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--rate-limit must be \"wait\" or \"fail\", got "
                       "\"sometimes\""));
  EXPECT_THAT(ParseRateLimitPolicy("Wait"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rate limit policy must be")));
}

// --- a fake transport for the retry arithmetic ------------------------------

class FailingTransport : public HttpTransport {
 public:
  absl::StatusOr<HttpResponse> Send(const HttpRequest&) override {
    ++calls;
    return absl::UnavailableError("connection reset");
  }
  int calls = 0;
};

TEST(GitHubRetryTest, BackoffDoublesUpToTheCapWithJitterInTheUpperHalf) {
  auto transport = std::make_unique<FailingTransport>();
  FailingTransport* fake = transport.get();
  std::vector<absl::Duration> sleeps;
  GitHubClientOptions o;
  o.api_url = "https://api.github.com";
  o.token = "";
  o.max_retries = 6;
  o.initial_backoff = absl::Seconds(1);
  o.max_backoff = absl::Seconds(8);
  o.sleep = [&](absl::Duration d) { sleeps.push_back(d); };
  double jitter = 0.0;
  o.random = [&] {
    const double j = jitter;
    jitter = jitter == 0.0 ? 0.999 : 0.0;
    return j;
  };
  absl::StatusOr<GitHubClient> gh =
      GitHubClient::Create(std::move(transport), std::move(o));
  ASSERT_THAT(gh, IsOk());
  EXPECT_THAT(gh->Get("x"), StatusIs(absl::StatusCode::kUnavailable,
                                     HasSubstr("after 7 attempts")));
  EXPECT_EQ(fake->calls, 7);
  ASSERT_THAT(sleeps, SizeIs(6));
  const absl::Duration caps[] = {absl::Seconds(1), absl::Seconds(2),
                                 absl::Seconds(4), absl::Seconds(8),
                                 absl::Seconds(8), absl::Seconds(8)};
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_GE(sleeps[i], caps[i] / 2) << i;
    EXPECT_LT(sleeps[i], caps[i]) << i;
  }
}

// --- pure helpers
// -------------------------------------------------------------

TEST(GitHubRepoTest, ParsesOwnerSlashName) {
  EXPECT_THAT(GitHubRepo::Parse("pytorch/pytorch"),
              IsOkAndHolds(AllOf(Field(&GitHubRepo::owner, "pytorch"),
                                 Field(&GitHubRepo::name, "pytorch"))));
  EXPECT_THAT(GitHubRepo::Parse("my-org/repo.name_2"), IsOk());
  EXPECT_THAT(
      GitHubRepo::Parse("pytorch"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"pytorch\"")));
  EXPECT_THAT(
      GitHubRepo::Parse("a/b/c"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("position 3")));
  EXPECT_THAT(GitHubRepo::Parse("/b"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      GitHubRepo::Parse("a b/c"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("position 1")));
}

TEST(GitHubRemoteTest, ParsesHttpsSshScpAndEnterpriseRemotes) {
  struct Case {
    const char* url;
    const char* host;
    const char* repo;
    const char* api;
  };
  const Case cases[] = {
      {"https://github.com/pytorch/pytorch", "github.com", "pytorch/pytorch",
       "https://api.github.com"},
      {"https://github.com/pytorch/pytorch.git", "github.com",
       "pytorch/pytorch", "https://api.github.com"},
      {"git@github.com:pytorch/pytorch.git", "github.com", "pytorch/pytorch",
       "https://api.github.com"},
      {"ssh://git@github.com:22/pytorch/vision.git/", "github.com",
       "pytorch/vision", "https://api.github.com"},
      {"git://github.com/pytorch/text", "github.com", "pytorch/text",
       "https://api.github.com"},
      {"https://x-access-token:ghp_zzz@GitHub.com/o/n.git", "github.com", "o/n",
       "https://api.github.com"},
      {"git@ghe.example.com:team/tool.git", "ghe.example.com", "team/tool",
       "https://ghe.example.com/api/v3"},
      {"  https://ghe.example.com/team/tool\n", "ghe.example.com", "team/tool",
       "https://ghe.example.com/api/v3"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<GitHubRemote> r = ParseGitHubRemoteUrl(c.url);
    ASSERT_THAT(r, IsOk()) << c.url;
    EXPECT_EQ(r->host, c.host) << c.url;
    EXPECT_EQ(r->repo.ToString(), c.repo) << c.url;
    EXPECT_EQ(r->ApiUrl(), c.api) << c.url;
  }
  EXPECT_THAT(ParseGitHubRemoteUrl("/home/me/pytorch"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/home/me/pytorch")));
  EXPECT_THAT(
      ParseGitHubRemoteUrl("https://github.com/pytorch"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("OWNER/NAME")));
  EXPECT_THAT(
      ParseGitHubRemoteUrl("https://user:secret@github.com/a/b/c"),
      StatusIs(absl::StatusCode::kInvalidArgument, Not(HasSubstr("secret"))));
}

TEST(GitHubRemoteTest, ParsesEveryRemoteFormGitAccepts) {
  struct Case {
    const char* url;
    const char* host;
    const char* repo;
  };
  const Case cases[] = {
      // https / http, with and without .git and trailing slashes.
      {"https://github.com/pytorch/pytorch", "github.com", "pytorch/pytorch"},
      {"https://github.com/pytorch/pytorch/", "github.com", "pytorch/pytorch"},
      {"https://github.com/pytorch/pytorch.git/", "github.com",
       "pytorch/pytorch"},
      {"https://github.com/pytorch/pytorch.git//", "github.com",
       "pytorch/pytorch"},
      {"http://github.com/pytorch/pytorch.git", "github.com",
       "pytorch/pytorch"},
      {"HTTPS://WWW.GitHub.com/PyTorch/PyTorch", "github.com",
       "PyTorch/PyTorch"},
      {"https://github.com/pytorch/pytorch.git?ref=main#readme", "github.com",
       "pytorch/pytorch"},
      {"https://oauth2:ghp_x@github.com:443/o/n.git", "github.com", "o/n"},
      // ssh:// with user, port, IPv6.
      {"ssh://git@github.com/pytorch/vision.git", "github.com",
       "pytorch/vision"},
      {"ssh://git@ghe.example.com:2222/team/tool.git", "ghe.example.com",
       "team/tool"},
      {"ssh://github.com/o/n", "github.com", "o/n"},
      {"ssh://git@[2001:db8::1]:22/o/n.git", "[2001:db8::1]", "o/n"},
      {"git+ssh://git@github.com/o/n.git", "github.com", "o/n"},
      {"git://github.com/pytorch/text.git", "github.com", "pytorch/text"},
      // scp-like: user optional, leading '/' in the path, ssh config aliases.
      {"git@github.com:pytorch/pytorch.git", "github.com", "pytorch/pytorch"},
      {"git@github.com:/pytorch/pytorch.git", "github.com", "pytorch/pytorch"},
      {"github.com:pytorch/pytorch", "github.com", "pytorch/pytorch"},
      {"org-12345@github.com:o/n.git", "github.com", "o/n"},
      {"git@github.com-work:me/dotfiles.git", "github.com-work", "me/dotfiles"},
      {"git@gh_alias:me/n", "gh_alias", "me/n"},
      {"git@[::1]:o/n.git", "[::1]", "o/n"},
      // GitHub Enterprise and local test servers.
      {"https://github.example.com/ml/torch-release.git", "github.example.com",
       "ml/torch-release"},
      {"http://127.0.0.1:8080/o/n.git", "127.0.0.1", "o/n"},
      // Names GitHub allows: dots, dashes, underscores, a leading dot.
      {"https://github.com/a-b_c.d/.github", "github.com", "a-b_c.d/.github"},
      {"https://github.com/o/n.git.git", "github.com", "o/n.git"},
      {"\t git@github.com:o/n.git \r\n", "github.com", "o/n"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<GitHubRemote> r = ParseGitHubRemoteUrl(c.url);
    ASSERT_THAT(r, IsOk()) << c.url;
    EXPECT_EQ(r->host, c.host) << c.url;
    EXPECT_EQ(r->repo.ToString(), c.repo) << c.url;
  }
}

TEST(GitHubRemoteTest, RejectsLocalPathsAndMalformedUrlsNamingThePosition) {
  struct Case {
    const char* url;
    const char* why;
    size_t position;
  };
  const Case cases[] = {
      {"", "empty URL", 0},
      {"   ", "empty URL", 0},  // positions count in the text as shown
      {"/srv/git/pytorch.git", "a local path", 0},
      {"../pytorch", "a local path", 0},
      {"./o/n", "a local path", 0},
      {"~/src/o/n", "a local path", 0},
      {"o/n", "a local path", 0},
      {"\\\\server\\share\\n.git", "a local path", 0},
      {"C:\\git\\o\\n", "a Windows drive path", 0},
      {"C:/git/o/n", "a Windows drive path", 0},
      {"file:///srv/git/o/n.git", "file:// URL", 0},
      {"FILE://localhost/o/n", "file:// URL", 0},
      {"pytorch", "neither a URL nor HOST:OWNER/NAME", 0},
      {"  git@github.com", "neither a URL nor HOST:OWNER/NAME", 0},
      {"https://github.com", "no path after the host", 18},
      {"https://github.com?x=1", "no path after the host", 18},
      {"https:///o/n", "no host", 8},
      {"git@:o/n", "no host", 4},
      {"https://github.com/pytorch", "no '/'", 26},
      {"https://github.com/pytorch/", "no '/'", 26},
      {"https://github.com/", "no OWNER/NAME path", 19},
      {"https://github.com/o/n/tree/main", "more than OWNER/NAME", 22},
      {"https://github.com//n", "no '/'", 21},
      {"https://github.com/o/", "no '/'", 20},
      {"git@github.com:o/", "no '/'", 16},
      {"https://github.com/o/n%20x", "unexpected character in OWNER/NAME", 22},
      {"https://github.com/o/n x", "unexpected character in OWNER/NAME", 22},
      {"https://github.com/o/..", "invalid repository name", 21},
      {"https://git hub.com/o/n", "unexpected character in the host", 11},
      {"https://github.com:22x/o/n", "the port is not a number", 21},
      {"https://[::1/o/n", "unclosed '['", 8},
      {"git@[::1/o/n", "unclosed '['", 4},
      {"git@[::1]/o/n", "expected ':' after the host", 9},
  };
  for (const Case& c : cases) {
    absl::StatusOr<GitHubRemote> r = ParseGitHubRemoteUrl(c.url);
    EXPECT_THAT(
        r,
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AllOf(HasSubstr(c.why),
                       HasSubstr(absl::StrCat("(position ", c.position, ")")))))
        << "\"" << c.url << "\"";
  }
  // The message names the URL (without credentials).
  EXPECT_THAT(ParseGitHubRemoteUrl("https://me:s3cret@ghe.example.com/o"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("\"https://***@ghe.example.com/o\""),
                             Not(HasSubstr("s3cret")))));
  EXPECT_THAT(ParseGitHubRemoteUrl("/srv/git/pytorch.git"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"/srv/git/pytorch.git\"")));
}

TEST(GitHubRemoteTest, RedactRemoteUrlHidesEveryPasswordAndOnlyThat) {
  EXPECT_EQ(RedactRemoteUrl("https://bot:s3cr#t@github.com/o/n.git"),
            "https://***@github.com/o/n.git");
  EXPECT_EQ(RedactRemoteUrl("https://bot:pa/ss?w@github.com/o/n"),
            "https://***@github.com/o/n");
  EXPECT_EQ(RedactRemoteUrl("bot:s3cret@github.com:o/n"), "***@github.com:o/n");
  // Nothing secret to hide: left as it is.
  EXPECT_EQ(RedactRemoteUrl("git@github.com:o/n.git"),
            "git@github.com:o/n.git");
  EXPECT_EQ(RedactRemoteUrl("https://github.com/o/n"),
            "https://github.com/o/n");
  EXPECT_EQ(RedactRemoteUrl("/srv/git/n.git"), "/srv/git/n.git");
}

TEST(GitHubRemoteTest, ErrorsNeverShowAPasswordWithSpecialCharacters) {
  // RedactUrl stops at the first '/', '?' or '#'; a password with one of
  // them unencoded must not leak into the message either.
  struct Case {
    const char* url;
    const char* shown;  // the URL as the message quotes it
    size_t position;    // into `shown`
  };
  const Case cases[] = {
      // '#': "no path after the host" at the '#', inside the credentials.
      {"https://bot:s3cr#t@github.com/o/n.git",
       "https://***@github.com/o/n.git", 8},
      {"https://bot:s3cr?t@github.com/o/n.git",
       "https://***@github.com/o/n.git", 8},
      // '/': the host is "bot", the port "s3cr" is not a number.
      {"https://bot:s3cr/t@github.com/o/n.git",
       "https://***@github.com/o/n.git", 8},
      {"ssh://git:pa/ss#wd@ghe.example.com:22/o/n",
       "ssh://***@ghe.example.com:22/o/n", 6},
      // scp-like: everything up to the last '@' (here the path's).
      {"bot:s3cr/t@github.com:o/n", "***@github.com:o/n", 16},
      {" git@github.com:o/n@v1.git", "***@v1.git", 3},
      // After the credentials: positions shift by what was removed.
      {"https://bot:s3cr#t@github.com/o/n/x", "https://***@github.com/o/n/x",
       8},
      {"https://u:pw@github.com/o/n/extra", "https://***@github.com/o/n/extra",
       26},
  };
  for (const Case& c : cases) {
    absl::StatusOr<GitHubRemote> r = ParseGitHubRemoteUrl(c.url);
    ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << c.url;
    const std::string message(r.status().message());
    EXPECT_THAT(message, HasSubstr(absl::StrCat("\"", c.shown, "\""))) << c.url;
    EXPECT_THAT(message, HasSubstr(absl::StrCat("(position ", c.position, ")")))
        << c.url;
    for (const char* secret : {"s3cr", "pa/ss", "wd@", "bot", "pw"}) {
      EXPECT_THAT(message, Not(HasSubstr(secret))) << c.url;
    }
  }
}

// Sets an environment variable for one scope; restores the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A real repository (libgit2) with the remotes `name=url` given.
class RemoteRepo {
 public:
  explicit RemoteRepo(
      std::initializer_list<std::pair<std::string, std::string>> remotes) {
    for (const auto& [name, url] : remotes) {
      ::relkit::testing::TempGitRepo::Shell(absl::StrCat(
          "git -C '", repo_.path(), "' remote add '", name, "' '", url, "'"));
    }
  }
  const std::string& path() const { return repo_.path(); }

 private:
  ::relkit::testing::TempGitRepo repo_;
};

TEST(ResolveGitHubRepoTest, FlagThenEnvironmentThenRemote) {
  RemoteRepo git({{"origin", "git@github.com:me/fork.git"}});
  ScopedEnv env("GITHUB_REPOSITORY", "ci/project");
  auto r = ResolveGitHubRepo({.github_repo = "o/n", .repo_path = git.path()});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "o/n");
  EXPECT_EQ(r->source, "--github-repo");

  r = ResolveGitHubRepo({.repo_path = git.path()});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "ci/project");
  EXPECT_EQ(r->source, "$GITHUB_REPOSITORY");

  r = ResolveGitHubRepo({.use_environment = false, .repo_path = git.path()});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "me/fork");
  EXPECT_EQ(r->source, absl::StrCat("remote \"origin\" of \"", git.path(),
                                    "\" (git@github.com:me/fork.git)"));

  ScopedEnv empty("GITHUB_REPOSITORY", "");
  r = ResolveGitHubRepo({.repo_path = git.path()});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "me/fork");
}

TEST(ResolveGitHubRepoTest, AnExplicitRemoteComesBeforeTheEnvironment) {
  // --github-repo, then an explicit --remote, then $GITHUB_REPOSITORY, then
  // the default remote.
  RemoteRepo git({{"origin", "git@github.com:me/fork.git"},
                  {"upstream", "https://github.com/pytorch/pytorch.git"}});
  ScopedEnv env("GITHUB_REPOSITORY", "ci/project");
  auto r = ResolveGitHubRepo({.repo_path = git.path(), .remote = "origin"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "me/fork");
  EXPECT_EQ(r->source, absl::StrCat("remote \"origin\" of \"", git.path(),
                                    "\" (git@github.com:me/fork.git)"));
  EXPECT_EQ(r->host, "github.com");
  r = ResolveGitHubRepo(
      {.github_repo = "o/n", .repo_path = git.path(), .remote = "origin"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "o/n");
  EXPECT_EQ(r->host, "");
  // Without --remote the environment still beats upstream.
  r = ResolveGitHubRepo({.repo_path = git.path()});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "ci/project");
  EXPECT_EQ(r->host, "");
  // An explicit remote that gives no repository is an error, not a reason
  // to fall back to $GITHUB_REPOSITORY.
  EXPECT_THAT(
      ResolveGitHubRepo({.repo_path = git.path(), .remote = "mirror"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("no GitHub repository: --github-repo not "
                               "given; \""),
                     HasSubstr("has no remote \"mirror\""),
                     Not(HasSubstr("GITHUB_REPOSITORY")))));
}

TEST(ResolveGitHubRepoTest, KnowsWhichHostsAreGitHubCom) {
  for (const char* host : {"github.com", "www.github.com", "ssh.github.com",
                           "GitHub.com", "github.com-work", "github.com_me"}) {
    EXPECT_TRUE(IsGitHubComHost(host)) << host;
    EXPECT_EQ((GitHubRemote{host, {"o", "n"}}.ApiUrl()), kGitHubApiUrl) << host;
  }
  for (const char* host : {"github.company.com", "ghe.corp.example",
                           "gitlab.com", "notgithub.com", "github.co", ""}) {
    EXPECT_FALSE(IsGitHubComHost(host)) << host;
  }
}

TEST(ResolveGitHubRepoTest, ARemoteOnAnotherHostNeedsAnApiUrl) {
  ScopedEnv env("GITHUB_REPOSITORY", nullptr);
  ScopedEnv api("GITHUB_API_URL", nullptr);
  RemoteRepo git({{"upstream", "git@ghe.corp.example:ml/torch.git"},
                  {"lab", "https://gitlab.com/g/p.git"},
                  {"tok", "https://bot:s3cret@ghe.corp.example/ml/torch"},
                  {"ssh", "ssh://git@ssh.github.com:443/o/n.git"},
                  {"alias", "git@github.com-work:o/n.git"},
                  {"www", "https://www.github.com/o/n"}});
  EXPECT_THAT(
      ResolveGitHubRepo({.repo_path = git.path()}),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          AllOf(HasSubstr(absl::StrCat("remote \"upstream\" of \"", git.path(),
                                       "\" (git@ghe.corp.example:ml/torch.git) "
                                       "is on host \"ghe.corp.example\"")),
                HasSubstr("neither --api-url nor $GITHUB_API_URL is set"),
                HasSubstr("--api-url https://ghe.corp.example/api/v3 (GitHub "
                          "Enterprise) or --github-repo OWNER/NAME"))));
  EXPECT_THAT(
      ResolveGitHubRepo({.repo_path = git.path(), .remote = "lab"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("remote \"lab\""),
                     HasSubstr("(https://gitlab.com/g/p.git)"),
                     HasSubstr("host \"gitlab.com\""),
                     HasSubstr("--api-url https://gitlab.com/api/v3"))));
  absl::StatusOr<ResolvedGitHubRepo> r =
      ResolveGitHubRepo({.repo_path = git.path(), .remote = "tok"});
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument,
                          AllOf(HasSubstr("(https://***@ghe.corp.example/"
                                          "ml/torch)"),
                                Not(HasSubstr("s3cret")))));
  // github.com in its other spellings needs nothing.
  for (const char* remote : {"ssh", "alias", "www"}) {
    r = ResolveGitHubRepo({.repo_path = git.path(), .remote = remote});
    ASSERT_THAT(r, IsOk()) << remote;
    EXPECT_EQ(r->repo.ToString(), "o/n");
  }
  // --api-url, or $GITHUB_API_URL, says the caller knows where to ask.
  r = ResolveGitHubRepo(
      {.repo_path = git.path(), .api_url = "https://ghe.corp.example/api/v3"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "ml/torch");
  EXPECT_EQ(r->host, "ghe.corp.example");
  {
    ScopedEnv set("GITHUB_API_URL", "https://ghe.corp.example/api/v3");
    r = ResolveGitHubRepo({.repo_path = git.path()});
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->host, "ghe.corp.example");
  }
  // --github-repo and $GITHUB_REPOSITORY name no host: nothing to check.
  EXPECT_THAT(
      ResolveGitHubRepo({.github_repo = "o/n", .repo_path = git.path()}),
      IsOk());
  ScopedEnv ci("GITHUB_REPOSITORY", "o/n");
  EXPECT_THAT(ResolveGitHubRepo({.repo_path = git.path()}), IsOk());
}

TEST(ResolveGitHubRepoTest, MalformedValuesAreErrorsNotSkipped) {
  RemoteRepo git({{"origin", "https://github.com/me/fork"}});
  ScopedEnv env("GITHUB_REPOSITORY", "not-a-repo");
  EXPECT_THAT(ResolveGitHubRepo({.github_repo = "o", .repo_path = git.path()}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid repository \"o\"")));
  EXPECT_THAT(ResolveGitHubRepo({.repo_path = git.path()}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("$GITHUB_REPOSITORY"),
                             HasSubstr("\"not-a-repo\""))));
}

TEST(ResolveGitHubRepoTest, UpstreamBeforeOriginUnlessARemoteIsNamed) {
  ScopedEnv env("GITHUB_REPOSITORY", nullptr);
  RemoteRepo git({{"origin", "git@github.com:me/pytorch.git"},
                  {"upstream", "https://github.com/pytorch/pytorch.git"},
                  {"ghe", "ssh://git@ghe.example.com:2222/ml/torch.git"}});
  EXPECT_THAT(ResolveGitHubRepo({.repo_path = git.path()}),
              IsOkAndHolds(Field(&ResolvedGitHubRepo::repo,
                                 Eq(*GitHubRepo::Parse("pytorch/pytorch")))));
  EXPECT_THAT(ResolveGitHubRepo({.repo_path = git.path(), .remote = "origin"}),
              IsOkAndHolds(Field(&ResolvedGitHubRepo::repo,
                                 Eq(*GitHubRepo::Parse("me/pytorch")))));
  auto r = ResolveGitHubRepo({.repo_path = git.path(),
                              .remote = "ghe",
                              .api_url = "https://ghe.example.com/api/v3"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "ml/torch");
  EXPECT_EQ(r->host, "ghe.example.com");
  EXPECT_THAT(r->source, HasSubstr("remote \"ghe\""));

  RemoteRepo only_origin({{"origin", "https://github.com/o/n"}});
  EXPECT_THAT(ResolveGitHubRepo({.repo_path = only_origin.path()}),
              IsOkAndHolds(Field(&ResolvedGitHubRepo::repo,
                                 Eq(*GitHubRepo::Parse("o/n")))));
}

TEST(ResolveGitHubRepoTest, CredentialsInTheRemoteUrlAreNotInTheSource) {
  ScopedEnv env("GITHUB_REPOSITORY", nullptr);
  RemoteRepo git(
      {{"origin", "https://x-access-token:ghs_secret@github.com/o/n"}});
  auto r = ResolveGitHubRepo({.repo_path = git.path()});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->repo.ToString(), "o/n");
  EXPECT_THAT(r->source, Not(HasSubstr("ghs_secret")));
}

TEST(ResolveGitHubRepoTest, ErrorSaysExactlyWhatWasTried) {
  ScopedEnv env("GITHUB_REPOSITORY", nullptr);
  // No remotes at all.
  RemoteRepo none({});
  EXPECT_THAT(
      ResolveGitHubRepo({.repo_path = none.path()}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("no GitHub repository: --github-repo not given; "
                               "--remote not given; $GITHUB_REPOSITORY not "
                               "set; "),
                     HasSubstr(absl::StrCat(
                         "\"", none.path(),
                         "\" has neither an \"upstream\" nor an \"origin\" "
                         "remote (it has no remotes)")),
                     HasSubstr("pass --github-repo OWNER/NAME or --remote "
                               "NAME"))));
  // Other remotes only; a named remote that is missing.
  RemoteRepo other(
      {{"fork", "git@github.com:me/n.git"}, {"mirror", "/srv/mirror.git"}});
  EXPECT_THAT(ResolveGitHubRepo({.repo_path = other.path()}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("(its remotes: fork, mirror)")));
  EXPECT_THAT(
      ResolveGitHubRepo({.repo_path = other.path(), .remote = "upstream"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr(absl::StrCat("\"", other.path(),
                                            "\" has no remote \"upstream\" "
                                            "(its remotes: fork, mirror)")),
                     Not(HasSubstr("--remote NAME")))));
  // The remote is a local mirror: its URL names no OWNER/NAME.
  EXPECT_THAT(
      ResolveGitHubRepo({.repo_path = other.path(), .remote = "mirror"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("remote \"mirror\" of "),
                     HasSubstr("\"/srv/mirror.git\": a local path, not a URL "
                               "(position 0)"))));
  // Not a repository; no repository at all.
  ::relkit::testing::TempDir empty;
  EXPECT_THAT(ResolveGitHubRepo({.repo_path = empty.path()}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("$GITHUB_REPOSITORY not set"),
                             HasSubstr("is not in a git repository"))));
  EXPECT_THAT(ResolveGitHubRepo({}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("no local git repository given"),
                             Not(HasSubstr("--remote NAME")))));
  // use_environment = false leaves $GITHUB_REPOSITORY out of the message.
  EXPECT_THAT(ResolveGitHubRepo({.use_environment = false}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Not(HasSubstr("GITHUB_REPOSITORY"))));
}

TEST(LinkHeaderTest, FindsNextAmongSeveralRelations) {
  EXPECT_THAT(
      NextPageUrl(
          R"(<https://a/x?page=2>; rel="next", <https://a/x?page=5>; rel="last")"),
      Optional(std::string("https://a/x?page=2")));
  EXPECT_THAT(
      NextPageUrl(
          R"(<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next")"),
      Optional(std::string("https://a/x?page=3")));
  EXPECT_THAT(NextPageUrl(R"(<https://a/x?page=3>;rel=next)"),
              Optional(std::string("https://a/x?page=3")));
  EXPECT_THAT(
      NextPageUrl(R"(<https://a/x?a=1,2>; title="a, b"; rel="last next")"),
      Optional(std::string("https://a/x?a=1,2")));
  EXPECT_EQ(NextPageUrl(R"(<https://a/x?page=1>; rel="first")"), std::nullopt);
  EXPECT_EQ(NextPageUrl(""), std::nullopt);
  EXPECT_EQ(NextPageUrl("<unterminated; rel=next"), std::nullopt);
}

TEST(LinkHeaderTest, FindsTheLastPageNumber) {
  EXPECT_THAT(
      LastPageNumber(
          R"(<https://a/x?s=1&page=2>; rel="next", <https://a/x?s=1&page=5>; rel="last")"),
      Optional(5));
  EXPECT_THAT(LastPageNumber(R"(<https://a/x?page=12&per_page=100>;rel=last)"),
              Optional(12));
  EXPECT_EQ(LastPageNumber(R"(<https://a/x?page=2>; rel="next")"),
            std::nullopt);
  EXPECT_EQ(LastPageNumber(R"(<https://a/x>; rel="last")"), std::nullopt);
  EXPECT_EQ(LastPageNumber(R"(<https://a/x?page=0>; rel="last")"),
            std::nullopt);
  EXPECT_EQ(LastPageNumber(R"(<https://a/x?subpage=3>; rel="last")"),
            std::nullopt);
  EXPECT_EQ(LastPageNumber(""), std::nullopt);
}

TEST(ApiUrlTest, OptionThenEnvironmentThenDefault) {
  ::unsetenv("GITHUB_API_URL");
  EXPECT_THAT(ResolveGitHubApiUrl(""),
              IsOkAndHolds(Eq("https://api.github.com")));
  ::setenv("GITHUB_API_URL", "https://ghe.corp/api/v3/", 1);
  EXPECT_THAT(ResolveGitHubApiUrl(""),
              IsOkAndHolds(Eq("https://ghe.corp/api/v3")));
  EXPECT_THAT(ResolveGitHubApiUrl("http://127.0.0.1:9/"),
              IsOkAndHolds(Eq("http://127.0.0.1:9")));
  ::setenv("GITHUB_API_URL", "ftp://x", 1);
  EXPECT_THAT(ResolveGitHubApiUrl(""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("GITHUB_API_URL")));
  ::unsetenv("GITHUB_API_URL");
}

}  // namespace
}  // namespace relkit
