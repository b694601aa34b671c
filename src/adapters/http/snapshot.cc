#include "relkit/snapshot.h"

#include <filesystem>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "internal/files.h"
#include "internal/json.h"
#include "relkit/files.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// The headers worth replaying; rate-limit headers are left out on purpose (a
// replay must never wait for a reset that happened during the recording).
constexpr absl::string_view kKeptHeaders[] = {"link", "etag", "last-modified",
                                              "content-type", "location"};

// Returns the path and query of `url` (from the first `/` after the
// authority), without a fragment.
absl::string_view PathAndQuery(absl::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme != absl::string_view::npos) {
    const size_t slash = url.find('/', scheme + 3);
    url = slash == absl::string_view::npos ? absl::string_view()
                                           : url.substr(slash);
  }
  const size_t hash = url.find('#');
  return hash == absl::string_view::npos ? url : url.substr(0, hash);
}

std::string TrimBase(absl::string_view base) {
  while (absl::EndsWith(base, "/")) base.remove_suffix(1);
  return std::string(base);
}

bool IsAbsoluteUrl(absl::string_view url) {
  return absl::StartsWithIgnoreCase(url, "http://") ||
         absl::StartsWithIgnoreCase(url, "https://");
}

// Rewrites every `<url>` of a Link header with `rewrite`.
template <typename F>
std::string RewriteLinkUrls(absl::string_view link, F rewrite) {
  std::string out;
  size_t pos = 0;
  while (pos < link.size()) {
    const size_t open = link.find('<', pos);
    if (open == absl::string_view::npos) break;
    const size_t close = link.find('>', open + 1);
    if (close == absl::string_view::npos) break;
    absl::StrAppend(&out, link.substr(pos, open + 1 - pos),
                    rewrite(link.substr(open + 1, close - open - 1)), ">");
    pos = close + 1;
  }
  absl::StrAppend(&out, link.substr(std::min(pos, link.size())));
  return out;
}

// Returns the credential of an `Authorization` header (what follows the
// scheme: `Bearer <token>`, `token <token>`, `Basic <base64>`), or "".
std::string Credential(const HttpHeaders& headers) {
  std::optional<std::string> value = headers.Get("Authorization");
  if (!value) return "";
  absl::string_view v = absl::StripAsciiWhitespace(*value);
  const size_t space = v.find(' ');
  if (space != absl::string_view::npos) v = v.substr(space + 1);
  return std::string(absl::StripAsciiWhitespace(v));
}

std::string RequestLine(absl::string_view method, absl::string_view key) {
  return absl::StrCat(method, " ", key);
}

}  // namespace

std::string SnapshotKey(absl::string_view url, absl::string_view api_base) {
  absl::string_view path = PathAndQuery(url);
  std::string base_path = TrimBase(PathAndQuery(TrimBase(api_base)));
  if (!base_path.empty() && absl::StartsWith(path, base_path) &&
      (path.size() == base_path.size() || path[base_path.size()] == '/' ||
       path[base_path.size()] == '?')) {
    path.remove_prefix(base_path.size());
  }
  while (absl::StartsWith(path, "/")) path.remove_prefix(1);
  return std::string(path);
}

std::string SnapshotFileName(absl::string_view method, absl::string_view key) {
  std::string name;
  if (method != "GET") absl::StrAppend(&name, method, "_");
  for (char c : key.substr(0, 120)) {
    const bool safe = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                      c == '.' || c == '-' || c == '=';
    name.push_back(safe ? c : '_');
  }
  if (name.empty()) name = "root";
  absl::StrAppend(&name, ".",
                  absl::StrFormat("%016x", internal::StableHash64(
                                               RequestLine(method, key))),
                  ".json");
  return name;
}

absl::Status WriteSnapshotEntry(const std::string& dir,
                                const SnapshotEntry& entry) {
  rapidjson::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  auto str = [&](absl::string_view s) {
    return rapidjson::Value(s.data(),
                            static_cast<rapidjson::SizeType>(s.size()), a);
  };
  doc.AddMember("request", str(RequestLine(entry.method, entry.key)), a);
  doc.AddMember("status", entry.status, a);
  rapidjson::Value headers(rapidjson::kObjectType);
  for (absl::string_view name : kKeptHeaders) {
    std::optional<std::string> value = entry.headers.Get(name);
    if (value) headers.AddMember(str(name), str(*value), a);
  }
  doc.AddMember("headers", headers, a);
  // A body that is not JSON, or nests deeper than the snapshot file may
  // (the file adds one level), is kept as text; either way it replays as the
  // same bytes, and the client then reports it as it did live.
  absl::StatusOr<rapidjson::Document> body = absl::InvalidArgumentError("");
  if (!entry.body.empty()) {
    body =
        internal::ParseJson(entry.body, "<body>", internal::kMaxJsonDepth - 1);
  }
  if (body.ok()) {
    rapidjson::Value copy(*body, a);
    doc.AddMember("json", copy, a);
  } else {
    doc.AddMember("body", str(entry.body), a);
  }
  const std::string path =
      (std::filesystem::path(dir) / SnapshotFileName(entry.method, entry.key))
          .string();
  return WriteFileAtomically(path, internal::WriteJson(doc, true) + "\n");
}

