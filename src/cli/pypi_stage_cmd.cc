// `relkit pypi stage` and `relkit pypi validate`.

#include "cli/pypi_cmd.h"

namespace relkit::cli {

void AddPypiStageCommands(CLI::App& /*pypi*/, Context& /*ctx*/) {}

}  // namespace relkit::cli
