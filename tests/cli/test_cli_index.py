"""`relkit index regenerate`: PEP 503 pages of a channel's packages, planned
then written, read back by `relkit wheels check --index` (a file, and over
http from a real moto_server)."""

from __future__ import annotations

import hashlib
import html.parser
import json
import pathlib
import subprocess
import urllib.parse

from conftest import Run
from s3_helpers import assert_no_secret, get, moto, put, s3_env  # noqa: F401

VERSION = "2.4.1"


class Links(html.parser.HTMLParser):
    """The hrefs and texts of a page's <a> elements (Python's own parser)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.links.append((self._href, data))
            self._href = None


def links_of(page: bytes) -> list[tuple[str, str]]:
    p = Links()
    p.feed(page.decode())
    return p.links


def expected_names(run: Run, tmp_path: pathlib.Path) -> list[str]:
    """Every torch wheel the build matrix expects of the release, from
    `relkit wheels check` on an empty page (its `missing` patterns)."""
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><html><body></body></html>\n")
    r = run("wheels", "check", "--index", str(empty), "--version", VERSION, "--json")
    assert r.returncode == 1, r.stderr
    patterns = [m["pattern"] for m in json.loads(r.stdout)["missing"]]
    assert patterns
    return sorted({p.replace("manylinux_*_", "manylinux_2_28_").replace("macosx_*_", "macosx_11_0_")
                   for p in patterns})


def key_of(name: str) -> str:
    label = name.split("+", 1)[1].split("-", 1)[0] if "+" in name else "cpu"
    return f"whl/{label}/{name.replace('+', '%2B')}"


def test_regenerate_plans_writes_and_reruns_with_full_coverage(
    run: Run, tmp_path: pathlib.Path
) -> None:
    names = expected_names(run, tmp_path)
    root = tmp_path / "bucket"
    contents = {}
    for name in names + ["torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl"]:
        p = root / key_of(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(name.encode())
        contents[name] = name.encode()
    store = f"file://{root}//whl"

    r = run("index", "regenerate", "--store", store, "--package", "torch")
    assert r.returncode == 0, r.stderr
    assert "new: whl/torch/index.html" in r.stdout
    assert "new: whl/cpu/torch/index.html" in r.stdout
    assert "would be written" in r.stdout
    assert not (root / "whl/torch/index.html").exists()
    # No object had checksum metadata: each was read and hashed, and said so.
    assert r.stdout.count("sha256 computed by reading it") == len(names)

    r = run("index", "regenerate", "--store", store, "--package", "torch", "--execute")
    assert r.returncode == 0, r.stderr
    page = root / "whl/torch/index.html"
    assert page.is_file()

    # Python's own HTML parser: one link per wheel, with its sha256.
    links = links_of(page.read_bytes())
    assert sorted(text for _, text in links) == names
    for href, text in links:
        path, _, fragment = href.partition("#")
        assert fragment == "sha256=" + hashlib.sha256(contents[text]).hexdigest()
        assert urllib.parse.unquote(path) == "/" + urllib.parse.unquote(key_of(text))

    # relkit's own reader of the page: the release is complete.
    r = run("wheels", "check", "--index", str(page), "--version", VERSION, "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["missing"] == [] and doc["found"] == len(names) == doc["expected"]

    # Run twice: every page unchanged, nothing written.
    before = {p: p.stat().st_mtime_ns for p in root.rglob("index.html")}
    r = run("index", "regenerate", "--store", store, "--package", "torch", "--execute", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["pages_to_write"] == 0
    assert {p["change"] for p in doc["pages"]} == {"unchanged"}
    assert {p: p.stat().st_mtime_ns for p in root.rglob("index.html")} == before


def test_bad_usage_is_exit_2(run: Run, tmp_path: pathlib.Path) -> None:
    r = run("index", "regenerate", "--store", f"file://{tmp_path}//whl")
    assert r.returncode == 2 and "--package" in r.stderr
    r = run("index", "regenerate", "--store", "ftp://x/whl", "--package", "torch")
    assert r.returncode == 2
    r = run("index", "regenerate", "--store", f"file://{tmp_path}/missing", "--package", "torch")
    assert r.returncode != 0 and "does not exist" in r.stderr


def test_regenerate_against_moto_and_check_over_http(
    relkit_path: pathlib.Path, moto: str  # noqa: F811
) -> None:
    put(moto, "pytorch")
    sha = "c0" * 32
    wheels = {
        "whl/cu121/torch-2.4.1%2Bcu121-cp312-cp312-linux_x86_64.whl": sha,
        "whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl": None,
    }
    for key, checksum in wheels.items():
        headers = {"x-amz-meta-checksum-sha256": checksum} if checksum else {}
        put(moto, f"pytorch/{urllib.parse.quote(key)}", key.encode(), headers)
    env = s3_env(moto)

    def relkit(*args: str) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([str(relkit_path), *args], capture_output=True, text=True,
                           timeout=120, env=env, check=False)
        assert_no_secret(r.stdout, r.stderr)
        return r

    args = ("index", "regenerate", "--store", "s3://pytorch/whl", "--package", "torch",
            "--endpoint-url", moto)
    r = relkit(*args)
    assert r.returncode == 0, r.stderr
    assert get(moto, "pytorch/whl/torch/index.html") is None
    r = relkit(*args, "--execute")
    assert r.returncode == 0, r.stderr
    got = get(moto, "pytorch/whl/cu121/torch/index.html")
    assert got is not None
    assert got[1]["content-type"].startswith("text/html")
    assert links_of(got[0]) == [
        ("/whl/cu121/torch-2.4.1%2Bcu121-cp312-cp312-linux_x86_64.whl#sha256=" + sha,
         "torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl")]
    cpu_sha = hashlib.sha256(b"whl/cpu/torch-2.4.1%2Bcpu-cp312-cp312-linux_x86_64.whl").hexdigest()
    assert cpu_sha in get(moto, "pytorch/whl/torch/index.html")[0].decode()

    r = relkit("wheels", "check", "--index", f"{moto}/pytorch/whl/torch/index.html",
               "--version", VERSION, "--json")
    doc = json.loads(r.stdout)
    assert doc["found"] == 2, r.stdout + r.stderr
    assert doc["skipped"] == [] and doc["inconsistent"] == []

    r = relkit(*args, "--execute")
    assert r.returncode == 0, r.stderr
    assert "0 of 3 pages written" in r.stdout, r.stdout
