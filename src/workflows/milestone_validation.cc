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

std::string MilestoneValidation::AnalyzeLines() const {
  std::string out = absl::StrCat("len(main_commits)=", main_commits_since_cut,
                                 "\nlen(release_commits)=", branch_commits,
                                 "\nURL;Title;Status\n");
  for (const ValidatedItem& i : items) {
    if (!i.problem()) continue;
    absl::StrAppend(&out, i.item.url, " ;", i.item.title, ";",
                    IssueStateName(i.item.state), "\n");
  }
  return out;
}

absl::StatusOr<MilestoneValidation> ValidateMilestone(
    const Repository& repo, const BranchAudit& audit,
    const Milestone& milestone, absl::Span<const Issue> items,
    const MilestoneValidationOptions& options) {
  MilestoneValidation out;
  out.branch = audit.branch;
  out.milestone = milestone;
  out.main_commits_since_cut = audit.main_commits.size();
  out.branch_commits = audit.commits.size();

  std::string gh_repo;
  for (const Issue& i : items) {
    gh_repo = RepoOfUrl(i.url);
    if (!gh_repo.empty()) break;
  }
  auto skipped = [&](const Issue& i) {
    return !options.skip_label.empty() && i.HasLabel(options.skip_label);
  };

  // The items that need mapping.
  std::set<uint64_t> wanted_issues;
  std::set<uint64_t> wanted_prs;
  std::map<uint64_t, std::vector<FixRef>> fixes;
  for (const Issue& i : items) {
    if (skipped(i) || i.state != IssueState::kClosed || i.number <= 0) {
      continue;
    }
    const uint64_t n = static_cast<uint64_t>(i.number);
    if (!i.is_pull_request()) {
      wanted_issues.insert(n);
    } else if (i.merged) {
      wanted_prs.insert(n);
    }
  }
  // A merged milestone PR whose description closes a milestone issue: the
  // listing already holds the body, so this costs no request.
  for (const Issue& i : items) {
    if (!i.is_pull_request() || !i.merged || skipped(i)) continue;
    for (const GitHubRef& ref : CommitMessage::Parse(i.body).fixes) {
      if (wanted_issues.count(ref.number) != 0 && SameRepo(ref, gh_repo)) {
        fixes[ref.number].push_back(
            FixRef{.commit = ObjectId(),
                   .pr = static_cast<uint64_t>(i.number),
                   .place = FixPlace::kMainSinceCut});
      }
    }
  }

  // Commits since the cut, on both sides, that close a milestone issue, from
  // the messages the audit parsed. Main's come first, so that an issue fixed
  // on main and by its release PR lists the main PR first.
  auto scan = [&](const std::vector<GitHubRef>& refs, const ObjectId& sha,
                  const std::optional<uint64_t>& pr, FixPlace place) {
    for (const GitHubRef& ref : refs) {
      if (wanted_issues.count(ref.number) != 0 && SameRepo(ref, gh_repo)) {
        fixes[ref.number].push_back(
            FixRef{.commit = sha, .pr = pr, .place = place});
      }
    }
  };
  for (const MainCommit& c : audit.main_commits) {
    scan(c.fixes, c.sha, c.pr, FixPlace::kMainSinceCut);
  }
  for (const BranchCommit& c : audit.commits) {
    scan(c.fixes, c.sha, c.own_pr, FixPlace::kBranch);
  }

  // Every PR to look up in the branch: the milestone's and the fixing ones.
  std::set<uint64_t> all_prs = wanted_prs;
  for (const auto& [issue, refs] : fixes) {
    for (const FixRef& f : refs) {
      if (f.pr) all_prs.insert(*f.pr);
    }
  }
  std::vector<uint64_t> pr_list(all_prs.begin(), all_prs.end());
  absl::flat_hash_map<uint64_t, Presence> presence;
  {
    std::vector<Presence> p = FindPrsInBranch(audit, pr_list);
    for (size_t k = 0; k < p.size() && k < pr_list.size(); ++k) {
      presence[pr_list[k]] = std::move(p[k]);
    }
  }

  // What is still unmapped is looked for in main's history before the cut
  // (it landed before the branch was cut, so the branch has it).
  std::set<uint64_t> unmapped_prs;
  for (uint64_t pr : all_prs) {
    auto p = presence.find(pr);
    if (p != presence.end() &&
        p->second.state == PresenceState::kNotOnMainSinceCut) {
      unmapped_prs.insert(pr);
    }
  }
  std::set<uint64_t> unmapped_issues;
  for (uint64_t n : wanted_issues) {
    if (fixes.find(n) == fixes.end()) unmapped_issues.insert(n);
  }
  // The earliest time a commit can carry what is still unmapped: a PR lands
  // when it merges, a fix after its issue was opened. Unknown for an item
  // (nullopt) means the walk may have to reach the root.
  std::optional<absl::Time> earliest;
  {
    absl::flat_hash_map<uint64_t, const Issue*> item_of;
    for (const Issue& i : items) {
      if (i.number > 0) item_of[static_cast<uint64_t>(i.number)] = &i;
    }
    absl::flat_hash_map<uint64_t, std::vector<uint64_t>> issues_fixed_by;
    for (const auto& [issue, refs] : fixes) {
      for (const FixRef& f : refs) {
        if (f.pr) issues_fixed_by[*f.pr].push_back(issue);
      }
    }
    bool bounded = true;
    auto bound = [&](const std::optional<absl::Time>& t) {
      if (!t) {
        bounded = false;
      } else if (!earliest || *t < *earliest) {
        earliest = *t;
      }
    };
    for (uint64_t pr : unmapped_prs) {
      auto it = item_of.find(pr);
      if (it != item_of.end() && it->second->is_pull_request()) {
        bound(it->second->merged_at);
        continue;
      }
      auto fixed = issues_fixed_by.find(pr);  // a fixing PR: after its issue
      if (fixed == issues_fixed_by.end()) {
        bound(std::nullopt);
        continue;
      }
      for (uint64_t issue : fixed->second) {
        auto i = item_of.find(issue);
        bound(i != item_of.end() ? i->second->created_at : std::nullopt);
      }
    }
    for (uint64_t n : unmapped_issues) {
      auto it = item_of.find(n);
      bound(it != item_of.end() ? it->second->created_at : std::nullopt);
    }
    if (!bounded) earliest.reset();
  }
  const std::optional<absl::Time> stop_before =
      earliest ? std::optional<absl::Time>(*earliest - kHistorySlack)
               : std::nullopt;

  absl::flat_hash_map<uint64_t, ObjectId> before_cut;
  if ((!unmapped_prs.empty() || !unmapped_issues.empty()) &&
      !audit.cut_point.is_zero()) {
    ObjectId start = audit.cut_point;
    absl::Status inner = absl::OkStatus();
    // The horizon: the first of kOlderInARow first-parent commits in a row
    // older than `stop_before`. Only the mainline decides it, so one commit
    // with a skewed date counts once and side branches, which keep their
    // own dates, cannot end the walk; the walk then skips the horizon's
    // ancestors only.
    std::optional<ObjectId> horizon;
    if (stop_before) {
      WalkOptions mainline;
      mainline.first_parent = true;
      size_t older = 0;
      ObjectId first_older;
      RELKIT_RETURN_IF_ERROR(
          repo.Walk(absl::MakeConstSpan(&start, 1), {}, mainline,
                    [&](const ObjectId& sha) {
                      absl::StatusOr<CommitInfo> info = repo.GetCommit(sha);
                      if (!info.ok()) {
                        inner = info.status();
                        return false;
                      }
                      if (info->committer.time >= *stop_before) {
                        older = 0;
                        return true;
                      }
                      if (older++ == 0) first_older = sha;
                      if (older < kOlderInARow) return true;
                      horizon = first_older;
                      return false;
                    }));
      RELKIT_RETURN_IF_ERROR(inner);
    }
    std::vector<ObjectId> hide;
    if (horizon) hide.push_back(*horizon);
    WalkOptions walk;
    walk.limit = options.max_history_commits;
    RELKIT_RETURN_IF_ERROR(repo.Walk(
        absl::MakeConstSpan(&start, 1), hide, walk, [&](const ObjectId& sha) {
          ++out.history_commits_read;
          if (options.progress &&
              out.history_commits_read % kProgressEvery == 0) {
            options.progress(out.history_commits_read);
          }
          absl::StatusOr<CommitInfo> info = repo.GetCommit(sha);
          if (!info.ok()) {
            inner = info.status();
            return false;
          }
          CommitMessage m = CommitMessage::Parse(info->message);
          std::optional<uint64_t> own = m.OwnPr();
          if (own && unmapped_prs.erase(*own) != 0) before_cut[*own] = sha;
          for (const GitHubRef& ref : m.fixes) {
            if (unmapped_issues.count(ref.number) != 0 &&
                SameRepo(ref, gh_repo)) {
              unmapped_issues.erase(ref.number);
              fixes[ref.number].push_back(FixRef{
                  .commit = sha, .pr = own, .place = FixPlace::kBeforeCut});
            }
          }
          return !unmapped_prs.empty() || !unmapped_issues.empty();
        }));
    RELKIT_RETURN_IF_ERROR(inner);
    if (horizon && (!unmapped_prs.empty() || !unmapped_issues.empty())) {
      out.history_ended_before = *stop_before;
    }
    if (options.progress && out.history_commits_read % kProgressEvery != 0) {
      options.progress(out.history_commits_read);  // where the walk ended
    }
  }
  // Said on every item the walk could not find, when it did not go to the
  // root.
  const std::string unsearched =
      out.history_ended_before
          ? absl::StrCat(" (history before ",
                         absl::FormatTime("%Y-%m-%d", *out.history_ended_before,
                                          absl::UTCTimeZone()),
                         " not searched)")
          : "";

  // Main commit -> the branch commits that carry it live. What the branch
  // undid itself is kept apart, to say so: commit (on main since the cut, on
  // the branch, or before the cut) -> (the commit of the branch that
  // carried it, the revert).
  absl::flat_hash_map<ObjectId, std::vector<Counterpart>> branch_of_main;
  absl::flat_hash_map<ObjectId, std::pair<ObjectId, ObjectId>> undone;
  for (const BranchCommit& c : audit.commits) {
    for (const Counterpart& cp : c.counterparts) {
      if (std::optional<ObjectId> by = c.RevertedFor(cp.sha)) {
        undone.try_emplace(cp.sha, c.sha, *by);
      } else {
        branch_of_main[cp.sha].push_back(Counterpart{c.sha, cp.evidence});
      }
    }
    if (c.reverted_by) undone.try_emplace(c.sha, c.sha, *c.reverted_by);
  }
  for (const auto& [commit, by] : audit.reverted_before_cut) {
    undone.try_emplace(commit, commit, by);
  }
  absl::flat_hash_set<ObjectId> on_main;
  for (const MainCommit& m : audit.main_commits) on_main.insert(m.sha);
  for (const auto& [commit, by] : audit.reverted_before_cut) {
    on_main.insert(commit);  // landed on main, before the cut
  }
  // "landed on main as X, not in B; picked as P but reverted there by R"
  // (`what` "landed", `how` "as"; or "fixed", "by"): where `missing` came
  // from and, for the first the branch undid, how.
  auto missing_detail = [&](absl::string_view what, absl::string_view how,
                            const std::vector<ObjectId>& missing) {
    bool all_on_main = true;
    for (const ObjectId& m : missing) all_on_main &= on_main.contains(m);
    std::string out = absl::StrCat(
        what, all_on_main ? absl::StrCat(" on ", audit.main) : "", " ", how,
        " ", ShortList(missing), ", not in ", audit.branch);
    for (const ObjectId& m : missing) {
      auto it = undone.find(m);
      if (it == undone.end()) continue;
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
  };

  // Folds what is known of PR `pr` into `v`; returns false when it has no
  // commit anywhere.
  auto fold_pr = [&](uint64_t pr, ValidatedItem& v) {
    AddUnique(v.prs, pr);
    auto found = presence.find(pr);
    if (found == presence.end()) {
      // A PR met only before the cut (an issue's fix found by the walk).
      return false;
    }
    const Presence& p = found->second;
    for (const ObjectId& c : p.main_commits) AddUnique(v.main_commits, c);
    for (const Counterpart& c : p.in_branch) AddCounterpart(v.in_branch, c);
    if (p.state == PresenceState::kMissing) {
      for (const ObjectId& c : p.main_commits) {
        if (branch_of_main.find(c) == branch_of_main.end()) {
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
    auto it = before_cut.find(pr);
    if (it == before_cut.end()) return false;
    AddUnique(v.main_commits, it->second);
    if (undone.contains(it->second)) {
      AddUnique(v.missing_commits, it->second);  // reverted on the branch
    } else {
      AddCounterpart(v.in_branch,
                     Counterpart{it->second, {Evidence::kAncestry}});
    }
    return true;
  };

  for (const Issue& i : items) {
    ValidatedItem v;
    v.item = i;
    const uint64_t n = i.number > 0 ? static_cast<uint64_t>(i.number) : 0;
    if (skipped(i)) {
      v.status = ItemStatus::kSkipped;
      v.detail = absl::StrCat("labelled ", options.skip_label);
    } else if (i.state == IssueState::kOpen) {
      v.status = ItemStatus::kOpen;
      v.detail =
          i.is_pull_request() ? "pull request still open" : "issue still open";
    } else if (i.is_pull_request() && !i.merged) {
      v.status = ItemStatus::kNotMerged;
      v.detail = "closed without merging";
    } else if (i.is_pull_request()) {
      if (!fold_pr(n, v)) {
        v.status = ItemStatus::kNoCommit;
        v.detail = absl::StrCat("no commit of ", audit.main, " or ",
                                audit.branch, " names #", n, unsearched);
      } else if (!v.missing_commits.empty()) {
        v.status = ItemStatus::kMissing;
        v.detail = missing_detail("landed", "as", v.missing_commits);
      } else {
        v.status = ItemStatus::kPresent;
        v.detail = absl::StrCat("in ", audit.branch);
      }
    } else {
      auto it = fixes.find(n);
      if (it == fixes.end()) {
        v.status = ItemStatus::kNoFix;
        v.detail = absl::StrCat(
            "no commit or milestone PR says it fixes this issue", unsearched);
      } else {
        for (const FixRef& f : it->second) {
          if (f.pr && fold_pr(*f.pr, v)) continue;
          if (f.commit.is_zero()) continue;
          AddUnique(v.main_commits, f.commit);
          if (f.place != FixPlace::kMainSinceCut && undone.contains(f.commit)) {
            AddUnique(v.missing_commits, f.commit);  // reverted on the branch
            continue;
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
              auto b = branch_of_main.find(f.commit);
              if (b == branch_of_main.end()) {
                AddUnique(v.missing_commits, f.commit);
              } else {
                for (const Counterpart& c : b->second) {
                  AddCounterpart(v.in_branch, c);
                }
              }
              break;
            }
          }
        }
        if (!v.missing_commits.empty()) {
          v.status = ItemStatus::kMissing;
          v.detail = missing_detail("fixed", "by", v.missing_commits);
        } else if (v.in_branch.empty()) {
          v.status = ItemStatus::kNoFix;
          v.detail = absl::StrCat("fixing PRs ", PrList(v.prs),
                                  " have no commit", unsearched);
        } else {
          v.status = ItemStatus::kPresent;
          v.detail = v.prs.empty() ? absl::StrCat("fix in ", audit.branch)
                                   : absl::StrCat("fixed by ", PrList(v.prs),
                                                  ", in ", audit.branch);
        }
      }
    }
    out.items.push_back(std::move(v));
  }
  return out;
}

}  // namespace relkit
