#include "relkit/milestone_validation.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "relkit/commit_message.h"
#include "relkit/github_issues.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// The walk before the cut skips what lies below this many first-parent
// commits in a row older than the earliest time a remaining item can have
// landed, less the slack (clock skew; commits exported from another system
// carry their own dates).
constexpr size_t kOlderInARow = 200;
constexpr absl::Duration kHistorySlack = absl::Hours(7 * 24);

// How often (in commits) the walk before the cut reports progress.
constexpr size_t kProgressEvery = 1024;

// Where a commit that fixes an issue was found.
enum class FixPlace : uint8_t { kMainSinceCut, kBranch, kBeforeCut };

struct FixRef {
  ObjectId commit;
  std::optional<uint64_t> pr;
  FixPlace place = FixPlace::kMainSinceCut;
};

// "owner/name" of an html_url such as https://github.com/o/n/issues/3.
std::string RepoOfUrl(absl::string_view url) {
  size_t p = url.find("://");
  if (p == absl::string_view::npos) return "";
  url.remove_prefix(p + 3);
  size_t slash = url.find('/');
  if (slash == absl::string_view::npos) return "";
  url.remove_prefix(slash + 1);
  std::vector<std::string> parts;
  for (int i = 0; i < 2; ++i) {
    size_t s = url.find('/');
    parts.emplace_back(url.substr(0, s));
    if (s == absl::string_view::npos) return "";
    url.remove_prefix(s + 1);
  }
  return absl::StrCat(parts[0], "/", parts[1]);
}

// Whether a `Fixes` reference names an issue of `repo` ("" accepts any).
bool SameRepo(const GitHubRef& ref, const std::string& repo) {
  if (ref.owner.empty() || repo.empty()) return true;
  return absl::EqualsIgnoreCase(absl::StrCat(ref.owner, "/", ref.repo), repo);
}

template <typename T>
void AddUnique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

void AddCounterpart(std::vector<Counterpart>& v, const Counterpart& c) {
  for (const Counterpart& have : v) {
    if (have.sha == c.sha) return;
  }
  v.push_back(c);
}

std::string ShortList(const std::vector<ObjectId>& ids) {
  std::vector<std::string> s;
  for (const ObjectId& id : ids) s.push_back(id.ShortString());
  return absl::StrJoin(s, ", ");
}

std::string PrList(const std::vector<uint64_t>& prs) {
  std::vector<std::string> s;
  for (uint64_t pr : prs) s.push_back(absl::StrCat("#", pr));
  return absl::StrJoin(s, ", ");
}

// Validates the items of one milestone against one branch audit. The phases
// run in the order `Run` calls them; each leaves what it learnt in members
// for the next: which items need mapping, the commits and PRs that fix each
// issue, where each PR is, what is still unmapped, what the branch undid.
class MilestoneValidator {
 public:
  MilestoneValidator(const Repository& repo, const BranchAudit& audit,
                     absl::Span<const Issue> items,
                     const MilestoneValidationOptions& options)
      : repo_(repo), audit_(audit), items_(items), options_(options) {}

  absl::StatusOr<MilestoneValidation> Run(const Milestone& milestone) {
    MilestoneValidation out;
    out.branch = audit_.branch;
    out.milestone = milestone;
    out.main_commits_since_cut = audit_.main_commits.size();
    out.branch_commits = audit_.commits.size();

    CollectWanted();
    AddFixesFromPrBodies();
    AddFixesSinceCut();
    FindPresence();
    FindUnmapped();
    RELKIT_RETURN_IF_ERROR(SearchBeforeCut(out));
    if (out.history_ended_before) {
      // Said on every item the walk could not find: it did not go to the
      // root.
      unsearched_ =
          absl::StrCat(" (history before ",
                       absl::FormatTime("%Y-%m-%d", *out.history_ended_before,
                                        absl::UTCTimeZone()),
                       " not searched)");
    }
    IndexBranch();
    for (const Issue& i : items_) out.items.push_back(Validate(i));
    return out;
  }

 private:
  bool Skipped(const Issue& i) const {
    return !options_.skip_label.empty() && i.HasLabel(options_.skip_label);
  }

