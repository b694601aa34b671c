// `relkit index regenerate`: the PEP 503 index.html pages of a channel's
// packages, planned (which pages would change) and written with --execute.

#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli/cli.h"
#include "cli/store_url.h"
#include "relkit/package_index.h"
#include "relkit/package_index_page.h"

namespace relkit::cli {
namespace {

struct IndexArgs {
  std::string store;
  std::vector<std::string> packages;
  std::string endpoint_url;
  bool no_compute = false;
  bool json = false;
  bool execute = false;
};

int Run(const IndexArgs& a) {
  if (a.store.empty()) {
    return ReportError(absl::InvalidArgumentError("--store is required"));
  }
  if (a.packages.empty()) {
    return ReportError(
        absl::InvalidArgumentError("--package is required (repeatable)"));
  }
  StoreUrls stores(a.endpoint_url);
  absl::StatusOr<PromotionLocation> where = stores.Open("--store", a.store);
  if (!where.ok()) return ReportError(where.status());
  const IndexOptions options{.compute_missing_sha256 = !a.no_compute};
  absl::StatusOr<IndexPlan> plan =
      PlanIndexes(*where->store, where->prefix, a.packages, options);
  if (!plan.ok()) return ReportError(plan.status());
  RenderIndexPlan(*plan);
  if (a.execute) {
    absl::StatusOr<IndexResult> done =
        ApplyIndexPlan(*where->store, *plan, options);
    if (!done.ok()) return ReportError(done.status());
  }
  std::cout << (a.json ? IndexPlanJson(*plan, a.execute)
                       : IndexPlanText(*plan, a.execute));
  return kExitOk;
}

}  // namespace

void RegisterIndexCommands(CLI::App& app, Context& ctx) {
  CLI::App* index =
      app.add_subcommand("index", "PEP 503 index pages of a download channel");
  index->require_subcommand(1);
  auto a = std::make_shared<IndexArgs>();
  CLI::App* cmd = index->add_subcommand(
      "regenerate",
      "Regenerate the index.html pages of packages under a prefix (dry run: "
      "shows which pages would change)");
  cmd->add_option("--store", a->store,
                  "The channel: file://DIR[//PREFIX] or s3://BUCKET/PREFIX, "
                  "e.g. s3://pytorch/whl (required)");
  cmd->add_option("--package", a->packages,
                  "A package whose pages to regenerate (repeatable; "
                  "required)");
  cmd->add_option("--endpoint-url", a->endpoint_url,
                  "S3 endpoint for s3:// URLs (default: $AWS_ENDPOINT_URL_S3, "
                  "else $AWS_ENDPOINT_URL, else AWS)");
  cmd->add_flag("--no-compute-sha256", a->no_compute,
                "Do not read objects without checksum-sha256 metadata to "
                "hash them (their links get no #sha256=)");
  cmd->add_flag("--json", a->json, "Print the plan as JSON");
  cmd->add_flag("--execute", a->execute,
                "Write the new and changed pages (default: change nothing)");
  cmd->footer(
      "Pages: <prefix><folder>/<package>/index.html for each folder holding "
      "the\npackage's wheels, and <prefix><package>/index.html across "
      "folders; links\n/<key>#sha256=<hex> from checksum-sha256 metadata "
      "(computed when missing).\nUnchanged pages are not rewritten. Exit "
      "status: 0 ok, 2 bad usage or input,\n3 a store failed.");
  cmd->callback([a, &ctx] { ctx.exit_code = Run(*a); });
}

}  // namespace relkit::cli
