"""CLI tests of `relkit github milestone` and `relkit cherry-pick`: offline on
the snapshot in tests/data/github/snapshot/, and live against a local
http.server on 127.0.0.1 (record, replay, token redaction in --verbose)."""

from __future__ import annotations

import http.server
import json
import os
import pathlib
import subprocess
import sys
import threading
from typing import Any, Iterator

import pytest

from conftest import ROOT, Run, run_with_tty_stderr

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json, listing_pages, milestone_json  # noqa: E402

SNAPSHOT = pathlib.Path(__file__).resolve().parents[1] / "data" / "github" / "snapshot"
TOKEN = "ghp_CLITESTTOKEN0123456789"


def test_milestone_lists_items_from_a_snapshot(run: Run) -> None:
    r = run("github", "milestone", "--github-repo", "example/project", "--milestone", "2.4.0",
            "--snapshot", str(SNAPSHOT))
    assert r.returncode == 0, r.stderr
    assert 'milestone #7 "2.4.0 (release/2.4)"' in r.stdout
    assert "PR    #101  Fix the regression in foo  (closed, merged)" in r.stdout
    assert "PR    #103  Try another approach  (closed, not merged)" in r.stdout
    assert "5 items: 3 closed, 2 open; 2 pull requests, 1 merged" in r.stdout