  // The closed items that need mapping: issues to the commits that fix them,
  // merged PRs to their commits. And the repository the items' URLs name: a
  // `Fixes owner/name#N` of another repository fixes nothing here.
  void CollectWanted() {
    for (const Issue& i : items_) {
      gh_repo_ = RepoOfUrl(i.url);
      if (!gh_repo_.empty()) break;
    }
    for (const Issue& i : items_) {
      if (Skipped(i) || i.state != IssueState::kClosed || i.number <= 0) {
        continue;
      }
      const uint64_t n = static_cast<uint64_t>(i.number);
      if (!i.is_pull_request()) {
        wanted_issues_.insert(n);
      } else if (i.merged) {
        wanted_prs_.insert(n);
      }
    }
  }

  // Records `fix` for the issue `ref` names, when that is a wanted one.
  void AddFix(const GitHubRef& ref, const FixRef& fix) {
    if (wanted_issues_.count(ref.number) != 0 && SameRepo(ref, gh_repo_)) {
      fixes_[ref.number].push_back(fix);
    }
  }

  // A merged milestone PR whose description closes a milestone issue: the
  // listing already holds the body, so this costs no request.
  void AddFixesFromPrBodies() {
    for (const Issue& i : items_) {
      if (!i.is_pull_request() || !i.merged || Skipped(i)) continue;
      for (const GitHubRef& ref : CommitMessage::Parse(i.body).fixes) {
        AddFix(ref, FixRef{.commit = ObjectId(),
                           .pr = static_cast<uint64_t>(i.number),
                           .place = FixPlace::kMainSinceCut});
      }
    }
  }

  // Commits since the cut, on both sides, that close a milestone issue, from
  // the messages the audit parsed. Main's come first, so that an issue fixed
  // on main and by its release PR lists the main PR first.
  void AddFixesSinceCut() {
    for (const MainCommit& c : audit_.main_commits) {
      for (const GitHubRef& ref : c.fixes) {
        AddFix(ref, FixRef{.commit = c.sha,
                           .pr = c.pr,
                           .place = FixPlace::kMainSinceCut});
      }
    }
    for (const BranchCommit& c : audit_.commits) {
      for (const GitHubRef& ref : c.fixes) {
        AddFix(ref, FixRef{.commit = c.sha,
                           .pr = c.own_pr,
                           .place = FixPlace::kBranch});
      }
    }
  }

  // Where every PR to validate is since the cut: the milestone's and those
  // that fix its issues. One query for all of them.
  void FindPresence() {
    std::set<uint64_t> all = wanted_prs_;
    for (const auto& [issue, refs] : fixes_) {
      for (const FixRef& f : refs) {
        if (f.pr) all.insert(*f.pr);
      }
    }
    std::vector<uint64_t> prs(all.begin(), all.end());
    std::vector<Presence> p = FindPrsInBranch(audit_, prs);
    for (size_t k = 0; k < p.size() && k < prs.size(); ++k) {
      presence_[prs[k]] = std::move(p[k]);
    }
  }

  // What neither side names since the cut: PRs without a commit there and
  // issues without a fix. They landed before the cut, if at all.
  void FindUnmapped() {
    for (const auto& [pr, p] : presence_) {
      if (p.state == PresenceState::kNotOnMainSinceCut) {
        unmapped_prs_.insert(pr);
      }
    }
    for (uint64_t n : wanted_issues_) {
      if (fixes_.find(n) == fixes_.end()) unmapped_issues_.insert(n);
    }
  }

  bool AllMapped() const {
    return unmapped_prs_.empty() && unmapped_issues_.empty();
  }

  // The earliest time a commit can carry what is still unmapped, less the
  // slack; nullopt when some item has no such time (the walk before the cut
  // may then have to reach the root).
  std::optional<absl::Time> StopBefore() const {
    std::optional<absl::Time> earliest;
    for (const std::optional<absl::Time>& t : UnmappedLandingTimes()) {
      if (!t) return std::nullopt;
      if (!earliest || *t < *earliest) earliest = *t;
    }
    if (!earliest) return std::nullopt;
    return *earliest - kHistorySlack;
  }

