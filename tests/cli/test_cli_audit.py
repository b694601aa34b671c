"""`relkit audit branch|missing` on a repository built with the git CLI."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from conftest import Run, run_with_tty_stderr

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))
from git_cli import commit, git, merge_bot  # noqa: E402


@pytest.fixture()
def repo(tmp_path: pathlib.Path) -> dict[str, str]:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    shas: dict[str, str] = {"path": str(r)}
    commit(r, "a.txt", "a\n", "Initial")
    shas["x0"] = commit(r, "x.txt", "x\n", merge_bot("Add x", 90))
    git(r, "branch", "release/2.4")
    git(r, "branch", "orig/release/2.4")
    shas["f1"] = commit(r, "a.txt", "a\nfix\n", merge_bot("Fix A", 101))
    shas["f2"] = commit(r, "b.txt", "b\n", merge_bot("Fix B", 1010))
    git(r, "revert", "--no-edit", shas["x0"])
    shas["r1"] = git(r, "rev-parse", "HEAD")
    git(r, "checkout", "-q", "release/2.4")
    git(r, "cherry-pick", "-x", shas["f1"])
    shas["p1"] = git(r, "rev-parse", "HEAD")
    shas["e"] = commit(r, "rel.txt", "r\n", "[RELEASE-ONLY CHANGES] Branch cut")
    git(r, "checkout", "-q", "main")
    return shas


def test_audit_branch_json_has_the_documented_shape(run: Run, repo: dict[str, str]) -> None:
    r = run("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4", "--json")
    assert r.returncode == 1, r.stderr  # a revert is needed
    doc = json.loads(r.stdout)
    assert doc["branch"] == "release/2.4"
    assert doc["cut_point"] == repo["x0"]
    assert doc["cut_point_source"] == "orig-branch"
    by_sha = {c["sha"]: c for c in doc["commits"]}
    assert set(by_sha) == {repo["p1"], repo["e"]}
    assert by_sha[repo["p1"]]["release_only"] is False
    assert by_sha[repo["p1"]]["counterparts"] == [
        {"sha": repo["f1"], "evidence": ["cherry-pick-trailer", "patch-id", "pr-number", "title"]}
    ]
    assert by_sha[repo["e"]]["release_only"] is True
    assert doc["reverts_needed"] == [
        {
            "revert_sha": repo["r1"],
            "revert_title": 'Revert "Add x (#90)"',
            "reverted_sha": repo["x0"],
            "present_as": repo["x0"],
            "evidence": ["ancestry"],
        }
    ]
    assert r.stderr == ""  # no progress output when not on a terminal


def test_audit_branch_text(run: Run, repo: dict[str, str]) -> None:
    r = run("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4")
    assert r.returncode == 1
    assert "release-only" in r.stdout
    assert "Reverts needed: 1" in r.stdout
    assert repo["r1"][:12] in r.stdout


def test_audit_missing_matches_pr_numbers_exactly(
    run: Run, repo: dict[str, str], tmp_path: pathlib.Path
) -> None:
    prs = tmp_path / "prs.txt"
    prs.write_text("https://github.com/pytorch/pytorch/pull/1010\n\n#7\n")
    r = run(
        "audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
        "--pr", "101", "--prs-from", str(prs), "--json",
    )
    assert r.returncode == 1, r.stderr
    results = {x["query"]: x for x in json.loads(r.stdout)["results"]}
    assert results["#101"]["state"] == "present"
    assert results["#101"]["in_branch"][0]["sha"] == repo["p1"]
    assert results["#1010"]["state"] == "missing"
    assert results["#1010"]["main_commits"] == [repo["f2"]]
    assert results["#7"]["state"] == "not-on-main-since-cut"


def test_a_pick_reverted_on_the_branch_is_missing(run: Run, repo: dict[str, str]) -> None:
    r = run("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4", "--json")
    assert {c["sha"]: c["reverted_by"] for c in json.loads(r.stdout)["commits"]} == {
        repo["p1"]: None, repo["e"]: None}
    git(repo["path"], "checkout", "-q", "release/2.4")
    git(repo["path"], "revert", "--no-edit", repo["p1"])
    undo = git(repo["path"], "rev-parse", "HEAD")
    git(repo["path"], "checkout", "-q", "main")

    r = run("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4", "--json")
    by_sha = {c["sha"]: c for c in json.loads(r.stdout)["commits"]}
    assert by_sha[repo["p1"]]["reverted_by"] == undo
    assert by_sha[undo]["reverted_by"] is None
    r = run("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4")
    assert f"reverted on the branch by {undo[:12]}" in r.stdout

    r = run("audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
            "--pr", "101", "--json")
    assert r.returncode == 1, r.stderr  # missing
    [result] = json.loads(r.stdout)["results"]
    assert result["state"] == "missing"
    assert result["in_branch"] == []
    assert [c["sha"] for c in result["reverted_in_branch"]] == [repo["p1"]]
    r = run("audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
            "--pr", "101")
    assert r.stdout.startswith("#101 missing")
    assert f"(picked as {repo['p1'][:12]}, reverted on the branch)" in r.stdout


def test_a_pick_of_mains_revert_of_a_commit_before_the_cut(run: Run, repo: dict[str, str]) -> None:
    # r1 reverts x0, which predates the cut; picked with -x onto the branch.
    git(repo["path"], "checkout", "-q", "release/2.4")
    git(repo["path"], "cherry-pick", "-x", repo["r1"])
    pick = git(repo["path"], "rev-parse", "HEAD")
    git(repo["path"], "checkout", "-q", "main")
    r = run("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4", "--json")
    assert r.returncode == 0, r.stderr  # the revert is in: nothing needed
    doc = json.loads(r.stdout)
    assert doc["reverted_before_cut"] == [{"sha": repo["x0"], "reverted_by": pick}]
    assert doc["reverts_needed"] == []
    assert all(c["counterparts_reverted"] == [] for c in doc["commits"])
    r = run("audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
            "--commit", repo["x0"])
    assert r.returncode == 1, r.stderr
    assert r.stdout.strip() == f"{repo['x0']} missing (reverted on the branch)"


def test_audit_missing_bad_pr_file_names_file_and_line(
    run: Run, repo: dict[str, str], tmp_path: pathlib.Path
) -> None:
    prs = tmp_path / "prs.txt"
    prs.write_text("12\nabc\n")
    r = run("audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
            "--prs-from", str(prs))
    assert r.returncode == 2
    assert f"{prs}:2:" in r.stderr
    assert r.stderr.count("\n") == 1


def test_audit_missing_reads_each_pr_list_line_as_one_reference(
    run: Run, repo: dict[str, str], tmp_path: pathlib.Path
) -> None:
    prs = tmp_path / "prs.txt"
    prs.write_text(
        "101\r\n"
        "  #1010  \n"
        "https://github.com/pytorch/pytorch/pull/7/\n"
        "HTTP://www.github.com/pytorch/pytorch/pull/0101\n"
        "github.com/pytorch/pytorch/pull/90\n"
    )
    r = run("audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
            "--prs-from", str(prs), "--json")
    assert r.returncode == 1, r.stderr
    assert [x["query"] for x in json.loads(r.stdout)["results"]] == [
        "#101", "#1010", "#7", "#101", "#90"]
    # Not a PR: the number of a `/pull/#N` URL was read before (a bug), a
    # reference to another repository, more than the PR's URL, an issue.
    for line in ["https://github.com/pytorch/pytorch/pull/#5", "pytorch/pytorch#5",
                 "https://github.com/pytorch/pytorch/pull/5/files",
                 "https://github.com/pytorch/pytorch/issues/5", "x/pull/5", "- #5"]:
        prs.write_text(f"12\n{line}\n")
        r = run("audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
                "--prs-from", str(prs))
        assert r.returncode == 2, line
        assert r.stderr == (f'relkit: error: {prs}:2:1: expected a PR number, #N or a pull '
                            f'URL, got "{line}"\n')


def test_audit_missing_unreadable_pr_list_names_the_file(
    run: Run, repo: dict[str, str], tmp_path: pathlib.Path
) -> None:
    missing = tmp_path / "nope.txt"
    r = run("audit", "missing", "--repo", repo["path"], "--branch", "release/2.4",
            "--prs-from", str(missing))
    assert r.returncode == 2
    assert r.stderr == f'relkit: error: cannot read "{missing}": no such file or directory\n'


def test_audit_unknown_branch_and_repo_are_one_line_errors(
    run: Run, repo: dict[str, str], tmp_path: pathlib.Path
) -> None:
    r = run("audit", "branch", "--repo", repo["path"], "--branch", "release/9.9")
    assert r.returncode == 2
    assert "release/9.9" in r.stderr and r.stderr.count("\n") == 1
    r = run("audit", "branch", "--repo", str(tmp_path / "none"), "--branch", "release/2.4")
    assert r.returncode == 2
    assert "does not exist" in r.stderr


def test_audit_cache_changes_nothing_but_speed(
    run: Run, repo: dict[str, str], tmp_path: pathlib.Path
) -> None:
    args = ("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4", "--json")
    plain = run(*args, "--no-cache")
    assert plain.returncode == 1, plain.stderr
    # The default cache lives under $XDG_CACHE_HOME (set per test by conftest).
    default_file = pathlib.Path(os.environ["XDG_CACHE_HOME"]) / "relkit" / "git" / "diff-facts-v1.bin"
    assert not default_file.exists()  # --no-cache wrote nothing
    first = run(*args)
    assert default_file.is_file()
    second = run(*args)
    explicit = run(*args, "--cache-dir", str(tmp_path / "c"))
    assert (tmp_path / "c" / "diff-facts-v1.bin").is_file()
    for r in (first, second, explicit):
        assert (r.returncode, r.stdout, r.stderr) == (plain.returncode, plain.stdout, "")


def test_audit_with_an_unusable_cache_still_audits_and_says_so(
    run: Run, repo: dict[str, str], tmp_path: pathlib.Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory\n")
    args = ("audit", "branch", "--repo", repo["path"], "--branch", "release/2.4", "--json")
    plain = run(*args, "--no-cache")
    r = run(*args, "--cache-dir", str(blocker))
    assert (r.returncode, r.stdout) == (plain.returncode, plain.stdout)
    assert r.stderr.startswith("relkit: note: patch-id cache not used:")
    assert str(blocker) in r.stderr and r.stderr.count("\n") == 1


def test_audit_from_a_subdirectory_finds_the_repository(
    relkit_path: pathlib.Path, repo: dict[str, str]
) -> None:
    # --repo defaults to ".", searched upward as git does.
    sub = pathlib.Path(repo["path"]) / "src" / "deep"
    sub.mkdir(parents=True)
    r = subprocess.run([str(relkit_path), "audit", "branch", "--branch", "release/2.4", "--json"],
                       cwd=sub, capture_output=True, text=True, check=False, timeout=60)
    assert r.returncode == 1, r.stderr  # a revert is needed, as from the top
    assert json.loads(r.stdout)["cut_point"] == repo["x0"]


def test_audit_progress_fits_the_terminal_and_respects_term_dumb(
    relkit_path: pathlib.Path, repo: dict[str, str]
) -> None:
    argv = [str(relkit_path), "audit", "branch", "--repo", repo["path"], "--branch", "release/2.4"]
    env = {**os.environ, "TERM": "xterm"}
    env.pop("COLUMNS", None)
    code, out, shown = run_with_tty_stderr(argv, env=env, columns=100)
    assert code == 1, shown
    assert "\r\x1b[Krelkit: branch commits 2/2" in shown
    assert "relkit: main commits 3/3" in shown
    assert shown.endswith("\r\x1b[K")

    # A narrow terminal: every progress line is cut one column short of it.
    code, _, shown = run_with_tty_stderr(argv, env=env, columns=20)
    assert code == 1, shown
    lines = [part for part in shown.split("\r\x1b[K") if part]
    assert lines and all(len(line) <= 19 for line in lines), lines
    assert "relkit: branch comm" in lines

    # No size from the terminal: $COLUMNS, as git reads it.
    code, _, shown = run_with_tty_stderr(argv, env={**env, "COLUMNS": "15"})
    assert "relkit: branch" in shown.split("\r\x1b[K")  # 14 columns

    # TERM=dumb has no erase-line sequence: lines are overwritten with spaces.
    code, out, shown = run_with_tty_stderr(argv, env={**env, "TERM": "dumb"}, columns=100)
    assert code == 1, shown
    assert "\x1b" not in shown
    assert "\rrelkit: branch commits 2/2" in shown
    last = "relkit: patch-ids 3/3"  # the last stage
    assert shown.endswith(f"\r{last}\r{' ' * len(last)}\r"), repr(shown[-80:])
    assert "\x1b" not in out
