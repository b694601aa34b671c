#include "relkit/wheel_archive_report.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "relkit/text_escape.h"

namespace relkit {

std::string WheelRewriteText(const WheelRewrite& r) {
  std::string out = absl::StrCat(TextEscape(r.input_path), " -> ",
                                 TextEscape(r.output_path), "\n");
  if (r.unchanged) {
    absl::StrAppend(&out,
                    "  unchanged: no local label, no classifier to remove "
                    "(copied byte for byte)\n");
  } else {
    absl::StrAppend(&out, "  version ", TextEscape(r.old_version.ToString()),
                    " -> ", TextEscape(r.new_version.ToString()), "\n");
    for (const std::string& c : r.removed_classifiers) {
      absl::StrAppend(&out, "  removed classifier: ", TextEscape(c), "\n");
    }
    absl::StrAppend(&out, "  ", r.changed_members.size(),
                    " members rewritten (",
                    TextEscape(absl::StrJoin(r.changed_members, ", ")), "), ",
                    r.copied_members, " copied compressed\n");
  }
  absl::StrAppend(&out, "  ", r.size, " bytes, sha256 ", r.sha256, "\n");
  return out;
}

void WriteWheelRewriteJson(JsonWriter& w, const WheelRewrite& r) {
  w.StartObject();
  w.Field("input", r.input_path);
  w.Field("output", r.output_path);
  w.Field("file_name", r.file_name);
  w.Field("old_version", r.old_version.ToString());
  w.Field("new_version", r.new_version.ToString());
  w.Field("unchanged", r.unchanged);
  w.Key("removed_classifiers");
  w.StartArray();
  for (const std::string& c : r.removed_classifiers) w.String(c);
  w.EndArray();
  w.Key("changed_members");
  w.StartArray();
  for (const std::string& m : r.changed_members) w.String(m);
  w.EndArray();
  w.Field("copied_members", r.copied_members);
  w.Field("size", r.size);
  w.Field("sha256", r.sha256);
  w.EndObject();
}

std::string RecordCheckText(absl::string_view wheel, const RecordCheck& c) {
  std::string out = absl::StrCat(
      TextEscape(wheel), ": ",
      c.ok() ? "RECORD verifies" : "RECORD does not verify", " (",
      c.members_checked, " members hashed",
      c.ok() ? "" : absl::StrCat(", ", c.problems.size(), " problems"), ")\n");
  for (const RecordProblem& p : c.problems) {
    absl::StrAppend(&out, "  ", TextEscape(p.member), ": ", TextEscape(p.what),
                    "\n");
  }
  return out;
}

void WriteRecordCheckJson(JsonWriter& w, absl::string_view wheel,
                          const RecordCheck& c) {
  w.StartObject();
  w.Field("input", wheel);
  w.Field("ok", c.ok());
  w.Field("members_checked", c.members_checked);
  w.Key("problems");
  w.StartArray();
  for (const RecordProblem& p : c.problems) {
    w.StartObject();
    w.Field("member", p.member);
    w.Field("problem", p.what);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace relkit
