#include "relkit/branch_cut.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

std::string BumpMessage(absl::string_view version_file, const Version& next,
                        absl::string_view xy) {
  return absl::StrCat("Bump ", version_file, " to ", next.ToString(),
                      " after the release ", xy, " branch cut\n");
}

std::string MajorMinor(const Version& v) {
  absl::StatusOr<ReleaseBranch> b = ReleaseBranch::ForVersion(v);
  return b.ok() ? absl::StrCat(b->major(), ".", b->minor()) : v.ToString();
}

// The version bump is a commit on a branch: `default_branch` must name a
// local branch, not any revision (a tag, a sha, `HEAD`, `origin/main`).
absl::Status CheckDefaultBranch(const Repository& repo,
                                const std::string& name) {
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> local,
                          repo.LookupRef(absl::StrCat("refs/heads/", name)));
  if (local) return absl::OkStatus();
  absl::StatusOr<ObjectId> rev = repo.ResolveCommit(name);
  if (!rev.ok()) {
    return absl::NotFoundError(
        absl::StrCat("default branch \"", name,
                     "\" not found: give the local branch that "
                     "gets the version bump (e.g. main)"));
  }
  std::string what = "a revision";
  std::string hint = "main";
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> remote_branch,
                          repo.LookupRef(absl::StrCat("refs/remotes/", name)));
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> tag,
                          repo.LookupRef(absl::StrCat("refs/tags/", name)));
  if (remote_branch) {
    what = "a remote-tracking branch";
    size_t slash = name.find('/');
    if (slash != std::string::npos) hint = name.substr(slash + 1);
  } else if (tag) {
    what = "a tag";
  } else if (name == "HEAD") {
    what = "HEAD (whatever is checked out)";
  }
  return absl::InvalidArgumentError(
      absl::StrCat("default branch \"", name, "\" is ", what, " (commit ",
                   rev->ShortString(),
                   "), not a local branch: the version bump is a "
                   "commit on a local branch; give its name (e.g. ",
                   hint, ") and push it with the cut"));
}

// Git refuses to move a branch that a working tree has checked out (its
// index and files would no longer match HEAD, and the next commit would
// silently undo the bump): so does the cut.
absl::Status CheckNotCheckedOut(const Repository& repo,
                                const std::string& branch) {
  RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> worktree,
                          repo.WorktreeWithBranch(branch));
  if (!worktree) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "branch ", branch, " is checked out in ", *worktree,
      "; the version bump would move it under that working tree. Switch "
      "that working tree away first (git -C ",
      *worktree, " switch --detach), cut, then switch back (git switch ",
      branch, ", which checks out the bump); nothing written"));
}

// Where a cut ref stands against the plan.
enum class RefState : uint8_t { kMissing, kAsPlanned, kOther };

struct CutRef {
  std::string name;
  RefState state = RefState::kMissing;
  ObjectId at;
};

absl::StatusOr<CutRef> InspectCutRef(const Repository& repo,
                                     const BranchCutPlan& plan,
                                     const std::string& name) {
  CutRef r{.name = name, .state = RefState::kMissing, .at = {}};
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> existing,
                          repo.LookupRef(absl::StrCat("refs/heads/", name)));
  if (!existing) return r;
  r.at = *existing;
  bool same = false;
  if (name == plan.orig_branch) {
    same = *existing == plan.source_commit;
  } else {
    RELKIT_ASSIGN_OR_RETURN(same, ReleaseHeadMatches(repo, plan, *existing));
  }
  r.state = same ? RefState::kAsPlanned : RefState::kOther;
  return r;
}

std::string Describe(const CutRef& r, const BranchCutPlan& plan) {
  switch (r.state) {
    case RefState::kMissing:
      return absl::StrCat(r.name, " does not exist");
    case RefState::kAsPlanned:
      return absl::StrCat(r.name, " is at ", r.at.ShortString(),
                          " (as planned)");
    case RefState::kOther:
      break;
  }
  return absl::StrCat(
      "branch ", r.name, " already exists at ", r.at.ToString(),
      ", which is not the planned cut from ", plan.source, " (",
      plan.source_commit.ToString(),
      r.name == plan.orig_branch ? "" : " plus the release-only commit", ")");
}

