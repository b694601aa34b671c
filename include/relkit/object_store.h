// File: relkit/object_store.h
// -----------------------------------------------------------------------------
//
// One interface for an object store (an S3 or R2 bucket, a local directory):
// what promotion needs and no more. Objects are files: they go in from a
// file and out to a file, so no object is held whole in memory.
//
//   std::unique_ptr<relkit::ObjectStore> store = ...;  // LocalStore, S3Store
//   absl::StatusOr<std::vector<relkit::ObjectInfo>> all =
//       store->ListAll("whl/test/");
//   RELKIT_ASSIGN_OR_RETURN(relkit::ObjectInfo put,
//       store->Put("whl/x.whl", "/tmp/x.whl",
//                  {.metadata = {{"checksum-sha256", hex}},
//                   .acl = relkit::ObjectAcl::kPublicRead}));
//   RELKIT_RETURN_IF_ERROR(store->Copy("whl/test/x.whl", "whl/x.whl",
//                                      {.acl = relkit::ObjectAcl::kPublicRead}));
//
// Error codes (messages name the store and the key, never a credential):
//   kNotFound          no such key (Head, Get, Copy's source) or bucket
//   kPermissionDenied  access denied, bad or unknown credentials
//   kUnauthenticated   expired credentials (ExpiredToken)
//   kResourceExhausted the server kept throttling (SlowDown) after retries
//   kUnavailable       5xx after retries, connection failures
//   kInvalidArgument   a bad key (empty, `..`, NUL) or option
//   kDataLoss          a size or checksum that does not match after a write

#ifndef RELKIT_OBJECT_STORE_H_
#define RELKIT_OBJECT_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relkit {

// User metadata of an object (S3's `x-amz-meta-*`), names lower case.
using ObjectMetadata = std::map<std::string, std::string>;

// Who may read a written object.
enum class ObjectAcl : uint8_t {
  kDefault,     // whatever the store does (S3: the bucket's default)
  kPublicRead,  // S3 canned ACL `public-read`
};

// What a store knows of one object.
struct ObjectInfo {
  std::string key = {};
  uint64_t size = 0;
  // An opaque content tag (S3's ETag without quotes; the local store's is
  // derived from size and modification time). Empty when unknown.
  std::string etag = {};
  // Filled by Head and Put; a listing leaves these empty.
  std::string content_type = {};
  ObjectMetadata metadata = {};

  friend bool operator==(const ObjectInfo&, const ObjectInfo&) = default;
};

// One page of a listing.
struct ObjectPage {
  std::vector<ObjectInfo> objects = {};  // in key order
  // Pass as `ListOptions::continuation_token` for the next page; empty on
  // the last page.
  std::string next_token = {};
};

struct ListOptions {
  std::string prefix = {};
  std::string continuation_token = {};
  // At most this many objects per page (S3 caps it at 1000).
  int max_keys = 1000;
};

struct PutOptions {
  ObjectMetadata metadata = {};
  std::string content_type = "application/octet-stream";
  ObjectAcl acl = ObjectAcl::kDefault;
};

struct CopyOptions {
  // The copy keeps the source's metadata and content type; this sets who may
  // read the copy.
  ObjectAcl acl = ObjectAcl::kDefault;
  // Entries added to (or replacing those of) the source's metadata on the
  // copy, e.g. `checksum-sha256`; the content type is still the source's
  // (S3: CopyObject with `x-amz-metadata-directive: REPLACE` carrying the
  // source's content type and merged metadata). Empty: metadata copied as is.
  ObjectMetadata set_metadata = {};
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Returns a description for messages: "s3://bucket (endpoint)" or
  // "file:///dir". Never includes a credential.
  virtual std::string Describe() const = 0;

  // Returns one page of the keys under `options.prefix`, in key order.
  virtual absl::StatusOr<ObjectPage> List(const ListOptions& options) = 0;

  // Returns size, tag, content type and metadata of `key`; NotFound when it
  // does not exist.
  virtual absl::StatusOr<ObjectInfo> Head(absl::string_view key) = 0;

  // Writes the object `key` to the file `path`, replacing it atomically (a
  // partial download never sits at `path`).
  virtual absl::Status Get(absl::string_view key, const std::string& path) = 0;

  // Writes the file `path` as the object `key` with `options`, and returns
  // what the store now holds. Readers see the old object or the new one,
  // never a part.
  virtual absl::StatusOr<ObjectInfo> Put(absl::string_view key,
                                         const std::string& path,
                                         const PutOptions& options) = 0;

  // Copies `source` to `destination` inside the store (server side for S3),
  // keeping content type and metadata.
  virtual absl::Status Copy(absl::string_view source,
                            absl::string_view destination,
                            const CopyOptions& options) = 0;

  // Returns every object under `prefix`, following the pages.
  absl::StatusOr<std::vector<ObjectInfo>> ListAll(absl::string_view prefix);
};

// Returns OK when `key` can name an object in every store: not empty, at
// most 1024 bytes, no NUL, no leading `/`, no `.` or `..` path segment, no
// empty segment. InvalidArgument naming the key otherwise.
absl::Status ValidateObjectKey(absl::string_view key);

// Returns the name of `acl`: "default" or "public-read".
absl::string_view ObjectAclName(ObjectAcl acl);

}  // namespace relkit

#endif  // RELKIT_OBJECT_STORE_H_
