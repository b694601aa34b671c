#include "relkit/published_versions.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "internal/json.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "relkit/status.h"
#include "relkit/version.h"

namespace relkit {
namespace {

using internal::JsonReader;

// Appends `key` to a JSON path: `.name` for plain keys, `["cuda.x"]` for keys
// a dotted path would make ambiguous.
std::string PathOf(absl::string_view path, absl::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      plain = false;
      break;
    }
  }
  if (plain) return absl::StrCat(path, ".", key);
  return absl::StrCat(path, "[\"", key, "\"]");
}

absl::string_view View(const rapidjson::Value& v) {
  return absl::string_view(v.GetString(), v.GetStringLength());
}

// Reads an optional string member that must be present (null allowed).
absl::StatusOr<std::optional<std::string>> NullableString(
    const JsonReader& r, const rapidjson::Value& v, absl::string_view path) {
  if (v.IsNull()) return std::nullopt;
  if (!v.IsString()) return r.Error(path, "expected a string or null");
  return std::string(View(v));
}

absl::StatusOr<InstallOption> ParseOption(const JsonReader& r,
                                          absl::string_view key,
                                          const rapidjson::Value& v,
                                          const std::string& path) {
  if (!v.IsObject()) return r.Error(path, "expected an object");
  InstallOption opt;
  opt.accelerator = std::string(key);
  bool has_command = false, has_versions = false, has_note = false;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    absl::string_view name = View(it->name);
    const std::string member_path = PathOf(path, name);
    if (name == "note") {
      has_note = true;
      RELKIT_ASSIGN_OR_RETURN(opt.note,
                              NullableString(r, it->value, member_path));
    } else if (name == "command") {
      has_command = true;
      RELKIT_ASSIGN_OR_RETURN(opt.command,
                              NullableString(r, it->value, member_path));
    } else if (name == "versions") {
      has_versions = true;
      opt.kind = InstallOption::Kind::kDownloads;
      if (it->value.IsNull()) continue;
      if (!it->value.IsObject()) {
        return r.Error(member_path, "expected an object of links or null");
      }
      std::vector<DownloadLink> links;
      for (auto l = it->value.MemberBegin(); l != it->value.MemberEnd(); ++l) {
        if (!l->value.IsString()) {
          return r.Error(PathOf(member_path, View(l->name)),
                         "expected a URL string");
        }
        links.push_back(
            {std::string(View(l->name)), std::string(View(l->value))});
      }
      opt.downloads = std::move(links);
    } else if (name == "default") {
      if (!it->value.IsBool()) {
        return r.Error(member_path, "expected true or false");
      }
      opt.is_default = it->value.GetBool();
    } else {
      return r.Error(member_path,
                     "unknown member (expected note, command, versions or "
                     "default)");
    }
  }
  if (!has_note) return r.Error(path, "missing member \"note\"");
  if (has_command == has_versions) {
    return r.Error(path, "expected exactly one of \"command\" or \"versions\"");
  }
  return opt;
}

