// Private: the one Markdown pipe-table row splitter, shared by the parsers of
// RELEASE.md's tables (compatibility matrix, release schedule).

#ifndef RELKIT_SRC_INTERNAL_MARKDOWN_H_
#define RELKIT_SRC_INTERNAL_MARKDOWN_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace relkit::internal {

// Returns the cells of one row of a Markdown pipe table: the text between
// `|`, each trimmed. A leading and a trailing `|` are optional.
std::vector<std::string> SplitMarkdownRow(absl::string_view line);

// Returns `text` as the text of one cell of a pipe table: terminal-safe
// (relkit/text_escape.h: no line break, no control character) and with each
// `|` written `\|`, so that outside text can neither end the row nor add a
// cell to it.
std::string MarkdownCell(absl::string_view text);

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_MARKDOWN_H_
