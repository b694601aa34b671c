"""The GitHub writes from Python (relkit.create_issue and its siblings)
against tests/testing/github_server.py on 127.0.0.1: what a rerun finds
instead of creating twice, a connection dropped after the server created the
issue, secondary rate limits, 422s in plain words, and no token anywhere."""

from __future__ import annotations

import datetime
import pathlib
import subprocess
import sys
from typing import Iterator

import pytest

import relkit

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "testing"))
from git_cli import ENV, commit, git  # noqa: E402
from github_server import GitHubServer, milestone_json  # noqa: E402

TOKEN = "ghp_PYWRITETOKEN0123456789"


@pytest.fixture()
def server() -> Iterator[GitHubServer]:
    with GitHubServer("o", "n", token=TOKEN) as gh:
        yield gh


@pytest.fixture()
def client(server: GitHubServer) -> relkit.GitHubClient:
    return relkit.GitHubClient(server.url, TOKEN, timeout=30.0)


def test_create_issue_then_a_rerun_finds_it(server: GitHubServer,
                                            client: relkit.GitHubClient) -> None:
    server.milestones.append(milestone_json("o/n", 3, "2.4.0"))
    first = relkit.create_issue(client, "o/n", "[v2.4.0] Release Tracker", "Body",
                                labels=["release tracker"], milestone=3,
                                marker="tracker 2.4.0")
    assert first.created
    assert isinstance(first.value, relkit.Issue)
    assert first.value.title == "[v2.4.0] Release Tracker"
    assert first.value.milestone == 3
    again = relkit.create_issue(client, "o/n", "[v2.4.0] Release Tracker", "Body",
                                labels=["release tracker"], milestone=3)
    assert not again.created
    assert again.value.number == first.value.number
    assert server.issue_titles() == ["[v2.4.0] Release Tracker"]
    assert len(server.writes("POST", "issues")) == 1
    assert server.milestone_by_title("2.4.0")["open_issues"] == 1  # type: ignore[index]
    assert "created" in repr(first) and "existing" in repr(again)


def test_a_connection_dropped_after_the_create_leaves_one_issue(
        server: GitHubServer, client: relkit.GitHubClient) -> None:
    server.fail_next("POST", "issues", "drop-after-create")
    w = relkit.create_issue(client, "o/n", "[v2.4.1] Release Tracker")
    assert not w.created  # the dropped attempt made it; the retry found it
    assert server.issue_titles() == ["[v2.4.1] Release Tracker"]
    assert len(server.writes("POST", "issues")) == 1


def test_a_comment_is_posted_once_and_carries_its_marker(
        server: GitHubServer, client: relkit.GitHubClient) -> None:
    issue = relkit.create_issue(client, "o/n", "Tracker").value
    w = relkit.create_comment(client, "o/n", issue.number, "Validated.", "validation 1")
    assert w.created
    assert isinstance(w.value, relkit.IssueComment)
    assert w.value.url.endswith(f"#issuecomment-{w.value.id}")
    server.fail_next("POST", "issue comments", "drop-after-create")
    w2 = relkit.create_comment(client, "o/n", issue.number, "Second.", "validation 2")
    assert not w2.created
    again = relkit.create_comment(client, "o/n", issue.number, "Validated.", "validation 1")
    assert not again.created and again.value.id == w.value.id
    bodies = server.comments_of(issue.number)
    assert len(bodies) == 2
    assert bodies[0].startswith("Validated.") and "relkit:validation 1" in bodies[0]


def test_a_secondary_rate_limit_is_waited_out(server: GitHubServer,
                                              client: relkit.GitHubClient) -> None:
    server.fail_next("POST", "milestones", "secondary-rate-limit")
    due = datetime.datetime(2024, 9, 4, 7, 0, tzinfo=datetime.timezone.utc)
    w = relkit.create_milestone(client, "o/n", "2.4.1", due_on=due, description="Patch")
    assert w.created
    assert w.value.due_on == due
    assert server.milestone_titles() == ["2.4.1"]
    statuses = [r.status for r in server.writes("POST", "milestones")]
    assert statuses == [403, 201]
    assert client.stats["rate_limit_waits"] == 1


