#!/usr/bin/env python3
"""GitHub requests of milestone validation: a 1,000-item milestone against a
100,000-commit repository, over real HTTP, cold and with a warm ETag cache.

The repository is the one bench/make_synthetic_repo.py makes (generated when
REPO does not exist). The milestone is built from its history, GitHub-shaped
(the fields the issues API sends), and served by tests/testing/github_server.py
on 127.0.0.1: `Link` pagination at per_page=100, `ETag`/`If-None-Match` -> 304,
`x-ratelimit-*` headers where a 304 costs nothing; the server counts requests
by endpoint and status. Items (for --items 1000):

  450 merged PRs picked into release/2.4            -> present
  150 merged PRs on main since the cut, not picked  -> missing
  100 merged PRs from before the cut, the oldest    -> present (ancestry; the
      being the repository's first: the worst case      walk reads main's whole
      for the walk before the cut)                       history before the cut)
  100 closed issues fixed by a milestone PR ("Fixes #N" in its body) -> present
   50 closed issues nothing fixes                   -> no-fix
   50 PRs closed without merging                    -> not-merged
   70 open issues and PRs                           -> open
   30 open issues labelled release-feature-request  -> skipped

Three commands run, each cold (empty --cache-dir and $XDG_CACHE_HOME: no ETags,
no patch-ids) then warm (same caches):

  github milestone   the listing alone: milestone lookup + item pages
  milestone check    the validation: + branch audit + walk before the cut
  check              the readiness report: + tracker lookup and comments,
                     status and check runs of the branch head

and the script checks, for each: the cold run asks for the item listing in
exactly ceil(items/100) pages plus the fixed calls listed below, never one
request per item (anything the server does not serve is an "unexpected" 404);
the warm run asks the same and gets only 304s, which use no rate limit; the
validation finds what was planted. It exits 1 when any check fails.

Fixed calls (independent of the milestone's size):
  milestones       1  the milestone is named by title ("2.4.0"), so it is
                      found in the repository's milestone listing (one page);
                      by number it would be one GET /milestones/N instead
  issues by label  1  `relkit check` only: the release tracker lookup
                      (`issues?labels=release tracker`, one page)
  issue comments   1  `relkit check` only: the tracker's nominations
  commit status    1  `relkit check` only: CI at the branch head
  check runs       1  `relkit check` only: CI at the branch head

    python3 bench/milestone_requests.py /tmp/msbench-synth.git --relkit build/default/relkit [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import (  # noqa: E402
    GitHubServer,
    issue_json,
    listing_pages,
    milestone_json,
    requests_by_endpoint,
)

OWNER, NAME = "pytorch", "pytorch"  # the generator's trailers name pytorch/pytorch
REPO = f"{OWNER}/{NAME}"
MILESTONE_NUMBER, MILESTONE_TITLE = 47, "2.4.0"
TRACKER = 7_000
TOKEN = "ghp_benchTOKEN0000000000000000000000000"
SUFFIX = re.compile(r"\(#(\d+)\)")

# Share of each kind of item (see the docstring).
MIX = [
    ("picked", 0.45), ("missing", 0.15), ("before_cut", 0.10), ("issue_fixed", 0.10),
    ("issue_no_fix", 0.05), ("not_merged", 0.05), ("open", 0.07), ("skipped", 0.03),
]
EXPECTED_STATUS = {
    "picked": "present", "missing": "missing", "before_cut": "present",
    "issue_fixed": "present", "issue_no_fix": "no-fix", "not_merged": "not-merged",
    "open": "open", "skipped": "skipped",
}


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          text=True).stdout


def rfc3339(unix: int) -> str:
    return datetime.datetime.fromtimestamp(unix, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def own_prs(subjects: str) -> list[int]:
    """The PR of each merge-bot subject ("Title (#N)"), reverts excluded."""
    out = []
    for s in subjects.splitlines():
        prs = SUFFIX.findall(s)
        if prs and not s.startswith("Revert"):
            out.append(int(prs[-1]))
    return out


def build_milestone(repo: str, branch: str, orig: str, items: int,
                    seed: int) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Returns the milestone's items (newest first, as GitHub lists them) and
    the status relkit should find for each."""
    rng = random.Random(seed)
    # Main PRs the branch carries: the first (#N) of each pick's subject.
    picked: set[int] = set()
    for s in git(repo, "log", "--format=%s", branch, f"^{orig}").splitlines():
        prs = [int(p) for p in SUFFIX.findall(s)]
        if len(prs) >= 2:
            picked.add(prs[0])
    reverted = {int(p) for s in git(repo, "log", "--format=%s", "main", f"^{orig}").splitlines()
                if s.startswith("Revert") for p in SUFFIX.findall(s)}
    since_cut = [p for p in own_prs(git(repo, "log", "--format=%s", "main", f"^{orig}", f"^{branch}"))
                 if p not in reverted]
    before_cut = own_prs(git(repo, "log", "--format=%s", orig))  # newest first
    # When each PR landed, for consistent GitHub times: a PR merges when its
    # commit lands, an issue is opened a day before its fix (relkit bounds
    # its walk before the cut by these times, as real data allows).
    landed: dict[int, int] = {}
    for line in git(repo, "log", "--format=%ct %s", "main").splitlines():
        when, _, subject = line.partition(" ")
        for p in own_prs(subject):
            landed.setdefault(p, int(when))
    cut_time = int(git(repo, "log", "-1", "--format=%ct", orig))

    counts = {kind: int(share * items) for kind, share in MIX}
    counts["picked"] += items - sum(counts.values())
    pool_picked = sorted(p for p in since_cut if p in picked)
    pool_missing = sorted(p for p in since_cut if p not in picked)
    if counts["picked"] > len(pool_picked) or counts["missing"] > len(pool_missing):
        raise SystemExit(f"{repo}: not enough picked/missing PRs for {items} items")
    plan: dict[int, str] = {}
    prs_present: list[int] = []
    for p in rng.sample(pool_picked, counts["picked"]):
        plan[p] = "picked"
        prs_present.append(p)
    for p in rng.sample(pool_missing, counts["missing"]):
        plan[p] = "missing"
    old = [before_cut[-1]] + rng.sample(before_cut[:-1], counts["before_cut"] - 1)
    for p in old:
        plan[p] = "before_cut"
        prs_present.append(p)
    next_number = 50_000  # issues and unmerged PRs: numbers no commit uses

    def fresh() -> int:
        nonlocal next_number
        next_number += 1
        return next_number

    fixes: dict[int, list[int]] = {}  # PR -> issues its body says it fixes
    for _ in range(counts["issue_fixed"]):
        n = fresh()
        plan[n] = "issue_fixed"
        fixes.setdefault(rng.choice(prs_present), []).append(n)
    for kind in ("issue_no_fix", "not_merged", "open", "skipped"):
        for _ in range(counts[kind]):
            plan[fresh()] = kind

    fixed_by: dict[int, list[int]] = {}
    for pr, issues in fixes.items():
        for i in issues:
            fixed_by.setdefault(i, []).append(pr)
    ms = {"number": MILESTONE_NUMBER, "title": MILESTONE_TITLE}
    out = []
    for k, (n, kind) in enumerate(sorted(plan.items(), reverse=True)):
        is_pr = kind in ("picked", "missing", "before_cut", "not_merged") or (
            kind == "open" and k % 3 == 0)
        body = "\n".join(f"Fixes #{i}" for i in fixes.get(n, [])) or f"Change {n}."
        opened = (min(landed[p] for p in fixed_by[n]) if n in fixed_by else
                  landed.get(n, cut_time)) - 86_400
        out.append(issue_json(
            REPO, n, f"Milestone item {n} ({kind})", pr=is_pr,
            created_at=rfc3339(opened), merged_at=rfc3339(landed.get(n, cut_time)),
            state="open" if kind in ("open", "skipped") else "closed",
            merged=kind in ("picked", "missing", "before_cut"),
            labels=("release-feature-request",) if kind == "skipped" else ("module: inductor",),
            body=body, milestone=ms, author=f"dev{n % 40}"))
    return out, {n: EXPECTED_STATUS[kind] for n, kind in plan.items()}


