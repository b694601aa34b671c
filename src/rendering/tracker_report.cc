// Text and JSON of the tracker and milestone plans and their results.

#include "relkit/tracker_report.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "relkit/json_writer.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

std::string Term(absl::string_view text) { return TextEscape(text); }

std::string Plural(size_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

std::string Day(const std::optional<absl::CivilDay>& day) {
  return day ? absl::FormatCivilTime(*day) : std::string("none");
}

std::optional<std::string> DayOrNull(const std::optional<absl::CivilDay>& d) {
  if (!d) return std::nullopt;
  return absl::FormatCivilTime(*d);
}

std::optional<absl::CivilDay> DueDay(const Milestone& m) {
  if (!m.due_on) return std::nullopt;
  return absl::ToCivilDay(*m.due_on, absl::UTCTimeZone());
}

std::string Quoted(absl::string_view title) {
  return absl::StrCat("\"", Term(title), "\"");
}

void StringArray(JsonWriter& out, absl::string_view key,
                 const std::vector<std::string>& values) {
  out.Key(key);
  out.StartArray();
  for (const std::string& v : values) out.String(v);
  out.EndArray();
}

// --- tracker ----------------------------------------------------------------

void WriteTrackerPlan(JsonWriter& out, const TrackerCreatePlan& plan) {
  out.Field("repository", plan.repository);
  out.Field("version", plan.version.ToString());
  out.Field("patch", plan.patch);
  out.Key("dates");
  if (plan.patch) {
    out.Null();
  } else {
    out.StartObject();
    out.Field("m3", plan.dates.m3);
    out.Field("m4", plan.dates.m4);
    out.Field("m4_1", plan.dates.m4_1);
    out.Field("m5", plan.dates.m5);
    out.Field("m6", plan.dates.m6);
    out.Field("phase_cutoff", plan.dates.phase_cutoff);
    out.EndObject();
  }
  out.Key("issues");
  out.StartArray();
  for (const PlannedIssue& i : plan.issues) {
    out.StartObject();
    out.Field("role", i.role);
    out.Field("action", PlannedIssueActionName(i.action));
    out.Field("title", i.action == PlannedIssue::Action::kExists
                           ? i.existing_title
                           : i.draft.title);
    StringArray(out, "labels", i.draft.labels);
    out.Field("body", i.draft.body);
    out.Field("marker", i.draft.marker);
    if (i.action == PlannedIssue::Action::kExists) {
      out.Field("number", i.number);
      out.Field("url", i.url);
    } else {
      out.NullField("number");
      out.NullField("url");
    }
    out.EndObject();
  }
  out.EndArray();
  StringArray(out, "notes", plan.notes);
  out.Field("to_create", static_cast<uint64_t>(plan.create_count()));
}

// --- milestones -------------------------------------------------------------

void WriteMilestoneCreatePlan(JsonWriter& out,
                              const MilestoneCreatePlan& plan) {
  out.Field("repository", plan.repository);
  out.Field("version", plan.version.ToString());
  out.Key("milestones");
  out.StartArray();
  for (const PlannedMilestone& m : plan.milestones) {
    out.StartObject();
    out.Field("action", PlannedMilestoneActionName(m.action));
    out.Field("title", m.title);
    out.Field("due", DayOrNull(m.due));
    out.Field("due_source", m.due_source);
    if (m.existing) {
      out.Field("number", m.existing->number);
      out.Field("existing_title", m.existing->title);
      out.Field("url", m.existing->url);
      out.Field("existing_due", DayOrNull(DueDay(*m.existing)));
    } else {
      out.NullField("number");
      out.NullField("existing_title");
      out.NullField("url");
      out.NullField("existing_due");
    }
    out.EndObject();
  }
  out.EndArray();
  StringArray(out, "notes", plan.notes);
  out.Field("to_change", static_cast<uint64_t>(plan.change_count()));
}

void WriteMilestoneResult(JsonWriter& out, const MilestoneWriteResult& m) {
  out.StartObject();
  out.Field("title", m.title);
  out.Field("number", m.number);
  out.Field("url", m.url);
  out.Field("outcome", m.outcome);
  out.EndObject();
}

void WriteMovePlan(JsonWriter& out, const MilestoneMovePlan& plan) {
  out.Field("repository", plan.repository);
  out.Key("from");
  out.StartObject();
  out.Field("number", plan.from.number);
  out.Field("title", plan.from.title);
  out.Field("state", IssueStateName(plan.from.state));
  out.Field("url", plan.from.url);
  out.EndObject();
  out.Key("to");
  out.StartObject();
  if (plan.create_to) {
    out.NullField("number");
  } else {
    out.Field("number", plan.to.number);
  }
  out.Field("title", plan.to.title);
  out.Field("create", plan.create_to);
  out.Field("due", DayOrNull(plan.create_to ? plan.to_due : DueDay(plan.to)));
  out.EndObject();
  out.Key("move");
  out.StartArray();
  for (const Issue& i : plan.move) {
    out.StartObject();
    out.Field("number", i.number);
    out.Field("kind", IssueKindName(i.kind));
    out.Field("title", i.title);
    out.Field("url", i.url);
    out.EndObject();
  }
  out.EndArray();
  out.Field("staying_closed", static_cast<uint64_t>(plan.staying_closed));
  out.Field("close_from", plan.close_from);
  out.Field("already_applied", plan.done());
}

std::string ItemLine(int64_t number, bool pr, absl::string_view title) {
  return absl::StrCat(pr ? "PR    #" : "issue #", number, "  ", Quoted(title));
}

}  // namespace

