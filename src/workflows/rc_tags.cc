#include "relkit/rc_tags.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// `release/X.Y` of `branch`, allowing a remote prefix (`upstream/`).
absl::StatusOr<ReleaseBranch> BranchOf(absl::string_view branch) {
  absl::string_view name = branch;
  size_t p = name.find("release/");
  if (p != absl::string_view::npos && p > 0 && name[p - 1] == '/' &&
      !(p >= 5 && name.substr(p - 5, 5) == "orig/")) {
    name = name.substr(p);
  }
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch b, ReleaseBranch::Parse(name));
  if (b.is_orig()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", branch, "\" is the untouched cut point; tag ",
                     b.Release().ToString()));
  }
  return b;
}

std::vector<std::string> TagNames(const std::vector<TagInfo>& tags) {
  std::vector<std::string> out;
  for (const TagInfo& t : tags) out.push_back(t.name);
  return out;
}

}  // namespace

absl::StatusOr<std::vector<RepositoryRcTag>> ListRcTags(
    const Repository& repo, absl::string_view branch) {
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch b, BranchOf(branch));
  RELKIT_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, repo.ListTags());
  std::vector<RepositoryRcTag> out;
  for (const TagInfo& t : tags) {
    absl::StatusOr<RcTag> rc = RcTag::Parse(t.name);
    if (!rc.ok() || rc->major() != b.major() || rc->minor() != b.minor()) {
      continue;
    }
    out.push_back(RepositoryRcTag{*rc, t.target, t.annotated()});
  }
  std::sort(out.begin(), out.end(),
            [](const RepositoryRcTag& a, const RepositoryRcTag& b) {
              return a.tag < b.tag;
            });
  return out;
}

absl::StatusOr<Version> TargetRelease(absl::string_view branch,
                                      absl::Span<const std::string> tags) {
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch b, BranchOf(branch));
  std::optional<uint64_t> highest_final;
  std::vector<uint64_t> rc_patches;
  for (const std::string& name : tags) {
    absl::StatusOr<RcTag> rc = RcTag::Parse(name);
    if (!rc.ok() || rc->major() != b.major() || rc->minor() != b.minor()) {
      continue;
    }
    if (rc->is_rc()) {
      rc_patches.push_back(rc->patch());
    } else if (!highest_final || rc->patch() > *highest_final) {
      highest_final = rc->patch();
    }
  }
  uint64_t patch = highest_final ? *highest_final + 1 : 0;
  for (uint64_t p : rc_patches) {
    if ((!highest_final || p > *highest_final) && p > patch) patch = p;
  }
  return Version::Parse(absl::StrCat(b.major(), ".", b.minor(), ".", patch));
}

namespace {

// The newest RC tag of `release` among `tags`, or null.
const TagInfo* NewestRcOf(const std::vector<TagInfo>& tags,
                          const Version& release) {
  const TagInfo* best = nullptr;
  std::optional<RcTag> best_tag;
  for (const TagInfo& t : tags) {
    absl::StatusOr<RcTag> rc = RcTag::Parse(t.name);
    if (!rc.ok() || !rc->is_rc() || rc->final_version() != release) continue;
    if (!best_tag || *rc > *best_tag) {
      best_tag = *rc;
      best = &t;
    }
  }
  return best;
}

// The release of the newest RC tag of the branch `b` among `tags`.
std::optional<Version> NewestRcRelease(const ReleaseBranch& b,
                                       const std::vector<TagInfo>& tags) {
  std::optional<RcTag> best;
  for (const TagInfo& t : tags) {
    absl::StatusOr<RcTag> rc = RcTag::Parse(t.name);
    if (!rc.ok() || !rc->is_rc() || rc->major() != b.major() ||
        rc->minor() != b.minor()) {
      continue;
    }
    if (!best || *rc > *best) best = *rc;
  }
  if (!best) return std::nullopt;
  return best->final_version();
}

// Plans the final tag of `release`: at the commit of its last RC, which
// must be on the branch.
absl::Status PlanFinal(const Repository& repo, const std::vector<TagInfo>& tags,
                       const Version& release, RcTagPlan& plan) {
  RELKIT_ASSIGN_OR_RETURN(plan.tag, RcTag::FromVersion(release));
  if (plan.tag.is_rc()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "release ", release.ToString(), " is a release candidate"));
  }
  const TagInfo* last_rc = NewestRcOf(tags, release);
  if (last_rc == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "release ", release.ToString(), " has no RC tag (", plan.tag.ToString(),
        "-rcN); a final tag promotes the release's last RC: create an RC "
        "first"));
  }
  const TagInfo& rc = *last_rc;
  plan.target = rc.target;
  plan.promotes = rc.name;
  RELKIT_ASSIGN_OR_RETURN(bool on_branch,
                          repo.IsAncestor(rc.target, plan.head));
  if (!on_branch) {
    return absl::FailedPreconditionError(absl::StrCat(
        rc.name, ", the last RC of ", release.ToString(), ", is at ",
        rc.target.ToString(), ", which is not on ", plan.branch,
        "; the final tag promotes it: check the branch"));
  }
  for (const TagInfo& t : tags) {
    if (t.name != plan.tag.ToString()) continue;
    if (t.target != plan.target) {
      return absl::AlreadyExistsError(absl::StrCat(
          "tag ", t.name, " already exists at ", t.target.ToString(),
          ", not at the last RC ", rc.name, " (", plan.target.ToString(), ")"));
    }
    plan.already_applied = true;
  }
  if (plan.head != plan.target && !plan.already_applied) {
    const std::string moved = absl::StrCat(
        plan.branch, " has moved on since ", rc.name, ": its head ",
        plan.head.ShortString(), " does not carry the last RC (",
        plan.target.ShortString(), ")");
    if (plan.override_reason.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          moved, "; the final tag releases what was built and tested: create ",
          "an RC at the head first, or override with a reason"));
    }
    plan.overridden.push_back(moved);
    plan.warnings.push_back(
        absl::StrCat(moved, "; overridden: ", plan.override_reason));
    plan.message = FinalTagMessage(plan);
  }
  return absl::OkStatus();
}

