// File: relkit/local_store.h
// -----------------------------------------------------------------------------
//
// An ObjectStore over a local directory, for dry runs, mirrors and tests of
// the promotion workflow (`file://DIR`). Object `a/b.whl` is the file
// `DIR/a/b.whl`; its content type, ACL and metadata sit in a sidecar
// `DIR/.relkit-meta/a/b.whl.json`, which listings skip.
//
//   absl::StatusOr<relkit::LocalStore> store =
//       relkit::LocalStore::Open("/srv/channel");
//   RELKIT_RETURN_IF_ERROR(store->Copy("whl/test/x.whl", "whl/x.whl", {}));
//
// Every write goes to a temporary file in the destination's folder and is
// renamed into place, so a reader (or a killed run) sees the old object or
// the new one. The sidecar records the tag (size and modification time) of
// the data it describes and is written first: a sidecar left from a killed
// write no longer matches the data and is ignored.

#ifndef RELKIT_LOCAL_STORE_H_
#define RELKIT_LOCAL_STORE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/object_store.h"

namespace relkit {

class LocalStore final : public ObjectStore {
 public:
  // Opens the store rooted at `directory`, creating it when missing.
  // Returns FailedPrecondition when `directory` exists and is not a
  // directory, PermissionDenied when it cannot be created.
  static absl::StatusOr<LocalStore> Open(const std::string& directory);

  // Returns "file://<directory>".
  std::string Describe() const override;
  absl::StatusOr<ObjectPage> List(const ListOptions& options) override;
  absl::StatusOr<ObjectInfo> Head(absl::string_view key) override;
  absl::Status Get(absl::string_view key, const std::string& path) override;
  absl::StatusOr<ObjectInfo> Put(absl::string_view key, const std::string& path,
                                 const PutOptions& options) override;
  absl::Status Copy(absl::string_view source, absl::string_view destination,
                    const CopyOptions& options) override;

  const std::string& directory() const { return directory_; }

 private:
  explicit LocalStore(std::string directory)
      : directory_(std::move(directory)) {}

  // Writes `from` (a file) as object `key` with its sidecar.
  absl::StatusOr<ObjectInfo> Write(absl::string_view key,
                                   const std::string& from,
                                   const std::string& content_type,
                                   ObjectAcl acl,
                                   const ObjectMetadata& metadata);

  std::string directory_;
};

// A `file://DIR[//PREFIX]` location: a local store's root and a prefix in it.
struct LocalLocation {
  std::string directory;
  std::string prefix;  // may be empty
};

// Parses "file://DIR" (the store rooted at DIR, no prefix) or
// "file://DIR//PREFIX": the root has to be explicit, since a LocalStore keeps
// its metadata under DIR/.relkit-meta/ (`file:///srv/b//whl/test` and
// `file:///srv/b/whl/test` are different stores). DIR may be relative.
// Returns InvalidArgument naming the text for another scheme or an empty DIR.
absl::StatusOr<LocalLocation> ParseLocalUrl(absl::string_view url);

}  // namespace relkit

#endif  // RELKIT_LOCAL_STORE_H_
