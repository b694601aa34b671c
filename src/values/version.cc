#include "relkit/version.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// -----------------------------------------------------------------------------
// Character classes. The version body is ASCII only: packaging 26 stopped
// accepting letters such as U+0130 that Python's case-insensitive `[a-z]`
// used to match (pypa/packaging#469), and PEP 440 is an ASCII grammar.

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr bool IsAlnumAscii(char c) {
  char l = LowerAscii(c);
  return IsDigit(c) || (l >= 'a' && l <= 'z');
}
constexpr bool IsSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

// Python's `str.strip()` (and the `\s*` that packaging's pattern allows around
// a version) removes every code point for which `str.isspace()` is true, not
// only ASCII blanks: inputs copied from web pages arrive with U+00A0 or U+202F
// around them. These helpers recognise those code points in UTF-8.
size_t AsciiWhitespaceLength(unsigned char c) {
  return ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)) ? 1 : 0;
}

// Returns the byte length of the Python whitespace code point that starts
// `s`, or 0.
size_t LeadingSpaceLength(absl::string_view s) {
  if (s.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return AsciiWhitespaceLength(b0);
  if (s.size() >= 2 && b0 == 0xC2) {
    const auto b1 = static_cast<unsigned char>(s[1]);
    return (b1 == 0x85 || b1 == 0xA0) ? 2 : 0;  // U+0085, U+00A0
  }
  if (s.size() < 3) return 0;
  const auto b1 = static_cast<unsigned char>(s[1]);
  const auto b2 = static_cast<unsigned char>(s[2]);
  if (b0 == 0xE1) return (b1 == 0x9A && b2 == 0x80) ? 3 : 0;  // U+1680
  if (b0 == 0xE2 && b1 == 0x80) {
    // U+2000..U+200A, U+2028, U+2029, U+202F
    return ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 ||
            b2 == 0xAF)
               ? 3
               : 0;
  }
  if (b0 == 0xE2 && b1 == 0x81) return b2 == 0x9F ? 3 : 0;    // U+205F
  if (b0 == 0xE3) return (b1 == 0x80 && b2 == 0x80) ? 3 : 0;  // U+3000
  return 0;
}

// Returns the byte length of the Python whitespace code point that ends `s`,
// or 0. Lead bytes of multi-byte sequences are never continuation bytes, so a
// suffix match is unambiguous.
size_t TrailingSpaceLength(absl::string_view s) {
  if (s.empty()) return 0;
  const auto last = static_cast<unsigned char>(s.back());
  if (last < 0x80) return AsciiWhitespaceLength(last);
  if (s.size() >= 2 && LeadingSpaceLength(s.substr(s.size() - 2)) == 2) {
    return 2;
  }
  if (s.size() >= 3 && LeadingSpaceLength(s.substr(s.size() - 3)) == 3) {
    return 3;
  }
  return 0;
}

// -----------------------------------------------------------------------------
// Error messages.

constexpr size_t kMaxQuotedInput = 64;

// Quotes `text` for an error message: C escapes keep control bytes and
// invalid UTF-8 readable, and a long input is cut so a 5000-digit version
// does not produce a 5000-byte message.
std::string QuoteInput(absl::string_view text) {
  if (text.size() <= kMaxQuotedInput) {
    return absl::StrCat("\"", absl::CHexEscape(text), "\"");
  }
  return absl::StrCat("\"", absl::CHexEscape(text.substr(0, kMaxQuotedInput)),
                      "\"... (", text.size(), " bytes)");
}

// Describes the character at `pos`: 'x' for printable ASCII, '\x01' for
// control bytes, U+XXXX for a well-formed non-ASCII code point.
std::string DescribeCharacter(absl::string_view text, size_t pos) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    return absl::StrCat("'", absl::CHexEscape(text.substr(pos, 1)), "'");
  }
  int length = b0 >= 0xF8   ? 0
               : b0 >= 0xF0 ? 4
               : b0 >= 0xE0 ? 3
               : b0 >= 0xC0 ? 2
                            : 0;
  if (length != 0 && pos + length <= text.size()) {
    uint32_t cp = b0 & (0x7F >> length);
    bool well_formed = true;
    for (int i = 1; i < length; ++i) {
      const auto b = static_cast<unsigned char>(text[pos + i]);
      if ((b & 0xC0) != 0x80) well_formed = false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (well_formed && cp <= 0x10FFFF) return absl::StrFormat("U+%04X", cp);
  }
  return absl::StrCat("'", absl::CHexEscape(text.substr(pos, 1)), "'");
}

enum class ErrorKind : uint8_t { kUnexpected, kEmpty, kNumberTooLarge };

struct ParseFailure {
  ErrorKind kind = ErrorKind::kUnexpected;
  size_t pos = 0;
  const char* expected = nullptr;  // what would have fitted, for the message
};

