// `relkit tracker create` (issue 13; filled in by its tracker work).
#include "cli/cli.h"

namespace relkit::cli {

void RegisterTrackerCommands(CLI::App& app, Context& ctx) {
  (void)app;
  (void)ctx;
}

}  // namespace relkit::cli
