"""`relkit promote`: the promotion plan and its --execute against local-directory
stores and a real moto_server."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import signal
import os
import pathlib
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import Run
from s3_helpers import SECRET, TOKEN, moto, put as _put, s3_env as _s3_env  # noqa: F401

VERSIONS = (
    "#!/usr/bin/env bash\n"
    "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1}\n"
    "TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.1}\n"
    "TRITON_VERSION=${TRITON_VERSION:-3.1.0}\n"
    "EXECUTORCH_VERSION=${EXECUTORCH_VERSION:-1.0.0}\n"
)

# Test channel keys below whl/test/, glob traps included.
TEST_CHANNEL = {
    "cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl": b"torch cu121 wheel",
    "cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl": b"torch cpu wheel",
    "cu121/torch-2.4.10+cu121-cp312-cp312-linux_x86_64.whl": b"torch 2.4.10",
    "cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl": b"vision",
    "pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl": b"pytorch triton",
    "cpu/executorch-1.0.0-cp312-cp312-linux_x86_64.whl": b"executorch",
    "torch/index.html": b"<html></html>",
}


@pytest.fixture()
def bucket(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "bucket"
    for rel, data in TEST_CHANNEL.items():
        p = root / "whl" / "test" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    (tmp_path / "release_versions.sh").write_text(VERSIONS)
    return root


def tree(root: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def promote(run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path, *extra: str):
    return run(
        "promote", "--versions", str(tmp_path / "release_versions.sh"),
        "--from", f"file://{bucket}//whl/test", "--to", f"file://{bucket}//whl", *extra,
    )


def test_promote_prints_the_plan_and_changes_nothing(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    before = tree(bucket)
    r = promote(run, tmp_path, bucket, "--package", "torch", "--package", "pytorch-triton",
                "--allow-incomplete")
    assert r.returncode == 0, r.stderr
    assert (
        "  whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl -> "
        "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl  (17 bytes, sha256 unknown)\n"
    ) in r.stdout
    assert "-> whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl" in r.stdout
    assert "-> whl/pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl" in r.stdout
    assert "torch-2.4.10" not in r.stdout
    assert "index.html" not in r.stdout
    assert "executorch" not in r.stdout
    assert r.stdout.endswith("plan ok: 3 objects to copy (46 bytes), 0 already there\n")
    assert tree(bucket) == before


def test_promote_json_and_markdown(run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path) -> None:
    md = tmp_path / "summary.md"
    r = promote(run, tmp_path, bucket, "--package", "torchvision", "--json", "--markdown", str(md))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["dry_run"] is True and doc["ok"] is True
    assert doc["source"]["prefix"] == "whl/test/"
    assert doc["destination"]["prefix"] == "whl/"
    assert doc["source"]["store"] == f"file://{bucket}"
    assert [(c["source"], c["destination"], c["size"], c["sha256"]) for c in doc["copies"]] == [
        ("whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl",
         "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl", 6, None)
    ]
    assert doc["packages"][0]["variable"] == "TORCHVISION_VERSION"
    text = md.read_text()
    assert "<details><summary><code>whl/cpu/</code>: 1 to copy (6 bytes), 0 already there</summary>" in text
    assert "| torchvision | 0.19.1 | 1 | 1 | 0 | 0 |" in text


def test_promote_reports_conflicts_and_already_there_with_exit_1(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    dest = bucket / "whl" / "cu121" / "torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"torch cu121 wheel")
    other = bucket / "whl" / "cpu" / "torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"a different build")
    r = promote(run, tmp_path, bucket, "--package", "torch", "--json", "--allow-incomplete")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is False
    assert [a["destination"] for a in doc["already_there"]] == [
        "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"
    ]
    assert doc["already_there"][0]["same_by"] == "size"
    assert [(p["kind"], p["key"]) for p in doc["problems"] if p["severity"] == "error"] == [
        ("conflict", "whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl")
    ]
    assert doc["copies"] == []
    text = promote(run, tmp_path, bucket, "--package", "torch", "--allow-incomplete")
    assert text.returncode == 1
    assert "error: conflict: \"whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl\" already exists" in text.stdout
    assert text.stdout.endswith("plan blocked: 1 error\n")


def test_promote_refuses_torch_when_the_test_channel_lacks_builds_of_the_matrix(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    r = promote(run, tmp_path, bucket, "--package", "torch", "--json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    incomplete = [p for p in doc["problems"] if p["kind"] == "incomplete"]
    # The embedded matrix expects dozens of builds; the channel has two.
    assert len(incomplete) > 10
    assert all(p["severity"] == "error" and p["package"] == "torch" for p in incomplete)
    assert all("torch==2.4.1: the build matrix expects torch-2.4.1" in p["message"] for p in incomplete)
    assert len(doc["copies"]) == 2

    allowed = promote(run, tmp_path, bucket, "--package", "torch", "--allow-incomplete")
    assert allowed.returncode == 0, allowed.stderr
    assert "  warning: torch==2.4.1: the build matrix expects " in allowed.stdout
    assert "(allowed)" in allowed.stdout
    assert allowed.stdout.endswith("plan ok: 2 objects to copy (32 bytes), 0 already there\n")

    # Packages other than torch are not checked against the matrix.
    vision = promote(run, tmp_path, bucket, "--package", "torchvision")
    assert vision.returncode == 0, vision.stdout


def test_promote_refuses_an_rc_and_a_package_with_nothing_to_copy(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    (tmp_path / "release_versions.sh").write_text(
        "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1rc1}\nTORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.2}\n"
    )
    r = promote(run, tmp_path, bucket)
    assert r.returncode == 1, r.stderr
    assert "  error: torch==2.4.1rc1: must be a GA version" in r.stdout
    assert "  error: no file of torchvision==0.19.2 under file://" in r.stdout
    assert "to copy (0 objects, 0 bytes):" in r.stdout


def test_promote_execute_copies_verifies_and_reruns_as_already_applied(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    journal = tmp_path / "journal.jsonl"
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    args = ("--package", "torchvision", "--package", "pytorch-triton", "--execute",
            "--journal", str(journal), "--mirror", f"file://{mirror}//whl")
    r = promote(run, tmp_path, bucket, *args)
    assert r.returncode == 0, r.stderr
    copied = {
        "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl": b"vision",
        "whl/pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl": b"pytorch triton",
    }
    for key, data in copied.items():
        assert (bucket / key).read_bytes() == data
        assert (mirror / key).read_bytes() == data
        for root in (bucket, mirror):
            meta = json.loads((root / ".relkit-meta" / (key + ".json")).read_text())
            assert meta["metadata"]["checksum-sha256"] == hashlib.sha256(data).hexdigest()
            assert meta["acl"] == "public-read"
        assert f"  {key}\n" in r.stdout
    assert r.stdout.endswith("promotion done: 2 copied, 0 already there, 2 mirrored, 4 verified\n")
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [x["record"] for x in records][0] == "start"
    assert [x["record"] for x in records][-1] == "finished"
    assert sorted(x["key"] for x in records if x["record"] == "verified") == sorted(copied)
    assert sorted(x["key"] for x in records if x["record"] == "mirror-verified") == sorted(copied)

    before = tree(bucket), tree(mirror)
    again = promote(run, tmp_path, bucket, *args, "--json")
    assert again.returncode == 0, again.stderr
    doc = json.loads(again.stdout)
    assert doc["dry_run"] is False
    assert doc["result"]["already_applied"] is True
    assert doc["result"]["copied"] == [] and doc["result"]["mirrored"] == []
    assert sorted(doc["result"]["skipped_already_there"]) == sorted(copied)
    assert (tree(bucket), tree(mirror)) == before
    text = promote(run, tmp_path, bucket, *args)
    assert text.stdout.endswith("already applied: nothing left to copy\n")


def test_promote_execute_regenerates_the_index_pages_with_sha256(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    journal = tmp_path / "journal.jsonl"
    args = ("--package", "torch", "--package", "torchvision", "--allow-incomplete",
            "--execute", "--journal", str(journal))
    r = promote(run, tmp_path, bucket, *args)
    assert r.returncode == 0, r.stderr
    sha = {rel: hashlib.sha256(data).hexdigest() for rel, data in TEST_CHANNEL.items()}
    cu121 = (bucket / "whl/cu121/torch/index.html").read_text()
    assert f"#sha256={sha['cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl']}" in cu121
    assert "2.4.10" not in cu121  # not promoted, so not on the release page
    across = (bucket / "whl/torch/index.html").read_text()
    assert f"#sha256={sha['cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl']}" in across
    assert f"#sha256={sha['cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl']}" in across
    vision = (bucket / "whl/torchvision/index.html").read_text()
    assert f"#sha256={sha['cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl']}" in vision
    # The test channel's own page is not the release channel's.
    assert (bucket / "whl/test/torch/index.html").read_bytes() == b"<html></html>"
    assert "index pages: 5 written, 0 unchanged" in r.stdout, r.stdout
    assert r.stdout.splitlines()[-1].startswith("promotion done: 3 copied")

    # The written page is what `relkit wheels check --index` reads.
    check = run("wheels", "check", "--index", str(bucket / "whl/torch/index.html"),
                "--version", "2.4.1", "--json")
    listed = json.dumps(json.loads(check.stdout))
    assert "torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl" in listed, check.stdout + check.stderr

    pages = {p: p.read_bytes() for p in bucket.rglob("index.html")}
    again = promote(run, tmp_path, bucket, *args, "--json")
    assert again.returncode == 0, again.stderr
    doc = json.loads(again.stdout)
    assert doc["result"]["already_applied"] is True
    assert doc["indexes"]["written"] == []
    assert len(doc["indexes"]["unchanged"]) == 5
    assert {p: p.read_bytes() for p in bucket.rglob("index.html")} == pages


def test_promote_execute_no_index_writes_no_page(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    r = promote(run, tmp_path, bucket, "--package", "torchvision", "--execute", "--no-index",
                "--journal", str(tmp_path / "j.jsonl"))
    assert r.returncode == 0, r.stderr
    assert (bucket / "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl").exists()
    assert not (bucket / "whl/torchvision/index.html").exists()
    assert "index pages" not in r.stdout


def test_promote_execute_refuses_a_conflict_until_overwrite(
    run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path
) -> None:
    key = "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl"
    (bucket / key).parent.mkdir(parents=True)
    (bucket / key).write_bytes(b"a different build")
    triton = bucket / "whl" / "pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl"
    journal = tmp_path / "j.jsonl"
    args = ("--package", "torchvision", "--package", "pytorch-triton", "--execute",
            "--journal", str(journal))
    r = promote(run, tmp_path, bucket, *args)
    assert r.returncode == 2
    assert f'conflicts (use --overwrite to replace them): "{key}"' in r.stderr
    assert (bucket / key).read_bytes() == b"a different build"
    assert not triton.exists()  # nothing copied, not even the other package
    assert not journal.exists()

    md = tmp_path / "result.md"
    r = promote(run, tmp_path, bucket, *args, "--overwrite", "--markdown", str(md))
    assert r.returncode == 0, r.stderr
    assert (bucket / key).read_bytes() == b"vision"
    assert triton.read_bytes() == b"pytorch triton"
    assert f"overwritten (1):\n  {key}\n" in r.stdout
    assert "### Promotion result" in md.read_text()
    assert f"<li><code>{key}</code></li>" in md.read_text()


def test_promote_bad_usage_is_exit_2(run: Run, tmp_path: pathlib.Path, bucket: pathlib.Path) -> None:
    r = run("promote", "--from", f"file://{bucket}", "--to", "file:///x")
    assert r.returncode == 2
    assert "--versions is required" in r.stderr
    r = run("promote", "--versions", str(tmp_path / "release_versions.sh"),
            "--from", "http://example.com/whl", "--to", f"file://{bucket}")
    assert r.returncode == 2
    assert "expected file://DIR[//PREFIX] or s3://BUCKET[/PREFIX]" in r.stderr
    (tmp_path / "bad.sh").write_text("PYTORCH_VERSION=$(date)\n")
    r = run("promote", "--versions", str(tmp_path / "bad.sh"),
            "--from", f"file://{bucket}//whl/test", "--to", f"file://{bucket}//whl")
    assert r.returncode == 2
    assert "bad.sh:1:" in r.stderr
    r = run("promote", "--versions", str(tmp_path / "release_versions.sh"),
            "--from", f"file://{bucket}//whl", "--to", f"file://{bucket}//whl/")
    assert r.returncode == 2
    assert "source and destination are the same" in r.stderr
    r = run("promote", "--versions", str(tmp_path / "release_versions.sh"),
            "--from", f"file://{bucket}//whl/test", "--to", f"file://{tmp_path}/missing//whl")
    assert r.returncode == 2
    assert f'directory "{tmp_path}/missing" does not exist' in r.stderr
    assert not (tmp_path / "missing").exists()


def test_promote_help_explains(run: Run) -> None:
    r = run("promote", "--help")
    assert r.returncode == 0
    for word in ("--versions", "--package", "--from", "--to", "--endpoint-url", "--json",
                 "--allow-incomplete", "--matrix",
                 "--markdown", "--execute", "--overwrite", "--mirror", "--mirror-endpoint",
                 "--jobs", "--journal", "R2_ACCESS_KEY_ID", "already applied", "must be a GA",
                 "file://DIR[//PREFIX]", "s3://BUCKET[/PREFIX]"):
        assert word in r.stdout, word


# --- against a real S3-compatible server -----------------------------------


def test_promote_plans_against_moto_without_leaking_secrets(
    relkit_path: pathlib.Path, tmp_path: pathlib.Path, moto: str
) -> None:
    (tmp_path / "release_versions.sh").write_text(VERSIONS)
    _put(moto, "pytorch")
    sha = "ab" * 32
    for rel, data in TEST_CHANNEL.items():
        headers = {"x-amz-meta-checksum-sha256": sha} if rel.startswith("cu121/torch-2.4.1+") else {}
        _put(moto, f"pytorch/whl/test/{urllib.request.quote(rel)}", data, headers)
    _put(moto, "pytorch/whl/cpu/torchvision-0.19.1%2Bcpu-cp312-cp312-linux_x86_64.whl", b"vision")
    env = _s3_env(moto)

    def relkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(relkit_path), *args], capture_output=True, text=True,
                              timeout=120, env=env, check=False)

    r = relkit("promote", "--versions", str(tmp_path / "release_versions.sh"),
               "--from", "s3://pytorch/whl/test", "--to", "s3://pytorch/whl",
               "--package", "torch", "--package", "torchvision", "--json", "--allow-incomplete")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["source"]["store"] == f"s3://pytorch at {moto}"
    copies = {c["destination"]: c for c in doc["copies"]}
    assert sorted(copies) == [
        "whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl",
        "whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
    ]
    assert copies["whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"]["sha256"] == sha
    assert copies["whl/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"]["size"] == 17
    assert [a["destination"] for a in doc["already_there"]] == [
        "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl"
    ]

    # The same with --endpoint-url instead of the environment, as text.
    env.pop("AWS_ENDPOINT_URL_S3")
    r2 = relkit("promote", "--versions", str(tmp_path / "release_versions.sh"),
                "--from", "s3://pytorch/whl/test", "--to", "s3://pytorch/whl",
                "--package", "torch", "--endpoint-url", moto, "--allow-incomplete")
    assert r2.returncode == 0, r2.stderr
    assert "plan ok: 2 objects to copy (32 bytes), 0 already there" in r2.stdout

    # A bucket that does not exist: an error naming it, no secret anywhere.
    r3 = relkit("promote", "--versions", str(tmp_path / "release_versions.sh"),
                "--from", "s3://nope/whl/test", "--to", "s3://pytorch/whl",
                "--endpoint-url", moto)
    assert r3.returncode in (2, 3), r3.stderr
    assert r3.stderr.startswith("relkit: error: ") and "nope" in r3.stderr

    # No credentials: names the variable, never a value.
    env.pop("AWS_SECRET_ACCESS_KEY")
    r4 = relkit("promote", "--versions", str(tmp_path / "release_versions.sh"),
                "--from", "s3://pytorch/whl/test", "--to", "s3://pytorch/whl",
                "--endpoint-url", moto)
    assert r4.returncode == 2
    assert "AWS_SECRET_ACCESS_KEY" in r4.stderr

    for out in (r, r2, r3, r4):
        for secret in (SECRET, TOKEN):
            assert secret not in out.stdout
            assert secret not in out.stderr


def _get(endpoint: str, path: str) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return opener.open(f"{endpoint}/{path}", timeout=10).read()


def _head(endpoint: str, path: str) -> dict[str, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(f"{endpoint}/{path}", method="HEAD")
    with opener.open(req, timeout=10) as resp:
        return {k.lower(): v for k, v in resp.headers.items()}


def _keys(endpoint: str, bucket: str, prefix: str) -> list[str]:
    listing = _get(endpoint, f"{bucket}?list-type=2&max-keys=1000&prefix={prefix}").decode()
    return re.findall(r"<Key>([^<]*)</Key>", listing)


def _bucket_state(endpoint: str, bucket: str, prefix: str) -> dict[str, tuple[str, str, str, bytes]]:
    """key -> (size, etag, checksum-sha256, bytes) of every wheel under prefix
    (the index pages a promotion regenerates are checked on their own)."""
    out = {}
    for key in _keys(endpoint, bucket, prefix):
        if key.endswith("/index.html"):
            continue
        quoted = urllib.request.quote(key)
        h = _head(endpoint, f"{bucket}/{quoted}")
        out[key] = (h["content-length"], h["etag"], h.get("x-amz-meta-checksum-sha256", ""),
                    _get(endpoint, f"{bucket}/{quoted}"))
    return out


# Wheels of one package version, enough of them that a kill lands mid-run.
def _many_wheels(n: int) -> dict[str, bytes]:
    return {
        f"cpu/torchvision-0.19.1+cpu-cp3{10 + i}-cp3{10 + i}-linux_x86_64.whl":
            (f"wheel {i} ".encode() * (i + 1))
        for i in range(n)
    }


def _put_versions(tmp_path: pathlib.Path) -> pathlib.Path:
    versions = tmp_path / "release_versions.sh"
    versions.write_text(VERSIONS)
    return versions


def test_promote_execute_against_moto_with_a_mirror_conflict_and_rerun(
    relkit_path: pathlib.Path, tmp_path: pathlib.Path, moto: str
) -> None:
    versions = _put_versions(tmp_path)
    _put(moto, "pytorch")
    _put(moto, "r2mirror")
    wheels = _many_wheels(6)
    sha_known = hashlib.sha256(wheels[next(iter(wheels))]).hexdigest()
    for i, (rel, data) in enumerate(wheels.items()):
        # One source carries its checksum (reused), the others are hashed.
        headers = {"x-amz-meta-checksum-sha256": sha_known} if i == 0 else {}
        _put(moto, f"pytorch/whl/test/{urllib.request.quote(rel)}", data, headers)
    conflict_key = "whl/cpu/torchvision-0.19.1+cpu-cp315-cp315-linux_x86_64.whl"
    _put(moto, f"pytorch/{urllib.request.quote(conflict_key)}", b"other bytes")
    env = _s3_env(moto)
    env.update({"R2_ACCESS_KEY_ID": "R2KEYID", "R2_SECRET_ACCESS_KEY": SECRET + "-r2"})
    journal = tmp_path / "journal.jsonl"

    def relkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(relkit_path), "promote", "--versions", str(versions), "--package", "torchvision",
             "--from", "s3://pytorch/whl/test", "--to", "s3://pytorch/whl",
             "--mirror", "s3://r2mirror/whl", "--mirror-endpoint", moto,
             "--journal", str(journal), *args],
            capture_output=True, text=True, timeout=300, env=env, check=False)

    plan = relkit("--json")
    assert plan.returncode == 1
    doc = json.loads(plan.stdout)
    assert doc["mirror"]["store"] == f"s3://r2mirror at {moto}"
    # The conflicting key is not planned anywhere until --overwrite.
    assert len(doc["mirror"]["copies"]) == 5
    assert [p["key"] for p in doc["problems"] if p["kind"] == "conflict"] == [conflict_key]

    refused = relkit("--execute")
    assert refused.returncode == 2
    assert conflict_key in refused.stderr and "--overwrite" in refused.stderr
    assert _keys(moto, "r2mirror", "whl/") == []
    assert _keys(moto, "pytorch", "whl/cpu/") == [conflict_key]

    # The mirror has its own credentials: without them, no silent fallback.
    no_r2 = {k: v for k, v in env.items() if not k.startswith("R2_")}
    r = subprocess.run(
        [str(relkit_path), "promote", "--versions", str(versions), "--package", "torchvision",
         "--from", "s3://pytorch/whl/test", "--to", "s3://pytorch/whl",
         "--mirror", "s3://r2mirror/whl", "--mirror-endpoint", moto, "--execute", "--overwrite"],
        capture_output=True, text=True, timeout=120, env=no_r2, check=False)
    assert r.returncode == 2 and "R2_ACCESS_KEY_ID is not set" in r.stderr

    done = relkit("--execute", "--overwrite", "--jobs", "3")
    assert done.returncode == 0, done.stderr
    assert f"overwritten (1):\n  {conflict_key}\n" in done.stdout
    dest = _bucket_state(moto, "pytorch", "whl/cpu/")
    mirror = _bucket_state(moto, "r2mirror", "whl/cpu/")
    assert sorted(dest) == sorted(mirror) == sorted(f"whl/{rel}" for rel in wheels)
    for rel, data in wheels.items():
        for state in (dest, mirror):
            size, _, sha, body = state[f"whl/{rel}"]
            assert body == data and size == str(len(data))
            assert sha == hashlib.sha256(data).hexdigest()
        acl = _get(moto, f"pytorch/{urllib.request.quote('whl/' + rel)}?acl").decode()
        assert "AllUsers" in acl and "READ" in acl

    page = _get(moto, "pytorch/whl/cpu/torchvision/index.html").decode()
    for rel, data in wheels.items():
        assert f"#sha256={hashlib.sha256(data).hexdigest()}" in page
    assert _keys(moto, "r2mirror", "whl/torchvision/") == []  # pages: destination only

    again = relkit("--execute", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["result"]["already_applied"] is True
    assert json.loads(again.stdout)["indexes"]["written"] == []

    for out in (plan, refused, r, done, again):
        for secret in (SECRET, TOKEN, SECRET + "-r2"):
            assert secret not in out.stdout and secret not in out.stderr
    for secret in (SECRET, TOKEN, SECRET + "-r2"):
        assert secret not in journal.read_text()


def _copy_requests(log: str, bucket: str, prefix: str) -> dict[str, int]:
    """Destination key -> number of PUT requests (copies and uploads) in moto's log."""
    counts: dict[str, int] = {}
    for m in re.finditer(rf'"PUT /{bucket}/({re.escape(prefix)}[^ ?"]*) HTTP/1\.1" 200', log):
        key = urllib.request.unquote(m.group(1))
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_promote_execute_killed_midway_resumes_without_copying_twice(
    relkit_path: pathlib.Path, tmp_path: pathlib.Path, moto: str
) -> None:
    versions = _put_versions(tmp_path)
    wheels = _many_wheels(30)
    for b in ("pytorch", "reference"):
        _put(moto, b)
        for rel, data in wheels.items():
            _put(moto, f"{b}/whl/test/{urllib.request.quote(rel)}", data)
    env = _s3_env(moto)
    journal = tmp_path / "journal.jsonl"

    def command(b: str, journal_path: pathlib.Path) -> list[str]:
        return [str(relkit_path), "promote", "--versions", str(versions),
                "--package", "torchvision", "--from", f"s3://{b}/whl/test",
                "--to", f"s3://{b}/whl", "--execute", "--jobs", "2",
                "--journal", str(journal_path)]

    # An uninterrupted run into the reference bucket.
    ref = subprocess.run(command("reference", tmp_path / "ref.jsonl"), capture_output=True,
                         text=True, timeout=300, env=env, check=False)
    assert ref.returncode == 0, ref.stderr

    # The same, slowed down (test-only knob) and killed after 8 verified copies.
    slow = dict(env, RELKIT_TEST_COPY_DELAY_MS="200")
    proc = subprocess.Popen(command("pytorch", journal), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=slow, start_new_session=True)
    deadline = time.monotonic() + 120
    while True:
        verified = journal.read_text().count('"record":"verified"') if journal.exists() else 0
        if verified >= 8:
            break
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no progress in the journal"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    partial = _bucket_state(moto, "pytorch", "whl/cpu/")
    assert 8 <= len(partial) < len(wheels), "the kill did not land mid-run"
    assert '"record":"finished"' not in journal.read_text()

    resumed = subprocess.run(command("pytorch", journal), capture_output=True, text=True,
                             timeout=300, env=env, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert "promotion done: " in resumed.stdout
    final = _bucket_state(moto, "pytorch", "whl/cpu/")
    reference = _bucket_state(moto, "reference", "whl/cpu/")
    assert final == reference
    assert len(final) == len(wheels)

    rerun = subprocess.run(command("pytorch", journal), capture_output=True, text=True,
                           timeout=300, env=env, check=False)
    assert rerun.returncode == 0 and "already applied" in rerun.stdout

    log = (tmp_path / "moto.log").read_text(errors="replace")
    counts = _copy_requests(log, "pytorch", "whl/cpu/")
    # The folder's index page is written once: by the resumed run, not by the
    # killed one nor by the rerun that finds it current.
    assert counts.pop("whl/cpu/torchvision/index.html") == 1
    assert sorted(counts) == sorted(final), "the request log does not show every copy"
    assert {k: n for k, n in counts.items() if n != 1} == {}
    for out in (ref, resumed, rerun):
        for secret in (SECRET, TOKEN):
            assert secret not in out.stdout and secret not in out.stderr
    for secret in (SECRET, TOKEN):
        assert secret not in journal.read_text()


class _ScriptedS3(http.server.BaseHTTPRequestHandler):
    """An S3 endpoint whose listings and Heads work and whose writes are
    refused: `denied` answers every copy AccessDenied, `expired` answers
    everything ExpiredToken (what moto cannot be made to do on demand)."""

    mode = "denied"
    objects = {"whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl": b"vision"}

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _error(self, status: int, code: str) -> None:
        body = (f"<?xml version='1.0'?><Error><Code>{code}</Code>"
                f"<Message>{code} from the scripted server</Message></Error>").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        if self.mode == "expired":
            return self._error(400, "ExpiredToken")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        prefix = query.get("prefix", [""])[0]
        keys = "".join(
            f"<Contents><Key>{k}</Key><Size>{len(v)}</Size><ETag>\"e{len(v)}\"</ETag></Contents>"
            for k, v in sorted(self.objects.items()) if k.startswith(prefix))
        body = ("<?xml version='1.0'?><ListBucketResult><Name>pytorch</Name>"
                f"<Prefix>{prefix}</Prefix><IsTruncated>false</IsTruncated>{keys}"
                "</ListBucketResult>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        key = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path.split("/", 2)[2])
        if key not in self.objects:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.objects[key])))
        self.send_header("ETag", f"\"e{len(self.objects[key])}\"")
        self.send_header("x-amz-meta-checksum-sha256", hashlib.sha256(self.objects[key]).hexdigest())
        self.end_headers()

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._error(403, "AccessDenied")


