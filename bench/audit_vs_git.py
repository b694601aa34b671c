#!/usr/bin/env python3
"""The branch audit against git, in one run, on the same repository.

Times, on a repository made by bench/make_synthetic_repo.py (or any real one):

  1. relkit:  `relkit audit branch --repo R --branch B --main M --json`, twice:
              cold (`--no-cache`: every patch-id and changed-path set is
              computed from trees and blobs) and warm (`--cache-dir D` after
              one run filled D: the repeated audit of a release manager)
  2. floor:   `git rev-list --count B ^CUT ^M` and `git rev-list --count M ^CUT ^B`,
              the two walks the audit cannot avoid (it also reads every commit)
  3. messages: `git log --format=%H%x00%B` of the same two ranges, the least
              any audit does (walk and read every message); unlike the floor,
              a commit-graph file cannot make it cheaper
  4. git CLI: the equivalent pipeline, as github_analyze.py / gitutils do it:
              `git log --format=...` of both ranges (messages), then
              `git log -p --no-merges --no-renames ... | git patch-id --stable`
              of both ranges, then matching in Python by cherry-pick trailer,
              patch-id, PR number and normalised title

and checks that relkit and the git pipeline find identical matches (every
(branch commit, main commit, evidence) triple). Goals: relkit <= 2x the
rev-list floor, and >= 5x faster than the git-CLI pipeline.

    python3 bench/audit_vs_git.py /tmp/synth.git --relkit build/default/relkit [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable

ROOT = pathlib.Path(__file__).resolve().parents[1]

TRAILER = re.compile(r"\(cherry picked from commit ([0-9a-fA-F]{7,40})\)")
RESOLVED = re.compile(r"^Pull Request resolved: https://github\.com/[^/\s]+/[^/\s]+/pull/(\d+)\s*$", re.M)
SUFFIX = re.compile(r"\s*\(#(\d+)\)\s*$")
MARKERS = re.compile(
    r"^\s*(\[(release/[^\]]*|release[ -]only[^\]]*|release \d[^\]]*|cherry[- ]?pick[^\]]*)\]\s*|"
    r"cherry[- ]pick:?\s+)",
    re.I,
)


def git(repo: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True, text=True
    ).stdout


def cpu_now() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Runs `fn` once to warm the caches, then `repeat` times; returns the
    median wall time, the median CPU time (this process and its children:
    robust on a shared machine) and the last result."""
    result = fn()
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_now()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_now() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


# --- The git-CLI pipeline ------------------------------------------------------


def title_prs(title: str) -> tuple[list[int], str]:
    prs: list[int] = []
    while True:
        m = SUFFIX.search(title)
        if not m:
            return list(reversed(prs)), title
        prs.append(int(m.group(1)))
        title = title[: m.start()]


def normalize(title: str) -> str:
    _, bare = title_prs(title)
    while True:
        m = MARKERS.match(bare)
        if not m:
            break
        bare = bare[m.end() :]
    return " ".join(bare.split()).lower()


def parse_log(text: str) -> list[dict[str, Any]]:
    out = []
    for record in text.split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, _, message = record.partition("\x1f")
        title = message.split("\n", 1)[0].rstrip()
        prs, _ = title_prs(title)
        resolved = [int(x) for x in RESOLVED.findall(message)]
        own = resolved[0] if resolved else (prs[-1] if prs else None)
        out.append(
            {
                "sha": sha,
                "title": title,
                "prs": set(prs) | set(resolved),
                "own_pr": own,
                "picked_from": TRAILER.findall(message),
                "normalized": normalize(title),
            }
        )
    return out


def patch_ids(repo: str, *rev_args: str) -> dict[str, str]:
    log = subprocess.Popen(
        ["git", "-C", repo, "log", "-p", "--no-merges", "--no-renames", "--no-color",
         "--no-ext-diff", "--format=commit %H", *rev_args],
        stdout=subprocess.PIPE,
    )
    pid = subprocess.run(
        ["git", "-C", repo, "patch-id", "--stable"], stdin=log.stdout, capture_output=True, text=True, check=True
    )
    assert log.stdout is not None
    log.stdout.close()
    if log.wait() != 0:
        raise RuntimeError("git log -p failed")
    out = {}
    for line in pid.stdout.splitlines():
        p, sha = line.split()
        out[sha] = p
    return out


EVIDENCE_ORDER = ["cherry-pick-trailer", "patch-id", "pr-number", "title"]


