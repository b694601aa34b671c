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

Anything else (a per-item call such as `GET /repos/o/n/pulls/123` for a
pull request the server does not hold) is a 404 recorded under the endpoint
"unexpected", so a test can assert there were none.

The write side keeps state as GitHub does: issues and pull requests share one
number space; comments get ids and `#issuecomment-<id>` URLs; milestones keep
their open/closed counts right as issues move and close; labels; pull requests
(`head`, `base`, `state`, `merged`); git refs (in the bare repository attached
with `attach_repository(path)`, where pull request heads are checked). It
validates like GitHub (422 with `errors`: a missing title, a milestone title
that exists, a pull request whose head branch does not exist or that exists
already for head and base) and can fail a request once on demand:

    gh.fail_next("POST", "issues", "drop-after-create")  # created, no answer
    gh.fail_next("POST", "issues", "secondary-rate-limit")  # 403 retry-after
    gh.fail_next("PATCH", "issue", "500")  # also "429", "422"

Endpoints of the write side: POST "issues"; GET/PATCH "issue"; GET/POST
"issue comments"; POST "issue labels"; POST "milestones"; PATCH "milestone";
GET/POST "pulls"; GET "pull"; GET/PATCH "ref"; POST "refs". Every request is
recorded with its method (`method_counts()`, `writes()`).

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
import subprocess
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
    status: int  # 200, 304, 401, 404; 0 when the connection was dropped
    conditional: bool  # it carried If-None-Match
    method: str = "GET"
    body: str = ""  # the request body as sent (writes)


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
        # The write side's state (see the module docstring).
        self.pulls: list[dict[str, Any]] = []
        self.labels: set[str] = set()
        self.refs: dict[str, str] = {}  # "refs/heads/x" -> sha (no repository)
        self.repository: str | None = None  # a bare repository (attach_repository)
        self._faults: list[tuple[str, str, str]] = []
        self._next_comment_id = 1_500_000_001
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

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length > 0 else b""
                answer = server._answer(self.path, self.headers, method, body)
                if answer is None:  # a "drop-after-create" fault
                    self.close_connection = True
                    return
                status, headers, data = answer
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def do_PATCH(self) -> None:  # noqa: N802
                self._serve("PATCH")

            def do_PUT(self) -> None:  # noqa: N802
                self._serve("PUT")

            def do_DELETE(self) -> None:  # noqa: N802
                self._serve("DELETE")

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

    def method_counts(self) -> dict[tuple[str, str, int], int]:
        """Returns {(method, endpoint, status): requests}."""
        with self._lock:
            return dict(collections.Counter((r.method, r.endpoint, r.status) for r in self.requests))

    def writes(self, method: str = "POST", endpoint: str | None = None) -> list[Request]:
        """Returns the requests sent with `method` (to `endpoint`), answered or not."""
        with self._lock:
            return [r for r in self.requests
                    if r.method == method and (endpoint is None or r.endpoint == endpoint)]

    # --- the write side: setup and state, for tests ----------------------------

    def attach_repository(self, path: str) -> None:
        """Serves the git refs of the bare repository at `path`; pull request
        heads and bases must exist there."""
        self.repository = str(path)

    def fail_next(self, method: str, endpoint: str, kind: str) -> None:
        """Fails the next `method` request to `endpoint` once. `kind`:
        "drop-after-create" (carry the write out, then close the connection
        without answering), "secondary-rate-limit" (403 with retry-after: 1),
        "429" (with retry-after: 1), "500", "422" (the last three do nothing)."""
        assert kind in ("drop-after-create", "secondary-rate-limit", "429", "500", "422"), kind
        with self._lock:
            self._faults.append((method.upper(), endpoint, kind))

    def issue(self, number: int) -> dict[str, Any] | None:
        """Returns issue or pull request `number` (its issue side), or None."""
        with self._lock:
            return self._find_issue(number)

    def issue_titles(self) -> list[str]:
        """Returns the titles of the issues (not pull requests), by number."""
        with self._lock:
            return [i["title"] for i in sorted(self._all_issues(), key=lambda i: i["number"])
                    if "pull_request" not in i]

    def comments_of(self, number: int) -> list[str]:
        """Returns the bodies of the comments of issue or pull request `number`."""
        with self._lock:
            return [c.get("body", "") for c in self.comments.get(number, [])]

    def milestone_titles(self) -> list[str]:
        with self._lock:
            return [m["title"] for m in self.milestones]

    def milestone_by_title(self, title: str) -> dict[str, Any] | None:
        with self._lock:
            return next((m for m in self.milestones if m["title"] == title), None)

    def pull_heads(self) -> list[tuple[str, str]]:
        """Returns (head branch, base branch) of every pull request."""
        with self._lock:
            return [(p["head"]["ref"], p["base"]["ref"]) for p in self.pulls]

    def ref_sha(self, ref: str) -> str | None:
        """Returns the commit `ref` ("refs/heads/x") points to, or None."""
        with self._lock:
            return self._ref(ref)

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
        if m := re.fullmatch(re.escape(base) + r"/issues/(\d+)", path):
            issue = self._find_issue(int(m.group(1)))
            if issue is not None:
                return "issue", issue
        if path == f"{base}/pulls":
            state = query.get("state", "open")
            head = query.get("head", "")
            head_branch = head.split(":", 1)[-1]
            head_owner = head.split(":", 1)[0] if ":" in head else self.owner
            return "pulls", [
                p for p in self.pulls
                if (state == "all" or p["state"] == state)
                and (not head or (head_owner == self.owner and p["head"]["ref"] == head_branch))
                and ("base" not in query or p["base"]["ref"] == query["base"])]
        if m := re.fullmatch(re.escape(base) + r"/pulls/(\d+)", path):
            for p in self.pulls:
                if p["number"] == int(m.group(1)):
                    return "pull", p
        if m := re.fullmatch(re.escape(base) + r"/git/ref/(.+)", path):
            sha = self._ref(f"refs/{m.group(1)}")
            if sha is not None:
                return "ref", self._ref_json(f"refs/{m.group(1)}", sha)
            return "ref", None
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

    def _answer(self, target: str, headers: Any, method: str = "GET",
                raw: bytes = b"") -> tuple[int, dict[str, str], bytes] | None:
        split = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        conditional = headers.get("If-None-Match") is not None
        out: dict[str, str] = {"Content-Type": "application/json; charset=utf-8"}
        text = raw.decode("utf-8", errors="replace")
        with self._lock:
            dropped = False
            if self.token is not None and headers.get("Authorization") != f"Bearer {self.token}":
                status, endpoint = 401, "unauthenticated"
                data = b'{"message": "Requires authentication"}'
            elif method != "GET":
                endpoint, status, body, dropped, extra = self._write(method, split.path, text)
                out.update(extra)
                data = json.dumps(body, separators=(",", ":")).encode()
            else:
                endpoint, body = self._route(split.path, query)
                fault = self._take_fault(method, endpoint)
                if fault is not None and fault != "drop-after-create":
                    status, body, extra = _fault_answer(fault)
                    out.update(extra)
                    data = json.dumps(body).encode()
                elif body is None:
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
                dropped = fault == "drop-after-create"
            if status != 304:  # GitHub: a 304 costs no rate limit
                self.rate_remaining = max(self.rate_remaining - 1, 0)
            out.update({
                "x-ratelimit-limit": str(RATE_LIMIT),
                "x-ratelimit-remaining": str(self.rate_remaining),
                "x-ratelimit-used": str(RATE_LIMIT - self.rate_remaining),
                "x-ratelimit-reset": str(self.rate_reset),
                "x-ratelimit-resource": "core",
            })
            self.requests.append(Request(target, endpoint, 0 if dropped else status,
                                         conditional, method, text))
        return None if dropped else (status, out, data)

    # --- the write side ---------------------------------------------------------

    def _take_fault(self, method: str, endpoint: str) -> str | None:
        for i, (m, e, kind) in enumerate(self._faults):
            if m == method and e == endpoint:
                del self._faults[i]
                return kind
        return None

    def _all_issues(self) -> list[dict[str, Any]]:
        """Every issue and pull request (issue side) the server holds, once."""
        seen: dict[int, dict[str, Any]] = {}
        for i in self.issues:
            seen.setdefault(i["number"], i)
        for items in self.milestone_items.values():
            for i in items:
                seen.setdefault(i["number"], i)
        return list(seen.values())

    def _find_issue(self, number: int) -> dict[str, Any] | None:
        return next((i for i in self._all_issues() if i["number"] == number), None)

    def _find_milestone(self, number: int) -> dict[str, Any] | None:
        return next((m for m in self.milestones if m["number"] == number), None)

    def _next_number(self) -> int:
        numbers = [i["number"] for i in self._all_issues()] + [p["number"] for p in self.pulls]
        return max(numbers, default=0) + 1

    def _repo(self) -> str:
        return f"{self.owner}/{self.name}"

    def _git(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert self.repository is not None
        return subprocess.run(["git", f"--git-dir={self.repository}", *args],
                              capture_output=True, text=True, check=False)

    def _ref(self, ref: str) -> str | None:
        if ref in self.refs:
            return self.refs[ref]
        if self.repository is None:
            return None
        r = self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return r.stdout.strip() if r.returncode == 0 else None

    def _ref_json(self, ref: str, sha: str) -> dict[str, Any]:
        return {"ref": ref, "node_id": "REF_kwDOA",
                "url": f"https://api.github.com/repos/{self._repo()}/git/{ref}",
                "object": {"sha": sha, "type": "commit",
                           "url": f"https://api.github.com/repos/{self._repo()}/git/commits/{sha}"}}

    def _move_milestone_count(self, number: int | None, state: str, delta: int) -> None:
        ms = self._find_milestone(number) if number is not None else None
        if ms is not None:
            key = "open_issues" if state == "open" else "closed_issues"
            ms[key] = max(ms.get(key, 0) + delta, 0)

    def _set_milestone(self, issue: dict[str, Any], number: int | None) -> None:
        old = issue["milestone"]["number"] if issue.get("milestone") else None
        if old == number:
            return
        self._move_milestone_count(old, issue["state"], -1)
        if old is not None and old in self.milestone_items:
            self.milestone_items[old] = [i for i in self.milestone_items[old] if i is not issue]
        if number is None:
            issue["milestone"] = None
            return
        self._move_milestone_count(number, issue["state"], +1)
        self.milestone_items.setdefault(number, []).append(issue)
        issue["milestone"] = dict(self._find_milestone(number) or {})

    def _set_state(self, issue: dict[str, Any], state: str) -> None:
        if issue["state"] == state:
            return
        number = issue["milestone"]["number"] if issue.get("milestone") else None
        self._move_milestone_count(number, issue["state"], -1)
        issue["state"] = state
        issue["closed_at"] = None if state == "open" else _now()
        issue["state_reason"] = None if state == "open" else "completed"
        self._move_milestone_count(number, state, +1)

    def _label_json(self, name: str) -> dict[str, Any]:
        self.labels.add(name)
        return {"id": 5_000_000 + zlib.crc32(name.encode()) % 1_000_000, "node_id": "LA_kwDOA",
                "url": f"https://api.github.com/repos/{self._repo()}/labels/{urllib.parse.quote(name)}",
                "name": name, "color": "ededed", "default": False, "description": ""}

    def _write(self, method: str, path: str,
               text: str) -> tuple[str, int, Any, bool, dict[str, str]]:
        """Carries out a write. Returns (endpoint, status, JSON body, dropped,
        extra headers)."""
        base = f"/repos/{self.owner}/{self.name}"
        endpoint = "unexpected"
        routes = [
            ("POST", r"/issues", "issues"),
            ("PATCH", r"/issues/(\d+)", "issue"),
            ("POST", r"/issues/(\d+)/comments", "issue comments"),
            ("POST", r"/issues/(\d+)/labels", "issue labels"),
            ("POST", r"/milestones", "milestones"),
            ("PATCH", r"/milestones/(\d+)", "milestone"),
            ("POST", r"/pulls", "pulls"),
            ("POST", r"/git/refs", "refs"),
            ("PATCH", r"/git/refs/(.+)", "ref"),
        ]
        match: re.Match[str] | None = None
        for m, pattern, name in routes:
            if m == method and (match := re.fullmatch(re.escape(base) + pattern, path)):
                endpoint = name
                break
        if endpoint == "unexpected" or match is None:
            return endpoint, 404, {"message": "Not Found"}, False, {}
        fault = self._take_fault(method, endpoint)
        if fault is not None and fault != "drop-after-create":
            status, body, extra = _fault_answer(fault)
            return endpoint, status, body, False, extra
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError:
            return endpoint, 400, {"message": "Problems parsing JSON"}, False, {}
        handler = getattr(self, "_w_" + endpoint.replace(" ", "_"))
        status, body = handler(data, *match.groups())
        return endpoint, status, body, fault == "drop-after-create" and status < 300, {}

    def _w_issues(self, data: Any) -> tuple[int, Any]:
        if not isinstance(data, dict) or not data.get("title"):
            return _invalid({"resource": "Issue", "field": "title", "code": "missing_field"})
        milestone = data.get("milestone")
        if milestone is not None and self._find_milestone(int(milestone)) is None:
            return _invalid({"resource": "Issue", "field": "milestone", "code": "invalid",
                             "value": milestone})
        issue = issue_json(self._repo(), self._next_number(), data["title"], state="open",
                           body=data.get("body") or "", author="relkit-bot",
                           created_at=_now())
        issue["comments"] = 0
        issue["labels"] = [self._label_json(name) for name in data.get("labels") or []]
        issue["assignees"] = [_user(a) for a in data.get("assignees") or []]
        issue["updated_at"] = issue["created_at"]
        self.issues.append(issue)
        if milestone is not None:
            self._set_milestone(issue, int(milestone))
        return 201, issue

    def _w_issue(self, data: Any, number: str) -> tuple[int, Any]:
        issue = self._find_issue(int(number))
        if issue is None:
            return 404, {"message": "Not Found"}
        if not isinstance(data, dict):
            return 400, {"message": "Problems parsing JSON"}
        if "title" in data:
            if not data["title"]:
                return _invalid({"resource": "Issue", "field": "title", "code": "missing_field"})
            issue["title"] = data["title"]
        if "body" in data:
            issue["body"] = data["body"] or ""
        if "milestone" in data:
            ms = data["milestone"]
            if ms is not None and self._find_milestone(int(ms)) is None:
                return _invalid({"resource": "Issue", "field": "milestone", "code": "invalid",
                                 "value": ms})
            self._set_milestone(issue, None if ms is None else int(ms))
        if "state" in data:
            if data["state"] not in ("open", "closed"):
                return _invalid({"resource": "Issue", "field": "state", "code": "invalid"})
            self._set_state(issue, data["state"])
        if "labels" in data:
            issue["labels"] = [self._label_json(n) for n in data["labels"] or []]
        if "assignees" in data:
            issue["assignees"] = [_user(a) for a in data["assignees"] or []]
        issue["updated_at"] = _now()
        for pr in self.pulls:
            if pr["number"] == issue["number"]:
                pr.update(title=issue["title"], body=issue["body"], state=issue["state"])
        return 200, issue

    def _w_issue_comments(self, data: Any, number: str) -> tuple[int, Any]:
        issue = self._find_issue(int(number))
        if issue is None:
            return 404, {"message": "Not Found"}
        if not isinstance(data, dict) or not data.get("body"):
            return _invalid({"resource": "IssueComment", "field": "body", "code": "missing_field"})
        cid = self._next_comment_id
        self._next_comment_id += 1
        kind = "pull" if "pull_request" in issue else "issues"
        now = _now()
        comment = {
            "url": f"https://api.github.com/repos/{self._repo()}/issues/comments/{cid}",
            "html_url": f"https://github.com/{self._repo()}/{kind}/{number}#issuecomment-{cid}",
            "issue_url": issue["url"], "id": cid, "node_id": "IC_kwDOA",
            "user": _user("relkit-bot"), "created_at": now, "updated_at": now,
            "author_association": "MEMBER", "body": data["body"],
            "performed_via_github_app": None,
        }
        self.comments.setdefault(int(number), []).append(comment)
        issue["comments"] = len(self.comments[int(number)])
        return 201, comment

    def _w_issue_labels(self, data: Any, number: str) -> tuple[int, Any]:
        issue = self._find_issue(int(number))
        if issue is None:
            return 404, {"message": "Not Found"}
        names = data.get("labels") if isinstance(data, dict) else data
        if not isinstance(names, list) or not names:
            return _invalid({"resource": "Label", "field": "labels", "code": "missing_field"})
        have = {lbl["name"] for lbl in issue["labels"]}
        for name in names:
            if name not in have:
                issue["labels"].append(self._label_json(name))
                have.add(name)
        return 200, issue["labels"]

    def _w_milestones(self, data: Any) -> tuple[int, Any]:
        if not isinstance(data, dict) or not data.get("title"):
            return _invalid({"resource": "Milestone", "field": "title", "code": "missing_field"})
        if any(m["title"] == data["title"] for m in self.milestones):
            return _invalid({"resource": "Milestone", "field": "title", "code": "already_exists"})
        number = max((m["number"] for m in self.milestones), default=0) + 1
        ms = milestone_json(self._repo(), number, data["title"], data.get("state", "open"))
        ms.update(description=data.get("description"), due_on=data.get("due_on"),
                  created_at=_now(), updated_at=_now())
        self.milestones.append(ms)
        return 201, ms

    def _w_milestone(self, data: Any, number: str) -> tuple[int, Any]:
        ms = self._find_milestone(int(number))
        if ms is None:
            return 404, {"message": "Not Found"}
        if not isinstance(data, dict):
            return 400, {"message": "Problems parsing JSON"}
        if "title" in data and data["title"] != ms["title"]:
            if any(m["title"] == data["title"] for m in self.milestones):
                return _invalid({"resource": "Milestone", "field": "title",
                                 "code": "already_exists"})
            ms["title"] = data["title"]
        for key in ("description", "due_on"):
            if key in data:
                ms[key] = data[key]
        if "state" in data:
            ms["state"] = data["state"]
            ms["closed_at"] = None if data["state"] == "open" else _now()
        ms["updated_at"] = _now()
        return 200, ms

    def _w_pulls(self, data: Any) -> tuple[int, Any]:
        if not isinstance(data, dict):
            return 400, {"message": "Problems parsing JSON"}
        errors = [{"resource": "PullRequest", "field": f, "code": "missing_field"}
                  for f in ("title", "head", "base") if not data.get(f)]
        if errors:
            return _invalid(*errors)
        head = str(data["head"]).split(":", 1)[-1]
        base = str(data["base"])
        head_sha = self._ref(f"refs/heads/{head}")
        base_sha = self._ref(f"refs/heads/{base}")
        known = self.repository is not None or bool(self.refs)
        if known and head_sha is None:
            return _invalid({"resource": "PullRequest", "field": "head", "code": "invalid"})
        if known and base_sha is None:
            return _invalid({"resource": "PullRequest", "field": "base", "code": "invalid"})
        if any(p["head"]["ref"] == head and p["base"]["ref"] == base and p["state"] == "open"
               for p in self.pulls):
            return _invalid({"resource": "PullRequest", "code": "custom",
                             "message": f"A pull request already exists for {self.owner}:{head}."})
        number = self._next_number()
        issue = issue_json(self._repo(), number, data["title"], pr=True, state="open",
                           body=data.get("body") or "", author="relkit-bot", created_at=_now())
        issue["comments"] = 0
        self.issues.append(issue)
        pr = {
            "url": f"https://api.github.com/repos/{self._repo()}/pulls/{number}",
            "html_url": f"https://github.com/{self._repo()}/pull/{number}",
            "number": number, "state": "open", "locked": False, "title": data["title"],
            "user": _user("relkit-bot"), "body": data.get("body") or "",
            "created_at": issue["created_at"], "updated_at": issue["created_at"],
            "closed_at": None, "merged_at": None, "merge_commit_sha": None,
            "draft": bool(data.get("draft", False)), "merged": False,
            "maintainer_can_modify": bool(data.get("maintainer_can_modify", True)),
            "head": {"label": f"{self.owner}:{head}", "ref": head, "sha": head_sha or "0" * 40},
            "base": {"label": f"{self.owner}:{base}", "ref": base, "sha": base_sha or "0" * 40},
        }
        self.pulls.append(pr)
        return 201, pr

    def _w_refs(self, data: Any) -> tuple[int, Any]:
        if not isinstance(data, dict) or not data.get("ref") or not data.get("sha"):
            return _invalid({"resource": "Reference", "field": "ref", "code": "missing_field"})
        ref, sha = str(data["ref"]), str(data["sha"])
        if not ref.startswith("refs/") or ref.count("/") < 2:
            return 422, {"message": "Reference name must start with 'refs/' and have at "
                                    "least two slashes."}
        if self._ref(ref) is not None:
            return 422, {"message": "Reference already exists"}
        if self.repository is not None:
            r = self._git("update-ref", ref, sha, "")
            if r.returncode != 0:
                return 422, {"message": "Object does not exist"}
        else:
            self.refs[ref] = sha
        return 201, self._ref_json(ref, sha)

    def _w_ref(self, data: Any, ref: str) -> tuple[int, Any]:
        full = f"refs/{ref}"
        old = self._ref(full)
        if old is None or not isinstance(data, dict) or not data.get("sha"):
            return 422, {"message": "Reference does not exist"}
        sha = str(data["sha"])
        if self.repository is not None:
            if not data.get("force"):
                r = self._git("merge-base", "--is-ancestor", old, sha)
                if r.returncode != 0:
                    return 422, {"message": "Update is not a fast forward"}
            if self._git("update-ref", full, sha, old).returncode != 0:
                return 422, {"message": "Object does not exist"}
        else:
            self.refs[full] = sha
        return 200, self._ref_json(full, sha)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _invalid(*errors: dict[str, Any]) -> tuple[int, Any]:
    return 422, {"message": "Validation Failed", "errors": list(errors),
                 "documentation_url": "https://docs.github.com/rest",
                 "status": "422"}


def _fault_answer(kind: str) -> tuple[int, Any, dict[str, str]]:
    """Returns (status, body, headers) of an armed fault."""
    if kind == "secondary-rate-limit":
        return 403, {"message": "You have exceeded a secondary rate limit. Please wait a few "
                                "minutes before you try again. If you reach out to GitHub "
                                "Support for help, please include the request ID "
                                "ABCD:1234:5678:9ABC:DEF0.",
                     "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                     "status": "403"}, {"retry-after": "1"}
    if kind == "429":
        return 429, {"message": "Too Many Requests"}, {"retry-after": "1"}
    if kind == "500":
        return 500, {"message": "Server Error"}, {}
    if kind == "422":
        return 422, {"message": "Validation Failed",
                     "errors": [{"resource": "Issue", "code": "custom", "field": "body",
                                 "message": "body is too long (maximum is 65536 characters)"}],
                     "status": "422"}, {}
    raise AssertionError(kind)


def listing_pages(items: int, per_page: int = 100) -> int:
    """Returns how many pages a list of `items` takes (an empty list is one)."""
    return max(1, -(-items // per_page))


def requests_by_endpoint(counts: dict[tuple[str, int], int]) -> Iterator[tuple[str, int, int]]:
    """Yields (endpoint, 200s, 304s) from `GitHubServer.counts()`."""
    endpoints = sorted({e for e, _ in counts})
    for e in endpoints:
        yield e, counts.get((e, 200), 0), counts.get((e, 304), 0)
