#include "relkit/github_issues.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "internal/json.h"
#include "relkit/github_json.h"
#include "relkit/status.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Client calls

namespace {

std::string RepoPath(const GitHubRepo& repo) {
  return absl::StrCat("repos/", repo.owner, "/", repo.name);
}

// Percent-encodes a query value (labels may hold spaces and colons).
std::string QueryEscape(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~' || c == ',' || c == '*') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(
          &out, "%",
          absl::AsciiStrToUpper(absl::StrCat(absl::Hex(c, absl::kZeroPad2))));
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Milestone>> ListMilestones(GitHubClient& client,
                                                      const GitHubRepo& repo) {
  RELKIT_ASSIGN_OR_RETURN(
      std::vector<GitHubResponse> pages,
      client.GetPages(absl::StrCat(RepoPath(repo), "/milestones?state=all")));
  std::vector<Milestone> out;
  for (const GitHubResponse& page : pages) {
    RELKIT_ASSIGN_OR_RETURN(
        std::vector<Milestone> ms,
        ParseMilestonesJson(page.body, RedactUrl(page.url)));
    out.insert(out.end(), ms.begin(), ms.end());
  }
  return out;
}

absl::StatusOr<Milestone> FindMilestone(GitHubClient& client,
                                        const GitHubRepo& repo,
                                        absl::string_view number_or_title) {
  const absl::string_view query = absl::StripAsciiWhitespace(number_or_title);
  int64_t number = 0;
  if (!query.empty() &&
      std::all_of(query.begin(), query.end(),
                  [](char c) { return absl::ascii_isdigit(c); }) &&
      absl::SimpleAtoi(query, &number)) {
    absl::StatusOr<GitHubResponse> r =
        client.Get(absl::StrCat(RepoPath(repo), "/milestones/", number));
    if (absl::IsNotFound(r.status())) {
      return absl::NotFoundError(absl::StrCat("milestone ", number,
                                              " not found in ", repo.ToString(),
                                              " (", r.status().message(), ")"));
    }
    if (!r.ok()) return r.status();
    return ParseMilestoneJson(r->body, RedactUrl(r->url));
  }
  RELKIT_ASSIGN_OR_RETURN(std::vector<Milestone> all,
                          ListMilestones(client, repo));
  return FindMilestone(all, query, repo);
}

absl::StatusOr<std::vector<Issue>> ListIssues(GitHubClient& client,
                                              const GitHubRepo& repo,
                                              const IssueQuery& query) {
  std::string path = absl::StrCat(RepoPath(repo), "/issues?");
  if (query.milestone)
    absl::StrAppend(&path, "milestone=", QueryEscape(*query.milestone), "&");
  absl::StrAppend(&path, "state=", QueryEscape(query.state));
  if (!query.labels.empty())
    absl::StrAppend(&path, "&labels=", QueryEscape(query.labels));
  if (query.since) {
    absl::StrAppend(
        &path, "&since=",
        QueryEscape(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *query.since,
                                     absl::UTCTimeZone())));
  }
  RELKIT_ASSIGN_OR_RETURN(std::vector<GitHubResponse> pages,
                          client.GetPages(path));
  std::vector<Issue> out;
  std::set<int64_t> seen;  // pages can shift while paging: keep the first copy
  for (const GitHubResponse& page : pages) {
    RELKIT_ASSIGN_OR_RETURN(std::vector<Issue> items,
                            ParseIssuesJson(page.body, RedactUrl(page.url)));
    for (Issue& item : items) {
      if (!seen.insert(item.number).second) continue;
      out.push_back(std::move(item));
    }
  }
  return out;
}

absl::StatusOr<std::vector<Issue>> ListMilestoneItems(
    GitHubClient& client, const GitHubRepo& repo, int64_t milestone_number) {
  IssueQuery q;
  q.milestone = absl::StrCat(milestone_number);
  return ListIssues(client, repo, q);
}

absl::StatusOr<std::vector<IssueComment>> ListIssueComments(
    GitHubClient& client, const GitHubRepo& repo, int64_t number) {
  RELKIT_ASSIGN_OR_RETURN(
      std::vector<GitHubResponse> pages,
      client.GetPages(
          absl::StrCat(RepoPath(repo), "/issues/", number, "/comments")));
  std::vector<IssueComment> out;
  for (const GitHubResponse& page : pages) {
    RELKIT_ASSIGN_OR_RETURN(
        std::vector<IssueComment> cs,
        ParseIssueCommentsJson(page.body, RedactUrl(page.url)));
    out.insert(out.end(), cs.begin(), cs.end());
  }
  return out;
}

absl::StatusOr<PullRequest> GetPullRequest(GitHubClient& client,
                                           const GitHubRepo& repo,
                                           int64_t number) {
  RELKIT_ASSIGN_OR_RETURN(
      GitHubResponse r,
      client.Get(absl::StrCat(RepoPath(repo), "/pulls/", number)));
  return ParsePullRequestJson(r.body, RedactUrl(r.url));
}

absl::StatusOr<CommitChecks> GetCommitChecks(GitHubClient& client,
                                             const GitHubRepo& repo,
                                             absl::string_view sha) {
  const bool hex =
      !sha.empty() && std::all_of(sha.begin(), sha.end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      });
  if (!hex) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", sha, "\" is not a commit sha (expected hex digits)"));
  }
  CommitChecks out;
  out.sha = std::string(sha);
  RELKIT_ASSIGN_OR_RETURN(std::vector<GitHubResponse> status_pages,
                          client.GetPages(absl::StrCat(
                              RepoPath(repo), "/commits/", sha, "/status")));
  for (const GitHubResponse& page : status_pages) {
    RELKIT_RETURN_IF_ERROR(
        ParseCombinedStatusJson(page.body, RedactUrl(page.url), out));
  }
  RELKIT_ASSIGN_OR_RETURN(
      std::vector<GitHubResponse> run_pages,
      client.GetPages(
          absl::StrCat(RepoPath(repo), "/commits/", sha, "/check-runs")));
  for (const GitHubResponse& page : run_pages) {
    RELKIT_RETURN_IF_ERROR(
        ParseCheckRunsJson(page.body, RedactUrl(page.url), out));
  }
  return out;
}

}  // namespace relkit
