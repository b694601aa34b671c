"""Fixtures for the CLI tests: they run the built `relkit` program.

The program is found through $RELKIT_CLI (test-all sets it) or at
build/default/relkit. A missing program is an error, never a skip.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
from typing import Callable, Sequence

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def relkit_path() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("RELKIT_CLI", ROOT / "build" / "default" / "relkit"))
    if not path.is_file():
        pytest.fail(f"relkit CLI not built at {path}; set RELKIT_CLI or run ./test-all")
    return path


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture()
def run(relkit_path: pathlib.Path) -> Run:
    def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(relkit_path), *args],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return _run
