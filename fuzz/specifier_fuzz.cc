// libFuzzer target for relkit/specifier.h: parses arbitrary bytes as a
// Specifier and as a SpecifierSet. When parsing succeeds, the string form must
// re-parse to an equal value (with the same string form and hash), and
// matching, filtering and the set algebra must run without crashing on a few
// fixed versions.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/specifier.h"
#include "relkit/version.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

const std::vector<relkit::Version>& Probes() {
  static const auto* const kProbes = [] {
    auto* probes = new std::vector<relkit::Version>;
    for (absl::string_view text :
         {"0", "0.dev0", "1.0", "1.0+local", "1.0.post1", "1.0a1",
          "1.0rc1.dev2", "2!1.0", "1.2.3.4.5", "18446744073709551615"}) {
      absl::StatusOr<relkit::Version> v = relkit::Version::Parse(text);
      if (v.ok()) probes->push_back(*v);
    }
    return probes;
  }();
  return *kProbes;
}

const std::vector<absl::string_view>& RawProbes() {
  static const auto* const kRaw = new std::vector<absl::string_view>{
      "1.0", "1.0a1", "foobar", "", "v1.0", "1.01", "==1.0"};
  return *kRaw;
}

void ExerciseSpecifier(const relkit::Specifier& spec) {
  for (const relkit::Version& v : Probes()) {
    (void)spec.Contains(v);
    (void)spec.Contains(v, true);
    (void)spec.Contains(v, false);
  }
  for (absl::string_view raw : RawProbes()) (void)spec.Contains(raw);
  (void)spec.Filter(absl::MakeConstSpan(Probes()));
  (void)spec.Filter(absl::MakeConstSpan(RawProbes()), true);
}

void ExerciseSet(const relkit::SpecifierSet& set) {
  for (const relkit::Version& v : Probes()) {
    (void)set.Contains(v);
    (void)set.Contains(v, false, relkit::Installed::kYes);
  }
  for (absl::string_view raw : RawProbes()) (void)set.Contains(raw);
  (void)set.Filter(absl::MakeConstSpan(Probes()));
  (void)set.Filter(absl::MakeConstSpan(RawProbes()), false);
  (void)set.IsUnsatisfiable();
  static const relkit::SpecifierSet* const kOther = [] {
    absl::StatusOr<relkit::SpecifierSet> s =
        relkit::SpecifierSet::Parse(">=1.0,!=1.5.*,<3");
    return new relkit::SpecifierSet(s.ok() ? *s : relkit::SpecifierSet());
  }();
  (void)set.IsSubset(*kOther);
  (void)set.IsSuperset(*kOther);
  (void)set.IsDisjoint(*kOther);
  absl::StatusOr<relkit::SpecifierSet> both =
      relkit::SpecifierSet::Intersect(set, *kOther);
  if (both.ok()) (void)both->IsUnsatisfiable();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<relkit::Specifier> spec = relkit::Specifier::Parse(text);
  if (spec.ok()) {
    const std::string printed = spec->ToString();
    absl::StatusOr<relkit::Specifier> again = relkit::Specifier::Parse(printed);
    Check(again.ok());
    Check(*again == *spec);
    Check(again->ToString() == printed);
    Check(absl::HashOf(*again) == absl::HashOf(*spec));
    Check(again->prereleases() == spec->prereleases());
    ExerciseSpecifier(*spec);
  }

  absl::StatusOr<relkit::SpecifierSet> set = relkit::SpecifierSet::Parse(text);
  if (set.ok()) {
    const std::string printed = set->ToString();
    absl::StatusOr<relkit::SpecifierSet> again =
        relkit::SpecifierSet::Parse(printed);
    Check(again.ok());
    Check(*again == *set);
    Check(again->ToString() == printed);
    Check(absl::HashOf(*again) == absl::HashOf(*set));
    Check(again->IsUnsatisfiable() == set->IsUnsatisfiable());
    for (const relkit::Version& v : Probes()) {
      Check(again->Contains(v) == set->Contains(v));
    }
    ExerciseSet(*set);
  }
  return 0;
}
