// File: relkit/sha256_digest.h
// -----------------------------------------------------------------------------
//
// SHA-256 of bytes and of a file (OpenSSL's libcrypto), in lower-case hex:
// what promotion writes as an object's `checksum-sha256` metadata.
//
//   absl::StatusOr<std::string> hex = relkit::Sha256OfFile("/tmp/x.whl");
//   if (!hex.ok()) return hex.status();  // names the path
//
// A file is read in 1 MiB blocks: it is never held whole in memory.

#ifndef RELKIT_SHA256_DIGEST_H_
#define RELKIT_SHA256_DIGEST_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relkit {

// Returns the SHA-256 of `data` as 64 lower-case hex digits.
std::string Sha256Hex(absl::string_view data);

// Returns the SHA-256 of the file at `path` as 64 lower-case hex digits.
// Returns NotFound when it does not exist, PermissionDenied when it may not
// be read, Unavailable for other read errors; messages name the path.
absl::StatusOr<std::string> Sha256OfFile(const std::string& path);

}  // namespace relkit

#endif  // RELKIT_SHA256_DIGEST_H_