  // The earliest time each unmapped item can have landed: a PR when it
  // merged, a fix after its issue was opened; nullopt when unknown.
  std::vector<std::optional<absl::Time>> UnmappedLandingTimes() const {
    absl::flat_hash_map<uint64_t, const Issue*> item_of;
    for (const Issue& i : items_) {
      if (i.number > 0) item_of[static_cast<uint64_t>(i.number)] = &i;
    }
    auto created = [&item_of](uint64_t issue) -> std::optional<absl::Time> {
      auto it = item_of.find(issue);
      return it != item_of.end() ? it->second->created_at : std::nullopt;
    };
    absl::flat_hash_map<uint64_t, std::vector<uint64_t>> issues_fixed_by;
    for (const auto& [issue, refs] : fixes_) {
      for (const FixRef& f : refs) {
        if (f.pr) issues_fixed_by[*f.pr].push_back(issue);
      }
    }
    std::vector<std::optional<absl::Time>> out;
    for (uint64_t pr : unmapped_prs_) {
      auto it = item_of.find(pr);
      if (it != item_of.end() && it->second->is_pull_request()) {
        out.push_back(it->second->merged_at);
        continue;
      }
      auto fixed = issues_fixed_by.find(pr);  // a fixing PR: after its issue
      if (fixed == issues_fixed_by.end()) {
        out.push_back(std::nullopt);
        continue;
      }
      for (uint64_t issue : fixed->second) out.push_back(created(issue));
    }
    for (uint64_t n : unmapped_issues_) out.push_back(created(n));
    return out;
  }

  // The horizon of the walk before the cut: the first of kOlderInARow
  // first-parent commits in a row older than `stop_before`. Only the
  // mainline decides it, so one commit with a skewed date counts once and
  // side branches, which keep their own dates, cannot end the walk; the
  // walk then skips the horizon's ancestors only. nullopt: no such run.
  absl::StatusOr<std::optional<ObjectId>> FindHorizon(const ObjectId& start,
                                                      absl::Time stop_before) {
    WalkOptions mainline;
    mainline.first_parent = true;
    size_t older = 0;
    ObjectId first_older;
    std::optional<ObjectId> horizon;
    absl::Status inner = absl::OkStatus();
    RELKIT_RETURN_IF_ERROR(repo_.Walk(
        absl::MakeConstSpan(&start, 1), {}, mainline, [&](const ObjectId& sha) {
          absl::StatusOr<CommitInfo> info = repo_.GetCommit(sha);  // its time
          if (!info.ok()) {
            inner = info.status();
            return false;
          }
          if (info->committer.time >= stop_before) {
            older = 0;
            return true;
          }
          if (older++ == 0) first_older = sha;
          if (older < kOlderInARow) return true;
          horizon = first_older;
          return false;
        }));
    RELKIT_RETURN_IF_ERROR(inner);
    return horizon;
  }

  // Looks for what is still unmapped in main's history before the cut: it
  // landed before the branch was cut, so the branch has it (unless the
  // branch reverted it). The walk stops as soon as everything is mapped.
  absl::Status SearchBeforeCut(MilestoneValidation& out) {
    if (AllMapped() || audit_.cut_point.is_zero()) return absl::OkStatus();
    const ObjectId start = audit_.cut_point;
    const std::optional<absl::Time> stop_before = StopBefore();
    std::optional<ObjectId> horizon;
    if (stop_before) {
      RELKIT_ASSIGN_OR_RETURN(horizon, FindHorizon(start, *stop_before));
    }
    std::vector<ObjectId> hide;
    if (horizon) hide.push_back(*horizon);
    WalkOptions walk;
    walk.limit = options_.max_history_commits;
    absl::Status inner = absl::OkStatus();
    RELKIT_RETURN_IF_ERROR(repo_.Walk(
        absl::MakeConstSpan(&start, 1), hide, walk, [&](const ObjectId& sha) {
          ++out.history_commits_read;
          if (options_.progress &&
              out.history_commits_read % kProgressEvery == 0) {
            options_.progress(out.history_commits_read);
          }
          // Only the message is needed: the cheap read.
          inner = repo_.ReadMessage(
              sha, [&](absl::string_view message, size_t /*parents*/) {
                MapBeforeCut(sha, CommitMessage::Parse(message));
              });
          return inner.ok() && !AllMapped();
        }));
    RELKIT_RETURN_IF_ERROR(inner);
    if (horizon && !AllMapped()) out.history_ended_before = *stop_before;
    if (options_.progress && out.history_commits_read % kProgressEvery != 0) {
      options_.progress(out.history_commits_read);  // where the walk ended
    }
    return absl::OkStatus();
  }

