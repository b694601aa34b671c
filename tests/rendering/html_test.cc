#include "relkit/html.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relkit {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(HtmlTableTest, EscapesHeaderCellsAndCaption) {
  const std::string html =
      HtmlTable({"<b>name</b>"}, {{"a & \"b\""}}, {.caption = "it's <here>"});
  EXPECT_THAT(html, StartsWith("<table>\n<caption>it&#39;s &lt;here&gt;"
                               "</caption>\n"));
  EXPECT_THAT(html, HasSubstr("<th>&lt;b&gt;name&lt;/b&gt;</th>"));
  EXPECT_THAT(html, HasSubstr("<td>a &amp; &quot;b&quot;</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, EndsWith("</table>"));
}

TEST(HtmlTableTest, ShowsAtMostMaxRowsAndSaysHowManyMore) {
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 5; ++i) rows.push_back({std::to_string(i)});
  const std::string html = HtmlTable({"n"}, rows, {.max_rows = 2});
  EXPECT_THAT(html, HasSubstr("<td>1</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<td>2</td>")));
  EXPECT_THAT(html, EndsWith("</table>\n<p>3 more rows</p>"));
  EXPECT_THAT(HtmlTable({"n"}, rows), HasSubstr("<td>4</td>"));
  EXPECT_THAT(HtmlTable({"n"}, rows), Not(HasSubstr("more rows")));
}

TEST(HtmlTableTest, NoCaptionWithoutOne) {
  EXPECT_THAT(HtmlTable({"a"}, {}), Not(HasSubstr("<caption>")));
}

}  // namespace
}  // namespace relkit