absl::Status FailureToStatus(absl::string_view what, absl::string_view text,
                             const ParseFailure& failure) {
  std::string message = absl::StrCat("invalid ", what, " ", QuoteInput(text));
  switch (failure.kind) {
    case ErrorKind::kEmpty:
      absl::StrAppend(&message, ": empty");
      break;
    case ErrorKind::kNumberTooLarge:
      absl::StrAppend(&message, ": number at position ", failure.pos,
                      " is larger than ", std::numeric_limits<uint64_t>::max());
      break;
    case ErrorKind::kUnexpected:
      if (failure.pos >= text.size()) {
        absl::StrAppend(&message, ": unexpected end of input at position ",
                        failure.pos);
      } else {
        absl::StrAppend(&message, ": unexpected character ",
                        DescribeCharacter(text, failure.pos), " at position ",
                        failure.pos);
      }
      if (failure.expected != nullptr) {
        absl::StrAppend(&message, " (expected ", failure.expected, ")");
      }
      break;
  }
  return absl::InvalidArgumentError(message);
}

// -----------------------------------------------------------------------------
// The scanner. packaging matches a regular expression; this walks the same
// grammar left to right without backtracking. That is exact because every
// place where the pattern could backtrack leads to a dead end anyway: a `.`
// followed by a digit can only continue the release; pre-release words and
// post-release words differ in their first letters except `rc`/`r(ev)`, which
// the pre-release branch (tried first, as in the pattern) tells apart by the
// `c`; and a separator that one segment consumes is never the only separator
// the next segment could have used (the implicit post `-N` needs the `-`, but
// after a pre-release word `-N` is already that word's number).

class Scanner {
 public:
  Scanner(absl::string_view text, size_t begin, size_t end)
      : text_(text), pos_(begin), end_(end) {}

  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= end_; }
  // Returns the current character; only valid when !AtEnd().
  char Peek() const { return text_[pos_]; }
  bool PeekIs(char c) const { return !AtEnd() && text_[pos_] == c; }
  bool PeekDigit() const { return !AtEnd() && IsDigit(text_[pos_]); }
  bool DigitAt(size_t p) const { return p < end_ && IsDigit(text_[p]); }
  bool SeparatorAt(size_t p) const { return p < end_ && IsSeparator(text_[p]); }

  void Advance(size_t n = 1) { pos_ += n; }
  void Reset(size_t p) { pos_ = p; }

  // Returns true when the text at `p` starts with `word` (lower case),
  // ignoring ASCII case.
  bool WordAt(size_t p, absl::string_view word) const {
    if (end_ - std::min(p, end_) < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      if (LowerAscii(text_[p + i]) != word[i]) return false;
    }
    return true;
  }

  // Consumes a run of digits into `out`. The caller has checked that one is
  // there. Leading zeros are fine ("00!1.2"); only the value is bounded.
  bool Number(uint64_t& out, ParseFailure& failure) {
    const size_t start = pos_;
    uint64_t value = 0;
    bool overflow = false;
    while (pos_ < end_ && IsDigit(text_[pos_])) {
      const uint64_t digit = static_cast<uint64_t>(text_[pos_] - '0');
      if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
        overflow = true;
      } else {
        value = value * 10 + digit;
      }
      ++pos_;
    }
    if (overflow) {
      failure = {ErrorKind::kNumberTooLarge, start, nullptr};
      return false;
    }
    out = value;
    return true;
  }

  // Records a tentative position that did not lead anywhere, so that an
  // error can point at the furthest character the grammar looked at.
  void NoteProbe(size_t p, const char* expected) {
    if (p >= furthest_) {
      furthest_ = p;
      furthest_expected_ = expected;
    }
  }
  size_t furthest() const { return furthest_; }
  const char* furthest_expected() const { return furthest_expected_; }

 private:
  absl::string_view text_;
  size_t pos_;
  size_t end_;
  size_t furthest_ = 0;
  const char* furthest_expected_ = nullptr;
};

// Matches one of the pre-release words at `p`, in the pattern's alternation
// order (alpha|a|beta|b|preview|pre|c|rc), returning its length or 0.
size_t MatchPreWord(const Scanner& s, size_t p, PreReleaseKind& kind) {
  struct Word {
    absl::string_view text;
    PreReleaseKind kind = PreReleaseKind::kAlpha;
  };
  static constexpr Word kWords[] = {
      {"alpha", PreReleaseKind::kAlpha},
      {"a", PreReleaseKind::kAlpha},
      {"beta", PreReleaseKind::kBeta},
      {"b", PreReleaseKind::kBeta},
      {"preview", PreReleaseKind::kReleaseCandidate},
      {"pre", PreReleaseKind::kReleaseCandidate},
      {"c", PreReleaseKind::kReleaseCandidate},
      {"rc", PreReleaseKind::kReleaseCandidate},
  };
  for (const Word& w : kWords) {
    if (s.WordAt(p, w.text)) {
      kind = w.kind;
      return w.text.size();
    }
  }
  return 0;
}

