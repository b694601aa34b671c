#include "demo/release_demo.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "demo/demo_github.h"
#include "relkit/cherry_pick.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/rc_tags.h"
#include "relkit/status.h"

namespace relkit {
namespace {

std::string Short(const ObjectId& id) { return id.ShortString(); }

// The PR `sha` landed as on main; 0 when it is not on main or names none.
uint64_t MainPr(const BranchAudit& audit, const ObjectId& sha) {
  const MainCommit* m = audit.FindMainCommit(sha);
  return m && m->pr ? *m->pr : 0;
}

// Returns FailedPrecondition naming `path` (the `what` of the demo) unless it
// is missing or an empty directory: the demo writes into neither an existing
// file nor someone's files.
absl::Status CheckNewOrEmpty(const std::string& path, absl::string_view what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot use \"", path, "\" for the demo's ", what, ": ", ec.message()));
  }
  if (!fs::exists(st)) return absl::OkStatus();
  if (!fs::is_directory(st)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot keep the demo's ", what, " in \"", path,
                     "\": it exists and is not a directory"));
  }
  if (!fs::is_empty(path, ec) || ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot keep the demo's ", what, " in \"", path,
                     "\": it exists and is not an empty directory"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view DemoFindingKindName(DemoFindingKind kind) {
  switch (kind) {
    case DemoFindingKind::kMissing:
      return "missing";
    case DemoFindingKind::kRevertNeeded:
      return "revert-needed";
    case DemoFindingKind::kPrNumberOnly:
      return "pr-number-only";
  }
  return "unknown";
}

std::vector<DemoFinding> ConcludeAudit(const BranchAudit& a,
                                       absl::Span<const Presence> presence) {
  std::vector<DemoFinding> out;
  for (const Presence& p : presence) {
    if (p.state != PresenceState::kMissing) continue;
    for (const ObjectId& m : p.main_commits) {
      const MainCommit* main = a.FindMainCommit(m);
      DemoFinding f{
          .kind = DemoFindingKind::kMissing, .pr = MainPr(a, m), .sha = m};
      f.text =
          absl::StrCat(p.query, " \"", main ? main->title : "", "\" is on ",
                       a.main, " as ", Short(m), " but not in ", a.branch,
                       ": cherry-pick it (git cherry-pick -x ", Short(m), ")");
      out.push_back(std::move(f));
    }
  }
  for (const RevertNeeded& r : a.reverts_needed) {
    DemoFinding f{.kind = DemoFindingKind::kRevertNeeded,
                  .pr = MainPr(a, r.reverted_sha),
                  .sha = r.revert_sha,
                  .branch_sha = r.present_as};
    f.text = absl::StrCat(a.branch, " still carries ", Short(r.present_as),
                          " [", EvidenceNames(r.evidence), "], reverted on ",
                          a.main, " by ", Short(r.revert_sha), " \"",
                          r.revert_title, "\": pick the revert too");
    out.push_back(std::move(f));
  }
  for (const BranchCommit& c : a.commits) {
    for (const Counterpart& cp : c.counterparts) {
      if (!cp.MatchedOnlyByPrNumber()) continue;
      DemoFinding f{.kind = DemoFindingKind::kPrNumberOnly,
                    .pr = MainPr(a, cp.sha),
                    .sha = cp.sha,
                    .branch_sha = c.sha};
      f.text = absl::StrCat(
          Short(c.sha), " \"", c.title, "\" matches ", Short(cp.sha),
          " only by PR number: no -x trailer, and its conflict resolution "
          "changed the patch-id, so a patch-id comparison (git cherry, "
          "github_analyze.py) calls #",
          f.pr, " missing");
      out.push_back(std::move(f));
    }
  }
  return out;
}

absl::StatusOr<ReleaseDemo> RunReleaseDemo(const std::string& path) {
  ReleaseDemo d;
  // Checked before anything is created (BuildDemoRepository checks `path`
  // first too): a refused snapshot directory leaves no repository behind,
  // and the demo never writes among someone's files.
  const std::string snapshot_dir = absl::StrCat(path, ".github");
  RELKIT_RETURN_IF_ERROR(CheckNewOrEmpty(snapshot_dir, "GitHub snapshot"));
  RELKIT_ASSIGN_OR_RETURN(d.repo, BuildDemoRepository(path));
  RELKIT_ASSIGN_OR_RETURN(Repository repo, Repository::Open(path));
  AuditOptions options;
  options.main = d.repo.main;
  RELKIT_ASSIGN_OR_RETURN(d.audit,
                          AuditBranch(repo, d.repo.release_branch, options));
  d.presence = FindPrsInBranch(d.audit, d.repo.requested_prs);
  RELKIT_ASSIGN_OR_RETURN(RcTagPlan next,
                          PlanRcTag(repo, d.repo.release_branch, {}));
  d.next_rc = next.tag.ToString();
  d.findings = ConcludeAudit(d.audit, d.presence);
  // Sibling of the repository: removed with it, or kept next to it.
  RELKIT_ASSIGN_OR_RETURN(d.snapshot, WriteDemoSnapshot(d.repo, snapshot_dir));
  // The snapshot, writable in memory: the bot's writes are read back.
  const std::string api_url = "https://api.github.com";
  RELKIT_ASSIGN_OR_RETURN(std::unique_ptr<DemoGitHub> transport,
                          DemoGitHub::Open(d.snapshot.dir, api_url, path));
  DemoGitHub* github = transport.get();
  GitHubClientOptions gh_options;
  gh_options.api_url = api_url;
  gh_options.token = "";
  gh_options.max_retries = 0;
  RELKIT_ASSIGN_OR_RETURN(
      GitHubClient gh,
      GitHubClient::Create(std::move(transport), std::move(gh_options)));
  ReadinessOptions check;
  RELKIT_ASSIGN_OR_RETURN(check.github_repo,
                          GitHubRepo::Parse(d.snapshot.github_repo));
  check.branch = d.repo.release_branch;
  check.main = d.repo.main;
  check.milestone = d.snapshot.milestone_title;
  RELKIT_ASSIGN_OR_RETURN(d.readiness, CheckReadiness(repo, gh, check));
  const std::string source =
      absl::StrCat("demo snapshot ", d.snapshot.dir, ", writable in memory");
  d.readiness.source = source;

  // The bot picks the first missing requested PR.
  const DemoFinding* missing = nullptr;
  for (const DemoFinding& f : d.findings) {
    if (f.kind == DemoFindingKind::kMissing && f.pr != 0) {
      missing = &f;
      break;
    }
  }
  if (missing == nullptr) return d;
  RELKIT_ASSIGN_OR_RETURN(Repository writable, Repository::Open(path));
  CherryPickRequest request;
  request.pr = static_cast<int64_t>(missing->pr);
  request.onto = d.repo.release_branch;
  request.classification = Classification::kRegression;
  request.fixes = absl::StrCat("https://github.com/", d.snapshot.github_repo,
                               "/issues/127990");
  request.requested_by = "dev";
  request.main = d.repo.main;
  // The demo repository is the upstream the bot pushes to.
  request.push_remote = path;
  request.repo = check.github_repo;
  request.committer = Signature{.name = "PyTorch Bot",
                                .email = "pytorchbot@users.noreply.github.com",
                                .time = absl::FromUnixSeconds(1719824400)};
  RELKIT_ASSIGN_OR_RETURN(d.bot_plan, PlanCherryPick(writable, gh, request));
  if (d.bot_plan->refused()) return d;
  RELKIT_ASSIGN_OR_RETURN(d.bot_result,
                          ApplyCherryPick(writable, gh, *d.bot_plan));
  d.github_writes = github->writes();
  RELKIT_ASSIGN_OR_RETURN(CherryPickPlan again,
                          PlanCherryPick(writable, gh, request));
  d.bot_rerun_already_applied = again.already_applied;
  if (d.bot_result->conflict || !d.bot_plan->pick ||
      !d.bot_plan->pick->commit) {
    return d;
  }

  // The release manager merges the PR: a fast-forward, compare-and-swap.
  d.release_head_before = d.bot_plan->onto_head;
  d.release_head_after = *d.bot_plan->pick->commit;
  RELKIT_RETURN_IF_ERROR(writable.UpdateRefs(
      {{.name = absl::StrCat("refs/heads/", d.repo.release_branch),
        .target = d.release_head_after,
        .expected = d.release_head_before,
        .message = "relkit demo: merge the cherry-pick PR"}}));
  RELKIT_ASSIGN_OR_RETURN(RcTagPlan rc,
                          PlanRcTag(writable, d.repo.release_branch, {}));
  RELKIT_RETURN_IF_ERROR(ApplyRcTag(writable, rc).status());
  d.rc_after = rc.tag.ToString();
  RELKIT_ASSIGN_OR_RETURN(d.readiness_after,
                          CheckReadiness(writable, gh, check));
  d.readiness_after.source = source;
  // The kept snapshot is GitHub as the demo leaves it: `relkit check
  // --snapshot` on the kept repository tells the second check's story.
  RELKIT_RETURN_IF_ERROR(github->Persist());
  return d;
}

}  // namespace relkit
