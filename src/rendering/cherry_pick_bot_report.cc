// Text and JSON of a cherry-pick plan and its result (`relkit cherry-pick
// apply`).

#include "relkit/cherry_pick_bot_report.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "relkit/http.h"
#include "relkit/json_writer.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

std::string Term(absl::string_view text) { return TextEscape(text); }

// `text` indented by `indent`, one escaped line per line.
std::string Indented(absl::string_view text, absl::string_view indent) {
  std::string out;
  absl::ConsumeSuffix(&text, "\n");
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::StrAppend(&out, indent, Term(line), "\n");
  }
  return out;
}

std::string Step(CherryPickStepState s) {
  return absl::StrCat("[", CherryPickStepStateName(s), "] ");
}

constexpr absl::string_view kNewPrUrl = "<the new PR's URL>";

std::string PrUrlForText(const CherryPickPlan& plan) {
  return plan.existing_pr_url.empty() ? std::string(kNewPrUrl)
                                      : plan.existing_pr_url;
}

void WriteSteps(JsonWriter& out, const CherryPickPlan& plan) {
  out.Key("steps");
  out.StartObject();
  out.Field("branch", CherryPickStepStateName(plan.branch_step));
  out.Field("push", CherryPickStepStateName(plan.push_step));
  out.Field("pull_request", CherryPickStepStateName(plan.pr_step));
  out.Field("tracker_comment", CherryPickStepStateName(plan.tracker_step));
  out.Field("pr_comment", CherryPickStepStateName(plan.done_comment_step));
  out.Field("failure_comment",
            CherryPickStepStateName(plan.failure_comment_step));
  out.EndObject();
}

void WriteStrings(JsonWriter& out, absl::string_view key,
                  const std::vector<std::string>& items) {
  out.Key(key);
  out.StartArray();
  for (const std::string& s : items) out.String(s);
  out.EndArray();
}

void WritePlanMembers(JsonWriter& out, const CherryPickPlan& plan) {
  const CherryPickRequest& req = plan.request;
  out.Field("ok", !plan.refused() && !plan.conflict());
  out.Field("refused", plan.refused());
  WriteStrings(out, "refusals", plan.refusals);
  WriteStrings(out, "warnings", plan.warnings);
  out.Field("already_applied", plan.already_applied);
  out.Field("repo", req.repo.ToString());
  out.Key("pr");
  out.StartObject();
  out.Field("number", req.pr);
  out.Field("title", plan.pr.title);
  out.Field("url", plan.pr.url);
  out.Field("merged", plan.pr.merged);
  out.Field("merge_commit_sha", plan.pr.merge_commit_sha);
  out.EndObject();
  out.Field("onto", req.onto);
  out.Field("onto_rev", plan.onto_rev);
  out.Field("onto_head", plan.onto_head.ToString());
  out.Field("classification", ClassificationName(req.classification));
  out.Field("fixes", req.fixes);
  out.Field("requested_by", req.requested_by);
  out.Field("push_remote", RedactUrl(req.push_remote));
  if (plan.target_release) {
    out.Field("target_release", plan.target_release->ToString());
  } else {
    out.NullField("target_release");
  }
  out.Field("patch_release", plan.patch_release);
  if (plan.main_commit) {
    out.Key("main_commit");
    out.StartObject();
    out.Field("sha", plan.main_commit->ToString());
    out.Field("title", plan.main_commit_title);
    out.Field("found_by", plan.main_commit_found_by);
    out.EndObject();
  } else {
    out.NullField("main_commit");
  }
  out.Field("branch", plan.branch);
  out.Field("branch_local",
            plan.branch_local
                ? std::optional<std::string>(plan.branch_local->ToString())
                : std::nullopt);
  out.Field("branch_remote",
            plan.branch_remote
                ? std::optional<std::string>(plan.branch_remote->ToString())
                : std::nullopt);
  if (plan.pick) {
    out.Key("pick");
    out.StartObject();
    out.Field("result", CherryPickKindName(plan.pick->kind));
    out.Field("picked", plan.pick->picked.ToString());
    out.Field("onto", plan.pick->onto.ToString());
    out.Field("commit", plan.pick->commit ? std::optional<std::string>(
                                                plan.pick->commit->ToString())
                                          : std::nullopt);
    out.Field("tree", plan.pick->tree ? std::optional<std::string>(
                                            plan.pick->tree->ToString())
                                      : std::nullopt);
    out.Field("message", plan.pick->message);
    WriteStrings(out, "conflicts", plan.pick->conflicts);
    out.EndObject();
  } else {
    out.NullField("pick");
  }
  out.Key("pull_request");
  out.StartObject();
  out.Field("title", plan.pr_title);
  out.Field("body", plan.pr_body);
  out.Field("head", plan.branch);
  out.Field("base", req.onto);
  out.Field("existing_url", plan.existing_pr_url);
  out.EndObject();
  if (plan.tracker) {
    out.Key("tracker");
    out.StartObject();
    out.Field("number", plan.tracker->number);
    out.Field("title", plan.tracker->title);
    out.Field("url", plan.tracker->url);
    out.EndObject();
  } else {
    out.NullField("tracker");
  }
  WriteSteps(out, plan);
  out.Key("comments");
  out.StartObject();
  std::string url = PrUrlForText(plan);
  out.Field("tracker", plan.tracker
                           ? std::optional<std::string>(RenderTrackerComment(
                                 CherryPickNominationFor(plan, url)))
                           : std::nullopt);
  out.Field("pr", CherryPickDoneComment(plan, url));
  out.Field("failure", plan.conflict() ? std::optional<std::string>(
                                             CherryPickFailureComment(plan))
                                       : std::nullopt);
  out.EndObject();
}

