// Text, JSON and Markdown of a promotion plan (`relkit promote`).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "relkit/artifact_name.h"
#include "relkit/html.h"
#include "relkit/json_writer.h"
#include "relkit/promotion.h"
#include "relkit/promotion_apply.h"
#include "relkit/reports.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

// Keys and store descriptions are outside text: every one goes through the
// shared terminal escaper, so no key can end a line, move the cursor or
// reverse the text after it.
std::string Term(absl::string_view text) { return TextEscape(text); }

// Outside text inside an HTML block of the Markdown summary: control bytes
// made visible first (a line break could end the block), then HTML-escaped.
std::string Html(absl::string_view text) { return HtmlEscape(Term(text)); }

// A Markdown table cell: HTML-escaped, and `|` cannot split the cell.
std::string Cell(absl::string_view text) {
  return absl::StrReplaceAll(Html(text), {{"|", "&#124;"}});
}

std::string Sha256Text(const std::optional<std::string>& sha256) {
  return sha256 ? absl::StrCat("sha256 ", Term(*sha256)) : "sha256 unknown";
}

// "" for a key at the top of the store.
absl::string_view Folder(absl::string_view key) {
  const size_t slash = key.rfind('/');
  return slash == absl::string_view::npos ? absl::string_view()
                                          : key.substr(0, slash + 1);
}

std::string PackageLine(const PromotionPackage& p) {
  std::string out = absl::StrCat("  ", Term(p.package));
  if (p.version.empty()) {
    absl::StrAppend(&out, ": not in the release set");
    return out;
  }
  absl::StrAppend(&out, "==", Term(p.version), " (", Term(p.variable), "): ");
  if (p.not_ga) {
    absl::StrAppend(&out, "refused, must be a GA version");
    return out;
  }
  absl::StrAppend(&out, p.found, " found, ", p.to_copy, " to copy, ",
                  p.already_there, " already there");
  if (p.conflicts > 0) absl::StrAppend(&out, ", ", p.conflicts, " conflicts");
  return out;
}

std::string Verdict(const PromotionPlan& plan) {
  if (!plan.ok()) {
    return absl::StrCat("plan blocked: ", plan.error_count(),
                        plan.error_count() == 1 ? " error" : " errors");
  }
  std::string out =
      absl::StrCat("plan ok: ", plan.copies.size(), " objects to copy (",
                   plan.bytes_to_copy(), " bytes), ",
                   plan.already_present.size(), " already there");
  if (plan.has_mirror()) {
    absl::StrAppend(&out, "; mirror: ", plan.mirror_copies.size(),
                    " to upload, ", plan.mirror_already_present.size(),
                    " already there");
  }
  return out;
}

void WriteCopyFields(JsonWriter& out, absl::string_view package,
                     const Version& version, ArtifactKind kind,
                     absl::string_view source, absl::string_view destination,
                     uint64_t size, const std::optional<std::string>& sha256) {
  out.Field("package", package);
  out.Field("version", version.ToString());
  out.Field("kind", ArtifactKindName(kind));
  out.Field("source", source);
  out.Field("destination", destination);
  out.Field("size", size);
  out.Field("sha256", sha256);
}

}  // namespace