def serve(server: GitHubServer, items: list[dict[str, Any]], head: str) -> None:
    """Fills the server: 12 milestones, the items, a tracker issue with a few
    nominations, green CI at the branch head."""
    open_items = sum(1 for i in items if i["state"] == "open")
    server.milestones = [milestone_json(REPO, 36 + k, f"2.{k - 8}.0" if k >= 8 else f"1.{k + 6}.0",
                                        state="closed") for k in range(11)]
    server.milestones.append(milestone_json(REPO, MILESTONE_NUMBER, MILESTONE_TITLE,
                                            open_issues=open_items,
                                            closed_issues=len(items) - open_items))
    server.milestone_items[MILESTONE_NUMBER] = items
    server.issues = [issue_json(REPO, TRACKER, "[v2.4.0] Release Tracker", state="open",
                                labels=("release tracker",), author="releng")]
    picked = [i["number"] for i in items if "(picked)" in i["title"]][:20]
    server.comments[TRACKER] = [
        {"id": 9_000 + k, "user": {"login": f"dev{k}"},
         "html_url": f"https://github.com/{REPO}/issues/{TRACKER}#issuecomment-{9_000 + k}",
         "created_at": "2024-06-21T10:00:00Z", "updated_at": "2024-06-21T10:00:00Z",
         "body": (f"Link to landed trunk PR (if applicable):\n* https://github.com/{REPO}/pull/{p}\n\n"
                  "Link to release branch PR:\n* N/A\n\nCriteria Category:\nRegression")}
        for k, p in enumerate(picked)]
    server.statuses[head] = {"state": "success", "sha": head, "total_count": 1, "statuses": [
        {"context": "ci/lint", "state": "success", "description": "", "target_url": ""}]}
    server.check_runs[head] = [
        {"id": k, "name": f"pull / build {k}", "status": "completed", "conclusion": "success",
         "html_url": ""} for k in range(1, 41)]


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


