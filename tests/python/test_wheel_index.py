"""Wheel indexes (HTML, JSON, listing) and release coverage from Python."""

from __future__ import annotations

import http.server
import pathlib
import threading
from typing import Iterator

import pytest

import relkit

PAGE = """<!DOCTYPE html>
<html><body>
<h1>Links for torch</h1>
<a href="/whl/cu126/torch-2.13.0%2Bcu126-cp312-cp312-manylinux_2_28_x86_64.whl#sha256=ab12" data-requires-python="&gt;=3.10">torch-2.13.0+cu126-cp312-cp312-manylinux_2_28_x86_64.whl</a><br/>
<a href="torch-2.13.0-cp312-none-macosx_11_0_arm64.whl">torch-2.13.0-cp312-none-macosx_11_0_arm64.whl</a><br/>
<a href="torch-2.13.0.tar.gz">torch-2.13.0.tar.gz</a>
<a href="torch-nightly.whl">torch-nightly.whl</a>
</body></html>
"""


def test_parse_wheel_index_reads_links_and_reports_junk() -> None:
    index = relkit.parse_wheel_index(PAGE, source="torch.html")
    assert index.format == "html"
    assert len(index) == 2
    first = index[0]
    assert isinstance(first, relkit.IndexedWheel)
    assert first.filename == "torch-2.13.0+cu126-cp312-cp312-manylinux_2_28_x86_64.whl"
    assert first.sha256 == "ab12"
    assert first.requires_python == ">=3.10"
    assert first.line == 4
    assert first.wheel.version == relkit.Version("2.13.0+cu126")
    assert index[-1].wheel.name == "torch"
    with pytest.raises(IndexError):
        index[2]
    assert index.filenames() == [w.filename for w in index.wheels]
    assert [(s.text, s.location, s.reason == "not a wheel") for s in index.skipped] == [
        ("torch-2.13.0.tar.gz", "torch.html:6", True),
        ("torch-nightly.whl", "torch.html:7", False),
    ]


def test_malformed_page_raises_value_error_naming_source_and_line() -> None:
    with pytest.raises(relkit.InvalidArgumentError, match=r"page\.html:2: <a> has no </a>"):
        relkit.parse_wheel_index("<html>\n<a href='x.whl'>x.whl\n", source="page.html")
    with pytest.raises(ValueError, match=r"idx\.json: \$\.files\[0\]: missing field \"url\""):
        relkit.WheelIndex.parse('{"files": [{"filename": "a.whl"}]}', source="idx.json")
    with pytest.raises(ValueError, match="unknown index format"):
        relkit.parse_wheel_index("", format="xml")


def test_json_and_listing_formats_carry_sizes() -> None:
    js = relkit.parse_wheel_index(
        '{"files": [{"filename": "torch-2.13.0-cp312-none-macosx_11_0_arm64.whl",'
        ' "url": "u", "size": 42, "hashes": {"sha256": "ff"}}]}'
    )
    assert js.format == "json"
    assert js[0].size == 42 and js[0].sha256 == "ff"
    listing = relkit.parse_wheel_index(
        "2024-07-24 17:11:54  797145452 whl/torch-2.13.0%2Bcpu-cp312-cp312-win_amd64.whl\n"
    )
    assert listing.format == "listing"
    assert listing[0].size == 797145452
    assert listing[0].filename == "torch-2.13.0+cpu-cp312-cp312-win_amd64.whl"


def test_wheel_classification_helpers() -> None:
    w = relkit.WheelFilename("torch-2.13.0-cp313-cp313t-manylinux_2_28_aarch64.whl")
    assert relkit.wheel_os(w) == "linux-aarch64"
    assert relkit.wheel_python_version(w) == "3.13t"
    assert relkit.wheel_os(relkit.WheelFilename("a-1-py3-none-any.whl")) is None


def _release_wheels() -> list:
    # BuildMatrix comes from the build-matrix bindings (issue 3 part 4).
    matrix_type = getattr(relkit, "BuildMatrix", None) or relkit._relkit.BuildMatrix
    return list(matrix_type.default().expected_wheels("release"))


def _listing_for(expected: list, size: int = 1000) -> str:
    version = relkit.Version("2.13.0")
    return "".join(
        f"{size} {relkit.expected_wheel_pattern('torch', version, e).replace('*', '2_28')}\n"
        for e in expected
    )


