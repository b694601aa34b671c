// `relkit pypi upload`: the staged wheels to PyPI, once. A plan unless
// --execute (relkit/pypi_upload.h); the token from the environment only.

#include <cstdlib>
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
#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/pypi_cmd.h"
#include "cli/store_url.h"
#include "relkit/pypi_client.h"
#include "relkit/pypi_upload.h"
#include "relkit/pypi_upload_report.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

struct UploadArgs {
  std::string staging;
  std::vector<std::string> packages;
  std::string repository_url = std::string(kPypiUploadUrl);
  std::string index_url = std::string(kPypiIndexUrl);
  std::string endpoint_url;
  bool execute = false;
  bool json = false;
};

// The token, or why there is none, said for this face.
absl::StatusOr<std::string> TokenFromEnvironment() {
  absl::StatusOr<std::string> token = PypiTokenFromEnvironment();
  if (!token.ok()) {
    return absl::Status(token.status().code(),
                        absl::StrCat("--execute needs an API token: ",
                                     token.status().message()));
  }
  return token;
}

// A plain path is a local directory: file://<absolute path>.
std::string StagingUrl(const std::string& staging) {
  if (absl::StrContains(staging, "://")) return staging;
  std::error_code error;
  std::filesystem::path p = std::filesystem::absolute(staging, error);
  if (error) return staging;
  std::string dir = p.lexically_normal().string();
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return absl::StrCat("file://", dir);
}

