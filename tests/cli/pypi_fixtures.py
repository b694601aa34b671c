"""Real parts for the upload tests: the stand-in PyPI server
(tests/cli/pypi_server.py, started on 127.0.0.1 by the test) and real wheels
built with Debian's pip from a small setup.py. Used by
tests/cli/test_cli_pypi_upload.py and tests/python/test_pypi_upload.py."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterator

HERE = pathlib.Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"
TOKEN = "pypi-AgEIcHlwaS5vcmcCJDk1ZTQ0-Secret-Token-That-Must-Not-Leak"

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

LONG_DESCRIPTION = """# Tiny package

A package built by the upload tests, with a long description in Markdown.

* a list item with unicode: caf\u00e9 \u2014 \u03bb
* another line

    indented code block
"""


@dataclass
class PypiServer:
    state: pathlib.Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def repository_url(self) -> str:
        return f"{self.url}/legacy/"

    @property
    def index_url(self) -> str:
        return f"{self.url}/simple/"

    def set_knobs(self, **knobs: Any) -> None:
        (self.state / "knobs.json").write_text(json.dumps(knobs))

    def knobs(self) -> dict[str, Any]:
        path = self.state / "knobs.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def _jsonl(self, name: str) -> list[dict[str, Any]]:
        path = self.state / name
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line]

    def uploads(self) -> list[dict[str, Any]]:
        return self._jsonl("uploads.jsonl")

    def requests(self) -> list[dict[str, Any]]:
        return self._jsonl("requests.jsonl")

    def posts(self) -> list[dict[str, Any]]:
        return [r for r in self.requests() if r["method"] == "POST"]

    def stored(self, project: str) -> list[str]:
        folder = self.state / "files" / project
        return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".part")) \
            if folder.is_dir() else []

    def preload(self, project: str, wheel: pathlib.Path, name: str | None = None) -> None:
        """Puts a file on the index as if uploaded earlier."""
        folder = self.state / "files" / project
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(wheel, folder / (name or wheel.name))


def start_pypi_server(state: pathlib.Path, *, same_file_ok: bool = False) -> PypiServer:
    state.mkdir(parents=True, exist_ok=True)
    port_file = state / "port"
    argv = [PYTHON, str(HERE / "pypi_server.py"), "--state", str(state), "--token", TOKEN,
            "--port-file", str(port_file)]
    if same_file_ok:
        argv.append("--same-file-ok")
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not port_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the test PyPI server did not start")
        time.sleep(0.05)
    return PypiServer(state, int(port_file.read_text()), process)


def stop_pypi_server(server: PypiServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def pypi_server_fixture(tmp_path: pathlib.Path) -> Iterator[PypiServer]:
    server = start_pypi_server(tmp_path / "pypi")
    try:
        yield server
    finally:
        stop_pypi_server(server)


def build_wheel(out_dir: pathlib.Path, *, name: str = "tiny_pkg", version: str = "1.0.0",
                marker: str = "", license: str = "BSD-3-Clause") -> pathlib.Path:
    """Builds a real pure-Python wheel with pip from a setup.py with
    Requires-Dist, classifiers, project URLs, extras and a long description.
    `marker` changes the module's text (and so the wheel's sha256); a
    `license` of several lines is written as a folded METADATA field."""
    src = out_dir / f"src-{name}-{version}-{abs(hash(marker))}"
    pkg = src / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(f'__version__ = "{version}"\nMARKER = {marker!r}\n')
    (src / "README.md").write_text(LONG_DESCRIPTION, encoding="utf-8")
    (src / "setup.py").write_text(f'''
from setuptools import setup
setup(
    name={name!r},
    version={version!r},
    description="A tiny package for relkit's upload tests",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    author="Relkit Tests",
    author_email="tests@example.com",
    maintainer="Release Team",
    maintainer_email="release@example.com",
    url="https://example.com/tiny",
    download_url="https://example.com/tiny/download",
    license={license!r},
    keywords="release, testing",
    packages=[{name!r}],
    python_requires=">=3.8",
    install_requires=["filelock", "typing-extensions>=4.8.0", "sympy; python_version >= '3.9'"],
    extras_require={{"opt": ["numpy"]}},
    classifiers=[
        "Development Status :: 5 - Production/Stable",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.12",
        "License :: OSI Approved :: BSD License",
    ],
    project_urls={{"Source": "https://example.com/src", "Tracker": "https://example.com/issues"}},
)
''')
    wheels = out_dir / "wheels"
    wheels.mkdir(exist_ok=True)
    before = set(wheels.iterdir())
    subprocess.run([PYTHON, "-m", "pip", "wheel", "--no-index", "--no-build-isolation",
                    "--no-deps", "-q", "-w", str(wheels), str(src)], check=True,
                   capture_output=True, cwd=out_dir)
    built = [p for p in wheels.iterdir() if p not in before]
    assert len(built) == 1, built
    return built[0]


def twine_upload(server: PypiServer, wheel: pathlib.Path,
                 token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWINE_")}
    env["NO_PROXY"] = "127.0.0.1"
    return subprocess.run(
        ["/usr/bin/twine", "upload", "--repository-url", server.repository_url, "-u", "__token__",
         "-p", token, "--non-interactive", "--disable-progress-bar", str(wheel)],
        capture_output=True, text=True, env=env, timeout=120, check=False)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
