// libFuzzer target for relkit/artifact_name.h: the channel file-name parser
// and selection. Checks that a parsed versioned artifact is selected for its
// own package and version (and for no other version), that kinds without a
// version are never selected, and that a name with '/' is refused; abort()s
// on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/artifact_name.h"
#include "relkit/version.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::ArtifactName> name = relkit::ParseArtifactName(input);
  if (input.find('/') != absl::string_view::npos) Check(!name.ok());
  if (!name.ok()) return 0;
  Check(name->file_name == input);
  (void)relkit::ArtifactKindName(name->kind);
  const std::vector<std::string> keys = {"channel/folder/" +
                                         std::string(input)};
  if (!name->version.has_value()) {
    Check(name->package.empty() ||
          name->kind == relkit::ArtifactKind::kLibtorchLatest);
    return 0;
  }
  Check(!name->package.empty());
  Check(name->accelerator == name->version->local().value_or(""));
  relkit::ArtifactSelection own =
      relkit::SelectArtifacts(keys, name->package, *name->version);
  Check(own.keys.size() == 1 && own.names.front() == *name);
  Check(own.unreadable.empty());
  // Any other public version selects nothing.
  relkit::VersionParts parts;
  parts.release = {name->version->major() + 1};
  absl::StatusOr<relkit::Version> other = relkit::Version::FromParts(parts);
  Check(other.ok());
  Check(relkit::SelectArtifacts(keys, name->package, *other).keys.empty());
  Check(relkit::SelectArtifacts(keys, name->package + "x", *name->version)
            .keys.empty());
  return 0;
}
