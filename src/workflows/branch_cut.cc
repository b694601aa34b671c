#include "relkit/branch_cut.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "relkit/conventions.h"
#include "relkit/status.h"

namespace relkit {
namespace {

bool IsWorkflowFile(absl::string_view path) {
  if (!absl::StartsWith(path, ".github/workflows/")) return false;
  absl::string_view name = path.substr(18);
  return name.find('/') == absl::string_view::npos &&
         (absl::EndsWith(name, ".yml") || absl::EndsWith(name, ".yaml"));
}

std::string FormatVersionFile(const Version& v, absl::string_view before) {
  return absl::StrCat(v.ToString(), absl::EndsWith(before, "\n") ? "\n" : "");
}

void AppendFileDiff(std::string& out, const FileEdit& e) {
  absl::StrAppend(&out, "--- a/", e.path, "\n+++ b/", e.path, "\n");
  std::vector<absl::string_view> a = absl::StrSplit(e.before, '\n');
  std::vector<absl::string_view> b = absl::StrSplit(e.after, '\n');
  if (a.size() != b.size()) {
    absl::StrAppend(&out, "@@ -1,", a.size(), " +1,", b.size(), " @@\n");
    for (absl::string_view l : a) absl::StrAppend(&out, "-", l, "\n");
    for (absl::string_view l : b) absl::StrAppend(&out, "+", l, "\n");
    return;
  }
  // The rules rewrite within lines: one hunk per run of changed lines.
  for (size_t i = 0; i < a.size();) {
    if (a[i] == b[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < a.size() && a[j] != b[j]) ++j;
    absl::StrAppend(&out, "@@ -", i + 1, ",", j - i, " +", i + 1, ",", j - i,
                    " @@\n");
    for (size_t k = i; k < j; ++k) absl::StrAppend(&out, "-", a[k], "\n");
    for (size_t k = i; k < j; ++k) absl::StrAppend(&out, "+", b[k], "\n");
    i = j;
  }
}

// True when `head` is exactly the planned release-only commit on top of the
// source (or the source itself when nothing is rewritten).
absl::StatusOr<bool> ReleaseHeadMatches(const Repository& repo,
                                        const BranchCutPlan& plan,
                                        const ObjectId& head) {
  if (!plan.release_only) return head == plan.source_commit;
  RELKIT_ASSIGN_OR_RETURN(CommitInfo c, repo.GetCommit(head));
  if (c.parents.size() != 1 || c.parents[0] != plan.source_commit) {
    return false;
  }
  RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> paths,
                          repo.ChangedPaths(head));
  std::vector<std::string> planned;
  for (const FileEdit& e : plan.release_only->edits) planned.push_back(e.path);
  std::sort(planned.begin(), planned.end());
  if (paths != planned) return false;
  std::string hex = head.ToString();
  for (const FileEdit& e : plan.release_only->edits) {
    RELKIT_ASSIGN_OR_RETURN(std::string content, repo.ReadFile(hex, e.path));
    if (content != e.after) return false;
  }
  return true;
}

}  // namespace

std::string BranchCutPlan::ToDiff() const {
  std::string out;
  absl::StrAppend(&out, "create branch ", orig_branch, " at ",
                  source_commit.ShortString(), " (", source, ")\n");
  absl::StrAppend(&out, "create branch ", release_branch, " at ",
                  source_commit.ShortString(), " (", source, ")\n");
  for (const std::optional<PlannedCommit>* c : {&release_only, &version_bump}) {
    if (!c->has_value()) continue;
    const PlannedCommit& p = **c;
    absl::StrAppend(&out, "\ncommit on ", p.branch, " (parent ",
                    p.parent.ShortString(),
                    "): ", p.message.substr(0, p.message.find('\n')), "\n");
    for (const FileEdit& e : p.edits) AppendFileDiff(out, e);
  }
  if (!version_bump) {
    absl::StrAppend(&out, "\n(", "version already at ",
                    next_main_version.ToString(), " or later: no bump)\n");
  }
  return out;
}

absl::string_view CutOutcomeName(CutOutcome outcome) {
  return outcome == CutOutcome::kApplied ? "applied" : "already applied";
}

absl::StatusOr<BranchCutPlan> PlanBranchCut(const Repository& repo,
                                            const BranchCutOptions& options) {
  BranchCutPlan plan;
  plan.source = options.source;
  plan.remote = options.remote;
  RELKIT_ASSIGN_OR_RETURN(plan.source_commit,
                          repo.ResolveCommit(options.source));
  std::string source_hex = plan.source_commit.ToString();
  Version v;
  if (options.version) {
    v = *options.version;
  } else {
    RELKIT_ASSIGN_OR_RETURN(std::string text,
                            repo.ReadFile(source_hex, options.version_file));
    absl::StatusOr<Version> parsed =
        Version::Parse(absl::StripAsciiWhitespace(text));
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(options.version_file, " at ", options.source, ": ",
                       parsed.status().message()));
    }
    v = *parsed;
  }
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch branch, ReleaseBranch::ForVersion(v));
  RELKIT_ASSIGN_OR_RETURN(
      plan.release,
      Version::Parse(absl::StrCat(branch.major(), ".", branch.minor(), ".0")));
  plan.release_branch = branch.ToString();
  plan.orig_branch = branch.Orig().ToString();
  std::string xy = absl::StrCat(branch.major(), ".", branch.minor());

  // Release-only rewrites.
  RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> workflows,
                          repo.ListFiles(source_hex, ".github/workflows"));
  std::set<std::string> files;
  for (const std::string& f : workflows) {
    if (IsWorkflowFile(f)) files.insert(f);
  }
  for (const std::string& prefix : options.rewrite_prefixes) {
    RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> more,
                            repo.ListFiles(source_hex, prefix));
    files.insert(more.begin(), more.end());
  }
  PlannedCommit release_only;
  release_only.branch = plan.release_branch;
  release_only.parent = plan.source_commit;
  release_only.message =
      absl::StrCat("[RELEASE-ONLY CHANGES] Branch Cut for Release ", xy, "\n");
  for (const std::string& f : files) {
    RELKIT_ASSIGN_OR_RETURN(std::string before, repo.ReadFile(source_hex, f));
    std::string after = before;
    for (const RewriteRule& r : options.rules) {
      after = absl::StrReplaceAll(
          after, {{r.from, absl::StrReplaceAll(r.to, {{"{version}", xy}})}});
    }
    if (after != before) {
      release_only.edits.push_back(
          FileEdit{f, std::move(before), std::move(after)});
    }
  }
  if (!release_only.edits.empty()) plan.release_only = std::move(release_only);

  // Version bump on the default branch.
  RELKIT_ASSIGN_OR_RETURN(ObjectId main_head,
                          repo.ResolveCommit(options.default_branch));
  RELKIT_ASSIGN_OR_RETURN(plan.next_main_version,
                          NextMainVersion(plan.release));
  RELKIT_ASSIGN_OR_RETURN(
      std::string main_text,
      repo.ReadFile(main_head.ToString(), options.version_file));
  absl::StatusOr<Version> main_version =
      Version::Parse(absl::StripAsciiWhitespace(main_text));
  if (!main_version.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(options.version_file, " at ", options.default_branch, ": ",
                     main_version.status().message()));
  }
  if (*main_version < plan.next_main_version) {
    PlannedCommit bump;
    bump.branch = options.default_branch;
    bump.parent = main_head;
    bump.message = absl::StrCat("Bump ", options.version_file, " to ",
                                plan.next_main_version.ToString(),
                                " after the release ", xy, " branch cut\n");
    bump.edits.push_back(
        FileEdit{options.version_file, main_text,
                 FormatVersionFile(plan.next_main_version, main_text)});
    plan.version_bump = std::move(bump);
  }

  // Existing cut refs must be this very cut.
  for (const std::string& name : {plan.orig_branch, plan.release_branch}) {
    RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> existing,
                            repo.LookupRef(absl::StrCat("refs/heads/", name)));
    if (!existing) continue;
    bool same = false;
    if (name == plan.orig_branch) {
      same = *existing == plan.source_commit;
    } else {
      RELKIT_ASSIGN_OR_RETURN(same, ReleaseHeadMatches(repo, plan, *existing));
    }
    if (!same) {
      return absl::AlreadyExistsError(absl::StrCat(
          "branch ", name, " already exists at ", existing->ToString(),
          ", which is not the planned cut from ", options.source, " (",
          plan.source_commit.ToString(), ")"));
    }
  }
  return plan;
}

