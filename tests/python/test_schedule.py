"""relkit.ReleaseSchedule from Python. Expected dates come from the cadence
table of tests/data/release_md_tables.md."""

from __future__ import annotations

import datetime

import pytest

import relkit


@pytest.fixture(scope="module")
def schedule() -> relkit.ReleaseSchedule:
    return relkit.ReleaseSchedule.default()


def test_rows_keep_firm_tentative_and_not_planned(schedule: relkit.ReleaseSchedule) -> None:
    assert len(schedule) == 16
    assert [r.minor for r in schedule.rows][:2] == ["2.1", "2.2"]
    row = schedule.find("2.14")
    assert row is not None
    # | 2.14 | 10 Aug 2026 | 2 Sept 2026 | (Oct 2026) | Not planned |
    assert row.branch_cut.start == datetime.date(2026, 8, 10)
    assert row.branch_cut.has_day and row.branch_cut.status == "firm"
    assert str(row.first_patch) == "(Oct 2026)"
    assert row.first_patch.tentative
    assert row.first_patch.end == datetime.date(2026, 10, 31)
    assert not row.second_patch.planned and row.second_patch.start is None
    assert relkit.ScheduleDate("Sep 2024") == relkit.ScheduleDate("Sept 2024")
    with pytest.raises(relkit.InvalidArgumentError, match="Soon"):
        relkit.ScheduleDate("Soon")


def test_phases_events_and_landing(schedule: relkit.ReleaseSchedule) -> None:
    day = datetime.date(2026, 8, 20)
    assert schedule.phase_on("2.14", day) == "branch cut"
    phases = schedule.phases_on(day)
    assert phases["2.15"] == "in development"
    assert phases["2.12"] == "out of support"
    assert schedule.phase_on("2.13", datetime.date(2026, 7, 20)) == "patch window"
    events = schedule.events_after(day, limit=2)
    assert [(e.title, e.kind) for e in events] == [
        ("2.14 release", "release"), ("2.14.1 patch release", "first patch")]
    assert schedule.release_for_work_on(day) == "2.15"
    with pytest.raises(relkit.NotFoundError):
        schedule.release_for_work_on(datetime.date(2030, 1, 1))
    with pytest.raises(relkit.NotFoundError):
        schedule.phase_on("9.9", day)
    with pytest.raises(TypeError):
        schedule.phase_on("2.14", "2026-08-20")  # type: ignore[arg-type]


def test_policy(schedule: relkit.ReleaseSchedule) -> None:
    assert schedule.check_policy() == []
    assert [m for m, _ in schedule.check_policy(max_patch_releases=1)] == ["2.1", "2.2"]


def test_ics_export(schedule: relkit.ReleaseSchedule) -> None:
    stamp = datetime.datetime(2026, 8, 20, 12, 0, 0, tzinfo=datetime.timezone.utc)
    ics = schedule.to_ics(dtstamp=stamp)
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTAMP:20260820T120000Z\r\n" in ics
    assert ics == schedule.to_ics(dtstamp=stamp.replace(tzinfo=None))  # naive = UTC
    assert "UID:pytorch-2.16-release@relkit\r\n" in ics
    assert "SUMMARY:Acme 2.16 release" in schedule.to_ics(dtstamp=stamp, project="Acme")


def test_records_html_and_json(schedule: relkit.ReleaseSchedule) -> None:
    records = schedule.to_records()
    assert records[0] == {"minor": "2.1", "branch_cut": "Aug 2023", "release": "Oct 2023",
                          "first_patch": "Nov 2023", "second_patch": "Dec 2023"}
    assert "<th>Minor Version</th>" in schedule._repr_html_()
    assert relkit.ReleaseSchedule.from_json(schedule.to_json()) == schedule
    assert relkit.ReleaseSchedule.from_markdown(schedule.to_markdown()) == schedule