  // Maps the unmapped items that commit `sha` of before the cut names: the
  // PR it landed as, the issues it fixes.
  void MapBeforeCut(const ObjectId& sha, const CommitMessage& m) {
    std::optional<uint64_t> own = m.OwnPr();
    if (own && unmapped_prs_.erase(*own) != 0) before_cut_[*own] = sha;
    for (const GitHubRef& ref : m.fixes) {
      if (unmapped_issues_.count(ref.number) != 0 && SameRepo(ref, gh_repo_)) {
        unmapped_issues_.erase(ref.number);
        fixes_[ref.number].push_back(
            FixRef{.commit = sha, .pr = own, .place = FixPlace::kBeforeCut});
      }
    }
  }

  // Indexes the branch for the items: main commit -> the branch commits that
  // carry it live. What the branch undid itself is kept apart, to say so:
  // commit (on main since the cut, on the branch, or before the cut) -> (the
  // commit of the branch that carried it, the revert).
  void IndexBranch() {
    for (const BranchCommit& c : audit_.commits) {
      for (const Counterpart& cp : c.counterparts) {
        if (std::optional<ObjectId> by = c.RevertedFor(cp.sha)) {
          undone_.try_emplace(cp.sha, c.sha, *by);
        } else {
          branch_of_main_[cp.sha].push_back(Counterpart{c.sha, cp.evidence});
        }
      }
      if (c.reverted_by) undone_.try_emplace(c.sha, c.sha, *c.reverted_by);
    }
    for (const auto& [commit, by] : audit_.reverted_before_cut) {
      undone_.try_emplace(commit, commit, by);
    }
    for (const MainCommit& m : audit_.main_commits) on_main_.insert(m.sha);
    for (const auto& [commit, by] : audit_.reverted_before_cut) {
      on_main_.insert(commit);  // landed on main, before the cut
    }
  }

  ValidatedItem Validate(const Issue& i) {
    ValidatedItem v;
    v.item = i;
    const uint64_t n = i.number > 0 ? static_cast<uint64_t>(i.number) : 0;
    if (Skipped(i)) {
      v.status = ItemStatus::kSkipped;
      v.detail = absl::StrCat("labelled ", options_.skip_label);
    } else if (i.state == IssueState::kOpen) {
      v.status = ItemStatus::kOpen;
      v.detail =
          i.is_pull_request() ? "pull request still open" : "issue still open";
    } else if (i.is_pull_request() && !i.merged) {
      v.status = ItemStatus::kNotMerged;
      v.detail = "closed without merging";
    } else if (i.is_pull_request()) {
      ValidatePr(n, v);
    } else {
      ValidateIssue(n, v);
    }
    return v;
  }

  // A merged PR: present when every commit of it is in the branch.
  void ValidatePr(uint64_t n, ValidatedItem& v) {
    if (!FoldPr(n, v)) {
      v.status = ItemStatus::kNoCommit;
      v.detail = absl::StrCat("no commit of ", audit_.main, " or ",
                              audit_.branch, " names #", n, unsearched_);
    } else if (!v.missing_commits.empty()) {
      v.status = ItemStatus::kMissing;
      v.detail = MissingDetail("landed", "as", v.missing_commits);
    } else {
      v.status = ItemStatus::kPresent;
      v.detail = absl::StrCat("in ", audit_.branch);
    }
  }

  // A closed issue: present when every fix of it is in the branch.
  void ValidateIssue(uint64_t n, ValidatedItem& v) {
    auto it = fixes_.find(n);
    if (it == fixes_.end()) {
      v.status = ItemStatus::kNoFix;
      v.detail = absl::StrCat(
          "no commit or milestone PR says it fixes this issue", unsearched_);
      return;
    }
    for (const FixRef& f : it->second) {
      if (f.pr && FoldPr(*f.pr, v)) continue;
      FoldFixCommit(f, v);
    }
    if (!v.missing_commits.empty()) {
      v.status = ItemStatus::kMissing;
      v.detail = MissingDetail("fixed", "by", v.missing_commits);
    } else if (v.in_branch.empty()) {
      v.status = ItemStatus::kNoFix;
      v.detail = absl::StrCat("fixing PRs ", PrList(v.prs), " have no commit",
                              unsearched_);
    } else {
      v.status = ItemStatus::kPresent;
      v.detail = v.prs.empty() ? absl::StrCat("fix in ", audit_.branch)
                               : absl::StrCat("fixed by ", PrList(v.prs),
                                              ", in ", audit_.branch);
    }
  }

