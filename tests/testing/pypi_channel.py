"""A test channel of real wheels for `relkit pypi stage` / `validate` tests.

Wheels are written with zipfile and a correct RECORD (sha256, urlsafe
base64, sizes), one per (Python, platform, local label), with METADATA that
carries the local version, Requires-Dist pins (Linux: triton and an
nvidia-* wheel with a platform marker) and Python classifiers including the
pre-release 3.15 one that staging drops. The layout is download.pytorch.org's:

    ROOT/whl/test/cu130/torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl
    ROOT/whl/test/cu130/torch/index.html   (links ../<file>#sha256=...)
    ROOT/whl/test/cpu/...
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import pathlib
import urllib.parse
import zipfile
from typing import Iterable

VERSION = "2.9.0"
# The default build matrix's release channel (data/build_matrix.json).
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"]
LINUX = ["manylinux_2_28_x86_64", "manylinux_2_28_aarch64"]
# A release day when 3.15 is still a pre-release (final 2026-10-01).
DATE = "2026-09-02"
VERSIONS_SH = (
    "#!/bin/bash\n"
    "PYTORCH_VERSION=${PYTORCH_VERSION:-2.9.0}\n"
)


def _hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def cp_tags(python: str) -> tuple[str, str]:
    ft = python.endswith("t")
    digits = python.rstrip("t").replace(".", "")
    return f"cp{digits}", f"cp{digits}{'t' if ft else ''}"


def write_wheel(path: pathlib.Path, name: str, version: str, tag: str, *,
                requires: Iterable[str] = (), classifiers: Iterable[str] = (),
                metadata_version: str | None = None, payload: int = 2000,
                tamper: bool = False) -> pathlib.Path:
    """Writes a wheel `path` whose WHEEL says `tag` (`cp312-cp312-win_amd64`)."""
    dist_info = f"{name}-{version}.dist-info"
    meta = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {metadata_version or version}",
        "Summary: a test package",
        "Requires-Python: >=3.10",
    ]
    meta += [f"Classifier: {c}" for c in classifiers]
    meta += [f"Requires-Dist: {r}" for r in requires]
    members = [
        (f"{name}/__init__.py", f"__version__ = '{version}'\n".encode()),
        (f"{name}/_C.so", hashlib.sha256(path.name.encode()).digest() * (payload // 32 + 1)),
        (f"{dist_info}/METADATA", ("\n".join(meta) + "\n\nA test package.\n").encode()),
        (f"{dist_info}/WHEEL",
         f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: {tag}\n".encode()),
    ]
    rows = io.StringIO()
    w = csv.writer(rows, lineterminator="\n")
    for member, data in members:
        w.writerow([member, _hash(data), len(data)])
    w.writerow([f"{dist_info}/RECORD", "", ""])
    members.append((f"{dist_info}/RECORD", rows.getvalue().encode()))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for member, data in members:
            if tamper and member.endswith("_C.so"):
                data = data + b"tampered"
            z.writestr(zipfile.ZipInfo(member, date_time=(2026, 8, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return path


def requires_for(platform: str, triton: str = "3.5.0") -> list[str]:
    reqs = ["filelock", "sympy>=1.13.3"]
    if platform.startswith("manylinux"):
        reqs += [f"triton=={triton}; platform_system == \"Linux\"",
                 "nvidia-cudnn-cu13==9.13.0.50; platform_system == \"Linux\""]
    return reqs


CLASSIFIERS = [
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3.14",
    "Programming Language :: Python :: 3.15",
]


def build_channel(root: pathlib.Path, *, triton_odd: str | None = None) -> dict[str, list[str]]:
    """Writes the test channel under `root` and its index pages; returns
    {"selected": [...], "excluded": [...]} file names (with `+`)."""
    test = root / "whl" / "test"
    wheels: dict[str, list[tuple[str, str]]] = {}  # acc -> (file, python)
    selected: list[str] = []
    excluded: list[str] = []

    def add(acc: str, python: str | None, platform: str, label: str | None, select: bool,
            triton: str = "3.5.0") -> None:
        version = VERSION + (f"+{label}" if label else "")
        if python is None:
            tag = f"py3-none-{platform}"
        else:
            cp, abi = cp_tags(python)
            tag = f"{cp}-{abi}-{platform}"
        name = f"torch-{version}-{tag}.whl"
        write_wheel(test / acc / name, "torch", version, tag,
                    requires=requires_for(platform, triton), classifiers=CLASSIFIERS)
        wheels.setdefault(acc, []).append((name, python or ""))
        (selected if select else excluded).append(name)

    for python in PYTHONS + ["3.15", "3.15t"]:
        pre = python.startswith("3.15")
        for platform in LINUX:
            odd = triton_odd if (python == "3.12" and platform == LINUX[0]) else None
            add("cu130", python, platform, "cu130", not pre, triton=odd or "3.5.0")
        add("cpu", python, "win_amd64", "cpu", not pre)
        add("cpu", python, "macosx_11_0_arm64", None, not pre)
    # Other accelerators: never staged.
    add("cu126", "3.12", LINUX[0], "cu126", False)
    add("rocm7.2", "3.12", LINUX[0], "rocm7.2", False)
    add("cpu", "3.12", LINUX[0], "cpu", False)
    for acc, files in wheels.items():
        write_index(test / acc / "torch" / "index.html", test / acc, [f for f, _ in files])
    return {"selected": selected, "excluded": excluded}


def write_index(page: pathlib.Path, folder: pathlib.Path, files: list[str],
                wrong_sha_for: str | None = None) -> None:
    links = []
    for f in files:
        sha = hashlib.sha256((folder / f).read_bytes()).hexdigest()
        if f == wrong_sha_for:
            sha = "0" * 64
        href = "../" + urllib.parse.quote(f)
        links.append(f'<a href="{href}#sha256={sha}">{f}</a><br/>')
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<!DOCTYPE html>\n<html><body>\n" + "\n".join(links) + "\n</body></html>\n")
