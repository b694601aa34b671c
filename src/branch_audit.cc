#include "relkit/branch_audit.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "relkit/commit_message.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// How often (in commits) long walks report progress.
constexpr size_t kProgressEvery = 1024;

// Everything the matcher needs about one commit, parsed once.
struct Parsed {
  ObjectId sha;
  CommitMessage message;
  std::string normalized_title;
  bool is_merge = false;
};

absl::StatusOr<Parsed> ParseCommit(const Repository& repo, const ObjectId& id) {
  RELKIT_ASSIGN_OR_RETURN(CommitInfo info, repo.GetCommit(id));
  Parsed p;
  p.sha = id;
  p.message = CommitMessage::Parse(info.message);
  p.normalized_title = p.message.NormalizedTitle();
  p.is_merge = info.is_merge();
  return p;
}

// The default `orig/` ref for `branch`: `orig/release/2.4`, or
// `upstream/orig/release/2.4` for `upstream/release/2.4`.
std::string DefaultOrig(absl::string_view branch) {
  size_t p = branch.find("release/");
  if (p != absl::string_view::npos && p > 0 && branch[p - 1] == '/') {
    return absl::StrCat(branch.substr(0, p), "orig/", branch.substr(p));
  }
  return absl::StrCat("orig/", branch);
}

void AddEvidence(std::vector<Counterpart>& list, const ObjectId& sha,
                 Evidence e) {
  for (Counterpart& c : list) {
    if (c.sha == sha) {
      if (std::find(c.evidence.begin(), c.evidence.end(), e) ==
          c.evidence.end()) {
        c.evidence.push_back(e);
      }
      return;
    }
  }
  list.push_back(Counterpart{sha, {e}});
}

class Auditor {
 public:
  Auditor(const Repository& repo, const AuditOptions& options)
      : repo_(repo), options_(options) {}

  absl::StatusOr<BranchAudit> Run(absl::string_view branch) {
    BranchAudit audit;
    audit.branch = std::string(branch);
    audit.main = options_.main;
    RELKIT_ASSIGN_OR_RETURN(audit.branch_head, repo_.ResolveCommit(branch));
    RELKIT_ASSIGN_OR_RETURN(audit.main_head,
                            repo_.ResolveCommit(options_.main));
    RELKIT_RETURN_IF_ERROR(FindCutPoint(audit));

    // Branch commits: B ^cut ^main.
    std::vector<ObjectId> branch_ids;
    RELKIT_RETURN_IF_ERROR(Collect({audit.branch_head},
                                   {audit.cut_point, audit.main_head},
                                   AuditStage::kBranchCommits, branch_ids));
    std::vector<ObjectId> main_ids;
    RELKIT_RETURN_IF_ERROR(Collect({audit.main_head},
                                   {audit.cut_point, audit.branch_head},
                                   AuditStage::kMainCommits, main_ids));

    branch_.reserve(branch_ids.size());
    for (const ObjectId& id : branch_ids) {
      RELKIT_ASSIGN_OR_RETURN(Parsed p, ParseCommit(repo_, id));
      branch_.push_back(std::move(p));
    }
    main_.reserve(main_ids.size());
    for (size_t i = 0; i < main_ids.size(); ++i) {
      RELKIT_ASSIGN_OR_RETURN(Parsed p, ParseCommit(repo_, main_ids[i]));
      main_index_[p.sha] = main_.size();
      if (std::optional<uint64_t> pr = p.message.OwnPr()) {
        main_by_pr_[*pr].push_back(main_.size());
      }
      if (!p.normalized_title.empty()) {
        main_by_title_[p.normalized_title].push_back(main_.size());
      }
      main_.push_back(std::move(p));
      Report(AuditStage::kMainCommits, i + 1, main_ids.size());
    }

    std::vector<std::vector<Counterpart>> matches(branch_.size());
    for (size_t b = 0; b < branch_.size(); ++b) MatchCheap(b, matches[b]);
    RELKIT_RETURN_IF_ERROR(MatchPatchIds(matches, audit));

    for (size_t b = 0; b < branch_.size(); ++b) {
      const Parsed& p = branch_[b];
      BranchCommit c;
      c.sha = p.sha;
      c.title = p.message.title;
      c.is_merge = p.is_merge;
      c.pr_numbers = p.message.PrNumbers();
      // Newest main commit first, strongest evidence first.
      std::vector<Counterpart> list = std::move(matches[b]);
      for (Counterpart& cp : list) {
        std::sort(cp.evidence.begin(), cp.evidence.end());
      }
      std::sort(list.begin(), list.end(),
                [this](const Counterpart& x, const Counterpart& y) {
                  return main_index_.at(x.sha) < main_index_.at(y.sha);
                });
      c.counterparts = std::move(list);
      c.release_only = c.counterparts.empty();
      for (const Counterpart& cp : c.counterparts) {
        main_counterparts_[cp.sha].push_back(Counterpart{p.sha, cp.evidence});
      }
      audit.commits.push_back(std::move(c));
    }
    for (const Parsed& p : main_) {
      audit.main_commits.push_back(
          MainCommit{p.sha, p.message.title, p.message.OwnPr()});
    }
    RELKIT_RETURN_IF_ERROR(FindRevertsNeeded(audit));
    return audit;
  }

