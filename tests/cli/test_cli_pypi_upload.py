"""`relkit pypi upload` against a stand-in PyPI on 127.0.0.1 (tests/cli/pypi_server.py)
with real wheels built by pip, and Debian's twine as the reference uploader."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
from typing import Iterator

import pytest

from pypi_fixtures import (TOKEN, PypiServer, build_wheel, pypi_server_fixture, start_pypi_server,
                           stop_pypi_server, twine_upload)
from s3_helpers import assert_no_secret, moto, put, s3_env  # noqa: F401 (fixture)

WRONG_TOKEN = "pypi-WRONG-t0ken-That-Must-Not-Leak-77aa"


@pytest.fixture()
def pypi(tmp_path: pathlib.Path) -> Iterator[PypiServer]:
    yield from pypi_server_fixture(tmp_path)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pathlib.Path]:
    out = tmp_path_factory.mktemp("wheels")
    return {
        "tiny": build_wheel(out),
        "tiny_other": build_wheel(out / "other", marker="other content"),
        "extra": build_wheel(out, name="extra_pkg", version="2.0.0"),
        # setuptools folds a License of several lines over continuation
        # lines, which pkginfo (twine's reader) joins its own way.
        "folded": build_wheel(out / "folded", name="folded_pkg",
                              license="BSD 3-Clause\nCopyright (c) 2026  Relkit\n  All rights"),
    }


def stage(tmp_path: pathlib.Path, *wheels: pathlib.Path) -> pathlib.Path:
    """A staging directory laid out as the scripts do:
    <pkg>-<version>-pypi-staging/<wheel>."""
    root = tmp_path / "staging"
    for w in wheels:
        name, version = w.name.split("-")[:2]
        folder = root / f"{name}-{version}-pypi-staging"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(w, folder / w.name)
    return root


def upload(relkit_path: pathlib.Path, server: PypiServer, staging: str, *args: str,
           token: str | None = TOKEN, env: dict[str, str] | None = None,
           ) -> subprocess.CompletedProcess[str]:
    run_env = dict(env) if env is not None else {
        k: v for k, v in os.environ.items()
        if k not in ("TWINE_PASSWORD", "TWINE_USERNAME", "PYPI_API_TOKEN")}
    if token is not None:
        run_env["TWINE_PASSWORD"] = token
    return subprocess.run(
        [str(relkit_path), "pypi", "upload", "--staging", staging, "--repository-url",
         server.repository_url, "--index-url", server.index_url, *args],
        capture_output=True, text=True, env=run_env, timeout=120, check=False)


def no_token(*texts: str, token: str = TOKEN) -> None:
    basic = base64.b64encode(f"__token__:{token}".encode()).decode()
    for text in texts:
        assert token not in text
        assert basic not in text


def stored_uploads(server: PypiServer, filename: str) -> list[dict]:
    return [u for u in server.uploads() if u["filename"] == filename]


# -----------------------------------------------------------------------------
# The form, against twine's


@pytest.mark.parametrize("which", ["tiny", "folded"])
def test_form_fields_equal_twines_field_by_field(relkit_path, tmp_path, wheels, which):
    wheel = wheels[which]
    ours = start_pypi_server(tmp_path / "ours")
    theirs = start_pypi_server(tmp_path / "theirs")
    try:
        r = upload(relkit_path, ours, str(stage(tmp_path, wheel)), "--execute")
        assert r.returncode == 0, r.stderr
        t = twine_upload(theirs, wheel)
        assert t.returncode == 0, t.stderr
        (mine,), (twine,) = ours.uploads(), theirs.uploads()
    finally:
        stop_pypi_server(ours)
        stop_pypi_server(theirs)
    # All three digests, BLAKE2b-256 included (libsodium), as hashlib
    # computes them.
    data = wheel.read_bytes()
    assert mine["fields"]["blake2_256_digest"] == [
        hashlib.blake2b(data, digest_size=32).hexdigest()]
    assert mine["fields"]["md5_digest"] == [hashlib.md5(data).hexdigest()]
    assert mine["fields"]["sha256_digest"] == [hashlib.sha256(data).hexdigest()]
    for field in sorted(set(mine["fields"]) | set(twine["fields"])):
        assert mine["fields"].get(field) == twine["fields"].get(field), field
    # Even the order of the fields is twine's.
    assert list(mine["fields"]) == list(twine["fields"])
    # The fields that matter most, spelled out.
    f = mine["fields"]
    assert f[":action"] == ["file_upload"] and f["protocol_version"] == ["1"]
    assert f["filetype"] == ["bdist_wheel"] and f["pyversion"] == ["py3"]
    if which == "folded":
        assert f["license"] == ["BSD 3-Clause Copyright (c) 2026  Relkit All rights"]
        return
    assert f["name"] == ["tiny-pkg"] and f["version"] == ["1.0.0"]
    assert len(f["requires_dist"]) == 4 and len(f["classifiers"]) == 4
    assert "caf\u00e9" in f["description"][0]
    assert f["sha256_digest"] == [hashlib.sha256(wheel.read_bytes()).hexdigest()]
    assert f["md5_digest"] == [hashlib.md5(wheel.read_bytes()).hexdigest()]
    # The file itself, as twine sends it.
    assert mine["content_sha256"] == twine["content_sha256"]
    assert mine["content_type"] == twine["content_type"] == "application/octet-stream"


# -----------------------------------------------------------------------------
# Plan, execute, rerun


def test_plan_then_execute_then_rerun_uploads_once(relkit_path, tmp_path, pypi, wheels):
    staging = str(stage(tmp_path, wheels["tiny"], wheels["extra"]))
    plan = upload(relkit_path, pypi, staging)
    assert plan.returncode == 0, plan.stderr
    assert "dry run: nothing is sent" in plan.stdout
    assert "to upload (2):" in plan.stdout
    assert "new on the index" in plan.stdout
    assert pypi.posts() == []

    done = upload(relkit_path, pypi, staging, "--execute")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("uploaded: ") == 2
    assert "confirmed on the index" in done.stdout
    assert len(pypi.uploads()) == 2

    again = upload(relkit_path, pypi, staging, "--execute")
    assert again.returncode == 0, again.stderr
    assert "already uploaded: nothing was sent" in again.stdout
    assert len(pypi.posts()) == 2  # no third POST
    no_token(plan.stdout, plan.stderr, done.stdout, done.stderr, again.stdout, again.stderr)

    as_json = json.loads(upload(relkit_path, pypi, staging, "--json").stdout)
    assert as_json["dry_run"] is True and as_json["ok"] is True
    assert {f["action"] for f in as_json["files"]} == {"already there"}
    assert as_json["to_upload"] == 0 and as_json["already_there"] == 2


def test_package_filter_takes_only_that_project(relkit_path, tmp_path, pypi, wheels):
    staging = str(stage(tmp_path, wheels["tiny"], wheels["extra"]))
    r = upload(relkit_path, pypi, staging, "--package", "Extra.Pkg", "--execute", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [f["filename"] for f in doc["files"]] == [wheels["extra"].name]
    assert doc["applied"]["uploaded"] == 1
    assert [u["filename"] for u in pypi.uploads()] == [wheels["extra"].name]


def test_conflict_on_the_index_stops_everything_before_any_byte(relkit_path, tmp_path, pypi,
                                                                wheels):
    # The index has tiny_pkg-1.0.0's name with other content: nothing at all
    # may be sent, not even extra_pkg, which has no conflict.
    pypi.preload("tiny-pkg", wheels["tiny_other"], name=wheels["tiny"].name)
    staging = str(stage(tmp_path, wheels["tiny"], wheels["extra"]))
    plan = upload(relkit_path, pypi, staging)
    assert plan.returncode == 1
    assert "conflicts (1):" in plan.stdout and "plan blocked" in plan.stdout
    assert hashlib.sha256(wheels["tiny_other"].read_bytes()).hexdigest() in plan.stdout

    r = upload(relkit_path, pypi, staging, "--execute")
    assert r.returncode == 1
    assert "--execute refused" in r.stderr
    assert pypi.posts() == []

    doc = json.loads(upload(relkit_path, pypi, staging, "--execute", "--json").stdout)
    assert doc["ok"] is False and doc["conflicts"] == 1
    assert pypi.posts() == []


def test_a_local_version_wheel_refuses_the_whole_upload_before_any_byte(relkit_path, tmp_path,
                                                                        pypi, wheels):
    # --staging pointed at the download channel's staging by mistake: PyPI
    # would answer 400 to the +cu130 wheel only when its turn came, after
    # extra_pkg was sent. The plan refuses it; nothing is sent.
    local = build_wheel(tmp_path / "local", version="1.0.0+cu130")
    assert "+cu130" in local.name
    staging = str(stage(tmp_path, wheels["extra"], local))
    plan = upload(relkit_path, pypi, staging)
    assert plan.returncode == 1, plan.stderr
    assert local.name in plan.stdout and "local label" in plan.stdout

    r = upload(relkit_path, pypi, staging, "--execute")
    assert r.returncode == 1
    assert "--execute refused" in r.stderr
    doc = json.loads(upload(relkit_path, pypi, staging, "--execute", "--json").stdout)
    assert doc["ok"] is False
    assert any(local.name in p for p in doc["problems"])
    assert pypi.posts() == [] and pypi.uploads() == []


# -----------------------------------------------------------------------------
# PyPI's answers


def test_400_file_already_exists_with_same_content_is_already_uploaded(relkit_path, tmp_path,
                                                                       pypi, wheels):
    # The index lags: the plan and the look before sending see nothing; the
    # server answers 400 "File already exists"; the index then shows the same
    # sha256, so the file is there.
    pypi.preload("tiny-pkg", wheels["tiny"])
    pypi.set_knobs(hide_index=2)
    r = upload(relkit_path, pypi, str(stage(tmp_path, wheels["tiny"])), "--execute")
    assert r.returncode == 0, r.stderr
    assert "already uploaded: tiny_pkg-1.0.0" in r.stdout
    assert "the server says the file exists" in r.stdout
    assert [p["status"] for p in pypi.posts()] == [400]
    assert pypi.uploads() == []


def test_400_file_already_exists_with_other_content_stops(relkit_path, tmp_path, pypi, wheels):
    pypi.preload("tiny-pkg", wheels["tiny_other"], name=wheels["tiny"].name)
    pypi.set_knobs(hide_index=2)
    r = upload(relkit_path, pypi, str(stage(tmp_path, wheels["tiny"])), "--execute")
    assert r.returncode == 1
    assert "File already exists ('tiny_pkg-1.0.0-py3-none-any.whl'" in r.stderr
    assert "is already on the index with sha256" in r.stderr
    assert len(pypi.posts()) == 1


def test_403_bad_token_names_pypis_message_and_never_the_token(relkit_path, tmp_path, pypi,
                                                               wheels):
    pypi.set_knobs(echo_auth=True)  # the server quotes the Authorization header
    staging = str(stage(tmp_path, wheels["tiny"]))
    r = upload(relkit_path, pypi, staging, "--execute", token=WRONG_TOKEN)
    assert r.returncode == 3
    assert "HTTP 403" in r.stderr
    assert "Invalid or non-existent authentication information" in r.stderr
    j = upload(relkit_path, pypi, staging, "--execute", "--json", token=WRONG_TOKEN)
    assert j.returncode == 3
    doc = json.loads(j.stdout)
    assert doc["applied"]["failure"]["code"] == "PERMISSION_DENIED"
    for out in (r, j):
        no_token(out.stdout, out.stderr, token=WRONG_TOKEN)
    assert pypi.uploads() == []
    # The same command would be refused again: no advice to rerun it.
    assert "rerun the same command" not in r.stderr
    assert "would be refused again" in r.stderr


def test_execute_needs_a_token_from_the_environment(relkit_path, tmp_path, pypi, wheels):
    staging = str(stage(tmp_path, wheels["tiny"]))
    r = upload(relkit_path, pypi, staging, "--execute", token=None)
    assert r.returncode == 2
    assert "TWINE_PASSWORD or PYPI_API_TOKEN" in r.stderr
    clean = {k: v for k, v in os.environ.items()
             if k not in ("TWINE_PASSWORD", "TWINE_USERNAME", "PYPI_API_TOKEN")}
    env = dict(clean, PYPI_API_TOKEN=TOKEN)
    ok = upload(relkit_path, pypi, staging, "--execute", token=None, env=env)
    assert ok.returncode == 0, ok.stderr
    assert len(pypi.uploads()) == 1
    env = dict(clean, TWINE_USERNAME="someone")
    bad = upload(relkit_path, pypi, staging, "--execute", env=env)
    assert bad.returncode == 2 and "__token__" in bad.stderr
    # A plan needs no token.
    assert upload(relkit_path, pypi, staging, token=None).returncode == 0


def test_5xx_is_retried_after_asking_the_index(relkit_path, tmp_path, pypi, wheels):
    pypi.set_knobs(fail_uploads=1)
    r = upload(relkit_path, pypi, str(stage(tmp_path, wheels["tiny"])), "--execute")
    assert r.returncode == 0, r.stderr
    assert "(2 tries)" in r.stdout
    assert [p["status"] for p in pypi.posts()] == [503, 200]
    assert len(pypi.uploads()) == 1
    # The index was read before each try.
    kinds = [(q["method"], q["status"]) for q in pypi.requests()]
    assert kinds[:5] == [("GET", 404), ("GET", 404), ("POST", 503), ("GET", 404), ("POST", 200)]


def test_5xx_every_time_fails_then_a_rerun_uploads(relkit_path, tmp_path, pypi, wheels):
    pypi.set_knobs(fail_uploads=3)
    staging = str(stage(tmp_path, wheels["tiny"]))
    r = upload(relkit_path, pypi, staging, "--execute")
    assert r.returncode == 3
    assert "HTTP 503" in r.stderr and "after 3 attempts" in r.stderr
    assert "rerun the same command" in r.stderr
    assert pypi.uploads() == []
    again = upload(relkit_path, pypi, staging, "--execute")
    assert again.returncode == 0, again.stderr
    assert len(pypi.uploads()) == 1


def test_dropped_connection_after_the_server_stored_the_file_is_not_resent(
        relkit_path, tmp_path, pypi, wheels):
    # The server got the file, the client saw the connection drop: the look
    # at the index before a retry finds it, and nothing is sent again.
    pypi.set_knobs(drop_uploads=1, drop_store=True)
    staging = str(stage(tmp_path, wheels["tiny"]))
    r = upload(relkit_path, pypi, staging, "--execute")
    assert r.returncode == 0, r.stderr
    assert "already uploaded: tiny_pkg-1.0.0" in r.stdout
    assert "that try went through" in r.stdout
    assert len(pypi.posts()) == 1
    assert len(stored_uploads(pypi, wheels["tiny"].name)) == 1
    again = upload(relkit_path, pypi, staging, "--execute")
    assert again.returncode == 0 and "already uploaded: nothing was sent" in again.stdout
    assert len(pypi.posts()) == 1


def test_dropped_connection_mid_body_then_rerun_ends_with_one_copy(relkit_path, tmp_path, pypi,
                                                                  wheels):
    pypi.set_knobs(drop_uploads=3)  # more drops than one run's tries
    staging = str(stage(tmp_path, wheels["tiny"]))
    r = upload(relkit_path, pypi, staging, "--execute")
    assert r.returncode == 3
    assert pypi.uploads() == []
    assert len(pypi.posts()) == 3
    again = upload(relkit_path, pypi, staging, "--execute")
    assert again.returncode == 0, again.stderr
    assert "uploaded: tiny_pkg-1.0.0" in again.stdout
    assert len(stored_uploads(pypi, wheels["tiny"].name)) == 1
    third = upload(relkit_path, pypi, staging, "--execute")
    assert "already uploaded: nothing was sent" in third.stdout
    assert len(stored_uploads(pypi, wheels["tiny"].name)) == 1


def test_staging_from_a_file_url_with_a_prefix(relkit_path, tmp_path, pypi, wheels):
    root = stage(tmp_path, wheels["tiny"], wheels["extra"])
    url = f"file://{root}//extra_pkg-2.0.0-pypi-staging/"
    r = upload(relkit_path, pypi, url, "--execute")
    assert r.returncode == 0, r.stderr
    assert [u["filename"] for u in pypi.uploads()] == [wheels["extra"].name]


def test_empty_staging_is_an_input_error(relkit_path, tmp_path, pypi):
    (tmp_path / "empty").mkdir()
    r = upload(relkit_path, pypi, str(tmp_path / "empty"))
    assert r.returncode == 2
    assert "no staged wheel" in r.stderr


def test_help_explains_once_and_the_token(run):
    r = run("pypi", "upload", "--help")
    assert r.returncode == 0
    for text in ("never be replaced", "TWINE_PASSWORD", "PYPI_API_TOKEN", "__token__",
                 "--execute", "conflict", "sha256"):
        assert text in r.stdout


# -----------------------------------------------------------------------------
# An S3 staging store (moto_server)


def test_s3_staging_uses_checksum_metadata_and_verifies_it(relkit_path, tmp_path, pypi, wheels,
                                                           moto):  # noqa: F811
    env = s3_env(moto)
    put(moto, "pytorch-backup")
    good = wheels["tiny"]
    put(moto, f"pytorch-backup/tiny_pkg-1.0.0-pypi-staging/{good.name}", good.read_bytes(),
        {"x-amz-meta-checksum-sha256": hashlib.sha256(good.read_bytes()).hexdigest()})
    # extra_pkg's metadata says another sha256 than its bytes have.
    bad = wheels["extra"]
    put(moto, f"pytorch-backup/extra_pkg-2.0.0-pypi-staging/{bad.name}", bad.read_bytes(),
        {"x-amz-meta-checksum-sha256": "ab" * 32})
    plan = upload(relkit_path, pypi, "s3://pytorch-backup", "--json", env=env)
    assert plan.returncode == 0, plan.stderr
    files = {f["filename"]: f for f in json.loads(plan.stdout)["files"]}
    assert files[good.name]["sha256_computed"] is False
    assert files[bad.name]["sha256"] == "ab" * 32

    r = upload(relkit_path, pypi, "s3://pytorch-backup", "--execute", env=env)
    assert r.returncode == 3
    assert "the staged file changed" in r.stderr
    # extra_pkg comes first in key order: it failed before anything was sent.
    assert pypi.posts() == []
    assert_no_secret(plan.stdout, plan.stderr, r.stdout, r.stderr)

    ok = upload(relkit_path, pypi, "s3://pytorch-backup", "--package", "tiny-pkg", "--execute",
                env=env)
    assert ok.returncode == 0, ok.stderr
    assert [u["filename"] for u in pypi.uploads()] == [good.name]


# -----------------------------------------------------------------------------
# Memory: the file is streamed from disk, never held whole

_MAX_RSS = """
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(r.stderr)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def test_a_large_wheel_is_streamed_not_held_in_memory(relkit_path, tmp_path, pypi, wheels):
    import zipfile
    folder = tmp_path / "staging" / "tiny_pkg-1.0.0-pypi-staging"
    folder.mkdir(parents=True)
    big = folder / wheels["tiny"].name
    with zipfile.ZipFile(wheels["tiny"]) as zi, zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as zo:
        for info in zi.infolist():
            zo.writestr(info, zi.read(info))
        with zo.open("tiny_pkg/blob.bin", "w") as f:
            for _ in range(128):
                f.write(os.urandom(1 << 20))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWINE_", "PYPI_"))}
    env["TWINE_PASSWORD"] = TOKEN
    r = subprocess.run(
        ["/usr/bin/python3", "-c", _MAX_RSS, str(relkit_path), "pypi", "upload", "--staging",
         str(tmp_path / "staging"), "--repository-url", pypi.repository_url, "--index-url",
         pypi.index_url, "--execute"], capture_output=True, text=True, env=env, timeout=300,
        check=False)
    code, max_rss_kib = (int(x) for x in r.stdout.split())
    assert code == 0, r.stderr
    (stored,) = pypi.uploads()
    assert stored["content_size"] == big.stat().st_size > 128 << 20
    assert stored["content_sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()
    # A 128 MiB wheel held in memory once would pass 128 MiB of RSS.
    assert max_rss_kib < 64 * 1024, max_rss_kib
