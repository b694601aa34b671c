"""The promotion face of relkit in Python: release_versions.sh, artifact
selection, stores opened from URLs and plan_promotion() over real local
directories and a real moto_server on 127.0.0.1 (docs/promotion.md)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from typing import Iterator

import pytest

import relkit

VERSIONS = (
    "#!/usr/bin/env bash\n"
    "# release 2.4.1\n"
    "PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1}\n"
    "export TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.1}\n"
    "TRITON_VERSION=${TRITON_VERSION:-3.1.0}\n"
    "EXECUTORCH_VERSION=${EXECUTORCH_VERSION:-1.0.0}\n"
)

# Keys below whl/test/: what torch 2.4.1 and torchvision 0.19.1 own, and the
# glob traps `*torch-2.4.1*` would take (torch-2.4.10) or that share a name
# suffix (executorch, pytorch_triton).
OWNED = {
    "cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl": b"torch cu121 wheel",
    "cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl": b"torch cpu wheel",
    "cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl": b"vision",
}
TRAPS = {
    "cu121/torch-2.4.10+cu121-cp312-cp312-linux_x86_64.whl": b"torch 2.4.10",
    "cpu/executorch-1.0.0-cp312-cp312-linux_x86_64.whl": b"executorch",
    "pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl": b"pytorch triton",
}

SECRET = "s3cr3t-Python-Key-Must-Not-Leak-41c9"
TOKEN = "sess10n-Python-Token-Must-Not-Leak-d03e"


def write_tree(root: pathlib.Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def tree(root: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def channel(tmp_path: pathlib.Path) -> pathlib.Path:
    """A bucket directory with whl/test/ holding OWNED and TRAPS, and
    release_versions.sh beside it."""
    root = tmp_path / "bucket"
    write_tree(root / "whl" / "test", {**OWNED, **TRAPS})
    (tmp_path / "release_versions.sh").write_text(VERSIONS)
    return root


# -- release_versions.sh -------------------------------------------------------


def test_release_versions_file_round_trips_and_edits_one_line() -> None:
    text = VERSIONS.replace("\n", "\r\n", 2)  # CRLF on the first lines, kept
    f = relkit.ReleaseVersionsFile.parse(text, "release_versions.sh")
    assert f.to_string() == text
    assert str(f) == text
    assert f.get("TORCHVISION_VERSION") == "0.19.1"
    assert f.get("NOPE") is None
    assert [a.variable for a in f.assignments] == [
        "PYTORCH_VERSION", "TORCHVISION_VERSION", "TRITON_VERSION", "EXECUTORCH_VERSION"]
    assert f.assignments[1].exported and not f.assignments[0].exported
    f.set_value("TORCHVISION_VERSION", "0.19.2")
    changed = [(a, b) for a, b in zip(text.splitlines(), f.to_string().splitlines()) if a != b]
    assert changed == [("export TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.1}",
                        "export TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.19.2}")]
    with pytest.raises(relkit.NotFoundError):
        f.set_value("NOPE_VERSION", "1.0")
    with pytest.raises(ValueError):
        f.set_value("TORCHVISION_VERSION", "0.19 2")


def test_release_versions_parse_error_names_file_line_and_column() -> None:
    with pytest.raises(relkit.InvalidArgumentError) as e:
        relkit.ReleaseVersionsFile.parse("PYTORCH_VERSION=${PYTORCH_VERSION:-2.4.1\n", "rv.sh")
    assert "rv.sh:1:" in str(e.value)


def test_release_set_names_packages_and_reports_problems(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "release_versions.sh"
    path.write_text(VERSIONS + "TORCHVISON_VERSION=${TORCHVISON_VERSION:-0.19.1}\n")
    s = relkit.ReleaseVersionsFile.read(path).release_set()
    by_name = {p.package: p for p in s.packages}
    assert by_name["torch"].version == relkit.Version("2.4.1")
    assert by_name["torchvision"].variable == "TORCHVISION_VERSION"
    # TRITON_VERSION sets the CUDA, ROCm and XPU tritons.
    assert {"pytorch-triton", "pytorch-triton-rocm", "pytorch-triton-xpu"} <= set(by_name)
    assert s.find("TorchVision") == by_name["torchvision"]
    assert s.find("nope") is None
    assert len(s) == len(s.packages)
    [problem] = s.problems
    assert problem.kind == "unknown-variable"
    assert problem.variable == "TORCHVISON_VERSION"
    assert problem.line == 7
    assert "TORCHVISION_VERSION" in problem.message  # the suggestion
    records = s.to_records()
    assert {"package": "torch", "version": "2.4.1", "variable": "PYTORCH_VERSION"} in records
    assert s.problem_records()[0]["kind"] == "unknown-variable"
    assert "<table" in s._repr_html_()


def test_compare_release_sets_reports_a_version_that_went_back() -> None:
    before = relkit.ReleaseVersionsFile.parse(VERSIONS).release_set()
    f = relkit.ReleaseVersionsFile.parse(VERSIONS)
    f.set_value("TORCHVISION_VERSION", "0.18.0")
    [p] = relkit.compare_release_sets(before, f.release_set())
    assert p.kind == "version-went-back" and "torchvision" in p.message


# -- artifact names ------------------------------------------------------------


def test_parse_artifact_name_reads_wheels_and_libtorch_zips() -> None:
    w = relkit.parse_artifact_name("torch-2.4.1%2Bcu121-cp312-cp312-linux_x86_64.whl")
    assert (w.kind, w.package, w.version, w.accelerator) == (
        "wheel", "torch", relkit.Version("2.4.1+cu121"), "cu121")
    assert w.belongs_to("torch", "2.4.1") and not w.belongs_to("torch", "2.4.10")
    z = relkit.parse_artifact_name("libtorch-cxx11-abi-shared-with-deps-2.4.1+cpu.zip")
    assert (z.kind, z.package, z.variant) == ("libtorch", "libtorch", "cxx11-abi-shared-with-deps")
    assert relkit.parse_artifact_name("README.md").kind == "other"
    with pytest.raises(relkit.InvalidArgumentError, match="torch-.whl"):
        relkit.parse_artifact_name("torch-.whl")


def test_select_artifacts_never_takes_a_glob_trap() -> None:
    keys = ["whl/test/" + k for k in {**OWNED, **TRAPS}] + ["whl/test/cpu/torch-2.4.1-bad.whl"]
    sel = relkit.select_artifacts(keys, "torch", "2.4.1")
    assert sorted(sel.keys) == sorted("whl/test/" + k for k in OWNED if "/torch-" in k)
    assert all(n.package == "torch" for n in sel.names)
    assert [u.key for u in sel.unreadable] == ["whl/test/cpu/torch-2.4.1-bad.whl"]
    assert len(sel) == 2
    assert {r["accelerator"] for r in sel.to_records()} == {"cu121", "cpu"}
    # executorch 1.0.0 is not torch 1.0.0.
    assert len(relkit.select_artifacts(keys, "torch", relkit.Version("1.0.0"))) == 0
    with pytest.raises(TypeError):
        relkit.select_artifacts("whl/test/x.whl", "torch", "2.4.1")


# -- local stores and the plan --------------------------------------------------


def test_local_store_opens_from_a_url_and_lists(channel: pathlib.Path, tmp_path: pathlib.Path) -> None:
    store = relkit.LocalStore.open(f"file://{channel}//whl/test")
    assert isinstance(store, relkit.ObjectStore)
    assert store.prefix == "whl/test"
    assert store.directory == str(channel)
    assert sorted(o.key for o in store.list_all()) == sorted(
        "whl/test/" + k for k in {**OWNED, **TRAPS})
    key = "whl/test/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl"
    assert store.head(key).size == len(b"vision")
    with pytest.raises(relkit.NotFoundError):
        store.head("whl/test/nope.whl")
    assert str(channel) in repr(store)
    missing = tmp_path / "missing"
    with pytest.raises(relkit.NotFoundError, match="does not exist"):
        relkit.open_store(f"file://{missing}")
    assert not missing.exists()  # opening to plan never creates a directory
    with pytest.raises(relkit.InvalidArgumentError):
        relkit.open_store("ftp://x/y")


def test_plan_promotion_selects_by_name_and_changes_nothing(
    channel: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    before = tree(channel)
    plan = relkit.plan_promotion(
        versions=str(tmp_path / "release_versions.sh"),
        source=f"file://{channel}//whl/test", destination=f"file://{channel}//whl",
        packages=["torch", "torchvision"], allow_incomplete=True)
    assert tree(channel) == before
    assert plan.ok, plan.to_text()
    expected = {"whl/test/" + k: "whl/" + k for k in OWNED}
    assert {c.source_key: c.destination_key for c in plan.copies} == expected
    assert plan.bytes_to_copy == sum(len(v) for v in OWNED.values())
    assert len(plan.already_present) == 0
    # The torch wheels the embedded matrix expects and the channel lacks are
    # warnings with allow_incomplete.
    assert plan.warning_count > 0 and all(p.severity == "warning" for p in plan.problems)
    assert {p.kind for p in plan.problems} == {"incomplete"}
    torch, vision = plan.packages
    assert (torch.package, torch.version, torch.found, torch.to_copy) == ("torch", "2.4.1", 2, 2)
    assert (vision.package, vision.variable, vision.to_copy) == (
        "torchvision", "TORCHVISION_VERSION", 1)
    # Records are the fields of `relkit promote --json`.
    doc = json.loads(plan.to_json())
    assert plan.to_records() == plan.copies.to_records()
    assert [{k: r[k] for k in ("source", "destination", "size", "sha256")}
            for r in plan.copies.to_records()] == [
        {k: c[k] for k in ("source", "destination", "size", "sha256")} for c in doc["copies"]]
    assert plan.packages.to_records()[0]["to_copy"] == 2
    assert plan.problems.to_records()[0]["kind"] == "incomplete"
    assert plan.copies[-1] == list(plan.copies)[-1]
    with pytest.raises(IndexError):
        plan.copies[len(plan.copies)]
    assert "plan ok" in plan.to_text() and "<details>" in plan.to_markdown()
    assert repr(plan).startswith("<PromotionPlan ok: 3 to copy")


def test_plan_without_allow_incomplete_is_blocked(channel: pathlib.Path, tmp_path: pathlib.Path) -> None:
    plan = relkit.plan_promotion(tmp_path / "release_versions.sh", f"file://{channel}//whl/test",
                                 f"file://{channel}//whl", packages=["torch"])
    assert not plan.ok
    assert plan.error_count == len([p for p in plan.problems if p.kind == "incomplete"]) > 0
    assert "plan blocked" in plan._repr_html_()


def test_plan_sees_what_is_already_there_and_conflicts(channel: pathlib.Path) -> None:
    # One file already promoted, one different file under a planned key.
    write_tree(channel / "whl", {
        "cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl": b"vision",
        "cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl": b"another build",
    })
    versions = relkit.ReleaseVersionsFile.parse(VERSIONS)
    src = relkit.open_store(f"file://{channel}//whl/test")
    dst = relkit.open_store(f"file://{channel}//whl")
    plan = relkit.plan_promotion(versions, src, dst, packages=["torch", "torchvision"],
                                 allow_incomplete=True)
    assert [a.destination_key for a in plan.already_present] == [
        "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl"]
    assert plan.already_present[0].same_by == "size"
    conflicts = [p for p in plan.problems if p.kind == "conflict"]
    assert [p.key for p in conflicts] == ["whl/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl"]
    assert not plan.ok
    # The same plan from a ReleaseSet, and from one store object on both sides
    # (one lock, no deadlock).
    again = relkit.plan_promotion(versions.release_set(), src, dst,
                                  packages=["torch", "torchvision"], allow_incomplete=True)
    assert again == plan
    same = relkit.open_store(f"file://{channel}")
    with pytest.raises(relkit.InvalidArgumentError):
        relkit.plan_promotion(versions, same, same, packages=["torch"])


def test_plan_refuses_an_rc_and_a_package_with_no_file(channel: pathlib.Path) -> None:
    f = relkit.ReleaseVersionsFile.parse(VERSIONS)
    f.set_value("PYTORCH_VERSION", "2.4.1rc1")
    f.set_value("TORCHVISION_VERSION", "0.20.0")  # not in the channel
    plan = relkit.plan_promotion(f, f"file://{channel}//whl/test", f"file://{channel}//whl",
                                 packages=["torch", "executorch-nope", "torchvision"],
                                 allow_incomplete=True)
    kinds = {(p.kind, p.package) for p in plan.problems}
    assert kinds == {("not-ga", "torch"), ("unknown-package", "executorch-nope"),
                     ("nothing-to-copy", "torchvision")}
    assert all(p.severity == "error" for p in plan.problems)
    assert len(plan.copies) == 0
    assert plan.packages[0].not_ga and plan.packages[1].version is None


def test_repr_html_escapes_keys(channel: pathlib.Path) -> None:
    evil = "cpu/torch-2.4.1-<script>alert(1)</script>.whl"
    write_tree(channel / "whl" / "test", {evil: b"x"})
    plan = relkit.plan_promotion(relkit.ReleaseVersionsFile.parse(VERSIONS),
                                 f"file://{channel}//whl/test", f"file://{channel}//whl",
                                 packages=["torch"], allow_incomplete=True)
    unreadable = [p for p in plan.problems if p.kind == "unreadable-name"]
    assert [p.key for p in unreadable] == ["whl/test/" + evil]
    for html in (plan._repr_html_(), plan.to_html()):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
    unreadable_only = [p for p in plan.problems if p.kind == "unreadable-name"]
    assert len(unreadable_only) == 1
    for html in (plan.problems._repr_html_(), plan.copies._repr_html_(),
                 plan.packages._repr_html_()):
        assert "<script>" not in html
    # Without torch's coverage warnings the key's problem is in the first rows.
    vision = relkit.plan_promotion(relkit.ReleaseVersionsFile.parse(VERSIONS),
                                   f"file://{channel}//whl/test", f"file://{channel}//whl",
                                   packages=["torchvision"])
    assert [p.kind for p in vision.problems] == ["unreadable-name"]
    html = vision.problems._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


# -- S3 (moto_server on 127.0.0.1) ---------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def moto(tmp_path: pathlib.Path) -> Iterator[str]:
    program = os.environ.get("RELKIT_MOTO_SERVER") or shutil.which("moto_server")
    if not program:
        pytest.fail("moto_server not found on PATH (BUILD.md: it is installed for the image's "
                    "pyenv python3); set RELKIT_MOTO_SERVER. The S3 tests are never skipped.")
    port = _free_port()
    log = open(tmp_path / "moto.log", "wb")
    proc = subprocess.Popen([program, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"moto_server exited at start; see {tmp_path / 'moto.log'}")
            try:
                opener.open(f"{endpoint}/moto-api/data.json", timeout=2).read()
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


def _put(endpoint: str, path: str, data: bytes = b"", headers: dict[str, str] | None = None) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(f"{endpoint}/{path}", data=data, method="PUT",
                                 headers={"Content-Type": "application/octet-stream",
                                          **(headers or {})})
    opener.open(req, timeout=10).read()


@pytest.fixture()
def s3_env(monkeypatch: pytest.MonkeyPatch, moto: str) -> str:
    for k in list(os.environ):
        if k.startswith("AWS_"):
            monkeypatch.delenv(k)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAPYTHONTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return moto


def test_plan_against_moto_without_leaking_secrets(s3_env: str, tmp_path: pathlib.Path) -> None:
    endpoint = s3_env
    _put(endpoint, "pytorch")
    sha = "cd" * 32
    for rel, data in {**OWNED, **TRAPS}.items():
        headers = {"x-amz-meta-checksum-sha256": sha} if rel.startswith("cu121/torch-2.4.1+") else {}
        _put(endpoint, f"pytorch/whl/test/{urllib.request.quote(rel)}", data, headers)
    src = relkit.S3Store.open("s3://pytorch/whl/test", endpoint_url=endpoint)
    assert (src.bucket, src.prefix, src.endpoint) == ("pytorch", "whl/test", endpoint)
    assert len(src.list_all()) == len(OWNED) + len(TRAPS)
    plan = relkit.plan_promotion(relkit.ReleaseVersionsFile.parse(VERSIONS),
                                 src, "s3://pytorch/whl", packages=["torch", "torchvision"],
                                 allow_incomplete=True, endpoint_url=endpoint)
    assert plan.ok
    assert {c.destination_key for c in plan.copies} == {"whl/" + k for k in OWNED}
    by_key = {c.source_key: c.sha256 for c in plan.copies}
    assert by_key["whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl"] == sha
    assert by_key["whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl"] is None
    shown = [repr(src), str(src), src.describe(), repr(plan), plan.to_text(), plan.to_json(),
             plan._repr_html_(), repr(relkit.open_store("s3://pytorch", endpoint_url=endpoint))]
    try:
        relkit.S3Store.open("s3://no-such-bucket/x", endpoint_url=endpoint).list_all()
    except relkit.Error as e:
        shown.append(str(e))
        shown.append(repr(e))
    else:
        pytest.fail("listing a missing bucket did not raise")
    for text in shown:
        assert SECRET not in text and TOKEN not in text, text


def test_s3_store_needs_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in list(os.environ):
        if k.startswith("AWS_"):
            monkeypatch.delenv(k)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    with pytest.raises(relkit.FailedPreconditionError, match="AWS_ACCESS_KEY_ID") as e:
        relkit.S3Store.open("s3://pytorch/whl", endpoint_url="http://127.0.0.1:9")
    assert SECRET not in str(e.value)


def test_store_io_releases_the_gil(s3_env: str) -> None:
    # While one thread lists a bucket of 1,200 keys over HTTP, another Python
    # thread keeps running: the listing does not hold the GIL.
    endpoint = s3_env
    _put(endpoint, "many")
    keys = [f"whl/test/k{i:05d}" for i in range(1200)]
    threads = [threading.Thread(target=lambda part=part: [_put(endpoint, f"many/{k}", b"x")
                                                          for k in part])
               for part in (keys[i::8] for i in range(8))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = relkit.open_store("s3://many/whl/test", endpoint_url=endpoint)
    ticks = 0
    done = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    start = time.monotonic()
    listed = store.list_all()
    elapsed = time.monotonic() - start
    done.set()
    ticker.join()
    assert len(listed) == 1200
    # Held GIL: the ticker would barely run during the listing.
    assert ticks >= max(3, int(elapsed / 0.001 / 20)), (ticks, elapsed)


def test_promotion_client_code_type_checks_strictly(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("mypy")
    from test_typing import run as run_mypy

    client = tmp_path / "client.py"
    client.write_text(
        "import pathlib\n"
        "import relkit\n"
        "f = relkit.ReleaseVersionsFile.read(pathlib.Path('release_versions.sh'))\n"
        "f.set_value('PYTORCH_VERSION', '2.4.1')\n"
        "s: relkit.ReleaseSet = f.release_set()\n"
        "v: relkit.Version = s.packages[0].version\n"
        "store: relkit.ObjectStore = relkit.open_store('file:///srv//whl/test')\n"
        "plan = relkit.plan_promotion('release_versions.sh', store, 's3://b/whl',\n"
        "                             packages=['torch'], endpoint_url=None)\n"
        "ok: bool = plan.ok\n"
        "rows: list[dict[str, str | int | None]] = plan.copies.to_records()\n"
        "keys: list[str] = [c.destination_key for c in plan.copies]\n"
        "sha: str | None = plan.copies[0].sha256\n"
        "html: str = plan._repr_html_()\n"
        "sel = relkit.select_artifacts(keys, 'torch', v)\n"
        "name: relkit.ArtifactName = relkit.parse_artifact_name('torch-2.4.1-py3-none-any.whl')\n"
        "ver: relkit.Version | None = name.version\n",
        encoding="utf-8",
    )
    result = run_mypy("mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(client),
                      cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_store_url_with_a_nul_byte_is_refused(channel: pathlib.Path) -> None:
    for url in (f"file://{channel}\x00/x", f"file://{channel}//whl\x00x"):
        with pytest.raises(relkit.InvalidArgumentError, match="NUL byte"):
            relkit.open_store(url)
        with pytest.raises(relkit.InvalidArgumentError, match="NUL byte"):
            relkit.LocalStore.open(url)
        with pytest.raises(relkit.InvalidArgumentError, match="NUL byte"):
            relkit.plan_promotion(relkit.ReleaseVersionsFile.parse(VERSIONS), url,
                                  f"file://{channel}//whl")
