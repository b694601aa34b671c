#include "relkit/build_matrix.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "internal/embedded.h"
#include "internal/json.h"
#include "relkit/files.h"
#include "relkit/status.h"

namespace relkit {
namespace {

using internal::JsonReader;

constexpr absl::string_view kDownloadUrlBase = "https://download.pytorch.org";
constexpr absl::string_view kPipInstall = "pip3 install";
constexpr absl::string_view kPackagesToInstall = "torch torchvision";
constexpr absl::string_view kPackagesTorchOnly = "torch";
constexpr absl::string_view kLibtorchVariant = "shared-with-deps";
constexpr absl::string_view kCxx11Abi = "cxx11-abi";

constexpr absl::string_view kLinuxGpuRunner = "linux.g5.4xlarge.nvidia.gpu";
constexpr absl::string_view kLinuxCpuRunner = "linux.2xlarge";
constexpr absl::string_view kLinuxAarch64Runner = "linux.arm64.2xlarge";
constexpr absl::string_view kLinuxAarch64GpuRunner = "linux.arm64.m7g.4xlarge";
constexpr absl::string_view kWindowsGpuRunner = "windows.g4dn.xlarge";
constexpr absl::string_view kWindowsCpuRunner = "windows.4xlarge";
constexpr absl::string_view kWindowsArm64Runner = "windows-11-arm64-preview";
constexpr absl::string_view kMacosArm64Runner = "macos-m1-stable";

constexpr absl::string_view kAarch64Suffix = "-aarch64";

struct NamedChannel {
  BuildChannel channel;
  absl::string_view name;
};
constexpr NamedChannel kChannels[] = {{BuildChannel::kNightly, "nightly"},
                                      {BuildChannel::kTest, "test"},
                                      {BuildChannel::kRelease, "release"}};

struct NamedOs {
  BuildOs os;
  absl::string_view name;
};
constexpr NamedOs kOses[] = {
    {BuildOs::kLinux, "linux"},     {BuildOs::kLinuxAarch64, "linux-aarch64"},
    {BuildOs::kMacos, "macos"},     {BuildOs::kMacosArm64, "macos-arm64"},
    {BuildOs::kWindows, "windows"}, {BuildOs::kWindowsArm64, "windows-arm64"}};

bool IsWindows(BuildOs os) {
  return os == BuildOs::kWindows || os == BuildOs::kWindowsArm64;
}

bool Contains(const std::vector<std::string>& list, absl::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// "3.10", "3.14t": what the Python tables and --python-versions hold.
bool IsPythonVersion(absl::string_view v) {
  absl::ConsumeSuffix(&v, "t");
  std::vector<absl::string_view> parts = absl::StrSplit(v, '.');
  if (parts.size() != 2) return false;
  for (absl::string_view p : parts) {
    if (p.empty() || p.size() > 4) return false;
    for (char c : p) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

// -----------------------------------------------------------------------------
// JSON reading

class TableReader {
 public:
  explicit TableReader(absl::string_view source) : json_(source) {}

  absl::Status Error(absl::string_view path, absl::string_view what) const {
    return json_.Error(path, what);
  }

  absl::StatusOr<std::string> String(const rapidjson::Value& v,
                                     absl::string_view path) const {
    if (!v.IsString()) return Error(path, "expected a string");
    return std::string(v.GetString(), v.GetStringLength());
  }

  absl::StatusOr<std::vector<std::string>> StringArray(
      const rapidjson::Value& v, absl::string_view path) const {
    if (!v.IsArray()) return Error(path, "expected an array of strings");
    std::vector<std::string> out;
    out.reserve(v.Size());
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      RELKIT_ASSIGN_OR_RETURN(std::string s,
                              String(v[i], absl::StrCat(path, "[", i, "]")));
      out.push_back(std::move(s));
    }
    return out;
  }

  // Checks every element of `list` with `check` (a dotted-version parser).
  template <typename Check>
  absl::Status CheckEach(const std::vector<std::string>& list,
                         absl::string_view path, absl::string_view what,
                         Check check) const {
    for (size_t i = 0; i < list.size(); ++i) {
      if (!check(list[i])) {
        return Error(absl::StrCat(path, "[", i, "]"),
                     absl::StrCat("\"", list[i], "\" is not ", what));
      }
    }
    return absl::OkStatus();
  }

  // Reads {"nightly": X, "test": X, "release": X} with `read` for each X.
  template <typename T, typename Read>
  absl::Status PerChannel(const rapidjson::Value& v, absl::string_view path,
                          Read read, T ChannelTables::*field,
                          BuildMatrix& m) const {
    if (!v.IsObject()) {
      return Error(path, "expected an object with nightly, test, release");
    }
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      absl::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (!ParseBuildChannel(key).ok()) {
        return Error(absl::StrCat(path, ".", key),
                     "unknown channel (valid: nightly, test, release)");
      }
    }
    for (const NamedChannel& c : kChannels) {
      auto it =
          v.FindMember(rapidjson::StringRef(c.name.data(), c.name.size()));
      if (it == v.MemberEnd()) {
        return Error(path, absl::StrCat("missing channel \"", c.name, "\""));
      }
      RELKIT_ASSIGN_OR_RETURN(m.tables(c.channel).*field,
                              read(it->value, absl::StrCat(path, ".", c.name)));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Version>> OptionalVersion(
      const rapidjson::Value& v, absl::string_view path) const {
    if (v.IsNull()) return std::nullopt;
    RELKIT_ASSIGN_OR_RETURN(std::string s, String(v, path));
    absl::StatusOr<Version> parsed = Version::Parse(s);
    if (!parsed.ok()) {
      return Error(path,
                   absl::StrCat("bad version: ", parsed.status().message()));
    }
    return *parsed;
  }

 private:
  JsonReader json_;
};

bool IsCudaArch(absl::string_view v) { return Accelerator::Cuda(v).ok(); }
bool IsRocmArch(absl::string_view v) { return Accelerator::Rocm(v).ok(); }
bool IsAarch64CudaArch(absl::string_view v) {
  return absl::ConsumeSuffix(&v, kAarch64Suffix) && IsCudaArch(v);
}
bool IsName(absl::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '.' && c != '_') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<BuildMatrix> ReadMatrix(const rapidjson::Value& obj,
                                       absl::string_view path,
                                       const TableReader& r) {
  if (!obj.IsObject()) return r.Error(path, "expected an object");
  BuildMatrix m;
  auto strings = [&r](const rapidjson::Value& v, absl::string_view p) {
    return r.StringArray(v, p);
  };
  // Reads a per-channel list of strings, each checked by `valid`.
  auto checked_list = [&r](const char* what, bool (*valid)(absl::string_view)) {
    return [&r, what, valid](const rapidjson::Value& x, absl::string_view xp)
               -> absl::StatusOr<std::vector<std::string>> {
      RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> list,
                              r.StringArray(x, xp));
      RELKIT_RETURN_IF_ERROR(r.CheckEach(list, xp, what, valid));
      return list;
    };
  };
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    const std::string key(it->name.GetString(), it->name.GetStringLength());
    const rapidjson::Value& v = it->value;
    const std::string p = absl::StrCat(path, ".", key);
    if (key == "commit" || key == "date" || key == "subject" ||
        absl::StartsWith(key, "_")) {
      continue;
    } else if (key == "CURRENT_NIGHTLY_VERSION") {
      RELKIT_ASSIGN_OR_RETURN(m.nightly_version, r.OptionalVersion(v, p));
    } else if (key == "CURRENT_CANDIDATE_VERSION") {
      RELKIT_ASSIGN_OR_RETURN(m.candidate_version, r.OptionalVersion(v, p));
    } else if (key == "CURRENT_STABLE_VERSION") {
      RELKIT_ASSIGN_OR_RETURN(m.stable_version, r.OptionalVersion(v, p));
    } else if (key == "PYTHON_ARCHES_DICT") {
      RELKIT_RETURN_IF_ERROR(r.PerChannel(
          v, p,
          checked_list("a Python version (MAJOR.MINOR[t])", IsPythonVersion),
          &ChannelTables::python_versions, m));
    } else if (key == "CUDA_ARCHES_DICT") {
      RELKIT_RETURN_IF_ERROR(
          r.PerChannel(v, p, checked_list("a CUDA version (12.6)", IsCudaArch),
                       &ChannelTables::cuda_arches, m));
    } else if (key == "ROCM_ARCHES_DICT") {
      RELKIT_RETURN_IF_ERROR(
          r.PerChannel(v, p, checked_list("a ROCm version (7.2)", IsRocmArch),
                       &ChannelTables::rocm_arches, m));
    } else if (key == "XPU_ARCHES_DICT") {
      RELKIT_RETURN_IF_ERROR(r.PerChannel(v, p,
                                          checked_list("an XPU name", IsName),
                                          &ChannelTables::xpu_arches, m));
    } else if (key == "STABLE_CUDA_VERSIONS") {
      RELKIT_RETURN_IF_ERROR(r.PerChannel(
          v, p,
          [&r](const rapidjson::Value& x,
               absl::string_view xp) -> absl::StatusOr<std::string> {
            if (x.IsNull()) return std::string();
            RELKIT_ASSIGN_OR_RETURN(std::string s, r.String(x, xp));
            if (!IsCudaArch(s)) {
              return r.Error(
                  xp, absl::StrCat("\"", s, "\" is not a CUDA version (12.6)"));
            }
            return s;
          },
          &ChannelTables::stable_cuda, m));
    } else if (key == "CUDA_CUDNN_VERSIONS") {
      if (!v.IsObject()) return r.Error(p, "expected an object");
      for (auto row = v.MemberBegin(); row != v.MemberEnd(); ++row) {
        CudaToolkit t;
        t.arch.assign(row->name.GetString(), row->name.GetStringLength());
        const std::string rp = absl::StrCat(p, ".", t.arch);
        if (!IsCudaArch(t.arch)) {
          return r.Error(rp, "key is not a CUDA version (12.6)");
        }
        if (!row->value.IsObject()) {
          return r.Error(rp, "expected an object with \"cuda\" and \"cudnn\"");
        }
        for (auto f = row->value.MemberBegin(); f != row->value.MemberEnd();
             ++f) {
          absl::string_view fk(f->name.GetString(), f->name.GetStringLength());
          const std::string fp = absl::StrCat(rp, ".", fk);
          if (fk == "cuda") {
            RELKIT_ASSIGN_OR_RETURN(t.cuda, r.String(f->value, fp));
          } else if (fk == "cudnn") {
            RELKIT_ASSIGN_OR_RETURN(t.cudnn, r.String(f->value, fp));
          } else {
            return r.Error(fp, "unknown key (valid: cuda, cudnn)");
          }
        }
        if (t.cuda.empty() || t.cudnn.empty()) {
          return r.Error(rp, "needs non-empty \"cuda\" and \"cudnn\"");
        }
        if (!IsName(t.cuda) || !Version::Parse(t.cuda).ok()) {
          return r.Error(absl::StrCat(rp, ".cuda"),
                         absl::StrCat("\"", t.cuda, "\" is not a version"));
        }
        if (!IsName(t.cudnn)) {
          return r.Error(absl::StrCat(rp, ".cudnn"),
                         absl::StrCat("\"", t.cudnn, "\" is not a version"));
        }
        m.cuda_cudnn.push_back(std::move(t));
      }
    } else if (key == "CUDA_AARCH64_ARCHES") {
      RELKIT_ASSIGN_OR_RETURN(m.cuda_aarch64_arches, strings(v, p));
      RELKIT_RETURN_IF_ERROR(r.CheckEach(m.cuda_aarch64_arches, p,
                                         "a CUDA aarch64 arch (12.6-aarch64)",
                                         IsAarch64CudaArch));
    } else if (key == "CUDA_ARCHES_NO_WINDOWS") {
      RELKIT_ASSIGN_OR_RETURN(m.cuda_arches_no_windows, strings(v, p));
      RELKIT_RETURN_IF_ERROR(r.CheckEach(m.cuda_arches_no_windows, p,
                                         "a CUDA version (12.6)", IsCudaArch));
    } else if (key == "CUDA_ARCHES_NO_GETTING_STARTED") {
      RELKIT_ASSIGN_OR_RETURN(m.cuda_arches_no_getting_started, strings(v, p));
      RELKIT_RETURN_IF_ERROR(r.CheckEach(m.cuda_arches_no_getting_started, p,
                                         "a CUDA version (12.6)", IsCudaArch));
    } else if (key == "TORCH_ONLY_PYTHON_ARCHES") {
      RELKIT_ASSIGN_OR_RETURN(m.torch_only_python_versions, strings(v, p));
      RELKIT_RETURN_IF_ERROR(r.CheckEach(m.torch_only_python_versions, p,
                                         "a Python version (MAJOR.MINOR[t])",
                                         IsPythonVersion));
    } else if (key == "MACOS_PYTHON_POINT_VERSIONS") {
      if (!v.IsObject()) return r.Error(p, "expected an object");
      for (auto row = v.MemberBegin(); row != v.MemberEnd(); ++row) {
        std::string py(row->name.GetString(), row->name.GetStringLength());
        const std::string rp = absl::StrCat(p, ".", py);
        if (!IsPythonVersion(py)) {
          return r.Error(rp, "key is not a Python version (MAJOR.MINOR[t])");
        }
        RELKIT_ASSIGN_OR_RETURN(std::string point, r.String(row->value, rp));
        if (!IsName(point) || !Version::Parse(point).ok()) {
          return r.Error(rp, absl::StrCat("\"", point, "\" is not a version"));
        }
        m.macos_python_point_versions.emplace_back(std::move(py),
                                                   std::move(point));
      }
    } else if (key == "GETTING_STARTED_ROCM_ARCH") {
      if (v.IsNull()) {
        m.getting_started_rocm_arch.reset();
      } else {
        RELKIT_ASSIGN_OR_RETURN(std::string s, r.String(v, p));
        if (!IsRocmArch(s)) {
          return r.Error(p, absl::StrCat("\"", s, "\" is not a ROCm version"));
        }
        m.getting_started_rocm_arch = std::move(s);
      }
    } else if (key == "PACKAGE_TYPES") {
      RELKIT_ASSIGN_OR_RETURN(m.package_types, strings(v, p));
      RELKIT_RETURN_IF_ERROR(
          r.CheckEach(m.package_types, p, "a package type name", IsName));
    } else {
      return r.Error(p, "unknown key");
    }
  }
  return m;
}

// -----------------------------------------------------------------------------
// JSON writing (Python's json.dumps layout, ensure_ascii)

void AppendJsonString(std::string& out, absl::string_view s) {
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else if (c < 0x20) {
      absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      // Decode one UTF-8 sequence; invalid bytes become U+FFFD.
      uint32_t cp = 0xFFFD;
      size_t len = 1;
      if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
      } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
      } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
      }
      bool ok = len > 1 && i + len <= s.size();
      for (size_t k = 1; ok && k < len; ++k) {
        const unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) ok = false;
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (!ok) {
        cp = 0xFFFD;
        len = 1;
      }
      auto hex4 = [&out](uint32_t u) {
        absl::StrAppend(&out, "\\u", absl::Hex(u, absl::kZeroPad4));
      };
      if (cp >= 0x10000) {
        cp -= 0x10000;
        hex4(0xD800 + (cp >> 10));
        hex4(0xDC00 + (cp & 0x3FF));
      } else {
        hex4(cp);
      }
      i += len;
      continue;
    }
    ++i;
  }
  out.push_back('"');
}

