"""`relkit cherry-pick apply`: the cherry-pick bot end to end.

A real repository (main with merge-bot commits, a release branch), a bare
"origin" the branch is pushed to, attached to the GitHub-shaped server on
127.0.0.1 so that pull request heads are checked; every test reads back what
exists afterwards (the branch in the bare repository, the PRs, the comments).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from dataclasses import dataclass
from typing import Any, Iterator

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from git_cli import ENV, git  # noqa: E402
from github_server import GitHubServer, issue_json  # noqa: E402

TOKEN = "ghp_cherrypicksecret0123456789"
LINES = "".join(f"line {i}\n" for i in range(30))


def merge_bot(title: str, pr: int, body: str = "") -> str:
    text = f"{title} (#{pr})\n\n"
    if body:
        text += body + "\n"
    return text + f"Pull Request resolved: https://github.com/o/n/pull/{pr}\nApproved by: https://github.com/rev\n"


def commit(repo: pathlib.Path, files: dict[str, str], message: str) -> str:
    for path, content in files.items():
        (repo / path).write_text(content)
        git(repo, "add", path)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def merged_pr(number: int, title: str, sha: str | None, body: str = "") -> dict[str, Any]:
    return {
        "url": f"https://api.github.com/repos/o/n/pulls/{number}",
        "html_url": f"https://github.com/o/n/pull/{number}",
        "number": number, "state": "closed", "title": title, "body": body,
        "merged": True, "merged_at": "2024-06-20T10:00:00Z", "merge_commit_sha": sha,
        "head": {"ref": f"feature-{number}", "sha": "1" * 40, "label": f"o:feature-{number}"},
        "base": {"ref": "main", "sha": "2" * 40, "label": "o:main"},
        "user": {"login": "dev"},
    }


@dataclass
class World:
    work: pathlib.Path
    origin: pathlib.Path
    server: GitHubServer
    shas: dict[int, str]
    release_head: str

    def run(self, *args: str, execute: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "XDG_CACHE_HOME": str(self.work.parent / "cache")}
        argv = [os.environ.get("RELKIT_CLI", str(ROOT / "build" / "default" / "relkit")),
                "cherry-pick", "apply", "--repo", str(self.work), "--github-repo", "o/n",
                "--api-url", self.server.url, *args]
        if execute:
            argv.append("--execute")
        r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
        assert TOKEN not in r.stdout and TOKEN not in r.stderr
        return r

    def origin_ref(self, ref: str) -> str | None:
        r = subprocess.run(["git", f"--git-dir={self.origin}", "rev-parse", "--verify", "--quiet",
                            ref], capture_output=True, text=True, env=ENV, check=False)
        return r.stdout.strip() or None

    def posts(self) -> int:
        return len(self.server.writes("POST"))


@pytest.fixture()
def world(tmp_path: pathlib.Path) -> Iterator[World]:
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.name", "PyTorch Bot")
    git(work, "config", "user.email", "pytorchbot@users.noreply.github.com")
    base = commit(work, {"a.py": LINES, "b.py": "x = 1\n"}, merge_bot("Initial", 1))
    git(work, "branch", "release/2.4", base)
    shas: dict[int, str] = {}
    shas[123] = commit(work, {"a.py": LINES + "fix 123\n"}, merge_bot("Fix the bottom", 123, "A fix."))
    shas[1234] = commit(work, {"c.py": "c\n"}, merge_bot("Add c", 1234))
    shas[200] = commit(work, {"b.py": "x = 3\n"}, merge_bot("Change b", 200))
    shas[300] = commit(work, {"d.py": "d\n"}, merge_bot("Add d", 300))
    # The release branch: its own change of b.py and the top of a.py, and
    # #300 picked with -x already.
    git(work, "checkout", "-q", "release/2.4")
    commit(work, {"b.py": "x = 2\n", "a.py": "release top\n" + LINES}, "[release/2.4] own change")
    git(work, "cherry-pick", "-x", shas[300])
    release_head = git(work, "rev-parse", "HEAD")
    git(work, "checkout", "-q", "main")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True, env=ENV)
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main", "release/2.4")

    with GitHubServer("o", "n", token=TOKEN) as server:
        server.attach_repository(str(origin))
        prs = [merged_pr(123, "Fix the bottom", None, "A fix.\n\nFixes #99"),
               merged_pr(1234, "Add c", shas[1234]),
               merged_pr(200, "Change b", shas[200]),
               merged_pr(300, "Add d", shas[300])]
        unmerged = merged_pr(400, "Not yet", None)
        unmerged.update(state="open", merged=False, merged_at=None)
        prs.append(unmerged)
        for p in prs:
            server.pulls.append(p)
            server.issues.append(issue_json("o/n", p["number"], p["title"], pr=True,
                                            state=p["state"], merged=p["merged"]))
        for number, title in ((10, "[v2.4.0] Release Tracker"), (11, "[v2.4.1] Release Tracker"),
                              (12, "[v.2.40.0] Release Tracker")):
            server.issues.append(issue_json("o/n", number, title, state="open",
                                            labels=("release tracker",)))
        yield World(work, origin, server, shas, release_head)


def git_pick_tree(world: World, sha: str) -> str:
    """The tree `git cherry-pick -x` makes of `sha` on the release branch."""
    scratch = world.work.parent / "scratch"
    subprocess.run(["git", "clone", "-q", str(world.origin), str(scratch)], check=True, env=ENV)
    git(scratch, "checkout", "-q", "--detach", world.release_head)
    git(scratch, "cherry-pick", "-x", sha)
    return git(scratch, "rev-parse", "HEAD^{tree}")


def nomination(world: World, body: str) -> dict[str, Any]:
    r = subprocess.run([os.environ.get("RELKIT_CLI", str(ROOT / "build" / "default" / "relkit")),
                        "cherry-pick", "nomination", "--json"], input=body,
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


ARGS = ("--pr", "123", "--onto", "release/2.4", "-c", "regression",
        "--fixes", "https://github.com/o/n/issues/99", "--requested-by", "octo-cat")
BRANCH = "cherry-pick-123-by-octo_cat"


def test_clean_pick_end_to_end_then_rerun_changes_nothing(world: World) -> None:
    plan = world.run(*ARGS)
    assert plan.returncode == 0, plan.stderr
    assert BRANCH in plan.stdout and "plan ok" in plan.stdout
    assert world.shas[123] in plan.stdout  # the commit of #123, never #1234's
    assert world.shas[1234] not in plan.stdout
    assert "[to do] open PR \"Fix the bottom\"" in plan.stdout
    assert world.posts() == 0 and world.origin_ref(f"refs/heads/{BRANCH}") is None

    done = world.run(*ARGS, execute=True)
    assert done.returncode == 0, done.stderr
    # The branch on origin: one commit on the release head, -x trailer, the
    # tree git's own cherry-pick makes.
    head = world.origin_ref(f"refs/heads/{BRANCH}")
    assert head is not None
    bare = ["git", f"--git-dir={world.origin}"]
    parent = subprocess.run([*bare, "rev-parse", f"{head}^"], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert parent == world.release_head
    message = subprocess.run([*bare, "log", "-1", "--format=%B", head], capture_output=True,
                             text=True, check=True).stdout
    assert message.startswith("Fix the bottom (#123)\n")
    assert f"Approved by: https://github.com/rev\n\n(cherry picked from commit {world.shas[123]})" in message
    tree = subprocess.run([*bare, "rev-parse", f"{head}^{{tree}}"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert tree == git_pick_tree(world, world.shas[123])
    # The PR: head and base, the original title and body.
    new = [p for p in world.server.pulls if p["head"]["ref"] == BRANCH]
    assert len(new) == 1
    assert new[0]["base"]["ref"] == "release/2.4"
    assert new[0]["title"] == "Fix the bottom" and new[0]["body"] == "A fix.\n\nFixes #99"
    url = new[0]["html_url"]
    # The tracker: exactly [v2.4.0], in the three-block format.
    assert world.server.comments_of(11) == [] and world.server.comments_of(12) == []
    (tracker_comment,) = world.server.comments_of(10)
    n = nomination(world, tracker_comment)
    assert [link["number"] for link in n["trunk_prs"]] == [123]
    assert [link["text"] for link in n["release_prs"]] == [url]
    assert n["classification"] == "regression"
    assert n["fixes"] == "https://github.com/o/n/issues/99"
    assert n["warnings"] == []
    (note,) = world.server.comments_of(123)
    assert "### Cherry picking #123" in note and f"The cherry pick PR is at {url}" in note

    posts = world.posts()
    again = world.run(*ARGS, execute=True)
    assert again.returncode == 0, again.stderr
    assert "already applied" in again.stdout
    assert world.posts() == posts
    assert len([p for p in world.server.pulls if p["head"]["ref"] == BRANCH]) == 1
    assert len(world.server.comments_of(10)) == 1 and len(world.server.comments_of(123)) == 1


def test_conflict_posts_a_failure_comment_and_opens_nothing(world: World) -> None:
    args = ("--pr", "200", "--onto", "release/2.4", "-c", "critical", "--fixes", "#7",
            "--requested-by", "octocat")
    plan = world.run(*args)
    assert plan.returncode == 1
    assert "conflict: b.py" in plan.stdout
    assert world.posts() == 0

    done = world.run(*args, execute=True)
    assert done.returncode == 1
    (failure,) = world.server.comments_of(200)
    assert "@octocat" in failure and "`b.py`" in failure
    assert world.server.pull_heads().count(("cherry-pick-200-by-octocat", "release/2.4")) == 0
    assert world.origin_ref("refs/heads/cherry-pick-200-by-octocat") is None
    assert git(world.work, "branch", "--list", "cherry-pick-200-by-octocat") == ""
    assert world.server.comments_of(10) == []

    again = world.run(*args, execute=True)
    assert again.returncode == 1
    assert len(world.server.comments_of(200)) == 1


def test_a_pr_already_in_the_branch_is_refused_with_the_evidence(world: World) -> None:
    r = world.run("--pr", "300", "--onto", "release/2.4", "-c", "docs", execute=True)
    assert r.returncode == 1
    assert "#300 is already in release/2.4" in r.stdout
    assert "cherry-pick-trailer" in r.stdout
    assert world.posts() == 0


def test_patch_release_needs_the_issue(world: World) -> None:
    git(world.work, "tag", "v2.4.0", world.release_head)
    r = world.run("--pr", "123", "--onto", "release/2.4", "-c", "regression", execute=True)
    assert r.returncode == 1
    assert "patch release 2.4.1" in r.stdout and "--fixes" in r.stdout
    assert world.posts() == 0
    ok = world.run("--pr", "123", "--onto", "release/2.4", "-c", "regression", "--fixes", "#99")
    assert ok.returncode == 0, ok.stdout
    # The patch release's tracker, exactly.
    assert "tracker #11" in ok.stdout


def test_minor_release_missing_issue_is_a_warning(world: World) -> None:
    r = world.run("--pr", "123", "--onto", "release/2.4", "-c", "regression")
    assert r.returncode == 0
    assert "warning: it is recommended to link a regression cherry pick PR with an issue" in r.stdout


def test_an_unmerged_pr_is_refused(world: World) -> None:
    r = world.run("--pr", "400", "--onto", "release/2.4", "-c", "docs", execute=True)
    assert r.returncode == 1
    assert "Refuse to cherry pick #400 because it hasn't been merged yet" in r.stdout
    assert world.posts() == 0


def test_pr_123_is_never_confused_with_1234(world: World) -> None:
    r = world.run("--pr", "1234", "--onto", "release/2.4", "-c", "docs", "--json")
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    assert plan["main_commit"]["sha"] == world.shas[1234]
    r = world.run("--pr", "123", "--onto", "release/2.4", "-c", "docs", "--json")
    plan = json.loads(r.stdout)
    assert plan["main_commit"]["sha"] == world.shas[123]
    assert plan["main_commit"]["found_by"].startswith("the PR number #123")
    assert plan["pick"]["result"] == "clean"
    assert plan["dry_run"] is True and plan["ok"] is True


def test_dropped_answer_after_pr_creation_makes_one_pr(world: World) -> None:
    world.server.fail_next("POST", "pulls", "drop-after-create")
    world.run(*ARGS, execute=True)
    again = world.run(*ARGS, execute=True)
    assert again.returncode == 0, again.stderr
    assert world.server.pull_heads().count((BRANCH, "release/2.4")) == 1
    assert len(world.server.comments_of(10)) == 1
    assert len(world.server.comments_of(123)) == 1


def test_failure_after_the_push_is_finished_by_a_rerun(world: World) -> None:
    world.server.fail_next("POST", "pulls", "422")
    first = world.run(*ARGS, execute=True)
    assert first.returncode != 0
    assert world.origin_ref(f"refs/heads/{BRANCH}") is not None
    assert world.server.pull_heads().count((BRANCH, "release/2.4")) == 0
    plan = world.run(*ARGS)
    assert f"[done] push {BRANCH}" in plan.stdout
    again = world.run(*ARGS, execute=True)
    assert again.returncode == 0, again.stderr
    assert world.server.pull_heads().count((BRANCH, "release/2.4")) == 1


def test_request_from_a_comment(world: World) -> None:
    r = world.run("--pr", "1234", "--requested-by", "octocat", "--comment",
                  "LGTM\n@pytorchbot cherry-pick --onto release/2.4 -c docs", "--json")
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    assert plan["classification"] == "docs" and plan["onto"] == "release/2.4"
    assert plan["branch"] == "cherry-pick-1234-by-octocat"
    bad = world.run("--pr", "1234", "--comment", "@pytorchbot cherry-pick --onto release/2.4")
    assert bad.returncode == 2
    assert "-c/--classification" in bad.stderr


def test_a_local_release_branch_behind_the_remote_is_refused(world: World) -> None:
    # Review of issue 13: the pick went onto the local release branch even
    # when the remote's had moved on (a merged pick there, a newer head).
    scratch = world.work.parent / "ahead"
    subprocess.run(["git", "clone", "-q", "-b", "release/2.4", str(world.origin), str(scratch)],
                   check=True, env=ENV)
    remote_head = commit(scratch, {"e.py": "e\n"}, "[release/2.4] a newer change upstream")
    git(scratch, "push", "-q", "origin", "release/2.4")
    r = world.run(*ARGS, execute=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"release/2.4 is at {remote_head} on origin" in r.stdout
    assert f"but at {world.release_head} here" in r.stdout and "fetch it" in r.stdout
    assert world.posts() == 0 and world.origin_ref(f"refs/heads/{BRANCH}") is None
    assert git(world.work, "branch", "--list", BRANCH) == ""