def test_default_release_matrix_coverage_and_problems() -> None:
    expected = _release_wheels()
    assert expected
    complete = relkit.parse_wheel_index(_listing_for(expected))
    report = relkit.check_wheel_coverage(complete, "torch", "2.13.0")
    assert report.ok and bool(report)
    assert report.expected_count == len(expected)
    assert report.found_count == len(expected)
    assert report.to_records() == []

    text = _listing_for(expected[1:])
    text += "5 torch-2.13.0+cu999-cp312-cp312-manylinux_2_28_x86_64.whl\n"
    text += "5 torch-2.13.0.post1+cpu-cp312-cp312-win_amd64.whl\n"
    report = relkit.check_wheel_coverage(relkit.parse_wheel_index(text), "torch", "2.13.0")
    assert not report.ok
    assert report.missing == [expected[0]]
    assert report.missing_patterns()[0].startswith("torch-2.13.0")
    assert [w.filename for w in report.unexpected] == [
        "torch-2.13.0+cu999-cp312-cp312-manylinux_2_28_x86_64.whl"
    ]
    assert [w.reason for w in report.inconsistent] == [
        "version 2.13.0.post1 is not the release's 2.13.0"
    ]
    problems = [r["problem"] for r in report.to_records()]
    assert problems == ["missing", "unexpected", "inconsistent"]
    assert "<table>" in report._repr_html_()


def test_size_limits_are_configurable() -> None:
    expected = _release_wheels()
    index = relkit.parse_wheel_index(_listing_for(expected, size=900_000_000))
    report = relkit.check_wheel_coverage(index, "torch", relkit.Version("2.13.0"), expected)
    assert report.oversize
    assert {o.limit for o in report.oversize} == {"size threshold"}
    relaxed = relkit.check_wheel_coverage(
        index, "torch", "2.13.0", expected, size_threshold_bytes=10**10
    )
    assert relaxed.oversize == []
    strict = relkit.check_wheel_coverage(
        index, "torch", "2.13.0", expected, size_threshold_bytes=10**10,
        pypi_file_limit_bytes=1,
    )
    assert len(strict.oversize) == len(expected)


def test_records_and_html_for_notebooks() -> None:
    index = relkit.parse_wheel_index(PAGE)
    records = index.to_records()
    assert records[0]["os"] == "linux" and records[0]["python"] == "3.12"
    assert records[1]["os"] == "macos-arm64"
    html = index._repr_html_()
    assert "<table>" in html and "torch-2.13.0+cu126" in html


class _IndexServer(http.server.ThreadingHTTPServer):
    """Serves `pages` (path -> bytes) on 127.0.0.1; records the Accept
    header of each request."""

    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages
        self.accepts: list[str | None] = []
        super().__init__(("127.0.0.1", 0), _IndexHandler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _IndexHandler(http.server.BaseHTTPRequestHandler):
    server: _IndexServer

    def do_GET(self) -> None:
        self.server.accepts.append(self.headers.get("Accept"))
        body = self.server.pages.get(self.path)
        self.send_response(404 if body is None else 200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        payload = b"not found" if body is None else body
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture()
def index_server() -> Iterator[_IndexServer]:
    server = _IndexServer({"/whl/torch/": PAGE.encode(), "/bad/": b"<a>\xff</a>"})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_fetch_index_page_gets_a_page_over_http(index_server: _IndexServer) -> None:
    # The server runs in this process: the fetch must release the GIL.
    url = f"{index_server.base}/whl/torch/"
    text = relkit.fetch_index_page(url, timeout=30)
    assert text == PAGE
    assert index_server.accepts == ["text/html, application/vnd.pypi.simple.v1+json;q=0.9"]
    index = relkit.parse_wheel_index(text, source=url)
    assert len(index) == 2
    assert index.skipped[0].location == f"{url}:6"


def test_fetch_index_page_errors_name_the_url(index_server: _IndexServer) -> None:
    missing = f"{index_server.base}/whl/nope/"
    with pytest.raises(relkit.NotFoundError, match="404") as e:
        relkit.fetch_index_page(missing)
    assert isinstance(e.value, LookupError) and missing in str(e.value)
    with pytest.raises(relkit.InvalidArgumentError, match="not UTF-8 text: invalid byte at offset 3"):
        relkit.fetch_index_page(f"{index_server.base}/bad/")
    with pytest.raises(relkit.ResourceExhaustedError):
        relkit.fetch_index_page(f"{index_server.base}/whl/torch/", max_response_bytes=10)


def test_fetch_index_page_reads_a_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "torch.html"
    path.write_text(PAGE)
    assert relkit.fetch_index_page(str(path)) == PAGE
    with pytest.raises(relkit.NotFoundError, match="no such file or directory"):
        relkit.fetch_index_page(str(tmp_path / "nope.html"))
