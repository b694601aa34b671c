#include "relkit/promotion_apply.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "internal/fd.h"
#include "internal/json.h"
#include "internal/temp_dir.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "relkit/files.h"
#include "relkit/sha256_digest.h"
#include "relkit/status.h"

namespace relkit {

std::string PromotionPlanIdentity(const PromotionPlan& plan) {
  std::string out = absl::StrCat(
      "source ", plan.source, " ", plan.source_prefix, "\ndestination ",
      plan.destination, " ", plan.destination_prefix, "\n");
  if (plan.has_mirror()) {
    absl::StrAppend(&out, "mirror ", plan.mirror, " ", plan.mirror_prefix,
                    "\n");
  }
  for (const PromotionPackage& p : plan.packages) {
    absl::StrAppend(&out, "package ", p.package, "==", p.version, "\n");
  }
  return out;
}

namespace {

using internal::TempDir;

// One field of a journal record.
struct Field {
  const char* name;
  std::string value;
};

// A record as one line of compact JSON.
std::string Record(absl::string_view kind, const std::vector<Field>& fields,
                   std::optional<uint64_t> size = std::nullopt) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("record");
  w.String(kind.data(), static_cast<rapidjson::SizeType>(kind.size()));
  w.Key("time");
  const std::string now =
      absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone());
  w.String(now.data(), static_cast<rapidjson::SizeType>(now.size()));
  for (const Field& f : fields) {
    w.Key(f.name);
    w.String(f.value.data(), static_cast<rapidjson::SizeType>(f.value.size()));
  }
  if (size) {
    w.Key("size");
    w.Uint64(*size);
  }
  w.EndObject();
  return absl::StrCat(absl::string_view(buffer.GetString(), buffer.GetSize()),
                      "\n");
}

// The append-only journal: every record is one write(2) of a whole line to
// a file opened with O_APPEND, then fsync'd, so that a kill leaves at most
// one cut line at the end (which the parser ignores) and every record
// before it is on disk. Not replaced atomically, by design: it only grows.
class Journal {
 public:
  static absl::StatusOr<std::unique_ptr<Journal>> Open(
      const std::string& path) {
    std::error_code error;
    const std::filesystem::path parent =
        std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot open the journal \"", path, "\": ", std::strerror(errno)));
    }
    return std::unique_ptr<Journal>(new Journal(path, fd));
  }

  absl::Status Append(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t written = 0;
    while (written < line.size()) {
      const ssize_t n =
          ::write(fd_.get(), line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Error();
      written += static_cast<size_t>(n);
    }
    if (::fsync(fd_.get()) != 0) return Error();
    return absl::OkStatus();
  }

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  absl::Status Error() const {
    return absl::UnavailableError(absl::StrCat(
        "cannot write the journal \"", path_, "\": ", std::strerror(errno)));
  }

  std::string path_;
  internal::Fd fd_;
  std::mutex mutex_;
};

// One source object and what it still needs: a copy to the destination, an
// upload to the mirror, or both.
struct Item {
  std::string source_key;
  uint64_t size = 0;
  std::optional<std::string> sha256;
  const PlannedCopy* copy = nullptr;
  const PlannedCopy* mirror = nullptr;
};

// The store handles of one worker thread.
struct Handles {
  std::unique_ptr<ObjectStore> source;
  std::unique_ptr<ObjectStore> destination;
  std::unique_ptr<ObjectStore> mirror;
};

std::optional<std::string> MetadataSha256(const ObjectInfo& info) {
  auto it = info.metadata.find(std::string(kChecksumSha256Metadata));
  if (it == info.metadata.end()) return std::nullopt;
  return absl::AsciiStrToLower(it->second);
}

// Returns OK when `key` in `store` has `size` bytes and `sha256` as its
// checksum metadata; DataLoss naming the key and both values otherwise.
absl::Status Verify(ObjectStore& store, const std::string& key, uint64_t size,
                    const std::string& sha256) {
  RELKIT_ASSIGN_OR_RETURN(ObjectInfo head, store.Head(key));
  if (head.size != size) {
    return absl::DataLossError(
        absl::StrCat("verification of \"", key, "\" in ", store.Describe(),
                     " failed: ", head.size, " bytes, expected ", size));
  }
  const std::optional<std::string> there = MetadataSha256(head);
  if (there != sha256) {
    return absl::DataLossError(
        absl::StrCat("verification of \"", key, "\" in ", store.Describe(),
                     " failed: ", kChecksumSha256Metadata, " ",
                     there.value_or("missing"), ", expected ", sha256));
  }
  return absl::OkStatus();
}

