"""relkit.read_wheel / verify_wheel_record / rewrite_wheel on real wheels.

A tiny package with version "1.0.0+cu130" is built in the test by Debian's
pip (`pip wheel --no-index --no-build-isolation`); others are written with
Python's zipfile (zip64, tampered, hostile). Results are typed objects with
reprs; failures are relkit exceptions that are also the builtins a Python
user catches (ValueError, LookupError). The rewritten wheel is checked with
`wheel unpack`, `pip install` into a fresh venv and hashlib.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import pathlib
import subprocess
import threading
import zipfile

import pytest

import relkit

PY = "/usr/bin/python3"
ROOT = pathlib.Path(__file__).resolve().parents[2]
MAKE_WHEEL = ROOT / "tests" / "testing" / "make_wheel.py"
PY315 = "Programming Language :: Python :: 3.15"


@pytest.fixture(scope="module")
def real_wheel(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    tmp = tmp_path_factory.mktemp("build")
    src = tmp / "src"
    (src / "demo").mkdir(parents=True)
    (src / "demo" / "__init__.py").write_text("VALUE = 7\n")
    (src / "setup.py").write_text(
        "from setuptools import setup\n"
        "setup(name='demo_pkg', version='1.0.0+cu130', packages=['demo'],\n"
        f"      classifiers=['Programming Language :: Python :: 3', {PY315!r}])\n")
    subprocess.run([PY, "-m", "pip", "wheel", "--no-index", "--no-build-isolation",
                    "--no-deps", "-q", "-w", str(tmp / "dist"), str(src)],
                   check=True, capture_output=True)
    (wheel,) = (tmp / "dist").glob("*.whl")
    return wheel


def make_wheel(tmp: pathlib.Path, name: str, *args: str) -> pathlib.Path:
    out = tmp / name
    subprocess.run([PY, str(MAKE_WHEEL), str(out), *args], check=True)
    return out


def hashlib_record_ok(path: pathlib.Path) -> bool:
    with zipfile.ZipFile(path) as z:
        (record,) = [n for n in z.namelist() if n.endswith(".dist-info/RECORD")]
        rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(z.read(record).decode()))}
        for name in z.namelist():
            if name == record:
                continue
            data = z.read(name)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            if rows.get(name) != ["sha256=" + digest.decode(), str(len(data))]:
                return False
    return True


def test_read_wheel(real_wheel: pathlib.Path) -> None:
    w = relkit.read_wheel(real_wheel)
    assert isinstance(w, relkit.WheelContents)
    assert w.dist_info == "demo_pkg-1.0.0+cu130.dist-info"
    assert w.version == "1.0.0+cu130"
    assert w.filename.name == "demo-pkg"
    assert w.metadata.get("version") == "1.0.0+cu130"
    assert PY315 in w.metadata.get_all("Classifier")
    assert w.metadata.fields[0] == ("Metadata-Version", w.metadata.get("Metadata-Version"))
    assert w.metadata.get("Author-Email") is None
    assert w.record[-1] == w.record[-1]
    assert w.record[-1].path.endswith("/RECORD") and w.record[-1].size is None
    assert w.member_count == len(zipfile.ZipFile(real_wheel).namelist())
    assert repr(w).startswith("<WheelContents('demo_pkg-1.0.0+cu130.dist-info'")
    assert repr(w.metadata).startswith("<CoreMetadata(Name='demo")
    assert "Version='1.0.0+cu130'" in repr(w.metadata)


def test_rewrite_wheel_end_to_end(real_wheel: pathlib.Path, tmp_path: pathlib.Path) -> None:
    r = relkit.rewrite_wheel(real_wheel, tmp_path / "out", remove_classifiers=[PY315])
    assert isinstance(r, relkit.WheelRewrite)
    assert r.file_name == "demo_pkg-1.0.0-py3-none-any.whl"
    assert r.old_version == relkit.Version("1.0.0+cu130")
    assert r.new_version == relkit.Version("1.0.0")
    assert r.removed_classifiers == [PY315]
    assert not r.unchanged
    assert repr(r) == ("<WheelRewrite('demo_pkg-1.0.0-py3-none-any.whl', "
                       "1.0.0+cu130 -> 1.0.0, 1 classifiers removed)>")
    out = pathlib.Path(r.output_path)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == r.sha256

    check = relkit.verify_wheel_record(out)
    assert check.ok and bool(check) and check.problems == []
    assert repr(check) == f"<RecordCheck(ok, {check.members_checked} members hashed, 0 problems)>"
    assert hashlib_record_ok(out)
    assert relkit.read_wheel(out).version == "1.0.0"

    subprocess.run([PY, "-m", "wheel", "unpack", "-d", str(tmp_path / "u"), str(out)],
                   check=True, capture_output=True)
    venv = tmp_path / "venv"
    subprocess.run([PY, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index",
                    "--no-deps", str(out)], check=True)
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import importlib.metadata as m; d = m.distribution('demo_pkg');"
         "print(d.version); print(d.metadata.get_all('Classifier'))"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    assert probe == ["1.0.0", "['Programming Language :: Python :: 3']"]


def test_unchanged_wheel(tmp_path: pathlib.Path) -> None:
    wheel = make_wheel(tmp_path, "demo-1.0-py3-none-any.whl", "--version", "1.0")
    r = relkit.rewrite_wheel(str(wheel), str(tmp_path / "out"), [PY315])
    assert r.unchanged and r.changed_members == []
    assert "unchanged" in repr(r)
    assert pathlib.Path(r.output_path).read_bytes() == wheel.read_bytes()


def test_verify_reports_problems(tmp_path: pathlib.Path) -> None:
    wheel = make_wheel(tmp_path, "demo-1.0-py3-none-any.whl", "--version", "1.0",
                       "--tamper", "demo/__init__.py")
    check = relkit.verify_wheel_record(wheel)
    assert not check.ok and not check
    assert [(p.member, p.what) for p in check.problems] == [("demo/__init__.py",
                                                            "hash mismatch")]
    assert repr(check.problems[0]) == "<RecordProblem('demo/__init__.py': 'hash mismatch')>"


def test_zip64_wheel(tmp_path: pathlib.Path) -> None:
    wheel = make_wheel(tmp_path, "demo-3.1+cpu-py3-none-any.whl", "--version", "3.1+cpu",
                       "--zip64")
    assert relkit.verify_wheel_record(wheel).ok
    r = relkit.rewrite_wheel(wheel, tmp_path / "out")
    assert r.file_name == "demo-3.1-py3-none-any.whl"
    assert relkit.verify_wheel_record(r.output_path).ok


def test_errors_are_typed(tmp_path: pathlib.Path) -> None:
    with pytest.raises(relkit.NotFoundError) as missing:
        relkit.read_wheel(tmp_path / "nope-1.0-py3-none-any.whl")
    assert isinstance(missing.value, LookupError)
    evil = make_wheel(tmp_path, "demo-1.0-py3-none-any.whl", "--version", "1.0",
                      "--evil-name", "../../escape")
    with pytest.raises(relkit.InvalidArgumentError, match=r"\.\./\.\./escape") as bad:
        relkit.rewrite_wheel(evil, tmp_path / "out")
    assert isinstance(bad.value, ValueError)
    with pytest.raises(ValueError):
        relkit.verify_wheel_record(evil)
    with pytest.raises(ValueError, match="METADATA:2"):
        relkit.CoreMetadata.parse("Name: a\nbroken\n", "METADATA")


def test_calls_release_the_gil(tmp_path: pathlib.Path) -> None:
    # Several rewrites in threads finish and agree (the GIL is released
    # inside; each writes its own output).
    wheel = make_wheel(tmp_path, "demo-1.0+cu130-py3-none-any.whl", "--version",
                       "1.0+cu130", "--so-size", "2000000")
    results: list[str] = []

    def work(i: int) -> None:
        results.append(relkit.rewrite_wheel(wheel, tmp_path / f"out{i}").sha256)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and len(set(results)) == 1