 private:
  absl::Status FindCutPoint(BranchAudit& audit) {
    std::string orig =
        options_.orig.empty() ? DefaultOrig(audit.branch) : options_.orig;
    absl::StatusOr<ObjectId> o = repo_.ResolveCommit(orig);
    if (o.ok()) {
      RELKIT_ASSIGN_OR_RETURN(bool anc,
                              repo_.IsAncestor(*o, audit.branch_head));
      if (anc) {
        audit.cut_point = *o;
        audit.cut_point_source = CutPointSource::kOrigBranch;
        return absl::OkStatus();
      }
      audit.warnings.push_back(AuditWarning{
          *o, absl::StrCat("\"", orig, "\" is not an ancestor of \"",
                           audit.branch, "\"; using the merge-base with \"",
                           audit.main, "\" as the cut point")});
    } else if (!absl::IsNotFound(o.status())) {
      return o.status();  // a corrupt orig/ ref is worth stopping for
    }
    absl::StatusOr<ObjectId> base =
        repo_.MergeBase(audit.branch_head, audit.main_head);
    if (absl::IsNotFound(base.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat("\"", audit.branch, "\" and \"", audit.main,
                       "\" share no history: ", base.status().message()));
    }
    if (!base.ok()) return base.status();
    audit.cut_point = *base;
    audit.cut_point_source = CutPointSource::kMergeBase;
    return absl::OkStatus();
  }

  absl::Status Collect(std::vector<ObjectId> include,
                       std::vector<ObjectId> exclude, AuditStage stage,
                       std::vector<ObjectId>& out) {
    return repo_.Walk(include, exclude, WalkOptions{}, [&](const ObjectId& id) {
      out.push_back(id);
      if (out.size() % kProgressEvery == 0) {
        Report(stage, out.size(), 0);
      }
      return true;
    });
  }

  void Report(AuditStage stage, size_t done, size_t total) {
    if (!options_.progress) return;
    if (done % kProgressEvery == 0 || done == total) {
      options_.progress(stage, done, total);
    }
  }

  // Trailer, PR-number and title evidence: index lookups only.
  void MatchCheap(size_t b, std::vector<Counterpart>& out) {
    const Parsed& p = branch_[b];
    for (const std::string& sha : p.message.cherry_picked_from) {
      if (sha.size() == 40) {
        absl::StatusOr<ObjectId> id = ObjectId::Parse(sha);
        if (id.ok() && main_index_.contains(*id)) {
          AddEvidence(out, *id, Evidence::kCherryPickTrailer);
        }
        continue;
      }
      for (const Parsed& m : main_) {  // abbreviated: rare, scan
        if (absl::StartsWith(m.sha.ToString(), sha)) {
          AddEvidence(out, m.sha, Evidence::kCherryPickTrailer);
        }
      }
    }
    for (uint64_t pr : p.message.PrNumbers()) {
      auto it = main_by_pr_.find(pr);
      if (it == main_by_pr_.end()) continue;
      for (size_t m : it->second) {
        AddEvidence(out, main_[m].sha, Evidence::kPrNumber);
      }
    }
    if (!p.normalized_title.empty()) {
      auto it = main_by_title_.find(p.normalized_title);
      if (it != main_by_title_.end()) {
        for (size_t m : it->second) {
          AddEvidence(out, main_[m].sha, Evidence::kTitle);
        }
      }
    }
  }

