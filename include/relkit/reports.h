// File: relkit/reports.h
// -----------------------------------------------------------------------------
//
// The one home of every report's text, JSON and HTML. A workflow returns a
// result value (a BranchAudit, a MilestoneValidation, a ReadinessReport);
// these functions render it, and the CLI and the Python package both call
// them, so `relkit check --json` and Python's `report.to_json()` are the same
// bytes.
//
//   absl::StatusOr<relkit::BranchAudit> audit =
//       relkit::AuditBranch(repo, "release/2.4");
//   std::cout << relkit::BranchAuditText(*audit);      // relkit audit branch
//   std::cout << relkit::BranchAuditJson(*audit);      // ... --json
//
//   relkit::JsonWriter w;                // several reports in one document
//   w.StartObject();
//   w.Key("audit");
//   relkit::WriteBranchAuditJson(w, *audit);
//   w.EndObject();
//
// Text ends with a newline; so does every `...Json` document. The
// `Write...Json` forms write one value into a caller's writer. Text from
// outside (GitHub titles, labels and check names, commit subjects) is data:
// text reports pass every such field through TextEscape (relkit/text_escape.h:
// no control character, bidi override or invalid UTF-8 reaches a terminal),
// JSON escapes it as JSON and HTML as HTML.

#ifndef RELKIT_REPORTS_H_
#define RELKIT_REPORTS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/branch_audit.h"
#include "relkit/json_writer.h"
#include "relkit/milestone_validation.h"
#include "relkit/package_index.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"
#include "relkit/readiness.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Branch audit (`relkit audit branch`)

// Returns the audit as text: the cut, each branch commit with its
// counterparts and evidence, the reverts needed and the warnings.
std::string BranchAuditText(const BranchAudit& audit);
// Writes the audit as one JSON object.
void WriteBranchAuditJson(JsonWriter& out, const BranchAudit& audit);
// Returns the `relkit audit branch --json` document.
std::string BranchAuditJson(const BranchAudit& audit);

// -----------------------------------------------------------------------------
// Presence of PRs and commits (`relkit audit missing`)

// Returns one line per result: the query, its state, the branch commits that
// carry it and where it is on main when missing.
std::string PresenceText(const BranchAudit& audit,
                         absl::Span<const Presence> results);
// Writes `results` as one JSON array.
void WritePresenceJson(JsonWriter& out, absl::Span<const Presence> results);
// Returns the `relkit audit missing --json` document: the branch, its cut
// point, the results and the audit's warnings.
std::string PresenceJson(const BranchAudit& audit,
                         absl::Span<const Presence> results);

// -----------------------------------------------------------------------------
// Milestone validation (`relkit milestone check`)

// Returns the validation as text, headed by `repository` (OWNER/NAME): one
// line per item and a count of the open or missing ones.
std::string MilestoneValidationText(const MilestoneValidation& validation,
                                    absl::string_view repository);
// Returns the `relkit milestone check --json` document.
std::string MilestoneValidationJson(const MilestoneValidation& validation,
                                    absl::string_view repository);
// Writes one validated item as a JSON object (as both the milestone check
// and the readiness report list them).
void WriteValidatedItemJson(JsonWriter& out, const ValidatedItem& item);
// Returns github_analyze `--missing-in-branch` output: `len(main_commits)=N`,
// `len(release_commits)=M`, `URL;Title;Status`, then `URL ;Title;state`
// (the original's stray space kept) for every open or missing item.
std::string AnalyzeLines(const MilestoneValidation& validation);

// -----------------------------------------------------------------------------
// Final-RC readiness (`relkit check`)

// Returns the report as text: one block per criterion and the verdict.
std::string ReadinessText(const ReadinessReport& report);
// Writes the report as one JSON object.
void WriteReadinessJson(JsonWriter& out, const ReadinessReport& report);
// Returns the `relkit check --json` document.
std::string ReadinessJson(const ReadinessReport& report);
// Returns a self-contained HTML page (inline CSS, no scripts or external
// assets, every text escaped).
std::string ReadinessHtml(const ReadinessReport& report);

// -----------------------------------------------------------------------------
// Promotion plan (`relkit promote`)
//
// Object keys and store descriptions come from outside: in text every one
// goes through TextEscape; in Markdown they are escaped (TextEscape, then
// HtmlEscape) inside raw HTML blocks, so no key can end a line, open a link
// or close a `<details>`; JSON keeps them exact.

// Writes `"problems": [{severity, kind, package, key, message}, ...]`, as
// the plan's JSON has them (a backup plan's too).
void WritePromotionProblemsJson(JsonWriter& out,
                                const std::vector<PromotionProblem>& problems);

// Returns the plan as text: the two locations, one line per package, every
// copy (source -> destination, size, sha256), what is already there, the
// problems and a last line "plan: N objects to copy (B bytes), ..." or
// "plan blocked: E errors".
std::string PromotionPlanText(const PromotionPlan& plan);
// Writes the plan as one JSON object.
void WritePromotionPlanJson(JsonWriter& out, const PromotionPlan& plan);
// Returns the `relkit promote --json` document.
std::string PromotionPlanJson(const PromotionPlan& plan);
// Returns a Markdown summary for a release tracker: a table of packages,
// the problems, then one `<details>` block per destination folder listing
// the files to copy and the files already there.
std::string PromotionPlanMarkdown(const PromotionPlan& plan);
// Returns an HTML fragment (a notebook's `_repr_html_`): the verdict, the
// package table, the problems, then the copies and what is already there
// (50 rows each at most, the rest counted). Outside text goes through
// TextEscape, then HtmlEscape.
std::string PromotionPlanHtml(const PromotionPlan& plan);

// A plan applied (`relkit promote --execute`). Returns the result as text:
// the locations and the journal, the keys copied, overwritten and mirrored,
// counts of what was already there and verified, each failure with its key,
// the plan's warnings, and a last line "promotion done: ...", "already
// applied: nothing left to copy" or "promotion failed: ...". With `indexes`,
// the index pages regenerated (IndexResultText) come before that line.
std::string PromotionResultText(const PromotionPlan& plan,
                                const PromotionResult& result,
                                const IndexResult* indexes = nullptr);
// Writes the result as one JSON object: ok, already_applied, journal, the
// key lists copied, skipped_already_there, overwritten, mirrored,
// mirror_skipped_already_there, verified, and failed ({key, code, message}).
void WritePromotionResultJson(JsonWriter& out, const PromotionResult& result);
// Returns the `relkit promote --execute --json` document:
// {"dry_run": false, "plan": <plan>, "result": <result>}, and with
// `indexes` the index pages regenerated after the copies:
// "indexes": {"written": [keys], "unchanged": [keys], "computed_sha256":
// [keys]}.
std::string PromotionExecuteJson(const PromotionPlan& plan,
                                 const PromotionResult& result,
                                 const IndexResult* indexes = nullptr);
// Returns the line(s) saying which index pages a promotion regenerated:
// "index pages: 2 written, 5 unchanged" and each written key (escaped).
std::string IndexResultText(const IndexResult& indexes);
// Returns the plan's Markdown summary followed by a "Promotion result"
// section: the verdict, a table of counts and `<details>` blocks of the keys
// overwritten, copied, mirrored and failed.
std::string PromotionResultMarkdown(const PromotionPlan& plan,
                                    const PromotionResult& result);

}  // namespace relkit

#endif  // RELKIT_REPORTS_H_
