// Embedded default data compiled into librelkit (see cmake/RelkitEmbed.cmake
// and the relkit_embed_data() calls in CMakeLists.txt). Each function returns
// the whole file; the domain that owns the data parses it.

#ifndef RELKIT_SRC_INTERNAL_EMBEDDED_H_
#define RELKIT_SRC_INTERNAL_EMBEDDED_H_

#include "absl/strings/string_view.h"

namespace relkit::internal {

// One declaration per embedded file, e.g.
//   absl::string_view EmbeddedCompatMatrixJson();  // data/compat_matrix.json

// data/release_md_tables.md: compatibility matrix, CUDA arches, cadence.
absl::string_view EmbeddedReleaseMdTables();
// data/support_policy.json: CPython versions and EOL dates, OS table.
absl::string_view EmbeddedSupportPolicyJson();
// data/build_matrix.json: binary build matrix tables at test-infra@61a77570.
absl::string_view EmbeddedBuildMatrixJson();
// data/github/release_tracker_issue_template.md: test-infra's tracker template.
absl::string_view EmbeddedReleaseTrackerTemplate();

}  // namespace relkit::internal

#endif  // RELKIT_SRC_INTERNAL_EMBEDDED_H_
