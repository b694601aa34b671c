#include "relkit/package_index.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "relkit/artifact_name.h"
#include "relkit/files.h"
#include "relkit/promotion.h"
#include "relkit/sha256_digest.h"
#include "relkit/status.h"
#include "relkit/wheel.h"

namespace relkit {
namespace {

std::string NormalPrefix(absl::string_view prefix) {
  while (absl::ConsumeSuffix(&prefix, "/")) {
  }
  return prefix.empty() ? std::string() : absl::StrCat(prefix, "/");
}

bool IsSha256Hex(absl::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
         });
}

// A temporary directory for objects being hashed, removed with its files.
class StagingDir {
 public:
  explicit StagingDir(std::string parent) : parent_(std::move(parent)) {}
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  ~StagingDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  // Returns the directory, made on first use.
  absl::StatusOr<std::string> Path() {
    if (!path_.empty()) return path_;
    std::error_code error;
    std::filesystem::path base =
        parent_.empty() ? std::filesystem::temp_directory_path(error)
                        : std::filesystem::path(parent_);
    if (error) {
      return absl::InternalError(
          absl::StrCat("no temporary directory: ", error.message()));
    }
    std::string pattern = (base / "relkit-index-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return absl::InternalError(absl::StrCat(
          "cannot make a work directory in \"", base.string(), "\""));
    }
    path_ = std::move(pattern);
    return path_;
  }

 private:
  std::string parent_;
  std::string path_;
};

class Planner {
 public:
  Planner(ObjectStore& store, const IndexOptions& options)
      : store_(store), options_(options), staging_(options.work_dir) {}

  absl::StatusOr<IndexPlan> Run(absl::string_view prefix,
                                absl::Span<const std::string> packages) {
    if (packages.empty()) {
      return absl::InvalidArgumentError(
          "index regeneration needs at least one package");
    }
    plan_.store = store_.Describe();
    plan_.prefix = NormalPrefix(prefix);
    if (!plan_.prefix.empty()) {
      RELKIT_RETURN_IF_ERROR(ValidateObjectKey(
          absl::string_view(plan_.prefix).substr(0, plan_.prefix.size() - 1)));
    }
    for (const std::string& p : packages) {
      std::string name = CanonicalizeName(p);
      if (std::find(plan_.packages.begin(), plan_.packages.end(), name) ==
          plan_.packages.end()) {
        plan_.packages.push_back(std::move(name));
      }
    }
    RELKIT_ASSIGN_OR_RETURN(std::vector<ObjectInfo> objects,
                            store_.ListAll(plan_.prefix));
    // package -> folder -> links; folder "" is a wheel right under the
    // prefix (only on the page across folders).
    std::map<std::string, std::map<std::string, std::vector<IndexLink>>> found;
    for (const ObjectInfo& object : objects) {
      absl::StatusOr<ArtifactName> name =
          ParseArtifactName(KeyBaseName(object.key));
      if (!name.ok() || name->kind != ArtifactKind::kWheel) continue;
      if (std::find(plan_.packages.begin(), plan_.packages.end(),
                    name->package) == plan_.packages.end()) {
        continue;
      }
      absl::string_view below =
          absl::string_view(object.key).substr(plan_.prefix.size());
      const size_t slash = below.rfind('/');
      const std::string folder(slash == absl::string_view::npos
                                   ? absl::string_view()
                                   : below.substr(0, slash));
      // `whl/test/cu121/x.whl` is the test channel's, not `whl/`'s.
      if (absl::StrContains(folder, '/') ||
          std::find(options_.channel_folders.begin(),
                    options_.channel_folders.end(),
                    folder) != options_.channel_folders.end()) {
        continue;
      }
      RELKIT_ASSIGN_OR_RETURN(IndexLink link, LinkOf(object.key));
      found[name->package][folder].push_back(std::move(link));
    }
    for (const std::string& package : plan_.packages) {
      auto it = found.find(package);
      if (it == found.end()) {
        plan_.packages_without_wheels.push_back(package);
        continue;
      }
      std::vector<IndexLink> all;
      for (const auto& entry : it->second) {
        all.insert(all.end(), entry.second.begin(), entry.second.end());
      }
      RELKIT_RETURN_IF_ERROR(AddPage(package, "", std::move(all)));
      for (const auto& entry : it->second) {
        if (entry.first.empty()) continue;
        RELKIT_RETURN_IF_ERROR(AddPage(package, entry.first, entry.second));
      }
    }
    return std::move(plan_);
  }

