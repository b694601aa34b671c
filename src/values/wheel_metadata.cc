#include "relkit/wheel_metadata.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace relkit {
namespace {

// One physical line of a text: its content without the line end, and the
// line end as written ("\n", "\r\n", or "" for a last line without one).
struct Line {
  absl::string_view content;
  absl::string_view end;
};

// Splits at `\n`, keeping a `\r` before it as part of the line end, so that
// an edit can write each untouched line back byte for byte.
std::vector<Line> SplitLines(absl::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == absl::string_view::npos) {
      lines.push_back({text.substr(start), ""});
      break;
    }
    size_t content_end = nl;
    if (content_end > start && text[content_end - 1] == '\r') --content_end;
    lines.push_back({text.substr(start, content_end - start),
                     text.substr(content_end, nl + 1 - content_end)});
    start = nl + 1;
  }
  return lines;
}

bool IsContinuation(absl::string_view line) {
  return !line.empty() && (line[0] == ' ' || line[0] == '\t');
}

// RFC 5322 field names: printable ASCII other than `:` and space.
bool IsFieldName(absl::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == ':') return false;
  }
  return true;
}

// Splits a header line "Name: value" into its name and value (the value
// without the one separating space). Returns nullopt when it is not a field.
std::optional<std::pair<absl::string_view, absl::string_view>> SplitField(
    absl::string_view line) {
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return std::nullopt;
  absl::string_view name = line.substr(0, colon);
  if (!IsFieldName(name)) return std::nullopt;
  absl::string_view value = line.substr(colon + 1);
  if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  return std::make_pair(name, value);
}

absl::Status LineError(absl::string_view source, size_t line,
                       absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", line, ": ", reason));
}

}  // namespace

absl::StatusOr<CoreMetadata> CoreMetadata::Parse(absl::string_view text,
                                                 absl::string_view source) {
  CoreMetadata out;
  const std::vector<Line> lines = SplitLines(text);
  size_t i = 0;
  for (; i < lines.size(); ++i) {
    const absl::string_view line = lines[i].content;
    if (line.empty()) {
      ++i;  // the blank line separating the headers from the body
      break;
    }
    if (IsContinuation(line)) {
      if (out.fields_.empty()) {
        return LineError(source, i + 1,
                         "continuation line before any header field");
      }
      // RFC 5322 unfolding: the line break goes, the whitespace stays.
      absl::StrAppend(&out.fields_.back().value, line);
      continue;
    }
    const auto field = SplitField(line);
    if (!field.has_value()) {
      return LineError(source, i + 1,
                       "expected a header field \"Name: value\"");
    }
    out.fields_.push_back(
        {std::string(field->first), std::string(field->second)});
  }
  // The body is kept verbatim from the first byte after the blank line.
  size_t offset = 0;
  for (size_t j = 0; j < i && j < lines.size(); ++j) {
    offset += lines[j].content.size() + lines[j].end.size();
  }
  out.body_ = std::string(text.substr(std::min(offset, text.size())));
  return out;
}

std::optional<std::string> CoreMetadata::Get(absl::string_view name) const {
  for (const Field& f : fields_) {
    if (absl::EqualsIgnoreCase(f.name, name)) return f.value;
  }
  return std::nullopt;
}

std::vector<std::string> CoreMetadata::GetAll(absl::string_view name) const {
  std::vector<std::string> out;
  for (const Field& f : fields_) {
    if (absl::EqualsIgnoreCase(f.name, name)) out.push_back(f.value);
  }
  return out;
}

absl::StatusOr<std::string> EditCoreMetadata(
    absl::string_view text, absl::string_view source, absl::string_view version,
    absl::Span<const std::string> remove_classifiers) {
  // Parse first so that an edit is never made to text that is not metadata.
  {
    absl::StatusOr<CoreMetadata> parsed = CoreMetadata::Parse(text, source);
    if (!parsed.ok()) return parsed.status();
    if (!parsed->Get("Version").has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": no Version field"));
    }
  }
  const std::vector<Line> lines = SplitLines(text);
  std::string out;
  out.reserve(text.size());
  bool in_headers = true;
  bool dropping = false;  // inside a dropped field's continuation lines
  bool version_set = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (!in_headers) {
      absl::StrAppend(&out, line.content, line.end);
      continue;
    }
    if (line.content.empty()) {
      in_headers = false;
      dropping = false;
      absl::StrAppend(&out, line.content, line.end);
      continue;
    }
    if (IsContinuation(line.content)) {
      if (!dropping) absl::StrAppend(&out, line.content, line.end);
      continue;
    }
    dropping = false;
    const auto field = SplitField(line.content);
    // Parse succeeded, so every non-continuation header line is a field.
    if (field.has_value() && absl::EqualsIgnoreCase(field->first, "Version") &&
        !version_set) {
      version_set = true;
      absl::StrAppend(&out, field->first, ": ", version, line.end);
      dropping = true;  // a folded old value goes with its first line
      continue;
    }
    if (field.has_value() &&
        absl::EqualsIgnoreCase(field->first, "Classifier")) {
      // Compared unfolded, as Parse (and so GetAll) reads it: a classifier
      // folded over continuation lines is still the same classifier.
      std::string unfolded(field->second);
      for (size_t j = i + 1; j < lines.size() && !lines[j].content.empty() &&
                             IsContinuation(lines[j].content);
           ++j) {
        absl::StrAppend(&unfolded, lines[j].content);
      }
      const absl::string_view value = absl::StripAsciiWhitespace(unfolded);
      bool drop = false;
      for (const std::string& c : remove_classifiers) {
        if (value == absl::StripAsciiWhitespace(c)) drop = true;
      }
      if (drop) {
        dropping = true;
        continue;
      }
    }
    absl::StrAppend(&out, line.content, line.end);
  }
  return out;
}

