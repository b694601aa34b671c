#include "relkit/milestone.h"

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
#include "relkit/status.h"

namespace relkit {
namespace {

using internal::JsonReader;

std::string FormatDay(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone());
}

// Reads an optional RFC 3339 timestamp (`null` or absent: nullopt).
absl::StatusOr<std::optional<absl::Time>> OptionalTime(
    const JsonReader& r, const rapidjson::Value& obj, absl::string_view key,
    absl::string_view path) {
  RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          r.OptionalString(obj, key, path));
  if (!text) return std::optional<absl::Time>();
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, *text, &t, &err)) {
    return r.Error(absl::StrCat(path, ".", key),
                   absl::StrCat("not an RFC 3339 time: \"", *text, "\""));
  }
  return std::optional<absl::Time>(t);
}

absl::StatusOr<IssueState> State(const JsonReader& r,
                                 const rapidjson::Value& obj,
                                 absl::string_view path) {
  RELKIT_ASSIGN_OR_RETURN(std::string s, r.String(obj, "state", path));
  if (s == "open") return IssueState::kOpen;
  if (s == "closed") return IssueState::kClosed;
  return r.Error(
      absl::StrCat(path, ".state"),
      absl::StrCat("expected \"open\" or \"closed\", got \"", s, "\""));
}

// `user.login`, or "" when there is no user (deleted accounts are null).
std::string Login(const rapidjson::Value& obj) {
  if (!obj.IsObject() || !obj.HasMember("user")) return "";
  const rapidjson::Value& u = obj["user"];
  if (!u.IsObject() || !u.HasMember("login") || !u["login"].IsString())
    return "";
  return u["login"].GetString();
}

std::string OptionalText(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject() || !obj.HasMember(key) || !obj[key].IsString()) return "";
  return std::string(obj[key].GetString(), obj[key].GetStringLength());
}

absl::StatusOr<const rapidjson::Value*> ArrayOf(const JsonReader& r,
                                                const rapidjson::Value& doc,
                                                absl::string_view what) {
  if (!doc.IsArray()) {
    return r.Error("$", absl::StrCat("expected an array of ", what));
  }
  return &doc;
}

absl::StatusOr<Milestone> ReadMilestone(const JsonReader& r,
                                        const rapidjson::Value& v,
                                        const std::string& path) {
  Milestone m;
  RELKIT_ASSIGN_OR_RETURN(m.number, r.Int(v, "number", path));
  RELKIT_ASSIGN_OR_RETURN(m.title, r.String(v, "title", path));
  RELKIT_ASSIGN_OR_RETURN(m.state, State(r, v, path));
  RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> description,
                          r.OptionalString(v, "description", path));
  m.description = description.value_or("");
  RELKIT_ASSIGN_OR_RETURN(m.due_on, OptionalTime(r, v, "due_on", path));
  if (v.HasMember("open_issues")) {
    RELKIT_ASSIGN_OR_RETURN(m.open_issues, r.Int(v, "open_issues", path));
  }
  if (v.HasMember("closed_issues")) {
    RELKIT_ASSIGN_OR_RETURN(m.closed_issues, r.Int(v, "closed_issues", path));
  }
  m.url = OptionalText(v, "html_url");
  return m;
}

absl::StatusOr<Issue> ReadIssue(const JsonReader& r, const rapidjson::Value& v,
                                const std::string& path) {
  Issue issue;
  if (!v.IsObject()) return r.Error(path, "expected an object");
  RELKIT_ASSIGN_OR_RETURN(issue.number, r.Int(v, "number", path));
  RELKIT_ASSIGN_OR_RETURN(issue.title, r.String(v, "title", path));
  RELKIT_ASSIGN_OR_RETURN(issue.state, State(r, v, path));
  issue.url = OptionalText(v, "html_url");
  issue.body = OptionalText(v, "body");
  issue.author = Login(v);
  RELKIT_ASSIGN_OR_RETURN(issue.closed_at,
                          OptionalTime(r, v, "closed_at", path));
  RELKIT_ASSIGN_OR_RETURN(issue.created_at,
                          OptionalTime(r, v, "created_at", path));
  if (v.HasMember("labels")) {
    const rapidjson::Value& labels = v["labels"];
    const std::string where = absl::StrCat(path, ".labels");
    if (!labels.IsArray()) return r.Error(where, "expected an array");
    for (rapidjson::SizeType i = 0; i < labels.Size(); ++i) {
      const rapidjson::Value& l = labels[i];
      if (l.IsString()) {
        issue.labels.emplace_back(l.GetString(), l.GetStringLength());
      } else {
        RELKIT_ASSIGN_OR_RETURN(
            std::string name,
            r.String(l, "name", absl::StrCat(where, "[", i, "]")));
        issue.labels.push_back(std::move(name));
      }
    }
  }
  if (v.HasMember("milestone") && v["milestone"].IsObject()) {
    RELKIT_ASSIGN_OR_RETURN(
        issue.milestone,
        r.Int(v["milestone"], "number", absl::StrCat(path, ".milestone")));
  }
  if (v.HasMember("pull_request") && !v["pull_request"].IsNull()) {
    issue.kind = IssueKind::kPullRequest;
    const rapidjson::Value& pr = v["pull_request"];
    if (!pr.IsObject()) {
      return r.Error(absl::StrCat(path, ".pull_request"), "expected an object");
    }
    RELKIT_ASSIGN_OR_RETURN(
        issue.merged_at,
        OptionalTime(r, pr, "merged_at", absl::StrCat(path, ".pull_request")));
    issue.merged = issue.merged_at.has_value();
  }
  return issue;
}

