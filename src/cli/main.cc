// The relkit command-line program.

#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "cli/cli.h"
#include "relkit/text_escape.h"

int main(int argc, char** argv) {
  CLI::App app{
      "relkit: release engineering for projects that ship binary wheels.\n"
      "Versions, tags, branches, compatibility matrices and release checks\n"
      "as typed objects; every change is a plan first (--execute applies).",
      "relkit"};
  app.set_version_flag("--version",
                       std::string("relkit ") + RELKIT_VERSION_STRING,
                       "Print the relkit version and exit");
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success, 1 the check found problems, 2 bad usage or bad "
      "input,\n3 the operation could not complete (I/O, network).\n"
      "Run 'relkit COMMAND --help' for a command's options; docs/cli.md has "
      "the full reference.");

  relkit::cli::Context ctx;
  relkit::cli::RegisterVersionCommands(app, ctx);
  relkit::cli::RegisterDemoCommand(app, ctx);
  relkit::cli::RegisterAuditCommands(app, ctx);
  relkit::cli::RegisterRcCommands(app, ctx);
  relkit::cli::RegisterCutCommands(app, ctx);
  relkit::cli::RegisterMatrixCommands(app, ctx);
  relkit::cli::RegisterScheduleCommand(app, ctx);
  relkit::cli::RegisterBuildMatrixCommands(app, ctx);
  relkit::cli::RegisterWheelsCommands(app, ctx);
  relkit::cli::RegisterReleaseDayCommands(app, ctx);
  relkit::cli::RegisterGitHubCommands(app, ctx);
  relkit::cli::RegisterPinsCommand(app, ctx);
  relkit::cli::RegisterCheckCommands(app, ctx);
  relkit::cli::RegisterPromoteCommand(app, ctx);
  relkit::cli::RegisterBackupCommands(app, ctx);
  relkit::cli::RegisterIndexCommands(app, ctx);
  relkit::cli::RegisterPypiCommands(app, ctx);
  relkit::cli::RegisterTrackerCommands(app, ctx);
  relkit::cli::RegisterPatchCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e);  // --help, --version
    }
    std::cerr << "relkit: error: " << relkit::TextEscape(e.what())
              << " (run 'relkit --help' for usage)\n";
    return relkit::cli::kExitUsage;
  }
  return ctx.exit_code;
}
