#include "cli/schedule_source.h"

#include "absl/strings/match.h"
#include "relkit/files.h"
#include "relkit/status.h"

namespace relkit::cli {

absl::StatusOr<ReleaseSchedule> LoadSchedule(const std::string& path) {
  if (path.empty()) return ReleaseSchedule::Default();
  RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (absl::EndsWithIgnoreCase(path, ".md")) {
    return ReleaseSchedule::FromMarkdown(text, path);
  }
  return ReleaseSchedule::FromJson(text, path);
}

}  // namespace relkit::cli
