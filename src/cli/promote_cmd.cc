// `relkit promote`: the promotion plan from a test channel to the release
// channel, printed (text, --json, --markdown FILE). Applying it (--execute)
// is not built yet and is refused.

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cli/cli.h"
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"
#include "relkit/release_versions.h"
#include "relkit/reports.h"
#include "relkit/s3_store.h"
#include "relkit/status.h"

namespace relkit::cli {
namespace {

struct PromoteArgs {
  std::string versions;
  std::vector<std::string> packages;
  std::string from;
  std::string to;
  std::string endpoint_url;
  std::string markdown;
  std::string matrix;
  bool allow_incomplete = false;
  bool json = false;
  bool execute = false;
};

// A store opened from a --from/--to URL, and the prefix inside it.
struct OpenedStore {
  std::unique_ptr<ObjectStore> store;
  std::string prefix;
};

// `file://DIR[//PREFIX]` (relkit::ParseLocalUrl).
absl::StatusOr<OpenedStore> OpenLocal(absl::string_view url) {
  RELKIT_ASSIGN_OR_RETURN(LocalLocation where, ParseLocalUrl(url));
  // LocalStore::Open creates a missing directory; a plan must not.
  std::error_code error;
  if (!std::filesystem::is_directory(where.directory, error)) {
    return absl::NotFoundError(absl::StrCat(
        "\"", url, "\": directory \"", where.directory, "\" does not exist"));
  }
  RELKIT_ASSIGN_OR_RETURN(LocalStore store, LocalStore::Open(where.directory));
  return OpenedStore{std::make_unique<LocalStore>(std::move(store)),
                     std::move(where.prefix)};
}

absl::StatusOr<OpenedStore> OpenS3(absl::string_view url,
                                   const std::string& endpoint_url) {
  RELKIT_ASSIGN_OR_RETURN(S3Location where, ParseS3Url(url));
  RELKIT_ASSIGN_OR_RETURN(S3Credentials credentials,
                          S3Credentials::FromEnvironment());
  RELKIT_ASSIGN_OR_RETURN(
      std::unique_ptr<S3Store> store,
      S3Store::Create({.bucket = where.bucket,
                       .endpoint_url = endpoint_url,
                       .credentials = std::move(credentials)}));
  return OpenedStore{std::move(store), std::move(where.prefix)};
}

absl::StatusOr<OpenedStore> OpenStore(absl::string_view option,
                                      absl::string_view url,
                                      const std::string& endpoint_url) {
  if (absl::StartsWith(url, "file://")) {
    return OpenLocal(url);
  }
  if (absl::StartsWith(url, "s3://")) return OpenS3(url, endpoint_url);
  return absl::InvalidArgumentError(absl::StrCat(
      option, " \"", url,
      "\": expected file://DIR[//PREFIX] or s3://BUCKET[/PREFIX]"));
}

int Run(const PromoteArgs& a) {
  if (a.execute) {
    return ReportError(absl::InvalidArgumentError(
        "--execute is not implemented yet: see docs/promotion.md; relkit "
        "promote only prints the plan for now and nothing was changed"));
  }
  // Checked here rather than by CLI11 so that --execute is refused with its
  // own message whatever else is missing.
  for (const auto& [name, value] :
       {std::pair<absl::string_view, const std::string*>{"--versions",
                                                         &a.versions},
        {"--from", &a.from},
        {"--to", &a.to}}) {
    if (value->empty()) {
      return ReportError(
          absl::InvalidArgumentError(absl::StrCat(name, " is required")));
    }
  }
  absl::StatusOr<std::string> text = ReadFile(a.versions);
  if (!text.ok()) return ReportError(text.status());
  absl::StatusOr<ReleaseVersionsFile> file =
      ReleaseVersionsFile::Parse(*text, a.versions);
  if (!file.ok()) return ReportError(file.status());
  absl::StatusOr<OpenedStore> from =
      OpenStore("--from", a.from, a.endpoint_url);
  if (!from.ok()) return ReportError(from.status());
  absl::StatusOr<OpenedStore> to = OpenStore("--to", a.to, a.endpoint_url);
  if (!to.ok()) return ReportError(to.status());
  // The coverage check of `relkit wheels check`, with the same matrix.
  BuildMatrix matrix = BuildMatrix::Default();
  if (!a.matrix.empty()) {
    absl::StatusOr<BuildMatrix> loaded = BuildMatrix::Load(a.matrix);
    if (!loaded.ok()) return ReportError(loaded.status());
    matrix = *std::move(loaded);
  }
  absl::StatusOr<std::vector<ExpectedWheel>> expected =
      ExpectedWheels(matrix, BuildChannel::kRelease);
  if (!expected.ok()) return ReportError(expected.status());
  absl::StatusOr<PromotionPlan> plan =
      PlanPromotion(file->ToReleaseSet(),
                    {.store = from->store.get(), .prefix = from->prefix},
                    {.store = to->store.get(), .prefix = to->prefix},
                    {.packages = a.packages,
                     .expected_torch_wheels = *std::move(expected),
                     .allow_incomplete = a.allow_incomplete});
  if (!plan.ok()) return ReportError(plan.status());
  if (!a.markdown.empty()) {
    absl::Status written =
        WriteFileAtomically(a.markdown, PromotionPlanMarkdown(*plan));
    if (!written.ok()) return ReportError(written);
  }
  std::cout << (a.json ? PromotionPlanJson(*plan) : PromotionPlanText(*plan));
  return plan->ok() ? kExitOk : kExitProblems;
}

}  // namespace

void RegisterPromoteCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<PromoteArgs>();
  CLI::App* cmd = app.add_subcommand(
      "promote",
      "Plan the promotion of a release set from a test channel to the "
      "release channel (dry run: changes nothing)");
  cmd->add_option("--versions", a->versions,
                  "release_versions.sh naming the packages and versions "
                  "(required)");
  cmd->add_option("--package", a->packages,
                  "Promote only this package (repeatable; 'libtorch' takes "
                  "torch's version). Default: every package of the set");
  cmd->add_option("--from", a->from,
                  "Source: file://DIR[//PREFIX] or s3://BUCKET[/PREFIX] "
                  "(e.g. s3://pytorch/whl/test; required)");
  cmd->add_option("--to", a->to,
                  "Destination: file://DIR[//PREFIX] or s3://BUCKET[/PREFIX] "
                  "(e.g. s3://pytorch/whl; required)");
  cmd->add_option("--endpoint-url", a->endpoint_url,
                  "S3 endpoint for s3:// URLs (default: $AWS_ENDPOINT_URL_S3, "
                  "else $AWS_ENDPOINT_URL, else AWS)");
  cmd->add_flag("--allow-incomplete", a->allow_incomplete,
                "Let the plan promote torch although the test channel lacks "
                "wheels the build matrix expects (reported as warnings)");
  cmd->add_option("--matrix", a->matrix,
                  "Build matrix JSON for the coverage check (default: the "
                  "embedded one, as relkit wheels check)");
  cmd->add_flag("--json", a->json, "Print the plan as JSON");
  cmd->add_option("--markdown", a->markdown,
                  "Also write a Markdown summary for the release tracker to "
                  "FILE");
  cmd->add_flag("--execute", a->execute,
                "Not implemented yet: refused with exit 2 (see "
                "docs/promotion.md)");
  cmd->footer(
      "Lists the source, selects each package version's files by parsed name "
      "(never by\nglob), compares them with the destination and prints every "
      "object to copy,\nwhat is already there and the problems. Nothing is "
      "copied or written (except\n--markdown FILE).\n"
      "Refused in the plan (exit 1): a pre-release version (\"must be a GA "
      "version\"),\na requested package with no file in the source, a "
      "destination key holding other\ncontent, release_versions.sh problems, "
      "torch wheels the build matrix expects\nbut the source lacks (unless "
      "--allow-incomplete). "
      "S3 credentials: AWS_ACCESS_KEY_ID,\nAWS_SECRET_ACCESS_KEY, "
      "AWS_SESSION_TOKEN; region AWS_REGION.\n"
      "Exit status: 0 plan ok, 1 plan has errors, 2 bad usage or input, 3 a "
      "store could\nnot be read.");
  cmd->callback([a, &ctx] { ctx.exit_code = Run(*a); });
}

}  // namespace relkit::cli
