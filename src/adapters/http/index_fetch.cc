#include "relkit/index_fetch.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "relkit/files.h"
#include "relkit/http.h"
#include "relkit/status.h"

namespace relkit {

absl::StatusOr<std::string> FetchIndexPage(absl::string_view url_or_path,
                                           const IndexFetchOptions& options) {
  if (!absl::StartsWith(url_or_path, "http://") &&
      !absl::StartsWith(url_or_path, "https://")) {
    return ReadFile(std::string(url_or_path));
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
