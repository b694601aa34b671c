// Builds real git repositories in temporary directories for tests, through
// relkit's own Repository (libgit2): commits built in memory on branches,
// cherry-picks (with or without `-x` trailer), reverts, merges.
//
//   TempGitRepo t;                         // bare=false; removed at exit
//   ObjectId a = t.Commit("main", "Add a (#1)", {{"a.txt", "a\n"}});
//   t.Branch("release/2.4", a);
//   ObjectId p = t.CherryPick("release/2.4", b, CherryPickTrailer::kYes);
//
// Every helper fails the current test (ADD_FAILURE) and returns a zero id on
// error, so the tests read as straight lines.

#ifndef RELKIT_TESTS_TESTING_GIT_REPO_H_
#define RELKIT_TESTS_TESTING_GIT_REPO_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "relkit/git.h"

namespace relkit::testing {

// A directory under $TMPDIR removed when the object dies.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl =
        absl::StrCat(base != nullptr ? base : "/tmp", "/relkit-test-XXXXXX");
    char* p = mkdtemp(tmpl.data());
    if (p == nullptr) ADD_FAILURE() << "mkdtemp failed for " << tmpl;
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

enum class CherryPickTrailer : bool { kNo, kYes };

// Returns a change that writes `content` to `path`.
inline FileChange File(std::string path, std::string content) {
  FileChange c;
  c.path = std::move(path);
  c.content = std::move(content);
  return c;
}
// Returns a change that deletes `path`.
inline FileChange Delete(std::string path) {
  FileChange c;
  c.path = std::move(path);
  return c;
}
// Returns a change that pins submodule `path` at `commit`.
inline FileChange Gitlink(std::string path, const ObjectId& commit) {
  FileChange c;
  c.path = std::move(path);
  c.gitlink = commit;
  return c;
}

// A repository in a TempDir with a clock that ticks one minute per commit so
// that ids are deterministic.
class TempGitRepo {
 public:
  explicit TempGitRepo(InitOptions::Kind kind = InitOptions::Kind::kWithWorkdir)
      : path_(dir_.Sub("repo")) {
    InitOptions options;
    options.kind = kind;
    auto r = Repository::Init(path_, options);
    if (!r.ok()) {
      ADD_FAILURE() << r.status();
      std::abort();
    }
    repo_.emplace(std::move(*r));
  }

  Repository& repo() { return *repo_; }
  const std::string& path() const { return path_; }
  const TempDir& dir() const { return dir_; }

  // Moves the clock of the next commits (one minute apart) forward, or sets
  // it (backwards too, as a machine with a wrong clock would).
  void AdvanceClock(absl::Duration d) { clock_ += d; }
  void SetClock(absl::Time t) { clock_ = t; }
  absl::Time clock() const { return clock_; }

  Signature NextSignature(const std::string& name = "Dev") {
    clock_ += absl::Minutes(1);
    return Signature{.name = name,
                     .email = absl::StrCat(name, "@example.com"),
                     .time = clock_,
                     .utc_offset_minutes = 0};
  }

  // Returns the commit `refs/heads/<branch>` points to, or nullopt.
  std::optional<ObjectId> Head(const std::string& branch) {
    auto r = repo_->LookupRef(absl::StrCat("refs/heads/", branch));
    if (!r.ok()) {
      ADD_FAILURE() << r.status();
      return std::nullopt;
    }
    return *r;
  }

  // Commits `changes` on top of `branch` (created as a root commit when
  // absent) and moves the branch.
  ObjectId Commit(const std::string& branch, const std::string& message,
                  std::vector<FileChange> changes,
                  const std::string& author = "Dev") {
    std::optional<ObjectId> head = Head(branch);
    CommitSpec spec;
    if (head) spec.parents.push_back(*head);
    spec.changes = std::move(changes);
    spec.message = message;
    spec.author = NextSignature(author);
    return CommitAndMove(branch, head, spec);
  }

  // Commits a merge of `other` into `branch` with `branch`'s tree plus
  // `changes`.
  ObjectId Merge(const std::string& branch, const ObjectId& other,
                 const std::string& message,
                 std::vector<FileChange> changes = {}) {
    std::optional<ObjectId> head = Head(branch);
    CommitSpec spec;
    spec.parents = {*head, other};
    spec.changes = std::move(changes);
    spec.message = message;
    spec.author = NextSignature();
    return CommitAndMove(branch, head, spec);
  }

