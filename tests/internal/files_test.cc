// Tests of relkit/files.h on real files in a temp directory.

#include "relkit/files.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

namespace fs = std::filesystem;
using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh directory per test.
fs::path TempDir() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::path(::testing::TempDir()) / "files_test" / info->name();
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Put(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ReadFileTest, ReturnsEveryByte) {
  const fs::path dir = TempDir();
  const std::string bytes("a\0b\r\n\xff", 6);
  Put(dir / "f", bytes);
  EXPECT_THAT(ReadFile((dir / "f").string()), IsOkAndHolds(bytes));
  Put(dir / "empty", "");
  EXPECT_THAT(ReadFile((dir / "empty").string()), IsOkAndHolds(""));
  // Files that report no size (procfs, pipes) are read to their end.
  absl::StatusOr<std::string> status = ReadFile("/proc/self/status");
  ASSERT_THAT(status, IsOk());
  EXPECT_THAT(*status, HasSubstr("Name:"));
}

TEST(ReadFileTest, ErrorsNameThePathAndTheReason) {
  const fs::path dir = TempDir();
  const std::string missing = (dir / "missing.json").string();
  EXPECT_THAT(ReadFile(missing),
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("cannot read \"", missing,
                                    "\": no such file or directory")));
  EXPECT_THAT(ReadFile((dir / "no" / "x").string()),
              StatusIs(absl::StatusCode::kNotFound));
  Put(dir / "file", "x");
  EXPECT_THAT(
      ReadFile((dir / "file" / "x").string()),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("not a directory")));
  EXPECT_THAT(ReadFile(dir.string()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is a directory")));
}

// Permission checks do not apply to root, which CI runs as: there, `check`
// runs in a child process that has dropped to the unprivileged `nobody`
// (uid and gid 65534), and its exit code says whether it held. The files are
// made by the parent, so the child meets them as another user would.
template <typename Check>
void AsAnUnprivilegedUser(const fs::path& dir, Check check) {
  if (::geteuid() != 0) {
    EXPECT_TRUE(check());
    return;
  }
  fs::permissions(dir, fs::perms::all);  // nobody may enter and create
  for (fs::path p = dir.parent_path(); p != p.root_path();
       p = p.parent_path()) {
    fs::permissions(p, fs::perms::others_exec, fs::perm_options::add);
  }
  EXPECT_EXIT(
      {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) std::_Exit(2);
        std::_Exit(check() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(ReadFileTest, UnreadableFileIsPermissionDenied) {
  const fs::path dir = TempDir();
  const fs::path secret = dir / "secret";
  Put(secret, "x");
  fs::permissions(secret, fs::perms::none);
  AsAnUnprivilegedUser(dir, [&] {
    absl::Status s = ReadFile(secret.string()).status();
    return s.code() == absl::StatusCode::kPermissionDenied &&
           absl::StrContains(s.message(), "permission denied");
  });
}

TEST(WriteFileAtomicallyTest, CreatesAndReplacesLeavingNoTemporaryFile) {
  const fs::path dir = TempDir();
  const std::string path = (dir / "a" / "b" / "out.json").string();
  ASSERT_THAT(WriteFileAtomically(path, "one"), IsOk());
  EXPECT_THAT(ReadFile(path), IsOkAndHolds("one"));
  ASSERT_THAT(WriteFileAtomically(path, std::string("two\0", 4)), IsOk());
  EXPECT_THAT(ReadFile(path), IsOkAndHolds(std::string("two\0", 4)));
  EXPECT_THAT(Names(dir / "a" / "b"), ElementsAre("out.json"));
  // A bare file name lands in the current directory.
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);
  EXPECT_THAT(WriteFileAtomically("here.txt", "x"), IsOk());
  fs::current_path(cwd);
  EXPECT_THAT(ReadFile((dir / "here.txt").string()), IsOkAndHolds("x"));
}

TEST(WriteFileAtomicallyTest, KeepsTheModeOfTheFileItReplaces) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "published_versions.json";
  Put(path, "old");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write |
                            fs::perms::group_read);
  ASSERT_THAT(WriteFileAtomically(path.string(), "new"), IsOk());
  EXPECT_EQ(fs::status(path).permissions(), fs::perms::owner_read |
                                                fs::perms::owner_write |
                                                fs::perms::group_read);
}

TEST(WriteFileAtomicallyTest, ReplacesTheFileASymlinkPointsTo) {
  const fs::path dir = TempDir();
  fs::create_directories(dir / "real");
  Put(dir / "real" / "data.json", "old");
  fs::create_symlink("real/data.json", dir / "link.json");
  ASSERT_THAT(WriteFileAtomically((dir / "link.json").string(), "new"), IsOk());
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_THAT(ReadFile((dir / "real" / "data.json").string()),
              IsOkAndHolds("new"));
  EXPECT_THAT(Names(dir / "real"), ElementsAre("data.json"));
}

TEST(WriteFileAtomicallyTest, RefusesAReadOnlyFileAsAWriteInPlaceWould) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "locked.json";
  Put(path, "old");
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read |
                            fs::perms::others_read);
  AsAnUnprivilegedUser(dir, [&] {
    if (::geteuid() == 0) return false;  // the check must run unprivileged
    absl::Status s = WriteFileAtomically(path.string(), "new");
    return s.code() == absl::StatusCode::kPermissionDenied &&
           absl::StrContains(s.message(), "permission denied");
  });
  EXPECT_THAT(ReadFile(path.string()), IsOkAndHolds("old"));
  EXPECT_THAT(Names(dir), ElementsAre("locked.json"));
}

// Lowers RLIMIT_FSIZE for the scope: a write past it fails with EFBIG
// (SIGXFSZ ignored), even for root, like a disk that fills up.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_;
  sighandler_t old_handler_;
};

