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

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_MARKDOWN_H_