void WriteComment(JsonWriter& out, absl::string_view key,
                  const std::optional<IssueComment>& c, bool created) {
  out.Key(key);
  if (!c) {
    out.Null();
    return;
  }
  out.StartObject();
  out.Field("id", c->id);
  out.Field("url", c->url);
  out.Field("created", created);
  out.EndObject();
}

}  // namespace

std::string CherryPickPlanText(const CherryPickPlan& plan) {
  const CherryPickRequest& req = plan.request;
  const ClassificationInfo& info = GetClassificationInfo(req.classification);
  std::string out = absl::StrCat(
      "cherry-pick #", req.pr, " \"", Term(plan.pr.title), "\" onto ",
      Term(req.onto), " of ", Term(req.repo.ToString()),
      " (dry run: nothing is created)\n");
  absl::StrAppend(&out, "  PR: ", Term(plan.pr.url), " (",
                  plan.pr.merged ? "merged" : "not merged", ")\n");
  absl::StrAppend(&out, "  classification: ", info.name, " (", info.meaning,
                  ")\n");
  absl::StrAppend(&out, "  fixes: ",
                  req.fixes ? Term(*req.fixes) : std::string("none"), "\n");
  absl::StrAppend(&out, "  requested by: ",
                  req.requested_by.empty() ? std::string("(nobody named)")
                                           : "@" + Term(req.requested_by),
                  "\n");
  if (plan.target_release) {
    absl::StrAppend(&out, "  release: ", plan.target_release->ToString(),
                    plan.patch_release ? " (patch release)" : "", "\n");
  }
  absl::StrAppend(&out, "  release branch: ", Term(plan.onto_rev), " at ",
                  plan.onto_head.ToString(), "\n");
  if (plan.main_commit) {
    absl::StrAppend(&out, "  commit on main: ", plan.main_commit->ToString(),
                    " \"", Term(plan.main_commit_title), "\" (found by ",
                    plan.main_commit_found_by, ")\n");
  }
  if (plan.pick) {
    const CherryPickResult& p = *plan.pick;
    absl::StrAppend(&out, "  pick: ", CherryPickKindName(p.kind));
    if (p.commit) {
      absl::StrAppend(&out, ", commit ", p.commit->ToString());
    }
    if (p.tree) absl::StrAppend(&out, ", tree ", p.tree->ToString());
    absl::StrAppend(&out, "\n");
    for (const std::string& path : p.conflicts) {
      absl::StrAppend(&out, "    conflict: ", Term(path), "\n");
    }
    if (p.kind != CherryPickResult::Kind::kConflict) {
      absl::StrAppend(&out, "  commit message:\n",
                      Indented(p.message, "    | "));
    }
  }
  if (!plan.refused() && plan.pick) {
    absl::StrAppend(&out, "  steps:\n");
    if (plan.conflict()) {
      absl::StrAppend(&out, "    ", Step(plan.failure_comment_step),
                      "comment on #", req.pr,
                      " (nothing is pushed, no PR is opened):\n",
                      Indented(CherryPickFailureComment(plan), "      | "));
    } else {
      std::string commit = plan.pick->commit->ToString();
      absl::StrAppend(&out, "    ", Step(plan.branch_step), "create branch ",
                      Term(plan.branch), " at ", commit, "\n");
      absl::StrAppend(&out, "    ", Step(plan.push_step), "push ",
                      Term(plan.branch), " to ",
                      Term(RedactUrl(req.push_remote)), "\n");
      absl::StrAppend(&out, "    ", Step(plan.pr_step), "open PR \"",
                      Term(plan.pr_title), "\" from ", Term(plan.branch),
                      " into ", Term(req.onto),
                      plan.existing_pr_url.empty()
                          ? std::string()
                          : absl::StrCat(" (", Term(plan.existing_pr_url), ")"),
                      "\n");
      if (plan.tracker) {
        absl::StrAppend(&out, "    ", Step(plan.tracker_step),
                        "comment on tracker #", plan.tracker->number, " \"",
                        Term(plan.tracker->title), "\":\n",
                        Indented(RenderTrackerComment(CherryPickNominationFor(
                                     plan, PrUrlForText(plan))),
                                 "      | "));
      } else {
        absl::StrAppend(&out, "    [skipped] no release tracker comment\n");
      }
      absl::StrAppend(&out, "    ", Step(plan.done_comment_step),
                      "comment on #", req.pr, ":\n",
                      Indented(CherryPickDoneComment(plan, PrUrlForText(plan)),
                               "      | "));
    }
  }
  for (const std::string& w : plan.warnings) {
    absl::StrAppend(&out, "  warning: ", Term(w), "\n");
  }
  for (const std::string& r : plan.refusals) {
    absl::StrAppend(&out, "  refused: ", Term(r), "\n");
  }
  if (plan.refused()) {
    absl::StrAppend(&out, "refused: the cherry-pick of #", req.pr,
                    " is not done\n");
  } else if (plan.already_applied) {
    absl::StrAppend(&out, "already applied: nothing to do\n");
  } else if (plan.conflict()) {
    absl::StrAppend(&out,
                    "conflict: run with --execute to post the failure "
                    "comment\n");
  } else {
    absl::StrAppend(&out, "plan ok: run with --execute to do it\n");
  }
  return out;
}

