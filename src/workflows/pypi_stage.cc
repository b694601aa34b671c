#include "relkit/pypi_stage.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "internal/temp_dir.h"
#include "relkit/artifact_name.h"
#include "relkit/promotion.h"
#include "relkit/sha256_digest.h"
#include "relkit/status.h"
#include "relkit/wheel.h"
#include "relkit/wheel_archive.h"
#include "relkit/wheel_index.h"

namespace relkit {
namespace {

using internal::TempDir;

bool IsUrl(absl::string_view s) {
  return absl::StartsWith(s, "http://") || absl::StartsWith(s, "https://");
}

std::string NormalizePrefix(absl::string_view prefix) {
  std::string p(prefix);
  if (!p.empty() && p.back() != '/') p.push_back('/');
  return p;
}

std::string PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() &&
        absl::ascii_isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        absl::ascii_isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      const auto hex = [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c))
                   ? c - '0'
                   : absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' +
                         10;
      };
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Removes `.` and `..` segments of a `/`-separated path (never above its
// root).
std::string RemoveDotSegments(absl::string_view path) {
  std::vector<std::string> out;
  const bool absolute = absl::StartsWith(path, "/");
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::string_view p = parts[i];
    if (p == ".") continue;
    if (p == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    if (p.empty() && i != parts.size() - 1) continue;
    out.emplace_back(p);
  }
  return absl::StrCat(absolute ? "/" : "", absl::StrJoin(out, "/"));
}

class Planner {
 public:
  Planner(const ReleaseSet& release, const PypiStagingRule& rule,
          const PypiStageSource& source,
          const PypiStageDestination& destination,
          const PypiStageOptions& options)
      : release_(release),
        rule_(rule),
        source_(source),
        destination_(destination),
        options_(options) {}

  absl::StatusOr<PypiStagePlan> Plan() {
    if (destination_.store == nullptr) {
      return absl::InvalidArgumentError("no staging store");
    }
    if (source_.store == nullptr && source_.index_pages.empty()) {
      return absl::InvalidArgumentError(
          "no source: give a store or index pages");
    }
    plan_.rule = rule_;
    plan_.remove_classifiers =
        options_.remove_classifiers.value_or(rule_.RemovedClassifiers());
    plan_.destination = destination_.store->Describe();
    plan_.destination_prefix = NormalizePrefix(destination_.prefix);
    plan_.source_is_store = source_.store != nullptr;
    plan_.source = source_.store != nullptr
                       ? absl::StrCat(source_.store->Describe(), " prefix \"",
                                      NormalizePrefix(source_.prefix), "\"")
                       : absl::StrJoin(source_.index_pages, ", ");
    ReleaseSetProblems();
    std::vector<const PackageVersion*> wanted;
    RELKIT_RETURN_IF_ERROR(Requested(wanted));
    if (source_.store != nullptr) {
      RELKIT_ASSIGN_OR_RETURN(
          std::vector<ObjectInfo> all,
          source_.store->ListAll(NormalizePrefix(source_.prefix)));
      for (const ObjectInfo& o : all) {
        if (!absl::EndsWith(o.key, ".whl")) continue;
        store_wheels_.push_back({.file_name = std::string(KeyBaseName(o.key)),
                                 .location = o.key,
                                 .size = o.size});
      }
    }
    for (const PackageVersion* pv : wanted) {
      RELKIT_RETURN_IF_ERROR(PlanPackage(*pv));
    }
    const auto by_key = [](const PypiStageItem& a, const PypiStageItem& b) {
      return a.staged_key < b.staged_key;
    };
    std::sort(plan_.to_stage.begin(), plan_.to_stage.end(), by_key);
    std::sort(plan_.already_staged.begin(), plan_.already_staged.end(), by_key);
    return std::move(plan_);
  }

 private:
  void Problem(PypiStageProblemKind kind, bool error, std::string package,
               std::string key, std::string message) {
    plan_.problems.push_back(
        {kind, error, std::move(package), std::move(key), std::move(message)});
  }

  void ReleaseSetProblems() {
    for (const ReleaseProblem& p : release_.problems()) {
      // As promotion: a former name or a twice-set variable is what the
      // shell uses too; the others hide or misstate a version.
      const bool error = p.kind != ReleaseProblemKind::kFormerVariableName &&
                         p.kind != ReleaseProblemKind::kDuplicateVariable &&
                         p.kind != ReleaseProblemKind::kDuplicatePackage;
      Problem(PypiStageProblemKind::kReleaseSet, error, "", "", p.ToString());
    }
  }

  absl::Status Requested(std::vector<const PackageVersion*>& wanted) {
    if (options_.packages.empty()) {
      for (const PackageVersion& p : release_.packages()) wanted.push_back(&p);
      return absl::OkStatus();
    }
    for (const std::string& name : options_.packages) {
      const PackageVersion* p = release_.Find(name);
      if (p == nullptr) {
        Problem(
            PypiStageProblemKind::kUnknownPackage, true, CanonicalizeName(name),
            "",
            absl::StrCat("package \"", name, "\" is not in the release set"));
        continue;
      }
      wanted.push_back(p);
    }
    return absl::OkStatus();
  }

  // The wheels offered for `package`: the store listing, or the pages.
  absl::StatusOr<std::vector<PypiWheelSource>> Offered(
      absl::string_view package) {
    if (source_.store != nullptr) return store_wheels_;
    std::vector<PypiWheelSource> out;
    // Page → whether it is the stable CUDA one (the Linux wheels).
    std::map<std::string, bool> pages;
    const std::string stable_segment =
        absl::StrCat("/", rule_.stable_cuda_label, "/");
    for (const std::string& page : source_.index_pages) {
      const bool templated = absl::StrContains(page, "{acc}");
      for (const std::string& acc :
           {rule_.stable_cuda_label, std::string("cpu")}) {
        // A file:// page is read as its path, so its links resolve as a
        // file page's.
        std::string expanded = IndexPageFilePath(absl::StrReplaceAll(
            page, {{"{package}", package}, {"{acc}", acc}}));
        const bool stable = templated
                                ? acc == rule_.stable_cuda_label
                                : absl::StrContains(expanded, stable_segment);
        pages[std::move(expanded)] |= stable;
      }
    }
    for (const auto& [page, stable] : pages) {
      absl::StatusOr<std::string> text = FetchIndexPage(page, source_.fetch);
      if (absl::IsNotFound(text.status())) {
        // A package may have no CPU page; but without the stable CUDA page
        // (or the only page) the plan would lack the Linux wheels and still
        // look ok.
        const bool error = stable || pages.size() == 1;
        Problem(
            PypiStageProblemKind::kMissingPage, error, std::string(package),
            page,
            absl::StrCat("index page ", page, " not found",
                         !error   ? ""
                         : stable ? " (the stable CUDA page: the Linux wheels)"
                                  : " (the only page)"));
        continue;
      }
      if (!text.ok()) return text.status();
      RELKIT_ASSIGN_OR_RETURN(WheelIndex index,
                              WheelIndex::Parse(*text, {.source = page}));
      for (const IndexedWheel& w : index.wheels) {
        out.push_back({.file_name = w.filename,
                       .location = ResolveIndexLink(page, w.url),
                       // Lower case, as relkit writes and compares hex: an
                       // index may publish upper case.
                       .sha256 = w.sha256.has_value()
                                     ? std::optional<std::string>(
                                           absl::AsciiStrToLower(*w.sha256))
                                     : std::nullopt,
                       .size = w.size});
      }
    }
    return out;
  }

  absl::Status PlanPackage(const PackageVersion& pv) {
    if (pv.version.is_prerelease() || pv.version.local().has_value()) {
      Problem(
          PypiStageProblemKind::kNotGa, true, pv.package, "",
          absl::StrCat(pv.ToString(), ": must be a GA version to go to PyPI"));
      return absl::OkStatus();
    }
    RELKIT_ASSIGN_OR_RETURN(std::vector<PypiWheelSource> offered,
                            Offered(pv.package));
    PypiSelection selection =
        SelectForPypi(pv.package, pv.version, offered, rule_);
    const std::string folder = absl::StrCat(
        plan_.destination_prefix, PypiStagingFolder(pv.package, pv.version));
    if (selection.selected_count() == 0) {
      Problem(PypiStageProblemKind::kNothingSelected, true, pv.package, "",
              absl::StrCat(pv.ToString(),
                           ": no wheel of the test channel "
                           "passes the staging rule"));
    }
    // The store's checksum of a selected wheel (a listing has none).
    if (source_.store != nullptr) {
      for (PypiCandidate& c : selection.candidates) {
        if (!c.selected) continue;
        RELKIT_ASSIGN_OR_RETURN(ObjectInfo info,
                                source_.store->Head(c.source.location));
        auto it = info.metadata.find(std::string(kChecksumSha256Metadata));
        if (it != info.metadata.end()) {
          c.source.sha256 = absl::AsciiStrToLower(it->second);
        }
        c.source.size = info.size;
      }
    }
    RELKIT_ASSIGN_OR_RETURN(std::vector<ObjectInfo> staged,
                            destination_.store->ListAll(folder));
    std::set<std::string> planned;
    for (const PypiCandidate* c : selection.selected()) {
      PypiStageItem item{.package = pv.package,
                         .version = pv.version,
                         .source = c->source,
                         .staged_key = folder + c->staged_name};
      planned.insert(item.staged_key);
      if (!item.source.sha256) {
        Problem(PypiStageProblemKind::kNoChecksum, false, pv.package,
                item.source.location,
                absl::StrCat(item.source.file_name,
                             ": the source publishes no sha256; the "
                             "download cannot be checked against it"));
      }
      const bool exists = std::any_of(
          staged.begin(), staged.end(),
          [&](const ObjectInfo& o) { return o.key == item.staged_key; });
      if (!exists) {
        plan_.to_stage.push_back(std::move(item));
        continue;
      }
      RELKIT_ASSIGN_OR_RETURN(ObjectInfo head,
                              destination_.store->Head(item.staged_key));
      auto it = head.metadata.find(std::string(kSourceSha256Metadata));
      // Both sides in lower case: a raw upper-case index value against the
      // lower-case one written at staging made every rerun a conflict.
      item.staged_source_sha256 = it == head.metadata.end()
                                      ? std::string()
                                      : absl::AsciiStrToLower(it->second);
      if (!item.source.sha256) {
        // Decided after the download (ApplyPypiStage).
        plan_.to_stage.push_back(std::move(item));
        continue;
      }
      if (*item.staged_source_sha256 == *item.source.sha256) {
        plan_.already_staged.push_back(std::move(item));
        continue;
      }
      const std::string from = item.staged_source_sha256->empty()
                                   ? "a file without relkit-source-sha256"
                                   : absl::StrCat("a file made from sha256 ",
                                                  *item.staged_source_sha256);
      if (options_.overwrite) {
        item.overwrite = true;
        Problem(PypiStageProblemKind::kConflict, false, pv.package,
                item.staged_key,
                absl::StrCat(item.staged_key, " holds ", from,
                             "; it is replaced (--overwrite)"));
      } else {
        Problem(PypiStageProblemKind::kConflict, true, pv.package,
                item.staged_key,
                absl::StrCat(item.staged_key, " holds ", from, ", not ",
                             *item.source.sha256,
                             " (use --overwrite to replace it)"));
      }
      if (item.overwrite) plan_.to_stage.push_back(std::move(item));
    }
    for (const ObjectInfo& o : staged) {
      if (absl::EndsWith(o.key, ".whl") && !planned.count(o.key)) {
        Problem(PypiStageProblemKind::kStrayFile, false, pv.package, o.key,
                absl::StrCat(o.key, " is staged but not selected"));
      }
    }
    plan_.selections.push_back(std::move(selection));
    return absl::OkStatus();
  }

  const ReleaseSet& release_;
  const PypiStagingRule& rule_;
  const PypiStageSource& source_;
  const PypiStageDestination& destination_;
  const PypiStageOptions& options_;
  std::vector<PypiWheelSource> store_wheels_;
  PypiStagePlan plan_;
};

class Stager {
 public:
  Stager(const PypiStagePlan& plan, ObjectStore* source,
         ObjectStore& destination, const PypiStageApplyOptions& options,
         std::string temp)
      : plan_(plan),
        source_(source),
        destination_(destination),
        options_(options),
        temp_(std::move(temp)) {}

  // Stages one item; an error stops the run.
  absl::Status Stage(const PypiStageItem& item, size_t index,
                     PypiStageResult& result) {
    Progress(index, item, "download");
    // 1. The source wheel as a local file, and its sha256.
    std::string path;
    std::string sha256;
    // The rewrite reads the wheel's tags from its file name: keep it.
    const std::string src_dir = absl::StrCat(temp_, "/source-", index);
    std::error_code ec;
    std::filesystem::create_directories(src_dir, ec);
    const std::string download =
        absl::StrCat(src_dir, "/", item.source.file_name);
    if (source_ != nullptr) {
      RELKIT_RETURN_IF_ERROR(source_->Get(item.source.location, download));
      path = download;
      RELKIT_ASSIGN_OR_RETURN(sha256, Sha256OfFile(path));
    } else if (IsUrl(item.source.location)) {
      RELKIT_ASSIGN_OR_RETURN(
          DownloadResult d,
          DownloadToFile(item.source.location, download, options_.download));
      path = download;
      sha256 = d.sha256;
    } else {
      path = item.source.location;  // read in place, never written
      RELKIT_ASSIGN_OR_RETURN(sha256, Sha256OfFile(path));
    }
    // 2. Checked before anything is rewritten.
    if (item.source.sha256 &&
        absl::AsciiStrToLower(*item.source.sha256) != sha256) {
      return absl::DataLossError(absl::StrCat(
          item.source.location, ": sha256 ", sha256, " does not match the ",
          "published ", *item.source.sha256, "; nothing was staged for it"));
    }
    // 3. A staged object the plan could not judge (no published sha256).
    if (item.staged_source_sha256 && !item.overwrite) {
      if (*item.staged_source_sha256 == sha256) {
        result.already_staged.push_back(item.staged_key);
        return absl::OkStatus();
      }
      return absl::FailedPreconditionError(absl::StrCat(
          item.staged_key, " holds a file made from another source (",
          item.staged_source_sha256->empty() ? "no relkit-source-sha256"
                                             : *item.staged_source_sha256,
          "); use --overwrite to replace it"));
    }
    // 4. Rewritten for PyPI.
    Progress(index, item, "rewrite");
    const std::string out_dir = absl::StrCat(temp_, "/out-", index);
    std::filesystem::create_directories(out_dir, ec);
    RELKIT_ASSIGN_OR_RETURN(
        WheelRewrite rewrite,
        RewriteWheel(path, out_dir,
                     {.remove_classifiers = plan_.remove_classifiers}));
    // 5. Put with both checksums, then verified.
    Progress(index, item, "put");
    PutOptions put;
    put.metadata[std::string(kChecksumSha256Metadata)] = rewrite.sha256;
    put.metadata[std::string(kSourceSha256Metadata)] = sha256;
    RELKIT_ASSIGN_OR_RETURN(
        ObjectInfo written,
        destination_.Put(item.staged_key, rewrite.output_path, put));
    (void)written;
    RELKIT_ASSIGN_OR_RETURN(ObjectInfo head,
                            destination_.Head(item.staged_key));
    auto it = head.metadata.find(std::string(kChecksumSha256Metadata));
    if (head.size != rewrite.size || it == head.metadata.end() ||
        it->second != rewrite.sha256) {
      return absl::DataLossError(absl::StrCat(
          item.staged_key, ": the staged object does not match what was put (",
          head.size, " bytes, expected ", rewrite.size, ")"));
    }
    result.staged.push_back({.package = item.package,
                             .source = item.source.location,
                             .staged_key = item.staged_key,
                             .source_sha256 = sha256,
                             .sha256 = rewrite.sha256,
                             .size = rewrite.size,
                             .removed_classifiers = rewrite.removed_classifiers,
                             .overwritten = item.overwrite});
    std::filesystem::remove_all(out_dir, ec);
    std::filesystem::remove_all(src_dir, ec);
    return absl::OkStatus();
  }

 private:
  void Progress(size_t index, const PypiStageItem& item, const char* step) {
    if (options_.progress) {
      options_.progress({.done = index,
                         .total = plan_.to_stage.size(),
                         .key = item.staged_key,
                         .step = step});
    }
  }

  const PypiStagePlan& plan_;
  ObjectStore* source_;
  ObjectStore& destination_;
  const PypiStageApplyOptions& options_;
  std::string temp_;
};

}  // namespace

