// libFuzzer target for relkit/published_versions.h: published_versions.json
// and build-matrix documents. Checks that an accepted file writes back to
// text that parses to an equal value and writes identically again, and that
// planning a release and the quick-start matrix never fail unexpectedly;
// abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/published_versions.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<std::vector<relkit::MatrixInstall>> builds =
      relkit::ParseMatrixInstalls(text, "fuzz");
  if (builds.ok()) {
    std::vector<std::string> keys = {"accnone", "cuda.x", "cuda.y", "rocm5.x",
                                     "cuda10.2"};
    (void)relkit::ChooseAcceleratorSlots(*builds, keys);
  }

  absl::StatusOr<relkit::PublishedVersions> pv =
      relkit::PublishedVersions::Parse(text, "fuzz");
  if (!pv.ok()) {
    Check(pv.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  const std::string written = pv->ToJson();
  absl::StatusOr<relkit::PublishedVersions> again =
      relkit::PublishedVersions::Parse(written, "fuzz");
  Check(again.ok() && *again == *pv);
  Check(again->ToJson() == written);
  (void)relkit::QuickStartInstallMatrix(*pv);

  std::vector<relkit::MatrixInstall> release = {
      {"linux", "manywheel", "cpu", "", "cpu", "pip3 install torch", "", "", "",
       "2.5.0"},
      {"linux", "manywheel", "rocm", "7.14", "rocm7.14", "pip3 install x", "",
       "", "", "2.5.0"},
      {"linux", "libtorch", "cpu", "", "cpu", "https://x/y.zip",
       "shared-with-deps", "", "cxx11-abi", "2.5.0"},
  };
  absl::StatusOr<relkit::PublishPlan> plan =
      relkit::PlanStableRelease(*pv, "2.5.0", release);
  if (plan.ok()) {
    absl::StatusOr<relkit::PublishedVersions> planned =
        relkit::PublishedVersions::Parse(plan->result.ToJson(), "fuzz");
    Check(planned.ok() && *planned == plan->result);
  } else {
    Check(plan.status().code() == absl::StatusCode::kFailedPrecondition);
  }
  return 0;
}
