#include "cli/store_url.h"

#include <cstdlib>
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
namespace {

// The mirror's own credentials (as promote/s3_to_s3.sh names them); never
// the source's AWS_* ones.
constexpr char kMirrorKeyIdVar[] = "R2_ACCESS_KEY_ID";
constexpr char kMirrorSecretVar[] = "R2_SECRET_ACCESS_KEY";
constexpr char kMirrorTokenVar[] = "R2_SESSION_TOKEN";
constexpr char kMirrorRegionVar[] = "R2_REGION";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

absl::StatusOr<S3Credentials> MirrorCredentials() {
  S3Credentials c{.access_key_id = Env(kMirrorKeyIdVar),
                  .secret_access_key = Env(kMirrorSecretVar),
                  .session_token = Env(kMirrorTokenVar)};
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--mirror s3://...: ",
        c.access_key_id.empty() ? kMirrorKeyIdVar : kMirrorSecretVar,
        " is not set (the mirror has credentials of its own; AWS_* are not "
        "used for it)"));
  }
  return c;
}

// The key of a store in StoreUrls: "file://DIR" or "s3://BUCKET".
absl::StatusOr<std::string> StoreRoot(absl::string_view option,
                                      absl::string_view url) {
  if (absl::StartsWith(url, "file://")) {
    RELKIT_ASSIGN_OR_RETURN(LocalLocation where, ParseLocalUrl(url));
    return absl::StrCat("file://", where.directory);
  }
  if (absl::StartsWith(url, "s3://")) {
    RELKIT_ASSIGN_OR_RETURN(S3Location where, ParseS3Url(url));
    return absl::StrCat("s3://", where.bucket);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      option, " \"", url,
      "\": expected file://DIR[//PREFIX] or s3://BUCKET[/PREFIX]"));
}

}  // namespace

absl::StatusOr<OpenedStore> OpenStore(absl::string_view option,
                                      absl::string_view url,
                                      const std::string& endpoint_url,
                                      CredentialsFrom from,
                                      MissingDirectory missing) {
  if (absl::StartsWith(url, "file://")) {
    RELKIT_ASSIGN_OR_RETURN(LocalLocation where, ParseLocalUrl(url));
    // LocalStore::Open creates a missing directory; a plan must not.
    std::error_code error;
    if (missing == MissingDirectory::kRefuse &&
        !std::filesystem::is_directory(where.directory, error)) {
      return absl::NotFoundError(
          absl::StrCat(option, " \"", url, "\": directory \"", where.directory,
                       "\" does not exist"));
    }
    RELKIT_ASSIGN_OR_RETURN(LocalStore store,
                            LocalStore::Open(where.directory));
    return OpenedStore{std::make_unique<LocalStore>(std::move(store)),
                       std::move(where.prefix)};
  }
  if (absl::StartsWith(url, "s3://")) {
    RELKIT_ASSIGN_OR_RETURN(S3Location where, ParseS3Url(url));
    S3StoreOptions options{.bucket = where.bucket,
                           .endpoint_url = endpoint_url};
    if (from == CredentialsFrom::kMirror) {
      RELKIT_ASSIGN_OR_RETURN(options.credentials, MirrorCredentials());
      options.region = Env(kMirrorRegionVar);
      if (options.region.empty()) options.region = "auto";
    } else {
      RELKIT_ASSIGN_OR_RETURN(options.credentials,
                              S3Credentials::FromEnvironment());
    }
    RELKIT_ASSIGN_OR_RETURN(std::unique_ptr<S3Store> store,
                            S3Store::Create(std::move(options)));
    return OpenedStore{std::move(store), std::move(where.prefix)};
  }
  return StoreRoot(option, url).status();
}

ObjectStoreFactory Factory(std::string option, std::string url,
                           std::string endpoint_url, CredentialsFrom from) {
  return [option, url, endpoint_url,
          from]() -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
    RELKIT_ASSIGN_OR_RETURN(OpenedStore opened,
                            OpenStore(option, url, endpoint_url, from));
    return std::move(opened.store);
  };
}

absl::StatusOr<PromotionLocation> StoreUrls::Open(absl::string_view option,
                                                  absl::string_view url,
                                                  MissingDirectory missing) {
  RELKIT_ASSIGN_OR_RETURN(const std::string root, StoreRoot(option, url));
  // A store (a libcurl handle, credentials) is opened only for a bucket or
  // directory not seen yet; later locations in it share the first one.
  auto it = stores_.find(root);
  std::string prefix;
  if (it == stores_.end()) {
    RELKIT_ASSIGN_OR_RETURN(
        OpenedStore opened,
        OpenStore(option, url, endpoint_url_, CredentialsFrom::kAws, missing));
    prefix = std::move(opened.prefix);
    it = stores_.emplace(root, std::move(opened.store)).first;
  } else if (absl::StartsWith(url, "file://")) {
    RELKIT_ASSIGN_OR_RETURN(LocalLocation where, ParseLocalUrl(url));
    prefix = std::move(where.prefix);
  } else {
    RELKIT_ASSIGN_OR_RETURN(S3Location where, ParseS3Url(url));
    prefix = std::move(where.prefix);
  }
  return PromotionLocation{.store = it->second.get(),
                           .prefix = std::move(prefix)};
}

}  // namespace relkit::cli
