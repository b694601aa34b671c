// Private HTML helpers shared by the library's HTML reports (readiness.cc) and
// the Python bindings' `_repr_html_` tables.

#ifndef RELKIT_SRC_INTERNAL_HTML_H_
#define RELKIT_SRC_INTERNAL_HTML_H_

#include <string>

#include "absl/strings/string_view.h"

namespace relkit::internal {

// Returns `text` with `&`, `<`, `>`, `"` and `'` replaced by HTML entities,
// safe inside element content and quoted attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_HTML_H_
