#include "relkit/pypi_upload_report.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace relkit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

PypiUploadPlan Plan() {
  PypiUploadPlan plan;
  plan.staging = "file:///srv/staging";
  plan.repository_url = "https://upload.pypi.org/legacy/";
  plan.index_url = "https://pypi.org/simple/";
  plan.projects = {{.project = "torch", .exists = true, .files = 3}};
  plan.files = {
      {.key = "torch-2.4.0-pypi-staging/torch-2.4.0-cp312-cp312-win_amd64.whl",
       .filename = "torch-2.4.0-cp312-cp312-win_amd64.whl",
       .project = "torch",
       .version = "2.4.0",
       .size = 10,
       .sha256 = std::string(64, 'a')},
      {.key = "torch-2.4.0-pypi-staging/torch-2.4.0-cp313-cp313-win_amd64.whl",
       .filename = "torch-2.4.0-cp313-cp313-win_amd64.whl",
       .project = "torch",
       .version = "2.4.0",
       .size = 20,
       .sha256 = std::string(64, 'b'),
       .action = PypiFileAction::kAlreadyThere,
       .index_sha256 = std::string(64, 'b')}};
  return plan;
}

TEST(PypiUploadReportTest, PlanTextListsWhatWouldBeSentAndWhatIsThere) {
  const std::string text = PypiUploadPlanText(Plan());
  EXPECT_THAT(text, HasSubstr("dry run: nothing is sent"));
  EXPECT_THAT(text, HasSubstr("to upload (1):\n  torch-2.4.0-cp312"));
  EXPECT_THAT(text, HasSubstr("already there (same sha256) (1):"));
  EXPECT_THAT(text,
              HasSubstr("plan ok: 1 file to upload (10 bytes), 1 already"));
}

TEST(PypiUploadReportTest, AConflictBlocksThePlanAndShowsBothSha256s) {
  PypiUploadPlan plan = Plan();
  plan.files[0].action = PypiFileAction::kConflict;
  plan.files[0].index_sha256 = std::string(64, 'c');
  const std::string text = PypiUploadPlanText(plan);
  EXPECT_THAT(text, HasSubstr("conflicts (1):"));
  EXPECT_THAT(text, HasSubstr(std::string(64, 'c')));
  EXPECT_THAT(text, HasSubstr("plan blocked: 1 conflict, 0 problems"));
}

TEST(PypiUploadReportTest, TextEscapesNamesFromOutsideAndJsonKeepsThem) {
  PypiUploadPlan plan = Plan();
  plan.files[0].filename = "evil\x1b[2Jname.whl";
  EXPECT_THAT(PypiUploadPlanText(plan), Not(HasSubstr("\x1b")));
  rapidjson::Document doc;
  const std::string json = PypiUploadPlanJson(plan);
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(std::string(doc["files"][0]["filename"].GetString()),
            "evil\x1b[2Jname.whl");
  EXPECT_TRUE(doc["dry_run"].GetBool());
  EXPECT_EQ(doc["to_upload"].GetUint64(), 1u);
}

TEST(PypiUploadReportTest, ResultSaysWhatHappenedAndTheFailure) {
  PypiUploadResult result;
  result.files = {{.key = "k",
                   .filename = "torch-2.4.0-cp312-cp312-win_amd64.whl",
                   .status = "uploaded",
                   .attempts = 2,
                   .confirmed = true}};
  result.failure =
      PypiUploadFailure{.key = "k2",
                        .filename = "torch-2.4.0-cp313-cp313-win_amd64.whl",
                        .status = absl::UnavailableError("HTTP 503")};
  const std::string text = PypiUploadResultText(Plan(), result);
  EXPECT_THAT(text, HasSubstr("uploaded: torch-2.4.0-cp312-cp312-win_amd64.whl "
                              "(2 tries) (confirmed on the index)"));
  EXPECT_THAT(text, HasSubstr("failed: torch-2.4.0-cp313"));
  rapidjson::Document doc;
  const std::string json = PypiUploadResultJson(Plan(), result);
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(std::string(doc["applied"]["failure"]["code"].GetString()),
            "UNAVAILABLE");
  EXPECT_FALSE(doc["applied"]["ok"].GetBool());
  result.failure.reset();
  result.files[0].status = "already there";
  EXPECT_THAT(PypiUploadResultText(Plan(), result),
              HasSubstr("already uploaded: nothing was sent"));
}

}  // namespace
}  // namespace relkit
