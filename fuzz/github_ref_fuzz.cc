// libFuzzer target for relkit::ParseGitHubRef (relkit/github_ref.h): any
// bytes parse without crashing, the same way twice; a reference spans a
// prefix of the input that ends at its number or sha, not inside a word, and
// parses alone to the same token; owner and repo are names that
// GitHubRepo::Parse accepts; the canonical text parses back to the same
// token; and the callers agree with it: a `#N` is a commit title's suffix
// `(#N)`, and a reference is a tracker comment's link. abort()s on any
// violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "relkit/cherry_pick.h"
#include "relkit/commit_message.h"
#include "relkit/github_ref.h"
#include "relkit/github_repo.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

void CheckShape(const relkit::GitHubRefToken& t) {
  if (!t.owner.empty() || t.is_url()) {
    Check(relkit::GitHubRepo::Parse(absl::StrCat(t.owner, "/", t.repo)).ok());
  } else {
    Check(t.repo.empty());
  }
  if (!t.is_url()) {
    Check(t.scheme.empty() && t.host.empty() && t.sha.empty());
    return;
  }
  Check(absl::EqualsIgnoreCase(t.scheme, "http") ||
        absl::EqualsIgnoreCase(t.scheme, "https"));
  Check(!t.host.empty());
  if (t.kind == relkit::GitHubRefKind::kCommit) {
    Check(!t.sha.empty() && t.number == 0);
    for (char c : t.sha) {
      Check((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
  } else {
    Check(t.sha.empty());
  }
}

// The tracker comment parser reads the reference as a link.
void CheckTrackerAgrees(const relkit::GitHubRefToken& t) {
  if (t.number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return;  // a link's number is an int64_t
  }
  std::optional<relkit::CherryPickNomination> n = relkit::ParseTrackerComment(
      absl::StrCat("Link to release branch PR: ", t.ToString(), "\n"));
  Check(n.has_value() && n->release_prs.size() == 1);
  const relkit::TrackerLink& link = n->release_prs[0];
  if (t.kind == relkit::GitHubRefKind::kCommit) {
    Check(link.kind == relkit::TrackerLink::Kind::kCommit && link.sha == t.sha);
  } else {
    Check(link.kind != relkit::TrackerLink::Kind::kOther);
    Check(link.number == static_cast<int64_t>(t.number));
  }
  Check(link.repo == (t.owner.empty() ? "" : t.owner + "/" + t.repo));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::optional<relkit::GitHubRefToken> t = relkit::ParseGitHubRef(input);
  Check(relkit::ParseGitHubRef(input) == t);
  if (!t) return 0;
  Check(t->size >= 2 && t->size <= input.size());
  const char last = input[t->size - 1];
  Check(absl::ascii_isxdigit(static_cast<unsigned char>(last)));
  Check(t->size == input.size() || !IsWordChar(input[t->size]));
  // The reference alone is the same reference.
  Check(relkit::ParseGitHubRef(input.substr(0, t->size)) == t);
  CheckShape(*t);
  // Its canonical text parses back to it.
  const std::string canonical = t->ToString();
  std::optional<relkit::GitHubRefToken> again =
      relkit::ParseGitHubRef(canonical);
  Check(again.has_value() && again->size == canonical.size());
  again->size = t->size;
  Check(*again == *t);
  // A `#N` is a title suffix (`Title (#N)`).
  if (t->kind == relkit::GitHubRefKind::kNumber && t->owner.empty()) {
    Check(relkit::SplitTitlePrSuffixes(
              absl::StrCat("Title (", input.substr(0, t->size), ")"))
              .first == std::vector<uint64_t>{t->number});
  }
  CheckTrackerAgrees(*t);
  return 0;
}
