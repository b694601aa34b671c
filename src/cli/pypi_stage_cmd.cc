// `relkit pypi stage` and `relkit pypi validate`: the staging plan (applied
// with --execute) and the validation of the staging set
// (relkit/pypi_stage.h, relkit/pypi_validate.h).

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/pypi_cmd.h"
#include "cli/store_url.h"
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/pypi_stage.h"
#include "relkit/pypi_stage_report.h"
#include "relkit/pypi_staging.h"
#include "relkit/pypi_validate.h"
#include "relkit/release_versions.h"
#include "relkit/status.h"
#include "relkit/support_policy.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

// What makes the rule: shared by both commands.
struct RuleArgs {
  std::string versions;
  std::vector<std::string> packages;
  std::string date;
  std::string build_matrix;
  std::string stable_cuda;
  std::string endpoint_url;
  bool json = false;
};

struct StageArgs {
  RuleArgs rule;
  std::vector<std::string> from;
  std::string to;
  std::vector<std::string> remove_classifiers;
  bool keep_classifiers = false;
  bool overwrite = false;
  bool execute = false;
};

struct ValidateArgs {
  RuleArgs rule;
  std::string staging;
  std::vector<std::string> platforms;
  // Doubles, checked by PypiSizeOptionBytes: an unsigned option took "-5"
  // and wrapped it to a huge limit.
  double max_file_mb = 1000;
  double warn_file_mb = 850;
  double quota_gb = 10;
  std::string index_url;
};

// Test only: milliseconds of pause before each file of --execute.
constexpr char kTestDelayVar[] = "RELKIT_TEST_STAGE_DELAY_MS";

bool IsIndexPage(absl::string_view from) {
  return absl::StartsWith(from, "http://") ||
         absl::StartsWith(from, "https://") || absl::EndsWith(from, ".html") ||
         absl::EndsWith(from, ".json");
}

// A plain directory path is a file:// store.
std::string StoreUrl(absl::string_view url) {
  if (absl::StrContains(url, "://")) return std::string(url);
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(std::string(url), ec);
  return absl::StrCat("file://", ec ? std::string(url) : abs.string());
}

struct Loaded {
  ReleaseSet release;
  PypiStagingRule rule;
};

absl::StatusOr<Loaded> Load(const RuleArgs& a) {
  if (a.versions.empty()) {
    return absl::InvalidArgumentError("--versions is required");
  }
  RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(a.versions));
  RELKIT_ASSIGN_OR_RETURN(ReleaseVersionsFile file,
                          ReleaseVersionsFile::Parse(text, a.versions));
  BuildMatrix matrix = BuildMatrix::Default();
  if (!a.build_matrix.empty()) {
    RELKIT_ASSIGN_OR_RETURN(matrix, BuildMatrix::Load(a.build_matrix));
  }
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  if (!a.date.empty() && !absl::ParseCivilTime(a.date, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--date \"", a.date, "\" is not YYYY-MM-DD"));
  }
  RELKIT_ASSIGN_OR_RETURN(SupportPolicy policy, SupportPolicy::Default());
  RELKIT_ASSIGN_OR_RETURN(
      PypiStagingRule rule,
      MakePypiStagingRule(matrix, policy, day, {.stable_cuda = a.stable_cuda}));
  return Loaded{file.ToReleaseSet(), std::move(rule)};
}

void AddRuleOptions(CLI::App* cmd, RuleArgs& a) {
  cmd->add_option("--versions", a.versions,
                  "release_versions.sh naming the packages and versions "
                  "(required)");
  cmd->add_option("--package", a.packages,
                  "Only this package (repeatable). Default: every package of "
                  "the set");
  cmd->add_option("--date", a.date,
                  "Release day YYYY-MM-DD (default: today, UTC): a CPython "
                  "whose first final release is later is a pre-release");
  cmd->add_option("--build-matrix", a.build_matrix,
                  "Build matrix JSON (default: the embedded one): its release "
                  "channel gives the stable CUDA and the Pythons");
  cmd->add_option("--stable-cuda", a.stable_cuda,
                  "Override the stable CUDA (\"13.0\" -> +cu130 for Linux)");
  cmd->add_option("--endpoint-url", a.endpoint_url,
                  "S3 endpoint for s3:// URLs (default: $AWS_ENDPOINT_URL_S3, "
                  "else $AWS_ENDPOINT_URL, else AWS)");
  cmd->add_flag("--json", a.json, "Print JSON");
}

