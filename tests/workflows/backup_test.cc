#include "relkit/backup.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"
#include "relkit/release_versions.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

namespace fs = std::filesystem;

std::string Sha(char digit) { return std::string(64, digit); }

std::vector<std::string> DestinationKeys(const BackupPlan& plan) {
  std::vector<std::string> out;
  for (const BackupChannelPlan& part : plan.channels) {
    for (const PlannedCopy& c : part.plan.copies) {
      out.push_back(c.destination_key);
    }
  }
  return out;
}

// A bucket with the test channels (whl/test/, libtorch/test/) and a separate
// backup store (another directory: copies go by Get and Put).
class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/relkit-backup-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    absl::StatusOr<LocalStore> bucket = LocalStore::Open(dir_ + "/bucket");
    ASSERT_THAT(bucket.status(), IsOk());
    bucket_.emplace(*std::move(bucket));
    absl::StatusOr<LocalStore> backup = LocalStore::Open(dir_ + "/backup");
    ASSERT_THAT(backup.status(), IsOk());
    backup_.emplace(*std::move(backup));

    Put(*bucket_, kTorchCu121, "torch cu121 wheel", Sha('1'));
    Put(*bucket_, kTorchCpu, "torch cpu wheel", std::nullopt);
    Put(*bucket_, kLibtorch, "libtorch zip", Sha('3'));
    // Never part of the RC's backup: another version, another package,
    // a moving pointer, an index page.
    Put(*bucket_,
        "whl/test/cu121/torch-2.4.10+cu121-cp312-cp312-linux_x86_64.whl",
        "torch 2.4.10", std::nullopt);
    Put(*bucket_, "whl/test/cpu/executorch-2.4.1-cp312-cp312-linux_x86_64.whl",
        "executorch", std::nullopt);
    Put(*bucket_, "libtorch/test/cu121/libtorch-shared-with-deps-latest.zip",
        "latest", std::nullopt);
    Put(*bucket_, "whl/test/torch/index.html", "<html></html>", std::nullopt);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Put(LocalStore& store, const std::string& key,
           absl::string_view contents,
           const std::optional<std::string>& sha256) {
    const std::string path = absl::StrCat(dir_, "/in/", files_++);
    ASSERT_THAT(WriteFileAtomically(path, contents), IsOk());
    PutOptions options{.content_type = "application/zip"};
    if (sha256) options.metadata = {{"checksum-sha256", *sha256}};
    ASSERT_THAT(store.Put(key, path, options).status(), IsOk());
  }

  std::string Read(LocalStore& store, const std::string& key) {
    const std::string path = absl::StrCat(dir_, "/out/", files_++);
    absl::Status got = store.Get(key, path);
    if (!got.ok()) return absl::StrCat("<", got.ToString(), ">");
    absl::StatusOr<std::string> text = ReadFile(path);
    return text.ok() ? *text : "<unreadable>";
  }

  std::vector<PromotionLocation> Channels() {
    return {{.store = &*bucket_, .prefix = "whl/test"},
            {.store = &*bucket_, .prefix = "libtorch/test/"}};
  }
  PromotionLocation Backup() { return {.store = &*backup_, .prefix = ""}; }

  static constexpr const char* kTorchCu121 =
      "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl";
  static constexpr const char* kTorchCpu =
      "whl/test/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl";
  static constexpr const char* kLibtorch =
      "libtorch/test/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip";
  static constexpr const char* kBackedUpCu121 =
      "v2.4.1-rc3/whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl";
  static constexpr const char* kBackedUpCpu =
      "v2.4.1-rc3/whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl";
  static constexpr const char* kBackedUpLibtorch =
      "v2.4.1-rc3/libtorch/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip";

  std::string dir_;
  std::optional<LocalStore> bucket_;
  std::optional<LocalStore> backup_;
  int files_ = 0;
};

