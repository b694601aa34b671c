#include "relkit/conventions.h"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "relkit/status.h"
#include "relkit/version.h"

namespace relkit {
namespace {

constexpr uint64_t kMaxUint64 = std::numeric_limits<uint64_t>::max();

bool IsDigit(char c) {
  return absl::ascii_isdigit(static_cast<unsigned char>(c));
}

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

// A cursor over a string for the small strict grammars below; every error
// names the whole input and the byte position.
class Scanner {
 public:
  Scanner(absl::string_view what, absl::string_view text)
      : what_(what), text_(text) {}

  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ == text_.size(); }
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  // Consumes `literal` if the input continues with it.
  bool Consume(absl::string_view literal) {
    if (!absl::StartsWith(text_.substr(pos_), literal)) return false;
    pos_ += literal.size();
    return true;
  }

  absl::Status Expect(absl::string_view literal) {
    if (Consume(literal)) return absl::OkStatus();
    return Error(absl::StrCat("expected ", Quote(literal)));
  }

  // Reads a decimal number without leading zeros that fits in 64 bits.
  absl::StatusOr<uint64_t> Number(absl::string_view name) {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    if (pos_ == start) {
      return Error(absl::StrCat("expected ", name, " (a decimal number)"));
    }
    if (text_[start] == '0' && pos_ - start > 1) {
      return ErrorAt(start, absl::StrCat(name, " has a leading zero"));
    }
    uint64_t value = 0;
    auto [ptr, ec] =
        std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (ec != std::errc() || ptr != text_.data() + pos_) {
      return ErrorAt(start, absl::StrCat(name, " is out of range"));
    }
    return value;
  }

  absl::Status Error(absl::string_view reason) const {
    return ErrorAt(pos_, reason);
  }
  absl::Status ErrorAt(size_t position, absl::string_view reason) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("invalid %s %s: %s (position %d)", what_, Quote(text_),
                        reason, position));
  }

 private:
  absl::string_view what_;
  absl::string_view text_;
  size_t pos_ = 0;
};

absl::Status CheckNoEpoch(const Version& version, absl::string_view what) {
  if (version.epoch() == 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("version %s has an epoch; %s has no form for it",
                      version.ToString(), what));
}

absl::StatusOr<uint64_t> Increment(uint64_t value, const Version& version) {
  if (value == kMaxUint64) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "cannot bump version %s: a release number would overflow",
        version.ToString()));
  }
  return value + 1;
}

absl::StatusOr<Version> ReleaseVersion(std::vector<uint64_t> release,
                                       std::optional<PreRelease> pre = {}) {
  VersionParts parts;
  parts.release = std::move(release);
  parts.pre = pre;
  return Version::FromParts(parts);
}

}  // namespace

// -----------------------------------------------------------------------------
// RcTag

absl::StatusOr<RcTag> RcTag::Make(uint64_t major, uint64_t minor,
                                  uint64_t patch, std::optional<uint64_t> rc,
                                  bool two_components) {
  RcTag tag;
  tag.major_ = major;
  tag.minor_ = minor;
  tag.patch_ = patch;
  tag.rc_ = rc;
  tag.two_components_ = two_components;
  std::vector<uint64_t> release = {major, minor};
  if (!two_components) release.push_back(patch);
  std::optional<PreRelease> pre;
  if (rc.has_value()) {
    pre = PreRelease{.kind = PreReleaseKind::kReleaseCandidate, .number = *rc};
  }
  RELKIT_ASSIGN_OR_RETURN(tag.version_, ReleaseVersion(release, pre));
  RELKIT_ASSIGN_OR_RETURN(tag.final_version_, ReleaseVersion(release));
  return tag;
}

