#include "relkit/wheel_archive.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/files.h"
#include "relkit/sha256_digest.h"
#include "testing/git_repo.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::relkit::testing::TempDir;
using ::relkit::testing::TempGitRepo;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kPy315[] = "Programming Language :: Python :: 3.15";

// Builds a wheel with tests/testing/make_wheel.py (Python's zipfile).
std::string MakeWheel(const TempDir& dir, const std::string& file_name,
                      const std::string& args) {
  const std::string out = dir.Sub(file_name);
  TempGitRepo::Shell(absl::StrCat("/usr/bin/python3 ", RELKIT_TEST_DATA_DIR,
                                  "/../testing/make_wheel.py '", out, "' ",
                                  args));
  return out;
}

// An independent look at a zip: Python's zipfile lists name, CRC,
// compressed size, external attributes and date of every member.
std::string ZipListing(const std::string& path) {
  return TempGitRepo::Shell(
      absl::StrCat("/usr/bin/python3 -c 'import sys,zipfile\n"
                   "for i in zipfile.ZipFile(sys.argv[1]).infolist():\n"
                   " print(i.filename, i.CRC, i.compress_size, i.file_size, "
                   "i.external_attr, i.date_time, i.compress_type)' '",
                   path, "'"));
}

TEST(ReadWheelTest, ReadsNameMetadataAndRecord) {
  TempDir dir;
  const std::string whl = MakeWheel(
      dir, "demo-1.0.0+cu130-py3-none-any.whl",
      absl::StrCat("--version 1.0.0+cu130 --classifier '", kPy315, "'"));
  absl::StatusOr<WheelContents> w = ReadWheel(whl);
  ASSERT_THAT(w.status(), IsOk());
  EXPECT_EQ(w->filename.name(), "demo");
  EXPECT_EQ(w->dist_info, "demo-1.0.0+cu130.dist-info");
  EXPECT_EQ(w->metadata.Get("Version"), "1.0.0+cu130");
  EXPECT_THAT(w->metadata.GetAll("Classifier"), ElementsAre(kPy315));
  EXPECT_EQ(w->member_count, 9u);
  EXPECT_EQ(w->record.size(), 9u);
  EXPECT_EQ(w->record.back().path, "demo-1.0.0+cu130.dist-info/RECORD");
  EXPECT_GT(w->size, 0u);
}

TEST(ReadWheelTest, MissingFileIsNotFound) {
  TempDir dir;
  EXPECT_THAT(ReadWheel(dir.Sub("demo-1.0-py3-none-any.whl")).status(),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ReadWheelTest, NotAZipIsInvalidArgumentNamingTheFile) {
  TempDir dir;
  const std::string path = dir.Sub("demo-1.0-py3-none-any.whl");
  ASSERT_THAT(WriteFileAtomically(path, "this is not a zip file at all"),
              IsOk());
  EXPECT_THAT(ReadWheel(path).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("demo-1.0-py3-none-any.whl")));
}

