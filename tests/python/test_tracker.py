"""relkit.plan_tracker_create / apply_tracker_create and the milestone plans
against the GitHub-shaped server on 127.0.0.1 (tests/testing/github_server.py):
typed plans that write nothing, results, reruns, reprs without the token."""

from __future__ import annotations

import datetime
import json
import pathlib
import sys
from typing import Iterator

import pytest

import relkit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))
from github_server import GitHubServer, issue_json, milestone_json  # noqa: E402

TOKEN = "ghp_PYTRACKERTOKEN0123456789"


@pytest.fixture()
def server() -> Iterator[GitHubServer]:
    with GitHubServer("o", "n", token=TOKEN) as s:
        yield s


def client(server: GitHubServer) -> relkit.GitHubClient:
    return relkit.GitHubClient(server.url, TOKEN)


def test_tracker_plan_then_apply_then_rerun(server: GitHubServer) -> None:
    gh = client(server)
    plan = relkit.plan_tracker_create(gh, "o/n", "2.13.0", release_managers="@a @b")
    assert isinstance(plan, relkit.TrackerCreatePlan)
    assert plan.create_count == 2 and not plan.patch
    assert [i.action for i in plan.issues] == ["create", "create"]
    assert plan.issues[0].title == "[v.2.13.0] Release Tracker"
    assert plan.issues[0].labels == ["release tracker", "triaged"]
    assert "(week of 22/6/26)" in plan.issues[0].body
    d = plan.to_dict()
    assert d["dry_run"] is True and d["dates"]["m6"] == "8/7/26"
    json.dumps(d)
    assert server.writes("POST") == []

    result = relkit.apply_tracker_create(gh, "o/n", plan)
    assert result.created_count == 2
    assert [(i.role, i.number, i.created) for i in result.issues] == [
        ("tracker", 1, True), ("validation", 2, True)]
    assert result.to_dict()["applied"]["created"] == 2
    assert "2 created" in repr(result)

    # The same plan applied again, and a fresh plan: nothing new.
    again = relkit.apply_tracker_create(gh, "o/n", plan)
    assert again.created_count == 0
    fresh = relkit.plan_tracker_create(gh, "o/n", relkit.Version("2.13.0"))
    assert [i.action for i in fresh.issues] == ["exists", "exists"]
    assert fresh.issues[0].number == 1 and fresh.issues[0].url.endswith("/issues/1")
    assert len(server.writes("POST", "issues")) == 2
    for text in (repr(plan), repr(result), plan.to_text(), result.to_text(), repr(gh),
                 plan.to_json(), repr(plan.issues[0])):
        assert TOKEN not in text


def test_tracker_exact_version_match(server: GitHubServer) -> None:
    server.issues.append(issue_json("o/n", 5, "[v.2.4.10] Release Tracker", state="open",
                                    labels=("release tracker",)))
    plan = relkit.plan_tracker_create(client(server), "o/n", "2.4.1")
    assert plan.issues[0].action == "create"
    assert plan.issues[0].title == "[v2.4.1] Release Tracker"
    assert plan.patch


def test_tracker_errors_are_relkit_errors(server: GitHubServer) -> None:
    with pytest.raises(ValueError, match="not a release"):
        relkit.plan_tracker_create(client(server), "o/n", "2.13.0rc1")
    with pytest.raises(ValueError, match="m4"):
        relkit.plan_tracker_create(client(server), "o/n", "2.4.0")
    plan = relkit.plan_tracker_create(client(server), "o/n", "2.4.0", m4="week of 1/7/24",
                                      m4_1="9/7/24", m5="10/7/24")
    assert "Phase 1 (until 1/7/24)" in plan.issues[0].body


def test_milestone_create_plan_apply_rerun(server: GitHubServer) -> None:
    gh = client(server)
    plan = relkit.plan_milestone_create(gh, "o/n", "2.14.0")
    assert [(m.title, m.action, m.due) for m in plan.milestones] == [
        ("2.14.0", "create", datetime.date(2026, 9, 2)), ("2.14.1", "create", None)]
    assert server.writes("POST") == []
    result = relkit.apply_milestone_create(gh, "o/n", plan)
    assert [m.outcome for m in result.milestones] == ["created", "created"]
    assert server.milestone_titles() == ["2.14.0", "2.14.1"]
    again = relkit.plan_milestone_create(gh, "o/n", "2.14.0")
    assert again.change_count == 0
    assert relkit.apply_milestone_create(gh, "o/n", again).changed_count == 0
    custom = relkit.plan_milestone_create(gh, "o/n", "2.14.0", due=datetime.date(2026, 9, 9))
    assert custom.milestones[0].action == "due differs"
    assert custom.to_dict()["milestones"][0]["existing_due"] == "2026-09-02"


def test_milestone_move_plan_apply_rerun(server: GitHubServer) -> None:
    ms = milestone_json("o/n", 3, "2.4.0")
    server.milestones = [ms]
    server.milestone_items[3] = [
        issue_json("o/n", 10, "Done", state="closed", milestone=ms),
        issue_json("o/n", 11, "Open", state="open", milestone=ms),
        issue_json("o/n", 12, "Open PR", pr=True, state="open", milestone=ms),
    ]
    gh = client(server)
    plan = relkit.plan_milestone_move(gh, "o/n", "2.4.0", "2.4.1")
    assert [i.number for i in plan.move] == [11, 12]
    assert plan.create_to and plan.close_from and not plan.done
    assert plan.staying_closed == 1
    assert plan.from_milestone.title == "2.4.0"
    result = relkit.apply_milestone_move(gh, "o/n", plan)
    assert [i.number for i in result.moved] == [11, 12]
    assert result.closed_from and result.to_milestone.outcome == "created"
    after = relkit.plan_milestone_move(gh, "o/n", "2.4.0", "2.4.1")
    assert after.done and "already applied" in after.to_text()
    assert after.to_dict()["already_applied"] is True
    assert "already applied" in repr(after)
