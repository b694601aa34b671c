#include "internal/markdown.h"

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace relkit::internal {

std::vector<std::string> SplitMarkdownRow(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  absl::ConsumePrefix(&line, "|");
  absl::ConsumeSuffix(&line, "|");
  std::vector<std::string> cells;
  for (absl::string_view c : absl::StrSplit(line, '|')) {
    cells.emplace_back(absl::StripAsciiWhitespace(c));
  }
  return cells;
}

}  // namespace relkit::internal
