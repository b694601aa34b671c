// `relkit pypi`: stage wheels from a test channel, validate the staging set,
// upload it to PyPI once.

#include "cli/pypi_cmd.h"

namespace relkit::cli {

void RegisterPypiCommands(CLI::App& app, Context& ctx) {
  CLI::App* pypi = app.add_subcommand(
      "pypi",
      "Stage, validate and upload a release's wheels to PyPI (plans unless "
      "--execute)");
  pypi->require_subcommand(1);
  AddPypiStageCommands(*pypi, ctx);
  AddPypiUploadCommand(*pypi, ctx);
  AddPypiWheelCommands(*pypi, ctx);
}

}  // namespace relkit::cli
