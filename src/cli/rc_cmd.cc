// `relkit rc list|next|create`: RC tags of a release branch.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "cli/github_flags.h"
#include "cli/json_writer.h"
#include "cli/progress.h"
#include "relkit/git.h"
#include "relkit/rc_tags.h"
#include "relkit/readiness.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"
#include "relkit/version.h"

namespace relkit::cli {
namespace {

struct RcArgs {
  std::string repo = ".";
  std::string branch;
  std::string release;
  std::string message;
  std::string push;
  bool final = false;
  bool allow_skip = false;
  // --final's guards: the readiness check (--milestone and GitHub) and
  // --override REASON.
  std::string milestone;
  std::string main = "main";
  std::optional<int64_t> tracker;
  std::string override_reason;
  GitHubRepoFlags gh;
  GitHubClientFlags client;
  bool no_audit_cache = false;
  bool execute = false;
  bool json = false;
};

void AddCommon(CLI::App* cmd, RcArgs& a) {
  cmd->add_option("--repo", a.repo, "Path of the git repository (default: .)");
  cmd->add_option("--branch", a.branch, "Release branch, e.g. release/2.4")
      ->required();
  cmd->add_flag("--json", a.json, "Print JSON instead of text");
}

absl::StatusOr<RcTagPlan> MakePlan(const Repository& repo, const RcArgs& a) {
  RcTagPlanOptions o;
  if (!a.release.empty()) {
    absl::StatusOr<Version> v = Version::Parse(a.release);
    if (!v.ok()) return v.status();
    o.release = *v;
  }
  o.final = a.final;
  o.allow_skip = a.allow_skip;
  if (!a.message.empty()) o.message = a.message;
  if (!a.push.empty()) o.remote = a.push;
  o.override_reason = a.override_reason;
  return PlanRcTag(repo, a.branch, o);
}

// Runs --final's second guard: the readiness check of the branch (when
// --milestone names the release's milestone), then GuardFinalTag.
absl::Status GuardFinal(const Repository& repo, const RcArgs& a,
                        RcTagPlan& plan) {
  if (!plan.promotes || plan.already_applied) return absl::OkStatus();
  if (a.milestone.empty()) return GuardFinalTag(nullptr, plan);
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo gh_repo,
      GitHubRepoFromFlags(a.gh, a.repo, a.client.api_url, a.client.verbose));
  TerminalProgress progress(!a.json);  // cleared before any output
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh,
                          MakeGitHubClient(a.client, progress));
  ReadinessOptions o;
  o.github_repo = gh_repo;
  o.branch = a.branch;
  o.main = a.main;
  o.milestone = a.milestone;
  o.tracker_issue = a.tracker;
  RELKIT_ASSIGN_OR_RETURN(
      ReadinessReport report,
      RunReadinessCheck(repo, gh, std::move(o), progress, !a.no_audit_cache));
  return GuardFinalTag(&report, plan);
}

// What an `rc create` run did: the local outcome (nullopt for a plan) and
// the push, when one was asked for.
struct CreateResult {
  std::optional<ApplyOutcome> outcome;
  bool pushed = false;
  absl::Status push_error;
};

void PrintPlanJson(const RcTagPlan& plan, const CreateResult& result) {
  JsonOut out;
  out.w().StartObject();
  out.Field("branch", plan.branch);
  out.Field("tag", plan.tag.ToString());
  out.Field("target", plan.target.ToString());
  out.Field("head", plan.head.ToString());
  out.Field("annotated", plan.message.has_value());
  out.Field("promotes", plan.promotes);
  out.Field("already_applied", plan.already_applied);
  out.Key("tags_at_target");
  out.w().StartArray();
  for (const std::string& t : plan.tags_at_target) out.String(t);
  out.w().EndArray();
  out.Key("warnings");
  out.w().StartArray();
  for (const std::string& w : plan.warnings) out.String(w);
  out.w().EndArray();
  out.Key("overridden");
  out.w().StartArray();
  for (const std::string& g : plan.overridden) out.String(g);
  out.w().EndArray();
  if (plan.override_reason.empty()) {
    out.NullField("override_reason");
  } else {
    out.Field("override_reason", plan.override_reason);
  }
  if (plan.message) {
    out.Field("message", *plan.message);
  } else {
    out.NullField("message");
  }
  out.Field("executed", result.outcome.has_value());
  if (result.outcome) {
    out.Field("outcome", ApplyOutcomeName(*result.outcome));
  } else {
    out.NullField("outcome");
  }
  out.Field("remote", plan.remote);
  out.Field("pushed", result.pushed);
  if (result.pushed) {
    out.Field("pushed_to", *plan.remote);
  } else {
    out.NullField("pushed_to");
  }
  if (result.push_error.ok()) {
    out.NullField("push_error");
  } else {
    out.Field("push_error", result.push_error.message());
  }
  out.w().EndObject();
  out.Print();
}

