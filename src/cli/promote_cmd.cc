// `relkit promote`: the promotion plan from a test channel to the release
// channel, printed (text, --json, --markdown FILE), and applied with
// --execute (relkit/promotion_apply.h: copies, verification, journal,
// mirror).

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
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/store_url.h"
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
#include "relkit/package_index.h"
#include "relkit/package_index_page.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"
#include "relkit/release_versions.h"
#include "relkit/reports.h"
#include "relkit/s3_store.h"
#include "relkit/sha256_digest.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

struct PromoteArgs {
  std::string versions;
  std::vector<std::string> packages;
  std::string from;
  std::string to;
  std::string endpoint_url;
  std::string mirror;
  std::string mirror_endpoint;
  std::string journal;
  std::string markdown;
  std::string matrix;
  int jobs = 4;
  bool allow_incomplete = false;
  bool overwrite = false;
  bool json = false;
  bool execute = false;
  bool no_index = false;
};

// Test only: milliseconds of pause before each object's copy, so that a
// test can kill a run in the middle.
constexpr char kTestDelayVar[] = "RELKIT_TEST_COPY_DELAY_MS";

// Heads in flight while planning (per store). Against moto on 2 busy cores
// this measured no faster than one at a time (docs/performance.md); against
// S3, where a Head waits on the network, it is meant to divide the Heads'
// time, which is not measured yet.
constexpr int kPlanHeadJobs = 16;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// Regenerates the index pages of the promoted packages at the destination
// (relkit/package_index_page.h). Only wheels have pages: a libtorch
// promotion's packages have no wheel there and get none.
absl::StatusOr<IndexResult> RegeneratePromotedIndexes(
    const PromoteArgs& a, const PromotionPlan& plan) {
  RELKIT_ASSIGN_OR_RETURN(OpenedStore to,
                          OpenStore("--to", a.to, a.endpoint_url));
  std::vector<std::string> packages;
  for (const PromotionPackage& p : plan.packages) {
    if (!p.not_ga && p.found > 0) packages.push_back(p.package);
  }
  if (packages.empty()) return IndexResult{};
  return RegenerateIndexes(*to.store, to.prefix, packages);
}

// The default journal: one file per plan identity under the user's cache
// directory (as the patch-id cache: $XDG_CACHE_HOME/relkit/promotions or
// ~/.cache/relkit/promotions).
absl::StatusOr<std::string> JournalPath(const PromoteArgs& a,
                                        const PromotionPlan& plan) {
  if (!a.journal.empty()) return a.journal;
  const std::string dir = UserCacheDir("promotions");
  if (dir.empty()) {
    return absl::FailedPreconditionError(
        "no cache directory ($XDG_CACHE_HOME and $HOME are unset): name the "
        "journal with --journal FILE");
  }
  return absl::StrCat(
      dir, "/", Sha256Hex(PromotionPlanIdentity(plan)).substr(0, 24), ".jsonl");
}

int Execute(const PromoteArgs& a, const PromotionPlan& plan) {
  if (!plan.ok()) {
    std::cout << (a.json ? PromotionPlanJson(plan) : PromotionPlanText(plan));
    std::string conflicts;
    for (const PromotionProblem& p : plan.problems) {
      if (p.kind == PromotionProblemKind::kConflict &&
          p.severity == ProblemSeverity::kError) {
        absl::StrAppend(&conflicts, conflicts.empty() ? "" : ", ", "\"", p.key,
                        "\"");
      }
    }
    return ReportError(absl::FailedPreconditionError(absl::StrCat(
        "--execute refused: the plan has ", plan.error_count(),
        " errors; nothing was copied",
        conflicts.empty()
            ? ""
            : absl::StrCat("; conflicts (use --overwrite to replace them): ",
                           conflicts))));
  }
  absl::StatusOr<std::string> journal = JournalPath(a, plan);
  if (!journal.ok()) return ReportError(journal.status());
  int delay_ms = 0;
  if (const std::string d = Env(kTestDelayVar); !d.empty()) {
    if (!absl::SimpleAtoi(d, &delay_ms) || delay_ms < 0) delay_ms = 0;
  }
  TerminalProgress progress(!a.json);
  PromotionApplyOptions options{
      .journal_path = *journal,
      .jobs = a.jobs,
      .delay_per_object = absl::Milliseconds(delay_ms)};
  if (progress.enabled()) {
    options.progress = [&progress](const PromotionProgress& p) {
      progress.Show(absl::StrCat("promote ", p.done, "/", p.total, " ",
                                 TextEscape(p.key)));
    };
  }
  const PromotionStores stores{
      .source =
          Factory("--from", a.from, a.endpoint_url, CredentialsFrom::kAws),
      .destination =
          Factory("--to", a.to, a.endpoint_url, CredentialsFrom::kAws),
      .mirror = a.mirror.empty()
                    ? ObjectStoreFactory()
                    : Factory("--mirror", a.mirror, a.mirror_endpoint,
                              CredentialsFrom::kMirror)};
  absl::StatusOr<PromotionResult> result =
      ApplyPromotion(plan, stores, options);
  progress.Clear();
  if (!result.ok()) return ReportError(result.status());
  // The PEP 503 pages of the promoted packages, with #sha256= fragments,
  // after every complete run (an "already applied" rerun included: it
  // finishes a run killed between its copies and its pages, and writes
  // nothing when the pages are current).
  std::optional<IndexResult> indexes;
  if (result->ok() && !a.no_index) {
    absl::StatusOr<IndexResult> regenerated =
        RegeneratePromotedIndexes(a, plan);
    if (!regenerated.ok()) {
      std::cout << (a.json ? PromotionExecuteJson(plan, *result)
                           : PromotionResultText(plan, *result));
      std::cerr << "relkit: error: the copies are done, but the index pages "
                   "were not regenerated: "
                << TextEscape(regenerated.status().message())
                << "\nrelkit: rerun the same command to write them\n";
      return kExitFailure;
    }
    indexes = *std::move(regenerated);
  }
  if (!a.markdown.empty()) {
    absl::Status written =
        WriteFileAtomically(a.markdown, PromotionResultMarkdown(plan, *result));
    if (!written.ok()) return ReportError(written);
  }
  if (a.json) {
    std::cout << PromotionExecuteJson(plan, *result,
                                      indexes ? &*indexes : nullptr);
  } else {
    std::cout << PromotionResultText(plan, *result,
                                     indexes ? &*indexes : nullptr);
  }
  if (!result->ok()) {
    const PromotionFailure& first = result->failed.front();
    std::cerr << "relkit: error: " << TextEscape(first.key) << ": "
              << TextEscape(first.status.message()) << "\nrelkit: the journal "
              << TextEscape(result->journal_path)
              << " records what was done; rerun the same command to resume\n";
    return kExitFailure;
  }
  return kExitOk;
}

