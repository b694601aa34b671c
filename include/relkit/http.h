// File: relkit/http.h
// -----------------------------------------------------------------------------
//
// HTTP for relkit: an `HttpTransport` interface (one request in, one response
// out) and its libcurl implementation. The GitHub client (relkit/github.h)
// and the snapshot transports (relkit/snapshot.h) are written against the
// interface, so live runs, recorded runs and offline replays share one code
// path; tests may add a fake transport for retry logic.
//
// A transport returns every HTTP response, whatever its status: turning a
// status into an error (and deciding whether to retry) is the caller's job,
// because a 403 with rate-limit headers and a 403 without them mean different
// things. Transport errors are statuses:
//
//   kUnavailable        connection refused or reset, DNS failure, a truncated
//                       body, too many redirects
//   kDeadlineExceeded   the connect or total timeout expired
//   kResourceExhausted  the body is larger than `max_response_bytes`
//   kInvalidArgument    a malformed URL or request (a header name or value
//                       with CR, LF or NUL: never sent, never quoted)
//
// Each message names the method and URL (with any `user:password@` removed)
// and never includes request headers, so a token in `Authorization` does not
// leak into errors.
//
//   absl::StatusOr<std::unique_ptr<relkit::HttpTransport>> http =
//       relkit::CurlTransport::Create({.total_timeout = absl::Seconds(30)});
//   if (!http.ok()) return http.status();
//   relkit::HttpRequest request{.url = "https://api.github.com/rate_limit"};
//   request.headers.Set("Accept", "application/vnd.github+json");
//   absl::StatusOr<relkit::HttpResponse> response = (*http)->Send(request);
//   if (!response.ok()) return response.status();     // network failure
//   RELKIT_RETURN_IF_ERROR(relkit::HttpStatusToError(request, *response));
//   response->headers.Get("x-ratelimit-remaining");    // case-insensitive

#ifndef RELKIT_HTTP_H_
#define RELKIT_HTTP_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace relkit {

// An ordered list of HTTP header fields with case-insensitive names. Values
// keep their text; repeated fields keep every value in order.
class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<std::pair<std::string, std::string>> fields)
      : fields_(fields) {}

  // Appends a field (keeps any earlier field of the same name).
  void Add(absl::string_view name, absl::string_view value);
  // Replaces every field named `name` with one field.
  void Set(absl::string_view name, absl::string_view value);
  // Removes every field named `name`.
  void Remove(absl::string_view name);
  // Returns the first value of `name`, or nullopt.
  std::optional<std::string> Get(absl::string_view name) const;
  // Returns every value of `name`, in order.
  std::vector<std::string> GetAll(absl::string_view name) const;
  bool Has(absl::string_view name) const { return Get(name).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& fields() const {
    return fields_;
  }
  bool empty() const { return fields_.empty(); }

  friend bool operator==(const HttpHeaders&, const HttpHeaders&) = default;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// AWS Signature Version 4 signing of a request (S3, R2 and other
// S3-compatible services). The libcurl transport signs with libcurl's own
// signer (CURLOPT_AWS_SIGV4), over the headers the request carries; a
// session token goes in an `x-amz-security-token` header. The secret never
// appears in a message of the transport.
struct HttpAwsSigV4 {
  // libcurl's provider string: "aws:amz:<region>:<service>".
  std::string provider;
  std::string access_key_id;
  std::string secret_access_key;
};

// One HTTP request.
struct HttpRequest {
  std::string method = "GET";
  // Absolute http:// or https:// URL.
  std::string url = {};
  HttpHeaders headers = {};
  std::string body = {};
  // Set to sign the request with AWS SigV4.
  std::optional<HttpAwsSigV4> aws_sigv4 = {};
};

// One HTTP response (after redirects, when the transport follows them).
struct HttpResponse {
  int status = 0;
  HttpHeaders headers = {};
  std::string body = {};
  // The URL that produced this response (differs from the request's after a
  // redirect).
  std::string url = {};
};

// Sends HTTP requests. Implementations are not required to be thread-safe:
// use one transport per thread.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Performs `request`. Returns the response for any HTTP status; returns an
  // error only when no complete response was received (see the file comment
  // for the codes).
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

// Returns the status code that an HTTP status maps to: 2xx/3xx kOk, 400/422
// kInvalidArgument, 401 kUnauthenticated, 403 kPermissionDenied, 404/410
// kNotFound, 408 kDeadlineExceeded, 409 kAborted, 429 kResourceExhausted,
// other 4xx kFailedPrecondition, 5xx kUnavailable.
absl::StatusCode HttpStatusToCode(int http_status);

// Returns OK for a 2xx or 304 response, otherwise an error with the code of
// `HttpStatusToCode` and a message naming the method, the URL (credentials
// removed), the status and up to 200 bytes of the body's text.
absl::Status HttpStatusToError(const HttpRequest& request,
                               const HttpResponse& response);

// Returns `url` with any `user:password@` part replaced by `***@`, for
// messages and logs.
std::string RedactUrl(absl::string_view url);

// Options for the libcurl transport.
struct CurlTransportOptions {
  // Time allowed to establish the connection (TCP + TLS).
  absl::Duration connect_timeout = absl::Seconds(15);
  // Time allowed for a whole request, from connecting to the last byte.
  absl::Duration total_timeout = absl::Seconds(120);
  // A body larger than this (after decompression) fails the request with
  // ResourceExhausted; the transfer stops as soon as the limit is passed.
  size_t max_response_bytes = size_t{64} << 20;
  // Redirects followed (same-host redirects keep custom headers; libcurl
  // drops `Authorization` when a redirect changes the host). 0 returns 3xx
  // responses as they are.
  int max_redirects = 5;
  // Sent as `User-Agent` unless the request sets one.
  std::string user_agent = "relkit";
  // PEM file of trusted CAs; empty: the system's. Peer and host verification
  // are always on.
  std::string ca_file = {};
  // Hosts never reached through a proxy, added to the `no_proxy`/`NO_PROXY`
  // environment variable (which, with `http_proxy`, `https_proxy` and
  // `all_proxy`, is otherwise honoured as libcurl does). Loopback addresses
  // are always direct.
  std::string no_proxy = {};
};

// An HttpTransport over one libcurl easy handle: connections are kept alive
// and reused between requests, responses may be gzip/deflate/br-encoded
// (decoded transparently), HTTP/2 is negotiated over TLS when libcurl has
// it. Move-only; not thread-safe.
class CurlTransport final : public HttpTransport {
 public:
  // Returns a transport, or Internal when libcurl cannot be initialised.
  static absl::StatusOr<std::unique_ptr<CurlTransport>> Create(
      CurlTransportOptions options = {});

  ~CurlTransport() override;
  CurlTransport(CurlTransport&&) noexcept;
  CurlTransport& operator=(CurlTransport&&) noexcept;

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

  const CurlTransportOptions& options() const;

 private:
  struct Impl;
  explicit CurlTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace relkit

#endif  // RELKIT_HTTP_H_
