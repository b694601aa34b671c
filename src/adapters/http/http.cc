#include "relkit/http.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "adapters/http/curl_raii.h"

namespace relkit {

// -----------------------------------------------------------------------------
// HttpHeaders

void HttpHeaders::Add(absl::string_view name, absl::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void HttpHeaders::Set(absl::string_view name, absl::string_view value) {
  Remove(name);
  Add(name, value);
}

void HttpHeaders::Remove(absl::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const auto& f) {
                                 return absl::EqualsIgnoreCase(f.first, name);
                               }),
                fields_.end());
}

std::optional<std::string> HttpHeaders::Get(absl::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

std::vector<std::string> HttpHeaders::GetAll(absl::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : fields_) {
    if (absl::EqualsIgnoreCase(key, name)) out.push_back(value);
  }
  return out;
}

// -----------------------------------------------------------------------------
// Status mapping

absl::StatusCode HttpStatusToCode(int http_status) {
  if (http_status >= 200 && http_status < 400) return absl::StatusCode::kOk;
  switch (http_status) {
    case 400:
    case 422:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
    case 410:
      return absl::StatusCode::kNotFound;
    case 408:
      return absl::StatusCode::kDeadlineExceeded;
    case 409:
      return absl::StatusCode::kAborted;
    case 429:
      return absl::StatusCode::kResourceExhausted;
    default:
      break;
  }
  if (http_status >= 500 && http_status < 600) {
    return absl::StatusCode::kUnavailable;
  }
  if (http_status >= 400 && http_status < 500) {
    return absl::StatusCode::kFailedPrecondition;
  }
  return absl::StatusCode::kUnknown;
}

namespace {

// One line of printable text from the start of a body, for messages.
std::string BodySnippet(absl::string_view body, size_t limit = 200) {
  std::string out;
  for (char c : body.substr(0, limit)) {
    out.push_back(absl::ascii_isprint(static_cast<unsigned char>(c)) ? c : ' ');
  }
  if (body.size() > limit) out += "...";
  return std::string(absl::StripAsciiWhitespace(out));
}

}  // namespace

absl::Status HttpStatusToError(const HttpRequest& request,
                               const HttpResponse& response) {
  if ((response.status >= 200 && response.status < 300) ||
      response.status == 304) {
    return absl::OkStatus();
  }
  absl::StatusCode code = HttpStatusToCode(response.status);
  if (code == absl::StatusCode::kOk) code = absl::StatusCode::kUnknown;
  std::string message = absl::StrCat(
      request.method, " ", RedactUrl(request.url), ": HTTP ", response.status);
  std::string snippet = BodySnippet(response.body);
  if (!snippet.empty()) absl::StrAppend(&message, ": ", snippet);
  return absl::Status(code, message);
}

std::string RedactUrl(absl::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return std::string(url);
  const size_t authority = scheme + 3;
  size_t end = url.find_first_of("/?#", authority);
  if (end == absl::string_view::npos) end = url.size();
  const size_t at = url.substr(0, end).rfind('@');
  if (at == absl::string_view::npos || at < authority) return std::string(url);
  return absl::StrCat(url.substr(0, authority), "***", url.substr(at));
}

// -----------------------------------------------------------------------------
// CurlTransport

