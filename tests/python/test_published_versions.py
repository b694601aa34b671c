"""published_versions.json and the quick-start module from Python."""

from __future__ import annotations

import json
import pathlib

import pytest

import relkit

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "published_versions.json"


@pytest.fixture(scope="module")
def text() -> str:
    return DATA.read_text()


def _builds() -> list[str]:
    idx = "pip3 install torch torchvision --index-url https://download.pytorch.org/whl/"

    def entry(arch: str, version: str, desired: str) -> dict[str, str]:
        return {
            "gpu_arch_type": arch,
            "gpu_arch_version": version,
            "desired_cuda": desired,
            "package_type": "manywheel",
            "installation": idx + desired,
            "stable_version": "2.5.0",
        }

    linux = {
        "include": [
            entry("cpu", "", "cpu"),
            entry("cuda", "12.4", "cu124"),
            entry("cuda", "12.6", "cu126"),
            entry("rocm", "7.2", "rocm7.2"),
            entry("rocm", "7.14", "rocm7.14"),
        ]
    }
    return [json.dumps(linux)]


def test_round_trip_is_byte_identical_and_keeps_key_order(text: str) -> None:
    pv = relkit.PublishedVersions.parse(text, "published_versions.json")
    assert pv.to_json() == text
    # Same values, same key order, after normalising both through json.
    assert json.dumps(json.loads(pv.to_json())) == json.dumps(json.loads(text))
    assert pv.latest_stable == "1.13.0"
    assert pv.latest_lts == "lts-1.8.2"
    assert pv.release_names()[0] == "preview"
    assert pv.release_names()[-1] == "lts-1.8.2"
    assert pv == relkit.PublishedVersions.parse(pv.to_json())


def test_cells_and_records(text: str) -> None:
    pv = relkit.PublishedVersions.parse(text)
    cell = pv.cell("preview", "macos", "pip", "cuda.x")
    assert cell is not None and cell["default"] is True
    assert pv.cell("preview", "windows", "libtorch", "rocm5.x") == {
        "note": "<b>NOTE:</b> ROCm is not available on Windows",
        "versions": None,
    }
    assert pv.cell("9.9.9", "linux", "pip", "accnone") is None
    records = pv.to_records()
    assert records[0]["release"] == "preview" and records[0]["accelerator"] == "accnone"
    assert "<table>" in pv._repr_html_()


def test_malformed_files_raise_naming_file_and_path() -> None:
    with pytest.raises(relkit.InvalidArgumentError, match=r"pv\.json:1:"):
        relkit.PublishedVersions.parse("{oops", "pv.json")
    with pytest.raises(ValueError, match=r"pv\.json: \$\.versions\.preview"):
        relkit.PublishedVersions.parse(
            '{"latest_stable": "preview", "versions": {"preview": []}}', "pv.json"
        )


def test_plan_picks_rocm_7_14_over_7_2_and_moves_latest(text: str) -> None:
    pv = relkit.PublishedVersions.parse(text)
    plan = relkit.plan_stable_release(pv, "2.5.0", _builds())
    assert plan.added_release and plan.latest_stable_changed
    assert plan.previous_latest_stable == "1.13.0"
    assert plan.result.latest_stable == "2.5.0"
    assert plan.result.release_names()[-1] == "2.5.0"
    assert plan.columns["rocm5.x"] == ("rocm", "7.14")
    assert plan.columns["cuda.x"] == ("cuda", "12.4")
    assert plan.columns["cuda.y"] == ("cuda", "12.6")
    cell = plan.result.cell("2.5.0", "linux", "pip", "rocm5.x")
    assert cell is not None and cell["command"].endswith("/whl/rocm7.14")
    changes = plan.changes()
    assert {"os": "linux", "package_manager": "pip", "accelerator": "rocm5.x"}.items() <= changes[
        [c["accelerator"] for c in changes].index("rocm5.x")
    ].items()
    assert any("keeps the preview's text" in w for w in plan.warnings)
    # The input is untouched.
    assert pv.latest_stable == "1.13.0"
    assert "2.5.0" not in pv.release_names()


def test_plan_rejects_pre_releases(text: str) -> None:
    pv = relkit.PublishedVersions.parse(text)
    with pytest.raises(relkit.InvalidArgumentError, match="final version"):
        relkit.plan_stable_release(pv, "2.5.0rc1", _builds())


def test_plan_from_the_embedded_release_matrix(text: str) -> None:
    pv = relkit.PublishedVersions.parse(text)
    plan = relkit.plan_stable_release(pv, "2.13.0")
    # The embedded tables' release channel: ROCm 7.1 and 7.2 -> 7.2.
    assert plan.columns["rocm5.x"] == ("rocm", "7.2")
    assert plan.result.latest_stable == "2.13.0"
    assert plan.to_records() == plan.changes()


def test_quick_start_install_matrix(text: str) -> None:
    pv = relkit.PublishedVersions.parse(text)
    matrix = relkit.quick_start_install_matrix(pv)
    keys = list(matrix)
    assert keys[0] == "preview,pip,linux,accnone,python"
    assert "stable,libtorch,windows,cuda.x,cplusplus" in matrix
    assert all(k.split(",")[0] in ("preview", "stable") for k in keys)
    module = json.loads(relkit.quick_start_module_json(pv))
    assert module["stable_version"] == "Stable (1.13.0)"
    assert module["install_matrix"] == matrix
