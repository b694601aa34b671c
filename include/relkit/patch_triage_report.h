// File: relkit/patch_triage_report.h
// -----------------------------------------------------------------------------
//
// Text and JSON of a patch-release triage (`relkit patch triage`,
// relkit/patch_triage.h). Every text from GitHub (titles, labels, logins,
// criteria, replies, URLs) goes through TextEscape in the text; the JSON
// keeps it exact.
//
//   std::cout << relkit::PatchTriageText(triage);
//   std::cout << relkit::PatchTriageJson(triage) << "\n";

#ifndef RELKIT_PATCH_TRIAGE_REPORT_H_
#define RELKIT_PATCH_TRIAGE_REPORT_H_

#include <string>

#include "relkit/json_writer.h"
#include "relkit/patch_triage.h"

namespace relkit {

// Returns the report: the release, milestone, tracker and deadline (with its
// source and the days left), one block per candidate (kind, number, title,
// sources, classification and where it comes from, linked issue, the
// nomination and whether it is late, whether it meets the criteria and why
// not), the notes and a verdict line.
std::string PatchTriageText(const PatchTriage& triage);

// Writes the triage as one JSON object into `out`: `version`,
// `release_branch`, `repository`, `milestone` (number, title, url) or null,
// `tracker` (number, title, url) or null, `deadline` (day or null,
// release_day, approximate, source), `today`, `days_left`, `candidates`
// (kind, repo, number, title, url, state, merged, labels, sources,
// classification, classification_origin, criteria, linked_issue,
// ci_failure_link, meets_criteria, reasons, nominated, nominations,
// nominated_at, nomination_url, nominated_by, release_prs, reply, late,
// nominated_fixes), `notes`, and the counts `candidates_total`,
// `meeting_criteria`, `late`, `problems`.
void WritePatchTriageJson(JsonWriter& out, const PatchTriage& triage);

// Returns WritePatchTriageJson's document.
std::string PatchTriageJson(const PatchTriage& triage);

}  // namespace relkit

#endif  // RELKIT_PATCH_TRIAGE_REPORT_H_
