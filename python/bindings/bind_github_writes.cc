// Python bindings of the GitHub writes (relkit/github_writes.h):
// `relkit.create_issue(client, repo, ...)` and its siblings, over the same
// GitHubClient and repository arguments as the reads in bind_github.cc. A
// create looks for its object first and returns a `Written` whose `created`
// is False when it was there already (nothing was sent). Network calls
// release the GIL; no repr or error contains the token.

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
#include "relkit/github_repo.h"
#include "relkit/github_writes.h"
#include "relkit/milestone.h"

namespace relkit::python {
namespace {

// What a create returns to Python: the object and whether this call made it.
struct PyWritten {
  py::object value;
  bool created = false;
};

template <typename T>
PyWritten ToPy(Written<T> w) {
  return PyWritten{py::cast(std::move(w.value)), w.created};
}

IssueState StateArg(const std::string& state, const char* parameter) {
  if (state == "open") return IssueState::kOpen;
  if (state == "closed") return IssueState::kClosed;
  ThrowIfError(absl::InvalidArgumentError(absl::StrCat(
      parameter, " must be \"open\" or \"closed\", got \"", state, "\"")));
  return IssueState::kOpen;
}

// A datetime.datetime (naive = UTC) or a datetime.date (00:00 UTC).
absl::Time TimeArg(py::handle t) {
  py::module_ datetime = py::module_::import("datetime");
  if (py::isinstance(t, datetime.attr("datetime"))) {
    if (!t.attr("tzinfo").is_none()) {
      return absl::FromUnixSeconds(
          static_cast<int64_t>(t.attr("timestamp")().cast<double>()));
    }
    return absl::FromCivil(
        absl::CivilSecond(
            t.attr("year").cast<int>(), t.attr("month").cast<int>(),
            t.attr("day").cast<int>(), t.attr("hour").cast<int>(),
            t.attr("minute").cast<int>(), t.attr("second").cast<int>()),
        absl::UTCTimeZone());
  }
  return absl::FromCivil(FromDate(t), absl::UTCTimeZone());
}

}  // namespace

void BindGitHubWrites(py::module_& m) {
  py::class_<PyWritten>(m, "Written", R"doc(
The result of a create: ``value`` (the Issue, Milestone, IssueComment or ref
commit) and ``created`` (False: it existed already, found by the lookup that
runs before every create and retry; nothing was sent).
)doc")
      .def_readonly("value", &PyWritten::value)
      .def_readonly("created", &PyWritten::created)
      .def("__repr__", [](const PyWritten& w) {
        return absl::StrCat("<Written ", w.created ? "created" : "existing",
                            " ", py::str(py::repr(w.value)).cast<std::string>(),
                            ">");
      });

  m.def(
      "get_issue",
      [](GitHubClient& c, py::handle repo, int64_t number) {
        GitHubRepo r = RepoArg(repo, "repo");
        return CallWithoutGil([&] { return GetIssue(c, r, number); });
      },
      py::arg("client"), py::arg("repo"), py::arg("number"),
      "Issue (or pull request) `number`.");

  m.def(
      "create_issue",
      [](GitHubClient& c, py::handle repo, const std::string& title,
         const std::string& body, std::vector<std::string> labels,
         std::vector<std::string> assignees, std::optional<int64_t> milestone,
         const std::string& marker) {
        GitHubRepo r = RepoArg(repo, "repo");
        NewIssue issue;
        issue.title = title;
        issue.body = body;
        issue.labels = std::move(labels);
        issue.assignees = std::move(assignees);
        issue.milestone = milestone;
        issue.marker = marker;
        return ToPy(CallWithoutGil([&] { return CreateIssue(c, r, issue); }));
      },
      py::arg("client"), py::arg("repo"), py::arg("title"),
      py::arg("body") = "", py::kw_only(),
      py::arg("labels") = std::vector<std::string>(),
      py::arg("assignees") = std::vector<std::string>(),
      py::arg("milestone") = py::none(), py::arg("marker") = "",
      "Creates an issue unless one (open or closed, not a pull request) has "
      "exactly this title or carries `marker`; the lookup lists the issues "
      "with the first label. Returns a Written[Issue].");

  m.def(
      "edit_issue",
      [](GitHubClient& c, py::handle repo, int64_t number,
         std::optional<std::string> title, std::optional<std::string> body,
         std::optional<std::string> state, std::optional<int64_t> milestone,
         bool remove_milestone,
         std::optional<std::vector<std::string>> labels) {
        GitHubRepo r = RepoArg(repo, "repo");
        IssueEdit edit;
        edit.title = std::move(title);
        edit.body = std::move(body);
        if (state) edit.state = StateArg(*state, "state");
        if (remove_milestone) {
          if (milestone) {
            ThrowIfError(absl::InvalidArgumentError(
                "milestone and remove_milestone=True exclude each other"));
          }
          edit.milestone = std::optional<int64_t>();
        } else if (milestone) {
          edit.milestone = milestone;
        }
        edit.labels = std::move(labels);
        return CallWithoutGil([&] { return EditIssue(c, r, number, edit); });
      },
      py::arg("client"), py::arg("repo"), py::arg("number"), py::kw_only(),
      py::arg("title") = py::none(), py::arg("body") = py::none(),
      py::arg("state") = py::none(), py::arg("milestone") = py::none(),
      py::arg("remove_milestone") = false, py::arg("labels") = py::none(),
      "Edits issue or pull request `number` (PATCH, retried like a read); "
      "arguments left None are left alone. Returns the Issue.");

  m.def(
      "add_labels",
      [](GitHubClient& c, py::handle repo, int64_t number,
         std::vector<std::string> labels) {
        GitHubRepo r = RepoArg(repo, "repo");
        return CallWithoutGil([&] { return AddLabels(c, r, number, labels); });
      },
      py::arg("client"), py::arg("repo"), py::arg("number"), py::arg("labels"),
      "Adds labels to issue or pull request `number`; returns its labels.");

  m.def(
      "create_comment",
      [](GitHubClient& c, py::handle repo, int64_t number,
         const std::string& body, const std::string& marker) {
        GitHubRepo r = RepoArg(repo, "repo");
        return ToPy(CallWithoutGil(
            [&] { return CreateComment(c, r, number, body, marker); }));
      },
      py::arg("client"), py::arg("repo"), py::arg("number"), py::arg("body"),
      py::arg("marker"),
      "Comments on issue or pull request `number` (the body ends with the "
      "hidden marker of `marker`) unless a comment there carries it. Returns "
      "a Written[IssueComment].");

  m.def(
      "create_milestone",
      [](GitHubClient& c, py::handle repo, const std::string& title,
         const std::string& description, py::object due_on,
         const std::string& state) {
        GitHubRepo r = RepoArg(repo, "repo");
        NewMilestone ms;
        ms.title = title;
        ms.description = description;
        if (!due_on.is_none()) ms.due_on = TimeArg(due_on);
        ms.state = StateArg(state, "state");
        return ToPy(CallWithoutGil([&] { return CreateMilestone(c, r, ms); }));
      },
      py::arg("client"), py::arg("repo"), py::arg("title"), py::kw_only(),
      py::arg("description") = "", py::arg("due_on") = py::none(),
      py::arg("state") = "open",
      "Creates a milestone unless one (open or closed) has exactly this "
      "title. due_on: a datetime (naive = UTC) or a date. Returns a "
      "Written[Milestone].");

  m.def(
      "edit_milestone",
      [](GitHubClient& c, py::handle repo, int64_t number,
         std::optional<std::string> title,
         std::optional<std::string> description, py::object due_on,
         std::optional<std::string> state) {
        GitHubRepo r = RepoArg(repo, "repo");
        MilestoneEdit edit;
        edit.title = std::move(title);
        edit.description = std::move(description);
        if (!due_on.is_none()) edit.due_on = TimeArg(due_on);
        if (state) edit.state = StateArg(*state, "state");
        return CallWithoutGil(
            [&] { return EditMilestone(c, r, number, edit); });
      },
      py::arg("client"), py::arg("repo"), py::arg("number"), py::kw_only(),
      py::arg("title") = py::none(), py::arg("description") = py::none(),
      py::arg("due_on") = py::none(), py::arg("state") = py::none(),
      "Edits milestone `number` (PATCH); arguments left None are left alone. "
      "Returns the Milestone.");

  m.def(
      "create_pull_request",
      [](GitHubClient& c, py::handle repo, const std::string& title,
         const std::string& head, const std::string& base,
         const std::string& body, bool draft, bool maintainer_can_modify) {
        GitHubRepo r = RepoArg(repo, "repo");
        NewPullRequest pr;
        pr.title = title;
        pr.head = head;
        pr.base = base;
        pr.body = body;
        pr.draft = draft;
        pr.maintainer_can_modify = maintainer_can_modify;
        return ToPy(
            CallWithoutGil([&] { return CreatePullRequest(c, r, pr); }));
      },
      py::arg("client"), py::arg("repo"), py::arg("title"), py::arg("head"),
      py::arg("base"), py::arg("body") = "", py::kw_only(),
      py::arg("draft") = false, py::arg("maintainer_can_modify") = true,
      "Opens a pull request from branch `head` into `base` unless one (any "
      "state) exists for them. Returns a Written[Issue] (a pull request).");

  m.def(
      "create_ref",
      [](GitHubClient& c, py::handle repo, const std::string& ref,
         const std::string& sha) {
        GitHubRepo r = RepoArg(repo, "repo");
        return ToPy(CallWithoutGil([&] { return CreateRef(c, r, ref, sha); }));
      },
      py::arg("client"), py::arg("repo"), py::arg("ref"), py::arg("sha"),
      "Creates git ref `ref` ('refs/heads/x') at commit `sha` unless it is "
      "there already (created False); AlreadyExistsError when it points "
      "elsewhere. Returns a Written[str] (the commit).");
}

}  // namespace relkit::python
