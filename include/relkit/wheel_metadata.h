// File: relkit/wheel_metadata.h
// -----------------------------------------------------------------------------
//
// The text files inside a wheel's `.dist-info` folder as values: core
// metadata (`METADATA`, the email-header format of the core metadata spec)
// and `RECORD` (PEP 376/627 CSV of path, hash, size). Pure parsing and
// formatting; reading and writing the zip is relkit/wheel_archive.h.
//
//   absl::StatusOr<relkit::CoreMetadata> m =
//       relkit::CoreMetadata::Parse(text, "torch-2.4.0.dist-info/METADATA");
//   m->Get("Version");               // "2.4.0+cu121"
//   m->GetAll("Requires-Dist");      // {"filelock", "sympy", ...}
//
//   absl::StatusOr<std::vector<relkit::RecordEntry>> r =
//       relkit::ParseRecord(text, "torch-2.4.0.dist-info/RECORD");
//   relkit::FormatRecord(*r);        // CSV as Python's csv module writes it
//
// Parse errors are InvalidArgument naming the source, the line and the
// reason.

#ifndef RELKIT_WHEEL_METADATA_H_
#define RELKIT_WHEEL_METADATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace relkit {

// Core metadata: header fields in file order (continuation lines unfolded)
// and the body (the long description after the blank line), kept verbatim
// so that an edit changes only what it means to change.
class CoreMetadata {
 public:
  struct Field {
    std::string name;   // as written ("Requires-Dist")
    std::string value;  // without the separator's leading space
    friend bool operator==(const Field&, const Field&) = default;
  };

  static absl::StatusOr<CoreMetadata> Parse(absl::string_view text,
                                            absl::string_view source);

  const std::vector<Field>& fields() const { return fields_; }
  const std::string& body() const { return body_; }

  // The first value of the field `name` (ASCII case-insensitive), or nullopt.
  std::optional<std::string> Get(absl::string_view name) const;
  // Every value of the field `name`, in file order.
  std::vector<std::string> GetAll(absl::string_view name) const;

  friend bool operator==(const CoreMetadata&, const CoreMetadata&) = default;

 private:
  std::vector<Field> fields_;
  std::string body_;
};

// Returns `text` (a METADATA file) with the `Version:` field's value set to
// `version` and every `Classifier:` line whose value is in `remove_classifiers`
// dropped; every other byte is kept. InvalidArgument naming `source` when
// there is no `Version:` field.
absl::StatusOr<std::string> EditCoreMetadata(
    absl::string_view text, absl::string_view source, absl::string_view version,
    absl::Span<const std::string> remove_classifiers);

// One row of RECORD.
struct RecordEntry {
  std::string path;
  // "sha256=<urlsafe base64 without padding>", or empty (RECORD's own row,
  // signatures).
  std::string hash;
  std::optional<uint64_t> size;
  friend bool operator==(const RecordEntry&, const RecordEntry&) = default;
};

absl::StatusOr<std::vector<RecordEntry>> ParseRecord(absl::string_view text,
                                                     absl::string_view source);
// Formats rows as Python's csv writer does (quoting a field that holds `,`,
// `"` or a line break), one row per line, `\n` line ends.
std::string FormatRecord(absl::Span<const RecordEntry> entries);

// Returns "sha256=" + urlsafe base64 (no padding) of a 32-byte raw digest.
std::string RecordHashFromDigest(absl::string_view raw_digest);

}  // namespace relkit

#endif  // RELKIT_WHEEL_METADATA_H_
