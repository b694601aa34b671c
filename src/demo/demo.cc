#include "demo/demo.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "relkit/branch_cut.h"
#include "relkit/rc_tags.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// --- The people of the story (fictional) -----------------------------------

struct Person {
  absl::string_view name;
  absl::string_view email;
  absl::string_view github;
};

constexpr Person kMergeBot{"PyTorch MergeBot",
                           "pytorchmergebot@users.noreply.github.com",
                           "pytorchmergebot"};
constexpr Person kGitHub{"GitHub", "noreply@github.com", "web-flow"};
constexpr Person kAda{"Ada Park", "ada.park@example.com", "ada-park"};
constexpr Person kBen{"Ben Osei", "ben.osei@example.com", "ben-osei"};
constexpr Person kChloe{"Chloe Martin", "chloe.martin@example.com",
                        "chloe-martin"};
constexpr Person kDev{"Dev Raman", "dev.raman@example.com", "dev-raman"};
constexpr Person kEva{"Eva Novak", "eva.novak@example.com", "eva-novak"};
constexpr Person kRita{"Rita Lang", "rita.lang@example.com", "rita-lang"};

// --- File contents
// ------------------------------------------------------------

constexpr absl::string_view kReadme =
    "# PyTorch (relkit demo)\n\n"
    "A small stand-in for pytorch/pytorch, built by `relkit demo` through\n"
    "relkit's own git layer.\n";

constexpr absl::string_view kPullYml =
    "name: pull\n\n"
    "on:\n"
    "  pull_request:\n"
    "  push:\n"
    "    branches: [main, release/*]\n\n"
    "jobs:\n"
    "  linux-focal-py3_8-gcc9-build:\n"
    "    uses: ./.github/workflows/_linux-build.yml\n"
    "    with:\n"
    "      build-environment: linux-focal-py3.8-gcc9\n"
    "  lint:\n"
    "    uses: pytorch/test-infra/.github/workflows/linux_job.yml@main\n"
    "    with:\n"
    "      script: lintrunner --all-files\n";

constexpr absl::string_view kTrunkYml =
    "name: trunk\n\n"
    "on:\n"
    "  push:\n"
    "    branches: [main, release/*]\n\n"
    "jobs:\n"
    "  linux-focal-cuda12_1-py3_10-gcc9-test:\n"
    "    uses: pytorch/test-infra/.github/workflows/linux_job.yml@main\n"
    "    with:\n"
    "      runner: linux.4xlarge.nvidia.gpu\n"
    "      script: .ci/pytorch/test.sh\n";

constexpr absl::string_view kSetupAction =
    "name: Setup Linux\n"
    "description: Checkout and prepare a Linux runner\n\n"
    "runs:\n"
    "  using: composite\n"
    "  steps:\n"
    "    - uses: pytorch/test-infra/.github/actions/setup-linux@main\n"
    "    - uses: pytorch/test-infra/.github/actions/setup-ssh@main\n";

constexpr absl::string_view kTritonPin =
    "45fff310c891f5a92d55445adf8cc9d29df5841e\n";
constexpr absl::string_view kTritonReleasePin =
    "b8c64f64c18d8cac598b3adb355c21e7439c21de\n";

constexpr absl::string_view kTorchInit =
    "\"\"\"PyTorch (demo excerpt).\"\"\"\n\n"
    "from torch import cuda, nn, onnx  # noqa: F401\n\n"
    "__all__ = [\"cuda\", \"nn\", \"onnx\"]\n";

