"""`relkit wheels check` against index files."""

from __future__ import annotations

import json
import pathlib

from conftest import Run


def _write(tmp_path: pathlib.Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_check_reports_missing_oversize_and_skipped(run: Run, tmp_path: pathlib.Path) -> None:
    index = _write(
        tmp_path,
        "ls.txt",
        "1000 torch-2.13.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl\n"
        "900000000 torch-2.13.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl\n"
        "5 torch-2.13.0.tar.gz\n",
    )
    result = run("wheels", "check", "--index", index, "--version", "2.13.0", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["found"] == 2
    assert report["expected"] == report["found"] + len(report["missing"])
    assert report["oversize"][0]["limit"] == "size threshold"
    assert report["skipped"][0]["location"].endswith("ls.txt:3")
    assert report["ok"] is False

    text = run("wheels", "check", "--index", index, "--version", "2.13.0")
    assert text.returncode == 1
    assert "missing (" in text.stdout and text.stdout.rstrip().endswith("problems found")

    relaxed = run("wheels", "check", "--index", index, "--version", "2.13.0",
                  "--size-threshold-mb", "1000", "--json")
    assert json.loads(relaxed.stdout)["oversize"] == []


def test_malformed_page_is_exit_2_naming_file_and_line(run: Run, tmp_path: pathlib.Path) -> None:
    index = _write(tmp_path, "bad.html", "<html>\n<a href='x.whl'>x\n")
    result = run("wheels", "check", "--index", index, "--version", "2.13.0")
    assert result.returncode == 2
    assert "bad.html:2: <a> has no </a>" in result.stderr


def test_an_unreachable_url_is_a_clear_error(run: Run) -> None:
    # Port 9 on loopback: nothing listens there, so the connection is refused
    # without leaving the machine.
    result = run("wheels", "check", "--index", "http://127.0.0.1:9/whl/torch/",
                 "--version", "2.4.0")
    assert result.returncode == 3
    assert result.stderr.startswith("relkit: error:")
    assert "127.0.0.1:9" in result.stderr


def test_unknown_channel_is_a_usage_error(run: Run, tmp_path: pathlib.Path) -> None:
    index = _write(tmp_path, "ls.txt", "")
    result = run("wheels", "check", "--index", index, "--version", "2.13.0",
                 "--channel", "beta")
    assert result.returncode == 2
    assert "beta" in result.stderr


def test_check_fetches_an_index_over_http(run: Run, tmp_path: pathlib.Path) -> None:
    # A real HTTP server on 127.0.0.1 serves the same listing as a file would.
    import functools
    import http.server
    import threading

    (tmp_path / "ls.txt").write_text(
        "1000 torch-2.13.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        fetched = run("wheels", "check", "--index", f"{base}/ls.txt", "--version", "2.13.0",
                      "--json")
        from_file = run("wheels", "check", "--index", str(tmp_path / "ls.txt"),
                        "--version", "2.13.0", "--json")
        assert fetched.returncode == from_file.returncode == 1, fetched.stderr
        doc, ref = json.loads(fetched.stdout), json.loads(from_file.stdout)
        assert doc["found"] == ref["found"] == 1
        assert doc["missing"] == ref["missing"]

        missing = run("wheels", "check", "--index", f"{base}/nope.html", "--version", "2.13.0")
        assert missing.returncode == 2
        assert missing.stderr.startswith("relkit: error:") and "404" in missing.stderr
    finally:
        server.shutdown()
        server.server_close()
