// File: relkit/pypi_stage_report.h
// -----------------------------------------------------------------------------
//
// Text and JSON of the PyPI staging selection, the staging plan and result
// (`relkit pypi stage`) and the validation report (`relkit pypi validate`).
// The CLI prints these; Python's `to_text()`/`to_json()` return the same
// bytes. Outside text (file names, keys, URLs, metadata) goes through
// TextEscape in text.
//
//   std::cout << relkit::PypiStagePlanText(*plan);
//   std::cout << relkit::PypiValidationJson(*validation);

#ifndef RELKIT_PYPI_STAGE_REPORT_H_
#define RELKIT_PYPI_STAGE_REPORT_H_

#include <string>

#include "relkit/json_writer.h"
#include "relkit/pypi_stage.h"
#include "relkit/pypi_staging.h"
#include "relkit/pypi_validate.h"

namespace relkit {

// Returns the selection: each wheel, selected or excluded, with its reason.
std::string PypiSelectionText(const PypiSelection& selection);
void WritePypiSelectionJson(JsonWriter& out, const PypiSelection& selection);
std::string PypiSelectionJson(const PypiSelection& selection);

// Returns the plan: the rule, every selection, what is staged and where,
// what is already staged, the problems, and a verdict line.
std::string PypiStagePlanText(const PypiStagePlan& plan);
void WritePypiStagePlanJson(JsonWriter& out, const PypiStagePlan& plan);
std::string PypiStagePlanJson(const PypiStagePlan& plan);

// Returns what an --execute run did (after the plan's text in the CLI).
std::string PypiStageResultText(const PypiStageResult& result);
void WritePypiStageResultJson(JsonWriter& out, const PypiStageResult& result);
// Returns {"plan": ..., "result": ...}.
std::string PypiStageExecuteJson(const PypiStagePlan& plan,
                                 const PypiStageResult& result);

// Returns the validation report: per package the expected and present
// files, sizes against the quota, each wheel, the problems, a verdict.
std::string PypiValidationText(const PypiValidation& validation);
void WritePypiValidationJson(JsonWriter& out, const PypiValidation& validation);
std::string PypiValidationJson(const PypiValidation& validation);

}  // namespace relkit

#endif  // RELKIT_PYPI_STAGE_REPORT_H_
