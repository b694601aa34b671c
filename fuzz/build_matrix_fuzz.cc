// libFuzzer target for the build matrix table loader
// (relkit::BuildMatrix::FromJson), the timeline parser, the generator and
// the `--python-versions` list parser (relkit::ParsePythonVersionList).
//
// Beyond "does not crash": an error is InvalidArgument naming the source; a
// document that loads writes JSON that loads back to equal tables; generating
// every channel and package type from loaded tables either succeeds or fails
// with a status (FailedPrecondition when a version is missing), and every
// generated entry has the script's key set; a Python list that parses is
// accepted by the generator over the default tables. Violations abort, which
// libFuzzer reports as a crash with the input saved.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "relkit/build_matrix.h"

namespace {

void Check(bool ok, const char* what, size_t size) {
  if (ok) return;
  std::fprintf(stderr, "build_matrix_fuzz: %s for input of %zu bytes\n", what,
               size);
  std::abort();
}

void CheckError(const absl::Status& status, size_t size) {
  Check(status.code() == absl::StatusCode::kInvalidArgument,
        "loader error is not InvalidArgument", size);
  Check(absl::StrContains(status.message(), "fuzz.json"),
        "loader error does not name the source", size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<relkit::BuildMatrix> m =
      relkit::BuildMatrix::FromJson(text, "fuzz.json");
  if (!m.ok()) {
    CheckError(m.status(), size);
  } else {
    absl::StatusOr<relkit::BuildMatrix> again =
        relkit::BuildMatrix::FromJson(m->ToJson(), "fuzz.json");
    Check(again.ok(), "written tables do not load", size);
    Check(*again == *m, "tables changed in a JSON round trip", size);

    relkit::BuildMatrixOptions options;
    options.channels = {relkit::BuildChannel::kNightly,
                        relkit::BuildChannel::kTest,
                        relkit::BuildChannel::kRelease};
    options.package_types = {relkit::BuildPackageType::kWheel,
                             relkit::BuildPackageType::kLibtorch};
    options.build_python_only = false;
    options.getting_started = size % 2 == 1;
    for (relkit::BuildOs os :
         {relkit::BuildOs::kLinux, relkit::BuildOs::kLinuxAarch64,
          relkit::BuildOs::kWindows, relkit::BuildOs::kMacosArm64}) {
      options.os = os;
      absl::StatusOr<std::vector<relkit::BuildMatrixEntry>> entries =
          relkit::GenerateBuildMatrix(*m, options);
      if (!entries.ok()) {
        Check(entries.status().code() == absl::StatusCode::kFailedPrecondition,
              "generator failed with an unexpected code", size);
        continue;
      }
      for (const relkit::BuildMatrixEntry& e : *entries) {
        const size_t keys = e.Fields().size();
        Check(keys == 12 || keys == 13, "entry has the wrong key set", size);
      }
      (void)relkit::BuildMatrixToJson(*entries, 2);
    }
    (void)relkit::ExpectedWheels(*m, relkit::BuildChannel::kRelease);
    (void)relkit::ChannelGpuAccelerators(*m, relkit::BuildChannel::kNightly);
  }

  absl::StatusOr<std::vector<relkit::BuildMatrixState>> timeline =
      relkit::ParseBuildMatrixTimeline(text, "fuzz.json");
  if (!timeline.ok()) CheckError(timeline.status(), size);

  // The --python-versions value: what it accepts, the generator accepts.
  absl::StatusOr<std::vector<std::string>> pythons =
      relkit::ParsePythonVersionList(text, "fuzz.json");
  if (!pythons.ok()) {
    CheckError(pythons.status(), size);
  } else if (pythons->size() <= 16) {
    relkit::BuildMatrixOptions options;
    options.python_versions = *pythons;
    options.build_python_only = false;
    absl::StatusOr<std::vector<relkit::BuildMatrixEntry>> entries =
        relkit::GenerateBuildMatrix(relkit::BuildMatrix::Default(), options);
    Check(entries.ok(), "generator rejects a parsed --python-versions list",
          size);
  }
  return 0;
}
