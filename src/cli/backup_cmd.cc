// `relkit backup create|restore`: a release candidate's files copied from the
// test channels to a backup location and back (restore-backup.sh), printed
// as a plan unless --execute.

#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "cli/store_url.h"
#include "relkit/backup.h"
#include "relkit/backup_report.h"
#include "relkit/files.h"
#include "relkit/release_versions.h"

namespace relkit::cli {
namespace {

struct BackupArgs {
  BackupDirection direction = BackupDirection::kCreate;
  std::string tag;
  std::vector<std::string> from;
  std::vector<std::string> to;
  std::string versions;
  std::vector<std::string> packages;
  std::string endpoint_url;
  bool overwrite = false;
  bool json = false;
  bool execute = false;
};

int Run(const BackupArgs& a) {
  const bool create = a.direction == BackupDirection::kCreate;
  // One backup location, one or more channels; which flag is which depends
  // on the direction.
  const std::vector<std::string>& channel_urls = create ? a.from : a.to;
  const std::vector<std::string>& backup_urls = create ? a.to : a.from;
  const char* channel_flag = create ? "--from" : "--to";
  const char* backup_flag = create ? "--to" : "--from";
  if (a.tag.empty()) {
    return ReportError(absl::InvalidArgumentError("--tag is required"));
  }
  if (channel_urls.empty()) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat(channel_flag, " is required (a test channel)")));
  }
  if (backup_urls.size() != 1) {
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat(backup_flag, " is required once (the backup location)")));
  }
  BackupOptions options{.packages = a.packages, .overwrite = a.overwrite};
  if (!a.versions.empty()) {
    absl::StatusOr<std::string> text = ReadFile(a.versions);
    if (!text.ok()) return ReportError(text.status());
    absl::StatusOr<ReleaseVersionsFile> file =
        ReleaseVersionsFile::Parse(*text, a.versions);
    if (!file.ok()) return ReportError(file.status());
    options.release_set = file->ToReleaseSet();
  }
  StoreUrls stores(a.endpoint_url);
  // The destination's directory is made by an execute, never by a plan.
  const MissingDirectory destination_missing =
      a.execute ? MissingDirectory::kCreate : MissingDirectory::kRefuse;
  std::vector<PromotionLocation> channels;
  for (const std::string& url : channel_urls) {
    absl::StatusOr<PromotionLocation> where =
        stores.Open(channel_flag, url,
                    create ? MissingDirectory::kRefuse : destination_missing);
    if (!where.ok()) return ReportError(where.status());
    channels.push_back(*std::move(where));
  }
  absl::StatusOr<PromotionLocation> backup =
      stores.Open(backup_flag, backup_urls[0],
                  create ? destination_missing : MissingDirectory::kRefuse);
  if (!backup.ok()) return ReportError(backup.status());
  absl::StatusOr<BackupPlan> plan =
      create ? PlanBackup(a.tag, channels, *backup, options)
             : PlanRestore(a.tag, *backup, channels, options);
  if (!plan.ok()) return ReportError(plan.status());
  if (!a.execute || !plan->ok()) {
    std::cout << (a.json ? BackupPlanJson(*plan) : BackupPlanText(*plan));
    if (a.execute) {
      std::cerr << "relkit: the plan has errors; nothing was copied\n";
    }
    return plan->ok() ? kExitOk : kExitProblems;
  }
  absl::StatusOr<BackupResult> done = ApplyBackupPlan(*plan);
  if (!done.ok()) return ReportError(done.status());
  std::cout << (a.json ? BackupResultJson(*plan, *done)
                       : BackupResultText(*plan, *done));
  return kExitOk;
}

void AddCommon(CLI::App* cmd, BackupArgs& a) {
  cmd->add_option("--tag", a.tag,
                  "The release candidate tag, vX.Y.Z-rcN (required)");
  cmd->add_option("--versions", a.versions,
                  "release_versions.sh: back up its packages too (its torch "
                  "must be the tag's version)");
  cmd->add_option("--package", a.packages,
                  "Only this package (repeatable; 'libtorch' takes torch's "
                  "version). Default: torch and libtorch (and the set's "
                  "packages with --versions)");
  cmd->add_option("--endpoint-url", a.endpoint_url,
                  "S3 endpoint for s3:// URLs (default: $AWS_ENDPOINT_URL_S3, "
                  "else $AWS_ENDPOINT_URL, else AWS)");
  cmd->add_flag("--overwrite", a.overwrite,
                "Replace destination objects that hold other content "
                "(otherwise a conflict stops the plan)");
  cmd->add_flag("--json", a.json, "Print the plan (or the result) as JSON");
  cmd->add_flag("--execute", a.execute,
                "Copy (default: print the plan and change nothing)");
}

constexpr const char* kBackupFooter =
    "Layout: <backup>/<tag>/<channel folder>/<key below the channel>, the "
    "channel folder\nbeing the channel prefix without its final /test "
    "(whl/test/cu121/x.whl ->\nv2.4.1-rc3/whl/cu121/x.whl). Files are "
    "selected by parsed name and version, never\nby glob. A destination "
    "key that holds other content is a conflict (exit 1)\nunless "
    "--overwrite. Running --execute again copies nothing (\"already "
    "applied\").\nExit status: 0 ok, 1 the plan has errors (nothing "
    "copied), 2 bad usage or input\n(a tag that is not vX.Y.Z-rcN), 3 a "
    "store failed.";

}  // namespace

void RegisterBackupCommands(CLI::App& app, Context& ctx) {
  CLI::App* backup = app.add_subcommand(
      "backup",
      "Back up a release candidate's files from the test channels, or "
      "restore them (restore-backup.sh)");
  backup->require_subcommand(1);

  auto c = std::make_shared<BackupArgs>();
  c->direction = BackupDirection::kCreate;
  CLI::App* create = backup->add_subcommand(
      "create", "Copy the RC's files of the test channels to the backup");
  AddCommon(create, *c);
  create->add_option("--from", c->from,
                     "A test channel: file://DIR[//PREFIX] or "
                     "s3://BUCKET/PREFIX, e.g. s3://pytorch/whl/test "
                     "(repeatable; required)");
  create->add_option("--to", c->to,
                     "The backup location, e.g. s3://pytorch-backup "
                     "(required)");
  create->footer(kBackupFooter);
  create->callback([c, &ctx] { ctx.exit_code = Run(*c); });

  auto r = std::make_shared<BackupArgs>();
  r->direction = BackupDirection::kRestore;
  CLI::App* restore = backup->add_subcommand(
      "restore", "Copy a backup of an RC back to the test channels");
  AddCommon(restore, *r);
  restore->add_option("--from", r->from,
                      "The backup location, e.g. s3://pytorch-backup "
                      "(required)");
  restore->add_option("--to", r->to,
                      "A test channel to restore, e.g. s3://pytorch/whl/test "
                      "(repeatable; required)");
  restore->footer(kBackupFooter);
  restore->callback([r, &ctx] { ctx.exit_code = Run(*r); });
}

}  // namespace relkit::cli
