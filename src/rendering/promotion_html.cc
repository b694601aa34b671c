// HTML of a promotion plan: the `_repr_html_` of relkit.PromotionPlan in a
// notebook. A fragment (no <html>), since a notebook embeds it in its page.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "relkit/artifact_name.h"
#include "relkit/html.h"
#include "relkit/promotion.h"
#include "relkit/reports.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

// Rows of the copies and already-there tables shown at most; the rest are
// counted ("N more rows"): a whole release has hundreds of files.
constexpr size_t kMaxFileRows = 50;

// Keys, store descriptions and messages are outside text: control bytes and
// bidi overrides made visible first (as in text and Markdown), then
// HtmlTable / HtmlEscape escape them for the page.
std::string Outside(absl::string_view text) { return TextEscape(text); }

std::string Sha256Cell(const std::optional<std::string>& sha256) {
  return sha256 ? Outside(*sha256) : "unknown";
}

std::string PackagesTable(const PromotionPlan& plan) {
  std::vector<std::vector<std::string>> rows;
  for (const PromotionPackage& p : plan.packages) {
    std::string state;
    if (p.version.empty()) {
      state = "not in the release set";
    } else if (p.not_ga) {
      state = "refused: must be a GA version";
    }
    rows.push_back({Outside(p.package), Outside(p.version), Outside(p.variable),
                    absl::StrCat(p.found), absl::StrCat(p.to_copy),
                    absl::StrCat(p.already_there), absl::StrCat(p.conflicts),
                    state});
  }
  return HtmlTable({"package", "version", "variable", "found", "to copy",
                    "already there", "conflicts", ""},
                   rows, {.caption = "packages"});
}

std::string ProblemsTable(const PromotionPlan& plan) {
  std::vector<std::vector<std::string>> rows;
  for (const PromotionProblem& p : plan.problems) {
    rows.push_back({std::string(ProblemSeverityName(p.severity)),
                    std::string(PromotionProblemKindName(p.kind)),
                    Outside(p.message)});
  }
  return HtmlTable(
      {"severity", "kind", "message"}, rows,
      {.caption = absl::StrCat("problems: ", plan.error_count(), " errors, ",
                               plan.warning_count(), " warnings")});
}

std::string CopiesTable(const PromotionPlan& plan) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < plan.copies.size(); ++i) {
    // Only the rows shown are turned into text; the others are counted.
    if (i == kMaxFileRows) {
      rows.resize(plan.copies.size());
      break;
    }
    const PlannedCopy& c = plan.copies[i];
    rows.push_back({Outside(c.source_key), Outside(c.destination_key),
                    absl::StrCat(c.size), Sha256Cell(c.sha256)});
  }
  return HtmlTable(
      {"source", "destination", "size", "sha256"}, rows,
      {.caption = absl::StrCat("to copy: ", plan.copies.size(), " objects, ",
                               plan.bytes_to_copy(), " bytes"),
       .max_rows = kMaxFileRows});
}

std::string AlreadyPresentTable(const PromotionPlan& plan) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < plan.already_present.size(); ++i) {
    if (i == kMaxFileRows) {
      rows.resize(plan.already_present.size());
      break;
    }
    const AlreadyPresent& a = plan.already_present[i];
    rows.push_back({Outside(a.destination_key), absl::StrCat(a.size),
                    std::string(SameByName(a.same_by))});
  }
  return HtmlTable(
      {"destination", "size", "same by"}, rows,
      {.caption = absl::StrCat("already there: ", plan.already_present.size()),
       .max_rows = kMaxFileRows});
}

}  // namespace

std::string PromotionPlanHtml(const PromotionPlan& plan) {
  std::string out = "<div class=\"relkit-promotion-plan\">\n<p><b>";
  absl::StrAppend(
      &out, plan.ok() ? "plan ok" : "plan blocked",
      "</b> (dry run: nothing is copied): from ",
      HtmlEscape(Outside(plan.source)), " prefix <code>",
      HtmlEscape(Outside(plan.source_prefix)), "</code> to ",
      HtmlEscape(Outside(plan.destination)), " prefix <code>",
      HtmlEscape(Outside(plan.destination_prefix)), "</code>; ",
      plan.copies.size(), " objects to copy (", plan.bytes_to_copy(),
      " bytes), ", plan.already_present.size(), " already there, ",
      plan.error_count(), " errors, ", plan.warning_count(), " warnings</p>\n");
  absl::StrAppend(&out, PackagesTable(plan), "\n");
  if (!plan.problems.empty()) absl::StrAppend(&out, ProblemsTable(plan), "\n");
  absl::StrAppend(&out, CopiesTable(plan), "\n");
  if (!plan.already_present.empty()) {
    absl::StrAppend(&out, AlreadyPresentTable(plan), "\n");
  }
  absl::StrAppend(&out, "</div>\n");
  return out;
}

}  // namespace relkit
