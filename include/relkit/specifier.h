// File: relkit/specifier.h
// -----------------------------------------------------------------------------
//
// PEP 440 version specifiers (`>=1.0`, `~=2.2`, `==1.4.*`, `===foo`) and
// comma-separated specifier sets, with exactly the semantics of
// `packaging.specifiers` in packaging 26.x: the same accepted syntax, the same
// string form and equality, the same matching (exclusive `<`/`>` rules, local
// labels, prefix matches, `===`), the same pre-release policy, and the same set
// algebra (`&`, `is_unsatisfiable`, `is_subset`, `is_superset`, `is_disjoint`).
//
//   absl::StatusOr<relkit::SpecifierSet> s =
//       relkit::SpecifierSet::Parse(">=1.0, !=1.3.*, <2");
//   if (!s.ok()) return s.status();        // InvalidArgument naming position
//   s->ToString();                         // "!=1.3.*,<2,>=1.0"
//   s->Contains("1.4.2");                  // true
//   s->Contains("1.3.1");                  // false
//   s->Contains("1.5rc1");                 // true: a lone pre-release matches
//   s->Contains("1.5rc1", false);          // false: pre-releases excluded
//
//   std::vector<absl::string_view> available = {"0.9", "1.2", "1.5rc1"};
//   s->Filter(available);                  // {1}: finals hide pre-releases
//
// Pre-release policy, in short (docs/prerelease-policy.md has the details):
// `Contains` accepts a pre-release that satisfies the specifiers unless
// pre-releases are excluded (by the call, or by an explicit `prereleases =
// false` on the specifier); `Filter` returns pre-releases only when no final
// release matched, unless pre-releases are allowed by the call, by an explicit
// override, or because a specifier names a pre-release (`>=2.0b1`).
//
// `Specifier` and `SpecifierSet` are copyable values. All parsing and range
// computation happens in `Parse`, so `Contains` and `Filter` never re-parse the
// specifier. Nothing here throws.

#ifndef RELKIT_SPECIFIER_H_
#define RELKIT_SPECIFIER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/version.h"

namespace relkit {

// The eight PEP 440 comparison operators.
enum class SpecifierOperator : uint8_t {
  kCompatible,          // ~=
  kEqual,               // ==
  kNotEqual,            // !=
  kLessThanOrEqual,     // <=
  kGreaterThanOrEqual,  // >=
  kLessThan,            // <
  kGreaterThan,         // >
  kArbitraryEqual,      // ===
};

// Returns the operator's spelling: "~=", "==", "!=", "<=", ">=", "<", ">" or
// "===".
absl::string_view SpecifierOperatorText(SpecifierOperator op);

// One item to match, as the Python layer sees it: the text the caller gave (a
// raw string, or the normal form of a `Version` object) and its parse.
// `===` compares `text`; every other operator compares `parsed`, and an item
// whose `parsed` is nullptr (text that is not a valid version) never matches
// them. Both pointers must outlive the call they are passed to.
struct VersionCandidate {
  absl::string_view text;
  const Version* parsed = nullptr;
};

// Whether the version being checked is already installed. An installed
// pre-release is accepted even where pre-releases are otherwise excluded
// (`SpecifierSet.contains(..., installed=True)`).
enum class Installed : uint8_t { kNo, kYes };

namespace specifier_internal {

// A point on the version line: a real version, or a synthetic point just
// above a family of versions (see src/values/specifier.cc).
struct Point {
  enum class Kind : uint8_t { kVersion, kAfterLocals, kAfterPosts };
  Version version;
  Kind kind = Kind::kVersion;
};

// One end of an interval; `point` is absent for -inf / +inf.
struct Bound {
  std::optional<Point> point;
  bool inclusive = false;
};

// A non-empty interval of versions.
struct Interval {
  Bound lower;
  Bound upper;
};

// Sorted, non-overlapping intervals.
using Ranges = std::vector<Interval>;

}  // namespace specifier_internal

// A single PEP 440 version specifier such as `>=1.0` or `==2.1.*`.
class Specifier {
 public:
  // Parses `text` (surrounding whitespace and whitespace after the operator
  // are allowed). `prereleases` is the explicit pre-release override
  // (nullopt: detect from the specifier's own version). Returns
  // InvalidArgument naming the input and the byte position of the problem,
  // e.g. `invalid specifier "=>2.0": unknown operator at position 0`.
  static absl::StatusOr<Specifier> Parse(
      absl::string_view text, std::optional<bool> prereleases = std::nullopt);

  SpecifierOperator op() const { return op_; }
  // Returns the operator's spelling ("~=", "==", ... "===").
  absl::string_view operator_text() const { return SpecifierOperatorText(op_); }
  // Returns the version text as written, after the operator and without
  // whitespace, including a trailing ".*" ("2.1.*"). For `===`, the
  // arbitrary string (possibly empty).
  const std::string& version_text() const { return version_text_; }
  // True for prefix matches (`==1.2.*`, `!=1.2.*`).
  bool is_wildcard() const { return wildcard_; }

