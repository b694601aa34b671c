// `relkit rc list|next|create`: RC tags of a release branch.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/git.h"
#include "relkit/rc_tags.h"
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
  if (!a.message.empty()) o.message = a.message;
  return PlanRcTag(repo, a.branch, o);
}

void PrintPlanJson(const RcTagPlan& plan, std::optional<ApplyOutcome> outcome,
                   const std::string& pushed) {
  JsonOut out;
  out.w().StartObject();
  out.Field("branch", plan.branch);
  out.Field("tag", plan.tag.ToString());
  out.Field("target", plan.target.ToString());
  out.Field("annotated", plan.message.has_value());
  out.Key("tags_at_target");
  out.w().StartArray();
  for (const std::string& t : plan.tags_at_target) out.String(t);
  out.w().EndArray();
  out.Key("warnings");
  out.w().StartArray();
  for (const std::string& w : plan.warnings) out.String(w);
  out.w().EndArray();
  out.Field("executed", outcome.has_value());
  if (outcome) {
    out.Field("outcome", ApplyOutcomeName(*outcome));
  } else {
    out.NullField("outcome");
  }
  if (pushed.empty()) {
    out.NullField("pushed_to");
  } else {
    out.Field("pushed_to", pushed);
  }
  out.w().EndObject();
  out.Print();
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
      PrintPlanJson(*plan, std::nullopt, "");
    } else {
      std::cout << plan->tag.ToString() << "\n";
      for (const std::string& w : plan->warnings) {
        std::cerr << "relkit: warning: " << w << "\n";
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
                "Create the final tag vX.Y.Z instead of an RC (promotion)");
  cmd->add_option("--message", a->message,
                  "Annotated tag message (default: a lightweight tag)");
  cmd->add_flag("--execute", a->execute,
                "Create the tag (default: print the plan)");
  cmd->add_option(
      "--push", a->push,
      "With --execute: push the tag to this remote (name, URL or path)");
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
    absl::StatusOr<RcTagPlan> plan = MakePlan(*repo, *a);
    if (!plan.ok()) {
      ctx.exit_code = ReportError(plan.status());
      return;
    }
    std::optional<ApplyOutcome> outcome;
    if (a->execute) {
      absl::StatusOr<ApplyOutcome> done = ApplyRcTag(*repo, *plan);
      if (!done.ok()) {
        ctx.exit_code = ReportError(done.status());
        return;
      }
      outcome = *done;
      if (!a->push.empty()) {
        std::string ref = absl::StrCat("refs/tags/", plan->tag.ToString());
        absl::Status s =
            repo->Push(PushOptions{.remote = a->push, .refspecs = {ref}});
        if (!s.ok()) {
          ctx.exit_code = ReportError(s);
          return;
        }
      }
    }
    if (a->json) {
      PrintPlanJson(*plan, outcome, a->push);
      return;
    }
    for (const std::string& w : plan->warnings) {
      std::cerr << "relkit: warning: " << w << "\n";
    }
    std::cout << (outcome ? "" : "plan: ") << "create "
              << (plan->message ? "annotated" : "lightweight") << " tag "
              << plan->tag.ToString() << " at " << plan->target.ShortString()
              << " (" << plan->branch << ")\n";
    if (!outcome) {
      std::cout << "dry run: nothing written; pass --execute to create it\n";
    } else {
      std::cout << ApplyOutcomeName(*outcome) << "\n";
      if (!a->push.empty()) std::cout << "pushed to " << a->push << "\n";
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
