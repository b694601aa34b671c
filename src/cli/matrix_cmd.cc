// `relkit matrix ...`: the release compatibility matrix from the command line.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/compat_matrix.h"
#include "relkit/files.h"
#include "relkit/status.h"
#include "relkit/support_policy.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

// The default matrix, or the one in `path` (JSON, or Markdown for .md).
absl::StatusOr<CompatibilityMatrix> LoadMatrix(const std::string& path) {
  if (path.empty()) return CompatibilityMatrix::Default();
  RELKIT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (absl::EndsWithIgnoreCase(path, ".md")) {
    return CompatibilityMatrix::FromMarkdown(text, path);
  }
  return CompatibilityMatrix::FromJson(text, path);
}

std::string CudaList(const std::vector<CudaEntry>& entries) {
  std::vector<std::string> items;
  for (const CudaEntry& e : entries) {
    std::string item = e.version;
    std::vector<std::string> libs;
    if (e.cudnn) libs.push_back(absl::StrCat("cuDNN ", *e.cudnn));
    if (e.nccl) libs.push_back(absl::StrCat("NCCL ", *e.nccl));
    if (!libs.empty())
      absl::StrAppend(&item, " (", absl::StrJoin(libs, ", "), ")");
    items.push_back(std::move(item));
  }
  return items.empty() ? std::string("-") : absl::StrJoin(items, ", ");
}

void PrintRow(const MatrixRow& row) {
  std::cout << "PyTorch " << TextEscape(row.release) << "\n"
            << "  Python:            " << TextEscape(row.PythonCell()) << "\n"
            << "  Python versions:   ";
  std::vector<std::string> pys;
  for (const std::string& p : row.PythonVersions()) {
    const bool experimental =
        *row.PythonStatus(p) == SupportStatus::kExperimental;
    pys.push_back(experimental ? absl::StrCat(p, " (experimental)") : p);
  }
  std::cout << TextEscape(absl::StrJoin(pys, ", ")) << "\n";
  if (row.cxx_standard)
    std::cout << "  C++:               " << TextEscape(*row.cxx_standard)
              << "\n";
  std::cout << "  Stable CUDA:       " << TextEscape(CudaList(row.stable_cuda))
            << "\n"
            << "  Experimental CUDA: "
            << TextEscape(CudaList(row.experimental_cuda)) << "\n"
            << "  Stable ROCm:       "
            << (row.stable_rocm.empty()
                    ? std::string("-")
                    : TextEscape(absl::StrJoin(row.stable_rocm, ", ")))
            << "\n";
  for (const CudaEntry& e : row.stable_cuda) {
    if (!e.arches_x86_64.empty()) {
      std::cout << "  CUDA " << TextEscape(e.full_version.value_or(e.version))
                << " arches: x86_64 "
                << TextEscape(absl::StrJoin(e.arches_x86_64, " "))
                << "; aarch64 "
                << TextEscape(absl::StrJoin(e.arches_aarch64, " ")) << "\n";
    }
  }
}

// A matrix holding only `row` (for --json / --markdown of one release).
CompatibilityMatrix Only(const MatrixRow& row) {
  return *CompatibilityMatrix::FromRows({row});
}

void Emit(const CompatibilityMatrix& m, bool json, bool markdown,
          const std::string& layout) {
  if (json) {
    std::cout << m.ToJson() << "\n";
  } else if (markdown) {
    // CLI11 has checked --layout (IsMember), so the parse cannot fail.
    std::cout << m.ToMarkdown(
        ParseMarkdownLayout(layout).value_or(MarkdownLayout::kCurrent));
  } else {
    for (const MatrixRow& row : m.rows()) PrintRow(row);
  }
}

struct ShowArgs {
  std::string release;
  std::string matrix;
  std::string layout = "current";
  bool json = false;
  bool markdown = false;
};

