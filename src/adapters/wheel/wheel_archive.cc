#include "relkit/wheel_archive.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "internal/fd.h"
#include "relkit/files.h"
#include "relkit/sha256_digest.h"
#include "relkit/status.h"

namespace relkit {
namespace {

using internal::Fd;

// METADATA and RECORD are read whole (they are small text files); anything
// larger is a hostile or broken wheel, not a reason to allocate gigabytes.
constexpr uint64_t kMaxTextMember = uint64_t{64} << 20;
// Members are hashed through a buffer of this size: the most any member
// costs in memory, however large it is.
constexpr size_t kBlock = size_t{1} << 20;

std::string Quote(absl::string_view s) {
  return absl::StrCat("\"", absl::CHexEscape(s), "\"");
}

std::string BaseName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == absl::string_view::npos ? path
                                                      : path.substr(slash + 1));
}

std::string DirName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

absl::Status IoError(int error, absl::string_view what,
                     absl::string_view path) {
  const std::string message = absl::StrCat("cannot ", what, " ", Quote(path),
                                           ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::UnavailableError(message);
  }
}

// Maps a libzip error to a status: damaged or hostile archives are the
// caller's input (InvalidArgument), system errors are I/O (Unavailable,
// NotFound, PermissionDenied).
absl::Status ZipStatus(zip_error_t* error, absl::string_view what,
                       absl::string_view path) {
  const int code = zip_error_code_zip(error);
  const int sys = zip_error_code_system(error);
  const std::string message =
      absl::StrCat(what, " ", Quote(path), ": ", zip_error_strerror(error));
  switch (code) {
    case ZIP_ER_NOENT:
      // The callers have opened or stat'ed the file already: libzip says
      // "no such file" for an empty one, which is a broken wheel.
      if (sys == ENOENT) return absl::NotFoundError(message);
      return absl::InvalidArgumentError(message);
    case ZIP_ER_MEMORY:
      return absl::ResourceExhaustedError(message);
    case ZIP_ER_OPEN:
    case ZIP_ER_READ:
    case ZIP_ER_WRITE:
    case ZIP_ER_SEEK:
    case ZIP_ER_TELL:
    case ZIP_ER_CLOSE:
    case ZIP_ER_RENAME:
    case ZIP_ER_REMOVE:
    case ZIP_ER_TMPOPEN:
      // Only a real I/O errno makes it the machine's fault. libzip also
      // reports a short read at the end of a truncated file, or a seek to
      // an offset the archive made up, as read/seek errors with no (or a
      // stale) errno: the archive is at fault then.
      switch (sys) {
        case EACCES:
        case EPERM:
          return absl::PermissionDeniedError(message);
        case EIO:
        case ENOSPC:
        case EDQUOT:
        case EROFS:
        case EFBIG:
        case EMFILE:
        case ENFILE:
        case ENXIO:
        case ESTALE:
        case ETIMEDOUT:
        case EBUSY:
        case EAGAIN:
          return absl::UnavailableError(message);
        default:
          return absl::InvalidArgumentError(message);
      }

    case ZIP_ER_INTERNAL:
      return absl::InternalError(message);
    default:
      return absl::InvalidArgumentError(message);
  }
}

struct ZipDiscard {
  void operator()(zip_t* za) const { zip_discard(za); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;

struct ZipFileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Refuses a member name that would land outside the folder a wheel is
// unpacked into: absolute, a drive letter, or a `..` component (with either
// separator, since installers on Windows honour both).
absl::Status CheckMemberName(absl::string_view wheel, absl::string_view name) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "wheel ", Quote(wheel), ": member ", Quote(name), " ", why));
  };
  if (name.empty()) return bad("has an empty name");
  if (name[0] == '/' || name[0] == '\\') return bad("is an absolute path");
  if (name.size() >= 2 && name[1] == ':' && absl::ascii_isalpha(name[0])) {
    return bad("starts with a drive letter");
  }
  for (absl::string_view part : absl::StrSplit(name, absl::ByAnyChar("/\\"))) {
    if (part == "..") return bad("contains \"..\"");
  }
  return absl::OkStatus();
}

