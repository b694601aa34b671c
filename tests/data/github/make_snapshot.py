"""Writes tests/data/github/snapshot/: a hand-made relkit snapshot (saved
GitHub REST responses, see include/relkit/snapshot.h) of a small invented
repository, example/project, used by the milestone, CLI and Python tests.

Run from anywhere: python3 make_snapshot.py. File names follow
relkit::SnapshotFileName (key with unsafe characters replaced + FNV-1a 64 of
"GET <key>").
"""

from __future__ import annotations

import json
import pathlib
import shutil

OUT = pathlib.Path(__file__).resolve().parent / "snapshot"
REPO = "repos/example/project"
HTML = "https://github.com/example/project"
SHA = "0123456789abcdef0123456789abcdef01234567"


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def file_name(key: str, method: str = "GET") -> str:
    name = "" if method == "GET" else method + "_"
    for c in key[:120]:
        name += c if (c.isascii() and c.isalnum()) or c in ".-=" else "_"
    return f"{name or 'root'}.{fnv1a64(f'{method} {key}'.encode()):016x}.json"


def write(key: str, body: object, status: int = 200, headers: dict[str, str] | None = None) -> None:
    entry = {"request": f"GET {key}", "status": status, "headers": headers or {}, "json": body}
    (OUT / file_name(key)).write_text(json.dumps(entry, indent=2) + "\n", encoding="utf-8")


def user(login: str) -> dict[str, str]:
    return {"login": login}


def item(number: int, title: str, state: str, labels: list[str], pr: str | None = None,
         body: str = "") -> dict[str, object]:
    d: dict[str, object] = {
        "number": number,
        "title": title,
        "state": state,
        "labels": [{"name": l} for l in labels],
        "html_url": f"{HTML}/{'pull' if pr is not None else 'issues'}/{number}",
        "user": user("dev"),
        "body": body,
        "milestone": {"number": 7, "title": "2.4.0 (release/2.4)"},
        "closed_at": None if state == "open" else "2024-07-01T12:00:00Z",
    }
    if pr is not None:
        d["pull_request"] = {"url": f"https://api.github.com/{REPO}/pulls/{number}",
                             "merged_at": pr or None}
    return d


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    m7 = {"number": 7, "title": "2.4.0 (release/2.4)", "state": "open",
          "description": "branch: release/2.4", "due_on": "2024-07-24T07:00:00Z",
          "open_issues": 1, "closed_issues": 3, "html_url": f"{HTML}/milestone/7"}
    m6 = {"number": 6, "title": "2.3.1", "state": "closed", "description": None,
          "due_on": None, "open_issues": 0, "closed_issues": 5,
          "html_url": f"{HTML}/milestone/6"}
    write(f"{REPO}/milestones?state=all&per_page=100", [m7, m6])
    write(f"{REPO}/milestones/7", m7)
    write(f"{REPO}/milestones/99", {"message": "Not Found",
                                     "documentation_url": "https://docs.github.com/rest"}, 404)
    page1 = f"{REPO}/issues?milestone=7&state=all&per_page=100"
    write(page1, [
        item(101, "Fix the regression in foo", "closed", ["module: regression"],
             pr="2024-06-20T10:00:00Z", body="Fixes #102"),
        item(102, "foo is slower than in 2.3", "closed", ["module: regression"]),
        item(103, "Try another approach", "closed", [], pr=""),
    ], headers={"link": f"<{page1}&page=2>; rel=\"next\", <{page1}&page=2>; rel=\"last\""})
    write(f"{page1}&page=2", [
        item(104, "Support bar on new hardware", "open", ["release-feature-request"]),
        item(105, "Crash in baz", "open", ["topic: crash"]),
    ], headers={"link": f"<{page1}>; rel=\"first\""})
    write(f"{REPO}/issues?state=all&labels=release%20tracker&per_page=100", [
        {"number": 100, "title": "[v2.4.0] Release Tracker", "state": "open",
         "labels": [{"name": "release tracker"}], "html_url": f"{HTML}/issues/100",
         "user": user("releng"), "body": "", "closed_at": None},
        {"number": 90, "title": "[v.2.14.0] Release Tracker", "state": "closed",
         "labels": [{"name": "release tracker"}], "html_url": f"{HTML}/issues/90",
         "user": user("releng"), "body": "", "closed_at": "2024-01-01T00:00:00Z"},
    ])
    write(f"{REPO}/issues/100/comments?per_page=100", [
        {"id": 1, "user": user("dev"), "html_url": f"{HTML}/issues/100#issuecomment-1",
         "created_at": "2024-06-21T09:00:00Z", "updated_at": "2024-06-21T09:00:00Z",
         "body": "Link to landed trunk PR (if applicable):\n"
                 f"* {HTML}/pull/101\n\nLink to release branch PR:\n* {HTML}/pull/111\n\n"
                 f"Criteria Category:\nRegression - Https://github.com/example/project/issues/102"},
        {"id": 2, "user": user("other"), "html_url": f"{HTML}/issues/100#issuecomment-2",
         "created_at": "2024-06-22T09:00:00Z", "updated_at": "2024-06-23T09:00:00Z",
         "body": f"- Trunk PR: {HTML}/pull/106\n- Cherry-pick PR: {HTML}/pull/112\n"
                 "- Category: docs\n---\n@releng: merged"},
        {"id": 3, "user": user("releng"), "html_url": f"{HTML}/issues/100#issuecomment-3",
         "created_at": "2024-06-24T09:00:00Z", "updated_at": "2024-06-24T09:00:00Z",
         "body": "Approved, thanks!"},
    ])
    write(f"{REPO}/pulls/101", {
        "number": 101, "title": "Fix the regression in foo", "state": "closed", "merged": True,
        "merged_at": "2024-06-20T10:00:00Z", "merge_commit_sha": SHA,
        "html_url": f"{HTML}/pull/101", "body": "Fixes #102",
        "base": {"ref": "main"}, "head": {"ref": "fix-foo", "sha": "f" * 40}})
    write(f"{REPO}/commits/{SHA}/status?per_page=100", {
        "state": "success", "sha": SHA, "total_count": 1,
        "statuses": [{"context": "ci/lint", "state": "success", "description": "ok",
                      "target_url": "https://ci.example.com/1"}]})
    write(f"{REPO}/commits/{SHA}/check-runs?per_page=100", {
        "total_count": 2,
        "check_runs": [
            {"id": 11, "name": "pull / linux-build", "status": "completed",
             "conclusion": "success", "html_url": f"{HTML}/runs/11"},
            {"id": 12, "name": "pull / docs", "status": "completed",
             "conclusion": "skipped", "html_url": f"{HTML}/runs/12"}]})


if __name__ == "__main__":
    main()
