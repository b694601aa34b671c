#include "relkit/pypi_validate.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "internal/temp_dir.h"
#include "relkit/artifact_name.h"
#include "relkit/http.h"
#include "relkit/pypi_client.h"
#include "relkit/status.h"
#include "relkit/wheel.h"
#include "relkit/wheel_archive.h"
#include "relkit/wheel_index.h"

namespace relkit {
namespace {

using internal::TempDir;

// Every file of the project counts toward its quota: sdists too.
uint64_t ProjectBytes(const PypiProjectFiles& files) {
  uint64_t total = 0;
  for (const PypiIndexFile& f : files.files) total += f.size.value_or(0);
  return total;
}

std::string NormalizePrefix(absl::string_view prefix) {
  std::string p(prefix);
  if (!p.empty() && p.back() != '/') p.push_back('/');
  return p;
}

// The project a requirement is about ("nvidia-cudnn-cu12==9.1; ..." ->
// "nvidia-cudnn-cu12").
std::string RequirementName(absl::string_view req) {
  size_t end = 0;
  while (end < req.size() &&
         (absl::ascii_isalnum(static_cast<unsigned char>(req[end])) ||
          req[end] == '-' || req[end] == '_' || req[end] == '.')) {
    ++end;
  }
  return CanonicalizeName(req.substr(0, end));
}

std::string Mb(uint64_t bytes) {
  return absl::StrCat(bytes / kMegabyte, ".",
                      (bytes % kMegabyte) * 10 / kMegabyte, " MB");
}

// A value per wheel; the wheels whose value differs from the majority's.
// Ties: the value of the first wheel (file-name order) among the largest
// groups is the majority.
struct Vote {
  std::string majority;
  size_t majority_count = 0;
  std::vector<std::pair<const PypiStagedWheel*, std::string>> odd;
};

Vote Majority(
    const std::vector<std::pair<const PypiStagedWheel*, std::string>>& values) {
  std::map<std::string, size_t> count;
  for (const auto& [w, v] : values) ++count[v];
  Vote vote;
  for (const auto& [w, v] : values) {
    if (count[v] > vote.majority_count) {
      vote.majority = v;
      vote.majority_count = count[v];
    }
  }
  for (const auto& [w, v] : values) {
    if (v != vote.majority) vote.odd.emplace_back(w, v);
  }
  return vote;
}

std::string Shown(absl::string_view v) {
  return v.empty() ? std::string("(none)") : std::string(v);
}

class Validator {
 public:
  Validator(const ReleaseSet& release, ObjectStore& staging,
            absl::string_view prefix, const PypiValidateOptions& options)
      : release_(release),
        staging_(staging),
        prefix_(NormalizePrefix(prefix)),
        options_(options) {}

  absl::StatusOr<PypiValidation> Run() {
    out_.staging = staging_.Describe();
    out_.prefix = prefix_;
    out_.max_file_bytes = options_.max_file_bytes;
    out_.warn_file_bytes = options_.warn_file_bytes;
    for (const ReleaseProblem& p : release_.problems()) {
      if (p.kind == ReleaseProblemKind::kInvalidVersion ||
          p.kind == ReleaseProblemKind::kUnresolvedAlias) {
        Problem(PypiCheckKind::kReleaseSet, "", "", p.ToString());
      }
    }
    std::vector<const PackageVersion*> wanted;
    if (options_.packages.empty()) {
      for (const PackageVersion& p : release_.packages()) wanted.push_back(&p);
    } else {
      for (const std::string& name : options_.packages) {
        const PackageVersion* p = release_.Find(name);
        if (p == nullptr) {
          Problem(
              PypiCheckKind::kReleaseSet, CanonicalizeName(name), "",
              absl::StrCat("package \"", name, "\" is not in the release set"));
        } else {
          wanted.push_back(p);
        }
      }
    }
    RELKIT_ASSIGN_OR_RETURN(
        TempDir temp, TempDir::Create(options_.temp_dir, "pypi-validate"));
    temp_ = temp.path();
    for (const PackageVersion* pv : wanted) {
      RELKIT_RETURN_IF_ERROR(Package(*pv));
    }
    return std::move(out_);
  }

 private:
  void Problem(PypiCheckKind kind, std::string package, std::string file,
               std::string message) {
    out_.problems.push_back(
        {kind, std::move(package), std::move(file), std::move(message)});
  }