 private:
  absl::StatusOr<IndexLink> LinkOf(const std::string& key) {
    IndexLink link{.key = key,
                   .file_name = absl::StrReplaceAll(
                       KeyBaseName(key), {{"%2B", "+"}, {"%2b", "+"}})};
    RELKIT_ASSIGN_OR_RETURN(ObjectInfo head, store_.Head(key));
    auto it = head.metadata.find(std::string(kChecksumSha256Metadata));
    if (it != head.metadata.end() &&
        IsSha256Hex(absl::AsciiStrToLower(it->second))) {
      link.sha256 = absl::AsciiStrToLower(it->second);
      return link;
    }
    if (!options_.compute_missing_sha256) return link;
    // No usable checksum: read the object once and hash it, as
    // manage_v2.py's --set-checksum does (it also stores the result; this
    // only reads, so a plan stays a plan).
    RELKIT_ASSIGN_OR_RETURN(std::string dir, staging_.Path());
    const std::string staged = absl::StrCat(dir, "/object");
    RELKIT_RETURN_IF_ERROR(store_.Get(key, staged));
    absl::StatusOr<std::string> sha256 = Sha256OfFile(staged);
    std::error_code ignored;
    std::filesystem::remove(staged, ignored);
    RELKIT_RETURN_IF_ERROR(sha256.status());
    link.sha256 = *std::move(sha256);
    link.sha256_computed = true;
    plan_.computed_sha256.push_back(key);
    return link;
  }

  absl::Status AddPage(const std::string& package, const std::string& folder,
                       std::vector<IndexLink> links) {
    std::sort(links.begin(), links.end(),
              [](const IndexLink& a, const IndexLink& b) {
                if (a.file_name != b.file_name)
                  return a.file_name < b.file_name;
                return a.key < b.key;
              });
    IndexPage page{
        .key = absl::StrCat(plan_.prefix, folder.empty() ? "" : folder,
                            folder.empty() ? "" : "/", package, "/index.html"),
        .package = package,
        .folder = folder,
        .links = std::move(links)};
    absl::StatusOr<ObjectInfo> there = store_.Head(page.key);
    if (there.ok()) {
      RELKIT_ASSIGN_OR_RETURN(std::string dir, staging_.Path());
      const std::string staged = absl::StrCat(dir, "/page");
      RELKIT_RETURN_IF_ERROR(store_.Get(page.key, staged));
      absl::StatusOr<std::string> text = ReadFile(staged);
      std::error_code ignored;
      std::filesystem::remove(staged, ignored);
      RELKIT_RETURN_IF_ERROR(text.status());
      page.existing = *std::move(text);
    } else if (!absl::IsNotFound(there.status())) {
      return there.status();
    }
    plan_.pages.push_back(std::move(page));
    return absl::OkStatus();
  }

  ObjectStore& store_;
  const IndexOptions& options_;
  StagingDir staging_;
  IndexPlan plan_;
};

}  // namespace

absl::string_view IndexPageChangeName(IndexPageChange change) {
  switch (change) {
    case IndexPageChange::kUnrendered:
      return "unrendered";
    case IndexPageChange::kNew:
      return "new";
    case IndexPageChange::kChanged:
      return "changed";
    case IndexPageChange::kUnchanged:
      return "unchanged";
  }
  return "unknown";
}

int IndexPlan::pages_to_write() const {
  return static_cast<int>(
      std::count_if(pages.begin(), pages.end(), [](const IndexPage& p) {
        return p.change == IndexPageChange::kNew ||
               p.change == IndexPageChange::kChanged;
      }));
}

absl::StatusOr<IndexPlan> PlanIndexes(ObjectStore& store,
                                      absl::string_view prefix,
                                      absl::Span<const std::string> packages,
                                      const IndexOptions& options) {
  Planner planner(store, options);
  return planner.Run(prefix, packages);
}

absl::StatusOr<IndexResult> ApplyIndexPlan(ObjectStore& store,
                                           const IndexPlan& plan,
                                           const IndexOptions& options) {
  for (const IndexPage& page : plan.pages) {
    if (page.change == IndexPageChange::kUnrendered) {
      return absl::FailedPreconditionError(absl::StrCat(
          "index page \"", page.key,
          "\" is not rendered (RenderIndexPlan); nothing was written"));
    }
  }
  IndexResult result;
  result.computed_sha256 = plan.computed_sha256;
  StagingDir staging(options.work_dir);
  for (const IndexPage& page : plan.pages) {
    if (page.change == IndexPageChange::kUnchanged) {
      result.unchanged.push_back(page.key);
      continue;
    }
    RELKIT_ASSIGN_OR_RETURN(std::string dir, staging.Path());
    const std::string staged = absl::StrCat(dir, "/page");
    RELKIT_RETURN_IF_ERROR(WriteFileAtomically(staged, page.html));
    absl::StatusOr<ObjectInfo> put =
        store.Put(page.key, staged,
                  {.content_type = "text/html", .acl = ObjectAcl::kPublicRead});
    std::error_code ignored;
    std::filesystem::remove(staged, ignored);
    RELKIT_RETURN_IF_ERROR(put.status());
    result.written.push_back(page.key);
  }
  return result;
}

}  // namespace relkit
