// libFuzzer target for relkit/commit_message.h: any bytes parse, and the
// parse keeps its promises (title on one line, PR numbers sorted and unique,
// shas lower-case hex of 7..40 digits, OwnPr among PrNumbers, parsing is
// deterministic). abort()s on any violation.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "relkit/commit_message.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckSha(const std::string& sha) {
  Check(sha.size() >= 7 && sha.size() <= 40);
  for (char c : sha) Check((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  relkit::CommitMessage m = relkit::CommitMessage::Parse(input);
  Check(m.subject.find('\n') == std::string::npos);
  Check(m.title.find('\n') == std::string::npos);
  std::vector<uint64_t> prs = m.PrNumbers();
  Check(std::is_sorted(prs.begin(), prs.end()));
  Check(std::adjacent_find(prs.begin(), prs.end()) == prs.end());
  if (auto own = m.OwnPr()) Check(m.MentionsPr(*own));
  for (const std::string& s : m.cherry_picked_from) CheckSha(s);
  for (const std::string& s : m.reverted_commits) CheckSha(s);
  Check(relkit::CommitMessage::Parse(input) == m);
  // The normalised title is idempotent.
  std::string norm = m.NormalizedTitle();
  Check(relkit::NormalizeTitle(norm) == norm);
  return 0;
}
