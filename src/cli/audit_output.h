// Branch-audit output shared by `relkit audit` and `relkit demo`.

#ifndef RELKIT_SRC_CLI_AUDIT_OUTPUT_H_
#define RELKIT_SRC_CLI_AUDIT_OUTPUT_H_

#include <string>
#include <vector>

#include "cli/json_writer.h"
#include "relkit/branch_audit.h"

namespace relkit::cli {

// Returns the evidence names joined with ", ".
std::string EvidenceList(const std::vector<Evidence>& evidence);

// Writes the audit as one JSON object (the `relkit audit branch --json`
// document).
void WriteAuditJson(JsonOut& out, const BranchAudit& audit);

// Prints the audit as text on stdout (`relkit audit branch`).
void PrintAuditText(const BranchAudit& audit);

// Writes present/missing results as a JSON array.
void WritePresenceJson(JsonOut& out, const std::vector<Presence>& results);

// Prints present/missing results, one line each, on stdout.
void PrintPresenceText(const BranchAudit& audit,
                       const std::vector<Presence>& results);

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_AUDIT_OUTPUT_H_
