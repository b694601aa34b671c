// PyPI's legacy upload API and PEP 691 simple API over libcurl.
//
// Index reads go through relkit/http.h's CurlTransport. The upload is the
// one request that does not: its body is a multipart form whose last part
// is the wheel, streamed from disk by libcurl's MIME API
// (curl_mime_filedata), because HttpRequest carries its body in memory and
// a torch wheel is close to 1 GB.

#include "relkit/pypi_client.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "adapters/http/curl_raii.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"
#include "relkit/wheel.h"
#include "relkit/wheel_index.h"

namespace relkit {

// -----------------------------------------------------------------------------
// Values

const PypiIndexFile* PypiProjectFiles::Find(absl::string_view filename) const {
  for (const PypiIndexFile& f : files) {
    if (f.filename == filename) return &f;
  }
  return nullptr;
}

std::vector<std::string> PypiUploadForm::GetAll(absl::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : fields) {
    if (key == name) out.push_back(value);
  }
  return out;
}

absl::string_view PypiUploadStatusName(PypiUploadStatus status) {
  switch (status) {
    case PypiUploadStatus::kUploaded:
      return "uploaded";
    case PypiUploadStatus::kAlreadyUploaded:
      return "already uploaded";
  }
  return "unknown";
}

absl::StatusOr<PypiProjectFiles> ParsePypiProjectPage(
    absl::string_view json, absl::string_view project,
    absl::string_view source) {
  RELKIT_ASSIGN_OR_RETURN(
      WheelIndex index,
      WheelIndex::Parse(json, {.format = WheelIndexFormat::kJson,
                               .source = std::string(source)}));
  PypiProjectFiles out;
  out.project = CanonicalizeName(project);
  out.exists = true;
  for (const IndexedWheel& w : index.wheels) {
    out.files.push_back({.filename = w.filename,
                         .sha256 = w.sha256.has_value()
                                       ? std::optional<std::string>(
                                             absl::AsciiStrToLower(*w.sha256))
                                       : std::nullopt,
                         .size = w.size});
  }
  // An sdist (or any other file) still holds its name for good on PyPI.
  for (const SkippedLink& s : index.skipped) {
    out.files.push_back({.filename = s.text, .size = s.size});
  }
  return out;
}

absl::StatusOr<std::string> PypiTokenFromEnvironment() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v == nullptr ? "" : v;
  };
  if (const std::string user = env("TWINE_USERNAME");
      !user.empty() && user != "__token__") {
    return absl::FailedPreconditionError(
        "TWINE_USERNAME is set to another user than __token__: PyPI takes "
        "only API tokens (user __token__)");
  }
  std::string token = env("TWINE_PASSWORD");
  if (token.empty()) token = env("PYPI_API_TOKEN");
  if (token.empty()) {
    return absl::FailedPreconditionError(
        "no PyPI API token: set TWINE_PASSWORD or PYPI_API_TOKEN");
  }
  return token;
}

std::string RedactPypiToken(absl::string_view text, absl::string_view token) {
  if (token.empty()) return std::string(text);
  const std::string basic =
      absl::Base64Escape(absl::StrCat("__token__:", token));
  const std::string basic_url =
      absl::WebSafeBase64Escape(absl::StrCat("__token__:", token));
  return absl::StrReplaceAll(
      text, {{token, "***"}, {basic, "***"}, {basic_url, "***"}});
}

// -----------------------------------------------------------------------------
// Digests

namespace {

struct EvpCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using EvpCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpCtxDeleter>;

struct FileCloser {
  void operator()(FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};

std::string Hex(const unsigned char* data, unsigned int n) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(data), n));
}

}  // namespace

