// File: relkit/github_repo.h
// -----------------------------------------------------------------------------
//
// A GitHub repository as a value (`OWNER/NAME`), and where a git remote URL
// points: the parser of every URL form git accepts (https, scp-like ssh,
// ssh://, git://, GitHub Enterprise hosts, ssh aliases) and the redaction of
// credentials before a URL is shown. Pure: no I/O, no network.
//
//   absl::StatusOr<relkit::GitHubRemote> remote =
//       relkit::ParseGitHubRemoteUrl("git@github.com:pytorch/pytorch.git");
//   if (!remote.ok()) return remote.status();  // names the byte position
//   remote->repo.ToString();   // "pytorch/pytorch"
//   remote->ApiUrl();          // "https://api.github.com"

#ifndef RELKIT_GITHUB_REPO_H_
#define RELKIT_GITHUB_REPO_H_

#include <compare>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relkit {

// The default API base URL (github.com's).
inline constexpr absl::string_view kGitHubApiUrl = "https://api.github.com";

// A repository, `OWNER/NAME`.
struct GitHubRepo {
  std::string owner = {};
  std::string name = {};

  // Parses "OWNER/NAME". Returns InvalidArgument naming the input otherwise
  // (empty parts, more than one `/`, characters GitHub does not allow).
  static absl::StatusOr<GitHubRepo> Parse(absl::string_view text);

  // Returns "OWNER/NAME".
  std::string ToString() const { return owner + "/" + name; }

  friend bool operator==(const GitHubRepo&, const GitHubRepo&) = default;
  friend auto operator<=>(const GitHubRepo&, const GitHubRepo&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const GitHubRepo& r) {
    return H::combine(std::move(h), r.owner, r.name);
  }
};

// Where a git remote URL points.
struct GitHubRemote {
  std::string host = {};  // "github.com", "ghe.example.com"
  GitHubRepo repo = {};

  // Returns the REST base URL of the host: https://api.github.com for
  // github.com, https://HOST/api/v3 for GitHub Enterprise Server.
  std::string ApiUrl() const;
};

// Returns whether `host` (as ParseGitHubRemoteUrl returns it) is github.com
// itself: `github.com`, `www.github.com`, `ssh.github.com`, or an ssh alias
// that starts with `github.com-` or `github.com_` (`github.com-work`); not
// `github.company.com`. Case-insensitive.
bool IsGitHubComHost(absl::string_view host);

// Parses a git remote URL: `https://github.com/o/n(.git)(/)`, `http://`,
// `git@github.com:o/n.git` (scp-like, `[::1]` hosts too),
// `ssh://git@host(:port)/o/n.git`, `git://host/o/n.git`, `git+ssh://`, with
// any host (GitHub Enterprise, ssh aliases). Surrounding whitespace, a query
// or fragment and credentials are ignored; the host is lower-cased
// (`www.github.com` is `github.com`). Returns InvalidArgument naming the URL
// and the byte position of the problem when it has no `OWNER/NAME` path, or
// when it is a local repository: a `file://` URL or a path
// (`/srv/git/o/n.git`, `../n`, `C:\git\n`). The URL in the message has
// surrounding whitespace removed and its credentials replaced by `***` (see
// RedactRemoteUrl), so that a password with an unencoded `/`, `?` or `#` is
// never shown; the position
// counts bytes of the URL as the message shows it (a position inside the
// credentials points at the `***`).
absl::StatusOr<GitHubRemote> ParseGitHubRemoteUrl(absl::string_view url);

// Returns a git remote URL fit to show: everything from after `://` to the
// last `@` replaced by `***` (without `://`: from the start, when that part
// holds a `:`, so `git@github.com:o/n.git` stays as it is), as in the
// messages of ParseGitHubRemoteUrl. Stricter than RedactUrl (relkit/http.h),
// which keeps a `@` after the first `/`, `?` or `#`: a remote URL's password
// may hold those unencoded, and git still accepts it.
std::string RedactRemoteUrl(absl::string_view url);

}  // namespace relkit

#endif  // RELKIT_GITHUB_REPO_H_
