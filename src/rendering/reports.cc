#include "relkit/reports.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "relkit/html.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

// Each document ends with a newline, as the CLI prints it.
std::string Document(const JsonWriter& w) { return w.str() + "\n"; }

void WriteStrings(JsonWriter& out, absl::string_view key,
                  const std::vector<std::string>& values) {
  out.Key(key);
  out.StartArray();
  for (const std::string& s : values) out.String(s);
  out.EndArray();
}

void WriteShas(JsonWriter& out, absl::string_view key,
               const std::vector<ObjectId>& ids) {
  out.Key(key);
  out.StartArray();
  for (const ObjectId& id : ids) out.String(id.ToString());
  out.EndArray();
}

void WritePrs(JsonWriter& out, absl::string_view key,
              const std::vector<uint64_t>& prs) {
  out.Key(key);
  out.StartArray();
  for (uint64_t pr : prs) out.Uint64(pr);
  out.EndArray();
}

void WriteEvidence(JsonWriter& out, const std::vector<Evidence>& evidence) {
  out.Key("evidence");
  out.StartArray();
  for (Evidence e : evidence) out.String(EvidenceName(e));
  out.EndArray();
}

// `"key": [{"sha": ..., "evidence": [...]}, ...]`.
void WriteCounterparts(JsonWriter& out, absl::string_view key,
                       const std::vector<Counterpart>& list) {
  out.Key(key);
  out.StartArray();
  for (const Counterpart& c : list) {
    out.StartObject();
    out.Field("sha", c.sha.ToString());
    WriteEvidence(out, c.evidence);
    out.EndObject();
  }
  out.EndArray();
}

// `"key": [{"sha": commit, "reverted_by": revert}, ...]`.
void WriteRevertedPairs(
    JsonWriter& out, absl::string_view key,
    const std::vector<std::pair<ObjectId, ObjectId>>& pairs) {
  out.Key(key);
  out.StartArray();
  for (const auto& [commit, by] : pairs) {
    out.StartObject();
    out.Field("sha", commit.ToString());
    out.Field("reverted_by", by.ToString());
    out.EndObject();
  }
  out.EndArray();
}

void WriteWarnings(JsonWriter& out, const BranchAudit& audit) {
  out.Key("warnings");
  out.StartArray();
  for (const AuditWarning& w : audit.warnings) {
    out.StartObject();
    out.Field("sha", w.sha.ToString());
    out.Field("message", w.message);
    out.EndObject();
  }
  out.EndArray();
}

}  // namespace

// -----------------------------------------------------------------------------
// Branch audit

std::string BranchAuditText(const BranchAudit& a) {
  size_t release_only = 0;
  for (const BranchCommit& c : a.commits) release_only += c.release_only;
  std::string out = absl::StrCat(
      TextEscape(a.branch), ": cut point ", a.cut_point.ShortString(), " (",
      CutPointSourceName(a.cut_point_source), "); ", a.commits.size(),
      " commits since the cut, ", release_only, " release-only; ",
      a.main_commits.size(), " on ", TextEscape(a.main), "\n");
  for (const BranchCommit& c : a.commits) {
    absl::StrAppend(&out, "  ", c.sha.ShortString(), " ", TextEscape(c.title),
                    "\n");
    if (c.release_only) {
      absl::StrAppend(&out, "      release-only", c.is_merge ? " (merge)" : "",
                      "\n");
    }
    for (const Counterpart& cp : c.counterparts) {
      absl::StrAppend(&out, "      = ", cp.sha.ShortString(), " on ",
                      TextEscape(a.main), " [", EvidenceNames(cp.evidence),
                      "]\n");
    }
    if (c.reverted_by) {
      absl::StrAppend(&out, "      reverted on the branch by ",
                      c.reverted_by->ShortString(), "\n");
    }
    for (const auto& [main, by] : c.counterparts_reverted) {
      absl::StrAppend(&out, "      change of ", main.ShortString(),
                      " reverted on the branch by ", by.ShortString(), "\n");
    }
  }
  absl::StrAppend(&out, "Reverts needed: ", a.reverts_needed.size(), "\n");
  for (const RevertNeeded& r : a.reverts_needed) {
    absl::StrAppend(&out, "  ", r.revert_sha.ShortString(), " ",
                    TextEscape(r.revert_title), "\n      reverts ",
                    r.reverted_sha.ShortString(), ", present in ",
                    TextEscape(a.branch), " as ", r.present_as.ShortString(),
                    " [", EvidenceNames(r.evidence), "]\n");
  }
  if (!a.warnings.empty()) {
    absl::StrAppend(&out, "Warnings: ", a.warnings.size(), "\n");
    for (const AuditWarning& w : a.warnings) {
      absl::StrAppend(&out, "  ", w.sha.ShortString(), " ",
                      TextEscape(w.message), "\n");
    }
  }
  return out;
}

