// A stable hash for the names of on-disk cache and snapshot files. (The
// file reads and writes themselves are public: relkit/files.h.)

#ifndef RELKIT_SRC_INTERNAL_FILES_H_
#define RELKIT_SRC_INTERNAL_FILES_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace relkit::internal {

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