  // Patch-id evidence. Patch-ids need blobs, so main commits are filtered
  // first by the set of paths they change (trees only): only those with the
  // same path set as some branch commit get a patch-id.
  absl::Status MatchPatchIds(std::vector<std::vector<Counterpart>>& matches,
                             BranchAudit& audit) {
    // Branch side.
    std::map<std::vector<std::string>, std::vector<size_t>> by_paths;
    std::vector<std::optional<ObjectId>> branch_pid(branch_.size());
    for (size_t b = 0; b < branch_.size(); ++b) {
      if (branch_[b].is_merge) continue;
      absl::StatusOr<std::vector<std::string>> paths =
          repo_.ChangedPaths(branch_[b].sha);
      if (!paths.ok()) {
        Warn(audit, branch_[b].sha, "patch-id evidence skipped",
             paths.status());
        continue;
      }
      if (paths->empty()) continue;  // empty commit: no patch-id
      absl::StatusOr<std::optional<ObjectId>> pid =
          repo_.PatchId(branch_[b].sha);
      if (!pid.ok()) {
        Warn(audit, branch_[b].sha, "patch-id evidence skipped", pid.status());
        continue;
      }
      if (!pid->has_value()) continue;
      branch_pid[b] = **pid;
      by_paths[*std::move(paths)].push_back(b);
    }
    if (by_paths.empty()) return absl::OkStatus();
    // Main side.
    for (size_t m = 0; m < main_.size(); ++m) {
      Report(AuditStage::kPatchIds, m + 1, main_.size());
      if (main_[m].is_merge) continue;
      absl::StatusOr<std::vector<std::string>> paths =
          repo_.ChangedPaths(main_[m].sha);
      if (!paths.ok()) {
        Warn(audit, main_[m].sha, "patch-id evidence skipped", paths.status());
        continue;
      }
      auto it = by_paths.find(*paths);
      if (it == by_paths.end()) continue;
      absl::StatusOr<std::optional<ObjectId>> pid = repo_.PatchId(main_[m].sha);
      if (!pid.ok()) {
        Warn(audit, main_[m].sha, "patch-id evidence skipped", pid.status());
        continue;
      }
      if (!pid->has_value()) continue;
      for (size_t b : it->second) {
        if (branch_pid[b] == **pid) {
          AddEvidence(matches[b], main_[m].sha, Evidence::kPatchId);
        }
      }
    }
    return absl::OkStatus();
  }

  void Warn(BranchAudit& audit, const ObjectId& sha, absl::string_view what,
            const absl::Status& why) {
    audit.warnings.push_back(
        AuditWarning{sha, absl::StrCat(what, ": ", why.message())});
  }

  // Resolves a (possibly abbreviated) reverted sha to a commit.
  std::optional<ObjectId> ResolveReverted(const std::string& sha) {
    if (sha.size() == 40) {
      absl::StatusOr<ObjectId> id = ObjectId::Parse(sha);
      if (id.ok() && main_index_.contains(*id)) return *id;
    }
    absl::StatusOr<ObjectId> id = repo_.ResolveCommit(sha);
    if (id.ok()) return *id;
    return std::nullopt;
  }

  absl::Status FindRevertsNeeded(BranchAudit& audit) {
    // Reverts on main, and which main commits are themselves reverted there.
    struct Revert {
      size_t index;
      ObjectId target;
    };
    std::vector<Revert> reverts;
    absl::flat_hash_set<ObjectId> reverted_on_main;
    for (size_t m = 0; m < main_.size(); ++m) {
      for (const std::string& sha : main_[m].message.reverted_commits) {
        std::optional<ObjectId> target = ResolveReverted(sha);
        if (!target) continue;  // names a commit of another repository
        reverts.push_back(Revert{m, *target});
        reverted_on_main.insert(*target);
      }
    }
    for (const Revert& r : reverts) {
      const Parsed& rev = main_[r.index];
      // The revert is already in the branch.
      if (main_counterparts_.contains(rev.sha)) continue;
      // A revert that main itself undid later (reapply) is not needed.
      if (reverted_on_main.contains(rev.sha)) continue;
      RevertNeeded need;
      need.revert_sha = rev.sha;
      need.revert_title = rev.message.title;
      need.reverted_sha = r.target;
      auto it = main_counterparts_.find(r.target);
      if (it != main_counterparts_.end()) {
        need.present_as = it->second.front().sha;
        need.evidence = it->second.front().evidence;
      } else if (!main_index_.contains(r.target)) {
        RELKIT_ASSIGN_OR_RETURN(bool anc,
                                repo_.IsAncestor(r.target, audit.branch_head));
        if (!anc) continue;
        need.present_as = r.target;
        need.evidence = {Evidence::kAncestry};
      } else {
        continue;  // reverted commit is on main only
      }
      audit.reverts_needed.push_back(std::move(need));
    }
    return absl::OkStatus();
  }

