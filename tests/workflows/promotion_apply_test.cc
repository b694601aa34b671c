#include "relkit/promotion_apply.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
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
#include "relkit/sha256_digest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

namespace fs = std::filesystem;

constexpr char kVision[] =
    "whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl";
constexpr char kVisionOut[] =
    "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl";
constexpr char kVision311[] =
    "whl/test/cpu/torchvision-0.19.1+cpu-cp311-cp311-linux_x86_64.whl";
constexpr char kVision311Out[] =
    "whl/cpu/torchvision-0.19.1+cpu-cp311-cp311-linux_x86_64.whl";

ReleaseSet Set() {
  absl::StatusOr<ReleaseVersionsFile> file = ReleaseVersionsFile::Parse(
      "TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.1}\n", "rv.sh");
  EXPECT_THAT(file.status(), IsOk());
  return file.ok() ? file->ToReleaseSet() : ReleaseSet();
}

// A bucket directory (source and destination prefixes) and a mirror
// directory, real LocalStores in a temp dir.
class PromotionApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/relkit-promotion-apply-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Put(kVision, "vision 312", std::nullopt);
    Put(kVision311, "vision 311", std::nullopt);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Root(absl::string_view name) const {
    return absl::StrCat(dir_, "/", name);
  }

  std::unique_ptr<LocalStore> Open(absl::string_view name) const {
    absl::StatusOr<LocalStore> store = LocalStore::Open(Root(name));
    EXPECT_THAT(store.status(), IsOk());
    return std::make_unique<LocalStore>(*std::move(store));
  }

  ObjectStoreFactory Factory(absl::string_view name) const {
    const std::string root = Root(name);
    return [root]() -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
      absl::StatusOr<LocalStore> store = LocalStore::Open(root);
      if (!store.ok()) return store.status();
      return std::make_unique<LocalStore>(*std::move(store));
    };
  }

  void Put(const std::string& key, absl::string_view contents,
           const std::optional<std::string>& sha256,
           absl::string_view store = "bucket") {
    const std::string path = absl::StrCat(dir_, "/in/", files_++);
    ASSERT_THAT(WriteFileAtomically(path, contents), IsOk());
    PutOptions options;
    if (sha256) options.metadata = {{"checksum-sha256", *sha256}};
    ASSERT_THAT(Open(store)->Put(key, path, options).status(), IsOk());
  }

  std::string Read(absl::string_view store, absl::string_view key) const {
    absl::StatusOr<std::string> data =
        ReadFile(absl::StrCat(Root(store), "/", key));
    return data.ok() ? *data : "<missing>";
  }

  std::string ChecksumOf(absl::string_view store, absl::string_view key) {
    absl::StatusOr<ObjectInfo> head = Open(store)->Head(key);
    if (!head.ok()) return "<missing>";
    auto it = head->metadata.find("checksum-sha256");
    return it == head->metadata.end() ? "<none>" : it->second;
  }

  // Plans bucket//whl/test -> `to`//whl (and the mirror, when named).
  PromotionPlan Plan(absl::string_view to = "bucket",
                     absl::string_view mirror = "", bool overwrite = false) {
    source_ = Open("bucket");
    destination_ = Open(to);
    if (!mirror.empty()) mirror_ = Open(mirror);
    absl::StatusOr<PromotionPlan> plan = PlanPromotion(
        Set(), {.store = source_.get(), .prefix = "whl/test"},
        {.store = destination_.get(), .prefix = "whl"},
        {.mirror = {.store = mirror.empty() ? nullptr : mirror_.get(),
                    .prefix = "whl"},
         .overwrite = overwrite});
    EXPECT_THAT(plan.status(), IsOk());
    return plan.ok() ? *std::move(plan) : PromotionPlan();
  }

  PromotionStores Stores(absl::string_view to = "bucket",
                         absl::string_view mirror = "") const {
    return {.source = Factory("bucket"),
            .destination = Factory(to),
            .mirror = mirror.empty() ? ObjectStoreFactory() : Factory(mirror)};
  }

  PromotionApplyOptions Options() const {
    return {.journal_path = Root("journal.jsonl"), .jobs = 2};
  }

  absl::StatusOr<PromotionJournalState> Journal() const {
    absl::StatusOr<std::string> text = ReadFile(Root("journal.jsonl"));
    if (!text.ok()) return text.status();
    return ParsePromotionJournal(*text, "journal.jsonl");
  }

  std::string dir_;
  int files_ = 0;
  std::unique_ptr<LocalStore> source_, destination_, mirror_;
};

