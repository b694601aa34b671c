#include "adapters/git/diff_facts_cache.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "internal/files.h"
#include "relkit/files.h"
#include "relkit/status.h"

namespace relkit::internal {
namespace {

// File layout (integers little-endian):
//   magic "relkit-diff-facts\n" (18 bytes), u16 record size, u32 reserved,
//   u64 record count (32 bytes of header in all);
//   records sorted by commit id;
//   u64 FNV-1a of the records.
// A record:
//   [0, 20)  commit id
//   [20]     flags: kDigest, kPatchIdKnown, kHasPatchId
//   [24, 32) paths digest
//   [32, 52) patch-id
constexpr absl::string_view kMagic = "relkit-diff-facts\n";
constexpr size_t kHeaderSize = 32;
constexpr size_t kRecordSize = 56;
constexpr size_t kChecksumSize = 8;
// Beyond this many records (56 MiB) a save keeps only this run's entries.
constexpr size_t kMaxRecords = size_t{1} << 20;

constexpr unsigned char kDigest = 1;
constexpr unsigned char kPatchIdKnown = 2;
constexpr unsigned char kHasPatchId = 4;

void PutU64(char* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(in[i]);
  }
  return v;
}

DiffFacts Decode(const char* r) {
  DiffFacts f;
  auto flags = static_cast<unsigned char>(r[20]);
  if (flags & kDigest) f.paths_digest = GetU64(r + 24);
  if (flags & kPatchIdKnown) {
    f.patch_id = (flags & kHasPatchId)
                     ? std::optional<ObjectId>(ObjectId::FromRaw(
                           reinterpret_cast<const unsigned char*>(r + 32)))
                     : std::optional<ObjectId>();
  }
  return f;
}

void Encode(const ObjectId& id, const DiffFacts& f, char* r) {
  std::memset(r, 0, kRecordSize);
  std::memcpy(r, id.raw().data(), 20);
  unsigned char flags = 0;
  if (f.paths_digest) {
    flags |= kDigest;
    PutU64(r + 24, *f.paths_digest);
  }
  if (f.patch_id) {
    flags |= kPatchIdKnown;
    if (f.patch_id->has_value()) {
      flags |= kHasPatchId;
      std::memcpy(r + 32, (*f.patch_id)->raw().data(), 20);
    }
  }
  r[20] = static_cast<char>(flags);
}

// Checks the layout of a whole file; returns "" or what is wrong with it.
std::string Validate(absl::string_view data, size_t& count) {
  if (data.size() < kHeaderSize + kChecksumSize ||
      data.substr(0, kMagic.size()) != kMagic) {
    return "not a diff-facts cache file";
  }
  size_t record_size =
      static_cast<unsigned char>(data[18]) |
      (static_cast<size_t>(static_cast<unsigned char>(data[19])) << 8);
  if (record_size != kRecordSize) return "another record format";
  if (data.substr(20, 4) != absl::string_view("\0\0\0\0", 4)) {
    return "another format (reserved bytes set)";
  }
  uint64_t n = GetU64(data.data() + 24);
  if (n > kMaxRecords ||
      data.size() != kHeaderSize + n * kRecordSize + kChecksumSize) {
    return "truncated or oversized";
  }
  absl::string_view records = data.substr(kHeaderSize, n * kRecordSize);
  if (StableHash64(records) != GetU64(data.data() + data.size() - 8)) {
    return "checksum mismatch";
  }
  char canonical[kRecordSize];
  for (size_t i = 0; i < n; ++i) {
    const char* r = records.data() + i * kRecordSize;
    if (i > 0 && std::memcmp(r - kRecordSize, r, 20) >= 0) {
      return "records out of order";
    }
    // Only what `Encode` writes: no unknown flags, no stray bytes.
    Encode(ObjectId::FromRaw(reinterpret_cast<const unsigned char*>(r)),
           Decode(r), canonical);
    if (std::memcmp(canonical, r, kRecordSize) != 0) {
      return absl::StrCat("record ", i, " is not in the format");
    }
  }
  count = n;
  return "";
}

}  // namespace

DiffFactsCache DiffFactsCache::Load(const std::string& dir) {
  std::string path = absl::StrCat(dir, "/", kFileName);
  absl::StatusOr<std::string> data = relkit::ReadFile(path);
  if (!data.ok()) {
    DiffFactsCache cache = FromBytes(std::move(path), "");
    cache.load_problem_ = absl::IsNotFound(data.status())
                              ? ""
                              : std::string(data.status().message());
    return cache;
  }
  return FromBytes(std::move(path), *data);
}

