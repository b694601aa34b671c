#include "relkit/pypi_staging.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "relkit/artifact_name.h"
#include "relkit/wheel_index.h"

namespace relkit {
namespace {

// "13.0" -> "130"; nullopt for anything but MAJOR.MINOR digits.
std::optional<std::string> CudaDigits(absl::string_view cuda) {
  const size_t dot = cuda.find('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 == cuda.size() ||
      cuda.find('.', dot + 1) != absl::string_view::npos) {
    return std::nullopt;
  }
  for (size_t i = 0; i < cuda.size(); ++i) {
    if (i != dot && !absl::ascii_isdigit(static_cast<unsigned char>(cuda[i]))) {
      return std::nullopt;
    }
  }
  return absl::StrCat(cuda.substr(0, dot), cuda.substr(dot + 1));
}

std::string DecodePlus(absl::string_view name) {
  return absl::StrReplaceAll(name, {{"%2B", "+"}, {"%2b", "+"}});
}

std::string DayText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::string_view OsWords(BuildOs os) {
  switch (os) {
    case BuildOs::kLinux:
      return "Linux x86_64";
    case BuildOs::kLinuxAarch64:
      return "Linux aarch64";
    case BuildOs::kMacos:
      return "macOS x86_64";
    case BuildOs::kMacosArm64:
      return "macOS arm64";
    case BuildOs::kWindows:
      return "Windows x86_64";
    case BuildOs::kWindowsArm64:
      return "Windows arm64";
  }
  return "?";
}

bool IsPurePython(const WheelFilename& w) {
  return w.platform_tags().size() == 1 && w.platform_tags()[0] == "any";
}

// The rule's decision for one wheel, before duplicates are looked for.
std::pair<PypiReason, std::string> Decide(const WheelFilename& w,
                                          const PypiStagingRule& rule) {
  const std::string label = w.version().local().value_or("");
  const std::string shown = label.empty() ? "no local label" : "+" + label;
  if (IsPurePython(w)) {
    if (label.empty() || label == "cpu") {
      return {PypiReason::kPurePython,
              absl::StrCat("selected: a pure-Python wheel (", shown,
                           "), taken as it is")};
    }
    return {PypiReason::kOtherAccelerator,
            absl::StrCat("excluded: a pure-Python wheel built for +", label,
                         " (pure-Python wheels are taken unlabelled or +cpu)")};
  }
  if (std::optional<std::string> py = WheelPythonVersion(w);
      py && rule.IsPrerelease(*py)) {
    std::string when;
    for (const PrereleasePython& p : rule.prerelease_pythons) {
      if (p.version == *py) when = DayText(p.released);
    }
    return {
        PypiReason::kPrereleasePython,
        absl::StrCat("excluded: Python ", *py, " is a pre-release on ",
                     DayText(rule.date), " (first final release ", when, ")")};
  }
  const std::optional<BuildOs> os = WheelOs(w);
  // PyPI refuses plain `linux_x86_64` wheels: only manylinux/musllinux ones.
  const bool pypi_linux =
      std::any_of(w.platform_tags().begin(), w.platform_tags().end(),
                  [](const std::string& p) {
                    return absl::StartsWith(p, "manylinux") ||
                           absl::StartsWith(p, "musllinux");
                  });
  if (os && (*os == BuildOs::kLinux || *os == BuildOs::kLinuxAarch64) &&
      !pypi_linux) {
    return {PypiReason::kOtherPlatform,
            absl::StrCat("excluded: platform ",
                         absl::StrJoin(w.platform_tags(), "."),
                         " is not accepted by PyPI (manylinux or musllinux "
                         "only)")};
  }
  if (!os) {
    return {PypiReason::kOtherPlatform,
            absl::StrCat("excluded: platform ",
                         absl::StrJoin(w.platform_tags(), "."),
                         " is not staged for PyPI")};
  }
  switch (*os) {
    case BuildOs::kLinux:
    case BuildOs::kLinuxAarch64:
      if (label == rule.stable_cuda_label) {
        return {PypiReason::kStableCuda,
                absl::StrCat("selected: ", OsWords(*os),
                             " takes the stable CUDA build (+",
                             rule.stable_cuda_label, ")")};
      }
      return {
          PypiReason::kOtherAccelerator,
          absl::StrCat("excluded: ", shown, " is not the stable CUDA build (",
                       OsWords(*os), " takes +", rule.stable_cuda_label, ")")};
    case BuildOs::kWindows:
      if (label == "cpu") {
        return {PypiReason::kWindowsCpu,
                "selected: Windows x86_64 takes the CPU build (+cpu)"};
      }
      return {
          PypiReason::kOtherAccelerator,
          absl::StrCat("excluded: ", shown,
                       " is not the CPU build (Windows x86_64 takes +cpu)")};
    case BuildOs::kMacosArm64:
      if (label.empty()) {
        return {PypiReason::kMacosUnlabelled,
                "selected: macOS arm64 takes the build without a local label"};
      }
      return {PypiReason::kOtherAccelerator,
              absl::StrCat("excluded: +", label,
                           " (macOS arm64 takes the build without a local "
                           "label)")};
    case BuildOs::kMacos:
    case BuildOs::kWindowsArm64:
      break;
  }
  return {PypiReason::kOtherPlatform,
          absl::StrCat("excluded: ", OsWords(*os),
                       " wheels are not staged for PyPI")};
}

}  // namespace

bool PypiStagingRule::IsPrerelease(absl::string_view python) const {
  // The free-threaded build is as final as its CPython: a list that names
  // only "3.15" excludes cp315t too.
  absl::string_view base = python;
  absl::ConsumeSuffix(&base, "t");
  for (const PrereleasePython& p : prerelease_pythons) {
    if (p.version == python || p.version == base) return true;
  }
  return false;
}

std::vector<std::string> PypiStagingRule::RemovedClassifiers() const {
  std::vector<std::string> out;
  for (const PrereleasePython& p : prerelease_pythons) {
    absl::string_view v = p.version;
    absl::ConsumeSuffix(&v, "t");
    std::string c = absl::StrCat("Programming Language :: Python :: ", v);
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

absl::StatusOr<PypiStagingRule> MakePypiStagingRule(
    const BuildMatrix& matrix, const SupportPolicy& policy, absl::CivilDay date,
    const PypiStagingRuleOptions& options) {
  const ChannelTables& release = matrix.tables(BuildChannel::kRelease);
  PypiStagingRule rule;
  rule.date = date;
  rule.stable_cuda =
      options.stable_cuda.empty() ? release.stable_cuda : options.stable_cuda;
  if (rule.stable_cuda.empty()) {
    return absl::FailedPreconditionError(
        "the build matrix records no stable CUDA for the release channel: "
        "give one (--stable-cuda 13.0)");
  }
  std::optional<std::string> digits = CudaDigits(rule.stable_cuda);
  if (!digits) {
    return absl::InvalidArgumentError(
        absl::StrCat("stable CUDA \"", rule.stable_cuda,
                     "\" is not MAJOR.MINOR (e.g. \"13.0\")"));
  }
  rule.stable_cuda_label = absl::StrCat("cu", *digits);
  for (const CPythonVersion& c : policy.cpython()) {
    if (c.released > date)
      rule.prerelease_pythons.push_back({c.version, c.released});
  }
  for (const std::string& py : release.python_versions) {
    if (!rule.IsPrerelease(py)) rule.pythons.push_back(py);
  }
  return rule;
}

absl::string_view PypiReasonName(PypiReason reason) {
  switch (reason) {
    case PypiReason::kStableCuda:
      return "stable-cuda";
    case PypiReason::kWindowsCpu:
      return "windows-cpu";
    case PypiReason::kMacosUnlabelled:
      return "macos-unlabelled";
    case PypiReason::kPurePython:
      return "pure-python";
    case PypiReason::kPrereleasePython:
      return "prerelease-python";
    case PypiReason::kOtherAccelerator:
      return "other-accelerator";
    case PypiReason::kOtherPlatform:
      return "other-platform";
    case PypiReason::kDuplicate:
      return "duplicate";
  }
  return "?";
}

bool PypiReasonSelects(PypiReason reason) {
  return reason == PypiReason::kStableCuda ||
         reason == PypiReason::kWindowsCpu ||
         reason == PypiReason::kMacosUnlabelled ||
         reason == PypiReason::kPurePython;
}

std::vector<const PypiCandidate*> PypiSelection::selected() const {
  std::vector<const PypiCandidate*> out;
  for (const PypiCandidate& c : candidates) {
    if (c.selected) out.push_back(&c);
  }
  return out;
}

size_t PypiSelection::selected_count() const {
  return static_cast<size_t>(
      std::count_if(candidates.begin(), candidates.end(),
                    [](const PypiCandidate& c) { return c.selected; }));
}

std::string PypiStagedName(absl::string_view file_name) {
  std::string name = DecodePlus(file_name);
  // `{name}-{version}-...`: the version is the second `-` part; its local
  // label runs from `+` to the next `-`.
  const size_t first = name.find('-');
  if (first == std::string::npos) return name;
  const size_t second = name.find('-', first + 1);
  const size_t plus = name.find('+', first + 1);
  if (plus == std::string::npos ||
      (second != std::string::npos && plus > second)) {
    return name;
  }
  name.erase(plus, (second == std::string::npos ? name.size() : second) - plus);
  return name;
}

PypiSelection SelectForPypi(absl::string_view package, const Version& version,
                            absl::Span<const PypiWheelSource> wheels,
                            const PypiStagingRule& rule) {
  PypiSelection out;
  out.package = CanonicalizeName(package);
  out.version = version.WithoutLocal();
  std::vector<const PypiWheelSource*> mine;
  for (const PypiWheelSource& w : wheels) {
    const std::string decoded = DecodePlus(w.file_name);
    absl::StatusOr<ArtifactName> a = ParseArtifactName(decoded);
    if (!a.ok() || a->kind != ArtifactKind::kWheel ||
        // Public versions compared under PEP 440: 2.9.0rc1, 2.9.0.post1 and
        // 2.9.01 are not 2.9.0.
        !a->BelongsTo(out.package, out.version)) {
      ++out.other_files;
      continue;
    }
    mine.push_back(&w);
  }
  std::stable_sort(mine.begin(), mine.end(),
                   [](const PypiWheelSource* a, const PypiWheelSource* b) {
                     return DecodePlus(a->file_name) < DecodePlus(b->file_name);
                   });
  std::map<std::string, std::string> staged;  // staged name -> chosen file
  for (const PypiWheelSource* w : mine) {
    const std::string decoded = DecodePlus(w->file_name);
    absl::StatusOr<WheelFilename> parsed = WheelFilename::Parse(decoded);
    if (!parsed.ok()) {  // ParseArtifactName accepted it: cannot happen
      ++out.other_files;
      continue;
    }
    PypiCandidate c{.source = *w, .wheel = *parsed};
    c.source.file_name = decoded;
    c.staged_name = PypiStagedName(decoded);
    auto [reason, why] = Decide(*parsed, rule);
    if (PypiReasonSelects(reason)) {
      auto [it, inserted] = staged.emplace(c.staged_name, decoded);
      if (!inserted) {
        reason = PypiReason::kDuplicate;
        why = absl::StrCat("excluded: a duplicate of ", it->second,
                           " (both would be staged as ", c.staged_name, ")");
      }
    }
    c.reason = reason;
    c.selected = PypiReasonSelects(reason);
    c.explanation = std::move(why);
    out.candidates.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> DefaultPypiPlatforms() {
  return {"manylinux_2_28_x86_64", "manylinux_2_28_aarch64", "win_amd64",
          "macosx_11_0_arm64"};
}

bool ExpectedPypiFile::Matches(const WheelFilename& wheel) const {
  const auto has = [](const std::vector<std::string>& v, absl::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  if (python.empty()) {
    return IsPurePython(wheel);
  }
  if (!has(wheel.platform_tags(), platform)) return false;
  absl::string_view py = python;
  const bool ft = absl::ConsumeSuffix(&py, "t");
  const std::string cp =
      absl::StrCat("cp", absl::StrReplaceAll(py, {{".", ""}}));
  if (!has(wheel.python_tags(), cp)) return false;
  if (ft) return has(wheel.abi_tags(), cp + "t");
  return has(wheel.abi_tags(), cp) || has(wheel.abi_tags(), "abi3") ||
         has(wheel.abi_tags(), "none");
}

absl::StatusOr<std::vector<ExpectedPypiFile>> ExpectedPypiFiles(
    absl::string_view package, const Version& version,
    absl::Span<const std::string> pythons,
    absl::Span<const std::string> platforms, bool pure_python) {
  std::string dist = CanonicalizeName(package);
  std::replace(dist.begin(), dist.end(), '-', '_');
  const std::string v = version.WithoutLocal().ToString();
  std::vector<ExpectedPypiFile> out;
  if (pure_python) {
    out.push_back({"", "any", absl::StrCat(dist, "-", v, "-py3-none-any.whl")});
    return out;
  }
  for (const std::string& platform : platforms) {
    for (const std::string& python : pythons) {
      absl::string_view py = python;
      const bool ft = absl::ConsumeSuffix(&py, "t");
      const size_t dot = py.find('.');
      bool ok =
          dot != absl::string_view::npos && dot > 0 && dot + 1 < py.size();
      for (size_t i = 0; ok && i < py.size(); ++i) {
        ok = i == dot || absl::ascii_isdigit(static_cast<unsigned char>(py[i]));
      }
      if (!ok) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Python \"", python, "\" is not MAJOR.MINOR[t] (e.g. \"3.13t\")"));
      }
      const std::string cp =
          absl::StrCat("cp", py.substr(0, dot), py.substr(dot + 1));
      out.push_back({python, platform,
                     absl::StrCat(dist, "-", v, "-", cp, "-", cp, ft ? "t" : "",
                                  "-", platform, ".whl")});
    }
  }
  return out;
}

std::string PypiStagingFolder(absl::string_view package,
                              const Version& version) {
  return absl::StrCat(CanonicalizeName(package), "-",
                      version.WithoutLocal().ToString(), "-pypi-staging/");
}

}  // namespace relkit
