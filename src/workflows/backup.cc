#include "relkit/backup.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "internal/temp_dir.h"
#include "relkit/conventions.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// "whl/test" and "whl/test/" -> "whl/test/"; "" stays "".
std::string NormalPrefix(absl::string_view prefix) {
  while (absl::ConsumeSuffix(&prefix, "/")) {
  }
  return prefix.empty() ? std::string() : absl::StrCat(prefix, "/");
}

// The release set a backup works from: the given one, checked against the
// tag, or torch at the tag's version.
ReleaseSet SetFor(const RcTag& tag, const BackupOptions& options,
                  std::vector<PromotionProblem>& problems) {
  const Version& version = tag.final_version();
  if (!options.release_set) {
    return ReleaseSet({PackageVersion{.package = "torch",
                                      .version = version,
                                      .variable = tag.ToString()}},
                      {});
  }
  const PackageVersion* torch = options.release_set->Find("torch");
  if (torch != nullptr && torch->version != version) {
    problems.push_back(
        {.kind = PromotionProblemKind::kReleaseSet,
         .package = "torch",
         .message = absl::StrCat(
             "the release set has torch==", torch->version.ToString(),
             " but the tag ", tag.ToString(), " is of ", version.ToString())});
  }
  return *options.release_set;
}

std::vector<std::string> PackagesFor(const BackupOptions& options) {
  if (!options.packages.empty()) return options.packages;
  std::vector<std::string> packages;
  if (options.release_set) {
    for (const PackageVersion& p : options.release_set->packages()) {
      packages.push_back(p.package);
    }
  }
  for (const char* name : {"torch", "libtorch"}) {
    if (std::find(packages.begin(), packages.end(), name) == packages.end()) {
      packages.push_back(name);
    }
  }
  return packages;
}

// Merges the channels' problems into the plan's: the release set's once, a
// package missing from one channel only when no channel has its files (a
// backup of whl/test and libtorch/test finds torch in the first and libtorch
// in the second), and conflicts as replacements with `overwrite`.
void MergeProblems(BackupPlan& plan,
                   const std::vector<PromotionProblem>& set_problems) {
  std::set<std::string> found;
  for (const BackupChannelPlan& part : plan.channels) {
    for (const PromotionPackage& p : part.plan.packages) {
      if (p.found > 0) found.insert(p.package);
    }
  }
  plan.problems = set_problems;
  std::set<std::tuple<int, std::string, std::string>> seen;
  for (BackupChannelPlan& part : plan.channels) {
    for (const PromotionProblem& problem : part.plan.problems) {
      PromotionProblem p = problem;
      switch (p.kind) {
        case PromotionProblemKind::kNothingToCopy:
          if (found.contains(p.package)) continue;
          p.message = absl::StrCat(p.message, " (in no channel)");
          break;
        case PromotionProblemKind::kConflict:
          if (plan.overwrite) {
            p.severity = ProblemSeverity::kWarning;
            p.message = absl::StrCat(p.message, "; replaced (overwrite)");
            part.replacements.push_back(
                {.package = p.package,
                 .source_key =
                     absl::StrCat(part.plan.source_prefix,
                                  absl::string_view(p.key).substr(
                                      part.plan.destination_prefix.size())),
                 .destination_key = p.key});
          }
          break;
        default:
          break;
      }
      // Per package (and key) once: the release set and a package's
      // refusal are the same in every channel.
      if (!seen.insert({static_cast<int>(p.kind), p.package,
                        p.kind == PromotionProblemKind::kNothingToCopy
                            ? std::string()
                            : absl::StrCat(p.key, "\n", p.message)})
               .second) {
        continue;
      }
      plan.problems.push_back(std::move(p));
    }
  }
}

