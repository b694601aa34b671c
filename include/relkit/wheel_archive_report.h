// File: relkit/wheel_archive_report.h
// -----------------------------------------------------------------------------
//
// Text and JSON of wheel rewrites and RECORD checks (relkit/wheel_archive.h),
// as `relkit pypi rewrite` and `relkit pypi verify` print them; staging can
// put the same JSON objects in its own reports. Paths, member names and
// classifiers go through TextEscape in text; JSON keeps them exact.
//
//   std::cout << relkit::WheelRewriteText(*rewrite);
//   relkit::WriteWheelRewriteJson(json, *rewrite);   // one object

#ifndef RELKIT_WHEEL_ARCHIVE_REPORT_H_
#define RELKIT_WHEEL_ARCHIVE_REPORT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "relkit/json_writer.h"
#include "relkit/wheel_archive.h"

namespace relkit {

// Returns "<input> -> <output>" and what changed (version, classifiers
// removed, members rewritten and copied) or "unchanged", then the size and
// sha256 of the output; lines end in "\n".
std::string WheelRewriteText(const WheelRewrite& rewrite);

// Writes one object: input, output, file_name, old_version, new_version,
// unchanged, removed_classifiers, changed_members, copied_members, size,
// sha256.
void WriteWheelRewriteJson(JsonWriter& out, const WheelRewrite& rewrite);

// Returns "<wheel>: RECORD verifies (N members hashed)" or "... does not
// verify (N members hashed, K problems)" and a line per problem.
std::string RecordCheckText(absl::string_view wheel, const RecordCheck& check);

// Writes one object: input, ok, members_checked, problems [{member,
// problem}].
void WriteRecordCheckJson(JsonWriter& out, absl::string_view wheel,
                          const RecordCheck& check);

}  // namespace relkit

#endif  // RELKIT_WHEEL_ARCHIVE_REPORT_H_
