"""`relkit rc list|next|create` on a repository built with the git CLI."""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

from conftest import Run

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))
from git_cli import git  # noqa: E402


@pytest.fixture()
def repo(tmp_path: pathlib.Path) -> pathlib.Path:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    (r / "version.txt").write_text("2.4.0a0\n")
    git(r, "add", "version.txt")
    git(r, "commit", "-q", "-m", "Initial")
    git(r, "branch", "release/2.4")
    git(r, "tag", "v2.4.0-rc1", "release/2.4")
    git(r, "checkout", "-q", "release/2.4")
    (r / "fix.txt").write_text("fix\n")
    git(r, "add", "fix.txt")
    git(r, "commit", "-q", "-m", "Fix (#1)")
    git(r, "checkout", "-q", "main")
    return r


def test_next_prints_the_next_rc(run: Run, repo: pathlib.Path) -> None:
    r = run("rc", "next", "--repo", str(repo), "--branch", "release/2.4")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "v2.4.0-rc2\n"


def test_create_is_a_plan_until_execute_and_then_idempotent(
    run: Run, repo: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    r = run("rc", "create", "--repo", str(repo), "--branch", "release/2.4")
    assert r.returncode == 0, r.stderr
    assert "plan: create lightweight tag v2.4.0-rc2" in r.stdout
    assert "v2.4.0-rc2" not in git(repo, "tag")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    r = run("rc", "create", "--repo", str(repo), "--branch", "release/2.4",
            "--execute", "--push", str(remote), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    head = git(repo, "rev-parse", "release/2.4")
    assert doc["tag"] == "v2.4.0-rc2" and doc["target"] == head
    assert doc["outcome"] == "applied" and doc["pushed_to"] == str(remote)
    assert git(remote, "rev-parse", "v2.4.0-rc2") == head
    # The head now carries rc2: the next plan warns and proposes rc3.
    r = run("rc", "create", "--repo", str(repo), "--branch", "release/2.4")
    assert r.returncode == 0
    assert "v2.4.0-rc3" in r.stdout
    assert "already carries v2.4.0-rc2" in r.stderr


def test_list_and_errors(run: Run, repo: pathlib.Path) -> None:
    r = run("rc", "list", "--repo", str(repo), "--branch", "release/2.4", "--json")
    assert [t["tag"] for t in json.loads(r.stdout)] == ["v2.4.0-rc1"]
    r = run("rc", "create", "--repo", str(repo), "--branch", "release/2.4", "--push", "x")
    assert r.returncode == 2 and "--execute" in r.stderr
    r = run("rc", "next", "--repo", str(repo), "--branch", "main")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
