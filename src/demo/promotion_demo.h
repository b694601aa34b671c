// File: demo/promotion_demo.h (the relkit_demo target; not installed)
// -----------------------------------------------------------------------------
//
// The promotion step of `relkit demo`: a small test channel in a local
// directory (a few torch and torchvision wheels, libtorch zips, and the files
// that `promote.sh`'s glob `*<name>-<version>*` takes by mistake), a
// release_versions.sh, and the promotion plans of the wheels and of
// libtorch, beside what the glob would have selected. No server: the copies
// stay inside the directory.
//
//   RELKIT_RETURN_IF_ERROR(relkit::CheckPromotionDemoPlace(dir));
//   absl::StatusOr<relkit::PromotionDemo> d = relkit::RunPromotionDemo(dir);
//   for (const relkit::DemoPlan& p : d->plans) { ... p.plan.copies ... }
//
// Then it applies each plan as `relkit promote --execute` does (copies with
// checksum-sha256, verification, a journal; the wheels' PEP 503 pages
// regenerated) and plans once more to show that a rerun has nothing left.

#ifndef RELKIT_DEMO_PROMOTION_DEMO_H_
#define RELKIT_DEMO_PROMOTION_DEMO_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "relkit/package_index.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"

namespace relkit {

// One dry-run plan of the demo, with the command that prints it.
struct DemoPlan {
  // "wheels" or "libtorch".
  std::string name = {};
  // `file://DIR//whl/test` and `file://DIR//whl`, as given to relkit promote.
  std::string from = {};
  std::string to = {};
  std::vector<std::string> packages = {};
  // What `aws s3 cp --recursive --exclude '*' --include PATTERN` would copy
  // instead, for the same packages (one pattern per package).
  std::vector<std::string> glob_patterns = {};
  PromotionPlan plan = {};
  // The plan applied (`relkit promote --execute`), the index pages then
  // regenerated (wheels only), and whether planning again found nothing
  // left to copy.
  std::optional<PromotionResult> result = {};
  std::optional<IndexResult> indexes = {};
  bool rerun_nothing_to_do = false;
};

// A key the glob takes that relkit does not, and why.
struct GlobMistake {
  std::string key = {};
  std::string pattern = {};
  // "torch 2.4.10, not 2.4.1", "executorch, not torch", ...
  std::string reason = {};
};

struct PromotionDemo {
  // The local-directory store (`<repository path>.channel` in the CLI).
  std::string directory = {};
  // The release_versions.sh written there.
  std::string versions_path = {};
  // Every key of the test channel, sorted.
  std::vector<std::string> channel_keys = {};
  std::vector<DemoPlan> plans = {};
  // Every key some glob of a plan selects and its plan does not.
  std::vector<GlobMistake> glob_mistakes = {};
};

// Returns OK when `directory` does not exist or is an empty directory
// (checked before the demo creates anything); FailedPrecondition naming it
// otherwise.
absl::Status CheckPromotionDemoPlace(const std::string& directory);

// Writes the test channel and release_versions.sh into `directory` (see
// CheckPromotionDemoPlace), plans the promotions, applies them (journals in
// `directory/.journal-<plan name>.jsonl`) and plans again; every file
// written goes through the local store (atomic writes). One torchvision
// wheel is already in the release channel, so the plan shows "already
// there".
absl::StatusOr<PromotionDemo> RunPromotionDemo(const std::string& directory);

}  // namespace relkit

#endif  // RELKIT_DEMO_PROMOTION_DEMO_H_