void AddShow(CLI::App& parent, Context& ctx) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "show",
      "Show the matrix, or one release's row (Python, CUDA, ROCm, C++)");
  cmd->add_option("release", args->release,
                  "A release such as 2.4 (default: all)");
  cmd->add_option(
      "--matrix", args->matrix,
      "Use this matrix instead of the built-in one (JSON, or a RELEASE.md)");
  auto* json = cmd->add_flag("--json", args->json, "Print the JSON form");
  auto* md =
      cmd->add_flag("--markdown", args->markdown, "Print a RELEASE.md table");
  json->excludes(md);
  cmd->add_option("--layout", args->layout,
                  "Markdown layout: current (6 columns) or seed")
      ->check(CLI::IsMember({"current", "seed"}));
  cmd->callback([args, &ctx] {
    absl::StatusOr<CompatibilityMatrix> m = LoadMatrix(args->matrix);
    if (!m.ok()) {
      ctx.exit_code = ReportError(m.status());
      return;
    }
    if (args->release.empty()) {
      Emit(*m, args->json, args->markdown, args->layout);
      return;
    }
    const MatrixRow* row = m->Find(args->release);
    if (row == nullptr) {
      ctx.exit_code = ReportError(absl::NotFoundError(
          absl::StrCat("release \"", args->release,
                       "\" not found in the compatibility matrix")));
      return;
    }
    Emit(Only(*row), args->json, args->markdown, args->layout);
  });
}

struct DiffArgs {
  std::string from, to, matrix;
  bool json = false;
};

void AddDiff(CLI::App& parent, Context& ctx) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "diff",
      "What changed between two releases (\"2.4 adds Python 3.12, ...\")");
  cmd->add_option("from", args->from, "The older release")->required();
  cmd->add_option("to", args->to, "The newer release")->required();
  cmd->add_option("--matrix", args->matrix,
                  "Use this matrix (JSON or RELEASE.md)");
  cmd->add_flag("--json", args->json, "Print the changes as JSON");
  cmd->callback([args, &ctx] {
    absl::StatusOr<CompatibilityMatrix> m = LoadMatrix(args->matrix);
    if (!m.ok()) {
      ctx.exit_code = ReportError(m.status());
      return;
    }
    absl::StatusOr<MatrixDiff> d = m->Diff(args->from, args->to);
    if (!d.ok()) {
      ctx.exit_code = ReportError(d.status());
      return;
    }
    if (!args->json) {
      std::cout << TextEscape(d->Summary()) << "\n";
      return;
    }
    JsonOut out;
    out.w().StartObject();
    out.Field("from", d->from);
    out.Field("to", d->to);
    out.Field("summary", d->Summary());
    out.Key("changes");
    out.w().StartArray();
    for (const MatrixChange& c : d->changes) {
      out.w().StartObject();
      out.Field("kind", MatrixChangeKindName(c.kind));
      out.Field("name", c.name);
      out.Field("before", SupportStatusName(c.before));
      out.Field("after", SupportStatusName(c.after));
      out.w().EndObject();
    }
    out.w().EndArray();
    out.w().EndObject();
    out.Print();
  });
}

struct ImportArgs {
  std::string file;
  std::string layout = "current";
  bool markdown = false;
};

void AddImport(CLI::App& parent, Context& ctx) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd =
      parent.add_subcommand("import",
                            "Read the matrix table of a RELEASE.md; print it "
                            "as JSON (a --matrix file)");
  cmd->add_option("file", args->file, "A RELEASE.md")->required();
  cmd->add_flag("--markdown", args->markdown,
                "Print the table again instead of JSON");
  cmd->add_option("--layout", args->layout, "Markdown layout: current or seed")
      ->check(CLI::IsMember({"current", "seed"}));
  cmd->callback([args, &ctx] {
    absl::StatusOr<std::string> text = ReadFile(args->file);
    if (!text.ok()) {
      ctx.exit_code = ReportError(text.status());
      return;
    }
    absl::StatusOr<CompatibilityMatrix> m =
        CompatibilityMatrix::FromMarkdown(*text, args->file);
    if (!m.ok()) {
      ctx.exit_code = ReportError(m.status());
      return;
    }
    Emit(*m, !args->markdown, args->markdown, args->layout);
  });
}

struct PolicyArgs {
  std::string release, on, matrix;
  std::vector<std::string> cuda, rocm;
  bool json = false;
};

absl::StatusOr<absl::CivilDay> DayOrToday(const std::string& text) {
  if (text.empty()) return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid date \"", text, "\" for --on: expected YYYY-MM-DD"));
  }
  return day;
}

void AddPolicyOptions(CLI::App* cmd, PolicyArgs& args) {
  cmd->add_option("release", args.release, "A release such as 2.5")->required();
  cmd->add_option("--on", args.on,
                  "The release date, YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--cuda", args.cuda,
                  "Available CUDA versions (latest 2 minors rule)");
  cmd->add_option("--rocm", args.rocm,
                  "Available ROCm versions (latest 2 minors rule)");
}