  absl::Status Package(const PackageVersion& pv) {
    PypiPackageValidation pkg;
    pkg.package = pv.package;
    pkg.version = pv.version.WithoutLocal().ToString();
    pkg.folder = prefix_ + PypiStagingFolder(pv.package, pv.version);
    pkg.quota_bytes = options_.quota_bytes;
    RELKIT_ASSIGN_OR_RETURN(std::vector<ObjectInfo> objects,
                            staging_.ListAll(pkg.folder));
    std::vector<PypiStagedWheel> wheels;
    for (const ObjectInfo& o : objects) {
      if (!absl::EndsWith(o.key, ".whl")) continue;
      PypiStagedWheel w;
      w.package = pv.package;
      w.key = o.key;
      w.file_name = std::string(KeyBaseName(o.key));
      w.size = o.size;
      wheels.push_back(std::move(w));
    }
    // Expected files: pure Python when every staged wheel is `none-any`.
    std::vector<std::optional<WheelFilename>> names;
    bool all_any = !wheels.empty();
    for (const PypiStagedWheel& w : wheels) {
      absl::StatusOr<WheelFilename> f = WheelFilename::Parse(w.file_name);
      names.push_back(f.ok() ? std::optional<WheelFilename>(*f) : std::nullopt);
      if (!f.ok() || f->platform_tags() != std::vector<std::string>{"any"}) {
        all_any = false;
      }
    }
    pkg.pure_python = all_any;
    RELKIT_ASSIGN_OR_RETURN(
        std::vector<ExpectedPypiFile> expected,
        ExpectedPypiFiles(pv.package, pv.version, options_.pythons,
                          options_.platforms, all_any));
    std::vector<bool> accounted(wheels.size(), false);
    for (const ExpectedPypiFile& e : expected) {
      pkg.expected.push_back(e.file_name);
      bool found = false;
      for (size_t i = 0; i < wheels.size(); ++i) {
        if (names[i] && e.Matches(*names[i]) &&
            names[i]->version() == pv.version.WithoutLocal() &&
            !names[i]->version().local()) {
          found = true;
          accounted[i] = true;
        }
      }
      if (found) {
        ++pkg.present;
      } else {
        Problem(PypiCheckKind::kMissing, pv.package, e.file_name,
                absl::StrCat(e.file_name, " is missing from ", pkg.folder));
      }
    }
    for (size_t i = 0; i < wheels.size(); ++i) {
      if (!accounted[i]) {
        Problem(PypiCheckKind::kUnexpected, pv.package, wheels[i].file_name,
                absl::StrCat(wheels[i].file_name,
                             " is not an expected file of ", pv.ToString()));
      }
    }
    // Each wheel, downloaded once: METADATA and RECORD, sizes.
    for (PypiStagedWheel& w : wheels) {
      RELKIT_RETURN_IF_ERROR(ReadOne(pv, w));
      pkg.staged_bytes += w.size;
    }
    Consistency(pv.package, wheels);
    RELKIT_RETURN_IF_ERROR(Quota(pkg, wheels));
    for (PypiStagedWheel& w : wheels) out_.wheels.push_back(std::move(w));
    out_.packages.push_back(std::move(pkg));
    return absl::OkStatus();
  }

