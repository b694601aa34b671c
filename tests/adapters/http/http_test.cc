// Tests of relkit/http.h against a real HTTP/1.1 server on 127.0.0.1
// (tests/testing/http_server.h): keep-alive, gzip, redirects, timeouts,
// truncated and oversized bodies, refused connections.

#include "relkit/http.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/http_server.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::HttpTestServer;
using ::relkit::testing::IsOk;
using ::relkit::testing::ScriptedResponse;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;

std::unique_ptr<CurlTransport> MakeTransport(
    CurlTransportOptions options = {}) {
  absl::StatusOr<std::unique_ptr<CurlTransport>> t =
      CurlTransport::Create(std::move(options));
  EXPECT_THAT(t, IsOk());
  return std::move(t).value();
}

HttpRequest Get(const std::string& url) {
  HttpRequest r;
  r.url = url;
  return r;
}

TEST(HttpHeadersTest, LooksUpNamesCaseInsensitivelyAndKeepsRepeats) {
  HttpHeaders h;
  h.Add("ETag", "\"a\"");
  h.Add("Link", "<x>; rel=\"next\"");
  h.Add("link", "<y>; rel=\"last\"");
  EXPECT_THAT(h.Get("etag"), Optional(std::string("\"a\"")));
  EXPECT_THAT(h.GetAll("LINK"),
              ElementsAre("<x>; rel=\"next\"", "<y>; rel=\"last\""));
  EXPECT_FALSE(h.Has("retry-after"));
  h.Set("LINK", "z");
  EXPECT_THAT(h.GetAll("link"), ElementsAre("z"));
  h.Remove("Etag");
  EXPECT_FALSE(h.Has("ETAG"));
}

TEST(HttpStatusTest, MapsStatusesToTheStyleGuideCodes) {
  EXPECT_EQ(HttpStatusToCode(200), absl::StatusCode::kOk);
  EXPECT_EQ(HttpStatusToCode(304), absl::StatusCode::kOk);
  EXPECT_EQ(HttpStatusToCode(401), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(HttpStatusToCode(403), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(HttpStatusToCode(404), absl::StatusCode::kNotFound);
  EXPECT_EQ(HttpStatusToCode(422), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpStatusToCode(429), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(HttpStatusToCode(500), absl::StatusCode::kUnavailable);
  EXPECT_EQ(HttpStatusToCode(503), absl::StatusCode::kUnavailable);
}

TEST(HttpStatusTest, ErrorNamesMethodUrlStatusAndBodyWithoutCredentials) {
  HttpRequest request = Get("https://user:sekrit@example.com/a?b=1");
  HttpResponse response{.status = 404, .body = R"({"message":"Not Found"})"};
  absl::Status s = HttpStatusToError(request, response);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kNotFound,
                          AllOf(HasSubstr("GET https://***@example.com/a?b=1"),
                                HasSubstr("HTTP 404"), HasSubstr("Not Found"),
                                Not(HasSubstr("sekrit")))));
  EXPECT_THAT(HttpStatusToError(request, HttpResponse{.status = 304}), IsOk());
}

TEST(RedactUrlTest, RemovesUserInfoOnly) {
  EXPECT_EQ(RedactUrl("https://x-access-token:ghp_abc@github.com/o/n.git"),
            "https://***@github.com/o/n.git");
  EXPECT_EQ(RedactUrl("https://github.com/o/n?q=a@b"),
            "https://github.com/o/n?q=a@b");
  EXPECT_EQ(RedactUrl("git@github.com:o/n.git"), "git@github.com:o/n.git");
}

TEST(CurlTransportTest, ReturnsStatusHeadersAndBody) {
  HttpTestServer server;
  server.Script(
      "/hello",
      {{.status = 200,
        .headers = {{"ETag", "\"v1\""}, {"X-RateLimit-Remaining", "42"}},
        .body = "[1,2,3]"}});
  auto http = MakeTransport();
  absl::StatusOr<HttpResponse> r = http->Send(Get(server.Url("/hello")));
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "[1,2,3]");
  EXPECT_THAT(r->headers.Get("etag"), Optional(std::string("\"v1\"")));
  EXPECT_THAT(r->headers.Get("x-ratelimit-remaining"),
              Optional(std::string("42")));
  EXPECT_EQ(r->url, server.Url("/hello"));
}

