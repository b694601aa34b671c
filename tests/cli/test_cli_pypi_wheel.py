"""`relkit pypi rewrite` and `relkit pypi verify` on real wheels.

The input wheels are built in the test: a tiny package with version
"1.0.0+cu130" built by Debian's pip (`pip wheel --no-index
--no-build-isolation`), and wheels written directly with Python's zipfile
(tests/testing/make_wheel.py) for zip64, tampered and hostile cases. The
rewritten wheels are checked by tools that are not relkit: `python3 -m wheel
unpack`, `pip install --no-deps` into a fresh venv, importlib.metadata, and
RECORD recomputed with hashlib.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import pathlib
import struct
import subprocess
import sys
import zipfile

import pytest

from conftest import Run

PY = "/usr/bin/python3"
ROOT = pathlib.Path(__file__).resolve().parents[2]
MAKE_WHEEL = ROOT / "tests" / "testing" / "make_wheel.py"
PY315 = "Programming Language :: Python :: 3.15"


def build_real_wheel(tmp: pathlib.Path, version: str = "1.0.0+cu130",
                     classifiers: tuple[str, ...] = (
                         "Programming Language :: Python :: 3", PY315)) -> pathlib.Path:
    """Builds demo_pkg with setuptools + bdist_wheel through pip: a module,
    an executable package file, and a script (which lands in .data/)."""
    src = tmp / f"src-{version}"
    (src / "demo").mkdir(parents=True)
    (src / "demo" / "__init__.py").write_text("VALUE = 42\n")
    tool = src / "demo" / "tool.sh"
    tool.write_text("#!/bin/sh\necho tool\n")
    tool.chmod(0o755)
    (src / "demo-script").write_text("#!python\nprint('script ran')\n")
    (src / "setup.py").write_text(
        "from setuptools import setup\n"
        f"setup(name='demo_pkg', version={version!r}, packages=['demo'],\n"
        "      package_data={'demo': ['tool.sh']}, scripts=['demo-script'],\n"
        f"      classifiers={list(classifiers)!r},\n"
        "      long_description='Version: 0.0 in the body\\n')\n")
    dist = tmp / f"dist-{version}"
    subprocess.run([PY, "-m", "pip", "wheel", "--no-index", "--no-build-isolation",
                    "--no-deps", "-q", "-w", str(dist), str(src)],
                   check=True, capture_output=True, text=True)
    (wheel,) = dist.glob("*.whl")
    return wheel


def make_wheel(tmp: pathlib.Path, name: str, *args: str) -> pathlib.Path:
    out = tmp / name
    subprocess.run([PY, str(MAKE_WHEEL), str(out), *args], check=True)
    return out


def record_problems(path: pathlib.Path) -> list[str]:
    """RECORD checked without relkit: hashlib over every member."""
    problems = []
    with zipfile.ZipFile(path) as z:
        (record_name,) = [n for n in z.namelist()
                          if n.count("/") == 1 and n.endswith(".dist-info/RECORD")]
        rows = {r[0]: r for r in csv.reader(io.StringIO(z.read(record_name).decode()))}
        for info in z.infolist():
            if info.filename == record_name:
                assert rows[record_name][1:] == ["", ""]
                continue
            data = z.read(info)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            row = rows.pop(info.filename, None)
            if row is None:
                problems.append(f"{info.filename}: no row")
            elif row[1] != "sha256=" + digest.decode() or row[2] != str(len(data)):
                problems.append(f"{info.filename}: mismatch")
        rows.pop(record_name)
        problems += [f"{p}: not in archive" for p in rows]
    return problems


def raw_member(path: pathlib.Path, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a member as stored in the file."""
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        header = f.read(30)
        assert header[:4] == b"PK\x03\x04"
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        f.seek(info.header_offset + 30 + name_len + extra_len)
        return f.read(info.compress_size)


def install_and_inspect(tmp: pathlib.Path, wheel: pathlib.Path) -> dict:
    venv = tmp / "venv"
    subprocess.run([PY, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                          "--no-index", "--no-deps", str(wheel)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import importlib.metadata as m, json, demo\n"
         "d = m.distribution('demo_pkg')\n"
         "print(json.dumps({'version': d.version, 'classifiers': "
         "d.metadata.get_all('Classifier'), 'value': demo.VALUE}))"],
        check=True, capture_output=True, text=True)
    info = json.loads(probe.stdout)
    script = venv / "bin" / "demo-script"
    info["script"] = subprocess.run([str(script)], capture_output=True,
                                    text=True).stdout.strip()
    return info