class Applier {
 public:
  Applier(const PromotionPlan& plan, const PromotionStores& stores,
          const PromotionApplyOptions& options)
      : plan_(plan), stores_(stores), options_(options) {}

  absl::StatusOr<PromotionResult> Run() {
    RELKIT_RETURN_IF_ERROR(CheckPlan());
    result_.journal_path = options_.journal_path;
    for (const AlreadyPresent& a : plan_.already_present) {
      result_.skipped.push_back(a.destination_key);
    }
    for (const AlreadyPresent& a : plan_.mirror_already_present) {
      result_.mirror_skipped.push_back(a.destination_key);
    }
    RELKIT_ASSIGN_OR_RETURN(PromotionJournalState before, ReadJournal());
    RELKIT_ASSIGN_OR_RETURN(journal_, Journal::Open(options_.journal_path));
    BuildItems();
    const bool pending_verifications = HasPendingVerifications(before);
    if (items_.empty() && !pending_verifications) {
      result_.already_applied = true;
      return std::move(result_);
    }
    RELKIT_RETURN_IF_ERROR(journal_->Append(
        Record("start",
               {{"plan", PromotionPlanIdentity(plan_)},
                {"copies", absl::StrCat(plan_.copies.size())},
                {"mirror_copies", absl::StrCat(plan_.mirror_copies.size())}})));
    RELKIT_RETURN_IF_ERROR(VerifyLeftovers(before));
    if (!result_.failed.empty()) return Finish();
    RELKIT_ASSIGN_OR_RETURN(TempDir temp,
                            TempDir::Create(options_.temp_dir, "promote"));
    temp_dir_ = temp.path();
    RunWorkers();
    return Finish();
  }