std::string TrackerCreatePlanText(const TrackerCreatePlan& plan) {
  std::string out = absl::StrCat(
      "tracker create plan for ", Term(plan.version.ToString()), " in ",
      Term(plan.repository), " (dry run: nothing is created)\n");
  if (!plan.patch) {
    absl::StrAppend(&out, "  dates: M3 ", Term(plan.dates.m3), "; M4 ",
                    Term(plan.dates.m4), "; M4.1 ", Term(plan.dates.m4_1),
                    "; M5 ", Term(plan.dates.m5), "; M6 ", Term(plan.dates.m6),
                    "; phase cutoff ", Term(plan.dates.phase_cutoff), "\n");
  }
  for (const PlannedIssue& i : plan.issues) {
    if (i.action == PlannedIssue::Action::kExists) {
      absl::StrAppend(&out, "  ", i.role, ": exists: #", i.number, " ",
                      Term(i.url), " ", Quoted(i.existing_title), "\n");
      continue;
    }
    absl::StrAppend(
        &out, "  ", i.role, ": create ", Quoted(i.draft.title),
        "\n      labels: ", Term(absl::StrJoin(i.draft.labels, ", ")),
        "\n      body: ", i.draft.body.size(), " bytes (--json shows it)\n");
  }
  for (const std::string& n : plan.notes) {
    absl::StrAppend(&out, "  note: ", Term(n), "\n");
  }
  const size_t n = plan.create_count();
  absl::StrAppend(&out,
                  n == 0 ? std::string("nothing to create: already exists")
                         : absl::StrCat(Plural(n, "issue", "issues"),
                                        " to create; run with --execute"),
                  "\n");
  return out;
}

std::string TrackerCreatePlanJson(const TrackerCreatePlan& plan) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", true);
  WriteTrackerPlan(out, plan);
  out.EndObject();
  return out.str() + "\n";
}

std::string TrackerCreateResultText(const TrackerCreatePlan& plan,
                                    const TrackerCreateResult& result) {
  std::string out =
      absl::StrCat("tracker create for ", Term(plan.version.ToString()), " in ",
                   Term(plan.repository), "\n");
  for (const CreatedIssue& i : result.issues) {
    absl::StrAppend(&out, "  ", i.role, ": ",
                    i.created ? "created" : "already exists", " #", i.number,
                    " ", Term(i.url), " ", Quoted(i.title), "\n");
  }
  const size_t n = result.created_count();
  absl::StrAppend(&out,
                  n == 0
                      ? std::string("already applied: nothing created")
                      : absl::StrCat(Plural(n, "issue", "issues"), " created"),
                  "\n");
  return out;
}

