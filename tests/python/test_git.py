"""relkit.Repository, relkit.CommitMessage and relkit.audit_branch on real
repositories built in temporary directories (with the git CLI, tests only)."""

from __future__ import annotations

import datetime
import os
import pathlib
import subprocess
import threading

import pytest

import relkit

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git(repo: pathlib.Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=ENV
    ).stdout.strip()


def commit(repo: pathlib.Path, path: str, content: str, message: str) -> str:
    (repo / path).write_text(content)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def merge_bot(title: str, pr: int) -> str:
    return f"{title} (#{pr})\n\nPull Request resolved: https://github.com/pytorch/pytorch/pull/{pr}\n"


@pytest.fixture()
def repo(tmp_path: pathlib.Path) -> dict[str, str]:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    s: dict[str, str] = {"path": str(r)}
    commit(r, "a.txt", "a\n", "Initial")
    s["x0"] = commit(r, "x.txt", "x\n", merge_bot("Add x", 90))
    git(r, "branch", "release/2.4")
    git(r, "branch", "orig/release/2.4")
    s["f1"] = commit(r, "a.txt", "a\nfix\n", merge_bot("Fix A", 101))
    s["f2"] = commit(r, "b.txt", "b\n", merge_bot("Fix B", 1010))
    git(r, "revert", "--no-edit", s["x0"])
    s["r1"] = git(r, "rev-parse", "HEAD")
    git(r, "tag", "-a", "-m", "rc1", "v2.4.0-rc1", s["x0"])
    git(r, "checkout", "-q", "release/2.4")
    git(r, "cherry-pick", "-x", s["f1"])
    s["p1"] = git(r, "rev-parse", "HEAD")
    s["e"] = commit(r, "rel.txt", "r\n", "[RELEASE-ONLY CHANGES] Branch cut")
    git(r, "checkout", "-q", "main")
    return s


def test_repository_reads_refs_commits_tags_and_files(repo: dict[str, str]) -> None:
    r = relkit.Repository.open(repo["path"])
    assert not r.is_bare
    assert r.resolve("release/2.4") == repo["e"]
    c = r.commit(repo["f1"])
    assert c.title == "Fix A (#101)"
    assert c.parents == [repo["x0"]]
    assert c.author_name == "Dev"
    assert isinstance(c.author_time, datetime.datetime)
    assert r.rev_list("orig/release/2.4..release/2.4") == [repo["e"], repo["p1"]]
    assert r.merge_base("main", "release/2.4") == repo["x0"]
    assert r.is_ancestor(repo["x0"], "main")
    assert not r.is_ancestor(repo["p1"], "main")
    assert r.read_file("main", "a.txt") == b"a\nfix\n"
    [tag] = r.tags()
    assert (tag.name, tag.target, tag.annotated) == ("v2.4.0-rc1", repo["x0"], True)
    assert ("refs/heads/release/2.4", repo["e"]) in r.refs("refs/heads/")


def test_patch_id_equals_git_patch_id_stable(repo: dict[str, str]) -> None:
    r = relkit.Repository.open(repo["path"])
    out = subprocess.run(
        f"git -C '{repo['path']}' diff-tree -p --no-renames {repo['f1']} | git patch-id --stable",
        shell=True, check=True, capture_output=True, text=True, env=ENV,
    ).stdout.split()[0]
    assert r.patch_id(repo["f1"]) == out
    assert r.patch_id(repo["p1"]) == out  # the cherry-pick


def test_errors_map_to_the_relkit_hierarchy(repo: dict[str, str], tmp_path: pathlib.Path) -> None:
    with pytest.raises(relkit.NotFoundError, match="does not exist"):
        relkit.Repository.open(str(tmp_path / "none"))
    r = relkit.Repository.open(repo["path"])
    with pytest.raises(LookupError, match="release/9.9"):
        r.resolve("release/9.9")
    with pytest.raises(relkit.AlreadyExistsError):
        r.create_branch("release/2.4", "main")
    with pytest.raises(FileExistsError):
        r.create_tag("v2.4.0-rc1", "main")


def test_writes_and_push_to_a_local_bare_repository(repo: dict[str, str], tmp_path: pathlib.Path) -> None:
    r = relkit.Repository.open(repo["path"])
    bare = relkit.Repository.init(str(tmp_path / "remote.git"), bare=True)
    assert bare.is_bare
    r.create_tag("v2.4.0-rc2", "release/2.4", message="RC2\n")
    r.push(str(tmp_path / "remote.git"), ["refs/heads/release/2.4", "refs/tags/v2.4.0-rc2"])
    assert bare.resolve("release/2.4") == repo["e"]
    assert bare.resolve("v2.4.0-rc2") == repo["e"]
    assert [t.name for t in bare.tags()] == ["v2.4.0-rc2"]


def test_commit_message_parse() -> None:
    m = relkit.CommitMessage.parse(
        'Revert "Fix foo (#123)" (#456)\n\nThis reverts commit '
        "4019e4c0addc6eda8e1af6cf4c4fac5d02684720.\n"
    )
    assert m.revert_kind == "revert"
    assert m.reverted_title == "Fix foo (#123)"
    assert m.title_prs == [456]
    assert m.reverted_commits == ["4019e4c0addc6eda8e1af6cf4c4fac5d02684720"]
    assert m.mentions_pr(456) and not m.mentions_pr(45) and not m.mentions_pr(123)


def test_audit_branch_typed_results(repo: dict[str, str]) -> None:
    r = relkit.Repository.open(repo["path"])
    a = relkit.audit_branch(r, "release/2.4")
    assert a.cut_point == repo["x0"]
    assert a.cut_point_source == "orig-branch"
    by_sha = {c.sha: c for c in a.commits}
    p1 = by_sha[repo["p1"]]
    assert not p1.release_only
    [cp] = p1.counterparts
    assert cp.sha == repo["f1"]
    assert cp.evidence == ["cherry-pick-trailer", "patch-id", "pr-number", "title"]
    assert by_sha[repo["e"]].release_only
    [need] = a.reverts_needed
    assert (need.revert_sha, need.reverted_sha, need.present_as) == (repo["r1"], repo["x0"], repo["x0"])
    assert need.evidence == ["ancestry"]
    states = {p.query: p.state for p in a.find_prs([101, 1010, 7])}
    assert states == {"#101": "present", "#1010": "missing", "#7": "not-on-main-since-cut"}
    [p] = a.find_commits(r, [repo["f2"]])
    assert p.state == "missing"
    records = a.to_records()
    assert {rec["sha"] for rec in records} == {repo["p1"], repo["e"]}
    assert "release-only" in repr(by_sha[repo["e"]])


def test_audit_releases_the_gil(repo: dict[str, str]) -> None:
    # Two threads share one Repository: the lock serialises them, and the
    # GIL is released during each audit so that neither deadlocks.
    r = relkit.Repository.open(repo["path"])
    results: list[int] = []

    def work() -> None:
        for _ in range(5):
            results.append(len(relkit.audit_branch(r, "release/2.4").commits))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [2] * 15
