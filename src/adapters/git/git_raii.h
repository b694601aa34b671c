// RAII owners for libgit2 handles and the translation of libgit2 errors to
// absl::Status. Private to src/: only src/adapters/git/git.cc includes it.

#ifndef RELKIT_SRC_ADAPTERS_GIT_GIT_RAII_H_
#define RELKIT_SRC_ADAPTERS_GIT_GIT_RAII_H_

#include <git2.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace relkit::internal {

template <typename T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* p) const {
    if (p != nullptr) Free(p);
  }
};

template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;

using RepoPtr = GitPtr<git_repository, git_repository_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using TreeEntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using TagPtr = GitPtr<git_tag, git_tag_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using RefIterPtr = GitPtr<git_reference_iterator, git_reference_iterator_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;
using TransactionPtr = GitPtr<git_transaction, git_transaction_free>;
using RemotePtr = GitPtr<git_remote, git_remote_free>;
using ConfigPtr = GitPtr<git_config, git_config_free>;
using ConfigIterPtr = GitPtr<git_config_iterator, git_config_iterator_free>;
using OdbPtr = GitPtr<git_odb, git_odb_free>;
using OdbObjectPtr = GitPtr<git_odb_object, git_odb_object_free>;
using IndexPtr = GitPtr<git_index, git_index_free>;

// Returns the text of libgit2's last error on this thread ("unknown error"
// when none is recorded).
inline std::string LastGitErrorText() {
  const git_error* e = git_error_last();
  return (e != nullptr && e->message != nullptr) ? std::string(e->message)
                                                 : std::string("unknown error");
}

// Returns a status for libgit2 return code `rc` (< 0) of `what` (a lower-case
// phrase naming the operation and its input), with libgit2's message
// appended. Codes: GIT_ENOTFOUND -> NotFound, GIT_EEXISTS -> AlreadyExists,
// GIT_EINVALIDSPEC/GIT_EAMBIGUOUS -> InvalidArgument, GIT_ELOCKED/
// GIT_EMODIFIED -> Aborted, network -> Unavailable, anything else Internal.
inline absl::Status GitError(int rc, absl::string_view what) {
  std::string msg = absl::StrCat(what, ": ", LastGitErrorText());
  const git_error* e = git_error_last();
  int klass = e != nullptr ? e->klass : GIT_ERROR_NONE;
  switch (rc) {
    case GIT_ENOTFOUND:
      return absl::NotFoundError(msg);
    case GIT_EEXISTS:
      return absl::AlreadyExistsError(msg);
    case GIT_EINVALIDSPEC:
    case GIT_EAMBIGUOUS:
      return absl::InvalidArgumentError(msg);
    case GIT_ELOCKED:
    case GIT_EMODIFIED:
      return absl::AbortedError(msg);
    case GIT_EOWNER:
      return absl::FailedPreconditionError(msg);
    default:
      break;
  }
  if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSH ||
      klass == GIT_ERROR_HTTP || klass == GIT_ERROR_SSL) {
    return absl::UnavailableError(msg);
  }
  if (klass == GIT_ERROR_ODB) return absl::NotFoundError(msg);
  return absl::InternalError(msg);
}

// Initialises libgit2 once per process (never shut down: other threads may
// still hold repositories at exit).
void EnsureLibgit2();

}  // namespace relkit::internal

#endif  // RELKIT_SRC_ADAPTERS_GIT_GIT_RAII_H_