absl::StatusOr<PypiFileDigests> PypiDigestsOfFile(const std::string& path) {
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (f == nullptr) {
    const int e = errno;
    const std::string msg =
        absl::StrCat("cannot read ", path, ": ", std::strerror(e));
    if (e == ENOENT) return absl::NotFoundError(msg);
    if (e == EACCES) return absl::PermissionDeniedError(msg);
    return absl::UnavailableError(msg);
  }
  EvpCtxPtr md5(EVP_MD_CTX_new());
  EvpCtxPtr sha(EVP_MD_CTX_new());
  if (md5 == nullptr || sha == nullptr ||
      EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr) != 1 ||
      EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr) != 1) {
    // MD5 is missing under a FIPS provider; twine then omits md5_digest,
    // but a release host in FIPS mode is not a case relkit supports yet.
    return absl::InternalError("cannot initialise MD5/SHA-256 (libcrypto)");
  }
  // BLAKE2b-256 (twine's blake2_256_digest) from libsodium: libcrypto 3.0
  // has BLAKE2b only with a 64-byte digest or as a keyed MAC.
  if (sodium_init() < 0) {
    return absl::InternalError("cannot initialise libsodium (BLAKE2b)");
  }
  crypto_generichash_state blake2;
  constexpr size_t kBlake2Bytes = 32;
  crypto_generichash_init(&blake2, nullptr, 0, kBlake2Bytes);
  std::vector<char> buffer(size_t{1} << 20);
  PypiFileDigests out;
  for (;;) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get());
    if (n > 0) {
      EVP_DigestUpdate(md5.get(), buffer.data(), n);
      EVP_DigestUpdate(sha.get(), buffer.data(), n);
      crypto_generichash_update(
          &blake2, reinterpret_cast<const unsigned char*>(buffer.data()), n);
      out.size += n;
    }
    if (n < buffer.size()) {
      if (std::ferror(f.get())) {
        return absl::UnavailableError(absl::StrCat("error reading ", path));
      }
      break;
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(md5.get(), digest, &len);
  out.md5 = Hex(digest, len);
  EVP_DigestFinal_ex(sha.get(), digest, &len);
  out.sha256 = Hex(digest, len);
  unsigned char blake2_digest[kBlake2Bytes];
  crypto_generichash_final(&blake2, blake2_digest, kBlake2Bytes);
  out.blake2_256 = Hex(blake2_digest, kBlake2Bytes);
  return out;
}

// -----------------------------------------------------------------------------
// The form