std::string PromotionPlanText(const PromotionPlan& plan) {
  std::string out = "promotion plan (dry run: nothing is copied)\n";
  absl::StrAppend(&out, "  from: ", Term(plan.source), " prefix \"",
                  Term(plan.source_prefix), "\"\n");
  absl::StrAppend(&out, "  to:   ", Term(plan.destination), " prefix \"",
                  Term(plan.destination_prefix), "\"\n");
  absl::StrAppend(&out, "packages:\n");
  for (const PromotionPackage& p : plan.packages) {
    absl::StrAppend(&out, PackageLine(p), "\n");
  }
  absl::StrAppend(&out, "to copy (", plan.copies.size(), " objects, ",
                  plan.bytes_to_copy(), " bytes):\n");
  for (const PlannedCopy& c : plan.copies) {
    absl::StrAppend(&out, "  ", Term(c.source_key), " -> ",
                    Term(c.destination_key), "  (", c.size, " bytes, ",
                    Sha256Text(c.sha256), c.overwrite ? ", OVERWRITES" : "",
                    ")\n");
  }
  absl::StrAppend(&out, "already there (", plan.already_present.size(), "):\n");
  for (const AlreadyPresent& a : plan.already_present) {
    absl::StrAppend(&out, "  ", Term(a.destination_key), "  (", a.size,
                    " bytes, same ", SameByName(a.same_by), ")\n");
  }
  if (plan.has_mirror()) {
    absl::StrAppend(&out, "mirror: ", Term(plan.mirror), " prefix \"",
                    Term(plan.mirror_prefix), "\"\n");
    absl::StrAppend(&out, "  to upload (", plan.mirror_copies.size(), "):\n");
    for (const PlannedCopy& c : plan.mirror_copies) {
      absl::StrAppend(&out, "    ", Term(c.source_key), " -> ",
                      Term(c.destination_key), "  (", c.size, " bytes",
                      c.overwrite ? ", OVERWRITES" : "", ")\n");
    }
    absl::StrAppend(&out, "  already there (",
                    plan.mirror_already_present.size(), "):\n");
    for (const AlreadyPresent& a : plan.mirror_already_present) {
      absl::StrAppend(&out, "    ", Term(a.destination_key), "  (", a.size,
                      " bytes, same ", SameByName(a.same_by), ")\n");
    }
  }
  if (!plan.problems.empty()) {
    absl::StrAppend(&out, "problems (", plan.error_count(), " errors, ",
                    plan.warning_count(), " warnings):\n");
    for (const PromotionProblem& p : plan.problems) {
      absl::StrAppend(&out, "  ", ProblemSeverityName(p.severity), ": ",
                      Term(p.message), "\n");
    }
  }
  absl::StrAppend(&out, Verdict(plan), "\n");
  return out;
}

namespace {

// Writes "copies" and "already_there" of one side (destination or mirror).
void WriteCopiesAndAlreadyThere(JsonWriter& out,
                                const std::vector<PlannedCopy>& copies,
                                const std::vector<AlreadyPresent>& present) {
  out.Key("copies");
  out.StartArray();
  for (const PlannedCopy& c : copies) {
    out.StartObject();
    WriteCopyFields(out, c.package, c.version, c.kind, c.source_key,
                    c.destination_key, c.size, c.sha256);
    out.Field("overwrite", c.overwrite);
    out.EndObject();
  }
  out.EndArray();
  out.Key("already_there");
  out.StartArray();
  for (const AlreadyPresent& a : present) {
    out.StartObject();
    WriteCopyFields(out, a.package, a.version, a.kind, a.source_key,
                    a.destination_key, a.size, a.sha256);
    out.Field("same_by", SameByName(a.same_by));
    out.EndObject();
  }
  out.EndArray();
}

}  // namespace

void WritePromotionProblemsJson(JsonWriter& out,
                                const std::vector<PromotionProblem>& problems) {
  out.Key("problems");
  out.StartArray();
  for (const PromotionProblem& p : problems) {
    out.StartObject();
    out.Field("severity", ProblemSeverityName(p.severity));
    out.Field("kind", PromotionProblemKindName(p.kind));
    out.Field("package", p.package);
    out.Field("key", p.key);
    out.Field("message", p.message);
    out.EndObject();
  }
  out.EndArray();
}