// -----------------------------------------------------------------------------
// Generator pieces

// One compute arch of a matrix row: test-infra's `arch_version`.
struct Arch {
  std::string type;     // cpu, cpu-aarch64, cuda, cuda-aarch64, rocm, xpu
  std::string version;  // gpu_arch_version ("" for cpu/cpu-aarch64/xpu)
  std::string key;      // the arch name ("12.6", "12.6-aarch64", "xpu", "cpu")
};

// "12.6-aarch64" -> "12.6".
absl::string_view AarchBase(absl::string_view v) {
  absl::ConsumeSuffix(&v, kAarch64Suffix);
  return v;
}

std::string DesiredCuda(const Arch& a) {
  if (a.type == "cpu" || a.type == "cpu-aarch64") return "cpu";
  if (a.type == "cuda" || a.type == "cuda-aarch64") {
    return absl::StrCat("cu",
                        absl::StrReplaceAll(AarchBase(a.version), {{".", ""}}));
  }
  if (a.type == "rocm") return absl::StrCat("rocm", a.version);
  return a.key;  // xpu
}

std::string WheelContainer(const Arch& a) {
  if (a.type == "cuda") {
    return absl::StrCat("pytorch/manylinux2_28-builder:cuda", a.version);
  }
  if (a.type == "cuda-aarch64") {
    return absl::StrCat("pytorch/manylinuxaarch64-builder:cuda",
                        AarchBase(a.version));
  }
  if (a.type == "rocm") {
    return absl::StrCat("pytorch/manylinux2_28-builder:rocm", a.version);
  }
  if (a.type == "cpu-aarch64") {
    return "pytorch/manylinux2_28_aarch64-builder:cpu-aarch64";
  }
  return absl::StrCat("pytorch/manylinux2_28-builder:", a.key);  // cpu, xpu
}

