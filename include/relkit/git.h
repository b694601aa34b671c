// File: relkit/git.h
// -----------------------------------------------------------------------------
//
// A git repository as release tooling needs it: resolve refs, walk ranges,
// read commits, files and submodules at any ref, list remotes and their
// URLs, compute patch-ids, and write branches, tags and commits built in
// memory (never touching the working tree or the index). This is librelkit's
// only libgit2 user; no libgit2 type appears here. The values it returns are
// in relkit/git_object.h (ids, commits, tags) and relkit/gitmodules.h.
//
//   absl::StatusOr<relkit::Repository> repo =
//       relkit::Repository::Open("/src/pytorch");
//   if (!repo.ok()) return repo.status();   // NotFound / FailedPrecondition
//   absl::StatusOr<std::vector<relkit::ObjectId>> picks =
//       repo->RevList("orig/release/2.4..upstream/release/2.4");
//   for (const relkit::ObjectId& id : *picks) {
//     absl::StatusOr<relkit::CommitInfo> c = repo->GetCommit(id);
//     std::optional<relkit::ObjectId> pid = *repo->PatchId(id);
//   }
//
// Writes are explicit and small: `CreateCommit` and `CreateTagObject` only add
// objects; refs change only through `UpdateRefs`, which is all-or-nothing
// with compare-and-swap on every ref; `Push` talks to a remote only when
// called. A `Repository` is move-only and not thread-safe: use one per thread.

#ifndef RELKIT_GIT_H_
#define RELKIT_GIT_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "relkit/git_object.h"
#include "relkit/gitmodules.h"

namespace relkit {

// How `Walk`/`RevList` traverse history.
struct WalkOptions {
  // Follow only the first parent of merges (`git rev-list --first-parent`).
  bool first_parent = false;
  // Oldest first instead of newest first.
  bool reverse = false;
  // Stop after this many commits (0: no limit).
  size_t limit = 0;
};

// One file change of a commit built in memory.
struct FileChange {
  // Repository-relative path with `/` separators (`.github/workflows/a.yml`).
  std::string path;
  // The new content; nullopt deletes the entry (unless `gitlink` is set).
  std::optional<std::string> content;
  bool executable = false;
  // When set, the entry becomes a submodule pin (gitlink) at this commit and
  // `content` is ignored.
  std::optional<ObjectId> gitlink;
};

// A commit to create from a parent tree plus changes.
struct CommitSpec {
  // Parents, first parent first; empty for a root commit. The tree starts as
  // the first parent's tree (or `base_tree_of` when set), then `changes`
  // apply in order.
  std::vector<ObjectId> parents;
  std::optional<ObjectId> base_tree_of;
  std::vector<FileChange> changes;
  std::string message;
  // nullopt: the repository's configured user.name/user.email, now.
  std::optional<Signature> author;
  std::optional<Signature> committer;  // nullopt: same as the author
};

// One ref change of an atomic `UpdateRefs`.
struct RefUpdate {
  // Full ref name: `refs/heads/release/2.4`, `refs/tags/v2.4.0-rc1`.
  std::string name;
  // The new target; a zero id deletes the ref.
  ObjectId target;
  // The value the ref must have now; nullopt: the ref must not exist.
  std::optional<ObjectId> expected;
  // The reflog message.
  std::string message = "relkit";
};

// How `Push` reaches the remote.
struct PushOptions {
  // A configured remote name (`upstream`) or a URL / filesystem path.
  std::string remote;
  // Refspecs such as `refs/heads/release/2.4:refs/heads/release/2.4`; a
  // leading `+` forces. A bare ref name `R` means `R:R`. The source may be
  // a full commit id (`<40 hex>:refs/heads/main`).
  std::vector<std::string> refspecs;
};

// A configured remote of a repository (`[remote "NAME"]` in its config).
struct Remote {
  std::string name;
  // The fetch URL as `git remote get-url NAME` prints it: the first
  // `remote.NAME.url`, with the longest matching `url.<base>.insteadOf`
  // applied; empty when only a push URL is set.
  std::string url;