def test_milestone_json(run: Run) -> None:
    r = run("github", "milestone", "--github-repo", "example/project", "--milestone", "7",
            "--snapshot", str(SNAPSHOT), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["milestone"]["title"] == "2.4.0 (release/2.4)"
    assert [i["number"] for i in doc["items"]] == [101, 102, 103, 104, 105]
    assert doc["items"][0]["kind"] == "pull_request" and doc["items"][0]["merged"] is True
    assert doc["requests"] == 3


def test_missing_milestone_is_a_one_line_error(run: Run) -> None:
    r = run("github", "milestone", "--github-repo", "example/project", "--milestone", "9.9",
            "--snapshot", str(SNAPSHOT))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1
    assert 'milestone "9.9" not found in example/project' in r.stderr


def test_bad_repository_and_missing_snapshot(run: Run) -> None:
    r = run("github", "milestone", "--github-repo", "example", "--milestone", "1",
            "--snapshot", str(SNAPSHOT))
    assert r.returncode == 2 and 'invalid repository "example"' in r.stderr
    r = run("github", "milestone", "--github-repo", "a/b", "--milestone", "1",
            "--snapshot", "/nonexistent/snap")
    assert r.returncode == 2 and "/nonexistent/snap" in r.stderr


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], str]] = {}
    seen: list[dict[str, Any]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.seen.append({"path": self.path, "headers": dict(self.headers)})
        status, headers, body = self.routes.get(
            self.path, (404, {}, json.dumps({"message": "Not Found " + self.headers.get("Authorization", "")})))
        data = body.encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.seen = []
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    items = "/repos/o/n/issues?milestone=3&state=all&per_page=100"
    _Handler.routes = {
        "/repos/o/n/milestones/3": (200, {"ETag": '"m3"'}, json.dumps(
            {"number": 3, "title": "1.0.0", "state": "open", "open_issues": 1,
             "closed_issues": 1})),
        items: (200, {"Link": f'<{base}{items}&page=2>; rel="next"'}, json.dumps(
            [{"number": 1, "title": "One", "state": "closed",
              "pull_request": {"merged_at": "2024-01-01T00:00:00Z"}}])),
        items + "&page=2": (200, {}, json.dumps(
            [{"number": 2, "title": "Two", "state": "open", "labels": [{"name": "bug"}]}])),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


def test_records_a_live_run_and_replays_it(run: Run, relkit_path: pathlib.Path, server: str,
                                           tmp_path: pathlib.Path) -> None:
    snap = tmp_path / "snap"
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    live = subprocess.run(
        [str(relkit_path), "github", "milestone", "--github-repo", "o/n", "--milestone", "3",
         "--api-url", server, "--record", str(snap), "--verbose"],
        capture_output=True, text=True, timeout=60, env=env, check=False)
    assert live.returncode == 0, live.stderr
    assert "#2  Two  (open)  [bug]" in live.stdout
    assert TOKEN not in live.stdout + live.stderr
    assert "token=set" in live.stderr  # --verbose shows whether, never what
    assert all(h["headers"].get("Authorization") == f"Bearer {TOKEN}" for h in _Handler.seen)
    assert len(list(snap.iterdir())) == 3
    assert not any(TOKEN in p.read_text() for p in snap.iterdir())
    replay = run("github", "milestone", "--github-repo", "o/n", "--milestone", "3",
                 "--snapshot", str(snap))
    assert replay.returncode == 0, replay.stderr
    assert replay.stdout.splitlines()[:3] == live.stdout.splitlines()[:3]


def test_failing_live_call_never_prints_the_token(relkit_path: pathlib.Path, server: str,
                                                  tmp_path: pathlib.Path) -> None:
    env = {**os.environ, "GH_TOKEN": TOKEN, "GITHUB_TOKEN": ""}
    r = subprocess.run(
        [str(relkit_path), "github", "milestone", "--github-repo", "o/missing", "--milestone", "1",
         "--api-url", server, "--cache-dir", str(tmp_path / "cache"), "--verbose", "--json"],
        capture_output=True, text=True, timeout=60, env=env, check=False)
    assert r.returncode == 2
    assert "HTTP 404" in r.stderr and "Bearer ***" in r.stderr  # the server echoed it
    assert TOKEN not in r.stdout + r.stderr


def test_cherry_pick_parse(run: Run) -> None:
    r = run("cherry-pick", "parse", "LGTM\n@pytorchbot cherry-pick --onto release/2.4 -c docs")
    assert r.returncode == 0, r.stderr
    assert "onto: release/2.4" in r.stdout
    assert "classification: docs" in r.stdout
    assert "line: 2" in r.stdout
    r = run("cherry-pick", "parse", "--json",
            stdin="@pytorchbot cherry-pick --into release/2.2 --fixes #1 -c regression\n")
    doc = json.loads(r.stdout)
    assert doc["onto"] == "release/2.2" and doc["fixes"] == "#1"
    assert doc["effective_fixes"] == "#1" and doc["requires_issue"] is True


def test_cherry_pick_parse_gives_the_bots_error_and_usage(run: Run) -> None:
    r = run("cherry-pick", "parse", "@pytorchbot cherry-pick --onto release/2.4")
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert lines[0] == ("relkit: error: <input>:1: @pytorchbot cherry-pick: error: the following "
                        "arguments are required: -c/--classification")
    assert lines[1] == "usage: @pytorchbot cherry-pick --onto ONTO [--fixes FIXES] -c"
    r = run("cherry-pick", "parse", "no command here")
    assert r.returncode == 2 and "no @pytorchbot command" in r.stderr


def test_cherry_pick_nomination(run: Run) -> None:
    text = ("Link to landed trunk PR (if applicable):\n* https://github.com/o/n/pull/1\n\n"
            "Link to release branch PR:\n* https://github.com/o/n/pull/2\n\n"
            "Criteria Category:\nRegression - Https://github.com/o/n/issues/3\n")
    r = run("cherry-pick", "nomination", text)
    assert r.returncode == 0, r.stderr
    assert r.stdout == text.replace("Https://", "https://")
    r = run("cherry-pick", "nomination", "--json", stdin="Cherry-pick PR: #5\n")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["release_prs"][0]["number"] == 5
    assert "no criteria category" in doc["warnings"]
    assert run("cherry-pick", "nomination", "thanks!").returncode == 1


def test_milestone_listing_is_pages_only_then_all_304_with_progress_on_a_terminal(
        relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    with GitHubServer("o", "n", token=TOKEN) as server:
        server.milestones = [milestone_json("o/n", 3, "1.0.0")]
        server.milestone_items[3] = [
            issue_json("o/n", n, f"Item {n}", pr=n % 2 == 0, merged=n % 4 == 0,
                       state="open" if n % 5 == 0 else "closed")
            for n in range(1, 251)]
        argv = [str(relkit_path), "github", "milestone", "--github-repo", "o/n",
                "--milestone", "3", "--api-url", server.url,
                "--cache-dir", str(tmp_path / "cache")]
        cold = subprocess.run([*argv, "--json"], capture_output=True, text=True, timeout=60,
                              env=env, check=False)
        assert cold.returncode == 0, cold.stderr
        assert len(json.loads(cold.stdout)["items"]) == 250
        pages = listing_pages(250)
        assert pages == 3
        assert server.counts() == {("milestone", 200): 1, ("milestone items", 200): pages}
        assert cold.stderr == ""  # not a terminal: no progress

        server.reset_requests()
        code, out, shown = run_with_tty_stderr(argv, env=env)
        assert code == 0, shown
        assert "250 items" in out
        assert server.counts() == {("milestone", 304): 1, ("milestone items", 304): pages}
        assert server.rate_used() == 1 + pages  # the warm run cost nothing
        assert "relkit: GET repos/o/n/issues page 1/3 (1 not modified)" in shown
        assert "relkit: GET repos/o/n/issues page 3/3 (3 not modified)" in shown
        assert shown.endswith("\r\x1b[K")
