// The PEP 503 pages of a channel and the reports of an index plan.

#include "relkit/package_index_page.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "relkit/html.h"
#include "relkit/json_writer.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

bool IsPathChar(unsigned char c) {
  if (absl::ascii_isalnum(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '/':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string IndexHref(absl::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "/";
  for (size_t i = 0; i < key.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(key[i]);
    // PyTorch's keys carry `%2B` for `+`: an escape already there is kept,
    // so the link names the same object, as manage_v2.py's `/{key}` does.
    if (c == '%' && i + 2 < key.size() && absl::ascii_isxdigit(key[i + 1]) &&
        absl::ascii_isxdigit(key[i + 2])) {
      out.push_back('%');
      continue;
    }
    if (IsPathChar(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string PackageIndexPageHtml(const IndexPage& page) {
  std::string out =
      absl::StrCat("<!DOCTYPE html>\n<html>\n  <body>\n    <h1>Links for ",
                   HtmlEscape(page.package), "</h1>\n");
  for (const IndexLink& link : page.links) {
    std::string href = IndexHref(link.key);
    if (link.sha256) absl::StrAppend(&href, "#sha256=", *link.sha256);
    absl::StrAppend(&out, "    <a href=\"", HtmlEscape(href), "\">",
                    HtmlEscape(link.file_name), "</a><br/>\n");
  }
  absl::StrAppend(&out, "  </body>\n</html>\n");
  return out;
}

void RenderIndexPlan(IndexPlan& plan) {
  for (IndexPage& page : plan.pages) {
    page.html = PackageIndexPageHtml(page);
    if (!page.existing) {
      page.change = IndexPageChange::kNew;
    } else {
      page.change = *page.existing == page.html ? IndexPageChange::kUnchanged
                                                : IndexPageChange::kChanged;
    }
  }
}

std::string IndexPlanText(const IndexPlan& plan, bool executed) {
  std::string out = absl::StrCat(executed ? "index pages regenerated in "
                                          : "index plan (dry run: "
                                            "nothing is written) for ",
                                 TextEscape(plan.store), " prefix \"",
                                 TextEscape(plan.prefix), "\"\n");
  for (const IndexPage& page : plan.pages) {
    const bool writes = page.change == IndexPageChange::kNew ||
                        page.change == IndexPageChange::kChanged;
    absl::StrAppend(
        &out, "  ", IndexPageChangeName(page.change), ": ",
        TextEscape(page.key), "  (", page.links.size(), " links)",
        writes ? (executed ? "  written" : "  would be written") : "", "\n");
  }
  for (const std::string& key : plan.computed_sha256) {
    absl::StrAppend(&out, "  note: no checksum-sha256 on ", TextEscape(key),
                    ": sha256 computed by reading it\n");
  }
  for (const std::string& package : plan.packages_without_wheels) {
    absl::StrAppend(&out, "  note: no wheel of ", TextEscape(package),
                    " under the prefix: no page\n");
  }
  absl::StrAppend(&out, plan.pages_to_write(), " of ", plan.pages.size(),
                  " pages ", executed ? "written" : "to write", "\n");
  return out;
}

std::string IndexPlanJson(const IndexPlan& plan, bool executed) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", !executed);
  out.Field("store", plan.store);
  out.Field("prefix", plan.prefix);
  out.Key("packages");
  out.StartArray();
  for (const std::string& p : plan.packages) out.String(p);
  out.EndArray();
  out.Key("pages");
  out.StartArray();
  for (const IndexPage& page : plan.pages) {
    out.StartObject();
    out.Field("key", page.key);
    out.Field("package", page.package);
    out.Field("folder", page.folder);
    out.Field("change", IndexPageChangeName(page.change));
    out.Key("links");
    out.StartArray();
    for (const IndexLink& link : page.links) {
      out.StartObject();
      out.Field("key", link.key);
      out.Field("file_name", link.file_name);
      out.Field("sha256", link.sha256);
      out.Field("sha256_computed", link.sha256_computed);
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  out.Key("computed_sha256");
  out.StartArray();
  for (const std::string& key : plan.computed_sha256) out.String(key);
  out.EndArray();
  out.Key("packages_without_wheels");
  out.StartArray();
  for (const std::string& p : plan.packages_without_wheels) out.String(p);
  out.EndArray();
  out.Field("pages_to_write", plan.pages_to_write());
  out.EndObject();
  return out.str() + "\n";
}

absl::StatusOr<IndexResult> RegenerateIndexes(
    ObjectStore& store, absl::string_view prefix,
    absl::Span<const std::string> packages, const IndexOptions& options) {
  RELKIT_ASSIGN_OR_RETURN(IndexPlan plan,
                          PlanIndexes(store, prefix, packages, options));
  RenderIndexPlan(plan);
  return ApplyIndexPlan(store, plan, options);
}

}  // namespace relkit