absl::string_view PypiStageProblemKindName(PypiStageProblemKind kind) {
  switch (kind) {
    case PypiStageProblemKind::kReleaseSet:
      return "release-set";
    case PypiStageProblemKind::kUnknownPackage:
      return "unknown-package";
    case PypiStageProblemKind::kNotGa:
      return "not-ga";
    case PypiStageProblemKind::kNothingSelected:
      return "nothing-selected";
    case PypiStageProblemKind::kConflict:
      return "conflict";
    case PypiStageProblemKind::kNoChecksum:
      return "no-checksum";
    case PypiStageProblemKind::kMissingPage:
      return "missing-page";
    case PypiStageProblemKind::kStrayFile:
      return "stray-file";
  }
  return "?";
}

bool PypiStagePlan::ok() const { return error_count() == 0; }

int PypiStagePlan::error_count() const {
  return static_cast<int>(
      std::count_if(problems.begin(), problems.end(),
                    [](const PypiStageProblem& p) { return p.error; }));
}

int PypiStagePlan::warning_count() const {
  return static_cast<int>(problems.size()) - error_count();
}

absl::StatusOr<PypiStagePlan> PlanPypiStage(
    const ReleaseSet& release, const PypiStagingRule& rule,
    const PypiStageSource& source, const PypiStageDestination& destination,
    const PypiStageOptions& options) {
  return Planner(release, rule, source, destination, options).Plan();
}

