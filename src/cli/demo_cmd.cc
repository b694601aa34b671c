// `relkit demo`: the release workflow end to end on a repository built on
// the spot (demo/release_demo.h): a branch cut, cherry-picks, an RC tag, then the
// branch audit and its findings, then the promotion plans of a small test
// channel in a local directory (demo/promotion_demo.h) beside what
// promote.sh's glob would copy. `relkit demo --versions` is the tour of the
// version and tag model on embedded examples from PyTorch's release history.
// Needs no network, repository or configuration.

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "demo/promotion_demo.h"
#include "demo/release_demo.h"
#include "relkit/branch_audit.h"
#include "relkit/cherry_pick.h"
#include "relkit/cherry_pick_bot.h"
#include "relkit/cherry_pick_bot_report.h"
#include "relkit/conventions.h"
#include "relkit/git.h"
#include "relkit/rc_tags.h"
#include "relkit/readiness.h"
#include "relkit/reports.h"
#include "relkit/specifier.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"
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
    "1.9.0",    "1.13.1", "2.0.1", "2.10.0",           "2.9.1",
    "2.4.0rc1", "2.4.0",  "2.4.1", "2.5.0.dev20240801"};

constexpr absl::string_view kWheels[] = {
    "torch-2.4.0+cu121-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64."
    "whl",
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
    std::string filename, name, version, accelerator, nightly, pythons,
        platforms;
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
    if (tag.ok())
      d.tags.emplace_back(std::string(t), tag->version().ToString());
  }
  RELKIT_ASSIGN_OR_RETURN(Version final_version, Version::Parse("2.4.0"));
  RELKIT_ASSIGN_OR_RETURN(RcTag next, NextRcTag(final_version, tags));
  d.next_rc = next.ToString();
  d.final_tag = next.Final().ToString();
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch branch,
                          ReleaseBranch::ForVersion(final_version));
  d.branch = branch.ToString();
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch orig,
                          ReleaseBranch::Parse("orig/" + branch.ToString()));
  d.orig_branch = orig.ToString();

  std::vector<absl::string_view> published(std::begin(kPublished),
                                           std::end(kPublished));
  for (absl::string_view p : published) d.string_sorted.emplace_back(p);
  std::sort(d.string_sorted.begin(), d.string_sorted.end());
  RELKIT_ASSIGN_OR_RETURN(d.pep440_sorted, SortVersionStrings(published));

  for (absl::string_view filename : kWheels) {
    RELKIT_ASSIGN_OR_RETURN(WheelFilename wheel,
                            WheelFilename::Parse(filename));
    Demo::Wheel w;
    w.filename = std::string(filename);
    w.name = wheel.name();
    w.version = wheel.version().ToString();
    RELKIT_ASSIGN_OR_RETURN(std::optional<Accelerator> acc,
                            Accelerator::FromVersion(wheel.version()));
    if (acc) {
      w.accelerator =
          acc->kind() == AcceleratorKind::kCpu
              ? "CPU"
              : absl::StrCat(
                    acc->kind() == AcceleratorKind::kCuda ? "CUDA " : "ROCm ",
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
    for (absl::string_view py : kPythons)
      s.pythons.emplace_back(py, set.Contains(py));
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
  std::cout << "relkit demo: the version and tag model on PyTorch release "
               "history\n\n";
  std::cout << "1. Release candidates of 2.4.0 (git tag -> PEP 440 version)\n";
  for (const auto& [tag, version] : d.tags) {
    std::cout << absl::StrFormat("   %-12s -> %s\n", tag, version);
  }
  std::cout << "   next RC tag: " << d.next_rc
            << "    final tag: " << d.final_tag
            << "\n   release branch: " << d.branch
            << "    cut point: " << d.orig_branch << "\n\n";

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
              << "  python: " << w.pythons << "  platform: " << w.platforms
              << "\n";
  }
  std::cout << "   ROCm labels in numeric order: "
            << absl::StrJoin(d.rocm_order, " < ") << "\n\n";

  std::cout << "4. Python support from the compatibility matrix\n";
  for (const Demo::Support& s : d.support) {
    std::cout << absl::StrFormat("   %-5s %-14s", s.release, s.specifiers);
    for (const auto& [py, ok] : s.pythons) {
      std::cout << "  " << py << (ok ? " yes" : " no ");
    }
    std::cout << "\n";
  }
  std::cout
      << "\n5. Version bumps\n   after the 2.4 branch cut, main's version.txt: "
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

// --- The release demo ------------------------------------------------------

// Removes a temporary directory when the demo ends.
class TempDirectory {
 public:
  static absl::StatusOr<std::unique_ptr<TempDirectory>> Create() {
    const char* base = getenv("TMPDIR");
    std::string tmpl =
        absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp",
                     "/relkit-demo-XXXXXX");
    if (mkdtemp(tmpl.data()) == nullptr) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create a temporary directory from \"", tmpl, "\""));
    }
    return std::unique_ptr<TempDirectory>(new TempDirectory(tmpl));
  }
  ~TempDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// The release demo and the temporary directory it lives in (null with
