"""`relkit tracker create` against the GitHub-shaped server on 127.0.0.1:
the plan writes nothing, --execute opens exactly the tracker and the
validation issue, a rerun opens nothing, an existing tracker is matched by
exact version, and a response dropped after the create is found again."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json  # noqa: E402

TOKEN = "ghp_TRACKERTESTTOKEN0123456789"


def tracker(server: GitHubServer, relkit_path: pathlib.Path, *args: str,
            token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_TOKEN": token}
    return subprocess.run(
        [str(relkit_path), "tracker", "create", "--github-repo", "o/n", "--api-url", server.url,
         "--no-cache", *args],
        capture_output=True, text=True, timeout=60, env=env, check=False)


def test_plan_prints_both_issues_and_creates_nothing(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        r = tracker(server, relkit_path, "--version", "2.13.0")
        assert r.returncode == 0, r.stderr
        assert '"[v.2.13.0] Release Tracker"' in r.stdout
        assert '"Validations for 2.13.0 release"' in r.stdout
        assert "labels: release tracker, triaged" in r.stdout
        # The real 2.13 tracker's dates, from the default schedule.
        assert "M3 week of 8/6/26" in r.stdout and "M6 8/7/26" in r.stdout
        assert "2 issues to create" in r.stdout
        assert server.writes("POST") == [] and server.writes("PATCH") == []
        assert server.issue_titles() == []
        assert TOKEN not in r.stdout + r.stderr


def test_execute_creates_tracker_and_validation_then_rerun_creates_nothing(
        relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        r = tracker(server, relkit_path, "--version", "2.13.0", "--execute", "--json",
                    "--release-managers", "@alice")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["dry_run"] is False
        assert [i["created"] for i in out["applied"]["issues"]] == [True, True]
        assert server.issue_titles() == ["[v.2.13.0] Release Tracker",
                                         "Validations for 2.13.0 release"]
        t = server.issue(1)
        assert t is not None
        assert {lbl["name"] for lbl in t["labels"]} == {"release tracker", "triaged"}
        assert "* M4: Release branch finalized" in t["body"]
        assert "(week of 22/6/26)" in t["body"]
        assert "(currently @alice )" in t["body"]
        v = server.issue(2)
        assert v is not None and "issues/1)" in v["body"]  # links the new tracker
        assert len(server.writes("POST", "issues")) == 2

        again = tracker(server, relkit_path, "--version", "2.13.0", "--execute")
        assert again.returncode == 0, again.stderr
        assert "already applied" in again.stdout
        assert "already exists #1" in again.stdout and "already exists #2" in again.stdout
        assert len(server.writes("POST", "issues")) == 2
        assert len(server.issue_titles()) == 2

        plan = tracker(server, relkit_path, "--version", "2.13.0")
        assert "tracker: exists: #1 " in plan.stdout
        assert "nothing to create" in plan.stdout
        assert TOKEN not in r.stdout + r.stderr + again.stdout + again.stderr


def seed_tracker(server: GitHubServer, number: int, title: str) -> None:
    server.issues.append(issue_json("o/n", number, title, state="open",
                                    labels=("release tracker", "triaged")))


def test_existing_tracker_matches_by_exact_version_only(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        seed_tracker(server, 7, "[v.2.4.10] Release Tracker")
        r = tracker(server, relkit_path, "--version", "2.4.1", "--json")
        assert r.returncode == 0, r.stderr
        issues = json.loads(r.stdout)["issues"]
        assert issues[0]["role"] == "tracker" and issues[0]["action"] == "create"
        assert issues[0]["title"] == "[v2.4.1] Release Tracker"

        seed_tracker(server, 8, "[v2.4.1] Release Tracker")
        r = tracker(server, relkit_path, "--version", "2.4.1", "--execute", "--json")
        assert r.returncode == 0, r.stderr
        applied = json.loads(r.stdout)["applied"]["issues"]
        assert applied[0] == {"role": "tracker", "title": "[v2.4.1] Release Tracker",
                              "number": 8, "url": "https://github.com/o/n/issues/8",
                              "created": False}
        # Only the validation issue was opened.
        assert [json.loads(w.body)["title"] for w in server.writes("POST", "issues")] == [
            "Validations for 2.4.1 release"]


def test_patch_version_renders_the_patch_tracker(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        r = tracker(server, relkit_path, "--version", "2.12.1", "--json")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["patch"] is True
        body = out["issues"][0]["body"]
        assert "high-priority GitHub issue" in body
        assert "release/2.12" in body


def test_dropped_response_after_create_is_found_on_rerun(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        server.fail_next("POST", "issues", "drop-after-create")
        first = tracker(server, relkit_path, "--version", "2.13.0", "--execute")
        # The answer to the tracker's POST was lost; the lookup before the
        # retry finds the tracker there and sends no second POST.
        assert first.returncode == 0, first.stderr
        assert len(server.writes("POST", "issues")) == 2  # tracker + validation
        assert "tracker: already exists #1" in first.stdout
        again = tracker(server, relkit_path, "--version", "2.13.0", "--execute")
        assert again.returncode == 0, first.stderr + again.stderr
        assert server.issue_titles().count("[v.2.13.0] Release Tracker") == 1
        assert server.issue_titles().count("Validations for 2.13.0 release") == 1
        assert TOKEN not in first.stdout + first.stderr + again.stdout + again.stderr


def test_422_is_shown_in_plain_words(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        server.fail_next("POST", "issues", "422")
        r = tracker(server, relkit_path, "--version", "2.13.0", "--execute")
        assert r.returncode != 0
        assert "body is too long" in r.stderr
        assert TOKEN not in r.stdout + r.stderr
        assert server.issue_titles() == []


def test_bad_version_and_missing_dates_are_usage_errors(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        r = tracker(server, relkit_path, "--version", "2.13.0rc1")
        assert r.returncode == 2 and "not a release" in r.stderr
        # 2.4 is known to the month only: M4 must be given.
        r = tracker(server, relkit_path, "--version", "2.4.0")
        assert r.returncode == 2 and "--m4" in r.stderr
        r = tracker(server, relkit_path, "--version", "2.4.0", "--m4", "week of 1/7/24",
                    "--m4-1", "9/7/24", "--m5", "10/7/24")
        assert r.returncode == 0, r.stderr
        assert "M3 Jun 2024" in r.stdout
        assert server.writes("POST") == []
