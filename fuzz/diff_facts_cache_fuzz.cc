// libFuzzer target for the audit's on-disk diff-facts cache
// (src/adapters/git/diff_facts_cache.h): any bytes load without crashing; a file
// that loads without a problem serialises back to exactly its bytes; lookups
// and additions on it never crash and always serialise to a file that loads
// cleanly with every added entry. abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "adapters/git/diff_facts_cache.h"
#include "relkit/git.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  using relkit::internal::DiffFactsCache;
  DiffFactsCache cache = DiffFactsCache::FromBytes("fuzz", input);
  if (cache.load_problem().empty() && !input.empty() &&
      cache.Serialize() != input) {
    std::abort();
  }
  if (!cache.load_problem().empty() && cache.loaded() != 0) std::abort();

  // Ids taken from the input itself, so lookups sometimes hit.
  unsigned char raw[20] = {};
  for (size_t i = 0; i < 20 && i < size; ++i) raw[i] = data[size - 1 - i];
  relkit::ObjectId id = relkit::ObjectId::FromRaw(raw);
  (void)cache.Find(id);
  cache.PutPathsDigest(id, size);
  cache.PutPatchId(id, std::optional<relkit::ObjectId>());
  std::string saved = cache.Serialize();
  DiffFactsCache again = DiffFactsCache::FromBytes("fuzz", saved);
  if (!again.load_problem().empty()) std::abort();
  relkit::internal::DiffFacts f = again.Find(id);
  if (f.paths_digest != std::optional<uint64_t>(size)) std::abort();
  if (!f.patch_id || f.patch_id->has_value()) std::abort();
  return 0;
}
