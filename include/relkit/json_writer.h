// File: relkit/json_writer.h
// -----------------------------------------------------------------------------
//
// The one JSON writer of relkit's reports and of every `--json` output: a
// streaming, 2-space indented writer (RapidJSON stays private to the
// library). Reports write into a caller's writer, so one document can hold
// several of them (`relkit demo --json`).
//
//   relkit::JsonWriter w;
//   w.StartObject();
//   w.Field("branch", "release/2.4");
//   w.Key("prs");
//   w.StartArray();
//   w.Uint64(128001);
//   w.EndArray();
//   w.EndObject();
//   std::cout << w.str() << "\n";
//
// Strings are written as given (UTF-8 is passed through, control characters
// escaped). The calls must form a valid document; the writer does not check.

#ifndef RELKIT_JSON_WRITER_H_
#define RELKIT_JSON_WRITER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace relkit {

class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void StartObject();
  void EndObject();
  void StartArray();
  void EndArray();
  void Key(absl::string_view key);
  void String(absl::string_view value);
  void Bool(bool value);
  void Int64(int64_t value);
  void Uint64(uint64_t value);
  void Null();
  // Writes `json`, one complete JSON value, as it is (not checked).
  void RawValue(absl::string_view json);

  // `"key": value` in one call.
  void Field(absl::string_view key, absl::string_view value);
  void Field(absl::string_view key, const char* value);
  void Field(absl::string_view key, const std::string& value);
  void Field(absl::string_view key, bool value);
  void Field(absl::string_view key, int value);
  void Field(absl::string_view key, int64_t value);
  void Field(absl::string_view key, uint64_t value);
  // Null when `value` is nullopt.
  void Field(absl::string_view key, const std::optional<uint64_t>& value);
  void Field(absl::string_view key, const std::optional<int64_t>& value);
  void Field(absl::string_view key, const std::optional<std::string>& value);
  void NullField(absl::string_view key);

  // Returns the text written so far (no trailing newline).
  std::string str() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relkit

#endif  // RELKIT_JSON_WRITER_H_
