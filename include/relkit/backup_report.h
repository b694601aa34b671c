// File: relkit/backup_report.h
// -----------------------------------------------------------------------------
//
// Text and JSON of a backup plan and of what an apply did (`relkit backup
// create/restore`). Keys and store descriptions go through TextEscape in
// text; JSON keeps them exact.
//
//   std::cout << relkit::BackupPlanText(plan);          // every copy
//   std::cout << relkit::BackupResultText(plan, done);  // after --execute

#ifndef RELKIT_BACKUP_REPORT_H_
#define RELKIT_BACKUP_REPORT_H_

#include <string>

#include "relkit/backup.h"

namespace relkit {

// Returns the plan: per channel, every copy (source -> destination, size,
// sha256), what is already there and the replacements; then the problems
// and a verdict line.
std::string BackupPlanText(const BackupPlan& plan);

// Returns the plan as JSON: direction, tag, backup, per channel the
// promotion plan's JSON (relkit::WritePromotionPlanJson) and the
// replacements, the merged problems and `ok`.
std::string BackupPlanJson(const BackupPlan& plan);

// Returns what an apply did: copied, replaced, already there, in numbers and
// keys.
std::string BackupResultText(const BackupPlan& plan,
                             const BackupResult& result);

// Returns BackupPlanJson's document with an `applied` member: the keys
// copied, replaced and already there, and the bytes copied.
std::string BackupResultJson(const BackupPlan& plan,
                             const BackupResult& result);

}  // namespace relkit

#endif  // RELKIT_BACKUP_REPORT_H_
