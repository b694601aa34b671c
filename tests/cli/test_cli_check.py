"""`relkit check` and `relkit milestone check` on the demo repository (built by
`relkit demo --keep`) with a hand-made snapshot of its milestone, tracker and
CI state: fully offline."""

from __future__ import annotations

import http.server
import json
import os
import pathlib
import subprocess
import sys
import threading
from typing import Any

import pytest

from conftest import ROOT, Run, build_demo_with_snapshot, run_with_tty_stderr

sys.path.insert(0, str(ROOT / "tests" / "data" / "github"))
from demo_snapshot import HTML  # noqa: E402
from make_snapshot import file_name as _file_name  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json, listing_pages, milestone_json  # noqa: E402


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, relkit_path: pathlib.Path) -> dict[str, Any]:
    return build_demo_with_snapshot(tmp_path_factory.mktemp("check"), relkit_path)


def _args(demo: dict[str, Any], *extra: str) -> list[str]:
    return ["--repo", str(demo["repo"]), "--branch", demo["info"]["release_branch"],
            "--milestone", "2.4.0", "--github-repo", "o/n", "--snapshot", str(demo["snap"]),
            *extra]


def _role(demo: dict[str, Any], role: str) -> dict[str, Any]:
    return next(c for c in demo["changes"] if c["role"] == role)


def test_check_reports_each_criterion_and_exits_1(run: Run, demo: dict[str, Any]) -> None:
    r = run("check", *_args(demo, "--tracker", "100"))
    assert r.returncode == 1, r.stderr
    never = _role(demo, "never-picked")["pr"]
    assert "FAIL  no-open-items" in r.stdout
    assert "issue #42" in r.stdout
    assert "FAIL  milestone-prs-present: 1 item missing" in r.stdout
    assert f"PR #{never}" in r.stdout
    assert "FAIL  no-outstanding-picks" in r.stdout
    assert "FAIL  no-reverts-needed" in r.stdout
    assert "PASS  ci-green" in r.stdout
    assert "NOT READY" in r.stdout


def test_check_json_names_outstanding_picks_and_reverts(run: Run, demo: dict[str, Any]) -> None:
    r = run("check", *_args(demo, "--tracker", "100", "--json"))
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ready"] is False
    assert doc["branch_head"] == demo["head"]
    passed = {c["id"]: c["passed"] for c in doc["criteria"]}
    assert passed["ci-green"] is True
    assert passed["no-open-items"] is False
    states = {p["trunk_prs"][0]: p["state"] for p in doc["cherry_picks"]}
    assert states[_role(demo, "never-picked")["pr"]] == "outstanding"
    assert states[_role(demo, "reverted-on-main")["pr"]] == "needs-revert"
    assert states[_role(demo, "picked")["pr"]] == "in-branch"
    # Listing pages only: milestones, items, comments, status, check runs.
    assert doc["requests"] == 5


def test_check_and_milestone_check_say_when_the_patch_id_cache_is_unusable(
        relkit_path: pathlib.Path, demo: dict[str, Any], tmp_path: pathlib.Path) -> None:
    # A damaged cache file is ignored (never served) and replaced; both
    # commands say so on stderr, as `audit` does, and their results stand.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache-home")}
    cache = tmp_path / "cache-home" / "relkit" / "git"
    for command, extra in (("check", ["--tracker", "100"]), ("milestone check", [])):
        argv = [str(relkit_path), *command.split(), *_args(demo, *extra), "--json"]
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "diff-facts-v1.bin").write_bytes(b"not a cache")
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env,
                           check=False)
        assert r.returncode == 1, r.stderr
        json.loads(r.stdout)  # the report is complete
        assert "relkit: note: patch-id cache not used: " in r.stderr, command
        assert "not a diff-facts cache file" in r.stderr
        # Replaced by a good one: the next run says nothing.
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env,
                           check=False)
        assert r.returncode == 1, r.stderr
        assert "patch-id cache" not in r.stderr, command


def test_check_html_is_self_contained_and_escaped(run: Run, demo: dict[str, Any],
                                                  tmp_path: pathlib.Path) -> None:
    page = tmp_path / "report.html"
    r = run("check", *_args(demo, "--tracker", "100", "--html", str(page)))
    assert r.returncode == 1, r.stderr
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html
    assert "Still &lt;broken&gt; &amp; open" in html
    assert "<broken>" not in html
    for external in ("<script", "<link", "src=", "http-equiv"):
        assert external not in html


