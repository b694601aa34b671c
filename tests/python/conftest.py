"""Shared helpers for the relkit Python tests: conformance vectors from
tests/data/*.json (the same files the C++ tests read) and a tally of how many
vectors were checked, printed at the end of the run."""

from __future__ import annotations

import collections
import functools
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

import relkit

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# file name -> number of vectors checked in this run
_TALLY: collections.Counter[str] = collections.Counter()


@functools.lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Returns the parsed tests/data/<name>."""
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


def table(name: str, test: str) -> dict[str, Any]:
    """Returns the table named `test` of tests/data/<name>."""
    for t in load(name)["tables"]:
        if t["test"] == test:
            return t  # type: ignore[no-any-return]
    raise KeyError(f"no table {test} in {name}")


def cases(name: str, test: str) -> list[Any]:
    """Returns pytest params for each row of a table; each is tallied when
    its test runs (see the `vector` fixture)."""
    t = table(name, test)
    assert len(t["cases"]) == t["count"], f"{name}:{test} row count"
    return [
        pytest.param(row, id=f"{i}")
        for i, row in enumerate(t["cases"])
    ]


def value(obj: Any) -> Any:
    """Decodes the JSON value markers: {"$Version": s} -> relkit.Version(s),
    {"$Tag": [i, a, p]} -> relkit.Tag(i, a, p), {"$bytes": s} -> bytes."""
    if isinstance(obj, dict):
        if "$Version" in obj:
            return relkit.Version(obj["$Version"])
        if "$Tag" in obj:
            return relkit.Tag(*obj["$Tag"])
        if "$bytes" in obj:
            return obj["$bytes"].encode("latin-1")
    if isinstance(obj, list):
        return [value(x) for x in obj]
    return obj


class Tally:
    def add(self, name: str, n: int = 1) -> None:
        _TALLY[name] += n


@pytest.fixture
def tally() -> Iterator[Tally]:
    """Counts checked vectors per source: `tally.add("versions.json", n)`."""
    yield Tally()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _TALLY:
        return
    parts = ", ".join(f"{k}: {v}" for k, v in sorted(_TALLY.items()))
    terminalreporter.write_line(
        f"relkit vectors checked: {sum(_TALLY.values())} ({parts})"
    )
