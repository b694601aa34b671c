// Text and JSON of a patch-release triage (`relkit patch triage`).

#include "relkit/patch_triage_report.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "relkit/cherry_pick.h"
#include "relkit/json_writer.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

std::string Term(absl::string_view text) { return TextEscape(text); }

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string DayOf(absl::Time t) {
  return absl::FormatCivilTime(absl::ToCivilDay(t, absl::UTCTimeZone()));
}

std::string Ref(const PatchTriage& t, const std::string& repo, int64_t n) {
  return repo == t.repo.ToString() || repo.empty()
             ? absl::StrCat("#", n)
             : absl::StrCat(Term(repo), "#", n);
}

std::string SourcesText(const PatchCandidate& c) {
  std::vector<std::string> out;
  for (CandidateSource s : c.sources) {
    std::string name(CandidateSourceName(s));
    for (char& ch : name) {
      if (ch == '_') ch = ' ';
    }
    out.push_back(name);
  }
  return absl::StrJoin(out, ", ");
}

std::string DeadlineLine(const PatchTriage& t) {
  if (!t.deadline.day) {
    return absl::StrCat("cherry-pick deadline: none (", Term(t.deadline.source),
                        ")\n");
  }
  std::string when;
  const int64_t left = t.days_left.value_or(0);
  if (left > 0) {
    when = absl::StrCat(left, left == 1 ? " day" : " days", " left");
  } else if (left == 0) {
    when = "today";
  } else {
    when =
        absl::StrCat("passed ", -left, -left == 1 ? " day" : " days", " ago");
  }
  return absl::StrCat(
      "cherry-pick deadline: ", absl::FormatCivilTime(*t.deadline.day),
      t.deadline.approximate ? " (approximate)" : "", ", ", when, " on ",
      absl::FormatCivilTime(t.today), "\n", "  from ", Term(t.deadline.source),
      "\n");
}

}  // namespace