absl::StatusOr<rapidjson::Document> Parse(absl::string_view json,
                                          absl::string_view source) {
  return internal::ParseJson(json, source);
}

}  // namespace

absl::string_view IssueStateName(IssueState state) {
  return state == IssueState::kOpen ? "open" : "closed";
}

std::string Milestone::ToString() const {
  std::string out =
      absl::StrCat("#", number, " \"", title, "\" (", IssueStateName(state),
                   ", ", open_issues, " open / ", closed_issues, " closed");
  if (due_on) absl::StrAppend(&out, ", due ", FormatDay(*due_on));
  out += ")";
  return out;
}

bool Issue::HasLabel(absl::string_view name) const {
  return std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
    return absl::EqualsIgnoreCase(l, name);
  });
}

std::string Issue::ToString() const {
  std::string out =
      absl::StrCat(is_pull_request() ? "PR" : "issue", " #", number, " \"",
                   title, "\" (", IssueStateName(state));
  if (is_pull_request() && state == IssueState::kClosed) {
    out += merged ? ", merged" : ", not merged";
  }
  out += ")";
  return out;
}

std::vector<std::string> CommitChecks::NotGreen() const {
  std::vector<std::string> out;
  for (const StatusContext& s : statuses) {
    if (s.state != "success")
      out.push_back(absl::StrCat(s.context, ": ", s.state));
  }
  for (const CheckRun& c : check_runs) {
    if (c.status != "completed") {
      out.push_back(absl::StrCat(c.name, ": ", c.status));
    } else if (c.conclusion != "success" && c.conclusion != "neutral" &&
               c.conclusion != "skipped") {
      out.push_back(absl::StrCat(
          c.name, ": ", c.conclusion.empty() ? "no conclusion" : c.conclusion));
    }
  }
  return out;
}

bool CommitChecks::green() const {
  return (!statuses.empty() || !check_runs.empty()) && NotGreen().empty();
}

// -----------------------------------------------------------------------------
// Parsers

absl::StatusOr<std::vector<Milestone>> ParseMilestonesJson(
    absl::string_view json, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* arr,
                          ArrayOf(r, doc, "milestones"));
  std::vector<Milestone> out;
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    RELKIT_ASSIGN_OR_RETURN(
        Milestone m, ReadMilestone(r, (*arr)[i], absl::StrCat("$[", i, "]")));
    out.push_back(std::move(m));
  }
  return out;
}

absl::StatusOr<Milestone> ParseMilestoneJson(absl::string_view json,
                                             absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  return ReadMilestone(r, doc, "$");
}

absl::StatusOr<std::vector<Issue>> ParseIssuesJson(absl::string_view json,
                                                   absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* arr,
                          ArrayOf(r, doc, "issues"));
  std::vector<Issue> out;
  out.reserve(arr->Size());
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    RELKIT_ASSIGN_OR_RETURN(
        Issue issue, ReadIssue(r, (*arr)[i], absl::StrCat("$[", i, "]")));
    out.push_back(std::move(issue));
  }
  return out;
}

absl::StatusOr<std::vector<IssueComment>> ParseIssueCommentsJson(
    absl::string_view json, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* arr,
                          ArrayOf(r, doc, "comments"));
  std::vector<IssueComment> out;
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    const rapidjson::Value& v = (*arr)[i];
    const std::string path = absl::StrCat("$[", i, "]");
    IssueComment c;
    RELKIT_ASSIGN_OR_RETURN(c.id, r.Int(v, "id", path));
    RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> body,
                            r.OptionalString(v, "body", path));
    c.body = body.value_or("");
    c.author = Login(v);
    c.url = OptionalText(v, "html_url");
    RELKIT_ASSIGN_OR_RETURN(c.created_at,
                            OptionalTime(r, v, "created_at", path));
    RELKIT_ASSIGN_OR_RETURN(c.updated_at,
                            OptionalTime(r, v, "updated_at", path));
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<PullRequest> ParsePullRequestJson(absl::string_view json,
                                                 absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  PullRequest pr;
  RELKIT_ASSIGN_OR_RETURN(pr.number, r.Int(doc, "number", "$"));
  RELKIT_ASSIGN_OR_RETURN(pr.title, r.String(doc, "title", "$"));
  RELKIT_ASSIGN_OR_RETURN(pr.state, State(r, doc, "$"));
  RELKIT_ASSIGN_OR_RETURN(pr.merged_at, OptionalTime(r, doc, "merged_at", "$"));
  pr.merged = pr.merged_at.has_value();
  if (doc.HasMember("merged") && doc["merged"].IsBool())
    pr.merged = doc["merged"].GetBool();
  RELKIT_ASSIGN_OR_RETURN(pr.merge_commit_sha,
                          r.OptionalString(doc, "merge_commit_sha", "$"));
  pr.url = OptionalText(doc, "html_url");
  pr.body = OptionalText(doc, "body");
  if (doc.HasMember("base")) {
    RELKIT_ASSIGN_OR_RETURN(pr.base_ref,
                            r.String(doc["base"], "ref", "$.base"));
  }
  if (doc.HasMember("head")) {
    RELKIT_ASSIGN_OR_RETURN(pr.head_ref,
                            r.String(doc["head"], "ref", "$.head"));
    RELKIT_ASSIGN_OR_RETURN(pr.head_sha,
                            r.String(doc["head"], "sha", "$.head"));
  }
  return pr;
}

