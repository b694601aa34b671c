"""`relkit cut` on a repository built with the git CLI: plan, apply, twice."""

from __future__ import annotations

import json
import pathlib
import socket
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
    git(repo, "switch", "-q", "--detach")  # the cut does not move a checked-out main
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


def closed_port_url() -> str:
    """An http:// remote on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/pytorch.git"


def test_cut_refuses_to_move_a_checked_out_main(run: Run, repo: pathlib.Path) -> None:
    # Issue 14: the cut moved main under its working tree; the next commit
    # silently undid the version bump.
    r = run("cut", "--repo", str(repo), "--from", "main", "--execute")
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1
    assert f"branch main is checked out in {repo}" in r.stderr
    assert "switch --detach" in r.stderr
    assert "release/0.5" not in git(repo, "branch")
    source = git(repo, "rev-parse", "main")
    git(repo, "switch", "-q", "--detach")
    for expected in ("applied", "already applied"):
        r = run("cut", "--repo", str(repo), "--from", source, "--execute")
        assert r.returncode == 0, r.stderr
        assert r.stdout.endswith(f"\n{expected}\n")
    git(repo, "switch", "-q", "main")
    assert (repo / "version.txt").read_text() == "0.6.0a0\n"
    assert git(repo, "status", "--porcelain") == ""
    # Back on main, a rerun moves nothing: allowed, already applied.
    r = run("cut", "--repo", str(repo), "--from", source, "--execute")
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("\nalready applied\n")


def test_cut_push_failure_then_reruns_push_the_rest(
    run: Run, repo: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    git(repo, "switch", "-q", "--detach")
    source = git(repo, "rev-parse", "main")
    cut = ("cut", "--repo", str(repo), "--from", source, "--execute", "--push")
    nope = tmp_path / "nope.git"
    r = run(*cut, "--remote", str(nope))
    assert r.returncode == 2 and r.stdout == ""
    assert str(nope) in r.stderr and "no such file or directory" in r.stderr
    assert "release/0.5" not in git(repo, "branch")

    url = closed_port_url()
    r = run(*cut, "--remote", url)
    assert r.returncode == 3
    assert r.stdout.splitlines()[-2:] == ["applied", f"not pushed to {url}"]
    assert "the cut is applied locally" in r.stderr and url in r.stderr
    assert "run the same command again" in r.stderr
    assert git(repo, "show", "main:version.txt") == "0.6.0a0"

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    r = run(*cut, "--remote", str(remote))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-2:] == [
        "already applied", f"pushed to {remote}: orig/release/0.5, release/0.5, main"]
    assert git(remote, "show", "main:version.txt") == "0.6.0a0"
    assert git(remote, "rev-parse", "orig/release/0.5") == source
    r = run(*cut, "--remote", str(remote), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["outcome"] == "already applied" and doc["already_applied"] is True
    assert doc["pushed"] is True and doc["pushed_refs"] == [] and doc["push_error"] is None


def test_cut_partial_state_main_and_version_messages(run: Run, repo: pathlib.Path) -> None:
    git(repo, "switch", "-q", "--detach")
    main = git(repo, "rev-parse", "main")
    git(repo, "tag", "v0")
    git(repo, "update-ref", "refs/remotes/origin/main", main)
    # --main must be a local branch: refused when planning (exit 2).
    for name in ("v0", "HEAD", "origin/main", main):
        r = run("cut", "--repo", str(repo), "--from", "main", "--main", name)
        assert r.returncode == 2, name
        assert f'default branch "{name}"' in r.stderr and "not a local branch" in r.stderr
    # A version that disagrees with version.txt is warned about.
    r = run("cut", "--repo", str(repo), "--from", "main", "--version", "2")
    assert r.returncode == 0, r.stderr
    assert "create branch release/2.0" in r.stdout
    assert "relkit: warning: version 2 (release/2.0) disagrees with version.txt" in r.stderr
    # A partial cut says what is there.
    r = run("cut", "--repo", str(repo), "--from", "main", "--execute")
    assert r.returncode == 0, r.stderr
    git(repo, "branch", "-D", "release/0.5")
    r = run("cut", "--repo", str(repo), "--from", main, "--execute")
    assert r.returncode == 2
    assert "release/0.5 does not exist" in r.stderr and "orig/release/0.5 is at" in r.stderr
    assert "other content" not in r.stderr
