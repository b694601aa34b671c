// libFuzzer target for relkit/s3_xml.h: the S3 XML documents read with
// expat. Every parser must return a value or InvalidArgument, never crash;
// a parsed listing keeps its invariants (a truncated page has a token).

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "relkit/s3_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<relkit::S3ListResult> page =
      relkit::ParseS3ListObjectsV2(input);
  if (page.ok() && page->is_truncated &&
      page->next_continuation_token.empty()) {
    std::abort();
  }
  if (!page.ok() &&
      page.status().code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
  absl::StatusOr<relkit::S3ErrorBody> error = relkit::ParseS3Error(input);
  if (error.ok() != relkit::IsS3ErrorDocument(input)) std::abort();
  (void)relkit::ParseS3UploadId(input);
  (void)relkit::ParseS3ResultETag(input);
  return 0;
}
