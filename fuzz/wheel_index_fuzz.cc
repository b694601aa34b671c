// libFuzzer target for relkit/wheel_index.h: the HTML, JSON and listing
// readers of a wheel index, and the coverage check over what they read. The
// first byte picks the format (so each reader gets the whole input space);
// checks that every accepted wheel's filename parses to the same value and
// that a rejected document's message names its source; abort()s on any
// violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "relkit/build_matrix.h"
#include "relkit/conventions.h"
#include "relkit/version.h"
#include "relkit/wheel.h"
#include "relkit/wheel_index.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const relkit::WheelIndexFormat kFormats[] = {
      relkit::WheelIndexFormat::kAuto, relkit::WheelIndexFormat::kHtml,
      relkit::WheelIndexFormat::kJson, relkit::WheelIndexFormat::kListing};
  const relkit::WheelIndexFormat format = kFormats[data[0] % 4];
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  absl::StatusOr<relkit::WheelIndex> index =
      relkit::WheelIndex::Parse(text, {.format = format, .source = "fuzz"});
  if (!index.ok()) {
    Check(index.status().code() == absl::StatusCode::kInvalidArgument);
    Check(absl::StartsWith(index.status().message(), "fuzz"));
    return 0;
  }
  for (const relkit::IndexedWheel& w : index->wheels) {
    absl::StatusOr<relkit::WheelFilename> again =
        relkit::WheelFilename::Parse(w.filename);
    Check(again.ok() && *again == w.wheel);
    relkit::WheelOs(w.wheel);
    relkit::WheelPythonVersion(w.wheel);
  }
  static const std::vector<relkit::ExpectedWheel> kExpected = {
      {relkit::BuildOs::kLinux, "3.12", *relkit::Accelerator::Parse("cu126"),
       "manywheel-py3_12-cuda12_6"},
      {relkit::BuildOs::kMacosArm64, "3.13t", relkit::Accelerator::Cpu(), ""},
  };
  const relkit::WheelCoverageReport report = relkit::CheckWheelCoverage(
      *index, "torch", *relkit::Version::Parse("2.13.0"), kExpected);
  Check(report.found_count <= index->wheels.size());
  Check(report.missing.size() <= kExpected.size());
  return 0;
}
