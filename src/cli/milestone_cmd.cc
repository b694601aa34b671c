// `relkit milestone create|move` (issue 13; filled in by its milestone work).
#include "cli/cli.h"

namespace relkit::cli {

void RegisterMilestoneWriteCommands(CLI::App& milestone, Context& ctx) {
  (void)milestone;
  (void)ctx;
}

}  // namespace relkit::cli
