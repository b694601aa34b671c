// `relkit github ...` (GitHub data: milestones) and `relkit cherry-pick ...`
// (the @pytorchbot command and tracker comments). Registered together by
// RegisterGitHubCommands.

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/cli.h"
#include "cli/github_flags.h"
#include "cli/json_writer.h"
#include "cli/progress.h"
#include "relkit/cherry_pick.h"
#include "relkit/github.h"
#include "relkit/github_issues.h"
#include "relkit/milestone.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

// --- relkit github milestone
// ---------------------------------------------------

struct GitHubArgs {
  GitHubRepoFlags gh;
  std::string repo_path = ".";
  std::string milestone;
  std::string snapshot, record, api_url, cache_dir;
  std::string rate_limit = "wait";
  bool no_cache = false, json = false, verbose = false;
};

absl::StatusOr<GitHubClient> MakeClient(const GitHubArgs& a,
                                        TerminalProgress& progress) {
  GitHubClientFlags flags;
  flags.api_url = a.api_url;
  flags.snapshot = a.snapshot;
  flags.record = a.record;
  flags.cache_dir = a.cache_dir;
  flags.rate_limit = a.rate_limit;
  flags.no_cache = a.no_cache;
  flags.verbose = a.verbose;
  return MakeGitHubClient(flags, progress);
}

absl::Status RunMilestone(const GitHubArgs& a) {
  RELKIT_ASSIGN_OR_RETURN(
      GitHubRepo repo,
      GitHubRepoFromFlags(a.gh, a.repo_path, a.api_url, a.verbose));
  TerminalProgress progress(!a.json);  // cleared before any output
  RELKIT_ASSIGN_OR_RETURN(GitHubClient gh, MakeClient(a, progress));
  if (a.verbose) std::cerr << "relkit: " << TextEscape(gh.ToString()) << "\n";
  RELKIT_ASSIGN_OR_RETURN(Milestone m, FindMilestone(gh, repo, a.milestone));
  RELKIT_ASSIGN_OR_RETURN(std::vector<Issue> items,
                          ListMilestoneItems(gh, repo, m.number));
  progress.Clear();
  NoteGitHubCacheProblem(gh);

  if (a.json) {
    JsonOut out;
    out.w().StartObject();
    out.Field("repository", repo.ToString());
    out.Key("milestone");
    out.w().StartObject();
    out.Field("number", static_cast<uint64_t>(m.number));
    out.Field("title", m.title);
    out.Field("state", std::string(IssueStateName(m.state)));
    out.Field("description", m.description);
    if (m.due_on) {
      out.Field("due_on", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *m.due_on,
                                           absl::UTCTimeZone()));
    } else {
      out.NullField("due_on");
    }
    out.Field("url", m.url);
    out.w().EndObject();
    out.Key("items");
    out.w().StartArray();
    for (const Issue& i : items) {
      out.w().StartObject();
      out.Field("kind", IssueKindName(i.kind));
      out.Field("number", static_cast<uint64_t>(i.number));
      out.Field("title", i.title);
      out.Field("state", std::string(IssueStateName(i.state)));
      out.Field("merged", i.merged);
      out.Field("merge_commit_sha", i.merge_commit_sha);
      out.Key("labels");
      out.w().StartArray();
      for (const std::string& l : i.labels) out.String(l);
      out.w().EndArray();
      out.Field("url", i.url);
      out.w().EndObject();
    }
    out.w().EndArray();
    out.Field("requests", static_cast<uint64_t>(gh.stats().requests));
    out.Field("not_modified", static_cast<uint64_t>(gh.stats().not_modified));
    out.Field("source", gh.source());
    out.w().EndObject();
    out.Print();
    return absl::OkStatus();
  }

  std::cout << TextEscape(repo.ToString()) << " milestone "
            << TextEscape(m.ToString()) << "\n";
  int open = 0, prs = 0, merged = 0;
  for (const Issue& i : items) {
    if (i.state == IssueState::kOpen) ++open;
    if (i.is_pull_request()) ++prs;
    if (i.merged) ++merged;
    std::string status(IssueStateName(i.state));
    if (i.is_pull_request() && i.state == IssueState::kClosed) {
      absl::StrAppend(&status, i.merged ? ", merged" : ", not merged");
    }
    std::cout << "  " << (i.is_pull_request() ? "PR   " : "issue") << " #"
              << i.number << "  " << TextEscape(i.title) << "  (" << status
              << ")";
    if (!i.labels.empty())
      std::cout << "  [" << TextEscape(absl::StrJoin(i.labels, ", ")) << "]";
    std::cout << "\n";
  }
  std::cout << items.size() << " items: " << items.size() - open << " closed, "
            << open << " open; " << prs << " pull requests, " << merged
            << " merged\n";
  std::cout << "source: " << TextEscape(gh.source()) << "; "
            << gh.stats().requests << " requests (" << gh.stats().not_modified
            << " not modified)\n";
  return absl::OkStatus();
}

