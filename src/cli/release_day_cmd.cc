// `relkit release-day ...`: the Get Started page data on release day.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/published_versions.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

absl::StatusOr<PublishedVersions> LoadPublished(const std::string& path) {
  RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return PublishedVersions::Parse(text, path);
}

// The release builds: `--builds [OS=]FILE` matrix documents, or the
// generator over the tables (`--matrix` or the embedded ones).
absl::StatusOr<std::vector<MatrixInstall>> LoadBuilds(
    const std::vector<std::string>& build_files, const std::string& tables) {
  if (!build_files.empty()) {
    std::vector<MatrixInstall> out;
    for (const std::string& spec : build_files) {
      std::string os, path = spec;
      if (size_t eq = spec.find('='); eq != std::string::npos) {
        os = spec.substr(0, eq);
        path = spec.substr(eq + 1);
      }
      RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
      RELKIT_ASSIGN_OR_RETURN(std::vector<MatrixInstall> builds,
                              ParseMatrixInstalls(text, path, os));
      out.insert(out.end(), builds.begin(), builds.end());
    }
    return out;
  }
  BuildMatrix matrix = BuildMatrix::Default();
  if (!tables.empty()) {
    RELKIT_ASSIGN_OR_RETURN(matrix, BuildMatrix::Load(tables));
  }
  return GettingStartedBuilds(matrix, BuildChannel::kRelease);
}

void PrintOptional(const std::optional<std::string>& s) {
  std::cout << (s ? "\"" + TextEscape(*s) + "\"" : std::string("(none)"));
}

struct PublishArgs {
  std::string version, published, out, matrix;
  std::vector<std::string> builds;
  bool in_place = false, json = false;
};

