// Private JSON glue over RapidJSON (never included by public headers).
//
// Every JSON read of relkit (value types, the GitHub client, snapshots, the
// ETag cache) goes through ParseJson so that a malformed document is one
// InvalidArgument naming the source (a file name, a URL or "<input>") and the
// line and column of the problem; the typed readers below name the JSON path
// of a field of the wrong shape. Never call RapidJSON's `Document::Parse`
// directly: it recurses once per nesting level and a hostile document
// (`[[[[...` a hundred thousand deep) overflows the stack.
//
//   RELKIT_ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(text, path));
//   JsonReader r(path);
//   RELKIT_ASSIGN_OR_RETURN(std::string name, r.String(doc, "name", "$"));

#ifndef RELKIT_SRC_INTERNAL_JSON_H_
#define RELKIT_SRC_INTERNAL_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace relkit::internal {

// The deepest nesting of arrays and objects that ParseJson accepts by
// default. Real inputs (GitHub responses, matrices, schedules, package
// indexes, snapshots) nest fewer than 10 levels. ParseJson itself is
// iterative (it never recurses), and the limit keeps every later recursive
// walk of a parsed value (RapidJSON's `Accept` in WriteJson, its deep copy and
// comparison, our readers) far from the end of the stack, including under
// sanitizers.
inline constexpr int kMaxJsonDepth = 256;

// Parses `text` as JSON without recursion. Returns InvalidArgument naming
// `source`, the line, column and RapidJSON's description of the error; a
// document whose arrays and objects nest deeper than `max_depth` levels (the
// top-level array or object is level 1) is such an error ("nested deeper than
// 256 levels"), at the bracket that goes too deep.
absl::StatusOr<rapidjson::Document> ParseJson(absl::string_view text,
                                              absl::string_view source,
                                              int max_depth = kMaxJsonDepth);

// Returns the compact (or, with `pretty`, 2-space indented) text of `value`.
std::string WriteJson(const rapidjson::Value& value, bool pretty = false);

// Reads typed fields, naming `source` and the JSON path in every error:
// `release_matrix.json: $.channels.nightly.python: expected an array of
// strings`.
class JsonReader {
 public:
  explicit JsonReader(absl::string_view source) : source_(source) {}

  absl::Status Error(absl::string_view path, absl::string_view what) const;

  // Returns the member `key` of object `obj` (at `path`); NotFound-style
  // InvalidArgument when absent or when `obj` is not an object.
  absl::StatusOr<const rapidjson::Value*> Member(const rapidjson::Value& obj,
                                                 absl::string_view key,
                                                 absl::string_view path) const;
  absl::StatusOr<std::string> String(const rapidjson::Value& obj,
                                     absl::string_view key,
                                     absl::string_view path) const;
  absl::StatusOr<std::optional<std::string>> OptionalString(
      const rapidjson::Value& obj, absl::string_view key,
      absl::string_view path) const;
  absl::StatusOr<int64_t> Int(const rapidjson::Value& obj,
                              absl::string_view key,
                              absl::string_view path) const;
  absl::StatusOr<bool> Bool(const rapidjson::Value& obj, absl::string_view key,
                            absl::string_view path) const;
  absl::StatusOr<std::vector<std::string>> StringArray(
      const rapidjson::Value& obj, absl::string_view key,
      absl::string_view path) const;

 private:
  std::string source_;
};

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_JSON_H_