namespace {

// Reads one CSV record the way Python's csv module (excel dialect) does:
// `,` separates fields, `"` quotes a field (`""` is a quote inside one), and
// a record ends at `\n` or `\r\n` outside quotes.
struct CsvReader {
  absl::string_view text;
  size_t pos = 0;
  size_t line = 1;

  bool AtEnd() const { return pos >= text.size(); }

  absl::Status Next(absl::string_view source, std::vector<std::string>* row,
                    size_t* row_line) {
    row->clear();
    *row_line = line;
    std::string field;
    bool quoted = false;       // inside quotes
    bool was_quoted = false;   // this field began with a quote
    bool after_quote = false;  // the closing quote was just read
    while (pos < text.size()) {
      const char c = text[pos++];
      if (quoted) {
        if (c == '"') {
          if (pos < text.size() && text[pos] == '"') {
            field.push_back('"');
            ++pos;
          } else {
            quoted = false;
            after_quote = true;
          }
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
        }
        continue;
      }
      if (c == ',') {
        row->push_back(std::move(field));
        field.clear();
        was_quoted = after_quote = false;
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
        ++line;
        row->push_back(std::move(field));
        return absl::OkStatus();
      }
      if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
        continue;
      }
      if (after_quote) {
        return LineError(source, line, "text after a closing quote");
      }
      field.push_back(c);
    }
    if (quoted) return LineError(source, *row_line, "unterminated quote");
    row->push_back(std::move(field));
    return absl::OkStatus();
  }
};

bool NeedsQuotes(absl::string_view field) {
  return field.find_first_of(",\"\r\n") != absl::string_view::npos;
}

void AppendCsvField(std::string* out, absl::string_view field) {
  if (!NeedsQuotes(field)) {
    out->append(field.data(), field.size());
    return;
  }
  out->push_back('"');
  for (const char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

absl::StatusOr<std::vector<RecordEntry>> ParseRecord(absl::string_view text,
                                                     absl::string_view source) {
  std::vector<RecordEntry> out;
  CsvReader reader{text};
  std::vector<std::string> row;
  while (!reader.AtEnd()) {
    size_t row_line = 0;
    if (absl::Status s = reader.Next(source, &row, &row_line); !s.ok()) {
      return s;
    }
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    if (row.size() != 3) {
      return LineError(source, row_line,
                       absl::StrCat("expected 3 fields (path, hash, size), "
                                    "found ",
                                    row.size()));
    }
    if (row[0].empty()) return LineError(source, row_line, "empty path");
    RecordEntry entry;
    entry.path = std::move(row[0]);
    entry.hash = std::move(row[1]);
    if (!row[2].empty()) {
      uint64_t size = 0;
      const bool digits =
          row[2].find_first_not_of("0123456789") == std::string::npos;
      if (!digits || !absl::SimpleAtoi(row[2], &size)) {
        return LineError(source, row_line,
                         absl::StrCat("size \"", absl::CHexEscape(row[2]),
                                      "\" is not a number of bytes"));
      }
      entry.size = size;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::string FormatRecord(absl::Span<const RecordEntry> entries) {
  std::string out;
  for (const RecordEntry& e : entries) {
    AppendCsvField(&out, e.path);
    out.push_back(',');
    AppendCsvField(&out, e.hash);
    out.push_back(',');
    if (e.size.has_value()) absl::StrAppend(&out, *e.size);
    out.push_back('\n');
  }
  return out;
}

std::string RecordHashFromDigest(absl::string_view raw_digest) {
  // WebSafeBase64Escape is the urlsafe alphabet without padding, as PEP 376
  // and `wheel` write it.
  return absl::StrCat("sha256=", absl::WebSafeBase64Escape(raw_digest));
}

}  // namespace relkit
