#include "relkit/local_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "internal/fd.h"
#include "internal/json.h"
#include "relkit/files.h"
#include "relkit/status.h"

namespace relkit {
namespace {

namespace fs = std::filesystem;

constexpr absl::string_view kMetaDir = ".relkit-meta";
constexpr absl::string_view kTempMarker = ".relkit-tmp-";

// `status` with `what` (the store and the key) in front of its message.
absl::Status Annotate(const absl::Status& status, absl::string_view what) {
  return absl::Status(status.code(),
                      absl::StrCat(what, ": ", status.message()));
}

using internal::Fd;

absl::Status Errno(int error, absl::string_view what) {
  return absl::Status(absl::ErrnoToStatusCode(error),
                      absl::StrCat(what, ": ", std::strerror(error)));
}

std::string TagOf(const struct stat& st) {
  const int64_t ns =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return absl::StrCat(absl::Hex(st.st_size), "-", absl::Hex(ns));
}

// Copies the file `from` into a new temporary file beside `to`, flushed to
// disk but not yet in place: the caller commits it (or drops it, which
// removes it).
absl::StatusOr<AtomicFileWriter> CopyToTemporary(const std::string& from,
                                                 const std::string& to,
                                                 absl::string_view what) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) {
    return Errno(errno, absl::StrCat(what, ": cannot open ", from));
  }
  absl::StatusOr<AtomicFileWriter> out = AtomicFileWriter::Create(to);
  if (!out.ok()) return Annotate(out.status(), what);
  std::vector<char> buffer(size_t{1} << 20);
  while (true) {
    const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno(errno, absl::StrCat(what, ": cannot read ", from));
    }
    if (n == 0) break;
    absl::Status appended =
        out->Append(absl::string_view(buffer.data(), static_cast<size_t>(n)));
    if (!appended.ok()) return Annotate(appended, what);
  }
  if (absl::Status s = out->Finish(); !s.ok()) return Annotate(s, what);
  return out;
}

struct Sidecar {
  std::string etag;
  std::string content_type;
  ObjectAcl acl = ObjectAcl::kDefault;
  ObjectMetadata metadata;
};

std::string WriteSidecar(const Sidecar& s) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  auto str = [&](absl::string_view v) {
    return rapidjson::Value(v.data(),
                            static_cast<rapidjson::SizeType>(v.size()), a);
  };
  doc.AddMember("etag", str(s.etag), a);
  doc.AddMember("content_type", str(s.content_type), a);
  doc.AddMember("acl", str(ObjectAclName(s.acl)), a);
  rapidjson::Value meta(rapidjson::kObjectType);
  for (const auto& [k, v] : s.metadata) meta.AddMember(str(k), str(v), a);
  doc.AddMember("metadata", meta, a);
  return internal::WriteJson(doc, /*pretty=*/true) + "\n";
}

// Reads a sidecar; returns nullopt for a missing or unreadable one (an
// object written by another tool has none).
std::optional<Sidecar> ReadSidecar(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return std::nullopt;
  absl::StatusOr<rapidjson::Document> doc = internal::ParseJson(*text, path);
  if (!doc.ok() || !doc->IsObject()) return std::nullopt;
  Sidecar s;
  auto get = [&](const char* name) -> std::string {
    auto it = doc->FindMember(name);
    if (it == doc->MemberEnd() || !it->value.IsString()) return "";
    return std::string(it->value.GetString(), it->value.GetStringLength());
  };
  s.etag = get("etag");
  s.content_type = get("content_type");
  s.acl = get("acl") == "public-read" ? ObjectAcl::kPublicRead
                                      : ObjectAcl::kDefault;
  auto meta = doc->FindMember("metadata");
  if (meta != doc->MemberEnd() && meta->value.IsObject()) {
    for (const auto& m : meta->value.GetObject()) {
      if (!m.value.IsString()) continue;
      s.metadata[std::string(m.name.GetString(), m.name.GetStringLength())] =
          std::string(m.value.GetString(), m.value.GetStringLength());
    }
  }
  return s;
}

}  // namespace

absl::StatusOr<LocalStore> LocalStore::Open(const std::string& directory) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec && ec != std::errc::file_exists) {
    return Errno(ec.value(),
                 absl::StrCat("cannot create the store folder ", directory));
  }
  if (!fs::is_directory(directory, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("store folder ", directory, " is not a directory"));
  }
  return LocalStore(fs::absolute(directory, ec).lexically_normal().string());
}

std::string LocalStore::Describe() const {
  return absl::StrCat("file://", directory_);
}

absl::StatusOr<ObjectPage> LocalStore::List(const ListOptions& options) {
  if (options.max_keys <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        Describe(), ": max_keys must be positive, not ", options.max_keys));
  }
  std::vector<std::string> keys;
  std::error_code ec;
  const fs::path root(directory_);
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path rel = it->path().lexically_relative(root);
    if (it.depth() == 0 && rel.string() == kMetaDir) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    if (absl::StrContains(it->path().filename().string(), kTempMarker)) {
      continue;
    }
    std::string key = rel.generic_string();
    if (!absl::StartsWith(key, options.prefix)) continue;
    if (!options.continuation_token.empty() &&
        key <= options.continuation_token) {
      continue;
    }
    keys.push_back(std::move(key));
  }
  if (ec) {
    return Errno(ec.value(), absl::StrCat(Describe(), ": cannot list \"",
                                          options.prefix, "\""));
  }
  std::sort(keys.begin(), keys.end());
  ObjectPage page;
  for (const std::string& key : keys) {
    if (page.objects.size() == static_cast<size_t>(options.max_keys)) {
      page.next_token = page.objects.back().key;
      break;
    }
    struct stat st;
    if (::stat((root / key).c_str(), &st) != 0) continue;  // removed meanwhile
    page.objects.push_back({.key = key,
                            .size = static_cast<uint64_t>(st.st_size),
                            .etag = TagOf(st)});
  }
  return page;
}