def test_a_429_is_waited_out_for_an_edit(server: GitHubServer,
                                         client: relkit.GitHubClient) -> None:
    issue = relkit.create_issue(client, "o/n", "Open item").value
    server.milestones.append(milestone_json("o/n", 4, "2.4.1"))
    server.fail_next("PATCH", "issue", "429")
    edited = relkit.edit_issue(client, "o/n", issue.number, state="closed", milestone=4)
    assert edited.state == "closed" and edited.milestone == 4
    m = server.milestone_by_title("2.4.1")
    assert m is not None and (m["open_issues"], m["closed_issues"]) == (0, 1)
    moved = relkit.edit_issue(client, "o/n", issue.number, remove_milestone=True)
    assert moved.milestone is None
    assert (m["open_issues"], m["closed_issues"]) == (0, 0)


def test_an_edit_is_retried_after_a_500(server: GitHubServer,
                                        client: relkit.GitHubClient) -> None:
    server.milestones.append(milestone_json("o/n", 5, "2.5.0"))
    server.fail_next("PATCH", "milestone", "500")
    m = relkit.edit_milestone(client, "o/n", 5, state="closed")
    assert m.state == "closed"
    assert [r.status for r in server.writes("PATCH", "milestone")] == [500, 200]


def test_422s_are_said_in_plain_words(server: GitHubServer,
                                      client: relkit.GitHubClient) -> None:
    server.fail_next("POST", "milestones", "422")
    with pytest.raises(relkit.InvalidArgumentError) as e:
        relkit.create_milestone(client, "o/n", "2.6.0")
    assert "Validation Failed: body is too long" in str(e.value)
    assert TOKEN not in str(e.value)


def test_labels_are_added_once(server: GitHubServer, client: relkit.GitHubClient) -> None:
    issue = relkit.create_issue(client, "o/n", "Item", labels=["a"]).value
    assert relkit.add_labels(client, "o/n", issue.number, ["a", "b"]) == ["a", "b"]
    assert relkit.get_issue(client, "o/n", issue.number).labels == ["a", "b"]


def test_pull_requests_need_their_head_and_open_once(
        server: GitHubServer, client: relkit.GitHubClient, tmp_path: pathlib.Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    base = commit(work, "a.txt", "a\n", "base")
    git(work, "checkout", "-q", "-b", "release/2.4")
    git(work, "checkout", "-q", "-b", "cherry-pick-1-by-me")
    commit(work, "b.txt", "b\n", "fix")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True, env=ENV)
    server.attach_repository(str(bare))

    with pytest.raises(relkit.InvalidArgumentError) as e:
        relkit.create_pull_request(client, "o/n", "T", "no-such-branch", "release/2.4")
    assert "head is invalid" in str(e.value)

    w = relkit.create_pull_request(client, "o/n", "[release/2.4] fix", "cherry-pick-1-by-me",
                                   "release/2.4", "Body")
    assert w.created and w.value.is_pull_request
    again = relkit.create_pull_request(client, "o/n", "[release/2.4] fix",
                                       "cherry-pick-1-by-me", "release/2.4", "Body")
    assert not again.created and again.value.number == w.value.number
    assert server.pull_heads() == [("cherry-pick-1-by-me", "release/2.4")]
    assert [r.status for r in server.writes("POST", "pulls")] == [422, 201]

    ref = relkit.create_ref(client, "o/n", "refs/heads/new", base)
    assert ref.created and ref.value == base
    assert server.ref_sha("refs/heads/new") == base
    assert not relkit.create_ref(client, "o/n", "refs/heads/new", base).created


def test_a_snapshot_client_refuses_writes(tmp_path: pathlib.Path) -> None:
    gh = relkit.GitHubClient("https://api.github.com", snapshot=str(tmp_path))
    with pytest.raises(relkit.FailedPreconditionError, match="read-only"):
        relkit.create_issue(gh, "o/n", "T")


def test_the_token_is_in_no_error_or_repr(server: GitHubServer) -> None:
    wrong = relkit.GitHubClient(server.url, TOKEN + "x", timeout=30.0)
    with pytest.raises(relkit.Error) as e:
        relkit.create_issue(wrong, "o/n", "T")
    assert TOKEN not in str(e.value)
    ok = relkit.GitHubClient(server.url, TOKEN, timeout=30.0)
    w = relkit.create_issue(ok, "o/n", "T")
    assert TOKEN not in repr(w) and TOKEN not in repr(ok)