std::string PatchTriageText(const PatchTriage& t) {
  std::string s =
      absl::StrCat("Patch triage of ", Term(t.repo.ToString()), " ",
                   t.version.ToString(), " (", t.release_branch, ")\n");
  if (t.milestone) {
    absl::StrAppend(&s, "milestone: ", Term(t.milestone->ToString()), "\n");
  } else {
    absl::StrAppend(&s, "milestone: none\n");
  }
  if (t.tracker) {
    absl::StrAppend(&s, "tracker: #", t.tracker->number, " ",
                    Term(t.tracker->title), "  ", Term(t.tracker->url), "\n");
  } else {
    absl::StrAppend(&s, "tracker: none\n");
  }
  absl::StrAppend(&s, DeadlineLine(t));
  absl::StrAppend(&s, "\n");
  for (const PatchCandidate& c : t.candidates) {
    const bool pr = c.kind == IssueKind::kPullRequest;
    std::string head = c.number > 0 ? absl::StrCat(pr ? "PR    " : "issue ",
                                                   Ref(t, c.repo, c.number))
                                    : std::string("commit");
    absl::StrAppend(&s, c.problem() ? "! " : "  ", head, "  ",
                    c.title.empty() ? Term(c.url) : Term(c.title));
    if (c.state) {
      absl::StrAppend(&s, "  (", IssueStateName(*c.state),
                      pr && *c.state == IssueState::kClosed
                          ? (c.merged ? ", merged" : ", not merged")
                          : "",
                      ")");
    }
    absl::StrAppend(&s, "\n");
    absl::StrAppend(&s, "      from: ", SourcesText(c));
    if (!c.labels.empty()) {
      absl::StrAppend(&s, "; labels: ", Term(absl::StrJoin(c.labels, ", ")));
    }
    absl::StrAppend(&s, "\n");
    absl::StrAppend(
        &s, "      classification: ",
        c.classification ? ClassificationName(*c.classification) : "unknown",
        c.classification
            ? absl::StrCat(" (from the ",
                           ClassificationOriginName(c.classification_origin),
                           ")")
            : "");
    if (c.linked_issue && c.kind == IssueKind::kIssue &&
        c.linked_issue->number == c.number) {
      // An issue links itself: say only whether it is high priority.
      if (c.linked_issue->high_priority) {
        absl::StrAppend(&s, *c.linked_issue->high_priority
                                ? "; high priority"
                                : "; not high priority");
      }
    } else if (c.linked_issue) {
      absl::StrAppend(&s, "; linked issue ",
                      Ref(t, c.linked_issue->repo, c.linked_issue->number),
                      !c.linked_issue->high_priority ? ""
                      : *c.linked_issue->high_priority
                          ? " (high priority)"
                          : " (not high priority)");
    }
    if (c.ci_failure_link) absl::StrAppend(&s, "; links a CI failure");
    absl::StrAppend(&s, "\n");
    if (!c.criteria.empty()) {
      absl::StrAppend(&s, "      criteria: ", Term(c.criteria), "\n");
    }
    if (c.nominated()) {
      absl::StrAppend(&s, "      nominated ",
                      c.nominated_at ? DayOf(*c.nominated_at) : "(no date)");
      if (!c.nominated_by.empty()) {
        absl::StrAppend(&s, " by @", Term(c.nominated_by));
      }
      if (c.nominations > 1) {
        absl::StrAppend(&s, " (", c.nominations, " comments)");
      }
      if (!c.release_prs.empty()) {
        std::vector<std::string> prs;
        for (int64_t n : c.release_prs) prs.push_back(absl::StrCat("#", n));
        absl::StrAppend(&s, "; release PR ", absl::StrJoin(prs, ", "));
      }
      if (!c.reply.empty()) absl::StrAppend(&s, "; reply: ", Term(c.reply));
      absl::StrAppend(&s, "\n");
      if (!c.nomination_url.empty()) {
        absl::StrAppend(&s, "      ", Term(c.nomination_url), "\n");
      }
    } else if (c.kind == IssueKind::kPullRequest) {
      absl::StrAppend(&s, "      not nominated on the tracker\n");
    }
    if (!c.nominated_fixes.empty()) {
      std::vector<std::string> prs;
      for (int64_t n : c.nominated_fixes) prs.push_back(absl::StrCat("#", n));
      absl::StrAppend(&s, "      nominated fixes: ", absl::StrJoin(prs, ", "),
                      "\n");
    }
    if (c.meets_criteria) {
      absl::StrAppend(&s, "      meets the patch-release criteria\n");
    } else {
      for (const std::string& r : c.reasons) {
        absl::StrAppend(&s, "      does not meet the criteria: ", Term(r),
                        "\n");
      }
    }
    if (c.late) {
      absl::StrAppend(&s, "      LATE: nominated ", DayOf(*c.nominated_at),
                      ", after the cherry-pick deadline ",
                      absl::FormatCivilTime(*t.deadline.day), "\n");
    }
  }
  if (t.candidates.empty()) absl::StrAppend(&s, "  (no candidates)\n");
  if (!t.notes.empty()) {
    absl::StrAppend(&s, "\n");
    for (const std::string& n : t.notes) {
      absl::StrAppend(&s, "note: ", Term(n), "\n");
    }
  }
  const size_t total = t.candidates.size();
  absl::StrAppend(
      &s, "\n", total,
      total == 1 ? " candidate: " : " candidates: ", t.MeetingCount(),
      " meet the criteria, ", total - t.MeetingCount(), " do not, ",
      t.LateCount(), " nominated late\n");
  return s;
}

