// File: relkit/cherry_pick.h
// -----------------------------------------------------------------------------
//
// The cherry-pick workflow of a release branch as pure values:
//
// - `CherryPickCommand::Parse` reads a comment the way `@pytorchbot` does
//   (the first line starting with `@pytorchbot` or `@pytorchmergebot`,
//   shell-split, argparse rules: `--onto`/`--into`, `--fixes`, `-c`/
//   `--classification`, unique prefixes, `--opt=value`, `-cdocs`) and
//   rejects bad commands with the bot's own usage error.
// - `Classification` is the bot's `-c` category, with what it means and
//   whether it may go into a patch release (RELEASE_PROCESS "Patch Releases").
// - `ParseTrackerComment` reads a nomination on the release tracker issue,
//   tolerating the variants people write (the three-block template,
//   "Trunk PR:" / "Cherry-pick PR:" / "Category:" bullets, a release
//   manager's "---" reply), and `RenderTrackerComment` writes the exact
//   three-block format.
// - `TrackerVersion` / `FindTrackerIssues` find the tracker issue of a
//   release by exact version ("2.1" never matches "[v.2.14.0] Release
//   Tracker").
//
//   absl::StatusOr<relkit::CherryPickCommand> cmd =
//   relkit::CherryPickCommand::Parse(
//       "LGTM\n@pytorchbot cherry-pick --onto release/2.4 -c regression "
//       "--fixes https://github.com/pytorch/pytorch/issues/130000");
//   cmd->onto;            // "release/2.4"
//   cmd->classification;  // Classification::kRegression
//
//   std::optional<relkit::CherryPickNomination> n =
//       relkit::ParseTrackerComment(comment.body);
//   if (n) n->release_prs;  // links to the release-branch PRs
//
// Parsing a comment never crashes; a bad bot command is InvalidArgument whose
// message names the input and line, followed by the bot's error text.

#ifndef RELKIT_CHERRY_PICK_H_
#define RELKIT_CHERRY_PICK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/milestone.h"
#include "relkit/version.h"

namespace relkit {

// The reason for a cherry-pick, as `@pytorchbot cherry-pick -c` names it.
enum class Classification : uint8_t {
  kRegression,     // "regression"
  kCritical,       // "critical"
  kFixNewFeature,  // "fixnewfeature"
  kDocs,           // "docs"
  kRelease,        // "release"
};

// What a classification means and how the release process treats it.
struct ClassificationInfo {
  Classification classification;
  // The bot's name ("fixnewfeature").
  absl::string_view name;
  // What it means, in the release process's words.
  absl::string_view meaning;
  // Whether the bot expects `--fixes` (it recommends linking an issue and
  // forwards --fixes only for these: regression, critical, fixnewfeature).
  bool requires_issue;
  // Whether a patch release accepts it (RELEASE_PROCESS "Patch Releases":
  // regressions, low-risk critical fixes, fixes to new features, docs,
  // release-branch-specific changes: all five).
  bool acceptable_in_patch_release;
  // The condition a patch release puts on it ("" when none).
  absl::string_view patch_release_condition;
};

// Returns the info of every classification, in the bot's order.
absl::Span<const ClassificationInfo> AllClassifications();
// Returns the info of `c`.
const ClassificationInfo& GetClassificationInfo(Classification c);
// Returns the bot's name of `c`.
absl::string_view ClassificationName(Classification c);
// Parses a bot name, exactly (argparse choices are case-sensitive). Returns
// InvalidArgument listing the choices otherwise.
absl::StatusOr<Classification> ParseClassification(absl::string_view name);

// A `@pytorchbot cherry-pick` command.
struct CherryPickCommand {
  // The branch to cherry-pick onto (`--onto`/`--into`), as written.
  std::string onto = {};
  // `--fixes`, as written (an issue URL or `#N`).
  std::optional<std::string> fixes = {};
  Classification classification = Classification::kRegression;
  // The 1-based line of the comment that holds the command.
  int line = 0;

  // Parses the bot command in `comment` (see the file comment). Returns
  // InvalidArgument "<source>:<line>: <bot error>" when the first bot line is
  // not a valid cherry-pick command (the text after the position is what
  // the bot would reply, e.g. "@pytorchbot cherry-pick: error: the following
  // arguments are required: -c/--classification"), or "<source>: no
  // @pytorchbot command" when there is none.
  static absl::StatusOr<CherryPickCommand> Parse(
      absl::string_view comment, absl::string_view source = "<input>");

