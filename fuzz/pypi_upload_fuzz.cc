// libFuzzer target for what the PyPI upload reads from outside
// (relkit/pypi_client.h): a PEP 691 project page, a wheel's METADATA turned
// into twine's form, and an upload's error answer turned into a message. The
// first byte picks the reader. Checks that a rejected page is
// InvalidArgument naming its source, that the form always starts with the
// name and ends with the protocol version, and that an error message is one
// line of printable ASCII that never holds the token; abort()s otherwise.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "relkit/pypi_client.h"
#include "relkit/wheel_archive.h"
#include "relkit/wheel_metadata.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

constexpr absl::string_view kToken = "pypi-FuzzToken";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  switch (data[0] % 3) {
    case 0: {
      absl::StatusOr<relkit::PypiProjectFiles> files =
          relkit::ParsePypiProjectPage(text, "Some_Project", "fuzz");
      if (!files.ok()) {
        Check(files.status().code() == absl::StatusCode::kInvalidArgument);
        Check(absl::StartsWith(files.status().message(), "fuzz"));
        return 0;
      }
      Check(files->project == "some-project");
      for (const relkit::PypiIndexFile& f : files->files) {
        Check(files->Find(f.filename) != nullptr);
      }
      return 0;
    }
    case 1: {
      absl::StatusOr<relkit::CoreMetadata> metadata =
          relkit::CoreMetadata::Parse(text, "METADATA");
      if (!metadata.ok()) return 0;
      relkit::WheelContents wheel;
      wheel.metadata = *metadata;
      wheel.metadata_text = std::string(text);
      absl::StatusOr<relkit::PypiUploadForm> form = relkit::PypiUploadFormFor(
          wheel, "x-1.0-py3-none-any.whl", {.md5 = "m", .sha256 = "s"});
      if (!form.ok()) {
        Check(form.status().code() == absl::StatusCode::kInvalidArgument);
        return 0;
      }
      Check(!form->fields.empty());
      Check(form->fields.front().first == "name");
      Check(form->fields.back().first == "protocol_version");
      return 0;
    }
    default: {
      // The split between the status line's text and the body.
      const size_t cut = text.empty() ? 0 : static_cast<uint8_t>(text[0]);
      const absl::string_view rest = text.empty() ? text : text.substr(1);
      const absl::string_view reason =
          rest.substr(0, std::min(cut, rest.size()));
      const absl::string_view body = rest.substr(reason.size());
      const std::string message =
          relkit::PypiAnswerMessage(reason, body, kToken);
      Check(!absl::StrContains(message, kToken));
      for (char c : message) {
        Check(absl::ascii_isprint(static_cast<unsigned char>(c)));
      }
      Check(message.size() <= 303);
      relkit::PypiSaysFileExists(400, reason, body);
      return 0;
    }
  }
}
