// relkit/files.h lives in the lowest layer (with the private helpers) so that
// every layer, the values' loaders included, reads and writes files one way.

#include "relkit/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace relkit {
namespace {

// Returns strerror(err) in lower case, as relkit messages are.
std::string Reason(int err) {
  std::string reason = std::strerror(err);
  if (!reason.empty()) {
    reason[0] = absl::ascii_tolower(static_cast<unsigned char>(reason[0]));
  }
  return reason;
}

absl::Status ReadError(const std::string& path, int err) {
  absl::StatusCode code = absl::StatusCode::kUnavailable;
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      code = absl::StatusCode::kNotFound;
      break;
    case EACCES:
    case EPERM:
      code = absl::StatusCode::kPermissionDenied;
      break;
    case EISDIR:
      code = absl::StatusCode::kInvalidArgument;
      break;
  }
  return absl::Status(
      code, absl::StrCat("cannot read \"", path, "\": ", Reason(err)));
}

// Every write error but a denied permission is Unavailable: the output
// could not be written (the CLI's exit status 3), whatever the cause.
absl::Status WriteError(const std::string& path, int err,
                        absl::string_view stage = "") {
  const absl::StatusCode code = err == EACCES || err == EPERM
                                    ? absl::StatusCode::kPermissionDenied
                                    : absl::StatusCode::kUnavailable;
  return absl::Status(
      code, absl::StrCat("cannot write \"", path, "\": ", stage, Reason(err)));
}

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now; returns close()'s errno, or 0.
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes all of `data` to `fd`; returns 0 or the errno of the failure.
int WriteAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// The file `path` names: a symbolic link is followed, so that writing
// replaces the file it points to and the link stays.
std::filesystem::path WriteTarget(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_symlink(path, ec)) {
    fs::path target = fs::canonical(path, ec);
    if (!ec) return target;
  }
  return fs::path(path);
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ReadError(path, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ReadError(path, errno);
  if (S_ISDIR(st.st_mode)) return ReadError(path, EISDIR);
  std::string out;
  // Pipes and /proc files report no size: read until the end either way.
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    out.reserve(static_cast<size_t>(st.st_size));
  }
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return ReadError(path, errno);
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  namespace fs = std::filesystem;
  const fs::path target = WriteTarget(path);
  const fs::path dir =
      target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      return WriteError(
          path, ec.value(),
          absl::StrCat("cannot create directory \"", dir.string(), "\": "));
    }
  }
  // Unique per process and call, so concurrent writers never share a temp.
  static std::atomic<uint64_t> counter{0};
  const std::string temp = absl::StrCat(target.string(), ".tmp.", ::getpid(),
                                        ".", counter.fetch_add(1));
  struct stat old;
  const bool exists = ::stat(target.c_str(), &old) == 0;
  // A file that may not be written is not replaced either (a rename would
  // get past its mode).
  if (exists && ::access(target.c_str(), W_OK) != 0) {
    return WriteError(path, errno);
  }
  int err = 0;
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
    if (fd.get() < 0) return WriteError(path, errno);
    err = WriteAll(fd.get(), contents);
    // Replacing a file keeps its permissions (not its owner: only root may
    // give a file away).
    if (err == 0 && exists && ::fchmod(fd.get(), old.st_mode & 07777) != 0) {
      err = errno;
    }
    // The bytes reach the disk before the name does: after a crash, `path`
    // is the old file or the whole new one.
    if (err == 0 && ::fsync(fd.get()) != 0) err = errno;
    const int close_err = fd.Close();
    if (err == 0) err = close_err;
  }
  if (err == 0 && std::rename(temp.c_str(), target.c_str()) != 0) {
    const int rename_err = errno;
    ::unlink(temp.c_str());
    return WriteError(path, rename_err,
                      absl::StrCat("cannot rename \"", temp, "\" over it: "));
  }
  if (err != 0) {
    ::unlink(temp.c_str());
    return WriteError(path, err);
  }
  // Make the rename itself durable. Best effort: some file systems cannot
  // sync a directory, and the new file is complete either way.
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return absl::OkStatus();
}

}  // namespace relkit
