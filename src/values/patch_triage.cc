#include "relkit/patch_triage.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "relkit/commit_message.h"
#include "relkit/github_ref.h"

namespace relkit {

absl::string_view CandidateSourceName(CandidateSource source) {
  switch (source) {
    case CandidateSource::kTriageReview:
      return "triage_review";
    case CandidateSource::kRegression:
      return "regression";
    case CandidateSource::kMilestone:
      return "milestone";
    case CandidateSource::kNomination:
      return "nomination";
  }
  return "unknown";
}

absl::string_view ClassificationOriginName(ClassificationOrigin origin) {
  switch (origin) {
    case ClassificationOrigin::kNomination:
      return "nomination";
    case ClassificationOrigin::kLabels:
      return "labels";
    case ClassificationOrigin::kUnknown:
      return "unknown";
  }
  return "unknown";
}

size_t PatchTriage::ProblemCount() const {
  return static_cast<size_t>(
      std::count_if(candidates.begin(), candidates.end(),
                    [](const PatchCandidate& c) { return c.problem(); }));
}

size_t PatchTriage::LateCount() const {
  return static_cast<size_t>(
      std::count_if(candidates.begin(), candidates.end(),
                    [](const PatchCandidate& c) { return c.late; }));
}

size_t PatchTriage::MeetingCount() const {
  return static_cast<size_t>(
      std::count_if(candidates.begin(), candidates.end(),
                    [](const PatchCandidate& c) { return c.meets_criteria; }));
}

namespace {

bool HasLabel(const std::vector<std::string>& labels, absl::string_view name) {
  return std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
    return absl::EqualsIgnoreCase(l, name);
  });
}

absl::Status NotAPatchRelease(const Version& v) {
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", v.ToString(),
      "\" is not a patch release: expected X.Y.Z with Z > 0 (e.g. 2.4.1)"));
}

bool IsPatchRelease(const Version& v) {
  return v.release().size() == 3 && v.micro() > 0 && !v.is_prerelease() &&
         !v.is_postrelease() && !v.local().has_value();
}

std::string DayText(absl::CivilDay d) { return absl::FormatCivilTime(d); }

absl::CivilDay UtcDay(absl::Time t) {
  return absl::ToCivilDay(t, absl::UTCTimeZone());
}

// "owner/name#N" in lower case: the one key of a candidate or an issue.
std::string Key(absl::string_view repo, int64_t number) {
  return absl::StrCat(absl::AsciiStrToLower(repo), "#", number);
}

// The repository part of an issue's or PR's html_url
// ("https://github.com/o/n/pull/1" -> "https://github.com/o/n/"), or "".
std::string UrlBase(absl::string_view url) {
  for (absl::string_view kind : {"/issues/", "/pull/"}) {
    size_t at = url.rfind(kind);
    if (at != absl::string_view::npos) {
      return std::string(url.substr(0, at + 1));
    }
  }
  return "";
}

// Every GitHub reference in `text` (URLs and `#N`), in order.
std::vector<GitHubRefToken> RefsIn(absl::string_view text) {
  std::vector<GitHubRefToken> out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '#' && c != 'h' && c != 'H' && !absl::ascii_isalnum(c)) continue;
    // Only where a reference may start: after a non-word character.
    if (i > 0 &&
        (absl::ascii_isalnum(text[i - 1]) || text[i - 1] == '_' ||
         text[i - 1] == '/' || text[i - 1] == '.' || text[i - 1] == '-')) {
      continue;
    }
    std::optional<GitHubRefToken> t = ParseGitHubRef(text.substr(i));
    if (!t) continue;
    out.push_back(*t);
    i += t->size - 1;
  }
  return out;
}

// Whether `text` links a CI run: a GitHub Actions run or job, or a HUD page.
bool LinksCiFailure(absl::string_view text) {
  return absl::StrContains(text, "/actions/runs/") ||
         absl::StrContains(absl::AsciiStrToLower(text), "hud.pytorch.org/");
}

