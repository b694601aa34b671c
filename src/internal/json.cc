#include "internal/json.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "rapidjson/error/en.h"

namespace relkit::internal {

absl::StatusOr<rapidjson::Document> ParseJson(absl::string_view text,
                                              absl::string_view source) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (!doc.HasParseError()) return doc;
  const size_t offset = std::min(doc.GetErrorOffset(), text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      source, ":", line, ":", column,
      ": invalid JSON: ", rapidjson::GetParseError_En(doc.GetParseError())));
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
