// libFuzzer target for relkit::ParseGitHubRemoteUrl (relkit/github.h): never
// crashes; errors are InvalidArgument naming the URL (credentials redacted)
// and a position inside the URL as named; a parsed remote has a lower-case
// host and a valid OWNER/NAME, and the canonical https and scp-like URLs
// built from it parse back to the same remote. abort()s on any violation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "relkit/github.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckSame(const relkit::GitHubRemote& a, absl::string_view url) {
  auto b = relkit::ParseGitHubRemoteUrl(url);
  Check(b.ok());
  Check(b->host == a.host);
  Check(b->repo == a.repo);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view url(reinterpret_cast<const char*>(data), size);
  auto remote = relkit::ParseGitHubRemoteUrl(url);
  if (!remote.ok()) {
    Check(remote.status().code() == absl::StatusCode::kInvalidArgument);
    absl::string_view m = remote.status().message();
    constexpr absl::string_view kPrefix =
        "cannot find OWNER/NAME in remote URL \"";
    Check(absl::StartsWith(m, kPrefix));
    // The URL as quoted (credentials redacted): up to the last `": `.
    const size_t quote_end = m.rfind("\": ");
    Check(quote_end != absl::string_view::npos && quote_end >= kPrefix.size());
    const size_t shown = quote_end - kPrefix.size();
    // "... (position N)" with N within the quoted URL.
    const size_t at = m.rfind("(position ");
    Check(at != absl::string_view::npos && absl::EndsWith(m, ")"));
    absl::string_view digits = m.substr(at + 10);
    digits.remove_suffix(1);
    size_t position = 0;
    Check(absl::SimpleAtoi(digits, &position));
    Check(position <= shown);
    return 0;
  }
  Check(!remote->host.empty());
  Check(remote->host == absl::AsciiStrToLower(remote->host));
  Check(relkit::GitHubRepo::Parse(remote->repo.ToString()).ok());
  Check(!remote->ApiUrl().empty());
  CheckSame(*remote, absl::StrCat("https://", remote->host, "/",
                                  remote->repo.ToString(), ".git"));
  CheckSame(*remote, absl::StrCat("git@", remote->host, ":",
                                  remote->repo.ToString(), ".git"));
  return 0;
}
