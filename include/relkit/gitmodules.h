// File: relkit/gitmodules.h
// -----------------------------------------------------------------------------
//
// `.gitmodules` as a value: its parser (git-config syntax) and the submodule
// record that joins an entry with the commit a tree pins it at
// (Repository::Submodules in relkit/git.h fills those in).
//
//   absl::StatusOr<std::vector<relkit::GitmodulesEntry>> entries =
//       relkit::ParseGitmodules(text, "release/2.4:.gitmodules");
//   if (!entries.ok()) return entries.status();  // names line and column
//   for (const relkit::GitmodulesEntry& e : *entries) use(e.path, e.url);

#ifndef RELKIT_GITMODULES_H_
#define RELKIT_GITMODULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/git_object.h"

namespace relkit {

// A submodule entry of `.gitmodules`.
struct GitmodulesEntry {
  std::string name;
  std::string path;
  std::string url;
  std::optional<std::string> branch;

  friend bool operator==(const GitmodulesEntry&,
                         const GitmodulesEntry&) = default;
};

// Parses the text of a `.gitmodules` file (git-config syntax: `[submodule
// "name"]` sections, `key = value`, `#`/`;` comments, quoted values with
// escapes). Sections other than `submodule` are ignored; entries without a
// path are dropped. Returns InvalidArgument naming `source` and the line and
// column of a syntax error.
absl::StatusOr<std::vector<GitmodulesEntry>> ParseGitmodules(
    absl::string_view text, absl::string_view source = ".gitmodules");

// A submodule as pinned at some commit: `.gitmodules` joined with the gitlink
// entry of the tree.
struct SubmoduleInfo {
  std::string name;
  std::string path;
  std::string url;
  std::optional<std::string> branch;
  // The pinned commit (the gitlink); nullopt when `.gitmodules` names a path
  // that has no gitlink in the tree.
  std::optional<ObjectId> commit;
};

}  // namespace relkit

#endif  // RELKIT_GITMODULES_H_
