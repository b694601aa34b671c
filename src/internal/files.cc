#include "internal/files.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace relkit::internal {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    }
    return absl::UnavailableError(absl::StrCat(path, ": cannot read"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return absl::UnavailableError(absl::StrCat(path, ": read error"));
  return buffer.str();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat("cannot create directory ",
                                                 target.parent_path().string(),
                                                 ": ", ec.message()));
    }
  }
  // Unique per process and call, so concurrent writers never share a temp.
  static std::atomic<uint64_t> counter{0};
  const std::string temp =
      absl::StrCat(path, ".tmp.", ::getpid(), ".", counter.fetch_add(1));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (out)
      out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temp, ec);
      return absl::UnavailableError(absl::StrCat("cannot write ", temp));
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    fs::remove(temp, ec);
    return absl::UnavailableError(absl::StrCat("cannot rename ", temp, " to ",
                                               path, ": ", std::strerror(err)));
  }
  return absl::OkStatus();
}

}  // namespace relkit::internal