std::string LibtorchContainer(const Arch& a) {
  if (a.type == "cuda" || a.type == "rocm") {
    return absl::StrCat("pytorch/libtorch-cxx11-builder:", a.type, a.version);
  }
  return "pytorch/libtorch-cxx11-builder:cpu";
}

absl::string_view ValidationRunner(absl::string_view arch_type, BuildOs os) {
  switch (os) {
    case BuildOs::kLinux:
      return arch_type == "cuda" ? kLinuxGpuRunner : kLinuxCpuRunner;
    case BuildOs::kLinuxAarch64:
      return arch_type == "cuda-aarch64" ? kLinuxAarch64GpuRunner
                                         : kLinuxAarch64Runner;
    case BuildOs::kWindows:
      return arch_type == "cuda" ? kWindowsGpuRunner : kWindowsCpuRunner;
    case BuildOs::kWindowsArm64:
      return kWindowsArm64Runner;
    case BuildOs::kMacosArm64:
      return kMacosArm64Runner;
    case BuildOs::kMacos:
      break;
  }
  return kLinuxCpuRunner;
}

std::string BaseDownloadUrl(absl::string_view repo, BuildChannel channel,
                            absl::string_view desired_cuda) {
  std::string url = absl::StrCat(kDownloadUrlBase, "/", repo);
  if (channel != BuildChannel::kRelease) {
    absl::StrAppend(&url, "/", BuildChannelName(channel));
  }
  absl::StrAppend(&url, "/", desired_cuda);
  return url;
}