std::string CherryPickPlanJson(const CherryPickPlan& plan) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", true);
  WritePlanMembers(out, plan);
  out.EndObject();
  return out.str() + "\n";
}

std::string CherryPickResultText(const CherryPickPlan& plan,
                                 const CherryPickApplyResult& result) {
  const CherryPickRequest& req = plan.request;
  std::string out = absl::StrCat("cherry-pick #", req.pr, " onto ",
                                 Term(req.onto), " applied\n");
  if (result.already_applied) {
    return absl::StrCat(
        "cherry-pick #", req.pr, " onto ", Term(req.onto), ": already applied",
        result.pull_request
            ? absl::StrCat(" (", Term(result.pull_request->url), ")")
            : std::string(),
        "\n");
  }
  auto made = [](bool created) {
    return created ? "created" : "already exists";
  };
  if (result.conflict) {
    out = absl::StrCat("cherry-pick #", req.pr, " onto ", Term(req.onto),
                       " conflicts: nothing pushed, no PR opened\n");
    if (result.failure_comment) {
      absl::StrAppend(&out, "  failure comment ",
                      made(result.failure_comment_created), ": ",
                      Term(result.failure_comment->url), "\n");
    }
    return out;
  }
  absl::StrAppend(&out, "  branch ", Term(plan.branch), ": ",
                  result.branch_created ? "created" : "already exists", "\n");
  if (result.pushed) {
    absl::StrAppend(&out, "  pushed to ", Term(RedactUrl(req.push_remote)),
                    "\n");
  } else {
    absl::StrAppend(&out, "  already on ", Term(RedactUrl(req.push_remote)),
                    "\n");
  }
  if (result.pull_request) {
    absl::StrAppend(&out, "  PR ", made(result.pr_created), ": #",
                    result.pull_request->number, " ",
                    Term(result.pull_request->url), "\n");
  }
  if (result.tracker_comment) {
    absl::StrAppend(&out, "  tracker comment ",
                    made(result.tracker_comment_created), ": ",
                    Term(result.tracker_comment->url), "\n");
  }
  if (result.pr_comment) {
    absl::StrAppend(&out, "  comment on #", req.pr, " ",
                    made(result.pr_comment_created), ": ",
                    Term(result.pr_comment->url), "\n");
  }
  return out;
}

std::string CherryPickResultJson(const CherryPickPlan& plan,
                                 const CherryPickApplyResult& result) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", false);
  WritePlanMembers(out, plan);
  out.Key("applied");
  out.StartObject();
  out.Field("already_applied", result.already_applied);
  out.Field("conflict", result.conflict);
  out.Field("branch_created", result.branch_created);
  out.Field("pushed", result.pushed);
  if (result.pull_request) {
    out.Key("pull_request");
    out.StartObject();
    out.Field("number", result.pull_request->number);
    out.Field("url", result.pull_request->url);
    out.Field("created", result.pr_created);
    out.EndObject();
  } else {
    out.NullField("pull_request");
  }
  WriteComment(out, "tracker_comment", result.tracker_comment,
               result.tracker_comment_created);
  WriteComment(out, "pr_comment", result.pr_comment, result.pr_comment_created);
  WriteComment(out, "failure_comment", result.failure_comment,
               result.failure_comment_created);
  out.EndObject();
  out.EndObject();
  return out.str() + "\n";
}

}  // namespace relkit
