// File: relkit/html.h
// -----------------------------------------------------------------------------
//
// HTML for reports and notebook tables. Text from outside (titles, names and
// bodies from GitHub or an index) is data: everything that reaches a page
// goes through HtmlEscape.
//
//   std::string cell = absl::StrCat("<td>", relkit::HtmlEscape(title),
//                                   "</td>");
//   std::string table = relkit::HtmlTable({"PyTorch", "Python"},
//                                         {{"2.4", ">=3.8, <=3.12"}});

#ifndef RELKIT_HTML_H_
#define RELKIT_HTML_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace relkit {

// Returns `text` with `&`, `<`, `>`, `"` and `'` replaced by HTML entities,
// safe inside element content and quoted attribute values.
std::string HtmlEscape(absl::string_view text);

struct HtmlTableOptions {
  // A `<caption>`; empty: none.
  std::string caption = {};
  // Rows shown at most, then "N more rows" after the table; 0: all.
  size_t max_rows = 0;
};

// Returns a `<table>` (a notebook's `_repr_html_`) with `header` cells and
// `rows`, every cell escaped. Rows shorter or longer than the header are
// written as they are.
std::string HtmlTable(absl::Span<const std::string> header,
                      absl::Span<const std::vector<std::string>> rows,
                      const HtmlTableOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_HTML_H_
