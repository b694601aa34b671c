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
#include "relkit/build_matrix.h"
#include "relkit/files.h"
#include "relkit/local_store.h"
#include "relkit/object_store.h"
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
};

// The mirror's own credentials (as promote/s3_to_s3.sh names them); never
// the source's AWS_* ones.
constexpr char kMirrorKeyIdVar[] = "R2_ACCESS_KEY_ID";
constexpr char kMirrorSecretVar[] = "R2_SECRET_ACCESS_KEY";
constexpr char kMirrorTokenVar[] = "R2_SESSION_TOKEN";
constexpr char kMirrorRegionVar[] = "R2_REGION";
// Test only: milliseconds of pause before each object's copy, so that a
// test can kill a run in the middle.
constexpr char kTestDelayVar[] = "RELKIT_TEST_COPY_DELAY_MS";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

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

// Whose credentials an s3:// store uses.
enum class CredentialsFrom : uint8_t { kAws, kMirror };

absl::StatusOr<S3Credentials> MirrorCredentials() {
  S3Credentials c{.access_key_id = Env(kMirrorKeyIdVar),
                  .secret_access_key = Env(kMirrorSecretVar),
                  .session_token = Env(kMirrorTokenVar)};
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{
                                        kMirrorKeyIdVar, &c.access_key_id},
                                    {kMirrorSecretVar, &c.secret_access_key}}) {
    if (value->empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("--mirror s3://...: ", name,
                       " is not set (the mirror has credentials of its own; "
                       "AWS_* are not used for it)"));
    }
  }
  return c;
}

absl::StatusOr<OpenedStore> OpenS3(absl::string_view url,
                                   const std::string& endpoint_url,
                                   CredentialsFrom from) {
  RELKIT_ASSIGN_OR_RETURN(S3Location where, ParseS3Url(url));
  S3StoreOptions options{.bucket = where.bucket, .endpoint_url = endpoint_url};
  if (from == CredentialsFrom::kMirror) {
    RELKIT_ASSIGN_OR_RETURN(options.credentials, MirrorCredentials());
    options.region = Env(kMirrorRegionVar);
    if (options.region.empty()) options.region = "auto";
  } else {
    RELKIT_ASSIGN_OR_RETURN(options.credentials,
                            S3Credentials::FromEnvironment());
  }
  RELKIT_ASSIGN_OR_RETURN(std::unique_ptr<S3Store> store,
                          S3Store::Create(std::move(options)));
  return OpenedStore{std::move(store), std::move(where.prefix)};
}

absl::StatusOr<OpenedStore> OpenStore(
    absl::string_view option, absl::string_view url,
    const std::string& endpoint_url,
    CredentialsFrom from = CredentialsFrom::kAws) {
  if (absl::StartsWith(url, "file://")) {
    return OpenLocal(url);
  }
  if (absl::StartsWith(url, "s3://")) return OpenS3(url, endpoint_url, from);
  return absl::InvalidArgumentError(absl::StrCat(
      option, " \"", url,
      "\": expected file://DIR[//PREFIX] or s3://BUCKET[/PREFIX]"));
}

// Heads in flight while planning (per store): a Head against S3 waits on
// latency, so many in flight divide the Heads' time (docs/performance.md).
constexpr int kPlanHeadJobs = 16;

// A factory of new handles on the store of `url` (one per worker).
ObjectStoreFactory Factory(std::string option, std::string url,
                           std::string endpoint_url, CredentialsFrom from) {
  return [option, url, endpoint_url,
          from]() -> absl::StatusOr<std::unique_ptr<ObjectStore>> {
    RELKIT_ASSIGN_OR_RETURN(OpenedStore opened,
                            OpenStore(option, url, endpoint_url, from));
    return std::move(opened.store);
  };
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
  if (!a.markdown.empty()) {
    absl::Status written =
        WriteFileAtomically(a.markdown, PromotionResultMarkdown(plan, *result));
    if (!written.ok()) return ReportError(written);
  }
  std::cout << (a.json ? PromotionExecuteJson(plan, *result)
                       : PromotionResultText(plan, *result));
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
      "verified (size, sha256),\nuploaded to the mirror, and journaled; a "
      "rerun resumes, a complete rerun says\n\"already applied\".\n"
      "Exit status: 0 plan ok / done / already applied, 1 plan has errors "
      "(dry run),\n2 bad usage or input, or --execute refused (plan errors, "
      "conflicts), 3 a store\nfailed (the message names the key; rerun to "
      "resume).");
  cmd->callback([a, &ctx] { ctx.exit_code = Run(*a); });
}

}  // namespace relkit::cli
