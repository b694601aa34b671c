#include "relkit/s3_xml.h"

#include <expat.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace relkit {
namespace {

constexpr size_t kMaxDocument = size_t{64} << 20;
constexpr int kMaxDepth = 32;

// A small element tree: S3 documents are a few levels deep and all that is
// read is element text, so a tree built by expat's callbacks is simpler to
// query than a streaming state machine per document.
struct Element {
  std::string name;
  std::string text;
  std::vector<std::unique_ptr<Element>> children;

  const Element* Child(absl::string_view child) const {
    for (const auto& c : children) {
      if (c->name == child) return c.get();
    }
    return nullptr;
  }
  std::string ChildText(absl::string_view child) const {
    const Element* c = Child(child);
    return c == nullptr ? std::string() : c->text;
  }
};

struct Builder {
  std::unique_ptr<Element> root;
  std::vector<Element*> stack;
  bool too_deep = false;
};

void OnStart(void* user, const XML_Char* name, const XML_Char** /*attrs*/) {
  auto* b = static_cast<Builder*>(user);
  if (static_cast<int>(b->stack.size()) >= kMaxDepth) {
    b->too_deep = true;
    return;
  }
  auto element = std::make_unique<Element>();
  element->name = name;
  Element* raw = element.get();
  if (b->stack.empty()) {
    b->root = std::move(element);
  } else {
    b->stack.back()->children.push_back(std::move(element));
  }
  b->stack.push_back(raw);
}

void OnEnd(void* user, const XML_Char* /*name*/) {
  auto* b = static_cast<Builder*>(user);
  if (b->too_deep) return;
  if (!b->stack.empty()) b->stack.pop_back();
}

void OnText(void* user, const XML_Char* text, int length) {
  auto* b = static_cast<Builder*>(user);
  if (b->too_deep || b->stack.empty()) return;
  b->stack.back()->text.append(text, static_cast<size_t>(length));
}

struct ParserDeleter {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

absl::StatusOr<std::unique_ptr<Element>> ParseTree(absl::string_view xml,
                                                   absl::string_view what) {
  if (xml.size() > kMaxDocument) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": document larger than ", kMaxDocument, " bytes"));
  }
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(
      XML_ParserCreate("UTF-8"));
  if (parser == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, ": cannot create an XML parser"));
  }
  Builder builder;
  XML_SetUserData(parser.get(), &builder);
  XML_SetElementHandler(parser.get(), &OnStart, &OnEnd);
  XML_SetCharacterDataHandler(parser.get(), &OnText);
  const XML_Status status = XML_Parse(parser.get(), xml.data(),
                                      static_cast<int>(xml.size()), XML_TRUE);
  if (builder.too_deep) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": line ", XML_GetCurrentLineNumber(parser.get()),
                     ", column ", XML_GetCurrentColumnNumber(parser.get()) + 1,
                     ": elements nested deeper than ", kMaxDepth));
  }
  if (status != XML_STATUS_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": line ", XML_GetCurrentLineNumber(parser.get()),
                     ", column ", XML_GetCurrentColumnNumber(parser.get()) + 1,
                     ": ", XML_ErrorString(XML_GetErrorCode(parser.get()))));
  }
  if (builder.root == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": no root element"));
  }
  return std::move(builder.root);
}

absl::StatusOr<std::unique_ptr<Element>> ParseRoot(
    absl::string_view xml, std::initializer_list<absl::string_view> roots) {
  const absl::string_view what = *roots.begin();
  absl::StatusOr<std::unique_ptr<Element>> tree = ParseTree(xml, what);
  if (!tree.ok()) return tree.status();
  for (absl::string_view root : roots) {
    if ((*tree)->name == root) return tree;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": the root element is <", (*tree)->name,
                   ">, expected <", what, ">"));
}

}  // namespace

absl::StatusOr<S3ListResult> ParseS3ListObjectsV2(absl::string_view xml) {
  absl::StatusOr<std::unique_ptr<Element>> root =
      ParseRoot(xml, {"ListBucketResult"});
  if (!root.ok()) return root.status();
  S3ListResult out;
  int index = 0;
  for (const auto& c : (*root)->children) {
    if (c->name == "Contents") {
      S3ListEntry e;
      const Element* key = c->Child("Key");
      if (key == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("ListBucketResult: Contents[", index, "] has no Key"));
      }
      e.key = key->text;
      const std::string size = c->ChildText("Size");
      if (!size.empty() && !absl::SimpleAtoi(size, &e.size)) {
        return absl::InvalidArgumentError(
            absl::StrCat("ListBucketResult: Contents[", index, "] (", e.key,
                         "): Size \"", size, "\" is not a number"));
      }
      e.etag = c->ChildText("ETag");
      e.last_modified = c->ChildText("LastModified");
      out.contents.push_back(std::move(e));
      ++index;
    } else if (c->name == "CommonPrefixes") {
      out.common_prefixes.push_back(c->ChildText("Prefix"));
    } else if (c->name == "IsTruncated") {
      out.is_truncated = absl::AsciiStrToLower(c->text) == "true";
    } else if (c->name == "NextContinuationToken") {
      out.next_continuation_token = c->text;
    }
  }
  if (out.is_truncated && out.next_continuation_token.empty()) {
    return absl::InvalidArgumentError(
        "ListBucketResult: IsTruncated is true but there is no "
        "NextContinuationToken");
  }
  return out;
}

absl::StatusOr<S3ErrorBody> ParseS3Error(absl::string_view xml) {
  absl::StatusOr<std::unique_ptr<Element>> root = ParseRoot(xml, {"Error"});
  if (!root.ok()) return root.status();
  S3ErrorBody out;
  out.code = (*root)->ChildText("Code");
  out.message = (*root)->ChildText("Message");
  out.key = (*root)->ChildText("Key");
  out.request_id = (*root)->ChildText("RequestId");
  return out;
}

bool IsS3ErrorDocument(absl::string_view xml) {
  absl::StatusOr<std::unique_ptr<Element>> tree = ParseTree(xml, "Error");
  return tree.ok() && (*tree)->name == "Error";
}

absl::StatusOr<std::string> ParseS3UploadId(absl::string_view xml) {
  absl::StatusOr<std::unique_ptr<Element>> root =
      ParseRoot(xml, {"InitiateMultipartUploadResult"});
  if (!root.ok()) return root.status();
  const Element* id = (*root)->Child("UploadId");
  if (id == nullptr || id->text.empty()) {
    return absl::InvalidArgumentError(
        "InitiateMultipartUploadResult: no UploadId");
  }
  return id->text;
}

absl::StatusOr<std::string> ParseS3ResultETag(absl::string_view xml) {
  absl::StatusOr<std::unique_ptr<Element>> root =
      ParseRoot(xml, {"CopyObjectResult", "CopyPartResult",
                      "CompleteMultipartUploadResult",
                      // moto's name for the last one
                      "CompleteMultipartUploadResponse"});
  if (!root.ok()) return root.status();
  const Element* etag = (*root)->Child("ETag");
  if (etag == nullptr || etag->text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat((*root)->name, ": no ETag"));
  }
  return etag->text;
}

}  // namespace relkit