  // Replays `commit`'s change (whole files, as a conflict-free cherry-pick
  // produces) on `branch`, with its message and optionally the `-x`
  // trailer. `extra` changes are applied after (a conflict resolution).
  ObjectId CherryPick(const std::string& branch, const ObjectId& commit,
                      CherryPickTrailer trailer,
                      std::optional<std::string> message = std::nullopt,
                      std::vector<FileChange> extra = {}) {
    auto info = repo_->GetCommit(commit);
    if (!info.ok()) {
      ADD_FAILURE() << info.status();
      return {};
    }
    std::vector<FileChange> changes = ChangesOf(commit, /*inverse=*/false);
    for (FileChange& c : extra) changes.push_back(std::move(c));
    std::string msg = message ? *message : info->message;
    if (trailer == CherryPickTrailer::kYes) {
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      absl::StrAppend(&msg, "\n\n(cherry picked from commit ",
                      commit.ToString(), ")\n");
    }
    return Commit(branch, msg, std::move(changes));
  }

  // Commits the inverse of `commit` on `branch` with git's revert message.
  ObjectId Revert(const std::string& branch, const ObjectId& commit,
                  const std::string& author = "PyTorch MergeBot") {
    auto info = repo_->GetCommit(commit);
    if (!info.ok()) {
      ADD_FAILURE() << info.status();
      return {};
    }
    std::string msg =
        absl::StrCat("Revert \"", info->Title(), "\"\n\nThis reverts commit ",
                     commit.ToString(), ".\n");
    return Commit(branch, msg, ChangesOf(commit, /*inverse=*/true), author);
  }

  // Creates `refs/heads/<branch>` at `at`.
  void Branch(const std::string& branch, const ObjectId& at) {
    absl::Status s = repo_->CreateBranch(branch, at);
    if (!s.ok()) ADD_FAILURE() << s;
  }

  // Runs a shell command (tests only: the library never runs git) and
  // returns its stdout; fails the test on a non-zero exit.
  static std::string Shell(const std::string& command) {
    std::string out;
    FILE* f = popen(command.c_str(), "r");
    if (f == nullptr) {
      ADD_FAILURE() << "popen failed: " << command;
      return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    int rc = pclose(f);
    if (rc != 0) ADD_FAILURE() << "command failed (" << rc << "): " << command;
    return out;
  }

 private:
  ObjectId CommitAndMove(const std::string& branch,
                         const std::optional<ObjectId>& head,
                         const CommitSpec& spec) {
    auto id = repo_->CreateCommit(spec);
    if (!id.ok()) {
      ADD_FAILURE() << id.status();
      return {};
    }
    absl::Status s = repo_->UpdateRefs(
        {RefUpdate{.name = absl::StrCat("refs/heads/", branch),
                   .target = *id,
                   .expected = head,
                   .message = "test"}});
    if (!s.ok()) ADD_FAILURE() << s;
    return *id;
  }

  // The whole-file change of `commit` against its first parent (or its
  // inverse).
  std::vector<FileChange> ChangesOf(const ObjectId& commit, bool inverse) {
    std::vector<FileChange> out;
    auto info = repo_->GetCommit(commit);
    auto paths = repo_->ChangedPaths(commit);
    if (!info.ok() || !paths.ok()) {
      ADD_FAILURE() << "cannot read " << commit.ToString();
      return out;
    }
    std::string after = commit.ToString();
    std::optional<std::string> before;
    if (!info->parents.empty()) before = info->parents[0].ToString();
    for (const std::string& p : *paths) {
      const std::optional<std::string>& rev =
          inverse ? before : std::optional<std::string>(after);
      std::optional<std::string> content;
      if (rev) {
        auto c = repo_->ReadFile(*rev, p);
        if (c.ok()) content = *c;
      }
      FileChange change;
      change.path = p;
      change.content = content;
      out.push_back(std::move(change));
    }
    return out;
  }

  TempDir dir_;
  std::string path_;
  std::optional<Repository> repo_;
  absl::Time clock_ = absl::FromUnixSeconds(1700000000);
};

}  // namespace relkit::testing

#endif  // RELKIT_TESTS_TESTING_GIT_REPO_H_
