// File: relkit/html.h
// -----------------------------------------------------------------------------
//
// HTML for reports and notebook tables. Text from outside (titles, names and
// bodies from GitHub or an index) is data: everything that reaches a page
// goes through HtmlEscape.
//
//   std::string cell = absl::StrCat("<td>", relkit::HtmlEscape(title),
//                                   "</td>");

#ifndef RELKIT_HTML_H_
#define RELKIT_HTML_H_

#include <string>

#include "absl/strings/string_view.h"

namespace relkit {

// Returns `text` with `&`, `<`, `>`, `"` and `'` replaced by HTML entities,
// safe inside element content and quoted attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace relkit

#endif  // RELKIT_HTML_H_
