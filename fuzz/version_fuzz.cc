// libFuzzer target for relkit::Version::Parse.
//
// Beyond "does not crash", it checks the properties that packaging's
// Hypothesis tests state for its Version: the normal form parses back to an
// equal version with the same normal form, equal versions hash equal, the
// ordering is reflexive and antisymmetric against a second version taken from
// the same input, and the batch sort agrees with the operators. Any violation
// aborts, which libFuzzer reports as a crash with the input saved.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/version.h"

namespace {

void Check(bool ok, const char* what, absl::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "version_fuzz: %s for input of %zu bytes\n", what,
               input.size());
  std::abort();
}

// Checks the round trip and self-consistency of one parsed version.
void CheckVersion(const relkit::Version& v, absl::string_view input) {
  const std::string normal = v.ToString();
  absl::StatusOr<relkit::Version> again = relkit::Version::Parse(normal);
  Check(again.ok(), "normal form does not parse", input);
  Check(*again == v, "normal form parses to a different version", input);
  Check(again->ToString() == normal, "normal form is not stable", input);
  Check(
      absl::Hash<relkit::Version>()(*again) == absl::Hash<relkit::Version>()(v),
      "equal versions hash differently", input);
  Check((v <=> v) == 0 && !(v < v) && v <= v, "ordering is not reflexive",
        input);
  Check(v.PublicVersion() == v.WithoutLocal().ToString(),
        "public version disagrees with WithoutLocal", input);
  Check(normal.compare(0, v.PublicVersion().size(), v.PublicVersion()) == 0,
        "public version is not a prefix of the normal form", input);
  Check(v.WithoutLocal() <= v, "dropping the local label made it larger",
        input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::Version> whole = relkit::Version::Parse(input);
  if (whole.ok()) {
    CheckVersion(*whole, input);
  } else {
    Check(whole.status().code() == absl::StatusCode::kInvalidArgument,
          "error is not InvalidArgument", input);
  }

  // Split at the first '\n' (or the middle) into two candidates, to compare
  // two versions derived from the same input.
  size_t cut = input.find('\n');
  if (cut == absl::string_view::npos) cut = size / 2;
  const absl::string_view left = input.substr(0, cut);
  const absl::string_view right = input.substr(std::min(cut + 1, size));
  absl::StatusOr<relkit::Version> a = relkit::Version::Parse(left);
  absl::StatusOr<relkit::Version> b = relkit::Version::Parse(right);
  if (!a.ok() || !b.ok()) return 0;
  CheckVersion(*a, input);
  CheckVersion(*b, input);

  const auto ab = *a <=> *b;
  const auto ba = *b <=> *a;
  Check((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0),
        "ordering is not antisymmetric", input);
  Check((*a == *b) == (ab == 0), "== disagrees with <=>", input);
  Check((*a < *b) == (ab < 0) && (*a > *b) == (ab > 0),
        "< or > disagrees with <=>", input);
  if (ab == 0) {
    Check(
        absl::Hash<relkit::Version>()(*a) == absl::Hash<relkit::Version>()(*b),
        "equal versions hash differently", input);
    Check(a->PublicVersion() == b->PublicVersion() ||
              a->release().size() != b->release().size(),
          "equal versions with equal release length print differently", input);
  }

  // The batch sort uses its own byte keys: it must order the pair the same
  // way, and keep input order for equal versions.
  const std::vector<absl::string_view> texts = {left, right};
  absl::StatusOr<std::vector<std::string>> sorted =
      relkit::SortVersionStrings(texts);
  Check(sorted.ok() && sorted->size() == 2, "batch sort failed", input);
  const bool swapped = ab > 0;
  Check((*sorted)[0] == (swapped ? right : left) &&
            (*sorted)[1] == (swapped ? left : right),
        "batch sort disagrees with <=>", input);
  absl::StatusOr<size_t> max = relkit::MaxVersionIndex(texts);
  Check(max.ok() && *max == (swapped ? 0u : (ab == 0 ? 0u : 1u)),
        "MaxVersionIndex disagrees with <=>", input);
  return 0;
}
