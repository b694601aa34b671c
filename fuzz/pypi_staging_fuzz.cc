// libFuzzer target for relkit/pypi_staging.h and the link resolution of
// relkit/pypi_stage.h: arbitrary lines as wheel file names offered to the
// staging rule, and as links resolved against index pages. Checks that a
// selected wheel is of the package version, its staged name has no local
// label, no two selected wheels share a staged name, and a resolved link of
// a relative link stays on the page's host; abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "relkit/build_matrix.h"
#include "relkit/pypi_stage.h"
#include "relkit/pypi_staging.h"
#include "relkit/support_policy.h"
#include "relkit/version.h"
#include "relkit/wheel.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

const relkit::PypiStagingRule& Rule() {
  static const relkit::PypiStagingRule* rule = [] {
    auto r = relkit::MakePypiStagingRule(relkit::BuildMatrix::Default(),
                                         *relkit::SupportPolicy::Default(),
                                         absl::CivilDay(2026, 9, 2));
    Check(r.ok());
    return new relkit::PypiStagingRule(*r);
  }();
  return *rule;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<relkit::PypiWheelSource> wheels;
  for (absl::string_view line : absl::StrSplit(input, '\n')) {
    wheels.push_back({std::string(line), std::string(line)});
    (void)relkit::PypiStagedName(line);
    const std::string url = relkit::ResolveIndexLink(
        "https://h.example/whl/test/cu130/torch/", line);
    // A relative link stays on the page's host; a `//host/...` one takes
    // the page's scheme.
    if (!absl::StartsWith(line, "http://") &&
        !absl::StartsWith(line, "https://")) {
      Check(absl::StartsWith(url, absl::StartsWith(line, "//")
                                      ? "https://"
                                      : "https://h.example/"));
    }
    (void)relkit::ResolveIndexLink("/srv/whl/test/cpu/torch/index.html", line);
  }
  static const relkit::Version version = *relkit::Version::Parse("2.9.0");
  relkit::PypiSelection s =
      relkit::SelectForPypi("torch", version, wheels, Rule());
  std::set<std::string> staged;
  for (const relkit::PypiCandidate& c : s.candidates) {
    Check(c.wheel.name() == "torch");
    Check(c.wheel.version().WithoutLocal() == version);
    Check(c.selected == relkit::PypiReasonSelects(c.reason));
    (void)relkit::PypiReasonName(c.reason);
    if (c.selected) {
      // The staged name is the wheel's name at the bare version.
      absl::StatusOr<relkit::WheelFilename> staged_wheel =
          relkit::WheelFilename::Parse(c.staged_name);
      Check(staged_wheel.ok());
      Check(staged_wheel->version() == version);
      Check(!staged_wheel->version().local().has_value());
      Check(staged_wheel->tag_set() == c.wheel.tag_set());
      Check(staged.insert(c.staged_name).second);
    }
  }
  Check(s.candidates.size() + s.other_files == wheels.size());
  return 0;
}