// Calls `fn(key, value, path)` for each member of object `v`, which must be
// an object; stops at the first error.
template <typename Fn>
absl::Status ForEachMember(const JsonReader& r, const rapidjson::Value& v,
                           const std::string& path, Fn fn) {
  if (!v.IsObject()) return r.Error(path, "expected an object");
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    absl::string_view key = View(it->name);
    RELKIT_RETURN_IF_ERROR(fn(key, it->value, PathOf(path, key)));
  }
  return absl::OkStatus();
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Key(Writer& w, absl::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
void Str(Writer& w, absl::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void NullableStr(Writer& w, const std::optional<std::string>& s) {
  if (s) {
    Str(w, *s);
  } else {
    w.Null();
  }
}

// Dotted numeric versions ("7.14" -> {7, 14}) for numeric ordering.
absl::StatusOr<std::vector<uint64_t>> NumericVersion(absl::string_view text,
                                                     absl::string_view what) {
  std::vector<uint64_t> out;
  for (absl::string_view part : absl::StrSplit(text, '.')) {
    uint64_t n = 0;
    if (part.empty() || !absl::SimpleAtoi(part, &n) ||
        !absl::ascii_isdigit(static_cast<unsigned char>(part[0]))) {
      return absl::InvalidArgumentError(
          absl::StrCat("build matrix: ", what, " version \"", text,
                       "\" is not dotted numbers"));
    }
    out.push_back(n);
  }
  return out;
}

// Returns the distinct versions of `arch_type` builds (Linux ones when there
// are any), ascending in numeric order.
absl::StatusOr<std::vector<std::string>> SortedArchVersions(
    absl::Span<const MatrixInstall> builds, absl::string_view arch_type) {
  bool any_linux =
      std::any_of(builds.begin(), builds.end(),
                  [](const MatrixInstall& b) { return b.os == "linux"; });
  std::vector<std::pair<std::vector<uint64_t>, std::string>> found;
  absl::flat_hash_set<std::string> seen;
  for (const MatrixInstall& b : builds) {
    if (b.gpu_arch_type != arch_type || (any_linux && b.os != "linux"))
      continue;
    if (!seen.insert(b.gpu_arch_version).second) continue;
    RELKIT_ASSIGN_OR_RETURN(std::vector<uint64_t> key,
                            NumericVersion(b.gpu_arch_version, arch_type));
    found.emplace_back(std::move(key), b.gpu_arch_version);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [key, text] : found) out.push_back(std::move(text));
  return out;
}

bool IsGenericCudaKey(absl::string_view key) {
  return key.size() == 6 && absl::StartsWith(key, "cuda.") &&
         absl::ascii_islower(static_cast<unsigned char>(key[5]));
}

bool IsGenericRocmKey(absl::string_view key) {
  if (!absl::ConsumePrefix(&key, "rocm") || !absl::ConsumeSuffix(&key, ".x")) {
    return false;
  }
  uint64_t n = 0;
  return !key.empty() && absl::SimpleAtoi(key, &n) &&
         absl::ascii_isdigit(static_cast<unsigned char>(key[0]));
}

// `cuda10.2` -> "10.2"; `rocm4.5.2` -> "4.5.2"; nullopt otherwise.
std::optional<std::pair<std::string, std::string>> FixedKey(
    absl::string_view key) {
  for (absl::string_view type : {"cuda", "rocm"}) {
    absl::string_view rest = key;
    if (!absl::ConsumePrefix(&rest, type) || rest.empty()) continue;
    if (NumericVersion(rest, type).ok()) {
      return std::make_pair(std::string(type), std::string(rest));
    }
  }
  return std::nullopt;
}

const char kPreCxx11Label[] = "Download here (Pre-cxx11 ABI):";
const char kCxx11Label[] = "Download here (cxx11 ABI):";
const char kReleaseLabel[] = "Download here (Release version):";
const char kDebugLabel[] = "Download here (Debug version):";
const char kMacosLabel[] =
    "Download arm64 libtorch here (ROCm and CUDA are not supported):";

// Sets (or, with nullopt, removes) the link `label`; returns the change.
std::optional<std::pair<std::optional<std::string>, std::optional<std::string>>>
SetLink(std::vector<DownloadLink>& links, absl::string_view label,
        const std::optional<std::string>& url) {
  auto it =
      std::find_if(links.begin(), links.end(),
                   [&](const DownloadLink& l) { return l.label == label; });
  std::optional<std::string> before;
  if (it != links.end()) before = it->url;
  if (before == url) return std::nullopt;
  if (!url.has_value()) {
    links.erase(it);
  } else if (it != links.end()) {
    it->url = *url;
  } else {
    links.push_back({std::string(label), *url});
  }
  return std::make_pair(before, url);
}

}  // namespace

// -----------------------------------------------------------------------------
// PublishedRelease / PublishedVersions

const InstallOption* PublishedRelease::Find(
    absl::string_view os, absl::string_view package_manager,
    absl::string_view accelerator) const {
  return const_cast<PublishedRelease*>(this)->Find(os, package_manager,
                                                   accelerator);
}

InstallOption* PublishedRelease::Find(absl::string_view os,
                                      absl::string_view package_manager,
                                      absl::string_view accelerator) {
  for (OsOptions& o : systems) {
    if (o.name != os) continue;
    for (PackageManagerOptions& pm : o.package_managers) {
      if (pm.name != package_manager) continue;
      for (InstallOption& opt : pm.options) {
        if (opt.accelerator == accelerator) return &opt;
      }
    }
  }
  return nullptr;
}

const PublishedRelease* PublishedVersions::Find(absl::string_view name) const {
  return const_cast<PublishedVersions*>(this)->Find(name);
}

PublishedRelease* PublishedVersions::Find(absl::string_view name) {
  for (PublishedRelease& r : releases) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::vector<std::string> PublishedVersions::ReleaseNames() const {
  std::vector<std::string> out;
  out.reserve(releases.size());
  for (const PublishedRelease& r : releases) out.push_back(r.name);
  return out;
}

absl::StatusOr<PublishedVersions> PublishedVersions::Parse(
    absl::string_view json, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(json, source));
  JsonReader r(source);
  if (!doc.IsObject()) return r.Error("$", "expected an object");
  PublishedVersions out;
  bool has_versions = false, has_latest = false;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    absl::string_view name = View(it->name);
    if (name == "latest_stable" || name == "latest_lts") {
      if (!it->value.IsString()) {
        return r.Error(PathOf("$", name), "expected a string");
      }
      if (name == "latest_stable") {
        has_latest = true;
        out.latest_stable = std::string(View(it->value));
      } else {
        out.latest_lts = std::string(View(it->value));
      }
    } else if (name == "versions") {
      has_versions = true;
      absl::flat_hash_set<std::string> seen;
      RELKIT_RETURN_IF_ERROR(ForEachMember(
          r, it->value, "$.versions",
          [&](absl::string_view rel_key, const rapidjson::Value& rel,
              const std::string& rel_path) -> absl::Status {
            PublishedRelease release{std::string(rel_key), {}};
            RELKIT_RETURN_IF_ERROR(ForEachMember(
                r, rel, rel_path,
                [&](absl::string_view os_key, const rapidjson::Value& os,
                    const std::string& os_path) -> absl::Status {
                  OsOptions os_options{std::string(os_key), {}};
                  RELKIT_RETURN_IF_ERROR(ForEachMember(
                      r, os, os_path,
                      [&](absl::string_view pm_key, const rapidjson::Value& pm,
                          const std::string& pm_path) -> absl::Status {
                        PackageManagerOptions pm_options{std::string(pm_key),
                                                         {}};
                        RELKIT_RETURN_IF_ERROR(ForEachMember(
                            r, pm, pm_path,
                            [&](absl::string_view acc_key,
                                const rapidjson::Value& cell,
                                const std::string& cell_path) -> absl::Status {
                              RELKIT_ASSIGN_OR_RETURN(
                                  InstallOption opt,
                                  ParseOption(r, acc_key, cell, cell_path));
                              pm_options.options.push_back(std::move(opt));
                              return absl::OkStatus();
                            }));
                        os_options.package_managers.push_back(
                            std::move(pm_options));
                        return absl::OkStatus();
                      }));
                  release.systems.push_back(std::move(os_options));
                  return absl::OkStatus();
                }));
            out.releases.push_back(std::move(release));
            return absl::OkStatus();
          }));
    } else {
      return r.Error(PathOf("$", name),
                     "unknown member (expected latest_stable, latest_lts or "
                     "versions)");
    }
  }
  if (!has_latest) return r.Error("$", "missing member \"latest_stable\"");
  if (!has_versions) return r.Error("$", "missing member \"versions\"");
  if (out.Find(out.latest_stable) == nullptr) {
    return r.Error("$.latest_stable",
                   absl::StrCat("\"", out.latest_stable,
                                "\" is not a release in $.versions"));
  }
  return out;
}

