"""`relkit cut` on a repository built with the git CLI: plan, apply, twice."""

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
    (r / ".github" / "workflows").mkdir(parents=True)
    git(r, "init", "-q", "-b", "main")
    git(r, "config", "user.name", "Releaser")
    git(r, "config", "user.email", "releaser@example.com")
    (r / "version.txt").write_text("0.5.0a0\n")
    (r / ".github" / "workflows" / "ci.yml").write_text("uses: o/r/.github/workflows/x.yml@main\n")
    git(r, "add", ".")
    git(r, "commit", "-q", "-m", "Initial")
    return r


def test_cut_plans_then_applies_then_reports_already_applied(
    run: Run, repo: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    r = run("cut", "--repo", str(repo), "--from", "main")
    assert r.returncode == 0, r.stderr
    assert "create branch release/0.5" in r.stdout
    assert "-uses: o/r/.github/workflows/x.yml@main" in r.stdout
    assert "+uses: o/r/.github/workflows/x.yml@release/0.5" in r.stdout
    assert "-0.5.0a0\n+0.6.0a0" in r.stdout
    assert "dry run" in r.stdout
    assert "release/0.5" not in git(repo, "branch")

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    source = git(repo, "rev-parse", "main")
    r = run("cut", "--repo", str(repo), "--from", source, "--remote", str(remote),
            "--execute", "--push", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["outcome"] == "applied" and doc["pushed"] is True
    assert doc["release_only_commit"]["edits"][0]["path"] == ".github/workflows/ci.yml"
    assert git(remote, "rev-parse", "orig/release/0.5") == source
    assert git(repo, "show", "main:version.txt") == "0.6.0a0"
    assert git(remote, "show", "main:version.txt") == "0.6.0a0"

    r = run("cut", "--repo", str(repo), "--from", source, "--execute")
    assert r.returncode == 0, r.stderr
    assert "already applied" in r.stdout


def test_cut_refuses_an_existing_branch(run: Run, repo: pathlib.Path) -> None:
    (repo / "x.txt").write_text("x\n")
    git(repo, "add", "x.txt")
    git(repo, "commit", "-q", "-m", "x")
    git(repo, "branch", "release/0.5")
    r = run("cut", "--repo", str(repo), "--from", "main~1", "--execute")
    assert r.returncode == 2
    assert "release/0.5 already exists" in r.stderr
    assert r.stderr.count("\n") == 1
