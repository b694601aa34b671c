// File: relkit/s3_store.h
// -----------------------------------------------------------------------------
//
// An ObjectStore over one S3 bucket (AWS S3, Cloudflare R2, any
// S3-compatible service), through relkit/http.h with libcurl's AWS SigV4
// signing: no hand-written signer.
//
//   absl::StatusOr<relkit::S3Credentials> creds =
//       relkit::S3Credentials::FromEnvironment();   // AWS_ACCESS_KEY_ID, ...
//   absl::StatusOr<std::unique_ptr<relkit::S3Store>> store =
//       relkit::S3Store::Create({.bucket = "pytorch",
//                                .credentials = *creds});
//   absl::StatusOr<std::vector<relkit::ObjectInfo>> keys =
//       (*store)->ListAll("whl/test/");
//
// Addressing: with no endpoint, AWS's virtual-hosted style
// (`https://<bucket>.s3.<region>.amazonaws.com/<key>`; path style when the
// bucket name has a dot). With an endpoint (the option, else
// `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, as the AWS SDKs read them)
// always path style (`<endpoint>/<bucket>/<key>`): what R2, MinIO and moto
// expect, and the only form that works for IP addresses and localhost.
//
// Large objects: a Put over `multipart_threshold` goes by multipart upload
// in parts of `part_size` bytes, read from the file one part at a time; a
// Get reads ranges of `part_size` bytes (each checked against the first
// response's ETag, so a replaced object is an Aborted error, not a mixed
// file); a Copy over `multipart_copy_threshold` (default: S3's 5 GiB limit
// of a single copy) goes by upload-part-copy in parts of `copy_part_size`.
// No object is ever held whole in memory, only one part.
//
// Errors (ObjectStore's codes): 500, 502, 503 (SlowDown), 504 and
// connection failures are retried `max_attempts` times with exponential
// backoff and jitter; every message names the operation, `s3://bucket/key`,
// the S3 error code and message, and the number of attempts. AccessDenied,
// InvalidAccessKeyId and SignatureDoesNotMatch are kPermissionDenied;
// ExpiredToken is kUnauthenticated. The secret key and the session token
// never appear in a message, a log or a ToString.

#ifndef RELKIT_S3_STORE_H_
#define RELKIT_S3_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "relkit/http.h"
#include "relkit/object_store.h"

namespace relkit {

// AWS credentials. Copyable; ToString() shows the key id only.
struct S3Credentials {
  std::string access_key_id = {};
  std::string secret_access_key = {};
  std::string session_token = {};  // empty for long-term keys

  // Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the optional
  // AWS_SESSION_TOKEN. Returns FailedPrecondition naming the missing
  // variable (never a value).
  static absl::StatusOr<S3Credentials> FromEnvironment();

  // Returns "S3Credentials{access_key_id=AKIA..., secret_access_key=***,
  // session_token=***}" (or "session_token=none").
  std::string ToString() const;
};

struct S3StoreOptions {
  std::string bucket = {};
  // Empty: AWS_REGION, else AWS_DEFAULT_REGION, else "us-east-1". R2 uses
  // "auto".
  std::string region = {};
  // "http(s)://host[:port]"; empty: AWS_ENDPOINT_URL_S3, else
  // AWS_ENDPOINT_URL, else AWS.
  std::string endpoint_url = {};
  S3Credentials credentials = {};
  // Multipart upload and ranged download (S3: at least 5 MiB but the last).
  uint64_t part_size = uint64_t{16} << 20;
  uint64_t multipart_threshold = uint64_t{16} << 20;
  // Upload-part-copy above this size, in parts of copy_part_size.
  uint64_t multipart_copy_threshold = uint64_t{5} << 30;
  uint64_t copy_part_size = uint64_t{512} << 20;
  // Attempts of one request on 5xx/connection failures, and the first wait.
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Milliseconds(200);
  CurlTransportOptions http = {.total_timeout = absl::Minutes(30)};
};

class S3Store final : public ObjectStore {
 public:
  // Returns a store for `options.bucket` over a new libcurl transport.
  // Returns InvalidArgument for an empty or malformed bucket name, an
  // endpoint that is not http(s)://host[:port], a part size under 5 MiB;
  // FailedPrecondition when the credentials are empty.
  static absl::StatusOr<std::unique_ptr<S3Store>> Create(
      S3StoreOptions options);
  // The same over `transport` (for tests of retry logic).
  static absl::StatusOr<std::unique_ptr<S3Store>> Create(
      S3StoreOptions options, std::unique_ptr<HttpTransport> transport);

  ~S3Store() override;

  // Returns "s3://bucket" or "s3://bucket (endpoint)".
  std::string Describe() const override;
  absl::StatusOr<ObjectPage> List(const ListOptions& options) override;
  absl::StatusOr<ObjectInfo> Head(absl::string_view key) override;
  absl::Status Get(absl::string_view key, const std::string& path) override;
  absl::StatusOr<ObjectInfo> Put(absl::string_view key, const std::string& path,
                                 const PutOptions& options) override;
  absl::Status Copy(absl::string_view source, absl::string_view destination,
                    const CopyOptions& options) override;

  // Creates the bucket (for tests and new mirrors). AlreadyExists when it
  // is there and ours.
  absl::Status CreateBucket();

  // The resolved endpoint ("https://s3.us-east-1.amazonaws.com" style for
  // AWS) and whether requests use path style.
  const std::string& endpoint() const;
  bool path_style() const;

 private:
  struct Impl;
  explicit S3Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// An `s3://bucket/prefix` location.
struct S3Location {
  std::string bucket;
  std::string prefix;  // without a leading '/', may be empty
};

// Parses "s3://bucket[/prefix]". Returns InvalidArgument naming the text
// otherwise.
absl::StatusOr<S3Location> ParseS3Url(absl::string_view url);

}  // namespace relkit

#endif  // RELKIT_S3_STORE_H_
