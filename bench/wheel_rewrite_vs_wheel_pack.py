#!/usr/bin/python3
"""Rewriting a large wheel for PyPI: `relkit pypi rewrite` against the Python
path a user has today (`python3 -m wheel unpack`, edit METADATA, rename the
.dist-info folder, `python3 -m wheel pack`, Debian's python3-wheel), in one
run, with wall time and peak RSS of each.

    bench/wheel_rewrite_vs_wheel_pack.py --relkit build/default/relkit \
        [--size-mb 1024] [--workdir /tmp/wheelbench] [--keep]

The generated wheel is like a torch wheel: a few large members of random
(incompressible) bytes named like shared libraries, stored with deflate as
real wheels are, a few hundred small .py members, and a .dist-info whose
version carries the local label +cu130 and a Python 3.15 classifier. With
--size-mb over 4096 the wheel needs zip64.

Peak RSS is measured per step as RUSAGE_CHILDREN's ru_maxrss of a fresh
wrapper process that runs just that step (so neither this script nor an
earlier step is counted). Goal (issue 12): relkit at least 5x faster than the
Python path, and under 64 MB peak RSS whatever the wheel's size.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import os
import pathlib
import platform
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile

PY = "/usr/bin/python3"
PY315 = "Programming Language :: Python :: 3.15"

# Runs argv, then prints the children's peak RSS (KiB) and wall time (s).
_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.monotonic()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "dt = time.monotonic() - t\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, dt)\n"
)


def measured(argv: list[str]) -> tuple[float, int]:
    """Returns (seconds, peak RSS in KiB) of running argv."""
    out = subprocess.run([PY, "-c", _WRAPPER, *argv], check=True,
                         capture_output=True, text=True).stdout.split()
    rc, rss, seconds = int(out[0]), int(out[1]), float(out[2])
    if rc != 0:
        raise SystemExit(f"{argv} failed with exit status {rc}")
    return seconds, rss


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(
        hashlib.sha256(data).digest()).rstrip(b"=").decode()


def generate(path: pathlib.Path, size_mb: int) -> None:
    """Writes the benchmark wheel, streaming each large member in blocks."""
    rng = random.Random(12)
    version = "2.9.0+cu130"
    dist_info = f"torch-{version}.dist-info"
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    big_mb = max(1, size_mb - 8)
    # Large members of at most 512 MiB each, like libtorch_cuda.so & co.
    sizes = []
    left = big_mb
    while left > 0:
        sizes.append(min(left, 512))
        left -= sizes[-1]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1, allowZip64=True) as z:
        for i in range(400):
            data = (f"# module {i}\n" + "def f(x):\n    return x * %d\n" % i * 50).encode()
            name = f"torch/_mods/m{i}.py"
            z.writestr(name, data)
            writer.writerow([name, record_hash(data), len(data)])
        for i, mb in enumerate(sizes):
            name = f"torch/lib/libtorch_part{i}.so"
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 2, 3, 4, 6))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100755 << 16
            h = hashlib.sha256()
            n = 0
            with z.open(info, "w", force_zip64=True) as f:
                for _ in range(mb):
                    block = rng.randbytes(1 << 20)
                    h.update(block)
                    n += len(block)
                    f.write(block)
            writer.writerow([name, "sha256=" + base64.urlsafe_b64encode(
                h.digest()).rstrip(b"=").decode(), n])
        metadata = ("Metadata-Version: 2.1\nName: torch\n"
                    f"Version: {version}\nSummary: bench\n"
                    "Classifier: Programming Language :: Python :: 3.12\n"
                    f"Classifier: {PY315}\nRequires-Dist: filelock\n\nBody.\n").encode()
        wheel = (b"Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: false\n"
                 b"Tag: cp312-cp312-linux_x86_64\n")
        for name, data in ((f"{dist_info}/METADATA", metadata),
                           (f"{dist_info}/WHEEL", wheel)):
            z.writestr(name, data)
            writer.writerow([name, record_hash(data), len(data)])
        writer.writerow([f"{dist_info}/RECORD", "", ""])
        z.writestr(f"{dist_info}/RECORD", rows.getvalue())


def python_path(wheel: pathlib.Path, work: pathlib.Path) -> list[tuple[str, float, int]]:
    """unpack + edit + rename + pack, each step measured."""
    unpacked = work / "unpacked"
    out = work / "py_out"
    shutil.rmtree(unpacked, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    steps = []
    steps.append(("wheel unpack",
                  *measured([PY, "-m", "wheel", "unpack", "-d", str(unpacked), str(wheel)])))
    t = time.monotonic()
    (root,) = unpacked.iterdir()
    (dist_info,) = root.glob("*.dist-info")
    meta = dist_info / "METADATA"
    text = meta.read_text()
    text = re.sub(r"^(Version: [^+\n]*)\+[^\n]*$", r"\1", text, flags=re.M)
    text = text.replace(f"Classifier: {PY315}\n", "")
    meta.write_text(text)
    bare = dist_info.name.split("+")[0] + ".dist-info"
    dist_info.rename(dist_info.with_name(bare))
    steps.append(("edit METADATA + rename", time.monotonic() - t, 0))
    steps.append(("wheel pack",
                  *measured([PY, "-m", "wheel", "pack", "-d", str(out), str(root)])))
    return steps


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--relkit", default="build/default/relkit")
    p.add_argument("--size-mb", type=int, default=1024)
    p.add_argument("--workdir", default="/tmp/wheelbench")
    p.add_argument("--skip-python", action="store_true",
                   help="time relkit only (for the >4 GiB run)")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()

    work = pathlib.Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    wheel = work / "torch-2.9.0+cu130-cp312-cp312-linux_x86_64.whl"
    if not wheel.exists() or wheel.stat().st_size < a.size_mb * 1_000_000 * 0.9:
        t = time.monotonic()
        generate(wheel, a.size_mb)
        print(f"generated {wheel} ({wheel.stat().st_size / 1e6:.0f} MB) in "
              f"{time.monotonic() - t:.0f} s", file=sys.stderr)
    size = wheel.stat().st_size
    # Both paths start from a page cache that holds the input.
    subprocess.run(["cat", str(wheel)], stdout=subprocess.DEVNULL, check=True)

    rel_out = work / "relkit_out"
    shutil.rmtree(rel_out, ignore_errors=True)
    rel_s, rel_rss = measured([a.relkit, "pypi", "rewrite", str(wheel), "--out", str(rel_out),
                               "--remove-classifier", PY315])
    (rel_file,) = rel_out.iterdir()
    verify = subprocess.run([a.relkit, "pypi", "verify", str(rel_file)],
                            capture_output=True, text=True)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"{platform.processor() or platform.platform()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": os.getloadavg()[0],
        "wheel_bytes": size,
        "relkit": {"seconds": round(rel_s, 2), "peak_rss_mib": round(rel_rss / 1024, 1),
                   "output": rel_file.name, "record_verifies": verify.returncode == 0},
    }
    if not a.skip_python:
        steps = python_path(wheel, work)
        py_s = sum(s for _, s, _ in steps)
        py_rss = max(r for _, _, r in steps)
        results["python_wheel_unpack_pack"] = {
            "seconds": round(py_s, 2), "peak_rss_mib": round(py_rss / 1024, 1),
            "steps": [{"step": n, "seconds": round(s, 2), "peak_rss_mib": round(r / 1024, 1)}
                      for n, s, r in steps]}
        results["speedup"] = round(py_s / rel_s, 1)
    results["load_after"] = os.getloadavg()[0]
    if a.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"wheel: {size / 1e6:.0f} MB; {results['machine']}; {results['date']}; "
              f"load {results['load_before']:.2f} -> {results['load_after']:.2f}")
        print(f"relkit pypi rewrite : {rel_s:7.2f} s  peak RSS {rel_rss / 1024:6.1f} MiB  "
              f"(RECORD verifies: {verify.returncode == 0})")
        if not a.skip_python:
            r = results["python_wheel_unpack_pack"]
            print(f"wheel unpack+pack   : {r['seconds']:7.2f} s  peak RSS "
                  f"{r['peak_rss_mib']:6.1f} MiB")
            for s in r["steps"]:
                print(f"  {s['step']:22s} {s['seconds']:7.2f} s  {s['peak_rss_mib']:6.1f} MiB")
            print(f"speedup: {results['speedup']}x (goal >= 5x); relkit RSS goal < 64 MiB")
    if not a.keep:
        shutil.rmtree(rel_out, ignore_errors=True)
        shutil.rmtree(work / "unpacked", ignore_errors=True)
        shutil.rmtree(work / "py_out", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