struct Builder {
  Builder(const PatchTriageInput& input, const PatchTriageOptions& opts)
      : in(input), options(opts), repo(input.repo.ToString()) {}

  const PatchTriageInput& in;
  const PatchTriageOptions& options;
  std::string repo;  // "owner/name"
  std::string base;  // "https://github.com/owner/name/"
  std::vector<PatchCandidate> candidates;
  std::map<std::string, size_t> index;
  // Labels of every issue read, by key.
  std::map<std::string, std::vector<std::string>> labels_of;
  std::set<std::string> high_priority;

  PatchCandidate& Find(absl::string_view item_repo, int64_t number,
                       IssueKind kind) {
    std::string key = Key(item_repo, number);
    auto it = index.find(key);
    if (it != index.end()) return candidates[it->second];
    index.emplace(key, candidates.size());
    PatchCandidate c;
    c.repo = std::string(item_repo);
    c.number = number;
    c.kind = kind;
    candidates.push_back(std::move(c));
    return candidates.back();
  }

  void AddSource(PatchCandidate& c, CandidateSource s) {
    if (std::find(c.sources.begin(), c.sources.end(), s) == c.sources.end()) {
      c.sources.push_back(s);
      std::sort(c.sources.begin(), c.sources.end());
    }
  }

  void Remember(const Issue& i) {
    labels_of[Key(repo, i.number)] = i.labels;
    if (HasLabel(i.labels, options.high_priority_label)) {
      high_priority.insert(Key(repo, i.number));
    }
  }

  void AddItem(const Issue& i, CandidateSource s) {
    if (HasLabel(i.labels, options.skip_label)) return;
    if (in.tracker && in.tracker->number == i.number) return;
    PatchCandidate& c = Find(repo, i.number, i.kind);
    c.kind = i.kind;
    c.title = i.title;
    c.url = i.url;
    c.state = i.state;
    c.merged = i.merged;
    c.labels = i.labels;
    AddSource(c, s);
  }

  LinkedIssue Link(absl::string_view link_repo, int64_t number,
                   std::string url) {
    LinkedIssue l;
    l.repo = link_repo.empty() ? repo : std::string(link_repo);
    l.number = number;
    l.url = url.empty() && absl::EqualsIgnoreCase(l.repo, repo) && !base.empty()
                ? absl::StrCat(base, "issues/", number)
                : std::move(url);
    if (absl::EqualsIgnoreCase(l.repo, repo)) {
      l.high_priority = high_priority.contains(Key(repo, number));
    }
    return l;
  }

  // The issue a nomination links: its `fixes`, else the first issue link
  // of its criteria or its PR fields.
  std::optional<LinkedIssue> NominationIssue(const CherryPickNomination& n) {
    std::vector<GitHubRefToken> refs;
    if (n.fixes) {
      for (GitHubRefToken& t : RefsIn(*n.fixes)) refs.push_back(std::move(t));
    }
    for (GitHubRefToken& t : RefsIn(n.criteria)) refs.push_back(std::move(t));
    for (const GitHubRefToken& t : refs) {
      if (t.kind == GitHubRefKind::kIssue || t.kind == GitHubRefKind::kNumber) {
        std::string r = t.owner.empty() ? "" : t.owner + "/" + t.repo;
        return Link(r, static_cast<int64_t>(t.number),
                    t.is_url() ? t.ToString() : "");
      }
    }
    for (const auto* links : {&n.trunk_prs, &n.release_prs}) {
      for (const TrackerLink& l : *links) {
        if (l.kind == TrackerLink::Kind::kIssue && l.number) {
          return Link(l.repo, *l.number,
                      absl::StartsWithIgnoreCase(l.text, "http") ? l.text : "");
        }
      }
    }
    return std::nullopt;
  }

