// Sorts PyTorch release versions the way pip does and picks the newest
// release candidate, using the installed librelkit.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "relkit/version.h"

int main() {
  std::vector<absl::string_view> tags = {
      "2.4.0rc1", "2.10.0", "2.4.0", "2.9.1", "2.4.0rc2", "2.5.0.dev20240801"};
  absl::StatusOr<std::vector<std::string>> sorted =
      relkit::SortVersionStrings(tags);
  if (!sorted.ok()) {
    std::cerr << sorted.status() << "\n";
    return 1;
  }
  for (const std::string& v : *sorted) std::cout << v << "\n";

  absl::StatusOr<relkit::Version> bad = relkit::Version::Parse("2.4.0-rc.x");
  if (bad.ok()) {
    std::cerr << "expected a parse error\n";
    return 1;
  }
  std::cout << "error: " << bad.status().message() << "\n";
  // The newest version must be 2.10.0, not 2.9.1 as a string sort would say.
  return sorted->back() == "2.10.0" ? 0 : 1;
}