namespace {

// pkginfo folds a field's continuation lines into one line of stripped
// pieces joined by spaces; "UNKNOWN" (old setuptools' placeholder) is unset.
std::string Collapse(absl::string_view value) {
  std::vector<std::string> pieces;
  for (absl::string_view line : absl::StrSplit(value, '\n')) {
    pieces.emplace_back(absl::StripAsciiWhitespace(line));
  }
  return absl::StrJoin(pieces, " ");
}

// pkginfo's Description field: newlines kept, the 8-space continuation
// indent removed.
std::string CollapseDescription(absl::string_view value) {
  std::vector<std::string> lines;
  for (absl::string_view line :
       absl::StrSplit(absl::StripAsciiWhitespace(value), '\n')) {
    if (absl::StartsWith(line, "        ")) line.remove_prefix(8);
    lines.emplace_back(line);
  }
  return absl::StrJoin(lines, "\n");
}

// METADATA's header fields as Python's email parser (policy compat32)
// hands them to pkginfo: the value after the colon with leading blanks
// removed, each continuation line appended after a line break with its
// indentation kept (pkginfo then folds them its own way, see Collapse).
// CoreMetadata unfolds continuation lines as RFC 5322 does, which loses the
// line breaks that pkginfo's folding needs.
class RawHeaders {
 public:
  explicit RawHeaders(absl::string_view text) {
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      line = absl::StripSuffix(line, "\r");
      if (line.empty()) break;  // the body starts
      if (line.front() == ' ' || line.front() == '\t') {
        if (!fields_.empty())
          absl::StrAppend(&fields_.back().second, "\n", line);
        continue;
      }
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) break;  // email: the body starts
      fields_.emplace_back(std::string(line.substr(0, colon)),
                           std::string(absl::StripLeadingAsciiWhitespace(
                               line.substr(colon + 1))));
    }
  }

  std::optional<std::string> Get(absl::string_view name) const {
    for (const auto& [key, value] : fields_) {
      if (absl::EqualsIgnoreCase(key, name)) return value;
    }
    return std::nullopt;
  }
  std::vector<std::string> GetAll(absl::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : fields_) {
      if (absl::EqualsIgnoreCase(key, name)) out.push_back(value);
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// setuptools' safe_name: runs of characters other than ASCII letters,
// digits and '.' become one '-'.
std::string SafeName(absl::string_view name) {
  std::string out;
  bool in_run = false;
  for (char c : name) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.') {
      out.push_back(c);
      in_run = false;
    } else if (!in_run) {
      out.push_back('-');
      in_run = true;
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<PypiUploadForm> PypiUploadFormFor(
    const WheelContents& wheel, absl::string_view file_name,
    const PypiFileDigests& digests) {
  // The METADATA text as read from the wheel; the parsed fields only when a
  // caller built WheelContents without it.
  std::string text = wheel.metadata_text;
  if (text.empty()) {
    for (const CoreMetadata::Field& f : wheel.metadata.fields()) {
      absl::StrAppend(&text, f.name, ": ", f.value, "\n");
    }
  }
  const RawHeaders m(text);
  // twine's pyversion: the python tag of the name as written
  // ("cp312", "py2.py3"), not a normalised one.
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::StripSuffix(file_name, ".whl"), '-');
  if (!absl::EndsWith(file_name, ".whl") || parts.size() < 5) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": not a wheel file name"));
  }
  const std::string pyversion(parts[parts.size() - 3]);
  auto single = [&m](absl::string_view field) -> std::string {
    std::optional<std::string> v = m.Get(field);
    if (!v.has_value()) return "";
    std::string c = Collapse(*v);
    return c == "UNKNOWN" ? "" : c;
  };
  const std::string name = single("Name");
  const std::string version = single("Version");
  if (name.empty() || version.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": ", wheel.dist_info,
                     "/METADATA has no Name or no Version"));
  }
  std::string description = wheel.metadata.body();
  if (description.empty()) {
    if (std::optional<std::string> d = m.Get("Description")) {
      description = CollapseDescription(*d);
    }
  }
  PypiUploadForm form;
  form.filename = std::string(file_name);
  form.project = CanonicalizeName(name);
  form.sha256 = digests.sha256;
  auto& f = form.fields;
  auto add = [&f](absl::string_view key, absl::string_view value) {
    f.emplace_back(std::string(key), std::string(value));
  };
  auto multi = [&](absl::string_view key, absl::string_view field) {
    for (const std::string& v : m.GetAll(field)) add(key, Collapse(v));
  };
  // twine 4.0.2's PackageFile.metadata_dictionary(), in its order.
  add("name", SafeName(name));
  add("version", version);
  add("filetype", "bdist_wheel");
  add("pyversion", pyversion);
  add("metadata_version", single("Metadata-Version"));
  add("summary", single("Summary"));
  add("home_page", single("Home-page"));
  add("author", single("Author"));
  add("author_email", single("Author-email"));
  add("maintainer", single("Maintainer"));
  add("maintainer_email", single("Maintainer-email"));
  add("license", single("License"));
  add("description", description);
  add("keywords", single("Keywords"));
  multi("platform", "Platform");
  multi("classifiers", "Classifier");
  add("download_url", single("Download-URL"));
  multi("supported_platform", "Supported-Platform");
  add("comment", "");
  add("sha256_digest", digests.sha256);
  multi("provides", "Provides");
  multi("requires", "Requires");
  multi("obsoletes", "Obsoletes");
  multi("project_urls", "Project-URL");
  multi("provides_dist", "Provides-Dist");
  multi("obsoletes_dist", "Obsoletes-Dist");
  multi("requires_dist", "Requires-Dist");
  multi("requires_external", "Requires-External");
  add("requires_python", single("Requires-Python"));
  multi("provides_extras", "Provides-Extra");
  add("description_content_type", single("Description-Content-Type"));
  multi("dynamic", "Dynamic");
  add("md5_digest", digests.md5);
  add("blake2_256_digest", digests.blake2_256);
  add(":action", "file_upload");
  add("protocol_version", "1");
  return form;
}

// -----------------------------------------------------------------------------
// PypiClient

namespace {

absl::Status CheckHttpUrl(absl::string_view what, absl::string_view url) {
  if (!absl::StartsWithIgnoreCase(url, "http://") &&
      !absl::StartsWithIgnoreCase(url, "https://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " \"", RedactUrl(url), "\" is not an http:// or https:// URL"));
  }
  return absl::OkStatus();
}

std::string WithSlash(absl::string_view url) {
  return absl::EndsWith(url, "/") ? std::string(url) : absl::StrCat(url, "/");
}

// One upload's answer.
struct UploadAnswer {
  int status = 0;
  std::string reason;  // the status line's text after the code
  std::string body;
};

struct UploadTransfer {
  std::string reason;
  std::string body;
};

constexpr size_t kMaxAnswerBytes = size_t{1} << 20;

size_t UploadWrite(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<UploadTransfer*>(user);
  const size_t n = size * count;
  // Keep the start of a long error page; drop the rest without failing.
  if (t->body.size() < kMaxAnswerBytes) {
    t->body.append(data, std::min(n, kMaxAnswerBytes - t->body.size()));
  }
  return n;
}