// Returns true when the repository holds exactly this cut, false when
// neither cut branch exists; AlreadyExists saying what is there otherwise.
absl::StatusOr<bool> CutAlreadyApplied(const Repository& repo,
                                       const BranchCutPlan& plan) {
  RELKIT_ASSIGN_OR_RETURN(CutRef orig,
                          InspectCutRef(repo, plan, plan.orig_branch));
  RELKIT_ASSIGN_OR_RETURN(CutRef release,
                          InspectCutRef(repo, plan, plan.release_branch));
  if (orig.state == RefState::kMissing && release.state == RefState::kMissing) {
    return false;
  }
  if (orig.state == RefState::kAsPlanned &&
      release.state == RefState::kAsPlanned) {
    return true;
  }
  std::vector<std::string> parts;
  // The branch with other content first: it is the reason to refuse.
  for (const CutRef* r : {&orig, &release}) {
    if (r->state == RefState::kOther) parts.push_back(Describe(*r, plan));
  }
  for (const CutRef* r : {&orig, &release}) {
    if (r->state != RefState::kOther) parts.push_back(Describe(*r, plan));
  }
  std::string advice;
  if (orig.state != RefState::kOther && release.state != RefState::kOther) {
    const CutRef& gone = orig.state == RefState::kMissing ? orig : release;
    const CutRef& kept = orig.state == RefState::kMissing ? release : orig;
    advice = absl::StrCat(
        ": a partial cut (was ", gone.name, " deleted?); restore ", gone.name,
        " (e.g. from the remote) or delete ", kept.name, ", then cut again");
  }
  return absl::AlreadyExistsError(
      absl::StrCat(absl::StrJoin(parts, "; "),
                   "; the cut was not applied (nothing written)", advice));
}

