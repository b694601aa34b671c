// Starts a real `moto_server` (moto's S3-compatible server) on 127.0.0.1 and
// a free port for the S3 tests, and stops it when destroyed.
//
//   absl::StatusOr<std::unique_ptr<MotoServer>> moto = MotoServer::Start();
//   ASSERT_TRUE(moto.ok()) << moto.status();   // missing moto_server fails
//   (*moto)->endpoint();                       // "http://127.0.0.1:PORT"
//
// moto_server is found on PATH (BUILD.md: it is installed for the image's
// pyenv `python3`, not for /usr/bin/python3), or at $RELKIT_MOTO_SERVER. A
// machine without it fails the test with a message that says how to get it;
// the S3 tests are never skipped.

#ifndef RELKIT_TESTS_TESTING_MOTO_SERVER_H_
#define RELKIT_TESTS_TESTING_MOTO_SERVER_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "relkit/http.h"

extern char** environ;

namespace relkit::testing {

class MotoServer {
 public:
  // Starts moto_server with `extra_env` ("NAME=value") added to the
  // environment, and waits until it answers (up to 60 s: a cold start
  // imports boto). Returns FailedPrecondition when moto_server cannot be
  // started or never answers.
  static absl::StatusOr<std::unique_ptr<MotoServer>> Start(
      std::vector<std::string> extra_env = {}) {
    const int port = FreePort();
    if (port <= 0) return absl::InternalError("no free port on 127.0.0.1");
    const char* configured = std::getenv("RELKIT_MOTO_SERVER");
    const std::string program = configured != nullptr && *configured != '\0'
                                    ? configured
                                    : "moto_server";
    std::vector<std::string> args = {program, "-H", "127.0.0.1", "-p",
                                     std::to_string(port)};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) env_strings.push_back(*e);
    for (std::string& e : extra_env) env_strings.push_back(std::move(e));
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    // Its output goes to a log file that a failure message points to.
    const std::string log =
        absl::StrCat(::testing::TempDir(), "moto_server_", port, ".log");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so that stopping it stops the interpreter the
    // pyenv shim starts as well.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, program.c_str(), &actions, &attr,
                                argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot start ", program, ": ", std::strerror(rc),
          ". The S3 tests need moto's S3 server: it is installed for the "
          "pyenv python3 on this image (BUILD.md); elsewhere `pip install "
          "'moto[server]'` or set RELKIT_MOTO_SERVER to its path"));
    }
    auto server = std::unique_ptr<MotoServer>(new MotoServer(pid, port, log));
    absl::StatusOr<std::unique_ptr<CurlTransport>> http =
        CurlTransport::Create({.connect_timeout = absl::Seconds(2),
                               .total_timeout = absl::Seconds(5)});
    if (!http.ok()) return http.status();
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        server->pid_ = -1;
        return absl::FailedPreconditionError(absl::StrCat(
            program, " exited at start (status ", status, "); see ", log,
            ". The S3 tests need moto's S3 server (BUILD.md)"));
      }
      absl::StatusOr<HttpResponse> r = (*http)->Send(
          {.url = absl::StrCat(server->endpoint(), "/moto-api/data.json")});
      if (r.ok()) return server;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return absl::FailedPreconditionError(
        absl::StrCat(program, " did not answer on ", server->endpoint(),
                     " within 60 s; see ", log));
  }

  ~MotoServer() {
    if (pid_ > 0) {
      ::kill(-pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  int port() const { return port_; }
  std::string endpoint() const {
    return absl::StrCat("http://127.0.0.1:", port_);
  }
  const std::string& log() const { return log_; }

 private:
  MotoServer(pid_t pid, int port, std::string log)
      : pid_(pid), port_(port), log_(std::move(log)) {}

  static int FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  pid_t pid_;
  int port_;
  std::string log_;
};

}  // namespace relkit::testing

#endif  // RELKIT_TESTS_TESTING_MOTO_SERVER_H_
