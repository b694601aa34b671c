// Where the commands that need the release schedule get it: --schedule FILE
// (a RELEASE.md-style Markdown table when it ends in .md, else the JSON of
// `relkit schedule --json`), else the embedded default. One reader, so that
// `relkit schedule`, `relkit tracker create` and `relkit milestone create`
// always agree.
#ifndef RELKIT_SRC_CLI_SCHEDULE_SOURCE_H_
#define RELKIT_SRC_CLI_SCHEDULE_SOURCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "relkit/schedule.h"

namespace relkit::cli {

// Returns the schedule of --schedule `path` ("" = the embedded default).
absl::StatusOr<ReleaseSchedule> LoadSchedule(const std::string& path);

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_SCHEDULE_SOURCE_H_
