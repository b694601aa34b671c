"""Writes a relkit snapshot of repository o/n that matches the demo repository
(`relkit demo --keep DIR` / `relkit.build_demo_repository`): milestone 9
"2.4.0 (release/2.4)" with the demo's requested PRs (closed, merged) and one
open issue (#42), tracker issue #100 with a nomination per requested PR, and
the CI state of the release branch head. Used by the CLI and Python tests of
`relkit check`, `relkit milestone check` and `relkit.github_analyze`.
"""

from __future__ import annotations

import json
import pathlib
from typing import Iterable, NamedTuple

from make_snapshot import file_name

HTML = "https://github.com/o/n"
REPO = "repos/o/n"


class Change(NamedTuple):
    pr: int
    title: str
    branch_pr: int | None


def _write(snap: pathlib.Path, key: str, body: object) -> None:
    entry = {"request": f"GET {key}", "status": 200, "headers": {}, "json": body}
    (snap / file_name(key)).write_text(json.dumps(entry), encoding="utf-8")


def _item(number: int, title: str, pr: bool, state: str) -> dict[str, object]:
    d: dict[str, object] = {
        "number": number, "title": title, "state": state, "labels": [],
        "html_url": f"{HTML}/{'pull' if pr else 'issues'}/{number}",
        "user": {"login": "dev"}, "body": "",
    }
    if pr:
        d["pull_request"] = {"merged_at": "2024-06-20T10:00:00Z" if state == "closed" else None}
    return d


def write_demo_snapshot(snap: pathlib.Path, changes: Iterable[Change], head: str,
                        conclusion: str = "success") -> None:
    """Writes the snapshot into `snap` (created)."""
    changes = list(changes)
    snap.mkdir(parents=True, exist_ok=True)
    milestone = {"number": 9, "title": "2.4.0 (release/2.4)", "state": "open",
                 "open_issues": 1, "closed_issues": len(changes),
                 "html_url": f"{HTML}/milestone/9"}
    _write(snap, f"{REPO}/milestones?state=all&per_page=100", [milestone])
    _write(snap, f"{REPO}/milestones/9", milestone)
    _write(snap, f"{REPO}/issues?milestone=9&state=all&per_page=100",
           [_item(c.pr, c.title, True, "closed") for c in changes]
           + [_item(42, "Still <broken> & open", False, "open")])
    comments = []
    for i, c in enumerate(changes):
        release = c.branch_pr or c.pr + 1000000
        comments.append({
            "id": i + 1, "user": {"login": "dev"},
            "html_url": f"{HTML}/issues/100#issuecomment-{i + 1}",
            "body": (f"Link to landed trunk PR (if applicable):\n* {HTML}/pull/{c.pr}\n\n"
                     f"Link to release branch PR:\n* {HTML}/pull/{release}\n\n"
                     "Criteria Category:\nRegression")})
    _write(snap, f"{REPO}/issues/100/comments?per_page=100", comments)
    _write(snap, f"{REPO}/issues?state=all&labels=release%20tracker&per_page=100", [
        {"number": 100, "title": "[v2.4.0] Release Tracker", "state": "open",
         "labels": [{"name": "release tracker"}], "html_url": f"{HTML}/issues/100",
         "user": {"login": "releng"}, "body": ""}])
    _write(snap, f"{REPO}/commits/{head}/status?per_page=100",
           {"state": "success", "sha": head, "statuses": [
               {"context": "ci/lint", "state": "success", "description": "", "target_url": ""}]})
    _write(snap, f"{REPO}/commits/{head}/check-runs?per_page=100",
           {"total_count": 1, "check_runs": [
               {"id": 1, "name": "pull / linux-build", "status": "completed",
                "conclusion": conclusion, "html_url": ""}]})
