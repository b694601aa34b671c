// PromotionPlanHtml: the notebook view of a promotion plan
// (relkit.PromotionPlan._repr_html_).

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/promotion.h"
#include "relkit/reports.h"
#include "relkit/version.h"

namespace relkit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

PlannedCopy Copy(const std::string& name, uint64_t size) {
  return {.package = "torch",
          .version = *Version::Parse("2.4.1"),
          .kind = ArtifactKind::kWheel,
          .source_key = "whl/test/cpu/" + name,
          .destination_key = "whl/cpu/" + name,
          .size = size};
}

TEST(PromotionHtmlTest, ShowsVerdictPackagesCopiesAndAlreadyThere) {
  PromotionPlan plan;
  plan.source = "file:///srv";
  plan.source_prefix = "whl/test/";
  plan.destination = "file:///srv";
  plan.destination_prefix = "whl/";
  plan.packages = {{.package = "torch",
                    .version = "2.4.1",
                    .variable = "PYTORCH_VERSION",
                    .found = 2,
                    .to_copy = 1,
                    .already_there = 1}};
  plan.copies = {Copy("torch-2.4.1-cp312-cp312-linux_x86_64.whl", 10)};
  plan.already_present = {{.package = "torch",
                           .version = *Version::Parse("2.4.1"),
                           .source_key = "whl/test/cpu/a.whl.metadata",
                           .destination_key = "whl/cpu/a.whl.metadata",
                           .size = 3,
                           .same_by = SameBy::kSize}};
  plan.copies[0].sha256 = std::string(64, 'b');
  const std::string html = PromotionPlanHtml(plan);
  EXPECT_THAT(html, HasSubstr("<b>plan ok</b>"));
  EXPECT_THAT(html, HasSubstr("1 objects to copy (10 bytes), 1 already there, "
                              "0 errors, 0 warnings"));
  EXPECT_THAT(html, HasSubstr("<td>PYTORCH_VERSION</td>"));
  EXPECT_THAT(html, HasSubstr("<td>whl/cpu/torch-2.4.1-cp312-cp312-linux_"
                              "x86_64.whl</td>"));
  EXPECT_THAT(html, HasSubstr("<td>" + std::string(64, 'b') + "</td>"));
  EXPECT_THAT(html, HasSubstr("<td>whl/cpu/a.whl.metadata</td><td>3</td>"
                              "<td>size</td>"));
  EXPECT_THAT(html, Not(HasSubstr("problems:")));  // none: no table
}

TEST(PromotionHtmlTest, EscapesKeysAndMessagesAndCountsRowsLeftOut) {
  PromotionPlan plan;
  plan.source = "s3://b <i>";
  for (int i = 0; i < 60; ++i) {
    plan.copies.push_back(Copy("x" + std::to_string(i) + ".whl", 1));
  }
  plan.copies[0].source_key = "whl/test/<script>\x1b[31m.whl";
  plan.problems = {{.kind = PromotionProblemKind::kUnreadableName,
                    .severity = ProblemSeverity::kWarning,
                    .key = "whl/test/<b>.whl",
                    .message = "\"whl/test/<b>.whl\": \xe2\x80\xae bad name"}};
  const std::string html = PromotionPlanHtml(plan);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<b>.whl")));
  EXPECT_THAT(html, Not(HasSubstr("<i>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;\\x1b[31m.whl"));
  EXPECT_THAT(html, HasSubstr("s3://b &lt;i&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("\xe2\x80\xae")));  // bid override escaped
  EXPECT_THAT(html, HasSubstr("<td>warning</td><td>unreadable-name</td>"));
  EXPECT_THAT(html, HasSubstr("10 more rows"));  // 60 copies, 50 shown
  EXPECT_THAT(html, Not(HasSubstr("x59.whl")));
}

}  // namespace
}  // namespace relkit
