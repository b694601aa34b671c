"""relkit.check_readiness and relkit.validate_milestone on the demo repository
with a matching snapshot (offline)."""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

import relkit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "data" / "github"))
from demo_snapshot import Change, write_demo_snapshot  # noqa: E402


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[relkit.DemoRepository, pathlib.Path]:
    base = tmp_path_factory.mktemp("readiness")
    d = relkit.build_demo_repository(str(base / "demo.git"))
    head = relkit.Repository.open(d.path).resolve(d.release_branch)
    changes = [Change(c.pr, c.title, c.branch_pr) for c in d.changes if c.role != "main-only"]
    write_demo_snapshot(base / "snap", changes, head, conclusion="failure")
    return d, base / "snap"


def _role(d: relkit.DemoRepository, role: str) -> relkit.DemoChange:
    return next(c for c in d.changes if c.role == role)


def test_check_readiness_reports_each_criterion(
        demo: tuple[relkit.DemoRepository, pathlib.Path]) -> None:
    d, snap = demo
    client = relkit.GitHubClient(snapshot=str(snap))
    report = relkit.check_readiness(d.path, client, "o/n", d.release_branch, "2.4.0")
    assert not report.ready
    passed = {c.id: c.passed for c in report.criteria}
    assert passed == {
        "no-open-items": False,
        "milestone-prs-present": False,
        "no-outstanding-picks": False,
        "no-reverts-needed": False,
        "rc-tag-at-head": passed["rc-tag-at-head"],
        "ci-green": False,
    }
    assert report.tracker_issue == 100
    states = {p.trunk_prs[0]: p.state for p in report.cherry_picks}
    assert states[_role(d, "never-picked").pr] == "outstanding"
    assert states[_role(d, "reverted-on-main").pr] == "needs-revert"
    assert states[_role(d, "picked").pr] == "in-branch"
    assert json.loads(report.to_json())["ready"] is False
    assert "Still &lt;broken&gt;" in report._repr_html_()
    assert "not ready" in repr(report)


def test_validate_milestone_gives_status_and_evidence(
        demo: tuple[relkit.DemoRepository, pathlib.Path]) -> None:
    d, snap = demo
    client = relkit.GitHubClient(snapshot=str(snap))
    m = client.find_milestone("o/n", "9")
    v = relkit.validate_milestone(d.path, d.release_branch, m, client.milestone_items("o/n", 9))
    by_number = {i.item.number: i for i in v.items}
    never = by_number[_role(d, "never-picked").pr]
    assert never.status == "missing"
    assert never.missing_commits == [_role(d, "never-picked").main_commit]
    conflict = by_number[_role(d, "conflict-resolved").pr]
    assert conflict.status == "present"
    assert "pr-number" in conflict.in_branch[0].evidence
    assert by_number[42].status == "open"
    assert v.analyze_lines().splitlines()[2] == "URL;Title;Status"


def test_unknown_milestone_is_a_lookup_error(
        demo: tuple[relkit.DemoRepository, pathlib.Path]) -> None:
    d, snap = demo
    client = relkit.GitHubClient(snapshot=str(snap))
    with pytest.raises(LookupError):
        relkit.check_readiness(d.path, client, "o/n", d.release_branch, "9.9.9")


def test_check_readiness_uses_the_audit_cache_and_says_when_it_cannot(
        demo: tuple[relkit.DemoRepository, pathlib.Path], tmp_path: pathlib.Path) -> None:
    d, snap = demo

    def check(cache_dir: str | None = None) -> relkit.ReadinessReport:
        client = relkit.GitHubClient(snapshot=str(snap))  # its own request count
        return relkit.check_readiness(d.path, client, "o/n", d.release_branch, "2.4.0",
                                      cache_dir=cache_dir)

    plain = check()
    assert plain.audit_cache_problem == ""  # no cache asked for
    cache = tmp_path / "git"
    cache.mkdir()
    (cache / "diff-facts-v1.bin").write_bytes(b"damaged")
    damaged = check(str(cache))
    assert "not a diff-facts cache file" in damaged.audit_cache_problem
    assert damaged.to_json() == plain.to_json()  # the report stands
    again = check(str(cache))
    assert again.audit_cache_problem == ""  # replaced by a good file
    assert (cache / "diff-facts-v1.bin").read_bytes() != b"damaged"


def test_reports_render_with_the_cli_code(
        demo: tuple[relkit.DemoRepository, pathlib.Path]) -> None:
    """Every report's text and JSON come from the library's one renderer, as
    the CLI prints them (relkit audit branch/missing, milestone check, check)."""
    d, snap = demo
    client = relkit.GitHubClient(snapshot=str(snap))
    m = client.find_milestone("o/n", "9")
    v = relkit.validate_milestone(d.path, d.release_branch, m, client.milestone_items("o/n", 9))
    doc = json.loads(v.to_json("o/n"))
    problems = sum(i.status in ("missing", "open") for i in v.items)
    assert doc["repository"] == "o/n"
    assert doc["problems"] == problems > 0
    assert [i["number"] for i in doc["items"]] == [i.item.number for i in v.items]
    text = v.to_text("o/n")
    assert text.startswith(f"o/n milestone {m.title} against {d.release_branch} (")
    assert text.endswith(f"\n{len(v.items)} items, {problems} open or missing\n")

    report = relkit.check_readiness(d.path, client, "o/n", d.release_branch, "2.4.0")
    assert json.loads(report.to_json())["items"] == doc["items"]
    assert report.to_text().startswith(f"Final RC readiness: o/n {d.release_branch} at ")
    assert report.to_html() == report._repr_html_()

    audit = relkit.audit_branch(relkit.Repository.open(d.path), d.release_branch)
    assert [c["sha"] for c in json.loads(audit.to_json())["commits"]] == [
        c.sha for c in audit.commits]
    assert audit.to_text().startswith(f"{d.release_branch}: cut point ")
    never = _role(d, "never-picked")
    results = audit.find_prs([never.pr])
    assert audit.presence_text(results) == (
        f"#{never.pr} missing (on {d.main} as {never.main_commit[:12]})\n")
    assert json.loads(audit.presence_json(results))["results"][0]["state"] == "missing"
