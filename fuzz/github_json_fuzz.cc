// libFuzzer target for the GitHub REST readers (relkit/milestone.h,
// relkit/github.h): the first byte picks the reader (milestones, issues,
// comments, pull request, commit status, check runs, Link header, remote
// URL, OWNER/NAME, a single issue or comment, GitHub's error body); the rest
// is its input. Parsers either succeed or return
// InvalidArgument naming the source; abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "adapters/github/github_errors.h"
#include "adapters/github/link_header.h"
#include "relkit/github.h"
#include "relkit/github_json.h"
#include "relkit/milestone.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckStatus(const absl::Status& s) {
  if (s.ok()) return;
  Check(s.code() == absl::StatusCode::kInvalidArgument);
  Check(absl::StartsWith(s.message(), "fuzz"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  switch (data[0] % 12) {
    case 0:
      CheckStatus(relkit::ParseMilestonesJson(text, "fuzz").status());
      break;
    case 1: {
      auto items = relkit::ParseIssuesJson(text, "fuzz");
      CheckStatus(items.status());
      if (items.ok()) {
        for (const relkit::Issue& i : *items)
          Check(!i.merged || i.is_pull_request());
      }
      break;
    }
    case 2:
      CheckStatus(relkit::ParseIssueCommentsJson(text, "fuzz").status());
      break;
    case 3:
      CheckStatus(relkit::ParsePullRequestJson(text, "fuzz").status());
      break;
    case 4: {
      relkit::CommitChecks c;
      CheckStatus(relkit::ParseCombinedStatusJson(text, "fuzz", c));
      c.green();
      break;
    }
    case 5: {
      relkit::CommitChecks c;
      CheckStatus(relkit::ParseCheckRunsJson(text, "fuzz", c));
      break;
    }
    case 6: {
      relkit::internal::NextPageUrl(text);
      std::optional<int> last = relkit::internal::LastPageNumber(text);
      Check(!last || *last > 0);
      break;
    }
    case 7: {
      auto remote = relkit::ParseGitHubRemoteUrl(text);
      if (remote.ok()) {
        Check(!remote->host.empty());
        Check(relkit::GitHubRepo::Parse(remote->repo.ToString()).ok());
      } else {
        Check(remote.status().code() == absl::StatusCode::kInvalidArgument);
      }
      break;
    }
    case 8: {
      auto repo = relkit::GitHubRepo::Parse(text);
      if (repo.ok()) Check(repo->ToString() == text);
      break;
    }
    case 9:
      CheckStatus(relkit::ParseIssueJson(text, "fuzz").status());
      break;
    case 10:
      CheckStatus(relkit::ParseIssueCommentJson(text, "fuzz").status());
      break;
    case 11: {
      // GitHub's error text goes into messages and terminals: bounded, and
      // without control characters.
      const std::string words = relkit::internal::GitHubErrorText(text);
      Check(words.size() <= 10 * 300 + 400);
      for (char c : words) {
        const unsigned char u = static_cast<unsigned char>(c);
        Check(u >= 0x20 && u != 0x7f);
      }
      break;
    }
  }
  return 0;
}
