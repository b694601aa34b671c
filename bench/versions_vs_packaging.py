#!/usr/bin/env python3
"""relkit against packaging.version in one run, on the same inputs.

Draws N version strings (default 1,000,000) from packaging's PyPI sample
(bench/data/version_sample.txt), then:

  1. parse + sort: relkit.sort_versions(strings) (one C++ call) against
     sorted(packaging.version.Version(s) for s in strings); checks that both
     give the same order and prints the ratio (goal: relkit >= 50x); then the
     same on N synthetic strings that are all distinct, where relkit's
     shortcut for repetitive lists does not apply;
  2. single construction: relkit.Version(s) against
     packaging.version.Version(s) (goal: relkit >= 10x);
  3. filter: SpecifierSet.filter over the same strings, both libraries.

Run with Debian's interpreter (it has python3-packaging) and relkit importable:

    /usr/bin/python3 bench/versions_vs_packaging.py [--count N] [--json]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import random
import sys
import time
from typing import Any, Callable

import packaging
import packaging.specifiers
import packaging.version

import relkit

SAMPLE = pathlib.Path(__file__).with_name("data") / "version_sample.txt"


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Returns the fastest wall time of `repeat` runs of fn and its last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="strings to parse and sort")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    parser.add_argument("--seed", type=int, default=440)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    valid = []
    for line in SAMPLE.read_text().splitlines():
        try:
            packaging.version.Version(line)
        except packaging.version.InvalidVersion:
            continue
        valid.append(line)
    strings = random.Random(args.seed).choices(valid, k=args.count)

    # 1. parse + sort
    t_relkit, relkit_sorted = best_of(args.repeat, lambda: relkit.sort_versions(strings))

    def packaging_sort() -> list[str]:
        parsed = [(packaging.version.Version(s), s) for s in strings]
        parsed.sort(key=lambda pair: pair[0])  # stable, like relkit's
        return [s for _, s in parsed]

    t_packaging, packaging_sorted = best_of(1, packaging_sort)
    same_order = relkit_sorted == packaging_sorted
    if not same_order:
        # Equal versions spelled differently may only differ by position.
        same_order = all(
            packaging.version.Version(a) == packaging.version.Version(b)
            for a, b in zip(relkit_sorted, packaging_sorted))

    # 1b. the same on a million *distinct* strings: relkit's shortcut for
    # repetitive lists (sort each distinct string once) cannot help here.
    suffixes = ["", "rc1", ".post1", ".dev3", "+cu121", "a2", ".dev20240801"]
    unique = [f"{i // 70000}.{(i // 700) % 100}.{(i // 7) % 100}{suffixes[i % 7]}"
              for i in range(args.count)]
    random.Random(args.seed).shuffle(unique)
    t_relkit_unique, relkit_unique = best_of(args.repeat, lambda: relkit.sort_versions(unique))
    t_packaging_unique, packaging_unique = best_of(
        1, lambda: sorted(unique, key=packaging.version.Version))
    same_order = same_order and relkit_unique == packaging_unique

    # 2. single construction over the distinct valid strings
    loops = max(1, 200_000 // len(valid))

    def construct(cls: Callable[[str], Any]) -> Callable[[], None]:
        def run() -> None:
            for _ in range(loops):
                for s in valid:
                    cls(s)
        return run

    n_construct = loops * len(valid)
    t_relkit_ctor, _ = best_of(args.repeat, construct(relkit.Version))
    t_packaging_ctor, _ = best_of(args.repeat, construct(packaging.version.Version))

    # 3. filter with a specifier set
    spec = ">=1.0,!=1.5.*,<3"
    t_relkit_filter, relkit_kept = best_of(
        args.repeat, lambda: list(relkit.SpecifierSet(spec).filter(strings)))
    t_packaging_filter, packaging_kept = best_of(
        1, lambda: list(packaging.specifiers.SpecifierSet(spec).filter(strings)))

    figures = {
        "python": platform.python_version(),
        "packaging": packaging.__version__,
        "relkit": relkit.__version__,
        "count": args.count,
        "parse_sort_relkit_s": round(t_relkit, 4),
        "parse_sort_packaging_s": round(t_packaging, 4),
        "parse_sort_ratio": round(t_packaging / t_relkit, 1),
        "parse_sort_distinct_relkit_s": round(t_relkit_unique, 4),
        "parse_sort_distinct_packaging_s": round(t_packaging_unique, 4),
        "parse_sort_distinct_ratio": round(t_packaging_unique / t_relkit_unique, 1),
        "same_order": same_order,
        "construct_relkit_ns": round(t_relkit_ctor / n_construct * 1e9, 1),
        "construct_packaging_ns": round(t_packaging_ctor / n_construct * 1e9, 1),
        "construct_ratio": round(t_packaging_ctor / t_relkit_ctor, 1),
        "filter_spec": spec,
        "filter_relkit_s": round(t_relkit_filter, 4),
        "filter_packaging_s": round(t_packaging_filter, 4),
        "filter_ratio": round(t_packaging_filter / t_relkit_filter, 1),
        "filter_same_result": relkit_kept == packaging_kept,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{args.count:,} versions from {SAMPLE.name}; Python {figures['python']}, "
              f"packaging {figures['packaging']}, relkit {figures['relkit']}")
        print(f"parse + sort   relkit {t_relkit:8.3f} s   packaging {t_packaging:8.3f} s   "
              f"{figures['parse_sort_ratio']:6.1f}x   same order: {same_order}")
        print(f"  all distinct relkit {t_relkit_unique:8.3f} s   packaging "
              f"{t_packaging_unique:8.3f} s   {figures['parse_sort_distinct_ratio']:6.1f}x")
        print(f"Version(s)     relkit {figures['construct_relkit_ns']:8.1f} ns  packaging "
              f"{figures['construct_packaging_ns']:8.1f} ns  {figures['construct_ratio']:6.1f}x")
        print(f"filter {spec!r}  relkit {t_relkit_filter:8.3f} s   packaging "
              f"{t_packaging_filter:8.3f} s   {figures['filter_ratio']:6.1f}x   same result: "
              f"{figures['filter_same_result']}")
    return 0 if same_order and figures["filter_same_result"] else 1


if __name__ == "__main__":
    sys.exit(main())
