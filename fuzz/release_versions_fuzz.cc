// libFuzzer target for relkit/release_versions.h: the release_versions.sh
// parser. Checks that every accepted input writes back byte for byte, that
// setting a variable to its own value changes nothing, that a new value
// reparses to that value, and that building the release set never fails;
// abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/release_versions.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::ReleaseVersionsFile> file =
      relkit::ReleaseVersionsFile::Parse(input, "fuzz.sh");
  if (!file.ok()) {
    Check(file.status().message().find("fuzz.sh:") == 0);
    return 0;
  }
  Check(file->ToString() == input);
  const relkit::ReleaseSet set = file->ToReleaseSet();
  (void)set.ToString();
  (void)relkit::CompareReleaseSets(set, set);
  Check(relkit::CompareReleaseSets(set, set).empty());
  for (const relkit::ReleaseAssignment& a : file->assignments()) {
    const std::optional<std::string> value = file->Get(a.variable);
    Check(value.has_value());
    size_t times = 0;
    for (const relkit::ReleaseAssignment& b : file->assignments()) {
      if (b.variable == a.variable) ++times;
    }
    // SetValue sets every line of a variable; with one line and a plain
    // default, setting it to itself must change nothing.
    if (a.alias_of.empty() && times == 1) {
      Check(file->SetValue(a.variable, *value).ok());
      Check(file->ToString() == input);
    }
  }
  if (!file->assignments().empty()) {
    const std::string name = file->assignments().front().variable;
    Check(file->SetValue(name, "9.9.9rc1").ok());
    absl::StatusOr<relkit::ReleaseVersionsFile> again =
        relkit::ReleaseVersionsFile::Parse(file->ToString(), "fuzz.sh");
    Check(again.ok());
    Check(again->Get(name) == std::string("9.9.9rc1"));
    Check(again->assignments().size() == file->assignments().size());
  }
  return 0;
}
