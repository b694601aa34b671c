#include "relkit/s3_xml.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The shape of AWS's answer (docs.aws.amazon.com, ListObjectsV2), with a
// key that needs escaping.
constexpr char kPage[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>pytorch</Name>
  <Prefix>whl/test/</Prefix>
  <KeyCount>2</KeyCount>
  <MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents>
    <Key>whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl</Key>
    <LastModified>2024-09-04T18:00:00.000Z</LastModified>
    <ETag>"9b2cf535f27731c974343645a3985328"</ETag>
    <Size>798000000</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>whl/test/a&amp;b.whl</Key>
    <Size>3</Size>
  </Contents>
  <CommonPrefixes><Prefix>whl/test/cpu/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";

TEST(S3XmlTest, ParsesAListingPage) {
  absl::StatusOr<S3ListResult> page = ParseS3ListObjectsV2(kPage);
  ASSERT_THAT(page.status(), IsOk());
  ASSERT_EQ(page->contents.size(), 2u);
  EXPECT_EQ(page->contents[0].key,
            "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl");
  EXPECT_EQ(page->contents[0].size, 798000000u);
  EXPECT_EQ(page->contents[0].etag, "\"9b2cf535f27731c974343645a3985328\"");
  EXPECT_EQ(page->contents[1].key, "whl/test/a&b.whl");
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_continuation_token,
            "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_THAT(page->common_prefixes, ElementsAre("whl/test/cpu/"));
}

TEST(S3XmlTest, ParsesErrorsUploadIdsAndResultETags) {
  absl::StatusOr<S3ErrorBody> error = ParseS3Error(
      "<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code><Message>"
      "Access Denied</Message><Key>whl/x.whl</Key><RequestId>R1</RequestId>"
      "</Error>");
  ASSERT_THAT(error.status(), IsOk());
  EXPECT_EQ(error->code, "AccessDenied");
  EXPECT_EQ(error->message, "Access Denied");
  EXPECT_EQ(error->key, "whl/x.whl");
  EXPECT_EQ(error->request_id, "R1");
  EXPECT_TRUE(IsS3ErrorDocument("<Error><Code>InternalError</Code></Error>"));
  EXPECT_FALSE(IsS3ErrorDocument("<CopyObjectResult/>"));
  EXPECT_FALSE(IsS3ErrorDocument(""));

  EXPECT_EQ(*ParseS3UploadId("<InitiateMultipartUploadResult><Bucket>b"
                             "</Bucket><UploadId>VXBsb2FkIElE</UploadId>"
                             "</InitiateMultipartUploadResult>"),
            "VXBsb2FkIElE");
  EXPECT_EQ(*ParseS3ResultETag("<CopyPartResult><ETag>\"e1\"</ETag>"
                               "</CopyPartResult>"),
            "\"e1\"");
  EXPECT_EQ(*ParseS3ResultETag("<CompleteMultipartUploadResult><ETag>\"e-3\""
                               "</ETag></CompleteMultipartUploadResult>"),
            "\"e-3\"");
}

TEST(S3XmlTest, MalformedDocumentsNameTheDocumentAndPosition) {
  EXPECT_THAT(ParseS3ListObjectsV2("<ListBucketResult>\n  <Contents>"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ListBucketResult: line 2, column")));
  EXPECT_THAT(ParseS3ListObjectsV2("<Error/>"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the root element is <Error>")));
  EXPECT_THAT(ParseS3ListObjectsV2("<ListBucketResult><Contents><Size>1</Size>"
                                   "</Contents></ListBucketResult>"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("Contents[0] has no Key")));
  EXPECT_THAT(
      ParseS3ListObjectsV2("<ListBucketResult><Contents><Key>k</Key><Size>-1"
                           "</Size></Contents></ListBucketResult>"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a number")));
  EXPECT_THAT(ParseS3ListObjectsV2("<ListBucketResult><IsTruncated>true"
                                   "</IsTruncated></ListBucketResult>"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no NextContinuationToken")));
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  EXPECT_THAT(ParseS3Error(deep), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("nested deeper than 32")));
  EXPECT_THAT(
      ParseS3UploadId("<InitiateMultipartUploadResult/>"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no UploadId")));
  EXPECT_THAT(ParseS3Error(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace relkit
