// Text and JSON of a backup plan and its result (`relkit backup`).

#include "relkit/backup_report.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "relkit/json_writer.h"
#include "relkit/promotion.h"
#include "relkit/reports.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

std::string Term(absl::string_view text) { return TextEscape(text); }

std::string Sha256Text(const std::optional<std::string>& sha256) {
  return sha256 ? absl::StrCat("sha256 ", Term(*sha256)) : "sha256 unknown";
}

void WritePlanMembers(JsonWriter& out, const BackupPlan& plan) {
  out.Field("direction", BackupDirectionName(plan.direction));
  out.Field("tag", plan.tag);
  out.Field("ok", plan.ok());
  out.Key("backup");
  out.StartObject();
  out.Field("store", plan.backup);
  out.Field("prefix", plan.backup_prefix);
  out.EndObject();
  out.Field("overwrite", plan.overwrite);
  out.Field("acl", ObjectAclName(plan.acl));
  out.Key("channels");
  out.StartArray();
  for (const BackupChannelPlan& part : plan.channels) {
    out.StartObject();
    out.Field("channel", part.channel_prefix);
    out.Field("folder", part.folder);
    out.Key("plan");
    WritePromotionPlanJson(out, part.plan);
    out.Key("replacements");
    out.StartArray();
    for (const PlannedCopy& c : part.replacements) {
      out.StartObject();
      out.Field("package", c.package);
      out.Field("source", c.source_key);
      out.Field("destination", c.destination_key);
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  WritePromotionProblemsJson(out, plan.problems);
  out.Field("copies", plan.copy_count());
  out.Field("already_there", plan.already_there_count());
}

void WriteKeys(JsonWriter& out, absl::string_view name,
               const std::vector<std::string>& keys) {
  out.Key(name);
  out.StartArray();
  for (const std::string& k : keys) out.String(k);
  out.EndArray();
}

}  // namespace

std::string BackupPlanText(const BackupPlan& plan) {
  std::string out =
      absl::StrCat("backup ", BackupDirectionName(plan.direction), " plan for ",
                   Term(plan.tag), " (dry run: nothing is copied)\n",
                   "  backup: ", Term(plan.backup), " prefix \"",
                   Term(plan.backup_prefix), "\"\n");
  for (const BackupChannelPlan& part : plan.channels) {
    absl::StrAppend(&out, "channel ", Term(part.channel_prefix), " <-> ",
                    Term(plan.backup_prefix), Term(part.folder), "/\n");
    absl::StrAppend(&out, "  from: ", Term(part.plan.source),
                    "\n  to:   ", Term(part.plan.destination), "\n");
    absl::StrAppend(&out, "  to copy (", part.plan.copies.size(), " objects, ",
                    part.plan.bytes_to_copy(), " bytes):\n");
    for (const PlannedCopy& c : part.plan.copies) {
      absl::StrAppend(&out, "    ", Term(c.source_key), " -> ",
                      Term(c.destination_key), "  (", c.size, " bytes, ",
                      Sha256Text(c.sha256), ")\n");
    }
    if (!part.replacements.empty()) {
      absl::StrAppend(&out, "  to replace (", part.replacements.size(),
                      ", --overwrite):\n");
      for (const PlannedCopy& c : part.replacements) {
        absl::StrAppend(&out, "    ", Term(c.source_key), " -> ",
                        Term(c.destination_key), "\n");
      }
    }
    absl::StrAppend(&out, "  already there (", part.plan.already_present.size(),
                    "):\n");
    for (const AlreadyPresent& a : part.plan.already_present) {
      absl::StrAppend(&out, "    ", Term(a.destination_key), "  (", a.size,
                      " bytes, same ", SameByName(a.same_by), ")\n");
    }
  }
  if (!plan.problems.empty()) {
    absl::StrAppend(&out, "problems:\n");
    for (const PromotionProblem& p : plan.problems) {
      absl::StrAppend(&out, "  ", ProblemSeverityName(p.severity), ": ",
                      Term(p.message), "\n");
    }
  }
  if (!plan.ok()) {
    absl::StrAppend(&out, "plan blocked: ", plan.error_count(),
                    plan.error_count() == 1 ? " error" : " errors", "\n");
  } else if (plan.copy_count() == 0) {
    absl::StrAppend(&out, "plan ok: nothing to copy, ",
                    plan.already_there_count(),
                    " already there (already applied)\n");
  } else {
    absl::StrAppend(&out, "plan ok: ", plan.copy_count(), " objects to copy, ",
                    plan.already_there_count(), " already there\n");
  }
  return out;
}

std::string BackupPlanJson(const BackupPlan& plan) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", true);
  WritePlanMembers(out, plan);
  out.EndObject();
  return out.str() + "\n";
}

std::string BackupResultText(const BackupPlan& plan,
                             const BackupResult& result) {
  std::string out = absl::StrCat("backup ", BackupDirectionName(plan.direction),
                                 " of ", Term(plan.tag), " applied\n");
  for (const std::string& key : result.copied) {
    absl::StrAppend(&out, "  copied: ", Term(key), "\n");
  }
  for (const std::string& key : result.replaced) {
    absl::StrAppend(&out, "  replaced: ", Term(key), "\n");
  }
  for (const std::string& key : result.already_there) {
    absl::StrAppend(&out, "  already there: ", Term(key), "\n");
  }
  absl::StrAppend(&out, result.copied.size(), " copied, ",
                  result.replaced.size(), " replaced (", result.bytes_copied,
                  " bytes), ",
                  result.already_there.size() + plan.already_there_count(),
                  " already there\n");
  if (result.copied.empty() && result.replaced.empty()) {
    absl::StrAppend(&out, "already applied: nothing was copied\n");
  }
  return out;
}

std::string BackupResultJson(const BackupPlan& plan,
                             const BackupResult& result) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", false);
  WritePlanMembers(out, plan);
  out.Key("applied");
  out.StartObject();
  WriteKeys(out, "copied", result.copied);
  WriteKeys(out, "replaced", result.replaced);
  WriteKeys(out, "already_there", result.already_there);
  out.Field("bytes_copied", result.bytes_copied);
  out.EndObject();
  out.EndObject();
  return out.str() + "\n";
}

}  // namespace relkit
