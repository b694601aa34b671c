// `relkit pypi rewrite` and `relkit pypi verify`: one wheel file at a time,
// what prep_binary_for_pypi.py does (with RECORD regenerated) and a check
// of a wheel's RECORD against its members.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/json_writer.h"
#include "cli/pypi_cmd.h"
#include "relkit/text_escape.h"
#include "relkit/wheel_archive.h"

namespace relkit::cli {
namespace {

struct RewriteArgs {
  std::vector<std::string> wheels;
  std::string out_dir;
  std::vector<std::string> remove_classifiers;
  bool json = false;
};

struct VerifyArgs {
  std::vector<std::string> wheels;
  bool json = false;
};

// The exit status of a run over several wheels: the worst of its parts
// (an I/O failure outranks bad input, which outranks problems found).
int Worse(int a, int b) { return a > b ? a : b; }

void RewriteJson(JsonWriter& w, const WheelRewrite& r) {
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

void RewriteText(const WheelRewrite& r) {
  std::cout << TextEscape(r.input_path) << " -> " << TextEscape(r.output_path)
            << "\n";
  if (r.unchanged) {
    std::cout << "  unchanged: no local label, no classifier to remove "
                 "(copied byte for byte)\n";
  } else {
    std::cout << "  version " << TextEscape(r.old_version.ToString()) << " -> "
              << TextEscape(r.new_version.ToString()) << "\n";
    for (const std::string& c : r.removed_classifiers) {
      std::cout << "  removed classifier: " << TextEscape(c) << "\n";
    }
    std::cout << "  " << r.changed_members.size() << " members rewritten ("
              << TextEscape(absl::StrJoin(r.changed_members, ", ")) << "), "
              << r.copied_members << " copied compressed\n";
  }
  std::cout << "  " << r.size << " bytes, sha256 " << r.sha256 << "\n";
}

void ErrorJson(JsonWriter& w, const std::string& wheel,
               const absl::Status& status) {
  w.StartObject();
  w.Field("input", wheel);
  w.Field("error", std::string(status.message()));
  w.Field("exit_code", ExitCodeFor(status));
  w.EndObject();
}

int RunRewrite(const RewriteArgs& a) {
  int exit_code = kExitOk;
  JsonOut out;
  if (a.json) {
    out.w().StartObject();
    out.w().Key("wheels");
    out.w().StartArray();
  }
  for (const std::string& wheel : a.wheels) {
    absl::StatusOr<WheelRewrite> r = RewriteWheel(
        wheel, a.out_dir, {.remove_classifiers = a.remove_classifiers});
    if (!r.ok()) {
      exit_code = Worse(exit_code, a.json ? ExitCodeFor(r.status())
                                          : ReportError(r.status()));
      if (a.json) ErrorJson(out.w(), wheel, r.status());
      continue;
    }
    if (a.json) {
      RewriteJson(out.w(), *r);
    } else {
      RewriteText(*r);
    }
  }
  if (a.json) {
    out.w().EndArray();
    out.w().EndObject();
    out.Print();
  }
  return exit_code;
}

int RunVerify(const VerifyArgs& a) {
  int exit_code = kExitOk;
  JsonOut out;
  if (a.json) {
    out.w().StartObject();
    out.w().Key("wheels");
    out.w().StartArray();
  }
  for (const std::string& wheel : a.wheels) {
    absl::StatusOr<RecordCheck> c = VerifyWheelRecord(wheel);
    if (!c.ok()) {
      exit_code = Worse(exit_code, a.json ? ExitCodeFor(c.status())
                                          : ReportError(c.status()));
      if (a.json) ErrorJson(out.w(), wheel, c.status());
      continue;
    }
    if (!c->ok()) exit_code = Worse(exit_code, kExitProblems);
    if (a.json) {
      JsonWriter& w = out.w();
      w.StartObject();
      w.Field("input", wheel);
      w.Field("ok", c->ok());
      w.Field("members_checked", c->members_checked);
      w.Key("problems");
      w.StartArray();
      for (const RecordProblem& p : c->problems) {
        w.StartObject();
        w.Field("member", p.member);
        w.Field("problem", p.what);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
      continue;
    }
    std::cout << TextEscape(wheel) << ": "
              << (c->ok() ? "RECORD verifies" : "RECORD does not verify")
              << " (" << c->members_checked << " members hashed";
    if (!c->ok()) std::cout << ", " << c->problems.size() << " problems";
    std::cout << ")\n";
    for (const RecordProblem& p : c->problems) {
      std::cout << "  " << TextEscape(p.member) << ": " << TextEscape(p.what)
                << "\n";
    }
  }
  if (a.json) {
    out.w().EndArray();
    out.w().EndObject();
    out.Print();
  }
  return exit_code;
}

}  // namespace

void AddPypiWheelCommands(CLI::App& pypi, Context& ctx) {
  auto rewrite_args = std::make_shared<RewriteArgs>();
  CLI::App* rewrite = pypi.add_subcommand(
      "rewrite",
      "Rewrite wheels for PyPI: strip the local version label, drop "
      "classifiers, regenerate RECORD");
  rewrite->footer(
      "For each WHEEL: the `+local` label (`+cu130`, `+cpu`) is removed from\n"
      "`Version:` in METADATA, the .dist-info (and .data) folder is renamed "
      "to\n"
      "the bare version, the --remove-classifier lines are dropped, RECORD is\n"
      "regenerated for what changed, and the result is written to\n"
      "DIR/<name with the bare version> (`%2B` in a name is read as `+`).\n"
      "Members that do not change are copied compressed, byte for byte. A\n"
      "wheel with nothing to change is copied as it is (reported unchanged).\n"
      "Each output is written to a temporary file in DIR and renamed into\n"
      "place, so a failed or killed run leaves no partial wheel; rerunning\n"
      "replaces the outputs with the same bytes.\n"
      "Exit 0 when every wheel was written; 2 when a wheel is not a valid\n"
      "wheel (not a zip, no METADATA, a member name outside the archive);\n"
      "3 when a file could not be read or written.");
  rewrite->add_option("wheels", rewrite_args->wheels, "Wheel files")
      ->required();
  rewrite->add_option("--out", rewrite_args->out_dir, "Output folder")
      ->required();
  rewrite->add_option("--remove-classifier", rewrite_args->remove_classifiers,
                      "A classifier to drop from METADATA (repeatable), e.g. "
                      "'Programming Language :: Python :: 3.15'");
  rewrite->add_flag("--json", rewrite_args->json, "Print the results as JSON");
  rewrite->callback(
      [rewrite_args, &ctx] { ctx.exit_code = RunRewrite(*rewrite_args); });

  auto verify_args = std::make_shared<VerifyArgs>();
  CLI::App* verify = pypi.add_subcommand(
      "verify", "Check every member of wheels against their RECORD");
  verify->footer(
      "Every member is inflated once, streamed, and its sha256 and size are\n"
      "compared with its RECORD row. Problems: hash mismatch, size mismatch,\n"
      "no size, missing from RECORD, listed in RECORD but not in the archive,\n"
      "no hash, bad hash (not sha256/384/512 in urlsafe base64). RECORD\n"
      "itself and RECORD.jws/RECORD.p7s have no hash.\n"
      "Exit 0 when every RECORD verifies; 1 when one does not; 2 for a file\n"
      "that is not a valid wheel; 3 when a file could not be read.");
  verify->add_option("wheels", verify_args->wheels, "Wheel files")->required();
  verify->add_flag("--json", verify_args->json, "Print the results as JSON");
  verify->callback(
      [verify_args, &ctx] { ctx.exit_code = RunVerify(*verify_args); });
}

}  // namespace relkit::cli