absl::StatusOr<RcTag> RcTag::Parse(absl::string_view tag,
                                   const RcTagOptions& options) {
  Scanner s("RC tag", tag);
  RELKIT_RETURN_IF_ERROR(s.Expect("v"));
  RELKIT_ASSIGN_OR_RETURN(uint64_t major, s.Number("major version"));
  RELKIT_RETURN_IF_ERROR(s.Expect("."));
  RELKIT_ASSIGN_OR_RETURN(uint64_t minor, s.Number("minor version"));
  uint64_t patch = 0;
  bool two_components = true;
  if (s.Consume(".")) {
    RELKIT_ASSIGN_OR_RETURN(patch, s.Number("patch version"));
    two_components = false;
  } else if (!options.allow_two_component_release) {
    return s.Error("expected \".\" and a patch version (vX.Y.Z)");
  }
  std::optional<uint64_t> rc;
  if (!s.AtEnd()) {
    if (!s.Consume("-rc")) {
      return s.Error(two_components ? "expected \".\" or \"-rc\" or the end"
                                    : "expected \"-rc\" or the end");
    }
    RELKIT_ASSIGN_OR_RETURN(rc, s.Number("RC number"));
    if (!s.AtEnd()) return s.Error("unexpected text after the RC number");
  }
  return Make(major, minor, patch, rc, two_components);
}

absl::StatusOr<RcTag> RcTag::FromVersion(const Version& version) {
  RELKIT_RETURN_IF_ERROR(CheckNoEpoch(version, "a release tag"));
  const std::string text = version.ToString();
  if (version.dev().has_value() || version.post().has_value() ||
      version.local().has_value()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "version %s has no release tag: only X.Y.Z and X.Y.ZrcN do", text));
  }
  if (version.pre().has_value() &&
      version.pre()->kind != PreReleaseKind::kReleaseCandidate) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "version %s has no release tag: alpha and beta versions are not "
        "tagged, only X.Y.ZrcN",
        text));
  }
  absl::Span<const uint64_t> release = version.release();
  for (size_t i = 3; i < release.size(); ++i) {
    if (release[i] != 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "version %s has no release tag: more than three release numbers",
          text));
    }
  }
  std::optional<uint64_t> rc;
  if (version.pre().has_value()) rc = version.pre()->number;
  return Make(version.major(), version.minor(), version.micro(), rc,
              /*two_components=*/false);
}

RcTag RcTag::Final() const {
  RcTag out = *this;
  out.rc_.reset();
  out.version_ = final_version_;
  return out;
}

std::string RcTag::ToString() const {
  std::string out = absl::StrCat("v", major_, ".", minor_);
  if (!two_components_) absl::StrAppend(&out, ".", patch_);
  if (rc_.has_value()) absl::StrAppend(&out, "-rc", *rc_);
  return out;
}

// -----------------------------------------------------------------------------
// ReleaseBranch

absl::StatusOr<ReleaseBranch> ReleaseBranch::Parse(absl::string_view branch) {
  Scanner s("release branch", branch);
  ReleaseBranch out;
  out.orig_ = s.Consume("orig/");
  RELKIT_RETURN_IF_ERROR(s.Expect("release/"));
  RELKIT_ASSIGN_OR_RETURN(out.major_, s.Number("major version"));
  RELKIT_RETURN_IF_ERROR(s.Expect("."));
  RELKIT_ASSIGN_OR_RETURN(out.minor_, s.Number("minor version"));
  if (!s.AtEnd()) {
    return s.Error("expected the end after release/MAJOR.MINOR");
  }
  return out;
}

absl::StatusOr<ReleaseBranch> ReleaseBranch::ForVersion(
    const Version& version) {
  RELKIT_RETURN_IF_ERROR(CheckNoEpoch(version, "a release branch"));
  ReleaseBranch out;
  out.major_ = version.major();
  out.minor_ = version.minor();
  return out;
}

ReleaseBranch ReleaseBranch::Release() const {
  ReleaseBranch out = *this;
  out.orig_ = false;
  return out;
}

ReleaseBranch ReleaseBranch::Orig() const {
  ReleaseBranch out = *this;
  out.orig_ = true;
  return out;
}

bool ReleaseBranch::Contains(const Version& version) const {
  return version.epoch() == 0 && version.major() == major_ &&
         version.minor() == minor_;
}

std::string ReleaseBranch::ToString() const {
  return absl::StrCat(orig_ ? "orig/" : "", "release/", major_, ".", minor_);
}

// -----------------------------------------------------------------------------
// Nightly versions