  friend bool operator==(const Remote&, const Remote&) = default;
  friend auto operator<=>(const Remote&, const Remote&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Remote& r) {
    return H::combine(std::move(h), r.name, r.url);
  }
};

// How `Repository::CherryPick` writes the picked commit.
struct CherryPickOptions {
  // The committer of the new commit; nullopt: the repository's configured
  // user, now. The author is always the picked commit's author.
  std::optional<Signature> committer;
  // Append `(cherry picked from commit <full sha>)` as `git cherry-pick -x`
  // does (`CherryPickMessage`); false keeps the message as git without -x
  // writes it.
  bool record_origin = true;
};

// The outcome of an in-memory cherry-pick.
struct CherryPickResult {
  enum class Kind : uint8_t {
    // Applied cleanly: `commit` is the new commit (on no ref yet).
    kClean,
    // The change does not apply: `conflicts` names the paths.
    kConflict,
    // Applied cleanly but changes nothing: `onto` already has the change
    // (`git cherry-pick` stops with "the previous cherry-pick is now
    // empty"); no commit is written.
    kEmpty,
  };
  Kind kind = Kind::kClean;
  // The picked commit and the commit it went onto.
  ObjectId picked;
  ObjectId onto;
  // kClean: the new commit and its tree; kEmpty: `onto`'s tree.
  std::optional<ObjectId> commit;
  std::optional<ObjectId> tree;
  // The message the new commit has (or would have).
  std::string message;
  // kConflict: the conflicting paths, sorted, each once (both sides of a
  // rename conflict).
  std::vector<std::string> conflicts;
};

// Returns "clean", "conflict" or "empty".
absl::string_view CherryPickKindName(CherryPickResult::Kind kind);

// Returns the message `git cherry-pick -x` gives the pick of commit `picked`
// whose message is `message`: the message, a blank line unless it already
// ends in a trailer block (git's rules: the last paragraph, after the
// title, is all `Token: value` lines, or has a `Signed-off-by: ` / `(cherry
// picked from commit ` line and at least a quarter of trailers; trailing
// blank and `#` lines ignored), `(cherry picked from commit <full sha>)`,
// then git's whitespace cleanup (trailing spaces and surplus blank lines
// removed, `#` lines kept). PyTorch's `Pull Request resolved: <url>` is not
// a trailer to git (its token has spaces), so merge-bot commits get the
// blank line.
std::string CherryPickMessage(absl::string_view message,
                              const ObjectId& picked);

// How `Repository::Init` creates a repository.
struct InitOptions {
  enum class Kind : uint8_t { kWithWorkdir, kBare };
  Kind kind = Kind::kWithWorkdir;
  // The initial branch HEAD points to.
  std::string initial_branch = "main";
};

// -----------------------------------------------------------------------------
// Repository

class Repository {
 public:
  // Opens the repository at `path`: a working-tree root (containing `.git`),
  // a `.git` directory or a bare repository. Parent directories are not
  // searched. Returns NotFound when `path` does not exist or is not a git
  // repository, FailedPrecondition when it exists but cannot be used (for
  // example unsupported format or ownership), naming the path.
  static absl::StatusOr<Repository> Open(absl::string_view path);
  // Opens the repository that contains `path`, searching it and then its
  // parents as git does (stopping at $GIT_CEILING_DIRECTORIES): what a
  // command run from a subdirectory of a checkout wants. Returns NotFound
  // naming `path` when no parent is a repository; otherwise as Open.
  static absl::StatusOr<Repository> Discover(absl::string_view path);
  // Creates a new empty repository at `path` (created if missing). Returns
  // AlreadyExists when a repository is already there.
  static absl::StatusOr<Repository> Init(absl::string_view path,
                                         const InitOptions& options = {});

  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;
  ~Repository();

  // The git directory (`.../.git/` or the bare repository), with a trailing
  // slash as libgit2 reports it.
  std::string git_dir() const;
  // The working tree, or nullopt for a bare repository.
  std::optional<std::string> workdir() const;
  bool is_bare() const;
  bool is_shallow() const;
  // Returns the working tree in which branch `refs/heads/<branch>` is checked
  // out: this repository's own (when it has one and its HEAD is that
  // branch) or one of its linked worktrees (`git worktree add`); nullopt
  // when no working tree has it checked out. A bare repository's HEAD does
  // not count: nothing is checked out there. Git refuses to move such a
  // branch (`git branch -f`), as the index and files would no longer match
  // it.
  absl::StatusOr<std::optional<std::string>> WorktreeWithBranch(
      absl::string_view branch) const;

  // --- Refs and revisions ---------------------------------------------------

