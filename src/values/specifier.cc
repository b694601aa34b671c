#include "relkit/specifier.h"

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/version.h"

// How matching works
// ------------------
// Like packaging 26.x, every PEP 440 specifier is turned (once, at parse time)
// into a sorted list of intervals on the version line, and a set of specifiers
// into the intersection of its members' intervals. Matching a version is then
// a couple of comparisons per interval, and the set algebra (unsatisfiable,
// subset, disjoint) is interval arithmetic.
//
// PEP 440's exclusive and local-version rules need interval ends that are not
// versions themselves, so a Point is either a real version or one of two
// synthetic points just above a family of versions:
//
//   V < V+local < AfterLocals(V) < V.post0.dev0 < ... < V.postN < AfterPosts(V)
//
// `<=V` ends at AfterLocals(V) (it admits V+local), `>V` starts after
// AfterPosts(V) (it must not admit V's post-releases), and `==V`/`!=V` without
// a local label cover exactly [V, AfterLocals(V)].
//
// The code follows the *behaviour* of pypa/packaging's specifiers.py and
// _ranges.py; the conformance vectors in tests/data/specifiers.json pin it.

namespace relkit {
namespace {

using specifier_internal::Bound;
using specifier_internal::Interval;
using specifier_internal::Point;
using specifier_internal::Ranges;
using Kind = Point::Kind;

constexpr uint64_t kMaxNumber = std::numeric_limits<uint64_t>::max();

// ---------------------------------------------------------------------------
// Text helpers

// Returns the byte length of the whitespace character at `s[i]`, or 0. The
// set is Python's str.isspace() (what `\s` and str.strip() use in packaging),
// decoded from UTF-8.
size_t WhitespaceLength(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) -> unsigned char {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  const unsigned char c = byte(i);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) {
    return 1;
  }
  if (c == 0xc2 && (byte(i + 1) == 0x85 || byte(i + 1) == 0xa0)) return 2;
  if (c == 0xe1 && byte(i + 1) == 0x9a && byte(i + 2) == 0x80) return 3;
  if (c == 0xe2 && byte(i + 1) == 0x80) {
    const unsigned char d = byte(i + 2);
    if ((d >= 0x80 && d <= 0x8a) || d == 0xa8 || d == 0xa9 || d == 0xaf) {
      return 3;
    }
  }
  if (c == 0xe2 && byte(i + 1) == 0x81 && byte(i + 2) == 0x9f) return 3;
  if (c == 0xe3 && byte(i + 1) == 0x80 && byte(i + 2) == 0x80) return 3;
  return 0;
}

// Narrows [*begin, *end) of `s` to exclude leading and trailing whitespace.
void StripWhitespace(absl::string_view s, size_t* begin, size_t* end) {
  size_t b = *begin;
  while (b < *end) {
    const size_t n = WhitespaceLength(s, b);
    if (n == 0 || b + n > *end) break;
    b += n;
  }
  size_t last_end = b;
  for (size_t i = b; i < *end;) {
    const size_t n = WhitespaceLength(s, i);
    if (n != 0 && i + n <= *end) {
      i += n;
    } else {
      ++i;
      last_end = i;
    }
  }
  *begin = b;
  *end = last_end;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSeparator(char c) { return c == '-' || c == '_' || c == '.'; }

// What ScanVersion found in a specifier's version text.
struct VersionSyntax {
  size_t release_count = 0;
  std::optional<size_t> wildcard_at;  // position of ".*"
  std::optional<size_t> local_at;     // position of "+"
};

// An error from ScanVersion: what went wrong and where (offset in the text).
struct SyntaxError {
  std::string what;
  size_t at = 0;
};

// Matches the version part of packaging's specifier regex (the union of what
// any operator accepts: wildcard and local label included; the caller rejects
// them per operator). Case-insensitive, ASCII only. On failure returns the
// offset of the first character that does not fit.
class VersionScanner {
 public:
  explicit VersionScanner(absl::string_view text) : s_(text) {}

  std::optional<SyntaxError> Scan(VersionSyntax* out) {
    if (Peek() == 'v' || Peek() == 'V') ++i_;
    if (auto e = Digits("a release number")) return e;
    if (Peek() == '!') {
      ++i_;
      if (auto e = Digits("a release number after the epoch")) return e;
    }
    out->release_count = 1;
    while (Peek() == '.' && IsDigit(Peek(1))) {
      ++i_;
      if (auto e = Digits("")) return e;
      ++out->release_count;
    }
    if (Peek() == '.' && Peek(1) == '*') {
      out->wildcard_at = i_;
      i_ += 2;
      if (i_ != s_.size()) {
        return SyntaxError{"nothing may follow a \".*\" prefix match", i_};
      }
      return std::nullopt;
    }
    // Pre-release: [-_.]? (alpha|beta|preview|pre|a|b|c|rc) [-_.]? digits*
    if (auto e =
            Segment({"alpha", "beta", "preview", "pre", "a", "b", "c", "rc"})) {
      return e;
    }
    // Post-release: -digits+ | [-_.]? (post|rev|r) [-_.]? digits*
    if (Peek() == '-' && IsDigit(Peek(1))) {
      ++i_;
      if (auto e = Digits("")) return e;
    } else if (auto e = Segment({"post", "rev", "r"})) {
      return e;
    }
    // Dev release: [-_.]? dev [-_.]? digits*
    if (auto e = Segment({"dev"})) return e;
    // Local label: + alnum+ ([-_.] alnum+)*
    if (Peek() == '+') {
      out->local_at = i_;
      ++i_;
      if (!absl::ascii_isalnum(Peek())) {
        return SyntaxError{"expected a local version label", i_};
      }
      while (absl::ascii_isalnum(Peek())) ++i_;
      while (IsSeparator(Peek()) && absl::ascii_isalnum(Peek(1))) {
        ++i_;
        while (absl::ascii_isalnum(Peek())) ++i_;
      }
    }
    if (i_ != s_.size()) {
      return SyntaxError{absl::StrCat("unexpected character '",
                                      absl::CHexEscape(s_.substr(i_, 1)), "'"),
                         i_};
    }
    return std::nullopt;
  }

 private:
  char Peek(size_t ahead = 0) const {
    return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0';
  }

  // Consumes one or more digits (checking that the number fits in 64 bits).
  std::optional<SyntaxError> Digits(absl::string_view expected) {
    const size_t start = i_;
    uint64_t value = 0;
    bool overflow = false;
    while (IsDigit(Peek())) {
      const uint64_t digit = static_cast<uint64_t>(Peek() - '0');
      if (value > (kMaxNumber - digit) / 10) overflow = true;
      value = value * 10 + digit;
      ++i_;
    }
    if (i_ == start) {
      if (expected.empty()) expected = "a number";
      return SyntaxError{absl::StrCat("expected ", expected), start};
    }
    if (overflow) {
      return SyntaxError{"number does not fit in 64 bits", start};
    }
    return std::nullopt;
  }

  // Consumes `[-_.]? keyword [-_.]? digits*` when one of `keywords` (tried in
  // order, so longer spellings first) follows; otherwise consumes nothing.
  std::optional<SyntaxError> Segment(
      std::initializer_list<absl::string_view> keywords) {
    size_t j = i_;
    if (IsSeparator(Peek())) ++j;
    for (absl::string_view keyword : keywords) {
      if (j + keyword.size() <= s_.size() &&
          absl::EqualsIgnoreCase(s_.substr(j, keyword.size()), keyword)) {
        i_ = j + keyword.size();
        if (IsSeparator(Peek())) ++i_;
        while (IsDigit(Peek())) ++i_;
        // The digits were optional; still refuse numbers past 64 bits.
        size_t k = i_;
        while (k > 0 && IsDigit(s_[k - 1])) --k;
        if (i_ > k) {
          const size_t end = i_;
          i_ = k;
          if (auto e = Digits("")) return e;
          i_ = end;
        }
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  absl::string_view s_;
  size_t i_ = 0;
};

// ---------------------------------------------------------------------------
// Versions built from parts

Version MakeVersion(uint64_t epoch, std::vector<uint64_t> release,
                    std::optional<PreRelease> pre, std::optional<uint64_t> post,
                    std::optional<uint64_t> dev) {
  VersionParts parts;
  parts.epoch = epoch;
  parts.release = std::move(release);
  parts.pre = pre;
  parts.post = post;
  parts.dev = dev;
  absl::StatusOr<Version> v = Version::FromParts(parts);
  // Without a local label FromParts cannot fail.
  return v.ok() ? *std::move(v) : Version();
}

std::vector<uint64_t> ReleaseOf(const Version& v) {
  return std::vector<uint64_t>(v.release().begin(), v.release().end());
}

// The smallest PEP 440 version, 0.dev0.
const Version& MinVersion() {
  static const Version* const kMin =
      new Version(MakeVersion(0, {0}, std::nullopt, std::nullopt, 0));
  return *kMin;
}

// `v` without a local label, with dev=0: "1.2" -> "1.2.dev0".
Version WithDev0(const Version& v) {
  return MakeVersion(v.epoch(), ReleaseOf(v), v.pre(), v.post(), 0);
}

// The smallest version after every version whose release starts with
// `prefix`: (1, 2) -> 1.3.dev0. A component at the 64-bit maximum carries into
// the one before (nothing larger is representable); nullopt means +inf.
std::optional<Version> NextPrefixDev0(uint64_t epoch,
                                      std::vector<uint64_t> prefix) {
  while (!prefix.empty() && prefix.back() == kMaxNumber) prefix.pop_back();
  if (prefix.empty()) {
    if (epoch == kMaxNumber) return std::nullopt;
    return MakeVersion(epoch + 1, {0}, std::nullopt, std::nullopt, 0);
  }
  ++prefix.back();
  return MakeVersion(epoch, std::move(prefix), std::nullopt, std::nullopt, 0);
}

// ---------------------------------------------------------------------------
// Points and their order

// True when `a` and `b` have the same epoch and the same release ignoring
// trailing zeros.
bool SameBase(const Version& a, const Version& b) {
  if (a.epoch() != b.epoch()) return false;
  absl::Span<const uint64_t> ra = a.release();
  absl::Span<const uint64_t> rb = b.release();
  const size_t n = std::max(ra.size(), rb.size());
  for (size_t i = 0; i < n; ++i) {
    const uint64_t x = i < ra.size() ? ra[i] : 0;
    const uint64_t y = i < rb.size() ? rb[i] : 0;
    if (x != y) return false;
  }
  return true;
}

// True when `v` belongs to the family that the synthetic point `p` sits
// just above (only meaningful when `v` sorts above p.version).
bool InFamily(const Point& p, const Version& v) {
  const Version& base = p.version;
  if (!SameBase(base, v) || base.pre() != v.pre()) return false;
  if (p.kind == Kind::kAfterLocals) {
    return base.post() == v.post() && base.dev() == v.dev();
  }
  return base.dev() == v.dev() || v.post().has_value();
}

// True when `v` sorts below the synthetic point `p`.
bool BelowSynthetic(const Version& v, const Point& p) {
  return p.version >= v || InFamily(p, v);
}

// packaging's comparison key for the non-release part, with the extension
// for synthetic points (their local part is +inf; AfterPosts also has an
// infinite post number).
struct SuffixKey {
  int pre_rank;  // -1: dev-only release, 0: has pre, 1: no pre
  int pre_kind;
  uint64_t pre_number;
  int post_rank;  // -1: none, 0: number, 1: +inf
  uint64_t post_number;
  int dev_rank;  // 0: number, 1: none (+inf)
  uint64_t dev_number;

  friend auto operator<=>(const SuffixKey&, const SuffixKey&) = default;
};

SuffixKey SyntheticKey(const Point& p) {
  const Version& v = p.version;
  SuffixKey key{};
  if (v.pre().has_value()) {
    key.pre_rank = 0;
    key.pre_kind = static_cast<int>(v.pre()->kind);
    key.pre_number = v.pre()->number;
  } else {
    key.pre_rank = (!v.post().has_value() && v.dev().has_value()) ? -1 : 1;
  }
  if (p.kind == Kind::kAfterPosts) {
    key.post_rank = 1;
    key.dev_rank = 1;
    return key;
  }
  key.post_rank = v.post().has_value() ? 0 : -1;
  key.post_number = v.post().value_or(0);
  key.dev_rank = v.dev().has_value() ? 0 : 1;
  key.dev_number = v.dev().value_or(0);
  return key;
}

std::weak_ordering CompareSynthetic(const Point& a, const Point& b) {
  if (a.version.epoch() != b.version.epoch()) {
    return a.version.epoch() <=> b.version.epoch();
  }
  absl::Span<const uint64_t> ra = a.version.release();
  absl::Span<const uint64_t> rb = b.version.release();
  size_t na = ra.size(), nb = rb.size();
  while (na > 1 && ra[na - 1] == 0) --na;
  while (nb > 1 && rb[nb - 1] == 0) --nb;
  const auto release = std::lexicographical_compare_three_way(
      ra.begin(), ra.begin() + na, rb.begin(), rb.begin() + nb);
  if (release != 0) return release;
  return SyntheticKey(a) <=> SyntheticKey(b);
}

std::weak_ordering ComparePoints(const Point& a, const Point& b) {
  const bool a_real = a.kind == Kind::kVersion;
  const bool b_real = b.kind == Kind::kVersion;
  if (a_real && b_real) return a.version <=> b.version;
  if (a_real) {
    return BelowSynthetic(a.version, b) ? std::weak_ordering::less
                                        : std::weak_ordering::greater;
  }
  if (b_real) {
    return BelowSynthetic(b.version, a) ? std::weak_ordering::greater
                                        : std::weak_ordering::less;
  }
  return CompareSynthetic(a, b);
}

Bound Unbounded() { return Bound{}; }
Bound At(Version v, bool inclusive) {
  return Bound{Point{std::move(v), Kind::kVersion}, inclusive};
}
Bound AtSynthetic(Version v, Kind kind, bool inclusive) {
  return Bound{Point{std::move(v), kind}, inclusive};
}

// True when lower bound `a` starts before lower bound `b`.
bool LowerBefore(const Bound& a, const Bound& b) {
  if (!a.point.has_value()) return b.point.has_value();
  if (!b.point.has_value()) return false;
  const std::weak_ordering c = ComparePoints(*a.point, *b.point);
  if (c != 0) return c < 0;
  return a.inclusive && !b.inclusive;
}

// True when upper bound `a` ends before upper bound `b`.
bool UpperBefore(const Bound& a, const Bound& b) {
  if (!a.point.has_value()) return false;
  if (!b.point.has_value()) return true;
  const std::weak_ordering c = ComparePoints(*a.point, *b.point);
  if (c != 0) return c < 0;
  return !a.inclusive && b.inclusive;
}

bool AboveLower(const Bound& lower, const Version& v) {
  if (!lower.point.has_value()) return true;
  const Point& p = *lower.point;
  if (p.kind != Kind::kVersion) return !BelowSynthetic(v, p);
  const std::strong_ordering c = v <=> p.version;
  return lower.inclusive ? c >= 0 : c > 0;
}

bool BelowUpper(const Bound& upper, const Version& v) {
  if (!upper.point.has_value()) return true;
  const Point& p = *upper.point;
  if (p.kind != Kind::kVersion) return BelowSynthetic(v, p);
  const std::strong_ordering c = v <=> p.version;
  return upper.inclusive ? c <= 0 : c < 0;
}

bool InRanges(const Ranges& ranges, const Version& v) {
  for (const Interval& interval : ranges) {
    if (!AboveLower(interval.lower, v)) return false;
    if (BelowUpper(interval.upper, v)) return true;
  }
  return false;
}

// The smallest real version above a synthetic point, when there is one and it
// is representable. AfterPosts of a final release has none: 1.0.0.1,
// 1.0.0.0.1, ... approach it from above.
std::optional<Version> LeastVersionAbove(const Point& p) {
  const Version& v = p.version;
  if (p.kind == Kind::kAfterLocals) {
    if (v.dev().has_value()) {
      if (*v.dev() == kMaxNumber) return std::nullopt;
      return MakeVersion(v.epoch(), ReleaseOf(v), v.pre(), v.post(),
                         *v.dev() + 1);
    }
    const uint64_t post = v.post().has_value() ? *v.post() + 1 : 0;
    if (v.post().has_value() && *v.post() == kMaxNumber) return std::nullopt;
    return MakeVersion(v.epoch(), ReleaseOf(v), v.pre(), post, 0);
  }
  if (!v.pre().has_value() || v.pre()->number == kMaxNumber) {
    return std::nullopt;
  }
  PreRelease next = *v.pre();
  ++next.number;
  return MakeVersion(v.epoch(), ReleaseOf(v), next, std::nullopt, 0);
}

bool IsEmpty(const Bound& lower, const Bound& upper) {
  if (!upper.point.has_value()) return false;
  const Point& hi = *upper.point;
  // Nothing sorts below 0.dev0.
  if (hi.kind == Kind::kVersion && !upper.inclusive &&
      hi.version <= MinVersion()) {
    return true;
  }
  if (!lower.point.has_value()) return false;
  const Point& lo = *lower.point;
  if (lo.kind != Kind::kVersion && hi.kind == Kind::kVersion) {
    if (std::optional<Version> next = LeastVersionAbove(lo)) {
      const std::strong_ordering c = hi.version <=> *next;
      if (c == 0) return !upper.inclusive;
      return c < 0;
    }
  }
  const std::weak_ordering c = ComparePoints(lo, hi);
  if (c == 0) return !(lower.inclusive && upper.inclusive);
  return c > 0;
}

Ranges FullRange() { return Ranges{Interval{Unbounded(), Unbounded()}}; }

// Drops empty intervals and folds an inclusive lower bound at 0.dev0 into
// -inf, so that equal sets have one representation.
Ranges Canonical(Ranges ranges) {
  Ranges out;
  out.reserve(ranges.size());
  for (Interval& interval : ranges) {
    const Bound& lo = interval.lower;
    if (lo.point.has_value() && lo.inclusive &&
        lo.point->kind == Kind::kVersion && lo.point->version <= MinVersion()) {
      interval.lower = Unbounded();
    }
    if (!IsEmpty(interval.lower, interval.upper)) {
      out.push_back(std::move(interval));
    }
  }
  return out;
}

Ranges IntersectRanges(const Ranges& left, const Ranges& right) {
  Ranges out;
  size_t i = 0, j = 0;
  while (i < left.size() && j < right.size()) {
    const Interval& a = left[i];
    const Interval& b = right[j];
    const Bound& lower = LowerBefore(a.lower, b.lower) ? b.lower : a.lower;
    const Bound& upper = UpperBefore(a.upper, b.upper) ? a.upper : b.upper;
    if (!IsEmpty(lower, upper)) out.push_back(Interval{lower, upper});
    if (UpperBefore(a.upper, b.upper)) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

Ranges ComplementRanges(const Ranges& ranges) {
  if (ranges.empty()) return FullRange();
  Ranges out;
  const Bound* previous_upper = nullptr;
  for (const Interval& interval : ranges) {
    const Bound gap_upper{interval.lower.point, !interval.lower.inclusive};
    if (previous_upper == nullptr) {
      if (interval.lower.point.has_value()) {
        out.push_back(Interval{Unbounded(), gap_upper});
      }
    } else {
      out.push_back(Interval{
          Bound{previous_upper->point, !previous_upper->inclusive}, gap_upper});
    }
    previous_upper = &interval.upper;
  }
  if (previous_upper->point.has_value()) {
    out.push_back(Interval{
        Bound{previous_upper->point, !previous_upper->inclusive}, Unbounded()});
  }
  return Canonical(std::move(out));
}

// The smallest final release at or above a pre- or dev-release.
Version NearestFinal(const Version& v) {
  if (v.pre().has_value()) {
    return MakeVersion(v.epoch(), ReleaseOf(v), std::nullopt, std::nullopt,
                       std::nullopt);
  }
  return MakeVersion(v.epoch(), ReleaseOf(v), std::nullopt, v.post(),
                     std::nullopt);
}

// True when every interval holds only pre-releases (so the set is empty once
// pre-releases are excluded).
bool PrereleaseOnly(const Ranges& ranges) {
  for (const Interval& interval : ranges) {
    std::optional<Version> nearest;
    const Bound& lo = interval.lower;
    if (!lo.point.has_value()) {
      nearest = MakeVersion(0, {0}, std::nullopt, std::nullopt, std::nullopt);
    } else if (lo.point->kind != Kind::kVersion) {
      const Version& v = lo.point->version;
      if (v.is_prerelease()) {
        nearest = NearestFinal(v);
      } else if (v.post().has_value() && *v.post() == kMaxNumber) {
        return false;  // the next post-release is not representable
      } else {
        // For AfterPosts of a final release this undershoots on purpose:
        // longer releases (1.0.0.1) are finals above it, so the interval is
        // never pre-release-only unless its upper end is below V.post0.
        nearest =
            MakeVersion(v.epoch(), ReleaseOf(v), v.pre(),
                        v.post().has_value() ? *v.post() + 1 : 0, std::nullopt);
      }
    } else {
      const Version& v = lo.point->version;
      nearest = v.is_prerelease() ? NearestFinal(v) : v.WithoutLocal();
    }
    if (!interval.upper.point.has_value()) return false;
    const std::weak_ordering c = ComparePoints(
        Point{*std::move(nearest), Kind::kVersion}, *interval.upper.point);
    if (c < 0) return false;
    if (c == 0 && interval.upper.inclusive) return false;
  }
  return true;
}

// Strips trailing ".0" release components from a normal-form version string
// (keeping at least one): "1!2.0.0rc1" -> "1!2rc1".
std::string StripTrailingZeros(const std::string& normal) {
  size_t start = 0;
  const size_t bang = normal.find('!');
  if (bang != std::string::npos) start = bang + 1;
  size_t end = start;
  while (end < normal.size() && IsDigit(normal[end])) ++end;
  while (end + 1 < normal.size() && normal[end] == '.' &&
         IsDigit(normal[end + 1])) {
    ++end;
    while (end < normal.size() && IsDigit(normal[end])) ++end;
  }
  size_t cut = end;
  while (cut >= start + 2 && normal[cut - 1] == '0' && normal[cut - 2] == '.') {
    cut -= 2;
  }
  return absl::StrCat(normal.substr(0, cut), normal.substr(end));
}

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

// ---------------------------------------------------------------------------
// Filtering

// How a candidate matched.
enum class Match : uint8_t {
  kNo,
  kFinal,      // a version that is not a pre-release
  kPre,        // a pre- or dev-release
  kArbitrary,  // matched, but not a valid version (kept like a final)
};

Match Classify(const VersionCandidate& c) {
  if (c.parsed == nullptr) return Match::kArbitrary;
  return c.parsed->is_prerelease() ? Match::kPre : Match::kFinal;
}

// Runs `matches(i)` (returning Match) over n items and applies the
// pre-release policy: true keeps every match, false drops pre-releases,
// nullopt keeps pre-releases only when no final release matched.
template <typename MatchFn>
std::vector<size_t> ApplyPolicy(size_t n, std::optional<bool> prereleases,
                                MatchFn matches) {
  std::vector<size_t> out;
  if (prereleases.has_value()) {
    for (size_t i = 0; i < n; ++i) {
      const Match m = matches(i);
      if (m == Match::kNo) continue;
      if (m == Match::kPre && !*prereleases) continue;
      out.push_back(i);
    }
    return out;
  }
  std::vector<bool> is_pre;
  bool found_final = false;
  for (size_t i = 0; i < n; ++i) {
    const Match m = matches(i);
    if (m == Match::kNo) continue;
    if (m == Match::kPre) {
      if (found_final) continue;  // a final already hides every pre-release
    } else if (m == Match::kFinal) {
      found_final = true;
    }
    out.push_back(i);
    is_pre.push_back(m == Match::kPre);
  }
  if (found_final) {
    size_t kept = 0;
    for (size_t k = 0; k < out.size(); ++k) {
      if (!is_pre[k]) out[kept++] = out[k];
    }
    out.resize(kept);
  }
  return out;
}

}  // namespace

absl::string_view SpecifierOperatorText(SpecifierOperator op) {
  switch (op) {
    case SpecifierOperator::kCompatible:
      return "~=";
    case SpecifierOperator::kEqual:
      return "==";
    case SpecifierOperator::kNotEqual:
      return "!=";
    case SpecifierOperator::kLessThanOrEqual:
      return "<=";
    case SpecifierOperator::kGreaterThanOrEqual:
      return ">=";
    case SpecifierOperator::kLessThan:
      return "<";
    case SpecifierOperator::kGreaterThan:
      return ">";
    case SpecifierOperator::kArbitraryEqual:
      return "===";
  }
  return "";
}

// ---------------------------------------------------------------------------
// Specifier

absl::StatusOr<Specifier> Specifier::Parse(absl::string_view text,
                                           std::optional<bool> prereleases) {
  return ParseAt(text, 0, text.size(), prereleases);
}

absl::StatusOr<Specifier> Specifier::ParseAt(absl::string_view whole,
                                             size_t begin, size_t end,
                                             std::optional<bool> prereleases) {
  size_t b = begin, e = end;
  StripWhitespace(whole, &b, &e);
  const absl::string_view item = whole.substr(begin, end - begin);
  const auto error = [&](absl::string_view what, size_t at) {
    std::string context;
    if (begin != 0 || end != whole.size()) {
      context = absl::StrCat(" in specifier set ", Quote(whole));
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "invalid specifier %s%s: %s at position %d",
        Quote(absl::StripAsciiWhitespace(item)), context, what, at));
  };
  if (b == e) return error("empty specifier", b);

  const absl::string_view body = whole.substr(b, e - b);
  Specifier spec;
  size_t op_size = 0;
  static constexpr std::pair<absl::string_view, SpecifierOperator> kOps[] = {
      {"===", SpecifierOperator::kArbitraryEqual},
      {"~=", SpecifierOperator::kCompatible},
      {"==", SpecifierOperator::kEqual},
      {"!=", SpecifierOperator::kNotEqual},
      {"<=", SpecifierOperator::kLessThanOrEqual},
      {">=", SpecifierOperator::kGreaterThanOrEqual},
      {"<", SpecifierOperator::kLessThan},
      {">", SpecifierOperator::kGreaterThan},
  };
  for (const auto& [spelling, op] : kOps) {
    if (absl::StartsWith(body, spelling)) {
      spec.op_ = op;
      op_size = spelling.size();
      break;
    }
  }
  if (op_size == 0) return error("unknown operator", b);

  size_t vb = b + op_size;
  while (vb < e) {
    const size_t n = WhitespaceLength(whole, vb);
    if (n == 0) break;
    vb += n;
  }
  const absl::string_view version = whole.substr(vb, e - vb);
  spec.version_text_ = std::string(version);
  spec.explicit_prereleases_ = prereleases;

  if (spec.op_ == SpecifierOperator::kArbitraryEqual) {
    // Anything but whitespace, ';' and ')' (packaging's `[^\s;)]*`).
    for (size_t i = 0; i < version.size(); ++i) {
      if (WhitespaceLength(version, i) != 0 || version[i] == ';' ||
          version[i] == ')') {
        return error("unexpected character in arbitrary version", vb + i);
      }
    }
    spec.canonical_version_ = spec.version_text_;
    absl::StatusOr<Version> parsed = Version::Parse(version);
    if (parsed.ok()) spec.detected_prereleases_ = parsed->is_prerelease();
    spec.ranges_ = FullRange();
    return spec;
  }

  if (version.empty()) return error("missing version", vb);
  VersionSyntax syntax;
  if (std::optional<SyntaxError> bad = VersionScanner(version).Scan(&syntax)) {
    return error(bad->what, vb + bad->at);
  }
  const bool equality = spec.op_ == SpecifierOperator::kEqual ||
                        spec.op_ == SpecifierOperator::kNotEqual;
  if (syntax.wildcard_at.has_value() && !equality) {
    return error(absl::StrCat("a \".*\" prefix match is not allowed with ",
                              spec.operator_text()),
                 vb + *syntax.wildcard_at);
  }
  if (syntax.local_at.has_value() && !equality) {
    return error(absl::StrCat("a local version label is not allowed with ",
                              spec.operator_text()),
                 vb + *syntax.local_at);
  }
  if (spec.op_ == SpecifierOperator::kCompatible && syntax.release_count < 2) {
    return error("~= needs at least two release segments", vb);
  }

  spec.wildcard_ = syntax.wildcard_at.has_value();
  const absl::string_view base =
      spec.wildcard_ ? version.substr(0, version.size() - 2) : version;
  absl::StatusOr<Version> parsed = Version::Parse(base);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid specifier ", Quote(absl::StripAsciiWhitespace(item)), ": ",
        parsed.status().message()));
  }
  const Version& v = *parsed;
  const bool has_local = syntax.local_at.has_value();

  // Pre-release detection: `!=` and prefix matches never imply pre-releases.
  if (spec.op_ == SpecifierOperator::kNotEqual || spec.wildcard_) {
    spec.detected_prereleases_ = false;
  } else {
    spec.detected_prereleases_ = v.is_prerelease();
  }

  // Canonical form for equality: `~=` keeps trailing zeros (they change
  // which releases are compatible); wildcards compare as written.
  if (spec.wildcard_) {
    spec.canonical_version_ = spec.version_text_;
  } else if (spec.op_ == SpecifierOperator::kCompatible) {
    spec.canonical_version_ = v.ToString();
  } else {
    spec.canonical_version_ = StripTrailingZeros(v.ToString());
  }

  Ranges ranges;
  const auto upper_or_inf = [](std::optional<Version> u) {
    return u.has_value() ? At(*std::move(u), false) : Unbounded();
  };
  if (spec.wildcard_) {
    // ==1.2.* is [1.2.dev0, 1.3.dev0); !=1.2.* its complement.
    Bound lower =
        At(MakeVersion(v.epoch(), ReleaseOf(v), std::nullopt, std::nullopt, 0),
           true);
    Bound upper = upper_or_inf(NextPrefixDev0(v.epoch(), ReleaseOf(v)));
    if (spec.op_ == SpecifierOperator::kEqual) {
      ranges.push_back(Interval{lower, upper});
    } else {
      ranges.push_back(Interval{Unbounded(), Bound{lower.point, false}});
      if (upper.point.has_value()) {
        ranges.push_back(Interval{Bound{upper.point, true}, Unbounded()});
      }
    }
  } else {
    switch (spec.op_) {
      case SpecifierOperator::kGreaterThanOrEqual:
        ranges.push_back(Interval{At(v, true), Unbounded()});
        break;
      case SpecifierOperator::kLessThanOrEqual:
        // Admits local versions of V.
        ranges.push_back(
            Interval{Unbounded(), AtSynthetic(v, Kind::kAfterLocals, true)});
        break;
      case SpecifierOperator::kGreaterThan:
        // >V excludes V's local versions and, unless V is itself a post- or
        // dev-release, V's post-releases.
        ranges.push_back(
            Interval{AtSynthetic(v,
                                 v.post().has_value() || v.dev().has_value()
                                     ? Kind::kAfterLocals
                                     : Kind::kAfterPosts,
                                 false),
                     Unbounded()});
        break;
      case SpecifierOperator::kLessThan: {
        // <V excludes V's pre-releases unless V is itself a pre-release.
        Version bound = v.is_prerelease() ? v : WithDev0(v);
        ranges.push_back(Interval{Unbounded(), At(std::move(bound), false)});
        break;
      }
      case SpecifierOperator::kEqual:
        ranges.push_back(Interval{
            At(v, true), has_local ? At(v, true)
                                   : AtSynthetic(v, Kind::kAfterLocals, true)});
        break;
      case SpecifierOperator::kNotEqual:
        ranges.push_back(Interval{Unbounded(), At(v, false)});
        ranges.push_back(
            Interval{has_local ? At(v, false)
                               : AtSynthetic(v, Kind::kAfterLocals, false),
                     Unbounded()});
        break;
      case SpecifierOperator::kCompatible: {
        // ~=1.4.2 is >=1.4.2, ==1.4.*.
        std::vector<uint64_t> prefix = ReleaseOf(v);
        prefix.pop_back();
        ranges.push_back(Interval{
            At(v, true), upper_or_inf(NextPrefixDev0(v.epoch(), prefix))});
        break;
      }
      case SpecifierOperator::kArbitraryEqual:
        break;
    }
  }
  spec.ranges_ = Canonical(std::move(ranges));
  spec.version_ = *std::move(parsed);
  return spec;
}

std::optional<bool> Specifier::DefaultPolicy() const {
  if (explicit_prereleases_.has_value()) return explicit_prereleases_;
  if (detected_prereleases_ == true) return true;
  return std::nullopt;
}

bool Specifier::MatchesIgnoringPrereleases(
    const VersionCandidate& candidate) const {
  if (op_ == SpecifierOperator::kArbitraryEqual) {
    return absl::EqualsIgnoreCase(candidate.text, version_text_);
  }
  return candidate.parsed != nullptr && InRanges(ranges_, *candidate.parsed);
}

bool Specifier::Contains(const VersionCandidate& candidate,
                         std::optional<bool> prereleases) const {
  if (!prereleases.has_value()) prereleases = DefaultPolicy();
  if (prereleases == false && candidate.parsed != nullptr &&
      candidate.parsed->is_prerelease()) {
    return false;
  }
  return MatchesIgnoringPrereleases(candidate);
}

bool Specifier::Contains(const Version& version,
                         std::optional<bool> prereleases) const {
  if (op_ == SpecifierOperator::kArbitraryEqual) {
    const std::string text = version.ToString();
    return Contains(VersionCandidate{text, &version}, prereleases);
  }
  return Contains(VersionCandidate{absl::string_view(), &version}, prereleases);
}

bool Specifier::Contains(absl::string_view text,
                         std::optional<bool> prereleases) const {
  absl::StatusOr<Version> parsed = Version::Parse(text);
  return Contains(VersionCandidate{text, parsed.ok() ? &*parsed : nullptr},
                  prereleases);
}

std::vector<size_t> Specifier::Filter(
    absl::Span<const VersionCandidate> candidates,
    std::optional<bool> prereleases) const {
  if (!prereleases.has_value()) prereleases = DefaultPolicy();
  return ApplyPolicy(candidates.size(), prereleases, [&](size_t i) {
    const VersionCandidate& c = candidates[i];
    return MatchesIgnoringPrereleases(c) ? Classify(c) : Match::kNo;
  });
}

std::vector<size_t> Specifier::Filter(absl::Span<const Version> versions,
                                      std::optional<bool> prereleases) const {
  if (!prereleases.has_value()) prereleases = DefaultPolicy();
  const bool arbitrary = op_ == SpecifierOperator::kArbitraryEqual;
  return ApplyPolicy(versions.size(), prereleases, [&](size_t i) {
    const Version& v = versions[i];
    const bool hit = arbitrary
                         ? absl::EqualsIgnoreCase(v.ToString(), version_text_)
                         : InRanges(ranges_, v);
    if (!hit) return Match::kNo;
    return v.is_prerelease() ? Match::kPre : Match::kFinal;
  });
}

std::vector<size_t> Specifier::Filter(absl::Span<const absl::string_view> texts,
                                      std::optional<bool> prereleases) const {
  if (!prereleases.has_value()) prereleases = DefaultPolicy();
  return ApplyPolicy(texts.size(), prereleases, [&](size_t i) {
    absl::StatusOr<Version> parsed = Version::Parse(texts[i]);
    const VersionCandidate c{texts[i], parsed.ok() ? &*parsed : nullptr};
    return MatchesIgnoringPrereleases(c) ? Classify(c) : Match::kNo;
  });
}

std::string Specifier::ToString() const {
  return absl::StrCat(operator_text(), version_text_);
}

// ---------------------------------------------------------------------------
// SpecifierSet

SpecifierSet::SpecifierSet() { Recompute(); }

absl::StatusOr<SpecifierSet> SpecifierSet::Parse(
    absl::string_view text, std::optional<bool> prereleases) {
  SpecifierSet set;
  set.explicit_prereleases_ = prereleases;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(',', begin);
    if (end == absl::string_view::npos) end = text.size();
    size_t b = begin, e = end;
    StripWhitespace(text, &b, &e);
    if (b != e) {
      absl::StatusOr<Specifier> spec =
          Specifier::ParseAt(text, begin, end, std::nullopt);
      if (!spec.ok()) return spec.status();
      set.specs_.push_back(*std::move(spec));
    }
    begin = end + 1;
  }
  set.Recompute();
  return set;
}

SpecifierSet SpecifierSet::FromSpecifiers(std::vector<Specifier> specifiers,
                                          std::optional<bool> prereleases) {
  SpecifierSet set;
  set.specs_ = std::move(specifiers);
  set.explicit_prereleases_ = prereleases;
  set.Recompute();
  return set;
}

void SpecifierSet::Recompute() {
  has_arbitrary_ = false;
  any_member_prereleases_ = false;
  for (const Specifier& spec : specs_) {
    if (spec.op() == SpecifierOperator::kArbitraryEqual) has_arbitrary_ = true;
    if (spec.prereleases() == true) any_member_prereleases_ = true;
  }

  // Canonical order: sorted by string form (stable), first of each
  // canonically-equal group kept.
  std::vector<std::string> strings;
  strings.reserve(specs_.size());
  for (const Specifier& spec : specs_) strings.push_back(spec.ToString());
  std::vector<size_t> order(specs_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return strings[a] < strings[b]; });
  canonical_.clear();
  std::set<std::pair<SpecifierOperator, std::string>> seen;
  for (size_t i : order) {
    if (seen.emplace(specs_[i].op_, specs_[i].canonical_version_).second) {
      canonical_.push_back(i);
    }
  }

