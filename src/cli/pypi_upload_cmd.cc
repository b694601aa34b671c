// `relkit pypi upload`.

#include "cli/pypi_cmd.h"

namespace relkit::cli {

void AddPypiUploadCommand(CLI::App& /*pypi*/, Context& /*ctx*/) {}

}  // namespace relkit::cli
