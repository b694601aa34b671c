"""relkit.pypi_select / pypi_stage / pypi_validate on a test channel of real
wheels (tests/testing/pypi_channel.py) in a temp directory."""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import sys

import pytest

import relkit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))

import pypi_channel as ch  # noqa: E402


@pytest.fixture()
def setup(tmp_path: pathlib.Path) -> tuple[pathlib.Path, list[str], pathlib.Path]:
    root = tmp_path / "channel"
    ch.build_channel(root)
    versions = tmp_path / "release_versions.sh"
    versions.write_text(ch.VERSIONS_SH)
    pages = [str(root / "whl/test/cu130/torch/index.html"),
             str(root / "whl/test/cpu/torch/index.html")]
    (tmp_path / "staging").mkdir()
    return versions, pages, tmp_path / "staging"


def test_rule_and_selection_are_values_with_reasons() -> None:
    rule = relkit.pypi_staging_rule(date=ch.DATE)
    assert rule.stable_cuda_label == "cu130"
    assert rule.prerelease_pythons == ["3.15", "3.15t"]
    assert rule.removed_classifiers == ["Programming Language :: Python :: 3.15"]
    assert "3.15" not in rule.pythons
    assert repr(rule) == "<PypiStagingRule 2026-09-02 +cu130, pre-release Pythons [3.15, 3.15t]>"
    s = relkit.pypi_select("torch", "2.9.0", [
        "whl/test/cu130/torch-2.9.0%2Bcu130-cp312-cp312-manylinux_2_28_x86_64.whl",
        "whl/test/rocm7.2/torch-2.9.0+rocm7.2-cp312-cp312-manylinux_2_28_x86_64.whl",
        "whl/test/cu130/torch-2.9.10+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
    ], rule=rule)
    assert s.other_files == 1
    assert [c.reason for c in s.candidates] == ["stable-cuda", "other-accelerator"]
    assert s.selected[0].staged_name == "torch-2.9.0-cp312-cp312-manylinux_2_28_x86_64.whl"
    assert s.candidates[1].explanation.startswith("excluded: +rocm7.2")
    assert json.loads(s.to_json())["selected_count"] == 1
    assert repr(s) == "<PypiSelection torch==2.9.0: 1 of 2 selected>"


def test_stage_plan_execute_rerun_and_validate(setup) -> None:
    versions, pages, staging = setup
    plan = relkit.pypi_stage(versions, pages, str(staging), date=ch.DATE)
    assert not plan.executed and plan.ok
    assert len(plan.plan.to_stage) == 24
    assert repr(plan) == "<PypiStageRun plan ok: 24 to stage, 0 already staged, 0 errors>"
    assert plan.to_text().startswith("pypi staging plan (dry run")

    run = relkit.pypi_stage(versions, pages, str(staging), date=ch.DATE, execute=True)
    assert run.ok and len(run.staged) == 24
    assert all(f.removed_classifiers == ["Programming Language :: Python :: 3.15"]
               for f in run.staged)
    again = relkit.pypi_stage(versions, pages, str(staging), date=ch.DATE, execute=True)
    assert again.already_applied and len(again.already_staged) == 24

    v = relkit.pypi_validate(versions, str(staging), date=ch.DATE)
    assert v.ok, v.to_text()
    assert v.packages[0].present == 24 and len(v.wheels) == 24
    assert repr(v) == "<PypiValidation ok: 24 wheels, 0 problems>"

    folder = staging / "torch-2.9.0-pypi-staging"
    (folder / "torch-2.9.0-cp310-cp310-win_amd64.whl").unlink()
    shutil.copy(folder / "torch-2.9.0-cp311-cp311-win_amd64.whl",
                folder / "torch-2.9.0-cp311-cp311-win_arm64.whl")
    bad = relkit.pypi_validate(versions, str(staging), date=ch.DATE, max_file_mb=0.001,
                               warn_file_mb=0.0005)
    kinds = {p.kind for p in bad.problems}
    assert {"missing", "unexpected", "file-limit"} <= kinds
    assert not bad.ok


def test_execute_refused_and_bad_input_raise(setup) -> None:
    versions, pages, staging = setup
    with pytest.raises(relkit.Error):
        relkit.pypi_stage(versions, pages, str(staging), date="not-a-date")
    with pytest.raises(relkit.Error):
        relkit.pypi_stage(versions, pages, str(staging), date=ch.DATE, packages=["nope"],
                          execute=True)


@pytest.mark.parametrize("kwargs", [{"max_file_mb": -1.0}, {"warn_file_mb": float("nan")},
                                    {"project_quota_gb": float("inf")},
                                    {"project_quota_gb": -0.5}, {"project_quota_gb": 2e9}])
def test_validate_refuses_sizes_that_would_wrap(setup, kwargs) -> None:
    versions, _, staging = setup
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        relkit.pypi_validate(versions, str(staging), date=ch.DATE, **kwargs)


def test_a_pep691_json_page_is_a_source_too(setup, tmp_path: pathlib.Path) -> None:
    versions, pages, staging = setup
    files = []
    for acc in ("cu130", "cpu"):
        folder = tmp_path / "channel/whl/test" / acc
        for wheel in sorted(folder.glob("*.whl")):
            files.append({"filename": wheel.name, "url": f"{acc}/{wheel.name}",
                          "hashes": {"sha256": hashlib.sha256(wheel.read_bytes()).hexdigest()},
                          "size": wheel.stat().st_size})
    page = tmp_path / "channel/whl/test/torch.json"
    page.write_text(json.dumps({"meta": {"api-version": "1.1"}, "name": "torch", "files": files}))
    run = relkit.pypi_stage(versions, str(page), str(staging), date=ch.DATE, execute=True)
    assert run.ok, run.to_text()
    assert len(run.staged) == 24
    assert {f.source_sha256 for f in run.staged} <= {f["hashes"]["sha256"] for f in files}
