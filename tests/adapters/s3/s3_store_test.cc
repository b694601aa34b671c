// S3Store against a real moto_server on 127.0.0.1 (started here, on a free
// port, stopped at the end), and against the scripted HTTP test server for
// the answers moto cannot be made to give on demand (503 SlowDown, 500,
// ExpiredToken). A machine without moto_server fails these tests.

#include "relkit/s3_store.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/files.h"
#include "relkit/http.h"
#include "relkit/object_store.h"
#include "testing/http_server.h"
#include "testing/moto_server.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::HttpTestServer;
using ::relkit::testing::IsOk;
using ::relkit::testing::MotoServer;
using ::relkit::testing::ScriptedResponse;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;

namespace fs = std::filesystem;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
constexpr char kToken[] = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789";

S3Credentials TestCredentials() {
  return {.access_key_id = "AKIDTESTKEY",
          .secret_access_key = kSecret,
          .session_token = kToken};
}

std::string TempDir() {
  std::string dir = absl::StrCat(::testing::TempDir(), "relkit-s3-XXXXXX");
  EXPECT_NE(::mkdtemp(dir.data()), nullptr);
  return dir;
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

// The suite's moto_server, started once.
class S3StoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<MotoServer>> moto = MotoServer::Start();
    if (!moto.ok()) {
      start_error_ = new std::string(moto.status().ToString());
      return;
    }
    moto_ = moto->release();
  }
  static void TearDownTestSuite() {
    delete moto_;
    moto_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(moto_, nullptr) << "moto_server is required: " << *start_error_;
    dir_ = TempDir();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<S3Store> Store(absl::string_view bucket,
                                 S3StoreOptions options = {}) {
    options.bucket = std::string(bucket);
    options.endpoint_url = moto_->endpoint();
    options.region = "us-east-1";
    if (options.credentials.access_key_id.empty()) {
      options.credentials = TestCredentials();
    }
    absl::StatusOr<std::unique_ptr<S3Store>> store = S3Store::Create(options);
    EXPECT_THAT(store.status(), IsOk());
    absl::Status created = (*store)->CreateBucket();
    EXPECT_TRUE(created.ok() ||
                created.code() == absl::StatusCode::kAlreadyExists)
        << created;
    return *std::move(store);
  }

  std::string File(absl::string_view name, absl::string_view contents) {
    const std::string path = absl::StrCat(dir_, "/", name);
    EXPECT_THAT(WriteFileAtomically(path, contents), IsOk());
    return path;
  }

  static MotoServer* moto_;
  static std::string* start_error_;
  std::string dir_;
};

MotoServer* S3StoreTest::moto_ = nullptr;
std::string* S3StoreTest::start_error_ = new std::string("not started");

TEST_F(S3StoreTest, PutHeadGetCopyKeepMetadataAndSetPublicRead) {
  std::unique_ptr<S3Store> store = Store("relkit-basic");
  EXPECT_TRUE(store->path_style());
  EXPECT_EQ(store->Describe(),
            absl::StrCat("s3://relkit-basic at ", moto_->endpoint()));
  const std::string key =
      "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl";
  absl::StatusOr<ObjectInfo> put =
      store->Put(key, File("in.whl", "wheel bytes"),
                 {.metadata = {{"checksum-sha256", "abc123"}},
                  .content_type = "application/zip"});
  ASSERT_THAT(put.status(), IsOk());
  EXPECT_EQ(put->size, 11u);
  EXPECT_FALSE(put->etag.empty());

  absl::StatusOr<ObjectInfo> head = store->Head(key);
  ASSERT_THAT(head.status(), IsOk());
  EXPECT_EQ(head->size, 11u);
  EXPECT_EQ(head->etag, put->etag);
  EXPECT_EQ(head->content_type, "application/zip");
  EXPECT_THAT(head->metadata, ElementsAre(Pair("checksum-sha256", "abc123")));

  ASSERT_THAT(store->Get(key, dir_ + "/out/x.whl"), IsOk());
  EXPECT_EQ(*ReadFile(dir_ + "/out/x.whl"), "wheel bytes");

  const std::string release =
      "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl";
  ASSERT_THAT(store->Copy(key, release, {.acl = ObjectAcl::kPublicRead}),
              IsOk());
  absl::StatusOr<ObjectInfo> copy = store->Head(release);
  ASSERT_THAT(copy.status(), IsOk());
  EXPECT_EQ(copy->size, 11u);
  EXPECT_EQ(copy->content_type, "application/zip");
  EXPECT_THAT(copy->metadata, ElementsAre(Pair("checksum-sha256", "abc123")));

  // The copy is public-read: its ACL grants READ to AllUsers.
  absl::StatusOr<std::unique_ptr<CurlTransport>> http = CurlTransport::Create();
  ASSERT_THAT(http.status(), IsOk());
  HttpRequest acl{.url = absl::StrCat(
                      moto_->endpoint(),
                      "/relkit-basic/whl/cu121/"
                      "torch-2.4.1%2Bcu121-cp312-cp312-linux_x86_64.whl?acl=")};
  absl::StatusOr<HttpResponse> answer = (*http)->Send(acl);
  ASSERT_THAT(answer.status(), IsOk());
  EXPECT_THAT(answer->body, AllOf(HasSubstr("AllUsers"), HasSubstr("READ")));
  acl.url =
      absl::StrCat(moto_->endpoint(), "/relkit-basic/", "whl/test/cu121/",
                   "torch-2.4.1%2Bcu121-cp312-cp312-linux_x86_64.whl?acl=");
  answer = (*http)->Send(acl);
  ASSERT_THAT(answer.status(), IsOk());
  EXPECT_THAT(answer->body, Not(HasSubstr("AllUsers")));
}

