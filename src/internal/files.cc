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
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "internal/fd.h"
#include "relkit/status.h"

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

using internal::Fd;

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

absl::StatusOr<AtomicFileWriter> AtomicFileWriter::Create(
    const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target = WriteTarget(path);
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return WriteError(path, ec.value(),
                        absl::StrCat("cannot create directory \"",
                                     target.parent_path().string(), "\": "));
    }
  }
  struct stat old;
  const bool exists = ::stat(target.c_str(), &old) == 0;
  // A file that may not be written is not replaced either (a rename would
  // get past its mode).
  if (exists && ::access(target.c_str(), W_OK) != 0) {
    return WriteError(path, errno);
  }
  // Unique per process and call, so concurrent writers never share a
  // temporary. O_EXCL refuses a name a killed process left behind (in a
  // container the pid repeats from run to run): the next number is tried.
  static std::atomic<uint64_t> counter{0};
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temp = (target.parent_path() / absl::StrCat(".", target.filename().string(),
                                                ".relkit-tmp-", ::getpid(), "-",
                                                counter.fetch_add(1)))
               .string();
    // A new file gets the mode open(2) gives it (0666 less the umask).
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt == 100)) {
      return WriteError(path, errno);
    }
  }
  // A replaced file keeps its permission bits (not its owner: only root may
  // give a file away), from the first byte on: a private file's new
  // contents are never readable by others, even while they stream in.
  if (exists && ::fchmod(fd, old.st_mode & 07777) != 0) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return WriteError(path, err);
  }
  return AtomicFileWriter(path, target.string(), std::move(temp), fd);
}

AtomicFileWriter::AtomicFileWriter(std::string path, std::string target,
                                   std::string temp, int fd)
    : path_(std::move(path)),
      target_(std::move(target)),
      temp_(std::move(temp)),
      fd_(fd) {}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : path_(std::move(other.path_)),
      target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      fd_(std::exchange(other.fd_, -1)),
      finished_(other.finished_),
      committed_(std::exchange(other.committed_, true)) {}

AtomicFileWriter& AtomicFileWriter::operator=(
    AtomicFileWriter&& other) noexcept {
  if (this != &other) {
    Discard();
    path_ = std::move(other.path_);
    target_ = std::move(other.target_);
    temp_ = std::move(other.temp_);
    fd_ = std::exchange(other.fd_, -1);
    finished_ = other.finished_;
    committed_ = std::exchange(other.committed_, true);
  }
  return *this;
}

AtomicFileWriter::~AtomicFileWriter() { Discard(); }

void AtomicFileWriter::Discard() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
  committed_ = true;
}

absl::Status AtomicFileWriter::Append(absl::string_view data) {
  if (finished_ || fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write \"", path_, "\": already finished"));
  }
  if (const int err = WriteAll(fd_, data); err != 0) {
    Discard();
    return WriteError(path_, err);
  }
  return absl::OkStatus();
}

absl::Status AtomicFileWriter::Finish() {
  if (finished_) return absl::OkStatus();
  if (fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write \"", path_, "\": already discarded"));
  }
  int err = 0;
  // The bytes reach the disk before the name does: after a crash, `path`
  // is the old file or the whole new one.
  if (::fsync(fd_) != 0) err = errno;
  const int rc = ::close(std::exchange(fd_, -1));
  if (err == 0 && rc != 0) err = errno;
  if (err != 0) {
    Discard();
    return WriteError(path_, err);
  }
  finished_ = true;
  return absl::OkStatus();
}

absl::Status AtomicFileWriter::Commit() {
  RELKIT_RETURN_IF_ERROR(Finish());
  if (committed_) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write \"", path_, "\": already committed"));
  }
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    const std::string temp = temp_;
    Discard();
    return WriteError(path_, err,
                      absl::StrCat("cannot rename \"", temp, "\" over it: "));
  }
  committed_ = true;
  // Make the rename itself durable. Best effort: some file systems cannot
  // sync a directory, and the new file is complete either way.
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(target_).has_parent_path()
                           ? fs::path(target_).parent_path()
                           : fs::path(".");
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  RELKIT_ASSIGN_OR_RETURN(AtomicFileWriter out, AtomicFileWriter::Create(path));
  RELKIT_RETURN_IF_ERROR(out.Append(contents));
  return out.Commit();
}

}  // namespace relkit