constexpr absl::string_view kFunctional =
    "\"\"\"Functional interface (demo excerpt).\"\"\"\n\n"
    "import torch\n\n\n"
    "def _check_size_scale_factor(dim, size, scale_factor):\n"
    "    if size is None and scale_factor is None:\n"
    "        raise ValueError(\"either size or scale_factor should be "
    "defined\")\n"
    "    if size is not None and scale_factor is not None:\n"
    "        raise ValueError(\"only one of size or scale_factor should be "
    "defined\")\n\n\n"
    "def interpolate(input, size=None, scale_factor=None, mode=\"nearest\"):\n"
    "    dim = input.dim() - 2\n"
    "    _check_size_scale_factor(dim, size, scale_factor)\n"
    "    output = torch._C._nn.upsample(input, size, scale_factor, mode)\n"
    "    return output\n\n\n"
    "def relu(input, inplace=False):\n"
    "    return torch.relu_(input) if inplace else torch.relu(input)\n";

constexpr absl::string_view kCompileFx =
    "\"\"\"Inductor entry points (demo excerpt).\"\"\"\n\n"
    "_compiled = {}\n\n\n"
    "def compile_fx(model, example_inputs, dynamic=False):\n"
    "    graph = trace(model, example_inputs)\n"
    "    key = cache_key(graph, example_inputs)\n"
    "    if key in _compiled:\n"
    "        return _compiled[key]\n"
    "    compiled = lower(graph, dynamic=dynamic)\n"
    "    _compiled[key] = compiled\n"
    "    return compiled\n\n\n"
    "def cache_key(graph, example_inputs):\n"
    "    return (graph, tuple(x.shape for x in example_inputs))\n";

constexpr absl::string_view kCudaMemory =
    "\"\"\"CUDA caching allocator (demo excerpt).\"\"\"\n\n"
    "import collections\n\n"
    "import torch\n\n"
    "_pending = collections.defaultdict(list)\n\n\n"
    "def empty_cache():\n"
    "    torch._C._cuda_emptyCache()\n\n\n"
    "def record_stream_free(block, stream):\n"
    "    _pending[stream].append(block)\n\n\n"
    "def synchronize_stream(stream):\n"
    "    stream.synchronize()\n";

constexpr absl::string_view kOnnxOpset =
    "\"\"\"ONNX symbolics for opset 14 (demo excerpt).\"\"\"\n\n\n"
    "def scaled_dot_product_attention(\n"
    "    g, query, key, value, attn_mask=None, dropout_p=0.0, "
    "is_causal=False\n"
    "):\n"
    "    scale = _attention_scale(g, query)\n"
    "    return _sdpa(g, query, key, value, attn_mask, scale)\n";

constexpr absl::string_view kDcpSave =
    "\"\"\"Distributed checkpoint: save (demo excerpt).\"\"\"\n\n"
    "import torch.distributed as dist\n\n\n"
    "def save(state_dict, storage_writer, coordinator_rank=0):\n"
    "    plan = _create_plan(state_dict)\n"
    "    if dist.get_rank() == coordinator_rank:\n"
    "        plan = _dedup(plan)\n"
    "        dist.barrier()\n"
    "    storage_writer.write(plan)\n";

constexpr absl::string_view kExportDocs =
    "torch.export\n"
    "============\n\n"
    ".. autofunction:: torch.export.export\n";

constexpr absl::string_view kInductorConfig =
    "\"\"\"Inductor configuration (demo excerpt).\"\"\"\n\n"
    "triton_cudagraphs = False\n"
    "triton_cudagraph_trees = False\n";

// --- Building
// -----------------------------------------------------------------

// The release PR of a cherry-pick and how its message reads.
enum class PickStyle : uint8_t {
  // GitHub squash of a `git cherry-pick -x` PR: `Title (#main) (#pick)`,
  // the main message body and the `-x` trailer.
  kSquashWithTrailer,
  // The same, titled `[release/X.Y] Title (#pick)`.
  kPrefixedWithTrailer,
};

FileChange Write(absl::string_view path, absl::string_view content) {
  FileChange c;
  c.path = std::string(path);
  c.content = std::string(content);
  return c;
}

std::string MergeBotMessage(absl::string_view title, uint64_t pr,
                            absl::string_view summary, const Person& approver) {
  return absl::StrCat(title, " (#", pr, ")\n\n", summary,
                      "\n\nPull Request resolved: "
                      "https://github.com/pytorch/pytorch/pull/",
                      pr, "\nApproved by: https://github.com/", approver.github,
                      "\n");
}