absl::StatusOr<BackupPlan> Plan(BackupDirection direction,
                                absl::string_view tag_text,
                                const std::vector<PromotionLocation>& channels,
                                const PromotionLocation& backup,
                                const BackupOptions& options) {
  RELKIT_ASSIGN_OR_RETURN(RcTag tag, RcTag::Parse(tag_text));
  if (direction == BackupDirection::kCreate && !tag.is_rc()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tag \"", tag_text,
        "\" is not a release candidate tag vX.Y.Z-rcN: backups are made of "
        "release candidates"));
  }
  if (channels.empty()) {
    return absl::InvalidArgumentError("a backup needs at least one channel");
  }
  if (backup.store == nullptr) {
    return absl::InvalidArgumentError("the backup location has no store");
  }
  BackupPlan plan;
  plan.direction = direction;
  plan.tag = tag.ToString();
  plan.backup = backup.store->Describe();
  plan.backup_prefix = absl::StrCat(NormalPrefix(backup.prefix), plan.tag, "/");
  plan.overwrite = options.overwrite;
  // Restored files go back to a public download channel, as promote.sh's
  // copies do (`--acl public-read`); a backup bucket keeps its default.
  plan.acl = direction == BackupDirection::kRestore ? ObjectAcl::kPublicRead
                                                    : ObjectAcl::kDefault;
  std::vector<PromotionProblem> set_problems;
  const ReleaseSet set = SetFor(tag, options, set_problems);
  const std::vector<std::string> packages = PackagesFor(options);
  std::set<std::string> folders;
  for (const PromotionLocation& channel : channels) {
    if (channel.store == nullptr) {
      return absl::InvalidArgumentError("a channel has no store");
    }
    BackupChannelPlan part;
    part.channel_prefix = NormalPrefix(channel.prefix);
    RELKIT_ASSIGN_OR_RETURN(part.folder, BackupFolder(part.channel_prefix));
    if (!folders.insert(part.folder).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two channels share the backup folder \"", part.folder,
                       "\" (channel \"", part.channel_prefix, "\")"));
    }
    const PromotionLocation folder{
        .store = backup.store,
        .prefix = absl::StrCat(plan.backup_prefix, part.folder, "/")};
    const PromotionLocation here{.store = channel.store,
                                 .prefix = part.channel_prefix};
    part.source = direction == BackupDirection::kCreate ? here : folder;
    part.destination = direction == BackupDirection::kCreate ? folder : here;
    RELKIT_ASSIGN_OR_RETURN(part.plan,
                            PlanPromotion(set, part.source, part.destination,
                                          {.packages = packages}));
    plan.channels.push_back(std::move(part));
  }
  MergeProblems(plan, set_problems);
  return plan;
}

// Where cross-store copies are staged; removed with what it holds.
using WorkDir = internal::TempDir;

