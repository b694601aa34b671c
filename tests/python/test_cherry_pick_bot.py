"""relkit.plan_cherry_pick / relkit.apply_cherry_pick against a real
repository, a bare origin and the GitHub-shaped server on 127.0.0.1."""

from __future__ import annotations

import pathlib
import subprocess
import sys
from typing import Any, Iterator

import pytest

import relkit

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "testing"))
from git_cli import ENV, git  # noqa: E402
from github_server import GitHubServer, issue_json  # noqa: E402

TOKEN = "ghp_pythoncherrypicksecret42"


def commit(repo: pathlib.Path, path: str, content: str, title: str, pr: int) -> str:
    (repo / path).write_text(content)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m",
        f"{title} (#{pr})\n\nPull Request resolved: https://github.com/o/n/pull/{pr}\n")
    return git(repo, "rev-parse", "HEAD")


def pull(number: int, title: str, sha: str) -> dict[str, Any]:
    return {"url": f"https://api.github.com/repos/o/n/pulls/{number}",
            "html_url": f"https://github.com/o/n/pull/{number}", "number": number,
            "state": "closed", "title": title, "body": "Body.", "merged": True,
            "merged_at": "2024-06-20T10:00:00Z", "merge_commit_sha": sha,
            "head": {"ref": f"f{number}", "sha": sha, "label": f"o:f{number}"},
            "base": {"ref": "main", "sha": sha, "label": "o:main"}, "user": {"login": "dev"}}


@pytest.fixture()
def setup(tmp_path: pathlib.Path) -> Iterator[tuple[relkit.Repository, relkit.GitHubClient,
                                                     GitHubServer, pathlib.Path, dict[int, str]]]:
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.name", "Bot")
    git(work, "config", "user.email", "bot@example.com")
    base = commit(work, "a.py", "x = 1\n", "Initial", 1)
    git(work, "branch", "release/2.4", base)
    shas = {12: commit(work, "b.py", "b\n", "Add b", 12),
            13: commit(work, "a.py", "x = 3\n", "Change a", 13)}
    git(work, "checkout", "-q", "release/2.4")
    (work / "a.py").write_text("x = 2\n")
    git(work, "commit", "-qam", "[release/2.4] own change")
    git(work, "checkout", "-q", "main")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True, env=ENV)
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main", "release/2.4")
    with GitHubServer("o", "n", token=TOKEN) as server:
        server.attach_repository(str(origin))
        for number, title in ((12, "Add b"), (13, "Change a")):
            server.pulls.append(pull(number, title, shas[number]))
            server.issues.append(issue_json("o/n", number, title, pr=True, merged=True))
        server.issues.append(issue_json("o/n", 5, "[v2.4.0] Release Tracker", state="open",
                                        labels=("release tracker",)))
        client = relkit.GitHubClient(server.url, TOKEN, cache_dir=None)
        yield relkit.Repository.open(str(work)), client, server, origin, shas


def test_plan_then_apply_then_rerun(setup: Any) -> None:
    repo, client, server, origin, shas = setup
    plan = relkit.plan_cherry_pick(repo, client, "o/n", 12, onto="release/2.4",
                                   classification="docs", requested_by="octocat")
    assert isinstance(plan, relkit.CherryPickPlan)
    assert plan.main_commit == shas[12] and plan.pick_result == "clean"
    assert plan.branch == "cherry-pick-12-by-octocat" and plan.tracker == 5
    assert plan.steps["pull_request"] == "to do" and not plan.refused
    assert plan.message.endswith(f"(cherry picked from commit {shas[12]})\n")
    assert "plan ok" in plan.text() and TOKEN not in plan.to_json() + repr(plan)

    done = relkit.apply_cherry_pick(plan, repo, client)
    assert done.branch_created and done.pr_created and done.tracker_comment_created
    assert done.pull_request_url == f"https://github.com/o/n/pull/{done.pull_request_number}"
    head = subprocess.run(["git", f"--git-dir={origin}", "rev-parse",
                           "refs/heads/cherry-pick-12-by-octocat"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert head == plan.pick_commit

    again = relkit.plan_cherry_pick(repo, client, "o/n", 12, onto="release/2.4",
                                    classification="docs", requested_by="octocat")
    assert again.already_applied
    assert relkit.apply_cherry_pick(again, repo, client).already_applied
    assert server.pull_heads().count(("cherry-pick-12-by-octocat", "release/2.4")) == 1


def test_conflict_and_comment_form(setup: Any) -> None:
    repo, client, server, _, _ = setup
    plan = relkit.plan_cherry_pick(
        repo, client, "o/n", 13, requested_by="octocat",
        comment="@pytorchbot cherry-pick --onto release/2.4 -c critical --fixes #4")
    assert plan.conflict and plan.conflicts == ["a.py"] and plan.classification == "critical"
    result = relkit.apply_cherry_pick(plan, repo, client)
    assert result.conflict and result.failure_comment_created
    (comment,) = server.comments_of(13)
    assert "@octocat" in comment and "`a.py`" in comment
    assert server.pull_heads() == [("f12", "main"), ("f13", "main")]


def test_refused_plan_is_not_applied(setup: Any) -> None:
    repo, client, _, _, _ = setup
    git(pathlib.Path(repo.workdir or ""), "tag", "v2.4.0", "release/2.4")
    plan = relkit.plan_cherry_pick(repo, client, "o/n", 12, onto="release/2.4",
                                   classification="regression")
    assert plan.refused and plan.patch_release and plan.target_release == "2.4.1"
    assert any("--fixes" in r for r in plan.refusals)
    with pytest.raises(relkit.FailedPreconditionError, match="refused"):
        relkit.apply_cherry_pick(plan, repo, client)