  void AddNomination(const IssueComment& comment,
                     const CherryPickNomination& n) {
    const TrackerLink* target = nullptr;
    for (const auto* links : {&n.trunk_prs, &n.release_prs}) {
      for (const TrackerLink& l : *links) {
        if (target == nullptr && l.number &&
            l.kind != TrackerLink::Kind::kCommit) {
          target = &l;
        }
      }
    }
    PatchCandidate* c = nullptr;
    if (target != nullptr) {
      const std::string r = target->repo.empty() ? repo : target->repo;
      c = &Find(r, *target->number, IssueKind::kPullRequest);
      if (c->url.empty()) {
        c->url = absl::StartsWithIgnoreCase(target->text, "http") ? target->text
                 : absl::EqualsIgnoreCase(r, repo) && !base.empty()
                     ? absl::StrCat(base, "pull/", *target->number)
                     : target->text;
      }
    } else {
      // A commit only (a test-infra push): keyed by the link's text.
      const TrackerLink* commit = nullptr;
      for (const auto* links : {&n.trunk_prs, &n.release_prs}) {
        for (const TrackerLink& l : *links) {
          if (commit == nullptr && l.kind == TrackerLink::Kind::kCommit) {
            commit = &l;
          }
        }
      }
      if (commit == nullptr) {
        notes.push_back(
            absl::StrCat("tracker comment ", comment.url,
                         " nominates no pull request or commit: skipped"));
        return;
      }
      std::string key = absl::StrCat("commit:", commit->text);
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, candidates.size()).first;
        PatchCandidate pc;
        pc.repo = commit->repo.empty() ? repo : commit->repo;
        pc.url = commit->text;
        candidates.push_back(std::move(pc));
      }
      c = &candidates[it->second];
    }
    AddSource(*c, CandidateSource::kNomination);
    ++c->nominations;
    for (const TrackerLink& l : n.release_prs) {
      if (l.number && l.kind == TrackerLink::Kind::kPullRequest &&
          (c->number != *l.number) &&
          std::find(c->release_prs.begin(), c->release_prs.end(), *l.number) ==
              c->release_prs.end()) {
        c->release_prs.push_back(*l.number);
      }
    }
    if (!n.reply.empty()) c->reply = n.reply;
    const bool earliest =
        c->nominations == 1 || (comment.created_at && c->nominated_at &&
                                *comment.created_at < *c->nominated_at);
    if (earliest) {
      c->nominated_at = comment.created_at;
      c->nomination_url = comment.url;
      c->nominated_by = comment.author;
    }
    if (earliest || c->criteria.empty()) {
      if (!n.criteria.empty()) c->criteria = n.criteria;
      if (n.classification) {
        c->classification = n.classification;
        c->classification_origin = ClassificationOrigin::kNomination;
      }
      if (std::optional<LinkedIssue> l = NominationIssue(n)) {
        c->linked_issue = std::move(l);
      }
    }
    if (LinksCiFailure(comment.body)) c->ci_failure_link = true;
  }

  void Evaluate(PatchCandidate& c, const std::optional<PatchDeadline>& dl) {
    const bool same_repo = absl::EqualsIgnoreCase(c.repo, repo);
    if (!c.linked_issue && c.number > 0 && same_repo) {
      if (c.kind == IssueKind::kIssue) {
        c.linked_issue = Link(repo, c.number, c.url);
      } else if (!c.title.empty()) {
        // A pull request's own `Fixes #N`.
        std::string text = c.title;
        for (const auto* list :
             {&in.milestone_items, &in.triage_review, &in.regressions}) {
          for (const Issue& i : *list) {
            if (i.number == c.number) {
              text = absl::StrCat(i.title, "\n\n", i.body);
            }
          }
        }
        CommitMessage m = CommitMessage::Parse(text);
        for (const GitHubRef& f : m.fixes) {
          std::string r = f.owner.empty() ? "" : f.owner + "/" + f.repo;
          c.linked_issue = Link(r, static_cast<int64_t>(f.number), "");
          break;
        }
      }
    }
    if (!c.classification) {
      std::optional<Classification> from = ClassificationFromLabels(c.labels);
      if (!from && c.linked_issue &&
          absl::EqualsIgnoreCase(c.linked_issue->repo, repo)) {
        auto it = labels_of.find(Key(repo, c.linked_issue->number));
        if (it != labels_of.end()) from = ClassificationFromLabels(it->second);
      }
      if (from) {
        c.classification = from;
        c.classification_origin = ClassificationOrigin::kLabels;
      }
    }

    c.reasons.clear();
    if (c.kind == IssueKind::kPullRequest && c.state == IssueState::kClosed &&
        !c.merged) {
      c.reasons.push_back("closed without being merged");
    }
    if (!c.classification) {
      c.reasons.push_back(
          "no classification: no nomination names a Criteria Category and no "
          "label names one");
    } else {
      const ClassificationInfo& info = GetClassificationInfo(*c.classification);
      if (!info.acceptable_in_patch_release) {
        c.reasons.push_back(absl::StrCat(
            info.name, " changes are not accepted in a patch release"));
      } else if (info.requires_issue && !c.ci_failure_link) {
        if (!c.linked_issue) {
          c.reasons.push_back(absl::StrCat(
              "a ", info.name,
              " fix needs a link to a high-priority issue or to a CI failure "
              "of the previous RC; it has neither"));
        } else if (!c.linked_issue->high_priority) {
          c.reasons.push_back(absl::StrCat(
              "cannot tell whether the linked issue ", c.linked_issue->repo,
              "#", c.linked_issue->number, " is labelled \"",
              options.high_priority_label, "\" (another repository)"));
        } else if (!*c.linked_issue->high_priority) {
          c.reasons.push_back(absl::StrCat(
              c.kind == IssueKind::kIssue && c.linked_issue->number == c.number
                  ? "the issue"
                  : absl::StrCat("the linked issue #", c.linked_issue->number),
              " is not labelled \"", options.high_priority_label, "\""));
        }
      }
    }
    c.meets_criteria = c.reasons.empty();
    c.late =
        dl && dl->day && c.nominated_at && UtcDay(*c.nominated_at) > *dl->day;
  }

  std::vector<std::string> notes;
};

}  // namespace

