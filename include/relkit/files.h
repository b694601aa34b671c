// File: relkit/files.h
// -----------------------------------------------------------------------------
//
// Whole files in and out: `ReadFile` returns a file's bytes with one error
// model, and `WriteFileAtomically` replaces a file so that a reader (or a
// crash, or a full disk) never leaves it half written: the bytes go to a
// temporary file beside it, which is flushed to disk and renamed over the
// target. The library's caches and snapshots and the CLI's input files,
// `--out` and `--in-place` files go through these two.
//
//   absl::StatusOr<std::string> text = relkit::ReadFile("versions.json");
//   if (!text.ok()) return text.status();  // names the path and the reason
//   ...
//   RELKIT_RETURN_IF_ERROR(relkit::WriteFileAtomically("versions.json", out));
//
// Errors name the path and the reason, e.g. `cannot read "x.json": no such
// file or directory`:
//
//   kNotFound          ReadFile: the file, or a directory on its path, does
//                      not exist
//   kInvalidArgument   ReadFile: the path names a directory
//   kPermissionDenied  the file or its directory may not be read or written
//   kUnavailable       any other error: the file could not be read or written
//                      (a full disk, a read-only file system, a file too
//                      large, a directory in the way of the file)

#ifndef RELKIT_FILES_H_
#define RELKIT_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relkit {

// Returns the bytes of the file at `path` (see the file comment for the
// errors).
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Replaces the file at `path` with `contents`: writes them to a new temporary
// file in the same directory, flushes it to disk (fsync), renames it over
// `path` and then flushes the directory (best effort), so that `path` holds
// either its old bytes or all of the new ones, never a part. Creates missing
// parent directories. A file that exists must be writable (a read-only file
// is refused, as a write in place would be) and keeps its permission bits; a
// symbolic link keeps pointing where it did, and the file it points to is
// replaced. On error the temporary file is removed and `path` is untouched.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// The same replacement, streamed: for a file too large to hold in memory (an
// object fetched in parts, a copy of a wheel). The bytes go to a temporary
// file beside `path`, named `.<name>.relkit-tmp-<pid>-<n>` (hidden, and
// recognisable as relkit's own); `Commit` flushes it and renames it over
// `path`. A writer destroyed before `Commit` (an error, an exception) removes
// its temporary, so `path` is never half written. Same rules and errors as
// WriteFileAtomically.
//
//   RELKIT_ASSIGN_OR_RETURN(relkit::AtomicFileWriter out,
//                           relkit::AtomicFileWriter::Create(path));
//   for (...) RELKIT_RETURN_IF_ERROR(out.Append(chunk));
//   RELKIT_RETURN_IF_ERROR(out.Commit());
class AtomicFileWriter {
 public:
  static absl::StatusOr<AtomicFileWriter> Create(const std::string& path);

  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter();

  absl::Status Append(absl::string_view data);
  // Flushes the temporary to disk and closes it; `Commit` does it when it has
  // not been done. Between the two, `temp_path()` is a complete file that is
  // not yet in place (for a caller that records something about it first).
  absl::Status Finish();
  // Finishes, then renames the temporary over `path`.
  absl::Status Commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_; }

 private:
  AtomicFileWriter(std::string path, std::string target, std::string temp,
                   int fd);
  void Discard();

  std::string path_;    // as given, for messages
  std::string target_;  // what is replaced: `path`, or where its link points
  std::string temp_;
  int fd_ = -1;
  bool finished_ = false;
  bool committed_ = false;
};

}  // namespace relkit

#endif  // RELKIT_FILES_H_
