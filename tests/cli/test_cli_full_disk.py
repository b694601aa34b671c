"""Every file relkit writes survives a full disk (issue 14, point 5).

Each output goes through the atomic write (relkit/files.h): a temporary file
beside the target, fsync, rename. On a full disk the write fails, the target
keeps its old bytes and no temporary file is left. The disk here is a real
one: a small tmpfs mounted in the test's temp directory and filled up (the
suite runs as root, locally and on CI). Where mounting is not permitted, relkit
runs with RLIMIT_FSIZE instead, so that its writes fail with EFBIG: a real
failed write either way, never a skip.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
import resource
import signal
import subprocess
import sys
from typing import Any, Iterator

import pytest

from conftest import ROOT, build_demo_with_snapshot

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from git_cli import ENV as GIT_ENV  # noqa: E402
from github_server import GitHubServer, issue_json, milestone_json  # noqa: E402

PUBLISHED = ROOT / "tests" / "data" / "published_versions.json"
TOKEN = "ghp_relkitFullDiskToken0123456789"


class FullDisk:
    """A directory on a file system that `fill()` fills up."""

    def __init__(self, path: pathlib.Path, mounted: bool) -> None:
        self.path, self.mounted = path, mounted
        self.full = False

    @property
    def reason(self) -> str:
        """The end of relkit's error message for a write that did not fit."""
        return "no space left on device" if self.mounted else "file too large"

    def put(self, name: str, data: bytes) -> pathlib.Path:
        """Writes a file onto the disk while it still has room."""
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def fill(self) -> None:
        """Takes the last free byte of the file system (without a mount: from
        now on `run` lets no file grow)."""
        self.full = True
        if not self.mounted:
            return
        chunk = b"\0" * 4096
        with open(self.path / ".filler", "wb", buffering=0) as f:
            while True:
                try:
                    f.write(chunk)
                except OSError as e:
                    assert e.errno == errno.ENOSPC, e
                    break
        for size in (512, 1):  # what is left of the last page
            try:
                with open(self.path / ".filler", "ab", buffering=0) as f:
                    while True:
                        f.write(b"\0" * size)
            except OSError as e:
                assert e.errno == errno.ENOSPC, e

    def run(self, argv: list[str], env: dict[str, str] | None = None,
            cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
        def no_file_may_grow() -> None:
            # Ignored, SIGXFSZ lets the write fail with EFBIG instead of killing.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

        return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False,
                              env=env, cwd=cwd,
                              preexec_fn=no_file_may_grow if self.full and not self.mounted
                              else None)

    def files(self) -> list[str]:
        """Every file on the disk but the filler, relative, sorted."""
        return sorted(str(p.relative_to(self.path)) for p in self.path.rglob("*")
                      if p.is_file() and p.name != ".filler")


@pytest.fixture()
def disk(tmp_path: pathlib.Path) -> Iterator[FullDisk]:
    path = tmp_path / "disk"
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs",
                              str(path)], capture_output=True, check=False).returncode == 0
    try:
        yield FullDisk(path, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], check=True)


def _assert_untouched(disk: FullDisk, before: dict[str, bytes]) -> None:
    """Checks that the disk holds exactly the files it held, byte for byte
    (no temporary file left behind)."""
    assert disk.files() == sorted(before)
    for name, data in before.items():
        assert (disk.path / name).read_bytes() == data, name


def _fail_on_full_disk(disk: FullDisk, argv: list[str], target: pathlib.Path,
                       env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    before = {name: (disk.path / name).read_bytes() for name in disk.files()}
    disk.fill()
    r = disk.run(argv, env=env)
    assert r.returncode == 3, r.stderr  # docs/cli.md: the operation could not complete
    assert r.stderr.endswith(f'relkit: error: cannot write "{target}": {disk.reason}\n'), r.stderr
    _assert_untouched(disk, before)
    return r


def _old_json(name: str) -> bytes:
    return json.dumps({"old": name}, indent=2).encode() + b"\n"


def test_publish_in_place_keeps_the_published_versions(relkit_path: pathlib.Path,
                                                       disk: FullDisk) -> None:
    pv = disk.put("published_versions.json", PUBLISHED.read_bytes())
    _fail_on_full_disk(disk, [str(relkit_path), "release-day", "publish", "--version", "2.13.0",
                              "--published-versions", str(pv), "--in-place"], pv)
    json.loads(pv.read_text())  # still whole


def test_publish_out_keeps_the_old_output(relkit_path: pathlib.Path, disk: FullDisk,
                                          tmp_path: pathlib.Path) -> None:
    out = disk.put("new.json", _old_json("publish"))
    _fail_on_full_disk(disk, [str(relkit_path), "release-day", "publish", "--version", "2.13.0",
                              "--published-versions", str(PUBLISHED), "--out", str(out)], out)


def test_quick_start_out_keeps_the_old_output(relkit_path: pathlib.Path,
                                              disk: FullDisk) -> None:
    out = disk.put("quick.json", _old_json("quick-start"))
    _fail_on_full_disk(disk, [str(relkit_path), "release-day", "quick-start",
                              "--published-versions", str(PUBLISHED), "--out", str(out)], out)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, relkit_path: pathlib.Path) -> dict[str, Any]:
    return build_demo_with_snapshot(tmp_path_factory.mktemp("full-disk"), relkit_path)