std::optional<absl::CivilDay> NightlyDate(const Version& version) {
  if (!version.dev().has_value()) return std::nullopt;
  const uint64_t dev = *version.dev();
  const uint64_t year = dev / 10000;
  const uint64_t month = dev / 100 % 100;
  const uint64_t day = dev % 100;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > 31) {
    return std::nullopt;
  }
  // CivilDay normalises 2024-02-30 to 2024-03-01; a changed field means the
  // date does not exist.
  const absl::CivilDay date(static_cast<absl::civil_year_t>(year),
                            static_cast<int>(month), static_cast<int>(day));
  if (date.month() != static_cast<int>(month) ||
      date.day() != static_cast<int>(day)) {
    return std::nullopt;
  }
  return date;
}

absl::StatusOr<Version> MakeNightlyVersion(const Version& base,
                                           absl::CivilDay day) {
  if (day.year() < 1000 || day.year() > 9999) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "nightly date %s has no YYYYMMDD form", absl::FormatCivilTime(day)));
  }
  VersionParts parts;
  parts.epoch = base.epoch();
  parts.release.assign(base.release().begin(), base.release().end());
  parts.dev = static_cast<uint64_t>(day.year()) * 10000 +
              static_cast<uint64_t>(day.month()) * 100 +
              static_cast<uint64_t>(day.day());
  parts.local = base.local();
  return Version::FromParts(parts);
}

// -----------------------------------------------------------------------------
// Accelerator

absl::string_view AcceleratorKindName(AcceleratorKind kind) {
  switch (kind) {
    case AcceleratorKind::kCpu:
      return "cpu";
    case AcceleratorKind::kCuda:
      return "cuda";
    case AcceleratorKind::kRocm:
      return "rocm";
    case AcceleratorKind::kXpu:
      return "xpu";
  }
  return "unknown";
}

namespace {

struct Segment {
  std::string text;  // lower-cased; numeric segments without leading zeros
  size_t position;   // in the input, for errors
  bool numeric;
};

// Splits a PEP 440 local label into normalised segments.
absl::StatusOr<std::vector<Segment>> SplitLocalLabel(const Scanner& s,
                                                     absl::string_view label,
                                                     size_t offset) {
  if (label.empty()) return s.ErrorAt(offset, "empty label");
  std::vector<Segment> segments;
  size_t start = 0;
  for (size_t i = 0; i <= label.size(); ++i) {
    const bool end = i == label.size();
    const char c = end ? '.' : label[i];
    if (c == '.' || c == '-' || c == '_') {
      if (i == start) {
        return s.ErrorAt(offset + i, end ? "label ends with a separator"
                                         : "empty label segment");
      }
      std::string text = absl::AsciiStrToLower(label.substr(start, i - start));
      bool numeric = true;
      for (char d : text) numeric = numeric && IsDigit(d);
      if (numeric) {
        const size_t nonzero = text.find_first_not_of('0');
        text = nonzero == std::string::npos ? "0" : text.substr(nonzero);
      }
      segments.push_back(Segment{.text = std::move(text),
                                 .position = offset + start,
                                 .numeric = numeric});
      start = i + 1;
    } else if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      return s.ErrorAt(offset + i,
                       "a local label is ASCII letters, digits and separators");
    }
  }
  return segments;
}

// Parses a decimal number without leading zeros from a whole segment part.
bool ParseStrictNumber(absl::string_view digits, uint64_t* out) {
  if (digits.empty() || (digits[0] == '0' && digits.size() > 1)) return false;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
  }
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