void WriteBranchAuditJson(JsonWriter& out, const BranchAudit& a) {
  out.StartObject();
  out.Field("branch", a.branch);
  out.Field("main", a.main);
  out.Field("branch_head", a.branch_head.ToString());
  out.Field("main_head", a.main_head.ToString());
  out.Field("cut_point", a.cut_point.ToString());
  out.Field("cut_point_source", CutPointSourceName(a.cut_point_source));
  out.Field("main_commit_count", static_cast<uint64_t>(a.main_commits.size()));
  out.Key("commits");
  out.StartArray();
  for (const BranchCommit& c : a.commits) {
    out.StartObject();
    out.Field("sha", c.sha.ToString());
    out.Field("title", c.title);
    out.Field("release_only", c.release_only);
    out.Field("is_merge", c.is_merge);
    WriteCounterparts(out, "counterparts", c.counterparts);
    out.Field("reverted_by", c.reverted_by ? std::optional<std::string>(
                                                 c.reverted_by->ToString())
                                           : std::nullopt);
    WriteRevertedPairs(out, "counterparts_reverted", c.counterparts_reverted);
    out.EndObject();
  }
  out.EndArray();
  out.Key("reverts_needed");
  out.StartArray();
  for (const RevertNeeded& r : a.reverts_needed) {
    out.StartObject();
    out.Field("revert_sha", r.revert_sha.ToString());
    out.Field("revert_title", r.revert_title);
    out.Field("reverted_sha", r.reverted_sha.ToString());
    out.Field("present_as", r.present_as.ToString());
    WriteEvidence(out, r.evidence);
    out.EndObject();
  }
  out.EndArray();
  WriteRevertedPairs(out, "reverted_before_cut", a.reverted_before_cut);
  WriteWarnings(out, a);
  out.EndObject();
}

std::string BranchAuditJson(const BranchAudit& audit) {
  JsonWriter w;
  WriteBranchAuditJson(w, audit);
  return Document(w);
}

// -----------------------------------------------------------------------------
// Presence

std::string PresenceText(const BranchAudit& audit,
                         absl::Span<const Presence> results) {
  std::string out;
  for (const Presence& p : results) {
    absl::StrAppend(&out, TextEscape(p.query), " ", PresenceStateName(p.state));
    for (const Counterpart& c : p.in_branch) {
      absl::StrAppend(&out, " ", c.sha.ShortString(), " [",
                      EvidenceNames(c.evidence), "]");
    }
    if (p.state == PresenceState::kMissing && !p.main_commits.empty()) {
      std::vector<std::string> shas;
      for (const ObjectId& m : p.main_commits) shas.push_back(m.ShortString());
      absl::StrAppend(&out, " (on ", TextEscape(audit.main), " as ",
                      absl::StrJoin(shas, ", "), ")");
    }
    for (const Counterpart& c : p.reverted_in_branch) {
      if (c.sha.ToString() == p.query) {
        absl::StrAppend(&out, " (reverted on the branch)");
      } else {
        absl::StrAppend(&out, " (picked as ", c.sha.ShortString(),
                        ", reverted on the branch)");
      }
    }
    out += "\n";
  }
  return out;
}

void WritePresenceJson(JsonWriter& out, absl::Span<const Presence> results) {
  out.StartArray();
  for (const Presence& p : results) {
    out.StartObject();
    out.Field("query", p.query);
    out.Field("state", PresenceStateName(p.state));
    WriteShas(out, "main_commits", p.main_commits);
    WriteCounterparts(out, "in_branch", p.in_branch);
    WriteCounterparts(out, "reverted_in_branch", p.reverted_in_branch);
    out.EndObject();
  }
  out.EndArray();
}

std::string PresenceJson(const BranchAudit& audit,
                         absl::Span<const Presence> results) {
  JsonWriter w;
  w.StartObject();
  w.Field("branch", audit.branch);
  w.Field("cut_point", audit.cut_point.ToString());
  w.Key("results");
  WritePresenceJson(w, results);
  WriteWarnings(w, audit);
  w.EndObject();
  return Document(w);
}

// -----------------------------------------------------------------------------
// Milestone validation

