#include "relkit/text_escape.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"

namespace relkit {
namespace {

bool IsContinuation(unsigned char b) { return (b & 0xc0) == 0x80; }

// Returns the length of the valid UTF-8 sequence at the start of `s` and sets
// `cp` to its code point; 0 when it is not one (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF).
size_t DecodeUtf8(absl::string_view s, uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the range of the second byte
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    cp = b0 & 0x0f;
    if (b0 == 0xe0) lo = 0xa0;  // overlong
    if (b0 == 0xed) hi = 0x9f;  // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xf0) lo = 0x90;  // overlong
    if (b0 == 0xf4) hi = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (!IsContinuation(b)) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  return len;
}

// Code points that change how a terminal lays out what follows them.
bool IsLayoutControl(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) ||      // C1 controls (CSI is U+009B)
         cp == 0x061c ||                    // ARABIC LETTER MARK
         cp == 0x200e || cp == 0x200f ||    // LRM, RLM
         (cp >= 0x202a && cp <= 0x202e) ||  // LRE, RLE, PDF, LRO, RLO
         (cp >= 0x2066 && cp <= 0x2069) ||  // LRI, RLI, FSI, PDI
         cp == 0x2028 || cp == 0x2029;      // line, paragraph separator
}

}  // namespace

std::string TextEscape(absl::string_view text, Newlines newlines) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x7f) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    if (b < 0x80) {
      switch (b) {
        case '\n':
          out += newlines == Newlines::kKeep ? "\n" : "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          absl::StrAppendFormat(&out, "\\x%02x", b);
      }
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(text.substr(i), cp);
    if (len == 0) {
      absl::StrAppendFormat(&out, "\\x%02x", b);
      ++i;
    } else if (IsLayoutControl(cp)) {
      absl::StrAppendFormat(&out, "\\u%04x", cp);
      i += len;
    } else {
      out.append(text.data() + i, len);
      i += len;
    }
  }
  return out;
}

}  // namespace relkit