int RunStage(const StageArgs& a) {
  if (a.from.empty() || a.to.empty()) {
    return ReportError(
        absl::InvalidArgumentError("--from and --to are required"));
  }
  absl::StatusOr<Loaded> loaded = Load(a.rule);
  if (!loaded.ok()) return ReportError(loaded.status());
  PypiStageSource source;
  std::optional<OpenedStore> from_store;
  if (a.from.size() == 1 && !IsIndexPage(a.from[0])) {
    absl::StatusOr<OpenedStore> opened =
        OpenStore("--from", StoreUrl(a.from[0]), a.rule.endpoint_url);
    if (!opened.ok()) return ReportError(opened.status());
    from_store = *std::move(opened);
    source.store = from_store->store.get();
    source.prefix = from_store->prefix;
  } else {
    for (const std::string& f : a.from) {
      if (!IsIndexPage(f)) {
        return ReportError(absl::InvalidArgumentError(absl::StrCat(
            "--from \"", f,
            "\": several --from must all be index pages (http(s) URLs or "
            ".html/.json files)")));
      }
      source.index_pages.push_back(f);
    }
  }
  absl::StatusOr<OpenedStore> to = OpenStore(
      "--to", StoreUrl(a.to), a.rule.endpoint_url, CredentialsFrom::kAws,
      a.execute ? MissingDirectory::kCreate : MissingDirectory::kRefuse);
  if (!to.ok()) return ReportError(to.status());
  PypiStageOptions options{.packages = a.rule.packages,
                           .overwrite = a.overwrite};
  if (a.keep_classifiers) {
    options.remove_classifiers = std::vector<std::string>{};
  } else if (!a.remove_classifiers.empty()) {
    options.remove_classifiers = a.remove_classifiers;
  }
  TerminalProgress progress(!a.rule.json);
  progress.Show("reading the test channel and the staging store");
  absl::StatusOr<PypiStagePlan> plan =
      PlanPypiStage(loaded->release, loaded->rule, source,
                    {.store = to->store.get(), .prefix = to->prefix}, options);
  progress.Clear();
  if (!plan.ok()) return ReportError(plan.status());
  if (!a.execute) {
    std::cout << (a.rule.json ? PypiStagePlanJson(*plan)
                              : PypiStagePlanText(*plan));
    return plan->ok() ? kExitOk : kExitProblems;
  }
  if (!plan->ok()) {
    std::cout << (a.rule.json ? PypiStagePlanJson(*plan)
                              : PypiStagePlanText(*plan));
    return ReportError(absl::FailedPreconditionError(
        absl::StrCat("--execute refused: the plan has ", plan->error_count(),
                     " errors; nothing was staged")));
  }
  int delay_ms = 0;
  if (const char* d = std::getenv(kTestDelayVar); d != nullptr) {
    if (!absl::SimpleAtoi(d, &delay_ms) || delay_ms < 0) delay_ms = 0;
  }
  PypiStageApplyOptions apply{.delay_per_file = absl::Milliseconds(delay_ms)};
  if (progress.enabled()) {
    apply.progress = [&progress](const PypiStageProgress& p) {
      progress.Show(absl::StrCat("stage ", p.done, "/", p.total, " ", p.step,
                                 " ", TextEscape(p.key)));
    };
  }
  absl::StatusOr<PypiStageResult> result =
      ApplyPypiStage(*plan, source.store, *to->store, apply);
  progress.Clear();
  if (!result.ok()) return ReportError(result.status());
  if (a.rule.json) {
    std::cout << PypiStageExecuteJson(*plan, *result);
  } else {
    std::cout << PypiStagePlanText(*plan) << PypiStageResultText(*result);
  }
  if (!result->ok()) {
    const PypiStageFailure& f = result->failed.front();
    std::cerr << "relkit: error: " << TextEscape(f.key) << ": "
              << TextEscape(f.status.message())
              << "\nrelkit: rerun the same command to resume\n";
    return kExitFailure;
  }
  return kExitOk;
}

int RunValidate(const ValidateArgs& a) {
  if (a.staging.empty()) {
    return ReportError(absl::InvalidArgumentError("--staging is required"));
  }
  absl::StatusOr<uint64_t> max_file =
      PypiSizeOptionBytes(a.max_file_mb, kMegabyte, "--max-file-mb");
  if (!max_file.ok()) return ReportError(max_file.status());
  absl::StatusOr<uint64_t> warn_file =
      PypiSizeOptionBytes(a.warn_file_mb, kMegabyte, "--warn-file-mb");
  if (!warn_file.ok()) return ReportError(warn_file.status());
  absl::StatusOr<uint64_t> quota =
      PypiSizeOptionBytes(a.quota_gb, uint64_t{1} << 30, "--project-quota-gb");
  if (!quota.ok()) return ReportError(quota.status());
  if (*warn_file > *max_file) {
    return ReportError(absl::InvalidArgumentError(
        "--warn-file-mb must not exceed --max-file-mb"));
  }
  absl::StatusOr<Loaded> loaded = Load(a.rule);
  if (!loaded.ok()) return ReportError(loaded.status());
  absl::StatusOr<OpenedStore> staging =
      OpenStore("--staging", StoreUrl(a.staging), a.rule.endpoint_url);
  if (!staging.ok()) return ReportError(staging.status());
  PypiValidateOptions options{.pythons = loaded->rule.pythons,
                              .packages = a.rule.packages,
                              .max_file_bytes = *max_file,
                              .warn_file_bytes = *warn_file,
                              .quota_bytes = *quota,
                              .index_url = a.index_url};
  if (!a.platforms.empty()) options.platforms = a.platforms;
  TerminalProgress progress(!a.rule.json);
  if (progress.enabled()) {
    options.progress = [&progress](size_t done, size_t, const std::string& k) {
      progress.Show(absl::StrCat("validate ", done + 1, " ", TextEscape(k)));
    };
  }
  absl::StatusOr<PypiValidation> v = ValidatePypiStaging(
      loaded->release, *staging->store, staging->prefix, options);
  progress.Clear();
  if (!v.ok()) return ReportError(v.status());
  std::cout << (a.rule.json ? PypiValidationJson(*v) : PypiValidationText(*v));
  return v->ok() ? kExitOk : kExitProblems;
}

}  // namespace

