// Private: the error bodies of GitHub's REST API (`{"message": ...,
// "errors": [...]}`), read by GitHubClient for every failed request; exposed
// here for its tests and fuzz target only.

#ifndef RELKIT_SRC_ADAPTERS_GITHUB_GITHUB_ERRORS_H_
#define RELKIT_SRC_ADAPTERS_GITHUB_GITHUB_ERRORS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace relkit::internal {

// Returns GitHub's error text of a failed response: its `message`, followed
// by its validation `errors` (a 422's) in plain words, e.g.
// `Validation Failed: title is missing (Issue.title missing_field)`; an
// error whose `code` is `custom` gives its own `message`. A body that is not
// GitHub's error JSON gives its start. Control characters become spaces and
// the text is bounded (at most 10 errors, 200 characters each), so that a
// hostile body cannot flood or drive a terminal.
std::string GitHubErrorText(absl::string_view body);

}  // namespace relkit::internal

#endif  // RELKIT_SRC_ADAPTERS_GITHUB_GITHUB_ERRORS_H_
