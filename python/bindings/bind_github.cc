// GitHub data (relkit/github.h, github_issues.h, github_repo.h,
// github_repo_lookup.h, milestone.h, snapshot.h): GitHubClient with live /
// record / snapshot sources, repositories, and the milestone models. Network
// calls release the GIL. No repr or error ever contains the token.

#include <Python.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/github.h"
#include "relkit/github_issues.h"
#include "relkit/github_repo.h"
#include "relkit/github_repo_lookup.h"
#include "relkit/milestone.h"

namespace relkit::python {
namespace {

GitHubClient MakeClient(std::optional<std::string> api_url,
                        std::optional<std::string> token,
                        std::optional<std::string> snapshot,
                        std::optional<std::string> record,
                        std::optional<std::string> cache_dir,
                        const std::string& rate_limit, int max_retries,
                        double timeout, double connect_timeout,
                        uint64_t max_response_bytes) {
  GitHubClientOptions o;
  o.api_url = api_url.value_or("");
  o.token = std::move(token);
  o.snapshot_dir = snapshot.value_or("");
  o.record_dir = record.value_or("");
  o.cache_dir = cache_dir.value_or("");
  o.rate_limit_policy =
      ValueOrThrow(ParseRateLimitPolicy(rate_limit, "rate_limit"));
  o.max_retries = max_retries;
  o.http.total_timeout = absl::Seconds(timeout);
  o.http.connect_timeout = absl::Seconds(connect_timeout);
  o.http.max_response_bytes = static_cast<size_t>(max_response_bytes);
  o.http.user_agent = absl::StrCat("relkit-python/", RELKIT_VERSION_STRING);
  return ValueOrThrow(GitHubClient::Create(std::move(o)));
}

}  // namespace

void BindGitHub(py::module_& m) {
  // --- repositories --------------------------------------------------------
  py::class_<GitHubRepo>(m, "GitHubRepo", "A GitHub repository, OWNER/NAME.")
      .def(py::init([](const std::string& text) {
             return ValueOrThrow(GitHubRepo::Parse(text));
           }),
           py::arg("text"),
           "Parses 'OWNER/NAME' (InvalidArgumentError otherwise).")
      .def_static(
          "from_remote_url",
          [](const std::string& url) {
            return ValueOrThrow(ParseGitHubRemoteUrl(url)).repo;
          },
          py::arg("url"),
          "The repository a git remote URL points at (https, ssh, "
          "git@host:o/n.git, GHE).")
      .def_readonly("owner", &GitHubRepo::owner)
      .def_readonly("name", &GitHubRepo::name)
      .def("__str__", &GitHubRepo::ToString)
      .def("__repr__",
           [](const GitHubRepo& r) {
             return absl::StrCat("GitHubRepo('", r.ToString(), "')");
           })
      .def("__eq__",
           [](const GitHubRepo& a, const GitHubRepo& b) { return a == b; })
      .def("__hash__",
           [](const GitHubRepo& r) { return py::hash(py::str(r.ToString())); });
  py::class_<ResolvedGitHubRepo>(
      m, "ResolvedGitHubRepo",
      "The GitHub repository resolve_github_repo found, and where.")
      .def_readonly("repo", &ResolvedGitHubRepo::repo)
      .def_readonly("source", &ResolvedGitHubRepo::source)
      .def_readonly("host", &ResolvedGitHubRepo::host,
                    "The host of the remote the repository came from "
                    "('github.com', 'ghe.example.com'); '' when it came from "
                    "github_repo or $GITHUB_REPOSITORY.")
      .def("__repr__", [](const ResolvedGitHubRepo& r) {
        return absl::StrCat("<ResolvedGitHubRepo ", r.repo.ToString(), " from ",
                            r.source, ">");
      });
  m.def(
      "resolve_github_repo",
      [](const std::string& repo_path, const std::string& github_repo,
         const std::string& remote, bool use_environment,
         const std::string& api_url) {
        GitHubRepoLookup lookup;
        lookup.github_repo = github_repo;
        lookup.use_environment = use_environment;
        lookup.repo_path = repo_path;
        lookup.remote = remote;
        lookup.api_url = api_url;
        absl::StatusOr<ResolvedGitHubRepo> r;
        {
          py::gil_scoped_release release;
          r = ResolveGitHubRepo(lookup);
        }
        return ValueOrThrow(std::move(r));
      },
      py::arg("repo_path"), py::kw_only(), py::arg("github_repo") = "",
      py::arg("remote") = "", py::arg("use_environment") = true,
      py::arg("api_url") = "",
      "The GitHub repository: github_repo ('OWNER/NAME') when given, else "
      "the URL of `remote` when given, else $GITHUB_REPOSITORY, else the URL "
      "of upstream (if it exists, else origin) of the git repository at "
      "repo_path ('' skips it). A remote whose host is not github.com is an "
      "InvalidArgumentError unless api_url (the API URL the repository will "
      "be queried at) or $GITHUB_API_URL is set; the result's `host` names "
      "it. InvalidArgumentError says what was tried when none works.");
  m.def(
      "github_api_url_for_remote",
      [](const std::string& url) {
        return ValueOrThrow(ParseGitHubRemoteUrl(url)).ApiUrl();
      },
      py::arg("url"),
      "The REST base URL of a remote's host (api.github.com or HOST/api/v3).");

  // --- models ----------------------------------------------------------------
  py::class_<Milestone>(m, "Milestone",
                        "A milestone (number is the API id, not the title).")
      .def_readonly("number", &Milestone::number)
      .def_readonly("title", &Milestone::title)
      .def_property_readonly("state",
                             [](const Milestone& x) {
                               return std::string(IssueStateName(x.state));
                             })
      .def_readonly("description", &Milestone::description)
      .def_property_readonly(
          "due_on",
          [](const Milestone& x) { return OptionalDatetime(x.due_on); })
      .def_readonly("open_issues", &Milestone::open_issues)
      .def_readonly("closed_issues", &Milestone::closed_issues)
      .def_readonly("url", &Milestone::url)
      .def("__repr__", [](const Milestone& x) {
        return absl::StrCat("<Milestone ", x.ToString(), ">");
      });

  py::class_<Issue>(m, "Issue",
                    "An issue or pull request as the issues API lists it.")
      .def_property_readonly(
          "kind",
          [](const Issue& x) { return std::string(IssueKindName(x.kind)); })
      .def_property_readonly("is_pull_request", &Issue::is_pull_request)
      .def_readonly("number", &Issue::number)
      .def_readonly("title", &Issue::title)
      .def_property_readonly(
          "state",
          [](const Issue& x) { return std::string(IssueStateName(x.state)); })
      .def_readonly("labels", &Issue::labels)
      .def_readonly("merged", &Issue::merged)
      .def_property_readonly(
          "merged_at",
          [](const Issue& x) { return OptionalDatetime(x.merged_at); })
      .def_readonly("merge_commit_sha", &Issue::merge_commit_sha)
      .def_readonly("url", &Issue::url)
      .def_readonly("author", &Issue::author)
      .def_readonly("body", &Issue::body)
      .def_readonly("milestone", &Issue::milestone)
      .def_property_readonly(
          "closed_at",
          [](const Issue& x) { return OptionalDatetime(x.closed_at); })
      .def_property_readonly(
          "created_at",
          [](const Issue& x) { return OptionalDatetime(x.created_at); })
      .def(
          "has_label",
          [](const Issue& x, const std::string& name) {
            return x.HasLabel(name);
          },
          py::arg("name"))
      .def("__repr__",
           [](const Issue& x) { return absl::StrCat("<", x.ToString(), ">"); });

  py::class_<IssueComment>(m, "IssueComment",
                           "A comment on an issue or pull request.")
      .def_readonly("id", &IssueComment::id)
      .def_readonly("author", &IssueComment::author)
      .def_readonly("body", &IssueComment::body)
      .def_property_readonly(
          "created_at",
          [](const IssueComment& x) { return OptionalDatetime(x.created_at); })
      .def_property_readonly(
          "updated_at",
          [](const IssueComment& x) { return OptionalDatetime(x.updated_at); })
      .def_readonly("url", &IssueComment::url)
      .def("__repr__", [](const IssueComment& x) {
        return absl::StrCat("<IssueComment ", x.id, " by ", x.author, ">");
      });

  py::class_<PullRequest>(m, "PullRequest",
                          "A pull request from the pulls API.")
      .def_readonly("number", &PullRequest::number)
      .def_readonly("title", &PullRequest::title)
      .def_property_readonly("state",
                             [](const PullRequest& x) {
                               return std::string(IssueStateName(x.state));
                             })
      .def_readonly("merged", &PullRequest::merged)
      .def_property_readonly(
          "merged_at",
          [](const PullRequest& x) { return OptionalDatetime(x.merged_at); })
      .def_readonly("merge_commit_sha", &PullRequest::merge_commit_sha)
      .def_readonly("base_ref", &PullRequest::base_ref)
      .def_readonly("head_ref", &PullRequest::head_ref)
      .def_readonly("head_sha", &PullRequest::head_sha)
      .def_readonly("url", &PullRequest::url)
      .def("__repr__", [](const PullRequest& x) {
        return absl::StrCat("<PullRequest #", x.number, " ",
                            x.merged ? "merged" : IssueStateName(x.state), ">");
      });

  py::class_<CommitChecks>(m, "CommitChecks",
                           "The combined status and check runs of a commit.")
      .def_readonly("sha", &CommitChecks::sha)
      .def_readonly("combined_state", &CommitChecks::combined_state)
      .def_property_readonly("statuses",
                             [](const CommitChecks& c) {
                               py::list out;
                               for (const StatusContext& s : c.statuses) {
                                 py::dict d;
                                 d["context"] = s.context;
                                 d["state"] = s.state;
                                 d["description"] = s.description;
                                 d["target_url"] = s.target_url;
                                 out.append(d);
                               }
                               return out;
                             })
      .def_property_readonly("check_runs",
                             [](const CommitChecks& c) {
                               py::list out;
                               for (const CheckRun& r : c.check_runs) {
                                 py::dict d;
                                 d["id"] = r.id;
                                 d["name"] = r.name;
                                 d["status"] = r.status;
                                 d["conclusion"] = r.conclusion;
                                 d["url"] = r.url;
                                 out.append(d);
                               }
                               return out;
                             })
      .def_property_readonly("green", &CommitChecks::green)
      .def("not_green", &CommitChecks::NotGreen)
      .def("__repr__", [](const CommitChecks& c) {
        return absl::StrCat("<CommitChecks ", c.sha.substr(0, 12), " ",
                            c.green() ? "green" : "not green", ">");
      });

  // --- the client ------------------------------------------------------------
  py::class_<GitHubClient>(m, "GitHubClient", R"doc(
GitHub REST client: pagination, rate limits, retries, ETag cache.

The token comes from ``token`` or GITHUB_TOKEN / GH_TOKEN and is never shown
(``repr`` says only whether one is set). ``snapshot=DIR`` replays saved
responses with no network; ``record=DIR`` saves every live response.
)doc")
      .def(py::init(&MakeClient), py::arg("api_url") = py::none(),
           py::arg("token") = py::none(), py::kw_only(),
           py::arg("snapshot") = py::none(), py::arg("record") = py::none(),
           py::arg("cache_dir") = py::none(), py::arg("rate_limit") = "wait",
           py::arg("max_retries") = 4, py::arg("timeout") = 120.0,
           py::arg("connect_timeout") = 15.0,
           py::arg("max_response_bytes") = uint64_t{64} << 20)
      .def_property_readonly("api_url", &GitHubClient::api_url)
      .def_property_readonly("authenticated", &GitHubClient::authenticated)
      .def_property_readonly("source", &GitHubClient::source)
      .def_property_readonly(
          "stats",
          [](const GitHubClient& c) {
            py::dict d;
            d["requests"] = c.stats().requests;
            d["not_modified"] = c.stats().not_modified;
            d["retries"] = c.stats().retries;
            d["rate_limit_waits"] = c.stats().rate_limit_waits;
            d["waited_seconds"] = absl::ToDoubleSeconds(c.stats().waited);
            return d;
          })
      .def_property_readonly("rate_limit",
                             [](const GitHubClient& c) {
                               const RateLimitInfo& r = c.rate_limit();
                               py::dict d;
                               d["limit"] = r.limit;
                               d["remaining"] = r.remaining;
                               d["used"] = r.used;
                               d["reset"] = OptionalDatetime(r.reset);
                               d["resource"] = r.resource;
                               return d;
                             })
      .def(
          "get",
          [](GitHubClient& c, const std::string& path) {
            return CallWithoutGil([&] { return c.Get(path); }).body;
          },
          py::arg("path"), "GETs an API path or URL; returns the JSON text.")
      .def(
          "get_pages",
          [](GitHubClient& c, const std::string& path) {
            std::vector<std::string> bodies;
            for (GitHubResponse& r :
                 CallWithoutGil([&] { return c.GetPages(path); }))
              bodies.push_back(std::move(r.body));
            return bodies;
          },
          py::arg("path"),
          "GETs every page of a list (Link rel=next); returns each page's JSON "
          "text.")
      .def(
          "milestones",
          [](GitHubClient& c, py::handle repo) {
            GitHubRepo r = RepoArg(repo, "repo");
            return CallWithoutGil([&] { return ListMilestones(c, r); });
          },
          py::arg("repo"))
      .def(
          "find_milestone",
          [](GitHubClient& c, py::handle repo, const std::string& which) {
            GitHubRepo r = RepoArg(repo, "repo");
            return CallWithoutGil([&] { return FindMilestone(c, r, which); });
          },
          py::arg("repo"), py::arg("number_or_title"))
      .def(
          "milestone_items",
          [](GitHubClient& c, py::handle repo, int64_t number) {
            GitHubRepo r = RepoArg(repo, "repo");
            return CallWithoutGil(
                [&] { return ListMilestoneItems(c, r, number); });
          },
          py::arg("repo"), py::arg("milestone"))
      .def(
          "issues",
          [](GitHubClient& c, py::handle repo, const std::string& state,
             const std::string& labels, std::optional<std::string> milestone) {
            GitHubRepo r = RepoArg(repo, "repo");
            IssueQuery q;
            q.state = state;
            q.labels = labels;
            q.milestone = std::move(milestone);
            return CallWithoutGil([&] { return ListIssues(c, r, q); });
          },
          py::arg("repo"), py::kw_only(), py::arg("state") = "all",
          py::arg("labels") = "", py::arg("milestone") = py::none())
      .def(
          "issue_comments",
          [](GitHubClient& c, py::handle repo, int64_t number) {
            GitHubRepo r = RepoArg(repo, "repo");
            return CallWithoutGil(
                [&] { return ListIssueComments(c, r, number); });
          },
          py::arg("repo"), py::arg("number"))
      .def(
          "pull_request",
          [](GitHubClient& c, py::handle repo, int64_t number) {
            GitHubRepo r = RepoArg(repo, "repo");
            return CallWithoutGil([&] { return GetPullRequest(c, r, number); });
          },
          py::arg("repo"), py::arg("number"))
      .def(
          "commit_checks",
          [](GitHubClient& c, py::handle repo, const std::string& sha) {
            GitHubRepo r = RepoArg(repo, "repo");
            return CallWithoutGil([&] { return GetCommitChecks(c, r, sha); });
          },
          py::arg("repo"), py::arg("sha"))
      .def("__repr__", &GitHubClient::ToString);
}

}  // namespace relkit::python
