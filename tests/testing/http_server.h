// A small threaded HTTP/1.1 server on 127.0.0.1 for the HTTP and GitHub
// tests: real sockets, real keep-alive, scripted responses per request target
// (including faults: a hung response, a truncated body, a connection closed
// without a length) and a record of every request it received.
//
//   HttpTestServer server;
//   server.Script("/repos/o/n/milestones", {
//       {.status = 500},
//       {.status = 200, .headers = {{"ETag", "\"v1\""}}, .body = "[]"}});
//   ... client.Get(server.Url("/repos/o/n/milestones")) ...
//   server.RequestsTo("/repos/o/n/milestones").size();   // 2
//
// A target with a query ("/x?page=2") matches only that query; a target
// without one matches any query on that path when no exact script exists.
// The responses of a script are served in order and the last one repeats.
// Unscripted targets get a GitHub-shaped 404.

#ifndef RELKIT_TESTS_TESTING_HTTP_SERVER_H_
#define RELKIT_TESTS_TESTING_HTTP_SERVER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "relkit/http.h"

namespace relkit::testing {

// What the server does for one request.
struct ScriptedResponse {
  enum class Fault {
    kNone,
    // Sends nothing and keeps the connection open until the server stops
    // (a response slower than any client timeout, without a clock race).
    kHang,
    // Announces the whole body in Content-Length, sends `truncate_at` bytes
    // of it and closes the connection.
    kTruncate,
    // Sends the body without Content-Length and closes the connection to
    // end it (so the client cannot know the size in advance).
    kCloseDelimited,
    // Closes the connection without sending anything (a server that carried
    // the request out and died before answering).
    kDrop,
  };
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers = {};
  std::string body = {};
  Fault fault = Fault::kNone;
  size_t truncate_at = 0;
};

// One request the server received.
struct RecordedRequest {
  std::string method = {};
  std::string target;  // path and query, as sent
  HttpHeaders headers = {};
  std::string body = {};
  int connection = 0;  // 1 for the first connection accepted, 2 ...
};

class HttpTestServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

  // Listens on 127.0.0.1 at a free port; fails the current test if it cannot.
  HttpTestServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (listen_fd_ < 0 ||
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) !=
            0 ||
        ::listen(listen_fd_, 64) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~HttpTestServer() { Stop(); }
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  int port() const { return port_; }
  // Returns "http://127.0.0.1:<port>" followed by `target`.
  std::string Url(absl::string_view target = "") const {
    return absl::StrCat("http://127.0.0.1:", port_, target);
  }

  // Serves `responses` in order for `target`; the last one repeats.
  void Script(const std::string& target,
              std::vector<ScriptedResponse> responses) {
    if (responses.empty()) responses.push_back(ScriptedResponse{});
    auto served = std::make_shared<size_t>(0);
    Handle(target,
           [responses = std::move(responses), served](const RecordedRequest&) {
             const size_t i = std::min(*served, responses.size() - 1);
             ++*served;
             return responses[i];
           });
  }

  // Answers every request for `target` with `handler` (called on the
  // connection's thread, under no lock of the server).
  void Handle(const std::string& target, Handler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_[target] = std::make_shared<Handler>(std::move(handler));
  }

  // Returns every request received so far, in order.
  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  // Returns the requests whose path (target without query) is `path`, or
  // whose whole target is `path` when it has a query.
  std::vector<RecordedRequest> RequestsTo(absl::string_view path) const {
    std::vector<RecordedRequest> out;
    for (RecordedRequest& r : requests()) {
      const bool match = absl::StrContains(path, '?')
                             ? r.target == path
                             : PathOf(r.target) == path;
      if (match) out.push_back(std::move(r));
    }
    return out;
  }

  // Returns the number of connections accepted so far.
  int connections() const { return connections_.load(); }

  // Stops accepting, releases hung responses, closes every connection and
  // joins the threads. Idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
      for (int fd : client_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    cv_.notify_all();
    if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
    if (accept_thread_.joinable()) accept_thread_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    listen_fd_ = -1;
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (std::thread& t : threads) t.join();
  }

  // Returns a port on 127.0.0.1 that nothing listens on (bound, then closed).
  static int UnusedPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  static absl::string_view PathOf(absl::string_view target) {
    return target.substr(0, target.find('?'));
  }

