#include "relkit/http_download.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/http/curl_raii.h"
#include "relkit/files.h"
#include "relkit/http.h"
#include "relkit/status.h"

namespace relkit {
namespace {

struct EvpDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// What the write callback of one download writes into: the file and the
// running digest, so the bytes are read once.
struct Sink {
  AtomicFileWriter* out = nullptr;
  EVP_MD_CTX* sha = nullptr;
  uint64_t written = 0;
  uint64_t max_bytes = 0;
  bool too_large = false;
  absl::Status error = absl::OkStatus();
};

size_t WriteChunk(char* data, size_t size, size_t count, void* user) {
  auto* s = static_cast<Sink*>(user);
  const size_t n = size * count;
  // Only a 2xx body is the file; an error page is not written (libcurl
  // calls this for every body, CURLOPT_FAILONERROR stops error bodies).
  if (s->written + n > s->max_bytes) {
    s->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  absl::Status st = s->out->Append(absl::string_view(data, n));
  if (!st.ok()) {
    s->error = std::move(st);
    return 0;
  }
  EVP_DigestUpdate(s->sha, data, n);
  s->written += n;
  return n;
}

long Millis(absl::Duration d) {  // NOLINT(runtime/int)
  return static_cast<long>(absl::ToInt64Milliseconds(d));  // NOLINT
}

}  // namespace

absl::StatusOr<DownloadResult> DownloadToFile(absl::string_view url,
                                              const std::string& path,
                                              const DownloadOptions& options) {
  const std::string what = absl::StrCat("GET ", RedactUrl(url));
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not an http:// or https:// URL"));
  }
  if (internal::EnsureCurlGlobalInit() != CURLE_OK) {
    return absl::InternalError("libcurl could not be initialised");
  }
  internal::CurlEasyPtr easy(curl_easy_init());
  if (easy == nullptr) return absl::InternalError("curl_easy_init failed");
  std::unique_ptr<EVP_MD_CTX, EvpDeleter> sha(EVP_MD_CTX_new());
  if (sha == nullptr ||
      EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr) != 1) {
    return absl::InternalError("cannot start a SHA-256 digest");
  }
  RELKIT_ASSIGN_OR_RETURN(AtomicFileWriter out, AtomicFileWriter::Create(path));
  Sink sink{.out = &out, .sha = sha.get(), .max_bytes = options.max_bytes};
  char error[CURL_ERROR_SIZE] = {0};
  const std::string u(url);
  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, u.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "relkit");
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   Millis(options.connect_timeout));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(options.total_timeout));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  // The environment's no-proxy list, and loopback (test servers, local
  // mirrors): CURLOPT_NOPROXY replaces libcurl's own reading of $no_proxy.
  const std::string no_proxy = internal::CurlNoProxyList("");
  curl_easy_setopt(h, CURLOPT_NOPROXY, no_proxy.c_str());
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteChunk);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(h);
  if (!sink.error.ok()) return sink.error;
  if (sink.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": larger than the limit of ", options.max_bytes, " bytes"));
  }
  if (rc == CURLE_HTTP_RETURNED_ERROR) {
    long status = 0;  // NOLINT(runtime/int)
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    HttpRequest request{.url = u};
    HttpResponse response{.status = static_cast<int>(status)};
    return HttpStatusToError(request, response);
  }
  if (rc != CURLE_OK) {
    const std::string detail =
        error[0] != '\0' ? error : curl_easy_strerror(rc);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return absl::DeadlineExceededError(
          absl::StrCat(what, ": timed out: ", detail));
    }
    if (rc == CURLE_URL_MALFORMAT) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": bad URL: ", detail));
    }
    return absl::UnavailableError(
        absl::StrCat(what, ": ", detail, " (after ", sink.written, " bytes)"));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(sha.get(), digest, &len);
  DownloadResult result;
  result.size = sink.written;
  for (unsigned int i = 0; i < len; ++i) {
    absl::StrAppendFormat(&result.sha256, "%02x", digest[i]);
  }
  RELKIT_RETURN_IF_ERROR(out.Commit());
  return result;
}

}  // namespace relkit