TEST(WriteFileAtomicallyTest, AFailedWriteLeavesTheOldFileWhole) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "published_versions.json";
  Put(path, "the old content");
  absl::Status status;
  {
    FileSizeLimit limit(100);
    status = WriteFileAtomically(path.string(), std::string(1000, 'x'));
  }
  EXPECT_THAT(
      status,
      StatusIs(
          absl::StatusCode::kUnavailable,
          AllOf(HasSubstr(absl::StrCat("cannot write \"", path.string(), "\"")),
                HasSubstr("file too large"))));
  EXPECT_THAT(ReadFile(path.string()), IsOkAndHolds("the old content"));
  EXPECT_THAT(Names(dir), ElementsAre("published_versions.json"));
}

TEST(WriteFileAtomicallyTest, ErrorsNameThePath) {
  const fs::path dir = TempDir();
  fs::create_directories(dir / "sub");
  EXPECT_THAT(WriteFileAtomically((dir / "sub").string(), "x"),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr((dir / "sub").string()),
                             HasSubstr("is a directory"))));
  Put(dir / "file", "x");
  EXPECT_THAT(WriteFileAtomically((dir / "file" / "x").string(), "y"),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("cannot create directory")));
  EXPECT_THAT(Names(dir), ElementsAre("file", "sub"));
}

// The streamed form: appended in parts, in place only at Commit.
TEST(AtomicFileWriterTest, StreamsPartsAndPutsThemInPlaceAtCommit) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "wheel.whl";
  Put(path, "old");
  absl::StatusOr<AtomicFileWriter> out =
      AtomicFileWriter::Create(path.string());
  ASSERT_THAT(out, IsOk());
  ASSERT_THAT(out->Append("part one, "), IsOk());
  ASSERT_THAT(out->Append(std::string(1 << 20, 'x')), IsOk());
  ASSERT_THAT(out->Finish(), IsOk());
  // Finished: complete on disk, hidden beside the target, not yet in place.
  EXPECT_THAT(ReadFile(path.string()), IsOkAndHolds("old"));
  EXPECT_TRUE(absl::StartsWith(fs::path(out->temp_path()).filename().string(),
                               ".wheel.whl.relkit-tmp-"))
      << out->temp_path();
  EXPECT_THAT(
      ReadFile(out->temp_path()),
      IsOkAndHolds(absl::StrCat("part one, ", std::string(1 << 20, 'x'))));
  EXPECT_THAT(out->Append("late"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_THAT(out->Commit(), IsOk());
  EXPECT_THAT(
      ReadFile(path.string()),
      IsOkAndHolds(absl::StrCat("part one, ", std::string(1 << 20, 'x'))));
  EXPECT_THAT(Names(dir), ElementsAre("wheel.whl"));
}

// A writer dropped before Commit (an error further on, a moved-from writer
// replaced) removes its temporary and leaves the target as it was.
TEST(AtomicFileWriterTest, DroppedBeforeCommitLeavesTheTargetAndNoTemporary) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "index.html";
  Put(path, "old");
  {
    absl::StatusOr<AtomicFileWriter> out =
        AtomicFileWriter::Create(path.string());
    ASSERT_THAT(out, IsOk());
    ASSERT_THAT(out->Append("half"), IsOk());
    AtomicFileWriter moved = *std::move(out);
    ASSERT_THAT(moved.Finish(), IsOk());
    EXPECT_THAT(Names(dir), ::testing::SizeIs(2));
  }
  EXPECT_THAT(ReadFile(path.string()), IsOkAndHolds("old"));
  EXPECT_THAT(Names(dir), ElementsAre("index.html"));
}

TEST(AtomicFileWriterTest, AFailedAppendRemovesTheTemporary) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "big.zip";
  Put(path, "the old content");
  absl::StatusOr<AtomicFileWriter> out =
      AtomicFileWriter::Create(path.string());
  ASSERT_THAT(out, IsOk());
  absl::Status status;
  {
    FileSizeLimit limit(100);
    status = out->Append(std::string(1000, 'x'));
  }
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable,
                               HasSubstr("file too large")));
  EXPECT_THAT(Names(dir), ElementsAre("big.zip"));
  EXPECT_THAT(out->Commit(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(ReadFile(path.string()), IsOkAndHolds("the old content"));
}

// A killed writer leaves its temporary; in a container the next run often
// has the same pid, so the same names come up again. They are skipped, not
// an error, and left alone.
TEST(AtomicFileWriterTest,
     ATemporaryLeftByAKilledProcessOfTheSamePidIsSkipped) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "out.json";
  std::vector<std::string> left;
  for (int n = 0; n < 5; ++n) {
    left.push_back(absl::StrCat(".out.json.relkit-tmp-", ::getpid(), "-", n));
    Put(dir / left.back(), "left by a killed run");
  }
  ASSERT_THAT(WriteFileAtomically(path.string(), "new"), IsOk());
  EXPECT_THAT(ReadFile(path.string()), IsOkAndHolds("new"));
  std::vector<std::string> expected = left;
  expected.push_back("out.json");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Names(dir), expected);
}

// Replacing a private file: its new bytes are private from the first one,
// not only once they are in place.
TEST(AtomicFileWriterTest, TheTemporaryHasTheReplacedFilesModeWhileItStreams) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "token-cache.json";
  Put(path, "old");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  absl::StatusOr<AtomicFileWriter> out =
      AtomicFileWriter::Create(path.string());
  ASSERT_THAT(out, IsOk());
  ASSERT_THAT(out->Append("secret"), IsOk());
  struct stat st;
  ASSERT_EQ(::stat(out->temp_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_THAT(out->Commit(), IsOk());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

}  // namespace
}  // namespace relkit
