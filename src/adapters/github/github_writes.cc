#include "relkit/github_writes.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace relkit {

std::string WriteMarker(absl::string_view key) {
  const std::string safe = absl::StrReplaceAll(
      key, {{"-->", "--"}, {"\r", " "}, {"\n", " "}, {"<!--", "<!"}});
  return absl::StrCat("<!-- relkit:", safe, " -->");
}

bool HasWriteMarker(absl::string_view body, absl::string_view key) {
  return absl::StrContains(body, WriteMarker(key));
}

namespace {
absl::Status NotYet(absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat(what, ": GitHub writes are not implemented yet"));
}
}  // namespace

absl::StatusOr<Issue> GetIssue(GitHubClient&, const GitHubRepo&, int64_t) {
  return NotYet("GetIssue");
}
absl::StatusOr<Written<Issue>> CreateIssue(GitHubClient&, const GitHubRepo&,
                                           const NewIssue&) {
  return NotYet("CreateIssue");
}
absl::StatusOr<Issue> EditIssue(GitHubClient&, const GitHubRepo&, int64_t,
                                const IssueEdit&) {
  return NotYet("EditIssue");
}
absl::StatusOr<std::vector<std::string>> AddLabels(
    GitHubClient&, const GitHubRepo&, int64_t, absl::Span<const std::string>) {
  return NotYet("AddLabels");
}
absl::StatusOr<Written<IssueComment>> CreateComment(GitHubClient&,
                                                    const GitHubRepo&, int64_t,
                                                    absl::string_view,
                                                    absl::string_view) {
  return NotYet("CreateComment");
}
absl::StatusOr<Written<Milestone>> CreateMilestone(GitHubClient&,
                                                   const GitHubRepo&,
                                                   const NewMilestone&) {
  return NotYet("CreateMilestone");
}
absl::StatusOr<Milestone> EditMilestone(GitHubClient&, const GitHubRepo&,
                                        int64_t, const MilestoneEdit&) {
  return NotYet("EditMilestone");
}
absl::StatusOr<Written<Issue>> CreatePullRequest(GitHubClient&,
                                                 const GitHubRepo&,
                                                 const NewPullRequest&) {
  return NotYet("CreatePullRequest");
}
absl::StatusOr<Written<std::string>> CreateRef(GitHubClient&, const GitHubRepo&,
                                               absl::string_view,
                                               absl::string_view) {
  return NotYet("CreateRef");
}

}  // namespace relkit