size_t MatchPostWord(const Scanner& s, size_t p) {
  static constexpr absl::string_view kWords[] = {"post", "rev", "r"};
  for (absl::string_view w : kWords) {
    if (s.WordAt(p, w)) return w.size();
  }
  return 0;
}

constexpr const char* kExpectLabel =
    "a pre-release, post-release or dev-release label";
constexpr const char* kExpectLocal = "a letter or digit";

// Validates a local label in text[begin, end) and appends its normal form
// (lower case, `.`-separated, numeric segments without leading zeros) to
// `out`. Returns false with `failure` set when it is not
// `[a-z0-9]+([._-][a-z0-9]+)*`.
bool NormalizeLocal(absl::string_view text, size_t begin, size_t end,
                    std::string& out, ParseFailure& failure) {
  size_t p = begin;
  while (true) {
    const size_t segment = p;
    bool numeric = true;
    while (p < end && IsAlnumAscii(text[p])) {
      numeric = numeric && IsDigit(text[p]);
      ++p;
    }
    if (p == segment) {
      failure = {ErrorKind::kUnexpected, p, kExpectLocal};
      return false;
    }
    if (segment != begin) out.push_back('.');
    if (numeric) {
      // packaging turns all-digit segments into ints, so "007" prints as 7.
      size_t first = segment;
      while (first + 1 < p && text[first] == '0') ++first;
      out.append(text.data() + first, p - first);
    } else {
      for (size_t i = segment; i < p; ++i) out.push_back(LowerAscii(text[i]));
    }
    if (p == end) return true;
    if (!IsSeparator(text[p])) {
      failure = {ErrorKind::kUnexpected, p, "a separator or the end"};
      return false;
    }
    ++p;
  }
}

// The parsed pieces, filled in place in a Version's members.
struct Outputs {
  uint64_t& epoch;
  absl::InlinedVector<uint64_t, 4>& release;
  std::optional<PreRelease>& pre;
  std::optional<uint64_t>& post;
  std::optional<uint64_t>& dev;
  std::optional<std::string>& local;
};

bool ParseInto(absl::string_view text, Outputs out, ParseFailure& failure) {
  size_t begin = 0;
  size_t end = text.size();
  while (size_t n = LeadingSpaceLength(text.substr(begin, end - begin))) {
    begin += n;
  }
  while (size_t n = TrailingSpaceLength(text.substr(begin, end - begin))) {
    end -= n;
  }
  if (begin == end) {
    failure = {ErrorKind::kEmpty, begin, nullptr};
    return false;
  }
  Scanner s(text, begin, end);

  // Fails at the furthest position probed so far, or at the cursor.
  auto fail_here = [&](const char* expected) {
    if (s.furthest() > s.pos()) {
      failure = {ErrorKind::kUnexpected, s.furthest(), s.furthest_expected()};
    } else {
      failure = {ErrorKind::kUnexpected, s.pos(), expected};
    }
    return false;
  };

  if (s.PeekIs('v') || s.PeekIs('V')) s.Advance();

  // Epoch and release.
  if (!s.PeekDigit()) return fail_here("a digit");
  uint64_t number = 0;
  if (!s.Number(number, failure)) return false;
  if (s.PeekIs('!')) {
    out.epoch = number;
    s.Advance();
    if (!s.PeekDigit()) return fail_here("a digit");
    if (!s.Number(number, failure)) return false;
  }
  out.release.push_back(number);
  while (s.PeekIs('.') && s.DigitAt(s.pos() + 1)) {
    s.Advance();
    if (!s.Number(number, failure)) return false;
    out.release.push_back(number);
  }

  // Pre-release: [sep] word [sep] [number].
  {
    size_t p = s.pos();
    if (s.SeparatorAt(p)) ++p;
    PreReleaseKind kind = PreReleaseKind::kAlpha;
    if (size_t n = MatchPreWord(s, p, kind)) {
      s.Reset(p + n);
      if (s.SeparatorAt(s.pos())) s.Advance();
      uint64_t pre_number = 0;
      if (s.PeekDigit() && !s.Number(pre_number, failure)) return false;
      out.pre = PreRelease{kind, pre_number};
    } else if (p != s.pos()) {
      s.NoteProbe(p, kExpectLabel);
    }
  }

  // Post-release: -number, or [sep] word [sep] [number].
  if (s.PeekIs('-') && s.DigitAt(s.pos() + 1)) {
    s.Advance();
    uint64_t post_number = 0;
    if (!s.Number(post_number, failure)) return false;
    out.post = post_number;
  } else {
    size_t p = s.pos();
    if (s.SeparatorAt(p)) ++p;
    if (size_t n = MatchPostWord(s, p)) {
      s.Reset(p + n);
      if (s.SeparatorAt(s.pos())) s.Advance();
      uint64_t post_number = 0;
      if (s.PeekDigit() && !s.Number(post_number, failure)) return false;
      out.post = post_number;
    } else if (p != s.pos()) {
      s.NoteProbe(p, kExpectLabel);
    }
  }

  // Dev release: [sep] dev [sep] [number].
  {
    size_t p = s.pos();
    if (s.SeparatorAt(p)) ++p;
    if (s.WordAt(p, "dev")) {
      s.Reset(p + 3);
      if (s.SeparatorAt(s.pos())) s.Advance();
      uint64_t dev_number = 0;
      if (s.PeekDigit() && !s.Number(dev_number, failure)) return false;
      out.dev = dev_number;
    } else if (p != s.pos()) {
      s.NoteProbe(p, kExpectLabel);
    }
  }

  // Local label.
  if (s.PeekIs('+')) {
    std::string local;
    if (!NormalizeLocal(text, s.pos() + 1, end, local, failure)) return false;
    out.local = std::move(local);
    return true;
  }
  if (!s.AtEnd()) return fail_here(nullptr);
  return true;
}