class Builder {
 public:
  explicit Builder(Repository& repo) : repo_(repo) {}

  // The signature of `who`, 47 minutes after the previous one.
  Signature Next(const Person& who) {
    clock_ += absl::Minutes(47);
    return Signature{.name = std::string(who.name),
                     .email = std::string(who.email),
                     .time = clock_,
                     .utc_offset_minutes = 0};
  }
  Signature Now(const Person& who) {
    return Signature{.name = std::string(who.name),
                     .email = std::string(who.email),
                     .time = clock_,
                     .utc_offset_minutes = 0};
  }

  absl::StatusOr<std::optional<ObjectId>> Head(absl::string_view branch) {
    return repo_.LookupRef(absl::StrCat("refs/heads/", branch));
  }

  // Commits `changes` on `branch` (a root commit when it does not exist
  // yet) and moves the branch with compare-and-swap.
  absl::StatusOr<ObjectId> Commit(absl::string_view branch,
                                  std::vector<FileChange> changes,
                                  std::string message, const Person& author,
                                  const Person& committer) {
    RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> head, Head(branch));
    CommitSpec spec;
    if (head) spec.parents.push_back(*head);
    spec.changes = std::move(changes);
    spec.message = std::move(message);
    spec.author = Next(author);
    spec.committer = Now(committer);
    RELKIT_ASSIGN_OR_RETURN(ObjectId id, repo_.CreateCommit(spec));
    RELKIT_RETURN_IF_ERROR(repo_.UpdateRefs(
        {RefUpdate{.name = absl::StrCat("refs/heads/", branch),
                   .target = id,
                   .expected = head,
                   .message = absl::StrCat(
                       "relkit demo: ",
                       spec.message.substr(0, spec.message.find('\n')))}}));
    return id;
  }

  // A merge-bot landing on main of PR `pr`.
  absl::StatusOr<ObjectId> Land(absl::string_view title, uint64_t pr,
                                absl::string_view summary,
                                std::vector<FileChange> changes,
                                const Person& author, const Person& approver) {
    return Commit("main", std::move(changes),
                  MergeBotMessage(title, pr, summary, approver), author,
                  kMergeBot);
  }

  // Returns `path` at `rev` with `from` replaced by `to`; the demo's own
  // content, so a missing `from` is an internal error.
  absl::StatusOr<FileChange> Edit(absl::string_view rev, absl::string_view path,
                                  absl::string_view from,
                                  absl::string_view to) {
    RELKIT_ASSIGN_OR_RETURN(std::string text, repo_.ReadFile(rev, path));
    size_t at = text.find(from.data(), 0, from.size());
    if (at == std::string::npos) {
      return absl::InternalError(
          absl::StrCat("demo: \"", from, "\" not found in ", rev, ":", path));
    }
    text.replace(at, from.size(), to.data(), to.size());
    return Write(path, text);
  }

  // Replays main commit `commit` on `branch` whole-file (what a clean
  // cherry-pick produces when the files are untouched on the branch), as the
  // squash of release PR `pick_pr`.
  absl::StatusOr<ObjectId> Pick(absl::string_view branch,
                                const ObjectId& commit, uint64_t pick_pr,
                                PickStyle style, const Person& author) {
    RELKIT_ASSIGN_OR_RETURN(CommitInfo info, repo_.GetCommit(commit));
    RELKIT_ASSIGN_OR_RETURN(std::vector<std::string> paths,
                            repo_.ChangedPaths(commit));
    std::vector<FileChange> changes;
    for (const std::string& p : paths) {
      FileChange c;
      c.path = p;
      absl::StatusOr<std::string> content =
          repo_.ReadFile(commit.ToString(), p);
      if (content.ok()) {
        c.content = *std::move(content);
      } else if (!absl::IsNotFound(content.status())) {
        return content.status();
      }
      changes.push_back(std::move(c));
    }
    std::string title = info.Title();
    std::string body = info.message.substr(
        std::min(info.message.size(), info.message.find('\n')));
    while (!body.empty() && body.back() == '\n') body.pop_back();
    std::string head = style == PickStyle::kSquashWithTrailer
                           ? absl::StrCat(title, " (#", pick_pr, ")")
                           : absl::StrCat("[", branch, "] ",
                                          title.substr(0, title.rfind(" (#")),
                                          " (#", pick_pr, ")");
    std::string message =
        absl::StrCat(head, body, "\n\n(cherry picked from commit ",
                     commit.ToString(), ")\n");
    return Commit(branch, std::move(changes), std::move(message), author,
                  kGitHub);
  }

 private:
  Repository& repo_;
  // 2024-05-20 09:00 UTC, before the 2.4 branch cut.
  absl::Time clock_ = absl::FromCivil(absl::CivilMinute(2024, 5, 20, 9, 0),
                                      absl::UTCTimeZone());
};