namespace {

// What the callbacks of one transfer write into.
struct Transfer {
  HttpHeaders headers;
  std::string body;
  size_t max_bytes = 0;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  absl::string_view line(data, n);
  // A new status line starts a new response (a redirect or a 100 Continue):
  // keep only the headers of the last one.
  if (absl::StartsWith(line, "HTTP/")) {
    t->headers = HttpHeaders();
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return n;  // blank line, folding
  t->headers.Add(absl::StripAsciiWhitespace(line.substr(0, colon)),
                 absl::StripAsciiWhitespace(line.substr(colon + 1)));
  return n;
}

// The no-proxy list: the environment's, the options', and loopback.
std::string NoProxyList(const CurlTransportOptions& options) {
  return internal::CurlNoProxyList(options.no_proxy);
}

long Millis(absl::Duration d) {  // NOLINT(runtime/int): libcurl's type
  const int64_t ms = absl::ToInt64Milliseconds(d);
  return static_cast<long>(std::max<int64_t>(ms, 1));  // NOLINT(runtime/int)
}

}  // namespace

struct CurlTransport::Impl {
  CurlTransportOptions options;
  internal::CurlEasyPtr easy;
  std::string no_proxy;
  char error[CURL_ERROR_SIZE] = {0};
};

CurlTransport::CurlTransport(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CurlTransport::~CurlTransport() = default;
CurlTransport::CurlTransport(CurlTransport&&) noexcept = default;
CurlTransport& CurlTransport::operator=(CurlTransport&&) noexcept = default;

const CurlTransportOptions& CurlTransport::options() const {
  return impl_->options;
}

absl::StatusOr<std::unique_ptr<CurlTransport>> CurlTransport::Create(
    CurlTransportOptions options) {
  if (internal::EnsureCurlGlobalInit() != CURLE_OK) {
    return absl::InternalError("cannot initialise libcurl");
  }
  auto impl = std::make_unique<Impl>();
  impl->easy.reset(curl_easy_init());
  if (impl->easy == nullptr) {
    return absl::InternalError("cannot create a libcurl handle");
  }
  impl->no_proxy = NoProxyList(options);
  impl->options = std::move(options);
  return std::unique_ptr<CurlTransport>(new CurlTransport(std::move(impl)));
}

absl::StatusOr<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  CURL* h = impl_->easy.get();
  const CurlTransportOptions& o = impl_->options;
  const std::string what =
      absl::StrCat(request.method, " ", RedactUrl(request.url));
  if (!absl::StartsWithIgnoreCase(request.url, "http://") &&
      !absl::StartsWithIgnoreCase(request.url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not an http:// or https:// URL"));
  }

  // Resetting the options keeps the handle's connection cache, so a new
  // request to the same host reuses the open connection.
  curl_easy_reset(h);
  Transfer transfer;
  transfer.max_bytes = o.max_response_bytes;
  impl_->error[0] = '\0';

  internal::CurlSlistPtr headers;
  bool has_user_agent = false;
  for (const auto& [name, value] : request.headers.fields()) {
    // libcurl sends a header line as it is: a CR or LF in it would end the
    // header and start another (header injection). The value is not quoted
    // in the error: it may be a credential.
    if (absl::string_view(name).find_first_of(
            absl::string_view("\r\n\0:", 4)) != absl::string_view::npos ||
        absl::string_view(value).find_first_of(
            absl::string_view("\r\n\0", 3)) != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": request header \"", absl::CHexEscape(name),
                       "\" has a line break or NUL in its name or value"));
    }
    if (absl::EqualsIgnoreCase(name, "User-Agent")) has_user_agent = true;
    // "Name;" is libcurl's way to send a header with an empty value.
    std::string line = value.empty() ? absl::StrCat(name, ";")
                                     : absl::StrCat(name, ": ", value);
    if (!internal::AppendHeader(headers, line.c_str())) {
      return absl::ResourceExhaustedError(
          absl::StrCat(what, ": out of memory building headers"));
    }
  }
  // libcurl adds "Expect: 100-continue" to large bodies; we never want it.
  // libcurl's SigV4 signer signs every custom header, the empty "Expect:"
  // that removes one too (while it is never sent): signed requests skip the
  // wait for "100 Continue" instead.
  if (!request.aws_sigv4.has_value()) {
    internal::AppendHeader(headers, "Expect:");
  } else {
    curl_easy_setopt(h, CURLOPT_EXPECT_100_TIMEOUT_MS, 0L);
  }

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, impl_->error);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (!has_user_agent)
    curl_easy_setopt(h, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every supported coding
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, Millis(o.connect_timeout));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(o.total_timeout));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.ca_file.empty())
    curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_NOPROXY, impl_->no_proxy.c_str());
  if (o.max_redirects > 0) {
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS,
                     static_cast<long>(o.max_redirects));  // NOLINT
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  }
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(o.max_response_bytes));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &ReadHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);

  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    // libcurl silently sends a request again when a reused connection dies
    // before any answer, which for a POST (create an issue, a comment, a
    // PR) may create it twice behind the caller's lookup-before-retry
    // rule. A POST gets a connection of its own: a dropped answer is then
    // the caller's error to handle.
    if (request.method == "POST")
      curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  }

  if (request.aws_sigv4.has_value()) {
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, request.aws_sigv4->provider.c_str());
    curl_easy_setopt(h, CURLOPT_USERNAME,
                     request.aws_sigv4->access_key_id.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD,
                     request.aws_sigv4->secret_access_key.c_str());
  }

  const CURLcode rc = curl_easy_perform(h);
  // The handle must not keep pointers into this frame.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);

  if (rc != CURLE_OK) {
    std::string detail = impl_->error[0] != '\0' ? std::string(impl_->error)
                                                 : curl_easy_strerror(rc);
    if (transfer.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      return absl::ResourceExhaustedError(
          absl::StrCat(what, ": response larger than the limit of ",
                       o.max_response_bytes, " bytes"));
    }
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT:
        return absl::DeadlineExceededError(absl::StrCat(
            what, ": timed out (connect timeout ",
            absl::FormatDuration(o.connect_timeout), ", total timeout ",
            absl::FormatDuration(o.total_timeout), "): ", detail));
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
        return absl::InvalidArgumentError(
            absl::StrCat(what, ": bad URL: ", detail));
      case CURLE_PARTIAL_FILE:
        return absl::UnavailableError(
            absl::StrCat(what, ": response body truncated after ",
                         transfer.body.size(), " bytes: ", detail));
      case CURLE_COULDNT_CONNECT:
        return absl::UnavailableError(
            absl::StrCat(what, ": cannot connect: ", detail));
      case CURLE_TOO_MANY_REDIRECTS:
        return absl::UnavailableError(absl::StrCat(
            what, ": more than ", o.max_redirects, " redirects: ", detail));
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        return absl::FailedPreconditionError(
            absl::StrCat(what, ": TLS verification failed: ", detail));
      default:
        return absl::UnavailableError(absl::StrCat(what, ": ", detail));
    }
  }

  HttpResponse response;
  long status = 0;  // NOLINT(runtime/int)
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  char* effective = nullptr;
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  response.url = effective != nullptr ? std::string(effective) : request.url;
  response.headers = std::move(transfer.headers);
  response.body = std::move(transfer.body);
  return response;
}

namespace internal {

std::string CurlNoProxyList(const std::string& extra) {
  std::vector<std::string> parts;
  for (const char* name : {"no_proxy", "NO_PROXY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      parts.emplace_back(value);
      break;
    }
  }
  if (!extra.empty()) parts.push_back(extra);
  parts.emplace_back("127.0.0.1,localhost,::1");
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ",";
    out += p;
  }
  return out;
}

}  // namespace internal

}  // namespace relkit