  // Folds what is known of PR `pr` into `v`; returns false when it has no
  // commit anywhere.
  bool FoldPr(uint64_t pr, ValidatedItem& v) const {
    AddUnique(v.prs, pr);
    auto found = presence_.find(pr);
    if (found == presence_.end()) {
      // A PR met only before the cut (an issue's fix found by the walk).
      return false;
    }
    const Presence& p = found->second;
    for (const ObjectId& c : p.main_commits) AddUnique(v.main_commits, c);
    for (const Counterpart& c : p.in_branch) AddCounterpart(v.in_branch, c);
    if (p.state == PresenceState::kMissing) {
      for (const ObjectId& c : p.main_commits) {
        if (branch_of_main_.find(c) == branch_of_main_.end()) {
          AddUnique(v.missing_commits, c);
        }
      }
      // Landed on the branch only, and reverted there.
      if (p.main_commits.empty()) {
        for (const Counterpart& c : p.reverted_in_branch) {
          AddUnique(v.missing_commits, c.sha);
        }
      }
      return true;
    }
    if (p.state == PresenceState::kPresent) return true;
    auto it = before_cut_.find(pr);
    if (it == before_cut_.end()) return false;
    AddUnique(v.main_commits, it->second);
    if (undone_.contains(it->second)) {
      AddUnique(v.missing_commits, it->second);  // reverted on the branch
    } else {
      AddCounterpart(v.in_branch,
                     Counterpart{it->second, {Evidence::kAncestry}});
    }
    return true;
  }

  // Folds a fixing commit that no PR of it placed (a fix without a PR, or
  // whose PR has no commit since the cut) into `v`, by where it was found.
  void FoldFixCommit(const FixRef& f, ValidatedItem& v) const {
    if (f.commit.is_zero()) return;  // a PR body's: only its PR tells
    AddUnique(v.main_commits, f.commit);
    if (f.place != FixPlace::kMainSinceCut && undone_.contains(f.commit)) {
      AddUnique(v.missing_commits, f.commit);  // reverted on the branch
      return;
    }
    switch (f.place) {
      case FixPlace::kBranch:
        AddCounterpart(v.in_branch, Counterpart{f.commit, {}});
        break;
      case FixPlace::kBeforeCut:
        AddCounterpart(v.in_branch,
                       Counterpart{f.commit, {Evidence::kAncestry}});
        break;
      case FixPlace::kMainSinceCut: {
        auto b = branch_of_main_.find(f.commit);
        if (b == branch_of_main_.end()) {
          AddUnique(v.missing_commits, f.commit);
        } else {
          for (const Counterpart& c : b->second) AddCounterpart(v.in_branch, c);
        }
        break;
      }
    }
  }

  // "landed on main as X, not in B; picked as P but reverted there by R"
  // (`what` "landed", `how` "as"; or "fixed", "by"): where `missing` came
  // from and, for the first the branch undid, how.
  std::string MissingDetail(absl::string_view what, absl::string_view how,
                            const std::vector<ObjectId>& missing) const {
    bool all_on_main = true;
    for (const ObjectId& m : missing) all_on_main &= on_main_.contains(m);
    std::string out = absl::StrCat(
        what, all_on_main ? absl::StrCat(" on ", audit_.main) : "", " ", how,
        " ", ShortList(missing), ", not in ", audit_.branch);
    for (const ObjectId& m : missing) {
      auto it = undone_.find(m);
      if (it == undone_.end()) continue;
      const auto& [carrier, by] = it->second;
      if (carrier == m) {
        absl::StrAppend(&out, "; reverted there by ", by.ShortString());
      } else {
        absl::StrAppend(&out, "; picked as ", carrier.ShortString(),
                        " but reverted there by ", by.ShortString());
      }
      break;
    }
    return out;
  }