void WritePromotionPlanJson(JsonWriter& out, const PromotionPlan& plan) {
  out.StartObject();
  out.Field("dry_run", true);
  out.Field("ok", plan.ok());
  out.Key("source");
  out.StartObject();
  out.Field("store", plan.source);
  out.Field("prefix", plan.source_prefix);
  out.EndObject();
  out.Key("destination");
  out.StartObject();
  out.Field("store", plan.destination);
  out.Field("prefix", plan.destination_prefix);
  out.EndObject();
  out.Key("packages");
  out.StartArray();
  for (const PromotionPackage& p : plan.packages) {
    out.StartObject();
    out.Field("package", p.package);
    if (p.version.empty()) {
      out.NullField("version");
      out.NullField("variable");
    } else {
      out.Field("version", p.version);
      out.Field("variable", p.variable);
    }
    out.Field("not_ga", p.not_ga);
    out.Field("found", p.found);
    out.Field("to_copy", p.to_copy);
    out.Field("already_there", p.already_there);
    out.Field("conflicts", p.conflicts);
    out.EndObject();
  }
  out.EndArray();
  WriteCopiesAndAlreadyThere(out, plan.copies, plan.already_present);
  if (plan.has_mirror()) {
    out.Key("mirror");
    out.StartObject();
    out.Field("store", plan.mirror);
    out.Field("prefix", plan.mirror_prefix);
    WriteCopiesAndAlreadyThere(out, plan.mirror_copies,
                               plan.mirror_already_present);
    out.EndObject();
  } else {
    out.NullField("mirror");
  }
  WritePromotionProblemsJson(out, plan.problems);
  out.Key("totals");
  out.StartObject();
  out.Field("objects_to_copy", static_cast<uint64_t>(plan.copies.size()));
  out.Field("bytes_to_copy", plan.bytes_to_copy());
  out.Field("already_there",
            static_cast<uint64_t>(plan.already_present.size()));
  out.Field("errors", plan.error_count());
  out.Field("warnings", plan.warning_count());
  out.EndObject();
  out.EndObject();
}

std::string PromotionPlanJson(const PromotionPlan& plan) {
  JsonWriter w;
  WritePromotionPlanJson(w, plan);
  return w.str() + "\n";
}

std::string PromotionPlanMarkdown(const PromotionPlan& plan) {
  std::string out = "### Promotion plan (dry run)\n\n";
  absl::StrAppend(
      &out, "From <code>", Html(plan.source), "</code> prefix <code>",
      Html(plan.source_prefix), "</code> to <code>", Html(plan.destination),
      "</code> prefix <code>", Html(plan.destination_prefix), "</code>.\n\n");
  absl::StrAppend(&out,
                  "| package | version | found | to copy | already there | "
                  "conflicts |\n|---|---|---:|---:|---:|---:|\n");
  for (const PromotionPackage& p : plan.packages) {
    absl::StrAppend(&out, "| ", Cell(p.package), " | ",
                    p.version.empty() ? "not in the release set"
                    : p.not_ga
                        ? absl::StrCat(Cell(p.version), " (refused: not GA)")
                        : Cell(p.version),
                    " | ", p.found, " | ", p.to_copy, " | ", p.already_there,
                    " | ", p.conflicts, " |\n");
  }
  absl::StrAppend(&out, "\n**", Html(Verdict(plan)), "**\n");
  // Each block is raw HTML with no blank line inside, so Markdown leaves it
  // alone: a key cannot turn into a link, a heading or an end of the block.
  if (!plan.problems.empty()) {
    absl::StrAppend(&out, "\n<details open><summary>Problems (",
                    plan.error_count(), " errors, ", plan.warning_count(),
                    " warnings)</summary>\n<ul>\n");
    for (const PromotionProblem& p : plan.problems) {
      absl::StrAppend(&out, "<li>", ProblemSeverityName(p.severity), ": ",
                      Html(p.message), "</li>\n");
    }
    absl::StrAppend(&out, "</ul>\n</details>\n");
  }
  struct FolderFiles {
    std::vector<const PlannedCopy*> copies;
    std::vector<const AlreadyPresent*> present;
    uint64_t bytes = 0;
  };
  std::map<std::string, FolderFiles> folders;
  for (const PlannedCopy& c : plan.copies) {
    FolderFiles& f = folders[std::string(Folder(c.destination_key))];
    f.copies.push_back(&c);
    f.bytes += c.size;
  }
  for (const AlreadyPresent& a : plan.already_present) {
    folders[std::string(Folder(a.destination_key))].present.push_back(&a);
  }
  for (const auto& [folder, files] : folders) {
    absl::StrAppend(
        &out, "\n<details><summary><code>", Html(folder.empty() ? "/" : folder),
        "</code>: ", files.copies.size(), " to copy (", files.bytes,
        " bytes), ", files.present.size(), " already there</summary>\n<ul>\n");
    for (const PlannedCopy* c : files.copies) {
      absl::StrAppend(&out, "<li>copy <code>", Html(KeyBaseName(c->source_key)),
                      "</code> (", c->size, " bytes, ",
                      Html(Sha256Text(c->sha256)), ")</li>\n");
    }
    for (const AlreadyPresent* a : files.present) {
      absl::StrAppend(&out, "<li>already there <code>",
                      Html(KeyBaseName(a->destination_key)), "</code> (",
                      a->size, " bytes, same ", SameByName(a->same_by),
                      ")</li>\n");
    }
    absl::StrAppend(&out, "</ul>\n</details>\n");
  }
  return out;
}