  // Returns `fixes` when the classification expects an issue (the cherry-pick
  // workflow forwards --fixes only then), else nullopt.
  std::optional<std::string> effective_fixes() const;
  // Returns whether the bot would recommend linking an issue: the
  // classification expects one and `fixes` is absent.
  bool missing_recommended_issue() const;
  // Returns the canonical command text:
  // "@pytorchbot cherry-pick --onto release/2.4 --fixes #1 -c regression".
  std::string ToString() const;

  friend bool operator==(const CherryPickCommand&,
                         const CherryPickCommand&) = default;
};

// Returns the bot's usage text for cherry-pick (two lines and a newline).
std::string CherryPickUsage();

// -----------------------------------------------------------------------------
// Tracker comments

// A link in a tracker comment.
struct TrackerLink {
  enum class Kind : uint8_t { kPullRequest, kIssue, kCommit, kOther };
  // As written: a URL or `#123` / `owner/repo#123`.
  std::string text = {};
  Kind kind = Kind::kOther;
  // "owner/repo" when the link names it.
  std::string repo = {};
  // The PR or issue number; for a commit, nullopt.
  std::optional<int64_t> number = {};
  // The commit sha of a commit link.
  std::string sha = {};

  friend bool operator==(const TrackerLink&, const TrackerLink&) = default;
};

// Returns "pull_request", "issue", "commit" or "other" (the spelling of the
// JSON output and the Python `kind`).
absl::string_view TrackerLinkKindName(TrackerLink::Kind kind);

// A cherry-pick nomination on a release tracker issue.
struct CherryPickNomination {
  // "Link to landed trunk PR (if applicable):" / "Trunk PR:" / "Test-infra
  // PR:".
  std::vector<TrackerLink> trunk_prs = {};
  // "Link to release branch PR:" / "Cherry-pick PR:" / "Cherry-pick commit:".
  std::vector<TrackerLink> release_prs = {};
  // The "Criteria Category:" text as written (lines joined with "\n").
  std::string criteria = {};
  // The classification the criteria names, when it names one.
  std::optional<Classification> classification = {};
  // The issue after "<Classification> - " in the bot's format.
  std::optional<std::string> fixes = {};
  // Text after a "---" line: the release manager's reply ("merged").
  std::string reply = {};
  // What is missing or odd ("no release branch PR link").
  std::vector<std::string> warnings = {};

  friend bool operator==(const CherryPickNomination&,
                         const CherryPickNomination&) = default;
};

// Parses a tracker comment. Returns nullopt when it is not a nomination (no
// trunk-PR, release-PR or category field). Never fails: what is not
// understood is skipped, with a warning when a field is empty.
std::optional<CherryPickNomination> ParseTrackerComment(absl::string_view text);

// Returns the three-block nomination text:
//
//   Link to landed trunk PR (if applicable):
//   * https://github.com/o/n/pull/1
//
//   Link to release branch PR:
//   * https://github.com/o/n/pull/2
//
//   Criteria Category:
//   Regression - https://github.com/o/n/issues/3
//
// One `* ` line per link (`* N/A` when there is none); the category line is
// the capitalised classification and the fixes (unlike the bot, the URL is
// not capitalised and no dangling " - " is written), or `criteria` when no
// classification is set. ParseTrackerComment reads it back to an equal value
// (warnings aside).
std::string RenderTrackerComment(const CherryPickNomination& nomination);

// Returns the version a release tracker title names: "[v.2.4.0] Release
// Tracker" and "[v2.4.1] Release Tracker" give 2.4.0 and 2.4.1. Returns
// nullopt when the title has no `[vX.Y.Z]` tag or does not say "release
// tracker".
std::optional<Version> TrackerVersion(absl::string_view title);

// Returns the release tracker issues (not pull requests) for exactly
// `version` (PEP 440 equality: "2.1" finds "[v2.1.0]", never "[v.2.14.0]"
// or "[v2.1.1]"), open ones first, then by number, newest first.
std::vector<Issue> FindTrackerIssues(absl::Span<const Issue> issues,
                                     const Version& version);

}  // namespace relkit

#endif  // RELKIT_CHERRY_PICK_H_