void AddPropose(CLI::App& parent, Context& ctx) {
  auto args = std::make_shared<PolicyArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "propose",
      "The row the support policy asks for when releasing on a date");
  AddPolicyOptions(cmd, *args);
  cmd->add_flag("--json", args->json, "Print the JSON form");
  cmd->callback([args, &ctx] {
    absl::StatusOr<absl::CivilDay> day = DayOrToday(args->on);
    if (!day.ok()) {
      ctx.exit_code = ReportError(day.status());
      return;
    }
    absl::StatusOr<SupportPolicy> policy = SupportPolicy::Default();
    if (!policy.ok()) {
      ctx.exit_code = ReportError(policy.status());
      return;
    }
    for (const auto* list : {&args->cuda, &args->rocm}) {
      absl::StatusOr<std::vector<std::string>> ok = LatestMinorVersions(*list);
      if (!ok.ok()) {
        ctx.exit_code = ReportError(ok.status());
        return;
      }
    }
    MatrixRow row = policy->ProposeMatrixRow(
        args->release, *day,
        {.available_cuda = args->cuda, .available_rocm = args->rocm});
    Emit(Only(row), args->json, false, "current");
    if (!args->json) {
      std::cout << "  Operating systems:";
      for (const OsSupport& o : policy->OperatingSystemsFor(args->release)) {
        std::cout << "\n    " << TextEscape(o.family) << " "
                  << TextEscape(o.arch) << " (" << TextEscape(o.minimum) << ")";
      }
      std::cout << "\n";
    }
  });
}

void AddCheck(CLI::App& parent, Context& ctx) {
  auto args = std::make_shared<PolicyArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "check",
      "Deviations of a release's row from the support policy (exit 1 if any)");
  AddPolicyOptions(cmd, *args);
  cmd->add_option("--matrix", args->matrix,
                  "Use this matrix (JSON or RELEASE.md)");
  cmd->add_flag("--json", args->json, "Print the deviations as JSON");
  cmd->callback([args, &ctx] {
    absl::StatusOr<absl::CivilDay> day = DayOrToday(args->on);
    if (!day.ok()) {
      ctx.exit_code = ReportError(day.status());
      return;
    }
    absl::StatusOr<CompatibilityMatrix> m = LoadMatrix(args->matrix);
    if (!m.ok()) {
      ctx.exit_code = ReportError(m.status());
      return;
    }
    const MatrixRow* row = m->Find(args->release);
    if (row == nullptr) {
      ctx.exit_code = ReportError(absl::NotFoundError(
          absl::StrCat("release \"", args->release,
                       "\" not found in the compatibility matrix")));
      return;
    }
    absl::StatusOr<SupportPolicy> policy = SupportPolicy::Default();
    if (!policy.ok()) {
      ctx.exit_code = ReportError(policy.status());
      return;
    }
    for (const auto* list : {&args->cuda, &args->rocm}) {
      absl::StatusOr<std::vector<std::string>> ok = LatestMinorVersions(*list);
      if (!ok.ok()) {
        ctx.exit_code = ReportError(ok.status());
        return;
      }
    }
    std::vector<Deviation> deviations = policy->CheckMatrixRow(
        *row, *day,
        {.available_cuda = args->cuda, .available_rocm = args->rocm});
    if (args->json) {
      JsonOut out;
      out.w().StartArray();
      for (const Deviation& d : deviations) {
        out.w().StartObject();
        out.Field("kind", DeviationKindName(d.kind));
        out.Field("subject", d.subject);
        out.Field("message", d.message);
        out.w().EndObject();
      }
      out.w().EndArray();
      out.Print();
    } else if (deviations.empty()) {
      std::cout << TextEscape(row->release) << " follows the support policy on "
                << absl::FormatCivilTime(*day) << "\n";
    } else {
      for (const Deviation& d : deviations) {
        std::cout << DeviationKindName(d.kind) << ": " << TextEscape(d.message)
                  << "\n";
      }
    }
    ctx.exit_code = deviations.empty() ? kExitOk : kExitProblems;
  });
}

}  // namespace

void RegisterMatrixCommands(CLI::App& app, Context& ctx) {
  CLI::App* matrix = app.add_subcommand(
      "matrix", "Release compatibility matrix: Python, CUDA, ROCm per release");
  matrix->require_subcommand(1);
  AddShow(*matrix, ctx);
  AddDiff(*matrix, ctx);
  AddImport(*matrix, ctx);
  AddPropose(*matrix, ctx);
  AddCheck(*matrix, ctx);
}

}  // namespace relkit::cli
