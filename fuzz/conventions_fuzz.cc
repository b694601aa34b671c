// libFuzzer target for relkit/conventions.h: RC tags, release branches,
// accelerator labels, nightly dates and version bumps. Checks round trips
// (parse -> format -> parse) and the ordering promises of the bumps;
// abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/conventions.h"
#include "relkit/version.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckRcTag(absl::string_view input) {
  absl::StatusOr<relkit::RcTag> strict = relkit::RcTag::Parse(input);
  absl::StatusOr<relkit::RcTag> lenient =
      relkit::RcTag::Parse(input, {.allow_two_component_release = true});
  if (strict.ok()) Check(lenient.ok() && *lenient == *strict);
  if (!lenient.ok()) return;
  // The grammar is strict, so formatting gives back the exact input.
  Check(lenient->ToString() == input);
  Check(lenient->final_version() == lenient->Final().version());
  Check(lenient->is_rc() == lenient->version().is_prerelease());
  if (lenient->is_rc()) Check(lenient->version() < lenient->final_version());
  Check(*lenient <= lenient->Final());
  absl::StatusOr<relkit::RcTag> from =
      relkit::RcTag::FromVersion(lenient->version());
  Check(from.ok());
  Check(from->version() == lenient->version());
  if (strict.ok()) {
    Check(*from == *strict);
    Check(absl::HashOf(*from) == absl::HashOf(*strict));
  }
}

void CheckBranch(absl::string_view input) {
  absl::StatusOr<relkit::ReleaseBranch> branch =
      relkit::ReleaseBranch::Parse(input);
  if (!branch.ok()) return;
  Check(branch->ToString() == input);
  Check(branch->Orig().is_orig() && !branch->Release().is_orig());
  absl::StatusOr<relkit::ReleaseBranch> orig =
      relkit::ReleaseBranch::Parse(branch->Orig().ToString());
  Check(orig.ok() && *orig == branch->Orig());
  Check(branch->Release() < branch->Orig());
}

void CheckAccelerator(absl::string_view input) {
  absl::StatusOr<relkit::Accelerator> acc = relkit::Accelerator::Parse(input);
  if (!acc.ok()) return;
  const std::string label = acc->ToString();
  absl::StatusOr<relkit::Accelerator> again = relkit::Accelerator::Parse(label);
  Check(again.ok() && *again == *acc);
  Check(absl::HashOf(*again) == absl::HashOf(*acc));
  Check(again->ToString() == label);
  // As a version's local label.
  absl::StatusOr<relkit::Version> version =
      relkit::WithAccelerator(relkit::Version(), *acc);
  Check(version.ok());
  Check(version->local() == label);
  absl::StatusOr<std::optional<relkit::Accelerator>> from =
      relkit::Accelerator::FromVersion(*version);
  Check(from.ok() && from->has_value() && **from == *acc);
  if (acc->kind() == relkit::AcceleratorKind::kCuda && acc->variant().empty()) {
    absl::StatusOr<std::string> dotted = relkit::CudaDottedForm(label);
    Check(dotted.ok() && *dotted == acc->VersionString());
    absl::StatusOr<std::string> short_form = relkit::CudaShortForm(*dotted);
    Check(short_form.ok() && *short_form == label);
  }
  if (acc->kind() == relkit::AcceleratorKind::kRocm && acc->variant().empty()) {
    absl::StatusOr<relkit::Accelerator> rocm =
        relkit::Accelerator::Rocm(acc->VersionString());
    Check(rocm.ok() && *rocm == *acc);
  }
}

void CheckVersion(absl::string_view input) {
  absl::StatusOr<relkit::Version> version = relkit::Version::Parse(input);
  if (!version.ok()) return;
  std::optional<absl::CivilDay> day = relkit::NightlyDate(*version);
  if (day.has_value()) {
    absl::StatusOr<relkit::Version> nightly =
        relkit::MakeNightlyVersion(*version, *day);
    Check(nightly.ok());
    Check(relkit::NightlyDate(*nightly) == day);
  }
  absl::StatusOr<relkit::Version> minor = relkit::NextMinor(*version);
  if (minor.ok()) Check(*minor > *version && !minor->is_prerelease());
  absl::StatusOr<relkit::Version> patch = relkit::NextPatch(*version);
  if (patch.ok()) {
    Check(*patch > *version);
    if (minor.ok()) Check(*patch < *minor);
  }
  absl::StatusOr<relkit::Version> main = relkit::NextMainVersion(*version);
  if (main.ok()) Check(minor.ok() && *main < *minor && main->is_prerelease());
  absl::StatusOr<relkit::RcTag> tag = relkit::RcTag::FromVersion(*version);
  if (tag.ok()) {
    Check(tag->version() == *version);
    absl::StatusOr<relkit::RcTag> parsed =
        relkit::RcTag::Parse(tag->ToString());
    Check(parsed.ok() && *parsed == *tag);
  }
  absl::StatusOr<relkit::ReleaseBranch> branch =
      relkit::ReleaseBranch::ForVersion(*version);
  if (branch.ok()) Check(branch->Contains(*version));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  CheckRcTag(input);
  CheckBranch(input);
  CheckAccelerator(input);
  CheckVersion(input);
  return 0;
}