std::string BuildName(absl::string_view prefix, const Arch& a,
                      absl::string_view suffix) {
  // cuda-aarch64 gets a dash and loses its "-aarch64" postfix, as in
  // pytorch/pytorch's generator ("manywheel-py3_10-cuda-aarch64-12_6").
  std::string arch = a.type == "cuda-aarch64"
                         ? absl::StrCat(a.type, "-", AarchBase(a.version))
                         : absl::StrCat(a.type, a.version);
  return absl::StrReplaceAll(absl::StrCat(prefix, arch, suffix), {{".", "_"}});
}

struct ChannelContext {
  const BuildMatrix& m;
  const BuildMatrixOptions& o;
  BuildChannel channel;
  const ChannelTables& t;
  std::string version;  // CurrentVersion(channel)
};

// The arches of one channel and OS (test-infra's default `arches`).
std::vector<Arch> Arches(const ChannelContext& c, bool libtorch) {
  const BuildOs os = c.o.os;
  std::vector<Arch> arches;
  auto hidden = [&c](absl::string_view cuda) {
    return c.o.getting_started &&
           Contains(c.m.cuda_arches_no_getting_started, cuda);
  };
  if (os == BuildOs::kLinuxAarch64) {
    if (libtorch) return arches;
    if (c.o.with_cpu) arches.push_back({"cpu-aarch64", "", "cpu-aarch64"});
    if (c.o.with_cuda) {
      // Only the aarch64 builds of CUDA versions the channel builds (the
      // script's global list would put 13.4 on the release channel).
      for (const std::string& a : c.m.cuda_aarch64_arches) {
        const absl::string_view base = AarchBase(a);
        if (!Contains(c.t.cuda_arches, base) || hidden(base)) continue;
        arches.push_back({"cuda-aarch64", a, a});
      }
    }
    return arches;
  }
  if (c.o.with_cpu) arches.push_back({"cpu", "", "cpu"});
  if (c.o.with_cuda && (os == BuildOs::kLinux || os == BuildOs::kWindows)) {
    for (const std::string& a : c.t.cuda_arches) {
      if (os == BuildOs::kWindows && Contains(c.m.cuda_arches_no_windows, a)) {
        continue;
      }
      if (hidden(a)) continue;
      arches.push_back({"cuda", a, a});
    }
  }
  if (c.o.with_rocm && os == BuildOs::kLinux) {
    std::optional<std::string> only;
    if (c.o.getting_started) only = GettingStartedRocm(c.m, c.channel);
    for (const std::string& a : c.t.rocm_arches) {
      if (only.has_value() && a != *only) continue;
      arches.push_back({"rocm", a, a});
    }
  }
  if (c.o.with_xpu && !libtorch &&
      (os == BuildOs::kLinux || os == BuildOs::kWindows)) {
    for (const std::string& a : c.t.xpu_arches)
      arches.push_back({"xpu", "", a});
  }
  return arches;
}

std::string WheelInstall(const ChannelContext& c, const Arch& a,
                         absl::string_view desired_cuda,
                         absl::string_view python_version) {
  const BuildOs os = c.o.os;
  const absl::string_view packages =
      Contains(c.m.torch_only_python_versions, python_version)
          ? kPackagesTorchOnly
          : kPackagesToInstall;
  if (c.channel == BuildChannel::kRelease && !c.o.use_only_dl_pytorch_org &&
      ((os == BuildOs::kLinux && a.type == "cuda" &&
        a.version == c.t.stable_cuda) ||
       (a.type == "cpu" &&
        (os == BuildOs::kWindows || os == BuildOs::kMacosArm64)) ||
       os == BuildOs::kLinuxAarch64)) {
    return absl::StrCat(kPipInstall, " ", packages);
  }
  return absl::StrCat(kPipInstall,
                      c.channel == BuildChannel::kNightly ? " --pre " : " ",
                      packages, " --index-url ",
                      BaseDownloadUrl("whl", c.channel, desired_cuda));
}

