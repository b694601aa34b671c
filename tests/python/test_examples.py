"""The examples a user runs with the installed package: examples/python
scripts (run as a user would, in a subprocess) and the notebook (valid
nbformat 4 without outputs; its code cells run in order)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_release_facts_script_shows_matrix_schedule_and_build_matrix() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "python" / "release_facts.py"),
         "--on", "2026-08-20", "--release", "2.4"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # The matrix row, its support query and the diff from the release before.
    assert "== Compatibility matrix: 17 releases (1.12 to 2.14)" in out
    assert "  python               >=3.8, <=3.12\n" in out
    assert "  stable_cuda          11.8, 12.1\n" in out
    assert "  Python 3.12 in 2.4: stable\n" in out
    assert "  2.4 adds Python 3.12, CUDA 12.1, CUDA 12.4 experimental, ROCm 6.1; drops ROCm 6.0\n" in out
    # The schedule on the given date.
    assert "== Release schedule on 2026-08-20: 16 minor releases" in out
    assert "  2.14   branch cut\n" in out
    assert "  next: 2 Sept 2026  2.14 release\n" in out
    assert "  work merged to main today lands in 2.15\n" in out
    # The build matrix: one line per channel, then the generated builds.
    assert "== Binary build matrix (embedded tables)" in out
    assert "  release  2.13.0" in out
    assert "  release channel, Linux wheels: " in out
    assert result.stderr == ""


def test_release_facts_script_rejects_an_unknown_release() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "python" / "release_facts.py"), "--release", "0.1"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert "release 0.1 is not in the compatibility matrix" in result.stderr


def _notebook() -> dict[str, Any]:
    with open(EXAMPLES / "notebooks" / "release_facts.ipynb", encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


def test_notebook_is_nbformat_4_with_code_cells_and_no_outputs() -> None:
    nb = _notebook()
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] >= 4
    assert nb["metadata"]["kernelspec"]["language"] == "python"
    assert nb["cells"]
    for cell in nb["cells"]:
        assert cell["cell_type"] == "code"
        assert cell["outputs"] == [] and cell["execution_count"] is None
        assert isinstance(cell["source"], list)
        assert all(isinstance(line, str) for line in cell["source"])


def test_notebook_cells_run_in_order() -> None:
    shown: list[object] = []
    namespace: dict[str, Any] = {"display": shown.append, "__name__": "__main__"}
    last: object = None
    for cell in _notebook()["cells"]:
        source = "".join(cell["source"])
        *body, tail = source.rstrip().split("\n")
        # Like Jupyter, a cell's last line is shown when it is an expression.
        try:
            code = compile(tail, "<cell>", "eval")
        except SyntaxError:
            exec(compile(source, "<cell>", "exec"), namespace)
            continue
        exec(compile("\n".join(body), "<cell>", "exec"), namespace)
        last = eval(code, namespace)
        if hasattr(last, "_repr_html_"):
            assert last._repr_html_().startswith("<table")
    matrix = namespace["matrix"]
    assert matrix.to_records()[0]["release"] == "2.14"
    assert namespace["schedule"].to_records()[0]["minor"] == "2.1"
    assert isinstance(last, tuple) and last[0] == len(namespace["builds"]) > 0


@pytest.mark.parametrize("name", ["release_facts.py"])
def test_example_scripts_have_a_docstring_saying_how_to_run_them(name: str) -> None:
    text = (EXAMPLES / "python" / name).read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env python3\n\"\"\"")
    assert f"python examples/python/{name}" in text