  ranges_ = FullRange();
  for (const Specifier& spec : specs_) {
    if (ranges_.empty()) break;
    ranges_ = IntersectRanges(ranges_, spec.ranges_);
  }
}

bool SpecifierSet::CanonicalEqual(const SpecifierSet& a,
                                  const SpecifierSet& b) {
  if (a.canonical_.size() != b.canonical_.size()) return false;
  for (size_t i = 0; i < a.canonical_.size(); ++i) {
    if (!(a.specs_[a.canonical_[i]] == b.specs_[b.canonical_[i]])) {
      return false;
    }
  }
  return true;
}

std::optional<bool> SpecifierSet::prereleases() const {
  if (explicit_prereleases_.has_value()) return explicit_prereleases_;
  if (specs_.empty()) return std::nullopt;
  if (any_member_prereleases_) return true;
  return std::nullopt;
}

std::optional<bool> SpecifierSet::EffectiveDefault(
    std::optional<bool> prereleases) const {
  return prereleases.has_value() ? prereleases : this->prereleases();
}

bool SpecifierSet::Contains(const VersionCandidate& candidate,
                            std::optional<bool> prereleases,
                            Installed installed) const {
  const Version* parsed = candidate.parsed;
  if (parsed != nullptr && installed == Installed::kYes &&
      parsed->is_prerelease()) {
    prereleases = true;
  }
  prereleases = EffectiveDefault(prereleases);
  if (prereleases == false && parsed != nullptr && parsed->is_prerelease()) {
    return false;
  }
  if (specs_.empty()) return true;
  if (has_arbitrary_) {
    for (const Specifier& spec : specs_) {
      if (!spec.MatchesIgnoringPrereleases(candidate)) return false;
    }
    return true;
  }
  return parsed != nullptr && InRanges(ranges_, *parsed);
}