std::string PublishedVersions::ToJson() const {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Key(w, "latest_stable");
  Str(w, latest_stable);
  if (latest_lts) {
    Key(w, "latest_lts");
    Str(w, *latest_lts);
  }
  Key(w, "versions");
  w.StartObject();
  for (const PublishedRelease& rel : releases) {
    Key(w, rel.name);
    w.StartObject();
    for (const OsOptions& os : rel.systems) {
      Key(w, os.name);
      w.StartObject();
      for (const PackageManagerOptions& pm : os.package_managers) {
        Key(w, pm.name);
        w.StartObject();
        for (const InstallOption& opt : pm.options) {
          Key(w, opt.accelerator);
          w.StartObject();
          Key(w, "note");
          NullableStr(w, opt.note);
          if (opt.kind == InstallOption::Kind::kCommand) {
            Key(w, "command");
            NullableStr(w, opt.command);
          } else {
            Key(w, "versions");
            if (opt.downloads) {
              w.StartObject();
              for (const DownloadLink& l : *opt.downloads) {
                Key(w, l.label);
                Str(w, l.url);
              }
              w.EndObject();
            } else {
              w.Null();
            }
          }
          if (opt.is_default) {
            Key(w, "default");
            w.Bool(*opt.is_default);
          }
          w.EndObject();
        }
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// -----------------------------------------------------------------------------
// Build matrix input

absl::StatusOr<std::vector<MatrixInstall>> ParseMatrixInstalls(
    absl::string_view json, absl::string_view source, absl::string_view os) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* include,
                          r.Member(doc, "include", "$"));
  if (!include->IsArray()) {
    return r.Error("$.include", "expected an array of build entries");
  }
  std::vector<MatrixInstall> out;
  out.reserve(include->Size());
  for (rapidjson::SizeType i = 0; i < include->Size(); ++i) {
    const rapidjson::Value& e = (*include)[i];
    const std::string path = absl::StrCat("$.include[", i, "]");
    if (!e.IsObject()) return r.Error(path, "expected an object");
    MatrixInstall m;
    RELKIT_ASSIGN_OR_RETURN(m.package_type, r.String(e, "package_type", path));
    RELKIT_ASSIGN_OR_RETURN(m.gpu_arch_type,
                            r.String(e, "gpu_arch_type", path));
    RELKIT_ASSIGN_OR_RETURN(m.gpu_arch_version,
                            r.String(e, "gpu_arch_version", path));
    RELKIT_ASSIGN_OR_RETURN(m.installation, r.String(e, "installation", path));
    auto optional = [&](absl::string_view key,
                        std::string& field) -> absl::Status {
      RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> v,
                              r.OptionalString(e, key, path));
      field = v.value_or("");
      return absl::OkStatus();
    };
    RELKIT_RETURN_IF_ERROR(optional("desired_cuda", m.desired_cuda));
    RELKIT_RETURN_IF_ERROR(optional("libtorch_variant", m.libtorch_variant));
    RELKIT_RETURN_IF_ERROR(optional("libtorch_config", m.libtorch_config));
    RELKIT_RETURN_IF_ERROR(optional("devtoolset", m.devtoolset));
    RELKIT_RETURN_IF_ERROR(optional("stable_version", m.stable_version));
    std::string runner, build_name;
    RELKIT_RETURN_IF_ERROR(optional("validation_runner", runner));
    RELKIT_RETURN_IF_ERROR(optional("build_name", build_name));
    if (!os.empty()) {
      m.os = std::string(os);
    } else if (m.package_type == "manywheel" ||
               absl::StrContains(runner, "linux")) {
      m.os = "linux";
    } else if (absl::StrContains(runner, "windows") ||
               absl::StrContains(m.installation, "libtorch-win")) {
      m.os = "windows";
    } else if (absl::StrContains(runner, "macos")) {
      m.os = "macos";
    } else {
      return r.Error(path,
                     "cannot tell the operating system of this entry (give "
                     "it explicitly)");
    }
    out.push_back(std::move(m));
  }
  return out;
}

absl::StatusOr<std::vector<MatrixInstall>> GettingStartedBuilds(
    const BuildMatrix& matrix, BuildChannel channel) {
  std::vector<MatrixInstall> out;
  for (BuildOs os :
       {BuildOs::kLinux, BuildOs::kWindows, BuildOs::kMacosArm64}) {
    BuildMatrixOptions options;
    options.package_types = {BuildPackageType::kWheel,
                             BuildPackageType::kLibtorch};
    options.os = os;
    options.channels = {channel};
    options.build_python_only = false;
    options.getting_started = true;
    RELKIT_ASSIGN_OR_RETURN(std::vector<BuildMatrixEntry> entries,
                            GenerateBuildMatrix(matrix, options));
    for (const BuildMatrixEntry& e : entries) {
      MatrixInstall m;
      m.os =
          os == BuildOs::kMacosArm64 ? "macos" : std::string(BuildOsName(os));
      m.package_type = e.package_type;
      m.gpu_arch_type = e.gpu_arch_type;
      m.gpu_arch_version = e.gpu_arch_version;
      m.desired_cuda = e.desired_cuda;
      m.installation = e.installation;
      m.libtorch_variant = e.libtorch_variant;
      m.libtorch_config = e.libtorch_config;
      m.devtoolset = e.devtoolset;
      m.stable_version = e.stable_version;
      out.push_back(std::move(m));
    }
  }
  return out;
}

// -----------------------------------------------------------------------------
// Accelerator slots

absl::StatusOr<AcceleratorSlots> ChooseAcceleratorSlots(
    absl::Span<const MatrixInstall> builds,
    absl::Span<const std::string> keys) {
  RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> cuda,
                          SortedArchVersions(builds, "cuda"));
  RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> rocm,
                          SortedArchVersions(builds, "rocm"));
  std::vector<std::string> cuda_keys;
  for (const std::string& k : keys) {
    if (IsGenericCudaKey(k)) cuda_keys.push_back(k);
  }
  std::sort(cuda_keys.begin(), cuda_keys.end());
  cuda_keys.erase(std::unique(cuda_keys.begin(), cuda_keys.end()),
                  cuda_keys.end());
  // The newest len(cuda_keys) versions, ascending, onto x, y, z in order.
  const size_t shown = std::min(cuda_keys.size(), cuda.size());
  const size_t first = cuda.size() - shown;
  absl::flat_hash_map<std::string, std::string> cuda_for_key;
  for (size_t i = 0; i < shown; ++i)
    cuda_for_key[cuda_keys[i]] = cuda[first + i];

  AcceleratorSlots out;
  out.unshown_cuda.assign(cuda.begin(), cuda.begin() + first);
  absl::flat_hash_set<std::string> done;
  for (const std::string& key : keys) {
    if (!done.insert(key).second) continue;
    if (key == "accnone") {
      out.slots.push_back({key, "cpu", ""});
    } else if (key == "xpu") {
      out.slots.push_back({key, "xpu", ""});
    } else if (IsGenericCudaKey(key)) {
      auto it = cuda_for_key.find(key);
      if (it != cuda_for_key.end())
        out.slots.push_back({key, "cuda", it->second});
    } else if (IsGenericRocmKey(key)) {
      if (!rocm.empty()) out.slots.push_back({key, "rocm", rocm.back()});
    } else if (auto fixed = FixedKey(key)) {
      out.slots.push_back({key, fixed->first, fixed->second});
    }
  }
  return out;
}

