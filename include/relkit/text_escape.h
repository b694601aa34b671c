// File: relkit/text_escape.h
// -----------------------------------------------------------------------------
//
// Text from outside (GitHub titles, labels, check names, milestone titles,
// commit subjects, index names, file contents) is data: on a terminal it must
// not move the cursor, hide the lines after it or reverse their direction,
// nor end a line and start a forged one. Every text report and every message
// the CLI prints goes through TextEscape, field by field; JSON has its own
// escaping (relkit/json_writer.h) and HTML its own (relkit/html.h).
//
//   std::cout << "  #" << issue.number << "  "
//             << relkit::TextEscape(issue.title) << "\n";
//   // "ok\nREADY\x1b[8m" prints as  ok\nREADY\x1b[8m  on one line
//
// The escapes are visible and unambiguous about what was there: `\n`, `\r`,
// `\t`, `\xNN` for the other C0 controls, DEL and bytes that are not UTF-8,
// and `\uNNNN` for the C1 controls and the Unicode bidirectional and line
// separator characters. A backslash is left as it is, so paths and text
// without control characters print unchanged.

#ifndef RELKIT_TEXT_ESCAPE_H_
#define RELKIT_TEXT_ESCAPE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace relkit {

// Returns `text` safe to print as one field of a line on a terminal:
//   - C0 controls (U+0000-U+001F): `\n`, `\r`, `\t`, else `\xNN`;
//   - DEL (0x7f): `\x7f`;
//   - C1 controls (U+0080-U+009F, encoded in UTF-8): `\u0080`...`\u009f`;
//   - bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
//     U+2066-U+2069) and U+2028/U+2029 (line and paragraph separator):
//     `\uNNNN`;
//   - each byte of an invalid UTF-8 sequence (a stray continuation, a
//     truncated, overlong or surrogate encoding, a code point past
//     U+10FFFF): `\xNN`.
// Everything else, printable ASCII and valid UTF-8, is copied as it is.
// With Newlines::kKeep, a `\n` stays a line break (for text whose lines are
// meant to be lines, such as a comment); every other control is escaped.
enum class Newlines : uint8_t { kEscape, kKeep };
std::string TextEscape(absl::string_view text,
                       Newlines newlines = Newlines::kEscape);

}  // namespace relkit

#endif  // RELKIT_TEXT_ESCAPE_H_
