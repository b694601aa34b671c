// Opening the object stores that `relkit backup` and `relkit index` name by
// URL (`file://DIR[//PREFIX]`, `s3://BUCKET[/PREFIX]`), one store per bucket
// or directory, so that locations in the same bucket share it (and copies
// between them stay server side).

#ifndef RELKIT_SRC_CLI_STORE_URL_H_
#define RELKIT_SRC_CLI_STORE_URL_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"

namespace relkit::cli {

// How a missing local directory is treated.
enum class MissingDirectory { kRefuse, kCreate };

class StoreUrls {
 public:
  explicit StoreUrls(std::string endpoint_url)
      : endpoint_url_(std::move(endpoint_url)) {}

  // Returns the location `url` names, opening its store on first use.
  // `option` ("--from") names the flag in errors. InvalidArgument for
  // another scheme; NotFound for a missing directory with kRefuse (a plan
  // creates nothing); S3Credentials::FromEnvironment's errors for s3://.
  absl::StatusOr<PromotionLocation> Open(
      absl::string_view option, absl::string_view url,
      MissingDirectory missing = MissingDirectory::kRefuse);

 private:
  std::string endpoint_url_;
  std::map<std::string, std::unique_ptr<ObjectStore>> stores_;
};

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_STORE_URL_H_