def _check_args(demo: dict[str, Any]) -> list[str]:
    return ["check", "--repo", str(demo["repo"]), "--branch", demo["branch"],
            "--milestone", "2.4.0", "--github-repo", "o/n", "--tracker", "100", "--no-cache"]


def test_check_html_keeps_the_old_report(relkit_path: pathlib.Path, disk: FullDisk,
                                         demo: dict[str, Any]) -> None:
    page = disk.put("report.html", b"<!DOCTYPE html>\n<p>the report of yesterday</p>\n")
    r = _fail_on_full_disk(disk, [str(relkit_path), *_check_args(demo), "--snapshot",
                                  str(demo["snap"]), "--html", str(page)], page)
    assert r.stdout == ""  # no report that claims a page was written


def _serve(server: GitHubServer, demo: dict[str, Any]) -> None:
    ms = {"number": 9, "title": "2.4.0"}
    server.milestones = [milestone_json("o/n", 9, "2.4.0")]
    server.milestone_items[9] = [issue_json("o/n", c["pr"], c["title"], pr=True, merged=True,
                                            milestone=ms) for c in demo["changes"]]
    server.comments[100] = []
    server.statuses[demo["head"]] = {"state": "success", "statuses": []}
    server.check_runs[demo["head"]] = []


def test_record_keeps_the_snapshot_it_would_replace(relkit_path: pathlib.Path,
                                                    disk: FullDisk,
                                                    demo: dict[str, Any]) -> None:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    with GitHubServer("o", "n", token=TOKEN) as server:
        _serve(server, demo)
        argv = [str(relkit_path), *_check_args(demo), "--api-url", server.url, "--record",
                str(disk.path / "snap")]
        # A first recording fits; the second, on a full disk, must not spoil it.
        first = disk.run(argv, env=env)
        assert first.returncode == 1, first.stderr
        before = {name: (disk.path / name).read_bytes() for name in disk.files()}
        assert len(before) >= 5
        disk.fill()
        r = disk.run(argv, env=env)
    assert r.returncode == 3, r.stderr
    # Received, but not recorded: said once, not retried (a retry costs rate limit).
    assert r.stderr.startswith("relkit: error: GET "), r.stderr
    assert f'received, but not recorded: cannot write "{disk.path / "snap"}/' in r.stderr
    assert "attempts" not in r.stderr
    assert disk.reason in r.stderr and r.stderr.count("\n") == 1
    _assert_untouched(disk, before)


def test_github_cache_on_a_full_disk_costs_the_cache_only(relkit_path: pathlib.Path,
                                                          disk: FullDisk,
                                                          demo: dict[str, Any]) -> None:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    with GitHubServer("o", "n", token=TOKEN) as server:
        _serve(server, demo)
        argv = [str(relkit_path), "github", "milestone", "--milestone", "9", "--github-repo",
                "o/n", "--api-url", server.url, "--cache-dir", str(disk.path / "cache"),
                "--json"]
        warm = disk.run(argv, env=env)
        assert warm.returncode == 0, warm.stderr
        before = {name: (disk.path / name).read_bytes() for name in disk.files()}
        assert before
        # The milestone changed: every cached entry would be replaced.
        server.milestone_items[9] = server.milestone_items[9][:1]
        disk.fill()
        r = disk.run(argv, env=env)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["items"]) == 1
    _assert_untouched(disk, before)


def test_audit_cache_on_a_full_disk_is_noted_and_kept(relkit_path: pathlib.Path,
                                                      disk: FullDisk,
                                                      demo: dict[str, Any]) -> None:
    argv = [str(relkit_path), "audit", "branch", "--repo", str(demo["repo"]), "--branch",
            demo["branch"], "--cache-dir", str(disk.path / "git")]
    first = disk.run(argv)
    assert first.returncode == 1, first.stderr  # the demo needs a revert
    before = {name: (disk.path / name).read_bytes() for name in disk.files()}
    assert before
    # A main with one more commit: the cache would grow by its entry.
    git = ["git", "-C", str(demo["repo"])]
    new = subprocess.run([*git, "commit-tree", f"{demo['head']}^{{tree}}", "-p", "main",
                          "-m", "New (#1)"], env=GIT_ENV, capture_output=True, text=True,
                         check=True).stdout.strip()
    subprocess.run([*git, "update-ref", "refs/heads/scratch", new], check=True)
    disk.fill()
    r = disk.run([*argv, "--main", "scratch"])
    assert r.returncode in (0, 1), r.stderr
    _assert_untouched(disk, before)


def test_demo_keep_on_a_full_disk_is_a_clear_error(relkit_path: pathlib.Path,
                                                   disk: FullDisk) -> None:
    disk.fill()
    r = disk.run([str(relkit_path), "demo", "--keep", str(disk.path / "demo")])
    assert r.returncode == 3, r.stderr
    assert r.stderr.startswith("relkit: error: ") and r.stderr.count("\n") == 1
    assert str(disk.path / "demo") in r.stderr
    assert disk.reason in r.stderr.lower()  # libgit2 says "No space left on device"
