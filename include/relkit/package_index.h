// File: relkit/package_index.h
// -----------------------------------------------------------------------------
//
// Regenerating the PEP 503 `index.html` pages of a channel, as PyTorch's
// download server has them (pytorch/test-infra `s3_management/manage_v2.py`):
// for each package, one page per folder that holds its wheels and one page
// across all folders,
//
//   <prefix><folder>/<package>/index.html   e.g. whl/cu121/torch/index.html
//   <prefix><package>/index.html            e.g. whl/torch/index.html
//
// each link `/<key>#sha256=<hex>` (absolute, as manage_v2.py writes them) with
// the file name as its text. The sha256 comes from the object's
// `checksum-sha256` metadata; an object without one is read once and hashed
// (said in `IndexLink::sha256_computed`).
//
// Plan first: PlanIndexes lists and reads the store and writes nothing; the
// page HTML comes from the rendering layer (relkit/package_index_page.h:
// RenderIndexPlan fills `html` and `change`); ApplyIndexPlan writes the pages
// that changed. RegenerateIndexes (relkit/package_index_page.h) does all
// three.
//
//   absl::StatusOr<relkit::IndexPlan> plan =
//       relkit::PlanIndexes(store, "whl/", {"torch"}, {});
//   relkit::RenderIndexPlan(*plan);
//   absl::StatusOr<relkit::IndexResult> done =
//       relkit::ApplyIndexPlan(store, *plan);

#ifndef RELKIT_PACKAGE_INDEX_H_
#define RELKIT_PACKAGE_INDEX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/object_store.h"

namespace relkit {

// One link of a page: a wheel of the package.
struct IndexLink {
  std::string key;        // the object key ("whl/cu121/torch-...whl")
  std::string file_name;  // the key's base name with `%2B` read as `+`
  std::optional<std::string> sha256 = {};  // lower-case hex
  // The object had no valid `checksum-sha256`: it was read and hashed.
  bool sha256_computed = false;

  friend bool operator==(const IndexLink&, const IndexLink&) = default;
};

enum class IndexPageChange : uint8_t {
  kUnrendered,  // RenderIndexPlan has not run
  kNew,         // no page at the key yet
  kChanged,     // the page there has other bytes
  kUnchanged,   // the page there has these bytes: not rewritten
};

// Returns "unrendered", "new", "changed" or "unchanged".
absl::string_view IndexPageChangeName(IndexPageChange change);

struct IndexPage {
  std::string key;      // "whl/cu121/torch/index.html"
  std::string package;  // canonical ("torch")
  std::string folder;   // "cu121"; empty for the page across folders
  // Sorted by file name, then key.
  std::vector<IndexLink> links;
  // The page at `key` now, when there is one.
  std::optional<std::string> existing = {};
  // Set by RenderIndexPlan.
  std::string html = {};
  IndexPageChange change = IndexPageChange::kUnrendered;

  friend bool operator==(const IndexPage&, const IndexPage&) = default;
};

struct IndexPlan {
  std::string store;   // ObjectStore::Describe()
  std::string prefix;  // normalised: "whl/" ("" for the whole store)
  std::vector<std::string> packages;  // canonical, as requested
  // Per package: the page across folders, then one per folder (sorted).
  std::vector<IndexPage> pages;
  // Keys whose sha256 was computed (no valid `checksum-sha256` metadata).
  std::vector<std::string> computed_sha256;
  // Requested packages with no wheel under the prefix (no page planned).
  std::vector<std::string> packages_without_wheels;

  // Returns the number of pages that would be written (new or changed).
  int pages_to_write() const;
};

struct IndexOptions {
  // Hash objects without `checksum-sha256` (read each once). Off: their
  // links have no `#sha256=` fragment.
  bool compute_missing_sha256 = true;
  // Where objects are staged to be hashed; empty: the system's temporary
  // directory.
  std::string work_dir = {};
  // Folders right under the prefix that are channels of their own, as
  // manage_v2.py's prefixes `whl`, `whl/test`, `whl/nightly`: their wheels
  // are never on this prefix's pages. Wheels deeper than one folder are
  // never listed either.
  std::vector<std::string> channel_folders = {"test", "nightly"};
};

// Returns the pages of `packages` (any spelling) under `prefix` of `store`:
// lists the prefix (all pages), keeps the wheels right under it or in one
// folder below it (not in `channel_folders`) whose parsed name is one of the
// packages (relkit/artifact_name.h; never by glob), Heads each for its
// sha256 (Gets it when it has none and `compute_missing_sha256`), and reads
// each planned page that exists. Writes nothing to the store. Errors:
// InvalidArgument for no package or a prefix that is not a key prefix; a
// store's error as it is.
absl::StatusOr<IndexPlan> PlanIndexes(ObjectStore& store,
                                      absl::string_view prefix,
                                      absl::Span<const std::string> packages,
                                      const IndexOptions& options = {});

struct IndexResult {
  std::vector<std::string> written;    // page keys put
  std::vector<std::string> unchanged;  // page keys left as they are
  // Wheels whose sha256 was computed (IndexPlan::computed_sha256).
  std::vector<std::string> computed_sha256;
};

// Writes the new and changed pages of `plan` with Put (content type
// `text/html`, public-read), each from a temporary file. Returns
// FailedPrecondition when a page is not rendered, a store's error as it is.
// A rerun plans every page unchanged and writes nothing.
absl::StatusOr<IndexResult> ApplyIndexPlan(ObjectStore& store,
                                           const IndexPlan& plan,
                                           const IndexOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_PACKAGE_INDEX_H_