std::string LibtorchInstall(const ChannelContext& c, absl::string_view config,
                            absl::string_view desired_cuda) {
  const BuildOs os = c.o.os;
  const bool nightly = c.channel == BuildChannel::kNightly;
  std::string name;
  if (os == BuildOs::kMacosArm64) {
    name = absl::StrCat("libtorch-macos-arm64-", nightly ? "latest" : c.version,
                        ".zip");
  } else {
    const absl::string_view prefix =
        IsWindows(os) ? "libtorch-win" : "libtorch";
    const std::string variant =
        absl::StrCat(kLibtorchVariant, config == "debug" ? "-debug" : "");
    name = nightly ? absl::StrCat(prefix, "-", variant, "-latest.zip")
                   : absl::StrCat(prefix, "-", variant, "-", c.version, "%2B",
                                  desired_cuda, ".zip");
  }
  return absl::StrCat(BaseDownloadUrl("libtorch", c.channel, desired_cuda), "/",
                      name);
}

std::vector<std::string> WheelPythons(const ChannelContext& c) {
  std::vector<std::string> pythons;
  if (!c.o.python_versions.empty()) {
    pythons = c.o.python_versions;
  } else if (c.o.build_python_only) {
    if (!c.t.python_versions.empty()) {
      pythons.push_back(c.t.python_versions.front());
    }
  } else {
    pythons = c.t.python_versions;
  }
  if (c.o.os == BuildOs::kWindowsArm64) {
    // Windows arm64 builds no pre-release CPython (the torch-only ones).
    std::erase_if(pythons, [&c](const std::string& p) {
      return Contains(c.m.torch_only_python_versions, p);
    });
  }
  if (c.o.limit_pr_builds && pythons.size() > 1) pythons.resize(1);
  return pythons;
}

std::string MacosPoint(const BuildMatrix& m, const std::string& py) {
  for (const auto& [minor, point] : m.macos_python_point_versions) {
    if (minor == py) return point;
  }
  return py;
}

void GenerateWheels(const ChannelContext& c,
                    std::vector<BuildMatrixEntry>& out) {
  const BuildOs os = c.o.os;
  const std::string package_type =
      os == BuildOs::kLinux ? "manywheel" : "wheel";
  const std::string upload = c.o.with_cuda ? "no" : "yes";
  const std::vector<Arch> arches = Arches(c, /*libtorch=*/false);
  for (const std::string& py : WheelPythons(c)) {
    for (const Arch& a : arches) {
      BuildMatrixEntry e;
      e.kind = BuildPackageType::kWheel;
      e.os = os;
      e.build_channel = c.channel;
      e.python_version = os == BuildOs::kMacosArm64 ? MacosPoint(c.m, py) : py;
      e.gpu_arch_type = a.type;
      e.gpu_arch_version = a.version;
      e.desired_cuda = DesiredCuda(a);
      e.container_image = WheelContainer(a);
      e.package_type = package_type;
      e.build_name =
          BuildName(absl::StrCat(package_type, "-py", py, "-"), a, "");
      e.validation_runner = std::string(ValidationRunner(a.type, os));
      e.installation = WheelInstall(c, a, e.desired_cuda, py);
      e.channel = std::string(BuildChannelName(c.channel));
      e.upload_to_base_bucket = upload;
      e.stable_version = c.version;
      out.push_back(std::move(e));
    }
  }
}

void GenerateLibtorch(const ChannelContext& c,
                      std::vector<BuildMatrixEntry>& out) {
  const BuildOs os = c.o.os;
  std::vector<std::string> abis;
  if (IsWindows(os)) {
    // Windows debug libtorch stopped with 2.12.1 (test-infra 77e179c3).
    abis = {"release"};
  } else if (os == BuildOs::kLinux || os == BuildOs::kMacosArm64) {
    abis = {std::string(kCxx11Abi)};
  }
  const std::vector<Arch> arches = Arches(c, /*libtorch=*/true);
  for (const std::string& abi : abis) {
    for (const Arch& a : arches) {
      BuildMatrixEntry e;
      e.kind = BuildPackageType::kLibtorch;
      e.os = os;
      e.build_channel = c.channel;
      e.gpu_arch_type = a.type;
      e.gpu_arch_version = a.version;
      e.desired_cuda = DesiredCuda(a);
      e.libtorch_variant = std::string(kLibtorchVariant);
      e.libtorch_config = IsWindows(os) ? abi : "";
      e.devtoolset = IsWindows(os) ? "" : abi;
      e.container_image = IsWindows(os) ? "" : LibtorchContainer(a);
      e.package_type = "libtorch";
      e.build_name = BuildName("libtorch-", a,
                               absl::StrCat("-", kLibtorchVariant, "-", abi));
      // libtorch validation is minimal: always a CPU runner.
      e.validation_runner = std::string(ValidationRunner("cpu", os));
      e.installation = LibtorchInstall(c, e.libtorch_config, e.desired_cuda);
      e.channel = std::string(BuildChannelName(c.channel));
      e.stable_version = c.version;
      out.push_back(std::move(e));
    }
  }
}

}  // namespace

// -----------------------------------------------------------------------------
// Names

absl::string_view BuildChannelName(BuildChannel channel) {
  for (const NamedChannel& c : kChannels) {
    if (c.channel == channel) return c.name;
  }
  return "nightly";
}

absl::StatusOr<BuildChannel> ParseBuildChannel(absl::string_view name) {
  for (const NamedChannel& c : kChannels) {
    if (c.name == name) return c.channel;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown channel \"", name, "\" (valid: nightly, test, release)"));
}

absl::StatusOr<std::vector<BuildChannel>> ParseBuildChannels(
    absl::string_view name) {
  if (name == "all") {
    return std::vector<BuildChannel>{
        BuildChannel::kNightly, BuildChannel::kTest, BuildChannel::kRelease};
  }
  for (const NamedChannel& c : kChannels) {
    if (c.name == name) return std::vector<BuildChannel>{c.channel};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown channel \"", name, "\" (valid: nightly, test, release, all)"));
}