COMMANDS = {
    # name: (argv after the relkit path, fixed calls besides the item pages)
    "github milestone": (["github", "milestone", "--json"], {"milestones": 1}),
    "milestone check": (["milestone", "check", "--json"], {"milestones": 1}),
    "check": (["check", "--json"], {"milestones": 1, "issues by label": 1, "issue comments": 1,
                                   "commit status": 1, "check runs": 1}),
}


def run_once(relkit: str, name: str, repo: str, branch: str, server: GitHubServer,
             cache: pathlib.Path) -> dict[str, Any]:
    argv, _ = COMMANDS[name]
    args = [relkit, *argv, "--github-repo", REPO, "--milestone", MILESTONE_TITLE,
            "--api-url", server.url, "--cache-dir", str(cache)]
    if name != "github milestone":
        args += ["--repo", repo, "--branch", branch]
    # The audit's patch-id cache lives under $XDG_CACHE_HOME: cold means it is
    # empty too, warm that the cold run filled it.
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1",
           "XDG_CACHE_HOME": str(cache / "home")}
    server.reset_requests()
    rate_before = server.rate_used()
    start, cpu = time.perf_counter(), cpu_children()
    r = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    wall, cpu = time.perf_counter() - start, cpu_children() - cpu
    if r.returncode not in (0, 1):
        raise SystemExit(f"relkit {name} failed ({r.returncode}): {r.stderr.strip()}")
    return {"wall": wall, "cpu": cpu, "counts": server.counts(),
            "rate_cost": server.rate_used() - rate_before, "doc": json.loads(r.stdout),
            "stderr": r.stderr}


