// libFuzzer target for relkit::ParseCommitPin and relkit::ParseVersionPin
// (relkit/pins.h): never crash; errors name the source with line and column;
// an accepted commit pin is 40 hex digits followed only by whitespace, and
// its id prints back as those digits in lower case. abort()s on any
// violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "relkit/pins.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);

  auto commit = relkit::ParseCommitPin(input, "fuzz");
  if (!commit.ok()) {
    if (!absl::StartsWith(commit.status().message(), "fuzz:")) std::abort();
  } else {
    if (input.size() < 40) std::abort();
    if (commit->ToString() != absl::AsciiStrToLower(input.substr(0, 40))) {
      std::abort();
    }
    for (char c : input.substr(40)) {
      if (!absl::ascii_isspace(static_cast<unsigned char>(c))) std::abort();
    }
  }

  auto version = relkit::ParseVersionPin(input, "fuzz");
  if (!version.ok()) {
    if (!absl::StartsWith(version.status().message(), "fuzz:")) std::abort();
  } else {
    // The normal form is itself a valid pin.
    auto again = relkit::ParseVersionPin(version->ToString(), "fuzz");
    if (!again.ok() || !(*again == *version)) std::abort();
  }
  return 0;
}
