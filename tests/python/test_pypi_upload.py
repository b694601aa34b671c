"""relkit.pypi_upload against the stand-in PyPI on 127.0.0.1 (tests/cli/pypi_server.py),
with real wheels built by pip: the same plan and the same once-only upload as
`relkit pypi upload`, and the token in no repr, text, JSON or error."""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import sys
from typing import Iterator

import pytest

import relkit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "cli"))
from pypi_fixtures import (TOKEN, PypiServer, build_wheel,  # noqa: E402
                           pypi_server_fixture)

WRONG = "pypi-Wrong-Python-Token-That-Must-Not-Leak-5b5b"


@pytest.fixture()
def pypi(tmp_path: pathlib.Path) -> Iterator[PypiServer]:
    yield from pypi_server_fixture(tmp_path)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return build_wheel(tmp_path_factory.mktemp("wheels"))


@pytest.fixture()
def staging(tmp_path: pathlib.Path, wheel: pathlib.Path) -> pathlib.Path:
    folder = tmp_path / "staging" / "tiny_pkg-1.0.0-pypi-staging"
    folder.mkdir(parents=True)
    shutil.copy(wheel, folder / wheel.name)
    return tmp_path / "staging"


def call(pypi: PypiServer, staging: pathlib.Path, **kwargs: object) -> relkit.PypiUploadRun:
    return relkit.pypi_upload(staging, repository_url=pypi.repository_url,
                              index_url=pypi.index_url, **kwargs)  # type: ignore[arg-type]


def test_plan_then_upload_then_rerun(pypi: PypiServer, staging: pathlib.Path,
                                     wheel: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TWINE_PASSWORD", "PYPI_API_TOKEN", "TWINE_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    plan = call(pypi, staging)
    assert not plan.executed and plan.ok
    (f,) = plan.plan.files
    assert f.action == "upload" and f.filename == wheel.name
    assert f.sha256 == hashlib.sha256(wheel.read_bytes()).hexdigest() and f.sha256_computed
    assert repr(plan) == "<PypiUploadRun plan: 1 to upload, 0 already there>"
    assert pypi.posts() == []

    done = call(pypi, staging, token=TOKEN, execute=True)
    assert done.executed and done.ok and done.uploaded == 1
    (applied,) = done.files
    assert applied.status == "uploaded" and applied.confirmed and applied.attempts == 1
    assert json.loads(done.to_json())["applied"]["uploaded"] == 1

    # From the environment this time; nothing left to send.
    monkeypatch.setenv("PYPI_API_TOKEN", TOKEN)
    again = call(pypi, staging, execute=True)
    assert again.ok and again.uploaded == 0
    assert [a.status for a in again.files] == ["already there"]
    assert "already uploaded: nothing was sent" in again.to_text()
    assert len(pypi.posts()) == 1
    for text in (repr(plan), repr(done), repr(again), done.to_text(), done.to_json(),
                 again.to_text(), repr(applied), repr(done.plan)):
        assert TOKEN not in text


def test_execute_without_a_token_raises(pypi: PypiServer, staging: pathlib.Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TWINE_PASSWORD", "PYPI_API_TOKEN", "TWINE_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(relkit.FailedPreconditionError, match="TWINE_PASSWORD or PYPI_API_TOKEN"):
        call(pypi, staging, execute=True)
    assert pypi.posts() == []


def test_bad_token_is_a_failure_value_without_the_token(pypi: PypiServer,
                                                        staging: pathlib.Path) -> None:
    pypi.set_knobs(echo_auth=True)
    run = call(pypi, staging, token=WRONG, execute=True)
    assert run.executed and not run.ok
    assert run.failure_code == "PERMISSION_DENIED"
    assert run.failure_message is not None
    assert "Invalid or non-existent authentication information" in run.failure_message
    for text in (repr(run), run.to_text(), run.to_json(), run.failure_message):
        assert WRONG not in text
    assert pypi.uploads() == []


def test_conflict_is_not_executed(pypi: PypiServer, staging: pathlib.Path, wheel: pathlib.Path,
                                  tmp_path: pathlib.Path) -> None:
    other = build_wheel(tmp_path / "other", marker="different bytes")
    pypi.preload("tiny-pkg", other, name=wheel.name)
    run = call(pypi, staging, token=TOKEN, execute=True)
    assert not run.executed and not run.ok
    assert run.plan.conflict_count == 1
    (f,) = run.plan.files
    assert f.action == "conflict"
    assert f.index_sha256 == hashlib.sha256(other.read_bytes()).hexdigest()
    assert "blocked" in repr(run)
    assert pypi.posts() == []


def test_missing_staging_directory_raises_lookup_error(pypi: PypiServer,
                                                       tmp_path: pathlib.Path) -> None:
    with pytest.raises(relkit.NotFoundError):
        call(pypi, tmp_path / "nowhere")
