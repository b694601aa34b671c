// libFuzzer target for relkit/wheel.h: wheel and sdist filename parsers, tag
// sets and name/version canonicalisation. Checks that every accepted input
// normalises to a filename that parses back to an equal value, and that the
// canonicalisers are idempotent; abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/version.h"
#include "relkit/wheel.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckWheel(absl::string_view input) {
  absl::StatusOr<relkit::WheelFilename> wheel =
      relkit::WheelFilename::Parse(input);
  absl::StatusOr<relkit::WheelFilename> ordered =
      relkit::WheelFilename::Parse(input, {.validate_order = true});
  // Order validation only rejects more.
  if (ordered.ok()) Check(wheel.ok() && *wheel == *ordered);
  if (!wheel.ok()) return;
  Check(relkit::CanonicalizeName(wheel->name()) == wheel->name());
  Check(!wheel->tags().empty());
  Check(wheel->tags().size() == wheel->python_tags().size() *
                                    wheel->abi_tags().size() *
                                    wheel->platform_tags().size());
  const std::string normal = wheel->ToString();
  absl::StatusOr<relkit::WheelFilename> again =
      relkit::WheelFilename::Parse(normal, {.validate_order = true});
  Check(again.ok());
  Check(*again == *wheel);
  Check(absl::HashOf(*again) == absl::HashOf(*wheel));
  Check(again->ToString() == normal);
  absl::StatusOr<relkit::TagSet> tags =
      relkit::ParseTagSet(wheel->tag_set().ToString());
  Check(tags.ok() && *tags == wheel->tag_set());
}

void CheckSdist(absl::string_view input) {
  absl::StatusOr<relkit::SdistFilename> sdist =
      relkit::SdistFilename::Parse(input);
  if (!sdist.ok()) return;
  const std::string normal = sdist->ToString();
  absl::StatusOr<relkit::SdistFilename> again =
      relkit::SdistFilename::Parse(normal);
  Check(again.ok());
  Check(*again == *sdist);
  Check(again->ToString() == normal);
}

void CheckNames(absl::string_view input) {
  const std::string canonical = relkit::CanonicalizeName(input);
  Check(relkit::CanonicalizeName(canonical) == canonical);
  absl::StatusOr<std::string> valid = relkit::CanonicalizeValidName(input);
  Check(valid.ok() == relkit::IsValidName(input));
  if (valid.ok()) {
    Check(*valid == canonical);
    Check(relkit::IsNormalizedName(*valid));
  }
  if (relkit::IsNormalizedName(input)) {
    Check(relkit::IsValidName(input));
    Check(canonical == input);
  }
}

void CheckVersion(absl::string_view input) {
  const std::string stripped = relkit::CanonicalizeVersion(input);
  const std::string kept =
      relkit::CanonicalizeVersion(input, relkit::TrailingZeros::kKeep);
  absl::StatusOr<relkit::Version> version = relkit::Version::Parse(input);
  if (!version.ok()) {
    Check(stripped == input && kept == input);
    return;
  }
  Check(kept == version->ToString());
  Check(relkit::CanonicalizeVersion(stripped) == stripped);
  absl::StatusOr<relkit::Version> reparsed = relkit::Version::Parse(stripped);
  Check(reparsed.ok() && *reparsed == *version);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  CheckWheel(input);
  CheckSdist(input);
  CheckNames(input);
  CheckVersion(input);
  return 0;
}
