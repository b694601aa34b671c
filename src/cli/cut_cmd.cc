// `relkit cut`: the release branch cut, printed as a plan, applied with
// --execute, pushed with --push.

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/branch_cut.h"
#include "relkit/git.h"
#include "relkit/version.h"

namespace relkit::cli {
namespace {

struct CutArgs {
  std::string repo = ".";
  std::string version;
  std::string from = "viable/strict";
  std::string main = "main";
  std::string remote;
  bool execute = false;
  bool push = false;
  bool json = false;
};

void WriteCommit(JsonOut& out, absl::string_view key,
                 const std::optional<PlannedCommit>& c) {
  out.Key(key);
  if (!c) {
    out.w().Null();
    return;
  }
  out.w().StartObject();
  out.Field("branch", c->branch);
  out.Field("parent", c->parent.ToString());
  out.Field("message", c->message);
  out.Key("edits");
  out.w().StartArray();
  for (const FileEdit& e : c->edits) {
    out.w().StartObject();
    out.Field("path", e.path);
    out.Field("before", e.before);
    out.Field("after", e.after);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.w().EndObject();
}

void PrintJson(const BranchCutPlan& p, std::optional<CutOutcome> outcome,
               bool pushed) {
  JsonOut out;
  out.w().StartObject();
  out.Field("release", p.release.ToString());
  out.Field("release_branch", p.release_branch);
  out.Field("orig_branch", p.orig_branch);
  out.Field("source", p.source);
  out.Field("source_commit", p.source_commit.ToString());
  out.Field("next_main_version", p.next_main_version.ToString());
  out.Field("remote", p.remote);
  WriteCommit(out, "release_only_commit", p.release_only);
  WriteCommit(out, "version_bump_commit", p.version_bump);
  out.Field("executed", outcome.has_value());
  if (outcome) {
    out.Field("outcome", CutOutcomeName(*outcome));
  } else {
    out.NullField("outcome");
  }
  out.Field("pushed", pushed);
  out.w().EndObject();
  out.Print();
}

}  // namespace

void RegisterCutCommands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CutArgs>();
  CLI::App* cmd = app.add_subcommand("cut",
                                     "Cut release/X.Y and orig/release/X.Y "
                                     "(plan; --execute applies atomically)");
  cmd->add_option("--repo", a->repo, "Path of the git repository (default: .)");
  cmd->add_option("--version", a->version,
                  "Release X.Y (default: version.txt at the source ref)");
  cmd->add_option(
      "--from", a->from,
      "Source ref (default: viable/strict; main for domain libraries)");
  cmd->add_option("--main", a->main, "Default branch to bump (default: main)");
  cmd->add_option("--remote", a->remote, "Remote to push to with --push");
  cmd->add_flag("--execute", a->execute, "Apply the plan (default: print it)");
  cmd->add_flag("--push", a->push, "With --execute: push the refs to --remote");
  cmd->add_flag("--json", a->json, "Print the plan as JSON");
  cmd->callback([a, &ctx] {
    if (a->push && (!a->execute || a->remote.empty())) {
      ctx.exit_code = ReportError(
          absl::InvalidArgumentError("--push needs --execute and --remote"));
      return;
    }
    absl::StatusOr<Repository> repo = Repository::Discover(a->repo);
    if (!repo.ok()) {
      ctx.exit_code = ReportError(repo.status());
      return;
    }
    BranchCutOptions o;
    if (!a->version.empty()) {
      absl::StatusOr<Version> v = Version::Parse(a->version);
      if (!v.ok()) {
        ctx.exit_code = ReportError(v.status());
        return;
      }
      o.version = *v;
    }
    o.source = a->from;
    o.default_branch = a->main;
    if (!a->remote.empty()) o.remote = a->remote;
    absl::StatusOr<BranchCutPlan> plan = PlanBranchCut(*repo, o);
    if (!plan.ok()) {
      ctx.exit_code = ReportError(plan.status());
      return;
    }
    std::optional<CutOutcome> outcome;
    if (a->execute) {
      ApplyCutOptions apply;
      apply.push = a->push;
      absl::StatusOr<CutOutcome> done = ApplyBranchCut(*repo, *plan, apply);
      if (!done.ok()) {
        ctx.exit_code = ReportError(done.status());
        return;
      }
      outcome = *done;
    }
    if (a->json) {
      PrintJson(*plan, outcome, a->push);
      return;
    }
    std::cout << plan->ToDiff();
    if (!outcome) {
      std::cout << "\ndry run: nothing written; pass --execute to apply\n";
    } else {
      std::cout << "\n" << CutOutcomeName(*outcome) << "\n";
      if (a->push) std::cout << "pushed to " << a->remote << "\n";
    }
  });
}

}  // namespace relkit::cli
