#!/usr/bin/env python3
"""Release facts of a PyTorch-like project as typed data, with relkit.

Shows the three tables relkit embeds (no network, no configuration):

  1. the release compatibility matrix (Python, CUDA, ROCm per release) and
     what changed between two releases;
  2. the release schedule: where each release stands on a date, and what
     comes next;
  3. the binary build matrix: the builds test-infra's
     generate_binary_build_matrix.py would generate for a channel.

Run it with the installed package:

    python examples/python/release_facts.py [--on YYYY-MM-DD] [--release 2.4]

Each table also has to_records() (a list of dicts, what pandas.DataFrame
takes) and _repr_html_() (how a notebook shows it); see
examples/notebooks/release_facts.ipynb.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections import Counter

import relkit


def show_matrix(release: str) -> None:
    matrix = relkit.CompatibilityMatrix.default()
    print(f"== Compatibility matrix: {len(matrix)} releases "
          f"({matrix.rows[-1].release} to {matrix.rows[0].release})")
    row = matrix.find(release)
    if row is None:
        sys.exit(f"release {release} is not in the compatibility matrix")
    record = next(r for r in matrix.to_records() if r["release"] == row.release)
    for key in ("release", "python", "experimental_python", "stable_cuda",
                "experimental_cuda", "stable_rocm"):
        value = record[key]
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "-"
        print(f"  {key:20} {value}")
    print(f"  Python 3.12 in {row.release}: {row.python_status('3.12')}")
    releases = [r.release for r in matrix.rows]  # newest first, as RELEASE.md
    position = releases.index(row.release)
    if position + 1 < len(releases):
        print(f"  {matrix.diff(releases[position + 1], row.release).summary()}")
    print(f"  releases with stable Python 3.8: "
          f"{', '.join(matrix.releases_supporting_python('3.8'))}")


def show_schedule(day: datetime.date) -> None:
    schedule = relkit.ReleaseSchedule.default()
    print(f"\n== Release schedule on {day.isoformat()}: {len(schedule)} minor releases")
    for minor, phase in schedule.phases_on(day).items():
        if phase != "out of support":
            print(f"  {minor:6} {phase}")
    for event in schedule.events_after(day, limit=3):
        print(f"  next: {event.date}  {event.title}")
    print(f"  work merged to main today lands in {schedule.release_for_work_on(day)}")


def show_build_matrix() -> None:
    tables = relkit.BuildMatrix.default()
    print("\n== Binary build matrix (embedded tables)")
    for record in tables.to_records():
        print(f"  {record['channel']:8} {record['version'] or '-':8} "
              f"python {', '.join(record['python_versions'])}")
    builds = tables.generate(operating_system="linux", channel="release",
                             build_python_only=False)["include"]
    per_arch = Counter(b["gpu_arch_type"] for b in builds)
    print(f"  release channel, Linux wheels: {len(builds)} builds "
          f"({', '.join(f'{n} {arch}' for arch, n in sorted(per_arch.items()))})")
    print(f"  e.g. {builds[0]['build_name']}: {builds[0]['installation']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", type=datetime.date.fromisoformat,
                        default=datetime.date.today(), help="date for the schedule")
    parser.add_argument("--release", default="2.4", help="release of the matrix to show")
    args = parser.parse_args()
    print(f"relkit {relkit.__version__}")
    show_matrix(args.release)
    show_schedule(args.on)
    show_build_matrix()
    return 0


if __name__ == "__main__":
    sys.exit(main())