  const Repository& repo_;
  const BranchAudit& audit_;
  const absl::Span<const Issue> items_;
  const MilestoneValidationOptions& options_;
  // "owner/name" of the items' URLs; "" accepts a `Fixes` of any repository.
  std::string gh_repo_;
  // Closed issues and merged PRs of the milestone (ordered: the PR queries
  // and the walk's bound follow this order).
  std::set<uint64_t> wanted_issues_;
  std::set<uint64_t> wanted_prs_;
  // Issue -> what fixes it, in the order found: PR bodies, main since the
  // cut, the branch, before the cut.
  std::map<uint64_t, std::vector<FixRef>> fixes_;
  // PR (the milestone's and the fixing ones) -> where it is since the cut.
  absl::flat_hash_map<uint64_t, Presence> presence_;
  // What the walk before the cut still looks for.
  std::set<uint64_t> unmapped_prs_;
  std::set<uint64_t> unmapped_issues_;
  // PR -> the commit it landed as before the cut.
  absl::flat_hash_map<uint64_t, ObjectId> before_cut_;
  // Appended to the detail of items not found when the walk ended early.
  std::string unsearched_;
  // From IndexBranch.
  absl::flat_hash_map<ObjectId, std::vector<Counterpart>> branch_of_main_;
  absl::flat_hash_map<ObjectId, std::pair<ObjectId, ObjectId>> undone_;
  absl::flat_hash_set<ObjectId> on_main_;
};

}  // namespace

absl::string_view ItemStatusName(ItemStatus status) {
  switch (status) {
    case ItemStatus::kPresent:
      return "present";
    case ItemStatus::kMissing:
      return "missing";
    case ItemStatus::kOpen:
      return "open";
    case ItemStatus::kNotMerged:
      return "not-merged";
    case ItemStatus::kNoCommit:
      return "no-commit";
    case ItemStatus::kNoFix:
      return "no-fix";
    case ItemStatus::kSkipped:
      return "skipped";
  }
  return "unknown";
}

std::vector<const ValidatedItem*> MilestoneValidation::With(
    ItemStatus status) const {
  std::vector<const ValidatedItem*> out;
  for (const ValidatedItem& i : items) {
    if (i.status == status) out.push_back(&i);
  }
  return out;
}

size_t MilestoneValidation::ProblemCount() const {
  size_t problems = 0;
  for (const ValidatedItem& i : items) problems += i.problem() ? 1 : 0;
  return problems;
}

absl::StatusOr<MilestoneValidation> ValidateMilestone(
    const Repository& repo, const BranchAudit& audit,
    const Milestone& milestone, absl::Span<const Issue> items,
    const MilestoneValidationOptions& options) {
  return MilestoneValidator(repo, audit, items, options).Run(milestone);
}

absl::StatusOr<MilestoneCheck> CheckMilestone(
    const Repository& repo, GitHubClient& client,
    const MilestoneCheckOptions& options) {
  MilestoneCheck check;
  // The audit first: a branch that does not resolve costs no request.
  RELKIT_ASSIGN_OR_RETURN(check.audit,
                          AuditBranch(repo, options.branch, options.audit));
  RELKIT_ASSIGN_OR_RETURN(
      check.milestone,
      FindMilestone(client, options.github_repo, options.milestone));
  RELKIT_ASSIGN_OR_RETURN(
      std::vector<Issue> items,
      ListMilestoneItems(client, options.github_repo, check.milestone.number));
  RELKIT_ASSIGN_OR_RETURN(check.validation,
                          ValidateMilestone(repo, check.audit, check.milestone,
                                            items, options.validation));
  return check;
}

absl::StatusOr<MilestoneCheck> CheckMilestone(
    const Repository& repo, const Milestone& milestone,
    absl::Span<const Issue> items, const MilestoneCheckOptions& options) {
  MilestoneCheck check;
  RELKIT_ASSIGN_OR_RETURN(check.audit,
                          AuditBranch(repo, options.branch, options.audit));
  check.milestone = milestone;
  RELKIT_ASSIGN_OR_RETURN(check.validation,
                          ValidateMilestone(repo, check.audit, check.milestone,
                                            items, options.validation));
  return check;
}

}  // namespace relkit
