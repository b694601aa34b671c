// JSON output for the CLI's --json flags: the library's JsonWriter, printed
// to stdout.

#ifndef RELKIT_SRC_CLI_JSON_WRITER_H_
#define RELKIT_SRC_CLI_JSON_WRITER_H_

#include <iostream>

#include "relkit/json_writer.h"

namespace relkit::cli {

// A pretty-printing JSON writer that prints to stdout when done.
class JsonOut : public JsonWriter {
 public:
  // The writer itself (what the commands' `out.w().StartObject()` calls).
  JsonWriter& w() { return *this; }

  // Writes the document to stdout followed by a newline.
  void Print() { std::cout << str() << "\n"; }
};

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_JSON_WRITER_H_
