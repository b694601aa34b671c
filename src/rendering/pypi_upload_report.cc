// Text and JSON of a PyPI upload plan and its result (`relkit pypi upload`).

#include "relkit/pypi_upload_report.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "relkit/json_writer.h"
#include "relkit/text_escape.h"

namespace relkit {
namespace {

std::string Term(absl::string_view text) { return TextEscape(text); }

std::string Plural(size_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

void WritePlanMembers(JsonWriter& out, const PypiUploadPlan& plan) {
  out.Field("ok", plan.ok());
  out.Field("staging", plan.staging);
  out.Field("prefix", plan.prefix);
  out.Field("repository_url", plan.repository_url);
  out.Field("index_url", plan.index_url);
  out.Key("packages");
  out.StartArray();
  for (const std::string& p : plan.packages) out.String(p);
  out.EndArray();
  out.Key("projects");
  out.StartArray();
  for (const PypiIndexProject& p : plan.projects) {
    out.StartObject();
    out.Field("project", p.project);
    out.Field("on_index", p.exists);
    out.Field("index_files", static_cast<uint64_t>(p.files));
    out.EndObject();
  }
  out.EndArray();
  out.Key("files");
  out.StartArray();
  for (const PypiPlannedFile& f : plan.files) {
    out.StartObject();
    out.Field("key", f.key);
    out.Field("filename", f.filename);
    out.Field("project", f.project);
    out.Field("version", f.version);
    out.Field("size", f.size);
    out.Field("sha256", f.sha256);
    out.Field("sha256_computed", f.sha256_computed);
    out.Field("action", PypiFileActionName(f.action));
    out.Field("index_sha256", f.index_sha256);
    out.EndObject();
  }
  out.EndArray();
  out.Key("problems");
  out.StartArray();
  for (const std::string& p : plan.problems) out.String(p);
  out.EndArray();
  out.Field("to_upload", static_cast<uint64_t>(plan.upload_count()));
  out.Field("bytes_to_upload", plan.upload_bytes());
  out.Field("already_there", static_cast<uint64_t>(plan.already_there_count()));
  out.Field("conflicts", static_cast<uint64_t>(plan.conflict_count()));
}

}  // namespace

std::string PypiUploadPlanText(const PypiUploadPlan& plan) {
  std::string out = absl::StrCat(
      "pypi upload plan (dry run: nothing is sent)\n",
      "  staging:    ", Term(plan.staging), " prefix \"", Term(plan.prefix),
      "\"\n", "  repository: ", Term(plan.repository_url), "\n",
      "  index:      ", Term(plan.index_url), "\n");
  if (!plan.packages.empty()) {
    absl::StrAppend(
        &out, "  packages:   ", Term(absl::StrJoin(plan.packages, ", ")), "\n");
  }
  for (const PypiIndexProject& p : plan.projects) {
    absl::StrAppend(&out, "  project ", Term(p.project), ": ",
                    p.exists
                        ? Plural(p.files, "file", "files") + " on the index"
                        : std::string("new on the index (no files)"),
                    "\n");
  }
  auto section = [&](PypiFileAction action, absl::string_view title) {
    std::vector<const PypiPlannedFile*> files;
    for (const PypiPlannedFile& f : plan.files) {
      if (f.action == action) files.push_back(&f);
    }
    if (files.empty()) return;
    absl::StrAppend(&out, title, " (", files.size(), "):\n");
    for (const PypiPlannedFile* f : files) {
      absl::StrAppend(&out, "  ", Term(f->filename), "  (", f->size,
                      " bytes, sha256 ", Term(f->sha256),
                      f->sha256_computed ? ", computed" : "", ")\n");
      if (action == PypiFileAction::kConflict) {
        absl::StrAppend(
            &out, "    the index has sha256 ",
            f->index_sha256 ? Term(*f->index_sha256) : std::string("unknown"),
            ": a file name on PyPI can never be reused\n");
      }
    }
  };
  section(PypiFileAction::kConflict, "conflicts");
  section(PypiFileAction::kUpload, "to upload");
  section(PypiFileAction::kAlreadyThere, "already there (same sha256)");
  if (!plan.problems.empty()) {
    absl::StrAppend(&out, "problems:\n");
    for (const std::string& p : plan.problems) {
      absl::StrAppend(&out, "  ", Term(p), "\n");
    }
  }
  if (!plan.ok()) {
    absl::StrAppend(&out, "plan blocked: ",
                    Plural(plan.conflict_count(), "conflict", "conflicts"),
                    ", ", Plural(plan.problems.size(), "problem", "problems"),
                    "; nothing may be uploaded\n");
  } else if (plan.upload_count() == 0) {
    absl::StrAppend(&out, "plan ok: nothing to upload, ",
                    plan.already_there_count(),
                    " already there (already uploaded)\n");
  } else {
    absl::StrAppend(&out,
                    "plan ok: ", Plural(plan.upload_count(), "file", "files"),
                    " to upload (", plan.upload_bytes(), " bytes), ",
                    plan.already_there_count(), " already there\n");
  }
  return out;
}

std::string PypiUploadPlanJson(const PypiUploadPlan& plan) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", true);
  WritePlanMembers(out, plan);
  out.EndObject();
  return out.str() + "\n";
}

std::string PypiUploadResultText(const PypiUploadPlan& plan,
                                 const PypiUploadResult& result) {
  std::string out =
      absl::StrCat("pypi upload to ", Term(plan.repository_url), "\n");
  for (const PypiAppliedFile& f : result.files) {
    absl::StrAppend(&out, "  ", f.status, ": ", Term(f.filename));
    if (f.attempts > 1) absl::StrAppend(&out, " (", f.attempts, " tries)");
    if (f.status != "already there") {
      absl::StrAppend(&out, f.confirmed ? " (confirmed on the index)"
                                        : " (not yet on the index)");
    }
    absl::StrAppend(&out, "\n");
    for (const std::string& n : f.notes) {
      absl::StrAppend(&out, "    ", Term(n), "\n");
    }
  }
  if (result.failure.has_value()) {
    absl::StrAppend(&out, "  failed: ", Term(result.failure->filename), ": ",
                    Term(result.failure->status.message()), "\n");
  }
  absl::StrAppend(&out, result.uploaded_count(), " uploaded, ",
                  result.already_count(), " already there");
  if (result.failure.has_value()) {
    absl::StrAppend(&out, ", stopped at ", Term(result.failure->filename),
                    "\n");
  } else if (result.uploaded_count() == 0) {
    absl::StrAppend(&out, "\nalready uploaded: nothing was sent\n");
  } else {
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string PypiUploadResultJson(const PypiUploadPlan& plan,
                                 const PypiUploadResult& result) {
  JsonWriter out;
  out.StartObject();
  out.Field("dry_run", false);
  WritePlanMembers(out, plan);
  out.Key("applied");
  out.StartObject();
  out.Field("ok", result.ok());
  out.Field("uploaded", static_cast<uint64_t>(result.uploaded_count()));
  out.Field("already", static_cast<uint64_t>(result.already_count()));
  out.Key("files");
  out.StartArray();
  for (const PypiAppliedFile& f : result.files) {
    out.StartObject();
    out.Field("key", f.key);
    out.Field("filename", f.filename);
    out.Field("status", f.status);
    out.Field("attempts", f.attempts);
    out.Field("confirmed", f.confirmed);
    out.Key("notes");
    out.StartArray();
    for (const std::string& n : f.notes) out.String(n);
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  if (result.failure.has_value()) {
    out.Key("failure");
    out.StartObject();
    out.Field("key", result.failure->key);
    out.Field("filename", result.failure->filename);
    out.Field("code", absl::StatusCodeToString(result.failure->status.code()));
    out.Field("message", std::string(result.failure->status.message()));
    out.EndObject();
  } else {
    out.NullField("failure");
  }
  out.EndObject();
  out.EndObject();
  return out.str() + "\n";
}

}  // namespace relkit
