// libFuzzer target for relkit/wheel_metadata.h: METADATA parsed and edited,
// RECORD parsed and formatted. Every parser returns a value or
// InvalidArgument, never crashes; an edit of metadata that parses gives
// metadata that parses with the new version; RECORD survives a round trip
// through FormatRecord.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/wheel_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<relkit::CoreMetadata> m =
      relkit::CoreMetadata::Parse(input, "METADATA");
  if (!m.ok() && m.status().code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
  const std::vector<std::string> remove = {
      "Programming Language :: Python :: 3.15"};
  absl::StatusOr<std::string> edited =
      relkit::EditCoreMetadata(input, "METADATA", "1.0", remove);
  if (edited.ok() != (m.ok() && m->Get("Version").has_value())) std::abort();
  if (edited.ok()) {
    absl::StatusOr<relkit::CoreMetadata> again =
        relkit::CoreMetadata::Parse(*edited, "edited");
    if (!again.ok() || again->Get("Version") != "1.0") std::abort();
    if (again->body() != m->body()) std::abort();
    for (const std::string& c : again->GetAll("Classifier")) {
      if (c == remove[0]) std::abort();
    }
  }

  absl::StatusOr<std::vector<relkit::RecordEntry>> r =
      relkit::ParseRecord(input, "RECORD");
  if (!r.ok()) {
    if (r.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  const std::string formatted = relkit::FormatRecord(*r);
  absl::StatusOr<std::vector<relkit::RecordEntry>> back =
      relkit::ParseRecord(formatted, "formatted");
  if (!back.ok() || *back != *r) std::abort();
  return 0;
}