TEST(ReadWheelTest, RefusesAMemberThatEscapesTheArchive) {
  TempDir dir;
  for (const char* evil :
       {"../../etc/passwd", "/etc/passwd", "demo/../../x", "C:/x"}) {
    const std::string whl =
        MakeWheel(dir, "demo-1.0-py3-none-any.whl",
                  absl::StrCat("--version 1.0 --evil-name '", evil, "'"));
    EXPECT_THAT(ReadWheel(whl).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("demo-1.0-py3-none-any.whl"),
                               HasSubstr(evil))))
        << evil;
    EXPECT_THAT(VerifyWheelRecord(whl).status(),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(RewriteWheel(whl, dir.Sub("out")).status(),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

TEST(VerifyWheelRecordTest, DamagedOrTruncatedWheelsAreInvalidArgument) {
  TempDir dir;
  const std::string whl = MakeWheel(dir, "demo-1.0-py3-none-any.whl",
                                    "--version 1.0 --so-size 100000");
  std::string bytes = ReadFile(whl).value_or("");
  ASSERT_GT(bytes.size(), 100000u);
  // A flipped byte in the middle of _C.so's deflate stream: a CRC or
  // deflate error when the member is read.
  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 0x55;
  ASSERT_THAT(WriteFileAtomically(whl, damaged), IsOk());
  EXPECT_THAT(VerifyWheelRecord(whl).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("demo-1.0-py3-none-any.whl"),
                             HasSubstr("demo/_C.so"))));
  // Cut in half: the central directory is gone.
  ASSERT_THAT(WriteFileAtomically(whl, bytes.substr(0, bytes.size() / 2)),
              IsOk());
  EXPECT_THAT(ReadWheel(whl).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RewriteWheel(whl, dir.Sub("out")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Empty.
  ASSERT_THAT(WriteFileAtomically(whl, ""), IsOk());
  EXPECT_THAT(VerifyWheelRecord(whl).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(VerifyWheelRecordTest, AWellBuiltWheelVerifies) {
  TempDir dir;
  const std::string whl =
      MakeWheel(dir, "demo-1.0.0+cu130-py3-none-any.whl", "--data");
  absl::StatusOr<RecordCheck> c = VerifyWheelRecord(whl);
  ASSERT_THAT(c.status(), IsOk());
  EXPECT_TRUE(c->ok());
  EXPECT_THAT(c->problems, IsEmpty());
  EXPECT_EQ(c->members_checked, 9u);  // every member but RECORD
}

TEST(VerifyWheelRecordTest, NamesATamperedMemberAndAMissingRow) {
  TempDir dir;
  const std::string whl =
      MakeWheel(dir, "demo-1.0-py3-none-any.whl",
                "--version 1.0 --tamper demo/_C.so --no-record-row "
                "demo/mod_1.py");
  absl::StatusOr<RecordCheck> c = VerifyWheelRecord(whl);
  ASSERT_THAT(c.status(), IsOk());
  EXPECT_FALSE(c->ok());
  EXPECT_THAT(
      c->problems,
      ElementsAre(RecordProblem{"demo/_C.so", "hash mismatch"},
                  RecordProblem{"demo/mod_1.py", "missing from RECORD"}));
}

TEST(RewriteWheelTest, StripsTheLocalLabelRenamesAndRegeneratesRecord) {
  TempDir dir;
  const std::string whl = MakeWheel(
      dir, "demo-1.0.0%2Bcu130-py3-none-any.whl",
      absl::StrCat("--version 1.0.0+cu130 --data --classifier '", kPy315,
                   "' --classifier 'Programming Language :: Python :: 3'"));
  const std::string before = ZipListing(whl);
  absl::StatusOr<WheelRewrite> r =
      RewriteWheel(whl, dir.Sub("out"), {.remove_classifiers = {kPy315}});
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_FALSE(r->unchanged);
  EXPECT_EQ(r->file_name, "demo-1.0.0-py3-none-any.whl");
  EXPECT_EQ(r->output_path, dir.Sub("out/demo-1.0.0-py3-none-any.whl"));
  EXPECT_EQ(r->old_version.ToString(), "1.0.0+cu130");
  EXPECT_EQ(r->new_version.ToString(), "1.0.0");
  EXPECT_THAT(r->removed_classifiers, ElementsAre(kPy315));
  EXPECT_THAT(r->changed_members, ElementsAre("demo-1.0.0.dist-info/METADATA",
                                              "demo-1.0.0.dist-info/RECORD"));
  EXPECT_EQ(r->copied_members, 8u);
  EXPECT_EQ(Sha256OfFile(r->output_path).value_or(""), r->sha256);

  absl::StatusOr<WheelContents> out = ReadWheel(r->output_path);
  ASSERT_THAT(out.status(), IsOk());
  EXPECT_EQ(out->dist_info, "demo-1.0.0.dist-info");
  EXPECT_EQ(out->metadata.Get("Version"), "1.0.0");
  EXPECT_THAT(out->metadata.GetAll("Classifier"),
              ElementsAre("Programming Language :: Python :: 3"));
  EXPECT_THAT(out->metadata.body(), HasSubstr("Version: 9.9 (in the body"));
  absl::StatusOr<RecordCheck> check = VerifyWheelRecord(r->output_path);
  ASSERT_THAT(check.status(), IsOk());
  EXPECT_THAT(check->problems, IsEmpty());
  EXPECT_EQ(check->members_checked, 9u);

  // Unchanged members: same compressed bytes, CRC, mode and date; the
  // renamed ones too, under their new names.
  const std::string after = ZipListing(r->output_path);
  for (const char* member :
       {"demo/_C.so ", "demo/__init__.py ", "demo/mod_0.py "}) {
    const size_t b = before.find(member), a = after.find(member);
    ASSERT_NE(b, std::string::npos);
    ASSERT_NE(a, std::string::npos);
    EXPECT_EQ(before.substr(b, before.find('\n', b) - b),
              after.substr(a, after.find('\n', a) - a));
  }
  EXPECT_THAT(after, HasSubstr("demo-1.0.0.data/scripts/demo-tool"));
  EXPECT_THAT(after, HasSubstr("demo-1.0.0.dist-info/WHEEL"));
  EXPECT_THAT(after, Not(HasSubstr("cu130")));
  // Nothing else is left in the output folder (no temporary).
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.Sub("out"))) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(RewriteWheelTest, AWheelWithNothingToChangeIsCopiedUnchanged) {
  TempDir dir;
  const std::string whl =
      MakeWheel(dir, "demo-1.0.0-py3-none-any.whl", "--version 1.0.0");
  absl::StatusOr<WheelRewrite> r =
      RewriteWheel(whl, dir.Sub("out"), {.remove_classifiers = {kPy315}});
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_TRUE(r->unchanged);
  EXPECT_EQ(r->file_name, "demo-1.0.0-py3-none-any.whl");
  EXPECT_THAT(r->changed_members, IsEmpty());
  EXPECT_EQ(ReadFile(r->output_path).value_or("x"),
            ReadFile(whl).value_or("y"));
  EXPECT_EQ(Sha256OfFile(whl).value_or(""), r->sha256);
}

TEST(RewriteWheelTest, RefusesAFileNameWhoseVersionIsNotMetadatas) {
  // Named 1.0.0+cu130, but METADATA (and the .dist-info) say 1.1.0+cu130:
  // an output named 1.0.0 holding 1.1.0 is a wheel pip refuses.
  TempDir dir;
  const std::string whl = MakeWheel(dir, "demo-1.0.0+cu130-py3-none-any.whl",
                                    "--version 1.1.0+cu130");
  absl::StatusOr<WheelRewrite> r = RewriteWheel(whl, dir.Sub("out"));
  EXPECT_THAT(r.status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("1.0.0+cu130"), HasSubstr("1.1.0"))));
  EXPECT_FALSE(
      std::filesystem::exists(dir.Sub("out/demo-1.0.0-py3-none-any.whl")));
}

TEST(RewriteWheelTest, Zip64WheelsWork) {
  TempDir dir;
  const std::string whl = MakeWheel(dir, "demo-2.0+cpu-py3-none-any.whl",
                                    "--version 2.0+cpu --zip64");
  ASSERT_THAT(ZipListing(whl), HasSubstr("demo/_C.so"));
  absl::StatusOr<RecordCheck> in = VerifyWheelRecord(whl);
  ASSERT_THAT(in.status(), IsOk());
  EXPECT_TRUE(in->ok());
  absl::StatusOr<WheelRewrite> r = RewriteWheel(whl, dir.Sub("out"));
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->file_name, "demo-2.0-py3-none-any.whl");
  absl::StatusOr<RecordCheck> out = VerifyWheelRecord(r->output_path);
  ASSERT_THAT(out.status(), IsOk());
  EXPECT_THAT(out->problems, IsEmpty());
}