// The archive's member names, in order, checked.
absl::StatusOr<std::vector<std::string>> MemberNames(zip_t* za,
                                                     absl::string_view wheel) {
  const zip_int64_t n = zip_get_num_entries(za, 0);
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("wheel ", Quote(wheel), ": cannot count members"));
  }
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(n));
  absl::flat_hash_set<std::string> seen;
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr) {
      return ZipStatus(zip_get_error(za), "cannot read a member name of",
                       wheel);
    }
    RELKIT_RETURN_IF_ERROR(CheckMemberName(wheel, name));
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "wheel ", Quote(wheel), ": member ", Quote(name), " appears twice"));
    }
    names.push_back(name);
  }
  return names;
}

// Returns the one top-level `*.dist-info` folder.
absl::StatusOr<std::string> FindDistInfo(const std::vector<std::string>& names,
                                         absl::string_view wheel) {
  std::vector<std::string> found;
  for (const std::string& name : names) {
    const size_t slash = name.find('/');
    if (slash == std::string::npos) continue;
    absl::string_view top = absl::string_view(name).substr(0, slash);
    if (!absl::EndsWith(top, ".dist-info")) continue;
    if (std::find(found.begin(), found.end(), top) == found.end()) {
      found.emplace_back(top);
    }
  }
  if (found.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "wheel ", Quote(wheel), ": expected one .dist-info folder, found ",
        found.size(),
        found.empty() ? ""
                      : absl::StrCat(" (", absl::StrJoin(found, ", "), ")")));
  }
  return found[0];
}

// Calls `sink` with the member's uncompressed bytes, block by block.
template <typename Sink>
absl::Status StreamMember(zip_t* za, zip_uint64_t index,
                          absl::string_view wheel, absl::string_view name,
                          std::vector<char>& block, Sink&& sink) {
  ZipFilePtr file(zip_fopen_index(za, index, 0));
  if (file == nullptr) {
    return ZipStatus(zip_get_error(za),
                     absl::StrCat("cannot open member ", Quote(name), " of"),
                     wheel);
  }
  for (;;) {
    const zip_int64_t n = zip_fread(file.get(), block.data(), block.size());
    if (n < 0) {
      return ZipStatus(zip_file_get_error(file.get()),
                       absl::StrCat("cannot read member ", Quote(name), " of"),
                       wheel);
    }
    if (n == 0) break;
    RELKIT_RETURN_IF_ERROR(
        sink(absl::string_view(block.data(), static_cast<size_t>(n))));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadTextMember(zip_t* za, zip_uint64_t index,
                                           absl::string_view wheel,
                                           absl::string_view name) {
  std::string text;
  std::vector<char> block(64 << 10);
  RELKIT_RETURN_IF_ERROR(
      StreamMember(za, index, wheel, name, block, [&](absl::string_view data) {
        if (text.size() + data.size() > kMaxTextMember) {
          return absl::InvalidArgumentError(
              absl::StrCat("wheel ", Quote(wheel), ": member ", Quote(name),
                           " is larger than ", kMaxTextMember, " bytes"));
        }
        text.append(data.data(), data.size());
        return absl::OkStatus();
      }));
  return text;
}

absl::StatusOr<zip_uint64_t> IndexOf(const std::vector<std::string>& names,
                                     absl::string_view name,
                                     absl::string_view wheel) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<zip_uint64_t>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("wheel ", Quote(wheel), ": no member ", Quote(name)));
}

// Returns `base` with `%2B` (or `%2b`) decoded to `+`: the one escape a
// wheel name taken from an index URL carries (in its version).
std::string DecodePlus(absl::string_view base) {
  std::string out;
  out.reserve(base.size());
  for (size_t i = 0; i < base.size(); ++i) {
    if (base[i] == '%' && i + 2 < base.size() && base[i + 1] == '2' &&
        (base[i + 2] == 'B' || base[i + 2] == 'b')) {
      out.push_back('+');
      i += 2;
    } else {
      out.push_back(base[i]);
    }
  }
  return out;
}

// What ReadWheel returns, plus the member names and the indexes of
// METADATA and RECORD, which the rewrite needs.
struct Loaded {
  WheelContents contents;
  std::vector<std::string> names;
  zip_uint64_t metadata_index = 0;
  zip_uint64_t record_index = 0;
};

