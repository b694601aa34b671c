#include "relkit/pypi_upload.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/local_store.h"
#include "relkit/sha256_digest.h"
#include "testing/git_repo.h"
#include "testing/http_server.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::HttpTestServer;
using ::relkit::testing::RecordedRequest;
using ::relkit::testing::ScriptedResponse;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempDir;
using ::relkit::testing::TempGitRepo;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kPrefix[] = "demo-1.0.0-pypi-staging/";
constexpr char kPy[] = "demo-1.0.0-py3-none-any.whl";
constexpr char kCp312[] = "demo-1.0.0-cp312-cp312-linux_x86_64.whl";
constexpr char kCp313[] = "demo-1.0.0-cp313-cp313-linux_x86_64.whl";

// Builds a real wheel with tests/testing/make_wheel.py.
std::string MakeWheel(const std::string& dir, const std::string& name,
                      int seed) {
  const std::string out = absl::StrCat(dir, "/", name);
  TempGitRepo::Shell(absl::StrCat(
      "/usr/bin/python3 ", RELKIT_TEST_DATA_DIR, "/../testing/make_wheel.py '",
      out, "' --version 1.0.0 --so-size 1000 --seed ", seed));
  return out;
}

// PyPI as the workflow sees it: a PEP 691 page per project from what was
// stored, and an upload endpoint that stores (filename -> the form's
// sha256_digest). `lose_answers` uploads are stored and answered 500, as
// when the client's connection breaks after the server took the file.
class FakePypi {
 public:
  FakePypi() {
    server_.Handle("/simple/demo/", [this](const RecordedRequest&) {
      std::lock_guard<std::mutex> lock(mu_);
      if (files_.empty()) return ScriptedResponse{.status = 404};
      std::string files;
      for (const auto& [name, sha] : files_) {
        absl::StrAppend(&files, files.empty() ? "" : ",", R"({"filename": ")",
                        name, R"(", "url": "x",)", R"( "hashes": {"sha256": ")",
                        sha, R"("}})");
      }
      return ScriptedResponse{
          .status = 200,
          .body = absl::StrCat(R"({"meta": {"api-version": "1.0"},)",
                               R"( "name": "demo", "files": [)", files, "]}")};
    });
    server_.Handle("/legacy/", [this](const RecordedRequest& r) {
      std::lock_guard<std::mutex> lock(mu_);
      files_[Between(r.body, "filename=\"", "\"")] =
          Between(r.body, "name=\"sha256_digest\"\r\n\r\n", "\r\n");
      if (lose_answers_ > 0) {
        --lose_answers_;
        return ScriptedResponse{.status = 500};
      }
      return ScriptedResponse{.status = 200};
    });
  }

  void Add(const std::string& name, const std::string& sha) {
    std::lock_guard<std::mutex> lock(mu_);
    files_[name] = sha;
  }
  void LoseAnswers(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    lose_answers_ = n;
  }
  size_t Posts() const { return server_.RequestsTo("/legacy/").size(); }

  std::unique_ptr<PypiClient> Client() {
    return *PypiClient::Create({.repository_url = server_.Url("/legacy/"),
                                .index_url = server_.Url("/simple/"),
                                .token = "pypi-test",
                                .initial_backoff = absl::Milliseconds(1),
                                .max_backoff = absl::Milliseconds(2)});
  }

 private:
  static std::string Between(absl::string_view text, absl::string_view open,
                             absl::string_view close) {
    size_t start = text.find(open);
    if (start == absl::string_view::npos) return "";
    start += open.size();
    return std::string(text.substr(start, text.find(close, start) - start));
  }

  HttpTestServer server_;
  std::mutex mu_;
  std::map<std::string, std::string> files_;
  int lose_answers_ = 0;
};

class PypiUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.Sub("staging"));
    std::filesystem::create_directories(dir_.Sub("wheels"));
    store_ =
        std::make_unique<LocalStore>(*LocalStore::Open(dir_.Sub("staging")));
  }

  // Stages a wheel; with `metadata`, with its checksum-sha256 (as staging
  // writes it), else as a bare file.
  std::string Stage(const std::string& name, int seed, bool metadata = true) {
    const std::string wheel = MakeWheel(dir_.Sub("wheels"), name, seed);
    const std::string sha = *Sha256OfFile(wheel);
    PutOptions options;
    if (metadata) options.metadata = {{"checksum-sha256", sha}};
    EXPECT_TRUE(store_->Put(absl::StrCat(kPrefix, name), wheel, options).ok());
    return sha;
  }

  TempDir dir_;
  std::unique_ptr<LocalStore> store_;
  FakePypi pypi_;
};

