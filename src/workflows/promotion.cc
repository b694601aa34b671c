#include "relkit/promotion.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "relkit/status.h"
#include "relkit/wheel.h"
#include "relkit/wheel_index.h"

namespace relkit {

absl::string_view PromotionProblemKindName(PromotionProblemKind kind) {
  switch (kind) {
    case PromotionProblemKind::kReleaseSet:
      return "release-set";
    case PromotionProblemKind::kNotGa:
      return "not-ga";
    case PromotionProblemKind::kUnknownPackage:
      return "unknown-package";
    case PromotionProblemKind::kNothingToCopy:
      return "nothing-to-copy";
    case PromotionProblemKind::kConflict:
      return "conflict";
    case PromotionProblemKind::kUnreadableName:
      return "unreadable-name";
    case PromotionProblemKind::kBadChecksum:
      return "bad-checksum";
    case PromotionProblemKind::kIncomplete:
      return "incomplete";
  }
  return "unknown";
}

absl::string_view ProblemSeverityName(ProblemSeverity severity) {
  return severity == ProblemSeverity::kError ? "error" : "warning";
}

absl::string_view SameByName(SameBy same_by) {
  return same_by == SameBy::kSha256 ? "sha256" : "size";
}

bool PromotionPlan::ok() const { return error_count() == 0; }

int PromotionPlan::error_count() const {
  return static_cast<int>(std::count_if(
      problems.begin(), problems.end(),
      [](const auto& p) { return p.severity == ProblemSeverity::kError; }));
}

int PromotionPlan::warning_count() const {
  return static_cast<int>(problems.size()) - error_count();
}

uint64_t PromotionPlan::bytes_to_copy() const {
  uint64_t total = 0;
  for (const PlannedCopy& c : copies) total += c.size;
  return total;
}

namespace {

// "whl/test" and "whl/test/" name the same folder; a listing of "whl/test"
// alone would also take "whl/testing/...".
absl::StatusOr<std::string> NormalizePrefix(absl::string_view prefix) {
  std::string p(prefix);
  if (p.empty()) return p;
  if (p.back() != '/') p.push_back('/');
  // A prefix must be a valid key once something follows it.
  absl::Status valid = ValidateObjectKey(absl::StrCat(p, "x"));
  if (!valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid prefix \"", prefix, "\": ", valid.message()));
  }
  return p;
}

// Release-set problems that leave a package's version unknown or possibly
// wrong stop the promotion; the ones where the shell's reading is still used
// unambiguously (an old name, a later line winning) are only reported.
ProblemSeverity SeverityOf(ReleaseProblemKind kind) {
  switch (kind) {
    case ReleaseProblemKind::kFormerVariableName:
    case ReleaseProblemKind::kDuplicateVariable:
    case ReleaseProblemKind::kDuplicatePackage:
      return ProblemSeverity::kWarning;
    default:
      return ProblemSeverity::kError;
  }
}

// Returns the sha256 of `metadata` in lower case, nullopt when absent, and
// sets `malformed` when present but not 64 hex digits.
std::optional<std::string> Sha256Of(const ObjectMetadata& metadata,
                                    bool& malformed) {
  malformed = false;
  auto it = metadata.find(std::string(kChecksumSha256Metadata));
  if (it == metadata.end()) return std::nullopt;
  std::string hex = absl::AsciiStrToLower(it->second);
  if (hex.size() != 64 ||
      !std::all_of(hex.begin(), hex.end(), absl::ascii_isxdigit)) {
    malformed = true;
    return std::nullopt;
  }
  return hex;
}

// One requested package at the version it is promoted at.
struct Request {
  PromotionPackage summary;
  std::optional<Version> version;  // nullopt: not in the release set
  // Its files in the source; nullopt when not looked for (unknown package,
  // pre-release).
  std::optional<ArtifactSelection> selection;
};

// Heads answered ahead of the plan, by key (an error is kept as the answer).
using HeadCache = std::map<std::string, absl::StatusOr<ObjectInfo>>;

