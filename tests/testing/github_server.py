"""A GitHub-shaped REST server on 127.0.0.1 that counts the requests it gets.

Test and bench helper (tests/cli, bench/milestone_requests.py), not part of
relkit. It serves, for one repository OWNER/NAME, what milestone validation
and `relkit check` read, with GitHub's rules for the parts that decide how
many requests a client makes and what they cost:

- lists are paged (`per_page`, default 30, at most 100; `page`) with a
  `Link` header (`next`, `last`, `first`, `prev`, absolute URLs that keep the
  query, as GitHub writes them);
- every 200 carries an `ETag`; a request whose `If-None-Match` matches gets
  304 Not Modified with no body;
- `x-ratelimit-limit/-remaining/-used/-reset/-resource` on every response; a
  304 does not use up the limit, everything else does (404s too);
- with `token` set, a request without `Authorization: Bearer <token>` gets 401.

Anything else (a per-item call such as `GET /repos/o/n/pulls/123`) is a 404
recorded under the endpoint "unexpected", so a test can assert there were
none.

    with GitHubServer("o", "n", token="t") as gh:
        gh.milestones.append({"number": 3, "title": "1.0.0", "state": "open"})
        gh.milestone_items[3] = [issue_json("o/n", 1, "One", pr=True, merged=True)]
        ... run the client against gh.url ...
        gh.counts()   # {("milestone items", 200): 1, ...}
"""

from __future__ import annotations

import collections
import hashlib
import http.server
import json
import re
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass
from typing import Any, Iterator

RATE_LIMIT = 5000


@dataclass(frozen=True)
class Request:
    """One request the server answered."""

    path: str  # path and query as sent
    endpoint: str  # "milestones", "milestone", "milestone items", ...
    status: int  # 200, 304, 401, 404
    conditional: bool  # it carried If-None-Match


def _user(login: str) -> dict[str, Any]:
    # The fields GitHub's simple-user has, so that bodies have a realistic size.
    return {
        "login": login, "id": zlib.crc32(login.encode()) % 10_000_000, "node_id": "MDQ6VXNlcjE=",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{login}?v=4", "gravatar_id": "",
        "url": f"https://api.github.com/users/{login}", "html_url": f"https://github.com/{login}",
        "followers_url": f"https://api.github.com/users/{login}/followers",
        "following_url": f"https://api.github.com/users/{login}/following{{/other_user}}",
        "gists_url": f"https://api.github.com/users/{login}/gists{{/gist_id}}",
        "starred_url": f"https://api.github.com/users/{login}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"https://api.github.com/users/{login}/subscriptions",
        "organizations_url": f"https://api.github.com/users/{login}/orgs",
        "repos_url": f"https://api.github.com/users/{login}/repos",
        "events_url": f"https://api.github.com/users/{login}/events{{/privacy}}",
        "received_events_url": f"https://api.github.com/users/{login}/received_events",
        "type": "User", "site_admin": False,
    }


def milestone_json(repo: str, number: int, title: str, state: str = "open",
                   open_issues: int = 0, closed_issues: int = 0) -> dict[str, Any]:
    """Returns a milestone as the REST API gives it."""
    return {
        "url": f"https://api.github.com/repos/{repo}/milestones/{number}",
        "html_url": f"https://github.com/{repo}/milestone/{number}",
        "labels_url": f"https://api.github.com/repos/{repo}/milestones/{number}/labels",
        "id": 1_000_000 + number, "node_id": "MDk6TWlsZXN0b25lMQ==", "number": number,
        "title": title, "description": f"Release {title}", "creator": _user("releng"),
        "open_issues": open_issues, "closed_issues": closed_issues, "state": state,
        "created_at": "2024-05-01T00:00:00Z", "updated_at": "2024-07-01T00:00:00Z",
        "due_on": "2024-07-24T07:00:00Z", "closed_at": None if state == "open" else "2024-07-25T00:00:00Z",
    }


