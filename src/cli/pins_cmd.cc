// `relkit pins`: the triton pin and the submodules of a revision, each
// submodule checked against its upstream's default branch.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/git.h"
#include "relkit/pins.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

struct PinsArgs {
  std::string repo = ".";
  std::string ref = "HEAD";
  std::vector<std::string> upstreams;
  bool no_discover = false;
  bool json = false;
};

// Parses `--upstream PATH=REPO[@BRANCH]`.
absl::StatusOr<SubmoduleUpstream> ParseUpstream(const std::string& arg) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--upstream \"", arg,
        "\": expected SUBMODULE_PATH=REPOSITORY[@DEFAULT_BRANCH]"));
  }
  SubmoduleUpstream u;
  u.path = arg.substr(0, eq);
  u.repository = arg.substr(eq + 1);
  if (size_t at = u.repository.rfind('@'); at != std::string::npos) {
    u.default_branch = u.repository.substr(at + 1);
    u.repository.resize(at);
  }
  return u;
}

void PrintJson(const std::string& ref, const ObjectId& commit,
               const std::optional<TritonPin>& triton,
               const std::vector<SubmoduleCheck>& subs) {
  JsonOut out;
  out.w().StartObject();
  out.Field("ref", ref);
  out.Field("commit", commit.ToString());
  out.Key("triton");
  if (triton) {
    out.w().StartObject();
    out.Field("path", kTritonPinPath);
    out.Field("commit", triton->commit.ToString());
    out.Field("version_path", kTritonVersionPath);
    if (triton->version) {
      out.Field("version", triton->version->ToString());
    } else {
      out.NullField("version");
    }
    out.w().EndObject();
  } else {
    out.w().Null();
  }
  out.Key("submodules");
  out.w().StartArray();
  for (const SubmoduleCheck& s : subs) {
    out.w().StartObject();
    out.Field("name", s.submodule.name);
    out.Field("path", s.submodule.path);
    out.Field("url", s.submodule.url);
    out.Field("branch", s.submodule.branch);
    if (s.submodule.commit) {
      out.Field("commit", s.submodule.commit->ToString());
    } else {
      out.NullField("commit");
    }
    out.Field("state", SubmoduleStateName(s.state));
    out.Field("flagged", s.flagged());
    if (s.upstream.empty()) {
      out.NullField("upstream");
    } else {
      out.Field("upstream", s.upstream);
    }
    if (s.default_branch.empty()) {
      out.NullField("default_branch");
    } else {
      out.Field("default_branch", s.default_branch);
    }
    out.Field("detail", s.detail);
    out.w().EndObject();
  }
  out.w().EndArray();
  out.w().EndObject();
  out.Print();
}

void PrintText(const std::string& ref, const ObjectId& commit,
               const std::optional<TritonPin>& triton,
               const std::vector<SubmoduleCheck>& subs) {
  std::cout << "Pins at " << TextEscape(ref) << " (" << commit.ShortString()
            << ")\n";
  if (triton) {
    std::cout << "  triton " << triton->commit.ToString() << "  version "
              << (triton->version ? triton->version->ToString()
                                  : std::string("(no ") +
                                        std::string(kTritonVersionPath) + ")")
              << "\n";
  } else {
    std::cout << "  triton: no " << kTritonPinPath << "\n";
  }
  size_t flagged = 0;
  for (const SubmoduleCheck& s : subs) flagged += s.flagged();
  std::cout << "Submodules: " << subs.size();
  if (flagged != 0) std::cout << ", " << flagged << " flagged";
  std::cout << "\n";
  for (const SubmoduleCheck& s : subs) {
    std::cout << absl::StrFormat(
        "  %-30s %-12s %s%s\n      %s\n", TextEscape(s.submodule.path),
        s.submodule.commit ? s.submodule.commit->ShortString() : "-",
        s.flagged() ? "FLAGGED " : "", SubmoduleStateName(s.state),
        TextEscape(s.detail));
  }
}

}  // namespace

void RegisterPinsCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<PinsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "pins",
      "Show and validate the triton pin and the submodule pins of a revision");
  cmd->add_option("--repo", a->repo, "Path of the git repository (default: .)");
  cmd->add_option("--ref", a->ref, "Revision to read (default: HEAD)");
  cmd->add_option("--upstream", a->upstreams,
                  "SUBMODULE_PATH=REPOSITORY[@DEFAULT_BRANCH]: a local clone "
                  "of a submodule's upstream (repeatable)");
  cmd->add_flag("--no-discover", a->no_discover,
                "Do not use checked-out submodules as their upstream");
  cmd->add_flag("--json", a->json, "Print JSON instead of text");
  cmd->footer(
      "A submodule is flagged when its pinned commit is not in the history of "
      "its\nupstream's default branch (or not in the upstream at all).\n"
      "Exit status: 0 no submodule flagged, 1 some flagged, 2 bad input or a "
      "malformed\npin file, 3 failure.");
  cmd->callback([a, &ctx] {
    SubmoduleCheckOptions options;
    options.discover = !a->no_discover;
    for (const std::string& arg : a->upstreams) {
      absl::StatusOr<SubmoduleUpstream> u = ParseUpstream(arg);
      if (!u.ok()) {
        ctx.exit_code = ReportError(u.status());
        return;
      }
      options.upstreams.push_back(*std::move(u));
    }
    absl::StatusOr<Repository> repo = Repository::Discover(a->repo);
    if (!repo.ok()) {
      ctx.exit_code = ReportError(repo.status());
      return;
    }
    absl::StatusOr<ObjectId> commit = repo->ResolveCommit(a->ref);
    if (!commit.ok()) {
      ctx.exit_code = ReportError(commit.status());
      return;
    }
    std::optional<TritonPin> triton;
    absl::StatusOr<TritonPin> pin = ReadTritonPin(*repo, a->ref);
    if (pin.ok()) {
      triton = *pin;
    } else if (!absl::IsNotFound(pin.status())) {
      ctx.exit_code = ReportError(pin.status());
      return;
    }
    absl::StatusOr<std::vector<SubmoduleCheck>> subs =
        CheckSubmodules(*repo, a->ref, options);
    if (!subs.ok()) {
      ctx.exit_code = ReportError(subs.status());
      return;
    }
    if (a->json) {
      PrintJson(a->ref, *commit, triton, *subs);
    } else {
      PrintText(a->ref, *commit, triton, *subs);
    }
    for (const SubmoduleCheck& s : *subs) {
      if (s.flagged()) ctx.exit_code = kExitProblems;
    }
  });
}

}  // namespace relkit::cli
