// Tests of relkit/index_fetch.h against a real HTTP/1.1 server on 127.0.0.1
// (tests/testing/http_server.h) and real files.

#include "relkit/index_fetch.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/http.h"
#include "testing/http_server.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::HttpTestServer;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Optional;

constexpr absl::string_view kPage =
    "<html><body>\n"
    "<a href=\"torch-2.4.0-cp312-none-macosx_11_0_arm64.whl\">"
    "torch-2.4.0-cp312-none-macosx_11_0_arm64.whl</a>\n"
    "</body></html>\n";

TEST(FetchIndexPageTest, GetsThePageAskingForHtmlThenJson) {
  HttpTestServer server;
  server.Script("/whl/torch/", {{.body = std::string(kPage)}});
  EXPECT_THAT(FetchIndexPage(server.Url("/whl/torch/")),
              IsOkAndHolds(std::string(kPage)));
  auto seen = server.RequestsTo("/whl/torch/");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_THAT(seen[0].headers.Get("accept"),
              Optional(std::string(kIndexPageAccept)));
  EXPECT_EQ(kIndexPageAccept,
            "text/html, application/vnd.pypi.simple.v1+json;q=0.9");
}

TEST(FetchIndexPageTest, FollowsRedirects) {
  HttpTestServer server;
  server.Script("/whl/torch",
                {{.status = 301, .headers = {{"Location", "/whl/torch/"}}}});
  server.Script("/whl/torch/", {{.body = std::string(kPage)}});
  EXPECT_THAT(FetchIndexPage(server.Url("/whl/torch")),
              IsOkAndHolds(std::string(kPage)));
}

TEST(FetchIndexPageTest, HttpErrorsNameTheUrlAndMapToCodes) {
  HttpTestServer server;
  server.Script("/down/", {{.status = 503, .body = "maintenance"}});
  EXPECT_THAT(
      FetchIndexPage(server.Url("/nope/")),
      StatusIs(absl::StatusCode::kNotFound,
               AllOf(HasSubstr(server.Url("/nope/")), HasSubstr("HTTP 404"))));
  EXPECT_THAT(FetchIndexPage(server.Url("/down/")),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr(server.Url("/down/")),
                             HasSubstr("maintenance"))));
  const std::string refused = absl::StrCat(
      "http://127.0.0.1:", HttpTestServer::UnusedPort(), "/whl/torch/");
  EXPECT_THAT(FetchIndexPage(refused),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr(refused)));
}

TEST(FetchIndexPageTest, CapsTheResponseAt512MiBByDefault) {
  EXPECT_EQ(IndexFetchOptions{}.http.max_response_bytes, size_t{512} << 20);
  HttpTestServer server;
  server.Script("/whl/torch/", {{.body = std::string(kPage)}});
  IndexFetchOptions small;
  small.http.max_response_bytes = 16;
  EXPECT_THAT(FetchIndexPage(server.Url("/whl/torch/"), small),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(FetchIndexPageTest, UsesTheGivenTransportAndItsConnection) {
  HttpTestServer server;
  server.Script("/a/", {{.body = "a"}});
  server.Script("/b/", {{.body = "b"}});
  absl::StatusOr<std::unique_ptr<CurlTransport>> http = CurlTransport::Create();
  ASSERT_THAT(http, IsOk());
  IndexFetchOptions options{.transport = http->get()};
  EXPECT_THAT(FetchIndexPage(server.Url("/a/"), options), IsOkAndHolds("a"));
  EXPECT_THAT(FetchIndexPage(server.Url("/b/"), options), IsOkAndHolds("b"));
  EXPECT_EQ(server.connections(), 1);
}

TEST(FetchIndexPageTest, ReadsAnythingElseAsAFile) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "index_fetch_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "torch.html").string();
  std::ofstream(path, std::ios::binary) << kPage;
  EXPECT_THAT(FetchIndexPage(path), IsOkAndHolds(std::string(kPage)));
  EXPECT_THAT(FetchIndexPage((dir / "nope.html").string()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.html")));
  // Only lower-case http:// and https:// are URLs (as the CLI always had it).
  EXPECT_THAT(FetchIndexPage("HTTP://127.0.0.1:9/x"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(FetchIndexPageTest, ReadsAFileUrlAsItsPath) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "index_fetch_file_url";
  std::filesystem::create_directories(dir);
  const std::string path =
      std::filesystem::absolute(dir / "torch.html").string();
  std::ofstream(path, std::ios::binary) << kPage;
  EXPECT_EQ(IndexPageFilePath("file://" + path), path);
  EXPECT_EQ(IndexPageFilePath("file://rel/x.html"), "rel/x.html");
  EXPECT_EQ(IndexPageFilePath(path), path);
  EXPECT_EQ(IndexPageFilePath("https://d.example/x/"), "https://d.example/x/");
  EXPECT_THAT(FetchIndexPage("file://" + path),
              IsOkAndHolds(std::string(kPage)));
  // A missing one is NotFound naming the path, as for a plain path.
  EXPECT_THAT(
      FetchIndexPage("file://" + path + ".gone"),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("torch.html.gone")));
}

}  // namespace
}  // namespace relkit