def test_milestone_check_prints_analyze_lines(run: Run, demo: dict[str, Any]) -> None:
    r = run("milestone", "check", *_args(demo, "--analyze-lines"))
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("len(main_commits)=")
    assert lines[1].startswith("len(release_commits)=")
    assert lines[2] == "URL;Title;Status"
    never = _role(demo, "never-picked")
    assert sorted(lines[3:]) == sorted([
        f"{HTML}/pull/{never['pr']} ;{never['title']};closed",
        f"{HTML}/issues/42 ;Still <broken> & open;open",
    ])


def test_milestone_check_json_has_evidence(run: Run, demo: dict[str, Any]) -> None:
    r = run("milestone", "check", *_args(demo, "--json"))
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    by_number = {i["number"]: i for i in doc["items"]}
    conflict = by_number[_role(demo, "conflict-resolved")["pr"]]
    assert conflict["status"] == "present"
    assert any("pr-number" in c["evidence"] for c in conflict["in_branch"])
    assert by_number[_role(demo, "never-picked")["pr"]]["status"] == "missing"
    assert by_number[42]["status"] == "open"


def test_missing_milestone_is_an_input_error(run: Run, demo: dict[str, Any]) -> None:
    args = _args(demo)
    args[args.index("2.4.0")] = "9.9.9"
    r = run("check", *args, "--tracker", "100")
    assert r.returncode == 2
    assert "9.9.9" in r.stderr
    assert r.stderr.count("\n") == 1


def test_check_finds_the_tracker_by_release(run: Run, demo: dict[str, Any]) -> None:
    r = run("check", *_args(demo, "--json"))
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["tracker_issue"] == 100
    assert len(doc["cherry_picks"]) == len(demo["changes"])
    # The tracker lookup is one listing page more.
    assert doc["requests"] == 6


class _SnapshotServer(http.server.ThreadingHTTPServer):
    """Serves the saved responses of a snapshot directory over real HTTP."""

    snap: pathlib.Path
    authorization: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _SnapshotServer

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.server.authorization.append(self.headers.get("Authorization", ""))
        path = self.path.lstrip("/")
        entry_file = self.server.snap / _file_name(path)
        if not entry_file.is_file():
            self.send_response(404)
            body = b'{"message": "Not Found"}'
        else:
            entry = json.loads(entry_file.read_text(encoding="utf-8"))
            self.send_response(entry["status"])
            body = json.dumps(entry["json"]).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_check_live_against_a_local_server_records_a_replayable_snapshot(
        relkit_path: pathlib.Path, demo: dict[str, Any], tmp_path: pathlib.Path) -> None:
    server = _SnapshotServer(("127.0.0.1", 0), _Handler)
    server.snap = demo["snap"]
    server.authorization = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    token = "ghp_relkitTestToken0123456789"
    try:
        args = _args(demo, "--tracker", "100", "--json", "--verbose")
        i = args.index("--snapshot")
        del args[i:i + 2]
        recorded = tmp_path / "recorded"
        r = subprocess.run(
            [str(relkit_path), "check", *args, "--no-cache",
             "--api-url", f"http://127.0.0.1:{server.server_address[1]}",
             "--record", str(recorded)],
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "GITHUB_TOKEN": token})
    finally:
        server.shutdown()
        server.server_close()
    assert r.returncode == 1, r.stderr
    assert token not in r.stdout and token not in r.stderr
    assert any(token in a for a in server.authorization)
    live = json.loads(r.stdout)
    assert live["requests"] == 5
    replay = subprocess.run(
        [str(relkit_path), "check", "--repo", str(demo["repo"]), "--branch",
         demo["info"]["release_branch"], "--milestone", "2.4.0", "--github-repo", "o/n",
         "--snapshot", str(recorded), "--tracker", "100", "--json"],
        capture_output=True, text=True, timeout=60, check=False)
    assert replay.returncode == 1, replay.stderr
    assert json.loads(replay.stdout)["criteria"] == live["criteria"]
    for f in recorded.iterdir():
        assert token not in f.read_text(encoding="utf-8")


# --- requests against a GitHub-shaped server (tests/testing/github_server.py) ---

SERVER_TOKEN = "ghp_relkitServerToken0123456789"


def _serve_milestone(server: GitHubServer, demo: dict[str, Any], size: int) -> None:
    """Milestone 9 "2.4.0" with the demo's PRs and `size` items in all, the
    tracker issue and green CI at the branch head."""
    ms = {"number": 9, "title": "2.4.0"}
    items = [issue_json("o/n", c["pr"], c["title"], pr=True, merged=True, milestone=ms)
             for c in demo["changes"]]
    n = 5_000
    while len(items) < size:
        n += 1
        kind = n % 4
        items.append(issue_json("o/n", n, f"Item {n}", pr=kind == 1,
                                state="open" if kind == 0 else "closed", milestone=ms))
    server.milestones = [milestone_json("o/n", 8, "2.3.0", state="closed"),
                         milestone_json("o/n", 9, "2.4.0")]
    server.milestone_items[9] = items
    server.issues = [issue_json("o/n", 100, "[v2.4.0] Release Tracker", state="open",
                                labels=("release tracker",))]
    server.comments[100] = []
    server.statuses[demo["head"]] = {"state": "success", "statuses": [
        {"context": "ci/lint", "state": "success", "description": "", "target_url": ""}]}
    server.check_runs[demo["head"]] = [{"id": 1, "name": "build", "status": "completed",
                                        "conclusion": "success", "html_url": ""}]


