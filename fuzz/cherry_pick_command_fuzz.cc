// libFuzzer target for the @pytorchbot cherry-pick parser
// (relkit/cherry_pick.h): any bytes either parse to a command that prints
// back to itself, or fail with InvalidArgument naming the source. abort()s on
// any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "relkit/cherry_pick.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::CherryPickCommand> cmd =
      relkit::CherryPickCommand::Parse(input, "fuzz");
  if (!cmd.ok()) {
    Check(cmd.status().code() == absl::StatusCode::kInvalidArgument);
    Check(absl::StartsWith(cmd.status().message(), "fuzz"));
    return 0;
  }
  Check(cmd->line >= 1);
  // The canonical text parses back to the same command (line 1).
  absl::StatusOr<relkit::CherryPickCommand> again =
      relkit::CherryPickCommand::Parse(cmd->ToString(), "again");
  Check(again.ok());
  relkit::CherryPickCommand expected = *cmd;
  expected.line = 1;
  Check(*again == expected);
  Check(!cmd->effective_fixes() || cmd->fixes);
  return 0;
}
