"""`relkit release-day publish|quick-start`."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

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


def _publish_in_place_with_a_file_size_limit(relkit_path: pathlib.Path, pv: pathlib.Path,
                                             limit_bytes: int) -> subprocess.CompletedProcess[str]:
    """Runs `publish --in-place` where no file may grow past `limit_bytes`
    (RLIMIT_FSIZE, with SIGXFSZ ignored so that the write fails with EFBIG):
    a disk that fills up in the middle of the write, even for root."""
    script = f'trap "" XFSZ; ulimit -f {limit_bytes // 512}; exec "$@"'
    return subprocess.run(
        ["/bin/sh", "-c", script, "sh", str(relkit_path), "release-day", "publish",
         "--version", "2.13.0", "--published-versions", str(pv), "--in-place"],
        capture_output=True, text=True, timeout=60, check=False)


def test_in_place_never_leaves_the_file_half_written(relkit_path: pathlib.Path,
                                                     tmp_path: pathlib.Path) -> None:
    pv = _copy(tmp_path)
    before = pv.read_bytes()
    # The new file is larger than the old one: half the old size cannot hold
    # it. A write in place would have truncated the file and left that half.
    result = _publish_in_place_with_a_file_size_limit(relkit_path, pv, len(before) // 2)
    assert result.returncode == 3
    assert result.stderr == f'relkit: error: cannot write "{pv}": file too large\n'
    assert pv.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published_versions.json"]
    # With room, the same command writes the whole new file.
    result = _publish_in_place_with_a_file_size_limit(relkit_path, pv, 4 * len(before))
    assert result.returncode == 0, result.stderr
    assert json.loads(pv.read_text())["latest_stable"] == "2.13.0"


def test_in_place_in_a_read_only_directory_is_a_clear_error(
        relkit_path: pathlib.Path) -> None:
    # Root writes into any directory; as root (CI), relkit runs as the
    # unprivileged `nobody`, so the check holds wherever the suite runs.
    as_nobody = os.geteuid() == 0
    base = pathlib.Path(tempfile.mkdtemp(prefix="relkit-readonly-"))
    try:
        base.chmod(0o755)
        pv = _copy(base)
        pv.chmod(0o666)  # the file stays writable; its directory does not
        before = pv.read_bytes()
        base.chmod(0o555)
        result = subprocess.run(
            [str(relkit_path), "release-day", "publish", "--version", "2.13.0",
             "--published-versions", str(pv), "--in-place"],
            capture_output=True, text=True, timeout=60, check=False, cwd="/",
            **({"user": 65534, "group": 65534, "extra_groups": []} if as_nobody else {}))
        assert result.returncode == 3, result.stderr
        assert result.stderr == f'relkit: error: cannot write "{pv}": permission denied\n'
        assert pv.read_bytes() == before
        assert sorted(p.name for p in base.iterdir()) == ["published_versions.json"]
    finally:
        base.chmod(0o755)
        shutil.rmtree(base)


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