  absl::Status ReadOne(const PackageVersion& pv, PypiStagedWheel& w) {
    if (options_.progress) options_.progress(done_, 0, w.key);
    ++done_;
    if (w.size > options_.max_file_bytes) {
      Problem(PypiCheckKind::kFileLimit, pv.package, w.file_name,
              absl::StrCat(w.file_name, " is ", Mb(w.size),
                           ", over the per-file limit of ",
                           Mb(options_.max_file_bytes)));
    } else if (w.size > options_.warn_file_bytes) {
      Problem(PypiCheckKind::kSizeThreshold, pv.package, w.file_name,
              absl::StrCat(w.file_name, " is ", Mb(w.size),
                           ", over the threshold of ",
                           Mb(options_.warn_file_bytes)));
    }
    const std::string path = absl::StrCat(temp_, "/", w.file_name);
    RELKIT_RETURN_IF_ERROR(staging_.Get(w.key, path));
    absl::StatusOr<WheelContents> contents = ReadWheel(path);
    if (!contents.ok()) {
      Problem(PypiCheckKind::kUnreadable, pv.package, w.file_name,
              absl::StrCat(w.file_name, ": ", contents.status().message()));
      std::error_code ec;
      std::filesystem::remove(path, ec);
      return absl::OkStatus();
    }
    w.readable = true;
    w.version = contents->metadata.Get("Version").value_or("");
    w.requires_dist = contents->metadata.GetAll("Requires-Dist");
    w.requires_python = contents->metadata.Get("Requires-Python").value_or("");
    for (const std::string& c : contents->metadata.GetAll("Classifier")) {
      if (absl::StartsWith(c, "Programming Language :: Python ::")) {
        w.python_classifiers.push_back(c);
      }
    }
    std::sort(w.python_classifiers.begin(), w.python_classifiers.end());
    const std::string expected = pv.version.WithoutLocal().ToString();
    if (w.version != expected) {
      Problem(PypiCheckKind::kVersion, pv.package, w.file_name,
              absl::StrCat(w.file_name, ": METADATA Version is \"", w.version,
                           "\", not \"", expected, "\""));
    }
    absl::StatusOr<RecordCheck> record = VerifyWheelRecord(path);
    if (!record.ok()) {
      Problem(PypiCheckKind::kRecord, pv.package, w.file_name,
              absl::StrCat(w.file_name, ": RECORD cannot be checked: ",
                           record.status().message()));
    } else {
      w.members_checked = record->members_checked;
      w.record_ok = record->ok();
      for (const RecordProblem& p : record->problems) {
        Problem(
            PypiCheckKind::kRecord, pv.package, w.file_name,
            absl::StrCat(w.file_name, ": RECORD: ", p.member, ": ", p.what));
      }
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return absl::OkStatus();
  }

  void Consistency(const std::string& package,
                   const std::vector<PypiStagedWheel>& wheels) {
    std::vector<const PypiStagedWheel*> readable;
    for (const PypiStagedWheel& w : wheels) {
      if (w.readable) readable.push_back(&w);
    }
    // Requires-Python and the classifiers: across every wheel.
    {
      std::vector<std::pair<const PypiStagedWheel*, std::string>> v;
      for (const PypiStagedWheel* w : readable)
        v.emplace_back(w, w->requires_python);
      Vote vote = Majority(v);
      for (const auto& [w, value] : vote.odd) {
        Problem(PypiCheckKind::kRequiresPython, package, w->file_name,
                absl::StrCat(w->file_name, ": Requires-Python is ",
                             Shown(value), " where ", vote.majority_count,
                             " other wheels say ", Shown(vote.majority)));
      }
    }
    {
      std::vector<std::pair<const PypiStagedWheel*, std::string>> v;
      for (const PypiStagedWheel* w : readable) {
        v.emplace_back(w, absl::StrJoin(w->python_classifiers, "\n"));
      }
      Vote vote = Majority(v);
      for (const auto& [w, value] : vote.odd) {
        std::vector<std::string> mine(w->python_classifiers);
        std::vector<std::string> theirs =
            absl::StrSplit(vote.majority, '\n', absl::SkipEmpty());
        std::vector<std::string> extra, lacking;
        std::set_difference(mine.begin(), mine.end(), theirs.begin(),
                            theirs.end(), std::back_inserter(extra));
        std::set_difference(theirs.begin(), theirs.end(), mine.begin(),
                            mine.end(), std::back_inserter(lacking));
        Problem(PypiCheckKind::kClassifiers, package, w->file_name,
                absl::StrCat(w->file_name, ": Python classifiers differ from ",
                             vote.majority_count, " other wheels: has [",
                             absl::StrJoin(extra, ", "), "], lacks [",
                             absl::StrJoin(lacking, ", "), "]"));
      }
    }
    // Requires-Dist: per project, the requirement must read the same in
    // every wheel that has it (platform-only projects, as nvidia-* on Linux,
    // are not in every wheel) ...
    std::map<std::string,
             std::vector<std::pair<const PypiStagedWheel*, std::string>>>
        by_project;
    for (const PypiStagedWheel* w : readable) {
      std::map<std::string, std::string> mine;
      for (const std::string& r : w->requires_dist) {
        std::string& slot = mine[RequirementName(r)];
        slot = slot.empty() ? r : absl::StrCat(slot, " | ", r);
      }
      for (auto& [name, req] : mine) by_project[name].emplace_back(w, req);
    }
    for (const auto& [name, values] : by_project) {
      Vote vote = Majority(values);
      for (const auto& [w, value] : vote.odd) {
        Problem(PypiCheckKind::kRequiresDist, package, w->file_name,
                absl::StrCat(w->file_name, ": Requires-Dist \"", value,
                             "\" where ", vote.majority_count,
                             " other wheels have \"", vote.majority, "\""));
      }
    }
    // ... and the wheels of one platform need the same projects.
    std::map<std::string, std::vector<const PypiStagedWheel*>> by_platform;
    for (const PypiStagedWheel* w : readable) {
      absl::StatusOr<WheelFilename> f = WheelFilename::Parse(w->file_name);
      if (!f.ok()) continue;
      by_platform[absl::StrJoin(f->platform_tags(), ".")].push_back(w);
    }
    for (const auto& [platform, ws] : by_platform) {
      std::vector<std::pair<const PypiStagedWheel*, std::string>> v;
      for (const PypiStagedWheel* w : ws) {
        std::set<std::string> names;
        for (const std::string& r : w->requires_dist)
          names.insert(RequirementName(r));
        v.emplace_back(w, absl::StrJoin(names, ", "));
      }
      Vote vote = Majority(v);
      for (const auto& [w, value] : vote.odd) {
        Problem(PypiCheckKind::kRequiresDist, package, w->file_name,
                absl::StrCat(w->file_name, ": requires [", value, "] where ",
                             vote.majority_count, " other ", platform,
                             " wheels require [", vote.majority, "]"));
      }
    }
  }

  absl::Status Quota(PypiPackageValidation& pkg,
                     const std::vector<PypiStagedWheel>& wheels) {
    if (!options_.index_url.empty()) {
      std::string url = options_.index_url;
      if (url.back() != '/') url.push_back('/');
      absl::StrAppend(&url, pkg.package, "/");
      RELKIT_ASSIGN_OR_RETURN(
          std::unique_ptr<CurlTransport> http,
          CurlTransport::Create({.max_response_bytes = size_t{256} << 20}));
      HttpRequest request{.url = url};
      request.headers.Set("Accept", "application/vnd.pypi.simple.v1+json");
      RELKIT_ASSIGN_OR_RETURN(HttpResponse response, http->Send(request));
      if (response.status == 404) {
        pkg.current_bytes = 0;  // a new project
      } else {
        RELKIT_RETURN_IF_ERROR(HttpStatusToError(request, response));
        RELKIT_ASSIGN_OR_RETURN(
            PypiProjectFiles files,
            ParsePypiProjectPage(response.body, pkg.package, url));
        pkg.current_bytes = ProjectBytes(files);
        // A staged file the index lists is in current_bytes already (a rerun
        // after a partial upload): counting it twice could raise a false
        // quota problem.
        for (const PypiStagedWheel& w : wheels) {
          if (files.Find(w.file_name) != nullptr) {
            pkg.staged_on_index_bytes += w.size;
          }
        }
      }
    }
    if (pkg.total_after_upload() > pkg.quota_bytes) {
      Problem(
          PypiCheckKind::kQuota, pkg.package, "",
          absl::StrCat(pkg.package, ": ", Mb(pkg.total_after_upload()),
                       " after the upload",
                       pkg.current_bytes ? "" : " (staged files only)",
                       ", over the project quota of ", Mb(pkg.quota_bytes)));
    }
    return absl::OkStatus();
  }

  const ReleaseSet& release_;
  ObjectStore& staging_;
  std::string prefix_;
  const PypiValidateOptions& options_;
  std::string temp_;
  size_t done_ = 0;
  PypiValidation out_;
};

}  // namespace

absl::string_view PypiCheckKindName(PypiCheckKind kind) {
  switch (kind) {
    case PypiCheckKind::kMissing:
      return "missing";
    case PypiCheckKind::kUnexpected:
      return "unexpected";
    case PypiCheckKind::kVersion:
      return "version";
    case PypiCheckKind::kRequiresDist:
      return "requires-dist";
    case PypiCheckKind::kRequiresPython:
      return "requires-python";
    case PypiCheckKind::kClassifiers:
      return "classifiers";
    case PypiCheckKind::kRecord:
      return "record";
    case PypiCheckKind::kUnreadable:
      return "unreadable";
    case PypiCheckKind::kFileLimit:
      return "file-limit";
    case PypiCheckKind::kSizeThreshold:
      return "size-threshold";
    case PypiCheckKind::kQuota:
      return "quota";
    case PypiCheckKind::kReleaseSet:
      return "release-set";
  }
  return "?";
}

absl::StatusOr<PypiValidation> ValidatePypiStaging(
    const ReleaseSet& release, ObjectStore& staging, absl::string_view prefix,
    const PypiValidateOptions& options) {
  return Validator(release, staging, prefix, options).Run();
}

absl::StatusOr<uint64_t> PypiSizeOptionBytes(double value, uint64_t unit,
                                             absl::string_view what) {
  constexpr double kMaxBytes = 1e18;  // 10^9 GB
  const double bytes = value * static_cast<double>(unit);
  if (!std::isfinite(value) || value < 0 || !(bytes <= kMaxBytes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " ", value, " is not a size: it must be a number from 0 to ",
        kMaxBytes / static_cast<double>(unit)));
  }
  return static_cast<uint64_t>(bytes);
}

absl::StatusOr<uint64_t> Pep691ProjectBytes(absl::string_view text,
                                            absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(PypiProjectFiles files,
                          ParsePypiProjectPage(text, "", source));
  return ProjectBytes(files);
}

}  // namespace relkit