def test_rewrite_strips_local_label_and_the_result_installs(
        run: Run, tmp_path: pathlib.Path) -> None:
    wheel = build_real_wheel(tmp_path)
    assert wheel.name == "demo_pkg-1.0.0+cu130-py3-none-any.whl"
    out = tmp_path / "out"
    result = run("pypi", "rewrite", str(wheel), "--out", str(out),
                 "--remove-classifier", PY315, "--json")
    assert result.returncode == 0, result.stderr
    (r,) = json.loads(result.stdout)["wheels"]
    assert r["file_name"] == "demo_pkg-1.0.0-py3-none-any.whl"
    assert r["old_version"] == "1.0.0+cu130" and r["new_version"] == "1.0.0"
    assert r["removed_classifiers"] == [PY315]
    assert r["unchanged"] is False
    assert r["changed_members"] == ["demo_pkg-1.0.0.dist-info/METADATA",
                                    "demo_pkg-1.0.0.dist-info/RECORD"]
    new = out / r["file_name"]
    assert sorted(os.listdir(out)) == [r["file_name"]]  # no temporary left
    assert hashlib.sha256(new.read_bytes()).hexdigest() == r["sha256"]
    assert new.stat().st_size == r["size"]

    # Independent checks: RECORD by hashlib, wheel unpack, pip install.
    assert record_problems(new) == []
    unpack = subprocess.run([PY, "-m", "wheel", "unpack", "-d", str(tmp_path / "u"), str(new)],
                            capture_output=True, text=True)
    assert unpack.returncode == 0, unpack.stderr
    assert (tmp_path / "u" / "demo_pkg-1.0.0" / "demo_pkg-1.0.0.dist-info").is_dir()
    info = install_and_inspect(tmp_path, new)
    assert info["version"] == "1.0.0"
    assert info["classifiers"] == ["Programming Language :: Python :: 3"]
    assert info["value"] == 42
    assert info["script"] == "script ran"

    # Members that did not change (and the renamed ones) keep their
    # compressed bytes, CRC, mode and date; only METADATA and RECORD differ.
    with zipfile.ZipFile(wheel) as a, zipfile.ZipFile(new) as b:
        old = a.infolist()
        fresh = b.infolist()
        assert len(old) == len(fresh)
        for x, y in zip(old, fresh):  # same order
            renamed = x.filename.replace("1.0.0+cu130", "1.0.0")
            assert y.filename == renamed
            if x.filename.endswith(("/METADATA", "/RECORD")):
                continue
            assert (x.CRC, x.compress_size, x.file_size, x.external_attr, x.date_time,
                    x.compress_type) == (y.CRC, y.compress_size, y.file_size,
                                         y.external_attr, y.date_time, y.compress_type)
            assert raw_member(wheel, x) == raw_member(new, y)
        tool = b.getinfo("demo/tool.sh")
        assert (tool.external_attr >> 16) & 0o777 == 0o755
        assert any(n.startswith("demo_pkg-1.0.0.data/scripts/") for n in b.namelist())
        metadata = b.read("demo_pkg-1.0.0.dist-info/METADATA").decode()
        assert "Version: 1.0.0\n" in metadata and PY315 not in metadata
        assert "Version: 0.0 in the body" in metadata

    verify = run("pypi", "verify", str(new))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "RECORD verifies" in verify.stdout


def test_rerun_writes_the_same_bytes(run: Run, tmp_path: pathlib.Path) -> None:
    wheel = build_real_wheel(tmp_path)
    out = tmp_path / "out"
    first = json.loads(run("pypi", "rewrite", str(wheel), "--out", str(out), "--json").stdout)
    again = run("pypi", "rewrite", str(wheel), "--out", str(out), "--json")
    assert again.returncode == 0
    assert json.loads(again.stdout)["wheels"][0]["sha256"] == first["wheels"][0]["sha256"]
    assert len(os.listdir(out)) == 1


