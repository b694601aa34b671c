// File: relkit/release_versions.h
// -----------------------------------------------------------------------------
//
// `release/release_versions.sh` (pytorch/test-infra, formerly pytorch/builder)
// as a value: the file read and written exactly, and the typed release set
// of (package, version) it names.
//
//   absl::StatusOr<relkit::ReleaseVersionsFile> file =
//       relkit::ReleaseVersionsFile::Parse(text, "release_versions.sh");
//   if (!file.ok()) return file.status();  // InvalidArgument: file:line:col
//   file->ToString() == text;              // always: byte for byte
//   RELKIT_RETURN_IF_ERROR(file->SetValue("PYTORCH_VERSION", "2.4.1"));
//   relkit::ReleaseSet set = file->ToReleaseSet();
//   set.Find("torch")->version.ToString();  // "2.4.1"
//   set.problems();                         // unknown names, bad versions
//   relkit::CompareReleaseSets(previous, set);  // versions that went back
//
// The file is a shell script of `NAME=${NAME:-default}` lines, comments and
// blank lines. Every line is kept as written (line endings, spacing,
// comments after a value); `SetValue` replaces only the default's bytes.
// What the file *means* is reported, never silently used: a variable name
// relkit does not know (often a misspelling: `TORCHVISON_VERSION`, or
// promote.sh's `TENSORRT_VERSION` next to the file's
// `TORCH_TENSORRT_VERSION`), a default that is not a PEP 440 version, a
// `${OTHER:-x}` that reads another variable than it sets, a variable set
// twice, two variables for one package.

#ifndef RELKIT_RELEASE_VERSIONS_H_
#define RELKIT_RELEASE_VERSIONS_H_

#include <compare>
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

// A variable of release_versions.sh that relkit knows, and the packages
// (canonical names) whose version it sets.
struct ReleaseVariable {
  absl::string_view name;
  std::vector<absl::string_view> packages;
  // The name this one was replaced by (`FBGEMMGPU_VERSION` ->
  // `FBGEMM_GPU_VERSION`), empty for current names. Old names are still
  // read: they are in the file's history.
  absl::string_view replaced_by;
};

// Returns every variable relkit knows, current and former names, in the
// file's order.
absl::Span<const ReleaseVariable> KnownReleaseVariables();

// Returns the known variable `name`, or nullptr.
const ReleaseVariable* FindReleaseVariable(absl::string_view name);

// One `NAME=...` line of the file.
struct ReleaseAssignment {
  // 1-based line number in the file.
  int line = 0;
  // The variable set (`TORCHVISION_VERSION`).
  std::string variable;
  // The variable read in `${READ:-default}`; empty for a plain `NAME=value`.
  std::string reads;
  // The default as written (`0.19.0`), or the referenced variable for an
  // alias (`${TORCH_TENSORRT_VERSION}` or `$TORCH_TENSORRT_VERSION`).
  std::string value;
  // The variable the default refers to, for an alias line.
  std::string alias_of;
  // True for `export NAME=...`.
  bool exported = false;

  friend bool operator==(const ReleaseAssignment&,
                         const ReleaseAssignment&) = default;
};

// What a release set's reader reports instead of using a value.
enum class ReleaseProblemKind : uint8_t {
  kUnknownVariable,     // a name relkit does not know (maybe a misspelling)
  kFormerVariableName,  // a name the file no longer uses
  kInvalidVersion,      // the default is not a PEP 440 version
  kMismatchedDefault,   // `A=${B:-x}`: reads another variable than it sets
  kDuplicateVariable,   // set twice: the later line wins in the shell
  kDuplicatePackage,    // two variables set one package's version
  kUnresolvedAlias,     // `${OTHER}` names no earlier variable
  kVersionWentBack,     // older than in the previous state
};

// Returns the kind's name: "unknown-variable", "former-variable-name", ...
absl::string_view ReleaseProblemKindName(ReleaseProblemKind kind);

// One problem, with the line it comes from (0 when it is not one line's).
struct ReleaseProblem {
  ReleaseProblemKind kind = ReleaseProblemKind::kUnknownVariable;
  std::string variable;
  int line = 0;
  std::string message;

  // Returns "line 12: unknown variable ..." (or the message alone).
  std::string ToString() const;

