// An on-disk cache of per-commit diff facts for the branch audit: a digest of
// the paths a commit changes against its first parent, and its patch-id.
//
// Both are functions of the commit's content alone, which its id names, so an
// entry never goes stale and one cache serves every clone of every repository
// (as git's commit-graph serves one). Computing them means reading trees and
// blobs, which is nearly all of a cold audit's time; a warm audit reads
// commits only.
//
// The file is a header, records sorted by commit id, and a checksum. A file
// that is truncated, has another format or fails its checksum is ignored
// (never served) and replaced on the next `Save`. `Save` writes atomically
// (temporary file and rename): a reader never sees half a file, and two
// writers at once lose entries, never correctness. Failures to compute a fact
// (missing objects) are not cached, so they are retried once the objects
// arrive.
//
// Not thread-safe; one instance per audit.

#ifndef RELKIT_SRC_ADAPTERS_GIT_DIFF_FACTS_CACHE_H_
#define RELKIT_SRC_ADAPTERS_GIT_DIFF_FACTS_CACHE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "relkit/git.h"

namespace relkit::internal {

// The facts known about one commit.
struct DiffFacts {
  // Digest of the sorted changed paths; nullopt when not computed.
  std::optional<uint64_t> paths_digest;
  // nullopt when not computed; a null inner value when the commit has no
  // patch-id (a merge, or it changes nothing).
  std::optional<std::optional<ObjectId>> patch_id;
};

class DiffFactsCache {
 public:
  // The file name under the cache directory; the version changes whenever
  // the record format or the way facts are computed does.
  static constexpr const char* kFileName = "diff-facts-v1.bin";

  // A disabled cache: finds nothing, saves nothing.
  DiffFactsCache() = default;
  // Loads `<dir>/diff-facts-v1.bin`. A missing or unusable file gives an
  // empty cache (the reason is kept in `load_problem()`).
  static DiffFactsCache Load(const std::string& dir);
  // The cache that `Load` makes of file `path` holding `data`.
  static DiffFactsCache FromBytes(std::string path, absl::string_view data);

  bool enabled() const { return !path_.empty(); }
  // Why the file could not be used ("" when it could, or did not exist).
  const std::string& load_problem() const { return load_problem_; }
  // Entries read from the file.
  size_t loaded() const { return loaded_count_; }

  // Keeps answering from the file but adds nothing: for a shallow clone,
  // whose boundary commits may look like roots with whole-tree diffs.
  void MakeReadOnly() { read_only_ = true; }

  DiffFacts Find(const ObjectId& commit) const;
  void PutPathsDigest(const ObjectId& commit, uint64_t digest);
  void PutPatchId(const ObjectId& commit, const std::optional<ObjectId>& id);

  // Entries added or completed since `Load`.
  size_t added() const { return added_.size(); }
  // Writes the file when something was added. Returns Unavailable naming
  // the path on I/O errors (the previous file is left as it was).
  absl::Status Save();
  // The file contents `Save` writes (the loaded records merged with the
  // added ones). Without additions it equals the bytes loaded.
  std::string Serialize() const;

  // The stable digest of a sorted path list.
  static uint64_t DigestPaths(const std::vector<std::string>& paths);

 private:
  DiffFacts FindLoaded(const ObjectId& commit) const;

  std::string path_;
  std::string load_problem_;
  // The file's records, sorted by commit id (see the .cc for the layout).
  std::string records_;
  size_t loaded_count_ = 0;
  bool read_only_ = false;
  absl::flat_hash_map<ObjectId, DiffFacts> added_;
};

}  // namespace relkit::internal

#endif  // RELKIT_SRC_ADAPTERS_GIT_DIFF_FACTS_CACHE_H_
