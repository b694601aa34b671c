// libFuzzer target for relkit::ParseGitmodules (relkit/git.h): never crashes;
// errors name the source with line and column; every entry has a path.
// abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "relkit/git.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  auto entries = relkit::ParseGitmodules(input, "fuzz");
  if (!entries.ok()) {
    if (!absl::StartsWith(entries.status().message(), "fuzz:")) std::abort();
    return 0;
  }
  for (const relkit::GitmodulesEntry& e : *entries) {
    if (e.path.empty()) std::abort();
  }
  return 0;
}
