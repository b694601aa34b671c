"""relkit.GitHubClient, the milestone models and the cherry-pick parsers from
Python: offline on tests/data/github/snapshot/, and live against Python's
http.server on 127.0.0.1 (recording, errors, token redaction)."""

from __future__ import annotations

import datetime
import http.server
import json
import pathlib
import subprocess
import threading
from typing import Any, Iterator

import pytest

import relkit

SNAPSHOT = str(pathlib.Path(__file__).resolve().parents[1] / "data" / "github" / "snapshot")
TOKEN = "ghp_PYTESTTOKEN0123456789"
SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture()
def gh() -> relkit.GitHubClient:
    return relkit.GitHubClient("https://api.github.com", snapshot=SNAPSHOT)


# --- repositories --------------------------------------------------------------


def test_repo_parses_and_compares() -> None:
    r = relkit.GitHubRepo("pytorch/pytorch")
    assert (r.owner, r.name, str(r)) == ("pytorch", "pytorch", "pytorch/pytorch")
    assert r == relkit.GitHubRepo.from_remote_url("git@github.com:pytorch/pytorch.git")
    assert hash(r) == hash(relkit.GitHubRepo("pytorch/pytorch"))
    assert repr(r) == "GitHubRepo('pytorch/pytorch')"
    assert relkit.github_api_url_for_remote("https://ghe.corp/o/n") == "https://ghe.corp/api/v3"
    with pytest.raises(relkit.InvalidArgumentError, match='invalid repository "pytorch"'):
        relkit.GitHubRepo("pytorch")
    with pytest.raises(ValueError):
        relkit.GitHubRepo.from_remote_url("/local/path")


@pytest.mark.parametrize("url,repo", [
    ("https://github.com/pytorch/pytorch.git/", "pytorch/pytorch"),
    ("http://github.com/o/n", "o/n"),
    ("ssh://git@ghe.example.com:2222/team/tool.git", "team/tool"),
    ("git@github.com:o/n.git", "o/n"),
    ("git@[::1]:o/n.git", "o/n"),
    ("https://x-access-token:ghs_x@github.com/o/n", "o/n"),
])
def test_remote_urls(url: str, repo: str) -> None:
    assert str(relkit.GitHubRepo.from_remote_url(url)) == repo


@pytest.mark.parametrize("url,why", [
    ("file:///srv/git/o/n.git", "file:// URL is a local repository (position 0)"),
    ("/srv/git/o/n.git", "a local path, not a URL (position 0)"),
    ("https://github.com/o/n/tree/main", "the path has more than OWNER/NAME (position 22)"),
])
def test_bad_remote_urls_name_the_input_and_position(url: str, why: str) -> None:
    with pytest.raises(relkit.InvalidArgumentError) as e:
        relkit.GitHubRepo.from_remote_url(url)
    assert f'"{url}"' in str(e.value) and why in str(e.value)