bool SpecifierSet::Contains(const Version& version,
                            std::optional<bool> prereleases,
                            Installed installed) const {
  if (has_arbitrary_) {
    const std::string text = version.ToString();
    return Contains(VersionCandidate{text, &version}, prereleases, installed);
  }
  return Contains(VersionCandidate{absl::string_view(), &version}, prereleases,
                  installed);
}

bool SpecifierSet::Contains(absl::string_view text,
                            std::optional<bool> prereleases,
                            Installed installed) const {
  absl::StatusOr<Version> parsed = Version::Parse(text);
  return Contains(VersionCandidate{text, parsed.ok() ? &*parsed : nullptr},
                  prereleases, installed);
}

std::vector<size_t> SpecifierSet::Filter(
    absl::Span<const VersionCandidate> candidates,
    std::optional<bool> prereleases) const {
  prereleases = EffectiveDefault(prereleases);
  return ApplyPolicy(candidates.size(), prereleases, [&](size_t i) {
    const VersionCandidate& c = candidates[i];
    if (has_arbitrary_) {
      for (const Specifier& spec : specs_) {
        if (!spec.MatchesIgnoringPrereleases(c)) return Match::kNo;
      }
      return Classify(c);
    }
    if (specs_.empty()) return Classify(c);
    if (c.parsed == nullptr || !InRanges(ranges_, *c.parsed)) {
      return Match::kNo;
    }
    return Classify(c);
  });
}