TEST_F(S3StoreTest, MissingKeysAreNotFoundNamingTheKey) {
  std::unique_ptr<S3Store> store = Store("relkit-missing");
  EXPECT_THAT(store->Head("whl/test/nope.whl"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("s3://relkit-missing/whl/test/nope.whl")));
  EXPECT_THAT(store->Get("whl/test/nope.whl", dir_ + "/nope"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(fs::exists(dir_ + "/nope"));
  EXPECT_THAT(store->Copy("whl/test/nope.whl", "whl/nope.whl", {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.whl")));
  EXPECT_THAT(store->Head("a//b"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(S3StoreTest, ListsMoreThanAThousandKeysOverPages) {
  std::unique_ptr<S3Store> store = Store("relkit-paging");
  const std::string one = File("one", "x");
  std::vector<std::string> expected;
  for (int i = 0; i < 1003; ++i) {
    expected.push_back(absl::StrFormat("whl/test/cpu/f%04d.whl", i));
  }
  ASSERT_THAT(store->Put("whl/other.whl", one, {}).status(), IsOk());
  for (const std::string& key : expected) {
    ASSERT_THAT(store->Put(key, one, {}).status(), IsOk()) << key;
  }
  absl::StatusOr<ObjectPage> first = store->List({.prefix = "whl/test/"});
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_THAT(first->objects, SizeIs(1000));
  EXPECT_FALSE(first->next_token.empty());
  absl::StatusOr<ObjectPage> second = store->List(
      {.prefix = "whl/test/", .continuation_token = first->next_token});
  ASSERT_THAT(second.status(), IsOk());
  EXPECT_THAT(second->objects, SizeIs(3));
  EXPECT_THAT(second->next_token, IsEmpty());

  absl::StatusOr<std::vector<ObjectInfo>> all = store->ListAll("whl/test/");
  ASSERT_THAT(all.status(), IsOk());
  std::vector<std::string> keys;
  for (const ObjectInfo& o : *all) {
    keys.push_back(o.key);
    EXPECT_EQ(o.size, 1u);
  }
  EXPECT_EQ(keys, expected);
  EXPECT_THAT(store->List({.max_keys = 1001}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(S3StoreTest, LargeObjectsGoByMultipartUploadAndPartCopy) {
  // 5 MiB parts (S3's minimum), so a 12 MiB object is three parts.
  std::unique_ptr<S3Store> store =
      Store("relkit-multipart", {.part_size = uint64_t{5} << 20,
                                 .multipart_threshold = uint64_t{5} << 20,
                                 .multipart_copy_threshold = uint64_t{5} << 20,
                                 .copy_part_size = uint64_t{5} << 20});
  const std::string bytes = RandomBytes((size_t{12} << 20) + 12345, 7);
  const std::string in = File("big.zip", bytes);
  const std::string key =
      "libtorch/test/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip";
  absl::StatusOr<ObjectInfo> put =
      store->Put(key, in,
                 {.metadata = {{"checksum-sha256", "feed"}},
                  .content_type = "application/zip"});
  ASSERT_THAT(put.status(), IsOk());
  // A multipart ETag ends in "-<parts>".
  EXPECT_TRUE(absl::EndsWith(put->etag, "-3")) << put->etag;

  const std::string release =
      "libtorch/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip";
  ASSERT_THAT(store->Copy(key, release, {}), IsOk());
  absl::StatusOr<ObjectInfo> copy = store->Head(release);
  ASSERT_THAT(copy.status(), IsOk());
  EXPECT_EQ(copy->size, bytes.size());
  EXPECT_TRUE(absl::EndsWith(copy->etag, "-3")) << copy->etag;
  EXPECT_EQ(copy->content_type, "application/zip");
  EXPECT_THAT(copy->metadata, ElementsAre(Pair("checksum-sha256", "feed")));

  ASSERT_THAT(store->Get(release, dir_ + "/back.zip"), IsOk());
  absl::StatusOr<std::string> back = ReadFile(dir_ + "/back.zip");
  ASSERT_THAT(back.status(), IsOk());
  EXPECT_TRUE(*back == bytes) << "the copy's bytes differ";
}

TEST_F(S3StoreTest, AnEmptyObjectRoundTrips) {
  std::unique_ptr<S3Store> store = Store("relkit-empty");
  ASSERT_THAT(store->Put("e", File("e", ""), {}).status(), IsOk());
  ASSERT_THAT(store->Get("e", dir_ + "/e.out"), IsOk());
  EXPECT_EQ(*ReadFile(dir_ + "/e.out"), "");
}

// -----------------------------------------------------------------------------
// A moto_server that checks credentials and signatures (moto's IAM
// enforcement): two users, each allowed one bucket.

// Sends an IAM query action (unsigned: moto lets the first requests through
// before it starts enforcing) and returns the body.
std::string Iam(HttpTransport& http, const std::string& endpoint,
                const std::string& form) {
  HttpRequest r{.method = "POST",
                .url = endpoint + "/",
                .body = form + "&Version=2010-05-08"};
  r.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  r.headers.Set("Authorization",
                "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/"
                "aws4_request, SignedHeaders=host, Signature=0");
  absl::StatusOr<HttpResponse> response = http.Send(r);
  EXPECT_THAT(response.status(), IsOk());
  if (!response.ok()) return "";
  EXPECT_EQ(response->status, 200) << form << ": " << response->body;
  return response->body;
}

// Returns the text of the first <name> element (test setup only; the
// library reads S3's XML with expat).
std::string Between(const std::string& body, const std::string& name) {
  const std::string open = "<" + name + ">";
  const size_t a = body.find(open);
  const size_t b = body.find("</" + name + ">");
  if (a == std::string::npos || b == std::string::npos) return "";
  return body.substr(a + open.size(), b - a - open.size());
}

std::string Policy(absl::string_view bucket) {
  return absl::StrCat(
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::",
      bucket, "\",\"arn:aws:s3:::", bucket, "/*\"]}]}");
}

std::string FormEncode(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, absl::StrFormat("%%%02X", c));
    }
  }
  return out;
}

TEST(S3StoreAuthTest, TwoStoresWithTheirOwnCredentialsAndAccessDenied) {
  // Ten unauthenticated actions for the setup below, then enforcement.
  absl::StatusOr<std::unique_ptr<MotoServer>> moto =
      MotoServer::Start({"INITIAL_NO_AUTH_ACTION_COUNT=10"});
  ASSERT_THAT(moto.status(), IsOk()) << "moto_server is required";
  const std::string endpoint = (*moto)->endpoint();
  absl::StatusOr<std::unique_ptr<CurlTransport>> http = CurlTransport::Create();
  ASSERT_THAT(http.status(), IsOk());

  std::vector<S3Credentials> users;
  for (const char* user : {"test-channel", "mirror"}) {
    Iam(**http, endpoint, absl::StrCat("Action=CreateUser&UserName=", user));
    const std::string key =
        Iam(**http, endpoint,
            absl::StrCat("Action=CreateAccessKey&UserName=", user));
    users.push_back({.access_key_id = Between(key, "AccessKeyId"),
                     .secret_access_key = Between(key, "SecretAccessKey")});
    ASSERT_FALSE(users.back().secret_access_key.empty()) << key;
    const std::string bucket =
        absl::StrCat("relkit-", user == std::string("mirror") ? "r2" : "aws");
    Iam(**http, endpoint,
        absl::StrCat(
            "Action=PutUserPolicy&UserName=", user,
            "&PolicyName=own&PolicyDocument=", FormEncode(Policy(bucket))));
  }
  // Use up the free actions, so that everything below is checked.
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<HttpResponse> r =
        (*http)->Send({.url = endpoint + "/relkit-probe"});
    ASSERT_THAT(r.status(), IsOk());
    if (r->status == 403) break;
  }

  auto open = [&](const std::string& bucket, const S3Credentials& creds) {
    absl::StatusOr<std::unique_ptr<S3Store>> store =
        S3Store::Create({.bucket = bucket,
                         .region = "us-east-1",
                         .endpoint_url = endpoint,
                         .credentials = creds,
                         .max_attempts = 1});
    EXPECT_THAT(store.status(), IsOk());
    return *std::move(store);
  };
  std::unique_ptr<S3Store> aws = open("relkit-aws", users[0]);
  std::unique_ptr<S3Store> r2 = open("relkit-r2", users[1]);
  ASSERT_THAT(aws->CreateBucket(), IsOk());
  ASSERT_THAT(r2->CreateBucket(), IsOk());

  const std::string dir = TempDir();
  const std::string file = dir + "/w.whl";
  ASSERT_THAT(WriteFileAtomically(file, "wheel"), IsOk());
  // Each store signs with its own key and reaches its own bucket.
  ASSERT_THAT(aws->Put("whl/test/a.whl", file, {}).status(), IsOk());
  ASSERT_THAT(aws->Copy("whl/test/a.whl", "whl/a.whl", {}), IsOk());
  ASSERT_THAT(aws->Get("whl/a.whl", dir + "/a.out"), IsOk());
  ASSERT_THAT(r2->Put("whl/a.whl", dir + "/a.out",
                      {.metadata = {{"checksum-sha256", "00"}}})
                  .status(),
              IsOk());
  // A prefix without '/': moto 5.2.1's signature check rejects a '/' in the
  // query (boto3's own list_objects_v2(Prefix="whl/") gets
  // SignatureDoesNotMatch from it too), while SigV4 and S3 sign it as %2F,
  // which is what relkit sends.
  absl::StatusOr<std::vector<ObjectInfo>> listed = r2->ListAll("whl");
  ASSERT_THAT(listed.status(), IsOk());
  EXPECT_THAT(*listed, SizeIs(1));

  // The mirror's key cannot write the test channel's bucket, and the
  // error names the key and leaks no secret.
  std::unique_ptr<S3Store> wrong = open("relkit-aws", users[1]);
  absl::StatusOr<ObjectInfo> denied = wrong->Put("whl/b.whl", file, {});
  EXPECT_THAT(denied.status(),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("s3://relkit-aws/whl/b.whl"),
                             HasSubstr("AccessDenied"))));
  EXPECT_THAT(std::string(denied.status().message()),
              Not(HasSubstr(users[1].secret_access_key)));

  // An unknown key id is refused too.
  S3Credentials unknown = TestCredentials();
  std::unique_ptr<S3Store> stranger = open("relkit-aws", unknown);
  absl::Status refused = stranger->Head("whl/a.whl").status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied,
                                HasSubstr("s3://relkit-aws/whl/a.whl")));
  EXPECT_THAT(std::string(refused.message()),
              AllOf(Not(HasSubstr(kSecret)), Not(HasSubstr(kToken))));
  fs::remove_all(dir);
}

// -----------------------------------------------------------------------------
// Answers moto cannot give on demand, from the scripted server.

class S3StoreScriptedTest : public ::testing::Test {
 protected:
  std::unique_ptr<S3Store> Store(int max_attempts = 4) {
    absl::StatusOr<std::unique_ptr<S3Store>> store =
        S3Store::Create({.bucket = "relkit-scripted",
                         .region = "us-east-1",
                         .endpoint_url = server_.Url(),
                         .credentials = TestCredentials(),
                         .max_attempts = max_attempts,
                         .initial_backoff = absl::Milliseconds(1)});
    EXPECT_THAT(store.status(), IsOk());
    return *std::move(store);
  }

  static ScriptedResponse Error(int status, absl::string_view code) {
    return {
        .status = status,
        .headers = {{"Content-Type", "application/xml"}},
        .body = absl::StrCat("<?xml version=\"1.0\"?><Error><Code>", code,
                             "</Code><Message>m ", code,
                             "</Message><RequestId>r1</RequestId></Error>")};
  }

  HttpTestServer server_;
};

TEST_F(S3StoreScriptedTest, SlowDownAnd500AreRetriedWithBackoff) {
  server_.Script("/relkit-scripted/k",
                 {Error(503, "SlowDown"),
                  Error(500, "InternalError"),
                  {.status = 200,
                   .headers = {{"Content-Length", "5"},
                               {"ETag", "\"e\""},
                               {"x-amz-meta-checksum-sha256", "ab"}}}});
  absl::StatusOr<ObjectInfo> head = Store()->Head("k");
  ASSERT_THAT(head.status(), IsOk());
  EXPECT_THAT(head->metadata, ElementsAre(Pair("checksum-sha256", "ab")));
  const std::vector<testing::RecordedRequest> sent =
      server_.RequestsTo("/relkit-scripted/k");
  ASSERT_THAT(sent, SizeIs(3));
  // Signed by libcurl (SigV4), with the session token and payload hash.
  for (const auto& r : sent) {
    EXPECT_THAT(
        r.headers.Get("Authorization").value_or(""),
        AllOf(HasSubstr("AWS4-HMAC-SHA256 Credential=AKIDTESTKEY/"),
              HasSubstr("/us-east-1/s3/aws4_request"),
              HasSubstr("x-amz-security-token"), Not(HasSubstr(kSecret))));
    EXPECT_EQ(r.headers.Get("x-amz-security-token").value_or(""), kToken);
    EXPECT_EQ(
        r.headers.Get("x-amz-content-sha256").value_or(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}

TEST_F(S3StoreScriptedTest, PersistentFailuresAreClearErrorsAfterTheAttempts) {
  // Listings (GETs: the answer to a HEAD has no body to name the error),
  // answered by the prefix they ask for.
  server_.Handle("/relkit-scripted", [](const testing::RecordedRequest& r) {
    if (absl::StrContains(r.target, "prefix=slow"))
      return Error(503, "SlowDown");
    if (absl::StrContains(r.target, "prefix=broken")) {
      return Error(500, "InternalError");
    }
    if (absl::StrContains(r.target, "prefix=expired")) {
      return Error(400, "ExpiredToken");
    }
    return Error(403, "AccessDenied");
  });
  std::unique_ptr<S3Store> store = Store(3);
  auto count = [&](absl::string_view prefix) {
    int n = 0;
    for (const auto& r : server_.requests()) {
      n += absl::StrContains(r.target, absl::StrCat("prefix=", prefix)) ? 1 : 0;
    }
    return n;
  };
  absl::Status slow = store->List({.prefix = "slow"}).status();
  EXPECT_THAT(slow, StatusIs(absl::StatusCode::kResourceExhausted,
                             AllOf(HasSubstr("s3://relkit-scripted/slow"),
                                   HasSubstr("SlowDown"),
                                   HasSubstr("after 3 attempts"))));
  EXPECT_THAT(store->List({.prefix = "broken"}).status(),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("InternalError"),
                             HasSubstr("after 3 attempts"))));
  absl::Status expired = store->List({.prefix = "expired"}).status();
  EXPECT_THAT(expired, StatusIs(absl::StatusCode::kUnauthenticated,
                                AllOf(HasSubstr("s3://relkit-scripted/expired"),
                                      HasSubstr("expired"))));
  absl::Status denied = store->List({.prefix = "denied"}).status();
  EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied,
                               AllOf(HasSubstr("s3://relkit-scripted/denied"),
                                     HasSubstr("AccessDenied"))));
  EXPECT_EQ(count("slow"), 3);
  EXPECT_EQ(count("broken"), 3);
  EXPECT_EQ(count("expired"), 1);  // not retried
  EXPECT_EQ(count("denied"), 1);
  for (const absl::Status& s : {slow, expired, denied}) {
    EXPECT_THAT(std::string(s.message()),
                AllOf(Not(HasSubstr(kSecret)), Not(HasSubstr(kToken))));
  }
  // A HEAD's 403 has no body: still PermissionDenied naming the key.
  server_.Script("/relkit-scripted/k", {{.status = 403}});
  EXPECT_THAT(store->Head("k").status(),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("s3://relkit-scripted/k")));
}

// -----------------------------------------------------------------------------
// Configuration

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = old;
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_.has_value()) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(S3StoreConfigTest, CredentialsComeFromTheEnvironmentAndNeverPrint) {
  ScopedEnv id("AWS_ACCESS_KEY_ID", "AKIDENV");
  ScopedEnv secret("AWS_SECRET_ACCESS_KEY", kSecret);
  ScopedEnv token("AWS_SESSION_TOKEN", kToken);
  absl::StatusOr<S3Credentials> creds = S3Credentials::FromEnvironment();
  ASSERT_THAT(creds.status(), IsOk());
  EXPECT_EQ(creds->session_token, kToken);
  EXPECT_EQ(creds->ToString(),
            "S3Credentials{access_key_id=AKIDENV, secret_access_key=***, "
            "session_token=***}");
  ScopedEnv no_secret("AWS_SECRET_ACCESS_KEY", nullptr);
  EXPECT_THAT(S3Credentials::FromEnvironment().status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("AWS_SECRET_ACCESS_KEY is not set")));
}

