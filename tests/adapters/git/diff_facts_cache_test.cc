#include "adapters/git/diff_facts_cache.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "internal/files.h"
#include "relkit/files.h"
#include "relkit/git.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit::internal {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempDir;
using ::testing::HasSubstr;

ObjectId Id(char c) { return *ObjectId::Parse(std::string(40, c)); }

std::string FileOf(const TempDir& dir) {
  return *relkit::ReadFile(dir.Sub(DiffFactsCache::kFileName));
}

TEST(DiffFactsCacheTest, DisabledCacheFindsAndSavesNothing) {
  DiffFactsCache cache;
  cache.PutPathsDigest(Id('a'), 1);
  EXPECT_FALSE(cache.Find(Id('a')).paths_digest.has_value());
  EXPECT_THAT(cache.Save(), IsOk());
}

TEST(DiffFactsCacheTest, MissingFileIsAnEmptyCacheWithoutProblem) {
  TempDir dir;
  DiffFactsCache cache = DiffFactsCache::Load(dir.Sub("new/sub"));
  EXPECT_TRUE(cache.enabled());
  EXPECT_EQ(cache.load_problem(), "");
  EXPECT_EQ(cache.loaded(), 0u);
  EXPECT_FALSE(cache.Find(Id('a')).patch_id.has_value());
  // Nothing added: nothing written.
  EXPECT_THAT(cache.Save(), IsOk());
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("new")));
}

TEST(DiffFactsCacheTest, FactsSurviveASaveAndLoad) {
  TempDir dir;
  {
    DiffFactsCache cache = DiffFactsCache::Load(dir.path());
    cache.PutPathsDigest(Id('c'), 0xfeedface12345678ull);
    cache.PutPatchId(Id('c'), Id('9'));
    cache.PutPatchId(Id('a'), std::nullopt);  // a merge: no patch-id
    cache.PutPathsDigest(Id('b'), 7);         // digest only
    EXPECT_EQ(cache.added(), 3u);
    ASSERT_THAT(cache.Save(), IsOk());
  }
  DiffFactsCache cache = DiffFactsCache::Load(dir.path());
  EXPECT_EQ(cache.load_problem(), "");
  EXPECT_EQ(cache.loaded(), 3u);
  DiffFacts c = cache.Find(Id('c'));
  EXPECT_EQ(c.paths_digest, std::optional<uint64_t>(0xfeedface12345678ull));
  ASSERT_TRUE(c.patch_id.has_value());
  EXPECT_EQ(*c.patch_id, std::optional<ObjectId>(Id('9')));
  DiffFacts a = cache.Find(Id('a'));
  EXPECT_FALSE(a.paths_digest.has_value());
  ASSERT_TRUE(a.patch_id.has_value());
  EXPECT_FALSE(a.patch_id->has_value());
  DiffFacts b = cache.Find(Id('b'));
  EXPECT_EQ(b.paths_digest, std::optional<uint64_t>(7));
  EXPECT_FALSE(b.patch_id.has_value());
  EXPECT_FALSE(cache.Find(Id('d')).paths_digest.has_value());
}

TEST(DiffFactsCacheTest, LaterSavesMergeWithWhatIsThere) {
  TempDir dir;
  {
    DiffFactsCache cache = DiffFactsCache::Load(dir.path());
    cache.PutPathsDigest(Id('1'), 1);
    cache.PutPathsDigest(Id('5'), 5);
    ASSERT_THAT(cache.Save(), IsOk());
  }
  {
    DiffFactsCache cache = DiffFactsCache::Load(dir.path());
    cache.PutPatchId(Id('5'), Id('e'));  // completes a loaded record
    cache.PutPathsDigest(Id('3'), 3);    // goes between the two
    ASSERT_THAT(cache.Save(), IsOk());
    EXPECT_EQ(cache.added(), 0u);
  }
  DiffFactsCache cache = DiffFactsCache::Load(dir.path());
  EXPECT_EQ(cache.loaded(), 3u);
  EXPECT_EQ(cache.Find(Id('1')).paths_digest, std::optional<uint64_t>(1));
  EXPECT_EQ(cache.Find(Id('3')).paths_digest, std::optional<uint64_t>(3));
  EXPECT_EQ(cache.Find(Id('5')).paths_digest, std::optional<uint64_t>(5));
  EXPECT_EQ(cache.Find(Id('5')).patch_id,
            std::optional<std::optional<ObjectId>>(Id('e')));
}

TEST(DiffFactsCacheTest, AFileThatLoadsSerialisesToItsOwnBytes) {
  TempDir dir;
  {
    DiffFactsCache cache = DiffFactsCache::Load(dir.path());
    for (char c : std::string("0123456789abcdef")) {
      cache.PutPathsDigest(Id(c), static_cast<uint64_t>(c));
    }
    ASSERT_THAT(cache.Save(), IsOk());
  }
  std::string bytes = FileOf(dir);
  EXPECT_EQ(DiffFactsCache::FromBytes("x", bytes).Serialize(), bytes);
}