void PrintPlanText(const RcTagPlan& plan, const CreateResult& result) {
  for (const std::string& w : plan.warnings) {
    std::cerr << "relkit: warning: " << TextEscape(w) << "\n";
  }
  const bool executed = result.outcome.has_value();
  std::string promotes =
      plan.promotes ? absl::StrCat("; promotes ", *plan.promotes) : "";
  if (plan.already_applied) {
    std::cout << (executed ? "" : "plan: ") << "tag " << plan.tag.ToString()
              << " already at " << plan.target.ShortString() << " ("
              << TextEscape(plan.branch) << promotes
              << "): nothing to create\n";
  } else {
    std::cout << (executed ? "" : "plan: ") << "create "
              << (plan.message ? "annotated" : "lightweight") << " tag "
              << plan.tag.ToString() << " at " << plan.target.ShortString()
              << " (" << TextEscape(plan.branch) << promotes << ")\n";
  }
  if (!plan.overridden.empty()) {
    std::cout << "overriding, because: " << TextEscape(plan.override_reason)
              << "\n";
    for (const std::string& g : plan.overridden) {
      std::cout << "  - " << TextEscape(g) << "\n";
    }
  }
  if (!executed) {
    std::cout << "dry run: nothing written; pass --execute to create it\n";
    return;
  }
  std::cout << ApplyOutcomeName(*result.outcome) << "\n";
  if (result.pushed) {
    std::cout << "pushed to " << TextEscape(*plan.remote) << "\n";
  } else if (!result.push_error.ok()) {
    std::cout << "not pushed to " << TextEscape(*plan.remote) << "\n";
  }
}

void AddList(CLI::App& rc, Context& ctx) {
  auto a = std::make_shared<RcArgs>();
  CLI::App* cmd = rc.add_subcommand(
      "list", "List the RC and final tags of a release branch");
  AddCommon(cmd, *a);
  cmd->callback([a, &ctx] {
    absl::StatusOr<Repository> repo = Repository::Discover(a->repo);
    if (!repo.ok()) {
      ctx.exit_code = ReportError(repo.status());
      return;
    }
    auto tags = ListRcTags(*repo, a->branch);
    if (!tags.ok()) {
      ctx.exit_code = ReportError(tags.status());
      return;
    }
    if (a->json) {
      JsonOut out;
      out.w().StartArray();
      for (const RepositoryRcTag& t : *tags) {
        out.w().StartObject();
        out.Field("tag", t.tag.ToString());
        out.Field("commit", t.commit.ToString());
        out.Field("annotated", t.annotated);
        out.w().EndObject();
      }
      out.w().EndArray();
      out.Print();
    } else {
      for (const RepositoryRcTag& t : *tags) {
        std::cout << t.tag.ToString() << " " << t.commit.ShortString() << "\n";
      }
    }
  });
}

void AddNext(CLI::App& rc, Context& ctx) {
  auto a = std::make_shared<RcArgs>();
  CLI::App* cmd = rc.add_subcommand(
      "next",
      "Print the next RC tag for a release branch (nothing is written)");
  AddCommon(cmd, *a);
  cmd->add_option("--release", a->release,
                  "Final release to tag an RC of (default: from the tags)");
  cmd->callback([a, &ctx] {
    absl::StatusOr<Repository> repo = Repository::Discover(a->repo);
    if (!repo.ok()) {
      ctx.exit_code = ReportError(repo.status());
      return;
    }
    absl::StatusOr<RcTagPlan> plan = MakePlan(*repo, *a);
    if (!plan.ok()) {
      ctx.exit_code = ReportError(plan.status());
      return;
    }
    if (a->json) {
      PrintPlanJson(*plan, {});
    } else {
      std::cout << plan->tag.ToString() << "\n";
      for (const std::string& w : plan->warnings) {
        std::cerr << "relkit: warning: " << TextEscape(w) << "\n";
      }
      if (plan->already_applied) {
        std::cerr << "relkit: note: " << plan->tag.ToString()
                  << " is already at the head of " << TextEscape(plan->branch)
                  << "; a new RC needs a new commit\n";
      }
    }
  });
}

