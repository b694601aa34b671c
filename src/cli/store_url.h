// Opening object stores named by URL (`file://DIR[//PREFIX]`,
// `s3://BUCKET[/PREFIX]`): the one opener of `relkit promote`, `relkit
// backup` and `relkit index`.
//
//   OpenStore("--from", "s3://pytorch/whl/test", endpoint)  one new handle
//   Factory(...)            new handles on demand (one per worker thread)
//   StoreUrls urls(endpoint); urls.Open("--to", url)
//                           one store per bucket or directory, shared by the
//                           locations in it (copies between them stay
//                           server side)
//
// Credentials come from the environment only: AWS_* for the source and the
// destination, R2_* for a mirror (never the source's; see docs/promotion.md).

#ifndef RELKIT_SRC_CLI_STORE_URL_H_
#define RELKIT_SRC_CLI_STORE_URL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"

namespace relkit::cli {

// How a missing local directory is treated.
enum class MissingDirectory : uint8_t { kRefuse, kCreate };

// Whose credentials an s3:// store uses: AWS_ACCESS_KEY_ID, ... or the
// mirror's R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_SESSION_TOKEN (region
// R2_REGION, else "auto").
enum class CredentialsFrom : uint8_t { kAws, kMirror };

// A store opened from a URL, and the prefix inside it.
struct OpenedStore {
  std::unique_ptr<ObjectStore> store;
  std::string prefix;
};

// Opens a new handle on the store `url` names. `option` ("--from") names
// the flag in errors. InvalidArgument for another scheme; NotFound for a
// missing directory with kRefuse (a plan creates nothing); FailedPrecondition
// naming the variable when credentials are missing.
absl::StatusOr<OpenedStore> OpenStore(
    absl::string_view option, absl::string_view url,
    const std::string& endpoint_url,
    CredentialsFrom from = CredentialsFrom::kAws,
    MissingDirectory missing = MissingDirectory::kRefuse);

// Returns a factory of new handles on the store of `url` (one per worker).
ObjectStoreFactory Factory(std::string option, std::string url,
                           std::string endpoint_url, CredentialsFrom from);

// Stores opened by URL, one per bucket or directory.
class StoreUrls {
 public:
  explicit StoreUrls(std::string endpoint_url)
      : endpoint_url_(std::move(endpoint_url)) {}

  // Returns the location `url` names, opening its store on first use (see
  // OpenStore for the errors).
  absl::StatusOr<PromotionLocation> Open(
      absl::string_view option, absl::string_view url,
      MissingDirectory missing = MissingDirectory::kRefuse);

 private:
  std::string endpoint_url_;
  std::map<std::string, std::unique_ptr<ObjectStore>> stores_;
};

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_STORE_URL_H_