// -----------------------------------------------------------------------------
// Ordering.

// Returns the release length without trailing zeros (possibly 0).
size_t SignificantLength(absl::Span<const uint64_t> release) {
  size_t n = release.size();
  while (n > 0 && release[n - 1] == 0) --n;
  return n;
}

bool IsNumericSegment(absl::string_view segment) {
  return std::all_of(segment.begin(), segment.end(), IsDigit);
}

// Compares normalised local labels as packaging's key does: segment by
// segment, numbers above words, numbers by value (normal form has no leading
// zeros, so by length then digits), words by code point, and a label that is
// a prefix of the other is smaller.
std::strong_ordering CompareLocal(absl::string_view a, absl::string_view b) {
  while (true) {
    if (a.empty() || b.empty()) return !a.empty() <=> !b.empty();
    const size_t ea = std::min(a.find('.'), a.size());
    const size_t eb = std::min(b.find('.'), b.size());
    const absl::string_view sa = a.substr(0, ea);
    const absl::string_view sb = b.substr(0, eb);
    const bool na = IsNumericSegment(sa);
    const bool nb = IsNumericSegment(sb);
    if (na != nb) return na <=> nb;
    if (na && sa.size() != sb.size()) return sa.size() <=> sb.size();
    if (const int c = sa.compare(sb); c != 0) return c <=> 0;
    a.remove_prefix(std::min(ea + 1, a.size()));
    b.remove_prefix(std::min(eb + 1, b.size()));
    // "a." cannot occur in a normal form, so empty means the label ended.
  }
}

// Pre-release rank in packaging's key: a dev release with neither pre nor post
// sorts below every pre-release, a version with no pre-release above them.
int PreTier(const Version& v) {
  if (v.pre().has_value()) return 1;
  return (!v.post().has_value() && v.dev().has_value()) ? 0 : 2;
}

// -----------------------------------------------------------------------------
// Sort keys for the batch functions: a byte string per version whose memcmp
// order is the PEP 440 order, built once per version so that sorting compares
// flat bytes instead of walking two versions' fields each time. Every field is
// encoded prefix-free (a length or tag byte first, or a terminator that sorts
// below anything that can follow), so comparing concatenations compares
// fields in turn, and no key is a proper prefix of another.

// Numbers below kKeyInlineLimit take one byte (value + 1, so 0x00 stays free
// as a terminator); larger ones a lead byte 0xF7 + n and n big-endian bytes.
// Typical keys ("1.2.3" is 10 bytes) then fit the 16-byte integer prefix that
// KeyEntry compares first.
constexpr uint64_t kKeyInlineLimit = 0xF7;

// Writes a key into a caller-provided buffer. KeyBound() bytes are enough.
class KeyWriter {
 public:
  explicit KeyWriter(char* out) : start_(out), p_(out) {}
  size_t size() const { return static_cast<size_t>(p_ - start_); }

