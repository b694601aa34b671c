#include "relkit/pypi_client.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/wheel_metadata.h"
#include "testing/http_server.h"

namespace relkit {
namespace {

using ::relkit::testing::HttpTestServer;
using ::relkit::testing::ScriptedResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

constexpr char kToken[] = "pypi-Test-Token-Never-Printed-123";

constexpr char kPage[] = R"({
  "meta": {"api-version": "1.1"},
  "name": "tiny-pkg",
  "files": [
    {"filename": "tiny_pkg-1.0.0-py3-none-any.whl", "url": "x.whl",
     "hashes": {"sha256": "AB12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12"},
     "size": 1656},
    {"filename": "tiny_pkg-1.0.0.tar.gz", "url": "x.tar.gz", "hashes": {}}
  ]
})";

std::string TempWheel(absl::string_view name, absl::string_view bytes) {
  std::string dir = ::testing::TempDir();
  std::string path = absl::StrCat(dir, "/", getpid(), "-", name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

PypiClientOptions Options(const HttpTestServer& server) {
  return {.repository_url = server.Url("/legacy/"),
          .index_url = server.Url("/simple/"),
          .token = kToken,
          .initial_backoff = absl::Milliseconds(1),
          .max_backoff = absl::Milliseconds(2)};
}

PypiUploadForm Form(const std::string& sha256) {
  return {.filename = "tiny_pkg-1.0.0-py3-none-any.whl",
          .project = "tiny-pkg",
          .sha256 = sha256,
          .fields = {{"name", "tiny-pkg"}, {":action", "file_upload"}}};
}

std::string PageWith(const std::string& sha256) {
  return absl::StrCat(
      R"({"meta": {"api-version": "1.0"}, "name": "tiny-pkg", "files": [)",
      R"({"filename": "tiny_pkg-1.0.0-py3-none-any.whl", "url": "x",)",
      R"( "hashes": {"sha256": ")", sha256, R"("}}]})");
}

size_t Posts(const HttpTestServer& server) {
  size_t n = 0;
  for (const auto& r : server.requests()) n += r.method == "POST";
  return n;
}

TEST(PypiProjectPageTest, ReadsWheelsWithSha256AndKeepsOtherNames) {
  absl::StatusOr<PypiProjectFiles> files =
      ParsePypiProjectPage(kPage, "Tiny_Pkg", "simple/tiny-pkg/");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->project, "tiny-pkg");
  EXPECT_TRUE(files->exists);
  ASSERT_EQ(files->files.size(), 2u);
  const PypiIndexFile* wheel = files->Find("tiny_pkg-1.0.0-py3-none-any.whl");
  ASSERT_NE(wheel, nullptr);
  std::string lower;
  for (int i = 0; i < 16; ++i) lower += "ab12";
  EXPECT_EQ(wheel->sha256, lower);  // lower-cased
  EXPECT_EQ(wheel->size, 1656u);
  EXPECT_NE(files->Find("tiny_pkg-1.0.0.tar.gz"), nullptr);
}

TEST(PypiProjectPageTest, MalformedJsonIsInvalidArgumentNamingTheSource) {
  absl::StatusOr<PypiProjectFiles> files =
      ParsePypiProjectPage("{\"files\": [", "x", "simple/x/");
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(files.status().message(), HasSubstr("simple/x/"));
}

TEST(RedactPypiTokenTest, ReplacesTheTokenAndItsBasicCredential) {
  const std::string basic =
      absl::Base64Escape(absl::StrCat("__token__:", kToken));
  const std::string text =
      absl::StrCat("you sent Basic ", basic, " and ", kToken, " again");
  const std::string out = RedactPypiToken(text, kToken);
  EXPECT_THAT(out, Not(HasSubstr(kToken)));
  EXPECT_THAT(out, Not(HasSubstr(basic)));
  EXPECT_EQ(out, "you sent Basic *** and *** again");
  EXPECT_EQ(RedactPypiToken("nothing", ""), "nothing");
}

TEST(PypiUploadFormTest, HasTwinesFieldsInTwinesOrder) {
  WheelContents wheel;
  wheel.dist_info = "tiny_pkg-1.0.0.dist-info";
  absl::StatusOr<CoreMetadata> m = CoreMetadata::Parse(
      "Metadata-Version: 2.1\nName: tiny_pkg\nVersion: 1.0.0\n"
      "Summary: UNKNOWN\nClassifier: A :: B\nClassifier: C\n"
      "Requires-Dist: filelock\nProject-URL: Source, https://x\n"
      "Provides-Extra: opt\n\nLong text\nline 2\n",
      "METADATA");
  ASSERT_TRUE(m.ok()) << m.status();
  wheel.metadata = *m;
  absl::StatusOr<PypiUploadForm> form = PypiUploadFormFor(
      wheel, "tiny_pkg-1.0.0-cp312-cp312-manylinux_2_28_x86_64.whl",
      {.md5 = "m", .sha256 = "s", .blake2_256 = "b", .size = 3});
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(form->project, "tiny-pkg");
  EXPECT_THAT(form->GetAll("name"), ElementsAre("tiny-pkg"));
  EXPECT_THAT(form->GetAll("pyversion"), ElementsAre("cp312"));
  EXPECT_THAT(form->GetAll("summary"), ElementsAre(""));  // UNKNOWN: unset
  EXPECT_THAT(form->GetAll("classifiers"), ElementsAre("A :: B", "C"));
  EXPECT_THAT(form->GetAll("description"), ElementsAre("Long text\nline 2\n"));
  EXPECT_THAT(form->GetAll("blake2_256_digest"), ElementsAre("b"));
  EXPECT_THAT(form->fields.front(), Pair("name", "tiny-pkg"));
  EXPECT_THAT(form->fields.back(), Pair("protocol_version", "1"));
}

TEST(PypiUploadFormTest, FoldsContinuationLinesAsPkginfoDoes) {
  // pkginfo joins a folded field's stripped lines with one space, and keeps
  // a Description field's lines, less an 8-space indent.
  const std::string text =
      "Metadata-Version: 2.0\nName: x\nVersion: 1.0\n"
      "License: BSD\n        Copyright  (c)\n  more\n"
      "Description: first\n        second\n          third\n";
  WheelContents wheel;
  wheel.metadata = *CoreMetadata::Parse(text, "METADATA");
  wheel.metadata_text = text;
  absl::StatusOr<PypiUploadForm> form =
      PypiUploadFormFor(wheel, "x-1.0-py3-none-any.whl", {});
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_THAT(form->GetAll("license"), ElementsAre("BSD Copyright  (c) more"));
  EXPECT_THAT(form->GetAll("description"),
              ElementsAre("first\nsecond\n  third"));
}

TEST(PypiUploadFormTest, MissingVersionIsInvalidArgument) {
  WheelContents wheel;
  wheel.metadata = *CoreMetadata::Parse("Name: x\n", "METADATA");
  EXPECT_EQ(
      PypiUploadFormFor(wheel, "x-1.0-py3-none-any.whl", {}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(PypiClientTest, NotFoundProjectIsNewAndReadsAreRetried) {
  HttpTestServer server;
  server.Script("/simple/tiny-pkg/", {{.status = 503}, {.status = 404}});
  absl::StatusOr<std::unique_ptr<PypiClient>> client =
      PypiClient::Create(Options(server));
  ASSERT_TRUE(client.ok());
  absl::StatusOr<PypiProjectFiles> files = (*client)->ProjectFiles("Tiny.Pkg");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_FALSE(files->exists);
  auto requests = server.RequestsTo("/simple/tiny-pkg/");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.Get("Accept"),
            std::string(kPypiSimpleJsonAccept));
  // The token is for uploads only.
  EXPECT_FALSE(requests[0].headers.Has("Authorization"));
}

TEST(PypiClientTest, A5xxIsRetriedOnlyAfterTheIndexSaysTheFileIsMissing) {
  HttpTestServer server;
  server.Script("/simple/tiny-pkg/", {{.status = 404}});
  server.Script("/legacy/", {{.status = 500}, {.status = 200}});
  const std::string path = TempWheel("a.whl", "wheel bytes");
  auto client = *PypiClient::Create(Options(server));
  absl::StatusOr<PypiUploadOutcome> done = client->Upload(path, Form("ab"));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->status, PypiUploadStatus::kUploaded);
  EXPECT_EQ(done->attempts, 2);
  std::vector<std::string> order;
  for (const auto& r : server.requests()) order.push_back(r.method);
  EXPECT_THAT(order, ElementsAre("GET", "POST", "GET", "POST"));
  const auto posts = server.RequestsTo("/legacy/");
  EXPECT_EQ(posts[0].headers.Get("Authorization"),
            absl::StrCat("Basic ", absl::Base64Escape(
                                       absl::StrCat("__token__:", kToken))));
  EXPECT_THAT(posts[0].body, HasSubstr("wheel bytes"));
  EXPECT_THAT(posts[0].body,
              HasSubstr("name=\"content\"; filename=\"tiny_pkg"));
  std::remove(path.c_str());
}

TEST(PypiClientTest, AFailedTryThatWentThroughIsFoundNotResent) {
  HttpTestServer server;
  const std::string sha(64, 'a');
  server.Script("/simple/tiny-pkg/",
                {{.status = 404}, {.status = 200, .body = PageWith(sha)}});
  server.Script("/legacy/", {{.status = 502}});
  const std::string path = TempWheel("b.whl", "x");
  auto client = *PypiClient::Create(Options(server));
  absl::StatusOr<PypiUploadOutcome> done = client->Upload(path, Form(sha));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->status, PypiUploadStatus::kAlreadyUploaded);
  EXPECT_EQ(Posts(server), 1u);
  std::remove(path.c_str());
}

TEST(PypiClientTest, OtherContentOnTheIndexStopsBeforeSending) {
  HttpTestServer server;
  server.Script("/simple/tiny-pkg/",
                {{.status = 200, .body = PageWith(std::string(64, 'b'))}});
  const std::string path = TempWheel("c.whl", "x");
  auto client = *PypiClient::Create(Options(server));
  absl::StatusOr<PypiUploadOutcome> done =
      client->Upload(path, Form(std::string(64, 'a')));
  EXPECT_EQ(done.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(done.status().message(), HasSubstr("nothing was sent"));
  EXPECT_EQ(Posts(server), 0u);
  std::remove(path.c_str());
}

TEST(PypiClientTest, A400WhoseBodyEchoesTheTokenIsQuotedWithoutIt) {
  // A "Bad Request" answer is the one whose body is quoted in the error
  // (PyPI puts its reason there), so this is where an echoed token would
  // leak.
  HttpTestServer server;
  server.Script("/simple/tiny-pkg/", {{.status = 404}});
  const std::string basic =
      absl::Base64Escape(absl::StrCat("__token__:", kToken));
  server.Script("/legacy/",
                {{.status = 400,
                  .body = absl::StrCat("<html>Invalid value for classifiers. "
                                       "Authorization: Basic ",
                                       basic, " token ", kToken, "</html>")}});
  const std::string path = TempWheel("g.whl", "x");
  auto client = *PypiClient::Create(Options(server));
  absl::StatusOr<PypiUploadOutcome> done = client->Upload(path, Form("ab"));
  EXPECT_EQ(done.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(done.status().message(),
              HasSubstr("Invalid value for classifiers"));
  EXPECT_THAT(done.status().message(), Not(HasSubstr(kToken)));
  EXPECT_THAT(done.status().message(), Not(HasSubstr(basic)));
  EXPECT_EQ(Posts(server), 1u);  // a 400 is never retried
  std::remove(path.c_str());
}

TEST(PypiAnswerMessageTest, AnHttp2AnswerWithoutReasonQuotesTheBodyRedacted) {
  const std::string msg =
      PypiAnswerMessage("", absl::StrCat("<p>echo ", kToken, "</p>"), kToken);
  EXPECT_THAT(msg, HasSubstr("echo"));
  EXPECT_THAT(msg, Not(HasSubstr(kToken)));
}

TEST(PypiClientTest, A403IsPermissionDeniedWithoutTheTokenEvenWhenEchoed) {
  HttpTestServer server;
  server.Script("/simple/tiny-pkg/", {{.status = 404}});
  const std::string basic =
      absl::Base64Escape(absl::StrCat("__token__:", kToken));
  server.Script("/legacy/",
                {{.status = 403,
                  .body = absl::StrCat("<html>Invalid or non-existent "
                                       "authentication information. Got Basic ",
                                       basic, " = ", kToken, "</html>")}});
  const std::string path = TempWheel("d.whl", "x");
  auto client = *PypiClient::Create(Options(server));
  absl::StatusOr<PypiUploadOutcome> done = client->Upload(path, Form("ab"));
  EXPECT_EQ(done.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(done.status().message(), HasSubstr("HTTP 403"));
  EXPECT_THAT(done.status().message(), Not(HasSubstr(kToken)));
  EXPECT_THAT(done.status().message(), Not(HasSubstr(basic)));
  EXPECT_EQ(Posts(server), 1u);  // never retried
  EXPECT_THAT(client->ToString(), Not(HasSubstr(kToken)));
  std::remove(path.c_str());
}

TEST(PypiClientTest, UploadWithoutATokenIsRefused) {
  HttpTestServer server;
  PypiClientOptions options = Options(server);
  options.token.clear();
  auto client = *PypiClient::Create(options);
  const std::string path = TempWheel("e.whl", "x");
  EXPECT_EQ(client->Upload(path, Form("ab")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(server.requests().empty());
  std::remove(path.c_str());
}

TEST(PypiDigestsTest, Md5Sha256AndBlake2b256OfAFile) {
  const std::string path = TempWheel("f.whl", "abc");
  absl::StatusOr<PypiFileDigests> d = PypiDigestsOfFile(path);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(d->sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // hashlib.blake2b(b"abc", digest_size=32): twine's blake2_256_digest.
  EXPECT_EQ(d->blake2_256,
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(d->size, 3u);
  std::remove(path.c_str());
  EXPECT_EQ(PypiDigestsOfFile(path).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace relkit
