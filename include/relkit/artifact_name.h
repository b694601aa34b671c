// File: relkit/artifact_name.h
// -----------------------------------------------------------------------------
//
// The file names that PyTorch's download channels (download.pytorch.org,
// `s3://pytorch/whl[/test]/<acc>/` and `s3://pytorch/libtorch[/test]/<acc>/`)
// hold, parsed into kind, canonical package name and version, and the
// selection of one package version's files by comparing those exactly.
//
//   absl::StatusOr<relkit::ArtifactName> a = relkit::ParseArtifactName(
//       "libtorch-cxx11-abi-shared-with-deps-2.4.1%2Bcu121.zip");
//   a->kind;                      // ArtifactKind::kLibtorch
//   a->package;                   // "libtorch"
//   a->variant;                   // "cxx11-abi-shared-with-deps"
//   a->version->ToString();       // "2.4.1+cu121"
//   a->accelerator;               // "cu121"
//
//   relkit::ArtifactSelection s = relkit::SelectArtifacts(
//       keys, "torch", *relkit::Version::Parse("2.4.1"));
//   s.selected;   // torch 2.4.1 wheels (any +local), never torch-2.4.10,
//                 // executorch-2.4.1 or pytorch_triton-2.4.1
//
// Why not the glob: `promote.sh` copies `--include "*<name>-<version>*"`,
// which matches `torch-2.4.10-...` when promoting torch 2.4.1,
// `executorch-1.0.0-...` when promoting torch 1.0.0 and
// `pytorch_triton-3.1.0-...` when promoting triton 3.1.0. Here a file belongs
// to a package version only when its parsed canonical name equals the
// package's and its public version (without `+local`) equals the version
// under PEP 440.
//
// The kinds:
//   kWheel          `{name}-{version}[-{build}]-{py}-{abi}-{plat}.whl`
//                   (relkit/wheel.h's parser)
//   kWheelMetadata  the same name + `.metadata` (PEP 658 sidecar)
//   kSdist          `{name}-{version}.tar.gz`
//   kLibtorch       `libtorch-{variant}-{version}[+{acc}].zip`, variants
//                   `shared-with-deps`, `cxx11-abi-shared-with-deps`,
//                   `win-shared-with-deps[-debug]`, `macos-arm64`, ...
//   kLibtorchLatest `libtorch-{variant}-latest.zip`: a moving pointer with no
//                   version, never selected for a version
//   kIndexPage      `index.html` (a PEP 503 page, regenerated, not copied)
//   kOther          anything else (never selected)
// `%2B` in a name is read as `+` (keys written by tools that URL-encode).

#ifndef RELKIT_ARTIFACT_NAME_H_
#define RELKIT_ARTIFACT_NAME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/version.h"

namespace relkit {

enum class ArtifactKind : uint8_t {
  kWheel,
  kWheelMetadata,
  kSdist,
  kLibtorch,
  kLibtorchLatest,
  kIndexPage,
  kOther,
};

// Returns "wheel", "wheel-metadata", "sdist", "libtorch", "libtorch-latest",
// "index-page" or "other".
absl::string_view ArtifactKindName(ArtifactKind kind);

// A parsed artifact file name.
struct ArtifactName {
  ArtifactKind kind = ArtifactKind::kOther;
  // The file name as given (base name, `%2B` not decoded).
  std::string file_name;
  // Canonical package name ("pytorch-triton"; "libtorch" for libtorch zips);
  // empty for index pages and other files.
  std::string package;
  // The version, with its local label; nullopt for latest zips, index pages
  // and other files.
  std::optional<Version> version;
  // The local label of the version ("cu121", "cpu", "rocm6.1"), or empty.
  std::string accelerator;
  // For libtorch zips: the variant between `libtorch-` and the version
  // ("win-shared-with-deps-debug"); empty otherwise.
  std::string variant;

  // Returns true when this file belongs to `package` (canonicalised) at
  // `version`: same canonical name, same public version (PEP 440 equality,
  // the local label ignored). Latest zips, index pages and others never do.
  bool BelongsTo(absl::string_view package, const Version& version) const;

  friend bool operator==(const ArtifactName&, const ArtifactName&) = default;
};

// Parses a file name (a base name, no `/`). Returns kOther for a name of no
// known kind, and InvalidArgument naming the file name, the byte position
// and the reason for a name that has a kind's form but is malformed (a
// `.whl` that is not a valid wheel name, a `libtorch-*.zip` without a valid
// version, a name containing `/` or a NUL byte).
absl::StatusOr<ArtifactName> ParseArtifactName(absl::string_view file_name);

// Returns the base name of an object key ("whl/test/cu121/x.whl" -> "x.whl").
absl::string_view KeyBaseName(absl::string_view key);

// One key that is not selected because its name could not be read.
struct UnreadableKey {
  std::string key;
  std::string reason;

  friend bool operator==(const UnreadableKey&, const UnreadableKey&) = default;
};

// The result of selecting one package version's files from a listing.
struct ArtifactSelection {
  // The keys selected, in listing order, with their parsed names.
  std::vector<std::string> keys;
  std::vector<ArtifactName> names;
  // Keys that look like artifacts but did not parse: never selected, shown
  // so that a plan can say why a file was left behind.
  std::vector<UnreadableKey> unreadable;
};

// Selects, from `keys` (object keys, any folders), the files of `package`
// at `version`: wheels, their `.metadata` sidecars, sdists and, for package
// "libtorch", libtorch zips; see ArtifactName::BelongsTo. `version` should
// be a public version: a local label in it is ignored.
ArtifactSelection SelectArtifacts(absl::Span<const std::string> keys,
                                  absl::string_view package,
                                  const Version& version);

}  // namespace relkit

#endif  // RELKIT_ARTIFACT_NAME_H_