  // Returns the effective pre-release policy: the explicit override when one
  // was given, otherwise false for `!=` and `==V.*`, nullopt for a `===`
  // whose string is not a version, and otherwise whether the specifier's own
  // version is a pre- or dev-release (`>=1.0b1` -> true).
  std::optional<bool> prereleases() const {
    return explicit_prereleases_.has_value() ? explicit_prereleases_
                                             : detected_prereleases_;
  }
  // Returns the explicit override given to Parse or set_prereleases.
  std::optional<bool> explicit_prereleases() const {
    return explicit_prereleases_;
  }
  // Sets (or with nullopt clears) the explicit pre-release override.
  void set_prereleases(std::optional<bool> value) {
    explicit_prereleases_ = value;
  }

  // Returns whether `version` satisfies this specifier. `prereleases`
  // overrides the policy for this call; with nullopt a pre-release is
  // accepted unless the explicit override is false. For `===`, `version` is
  // compared through its normal form (ToString()).
  bool Contains(const Version& version,
                std::optional<bool> prereleases = std::nullopt) const;
  // As above for a raw string: text that is not a valid version never
  // matches, except under `===`, which compares strings case-insensitively.
  bool Contains(absl::string_view text,
                std::optional<bool> prereleases = std::nullopt) const;
  // As above for a candidate whose parse the caller already has.
  bool Contains(const VersionCandidate& candidate,
                std::optional<bool> prereleases = std::nullopt) const;

  // Returns the indices of the candidates that satisfy this specifier, in
  // order. With `prereleases` nullopt and no pre-release policy, pre-releases
  // are returned only if no final release matched; true keeps them, false
  // drops them.
  std::vector<size_t> Filter(
      absl::Span<const VersionCandidate> candidates,
      std::optional<bool> prereleases = std::nullopt) const;
  // Filter over parsed versions (`===` sees their normal form).
  std::vector<size_t> Filter(
      absl::Span<const Version> versions,
      std::optional<bool> prereleases = std::nullopt) const;
  // Filter over raw strings, each parsed once.
  std::vector<size_t> Filter(
      absl::Span<const absl::string_view> texts,
      std::optional<bool> prereleases = std::nullopt) const;

  // Returns operator and version text without whitespace (">=1.0").
  std::string ToString() const;

  // Equality after PEP 440 canonicalisation, ignoring the pre-release
  // override: `==2.8.0` equals `==2.8`, but `~=1.18.0` differs from `~=1.18`
  // (the trailing zero changes what `~=` means). `===` and wildcard versions
  // compare as written.
  friend bool operator==(const Specifier& a, const Specifier& b) {
    return a.op_ == b.op_ && a.canonical_version_ == b.canonical_version_;
  }

  template <typename H>
  friend H AbslHashValue(H h, const Specifier& s) {
    return H::combine(std::move(h), s.op_, s.canonical_version_);
  }

 private:
  friend class SpecifierSet;

  Specifier() = default;

  static absl::StatusOr<Specifier> ParseAt(absl::string_view whole,
                                           size_t begin, size_t end,
                                           std::optional<bool> prereleases);

  // Matches ignoring every pre-release rule (`contains(prereleases=True)`).
  bool MatchesIgnoringPrereleases(const VersionCandidate& candidate) const;

  // The policy `contains`/`filter` fall back to: the override, else true when
  // detected, else nullopt.
  std::optional<bool> DefaultPolicy() const;

  SpecifierOperator op_ = SpecifierOperator::kEqual;
  std::string version_text_;
  std::string canonical_version_;
  bool wildcard_ = false;
  std::optional<Version> version_;  // parsed (base for wildcards); not ===
  std::optional<bool> explicit_prereleases_;
  std::optional<bool> detected_prereleases_;
  specifier_internal::Ranges ranges_;
};

// A comma-separated set of specifiers that must all match, such as
// `>=1.0,!=1.3.*,<2`. The empty set matches everything, including strings
// that are not versions.
class SpecifierSet {
 public:
  // Parses `text`: specifiers separated by commas, each with optional
  // surrounding whitespace; empty items are skipped, so "" is the empty set.
  // Returns InvalidArgument naming the bad item and its position in `text`.
  static absl::StatusOr<SpecifierSet> Parse(
      absl::string_view text, std::optional<bool> prereleases = std::nullopt);

  // Builds a set from already parsed specifiers (kept in the given order,
  // each with its own pre-release override).
  static SpecifierSet FromSpecifiers(
      std::vector<Specifier> specifiers,
      std::optional<bool> prereleases = std::nullopt);

  // The empty set (matches everything).
  SpecifierSet();