  const Repository& repo_;
  const AuditOptions& options_;
  std::vector<Parsed> branch_;
  std::vector<Parsed> main_;
  absl::flat_hash_map<ObjectId, size_t> main_index_;
  absl::flat_hash_map<uint64_t, std::vector<size_t>> main_by_pr_;
  absl::flat_hash_map<std::string, std::vector<size_t>> main_by_title_;
  // Main commit -> the branch commits that carry it.
  absl::flat_hash_map<ObjectId, std::vector<Counterpart>> main_counterparts_;
};

}  // namespace

absl::string_view EvidenceName(Evidence evidence) {
  switch (evidence) {
    case Evidence::kCherryPickTrailer:
      return "cherry-pick-trailer";
    case Evidence::kPatchId:
      return "patch-id";
    case Evidence::kPrNumber:
      return "pr-number";
    case Evidence::kTitle:
      return "title";
    case Evidence::kAncestry:
      return "ancestry";
  }
  return "unknown";
}

absl::string_view CutPointSourceName(CutPointSource source) {
  return source == CutPointSource::kOrigBranch ? "orig-branch" : "merge-base";
}

absl::string_view PresenceStateName(PresenceState state) {
  switch (state) {
    case PresenceState::kPresent:
      return "present";
    case PresenceState::kMissing:
      return "missing";
    case PresenceState::kNotOnMainSinceCut:
      return "not-on-main-since-cut";
  }
  return "unknown";
}

absl::StatusOr<BranchAudit> AuditBranch(const Repository& repo,
                                        absl::string_view branch,
                                        const AuditOptions& options) {
  return Auditor(repo, options).Run(branch);
}

namespace {

// The branch commits that carry main commit `sha`.
std::vector<Counterpart> CarriersOf(const BranchAudit& audit,
                                    const ObjectId& sha) {
  std::vector<Counterpart> out;
  for (const BranchCommit& c : audit.commits) {
    for (const Counterpart& cp : c.counterparts) {
      if (cp.sha == sha) out.push_back(Counterpart{c.sha, cp.evidence});
    }
  }
  return out;
}

}  // namespace

std::vector<Presence> FindPrsInBranch(const BranchAudit& audit,
                                      absl::Span<const uint64_t> prs) {
  std::vector<Presence> out;
  for (uint64_t pr : prs) {
    Presence p;
    p.query = absl::StrCat("#", pr);
    for (const MainCommit& m : audit.main_commits) {
      if (m.pr == pr) p.main_commits.push_back(m.sha);
    }
    for (const ObjectId& m : p.main_commits) {
      for (Counterpart& c : CarriersOf(audit, m)) {
        bool seen = false;
        for (Counterpart& e : p.in_branch) seen |= e.sha == c.sha;
        if (!seen) p.in_branch.push_back(std::move(c));
      }
    }
    // A PR that names the branch commit directly (landed only on the
    // branch, or its main commit predates the cut).
    for (const BranchCommit& c : audit.commits) {
      if (!std::binary_search(c.pr_numbers.begin(), c.pr_numbers.end(), pr)) {
        continue;
      }
      bool seen = false;
      for (const Counterpart& e : p.in_branch) seen |= e.sha == c.sha;
      if (!seen)
        p.in_branch.push_back(Counterpart{c.sha, {Evidence::kPrNumber}});
    }
    if (!p.in_branch.empty()) {
      p.state = PresenceState::kPresent;
    } else if (p.main_commits.empty()) {
      p.state = PresenceState::kNotOnMainSinceCut;
    } else {
      p.state = PresenceState::kMissing;
    }
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<Presence>> FindCommitsInBranch(
    const Repository& repo, const BranchAudit& audit,
    absl::Span<const std::string> revisions) {
  std::vector<Presence> out;
  for (const std::string& rev : revisions) {
    RELKIT_ASSIGN_OR_RETURN(ObjectId id, repo.ResolveCommit(rev));
    Presence p;
    p.query = id.ToString();
    bool on_main = false;
    for (const MainCommit& m : audit.main_commits) on_main |= m.sha == id;
    if (on_main) {
      p.main_commits.push_back(id);
      p.in_branch = CarriersOf(audit, id);
      p.state = p.in_branch.empty() ? PresenceState::kMissing
                                    : PresenceState::kPresent;
    } else {
      RELKIT_ASSIGN_OR_RETURN(bool anc, repo.IsAncestor(id, audit.branch_head));
      if (anc) {
        p.in_branch.push_back(Counterpart{id, {Evidence::kAncestry}});
        p.state = PresenceState::kPresent;
      } else {
        p.in_branch = CarriersOf(audit, id);
        p.state = p.in_branch.empty() ? PresenceState::kNotOnMainSinceCut
                                      : PresenceState::kPresent;
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace relkit