// --keep).
struct DemoRun {
  std::unique_ptr<TempDirectory> temp;
  ReleaseDemo demo;
  // The promotion step, in `<repository path>.channel`.
  PromotionDemo promotion;
};

std::string Short(const ObjectId& id) { return id.ShortString(); }

// Prints `text` indented by three spaces, without its empty lines.
void Indented(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::cout << "   " << line << "\n";
  }
}

std::string StoryLabel(DemoRole role) {
  switch (role) {
    case DemoRole::kPicked:
      return "cherry-picked with -x";
    case DemoRole::kConflictResolved:
      return "picked by hand, conflict resolved";
    case DemoRole::kNeverPicked:
      return "never picked";
    case DemoRole::kRevertedOnMain:
      return "picked with -x, then reverted on main";
    case DemoRole::kMainOnly:
      return "main only (next release)";
  }
  return "";
}

absl::StatusOr<DemoRun> Run(const std::string& keep) {
  DemoRun run;
  std::string path = keep;
  if (path.empty()) {
    RELKIT_ASSIGN_OR_RETURN(run.temp, TempDirectory::Create());
    path = absl::StrCat(run.temp->path(), "/pytorch.git");
  }
  // Checked first, so that a refused place leaves nothing behind.
  const std::string channel = absl::StrCat(path, ".channel");
  RELKIT_RETURN_IF_ERROR(CheckPromotionDemoPlace(channel));
  RELKIT_ASSIGN_OR_RETURN(run.demo, RunReleaseDemo(path));
  RELKIT_ASSIGN_OR_RETURN(run.promotion, RunPromotionDemo(channel));
  return run;
}

// Step 6: the dry-run promotion plans and the glob's mistakes.
void PrintPromotionText(const PromotionDemo& p) {
  std::cout << "\n7. Promotion, test channel to release channel (a local "
               "directory store: plan, apply, rerun)\n   "
            << p.directory << ": " << p.channel_keys.size()
            << " files in whl/test/ and libtorch/test/, and " << p.versions_path
            << "\n";
  for (const DemoPlan& plan : p.plans) {
    std::cout << "\n   relkit promote --versions " << p.versions_path
              << " --from " << plan.from << " --to " << plan.to;
    for (const std::string& package : plan.packages) {
      std::cout << " --package " << package;
    }
    std::cout << "\n";
    Indented(PromotionPlanText(plan.plan));
    if (plan.result) {
      std::cout << "\n   ... --execute (copies, checksum-sha256, "
                   "verification, a journal):\n";
      Indented(PromotionResultText(plan.plan, *plan.result,
                                   plan.indexes ? &*plan.indexes : nullptr));
      std::cout << "   ... --execute again: "
                << (plan.rerun_nothing_to_do
                        ? "already applied: nothing left to copy"
                        : "NOT DONE: the rerun still plans copies")
                << "\n";
    }
  }
  std::cout << "\n   What promote.sh's glob would also have copied (aws s3 cp "
               "--recursive --exclude '*' --include PATTERN):\n";
  for (const GlobMistake& m : p.glob_mistakes) {
    std::cout << "     WRONG " << TextEscape(m.key) << "  (" << m.pattern
              << ": " << m.reason << ")\n";
  }
  std::cout << "   relkit selects by parsed name and version: none of these "
               "is in its plans.\n";
}