absl::StatusOr<ObjectInfo> LocalStore::Head(absl::string_view key) {
  RELKIT_RETURN_IF_ERROR(ValidateObjectKey(key));
  const std::string path = absl::StrCat(directory_, "/", key);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrCat(Describe(), ": no object \"", key, "\""));
    }
    return Errno(error,
                 absl::StrCat(Describe(), ": cannot read \"", key, "\""));
  }
  if (!S_ISREG(st.st_mode)) {  // a folder of other keys is no object
    return absl::NotFoundError(
        absl::StrCat(Describe(), ": no object \"", key, "\""));
  }
  ObjectInfo info{.key = std::string(key),
                  .size = static_cast<uint64_t>(st.st_size),
                  .etag = TagOf(st),
                  .content_type = "application/octet-stream"};
  std::optional<Sidecar> sidecar =
      ReadSidecar(absl::StrCat(directory_, "/", kMetaDir, "/", key, ".json"));
  if (sidecar.has_value() && sidecar->etag == info.etag) {
    info.content_type = sidecar->content_type;
    info.metadata = sidecar->metadata;
  }
  return info;
}

absl::Status LocalStore::Get(absl::string_view key, const std::string& path) {
  RELKIT_RETURN_IF_ERROR(Head(key).status());
  const std::string what = absl::StrCat(Describe(), ": get \"", key, "\"");
  RELKIT_ASSIGN_OR_RETURN(
      AtomicFileWriter out,
      CopyToTemporary(absl::StrCat(directory_, "/", key), path, what));
  if (absl::Status s = out.Commit(); !s.ok()) return Annotate(s, what);
  return absl::OkStatus();
}

absl::StatusOr<ObjectInfo> LocalStore::Write(absl::string_view key,
                                             const std::string& from,
                                             const std::string& content_type,
                                             ObjectAcl acl,
                                             const ObjectMetadata& metadata) {
  RELKIT_RETURN_IF_ERROR(ValidateObjectKey(key));
  // Names the store keeps for itself would vanish from listings.
  if (absl::StartsWith(key, absl::StrCat(kMetaDir, "/")) ||
      absl::StrContains(key, kTempMarker)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Describe(), ": key \"", key, "\" uses the store's own ",
                     kMetaDir, "/ or ", kTempMarker, " names"));
  }
  const std::string what = absl::StrCat(Describe(), ": write \"", key, "\"");
  const std::string target = absl::StrCat(directory_, "/", key);
  RELKIT_ASSIGN_OR_RETURN(AtomicFileWriter out,
                          CopyToTemporary(from, target, what));
  struct stat st;
  if (::stat(out.temp_path().c_str(), &st) != 0) {
    return Errno(errno, absl::StrCat(what, ": cannot stat ", out.temp_path()));
  }
  // The sidecar first, naming the data it describes: a kill between the two
  // renames leaves a sidecar that matches no data, which Head ignores.
  Sidecar sidecar{TagOf(st), content_type, acl, metadata};
  RELKIT_RETURN_IF_ERROR(WriteFileAtomically(
      absl::StrCat(directory_, "/", kMetaDir, "/", key, ".json"),
      WriteSidecar(sidecar)));
  if (absl::Status s = out.Commit(); !s.ok()) return Annotate(s, what);
  return ObjectInfo{.key = std::string(key),
                    .size = static_cast<uint64_t>(st.st_size),
                    .etag = sidecar.etag,
                    .content_type = content_type,
                    .metadata = metadata};
}

absl::StatusOr<ObjectInfo> LocalStore::Put(absl::string_view key,
                                           const std::string& path,
                                           const PutOptions& options) {
  return Write(key, path, options.content_type, options.acl, options.metadata);
}

absl::Status LocalStore::Copy(absl::string_view source,
                              absl::string_view destination,
                              const CopyOptions& options) {
  RELKIT_RETURN_IF_ERROR(ValidateObjectKey(destination));
  RELKIT_ASSIGN_OR_RETURN(ObjectInfo from, Head(source));
  ObjectMetadata metadata = std::move(from.metadata);
  for (const auto& [name, value] : options.set_metadata) {
    metadata[name] = value;
  }
  return Write(destination, absl::StrCat(directory_, "/", source),
               from.content_type, options.acl, metadata)
      .status();
}

absl::StatusOr<LocalLocation> ParseLocalUrl(absl::string_view url) {
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "file://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", url, "\" is not a file://DIR[//PREFIX] URL"));
  }
  LocalLocation out;
  // The first "//" after the path's own leading "/" splits root and prefix.
  const size_t split =
      rest.empty() ? absl::string_view::npos : rest.find("//", 1);
  out.directory = std::string(rest.substr(0, split));
  if (split != absl::string_view::npos) {
    out.prefix = std::string(rest.substr(split + 2));
  }
  if (out.directory.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", url, "\": file:// needs a directory"));
  }
  return out;
}

}  // namespace relkit