int Run(const UploadArgs& a) {
  if (a.staging.empty()) {
    return ReportError(absl::InvalidArgumentError("--staging is required"));
  }
  std::string token;
  if (a.execute) {
    absl::StatusOr<std::string> t = TokenFromEnvironment();
    if (!t.ok()) return ReportError(t.status());
    token = *std::move(t);
  }
  absl::StatusOr<OpenedStore> staging =
      OpenStore("--staging", StagingUrl(a.staging), a.endpoint_url);
  if (!staging.ok()) return ReportError(staging.status());

  TerminalProgress progress(!a.json);
  PypiClientOptions client_options{.repository_url = a.repository_url,
                                   .index_url = a.index_url,
                                   .token = token};
  client_options.log = [&progress](absl::string_view note) {
    progress.Print(TextEscape(note));
  };
  absl::StatusOr<std::unique_ptr<PypiClient>> client =
      PypiClient::Create(std::move(client_options));
  if (!client.ok()) return ReportError(client.status());

  PypiUploadPlanOptions plan_options{.packages = a.packages};
  if (progress.enabled()) {
    plan_options.progress = [&progress](absl::string_view note) {
      progress.Show(TextEscape(note));
    };
  }
  absl::StatusOr<PypiUploadPlan> plan =
      PlanPypiUpload(*staging->store, staging->prefix, **client, plan_options);
  progress.Clear();
  if (!plan.ok()) return ReportError(plan.status());
  if (!a.execute || !plan->ok()) {
    std::cout << (a.json ? PypiUploadPlanJson(*plan)
                         : PypiUploadPlanText(*plan));
    if (!plan->ok()) {
      if (a.execute) {
        std::cerr << "relkit: error: --execute refused: the plan has "
                     "conflicts or problems; nothing was sent\n";
      }
      return kExitProblems;
    }
    return kExitOk;
  }

  PypiUploadApplyOptions apply_options;
  if (progress.enabled()) {
    apply_options.progress = [&progress](const PypiUploadProgress& p) {
      progress.Show(absl::StrCat("pypi upload ", p.done + 1, "/", p.total, " ",
                                 p.stage, " ", TextEscape(p.filename)));
    };
  }
  absl::StatusOr<PypiUploadResult> result =
      ApplyPypiUpload(*plan, *staging->store, **client, apply_options);
  progress.Clear();
  if (!result.ok()) return ReportError(result.status());
  std::cout << (a.json ? PypiUploadResultJson(*plan, *result)
                       : PypiUploadResultText(*plan, *result));
  if (!result->ok()) {
    const absl::Status& s = result->failure->status;
    std::cerr << "relkit: error: " << TextEscape(result->failure->filename)
              << ": " << TextEscape(s.message()) << "\n";
    // A conflict found while uploading is a problem of the release, not a
    // failure of the tool: a rerun would meet it again.
    if (s.code() == absl::StatusCode::kAlreadyExists) {
      std::cerr << "relkit: this file name is taken on the index by other "
                   "content; the files before it are uploaded\n";
      return kExitProblems;
    }
    // The index refused the request itself (400: a bad file or form; 401 or
    // 403: the token): the same command would be refused the same way.
    // A 429 (ResourceExhausted), a 5xx or a dropped connection may pass on a
    // rerun.
    if (s.code() == absl::StatusCode::kInvalidArgument ||
        s.code() == absl::StatusCode::kPermissionDenied ||
        s.code() == absl::StatusCode::kUnauthenticated) {
      std::cerr << "relkit: the index refused this file; the files before it "
                   "are uploaded; the same command would be refused again: "
                   "fix the cause first\n";
      return kExitFailure;
    }
    std::cerr << "relkit: the files before it are uploaded; rerun the same "
                 "command: it asks the index and sends only what is missing\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void AddPypiUploadCommand(CLI::App& pypi, Context& ctx) {
  auto a = std::make_shared<UploadArgs>();
  CLI::App* cmd = pypi.add_subcommand(
      "upload",
      "Upload the staged wheels to PyPI, each file once and only once (dry "
      "run unless --execute)");
  cmd->add_option("--staging", a->staging,
                  "The staging location: s3://BUCKET[/PREFIX], "
                  "file://DIR[//PREFIX] or a directory (required); every .whl "
                  "under it is taken")
      ->required();
  cmd->add_option("--package", a->packages,
                  "Only the wheels of this project (repeatable; any "
                  "spelling). Default: every staged wheel");
  cmd->add_option("--repository-url", a->repository_url,
                  "The upload endpoint (PyPI's legacy API, as twine's "
                  "--repository-url; default https://upload.pypi.org/legacy/)");
  cmd->add_option("--index-url", a->index_url,
                  "The PEP 691 simple index asked what a project already has "
                  "(default https://pypi.org/simple/)");
  cmd->add_option("--endpoint-url", a->endpoint_url,
                  "S3 endpoint for an s3:// staging URL (default: "
                  "$AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL, else AWS)");
  cmd->add_flag("--execute", a->execute,
                "Upload what the plan lists; safe to rerun and to kill");
  cmd->add_flag("--json", a->json, "Print the plan (and the result) as JSON");
  cmd->footer(
      "A file uploaded to PyPI can never be replaced or uploaded again "
      "under its name\n(pypi/warehouse#726). So: the plan lists the staged "
      "wheels and asks the index\n(PEP 691 JSON) what each project already "
      "has. The same file name with the same\nsha256 is \"already there\"; "
      "with another sha256 it is a conflict, and a conflict\nstops the whole "
      "upload before any byte is sent (exit 1).\n"
      "With --execute, each file is downloaded from staging, checked against "
      "its\nsha256 (the checksum-sha256 metadata that staging writes), sent "
      "with the form\ntwine sends, and confirmed on the index. Before every "
      "try and every retry\n(after a timeout, a dropped connection, a 5xx) the "
      "index is asked again, so a\ntry whose answer was lost is found done, "
      "never sent twice; a rerun after an\ninterruption uploads only what is "
      "missing.\n"
      "The token: $TWINE_PASSWORD, else $PYPI_API_TOKEN (an API token, user "
      "__token__;\n$TWINE_USERNAME, if set, must be __token__). It is read "
      "only with --execute\nand never printed. S3 credentials: "
      "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,\nAWS_SESSION_TOKEN.\n"
      "Exit status: 0 plan ok / uploaded / already uploaded, 1 a conflict or "
      "a bad\nstaged file (nothing sent), 2 bad usage or input (no token), 3 "
      "the upload or a\nstore failed (rerun to resume).");
  cmd->callback([a, &ctx] { ctx.exit_code = Run(*a); });
}

}  // namespace relkit::cli