absl::StatusOr<CutOutcome> ApplyBranchCut(Repository& repo,
                                          const BranchCutPlan& plan,
                                          const ApplyCutOptions& options) {
  if (options.push && !plan.remote) {
    return absl::InvalidArgumentError(
        "push requested but the plan names no remote");
  }
  std::string orig_ref = absl::StrCat("refs/heads/", plan.orig_branch);
  std::string release_ref = absl::StrCat("refs/heads/", plan.release_branch);
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> orig,
                          repo.LookupRef(orig_ref));
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> release,
                          repo.LookupRef(release_ref));
  CutOutcome outcome = CutOutcome::kApplied;
  std::string default_branch =
      plan.version_bump ? plan.version_bump->branch : std::string();
  if (orig || release) {
    bool orig_ok = orig && *orig == plan.source_commit;
    bool release_ok = false;
    if (release) {
      RELKIT_ASSIGN_OR_RETURN(release_ok,
                              ReleaseHeadMatches(repo, plan, *release));
    }
    if (!orig_ok || !release_ok) {
      const std::string& bad =
          !orig_ok ? plan.orig_branch : plan.release_branch;
      return absl::AlreadyExistsError(
          absl::StrCat("branch ", bad,
                       " already exists with other content; the cut was "
                       "not applied (nothing written)"));
    }
    if (plan.version_bump) {
      const FileEdit& e = plan.version_bump->edits.front();
      RELKIT_ASSIGN_OR_RETURN(std::string now,
                              repo.ReadFile(plan.version_bump->branch, e.path));
      if (now != e.after) {
        return absl::FailedPreconditionError(
            absl::StrCat("the cut refs exist but ", plan.version_bump->branch,
                         " does not have the version bump; plan again"));
      }
    }
    outcome = CutOutcome::kAlreadyApplied;
  } else {
    std::optional<Signature> sig = options.signature;
    if (!sig) {
      RELKIT_ASSIGN_OR_RETURN(Signature s, repo.DefaultSignature());
      sig = s;
    }
    std::vector<RefUpdate> updates;
    updates.push_back(
        RefUpdate{orig_ref, plan.source_commit, std::nullopt,
                  absl::StrCat("relkit cut: ", plan.orig_branch)});
    ObjectId release_head = plan.source_commit;
    if (plan.release_only) {
      CommitSpec spec;
      spec.parents = {plan.source_commit};
      for (const FileEdit& e : plan.release_only->edits) {
        FileChange c;
        c.path = e.path;
        c.content = e.after;
        spec.changes.push_back(std::move(c));
      }
      spec.message = plan.release_only->message;
      spec.author = sig;
      RELKIT_ASSIGN_OR_RETURN(release_head, repo.CreateCommit(spec));
    }
    updates.push_back(
        RefUpdate{release_ref, release_head, std::nullopt,
                  absl::StrCat("relkit cut: ", plan.release_branch)});
    if (plan.version_bump) {
      CommitSpec spec;
      spec.parents = {plan.version_bump->parent};
      for (const FileEdit& e : plan.version_bump->edits) {
        FileChange c;
        c.path = e.path;
        c.content = e.after;
        spec.changes.push_back(std::move(c));
      }
      spec.message = plan.version_bump->message;
      spec.author = sig;
      RELKIT_ASSIGN_OR_RETURN(ObjectId bump, repo.CreateCommit(spec));
      updates.push_back(
          RefUpdate{absl::StrCat("refs/heads/", plan.version_bump->branch),
                    bump, plan.version_bump->parent,
                    absl::StrCat("relkit cut: bump ",
                                 plan.next_main_version.ToString())});
    }
    // One atomic update: every ref or none (a moved default branch aborts).
    RELKIT_RETURN_IF_ERROR(repo.UpdateRefs(updates));
  }
  if (options.push) {
    PushOptions push;
    push.remote = *plan.remote;
    push.refspecs = {orig_ref, release_ref};
    if (!default_branch.empty()) {
      push.refspecs.push_back(absl::StrCat("refs/heads/", default_branch));
    }
    RELKIT_RETURN_IF_ERROR(repo.Push(push));
  }
  return outcome;
}

}  // namespace relkit
