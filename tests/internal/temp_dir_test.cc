// internal::TempDir: made private, removed when done, and the directories of
// killed runs removed by the next run.

#include "internal/temp_dir.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit::internal {
namespace {

namespace fs = std::filesystem;
using ::relkit::testing::IsOk;

// The pid of a process that has exited and been reaped: no process has it
// (until the kernel reuses it, which it does not do at once).
pid_t DeadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(TempDirTest, IsMadeUnderTheParentAndRemovedWithItsFiles) {
  relkit::testing::TempDir parent;
  std::string path;
  {
    absl::StatusOr<TempDir> dir = TempDir::Create(parent.path(), "t");
    ASSERT_THAT(dir.status(), IsOk());
    path = dir->path();
    EXPECT_EQ(fs::path(path).parent_path(), fs::path(parent.path()));
    EXPECT_THAT(
        fs::path(path).filename().string(),
        ::testing::StartsWith(absl::StrCat("relkit-t-", ::getpid(), "-")));
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
              fs::perms::owner_all);
    fs::create_directories(path + "/a/b");
    std::FILE* f = std::fopen((path + "/a/b/x.whl").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempDirTest, RemovesTheDirectoriesOfKilledRunsOnly) {
  relkit::testing::TempDir parent;
  const std::string dead =
      absl::StrCat(parent.path(), "/relkit-t-", DeadPid(), "-abcdef");
  const std::string alive =  // pid 1 always exists
      absl::StrCat(parent.path(), "/relkit-t-1-abcdef");
  const std::string other_kind =
      absl::StrCat(parent.path(), "/relkit-u-", DeadPid(), "-abcdef");
  const std::string not_ours = absl::StrCat(parent.path(), "/relkit-t-abcdef");
  for (const std::string& d : {dead, alive, other_kind, not_ours}) {
    fs::create_directories(d + "/sub");
  }
  absl::StatusOr<TempDir> dir = TempDir::Create(parent.path(), "t");
  ASSERT_THAT(dir.status(), IsOk());
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(other_kind));
  EXPECT_TRUE(fs::exists(not_ours));
  EXPECT_TRUE(fs::exists(dir->path()));
}

TEST(TempDirTest, AParentThatCannotHoldItIsUnavailableNamingIt) {
  absl::StatusOr<TempDir> dir = TempDir::Create("/nonexistent/relkit", "t");
  EXPECT_EQ(dir.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(dir.status().message(),
              ::testing::HasSubstr("/nonexistent/relkit"));
}

}  // namespace
}  // namespace relkit::internal
