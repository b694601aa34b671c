#include "relkit/git.h"

#include <git2.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "adapters/git/git_raii.h"
#include "relkit/status.h"

namespace relkit {
namespace internal {

void EnsureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Trust the object database on reads, as git itself does: by default
    // libgit2 rehashes every object it inflates, which doubled the cost of
    // the tree and commit reads that dominate a long branch audit. Objects
    // written by relkit are still hashed (that is how their ids are made).
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // Keep trees of up to 256 KiB in the object cache (default: 4 KiB):
    // walking history newest first reads each tree twice, once as a commit's
    // tree and once as its child's parent tree.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
                     static_cast<size_t>(256 * 1024));
  });
}

}  // namespace internal

using internal::BlobPtr;
using internal::CommitPtr;
using internal::DiffPtr;
using internal::GitError;
using internal::IndexPtr;
using internal::ObjectPtr;
using internal::OdbObjectPtr;
using internal::OdbPtr;
using internal::ReferencePtr;
using internal::RefIterPtr;
using internal::RepoPtr;
using internal::RevwalkPtr;
using internal::SignaturePtr;
using internal::TagPtr;
using internal::TransactionPtr;
using internal::TreeEntryPtr;
using internal::TreePtr;

namespace {

git_oid ToGit(const ObjectId& id) {
  git_oid out;
  std::memcpy(out.id, id.raw().data(), 20);
  return out;
}

ObjectId FromGit(const git_oid& oid) { return ObjectId::FromRaw(oid.id); }

Signature FromGit(const git_signature* s) {
  Signature out;
  if (s == nullptr) return out;
  out.name = s->name != nullptr ? s->name : "";
  out.email = s->email != nullptr ? s->email : "";
  out.time = absl::FromUnixSeconds(s->when.time);
  out.utc_offset_minutes = s->when.offset;
  return out;
}

absl::StatusOr<SignaturePtr> ToGit(const Signature& s) {
  git_signature* out = nullptr;
  int rc = git_signature_new(&out, s.name.c_str(), s.email.c_str(),
                             absl::ToUnixSeconds(s.time), s.utc_offset_minutes);
  if (rc < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid signature \"", s.name, " <", s.email,
                     ">\": ", internal::LastGitErrorText()));
  }
  return SignaturePtr(out);
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

// Checks a repository-relative path of a commit built in memory: no empty,
// `.` or `..` components, no `.git`, no leading or trailing slash.
absl::Status ValidateTreePath(absl::string_view path, size_t index) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid path \"", path, "\" in change ", index, ": ", why));
  };
  if (path.empty()) return bad("empty");
  if (path.front() == '/' || path.back() == '/') {
    return bad("leading or trailing '/'");
  }
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty()) return bad("empty component");
    if (part == "." || part == "..") return bad("'.' or '..' component");
    if (absl::EqualsIgnoreCase(part, ".git")) return bad("'.git' component");
    if (part.find('\0') != absl::string_view::npos) return bad("NUL byte");
  }
  return absl::OkStatus();
}

}  // namespace

// -----------------------------------------------------------------------------
// Repository

struct Repository::Impl {
  RepoPtr repo;
  std::string display;  // the path as the user gave it, for messages
  mutable OdbPtr odb;   // opened on first use

  git_repository* get() const { return repo.get(); }

  absl::StatusOr<git_odb*> Odb() const {
    if (odb == nullptr) {
      git_odb* out = nullptr;
      int rc = git_repository_odb(&out, repo.get());
      if (rc < 0) {
        return GitError(
            rc, absl::StrCat("cannot open the object database of ", display));
      }
      odb.reset(out);
    }
    return odb.get();
  }

  absl::StatusOr<CommitPtr> LookupCommit(const ObjectId& id) const {
    git_oid oid = ToGit(id);
    git_object* obj = nullptr;
    int rc = git_object_lookup(&obj, repo.get(), &oid, GIT_OBJECT_ANY);
    if (rc == GIT_ENOTFOUND) {
      return absl::NotFoundError(
          absl::StrCat("commit ", id.ToString(), " not found in ", display));
    }
    if (rc < 0) {
      return GitError(rc, absl::StrCat("cannot read object ", id.ToString(),
                                       " in ", display));
    }
    ObjectPtr owned(obj);
    git_object* peeled = nullptr;
    rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
    if (rc < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "object ", id.ToString(), " in ", display, " is a ",
          git_object_type2string(git_object_type(obj)), ", not a commit"));
    }
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
  }

  absl::StatusOr<TreePtr> CommitTree(const git_commit* commit,
                                     const ObjectId& id) const {
    git_tree* tree = nullptr;
    int rc = git_commit_tree(&tree, commit);
    if (rc < 0) {
      return absl::NotFoundError(absl::StrCat("tree of commit ", id.ToString(),
                                              " is missing in ", display, ": ",
                                              internal::LastGitErrorText()));
    }
    return TreePtr(tree);
  }

  // The tree diff of a commit against its first parent (or the empty tree).
  // The diff of `commit` against its first parent; limited to exactly
  // `paths` when given (libgit2 then skips the rest of the trees).
  absl::StatusOr<DiffPtr> FirstParentDiff(
      const git_commit* commit, const ObjectId& id,
      const std::vector<std::string>* paths = nullptr) const {
    RELKIT_ASSIGN_OR_RETURN(TreePtr tree, CommitTree(commit, id));
    TreePtr parent_tree;
    if (git_commit_parentcount(commit) > 0) {
      git_commit* parent = nullptr;
      int rc = git_commit_parent(&parent, commit, 0);
      if (rc < 0) {
        return absl::NotFoundError(
            absl::StrCat("parent of commit ", id.ToString(), " is missing in ",
                         display, ": ", internal::LastGitErrorText()));
      }
      CommitPtr parent_owned(parent);
      RELKIT_ASSIGN_OR_RETURN(
          parent_tree, CommitTree(parent, FromGit(*git_commit_id(parent))));
    }
    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    std::vector<char*> specs;
    if (paths != nullptr) {
      for (const std::string& p : *paths) {
        specs.push_back(const_cast<char*>(p.c_str()));
      }
      opts.pathspec.strings = specs.data();
      opts.pathspec.count = specs.size();
      opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    }
    git_diff* diff = nullptr;
    int rc = git_diff_tree_to_tree(&diff, repo.get(), parent_tree.get(),
                                   tree.get(), &opts);
    if (rc < 0) {
      return absl::NotFoundError(
          absl::StrCat("cannot diff commit ", id.ToString(), " in ", display,
                       " (missing tree?): ", internal::LastGitErrorText()));
    }
    return DiffPtr(diff);
  }

  // Looks up `name`; nullptr when absent; FailedPrecondition when corrupt.
  absl::StatusOr<ReferencePtr> FindRef(absl::string_view name) const {
    std::string n(name);
    git_reference* ref = nullptr;
    int rc = git_reference_lookup(&ref, repo.get(), n.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) return ReferencePtr();
    if (rc < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("ref \"", name, "\" in ", display,
                       " is corrupt: ", internal::LastGitErrorText()));
    }
    return ReferencePtr(ref);
  }

  // Peels `ref` to a commit; FailedPrecondition when its target is missing,
  // InvalidArgument when it names a non-commit.
  absl::StatusOr<ObjectId> PeelRef(git_reference* ref) const {
    git_object* obj = nullptr;
    int rc = git_reference_peel(&obj, ref, GIT_OBJECT_ANY);
    if (rc < 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "ref \"", git_reference_name(ref), "\" in ", display,
          " points to a missing object: ", internal::LastGitErrorText()));
    }
    ObjectPtr owned(obj);
    if (git_object_type(obj) != GIT_OBJECT_COMMIT) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ref \"", git_reference_name(ref), "\" in ", display, " points to a ",
          git_object_type2string(git_object_type(obj)), ", not a commit"));
    }
    return FromGit(*git_object_id(obj));
  }

  absl::Status WalkError(int rc) const {
    std::string text = internal::LastGitErrorText();
    if (rc == GIT_ENOTFOUND || absl::StrContains(text, "not found")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "history of ", display, " is incomplete",
          git_repository_is_shallow(repo.get()) ? " (shallow clone)" : "", ": ",
          text, "; fetch the full history (git fetch --unshallow)"));
    }
    return GitError(rc, absl::StrCat("cannot walk history of ", display));
  }
};

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

absl::StatusOr<Repository> Repository::Open(absl::string_view path) {
  return OpenAt(path, /*search_parents=*/false);
}

absl::StatusOr<Repository> Repository::Discover(absl::string_view path) {
  return OpenAt(path, /*search_parents=*/true);
}

