// Private: the `Link` response header of GitHub's paginated listings
// (RFC 8288), read by GitHubClient::GetPages; exposed here for its tests and
// fuzz target only.

#ifndef RELKIT_SRC_ADAPTERS_GITHUB_LINK_HEADER_H_
#define RELKIT_SRC_ADAPTERS_GITHUB_LINK_HEADER_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace relkit::internal {

// Returns the `rel="next"` URL of a `Link` header (RFC 8288: several
// comma-separated `<url>; param=value` links, `rel` may list several
// relations), or nullopt when there is none.
std::optional<std::string> NextPageUrl(absl::string_view link_header);

// Returns the page number of the `rel="last"` URL of a `Link` header (its
// `page` query parameter: how many pages the listing has), or nullopt when
// there is no such link or it has no positive `page`.
std::optional<int> LastPageNumber(absl::string_view link_header);

}  // namespace relkit::internal

#endif  // RELKIT_SRC_ADAPTERS_GITHUB_LINK_HEADER_H_
