// `relkit cherry-pick apply` (issue 13; filled in by its bot work).
#include "cli/cli.h"

namespace relkit::cli {

void RegisterCherryPickApplyCommand(CLI::App& cherry_pick, Context& ctx) {
  (void)cherry_pick;
  (void)ctx;
}

}  // namespace relkit::cli