absl::StatusOr<Repository> Repository::OpenAt(absl::string_view path,
                                              bool search_parents) {
  internal::EnsureLibgit2();
  std::string p(path);
  std::error_code ec;
  if (p.empty() || !std::filesystem::exists(p, ec)) {
    return absl::NotFoundError(
        absl::StrCat("repository path \"", path, "\" does not exist"));
  }
  git_repository* repo = nullptr;
  const char* ceilings = std::getenv("GIT_CEILING_DIRECTORIES");
  int rc = git_repository_open_ext(
      &repo, p.c_str(), search_parents ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH,
      search_parents ? ceilings : nullptr);
  if (rc == GIT_ENOTFOUND) {
    return absl::NotFoundError(absl::StrCat(
        "\"", path, "\" is not ",
        search_parents ? "in a git repository (nor are its parents)"
                       : "a git repository"));
  }
  if (rc < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open git repository \"", path,
                     "\": ", internal::LastGitErrorText()));
  }
  auto impl = std::make_unique<Impl>();
  impl->repo.reset(repo);
  impl->display = p;
  return Repository(std::move(impl));
}

absl::StatusOr<Repository> Repository::Init(absl::string_view path,
                                            const InitOptions& options) {
  internal::EnsureLibgit2();
  std::string p(path);
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
  if (options.kind == InitOptions::Kind::kBare) {
    opts.flags |= GIT_REPOSITORY_INIT_BARE;
  }
  std::string head = options.initial_branch;
  opts.initial_head = head.c_str();
  git_repository* repo = nullptr;
  int rc = git_repository_init_ext(&repo, p.c_str(), &opts);
  if (rc == GIT_EEXISTS) {
    return absl::AlreadyExistsError(
        absl::StrCat("a git repository already exists at \"", path, "\""));
  }
  if (rc < 0) {
    return GitError(
        rc, absl::StrCat("cannot create git repository \"", path, "\""));
  }
  auto impl = std::make_unique<Impl>();
  impl->repo.reset(repo);
  impl->display = p;
  return Repository(std::move(impl));
}

std::string Repository::git_dir() const {
  return git_repository_path(impl_->get());
}

std::optional<std::string> Repository::workdir() const {
  const char* w = git_repository_workdir(impl_->get());
  if (w == nullptr) return std::nullopt;
  return std::string(w);
}

bool Repository::is_bare() const {
  return git_repository_is_bare(impl_->get()) == 1;
}

bool Repository::is_shallow() const {
  return git_repository_is_shallow(impl_->get()) == 1;
}

namespace {

using WorktreePtr = internal::GitPtr<git_worktree, git_worktree_free>;

// True when `repo` has a working tree and its HEAD is the symbolic ref
// `full_name`.
absl::StatusOr<bool> HeadIsBranch(git_repository* repo,
                                  const std::string& full_name) {
  if (git_repository_is_bare(repo) == 1) return false;
  git_reference* head = nullptr;
  int rc = git_reference_lookup(&head, repo, "HEAD");
  if (rc == GIT_ENOTFOUND) return false;
  if (rc < 0) return GitError(rc, "cannot read HEAD");
  ReferencePtr owned(head);
  if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) return false;
  return full_name == git_reference_symbolic_target(head);
}

std::string WithoutTrailingSlash(std::string path) {
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> Repository::WorktreeWithBranch(
    absl::string_view branch) const {
  const std::string full = absl::StrCat("refs/heads/", branch);
  // The main working tree: the repository of the common git directory (this
  // one, unless this repository was opened from a linked worktree).
  git_repository* main_repo = nullptr;
  int rc = git_repository_open_ext(&main_repo,
                                   git_repository_commondir(impl_->get()),
                                   GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (rc < 0) {
    return GitError(rc, absl::StrCat("cannot open the main working tree of ",
                                     impl_->display));
  }
  RepoPtr owned_main(main_repo);
  RELKIT_ASSIGN_OR_RETURN(bool in_main, HeadIsBranch(main_repo, full));
  if (in_main) {
    const char* w = git_repository_workdir(main_repo);
    return WithoutTrailingSlash(w != nullptr ? w : impl_->display);
  }
  git_strarray names{nullptr, 0};
  rc = git_worktree_list(&names, impl_->get());
  if (rc < 0) {
    return GitError(
        rc, absl::StrCat("cannot list the worktrees of ", impl_->display));
  }
  std::vector<std::string> list(names.strings, names.strings + names.count);
  git_strarray_dispose(&names);
  for (const std::string& name : list) {
    git_worktree* wt = nullptr;
    if (git_worktree_lookup(&wt, impl_->get(), name.c_str()) < 0) continue;
    WorktreePtr owned_wt(wt);
    if (git_worktree_validate(wt) < 0)
      continue;  // prunable: its files are gone
    git_repository* wr = nullptr;
    if (git_repository_open_from_worktree(&wr, wt) < 0) continue;
    RepoPtr owned_wr(wr);
    RELKIT_ASSIGN_OR_RETURN(bool in_wt, HeadIsBranch(wr, full));
    if (in_wt) return WithoutTrailingSlash(git_worktree_path(wt));
  }
  return std::nullopt;
}

absl::StatusOr<ObjectId> Repository::ResolveCommit(
    absl::string_view rev) const {
  if (rev.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("empty revision for ", impl_->display));
  }
  if (rev.size() == 40 && std::all_of(rev.begin(), rev.end(), IsHex)) {
    RELKIT_ASSIGN_OR_RETURN(ObjectId id, ObjectId::Parse(rev));
    RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(id));
    return FromGit(*git_commit_id(c.get()));
  }
  // git's own order (`git rev-parse`): the name, refs/, tags, heads, remotes.
  std::vector<std::string> candidates;
  if (absl::StartsWith(rev, "refs/")) {
    candidates.emplace_back(rev);
  } else {
    candidates = {absl::StrCat("refs/", rev), absl::StrCat("refs/tags/", rev),
                  absl::StrCat("refs/heads/", rev),
                  absl::StrCat("refs/remotes/", rev)};
  }
  for (const std::string& name : candidates) {
    RELKIT_ASSIGN_OR_RETURN(ReferencePtr ref, impl_->FindRef(name));
    if (ref == nullptr) continue;
    return impl_->PeelRef(ref.get());
  }
  std::string r(rev);
  git_object* obj = nullptr;
  int rc = git_revparse_single(&obj, impl_->get(), r.c_str());
  if (rc == GIT_EAMBIGUOUS) {
    return absl::InvalidArgumentError(absl::StrCat(
        "revision \"", rev, "\" is ambiguous in ", impl_->display));
  }
  if (rc < 0) {
    return absl::NotFoundError(
        absl::StrCat("revision \"", rev, "\" not found in ", impl_->display));
  }
  ObjectPtr owned(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "revision \"", rev, "\" in ", impl_->display, " is a ",
        git_object_type2string(git_object_type(obj)), ", not a commit"));
  }
  ObjectPtr peeled_owned(peeled);
  return FromGit(*git_object_id(peeled));
}

absl::StatusOr<std::optional<ObjectId>> Repository::LookupRef(
    absl::string_view full_name) const {
  RELKIT_ASSIGN_OR_RETURN(ReferencePtr ref, impl_->FindRef(full_name));
  if (ref == nullptr) return std::optional<ObjectId>();
  RELKIT_ASSIGN_OR_RETURN(ObjectId id, impl_->PeelRef(ref.get()));
  return std::optional<ObjectId>(id);
}

absl::StatusOr<std::optional<ObjectId>> Repository::LookupRefTarget(
    absl::string_view full_name) const {
  RELKIT_ASSIGN_OR_RETURN(ReferencePtr ref, impl_->FindRef(full_name));
  if (ref == nullptr) return std::optional<ObjectId>();
  git_reference* resolved = nullptr;
  int rc = git_reference_resolve(&resolved, ref.get());
  if (rc < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("ref \"", full_name, "\" in ", impl_->display,
                     " cannot be resolved: ", internal::LastGitErrorText()));
  }
  ReferencePtr owned(resolved);
  return std::optional<ObjectId>(FromGit(*git_reference_target(resolved)));
}

