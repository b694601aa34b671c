"""`relkit backup create|restore`: an RC's files copied from the test
channels to a backup location and back, against local-directory stores and a
real moto_server. A plan unless --execute; running --execute twice copies
nothing the second time; a conflict stops the plan unless --overwrite."""

from __future__ import annotations

import hashlib
import json
import pathlib
import subprocess
import urllib.parse

from conftest import Run
from s3_helpers import assert_no_secret, moto, put, s3_env, signed_delete, signed_get  # noqa: F401

TAG = "v2.4.1-rc3"

# Keys of the bucket; the RC's own files and the glob traps beside them.
CHANNELS = {
    "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl": b"torch cu121 wheel",
    "whl/test/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl": b"torch cpu wheel",
    "libtorch/test/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip": b"libtorch zip",
    "whl/test/cu121/torch-2.4.10+cu121-cp312-cp312-linux_x86_64.whl": b"torch 2.4.10",
    "whl/test/cpu/executorch-2.4.1-cp312-cp312-linux_x86_64.whl": b"executorch",
    "libtorch/test/cu121/libtorch-shared-with-deps-latest.zip": b"latest",
    "whl/test/torch/index.html": b"<html></html>",
}
BACKED_UP = {
    f"{TAG}/whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl": b"torch cu121 wheel",
    f"{TAG}/whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl": b"torch cpu wheel",
    f"{TAG}/libtorch/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip": b"libtorch zip",
}


def tree(root: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and ".relkit-meta" not in p.parts}