TEST(BackupFolderTest, DropsTheFinalTestSegment) {
  EXPECT_THAT(BackupFolder("whl/test/"), IsOkAndHolds("whl"));
  EXPECT_THAT(BackupFolder("libtorch/test"), IsOkAndHolds("libtorch"));
  EXPECT_THAT(BackupFolder("whl/nightly/"), IsOkAndHolds("whl/nightly"));
  EXPECT_THAT(BackupFolder("whl/testing"), IsOkAndHolds("whl/testing"));
  EXPECT_THAT(BackupFolder(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BackupFolder("test/"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(BackupTest, PlansTheRcFilesOfEveryChannelUnderTheTagByParsedName) {
  absl::StatusOr<BackupPlan> plan =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(), {});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_TRUE(plan->ok()) << plan->problems.size();
  EXPECT_THAT(plan->problems, IsEmpty());
  EXPECT_EQ(plan->backup_prefix, "v2.4.1-rc3/");
  EXPECT_THAT(
      DestinationKeys(*plan),
      UnorderedElementsAre(kBackedUpCu121, kBackedUpCpu, kBackedUpLibtorch));
  // The plan reads and writes nothing.
  EXPECT_THAT(backup_->ListAll("").value_or(std::vector<ObjectInfo>{}),
              IsEmpty());
}

TEST_F(BackupTest, CreateThenRerunCopiesEachFileOnceKeepingMetadata) {
  absl::StatusOr<BackupPlan> plan =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(), {});
  ASSERT_THAT(plan.status(), IsOk());
  absl::StatusOr<BackupResult> done = ApplyBackupPlan(*plan);
  ASSERT_THAT(done.status(), IsOk());
  EXPECT_THAT(done->copied, UnorderedElementsAre(kBackedUpCu121, kBackedUpCpu,
                                                 kBackedUpLibtorch));
  EXPECT_EQ(Read(*backup_, kBackedUpCu121), "torch cu121 wheel");
  EXPECT_EQ(Read(*backup_, kBackedUpLibtorch), "libtorch zip");
  absl::StatusOr<ObjectInfo> head = backup_->Head(kBackedUpCu121);
  ASSERT_THAT(head.status(), IsOk());
  EXPECT_EQ(head->content_type, "application/zip");
  EXPECT_THAT(head->metadata, Contains(Pair("checksum-sha256", Sha('1'))));

  // Run twice: the second plan finds everything there and copies nothing.
  absl::StatusOr<BackupPlan> again =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(), {});
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_TRUE(again->ok());
  EXPECT_EQ(again->copy_count(), 0);
  EXPECT_EQ(again->already_there_count(), 3);
  absl::StatusOr<BackupResult> none = ApplyBackupPlan(*again);
  ASSERT_THAT(none.status(), IsOk());
  EXPECT_THAT(none->copied, IsEmpty());
}

TEST_F(BackupTest, ApplyAfterAKilledRunFinishesWithoutCopyingTwice) {
  absl::StatusOr<BackupPlan> plan =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(), {});
  ASSERT_THAT(plan.status(), IsOk());
  // What a run killed after its first copy leaves behind.
  Put(*backup_, kBackedUpCu121, "torch cu121 wheel", Sha('1'));
  absl::StatusOr<BackupResult> done = ApplyBackupPlan(*plan);
  ASSERT_THAT(done.status(), IsOk());
  EXPECT_THAT(done->already_there, ElementsAre(kBackedUpCu121));
  EXPECT_THAT(done->copied,
              UnorderedElementsAre(kBackedUpCpu, kBackedUpLibtorch));
}

TEST_F(BackupTest, AConflictStopsThePlanUnlessOverwrite) {
  Put(*backup_, kBackedUpCpu, "something else entirely", std::nullopt);
  absl::StatusOr<BackupPlan> plan =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(), {});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  EXPECT_THAT(plan->problems,
              ElementsAre(AllOf(Field(&PromotionProblem::kind,
                                      PromotionProblemKind::kConflict),
                                Field(&PromotionProblem::key, kBackedUpCpu))));
  EXPECT_THAT(ApplyBackupPlan(*plan).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("nothing was copied")));
  EXPECT_EQ(Read(*backup_, kBackedUpCpu), "something else entirely");
  EXPECT_THAT(backup_->Head(kBackedUpCu121).status(),
              StatusIs(absl::StatusCode::kNotFound));

  absl::StatusOr<BackupPlan> forced =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(), {.overwrite = true});
  ASSERT_THAT(forced.status(), IsOk());
  EXPECT_TRUE(forced->ok());
  absl::StatusOr<BackupResult> done = ApplyBackupPlan(*forced);
  ASSERT_THAT(done.status(), IsOk());
  EXPECT_THAT(done->replaced, ElementsAre(kBackedUpCpu));
  EXPECT_EQ(Read(*backup_, kBackedUpCpu), "torch cpu wheel");
}