  void Byte(uint8_t b) { *p_++ = static_cast<char>(b); }
  void Bytes(absl::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void Uint(uint64_t v) {
    if (v < kKeyInlineLimit) {
      Byte(static_cast<uint8_t>(v + 1));
      return;
    }
    const int bytes = (std::bit_width(v) + 7) / 8;  // 1..8
    Byte(static_cast<uint8_t>(kKeyInlineLimit + bytes));
    for (int i = bytes - 1; i >= 0; --i) {
      Byte(static_cast<uint8_t>((v >> (8 * i)) & 0xFF));
    }
  }

 private:
  char* start_;
  char* p_;
};

// An upper bound on the key length of `v`: 9 bytes per number, the local
// label's bytes plus at most 11 bytes of framing per segment.
size_t KeyBound(const Version& v) {
  size_t bound = 9 + 9 * v.release().size() + 1 + 11 + 10 + 10 + 2;
  if (v.local().has_value()) bound += 12 * (v.local()->size() + 1);
  return bound;
}

void WriteSortKey(const Version& v, KeyWriter& key) {
  key.Uint(v.epoch());
  absl::Span<const uint64_t> release = v.release();
  const size_t n = SignificantLength(release);
  for (size_t i = 0; i < n; ++i) key.Uint(release[i]);
  key.Byte(0);

  const int pre_tier = PreTier(v);
  key.Byte(static_cast<uint8_t>(pre_tier));
  if (pre_tier == 1) {
    key.Byte(static_cast<uint8_t>(v.pre()->kind));
    key.Uint(v.pre()->number);
  }
  if (v.post().has_value()) {
    key.Byte(1);
    key.Uint(*v.post());
  } else {
    key.Byte(0);
  }
  if (v.dev().has_value()) {
    key.Byte(0);
    key.Uint(*v.dev());
  } else {
    key.Byte(1);
  }

  if (!v.local().has_value()) {
    key.Byte(0);
    return;
  }
  key.Byte(1);
  absl::string_view local = *v.local();
  while (!local.empty()) {
    const size_t e = std::min(local.find('.'), local.size());
    const absl::string_view segment = local.substr(0, e);
    if (IsNumericSegment(segment)) {
      // No leading zeros in normal form: more digits is a larger number.
      key.Byte(2);
      key.Uint(segment.size());
      key.Bytes(segment);
    } else {
      key.Byte(1);
      key.Bytes(segment);  // [a-z0-9], never 0x00
      key.Byte(0);
    }
    local.remove_prefix(std::min(e + 1, local.size()));
  }
  key.Byte(0);
}

uint64_t LoadBigEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// One small entry per version, moved around by the sort: the first sixteen
// key bytes as two integers decide nearly every comparison; the rest of the
// key and the input index sit in side arrays indexed by `slot`.
struct KeyEntry {
  uint64_t hi;
  uint64_t lo;
  uint32_t slot;
  uint32_t length;
};

constexpr size_t kPrefixBytes = 16;
constexpr size_t kStackKeyBytes = 256;

class SortKeys {
 public:
  // Returns false when `n` versions are more than the compact entries can
  // index (4 billion); callers then sort another way.
  static bool Fits(size_t n) {
    return n <= std::numeric_limits<uint32_t>::max();
  }

  explicit SortKeys(size_t n) {
    entries_.reserve(n);
    offsets_.reserve(n);
    indexes_.reserve(n);
    arena_.reserve(n * 12);
  }

  void Add(const Version& v, size_t index) {
    char stack[kStackKeyBytes];
    std::string heap;
    const size_t bound = KeyBound(v) + kPrefixBytes;
    char* buffer = stack;
    if (bound > sizeof(stack)) {
      heap.resize(bound);
      buffer = heap.data();
    }
    KeyWriter writer(buffer);
    WriteSortKey(v, writer);
    const size_t length = writer.size();
    // Zero padding cannot reorder: keys are prefix-free, so two different
    // keys differ inside the shorter one.
    std::memset(buffer + length, 0, kPrefixBytes);
    const auto slot = static_cast<uint32_t>(entries_.size());
    const uint32_t short_length = static_cast<uint32_t>(
        std::min<size_t>(length, std::numeric_limits<uint32_t>::max()));
    entries_.push_back({LoadBigEndian64(buffer), LoadBigEndian64(buffer + 8),
                        slot, short_length});
    offsets_.push_back(arena_.size());
    indexes_.push_back(index);
    arena_.append(buffer, length);
  }

  // Sorts ascending; equal versions keep their input order (slots are
  // assigned in input order).
  void Sort() {
    const char* arena = arena_.data();
    const size_t* offsets = offsets_.data();
    auto less = [arena, offsets](const KeyEntry& a, const KeyEntry& b) {
      if (a.hi != b.hi) return a.hi < b.hi;
      if (a.lo != b.lo) return a.lo < b.lo;
      if (a.length > kPrefixBytes && b.length > kPrefixBytes) {
        const int c = std::memcmp(arena + offsets[a.slot] + kPrefixBytes,
                                  arena + offsets[b.slot] + kPrefixBytes,
                                  std::min(a.length, b.length) - kPrefixBytes);
        if (c != 0) return c < 0;
      }
      if (a.length != b.length) return a.length < b.length;
      return a.slot < b.slot;
    };
    if (entries_.size() < kRadixThreshold) {
      std::sort(entries_.begin(), entries_.end(), less);
      return;
    }
    RadixSortPrefixes();
    // The radix passes ordered by the 16-byte prefix only, stably (so equal
    // keys are already in input order). Entries whose prefixes tie and whose
    // keys go on past the prefix still need the full comparison.
    const size_t n = entries_.size();
    for (size_t i = 0; i < n;) {
      size_t j = i + 1;
      bool long_key = entries_[i].length > kPrefixBytes;
      while (j < n && entries_[j].hi == entries_[i].hi &&
             entries_[j].lo == entries_[i].lo) {
        long_key = long_key || entries_[j].length > kPrefixBytes;
        ++j;
      }
      if (j - i > 1 && long_key) {
        std::sort(entries_.begin() + i, entries_.begin() + j, less);
      }
      i = j;
    }
  }