TEST_F(PromotionApplyTest, CopiesVerifiesJournalsAndARerunIsAlreadyApplied) {
  const PromotionPlan plan = Plan();
  ASSERT_EQ(plan.copies.size(), 2u);
  absl::StatusOr<PromotionResult> result =
      ApplyPromotion(plan, Stores(), Options());
  ASSERT_THAT(result.status(), IsOk());
  EXPECT_TRUE(result->ok());
  EXPECT_FALSE(result->already_applied);
  EXPECT_THAT(result->copied, ElementsAre(kVision311Out, kVisionOut));
  EXPECT_THAT(result->verified, ElementsAre(kVision311Out, kVisionOut));
  EXPECT_EQ(Read("bucket", kVisionOut), "vision 312");
  // The checksum is the real sha256 of the bytes, computed from a download.
  EXPECT_EQ(ChecksumOf("bucket", kVisionOut), Sha256Hex("vision 312"));
  EXPECT_EQ(ChecksumOf("bucket", kVision311Out), Sha256Hex("vision 311"));
  // The source is not changed.
  EXPECT_EQ(ChecksumOf("bucket", kVision), "<none>");

  absl::StatusOr<PromotionJournalState> journal = Journal();
  ASSERT_THAT(journal.status(), IsOk());
  EXPECT_THAT(journal->plans, ElementsAre(PromotionPlanIdentity(plan)));
  EXPECT_EQ(journal->verified.at(kVisionOut), Sha256Hex("vision 312"));
  EXPECT_EQ(journal->copied.size(), 2u);
  EXPECT_EQ(journal->finished, 1);

  const PromotionPlan again = Plan();
  EXPECT_TRUE(again.nothing_to_do());
  EXPECT_EQ(PromotionPlanIdentity(again), PromotionPlanIdentity(plan));
  absl::StatusOr<PromotionResult> rerun =
      ApplyPromotion(again, Stores(), Options());
  ASSERT_THAT(rerun.status(), IsOk());
  EXPECT_TRUE(rerun->already_applied);
  EXPECT_THAT(rerun->copied, IsEmpty());
  EXPECT_THAT(rerun->skipped, ElementsAre(kVision311Out, kVisionOut));
}

TEST_F(PromotionApplyTest, ReusesThePlansSha256ForDestinationAndMirror) {
  // A checksum the bytes do not have: if relkit recomputed it, the copies
  // would carry another value.
  const std::string given(64, 'a');
  Put(kVision, "vision 312", given);
  const PromotionPlan plan = Plan("bucket", "mirror");
  ASSERT_EQ(plan.mirror_copies.size(), 2u);
  absl::StatusOr<PromotionResult> result =
      ApplyPromotion(plan, Stores("bucket", "mirror"), Options());
  ASSERT_THAT(result.status(), IsOk());
  ASSERT_TRUE(result->ok()) << result->failed.front().status;
  EXPECT_EQ(ChecksumOf("bucket", kVisionOut), given);
  EXPECT_EQ(ChecksumOf("mirror", kVisionOut), given);
  EXPECT_EQ(Read("mirror", kVisionOut), "vision 312");
  EXPECT_EQ(ChecksumOf("mirror", kVision311Out), Sha256Hex("vision 311"));
  EXPECT_THAT(result->mirrored, ElementsAre(kVision311Out, kVisionOut));
  EXPECT_EQ(result->verified.size(), 4u);
}

TEST_F(PromotionApplyTest, UploadsWhenSourceAndDestinationAreDifferentStores) {
  const PromotionPlan plan = Plan("release");
  absl::StatusOr<PromotionResult> result =
      ApplyPromotion(plan, Stores("release"), Options());
  ASSERT_THAT(result.status(), IsOk());
  ASSERT_TRUE(result->ok());
  EXPECT_EQ(Read("release", kVisionOut), "vision 312");
  EXPECT_EQ(ChecksumOf("release", kVisionOut), Sha256Hex("vision 312"));
}

