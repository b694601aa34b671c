// `relkit patch triage` (issue 13; filled in by its triage work).
#include "cli/cli.h"

namespace relkit::cli {

void RegisterPatchCommands(CLI::App& app, Context& ctx) {
  (void)app;
  (void)ctx;
}

}  // namespace relkit::cli