size_t UploadHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<UploadTransfer*>(user);
  const size_t n = size * count;
  absl::string_view line(data, n);
  if (absl::StartsWith(line, "HTTP/")) {
    // "HTTP/1.1 400 File already exists (...)": Warehouse's message.
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::MaxSplits(' ', 2));
    t->reason = parts.size() == 3
                    ? std::string(absl::StripAsciiWhitespace(parts[2]))
                    : std::string();
  }
  return n;
}

long Millis(absl::Duration d) {  // NOLINT(runtime/int): libcurl's type
  return static_cast<long>(      // NOLINT(runtime/int)
      std::max<int64_t>(absl::ToInt64Milliseconds(d), 1));
}

struct MimeDeleter {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};

// One line of printable text of an answer, for messages.
std::string Snippet(absl::string_view text, size_t limit = 300) {
  std::string out;
  bool space = false;
  for (char c : text.substr(0, limit)) {
    const bool printable = absl::ascii_isprint(static_cast<unsigned char>(c));
    if (!printable || c == ' ') {
      if (!space && !out.empty()) out.push_back(' ');
      space = true;
      continue;
    }
    out.push_back(c);
    space = false;
  }
  if (text.size() > limit) out += "...";
  return std::string(absl::StripAsciiWhitespace(out));
}

// The text of an HTML error page without its tags (Warehouse's pages are
// short: a title and the message).
std::string StripTags(absl::string_view html) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
      out.push_back(' ');
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string PypiAnswerMessage(absl::string_view reason, absl::string_view body,
                              absl::string_view token) {
  // Redacted before the cut to one line (so that no cut leaves a whole
  // token) and after it (so that nothing the cut joins forms one).
  const std::string text = reason.empty() || reason == "Bad Request"
                               ? absl::StrCat(reason, " ", StripTags(body))
                               : std::string(reason);
  return RedactPypiToken(Snippet(RedactPypiToken(text, token)), token);
}

bool PypiSaysFileExists(int status, absl::string_view reason,
                        absl::string_view body) {
  return status == 400 && (absl::StrContains(reason, "File already exists") ||
                           absl::StrContains(body, "File already exists"));
}

struct PypiClient::Impl {
  PypiClientOptions options;
  std::unique_ptr<CurlTransport> http;
  internal::CurlEasyPtr upload;
  std::string no_proxy;
  std::mt19937 rng{std::random_device{}()};

  void Log(absl::string_view note) {
    if (options.log) options.log(RedactPypiToken(note, options.token));
  }

  void Backoff(int attempt) {
    absl::Duration wait = options.initial_backoff;
    for (int i = 1; i < attempt && wait < options.max_backoff; ++i) wait *= 2;
    wait = std::min(wait, options.max_backoff);
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    absl::SleepFor(wait * jitter(rng));
  }

  std::string Redact(absl::string_view text) const {
    return RedactPypiToken(text, options.token);
  }

  absl::StatusOr<PypiProjectFiles> ProjectFiles(absl::string_view project) {
    const std::string normalized = CanonicalizeName(project);
    HttpRequest request{
        .url = absl::StrCat(WithSlash(options.index_url), normalized, "/")};
    request.headers.Set("Accept", kPypiSimpleJsonAccept);
    for (int attempt = 1;; ++attempt) {
      absl::StatusOr<HttpResponse> response = http->Send(request);
      absl::Status failure;
      bool retry = false;
      if (!response.ok()) {
        const absl::StatusCode c = response.status().code();
        retry = c == absl::StatusCode::kUnavailable ||
                c == absl::StatusCode::kDeadlineExceeded;
        failure = response.status();
      } else if (response->status == 404 || response->status == 410) {
        return PypiProjectFiles{.project = normalized, .exists = false};
      } else if (response->status >= 200 && response->status < 300) {
        return ParsePypiProjectPage(response->body, normalized,
                                    RedactUrl(request.url));
      } else {
        retry = response->status >= 500 || response->status == 429;
        failure = HttpStatusToError(request, *response);
      }
      if (!retry || attempt >= options.max_attempts) {
        return absl::Status(
            failure.code(),
            absl::StrCat("reading the index for ", normalized, ": ",
                         Redact(failure.message()),
                         attempt > 1
                             ? absl::StrCat(" (after ", attempt, " attempts)")
                             : ""));
      }
      Log(absl::StrCat("index read failed, retrying: ", failure.message()));
      Backoff(attempt);
    }
  }