@pytest.mark.parametrize("mode", ["denied", "expired"])
def test_promote_access_denied_and_expired_credentials_are_exit_3_without_secrets(
    relkit_path: pathlib.Path, tmp_path: pathlib.Path, mode: str
) -> None:
    handler = type("Handler", (_ScriptedS3,), {"mode": mode})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        journal = tmp_path / "journal.jsonl"
        r = subprocess.run(
            [str(relkit_path), "promote", "--versions", str(_put_versions(tmp_path)),
             "--from", "s3://pytorch/whl/test", "--to", "s3://pytorch/whl",
             "--package", "torchvision", "--execute", "--journal", str(journal), "--no-index"],
            capture_output=True, text=True, timeout=120, env=_s3_env(endpoint), check=False)
    finally:
        server.shutdown()
        server.server_close()
    assert r.returncode == 3, (r.stdout, r.stderr)
    if mode == "denied":
        # The plan was made; the copy was refused, naming the key; the journal
        # says so and a rerun would resume.
        assert "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl" in r.stderr
        assert "AccessDenied" in r.stderr and "rerun the same command" in r.stderr
        assert '"record":"failed"' in journal.read_text()
    else:
        assert "s3://pytorch/whl/test" in r.stderr and "expired" in r.stderr.lower()
        assert not journal.exists()  # refused before any step
    for text in (r.stdout, r.stderr, journal.read_text() if journal.exists() else ""):
        assert SECRET not in text and TOKEN not in text