absl::StatusOr<Accelerator> Accelerator::Parse(absl::string_view label) {
  Scanner s("accelerator label", label);
  const size_t offset = absl::StartsWith(label, "+") ? 1 : 0;
  RELKIT_ASSIGN_OR_RETURN(std::vector<Segment> segments,
                          SplitLocalLabel(s, label.substr(offset), offset));
  Accelerator out;
  const Segment& head = segments[0];
  const absl::string_view text = head.text;
  size_t next = 1;
  if (text == "cpu") {
    out.kind_ = AcceleratorKind::kCpu;
  } else if (text == "xpu") {
    out.kind_ = AcceleratorKind::kXpu;
  } else if (absl::StartsWith(text, "rocm")) {
    out.kind_ = AcceleratorKind::kRocm;
    uint64_t number = 0;
    if (!ParseStrictNumber(text.substr(4), &number)) {
      return s.ErrorAt(head.position + 4,
                       "expected a ROCm version number after \"rocm\" "
                       "(no leading zero)");
    }
    out.version_.push_back(number);
    for (; next < segments.size() && segments[next].numeric; ++next) {
      if (!ParseStrictNumber(segments[next].text, &number)) {
        return s.ErrorAt(segments[next].position,
                         "ROCm version number is out of range");
      }
      out.version_.push_back(number);
    }
  } else if (absl::StartsWith(text, "cu")) {
    out.kind_ = AcceleratorKind::kCuda;
    const absl::string_view digits = text.substr(2);
    uint64_t major = 0;
    if (digits.size() < 2 || digits[0] == '0' ||
        !ParseStrictNumber(digits.substr(0, digits.size() - 1), &major) ||
        !IsDigit(digits.back())) {
      return s.ErrorAt(head.position + 2,
                       "expected CUDA MAJOR and MINOR digits after \"cu\" "
                       "(cu121 is CUDA 12.1)");
    }
    out.version_ = {major, static_cast<uint64_t>(digits.back() - '0')};
  } else {
    return s.ErrorAt(
        head.position,
        "unknown accelerator: expected cpu, cuNNN, rocmX.Y or xpu");
  }
  std::vector<absl::string_view> variant;
  for (; next < segments.size(); ++next) variant.push_back(segments[next].text);
  out.variant_ = absl::StrJoin(variant, ".");
  return out;
}

absl::StatusOr<std::optional<Accelerator>> Accelerator::FromVersion(
    const Version& version) {
  if (!version.local().has_value()) return std::nullopt;
  absl::StatusOr<Accelerator> accelerator = Parse(*version.local());
  if (!accelerator.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("version %s has no accelerator label: %s",
                        version.ToString(), accelerator.status().message()));
  }
  return *std::move(accelerator);
}

Accelerator Accelerator::Cpu() { return Accelerator(); }

Accelerator Accelerator::Xpu() {
  Accelerator out;
  out.kind_ = AcceleratorKind::kXpu;
  return out;
}

absl::StatusOr<Accelerator> Accelerator::Cuda(
    absl::string_view dotted_version) {
  Scanner s("CUDA version", dotted_version);
  RELKIT_ASSIGN_OR_RETURN(uint64_t major, s.Number("major version"));
  if (major == 0) return s.ErrorAt(0, "CUDA major version 0 has no short form");
  RELKIT_RETURN_IF_ERROR(s.Expect("."));
  const size_t minor_at = s.pos();
  RELKIT_ASSIGN_OR_RETURN(uint64_t minor, s.Number("minor version"));
  if (minor > 9) {
    return s.ErrorAt(minor_at,
                     "the short form cuNNN has room for a one-digit minor "
                     "version only");
  }
  if (!s.AtEnd()) return s.Error("expected the end after MAJOR.MINOR");
  Accelerator out;
  out.kind_ = AcceleratorKind::kCuda;
  out.version_ = {major, minor};
  return out;
}

absl::StatusOr<Accelerator> Accelerator::Rocm(
    absl::string_view dotted_version) {
  Scanner s("ROCm version", dotted_version);
  Accelerator out;
  out.kind_ = AcceleratorKind::kRocm;
  do {
    RELKIT_ASSIGN_OR_RETURN(uint64_t number, s.Number("version number"));
    out.version_.push_back(number);
  } while (s.Consume("."));
  if (!s.AtEnd()) return s.Error("expected \".\" or the end");
  return out;
}

std::string Accelerator::VersionString() const {
  return absl::StrJoin(version_, ".");
}