def git_pipeline(repo: str, branch: str, main: str, cut: str) -> set[tuple[str, str, tuple[str, ...]]]:
    fmt = "--format=%H%x1f%B%x1e"
    b_commits = parse_log(git(repo, "log", fmt, branch, f"^{cut}", f"^{main}"))
    m_commits = parse_log(git(repo, "log", fmt, main, f"^{cut}", f"^{branch}"))
    b_pid = patch_ids(repo, branch, f"^{cut}", f"^{main}")
    m_pid = patch_ids(repo, main, f"^{cut}", f"^{branch}")

    main_shas = {m["sha"] for m in m_commits}
    by_pid: dict[str, list[str]] = {}
    for sha, p in m_pid.items():
        by_pid.setdefault(p, []).append(sha)
    by_pr: dict[int, list[str]] = {}
    by_title: dict[str, list[str]] = {}
    for m in m_commits:
        if m["own_pr"] is not None:
            by_pr.setdefault(m["own_pr"], []).append(m["sha"])
        if m["normalized"]:
            by_title.setdefault(m["normalized"], []).append(m["sha"])

    matches: set[tuple[str, str, tuple[str, ...]]] = set()
    for b in b_commits:
        ev: dict[str, set[str]] = {}
        for picked in b["picked_from"]:
            picked = picked.lower()
            if len(picked) == 40:
                if picked in main_shas:
                    ev.setdefault(picked, set()).add("cherry-pick-trailer")
            else:
                for sha in main_shas:
                    if sha.startswith(picked):
                        ev.setdefault(sha, set()).add("cherry-pick-trailer")
        pid = b_pid.get(b["sha"])
        if pid is not None:
            for sha in by_pid.get(pid, []):
                ev.setdefault(sha, set()).add("patch-id")
        for pr in b["prs"]:
            for sha in by_pr.get(pr, []):
                ev.setdefault(sha, set()).add("pr-number")
        for sha in by_title.get(b["normalized"], []) if b["normalized"] else []:
            ev.setdefault(sha, set()).add("title")
        for sha, kinds in ev.items():
            matches.add((b["sha"], sha, tuple(k for k in EVIDENCE_ORDER if k in kinds)))
    return matches


# --- relkit --------------------------------------------------------------------