absl::StatusOr<std::vector<std::pair<std::string, ObjectId>>>
Repository::ListRefs(absl::string_view prefix) const {
  git_reference_iterator* it = nullptr;
  int rc = git_reference_iterator_new(&it, impl_->get());
  if (rc < 0) {
    return GitError(rc, absl::StrCat("cannot list refs of ", impl_->display));
  }
  RefIterPtr owned(it);
  std::vector<std::pair<std::string, ObjectId>> out;
  while (true) {
    git_reference* ref = nullptr;
    rc = git_reference_next(&ref, it);
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot list refs of ", impl_->display,
                       " (corrupt ref?): ", internal::LastGitErrorText()));
    }
    ReferencePtr ref_owned(ref);
    absl::string_view name = git_reference_name(ref);
    if (!absl::StartsWith(name, prefix)) continue;
    git_object* obj = nullptr;
    if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) continue;
    ObjectPtr obj_owned(obj);
    out.emplace_back(std::string(name), FromGit(*git_object_id(obj)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::vector<TagInfo>> Repository::ListTags() const {
  git_reference_iterator* it = nullptr;
  int rc = git_reference_iterator_glob_new(&it, impl_->get(), "refs/tags/*");
  if (rc < 0) {
    return GitError(rc, absl::StrCat("cannot list tags of ", impl_->display));
  }
  RefIterPtr owned(it);
  std::vector<TagInfo> out;
  while (true) {
    git_reference* ref = nullptr;
    rc = git_reference_next(&ref, it);
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot list tags of ", impl_->display,
                       " (corrupt ref?): ", internal::LastGitErrorText()));
    }
    ReferencePtr ref_owned(ref);
    const git_oid* direct = git_reference_target(ref);
    if (direct == nullptr) continue;  // symbolic
    TagInfo info;
    info.name =
        std::string(absl::StripPrefix(git_reference_name(ref), "refs/tags/"));
    git_object* obj = nullptr;
    if (git_object_lookup(&obj, impl_->get(), direct, GIT_OBJECT_ANY) < 0) {
      continue;  // dangling tag
    }
    ObjectPtr obj_owned(obj);
    if (git_object_type(obj) == GIT_OBJECT_TAG) {
      auto* tag = reinterpret_cast<git_tag*>(obj);
      info.tag_object = FromGit(*direct);
      const char* msg = git_tag_message(tag);
      info.message = msg != nullptr ? msg : "";
      if (const git_signature* s = git_tag_tagger(tag))
        info.tagger = FromGit(s);
    }
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) continue;
    ObjectPtr peeled_owned(peeled);
    info.target = FromGit(*git_object_id(peeled));
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(),
            [](const TagInfo& a, const TagInfo& b) { return a.name < b.name; });
  return out;
}

absl::StatusOr<std::vector<std::string>> Repository::TagsAt(
    const ObjectId& commit) const {
  RELKIT_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, ListTags());
  std::vector<std::string> out;
  for (TagInfo& t : tags) {
    if (t.target == commit) out.push_back(std::move(t.name));
  }
  return out;
}

absl::Status Repository::Walk(
    absl::Span<const ObjectId> include, absl::Span<const ObjectId> exclude,
    const WalkOptions& options,
    const std::function<bool(const ObjectId&)>& visit) const {
  git_revwalk* walk = nullptr;
  int rc = git_revwalk_new(&walk, impl_->get());
  if (rc < 0) return GitError(rc, "cannot start a history walk");
  RevwalkPtr owned(walk);
  unsigned sort = GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME;
  if (options.reverse) sort |= GIT_SORT_REVERSE;
  git_revwalk_sorting(walk, sort);
  if (options.first_parent) git_revwalk_simplify_first_parent(walk);
  for (const ObjectId& id : include) {
    git_oid oid = ToGit(id);
    if ((rc = git_revwalk_push(walk, &oid)) < 0) return impl_->WalkError(rc);
  }
  for (const ObjectId& id : exclude) {
    git_oid oid = ToGit(id);
    if ((rc = git_revwalk_hide(walk, &oid)) < 0) return impl_->WalkError(rc);
  }
  size_t n = 0;
  git_oid oid;
  while (true) {
    rc = git_revwalk_next(&oid, walk);
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return impl_->WalkError(rc);
    if (!visit(FromGit(oid))) break;
    if (options.limit != 0 && ++n >= options.limit) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ObjectId>> Repository::RevList(
    absl::string_view range, const WalkOptions& options) const {
  std::vector<ObjectId> include, exclude;
  auto side = [&](absl::string_view s) -> absl::StatusOr<ObjectId> {
    if (s.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "range \"", range, "\" has an empty side (write both revisions)"));
    }
    return ResolveCommit(s);
  };
  if (size_t p = range.find("..."); p != absl::string_view::npos) {
    RELKIT_ASSIGN_OR_RETURN(ObjectId a, side(range.substr(0, p)));
    RELKIT_ASSIGN_OR_RETURN(ObjectId b, side(range.substr(p + 3)));
    include = {a, b};
    absl::StatusOr<ObjectId> base = MergeBase(a, b);
    if (base.ok()) {
      exclude.push_back(*base);
    } else if (!absl::IsNotFound(base.status())) {
      return base.status();
    }
  } else if (size_t q = range.find(".."); q != absl::string_view::npos) {
    RELKIT_ASSIGN_OR_RETURN(ObjectId a, side(range.substr(0, q)));
    RELKIT_ASSIGN_OR_RETURN(ObjectId b, side(range.substr(q + 2)));
    include = {b};
    exclude = {a};
  } else {
    RELKIT_ASSIGN_OR_RETURN(ObjectId b, side(range));
    include = {b};
  }
  std::vector<ObjectId> out;
  RELKIT_RETURN_IF_ERROR(
      Walk(include, exclude, options, [&](const ObjectId& id) {
        out.push_back(id);
        return true;
      }));
  return out;
}

absl::StatusOr<CommitInfo> Repository::GetCommit(const ObjectId& id) const {
  git_oid oid = ToGit(id);
  git_commit* c = nullptr;
  int rc = git_commit_lookup(&c, impl_->get(), &oid);
  if (rc == GIT_ENOTFOUND) {
    return absl::NotFoundError(absl::StrCat("commit ", id.ToString(),
                                            " not found in ", impl_->display));
  }
  if (rc < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "object ", id.ToString(), " in ", impl_->display,
        " is not a readable commit: ", internal::LastGitErrorText()));
  }
  CommitPtr owned(c);
  CommitInfo info;
  info.id = id;
  unsigned n = git_commit_parentcount(c);
  info.parents.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    info.parents.push_back(FromGit(*git_commit_parent_id(c, i)));
  }
  info.author = FromGit(git_commit_author(c));
  info.committer = FromGit(git_commit_committer(c));
  const char* msg = git_commit_message(c);
  info.message = msg != nullptr ? msg : "";
  return info;
}

absl::Status Repository::ReadMessage(
    const ObjectId& id,
    absl::FunctionRef<void(absl::string_view message, size_t parent_count)>
        visit) const {
  RELKIT_ASSIGN_OR_RETURN(git_odb * odb, impl_->Odb());
  git_oid oid = ToGit(id);
  git_odb_object* obj = nullptr;
  int rc = git_odb_read(&obj, odb, &oid);
  if (rc == GIT_ENOTFOUND) {
    return absl::NotFoundError(absl::StrCat("commit ", id.ToString(),
                                            " not found in ", impl_->display));
  }
  if (rc < 0) {
    return GitError(rc, absl::StrCat("cannot read object ", id.ToString(),
                                     " in ", impl_->display));
  }
  OdbObjectPtr owned(obj);
  if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
    return absl::InvalidArgumentError(absl::StrCat(
        "object ", id.ToString(), " in ", impl_->display, " is a ",
        git_object_type2string(git_odb_object_type(obj)), ", not a commit"));
  }
  absl::string_view raw(static_cast<const char*>(git_odb_object_data(obj)),
                        git_odb_object_size(obj));
  // The header is `tree`, one `parent` line per parent, `author`,
  // `committer`, then optional headers; it ends at the first empty line
  // (continuation lines of multi-line headers such as `gpgsig` start with a
  // space, so are never empty). The message is what follows, without
  // leading newlines and up to a NUL, as libgit2's git_commit_message gives
  // it. What libgit2 would refuse to parse is refused too.
  size_t end = raw.find("\n\n");
  absl::string_view header =
      end == absl::string_view::npos ? raw : raw.substr(0, end + 1);
  absl::string_view message = end == absl::string_view::npos
                                  ? absl::string_view()
                                  : raw.substr(end + 2);
  while (absl::ConsumePrefix(&message, "\n")) {
  }
  message = message.substr(0, message.find('\0'));
  auto malformed = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "commit ", id.ToString(), " in ", impl_->display, " is malformed: ",
        what, " (at byte ", header.data() - raw.data(), ")"));
  };
  // Consumes `<name> <40 hex digits>\n`.
  auto id_line = [&header](absl::string_view name) {
    absl::string_view h = header;
    if (!absl::ConsumePrefix(&h, name) || h.size() < 41 || h[40] != '\n' ||
        !std::all_of(h.begin(), h.begin() + 40, [](char c) {
          return absl::ascii_isxdigit(static_cast<unsigned char>(c));
        })) {
      return false;
    }
    header = h.substr(41);
    return true;
  };
  if (!id_line("tree ")) return malformed("no tree line");
  size_t parents = 0;
  while (id_line("parent ")) ++parents;
  if (!absl::StartsWith(header, "author ")) {
    return malformed("no author line after the tree and parents");
  }
  if (!absl::StrContains(header, "\ncommitter ")) {
    return malformed("no committer line");
  }
  visit(message, parents);
  return absl::OkStatus();
}