// The cut's version-bump commit on the default branch: the newest commit of
// its first-parent history (up to 1000) with the bump's message that sets
// the version file to the next version. nullopt when there is none (the
// version was bumped by hand, or never).
absl::StatusOr<std::optional<ObjectId>> FindBumpCommit(
    const Repository& repo, const BranchCutPlan& plan) {
  const std::string message = BumpMessage(
      plan.version_file, plan.next_main_version, MajorMinor(plan.release));
  RELKIT_ASSIGN_OR_RETURN(
      std::optional<ObjectId> head,
      repo.LookupRef(absl::StrCat("refs/heads/", plan.default_branch)));
  if (!head) return std::nullopt;
  std::optional<ObjectId> found;
  absl::Status read;
  WalkOptions walk{.first_parent = true, .reverse = false, .limit = 1000};
  RELKIT_RETURN_IF_ERROR(repo.Walk({*head}, {}, walk, [&](const ObjectId& id) {
    bool match = false;
    read = repo.ReadMessage(
        id, [&](absl::string_view m, size_t) { match = m == message; });
    if (!read.ok()) return false;
    if (match) found = id;
    return !match;
  }));
  RELKIT_RETURN_IF_ERROR(read);
  if (!found) return std::nullopt;
  absl::StatusOr<std::string> text =
      repo.ReadFile(found->ToString(), plan.version_file);
  if (!text.ok() ||
      absl::StripAsciiWhitespace(*text) != plan.next_main_version.ToString()) {
    return std::nullopt;
  }
  return found;
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

// When `source` is itself the version-bump commit of an earlier cut (as
// `main` is right after `cut --from main --execute`), returns the release
// X.Y of that cut, provided its orig/release/X.Y branch exists. A cut from
// the bump would read the bumped version and cut the next release: a rerun
// resumes the earlier cut instead.
absl::StatusOr<std::optional<std::string>> CutWhoseBumpIs(
    const Repository& repo, const ObjectId& source,
    absl::string_view version_file) {
  absl::StatusOr<std::string> text =
      repo.ReadFile(source.ToString(), version_file);
  if (!text.ok()) return std::nullopt;
  absl::StatusOr<Version> version =
      Version::Parse(absl::StripAsciiWhitespace(*text));
  if (!version.ok()) return std::nullopt;
  std::string message;
  RELKIT_RETURN_IF_ERROR(repo.ReadMessage(
      source, [&](absl::string_view m, size_t) { message = std::string(m); }));
  // BumpMessage's form: "Bump <file> to <next> after the release X.Y branch
  // cut\n".
  absl::string_view rest = message;
  if (!absl::ConsumePrefix(
          &rest, absl::StrCat("Bump ", version_file, " to ",
                              version->ToString(), " after the release ")) ||
      !absl::ConsumeSuffix(&rest, " branch cut\n")) {
    return std::nullopt;
  }
  const std::string xy(rest);
  if (message != BumpMessage(version_file, *version, xy)) return std::nullopt;
  RELKIT_ASSIGN_OR_RETURN(
      std::optional<ObjectId> orig,
      repo.LookupRef(absl::StrCat("refs/heads/orig/release/", xy)));
  if (!orig) return std::nullopt;
  return xy;
}

absl::StatusOr<BranchCutPlan> PlanBranchCut(const Repository& repo,
                                            const BranchCutOptions& options) {
  if (!options.version) {
    RELKIT_ASSIGN_OR_RETURN(ObjectId source,
                            repo.ResolveCommit(options.source));
    RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> xy,
                            CutWhoseBumpIs(repo, source, options.version_file));
    if (xy) {
      BranchCutOptions resume = options;
      resume.source = absl::StrCat("orig/release/", *xy);
      // The release is known now; given explicitly, it is not looked up
      // again (orig/release/X.Y may itself sit on an older cut's bump).
      RELKIT_ASSIGN_OR_RETURN(resume.version, Version::Parse(*xy));
      RELKIT_ASSIGN_OR_RETURN(BranchCutPlan plan, PlanBranchCut(repo, resume));
      plan.warnings.insert(
          plan.warnings.begin(),
          absl::StrCat(options.source, " (", source.ShortString(),
                       ") is the version bump of the release/", *xy,
                       " cut: planning that cut again from ", resume.source,
                       " instead of cutting the next release (to cut the "
                       "next one, give --from a later commit or --version)"));
      return plan;
    }
  }
  BranchCutPlan plan;
  plan.source = options.source;
  plan.default_branch = options.default_branch;
  plan.version_file = options.version_file;
  RELKIT_ASSIGN_OR_RETURN(plan.source_commit,
                          repo.ResolveCommit(options.source));
  RELKIT_RETURN_IF_ERROR(CheckDefaultBranch(repo, options.default_branch));
  if (options.remote) {
    RELKIT_RETURN_IF_ERROR(repo.CheckPushRemote(*options.remote));
    plan.remote = options.remote;
  }
  std::string source_hex = plan.source_commit.ToString();
  Version v;
  if (options.version) {
    v = *options.version;
    // A release given by hand that disagrees with the version file (`2`
    // for `2.5.0a0` plans release/2.0) is most likely a typo.
    absl::StatusOr<std::string> text =
        repo.ReadFile(source_hex, options.version_file);
    absl::StatusOr<Version> in_file =
        text.ok() ? Version::Parse(absl::StripAsciiWhitespace(*text))
                  : absl::StatusOr<Version>(text.status());
    if (in_file.ok() && MajorMinor(*in_file) != MajorMinor(v)) {
      plan.warnings.push_back(absl::StrCat(
          "version ", v.ToString(), " (release/", MajorMinor(v),
          ") disagrees with ", options.version_file, " at ", options.source,
          " (", in_file->ToString(), ", release/", MajorMinor(*in_file), ")"));
    }
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
    bump.message =
        BumpMessage(options.version_file, plan.next_main_version, xy);
    bump.edits.push_back(
        FileEdit{options.version_file, main_text,
                 FormatVersionFile(plan.next_main_version, main_text)});
    plan.version_bump = std::move(bump);
  }

  // Existing cut refs must be this very cut.
  RELKIT_ASSIGN_OR_RETURN(plan.already_applied, CutAlreadyApplied(repo, plan));
  if (plan.version_bump) {
    RELKIT_RETURN_IF_ERROR(CheckNotCheckedOut(repo, plan.default_branch));
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
  CutOutcome outcome = CutOutcome::kApplied;
  RELKIT_ASSIGN_OR_RETURN(bool applied, CutAlreadyApplied(repo, plan));
  if (applied) {
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
    if (plan.version_bump) {
      RELKIT_RETURN_IF_ERROR(
          CheckNotCheckedOut(repo, plan.version_bump->branch));
    }
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
    RELKIT_RETURN_IF_ERROR(PushBranchCut(repo, plan).status());
  }
  return outcome;
}

absl::StatusOr<std::vector<std::string>> PushBranchCut(
    Repository& repo, const BranchCutPlan& plan) {
  if (!plan.remote) {
    return absl::InvalidArgumentError(
        "push requested but the plan names no remote");
  }
  RELKIT_ASSIGN_OR_RETURN(bool applied, CutAlreadyApplied(repo, plan));
  if (!applied) {
    return absl::FailedPreconditionError(
        absl::StrCat("the cut of ", plan.release_branch,
                     " is not applied locally: apply it before pushing"));
  }
  // What to send: each cut ref at its local commit, and the bump commit (not
  // whatever the local default branch has on top of it) to the default
  // branch.
  std::vector<std::pair<std::string, ObjectId>> wanted;
  for (const std::string& b : {plan.orig_branch, plan.release_branch}) {
    std::string ref = absl::StrCat("refs/heads/", b);
    RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> at, repo.LookupRef(ref));
    if (at) wanted.emplace_back(ref, *at);
  }
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> bump,
                          FindBumpCommit(repo, plan));
  if (bump) {
    wanted.emplace_back(absl::StrCat("refs/heads/", plan.default_branch),
                        *bump);
  }
  auto not_pushed = [&](const absl::Status& s) {
    std::vector<std::string> names;
    for (const auto& [ref, at] : wanted) {
      names.push_back(std::string(absl::StripPrefix(ref, "refs/heads/")));
    }
    return absl::Status(
        s.code(),
        absl::StrCat(
            "the cut is applied locally (", absl::StrJoin(names, ", "),
            ") but was not pushed to \"", *plan.remote, "\": ", s.message(),
            "; run the same command again to push it (with --from ",
            plan.source_commit.ToString(), " if the source has moved since)"));
  };
  // Send only what the remote lacks, so that a rerun after a killed or
  // failed push completes it, and a remote branch that moved on (commits
  // merged after the cut) is not pushed back.
  absl::StatusOr<std::vector<std::pair<std::string, ObjectId>>> remote_refs =
      repo.ListRemoteRefs(*plan.remote);
  if (!remote_refs.ok()) return not_pushed(remote_refs.status());
  std::vector<std::string> specs, pushed;
  for (const auto& want : wanted) {
    // Named members, not a structured binding: clang 14 cannot capture a
    // binding in a lambda (a C++20 feature it lacks).
    const std::string& ref = want.first;
    const ObjectId& at = want.second;
    auto it = std::find_if(remote_refs->begin(), remote_refs->end(),
                           [&](const auto& r) { return r.first == ref; });
    if (it != remote_refs->end()) {
      if (it->second == at) continue;
      absl::StatusOr<bool> contained = repo.IsAncestor(at, it->second);
      if (contained.ok() && *contained) continue;
    }
    specs.push_back(absl::StrCat(at.ToString(), ":", ref));
    pushed.push_back(std::string(absl::StripPrefix(ref, "refs/heads/")));
  }
  if (specs.empty()) return pushed;
  absl::Status s =
      repo.Push(PushOptions{.remote = *plan.remote, .refspecs = specs});
  if (!s.ok()) return not_pushed(s);
  return pushed;
}

}  // namespace relkit