namespace {

void KeyList(std::string& out, absl::string_view title,
             const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  absl::StrAppend(&out, title, " (", keys.size(), "):\n");
  for (const std::string& k : keys) absl::StrAppend(&out, "  ", Term(k), "\n");
}

std::string ResultVerdict(const PromotionResult& result) {
  if (!result.ok()) {
    return absl::StrCat("promotion failed: ", result.failed.size(),
                        result.failed.size() == 1 ? " object" : " objects",
                        " (rerun the same command to resume)");
  }
  if (result.already_applied) {
    return "already applied: nothing left to copy";
  }
  return absl::StrCat("promotion done: ", result.copied.size(), " copied, ",
                      result.skipped.size(), " already there, ",
                      result.mirrored.size(), " mirrored, ",
                      result.verified.size(), " verified");
}

void WriteKeys(JsonWriter& out, absl::string_view name,
               const std::vector<std::string>& keys) {
  out.Key(name);
  out.StartArray();
  for (const std::string& k : keys) out.String(k);
  out.EndArray();
}

}  // namespace

std::string PromotionResultText(const PromotionPlan& plan,
                                const PromotionResult& result,
                                const IndexResult* indexes) {
  std::string out = "promotion (--execute)\n";
  absl::StrAppend(&out, "  from: ", Term(plan.source), " prefix \"",
                  Term(plan.source_prefix), "\"\n");
  absl::StrAppend(&out, "  to:   ", Term(plan.destination), " prefix \"",
                  Term(plan.destination_prefix), "\"\n");
  if (plan.has_mirror()) {
    absl::StrAppend(&out, "  mirror: ", Term(plan.mirror), " prefix \"",
                    Term(plan.mirror_prefix), "\"\n");
  }
  absl::StrAppend(&out, "  journal: ", Term(result.journal_path), "\n");
  KeyList(out, "copied", result.copied);
  KeyList(out, "overwritten", result.overwritten);
  KeyList(out, "mirrored", result.mirrored);
  absl::StrAppend(
      &out, "already there: ", result.skipped.size(),
      plan.has_mirror()
          ? absl::StrCat(" (mirror: ", result.mirror_skipped.size(), ")")
          : "",
      "\n");
  absl::StrAppend(&out, "verified: ", result.verified.size(), "\n");
  if (!result.failed.empty()) {
    absl::StrAppend(&out, "failed (", result.failed.size(), "):\n");
    for (const PromotionFailure& f : result.failed) {
      absl::StrAppend(&out, "  ", Term(f.key), ": ", Term(f.status.message()),
                      "\n");
    }
  }
  for (const PromotionProblem& p : plan.problems) {
    if (p.severity == ProblemSeverity::kWarning) {
      absl::StrAppend(&out, "warning: ", Term(p.message), "\n");
    }
  }
  if (indexes != nullptr) out += IndexResultText(*indexes);
  absl::StrAppend(&out, ResultVerdict(result), "\n");
  return out;
}

