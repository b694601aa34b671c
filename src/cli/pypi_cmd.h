// `relkit pypi`: the PyPI side of a release. The group lives in pypi_cmd.cc;
// its subcommands in pypi_stage_cmd.cc (stage, validate) and
// pypi_upload_cmd.cc (upload).

#ifndef RELKIT_SRC_CLI_PYPI_CMD_H_
#define RELKIT_SRC_CLI_PYPI_CMD_H_

#include "CLI/CLI.hpp"
#include "cli/cli.h"

namespace relkit::cli {

// Adds `stage` and `validate` to the `pypi` group.
void AddPypiStageCommands(CLI::App& pypi, Context& ctx);
// Adds `upload` to the `pypi` group.
void AddPypiUploadCommand(CLI::App& pypi, Context& ctx);
// Adds `rewrite` and `verify` (one wheel file at a time) to the `pypi` group
// (pypi_wheel_cmd.cc).
void AddPypiWheelCommands(CLI::App& pypi, Context& ctx);

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_PYPI_CMD_H_