def issue_json(repo: str, number: int, title: str, *, pr: bool = False, state: str = "closed",
               merged: bool = False, labels: tuple[str, ...] = (), body: str = "",
               milestone: dict[str, Any] | None = None, author: str = "dev",
               created_at: str = "2024-06-01T10:00:00Z",
               merged_at: str = "2024-06-20T10:00:00Z") -> dict[str, Any]:
    """Returns an issue or pull request as the issues API lists it (the
    fields GitHub sends, so a page of 100 weighs what a real one does).
    `merged_at` is used for merged, closed pull requests only."""
    api = f"https://api.github.com/repos/{repo}/issues/{number}"
    d: dict[str, Any] = {
        "url": api, "repository_url": f"https://api.github.com/repos/{repo}",
        "labels_url": f"{api}/labels{{/name}}", "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": f"https://github.com/{repo}/{'pull' if pr else 'issues'}/{number}",
        "id": 2_000_000_000 + number, "node_id": f"I_kwDOA{number:08d}", "number": number,
        "title": title, "user": _user(author),
        "labels": [{"id": 5_000_000 + k, "node_id": "LA_kwDOA", "url":
                    f"https://api.github.com/repos/{repo}/labels/{urllib.parse.quote(name)}",
                    "name": name, "color": "ededed", "default": False, "description": ""}
                   for k, name in enumerate(labels)],
        "state": state, "locked": False, "assignee": None, "assignees": [],
        "milestone": milestone, "comments": 3,
        "created_at": created_at, "updated_at": "2024-07-01T10:00:00Z",
        "closed_at": None if state == "open" else "2024-06-20T10:00:00Z",
        "author_association": "CONTRIBUTOR", "active_lock_reason": None, "body": body,
        "reactions": {"url": f"{api}/reactions", "total_count": 0, "+1": 0, "-1": 0, "laugh": 0,
                      "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
        "timeline_url": f"{api}/timeline", "performed_via_github_app": None,
        "state_reason": None if state == "open" else "completed",
    }
    if pr:
        d["draft"] = False
        d["pull_request"] = {
            "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
            "html_url": f"https://github.com/{repo}/pull/{number}",
            "diff_url": f"https://github.com/{repo}/pull/{number}.diff",
            "patch_url": f"https://github.com/{repo}/pull/{number}.patch",
            "merged_at": merged_at if merged and state == "closed" else None,
        }
    return d


class GitHubServer:
    """The server; start it with `with` (or start()/stop())."""

    def __init__(self, owner: str, name: str, *, token: str | None = None) -> None:
        self.owner, self.name, self.token = owner, name, token
        self.milestones: list[dict[str, Any]] = []
        self.milestone_items: dict[int, list[dict[str, Any]]] = {}
        # Issues listed without a milestone filter (the tracker lookup:
        # `issues?labels=...`), filtered by label.
        self.issues: list[dict[str, Any]] = []
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.statuses: dict[str, dict[str, Any]] = {}
        self.check_runs: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[Request] = []
        self.rate_remaining = RATE_LIMIT
        self.rate_reset = int(time.time()) + 3600
        self._lock = threading.Lock()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._httpd is not None, "not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> None:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as api.github.com

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                status, headers, body = server._answer(self.path, self.headers)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> GitHubServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what was asked -------------------------------------------------------

    def reset_requests(self) -> None:
        with self._lock:
            self.requests = []

    def counts(self) -> dict[tuple[str, int], int]:
        """Returns {(endpoint, status): requests}."""
        with self._lock:
            return dict(collections.Counter((r.endpoint, r.status) for r in self.requests))

    def rate_used(self) -> int:
        """Returns how much of the rate limit has been used since the start."""
        with self._lock:
            return RATE_LIMIT - self.rate_remaining

    # --- answering ------------------------------------------------------------

    def _route(self, path: str, query: dict[str, str]) -> tuple[str, Any]:
        """Returns (endpoint, JSON body) or ("unexpected", None)."""
        base = f"/repos/{self.owner}/{self.name}"
        if path == f"{base}/milestones":
            state = query.get("state", "open")
            return "milestones", [m for m in self.milestones if state == "all" or m["state"] == state]
        if m := re.fullmatch(re.escape(base) + r"/milestones/(\d+)", path):
            for ms in self.milestones:
                if ms["number"] == int(m.group(1)):
                    return "milestone", ms
            return "unexpected", None
        if path == f"{base}/issues":
            state = query.get("state", "open")
            if "milestone" in query:
                items = self.milestone_items.get(int(query["milestone"]), [])
                endpoint = "milestone items"
            else:
                wanted = {x for x in query.get("labels", "").split(",") if x}
                items = [i for i in self.issues
                         if wanted <= {lbl["name"] for lbl in i.get("labels", [])}]
                endpoint = "issues by label"
            return endpoint, [i for i in items if state == "all" or i["state"] == state]
        if m := re.fullmatch(re.escape(base) + r"/issues/(\d+)/comments", path):
            return "issue comments", self.comments.get(int(m.group(1)), [])
        if m := re.fullmatch(re.escape(base) + r"/commits/([0-9a-f]{40})/status", path):
            if m.group(1) in self.statuses:
                return "commit status", self.statuses[m.group(1)]
        if m := re.fullmatch(re.escape(base) + r"/commits/([0-9a-f]{40})/check-runs", path):
            if m.group(1) in self.check_runs:
                runs = self.check_runs[m.group(1)]
                return "check runs", {"total_count": len(runs), "check_runs": runs}
        return "unexpected", None

    def _page(self, raw_path: str, query: dict[str, str],
              body: Any) -> tuple[Any, str | None]:
        """Returns the page the query asks for and its Link header."""
        try:
            per_page = min(max(int(query.get("per_page", "30")), 1), 100)
            page = max(int(query.get("page", "1")), 1)
        except ValueError:
            per_page, page = 30, 1
        if isinstance(body, dict) and "check_runs" in body:
            items, wrap = body["check_runs"], True
        elif isinstance(body, list):
            items, wrap = body, False
        else:
            return body, None
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        out: Any = {"total_count": len(items), "check_runs": chunk} if wrap else chunk

        def link(p: int) -> str:
            q = dict(query)
            q["page"] = str(p)
            return f"{self.url}{raw_path}?{urllib.parse.urlencode(q, quote_via=urllib.parse.quote)}"

        rels = []
        if page < last:
            rels += [f'<{link(page + 1)}>; rel="next"', f'<{link(last)}>; rel="last"']
        if page > 1:
            rels = [f'<{link(page - 1)}>; rel="prev"'] + rels + [f'<{link(1)}>; rel="first"']
        return out, ", ".join(rels) or None

    def _answer(self, target: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        split = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        conditional = headers.get("If-None-Match") is not None
        out: dict[str, str] = {"Content-Type": "application/json; charset=utf-8"}
        with self._lock:
            if self.token is not None and headers.get("Authorization") != f"Bearer {self.token}":
                status, endpoint = 401, "unauthenticated"
                data = b'{"message": "Requires authentication"}'
            else:
                endpoint, body = self._route(split.path, query)
                if body is None:
                    status, data = 404, b'{"message": "Not Found"}'
                else:
                    page, link = self._page(split.path, query, body)
                    data = json.dumps(page, separators=(",", ":")).encode()
                    etag = f'W/"{hashlib.sha1(data).hexdigest()}"'
                    out["ETag"] = etag
                    if link:
                        out["Link"] = link
                    match = headers.get("If-None-Match", "")
                    status = 304 if etag in [t.strip() for t in match.split(",")] else 200
                    if status == 304:
                        data = b""
                        out.pop("Link", None)
                        out.pop("Content-Type")
            if status != 304:  # GitHub: a 304 costs no rate limit
                self.rate_remaining = max(self.rate_remaining - 1, 0)
            out.update({
                "x-ratelimit-limit": str(RATE_LIMIT),
                "x-ratelimit-remaining": str(self.rate_remaining),
                "x-ratelimit-used": str(RATE_LIMIT - self.rate_remaining),
                "x-ratelimit-reset": str(self.rate_reset),
                "x-ratelimit-resource": "core",
            })
            self.requests.append(Request(target, endpoint, status, conditional))
        return status, out, data


def listing_pages(items: int, per_page: int = 100) -> int:
    """Returns how many pages a list of `items` takes (an empty list is one)."""
    return max(1, -(-items // per_page))


def requests_by_endpoint(counts: dict[tuple[str, int], int]) -> Iterator[tuple[str, int, int]]:
    """Yields (endpoint, 200s, 304s) from `GitHubServer.counts()`."""
    endpoints = sorted({e for e, _ in counts})
    for e in endpoints:
        yield e, counts.get((e, 200), 0), counts.get((e, 304), 0)
