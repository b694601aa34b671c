"""A stand-in for PyPI's upload endpoint and simple API, for the upload tests.

Python's standard library only; run it with /usr/bin/python3. It listens on
127.0.0.1 (port 0: the kernel picks one; the chosen port is written to
--port-file) and serves:

  POST /legacy/             PyPI's legacy upload form (multipart/form-data),
                            Basic auth `__token__:<--token>`; stores the file
                            under STATE/files/<project>/<filename> and appends
                            the form (field -> list of values, plus the
                            sha256 and size of `content`) to STATE/uploads.jsonl
  GET /simple/<project>/    PEP 691 JSON of the files stored for the project;
                            404 for a project without files
  GET /files/<project>/<f>  a stored file

Every request is appended to STATE/requests.jsonl (method, path, status,
the upload's filename). Answers as PyPI gives them: 403 "Invalid or
non-existent authentication information." for a bad token; 400 "File
already exists ('<name>', with blake2_256 hash '...'). See
https://pypi.org/help/#file-name-reuse for more information." when the
filename is stored, whatever its content (PyPI's own rule for different
content; for the same content PyPI answers 200, and --same-file-ok does so).

Fault knobs (counted down over the server's life, written to STATE/knobs.json
so that a test can change them while the server runs):
  fail_uploads N     the next N uploads get a 503 (nothing stored)
  drop_uploads N     the next N uploads are cut: the connection is closed
                     without an answer; with drop_store true the whole body
                     is read and the file stored first (the server got it, the
                     client saw a failure), else only part of the body is
                     read and nothing is stored
  hide_index N       the next N index reads answer 404 (PyPI's index lags
                     behind its uploads)
  echo_auth          a 403 body quotes the Authorization header, as a careless
                     server might
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.server
import json
import os
import pathlib
import re
import sys
import threading
from typing import Any

LOCK = threading.Lock()


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_multipart(body: bytes, content_type: str) -> list[tuple[str, str | None, bytes]]:
    """Returns (name, filename, value) of every part, in order."""
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if not m:
        raise ValueError("no boundary")
    delimiter = b"--" + m.group(1).encode()
    parts = body.split(delimiter)
    if len(parts) < 3 or not parts[-1].startswith(b"--"):
        raise ValueError("unterminated multipart body")
    out = []
    for raw in parts[1:-1]:
        if not raw.startswith(b"\r\n") or not raw.endswith(b"\r\n"):
            raise ValueError("malformed part")
        raw = raw[2:-2]
        head, sep, value = raw.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("part without headers")
        disposition = ""
        for line in head.split(b"\r\n"):
            key, _, val = line.decode("utf-8").partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = val
        nm = re.search(r'(?:^|;)\s*name="([^"]*)"', disposition)
        fn = re.search(r'filename="([^"]*)"', disposition)
        if not nm:
            raise ValueError("part without a name")
        out.append((nm.group(1), fn.group(1) if fn else None, value))
    return out


class State:
    def __init__(self, root: pathlib.Path, token: str, same_file_ok: bool) -> None:
        self.root = root
        self.token = token
        self.same_file_ok = same_file_ok
        (root / "files").mkdir(parents=True, exist_ok=True)

    def knobs(self) -> dict[str, Any]:
        path = self.root / "knobs.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def take_knob(self, name: str) -> bool:
        """Counts the knob `name` down; True when it was positive."""
        knobs = self.knobs()
        if int(knobs.get(name, 0)) > 0:
            knobs[name] = int(knobs[name]) - 1
            (self.root / "knobs.json").write_text(json.dumps(knobs))
            return True
        return False

    def log(self, file: str, entry: dict[str, Any]) -> None:
        with open(self.root / file, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")

    def project_files(self, project: str) -> list[pathlib.Path]:
        folder = self.root / "files" / normalize(project)
        return sorted(folder.iterdir()) if folder.is_dir() else []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _answer(self, status: int, body: bytes, content_type: str, reason: str | None = None,
                extra: dict[str, Any] | None = None) -> None:
        # Logged before the answer leaves, so that the log's order is the
        # order the client saw.
        entry = {"method": self.command, "path": self.path, "status": status}
        entry.update(extra or {})
        self.state.log("requests.jsonl", entry)
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html_error(self, status: int, message: str, extra: dict[str, Any] | None = None,
                    detail: str = "") -> None:
        # Warehouse puts the message in the status line and in an HTML page.
        body = (f"<html><head><title>{status} {message}</title></head><body>"
                f"<h1>{status} {message}</h1>{detail}</body></html>").encode()
        self._answer(status, body, "text/html; charset=UTF-8", reason=message, extra=extra)

    def do_GET(self) -> None:  # noqa: N802
        m = re.fullmatch(r"/simple/([^/]+)/", self.path)
        if m:
            files = self.state.project_files(m.group(1))
            if self.state.take_knob("hide_index"):
                files = []  # a CDN that has not caught up yet
            if not files:
                self._answer(404, b"Not Found", "text/plain")
                return
            project = normalize(m.group(1))
            doc = {
                "meta": {"api-version": "1.1"},
                "name": project,
                "versions": [],
                "files": [
                    {
                        "filename": f.name,
                        "url": f"../../files/{project}/{f.name}",
                        "hashes": {"sha256": hashlib.sha256(f.read_bytes()).hexdigest()},
                        "size": f.stat().st_size,
                        "requires-python": None,
                        "yanked": False,
                    }
                    for f in files
                ],
            }
            self._answer(200, json.dumps(doc).encode(), "application/vnd.pypi.simple.v1+json")
            return
        m = re.fullmatch(r"/files/([^/]+)/([^/]+)", self.path)
        if m:
            path = self.state.root / "files" / m.group(1) / m.group(2)
            if path.is_file():
                self._answer(200, path.read_bytes(), "application/octet-stream")
                return
        self._answer(404, b"Not Found", "text/plain")

    def do_POST(self) -> None:  # noqa: N802
        if self.path != "/legacy/":
            self._answer(404, b"Not Found", "text/plain")
            return
        length = int(self.headers.get("Content-Length", "0"))
        with LOCK:
            self._upload(length)

    def _upload(self, length: int) -> None:
        state = self.state
        knobs = state.knobs()
        if state.take_knob("drop_uploads"):
            if knobs.get("drop_store"):
                body = self.rfile.read(length)
                stored = self._store(body, log_as_dropped=True)
                state.log("requests.jsonl", {"method": "POST", "path": self.path,
                                             "status": "dropped after storing",
                                             "filename": stored})
            else:
                self.rfile.read(max(1, length // 2))
                state.log("requests.jsonl", {"method": "POST", "path": self.path,
                                             "status": "dropped mid-body"})
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        body = self.rfile.read(length)
        expected = "Basic " + base64.b64encode(f"__token__:{state.token}".encode()).decode()
        auth = self.headers.get("Authorization", "")
        if auth != expected:
            detail = f"<p>you sent {auth}</p>" if knobs.get("echo_auth") else ""
            self._html_error(403, "Invalid or non-existent authentication information. See "
                             "https://pypi.org/help/#invalid-auth for more information.",
                             detail=detail)
            return
        if state.take_knob("fail_uploads"):
            self._html_error(503, "Service Unavailable")
            return
        try:
            parts = parse_multipart(body, self.headers.get("Content-Type", ""))
        except (ValueError, UnicodeDecodeError) as e:
            self._html_error(400, f"Bad multipart body: {e}")
            return
        content = [p for p in parts if p[0] == "content"]
        if len(content) != 1 or not content[0][1]:
            self._html_error(400, "Upload payload does not have a file.")
            return
        filename, data = content[0][1], content[0][2]
        fields = self._fields(parts)
        project = normalize(fields.get("name", [""])[0])
        target = state.root / "files" / project / filename
        if target.exists():
            same = hashlib.sha256(target.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
            if not (same and state.same_file_ok):
                blake = hashlib.blake2b(target.read_bytes(), digest_size=32).hexdigest()
                self._html_error(
                    400, f"File already exists ('{filename}', with blake2_256 hash '{blake}'). "
                    "See https://pypi.org/help/#file-name-reuse for more information.",
                    extra={"filename": filename})
                return
        else:
            self._store(body, parts=parts)
        self._answer(200, b"OK", "text/plain", extra={"filename": filename})

    @staticmethod
    def _fields(parts: list[tuple[str, str | None, bytes]]) -> dict[str, list[str]]:
        fields: dict[str, list[str]] = {}
        for name, fn, value in parts:
            if name == "content":
                continue
            fields.setdefault(name, []).append(value.decode("utf-8"))
        return fields

    def _store(self, body: bytes, parts: list[tuple[str, str | None, bytes]] | None = None,
               log_as_dropped: bool = False) -> str:
        if parts is None:
            parts = parse_multipart(body, self.headers.get("Content-Type", ""))
        fields = self._fields(parts)
        (_, filename, data), = [p for p in parts if p[0] == "content"]
        assert filename
        project = normalize(fields.get("name", [""])[0])
        folder = self.state.root / "files" / project
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (filename + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, folder / filename)
        self.state.log("uploads.jsonl", {
            "filename": filename,
            "fields": fields,
            "content_sha256": hashlib.sha256(data).hexdigest(),
            "content_size": len(data),
            "content_type": self._content_part_type(body),
            "dropped": log_as_dropped,
        })
        return filename

    def _content_part_type(self, body: bytes) -> str:
        m = re.search(rb'name="content"; filename="[^"]*"\r\nContent-Type: ([^\r]*)\r\n', body)
        return m.group(1).decode() if m else ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True, type=pathlib.Path)
    parser.add_argument("--token", required=True)
    parser.add_argument("--port-file", required=True, type=pathlib.Path)
    parser.add_argument("--same-file-ok", action="store_true")
    args = parser.parse_args()
    Handler.state = State(args.state, args.token, args.same_file_ok)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = args.port_file.with_suffix(".tmp")
    tmp.write_text(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