 private:
  absl::Status CheckPlan() const {
    if (!plan_.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the promotion plan has ", plan_.error_count(),
                       " errors; nothing was copied"));
    }
    if (!stores_.source || !stores_.destination ||
        (plan_.has_mirror() && !stores_.mirror)) {
      return absl::FailedPreconditionError(
          "applying a promotion needs a factory for every store of the plan");
    }
    if (options_.journal_path.empty()) {
      return absl::FailedPreconditionError(
          "applying a promotion needs a journal path");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<PromotionJournalState> ReadJournal() const {
    absl::StatusOr<std::string> text = ReadFile(options_.journal_path);
    if (absl::IsNotFound(text.status())) return PromotionJournalState();
    if (!text.ok()) return text.status();
    return ParsePromotionJournal(*text, options_.journal_path);
  }

  void BuildItems() {
    std::map<std::string, Item> by_source;
    for (const PlannedCopy& c : plan_.copies) {
      Item& item = by_source[c.source_key];
      item.source_key = c.source_key;
      item.size = c.size;
      item.sha256 = c.sha256;
      item.copy = &c;
    }
    std::map<std::string, std::optional<std::string>> present_sha256;
    for (const AlreadyPresent& a : plan_.already_present) {
      present_sha256[a.source_key] = a.sha256;
    }
    for (const PlannedCopy& m : plan_.mirror_copies) {
      Item& item = by_source[m.source_key];
      item.source_key = m.source_key;
      item.size = m.size;
      if (!item.sha256) item.sha256 = m.sha256;
      if (!item.sha256) {
        auto it = present_sha256.find(m.source_key);
        if (it != present_sha256.end()) item.sha256 = it->second;
      }
      item.mirror = &m;
    }
    for (auto& [key, item] : by_source) items_.push_back(std::move(item));
  }

  // Keys a killed run copied (the journal says so) but did not verify:
  // the plan finds them already there, and they are verified now.
  std::vector<std::pair<std::string, std::string>> Leftovers(
      const std::vector<AlreadyPresent>& present,
      const std::map<std::string, std::string>& copied,
      const std::map<std::string, std::string>& verified) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const AlreadyPresent& a : present) {
      auto it = copied.find(a.destination_key);
      if (it != copied.end() && !verified.contains(a.destination_key)) {
        out.emplace_back(a.destination_key, it->second);
      }
    }
    return out;
  }

  bool HasPendingVerifications(const PromotionJournalState& j) const {
    return !Leftovers(plan_.already_present, j.copied, j.verified).empty() ||
           !Leftovers(plan_.mirror_already_present, j.mirrored,
                      j.mirror_verified)
                .empty();
  }

  absl::Status VerifyLeftovers(const PromotionJournalState& j) {
    const std::map<std::string, uint64_t> sizes = [&] {
      std::map<std::string, uint64_t> m;
      for (const AlreadyPresent& a : plan_.already_present)
        m[a.destination_key] = a.size;
      for (const AlreadyPresent& a : plan_.mirror_already_present)
        m[a.destination_key] = a.size;
      return m;
    }();
    for (const bool mirror : {false, true}) {
      const auto leftovers =
          mirror ? Leftovers(plan_.mirror_already_present, j.mirrored,
                             j.mirror_verified)
                 : Leftovers(plan_.already_present, j.copied, j.verified);
      if (leftovers.empty()) continue;
      absl::StatusOr<std::unique_ptr<ObjectStore>> store =
          mirror ? stores_.mirror() : stores_.destination();
      if (!store.ok()) {
        Fail(leftovers.front().first, store.status());
        return absl::OkStatus();
      }
      for (const auto& [key, sha256] : leftovers) {
        auto size_it = sizes.find(key);
        const uint64_t size = size_it == sizes.end() ? 0 : size_it->second;
        absl::Status verified = Verify(**store, key, size, sha256);
        if (!verified.ok()) {
          Fail(key, verified);
          return absl::OkStatus();
        }
        RELKIT_RETURN_IF_ERROR(
            journal_->Append(Record(mirror ? "mirror-verified" : "verified",
                                    {{"key", key}, {"sha256", sha256}}, size)));
        std::lock_guard<std::mutex> lock(mutex_);
        result_.verified.push_back(key);
      }
    }
    return absl::OkStatus();
  }

  void RunWorkers() {
    const size_t jobs = std::clamp<size_t>(
        static_cast<size_t>(std::max(options_.jobs, 1)), 1, items_.size());
    std::vector<std::thread> threads;
    threads.reserve(jobs);
    for (size_t i = 0; i < jobs; ++i) {
      threads.emplace_back([this] { Work(); });
    }
    for (std::thread& t : threads) t.join();
  }

  void Work() {
    Handles handles;
    absl::Status opened = Open(handles);
    for (;;) {
      if (stop_.load()) return;
      const size_t i = next_.fetch_add(1);
      if (i >= items_.size()) return;
      const Item& item = items_[i];
      if (!opened.ok()) {
        Fail(item.copy ? item.copy->destination_key
                       : item.mirror->destination_key,
             opened);
        return;
      }
      std::string key;
      absl::Status done = Process(item, i, handles, key);
      if (!done.ok()) {
        Fail(key, done);
        return;
      }
      Progress(item);
    }
  }

  absl::Status Open(Handles& h) {
    RELKIT_ASSIGN_OR_RETURN(h.source, stores_.source());
    if (!plan_.copies.empty()) {
      RELKIT_ASSIGN_OR_RETURN(h.destination, stores_.destination());
    }
    if (!plan_.mirror_copies.empty()) {
      RELKIT_ASSIGN_OR_RETURN(h.mirror, stores_.mirror());
    }
    return absl::OkStatus();
  }

  // Copies, verifies and mirrors one source object. The first error stops
  // it (and, through `stop_`, the run).
  // `key` is set to the key being worked on (for the failure report).
  absl::Status Process(const Item& item, size_t index, Handles& h,
                       std::string& key) {
    key = item.copy ? item.copy->destination_key : item.mirror->destination_key;
    if (options_.delay_per_object > absl::ZeroDuration()) {
      absl::SleepFor(options_.delay_per_object);
    }
    const bool same_store = plan_.source == plan_.destination;
    std::optional<std::string> sha256 = item.sha256;
    const bool need_file = !sha256.has_value() || item.mirror != nullptr ||
                           (item.copy != nullptr && !same_store);
    const std::string file = absl::StrCat(temp_dir_, "/object-", index);
    struct Remove {
      const std::string& path;
      ~Remove() { ::unlink(path.c_str()); }
    } remove{file};
    if (need_file) {
      RELKIT_RETURN_IF_ERROR(h.source->Get(item.source_key, file));
      struct stat st;
      if (::stat(file.c_str(), &st) != 0 ||
          static_cast<uint64_t>(st.st_size) != item.size) {
        return absl::DataLossError(absl::StrCat(
            "\"", item.source_key, "\" in ", plan_.source,
            " changed since the plan: downloaded ",
            static_cast<uint64_t>(st.st_size), " bytes, planned ", item.size));
      }
      if (!sha256) {
        RELKIT_ASSIGN_OR_RETURN(sha256, Sha256OfFile(file));
      }
    }
    std::optional<ObjectInfo> source_head;
    auto head = [&]() -> absl::StatusOr<ObjectInfo> {
      if (!source_head) {
        RELKIT_ASSIGN_OR_RETURN(source_head, h.source->Head(item.source_key));
      }
      return *source_head;
    };
    if (item.copy != nullptr) {
      const PlannedCopy& c = *item.copy;
      if (same_store) {
        RELKIT_RETURN_IF_ERROR(h.destination->Copy(
            c.source_key, c.destination_key,
            {.acl = ObjectAcl::kPublicRead,
             .set_metadata = {
                 {std::string(kChecksumSha256Metadata), *sha256}}}));
      } else {
        RELKIT_ASSIGN_OR_RETURN(ObjectInfo from, head());
        RELKIT_RETURN_IF_ERROR(
            h.destination->Put(c.destination_key, file, PutFrom(from, *sha256))
                .status());
      }
      RELKIT_RETURN_IF_ERROR(journal_->Append(
          Record("copied",
                 {{"key", c.destination_key},
                  {"source", c.source_key},
                  {"sha256", *sha256},
                  {"overwrite", c.overwrite ? "true" : "false"}},
                 c.size)));
      RecordCopied(c);
      RELKIT_RETURN_IF_ERROR(
          Verify(*h.destination, c.destination_key, c.size, *sha256));
      RELKIT_RETURN_IF_ERROR(journal_->Append(
          Record("verified", {{"key", c.destination_key}, {"sha256", *sha256}},
                 c.size)));
      RecordVerified(c.destination_key);
    }
    if (item.mirror != nullptr) {
      const PlannedCopy& m = *item.mirror;
      key = m.destination_key;
      RELKIT_ASSIGN_OR_RETURN(ObjectInfo from, head());
      RELKIT_RETURN_IF_ERROR(
          h.mirror->Put(m.destination_key, file, PutFrom(from, *sha256))
              .status());
      RELKIT_RETURN_IF_ERROR(journal_->Append(
          Record("mirrored",
                 {{"key", m.destination_key},
                  {"source", m.source_key},
                  {"sha256", *sha256},
                  {"overwrite", m.overwrite ? "true" : "false"}},
                 m.size)));
      RecordMirrored(m);
      RELKIT_RETURN_IF_ERROR(
          Verify(*h.mirror, m.destination_key, m.size, *sha256));
      RELKIT_RETURN_IF_ERROR(journal_->Append(
          Record("mirror-verified",
                 {{"key", m.destination_key}, {"sha256", *sha256}}, m.size)));
      RecordVerified(m.destination_key);
    }
    return absl::OkStatus();
  }

  static PutOptions PutFrom(const ObjectInfo& source,
                            const std::string& sha256) {
    PutOptions put{.metadata = source.metadata,
                   .content_type = source.content_type,
                   .acl = ObjectAcl::kPublicRead};
    if (put.content_type.empty()) put.content_type = "application/octet-stream";
    put.metadata[std::string(kChecksumSha256Metadata)] = sha256;
    return put;
  }

  void RecordCopied(const PlannedCopy& c) {
    std::lock_guard<std::mutex> lock(mutex_);
    result_.copied.push_back(c.destination_key);
    if (c.overwrite) result_.overwritten.push_back(c.destination_key);
  }
  void RecordMirrored(const PlannedCopy& m) {
    std::lock_guard<std::mutex> lock(mutex_);
    result_.mirrored.push_back(m.destination_key);
    if (m.overwrite) result_.overwritten.push_back(m.destination_key);
  }
  void RecordVerified(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    result_.verified.push_back(key);
  }

  void Fail(const std::string& key, const absl::Status& status) {
    stop_.store(true);
    std::lock_guard<std::mutex> lock(mutex_);
    for (const PromotionFailure& f : result_.failed) {
      if (f.key == key) return;
    }
    result_.failed.push_back({.key = key, .status = status});
  }

  void Progress(const Item& item) {
    const size_t done = ++done_;
    if (!options_.progress) return;
    std::lock_guard<std::mutex> lock(progress_mutex_);
    options_.progress({.done = done,
                       .total = items_.size(),
                       .key = item.copy ? item.copy->destination_key
                                        : item.mirror->destination_key});
  }

  absl::StatusOr<PromotionResult> Finish() {
    for (auto* keys : {&result_.copied, &result_.overwritten, &result_.mirrored,
                       &result_.verified}) {
      std::sort(keys->begin(), keys->end());
    }
    for (const PromotionFailure& f : result_.failed) {
      RELKIT_RETURN_IF_ERROR(journal_->Append(Record(
          "failed",
          {{"key", f.key}, {"message", std::string(f.status.message())}})));
    }
    if (result_.failed.empty()) {
      RELKIT_RETURN_IF_ERROR(journal_->Append(Record(
          "finished", {{"copied", absl::StrCat(result_.copied.size())},
                       {"mirrored", absl::StrCat(result_.mirrored.size())},
                       {"verified", absl::StrCat(result_.verified.size())}})));
    }
    return std::move(result_);
  }

  const PromotionPlan& plan_;
  const PromotionStores& stores_;
  const PromotionApplyOptions& options_;
  std::unique_ptr<Journal> journal_;
  std::vector<Item> items_;
  std::string temp_dir_;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> done_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;  // result_
  std::mutex progress_mutex_;
  PromotionResult result_;
};

}  // namespace

