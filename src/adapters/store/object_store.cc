#include "relkit/object_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "relkit/status.h"

namespace relkit {

absl::StatusOr<std::vector<ObjectInfo>> ObjectStore::ListAll(
    absl::string_view prefix) {
  std::vector<ObjectInfo> all;
  ListOptions options{.prefix = std::string(prefix)};
  while (true) {
    RELKIT_ASSIGN_OR_RETURN(ObjectPage page, List(options));
    for (ObjectInfo& o : page.objects) all.push_back(std::move(o));
    if (page.next_token.empty()) break;
    if (page.next_token == options.continuation_token) {
      return absl::InternalError(
          absl::StrCat(Describe(), ": listing of \"", prefix,
                       "\" returned the same continuation token twice"));
    }
    options.continuation_token = std::move(page.next_token);
  }
  return all;
}

absl::Status ValidateObjectKey(absl::string_view key) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "object key \"", absl::CHexEscape(key.substr(0, 200)), "\": ", why));
  };
  if (key.empty()) return bad("empty");
  if (key.size() > 1024) return bad("longer than 1024 bytes");
  if (key.find('\0') != absl::string_view::npos) return bad("contains NUL");
  if (key.front() == '/') return bad("starts with '/'");
  for (absl::string_view segment : absl::StrSplit(key, '/')) {
    if (segment.empty()) return bad("has an empty path segment");
    if (segment == "." || segment == "..") {
      return bad("has a '.' or '..' path segment");
    }
  }
  return absl::OkStatus();
}

absl::string_view ObjectAclName(ObjectAcl acl) {
  switch (acl) {
    case ObjectAcl::kDefault:
      return "default";
    case ObjectAcl::kPublicRead:
      return "public-read";
  }
  return "default";
}

}  // namespace relkit
