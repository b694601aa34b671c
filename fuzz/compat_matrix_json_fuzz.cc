// libFuzzer target for the JSON loader of relkit/compat_matrix.h
// (CompatibilityMatrix::FromJson; compat_matrix_markdown_fuzz covers the
// RELEASE.md reader). Arbitrary bytes are loaded as a matrix file.
//
// Beyond "does not crash": a rejected file is InvalidArgument naming its
// source; an accepted one writes JSON (compact and pretty) that loads back to
// an equal matrix and writes identically again; Markdown export in both
// layouts, the support queries and the diff between every pair of rows run
// and keep their contracts. Violations abort, which libFuzzer reports as a
// crash with the input saved.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "relkit/compat_matrix.h"

namespace {

void Check(bool ok, const char* what, size_t size) {
  if (ok) return;
  std::fprintf(stderr, "compat_matrix_json_fuzz: %s (input of %zu bytes)\n",
               what, size);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::CompatibilityMatrix> m =
      relkit::CompatibilityMatrix::FromJson(text, "fuzz.json");
  if (!m.ok()) {
    Check(m.status().code() == absl::StatusCode::kInvalidArgument,
          "error is not InvalidArgument", size);
    Check(absl::StartsWith(m.status().message(), "fuzz.json"),
          "error does not start with the source name", size);
    return 0;
  }
  for (bool pretty : {false, true}) {
    const std::string json = m->ToJson(pretty);
    absl::StatusOr<relkit::CompatibilityMatrix> again =
        relkit::CompatibilityMatrix::FromJson(json, "again.json");
    Check(again.ok(), "written JSON does not load", size);
    Check(*again == *m, "matrix changed in a JSON round trip", size);
    Check(again->ToJson(pretty) == json, "JSON is written differently twice",
          size);
  }
  (void)m->ToMarkdown(relkit::MarkdownLayout::kSeed);
  (void)m->ToMarkdown(relkit::MarkdownLayout::kCurrent);
  for (const relkit::MatrixRow& row : m->rows()) {
    Check(m->Find(row.release) == &row, "Find does not return the row", size);
    for (const std::string& p : row.PythonVersions()) {
      absl::StatusOr<relkit::SupportStatus> s = row.PythonStatus(p);
      Check(s.ok() && *s != relkit::SupportStatus::kUnsupported,
            "a listed Python version is unsupported", size);
    }
    for (const relkit::CudaEntry& c : row.stable_cuda) {
      absl::StatusOr<relkit::SupportStatus> s = row.CudaStatus(c.version);
      Check(s.ok() && *s != relkit::SupportStatus::kUnsupported,
            "a listed CUDA version is unsupported", size);
    }
    (void)row.PythonCell();
    (void)row.StableCudaCell();
    (void)row.ExperimentalCudaCell();
    (void)row.RocmCell();
    (void)row.RocmStatus("6.1");
  }
  for (const relkit::MatrixRow& a : m->rows()) {
    for (const relkit::MatrixRow& b : m->rows()) {
      absl::StatusOr<relkit::MatrixDiff> d = m->Diff(a.release, b.release);
      Check(d.ok(), "diff between two rows failed", size);
      if (&a == &b)
        Check(d->changes.empty(), "a row differs from itself", size);
      (void)d->Summary();
    }
  }
  (void)m->ReleasesSupportingPython("3.12", true);
  return 0;
}
