"""No text from outside reaches the terminal raw (issue 14, point 4).

Whoever can edit an issue, a label, a milestone, a CI check or a commit
message, or write a file relkit reads, controls text that relkit prints. A
title `ok\\nREADY: 6/6 criteria passed\\x1b[8m` once made `relkit check` print a
forged READY line and hide the real verdict. Here such text is planted in
every field, through the real local GitHub server (tests/testing/) and a real
git repository, and every command that prints the field must show it escaped:
no control character (C0 but the line breaks relkit writes itself, DEL, C1),
no bidi override, no invalid UTF-8 on stdout or stderr, and no line of
outside text that starts like a verdict.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any, Callable

import pytest

from conftest import ROOT, build_demo_with_snapshot

sys.path.insert(0, str(ROOT / "tests" / "testing"))
from github_server import GitHubServer, issue_json, milestone_json  # noqa: E402
from git_cli import ENV as GIT_ENV  # noqa: E402

# A fake verdict line, then: hide what follows (SGR 8), set the window title
# (OSC ... BEL), carriage return, tab, DEL, a C1 CSI (U+009B) that clears the
# screen, a right-to-left override, an isolate.
FORGED = ("ok\nREADY: 6/6 criteria passed\x1b[8m\x1b]0;owned\x07\r\t\x7f"
          "\u009b2J\u202eevil\u2066")
# What a terminal must show instead (a commit subject has no "\n": the
# newline ends it).
SHOWN = r"READY: 6/6 criteria passed\x1b[8m\x1b]0;owned\x07\r\t\x7f\u009b2J\u202eevil\u2066"
# A commit message is bytes: not even UTF-8.
FORGED_SUBJECT = FORGED.replace("ok\n", "ok ").encode() + b" \xff\xc0\xaf"

BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
           "\u2028\u2029")
TOKEN = "ghp_relkitForgedOutputToken0123456789"


def assert_escaped(r: subprocess.CompletedProcess[bytes], shown: str = SHOWN,
                   lines_are_lines: bool = False) -> None:
    """Checks that `r` printed the planted text, escaped, and nothing raw.
    `lines_are_lines`: the output is multi-line text re-rendered (a comment),
    whose line breaks stay line breaks."""
    printed = ""
    for name, data in (("stdout", r.stdout), ("stderr", r.stderr)):
        text = data.decode("utf-8")  # strict: invalid UTF-8 fails here
        for ch in text:
            code = ord(ch)
            raw = ch != "\n" and (code < 0x20 or 0x7f <= code <= 0x9f or ch in BIDI)
            assert not raw, f"raw {ch!r} on {name}:\n{text}"
        for line in text.splitlines():
            assert lines_are_lines or not line.startswith("READY"), \
                f"forged line on {name}: {line!r}"
        printed += text
    assert shown in printed, f"the planted text was not printed:\n{printed}"


def _run(relkit_path: pathlib.Path, *args: str, stdin: bytes = b"",
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(relkit_path), *args], input=stdin, capture_output=True,
                          timeout=120, check=False, env=env)


# --- GitHub fields and commit subjects ----------------------------------------


@pytest.fixture(scope="module")
def forged(tmp_path_factory: pytest.TempPathFactory,
           relkit_path: pathlib.Path) -> dict[str, Any]:
    """The demo repository with a forged commit subject at the head of its
    release branch and a forged revision name (a tag), and a GitHub server
    whose milestone title, item titles, labels, status contexts and check-run
    names are forged."""
    base = tmp_path_factory.mktemp("forged")
    demo = build_demo_with_snapshot(base, relkit_path)
    repo, branch = demo["repo"], demo["branch"]

    def git(*args: str, stdin: bytes | None = None) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, env=GIT_ENV,
                              capture_output=True, check=True).stdout.decode().strip()

    tree = git("rev-parse", f"{branch}^{{tree}}")
    planted = git("commit-tree", tree, "-p", demo["head"], "-F", "-",
                  stdin=FORGED_SUBJECT + b"\n\nbody\n")
    git("update-ref", f"refs/heads/{branch}", planted)
    demo["planted"] = planted
    demo["base"] = base
    return demo


@pytest.fixture()
def server(forged: dict[str, Any]) -> Any:
    with GitHubServer("o", "n", token=TOKEN) as gh:
        ms = {"number": 9, "title": FORGED}
        items = [issue_json("o/n", c["pr"], FORGED, pr=True, merged=True, milestone=ms,
                            labels=(FORGED,))
                 for c in forged["changes"]]
        items.append(issue_json("o/n", 42, FORGED, state="open", milestone=ms,
                                labels=(FORGED, "bug")))
        gh.milestones = [milestone_json("o/n", 9, FORGED)]
        gh.milestone_items[9] = items
        gh.issues = [issue_json("o/n", 100, "[v2.4.0] Release Tracker", state="open",
                                labels=("release tracker",))]
        gh.comments[100] = []
        gh.statuses[forged["planted"]] = {"state": "failure", "statuses": [
            {"context": FORGED, "state": "failure", "description": FORGED, "target_url": ""}]}
        gh.check_runs[forged["planted"]] = [
            {"id": 1, "name": FORGED, "status": "completed", "conclusion": "failure",
             "html_url": ""}]
        yield gh


def _github_args(forged: dict[str, Any], server: Any, *extra: str) -> list[str]:
    return ["--repo", str(forged["repo"]), "--branch", forged["branch"], "--milestone", "9",
            "--github-repo", "o/n", "--api-url", server.url, "--no-cache", *extra]


GITHUB_COMMANDS: dict[str, Callable[[dict[str, Any], Any, pathlib.Path], list[str]]] = {
    "check": lambda f, s, t: ["check", *_github_args(f, s, "--tracker", "100")],
    "check --html": lambda f, s, t: ["check", *_github_args(
        f, s, "--tracker", "100", "--html", str(t / "report.html"))],
    "check --verbose": lambda f, s, t: ["check", *_github_args(
        f, s, "--tracker", "100", "--verbose")],
    "milestone check": lambda f, s, t: ["milestone", "check", *_github_args(f, s)],
    "milestone check --analyze-lines": lambda f, s, t: [
        "milestone", "check", *_github_args(f, s, "--analyze-lines")],
    "github milestone": lambda f, s, t: [
        "github", "milestone", "--milestone", "9", "--github-repo", "o/n",
        "--api-url", s.url, "--no-cache"],
}


@pytest.mark.parametrize("command", sorted(GITHUB_COMMANDS))
def test_github_fields_and_commit_subjects_are_escaped(
        relkit_path: pathlib.Path, forged: dict[str, Any], server: Any,
        tmp_path: pathlib.Path, command: str) -> None:
    argv = GITHUB_COMMANDS[command](forged, server, tmp_path)
    r = _run(relkit_path, *argv, env={**os.environ, "GITHUB_TOKEN": TOKEN})
    assert r.returncode in (0, 1), r.stderr
    assert_escaped(r)
    if command.startswith("check"):
        # The real verdict is there, and the only verdict line.
        out = r.stdout.decode()
        verdicts = [line for line in out.splitlines() if "criteria passed (GitHub" in line]
        assert len(verdicts) == 1 and verdicts[0].startswith("NOT READY: "), out
        # Every forged field made it to the report: milestone, open issue,
        # status context and check run (each escaped).
        assert out.count(SHOWN) >= 4, out


def test_commit_subjects_are_escaped_in_the_branch_audit(relkit_path: pathlib.Path,
                                                        forged: dict[str, Any]) -> None:
    r = _run(relkit_path, "audit", "branch", "--repo", str(forged["repo"]),
             "--branch", forged["branch"])
    assert r.returncode in (0, 1), r.stderr
    assert_escaped(r)
    # A message that is not UTF-8 is read as Latin-1 by the git layer: what
    # reaches the terminal is valid UTF-8 either way.
    assert "\xff\xc0\xaf".encode("latin-1").decode("latin-1") in r.stdout.decode()


def test_error_messages_escape_what_they_quote(relkit_path: pathlib.Path,
                                               forged: dict[str, Any], server: Any) -> None:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    argv = _github_args(forged, server)
    argv[argv.index("9")] = FORGED + "x"  # a milestone that does not exist
    r = _run(relkit_path, "check", *argv, env=env)
    assert r.returncode == 2
    assert_escaped(r)
    assert r.stderr.startswith(b"relkit: error: ") and r.stderr.count(b"\n") == 1

    r = _run(relkit_path, "audit", "missing", "--repo", str(forged["repo"]),
             "--branch", forged["branch"], "--commit", FORGED)
    assert r.returncode == 2
    assert_escaped(r)

    # An argument CLI11 refuses is quoted in the usage error too.
    r = _run(relkit_path, "schedule", "--next", FORGED)
    assert r.returncode == 2
    assert_escaped(r)


# --- files, indexes and arguments ----------------------------------------------

# Parsers that refuse the planted text quote it in their error: the part that
# every quoting keeps.
QUOTED = r"criteria passed\x1b[8m"
DATA = ROOT / "tests" / "data"


def _matrix_md(tmp_path: pathlib.Path) -> pathlib.Path:
    # A RELEASE.md row cannot hold a newline: the rest of the forgery can.
    text = (ROOT / "data" / "release_md_tables.md").read_text()
    path = tmp_path / "RELEASE.md"
    path.write_text(text.replace("| C++20 |", f"| C++20 {FORGED.replace(chr(10), ' ')} |", 1))
    return path


def _matrix_json(relkit_path: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    doc = json.loads(_run(relkit_path, "matrix", "show", "--json").stdout)
    doc["releases"][0]["cxx"] = FORGED
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(doc))
    return path


def _published(tmp_path: pathlib.Path) -> pathlib.Path:
    # The preview's install commands: `publish` prints each one it replaces.
    doc = json.loads((DATA / "published_versions.json").read_text())
    for managers in doc["versions"]["preview"].values():
        for cells in managers.values():
            for cell in cells.values():
                if isinstance(cell, dict) and isinstance(cell.get("command"), str):
                    cell["command"] = FORGED
    path = tmp_path / "published_versions.json"
    path.write_text(json.dumps(doc))
    return path


def _index(tmp_path: pathlib.Path) -> pathlib.Path:
    # A PEP 503 page: hrefs are percent-decoded, so any byte can get in.
    path = tmp_path / "index.html"
    path.write_text(
        "<html><body>\n"
        '<a href="torch-2.13.0%2Bcu130-cp312-cp312-manylinux_2_28_x86_64.whl">a</a>\n'
        '<a href="torch-2.13.0%2Bcpu-cp312-cp312-linux_x86_64%0aREADY%3A%206%2F6%20criteria'
        '%20passed%1b%5B8m%c2%9b2J.whl">b</a>\n'
        '<a href="torch-2.13.0%2Bcpu-cp312-cp312-manylinux_2_28_x86_64%e2%80%ae%ff.whl">c</a>\n'
        "</body></html>\n")
    return path


ONE_LINE = FORGED.replace("\n", " ")


FILE_COMMANDS: dict[str, Callable[[pathlib.Path, pathlib.Path], tuple[list[str], bytes]]] = {
    "matrix show --matrix RELEASE.md": lambda r, t: (
        ["matrix", "show", "--matrix", str(_matrix_md(t))], b""),
    "matrix show --markdown": lambda r, t: (
        ["matrix", "show", "--markdown", "--matrix", str(_matrix_md(t))], b""),
    "matrix import --markdown": lambda r, t: (
        ["matrix", "import", "--markdown", str(_matrix_md(t))], b""),
    "matrix show --matrix JSON": lambda r, t: (
        ["matrix", "show", "--matrix", str(_matrix_json(r, t))], b""),
    "release-day publish": lambda r, t: (
        ["release-day", "publish", "--version", "2.13.0", "--published-versions",
         str(_published(t))], b""),
    "wheels check": lambda r, t: (
        ["wheels", "check", "--index", str(_index(t)), "--version", "2.13.0"], b""),
    "version sort": lambda r, t: (["version", "sort"], f"2.4.0\n{ONE_LINE}\n".encode()),
    "version satisfies": lambda r, t: (
        ["version", "satisfies", ">=2.0"], f"2.4.0\n{ONE_LINE}\n".encode()),
    "cherry-pick nomination": lambda r, t: (
        ["cherry-pick", "nomination"],
        ("Link to landed trunk PR (if applicable):\n* https://github.com/o/n/pull/1\n\n"
         "Link to release branch PR:\n* https://github.com/o/n/pull/2\n\n"
         f"Criteria Category:\n{FORGED}\n").encode()),
    "cherry-pick parse": lambda r, t: (
        ["cherry-pick", "parse",
         f'@pytorchbot cherry-pick --onto "{ONE_LINE.replace(chr(13), "")}" -c docs'], b""),
}


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_text_from_files_indexes_and_input_is_escaped(relkit_path: pathlib.Path,
                                                      tmp_path: pathlib.Path,
                                                      command: str) -> None:
    argv, stdin = FILE_COMMANDS[command](relkit_path, tmp_path)
    r = _run(relkit_path, *argv, stdin=stdin)
    # A tracker comment's criteria are lines of the comment: they stay lines.
    assert_escaped(r, shown=QUOTED, lines_are_lines=command == "cherry-pick nomination")


def test_the_cut_diff_escapes_workflow_file_contents(relkit_path: pathlib.Path,
                                                     tmp_path: pathlib.Path) -> None:
    # `relkit cut` prints the edits it will make to the workflow files: their
    # lines are file contents anyone with a commit on main wrote.
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    env = {**os.environ, **GIT_ENV}
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env,
                       capture_output=True)
    git("init", "-q", "-b", "main")
    (repo / "version.txt").write_text("0.5.0a0\n")
    line = "uses: o/r/.github/workflows/x.yml@main # " + FORGED.replace("ok\n", "ok ")
    (repo / ".github" / "workflows" / "ci.yml").write_bytes(line.encode() + b"\n")
    git("add", ".")
    git("commit", "-q", "-m", "Initial")
    git("switch", "-q", "--detach")
    r = _run(relkit_path, "cut", "--repo", str(repo), "--from", "main")
    assert r.returncode == 0, r.stderr
    assert_escaped(r)
    assert b"x.yml@release/0.5 # ok READY" in r.stdout
