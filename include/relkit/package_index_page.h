// File: relkit/package_index_page.h
// -----------------------------------------------------------------------------
//
// The PEP 503 pages of relkit/package_index.h as HTML, the reports of an
// index plan, and RegenerateIndexes: plan, render and write in one call (what
// a promotion runs after its copies).
//
//   absl::StatusOr<relkit::IndexResult> done = relkit::RegenerateIndexes(
//       release_bucket, "whl/", {"torch", "torchvision"});
//   done->written;   // page keys that were new or changed
//
// A page, as manage_v2.py writes them (without its trailing
// `<!--TIMESTAMP ...-->` comment, which would make every page differ from
// the last and defeat "unchanged pages are not rewritten"):
//
//   <!DOCTYPE html>
//   <html>
//     <body>
//       <h1>Links for torch</h1>
//       <a href="/whl/cu121/torch-2.4.1%2Bcu121-cp312-cp312-linux_x86_64.whl#sha256=…">torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl</a><br/>
//     </body>
//   </html>
//
// Keys and names are HTML-escaped (relkit/html.h); an href is the key with
// bytes outside URL path characters percent-encoded (`%XX` already in a key,
// such as `%2B`, is kept).

#ifndef RELKIT_PACKAGE_INDEX_PAGE_H_
#define RELKIT_PACKAGE_INDEX_PAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "relkit/object_store.h"
#include "relkit/package_index.h"

namespace relkit {

// Returns the page's HTML (the format above).
std::string PackageIndexPageHtml(const IndexPage& page);

// Returns the href of an object key: "/" + the key, percent-encoded where a
// byte is not a URL path character.
std::string IndexHref(absl::string_view key);

// Sets every page's `html`, and its `change` by comparing with `existing`.
void RenderIndexPlan(IndexPlan& plan);

// Returns the plan as text: each page with new/changed/unchanged and its
// number of links, the computed checksums, packages without wheels. Keys go
// through TextEscape. `executed`: the pages were written (says so).
std::string IndexPlanText(const IndexPlan& plan, bool executed = false);
// Returns the plan as JSON (pages with their links, without the HTML).
std::string IndexPlanJson(const IndexPlan& plan, bool executed = false);

// Plans (PlanIndexes), renders and writes (ApplyIndexPlan) the pages of
// `packages` under `prefix` of `store`. Idempotent: a rerun writes nothing.
// Errors as those functions'.
absl::StatusOr<IndexResult> RegenerateIndexes(
    ObjectStore& store, absl::string_view prefix,
    absl::Span<const std::string> packages, const IndexOptions& options = {});

}  // namespace relkit

#endif  // RELKIT_PACKAGE_INDEX_PAGE_H_