void AddPypiStageCommands(CLI::App& pypi, Context& ctx) {
  auto s = std::make_shared<StageArgs>();
  CLI::App* stage = pypi.add_subcommand(
      "stage",
      "Select a release's wheels for PyPI from a test channel and stage them, "
      "rewritten, in a staging store (a plan unless --execute)");
  AddRuleOptions(stage, s->rule);
  stage->add_option(
      "--from", s->from,
      "The test channel: a store (s3://BUCKET/whl/test/, file:///DIR, a "
      "directory) listed recursively, or index pages (http(s):// URLs or "
      ".html/.json files; repeatable; {package} and {acc} expand to each "
      "package and to the stable CUDA label and cpu, e.g. "
      "https://download.pytorch.org/whl/test/{acc}/{package}/) (required)");
  stage->add_option("--to", s->to,
                    "The staging store root (s3://BUCKET[/PREFIX], "
                    "file:///DIR, a directory): files go to "
                    "<package>-<version>-pypi-staging/ under it (required)");
  stage->add_option("--remove-classifier", s->remove_classifiers,
                    "Classifier the rewrite drops (repeatable; default: "
                    "\"Programming Language :: Python :: X.Y\" of each "
                    "pre-release CPython)");
  stage->add_flag("--keep-classifiers", s->keep_classifiers,
                  "Drop no classifier");
  stage->add_flag("--overwrite", s->overwrite,
                  "Replace staged files made from another source (otherwise a "
                  "conflict refuses the plan)");
  stage->add_flag("--execute", s->execute,
                  "Stage: download, check the sha256 against the published "
                  "one, rewrite, put, verify; safe to rerun and to kill");
  stage->footer(
      "The rule: Linux x86_64/aarch64 take the stable CUDA build of the build "
      "matrix's\nrelease channel (+cu130), Windows +cpu, macOS arm64 the "
      "unlabelled build,\npure-Python wheels as they are; Pythons that are "
      "pre-releases on --date,\nother accelerators, other platforms and "
      "duplicates are left out, each with its\nreason. Staged objects carry "
      "checksum-sha256 and relkit-source-sha256.\n"
      "Exit status: 0 plan ok / staged / already applied, 1 the plan has "
      "errors (dry\nrun), 2 bad usage or input or --execute refused, 3 a "
      "download, sha256 check,\nrewrite or store failed (rerun to resume).");
  stage->callback([s, &ctx] { ctx.exit_code = RunStage(*s); });

  auto v = std::make_shared<ValidateArgs>();
  CLI::App* validate = pypi.add_subcommand(
      "validate",
      "Check a PyPI staging set: expected files, versions, metadata agreement "
      "across wheels, RECORD, sizes and the project quota");
  AddRuleOptions(validate, v->rule);
  validate->add_option("--staging", v->staging,
                       "The staging store root (as `pypi stage --to`; "
                       "required)");
  validate->add_option("--platform", v->platforms,
                       "Expected platform tag (repeatable; default: "
                       "manylinux_2_28_x86_64, manylinux_2_28_aarch64, "
                       "win_amd64, macosx_11_0_arm64)");
  validate->add_option("--max-file-mb", v->max_file_mb,
                       "PyPI's per-file limit in MB of 10^6 bytes (default "
                       "1000)");
  validate->add_option("--warn-file-mb", v->warn_file_mb,
                       "Size threshold in MB (default 850, as "
                       "validate_binaries.sh); a file above it is an error");
  validate->add_option("--project-quota-gb", v->quota_gb,
                       "The project's quota in GiB (default 10, PyPI's "
                       "default)");
  validate->add_option("--index-url", v->index_url,
                       "PEP 691 index whose `size` fields give the project's "
                       "current total (e.g. https://pypi.org/simple/)");
  validate->footer(
      "Expected: one wheel per Python of the release channel (minus "
      "pre-releases on\n--date) and platform, cpXY-cpXY / cpXY-cpXYt ABI "
      "tags; a package whose staged\nwheels are all none-any expects the one "
      "py3-none-any wheel.\nExit status: 0 valid, 1 problems found, 2 bad "
      "usage or input, 3 a store or\nthe index failed.");
  validate->callback([v, &ctx] { ctx.exit_code = RunValidate(*v); });
}

}  // namespace relkit::cli