def relkit_audit(relkit: str, repo: str, branch: str, main: str, orig: str,
                 cache_dir: str | None) -> dict[str, Any]:
    cache = ["--cache-dir", cache_dir] if cache_dir else ["--no-cache"]
    r = subprocess.run(
        [relkit, "audit", "branch", "--repo", repo, "--branch", branch, "--main", main, "--orig", orig,
         "--json", *cache],
        capture_output=True,
        text=True,
        check=False,
    )
    if r.returncode not in (0, 1):
        raise RuntimeError(f"relkit audit failed ({r.returncode}): {r.stderr}")
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def relkit_matches(doc: dict[str, Any]) -> set[tuple[str, str, tuple[str, ...]]]:
    out = set()
    for c in doc["commits"]:
        for cp in c["counterparts"]:
            out.add((c["sha"], cp["sha"], tuple(cp["evidence"])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--relkit", default=os.environ.get("RELKIT_CLI", str(ROOT / "build" / "default" / "relkit")))
    ap.add_argument("--branch", default="release/2.4")
    ap.add_argument("--main", default="main")
    ap.add_argument("--orig", default=None, help="cut point (default: orig/<branch>)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    orig = args.orig or f"orig/{args.branch}"
    repo = args.repo

    t_cold, c_cold, doc = timed(
        lambda: relkit_audit(args.relkit, repo, args.branch, args.main, orig, None), args.repeat)
    with tempfile.TemporaryDirectory(prefix="relkit-bench-cache-") as cache_dir:
        # timed() runs once untimed first: that run fills the cache.
        t_relkit, c_relkit, warm_doc = timed(
            lambda: relkit_audit(args.relkit, repo, args.branch, args.main, orig, cache_dir), args.repeat)

    def floor() -> tuple[int, int]:
        b = int(git(repo, "rev-list", "--count", args.branch, f"^{orig}", f"^{args.main}"))
        m = int(git(repo, "rev-list", "--count", args.main, f"^{orig}", f"^{args.branch}"))
        return b, m

    t_floor, c_floor, (n_branch, n_main) = timed(floor, args.repeat)

    def messages() -> None:
        # The least any audit must do: walk both ranges and read every
        # message. Unlike rev-list, a commit-graph file cannot make this
        # cheaper (messages are only in the commit objects).
        git(repo, "log", "--format=%H%x00%B", args.branch, f"^{orig}", f"^{args.main}")
        git(repo, "log", "--format=%H%x00%B", args.main, f"^{orig}", f"^{args.branch}")

    t_msgs, c_msgs, _ = timed(messages, args.repeat)
    # One file, or a chain of them (`--split`, `git maintenance`).
    has_commit_graph = False
    for name in ("objects/info/commit-graph", "objects/info/commit-graphs/commit-graph-chain"):
        path = git(repo, "rev-parse", "--git-path", name).strip()
        has_commit_graph |= os.path.exists(os.path.join(repo, path)) or os.path.exists(path)
    t_git, c_git, git_matches = timed(lambda: git_pipeline(repo, args.branch, args.main, orig), args.repeat)

    ours = relkit_matches(doc)
    identical = ours == git_matches and relkit_matches(warm_doc) == ours
    counts: dict[str, int] = {}
    for _, _, ev in ours:
        for e in ev:
            counts[e] = counts.get(e, 0) + 1
    result = {
        "repository": repo,
        "branch_commits": n_branch,
        "main_commits": n_main,
        "relkit_cold_seconds": round(t_cold, 3),
        "relkit_cold_cpu_seconds": round(c_cold, 3),
        "relkit_seconds": round(t_relkit, 3),
        "rev_list_floor_seconds": round(t_floor, 3),
        "git_log_messages_seconds": round(t_msgs, 3),
        "git_pipeline_seconds": round(t_git, 3),
        "relkit_cpu_seconds": round(c_relkit, 3),
        "rev_list_floor_cpu_seconds": round(c_floor, 3),
        "git_log_messages_cpu_seconds": round(c_msgs, 3),
        "git_pipeline_cpu_seconds": round(c_git, 3),
        "commit_graph": has_commit_graph,
        "relkit_over_floor": round(t_relkit / t_floor, 2),
        "git_pipeline_over_relkit": round(t_git / t_relkit, 1),
        "relkit_over_floor_cpu": round(c_relkit / c_floor, 2),
        "relkit_over_git_log_messages": round(t_relkit / t_msgs, 2),
        "git_pipeline_over_relkit_cpu": round(c_git / c_relkit, 1),
        "goal_floor_met": t_relkit <= 2 * t_floor,
        "goal_git_met": t_git >= 5 * t_relkit,
        "cold_over_floor": round(t_cold / t_floor, 2),
        "git_pipeline_over_cold": round(t_git / t_cold, 1),
        "identical_matches": identical,
        "matches": len(ours),
        "evidence_counts": counts,
        "release_only": sum(1 for c in doc["commits"] if c["release_only"]),
        "reverts_needed": len(doc["reverts_needed"]),
        "warnings": len(doc["warnings"]),
        "machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus".strip(),
        "git": git(repo, "version").strip(),
    }
    if not identical:
        only_relkit = sorted(ours - git_matches)[:5]
        only_git = sorted(git_matches - ours)[:5]
        result["only_relkit"] = only_relkit
        result["only_git"] = only_git
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{repo}: {n_branch} branch commits, {n_main} main commits since the cut"
              f"{' (has a commit-graph: rev-list reads no commit objects)' if has_commit_graph else ''}")
        print("                               wall (s)   cpu (s)")
        print(f"  relkit audit, cold cache     {t_cold:8.3f}  {c_cold:8.3f}   cold/floor = "
              f"{t_cold / t_floor:.2f} wall; git/cold = {t_git / t_cold:.1f}x wall")
        print(f"  relkit audit, warm cache     {t_relkit:8.3f}  {c_relkit:8.3f}")
        print(
            f"  git rev-list --count (floor) {t_floor:8.3f}  {c_floor:8.3f}   relkit/floor = "
            f"{t_relkit / t_floor:.2f} wall, {c_relkit / c_floor:.2f} cpu (warm; goal <= 2)"
        )
        print(
            f"  git log --format=%B          {t_msgs:8.3f}  {c_msgs:8.3f}   relkit/messages = "
            f"{t_relkit / t_msgs:.2f} wall (warm; reading every message, no matching)"
        )
        print(
            f"  git log + patch-id pipeline  {t_git:8.3f}  {c_git:8.3f}   git/relkit = "
            f"{t_git / t_relkit:.1f}x wall, {c_git / c_relkit:.1f}x cpu (warm; goal >= 5)"
        )
        print(f"  matches: {len(ours)} {counts}; identical to the git pipeline (cold and warm): {identical}")
        print(f"  release-only {result['release_only']}, reverts needed {result['reverts_needed']}")
        if not identical:
            print(f"  only relkit: {result['only_relkit']}\n  only git: {result['only_git']}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