std::optional<Classification> ClassificationFromLabels(
    const std::vector<std::string>& labels) {
  if (HasLabel(labels, "module: regression"))
    return Classification::kRegression;
  for (absl::string_view l :
       {"topic: correctness (silent)", "topic: bc-breaking", "topic: crash",
        "topic: deadlock", "topic: memory usage"}) {
    if (HasLabel(labels, l)) return Classification::kCritical;
  }
  if (HasLabel(labels, "module: docs")) return Classification::kDocs;
  return std::nullopt;
}

absl::StatusOr<PatchDeadline> PatchCherryPickDeadline(
    const ReleaseSchedule& schedule, const Version& version,
    const PatchTriageOptions& options) {
  if (!IsPatchRelease(version)) return NotAPatchRelease(version);
  PatchDeadline d;
  const std::string minor = absl::StrCat(version.major(), ".", version.minor());
  const ScheduleRow* row = schedule.Find(minor);
  std::optional<ScheduleDate> date;
  if (row != nullptr && version.micro() == 1) date = row->first_patch;
  if (row != nullptr && version.micro() == 2) date = row->second_patch;
  std::string why;
  if (row == nullptr) {
    why = absl::StrCat(minor, " is not in the schedule");
  } else if (!date) {
    why = absl::StrCat("the schedule plans no ", version.ToString(),
                       " (at most two patch releases per minor)");
  } else if (!date->planned()) {
    why = absl::StrCat("the schedule says ", version.ToString(),
                       " is not planned");
  } else {
    d.release_day = date->start();
  }
  if (options.deadline) {
    d.day = options.deadline;
    d.source = "--deadline";
    return d;
  }
  if (!d.release_day) {
    d.source = absl::StrCat("no deadline: ", why, " (pass --deadline)");
    return d;
  }
  d.day = *d.release_day - options.days_before_release;
  d.approximate = !date->has_day() || date->tentative();
  d.source =
      absl::StrCat("schedule: ", version.ToString(), " patch release ",
                   date->ToString(), " less ", options.days_before_release,
                   " days (build, promotion and testing)");
  if (!date->has_day()) {
    absl::StrAppend(&d.source, "; the month only: counted from ",
                    DayText(*d.release_day));
  }
  if (date->tentative()) absl::StrAppend(&d.source, "; tentative");
  return d;
}

