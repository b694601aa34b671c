#include "internal/temp_dir.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace relkit::internal {
namespace {

// Removes `<base>/relkit-<what>-<pid>-XXXXXX` directories of this user
// whose process is gone. Best effort: what cannot be read or removed stays.
void RemoveOrphans(const std::string& base, absl::string_view what) {
  const std::string prefix = absl::StrCat("relkit-", what, "-");
  std::error_code error;
  std::filesystem::directory_iterator it(base, error);
  if (error) return;
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) return;
    const std::string name = it->path().filename().string();
    absl::string_view rest = name;
    if (!absl::ConsumePrefix(&rest, prefix)) continue;
    // "<pid>-XXXXXX": mkdtemp's six characters after the last '-'.
    const size_t dash = rest.rfind('-');
    if (dash == absl::string_view::npos || rest.size() - dash != 7) continue;
    pid_t pid = 0;
    if (!absl::SimpleAtoi(rest.substr(0, dash), &pid) || pid <= 0) continue;
    if (pid == ::getpid()) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours
    struct stat st;
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != ::getuid()) {
      continue;
    }
    std::error_code ignored;
    std::filesystem::remove_all(it->path(), ignored);
  }
}

}  // namespace

absl::StatusOr<TempDir> TempDir::Create(const std::string& parent,
                                        absl::string_view what) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  RemoveOrphans(base, what);
  std::string pattern =
      absl::StrCat(base, "/relkit-", what, "-", ::getpid(), "-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot make a temporary directory in \"", base,
                     "\": ", std::strerror(errno)));
  }
  return TempDir(std::move(pattern));
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace relkit::internal