std::string TrackerCreateResultJson(const TrackerCreatePlan& plan,
                                    const TrackerCreateResult& result) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", false);
  WriteTrackerPlan(out, plan);
  out.Key("applied");
  out.StartObject();
  out.Key("issues");
  out.StartArray();
  for (const CreatedIssue& i : result.issues) {
    out.StartObject();
    out.Field("role", i.role);
    out.Field("title", i.title);
    out.Field("number", i.number);
    out.Field("url", i.url);
    out.Field("created", i.created);
    out.EndObject();
  }
  out.EndArray();
  out.Field("created", static_cast<uint64_t>(result.created_count()));
  out.EndObject();
  out.EndObject();
  return out.str() + "\n";
}

std::string MilestoneCreatePlanText(const MilestoneCreatePlan& plan) {
  std::string out = absl::StrCat(
      "milestone create plan for ", Term(plan.version.ToString()), " in ",
      Term(plan.repository), " (dry run: nothing is changed)\n");
  for (const PlannedMilestone& m : plan.milestones) {
    const std::string due = absl::StrCat(
        "due ", Day(m.due),
        m.due_source.empty() ? "" : absl::StrCat(" (", m.due_source, ")"));
    switch (m.action) {
      case PlannedMilestone::Action::kCreate:
        absl::StrAppend(&out, "  create ", Quoted(m.title), ", ", due, "\n");
        break;
      case PlannedMilestone::Action::kExists:
        absl::StrAppend(&out, "  exists: #", m.existing->number, " ",
                        Quoted(m.existing->title), ", due ",
                        Day(DueDay(*m.existing)), "\n");
        break;
      case PlannedMilestone::Action::kDueDiffers:
        absl::StrAppend(&out, "  exists: #", m.existing->number, " ",
                        Quoted(m.existing->title), ", due ",
                        Day(DueDay(*m.existing)), ": the plan says ",
                        Day(m.due), " (left alone; --update-due changes it)\n");
        break;
      case PlannedMilestone::Action::kUpdateDue:
        absl::StrAppend(&out, "  update #", m.existing->number, " ",
                        Quoted(m.existing->title), ": due ",
                        Day(DueDay(*m.existing)), " -> ", Day(m.due), "\n");
        break;
    }
  }
  for (const std::string& n : plan.notes) {
    absl::StrAppend(&out, "  note: ", Term(n), "\n");
  }
  const size_t n = plan.change_count();
  absl::StrAppend(&out,
                  n == 0 ? std::string("nothing to do: already exists")
                         : absl::StrCat(Plural(n, "milestone", "milestones"),
                                        " to create or change; run with "
                                        "--execute"),
                  "\n");
  return out;
}

std::string MilestoneCreatePlanJson(const MilestoneCreatePlan& plan) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", true);
  WriteMilestoneCreatePlan(out, plan);
  out.EndObject();
  return out.str() + "\n";
}

std::string MilestoneCreateResultText(const MilestoneCreatePlan& plan,
                                      const MilestoneCreateResult& result) {
  std::string out =
      absl::StrCat("milestone create for ", Term(plan.version.ToString()),
                   " in ", Term(plan.repository), "\n");
  for (const MilestoneWriteResult& m : result.milestones) {
    absl::StrAppend(&out, "  ", m.outcome, ": #", m.number, " ",
                    Quoted(m.title), " ", Term(m.url), "\n");
  }
  const size_t n = result.changed_count();
  absl::StrAppend(&out,
                  n == 0 ? std::string("already applied: nothing changed")
                         : absl::StrCat(Plural(n, "milestone", "milestones"),
                                        " created or changed"),
                  "\n");
  return out;
}

