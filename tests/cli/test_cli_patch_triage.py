"""CLI tests of `relkit patch triage` against the GitHub-shaped server on
127.0.0.1 (tests/testing/github_server.py): the candidates of a patch release
from labels, the milestone and the patch tracker's nominations, the
patch-release criteria, the cherry-pick deadline (schedule, --deadline) and
late nominations, the exit codes, list requests only, a token in no output,
and GitHub text escaped on the terminal."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json, milestone_json  # noqa: E402

TOKEN = "ghp_relkitPatchTriageToken0123456789"
REPO = "pytorch/pytorch"
BASE = f"https://github.com/{REPO}"

# 2.4 with its first patch release on the real 2.4.1 day.
SCHEDULE = {"releases": [{"minor": "2.4", "branch_cut": "10 Jun 2024",
                          "release": "24 Jul 2024", "first_patch": "4 Sept 2024",
                          "second_patch": "Not planned"}]}


def comment_json(cid: int, author: str, body: str, created_at: str,
                 tracker: int = 132400) -> dict[str, Any]:
    """Returns an issue comment as the REST API lists it."""
    return {
        "url": f"https://api.github.com/repos/{REPO}/issues/comments/{cid}",
        "html_url": f"{BASE}/issues/{tracker}#issuecomment-{cid}",
        "issue_url": f"https://api.github.com/repos/{REPO}/issues/{tracker}",
        "id": cid, "node_id": "IC_kwDOA", "user": {"login": author, "id": cid, "type": "User"},
        "created_at": created_at, "updated_at": created_at,
        "author_association": "CONTRIBUTOR", "body": body,
    }


def three_block(trunk: int, release: int, criteria: str) -> str:
    return (f"Link to landed trunk PR (if applicable):\n* {BASE}/pull/{trunk}\n\n"
            f"Link to release branch PR:\n* {BASE}/pull/{release}\n\n"
            f"Criteria Category:\n{criteria}\n")


def serve_241(server: GitHubServer, *, late: bool = True, unclassified: bool = True,
              title: str = "cdist gives wrong grads on CPU") -> None:
    """The 2.4.1 patch release: milestone, tracker, labelled issues, nominations."""
    ms = milestone_json(REPO, 48, "2.4.1")
    server.milestones += [milestone_json(REPO, 47, "2.4.0", state="closed"), ms]
    tracker = issue_json(REPO, 132400, "[v2.4.1] Release Tracker", state="open",
                         labels=("oncall: releng", "release tracker", "triaged"))
    # The 2.4.0 tracker: a substring lookup would find it too.
    old = issue_json(REPO, 128436, "[v.2.4.0] Release Tracker", state="closed",
                     labels=("release tracker",))
    regression = issue_json(REPO, 131000, "torch.compile slower than in 2.3", state="open",
                            labels=("module: regression", "high priority"))
    items = [issue_json(REPO, 131200, "Fix the torch.export docs example", pr=True,
                        merged=True, labels=("module: docs",), milestone=ms)]
    server.issues += [tracker, old, regression]
    if unclassified:
        server.issues.append(issue_json(REPO, 131500, title, state="open",
                                        labels=("module: regression",)))
    server.milestone_items[48] = items
    comments = [comment_json(1, "pytorchbot", three_block(
        131100, 132500, f"Regression - {BASE}/issues/131000"), "2024-08-05T09:00:00Z")]
    if late:
        comments.append(comment_json(2, "latecomer", three_block(132000, 132700, "Docs"),
                                     "2024-08-27T18:30:00Z"))
    server.comments[132400] = comments


@pytest.fixture()
def env(tmp_path: pathlib.Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    e.update({"GITHUB_TOKEN": TOKEN, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    return e


@pytest.fixture()
def schedule(tmp_path: pathlib.Path) -> pathlib.Path:
    p = tmp_path / "schedule.json"
    p.write_text(json.dumps(SCHEDULE))
    return p


def triage(relkit_path: pathlib.Path, server: GitHubServer, env: dict[str, str],
           *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(relkit_path), "patch", "triage", "--github-repo", REPO, "--api-url", server.url,
         "--no-cache", *args],
        capture_output=True, text=True, timeout=60, env=env, check=False)


def test_json_lists_candidates_with_criteria_and_the_deadline(
        relkit_path: pathlib.Path, env: dict[str, str], schedule: pathlib.Path) -> None:
    with GitHubServer("pytorch", "pytorch", token=TOKEN) as server:
        serve_241(server)
        r = triage(relkit_path, server, env, "--milestone", "2.4.1", "--schedule",
                   str(schedule), "--date", "2024-08-20", "--json")
        assert r.returncode == 1, r.stderr  # one unclassified... problems to act on
        doc = json.loads(r.stdout)
        assert doc["release_branch"] == "release/2.4"
        assert doc["milestone"]["number"] == 48
        assert doc["tracker"]["number"] == 132400  # exact version, not [v.2.4.0]
        assert doc["deadline"]["day"] == "2024-08-21"
        assert doc["deadline"]["release_day"] == "2024-09-04"
        assert doc["days_left"] == 1
        by_number = {c["number"]: c for c in doc["candidates"]}
        assert sorted(by_number) == [131000, 131100, 131200, 131500, 132000]

        nominated = by_number[131100]
        assert nominated["sources"] == ["nomination"]
        assert nominated["classification"] == "regression"
        assert nominated["classification_origin"] == "nomination"
        assert nominated["linked_issue"]["number"] == 131000
        assert nominated["linked_issue"]["high_priority"] is True
        assert nominated["meets_criteria"] is True and nominated["late"] is False
        assert nominated["nominated_at"] == "2024-08-05T09:00:00Z"
        assert nominated["release_prs"] == [132500]

        assert by_number[131000]["nominated_fixes"] == [131100]
        assert by_number[131200]["sources"] == ["milestone"]
        assert by_number[131200]["classification"] == "docs"
        assert by_number[131200]["meets_criteria"] is True

        low = by_number[131500]
        assert low["sources"] == ["regression"]
        assert low["meets_criteria"] is False
        assert any("high priority" in reason for reason in low["reasons"])

        late = by_number[132000]
        assert late["late"] is True and late["meets_criteria"] is True  # docs: no link
        assert doc["late"] == 1 and doc["problems"] == 2

        # List requests only: no request per candidate, none unexpected.
        counts = server.counts()
        assert ("unexpected", 404) not in counts
        assert counts[("issue comments", 200)] == 1
        assert counts[("milestone items", 200)] == 1
        assert counts[("issues by label", 200)] == 4  # triage, regression, priority, trackers
        assert all(r.path.startswith("/repos/pytorch/pytorch/") for r in server.requests)


def test_text_report_and_exit_zero_when_everything_meets_the_criteria(
        relkit_path: pathlib.Path, env: dict[str, str], schedule: pathlib.Path) -> None:
    with GitHubServer("pytorch", "pytorch", token=TOKEN) as server:
        serve_241(server, late=False, unclassified=False)
        r = triage(relkit_path, server, env, "--milestone", "2.4.1", "--schedule",
                   str(schedule), "--date", "2024-08-10")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "Patch triage of pytorch/pytorch 2.4.1 (release/2.4)" in r.stdout
        assert "tracker: #132400 [v2.4.1] Release Tracker" in r.stdout
        assert "cherry-pick deadline: 2024-08-21, 11 days left" in r.stdout
        assert "4 Sept 2024" in r.stdout
        assert "PR    #131100" in r.stdout
        assert "nominated 2024-08-05 by @pytorchbot" in r.stdout
        assert "does not meet" not in r.stdout and "LATE" not in r.stdout
        assert "3 candidates: 3 meet the criteria, 0 do not, 0 nominated late" in r.stdout
        assert TOKEN not in r.stdout + r.stderr


def test_deadline_override_makes_a_nomination_late(
        relkit_path: pathlib.Path, env: dict[str, str], schedule: pathlib.Path) -> None:
    with GitHubServer("pytorch", "pytorch", token=TOKEN) as server:
        serve_241(server, late=False, unclassified=False)
        r = triage(relkit_path, server, env, "--milestone", "2.4.1", "--schedule",
                   str(schedule), "--date", "2024-08-10", "--deadline", "2024-08-04")
        assert r.returncode == 1, r.stderr
        assert "cherry-pick deadline: 2024-08-04, passed 6 days ago" in r.stdout
        assert "from --deadline" in r.stdout
        assert "LATE: nominated 2024-08-05, after the cherry-pick deadline 2024-08-04" \
            in r.stdout


def test_no_tracker_and_no_milestone_yet_are_notes(
        relkit_path: pathlib.Path, env: dict[str, str]) -> None:
    with GitHubServer("pytorch", "pytorch", token=TOKEN) as server:
        server.issues.append(issue_json(REPO, 185000, "regression in 2.12", state="open",
                                        labels=("module: regression", "high priority")))
        # The built-in schedule: 2.12.1 in "Jun 2026" (month only).
        r = triage(relkit_path, server, env, "--milestone", "2.12.1", "--date", "2026-05-20",
                   "--json")
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        assert doc["milestone"] is None and doc["tracker"] is None
        assert doc["deadline"]["day"] == "2026-05-18"
        assert doc["deadline"]["approximate"] is True
        assert [c["number"] for c in doc["candidates"]] == [185000]
        assert any("no milestone titled 2.12.1" in n for n in doc["notes"])
        assert any("no release tracker" in n for n in doc["notes"])


def test_bad_input_is_exit_2_before_any_request(
        relkit_path: pathlib.Path, env: dict[str, str]) -> None:
    with GitHubServer("pytorch", "pytorch", token=TOKEN) as server:
        for args, message in [(["--milestone", "2.4.0"], "is not a patch release"),
                              (["--milestone", "two"], "--milestone"),
                              (["--milestone", "2.4.1", "--deadline", "21/08/2024"],
                               'invalid date "21/08/2024" for --deadline')]:
            r = triage(relkit_path, server, env, *args)
            assert r.returncode == 2, (args, r.stderr)
            assert message in r.stderr
            assert r.stderr.count("\n") == 1
        assert server.requests == []


def test_unreadable_github_is_exit_3_and_names_no_token(
        relkit_path: pathlib.Path, env: dict[str, str]) -> None:
    with GitHubServer("pytorch", "pytorch", token="another-token") as server:
        r = triage(relkit_path, server, env, "--milestone", "2.4.1", "--verbose")
        assert r.returncode in (2, 3), r.stderr
        assert TOKEN not in r.stdout + r.stderr


def test_forged_title_is_escaped(relkit_path: pathlib.Path, env: dict[str, str],
                                 schedule: pathlib.Path) -> None:
    forged = "ok\nREADY: all criteria met\x1b[8m\r\u202eevil"
    with GitHubServer("pytorch", "pytorch", token=TOKEN) as server:
        serve_241(server, title=forged)
        server.comments[132400].append(comment_json(
            3, "x\x1b[2Jy", three_block(133000, 133001, "Docs\x1b]0;owned\x07"),
            "2024-08-06T00:00:00Z"))
        r = triage(relkit_path, server, env, "--milestone", "2.4.1", "--schedule",
                   str(schedule), "--date", "2024-08-20")
        assert r.returncode == 1, r.stderr
        for ch in r.stdout:
            assert ch == "\n" or not (ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f
                                      or ch == "\u202e"), repr(ch)
        assert r"ok\nREADY: all criteria met\x1b[8m\r\u202eevil" in r.stdout
        assert not any(line.startswith("READY") for line in r.stdout.splitlines())
        assert r"@x\x1b[2Jy" in r.stdout
        # JSON keeps the text exact.
        r = triage(relkit_path, server, env, "--milestone", "2.4.1", "--schedule",
                   str(schedule), "--date", "2024-08-20", "--json")
        titles = [c["title"] for c in json.loads(r.stdout)["candidates"]]
        assert forged in titles


def test_help_documents_exit_codes_and_example(relkit_path: pathlib.Path) -> None:
    r = subprocess.run([str(relkit_path), "patch", "triage", "--help"], capture_output=True,
                       text=True, timeout=30, check=False)
    assert r.returncode == 0
    for text in ("--milestone", "--deadline", "--schedule", "--date", "--json", "Exit 0",
                 "Example: relkit patch triage --milestone 2.4.1", "high priority"):
        assert text in r.stdout, text
