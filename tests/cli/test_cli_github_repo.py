"""Every command that talks to GitHub finds the repository the same way:
--github-repo, else the URL of --remote when given, else $GITHUB_REPOSITORY,
else the URL of upstream (if it exists, else origin) of --repo; a remote not
on github.com needs --api-url or $GITHUB_API_URL. Run on the demo repository
(`relkit demo --keep`) with remotes added by git, against the offline
snapshot of o/n (tests/data/github/demo_snapshot.py)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
from typing import Any

import pytest

from conftest import ROOT, build_demo_with_snapshot


SNAPSHOT = ROOT / "tests" / "data" / "github" / "snapshot"  # example/project


def _git(repo: pathlib.Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, relkit_path: pathlib.Path) -> dict[str, Any]:
    return build_demo_with_snapshot(tmp_path_factory.mktemp("github_repo"), relkit_path)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_REPOSITORY", "GITHUB_API_URL")}
    env.update(extra)
    return env


def _relkit(relkit_path: pathlib.Path, *args: str, env: dict[str, str] | None = None,
            cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(relkit_path), *args], capture_output=True, text=True,
                          timeout=60, check=False, env=env if env is not None else _env(),
                          cwd=cwd)


def _check_args(demo: dict[str, Any], *extra: str) -> list[str]:
    return ["--repo", str(demo["repo"]), "--branch", demo["branch"], "--milestone", "2.4.0",
            "--snapshot", str(demo["snap"]), *extra]


@pytest.fixture()
def remotes(demo: dict[str, Any]) -> Any:
    """Sets the demo repository's remotes for one test; removes them after."""
    added: list[str] = []

    def _set(**urls: str) -> None:
        for name, url in urls.items():
            _git(demo["repo"], "remote", "add", name, url)
            added.append(name)

    yield _set
    for name in added:
        _git(demo["repo"], "remote", "remove", name)


def test_check_finds_the_repository_from_the_upstream_remote(
        relkit_path: pathlib.Path, demo: dict[str, Any], remotes: Any) -> None:
    remotes(origin="git@github.com:me/fork.git", upstream="git@github.com:o/n.git")
    explicit = _relkit(relkit_path, "check",
                       *_check_args(demo, "--tracker", "100", "--github-repo", "o/n", "--json"))
    assert explicit.returncode == 1, explicit.stderr
    r = _relkit(relkit_path, "check", *_check_args(demo, "--tracker", "100", "--json", "--verbose"))
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["criteria"] == json.loads(explicit.stdout)["criteria"]
    assert json.loads(r.stdout)["repository"] == "o/n"
    assert (f'relkit: GitHub repository o/n from remote "upstream" of "{demo["repo"]}" '
            "(git@github.com:o/n.git)") in r.stderr


def test_origin_is_used_when_there_is_no_upstream(
        relkit_path: pathlib.Path, demo: dict[str, Any], remotes: Any) -> None:
    remotes(origin="https://github.com/o/n.git/")
    r = _relkit(relkit_path, "milestone", "check", *_check_args(demo, "--analyze-lines"))
    assert r.returncode == 1, r.stderr
    assert "URL;Title;Status" in r.stdout


def test_remote_option_picks_another_remote(
        relkit_path: pathlib.Path, demo: dict[str, Any], remotes: Any) -> None:
    remotes(upstream="git@github.com:someone/else.git", mine="ssh://git@github.com/o/n")
    # upstream names a repository the snapshot does not have.
    r = _relkit(relkit_path, "milestone", "check", *_check_args(demo, "--json"))
    assert r.returncode != 0
    assert "someone/else" in r.stderr
    r = _relkit(relkit_path, "milestone", "check", *_check_args(demo, "--json", "--remote", "mine"))
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["repository"] == "o/n"


def test_github_repository_variable_comes_before_the_remote(
        relkit_path: pathlib.Path, demo: dict[str, Any], remotes: Any) -> None:
    remotes(upstream="git@github.com:someone/else.git")
    r = _relkit(relkit_path, "check", *_check_args(demo, "--json"),
                env=_env(GITHUB_REPOSITORY="o/n"))
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["repository"] == "o/n"
    # ... and --github-repo before both.
    r = _relkit(relkit_path, "check", *_check_args(demo, "--json", "--github-repo", "o/n"),
                env=_env(GITHUB_REPOSITORY="someone/else"))
    assert r.returncode == 1, r.stderr
    # A malformed variable is an error naming it, not skipped.
    r = _relkit(relkit_path, "check", *_check_args(demo), env=_env(GITHUB_REPOSITORY="junk"))
    assert r.returncode == 2
    assert r.stderr.startswith('relkit: error: $GITHUB_REPOSITORY: invalid repository "junk"')


def test_an_explicit_remote_comes_before_github_repository(
        relkit_path: pathlib.Path, demo: dict[str, Any], remotes: Any) -> None:
    remotes(upstream="git@github.com:someone/else.git", mine="ssh://git@github.com/o/n")
    r = _relkit(relkit_path, "milestone", "check",
                *_check_args(demo, "--json", "--verbose", "--remote", "mine"),
                env=_env(GITHUB_REPOSITORY="someone/else"))
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["repository"] == "o/n"
    assert f'relkit: GitHub repository o/n from remote "mine" of "{demo["repo"]}"' in r.stderr
    # Without --remote, $GITHUB_REPOSITORY still beats upstream ...
    r = _relkit(relkit_path, "milestone", "check", *_check_args(demo, "--json"),
                env=_env(GITHUB_REPOSITORY="o/n"))
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["repository"] == "o/n"
    # ... and an explicit remote that names nothing is an error, not a reason
    # to fall back to $GITHUB_REPOSITORY.
    r = _relkit(relkit_path, "milestone", "check", *_check_args(demo, "--remote", "fork"),
                env=_env(GITHUB_REPOSITORY="o/n"))
    assert r.returncode == 2
    assert r.stderr == (
        "relkit: error: no GitHub repository: --github-repo not given; "
        f'"{demo["repo"]}" has no remote "fork" (its remotes: mine, upstream); '
        "pass --github-repo OWNER/NAME\n")


