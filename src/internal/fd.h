// A file descriptor closed when it goes out of scope: the one RAII holder
// for the POSIX file code of files.cc and the object stores.

#ifndef RELKIT_SRC_INTERNAL_FD_H_
#define RELKIT_SRC_INTERNAL_FD_H_

#include <unistd.h>

#include <cerrno>

namespace relkit::internal {

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

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_FD_H_
