// libFuzzer target for the RELEASE.md table parser of relkit/compat_matrix.h.
// Arbitrary bytes are parsed as a RELEASE.md. When a matrix comes out, its
// Markdown (both layouts) must parse again and render to the same text, its
// JSON must parse back to an equal matrix, and the queries must run.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "internal/markdown.h"
#include "relkit/compat_matrix.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  relkit::internal::SplitMarkdownRow(text);
  absl::StatusOr<relkit::CompatibilityMatrix> m =
      relkit::CompatibilityMatrix::FromMarkdown(text, "fuzz.md");
  if (!m.ok()) {
    Check(m.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  for (relkit::MarkdownLayout layout :
       {relkit::MarkdownLayout::kSeed, relkit::MarkdownLayout::kCurrent}) {
    const std::string md = m->ToMarkdown(layout);
    absl::StatusOr<relkit::CompatibilityMatrix> again =
        relkit::CompatibilityMatrix::FromMarkdown(md, "again.md");
    Check(again.ok());
    Check(again->ToMarkdown(layout) == md);
  }
  absl::StatusOr<relkit::CompatibilityMatrix> from_json =
      relkit::CompatibilityMatrix::FromJson(m->ToJson(false), "fuzz.json");
  Check(from_json.ok());
  Check(*from_json == *m);
  for (const relkit::MatrixRow& row : m->rows()) {
    for (const std::string& p : row.PythonVersions()) {
      Check(row.PythonStatus(p).ok());
    }
    Check(row.CudaStatus("12.4").ok());
    Check(row.RocmStatus("6.1").ok());
  }
  if (!m->rows().empty()) {
    Check(m->Diff(m->rows().front().release, m->rows().back().release).ok());
    m->ReleasesSupportingPython("3.12", true);
  }
  return 0;
}
