// `relkit demo`: a guided tour of the release model on embedded examples
// taken from PyTorch's release history. Needs no network, repository or
// configuration. Later issues extend it to the full release workflow.

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/conventions.h"
#include "relkit/status.h"
#include "relkit/specifier.h"
#include "relkit/version.h"
#include "relkit/wheel.h"

namespace relkit::cli {
namespace {

// Tags of the 2.4.0 release cycle as they appear on pytorch/pytorch.
constexpr absl::string_view kRcTags[] = {"v2.3.1", "v2.4.0-rc1", "v2.4.0-rc2",
                                         "v2.4.0-rc3", "ciflow/trunk/12345"};

// Versions as published on the Get Started page; a plain string sort puts
// 2.10.0 before 2.9.1 and 1.13.1 before 1.9.0.
constexpr absl::string_view kPublished[] = {
    "1.9.0", "1.13.1", "2.0.1", "2.10.0", "2.9.1", "2.4.0rc1", "2.4.0", "2.4.1",
    "2.5.0.dev20240801"};

constexpr absl::string_view kWheels[] = {
    "torch-2.4.0+cu121-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "torch-2.5.0.dev20240801+rocm6.1-cp310-cp310-linux_x86_64.whl",
    "torch-2.4.0-cp311-none-macosx_11_0_arm64.whl",
    "torch-2.4.0+cpu-cp38-cp38-win_amd64.whl",
};

// Python support per release, from RELEASE.md's compatibility matrix.
struct PythonSupport {
  absl::string_view release;
  absl::string_view python;
};
constexpr PythonSupport kPythonSupport[] = {
    {"2.4", ">=3.8,<=3.12"}, {"2.3", ">=3.8,<=3.11"}, {"1.13", ">=3.7,<=3.10"}};
constexpr absl::string_view kPythons[] = {"3.7", "3.8", "3.12", "3.13"};

// Collects the demo's facts once, printed as text or JSON.
struct Demo {
  std::vector<std::pair<std::string, std::string>> tags;  // tag -> version
  std::string next_rc, final_tag, branch, orig_branch;
  std::vector<std::string> string_sorted, pep440_sorted;
  struct Wheel {
    std::string filename, name, version, accelerator, nightly, pythons, platforms;
  };
  std::vector<Wheel> wheels;
  struct Support {
    std::string release, specifiers;
    std::vector<std::pair<std::string, bool>> pythons;
  };
  std::vector<Support> support;
  std::string main_before, main_after, next_patch;
  std::vector<std::string> rocm_order;
};

absl::StatusOr<Demo> BuildDemo() {
  Demo d;
  std::vector<std::string> tags;
  for (absl::string_view t : kRcTags) {
    tags.emplace_back(t);
    absl::StatusOr<RcTag> tag = RcTag::Parse(t);
    if (tag.ok()) d.tags.emplace_back(std::string(t), tag->version().ToString());
  }
  RELKIT_ASSIGN_OR_RETURN(Version final_version, Version::Parse("2.4.0"));
  RELKIT_ASSIGN_OR_RETURN(RcTag next, NextRcTag(final_version, tags));
  d.next_rc = next.ToString();
  d.final_tag = next.Final().ToString();
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch branch, ReleaseBranch::ForVersion(final_version));
  d.branch = branch.ToString();
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch orig,
                          ReleaseBranch::Parse("orig/" + branch.ToString()));
  d.orig_branch = orig.ToString();

  std::vector<absl::string_view> published(std::begin(kPublished), std::end(kPublished));
  for (absl::string_view p : published) d.string_sorted.emplace_back(p);
  std::sort(d.string_sorted.begin(), d.string_sorted.end());
  RELKIT_ASSIGN_OR_RETURN(d.pep440_sorted, SortVersionStrings(published));

  for (absl::string_view filename : kWheels) {
    RELKIT_ASSIGN_OR_RETURN(WheelFilename wheel, WheelFilename::Parse(filename));
    Demo::Wheel w;
    w.filename = std::string(filename);
    w.name = wheel.name();
    w.version = wheel.version().ToString();
    RELKIT_ASSIGN_OR_RETURN(std::optional<Accelerator> acc,
                            Accelerator::FromVersion(wheel.version()));
    if (acc) {
      w.accelerator = acc->kind() == AcceleratorKind::kCpu
                          ? "CPU"
                          : absl::StrCat(acc->kind() == AcceleratorKind::kCuda ? "CUDA " : "ROCm ",
                                         acc->VersionString());
    } else {
      w.accelerator = "none (default build)";
    }
    if (std::optional<absl::CivilDay> day = NightlyDate(wheel.version())) {
      w.nightly = absl::FormatCivilTime(*day);
    }
    w.pythons = absl::StrJoin(wheel.python_tags(), ",");
    w.platforms = absl::StrJoin(wheel.platform_tags(), ",");
    d.wheels.push_back(std::move(w));
  }

  for (const PythonSupport& row : kPythonSupport) {
    RELKIT_ASSIGN_OR_RETURN(SpecifierSet set, SpecifierSet::Parse(row.python));
    Demo::Support s;
    s.release = std::string(row.release);
    s.specifiers = std::string(row.python);  // as RELEASE.md writes it
    for (absl::string_view py : kPythons) s.pythons.emplace_back(py, set.Contains(py));
    d.support.push_back(std::move(s));
  }

