#include "relkit/wheel_archive_report.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "relkit/json_writer.h"
#include "relkit/version.h"

namespace relkit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

WheelRewrite Rewrite() {
  WheelRewrite r;
  r.input_path = "in/torch-2.4.0+cu121-cp312-cp312-linux_x86_64.whl";
  r.output_path = "out/torch-2.4.0-cp312-cp312-linux_x86_64.whl";
  r.file_name = "torch-2.4.0-cp312-cp312-linux_x86_64.whl";
  r.old_version = *Version::Parse("2.4.0+cu121");
  r.new_version = *Version::Parse("2.4.0");
  r.removed_classifiers = {"Programming Language :: Python :: 3.15"};
  r.changed_members = {"torch-2.4.0.dist-info/METADATA",
                       "torch-2.4.0.dist-info/RECORD"};
  r.copied_members = 12000;
  r.size = 900000000;
  r.sha256 = std::string(64, 'a');
  return r;
}

TEST(WheelArchiveReportTest, RewriteTextSaysWhatChanged) {
  const std::string text = WheelRewriteText(Rewrite());
  EXPECT_THAT(text, HasSubstr("in/torch-2.4.0+cu121-cp312-cp312-linux_x86_64."
                              "whl -> out/torch-2.4.0-cp312"));
  EXPECT_THAT(text, HasSubstr("version 2.4.0+cu121 -> 2.4.0\n"));
  EXPECT_THAT(text,
              HasSubstr("removed classifier: Programming Language :: Python "
                        ":: 3.15\n"));
  EXPECT_THAT(text, HasSubstr("2 members rewritten"));
  EXPECT_THAT(text, HasSubstr("12000 copied compressed"));
  WheelRewrite same = Rewrite();
  same.unchanged = true;
  EXPECT_THAT(WheelRewriteText(same), HasSubstr("unchanged"));
}

TEST(WheelArchiveReportTest, RewriteJsonHasEveryField) {
  JsonWriter w;
  WriteWheelRewriteJson(w, Rewrite());
  rapidjson::Document d;
  d.Parse(w.str().c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["file_name"].GetString(),
               "torch-2.4.0-cp312-cp312-linux_x86_64.whl");
  EXPECT_STREQ(d["new_version"].GetString(), "2.4.0");
  EXPECT_FALSE(d["unchanged"].GetBool());
  EXPECT_EQ(d["removed_classifiers"].Size(), 1u);
  EXPECT_EQ(d["copied_members"].GetUint64(), 12000u);
  EXPECT_EQ(d["size"].GetUint64(), 900000000u);
}

TEST(WheelArchiveReportTest, RecordCheckTextEscapesMemberNames) {
  RecordCheck c;
  c.members_checked = 3;
  c.problems = {{"demo/\x1b[2Jevil\nOK.py", "hash mismatch"}};
  const std::string text = RecordCheckText("w.whl", c);
  EXPECT_THAT(text, HasSubstr("w.whl: RECORD does not verify (3 members "
                              "hashed, 1 problems)\n"));
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, HasSubstr("demo/\\x1b[2Jevil\\nOK.py: hash mismatch\n"));
  JsonWriter w;
  WriteRecordCheckJson(w, "w.whl", c);
  rapidjson::Document d;
  d.Parse(w.str().c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_FALSE(d["ok"].GetBool());
  EXPECT_STREQ(d["problems"][0]["member"].GetString(),
               "demo/\x1b[2Jevil\nOK.py");
  RecordCheck good;
  good.members_checked = 2;
  EXPECT_EQ(RecordCheckText("w.whl", good),
            "w.whl: RECORD verifies (2 members hashed)\n");
}

}  // namespace
}  // namespace relkit