int Run(const PromoteArgs& a) {
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
  std::optional<OpenedStore> mirror;
  if (!a.mirror.empty()) {
    if (absl::StartsWith(a.mirror, "s3://") && a.mirror_endpoint.empty()) {
      return ReportError(absl::InvalidArgumentError(
          "--mirror s3://... needs --mirror-endpoint URL (the mirror never "
          "takes the source's endpoint)"));
    }
    absl::StatusOr<OpenedStore> opened = OpenStore(
        "--mirror", a.mirror, a.mirror_endpoint, CredentialsFrom::kMirror);
    if (!opened.ok()) return ReportError(opened.status());
    mirror = *std::move(opened);
  }
  if (a.jobs < 1 || a.jobs > 64) {
    return ReportError(
        absl::InvalidArgumentError("--jobs must be between 1 and 64"));
  }
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
  absl::StatusOr<PromotionPlan> plan = PlanPromotion(
      file->ToReleaseSet(),
      {.store = from->store.get(),
       .prefix = from->prefix,
       .open =
           Factory("--from", a.from, a.endpoint_url, CredentialsFrom::kAws)},
      {.store = to->store.get(),
       .prefix = to->prefix,
       .open = Factory("--to", a.to, a.endpoint_url, CredentialsFrom::kAws)},
      {.packages = a.packages,
       .expected_torch_wheels = *std::move(expected),
       .allow_incomplete = a.allow_incomplete,
       .mirror = {.store = mirror ? mirror->store.get() : nullptr,
                  .prefix = mirror ? mirror->prefix : "",
                  .open = mirror
                              ? Factory("--mirror", a.mirror, a.mirror_endpoint,
                                        CredentialsFrom::kMirror)
                              : ObjectStoreFactory()},
       .overwrite = a.overwrite,
       .head_jobs = kPlanHeadJobs});
  if (!plan.ok()) return ReportError(plan.status());
  if (a.execute) return Execute(a, *plan);
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
  cmd->add_option("--mirror", a->mirror,
                  "Also copy every file to this mirror: s3://BUCKET[/PREFIX] "
                  "(credentials R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, "
                  "optional R2_SESSION_TOKEN, region R2_REGION or 'auto') or "
                  "file://DIR[//PREFIX]");
  cmd->add_option("--mirror-endpoint", a->mirror_endpoint,
                  "S3 endpoint of an s3:// mirror (required for one; e.g. "
                  "https://ACCOUNT.r2.cloudflarestorage.com)");
  cmd->add_flag("--overwrite", a->overwrite,
                "Replace destination or mirror keys that hold other content "
                "(otherwise a conflict refuses the plan); they are listed");
  cmd->add_flag("--execute", a->execute,
                "Apply the plan: copy, verify, mirror, with a journal; safe "
                "to rerun and to kill");
  cmd->add_flag("--no-index", a->no_index,
                "With --execute: do not regenerate the PEP 503 index.html "
                "pages (with #sha256=) of the promoted packages at the "
                "destination");
  cmd->add_option("--jobs", a->jobs,
                  "Objects in flight with --execute (default 4)");
  cmd->add_option("--journal", a->journal,
                  "Journal file of --execute (default: "
                  "$XDG_CACHE_HOME/relkit/promotions/<plan id>.jsonl, else "
                  "~/.cache/relkit/promotions/...)");
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
      "With --execute: each object is copied server side (or uploaded when "
      "the stores\ndiffer) with checksum-sha256 metadata and public-read, "
      "verified (size, sha256),\nuploaded to the mirror, and journaled; then "
      "the PEP 503 index.html pages "
      "of\nthe promoted packages are regenerated with #sha256= (--no-index: "
      "not). A rerun\nresumes; a complete rerun says \"already applied\".\n"
      "Exit status: 0 plan ok / done / already applied, 1 plan has errors "
      "(dry run),\n2 bad usage or input, or --execute refused (plan errors, "
      "conflicts), 3 a store\nfailed (the message names the key; rerun to "
      "resume).");
  cmd->callback([a, &ctx] { ctx.exit_code = Run(*a); });
}

}  // namespace relkit::cli