// Section 6: the cherry-pick bot picks the missing PR, the release manager
// merges it and tags the next RC, and readiness moves forward.
void PrintBotText(const ReleaseDemo& d) {
  if (!d.bot_plan) return;
  const CherryPickPlan& plan = *d.bot_plan;
  const CherryPickRequest& req = plan.request;
  std::cout << "\n6. The cherry-pick bot: relkit cherry-pick apply --repo DIR "
               "--pr "
            << req.pr << " --onto " << req.onto << " -c "
            << ClassificationName(req.classification) << " --fixes "
            << req.fixes.value_or("") << " --requested-by " << req.requested_by
            << "\n   (the demo's GitHub: the snapshot, written in memory)\n";
  Indented(CherryPickPlanText(plan));
  if (!d.bot_result) return;
  std::cout << "\n   ... --execute:\n";
  Indented(CherryPickResultText(plan, *d.bot_result));
  for (const std::string& w : d.github_writes) {
    std::cout << "     GitHub: " << TextEscape(w) << "\n";
  }
  std::cout << "   ... --execute again: "
            << (d.bot_rerun_already_applied
                    ? "already applied: no second branch, PR or comment"
                    : "NOT already applied")
            << "\n";
  if (d.release_head_after.is_zero()) return;
  std::cout << "\n   The release manager merges the PR (fast-forward "
            << d.repo.release_branch << " " << Short(d.release_head_before)
            << " -> " << Short(d.release_head_after) << ") and tags "
            << d.rc_after
            << " (relkit rc create --execute); readiness again:\n";
  Indented(ReadinessText(d.readiness_after));
  int before = 0, after = 0;
  for (const Criterion& c : d.readiness.criteria) before += c.passed;
  for (const Criterion& c : d.readiness_after.criteria) after += c.passed;
  std::cout << "   Readiness moved from " << before << "/"
            << d.readiness.criteria.size() << " to " << after << "/"
            << d.readiness_after.criteria.size() << " criteria passed.\n";
}

void PrintReleaseText(const ReleaseDemo& d, const PromotionDemo& promotion,
                      const std::string& keep) {
  const DemoRepository& r = d.repo;
  const std::string& rel = r.release_branch;
  std::cout << "relkit demo: a release branch audited end to end\n\n"
            << "1. A repository built with relkit's own git layer (libgit2, "
               "no git subprocess)\n   "
            << r.path
            << (keep.empty() ? "  (removed on exit; --keep DIR keeps it)"
                             : "  (kept)")
            << "\n   " << r.main
            << ": merge-bot commits titled \"Title (#N)\" with \"Pull Request "
               "resolved:\" and \"Approved by:\"\n"
            << "   Branch cut from " << r.source << " (version.txt 2.4.0a0), "
            << "planned then applied atomically:\n"
            << "     " << rel << " and " << r.orig_branch << " at "
            << Short(r.cut_point) << "\n"
            << absl::StrFormat("     %-12s %s ", rel,
                               Short(r.release_only_commit))
            << "[RELEASE-ONLY CHANGES] Branch Cut for Release 2.4 (@main -> @"
            << rel << " in .github/)\n"
            << absl::StrFormat("     %-12s %s ", r.main,
                               Short(r.version_bump_commit))
            << "Bump version.txt to 2.5.0a0\n"
            << "   RC tag " << r.rc_tag << " at " << Short(r.rc_commit)
            << " (planned, then applied); the next RC would be " << d.next_rc
            << "\n\n";

  std::cout << "2. The requested fixes, and what happened to them\n";
  for (const DemoChange& c : r.changes) {
    if (c.role == DemoRole::kMainOnly) continue;
    std::cout << absl::StrFormat("   #%d %-40s %s %s", c.pr, StoryLabel(c.role),
                                 r.main, Short(c.main_commit));
    if (c.branch_commit) {
      std::cout << " -> " << rel << " " << Short(*c.branch_commit);
    }
    if (c.revert_commit) {
      std::cout << ", revert " << Short(*c.revert_commit);
    }
    std::cout << "\n";
  }

  std::cout << "\n3. The branch audit: relkit audit branch --repo DIR --branch "
            << rel << "\n";
  Indented(BranchAuditText(d.audit));

  std::vector<std::string> prs;
  for (uint64_t pr : r.requested_prs) prs.push_back(absl::StrCat("--pr ", pr));
  std::cout << "\n4. Requested fixes in " << rel
            << ": relkit audit missing --repo DIR --branch " << rel << " "
            << absl::StrJoin(prs, " ") << "\n";
  Indented(PresenceText(d.audit, d.presence));

  std::cout << "\n5. Final-RC readiness: relkit check --repo DIR --branch "
            << rel << " --milestone " << d.snapshot.milestone_title
            << " --github-repo " << d.snapshot.github_repo << " --snapshot "
            << d.snapshot.dir << "\n   (a GitHub snapshot matching the "
            << "repository: milestone, tracker, CI; offline)\n";
  Indented(ReadinessText(d.readiness));
  PrintBotText(d);

  PrintPromotionText(promotion);

  std::cout << "\nFindings\n";
  for (const DemoFinding& f : d.findings) {
    absl::string_view label = f.kind == DemoFindingKind::kMissing ? "MISSING"
                              : f.kind == DemoFindingKind::kRevertNeeded
                                  ? "REVERT "
                                  : "NOTE   ";
    std::cout << "  " << label << " " << f.text << "\n";
  }
  std::cout << "\nNext: 'relkit demo --keep DIR' keeps the repository for "
               "'relkit audit', 'relkit rc' and git log,\nand DIR.channel for "
               "'relkit promote';\n"
               "'relkit demo --versions' tours the version and tag model; "
               "docs/branch-audit.md.\n";
}