std::string Accelerator::ToString() const {
  std::string out;
  switch (kind_) {
    case AcceleratorKind::kCpu:
      out = "cpu";
      break;
    case AcceleratorKind::kXpu:
      out = "xpu";
      break;
    case AcceleratorKind::kCuda:
      // Built by Parse/Cuda: two components, the minor a single digit.
      out = absl::StrCat("cu", absl::StrJoin(version_, ""));
      break;
    case AcceleratorKind::kRocm:
      out = absl::StrCat("rocm", absl::StrJoin(version_, "."));
      break;
  }
  if (!variant_.empty()) absl::StrAppend(&out, ".", variant_);
  return out;
}

absl::StatusOr<std::string> CudaShortForm(absl::string_view dotted_version) {
  RELKIT_ASSIGN_OR_RETURN(Accelerator cuda, Accelerator::Cuda(dotted_version));
  return cuda.ToString();
}

absl::StatusOr<std::string> CudaDottedForm(absl::string_view short_form) {
  RELKIT_ASSIGN_OR_RETURN(Accelerator cuda, Accelerator::Parse(short_form));
  if (cuda.kind() != AcceleratorKind::kCuda || !cuda.variant().empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s is not a CUDA short form such as \"cu121\"", Quote(short_form)));
  }
  return cuda.VersionString();
}

absl::StatusOr<Version> WithAccelerator(const Version& version,
                                        const Accelerator& accelerator) {
  VersionParts parts;
  parts.epoch = version.epoch();
  parts.release.assign(version.release().begin(), version.release().end());
  parts.pre = version.pre();
  parts.post = version.post();
  parts.dev = version.dev();
  parts.local = accelerator.ToString();
  return Version::FromParts(parts);
}

// -----------------------------------------------------------------------------
// Bumps

absl::StatusOr<Version> NextMinor(const Version& version) {
  RELKIT_RETURN_IF_ERROR(CheckNoEpoch(version, "a minor bump"));
  RELKIT_ASSIGN_OR_RETURN(uint64_t minor, Increment(version.minor(), version));
  return ReleaseVersion({version.major(), minor, 0});
}

absl::StatusOr<Version> NextPatch(const Version& version) {
  RELKIT_RETURN_IF_ERROR(CheckNoEpoch(version, "a patch bump"));
  RELKIT_ASSIGN_OR_RETURN(uint64_t patch, Increment(version.micro(), version));
  return ReleaseVersion({version.major(), version.minor(), patch});
}

absl::StatusOr<Version> NextMainVersion(const Version& version) {
  RELKIT_RETURN_IF_ERROR(CheckNoEpoch(version, "a main-branch bump"));
  RELKIT_ASSIGN_OR_RETURN(uint64_t minor, Increment(version.minor(), version));
  return ReleaseVersion(
      {version.major(), minor, 0},
      PreRelease{.kind = PreReleaseKind::kAlpha, .number = 0});
}

absl::StatusOr<RcTag> NextRcTag(const Version& version,
                                absl::Span<const std::string> existing_tags) {
  RELKIT_ASSIGN_OR_RETURN(RcTag final_tag, RcTag::FromVersion(version));
  if (final_tag.is_rc()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "version %s is a release candidate; pass the final version %s",
        version.ToString(), final_tag.final_version().ToString()));
  }
  std::optional<uint64_t> highest;
  for (const std::string& text : existing_tags) {
    absl::StatusOr<RcTag> tag =
        RcTag::Parse(text, RcTagOptions{.allow_two_component_release = true});
    if (!tag.ok() || tag->final_version() != final_tag.final_version()) {
      continue;
    }
    if (!tag->is_rc()) {
      return absl::FailedPreconditionError(
          absl::StrFormat("release %s is already final: tag %s exists",
                          final_tag.final_version().ToString(), text));
    }
    if (!highest.has_value() || *tag->rc() > *highest) highest = *tag->rc();
  }
  uint64_t next = 1;
  if (highest.has_value()) {
    RELKIT_ASSIGN_OR_RETURN(next, Increment(*highest, version));
  }
  RELKIT_ASSIGN_OR_RETURN(
      Version candidate,
      ReleaseVersion({final_tag.major(), final_tag.minor(), final_tag.patch()},
                     PreRelease{.kind = PreReleaseKind::kReleaseCandidate,
                                .number = next}));
  return RcTag::FromVersion(candidate);
}

}  // namespace relkit
