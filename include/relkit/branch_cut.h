// File: relkit/branch_cut.h
// -----------------------------------------------------------------------------
//
// The branch cut as a plan, then an atomic apply (replaces
// scripts/release/cut-release-branch.sh and the post-cut PRs):
//   - `release/X.Y` and `orig/release/X.Y` at the source commit
//     (`viable/strict` for the core repository, `main` for domain libraries);
//   - on `release/X.Y`, a "[RELEASE-ONLY CHANGES] Branch Cut for Release X.Y"
//     commit rewriting `@main` to `@release/X.Y` in `.github/workflows/*.yml`
//     and `.github/actions/**` (rules configurable);
//   - on the default branch, a commit bumping `version.txt` to the next minor
//     (`2.5.0a0` -> `2.6.0a0`).
//
//   relkit::BranchCutOptions options;
//   options.source = "viable/strict";
//   absl::StatusOr<relkit::BranchCutPlan> plan =
//       relkit::PlanBranchCut(*repo, options);   // version from version.txt
//   std::cout << plan->ToDiff();
//   absl::StatusOr<relkit::CutOutcome> done =
//       relkit::ApplyBranchCut(*repo, *plan, {});
//
// Planning reads only. Applying writes the two commits as objects and then
// moves every ref in one all-or-nothing update; running it again reports
// "already applied"; refs that exist with other content are AlreadyExists.
// Pushing sends what the remote lacks, so a rerun after a failed or killed
// push sends the rest.

#ifndef RELKIT_BRANCH_CUT_H_
#define RELKIT_BRANCH_CUT_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/git.h"
#include "relkit/version.h"

namespace relkit {

// A text replacement applied to release-only files.
struct RewriteRule {
  std::string from;  // `@main`
  std::string to;    // `@release/{version}` ({version} is X.Y)
};

struct BranchCutOptions {
  // The release X.Y (or X.Y.Z); nullopt: read `version.txt` at `source`.
  std::optional<Version> version;
  // The commit to cut from.
  std::string source = "viable/strict";
  // The branch that gets the version bump.
  std::string default_branch = "main";
  // Where `ApplyCutOptions::push` sends the refs (a remote name, URL or
  // path). The refs themselves are always local branches.
  std::optional<std::string> remote;
  // Files rewritten on the release branch: `.github/workflows/*.yml|yaml`
  // (top level) and everything under these prefixes.
  std::vector<std::string> rewrite_prefixes = {".github/actions/"};
  // Replacements, in order. Default: `@main` -> `@release/{version}`.
  std::vector<RewriteRule> rules = {{"@main", "@release/{version}"}};
  // The file that holds the version on the default branch.
  std::string version_file = "version.txt";
};

// One file's change.
struct FileEdit {
  std::string path;
  std::string before;
  std::string after;
};

// A commit the cut adds on top of a branch.
struct PlannedCommit {
  std::string branch;  // `release/2.5` or `main`
  ObjectId parent;
  std::string message;
  std::vector<FileEdit> edits;
};

struct BranchCutPlan {
  Version release;             // X.Y.0
  std::string release_branch;  // `release/X.Y`
  std::string orig_branch;     // `orig/release/X.Y`
  std::string source;
  ObjectId source_commit;
  std::string default_branch;  // `main`
  std::string version_file;    // `version.txt`
  std::optional<std::string> remote;
  // nullopt when no file needs rewriting.
  std::optional<PlannedCommit> release_only;
  // nullopt when the default branch is already at `next_main_version` or
  // later (for example after the cut was applied).
  std::optional<PlannedCommit> version_bump;
  Version next_main_version;  // X.(Y+1).0a0
  // True when the repository already holds exactly this cut (a rerun):
  // applying changes nothing and reports "already applied".
  bool already_applied = false;
  // Human-readable warnings (a `version` that disagrees with the version
  // file).
  std::vector<std::string> warnings;

  // Returns the plan as a readable diff: the refs to create and a unified
  // diff (`---`/`+++`/`@@`) per changed file.
  std::string ToDiff() const;
};

// Plans the cut. Returns NotFound when `source`/`default_branch` or the
// version file do not exist, InvalidArgument when the version file does not
// hold a version or `default_branch` is not a local branch (a tag, a sha,
// `HEAD`, `origin/main`: the bump is a commit on a branch), AlreadyExists
// when `release/X.Y` or `orig/release/X.Y` exists with content that differs
// from the plan or only one of them exists (the message says what is
// there; an identical cut plans fine, `already_applied`), and
// FailedPrecondition when the bump would move the default branch while it
// is checked out in a working tree (as git refuses to), or `remote` is a
// path that is not a repository (NotFound when nothing is there).
absl::StatusOr<BranchCutPlan> PlanBranchCut(const Repository& repo,
                                            const BranchCutOptions& options);

enum class CutOutcome : uint8_t { kApplied, kAlreadyApplied };
// Returns "applied" or "already applied".
absl::string_view CutOutcomeName(CutOutcome outcome);

struct ApplyCutOptions {
  // Author and committer of the two commits; nullopt: the repository's
  // configured identity.
  std::optional<Signature> signature;
  // Push the refs to `plan.remote` after applying (`PushBranchCut`).
  bool push = false;
};

// Applies `plan`: writes the planned commits, then creates `release/X.Y`,
// `orig/release/X.Y` and moves the default branch in one atomic update.
// Returns kAlreadyApplied when the repository already holds exactly this
// cut; AlreadyExists when a cut ref holds something else (or only one
// exists); FailedPrecondition when the default branch is checked out;
// Aborted when the default branch moved since the plan. With `push`, pushes
// the refs (also when already applied) and returns `PushBranchCut`'s error
// when that fails (the cut stays applied locally).
absl::StatusOr<CutOutcome> ApplyBranchCut(Repository& repo,
                                          const BranchCutPlan& plan,
                                          const ApplyCutOptions& options);

// Pushes an applied cut to `plan.remote`: `orig/release/X.Y`,
// `release/X.Y`, and the version-bump commit of the default branch (found
// on it by its message, also on a rerun whose plan has no bump left), each
// only when the remote does not hold it yet. Returns the refs pushed (empty
// when the remote already had everything). Returns InvalidArgument when
// the plan names no remote, FailedPrecondition when the cut is not applied
// locally, and otherwise the push's error, whose message says that the cut
// is applied locally and that rerunning pushes it.
absl::StatusOr<std::vector<std::string>> PushBranchCut(
    Repository& repo, const BranchCutPlan& plan);

}  // namespace relkit

#endif  // RELKIT_BRANCH_CUT_H_
