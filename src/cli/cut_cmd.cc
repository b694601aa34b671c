// `relkit cut`: the release branch cut, printed as a plan, applied with
// --execute, pushed with --push.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/branch_cut.h"
#include "relkit/git.h"
#include "relkit/text_escape.h"
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

// What a `cut` run did: the local outcome (nullopt for a plan) and the
// push, when one was asked for.
struct CutResult {
  std::optional<CutOutcome> outcome;
  bool pushed = false;
  std::vector<std::string> pushed_refs;
  absl::Status push_error;
};

void PrintJson(const BranchCutPlan& p, const CutResult& r) {
  JsonOut out;
  out.w().StartObject();
  out.Field("release", p.release.ToString());
  out.Field("release_branch", p.release_branch);
  out.Field("orig_branch", p.orig_branch);
  out.Field("source", p.source);
  out.Field("source_commit", p.source_commit.ToString());
  out.Field("default_branch", p.default_branch);
  out.Field("next_main_version", p.next_main_version.ToString());
  out.Field("remote", p.remote);
  WriteCommit(out, "release_only_commit", p.release_only);
  WriteCommit(out, "version_bump_commit", p.version_bump);
  out.Field("already_applied", p.already_applied);
  out.Key("warnings");
  out.w().StartArray();
  for (const std::string& w : p.warnings) out.String(w);
  out.w().EndArray();
  out.Field("executed", r.outcome.has_value());
  if (r.outcome) {
    out.Field("outcome", CutOutcomeName(*r.outcome));
  } else {
    out.NullField("outcome");
  }
  out.Field("pushed", r.pushed);
  out.Key("pushed_refs");
  out.w().StartArray();
  for (const std::string& ref : r.pushed_refs) out.String(ref);
  out.w().EndArray();
  if (r.push_error.ok()) {
    out.NullField("push_error");
  } else {
    out.Field("push_error", r.push_error.message());
  }
  out.w().EndObject();
  out.Print();
}

void PrintText(const BranchCutPlan& p, const CutResult& r) {
  std::cout << TextEscape(p.ToDiff(), Newlines::kKeep);
  if (!r.outcome) {
    if (p.already_applied) {
      std::cout << "\ndry run: the cut is already applied locally; "
                   "--execute changes nothing, --execute --push sends what "
                   "the remote lacks\n";
    } else {
      std::cout << "\ndry run: nothing written; pass --execute to apply\n";
    }
    return;
  }
  std::cout << "\n" << CutOutcomeName(*r.outcome) << "\n";
  if (r.pushed) {
    if (r.pushed_refs.empty()) {
      std::cout << "already on " << TextEscape(*p.remote)
                << ": nothing to push\n";
    } else {
      std::cout << "pushed to " << TextEscape(*p.remote) << ": "
                << TextEscape(absl::StrJoin(r.pushed_refs, ", ")) << "\n";
    }
  } else if (!r.push_error.ok()) {
    std::cout << "not pushed to " << TextEscape(*p.remote) << "\n";
  }
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
  cmd->add_option("--main", a->main,
                  "Local branch that gets the version bump (default: main); "
                  "it must not be checked out");
  cmd->add_option("--remote", a->remote, "Remote to push to with --push");
  cmd->add_flag("--execute", a->execute, "Apply the plan (default: print it)");
  cmd->add_flag("--push", a->push,
                "With --execute: push the refs to --remote (a rerun pushes "
                "what the remote lacks)");
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
    for (const std::string& w : plan->warnings) {
      std::cerr << "relkit: warning: " << TextEscape(w) << "\n";
    }
    CutResult result;
    if (a->execute) {
      absl::StatusOr<CutOutcome> done = ApplyBranchCut(*repo, *plan, {});
      if (!done.ok()) {
        ctx.exit_code = ReportError(done.status());
        return;
      }
      result.outcome = *done;
      if (a->push) {
        // The cut is applied locally whatever the push does: the output says
        // so before the error.
        absl::StatusOr<std::vector<std::string>> pushed =
            PushBranchCut(*repo, *plan);
        if (pushed.ok()) {
          result.pushed = true;
          result.pushed_refs = *pushed;
        } else {
          result.push_error = pushed.status();
        }
      }
    }
    if (a->json) {
      PrintJson(*plan, result);
    } else {
      PrintText(*plan, result);
    }
    if (!result.push_error.ok()) {
      ReportError(result.push_error);
      ctx.exit_code = kExitFailure;  // done locally, not pushed: incomplete
    }
  });
}

}  // namespace relkit::cli
