// File: relkit/s3_xml.h
// -----------------------------------------------------------------------------
//
// The XML documents of the S3 REST API that relkit's S3 store reads, parsed
// into values (with expat; no hand-written XML parsing):
// ListObjectsV2 results, error bodies, the upload id of a new multipart
// upload and the ETag of a copy or a completed upload.
//
//   absl::StatusOr<relkit::S3ListResult> page =
//       relkit::ParseS3ListObjectsV2(body);
//   if (!page.ok()) return page.status();  // InvalidArgument: line:column
//   for (const relkit::S3ListEntry& e : page->contents) e.key;
//   if (page->is_truncated) next = page->next_continuation_token;
//
// Every parser returns InvalidArgument naming the document
// ("ListBucketResult", ...) and the line and column of malformed XML, or the
// missing element. Documents over 64 MiB or nested deeper than 32 elements
// are refused.

#ifndef RELKIT_S3_XML_H_
#define RELKIT_S3_XML_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relkit {

// One `<Contents>` of a listing.
struct S3ListEntry {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // as sent, quotes included
  std::string last_modified;

  friend bool operator==(const S3ListEntry&, const S3ListEntry&) = default;
};

// A ListObjectsV2 page (`<ListBucketResult>`).
struct S3ListResult {
  std::vector<S3ListEntry> contents;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;

  friend bool operator==(const S3ListResult&, const S3ListResult&) = default;
};

// Parses a ListObjectsV2 response body. Returns InvalidArgument when it is
// not well-formed XML, not a `ListBucketResult`, an entry lacks `Key` or has
// a `Size` that is not a number, or `IsTruncated` is true without a
// `NextContinuationToken`.
absl::StatusOr<S3ListResult> ParseS3ListObjectsV2(absl::string_view xml);

// An S3 error body (`<Error><Code>...`).
struct S3ErrorBody {
  std::string code;  // "AccessDenied", "SlowDown", ...
  std::string message;
  std::string key;
  std::string request_id;

  friend bool operator==(const S3ErrorBody&, const S3ErrorBody&) = default;
};

// Parses an error body. Returns InvalidArgument when it is not well-formed
// XML or its root is not `Error`.
absl::StatusOr<S3ErrorBody> ParseS3Error(absl::string_view xml);

// Returns true when `xml` is an S3 error document (S3 answers some copies
// and CompleteMultipartUpload with 200 and an `<Error>` body).
bool IsS3ErrorDocument(absl::string_view xml);

// Parses `<InitiateMultipartUploadResult>` and returns its `UploadId`.
absl::StatusOr<std::string> ParseS3UploadId(absl::string_view xml);

// Parses `<CopyObjectResult>`, `<CopyPartResult>` or
// `<CompleteMultipartUploadResult>` and returns its `ETag` (quotes kept).
absl::StatusOr<std::string> ParseS3ResultETag(absl::string_view xml);

}  // namespace relkit

#endif  // RELKIT_S3_XML_H_
