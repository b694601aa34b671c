// File: relkit/file_digest.h
// -----------------------------------------------------------------------------
//
// The sha256 of a file, read in chunks (a wheel of a few GB is never held in
// memory), for the `checksum-sha256` metadata of objects that lack it.
//
//   absl::StatusOr<std::string> hex = relkit::Sha256OfFile("/tmp/x.whl");
//   *hex;  // 64 lower-case hex digits

#ifndef RELKIT_FILE_DIGEST_H_
#define RELKIT_FILE_DIGEST_H_

#include <string>

#include "absl/status/statusor.h"

namespace relkit {

// Returns the sha256 of the file at `path` as 64 lower-case hex digits.
// Returns NotFound when the file does not exist, PermissionDenied when it
// cannot be read, Internal for another read error; each names the path.
absl::StatusOr<std::string> Sha256OfFile(const std::string& path);

}  // namespace relkit

#endif  // RELKIT_FILE_DIGEST_H_