TEST_F(PromotionApplyTest, AConflictRefusesEverythingUnlessOverwrite) {
  Put(kVisionOut, "other content", std::nullopt);
  const PromotionPlan plan = Plan();
  EXPECT_FALSE(plan.ok());
  EXPECT_THAT(ApplyPromotion(plan, Stores(), Options()).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("nothing was copied")));
  EXPECT_EQ(Read("bucket", kVision311Out), "<missing>");
  EXPECT_FALSE(fs::exists(Root("journal.jsonl")));

  const PromotionPlan forced = Plan("bucket", "", /*overwrite=*/true);
  ASSERT_TRUE(forced.ok());
  absl::StatusOr<PromotionResult> result =
      ApplyPromotion(forced, Stores(), Options());
  ASSERT_THAT(result.status(), IsOk());
  EXPECT_THAT(result->overwritten, ElementsAre(kVisionOut));
  EXPECT_EQ(Read("bucket", kVisionOut), "vision 312");
  EXPECT_EQ(Read("bucket", kVision311Out), "vision 311");
}

TEST_F(PromotionApplyTest, ARerunVerifiesWhatAKilledRunCopiedButDidNotVerify) {
  // What a run killed between the copy and the verification leaves: the
  // object in place and a `copied` record.
  Put(kVisionOut, "vision 312", Sha256Hex("vision 312"));
  ASSERT_THAT(
      WriteFileAtomically(
          Root("journal.jsonl"),
          absl::StrCat(R"({"record":"start","plan":"p"})", "\n",
                       R"({"record":"copied","key":")", kVisionOut,
                       R"(","sha256":")", Sha256Hex("vision 312"), "\"}\n")
              // A record cut by the kill.
              + R"({"record":"verif)"),
      IsOk());
  const PromotionPlan plan = Plan();
  ASSERT_EQ(plan.copies.size(), 1u);
  absl::StatusOr<PromotionResult> result =
      ApplyPromotion(plan, Stores(), Options());
  ASSERT_THAT(result.status(), IsOk());
  ASSERT_TRUE(result->ok());
  EXPECT_THAT(result->copied, ElementsAre(kVision311Out));
  EXPECT_THAT(result->verified,
              UnorderedElementsAre(kVisionOut, kVision311Out));
}

TEST_F(PromotionApplyTest, AVerificationMismatchIsDataLossNamingTheKey) {
  Put(kVisionOut, "vision 312", std::string(64, 'b'));
  ASSERT_THAT(
      WriteFileAtomically(
          Root("journal.jsonl"),
          absl::StrCat(R"({"record":"copied","key":")", kVisionOut,
                       R"(","sha256":")", Sha256Hex("vision 312"), "\"}\n")),
      IsOk());
  absl::StatusOr<PromotionResult> result =
      ApplyPromotion(Plan(), Stores(), Options());
  ASSERT_THAT(result.status(), IsOk());
  ASSERT_EQ(result->failed.size(), 1u);
  EXPECT_EQ(result->failed[0].key, kVisionOut);
  EXPECT_THAT(result->failed[0].status,
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(kVisionOut)));
  // It stopped before copying anything.
  EXPECT_EQ(Read("bucket", kVision311Out), "<missing>");
}

TEST(PromotionJournalTest, ParsesRecordsAndNamesTheBadLine) {
  absl::StatusOr<PromotionJournalState> ok = ParsePromotionJournal(
      "{\"record\":\"start\",\"plan\":\"x\"}\n"
      "{\"record\":\"mirrored\",\"key\":\"k\",\"sha256\":\"s\"}\n"
      "{\"record\":\"finished\"}\n",
      "j");
  ASSERT_THAT(ok.status(), IsOk());
  EXPECT_EQ(ok->records, 3);
  EXPECT_EQ(ok->mirrored.at("k"), "s");
  EXPECT_EQ(ok->finished, 1);
  EXPECT_THAT(
      ParsePromotionJournal("{\"record\":\"copied\"}\n{}\n", "j").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("j:1")));
  EXPECT_THAT(ParsePromotionJournal("{\"record\":\"start\",\"plan\":\"x\"}\n"
                                    "not json\n",
                                    "j")
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("j:2")));
}

}  // namespace
}  // namespace relkit
