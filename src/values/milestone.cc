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

}  // namespace

absl::string_view IssueStateName(IssueState state) {
  return state == IssueState::kOpen ? "open" : "closed";
}

absl::string_view IssueKindName(IssueKind kind) {
  return kind == IssueKind::kPullRequest ? "pull_request" : "issue";
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

std::string CommitChecks::Incomplete() const {
  std::vector<std::string> out;
  auto check = [&](const std::optional<int64_t>& total, size_t listed,
                   absl::string_view what) {
    if (total && *total > static_cast<int64_t>(listed)) {
      out.push_back(absl::StrCat("GitHub reports ", *total, " ", what,
                                 " but lists ", listed));
    }
  };
  check(statuses_total, statuses.size(), "statuses");
  check(check_runs_total, check_runs.size(), "check runs");
  return absl::StrJoin(out, "; ");
}

bool CommitChecks::green() const {
  return (!statuses.empty() || !check_runs.empty()) && NotGreen().empty() &&
         Incomplete().empty();
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

}  // namespace relkit
