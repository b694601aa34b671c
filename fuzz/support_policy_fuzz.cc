// libFuzzer target for the JSON loader of relkit/support_policy.h
// (SupportPolicy::FromJson) and the rules that run over what it loads.
// Arbitrary bytes are loaded as a support_policy.json.
//
// Beyond "does not crash": a rejected file is InvalidArgument naming its
// source. For an accepted one, on a few days around every date it names:
// SupportedPythons returns exactly the entries released and not yet
// end-of-life; ProposeMatrixRow gives a row that forms a valid compatibility
// matrix (FromRows accepts it, its JSON loads back equal) and whose
// experimental Pythons are experimental in it; CheckMatrixRow runs on that
// row. LatestMinorVersions over the loaded CPython versions (used as an
// accelerator list) returns at most N distinct minors, ascending, each one of
// the inputs. Violations abort, which libFuzzer reports as a crash with the
// input saved.

#include <algorithm>
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
#include "absl/time/civil_time.h"
#include "relkit/compat_matrix.h"
#include "relkit/support_policy.h"
#include "relkit/version.h"

namespace {

void Check(bool ok, const char* what, size_t size) {
  if (ok) return;
  std::fprintf(stderr, "support_policy_fuzz: %s (input of %zu bytes)\n", what,
               size);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::SupportPolicy> policy =
      relkit::SupportPolicy::FromJson(text, "fuzz.json");
  if (!policy.ok()) {
    Check(policy.status().code() == absl::StatusCode::kInvalidArgument,
          "error is not InvalidArgument", size);
    Check(absl::StartsWith(policy.status().message(), "fuzz.json"),
          "error does not start with the source name", size);
    return 0;
  }

  std::vector<absl::CivilDay> days = {absl::CivilDay(2024, 10, 17)};
  std::vector<std::string> versions;
  for (const relkit::CPythonVersion& p : policy->cpython()) {
    for (absl::CivilDay d : {p.released, p.end_of_life}) {
      days.push_back(d - 1);
      days.push_back(d);
      days.push_back(d + 1);
    }
    if (!p.free_threaded) versions.push_back(p.version);
    (void)p.ToString();
  }
  if (days.size() > 64) days.resize(64);  // keep each run cheap

  relkit::SupportPolicyOptions options;
  absl::StatusOr<std::vector<std::string>> latest =
      relkit::LatestMinorVersions(versions, 2);
  if (latest.ok()) {
    Check(latest->size() <= 2, "more minors than asked for", size);
    for (size_t i = 0; i < latest->size(); ++i) {
      Check(std::find(versions.begin(), versions.end(), (*latest)[i]) !=
                versions.end(),
            "picked a version that is not available", size);
      if (i > 0) {
        absl::StatusOr<relkit::Version> a =
            relkit::Version::Parse((*latest)[i - 1]);
        absl::StatusOr<relkit::Version> b =
            relkit::Version::Parse((*latest)[i]);
        Check(a.ok() && b.ok() && *a < *b, "minors not ascending", size);
        Check(a->major() != b->major() || a->minor() != b->minor(),
              "the same minor picked twice", size);
      }
    }
    options.available_cuda = versions;
    options.available_rocm = versions;
  } else {
    Check(latest.status().code() == absl::StatusCode::kInvalidArgument,
          "LatestMinorVersions failed with an unexpected code", size);
  }

  for (absl::CivilDay day : days) {
    const std::vector<relkit::CPythonVersion> supported =
        policy->SupportedPythons(day);
    size_t expected = 0;
    for (const relkit::CPythonVersion& p : policy->cpython()) {
      expected += (p.released <= day && day <= p.end_of_life) ? 1 : 0;
    }
    Check(supported.size() == expected, "SupportedPythons is not the filter",
          size);

    const relkit::MatrixRow row = policy->ProposeMatrixRow("2.5", day, options);
    for (const std::string& p : row.experimental_python) {
      absl::StatusOr<relkit::SupportStatus> s = row.PythonStatus(p);
      Check(s.ok() && *s == relkit::SupportStatus::kExperimental,
            "a proposed experimental Python is not experimental", size);
    }
    absl::StatusOr<relkit::CompatibilityMatrix> m =
        relkit::CompatibilityMatrix::FromRows({row});
    Check(m.ok(), "the proposed row is not a valid matrix row", size);
    absl::StatusOr<relkit::CompatibilityMatrix> again =
        relkit::CompatibilityMatrix::FromJson(m->ToJson(false),
                                              "proposed.json");
    if (!again.ok()) {
      std::fprintf(stderr, "%s\n%s\n", m->ToJson(false).c_str(),
                   again.status().ToString().c_str());
    }
    Check(again.ok(), "the proposed row does not load back from JSON", size);
    Check(*again == *m, "the proposed row changed in a JSON round trip", size);
    (void)policy->CheckMatrixRow(row, day, options);
    (void)policy->OperatingSystemsFor("2.5");
  }
  return 0;
}