def _git(repo: pathlib.Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_resolve_github_repo_in_the_cli_order(tmp_path: pathlib.Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    _git(tmp_path, "init", "-q", str(repo))
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    with pytest.raises(relkit.InvalidArgumentError) as e:
        relkit.resolve_github_repo(str(repo))
    assert str(e.value) == (
        "no GitHub repository: --github-repo not given; --remote not given; "
        "$GITHUB_REPOSITORY not set; "
        f'"{repo}" has neither an "upstream" nor an "origin" remote (it has no remotes); '
        "pass --github-repo OWNER/NAME or --remote NAME")
    _git(repo, "remote", "add", "origin", "git@github.com:me/fork.git")
    r = relkit.resolve_github_repo(str(repo))
    assert (r.repo, r.source) == (
        relkit.GitHubRepo("me/fork"), f'remote "origin" of "{repo}" (git@github.com:me/fork.git)')
    assert isinstance(r, relkit.ResolvedGitHubRepo)
    assert repr(r).startswith("<ResolvedGitHubRepo me/fork from remote")
    _git(repo, "remote", "add", "upstream", "https://github.com/pytorch/pytorch.git")
    assert str(relkit.resolve_github_repo(str(repo)).repo) == "pytorch/pytorch"
    assert str(relkit.resolve_github_repo(str(repo), remote="origin").repo) == "me/fork"
    monkeypatch.setenv("GITHUB_REPOSITORY", "ci/project")
    r = relkit.resolve_github_repo(str(repo))
    assert (str(r.repo), r.source) == ("ci/project", "$GITHUB_REPOSITORY")
    assert str(relkit.resolve_github_repo(str(repo), use_environment=False).repo) == \
        "pytorch/pytorch"
    # An explicit remote comes before $GITHUB_REPOSITORY.
    r = relkit.resolve_github_repo(str(repo), remote="origin")
    assert (str(r.repo), r.host) == ("me/fork", "github.com")
    r = relkit.resolve_github_repo("", github_repo="o/n")
    assert (str(r.repo), r.source, r.host) == ("o/n", "--github-repo", "")
    with pytest.raises(ValueError, match='invalid repository "o"'):
        relkit.resolve_github_repo(str(repo), github_repo="o")


def test_resolve_github_repo_exposes_the_host_and_refuses_it_without_an_api_url(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    _git(tmp_path, "init", "-q", str(repo))
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    _git(repo, "remote", "add", "upstream", "git@ghe.corp.example:ml/torch.git")
    with pytest.raises(relkit.InvalidArgumentError) as e:
        relkit.resolve_github_repo(str(repo))
    assert str(e.value) == (
        f'remote "upstream" of "{repo}" (git@ghe.corp.example:ml/torch.git) is on host '
        '"ghe.corp.example", not github.com, and neither --api-url nor $GITHUB_API_URL is set; '
        "pass --api-url https://ghe.corp.example/api/v3 (GitHub Enterprise) or "
        "--github-repo OWNER/NAME")
    r = relkit.resolve_github_repo(str(repo), api_url="https://ghe.corp.example/api/v3")
    assert (str(r.repo), r.host) == ("ml/torch", "ghe.corp.example")
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.corp.example/api/v3")
    assert relkit.resolve_github_repo(str(repo)).host == "ghe.corp.example"


# --- offline, on the snapshot ----------------------------------------------------


def test_milestones_from_a_snapshot(gh: relkit.GitHubClient) -> None:
    ms = gh.milestones("example/project")
    assert [m.title for m in ms] == ["2.4.0 (release/2.4)", "2.3.1"]
    m = gh.find_milestone(relkit.GitHubRepo("example/project"), "2.4.0")
    assert m.number == 7 and m.state == "open"
    assert m.due_on == datetime.datetime(2024, 7, 24, 7, 0, tzinfo=datetime.timezone.utc)
    assert ms[1].due_on is None
    with pytest.raises(relkit.NotFoundError, match='milestone "9.9" not found in example/project'):
        gh.find_milestone("example/project", "9.9")


def test_milestone_items(gh: relkit.GitHubClient) -> None:
    items = gh.milestone_items("example/project", 7)
    assert [i.number for i in items] == [101, 102, 103, 104, 105]
    pr = items[0]
    assert pr.kind == "pull_request" and pr.is_pull_request and pr.merged
    assert pr.merged_at == datetime.datetime(2024, 6, 20, 10, 0, tzinfo=datetime.timezone.utc)
    assert pr.has_label("MODULE: REGRESSION")
    assert items[2].is_pull_request and not items[2].merged
    assert items[3].labels == ["release-feature-request"]
    assert repr(items[1]) == '<issue #102 "foo is slower than in 2.3" (closed)>'
    assert gh.stats["requests"] == 2


def test_tracker_comments_pull_request_and_checks(gh: relkit.GitHubClient) -> None:
    trackers = relkit.find_tracker_issues(gh.issues("example/project", labels="release tracker"), "2.4")
    assert [t.number for t in trackers] == [100]
    comments = gh.issue_comments("example/project", 100)
    nominations = [n for c in comments if (n := relkit.parse_tracker_comment(c.body))]
    assert [n.release_prs[0].number for n in nominations] == [111, 112]
    assert nominations[0].classification == "regression"
    assert nominations[0].fixes == "https://github.com/example/project/issues/102"
    assert nominations[1].reply == "@releng: merged"
    pr = gh.pull_request("example/project", 101)
    assert pr.merged and pr.merge_commit_sha == SHA and pr.base_ref == "main"
    checks = gh.commit_checks("example/project", SHA)
    assert checks.green and checks.combined_state == "success"
    assert [r["conclusion"] for r in checks.check_runs] == ["success", "skipped"]
    assert checks.not_green() == []


def test_repository_arguments_are_a_github_repo_or_a_str(
        gh: relkit.GitHubClient, tmp_path: pathlib.Path) -> None:
    # The TypeError names the parameter; check_readiness checks before it
    # opens the repository.
    with pytest.raises(TypeError, match="^repo must be a GitHubRepo or an 'OWNER/NAME' str$"):
        gh.milestones(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^github_repo must be a GitHubRepo or an 'OWNER/NAME' str$"):
        relkit.check_readiness(str(tmp_path), gh, 42, "release/2.4", "2.4.0")  # type: ignore[arg-type]
    with pytest.raises(relkit.InvalidArgumentError):
        gh.milestones("not-a-repository")


def test_a_request_missing_from_the_snapshot_is_not_found(gh: relkit.GitHubClient) -> None:
    with pytest.raises(LookupError, match="no snapshot response for GET repos/example/project/issues"):
        gh.milestone_items("example/project", 8)
    with pytest.raises(relkit.NotFoundError):
        relkit.GitHubClient(snapshot="/nonexistent/relkit/snapshot")


# --- live, on a local server -------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, list[tuple[int, dict[str, str], str]]] = {}
    seen: list[tuple[str, dict[str, str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.seen.append((self.path, dict(self.headers)))
        script = self.routes.get(self.path)
        if script:
            status, headers, body = script.pop(0) if len(script) > 1 else script[0]
        else:  # echo the credentials, as a hostile or buggy server might
            status, headers, body = 401, {}, json.dumps(
                {"message": "Bad credentials: " + self.headers.get("Authorization", "")})
        data = body.encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.routes = {}
    _Handler.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_records_then_replays(server: str, tmp_path: pathlib.Path) -> None:
    _Handler.routes = {
        "/repos/o/n/milestones?state=all&per_page=100": [
            (500, {}, "oops"),
            (200, {"ETag": '"a"'}, json.dumps([{"number": 1, "title": "1.0", "state": "open"}])),
        ],
    }
    live = relkit.GitHubClient(server, TOKEN, record=str(tmp_path), max_retries=1)
    assert [m.title for m in live.milestones("o/n")] == ["1.0"]
    assert live.stats["retries"] == 1
    assert _Handler.seen[-1][1]["Authorization"] == f"Bearer {TOKEN}"
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and TOKEN not in files[0].read_text()
    replay = relkit.GitHubClient("https://api.github.com", snapshot=str(tmp_path))
    assert [m.title for m in replay.milestones("o/n")] == ["1.0"]


def test_the_token_is_never_shown(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "")
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    client = relkit.GitHubClient(server)
    assert client.authenticated
    assert TOKEN not in repr(client) and "token=set" in repr(client)
    with pytest.raises(relkit.UnauthenticatedError) as info:
        client.milestones("o/n")
    assert "Bad credentials: Bearer ***" in str(info.value)
    assert TOKEN not in str(info.value)
    assert isinstance(info.value, PermissionError)


def test_errors_are_typed(server: str, tmp_path: pathlib.Path) -> None:
    _Handler.routes = {
        "/repos/o/n/milestones/4": [(404, {}, json.dumps({"message": "Not Found"}))],
        "/repos/o/n/pulls/5": [(200, {}, "{not json")],
        "/repos/o/n/pulls/6": [(403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4102444800",
                                      "X-RateLimit-Limit": "60"},
                                json.dumps({"message": "API rate limit exceeded"}))],
    }
    client = relkit.GitHubClient(server, "", cache_dir=str(tmp_path), rate_limit="fail")
    with pytest.raises(relkit.NotFoundError, match="milestone 4 not found in o/n"):
        client.find_milestone("o/n", "4")
    with pytest.raises(relkit.InvalidArgumentError, match=r"/repos/o/n/pulls/5:1:2: invalid JSON"):
        client.pull_request("o/n", 5)
    with pytest.raises(relkit.ResourceExhaustedError, match="resets at 2100-01-01T00:00:00Z"):
        client.pull_request("o/n", 6)
    with pytest.raises(ValueError, match='rate_limit must be "wait" or "fail"'):
        relkit.GitHubClient(server, rate_limit="sometimes")  # type: ignore[arg-type]


# --- cherry-picks -------------------------------------------------------------------


def test_cherry_pick_command() -> None:
    c = relkit.CherryPickCommand.parse(
        "LGTM\n@pytorchbot cherry-pick --onto release/2.4 --fixes #1 -c regression")
    assert (c.onto, c.fixes, c.classification, c.line) == ("release/2.4", "#1", "regression", 2)
    assert c.effective_fixes == "#1" and not c.missing_recommended_issue
    assert str(c) == "@pytorchbot cherry-pick --onto release/2.4 --fixes #1 -c regression"
    assert relkit.CherryPickCommand.parse(str(c)) == relkit.CherryPickCommand.parse(str(c))
    with pytest.raises(relkit.InvalidArgumentError) as info:
        relkit.CherryPickCommand.parse("@pytorchbot cherry-pick --onto r -c nope", source="comment 7")
    assert str(info.value) == (
        "comment 7:1: @pytorchbot cherry-pick: error: argument -c/--classification: invalid "
        "choice: 'nope' (choose from 'regression', 'critical', 'fixnewfeature', 'docs', 'release')")
    assert relkit.cherry_pick_usage().startswith("usage: @pytorchbot cherry-pick --onto ONTO")


def test_classifications() -> None:
    infos = relkit.cherry_pick_classifications()
    assert [i["name"] for i in infos] == ["regression", "critical", "fixnewfeature", "docs", "release"]
    assert [i["requires_issue"] for i in infos] == [True, True, True, False, False]
    assert all(i["acceptable_in_patch_release"] for i in infos)


def test_tracker_comments_and_versions() -> None:
    n = relkit.parse_tracker_comment(
        "- Trunk PR: https://github.com/o/n/pull/1\n- Cherry-pick PR: #2\n- Category: docs\n")
    assert n is not None
    assert [l.kind for l in n.trunk_prs] == ["pull_request"]
    assert n.release_prs[0].text == "#2" and n.release_prs[0].number == 2
    assert n.classification == "docs" and n.warnings == []
    assert relkit.parse_tracker_comment("thanks!") is None
    made = relkit.CherryPickNomination(
        trunk_prs=["https://github.com/o/n/pull/1"], release_prs=["https://github.com/o/n/pull/2"],
        classification="critical", fixes="https://github.com/o/n/issues/3")
    assert made.render().endswith("Criteria Category:\nCritical - https://github.com/o/n/issues/3\n")
    with pytest.raises(ValueError):
        relkit.CherryPickNomination(classification="bugfix")
    assert relkit.tracker_version("[v.2.14.0] Release Tracker") == relkit.Version("2.14.0")
    assert relkit.tracker_version("2.1 planning") is None
    # The version is a Version or a str like everywhere else: anything else is
    # InvalidVersion (it was pybind11's RuntimeError "Unable to cast ...").
    with pytest.raises(relkit.InvalidVersion, match="expected a str, got float"):
        relkit.find_tracker_issues([], 2.4)  # type: ignore[arg-type]
    with pytest.raises(relkit.InvalidVersion):
        relkit.find_tracker_issues([], "two")
