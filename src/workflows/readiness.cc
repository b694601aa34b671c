#include "relkit/readiness.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "relkit/commit_message.h"
#include "relkit/github_issues.h"
#include "relkit/rc_tags.h"
#include "relkit/status.h"

namespace relkit {
namespace {

std::vector<uint64_t> PrNumbersOf(const std::vector<TrackerLink>& links) {
  std::vector<uint64_t> out;
  for (const TrackerLink& l : links) {
    if (l.kind == TrackerLink::Kind::kPullRequest && l.number &&
        *l.number > 0) {
      out.push_back(static_cast<uint64_t>(*l.number));
    }
  }
  return out;
}

// Whether main commit `m` is a revert of a nomination whose trunk commits
// (on main since the cut) are `commits` and trunk PRs `prs`: a commit its
// message names, as the audit resolved it, is one of them, or the merge
// bot's `Reverted <PR URL>` line names one of the PRs. A nomination with no
// trunk commit since the cut has nothing reverted.
bool RevertsNomination(const MainCommit& m,
                       const std::vector<ObjectId>& commits,
                       const std::vector<uint64_t>& prs) {
  if (m.revert_kind != RevertKind::kRevert || commits.empty()) return false;
  for (const ObjectId& target : m.reverts) {
    if (std::find(commits.begin(), commits.end(), target) != commits.end()) {
      return true;
    }
  }
  return m.reverted_pr &&
         std::find(prs.begin(), prs.end(), *m.reverted_pr) != prs.end();
}

std::string Shorts(const std::vector<ObjectId>& ids) {
  std::vector<std::string> s;
  for (const ObjectId& id : ids) s.push_back(id.ShortString());
  return absl::StrJoin(s, ", ");
}

std::string Prs(const std::vector<uint64_t>& prs) {
  std::vector<std::string> s;
  for (uint64_t pr : prs) s.push_back(absl::StrCat("#", pr));
  return s.empty() ? std::string("none") : absl::StrJoin(s, ", ");
}

std::string CounterpartsText(const std::vector<Counterpart>& cs) {
  std::vector<std::string> s;
  for (const Counterpart& c : cs) s.push_back(c.ToString());
  return absl::StrJoin(s, ", ");
}

std::string Plural(size_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

Criterion OpenItemsCriterion(const MilestoneValidation& v) {
  Criterion c{.id = CriterionId::kNoOpenItems,
              .title = "No open issues or pull requests in the milestone"};
  for (const ValidatedItem* i : v.With(ItemStatus::kOpen)) {
    c.evidence.push_back(absl::StrCat(
        i->item.is_pull_request() ? "PR #" : "issue #", i->item.number, " ",
        i->item.title, " (open) ", i->item.url));
  }
  c.passed = c.evidence.empty();
  size_t skipped = v.With(ItemStatus::kSkipped).size();
  c.summary =
      c.passed ? absl::StrCat("milestone ", v.milestone.title, ": ",
                              Plural(v.items.size() - skipped, "item", "items"),
                              ", none open")
               : absl::StrCat(Plural(c.evidence.size(), "item", "items"),
                              " still open in milestone ", v.milestone.title);
  if (skipped > 0) {
    c.summary +=
        absl::StrCat(" (", skipped, " release-feature-request skipped)");
  }
  return c;
}

Criterion PresentCriterion(const MilestoneValidation& v) {
  Criterion c{.id = CriterionId::kMilestonePrsPresent,
              .title =
                  "Every closed milestone PR is present in the release "
                  "branch"};
  size_t present = 0, missing = 0;
  for (const ValidatedItem& i : v.items) {
    if (i.status == ItemStatus::kOpen || i.status == ItemStatus::kSkipped) {
      continue;
    }
    std::string what = absl::StrCat(
        i.item.is_pull_request() ? "PR #" : "issue #", i.item.number, " ",
        i.item.title, ": ", ItemStatusName(i.status), ": ", i.detail);
    if (!i.in_branch.empty()) {
      absl::StrAppend(&what, " [", CounterpartsText(i.in_branch), "]");
    }
    if (i.status == ItemStatus::kMissing) ++missing;
    if (i.status == ItemStatus::kPresent) ++present;
    c.evidence.push_back(std::move(what));
  }
  c.passed = missing == 0;
  c.summary =
      c.passed
          ? absl::StrCat(present, " present in ", v.branch, ", none missing")
          : absl::StrCat(Plural(missing, "item", "items"), " missing from ",
                         v.branch, " (", present, " present)");
  return c;
}

Criterion PicksCriterion(const std::vector<CherryPickStatus>& picks,
                         const std::optional<int64_t>& tracker) {
  Criterion c{.id = CriterionId::kNoOutstandingPicks,
              .title = "No outstanding cherry-picks in the tracker issue"};
  size_t outstanding = 0;
  for (const CherryPickStatus& p : picks) {
    std::string line = absl::StrCat(p.state(), ": trunk ", Prs(p.trunk_prs),
                                    ", release ", Prs(p.release_prs));
    if (p.landed_on_main) {
      absl::StrAppend(&line, *p.landed_on_main ? ", landed on main"
                                               : ", not on main since the cut");
    }
    if (!p.branch_commits.empty()) {
      absl::StrAppend(&line, ", in branch as ",
                      CounterpartsText(p.branch_commits));
    }
    if (!p.reverts_on_main.empty()) {
      absl::StrAppend(&line, ", reverted on main by ",
                      Shorts(p.reverts_on_main));
    }
    absl::StrAppend(&line, " (", p.comment_url, ")");
    if (p.outstanding()) ++outstanding;
    c.evidence.push_back(std::move(line));
  }
  c.passed = outstanding == 0;
  std::string where = tracker ? absl::StrCat("tracker #", *tracker)
                              : std::string("no tracker issue found");
  c.summary = absl::StrCat(where, ": ",
                           Plural(picks.size(), "nomination", "nominations"),
                           ", ", outstanding, " outstanding");
  return c;
}

Criterion RevertsCriterion(const std::vector<RevertNeeded>& reverts,
                           const std::vector<CherryPickStatus>& picks,
                           const std::string& branch) {
  Criterion c{.id = CriterionId::kNoRevertsNeeded,
              .title =
                  "No reverts on main that the release branch still "
                  "needs"};
  for (const RevertNeeded& r : reverts) {
    c.evidence.push_back(absl::StrCat(
        r.revert_sha.ShortString(), " ", r.revert_title, ": reverts ",
        r.reverted_sha.ShortString(), ", in ", branch, " as ",
        r.present_as.ShortString(), " (", EvidenceNames(r.evidence), ")"));
  }
  for (const CherryPickStatus& p : picks) {
    if (!p.needs_revert()) continue;
    bool listed = false;
    for (const RevertNeeded& r : reverts) {
      for (const ObjectId& m : p.reverts_missing) listed |= r.revert_sha == m;
    }
    if (!listed) {
      c.evidence.push_back(absl::StrCat("cherry-pick of ", Prs(p.trunk_prs),
                                        " reverted on main by ",
                                        Shorts(p.reverts_missing)));
    }
  }
  c.passed = c.evidence.empty();
  c.summary = c.passed
                  ? "no revert on main is missing from the branch"
                  : absl::StrCat(Plural(c.evidence.size(), "revert", "reverts"),
                                 " to propagate to ", branch);
  return c;
}

Criterion RcTagCriterion(const std::vector<std::string>& tags,
                         const ObjectId& head, const std::string& branch) {
  Criterion c{.id = CriterionId::kRcTagAtHead,
              .title = "An RC tag points at the branch head"};
  c.passed = !tags.empty();
  for (const std::string& t : tags) {
    c.evidence.push_back(absl::StrCat(t, " -> ", head.ShortString()));
  }
  c.summary = c.passed ? absl::StrCat(absl::StrJoin(tags, ", "), " at ", branch,
                                      " head ", head.ShortString())
                       : absl::StrCat("no RC tag at ", branch, " head ",
                                      head.ShortString());
  return c;
}

Criterion CiCriterion(const CommitChecks& checks) {
  Criterion c{.id = CriterionId::kCiGreen,
              .title =
                  "CI is green at the branch head (statuses and check "
                  "runs)"};
  c.passed = checks.green();
  for (const StatusContext& s : checks.statuses) {
    c.evidence.push_back(absl::StrCat("status ", s.context, ": ", s.state));
  }
  for (const CheckRun& r : checks.check_runs) {
    c.evidence.push_back(
        absl::StrCat("check ", r.name, ": ",
                     r.conclusion.empty() ? r.status : r.conclusion));
  }
  std::vector<std::string> bad = checks.NotGreen();
  const std::string incomplete = checks.Incomplete();
  size_t total = checks.statuses.size() + checks.check_runs.size();
  if (!incomplete.empty()) {
    // What was not listed may be red: an incomplete list never passes.
    c.summary = absl::StrCat("incomplete: ", incomplete,
                             " (no next page); the missing ones may not be "
                             "green");
    if (!bad.empty()) {
      absl::StrAppend(&c.summary, "; not green: ", absl::StrJoin(bad, ", "));
    }
  } else if (total == 0) {
    c.summary = "no statuses or check runs at the head";
  } else if (c.passed) {
    c.summary = absl::StrCat("combined status ", checks.combined_state, "; ",
                             Plural(total, "signal", "signals"), ", all green");
  } else {
    c.summary = absl::StrCat("not green: ", absl::StrJoin(bad, ", "));
  }
  return c;
}

}  // namespace

std::string CherryPickStatus::state() const {
  if (needs_revert()) return "needs-revert";
  return in_branch ? "in-branch" : "outstanding";
}

std::vector<CherryPickStatus> EvaluateCherryPicks(
    const BranchAudit& audit, absl::Span<const IssueComment> comments) {
  absl::flat_hash_set<ObjectId> needed;
  for (const RevertNeeded& r : audit.reverts_needed)
    needed.insert(r.revert_sha);
  absl::flat_hash_map<ObjectId, bool> main_in_branch;
  for (const BranchCommit& b : audit.commits) {
    for (const Counterpart& c : b.counterparts) {
      // A pick the branch reverted carries nothing.
      if (!b.RevertedFor(c.sha)) main_in_branch[c.sha] = true;
    }
  }

  std::vector<CherryPickStatus> out;
  for (const IssueComment& comment : comments) {
    std::optional<CherryPickNomination> n = ParseTrackerComment(comment.body);
    if (!n) continue;
    CherryPickStatus s;
    s.comment_url = comment.url;
    s.author = comment.author;
    s.nomination = *n;
    s.trunk_prs = PrNumbersOf(n->trunk_prs);
    s.release_prs = PrNumbersOf(n->release_prs);

    bool all_trunk_in_branch = !s.trunk_prs.empty();
    if (!s.trunk_prs.empty()) {
      bool landed = true;
      for (const Presence& p : FindPrsInBranch(audit, s.trunk_prs)) {
        if (p.main_commits.empty()) landed = false;
        for (const ObjectId& c : p.main_commits) s.main_commits.push_back(c);
        if (p.state != PresenceState::kPresent) all_trunk_in_branch = false;
        for (const Counterpart& c : p.in_branch) s.branch_commits.push_back(c);
      }
      s.landed_on_main = landed;
    }
    bool release_in_branch = false;
    for (const Presence& p : FindPrsInBranch(audit, s.release_prs)) {
      if (p.state != PresenceState::kPresent) continue;
      release_in_branch = true;
      for (const Counterpart& c : p.in_branch) {
        bool have = false;
        for (const Counterpart& h : s.branch_commits) have |= h.sha == c.sha;
        if (!have) s.branch_commits.push_back(c);
      }
    }
    s.in_branch = release_in_branch || all_trunk_in_branch;

    for (const MainCommit& r : audit.main_commits) {
      if (!RevertsNomination(r, s.main_commits, s.trunk_prs)) continue;
      s.reverts_on_main.push_back(r.sha);
      // Not in the branch, or picked but superseded by a newer pick of the
      // change it reverts (the audit lists it as needed then).
      if (!main_in_branch.contains(r.sha) || needed.contains(r.sha)) {
        s.reverts_missing.push_back(r.sha);
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

absl::string_view CriterionName(CriterionId id) {
  switch (id) {
    case CriterionId::kNoOpenItems:
      return "no-open-items";
    case CriterionId::kMilestonePrsPresent:
      return "milestone-prs-present";
    case CriterionId::kNoOutstandingPicks:
      return "no-outstanding-picks";
    case CriterionId::kNoRevertsNeeded:
      return "no-reverts-needed";
    case CriterionId::kRcTagAtHead:
      return "rc-tag-at-head";
    case CriterionId::kCiGreen:
      return "ci-green";
  }
  return "unknown";
}

bool ReadinessReport::ready() const {
  return std::all_of(criteria.begin(), criteria.end(),
                     [](const Criterion& c) { return c.passed; });
}

absl::StatusOr<ReadinessReport> CheckReadiness(
    const Repository& repo, GitHubClient& client,
    const ReadinessOptions& options) {
  ReadinessReport r;
  r.repository = options.github_repo.ToString();
  r.branch = options.branch;
  MilestoneCheckOptions mo;
  mo.github_repo = options.github_repo;
  mo.branch = options.branch;
  mo.milestone = options.milestone;
  mo.audit.main = options.main;
  mo.audit.progress = options.audit_progress;
  mo.audit.cache_dir = options.audit_cache_dir;
  mo.validation.progress = options.history_progress;
  RELKIT_ASSIGN_OR_RETURN(MilestoneCheck check,
                          CheckMilestone(repo, client, mo));
  const BranchAudit& audit = check.audit;
  r.branch_head = audit.branch_head;
  r.reverts_needed = audit.reverts_needed;
  r.audit_cache_problem = audit.cache.problem;
  r.milestone = std::move(check.milestone);
  r.validation = std::move(check.validation);

  RELKIT_ASSIGN_OR_RETURN(std::vector<RepositoryRcTag> tags,
                          ListRcTags(repo, options.branch));
  std::vector<std::string> tag_names;
  for (const RepositoryRcTag& t : tags) {
    tag_names.push_back(t.tag.ToString());
    if (t.commit == audit.branch_head && t.tag.is_rc()) {
      r.rc_tags_at_head.push_back(t.tag.ToString());
    }
  }

  r.tracker_issue = options.tracker_issue;
  if (!r.tracker_issue) {
    // The branch's target release names its tracker ("[v2.4.0] Release
    // Tracker"); a branch that is not release/X.Y has none to look up.
    absl::StatusOr<Version> target = TargetRelease(options.branch, tag_names);
    if (target.ok()) {
      IssueQuery q;
      q.labels = options.tracker_label;
      RELKIT_ASSIGN_OR_RETURN(std::vector<Issue> issues,
                              ListIssues(client, options.github_repo, q));
      std::vector<Issue> trackers = FindTrackerIssues(issues, *target);
      if (!trackers.empty()) r.tracker_issue = trackers.front().number;
    }
  }
  if (r.tracker_issue) {
    RELKIT_ASSIGN_OR_RETURN(
        std::vector<IssueComment> comments,
        ListIssueComments(client, options.github_repo, *r.tracker_issue));
    r.cherry_picks = EvaluateCherryPicks(audit, comments);
  }

  RELKIT_ASSIGN_OR_RETURN(r.checks,
                          GetCommitChecks(client, options.github_repo,
                                          audit.branch_head.ToString()));

  r.criteria.push_back(OpenItemsCriterion(r.validation));
  r.criteria.push_back(PresentCriterion(r.validation));
  r.criteria.push_back(PicksCriterion(r.cherry_picks, r.tracker_issue));
  r.criteria.push_back(
      RevertsCriterion(r.reverts_needed, r.cherry_picks, options.branch));
  r.criteria.push_back(
      RcTagCriterion(r.rc_tags_at_head, r.branch_head, options.branch));
  r.criteria.push_back(CiCriterion(r.checks));
  r.source = client.source();
  r.requests = client.stats().requests;
  return r;
}

}  // namespace relkit