// Heads `keys` of `where` (distinct keys) `jobs` at a time, one handle of
// `where.open` per worker, into `cache`. Without a factory or with fewer
// than two keys it does nothing: the plan then Heads each key when it needs
// it. After a failing Head the workers stop; keys left unanswered are
// Headed by the plan in its own order, so the error it returns is the one
// of the first failing key in plan order, as without prefetching. Returns
// an error only when a handle cannot be opened.
absl::Status PrefetchHeads(const PromotionLocation& where,
                           const std::vector<std::string>& keys, int jobs,
                           HeadCache& cache) {
  if (!where.open || keys.size() < 2) return absl::OkStatus();
  const size_t workers = std::min<size_t>(
      static_cast<size_t>(std::clamp(jobs, 1, 64)), keys.size());
  if (workers < 2) return absl::OkStatus();
  std::vector<std::unique_ptr<ObjectStore>> handles;
  handles.reserve(workers);
  for (size_t i = 0; i < workers; ++i) {
    absl::StatusOr<std::unique_ptr<ObjectStore>> handle = where.open();
    if (!handle.ok()) return handle.status();
    if (*handle == nullptr) {
      return absl::InternalError("a store factory returned no store");
    }
    handles.push_back(*std::move(handle));
  }
  std::vector<std::optional<absl::StatusOr<ObjectInfo>>> answers(keys.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (size_t i = 0; i < workers; ++i) {
    ObjectStore* store = handles[i].get();
    threads.emplace_back([store, &keys, &answers, &next, &failed] {
      while (!failed.load()) {
        const size_t k = next.fetch_add(1);
        if (k >= keys.size()) return;
        absl::StatusOr<ObjectInfo> head = store->Head(keys[k]);
        if (!head.ok()) failed.store(true);
        answers[k] = std::move(head);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t k = 0; k < keys.size(); ++k) {
    if (answers[k].has_value()) {
      cache.insert_or_assign(keys[k], *std::move(answers[k]));
    }
  }
  return absl::OkStatus();
}

// The answer of `cache` for `key`, else a Head through `where.store`.
absl::StatusOr<ObjectInfo> HeadOf(const PromotionLocation& where,
                                  HeadCache& cache, const std::string& key) {
  auto it = cache.find(key);
  if (it == cache.end()) return where.store->Head(key);
  absl::StatusOr<ObjectInfo> answer = std::move(it->second);
  cache.erase(it);
  return answer;
}

class Planner {
 public:
  Planner(const ReleaseSet& release, const PromotionLocation& source,
          const PromotionLocation& destination, const PromotionOptions& options)
      : release_(release),
        source_(source),
        destination_(destination),
        mirror_(options.mirror),
        overwrite_(options.overwrite),
        head_jobs_(options.head_jobs) {}

  absl::StatusOr<PromotionPlan> Run(const PromotionOptions& options) {
    RELKIT_RETURN_IF_ERROR(CheckLocations());
    AddReleaseSetProblems();
    std::vector<Request> requests = Requests(options);
    RELKIT_ASSIGN_OR_RETURN(std::vector<ObjectInfo> listing,
                            source_.store->ListAll(plan_.source_prefix));
    std::vector<std::string> keys;
    keys.reserve(listing.size());
    for (const ObjectInfo& o : listing) keys.push_back(o.key);
    RELKIT_RETURN_IF_ERROR(ListDestination());
    RELKIT_RETURN_IF_ERROR(SelectAndPrefetch(requests, keys));
    for (Request& r : requests) {
      RELKIT_RETURN_IF_ERROR(PlanPackage(r, keys, options));
      plan_.packages.push_back(std::move(r.summary));
    }
    for (auto& [key, reason] : unreadable_) {
      plan_.problems.push_back(
          {.kind = PromotionProblemKind::kUnreadableName,
           .severity = ProblemSeverity::kWarning,
           .key = key,
           .message = absl::StrCat("\"", key, "\" not selected: ", reason)});
    }
    auto by_destination = [](const auto& a, const auto& b) {
      return a.destination_key < b.destination_key;
    };
    std::sort(plan_.copies.begin(), plan_.copies.end(), by_destination);
    std::sort(plan_.already_present.begin(), plan_.already_present.end(),
              by_destination);
    if (mirror_.store != nullptr) {
      RELKIT_RETURN_IF_ERROR(PlanMirror());
      std::sort(plan_.mirror_copies.begin(), plan_.mirror_copies.end(),
                by_destination);
      std::sort(plan_.mirror_already_present.begin(),
                plan_.mirror_already_present.end(), by_destination);
    }
    return std::move(plan_);
  }

 private:
  absl::Status CheckLocations() {
    if (source_.store == nullptr || destination_.store == nullptr) {
      return absl::InvalidArgumentError("promotion needs two stores");
    }
    RELKIT_ASSIGN_OR_RETURN(plan_.source_prefix,
                            NormalizePrefix(source_.prefix));
    RELKIT_ASSIGN_OR_RETURN(plan_.destination_prefix,
                            NormalizePrefix(destination_.prefix));
    plan_.source = source_.store->Describe();
    plan_.destination = destination_.store->Describe();
    if (plan_.source == plan_.destination &&
        plan_.source_prefix == plan_.destination_prefix) {
      return absl::InvalidArgumentError(
          absl::StrCat("source and destination are the same: ", plan_.source,
                       " prefix \"", plan_.source_prefix, "\""));
    }
    if (mirror_.store != nullptr) {
      RELKIT_ASSIGN_OR_RETURN(plan_.mirror_prefix,
                              NormalizePrefix(mirror_.prefix));
      plan_.mirror = mirror_.store->Describe();
      for (const auto& [store, prefix, side] :
           {std::tuple(&plan_.source, &plan_.source_prefix, "source"),
            std::tuple(&plan_.destination, &plan_.destination_prefix,
                       "destination")}) {
        if (*store == plan_.mirror && *prefix == plan_.mirror_prefix) {
          return absl::InvalidArgumentError(
              absl::StrCat("mirror and ", side, " are the same: ", plan_.mirror,
                           " prefix \"", plan_.mirror_prefix, "\""));
        }
      }
    }
    return absl::OkStatus();
  }

  void AddReleaseSetProblems() {
    for (const ReleaseProblem& p : release_.problems()) {
      plan_.problems.push_back(
          {.kind = PromotionProblemKind::kReleaseSet,
           .severity = SeverityOf(p.kind),
           .message =
               absl::StrCat("release set: ", ReleaseProblemKindName(p.kind),
                            ": ", p.ToString())});
    }
  }

  std::vector<Request> Requests(const PromotionOptions& options) {
    std::vector<Request> requests;
    std::set<std::string> seen;
    auto add = [&](const std::string& package) {
      if (!seen.insert(package).second) return;
      Request r;
      r.summary.package = package;
      // libtorch zips carry torch's version; the release set has no
      // variable of their own.
      const PackageVersion* pv =
          release_.Find(package == "libtorch" ? "torch" : package);
      if (pv != nullptr) {
        r.version = pv->version;
        r.summary.version = pv->version.ToString();
        r.summary.variable = pv->variable;
      }
      requests.push_back(std::move(r));
    };
    if (options.packages.empty()) {
      for (const PackageVersion& pv : release_.packages()) add(pv.package);
    } else {
      for (const std::string& p : options.packages) add(CanonicalizeName(p));
    }
    return requests;
  }

  // Selects each looked-for package's files, then Heads them (and the
  // destination keys they would go to that exist) ahead of the plan, in
  // parallel when the locations can open more handles.
  absl::Status SelectAndPrefetch(std::vector<Request>& requests,
                                 const std::vector<std::string>& keys) {
    std::vector<std::string> source_keys;
    std::vector<std::string> destination_keys;
    for (Request& r : requests) {
      if (!r.version.has_value() || r.version->is_prerelease()) continue;
      r.selection = SelectArtifacts(keys, r.summary.package, *r.version);
      for (const std::string& key : r.selection->keys) {
        source_keys.push_back(key);
        std::string destination_key = DestinationKey(key);
        if (at_destination_.contains(destination_key)) {
          destination_keys.push_back(std::move(destination_key));
        }
      }
    }
    for (std::vector<std::string>* v : {&source_keys, &destination_keys}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    RELKIT_RETURN_IF_ERROR(
        PrefetchHeads(source_, source_keys, head_jobs_, source_heads_));
    return PrefetchHeads(destination_, destination_keys, head_jobs_,
                         destination_heads_);
  }

  std::string DestinationKey(const std::string& source_key) const {
    return absl::StrCat(plan_.destination_prefix,
                        source_key.substr(plan_.source_prefix.size()));
  }

  absl::Status ListDestination() {
    RELKIT_ASSIGN_OR_RETURN(
        std::vector<ObjectInfo> listing,
        destination_.store->ListAll(plan_.destination_prefix));
    for (ObjectInfo& o : listing) {
      std::string key = o.key;
      at_destination_.emplace(std::move(key), std::move(o));
    }
    return absl::OkStatus();
  }

  absl::Status PlanPackage(Request& r, const std::vector<std::string>& keys,
                           const PromotionOptions& options) {
    const std::string& package = r.summary.package;
    if (!r.version.has_value()) {
      plan_.problems.push_back(
          {.kind = PromotionProblemKind::kUnknownPackage,
           .package = package,
           .message = absl::StrCat("package \"", package,
                                   "\" is not in the release set")});
      return absl::OkStatus();
    }
    const std::string name_version =
        absl::StrCat(package, "==", r.version->ToString());
    if (r.version->is_prerelease()) {
      r.summary.not_ga = true;
      plan_.problems.push_back(
          {.kind = PromotionProblemKind::kNotGa,
           .package = package,
           .message =
               absl::StrCat(name_version,
                            ": must be a GA version, not a pre-release "
                            "or dev release; nothing of it is planned")});
      return absl::OkStatus();
    }
    ArtifactSelection selection =
        r.selection.has_value() ? *std::move(r.selection)
                                : SelectArtifacts(keys, package, *r.version);
    for (UnreadableKey& u : selection.unreadable) {
      unreadable_.emplace(std::move(u.key), std::move(u.reason));
    }
    r.summary.found = static_cast<int>(selection.keys.size());
    if (selection.keys.empty()) {
      plan_.problems.push_back(
          {.kind = PromotionProblemKind::kNothingToCopy,
           .package = package,
           .message = absl::StrCat("no file of ", name_version, " under ",
                                   plan_.source, " prefix \"",
                                   plan_.source_prefix, "\"")});
      return absl::OkStatus();
    }
    for (size_t i = 0; i < selection.keys.size(); ++i) {
      RELKIT_RETURN_IF_ERROR(
          PlanFile(r.summary, selection.keys[i], selection.names[i]));
    }
    if (package == "torch" && options.expected_torch_wheels.has_value()) {
      CheckCoverage(selection, *r.version, *options.expected_torch_wheels,
                    options.allow_incomplete);
    }
    return absl::OkStatus();
  }

  // The existing coverage check, on the wheels the plan selected: a build
  // the matrix expects with no wheel in the test channel would be missing
  // from the release too.
  void CheckCoverage(const ArtifactSelection& selection, const Version& version,
                     const std::vector<ExpectedWheel>& expected,
                     bool allow_incomplete) {
    WheelIndex index;
    index.format = WheelIndexFormat::kListing;
    index.source = plan_.source;
    for (size_t i = 0; i < selection.keys.size(); ++i) {
      if (selection.names[i].kind != ArtifactKind::kWheel) continue;
      const std::string name = absl::StrReplaceAll(
          KeyBaseName(selection.keys[i]), {{"%2B", "+"}, {"%2b", "+"}});
      absl::StatusOr<WheelFilename> wheel = WheelFilename::Parse(name);
      if (!wheel.ok()) continue;  // selection parsed it already
      // Every member named: IndexedWheel has no default initializers.
      index.wheels.push_back({.wheel = *std::move(wheel),
                              .filename = name,
                              .url = selection.keys[i],
                              .sha256 = std::nullopt,
                              .size = std::nullopt,
                              .requires_python = std::nullopt,
                              .yanked = false,
                              .line = 0});
    }
    const WheelCoverageReport report =
        CheckWheelCoverage(index, "torch", version, expected);
    for (const ExpectedWheel& e : report.missing) {
      plan_.problems.push_back(
          {.kind = PromotionProblemKind::kIncomplete,
           .severity = allow_incomplete ? ProblemSeverity::kWarning
                                        : ProblemSeverity::kError,
           .package = "torch",
           .message = absl::StrCat(
               "torch==", version.ToString(), ": the build matrix expects ",
               ExpectedWheelPattern("torch", version, e), " (", e.build_name,
               "), not in the source", allow_incomplete ? " (allowed)" : "")});
    }
  }

  absl::Status PlanFile(PromotionPackage& summary, const std::string& key,
                        const ArtifactName& name) {
    RELKIT_ASSIGN_OR_RETURN(ObjectInfo head,
                            HeadOf(source_, source_heads_, key));
    std::optional<std::string> sha256 = CheckedSha256(head, key, source_);
    const std::string destination_key = DestinationKey(key);
    // Selection only takes versioned names, so `name.version` is set.
    const Version version = name.version.value_or(Version());
    auto there = at_destination_.find(destination_key);
    if (there == at_destination_.end()) {
      plan_.copies.push_back({.package = summary.package,
                              .version = version,
                              .kind = name.kind,
                              .source_key = key,
                              .destination_key = destination_key,
                              .size = head.size,
                              .sha256 = sha256});
      ++summary.to_copy;
      return absl::OkStatus();
    }
    RELKIT_ASSIGN_OR_RETURN(
        ObjectInfo existing,
        HeadOf(destination_, destination_heads_, destination_key));
    std::optional<std::string> existing_sha256 =
        CheckedSha256(existing, destination_key, destination_);
    std::string differs;
    if (existing.size != head.size) {
      differs = absl::StrCat("size ", existing.size, " there, ", head.size,
                             " in the source");
    } else if (sha256 && existing_sha256 && *sha256 != *existing_sha256) {
      differs = absl::StrCat("sha256 ", *existing_sha256, " there, ", *sha256,
                             " in the source");
    }
    if (!differs.empty()) {
      ++summary.conflicts;
      AddConflict(summary.package, destination_key, "", differs);
      if (overwrite_) {
        plan_.copies.push_back({.package = summary.package,
                                .version = version,
                                .kind = name.kind,
                                .source_key = key,
                                .destination_key = destination_key,
                                .size = head.size,
                                .sha256 = sha256,
                                .overwrite = true});
        ++summary.to_copy;
      }
      return absl::OkStatus();
    }
    ++summary.already_there;
    plan_.already_present.push_back(
        {.package = summary.package,
         .version = version,
         .kind = name.kind,
         .source_key = key,
         .destination_key = destination_key,
         .size = head.size,
         .sha256 = sha256 ? sha256 : existing_sha256,
         .same_by =
             sha256 && existing_sha256 ? SameBy::kSha256 : SameBy::kSize});
    return absl::OkStatus();
  }

  // A key holding other content: an error, or with `overwrite` a warning
  // (the copy is planned by the caller).
  void AddConflict(const std::string& package, const std::string& key,
                   absl::string_view where, const std::string& differs) {
    plan_.problems.push_back(
        {.kind = PromotionProblemKind::kConflict,
         .severity =
             overwrite_ ? ProblemSeverity::kWarning : ProblemSeverity::kError,
         .package = package,
         .key = key,
         .message = absl::StrCat(
             "conflict: \"", key, "\"", where,
             " already exists with other content (", differs, ")",
             overwrite_ ? "; will be overwritten (--overwrite)" : "")});
  }

  // Every selected file (to copy, or already at the destination) compared
  // with the mirror, listed once.
  absl::Status PlanMirror() {
    RELKIT_ASSIGN_OR_RETURN(std::vector<ObjectInfo> listing,
                            mirror_.store->ListAll(plan_.mirror_prefix));
    std::map<std::string, uint64_t> there;
    for (const ObjectInfo& o : listing) there.emplace(o.key, o.size);
    std::vector<PlannedCopy> files = plan_.copies;
    for (const AlreadyPresent& a : plan_.already_present) {
      files.push_back({.package = a.package,
                       .version = a.version,
                       .kind = a.kind,
                       .source_key = a.source_key,
                       .destination_key = a.destination_key,
                       .size = a.size,
                       .sha256 = a.sha256});
    }
    std::vector<std::string> mirror_keys;
    for (PlannedCopy& f : files) {
      f.overwrite = false;
      f.destination_key = absl::StrCat(
          plan_.mirror_prefix, f.source_key.substr(plan_.source_prefix.size()));
      if (there.contains(f.destination_key)) {
        mirror_keys.push_back(f.destination_key);
      }
    }
    std::sort(mirror_keys.begin(), mirror_keys.end());
    mirror_keys.erase(std::unique(mirror_keys.begin(), mirror_keys.end()),
                      mirror_keys.end());
    RELKIT_RETURN_IF_ERROR(
        PrefetchHeads(mirror_, mirror_keys, head_jobs_, mirror_heads_));
    for (PlannedCopy& f : files) {
      if (!there.contains(f.destination_key)) {
        plan_.mirror_copies.push_back(std::move(f));
        continue;
      }
      RELKIT_ASSIGN_OR_RETURN(
          ObjectInfo existing,
          HeadOf(mirror_, mirror_heads_, f.destination_key));
      std::optional<std::string> existing_sha256 =
          CheckedSha256(existing, f.destination_key, mirror_);
      std::string differs;
      if (existing.size != f.size) {
        differs = absl::StrCat("size ", existing.size, " there, ", f.size,
                               " in the source");
      } else if (f.sha256 && existing_sha256 && *f.sha256 != *existing_sha256) {
        differs = absl::StrCat("sha256 ", *existing_sha256, " there, ",
                               *f.sha256, " in the source");
      }
      if (!differs.empty()) {
        AddConflict(f.package, f.destination_key, " in the mirror", differs);
        if (overwrite_) {
          f.overwrite = true;
          plan_.mirror_copies.push_back(std::move(f));
        }
        continue;
      }
      const SameBy same_by =
          f.sha256 && existing_sha256 ? SameBy::kSha256 : SameBy::kSize;
      plan_.mirror_already_present.push_back(
          {.package = f.package,
           .version = f.version,
           .kind = f.kind,
           .source_key = f.source_key,
           .destination_key = f.destination_key,
           .size = f.size,
           .sha256 = f.sha256 ? f.sha256 : existing_sha256,
           .same_by = same_by});
    }
    return absl::OkStatus();
  }

  std::optional<std::string> CheckedSha256(const ObjectInfo& info,
                                           const std::string& key,
                                           const PromotionLocation& where) {
    bool malformed = false;
    std::optional<std::string> sha256 = Sha256Of(info.metadata, malformed);
    if (malformed) {
      plan_.problems.push_back(
          {.kind = PromotionProblemKind::kBadChecksum,
           .severity = ProblemSeverity::kWarning,
           .key = key,
           .message = absl::StrCat("\"", key, "\" in ", where.store->Describe(),
                                   ": ", kChecksumSha256Metadata,
                                   " is not 64 hex digits; treated as "
                                   "unknown")});
    }
    return sha256;
  }

  const ReleaseSet& release_;
  const PromotionLocation& source_;
  const PromotionLocation& destination_;
  const PromotionLocation& mirror_;
  const bool overwrite_;
  const int head_jobs_;
  PromotionPlan plan_;
  HeadCache source_heads_;
  HeadCache destination_heads_;
  HeadCache mirror_heads_;
  std::map<std::string, ObjectInfo> at_destination_;
  std::map<std::string, std::string> unreadable_;
};

}  // namespace

absl::StatusOr<PromotionPlan> PlanPromotion(
    const ReleaseSet& release, const PromotionLocation& source,
    const PromotionLocation& destination, const PromotionOptions& options) {
  return Planner(release, source, destination, options).Run(options);
}

}  // namespace relkit
