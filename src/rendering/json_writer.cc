#include "relkit/json_writer.h"

#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"

namespace relkit {

struct JsonWriter::Impl {
  Impl() : writer(buffer) { writer.SetIndent(' ', 2); }
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer;
};

namespace {
rapidjson::SizeType Size(absl::string_view s) {
  return static_cast<rapidjson::SizeType>(s.size());
}
}  // namespace

JsonWriter::JsonWriter() : impl_(std::make_unique<Impl>()) {}
JsonWriter::~JsonWriter() = default;

void JsonWriter::StartObject() { impl_->writer.StartObject(); }
void JsonWriter::EndObject() { impl_->writer.EndObject(); }
void JsonWriter::StartArray() { impl_->writer.StartArray(); }
void JsonWriter::EndArray() { impl_->writer.EndArray(); }
void JsonWriter::Key(absl::string_view key) {
  impl_->writer.Key(key.data(), Size(key));
}
void JsonWriter::String(absl::string_view value) {
  impl_->writer.String(value.data(), Size(value));
}
void JsonWriter::Bool(bool value) { impl_->writer.Bool(value); }
void JsonWriter::Int64(int64_t value) { impl_->writer.Int64(value); }
void JsonWriter::Uint64(uint64_t value) { impl_->writer.Uint64(value); }
void JsonWriter::Null() { impl_->writer.Null(); }
void JsonWriter::RawValue(absl::string_view json) {
  // The type only decides the indentation of what follows; an object is what
  // reports splice in.
  impl_->writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

void JsonWriter::Field(absl::string_view key, absl::string_view value) {
  Key(key);
  String(value);
}
void JsonWriter::Field(absl::string_view key, const char* value) {
  Field(key, absl::string_view(value));
}
void JsonWriter::Field(absl::string_view key, const std::string& value) {
  Field(key, absl::string_view(value));
}
void JsonWriter::Field(absl::string_view key, bool value) {
  Key(key);
  Bool(value);
}
void JsonWriter::Field(absl::string_view key, int value) {
  Key(key);
  impl_->writer.Int(value);
}
void JsonWriter::Field(absl::string_view key, int64_t value) {
  Key(key);
  Int64(value);
}
void JsonWriter::Field(absl::string_view key, uint64_t value) {
  Key(key);
  Uint64(value);
}
void JsonWriter::Field(absl::string_view key,
                       const std::optional<uint64_t>& value) {
  Key(key);
  value ? Uint64(*value) : Null();
}
void JsonWriter::Field(absl::string_view key,
                       const std::optional<int64_t>& value) {
  Key(key);
  value ? Int64(*value) : Null();
}
void JsonWriter::Field(absl::string_view key,
                       const std::optional<std::string>& value) {
  Key(key);
  value ? String(*value) : Null();
}
void JsonWriter::NullField(absl::string_view key) {
  Key(key);
  Null();
}

std::string JsonWriter::str() const {
  return std::string(impl_->buffer.GetString(), impl_->buffer.GetSize());
}

}  // namespace relkit