void WritePatchTriageJson(JsonWriter& out, const PatchTriage& t) {
  out.StartObject();
  out.Field("version", t.version.ToString());
  out.Field("release_branch", t.release_branch);
  out.Field("repository", t.repo.ToString());
  out.Key("milestone");
  if (t.milestone) {
    out.StartObject();
    out.Field("number", t.milestone->number);
    out.Field("title", t.milestone->title);
    out.Field("state", std::string(IssueStateName(t.milestone->state)));
    out.Field("url", t.milestone->url);
    out.EndObject();
  } else {
    out.Null();
  }
  out.Key("tracker");
  if (t.tracker) {
    out.StartObject();
    out.Field("number", t.tracker->number);
    out.Field("title", t.tracker->title);
    out.Field("url", t.tracker->url);
    out.EndObject();
  } else {
    out.Null();
  }
  out.Key("deadline");
  out.StartObject();
  out.Field("day", t.deadline.day ? std::optional<std::string>(
                                        absl::FormatCivilTime(*t.deadline.day))
                                  : std::nullopt);
  out.Field("release_day",
            t.deadline.release_day
                ? std::optional<std::string>(
                      absl::FormatCivilTime(*t.deadline.release_day))
                : std::nullopt);
  out.Field("approximate", t.deadline.approximate);
  out.Field("source", t.deadline.source);
  out.EndObject();
  out.Field("today", absl::FormatCivilTime(t.today));
  out.Field("days_left", t.days_left);
  out.Key("candidates");
  out.StartArray();
  for (const PatchCandidate& c : t.candidates) {
    out.StartObject();
    out.Field("kind", IssueKindName(c.kind));
    out.Field("repo", c.repo);
    out.Field("number", c.number);
    out.Field("title", c.title);
    out.Field("url", c.url);
    out.Field("state", c.state ? std::optional<std::string>(
                                     std::string(IssueStateName(*c.state)))
                               : std::nullopt);
    out.Field("merged", c.merged);
    out.Key("labels");
    out.StartArray();
    for (const std::string& l : c.labels) out.String(l);
    out.EndArray();
    out.Key("sources");
    out.StartArray();
    for (CandidateSource src : c.sources) out.String(CandidateSourceName(src));
    out.EndArray();
    out.Field("classification",
              c.classification ? std::optional<std::string>(std::string(
                                     ClassificationName(*c.classification)))
                               : std::nullopt);
    out.Field("classification_origin",
              ClassificationOriginName(c.classification_origin));
    out.Field("criteria", c.criteria);
    out.Key("linked_issue");
    if (c.linked_issue) {
      out.StartObject();
      out.Field("repo", c.linked_issue->repo);
      out.Field("number", c.linked_issue->number);
      out.Field("url", c.linked_issue->url);
      out.Key("high_priority");
      if (c.linked_issue->high_priority) {
        out.Bool(*c.linked_issue->high_priority);
      } else {
        out.Null();
      }
      out.EndObject();
    } else {
      out.Null();
    }
    out.Field("ci_failure_link", c.ci_failure_link);
    out.Field("meets_criteria", c.meets_criteria);
    out.Key("reasons");
    out.StartArray();
    for (const std::string& r : c.reasons) out.String(r);
    out.EndArray();
    out.Field("nominated", c.nominated());
    out.Field("nominations", c.nominations);
    out.Field("nominated_at", c.nominated_at ? std::optional<std::string>(
                                                   TimeText(*c.nominated_at))
                                             : std::nullopt);
    out.Field("nomination_url", c.nomination_url);
    out.Field("nominated_by", c.nominated_by);
    out.Key("release_prs");
    out.StartArray();
    for (int64_t n : c.release_prs) out.Int64(n);
    out.EndArray();
    out.Field("reply", c.reply);
    out.Field("late", c.late);
    out.Key("nominated_fixes");
    out.StartArray();
    for (int64_t n : c.nominated_fixes) out.Int64(n);
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  out.Key("notes");
  out.StartArray();
  for (const std::string& n : t.notes) out.String(n);
  out.EndArray();
  out.Field("candidates_total", static_cast<uint64_t>(t.candidates.size()));
  out.Field("meeting_criteria", static_cast<uint64_t>(t.MeetingCount()));
  out.Field("late", static_cast<uint64_t>(t.LateCount()));
  out.Field("problems", static_cast<uint64_t>(t.ProblemCount()));
  out.EndObject();
}

std::string PatchTriageJson(const PatchTriage& triage) {
  JsonWriter out;
  WritePatchTriageJson(out, triage);
  return out.str();
}

}  // namespace relkit
