#include "relkit/text_escape.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relkit {
namespace {

using std::string_literals::operator""s;

TEST(TextEscapeTest, CopiesPrintableAsciiAndValidUtf8Unchanged) {
  EXPECT_EQ(TextEscape("Fix the CUDA 12.4 build (#128001)"),
            "Fix the CUDA 12.4 build (#128001)");
  EXPECT_EQ(
      TextEscape("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80 \xe4\xb8\xad"),
      "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80 \xe4\xb8\xad");
  EXPECT_EQ(TextEscape(""), "");
}

TEST(TextEscapeTest, LeavesBackslashesAsTheyAre) {
  EXPECT_EQ(TextEscape(R"(C:\tmp\x1b)"), R"(C:\tmp\x1b)");
}

TEST(TextEscapeTest, EscapesTheForgedReadyLine) {
  EXPECT_EQ(TextEscape("ok\nREADY: 6/6 criteria passed\x1b[8m"),
            R"(ok\nREADY: 6/6 criteria passed\x1b[8m)");
}

TEST(TextEscapeTest, EscapesEveryC0ControlAndDel) {
  EXPECT_EQ(TextEscape("a\rb\tc\nd"), R"(a\rb\tc\nd)");
  EXPECT_EQ(TextEscape("\0"s), R"(\x00)");
  EXPECT_EQ(TextEscape("\x07\x08\x0b\x0c\x1b\x1f\x7f"),
            R"(\x07\x08\x0b\x0c\x1b\x1f\x7f)");
  for (int c = 0; c < 0x20; ++c) {
    const std::string out = TextEscape(std::string(1, static_cast<char>(c)));
    EXPECT_EQ(out.front(), '\\') << c;
    for (char e : out) EXPECT_GE(static_cast<unsigned char>(e), 0x20) << c;
  }
}

TEST(TextEscapeTest, EscapesC1ControlsEncodedInUtf8) {
  EXPECT_EQ(TextEscape("a\xc2\x80z"), R"(a\u0080z)");
  EXPECT_EQ(TextEscape("\xc2\x9b"
                       "31m"),
            R"(\u009b31m)");  // CSI
  EXPECT_EQ(TextEscape("\xc2\x9f"), R"(\u009f)");
  EXPECT_EQ(TextEscape("\xc2\xa0"), "\xc2\xa0");  // NBSP is printable
}

TEST(TextEscapeTest, EscapesBidiOverridesAndLineSeparators) {
  EXPECT_EQ(TextEscape("abc\xe2\x80\xae"
                       "fed"),
            R"(abc\u202efed)");  // RLO
  EXPECT_EQ(TextEscape("\xe2\x80\xaa\xe2\x80\xac"), R"(\u202a\u202c)");
  EXPECT_EQ(TextEscape("\xe2\x81\xa6\xe2\x81\xa9"), R"(\u2066\u2069)");
  EXPECT_EQ(TextEscape("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"),
            R"(\u200e\u200f\u061c)");
  EXPECT_EQ(TextEscape("\xe2\x80\xa8\xe2\x80\xa9"), R"(\u2028\u2029)");
  EXPECT_EQ(TextEscape("\xe2\x80\x94"), "\xe2\x80\x94");  // an em dash stays
}

TEST(TextEscapeTest, EscapesEachByteOfInvalidUtf8) {
  EXPECT_EQ(TextEscape("\x80"), R"(\x80)");          // stray continuation
  EXPECT_EQ(TextEscape("a\xc3"), R"(a\xc3)");        // truncated
  EXPECT_EQ(TextEscape("\xe2\x80"), R"(\xe2\x80)");  // truncated
  EXPECT_EQ(TextEscape("\xc0\xaf"), R"(\xc0\xaf)");  // overlong '/'
  EXPECT_EQ(TextEscape("\xe0\x80\xaf"), R"(\xe0\x80\xaf)");  // overlong
  EXPECT_EQ(TextEscape("\xed\xa0\x80"), R"(\xed\xa0\x80)");  // surrogate
  EXPECT_EQ(TextEscape("\xf4\x90\x80\x80"), R"(\xf4\x90\x80\x80)");
  EXPECT_EQ(TextEscape("\xff\xfe"), R"(\xff\xfe)");
  // An overlong encoding of ESC does not get through as a control.
  EXPECT_EQ(TextEscape("\xc0\x9b"), R"(\xc0\x9b)");
  // A bad byte does not swallow the valid text after it.
  EXPECT_EQ(TextEscape("\xc3(ok\xc3\xa9"), "\\xc3(ok\xc3\xa9");
}

TEST(TextEscapeTest, KeepsLineBreaksOnlyWhenAsked) {
  EXPECT_EQ(TextEscape("one\ntwo\x1b[2J\r", Newlines::kKeep),
            "one\ntwo\\x1b[2J\\r");
  EXPECT_EQ(TextEscape("one\ntwo", Newlines::kEscape), R"(one\ntwo)");
}

TEST(TextEscapeTest, OutputIsPrintableAndEscapingIsIdempotent) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string once = TextEscape(all);
  for (char c : once) {
    const auto b = static_cast<unsigned char>(c);
    EXPECT_TRUE(b >= 0x20 && b < 0x7f) << static_cast<int>(b);
  }
  EXPECT_EQ(TextEscape(once), once);
}

}  // namespace
}  // namespace relkit
