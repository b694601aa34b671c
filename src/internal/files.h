// Small private file helpers for the on-disk caches and snapshots: whole-file
// reads, atomic whole-file writes (temp file + rename, so a reader never sees
// half a file) and a stable 64-bit hash for file names.

#ifndef RELKIT_SRC_INTERNAL_FILES_H_
#define RELKIT_SRC_INTERNAL_FILES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relkit::internal {

// Returns the bytes of the file at `path`; NotFound when it does not exist,
// Unavailable for other I/O errors. Messages name the path.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Writes `contents` to a temporary file next to `path` and renames it over
// `path`, creating the parent directories first. Returns Unavailable naming
// the path on I/O errors (the temporary file is removed).
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// Returns the FNV-1a 64-bit hash of `data`: stable across runs, builds and
// platforms (unlike absl::Hash), for on-disk names.
inline uint64_t StableHash64(absl::string_view data) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_FILES_H_