absl::string_view BuildOsName(BuildOs os) {
  for (const NamedOs& o : kOses) {
    if (o.os == os) return o.name;
  }
  return "linux";
}

absl::StatusOr<BuildOs> ParseBuildOs(absl::string_view name) {
  for (const NamedOs& o : kOses) {
    if (o.name == name) return o.os;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown operating system \"", name,
      "\" (valid: linux, linux-aarch64, macos, macos-arm64, windows, "
      "windows-arm64)"));
}

std::vector<BuildOs> PublishedBuildOses() {
  return {BuildOs::kLinux, BuildOs::kLinuxAarch64, BuildOs::kMacosArm64,
          BuildOs::kWindows, BuildOs::kWindowsArm64};
}

absl::string_view BuildPackageTypeName(BuildPackageType type) {
  return type == BuildPackageType::kLibtorch ? "libtorch" : "wheel";
}

absl::StatusOr<std::vector<BuildPackageType>> ParseBuildPackageTypes(
    absl::string_view names) {
  if (names == "all") {
    return std::vector<BuildPackageType>{BuildPackageType::kWheel,
                                         BuildPackageType::kLibtorch};
  }
  std::vector<BuildPackageType> out;
  for (absl::string_view n : absl::StrSplit(names, ',')) {
    if (n == "wheel") {
      out.push_back(BuildPackageType::kWheel);
    } else if (n == "libtorch") {
      out.push_back(BuildPackageType::kLibtorch);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown package type \"", n, "\" in \"", names,
          "\" (valid: wheel, libtorch, all, or a comma-separated list)"));
    }
  }
  return out;
}

// -----------------------------------------------------------------------------
// BuildMatrix

const BuildMatrix& BuildMatrix::Default() {
  static const BuildMatrix* const kDefault = [] {
    absl::StatusOr<BuildMatrix> m =
        FromJson(internal::EmbeddedBuildMatrixJson(), "data/build_matrix.json");
    if (!m.ok()) {
      std::fprintf(stderr, "relkit: embedded build matrix is invalid: %s\n",
                   std::string(m.status().message()).c_str());
      std::abort();
    }
    return new BuildMatrix(*std::move(m));
  }();
  return *kDefault;
}

absl::StatusOr<BuildMatrix> BuildMatrix::FromJson(absl::string_view json,
                                                  absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(json, source));
  return ReadMatrix(doc, "$", TableReader(source));
}

absl::StatusOr<BuildMatrix> BuildMatrix::Load(const std::string& path) {
  RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return FromJson(text, path);
}

std::string BuildMatrix::ToJson() const {
  // Written by hand to keep the key order of data/build_matrix.json.
  std::string out = "{\n";
  bool first = true;
  auto key = [&out, &first](absl::string_view k) {
    if (!first) out += ",\n";
    first = false;
    out += "  ";
    AppendJsonString(out, k);
    out += ": ";
  };
  auto list = [&out](const std::vector<std::string>& l) {
    out += "[";
    for (size_t i = 0; i < l.size(); ++i) {
      if (i > 0) out += ", ";
      AppendJsonString(out, l[i]);
    }
    out += "]";
  };
  auto version = [&](absl::string_view k, const std::optional<Version>& v) {
    if (!v.has_value()) return;
    key(k);
    AppendJsonString(out, v->ToString());
  };
  auto per_channel = [&](absl::string_view k, auto field) {
    key(k);
    out += "{";
    for (size_t i = 0; i < 3; ++i) {
      if (i > 0) out += ",";
      out += "\n    ";
      AppendJsonString(out, kChannels[i].name);
      out += ": ";
      field(tables(kChannels[i].channel));
    }
    out += "\n  }";
  };
  version("CURRENT_STABLE_VERSION", stable_version);
  version("CURRENT_CANDIDATE_VERSION", candidate_version);
  version("CURRENT_NIGHTLY_VERSION", nightly_version);
  per_channel("PYTHON_ARCHES_DICT",
              [&](const ChannelTables& t) { list(t.python_versions); });
  per_channel("CUDA_ARCHES_DICT",
              [&](const ChannelTables& t) { list(t.cuda_arches); });
  per_channel("ROCM_ARCHES_DICT",
              [&](const ChannelTables& t) { list(t.rocm_arches); });
  per_channel("XPU_ARCHES_DICT",
              [&](const ChannelTables& t) { list(t.xpu_arches); });
  per_channel("STABLE_CUDA_VERSIONS", [&](const ChannelTables& t) {
    if (t.stable_cuda.empty()) {
      out += "null";
    } else {
      AppendJsonString(out, t.stable_cuda);
    }
  });
  key("CUDA_CUDNN_VERSIONS");
  out += "{";
  for (size_t i = 0; i < cuda_cudnn.size(); ++i) {
    if (i > 0) out += ",";
    out += "\n    ";
    AppendJsonString(out, cuda_cudnn[i].arch);
    out += ": {\"cuda\": ";
    AppendJsonString(out, cuda_cudnn[i].cuda);
    out += ", \"cudnn\": ";
    AppendJsonString(out, cuda_cudnn[i].cudnn);
    out += "}";
  }
  out += cuda_cudnn.empty() ? "}" : "\n  }";
  key("CUDA_AARCH64_ARCHES");
  list(cuda_aarch64_arches);
  key("CUDA_ARCHES_NO_WINDOWS");
  list(cuda_arches_no_windows);
  key("CUDA_ARCHES_NO_GETTING_STARTED");
  list(cuda_arches_no_getting_started);
  key("TORCH_ONLY_PYTHON_ARCHES");
  list(torch_only_python_versions);
  key("MACOS_PYTHON_POINT_VERSIONS");
  out += "{";
  for (size_t i = 0; i < macos_python_point_versions.size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(out, macos_python_point_versions[i].first);
    out += ": ";
    AppendJsonString(out, macos_python_point_versions[i].second);
  }
  out += "}";
  key("GETTING_STARTED_ROCM_ARCH");
  if (getting_started_rocm_arch.has_value()) {
    AppendJsonString(out, *getting_started_rocm_arch);
  } else {
    out += "null";
  }
  key("PACKAGE_TYPES");
  list(package_types);
  out += "\n}\n";
  return out;
}