  // Resolves `rev` to a commit, in git's own order: 40 hex digits (the
  // object must exist), a full `refs/...` name, `refs/<rev>`,
  // `refs/tags/<rev>`, `refs/heads/<rev>`, `refs/remotes/<rev>`
  // (`upstream/release/2.4`), then git revision syntax (`main~2`,
  // `v2.4.0^{commit}`, abbreviated shas). Tags are peeled.
  // Returns NotFound naming `rev` and the repository when nothing matches,
  // InvalidArgument when it names a non-commit object, and
  // FailedPrecondition naming the ref when a matching ref is corrupt.
  absl::StatusOr<ObjectId> ResolveCommit(absl::string_view rev) const;
  // Returns the commit a full ref name points to (peeled), or nullopt when the
  // ref does not exist. Returns FailedPrecondition naming the ref when it
  // exists but is corrupt or dangling.
  absl::StatusOr<std::optional<ObjectId>> LookupRef(
      absl::string_view full_name) const;
  // Returns the direct target of a full ref name without peeling (the tag
  // object for annotated tags), or nullopt when the ref does not exist.
  absl::StatusOr<std::optional<ObjectId>> LookupRefTarget(
      absl::string_view full_name) const;
  // Returns (full name, peeled commit) for every ref under `prefix`
  // (`refs/heads/`, `refs/remotes/upstream/`), sorted by name. Refs that do
  // not point to commits are skipped.
  absl::StatusOr<std::vector<std::pair<std::string, ObjectId>>> ListRefs(
      absl::string_view prefix) const;
  // Returns every tag under `refs/tags/`, sorted by name.
  absl::StatusOr<std::vector<TagInfo>> ListTags() const;
  // Returns the short names of the tags that point (peeled) at `commit`.
  absl::StatusOr<std::vector<std::string>> TagsAt(const ObjectId& commit) const;

  // --- History --------------------------------------------------------------

  // Calls `visit` for each commit reachable from any of `include` and from
  // none of `exclude`, newest first (topological, then by commit time).
  // `visit` returns false to stop early. Returns FailedPrecondition naming
  // the missing commit when history is incomplete (a shallow clone).
  absl::Status Walk(absl::Span<const ObjectId> include,
                    absl::Span<const ObjectId> exclude,
                    const WalkOptions& options,
                    const std::function<bool(const ObjectId&)>& visit) const;
  // Returns the commits of `range`: `A..B` (reachable from B, not from A),
  // `A...B` (symmetric difference), or a single revision (all its history).
  // Each side is resolved with `ResolveCommit`. Returns InvalidArgument for
  // an empty side.
  absl::StatusOr<std::vector<ObjectId>> RevList(
      absl::string_view range, const WalkOptions& options = {}) const;

  // Returns the metadata of `id`. Returns NotFound when the object is missing
  // or is not a commit, InvalidArgument when it is a malformed commit.
  absl::StatusOr<CommitInfo> GetCommit(const ObjectId& id) const;
  // Calls `visit` with the message of commit `id` (as `CommitInfo::message`)
  // and its number of parents, read straight from the object database: the
  // bulk path for walks that read thousands of commits, at half the cost of
  // `GetCommit` (no libgit2 commit, signatures or parent list are built).
  // `message` is valid during the call only. Returns NotFound when the
  // object is missing, InvalidArgument naming the object when it is not a
  // commit or is malformed (what `GetCommit` refuses), and the read error
  // otherwise (a corrupt pack).
  absl::Status ReadMessage(
      const ObjectId& id,
      absl::FunctionRef<void(absl::string_view message, size_t parent_count)>
          visit) const;
  // Returns the best common ancestor of `a` and `b`. Returns NotFound when
  // they share no history.
  absl::StatusOr<ObjectId> MergeBase(const ObjectId& a,
                                     const ObjectId& b) const;
  // Returns true when `ancestor` is `descendant` or one of its ancestors
  // (`git merge-base --is-ancestor`).
  absl::StatusOr<bool> IsAncestor(const ObjectId& ancestor,
                                  const ObjectId& descendant) const;

  // Returns the stable patch-id of the commit's change against its first
  // parent (the same as `git diff-tree -p --no-renames C^ C | git patch-id
  // --stable`; a root commit is diffed against the empty tree). Returns
  // nullopt for merge commits and for commits that change nothing (git
  // patch-id prints nothing for them). Returns NotFound naming the commit
  // when a tree or blob it needs is missing (partial clone, pruned mirror).
  absl::StatusOr<std::optional<ObjectId>> PatchId(const ObjectId& commit) const;
  // Returns the paths the commit changes against its first parent (sorted;
  // both sides of a rename). Needs trees only, no blobs. Returns NotFound
  // when a tree is missing.
  absl::StatusOr<std::vector<std::string>> ChangedPaths(
      const ObjectId& commit) const;

  // --- Content at a revision ------------------------------------------------

  // Returns the content of `path` in the tree of `rev`. Returns NotFound
  // naming path and rev when there is no such file (or it is a directory or a
  // submodule).
  absl::StatusOr<std::string> ReadFile(absl::string_view rev,
                                       absl::string_view path) const;
  // Returns the paths of the files (blobs, not submodules) under directory
  // `prefix` ("" for the whole tree) in the tree of `rev`, recursively,
  // sorted. A missing directory yields an empty list.
  absl::StatusOr<std::vector<std::string>> ListFiles(
      absl::string_view rev, absl::string_view prefix = "") const;
  // Returns the submodules of `rev`: its `.gitmodules` joined with the
  // gitlinks of its tree, sorted by path. No `.gitmodules` means none.
  absl::StatusOr<std::vector<SubmoduleInfo>> Submodules(
      absl::string_view rev) const;