def check_run(name: str, run: dict[str, Any], pages: int, warm: bool) -> list[str]:
    """Returns what is wrong with the requests of one run."""
    _, fixed = COMMANDS[name]
    want = {"milestone items": pages, **fixed}
    got: dict[str, int] = {}
    problems = []
    for (endpoint, status), n in run["counts"].items():
        got[endpoint] = got.get(endpoint, 0) + n
        if status != (304 if warm else 200):
            problems.append(f"{n} x {endpoint} -> {status}")
    if got != want:
        problems.append(f"requests by endpoint {got}, expected {want}")
    if warm and run["rate_cost"] != 0:
        problems.append(f"warm run used {run['rate_cost']} of the rate limit")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo", help="repository from bench/make_synthetic_repo.py (generated when missing)")
    ap.add_argument("--relkit", default=os.environ.get("RELKIT_CLI", str(ROOT / "build" / "default" / "relkit")))
    ap.add_argument("--branch", default="release/2.4")
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="cold + warm pairs per command (medians)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    repo = args.repo
    if not pathlib.Path(repo).exists():
        print(f"generating {repo} (bench/make_synthetic_repo.py, ~20 s)", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_synthetic_repo.py"), repo],
                       check=True, stdout=subprocess.DEVNULL)
    orig = f"orig/{args.branch}"
    items, expected = build_milestone(repo, args.branch, orig, args.items, args.seed)
    head = git(repo, "rev-parse", args.branch).strip()
    commits = int(git(repo, "rev-list", "--count", "--all"))
    pages = listing_pages(len(items))
    problems: list[str] = []
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="msbench-") as tmp, \
            GitHubServer(OWNER, NAME, token=TOKEN) as server:
        serve(server, items, head)
        page_bytes = [len(json.dumps(items[k:k + 100], separators=(",", ":")))
                      for k in range(0, len(items), 100)]
        for name in COMMANDS:
            cold_runs, warm_runs = [], []
            for rep in range(args.repeat):
                cache = pathlib.Path(tmp) / f"cache-{name.replace(' ', '-')}-{rep}"
                cold = run_once(args.relkit, name, repo, args.branch, server, cache)
                warm = run_once(args.relkit, name, repo, args.branch, server, cache)
                for label, run, is_warm in (("cold", cold, False), ("warm", warm, True)):
                    problems += [f"{name} ({label} #{rep + 1}): {p}"
                                 for p in check_run(name, run, pages, is_warm)]
                cold_runs.append(cold)
                warm_runs.append(warm)
                shutil.rmtree(cache, ignore_errors=True)
            # What the validation found, against the plan.
            doc = cold_runs[-1]["doc"]
            listed = doc.get("items")
            if listed is None or len(listed) != len(items):
                problems.append(f"{name}: {len(listed or [])} items in the output, expected {len(items)}")
            mismatched = 0
            if name != "github milestone" and listed:
                found = {i["number"]: i["status"] for i in listed}
                mismatched = sum(1 for n, s in expected.items() if found.get(n) != s)
                if mismatched:
                    problems.append(f"{name}: {mismatched} items not found as planted")
            results[name] = {
                "cold": summarize(cold_runs), "warm": summarize(warm_runs),
                "items_not_as_planted": mismatched,
            }
    statuses: dict[str, int] = {}
    for s in expected.values():
        statuses[s] = statuses.get(s, 0) + 1
    report = {
        "repository": repo, "commits": commits, "branch": args.branch, "items": len(items),
        "planted": statuses, "item_pages": pages,
        "item_page_kib": [round(b / 1024) for b in page_bytes],
        "results": results, "ok": not problems, "problems": problems,
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}",
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0 if not problems else 1


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    counts = runs[-1]["counts"]
    return {
        "requests": sum(counts.values()),
        "by_endpoint": {e: {"200": ok, "304": nm} for e, ok, nm in requests_by_endpoint(counts)},
        "other_statuses": {f"{e} {s}": n for (e, s), n in counts.items() if s not in (200, 304)},
        "rate_limit_used": runs[-1]["rate_cost"],
        "wall_seconds": round(statistics.median(r["wall"] for r in runs), 3),
        "cpu_seconds": round(statistics.median(r["cpu"] for r in runs), 3),
    }


def print_report(r: dict[str, Any]) -> None:
    print(f"{r['repository']}: {r['commits']} commits; milestone of {r['items']} items "
          f"({', '.join(f'{n} {s}' for s, n in sorted(r['planted'].items()))})")
    print(f"item listing: {r['item_pages']} pages of 100 ({min(r['item_page_kib'])}-"
          f"{max(r['item_page_kib'])} KiB each); {r['machine']}")
    print(f"{'command':18} {'run':5} {'requests':>8} {'200':>5} {'304':>5} {'rate used':>9} "
          f"{'wall s':>7} {'cpu s':>7}")
    for name, res in r["results"].items():
        for label in ("cold", "warm"):
            s = res[label]
            ok = sum(v["200"] for v in s["by_endpoint"].values())
            nm = sum(v["304"] for v in s["by_endpoint"].values())
            print(f"{name:18} {label:5} {s['requests']:8} {ok:5} {nm:5} {s['rate_limit_used']:9} "
                  f"{s['wall_seconds']:7.3f} {s['cpu_seconds']:7.3f}")
        by = res["cold"]["by_endpoint"]
        print(f"{'':18} by endpoint: " + ", ".join(f"{e} {v['200'] + v['304']}" for e, v in by.items()))
    print("OK: listing pages only, no per-item calls, warm runs all 304 at no rate-limit cost"
          if r["ok"] else "FAILED:\n  " + "\n  ".join(r["problems"]))


if __name__ == "__main__":
    sys.exit(main())