// -----------------------------------------------------------------------------
// Publishing

absl::StatusOr<PublishPlan> PlanStableRelease(
    const PublishedVersions& current, absl::string_view version,
    absl::Span<const MatrixInstall> builds) {
  RELKIT_ASSIGN_OR_RETURN(Version v, Version::Parse(version));
  if (v.is_prerelease() || v.is_postrelease() || v.local().has_value() ||
      v.epoch() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot publish \"", version,
        "\" as a stable release: expected a final version such as 2.5.0"));
  }
  if (builds.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot publish ", version, ": the release build matrix is empty"));
  }
  const PublishedRelease* preview = current.Find("preview");
  if (preview == nullptr) {
    return absl::FailedPreconditionError(
        "published versions have no \"preview\" release to copy");
  }
  PublishPlan plan;
  plan.result = current;
  plan.version = v.ToString();
  plan.previous_latest_stable = current.latest_stable;

  PublishedRelease* target = plan.result.Find(plan.version);
  if (target == nullptr) {
    PublishedRelease copy = *preview;
    copy.name = plan.version;
    plan.result.releases.push_back(std::move(copy));
    target = &plan.result.releases.back();
    plan.added_release = true;
  }
  absl::StatusOr<Version> latest = Version::Parse(current.latest_stable);
  if (!latest.ok() || v > *latest) {
    plan.result.latest_stable = plan.version;
    plan.latest_stable_changed =
        plan.result.latest_stable != current.latest_stable;
  }

  // Keys in first-seen order across the release's cells.
  std::vector<std::string> keys;
  absl::flat_hash_set<std::string> seen_keys;
  for (const OsOptions& os : target->systems) {
    for (const PackageManagerOptions& pm : os.package_managers) {
      for (const InstallOption& opt : pm.options) {
        if (seen_keys.insert(opt.accelerator).second) {
          keys.push_back(opt.accelerator);
        }
      }
    }
  }
  RELKIT_ASSIGN_OR_RETURN(AcceleratorSlots slots,
                          ChooseAcceleratorSlots(builds, keys));
  plan.slots = slots.slots;
  if (!slots.unshown_cuda.empty()) {
    plan.warnings.push_back(absl::StrCat(
        "CUDA ", absl::StrJoin(slots.unshown_cuda, ", "),
        " not shown: the page has fewer cuda.* columns than the matrix has "
        "CUDA versions"));
  }
  absl::flat_hash_set<std::string> other_stable;
  for (const MatrixInstall& b : builds) {
    if (!b.stable_version.empty() && b.stable_version != plan.version) {
      other_stable.insert(b.stable_version);
    }
  }
  if (!other_stable.empty()) {
    std::vector<std::string> sorted(other_stable.begin(), other_stable.end());
    std::sort(sorted.begin(), sorted.end());
    plan.warnings.push_back(
        absl::StrCat("the build matrix is for stable version ",
                     absl::StrJoin(sorted, ", "), ", not ", plan.version));
  }
  absl::flat_hash_map<std::string, const AcceleratorSlot*> slot_for;
  for (const AcceleratorSlot& s : plan.slots) slot_for[s.key] = &s;

  for (OsOptions& os : target->systems) {
    for (PackageManagerOptions& pm : os.package_managers) {
      const std::string package_type =
          pm.name != "pip" ? pm.name
                           : (os.name == "linux" ? "manywheel" : "wheel");
      for (InstallOption& opt : pm.options) {
        const std::string where =
            absl::StrCat(os.name, "/", pm.name, "/", opt.accelerator);
        const bool has_content = opt.kind == InstallOption::Kind::kCommand
                                     ? opt.command.has_value()
                                     : opt.downloads.has_value();
        const std::string slot_key =
            opt.is_default.value_or(false) ? "accnone" : opt.accelerator;
        auto slot = slot_for.find(slot_key);
        auto find_builds = [&](const AcceleratorSlot& s) {
          std::vector<const MatrixInstall*> found;
          for (const MatrixInstall& b : builds) {
            if (b.os == os.name && b.package_type == package_type &&
                b.gpu_arch_type == s.gpu_arch_type &&
                b.gpu_arch_version == s.gpu_arch_version) {
              found.push_back(&b);
            }
          }
          return found;
        };
        std::vector<const MatrixInstall*> matches;
        if (slot != slot_for.end()) matches = find_builds(*slot->second);
        // macOS has CPU builds only; its CUDA/ROCm cells point at them ("use
        // the default package").
        if (matches.empty() && os.name == "macos" &&
            slot_for.contains("accnone")) {
          matches = find_builds(*slot_for["accnone"]);
        }
        if (matches.empty() || !has_content) {
          if (has_content) {
            plan.warnings.push_back(absl::StrCat(
                where, ": no ", package_type, " build for ",
                slot != slot_for.end()
                    ? absl::StrCat(slot->second->gpu_arch_type, " ",
                                   slot->second->gpu_arch_version)
                    : std::string("this column"),
                " in the release matrix; the cell keeps the preview's text"));
          }
          continue;
        }
        auto record = [&](absl::string_view field,
                          const std::optional<std::string>& before,
                          const std::optional<std::string>& after) {
          plan.changes.push_back({plan.version, os.name, pm.name,
                                  opt.accelerator, std::string(field), before,
                                  after});
        };
        if (opt.kind == InstallOption::Kind::kCommand) {
          const std::string& command = matches.front()->installation;
          if (opt.command != command) {
            record("command", opt.command, command);
            opt.command = command;
          }
          continue;
        }
        std::vector<std::pair<std::string, std::optional<std::string>>> links;
        if (os.name == "linux") {
          for (auto [toolset, label] : {std::pair<const char*, const char*>{
                                            "pre-cxx11", kPreCxx11Label},
                                        {"cxx11-abi", kCxx11Label}}) {
            std::optional<std::string> url;
            for (const MatrixInstall* m : matches) {
              if (m->libtorch_variant == "shared-with-deps" &&
                  m->devtoolset == toolset) {
                url = m->installation;
                break;
              }
            }
            links.emplace_back(label, url);
          }
        } else if (os.name == "windows") {
          for (auto [config, label] :
               {std::pair<const char*, const char*>{"release", kReleaseLabel},
                {"debug", kDebugLabel}}) {
            std::optional<std::string> url;
            for (const MatrixInstall* m : matches) {
              if (m->libtorch_config == config) {
                url = m->installation;
                break;
              }
            }
            links.emplace_back(label, url);
          }
        } else {
          // macOS cells carry one link under varying labels ("Download
          // here:", "... Download default libtorch here:"): keep the labels.
          for (const DownloadLink& l : *opt.downloads) {
            links.emplace_back(l.label, matches.front()->installation);
          }
          if (links.empty()) {
            links.emplace_back(kMacosLabel, matches.front()->installation);
          }
        }
        for (const auto& [label, url] : links) {
          if (auto change = SetLink(*opt.downloads, label, url)) {
            record(label, change->first, change->second);
          }
        }
      }
    }
  }
  return plan;
}