TEST(RewriteWheelTest, AFailedRewriteLeavesNoTemporaryBehind) {
  TempDir dir;
  const std::string whl = MakeWheel(dir, "demo-1.0+cu130-py3-none-any.whl",
                                    "--version 1.0+cu130 --so-size 3000000");
  // A non-empty folder where the output goes: the final rename fails after
  // the whole archive was written.
  const std::string blocker = dir.Sub("out/demo-1.0-py3-none-any.whl");
  std::filesystem::create_directories(blocker);
  ASSERT_THAT(WriteFileAtomically(blocker + "/keep", "x"), IsOk());
  absl::StatusOr<WheelRewrite> r = RewriteWheel(whl, dir.Sub("out"));
  EXPECT_THAT(r.status(), StatusIs(absl::StatusCode::kUnavailable,
                                   HasSubstr("demo-1.0-py3-none-any.whl")));
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.Sub("out"))) {
    EXPECT_EQ(e.path().filename(), "demo-1.0-py3-none-any.whl");
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(RewriteWheelTest, ARerunRemovesTheTemporaryOfAKilledRun) {
  TempDir dir;
  const std::string whl =
      MakeWheel(dir, "demo-1.0+cu130-py3-none-any.whl", "--version 1.0+cu130");
  // What a run killed mid-write leaves: its hidden temporary, named with a
  // pid that no longer runs (a child that has exited and been reaped).
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  std::filesystem::create_directories(dir.Sub("out"));
  const std::string stale = dir.Sub(
      absl::StrCat("out/.demo-1.0-py3-none-any.whl.relkit-tmp-", child, "-0"));
  const std::string live = dir.Sub(absl::StrCat(
      "out/.demo-1.0-py3-none-any.whl.relkit-tmp-", ::getppid(), "-0"));
  ASSERT_THAT(WriteFileAtomically(stale, "half a wheel"), IsOk());
  ASSERT_THAT(WriteFileAtomically(live, "another run's"), IsOk());
  ASSERT_THAT(RewriteWheel(whl, dir.Sub("out")).status(), IsOk());
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(live));
  EXPECT_TRUE(
      std::filesystem::exists(dir.Sub("out/demo-1.0-py3-none-any.whl")));
}

}  // namespace
}  // namespace relkit
