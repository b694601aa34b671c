// `relkit build-matrix ...`: the binary build matrix generator, a drop-in for
// test-infra's tools/scripts/generate_binary_build_matrix.py. Its output is
// the script's JSON (`{"include": [...]}`, compact as `json.dumps` prints it)
// since CI workflows consume it; `--text` prints a table for people.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/cli.h"
#include "relkit/build_matrix.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

struct BuildMatrixArgs {
  std::string package_type = "wheel";
  std::string operating_system = "linux";
  std::string channel = "nightly";
  std::string with_cuda = "enable";
  std::string with_rocm = "enable";
  std::string with_cpu = "enable";
  std::string with_xpu = "enable";
  std::string limit_pr_builds = "false";
  std::string use_only_dl_pytorch_org = "false";
  std::string build_python_only = "enable";
  std::string getting_started = "false";
  std::string python_versions = "[]";
  std::string tables;
  bool branch_cut = false;
  bool go_live = false;
  bool show_tables = false;
  bool text = false;
  int indent = 0;
};

absl::StatusOr<BuildMatrix> Tables(const BuildMatrixArgs& a) {
  BuildMatrix m;
  if (a.tables.empty()) {
    m = BuildMatrix::Default();
  } else {
    RELKIT_ASSIGN_OR_RETURN(m, BuildMatrix::Load(a.tables));
  }
  if (a.branch_cut) m = m.BranchCut();
  if (a.go_live) m = m.GoLive();
  return m;
}

absl::StatusOr<BuildMatrixOptions> Options(const BuildMatrixArgs& a) {
  BuildMatrixOptions o;
  RELKIT_ASSIGN_OR_RETURN(o.package_types,
                          ParseBuildPackageTypes(a.package_type));
  RELKIT_ASSIGN_OR_RETURN(o.os, ParseBuildOs(a.operating_system));
  RELKIT_ASSIGN_OR_RETURN(o.channels, ParseBuildChannels(a.channel));
  o.with_cuda = a.with_cuda == "enable";
  o.with_rocm = a.with_rocm == "enable";
  o.with_cpu = a.with_cpu == "enable";
  o.with_xpu = a.with_xpu == "enable";
  o.limit_pr_builds = a.limit_pr_builds == "true";
  o.use_only_dl_pytorch_org = a.use_only_dl_pytorch_org == "true";
  o.build_python_only = a.build_python_only == "enable";
  o.getting_started = a.getting_started == "true";
  RELKIT_ASSIGN_OR_RETURN(o.python_versions,
                          ParsePythonVersionList(a.python_versions));
  return o;
}

absl::Status Run(const BuildMatrixArgs& a) {
  RELKIT_ASSIGN_OR_RETURN(BuildMatrix m, Tables(a));
  if (a.show_tables) {
    std::cout << m.ToJson();
    return absl::OkStatus();
  }
  RELKIT_ASSIGN_OR_RETURN(BuildMatrixOptions o, Options(a));
  RELKIT_ASSIGN_OR_RETURN(std::vector<BuildMatrixEntry> entries,
                          GenerateBuildMatrix(m, o));
  if (a.text) {
    for (const BuildMatrixEntry& e : entries) {
      std::cout << absl::StrFormat("%-44s %-8s %s\n", TextEscape(e.build_name),
                                   TextEscape(e.channel),
                                   TextEscape(e.installation));
    }
    std::cout << entries.size() << " builds\n";
    return absl::OkStatus();
  }
  std::cout << BuildMatrixToJson(entries, a.indent) << "\n";
  return absl::OkStatus();
}

}  // namespace

