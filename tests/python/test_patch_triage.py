"""Python tests of relkit.patch_triage: the typed PatchTriage value and its
records, read from the GitHub-shaped server on 127.0.0.1
(tests/testing/github_server.py) with a real 2.4.1-style tracker."""

from __future__ import annotations

import datetime
import json
import pathlib
import sys
from typing import Any

import pytest

import relkit

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json, milestone_json  # noqa: E402

TOKEN = "ghp_relkitPythonTriageToken0123456789"
REPO = "pytorch/pytorch"
BASE = f"https://github.com/{REPO}"
SCHEDULE = relkit.ReleaseSchedule.from_json(json.dumps({"releases": [
    {"minor": "2.4", "branch_cut": "10 Jun 2024", "release": "24 Jul 2024",
     "first_patch": "4 Sept 2024", "second_patch": "Not planned"}]}))


def comment_json(cid: int, author: str, body: str, created_at: str) -> dict[str, Any]:
    return {"id": cid, "user": {"login": author}, "body": body, "created_at": created_at,
            "updated_at": created_at, "html_url": f"{BASE}/issues/132400#issuecomment-{cid}"}


def three_block(trunk: int, release: int, criteria: str) -> str:
    return (f"Link to landed trunk PR (if applicable):\n* {BASE}/pull/{trunk}\n\n"
            f"Link to release branch PR:\n* {BASE}/pull/{release}\n\n"
            f"Criteria Category:\n{criteria}\n")


@pytest.fixture()
def server() -> Any:
    with GitHubServer("pytorch", "pytorch", token=TOKEN) as gh:
        ms = milestone_json(REPO, 48, "2.4.1")
        gh.milestones.append(ms)
        gh.milestone_items[48] = [issue_json(REPO, 131200, "Fix docs", pr=True, merged=True,
                                             labels=("module: docs",), milestone=ms)]
        gh.issues += [
            issue_json(REPO, 132400, "[v2.4.1] Release Tracker", state="open",
                       labels=("release tracker",)),
            issue_json(REPO, 131000, "slower than 2.3", state="open",
                       labels=("module: regression", "high priority")),
            issue_json(REPO, 131500, "wrong grads", state="open",
                       labels=("module: regression",)),
        ]
        gh.comments[132400] = [
            comment_json(1, "pytorchbot",
                         three_block(131100, 132500, f"Regression - {BASE}/issues/131000"),
                         "2024-08-05T09:00:00Z"),
            comment_json(2, "late", three_block(132000, 132700, "Docs"), "2024-08-27T00:00:00Z"),
        ]
        yield gh


def test_patch_triage_returns_typed_candidates(server: Any) -> None:
    client = relkit.GitHubClient(server.url, TOKEN)
    t = relkit.patch_triage(client, REPO, "2.4.1", schedule=SCHEDULE,
                            today=datetime.date(2024, 8, 20))
    assert isinstance(t, relkit.PatchTriage)
    assert t.version == relkit.Version("2.4.1")
    assert t.release_branch == "release/2.4"
    assert t.tracker is not None and t.tracker.number == 132400
    assert t.milestone is not None and t.milestone.number == 48
    assert t.deadline.day == datetime.date(2024, 8, 21)
    assert t.deadline.release_day == datetime.date(2024, 9, 4)
    assert t.days_left == 1
    by = {c.number: c for c in t.candidates}
    assert sorted(by) == [131000, 131100, 131200, 131500, 132000]
    pr = by[131100]
    assert isinstance(pr, relkit.PatchCandidate)
    assert pr.kind == "pull_request" and pr.sources == ["nomination"]
    assert pr.classification == "regression" and pr.classification_origin == "nomination"
    assert isinstance(pr.linked_issue, relkit.LinkedIssue)
    assert pr.linked_issue.number == 131000 and pr.linked_issue.high_priority is True
    assert pr.meets_criteria and not pr.late and not pr.problem
    assert pr.nominated_at == datetime.datetime(2024, 8, 5, 9, tzinfo=datetime.timezone.utc)
    assert by[131500].reasons and not by[131500].meets_criteria
    assert by[132000].late
    assert t.late_count == 1 and t.problem_count == 2 and not t.ok
    assert "LATE" in t.to_text()
    assert json.loads(t.to_json())["problems"] == 2
    assert TOKEN not in repr(t) + repr(client) + t.to_text() + t.to_json()


def test_to_records_are_typed(server: Any) -> None:
    client = relkit.GitHubClient(server.url, TOKEN)
    t = relkit.patch_triage(client, relkit.GitHubRepo(REPO), relkit.Version("2.4.1"),
                            schedule=SCHEDULE, deadline=datetime.date(2024, 8, 30),
                            today=datetime.date(2024, 8, 20))
    assert t.deadline.source == "--deadline"
    records = t.to_records()
    assert [r["number"] for r in records] == [c.number for c in t.candidates]
    r = next(r for r in records if r["number"] == 131100)
    assert isinstance(r["nominated_at"], datetime.datetime)
    assert r["meets_criteria"] is True and r["late"] is False
    assert r["linked_issue"] == {"repo": REPO, "number": 131000,
                                 "url": f"{BASE}/issues/131000", "high_priority": True}
    assert r["release_prs"] == [132500]
    docs = next(r for r in records if r["number"] == 131200)
    assert docs["nominated_at"] is None and docs["state"] == "closed"
    assert all(r["late"] is False for r in records)  # the later deadline


def test_not_a_patch_release_raises_before_any_request(server: Any) -> None:
    client = relkit.GitHubClient(server.url, TOKEN)
    with pytest.raises(relkit.InvalidArgumentError, match="is not a patch release"):
        relkit.patch_triage(client, REPO, "2.4.0", schedule=SCHEDULE)
    assert server.requests == []