absl::StatusOr<PypiStageResult> ApplyPypiStage(
    const PypiStagePlan& plan, ObjectStore* source_store,
    ObjectStore& destination, const PypiStageApplyOptions& options) {
  if (!plan.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the staging plan has ", plan.error_count(),
                     " errors; nothing was staged"));
  }
  PypiStageResult result;
  for (const PypiStageItem& item : plan.already_staged) {
    result.already_staged.push_back(item.staged_key);
  }
  if (plan.to_stage.empty()) {
    result.already_applied = true;
    return result;
  }
  if (plan.source_is_store && source_store == nullptr) {
    return absl::FailedPreconditionError(
        "the plan's source is a store: pass it to apply the plan");
  }
  RELKIT_ASSIGN_OR_RETURN(TempDir temp,
                          TempDir::Create(options.temp_dir, "pypi-stage"));
  Stager stager(plan, plan.source_is_store ? source_store : nullptr,
                destination, options, temp.path());
  for (size_t i = 0; i < plan.to_stage.size(); ++i) {
    if (options.delay_per_file > absl::ZeroDuration()) {
      absl::SleepFor(options.delay_per_file);
    }
    const PypiStageItem& item = plan.to_stage[i];
    absl::Status st = stager.Stage(item, i, result);
    if (!st.ok()) {
      result.failed.push_back({item.staged_key, std::move(st)});
      break;
    }
  }
  if (options.progress) {
    options.progress({.done = plan.to_stage.size(),
                      .total = plan.to_stage.size(),
                      .key = "",
                      .step = "done"});
  }
  return result;
}

