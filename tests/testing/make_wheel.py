#!/usr/bin/python3
"""Builds a wheel file with Python's zipfile for relkit's wheel tests.

    make_wheel.py OUT.whl --version 1.0.0+cu130 [--classifier C ...]
        [--zip64] [--data] [--members N] [--so-size BYTES]
        [--tamper MEMBER] [--evil-name NAME] [--no-record-row MEMBER]

The wheel holds a package `demo` (an `__init__.py`, an executable-mode
`_C.so` of random bytes, N small modules), a `.dist-info` with METADATA,
WHEEL and a correct RECORD (sha256, urlsafe base64, sizes), and with --data a
`.data/scripts/` member. Deflate throughout, as real wheels are; --zip64
writes every member with zip64 extra fields (force_zip64=True).
--tamper changes a member's bytes after RECORD was computed; --evil-name adds
a member with the given (hostile) name; --no-record-row leaves a member out
of RECORD.
"""

import argparse
import base64
import csv
import hashlib
import io
import os
import random
import sys
import zipfile


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--name", default="demo")
    p.add_argument("--version", default="1.0.0+cu130")
    p.add_argument("--classifier", action="append", default=[])
    p.add_argument("--zip64", action="store_true")
    p.add_argument("--data", action="store_true")
    p.add_argument("--members", type=int, default=3)
    p.add_argument("--so-size", type=int, default=200_000)
    p.add_argument("--tamper")
    p.add_argument("--evil-name")
    p.add_argument("--no-record-row")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)

    rng = random.Random(a.seed)
    dist_info = f"{a.name}-{a.version}.dist-info"
    members = []  # (name, bytes, mode)
    members.append((f"{a.name}/__init__.py",
                    b"__version__ = '%s'\n" % a.version.encode(), 0o644))
    members.append((f"{a.name}/_C.so", rng.randbytes(a.so_size), 0o755))
    for i in range(a.members):
        members.append((f"{a.name}/mod_{i}.py",
                        b"X = %d\n" % i * 20, 0o644))
    if a.data:
        members.append((f"{a.name}-{a.version}.data/scripts/demo-tool",
                        b"#!python\nprint('tool')\n", 0o755))
    if a.evil_name:
        members.append((a.evil_name, b"evil\n", 0o644))
    metadata = "".join(
        ["Metadata-Version: 2.1\n", f"Name: {a.name}\n",
         f"Version: {a.version}\n", "Summary: a demo package\n",
         "Requires-Python: >=3.9\n"]
        + [f"Classifier: {c}\n" for c in a.classifier]
        + ["Requires-Dist: filelock\n", "\n", "A long description.\n",
           "Version: 9.9 (in the body, not a field)\n"])
    members.append((f"{dist_info}/METADATA", metadata.encode(), 0o644))
    members.append((f"{dist_info}/WHEEL",
                    b"Wheel-Version: 1.0\nGenerator: make_wheel\n"
                    b"Root-Is-Purelib: false\nTag: py3-none-any\n", 0o644))
    members.append((f"{dist_info}/top_level.txt", a.name.encode() + b"\n",
                    0o644))

    rows = io.StringIO()
    w = csv.writer(rows, delimiter=",", quotechar='"', lineterminator="\n")
    for name, data, _ in members:
        if name == a.no_record_row:
            continue
        w.writerow([name, record_hash(data), len(data)])
    w.writerow([f"{dist_info}/RECORD", "", ""])
    members.append((f"{dist_info}/RECORD", rows.getvalue().encode(), 0o644))

    with zipfile.ZipFile(a.out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in members:
            if name == a.tamper:
                data = data + b"tampered"
            info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 12, 30, 2))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100000 | mode) << 16
            with z.open(info, "w", force_zip64=a.zip64) as f:
                f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