absl::StatusOr<PatchTriage> TriagePatchRelease(
    const PatchTriageInput& input, const ReleaseSchedule& schedule,
    const PatchTriageOptions& options) {
  if (!IsPatchRelease(input.version)) return NotAPatchRelease(input.version);
  PatchTriage t;
  t.version = input.version;
  t.release_branch = absl::StrCat("release/", input.version.major(), ".",
                                  input.version.minor());
  t.repo = input.repo;
  t.milestone = input.milestone;
  t.tracker = input.tracker;
  t.today = options.today;
  t.notes = input.notes;
  absl::StatusOr<PatchDeadline> dl =
      PatchCherryPickDeadline(schedule, input.version, options);
  if (!dl.ok()) return dl.status();
  t.deadline = *dl;
  if (t.deadline.day) t.days_left = *t.deadline.day - options.today;

  Builder b(input, options);
  if (input.tracker) b.base = UrlBase(input.tracker->url);
  for (const auto* list : {&input.high_priority, &input.milestone_items,
                           &input.triage_review, &input.regressions}) {
    for (const Issue& i : *list) b.Remember(i);
  }
  for (const Issue& i : input.high_priority) {
    b.high_priority.insert(Key(b.repo, i.number));
  }
  for (const Issue& i : input.triage_review) {
    if (b.base.empty()) b.base = UrlBase(i.url);
    b.AddItem(i, CandidateSource::kTriageReview);
  }
  for (const Issue& i : input.regressions) {
    if (b.base.empty()) b.base = UrlBase(i.url);
    if (i.state == IssueState::kOpen) {
      b.AddItem(i, CandidateSource::kRegression);
    }
  }
  for (const Issue& i : input.milestone_items) {
    if (b.base.empty()) b.base = UrlBase(i.url);
    b.AddItem(i, CandidateSource::kMilestone);
  }
  for (const IssueComment& c : input.tracker_comments) {
    if (std::optional<CherryPickNomination> n = ParseTrackerComment(c.body)) {
      b.AddNomination(c, *n);
    }
  }
  for (PatchCandidate& c : b.candidates) b.Evaluate(c, t.deadline);
  // Issues learn which nominated pull requests link them.
  for (const PatchCandidate& c : b.candidates) {
    if (!c.nominated() || !c.linked_issue || c.kind != IssueKind::kPullRequest)
      continue;
    auto it = b.index.find(Key(c.linked_issue->repo, c.linked_issue->number));
    if (it == b.index.end()) continue;
    PatchCandidate& issue = b.candidates[it->second];
    if (issue.kind == IssueKind::kIssue) {
      issue.nominated_fixes.push_back(c.number);
    }
  }
  t.candidates = std::move(b.candidates);
  std::stable_sort(t.candidates.begin(), t.candidates.end(),
                   [](const PatchCandidate& a, const PatchCandidate& c) {
                     if ((a.number == 0) != (c.number == 0)) {
                       return c.number == 0;
                     }
                     return a.number < c.number;
                   });
  for (std::string& n : b.notes) t.notes.push_back(std::move(n));
  if (!input.milestone) {
    t.notes.push_back(absl::StrCat("no milestone titled ",
                                   input.version.ToString(), " in ", b.repo));
  }
  if (!input.tracker) {
    t.notes.push_back(absl::StrCat("no release tracker for ",
                                   input.version.ToString(), " in ", b.repo,
                                   ": no nominations read"));
  }
  return t;
}

}  // namespace relkit