  // Sends the form once. A Status only when no answer came back.
  absl::StatusOr<UploadAnswer> Post(const std::string& path,
                                    const PypiUploadForm& form) {
    CURL* h = upload.get();
    curl_easy_reset(h);
    std::unique_ptr<curl_mime, MimeDeleter> mime(curl_mime_init(h));
    if (mime == nullptr) return absl::ResourceExhaustedError("out of memory");
    for (const auto& [name, value] : form.fields) {
      curl_mimepart* part = curl_mime_addpart(mime.get());
      curl_mime_name(part, name.c_str());
      curl_mime_data(part, value.data(), value.size());
    }
    curl_mimepart* content = curl_mime_addpart(mime.get());
    curl_mime_name(content, "content");
    if (curl_mime_filedata(content, path.c_str()) != CURLE_OK) {
      return absl::NotFoundError(absl::StrCat("cannot read ", path));
    }
    curl_mime_filename(content, form.filename.c_str());
    curl_mime_type(content, "application/octet-stream");

    internal::CurlSlistPtr headers;
    internal::AppendHeader(headers, "Expect:");
    UploadTransfer transfer;
    char error[CURL_ERROR_SIZE] = {0};
    const std::string& url = options.repository_url;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_USERAGENT, options.http.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime.get());
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, "__token__");
    curl_easy_setopt(h, CURLOPT_PASSWORD, options.token.c_str());
    // twine posts with allow_redirects=False: a redirected upload would
    // resend the file (and the credentials) somewhere else.
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     Millis(options.connect_timeout));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(options.upload_timeout));
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.http.ca_file.empty())
      curl_easy_setopt(h, CURLOPT_CAINFO, options.http.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_NOPROXY, no_proxy.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &UploadWrite);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &UploadHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
    const CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_MIMEPOST, nullptr);
    curl_easy_setopt(h, CURLOPT_PASSWORD, "");
    const std::string what = absl::StrCat("POST ", RedactUrl(url));
    if (rc != CURLE_OK) {
      const std::string detail =
          Redact(error[0] != '\0' ? error : curl_easy_strerror(rc));
      if (rc == CURLE_OPERATION_TIMEDOUT) {
        return absl::DeadlineExceededError(
            absl::StrCat(what, ": timed out: ", detail));
      }
      if (rc == CURLE_READ_ERROR) {
        return absl::UnavailableError(
            absl::StrCat(what, ": reading ", path, " failed: ", detail));
      }
      return absl::UnavailableError(absl::StrCat(what, ": ", detail));
    }
    long status = 0;  // NOLINT(runtime/int)
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    return UploadAnswer{.status = static_cast<int>(status),
                        .reason = std::move(transfer.reason),
                        .body = std::move(transfer.body)};
  }

  // What the index says of `form`'s file: done (same sha256), nothing
  // (absent) or a conflict (an error).
  absl::StatusOr<bool> AlreadyThere(const PypiUploadForm& form) {
    RELKIT_ASSIGN_OR_RETURN(PypiProjectFiles have, ProjectFiles(form.project));
    const PypiIndexFile* f = have.Find(form.filename);
    if (f == nullptr) return false;
    if (f->sha256.has_value() && *f->sha256 == form.sha256) return true;
    return absl::AlreadyExistsError(absl::StrCat(
        form.filename, " is already on the index with ",
        f->sha256.has_value() ? absl::StrCat("sha256 ", *f->sha256)
                              : std::string("no sha256"),
        ", not ", form.sha256,
        ": a file name on PyPI can never be reused; nothing was sent"));
  }

  absl::StatusOr<PypiUploadOutcome> Upload(const std::string& path,
                                           const PypiUploadForm& form) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return absl::NotFoundError(absl::StrCat("no wheel file at ", path));
    }
    if (options.token.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("no API token to upload ", form.filename, " with"));
    }
    PypiUploadOutcome outcome;
    for (int attempt = 1;; ++attempt) {
      // Before every try, the index: a try whose answer was lost may have
      // gone through, and someone else may have uploaded meanwhile.
      RELKIT_ASSIGN_OR_RETURN(bool there, AlreadyThere(form));
      if (there) {
        outcome.status = PypiUploadStatus::kAlreadyUploaded;
        outcome.notes.push_back(
            attempt == 1 ? "the index already has this file (same sha256)"
                         : "the index has the file after a failed try: that "
                           "try went through");
        return outcome;
      }
      ++outcome.attempts;
      absl::StatusOr<UploadAnswer> answer = Post(path, form);
      absl::Status failure;
      bool retry = false;
      if (!answer.ok()) {
        if (answer.status().code() == absl::StatusCode::kNotFound)
          return answer.status();
        failure = answer.status();
        retry = true;
      } else if (answer->status >= 200 && answer->status < 300) {
        outcome.status = PypiUploadStatus::kUploaded;
        return outcome;
      } else {
        const std::string message =
            PypiAnswerMessage(answer->reason, answer->body, options.token);
        const std::string what =
            absl::StrCat("uploading ", form.filename, " to ",
                         RedactUrl(options.repository_url), ": HTTP ",
                         answer->status, message.empty() ? "" : ": ", message);
        if (PypiSaysFileExists(answer->status, answer->reason, answer->body)) {
          absl::StatusOr<bool> done = AlreadyThere(form);
          if (!done.ok()) {
            return absl::Status(
                done.status().code(),
                absl::StrCat(what, "; ", done.status().message()));
          }
          if (*done) {
            outcome.status = PypiUploadStatus::kAlreadyUploaded;
            outcome.notes.push_back(
                "the server says the file exists and the index has the same "
                "sha256");
            return outcome;
          }
          return absl::AlreadyExistsError(absl::StrCat(
              what, "; the index does not show this file with sha256 ",
              form.sha256,
              " (a deleted file's name can never be reused, or the index "
              "lags: rerun later to check)"));
        }
        if (answer->status >= 500) {
          failure = absl::UnavailableError(what);
          retry = true;
        } else if (answer->status == 403) {
          return absl::PermissionDeniedError(what);
        } else if (answer->status == 401) {
          return absl::UnauthenticatedError(what);
        } else if (answer->status == 429) {
          failure = absl::ResourceExhaustedError(what);
          retry = true;
        } else {
          return absl::InvalidArgumentError(what);
        }
      }
      if (!retry || attempt >= options.max_upload_attempts) {
        return absl::Status(
            failure.code(),
            absl::StrCat(Redact(failure.message()), " (after ", attempt,
                         attempt == 1 ? " attempt)" : " attempts)"));
      }
      outcome.notes.push_back(absl::StrCat(
          "try ", attempt, " failed: ", Redact(failure.message())));
      Log(absl::StrCat("upload of ", form.filename, " failed (",
                       failure.message(),
                       "); asking the index before trying again"));
      Backoff(attempt);
    }
  }
};