TEST(S3StoreConfigTest, EndpointsAndAddressingFollowTheSdks) {
  ScopedEnv s3("AWS_ENDPOINT_URL_S3", nullptr);
  ScopedEnv any("AWS_ENDPOINT_URL", nullptr);
  ScopedEnv region("AWS_REGION", "eu-west-1");
  auto make = [](S3StoreOptions o) {
    o.credentials = TestCredentials();
    return S3Store::Create(std::move(o));
  };
  absl::StatusOr<std::unique_ptr<S3Store>> aws = make({.bucket = "pytorch"});
  ASSERT_THAT(aws.status(), IsOk());
  EXPECT_EQ((*aws)->endpoint(), "https://pytorch.s3.eu-west-1.amazonaws.com");
  EXPECT_FALSE((*aws)->path_style());
  absl::StatusOr<std::unique_ptr<S3Store>> dotted =
      make({.bucket = "download.pytorch.org"});
  ASSERT_THAT(dotted.status(), IsOk());
  EXPECT_EQ((*dotted)->endpoint(), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_TRUE((*dotted)->path_style());
  {
    ScopedEnv env("AWS_ENDPOINT_URL", "https://acct.r2.cloudflarestorage.com/");
    absl::StatusOr<std::unique_ptr<S3Store>> r2 = make({.bucket = "pytorch"});
    ASSERT_THAT(r2.status(), IsOk());
    EXPECT_EQ((*r2)->endpoint(), "https://acct.r2.cloudflarestorage.com");
    EXPECT_TRUE((*r2)->path_style());
    ScopedEnv s3_env("AWS_ENDPOINT_URL_S3", "http://localhost:9000");
    absl::StatusOr<std::unique_ptr<S3Store>> local =
        make({.bucket = "pytorch"});
    ASSERT_THAT(local.status(), IsOk());
    EXPECT_EQ((*local)->endpoint(), "http://localhost:9000");
    absl::StatusOr<std::unique_ptr<S3Store>> explicit_one =
        make({.bucket = "pytorch", .endpoint_url = "http://10.0.0.1:9000"});
    ASSERT_THAT(explicit_one.status(), IsOk());
    EXPECT_EQ((*explicit_one)->endpoint(), "http://10.0.0.1:9000");
    EXPECT_TRUE((*explicit_one)->path_style());
  }
  EXPECT_THAT(make({.bucket = "Bad_Bucket"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(make({.bucket = "ok-bucket", .endpoint_url = "ftp://x"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(S3Store::Create({.bucket = "ok-bucket"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  absl::StatusOr<S3Location> url = ParseS3Url("s3://pytorch/whl/test");
  ASSERT_THAT(url.status(), IsOk());
  EXPECT_EQ(url->bucket, "pytorch");
  EXPECT_EQ(url->prefix, "whl/test");
  EXPECT_THAT(ParseS3Url("https://x").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace relkit