std::optional<std::string> Sha256Of(const ObjectInfo& info) {
  auto it = info.metadata.find(std::string(kChecksumSha256Metadata));
  if (it == info.metadata.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// True when `a` and `b` are the same content as far as the stores can say:
// the same size, and the same sha256 when both carry one.
bool SameContent(const ObjectInfo& a, const ObjectInfo& b) {
  if (a.size != b.size) return false;
  std::optional<std::string> sa = Sha256Of(a);
  std::optional<std::string> sb = Sha256Of(b);
  return !sa || !sb || *sa == *sb;
}

class Applier {
 public:
  Applier(const BackupPlan& plan, const WorkDir& work)
      : plan_(plan), work_(work) {}

  absl::Status Run() {
    for (const BackupChannelPlan& part : plan_.channels) {
      for (const PlannedCopy& copy : part.plan.copies) {
        RELKIT_RETURN_IF_ERROR(CopyOne(part, copy, /*replace=*/false));
      }
      for (const PlannedCopy& copy : part.replacements) {
        RELKIT_RETURN_IF_ERROR(CopyOne(part, copy, /*replace=*/true));
      }
    }
    return absl::OkStatus();
  }

  BackupResult& result() { return result_; }

 private:
  absl::Status CopyOne(const BackupChannelPlan& part, const PlannedCopy& copy,
                       bool replace) {
    ObjectStore& from = *part.source.store;
    ObjectStore& to = *part.destination.store;
    RELKIT_ASSIGN_OR_RETURN(ObjectInfo source, from.Head(copy.source_key));
    if (!replace && source.size != copy.size) {
      return absl::AbortedError(
          absl::StrCat("\"", copy.source_key, "\" in ", from.Describe(),
                       " changed since the plan (", source.size,
                       " bytes, planned ", copy.size, "); plan again"));
    }
    absl::StatusOr<ObjectInfo> there = to.Head(copy.destination_key);
    if (there.ok()) {
      // A rerun after a killed apply: the copy landed whole (stores write
      // atomically), so the same content means done.
      if (SameContent(source, *there) && (!replace || Sha256Of(source))) {
        result_.already_there.push_back(copy.destination_key);
        return absl::OkStatus();
      }
      if (!replace) {
        return absl::AbortedError(absl::StrCat(
            "\"", copy.destination_key, "\" in ", to.Describe(),
            " holds other content since the plan; nothing more was copied"));
      }
    } else if (!absl::IsNotFound(there.status())) {
      return there.status();
    }
    if (&from == &to) {
      RELKIT_RETURN_IF_ERROR(
          from.Copy(copy.source_key, copy.destination_key, {.acl = plan_.acl}));
    } else {
      const std::string staged = absl::StrCat(work_.path(), "/object");
      RELKIT_RETURN_IF_ERROR(from.Get(copy.source_key, staged));
      absl::StatusOr<ObjectInfo> put =
          to.Put(copy.destination_key, staged,
                 {.metadata = source.metadata,
                  .content_type = source.content_type.empty()
                                      ? std::string("application/octet-stream")
                                      : source.content_type,
                  .acl = plan_.acl});
      std::error_code ignored;
      std::filesystem::remove(staged, ignored);
      RELKIT_RETURN_IF_ERROR(put.status());
    }
    RELKIT_ASSIGN_OR_RETURN(ObjectInfo landed, to.Head(copy.destination_key));
    if (!SameContent(source, landed)) {
      return absl::DataLossError(absl::StrCat(
          "copy of \"", copy.source_key, "\" to \"", copy.destination_key,
          "\" in ", to.Describe(), " does not verify: ", landed.size,
          " bytes there, ", source.size, " in the source"));
    }
    (replace ? result_.replaced : result_.copied)
        .push_back(copy.destination_key);
    result_.bytes_copied += source.size;
    return absl::OkStatus();
  }

  const BackupPlan& plan_;
  const WorkDir& work_;
  BackupResult result_;
};

}  // namespace

absl::string_view BackupDirectionName(BackupDirection direction) {
  return direction == BackupDirection::kCreate ? "create" : "restore";
}

bool BackupPlan::ok() const { return error_count() == 0; }

int BackupPlan::error_count() const {
  return static_cast<int>(std::count_if(
      problems.begin(), problems.end(),
      [](const auto& p) { return p.severity == ProblemSeverity::kError; }));
}

int BackupPlan::copy_count() const {
  int n = 0;
  for (const BackupChannelPlan& part : channels) {
    n += static_cast<int>(part.plan.copies.size() + part.replacements.size());
  }
  return n;
}

int BackupPlan::already_there_count() const {
  int n = 0;
  for (const BackupChannelPlan& part : channels) {
    n += static_cast<int>(part.plan.already_present.size());
  }
  return n;
}

absl::StatusOr<std::string> BackupFolder(absl::string_view channel_prefix) {
  absl::string_view folder = channel_prefix;
  while (absl::ConsumeSuffix(&folder, "/")) {
  }
  if (!absl::ConsumeSuffix(&folder, "/test") && folder == "test") {
    folder = "";
  }
  if (folder.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "channel prefix \"", channel_prefix,
        "\" has no folder to back up under (expected e.g. whl/test)"));
  }
  return std::string(folder);
}

absl::StatusOr<BackupPlan> PlanBackup(
    absl::string_view tag, const std::vector<PromotionLocation>& channels,
    const PromotionLocation& backup, const BackupOptions& options) {
  return Plan(BackupDirection::kCreate, tag, channels, backup, options);
}

absl::StatusOr<BackupPlan> PlanRestore(
    absl::string_view tag, const PromotionLocation& backup,
    const std::vector<PromotionLocation>& channels,
    const BackupOptions& options) {
  return Plan(BackupDirection::kRestore, tag, channels, backup, options);
}

absl::StatusOr<BackupResult> ApplyBackupPlan(
    const BackupPlan& plan, const BackupApplyOptions& options) {
  if (!plan.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", BackupDirectionName(plan.direction), " plan of ", plan.tag,
        " has ", plan.error_count(), " error(s); nothing was copied"));
  }
  RELKIT_ASSIGN_OR_RETURN(WorkDir work,
                          WorkDir::Create(options.work_dir, "backup"));
  Applier applier(plan, work);
  RELKIT_RETURN_IF_ERROR(applier.Run());
  return std::move(applier.result());
}

}  // namespace relkit