absl::StatusOr<Loaded> Load(zip_t* za, const std::string& path,
                            uint64_t file_size) {
  Loaded out;
  const std::string base = DecodePlus(BaseName(path));
  RELKIT_ASSIGN_OR_RETURN(out.contents.filename, WheelFilename::Parse(base));
  RELKIT_ASSIGN_OR_RETURN(out.names, MemberNames(za, path));
  RELKIT_ASSIGN_OR_RETURN(out.contents.dist_info,
                          FindDistInfo(out.names, path));
  const std::string metadata_name = out.contents.dist_info + "/METADATA";
  const std::string record_name = out.contents.dist_info + "/RECORD";
  RELKIT_ASSIGN_OR_RETURN(out.metadata_index,
                          IndexOf(out.names, metadata_name, path));
  RELKIT_ASSIGN_OR_RETURN(out.record_index,
                          IndexOf(out.names, record_name, path));
  RELKIT_ASSIGN_OR_RETURN(
      out.contents.metadata_text,
      ReadTextMember(za, out.metadata_index, path, metadata_name));
  const std::string source = absl::StrCat(path, "!", metadata_name);
  RELKIT_ASSIGN_OR_RETURN(
      out.contents.metadata,
      CoreMetadata::Parse(out.contents.metadata_text, source));
  RELKIT_ASSIGN_OR_RETURN(
      std::string record_text,
      ReadTextMember(za, out.record_index, path, record_name));
  RELKIT_ASSIGN_OR_RETURN(
      out.contents.record,
      ParseRecord(record_text, absl::StrCat(path, "!", record_name)));
  out.contents.size = file_size;
  out.contents.member_count = out.names.size();
  return out;
}

absl::StatusOr<uint64_t> FileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return IoError(errno, "read", path);
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", Quote(path), ": is a directory"));
  }
  return static_cast<uint64_t>(st.st_size);
}

absl::StatusOr<ZipPtr> OpenReadOnly(const std::string& path) {
  int code = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (za == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    // zip_open reports the system error of an open failure only through
    // errno; stat gives the clearer message for a missing file.
    absl::Status status = ZipStatus(&error, "cannot open wheel", path);
    zip_error_fini(&error);
    return status;
  }
  return ZipPtr(za);
}

// The hash algorithms a RECORD may use (PEP 427: sha256 or stronger).
const EVP_MD* RecordDigest(absl::string_view algorithm) {
  if (algorithm == "sha256") return EVP_sha256();
  if (algorithm == "sha384") return EVP_sha384();
  if (algorithm == "sha512") return EVP_sha512();
  return nullptr;
}