  // Returns the number of specifiers as given (duplicates included).
  size_t size() const { return specs_.size(); }
  bool empty() const { return specs_.empty(); }
  // Iterates over the specifiers in the order given.
  std::vector<Specifier>::const_iterator begin() const {
    return specs_.begin();
  }
  std::vector<Specifier>::const_iterator end() const { return specs_.end(); }
  const std::vector<Specifier>& specifiers() const { return specs_; }

  // Returns the effective pre-release policy: the explicit override, else
  // true when any member's policy is true, else nullopt.
  std::optional<bool> prereleases() const;
  std::optional<bool> explicit_prereleases() const {
    return explicit_prereleases_;
  }
  // Sets (or with nullopt clears) the explicit pre-release override.
  void set_prereleases(std::optional<bool> value) {
    explicit_prereleases_ = value;
  }

  // Returns whether `version` satisfies every specifier. `prereleases`
  // overrides the policy for this call (nullopt: a pre-release is accepted
  // unless the explicit override is false); an installed pre-release is
  // always accepted when it satisfies the specifiers.
  bool Contains(const Version& version,
                std::optional<bool> prereleases = std::nullopt,
                Installed installed = Installed::kNo) const;
  // As above for a raw string. A string that is not a valid version matches
  // the empty set, and a set whose members are all `===` naming it (compared
  // as written, case-insensitively); it fails every other operator.
  bool Contains(absl::string_view text,
                std::optional<bool> prereleases = std::nullopt,
                Installed installed = Installed::kNo) const;
  bool Contains(const VersionCandidate& candidate,
                std::optional<bool> prereleases = std::nullopt,
                Installed installed = Installed::kNo) const;

  // Returns the indices of the candidates that satisfy every specifier, in
  // order, with the same pre-release rule as Specifier::Filter. For the empty
  // set, strings that are not versions are kept.
  std::vector<size_t> Filter(
      absl::Span<const VersionCandidate> candidates,
      std::optional<bool> prereleases = std::nullopt) const;
  std::vector<size_t> Filter(
      absl::Span<const Version> versions,
      std::optional<bool> prereleases = std::nullopt) const;
  std::vector<size_t> Filter(
      absl::Span<const absl::string_view> texts,
      std::optional<bool> prereleases = std::nullopt) const;

  // Returns the canonical form: members sorted by their string form, with
  // duplicates (after canonicalisation) removed, joined by "," ("!=2.0,>1.0").
  std::string ToString() const;

  // Returns the set that requires both `a` and `b` (packaging's `a & b`).
  // The explicit pre-release overrides combine as: unset & x -> x, equal ->
  // that value. Returns InvalidArgument when one is true and the other false.
  static absl::StatusOr<SpecifierSet> Intersect(const SpecifierSet& a,
                                                const SpecifierSet& b);

  // Returns whether no version (and, with `===`, no string) can satisfy the
  // set, taking an explicit `prereleases = false` into account. The empty set
  // is satisfiable.
  bool IsUnsatisfiable() const;

  // Returns whether every version matching this set also matches `other`
  // (superset: the reverse; disjoint: no version matches both). Returns
  // InvalidArgument when either set has a `===` member, or when the explicit
  // pre-release overrides differ (unset on one side counts as different).
  absl::StatusOr<bool> IsSubset(const SpecifierSet& other) const;
  absl::StatusOr<bool> IsSuperset(const SpecifierSet& other) const;
  absl::StatusOr<bool> IsDisjoint(const SpecifierSet& other) const;

  // Equality of the canonical member lists (ignores pre-release overrides).
  friend bool operator==(const SpecifierSet& a, const SpecifierSet& b) {
    return CanonicalEqual(a, b);
  }

  template <typename H>
  friend H AbslHashValue(H h, const SpecifierSet& s) {
    for (size_t i : s.canonical_) h = H::combine(std::move(h), s.specs_[i]);
    return H::combine(std::move(h), s.canonical_.size());
  }

 private:
  // Recomputes the cached canonical order, `===` flag, member policy and
  // intersected ranges from specs_.
  void Recompute();
  static bool CanonicalEqual(const SpecifierSet& a, const SpecifierSet& b);
  std::optional<bool> EffectiveDefault(std::optional<bool> prereleases) const;
  bool CheckArbitraryUnsatisfiable() const;
  absl::Status CheckRelationOperand(const SpecifierSet& other) const;

  std::vector<Specifier> specs_;
  std::vector<size_t> canonical_;  // indices: sorted by string, deduplicated
  std::optional<bool> explicit_prereleases_;
  bool has_arbitrary_ = false;
  bool any_member_prereleases_ = false;
  specifier_internal::Ranges ranges_;  // intersection; meaningful if !empty()
};

}  // namespace relkit

#endif  // RELKIT_SPECIFIER_H_
