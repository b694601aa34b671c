"""The typing face: the hand-written stub matches the compiled module
(mypy's stubtest) and the package type-checks with mypy --strict."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

import relkit

pytest.importorskip("mypy")

HERE = Path(__file__).resolve().parent
PACKAGE_PARENT = Path(relkit.__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    installed = str(PACKAGE_PARENT) in {str(Path(p).resolve()) for p in site.getsitepackages()}
    if not installed:  # a development tree on PYTHONPATH
        env["PYTHONPATH"] = env["MYPYPATH"] = str(PACKAGE_PARENT)
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_stub_matches_the_compiled_module(tmp_path: Path) -> None:
    result = run("mypy.stubtest", "relkit._relkit",
                 "--allowlist", str(HERE / "stubtest_allowlist.txt"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_client_code_type_checks_strictly(tmp_path: Path) -> None:
    client = tmp_path / "client.py"
    client.write_text(
        "import relkit\n"
        "v: relkit.Version = relkit.Version('2.4.0')\n"
        "tags: list[str] = relkit.sort_versions(['2.10', '2.9'])\n"
        "s = relkit.SpecifierSet('>=2.4')\n"
        "kept: list[relkit.Version] = list(s.filter([v]))\n"
        "names: list[dict[str, str]] = list(s.filter([{'v': '2.5'}], key=lambda d: d['v']))\n"
        "w = relkit.parse_wheel_filename('torch-2.4.0-cp312-none-any.whl')\n"
        "n: str = w[0]\n"
        "rc: relkit.RcTag = relkit.next_rc_tag(v, [])\n"
        "try:\n"
        "    relkit.Version('x')\n"
        "except relkit.InvalidVersion as e:\n"
        "    code: str = e.code\n",
        encoding="utf-8",
    )
    result = run("mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(client),
                 cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
