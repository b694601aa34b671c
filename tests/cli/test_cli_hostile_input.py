"""Hostile and careless input (issue 14, part A), end to end through the CLI.

- Deeply nested JSON from every source (each file option, an index over
  http://, a snapshot file, an ETag cache entry, a live GitHub response):
  one clear error line (exit 2), never a crash (the recursive parser died with
  SIGSEGV, exit 139, on a million levels).
- `--record`: an unusable record directory fails before any request (it was
  retried like a network error: 5 requests, 13 s); a token a server echoes is
  redacted in everything recorded (bodies, headers, file names).
- Tokens with CR/LF or other control characters are refused without printing
  them; a token saved with CRLF line endings works.
- `--snapshot FILE` says it is not a directory; `--cache-dir FILE` says the
  ETag cache is not used; `ci-green` fails when GitHub lists fewer check runs
  than it reports.

Every server is a real one on 127.0.0.1 started by the test.
"""

from __future__ import annotations

import http.server
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
from typing import Any, Callable, Iterator

import pytest

from conftest import ROOT, Run, build_demo_with_snapshot

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json, milestone_json  # noqa: E402

DEPTH = 1_000_000  # the recursive parser overflowed the stack on this
DEEP_ERROR = "invalid JSON: nested deeper than 256 levels"
TOKEN = "ghp_HOSTILEtest0123456789abcdef"
PUBLISHED = ROOT / "tests" / "data" / "published_versions.json"


def _deep_array(depth: int = DEPTH) -> str:
    return "[" * depth + "]" * depth