void WriteValidatedItemJson(JsonWriter& out, const ValidatedItem& i) {
  out.StartObject();
  out.Field("kind", IssueKindName(i.item.kind));
  out.Field("number", i.item.number);
  out.Field("title", i.item.title);
  out.Field("state", IssueStateName(i.item.state));
  out.Field("url", i.item.url);
  out.Field("status", ItemStatusName(i.status));
  out.Field("detail", i.detail);
  WritePrs(out, "prs", i.prs);
  WriteShas(out, "main_commits", i.main_commits);
  WriteShas(out, "missing_commits", i.missing_commits);
  WriteCounterparts(out, "in_branch", i.in_branch);
  out.EndObject();
}

std::string MilestoneValidationText(const MilestoneValidation& v,
                                    absl::string_view repository) {
  std::string out = absl::StrCat(
      TextEscape(repository), " milestone ", TextEscape(v.milestone.title),
      " against ", TextEscape(v.branch), " (", v.main_commits_since_cut,
      " main commits since the cut, ", v.branch_commits, " branch commits)\n");
  for (const ValidatedItem& i : v.items) {
    std::vector<std::string> where;
    for (const Counterpart& c : i.in_branch) where.push_back(c.ToString());
    absl::StrAppend(&out, "  ", i.item.is_pull_request() ? "PR   " : "issue",
                    " #", i.item.number, "  ", ItemStatusName(i.status), "  ",
                    TextEscape(i.item.title), "  ", TextEscape(i.detail));
    if (!where.empty()) {
      absl::StrAppend(&out, "  [", TextEscape(absl::StrJoin(where, "; ")), "]");
    }
    out += "\n";
  }
  absl::StrAppend(&out, v.items.size(), " items, ", v.ProblemCount(),
                  " open or missing\n");
  return out;
}

std::string MilestoneValidationJson(const MilestoneValidation& v,
                                    absl::string_view repository) {
  JsonWriter w;
  w.StartObject();
  w.Field("repository", repository);
  w.Field("branch", v.branch);
  w.Field("milestone", v.milestone.title);
  w.Field("milestone_number", v.milestone.number);
  w.Field("main_commits_since_cut",
          static_cast<uint64_t>(v.main_commits_since_cut));
  w.Field("branch_commits", static_cast<uint64_t>(v.branch_commits));
  w.Key("items");
  w.StartArray();
  for (const ValidatedItem& i : v.items) WriteValidatedItemJson(w, i);
  w.EndArray();
  w.Field("problems", static_cast<uint64_t>(v.ProblemCount()));
  w.EndObject();
  return Document(w);
}

std::string AnalyzeLines(const MilestoneValidation& v) {
  std::string out = absl::StrCat("len(main_commits)=", v.main_commits_since_cut,
                                 "\nlen(release_commits)=", v.branch_commits,
                                 "\nURL;Title;Status\n");
  for (const ValidatedItem& i : v.items) {
    if (!i.problem()) continue;
    absl::StrAppend(&out, TextEscape(i.item.url), " ;",
                    TextEscape(i.item.title), ";", IssueStateName(i.item.state),
                    "\n");
  }
  return out;
}

// -----------------------------------------------------------------------------
// Readiness

std::string ReadinessText(const ReadinessReport& r) {
  size_t passed = 0;
  for (const Criterion& c : r.criteria) passed += c.passed ? 1 : 0;
  std::string out =
      absl::StrCat("Final RC readiness: ", TextEscape(r.repository), " ",
                   TextEscape(r.branch), " at ", r.branch_head.ShortString(),
                   ", milestone ", TextEscape(r.milestone.title), "\n");
  for (const Criterion& c : r.criteria) {
    absl::StrAppend(&out, c.passed ? "PASS  " : "FAIL  ", CriterionName(c.id),
                    ": ", TextEscape(c.summary), "\n");
    for (const std::string& e : c.evidence) {
      absl::StrAppend(&out, "        ", TextEscape(e), "\n");
    }
  }
  absl::StrAppend(&out, r.ready() ? "READY" : "NOT READY", ": ", passed, "/",
                  r.criteria.size(),
                  " criteria passed (GitHub: ", TextEscape(r.source), ", ",
                  r.requests, " requests)\n");
  return out;
}