void RegisterGitHub(CLI::App& app, Context& ctx) {
  CLI::App* github =
      app.add_subcommand("github", "GitHub data of a release: milestones");
  github->require_subcommand(1);
  auto args = std::make_shared<GitHubArgs>();
  CLI::App* milestone = github->add_subcommand(
      "milestone", "List the issues and pull requests of a milestone");
  milestone->footer(absl::StrCat(
      "The milestone is a number or a title ('2.4.0' also finds '2.4.0 "
      "(release/2.4)').\n"
      "The token comes from GITHUB_TOKEN or GH_TOKEN and is never printed; the "
      "API\n"
      "URL from --api-url, GITHUB_API_URL or https://api.github.com. --record "
      "DIR saves\n"
      "every response; --snapshot DIR replays them with no network. Live "
      "responses\n"
      "are cached by ETag in $XDG_CACHE_HOME/relkit/github (304s cost no rate "
      "limit).\n",
      kGitHubRepoFooter, "\nSee docs/github.md."));
  AddGitHubRepoOptions(milestone, args->gh);
  milestone
      ->add_option("--repo", args->repo_path,
                   "Local git repository whose --remote names the GitHub "
                   "repository")
      ->capture_default_str();
  milestone
      ->add_option("--milestone", args->milestone, "Milestone number or title")
      ->required();
  milestone->add_option("--snapshot", args->snapshot,
                        "Replay this snapshot directory (offline)");
  milestone->add_option("--record", args->record,
                        "Save every response into this directory");
  milestone->add_option("--api-url", args->api_url, "GitHub API base URL");
  milestone->add_option("--cache-dir", args->cache_dir, "ETag cache directory");
  milestone->add_flag("--no-cache", args->no_cache,
                      "Do not use the ETag cache");
  milestone
      ->add_option(
          "--rate-limit", args->rate_limit,
          "When the rate limit is used up: wait (until it resets) or fail")
      ->capture_default_str();
  milestone->add_flag("--json", args->json, "Print JSON");
  milestone->add_flag("--verbose", args->verbose,
                      "Log each request to stderr (token redacted)");
  milestone->callback([args, &ctx] {
    absl::Status status = RunMilestone(*args);
    ctx.exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

// --- relkit cherry-pick
// ---------------------------------------------------------

struct CherryPickArgs {
  std::string text;
  std::string source = "<input>";
  bool json = false;
};

// The comment: the argument, or all of stdin when it is not a terminal.
absl::StatusOr<std::string> CommentText(const CherryPickArgs& a) {
  if (!a.text.empty() || isatty(STDIN_FILENO)) {
    if (a.text.empty()) {
      return absl::InvalidArgumentError(
          "no comment text (pass it as an argument or on stdin)");
    }
    return a.text;
  }
  return std::string(std::istreambuf_iterator<char>(std::cin),
                     std::istreambuf_iterator<char>());
}

void JsonLinks(JsonOut& out, absl::string_view key,
               const std::vector<TrackerLink>& links) {
  out.Key(key);
  out.w().StartArray();
  for (const TrackerLink& l : links) {
    out.w().StartObject();
    out.Field("text", l.text);
    out.Field("kind", TrackerLinkKindName(l.kind));
    out.Field("repo", l.repo);
    if (l.number) {
      out.Field("number", static_cast<uint64_t>(*l.number));
    } else {
      out.NullField("number");
    }
    if (!l.sha.empty()) out.Field("sha", l.sha);
    out.w().EndObject();
  }
  out.w().EndArray();
}

absl::Status RunParse(const CherryPickArgs& a) {
  RELKIT_ASSIGN_OR_RETURN(std::string text, CommentText(a));
  absl::StatusOr<CherryPickCommand> cmd =
      CherryPickCommand::Parse(text, a.source);
  if (!cmd.ok()) {
    // The bot replies with its usage after an argparse error; so do we.
    if (absl::StrContains(cmd.status().message(),
                          "@pytorchbot cherry-pick: error:")) {
      ReportError(cmd.status());
      std::cerr << CherryPickUsage();
      return absl::Status(absl::StatusCode::kCancelled,
                          "");  // already reported
    }
    return cmd.status();
  }
  const ClassificationInfo& info = GetClassificationInfo(cmd->classification);
  if (a.json) {
    JsonOut out;
    out.w().StartObject();
    out.Field("onto", cmd->onto);
    out.Field("classification", std::string(info.name));
    out.Field("meaning", std::string(info.meaning));
    out.Field("fixes", cmd->fixes);
    out.Field("effective_fixes", cmd->effective_fixes());
    out.Field("requires_issue", info.requires_issue);
    out.Field("missing_recommended_issue", cmd->missing_recommended_issue());
    out.Field("acceptable_in_patch_release", info.acceptable_in_patch_release);
    out.Field("patch_release_condition",
              std::string(info.patch_release_condition));
    out.Field("line", cmd->line);
    out.Field("command", cmd->ToString());
    out.w().EndObject();
    out.Print();
    return absl::OkStatus();
  }
  std::cout << "onto: " << TextEscape(cmd->onto) << "\n"
            << "classification: " << info.name << " (" << info.meaning << ")\n"
            << "fixes: " << TextEscape(cmd->fixes.value_or("-")) << "\n"
            << "line: " << cmd->line << "\n"
            << "patch release: "
            << (info.acceptable_in_patch_release ? "acceptable"
                                                 : "not accepted")
            << " (" << info.patch_release_condition << ")\n";
  if (cmd->fixes && !cmd->effective_fixes()) {
    std::cout << "note: --fixes is ignored for " << info.name
              << " cherry-picks\n";
  }
  if (cmd->missing_recommended_issue()) {
    std::cout << "note: the bot recommends linking an issue (--fixes) for "
              << info.name << " cherry-picks\n";
  }
  return absl::OkStatus();
}

absl::Status RunNomination(const CherryPickArgs& a, int& exit_code) {
  RELKIT_ASSIGN_OR_RETURN(std::string text, CommentText(a));
  std::optional<CherryPickNomination> n = ParseTrackerComment(text);
  if (!n) {
    exit_code = kExitProblems;
    if (a.json) {
      std::cout << "null\n";
    } else {
      std::cout << "not a cherry-pick nomination\n";
    }
    return absl::OkStatus();
  }
  if (a.json) {
    JsonOut out;
    out.w().StartObject();
    JsonLinks(out, "trunk_prs", n->trunk_prs);
    JsonLinks(out, "release_prs", n->release_prs);
    out.Field("criteria", n->criteria);
    if (n->classification) {
      out.Field("classification",
                std::string(ClassificationName(*n->classification)));
    } else {
      out.NullField("classification");
    }
    out.Field("fixes", n->fixes);
    out.Field("reply", n->reply);
    out.Key("warnings");
    out.w().StartArray();
    for (const std::string& w : n->warnings) out.String(w);
    out.w().EndArray();
    out.w().EndObject();
    out.Print();
  } else {
    // A comment's lines are lines; nothing else of it reaches the terminal
    // raw.
    std::cout << TextEscape(RenderTrackerComment(*n), Newlines::kKeep);
    if (!n->reply.empty()) {
      std::cout << "---\n" << TextEscape(n->reply, Newlines::kKeep) << "\n";
    }
    for (const std::string& w : n->warnings)
      std::cout << "warning: " << TextEscape(w) << "\n";
  }
  exit_code = n->warnings.empty() ? kExitOk : kExitProblems;
  return absl::OkStatus();
}

void RegisterCherryPick(CLI::App& app, Context& ctx) {
  CLI::App* cp = app.add_subcommand(
      "cherry-pick",
      "Cherry-pick requests: @pytorchbot commands and tracker comments");
  cp->require_subcommand(1);
  auto parse_args = std::make_shared<CherryPickArgs>();
  CLI::App* parse = cp->add_subcommand(
      "parse",
      "Parse a comment's '@pytorchbot cherry-pick' command as the bot does");
  parse->footer(
      "Exit 0 for a valid command; 2 with the bot's error and usage "
      "otherwise.\n"
      "Example: relkit cherry-pick parse '@pytorchbot cherry-pick --onto "
      "release/2.4 -c docs'");
  parse->add_option("text", parse_args->text, "Comment text (default: stdin)");
  parse
      ->add_option("--source", parse_args->source,
                   "Name of the input in errors")
      ->capture_default_str();
  parse->add_flag("--json", parse_args->json, "Print JSON");
  parse->callback([parse_args, &ctx] {
    absl::Status status = RunParse(*parse_args);
    if (status.code() == absl::StatusCode::kCancelled) {
      ctx.exit_code = kExitUsage;
    } else {
      ctx.exit_code = status.ok() ? kExitOk : ReportError(status);
    }
  });

  auto nom_args = std::make_shared<CherryPickArgs>();
  CLI::App* nomination = cp->add_subcommand(
      "nomination",
      "Read a release tracker comment and print it in the three-block format");
  nomination->footer(
      "Exit 0 for a complete nomination, 1 when it is not one or lacks a "
      "field\n"
      "(each printed as a warning).");
  nomination->add_option("text", nom_args->text,
                         "Comment text (default: stdin)");
  nomination->add_flag("--json", nom_args->json, "Print JSON");
  nomination->callback([nom_args, &ctx] {
    int code = kExitOk;
    absl::Status status = RunNomination(*nom_args, code);
    ctx.exit_code = status.ok() ? code : ReportError(status);
  });
  RegisterCherryPickApplyCommand(*cp, ctx);
}

}  // namespace

void RegisterGitHubCommands(CLI::App& app, Context& ctx) {
  RegisterGitHub(app, ctx);
  RegisterCherryPick(app, ctx);
}

}  // namespace relkit::cli
