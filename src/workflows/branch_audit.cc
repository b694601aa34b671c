#include "relkit/branch_audit.h"

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
#include "adapters/git/diff_facts_cache.h"
#include "relkit/commit_message.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// How often (in commits) long walks report progress.
constexpr size_t kProgressEvery = 1024;

// Everything the matcher and the audit's users need about one commit, parsed
// once. Only what is used is kept: ten thousand full `CommitMessage`s cost
// more to build and to free than the walk that finds them.
struct Parsed {
  ObjectId sha;
  std::string title;
  std::string normalized_title;
  std::optional<uint64_t> own_pr;
  std::vector<uint64_t> pr_numbers;
  std::vector<std::string> cherry_picked_from;
  std::vector<std::string> reverted_commits;
  bool is_merge = false;
  // Not used by the matcher: handed on in BranchCommit and MainCommit, so
  // that no user of the audit reads the messages again.
  std::vector<GitHubRef> fixes;
  RevertKind revert_kind = RevertKind::kNone;
  std::optional<uint64_t> reverted_pr;
};

absl::StatusOr<Parsed> ParseCommit(const Repository& repo, const ObjectId& id) {
  Parsed p;
  p.sha = id;
  RELKIT_RETURN_IF_ERROR(
      repo.ReadMessage(id, [&p](absl::string_view text, size_t parent_count) {
        CommitMessage message = CommitMessage::Parse(text);
        p.normalized_title = message.NormalizedTitle();
        p.own_pr = message.OwnPr();
        p.pr_numbers = message.PrNumbers();
        p.title = std::move(message.title);
        p.cherry_picked_from = std::move(message.cherry_picked_from);
        p.reverted_commits = std::move(message.reverted_commits);
        p.is_merge = parent_count > 1;
        p.fixes = std::move(message.fixes);
        p.revert_kind = message.revert_kind;
        if (message.reverted_pr) p.reverted_pr = message.reverted_pr->number;
      }));
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
      : repo_(repo), options_(options) {
    if (!options_.cache_dir.empty()) {
      cache_ = internal::DiffFactsCache::Load(options_.cache_dir);
      if (repo_.is_shallow()) cache_.MakeReadOnly();
    }
  }

  absl::StatusOr<BranchAudit> Run(absl::string_view branch) {
    BranchAudit audit;
    audit.branch = std::string(branch);
    audit.main = options_.main;
    RELKIT_ASSIGN_OR_RETURN(audit.branch_head, repo_.ResolveCommit(branch));
    RELKIT_ASSIGN_OR_RETURN(audit.main_head,
                            repo_.ResolveCommit(options_.main));
    RELKIT_RETURN_IF_ERROR(FindCutPoint(audit));

    // Branch commits are B ^cut ^main, main commits main ^cut ^B. Both are
    // computed as set differences of the two walks that stop at the cut
    // (B ^cut and main ^cut): the same sets, but each walk no longer reads
    // the other side's history down to the cut, which halves the commits
    // read.
    std::vector<ObjectId> branch_side;
    RELKIT_RETURN_IF_ERROR(Collect({audit.branch_head}, {audit.cut_point},
                                   AuditStage::kBranchCommits, branch_side));
    std::vector<ObjectId> main_side;
    RELKIT_RETURN_IF_ERROR(Collect({audit.main_head}, {audit.cut_point},
                                   AuditStage::kMainCommits, main_side));
    absl::flat_hash_set<ObjectId> on_branch(branch_side.begin(),
                                            branch_side.end());
    absl::flat_hash_set<ObjectId> on_main(main_side.begin(), main_side.end());
    std::vector<ObjectId> branch_ids;
    for (const ObjectId& id : branch_side) {
      if (!on_main.contains(id)) branch_ids.push_back(id);
    }
    std::vector<ObjectId> main_ids;
    for (const ObjectId& id : main_side) {
      if (!on_branch.contains(id)) main_ids.push_back(id);
    }

    RELKIT_ASSIGN_OR_RETURN(branch_,
                            ParseAll(branch_ids, AuditStage::kBranchCommits));
    RELKIT_ASSIGN_OR_RETURN(main_,
                            ParseAll(main_ids, AuditStage::kMainCommits));
    for (size_t b = 0; b < branch_.size(); ++b)
      branch_index_[branch_[b].sha] = b;
    for (size_t m = 0; m < main_.size(); ++m) {
      const Parsed& p = main_[m];
      main_index_[p.sha] = m;
      if (p.own_pr) {
        main_by_pr_[*p.own_pr].push_back(m);
      }
      if (!p.normalized_title.empty()) {
        main_by_title_[p.normalized_title].push_back(m);
      }
    }

    std::vector<std::vector<Counterpart>> matches(branch_.size());
    for (size_t b = 0; b < branch_.size(); ++b) MatchCheap(b, matches[b]);
    RELKIT_RETURN_IF_ERROR(MatchPatchIds(matches, audit));
    SaveCache(audit);

    for (size_t b = 0; b < branch_.size(); ++b) {
      const Parsed& p = branch_[b];
      BranchCommit c;
      c.sha = p.sha;
      c.title = p.title;
      c.is_merge = p.is_merge;
      c.pr_numbers = p.pr_numbers;
      c.own_pr = p.own_pr;
      c.fixes = p.fixes;
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
      MainCommit m;
      m.sha = p.sha;
      m.title = p.title;
      m.pr = p.own_pr;
      m.fixes = p.fixes;
      m.revert_kind = p.revert_kind;
      m.reverted_pr = p.reverted_pr;
      audit.main_commits.push_back(std::move(m));
    }
    ResolveRevertsOnMain(audit);
    RELKIT_RETURN_IF_ERROR(MarkRevertsOnBranch(audit));
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

  // Reads and parses the commits `ids`, in order. (Splitting this over two
  // threads with two repository handles was tried: it cost 25% more CPU for
  // no gain in wall time on 2 cores.)
  absl::StatusOr<std::vector<Parsed>> ParseAll(const std::vector<ObjectId>& ids,
                                               AuditStage stage) {
    std::vector<Parsed> out(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      RELKIT_ASSIGN_OR_RETURN(out[i], ParseCommit(repo_, ids[i]));
      Report(stage, i + 1, ids.size());
    }
    return out;
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
    for (const std::string& sha : p.cherry_picked_from) {
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
    for (uint64_t pr : p.pr_numbers) {
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
  // same path set as some branch commit get a patch-id. Both facts come from
  // the cache when it has them.
  absl::Status MatchPatchIds(std::vector<std::vector<Counterpart>>& matches,
                             BranchAudit& audit) {
    // Branch side: path-set digest -> branch commits with a patch-id.
    absl::flat_hash_map<uint64_t, std::vector<size_t>> by_paths;
    std::vector<std::optional<ObjectId>> branch_pid(branch_.size());
    for (size_t b = 0; b < branch_.size(); ++b) {
      if (branch_[b].is_merge) continue;
      absl::StatusOr<uint64_t> digest = PathsDigest(branch_[b].sha);
      absl::StatusOr<std::optional<ObjectId>> pid =
          digest.ok() ? PatchIdOf(branch_[b].sha) : digest.status();
      if (!pid.ok()) {
        Warn(audit, branch_[b].sha, "patch-id evidence skipped", pid.status());
        continue;
      }
      if (!pid->has_value()) continue;  // changes nothing
      branch_pid[b] = **pid;
      by_paths[*digest].push_back(b);
    }
    if (by_paths.empty()) return absl::OkStatus();
    // Main side.
    for (size_t m = 0; m < main_.size(); ++m) {
      Report(AuditStage::kPatchIds, m + 1, main_.size());
      if (main_[m].is_merge) continue;
      absl::StatusOr<uint64_t> digest = PathsDigest(main_[m].sha);
      if (!digest.ok()) {
        Warn(audit, main_[m].sha, "patch-id evidence skipped", digest.status());
        continue;
      }
      auto it = by_paths.find(*digest);
      if (it == by_paths.end()) continue;
      absl::StatusOr<std::optional<ObjectId>> pid = PatchIdOf(main_[m].sha);
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

  // Saves what was computed (as soon as it is, so that a later failure of
  // the audit loses none of it) and records what the cache did.
  void SaveCache(BranchAudit& audit) {
    audit.cache.hits = hits_;
    audit.cache.computed = cache_.added();
    audit.cache.problem = cache_.load_problem();
    if (absl::Status saved = cache_.Save(); !saved.ok()) {
      absl::StrAppend(&audit.cache.problem,
                      audit.cache.problem.empty() ? "" : "; ", saved.message());
    }
  }

  // The digest of the paths `sha` changes, from the cache or the trees.
  absl::StatusOr<uint64_t> PathsDigest(const ObjectId& sha) {
    if (std::optional<uint64_t> d = cache_.Find(sha).paths_digest) {
      ++hits_;
      return *d;
    }
    RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> paths,
                            repo_.ChangedPaths(sha));
    uint64_t d = internal::DiffFactsCache::DigestPaths(paths);
    cache_.PutPathsDigest(sha, d);
    return d;
  }

  // The patch-id of `sha`, from the cache or the blobs.
  absl::StatusOr<std::optional<ObjectId>> PatchIdOf(const ObjectId& sha) {
    if (std::optional<std::optional<ObjectId>> p = cache_.Find(sha).patch_id) {
      ++hits_;
      return *p;
    }
    RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> pid, repo_.PatchId(sha));
    cache_.PutPatchId(sha, pid);
    return pid;
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

  // Resolves what each main commit reverts, once: FindRevertsNeeded and the
  // users of the audit (the readiness report's nominations) read it from
  // `MainCommit::reverts`. Main commits are newest first, so the first to
  // name a commit is its newest revert.
  void ResolveRevertsOnMain(BranchAudit& audit) {
    std::vector<MainCommit>& commits = audit.main_commits;
    for (size_t m = 0; m < main_.size(); ++m) {
      for (const std::string& sha : main_[m].reverted_commits) {
        std::optional<ObjectId> target = ResolveReverted(sha);
        if (!target) continue;  // names a commit of another repository
        commits[m].reverts.push_back(*target);
        auto it = main_index_.find(*target);
        if (it != main_index_.end() &&
            !commits[it->second].reverted_on_main_by) {
          commits[it->second].reverted_on_main_by = commits[m].sha;
        }
      }
    }
  }

  // Finds what branch commits revert on the branch itself, newest first so
  // that a revert's own fate is known before it counts (a revert that was
  // undone, a reapply, undoes nothing). A revert names a branch commit
  // (`git revert` there: the whole commit), a main commit (the `-x` pick of
  // main's revert: that counterpart of the older carriers only, so a fresh
  // pick after it stays), or a commit before the cut.
  absl::Status MarkRevertsOnBranch(BranchAudit& audit) {
    std::vector<BranchCommit>& commits = audit.commits;
    absl::flat_hash_set<ObjectId> before_cut_done;
    for (size_t b = 0; b < commits.size(); ++b) {
      const BranchCommit& by = commits[b];
      if (by.Undone()) continue;  // a revert undone undoes nothing
      for (const std::string& sha : branch_[b].reverted_commits) {
        std::optional<ObjectId> target = ResolveRevertedOnBranch(sha, b);
        if (!target) continue;  // names no commit of this repository
        if (auto it = branch_index_.find(*target); it != branch_index_.end()) {
          BranchCommit& t = commits[it->second];
          if (it->second > b && !t.reverted_by) t.reverted_by = by.sha;
        } else if (main_index_.contains(*target)) {
          for (size_t t = b + 1; t < commits.size(); ++t) {
            BranchCommit& c = commits[t];
            if (c.RevertedFor(*target)) continue;
            for (const Counterpart& cp : c.counterparts) {
              if (cp.sha == *target) {
                c.counterparts_reverted.emplace_back(*target, by.sha);
              }
            }
          }
        } else if (!before_cut_done.contains(*target)) {
          // Before the cut, or merged from main: the branch has it by
          // ancestry. History that cannot tell costs this revert only.
          absl::StatusOr<bool> anc =
              repo_.IsAncestor(*target, audit.branch_head);
          if (!anc.ok()) {
            Warn(audit, by.sha, "revert on the branch not followed",
                 anc.status());
            continue;
          }
          if (!*anc) continue;
          before_cut_done.insert(*target);
          audit.reverted_before_cut.emplace_back(*target, by.sha);
        }
      }
    }
    return absl::OkStatus();
  }

  // The commit a branch commit's `This reverts commit <sha>` names: a
  // branch commit older than `b`, a main commit since the cut, or another
  // commit of the repository; nullopt when it names none (another
  // repository's commit, or one this clone does not have).
  std::optional<ObjectId> ResolveRevertedOnBranch(const std::string& sha,
                                                  size_t b) {
    if (sha.size() == 40) {
      absl::StatusOr<ObjectId> id = ObjectId::Parse(sha);
      if (id.ok() && branch_index_.contains(*id)) return *id;
    } else {
      for (size_t t = b + 1; t < branch_.size(); ++t) {  // abbreviated: scan
        if (absl::StartsWith(branch_[t].sha.ToString(), sha)) {
          return branch_[t].sha;
        }
      }
    }
    return ResolveReverted(sha);  // main since the cut, else must resolve
  }

  absl::Status FindRevertsNeeded(BranchAudit& audit) {
    // Reverts on main (as ResolveRevertsOnMain resolved them).
    struct Revert {
      size_t index;
      ObjectId target;
    };
    std::vector<Revert> reverts;
    for (size_t m = 0; m < audit.main_commits.size(); ++m) {
      for (const ObjectId& target : audit.main_commits[m].reverts) {
        reverts.push_back(Revert{m, target});
      }
    }
    // The newest branch commit that carries main commit `sha` live (its
    // change not undone on the branch): its index in `audit.commits` and
    // the evidence; nullopt when there is none.
    auto newest_live = [&](const ObjectId& sha)
        -> std::optional<std::pair<size_t, const Counterpart*>> {
      auto it = main_counterparts_.find(sha);
      if (it == main_counterparts_.end()) return std::nullopt;
      for (const Counterpart& c : it->second) {  // newest first
        size_t b = branch_index_.at(c.sha);
        if (!audit.commits[b].RevertedFor(sha)) return std::pair(b, &c);
      }
      return std::nullopt;
    };
    absl::flat_hash_set<ObjectId> reverted_before_cut;
    for (const auto& [commit, by] : audit.reverted_before_cut) {
      reverted_before_cut.insert(commit);
    }
    for (const Revert& r : reverts) {
      const Parsed& rev = main_[r.index];
      // A revert that main itself undid later (reapply) is not needed.
      if (audit.main_commits[r.index].reverted_on_main_by) continue;
      auto revert_in = newest_live(rev.sha);
      RevertNeeded need;
      need.revert_sha = rev.sha;
      need.revert_title = rev.title;
      need.reverted_sha = r.target;
      if (main_counterparts_.contains(r.target)) {
        auto target_in = newest_live(r.target);
        // The branch undid the change itself, or has the revert after the
        // newest carrier: nothing to do. A carrier newer than the revert's
        // pick (picked again) brings the change back.
        if (!target_in) continue;
        if (revert_in && revert_in->first <= target_in->first) continue;
        need.present_as = target_in->second->sha;
        need.evidence = target_in->second->evidence;
      } else if (!main_index_.contains(r.target)) {
        if (revert_in || reverted_before_cut.contains(r.target)) continue;
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
  internal::DiffFactsCache cache_;  // disabled unless options_.cache_dir
  size_t hits_ = 0;
  std::vector<Parsed> branch_;
  std::vector<Parsed> main_;
  // Branch commit -> its index in `branch_` (and `audit.commits`).
  absl::flat_hash_map<ObjectId, size_t> branch_index_;
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

std::string EvidenceNames(absl::Span<const Evidence> evidence) {
  std::vector<absl::string_view> names;
  names.reserve(evidence.size());
  for (Evidence e : evidence) names.push_back(EvidenceName(e));
  return absl::StrJoin(names, ", ");
}

std::string Counterpart::ToString() const {
  return evidence.empty() ? sha.ShortString()
                          : absl::StrCat(sha.ShortString(), " (",
                                         EvidenceNames(evidence), ")");
}

bool Counterpart::MatchedOnlyByPrNumber() const {
  bool strong = false;
  bool pr = false;
  for (Evidence e : evidence) {
    strong |= e == Evidence::kCherryPickTrailer || e == Evidence::kPatchId;
    pr |= e == Evidence::kPrNumber;
  }
  return pr && !strong;
}

const MainCommit* BranchAudit::FindMainCommit(const ObjectId& sha) const {
  // Linear: callers ask about a handful of commits, and the audit keeps
  // main_commits in history order for its readers.
  for (const MainCommit& m : main_commits) {
    if (m.sha == sha) return &m;
  }
  return nullptr;
}

std::optional<ObjectId> BranchCommit::RevertedFor(const ObjectId& main) const {
  if (reverted_by) return reverted_by;
  for (const auto& [commit, by] : counterparts_reverted) {
    if (commit == main) return by;
  }
  return std::nullopt;
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

// Adds the branch commits that carry main commit `sha` to `p`: to
// `in_branch`, or to `reverted_in_branch` when the branch reverted them.
void AddCarriers(const BranchAudit& audit, const ObjectId& sha, Presence& p) {
  for (const BranchCommit& c : audit.commits) {
    for (const Counterpart& cp : c.counterparts) {
      if (cp.sha != sha) continue;
      std::vector<Counterpart>& list =
          c.RevertedFor(sha) ? p.reverted_in_branch : p.in_branch;
      bool seen = false;
      for (const Counterpart& e : list) seen |= e.sha == c.sha;
      if (!seen) list.push_back(Counterpart{c.sha, cp.evidence});
    }
  }
}

// The branch commit that reverted commit `sha` of before the cut, if any.
std::optional<ObjectId> RevertedBeforeCut(const BranchAudit& audit,
                                          const ObjectId& sha) {
  for (const auto& [commit, by] : audit.reverted_before_cut) {
    if (commit == sha) return by;
  }
  return std::nullopt;
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
    for (const ObjectId& m : p.main_commits) AddCarriers(audit, m, p);
    // A PR that names the branch commit directly (landed only on the
    // branch, or its main commit predates the cut). A commit that carries
    // one of the PR's main commits was placed above, live or reverted.
    for (const BranchCommit& c : audit.commits) {
      if (!std::binary_search(c.pr_numbers.begin(), c.pr_numbers.end(), pr)) {
        continue;
      }
      bool carrier = false;
      for (const Counterpart& cp : c.counterparts) {
        carrier |= std::find(p.main_commits.begin(), p.main_commits.end(),
                             cp.sha) != p.main_commits.end();
      }
      if (carrier) continue;
      std::vector<Counterpart>& list =
          c.reverted_by ? p.reverted_in_branch : p.in_branch;
      bool seen = false;
      for (const Counterpart& e : list) seen |= e.sha == c.sha;
      if (!seen) list.push_back(Counterpart{c.sha, {Evidence::kPrNumber}});
    }
    if (!p.in_branch.empty()) {
      p.state = PresenceState::kPresent;
    } else if (p.main_commits.empty() && p.reverted_in_branch.empty()) {
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
      AddCarriers(audit, id, p);
      p.state = p.in_branch.empty() ? PresenceState::kMissing
                                    : PresenceState::kPresent;
    } else {
      // A branch commit, or one from before the cut: in the branch by
      // ancestry unless the branch reverted it.
      bool reverted = RevertedBeforeCut(audit, id).has_value();
      for (const BranchCommit& c : audit.commits) {
        if (c.sha == id) reverted = c.Undone();
      }
      RELKIT_ASSIGN_OR_RETURN(bool anc, repo.IsAncestor(id, audit.branch_head));
      if (!anc) {
        p.state = PresenceState::kNotOnMainSinceCut;
      } else if (reverted) {
        p.reverted_in_branch.push_back(Counterpart{id, {Evidence::kAncestry}});
        p.state = PresenceState::kMissing;
      } else {
        p.in_branch.push_back(Counterpart{id, {Evidence::kAncestry}});
        p.state = PresenceState::kPresent;
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace relkit
