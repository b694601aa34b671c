"""`relkit milestone create` and `relkit milestone move` against the
GitHub-shaped server on 127.0.0.1: plans write nothing, --execute does what
the plan says, a rerun says "already applied", and a move that failed midway
is finished by the same command."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json, milestone_json  # noqa: E402

TOKEN = "ghp_MILESTONETESTTOKEN0123456789"


def milestone(server: GitHubServer, relkit_path: pathlib.Path,
              *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    return subprocess.run(
        [str(relkit_path), "milestone", *args, "--github-repo", "o/n", "--api-url", server.url,
         "--no-cache"],
        capture_output=True, text=True, timeout=60, env=env, check=False)


def test_create_plans_then_creates_release_and_patch_milestones(
        relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        plan = milestone(server, relkit_path, "create", "--version", "2.13.0")
        assert plan.returncode == 0, plan.stderr
        assert 'create "2.13.0", due 2026-07-08' in plan.stdout
        assert 'create "2.13.1", due none' in plan.stdout  # "(Aug 2026)": tentative
        assert server.writes("POST") == [] and server.milestone_titles() == []

        r = milestone(server, relkit_path, "create", "--version", "2.13.0", "--execute",
                      "--json")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert [m["outcome"] for m in out["applied"]["milestones"]] == ["created", "created"]
        assert server.milestone_titles() == ["2.13.0", "2.13.1"]
        m = server.milestone_by_title("2.13.0")
        assert m is not None and m["due_on"].startswith("2026-07-08")

        again = milestone(server, relkit_path, "create", "--version", "2.13.0", "--execute")
        assert again.returncode == 0, again.stderr
        assert "already applied" in again.stdout
        assert len(server.writes("POST", "milestones")) == 2
        assert TOKEN not in plan.stdout + plan.stderr + r.stdout + r.stderr + again.stdout


def test_create_shows_a_differing_due_date_and_changes_it_only_when_asked(
        relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        # The real title form "2.14.0 (release/2.14)", due on another day.
        ms = milestone_json("o/n", 5, "2.14.0 (release/2.14)")
        ms["due_on"] = "2026-09-09T07:00:00Z"
        server.milestones = [ms]
        r = milestone(server, relkit_path, "create", "--version", "2.14.0", "--execute")
        assert r.returncode == 0, r.stderr
        assert "unchanged: #5" in r.stdout
        assert server.writes("PATCH") == []
        assert server.milestone_titles() == ["2.14.0 (release/2.14)", "2.14.1"]

        plan = milestone(server, relkit_path, "create", "--version", "2.14.0")
        assert "the plan says 2026-09-02" in plan.stdout and "--update-due" in plan.stdout

        r = milestone(server, relkit_path, "create", "--version", "2.14.0", "--update-due",
                      "--execute")
        assert r.returncode == 0, r.stderr
        assert "due date updated: #5" in r.stdout
        assert server.milestone_by_title("2.14.0 (release/2.14)")["due_on"].startswith(  # type: ignore[index]
            "2026-09-02")


def seed_release(server: GitHubServer) -> None:
    ms = milestone_json("o/n", 3, "2.4.0", open_issues=3, closed_issues=2)
    server.milestones = [ms]
    server.milestone_items[3] = [
        issue_json("o/n", 10, "Closed fix", pr=True, merged=True, state="closed", milestone=ms),
        issue_json("o/n", 11, "Open regression \x1b[31mred\x1b[0m", state="open", milestone=ms),
        issue_json("o/n", 12, "Open PR", pr=True, state="open", milestone=ms),
        issue_json("o/n", 13, "Closed issue", state="closed", milestone=ms),
        issue_json("o/n", 14, "Another open one", state="open", milestone=ms),
    ]


def items_of(server: GitHubServer, number: int) -> list[tuple[int, str]]:
    return sorted((i["number"], i["state"]) for i in server.milestone_items.get(number, []))


def test_move_plans_moves_open_items_closes_old_and_rerun_is_already_applied(
        relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        seed_release(server)
        plan = milestone(server, relkit_path, "move", "--from", "2.4.0", "--to", "2.4.1")
        assert plan.returncode == 0, plan.stderr
        assert 'create "2.4.1"' in plan.stdout
        for n in (11, 12, 14):
            assert f"#{n}  " in plan.stdout
        assert "#10" not in plan.stdout and "#13" not in plan.stdout
        assert "\x1b" not in plan.stdout  # the title is escaped
        assert "2 closed items stay" in plan.stdout
        assert 'close milestone #3 "2.4.0"' in plan.stdout
        assert server.writes("POST") == [] and server.writes("PATCH") == []

        r = milestone(server, relkit_path, "move", "--from", "2.4.0", "--to", "2.4.1",
                      "--execute", "--json")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert [i["number"] for i in out["applied"]["moved"]] == [11, 12, 14]
        assert out["applied"]["closed_from"] is True
        new = server.milestone_by_title("2.4.1")
        assert new is not None
        assert items_of(server, new["number"]) == [(11, "open"), (12, "open"), (14, "open")]
        assert items_of(server, 3) == [(10, "closed"), (13, "closed")]
        assert server.milestone_by_title("2.4.0")["state"] == "closed"  # type: ignore[index]

        again = milestone(server, relkit_path, "move", "--from", "2.4.0", "--to", "2.4.1",
                          "--execute")
        assert again.returncode == 0, again.stderr
        assert "already applied" in again.stdout
        assert len(server.writes("PATCH", "issue")) == 3
        assert len(server.writes("POST", "milestones")) == 1
        assert TOKEN not in r.stdout + r.stderr + again.stdout + again.stderr


def fail_nth(server: GitHubServer, method: str, endpoint: str, n: int, kind: str) -> None:
    """Fails the `n`th `method` request to `endpoint` (counted from now) once."""
    seen = {"count": 0}
    take = server._take_fault  # noqa: SLF001 - a test-only wrapper around the real server

    def take_fault(m: str, e: str) -> Any:
        if m == method and e == endpoint:
            seen["count"] += 1
            if seen["count"] == n:
                return kind
        return take(m, e)

    server._take_fault = take_fault  # type: ignore[method-assign]  # noqa: SLF001


def test_move_that_fails_midway_is_finished_by_the_rerun(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        seed_release(server)
        fail_nth(server, "PATCH", "issue", 2, "422")
        r = milestone(server, relkit_path, "move", "--from", "2.4.0", "--to", "2.4.1",
                      "--execute")
        assert r.returncode != 0
        assert "Validation Failed" in r.stderr or "invalid" in r.stderr.lower()
        assert TOKEN not in r.stdout + r.stderr
        new = server.milestone_by_title("2.4.1")
        assert new is not None
        assert [n for n, _ in items_of(server, new["number"])] == [11]  # moved before the fault
        assert server.milestone_by_title("2.4.0")["state"] == "open"  # type: ignore[index]

        plan = milestone(server, relkit_path, "move", "--from", "2.4.0", "--to", "2.4.1")
        assert "(exists)" in plan.stdout  # no second milestone
        assert "#11" not in plan.stdout and "#12  " in plan.stdout and "#14  " in plan.stdout

        again = milestone(server, relkit_path, "move", "--from", "2.4.0", "--to", "2.4.1",
                          "--execute")
        assert again.returncode == 0, again.stderr
        assert [n for n, _ in items_of(server, new["number"])] == [11, 12, 14]
        assert server.milestone_by_title("2.4.0")["state"] == "closed"  # type: ignore[index]
        assert server.milestone_titles() == ["2.4.0", "2.4.1"]


def test_move_from_unknown_milestone_is_not_found(relkit_path: pathlib.Path) -> None:
    with GitHubServer("o", "n", token=TOKEN) as server:
        seed_release(server)
        r = milestone(server, relkit_path, "move", "--from", "2.4", "--to", "2.4.1")
        assert r.returncode != 0
        assert "2.4" in r.stderr
        assert server.writes("POST") == []


def test_move_to_a_title_that_is_not_a_release_creates_nothing(
        relkit_path: pathlib.Path) -> None:
    # A number or a typo in --to must not become a new milestone (review of
    # issue 13): only a release version X.Y.Z is created when missing.
    with GitHubServer("o", "n", token=TOKEN) as server:
        seed_release(server)
        for to in ("63", "2.4.l"):
            r = milestone(server, relkit_path, "move", "--from", "2.4.0", "--to", to,
                          "--execute")
            assert r.returncode == 2, r.stdout + r.stderr
            assert "only when it is a release version X.Y.Z" in r.stderr
        assert server.writes("POST") == [] and server.writes("PATCH") == []
        assert server.milestone_titles() == ["2.4.0"]


def test_due_dates_are_sent_at_midday_utc(relkit_path: pathlib.Path) -> None:
    # GitHub keeps a due date as a Pacific day: midnight UTC would become the
    # day before. Midday UTC is the same day in UTC and every US zone.
    with GitHubServer("o", "n", token=TOKEN) as server:
        r = milestone(server, relkit_path, "create", "--version", "2.13.0", "--execute")
        assert r.returncode == 0, r.stderr
        assert server.milestone_by_title("2.13.0")["due_on"] == (  # type: ignore[index]
            "2026-07-08T12:00:00Z")


def test_execute_with_a_snapshot_is_refused_before_anything(
        relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    # A snapshot cannot be written: --execute with it is refused up front, by
    # every writing command, before any step (the bot would push first).
    for args in (["milestone", "move", "--from", "2.4.0", "--to", "2.4.1"],
                 ["tracker", "create", "--version", "2.4.0"],
                 ["cherry-pick", "apply", "--pr", "1", "--onto", "release/2.4", "-c", "docs",
                  "--repo", str(tmp_path)]):
        r = subprocess.run([str(relkit_path), *args, "--github-repo", "o/n", "--snapshot",
                            str(tmp_path), "--execute"],
                           capture_output=True, text=True, timeout=60, check=False)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert "--snapshot replays a snapshot that cannot be written" in r.stderr
        assert r.stdout == ""