std::string ResolveIndexLink(absl::string_view page, absl::string_view link) {
  if (IsUrl(link)) return std::string(link);
  if (IsUrl(page)) {
    const size_t scheme_end = page.find("://") + 3;
    const size_t path_start = page.find('/', scheme_end);
    const absl::string_view origin = path_start == absl::string_view::npos
                                         ? page
                                         : page.substr(0, path_start);
    absl::string_view page_path =
        path_start == absl::string_view::npos ? "/" : page.substr(path_start);
    page_path = page_path.substr(0, page_path.find_first_of("?#"));
    if (absl::StartsWith(link, "//")) {
      return absl::StrCat(page.substr(0, scheme_end - 2), link);
    }
    if (absl::StartsWith(link, "/")) {
      return absl::StrCat(origin, RemoveDotSegments(link));
    }
    const absl::string_view dir = page_path.substr(0, page_path.rfind('/') + 1);
    return absl::StrCat(origin, RemoveDotSegments(absl::StrCat(dir, link)));
  }
  // A file page: links are paths relative to its folder.
  std::string rel = PercentDecode(link);
  absl::ConsumePrefix(&page, "file://");
  if (absl::StartsWith(rel, "file://")) return rel.substr(7);
  if (absl::StartsWith(rel, "/")) return RemoveDotSegments(rel);
  const size_t slash = page.rfind('/');
  const std::string dir = slash == absl::string_view::npos
                              ? ""
                              : std::string(page.substr(0, slash + 1));
  return RemoveDotSegments(absl::StrCat(dir, rel));
}

}  // namespace relkit
