#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"
#include "relkit/reports.h"
#include "relkit/version.h"

namespace relkit {
namespace {

using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

Version V(absl::string_view text) { return *Version::Parse(text); }

PromotionPlan SamplePlan() {
  PromotionPlan plan;
  plan.source = "s3://pytorch at http://127.0.0.1:9000";
  plan.source_prefix = "whl/test/";
  plan.destination = "s3://pytorch at http://127.0.0.1:9000";
  plan.destination_prefix = "whl/";
  plan.packages = {{.package = "torch",
                    .version = "2.4.1",
                    .variable = "PYTORCH_VERSION",
                    .found = 3,
                    .to_copy = 2,
                    .already_there = 1},
                   {.package = "torchaudio"}};
  plan.copies = {
      {.package = "torch",
       .version = V("2.4.1+cpu"),
       .kind = ArtifactKind::kWheel,
       .source_key =
           "whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl",
       .destination_key =
           "whl/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl",
       .size = 100,
       .sha256 = std::string(64, 'a')},
      {.package = "torch",
       .version = V("2.4.1+cu121"),
       .kind = ArtifactKind::kWheel,
       .source_key =
           "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
       .destination_key =
           "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
       .size = 200}};
  plan.already_present = {{.package = "torch",
                           .version = V("2.4.1+cu121"),
                           .kind = ArtifactKind::kWheelMetadata,
                           .source_key = "whl/test/cu121/x.whl.metadata",
                           .destination_key = "whl/cu121/x.whl.metadata",
                           .size = 7,
                           .same_by = SameBy::kSize}};
  plan.problems = {{.kind = PromotionProblemKind::kUnknownPackage,
                    .package = "torchaudio",
                    .message = "package \"torchaudio\" is not in the release "
                               "set"}};
  return plan;
}

TEST(PromotionReportTest, TextListsCopiesAlreadyThereProblemsAndVerdict) {
  const std::string text = PromotionPlanText(SamplePlan());
  EXPECT_THAT(text, HasSubstr("dry run: nothing is copied"));
  EXPECT_THAT(text, HasSubstr("  torch==2.4.1 (PYTORCH_VERSION): 3 found, 2 "
                              "to copy, 1 already there\n"));
  EXPECT_THAT(text, HasSubstr("  torchaudio: not in the release set\n"));
  EXPECT_THAT(text, HasSubstr("to copy (2 objects, 300 bytes):\n"));
  EXPECT_THAT(text,
              HasSubstr("  whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_"
                        "x86_64.whl -> whl/cpu/torch-2.4.1+cpu-cp312-cp312-"
                        "linux_x86_64.whl  (100 bytes, sha256 " +
                        std::string(64, 'a') + ")\n"));
  EXPECT_THAT(text, HasSubstr("(200 bytes, sha256 unknown)"));
  EXPECT_THAT(text, HasSubstr("  whl/cu121/x.whl.metadata  (7 bytes, same "
                              "size)\n"));
  EXPECT_THAT(text, HasSubstr("  error: package \"torchaudio\" is not in the "
                              "release set\n"));
  EXPECT_THAT(text, ::testing::EndsWith("plan blocked: 1 error\n"));

  PromotionPlan rc = SamplePlan();
  rc.packages[0].version = "2.4.1rc1";
  rc.packages[0].not_ga = true;
  EXPECT_THAT(PromotionPlanText(rc),
              HasSubstr("  torch==2.4.1rc1 (PYTORCH_VERSION): refused, must be "
                        "a GA version\n"));
  EXPECT_THAT(PromotionPlanMarkdown(rc),
              HasSubstr("| torch | 2.4.1rc1 (refused: not GA) |"));

  PromotionPlan ok = SamplePlan();
  ok.problems.clear();
  EXPECT_THAT(PromotionPlanText(ok),
              ::testing::EndsWith("plan ok: 2 objects to copy (300 bytes), 1 "
                                  "already there\n"));
}

TEST(PromotionReportTest, JsonHoldsEveryField) {
  const std::string json = PromotionPlanJson(SamplePlan());
  EXPECT_THAT(json, HasSubstr("\"dry_run\": true"));
  EXPECT_THAT(json, HasSubstr("\"ok\": false"));
  EXPECT_THAT(json, HasSubstr("\"prefix\": \"whl/test/\""));
  EXPECT_THAT(json, HasSubstr("\"sha256\": null"));
  EXPECT_THAT(json, HasSubstr("\"same_by\": \"size\""));
  EXPECT_THAT(json, HasSubstr("\"kind\": \"wheel-metadata\""));
  EXPECT_THAT(json, HasSubstr("\"kind\": \"unknown-package\""));
  EXPECT_THAT(json, HasSubstr("\"bytes_to_copy\": 300"));
  EXPECT_THAT(json, HasSubstr("\"not_ga\": false"));
  EXPECT_THAT(json, ::testing::EndsWith("}\n"));
}

TEST(PromotionReportTest, MarkdownGroupsByDestinationFolderInDetails) {
  const std::string md = PromotionPlanMarkdown(SamplePlan());
  EXPECT_THAT(md, HasSubstr("| torch | 2.4.1 | 3 | 2 | 1 | 0 |\n"));
  EXPECT_THAT(md,
              HasSubstr("<details><summary><code>whl/cpu/</code>: 1 to "
                        "copy (100 bytes), 0 already there</summary>\n"
                        "<ul>\n<li>copy <code>torch-2.4.1+cpu-cp312-"
                        "cp312-linux_x86_64.whl</code> (100 bytes, sha256 "));
  EXPECT_THAT(md, HasSubstr("<details><summary><code>whl/cu121/</code>: 1 to "
                            "copy (200 bytes), 1 already there</summary>"));
  EXPECT_THAT(md, HasSubstr("<li>already there <code>x.whl.metadata</code> (7 "
                            "bytes, same size)</li>"));
  EXPECT_THAT(md, HasSubstr("<li>error: package &quot;torchaudio&quot; is not "
                            "in the release set</li>"));
  EXPECT_THAT(md, HasSubstr("**plan blocked: 1 error**"));
}

TEST(PromotionReportTest, OutsideNamesCannotForgeLinesOrMarkup) {
  PromotionPlan plan = SamplePlan();
  plan.copies[0].source_key =
      "whl/test/cpu/x\nplan ok: 0 objects\x1b[8m<script>|</details>\n\n# h.whl";
  plan.copies[0].destination_key =
      "whl/cpu/x\nplan ok: 0 objects\x1b[8m<script>|</details>\n\n# h.whl";
  plan.packages[1].package = "a|b<i>";
  plan.problems[0].message = "bad \xe2\x80\xae name\r";

  const std::string text = PromotionPlanText(plan);
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, Not(HasSubstr("\nplan ok")));
  EXPECT_THAT(text, Not(HasSubstr("\xe2\x80\xae")));
  EXPECT_THAT(text, Not(HasSubstr("\r")));
  EXPECT_THAT(text, HasSubstr("x\\nplan ok: 0 objects\\x1b[8m<script>"));
  EXPECT_THAT(text, HasSubstr("bad \\u202e name\\r"));