absl::StatusOr<ObjectId> Repository::MergeBase(const ObjectId& a,
                                               const ObjectId& b) const {
  git_oid ga = ToGit(a), gb = ToGit(b), out;
  int rc = git_merge_base(&out, impl_->get(), &ga, &gb);
  if (rc == GIT_ENOTFOUND) {
    // libgit2 also says ENOTFOUND when a commit is missing; tell them apart.
    std::string text = internal::LastGitErrorText();
    if (absl::StrContains(text, "no merge base")) {
      return absl::NotFoundError(
          absl::StrCat("commits ", a.ShortString(), " and ", b.ShortString(),
                       " in ", impl_->display, " have no common ancestor"));
    }
    return impl_->WalkError(rc);
  }
  if (rc < 0) return impl_->WalkError(rc);
  return FromGit(out);
}

absl::StatusOr<bool> Repository::IsAncestor(const ObjectId& ancestor,
                                            const ObjectId& descendant) const {
  if (ancestor == descendant) return true;
  git_oid a = ToGit(ancestor), d = ToGit(descendant);
  int rc = git_graph_descendant_of(impl_->get(), &d, &a);
  if (rc < 0) return impl_->WalkError(rc);
  return rc == 1;
}

absl::StatusOr<std::optional<ObjectId>> Repository::PatchId(
    const ObjectId& commit) const {
  RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(commit));
  if (git_commit_parentcount(c.get()) > 1) return std::optional<ObjectId>();
  // Find the changed paths first (cheap: equal subtrees are skipped), then
  // diff only those.
  RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> paths, ChangedPaths(commit));
  if (paths.empty()) return std::optional<ObjectId>();
  RELKIT_ASSIGN_OR_RETURN(DiffPtr diff,
                          impl_->FirstParentDiff(c.get(), commit, &paths));
  if (git_diff_num_deltas(diff.get()) == 0) return std::optional<ObjectId>();
  git_oid out;
  git_diff_patchid_options opts = GIT_DIFF_PATCHID_OPTIONS_INIT;
  int rc = git_diff_patchid(&out, diff.get(), &opts);
  if (rc < 0) {
    return absl::NotFoundError(absl::StrCat(
        "cannot compute the patch-id of commit ", commit.ToString(), " in ",
        impl_->display, " (missing blob?): ", internal::LastGitErrorText()));
  }
  return std::optional<ObjectId>(FromGit(out));
}

namespace {

// Appends every path under `tree` (files, symlinks, gitlinks) to `out`.
int AllTreePaths(git_repository* repo, const git_tree* tree,
                 const std::string& prefix, std::vector<std::string>& out) {
  size_t n = git_tree_entrycount(tree);
  for (size_t i = 0; i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree, i);
    std::string path = absl::StrCat(prefix, git_tree_entry_name(e));
    if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
      out.push_back(std::move(path));
      continue;
    }
    git_tree* sub = nullptr;
    if (int rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e)); rc < 0) {
      return rc;
    }
    TreePtr owned(sub);
    path.push_back('/');
    if (int rc = AllTreePaths(repo, sub, path, out); rc < 0) return rc;
  }
  return 0;
}

// Compares tree entries in git's tree order: byte-wise, a subtree's name as
// if followed by '/'.
int GitOrder(const git_tree_entry* a, const git_tree_entry* b) {
  absl::string_view na = git_tree_entry_name(a);
  absl::string_view nb = git_tree_entry_name(b);
  size_t n = std::min(na.size(), nb.size());
  if (int c = std::memcmp(na.data(), nb.data(), n); c != 0) return c;
  auto next = [n](absl::string_view name, const git_tree_entry* e) -> int {
    if (n < name.size()) return static_cast<unsigned char>(name[n]);
    return git_tree_entry_type(e) == GIT_OBJECT_TREE ? '/' : 0;
  };
  return next(na, a) - next(nb, b);
}

// Appends the paths that differ between trees `a` and `b` (either may be
// null: empty) to `out`. Subtrees with equal ids are skipped without being
// read, as `git diff-tree` does; libgit2's generic diff iterates every entry
// of both trees, which made the audit's per-commit path filter its hot spot.
int DiffTreePaths(git_repository* repo, const git_tree* a, const git_tree* b,
                  const std::string& prefix, std::vector<std::string>& out) {
  auto side_paths = [&](const git_tree_entry* e) -> int {
    std::string path = absl::StrCat(prefix, git_tree_entry_name(e));
    if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
      out.push_back(std::move(path));
      return 0;
    }
    git_tree* sub = nullptr;
    if (int rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e)); rc < 0) {
      return rc;
    }
    TreePtr owned(sub);
    path.push_back('/');
    return AllTreePaths(repo, sub, path, out);
  };
  // Both trees are sorted in git's order (a subtree's name compares as if
  // followed by '/'): walk them side by side.
  size_t na = a != nullptr ? git_tree_entrycount(a) : 0;
  size_t nb = b != nullptr ? git_tree_entrycount(b) : 0;
  size_t i = 0;
  size_t j = 0;
  while (i < na || j < nb) {
    const git_tree_entry* ea = i < na ? git_tree_entry_byindex(a, i) : nullptr;
    const git_tree_entry* eb = j < nb ? git_tree_entry_byindex(b, j) : nullptr;
    int c = ea == nullptr ? 1 : eb == nullptr ? -1 : GitOrder(ea, eb);
    if (c < 0) {  // only in a
      ++i;
      if (int rc = side_paths(ea); rc < 0) return rc;
      continue;
    }
    if (c > 0) {  // only in b
      ++j;
      if (int rc = side_paths(eb); rc < 0) return rc;
      continue;
    }
    ++i;
    ++j;
    if (git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
        git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb)) {
      continue;
    }
    if (git_tree_entry_type(ea) != GIT_OBJECT_TREE) {  // so is eb
      out.push_back(absl::StrCat(prefix, git_tree_entry_name(eb)));
      continue;
    }
    git_tree* sa = nullptr;
    git_tree* sb = nullptr;
    if (int rc = git_tree_lookup(&sa, repo, git_tree_entry_id(ea)); rc < 0) {
      return rc;
    }
    TreePtr owned_a(sa);
    if (int rc = git_tree_lookup(&sb, repo, git_tree_entry_id(eb)); rc < 0) {
      return rc;
    }
    TreePtr owned_b(sb);
    std::string sub = absl::StrCat(prefix, git_tree_entry_name(eb), "/");
    if (int rc = DiffTreePaths(repo, sa, sb, sub, out); rc < 0) return rc;
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> Repository::ChangedPaths(
    const ObjectId& commit) const {
  RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(commit));
  RELKIT_ASSIGN_OR_RETURN(TreePtr tree, impl_->CommitTree(c.get(), commit));
  TreePtr parent_tree;
  if (git_commit_parentcount(c.get()) > 0) {
    git_commit* parent = nullptr;
    if (git_commit_parent(&parent, c.get(), 0) < 0) {
      return absl::NotFoundError(absl::StrCat(
          "parent of commit ", commit.ToString(), " is missing in ",
          impl_->display, ": ", internal::LastGitErrorText()));
    }
    CommitPtr parent_owned(parent);
    RELKIT_ASSIGN_OR_RETURN(
        parent_tree,
        impl_->CommitTree(parent, FromGit(*git_commit_id(parent))));
  }
  std::vector<std::string> paths;
  int rc =
      DiffTreePaths(impl_->get(), parent_tree.get(), tree.get(), "", paths);
  if (rc < 0) {
    return absl::NotFoundError(absl::StrCat(
        "cannot diff commit ", commit.ToString(), " in ", impl_->display,
        " (missing tree?): ", internal::LastGitErrorText()));
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

absl::StatusOr<std::string> Repository::ReadFile(absl::string_view rev,
                                                 absl::string_view path) const {
  RELKIT_ASSIGN_OR_RETURN(ObjectId id, ResolveCommit(rev));
  RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(id));
  RELKIT_ASSIGN_OR_RETURN(TreePtr tree, impl_->CommitTree(c.get(), id));
  std::string p(path);
  git_tree_entry* entry = nullptr;
  int rc = git_tree_entry_bypath(&entry, tree.get(), p.c_str());
  if (rc < 0) {
    return absl::NotFoundError(absl::StrCat("file \"", path, "\" not found at ",
                                            rev, " in ", impl_->display));
  }
  TreeEntryPtr owned(entry);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
    return absl::NotFoundError(absl::StrCat("\"", path, "\" at ", rev, " in ",
                                            impl_->display, " is not a file"));
  }
  git_blob* blob = nullptr;
  rc = git_blob_lookup(&blob, impl_->get(), git_tree_entry_id(entry));
  if (rc < 0) {
    return absl::NotFoundError(
        absl::StrCat("content of \"", path, "\" at ", rev, " is missing in ",
                     impl_->display, ": ", internal::LastGitErrorText()));
  }
  BlobPtr blob_owned(blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob)),
                     static_cast<size_t>(git_blob_rawsize(blob)));
}