const ChannelTables& BuildMatrix::tables(BuildChannel channel) const {
  switch (channel) {
    case BuildChannel::kTest:
      return test;
    case BuildChannel::kRelease:
      return release;
    case BuildChannel::kNightly:
      break;
  }
  return nightly;
}

ChannelTables& BuildMatrix::tables(BuildChannel channel) {
  switch (channel) {
    case BuildChannel::kTest:
      return test;
    case BuildChannel::kRelease:
      return release;
    case BuildChannel::kNightly:
      break;
  }
  return nightly;
}

std::optional<Version> BuildMatrix::CurrentVersion(BuildChannel channel) const {
  return channel == BuildChannel::kTest ? candidate_version : stable_version;
}

std::optional<BuildChannel> BuildMatrix::ChannelForVersion(
    const Version& version) const {
  auto same_release = [&version](const std::optional<Version>& v) {
    return v.has_value() && v->epoch() == version.epoch() &&
           v->major() == version.major() && v->minor() == version.minor() &&
           v->micro() == version.micro();
  };
  if (same_release(stable_version)) return BuildChannel::kRelease;
  if (same_release(candidate_version)) return BuildChannel::kTest;
  if (same_release(nightly_version)) return BuildChannel::kNightly;
  return std::nullopt;
}

std::optional<CudaToolkit> BuildMatrix::CudaToolkitFor(
    absl::string_view arch) const {
  for (const CudaToolkit& t : cuda_cudnn) {
    if (t.arch == arch) return t;
  }
  return std::nullopt;
}

BuildMatrix BuildMatrix::BranchCut() const {
  BuildMatrix out = *this;
  out.candidate_version = nightly_version;
  out.test = nightly;
  return out;
}

BuildMatrix BuildMatrix::GoLive() const {
  BuildMatrix out = *this;
  out.stable_version = candidate_version;
  out.release = test;
  return out;
}

absl::StatusOr<std::vector<BuildMatrixState>> ParseBuildMatrixTimeline(
    absl::string_view json, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(json, source));
  TableReader r(source);
  if (!doc.IsArray()) return r.Error("$", "expected an array of states");
  std::vector<BuildMatrixState> out;
  out.reserve(doc.Size());
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    const std::string path = absl::StrCat("$[", i, "]");
    const rapidjson::Value& e = doc[i];
    BuildMatrixState state;
    RELKIT_ASSIGN_OR_RETURN(state.tables, ReadMatrix(e, path, r));
    for (auto [field, name] :
         {std::pair{&state.commit, "commit"}, std::pair{&state.date, "date"},
          std::pair{&state.subject, "subject"}}) {
      auto it = e.FindMember(name);
      if (it == e.MemberEnd()) {
        return r.Error(path, absl::StrCat("missing field \"", name, "\""));
      }
      RELKIT_ASSIGN_OR_RETURN(
          *field, r.String(it->value, absl::StrCat(path, ".", name)));
    }
    out.push_back(std::move(state));
  }
  return out;
}

// -----------------------------------------------------------------------------
// Generator

absl::StatusOr<std::vector<BuildMatrixEntry>> GenerateBuildMatrix(
    const BuildMatrix& matrix, const BuildMatrixOptions& options) {
  for (size_t i = 0; i < options.python_versions.size(); ++i) {
    if (!IsPythonVersion(options.python_versions[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "python version \"", options.python_versions[i], "\" at index ", i,
          " is not MAJOR.MINOR or MAJOR.MINORt"));
    }
  }
  std::vector<BuildMatrixEntry> out;
  for (BuildChannel channel : options.channels) {
    const std::optional<Version> version = matrix.CurrentVersion(channel);
    if (!version.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "build matrix has no ",
          channel == BuildChannel::kTest ? "candidate" : "stable",
          " version for the ", BuildChannelName(channel), " channel"));
    }
    ChannelContext c{matrix, options, channel, matrix.tables(channel),
                     version->ToString()};
    for (BuildPackageType type : options.package_types) {
      if (type == BuildPackageType::kWheel) {
        GenerateWheels(c, out);
      } else {
        GenerateLibtorch(c, out);
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ParsePythonVersionList(
    absl::string_view json, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(json, source));
  TableReader r(source);
  RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> list,
                          r.StringArray(doc, "$"));
  RELKIT_RETURN_IF_ERROR(r.CheckEach(
      list, "$", "a Python version (MAJOR.MINOR[t])", IsPythonVersion));
  return list;
}

absl::StatusOr<Accelerator> BuildMatrixEntry::GetAccelerator() const {
  if (gpu_arch_type == "cpu" || gpu_arch_type == "cpu-aarch64") {
    return Accelerator::Cpu();
  }
  if (gpu_arch_type == "xpu") return Accelerator::Xpu();
  if (gpu_arch_type == "cuda" || gpu_arch_type == "cuda-aarch64") {
    return Accelerator::Cuda(AarchBase(gpu_arch_version));
  }
  if (gpu_arch_type == "rocm") return Accelerator::Rocm(gpu_arch_version);
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown gpu_arch_type \"", gpu_arch_type, "\" in ", build_name));
}

