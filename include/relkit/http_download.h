// File: relkit/http_download.h
// -----------------------------------------------------------------------------
//
// One HTTP(S) GET streamed to a file: for a wheel of hundreds of MB, which
// `HttpTransport` (a body in memory) is not made for.
//
//   absl::StatusOr<relkit::DownloadResult> d = relkit::DownloadToFile(
//       "https://download.pytorch.org/whl/test/cu130/torch-2.9.0%2Bcu130-...",
//       "/tmp/x.whl", {.max_bytes = uint64_t{4} << 30});
//   d->sha256;   // of the bytes written, computed while they arrive
//
// The body goes to a temporary file beside `path` (relkit/files.h's
// AtomicFileWriter) and is renamed into place only when complete: a failed
// or interrupted download never leaves a part at `path`. Redirects are
// followed. Errors name the URL (credentials removed): those of
// relkit/http.h's transport (Unavailable, DeadlineExceeded, ...),
// ResourceExhausted above `max_bytes`, an HTTP error status as
// `HttpStatusToError` maps it (404 NotFound, 5xx Unavailable), and the
// file's errors (relkit/files.h).

#ifndef RELKIT_HTTP_DOWNLOAD_H_
#define RELKIT_HTTP_DOWNLOAD_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace relkit {

struct DownloadOptions {
  // The largest body accepted (a wheel: PyPI's limit is 1000 MiB; 8 GiB by
  // default leaves room for the largest test-channel wheels).
  uint64_t max_bytes = uint64_t{8} << 30;
  absl::Duration connect_timeout = absl::Seconds(15);
  // Time allowed for the whole download.
  absl::Duration total_timeout = absl::Hours(1);
  // PEM file of trusted CAs; empty: the system's.
  std::string ca_file = {};
};

struct DownloadResult {
  uint64_t size = 0;
  std::string sha256;  // lower-case hex of the bytes written
};

// Downloads `url` (http:// or https://) to `path` (see the file comment).
absl::StatusOr<DownloadResult> DownloadToFile(
    absl::string_view url, const std::string& path,
    const DownloadOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_HTTP_DOWNLOAD_H_
