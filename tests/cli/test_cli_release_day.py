"""`relkit release-day publish|quick-start`."""

from __future__ import annotations

import json
import pathlib

from conftest import Run

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "published_versions.json"


def _copy(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "published_versions.json"
    path.write_text(DATA.read_text())
    return path


def test_publish_prints_a_plan_and_writes_nothing(run: Run, tmp_path: pathlib.Path) -> None:
    pv = _copy(tmp_path)
    before = pv.read_text()
    result = run("release-day", "publish", "--version", "2.13.0",
                 "--published-versions", str(pv))
    assert result.returncode == 0, result.stderr
    assert "latest_stable 1.13.0 -> 2.13.0" in result.stdout
    assert "rocm5.x=rocm 7.2" in result.stdout
    assert "nothing written" in result.stdout
    assert pv.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published_versions.json"]


def test_publish_out_writes_the_new_file(run: Run, tmp_path: pathlib.Path) -> None:
    pv = _copy(tmp_path)
    out = tmp_path / "new.json"
    result = run("release-day", "publish", "--version", "2.13.0",
                 "--published-versions", str(pv), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["written"] == str(out)
    assert plan["latest_stable_before"] == "1.13.0"
    new = json.loads(out.read_text())
    assert new["latest_stable"] == "2.13.0"
    assert list(new["versions"])[-1] == "2.13.0"
    assert pv.read_text() == DATA.read_text()


def test_publish_with_builds_picks_rocm_numerically(run: Run, tmp_path: pathlib.Path) -> None:
    pv = _copy(tmp_path)
    entries = [
        {"gpu_arch_type": arch, "gpu_arch_version": ver, "desired_cuda": desired,
         "package_type": "manywheel", "installation": f"pip3 install torch # {desired}"}
        for arch, ver, desired in [("cpu", "", "cpu"), ("rocm", "7.2", "rocm7.2"),
                                   ("rocm", "7.14", "rocm7.14")]
    ]
    builds = tmp_path / "linux.json"
    builds.write_text(json.dumps({"include": entries}))
    result = run("release-day", "publish", "--version", "2.5.0", "--published-versions",
                 str(pv), "--builds", f"linux={builds}", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["columns"]["rocm5.x"] == ["rocm", "7.14"]


def test_in_place_only_when_asked(run: Run, tmp_path: pathlib.Path) -> None:
    pv = _copy(tmp_path)
    result = run("release-day", "publish", "--version", "2.13.0",
                 "--published-versions", str(pv), "--in-place")
    assert result.returncode == 0, result.stderr
    assert json.loads(pv.read_text())["latest_stable"] == "2.13.0"


def test_bad_input_names_the_file(run: Run, tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "pv.json"
    bad.write_text('{"latest_stable": 1}')
    result = run("release-day", "publish", "--version", "2.5.0",
                 "--published-versions", str(bad))
    assert result.returncode == 2
    assert "pv.json: $.latest_stable: expected a string" in result.stderr
    result = run("release-day", "publish", "--version", "2.5.0rc1",
                 "--published-versions", str(DATA))
    assert result.returncode == 2
    assert "final version" in result.stderr


def test_quick_start_prints_the_install_matrix(run: Run) -> None:
    result = run("release-day", "quick-start", "--published-versions", str(DATA))
    assert result.returncode == 0, result.stderr
    module = json.loads(result.stdout)
    assert module["stable_version"] == "Stable (1.13.0)"
    assert next(iter(module["install_matrix"])) == "preview,pip,linux,accnone,python"