absl::Status CheckTarget(const std::string& path) {
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot use \"", path, "\" for the demo repository: ", ec.message()));
  }
  if (!std::filesystem::exists(st)) return absl::OkStatus();
  if (!std::filesystem::is_directory(st) ||
      !std::filesystem::is_empty(path, ec) || ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot build the demo repository in \"", path,
                     "\": it exists and is not an empty directory"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view DemoRoleName(DemoRole role) {
  switch (role) {
    case DemoRole::kPicked:
      return "picked";
    case DemoRole::kConflictResolved:
      return "conflict-resolved";
    case DemoRole::kNeverPicked:
      return "never-picked";
    case DemoRole::kRevertedOnMain:
      return "reverted-on-main";
    case DemoRole::kMainOnly:
      return "main-only";
  }
  return "unknown";
}

const DemoChange* DemoRepository::Find(DemoRole role) const {
  for (const DemoChange& c : changes) {
    if (c.role == role) return &c;
  }
  return nullptr;
}

absl::StatusOr<DemoRepository> BuildDemoRepository(absl::string_view path) {
  DemoRepository demo;
  demo.path = std::string(path);
  RELKIT_RETURN_IF_ERROR(CheckTarget(demo.path));
  InitOptions init;
  init.kind = InitOptions::Kind::kBare;
  RELKIT_ASSIGN_OR_RETURN(Repository repo, Repository::Init(demo.path, init));
  Builder b(repo);

  // --- main before the cut ---------------------------------------------------
  RELKIT_RETURN_IF_ERROR(
      b.Commit("main",
               {Write("README.md", kReadme), Write("version.txt", "2.4.0a0\n"),
                Write(".github/workflows/pull.yml", kPullYml),
                Write(".github/workflows/trunk.yml", kTrunkYml),
                Write(".github/actions/setup-linux/action.yml", kSetupAction),
                Write(".ci/docker/ci_commit_pins/triton.txt", kTritonPin),
                Write(".ci/docker/triton_version.txt", "3.0.0\n"),
                Write("torch/__init__.py", kTorchInit),
                Write("torch/nn/functional.py", kFunctional)},
               "Initial commit\n", kAda, kAda)
          .status());
  RELKIT_RETURN_IF_ERROR(
      b.Land("[inductor] Cache compiled graphs by input shapes", 126901,
             "Compiled graphs are reused when the input shapes match.",
             {Write("torch/_inductor/compile_fx.py", kCompileFx)}, kBen, kAda)
          .status());
  RELKIT_RETURN_IF_ERROR(
      b.Land("Track streams in the CUDA caching allocator", 126933,
             "Blocks freed while a stream is in use wait for that stream.",
             {Write("torch/cuda/memory.py", kCudaMemory)}, kChloe, kBen)
          .status());
  RELKIT_RETURN_IF_ERROR(
      b.Land("[ONNX] Export scaled_dot_product_attention", 126950,
             "Adds the opset 14 symbolic for SDPA.",
             {Write("torch/onnx/symbolic_opset14.py", kOnnxOpset)}, kEva,
             kChloe)
          .status());
  RELKIT_ASSIGN_OR_RETURN(
      ObjectId green,
      b.Land("[DCP] Deduplicate save plans on the coordinator", 127012,
             "Only the coordinator rank deduplicates the global plan.",
             {Write("torch/distributed/checkpoint/save.py", kDcpSave)}, kDev,
             kEva));
  // viable/strict: the newest commit that passed every required job.
  RELKIT_RETURN_IF_ERROR(repo.CreateBranch(demo.source, green));
  {
    RELKIT_ASSIGN_OR_RETURN(
        ObjectId id,
        b.Land("Document torch.export", 127100,
               "Adds the torch.export page to the docs.",
               {Write("docs/source/export.rst", kExportDocs)}, kAda, kDev));
    demo.changes.push_back(
        DemoChange{.role = DemoRole::kMainOnly,
                   .pr = 127100,
                   .title = "Document torch.export (#127100)",
                   .main_commit = id,
                   .branch_commit = std::nullopt,
                   .branch_pr = std::nullopt,
                   .revert_commit = std::nullopt});
  }

  // --- The branch cut, as a plan then an atomic apply ------------------------
  BranchCutOptions cut;
  cut.source = demo.source;
  cut.default_branch = demo.main;
  RELKIT_ASSIGN_OR_RETURN(BranchCutPlan plan, PlanBranchCut(repo, cut));
  ApplyCutOptions apply;
  apply.signature = b.Next(kRita);
  RELKIT_RETURN_IF_ERROR(ApplyBranchCut(repo, plan, apply).status());
  demo.release_branch = plan.release_branch;
  demo.orig_branch = plan.orig_branch;
  demo.cut_point = plan.source_commit;
  {
    RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> r,
                            b.Head(demo.release_branch));
    RELKIT_ASSIGN_OR_RETURN(std::optional<ObjectId> m, b.Head(demo.main));
    if (!r || !m) return absl::InternalError("demo: the cut created no refs");
    demo.release_only_commit = *r;
    demo.version_bump_commit = *m;
  }
  const std::string& rel = demo.release_branch;

  // --- main after the cut ----------------------------------------------------
  auto land = [&](DemoRole role, absl::string_view title, uint64_t pr,
                  absl::string_view summary, std::vector<FileChange> changes,
                  const Person& author,
                  const Person& approver) -> absl::StatusOr<size_t> {
    RELKIT_ASSIGN_OR_RETURN(
        ObjectId id,
        b.Land(title, pr, summary, std::move(changes), author, approver));
    demo.changes.push_back(
        DemoChange{.role = role,
                   .pr = pr,
                   .title = absl::StrCat(title, " (#", pr, ")"),
                   .main_commit = id,
                   .branch_commit = std::nullopt,
                   .branch_pr = std::nullopt,
                   .revert_commit = std::nullopt});
    return demo.changes.size() - 1;
  };

  RELKIT_ASSIGN_OR_RETURN(FileChange f1_edit,
                          b.Edit("main", "torch/_inductor/compile_fx.py",
                                 "    return (graph, tuple(x.shape for x in "
                                 "example_inputs))\n",
                                 "    shapes = tuple(_symbolic(x.shape) for x "
                                 "in example_inputs)\n"
                                 "    return (graph, shapes)\n"));
  RELKIT_ASSIGN_OR_RETURN(
      size_t f1,
      land(DemoRole::kPicked,
           "[inductor] Fix recompilation on every call with dynamic shapes",
           128001,
           "With dynamic=True the cache key used concrete shapes, so every "
           "new size recompiled.",
           {f1_edit}, kBen, kAda));

  RELKIT_ASSIGN_OR_RETURN(
      FileChange r0_edit,
      b.Edit("main", "torch/nn/functional.py",
             "    _check_size_scale_factor(dim, size, scale_factor)\n"
             "    output = torch._C._nn.upsample(input, size, scale_factor, "
             "mode)\n",
             "    size = _interp_output_size(dim, input, size, scale_factor)\n"
             "    output = torch._C._nn.upsample(input, size, None, mode)\n"));
  RELKIT_RETURN_IF_ERROR(
      land(DemoRole::kMainOnly,
           "Refactor interpolate size checks into _interp_output_size", 128006,
           "Computes the output size once; no behaviour change.", {r0_edit},
           kChloe, kBen)
          .status());

  RELKIT_ASSIGN_OR_RETURN(
      FileChange f2_edit,
      b.Edit("main", "torch/cuda/memory.py", "    stream.synchronize()\n",
             "    stream.synchronize()\n"
             "    for block in _pending.pop(stream, []):\n"
             "        _free(block)\n"));
  RELKIT_ASSIGN_OR_RETURN(
      size_t f2,
      land(DemoRole::kPicked,
           "Fix CUDA caching allocator leak when a stream is synchronized",
           128002,
           "Blocks recorded on a stream were never freed after "
           "synchronize_stream.",
           {f2_edit}, kChloe, kBen));

  constexpr absl::string_view kChannelsLast =
      "    if input.is_contiguous(memory_format=torch.channels_last):\n"
      "        output = output.contiguous(memory_format=torch.channels_last)\n"
      "    return output\n";
  RELKIT_ASSIGN_OR_RETURN(
      FileChange f3_edit,
      b.Edit("main", "torch/nn/functional.py",
             "    output = torch._C._nn.upsample(input, size, None, mode)\n"
             "    return output\n",
             absl::StrCat("    output = torch._C._nn.upsample(input, size, "
                          "None, mode)\n",
                          kChannelsLast)));
  RELKIT_ASSIGN_OR_RETURN(
      size_t f3,
      land(DemoRole::kConflictResolved,
           "Fix F.interpolate dropping the channels_last layout", 128003,
           "The output of interpolate was always contiguous.", {f3_edit}, kAda,
           kChloe));

  RELKIT_ASSIGN_OR_RETURN(
      FileChange f4_edit,
      b.Edit("main", "torch/distributed/checkpoint/save.py",
             "        plan = _dedup(plan)\n        dist.barrier()\n",
             "        plan = _dedup(plan)\n    dist.barrier()\n"));
  RELKIT_RETURN_IF_ERROR(
      land(DemoRole::kNeverPicked,
           "[DCP] Fix save hang when only the coordinator reaches "
           "the barrier",
           128004,
           "Every rank must enter the barrier, not only the "
           "coordinator.",
           {f4_edit}, kDev, kEva)
          .status());

  RELKIT_ASSIGN_OR_RETURN(
      FileChange f5_edit,
      b.Edit("main", "torch/onnx/symbolic_opset14.py",
             "    scale = _attention_scale(g, query)\n",
             "    scale = _attention_scale(g, query)\n"
             "    if is_causal:\n"
             "        attn_mask = _causal_mask(g, query, key)\n"));
  RELKIT_ASSIGN_OR_RETURN(
      size_t f5,
      land(DemoRole::kRevertedOnMain,
           "[ONNX] Fix export of causal scaled_dot_product_attention", 128005,
           "is_causal=True was ignored by the exporter.", {f5_edit}, kEva,
           kAda));

  RELKIT_RETURN_IF_ERROR(
      land(DemoRole::kMainOnly, "[inductor] Add cudagraph tree options", 128007,
           "New options for the next release; off by default.",
           {Write("torch/_inductor/config.py", kInductorConfig)}, kBen, kDev)
          .status());

  // --- Cherry-picks on the release branch, then the first RC -----------------
  auto pick = [&](size_t index, uint64_t pick_pr, PickStyle style,
                  const Person& who) -> absl::Status {
    DemoChange& c = demo.changes[index];
    RELKIT_ASSIGN_OR_RETURN(ObjectId id,
                            b.Pick(rel, c.main_commit, pick_pr, style, who));
    c.branch_commit = id;
    c.branch_pr = pick_pr;
    return absl::OkStatus();
  };
  RELKIT_RETURN_IF_ERROR(pick(f1, 128301, PickStyle::kSquashWithTrailer, kBen));
  RELKIT_RETURN_IF_ERROR(
      pick(f2, 128302, PickStyle::kPrefixedWithTrailer, kChloe));

  RELKIT_ASSIGN_OR_RETURN(RcTagPlan rc, PlanRcTag(repo, rel, {}));
  RELKIT_RETURN_IF_ERROR(ApplyRcTag(repo, rc).status());
  demo.rc_tag = rc.tag.ToString();
  demo.rc_commit = rc.target;

  // The channels_last fix does not apply: release/2.4 lacks the refactor of
  // the size checks. The resolution adds the same lines in the old context,
  // so the patch-id differs; the release PR names the main PR in its title.
  {
    DemoChange& c = demo.changes[f3];
    RELKIT_ASSIGN_OR_RETURN(
        FileChange resolved,
        b.Edit(rel, "torch/nn/functional.py",
               "    output = torch._C._nn.upsample(input, size, scale_factor, "
               "mode)\n    return output\n",
               absl::StrCat("    output = torch._C._nn.upsample(input, size, "
                            "scale_factor, mode)\n",
                            kChannelsLast)));
    RELKIT_ASSIGN_OR_RETURN(
        ObjectId id,
        b.Commit(rel, {resolved},
                 absl::StrCat("[", rel,
                              "] Keep the channels_last layout in "
                              "F.interpolate (#128003) (#128303)\n\n"
                              "Manual cherry-pick: resolved a conflict with "
                              "the refactor of the interpolate\nsize checks, "
                              "which is not on ",
                              rel, ".\n"),
                 kAda, kGitHub));
    c.branch_commit = id;
    c.branch_pr = 128303;
  }
  RELKIT_RETURN_IF_ERROR(pick(f5, 128305, PickStyle::kSquashWithTrailer, kEva));
  RELKIT_ASSIGN_OR_RETURN(
      demo.pin_update_commit,
      b.Commit(
          rel,
          {Write(".ci/docker/ci_commit_pins/triton.txt", kTritonReleasePin)},
          absl::StrCat("[RELEASE-ONLY CHANGES] Update the triton pin to "
                       "release/3.0.x (#128310)\n\n"
                       "The 2.4 wheels build triton from its release "
                       "branch.\n"),
          kRita, kGitHub));

  // --- The revert on main that never reached the release branch -------------
  {
    DemoChange& c = demo.changes[f5];
    RELKIT_ASSIGN_OR_RETURN(
        FileChange undo,
        b.Edit("main", "torch/onnx/symbolic_opset14.py",
               "    if is_causal:\n"
               "        attn_mask = _causal_mask(g, query, key)\n",
               ""));
    RELKIT_ASSIGN_OR_RETURN(
        ObjectId id,
        b.Commit(
            "main", {undo},
            absl::StrCat("Revert \"", c.title, "\"\n\nThis reverts commit ",
                         c.main_commit.ToString(),
                         ".\n\nReverted https://github.com/pytorch/pytorch/"
                         "pull/128005 on behalf of https://github.com/",
                         kDev.github,
                         " due to breaks test_onnx_opset on ROCm "
                         "([comment](https://github.com/pytorch/pytorch/"
                         "pull/128005#issuecomment-2161234567))\n"),
            kMergeBot, kMergeBot));
    c.revert_commit = id;
  }
  for (const DemoChange& c : demo.changes) {
    if (c.role != DemoRole::kMainOnly) demo.requested_prs.push_back(c.pr);
  }
  return demo;
}

}  // namespace relkit
