"""relkit.CompatibilityMatrix from Python. Expected values are read off the
RELEASE.md tables (tests/data/release_md_seed.md, tests/data/release_md_tables.md)."""

from __future__ import annotations

import datetime
import html.parser
import json
from pathlib import Path

import pytest

import relkit

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def matrix() -> relkit.CompatibilityMatrix:
    return relkit.CompatibilityMatrix.default()


def test_default_covers_1_12_to_2_14(matrix: relkit.CompatibilityMatrix) -> None:
    releases = [row.release for row in matrix]
    assert len(matrix) == 17
    assert releases[0] == "2.14" and releases[-1] == "1.12"
    assert "<CompatibilityMatrix 17 releases 1.12..2.14>" == repr(matrix)


def test_row_fields_and_statuses(matrix: relkit.CompatibilityMatrix) -> None:
    row = matrix.find("2.4.1")
    assert row is not None and row.release == "2.4"
    assert row.python_text == ">=3.8, <=3.12"
    assert isinstance(row.python, relkit.SpecifierSet)
    assert "3.12" in row.python
    assert [c.version for c in row.stable_cuda] == ["11.8", "12.1"]
    assert row.stable_cuda[0].cudnn == "9.1.0.70"
    assert row.stable_rocm == ["6.1"]
    assert row.python_status("3.12") == "stable"
    assert row.cuda_status("12.4") == "experimental"
    assert row.rocm_status("6.0") == "unsupported"
    r214 = matrix.find("2.14")
    assert r214 is not None
    assert r214.python_status("3.15t") == "experimental"
    assert r214.cxx_standard == "C++20"
    assert r214.stable_cuda[0].nccl == "2.29.3"
    assert r214.stable_cuda[0].arches_aarch64 == ["8.0", "9.0"]
    assert matrix.find("3.0") is None


def test_bad_python_version_raises_value_error(matrix: relkit.CompatibilityMatrix) -> None:
    row = matrix.find("2.4")
    assert row is not None
    with pytest.raises(relkit.InvalidArgumentError, match="python3"):
        row.python_status("python3")
    with pytest.raises(ValueError):
        row.cuda_status("x")


def test_diff_and_releases_supporting(matrix: relkit.CompatibilityMatrix) -> None:
    d = matrix.diff("2.3", "2.4")
    assert d.summary() == (
        "2.4 adds Python 3.12, CUDA 12.1, CUDA 12.4 experimental, ROCm 6.1; drops ROCm 6.0"
    )
    assert str(d) == d.summary()
    first = d.changes[0]
    assert (first.kind, first.name, first.before, first.after) == (
        "python", "Python 3.12", "experimental", "stable")
    with pytest.raises(relkit.NotFoundError):
        matrix.diff("2.3", "9.9")
    assert matrix.releases_supporting_python("3.7") == ["1.12", "1.13"]
    assert matrix.releases_supporting_python("3.13t", include_experimental=True) == [
        "2.6", "2.7", "2.8"]


def test_seed_markdown_round_trip() -> None:
    text = (DATA / "release_md_seed.md").read_text()
    seed = relkit.CompatibilityMatrix.from_markdown(text, "release_md_seed.md")
    assert seed.to_markdown("seed").splitlines() == text.splitlines()[1:10]
    with pytest.raises(relkit.InvalidArgumentError):
        seed.to_markdown("other")


def test_json_round_trip_and_errors(matrix: relkit.CompatibilityMatrix) -> None:
    text = matrix.to_json()
    assert relkit.CompatibilityMatrix.from_json(text) == matrix
    doc = json.loads(text)
    assert doc["releases"][0]["release"] == "2.14"
    with pytest.raises(relkit.InvalidArgumentError, match=r"m.json: \$.releases"):
        relkit.CompatibilityMatrix.from_json('{"releases": 3}', "m.json")


