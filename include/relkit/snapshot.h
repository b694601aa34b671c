// File: relkit/snapshot.h
// -----------------------------------------------------------------------------
//
// Snapshots: a directory of saved REST responses, one plain JSON file per
// request, that stands in for the network. A `RecordingTransport` wraps a
// live transport and saves what it receives (`--record DIR`); a
// `SnapshotTransport` replays a directory with no network at all
// (`--snapshot DIR`). Both are `HttpTransport`s, so the GitHub client runs the
// same code on live, recorded and replayed data. Tests, the demo and offline
// users run on snapshots.
//
// A request is keyed by its URL's path and query relative to the API base
// URL (`repos/pytorch/pytorch/milestones?state=all&per_page=100`), so a
// snapshot recorded against https://api.github.com replays under any
// `--api-url`. One file looks like:
//
//   {
//     "request": "GET repos/o/n/issues?milestone=3&state=all&per_page=100",
//     "status": 200,
//     "headers": {"etag": "W/\"abc\"", "link": "<repos/o/n/issues?...&page=2>;
//     rel=\"next\""}, "json": [ ... the body, when it is JSON ... ]
//   }
//
// (`"body": "text"` instead of `"json"` for a body that is not JSON). Only
// response headers that matter on replay are kept (link, etag,
// last-modified, content-type, location); request headers, and so tokens,
// are never written, and a recording replaces the request's credential with
// `***` wherever a server echoes it (bodies, headers, Link URLs and so the
// keys and file names of the requests that follow them). Link URLs under the
// API base are stored relative and made absolute again on replay.
//
//   // Record a live run, then replay it offline:
//   auto live = relkit::CurlTransport::Create();
//   relkit::RecordingTransport recorder(*std::move(live), "snap/",
//                                       "https://api.github.com");
//   ...
//   auto replay = relkit::SnapshotTransport::Open("snap/",
//   "https://api.github.com");
//
//   // Or write entries directly (a demo's hand-made snapshot):
//   relkit::WriteSnapshotEntry("snap/", {.key =
//   "repos/o/n/milestones?state=all&per_page=100",
//                                        .status = 200, .body = "[]"});

#ifndef RELKIT_SNAPSHOT_H_
#define RELKIT_SNAPSHOT_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/http.h"

namespace relkit {

// One saved response.
struct SnapshotEntry {
  // The request's path and query relative to the API base, without a
  // leading `/` (see SnapshotKey).
  std::string key = {};
  std::string method = "GET";
  int status = 200;
  HttpHeaders headers = {};
  std::string body = {};
};

// Returns the snapshot key of `url`: its path and query, with the path of
// `api_base` (`/api/v3` on GitHub Enterprise) and the leading `/` removed.
// The scheme and host are ignored.
std::string SnapshotKey(absl::string_view url, absl::string_view api_base);

// Returns the file name (no directory) that holds `method` `key`: the key
// with unsafe characters replaced, shortened, and a stable hash of the exact
// key appended
// (`repos_o_n_milestones_state=all_per_page=100.1f2e3d4c5b6a7988.json`).
std::string SnapshotFileName(absl::string_view method, absl::string_view key);

// Writes `entry` into `dir` (created when missing) atomically. Returns
// Unavailable naming the file on I/O errors.
absl::Status WriteSnapshotEntry(const std::string& dir,
                                const SnapshotEntry& entry);

// Reads the entry for `method` `key` from `dir`. Returns NotFound naming the
// request and the file when it is missing, InvalidArgument naming the file
// and position when the file is malformed or holds another request.
absl::StatusOr<SnapshotEntry> ReadSnapshotEntry(const std::string& dir,
                                                absl::string_view method,
                                                absl::string_view key);

// Replays a snapshot directory; never touches the network.
class SnapshotTransport final : public HttpTransport {
 public:
  // Returns a transport over `dir`; NotFound when `dir` does not exist,
  // InvalidArgument when it is not a directory (a file). `api_base` is the base URL the client uses (for keys and to
  // make relative Link URLs absolute).
  static absl::StatusOr<std::unique_ptr<SnapshotTransport>> Open(
      std::string dir, std::string api_base);

  // Returns the saved response for the request's method and key; NotFound
  // naming the request ("no snapshot response for GET repos/o/n/...") when
  // the snapshot does not have it. Request headers are ignored.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

  const std::string& dir() const { return dir_; }

 private:
  SnapshotTransport(std::string dir, std::string api_base)
      : dir_(std::move(dir)), api_base_(std::move(api_base)) {}
  std::string dir_;
  std::string api_base_;
};

// Sends requests through `live` and saves every response received into
// `dir` (the last response for a key wins, so a retried request keeps its
// final answer). Conditional headers (If-None-Match, If-Modified-Since) are
// removed before sending so that full bodies are recorded, never a bare 304.
// The credential of the request's `Authorization` header (the text after
// `Bearer `, `token ` or `Basic `) is replaced by `***` in everything saved:
// the key and file name, the kept headers and the body.
class RecordingTransport final : public HttpTransport {
 public:
  RecordingTransport(std::unique_ptr<HttpTransport> live, std::string dir,
                     std::string api_base)
      : live_(std::move(live)),
        dir_(std::move(dir)),
        api_base_(std::move(api_base)) {}

  // Returns the live result. A failure to save the response is returned as
  // FailedPrecondition naming the request and the file: a local error, which
  // callers must not retry as they retry the network's Unavailable.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

  const std::string& dir() const { return dir_; }
  // Returns the live transport, for requests that must not be recorded
  // (GitHubClient::Write).
  HttpTransport* live() const { return live_.get(); }

 private:
  std::unique_ptr<HttpTransport> live_;
  std::string dir_;
  std::string api_base_;
};

}  // namespace relkit

#endif  // RELKIT_SNAPSHOT_H_
