// libFuzzer target for relkit/wheel_archive.h: arbitrary bytes as a wheel
// file (a damaged, truncated or hostile zip) through ReadWheel,
// VerifyWheelRecord and RewriteWheel. Each returns a value or
// InvalidArgument, never crashes or hangs; a rewrite that succeeds writes a
// wheel that reads back with the bare version.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "relkit/wheel_archive.h"

namespace {

bool Expected(const absl::Status& s) {
  return s.ok() || s.code() == absl::StatusCode::kInvalidArgument;
}

const std::string& WorkDir() {
  static const std::string* dir = [] {
    auto* d = new std::string(
        absl::StrCat(std::filesystem::temp_directory_path().string(),
                     "/relkit-wheel-fuzz-", ::getpid()));
    std::filesystem::create_directories(*d);
    return d;
  }();
  return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path =
      absl::StrCat(WorkDir(), "/demo-1.0+cu130-py3-none-any.whl");
  const std::string out_dir = absl::StrCat(WorkDir(), "/out");
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data),
            static_cast<std::streamsize>(size));
  }
  absl::StatusOr<relkit::WheelContents> w = relkit::ReadWheel(path);
  if (!Expected(w.status())) std::abort();
  absl::StatusOr<relkit::RecordCheck> c = relkit::VerifyWheelRecord(path);
  if (!Expected(c.status())) std::abort();
  // The check reads what ReadWheel reads, and more (every member's data):
  // what does not read cannot be checked.
  if (!w.ok() && c.ok()) std::abort();
  absl::StatusOr<relkit::WheelRewrite> r = relkit::RewriteWheel(
      path, out_dir,
      {.remove_classifiers = {"Programming Language :: Python :: 3.15"}});
  if (!Expected(r.status())) std::abort();
  if (r.ok()) {
    absl::StatusOr<relkit::WheelContents> out =
        relkit::ReadWheel(r->output_path);
    if (!out.ok() || r->new_version.local().has_value()) std::abort();
  }
  std::error_code ec;
  std::filesystem::remove_all(out_dir, ec);
  return 0;
}