// Plans an RC of `release` at the head: the newest RC again when the head
// already carries it (a rerun), else the next one.
absl::Status PlanRc(const std::vector<TagInfo>& tags,
                    const std::vector<std::string>& names,
                    const Version& release, RcTagPlan& plan) {
  plan.target = plan.head;
  // First: NextRcTag refuses a release that is already final.
  RELKIT_ASSIGN_OR_RETURN(plan.tag, NextRcTag(release, names));
  const TagInfo* newest = NewestRcOf(tags, release);
  if (newest != nullptr && newest->target == plan.head) {
    RELKIT_ASSIGN_OR_RETURN(plan.tag, RcTag::Parse(newest->name));
    plan.already_applied = true;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RcTagPlan> PlanRcTag(const Repository& repo,
                                    absl::string_view branch,
                                    const RcTagPlanOptions& options) {
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch b, BranchOf(branch));
  RELKIT_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, repo.ListTags());
  std::vector<std::string> names = TagNames(tags);
  RcTagPlan plan;
  plan.branch = std::string(branch);
  plan.message = options.message;
  if (options.final) plan.override_reason = options.override_reason;
  RELKIT_ASSIGN_OR_RETURN(plan.head, repo.ResolveCommit(branch));
  RELKIT_ASSIGN_OR_RETURN(Version next, TargetRelease(branch, names));
  Version release = next;
  if (options.release) {
    release = *options.release;
    if (!b.Contains(release)) {
      return absl::InvalidArgumentError(
          absl::StrCat("release ", release.ToString(), " does not belong on ",
                       b.ToString()));
    }
    if (release > next && !options.allow_skip) {
      return absl::FailedPreconditionError(absl::StrCat(
          "release ", release.ToString(), " skips ", next.ToString(),
          ", the next release of ", b.ToString(),
          " after its tags; allow skipping explicitly (--allow-skip) to tag "
          "it anyway"));
    }
  } else if (options.final) {
    std::optional<Version> newest = NewestRcRelease(b, tags);
    if (!newest) {
      return absl::FailedPreconditionError(
          absl::StrCat(b.ToString(),
                       " has no RC tag; a final tag promotes the release's "
                       "last RC: create an RC first"));
    }
    release = *newest;
  }
  if (options.remote) {
    RELKIT_RETURN_IF_ERROR(repo.CheckPushRemote(*options.remote));
    plan.remote = options.remote;
  }
  if (options.final) {
    RELKIT_RETURN_IF_ERROR(PlanFinal(repo, tags, release, plan));
  } else {
    RELKIT_RETURN_IF_ERROR(PlanRc(tags, names, release, plan));
  }
  for (const TagInfo& t : tags) {
    if (t.target != plan.target) continue;
    absl::StatusOr<RcTag> rc = RcTag::Parse(t.name);
    if (!rc.ok()) continue;
    plan.tags_at_target.push_back(t.name);
    // Another release's RC at the head (this release's newest RC there is a
    // rerun, handled above).
    if (rc->is_rc() && !options.final && !plan.already_applied &&
        *rc != plan.tag) {
      plan.warnings.push_back(
          absl::StrCat("the head of ", branch, " (", plan.target.ShortString(),
                       ") already carries ", t.name, "; ", plan.tag.ToString(),
                       " would build the same commit"));
    }
  }
  return plan;
}