absl::StatusOr<PromotionResult> ApplyPromotion(
    const PromotionPlan& plan, const PromotionStores& stores,
    const PromotionApplyOptions& options) {
  return Applier(plan, stores, options).Run();
}

absl::StatusOr<PromotionJournalState> ParsePromotionJournal(
    absl::string_view text, absl::string_view source) {
  PromotionJournalState state;
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  // The text after the last newline is a record cut by a kill (or nothing).
  lines.pop_back();
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string where = absl::StrCat(source, ":", i + 1);
    if (lines[i].empty()) continue;
    RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc,
                            internal::ParseJson(lines[i], where, 2));
    internal::JsonReader line_reader(where);
    RELKIT_ASSIGN_OR_RETURN(std::string kind,
                            line_reader.String(doc, "record", "$"));
    ++state.records;
    if (kind == "start") {
      RELKIT_ASSIGN_OR_RETURN(std::string plan,
                              line_reader.String(doc, "plan", "$"));
      state.plans.push_back(std::move(plan));
      continue;
    }
    if (kind == "finished") {
      ++state.finished;
      continue;
    }
    std::map<std::string, std::string>* into = nullptr;
    if (kind == "copied") into = &state.copied;
    if (kind == "verified") into = &state.verified;
    if (kind == "mirrored") into = &state.mirrored;
    if (kind == "mirror-verified") into = &state.mirror_verified;
    if (into == nullptr) continue;  // `failed`, and kinds of later versions
    RELKIT_ASSIGN_OR_RETURN(std::string key,
                            line_reader.String(doc, "key", "$"));
    RELKIT_ASSIGN_OR_RETURN(std::string sha256,
                            line_reader.String(doc, "sha256", "$"));
    (*into)[std::move(key)] = std::move(sha256);
  }
  return state;
}

}  // namespace relkit