void AddCreate(CLI::App& rc, Context& ctx) {
  auto a = std::make_shared<RcArgs>();
  CLI::App* cmd = rc.add_subcommand(
      "create",
      "Plan (and with --execute create) the next RC tag at the branch head");
  AddCommon(cmd, *a);
  cmd->add_option("--release", a->release,
                  "Final release to tag an RC of (default: from the tags)");
  cmd->add_flag("--final", a->final,
                "Create the final tag vX.Y.Z at the release's last RC instead "
                "of a new RC (promotion)");
  cmd->add_flag("--allow-skip", a->allow_skip,
                "Allow a --release that skips versions (2.4.9 when the next "
                "release is 2.4.3)");
  cmd->add_option("--message", a->message,
                  "Annotated tag message (default: a lightweight tag)");
  CLI::Option_group* guard = cmd->add_option_group(
      "--final guards",
      "A final tag needs the branch head to carry the release's last RC and "
      "the final-RC readiness check (relkit check) to pass");
  guard->add_option("--milestone", a->milestone,
                    "The release's milestone (number or title) for the "
                    "readiness check");
  guard->add_option("--main", a->main, "Main branch")->capture_default_str();
  guard->add_option("--tracker", a->tracker,
                    "Release tracker issue number (default: looked up)");
  guard->add_option("--override", a->override_reason,
                    "Tag although a guard fails; REASON goes into the "
                    "(annotated) tag message with what it overrides");
  AddGitHubRepoOptions(cmd, a->gh);
  AddGitHubClientOptions(cmd, a->client);
  cmd->add_flag("--no-audit-cache", a->no_audit_cache,
                "Do not use the branch audit's patch-id cache");
  cmd->footer(
      "A final tag (--final) goes at the release's last RC and is refused "
      "unless the\nbranch head carries that RC and `relkit check` passes "
      "(--milestone; exit 2\nnaming what failed); --override REASON tags "
      "anyway and records why.\nExample: relkit rc create --branch "
      "release/2.4 --final --milestone 2.4.0 --execute");
  cmd->add_flag("--execute", a->execute,
                "Create the tag (default: print the plan)");
  cmd->add_option(
      "--push", a->push,
      "With --execute: push the tag to this remote (name, URL or path); a "
      "rerun pushes a tag that exists locally");
  cmd->callback([a, &ctx] {
    if (!a->push.empty() && !a->execute) {
      ctx.exit_code = ReportError(absl::InvalidArgumentError(
          "--push needs --execute (a plan pushes nothing)"));
      return;
    }
    absl::StatusOr<Repository> repo = Repository::Discover(a->repo);
    if (!repo.ok()) {
      ctx.exit_code = ReportError(repo.status());
      return;
    }
    if (!a->final && (!a->override_reason.empty() || !a->milestone.empty())) {
      ctx.exit_code = ReportError(absl::InvalidArgumentError(
          "--override and --milestone are guards of a final tag: they need "
          "--final"));
      return;
    }
    absl::StatusOr<RcTagPlan> plan = MakePlan(*repo, *a);
    if (!plan.ok()) {
      ctx.exit_code = ReportError(plan.status());
      return;
    }
    if (absl::Status s = GuardFinal(*repo, *a, *plan); !s.ok()) {
      ctx.exit_code = ReportError(s);
      return;
    }
    CreateResult result;
    if (a->execute) {
      absl::StatusOr<ApplyOutcome> done = ApplyRcTag(*repo, *plan);
      if (!done.ok()) {
        ctx.exit_code = ReportError(done.status());
        return;
      }
      result.outcome = *done;
      if (plan->remote) {
        // The tag exists locally whatever the push does: say so on stdout
        // before the error, so that a script sees the local outcome.
        result.push_error = PushRcTag(*repo, *plan);
        result.pushed = result.push_error.ok();
      }
    }
    if (a->json) {
      PrintPlanJson(*plan, result);
    } else {
      PrintPlanText(*plan, result);
    }
    if (!result.push_error.ok()) {
      ReportError(result.push_error);
      ctx.exit_code = kExitFailure;  // done locally, not pushed: incomplete
    }
  });
}

}  // namespace

void RegisterRcCommands(CLI::App& app, Context& ctx) {
  CLI::App* rc = app.add_subcommand("rc", "RC tags of a release branch");
  rc->require_subcommand(1);
  AddList(*rc, ctx);
  AddNext(*rc, ctx);
  AddCreate(*rc, ctx);
}

}  // namespace relkit::cli
