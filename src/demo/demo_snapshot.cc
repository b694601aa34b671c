#include "demo/demo_snapshot.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "relkit/commit_message.h"
#include "relkit/git.h"
#include "relkit/snapshot.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// Returns `s` as a JSON string literal.
std::string Quote(absl::string_view s) {
  std::string out(1, '"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.push_back('\\');
      out.push_back('n');
    } else {
      out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

absl::StatusOr<DemoSnapshot> WriteDemoSnapshot(const DemoRepository& demo,
                                               const std::string& dir) {
  DemoSnapshot s;
  s.dir = dir;
  RELKIT_ASSIGN_OR_RETURN(Repository repo, Repository::Open(demo.path));
  RELKIT_ASSIGN_OR_RETURN(ObjectId head,
                          repo.ResolveCommit(demo.release_branch));
  const std::string api = absl::StrCat("repos/", s.github_repo);
  const std::string html = absl::StrCat("https://github.com/", s.github_repo);
  auto put = [&](const std::string& key, const std::string& json) {
    ++s.entries;
    return WriteSnapshotEntry(dir, {.key = key, .body = json});
  };

  const std::string milestone = absl::StrCat(
      "{\"number\":", s.milestone, ",\"title\":", Quote(s.milestone_title),
      ",\"state\":\"open\",\"description\":\"Fixes for ", demo.release_branch,
      "\",\"open_issues\":1,\"closed_issues\":", demo.requested_prs.size(),
      ",\"due_on\":\"2024-07-24T07:00:00Z\",\"html_url\":\"", html,
      "/milestone/", s.milestone, "\"}");
  RELKIT_RETURN_IF_ERROR(
      put(absl::StrCat(api, "/milestones/", s.milestone), milestone));
  RELKIT_RETURN_IF_ERROR(
      put(absl::StrCat(api, "/milestones?state=all&per_page=100"),
          absl::StrCat("[", milestone, "]")));

  std::vector<std::string> items;
  std::vector<std::string> comments;
  for (const DemoChange& c : demo.changes) {
    if (c.role == DemoRole::kMainOnly) continue;
    std::string title = SplitTitlePrSuffixes(c.title).second;
    items.push_back(
        absl::StrCat("{\"number\":", c.pr, ",\"title\":", Quote(title),
                     ",\"state\":\"closed\",\"labels\":[],\"html_url\":\"",
                     html, "/pull/", c.pr,
                     "\",\"user\":{\"login\":\"dev\"},\"body\":\"\","
                     "\"closed_at\":\"2024-06-20T10:00:00Z\",\"pull_request\":{"
                     "\"merged_at\":\"2024-06-20T10:00:00Z\"}}"));
    // The pull request itself, as the cherry-pick bot reads it.
    RELKIT_RETURN_IF_ERROR(
        put(absl::StrCat(api, "/pulls/", c.pr),
            absl::StrCat("{\"number\":", c.pr, ",\"title\":", Quote(title),
                         ",\"state\":\"closed\",\"merged\":true,\"merged_at\":"
                         "\"2024-06-20T10:00:00Z\",\"merge_commit_sha\":\"",
                         c.main_commit.ToString(), "\",\"html_url\":\"", html,
                         "/pull/", c.pr,
                         "\",\"user\":{\"login\":\"dev\"},\"body\":\"Fixes the "
                         "issue.\",\"head\":{\"sha\":\"",
                         c.main_commit.ToString(), "\",\"ref\":\"fix-", c.pr,
                         "\"},\"base\":{\"ref\":\"main\"},\"labels\":[]}")));
    std::string release =
        c.branch_pr ? absl::StrCat("* ", html, "/pull/", *c.branch_pr)
                    : std::string("* (cherry-pick PR not opened yet)");
    comments.push_back(absl::StrCat(
        "{\"id\":", 1000 + comments.size(),
        ",\"user\":{\"login\":\"dev\"},\"html_url\":\"", html, "/issues/",
        s.tracker_issue, "#issuecomment-", 1000 + comments.size(),
        "\",\"created_at\":\"2024-06-21T09:00:00Z\",\"body\":",
        Quote(absl::StrCat("Link to landed trunk PR (if applicable):\n* ", html,
                           "/pull/", c.pr, "\n\nLink to release branch PR:\n",
                           release, "\n\nCriteria Category:\nRegression")),
        "}"));
  }
  items.push_back(absl::StrCat(
      "{\"number\":", s.open_issue,
      ",\"title\":\"torch.compile crashes on Windows with <dynamic> shapes\","
      "\"state\":\"open\",\"labels\":[{\"name\":\"module: regression\"}],"
      "\"html_url\":\"",
      html, "/issues/", s.open_issue,
      "\",\"user\":{\"login\":\"dev\"},\"body\":\"\"}"));
  items.push_back(absl::StrCat(
      "{\"number\":", s.open_issue + 1,
      ",\"title\":\"Support FP8 on new hardware\",\"state\":\"open\","
      "\"labels\":[{\"name\":\"release-feature-request\"}],\"html_url\":\"",
      html, "/issues/", s.open_issue + 1,
      "\",\"user\":{\"login\":\"dev\"},\"body\":\"\"}"));
  std::string list(1, '[');
  for (size_t i = 0; i < items.size(); ++i) {
    absl::StrAppend(&list, i ? "," : "", items[i]);
  }
  RELKIT_RETURN_IF_ERROR(
      put(absl::StrCat(api, "/issues?milestone=", s.milestone,
                       "&state=all&per_page=100"),
          absl::StrCat(list, "]")));

  RELKIT_RETURN_IF_ERROR(
      put(absl::StrCat(
              api, "/issues?state=all&labels=release%20tracker&per_page=100"),
          absl::StrCat(
              "[{\"number\":", s.tracker_issue,
              ",\"title\":\"[v2.4.0] Release Tracker\",\"state\":\"open\","
              "\"labels\":[{\"name\":\"release tracker\"}],\"html_url\":\"",
              html, "/issues/", s.tracker_issue,
              "\",\"user\":{\"login\":\"releng\"},\"body\":\"\"}]")));
  std::string comment_list(1, '[');
  for (size_t i = 0; i < comments.size(); ++i) {
    absl::StrAppend(&comment_list, i ? "," : "", comments[i]);
  }
  RELKIT_RETURN_IF_ERROR(put(
      absl::StrCat(api, "/issues/", s.tracker_issue, "/comments?per_page=100"),
      absl::StrCat(comment_list, "]")));

  const std::string sha = head.ToString();
  RELKIT_RETURN_IF_ERROR(
      put(absl::StrCat(api, "/commits/", sha, "/status?per_page=100"),
          absl::StrCat(
              "{\"state\":\"success\",\"sha\":\"", sha,
              "\",\"statuses\":[{\"context\":\"EasyCLA\",\"state\":"
              "\"success\",\"description\":\"ok\",\"target_url\":\"\"}]}")));
  RELKIT_RETURN_IF_ERROR(
      put(absl::StrCat(api, "/commits/", sha, "/check-runs?per_page=100"),
          "{\"total_count\":2,\"check_runs\":[{\"id\":1,\"name\":\"pull / "
          "linux-focal-py3.8-gcc9 / build\",\"status\":\"completed\","
          "\"conclusion\":\"success\",\"html_url\":\"\"},{\"id\":2,\"name\":"
          "\"Lint / lintrunner\",\"status\":\"completed\",\"conclusion\":"
          "\"success\",\"html_url\":\"\"}]}"));
  return s;
}

}  // namespace relkit