absl::StatusOr<SnapshotEntry> ReadSnapshotEntry(const std::string& dir,
                                                absl::string_view method,
                                                absl::string_view key) {
  const std::string path =
      (std::filesystem::path(dir) / SnapshotFileName(method, key)).string();
  absl::StatusOr<std::string> text = ReadFile(path);
  if (absl::IsNotFound(text.status())) {
    return absl::NotFoundError(absl::StrCat(
        "no snapshot response for ", RequestLine(method, key), " in ", dir,
        " (expected file ", SnapshotFileName(method, key), ")"));
  }
  if (!text.ok()) return text.status();
  RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                          internal::ParseJson(*text, path));
  internal::JsonReader r(path);
  SnapshotEntry entry;
  entry.method = std::string(method);
  entry.key = std::string(key);
  RELKIT_ASSIGN_OR_RETURN(std::string request, r.String(doc, "request", "$"));
  if (request != RequestLine(method, key)) {
    return r.Error("$.request",
                   absl::StrCat("holds \"", request, "\", expected \"",
                                RequestLine(method, key), "\""));
  }
  RELKIT_ASSIGN_OR_RETURN(int64_t status, r.Int(doc, "status", "$"));
  if (status < 100 || status > 599) {
    return r.Error("$.status", absl::StrCat("not an HTTP status: ", status));
  }
  entry.status = static_cast<int>(status);
  if (doc.HasMember("headers")) {
    const rapidjson::Value& headers = doc["headers"];
    if (!headers.IsObject()) return r.Error("$.headers", "expected an object");
    for (const auto& m : headers.GetObject()) {
      if (!m.value.IsString()) {
        return r.Error(absl::StrCat("$.headers.", m.name.GetString()),
                       "expected a string");
      }
      entry.headers.Add(
          absl::string_view(m.name.GetString(), m.name.GetStringLength()),
          absl::string_view(m.value.GetString(), m.value.GetStringLength()));
    }
  }
  if (doc.HasMember("json")) {
    entry.body = internal::WriteJson(doc["json"]);
  } else if (doc.HasMember("body")) {
    RELKIT_ASSIGN_OR_RETURN(entry.body, r.String(doc, "body", "$"));
  }
  return entry;
}

absl::StatusOr<std::unique_ptr<SnapshotTransport>> SnapshotTransport::Open(
    std::string dir, std::string api_base) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) &&
      !std::filesystem::is_directory(dir, ec)) {
    return absl::InvalidArgumentError(
        absl::StrCat("snapshot directory ", dir, " is not a directory"));
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("snapshot directory ", dir, " does not exist"));
  }
  return std::unique_ptr<SnapshotTransport>(
      new SnapshotTransport(std::move(dir), TrimBase(api_base)));
}

absl::StatusOr<HttpResponse> SnapshotTransport::Send(
    const HttpRequest& request) {
  const std::string key = SnapshotKey(request.url, api_base_);
  RELKIT_ASSIGN_OR_RETURN(SnapshotEntry entry,
                          ReadSnapshotEntry(dir_, request.method, key));
  HttpResponse response;
  response.status = entry.status;
  response.url = request.url;
  response.body = std::move(entry.body);
  for (const auto& [name, value] : entry.headers.fields()) {
    if (absl::EqualsIgnoreCase(name, "link")) {
      response.headers.Add(
          name, RewriteLinkUrls(value, [&](absl::string_view u) {
            return IsAbsoluteUrl(u) ? std::string(u)
                                    : absl::StrCat(api_base_, "/", u);
          }));
    } else {
      response.headers.Add(name, value);
    }
  }
  return response;
}

absl::StatusOr<HttpResponse> RecordingTransport::Send(
    const HttpRequest& request) {
  HttpRequest unconditional = request;
  unconditional.headers.Remove("If-None-Match");
  unconditional.headers.Remove("If-Modified-Since");
  RELKIT_ASSIGN_OR_RETURN(HttpResponse response, live_->Send(unconditional));
  // Snapshots are committed: a server that echoes the credential (in an
  // error body, a header, a Link URL that the next request then carries)
  // must not put it into one.
  const std::string secret = Credential(request.headers);
  auto redact = [&](absl::string_view text) {
    if (secret.empty()) return std::string(text);
    return absl::StrReplaceAll(text, {{secret, "***"}});
  };
  SnapshotEntry entry;
  entry.key = redact(SnapshotKey(request.url, api_base_));
  entry.method = request.method;
  entry.status = response.status;
  entry.body = redact(response.body);
  const std::string base = TrimBase(api_base_);
  for (const auto& [name, value] : response.headers.fields()) {
    if (absl::EqualsIgnoreCase(name, "link")) {
      entry.headers.Add("link",
                        redact(RewriteLinkUrls(value, [&](absl::string_view u) {
                          return absl::StartsWith(u, base + "/")
                                     ? std::string(u.substr(base.size() + 1))
                                     : std::string(u);
                        })));
    } else {
      entry.headers.Add(absl::AsciiStrToLower(name), redact(value));
    }
  }
  absl::Status saved = WriteSnapshotEntry(dir_, entry);
  if (!saved.ok()) {
    // A local error, not a network one: the caller must not retry it (a
    // retry costs a request and rate limit, and fails the same way). Aborted
    // is never retried, and is still an output that could not be written
    // (the CLI's exit status 3), like every other failed write.
    return absl::AbortedError(
        absl::StrCat(request.method, " ", redact(RedactUrl(request.url)),
                     ": received, but not recorded: ", saved.message()));
  }
  return response;
}

}  // namespace relkit