absl::Status RunPublish(const PublishArgs& a) {
  RELKIT_ASSIGN_OR_RETURN(PublishedVersions current,
                          LoadPublished(a.published));
  RELKIT_ASSIGN_OR_RETURN(std::vector<MatrixInstall> builds,
                          LoadBuilds(a.builds, a.matrix));
  RELKIT_ASSIGN_OR_RETURN(PublishPlan plan,
                          PlanStableRelease(current, a.version, builds));
  std::string written;
  const std::string target = a.in_place ? a.published : a.out;
  if (!target.empty()) {
    // Atomically: the file the page is built from is never left half
    // written.
    RELKIT_RETURN_IF_ERROR(WriteFileAtomically(target, plan.result.ToJson()));
    written = target;
  }
  if (a.json) {
    JsonOut out;
    out.w().StartObject();
    out.Field("version", plan.version);
    out.Field("added_release", plan.added_release);
    out.Field("latest_stable_before", plan.previous_latest_stable);
    out.Field("latest_stable", plan.result.latest_stable);
    out.Key("columns");
    out.w().StartObject();
    for (const AcceleratorSlot& s : plan.slots) {
      out.Key(s.key);
      out.w().StartArray();
      out.String(s.gpu_arch_type);
      out.String(s.gpu_arch_version);
      out.w().EndArray();
    }
    out.w().EndObject();
    out.Key("changes");
    out.w().StartArray();
    for (const CellChange& c : plan.changes) {
      out.w().StartObject();
      out.Field("release", c.release);
      out.Field("os", c.os);
      out.Field("package_manager", c.package_manager);
      out.Field("accelerator", c.accelerator);
      out.Field("field", c.field);
      out.Field("before", c.before);
      out.Field("after", c.after);
      out.w().EndObject();
    }
    out.w().EndArray();
    out.Key("warnings");
    out.w().StartArray();
    for (const std::string& w : plan.warnings) out.String(w);
    out.w().EndArray();
    out.Key("written");
    if (written.empty()) {
      out.w().Null();
    } else {
      out.String(written);
    }
    out.w().EndObject();
    out.Print();
    return absl::OkStatus();
  }
  std::cout << "publish " << TextEscape(plan.version) << ": "
            << (plan.added_release ? "add the release (a copy of preview)"
                                   : "update the existing release")
            << "; latest_stable " << TextEscape(current.latest_stable);
  if (plan.latest_stable_changed) {
    std::cout << " -> " << TextEscape(plan.result.latest_stable);
  } else {
    std::cout << " (unchanged)";
  }
  std::cout << "\ncolumns:";
  for (const AcceleratorSlot& s : plan.slots) {
    std::cout << " " << TextEscape(s.key) << "=" << TextEscape(s.gpu_arch_type)
              << (s.gpu_arch_version.empty()
                      ? ""
                      : " " + TextEscape(s.gpu_arch_version));
  }
  std::cout << "\nchanges (" << plan.changes.size() << "):\n";
  for (const CellChange& c : plan.changes) {
    std::cout << "  " << TextEscape(c.os) << "/"
              << TextEscape(c.package_manager) << "/"
              << TextEscape(c.accelerator) << " " << TextEscape(c.field)
              << "\n    - ";
    PrintOptional(c.before);
    std::cout << "\n    + ";
    PrintOptional(c.after);
    std::cout << "\n";
  }
  if (!plan.warnings.empty()) {
    std::cout << "warnings (" << plan.warnings.size() << "):\n";
    for (const std::string& w : plan.warnings) {
      std::cout << "  " << TextEscape(w) << "\n";
    }
  }
  if (written.empty()) {
    std::cout << "nothing written (pass --out FILE, or --in-place to update "
              << TextEscape(a.published) << ")\n";
  } else {
    std::cout << "wrote " << TextEscape(written) << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterReleaseDayCommands(CLI::App& app, Context& ctx) {
  CLI::App* day = app.add_subcommand("release-day",
                                     "Release day: the Get Started page data");
  day->require_subcommand(1);

  auto args = std::make_shared<PublishArgs>();
  CLI::App* publish = day->add_subcommand(
      "publish",
      "Add a stable release to published_versions.json from the release "
      "build matrix");
  publish->footer(
      "Prints the plan (changed cells, warnings). Writes only with --out FILE\n"
      "or --in-place. Builds come from --builds [OS=]FILE (build-matrix JSON\n"
      "documents, repeatable) or else from the release channel of the tables\n"
      "(--matrix FILE, default: the embedded tables).");
  publish->add_option("--version", args->version, "The release, e.g. 2.5.0")
      ->required();
  publish
      ->add_option("--published-versions", args->published,
                   "The current published_versions.json")
      ->required();
  CLI::Option* out =
      publish->add_option("--out", args->out, "Write the new file here");
  publish
      ->add_flag("--in-place", args->in_place,
                 "Overwrite the --published-versions file")
      ->excludes(out);
  publish->add_option("--matrix", args->matrix, "Build matrix tables JSON");
  publish->add_option("--builds", args->builds,
                      "Build matrix output ({\"include\": [...]}), optionally "
                      "prefixed by its OS (linux=, windows=, macos=)");
  publish->add_flag("--json", args->json, "Print the plan as JSON");
  publish->callback([args, &ctx] {
    absl::Status status = RunPublish(*args);
    if (!status.ok()) ctx.exit_code = ReportError(status);
  });

  struct QuickArgs {
    std::string published, out;
  };
  auto qargs = std::make_shared<QuickArgs>();
  CLI::App* quick = day->add_subcommand(
      "quick-start",
      "Print the quick-start module data (install matrix) as JSON");
  quick
      ->add_option("--published-versions", qargs->published,
                   "published_versions.json")
      ->required();
  quick->add_option("--out", qargs->out, "Write the JSON here");
  quick->callback([qargs, &ctx] {
    absl::StatusOr<PublishedVersions> pv = LoadPublished(qargs->published);
    if (!pv.ok()) {
      ctx.exit_code = ReportError(pv.status());
      return;
    }
    absl::StatusOr<std::string> json = QuickStartModuleJson(*pv);
    if (!json.ok()) {
      ctx.exit_code = ReportError(json.status());
      return;
    }
    if (qargs->out.empty()) {
      std::cout << *json << "\n";
      return;
    }
    absl::Status status = WriteFileAtomically(qargs->out, *json + "\n");
    if (!status.ok()) ctx.exit_code = ReportError(status);
  });
}

}  // namespace relkit::cli
