// JSON output for the CLI's --json flags (RapidJSON stays private to src/).

#ifndef RELKIT_SRC_CLI_JSON_WRITER_H_
#define RELKIT_SRC_CLI_JSON_WRITER_H_

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"

namespace relkit::cli {

// A pretty-printing JSON writer that flushes to stdout when done.
class JsonOut {
 public:
  JsonOut() : writer_(buffer_) { writer_.SetIndent(' ', 2); }
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;

  rapidjson::PrettyWriter<rapidjson::StringBuffer>& w() { return writer_; }

  void Key(absl::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void String(absl::string_view s) {
    writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  void Field(absl::string_view k, absl::string_view v) {
    Key(k);
    String(v);
  }
  void Field(absl::string_view k, const char* v) {
    Key(k);
    String(v);
  }
  void Field(absl::string_view k, const std::string& v) {
    Key(k);
    String(v);
  }
  void Field(absl::string_view k, bool v) {
    Key(k);
    writer_.Bool(v);
  }
  void Field(absl::string_view k, uint64_t v) {
    Key(k);
    writer_.Uint64(v);
  }
  void Field(absl::string_view k, int v) {
    Key(k);
    writer_.Int(v);
  }
  void Field(absl::string_view k, const std::optional<uint64_t>& v) {
    Key(k);
    if (v)
      writer_.Uint64(*v);
    else
      writer_.Null();
  }
  void Field(absl::string_view k, const std::optional<std::string>& v) {
    Key(k);
    if (v)
      String(*v);
    else
      writer_.Null();
  }
  void NullField(absl::string_view k) {
    Key(k);
    writer_.Null();
  }

  // Writes the document to stdout followed by a newline.
  void Print() { std::cout << buffer_.GetString() << "\n"; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer_;
};

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_JSON_WRITER_H_
