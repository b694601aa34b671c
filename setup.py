"""Builds the relkit Python package: the `_relkit` extension comes from CMake.

setuptools drives packaging; `build_ext` configures the CMake project with
only the Python face enabled and builds the `_relkit` target, then copies the
module to where setuptools expects it. Offline (no PyPI):

    pip install --no-build-isolation --no-index .

Environment: CMAKE_BUILD_PARALLEL_LEVEL (default 2) sets the build jobs,
RELKIT_CMAKE_ARGS adds configure arguments (space separated).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version() -> str:
    """Returns the VERSION of `project(relkit ...)` in CMakeLists.txt."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*relkit\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)", text)
    if match is None:
        raise RuntimeError("cannot find project(relkit VERSION ...) in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension built by a CMake target instead of by setuptools."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        if not isinstance(ext, CMakeExtension):
            super().build_extension(ext)
            return
        dest = Path(self.get_ext_fullpath(ext.name)).resolve()
        build_dir = Path(self.build_temp).resolve() / "cmake"
        out_dir = build_dir / "python"
        config = "Debug" if self.debug else "Release"
        configure = [
            "cmake",
            "-S", str(ROOT),
            "-B", str(build_dir),
            "-DRELKIT_BUILD_PYTHON=ON",
            "-DRELKIT_BUILD_TESTS=OFF",
            "-DRELKIT_BUILD_CLI=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
            f"-DCMAKE_BUILD_TYPE={config}",
            "-DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON",
            f"-DRELKIT_PYTHON_OUTPUT_DIR={out_dir}",
        ]
        # Ninja when present, unless the build tree was configured otherwise.
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("RELKIT_CMAKE_ARGS", ""))
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        build = ["cmake", "--build", str(build_dir), "--target", ext.target,
                 "--config", config, "-j", jobs]
        build_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(configure, check=True)
        subprocess.run(build, check=True)

        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        built = out_dir / (ext.target + suffix)
        if not built.exists():
            candidates = sorted(out_dir.glob(ext.target + ".*"))
            if len(candidates) != 1:
                raise RuntimeError(f"cannot find the built {ext.target} module in {out_dir}")
            built = candidates[0]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, dest)


setup(
    version=project_version(),
    ext_modules=[CMakeExtension("relkit._relkit", target="_relkit")],
    cmdclass={"build_ext": CMakeBuild},
    # `build/` is the CMake build tree of the C++ project; keep setuptools out.
    options={"build": {"build_base": "build-setuptools"}},
)