void WriteReadinessJson(JsonWriter& w, const ReadinessReport& r) {
  w.StartObject();
  w.Field("repository", r.repository);
  w.Field("branch", r.branch);
  w.Field("branch_head", r.branch_head.ToString());
  w.Key("milestone");
  w.StartObject();
  w.Field("number", r.milestone.number);
  w.Field("title", r.milestone.title);
  w.Field("url", r.milestone.url);
  w.EndObject();
  w.Field("tracker_issue", r.tracker_issue);
  WriteStrings(w, "rc_tags_at_head", r.rc_tags_at_head);
  w.Field("ready", r.ready());
  w.Key("criteria");
  w.StartArray();
  for (const Criterion& c : r.criteria) {
    w.StartObject();
    w.Field("id", CriterionName(c.id));
    w.Field("title", c.title);
    w.Field("passed", c.passed);
    w.Field("summary", c.summary);
    WriteStrings(w, "evidence", c.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("items");
  w.StartArray();
  for (const ValidatedItem& i : r.validation.items)
    WriteValidatedItemJson(w, i);
  w.EndArray();
  w.Key("cherry_picks");
  w.StartArray();
  for (const CherryPickStatus& p : r.cherry_picks) {
    w.StartObject();
    w.Field("comment_url", p.comment_url);
    w.Field("author", p.author);
    w.Field("state", p.state());
    WritePrs(w, "trunk_prs", p.trunk_prs);
    WritePrs(w, "release_prs", p.release_prs);
    w.Key("landed_on_main");
    if (p.landed_on_main) {
      w.Bool(*p.landed_on_main);
    } else {
      w.Null();
    }
    WriteShas(w, "main_commits", p.main_commits);
    w.Field("in_branch", p.in_branch);
    WriteCounterparts(w, "branch_commits", p.branch_commits);
    WriteShas(w, "reverts_on_main", p.reverts_on_main);
    WriteShas(w, "reverts_missing", p.reverts_missing);
    w.EndObject();
  }
  w.EndArray();
  w.Key("checks");
  w.StartObject();
  w.Field("sha", r.checks.sha);
  w.Field("combined_state", r.checks.combined_state);
  WriteStrings(w, "not_green", r.checks.NotGreen());
  w.EndObject();
  w.Field("source", r.source);
  w.Field("requests", r.requests);
  w.EndObject();
}

std::string ReadinessJson(const ReadinessReport& report) {
  JsonWriter w;
  WriteReadinessJson(w, report);
  return Document(w);
}

std::string ReadinessHtml(const ReadinessReport& r) {
  const std::string title =
      absl::StrCat("Final RC readiness: ", r.repository, " ", r.branch);
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>",
      HtmlEscape(title),
      "</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;"
      "color:#222}\n"
      "h1{font-size:1.4em}\n"
      ".verdict{font-size:1.2em;font-weight:bold;padding:.5em 1em;"
      "border-radius:4px}\n"
      ".ready{background:#dff5e1;color:#135e1c}\n"
      ".notready{background:#fde2e1;color:#8a1c14}\n"
      "table{border-collapse:collapse;width:100%;margin-top:1em}\n"
      "th,td{border:1px solid #ccc;padding:.4em .6em;text-align:left;"
      "vertical-align:top}\n"
      ".pass{color:#135e1c;font-weight:bold}\n"
      ".fail{color:#8a1c14;font-weight:bold}\n"
      "ul{margin:.3em 0;padding-left:1.2em}\n"
      "code{font-size:.9em}\n"
      "</style>\n</head>\n<body>\n<h1>",
      HtmlEscape(title), "</h1>\n<p>Head <code>", r.branch_head.ToString(),
      "</code>, milestone ", HtmlEscape(r.milestone.title), " (#",
      r.milestone.number, ")");
  if (r.tracker_issue) absl::StrAppend(&out, ", tracker #", *r.tracker_issue);
  absl::StrAppend(&out, ".</p>\n<p class=\"verdict ",
                  r.ready() ? "ready\">READY" : "notready\">NOT READY",
                  "</p>\n<table>\n<tr><th>Criterion</th><th>Result</th>"
                  "<th>Evidence</th></tr>\n");
  for (const Criterion& c : r.criteria) {
    absl::StrAppend(&out, "<tr id=\"", CriterionName(c.id), "\"><td>",
                    HtmlEscape(c.title), "<br><code>", CriterionName(c.id),
                    "</code></td><td class=\"",
                    c.passed ? "pass\">PASS" : "fail\">FAIL", "</td><td>",
                    HtmlEscape(c.summary));
    if (!c.evidence.empty()) {
      absl::StrAppend(&out, "<ul>");
      for (const std::string& e : c.evidence) {
        absl::StrAppend(&out, "<li>", HtmlEscape(e), "</li>");
      }
      absl::StrAppend(&out, "</ul>");
    }
    absl::StrAppend(&out, "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n<p>GitHub data: ", HtmlEscape(r.source),
                  ", ", r.requests,
                  " requests. Generated by relkit check.</p>\n"
                  "</body>\n</html>\n");
  return out;
}

}  // namespace relkit
