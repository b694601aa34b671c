"""`relkit pypi stage` and `relkit pypi validate` against a test channel of
real wheels (tests/testing/pypi_channel.py), read as index pages (files and
an HTTP server on 127.0.0.1) and as a store listing, staged into a
directory store and validated."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from typing import Iterator

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))

import pypi_channel as ch  # noqa: E402

FOLDER = "torch-2.9.0-pypi-staging"


@pytest.fixture()
def channel(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "channel"
    ch.build_channel(root)
    (tmp_path / "release_versions.sh").write_text(ch.VERSIONS_SH)
    (tmp_path / "staging").mkdir()
    return root


def pages(root: pathlib.Path) -> list[str]:
    return ["--from", str(root / "whl/test/cu130/torch/index.html"),
            "--from", str(root / "whl/test/cpu/torch/index.html"),
            "--from", str(root / "whl/test/cu126/torch/index.html")]


def stage_args(tmp_path: pathlib.Path, root: pathlib.Path, *extra: str) -> list[str]:
    return ["pypi", "stage", "--versions", str(tmp_path / "release_versions.sh"),
            "--date", ch.DATE, *pages(root), "--to", str(tmp_path / "staging"), *extra]


def validate_args(tmp_path: pathlib.Path, *extra: str) -> list[str]:
    return ["pypi", "validate", "--versions", str(tmp_path / "release_versions.sh"),
            "--date", ch.DATE, "--staging", str(tmp_path / "staging"), *extra]


def staged(tmp_path: pathlib.Path) -> list[str]:
    folder = tmp_path / "staging" / FOLDER
    return sorted(p.name for p in folder.glob("*.whl")) if folder.exists() else []


def test_plan_selects_by_rule_and_says_why_for_every_other_wheel(run, tmp_path, channel):
    r = run(*stage_args(tmp_path, channel))
    assert r.returncode == 0, r.stderr
    assert "pypi staging plan (dry run: nothing is staged)" in r.stdout
    assert "torch==2.9.0: 24 of 34 wheels selected" in r.stdout
    assert "excluded: Python 3.15t is a pre-release on 2026-09-02" in r.stdout
    assert "excluded: +cu126 is not the stable CUDA build" in r.stdout
    assert "classifiers dropped: Programming Language :: Python :: 3.15" in r.stdout
    assert staged(tmp_path) == []  # a plan writes nothing

    j = run(*stage_args(tmp_path, channel, "--json"))
    assert j.returncode == 0, j.stderr
    plan = json.loads(j.stdout)
    assert plan["ok"] is True
    assert plan["rule"]["stable_cuda_label"] == "cu130"
    assert [p["version"] for p in plan["rule"]["prerelease_pythons"]] == ["3.15", "3.15t"]
    cands = plan["selections"][0]["candidates"]
    reasons = {c["file_name"]: c["reason"] for c in cands}
    assert reasons["torch-2.9.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl"] == "stable-cuda"
    assert reasons["torch-2.9.0+cpu-cp312-cp312-win_amd64.whl"] == "windows-cpu"
    assert reasons["torch-2.9.0-cp312-cp312-macosx_11_0_arm64.whl"] == "macos-unlabelled"
    assert reasons["torch-2.9.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl"] == "other-accelerator"
    assert reasons["torch-2.9.0+cu130-cp315-cp315-manylinux_2_28_x86_64.whl"] == "prerelease-python"
    assert all(c["explanation"].startswith("selected: " if c["selected"] else "excluded: ")
               for c in cands)
    assert len(plan["to_stage"]) == 24
    assert {i["staged_key"].split("/")[0] for i in plan["to_stage"]} == {FOLDER}


def test_execute_stages_rewritten_wheels_and_a_rerun_is_already_applied(run, tmp_path, channel):
    r = run(*stage_args(tmp_path, channel, "--execute"))
    assert r.returncode == 0, r.stderr
    assert "staging done" in r.stdout
    names = staged(tmp_path)
    assert len(names) == 24
    assert all("+" not in n for n in names)
    wheel = tmp_path / "staging" / FOLDER / "torch-2.9.0-cp312-cp312-manylinux_2_28_x86_64.whl"
    with zipfile.ZipFile(wheel) as z:
        metadata = z.read("torch-2.9.0.dist-info/METADATA").decode()
    assert "Version: 2.9.0\n" in metadata
    assert "Programming Language :: Python :: 3.15" not in metadata
    assert "Programming Language :: Python :: 3.14" in metadata
    # pip's own check: the rewritten wheel unpacks and its RECORD verifies.
    unpack = subprocess.run(["/usr/bin/python3", "-m", "wheel", "unpack", "-d",
                             str(tmp_path / "unpacked"), str(wheel)],
                            capture_output=True, text=True, check=False)
    assert unpack.returncode == 0, unpack.stderr

    again = run(*stage_args(tmp_path, channel, "--execute", "--json"))
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)["result"]
    assert result["already_applied"] is True
    assert len(result["already_staged"]) == 24

    v = run(*validate_args(tmp_path))
    assert v.returncode == 0, v.stdout + v.stderr
    assert "validation ok" in v.stdout
    assert "24 of 24 expected files" in v.stdout


def test_index_pages_given_as_file_urls_are_read(run, tmp_path, channel):
    args = ["pypi", "stage", "--versions", str(tmp_path / "release_versions.sh"),
            "--date", ch.DATE,
            "--from", f"file://{channel}/whl/test/cu130/torch/index.html",
            "--from", f"file://{channel}/whl/test/cpu/torch/index.html",
            "--to", str(tmp_path / "staging")]
    plan = run(*args, "--json")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    doc = json.loads(plan.stdout)
    assert doc["problems"] == []
    assert len(doc["to_stage"]) == 24
    r = run(*args, "--execute")
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(staged(tmp_path)) == 24


def test_a_missing_stable_cuda_page_or_only_page_is_an_error(run, tmp_path, channel):
    base = ["pypi", "stage", "--versions", str(tmp_path / "release_versions.sh"),
            "--date", ch.DATE, "--to", str(tmp_path / "staging"), "--json"]
    cpu = str(channel / "whl/test/cpu/torch/index.html")
    gone_cu130 = str(channel / "whl/test/cu130/gone/index.html")
    # Without the stable CUDA page the Linux wheels are missing: not "ok".
    r = run(*base, "--from", cpu, "--from", gone_cu130)
    assert r.returncode == 1, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is False
    missing = [p for p in doc["problems"] if p["kind"] == "missing-page"]
    assert [(p["severity"], p["key"]) for p in missing] == [("error", gone_cu130)]
    # A template: its stable CUDA expansion is the one that matters.
    tmpl = f"file://{tmp_path}/nowhere/{{acc}}/{{package}}/index.html"
    r = run(*base, "--from", tmpl)
    doc = json.loads(r.stdout)
    assert r.returncode == 1
    sev = {p["key"]: p["severity"] for p in doc["problems"] if p["kind"] == "missing-page"}
    assert sev == {f"{tmp_path}/nowhere/cu130/torch/index.html": "error",
                   f"{tmp_path}/nowhere/cpu/torch/index.html": "warning"}
    # The only page, missing: an error too.
    r = run(*base, "--from", str(tmp_path / "nowhere.html"))
    assert r.returncode == 1
    assert [p["severity"] for p in json.loads(r.stdout)["problems"]
            if p["kind"] == "missing-page"] == ["error"]
    # Another page (not the stable CUDA one) missing beside it stays a warning.
    r = run(*base, *pages(channel), "--from", str(channel / "whl/test/rocm6.4/torch/index.html"))
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert [p["severity"] for p in doc["problems"] if p["kind"] == "missing-page"] == ["warning"]


def test_an_index_publishing_upper_case_sha256_reruns_as_already_staged(run, tmp_path, channel):
    # Hex is hex in either case: the staged relkit-source-sha256 (lower
    # case) must match an index's upper-case #sha256= on a rerun.
    for page in channel.glob("whl/test/*/torch/index.html"):
        text = page.read_text()
        upper = re.sub(r"#sha256=([0-9a-f]{64})", lambda m: "#sha256=" + m[1].upper(), text)
        assert upper != text
        page.write_text(upper)
    r = run(*stage_args(tmp_path, channel, "--execute"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(staged(tmp_path)) == 24
    plan = run(*stage_args(tmp_path, channel, "--json"))
    assert plan.returncode == 0, plan.stdout + plan.stderr
    doc = json.loads(plan.stdout)
    doc = doc.get("plan", doc)
    assert doc["problems"] == [] and doc["to_stage"] == []
    assert len(doc["already_staged"]) == 24
    again = run(*stage_args(tmp_path, channel, "--execute", "--json"))
    assert again.returncode == 0, again.stdout + again.stderr
    result = json.loads(again.stdout)["result"]
    assert result["already_applied"] is True
    assert len(result["already_staged"]) == 24


def test_a_wrong_sha256_in_the_index_refuses_before_rewriting(run, tmp_path, channel):
    bad = "torch-2.9.0+cpu-cp310-cp310-win_amd64.whl"
    folder = channel / "whl/test/cpu"
    files = sorted(p.name for p in folder.glob("*.whl"))
    ch.write_index(folder / "torch" / "index.html", folder, files, wrong_sha_for=bad)
    r = run(*stage_args(tmp_path, channel, "--execute"))
    assert r.returncode == 3, r.stdout + r.stderr
    assert "does not match the published " + "0" * 64 in r.stderr
    assert "torch-2.9.0-cp310-cp310-win_amd64.whl" not in staged(tmp_path)
    # The run stops at the failure; the rest is staged by a rerun once the
    # page is right.
    ch.write_index(folder / "torch" / "index.html", folder, files)
    again = run(*stage_args(tmp_path, channel, "--execute"))
    assert again.returncode == 0, again.stderr
    assert len(staged(tmp_path)) == 24


def test_a_staged_file_from_another_source_is_a_conflict(run, tmp_path, channel):
    assert run(*stage_args(tmp_path, channel, "--execute")).returncode == 0
    # The Windows 3.12 wheel is rebuilt in the test channel (new bytes).
    name = "torch-2.9.0+cpu-cp312-cp312-win_amd64.whl"
    folder = channel / "whl/test/cpu"
    ch.write_wheel(folder / name, "torch", "2.9.0+cpu", "cp312-cp312-win_amd64", payload=5000)
    ch.write_index(folder / "torch" / "index.html", folder,
                   sorted(p.name for p in folder.glob("*.whl")))
    r = run(*stage_args(tmp_path, channel))
    assert r.returncode == 1
    assert "[conflict]" in r.stdout and "use --overwrite" in r.stdout
    refused = run(*stage_args(tmp_path, channel, "--execute"))
    assert refused.returncode == 2
    assert "--execute refused" in refused.stderr
    ok = run(*stage_args(tmp_path, channel, "--execute", "--overwrite"))
    assert ok.returncode == 0, ok.stderr
    assert "overwritten" in ok.stdout


def test_store_listing_source_and_kill_midway_then_rerun(relkit_path, run, tmp_path, channel):
    args = ["pypi", "stage", "--versions", str(tmp_path / "release_versions.sh"),
            "--date", ch.DATE, "--from", f"file://{channel}//whl/test/",
            "--to", f"file://{tmp_path / 'staging'}", "--execute"]
    env = dict(os.environ, RELKIT_TEST_STAGE_DELAY_MS="150")
    p = subprocess.Popen([str(relkit_path), *args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 30
    while len(staged(tmp_path)) < 3 and time.time() < deadline:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    partial = staged(tmp_path)
    assert 3 <= len(partial) < 24
    r = run(*args)
    assert r.returncode == 0, r.stderr
    assert len(staged(tmp_path)) == 24
    # The listing carries no sha256: each wheel is staged with a warning.
    assert "[no-checksum]" in r.stdout
    assert "already staged" in r.stdout
    v = run(*validate_args(tmp_path))
    assert v.returncode == 0, v.stdout


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D102
        pass


@pytest.fixture()
def http_channel(channel: pathlib.Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(channel))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_index_pages_with_placeholders_are_downloaded_and_checked(run, tmp_path, http_channel):
    args = ["pypi", "stage", "--versions", str(tmp_path / "release_versions.sh"),
            "--date", ch.DATE, "--from", http_channel + "/whl/test/{acc}/{package}/",
            "--to", str(tmp_path / "staging")]
    plan = run(*args, "--json")
    assert plan.returncode == 0, plan.stderr
    items = json.loads(plan.stdout)["to_stage"]
    assert len(items) == 24
    assert all(i["location"].startswith(http_channel + "/whl/test/") for i in items)
    assert all(i["sha256"] for i in items)
    # A wheel the page links but the server no longer has: the download
    # fails (404), the run stops and says so; the rest is staged on a rerun.
    gone = tmp_path / "channel/whl/test/cpu/torch-2.9.0+cpu-cp312-cp312-win_amd64.whl"
    kept = gone.read_bytes()
    gone.unlink()
    failed = run(*args, "--execute")
    assert failed.returncode == 3, failed.stdout + failed.stderr
    assert "404" in failed.stderr
    assert "torch-2.9.0-cp312-cp312-win_amd64.whl" not in staged(tmp_path)
    gone.write_bytes(kept)
    r = run(*args, "--execute")
    assert r.returncode == 0, r.stderr
    assert len(staged(tmp_path)) == 24


def _stage_clean(run, tmp_path, channel) -> pathlib.Path:
    r = run(*stage_args(tmp_path, channel, "--execute"))
    assert r.returncode == 0, r.stderr
    return tmp_path / "staging" / FOLDER


def test_validate_reports_missing_and_unexpected_files(run, tmp_path, channel):
    folder = _stage_clean(run, tmp_path, channel)
    (folder / "torch-2.9.0-cp313-cp313-win_amd64.whl").unlink()
    shutil.copy(folder / "torch-2.9.0-cp312-cp312-win_amd64.whl",
                folder / "torch-2.9.0-cp39-cp39-win_amd64.whl")
    v = run(*validate_args(tmp_path, "--json"))
    assert v.returncode == 1
    report = json.loads(v.stdout)
    kinds = {(p["kind"], p["file"]) for p in report["problems"]}
    assert ("missing", "torch-2.9.0-cp313-cp313-win_amd64.whl") in kinds
    assert ("unexpected", "torch-2.9.0-cp39-cp39-win_amd64.whl") in kinds


def test_validate_names_the_wheel_pinning_another_triton(run, tmp_path):
    root = tmp_path / "channel"
    ch.build_channel(root, triton_odd="3.4.0")
    (tmp_path / "release_versions.sh").write_text(ch.VERSIONS_SH)
    (tmp_path / "staging").mkdir()
    assert run(*stage_args(tmp_path, root, "--execute")).returncode == 0
    v = run(*validate_args(tmp_path))
    assert v.returncode == 1
    odd = "torch-2.9.0-cp312-cp312-manylinux_2_28_x86_64.whl"
    lines = [l for l in v.stdout.splitlines() if "[requires-dist]" in l]
    assert len(lines) == 1, v.stdout
    assert odd in lines[0] and "triton==3.4.0" in lines[0] and "triton==3.5.0" in lines[0]


def test_validate_reports_a_wrong_version_and_a_broken_record(run, tmp_path, channel):
    folder = _stage_clean(run, tmp_path, channel)
    ch.write_wheel(folder / "torch-2.9.0-cp310-cp310-win_amd64.whl", "torch", "2.9.0",
                   "cp310-cp310-win_amd64", metadata_version="2.9.0+cpu")
    ch.write_wheel(folder / "torch-2.9.0-cp311-cp311-win_amd64.whl", "torch", "2.9.0",
                   "cp311-cp311-win_amd64", tamper=True)
    v = run(*validate_args(tmp_path))
    assert v.returncode == 1
    assert ('[version] torch-2.9.0-cp310-cp310-win_amd64.whl: METADATA Version is '
            '"2.9.0+cpu", not "2.9.0"') in v.stdout
    assert "[record] torch-2.9.0-cp311-cp311-win_amd64.whl: RECORD: torch/_C.so" in v.stdout


def test_validate_size_limits_and_quota_are_configurable(run, tmp_path, channel):
    _stage_clean(run, tmp_path, channel)
    v = run(*validate_args(tmp_path, "--max-file-mb", "0", "--warn-file-mb", "0",
                           "--project-quota-gb", "0.000001", "--json"))
    assert v.returncode == 1
    report = json.loads(v.stdout)
    kinds = [p["kind"] for p in report["problems"]]
    assert kinds.count("file-limit") == 24
    assert "quota" in kinds
    assert report["packages"][0]["staged_bytes"] > 0
    bad = run(*validate_args(tmp_path, "--max-file-mb", "1", "--warn-file-mb", "2"))
    assert bad.returncode == 2


def test_validate_size_threshold_alone_flags_only_the_files_above_it(run, tmp_path, channel):
    # Under the per-file limit but over the threshold (validate_binaries.sh's
    # 850 MB): a size-threshold error of its own, and only for those files.
    folder = _stage_clean(run, tmp_path, channel)
    default = run(*validate_args(tmp_path, "--json"))
    assert default.returncode == 0, default.stdout + default.stderr
    assert json.loads(default.stdout)["warn_file_bytes"] == 850 * 1000 * 1000
    sizes = {w.name: w.stat().st_size for w in folder.glob("*.whl")}
    ordered = sorted(set(sizes.values()))
    assert len(ordered) >= 2
    cut = ordered[len(ordered) // 2 - 1]  # the files larger than this are over
    v = run(*validate_args(tmp_path, "--warn-file-mb", repr((cut + 0.5) / 1e6), "--json"))
    assert v.returncode == 1, v.stdout + v.stderr
    report = json.loads(v.stdout)
    assert report["max_file_bytes"] == 1000 * 1000 * 1000
    over = sorted(n for n, size in sizes.items() if size > cut)
    assert over and len(over) < len(sizes)
    assert {p["kind"] for p in report["problems"]} == {"size-threshold"}
    assert sorted(p["file"] for p in report["problems"]) == over
    assert all("over the threshold of" in p["message"] for p in report["problems"])


from s3_helpers import assert_no_secret, moto, put as s3_put, s3_env  # noqa: E402,F401


def test_stage_and_validate_against_moto_with_store_checksums(relkit_path, tmp_path, channel, moto):
    # The test channel in a bucket, each wheel with the checksum-sha256 that
    # `relkit promote` writes (one of them wrong); the staging bucket beside.
    s3_put(moto, "pytorch")
    s3_put(moto, "pytorch-backup")
    bad = "torch-2.9.0+cpu-cp313-cp313-win_amd64.whl"
    test = channel / "whl/test"
    for path in sorted(test.glob("*/*.whl")):
        data = path.read_bytes()
        sha = "0" * 64 if path.name == bad else hashlib.sha256(data).hexdigest()
        rel = f"{path.parent.name}/{path.name}".replace("+", "%2B")
        s3_put(moto, f"pytorch/whl/test/{rel}", data, {"x-amz-meta-checksum-sha256": sha})
    env = s3_env(moto)

    def relkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(relkit_path), *args], capture_output=True, text=True,
                              timeout=120, env=env, check=False)

    args = ["pypi", "stage", "--versions", str(tmp_path / "release_versions.sh"),
            "--date", ch.DATE, "--from", "s3://pytorch/whl/test/", "--to", "s3://pytorch-backup"]
    plan = relkit(*args, "--json")
    assert plan.returncode == 0, plan.stderr
    doc = json.loads(plan.stdout)
    assert len(doc["to_stage"]) == 24
    assert all(i["sha256"] for i in doc["to_stage"])  # from checksum-sha256
    r = relkit(*args, "--execute")
    assert r.returncode == 3
    assert "does not match the published" in r.stderr
    assert_no_secret(plan.stdout, plan.stderr, r.stdout, r.stderr)

    v = relkit("pypi", "validate", "--versions", str(tmp_path / "release_versions.sh"),
               "--date", ch.DATE, "--staging", "s3://pytorch-backup", "--json")
    assert v.returncode == 1
    problems = json.loads(v.stdout)["problems"]
    missing = [p["file"] for p in problems if p["kind"] == "missing"]
    assert "torch-2.9.0-cp313-cp313-win_amd64.whl" in missing
    assert_no_secret(v.stdout, v.stderr)


class _Pep691(http.server.BaseHTTPRequestHandler):
    FILES = [
        {"filename": "torch-2.8.0-cp312-cp312-win_amd64.whl", "url": "x",
         "hashes": {}, "size": 4_000_000_000},
        {"filename": "torch-2.8.0-cp313-cp313-win_amd64.whl", "url": "y",
         "hashes": {}, "size": 3_000_000_000}]

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/simple/torch/":
            body = json.dumps({"meta": {"api-version": "1.1"}, "name": "torch",
                               "files": self.FILES}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
        else:
            body = b"not found"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # noqa: D102
        pass


def test_validate_counts_the_projects_current_size_from_a_pep691_index(run, tmp_path, channel):
    _stage_clean(run, tmp_path, channel)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pep691)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
        v = run(*validate_args(tmp_path, "--index-url", url, "--project-quota-gb", "6.5",
                               "--json"))
    finally:
        server.shutdown()
        server.server_close()
    assert v.returncode == 1, v.stderr
    report = json.loads(v.stdout)
    pkg = report["packages"][0]
    assert pkg["current_bytes"] == 7_000_000_000
    assert pkg["total_after_upload"] == 7_000_000_000 + pkg["staged_bytes"]
    assert [p["kind"] for p in report["problems"]] == ["quota"]


def test_validate_quota_counts_sdists_and_not_a_staged_file_twice(run, tmp_path, channel):
    # The index lists an sdist (it counts toward the quota too) and one of the
    # staged wheels (a rerun after a partial upload: it is in the index's
    # size already and must not be added again).
    folder = _stage_clean(run, tmp_path, channel)
    wheels = sorted(folder.glob("*.whl"))
    staged_bytes = sum(w.stat().st_size for w in wheels)
    there = wheels[0]
    sdist = 5_000_000_000

    class Handler(_Pep691):
        FILES = [{"filename": "torch-2.9.0.tar.gz", "url": "s", "hashes": {}, "size": sdist},
                 {"filename": there.name, "url": "w", "hashes": {},
                  "size": there.stat().st_size}]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    # Room for everything counted once, not for the staged wheel twice.
    quota_gb = (sdist + staged_bytes + there.stat().st_size // 2) / (1 << 30)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
        v = run(*validate_args(tmp_path, "--index-url", url, "--project-quota-gb",
                               repr(quota_gb), "--json"))
    finally:
        server.shutdown()
        server.server_close()
    assert v.returncode == 0, v.stdout + v.stderr
    pkg = json.loads(v.stdout)["packages"][0]
    assert pkg["staged_bytes"] == staged_bytes
    assert pkg["current_bytes"] == sdist + there.stat().st_size
    assert pkg["staged_on_index_bytes"] == there.stat().st_size
    assert pkg["total_after_upload"] == sdist + staged_bytes


@pytest.mark.parametrize("option,value", [
    ("--max-file-mb", "-5"), ("--warn-file-mb", "-1"), ("--project-quota-gb", "-1"),
    ("--project-quota-gb", "nan"), ("--project-quota-gb", "inf"),
    ("--project-quota-gb", "2e9"), ("--max-file-mb", "1e300")])
def test_validate_refuses_negative_or_absurd_sizes(run, tmp_path, channel, option, value):
    # An unsigned cast wrapped -5 MB to an enormous limit that never fired.
    _stage_clean(run, tmp_path, channel)
    r = run(*validate_args(tmp_path, option, value))
    assert r.returncode == 2, r.stdout + r.stderr
    assert option in r.stderr and "is not a size" in r.stderr
    assert r.stdout == ""