  RELKIT_ASSIGN_OR_RETURN(Version main_version, Version::Parse("2.5.0a0"));
  RELKIT_ASSIGN_OR_RETURN(Version bumped, NextMainVersion(main_version));
  d.main_before = main_version.ToString();
  d.main_after = bumped.ToString();
  RELKIT_ASSIGN_OR_RETURN(Version patch, NextPatch(final_version));
  d.next_patch = patch.ToString();

  std::vector<Accelerator> rocm;
  for (absl::string_view label : {"rocm7.14", "rocm7.2", "rocm6.1"}) {
    RELKIT_ASSIGN_OR_RETURN(Accelerator a, Accelerator::Parse(label));
    rocm.push_back(std::move(a));
  }
  std::sort(rocm.begin(), rocm.end());
  for (const Accelerator& a : rocm) d.rocm_order.push_back(a.ToString());
  return d;
}

void PrintText(const Demo& d) {
  std::cout << "relkit demo: the version and tag model on PyTorch release history\n\n";
  std::cout << "1. Release candidates of 2.4.0 (git tag -> PEP 440 version)\n";
  for (const auto& [tag, version] : d.tags) {
    std::cout << absl::StrFormat("   %-12s -> %s\n", tag, version);
  }
  std::cout << "   next RC tag: " << d.next_rc << "    final tag: " << d.final_tag
            << "\n   release branch: " << d.branch << "    cut point: "
            << d.orig_branch << "\n\n";

  std::cout << "2. Newest published version: string order vs PEP 440 order\n"
            << "   string sort: " << absl::StrJoin(d.string_sorted, " ")
            << "\n   relkit:      " << absl::StrJoin(d.pep440_sorted, " ")
            << "\n   a string sort calls " << d.string_sorted.back()
            << " the newest; it is " << d.pep440_sorted.back() << "\n\n";

  std::cout << "3. Wheel filenames, with accelerator and nightly date\n";
  for (const Demo::Wheel& w : d.wheels) {
    std::cout << "   " << w.filename << "\n      " << w.name << " " << w.version
              << "  accelerator: " << w.accelerator
              << (w.nightly.empty() ? "" : "  nightly of " + w.nightly)
              << "  python: " << w.pythons << "  platform: " << w.platforms << "\n";
  }
  std::cout << "   ROCm labels in numeric order: " << absl::StrJoin(d.rocm_order, " < ")
            << "\n\n";

  std::cout << "4. Python support from the compatibility matrix\n";
  for (const Demo::Support& s : d.support) {
    std::cout << absl::StrFormat("   %-5s %-14s", s.release, s.specifiers);
    for (const auto& [py, ok] : s.pythons) {
      std::cout << "  " << py << (ok ? " yes" : " no ");
    }
    std::cout << "\n";
  }
  std::cout << "\n5. Version bumps\n   after the 2.4 branch cut, main's version.txt: "
            << d.main_before << " -> " << d.main_after
            << "\n   next patch release of 2.4.0: " << d.next_patch << "\n\n"
            << "Next: 'relkit version --help'; docs/getting-started.md.\n";
}

void PrintJson(const Demo& d) {
  JsonOut out;
  auto strings = [&](absl::string_view key, const std::vector<std::string>& v) {
    out.Key(key);
    out.w().StartArray();
    for (const std::string& s : v) out.String(s);
    out.w().EndArray();
  };
  out.w().StartObject();
  out.Key("rc_tags");
  out.w().StartArray();
  for (const auto& [tag, version] : d.tags) {
    out.w().StartObject();
    out.Field("tag", tag);
    out.Field("version", version);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.Field("next_rc_tag", d.next_rc);
  out.Field("final_tag", d.final_tag);
  out.Field("release_branch", d.branch);
  out.Field("orig_branch", d.orig_branch);
  strings("string_sorted", d.string_sorted);
  strings("pep440_sorted", d.pep440_sorted);
  out.Key("wheels");
  out.w().StartArray();
  for (const Demo::Wheel& w : d.wheels) {
    out.w().StartObject();
    out.Field("filename", w.filename);
    out.Field("name", w.name);
    out.Field("version", w.version);
    out.Field("accelerator", w.accelerator);
    out.Field("nightly_date", w.nightly);
    out.w().EndObject();
  }
  out.w().EndArray();
  strings("rocm_order", d.rocm_order);
  out.Key("python_support");
  out.w().StartObject();
  for (const Demo::Support& s : d.support) {
    out.Key(s.release);
    out.w().StartObject();
    for (const auto& [py, ok] : s.pythons) out.Field(py, ok);
    out.w().EndObject();
  }
  out.w().EndObject();
  out.Field("main_version_after_cut", d.main_after);
  out.Field("next_patch", d.next_patch);
  out.w().EndObject();
  out.Print();
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, Context& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "demo", "Tour the release model on embedded PyTorch examples (no setup needed)");
  cmd->add_flag("--json", *json, "Print the demo's results as JSON");
  cmd->callback([json, &ctx] {
    absl::StatusOr<Demo> demo = BuildDemo();
    if (!demo.ok()) { ctx.exit_code = ReportError(demo.status()); return; }
    if (*json) PrintJson(*demo); else PrintText(*demo);
  });
}

}  // namespace relkit::cli
