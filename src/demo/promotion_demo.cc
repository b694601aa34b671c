// The promotion step of `relkit demo` (demo/promotion_demo.h).

#include "demo/promotion_demo.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "relkit/artifact_name.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/package_index_page.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"
#include "relkit/release_versions.h"
#include "relkit/status.h"

namespace relkit {
namespace {

constexpr absl::string_view kVersions =
    "#!/usr/bin/env bash\n"
    "# The versions of the release being promoted (sourced by every release "
    "script).\n"
    "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1}\n"
    "TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.1}\n"
    "TORCHAUDIO_VERSION=${TORCHAUDIO_VERSION:-2.4.1}\n";

struct ChannelFile {
  absl::string_view key;
  absl::string_view content;
};

// The test channel. The torch-2.4.10 files and executorch's wheel are the
// glob's mistakes: `*torch-2.4.1*` matches all three.
constexpr ChannelFile kTestChannel[] = {
    {"whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl",
     "torch 2.4.1 cpu wheel"},
    {"whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
     "torch 2.4.1 cu121 wheel"},
    {"whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl.metadata",
     "Metadata-Version: 2.1\nName: torch\nVersion: 2.4.1+cu121\n"},
    {"whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl",
     "torchvision 0.19.1 cpu wheel"},
    {"whl/test/cu121/torchvision-0.19.1+cu121-cp312-cp312-linux_x86_64.whl",
     "torchvision 0.19.1 cu121 wheel"},
    {"whl/test/cpu/torch-2.4.10+cpu-cp312-cp312-linux_x86_64.whl",
     "torch 2.4.10 cpu wheel (another release)"},
    {"whl/test/cpu/executorch-2.4.1-cp312-cp312-linux_x86_64.whl",
     "executorch wheel (another package)"},
    {"whl/test/torch/index.html", "<!DOCTYPE html><html></html>\n"},
    {"libtorch/test/cpu/libtorch-shared-with-deps-2.4.1%2Bcpu.zip",
     "libtorch 2.4.1 cpu zip"},
    {"libtorch/test/cu121/"
     "libtorch-cxx11-abi-shared-with-deps-2.4.1%2Bcu121.zip",
     "libtorch 2.4.1 cu121 zip"},
    {"libtorch/test/cpu/libtorch-shared-with-deps-2.4.10%2Bcpu.zip",
     "libtorch 2.4.10 cpu zip (another release)"},
    {"libtorch/test/cpu/libtorch-shared-with-deps-latest.zip",
     "libtorch latest zip"},
};

// Already promoted: the plan finds it there, with the same size.
constexpr ChannelFile kReleaseChannel[] = {
    {"whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl",
     "torchvision 0.19.1 cpu wheel"},
};

// Puts `content` as `key` through the store (a staging file, then Put).
absl::Status PutText(LocalStore& store, const std::string& staging,
                     const ChannelFile& f) {
  RELKIT_RETURN_IF_ERROR(WriteFileAtomically(staging, f.content));
  return store.Put(f.key, staging, {}).status();
}

// Why relkit does not take `key` for `package` at `version`.
std::string Reason(const std::string& key, absl::string_view package,
                   const Version& version) {
  absl::StatusOr<ArtifactName> name = ParseArtifactName(KeyBaseName(key));
  if (!name.ok()) return "an unreadable name";
  if (name->package.empty() || !name->version) {
    return absl::StrCat("not a ", package, " ", version.ToString(), " file");
  }
  // The public version: the local label is not what differs.
  const std::string other =
      name->version->ToString().substr(0, name->version->ToString().find('+'));
  if (name->package != package) {
    return absl::StrCat(name->package, ", not ", package);
  }
  return absl::StrCat(package, " ", other, ", not ", version.ToString());
}

}  // namespace

absl::Status CheckPromotionDemoPlace(const std::string& directory) {
  std::error_code error;
  const std::filesystem::file_status st =
      std::filesystem::status(directory, error);
  if (!std::filesystem::exists(st)) return absl::OkStatus();
  if (!std::filesystem::is_directory(st)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot keep the demo's test channel in \"", directory,
                     "\": it exists and is not a directory"));
  }
  if (!std::filesystem::is_empty(directory, error) || error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot keep the demo's test channel in \"", directory,
                     "\": it exists and is not an empty directory"));
  }
  return absl::OkStatus();
}

