"""`relkit rc list|next|create` on a repository built with the git CLI."""

from __future__ import annotations

import json
import pathlib
import socket
import sys

import pytest

from conftest import Run

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))
from git_cli import git  # noqa: E402
from github_server import GitHubServer, milestone_json  # noqa: E402


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
    # The head now carries rc2: a rerun is that tag, already there.
    r = run("rc", "create", "--repo", str(repo), "--branch", "release/2.4")
    assert r.returncode == 0
    assert "plan: tag v2.4.0-rc2 already at" in r.stdout
    assert "v2.4.0-rc3" not in r.stdout and r.stderr == ""
    r = run("rc", "next", "--repo", str(repo), "--branch", "release/2.4")
    assert r.stdout == "v2.4.0-rc2\n" and "already at the head" in r.stderr


def test_list_and_errors(run: Run, repo: pathlib.Path) -> None:
    r = run("rc", "list", "--repo", str(repo), "--branch", "release/2.4", "--json")
    assert [t["tag"] for t in json.loads(r.stdout)] == ["v2.4.0-rc1"]
    r = run("rc", "create", "--repo", str(repo), "--branch", "release/2.4", "--push", "x")
    assert r.returncode == 2 and "--execute" in r.stderr
    r = run("rc", "next", "--repo", str(repo), "--branch", "main")
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def closed_port_url() -> str:
    """An http:// remote on 127.0.0.1 where nothing listens (a real URL that
    fails to connect)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/pytorch.git"


def create(run: Run, repo: pathlib.Path, *args: str):  # type: ignore[no-untyped-def]
    return run("rc", "create", "--repo", str(repo), "--branch", "release/2.4", *args)


def test_create_execute_twice_makes_one_rc(run: Run, repo: pathlib.Path) -> None:
    # Issue 14: the rerun created -rc3 on the commit that carried -rc2.
    first = create(run, repo, "--execute")
    assert first.returncode == 0, first.stderr
    assert "create lightweight tag v2.4.0-rc2" in first.stdout and "applied" in first.stdout
    second = create(run, repo, "--execute")
    assert second.returncode == 0, second.stderr
    assert second.stdout.endswith("already applied\n") and second.stderr == ""
    assert "tag v2.4.0-rc2 already at" in second.stdout
    assert git(repo, "tag").split() == ["v2.4.0-rc1", "v2.4.0-rc2"]


def test_final_is_made_once_at_the_last_rc(run: Run, repo: pathlib.Path) -> None:
    # Issue 14: three runs on one commit made v2.4.0, v2.4.1 and v2.4.2, and
    # the first tagged a head (the fix) that never carried an RC. Issue 13:
    # the head moved on since rc1, so tagging needs an override with a reason.
    rc1 = git(repo, "rev-parse", "v2.4.0-rc1")
    outs = [create(run, repo, "--final", "--execute", "--override", "rc1 was validated")
            for _ in range(3)]
    assert [o.returncode for o in outs] == [0, 0, 0], [o.stderr for o in outs]
    assert "create annotated tag v2.4.0 at" in outs[0].stdout
    assert "promotes v2.4.0-rc1" in outs[0].stdout
    assert "has moved on since v2.4.0-rc1" in outs[0].stderr
    assert all(o.stdout.endswith("already applied\n") for o in outs[1:])
    assert git(repo, "tag").split() == ["v2.4.0", "v2.4.0-rc1"]
    assert git(repo, "rev-parse", "v2.4.0^{commit}") == rc1


def _ready_server(gh: GitHubServer, head: str) -> None:
    """A milestone with nothing open, no tracker, CI green at `head`."""
    gh.milestones.append(milestone_json("o/n", 5, "2.4.0", closed_issues=0))
    gh.milestone_items[5] = []
    gh.statuses[head] = {"state": "success", "statuses": [
        {"context": "ci/build", "state": "success", "description": "", "target_url": ""}]}
    gh.check_runs[head] = []


def _guard_args(gh: GitHubServer) -> list[str]:
    return ["--final", "--milestone", "2.4.0", "--github-repo", "o/n", "--api-url", gh.url,
            "--no-cache", "--no-audit-cache"]


def test_final_refuses_a_head_without_the_last_rc_and_an_unchecked_release(
        run: Run, repo: pathlib.Path) -> None:
    # Issue 13: the head moved on since rc1 (untested), and no readiness
    # check was asked for: both refused, nothing tagged, exit 2.
    r = create(run, repo, "--final", "--execute")
    assert r.returncode == 2 and r.stdout == ""
    assert "has moved on since v2.4.0-rc1" in r.stderr and "override" in r.stderr
    git(repo, "tag", "v2.4.0-rc2", "release/2.4")
    r = create(run, repo, "--final", "--execute")
    assert r.returncode == 2 and r.stdout == ""
    assert "readiness check was not run" in r.stderr
    assert "--milestone" in run("rc", "create", "--help").stdout
    assert git(repo, "tag").split() == ["v2.4.0-rc1", "v2.4.0-rc2"]
    r = create(run, repo, "--override", "x", "--execute")
    assert r.returncode == 2 and "need --final" in r.stderr


def test_final_tags_when_the_readiness_check_passes(run: Run, repo: pathlib.Path) -> None:
    git(repo, "tag", "v2.4.0-rc2", "release/2.4")
    head = git(repo, "rev-parse", "release/2.4")
    with GitHubServer("o", "n") as gh:
        _ready_server(gh, head)
        r = create(run, repo, *_guard_args(gh))
        assert r.returncode == 0, r.stderr
        assert "plan: create lightweight tag v2.4.0 at" in r.stdout
        assert "v2.4.0\n" not in git(repo, "tag") + "\n"
        r = create(run, repo, *_guard_args(gh), "--execute", "--json")
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        assert doc["outcome"] == "applied" and doc["overridden"] == []
        assert doc["override_reason"] is None
    assert git(repo, "rev-parse", "v2.4.0") == head


def test_final_refuses_when_readiness_fails_and_an_override_records_why(
        run: Run, repo: pathlib.Path) -> None:
    git(repo, "tag", "v2.4.0-rc2", "release/2.4")
    head = git(repo, "rev-parse", "release/2.4")
    with GitHubServer("o", "n") as gh:
        _ready_server(gh, head)
        gh.statuses[head]["state"] = "failure"
        gh.statuses[head]["statuses"][0]["state"] = "failure"
        r = create(run, repo, *_guard_args(gh), "--execute")
        assert r.returncode == 2 and r.stdout == ""
        assert "v2.4.0 is not ready" in r.stderr and "ci-green failed" in r.stderr
        assert "v2.4.0\n" not in git(repo, "tag") + "\n"
        r = create(run, repo, *_guard_args(gh), "--execute", "--json",
                   "--override", "ci/build is a known flake (#77)")
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        assert doc["annotated"] is True and doc["outcome"] == "applied"
        assert any("ci-green failed" in g for g in doc["overridden"])
    message = git(repo, "tag", "-l", "--format=%(contents)", "v2.4.0")
    assert message.startswith("Release 2.4.0\n\nReadiness override: ci/build is a known flake (#77)")
    assert "- readiness: ci-green failed" in message
    assert git(repo, "rev-parse", "v2.4.0^{commit}") == head


def test_final_needs_an_rc_and_skips_need_allow_skip(run: Run, repo: pathlib.Path) -> None:
    r = create(run, repo, "--release", "2.4.9", "--final", "--execute")
    assert r.returncode == 2 and r.stdout == ""
    assert "2.4.9 skips 2.4.0" in r.stderr and "--allow-skip" in r.stderr
    r = create(run, repo, "--release", "2.4.9", "--final", "--allow-skip", "--execute")
    assert r.returncode == 2 and "2.4.9 has no RC tag" in r.stderr
    r = create(run, repo, "--release", "2.4.9", "--allow-skip", "--execute")
    assert r.returncode == 0, r.stderr
    git(repo, "tag", "-d", "v2.4.0-rc1")
    git(repo, "tag", "-d", "v2.4.9-rc1")
    r = create(run, repo, "--final", "--execute")
    assert r.returncode == 2 and "has no RC tag" in r.stderr
    assert git(repo, "tag") == ""


def test_push_failures_say_what_was_done_and_a_rerun_pushes(
    run: Run, repo: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    # Issue 14: a push to a missing path said "unsupported URL protocol" after
    # creating the tag, and the next run created another RC.
    nope = tmp_path / "nope.git"
    r = create(run, repo, "--execute", "--push", str(nope))
    assert r.returncode == 2 and r.stdout == ""
    assert str(nope) in r.stderr and "no such file or directory" in r.stderr
    assert git(repo, "tag").split() == ["v2.4.0-rc1"]  # refused before writing

    url = closed_port_url()
    r = create(run, repo, "--execute", "--push", url)
    assert r.returncode == 3
    assert r.stdout.splitlines()[-2:] == ["applied", f"not pushed to {url}"]
    assert r.stderr.count("\n") == 1
    assert "tag v2.4.0-rc2 exists locally" in r.stderr and f'not pushed to "{url}"' in r.stderr
    assert "run the same command again" in r.stderr

    # Killed or failed after the local tag: the rerun finds it and pushes it.
    r = create(run, repo, "--execute", "--push", url, "--json")
    assert r.returncode == 3
    doc = json.loads(r.stdout)
    assert doc["tag"] == "v2.4.0-rc2" and doc["outcome"] == "already applied"
    assert doc["pushed"] is False and url in doc["push_error"]
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    for _ in range(2):
        r = create(run, repo, "--execute", "--push", str(remote))
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines()[-2:] == ["already applied", f"pushed to {remote}"]
    assert git(repo, "tag").split() == ["v2.4.0-rc1", "v2.4.0-rc2"]
    assert git(remote, "tag").split() == ["v2.4.0-rc2"]
    assert git(remote, "rev-parse", "v2.4.0-rc2") == git(repo, "rev-parse", "release/2.4")