PypiClient::PypiClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PypiClient::~PypiClient() = default;

absl::StatusOr<std::unique_ptr<PypiClient>> PypiClient::Create(
    PypiClientOptions options) {
  RELKIT_RETURN_IF_ERROR(
      CheckHttpUrl("the repository URL", options.repository_url));
  RELKIT_RETURN_IF_ERROR(CheckHttpUrl("the index URL", options.index_url));
  if (options.max_attempts < 1) options.max_attempts = 1;
  if (options.max_upload_attempts < 1) options.max_upload_attempts = 1;
  auto impl = std::make_unique<Impl>();
  RELKIT_ASSIGN_OR_RETURN(impl->http, CurlTransport::Create(options.http));
  impl->upload.reset(curl_easy_init());
  if (impl->upload == nullptr) {
    return absl::InternalError("cannot create a libcurl handle");
  }
  // The same proxy rules as CurlTransport.
  impl->no_proxy = internal::CurlNoProxyList(options.http.no_proxy);
  impl->options = std::move(options);
  return std::unique_ptr<PypiClient>(new PypiClient(std::move(impl)));
}

absl::StatusOr<PypiProjectFiles> PypiClient::ProjectFiles(
    absl::string_view project) {
  return impl_->ProjectFiles(project);
}

absl::StatusOr<PypiUploadOutcome> PypiClient::Upload(
    const std::string& path, const PypiUploadForm& form) {
  return impl_->Upload(path, form);
}

const PypiClientOptions& PypiClient::options() const { return impl_->options; }

std::string PypiClient::ToString() const {
  return absl::StrCat(
      "PypiClient{repository_url=", RedactUrl(impl_->options.repository_url),
      ", index_url=", RedactUrl(impl_->options.index_url),
      ", token=", impl_->options.token.empty() ? "none" : "***", "}");
}

}  // namespace relkit