TEST_F(PypiUploadTest, PlanClassifiesUploadAlreadyThereAndConflict) {
  Stage(kPy, 1, /*metadata=*/false);
  const std::string same = Stage(kCp312, 2);
  Stage(kCp313, 3);
  pypi_.Add(kCp312, same);
  pypi_.Add(kCp313, std::string(64, 'f'));
  auto client = pypi_.Client();
  absl::StatusOr<PypiUploadPlan> plan = PlanPypiUpload(*store_, "", *client);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->files.size(), 3u);
  std::map<std::string, PypiFileAction> actions;
  for (const PypiPlannedFile& f : plan->files) actions[f.filename] = f.action;
  EXPECT_EQ(actions[kPy], PypiFileAction::kUpload);
  EXPECT_EQ(actions[kCp312], PypiFileAction::kAlreadyThere);
  EXPECT_EQ(actions[kCp313], PypiFileAction::kConflict);
  EXPECT_FALSE(plan->ok());
  // Without checksum metadata the sha256 came from a download.
  for (const PypiPlannedFile& f : plan->files) {
    EXPECT_EQ(f.sha256_computed, f.filename == kPy) << f.filename;
  }
  EXPECT_THAT(plan->projects,
              ElementsAre(PypiIndexProject{
                  .project = "demo", .exists = true, .files = 2}));
  // A conflict refuses the whole apply: nothing is sent.
  EXPECT_THAT(ApplyPypiUpload(*plan, *store_, *client).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(pypi_.Posts(), 0u);
}

TEST_F(PypiUploadTest, ApplyUploadsOnceAndARerunSendsNothing) {
  Stage(kPy, 1);
  Stage(kCp312, 2);
  auto client = pypi_.Client();
  PypiUploadPlan plan = *PlanPypiUpload(*store_, kPrefix, *client);
  EXPECT_EQ(plan.upload_count(), 2u);
  absl::StatusOr<PypiUploadResult> done =
      ApplyPypiUpload(plan, *store_, *client);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_TRUE(done->ok());
  EXPECT_EQ(done->uploaded_count(), 2u);
  for (const PypiAppliedFile& f : done->files) EXPECT_TRUE(f.confirmed);
  EXPECT_EQ(pypi_.Posts(), 2u);

  // Running the same (stale) plan again: the look before each send finds
  // both files.
  absl::StatusOr<PypiUploadResult> stale =
      ApplyPypiUpload(plan, *store_, *client);
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->uploaded_count(), 0u);
  EXPECT_EQ(pypi_.Posts(), 2u);
  // A new plan has nothing to upload.
  EXPECT_EQ(PlanPypiUpload(*store_, kPrefix, *client)->upload_count(), 0u);
}

TEST_F(PypiUploadTest, AnAnswerLostAfterTheServerStoredTheFileIsNotResent) {
  Stage(kPy, 1);
  pypi_.LoseAnswers(1);
  auto client = pypi_.Client();
  PypiUploadPlan plan = *PlanPypiUpload(*store_, "", *client);
  absl::StatusOr<PypiUploadResult> done =
      ApplyPypiUpload(plan, *store_, *client);
  ASSERT_TRUE(done.ok());
  ASSERT_TRUE(done->ok());
  EXPECT_EQ(done->files[0].status, "already uploaded");
  EXPECT_EQ(done->files[0].attempts, 1);
  EXPECT_EQ(pypi_.Posts(), 1u);
}

TEST_F(PypiUploadTest, AStagedFileChangedSinceThePlanIsDataLossAndNotSent) {
  Stage(kPy, 1);
  auto client = pypi_.Client();
  PypiUploadPlan plan = *PlanPypiUpload(*store_, "", *client);
  Stage(kPy, 7);  // replaced by other bytes
  absl::StatusOr<PypiUploadResult> done =
      ApplyPypiUpload(plan, *store_, *client);
  ASSERT_TRUE(done.ok());
  ASSERT_TRUE(done->failure.has_value());
  EXPECT_THAT(done->failure->status,
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("plan again")));
  EXPECT_EQ(pypi_.Posts(), 0u);
}

TEST_F(PypiUploadTest, PackageFilterAndEmptySelection) {
  Stage(kPy, 1);
  auto client = pypi_.Client();
  EXPECT_EQ(PlanPypiUpload(*store_, "", *client, {.packages = {"DEMO"}})
                ->files.size(),
            1u);
  EXPECT_THAT(
      PlanPypiUpload(*store_, "", *client, {.packages = {"torch"}}).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("no staged wheel")));
}

}  // namespace
}  // namespace relkit