namespace {

struct ListState {
  std::string prefix;
  std::vector<std::string>* out;
};

int OnTreeEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<ListState*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  state->out->push_back(
      absl::StrCat(state->prefix, root, git_tree_entry_name(entry)));
  return 0;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> Repository::ListFiles(
    absl::string_view rev, absl::string_view prefix) const {
  RELKIT_ASSIGN_OR_RETURN(ObjectId id, ResolveCommit(rev));
  RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(id));
  RELKIT_ASSIGN_OR_RETURN(TreePtr tree, impl_->CommitTree(c.get(), id));
  std::string dir(absl::StripSuffix(prefix, "/"));
  TreePtr sub;
  git_tree* walk_root = tree.get();
  if (!dir.empty()) {
    git_tree_entry* entry = nullptr;
    if (git_tree_entry_bypath(&entry, tree.get(), dir.c_str()) < 0) {
      return std::vector<std::string>();
    }
    TreeEntryPtr owned(entry);
    if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
      return std::vector<std::string>();
    }
    git_tree* t = nullptr;
    if (int rc = git_tree_lookup(&t, impl_->get(), git_tree_entry_id(entry));
        rc < 0) {
      return GitError(
          rc, absl::StrCat("cannot read directory \"", dir, "\" at ", rev));
    }
    sub.reset(t);
    walk_root = t;
    dir += "/";
  }
  std::vector<std::string> out;
  ListState state{dir, &out};
  int rc = git_tree_walk(walk_root, GIT_TREEWALK_PRE, OnTreeEntry, &state);
  if (rc < 0) {
    return GitError(
        rc, absl::StrCat("cannot list files at ", rev, " in ", impl_->display));
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::vector<SubmoduleInfo>> Repository::Submodules(
    absl::string_view rev) const {
  RELKIT_ASSIGN_OR_RETURN(ObjectId id, ResolveCommit(rev));
  std::string hex = id.ToString();
  absl::StatusOr<std::string> text = ReadFile(hex, ".gitmodules");
  if (absl::IsNotFound(text.status())) return std::vector<SubmoduleInfo>();
  if (!text.ok()) return text.status();
  RELKIT_ASSIGN_OR_RETURN(
      std::vector<GitmodulesEntry> entries,
      ParseGitmodules(*text, absl::StrCat(rev, ":.gitmodules")));
  RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(id));
  RELKIT_ASSIGN_OR_RETURN(TreePtr tree, impl_->CommitTree(c.get(), id));
  std::vector<SubmoduleInfo> out;
  for (GitmodulesEntry& e : entries) {
    SubmoduleInfo info{.name = std::move(e.name),
                       .path = std::move(e.path),
                       .url = std::move(e.url),
                       .branch = std::move(e.branch),
                       .commit = std::nullopt};
    git_tree_entry* entry = nullptr;
    if (git_tree_entry_bypath(&entry, tree.get(), info.path.c_str()) == 0) {
      TreeEntryPtr owned(entry);
      if (git_tree_entry_type(entry) == GIT_OBJECT_COMMIT) {
        info.commit = FromGit(*git_tree_entry_id(entry));
      }
    }
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(),
            [](const SubmoduleInfo& a, const SubmoduleInfo& b) {
              return a.path < b.path;
            });
  return out;
}

absl::StatusOr<Signature> Repository::DefaultSignature() const {
  git_signature* sig = nullptr;
  int rc = git_signature_default(&sig, impl_->get());
  if (rc < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no committer identity: set user.name and user.email for ",
                     impl_->display, " (or pass a signature)"));
  }
  SignaturePtr owned(sig);
  return FromGit(sig);
}

absl::StatusOr<ObjectId> Repository::CreateCommit(const CommitSpec& spec) {
  std::vector<CommitPtr> parents;
  for (const ObjectId& p : spec.parents) {
    RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(p));
    parents.push_back(std::move(c));
  }
  TreePtr base;
  if (spec.base_tree_of) {
    RELKIT_ASSIGN_OR_RETURN(CommitPtr c,
                            impl_->LookupCommit(*spec.base_tree_of));
    RELKIT_ASSIGN_OR_RETURN(base,
                            impl_->CommitTree(c.get(), *spec.base_tree_of));
  } else if (!parents.empty()) {
    RELKIT_ASSIGN_OR_RETURN(
        base, impl_->CommitTree(parents[0].get(), spec.parents[0]));
  } else {
    git_treebuilder* tb = nullptr;
    git_oid empty;
    if (git_treebuilder_new(&tb, impl_->get(), nullptr) < 0 ||
        git_treebuilder_write(&empty, tb) < 0) {
      git_treebuilder_free(tb);
      return GitError(-1, "cannot write the empty tree");
    }
    git_treebuilder_free(tb);
    git_tree* t = nullptr;
    if (int rc = git_tree_lookup(&t, impl_->get(), &empty); rc < 0) {
      return GitError(rc, "cannot read the empty tree");
    }
    base.reset(t);
  }
  // Last change per path wins (libgit2 leaves delete-and-add undefined).
  std::map<std::string, const FileChange*> last;
  for (size_t i = 0; i < spec.changes.size(); ++i) {
    RELKIT_RETURN_IF_ERROR(ValidateTreePath(spec.changes[i].path, i));
    last[spec.changes[i].path] = &spec.changes[i];
  }
  std::vector<git_tree_update> updates;
  updates.reserve(last.size());
  for (const auto& [path, change] : last) {
    git_tree_update u{};
    u.path = path.c_str();
    if (change->gitlink) {
      u.id = ToGit(*change->gitlink);
      u.action = GIT_TREE_UPDATE_UPSERT;
      u.filemode = GIT_FILEMODE_COMMIT;
    } else if (change->content) {
      int rc = git_blob_create_from_buffer(&u.id, impl_->get(),
                                           change->content->data(),
                                           change->content->size());
      if (rc < 0)
        return GitError(rc,
                        absl::StrCat("cannot write blob for \"", path, "\""));
      u.action = GIT_TREE_UPDATE_UPSERT;
      u.filemode =
          change->executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
    } else {
      git_tree_entry* e = nullptr;
      if (git_tree_entry_bypath(&e, base.get(), path.c_str()) < 0) {
        return absl::NotFoundError(
            absl::StrCat("cannot delete \"", path, "\": not in the base tree"));
      }
      git_tree_entry_free(e);
      u.action = GIT_TREE_UPDATE_REMOVE;
    }
    updates.push_back(u);
  }
  git_oid tree_oid;
  int rc = git_tree_create_updated(&tree_oid, impl_->get(), base.get(),
                                   updates.size(), updates.data());
  if (rc < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot build the commit tree: ", internal::LastGitErrorText()));
  }
  git_tree* tree = nullptr;
  if ((rc = git_tree_lookup(&tree, impl_->get(), &tree_oid)) < 0) {
    return GitError(rc, "cannot read the new tree");
  }
  TreePtr tree_owned(tree);
  Signature author_sig, committer_sig;
  if (spec.author) {
    author_sig = *spec.author;
  } else {
    RELKIT_ASSIGN_OR_RETURN(author_sig, DefaultSignature());
  }
  committer_sig = spec.committer ? *spec.committer : author_sig;
  RELKIT_ASSIGN_OR_RETURN(SignaturePtr author, ToGit(author_sig));
  RELKIT_ASSIGN_OR_RETURN(SignaturePtr committer, ToGit(committer_sig));
  std::vector<const git_commit*> raw_parents;
  for (const CommitPtr& p : parents) raw_parents.push_back(p.get());
  git_oid out;
  rc = git_commit_create(&out, impl_->get(), nullptr, author.get(),
                         committer.get(), nullptr, spec.message.c_str(), tree,
                         raw_parents.size(), raw_parents.data());
  if (rc < 0) return GitError(rc, "cannot write the commit");
  return FromGit(out);
}

absl::StatusOr<ObjectId> Repository::CreateTagObject(
    absl::string_view name, const ObjectId& target, absl::string_view message,
    const std::optional<Signature>& tagger) {
  std::string n(name), msg(message);
  std::string full = absl::StrCat("refs/tags/", name);
  int valid = 0;
  if (git_reference_name_is_valid(&valid, full.c_str()) < 0 || !valid) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid tag name \"", name, "\""));
  }
  git_oid oid = ToGit(target);
  git_object* obj = nullptr;
  int rc = git_object_lookup(&obj, impl_->get(), &oid, GIT_OBJECT_ANY);
  if (rc < 0) {
    return absl::NotFoundError(absl::StrCat("tag target ", target.ToString(),
                                            " not found in ", impl_->display));
  }
  ObjectPtr owned(obj);
  Signature sig;
  if (tagger) {
    sig = *tagger;
  } else {
    RELKIT_ASSIGN_OR_RETURN(sig, DefaultSignature());
  }
  RELKIT_ASSIGN_OR_RETURN(SignaturePtr s, ToGit(sig));
  git_oid out;
  rc = git_tag_annotation_create(&out, impl_->get(), n.c_str(), obj, s.get(),
                                 msg.c_str());
  if (rc < 0) {
    return GitError(rc, absl::StrCat("cannot write tag object \"", name, "\""));
  }
  return FromGit(out);
}

