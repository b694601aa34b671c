"""python -m relkit.github_analyze: the original flags and output, offline."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest

import relkit
from relkit import github_analyze

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "data" / "github"))
from demo_snapshot import HTML, Change, write_demo_snapshot  # noqa: E402


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[relkit.DemoRepository, pathlib.Path]:
    base = tmp_path_factory.mktemp("analyze")
    d = relkit.build_demo_repository(str(base / "demo.git"))
    head = relkit.Repository.open(d.path).resolve(d.release_branch)
    changes = [Change(c.pr, c.title, c.branch_pr) for c in d.changes if c.role != "main-only"]
    write_demo_snapshot(base / "snap", changes, head)
    return d, base / "snap"


def _role(d: relkit.DemoRepository, role: str) -> relkit.DemoChange:
    return next(c for c in d.changes if c.role == role)


@pytest.mark.parametrize("milestone", ["9", "2.4.0 (release/2.4)"])
def test_missing_in_branch_prints_the_original_lines(
        demo: tuple[relkit.DemoRepository, pathlib.Path], milestone: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    d, snap = demo
    rc = github_analyze.main([
        "--repo-path", d.path, "--branch", d.release_branch, "--milestone-id", milestone,
        "--missing-in-branch", "--github-repo", "o/n", "--snapshot", str(snap)])
    assert rc == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("len(main_commits)=")
    assert lines[1].startswith("len(release_commits)=")
    assert lines[2] == "URL;Title;Status"
    never = _role(d, "never-picked")
    assert sorted(lines[3:]) == sorted([
        f"{HTML}/pull/{never.pr} ;{never.title};closed",
        f"{HTML}/issues/42 ;Still <broken> & open;open",
    ])


def test_missing_reverts_from_branch_names_the_revert(
        demo: tuple[relkit.DemoRepository, pathlib.Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    d, _ = demo
    rc = github_analyze.main(["--repo-path", d.path, "--branch", d.release_branch,
                              "--analyze-missing-reverts-from-branch"])
    assert rc == 0
    out = capsys.readouterr().out
    reverted = _role(d, "reverted-on-main")
    assert f"Reverted GitHub Commit: {reverted.main_commit}" in out
    assert f"Commit Hash: {reverted.revert_commit}" in out


def test_statistics_modes_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert github_analyze.main(["--contributor-stats"]) == 2
    assert "contributor-stats is not supported" in capsys.readouterr().err


def test_runs_as_a_module(demo: tuple[relkit.DemoRepository, pathlib.Path]) -> None:
    d, snap = demo
    r = subprocess.run(
        [sys.executable, "-m", "relkit.github_analyze", "--repo-path", d.path,
         "--branch", d.release_branch, "--milestone-id", "9", "--missing-in-branch",
         "--github-repo", "o/n", "--snapshot", str(snap)],
        capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    assert "URL;Title;Status" in r.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git CLI to add a remote")
def test_branches_come_from_the_picked_remote_and_the_repository_from_the_resolver(
        demo: tuple[relkit.DemoRepository, pathlib.Path], tmp_path: pathlib.Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # origin is a fork, upstream the real repository: the branches are read
    # from the remote the original picks (the first one, origin), but the
    # GitHub repository is the resolver's default (upstream), not the fork.
    d, snap = demo
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    clone = tmp_path / "clone.git"
    subprocess.run(["git", "clone", "-q", "--mirror", d.path, str(clone)], check=True)
    git = ["git", "-C", str(clone)]
    subprocess.run([*git, "config", "--remove-section", "remote.origin"], check=True)
    subprocess.run([*git, "remote", "add", "origin", "git@github.com:me/fork.git"], check=True)
    subprocess.run([*git, "remote", "add", "upstream", "git@github.com:o/n.git"], check=True)
    for ref in ("main", d.release_branch, d.orig_branch):
        subprocess.run([*git, "update-ref", f"refs/remotes/origin/{ref}", f"refs/heads/{ref}"],
                       check=True)
    assert github_analyze.pick_remote(str(clone), "") == "origin"
    argv = ["--repo-path", str(clone), "--branch", d.release_branch, "--milestone-id", "9",
            "--missing-in-branch", "--snapshot", str(snap)]
    assert github_analyze.main(argv) == 0, capsys.readouterr().err
    lines = capsys.readouterr().out.splitlines()
    never = _role(d, "never-picked")
    assert f"{HTML}/pull/{never.pr} ;{never.title};closed" in lines
    # An explicit --remote names the repository too (the fork is not in the
    # snapshot).
    assert github_analyze.main([*argv, "--remote", "origin"]) != 0
    assert "me/fork" in capsys.readouterr().err


def test_pick_remote_prefers_pytorch_as_the_original_does(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The original: `--remote`, else the first of `git remote` (sorted),
    # preferring a remote whose URL points at pytorch/pytorch.
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    git = ["git", "-C", str(repo)]
    assert github_analyze.pick_remote(str(repo), "") == ""
    subprocess.run([*git, "remote", "add", "origin", "git@github.com:me/pytorch.git"], check=True)
    subprocess.run([*git, "remote", "add", "mirror", "/srv/git/pytorch.git"], check=True)
    assert github_analyze.pick_remote(str(repo), "") == "mirror"
    subprocess.run([*git, "remote", "add", "upstream", "git@github.com:pytorch/pytorch.git"],
                   check=True)
    assert github_analyze.pick_remote(str(repo), "") == "upstream"
    assert github_analyze.pick_remote(str(repo), "origin") == "origin"
    # Without --remote the repository is the resolver's: upstream, not origin.
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    args = github_analyze.parse_arguments(["--repo-path", str(repo)])
    assert str(github_analyze._github_repo(args)) == "pytorch/pytorch"
    args = github_analyze.parse_arguments(["--repo-path", str(repo), "--remote", "origin"])
    assert str(github_analyze._github_repo(args)) == "me/pytorch"


def test_repository_lookup_is_relkit_checks(
        demo: tuple[relkit.DemoRepository, pathlib.Path],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # --github-repo, else $GITHUB_REPOSITORY, else the remote's URL; the demo
    # repository has no remotes.
    d, snap = demo
    argv = ["--repo-path", d.path, "--branch", d.release_branch, "--milestone-id", "9",
            "--missing-in-branch", "--snapshot", str(snap)]
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/n")
    assert github_analyze.main(argv) == 0
    assert "URL;Title;Status" in capsys.readouterr().out
    monkeypatch.delenv("GITHUB_REPOSITORY")
    assert github_analyze.main(argv) == 2
    assert capsys.readouterr().err == (
        "github_analyze: error: no GitHub repository: --github-repo not given; "
        f'--remote not given; $GITHUB_REPOSITORY not set; "{d.path}" has neither an "upstream" nor an "origin" '
        "remote (it has no remotes); pass --github-repo OWNER/NAME or --remote NAME\n")
    assert github_analyze.main([*argv, "--remote", "upstream"]) == 2
    assert 'has no remote "upstream" (it has no remotes)' in capsys.readouterr().err