bool IsUrlsafeBase64(absl::string_view s) {
  for (const char c : s) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

bool IsSignature(absl::string_view dist_info, absl::string_view name) {
  return name == absl::StrCat(dist_info, "/RECORD") ||
         name == absl::StrCat(dist_info, "/RECORD.jws") ||
         name == absl::StrCat(dist_info, "/RECORD.p7s");
}

// -----------------------------------------------------------------------------
// The rewrite's archive source: reads the input wheel, writes a temporary
// file in the output folder.
//
// libzip's own file source writes `<path>.XXXXXX` and renames it over the
// archive it read, without fsync. Neither fits: the rewrite must not touch
// the input, and relkit's atomic write flushes the bytes to disk before the
// rename so that a crash never leaves a named but empty wheel. So the
// archive is opened from this source: reads come from the input, writes go
// to `.<name>.relkit-tmp-<pid>-<n>` beside the output (the same hidden name
// relkit/files.h uses), COMMIT_WRITE fsyncs it, and RewriteWheel renames it
// into place only after zip_close succeeded. ROLLBACK_WRITE, or this object
// going away first, removes the temporary.
class RewriteSource {
 public:
  RewriteSource(int in_fd, uint64_t in_size, time_t in_mtime,
                std::string temp_path)
      : in_fd_(in_fd),
        in_size_(in_size),
        in_mtime_(in_mtime),
        temp_path_(std::move(temp_path)) {
    zip_error_init(&error_);
  }
  ~RewriteSource() {
    if (out_fd_ >= 0) ::close(out_fd_);
    if (temp_created_ && !kept_) ::unlink(temp_path_.c_str());
    zip_error_fini(&error_);
  }
  RewriteSource(const RewriteSource&) = delete;
  RewriteSource& operator=(const RewriteSource&) = delete;

  static zip_int64_t Callback(void* userdata, void* data, zip_uint64_t len,
                              zip_source_cmd_t cmd) {
    return static_cast<RewriteSource*>(userdata)->Handle(data, len, cmd);
  }

  // The temporary holds the whole new wheel, flushed to disk.
  bool committed() const { return committed_; }
  const std::string& temp_path() const { return temp_path_; }
  // Called once the temporary has been renamed into place.
  void Keep() { kept_ = true; }
  // The first errno of a failed read, write, flush or create of ours: an
  // error of the machine (full disk, unwritable folder), as opposed to one
  // of the archive's data.
  int system_errno() const { return system_errno_; }

 private:
  zip_int64_t Fail(int zip_error, int sys_error) {
    zip_error_set(&error_, zip_error, sys_error);
    if (sys_error != 0 && system_errno_ == 0) system_errno_ = sys_error;
    return -1;
  }

  zip_int64_t Handle(void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    switch (cmd) {
      case ZIP_SOURCE_OPEN:
        read_offset_ = 0;
        return 0;
      case ZIP_SOURCE_READ: {
        if (read_offset_ >= in_size_) return 0;
        const uint64_t want = std::min<uint64_t>(len, in_size_ - read_offset_);
        ssize_t n;
        do {
          n = ::pread(in_fd_, data, want, static_cast<off_t>(read_offset_));
        } while (n < 0 && errno == EINTR);
        if (n < 0) return Fail(ZIP_ER_READ, errno);
        read_offset_ += static_cast<uint64_t>(n);
        return n;
      }
      case ZIP_SOURCE_CLOSE:
        return 0;
      case ZIP_SOURCE_STAT: {
        zip_stat_t* st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &error_);
        if (st == nullptr) return -1;
        zip_stat_init(st);
        st->size = in_size_;
        st->mtime = in_mtime_;
        st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
        return sizeof(*st);
      }
      case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&error_, data, len);
      case ZIP_SOURCE_FREE:
        return 0;
      case ZIP_SOURCE_SEEK: {
        const zip_int64_t off = zip_source_seek_compute_offset(
            read_offset_, in_size_, data, len, &error_);
        if (off < 0) return -1;
        read_offset_ = static_cast<uint64_t>(off);
        return 0;
      }
      case ZIP_SOURCE_TELL:
        return static_cast<zip_int64_t>(read_offset_);
      case ZIP_SOURCE_BEGIN_WRITE:
        return BeginWrite();
      case ZIP_SOURCE_WRITE:
        return Write(data, len);
      case ZIP_SOURCE_SEEK_WRITE: {
        if (Flush() < 0) return -1;
        const zip_int64_t off = zip_source_seek_compute_offset(
            write_offset_, write_end_, data, len, &error_);
        if (off < 0) return -1;
        write_offset_ = static_cast<uint64_t>(off);
        return 0;
      }
      case ZIP_SOURCE_TELL_WRITE:
        return static_cast<zip_int64_t>(write_offset_ + buffer_.size());
      case ZIP_SOURCE_COMMIT_WRITE:
        return CommitWrite();
      case ZIP_SOURCE_ROLLBACK_WRITE:
        RollbackWrite();
        return 0;
      case ZIP_SOURCE_REMOVE:
        // Only asked for when every member was deleted; the rewrite deletes
        // none, so there is nothing of ours to remove.
        return 0;
      case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_WRITABLE;
      default:
        return Fail(ZIP_ER_OPNOTSUPP, 0);
    }
  }

  zip_int64_t BeginWrite() {
    out_fd_ = ::open(temp_path_.c_str(),
                     O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0666);
    if (out_fd_ < 0) return Fail(ZIP_ER_TMPOPEN, errno);
    temp_created_ = true;
    write_offset_ = write_end_ = 0;
    buffer_.clear();
    buffer_.reserve(kBlock);
    return 0;
  }

  // Writes are gathered into one block: libzip copies members 8 KiB at a
  // time, and a system call per 8 KiB would dominate a 1 GB copy.
  zip_int64_t Write(const void* data, zip_uint64_t len) {
    const char* p = static_cast<const char*>(data);
    if (buffer_.size() + len > kBlock && Flush() < 0) return -1;
    if (len >= kBlock) {
      if (WriteAll(p, len) < 0) return -1;
      return static_cast<zip_int64_t>(len);
    }
    buffer_.insert(buffer_.end(), p, p + len);
    return static_cast<zip_int64_t>(len);
  }

  zip_int64_t Flush() {
    if (buffer_.empty()) return 0;
    const zip_int64_t rc = WriteAll(buffer_.data(), buffer_.size());
    buffer_.clear();
    return rc;
  }

  zip_int64_t WriteAll(const char* p, size_t len) {
    while (len > 0) {
      const ssize_t n =
          ::pwrite(out_fd_, p, len, static_cast<off_t>(write_offset_));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(ZIP_ER_WRITE, errno);
      }
      p += n;
      len -= static_cast<size_t>(n);
      write_offset_ += static_cast<uint64_t>(n);
      write_end_ = std::max(write_end_, write_offset_);
    }
    return 0;
  }

  zip_int64_t CommitWrite() {
    if (Flush() < 0) return -1;
    if (::ftruncate(out_fd_, static_cast<off_t>(write_end_)) != 0 ||
        ::fsync(out_fd_) != 0) {
      return Fail(ZIP_ER_WRITE, errno);
    }
    const int rc = ::close(out_fd_);
    out_fd_ = -1;
    if (rc != 0) return Fail(ZIP_ER_CLOSE, errno);
    committed_ = true;
    return 0;
  }

  void RollbackWrite() {
    if (out_fd_ >= 0) ::close(out_fd_);
    out_fd_ = -1;
    buffer_.clear();
    if (temp_created_) ::unlink(temp_path_.c_str());
    temp_created_ = false;
    committed_ = false;
  }

  int in_fd_;
  uint64_t in_size_;
  time_t in_mtime_;
  std::string temp_path_;
  zip_error_t error_;
  uint64_t read_offset_ = 0;
  int out_fd_ = -1;
  uint64_t write_offset_ = 0;
  uint64_t write_end_ = 0;
  std::vector<char> buffer_;
  bool temp_created_ = false;
  bool committed_ = false;
  bool kept_ = false;
  int system_errno_ = 0;
};

