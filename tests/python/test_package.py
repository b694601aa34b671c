"""The installed shape of the package: version, exports, typing markers."""

from __future__ import annotations

import importlib.resources
import os
import re
import types

import relkit
from relkit import _relkit


def test_version_is_the_cmake_project_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", relkit.__version__)
    assert relkit.__version__ == _relkit.__version__


def test_all_names_exist_and_are_unique() -> None:
    assert len(set(relkit.__all__)) == len(relkit.__all__)
    for name in relkit.__all__:
        assert hasattr(relkit, name), name


def test_public_names_are_in_all() -> None:
    public = {n for n in vars(relkit) if not n.startswith("_")}
    # Submodules are attributes of the package but not API.
    public -= {"annotations"}
    public -= {n for n, v in vars(relkit).items() if isinstance(v, types.ModuleType)}
    assert public <= set(relkit.__all__) | {"_relkit"}


def test_ships_typing_markers() -> None:
    files = importlib.resources.files("relkit")
    assert files.joinpath("py.typed").is_file()
    assert files.joinpath("_relkit.pyi").is_file()


def test_compiled_module_lives_inside_the_package() -> None:
    assert _relkit.__name__ == "relkit._relkit"


def test_missing_compiled_module_gives_a_friendly_import_error(tmp_path: os.PathLike[str]) -> None:
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    package = Path(tmp_path) / "relkit"
    package.mkdir()
    shutil.copy(Path(relkit.__file__), package / "__init__.py")
    result = subprocess.run(
        [sys.executable, "-c", "import relkit"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)}, capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "ImportError: relkit: the compiled module relkit._relkit could not be loaded" in (
        result.stderr)
    assert "pip install" in result.stderr