void WriteOptionalSha(JsonOut& out, absl::string_view key,
                      const std::optional<ObjectId>& id) {
  if (id) {
    out.Field(key, id->ToString());
  } else {
    out.NullField(key);
  }
}

void WritePromotionJson(JsonOut& out, const PromotionDemo& p,
                        const std::string& keep) {
  out.w().StartObject();
  if (keep.empty()) {
    out.NullField("channel");
  } else {
    out.Field("channel", p.directory);
  }
  out.Key("channel_keys");
  out.w().StartArray();
  for (const std::string& k : p.channel_keys) out.w().String(k);
  out.w().EndArray();
  out.Key("plans");
  out.w().StartArray();
  for (const DemoPlan& plan : p.plans) {
    out.w().StartObject();
    out.Field("name", plan.name);
    out.Key("packages");
    out.w().StartArray();
    for (const std::string& k : plan.packages) out.w().String(k);
    out.w().EndArray();
    out.Key("plan");
    WritePromotionPlanJson(out, plan.plan);
    if (plan.result) {
      out.Key("result");
      WritePromotionResultJson(out, *plan.result);
    }
    out.Key("index_pages_written");
    out.w().StartArray();
    if (plan.indexes) {
      for (const std::string& k : plan.indexes->written) out.w().String(k);
    }
    out.w().EndArray();
    out.Field("rerun_nothing_to_do", plan.rerun_nothing_to_do);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.Key("glob_mistakes");
  out.w().StartArray();
  for (const GlobMistake& m : p.glob_mistakes) {
    out.w().StartObject();
    out.Field("key", m.key);
    out.Field("pattern", m.pattern);
    out.Field("reason", m.reason);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.w().EndObject();
}

void PrintReleaseJson(const ReleaseDemo& d, const PromotionDemo& promotion,
                      const std::string& keep) {
  const DemoRepository& r = d.repo;
  JsonOut out;
  out.w().StartObject();
  if (keep.empty()) {
    out.NullField("repository");
  } else {
    out.Field("repository", r.path);
  }
  out.Field("main", r.main);
  out.Field("source", r.source);
  out.Field("release_branch", r.release_branch);
  out.Field("orig_branch", r.orig_branch);
  out.Field("cut_point", r.cut_point.ToString());
  out.Field("release_only_commit", r.release_only_commit.ToString());
  out.Field("version_bump_commit", r.version_bump_commit.ToString());
  out.Field("pin_update_commit", r.pin_update_commit.ToString());
  out.Field("rc_tag", r.rc_tag);
  out.Field("rc_commit", r.rc_commit.ToString());
  out.Field("next_rc_tag", d.next_rc);
  out.Key("changes");
  out.w().StartArray();
  for (const DemoChange& c : r.changes) {
    out.w().StartObject();
    out.Field("pr", c.pr);
    out.Field("role", DemoRoleName(c.role));
    out.Field("title", c.title);
    out.Field("main_sha", c.main_commit.ToString());
    WriteOptionalSha(out, "branch_sha", c.branch_commit);
    out.Field("branch_pr", c.branch_pr);
    WriteOptionalSha(out, "revert_sha", c.revert_commit);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.Key("requested_prs");
  out.w().StartArray();
  for (uint64_t pr : r.requested_prs) out.w().Uint64(pr);
  out.w().EndArray();
  out.Key("audit");
  WriteBranchAuditJson(out, d.audit);
  out.Key("requested");
  WritePresenceJson(out, d.presence);
  out.Field("snapshot", d.snapshot.dir);
  out.Key("readiness");
  // Spliced as its own top-level document, as `relkit check --json` prints
  // it (its indentation starts at the left margin): the demo's JSON has
  // always been so, and stays byte for byte.
  std::string readiness = ReadinessJson(d.readiness);
  while (!readiness.empty() && readiness.back() == '\n') readiness.pop_back();
  out.RawValue(readiness);
  if (d.bot_plan) {
    out.Key("cherry_pick_bot");
    out.w().StartObject();
    out.Key("plan");
    std::string plan = CherryPickPlanJson(*d.bot_plan);
    while (!plan.empty() && plan.back() == '\n') plan.pop_back();
    out.RawValue(plan);
    if (d.bot_result) {
      out.Key("result");
      std::string result = CherryPickResultJson(*d.bot_plan, *d.bot_result);
      while (!result.empty() && result.back() == '\n') result.pop_back();
      out.RawValue(result);
    }
    out.Key("github_writes");
    out.w().StartArray();
    for (const std::string& w : d.github_writes) out.w().String(w);
    out.w().EndArray();
    out.Field("rerun_already_applied", d.bot_rerun_already_applied);
    if (d.release_head_after.is_zero()) {
      out.NullField("release_head_before");
      out.NullField("release_head_after");
      out.NullField("rc_after");
    } else {
      out.Field("release_head_before", d.release_head_before.ToString());
      out.Field("release_head_after", d.release_head_after.ToString());
      out.Field("rc_after", d.rc_after);
      out.Key("readiness_after");
      std::string after = ReadinessJson(d.readiness_after);
      while (!after.empty() && after.back() == '\n') after.pop_back();
      out.RawValue(after);
    }
    out.w().EndObject();
  }
  out.Key("findings");
  out.w().StartArray();
  for (const DemoFinding& f : d.findings) {
    out.w().StartObject();
    out.Field("kind", DemoFindingKindName(f.kind));
    out.Field("pr", f.pr);
    out.Field("sha", f.sha.ToString());
    if (f.branch_sha.is_zero()) {
      out.NullField("branch_sha");
    } else {
      out.Field("branch_sha", f.branch_sha.ToString());
    }
    out.Field("text", f.text);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.Key("promotion");
  WritePromotionJson(out, promotion, keep);
  out.w().EndObject();
  out.Print();
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, Context& ctx) {
  struct Args {
    bool json = false;
    bool versions = false;
    std::string keep;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Build a release repository (branch cut, cherry-picks, a revert, an RC "
      "tag) and audit it; no setup needed");
  cmd->add_flag("--json", a->json, "Print the demo's results as JSON");
  cmd->add_option("--keep", a->keep,
                  "Build the repository in DIR (new or empty) and keep it "
                  "(default: a temporary directory, removed)");
  cmd->add_flag("--versions", a->versions,
                "Tour the version and tag model on embedded PyTorch examples "
                "instead");
  cmd->footer(
      "The repository is built through relkit's own git layer; the audit "
      "finds the fix\nthat was never picked, the revert that was not "
      "propagated and the pick that only\nits PR number ties to main.");
  cmd->callback([a, &ctx] {
    if (a->versions) {
      absl::StatusOr<Demo> demo = BuildDemo();
      if (!demo.ok()) {
        ctx.exit_code = ReportError(demo.status());
        return;
      }
      if (a->json) {
        PrintJson(*demo);
      } else {
        PrintText(*demo);
      }
      return;
    }
    absl::StatusOr<DemoRun> run = Run(a->keep);
    if (!run.ok()) {
      ctx.exit_code = ReportError(run.status());
      return;
    }
    if (a->json) {
      PrintReleaseJson(run->demo, run->promotion, a->keep);
    } else {
      PrintReleaseText(run->demo, run->promotion, a->keep);
    }
  });
}

}  // namespace relkit::cli