def test_percent_encoded_name_and_text_output(run: Run, tmp_path: pathlib.Path) -> None:
    wheel = build_real_wheel(tmp_path)
    encoded = tmp_path / wheel.name.replace("+", "%2B")
    wheel.rename(encoded)
    result = run("pypi", "rewrite", str(encoded), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "version 1.0.0+cu130 -> 1.0.0" in result.stdout
    assert (tmp_path / "out" / "demo_pkg-1.0.0-py3-none-any.whl").is_file()


def test_a_wheel_without_local_label_is_reported_unchanged(
        run: Run, tmp_path: pathlib.Path) -> None:
    wheel = build_real_wheel(tmp_path, version="1.0.0",
                             classifiers=("Programming Language :: Python :: 3",))
    result = run("pypi", "rewrite", str(wheel), "--out", str(tmp_path / "out"),
                 "--remove-classifier", PY315, "--json")
    assert result.returncode == 0, result.stderr
    (r,) = json.loads(result.stdout)["wheels"]
    assert r["unchanged"] is True and r["changed_members"] == []
    assert (tmp_path / "out" / wheel.name).read_bytes() == wheel.read_bytes()
    text = run("pypi", "rewrite", str(wheel), "--out", str(tmp_path / "out"))
    assert "unchanged" in text.stdout


def test_zip64_wheel_is_rewritten_and_installs(run: Run, tmp_path: pathlib.Path) -> None:
    wheel = make_wheel(tmp_path, "demo-2.0+cu130-py3-none-any.whl",
                       "--version", "2.0+cu130", "--zip64", "--data", "--members", "70")
    with open(wheel, "rb") as f:
        assert b"\x01\x00" in f.read()  # zip64 extra field header id
    result = run("pypi", "rewrite", str(wheel), "--out", str(tmp_path / "out"), "--json")
    assert result.returncode == 0, result.stderr
    new = tmp_path / "out" / "demo-2.0-py3-none-any.whl"
    assert record_problems(new) == []
    venv = tmp_path / "venv"
    subprocess.run([PY, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index",
                    "--no-deps", str(new)], check=True)
    version = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import importlib.metadata as m; print(m.version('demo'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert version == "2.0"


def test_verify_reports_problems_with_exit_1(run: Run, tmp_path: pathlib.Path) -> None:
    bad = make_wheel(tmp_path, "demo-1.0-py3-none-any.whl", "--version", "1.0",
                     "--tamper", "demo/_C.so", "--no-record-row", "demo/mod_0.py")
    result = run("pypi", "verify", str(bad), "--json")
    assert result.returncode == 1, result.stderr
    (w,) = json.loads(result.stdout)["wheels"]
    assert w["ok"] is False
    assert {(p["member"], p["problem"]) for p in w["problems"]} == {
        ("demo/_C.so", "hash mismatch"), ("demo/mod_0.py", "missing from RECORD")}
    text = run("pypi", "verify", str(bad))
    assert text.returncode == 1
    assert "RECORD does not verify" in text.stdout
    assert "demo/_C.so: hash mismatch" in text.stdout


@pytest.mark.parametrize("evil", ["../escape.py", "/etc/evil", "demo/../../x"])
def test_hostile_member_names_are_refused(run: Run, tmp_path: pathlib.Path,
                                          evil: str) -> None:
    wheel = make_wheel(tmp_path, "demo-1.0+cpu-py3-none-any.whl", "--version", "1.0+cpu",
                       "--evil-name", evil)
    out = tmp_path / "out"
    result = run("pypi", "rewrite", str(wheel), "--out", str(out))
    assert result.returncode == 2
    assert evil in result.stderr and wheel.name in result.stderr
    assert not out.exists() or os.listdir(out) == []
    assert run("pypi", "verify", str(wheel)).returncode == 2


def test_not_a_wheel_is_bad_input_and_escaped(run: Run, tmp_path: pathlib.Path) -> None:
    fake = tmp_path / "demo-1.0-py3-none-any.whl"
    fake.write_bytes(b"\x1b[31mnot a zip\n")
    result = run("pypi", "rewrite", str(fake), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "\x1b" not in result.stderr
    missing = run("pypi", "verify", str(tmp_path / "nope-1.0-py3-none-any.whl"))
    assert missing.returncode == 2


def test_help_explains(run: Run) -> None:
    result = run("pypi", "rewrite", "--help")
    assert result.returncode == 0
    assert "RECORD" in result.stdout and "--remove-classifier" in result.stdout
    assert "verify" in run("pypi", "--help").stdout
