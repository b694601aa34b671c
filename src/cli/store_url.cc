#include "cli/store_url.h"

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "relkit/local_store.h"
#include "relkit/s3_store.h"
#include "relkit/status.h"

namespace relkit::cli {

absl::StatusOr<PromotionLocation> StoreUrls::Open(absl::string_view option,
                                                  absl::string_view url,
                                                  MissingDirectory missing) {
  if (absl::StartsWith(url, "file://")) {
    RELKIT_ASSIGN_OR_RETURN(LocalLocation where, ParseLocalUrl(url));
    const std::string root = absl::StrCat("file://", where.directory);
    auto it = stores_.find(root);
    if (it == stores_.end()) {
      std::error_code error;
      if (missing == MissingDirectory::kRefuse &&
          !std::filesystem::is_directory(where.directory, error)) {
        return absl::NotFoundError(
            absl::StrCat(option, " \"", url, "\": directory \"",
                         where.directory, "\" does not exist"));
      }
      RELKIT_ASSIGN_OR_RETURN(LocalStore store,
                              LocalStore::Open(where.directory));
      it = stores_.emplace(root, std::make_unique<LocalStore>(std::move(store)))
               .first;
    }
    return PromotionLocation{.store = it->second.get(),
                             .prefix = std::move(where.prefix)};
  }
  if (absl::StartsWith(url, "s3://")) {
    RELKIT_ASSIGN_OR_RETURN(S3Location where, ParseS3Url(url));
    const std::string root = absl::StrCat("s3://", where.bucket);
    auto it = stores_.find(root);
    if (it == stores_.end()) {
      RELKIT_ASSIGN_OR_RETURN(S3Credentials credentials,
                              S3Credentials::FromEnvironment());
      RELKIT_ASSIGN_OR_RETURN(
          std::unique_ptr<S3Store> store,
          S3Store::Create({.bucket = where.bucket,
                           .endpoint_url = endpoint_url_,
                           .credentials = std::move(credentials)}));
      it = stores_.emplace(root, std::move(store)).first;
    }
    return PromotionLocation{.store = it->second.get(),
                             .prefix = std::move(where.prefix)};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      option, " \"", url,
      "\": expected file://DIR[//PREFIX] or s3://BUCKET[/PREFIX]"));
}

}  // namespace relkit::cli
