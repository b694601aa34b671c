#include "internal/json.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "rapidjson/encodedstream.h"
#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace relkit::internal {

namespace {

// A SAX handler in front of a Document that refuses to go deeper than
// `max_depth` levels of arrays and objects. With the iterative reader
// (kParseIterativeFlag, whose stack is on the heap) nothing recurses while
// parsing, and nothing deeper than the limit ever reaches the Document.
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(rapidjson::Document& doc, int max_depth)
      : doc_(doc), max_depth_(max_depth) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) {
    return doc_.RawNumber(str, length, copy);
  }
  bool String(const char* str, rapidjson::SizeType length, bool copy) {
    return doc_.String(str, length, copy);
  }
  bool Key(const char* str, rapidjson::SizeType length, bool copy) {
    return doc_.Key(str, length, copy);
  }
  bool StartObject() { return Enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return Enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return doc_.EndArray(elements);
  }

  bool too_deep() const { return too_deep_; }

 private:
  bool Enter() {
    if (depth_ >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    ++depth_;
    return true;
  }

  rapidjson::Document& doc_;
  const int max_depth_;
  int depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace

absl::StatusOr<rapidjson::Document> ParseJson(absl::string_view text,
                                              absl::string_view source,
                                              int max_depth) {
  rapidjson::Document doc;
  rapidjson::Reader reader;
  DepthLimitedHandler handler(doc, max_depth);
  // Populate hands the Document to the generator as the handler and keeps
  // the root only when the generator succeeds.
  auto generate = [&](rapidjson::Document& target) {
    (void)target;  // `handler` wraps it
    rapidjson::MemoryStream memory(text.data(), text.size());
    // As Document::Parse does: skips a UTF-8 byte order mark.
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream>
        stream(memory);
    return !reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler)
                .IsError();
  };
  doc.Populate(generate);
  if (!reader.HasParseError()) return doc;
  const size_t offset = std::min(reader.GetErrorOffset(), text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  const std::string what =
      handler.too_deep()
          ? absl::StrCat("nested deeper than ", max_depth, " levels")
          : std::string(
                rapidjson::GetParseError_En(reader.GetParseErrorCode()));
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", line, ":", column, ": invalid JSON: ", what));
}

std::string WriteJson(const rapidjson::Value& value, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    value.Accept(writer);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::Status JsonReader::Error(absl::string_view path,
                               absl::string_view what) const {
  return absl::InvalidArgumentError(
      absl::StrCat(source_, ": ", path, ": ", what));
}

absl::StatusOr<const rapidjson::Value*> JsonReader::Member(
    const rapidjson::Value& obj, absl::string_view key,
    absl::string_view path) const {
  if (!obj.IsObject()) return Error(path, "expected an object");
  auto it = obj.FindMember(
      rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
  if (it == obj.MemberEnd()) {
    return Error(path, absl::StrCat("missing field \"", key, "\""));
  }
  return &it->value;
}

absl::StatusOr<std::string> JsonReader::String(const rapidjson::Value& obj,
                                               absl::string_view key,
                                               absl::string_view path) const {
  auto member = Member(obj, key, path);
  if (!member.ok()) return member.status();
  if (!(*member)->IsString()) {
    return Error(absl::StrCat(path, ".", key), "expected a string");
  }
  return std::string((*member)->GetString(), (*member)->GetStringLength());
}

absl::StatusOr<std::optional<std::string>> JsonReader::OptionalString(
    const rapidjson::Value& obj, absl::string_view key,
    absl::string_view path) const {
  if (!obj.IsObject()) return Error(path, "expected an object");
  auto it = obj.FindMember(
      rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) {
    return Error(absl::StrCat(path, ".", key), "expected a string or null");
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

absl::StatusOr<int64_t> JsonReader::Int(const rapidjson::Value& obj,
                                        absl::string_view key,
                                        absl::string_view path) const {
  auto member = Member(obj, key, path);
  if (!member.ok()) return member.status();
  if (!(*member)->IsInt64()) {
    return Error(absl::StrCat(path, ".", key), "expected an integer");
  }
  return (*member)->GetInt64();
}

absl::StatusOr<bool> JsonReader::Bool(const rapidjson::Value& obj,
                                      absl::string_view key,
                                      absl::string_view path) const {
  auto member = Member(obj, key, path);
  if (!member.ok()) return member.status();
  if (!(*member)->IsBool()) {
    return Error(absl::StrCat(path, ".", key), "expected true or false");
  }
  return (*member)->GetBool();
}

absl::StatusOr<std::vector<std::string>> JsonReader::StringArray(
    const rapidjson::Value& obj, absl::string_view key,
    absl::string_view path) const {
  auto member = Member(obj, key, path);
  if (!member.ok()) return member.status();
  const std::string where = absl::StrCat(path, ".", key);
  if (!(*member)->IsArray())
    return Error(where, "expected an array of strings");
  std::vector<std::string> out;
  out.reserve((*member)->Size());
  for (rapidjson::SizeType i = 0; i < (*member)->Size(); ++i) {
    const rapidjson::Value& item = (**member)[i];
    if (!item.IsString()) {
      return Error(absl::StrCat(where, "[", i, "]"), "expected a string");
    }
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

}  // namespace relkit::internal
