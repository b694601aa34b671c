// File: relkit/promotion_apply.h
// -----------------------------------------------------------------------------
//
// Applying a promotion plan (relkit/promotion.h): copy every planned object,
// verify it, mirror it, and keep an append-only journal, so that a run
// killed at any point is finished by the same command.
//
//   PromotionStores stores = {.source = open_test_bucket,
//                             .destination = open_release_bucket,
//                             .mirror = open_r2_bucket};   // factories
//   absl::StatusOr<relkit::PromotionResult> result = relkit::ApplyPromotion(
//       plan, stores, {.journal_path = path, .jobs = 4});
//   if (!result.ok()) return result.status();  // refused, journal unwritable
//   result->failed;  // a store failed: key and status; a rerun resumes
//
// For each object (`jobs` of them in flight, each worker with store handles
// of its own: an S3Store is not thread-safe):
//   1. its sha256 is the plan's (the source's `checksum-sha256` metadata)
//      or, when unknown, computed once from a download of the source (Get to
//      a file in a private temporary directory); that same file feeds the
//      mirror, and the sha256 is reused, never recomputed;
//   2. the destination gets a copy with the source's content type and
//      metadata plus `checksum-sha256`, `public-read`: a server-side Copy
//      when source and destination are one store, else a Put of the file;
//   3. the destination is verified with a Head: its size must be the
//      planned size and its `checksum-sha256` the sha256; else kDataLoss and
//      the run stops;
//   4. with a mirror, the file is Put there with the same metadata and
//      checksum, `public-read`, and verified the same way.
//
// The journal (`journal_path`) is JSON lines, one record per step, written
// with O_APPEND and fsync'd per record (the one file relkit writes that is
// not replaced atomically): `start` (the plan's identity and counts),
// `copied`/`verified` per destination key with its sha256, `mirrored`/
// `mirror-verified` per mirror key, `failed` (key and message), `finished`.
// It holds keys, sizes, sha256s and store descriptions, never a credential.
// A rerun makes a new plan, which finds at the destination (and mirror)
// what a killed run already copied and does not copy it again; a key the
// journal says was copied but not verified is verified on the rerun.
//
// Refused (FailedPrecondition, nothing copied): a plan with errors (a
// conflict without `overwrite`, an RC ...), missing store factories.

#ifndef RELKIT_PROMOTION_APPLY_H_
#define RELKIT_PROMOTION_APPLY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "relkit/object_store.h"
#include "relkit/promotion.h"

namespace relkit {

// ObjectStoreFactory (relkit/promotion.h) opens one store handle per worker.

// The stores of a plan. `mirror` is needed when the plan has a mirror.
struct PromotionStores {
  ObjectStoreFactory source = {};
  ObjectStoreFactory destination = {};
  ObjectStoreFactory mirror = {};
};

// Progress of an apply: objects done of the total (destination and mirror
// copies together), and the key just done.
struct PromotionProgress {
  size_t done = 0;
  size_t total = 0;
  std::string key = {};
};

struct PromotionApplyOptions {
  // The journal file (created, appended to). Required.
  std::string journal_path = {};
  // Objects in flight (at least 1).
  int jobs = 4;
  // Where downloads go (a private directory is made in it and removed);
  // empty: $TMPDIR, else /tmp.
  std::string temp_dir = {};
  // Called after each object (from worker threads, one call at a time).
  std::function<void(const PromotionProgress&)> progress = {};
  // Test only: a pause before each object's copy, so that a test can kill
  // a run in the middle. Zero in real use.
  absl::Duration delay_per_object = absl::ZeroDuration();
};

// One object that could not be copied or verified.
struct PromotionFailure {
  std::string key = {};  // the destination or mirror key
  absl::Status status = absl::OkStatus();
};

struct PromotionResult {
  // The plan had nothing left to copy (a rerun after a complete run).
  bool already_applied = false;
  // Destination keys copied (including `overwritten`), in key order.
  std::vector<std::string> copied = {};
  // Destination keys that were there already with the same content.
  std::vector<std::string> skipped = {};
  // Destination and mirror keys that held other content and were replaced.
  std::vector<std::string> overwritten = {};
  // Mirror keys uploaded, and mirror keys already there.
  std::vector<std::string> mirrored = {};
  std::vector<std::string> mirror_skipped = {};
  // Destination and mirror keys verified by this run (size and sha256).
  std::vector<std::string> verified = {};
  // What failed (the run stops at the first failure; objects in flight
  // finish). Empty on success.
  std::vector<PromotionFailure> failed = {};
  std::string journal_path = {};

  bool ok() const { return failed.empty(); }
};

// Returns the identity of a plan for its journal: source, destination and
// mirror with their prefixes, and the package versions, one per line. The
// same command gives the same identity before and after a partial run.
std::string PromotionPlanIdentity(const PromotionPlan& plan);

// Applies `plan` (see the file comment). Returns FailedPrecondition when the
// plan has errors or a store factory is missing, the journal's error when
// it cannot be opened or written; a store's failure is in
// `PromotionResult::failed` (with the journal recording what was done).
absl::StatusOr<PromotionResult> ApplyPromotion(
    const PromotionPlan& plan, const PromotionStores& stores,
    const PromotionApplyOptions& options);

// What a journal says: keys verified at the destination and the mirror with
// their sha256, keys copied but not verified, and whether a run finished.
struct PromotionJournalState {
  std::vector<std::string> plans = {};  // identities of `start` records
  std::map<std::string, std::string> verified = {};  // key -> sha256
  std::map<std::string, std::string> copied = {};    // key -> sha256
  std::map<std::string, std::string> mirror_verified = {};
  std::map<std::string, std::string> mirrored = {};
  int finished = 0;  // `finished` records
  int records = 0;
};

// Parses a journal's text (JSON lines). A last line without its newline (a
// write cut by a kill) is ignored. Returns InvalidArgument naming `source`,
// the line and the problem for any other malformed line.
absl::StatusOr<PromotionJournalState> ParsePromotionJournal(
    absl::string_view text, absl::string_view source);

}  // namespace relkit

#endif  // RELKIT_PROMOTION_APPLY_H_
