// Text and JSON of `relkit pypi stage` and `relkit pypi validate`.

#include "relkit/pypi_stage_report.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "relkit/json_writer.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

std::string Term(absl::string_view text) { return TextEscape(text); }

std::string Day(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string Mb(uint64_t bytes) {
  return absl::StrFormat("%.1f MB", static_cast<double>(bytes) / 1e6);
}

std::string Doc(JsonWriter& w) { return w.str() + "\n"; }

void WriteRuleJson(JsonWriter& out, const PypiStagingRule& rule) {
  out.StartObject();
  out.Field("date", Day(rule.date));
  out.Field("stable_cuda", rule.stable_cuda);
  out.Field("stable_cuda_label", rule.stable_cuda_label);
  out.Key("prerelease_pythons");
  out.StartArray();
  for (const PrereleasePython& p : rule.prerelease_pythons) {
    out.StartObject();
    out.Field("version", p.version);
    out.Field("released", Day(p.released));
    out.EndObject();
  }
  out.EndArray();
  out.Key("pythons");
  out.StartArray();
  for (const std::string& p : rule.pythons) out.String(p);
  out.EndArray();
  out.EndObject();
}

void WriteSourceJson(JsonWriter& out, const PypiWheelSource& s) {
  out.Field("file_name", s.file_name);
  out.Field("location", s.location);
  out.Field("sha256", s.sha256);
  out.Field("size", s.size);
}

void WriteItemJson(JsonWriter& out, const PypiStageItem& item) {
  out.StartObject();
  out.Field("package", item.package);
  out.Field("version", item.version.ToString());
  WriteSourceJson(out, item.source);
  out.Field("staged_key", item.staged_key);
  out.Field("staged_source_sha256", item.staged_source_sha256);
  out.Field("overwrite", item.overwrite);
  out.EndObject();
}

void WriteStrings(JsonWriter& out, absl::string_view key,
                  const std::vector<std::string>& values) {
  out.Key(key);
  out.StartArray();
  for (const std::string& v : values) out.String(v);
  out.EndArray();
}

}  // namespace

std::string PypiSelectionText(const PypiSelection& s) {
  std::string out = absl::StrCat(Term(s.package), "==", s.version.ToString(),
                                 ": ", s.selected_count(), " of ",
                                 s.candidates.size(), " wheels selected");
  if (s.other_files > 0) {
    absl::StrAppend(&out, " (", s.other_files,
                    " other files: other versions or packages)");
  }
  absl::StrAppend(&out, "\n");
  for (const PypiCandidate& c : s.candidates) {
    absl::StrAppend(&out, c.selected ? "  + " : "  - ",
                    Term(c.source.file_name), "\n      ", Term(c.explanation),
                    "\n");
  }
  return out;
}