absl::Status GuardFinalTag(const ReadinessReport* readiness, RcTagPlan& plan) {
  if (!plan.promotes || plan.already_applied) return absl::OkStatus();
  std::vector<std::string> failed;
  if (readiness == nullptr) {
    failed.push_back("the final-RC readiness check was not run");
  } else if (!readiness->ready()) {
    if (readiness->branch_head != plan.head) {
      failed.push_back(absl::StrCat(
          "the readiness check ran at ", readiness->branch_head.ShortString(),
          ", not at the head ", plan.head.ShortString()));
    }
    for (const Criterion& c : readiness->criteria) {
      if (c.passed) continue;
      failed.push_back(absl::StrCat("readiness: ", CriterionName(c.id),
                                    " failed: ", c.summary));
    }
  }
  if (!failed.empty()) {
    if (plan.override_reason.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          plan.tag.ToString(),
          " is not ready to be tagged: ", absl::StrJoin(failed, "; "),
          "; fix them, or override with a reason (it goes into the tag "
          "message)"));
    }
    for (std::string& f : failed) {
      plan.warnings.push_back(
          absl::StrCat(f, "; overridden: ", plan.override_reason));
      plan.overridden.push_back(std::move(f));
    }
  }
  if (std::optional<std::string> m = FinalTagMessage(plan)) plan.message = m;
  return absl::OkStatus();
}

std::optional<std::string> FinalTagMessage(const RcTagPlan& plan) {
  if (plan.overridden.empty()) return std::nullopt;
  std::string out = plan.message.value_or(
      absl::StrCat("Release ", plan.tag.final_version().ToString()));
  // Built again from the plan's own message when called a second time.
  const size_t earlier = out.find("\n\nReadiness override: ");
  if (earlier != std::string::npos) out.resize(earlier);
  absl::StrAppend(&out, "\n\nReadiness override: ", plan.override_reason, "\n");
  for (const std::string& g : plan.overridden) {
    absl::StrAppend(&out, "- ", g, "\n");
  }
  return out;
}

absl::string_view ApplyOutcomeName(ApplyOutcome outcome) {
  return outcome == ApplyOutcome::kApplied ? "applied" : "already applied";
}

absl::StatusOr<ApplyOutcome> ApplyRcTag(Repository& repo,
                                        const RcTagPlan& plan) {
  std::string name = plan.tag.ToString();
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> existing,
                          repo.LookupRef(absl::StrCat("refs/tags/", name)));
  if (existing) {
    if (*existing == plan.target) return ApplyOutcome::kAlreadyApplied;
    return absl::AlreadyExistsError(
        absl::StrCat("tag ", name, " already exists at ", existing->ToString(),
                     ", not at the planned ", plan.target.ToString()));
  }
  if (plan.promotes) {
    // A final tag: the RC it promotes must still be the release's last.
    RELKIT_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, repo.ListTags());
    const TagInfo* last = NewestRcOf(tags, plan.tag.final_version());
    if (last == nullptr || last->name != *plan.promotes ||
        last->target != plan.target) {
      return absl::AbortedError(absl::StrCat(
          "the last RC of ", plan.tag.final_version().ToString(),
          " is no longer ", *plan.promotes, " at ", plan.target.ToString(),
          " since the plan was made; plan again"));
    }
  } else {
    RELKIT_ASSIGN_OR_RETURN(ObjectId head, repo.ResolveCommit(plan.branch));
    if (head != plan.target) {
      return absl::AbortedError(absl::StrCat(
          plan.branch, " moved from ", plan.target.ToString(), " to ",
          head.ToString(), " since the plan was made; plan again"));
    }
  }
  RELKIT_RETURN_IF_ERROR(
      repo.CreateTag(name, plan.target, plan.message, std::nullopt));
  return ApplyOutcome::kApplied;
}

absl::Status PushRcTag(Repository& repo, const RcTagPlan& plan) {
  if (!plan.remote) {
    return absl::InvalidArgumentError(
        "push requested but the plan names no remote");
  }
  std::string name = plan.tag.ToString();
  std::string ref = absl::StrCat("refs/tags/", name);
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> local, repo.LookupRef(ref));
  if (!local) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tag ", name, " does not exist locally: apply the plan first"));
  }
  absl::Status pushed =
      repo.Push(PushOptions{.remote = *plan.remote, .refspecs = {ref}});
  if (!pushed.ok()) {
    return absl::Status(
        pushed.code(),
        absl::StrCat("tag ", name, " exists locally at ", local->ShortString(),
                     " but was not pushed to \"", *plan.remote,
                     "\": ", pushed.message(),
                     "; run the same command again to push it"));
  }
  return absl::OkStatus();
}

}  // namespace relkit