std::vector<std::pair<std::string, std::string>> BuildMatrixEntry::Fields()
    const {
  if (kind == BuildPackageType::kLibtorch) {
    return {{"gpu_arch_type", gpu_arch_type},
            {"gpu_arch_version", gpu_arch_version},
            {"desired_cuda", desired_cuda},
            {"libtorch_variant", libtorch_variant},
            {"libtorch_config", libtorch_config},
            {"devtoolset", devtoolset},
            {"container_image", container_image},
            {"package_type", package_type},
            {"build_name", build_name},
            {"validation_runner", validation_runner},
            {"installation", installation},
            {"channel", channel},
            {"stable_version", stable_version}};
  }
  return {{"python_version", python_version},
          {"gpu_arch_type", gpu_arch_type},
          {"gpu_arch_version", gpu_arch_version},
          {"desired_cuda", desired_cuda},
          {"container_image", container_image},
          {"package_type", package_type},
          {"build_name", build_name},
          {"validation_runner", validation_runner},
          {"installation", installation},
          {"channel", channel},
          {"upload_to_base_bucket", upload_to_base_bucket},
          {"stable_version", stable_version}};
}

std::string BuildMatrixToJson(absl::Span<const BuildMatrixEntry> entries,
                              int indent) {
  std::string out;
  if (indent <= 0) {
    out = "{\"include\": [";
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out += ", ";
      out += "{";
      bool first = true;
      for (const auto& [k, v] : entries[i].Fields()) {
        if (!first) out += ", ";
        first = false;
        AppendJsonString(out, k);
        out += ": ";
        AppendJsonString(out, v);
      }
      out += "}";
    }
    out += "]}";
    return out;
  }
  const std::string pad1(static_cast<size_t>(indent), ' ');
  const std::string pad2 = pad1 + pad1;
  const std::string pad3 = pad2 + pad1;
  out = absl::StrCat("{\n", pad1, "\"include\": [");
  if (entries.empty()) {
    out += "]\n}";
    return out;
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    out += i > 0 ? ",\n" : "\n";
    absl::StrAppend(&out, pad2, "{");
    bool first = true;
    for (const auto& [k, v] : entries[i].Fields()) {
      out += first ? "\n" : ",\n";
      first = false;
      out += pad3;
      AppendJsonString(out, k);
      out += ": ";
      AppendJsonString(out, v);
    }
    absl::StrAppend(&out, "\n", pad2, "}");
  }
  absl::StrAppend(&out, "\n", pad1, "]\n}");
  return out;
}

// -----------------------------------------------------------------------------
// Queries

absl::StatusOr<std::vector<ExpectedWheel>> ExpectedWheels(
    const BuildMatrix& matrix, BuildChannel channel,
    absl::Span<const BuildOs> oses) {
  std::vector<BuildOs> all;
  if (oses.empty()) {
    all = PublishedBuildOses();
    oses = all;
  }
  std::vector<ExpectedWheel> out;
  for (BuildOs os : oses) {
    BuildMatrixOptions options;
    options.os = os;
    options.channels = {channel};
    options.build_python_only = false;
    RELKIT_ASSIGN_OR_RETURN(std::vector<BuildMatrixEntry> entries,
                            GenerateBuildMatrix(matrix, options));
    // The Python version as in the table, not the macOS point version.
    const std::vector<std::string>& pythons =
        matrix.tables(channel).python_versions;
    for (const BuildMatrixEntry& e : entries) {
      ExpectedWheel w;
      w.os = os;
      w.python_version = e.python_version;
      if (os == BuildOs::kMacosArm64) {
        for (const std::string& py : pythons) {
          if (MacosPoint(matrix, py) == e.python_version) {
            w.python_version = py;
            break;
          }
        }
      }
      RELKIT_ASSIGN_OR_RETURN(w.accelerator, e.GetAccelerator());
      w.build_name = e.build_name;
      out.push_back(std::move(w));
    }
  }
  return out;
}

absl::StatusOr<std::vector<Accelerator>> ChannelGpuAccelerators(
    const BuildMatrix& matrix, BuildChannel channel) {
  const ChannelTables& t = matrix.tables(channel);
  std::vector<Accelerator> cuda, rocm;
  for (const std::string& a : t.cuda_arches) {
    RELKIT_ASSIGN_OR_RETURN(Accelerator acc, Accelerator::Cuda(a));
    cuda.push_back(std::move(acc));
  }
  for (const std::string& a : t.rocm_arches) {
    RELKIT_ASSIGN_OR_RETURN(Accelerator acc, Accelerator::Rocm(a));
    rocm.push_back(std::move(acc));
  }
  std::sort(cuda.begin(), cuda.end());
  std::sort(rocm.begin(), rocm.end());
  cuda.insert(cuda.end(), rocm.begin(), rocm.end());
  return cuda;
}

std::optional<std::string> GettingStartedRocm(const BuildMatrix& matrix,
                                              BuildChannel channel) {
  const std::vector<std::string>& rocm = matrix.tables(channel).rocm_arches;
  if (rocm.empty()) return std::nullopt;
  if (matrix.getting_started_rocm_arch.has_value() &&
      Contains(rocm, *matrix.getting_started_rocm_arch)) {
    return matrix.getting_started_rocm_arch;
  }
  // Numeric order: 7.14 is newer than 7.2 (test-infra#8503 picked by string).
  std::optional<std::string> best;
  std::optional<Accelerator> best_acc;
  for (const std::string& a : rocm) {
    absl::StatusOr<Accelerator> acc = Accelerator::Rocm(a);
    if (!acc.ok()) continue;
    if (!best_acc.has_value() || *best_acc < *acc) {
      best_acc = *acc;
      best = a;
    }
  }
  return best;
}

}  // namespace relkit
