#include "relkit/index_fetch.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "relkit/files.h"
#include "relkit/http.h"
#include "relkit/status.h"

namespace relkit {

std::string IndexPageFilePath(absl::string_view url_or_path) {
  absl::ConsumePrefix(&url_or_path, "file://");
  return std::string(url_or_path);
}

absl::StatusOr<std::string> FetchIndexPage(absl::string_view url_or_path,
                                           const IndexFetchOptions& options) {
  if (!absl::StartsWith(url_or_path, "http://") &&
      !absl::StartsWith(url_or_path, "https://")) {
    // Read literally, "file:///x/index.html" was a file of that name: never
    // there, so a page named by URL was only ever "not found".
    return ReadFile(IndexPageFilePath(url_or_path));
  }
  std::unique_ptr<CurlTransport> owned;
  HttpTransport* transport = options.transport;
  if (transport == nullptr) {
    RELKIT_ASSIGN_OR_RETURN(owned, CurlTransport::Create(options.http));
    transport = owned.get();
  }
  HttpRequest request;
  request.url = std::string(url_or_path);
  request.headers.Set("Accept", kIndexPageAccept);
  RELKIT_ASSIGN_OR_RETURN(HttpResponse response, transport->Send(request));
  RELKIT_RETURN_IF_ERROR(HttpStatusToError(request, response));
  return std::move(response.body);
}

}  // namespace relkit