def make_bucket(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "bucket"
    for key, data in CHANNELS.items():
        p = root / key
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


def create(run: Run, bucket: pathlib.Path, backup: pathlib.Path, *extra: str):
    return run("backup", "create", "--tag", TAG, "--from", f"file://{bucket}//whl/test",
               "--from", f"file://{bucket}//libtorch/test", "--to", f"file://{backup}", *extra)


def test_create_is_a_plan_then_copies_once(run: Run, tmp_path: pathlib.Path) -> None:
    bucket = make_bucket(tmp_path)
    backup = tmp_path / "backup"
    backup.mkdir()
    r = create(run, bucket, backup)
    assert r.returncode == 0, r.stderr
    for key in BACKED_UP:
        assert f"-> {key}" in r.stdout
    assert "2.4.10" not in r.stdout and "executorch" not in r.stdout
    assert "latest" not in r.stdout and "index.html" not in r.stdout
    assert tree(backup) == {}

    r = create(run, bucket, backup, "--execute")
    assert r.returncode == 0, r.stderr
    assert tree(backup) == BACKED_UP
    assert "3 copied" in r.stdout

    # Run twice: nothing copied, said so.
    r = create(run, bucket, backup, "--execute")
    assert r.returncode == 0, r.stderr
    assert "already applied" in r.stdout
    assert tree(backup) == BACKED_UP
    assert tree(bucket) == CHANNELS


def test_create_refuses_a_conflict_unless_overwrite(run: Run, tmp_path: pathlib.Path) -> None:
    bucket = make_bucket(tmp_path)
    backup = tmp_path / "backup"
    other = backup / TAG / "whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"another rc's wheel")
    r = create(run, bucket, backup, "--execute", "--json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is False
    assert [p["kind"] for p in doc["problems"]] == ["conflict"]
    assert "nothing was copied" in r.stderr
    assert tree(backup) == {f"{TAG}/whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl":
                            b"another rc's wheel"}

    r = create(run, bucket, backup, "--execute", "--overwrite")
    assert r.returncode == 0, r.stderr
    assert "replaced:" in r.stdout
    assert tree(backup) == BACKED_UP


def test_tags_that_are_not_release_candidates_are_refused(run: Run, tmp_path: pathlib.Path) -> None:
    bucket = make_bucket(tmp_path)
    backup = tmp_path / "backup"
    backup.mkdir()
    for tag in ["v2.4.1", "2.4.1-rc3", "v2.4.1-rc3/../../etc", "v2.4.1-rc3\x1b[31m"]:
        r = run("backup", "create", "--tag", tag, "--from", f"file://{bucket}//whl/test",
                "--to", f"file://{backup}")
        assert r.returncode == 2, (tag, r.stdout, r.stderr)
        assert "\x1b" not in r.stderr
    assert tree(backup) == {}
    r = run("backup", "create", "--from", f"file://{bucket}//whl/test", "--to", f"file://{backup}")
    assert r.returncode == 2 and "--tag is required" in r.stderr


def test_restore_brings_the_files_back(run: Run, tmp_path: pathlib.Path) -> None:
    bucket = make_bucket(tmp_path)
    backup = tmp_path / "backup"
    backup.mkdir()
    assert create(run, bucket, backup, "--execute").returncode == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    args = ("backup", "restore", "--tag", TAG, "--from", f"file://{backup}",
            "--to", f"file://{fresh}//whl/test", "--to", f"file://{fresh}//libtorch/test")
    r = run(*args)
    assert r.returncode == 0, r.stderr
    assert tree(fresh) == {}
    r = run(*args, "--execute")
    assert r.returncode == 0, r.stderr
    assert tree(fresh) == {k: v for k, v in CHANNELS.items()
                           if "2.4.1" in k and "2.4.10" not in k and "executorch" not in k}
    r = run(*args, "--execute")
    assert r.returncode == 0 and "already applied" in r.stdout


def test_backup_and_restore_against_moto_keep_metadata_and_leak_no_secret(
    relkit_path: pathlib.Path, moto: str  # noqa: F811
) -> None:
    put(moto, "pytorch")
    put(moto, "pytorch-backup")
    sha = hashlib.sha256(b"torch cu121 wheel").hexdigest()
    for key, data in CHANNELS.items():
        headers = {"Content-Type": "application/zip"}
        if key.startswith("whl/test/cu121/torch-2.4.1+"):
            headers["x-amz-meta-checksum-sha256"] = sha
        put(moto, f"pytorch/{urllib.parse.quote(key)}", data, headers)
    env = s3_env(moto)

    def relkit(*args: str) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([str(relkit_path), *args], capture_output=True, text=True,
                           timeout=120, env=env, check=False)
        assert_no_secret(r.stdout, r.stderr)
        return r

    create_args = ("backup", "create", "--tag", TAG, "--from", "s3://pytorch/whl/test",
                   "--from", "s3://pytorch/libtorch/test", "--to", "s3://pytorch-backup",
                   "--endpoint-url", moto)
    r = relkit(*create_args)
    assert r.returncode == 0, r.stderr
    first = next(iter(BACKED_UP))
    assert signed_get(moto, "pytorch-backup", first) is None

    r = relkit(*create_args, "--execute", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert sorted(doc["applied"]["copied"]) == sorted(BACKED_UP)
    for key, data in BACKED_UP.items():
        got = signed_get(moto, "pytorch-backup", key)
        assert got is not None, key
        assert got["body"] == data
        assert got["content_type"] == "application/zip"
    cu121 = signed_get(moto, "pytorch-backup", first)
    assert cu121 is not None and cu121["metadata"] == {"checksum-sha256": sha}

    r = relkit(*create_args, "--execute")
    assert r.returncode == 0 and "already applied" in r.stdout, r.stdout + r.stderr

    # The test channel lost a file (a later RC's cleanup): restore puts back
    # that one and finds the rest there.
    lost = "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"
    signed_delete(moto, "pytorch", lost)
    assert signed_get(moto, "pytorch", lost) is None
    restore_args = ("backup", "restore", "--tag", TAG, "--from", "s3://pytorch-backup",
                    "--to", "s3://pytorch/whl/test", "--to", "s3://pytorch/libtorch/test",
                    "--endpoint-url", moto)
    r = relkit(*restore_args, "--execute", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["applied"]["copied"] == [lost]
    got = signed_get(moto, "pytorch", lost)
    assert got is not None and got["body"] == b"torch cu121 wheel"
    assert got["metadata"] == {"checksum-sha256": sha}
    assert got["content_type"] == "application/zip"
