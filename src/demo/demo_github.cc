#include "demo/demo_github.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "internal/json.h"
#include "relkit/git.h"
#include "relkit/status.h"

namespace relkit {
namespace {

constexpr absl::string_view kCreatedAt = "2024-07-01T09:00:00Z";

// Returns `s` as a JSON string.
std::string Quote(absl::string_view s) {
  rapidjson::Value v(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return internal::WriteJson(v);
}

HttpResponse Json(int status, std::string body, const std::string& url) {
  HttpResponse r;
  r.status = status;
  r.url = url;
  r.headers.Set("content-type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

// Splits `key` ("repos/o/n/pulls?state=all&head=o:b") into its path parts
// and query parameters (values kept as sent, %-encoding included).
struct Route {
  std::vector<std::string> parts;
  std::vector<std::pair<std::string, std::string>> query;
  std::string Param(absl::string_view name) const {
    for (const auto& [k, v] : query) {
      if (k == name) return v;
    }
    return "";
  }
};

Route Parse(absl::string_view key) {
  Route r;
  std::pair<absl::string_view, absl::string_view> pq =
      absl::StrSplit(key, absl::MaxSplits('?', 1));
  r.parts = absl::StrSplit(pq.first, '/', absl::SkipEmpty());
  for (absl::string_view kv :
       absl::StrSplit(pq.second, '&', absl::SkipEmpty())) {
    std::pair<std::string, std::string> p =
        absl::StrSplit(kv, absl::MaxSplits('=', 1));
    r.query.push_back(std::move(p));
  }
  return r;
}

// Returns the string member `name` of `doc`, or "".
std::string Member(const rapidjson::Document& doc, const char* name) {
  if (!doc.IsObject() || !doc.HasMember(name) || !doc[name].IsString()) {
    return "";
  }
  return std::string(doc[name].GetString(), doc[name].GetStringLength());
}

// "o%3Abranch" and "o:branch" alike: the branch of a `head` filter.
std::string HeadBranch(std::string head) {
  absl::StrReplaceAll({{"%3A", ":"}, {"%3a", ":"}}, &head);
  const size_t colon = head.find(':');
  return colon == std::string::npos ? head : head.substr(colon + 1);
}

}  // namespace

absl::StatusOr<std::unique_ptr<DemoGitHub>> DemoGitHub::Open(
    std::string dir, std::string api_base, std::string repository) {
  RELKIT_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotTransport> snapshot,
                          SnapshotTransport::Open(std::move(dir), api_base));
  return std::unique_ptr<DemoGitHub>(new DemoGitHub(
      std::move(snapshot), std::move(api_base), std::move(repository)));
}

absl::StatusOr<HttpResponse> DemoGitHub::Send(const HttpRequest& request) {
  const std::string key = SnapshotKey(request.url, api_base_);
  if (request.method == "GET") return Get(request, key);
  RELKIT_ASSIGN_OR_RETURN(HttpResponse r, Write(request, key));
  writes_.push_back(absl::StrCat(
      request.method, " ", key.substr(0, key.find('?')), " -> ", r.status));
  return r;
}

absl::Status DemoGitHub::Persist() {
  for (const auto& [key, body] : unsaved_) {
    RELKIT_RETURN_IF_ERROR(
        WriteSnapshotEntry(snapshot_->dir(), {.key = key, .body = body}));
  }
  unsaved_.clear();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>*> DemoGitHub::Comments(
    const std::string& repo, int64_t number) {
  auto it = comments_.find(number);
  if (it != comments_.end()) return &it->second;
  std::vector<std::string> seeded;
  absl::StatusOr<SnapshotEntry> saved = ReadSnapshotEntry(
      snapshot_->dir(), "GET",
      absl::StrCat(repo, "/issues/", number, "/comments?per_page=100"));
  if (saved.ok()) {
    RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                            internal::ParseJson(saved->body, "demo comments"));
    if (doc.IsArray()) {
      for (const rapidjson::Value& c : doc.GetArray()) {
        seeded.push_back(internal::WriteJson(c));
      }
    }
  } else if (!absl::IsNotFound(saved.status())) {
    return saved.status();
  }
  return &comments_.emplace(number, std::move(seeded)).first->second;
}

absl::StatusOr<HttpResponse> DemoGitHub::Get(const HttpRequest& request,
                                             const std::string& key) {
  const Route r = Parse(key);
  const auto& p = r.parts;
  if (p.size() < 4 || p[0] != "repos") return snapshot_->Send(request);
  const std::string repo = absl::StrCat("repos/", p[1], "/", p[2]);
  int64_t number = 0;
  if (p.size() == 4 && p[3] == "pulls") {
    const std::string head = HeadBranch(r.Param("head"));
    const std::string base = r.Param("base");
    std::vector<std::string> out;
    for (const Pull& pr : pulls_) {
      if ((head.empty() || pr.head == head) &&
          (base.empty() || pr.base == base)) {
        out.push_back(pr.json);
      }
    }
    return Json(200, absl::StrCat("[", absl::StrJoin(out, ","), "]"),
                request.url);
  }
  if (p.size() == 5 && p[3] == "pulls" && absl::SimpleAtoi(p[4], &number)) {
    for (const Pull& pr : pulls_) {
      if (pr.number == number) return Json(200, pr.json, request.url);
    }
  }
  if (p.size() == 6 && p[3] == "issues" && p[5] == "comments" &&
      absl::SimpleAtoi(p[4], &number)) {
    RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> * list,
                            Comments(repo, number));
    std::string body = absl::StrCat("[", absl::StrJoin(*list, ","), "]");
    unsaved_[absl::StrCat(repo, "/issues/", number, "/comments?per_page=100")] =
        body;
    return Json(200, std::move(body), request.url);
  }
  absl::StatusOr<HttpResponse> saved = snapshot_->Send(request);
  if (saved.ok() || !absl::IsNotFound(saved.status())) return saved;
  // CI of a commit the snapshot does not know: green.
  if (p.size() == 6 && p[3] == "commits" && p[5] == "status") {
    std::string body = absl::StrCat(
        "{\"state\":\"success\",\"sha\":", Quote(p[4]),
        ",\"statuses\":[{\"context\":\"EasyCLA\",\"state\":\"success\","
        "\"description\":\"ok\",\"target_url\":\"\"}]}");
    unsaved_[key] = body;
    return Json(200, std::move(body), request.url);
  }
  if (p.size() == 6 && p[3] == "commits" && p[5] == "check-runs") {
    std::string body =
        "{\"total_count\":1,\"check_runs\":[{\"id\":3,\"name\":"
        "\"pull / linux-focal-py3.8-gcc9 / build\",\"status\":"
        "\"completed\",\"conclusion\":\"success\",\"html_url\":\"\"}]}";
    unsaved_[key] = body;
    return Json(200, std::move(body), request.url);
  }
  return saved;
}

absl::StatusOr<HttpResponse> DemoGitHub::Write(const HttpRequest& request,
                                               const std::string& key) {
  const Route r = Parse(key);
  const auto& p = r.parts;
  RELKIT_ASSIGN_OR_RETURN(
      rapidjson::Document body,
      internal::ParseJson(request.body.empty() ? "{}" : request.body,
                          absl::StrCat(request.method, " ", key)));
  if (p.size() < 4 || p[0] != "repos") {
    return Json(404, "{\"message\":\"Not Found\"}", request.url);
  }
  const std::string repo = absl::StrCat("repos/", p[1], "/", p[2]);
  const std::string html = absl::StrCat("https://github.com/", p[1], "/", p[2]);
  int64_t number = 0;
  if (request.method == "POST" && p.size() == 4 && p[3] == "pulls") {
    Pull pr;
    pr.number = next_number_++;
    pr.head = HeadBranch(Member(body, "head"));
    pr.base = Member(body, "base");
    for (const Pull& other : pulls_) {
      if (other.head == pr.head && other.base == pr.base) {
        return Json(
            422,
            absl::StrCat("{\"message\":\"Validation Failed\",\"errors\":"
                         "[{\"resource\":\"PullRequest\",\"code\":"
                         "\"custom\",\"message\":\"A pull request "
                         "already exists for ",
                         p[1], ":", pr.head, ".\"}]}"),
            request.url);
      }
    }
    // GitHub refuses a PR whose head branch does not exist.
    RELKIT_ASSIGN_OR_RETURN(Repository git, Repository::Open(repository_));
    absl::StatusOr<ObjectId> head =
        git.ResolveCommit(absl::StrCat("refs/heads/", pr.head));
    if (!head.ok()) {
      return Json(422,
                  "{\"message\":\"Validation Failed\",\"errors\":[{"
                  "\"resource\":\"PullRequest\",\"field\":\"head\","
                  "\"code\":\"invalid\"}]}",
                  request.url);
    }
    const std::string head_sha = head->ToString();
    const std::string url = absl::StrCat(html, "/pull/", pr.number);
    pr.json = absl::StrCat(
        "{\"number\":", pr.number, ",\"title\":", Quote(Member(body, "title")),
        ",\"body\":", Quote(Member(body, "body")),
        ",\"state\":\"open\",\"merged\":false,\"merge_commit_sha\":null,"
        "\"html_url\":",
        Quote(url), ",\"user\":{\"login\":\"pytorchbot\"},\"head\":{\"sha\":",
        Quote(head_sha), ",\"ref\":", Quote(pr.head),
        "},\"base\":{\"ref\":", Quote(pr.base), "},\"created_at\":\"",
        kCreatedAt, "\",\"labels\":[]}");
    pulls_.push_back(pr);
    return Json(201, pr.json, request.url);
  }
  if (request.method == "POST" && p.size() == 6 && p[3] == "issues" &&
      p[5] == "comments" && absl::SimpleAtoi(p[4], &number)) {
    RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> * list,
                            Comments(repo, number));
    const int64_t id = next_comment_++;
    std::string comment = absl::StrCat(
        "{\"id\":", id, ",\"user\":{\"login\":\"pytorchbot\"},\"html_url\":",
        Quote(absl::StrCat(html, "/issues/", number, "#issuecomment-", id)),
        ",\"created_at\":\"", kCreatedAt, "\",\"updated_at\":\"", kCreatedAt,
        "\",\"body\":", Quote(Member(body, "body")), "}");
    list->push_back(comment);
    return Json(201, std::move(comment), request.url);
  }
  if (request.method == "POST" && p.size() == 6 && p[3] == "issues" &&
      p[5] == "labels") {
    return Json(200, "[]", request.url);
  }
  return Json(404,
              absl::StrCat("{\"message\":",
                           Quote(absl::StrCat("the demo's GitHub does not "
                                              "take ",
                                              request.method, " ", key)),
                           "}"),
              request.url);
}

}  // namespace relkit