std::string TempPathFor(const std::string& dir, const std::string& name) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat(dir, "/.", name, ".relkit-tmp-", ::getpid(), "-",
                      counter.fetch_add(1));
}

// Returns `version` without its local label ("2.4.0+cu121" -> "2.4.0"),
// keeping the spelling of the rest.
std::string StripLocal(absl::string_view version) {
  return std::string(version.substr(0, version.find('+')));
}

// The output name: the input's base name (decoded) with the version part's
// local label dropped, every other part kept as written.
std::string BareFileName(absl::string_view base) {
  std::vector<std::string> parts = absl::StrSplit(DecodePlus(base), '-');
  if (parts.size() < 2) return std::string(base);
  parts[1] = StripLocal(parts[1]);
  return absl::StrJoin(parts, "-");
}

// Renames `name` when it is under the folder `from` ("x.dist-info").
std::optional<std::string> Renamed(absl::string_view name,
                                   absl::string_view from,
                                   absl::string_view to) {
  if (from == to || from.empty()) return std::nullopt;
  if (name.size() > from.size() && absl::StartsWith(name, from) &&
      name[from.size()] == '/') {
    return absl::StrCat(to, name.substr(from.size()));
  }
  return std::nullopt;
}

// Removes the temporaries of earlier rewrites of the same output that were
// killed before they could clean up (`.<name>.relkit-tmp-<pid>-<n>` whose
// process is gone), so that rerunning after a kill leaves the folder as a
// run that was never interrupted. A live process's temporary is left alone.
void RemoveStaleTemporaries(const std::string& dir, const std::string& name) {
  const std::string prefix = absl::StrCat(".", name, ".relkit-tmp-");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (!absl::StartsWith(file, prefix)) continue;
    const absl::string_view rest =
        absl::string_view(file).substr(prefix.size());
    const size_t dash = rest.find('-');
    int pid = 0;
    if (dash == absl::string_view::npos ||
        !absl::SimpleAtoi(rest.substr(0, dash), &pid) || pid <= 0) {
      continue;
    }
    if (pid == ::getpid()) continue;
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

absl::Status SyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());  // best effort, as files.cc
  return absl::OkStatus();
}

absl::StatusOr<WheelRewrite> CopyUnchanged(const std::string& path,
                                           const std::string& out_path,
                                           WheelRewrite result) {
  struct stat in_st, out_st;
  const bool same = ::stat(path.c_str(), &in_st) == 0 &&
                    ::stat(out_path.c_str(), &out_st) == 0 &&
                    in_st.st_dev == out_st.st_dev &&
                    in_st.st_ino == out_st.st_ino;
  if (!same) {
    Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) return IoError(errno, "read", path);
    RELKIT_ASSIGN_OR_RETURN(AtomicFileWriter out,
                            AtomicFileWriter::Create(out_path));
    std::vector<char> block(kBlock);
    for (;;) {
      const ssize_t n = ::read(in.get(), block.data(), block.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError(errno, "read", path);
      }
      if (n == 0) break;
      RELKIT_RETURN_IF_ERROR(
          out.Append(absl::string_view(block.data(), static_cast<size_t>(n))));
    }
    RELKIT_RETURN_IF_ERROR(out.Commit());
  }
  RELKIT_ASSIGN_OR_RETURN(result.size, FileSize(out_path));
  RELKIT_ASSIGN_OR_RETURN(result.sha256, Sha256OfFile(out_path));
  return result;
}

}  // namespace

