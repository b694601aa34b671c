// File: demo/demo_github.h (the relkit_demo target; not installed)
// -----------------------------------------------------------------------------
//
// The demo's GitHub that can be written: the demo snapshot
// (demo/demo_snapshot.h) for what it holds, plus, in memory, what the demo's
// writes create (pull requests, comments, issues) so that reads after a
// write see it, as on github.com. It stands in for the network in
// `relkit demo` only; tests use a real server on 127.0.0.1.
//
// What it adds to the snapshot:
// - POST repos/O/N/pulls, and the `pulls?head=...&base=...` listing;
// - POST repos/O/N/issues/N/comments, and that comment listing (the
//   snapshot's comments first);
// - POST repos/O/N/issues/N/labels and PATCH of issues (echoed);
// - the combined status and check runs of any commit the snapshot does not
//   know: green (the demo's CI passes on every commit it builds).
//
//   auto transport = relkit::DemoGitHub::Open(snapshot.dir, api_url);
//   relkit::GitHubClient gh = *relkit::GitHubClient::Create(
//       *std::move(transport), {.api_url = api_url, .token = ""});

#ifndef RELKIT_DEMO_DEMO_GITHUB_H_
#define RELKIT_DEMO_DEMO_GITHUB_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "relkit/http.h"
#include "relkit/snapshot.h"

namespace relkit {

class DemoGitHub final : public HttpTransport {
 public:
  // Returns a transport over the snapshot in `dir`, for a client whose API
  // base URL is `api_base`. Errors of SnapshotTransport::Open.
  // `repository` is the git repository pull request heads are read from.
  static absl::StatusOr<std::unique_ptr<DemoGitHub>> Open(
      std::string dir, std::string api_base, std::string repository);

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

  // Writes into the snapshot what it does not hold yet and later reads
  // saw: comment listings after the writes, and the CI answers made up for
  // new commits; so that `relkit check --snapshot` on a kept demo sees
  // GitHub as the demo left it. Errors of WriteSnapshotEntry.
  absl::Status Persist();

  // What the demo's writes made, in order: "POST repos/o/n/pulls -> 201".
  const std::vector<std::string>& writes() const { return writes_; }

 private:
  DemoGitHub(std::unique_ptr<SnapshotTransport> snapshot, std::string api_base,
             std::string repository)
      : snapshot_(std::move(snapshot)),
        api_base_(std::move(api_base)),
        repository_(std::move(repository)) {}
  absl::StatusOr<HttpResponse> Get(const HttpRequest& request,
                                   const std::string& key);
  absl::StatusOr<HttpResponse> Write(const HttpRequest& request,
                                     const std::string& key);
  // The comments of issue `number` (JSON objects), seeded from the
  // snapshot on first use.
  absl::StatusOr<std::vector<std::string>*> Comments(const std::string& repo,
                                                     int64_t number);

  std::unique_ptr<SnapshotTransport> snapshot_;
  std::string api_base_;
  std::string repository_;
  // Pull requests created: (number, JSON object, head, base).
  struct Pull {
    int64_t number;
    std::string json, head, base;
  };
  std::vector<Pull> pulls_;
  std::map<int64_t, std::vector<std::string>> comments_;
  int64_t next_number_ = 129000;
  int64_t next_comment_ = 2000;
  std::vector<std::string> writes_;
  // Snapshot key -> body, for Persist.
  std::map<std::string, std::string> unsaved_;
};

}  // namespace relkit

#endif  // RELKIT_DEMO_DEMO_GITHUB_H_
