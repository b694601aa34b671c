// File: relkit/pypi_client.h
// -----------------------------------------------------------------------------
//
// PyPI's two HTTP interfaces that an upload needs, over libcurl: the legacy
// upload API (the multipart/form-data POST that twine sends) and the PEP 691
// JSON simple API (what a project already has).
//
//   absl::StatusOr<std::unique_ptr<relkit::PypiClient>> client =
//       relkit::PypiClient::Create({.token = token});  // __token__ auth
//   absl::StatusOr<relkit::PypiProjectFiles> have =
//       (*client)->ProjectFiles("torch");          // GET simple/torch/
//   absl::StatusOr<relkit::PypiUploadForm> form =
//       relkit::PypiUploadFormFor(wheel, name, digests);  // the fields twine sends
//   absl::StatusOr<relkit::PypiUploadOutcome> done =
//       (*client)->Upload("/tmp/torch-2.4.0-cp312-...whl", *form);
//
// Once and only once: a file on PyPI can never be replaced, so an upload is
// never retried blindly. Before the first try and before every retry (after
// a timeout, a dropped connection or a 5xx), `Upload` asks the index: the
// same filename with the same sha256 means the file is there (a done upload,
// "already uploaded"); the same filename with another sha256 stops with
// AlreadyExists. A 400 "File already exists" is resolved the same way.
//
// The token is sent only in the `Authorization` header of the upload. It
// never appears in an error message, a log or a ToString: a server's answer
// quoted in a message has the token (and its Basic credential) replaced by
// `***`.
//
// Errors:
//   kPermissionDenied   403 (bad token, no right to the project), with
//                       PyPI's message
//   kUnauthenticated    401
//   kAlreadyExists      the index has the filename with another sha256, or
//                       the server says the file exists and the index does
//                       not show the same content
//   kInvalidArgument    another 4xx: PyPI refused the form (its message)
//   kUnavailable        5xx or connection failures after the retries
//   kDeadlineExceeded   timeouts after the retries
//   kNotFound           the wheel file to upload does not exist

#ifndef RELKIT_PYPI_CLIENT_H_
#define RELKIT_PYPI_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "relkit/http.h"
#include "relkit/wheel_archive.h"

namespace relkit {

inline constexpr absl::string_view kPypiUploadUrl =
    "https://upload.pypi.org/legacy/";
inline constexpr absl::string_view kPypiIndexUrl = "https://pypi.org/simple/";
// The PEP 691 media type asked for.
inline constexpr absl::string_view kPypiSimpleJsonAccept =
    "application/vnd.pypi.simple.v1+json";

// One file of a project on the index.
struct PypiIndexFile {
  std::string filename = {};
  std::optional<std::string> sha256 = {};  // lower-case hex
  std::optional<uint64_t> size = {};

  friend bool operator==(const PypiIndexFile&, const PypiIndexFile&) = default;
};

// What the index has of one project.
struct PypiProjectFiles {
  std::string project = {};  // normalized name (PEP 503)
  bool exists = false;       // false: 404, a new project without files
  std::vector<PypiIndexFile> files = {};

  // Returns the file named `filename`, or nullptr.
  const PypiIndexFile* Find(absl::string_view filename) const;

  friend bool operator==(const PypiProjectFiles&,
                         const PypiProjectFiles&) = default;
};

// Parses a PEP 691 JSON project page (`source` names it in errors; parsed
// with relkit's depth limit through WheelIndex::Parse). Files that are not
// wheels (sdists) are kept too: their names still cannot be reused.
// InvalidArgument naming `source` and the position when it does not parse.
absl::StatusOr<PypiProjectFiles> ParsePypiProjectPage(absl::string_view json,
                                                      absl::string_view project,
                                                      absl::string_view source);

// Returns the upload token from the environment: $TWINE_PASSWORD (as twine
// reads it), else $PYPI_API_TOKEN (the name PyPI's docs and GitHub workflows
// use). Only API tokens: $TWINE_USERNAME, if set, must be `__token__`.
// FailedPrecondition when there is none or the user is another; messages
// name variables, never values.
absl::StatusOr<std::string> PypiTokenFromEnvironment();

// The digests of a file that the form carries.
struct PypiFileDigests {
  std::string md5;         // hex
  std::string sha256;      // hex
  std::string blake2_256;  // BLAKE2b with a 32-byte digest (libsodium), hex
  uint64_t size = 0;
};

// Reads `path` once (1 MiB blocks) and returns its MD5, SHA-256 and
// BLAKE2b-256.
absl::StatusOr<PypiFileDigests> PypiDigestsOfFile(const std::string& path);

// The fields of one upload, in the order twine sends them; the file itself
// (`content`) is not among them: it is streamed from disk.
struct PypiUploadForm {
  std::string filename;  // the wheel's base name (`content`'s filename)
  std::string project;   // normalized, for the index
  std::string sha256;    // of the file, hex
  std::vector<std::pair<std::string, std::string>> fields;