std::vector<size_t> SpecifierSet::Filter(
    absl::Span<const Version> versions, std::optional<bool> prereleases) const {
  prereleases = EffectiveDefault(prereleases);
  return ApplyPolicy(versions.size(), prereleases, [&](size_t i) {
    const Version& v = versions[i];
    bool hit = true;
    if (has_arbitrary_) {
      const std::string text = v.ToString();
      const VersionCandidate c{text, &v};
      for (const Specifier& spec : specs_) {
        if (!spec.MatchesIgnoringPrereleases(c)) {
          hit = false;
          break;
        }
      }
    } else if (!specs_.empty()) {
      hit = InRanges(ranges_, v);
    }
    if (!hit) return Match::kNo;
    return v.is_prerelease() ? Match::kPre : Match::kFinal;
  });
}

std::vector<size_t> SpecifierSet::Filter(
    absl::Span<const absl::string_view> texts,
    std::optional<bool> prereleases) const {
  prereleases = EffectiveDefault(prereleases);
  return ApplyPolicy(texts.size(), prereleases, [&](size_t i) {
    absl::StatusOr<Version> parsed = Version::Parse(texts[i]);
    const VersionCandidate c{texts[i], parsed.ok() ? &*parsed : nullptr};
    if (has_arbitrary_) {
      for (const Specifier& spec : specs_) {
        if (!spec.MatchesIgnoringPrereleases(c)) return Match::kNo;
      }
      return Classify(c);
    }
    if (specs_.empty()) return Classify(c);
    if (c.parsed == nullptr || !InRanges(ranges_, *c.parsed)) {
      return Match::kNo;
    }
    return Classify(c);
  });
}

