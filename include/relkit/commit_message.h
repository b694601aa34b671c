// File: relkit/commit_message.h
// -----------------------------------------------------------------------------
//
// Commit messages as they appear on PyTorch-family history: merge-bot titles
// with PR suffixes (`Title (#123)`, squashed cherry-picks `Title (#orig)
// (#cp)`), GitHub's truncated titles (`… (#N)` continued on the next line),
// `Pull Request resolved:` / `Pull-Request:` trailers, `(cherry picked from
// commit <sha>)`, reverts (`Revert "<title>"` + `This reverts commit <sha>.`),
// reapplies/relands, ghstack and Phabricator trailers, `Approved by:` and
// `Fixes #N`. A pure value layer: no git access. References (`#N`, PR and
// issue URLs) are read by `ParseGitHubRef` (relkit/github_ref.h); URLs count
// only on github.com.
//
//   relkit::CommitMessage m = relkit::CommitMessage::Parse(
//       "Revert \"Fix foo (#123)\" (#456)\n\n"
//       "This reverts commit 4019e4c0addc6eda8e1af6cf4c4fac5d02684720.\n");
//   m.revert_kind;          // RevertKind::kRevert
//   m.reverted_commits;     // {"4019e4c0addc6eda8e1af6cf4c4fac5d02684720"}
//   m.reverted_title;       // "Fix foo (#123)"
//   m.title_prs;            // {456}: the revert's own PR, not 123
//   m.MentionsPr(45);       // false: PR numbers match exactly
//
// Parsing never fails: a commit message is free text and every input yields a
// value holding what was recognised. Numbers too large for 64 bits are not
// recognised.

#ifndef RELKIT_COMMIT_MESSAGE_H_
#define RELKIT_COMMIT_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "relkit/github_ref.h"  // GitHubRef

namespace relkit {

// How a commit relates to a revert, judged from its title (and, for
// GitHub's "Reapply" squash bodies, the first body line).
enum class RevertKind : uint8_t {
  kNone,     // not a revert
  kRevert,   // `Revert "..."`, `Back out "..."`
  kReapply,  // `Reapply "..."`, `Reland ...`, `Revert "Revert "..."`
};

// Returns "none", "revert" or "reapply".
absl::string_view RevertKindName(RevertKind kind);

// A `Key: value` line the parser knows (see `CommitMessage::trailers`).
struct Trailer {
  std::string key;  // as written: "Pull Request resolved", "ghstack-source-id"
  std::string value;  // trimmed
  friend bool operator==(const Trailer&, const Trailer&) = default;
};

struct CommitMessage {
  // Parses `message` (the raw commit message). Never fails.
  static CommitMessage Parse(absl::string_view message);

  // The first line, as written (without the line break).
  std::string subject;
  // The full title: `subject`, with GitHub's truncation rejoined when the
  // subject ends in `… (#N)` and the body starts with `…`.
  std::string title;
  // True when the title is still cut short by GitHub (ends in `…` or has an
  // unclosed `Revert "` quote).
  bool title_truncated = false;
  // Everything after the title paragraph (and its continuation line).
  std::string body;

  // The `(#N)` suffixes at the end of the title, in order: `T (#6231)
  // (#6259)` -> {6231, 6259}. Suffixes inside a quoted reverted title do not
  // count.
  std::vector<uint64_t> title_prs;
  // `title` without its trailing `(#N)` suffixes.
  std::string bare_title;

  // PRs named by `Pull Request resolved:`, `Pull-Request-resolved:` and
  // `Pull-Request:` lines (anywhere, including after `Summary:`), in order.
  std::vector<GitHubRef> resolved_prs;
  // Shas of `(cherry picked from commit <sha>)` lines, lower case.
  std::vector<std::string> cherry_picked_from;
  // Shas (7 to 40 hex digits, lower case) of `This reverts commit <sha>`
  // lines starting at column 0 (quoted, indented text does not count).
  std::vector<std::string> reverted_commits;
  RevertKind revert_kind = RevertKind::kNone;
  // For `Revert "<X>"` / `Reapply "<X>"` / `Back out "<X>"`: X, possibly
  // truncated.
  std::optional<std::string> reverted_title;
  // `Reverted https://github.com/o/r/pull/N on behalf of ...` (merge bot).
  std::optional<GitHubRef> reverted_pr;

  std::optional<uint64_t> ghstack_source_id;
  // `Differential Revision: D123` or `[D123](url)`: "D123".
  std::optional<std::string> differential_revision;
  // `Approved by:` entries (URLs or logins), in order.
  std::vector<std::string> approved_by;
  // Issues named by `Fixes #N`, `Fixes <issues/N URL>` (also fix/fixed,
  // close[sd], resolve[sd]; any case) in the title or body. `owner`/`repo`
  // are empty for `#N`.
  std::vector<GitHubRef> fixes;
  // Every recognised `Key: value` line (the keys above plus Reviewed By,
  // Pulled By, fbshipit-source-id, Co-authored-by, Signed-off-by, X-link,
  // Original Phabricator Diff, ghstack dependencies), in order.
  std::vector<Trailer> trailers;

  // Returns the PR this commit landed as: the first `resolved_prs` entry,
  // else the last title suffix; nullopt when neither exists. On a release
  // branch a cherry-pick keeps the main PR in `Pull Request resolved:`.
  std::optional<uint64_t> OwnPr() const;
  // Returns every PR number that identifies this change (title suffixes and
  // resolved PRs), sorted, without duplicates. Not `reverted_pr`, not PR
  // numbers inside a reverted title.
  std::vector<uint64_t> PrNumbers() const;
  // Returns true when `number` is one of `PrNumbers()` (exact: 123 never
  // matches 1234).
  bool MentionsPr(uint64_t number) const;
  bool is_revert() const { return revert_kind == RevertKind::kRevert; }
  bool is_cherry_pick() const { return !cherry_picked_from.empty(); }

  // Returns the title normalised for fuzzy matching: PR suffixes and
  // release-branch markers (`[release/2.4]`, `[Release 2.4]`,
  // `[cherry-pick]`, `[RELEASE-ONLY CHANGES]`, `Cherry-pick`/`Cherry pick`
  // prefixes) removed, whitespace collapsed, ASCII lower case.
  std::string NormalizedTitle() const;

  friend bool operator==(const CommitMessage&, const CommitMessage&) = default;
};

// Returns the `(#N)` suffixes at the end of `title` in order, and the title
// without them.
std::pair<std::vector<uint64_t>, std::string> SplitTitlePrSuffixes(
    absl::string_view title);

// Returns `title` normalised as `CommitMessage::NormalizedTitle` does.
std::string NormalizeTitle(absl::string_view title);

}  // namespace relkit

#endif  // RELKIT_COMMIT_MESSAGE_H_