def _deep_object(depth: int = DEPTH) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.fixture(scope="module")
def deep(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("hostile") / "deep.json"
    path.write_text(_deep_array())
    return path


def _assert_one_line_deep_error(r: subprocess.CompletedProcess[str], source: str,
                                position: str = ":1:257: ") -> None:
    assert r.returncode == 2, (r.returncode, r.stderr[-300:])
    assert r.stderr.startswith("relkit: error:") and r.stderr.count("\n") == 1, r.stderr[-300:]
    assert f"{source}{position}{DEEP_ERROR}" in r.stderr, r.stderr


# --- 1. deeply nested JSON, file options ----------------------------------------

@pytest.mark.parametrize("argv", [
    ["matrix", "show", "--matrix", "{deep}"],
    ["matrix", "diff", "2.3", "2.4", "--matrix", "{deep}"],
    ["matrix", "check", "2.4", "--matrix", "{deep}"],
    ["schedule", "--schedule", "{deep}"],
    ["build-matrix", "--tables", "{deep}"],
    ["release-day", "publish", "--version", "2.5.0", "--published-versions", "{deep}"],
    ["release-day", "quick-start", "--published-versions", "{deep}"],
    ["release-day", "publish", "--version", "2.5.0", "--published-versions", str(PUBLISHED),
     "--matrix", "{deep}"],
    ["release-day", "publish", "--version", "2.5.0", "--published-versions", str(PUBLISHED),
     "--builds", "{deep}"],
    ["wheels", "check", "--index", "{deep}", "--version", "2.4.0", "--format", "json"],
])
def test_deeply_nested_json_in_a_file_option_is_a_one_line_error(
        run: Run, deep: pathlib.Path, argv: list[str]) -> None:
    r = run(*[a.replace("{deep}", str(deep)) for a in argv])
    _assert_one_line_deep_error(r, str(deep))


def test_deeply_nested_objects_and_auto_detected_index(run: Run, tmp_path: pathlib.Path) -> None:
    index = tmp_path / "index.json"
    index.write_text(_deep_object())  # starts with "{": auto-detected as PEP 691 JSON
    r = run("wheels", "check", "--index", str(index), "--version", "2.4.0")
    _assert_one_line_deep_error(r, str(index), ":1:1281: ")
    matrix = tmp_path / "matrix.json"
    matrix.write_text(_deep_object())
    _assert_one_line_deep_error(run("matrix", "show", "--matrix", str(matrix)), str(matrix),
                                ":1:1281: ")


def test_deeply_nested_python_versions_option_is_an_error(run: Run) -> None:
    # An argument is at most 128 KiB: not deep enough to crash before, but
    # the same parser and the same limit.
    r = run("build-matrix", "--python-versions", _deep_array(60_000))
    assert r.returncode == 2, r.stderr[-300:]
    assert DEEP_ERROR in r.stderr and r.stderr.count("\n") == 1


# --- a small scriptable server --------------------------------------------------

Route = Callable[[dict[str, str]], "tuple[int, dict[str, str], bytes]"]


class _Server:
    """Answers GET `path?query` from `routes` (a function of the request
    headers); records every request's target and headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                headers = dict(self.headers)
                outer.seen.append((self.path, headers))
                route = outer.routes.get(self.path)
                status, extra, body = (route(headers) if route else
                                       (404, {}, b'{"message": "Not Found"}'))
                self.send_response(status)
                for k, v in extra.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.close()


def _json(status: int, body: Any, **headers: str) -> Route:
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return lambda _: (status, {"Content-Type": "application/json", **headers}, data)


def _relkit(relkit_path: pathlib.Path, *argv: str, token: str | None = None,
            **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    if token is not None:
        env["GITHUB_TOKEN"] = token
    return subprocess.run([str(relkit_path), *argv], capture_output=True, text=True,
                          timeout=120, env=env, check=False, **kwargs)


def test_deeply_nested_index_over_http_is_a_one_line_error(
        run: Run, server: _Server) -> None:
    server.routes["/simple/torch/"] = _json(200, _deep_object(),
                                            **{"Content-Type": "application/vnd.pypi.simple.v1+json"})
    url = f"{server.url}/simple/torch/"
    _assert_one_line_deep_error(run("wheels", "check", "--index", url, "--version", "2.4.0"),
                                url, ":1:1281: ")


# --- 1. deeply nested JSON from GitHub: live, snapshot, ETag cache --------------

MILESTONE_ARGS = ("github", "milestone", "--github-repo", "o/n", "--milestone", "3")


def _serve_small_milestone(gh: GitHubServer) -> None:
    gh.milestones = [milestone_json("o/n", 3, "1.0.0")]
    gh.milestone_items[3] = [issue_json("o/n", 1, "One", pr=True, merged=True)]


def test_deeply_nested_live_response_is_a_one_line_error(
        relkit_path: pathlib.Path, server: _Server, tmp_path: pathlib.Path) -> None:
    server.routes["/repos/o/n/milestones/3"] = _json(200, _deep_array())
    r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url,
                "--cache-dir", str(tmp_path / "cache"))
    _assert_one_line_deep_error(r, f"{server.url}/repos/o/n/milestones/3")
    assert len(server.seen) == 1  # bad input: not retried

    # Recorded as text, it replays as the same error.
    snap = tmp_path / "snap"
    r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url, "--record", str(snap))
    assert r.returncode == 2 and DEEP_ERROR in r.stderr
    replay = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url,
                     "--snapshot", str(snap))
    assert replay.returncode == 2 and DEEP_ERROR in replay.stderr


def test_deeply_nested_snapshot_file_is_a_one_line_error(
        relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    snap = tmp_path / "snap"
    with GitHubServer("o", "n") as gh:
        _serve_small_milestone(gh)
        r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", gh.url, "--record", str(snap))
        assert r.returncode == 0, r.stderr
    files = sorted(snap.iterdir())
    assert files
    for f in files:
        f.write_text(_deep_array())
    r = _relkit(relkit_path, *MILESTONE_ARGS, "--snapshot", str(snap))
    assert r.returncode == 2, r.stderr[-300:]
    assert r.stderr.count("\n") == 1 and DEEP_ERROR in r.stderr
    assert any(f"{f}:1:257: {DEEP_ERROR}" in r.stderr for f in files), r.stderr


def test_deeply_nested_etag_cache_entry_is_ignored_refetched_and_said(
        relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    cache = tmp_path / "cache"
    with GitHubServer("o", "n") as gh:
        _serve_small_milestone(gh)
        argv = (*MILESTONE_ARGS, "--api-url", gh.url, "--cache-dir", str(cache))
        cold = _relkit(relkit_path, *argv)
        assert cold.returncode == 0 and cold.stderr == "", cold.stderr
        entries = sorted(cache.iterdir())
        assert len(entries) == 2  # the milestone and the one page of items
        for f in entries:
            f.write_text(_deep_array())
        gh.reset_requests()
        r = _relkit(relkit_path, *argv)
        # The cache is a cache: a corrupt entry is fetched again and rewritten,
        # and the run says so.
        assert r.returncode == 0, r.stderr[-300:]
        assert r.stdout.splitlines()[:-1] == cold.stdout.splitlines()[:-1]
        assert r.stderr.startswith("relkit: note: ETag cache not used: ignoring corrupt entry ")
        assert DEEP_ERROR in r.stderr and r.stderr.count("\n") == 1
        assert not any(req.conditional for req in gh.requests)
        assert all(DEEP_ERROR not in f.read_text() and f.read_text().startswith("{")
                   for f in entries)


# --- 7. --record: local write errors are not retried ----------------------------

def test_a_record_directory_under_a_file_fails_before_any_request(
        relkit_path: pathlib.Path, server: _Server, tmp_path: pathlib.Path) -> None:
    server.routes["/repos/o/n/milestones/3"] = _json(200, {"number": 3, "title": "1.0.0", "state": "open", "open_issues": 0, "closed_issues": 0})
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for record, why in ((blocker / "snap", "cannot create record directory"),
                        (blocker, "is not a directory")):
        r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url,
                    "--record", str(record))
        assert r.returncode == 2, r.stderr
        assert why in r.stderr and str(record) in r.stderr and r.stderr.count("\n") == 1
    assert server.seen == []  # no request, no rate limit, no backoff


def test_an_unwritable_record_directory_fails_before_any_request(
        relkit_path: pathlib.Path, server: _Server) -> None:
    server.routes["/repos/o/n/milestones/3"] = _json(200, {"number": 3, "title": "1.0.0", "state": "open", "open_issues": 0, "closed_issues": 0})
    # Outside pytest's tmp_path (mode 0700), so that `nobody` can reach it.
    parent = pathlib.Path(tempfile.mkdtemp(prefix="relkit-record-"))
    record = parent / "snap"
    try:
        parent.chmod(0o755)
        record.mkdir(mode=0o755)
        kwargs: dict[str, Any] = {}
        if os.geteuid() == 0:
            kwargs["user"] = "nobody"  # root could write anywhere
        else:
            record.chmod(0o555)
        r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url,
                    "--record", str(record), cwd="/", **kwargs)
        assert r.returncode == 2, r.stderr
        assert f"record directory {record} is not writable" in r.stderr
        assert server.seen == []
    finally:
        if record.exists():
            record.chmod(0o755)
        shutil.rmtree(parent)


# --- 8. --record redacts a token the server echoes -------------------------------

def test_recording_redacts_an_echoed_token_in_bodies_headers_and_file_names(
        relkit_path: pathlib.Path, server: _Server, tmp_path: pathlib.Path) -> None:
    items = "/repos/o/n/issues?milestone=3&state=all&per_page=100"
    page2 = f"{items}&access_token={TOKEN}&page=2"

    def echo(status: int, body: str, content_type: str, **headers: str) -> Route:
        def route(h: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
            auth = h.get("Authorization", "")
            return (status, {"Content-Type": content_type,
                             **{k: v.replace("{auth}", auth) for k, v in headers.items()}},
                    body.replace("{auth}", auth).encode())
        return route

    server.routes["/repos/o/n/milestones/3"] = echo(
        200, '{"number": 3, "title": "1.0.0", "state": "open", "open_issues": 1, "closed_issues": 0, "description": "seen: {auth}"}',
        "application/json", ETag='W/"{auth}"')
    server.routes[items] = echo(
        200, '[{"number": 1, "title": "One", "state": "open", "body": "{auth}"}]',
        "application/json", Link=f'<{server.url}{page2}>; rel="next"',
        ETag='"{auth}"')
    server.routes[page2] = echo(401, "Bad credentials: {auth}\n", "text/plain")
    server.routes["/repos/o/n/milestones/4"] = echo(
        401, '{"message": "Bad credentials: {auth}"}', "application/json")

    snap = tmp_path / "snap"
    r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url, "--record", str(snap),
                token=TOKEN)
    assert r.returncode == 3, r.stderr  # the 401 of page 2
    r4 = _relkit(relkit_path, "github", "milestone", "--github-repo", "o/n", "--milestone", "4",
                 "--api-url", server.url, "--record", str(snap), token=TOKEN)
    assert r4.returncode == 3, r4.stderr
    assert any(TOKEN in h.get("Authorization", "") for _, h in server.seen)  # it was sent
    files = sorted(snap.iterdir())
    assert len(files) == 4
    for out in (r, r4):
        assert TOKEN not in out.stdout + out.stderr
    for f in files:
        assert TOKEN not in f.name
        text = f.read_text()
        assert TOKEN not in text, f.name
    texts = "\n".join(f.read_text() for f in files)
    assert "seen: Bearer ***" in texts  # JSON body
    assert 'W/\\"Bearer ***\\"' in texts  # ETag header
    assert "access_token=***" in texts  # Link header
    assert "Bad credentials: Bearer ***\\n" in texts  # 401 text body
    assert any("access_token=___" in f.name for f in files)  # the next page's file
    # The redacted snapshot replays as the live run went.
    replay = _relkit(relkit_path, *MILESTONE_ARGS, "--snapshot", str(snap))
    assert replay.returncode == 3 and "Bad credentials: Bearer ***" in replay.stderr


# --- 9. tokens with control characters --------------------------------------------

@pytest.mark.parametrize("token", [f"{TOKEN}\r\nX-Injected: 1", f"{TOKEN[:8]}\n{TOKEN[8:]}",
                                   f"{TOKEN}\x1b[8m"])
def test_a_token_with_a_control_character_is_refused_without_printing_it(
        relkit_path: pathlib.Path, server: _Server, token: str) -> None:
    r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url, "--no-cache",
                token=token)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("relkit: error: GITHUB_TOKEN contains a control character")
    assert r.stderr.count("\n") == 1
    assert TOKEN[:8] not in r.stdout + r.stderr and "Injected" not in r.stderr
    assert server.seen == []


def test_a_token_saved_with_crlf_line_endings_works(
        relkit_path: pathlib.Path, server: _Server, tmp_path: pathlib.Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_bytes(TOKEN.encode() + b"\r\n")
    server.routes["/repos/o/n/milestones/3"] = _json(200, {"number": 3, "title": "1.0.0", "state": "open", "open_issues": 0, "closed_issues": 0})
    server.routes["/repos/o/n/issues?milestone=3&state=all&per_page=100"] = _json(200, [])
    # As `GITHUB_TOKEN=$(cat token)` gives it: the CR stays.
    r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", server.url, "--no-cache",
                token=token_file.read_bytes().decode().rstrip("\n"))
    assert r.returncode == 0, r.stderr
    assert {h.get("Authorization") for _, h in server.seen} == {f"Bearer {TOKEN}"}


# --- 10. misleading errors and half-finished states -----------------------------

def test_a_snapshot_that_is_a_file_is_not_a_directory(run: Run, tmp_path: pathlib.Path) -> None:
    f = tmp_path / "snap.json"
    f.write_text("{}")
    r = run(*MILESTONE_ARGS, "--snapshot", str(f))
    assert r.returncode == 2
    assert r.stderr == f"relkit: error: snapshot directory {f} is not a directory\n"
    missing = run(*MILESTONE_ARGS, "--snapshot", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_a_cache_dir_that_is_a_file_is_said_once_and_the_run_completes(
        relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    blocker = tmp_path / "cache-file"
    blocker.write_text("not a directory\n")
    with GitHubServer("o", "n") as gh:
        _serve_small_milestone(gh)
        plain = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", gh.url, "--no-cache")
        r = _relkit(relkit_path, *MILESTONE_ARGS, "--api-url", gh.url,
                    "--cache-dir", str(blocker))
    assert (r.returncode, r.stdout) == (plain.returncode, plain.stdout)
    assert r.stderr == f'relkit: note: ETag cache not used: "{blocker}" is not a directory\n'
    assert blocker.read_text() == "not a directory\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, relkit_path: pathlib.Path) -> dict[str, Any]:
    return build_demo_with_snapshot(tmp_path_factory.mktemp("ci"), relkit_path)


def test_ci_green_fails_when_github_lists_fewer_check_runs_than_it_reports(
        run: Run, demo: dict[str, Any]) -> None:
    args = ("check", "--repo", str(demo["repo"]), "--branch", demo["branch"],
            "--milestone", "2.4.0", "--github-repo", "o/n", "--snapshot", str(demo["snap"]),
            "--tracker", "100")
    before = run(*args)
    assert "PASS  ci-green" in before.stdout, before.stdout
    [runs] = [f for f in demo["snap"].iterdir() if "check-runs" in f.name]
    entry = json.loads(runs.read_text())
    listed = len(entry["json"]["check_runs"])
    entry["json"]["total_count"] = listed + 2  # and no next page
    runs.write_text(json.dumps(entry))
    r = run(*args)
    assert "FAIL  ci-green" in r.stdout, r.stdout
    assert (f"incomplete: GitHub reports {listed + 2} check runs but lists {listed}"
            in r.stdout)
    assert r.returncode == 1
