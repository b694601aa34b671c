#include "adapters/github/link_header.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace relkit::internal {
namespace {

// Returns the target of the first link in `link` whose `rel` lists `rel`.
std::optional<std::string> LinkTarget(absl::string_view link,
                                      absl::string_view rel) {
  size_t pos = 0;
  while (pos < link.size()) {
    const size_t open = link.find('<', pos);
    if (open == absl::string_view::npos) return std::nullopt;
    const size_t close = link.find('>', open + 1);
    if (close == absl::string_view::npos) return std::nullopt;
    absl::string_view target = link.substr(open + 1, close - open - 1);
    // Parameters run to the next ',' outside a quoted string.
    size_t i = close + 1;
    bool quoted = false;
    size_t end = i;
    for (; end < link.size(); ++end) {
      if (link[end] == '"') quoted = !quoted;
      if (link[end] == ',' && !quoted) break;
    }
    absl::string_view params = link.substr(i, end - i);
    for (absl::string_view param : absl::StrSplit(params, ';')) {
      param = absl::StripAsciiWhitespace(param);
      const size_t eq = param.find('=');
      if (eq == absl::string_view::npos) continue;
      if (!absl::EqualsIgnoreCase(
              absl::StripAsciiWhitespace(param.substr(0, eq)), "rel")) {
        continue;
      }
      absl::string_view value =
          absl::StripAsciiWhitespace(param.substr(eq + 1));
      absl::ConsumePrefix(&value, "\"");
      absl::ConsumeSuffix(&value, "\"");
      for (absl::string_view r :
           absl::StrSplit(value, ' ', absl::SkipWhitespace())) {
        if (absl::EqualsIgnoreCase(r, rel)) return std::string(target);
      }
    }
    pos = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> NextPageUrl(absl::string_view link) {
  return LinkTarget(link, "next");
}

std::optional<int> LastPageNumber(absl::string_view link) {
  std::optional<std::string> last = LinkTarget(link, "last");
  if (!last) return std::nullopt;
  absl::string_view url = *last;
  const size_t q = url.find('?');
  if (q == absl::string_view::npos) return std::nullopt;
  url = url.substr(q + 1, url.find('#', q) - q - 1);
  for (absl::string_view param : absl::StrSplit(url, '&')) {
    int page = 0;
    if (absl::ConsumePrefix(&param, "page=") &&
        absl::SimpleAtoi(param, &page) && page > 0) {
      return page;
    }
  }
  return std::nullopt;
}

}  // namespace relkit::internal
