// File: relkit/github_ref.h
// -----------------------------------------------------------------------------
//
// One reference to a GitHub pull request, issue or commit, as people and bots
// write it: `#123`, `owner/repo#123`, or a URL
// `https://github.com/owner/repo/pull/123` (also `/pulls/`, `/issues/`,
// `/commit/<sha>`, `/commits/<sha>`, on any host, for GitHub Enterprise).
//
// `ParseGitHubRef` is the one token-level parser of these references. The
// parsers of larger texts call it where a reference may start and judge what
// surrounds it themselves: commit messages (relkit/commit_message.h: title
// suffixes `(#123)`, `Fixes #123`, `Pull Request resolved: <url>`), tracker
// comments (relkit/cherry_pick.h: links in free text) and the CLI's PR-list
// files (one reference per line).
//
//   std::optional<relkit::GitHubRefToken> t = relkit::ParseGitHubRef(
//       "https://github.com/pytorch/pytorch/pull/123#issuecomment-1");
//   t->kind;    // GitHubRefKind::kPull
//   t->host;    // "github.com"
//   t->ref();   // {"pytorch", "pytorch", 123}
//   t->size;    // 43: the reference ends before "#issuecomment-1"
//
// Pure: no I/O. Never fails: text that does not start with a reference
// yields nullopt.

#ifndef RELKIT_GITHUB_REF_H_
#define RELKIT_GITHUB_REF_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace relkit {

// A GitHub pull request or issue: `owner/repo#number`, or `#number` in the
// current repository (`owner` and `repo` empty).
struct GitHubRef {
  std::string owner;
  std::string repo;
  uint64_t number = 0;

  // Returns `owner/repo#number`, or `#number` without an owner.
  std::string ToString() const;
  friend bool operator==(const GitHubRef&, const GitHubRef&) = default;
};

// How a reference names its target.
enum class GitHubRefKind : uint8_t {
  kNumber,  // `#123` or `owner/repo#123`: a pull request or an issue
  kPull,    // a `.../pull/123` URL
  kPulls,   // a `.../pulls/123` URL
  kIssue,   // a `.../issues/123` URL
  kCommit,  // a `.../commit/<sha>` or `.../commits/<sha>` URL
};

// One reference as `ParseGitHubRef` read it.
struct GitHubRefToken {
  GitHubRefKind kind = GitHubRefKind::kNumber;
  // URLs only: the scheme as written ("https", "http", "HTTPS") and the host
  // ("github.com", "www.github.com", "ghe.example.com:8443"); empty for the
  // `#123` forms.
  std::string scheme = {};
  std::string host = {};
  // Empty for `#123`.
  std::string owner = {};
  std::string repo = {};
  // The pull request or issue number; 0 for a commit.
  uint64_t number = 0;
  // A commit URL's sha, lower case (1 to any number of hex digits: the
  // length is the caller's to judge); empty otherwise.
  std::string sha = {};
  // The number of bytes of the input the reference spans.
  size_t size = 0;

  bool is_url() const { return kind != GitHubRefKind::kNumber; }
  // Returns owner, repo and number (for a commit, number 0).
  GitHubRef ref() const { return GitHubRef{owner, repo, number}; }
  // Returns the reference written out canonically: `#123`, `o/r#123`,
  // `https://github.com/o/r/pull/123` (no leading zeros, the sha in lower
  // case, `commit` for both commit forms). Parsing it gives this token back,
  // but for `size`.
  std::string ToString() const;
  friend bool operator==(const GitHubRefToken&,
                         const GitHubRefToken&) = default;
};

// Parses the reference at the start of `text`:
//
//   #<number>
//   <owner>/<repo>#<number>
//   <scheme>://<host>/<owner>/<repo>/(pull|pulls|issues)/<number>
//   <scheme>://<host>/<owner>/<repo>/(commit|commits)/<sha>
//
// where <scheme> is http or https in any case; <host> is letters, digits,
// `.`, `-`, `_` and `:` (a port); <owner> and <repo> are GitHub names
// (letters, digits, `-`, `_`, `.`; the repo not `.` or `..`, as
// `GitHubRepo::Parse` has them); the path kind is lower case; <number> is
// decimal digits (no sign) whose value fits in 64 bits; <sha> is hex digits.
// The reference ends with its number or sha, which must not be followed by a
// letter, digit or `_` (`#12abc` and `/pull/12abc` are no references).
// Whatever follows (`/files`, `#issuecomment-1`, `)`, `.`) is the caller's
// to judge, from `size`. Returns nullopt when `text` does not start with a
// reference.
std::optional<GitHubRefToken> ParseGitHubRef(absl::string_view text);

}  // namespace relkit

#endif  // RELKIT_GITHUB_REF_H_
