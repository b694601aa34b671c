// File: demo/demo_snapshot.h (the relkit_demo target; not installed)
// -----------------------------------------------------------------------------
//
// The GitHub side of the demo: a snapshot (relkit/snapshot.h) of the
// milestone, release tracker and CI state that match a repository built by
// `BuildDemoRepository` (demo/demo.h), so that `relkit check` runs on the
// demo fully offline.
//
//   absl::StatusOr<relkit::DemoRepository> demo =
//       relkit::BuildDemoRepository("/tmp/demo/pytorch.git");
//   absl::StatusOr<relkit::DemoSnapshot> snap =
//       relkit::WriteDemoSnapshot(*demo, "/tmp/demo/github");
//   // relkit check --repo /tmp/demo/pytorch.git --branch release/2.4
//   //   --milestone 2.4.0 --github-repo pytorch/pytorch
//   //   --snapshot /tmp/demo/github
//
// The snapshot holds milestone #47 "2.4.0" (the demo's requested PRs, closed
// and merged; one open issue; one `release-feature-request` issue), the
// tracker issue "[v2.4.0] Release Tracker" with one nomination per requested
// PR, and green CI at the release branch head.

#ifndef RELKIT_DEMO_SNAPSHOT_H_
#define RELKIT_DEMO_SNAPSHOT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "demo/demo.h"

namespace relkit {

// What WriteDemoSnapshot wrote.
struct DemoSnapshot {
  std::string dir;
  std::string github_repo = "pytorch/pytorch";
  int64_t milestone = 47;
  std::string milestone_title = "2.4.0";
  int64_t tracker_issue = 127000;
  int64_t open_issue = 127500;
  // The responses written.
  int entries = 0;
};

// Writes the snapshot matching `demo` into `dir` (created when missing).
// Returns the errors of resolving the demo's release branch head and of
// WriteSnapshotEntry (Unavailable naming the file).
absl::StatusOr<DemoSnapshot> WriteDemoSnapshot(const DemoRepository& demo,
                                               const std::string& dir);

}  // namespace relkit

#endif  // RELKIT_DEMO_SNAPSHOT_H_