TEST_F(BackupTest, RefusesATagThatIsNotAReleaseCandidate) {
  EXPECT_THAT(PlanBackup("v2.4.1", Channels(), Backup(), {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a release candidate tag")));
  EXPECT_THAT(PlanBackup("2.4.1-rc3", Channels(), Backup(), {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PlanBackup("v2.4.1-rc3/../x", Channels(), Backup(), {}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(BackupTest, APackageInNoChannelIsAnError) {
  // Only the wheel channel: libtorch (asked for by default) is in none.
  absl::StatusOr<BackupPlan> plan = PlanBackup(
      "v2.4.1-rc3", {{.store = &*bucket_, .prefix = "whl/test"}}, Backup(), {});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  EXPECT_THAT(
      plan->problems,
      ElementsAre(AllOf(
          Field(&PromotionProblem::kind, PromotionProblemKind::kNothingToCopy),
          Field(&PromotionProblem::package, "libtorch"))));
  absl::StatusOr<BackupPlan> torch_only =
      PlanBackup("v2.4.1-rc3", {{.store = &*bucket_, .prefix = "whl/test"}},
                 Backup(), {.packages = {"torch"}});
  ASSERT_THAT(torch_only.status(), IsOk());
  EXPECT_TRUE(torch_only->ok());
}

TEST_F(BackupTest, AReleaseSetOfAnotherVersionThanTheTagIsAnError) {
  absl::StatusOr<ReleaseVersionsFile> file = ReleaseVersionsFile::Parse(
      "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.0}\n", "release_versions.sh");
  ASSERT_THAT(file.status(), IsOk());
  absl::StatusOr<BackupPlan> plan =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(),
                 {.release_set = file->ToReleaseSet()});
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_FALSE(plan->ok());
  EXPECT_THAT(
      plan->problems,
      Contains(Field(&PromotionProblem::message,
                     HasSubstr("torch==2.4.0 but the tag v2.4.1-rc3"))));
}

TEST_F(BackupTest, RestoreBringsTheBackupBackToTheTestChannels) {
  absl::StatusOr<BackupPlan> plan =
      PlanBackup("v2.4.1-rc3", Channels(), Backup(), {});
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_THAT(ApplyBackupPlan(*plan).status(), IsOk());

  // A fresh bucket: the test channels were emptied.
  absl::StatusOr<LocalStore> fresh = LocalStore::Open(dir_ + "/fresh");
  ASSERT_THAT(fresh.status(), IsOk());
  const std::vector<PromotionLocation> channels = {
      {.store = &*fresh, .prefix = "whl/test"},
      {.store = &*fresh, .prefix = "libtorch/test"}};
  absl::StatusOr<BackupPlan> restore =
      PlanRestore("v2.4.1-rc3", Backup(), channels, {});
  ASSERT_THAT(restore.status(), IsOk());
  EXPECT_TRUE(restore->ok());
  EXPECT_EQ(restore->acl, ObjectAcl::kPublicRead);
  EXPECT_THAT(DestinationKeys(*restore),
              UnorderedElementsAre(kTorchCu121, kTorchCpu, kLibtorch));
  ASSERT_THAT(ApplyBackupPlan(*restore).status(), IsOk());
  EXPECT_EQ(Read(*fresh, kTorchCpu), "torch cpu wheel");
  EXPECT_EQ(Read(*fresh, kLibtorch), "libtorch zip");
  absl::StatusOr<ObjectInfo> head = fresh->Head(kTorchCu121);
  ASSERT_THAT(head.status(), IsOk());
  EXPECT_THAT(head->metadata, Contains(Pair("checksum-sha256", Sha('1'))));

  absl::StatusOr<BackupPlan> again =
      PlanRestore("v2.4.1-rc3", Backup(), channels, {});
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_EQ(again->copy_count(), 0);
}

TEST_F(BackupTest, ABackupInTheSameStoreCopiesServerSide) {
  const PromotionLocation backup{.store = &*bucket_, .prefix = "backups/"};
  absl::StatusOr<BackupPlan> plan =
      PlanBackup("v2.4.1-rc3", Channels(), backup, {});
  ASSERT_THAT(plan.status(), IsOk());
  ASSERT_TRUE(plan->ok());
  absl::StatusOr<BackupResult> done = ApplyBackupPlan(*plan);
  ASSERT_THAT(done.status(), IsOk());
  EXPECT_THAT(done->copied, SizeIs(3));
  EXPECT_EQ(Read(*bucket_, absl::StrCat("backups/", kBackedUpCu121)),
            "torch cu121 wheel");
}

}  // namespace
}  // namespace relkit
