// File: py_repository.h
// -----------------------------------------------------------------------------
//
// The Python-side owner of a git repository (relkit.Repository), shared by
// the bind files whose functions take one (git, branch audit, branch cut, RC
// tags, pins). Every call releases the GIL and holds the repository's own
// lock, because a libgit2 repository is not thread-safe: long walks let other
// Python threads run, and two threads sharing one Repository take turns.
//
//   [](PyRepository& r, const std::string& branch) {
//     return ValueOrThrow(
//         Locked(r, [&](Repository& x) { return ListRcTags(x, branch); }));
//   }

#ifndef RELKIT_PYTHON_BINDINGS_PY_REPOSITORY_H_
#define RELKIT_PYTHON_BINDINGS_PY_REPOSITORY_H_

#include <mutex>
#include <utility>

#include "bindings.h"
#include "pybind11/pybind11.h"
#include "relkit/git.h"

namespace relkit::python {

// The repository and the lock that serialises calls on it.
struct PyRepository {
  explicit PyRepository(Repository r) : repo(std::move(r)) {}
  Repository repo;
  std::mutex mu;
};

// Runs `f(repo)` without the GIL and under the repository lock, and returns
// its result. The GIL is released first so that a thread waiting for the
// lock never holds it.
template <typename F>
auto Locked(PyRepository& r, F&& f) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(r.mu);
  return f(r.repo);
}

}  // namespace relkit::python

#endif  // RELKIT_PYTHON_BINDINGS_PY_REPOSITORY_H_