absl::StatusOr<WheelContents> ReadWheel(const std::string& path) {
  RELKIT_ASSIGN_OR_RETURN(const uint64_t size, FileSize(path));
  RELKIT_ASSIGN_OR_RETURN(ZipPtr za, OpenReadOnly(path));
  RELKIT_ASSIGN_OR_RETURN(Loaded loaded, Load(za.get(), path, size));
  return std::move(loaded.contents);
}

absl::StatusOr<RecordCheck> VerifyWheelRecord(const std::string& path) {
  RELKIT_ASSIGN_OR_RETURN(const uint64_t size, FileSize(path));
  RELKIT_ASSIGN_OR_RETURN(ZipPtr za, OpenReadOnly(path));
  RELKIT_ASSIGN_OR_RETURN(Loaded loaded, Load(za.get(), path, size));
  const std::string& dist_info = loaded.contents.dist_info;

  absl::flat_hash_map<std::string, const RecordEntry*> rows;
  for (const RecordEntry& e : loaded.contents.record) rows.emplace(e.path, &e);

  RecordCheck check;
  std::vector<char> block(kBlock);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) return absl::ResourceExhaustedError("EVP_MD_CTX_new");
  for (size_t i = 0; i < loaded.names.size(); ++i) {
    const std::string& name = loaded.names[i];
    // Folders have no bytes and no RECORD row (wheel and pip skip them).
    if (absl::EndsWith(name, "/")) continue;
    if (IsSignature(dist_info, name)) continue;
    auto it = rows.find(name);
    if (it == rows.end()) {
      check.problems.push_back({name, "missing from RECORD"});
      continue;
    }
    const RecordEntry& row = *it->second;
    if (row.hash.empty()) {
      check.problems.push_back({name, "no hash"});
      continue;
    }
    const size_t eq = row.hash.find('=');
    const EVP_MD* md = eq == std::string::npos
                           ? nullptr
                           : RecordDigest(row.hash.substr(0, eq));
    const absl::string_view expected =
        eq == std::string::npos ? ""
                                : absl::string_view(row.hash).substr(eq + 1);
    const size_t digest_size = md == nullptr ? 0 : EVP_MD_size(md);
    const size_t b64_size = (digest_size * 4 + 2) / 3;
    if (md == nullptr || expected.size() != b64_size ||
        !IsUrlsafeBase64(expected)) {
      check.problems.push_back({name, "bad hash"});
      continue;
    }
    if (EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
      return absl::InternalError("cannot start a digest");
    }
    uint64_t actual_size = 0;
    RELKIT_RETURN_IF_ERROR(
        StreamMember(za.get(), i, path, name, block, [&](absl::string_view d) {
          EVP_DigestUpdate(ctx.get(), d.data(), d.size());
          actual_size += d.size();
          return absl::OkStatus();
        }));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &digest_length);
    ++check.members_checked;
    const std::string actual = absl::WebSafeBase64Escape(absl::string_view(
        reinterpret_cast<const char*>(digest), digest_length));
    if (actual != expected) {
      check.problems.push_back({name, "hash mismatch"});
    } else if (!row.size.has_value()) {
      check.problems.push_back({name, "no size"});
    } else if (*row.size != actual_size) {
      check.problems.push_back({name, "size mismatch"});
    }
  }
  absl::flat_hash_set<absl::string_view> members(loaded.names.begin(),
                                                 loaded.names.end());
  for (const RecordEntry& e : loaded.contents.record) {
    if (!members.contains(e.path)) {
      check.problems.push_back(
          {e.path, "listed in RECORD but not in the archive"});
    }
  }
  return check;
}

