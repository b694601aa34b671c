// File: relkit/wheel_archive.h
// -----------------------------------------------------------------------------
//
// Wheel files read, verified and rewritten through libzip, never whole in
// memory: what PyPI staging needs.
//
//   absl::StatusOr<relkit::WheelContents> w =
//       relkit::ReadWheel("/tmp/torch-2.4.0+cu121-cp312-...whl");
//   w->metadata.Get("Version");       // "2.4.0+cu121"
//
//   absl::StatusOr<relkit::RecordCheck> c = relkit::VerifyWheelRecord(path);
//   c->ok();                          // every member's hash and size match
//
//   absl::StatusOr<relkit::WheelRewrite> r = relkit::RewriteWheel(
//       path, "/tmp/out", {.remove_classifiers = {
//           "Programming Language :: Python :: 3.15"}});
//   r->file_name;                     // "torch-2.4.0-cp312-...whl"
//
// The rewrite strips the local label from the version in METADATA, renames
// the `.dist-info` folder (and any `.data` folder) to the bare version,
// drops the given classifiers, regenerates RECORD for every changed member
// and names the output with the bare version. Members that do not change
// are copied compressed, byte for byte (libzip's ZIP_FL_COMPRESSED), never
// inflated and deflated again. Wheels over 4 GiB (zip64) work.
//
// Errors: NotFound (no such file), InvalidArgument naming the file and what
// is wrong (not a zip, no or several .dist-info folders, a METADATA or
// RECORD that does not parse, a member name that escapes the archive,
// a member named twice, a damaged member), PermissionDenied, Unavailable
// (a full disk, an I/O error) or ResourceExhausted for the machine's errors.
// The output is written to a hidden temporary file beside it, flushed to
// disk and renamed into place (relkit's atomic write): a failed rewrite
// leaves nothing at the output path, and the temporary of a killed one is
// removed by the next rewrite of the same output.

#ifndef RELKIT_WHEEL_ARCHIVE_H_
#define RELKIT_WHEEL_ARCHIVE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/version.h"
#include "relkit/wheel.h"
#include "relkit/wheel_metadata.h"

namespace relkit {

// What a wheel says about itself.
struct WheelContents {
  WheelFilename filename;  // parsed from the file's base name
  std::string dist_info;   // "torch-2.4.0+cu121.dist-info"
  CoreMetadata metadata;   // <dist_info>/METADATA
  std::string metadata_text;
  std::vector<RecordEntry> record;  // <dist_info>/RECORD
  uint64_t size = 0;                // bytes of the wheel file
  uint64_t member_count = 0;
};

// Reads `path`'s name, METADATA and RECORD (not the other members). `%2B`
// in the file name is read as `+`. Every member name is checked (see the
// file comment) and must be unique; METADATA and RECORD may be at most
// 64 MiB each.
absl::StatusOr<WheelContents> ReadWheel(const std::string& path);

// One disagreement between RECORD and the archive.
struct RecordProblem {
  std::string member;
  // "hash mismatch", "size mismatch", "no size" (a row with a good hash but
  // no size), "missing from RECORD", "listed in RECORD but not in the
  // archive", "no hash", "bad hash" (not sha256/sha384/sha512 of the right
  // length in urlsafe base64).
  std::string what;
  friend bool operator==(const RecordProblem&, const RecordProblem&) = default;
};

struct RecordCheck {
  uint64_t members_checked = 0;
  std::vector<RecordProblem> problems;
  bool ok() const { return problems.empty(); }
};

// Inflates every member once (streaming, 1 MiB at a time) and checks it
// against RECORD. Folders (names ending in `/`), RECORD itself and
// RECORD.jws / RECORD.p7s need no row. A damaged member (CRC error, bad
// deflate data) is an InvalidArgument error, not a problem: the file is not
// a readable wheel.
absl::StatusOr<RecordCheck> VerifyWheelRecord(const std::string& path);

struct WheelRewriteOptions {
  // Classifier values dropped from METADATA.
  std::vector<std::string> remove_classifiers = {};
};

struct WheelRewrite {
  std::string input_path;
  std::string output_path;                       // <out_dir>/<file_name>
  std::string file_name;                         // with the bare version
  Version old_version;                           // "2.4.0+cu121"
  Version new_version;                           // "2.4.0"
  std::vector<std::string> removed_classifiers;  // those actually present
  // Rewritten (not copied): METADATA and RECORD, under their new names.
  std::vector<std::string> changed_members;
  // Copied compressed, byte for byte (renamed ones included).
  uint64_t copied_members = 0;
  uint64_t size = 0;   // of the output file
  std::string sha256;  // of the output file, hex
  // True when the wheel had no local label and no classifier to drop: the
  // output is then a byte copy of the input.
  bool unchanged = false;
};

// Rewrites `path` into the directory `out_dir` (created if missing; see the
// file comment). The rows of RECORD for copied members are kept as they
// are: verify an input from elsewhere first (VerifyWheelRecord). Writing
// the same input again gives the same bytes. An `unchanged` wheel whose
// output path is the input itself is left alone.
absl::StatusOr<WheelRewrite> RewriteWheel(
    const std::string& path, const std::string& out_dir,
    const WheelRewriteOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_WHEEL_ARCHIVE_H_