  // Returns whether the i-th and j-th smallest keys (after Sort()) are equal,
  // that is, whether those versions compare equal.
  bool SameKeyAt(size_t i, size_t j) const {
    const KeyEntry& a = entries_[i];
    const KeyEntry& b = entries_[j];
    return a.hi == b.hi && a.lo == b.lo && a.length == b.length &&
           (a.length <= kPrefixBytes ||
            std::memcmp(arena_.data() + offsets_[a.slot] + kPrefixBytes,
                        arena_.data() + offsets_[b.slot] + kPrefixBytes,
                        a.length - kPrefixBytes) == 0);
  }

  size_t size() const { return entries_.size(); }
  // Returns the input index of the i-th smallest version after Sort().
  size_t SortedIndex(size_t i) const { return indexes_[entries_[i].slot]; }

 private:
  // Below this many versions a comparison sort is as fast as the radix passes.
  static constexpr size_t kRadixThreshold = 2048;

  // Sorts entries_ by (hi, lo) with a stable LSD radix sort, one byte per
  // pass, skipping the byte positions where every key has the same value
  // (most of them: keys of real versions share long prefixes). Parsing a
  // million versions costs ~30 ms; a comparison sort of them ~100 ms more,
  // these passes a fraction of that.
  void RadixSortPrefixes() {
    const size_t n = entries_.size();
    std::vector<std::array<uint32_t, 256>> counts(16);
    for (auto& c : counts) c.fill(0);
    for (const KeyEntry& e : entries_) {
      for (int b = 0; b < 8; ++b) {
        ++counts[b][(e.lo >> (8 * b)) & 0xff];
        ++counts[8 + b][(e.hi >> (8 * b)) & 0xff];
      }
    }
    std::vector<KeyEntry> scratch(n);
    KeyEntry* src = entries_.data();
    KeyEntry* dst = scratch.data();
    for (int pass = 0; pass < 16; ++pass) {
      std::array<uint32_t, 256>& count = counts[pass];
      const bool uniform = std::any_of(count.begin(), count.end(),
                                       [n](uint32_t c) { return c == n; });
      if (uniform) continue;
      uint32_t offset = 0;
      for (uint32_t& c : count) {
        const uint32_t here = c;
        c = offset;
        offset += here;
      }
      const int shift = 8 * (pass % 8);
      for (size_t i = 0; i < n; ++i) {
        const uint64_t word = pass < 8 ? src[i].lo : src[i].hi;
        dst[count[(word >> shift) & 0xff]++] = src[i];
      }
      std::swap(src, dst);
    }
    if (src != entries_.data()) entries_.swap(scratch);
  }

  std::string arena_;
  std::vector<KeyEntry> entries_;
  std::vector<size_t> offsets_;
  std::vector<size_t> indexes_;
};

absl::Status IndexedError(size_t index, const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat("texts[", index, "]: ", status.message()));
}

}  // namespace

// -----------------------------------------------------------------------------

absl::string_view PreReleaseLetter(PreReleaseKind kind) {
  switch (kind) {
    case PreReleaseKind::kAlpha:
      return "a";
    case PreReleaseKind::kBeta:
      return "b";
    case PreReleaseKind::kReleaseCandidate:
      return "rc";
  }
  return "rc";
}

absl::StatusOr<PreReleaseKind> ParsePreReleaseLetter(absl::string_view letter) {
  // Same words as the version grammar, so from_parts(pre=("beta", 1)) and
  // Version("1.0beta1") agree.
  if (letter.size() <= 7) {
    char lower[7];
    for (size_t i = 0; i < letter.size(); ++i) lower[i] = LowerAscii(letter[i]);
    const absl::string_view word(lower, letter.size());
    if (word == "a" || word == "alpha") return PreReleaseKind::kAlpha;
    if (word == "b" || word == "beta") return PreReleaseKind::kBeta;
    if (word == "rc" || word == "c" || word == "pre" || word == "preview") {
      return PreReleaseKind::kReleaseCandidate;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid pre-release letter ", QuoteInput(letter),
                   ": expected a, b or rc (or alpha, beta, c, pre, preview)"));
}

Version::Version() { release_.push_back(0); }

absl::StatusOr<Version> Version::Parse(absl::string_view text) {
  Version v;
  v.release_.clear();
  ParseFailure failure;
  if (!ParseInto(
          text,
          Outputs{v.epoch_, v.release_, v.pre_, v.post_, v.dev_, v.local_},
          failure)) {
    return FailureToStatus("version", text, failure);
  }
  return v;
}