  // --- Remotes --------------------------------------------------------------

  // Returns the configured remotes (those with a url or pushurl) with their
  // fetch URLs, sorted by name (`git remote -v`, fetch lines). No remotes is
  // an empty list.
  absl::StatusOr<std::vector<Remote>> Remotes() const;
  // Returns the fetch URL of remote `name` (`git remote get-url NAME`).
  // Returns NotFound naming the remote and the repository when there is no
  // such remote or it has no fetch URL, InvalidArgument when `name` is not a
  // valid remote name.
  absl::StatusOr<std::string> RemoteUrl(absl::string_view name) const;

  // --- Writes ---------------------------------------------------------------

  // Writes the commit described by `spec` to the object database and returns
  // its id. No ref, index or working-tree file changes. Returns
  // InvalidArgument for a bad path in `changes`, FailedPrecondition when no
  // signature is given and none is configured.
  absl::StatusOr<ObjectId> CreateCommit(const CommitSpec& spec);
  // Writes an annotated tag object named `name` for `target` and returns its
  // id; the ref is created separately with `UpdateRefs`.
  absl::StatusOr<ObjectId> CreateTagObject(
      absl::string_view name, const ObjectId& target, absl::string_view message,
      const std::optional<Signature>& tagger);
  // Applies every update or none: all refs are locked, each is checked
  // against its `expected` value, then all are written. Returns
  // AlreadyExists when a ref expected to be absent exists, Aborted when a
  // ref's current value differs from `expected`, InvalidArgument for a bad
  // ref name; nothing is written in any of these cases.
  absl::Status UpdateRefs(absl::Span<const RefUpdate> updates);
  // Creates branch `refs/heads/<name>` at `target`. Returns AlreadyExists
  // when it exists (even at the same commit).
  absl::Status CreateBranch(absl::string_view name, const ObjectId& target);
  // Creates tag `refs/tags/<name>` at `target`: lightweight when `message`
  // is nullopt, otherwise annotated. Returns AlreadyExists when it exists.
  absl::Status CreateTag(absl::string_view name, const ObjectId& target,
                         const std::optional<std::string>& message,
                         const std::optional<Signature>& tagger = {});
  // Pushes `options.refspecs` to `options.remote`. Returns what
  // `CheckPushRemote` returns for a remote that cannot be used, Unavailable
  // when the remote cannot be reached, Aborted naming the refs the remote
  // rejected.
  absl::Status Push(const PushOptions& options);
  // Checks, without contacting it, that `remote` names somewhere a push can
  // go: a configured remote or a URL, and, when that is a local path (a
  // path, or a `file://` URL), an existing git repository there. Returns
  // InvalidArgument for an empty name or one with an unsupported URL
  // scheme, NotFound naming the path when nothing exists there, and
  // FailedPrecondition when the path is not a git repository.
  absl::Status CheckPushRemote(absl::string_view remote) const;
  // Returns the refs of `remote` (a configured remote, URL or path) as
  // `git ls-remote` lists them: (full name, target), peeled tags excluded,
  // sorted by name. Returns what `CheckPushRemote` returns, and Unavailable
  // when the remote cannot be reached.
  absl::StatusOr<std::vector<std::pair<std::string, ObjectId>>> ListRemoteRefs(
      absl::string_view remote) const;

  // Cherry-picks `commit` onto commit `onto` in memory, as `git cherry-pick
  // -x` would on a checkout of `onto` (libgit2's merge of the two trees
  // against `commit`'s parent, renames found), without touching a working
  // tree, the index file or any ref. A clean pick writes the new commit
  // (parent `onto`, the picked commit's author, `options.committer`, the
  // message of `CherryPickMessage`) and returns kClean with its id; a
  // conflict writes nothing and returns kConflict with the paths; a pick
  // that changes nothing returns kEmpty. Returns FailedPrecondition for a
  // merge commit (git needs `-m <parent>` to pick one; relkit does not
  // guess a mainline) and for a root commit, NotFound naming a commit that
  // is missing, and FailedPrecondition when no committer is given and none
  // is configured.
  absl::StatusOr<CherryPickResult> CherryPick(
      const ObjectId& commit, const ObjectId& onto,
      const CherryPickOptions& options = {});

  // Returns the signature of the repository's configured user at the current
  // time. Returns FailedPrecondition when user.name/user.email are unset.
  absl::StatusOr<Signature> DefaultSignature() const;

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  static absl::StatusOr<Repository> OpenAt(absl::string_view path,
                                           bool search_parents);
  std::unique_ptr<Impl> impl_;
};

}  // namespace relkit

#endif  // RELKIT_GIT_H_