  const std::string md = PromotionPlanMarkdown(plan);
  EXPECT_THAT(md, Not(HasSubstr("<script>")));
  EXPECT_THAT(md, Not(HasSubstr("\x1b")));
  // The folder is cut at the last `/` (inside `</details>`): both halves
  // come out escaped.
  EXPECT_THAT(md, HasSubstr("<summary><code>whl/cpu/x\\nplan ok: 0 objects"
                            "\\x1b[8m&lt;script&gt;|&lt;/</code>"));
  EXPECT_THAT(md, HasSubstr("<li>copy <code>details&gt;\\n\\n# h.whl"
                            "</code>"));
  // One `</details>` per block: the key did not close one.
  size_t closes = 0;
  for (size_t at = md.find("</details>"); at != std::string::npos;
       at = md.find("</details>", at + 1)) {
    ++closes;
  }
  EXPECT_EQ(closes, 3u);  // problems, whl/cpu/, whl/cu121/
  EXPECT_THAT(md, HasSubstr("| a&#124;b&lt;i&gt; | not in the release set |"));

  // JSON keeps the name exactly, escaped as JSON.
  EXPECT_THAT(PromotionPlanJson(plan), HasSubstr("x\\nplan ok: 0 objects"
                                                 "\\u001B[8m<script>"));
}

TEST(PromotionReportTest, ResultTextEscapesKeysAndSaysWhatWasDone) {
  PromotionResult result;
  result.copied = {"whl/a.whl", "whl/evil\x1b[2J.whl"};
  result.overwritten = {"whl/a.whl"};
  result.skipped = {"whl/b.whl"};
  result.verified = {"whl/a.whl", "whl/evil\x1b[2J.whl"};
  result.journal_path = "/tmp/j.jsonl";
  const std::string text = PromotionResultText(SamplePlan(), result);
  EXPECT_THAT(text, HasSubstr("overwritten (1):\n  whl/a.whl\n"));
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, HasSubstr("already there: 1\n"));
  EXPECT_THAT(text, EndsWith("promotion done: 2 copied, 1 already there, 0 "
                             "mirrored, 2 verified\n"));

  result.failed = {{.key = "whl/c.whl",
                    .status = absl::DataLossError("verification failed")}};
  EXPECT_THAT(PromotionResultText(SamplePlan(), result),
              AllOf(HasSubstr("failed (1):\n  whl/c.whl: verification failed"),
                    HasSubstr("promotion failed: 1 object")));
  const std::string json = PromotionExecuteJson(SamplePlan(), result);
  EXPECT_THAT(json, HasSubstr("\"dry_run\": false"));
  EXPECT_THAT(json,
              HasSubstr("\"overwritten\": [\n      \"whl/a.whl\"\n    ]"));
  EXPECT_THAT(json, HasSubstr("\"code\": \"DATA_LOSS\""));
  const std::string md = PromotionResultMarkdown(SamplePlan(), result);
  EXPECT_THAT(md, HasSubstr("### Promotion result"));
  EXPECT_THAT(md, Not(HasSubstr("\x1b")));

  PromotionResult again{.already_applied = true};
  EXPECT_THAT(PromotionResultText(SamplePlan(), again),
              EndsWith("already applied: nothing left to copy\n"));
}

}  // namespace
}  // namespace relkit