  friend bool operator==(const ReleaseProblem&,
                         const ReleaseProblem&) = default;
};

// One package of a release at one version.
struct PackageVersion {
  std::string package;  // canonical name ("fbgemm-gpu")
  Version version;
  std::string variable;  // where it came from ("FBGEMM_GPU_VERSION")

  // Returns "fbgemm-gpu==1.8.0".
  std::string ToString() const;

  friend bool operator==(const PackageVersion&,
                         const PackageVersion&) = default;
  friend std::strong_ordering operator<=>(const PackageVersion& a,
                                          const PackageVersion& b) {
    if (auto c = a.package <=> b.package; c != 0) return c;
    if (auto c = a.version <=> b.version; c != 0) return c;
    return a.variable <=> b.variable;
  }
  template <typename H>
  friend H AbslHashValue(H h, const PackageVersion& p) {
    return H::combine(std::move(h), p.package, p.version, p.variable);
  }
};

// The typed set: one version per package, sorted by package, and the
// problems found while building it. A package whose variable has a problem
// that makes its version unknown (invalid, unresolved) is left out.
class ReleaseSet {
 public:
  ReleaseSet() = default;
  ReleaseSet(std::vector<PackageVersion> packages,
             std::vector<ReleaseProblem> problems);

  const std::vector<PackageVersion>& packages() const { return packages_; }
  const std::vector<ReleaseProblem>& problems() const { return problems_; }
  // Returns the entry of `package` (any spelling; canonicalised), or nullptr.
  const PackageVersion* Find(absl::string_view package) const;

  // Returns one `package==version` per line, then one problem per line.
  std::string ToString() const;

  friend bool operator==(const ReleaseSet&, const ReleaseSet&) = default;

 private:
  std::vector<PackageVersion> packages_;
  std::vector<ReleaseProblem> problems_;
};

// release_versions.sh, line by line.
class ReleaseVersionsFile {
 public:
  // Parses `text`. Blank lines, comments (including the `#!` line) and
  // `[export ]NAME=VALUE` lines are accepted, VALUE being `${NAME:-default}`,
  // `${NAME-default}`, a bare word or a double-quoted word, the default
  // being a word or a `${OTHER}`/`$OTHER` reference; a ` # comment` may
  // follow. Returns InvalidArgument naming `filename`, the line and the
  // column (both 1-based) of anything else: other shell syntax, an
  // unterminated `${`, a NUL byte.
  static absl::StatusOr<ReleaseVersionsFile> Parse(
      absl::string_view text, absl::string_view filename = "<input>");

  // Returns the file's bytes: exactly the parsed text when nothing was set.
  std::string ToString() const;

  // The assignments, in file order.
  const std::vector<ReleaseAssignment>& assignments() const {
    return assignments_;
  }
  const std::string& filename() const { return filename_; }

  // Returns the default of the last assignment of `variable`, or nullopt.
  std::optional<std::string> Get(absl::string_view variable) const;

  // Replaces the default of every assignment of `variable` with `value`,
  // keeping everything else of the line. Returns NotFound when the file does
  // not set `variable`, InvalidArgument when `value` is not a word the file
  // can hold (empty, whitespace, quotes, `$`, `}`, `#`, control bytes).
  // `value` need not be a version: the release set reports it.
  absl::Status SetValue(absl::string_view variable, absl::string_view value);

  // Returns the release set the file names, with its problems.
  ReleaseSet ToReleaseSet() const;

 private:
  struct Line {
    std::string text;        // without the line ending
    std::string eol;         // "\n", "\r\n" or "" (last line)
    int assignment = -1;     // index into assignments_, or -1
    size_t value_begin = 0;  // the default's bytes in `text`
    size_t value_end = 0;
  };

  std::string filename_;
  std::vector<Line> lines_;
  std::vector<ReleaseAssignment> assignments_;
};

// Returns the problems of going from `previous` to `current`: every package
// whose version is older than before (kVersionWentBack, naming both).
// Packages that appear or disappear are not problems.
std::vector<ReleaseProblem> CompareReleaseSets(const ReleaseSet& previous,
                                               const ReleaseSet& current);

}  // namespace relkit

#endif  // RELKIT_RELEASE_VERSIONS_H_
