#include "internal/markdown.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "relkit/text_escape.h"

namespace relkit::internal {

std::vector<std::string> SplitMarkdownRow(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  absl::ConsumePrefix(&line, "|");
  // A final `\|` is a pipe in the last cell (as GitHub reads it), not the end
  // of the row.
  if (!absl::EndsWith(line, "\\|")) absl::ConsumeSuffix(&line, "|");
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell.push_back('|');  // `\|` is a pipe inside the cell
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back(absl::StripAsciiWhitespace(cell));
      cell.clear();
    } else {
      cell.push_back(line[i]);
    }
  }
  cells.emplace_back(absl::StripAsciiWhitespace(cell));
  return cells;
}

std::string MarkdownCell(absl::string_view text) {
  std::string out;
  for (char c : TextEscape(text)) {
    if (c == '|') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace relkit::internal