// Every way a file can be damaged: it is ignored (never served), the
// problem names the file, and the next save replaces it with a good one.
TEST(DiffFactsCacheTest, DamagedFilesAreIgnoredAndReplaced) {
  TempDir good_dir;
  {
    DiffFactsCache cache = DiffFactsCache::Load(good_dir.path());
    cache.PutPathsDigest(Id('a'), 1);
    cache.PutPathsDigest(Id('b'), 2);
    ASSERT_THAT(cache.Save(), IsOk());
  }
  const std::string good = FileOf(good_dir);
  std::string flipped = good;
  flipped[40] ^= 1;  // a record byte: checksum mismatch
  // Damage that keeps the checksum right: a flag bit Encode never writes,
  // and the two records swapped.
  auto rechecksum = [](std::string f) {
    absl::string_view records(f.data() + 32, f.size() - 40);
    uint64_t h = StableHash64(records);
    for (int i = 0; i < 8; ++i) {
      f[f.size() - 8 + i] = static_cast<char>((h >> (8 * i)) & 0xff);
    }
    return f;
  };
  std::string odd_flag = good;
  odd_flag[32 + 20] = static_cast<char>(odd_flag[32 + 20] | 0x40);
  odd_flag = rechecksum(odd_flag);
  std::string stray_byte = good;
  stray_byte[32 + 55] = 'x';  // padding at the end of the first record
  stray_byte = rechecksum(stray_byte);
  std::string swapped = good;
  std::swap_ranges(swapped.begin() + 32, swapped.begin() + 88,
                   swapped.begin() + 88);
  swapped = rechecksum(swapped);
  std::string huge_count = good;
  huge_count[24 + 7] = 0x7f;  // 2^62-ish records
  std::string other_format = good;
  other_format[18] = 57;  // record size
  struct Case {
    const char* name;
    std::string bytes;
    const char* problem;
  } cases[] = {
      {"truncated", good.substr(0, good.size() - 3), "truncated"},
      {"flipped", flipped, "checksum"},
      {"other format", other_format, "record format"},
      {"not ours", "hello world, this is not a cache file at all", "not a"},
      {"extra bytes", good + "x", "truncated"},
      {"unknown flag", odd_flag, "record 0 is not in the format"},
      {"stray byte", stray_byte, "record 0 is not in the format"},
      {"out of order", swapped, "out of order"},
      {"huge count", huge_count, "oversized"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    {
      std::ofstream f(dir.Sub(DiffFactsCache::kFileName), std::ios::binary);
      f << c.bytes;
    }
    DiffFactsCache cache = DiffFactsCache::Load(dir.path());
    EXPECT_THAT(cache.load_problem(), HasSubstr(c.problem));
    EXPECT_THAT(cache.load_problem(), HasSubstr(DiffFactsCache::kFileName));
    EXPECT_EQ(cache.loaded(), 0u);
    EXPECT_FALSE(cache.Find(Id('a')).paths_digest.has_value());
    cache.PutPathsDigest(Id('c'), 3);
    ASSERT_THAT(cache.Save(), IsOk());
    DiffFactsCache again = DiffFactsCache::Load(dir.path());
    EXPECT_EQ(again.load_problem(), "");
    EXPECT_EQ(again.loaded(), 1u);
  }
}

TEST(DiffFactsCacheTest, FailedSaveNamesThePathAndLeavesNoTemporaryFile) {
  TempDir dir;
  // A directory where the file should be: the final rename fails (even for
  // root, unlike permissions).
  std::filesystem::create_directories(
      dir.Sub(absl::StrCat(DiffFactsCache::kFileName, "/inside")));
  DiffFactsCache cache = DiffFactsCache::Load(dir.path());
  cache.PutPathsDigest(Id('b'), 2);
  EXPECT_THAT(cache.Save(), StatusIs(absl::StatusCode::kUnavailable,
                                     HasSubstr(DiffFactsCache::kFileName)));
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);  // the directory itself, no temporary file
}

TEST(DiffFactsCacheTest, DigestSeparatesPathLists) {
  using V = std::vector<std::string>;
  EXPECT_NE(DiffFactsCache::DigestPaths(V{"ab", "c"}),
            DiffFactsCache::DigestPaths(V{"a", "bc"}));
  EXPECT_NE(DiffFactsCache::DigestPaths(V{"a"}),
            DiffFactsCache::DigestPaths(V{"a", "a"}));
  EXPECT_NE(DiffFactsCache::DigestPaths(V{}),
            DiffFactsCache::DigestPaths(V{""}));
  EXPECT_EQ(DiffFactsCache::DigestPaths(V{"x/y.py", "z"}),
            DiffFactsCache::DigestPaths(V{"x/y.py", "z"}));
}

}  // namespace
}  // namespace relkit::internal