TEST(CurlTransportTest, SendsMethodHeadersAndBody) {
  HttpTestServer server;
  server.Script("/post", {{.status = 201, .body = "{}"}});
  auto http = MakeTransport({.user_agent = "relkit-test"});
  HttpRequest request{
      .method = "POST", .url = server.Url("/post"), .body = "{\"a\":1}"};
  request.headers.Set("Accept", "application/vnd.github+json");
  ASSERT_THAT(http->Send(request), IsOk());
  auto seen = server.RequestsTo("/post");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, "{\"a\":1}");
  EXPECT_THAT(seen[0].headers.Get("accept"),
              Optional(std::string("application/vnd.github+json")));
  EXPECT_THAT(seen[0].headers.Get("user-agent"),
              Optional(std::string("relkit-test")));
  EXPECT_FALSE(seen[0].headers.Has("expect"));
}

TEST(CurlTransportTest, ReusesOneConnectionForSequentialRequests) {
  HttpTestServer server;
  server.Script("/a", {{.body = "a"}});
  server.Script("/b", {{.body = "b"}});
  auto http = MakeTransport();
  ASSERT_THAT(http->Send(Get(server.Url("/a"))), IsOk());
  ASSERT_THAT(http->Send(Get(server.Url("/b"))), IsOk());
  ASSERT_THAT(http->Send(Get(server.Url("/a"))), IsOk());
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(CurlTransportTest, AdvertisesAndDecodesGzip) {
  HttpTestServer server;
  const std::string json = R"([{"number":1,"title":"2.4.0"}])";
  server.Script("/gz", {{.headers = {{"Content-Encoding", "gzip"}},
                         .body = testing::GzipStored(json)}});
  auto http = MakeTransport();
  absl::StatusOr<HttpResponse> r = http->Send(Get(server.Url("/gz")));
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->body, json);
  auto seen = server.RequestsTo("/gz");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_THAT(seen[0].headers.Get("accept-encoding"),
              Optional(HasSubstr("gzip")));
}

TEST(CurlTransportTest, ReturnsServerErrorsAsResponses) {
  HttpTestServer server;
  server.Script("/boom", {{.status = 502, .body = "bad gateway"}});
  auto http = MakeTransport();
  HttpRequest request = Get(server.Url("/boom"));
  absl::StatusOr<HttpResponse> r = http->Send(request);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, 502);
  EXPECT_THAT(HttpStatusToError(request, *r),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("HTTP 502")));
}

TEST(CurlTransportTest, FollowsASameHostRedirectKeepingHeaders) {
  HttpTestServer server;
  server.Script(
      "/repos/old/name",
      {{.status = 301, .headers = {{"Location", "/repos/new/name"}}}});
  server.Script("/repos/new/name", {{.body = R"({"full_name":"new/name"})"}});
  auto http = MakeTransport();
  HttpRequest request = Get(server.Url("/repos/old/name"));
  request.headers.Set("Authorization", "Bearer tok123");
  absl::StatusOr<HttpResponse> r = http->Send(request);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"full_name":"new/name"})");
  EXPECT_EQ(r->url, server.Url("/repos/new/name"));
  auto seen = server.RequestsTo("/repos/new/name");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_THAT(seen[0].headers.Get("authorization"),
              Optional(std::string("Bearer tok123")));
}

TEST(CurlTransportTest, DropsAuthorizationOnARedirectToAnotherHost) {
  HttpTestServer server;
  server.Script(
      "/start",
      {{.status = 302,
        .headers = {{"Location", absl::StrCat("http://localhost:",
                                              server.port(), "/elsewhere")}}}});
  server.Script("/elsewhere", {{.body = "ok"}});
  auto http = MakeTransport();
  HttpRequest request = Get(server.Url("/start"));
  request.headers.Set("Authorization", "Bearer tok123");
  absl::StatusOr<HttpResponse> r = http->Send(request);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->body, "ok");
  auto seen = server.RequestsTo("/elsewhere");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].headers.Has("authorization"));
}