absl::StatusOr<Version> Version::FromParts(const VersionParts& parts) {
  Version v;
  v.epoch_ = parts.epoch;
  if (!parts.release.empty()) {
    v.release_.assign(parts.release.begin(), parts.release.end());
  }
  v.pre_ = parts.pre;
  v.post_ = parts.post;
  v.dev_ = parts.dev;
  if (parts.local.has_value()) {
    const std::string& label = *parts.local;
    std::string local;
    ParseFailure failure;
    if (label.empty()) {
      failure = {ErrorKind::kEmpty, 0, nullptr};
      return FailureToStatus("local version label", label, failure);
    }
    if (!NormalizeLocal(label, 0, label.size(), local, failure)) {
      return FailureToStatus("local version label", label, failure);
    }
    v.local_ = std::move(local);
  }
  return v;
}

namespace {

// Appends the decimal digits of `n`; the hot path of ToString, so no
// formatting machinery.
void AppendDecimal(std::string& out, uint64_t n) {
  char buffer[20];
  char* p = buffer + sizeof(buffer);
  do {
    *--p = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  out.append(p, buffer + sizeof(buffer) - p);
}

void AppendBase(std::string& out, uint64_t epoch,
                absl::Span<const uint64_t> release) {
  if (epoch != 0) {
    AppendDecimal(out, epoch);
    out.push_back('!');
  }
  for (size_t i = 0; i < release.size(); ++i) {
    if (i != 0) out.push_back('.');
    AppendDecimal(out, release[i]);
  }
}

void AppendPublicSuffix(std::string& out, const Version& v) {
  if (v.pre().has_value()) {
    const absl::string_view letter = PreReleaseLetter(v.pre()->kind);
    out.append(letter.data(), letter.size());
    AppendDecimal(out, v.pre()->number);
  }
  if (v.post().has_value()) {
    out.append(".post");
    AppendDecimal(out, *v.post());
  }
  if (v.dev().has_value()) {
    out.append(".dev");
    AppendDecimal(out, *v.dev());
  }
}

}  // namespace

std::string Version::ToString() const {
  std::string out;
  out.reserve(24 + (local_ ? local_->size() : 0));
  AppendBase(out, epoch_, release_);
  AppendPublicSuffix(out, *this);
  if (local_.has_value()) {
    out.push_back('+');
    out.append(*local_);
  }
  return out;
}

std::string Version::PublicVersion() const {
  std::string out;
  AppendBase(out, epoch_, release_);
  AppendPublicSuffix(out, *this);
  return out;
}

std::string Version::BaseVersion() const {
  std::string out;
  AppendBase(out, epoch_, release_);
  return out;
}

Version Version::WithoutLocal() const {
  Version v = *this;
  v.local_.reset();
  return v;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
  if (auto c = a.epoch_ <=> b.epoch_; c != 0) return c;

  const size_t na = SignificantLength(a.release_);
  const size_t nb = SignificantLength(b.release_);
  for (size_t i = 0; i < std::min(na, nb); ++i) {
    if (auto c = a.release_[i] <=> b.release_[i]; c != 0) return c;
  }
  if (auto c = na <=> nb; c != 0) return c;

  const int ta = PreTier(a);
  const int tb = PreTier(b);
  if (auto c = ta <=> tb; c != 0) return c;
  if (ta == 1) {
    if (auto c = *a.pre_ <=> *b.pre_; c != 0) return c;
  }

  // Absent post sorts first, absent dev last.
  if (auto c = a.post_.has_value() <=> b.post_.has_value(); c != 0) return c;
  if (a.post_.has_value()) {
    if (auto c = *a.post_ <=> *b.post_; c != 0) return c;
  }
  if (auto c = b.dev_.has_value() <=> a.dev_.has_value(); c != 0) return c;
  if (a.dev_.has_value()) {
    if (auto c = *a.dev_ <=> *b.dev_; c != 0) return c;
  }

  if (auto c = a.local_.has_value() <=> b.local_.has_value(); c != 0) return c;
  if (!a.local_.has_value()) return std::strong_ordering::equal;
  return CompareLocal(*a.local_, *b.local_);
}

// -----------------------------------------------------------------------------
// Batch operations.

absl::StatusOr<std::vector<Version>> ParseVersions(
    absl::Span<const absl::string_view> texts) {
  std::vector<Version> versions;
  versions.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    absl::StatusOr<Version> v = Version::Parse(texts[i]);
    if (!v.ok()) return IndexedError(i, v.status());
    versions.push_back(*std::move(v));
  }
  return versions;
}

void SortVersions(std::vector<Version>& versions) {
  if (!SortKeys::Fits(versions.size())) {
    std::stable_sort(versions.begin(), versions.end());
    return;
  }
  SortKeys keys(versions.size());
  for (size_t i = 0; i < versions.size(); ++i) keys.Add(versions[i], i);
  keys.Sort();
  std::vector<Version> sorted;
  sorted.reserve(versions.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    sorted.push_back(std::move(versions[keys.SortedIndex(i)]));
  }
  versions = std::move(sorted);
}

