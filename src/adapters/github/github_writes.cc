#include "relkit/github_writes.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "internal/json.h"
#include "relkit/github_issues.h"
#include "relkit/github_json.h"
#include "relkit/status.h"

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

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
using Lookup = std::function<absl::StatusOr<std::optional<GitHubResponse>>()>;

std::string RepoPath(const GitHubRepo& repo) {
  return absl::StrCat("repos/", repo.owner, "/", repo.name);
}

// Percent-encodes a query value or a path segment list (a ref keeps `/`).
std::string Escape(absl::string_view s, bool keep_slash = false) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(
          &out, "%",
          absl::AsciiStrToUpper(absl::StrCat(absl::Hex(c, absl::kZeroPad2))));
    }
  }
  return out;
}

void Key(JsonWriter& w, absl::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}
void Str(JsonWriter& w, absl::string_view value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void StrMember(JsonWriter& w, absl::string_view key, absl::string_view value) {
  Key(w, key);
  Str(w, value);
}
void StrArrayMember(JsonWriter& w, absl::string_view key,
                    absl::Span<const std::string> values) {
  Key(w, key);
  w.StartArray();
  for (const std::string& v : values) Str(w, v);
  w.EndArray();
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// `body` with the marker of `key` on a line of its own at the end.
std::string WithMarker(absl::string_view body, absl::string_view key) {
  if (key.empty()) return std::string(body);
  if (body.empty()) return WriteMarker(key);
  return absl::StrCat(body, "\n\n", WriteMarker(key));
}

// What a lookup found, as the response Write returns for it.
GitHubResponse Found(absl::string_view url) {
  GitHubResponse r;
  r.status = 200;
  r.url = std::string(url);
  return r;
}

// The issue side of a pull request from the pulls API.
Issue PullToIssue(const PullRequest& pr) {
  Issue issue;
  issue.kind = IssueKind::kPullRequest;
  issue.number = pr.number;
  issue.title = pr.title;
  issue.state = pr.state;
  issue.merged = pr.merged;
  issue.merged_at = pr.merged_at;
  issue.merge_commit_sha = pr.merge_commit_sha;
  issue.url = pr.url;
  issue.body = pr.body;
  return issue;
}

}  // namespace

absl::StatusOr<Issue> GetIssue(GitHubClient& client, const GitHubRepo& repo,
                               int64_t number) {
  RELKIT_ASSIGN_OR_RETURN(
      GitHubResponse r,
      client.Get(absl::StrCat(RepoPath(repo), "/issues/", number)));
  return ParseIssueJson(r.body, RedactUrl(r.url));
}

absl::StatusOr<Written<Issue>> CreateIssue(GitHubClient& client,
                                           const GitHubRepo& repo,
                                           const NewIssue& issue) {
  if (absl::StripAsciiWhitespace(issue.title).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("an issue for ", repo.ToString(), " needs a title"));
  }
  std::optional<Issue> existing;
  GitHubWriteRequest request;
  request.method = "POST";
  request.path = absl::StrCat(RepoPath(repo), "/issues");
  request.find_existing =
      [&]() -> absl::StatusOr<std::optional<GitHubResponse>> {
    IssueQuery query;
    query.state = "all";
    if (!issue.labels.empty()) query.labels = issue.labels.front();
    RELKIT_ASSIGN_OR_RETURN(std::vector<Issue> issues,
                            ListIssues(client, repo, query));
    for (Issue& i : issues) {
      if (i.is_pull_request()) continue;
      if (i.title == issue.title ||
          (!issue.marker.empty() && HasWriteMarker(i.body, issue.marker))) {
        existing = std::move(i);
        return std::optional<GitHubResponse>(Found(existing->url));
      }
    }
    return std::optional<GitHubResponse>();
  };
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StrMember(w, "title", issue.title);
  StrMember(w, "body", WithMarker(issue.body, issue.marker));
  if (!issue.labels.empty()) StrArrayMember(w, "labels", issue.labels);
  if (!issue.assignees.empty()) StrArrayMember(w, "assignees", issue.assignees);
  if (issue.milestone) {
    Key(w, "milestone");
    w.Int64(*issue.milestone);
  }
  w.EndObject();
  request.body = buffer.GetString();
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  if (r.found_existing) return Written<Issue>{std::move(*existing), false};
  RELKIT_ASSIGN_OR_RETURN(
      Issue created,
      ParseIssueJson(r.response.body, RedactUrl(r.response.url)));
  return Written<Issue>{std::move(created), true};
}