absl::StatusOr<PromotionDemo> RunPromotionDemo(const std::string& directory) {
  RELKIT_RETURN_IF_ERROR(CheckPromotionDemoPlace(directory));
  RELKIT_ASSIGN_OR_RETURN(LocalStore store, LocalStore::Open(directory));
  PromotionDemo demo;
  demo.directory = directory;
  // Staged outside the store's keys, removed once the channel is written.
  const std::filesystem::path staging_dir =
      std::filesystem::path(directory) / ".demo-staging";
  std::error_code error;
  std::filesystem::create_directories(staging_dir, error);
  if (error) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot create \"", staging_dir.string(), "\": ", error.message()));
  }
  const std::string staging = (staging_dir / "object").string();
  for (const ChannelFile& f : kTestChannel) {
    RELKIT_RETURN_IF_ERROR(PutText(store, staging, f));
  }
  for (const ChannelFile& f : kReleaseChannel) {
    RELKIT_RETURN_IF_ERROR(PutText(store, staging, f));
  }
  std::filesystem::remove_all(staging_dir, error);

  demo.versions_path =
      (std::filesystem::path(directory) / "release_versions.sh").string();
  RELKIT_RETURN_IF_ERROR(WriteFileAtomically(demo.versions_path, kVersions));
  RELKIT_ASSIGN_OR_RETURN(
      ReleaseVersionsFile file,
      ReleaseVersionsFile::Parse(kVersions, demo.versions_path));
  const ReleaseSet release = file.ToReleaseSet();

  for (const ChannelFile& f : kTestChannel)
    demo.channel_keys.emplace_back(f.key);
  std::sort(demo.channel_keys.begin(), demo.channel_keys.end());

  const std::string root = absl::StrCat("file://", directory, "//");
  demo.plans = {
      {.name = "wheels",
       .from = root + "whl/test",
       .to = root + "whl",
       .packages = {"torch", "torchvision"},
       .glob_patterns = {"*torch-2.4.1*", "*torchvision-0.19.1*"}},
      {.name = "libtorch",
       .from = root + "libtorch/test",
       .to = root + "libtorch",
       .packages = {"libtorch"},
       .glob_patterns = {"*libtorch-*2.4.1*"}},
  };
  for (DemoPlan& p : demo.plans) {
    const std::string source_prefix = p.from.substr(root.size());
    const std::string destination_prefix = p.to.substr(root.size());
    // No build-matrix coverage check: the demo's channel has two builds;
    // `relkit promote` checks the embedded matrix.
    RELKIT_ASSIGN_OR_RETURN(
        p.plan,
        PlanPromotion(release, {&store, source_prefix},
                      {&store, destination_prefix}, {.packages = p.packages}));
    std::set<std::string> planned;
    for (const PlannedCopy& c : p.plan.copies) planned.insert(c.source_key);
    for (const AlreadyPresent& a : p.plan.already_present) {
      planned.insert(a.source_key);
    }
    const std::string below = absl::StrCat(source_prefix, "/");
    for (const std::string& key : demo.channel_keys) {
      if (!absl::StartsWith(key, below) || planned.count(key) > 0) continue;
      // The AWS CLI matches the path below the source prefix.
      const std::string relative = key.substr(below.size());
      for (size_t i = 0; i < p.glob_patterns.size(); ++i) {
        if (fnmatch(p.glob_patterns[i].c_str(), relative.c_str(), 0) != 0) {
          continue;
        }
        // libtorch zips carry torch's version.
        const std::string& package = p.packages[i];
        const PackageVersion* pv =
            release.Find(package == "libtorch" ? "torch" : package);
        demo.glob_mistakes.push_back(
            {.key = key,
             .pattern = p.glob_patterns[i],
             .reason = pv == nullptr ? "not in the release set"
                                     : Reason(key, package, pv->version)});
        break;
      }
    }
  }
  // Apply each plan as `relkit promote --execute` does, on handles of the
  // same directory, then plan again: the rerun has nothing left to copy.
  const ObjectStoreFactory open =
      [directory]() -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
    RELKIT_ASSIGN_OR_RETURN(LocalStore opened, LocalStore::Open(directory));
    return std::make_unique<LocalStore>(std::move(opened));
  };
  for (DemoPlan& p : demo.plans) {
    const std::string source_prefix = p.from.substr(root.size());
    const std::string destination_prefix = p.to.substr(root.size());
    RELKIT_ASSIGN_OR_RETURN(
        p.result,
        ApplyPromotion(p.plan, {.source = open, .destination = open},
                       {.journal_path = absl::StrCat(directory, "/.journal-",
                                                     p.name, ".jsonl"),
                        .jobs = 2}));
    if (!p.result->ok()) return p.result->failed.front().status;
    if (p.name == "wheels") {
      RELKIT_ASSIGN_OR_RETURN(
          p.indexes, RegenerateIndexes(store, destination_prefix, p.packages));
    }
    RELKIT_ASSIGN_OR_RETURN(
        PromotionPlan again,
        PlanPromotion(release, {&store, source_prefix},
                      {&store, destination_prefix}, {.packages = p.packages}));
    p.rerun_nothing_to_do = again.nothing_to_do();
  }
  return demo;
}

}  // namespace relkit
