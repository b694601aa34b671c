#include "relkit/github_json.h"

#include <algorithm>
#include <cstdint>
#include <optional>
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

absl::StatusOr<IssueComment> ReadComment(const JsonReader& r,
                                         const rapidjson::Value& v,
                                         const std::string& path) {
  IssueComment c;
  RELKIT_ASSIGN_OR_RETURN(c.id, r.Int(v, "id", path));
  RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> body,
                          r.OptionalString(v, "body", path));
  c.body = body.value_or("");
  c.author = Login(v);
  c.url = OptionalText(v, "html_url");
  RELKIT_ASSIGN_OR_RETURN(c.created_at, OptionalTime(r, v, "created_at", path));
  RELKIT_ASSIGN_OR_RETURN(c.updated_at, OptionalTime(r, v, "updated_at", path));
  return c;
}

absl::StatusOr<rapidjson::Document> Parse(absl::string_view json,
                                          absl::string_view source) {
  return internal::ParseJson(json, source);
}

}  // namespace

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

absl::StatusOr<Issue> ParseIssueJson(absl::string_view json,
                                     absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  return ReadIssue(r, doc, "$");
}

absl::StatusOr<IssueComment> ParseIssueCommentJson(absl::string_view json,
                                                   absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  if (!doc.IsObject()) return r.Error("$", "expected an object");
  return ReadComment(r, doc, "$");
}

absl::StatusOr<std::vector<IssueComment>> ParseIssueCommentsJson(
    absl::string_view json, absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(const rapidjson::Value* arr,
                          ArrayOf(r, doc, "comments"));
  std::vector<IssueComment> out;
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    RELKIT_ASSIGN_OR_RETURN(
        IssueComment c, ReadComment(r, (*arr)[i], absl::StrCat("$[", i, "]")));
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

namespace {

// Reads the optional `total_count` of a status or check-run listing into
// `total` (every page repeats it; the largest one read wins).
absl::Status ReadTotalCount(const JsonReader& r, const rapidjson::Value& doc,
                            std::optional<int64_t>& total) {
  if (!doc.IsObject() || !doc.HasMember("total_count")) return absl::OkStatus();
  RELKIT_ASSIGN_OR_RETURN(int64_t n, r.Int(doc, "total_count", "$"));
  if (n < 0) return r.Error("$.total_count", "expected a count (>= 0)");
  total = std::max(total.value_or(0), n);
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseCombinedStatusJson(absl::string_view json,
                                     absl::string_view source,
                                     CommitChecks& out) {
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, Parse(json, source));
  JsonReader r(source);
  RELKIT_ASSIGN_OR_RETURN(out.combined_state, r.String(doc, "state", "$"));
  if (out.sha.empty()) out.sha = OptionalText(doc, "sha");
  RELKIT_RETURN_IF_ERROR(ReadTotalCount(r, doc, out.statuses_total));
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
  RELKIT_RETURN_IF_ERROR(ReadTotalCount(r, doc, out.check_runs_total));
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

}  // namespace relkit
