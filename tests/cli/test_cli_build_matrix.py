"""`relkit build-matrix`: reproduces test-infra's generate_binary_build_matrix.py
outputs (tests/data/build_matrix/, flags from their ASSETS.md)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
from typing import Any

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "build_matrix"

# reference file -> the flags that produced it at pytorch/test-infra@61a77570
REFERENCES = {
    "build_matrix_linux_wheel_cuda.json": ["--build-python-only", "disable", "--with-xpu", "disable"],
    "build_matrix_linux_wheel_cuda_norocm.json": [
        "--build-python-only", "disable", "--with-rocm", "disable", "--with-xpu", "disable"],
    "build_matrix_linux_wheel_nocpu.json": [
        "--build-python-only", "disable", "--with-cpu", "disable", "--with-xpu", "disable"],
    "build_matrix_linux_wheel_xpu.json": [
        "--build-python-only", "disable", "--with-cpu", "disable", "--with-rocm", "disable",
        "--with-xpu", "enable"],
    "build_matrix_macos_wheel.json": [
        "--build-python-only", "disable", "--operating-system", "macos", "--with-cuda", "disable",
        "--with-rocm", "disable"],
    "build_matrix_windows_wheel_cuda.json": ["--build-python-only", "disable", "--operating-system", "windows"],
    "build_matrix_windows_wheel_xpu.json": [
        "--build-python-only", "disable", "--operating-system", "windows", "--with-rocm", "disable",
        "--with-cuda", "disable"],
}

# The script's environment variables would change the defaults.
SCRIPT_ENV = ("PACKAGE_TYPE", "OS", "CHANNEL", "WITH_CUDA", "WITH_ROCM", "WITH_CPU", "WITH_XPU",
              "LIMIT_PR_BUILDS", "USE_ONLY_DL_PYTORCH_ORG", "BUILD_PYTHON_ONLY", "GETTING_STARTED",
              "PYTHON_VERSIONS")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRIPT_ENV}
    env.update(extra)
    return env


def _relkit(relkit_path: pathlib.Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(relkit_path), "build-matrix", *args], capture_output=True,
                          text=True, timeout=60, check=False, env=_env(**env))


def _pairs(text: str) -> Any:
    """Parsed JSON with objects as lists of (key, value): equality checks order."""
    return json.loads(text, object_pairs_hook=list)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_reproduces_reference_keys_order_and_values(relkit_path: pathlib.Path, name: str) -> None:
    result = _relkit(relkit_path, *REFERENCES[name])
    assert result.returncode == 0, result.stderr
    expected_text = (DATA / name).read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(expected_text)
    assert _pairs(result.stdout) == _pairs(expected_text)
    # The default output is json.dumps's compact layout, one line.
    assert result.stdout == json.dumps(json.loads(expected_text)) + "\n"
    # --indent 2 is json.dump(indent=2), byte for byte.
    indented = _relkit(relkit_path, *REFERENCES[name], "--indent", "2")
    assert indented.stdout == expected_text + "\n"


def test_reads_the_scripts_environment_variables(relkit_path: pathlib.Path) -> None:
    result = _relkit(relkit_path, OS="windows", BUILD_PYTHON_ONLY="disable")
    assert result.returncode == 0, result.stderr
    expected = (DATA / "build_matrix_windows_wheel_cuda.json").read_text(encoding="utf-8")
    assert _pairs(result.stdout) == _pairs(expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "beta"], 'unknown channel "beta" (valid: nightly, test, release, all)'),
        (["--operating-system", "solaris"], "valid: linux, linux-aarch64, macos, macos-arm64"),
        (["--package-type", "conda"], 'unknown package type "conda"'),
        (["--python-versions", '["3.10", 3]'], "--python-versions: $[1]"),
        (["--python-versions", "[3.10"], "--python-versions:1:"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(relkit_path: pathlib.Path, args: list[str], message: str) -> None:
    result = _relkit(relkit_path, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_bad_tables_file_names_file_and_path(relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    tables = tmp_path / "tables.json"
    tables.write_text('{"ROCM_ARCHES_DICT": {"nightly": ["7.x"], "test": [], "release": []}}')
    result = _relkit(relkit_path, "--tables", str(tables))
    assert result.returncode == 2
    assert str(tables) in result.stderr
    assert "$.ROCM_ARCHES_DICT.nightly[0]" in result.stderr


def test_tables_round_trip_and_go_live(relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> None:
    shown = _relkit(relkit_path, "--show-tables")
    assert shown.returncode == 0, shown.stderr
    tables = json.loads(shown.stdout)
    assert tables["CURRENT_STABLE_VERSION"] == "2.13.0"
    path = tmp_path / "tables.json"
    path.write_text(shown.stdout)
    again = _relkit(relkit_path, "--tables", str(path), "--show-tables")
    assert again.stdout == shown.stdout

    live = json.loads(_relkit(relkit_path, "--go-live", "--show-tables").stdout)
    assert live["CURRENT_STABLE_VERSION"] == "2.14.0"
    assert live["CUDA_ARCHES_DICT"]["release"] == tables["CUDA_ARCHES_DICT"]["test"]
    matrix = json.loads(_relkit(relkit_path, "--go-live", "--channel", "release",
                                "--with-xpu", "disable").stdout)
    assert {e["stable_version"] for e in matrix["include"]} == {"2.14.0"}
    assert "cu134" in {e["desired_cuda"] for e in matrix["include"]}


def test_channel_all_and_libtorch(relkit_path: pathlib.Path) -> None:
    result = _relkit(relkit_path, "--channel", "all", "--package-type", "all")
    assert result.returncode == 0, result.stderr
    include = json.loads(result.stdout)["include"]
    assert [e["channel"] for e in include][0] == "nightly"
    libtorch = [e for e in include if e["package_type"] == "libtorch"]
    assert list(libtorch[0]) == [
        "gpu_arch_type", "gpu_arch_version", "desired_cuda", "libtorch_variant", "libtorch_config",
        "devtoolset", "container_image", "package_type", "build_name", "validation_runner",
        "installation", "channel", "stable_version"]
    assert {e["channel"] for e in libtorch} == {"nightly", "test", "release"}


def test_getting_started_keeps_one_rocm_and_hides_cuda_13_4(relkit_path: pathlib.Path) -> None:
    result = _relkit(relkit_path, "--getting-started", "true", "--channel", "test")
    include = json.loads(result.stdout)["include"]
    assert "cu134" not in {e["desired_cuda"] for e in include}
    assert len({e["desired_cuda"] for e in include if e["gpu_arch_type"] == "rocm"}) == 1