absl::Status Repository::UpdateRefs(absl::Span<const RefUpdate> updates) {
  for (const RefUpdate& u : updates) {
    int valid = 0;
    if (git_reference_name_is_valid(&valid, u.name.c_str()) < 0 || !valid ||
        !absl::StartsWith(u.name, "refs/")) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid ref name \"", u.name, "\""));
    }
    if (u.target.is_zero() && !u.expected) {
      return absl::InvalidArgumentError(absl::StrCat(
          "deleting ref \"", u.name, "\" needs its expected value"));
    }
  }
  git_transaction* tx = nullptr;
  int rc = git_transaction_new(&tx, impl_->get());
  if (rc < 0) return GitError(rc, "cannot start a ref transaction");
  TransactionPtr owned(tx);
  for (const RefUpdate& u : updates) {
    rc = git_transaction_lock_ref(tx, u.name.c_str());
    if (rc < 0) {
      return absl::AbortedError(absl::StrCat(
          "cannot lock ref \"", u.name, "\" in ", impl_->display,
          " (another git process running?): ", internal::LastGitErrorText()));
    }
  }
  // All refs are locked: nobody can move them between this check and commit.
  for (const RefUpdate& u : updates) {
    RELKIT_ASSIGN_OR_RETURN(ReferencePtr ref, impl_->FindRef(u.name));
    std::optional<ObjectId> current;
    if (ref != nullptr) {
      const git_oid* t = git_reference_target(ref.get());
      if (t == nullptr) {
        return absl::FailedPreconditionError(
            absl::StrCat("ref \"", u.name,
                         "\" is symbolic; relkit only writes direct refs"));
      }
      current = FromGit(*t);
    }
    if (!u.expected && current) {
      return absl::AlreadyExistsError(
          absl::StrCat("ref \"", u.name, "\" already exists in ",
                       impl_->display, " at ", current->ToString()));
    }
    if (u.expected && current != u.expected) {
      return absl::AbortedError(
          absl::StrCat("ref \"", u.name, "\" in ", impl_->display,
                       " moved: expected ", u.expected->ToString(), ", found ",
                       current ? current->ToString() : std::string("no ref")));
    }
  }
  for (const RefUpdate& u : updates) {
    if (u.target.is_zero()) {
      rc = git_transaction_remove(tx, u.name.c_str());
    } else {
      git_oid oid = ToGit(u.target);
      rc = git_transaction_set_target(tx, u.name.c_str(), &oid, nullptr,
                                      u.message.c_str());
    }
    if (rc < 0) {
      return GitError(rc, absl::StrCat("cannot stage ref \"", u.name, "\""));
    }
  }
  rc = git_transaction_commit(tx);
  if (rc < 0) {
    return GitError(rc, absl::StrCat("cannot update refs of ", impl_->display));
  }
  return absl::OkStatus();
}

absl::Status Repository::CreateBranch(absl::string_view name,
                                      const ObjectId& target) {
  RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(target));
  RefUpdate u{.name = absl::StrCat("refs/heads/", name),
              .target = target,
              .expected = std::nullopt,
              .message = absl::StrCat("relkit: create branch ", name)};
  return UpdateRefs({u});
}

absl::Status Repository::CreateTag(absl::string_view name,
                                   const ObjectId& target,
                                   const std::optional<std::string>& message,
                                   const std::optional<Signature>& tagger) {
  std::string full = absl::StrCat("refs/tags/", name);
  RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> existing,
                          LookupRefTarget(full));
  if (existing) {
    return absl::AlreadyExistsError(
        absl::StrCat("tag \"", name, "\" already exists in ", impl_->display,
                     " at ", existing->ToString()));
  }
  ObjectId ref_target = target;
  if (message) {
    RELKIT_ASSIGN_OR_RETURN(ref_target,
                            CreateTagObject(name, target, *message, tagger));
  } else {
    RELKIT_ASSIGN_OR_RETURN(CommitPtr c, impl_->LookupCommit(target));
  }
  RefUpdate u{.name = full,
              .target = ref_target,
              .expected = std::nullopt,
              .message = absl::StrCat("relkit: create tag ", name)};
  return UpdateRefs({u});
}

namespace {

// Opens `remote` (a configured remote, else a URL or path) for a push or a
// listing; the caller has checked it with CheckPushRemote. Defined with the
// other remote helpers below.
absl::StatusOr<internal::RemotePtr> OpenRemote(git_repository* repo,
                                               absl::string_view display,
                                               absl::string_view remote);

struct PushState {
  std::vector<std::string> rejected;
};

int OnPushUpdate(const char* refname, const char* status, void* data) {
  if (status != nullptr) {
    static_cast<PushState*>(data)->rejected.push_back(
        absl::StrCat(refname, " (", status, ")"));
  }
  return 0;
}

}  // namespace

absl::Status Repository::Push(const PushOptions& options) {
  if (options.refspecs.empty()) return absl::OkStatus();
  RELKIT_RETURN_IF_ERROR(CheckPushRemote(options.remote));
  RELKIT_ASSIGN_OR_RETURN(
      internal::RemotePtr remote,
      OpenRemote(impl_->get(), impl_->display, options.remote));
  std::vector<std::string> specs;
  // libgit2 pushes only from refs: a commit id as the source goes through a
  // temporary ref refs/relkit/push/<pid>-<n>, deleted after the push (or
  // when making the next one fails). The pid keeps two pushes running at
  // once in one repository from pushing each other's commits; a killed push
  // may leave one behind, which a later process of the same pid overwrites.
  static std::atomic<uint64_t> counter{0};
  std::vector<ReferencePtr> temporary;
  auto cleanup = absl::MakeCleanup([&temporary] {
    for (ReferencePtr& r : temporary) git_reference_delete(r.get());
  });
  for (const std::string& s : options.refspecs) {
    std::string spec = absl::StrContains(s, ":") ? s : absl::StrCat(s, ":", s);
    absl::string_view force = absl::StartsWith(spec, "+") ? "+" : "";
    absl::string_view body = absl::string_view(spec).substr(force.size());
    absl::string_view src = body.substr(0, body.find(':'));
    if (src.size() == 40 && std::all_of(src.begin(), src.end(), IsHex)) {
      git_oid oid;
      std::string hex(src);
      std::string name = absl::StrCat("refs/relkit/push/", ::getpid(), "-",
                                      counter.fetch_add(1));
      git_reference* ref = nullptr;
      int rc = git_oid_fromstr(&oid, hex.c_str());
      if (rc == 0) {
        rc = git_reference_create(&ref, impl_->get(), name.c_str(), &oid,
                                  /*force=*/1, "relkit: push a commit id");
      }
      if (rc < 0) {
        return GitError(rc, absl::StrCat("cannot push commit ", hex));
      }
      temporary.emplace_back(ref);
      spec = absl::StrCat(force, name, body.substr(src.size()));
    }
    specs.push_back(std::move(spec));
  }
  std::vector<char*> ptrs;
  for (std::string& s : specs) ptrs.push_back(s.data());
  git_strarray arr{ptrs.data(), ptrs.size()};
  PushState state;
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks.push_update_reference = OnPushUpdate;
  opts.callbacks.payload = &state;
  int rc = git_remote_push(remote.get(), &arr, &opts);
  if (rc < 0) {
    absl::Status s =
        GitError(rc, absl::StrCat("cannot push to \"", options.remote, "\""));
    if (s.code() == absl::StatusCode::kInternal ||
        s.code() == absl::StatusCode::kNotFound) {
      return absl::UnavailableError(s.message());
    }
    return s;
  }
  if (!state.rejected.empty()) {
    return absl::AbortedError(
        absl::StrCat("remote \"", options.remote,
                     "\" rejected: ", absl::StrJoin(state.rejected, ", ")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, ObjectId>>>
Repository::ListRemoteRefs(absl::string_view remote) const {
  RELKIT_RETURN_IF_ERROR(CheckPushRemote(remote));
  RELKIT_ASSIGN_OR_RETURN(internal::RemotePtr r,
                          OpenRemote(impl_->get(), impl_->display, remote));
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  int rc = git_remote_connect(r.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr,
                              nullptr);
  if (rc < 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot connect to \"", remote, "\": ", internal::LastGitErrorText()));
  }
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  rc = git_remote_ls(&heads, &count, r.get());
  if (rc < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot list the refs of \"", remote,
                     "\": ", internal::LastGitErrorText()));
  }
  std::vector<std::pair<std::string, ObjectId>> out;
  for (size_t i = 0; i < count; ++i) {
    absl::string_view name = heads[i]->name;
    if (!absl::StartsWith(name, "refs/") || absl::EndsWith(name, "^{}")) {
      continue;
    }
    out.emplace_back(std::string(name), FromGit(heads[i]->oid));
  }
  git_remote_disconnect(r.get());
  std::sort(out.begin(), out.end());
  return out;
}

