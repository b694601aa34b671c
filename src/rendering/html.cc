#include "relkit/html.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace relkit {

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string HtmlTable(absl::Span<const std::string> header,
                      absl::Span<const std::vector<std::string>> rows,
                      const HtmlTableOptions& options) {
  std::string out = "<table>\n";
  if (!options.caption.empty()) {
    absl::StrAppend(&out, "<caption>", HtmlEscape(options.caption),
                    "</caption>\n");
  }
  out += "<thead><tr>";
  for (const std::string& h : header) {
    absl::StrAppend(&out, "<th>", HtmlEscape(h), "</th>");
  }
  out += "</tr></thead>\n<tbody>\n";
  const size_t shown = options.max_rows == 0
                           ? rows.size()
                           : std::min(rows.size(), options.max_rows);
  for (size_t i = 0; i < shown; ++i) {
    out += "<tr>";
    for (const std::string& c : rows[i]) {
      absl::StrAppend(&out, "<td>", HtmlEscape(c), "</td>");
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>";
  if (shown < rows.size()) {
    absl::StrAppend(&out, "\n<p>", rows.size() - shown, " more rows</p>");
  }
  return out;
}

}  // namespace relkit