DiffFactsCache DiffFactsCache::FromBytes(std::string path,
                                         absl::string_view data) {
  DiffFactsCache cache;
  cache.path_ = std::move(path);
  if (data.empty()) return cache;
  size_t n = 0;
  std::string problem = Validate(data, n);
  if (!problem.empty()) {
    cache.load_problem_ = absl::StrCat(cache.path_, ": ", problem);
    return cache;
  }
  cache.records_ = std::string(data.substr(kHeaderSize, n * kRecordSize));
  cache.loaded_count_ = n;
  return cache;
}

DiffFacts DiffFactsCache::FindLoaded(const ObjectId& commit) const {
  size_t lo = 0;
  size_t hi = loaded_count_;
  const unsigned char* key = commit.raw().data();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char* r = records_.data() + mid * kRecordSize;
    int c = std::memcmp(r, key, 20);
    if (c == 0) return Decode(r);
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return DiffFacts{};
}

DiffFacts DiffFactsCache::Find(const ObjectId& commit) const {
  if (!enabled()) return DiffFacts{};
  DiffFacts f = FindLoaded(commit);
  if (auto it = added_.find(commit); it != added_.end()) {
    if (it->second.paths_digest) f.paths_digest = it->second.paths_digest;
    if (it->second.patch_id) f.patch_id = it->second.patch_id;
  }
  return f;
}

void DiffFactsCache::PutPathsDigest(const ObjectId& commit, uint64_t digest) {
  if (!enabled() || read_only_) return;
  added_[commit].paths_digest = digest;
}

void DiffFactsCache::PutPatchId(const ObjectId& commit,
                                const std::optional<ObjectId>& id) {
  if (!enabled() || read_only_) return;
  added_[commit].patch_id = id;
}

absl::Status DiffFactsCache::Save() {
  if (!enabled() || added_.empty()) return absl::OkStatus();
  std::string file = Serialize();
  RELKIT_RETURN_IF_ERROR(relkit::WriteFileAtomically(path_, file));
  records_ =
      file.substr(kHeaderSize, file.size() - kHeaderSize - kChecksumSize);
  loaded_count_ = records_.size() / kRecordSize;
  added_.clear();
  return absl::OkStatus();
}

std::string DiffFactsCache::Serialize() const {
  std::vector<std::pair<ObjectId, DiffFacts>> fresh;
  fresh.reserve(added_.size());
  for (const auto& [id, facts] : added_) {
    DiffFacts merged = FindLoaded(id);
    if (facts.paths_digest) merged.paths_digest = facts.paths_digest;
    if (facts.patch_id) merged.patch_id = facts.patch_id;
    fresh.emplace_back(id, merged);
  }
  std::sort(fresh.begin(), fresh.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Never write more than `Load` accepts.
  if (fresh.size() > kMaxRecords) fresh.resize(kMaxRecords);
  // Past the size limit, start over with this run's entries.
  size_t loaded =
      loaded_count_ + fresh.size() <= kMaxRecords ? loaded_count_ : 0;

  // Merge the loaded records (sorted) with the fresh ones (sorted); a fresh
  // entry replaces the loaded record of the same commit.
  std::string records;
  records.reserve((loaded + fresh.size()) * kRecordSize);
  char buf[kRecordSize];
  size_t i = 0;
  size_t j = 0;
  while (i < loaded || j < fresh.size()) {
    const char* r = i < loaded ? records_.data() + i * kRecordSize : nullptr;
    int c = r == nullptr ? 1
            : j == fresh.size()
                ? -1
                : std::memcmp(r, fresh[j].first.raw().data(), 20);
    if (c < 0) {
      records.append(r, kRecordSize);
      ++i;
      continue;
    }
    Encode(fresh[j].first, fresh[j].second, buf);
    records.append(buf, kRecordSize);
    ++j;
    if (c == 0) ++i;
  }
  std::string file(kMagic);
  file.push_back(static_cast<char>(kRecordSize & 0xff));
  file.push_back(static_cast<char>(kRecordSize >> 8));
  file.append(4, '\0');
  char u64[8];
  PutU64(u64, records.size() / kRecordSize);
  file.append(u64, 8);
  file += records;
  PutU64(u64, StableHash64(records));
  file.append(u64, 8);
  return file;
}

uint64_t DiffFactsCache::DigestPaths(const std::vector<std::string>& paths) {
  uint64_t h = StableHash64("");
  for (const std::string& p : paths) {
    // Length-prefixed, so ["ab", "c"] and ["a", "bc"] differ.
    h = h * 31 + StableHash64(absl::StrCat(p.size(), ":", p));
  }
  return h;
}

}  // namespace relkit::internal