void WritePypiSelectionJson(JsonWriter& out, const PypiSelection& s) {
  out.StartObject();
  out.Field("package", s.package);
  out.Field("version", s.version.ToString());
  out.Field("selected_count", static_cast<uint64_t>(s.selected_count()));
  out.Field("other_files", static_cast<uint64_t>(s.other_files));
  out.Key("candidates");
  out.StartArray();
  for (const PypiCandidate& c : s.candidates) {
    out.StartObject();
    WriteSourceJson(out, c.source);
    out.Field("selected", c.selected);
    out.Field("reason", PypiReasonName(c.reason));
    out.Field("explanation", c.explanation);
    out.Field("staged_name", c.staged_name);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

std::string PypiSelectionJson(const PypiSelection& s) {
  JsonWriter w;
  WritePypiSelectionJson(w, s);
  return Doc(w);
}

std::string PypiStagePlanText(const PypiStagePlan& plan) {
  std::string out = "pypi staging plan (dry run: nothing is staged)\n";
  absl::StrAppend(&out, "  from: ", Term(plan.source), "\n");
  absl::StrAppend(&out, "  to:   ", Term(plan.destination), " prefix \"",
                  Term(plan.destination_prefix), "\"\n");
  std::string pre;
  for (const PrereleasePython& p : plan.rule.prerelease_pythons) {
    absl::StrAppend(&pre, pre.empty() ? "" : ", ", p.version, " (final ",
                    Day(p.released), ")");
  }
  absl::StrAppend(&out, "  rule: Linux +", plan.rule.stable_cuda_label,
                  " (stable CUDA ", plan.rule.stable_cuda,
                  "), Windows +cpu, macOS arm64 unlabelled, pure Python as "
                  "is; pre-release Pythons on ",
                  Day(plan.rule.date), ": ", pre.empty() ? "none" : pre, "\n");
  absl::StrAppend(&out, "  classifiers dropped: ",
                  plan.remove_classifiers.empty()
                      ? "none"
                      : Term(absl::StrJoin(plan.remove_classifiers, "; ")),
                  "\n");
  absl::StrAppend(&out, "selection:\n");
  for (const PypiSelection& s : plan.selections) {
    absl::StrAppend(&out, PypiSelectionText(s));
  }
  absl::StrAppend(&out, "to stage (", plan.to_stage.size(), "):\n");
  for (const PypiStageItem& i : plan.to_stage) {
    absl::StrAppend(&out, "  ", Term(i.source.location), "\n    -> ",
                    Term(i.staged_key), "  (sha256 ",
                    i.source.sha256 ? Term(*i.source.sha256) : "unknown",
                    i.overwrite ? ", OVERWRITES" : "", ")\n");
  }
  absl::StrAppend(&out, "already staged (", plan.already_staged.size(), "):\n");
  for (const PypiStageItem& i : plan.already_staged) {
    absl::StrAppend(&out, "  ", Term(i.staged_key), "\n");
  }
  if (!plan.problems.empty()) {
    absl::StrAppend(&out, "problems:\n");
    for (const PypiStageProblem& p : plan.problems) {
      absl::StrAppend(&out, "  ", p.error ? "error" : "warning", " [",
                      PypiStageProblemKindName(p.kind), "] ", Term(p.message),
                      "\n");
    }
  }
  if (plan.ok()) {
    absl::StrAppend(&out, "plan ok: ", plan.to_stage.size(), " to stage, ",
                    plan.already_staged.size(), " already staged\n");
  } else {
    absl::StrAppend(&out, "plan blocked: ", plan.error_count(),
                    plan.error_count() == 1 ? " error\n" : " errors\n");
  }
  return out;
}

void WritePypiStagePlanJson(JsonWriter& out, const PypiStagePlan& plan) {
  out.StartObject();
  out.Field("ok", plan.ok());
  out.Field("source", plan.source);
  out.Field("destination", plan.destination);
  out.Field("destination_prefix", plan.destination_prefix);
  out.Key("rule");
  WriteRuleJson(out, plan.rule);
  WriteStrings(out, "remove_classifiers", plan.remove_classifiers);
  out.Key("selections");
  out.StartArray();
  for (const PypiSelection& s : plan.selections) WritePypiSelectionJson(out, s);
  out.EndArray();
  out.Key("to_stage");
  out.StartArray();
  for (const PypiStageItem& i : plan.to_stage) WriteItemJson(out, i);
  out.EndArray();
  out.Key("already_staged");
  out.StartArray();
  for (const PypiStageItem& i : plan.already_staged) WriteItemJson(out, i);
  out.EndArray();
  out.Key("problems");
  out.StartArray();
  for (const PypiStageProblem& p : plan.problems) {
    out.StartObject();
    out.Field("kind", PypiStageProblemKindName(p.kind));
    out.Field("severity", p.error ? "error" : "warning");
    out.Field("package", p.package);
    out.Field("key", p.key);
    out.Field("message", p.message);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

std::string PypiStagePlanJson(const PypiStagePlan& plan) {
  JsonWriter w;
  WritePypiStagePlanJson(w, plan);
  return Doc(w);
}

std::string PypiStageResultText(const PypiStageResult& r) {
  std::string out;
  if (r.already_applied) {
    absl::StrAppend(&out, "already applied: every selected wheel is staged (",
                    r.already_staged.size(), ")\n");
    return out;
  }
  absl::StrAppend(&out, "staged (", r.staged.size(), "):\n");
  for (const PypiStagedFile& f : r.staged) {
    absl::StrAppend(&out, "  ", Term(f.staged_key), "  (", f.size,
                    " bytes, sha256 ", f.sha256, ", from sha256 ",
                    f.source_sha256, f.overwritten ? ", overwritten" : "",
                    ")\n");
  }
  absl::StrAppend(&out, "already staged (", r.already_staged.size(), ")\n");
  for (const PypiStageFailure& f : r.failed) {
    absl::StrAppend(&out, "FAILED ", Term(f.key), ": ",
                    Term(f.status.message()), "\n");
  }
  absl::StrAppend(
      &out, r.ok() ? "staging done\n" : "staging stopped; rerun to resume\n");
  return out;
}

void WritePypiStageResultJson(JsonWriter& out, const PypiStageResult& r) {
  out.StartObject();
  out.Field("ok", r.ok());
  out.Field("already_applied", r.already_applied);
  out.Key("staged");
  out.StartArray();
  for (const PypiStagedFile& f : r.staged) {
    out.StartObject();
    out.Field("package", f.package);
    out.Field("source", f.source);
    out.Field("staged_key", f.staged_key);
    out.Field("source_sha256", f.source_sha256);
    out.Field("sha256", f.sha256);
    out.Field("size", f.size);
    WriteStrings(out, "removed_classifiers", f.removed_classifiers);
    out.Field("overwritten", f.overwritten);
    out.EndObject();
  }
  out.EndArray();
  WriteStrings(out, "already_staged", r.already_staged);
  out.Key("failed");
  out.StartArray();
  for (const PypiStageFailure& f : r.failed) {
    out.StartObject();
    out.Field("key", f.key);
    out.Field("code", absl::StatusCodeToString(f.status.code()));
    out.Field("message", std::string(f.status.message()));
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

std::string PypiStageExecuteJson(const PypiStagePlan& plan,
                                 const PypiStageResult& result) {
  JsonWriter w;
  w.StartObject();
  w.Key("plan");
  WritePypiStagePlanJson(w, plan);
  w.Key("result");
  WritePypiStageResultJson(w, result);
  w.EndObject();
  return Doc(w);
}

std::string PypiValidationText(const PypiValidation& v) {
  std::string out = absl::StrCat("pypi staging validation of ", Term(v.staging),
                                 " prefix \"", Term(v.prefix), "\"\n");
  absl::StrAppend(&out, "  limits: ", Mb(v.max_file_bytes), " per file, ",
                  Mb(v.warn_file_bytes), " threshold\n");
  for (const PypiPackageValidation& p : v.packages) {
    absl::StrAppend(&out, Term(p.package), "==", Term(p.version), " (",
                    Term(p.folder), "): ", p.present, " of ", p.expected.size(),
                    " expected files", p.pure_python ? " (pure Python)" : "",
                    "; ", Mb(p.staged_bytes), " staged");
    if (p.current_bytes) {
      absl::StrAppend(&out, " + ", Mb(*p.current_bytes), " on the index");
      if (p.staged_on_index_bytes != 0) {
        absl::StrAppend(&out, " - ", Mb(p.staged_on_index_bytes),
                        " staged and already there");
      }
      absl::StrAppend(&out, " = ", Mb(p.total_after_upload()));
    } else {
      absl::StrAppend(&out, " (project's current size not looked up)");
    }
    absl::StrAppend(&out, " of a ", Mb(p.quota_bytes), " quota\n");
  }
  absl::StrAppend(&out, "wheels:\n");
  for (const PypiStagedWheel& w : v.wheels) {
    absl::StrAppend(&out, "  ", Term(w.file_name), "  ", Mb(w.size),
                    w.readable ? absl::StrCat(", Version ", Term(w.version))
                               : std::string(", unreadable"),
                    w.record_ok ? absl::StrCat(", RECORD ok (",
                                               w.members_checked, " members)")
                                : std::string(", RECORD not ok"),
                    "\n");
  }
  if (!v.problems.empty()) {
    absl::StrAppend(&out, "problems:\n");
    for (const PypiCheckProblem& p : v.problems) {
      absl::StrAppend(&out, "  [", PypiCheckKindName(p.kind), "] ",
                      Term(p.message), "\n");
    }
  }
  absl::StrAppend(
      &out, v.ok() ? "validation ok\n"
                   : absl::StrCat("validation failed: ", v.problems.size(),
                                  v.problems.size() == 1 ? " problem\n"
                                                         : " problems\n"));
  return out;
}

void WritePypiValidationJson(JsonWriter& out, const PypiValidation& v) {
  out.StartObject();
  out.Field("ok", v.ok());
  out.Field("staging", v.staging);
  out.Field("prefix", v.prefix);
  out.Field("max_file_bytes", v.max_file_bytes);
  out.Field("warn_file_bytes", v.warn_file_bytes);
  out.Key("packages");
  out.StartArray();
  for (const PypiPackageValidation& p : v.packages) {
    out.StartObject();
    out.Field("package", p.package);
    out.Field("version", p.version);
    out.Field("folder", p.folder);
    out.Field("pure_python", p.pure_python);
    WriteStrings(out, "expected", p.expected);
    out.Field("present", static_cast<uint64_t>(p.present));
    out.Field("staged_bytes", p.staged_bytes);
    out.Field("current_bytes", p.current_bytes);
    out.Field("staged_on_index_bytes", p.staged_on_index_bytes);
    out.Field("total_after_upload", p.total_after_upload());
    out.Field("quota_bytes", p.quota_bytes);
    out.EndObject();
  }
  out.EndArray();
  out.Key("wheels");
  out.StartArray();
  for (const PypiStagedWheel& w : v.wheels) {
    out.StartObject();
    out.Field("package", w.package);
    out.Field("key", w.key);
    out.Field("file_name", w.file_name);
    out.Field("size", w.size);
    out.Field("readable", w.readable);
    out.Field("version", w.version);
    WriteStrings(out, "requires_dist", w.requires_dist);
    out.Field("requires_python", w.requires_python);
    WriteStrings(out, "python_classifiers", w.python_classifiers);
    out.Field("record_ok", w.record_ok);
    out.Field("members_checked", w.members_checked);
    out.EndObject();
  }
  out.EndArray();
  out.Key("problems");
  out.StartArray();
  for (const PypiCheckProblem& p : v.problems) {
    out.StartObject();
    out.Field("kind", PypiCheckKindName(p.kind));
    out.Field("package", p.package);
    out.Field("file", p.file);
    out.Field("message", p.message);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

std::string PypiValidationJson(const PypiValidation& v) {
  JsonWriter w;
  WritePypiValidationJson(w, v);
  return Doc(w);
}

}  // namespace relkit
