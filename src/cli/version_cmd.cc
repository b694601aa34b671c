// `relkit version ...`: the PEP 440 model from the command line.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/specifier.h"
#include "relkit/text_escape.h"
#include "relkit/version.h"

namespace relkit::cli {
namespace {

struct VersionArgs {
  std::vector<std::string> versions;
  bool json = false;
};

void WriteVersionJson(JsonOut& out, absl::string_view input, const Version& v) {
  out.w().StartObject();
  out.Field("input", input);
  out.Field("normalized", v.ToString());
  out.Field("epoch", v.epoch());
  out.Key("release");
  out.w().StartArray();
  for (uint64_t n : v.release()) out.w().Uint64(n);
  out.w().EndArray();
  out.Key("pre");
  if (v.pre()) {
    out.w().StartArray();
    out.String(PreReleaseLetter(v.pre()->kind));
    out.w().Uint64(v.pre()->number);
    out.w().EndArray();
  } else {
    out.w().Null();
  }
  out.Field("post", v.post());
  out.Field("dev", v.dev());
  out.Field("local", v.local());
  out.Field("public", v.PublicVersion());
  out.Field("base_version", v.BaseVersion());
  out.Field("is_prerelease", v.is_prerelease());
  out.Field("is_postrelease", v.is_postrelease());
  out.Field("is_devrelease", v.is_devrelease());
  out.w().EndObject();
}

std::string Describe(const Version& v) {
  std::string pre =
      v.pre() ? absl::StrCat(PreReleaseLetter(v.pre()->kind), v.pre()->number)
              : "-";
  auto opt = [](const std::optional<uint64_t>& n) {
    return n ? absl::StrCat(*n) : std::string("-");
  };
  return absl::StrCat(v.ToString(), "\n  epoch ", v.epoch(), "  release ",
                      absl::StrJoin(v.release(), "."), "  pre ", pre, "  post ",
                      opt(v.post()), "  dev ", opt(v.dev()), "  local ",
                      v.local().value_or("-"), "\n  public ", v.PublicVersion(),
                      "  base ", v.BaseVersion(),
                      v.is_prerelease() ? "  pre-release" : "",
                      v.is_postrelease() ? "  post-release" : "",
                      v.is_devrelease() ? "  dev-release" : "");
}

// Parses every input; reports invalid ones on stderr. Returns the exit code
// for the invalid inputs (kExitUsage when any was invalid).
int ForEachVersion(
    const std::vector<std::string>& inputs,
    const std::function<void(const std::string&, const Version&)>& fn) {
  int code = kExitOk;
  for (const std::string& in : inputs) {
    absl::StatusOr<Version> v = Version::Parse(in);
    if (!v.ok()) {
      code = ReportError(v.status());
      continue;
    }
    fn(in, *v);
  }
  return code;
}

int NoInput() {
  return ReportError(absl::InvalidArgumentError(
      "no versions given (pass them as arguments or on stdin)"));
}

void AddParse(CLI::App& version, Context& ctx) {
  auto args = std::make_shared<VersionArgs>();
  CLI::App* cmd = version.add_subcommand(
      "parse", "Show the PEP 440 components of each version");
  cmd->add_option("versions", args->versions,
                  "Versions to parse (default: one per line on stdin)");
  cmd->add_flag("--json", args->json, "Print a JSON array of objects");
  cmd->callback([args, &ctx] {
    std::vector<std::string> inputs = ArgsOrStdin(args->versions);
    if (inputs.empty()) {
      ctx.exit_code = NoInput();
      return;
    }
    if (args->json) {
      JsonOut out;
      out.w().StartArray();
      ctx.exit_code =
          ForEachVersion(inputs, [&](const std::string& in, const Version& v) {
            WriteVersionJson(out, in, v);
          });
      out.w().EndArray();
      out.Print();
    } else {
      ctx.exit_code =
          ForEachVersion(inputs, [](const std::string&, const Version& v) {
            std::cout << Describe(v) << "\n";
          });
    }
  });
}

void AddNormalize(CLI::App& version, Context& ctx) {
  auto args = std::make_shared<VersionArgs>();
  CLI::App* cmd = version.add_subcommand(
      "normalize", "Print the PEP 440 normal form of each version");
  cmd->add_option("versions", args->versions,
                  "Versions to normalise (default: one per line on stdin)");
  cmd->add_flag("--json", args->json,
                "Print a JSON object {input: normal form}");
  cmd->callback([args, &ctx] {
    std::vector<std::string> inputs = ArgsOrStdin(args->versions);
    if (inputs.empty()) {
      ctx.exit_code = NoInput();
      return;
    }
    JsonOut out;
    out.w().StartObject();
    ctx.exit_code =
        ForEachVersion(inputs, [&](const std::string& in, const Version& v) {
          if (args->json) {
            out.Field(in, v.ToString());
          } else {
            std::cout << v.ToString() << "\n";
          }
        });
    out.w().EndObject();
    if (args->json) out.Print();
  });
}

void AddCompare(CLI::App& version, Context& ctx) {
  struct Args {
    std::string left, right;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = version.add_subcommand(
      "compare",
      "Compare two versions in PEP 440 order (prints A < B, A == B or A > B)");
  cmd->add_option("left", args->left, "First version")->required();
  cmd->add_option("right", args->right, "Second version")->required();
  cmd->add_flag("--json", args->json,
                "Print {\"left\", \"right\", \"result\": -1|0|1}");
  cmd->callback([args, &ctx] {
    absl::StatusOr<Version> a = Version::Parse(args->left);
    if (!a.ok()) {
      ctx.exit_code = ReportError(a.status());
      return;
    }
    absl::StatusOr<Version> b = Version::Parse(args->right);
    if (!b.ok()) {
      ctx.exit_code = ReportError(b.status());
      return;
    }
    std::strong_ordering order = *a <=> *b;
    int result = order < 0 ? -1 : (order > 0 ? 1 : 0);
    const char* op = result < 0 ? "<" : (result > 0 ? ">" : "==");
    if (args->json) {
      JsonOut out;
      out.w().StartObject();
      out.Field("left", a->ToString());
      out.Field("right", b->ToString());
      out.Field("operator", op);
      out.Field("result", result);
      out.w().EndObject();
      out.Print();
    } else {
      std::cout << a->ToString() << " " << op << " " << b->ToString() << "\n";
    }
  });
}

void AddSort(CLI::App& version, Context& ctx) {
  struct Args {
    std::vector<std::string> versions;
    bool reverse = false, skip_invalid = false, json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = version.add_subcommand(
      "sort", "Sort versions in PEP 440 order (not string order: 2.10 > 2.9)");
  cmd->add_option("versions", args->versions,
                  "Versions to sort (default: one per line on stdin)");
  cmd->add_flag("-r,--reverse", args->reverse, "Newest first");
  cmd->add_flag(
      "--skip-invalid", args->skip_invalid,
      "Drop strings that are not PEP 440 versions instead of failing");
  cmd->add_flag("--json", args->json,
                "Print a JSON array of the input strings");
  cmd->callback([args, &ctx] {
    std::vector<std::string> inputs = ArgsOrStdin(args->versions);
    if (inputs.empty()) {
      ctx.exit_code = NoInput();
      return;
    }
    std::vector<absl::string_view> views(inputs.begin(), inputs.end());
    absl::StatusOr<std::vector<std::string>> sorted =
        SortVersionStrings(views, args->skip_invalid ? InvalidVersions::kSkip
                                                     : InvalidVersions::kError);
    if (!sorted.ok()) {
      ctx.exit_code = ReportError(sorted.status());
      return;
    }
    if (args->reverse) std::reverse(sorted->begin(), sorted->end());
    if (args->json) {
      JsonOut out;
      out.w().StartArray();
      for (const std::string& s : *sorted) out.String(s);
      out.w().EndArray();
      out.Print();
    } else {
      for (const std::string& s : *sorted) {
        std::cout << TextEscape(s) << "\n";
      }
    }
  });
}

void AddSatisfies(CLI::App& version, Context& ctx) {
  struct Args {
    std::string spec;
    std::vector<std::string> versions;
    bool prereleases = false, no_prereleases = false, filter = false,
         json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = version.add_subcommand(
      "satisfies",
      "Check versions against a specifier set such as '>=3.8,<=3.12'");
  cmd->footer(
      "Exit 0 when every version satisfies the set, 1 when one does not, 2 "
      "for\n"
      "a malformed specifier. With --filter, print what pip would select from\n"
      "the list instead: pre-releases only when nothing final matches, unless\n"
      "--prereleases or a pre-release in the set itself allows them.");
  cmd->add_option("specifiers", args->spec,
                  "Comma-separated PEP 440 specifiers ('' matches everything)")
      ->required();
  cmd->add_option("versions", args->versions,
                  "Versions to check (default: one per line on stdin)");
  CLI::Option* pre =
      cmd->add_flag("--prereleases", args->prereleases, "Accept pre-releases");
  cmd->add_flag("--no-prereleases", args->no_prereleases, "Reject pre-releases")
      ->excludes(pre);
  cmd->add_flag("--filter", args->filter,
                "Print only the versions the set selects, in input order");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, &ctx] {
    std::optional<bool> prereleases;
    if (args->prereleases) prereleases = true;
    if (args->no_prereleases) prereleases = false;
    absl::StatusOr<SpecifierSet> set =
        SpecifierSet::Parse(args->spec, prereleases);
    if (!set.ok()) {
      ctx.exit_code = ReportError(set.status());
      return;
    }
    std::vector<std::string> inputs = ArgsOrStdin(args->versions);
    if (inputs.empty()) {
      ctx.exit_code = NoInput();
      return;
    }
    std::vector<absl::string_view> views(inputs.begin(), inputs.end());
    if (args->filter) {
      std::vector<size_t> kept = set->Filter(absl::MakeConstSpan(views));
      if (args->json) {
        JsonOut out;
        out.w().StartArray();
        for (size_t i : kept) out.String(inputs[i]);
        out.w().EndArray();
        out.Print();
      } else {
        for (size_t i : kept) std::cout << TextEscape(inputs[i]) << "\n";
      }
      ctx.exit_code = kExitOk;
      return;
    }
    bool all = true;
    JsonOut out;
    out.w().StartObject();
    out.Field("specifiers", set->ToString());
    out.Key("results");
    out.w().StartArray();
    for (const std::string& in : inputs) {
      bool ok = set->Contains(absl::string_view(in));
      all = all && ok;
      if (args->json) {
        out.w().StartObject();
        out.Field("version", in);
        out.Field("satisfies", ok);
        out.w().EndObject();
      } else {
        std::cout << TextEscape(in)
                  << (ok ? "  satisfies " : "  does not satisfy ")
                  << (set->empty() ? "''" : set->ToString()) << "\n";
      }
    }
    out.w().EndArray();
    out.Field("all_satisfy", all);
    out.w().EndObject();
    if (args->json) out.Print();
    ctx.exit_code = all ? kExitOk : kExitProblems;
  });
}

}  // namespace

void RegisterVersionCommands(CLI::App& app, Context& ctx) {
  CLI::App* version = app.add_subcommand(
      "version",
      "PEP 440 versions: parse, normalize, compare, sort, satisfies");
  version->require_subcommand(1);
  AddParse(*version, ctx);
  AddNormalize(*version, ctx);
  AddCompare(*version, ctx);
  AddSort(*version, ctx);
  AddSatisfies(*version, ctx);
}

}  // namespace relkit::cli
