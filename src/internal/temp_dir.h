// A private temporary directory, removed with everything in it when it goes
// out of scope: where the workflows download, hash and rewrite files before
// they put them anywhere.

#ifndef RELKIT_SRC_INTERNAL_TEMP_DIR_H_
#define RELKIT_SRC_INTERNAL_TEMP_DIR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relkit::internal {

class TempDir {
 public:
  // Makes `<parent>/relkit-<what>-<pid>-XXXXXX` (mode 0700, mkdtemp). An
  // empty `parent` means $TMPDIR, else /tmp. Unavailable naming the parent
  // when the directory cannot be made.
  //
  // A killed run cannot remove its directory (SIGKILL, a lost machine), and
  // it may hold a gigabyte of downloads. So Create first removes the
  // `relkit-<what>-<pid>-*` directories in `parent` that belong to this
  // user and whose process no longer exists: the next run cleans up after
  // the killed one.
  static absl::StatusOr<TempDir> Create(const std::string& parent,
                                        absl::string_view what);

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_TEMP_DIR_H_
