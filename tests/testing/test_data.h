// Loads the JSON conformance vectors in tests/data/ (copied from
// pypa/packaging, see tests/data/SOURCES.md) for the table-driven tests.

#ifndef RELKIT_TESTS_TESTING_TEST_DATA_H_
#define RELKIT_TESTS_TESTING_TEST_DATA_H_

#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace relkit::testing {

// Returns the parsed JSON document tests/data/<name>; fails the current test
// (and returns an empty object) when the file is missing or malformed.
inline rapidjson::Document LoadTestJson(const std::string& name) {
  rapidjson::Document doc;
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) + "/" + name);
  if (!in) {
    ADD_FAILURE() << "cannot open test data " << name;
    doc.SetObject();
    return doc;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  doc.Parse(buffer.str().c_str());
  if (doc.HasParseError()) {
    ADD_FAILURE() << "malformed test data " << name;
    doc.SetObject();
  }
  return doc;
}

// Returns the table whose "test" field equals `test` from the "tables" array of
// `doc`; fails the current test when it is absent.
inline const rapidjson::Value* FindTable(const rapidjson::Document& doc,
                                         const std::string& test) {
  if (doc.HasMember("tables")) {
    for (const auto& table : doc["tables"].GetArray()) {
      if (table["test"].GetString() == test) return &table;
    }
  }
  ADD_FAILURE() << "no table " << test;
  return nullptr;
}

// Prints a tally of the conformance vectors a test binary checked, once, when
// the whole binary has run (a gtest environment, not a test: under ctest each
// test runs in its own process and sees only its own vectors). Register it at
// namespace scope:
//
//   const auto* const kTally = ::testing::AddGlobalTestEnvironment(
//       new VectorTally([] { return absl::StrCat("vectors checked: ", n); }));
class VectorTally : public ::testing::Environment {
 public:
  explicit VectorTally(std::function<std::string()> line)
      : line_(std::move(line)) {}
  void TearDown() override { std::cout << "[ relkit   ] " << line_() << "\n"; }

 private:
  std::function<std::string()> line_;
};

}  // namespace relkit::testing

#endif  // RELKIT_TESTS_TESTING_TEST_DATA_H_