@pytest.mark.parametrize("command", [["check"], ["milestone", "check"]])
def test_a_remote_on_another_host_needs_an_api_url(
        relkit_path: pathlib.Path, demo: dict[str, Any], remotes: Any,
        command: list[str]) -> None:
    remotes(upstream="git@ghe.corp.example:o/n.git", lab="https://tok:s3cret@gitlab.com/o/n.git")
    r = _relkit(relkit_path, *command, *_check_args(demo, "--json"))
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr == (
        f'relkit: error: remote "upstream" of "{demo["repo"]}" '
        '(git@ghe.corp.example:o/n.git) is on host "ghe.corp.example", not github.com, '
        "and neither --api-url nor $GITHUB_API_URL is set; pass --api-url "
        "https://ghe.corp.example/api/v3 (GitHub Enterprise) or --github-repo OWNER/NAME\n")
    r = _relkit(relkit_path, *command, *_check_args(demo, "--remote", "lab"))
    assert r.returncode == 2
    assert ('(https://***@gitlab.com/o/n.git) is on host "gitlab.com"' in r.stderr
            and "s3cret" not in r.stderr)
    # Saying where the API is (the snapshot replays under any --api-url).
    r = _relkit(relkit_path, *command,
                *_check_args(demo, "--json", "--api-url", "https://ghe.corp.example/api/v3"))
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["repository"] == "o/n"
    r = _relkit(relkit_path, *command, *_check_args(demo, "--json"),
                env=_env(GITHUB_API_URL="https://ghe.corp.example/api/v3"))
    assert r.returncode == 1, r.stderr


def test_github_com_spellings_need_no_api_url(
        relkit_path: pathlib.Path, demo: dict[str, Any], remotes: Any) -> None:
    remotes(upstream="ssh://git@ssh.github.com:443/o/n.git", alias="git@github.com-work:o/n.git",
            www="https://www.github.com/o/n")
    for remote in ("upstream", "alias", "www"):
        r = _relkit(relkit_path, "milestone", "check",
                    *_check_args(demo, "--json", "--remote", remote))
        assert r.returncode == 1, (remote, r.stderr)
        assert json.loads(r.stdout)["repository"] == "o/n"


@pytest.mark.parametrize("command", [["check"], ["milestone", "check"]])
def test_error_says_what_was_tried(relkit_path: pathlib.Path, demo: dict[str, Any],
                                   remotes: Any, command: list[str]) -> None:
    r = _relkit(relkit_path, *command, *_check_args(demo))
    assert r.returncode == 2
    assert r.stderr == (
        "relkit: error: no GitHub repository: --github-repo not given; --remote not given; "
        f'$GITHUB_REPOSITORY not set; "{demo["repo"]}" has neither an "upstream" nor an '
        '"origin" remote (it has no remotes); pass --github-repo OWNER/NAME or --remote NAME\n')
    remotes(upstream="/srv/git/pytorch.git")
    r = _relkit(relkit_path, *command, *_check_args(demo))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1
    assert ('remote "upstream" of ' in r.stderr
            and 'remote URL "/srv/git/pytorch.git": a local path, not a URL (position 0)'
            in r.stderr)
    r = _relkit(relkit_path, *command, *_check_args(demo, "--remote", "fork"))
    assert r.returncode == 2
    assert 'has no remote "fork" (its remotes: upstream)' in r.stderr


def test_github_milestone_reads_the_remote_of_repo_or_the_current_directory(
        relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    repo = tmp_path / "project"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _git(repo, "remote", "add", "origin", "https://github.com/example/project.git")
    args = ["github", "milestone", "--milestone", "2.4.0", "--snapshot", str(SNAPSHOT)]
    r = _relkit(relkit_path, *args, "--repo", str(repo))
    assert r.returncode == 0, r.stderr
    assert 'example/project milestone #7 "2.4.0 (release/2.4)"' in r.stdout
    r = _relkit(relkit_path, *args, cwd=repo)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("example/project milestone #7")
    r = _relkit(relkit_path, *args, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == (
        "relkit: error: no GitHub repository: --github-repo not given; --remote not given; "
        '$GITHUB_REPOSITORY not set; "." is not in a git repository (nor are its parents); '
        "pass --github-repo OWNER/NAME or --remote NAME\n")


@pytest.mark.parametrize("command", [["check"], ["milestone", "check"], ["github", "milestone"]])
def test_help_names_the_lookup_order(relkit_path: pathlib.Path, command: list[str]) -> None:
    r = _relkit(relkit_path, *command, "--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    assert "--remote TEXT" in text
    assert ("The GitHub repository: --github-repo, else the URL of --remote when given, else "
            "$GITHUB_REPOSITORY, else the URL of upstream (if it exists, else origin) of "
            "--repo. A remote not on github.com needs --api-url (or $GITHUB_API_URL).") in text
    assert "used before $GITHUB_REPOSITORY" in text