namespace {

// Lists from tag listings and wheel indexes repeat the same strings many times
// (every version of a wheel index appears once per platform and Python).
// Returns whether a sample of `texts` is at most half distinct, in which case
// sorting the distinct strings and then placing every input by the rank of
// its string is cheaper than parsing and sorting each input.
bool MostlyDuplicates(absl::Span<const absl::string_view> texts) {
  constexpr size_t kMinimum = 4096;
  constexpr size_t kSample = 8192;
  if (texts.size() < kMinimum) return false;
  const size_t sample = std::min(texts.size(), kSample);
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(sample);
  for (size_t i = 0; i < sample; ++i) seen.insert(texts[i]);
  return seen.size() * 2 <= sample;
}

absl::StatusOr<std::vector<size_t>> SortDeduplicated(
    absl::Span<const absl::string_view> texts, InvalidVersions invalid) {
  const size_t n = texts.size();
  absl::flat_hash_map<absl::string_view, uint32_t> ids;
  std::vector<uint32_t> id_of(n);
  std::vector<size_t> first_index;  // per distinct string
  for (size_t i = 0; i < n; ++i) {
    auto [it, inserted] =
        ids.try_emplace(texts[i], static_cast<uint32_t>(first_index.size()));
    if (inserted) first_index.push_back(i);
    id_of[i] = it->second;
  }
  const size_t distinct = first_index.size();
  SortKeys keys(distinct);
  constexpr uint32_t kInvalid = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> rank(distinct, kInvalid);
  for (size_t d = 0; d < distinct; ++d) {
    absl::StatusOr<Version> v = Version::Parse(texts[first_index[d]]);
    if (!v.ok()) {
      // Distinct strings are in order of first appearance, so this is the
      // first invalid input, as the plain path would report.
      if (invalid == InvalidVersions::kSkip) continue;
      return IndexedError(first_index[d], v.status());
    }
    keys.Add(*v, d);
  }
  keys.Sort();
  // Equal versions spelled differently ("1.0", "1.0.0") share a rank, so the
  // counting sort below keeps them in input order, as a stable sort would.
  uint32_t groups = 0;
  for (size_t p = 0; p < keys.size(); ++p) {
    if (p > 0 && !keys.SameKeyAt(p - 1, p)) ++groups;
    rank[keys.SortedIndex(p)] = groups;
  }
  const size_t group_count = keys.size() == 0 ? 0 : groups + 1;
  std::vector<size_t> start(group_count + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    if (rank[id_of[i]] != kInvalid) ++start[rank[id_of[i]] + 1];
  }
  for (size_t g = 0; g < group_count; ++g) start[g + 1] += start[g];
  std::vector<size_t> order(start[group_count]);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t r = rank[id_of[i]];
    if (r != kInvalid) order[start[r]++] = i;
  }
  return order;
}

}  // namespace

absl::StatusOr<std::vector<size_t>> SortVersionOrder(
    absl::Span<const absl::string_view> texts, InvalidVersions invalid) {
  if (!SortKeys::Fits(texts.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot sort ", texts.size(), " versions at once (the limit is ",
        std::numeric_limits<uint32_t>::max(), ")"));
  }
  if (MostlyDuplicates(texts)) return SortDeduplicated(texts, invalid);
  SortKeys keys(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    absl::StatusOr<Version> v = Version::Parse(texts[i]);
    if (!v.ok()) {
      if (invalid == InvalidVersions::kSkip) continue;
      return IndexedError(i, v.status());
    }
    keys.Add(*v, i);
  }
  keys.Sort();
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) order[i] = keys.SortedIndex(i);
  return order;
}

absl::StatusOr<std::vector<std::string>> SortVersionStrings(
    absl::Span<const absl::string_view> texts, InvalidVersions invalid) {
  RELKIT_ASSIGN_OR_RETURN(std::vector<size_t> order,
                          SortVersionOrder(texts, invalid));
  std::vector<std::string> sorted;
  sorted.reserve(order.size());
  for (size_t i : order) sorted.emplace_back(texts[i]);
  return sorted;
}

absl::StatusOr<size_t> MaxVersionIndex(
    absl::Span<const absl::string_view> texts) {
  std::optional<Version> best;
  size_t best_index = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    absl::StatusOr<Version> v = Version::Parse(texts[i]);
    if (!v.ok()) continue;
    // Strictly greater, so the first of equal maxima wins, like Python's max().
    if (!best.has_value() || *v > *best) {
      best = *std::move(v);
      best_index = i;
    }
  }
  if (!best.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no valid version among ", texts.size(), " strings"));
  }
  return best_index;
}

}  // namespace relkit
