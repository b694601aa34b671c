// File: relkit/pypi_upload_report.h
// -----------------------------------------------------------------------------
//
// Text and JSON of a PyPI upload plan and of what an apply did (`relkit
// pypi upload`, `relkit.pypi_upload`). Keys, file names and messages go
// through TextEscape in text; JSON keeps them exact. Neither ever holds the
// token: the plan carries only URLs with credentials removed.
//
//   std::cout << relkit::PypiUploadPlanText(plan);           // dry run
//   std::cout << relkit::PypiUploadResultText(plan, result); // --execute

#ifndef RELKIT_PYPI_UPLOAD_REPORT_H_
#define RELKIT_PYPI_UPLOAD_REPORT_H_

#include <string>

#include "relkit/pypi_upload.h"

namespace relkit {

// Returns the plan: the staging location, the repository and index, per
// file what would be uploaded, what is already there and every conflict
// (with both sha256s), the problems, and a verdict line.
std::string PypiUploadPlanText(const PypiUploadPlan& plan);

// Returns the plan as JSON: `dry_run`, `ok`, `staging`, `prefix`,
// `repository_url`, `index_url`, `packages`, `projects`, `files` (key,
// filename, project, version, size, sha256, sha256_computed, action,
// index_sha256), `problems` and the counts.
std::string PypiUploadPlanJson(const PypiUploadPlan& plan);

// Returns what an apply did: per file uploaded / already uploaded / already
// there, attempts, confirmation and notes; the failure, if any.
std::string PypiUploadResultText(const PypiUploadPlan& plan,
                                 const PypiUploadResult& result);

// Returns PypiUploadPlanJson's document with `dry_run` false and an
// `applied` member: `files` (key, filename, status, attempts, confirmed,
// notes), `uploaded`, `already`, `ok` and `failure` (key, filename, code,
// message) or null.
std::string PypiUploadResultJson(const PypiUploadPlan& plan,
                                 const PypiUploadResult& result);

}  // namespace relkit

#endif  // RELKIT_PYPI_UPLOAD_REPORT_H_