std::string SpecifierSet::ToString() const {
  std::string out;
  for (size_t i : canonical_) {
    if (!out.empty()) out.push_back(',');
    absl::StrAppend(&out, specs_[i].ToString());
  }
  return out;
}

absl::StatusOr<SpecifierSet> SpecifierSet::Intersect(const SpecifierSet& a,
                                                     const SpecifierSet& b) {
  SpecifierSet out;
  if (!a.explicit_prereleases_.has_value() ||
      a.explicit_prereleases_ == b.explicit_prereleases_) {
    out.explicit_prereleases_ = b.explicit_prereleases_;
  } else if (!b.explicit_prereleases_.has_value()) {
    out.explicit_prereleases_ = a.explicit_prereleases_;
  } else {
    return absl::InvalidArgumentError(
        "Cannot combine SpecifierSets with True and False prerelease "
        "overrides.");
  }
  out.specs_.reserve(a.specs_.size() + b.specs_.size());
  out.specs_.insert(out.specs_.end(), a.specs_.begin(), a.specs_.end());
  out.specs_.insert(out.specs_.end(), b.specs_.begin(), b.specs_.end());
  out.Recompute();
  return out;
}

bool SpecifierSet::CheckArbitraryUnsatisfiable() const {
  // `===V` can only match the string V itself, so the set is satisfiable
  // exactly when every `===` names the same string and that string passes
  // every other member.
  const Specifier* first = nullptr;
  for (const Specifier& spec : specs_) {
    if (spec.op() != SpecifierOperator::kArbitraryEqual) continue;
    if (first == nullptr) {
      first = &spec;
    } else if (!absl::EqualsIgnoreCase(spec.version_text(),
                                       first->version_text())) {
      return true;
    }
  }
  if (first == nullptr) return false;
  absl::StatusOr<Version> candidate = Version::Parse(first->version_text());
  if (prereleases() == false && candidate.ok() && candidate->is_prerelease()) {
    return true;
  }
  for (const Specifier& spec : specs_) {
    if (spec.op() == SpecifierOperator::kArbitraryEqual) continue;
    // An unparsable string cannot satisfy a standard specifier.
    if (!candidate.ok() || !spec.Contains(*candidate)) return true;
  }
  return false;
}