absl::StatusOr<Issue> EditIssue(GitHubClient& client, const GitHubRepo& repo,
                                int64_t number, const IssueEdit& edit) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  if (edit.title) StrMember(w, "title", *edit.title);
  if (edit.body) StrMember(w, "body", *edit.body);
  if (edit.state) StrMember(w, "state", IssueStateName(*edit.state));
  if (edit.milestone) {
    Key(w, "milestone");
    if (*edit.milestone) {
      w.Int64(**edit.milestone);
    } else {
      w.Null();
    }
  }
  if (edit.labels) StrArrayMember(w, "labels", *edit.labels);
  w.EndObject();
  GitHubWriteRequest request;
  request.method = "PATCH";
  request.path = absl::StrCat(RepoPath(repo), "/issues/", number);
  request.body = buffer.GetString();
  request.idempotent = true;
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  return ParseIssueJson(r.response.body, RedactUrl(r.response.url));
}

absl::StatusOr<std::vector<std::string>> AddLabels(
    GitHubClient& client, const GitHubRepo& repo, int64_t number,
    absl::Span<const std::string> labels) {
  if (labels.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no labels to add to ", repo.ToString(), "#", number));
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StrArrayMember(w, "labels", labels);
  w.EndObject();
  GitHubWriteRequest request;
  request.method = "POST";
  request.path = absl::StrCat(RepoPath(repo), "/issues/", number, "/labels");
  request.body = buffer.GetString();
  request.idempotent = true;  // adding a label twice keeps it once
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  const std::string source = RedactUrl(r.response.url);
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(r.response.body, source));
  internal::JsonReader reader(source);
  if (!doc.IsArray()) return reader.Error("$", "expected an array of labels");
  std::vector<std::string> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    RELKIT_ASSIGN_OR_RETURN(
        std::string name,
        reader.String(doc[i], "name", absl::StrCat("$[", i, "]")));
    out.push_back(std::move(name));
  }
  return out;
}

absl::StatusOr<Written<IssueComment>> CreateComment(GitHubClient& client,
                                                    const GitHubRepo& repo,
                                                    int64_t number,
                                                    absl::string_view body,
                                                    absl::string_view marker) {
  if (marker.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a comment on ", repo.ToString(), "#", number,
        " needs a marker (the lookup that keeps a rerun from posting it "
        "twice)"));
  }
  std::optional<IssueComment> existing;
  GitHubWriteRequest request;
  request.method = "POST";
  request.path = absl::StrCat(RepoPath(repo), "/issues/", number, "/comments");
  request.find_existing =
      [&]() -> absl::StatusOr<std::optional<GitHubResponse>> {
    RELKIT_ASSIGN_OR_RETURN(std::vector<IssueComment> comments,
                            ListIssueComments(client, repo, number));
    for (IssueComment& c : comments) {
      if (HasWriteMarker(c.body, marker)) {
        existing = std::move(c);
        return std::optional<GitHubResponse>(Found(existing->url));
      }
    }
    return std::optional<GitHubResponse>();
  };
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StrMember(w, "body", WithMarker(body, marker));
  w.EndObject();
  request.body = buffer.GetString();
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  if (r.found_existing) {
    return Written<IssueComment>{std::move(*existing), false};
  }
  RELKIT_ASSIGN_OR_RETURN(
      IssueComment created,
      ParseIssueCommentJson(r.response.body, RedactUrl(r.response.url)));
  return Written<IssueComment>{std::move(created), true};
}

absl::StatusOr<Written<Milestone>> CreateMilestone(
    GitHubClient& client, const GitHubRepo& repo,
    const NewMilestone& milestone) {
  if (absl::StripAsciiWhitespace(milestone.title).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a milestone for ", repo.ToString(), " needs a title"));
  }
  std::optional<Milestone> existing;
  GitHubWriteRequest request;
  request.method = "POST";
  request.path = absl::StrCat(RepoPath(repo), "/milestones");
  request.find_existing =
      [&]() -> absl::StatusOr<std::optional<GitHubResponse>> {
    RELKIT_ASSIGN_OR_RETURN(std::vector<Milestone> all,
                            ListMilestones(client, repo));
    for (Milestone& m : all) {
      if (m.title == milestone.title) {
        existing = std::move(m);
        return std::optional<GitHubResponse>(Found(existing->url));
      }
    }
    return std::optional<GitHubResponse>();
  };
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StrMember(w, "title", milestone.title);
  StrMember(w, "state", IssueStateName(milestone.state));
  if (!milestone.description.empty()) {
    StrMember(w, "description", milestone.description);
  }
  if (milestone.due_on) StrMember(w, "due_on", Rfc3339(*milestone.due_on));
  w.EndObject();
  request.body = buffer.GetString();
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  if (r.found_existing) return Written<Milestone>{std::move(*existing), false};
  RELKIT_ASSIGN_OR_RETURN(
      Milestone created,
      ParseMilestoneJson(r.response.body, RedactUrl(r.response.url)));
  return Written<Milestone>{std::move(created), true};
}

