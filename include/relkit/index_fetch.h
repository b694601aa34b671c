// File: relkit/index_fetch.h
// -----------------------------------------------------------------------------
//
// Getting a package index page, the text that relkit/wheel_index.h parses,
// from where a release engineer points: a local file, or an http(s) URL such
// as https://download.pytorch.org/whl/torch/ (a few tens of MB of HTML). The
// CLI's `wheels check --index` and the Python package's
// `relkit.fetch_index_page` both call this.
//
//   absl::StatusOr<std::string> page = relkit::FetchIndexPage(
//       "https://download.pytorch.org/whl/test/torch/");
//   if (!page.ok()) return page.status();  // names the URL or the file
//   absl::StatusOr<relkit::WheelIndex> index = relkit::WheelIndex::Parse(
//       *page, {.source = "https://download.pytorch.org/whl/test/torch/"});

#ifndef RELKIT_INDEX_FETCH_H_
#define RELKIT_INDEX_FETCH_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/http.h"

namespace relkit {

// The `Accept` header of an index request: a PEP 503 HTML page first (what
// download.pytorch.org serves), a PEP 691 JSON page second.
inline constexpr absl::string_view kIndexPageAccept =
    "text/html, application/vnd.pypi.simple.v1+json;q=0.9";

struct IndexFetchOptions {
  // Settings of the HTTP client made for the request. The response cap is
  // 512 MiB, not the transport's 64 MiB: download.pytorch.org/whl/torch/
  // alone is tens of MB.
  CurlTransportOptions http = {.max_response_bytes = size_t{512} << 20};
  // When set, the request goes through this transport instead (to reuse its
  // connections over many pages, or to replay a snapshot); `http` is then
  // unused. Not owned; must outlive the call.
  HttpTransport* transport = nullptr;
};

// Returns the path that a `file://` URL names, as relkit's store URLs read
// them: the text after `file://` (`file:///srv/x.html` is `/srv/x.html`,
// `file://rel/x.html` the relative `rel/x.html`); anything else unchanged.
std::string IndexPageFilePath(absl::string_view url_or_path);

// Returns the index page at `url_or_path`: fetched with one GET (following
// redirects, `Accept: kIndexPageAccept`) when it starts with `http://` or
// `https://`, read with `ReadFile` (relkit/files.h) otherwise (a `file://`
// URL: the file at IndexPageFilePath). Errors: those
// of `ReadFile` for a file; for a URL, the transport's (relkit/http.h:
// Unavailable when the server cannot be reached, DeadlineExceeded,
// ResourceExhausted above the cap, InvalidArgument for a malformed URL) and
// an HTTP error status as `HttpStatusToError` maps it (404 NotFound, 5xx
// Unavailable, ...), each naming the URL.
absl::StatusOr<std::string> FetchIndexPage(
    absl::string_view url_or_path, const IndexFetchOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_INDEX_FETCH_H_
