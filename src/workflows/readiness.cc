#include "relkit/readiness.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "internal/html.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
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

std::string CounterpartText(const Counterpart& c) {
  std::vector<std::string> e;
  for (Evidence ev : c.evidence) e.emplace_back(EvidenceName(ev));
  return e.empty() ? c.sha.ShortString()
                   : absl::StrCat(c.sha.ShortString(), " (",
                                  absl::StrJoin(e, ", "), ")");
}

std::string CounterpartsText(const std::vector<Counterpart>& cs) {
  std::vector<std::string> s;
  for (const Counterpart& c : cs) s.push_back(CounterpartText(c));
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
    std::vector<std::string> e;
    for (Evidence ev : r.evidence) e.emplace_back(EvidenceName(ev));
    c.evidence.push_back(absl::StrCat(
        r.revert_sha.ShortString(), " ", r.revert_title, ": reverts ",
        r.reverted_sha.ShortString(), ", in ", branch, " as ",
        r.present_as.ShortString(), " (", absl::StrJoin(e, ", "), ")"));
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
  size_t total = checks.statuses.size() + checks.check_runs.size();
  if (total == 0) {
    c.summary = "no statuses or check runs at the head";
  } else if (c.passed) {
    c.summary = absl::StrCat("combined status ", checks.combined_state, "; ",
                             Plural(total, "signal", "signals"), ", all green");
  } else {
    c.summary = absl::StrCat("not green: ", absl::StrJoin(bad, ", "));
  }
  return c;
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Str(Writer& w, absl::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void Key(Writer& w, absl::string_view k) { Str(w, k); }

void StrArray(Writer& w, absl::string_view key,
              const std::vector<std::string>& v) {
  Key(w, key);
  w.StartArray();
  for (const std::string& s : v) Str(w, s);
  w.EndArray();
}

void ShaArray(Writer& w, absl::string_view key,
              const std::vector<ObjectId>& v) {
  Key(w, key);
  w.StartArray();
  for (const ObjectId& s : v) Str(w, s.ToString());
  w.EndArray();
}

void PrArray(Writer& w, absl::string_view key, const std::vector<uint64_t>& v) {
  Key(w, key);
  w.StartArray();
  for (uint64_t n : v) w.Uint64(n);
  w.EndArray();
}

void CounterpartArray(Writer& w, absl::string_view key,
                      const std::vector<Counterpart>& v) {
  Key(w, key);
  w.StartArray();
  for (const Counterpart& c : v) {
    w.StartObject();
    Key(w, "sha");
    Str(w, c.sha.ToString());
    Key(w, "evidence");
    w.StartArray();
    for (Evidence e : c.evidence) Str(w, EvidenceName(e));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
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

std::string ReadinessReport::ToText() const {
  size_t passed = 0;
  for (const Criterion& c : criteria) passed += c.passed ? 1 : 0;
  std::string out = absl::StrCat("Final RC readiness: ", repository, " ",
                                 branch, " at ", branch_head.ShortString(),
                                 ", milestone ", milestone.title, "\n");
  for (const Criterion& c : criteria) {
    absl::StrAppend(&out, c.passed ? "PASS  " : "FAIL  ", CriterionName(c.id),
                    ": ", c.summary, "\n");
    for (const std::string& e : c.evidence) {
      absl::StrAppend(&out, "        ", e, "\n");
    }
  }
  absl::StrAppend(&out, ready() ? "READY" : "NOT READY", ": ", passed, "/",
                  criteria.size(), " criteria passed (GitHub: ", source, ", ",
                  requests, " requests)\n");
  return out;
}

std::string ReadinessReport::ToJson() const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.SetIndent(' ', 2);
  w.StartObject();
  Key(w, "repository");
  Str(w, repository);
  Key(w, "branch");
  Str(w, branch);
  Key(w, "branch_head");
  Str(w, branch_head.ToString());
  Key(w, "milestone");
  w.StartObject();
  Key(w, "number");
  w.Int64(milestone.number);
  Key(w, "title");
  Str(w, milestone.title);
  Key(w, "url");
  Str(w, milestone.url);
  w.EndObject();
  Key(w, "tracker_issue");
  if (tracker_issue) {
    w.Int64(*tracker_issue);
  } else {
    w.Null();
  }
  StrArray(w, "rc_tags_at_head", rc_tags_at_head);
  Key(w, "ready");
  w.Bool(ready());
  Key(w, "criteria");
  w.StartArray();
  for (const Criterion& c : criteria) {
    w.StartObject();
    Key(w, "id");
    Str(w, CriterionName(c.id));
    Key(w, "title");
    Str(w, c.title);
    Key(w, "passed");
    w.Bool(c.passed);
    Key(w, "summary");
    Str(w, c.summary);
    StrArray(w, "evidence", c.evidence);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "items");
  w.StartArray();
  for (const ValidatedItem& i : validation.items) {
    w.StartObject();
    Key(w, "kind");
    Str(w, i.item.is_pull_request() ? "pull_request" : "issue");
    Key(w, "number");
    w.Int64(i.item.number);
    Key(w, "title");
    Str(w, i.item.title);
    Key(w, "state");
    Str(w, IssueStateName(i.item.state));
    Key(w, "url");
    Str(w, i.item.url);
    Key(w, "status");
    Str(w, ItemStatusName(i.status));
    Key(w, "detail");
    Str(w, i.detail);
    PrArray(w, "prs", i.prs);
    ShaArray(w, "main_commits", i.main_commits);
    ShaArray(w, "missing_commits", i.missing_commits);
    CounterpartArray(w, "in_branch", i.in_branch);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "cherry_picks");
  w.StartArray();
  for (const CherryPickStatus& p : cherry_picks) {
    w.StartObject();
    Key(w, "comment_url");
    Str(w, p.comment_url);
    Key(w, "author");
    Str(w, p.author);
    Key(w, "state");
    Str(w, p.state());
    PrArray(w, "trunk_prs", p.trunk_prs);
    PrArray(w, "release_prs", p.release_prs);
    Key(w, "landed_on_main");
    if (p.landed_on_main) {
      w.Bool(*p.landed_on_main);
    } else {
      w.Null();
    }
    ShaArray(w, "main_commits", p.main_commits);
    Key(w, "in_branch");
    w.Bool(p.in_branch);
    CounterpartArray(w, "branch_commits", p.branch_commits);
    ShaArray(w, "reverts_on_main", p.reverts_on_main);
    ShaArray(w, "reverts_missing", p.reverts_missing);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "checks");
  w.StartObject();
  Key(w, "sha");
  Str(w, checks.sha);
  Key(w, "combined_state");
  Str(w, checks.combined_state);
  StrArray(w, "not_green", checks.NotGreen());
  w.EndObject();
  Key(w, "source");
  Str(w, source);
  Key(w, "requests");
  w.Int64(requests);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

std::string ReadinessReport::ToHtml() const {
  const std::string title =
      absl::StrCat("Final RC readiness: ", repository, " ", branch);
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>",
      internal::HtmlEscape(title),
      "</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;"
      "color:#222}\n"
      "h1{font-size:1.4em}\n"
      ".verdict{font-size:1.2em;font-weight:bold;padding:.5em 1em;"
      "border-radius:4px}\n"
      ".ready{background:#dff5e1;color:#135e1c}\n"
      ".notready{background:#fde2e1;color:#8a1c14}\n"
      "table{border-collapse:collapse;width:100%;margin-top:1em}\n"
      "th,td{border:1px solid #ccc;padding:.4em .6em;text-align:left;"
      "vertical-align:top}\n"
      ".pass{color:#135e1c;font-weight:bold}\n"
      ".fail{color:#8a1c14;font-weight:bold}\n"
      "ul{margin:.3em 0;padding-left:1.2em}\n"
      "code{font-size:.9em}\n"
      "</style>\n</head>\n<body>\n<h1>",
      internal::HtmlEscape(title), "</h1>\n<p>Head <code>",
      branch_head.ToString(), "</code>, milestone ",
      internal::HtmlEscape(milestone.title), " (#", milestone.number, ")");
  if (tracker_issue) absl::StrAppend(&out, ", tracker #", *tracker_issue);
  absl::StrAppend(&out, ".</p>\n<p class=\"verdict ",
                  ready() ? "ready\">READY" : "notready\">NOT READY",
                  "</p>\n<table>\n<tr><th>Criterion</th><th>Result</th>"
                  "<th>Evidence</th></tr>\n");
  for (const Criterion& c : criteria) {
    absl::StrAppend(&out, "<tr id=\"", CriterionName(c.id), "\"><td>",
                    internal::HtmlEscape(c.title), "<br><code>",
                    CriterionName(c.id), "</code></td><td class=\"",
                    c.passed ? "pass\">PASS" : "fail\">FAIL", "</td><td>",
                    internal::HtmlEscape(c.summary));
    if (!c.evidence.empty()) {
      absl::StrAppend(&out, "<ul>");
      for (const std::string& e : c.evidence) {
        absl::StrAppend(&out, "<li>", internal::HtmlEscape(e), "</li>");
      }
      absl::StrAppend(&out, "</ul>");
    }
    absl::StrAppend(&out, "</td></tr>\n");
  }
  absl::StrAppend(&out,
                  "</table>\n<p>GitHub data: ", internal::HtmlEscape(source),
                  ", ", requests,
                  " requests. Generated by relkit check.</p>\n"
                  "</body>\n</html>\n");
  return out;
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