absl::StatusOr<WheelRewrite> RewriteWheel(const std::string& path,
                                          const std::string& out_dir,
                                          const WheelRewriteOptions& options) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return IoError(errno, "read", path);
  struct stat in_st;
  if (::fstat(in.get(), &in_st) != 0) return IoError(errno, "read", path);
  if (S_ISDIR(in_st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", Quote(path), ": is a directory"));
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return IoError(ec.value(), "create the folder", out_dir);

  const std::string base = BaseName(path);
  const std::string file_name = BareFileName(base);
  const std::string out_path = absl::StrCat(out_dir, "/", file_name);
  RemoveStaleTemporaries(out_dir, file_name);
  auto source = std::make_unique<RewriteSource>(
      in.get(), static_cast<uint64_t>(in_st.st_size), in_st.st_mtime,
      TempPathFor(out_dir, file_name));

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_function_create(&RewriteSource::Callback,
                                                 source.get(), &error);
  if (src == nullptr) {
    absl::Status s = ZipStatus(&error, "cannot read wheel", path);
    zip_error_fini(&error);
    return s;
  }
  ZipPtr za(zip_open_from_source(src, 0, &error));
  if (za == nullptr) {
    zip_source_free(src);
    absl::Status s = ZipStatus(&error, "cannot open wheel", path);
    zip_error_fini(&error);
    return s;
  }
  zip_error_fini(&error);

  RELKIT_ASSIGN_OR_RETURN(
      Loaded loaded,
      Load(za.get(), path, static_cast<uint64_t>(in_st.st_size)));
  const WheelContents& w = loaded.contents;
  const std::string metadata_name = w.dist_info + "/METADATA";
  const std::optional<std::string> version_text = w.metadata.Get("Version");
  if (!version_text.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "wheel ", Quote(path), ": ", metadata_name, " has no Version field"));
  }
  const std::string old_text(absl::StripAsciiWhitespace(*version_text));
  const std::string new_text = StripLocal(old_text);

  WheelRewrite result;
  result.input_path = path;
  result.file_name = file_name;
  result.output_path = out_path;
  RELKIT_ASSIGN_OR_RETURN(result.old_version, Version::Parse(old_text));
  RELKIT_ASSIGN_OR_RETURN(result.new_version, Version::Parse(new_text));
  for (const std::string& c : w.metadata.GetAll("Classifier")) {
    const absl::string_view value = absl::StripAsciiWhitespace(c);
    for (const std::string& r : options.remove_classifiers) {
      if (value == absl::StripAsciiWhitespace(r) &&
          std::find(result.removed_classifiers.begin(),
                    result.removed_classifiers.end(),
                    value) == result.removed_classifiers.end()) {
        result.removed_classifiers.emplace_back(value);
      }
    }
  }

  // The dist-info folder's name spells the version its own way (escaped,
  // perhaps normalised), so its local label is cut from its own text.
  const std::string old_dist_info = w.dist_info;
  const absl::string_view stem =
      absl::string_view(old_dist_info)
          .substr(0, old_dist_info.size() - sizeof(".dist-info") + 1);
  const size_t dash = stem.rfind('-');
  const std::string new_stem =
      dash == absl::string_view::npos
          ? std::string(stem)
          : absl::StrCat(stem.substr(0, dash + 1),
                         StripLocal(stem.substr(dash + 1)));
  const std::string new_dist_info = absl::StrCat(new_stem, ".dist-info");
  // The three spellings of the version (file name, .dist-info folder,
  // METADATA) must agree once the local label is gone: the output is named
  // after the first and installers check it against the others, so a
  // mismatch would make a wheel pip refuses.
  {
    const Version bare_metadata = result.new_version;
    auto agrees = [&](absl::string_view spelled) {
      absl::StatusOr<Version> v = Version::Parse(StripLocal(spelled));
      return v.ok() && *v == bare_metadata;
    };
    if (!agrees(w.filename.version().PublicVersion())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "wheel ", Quote(path), ": the file name's version ",
          w.filename.version().ToString(), " is not METADATA's Version ",
          old_text, " (less the local label)"));
    }
    if (dash == absl::string_view::npos || !agrees(stem.substr(dash + 1))) {
      return absl::InvalidArgumentError(
          absl::StrCat("wheel ", Quote(path), ": the folder ", old_dist_info,
                       " does not name METADATA's Version ", old_text));
    }
  }
  const std::string old_data = absl::StrCat(stem, ".data");
  const std::string new_data = absl::StrCat(new_stem, ".data");

  const bool version_changes = old_text != new_text;
  if (!version_changes && old_dist_info == new_dist_info && file_name == base &&
      result.removed_classifiers.empty()) {
    za.reset();
    result.unchanged = true;
    result.copied_members = w.member_count;
    return CopyUnchanged(path, out_path, std::move(result));
  }

  // Members under the renamed folders keep their bytes: libzip copies the
  // data of an entry whose only change is its name.
  auto rename = [&](absl::string_view name) -> std::string {
    if (auto r = Renamed(name, old_dist_info, new_dist_info)) return *r;
    if (auto r = Renamed(name, old_data, new_data)) return *r;
    return std::string(name);
  };
  for (size_t i = 0; i < loaded.names.size(); ++i) {
    const std::string to = rename(loaded.names[i]);
    if (to == loaded.names[i]) continue;
    if (zip_file_rename(za.get(), i, to.c_str(), ZIP_FL_ENC_GUESS) != 0) {
      return ZipStatus(
          zip_get_error(za.get()),
          absl::StrCat("cannot rename member ", Quote(loaded.names[i]), " to ",
                       Quote(to), " in"),
          path);
    }
  }

  RELKIT_ASSIGN_OR_RETURN(
      const std::string new_metadata,
      EditCoreMetadata(w.metadata_text, absl::StrCat(path, "!", metadata_name),
                       new_text, result.removed_classifiers));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  EVP_Digest(new_metadata.data(), new_metadata.size(), digest, &digest_length,
             EVP_sha256(), nullptr);
  const std::string metadata_hash = RecordHashFromDigest(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_length));

  const std::string new_metadata_name = rename(metadata_name);
  const std::string new_record_name = rename(w.dist_info + "/RECORD");
  std::vector<RecordEntry> record;
  record.reserve(w.record.size() + 2);
  bool has_metadata = false, has_record = false;
  for (const RecordEntry& e : w.record) {
    RecordEntry row = e;
    row.path = rename(e.path);
    if (e.path == metadata_name) {
      row.hash = metadata_hash;
      row.size = new_metadata.size();
      has_metadata = true;
    } else if (e.path == w.dist_info + "/RECORD") {
      row.hash.clear();
      row.size.reset();
      has_record = true;
    }
    record.push_back(std::move(row));
  }
  if (!has_metadata) {
    record.push_back({new_metadata_name, metadata_hash, new_metadata.size()});
  }
  if (!has_record) record.push_back({new_record_name, "", std::nullopt});
  const std::string new_record = FormatRecord(record);

  // The new texts replace the old members in place: same position, same
  // external attributes; the times are set back to the originals.
  auto replace = [&](zip_uint64_t index, const std::string& text,
                     absl::string_view name) -> absl::Status {
    zip_stat_t st;
    zip_stat_init(&st);
    const bool have_time = zip_stat_index(za.get(), index, 0, &st) == 0 &&
                           (st.valid & ZIP_STAT_MTIME) != 0;
    zip_source_t* data =
        zip_source_buffer(za.get(), text.data(), text.size(), 0);
    if (data == nullptr || zip_file_replace(za.get(), index, data, 0) != 0) {
      if (data != nullptr) zip_source_free(data);
      return ZipStatus(zip_get_error(za.get()),
                       absl::StrCat("cannot replace ", Quote(name), " in"),
                       path);
    }
    if (have_time) zip_file_set_mtime(za.get(), index, st.mtime, 0);
    return absl::OkStatus();
  };
  RELKIT_RETURN_IF_ERROR(
      replace(loaded.metadata_index, new_metadata, metadata_name));
  RELKIT_RETURN_IF_ERROR(
      replace(loaded.record_index, new_record, w.dist_info + "/RECORD"));
  result.changed_members = {new_metadata_name, new_record_name};
  result.copied_members = w.member_count - 2;

  if (zip_close(za.get()) != 0) {
    if (source->system_errno() != 0) {
      return IoError(source->system_errno(), "write", out_path);
    }
    return ZipStatus(zip_get_error(za.get()), "cannot write the rewrite of",
                     path);
  }
  za.release();  // zip_close freed it
  if (!source->committed()) {
    return absl::InternalError(absl::StrCat("rewrite of ", Quote(path),
                                            ": libzip closed without writing"));
  }
  RELKIT_ASSIGN_OR_RETURN(result.size, FileSize(source->temp_path()));
  RELKIT_ASSIGN_OR_RETURN(result.sha256, Sha256OfFile(source->temp_path()));
  if (::rename(source->temp_path().c_str(), out_path.c_str()) != 0) {
    return IoError(errno, "write", out_path);
  }
  source->Keep();
  RELKIT_RETURN_IF_ERROR(SyncDir(DirName(out_path)));
  return result;
}

}  // namespace relkit