absl::StatusOr<Milestone> EditMilestone(GitHubClient& client,
                                        const GitHubRepo& repo, int64_t number,
                                        const MilestoneEdit& edit) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  if (edit.title) StrMember(w, "title", *edit.title);
  if (edit.description) StrMember(w, "description", *edit.description);
  if (edit.due_on) StrMember(w, "due_on", Rfc3339(*edit.due_on));
  if (edit.state) StrMember(w, "state", IssueStateName(*edit.state));
  w.EndObject();
  GitHubWriteRequest request;
  request.method = "PATCH";
  request.path = absl::StrCat(RepoPath(repo), "/milestones/", number);
  request.body = buffer.GetString();
  request.idempotent = true;
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  return ParseMilestoneJson(r.response.body, RedactUrl(r.response.url));
}

absl::StatusOr<Written<Issue>> CreatePullRequest(GitHubClient& client,
                                                 const GitHubRepo& repo,
                                                 const NewPullRequest& pr) {
  if (pr.head.empty() || pr.base.empty() ||
      absl::StripAsciiWhitespace(pr.title).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a pull request for ", repo.ToString(),
                     " needs a title, a head branch and a base branch"));
  }
  std::optional<Issue> existing;
  GitHubWriteRequest request;
  request.method = "POST";
  request.path = absl::StrCat(RepoPath(repo), "/pulls");
  request.find_existing =
      [&]() -> absl::StatusOr<std::optional<GitHubResponse>> {
    RELKIT_ASSIGN_OR_RETURN(
        std::vector<GitHubResponse> pages,
        client.GetPages(absl::StrCat(
            RepoPath(repo), "/pulls?state=all&head=", Escape(repo.owner), ":",
            Escape(pr.head), "&base=", Escape(pr.base))));
    for (const GitHubResponse& page : pages) {
      const std::string source = RedactUrl(page.url);
      RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                              internal::ParseJson(page.body, source));
      if (!doc.IsArray()) {
        return internal::JsonReader(source).Error(
            "$", "expected an array of pull requests");
      }
      for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
        RELKIT_ASSIGN_OR_RETURN(
            PullRequest found,
            ParsePullRequestJson(internal::WriteJson(doc[i]),
                                 absl::StrCat(source, " $[", i, "]")));
        if (found.head_ref == pr.head && found.base_ref == pr.base) {
          existing = PullToIssue(found);
          return std::optional<GitHubResponse>(Found(existing->url));
        }
      }
    }
    return std::optional<GitHubResponse>();
  };
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StrMember(w, "title", pr.title);
  StrMember(w, "head", pr.head);
  StrMember(w, "base", pr.base);
  StrMember(w, "body", pr.body);
  Key(w, "draft");
  w.Bool(pr.draft);
  Key(w, "maintainer_can_modify");
  w.Bool(pr.maintainer_can_modify);
  w.EndObject();
  request.body = buffer.GetString();
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  if (r.found_existing) return Written<Issue>{std::move(*existing), false};
  RELKIT_ASSIGN_OR_RETURN(
      PullRequest created,
      ParsePullRequestJson(r.response.body, RedactUrl(r.response.url)));
  return Written<Issue>{PullToIssue(created), true};
}

absl::StatusOr<Written<std::string>> CreateRef(GitHubClient& client,
                                               const GitHubRepo& repo,
                                               absl::string_view ref,
                                               absl::string_view sha) {
  absl::string_view short_ref = ref;
  if (!absl::ConsumePrefix(&short_ref, "refs/") || short_ref.empty() ||
      !absl::StrContains(short_ref, '/')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", ref,
        "\" is not a full ref name (refs/heads/... or refs/tags/...)"));
  }
  if (sha.empty() || !std::all_of(sha.begin(), sha.end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", sha, "\" is not a commit sha (expected hex digits)"));
  }
  GitHubWriteRequest request;
  request.method = "POST";
  request.path = absl::StrCat(RepoPath(repo), "/git/refs");
  request.find_existing =
      [&]() -> absl::StatusOr<std::optional<GitHubResponse>> {
    absl::StatusOr<GitHubResponse> r = client.Get(absl::StrCat(
        RepoPath(repo), "/git/ref/", Escape(short_ref, /*keep_slash=*/true)));
    if (absl::IsNotFound(r.status())) return std::optional<GitHubResponse>();
    if (!r.ok()) return r.status();
    const std::string source = RedactUrl(r->url);
    RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                            internal::ParseJson(r->body, source));
    internal::JsonReader reader(source);
    RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* object,
                            reader.Member(doc, "object", "$"));
    RELKIT_ASSIGN_OR_RETURN(std::string at,
                            reader.String(*object, "sha", "$.object"));
    if (!absl::EqualsIgnoreCase(at, sha)) {
      return absl::AlreadyExistsError(
          absl::StrCat(ref, " already exists in ", repo.ToString(), " at ", at,
                       ", not at ", sha, " (not moved)"));
    }
    return std::optional<GitHubResponse>(std::move(*r));
  };
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StrMember(w, "ref", ref);
  StrMember(w, "sha", sha);
  w.EndObject();
  request.body = buffer.GetString();
  RELKIT_ASSIGN_OR_RETURN(GitHubWriteResponse r, client.Write(request));
  return Written<std::string>{std::string(sha), !r.found_existing};
}

}  // namespace relkit
