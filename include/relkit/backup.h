// File: relkit/backup.h
// -----------------------------------------------------------------------------
//
// Backups of a release candidate's files: what `restore-backup.sh` restores
// (`s3://pytorch-backup/${RESTORE_FROM}` back to the test channels), made and
// brought back as a plan first.
//
//   absl::StatusOr<relkit::BackupPlan> plan = relkit::PlanBackup(
//       "v2.4.1-rc3",
//       {{.store = &pytorch, .prefix = "whl/test"},
//        {.store = &pytorch, .prefix = "libtorch/test"}},
//       {.store = &backup, .prefix = ""}, {});
//   if (!plan.ok()) return plan.status();  // bad tag, a store unreadable
//   plan->ok();                            // false: a conflict, nothing found
//   absl::StatusOr<relkit::BackupResult> done = relkit::ApplyBackupPlan(*plan);
//
// Layout: a channel's files go to `<backup prefix>/<tag>/<channel folder>/`
// followed by the file's key below the channel prefix. The channel folder is
// the channel prefix without a final `/test` segment, as restore-backup.sh
// has it (`s3://pytorch-backup/v1.6.0-rc3/whl/...` back to `whl/test/...`):
//
//   whl/test/cu121/torch-2.4.1+cu121-...whl
//       -> v2.4.1-rc3/whl/cu121/torch-2.4.1+cu121-...whl
//   libtorch/test/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip
//       -> v2.4.1-rc3/libtorch/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip
//
// Restoring maps the other way, each channel from its own folder.
//
// The plan of each channel is a relkit::PromotionPlan (PlanPromotion from the
// channel to its backup folder, or back): files are selected by parsed name
// and version, never by glob (torch and libtorch at the tag's version X.Y.Z
// by default), and a key already at the destination is "already there" when
// its size and sha256 match, a conflict otherwise. A conflict stops the plan
// unless `overwrite` is set; then it is a warning and the object is replaced.
//
// Applying is idempotent and safe to kill: every copy lands whole (a server
// side Copy inside one store; across stores a Get to a temporary file, then a
// Put, both atomic), a rerun re-plans and finds what is already there, and
// the apply itself skips a destination that already holds the same content.
// Copies keep content type and user metadata (`checksum-sha256` too).

#ifndef RELKIT_BACKUP_H_
#define RELKIT_BACKUP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"
#include "relkit/release_versions.h"

namespace relkit {

enum class BackupDirection : uint8_t {
  kCreate,   // test channels -> backup
  kRestore,  // backup -> test channels
};

// Returns "create" or "restore".
absl::string_view BackupDirectionName(BackupDirection direction);

struct BackupOptions {
  // Packages to back up or restore (any spelling); "libtorch" takes torch's
  // version. Empty: torch and libtorch, plus every package of
  // `release_set` when one is given.
  std::vector<std::string> packages = {};
  // The release set (release_versions.sh). Its torch version must be the
  // tag's X.Y.Z (else a kReleaseSet error). Nullopt: torch at the tag's
  // version only.
  std::optional<ReleaseSet> release_set = {};
  // Replace destination objects that hold other content (conflicts become
  // warnings and are planned as replacements).
  bool overwrite = false;
};

// One channel's part of the plan.
struct BackupChannelPlan {
  // Where this channel's files come from and go to (stores not owned).
  PromotionLocation source = {};
  PromotionLocation destination = {};
  // The channel prefix ("whl/test/") and its backup folder ("whl").
  std::string channel_prefix = {};
  std::string folder = {};
  PromotionPlan plan = {};
  // With `overwrite`: conflicting destination keys, planned as copies that
  // replace them (source and destination keys; size and sha256 unknown
  // until the copy).
  std::vector<PlannedCopy> replacements = {};
};

struct BackupPlan {
  BackupDirection direction = BackupDirection::kCreate;
  std::string tag = {};  // "v2.4.1-rc3"
  // The backup location: the store's description and `<prefix><tag>/`.
  std::string backup = {};
  std::string backup_prefix = {};
  bool overwrite = false;
  ObjectAcl acl = ObjectAcl::kDefault;  // restore: public-read
  std::vector<BackupChannelPlan> channels = {};
  // Merged over the channels: a package with no file in one channel is not
  // a problem when another channel has its files; each release-set problem
  // once. Same kinds and severities as PromotionPlan's.
  std::vector<PromotionProblem> problems = {};

  bool ok() const;
  int error_count() const;
  // Returns the number of planned copies, replacements included, and of
  // files already at the destination.
  int copy_count() const;
  int already_there_count() const;
};

// Returns the backup folder of a channel prefix: "whl/test/" -> "whl",
// "libtorch/test" -> "libtorch", "whl/nightly/" -> "whl/nightly".
// InvalidArgument for an empty prefix or one that is only "test".
absl::StatusOr<std::string> BackupFolder(absl::string_view channel_prefix);

// Returns the plan of copying the files of release candidate `tag` from each
// of `channels` to `backup`. Reads the stores (List, Head), writes nothing.
// InvalidArgument: `tag` is not `vX.Y.Z-rcN` ("backups are made of release
// candidates"), no channel, a null store, two channels with the same backup
// folder; a store's error as it is.
absl::StatusOr<BackupPlan> PlanBackup(
    absl::string_view tag, const std::vector<PromotionLocation>& channels,
    const PromotionLocation& backup, const BackupOptions& options);

// Returns the plan of copying the backup of `tag` back to `channels` (each
// from its own folder of the backup). `tag` may be an RC or a final tag
// (`vX.Y.Z[-rcN]`); same errors otherwise as PlanBackup.
absl::StatusOr<BackupPlan> PlanRestore(
    absl::string_view tag, const PromotionLocation& backup,
    const std::vector<PromotionLocation>& channels,
    const BackupOptions& options);

// What an apply did.
struct BackupResult {
  // Destination keys copied, and those found already holding the same
  // content (a rerun after a killed apply).
  std::vector<std::string> copied = {};
  std::vector<std::string> already_there = {};
  std::vector<std::string> replaced = {};
  uint64_t bytes_copied = 0;
};

struct BackupApplyOptions {
  // Where cross-store copies are staged (one file at a time); empty: the
  // system's temporary directory.
  std::string work_dir = {};
};

// Applies `plan`: every copy and replacement, each verified afterwards (size,
// and sha256 when both sides have one). Returns FailedPrecondition when the
// plan has errors ("nothing was copied"); Aborted naming the key when a
// destination changed since the plan (holds other content and is not a
// planned replacement); DataLoss when a copy does not verify; a store's
// error as it is. Stops at the first error; a rerun finishes the job.
absl::StatusOr<BackupResult> ApplyBackupPlan(
    const BackupPlan& plan, const BackupApplyOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_BACKUP_H_