std::string MilestoneCreateResultJson(const MilestoneCreatePlan& plan,
                                      const MilestoneCreateResult& result) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", false);
  WriteMilestoneCreatePlan(out, plan);
  out.Key("applied");
  out.StartObject();
  out.Key("milestones");
  out.StartArray();
  for (const MilestoneWriteResult& m : result.milestones) {
    WriteMilestoneResult(out, m);
  }
  out.EndArray();
  out.Field("changed", static_cast<uint64_t>(result.changed_count()));
  out.EndObject();
  out.EndObject();
  return out.str() + "\n";
}

std::string MilestoneMovePlanText(const MilestoneMovePlan& plan) {
  std::string out = absl::StrCat(
      "milestone move plan in ", Term(plan.repository),
      " (dry run: nothing is changed)\n", "  from: #", plan.from.number, " ",
      Quoted(plan.from.title), " (", IssueStateName(plan.from.state), ")\n");
  if (plan.create_to) {
    absl::StrAppend(&out, "  to:   create ", Quoted(plan.to.title), ", due ",
                    Day(plan.to_due), "\n");
  } else {
    absl::StrAppend(&out, "  to:   #", plan.to.number, " ",
                    Quoted(plan.to.title), " (exists)\n");
  }
  if (!plan.move.empty()) {
    absl::StrAppend(&out, "  move ",
                    Plural(plan.move.size(), "open item", "open items"), ":\n");
    for (const Issue& i : plan.move) {
      absl::StrAppend(&out, "    ",
                      ItemLine(i.number, i.is_pull_request(), i.title), "\n");
    }
  }
  absl::StrAppend(&out, "  ",
                  Plural(plan.staying_closed, "closed item", "closed items"),
                  " stay in ", Quoted(plan.from.title), "\n");
  if (plan.close_from) {
    absl::StrAppend(&out, "  close milestone #", plan.from.number, " ",
                    Quoted(plan.from.title), "\n");
  }
  absl::StrAppend(&out,
                  plan.done()
                      ? std::string("already applied: nothing left to move and "
                                    "the old milestone is closed")
                      : std::string("run with --execute to apply"),
                  "\n");
  return out;
}

std::string MilestoneMovePlanJson(const MilestoneMovePlan& plan) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", true);
  WriteMovePlan(out, plan);
  out.EndObject();
  return out.str() + "\n";
}

std::string MilestoneMoveResultText(const MilestoneMovePlan& plan,
                                    const MilestoneMoveResult& result) {
  std::string out =
      absl::StrCat("milestone move in ", Term(plan.repository), "\n");
  absl::StrAppend(&out, "  to: ", result.to.outcome, ": #", result.to.number,
                  " ", Quoted(result.to.title), "\n");
  for (const MovedItem& i : result.moved) {
    absl::StrAppend(&out, "  moved ",
                    ItemLine(i.number, i.pull_request, i.title), "\n");
  }
  if (result.closed_from) {
    absl::StrAppend(&out, "  closed milestone #", plan.from.number, " ",
                    Quoted(plan.from.title), "\n");
  }
  const bool nothing = result.moved.empty() && !result.closed_from &&
                       result.to.outcome != "created";
  absl::StrAppend(
      &out,
      nothing ? std::string("already applied: nothing to do")
              : absl::StrCat(Plural(result.moved.size(), "item", "items"),
                             " moved"),
      "\n");
  return out;
}

std::string MilestoneMoveResultJson(const MilestoneMovePlan& plan,
                                    const MilestoneMoveResult& result) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", false);
  WriteMovePlan(out, plan);
  out.Key("applied");
  out.StartObject();
  out.Key("to");
  WriteMilestoneResult(out, result.to);
  out.Key("moved");
  out.StartArray();
  for (const MovedItem& i : result.moved) {
    out.StartObject();
    out.Field("number", i.number);
    out.Field("kind", i.pull_request ? "pull_request" : "issue");
    out.Field("title", i.title);
    out.EndObject();
  }
  out.EndArray();
  out.Field("closed_from", result.closed_from);
  out.EndObject();
  out.EndObject();
  return out.str() + "\n";
}

}  // namespace relkit