 private:
  void AcceptLoop() {
    while (true) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;  // shut down
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        ::close(fd);
        return;
      }
      client_fds_.insert(fd);
      const int id = ++connections_;
      threads_.emplace_back([this, fd, id] { Serve(fd, id); });
    }
  }

  static bool SendAll(int fd, absl::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one request from `fd` into `out`, with `buffer` holding bytes read
  // past the previous request. Returns false at end of stream or on garbage.
  static bool ReadRequest(int fd, std::string& buffer, RecordedRequest& out) {
    size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      std::array<char, 4096> chunk;
      ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
      if (n <= 0) return false;
      buffer.append(chunk.data(), static_cast<size_t>(n));
    }
    absl::string_view head(buffer.data(), header_end);
    size_t line_end = head.find("\r\n");
    absl::string_view request_line = head.substr(0, line_end);
    size_t sp1 = request_line.find(' ');
    size_t sp2 = request_line.rfind(' ');
    if (sp1 == absl::string_view::npos || sp2 <= sp1) return false;
    out.method = std::string(request_line.substr(0, sp1));
    out.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
    size_t content_length = 0;
    absl::string_view rest =
        line_end == absl::string_view::npos ? "" : head.substr(line_end + 2);
    while (!rest.empty()) {
      size_t e = rest.find("\r\n");
      absl::string_view line = rest.substr(0, e);
      rest = e == absl::string_view::npos ? "" : rest.substr(e + 2);
      size_t colon = line.find(':');
      if (colon == absl::string_view::npos) continue;
      absl::string_view name =
          absl::StripAsciiWhitespace(line.substr(0, colon));
      absl::string_view value =
          absl::StripAsciiWhitespace(line.substr(colon + 1));
      out.headers.Add(name, value);
      if (absl::EqualsIgnoreCase(name, "Content-Length")) {
        (void)absl::SimpleAtoi(value, &content_length);
      }
    }
    buffer.erase(0, header_end + 4);
    while (buffer.size() < content_length) {
      std::array<char, 4096> chunk;
      ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
      if (n <= 0) return false;
      buffer.append(chunk.data(), static_cast<size_t>(n));
    }
    out.body = buffer.substr(0, content_length);
    buffer.erase(0, content_length);
    return true;
  }

  std::shared_ptr<Handler> FindHandler(const std::string& target) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = handlers_.find(target);
    if (it == handlers_.end()) it = handlers_.find(std::string(PathOf(target)));
    return it == handlers_.end() ? nullptr : it->second;
  }

  static const char* Reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 301:
        return "Moved Permanently";
      case 302:
        return "Found";
      case 304:
        return "Not Modified";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 429:
        return "Too Many Requests";
      case 500:
        return "Internal Server Error";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      default:
        return "Status";
    }
  }

  void Serve(int fd, int connection) {
    std::string buffer;
    while (true) {
      RecordedRequest request;
      request.connection = connection;
      if (!ReadRequest(fd, buffer, request)) break;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
      }
      std::shared_ptr<Handler> handler = FindHandler(request.target);
      ScriptedResponse r =
          handler ? (*handler)(request)
                  : ScriptedResponse{
                        .status = 404,
                        .headers = {{"Content-Type", "application/json"}},
                        .body = R"({"message":"Not Found","documentation_url":)"
                                R"("https://docs.github.com/rest"})"};
      if (r.fault == ScriptedResponse::Fault::kDrop) break;
      if (r.fault == ScriptedResponse::Fault::kHang) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_; });
        break;
      }
      std::string head =
          absl::StrCat("HTTP/1.1 ", r.status, " ", Reason(r.status), "\r\n");
      for (const auto& [name, value] : r.headers) {
        absl::StrAppend(&head, name, ": ", value, "\r\n");
      }
      const bool close_delimited =
          r.fault == ScriptedResponse::Fault::kCloseDelimited;
      if (close_delimited) {
        head += "Connection: close\r\n";
      } else if (r.status != 304) {
        absl::StrAppend(&head, "Content-Length: ", r.body.size(), "\r\n");
      }
      head += "\r\n";
      absl::string_view body = r.body;
      if (r.fault == ScriptedResponse::Fault::kTruncate) {
        body = body.substr(0, r.truncate_at);
      }
      if (!SendAll(fd, head) ||
          !SendAll(fd, request.method == "HEAD" ? "" : body)) {
        break;
      }
      if (close_delimited || r.fault == ScriptedResponse::Fault::kTruncate)
        break;
      if (auto c = request.headers.Get("Connection");
          c && absl::EqualsIgnoreCase(*c, "close")) {
        break;
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      client_fds_.erase(fd);
    }
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread accept_thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<Handler>> handlers_;
  std::vector<RecordedRequest> requests_;
  std::set<int> client_fds_;
  std::vector<std::thread> threads_;
  std::atomic<int> connections_{0};
};

// Returns `data` as a gzip member made of stored (uncompressed) deflate
// blocks: a valid Content-Encoding: gzip body built without zlib.
inline std::string GzipStored(absl::string_view data) {
  static const auto kTable = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char ch : data) crc = kTable[(crc ^ ch) & 0xFF] ^ (crc >> 8);
  crc ^= 0xFFFFFFFFu;
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  size_t pos = 0;
  do {
    const size_t n = std::min<size_t>(65535, data.size() - pos);
    const bool last = pos + n == data.size();
    out.push_back(last ? '\x01' : '\x00');
    out.push_back(static_cast<char>(n & 0xFF));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(~n & 0xFF));
    out.push_back(static_cast<char>((~n >> 8) & 0xFF));
    out.append(data.data() + pos, n);
    pos += n;
  } while (pos < data.size());
  for (uint32_t v : {crc, static_cast<uint32_t>(data.size())}) {
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  return out;
}

}  // namespace relkit::testing

#endif  // RELKIT_TESTS_TESTING_HTTP_SERVER_H_
