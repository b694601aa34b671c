// File: relkit/git_object.h
// -----------------------------------------------------------------------------
//
// The values git history is made of, as relkit passes them around: object
// ids, signatures, commit metadata and tags. Pure values (no libgit2, no
// I/O); relkit/git.h's Repository produces them.
//
//   absl::StatusOr<relkit::ObjectId> id = relkit::ObjectId::Parse(
//       "45fff310c891f5a92d55445adf8cc9d29df5841e");
//   if (!id.ok()) return id.status();   // InvalidArgument naming the position
//   id->ShortString();                  // "45fff310c891"

#ifndef RELKIT_GIT_OBJECT_H_
#define RELKIT_GIT_OBJECT_H_

#include <array>
#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace relkit {

// A SHA-1 git object id.
class ObjectId {
 public:
  // Parses exactly 40 hexadecimal digits (either case). Returns
  // InvalidArgument naming the input and the position of the first bad
  // character (or the length when it is not 40).
  static absl::StatusOr<ObjectId> Parse(absl::string_view hex);
  // Returns the id whose raw 20 bytes are `raw`.
  static ObjectId FromRaw(const unsigned char* raw);

  // The all-zero id.
  ObjectId() = default;

  bool is_zero() const;
  const std::array<unsigned char, 20>& raw() const { return raw_; }
  // Returns the 40 lower-case hex digits.
  std::string ToString() const;
  // Returns the first `n` hex digits (at most 40).
  std::string ShortString(size_t n = 12) const;

  friend bool operator==(const ObjectId&, const ObjectId&) = default;
  friend std::strong_ordering operator<=>(const ObjectId&,
                                          const ObjectId&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const ObjectId& id) {
    return H::combine_contiguous(std::move(h), id.raw_.data(), id.raw_.size());
  }

 private:
  std::array<unsigned char, 20> raw_{};
};

// An author, committer or tagger.
struct Signature {
  std::string name;
  std::string email;
  absl::Time time = absl::UnixEpoch();
  // The time zone of `time` as an offset from UTC in minutes (+0200 is 120).
  int utc_offset_minutes = 0;

  friend bool operator==(const Signature&, const Signature&) = default;
};

// The metadata of one commit.
struct CommitInfo {
  ObjectId id;
  std::vector<ObjectId> parents;
  Signature author;
  Signature committer;
  // The raw message, as stored (usually ending in a newline).
  std::string message;

  // Returns the first line of the message, without trailing whitespace.
  std::string Title() const;
  bool is_merge() const { return parents.size() > 1; }
};

// A tag: lightweight (the ref names the commit) or annotated (the ref names a
// tag object that names the commit).
struct TagInfo {
  // Short name: `v2.4.0-rc1`.
  std::string name;
  // The commit the tag finally points to (peeled).
  ObjectId target;
  // The tag object for annotated tags; nullopt for lightweight tags.
  std::optional<ObjectId> tag_object;
  std::optional<std::string> message;  // annotated only
  std::optional<Signature> tagger;     // annotated only, when recorded

  bool annotated() const { return tag_object.has_value(); }
};

}  // namespace relkit

#endif  // RELKIT_GIT_OBJECT_H_
