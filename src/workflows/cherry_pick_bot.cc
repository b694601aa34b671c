#include "relkit/cherry_pick_bot.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "relkit/branch_audit.h"
#include "relkit/github_issues.h"
#include "relkit/github_writes.h"
#include "relkit/http.h"
#include "relkit/rc_tags.h"
#include "relkit/status.h"

namespace relkit {

absl::StatusOr<CherryPickRequest> CherryPickRequestFromComment(
    absl::string_view comment, CherryPickRequest base,
    absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(CherryPickCommand cmd,
                          CherryPickCommand::Parse(comment, source));
  base.onto = cmd.onto;
  base.classification = cmd.classification;
  base.fixes = cmd.fixes;
  return base;
}

std::string CherryPickBranchName(int64_t pr, absl::string_view actor) {
  std::string clean;
  bool in_run = false;
  for (char c : actor) {
    if (absl::ascii_isalnum(c)) {
      clean.push_back(c);
      in_run = false;
    } else if (!in_run) {
      clean.push_back('_');
      in_run = true;
    }
  }
  if (clean.empty()) clean = "relkit";
  return absl::StrCat("cherry-pick-", pr, "-by-", clean);
}

absl::string_view CherryPickStepStateName(CherryPickStepState state) {
  switch (state) {
    case CherryPickStepState::kToDo:
      return "to do";
    case CherryPickStepState::kDone:
      return "done";
    case CherryPickStepState::kSkipped:
      return "skipped";
  }
  return "to do";
}

namespace {

std::string PrUrl(const CherryPickPlan& plan) {
  if (!plan.pr.url.empty()) return plan.pr.url;
  return absl::StrCat("https://github.com/", plan.request.repo.ToString(),
                      "/pull/", plan.request.pr);
}

TrackerLink PrLink(absl::string_view url, const GitHubRepo& repo,
                   std::optional<int64_t> number) {
  TrackerLink link;
  link.text = std::string(url);
  link.kind = TrackerLink::Kind::kPullRequest;
  link.repo = repo.ToString();
  link.number = number;
  return link;
}

// The number at the end of a PR URL (".../pull/12"), if any.
std::optional<int64_t> PrNumberOfUrl(absl::string_view url) {
  size_t slash = url.rfind('/');
  if (slash == absl::string_view::npos) return std::nullopt;
  int64_t n = 0;
  absl::string_view digits = url.substr(slash + 1);
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (!absl::ascii_isdigit(c)) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

const IssueComment* FindMarked(const std::vector<IssueComment>& comments,
                               absl::string_view key) {
  for (const IssueComment& c : comments) {
    if (HasWriteMarker(c.body, key)) return &c;
  }
  return nullptr;
}

// The PR URL after "The cherry pick PR is at " in a done comment.
std::string PrUrlOfDoneComment(absl::string_view body) {
  constexpr absl::string_view kAt = "The cherry pick PR is at ";
  size_t p = body.find(kAt);
  if (p == absl::string_view::npos) return "";
  absl::string_view rest = body.substr(p + kAt.size());
  size_t end = rest.find_first_of(" \n");
  return std::string(rest.substr(0, end));
}

std::string DescribeCounterparts(const std::vector<Counterpart>& cs) {
  std::vector<std::string> parts;
  for (const Counterpart& c : cs) {
    parts.push_back(c.evidence.empty()
                        ? c.sha.ToString()
                        : absl::StrCat(c.sha.ToString(), " (",
                                       EvidenceNames(c.evidence), ")"));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace

CherryPickNomination CherryPickNominationFor(const CherryPickPlan& plan,
                                             absl::string_view pr_url) {
  CherryPickNomination n;
  n.trunk_prs.push_back(
      PrLink(PrUrl(plan), plan.request.repo, plan.request.pr));
  n.release_prs.push_back(
      PrLink(pr_url, plan.request.repo, PrNumberOfUrl(pr_url)));
  n.classification = plan.request.classification;
  n.fixes = plan.request.fixes;
  return n;
}

std::string CherryPickDoneComment(const CherryPickPlan& plan,
                                  absl::string_view pr_url) {
  const ClassificationInfo& info =
      GetClassificationInfo(plan.request.classification);
  std::string out = absl::StrCat("### Cherry picking #", plan.request.pr, "\n",
                                 "The cherry pick PR is at ", pr_url);
  if (plan.request.fixes) {
    absl::StrAppend(&out, " and it is linked with issue ", *plan.request.fixes,
                    ".");
  } else if (info.requires_issue) {
    absl::StrAppend(&out, " and it is recommended to link a ", info.name,
                    " cherry pick PR with an issue.");
  }
  absl::StrAppend(&out, "\n");
  if (plan.tracker) {
    absl::StrAppend(&out, "The following tracker issues are updated:\n* ",
                    plan.tracker->url, "\n");
  }
  if (!plan.request.requested_by.empty()) {
    absl::StrAppend(&out, "\nRequested by @", plan.request.requested_by, ".\n");
  }
  return out;
}

std::string CherryPickFailureComment(const CherryPickPlan& plan) {
  std::string who = plan.request.requested_by.empty()
                        ? std::string()
                        : absl::StrCat("@", plan.request.requested_by, " ");
  std::string sha = plan.main_commit ? plan.main_commit->ToString() : "";
  std::string out = absl::StrCat(
      "### Cherry picking #", plan.request.pr, " failed\n", who,
      "the cherry-pick of ", sha, " onto `", plan.request.onto, "` (at ",
      plan.onto_head.ToString(), ") has conflicts in:\n");
  if (plan.pick) {
    for (const std::string& path : plan.pick->conflicts) {
      absl::StrAppend(&out, "* `", path, "`\n");
    }
  }
  absl::StrAppend(
      &out,
      "\nNothing was pushed and no pull request was opened. Pick it by "
      "hand on a branch from `",
      plan.request.onto, "` (`git cherry-pick -x ", sha,
      "`), resolve the conflicts, and open the pull request against `",
      plan.request.onto, "`.\n");
  return out;
}

absl::StatusOr<CherryPickPlan> PlanCherryPick(
    Repository& repo, GitHubClient& client, const CherryPickRequest& request) {
  if (request.pr <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad PR number ", request.pr, ": must be positive"));
  }
  if (request.onto.empty()) {
    return absl::InvalidArgumentError(
        "no branch to cherry-pick onto (--onto release/X.Y)");
  }
  if (request.repo.owner.empty() || request.repo.name.empty()) {
    return absl::InvalidArgumentError("no GitHub repository (OWNER/NAME)");
  }
  CherryPickPlan plan;
  plan.request = request;
  plan.branch = CherryPickBranchName(request.pr, request.requested_by);
  std::string key = absl::StrCat("cherry-pick #", request.pr, " onto ",
                                 request.onto, " as ", plan.branch);
  plan.tracker_marker = absl::StrCat(key, ": nomination");
  plan.done_marker = absl::StrCat(key, ": done");
  plan.failure_marker = absl::StrCat(key, ": conflict");

  RELKIT_ASSIGN_OR_RETURN(plan.pr,
                          GetPullRequest(client, request.repo, request.pr));
  plan.pr_title = plan.pr.title.empty()
                      ? absl::StrCat("Cherry pick #", request.pr, " onto ",
                                     request.onto, " branch")
                      : plan.pr.title;
  plan.pr_body = plan.pr.body;

  // The release branch, locally or as the push remote's tracking branch.
  RELKIT_ASSIGN_OR_RETURN(
      std::optional<ObjectId> head,
      repo.LookupRef(absl::StrCat("refs/heads/", request.onto)));
  plan.onto_rev = request.onto;
  if (!head) {
    std::string tracking =
        absl::StrCat("refs/remotes/", request.push_remote, "/", request.onto);
    absl::StatusOr<std::optional<ObjectId>> remote_head =
        repo.LookupRef(tracking);
    if (remote_head.ok() && *remote_head) {
      head = *remote_head;
      plan.onto_rev = absl::StrCat(request.push_remote, "/", request.onto);
    }
  }
  if (!head) {
    return absl::NotFoundError(absl::StrCat(
        "release branch \"", request.onto, "\" not found in ", repo.git_dir(),
        " (neither refs/heads/", request.onto, " nor refs/remotes/",
        RedactUrl(request.push_remote), "/", request.onto, ")"));
  }
  plan.onto_head = *head;

  // The release it works towards, and the patch-release rules.
  RELKIT_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, repo.ListTags());
  std::vector<std::string> tag_names;
  for (const TagInfo& t : tags) tag_names.push_back(t.name);
  absl::StatusOr<Version> target = TargetRelease(request.onto, tag_names);
  if (target.ok()) {
    plan.target_release = *target;
    plan.patch_release = target->release().size() >= 3 && target->micro() > 0;
  } else {
    plan.warnings.push_back(absl::StrCat(
        request.onto,
        " is not a release branch (release/X.Y): no patch-release rules, no "
        "release tracker"));
  }
  const ClassificationInfo& info =
      GetClassificationInfo(request.classification);
  if (plan.patch_release) {
    std::string release = plan.target_release->ToString();
    if (!info.acceptable_in_patch_release) {
      plan.refusals.push_back(
          absl::StrCat("classification \"", info.name,
                       "\" is not acceptable in patch release ", release, " (",
                       request.onto, " is working towards it)"));
    }
    if (info.requires_issue && !request.fixes) {
      plan.refusals.push_back(absl::StrCat(
          "a \"", info.name, "\" cherry-pick into patch release ", release,
          " needs the issue it fixes (--fixes URL): patch releases take only "
          "fixes with a linked issue"));
    }
    if (!info.patch_release_condition.empty()) {
      plan.warnings.push_back(
          absl::StrCat("patch release ", release, " accepts \"", info.name,
                       "\" only when: ", info.patch_release_condition));
    }
  } else if (info.requires_issue && !request.fixes) {
    plan.warnings.push_back(
        absl::StrCat("it is recommended to link a ", info.name,
                     " cherry pick PR with an issue (--fixes URL)"));
  }

  if (!plan.pr.merged) {
    plan.refusals.push_back(absl::StrCat("Refuse to cherry pick #", request.pr,
                                         " because it hasn't been merged yet"));
    plan.branch_step = plan.push_step = plan.pr_step = plan.tracker_step =
        plan.done_comment_step = CherryPickStepState::kSkipped;
    return plan;
  }

  // What earlier runs left on GitHub.
  RELKIT_ASSIGN_OR_RETURN(std::vector<IssueComment> pr_comments,
                          ListIssueComments(client, request.repo, request.pr));
  const IssueComment* done = FindMarked(pr_comments, plan.done_marker);
  const IssueComment* failed = FindMarked(pr_comments, plan.failure_marker);
  if (done != nullptr) {
    plan.done_comment_step = CherryPickStepState::kDone;
    plan.existing_pr_url = PrUrlOfDoneComment(done->body);
  }

  if (plan.target_release) {
    IssueQuery query;
    query.state = "all";
    query.labels = "release tracker";
    RELKIT_ASSIGN_OR_RETURN(std::vector<Issue> issues,
                            ListIssues(client, request.repo, query));
    std::vector<Issue> trackers =
        FindTrackerIssues(issues, *plan.target_release);
    if (!trackers.empty()) {
      plan.tracker = trackers.front();
      if (trackers.size() > 1) {
        plan.warnings.push_back(
            absl::StrCat(trackers.size(), " release tracker issues for ",
                         plan.target_release->ToString(),
                         "; the nomination goes to #", plan.tracker->number));
      }
    }
  }
  if (plan.tracker) {
    RELKIT_ASSIGN_OR_RETURN(
        std::vector<IssueComment> tracker_comments,
        ListIssueComments(client, request.repo, plan.tracker->number));
    if (const IssueComment* c =
            FindMarked(tracker_comments, plan.tracker_marker)) {
      plan.tracker_step = CherryPickStepState::kDone;
      std::optional<CherryPickNomination> n = ParseTrackerComment(c->body);
      if (plan.existing_pr_url.empty() && n && !n->release_prs.empty()) {
        plan.existing_pr_url = n->release_prs.front().text;
      }
    }
  } else {
    plan.tracker_step = CherryPickStepState::kSkipped;
    if (plan.target_release) {
      plan.warnings.push_back(absl::StrCat(
          "no release tracker issue for ", plan.target_release->ToString(),
          " (label \"release tracker\", title \"[v",
          plan.target_release->ToString(),
          "] Release Tracker\"): no nomination is posted"));
    }
  }
  if (!plan.existing_pr_url.empty()) plan.pr_step = CherryPickStepState::kDone;

  // The PR's commit on main, by the audit's exact evidence.
  AuditOptions audit_options;
  audit_options.main = request.main;
  RELKIT_ASSIGN_OR_RETURN(BranchAudit audit,
                          AuditBranch(repo, plan.onto_rev, audit_options));
  const uint64_t pr_number = static_cast<uint64_t>(request.pr);
  std::vector<const MainCommit*> candidates;
  for (const MainCommit& c : audit.main_commits) {
    if (c.pr && *c.pr == pr_number) candidates.push_back(&c);
  }
  const MainCommit* chosen = nullptr;
  std::optional<ObjectId> merge_sha;
  if (plan.pr.merge_commit_sha) {
    absl::StatusOr<ObjectId> parsed =
        ObjectId::Parse(*plan.pr.merge_commit_sha);
    if (parsed.ok()) merge_sha = *parsed;
  }
  if (merge_sha) {
    if (const MainCommit* m = audit.FindMainCommit(*merge_sha)) {
      chosen = m;
      plan.main_commit_found_by = "the PR's merge commit";
    }
  }
  if (chosen == nullptr && candidates.size() == 1) {
    chosen = candidates.front();
    plan.main_commit_found_by =
        absl::StrCat("the PR number #", request.pr, " in its message (exact)");
  }
  if (chosen == nullptr && candidates.size() > 1) {
    std::vector<std::string> shas;
    for (const MainCommit* c : candidates) shas.push_back(c->sha.ToString());
    plan.refusals.push_back(
        absl::StrCat(candidates.size(), " commits on ", request.main,
                     " since the cut carry #", request.pr,
                     " and the PR's merge commit is none of them: ",
                     absl::StrJoin(shas, ", ")));
  }
  if (chosen != nullptr) {
    plan.main_commit = chosen->sha;
    plan.main_commit_title = chosen->title;
    if (chosen->reverted_on_main_by) {
      plan.warnings.push_back(absl::StrCat(
          chosen->sha.ShortString(), " was reverted on ", request.main, " by ",
          chosen->reverted_on_main_by->ShortString()));
    }
  }

  // Already in the branch?
  const bool done_before = plan.done_comment_step == CherryPickStepState::kDone;
  std::vector<Presence> presence = FindPrsInBranch(audit, {pr_number});
  if (!presence.empty() && presence[0].state == PresenceState::kPresent) {
    std::string text =
        absl::StrCat("#", request.pr, " is already in ", request.onto, ": ",
                     DescribeCounterparts(presence[0].in_branch));
    if (done_before) {
      plan.warnings.push_back(text);
    } else {
      plan.refusals.push_back(text);
    }
  } else if (chosen == nullptr && merge_sha) {
    absl::StatusOr<bool> anc = repo.IsAncestor(*merge_sha, plan.onto_head);
    if (anc.ok() && *anc) {
      plan.refusals.push_back(
          absl::StrCat("#", request.pr, " is already in ", request.onto,
                       ": its merge commit ", merge_sha->ToString(),
                       " is an ancestor of the branch head ",
                       plan.onto_head.ToString(), " (ancestry)"));
    }
  }
  if (chosen == nullptr && plan.refusals.empty()) {
    plan.refusals.push_back(absl::StrCat(
        "no commit on ", request.main, " since the cut of ", request.onto,
        " carries #", request.pr,
        " (its merge commit, a \"Pull Request resolved\" trailer or a (#",
        request.pr, ") title suffix): fetch ", request.main, "?"));
  }
  if (chosen == nullptr || plan.refused()) {
    plan.branch_step = plan.push_step = CherryPickStepState::kSkipped;
    if (plan.pr_step == CherryPickStepState::kToDo) {
      plan.pr_step = CherryPickStepState::kSkipped;
    }
    return plan;
  }

  // The branch: made by an earlier run, or to make now.
  RELKIT_ASSIGN_OR_RETURN(plan.branch_local, repo.LookupRef(absl::StrCat(
                                                 "refs/heads/", plan.branch)));
  RELKIT_ASSIGN_OR_RETURN(auto remote_refs,
                          repo.ListRemoteRefs(request.push_remote));
  const std::string onto_ref = absl::StrCat("refs/heads/", request.onto);
  for (const auto& [name, sha] : remote_refs) {
    if (name == absl::StrCat("refs/heads/", plan.branch)) {
      plan.branch_remote = sha;
    }
    // The pick goes onto the branch the PR targets: a local release branch
    // behind (or ahead of) the remote's would pick onto another head, and
    // its audit may miss a pick the remote already has.
    if (name == onto_ref && sha != plan.onto_head) {
      plan.refusals.push_back(absl::StrCat(
          request.onto, " is at ", sha.ToString(), " on ",
          RedactUrl(request.push_remote), " but at ", plan.onto_head.ToString(),
          " here (", plan.onto_rev, "): fetch it (or push it) first"));
      return plan;
    }
  }
  std::optional<ObjectId> existing =
      plan.branch_local ? plan.branch_local : plan.branch_remote;
  if (plan.branch_local && plan.branch_remote &&
      *plan.branch_local != *plan.branch_remote) {
    plan.refusals.push_back(absl::StrCat(
        "branch ", plan.branch, " is at ", plan.branch_local->ToString(),
        " here but at ", plan.branch_remote->ToString(), " on ",
        RedactUrl(request.push_remote), ": delete one of them"));
    return plan;
  }
  std::string trailer =
      absl::StrCat("(cherry picked from commit ", chosen->sha.ToString(), ")");
  if (existing) {
    absl::StatusOr<CommitInfo> info = repo.GetCommit(*existing);
    if (!info.ok()) {
      plan.refusals.push_back(absl::StrCat(
          "branch ", plan.branch, " exists on ", RedactUrl(request.push_remote),
          " at ", existing->ToString(),
          ", which this repository does not have: fetch it, or delete the "
          "branch"));
      return plan;
    }
    if (!absl::StrContains(info->message, trailer) ||
        info->parents.size() != 1) {
      plan.refusals.push_back(absl::StrCat(
          "branch ", plan.branch, " exists at ", existing->ToString(),
          " and is not a cherry-pick of ", chosen->sha.ToString(),
          ": delete it, or ask as someone else"));
      return plan;
    }
    CherryPickResult pick;
    pick.kind = CherryPickResult::Kind::kClean;
    pick.picked = chosen->sha;
    pick.onto = info->parents.front();
    pick.commit = *existing;
    pick.message = info->message;
    plan.pick = std::move(pick);
    if (info->parents.front() != plan.onto_head) {
      plan.warnings.push_back(absl::StrCat(
          "branch ", plan.branch, " was made by an earlier run from ",
          info->parents.front().ShortString(), ", not from the head of ",
          request.onto, " (", plan.onto_head.ShortString(), "); it is kept"));
    }
    if (plan.branch_local) plan.branch_step = CherryPickStepState::kDone;
    if (plan.branch_remote) plan.push_step = CherryPickStepState::kDone;
  } else {
    CherryPickOptions options;
    options.committer = request.committer;
    RELKIT_ASSIGN_OR_RETURN(
        CherryPickResult pick,
        repo.CherryPick(chosen->sha, plan.onto_head, options));
    plan.pick = std::move(pick);
  }

  switch (plan.pick->kind) {
    case CherryPickResult::Kind::kClean:
      break;
    case CherryPickResult::Kind::kEmpty:
      plan.refusals.push_back(absl::StrCat(
          "the change of ", chosen->sha.ToString(), " is already in ",
          request.onto, ": the cherry-pick changes nothing"));
      break;
    case CherryPickResult::Kind::kConflict:
      plan.branch_step = plan.push_step = plan.pr_step = plan.tracker_step =
          plan.done_comment_step = CherryPickStepState::kSkipped;
      plan.failure_comment_step = failed != nullptr
                                      ? CherryPickStepState::kDone
                                      : CherryPickStepState::kToDo;
      break;
  }

  auto finished = [](CherryPickStepState s) {
    return s != CherryPickStepState::kToDo;
  };
  plan.already_applied = plan.refusals.empty() && finished(plan.branch_step) &&
                         finished(plan.push_step) && finished(plan.pr_step) &&
                         finished(plan.tracker_step) &&
                         finished(plan.done_comment_step) &&
                         finished(plan.failure_comment_step);
  return plan;
}

absl::StatusOr<CherryPickApplyResult> ApplyCherryPick(
    Repository& repo, GitHubClient& client, const CherryPickPlan& plan) {
  if (plan.refused()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the cherry-pick of #", plan.request.pr, " onto ", plan.request.onto,
        " is refused: ", absl::StrJoin(plan.refusals, "; ")));
  }
  if (!plan.pick) {
    return absl::FailedPreconditionError("the plan has no cherry-pick");
  }
  CherryPickApplyResult result;
  if (plan.already_applied) {
    result.already_applied = true;
    result.conflict = plan.conflict();
    return result;
  }
  const CherryPickRequest& req = plan.request;
  if (plan.conflict()) {
    result.conflict = true;
    RELKIT_ASSIGN_OR_RETURN(
        Written<IssueComment> c,
        CreateComment(client, req.repo, req.pr, CherryPickFailureComment(plan),
                      plan.failure_marker));
    result.failure_comment = c.value;
    result.failure_comment_created = c.created;
    return result;
  }
  const ObjectId& commit = *plan.pick->commit;
  const std::string ref = absl::StrCat("refs/heads/", plan.branch);

  // 1. The local branch (compare-and-swap: absent, or already there).
  if (plan.branch_step == CherryPickStepState::kToDo) {
    RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> now, repo.LookupRef(ref));
    if (now && *now != commit) {
      return absl::AbortedError(absl::StrCat(
          "branch ", plan.branch, " moved to ", now->ToString(),
          " since the plan (expected ", commit.ToString(), "): plan again"));
    }
    if (!now) {
      RELKIT_ASSIGN_OR_RETURN(ObjectId onto_now,
                              repo.ResolveCommit(plan.onto_rev));
      if (onto_now != plan.onto_head) {
        return absl::AbortedError(
            absl::StrCat(plan.onto_rev, " moved since the plan (was ",
                         plan.onto_head.ToString(), ", now ",
                         onto_now.ToString(), "): plan again"));
      }
      RefUpdate update;
      update.name = ref;
      update.target = commit;
      update.expected = std::nullopt;
      update.message = absl::StrCat("relkit cherry-pick #", req.pr);
      RELKIT_RETURN_IF_ERROR(repo.UpdateRefs({update}));
      result.branch_created = true;
    }
  }
  // 2. The push (pushing the same commit again changes nothing).
  if (plan.push_step == CherryPickStepState::kToDo) {
    PushOptions push;
    push.remote = req.push_remote;
    push.refspecs = {absl::StrCat(ref, ":", ref)};
    absl::Status pushed = repo.Push(push);
    if (!pushed.ok()) {
      return absl::Status(
          pushed.code(),
          absl::StrCat("cannot push ", plan.branch, " to ",
                       RedactUrl(req.push_remote),
                       " (the branch exists locally; rerun to push it): ",
                       absl::StrReplaceAll(
                           pushed.message(),
                           {{req.push_remote, RedactUrl(req.push_remote)}})));
    }
    result.pushed = true;
  }
  // 3. The PR (found when one from the branch into the release exists).
  NewPullRequest pr;
  pr.title = plan.pr_title;
  pr.body = plan.pr_body;
  pr.head = plan.branch;
  pr.base = req.onto;
  RELKIT_ASSIGN_OR_RETURN(Written<Issue> opened,
                          CreatePullRequest(client, req.repo, pr));
  result.pull_request = opened.value;
  result.pr_created = opened.created;
  const std::string& pr_url = opened.value.url;
  // 4. The nomination on the tracker.
  if (plan.tracker && plan.tracker_step == CherryPickStepState::kToDo) {
    RELKIT_ASSIGN_OR_RETURN(
        Written<IssueComment> c,
        CreateComment(
            client, req.repo, plan.tracker->number,
            RenderTrackerComment(CherryPickNominationFor(plan, pr_url)),
            plan.tracker_marker));
    result.tracker_comment = c.value;
    result.tracker_comment_created = c.created;
  }
  // 5. The note on the original PR.
  if (plan.done_comment_step == CherryPickStepState::kToDo) {
    RELKIT_ASSIGN_OR_RETURN(
        Written<IssueComment> c,
        CreateComment(client, req.repo, req.pr,
                      CherryPickDoneComment(plan, pr_url), plan.done_marker));
    result.pr_comment = c.value;
    result.pr_comment_created = c.created;
  }
  result.already_applied = !result.branch_created && !result.pr_created &&
                           !result.tracker_comment_created &&
                           !result.pr_comment_created;
  return result;
}

}  // namespace relkit