void WritePromotionResultJson(JsonWriter& out, const PromotionResult& result) {
  out.StartObject();
  out.Field("ok", result.ok());
  out.Field("already_applied", result.already_applied);
  out.Field("journal", result.journal_path);
  WriteKeys(out, "copied", result.copied);
  WriteKeys(out, "skipped_already_there", result.skipped);
  WriteKeys(out, "overwritten", result.overwritten);
  WriteKeys(out, "mirrored", result.mirrored);
  WriteKeys(out, "mirror_skipped_already_there", result.mirror_skipped);
  WriteKeys(out, "verified", result.verified);
  out.Key("failed");
  out.StartArray();
  for (const PromotionFailure& f : result.failed) {
    out.StartObject();
    out.Field("key", f.key);
    out.Field("code", absl::StatusCodeToString(f.status.code()));
    out.Field("message", f.status.message());
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

std::string PromotionExecuteJson(const PromotionPlan& plan,
                                 const PromotionResult& result,
                                 const IndexResult* indexes) {
  JsonWriter w;
  w.StartObject();
  w.Field("dry_run", false);
  w.Key("plan");
  WritePromotionPlanJson(w, plan);
  w.Key("result");
  WritePromotionResultJson(w, result);
  if (indexes != nullptr) {
    w.Key("indexes");
    w.StartObject();
    for (const auto& [name, keys] :
         {std::pair<const char*, const std::vector<std::string>*>{
              "written", &indexes->written},
          {"unchanged", &indexes->unchanged},
          {"computed_sha256", &indexes->computed_sha256}}) {
      w.Key(name);
      w.StartArray();
      for (const std::string& key : *keys) w.String(key);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
  return w.str() + "\n";
}

std::string IndexResultText(const IndexResult& indexes) {
  std::string out =
      absl::StrCat("index pages: ", indexes.written.size(), " written, ",
                   indexes.unchanged.size(), " unchanged");
  if (!indexes.computed_sha256.empty()) {
    absl::StrAppend(&out, " (sha256 computed for ",
                    indexes.computed_sha256.size(), " wheels without one)");
  }
  out += "\n";
  for (const std::string& key : indexes.written) {
    absl::StrAppend(&out, "  wrote ", TextEscape(key), "\n");
  }
  return out;
}

std::string PromotionResultMarkdown(const PromotionPlan& plan,
                                    const PromotionResult& result) {
  std::string out = PromotionPlanMarkdown(plan);
  absl::StrAppend(&out, "\n### Promotion result\n\n**",
                  Html(ResultVerdict(result)), "**\n\n");
  absl::StrAppend(&out,
                  "| copied | already there | overwritten | mirrored | "
                  "verified | failed |\n|---:|---:|---:|---:|---:|---:|\n");
  absl::StrAppend(&out, "| ", result.copied.size(), " | ",
                  result.skipped.size(), " | ", result.overwritten.size(),
                  " | ", result.mirrored.size(), " | ", result.verified.size(),
                  " | ", result.failed.size(), " |\n");
  for (const auto& [title, keys] :
       {std::pair<absl::string_view, const std::vector<std::string>*>{
            "Overwritten", &result.overwritten},
        {"Copied", &result.copied},
        {"Mirrored", &result.mirrored}}) {
    if (keys->empty()) continue;
    absl::StrAppend(&out, "\n<details><summary>", title, " (", keys->size(),
                    ")</summary>\n<ul>\n");
    for (const std::string& k : *keys) {
      absl::StrAppend(&out, "<li><code>", Html(k), "</code></li>\n");
    }
    absl::StrAppend(&out, "</ul>\n</details>\n");
  }
  if (!result.failed.empty()) {
    absl::StrAppend(&out, "\n<details open><summary>Failed (",
                    result.failed.size(), ")</summary>\n<ul>\n");
    for (const PromotionFailure& f : result.failed) {
      absl::StrAppend(&out, "<li><code>", Html(f.key),
                      "</code>: ", Html(f.status.message()), "</li>\n");
    }
    absl::StrAppend(&out, "</ul>\n</details>\n");
  }
  return out;
}

}  // namespace relkit