bool SpecifierSet::IsUnsatisfiable() const {
  if (specs_.empty()) return false;
  if (ranges_.empty()) return true;
  if (CheckArbitraryUnsatisfiable()) return true;
  if (prereleases() == false) return PrereleaseOnly(ranges_);
  return false;
}

absl::Status SpecifierSet::CheckRelationOperand(
    const SpecifierSet& other) const {
  if (has_arbitrary_ || other.has_arbitrary_) {
    return absl::InvalidArgumentError(
        "set relations do not support === specifiers");
  }
  if (explicit_prereleases_ != other.explicit_prereleases_) {
    const auto name = [](std::optional<bool> p) {
      return p.has_value() ? (*p ? "true" : "false") : "unset";
    };
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot relate specifier sets with different pre-release policies: ",
        name(explicit_prereleases_), " and ",
        name(other.explicit_prereleases_)));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SpecifierSet::IsSubset(const SpecifierSet& other) const {
  if (absl::Status s = CheckRelationOperand(other); !s.ok()) return s;
  const Ranges difference =
      IntersectRanges(ranges_, ComplementRanges(other.ranges_));
  if (difference.empty()) return true;
  return explicit_prereleases_ == false && PrereleaseOnly(difference);
}

absl::StatusOr<bool> SpecifierSet::IsSuperset(const SpecifierSet& other) const {
  if (absl::Status s = CheckRelationOperand(other); !s.ok()) return s;
  return other.IsSubset(*this);
}

absl::StatusOr<bool> SpecifierSet::IsDisjoint(const SpecifierSet& other) const {
  if (absl::Status s = CheckRelationOperand(other); !s.ok()) return s;
  const Ranges both = IntersectRanges(ranges_, other.ranges_);
  if (both.empty()) return true;
  return explicit_prereleases_ == false && PrereleaseOnly(both);
}

}  // namespace relkit