  // Returns every value of `name`, in order.
  std::vector<std::string> GetAll(absl::string_view name) const;
};

// Returns the form twine 4.0.2 sends for `wheel`, the file named `file_name`
// (its base name as it is uploaded), with its METADATA as pkginfo
// reads it: a single-use field absent or "UNKNOWN" is sent empty, a
// multiple-use field once per value, the description from the body or else
// the `Description` field; `pyversion` is the file name's python tag; `name`
// as setuptools' safe_name), plus `md5_digest`, `sha256_digest` and
// `blake2_256_digest` (libsodium's BLAKE2b: OpenSSL 3.0's libcrypto has no
// unkeyed BLAKE2b-256). InvalidArgument when METADATA lacks `Name` or
// `Version`.
absl::StatusOr<PypiUploadForm> PypiUploadFormFor(
    const WheelContents& wheel, absl::string_view file_name,
    const PypiFileDigests& digests);

// What `Upload` did.
enum class PypiUploadStatus : uint8_t {
  kUploaded,         // this call sent the file and the server took it
  kAlreadyUploaded,  // the index has the same file: nothing was sent, or a
                     // try whose answer was lost had gone through
};

// Returns "uploaded" or "already uploaded".
absl::string_view PypiUploadStatusName(PypiUploadStatus status);

struct PypiUploadOutcome {
  PypiUploadStatus status = PypiUploadStatus::kUploaded;
  int attempts = 0;  // POSTs sent
  // Why a try was repeated or found done (redacted, for logs).
  std::vector<std::string> notes;
};

struct PypiClientOptions {
  std::string repository_url = std::string(kPypiUploadUrl);
  std::string index_url = std::string(kPypiIndexUrl);
  // The API token (user `__token__`). Empty: uploads are refused with
  // FailedPrecondition; reads of the index need none.
  std::string token = {};
  // Attempts of a read (5xx, 429, connection failures) and of an upload
  // (each retry preceded by a look at the index), and the first wait.
  int max_attempts = 5;
  int max_upload_attempts = 3;
  absl::Duration initial_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(20);
  // Index reads.
  CurlTransportOptions http = {};
  // The upload POST: hours for a 1 GB wheel on a slow link.
  absl::Duration upload_timeout = absl::Hours(2);
  absl::Duration connect_timeout = absl::Seconds(30);
  // Called with short notes of retries ("retrying after ...").
  std::function<void(absl::string_view)> log = {};
};

// A client of one repository and its index. Move-only; not thread-safe.
class PypiClient {
 public:
  // Returns InvalidArgument when a URL is not http(s)://.
  static absl::StatusOr<std::unique_ptr<PypiClient>> Create(
      PypiClientOptions options);
  ~PypiClient();
  PypiClient(const PypiClient&) = delete;
  PypiClient& operator=(const PypiClient&) = delete;

  // GETs `<index_url><normalized project>/` as PEP 691 JSON (retrying 5xx
  // and connection failures); a 404 is a project with no files.
  absl::StatusOr<PypiProjectFiles> ProjectFiles(absl::string_view project);

  // Uploads the file at `path` with `form`, once (see the file comment).
  absl::StatusOr<PypiUploadOutcome> Upload(const std::string& path,
                                           const PypiUploadForm& form);

  const PypiClientOptions& options() const;
  // Returns "PypiClient{repository_url=..., index_url=..., token=***}" (or
  // "token=none"): never the token.
  std::string ToString() const;

 private:
  struct Impl;
  explicit PypiClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Returns `text` with `token`, and the Basic credential built from it,
// replaced by "***" (for a server's answer quoted in a message).
std::string RedactPypiToken(absl::string_view text, absl::string_view token);

// Returns the message of an upload's error answer for errors: the status
// line's text (Warehouse puts its message there), or, when that is empty or
// generic ("Bad Request"), the text of the body with HTML tags removed; one
// line of at most 300 printable ASCII bytes, `token` redacted.
std::string PypiAnswerMessage(absl::string_view reason, absl::string_view body,
                              absl::string_view token);

// Returns true when an upload's answer is PyPI's 400 "File already exists".
bool PypiSaysFileExists(int status, absl::string_view reason,
                        absl::string_view body);

}  // namespace relkit

#endif  // RELKIT_PYPI_CLIENT_H_
