// libFuzzer target for relkit/promotion_apply.h: the promotion journal
// parser (JSON lines). Checks that a malformed journal is an InvalidArgument
// naming the source, and that an accepted one counts no more records than it
// has lines; abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/promotion_apply.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::PromotionJournalState> state =
      relkit::ParsePromotionJournal(input, "fuzz.jsonl");
  if (!state.ok()) {
    Check(absl::IsInvalidArgument(state.status()));
    Check(state.status().message().find("fuzz.jsonl:") == 0);
    return 0;
  }
  size_t lines = 0;
  for (char c : input) lines += c == '\n';
  Check(static_cast<size_t>(state->records) <= lines);
  Check(state->verified.size() + state->copied.size() + state->mirrored.size() +
            state->mirror_verified.size() + state->plans.size() +
            static_cast<size_t>(state->finished) <=
        static_cast<size_t>(state->records));
  return 0;
}
