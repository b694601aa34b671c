"""A run killed with SIGKILL cannot remove its scratch directory in $TMPDIR
(downloads and rewrites: up to a gigabyte of wheels); the next run of the
same kind removes it, and a run that ends normally leaves nothing."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))

import pypi_channel as ch  # noqa: E402


def scratch(tmp: pathlib.Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("relkit-pypi-stage-"))


def test_a_killed_stage_leaves_its_scratch_dir_and_the_rerun_removes_it(
        relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    root = tmp_path / "channel"
    ch.build_channel(root)
    (tmp_path / "release_versions.sh").write_text(ch.VERSIONS_SH)
    (tmp_path / "staging").mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    args = [str(relkit_path), "pypi", "stage", "--versions",
            str(tmp_path / "release_versions.sh"), "--date", ch.DATE,
            "--from", f"file://{root}//whl/test/", "--to", f"file://{tmp_path / 'staging'}",
            "--execute"]
    env = dict(os.environ, TMPDIR=str(tmp), RELKIT_TEST_STAGE_DELAY_MS="150")
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    folder = tmp_path / "staging" / "torch-2.9.0-pypi-staging"
    deadline = time.time() + 30
    while (not folder.exists() or len(list(folder.glob("*.whl"))) < 2) and time.time() < deadline:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    left = scratch(tmp)
    assert len(left) == 1, left  # the killed run's, with its pid in the name
    assert f"-{p.pid}-" in left[0]

    env.pop("RELKIT_TEST_STAGE_DELAY_MS")
    r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert scratch(tmp) == []  # the orphan reaped, the rerun's own removed