void RegisterBuildMatrixCommands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BuildMatrixArgs>();
  CLI::App* cmd = app.add_subcommand(
      "build-matrix",
      "Generate the binary build matrix ({\"include\": [...]}) as test-infra's "
      "generate_binary_build_matrix.py does");
  cmd->footer(
      "Defaults are the script's (each option also reads the script's "
      "environment variable). Tables: the embedded state of "
      "pytorch/test-infra@61a77570 unless --tables FILE. docs/build-matrix.md "
      "lists where relkit deliberately differs from the script.");
  const std::vector<std::string> enable_disable = {"enable", "disable"};
  const std::vector<std::string> true_false = {"true", "false"};
  cmd->add_option("--package-type", args->package_type,
                  "wheel, libtorch, all, or a comma-separated list")
      ->envname("PACKAGE_TYPE")
      ->capture_default_str();
  cmd->add_option("--operating-system", args->operating_system,
                  "linux, linux-aarch64, macos, macos-arm64, windows, "
                  "windows-arm64")
      ->envname("OS")
      ->capture_default_str();
  cmd->add_option("--channel", args->channel, "nightly, test, release or all")
      ->envname("CHANNEL")
      ->capture_default_str();
  cmd->add_option("--with-cuda", args->with_cuda, "Build CUDA binaries")
      ->check(CLI::IsMember(enable_disable))
      ->envname("WITH_CUDA")
      ->capture_default_str();
  cmd->add_option("--with-rocm", args->with_rocm, "Build ROCm binaries")
      ->check(CLI::IsMember(enable_disable))
      ->envname("WITH_ROCM")
      ->capture_default_str();
  cmd->add_option("--with-cpu", args->with_cpu, "Build CPU binaries")
      ->check(CLI::IsMember(enable_disable))
      ->envname("WITH_CPU")
      ->capture_default_str();
  cmd->add_option("--with-xpu", args->with_xpu, "Build XPU binaries")
      ->check(CLI::IsMember(enable_disable))
      ->envname("WITH_XPU")
      ->capture_default_str();
  cmd->add_option("--limit-pr-builds", args->limit_pr_builds,
                  "Only the first Python version (pull requests)")
      ->check(CLI::IsMember(true_false))
      ->envname("LIMIT_PR_BUILDS")
      ->capture_default_str();
  cmd->add_option("--use-only-dl-pytorch-org", args->use_only_dl_pytorch_org,
                  "Install commands use download.pytorch.org, never PyPI")
      ->check(CLI::IsMember(true_false))
      ->envname("USE_ONLY_DL_PYTORCH_ORG")
      ->capture_default_str();
  cmd->add_option("--build-python-only", args->build_python_only,
                  "Only the oldest Python (pure-Python packages)")
      ->check(CLI::IsMember(enable_disable))
      ->envname("BUILD_PYTHON_ONLY")
      ->capture_default_str();
  cmd->add_option("--getting-started", args->getting_started,
                  "The Get Started page's view (hidden CUDA removed, one ROCm)")
      ->check(CLI::IsMember(true_false))
      ->envname("GETTING_STARTED")
      ->capture_default_str();
  cmd->add_option("--python-versions", args->python_versions,
                  "JSON list of Python versions (default: the channel's)")
      ->envname("PYTHON_VERSIONS")
      ->capture_default_str();
  cmd->add_option("--tables", args->tables,
                  "Build matrix tables JSON (a test-infra timeline entry)");
  cmd->add_flag("--branch-cut", args->branch_cut,
                "Apply a branch cut to the tables first (candidate := "
                "nightly, test := nightly tables)");
  cmd->add_flag("--go-live", args->go_live,
                "Apply go-live to the tables first (after --branch-cut): "
                "stable := candidate, release := test tables");
  cmd->add_flag("--show-tables", args->show_tables,
                "Print the tables as JSON instead of the matrix");
  cmd->add_option("--indent", args->indent,
                  "Indent the JSON by N spaces (0: compact, as the script)")
      ->check(CLI::Range(0, 16));
  cmd->add_flag("--text", args->text, "Print one line per build");
  cmd->callback([args, &ctx] {
    absl::Status status = Run(*args);
    if (!status.ok()) ctx.exit_code = ReportError(status);
  });
}

}  // namespace relkit::cli
