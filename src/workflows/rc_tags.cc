#include "relkit/rc_tags.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

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

absl::StatusOr<RcTagPlan> PlanRcTag(const Repository& repo,
                                    absl::string_view branch,
                                    const RcTagPlanOptions& options) {
  RELKIT_ASSIGN_OR_RETURN(ReleaseBranch b, BranchOf(branch));
  RELKIT_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, repo.ListTags());
  std::vector<std::string> names = TagNames(tags);
  Version release;
  if (options.release) {
    release = *options.release;
    if (!b.Contains(release)) {
      return absl::InvalidArgumentError(
          absl::StrCat("release ", release.ToString(), " does not belong on ",
                       b.ToString()));
    }
  } else {
    RELKIT_ASSIGN_OR_RETURN(release, TargetRelease(branch, names));
  }
  RcTagPlan plan;
  plan.branch = std::string(branch);
  plan.message = options.message;
  RELKIT_ASSIGN_OR_RETURN(plan.target, repo.ResolveCommit(branch));
  if (options.final) {
    RELKIT_ASSIGN_OR_RETURN(plan.tag, RcTag::FromVersion(release));
    if (plan.tag.is_rc()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "release ", release.ToString(), " is a release candidate"));
    }
    for (const TagInfo& t : tags) {
      if (t.name == plan.tag.ToString() && t.target != plan.target) {
        return absl::AlreadyExistsError(absl::StrCat(
            "tag ", t.name, " already exists at ", t.target.ToString()));
      }
    }
  } else {
    RELKIT_ASSIGN_OR_RETURN(plan.tag, NextRcTag(release, names));
  }
  for (const TagInfo& t : tags) {
    if (t.target != plan.target) continue;
    absl::StatusOr<RcTag> rc = RcTag::Parse(t.name);
    if (!rc.ok()) continue;
    plan.tags_at_target.push_back(t.name);
    if (rc->is_rc() && !options.final) {
      plan.warnings.push_back(
          absl::StrCat("the head of ", branch, " (", plan.target.ShortString(),
                       ") already carries ", t.name, "; ", plan.tag.ToString(),
                       " would build the same commit"));
    }
  }
  return plan;
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
  RELKIT_ASSIGN_OR_RETURN(ObjectId head, repo.ResolveCommit(plan.branch));
  if (head != plan.target) {
    return absl::AbortedError(absl::StrCat(
        plan.branch, " moved from ", plan.target.ToString(), " to ",
        head.ToString(), " since the plan was made; plan again"));
  }
  RELKIT_RETURN_IF_ERROR(
      repo.CreateTag(name, plan.target, plan.message, std::nullopt));
  return ApplyOutcome::kApplied;
}

}  // namespace relkit