def _live_args(demo: dict[str, Any], url: str, cache: pathlib.Path, *extra: str) -> list[str]:
    return ["--repo", str(demo["repo"]), "--branch", demo["info"]["release_branch"],
            "--milestone", "2.4.0", "--github-repo", "o/n", "--api-url", url,
            "--cache-dir", str(cache), *extra]


@pytest.mark.parametrize("command,fixed", [
    (["milestone", "check"], {"milestones": 1}),
    (["check"], {"milestones": 1, "issues by label": 1, "issue comments": 1,
                 "commit status": 1, "check runs": 1}),
])
def test_large_milestone_costs_listing_pages_only_and_nothing_when_cached(
        relkit_path: pathlib.Path, demo: dict[str, Any], tmp_path: pathlib.Path,
        command: list[str], fixed: dict[str, int]) -> None:
    env = {**os.environ, "GITHUB_TOKEN": SERVER_TOKEN}
    with GitHubServer("o", "n", token=SERVER_TOKEN) as server:
        _serve_milestone(server, demo, 250)
        argv = [str(relkit_path), *command,
                *_live_args(demo, server.url, tmp_path / "cache", "--json")]
        expected = {"milestone items": listing_pages(250), **fixed}
        assert expected["milestone items"] == 3

        cold = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env,
                              check=False)
        assert cold.returncode == 1, cold.stderr  # open items
        assert len(json.loads(cold.stdout)["items"]) == 250
        counts = server.counts()
        # The item listing's pages and the fixed calls, no request per item.
        assert counts == {(e, 200): n for e, n in expected.items()}
        used = server.rate_used()
        assert used == sum(expected.values())

        server.reset_requests()
        warm = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env,
                              check=False)
        assert warm.returncode == 1, warm.stderr
        assert json.loads(warm.stdout)["items"] == json.loads(cold.stdout)["items"]
        # Every request conditional, every answer 304, no rate limit used.
        assert server.counts() == {(e, 304): n for e, n in expected.items()}
        assert all(r.conditional for r in server.requests)
        assert server.rate_used() == used


def test_progress_shows_paging_and_walks_on_a_terminal_only(
        relkit_path: pathlib.Path, demo: dict[str, Any], tmp_path: pathlib.Path) -> None:
    env = {**os.environ, "GITHUB_TOKEN": SERVER_TOKEN}
    with GitHubServer("o", "n", token=SERVER_TOKEN) as server:
        _serve_milestone(server, demo, 250)
        argv = [str(relkit_path), "milestone", "check",
                *_live_args(demo, server.url, tmp_path / "cache", "--no-cache")]
        code, out, shown = run_with_tty_stderr(argv, env=env)
        assert code == 1, shown
        assert "250 items" in out
        assert "\r\x1b[Krelkit: GET repos/o/n/issues page 1/3" in shown
        assert "relkit: GET repos/o/n/issues page 3/3" in shown
        assert "relkit: main commits" in shown  # the branch audit's walk
        assert "relkit: main history before the cut:" in shown  # items never on main
        assert shown.endswith("\r\x1b[K")  # cleared before the output
        assert "\x1b" not in out

        # Cached pages say so.
        argv_cached = [str(relkit_path), "milestone", "check",
                       *_live_args(demo, server.url, tmp_path / "cache2")]
        run_with_tty_stderr(argv_cached, env=env)
        code, _, shown = run_with_tty_stderr(argv_cached, env=env)
        assert "page 3/3 (3 not modified)" in shown

        # --json on a terminal, and a terminal-less run: no progress at all.
        code, out, shown = run_with_tty_stderr([*argv, "--json"], env=env)
        assert code == 1 and shown == ""
        assert len(json.loads(out)["items"]) == 250
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env,
                           check=False)
        assert r.returncode == 1 and r.stderr == ""

        # `relkit check` wires the same progress.
        code, _, shown = run_with_tty_stderr(
            [str(relkit_path), "check",
             *_live_args(demo, server.url, tmp_path / "cache3", "--no-cache")], env=env)
        assert code == 1, shown
        assert "relkit: GET repos/o/n/issues page 3/3" in shown
        assert "relkit: main commits" in shown
        assert shown.endswith("\r\x1b[K")
