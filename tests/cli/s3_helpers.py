"""A real moto_server on 127.0.0.1 for the CLI tests of `relkit promote`,
`relkit backup` and `relkit index` (its request log in tmp_path/moto.log),
and plain HTTP reads and writes of its objects (moto_server, not enforcing
credentials, accepts unsigned requests)."""

from __future__ import annotations

import os
import pathlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import Iterator

import pytest

SECRET = "s3cr3t-Key-That-Must-Not-Leak-4c1d"
TOKEN = "sess10n-T0ken-That-Must-Not-Leak-e93b"

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def moto(tmp_path: pathlib.Path) -> Iterator[str]:
    program = os.environ.get("RELKIT_MOTO_SERVER") or shutil.which("moto_server")
    if not program:
        pytest.fail(
            "moto_server not found on PATH (BUILD.md: it is installed for the image's pyenv "
            "python3); set RELKIT_MOTO_SERVER to its path. The S3 tests are never skipped."
        )
    port = _free_port()
    log = open(tmp_path / "moto.log", "wb")
    proc = subprocess.Popen([program, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"moto_server exited at start; see {tmp_path / 'moto.log'}")
            try:
                _OPENER.open(f"{endpoint}/moto-api/data.json", timeout=2).read()
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not answer on {endpoint} within 60 s")
                time.sleep(0.1)
        yield endpoint
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        log.close()


def put(endpoint: str, path: str, data: bytes = b"", headers: dict[str, str] | None = None) -> None:
    # An explicit content type: urllib's default (a form) makes moto store 0 bytes.
    req = urllib.request.Request(f"{endpoint}/{path}", data=data, method="PUT",
                                 headers={"Content-Type": "application/octet-stream", **(headers or {})})
    _OPENER.open(req, timeout=10).read()


def get(endpoint: str, path: str) -> tuple[bytes, dict[str, str]] | None:
    """The object's bytes and headers (lower-case names), or None for 404."""
    try:
        with _OPENER.open(f"{endpoint}/{path}", timeout=10) as r:
            return r.read(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def s3_env(endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": "AKIABACKUPTEST",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_SESSION_TOKEN": TOKEN,
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": endpoint,
        "NO_PROXY": "127.0.0.1",
    })
    return env


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
        assert TOKEN not in text


_BOTO3_GET = """
import base64, json, sys
import boto3
from botocore.exceptions import ClientError
endpoint, bucket, key, op = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="AKIAREADER", aws_secret_access_key="reader")
if op == "delete":
    s3.delete_object(Bucket=bucket, Key=key)
    print("null")
    sys.exit(0)
try:
    o = s3.get_object(Bucket=bucket, Key=key)
except ClientError as e:
    if e.response["Error"]["Code"] in ("NoSuchKey", "404"):
        print("null")
        sys.exit(0)
    raise
print(json.dumps({"body": base64.b64encode(o["Body"].read()).decode(),
                  "content_type": o.get("ContentType", ""), "metadata": o.get("Metadata", {})}))
"""


def signed_get(endpoint: str, bucket: str, key: str, op: str = "get") -> dict | None:
    """The object as boto3 reads it with credentials (relkit's own writes are
    private: moto refuses them to unsigned requests): body, content type and
    user metadata; None when it does not exist. boto3 sits beside moto_server
    in the image's pyenv python3 (BUILD.md), not in /usr/bin/python3."""
    python = os.environ.get("RELKIT_BOTO3_PYTHON") or shutil.which("python3") or "python3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["NO_PROXY"] = "127.0.0.1"
    r = subprocess.run([python, "-c", _BOTO3_GET, endpoint, bucket, key, op], capture_output=True,
                       text=True, timeout=60, env=env, check=False)
    if r.returncode != 0:
        pytest.fail(f"boto3 read of s3://{bucket}/{key} failed ({python}): {r.stderr[-2000:]}")
    import base64
    import json
    doc = json.loads(r.stdout)
    if doc is None:
        return None
    doc["body"] = base64.b64decode(doc["body"])
    return doc


def signed_delete(endpoint: str, bucket: str, key: str) -> None:
    signed_get(endpoint, bucket, key, "delete")
