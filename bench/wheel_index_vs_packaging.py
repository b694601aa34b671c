#!/usr/bin/env python3
"""relkit's wheel index reader against packaging, in one run, on the same names.

Generates a download.pytorch.org/whl/torch/-style PEP 503 page with N links
(default 100,000: every combination of torch versions, local labels, CPython
tags and platforms, with `%2B` escapes, `#sha256=` fragments and
data-requires-python attributes), then:

  1. relkit: relkit.parse_wheel_index(page) -- one call that scans the HTML
     and parses every filename into typed values;
  2. packaging: packaging.utils.parse_wheel_filename(name) for the same
     filenames in a Python loop (the names are handed over already
     extracted, so packaging does strictly less work);

checks that both agree on every name, version and tag set, and prints the
ratio (goal: relkit >= 20x). A third figure materialises every wheel as a
Python object (index.wheels) for an end-to-end comparison.

    /usr/bin/python3 bench/wheel_index_vs_packaging.py [--count N] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import platform
import sys
import time
from typing import Any, Callable

import packaging
import packaging.utils

import relkit


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Returns the fastest wall time of `repeat` runs of fn and its last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        result = None  # free the previous result outside the timed region
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def make_names(count: int) -> list[str]:
    """Returns `count` distinct realistic torch wheel filenames."""
    versions = [f"2.{minor}.{patch}" for minor in range(0, 16) for patch in range(0, 10)]
    locals_ = ["cpu", "cpu.cxx11.abi", "cu118", "cu121", "cu124", "cu126", "cu128",
               "cu130", "rocm6.1", "rocm6.2.4", "rocm7.2", "rocm7.14", "xpu"]
    pythons = [("cp39", "cp39"), ("cp310", "cp310"), ("cp311", "cp311"),
               ("cp312", "cp312"), ("cp313", "cp313"), ("cp313", "cp313t"),
               ("cp314", "cp314"), ("cp314", "cp314t")]
    platforms = ["manylinux_2_28_x86_64", "manylinux_2_28_aarch64",
                 "win_amd64", "win_arm64", "macosx_11_0_arm64", "linux_x86_64",
                 "manylinux_2_17_x86_64.manylinux2014_x86_64"]
    names = []
    for v, loc, (py, abi), plat in itertools.product(versions, locals_, pythons, platforms):
        names.append(f"torch-{v}+{loc}-{py}-{abi}-{plat}.whl")
        if len(names) == count:
            break
    if len(names) < count:
        sys.exit(f"can only generate {len(names)} distinct names")
    return names


def make_page(names: list[str]) -> str:
    lines = ["<!DOCTYPE html>", "<html>", "  <body>", "    <h1>Links for torch</h1>"]
    for name in names:
        digest = hashlib.sha256(name.encode()).hexdigest()
        local_dir = name.split("+", 1)[1].split("-", 1)[0].split(".")[0]
        href = f"/whl/{local_dir}/{name.replace('+', '%2B')}#sha256={digest}"
        lines.append(f'    <a href="{href}" data-requires-python="&gt;=3.9">{name}</a><br/>')
    lines += ["  </body>", "</html>", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="links on the page")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    names = make_names(args.count)
    page = make_page(names)

    t_relkit, index = best_of(args.repeat, lambda: relkit.parse_wheel_index(page))
    t_packaging, parsed = best_of(
        1, lambda: [packaging.utils.parse_wheel_filename(n) for n in names]
    )
    t_objects, wheels = best_of(args.repeat, lambda: relkit.parse_wheel_index(page).wheels)

    # Same answers: names, versions and tag sets of every file.
    assert len(index) == len(names) and not index.skipped, (len(index), len(index.skipped))
    agree = True
    for w, (name, version, _build, tags) in zip(wheels, parsed):
        wf = w.wheel
        if (wf.name != name or str(wf.version) != str(version)
                or {str(t) for t in wf.tags} != {str(t) for t in tags}):
            agree = False
            break

    ratio = t_packaging / t_relkit
    figures = {
        "links": len(names),
        "page_bytes": len(page),
        "relkit_parse_wheel_index_s": round(t_relkit, 4),
        "packaging_parse_wheel_filename_s": round(t_packaging, 4),
        "ratio": round(ratio, 1),
        "relkit_with_python_objects_s": round(t_objects, 4),
        "ratio_with_python_objects": round(t_packaging / t_objects, 1),
        "same_results": agree,
        "python": platform.python_version(),
        "packaging": packaging.__version__,
        "relkit": relkit.__version__,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{len(names):,} links, {len(page) / 1e6:.1f} MB page "
              f"(Python {figures['python']}, packaging {figures['packaging']})")
        print(f"  relkit.parse_wheel_index (one call):       {t_relkit * 1e3:8.1f} ms")
        print(f"  packaging.utils.parse_wheel_filename loop: {t_packaging * 1e3:8.1f} ms")
        print(f"  ratio: {ratio:.1f}x (goal >= 20x)")
        print(f"  relkit incl. a Python object per wheel:    {t_objects * 1e3:8.1f} ms "
              f"({figures['ratio_with_python_objects']:.1f}x)")
        print(f"  same names, versions and tags: {agree}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
