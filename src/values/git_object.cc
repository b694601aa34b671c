#include "relkit/git_object.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace relkit {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

}  // namespace

// -----------------------------------------------------------------------------
// ObjectId

absl::StatusOr<ObjectId> ObjectId::Parse(absl::string_view hex) {
  for (size_t i = 0; i < hex.size() && i < 40; ++i) {
    if (!IsHex(hex[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid object id \"", absl::CHexEscape(hex),
                       "\": not a hex digit at position ", i));
    }
  }
  if (hex.size() != 40) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid object id \"", absl::CHexEscape(hex),
                     "\": expected 40 hex digits, got ", hex.size(),
                     " (position ", std::min<size_t>(hex.size(), 40), ")"));
  }
  ObjectId id;
  for (size_t i = 0; i < 20; ++i) {
    auto nib = [](char c) -> unsigned char {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return c - 'A' + 10;
    };
    id.raw_[i] =
        static_cast<unsigned char>(nib(hex[2 * i]) << 4 | nib(hex[2 * i + 1]));
  }
  return id;
}

ObjectId ObjectId::FromRaw(const unsigned char* raw) {
  ObjectId id;
  std::memcpy(id.raw_.data(), raw, 20);
  return id;
}

bool ObjectId::is_zero() const {
  return std::all_of(raw_.begin(), raw_.end(),
                     [](unsigned char c) { return c == 0; });
}

std::string ObjectId::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(40, '0');
  for (size_t i = 0; i < 20; ++i) {
    out[2 * i] = kHex[raw_[i] >> 4];
    out[2 * i + 1] = kHex[raw_[i] & 0xf];
  }
  return out;
}

std::string ObjectId::ShortString(size_t n) const {
  return ToString().substr(0, std::min<size_t>(n, 40));
}

std::string CommitInfo::Title() const {
  absl::string_view m = message;
  m = m.substr(0, m.find('\n'));
  return std::string(absl::StripTrailingAsciiWhitespace(m));
}

}  // namespace relkit