// -----------------------------------------------------------------------------
// Remotes

namespace {

// What Remotes/RemoteUrl need from the configuration. It is read entry by
// entry rather than through git_remote_list/git_remote_lookup: those match
// config keys against regular expressions, and libgit2 1.5.1 leaks the pcre2
// match data (with its ~20 KiB of match frames) of every key that does not
// match, on every call.
struct RemoteConfig {
  std::set<std::string> names;  // remotes with a url or a pushurl
  // The first `remote.<name>.url` of each remote, in git's reading order
  // (system, global, repository), which is the one git fetches from.
  std::map<std::string, std::string> urls;
  // The first `remote.<name>.pushurl` of each remote.
  std::map<std::string, std::string> push_urls;
  // (prefix, base) of each `url.<base>.insteadOf = prefix`.
  std::vector<std::pair<std::string, std::string>> instead_of;

  // Returns `url` with its longest matching insteadOf prefix replaced by
  // the base, as git (and git_remote_lookup) rewrite remote URLs.
  std::string Rewrite(const std::string& url) const {
    const std::pair<std::string, std::string>* best = nullptr;
    for (const auto& p : instead_of) {
      if (!p.first.empty() && absl::StartsWith(url, p.first) &&
          (best == nullptr || p.first.size() > best->first.size())) {
        best = &p;
      }
    }
    if (best == nullptr) return url;
    return absl::StrCat(best->second, url.substr(best->first.size()));
  }
};

// Returns `middle` when `key` is `prefix` + non-empty `middle` + `suffix`.
std::optional<std::string> KeyPart(absl::string_view key,
                                   absl::string_view prefix,
                                   absl::string_view suffix) {
  if (key.size() <= prefix.size() + suffix.size() ||
      !absl::StartsWith(key, prefix) || !absl::EndsWith(key, suffix)) {
    return std::nullopt;
  }
  return std::string(
      key.substr(prefix.size(), key.size() - prefix.size() - suffix.size()));
}

absl::StatusOr<RemoteConfig> ReadRemoteConfig(git_repository* repo,
                                              absl::string_view display) {
  git_config* cfg = nullptr;
  int rc = git_repository_config_snapshot(&cfg, repo);
  if (rc < 0) {
    return GitError(rc,
                    absl::StrCat("cannot read the configuration of ", display));
  }
  internal::ConfigPtr owned_cfg(cfg);
  git_config_iterator* it = nullptr;
  rc = git_config_iterator_new(&it, cfg);
  if (rc < 0) {
    return GitError(rc,
                    absl::StrCat("cannot read the configuration of ", display));
  }
  internal::ConfigIterPtr owned_it(it);
  RemoteConfig out;
  git_config_entry* entry = nullptr;  // owned by the iterator
  // libgit2 lower-cases section and variable names, not subsections.
  while ((rc = git_config_next(&entry, it)) == 0) {
    const absl::string_view key = entry->name;
    const std::string value = entry->value != nullptr ? entry->value : "";
    if (std::optional<std::string> name = KeyPart(key, "remote.", ".url")) {
      out.names.insert(*name);
      out.urls.emplace(*name, value);  // the first one stays
    } else if (std::optional<std::string> push =
                   KeyPart(key, "remote.", ".pushurl")) {
      out.names.insert(*push);
      out.push_urls.emplace(*push, value);
    } else if (std::optional<std::string> base =
                   KeyPart(key, "url.", ".insteadof")) {
      out.instead_of.emplace_back(value, *base);
    }
  }
  if (rc != GIT_ITEROVER) {
    return GitError(rc,
                    absl::StrCat("cannot read the configuration of ", display));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Remote>> Repository::Remotes() const {
  RELKIT_ASSIGN_OR_RETURN(RemoteConfig config,
                          ReadRemoteConfig(impl_->get(), impl_->display));
  std::vector<Remote> out;
  out.reserve(config.names.size());
  for (const std::string& name : config.names) {  // sorted: a std::set
    auto url = config.urls.find(name);
    out.push_back(Remote{.name = name,
                         .url = url == config.urls.end() || url->second.empty()
                                    ? std::string()
                                    : config.Rewrite(url->second)});
  }
  return out;
}

absl::StatusOr<std::string> Repository::RemoteUrl(
    absl::string_view name) const {
  int valid = 0;
  if (name.empty() || absl::StrContains(name, '\0') ||
      git_remote_name_is_valid(&valid, std::string(name).c_str()) < 0 ||
      valid == 0) {
    return absl::InvalidArgumentError(absl::StrCat("invalid remote name \"",
                                                   absl::CHexEscape(name),
                                                   "\" for ", impl_->display));
  }
  RELKIT_ASSIGN_OR_RETURN(RemoteConfig config,
                          ReadRemoteConfig(impl_->get(), impl_->display));
  const std::string n(name);
  if (!config.names.contains(n)) {
    return absl::NotFoundError(
        absl::StrCat("remote \"", name, "\" not found in ", impl_->display));
  }
  auto url = config.urls.find(n);
  if (url == config.urls.end() || url->second.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "remote \"", name, "\" of ", impl_->display, " has no fetch URL"));
  }
  return config.Rewrite(url->second);
}

namespace {

// The local path a remote URL names (`/srv/x.git`, `../x`, `file:///x`), or
// nullopt for a network URL (`https://...`, `ssh://...`, `host:path`).
// Returns InvalidArgument for a scheme libgit2 cannot push to.
absl::StatusOr<std::optional<std::string>> LocalPathOf(absl::string_view url) {
  if (absl::ConsumePrefix(&url, "file://")) return std::string(url);
  size_t scheme_end = url.find("://");
  if (scheme_end != absl::string_view::npos) {
    absl::string_view scheme = url.substr(0, scheme_end);
    for (absl::string_view known :
         {"http", "https", "ssh", "git", "ssh+git", "git+ssh"}) {
      if (absl::EqualsIgnoreCase(scheme, known)) return std::nullopt;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot push to \"", url, "\": unsupported URL scheme \"", scheme,
        "\" (use a path, file://, http(s)://, ssh:// or git://)"));
  }
  // scp-like `[user@]host:path`: a colon before the first slash.
  size_t colon = url.find(':');
  if (colon != absl::string_view::npos && colon > 0 &&
      url.substr(0, colon).find('/') == absl::string_view::npos) {
    return std::nullopt;
  }
  return std::string(url);
}

}  // namespace

absl::Status Repository::CheckPushRemote(absl::string_view remote) const {
  if (remote.empty()) {
    return absl::InvalidArgumentError("push needs a remote name or URL");
  }
  RELKIT_ASSIGN_OR_RETURN(RemoteConfig config,
                          ReadRemoteConfig(impl_->get(), impl_->display));
  std::string url(remote);
  std::string what = absl::StrCat("\"", remote, "\"");
  if (config.names.contains(url)) {
    auto push = config.push_urls.find(url);
    auto fetch = config.urls.find(url);
    if (push != config.push_urls.end() && !push->second.empty()) {
      url = push->second;
    } else if (fetch != config.urls.end() && !fetch->second.empty()) {
      url = config.Rewrite(fetch->second);
    } else {
      return absl::NotFoundError(absl::StrCat(
          "remote ", what, " of ", impl_->display, " has no URL to push to"));
    }
    what = absl::StrCat("remote ", what, " (", url, ")");
  }
  RELKIT_ASSIGN_OR_RETURN(std::optional<std::string> path, LocalPathOf(url));
  if (!path) return absl::OkStatus();
  std::error_code ec;
  if (!std::filesystem::exists(*path, ec)) {
    return absl::NotFoundError(
        absl::StrCat("cannot push to ", what,
                     ": no such file or directory (not a remote of ",
                     impl_->display, ", and no repository at that path)"));
  }
  git_repository* r = nullptr;
  int rc = git_repository_open_ext(&r, path->c_str(),
                                   GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (rc < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot push to ", what, ": ", *path, " is not a git repository"));
  }
  git_repository_free(r);
  return absl::OkStatus();
}

namespace {

absl::StatusOr<internal::RemotePtr> OpenRemote(git_repository* repo,
                                               absl::string_view display,
                                               absl::string_view remote) {
  RELKIT_ASSIGN_OR_RETURN(RemoteConfig config, ReadRemoteConfig(repo, display));
  const std::string name(remote);
  git_remote* r = nullptr;
  int rc = config.names.contains(name)
               ? git_remote_lookup(&r, repo, name.c_str())
               : git_remote_create_anonymous(&r, repo, name.c_str());
  if (rc < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot use remote \"", remote, "\" of ", display, ": ",
                     internal::LastGitErrorText()));
  }
  return internal::RemotePtr(r);
}

}  // namespace