TEST(CurlTransportTest, RedirectLoopIsUnavailableNamingTheLimit) {
  HttpTestServer server;
  server.Script("/loop", {{.status = 302, .headers = {{"Location", "/loop"}}}});
  auto http = MakeTransport({.max_redirects = 3});
  EXPECT_THAT(
      http->Send(Get(server.Url("/loop"))),
      StatusIs(absl::StatusCode::kUnavailable,
               AllOf(HasSubstr("/loop"), HasSubstr("more than 3 redirects"))));
}

TEST(CurlTransportTest, ResponseSlowerThanTheTimeoutIsDeadlineExceeded) {
  HttpTestServer server;  // hangs until stopped: no race with the timeout
  server.Script("/slow", {{.fault = ScriptedResponse::Fault::kHang}});
  auto http = MakeTransport({.total_timeout = absl::Milliseconds(300)});
  EXPECT_THAT(http->Send(Get(server.Url("/slow"))),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       AllOf(HasSubstr("GET " + server.Url("/slow")),
                             HasSubstr("timed out"))));
}

TEST(CurlTransportTest, TruncatedBodyIsUnavailable) {
  HttpTestServer server;
  server.Script("/cut", {{.body = std::string(1000, 'x'),
                          .fault = ScriptedResponse::Fault::kTruncate,
                          .truncate_at = 400}});
  auto http = MakeTransport();
  EXPECT_THAT(http->Send(Get(server.Url("/cut"))),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("/cut"), HasSubstr("truncated"))));
}

TEST(CurlTransportTest, OversizedBodyWithLengthIsResourceExhausted) {
  HttpTestServer server;
  server.Script("/big", {{.body = std::string(5000, 'x')}});
  auto http = MakeTransport({.max_response_bytes = 1000});
  EXPECT_THAT(http->Send(Get(server.Url("/big"))),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr(server.Url("/big")),
                             HasSubstr("limit of 1000 bytes"))));
}

TEST(CurlTransportTest, OversizedBodyWithoutLengthIsResourceExhausted) {
  HttpTestServer server;
  server.Script("/stream",
                {{.body = std::string(100000, 'x'),
                  .fault = ScriptedResponse::Fault::kCloseDelimited}});
  auto http = MakeTransport({.max_response_bytes = 1000});
  EXPECT_THAT(http->Send(Get(server.Url("/stream"))),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("limit of 1000 bytes")));
  // The same body fits under a larger cap.
  auto roomy = MakeTransport({.max_response_bytes = 200000});
  absl::StatusOr<HttpResponse> r = roomy->Send(Get(server.Url("/stream")));
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->body.size(), 100000u);
}

TEST(CurlTransportTest, RefusedConnectionIsUnavailable) {
  const std::string url =
      absl::StrCat("http://127.0.0.1:", HttpTestServer::UnusedPort(), "/x");
  auto http = MakeTransport();
  EXPECT_THAT(
      http->Send(Get(url)),
      StatusIs(absl::StatusCode::kUnavailable,
               AllOf(HasSubstr("GET " + url), HasSubstr("cannot connect"))));
}

TEST(CurlTransportTest, RejectsNonHttpUrls) {
  auto http = MakeTransport();
  EXPECT_THAT(http->Send(Get("file:///etc/passwd")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not an http:// or https:// URL")));
}

TEST(CurlTransportTest, ErrorsNeverContainRequestHeaders) {
  const std::string url =
      absl::StrCat("http://127.0.0.1:", HttpTestServer::UnusedPort(), "/x");
  auto http = MakeTransport();
  HttpRequest request = Get(url);
  request.headers.Set("Authorization", "Bearer ghp_supersecret");
  absl::StatusOr<HttpResponse> r = http->Send(request);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), Not(HasSubstr("supersecret")));
}

TEST(CurlTransportTest, RefusesALineBreakInAHeaderWithoutSendingOrQuotingIt) {
  HttpTestServer server;
  server.Script("/x", {{.body = "ok"}});
  auto http = MakeTransport();
  for (const char* value : {"Bearer ghp_secret\r\nX-Injected: 1",
                            "Bearer ghp_secret\nX-Injected: 1"}) {
    HttpRequest request = Get(server.Url("/x"));
    request.headers.Set("Authorization", value);
    EXPECT_THAT(http->Send(request),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("request header \"Authorization\""),
                               Not(HasSubstr("ghp_secret")))));
  }
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace relkit
