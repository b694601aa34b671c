// File: relkit/pins.h
// -----------------------------------------------------------------------------
//
// Pins of a PyTorch-like repository at any ref: the triton commit pin
// (`.ci/docker/ci_commit_pins/triton.txt`, one 40-hex sha), the triton
// version (`.ci/docker/triton_version.txt`), and the submodules with their
// pinned commits, checked against their upstream's default branch.
//
//   absl::StatusOr<relkit::Repository> repo = relkit::Repository::Open(path);
//   absl::StatusOr<relkit::TritonPin> triton =
//       relkit::ReadTritonPin(*repo, "release/2.4");
//   triton->commit.ToString();          // "45fff310c891..."
//   triton->version->ToString();        // "3.0.0"
//
//   relkit::SubmoduleCheckOptions options;
//   options.upstreams.push_back({.path = "third_party/pybind11",
//                                .repository = "/mirrors/pybind11.git"});
//   absl::StatusOr<std::vector<relkit::SubmoduleCheck>> subs =
//       relkit::CheckSubmodules(*repo, "release/2.4", options);
//   for (const relkit::SubmoduleCheck& s : *subs) {
//     if (s.flagged()) std::cout << s.submodule.path << ": " << s.detail;
//   }
//
// Reading pins never writes. Parse errors name the file as `REF:PATH` with
// line and column, like git's `rev:path` syntax.

#ifndef RELKIT_PINS_H_
#define RELKIT_PINS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/git.h"
#include "relkit/version.h"

namespace relkit {

inline constexpr absl::string_view kTritonPinPath =
    ".ci/docker/ci_commit_pins/triton.txt";
inline constexpr absl::string_view kTritonVersionPath =
    ".ci/docker/triton_version.txt";

// Parses the text of a commit pin file: one 40-hex-digit sha (either case),
// optionally followed by whitespace (the usual trailing newline). Returns
// InvalidArgument naming `source` with the line and column of the first
// problem: an empty file, a non-hex character, a sha of the wrong length,
// or text after the sha.
absl::StatusOr<ObjectId> ParseCommitPin(absl::string_view text,
                                        absl::string_view source = "<input>");

// Parses the text of a version pin file: one PEP 440 version on the first
// line (`3.0.0`), optionally followed by whitespace. Returns InvalidArgument
// naming `source`, line and column for an empty file, an invalid version or
// text on later lines.
absl::StatusOr<Version> ParseVersionPin(absl::string_view text,
                                        absl::string_view source = "<input>");

// Reads and parses the commit pin `path` at `ref`. Returns NotFound naming
// ref and path when the file does not exist (or `ref` does not resolve),
// InvalidArgument naming `ref:path`, line and column when it is malformed.
absl::StatusOr<ObjectId> ReadCommitPin(const Repository& repo,
                                       absl::string_view ref,
                                       absl::string_view path);
// Reads and parses the version pin `path` at `ref`; errors as
// `ReadCommitPin`.
absl::StatusOr<Version> ReadVersionPin(const Repository& repo,
                                       absl::string_view ref,
                                       absl::string_view path);

// The triton pin of a revision.
struct TritonPin {
  // The pinned triton commit (`kTritonPinPath`).
  ObjectId commit;
  // The triton version (`kTritonVersionPath`); nullopt when the file does
  // not exist.
  std::optional<Version> version;
};

// Reads the triton pin at `ref`. Returns NotFound when `kTritonPinPath` does
// not exist at `ref` (domain libraries have none), InvalidArgument naming
// the file, ref and position when either file is malformed.
absl::StatusOr<TritonPin> ReadTritonPin(const Repository& repo,
                                        absl::string_view ref);

// Where the upstream of one submodule can be read.
struct SubmoduleUpstream {
  // The submodule's path in the superproject (`third_party/pybind11`).
  std::string path;
  // A local repository with the upstream's history: a clone, a mirror or the
  // checked-out submodule itself.
  std::string repository;
  // The revision there that is the upstream's default branch; empty: the
  // `.gitmodules` `branch` (as `origin/<branch>`, then `<branch>`), else the
  // first of `origin/HEAD`, `origin/main`, `origin/master`, `main`,
  // `master` that exists.
  std::string default_branch;
};

struct SubmoduleCheckOptions {
  // Upstreams given explicitly, by submodule path.
  std::vector<SubmoduleUpstream> upstreams;
  // For submodules without an explicit upstream, also look for the
  // checked-out submodule (`<workdir>/<path>`, `<git dir>/modules/<name>`).
  bool discover = true;
};

enum class SubmoduleState : uint8_t {
  // The pinned commit is in the history of the upstream's default branch.
  kOnDefaultBranch,
  // Flagged: the upstream has the pinned commit, but not on its default
  // branch (a fork, a feature branch, a force-pushed-away commit).
  kOffDefaultBranch,
  // Flagged: the upstream repository does not have the pinned commit.
  kNotInUpstream,
  // Flagged: `.gitmodules` names the submodule but the tree has no gitlink.
  kNoGitlink,
  // No upstream repository was given or found; nothing was checked.
  kUnchecked,
};
// Returns "on-default-branch", "off-default-branch", "not-in-upstream",
// "no-gitlink" or "unchecked".
absl::string_view SubmoduleStateName(SubmoduleState state);

// One submodule at a ref, checked against its upstream.
struct SubmoduleCheck {
  SubmoduleInfo submodule;
  SubmoduleState state = SubmoduleState::kUnchecked;
  // The upstream repository used (empty when unchecked).
  std::string upstream;
  // The revision of the upstream checked against, and its commit.
  std::string default_branch;
  std::optional<ObjectId> default_branch_commit;
  // A readable explanation of `state`.
  std::string detail;

  // Returns true for the states that need attention (off the default
  // branch, not in the upstream, no gitlink).
  bool flagged() const;
};

// Lists the submodules of `ref` with their pinned commits and checks each
// against its upstream's default branch. Returns NotFound when `ref` does
// not resolve, when an explicit upstream repository cannot be opened or its
// `default_branch` does not resolve; InvalidArgument when an explicit
// upstream names a path that is not a submodule at `ref` or `.gitmodules`
// is malformed.
absl::StatusOr<std::vector<SubmoduleCheck>> CheckSubmodules(
    const Repository& repo, absl::string_view ref,
    const SubmoduleCheckOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_PINS_H_