// -----------------------------------------------------------------------------
// quick-start-module.js

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
QuickStartInstallMatrix(const PublishedVersions& versions) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto [label, name] :
       {std::pair<absl::string_view, absl::string_view>{"preview", "preview"},
        {"stable", versions.latest_stable}}) {
    const PublishedRelease* rel = versions.Find(name);
    if (rel == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "published versions have no release \"", name, "\" (", label, ")"));
    }
    for (const OsOptions& os : rel->systems) {
      for (const PackageManagerOptions& pm : os.package_managers) {
        const bool libtorch = pm.name == "libtorch";
        for (const InstallOption& opt : pm.options) {
          std::vector<std::string> lines;
          if (opt.note) lines.push_back(*opt.note);
          if (libtorch) {
            if (opt.downloads) {
              for (const DownloadLink& l : *opt.downloads) {
                lines.push_back(absl::StrCat(l.label, "<br /><a href='", l.url,
                                             "'>", l.url, "</a>"));
              }
            }
          } else if (opt.command) {
            lines.push_back(*opt.command);
          }
          out.emplace_back(absl::StrCat(label, ",", pm.name, ",", os.name, ",",
                                        opt.accelerator, ",",
                                        libtorch ? "cplusplus" : "python"),
                           absl::StrJoin(lines, "<br />"));
        }
      }
    }
  }
  return out;
}

absl::StatusOr<std::string> QuickStartModuleJson(
    const PublishedVersions& versions,
    absl::Span<const AcceleratorSlot> slots) {
  RELKIT_ASSIGN_OR_RETURN(auto matrix, QuickStartInstallMatrix(versions));
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Key(w, "stable_version");
  Str(w, absl::StrCat("Stable (", versions.latest_stable, ")"));
  Key(w, "install_matrix");
  w.StartObject();
  for (const auto& [key, value] : matrix) {
    Key(w, key);
    Str(w, value);
  }
  w.EndObject();
  if (!slots.empty()) {
    Key(w, "acc_arch_map");
    w.StartObject();
    for (const AcceleratorSlot& s : slots) {
      Key(w, s.key);
      w.StartArray();
      Str(w, s.gpu_arch_type);
      Str(w, s.gpu_arch_version);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace relkit