def test_malformed_markdown_names_source_and_line() -> None:
    text = (
        "PyTorch version | Python | Stable CUDA | Experimental CUDA | Stable ROCm |\n"
        "---|---|---|---|---|\n"
        "2.4 | >=3.8 | CUDA 11.8 |\n"
    )
    with pytest.raises(ValueError, match="RELEASE.md:3: expected 5 cells, got 3"):
        relkit.CompatibilityMatrix.from_markdown(text, "RELEASE.md")


def test_records_and_html(matrix: relkit.CompatibilityMatrix) -> None:
    records = matrix.to_records()
    assert len(records) == 17
    r24 = next(r for r in records if r["release"] == "2.4")
    assert r24["python_versions"] == ["3.8", "3.9", "3.10", "3.11", "3.12"]
    assert r24["stable_cuda"] == ["11.8", "12.1"]
    assert r24["experimental_cuda"] == ["12.4"]
    assert r24["stable_rocm"] == ["6.1"]

    class Cells(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag == "tr":
                self.rows.append([])

        def handle_data(self, data: str) -> None:
            if self.rows and data.strip():
                self.rows[-1].append(data)

    parser = Cells()
    parser.feed(matrix._repr_html_())
    assert parser.rows[0][:3] == ["PyTorch version", "Python", "C++"]
    assert len(parser.rows) == 18
    # "<=" must be escaped in the HTML and come back intact.
    row24 = next(r for r in parser.rows if r[0] == "2.4")
    assert row24[1] == ">=3.8, <=3.12"


# --- support policy ---------------------------------------------------------


@pytest.fixture(scope="module")
def policy() -> relkit.SupportPolicy:
    return relkit.SupportPolicy.default()


def test_cpython_table_and_supported_pythons(policy: relkit.SupportPolicy) -> None:
    py38 = policy.cpython[1]
    assert (py38.version, py38.released, py38.end_of_life) == (
        "3.8", datetime.date(2019, 10, 14), datetime.date(2024, 10, 7))
    supported = [p.version for p in policy.supported_pythons(datetime.date(2025, 1, 1))]
    assert supported == ["3.9", "3.10", "3.11", "3.12", "3.13", "3.13t"]
    assert policy.to_records()[2]["eol_month_only"] is True  # 3.9: "2025-10"
    assert "<td>2025-10</td>" in policy._repr_html_()


def test_operating_systems(policy: relkit.SupportPolicy) -> None:
    assert len(policy.operating_systems_for("2.2")) == 5
    assert [(o.family, o.arch) for o in policy.operating_systems_for("2.3")] == [
        ("Linux", "x86_64"), ("Linux", "aarch64"), ("macOS", "arm64"), ("Windows", "x86_64")]


def test_latest_two_minors_are_numeric() -> None:
    assert relkit.latest_minor_versions(["7.2", "7.14", "6.4"]) == ["7.2", "7.14"]
    with pytest.raises(relkit.InvalidArgumentError):
        relkit.latest_minor_versions(["x"])


def test_propose_and_check(policy: relkit.SupportPolicy,
                           matrix: relkit.CompatibilityMatrix) -> None:
    row = policy.propose_matrix_row("2.5", datetime.date(2024, 10, 17),
                                    available_cuda=["11.8", "12.1", "12.4"])
    assert row.python_text == ">=3.9, <=3.12, (3.13, 3.13t experimental)"
    assert [c.version for c in row.stable_cuda] == ["12.1", "12.4"]
    r23 = matrix.find("2.3")
    assert r23 is not None
    deviations = policy.check_matrix_row(r23, datetime.date(2024, 4, 24))
    assert [(d.kind, d.subject) for d in deviations] == [("experimental python", "Python 3.12")]
    r29 = matrix.find("2.9")
    assert r29 is not None
    accel = policy.check_matrix_row(r29, datetime.date(2025, 11, 1),
                                    available_cuda=["12.6", "12.8", "12.9", "13.0"])
    assert [d.subject for d in accel if d.kind == "missing accelerator"] == ["CUDA 12.9"]