// ---------------------------------------------------------------------------
// Cherry-pick

absl::string_view CherryPickKindName(CherryPickResult::Kind kind) {
  switch (kind) {
    case CherryPickResult::Kind::kClean:
      return "clean";
    case CherryPickResult::Kind::kConflict:
      return "conflict";
    case CherryPickResult::Kind::kEmpty:
      return "empty";
  }
  return "clean";
}

namespace {

bool IsBlankLine(absl::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return absl::ascii_isspace(c); });
}

// git's trailer.c find_separator with separators ":": the position of the
// `:` after a token of letters, digits and `-` (whitespace allowed only
// between the token and the `:`), or -1.
ptrdiff_t FindTrailerSeparator(absl::string_view line) {
  bool whitespace_found = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ':') return static_cast<ptrdiff_t>(i);
    if (!whitespace_found && (absl::ascii_isalnum(c) || c == '-')) continue;
    if (i != 0 && (c == ' ' || c == '\t')) {
      whitespace_found = true;
      continue;
    }
    break;
  }
  return -1;
}

// git's sequencer.c has_conforming_footer (trailer.c find_trailer_start with
// no divider): whether `message` ends in a trailer block.
bool EndsInTrailerBlock(absl::string_view message) {
  std::vector<absl::string_view> lines = absl::StrSplit(message, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  // ignore_non_trailer: a scissors line ends the message; trailing blank and
  // comment lines do not count.
  for (size_t i = 0; i < lines.size(); ++i) {
    if (absl::StartsWith(lines[i], "# ------------------------ >8")) {
      lines.resize(i);
      break;
    }
  }
  while (!lines.empty() &&
         (absl::StartsWith(lines.back(), "#") || IsBlankLine(lines.back()))) {
    lines.pop_back();
  }
  // The first paragraph is the title and cannot be trailers.
  size_t end_of_title = 0;
  while (end_of_title < lines.size() &&
         (absl::StartsWith(lines[end_of_title], "#") ||
          !IsBlankLine(lines[end_of_title]))) {
    ++end_of_title;
  }
  bool only_spaces = true, recognized_prefix = false;
  int trailer_lines = 0, non_trailer_lines = 0, possible_continuation = 0;
  for (size_t l = lines.size(); l-- > end_of_title;) {
    absl::string_view line = lines[l];
    if (absl::StartsWith(line, "#")) {
      non_trailer_lines += possible_continuation;
      possible_continuation = 0;
      continue;
    }
    if (IsBlankLine(line)) {
      if (only_spaces) continue;
      non_trailer_lines += possible_continuation;
      if (recognized_prefix && trailer_lines * 3 >= non_trailer_lines) {
        return true;
      }
      return trailer_lines > 0 && non_trailer_lines == 0;
    }
    only_spaces = false;
    if (absl::StartsWith(line, "Signed-off-by: ") ||
        absl::StartsWith(line, "(cherry picked from commit ")) {
      ++trailer_lines;
      possible_continuation = 0;
      recognized_prefix = true;
      continue;
    }
    bool leading_space = absl::ascii_isspace(line.front());
    if (FindTrailerSeparator(line) >= 1 && !leading_space) {
      ++trailer_lines;
      possible_continuation = 0;
    } else if (leading_space) {
      ++possible_continuation;
    } else {
      ++non_trailer_lines;
      non_trailer_lines += possible_continuation;
      possible_continuation = 0;
    }
  }
  return false;
}

// git's strbuf_stripspace without comment stripping: trailing whitespace
// off every line, runs of blank lines collapsed to one, none at the start
// or the end, every line ending in a newline.
std::string StripSpace(absl::string_view text) {
  std::string out;
  bool pending_blank = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty()) {
      pending_blank = true;
      continue;
    }
    if (pending_blank && !out.empty()) out.push_back('\n');
    pending_blank = false;
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace

std::string CherryPickMessage(absl::string_view message,
                              const ObjectId& picked) {
  std::string msg(message);
  if (!msg.empty() && msg.back() != '\n') msg.push_back('\n');
  if (!EndsInTrailerBlock(msg)) msg.push_back('\n');
  absl::StrAppend(&msg, "(cherry picked from commit ", picked.ToString(),
                  ")\n");
  return StripSpace(msg);
}

absl::StatusOr<CherryPickResult> Repository::CherryPick(
    const ObjectId& commit, const ObjectId& onto,
    const CherryPickOptions& options) {
  RELKIT_ASSIGN_OR_RETURN(CommitPtr pick, impl_->LookupCommit(commit));
  RELKIT_ASSIGN_OR_RETURN(CommitPtr base, impl_->LookupCommit(onto));
  unsigned int parents = git_commit_parentcount(pick.get());
  if (parents > 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot cherry-pick ", commit.ToString(), " in ", impl_->display,
        ": it is a merge commit (", parents,
        " parents); git needs a mainline parent (-m) to pick one, and relkit "
        "does not choose it: pick the commits it merges instead"));
  }
  if (parents == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot cherry-pick ", commit.ToString(), " in ",
                     impl_->display, ": it is a root commit (no parent)"));
  }
  CherryPickResult result;
  result.picked = commit;
  result.onto = onto;
  const char* raw = git_commit_message_raw(pick.get());
  std::string original = raw != nullptr ? raw : "";
  result.message = options.record_origin ? CherryPickMessage(original, commit)
                                         : StripSpace(original);

  git_merge_options merge_opts = GIT_MERGE_OPTIONS_INIT;
  git_index* index_raw = nullptr;
  int rc = git_cherrypick_commit(&index_raw, impl_->get(), pick.get(),
                                 base.get(), 0, &merge_opts);
  if (rc < 0) {
    return GitError(
        rc, absl::StrCat("cannot cherry-pick ", commit.ToString(), " onto ",
                         onto.ToString(), " in ", impl_->display));
  }
  IndexPtr index(index_raw);
  if (git_index_has_conflicts(index.get())) {
    std::set<std::string> paths;
    git_index_conflict_iterator* it = nullptr;
    if ((rc = git_index_conflict_iterator_new(&it, index.get())) < 0) {
      return GitError(rc, "cannot list the cherry-pick's conflicts");
    }
    absl::Cleanup free_it = [it] { git_index_conflict_iterator_free(it); };
    const git_index_entry *ancestor = nullptr, *ours = nullptr,
                          *theirs = nullptr;
    while ((rc = git_index_conflict_next(&ancestor, &ours, &theirs, it)) == 0) {
      for (const git_index_entry* e : {ancestor, ours, theirs}) {
        if (e != nullptr && e->path != nullptr) paths.insert(e->path);
      }
    }
    if (rc != GIT_ITEROVER) {
      return GitError(rc, "cannot list the cherry-pick's conflicts");
    }
    result.kind = CherryPickResult::Kind::kConflict;
    result.conflicts.assign(paths.begin(), paths.end());
    return result;
  }
  git_oid tree_oid;
  if ((rc = git_index_write_tree_to(&tree_oid, index.get(), impl_->get())) <
      0) {
    return GitError(rc, "cannot write the cherry-pick's tree");
  }
  result.tree = FromGit(tree_oid);
  if (git_oid_equal(&tree_oid, git_commit_tree_id(base.get()))) {
    result.kind = CherryPickResult::Kind::kEmpty;
    return result;
  }
  Signature committer_sig;
  if (options.committer) {
    committer_sig = *options.committer;
  } else {
    RELKIT_ASSIGN_OR_RETURN(committer_sig, DefaultSignature());
  }
  RELKIT_ASSIGN_OR_RETURN(SignaturePtr committer, ToGit(committer_sig));
  git_tree* tree = nullptr;
  if ((rc = git_tree_lookup(&tree, impl_->get(), &tree_oid)) < 0) {
    return GitError(rc, "cannot read the cherry-pick's tree");
  }
  TreePtr tree_owned(tree);
  const git_commit* parent = base.get();
  git_oid out;
  rc = git_commit_create(&out, impl_->get(), nullptr,
                         git_commit_author(pick.get()), committer.get(),
                         nullptr, result.message.c_str(), tree, 1, &parent);
  if (rc < 0) return GitError(rc, "cannot write the cherry-picked commit");
  result.commit = FromGit(out);
  result.kind = CherryPickResult::Kind::kClean;
  return result;
}

}  // namespace relkit
