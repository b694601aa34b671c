#include "relkit/artifact_name.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "relkit/wheel.h"

namespace relkit {
namespace {

constexpr absl::string_view kLibtorchPrefix = "libtorch-";
constexpr absl::string_view kZip = ".zip";
constexpr absl::string_view kMetadata = ".metadata";

absl::Status Malformed(absl::string_view file_name, size_t position,
                       absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("artifact name \"", absl::CHexEscape(file_name),
                   "\": at byte ", position, ": ", reason));
}

// Channels hold keys written by tools that URL-encode the `+` of a local
// version; both spellings name the same file.
std::string DecodePlus(absl::string_view name) {
  return absl::StrReplaceAll(name, {{"%2B", "+"}, {"%2b", "+"}});
}

// A variant word of a libtorch zip: lower-case letters, digits, `_`.
bool IsVariantWord(absl::string_view word) {
  if (word.empty()) return false;
  for (char c : word) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<ArtifactName> ParseLibtorch(absl::string_view file_name,
                                           absl::string_view decoded) {
  ArtifactName out;
  out.file_name = std::string(file_name);
  out.package = "libtorch";
  absl::string_view rest = decoded.substr(kLibtorchPrefix.size());
  rest.remove_suffix(kZip.size());
  const size_t dash = rest.rfind('-');
  if (dash == absl::string_view::npos || dash == 0) {
    return Malformed(file_name, kLibtorchPrefix.size(),
                     "expected libtorch-<variant>-<version>.zip");
  }
  const absl::string_view variant = rest.substr(0, dash);
  const absl::string_view version = rest.substr(dash + 1);
  size_t at = kLibtorchPrefix.size();
  for (absl::string_view word : absl::StrSplit(variant, '-')) {
    if (!IsVariantWord(word)) {
      return Malformed(file_name, at,
                       "a libtorch variant is lower-case words joined by '-'");
    }
    at += word.size() + 1;
  }
  out.variant = std::string(variant);
  if (version == "latest") {
    out.kind = ArtifactKind::kLibtorchLatest;
    return out;
  }
  // Only the normal spelling: a version starts with a digit (no `v`, no
  // epoch games in a channel's file names).
  if (version.empty() || !absl::ascii_isdigit(version.front())) {
    return Malformed(file_name, kLibtorchPrefix.size() + dash + 1,
                     "expected a version or \"latest\" after the variant");
  }
  absl::StatusOr<Version> parsed = Version::Parse(version);
  if (!parsed.ok()) {
    return Malformed(file_name, kLibtorchPrefix.size() + dash + 1,
                     parsed.status().message());
  }
  out.kind = ArtifactKind::kLibtorch;
  out.version = *std::move(parsed);
  out.accelerator = out.version->local().value_or("");
  return out;
}

}  // namespace

absl::string_view ArtifactKindName(ArtifactKind kind) {
  switch (kind) {
    case ArtifactKind::kWheel:
      return "wheel";
    case ArtifactKind::kWheelMetadata:
      return "wheel-metadata";
    case ArtifactKind::kSdist:
      return "sdist";
    case ArtifactKind::kLibtorch:
      return "libtorch";
    case ArtifactKind::kLibtorchLatest:
      return "libtorch-latest";
    case ArtifactKind::kIndexPage:
      return "index-page";
    case ArtifactKind::kOther:
      return "other";
  }
  return "other";
}

bool ArtifactName::BelongsTo(absl::string_view wanted_package,
                             const Version& wanted_version) const {
  if (!version.has_value() || package.empty()) return false;
  switch (kind) {
    case ArtifactKind::kWheel:
    case ArtifactKind::kWheelMetadata:
    case ArtifactKind::kSdist:
    case ArtifactKind::kLibtorch:
      break;
    default:
      return false;
  }
  return package == CanonicalizeName(wanted_package) &&
         version->WithoutLocal() == wanted_version.WithoutLocal();
}

absl::StatusOr<ArtifactName> ParseArtifactName(absl::string_view file_name) {
  if (const size_t bad = file_name.find_first_of(absl::string_view("/\0", 2));
      bad != absl::string_view::npos) {
    return Malformed(file_name, bad, "a file name has no '/' or NUL byte");
  }
  ArtifactName out;
  out.file_name = std::string(file_name);
  if (file_name == "index.html") {
    out.kind = ArtifactKind::kIndexPage;
    return out;
  }
  const std::string decoded = DecodePlus(file_name);
  absl::string_view name = decoded;
  ArtifactKind kind = ArtifactKind::kWheel;
  if (absl::EndsWith(name, ".whl.metadata")) {
    name.remove_suffix(kMetadata.size());
    kind = ArtifactKind::kWheelMetadata;
  }
  if (absl::EndsWith(name, ".whl")) {
    absl::StatusOr<WheelFilename> wheel = WheelFilename::Parse(name);
    if (!wheel.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("artifact name \"", absl::CHexEscape(file_name),
                       "\": ", wheel.status().message()));
    }
    out.kind = kind;
    out.package = wheel->name();
    out.version = wheel->version();
    out.accelerator = wheel->version().local().value_or("");
    return out;
  }
  if (absl::StartsWith(name, kLibtorchPrefix) && absl::EndsWith(name, kZip) &&
      name.size() > kLibtorchPrefix.size() + kZip.size()) {
    return ParseLibtorch(file_name, name);
  }
  if (absl::EndsWith(name, ".tar.gz")) {
    absl::StatusOr<SdistFilename> sdist = SdistFilename::Parse(name);
    if (!sdist.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("artifact name \"", absl::CHexEscape(file_name),
                       "\": ", sdist.status().message()));
    }
    out.kind = ArtifactKind::kSdist;
    out.package = sdist->name();
    out.version = sdist->version();
    out.accelerator = sdist->version().local().value_or("");
    return out;
  }
  out.kind = ArtifactKind::kOther;
  return out;
}

absl::string_view KeyBaseName(absl::string_view key) {
  const size_t slash = key.rfind('/');
  return slash == absl::string_view::npos ? key : key.substr(slash + 1);
}

ArtifactSelection SelectArtifacts(absl::Span<const std::string> keys,
                                  absl::string_view package,
                                  const Version& version) {
  ArtifactSelection out;
  for (const std::string& key : keys) {
    absl::StatusOr<ArtifactName> name = ParseArtifactName(KeyBaseName(key));
    if (!name.ok()) {
      out.unreadable.push_back({key, std::string(name.status().message())});
      continue;
    }
    if (!name->BelongsTo(package, version)) continue;
    out.keys.push_back(key);
    out.names.push_back(*std::move(name));
  }
  return out;
}

}  // namespace relkit
