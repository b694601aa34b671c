"""relkit.BuildMatrix: the binary build matrix tables and generator, checked
against test-infra's reference outputs (tests/data/build_matrix/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import relkit

DATA = Path(__file__).resolve().parents[1] / "data" / "build_matrix"

# reference file -> generate() options that produced it (ASSETS.md)
REFERENCES: dict[str, dict[str, Any]] = {
    "build_matrix_linux_wheel_cuda.json": {"with_xpu": False},
    "build_matrix_linux_wheel_cuda_norocm.json": {"with_rocm": False, "with_xpu": False},
    "build_matrix_linux_wheel_nocpu.json": {"with_cpu": False, "with_xpu": False},
    "build_matrix_linux_wheel_xpu.json": {"with_cpu": False, "with_rocm": False, "with_xpu": True},
    "build_matrix_macos_wheel.json": {
        "operating_system": "macos", "with_cuda": False, "with_rocm": False},
    "build_matrix_windows_wheel_cuda.json": {"operating_system": "windows"},
    "build_matrix_windows_wheel_xpu.json": {
        "operating_system": "windows", "with_rocm": False, "with_cuda": False},
}


@pytest.fixture(scope="module")
def matrix() -> relkit.BuildMatrix:
    return relkit.BuildMatrix.default()


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_generate_reproduces_reference(matrix: relkit.BuildMatrix, name: str) -> None:
    out = matrix.generate(build_python_only=False, **REFERENCES[name])
    text = (DATA / name).read_text(encoding="utf-8")
    assert out == json.loads(text)
    # Same key order, entry by entry (dicts keep insertion order).
    pairs = json.loads(text, object_pairs_hook=list)
    assert [list(e.items()) for e in out["include"]] == [
        [tuple(p) for p in entry] for entry in pairs[0][1]
    ]
    assert json.dumps(out, indent=2) == text


def test_default_tables(matrix: relkit.BuildMatrix) -> None:
    assert matrix.nightly_version == relkit.Version("2.15.0")
    assert matrix.candidate_version == relkit.Version("2.14.0")
    assert matrix.stable_version == relkit.Version("2.13.0")
    assert matrix.tables("release").cuda_arches == ["12.6", "13.0", "13.2"]
    assert matrix.release.stable_cuda == "13.0"
    assert matrix.cuda_cudnn["12.6"] == ("12.6.3", "9")
    assert matrix.macos_python_point_versions["3.10"] == "3.10.19"
    assert matrix.current_version("test") == relkit.Version("2.14.0")
    assert matrix.channel_for_version("2.14.0rc1") == "test"
    assert matrix.channel_for_version("2.11.0") is None
    assert "<table>" in matrix._repr_html_()
    records = matrix.to_records()
    assert [r["channel"] for r in records] == ["nightly", "test", "release"]
    assert records[2]["rocm_arches"] == ["7.1", "7.2"]


def test_channel_operations(matrix: relkit.BuildMatrix) -> None:
    cut = matrix.branch_cut()
    assert cut.candidate_version == relkit.Version("2.15.0")
    assert cut.test == matrix.nightly
    assert cut.release == matrix.release
    live = matrix.go_live()
    assert live.stable_version == relkit.Version("2.14.0")
    assert live.release == matrix.test
    assert matrix.stable_version == relkit.Version("2.13.0")  # unchanged
    out = live.generate(channel="release", with_xpu=False)
    assert {e["stable_version"] for e in out["include"]} == {"2.14.0"}


def test_timeline_replays_branch_cut_and_go_live() -> None:
    states = relkit.parse_build_matrix_timeline(
        (DATA / "test-infra_binary_build_matrix_timeline.json").read_text(encoding="utf-8"))
    assert len(states) == 118
    subjects = [s[2] for s in states]
    cut_at = next(i for i, s in enumerate(subjects) if "Update binary build matrix for release 2.14" in s)
    assert states[cut_at - 1][3].branch_cut().test == states[cut_at][3].test
    live_at = next(i for i, s in enumerate(subjects) if "Release 2.12 go live" in s)
    live = states[live_at - 1][3].go_live()
    assert live.release == states[live_at][3].release
    assert live.stable_version == states[live_at][3].stable_version


def test_json_round_trip(matrix: relkit.BuildMatrix, tmp_path: Path) -> None:
    path = tmp_path / "tables.json"
    path.write_text(matrix.to_json())
    assert relkit.BuildMatrix.load(str(path)) == matrix
    assert relkit.BuildMatrix.from_json(matrix.to_json()) == matrix


def test_edits_change_the_generated_matrix(matrix: relkit.BuildMatrix) -> None:
    m = relkit.BuildMatrix.from_json(matrix.to_json())
    tables = m.tables("release")
    tables.rocm_arches = ["7.14"]
    m.set_tables("release", tables)
    m.stable_version = relkit.Version("2.13.1")
    out = m.generate(channel="release", with_xpu=False, with_cuda=False, with_cpu=False)
    assert [e["desired_cuda"] for e in out["include"]] == ["rocm7.14"]
    assert out["include"][0]["stable_version"] == "2.13.1"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel": "beta"}, 'unknown channel "beta" (valid: nightly, test, release, all)'),
        ({"operating_system": "solaris"}, "valid: linux, linux-aarch64, macos, macos-arm64"),
        ({"package_type": "conda"}, "valid: wheel, libtorch, all"),
        ({"python_versions": ["3.1x"]}, '"3.1x"'),
    ],
)
def test_unknown_names_raise_invalid_argument(
    matrix: relkit.BuildMatrix, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(relkit.InvalidArgumentError) as info:
        matrix.generate(**kwargs)
    assert isinstance(info.value, ValueError)
    assert message in str(info.value)


def test_loader_errors_name_source_and_path() -> None:
    with pytest.raises(relkit.InvalidArgumentError) as info:
        relkit.BuildMatrix.from_json(
            '{"CUDA_ARCHES_DICT": {"nightly": [], "test": ["12.6", 13], "release": []}}',
            "tables.json")
    assert "tables.json: $.CUDA_ARCHES_DICT.test[1]: expected a string" in str(info.value)
    with pytest.raises(relkit.InvalidArgumentError, match=r"t\.json:1:"):
        relkit.BuildMatrix.from_json("{", "t.json")
    with pytest.raises(relkit.NotFoundError):
        relkit.BuildMatrix.load("/nonexistent/tables.json")


def test_queries_for_release_checks(matrix: relkit.BuildMatrix) -> None:
    wheels = matrix.expected_wheels("release", ["linux", "macos-arm64"])
    linux = [w for w in wheels if w.operating_system == "linux"]
    assert len(linux) == 6 * 7
    assert linux[1].accelerator == relkit.Accelerator("cu126")
    assert linux[1].build_name == "manywheel-py3_10-cuda12_6"
    mac = [w for w in wheels if w.operating_system == "macos-arm64"]
    assert mac[0].python_version == "3.10"
    assert [str(a) for a in matrix.gpu_accelerators("nightly")] == [
        "cu126", "cu130", "cu132", "cu134", "rocm7.2", "rocm7.14"]
    assert matrix.getting_started_rocm("nightly") == "7.2"
    m = relkit.BuildMatrix.from_json(matrix.to_json())
    m.getting_started_rocm_arch = None
    assert m.getting_started_rocm("nightly") == "7.14"  # numeric, not string max