absl::Status ParseCombinedStatusJson(absl::string_view json,
                                     absl::string_view source,
                                     CommitChecks& out) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(out.combined_state, r.String(doc, "state", "$"));
  if (out.sha.empty()) out.sha = OptionalText(doc, "sha");
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* statuses,
                          r.Member(doc, "statuses", "$"));
  if (!statuses->IsArray()) return r.Error("$.statuses", "expected an array");
  for (rapidjson::SizeType i = 0; i < statuses->Size(); ++i) {
    const rapidjson::Value& v = (*statuses)[i];
    const std::string path = absl::StrCat("$.statuses[", i, "]");
    StatusContext s;
    RELKIT_ASSIGN_OR_RETURN(s.context, r.String(v, "context", path));
    RELKIT_ASSIGN_OR_RETURN(s.state, r.String(v, "state", path));
    s.description = OptionalText(v, "description");
    s.target_url = OptionalText(v, "target_url");
    out.statuses.push_back(std::move(s));
  }
  return absl::OkStatus();
}

absl::Status ParseCheckRunsJson(absl::string_view json,
                                absl::string_view source, CommitChecks& out) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* runs,
                          r.Member(doc, "check_runs", "$"));
  if (!runs->IsArray()) return r.Error("$.check_runs", "expected an array");
  for (rapidjson::SizeType i = 0; i < runs->Size(); ++i) {
    const rapidjson::Value& v = (*runs)[i];
    const std::string path = absl::StrCat("$.check_runs[", i, "]");
    CheckRun c;
    RELKIT_ASSIGN_OR_RETURN(c.id, r.Int(v, "id", path));
    RELKIT_ASSIGN_OR_RETURN(c.name, r.String(v, "name", path));
    RELKIT_ASSIGN_OR_RETURN(c.status, r.String(v, "status", path));
    RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> conclusion,
                            r.OptionalString(v, "conclusion", path));
    c.conclusion = conclusion.value_or("");
    c.url = OptionalText(v, "html_url");
    out.check_runs.push_back(std::move(c));
  }
  return absl::OkStatus();
}

// -----------------------------------------------------------------------------
// Lookups

absl::StatusOr<Milestone> FindMilestone(absl::Span<const Milestone> milestones,
                                        absl::string_view number_or_title,
                                        const GitHubRepo& repo) {
  const absl::string_view query = absl::StripAsciiWhitespace(number_or_title);
  if (query.empty()) return absl::InvalidArgumentError("empty milestone name");
  int64_t number = 0;
  const bool numeric =
      std::all_of(query.begin(), query.end(),
                  [](char c) { return absl::ascii_isdigit(c); }) &&
      absl::SimpleAtoi(query, &number);
  if (numeric) {
    for (const Milestone& m : milestones) {
      if (m.number == number) return m;
    }
  }
  for (const Milestone& m : milestones) {
    if (m.title == query) return m;
  }
  std::vector<const Milestone*> by_first_word;
  for (const Milestone& m : milestones) {
    absl::string_view title = absl::StripLeadingAsciiWhitespace(m.title);
    absl::string_view first = title.substr(0, title.find_first_of(" \t"));
    if (first == query) by_first_word.push_back(&m);
  }
  if (by_first_word.size() == 1) return *by_first_word[0];
  std::vector<std::string> titles;
  for (const Milestone& m : milestones)
    titles.push_back(absl::StrCat("\"", m.title, "\""));
  if (by_first_word.size() > 1) {
    std::vector<std::string> names;
    for (const Milestone* m : by_first_word) names.push_back(m->ToString());
    return absl::InvalidArgumentError(absl::StrCat(
        "milestone \"", query, "\" is ambiguous in ", repo.ToString(), ": ",
        absl::StrJoin(names, ", "), "; give its number"));
  }
  return absl::NotFoundError(absl::StrCat(
      "milestone \"", query, "\" not found in ", repo.ToString(),
      titles.empty()
          ? " (it has no milestones)"
          : absl::StrCat(" (milestones: ", absl::StrJoin(titles, ", "), ")")));
}

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
