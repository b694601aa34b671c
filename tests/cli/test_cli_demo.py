"""`relkit demo`: builds a release repository and audits it.

The repository is built through relkit's own git layer; these tests check
what the audit finds in it, and use the git CLI (tests only) to confirm the
repository is a real, well-formed git repository.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
from typing import Any

import pytest

from conftest import Run, reset_demo_to_story

import sys  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))
from git_cli import git  # noqa: E402

RELEASE = "release/2.4"


def _demo_json(run: Run, *args: str) -> dict[str, Any]:
    r = run("demo", "--json", *args)
    assert r.returncode == 0, r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def _change(doc: dict[str, Any], role: str) -> dict[str, Any]:
    (change,) = [c for c in doc["changes"] if c["role"] == role]
    return change


def _audit_commit(doc: dict[str, Any], sha: str) -> dict[str, Any]:
    (commit,) = [c for c in doc["audit"]["commits"] if c["sha"] == sha]
    return commit


def test_demo_text_tells_the_story_and_the_findings(run: Run) -> None:
    r = run("demo")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Branch cut from viable/strict" in out
    assert "v2.4.0-rc1" in out and "v2.4.0-rc2" in out
    assert "Reverts needed: 1" in out
    assert "#128004 missing" in out
    assert "MISSING #128004" in out
    assert "REVERT" in out and "NOTE" in out
    assert "--versions" in out


def test_demo_bot_picks_the_missing_pr_and_readiness_moves_forward(
        run: Run, tmp_path: pathlib.Path) -> None:
    # Issue 13: the bot picks #128004 (the story's missing PR) onto the
    # release branch; the PR is merged, rc2 tagged, and readiness improves.
    keep = tmp_path / "pytorch.git"
    doc = _demo_json(run, "--keep", str(keep))
    bot = doc["cherry_pick_bot"]
    never = _change(doc, "never-picked")
    assert bot["plan"]["pr"]["number"] == 128004 and bot["plan"]["branch"] == (
        "cherry-pick-128004-by-dev")
    assert bot["result"]["applied"]["pull_request"]["created"] is True
    assert bot["result"]["applied"]["tracker_comment"]["created"] is True
    assert bot["rerun_already_applied"] is True
    assert sorted(w.split(" -> ")[0] for w in bot["github_writes"]) == [
        "POST repos/pytorch/pytorch/issues/127000/comments",
        "POST repos/pytorch/pytorch/issues/128004/comments",
        "POST repos/pytorch/pytorch/pulls",
    ]
    before = {c["id"]: c["passed"] for c in doc["readiness"]["criteria"]}
    after = {c["id"]: c["passed"] for c in bot["readiness_after"]["criteria"]}
    assert before["milestone-prs-present"] is False and after["milestone-prs-present"] is True
    assert before["rc-tag-at-head"] is False and after["rc-tag-at-head"] is True
    assert sum(after.values()) > sum(before.values())
    # The repository really holds the pick: a -x commit of #128004's main
    # commit at the release head, tagged v2.4.0-rc2, on the bot's branch too.
    head = git(keep, "rev-parse", RELEASE)
    assert head == bot["release_head_after"]
    message = git(keep, "log", "-1", "--format=%B", RELEASE)
    assert f"(cherry picked from commit {never['main_sha']})" in message
    assert git(keep, "rev-parse", "v2.4.0-rc2") == head == git(
        keep, "rev-parse", "cherry-pick-128004-by-dev")
    assert git(keep, "rev-parse", f"{RELEASE}~1") == bot["release_head_before"]
    text = run("demo").stdout
    assert "6. The cherry-pick bot: relkit cherry-pick apply" in text
    assert "... --execute again: already applied" in text
    assert "Readiness moved from 1/6 to 4/6 criteria passed." in text


def test_demo_audit_finds_the_never_picked_fix_missing(run: Run) -> None:
    doc = _demo_json(run)
    never = _change(doc, "never-picked")
    assert never["pr"] == 128004 and never["branch_sha"] is None
    states = {p["query"]: p["state"] for p in doc["requested"]}
    assert states == {
        "#128001": "present",
        "#128002": "present",
        "#128003": "present",
        "#128004": "missing",
        "#128005": "present",
    }
    (missing,) = [p for p in doc["requested"] if p["state"] == "missing"]
    assert missing["main_commits"] == [never["main_sha"]]
    kinds = [(f["kind"], f["pr"]) for f in doc["findings"]]
    assert ("missing", 128004) in kinds


def test_demo_audit_lists_the_unpropagated_revert(run: Run) -> None:
    doc = _demo_json(run)
    reverted = _change(doc, "reverted-on-main")
    (need,) = doc["audit"]["reverts_needed"]
    assert need["revert_sha"] == reverted["revert_sha"]
    assert need["reverted_sha"] == reverted["main_sha"]
    assert need["present_as"] == reverted["branch_sha"]
    assert "cherry-pick-trailer" in need["evidence"]
    assert ("revert-needed", 128005) in [(f["kind"], f["pr"]) for f in doc["findings"]]


def test_demo_audit_matches_the_conflicted_pick_by_pr_number_only(run: Run) -> None:
    doc = _demo_json(run)
    conflicted = _change(doc, "conflict-resolved")
    commit = _audit_commit(doc, conflicted["branch_sha"])
    assert commit["release_only"] is False
    assert commit["counterparts"] == [{"sha": conflicted["main_sha"], "evidence": ["pr-number"]}]
    note = [f for f in doc["findings"] if f["kind"] == "pr-number-only"]
    assert [(f["pr"], f["branch_sha"]) for f in note] == [(128003, conflicted["branch_sha"])]


def test_demo_audit_matches_clean_picks_by_trailer_and_patch_id(run: Run) -> None:
    doc = _demo_json(run)
    picked = [c for c in doc["changes"] if c["role"] == "picked"]
    assert len(picked) == 2
    for change in picked:
        commit = _audit_commit(doc, change["branch_sha"])
        (cp,) = commit["counterparts"]
        assert cp["sha"] == change["main_sha"]
        assert cp["evidence"][:3] == ["cherry-pick-trailer", "patch-id", "pr-number"]


def test_demo_audit_sees_the_cut_and_release_only_commits(run: Run) -> None:
    doc = _demo_json(run)
    audit = doc["audit"]
    assert audit["branch"] == RELEASE
    assert audit["cut_point"] == doc["cut_point"]
    assert audit["cut_point_source"] == "orig-branch"
    release_only = {c["sha"] for c in audit["commits"] if c["release_only"]}
    assert release_only == {doc["release_only_commit"], doc["pin_update_commit"]}
    assert doc["rc_tag"] == "v2.4.0-rc1" and doc["next_rc_tag"] == "v2.4.0-rc2"
    assert audit["warnings"] == []
    assert doc["repository"] is None


def test_demo_is_deterministic(run: Run) -> None:
    a = _demo_json(run)
    b = _demo_json(run)
    assert a["changes"] == b["changes"]
    assert a["audit"] == b["audit"]


def test_demo_keep_leaves_a_real_repository_that_the_cli_can_audit(
    run: Run, tmp_path: pathlib.Path
) -> None:
    repo = tmp_path / "demo"
    doc = _demo_json(run, "--keep", str(repo))
    assert doc["repository"] == str(repo)
    # The repository ends with the bot's pick merged: #128004 is present...
    r = run("audit", "missing", "--repo", str(repo), "--branch", RELEASE, "--pr", "128004")
    assert r.returncode == 0 and "#128004 present" in r.stdout, r.stdout
    # ...and before the bot's step it is the story the demo's audit tells.
    reset_demo_to_story(repo, doc)
    r = run("audit", "branch", "--repo", str(repo), "--branch", RELEASE, "--json")
    assert r.returncode == 1, r.stderr  # a revert is needed
    assert json.loads(r.stdout) == doc["audit"]
    r = run("audit", "missing", "--repo", str(repo), "--branch", RELEASE, "--pr", "128004")
    assert r.returncode == 1 and "#128004 missing" in r.stdout
    r = run("pins", "--repo", str(repo), "--ref", RELEASE, "--json")
    assert r.returncode == 0, r.stderr
    pins = json.loads(r.stdout)
    assert pins["triton"]["commit"] == "b8c64f64c18d8cac598b3adb355c21e7439c21de"
    assert pins["triton"]["version"] == "3.0.0"
    if shutil.which("git"):
        fsck = subprocess.run(
            ["git", "-C", str(repo), "fsck", "--strict"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert fsck.returncode == 0, fsck.stderr
        body = subprocess.run(
            ["git", "-C", str(repo), "log", "-1", "--format=%B", "main~2"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Pull Request resolved: https://github.com/pytorch/pytorch/pull/" in body
        assert "Approved by: https://github.com/" in body


def test_demo_keep_refuses_a_non_empty_directory(run: Run, tmp_path: pathlib.Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    r = run("demo", "--keep", str(tmp_path))
    assert r.returncode != 0
    assert r.stderr.startswith("relkit: error:")
    assert str(tmp_path) in r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["demo"], ["demo", "--json"]])
def test_demo_removes_its_temporary_repository(
    relkit_path: pathlib.Path, tmp_path: pathlib.Path, args: list[str]
) -> None:
    r = subprocess.run(
        [str(relkit_path), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_runs_the_readiness_check_offline(run: Run) -> None:
    r = run("demo")
    assert r.returncode == 0, r.stderr
    assert "5. Final-RC readiness: relkit check" in r.stdout
    assert "FAIL  milestone-prs-present" in r.stdout
    assert "PASS  ci-green" in r.stdout
    assert "NOT READY" in r.stdout
    doc = _demo_json(run)
    readiness = doc["readiness"]
    assert readiness["ready"] is False
    passed = {c["id"]: c["passed"] for c in readiness["criteria"]}
    assert passed == {
        "no-open-items": False,  # one open regression issue
        "milestone-prs-present": False,  # #128004 was never picked
        "no-outstanding-picks": False,  # its nomination is outstanding
        "no-reverts-needed": False,  # the revert of #128005
        "rc-tag-at-head": False,  # commits landed after v2.4.0-rc1
        "ci-green": True,
    }
    states = {p["trunk_prs"][0]: p["state"] for p in readiness["cherry_picks"]}
    assert states[128004] == "outstanding"
    assert states[_change(doc, "reverted-on-main")["pr"]] == "needs-revert"
    assert readiness["requests"] == 6  # listing pages only


def test_demo_keep_leaves_a_snapshot_for_relkit_check(run: Run, tmp_path: pathlib.Path) -> None:
    repo = tmp_path / "demo"
    doc = _demo_json(run, "--keep", str(repo))
    assert doc["snapshot"] == f"{repo}.github"
    r = run("check", "--repo", str(repo), "--branch", RELEASE, "--milestone", "2.4.0",
            "--github-repo", "pytorch/pytorch", "--snapshot", doc["snapshot"], "--json")
    assert r.returncode == 1, r.stderr
    # GitHub and the repository as the demo leaves them: after the bot.
    assert json.loads(r.stdout)["criteria"] == (
        doc["cherry_pick_bot"]["readiness_after"]["criteria"])


def test_demo_keep_refuses_a_non_empty_snapshot_directory_before_creating_anything(
        run: Run, tmp_path: pathlib.Path) -> None:
    snapshot = tmp_path / "demo.github"
    snapshot.mkdir()
    (snapshot / "mine.json").write_text("{}")
    r = run("demo", "--keep", str(tmp_path / "demo"))
    assert r.returncode == 2, r.stderr
    assert r.stderr == (f'relkit: error: cannot keep the demo\'s GitHub snapshot in '
                        f'"{snapshot}": it exists and is not an empty directory\n')
    assert r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.github"]
    assert [p.name for p in snapshot.iterdir()] == ["mine.json"]
    assert (snapshot / "mine.json").read_text() == "{}"


def test_demo_keep_refuses_a_file_in_the_snapshot_place_and_leaves_no_repository(
        run: Run, tmp_path: pathlib.Path) -> None:
    snapshot = tmp_path / "demo.github"
    snapshot.write_text("not a directory")
    r = run("demo", "--keep", str(tmp_path / "demo"))
    assert r.returncode == 2, r.stderr
    assert r.stderr == (f'relkit: error: cannot keep the demo\'s GitHub snapshot in '
                        f'"{snapshot}": it exists and is not a directory\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.github"]
    assert snapshot.read_text() == "not a directory"


def test_demo_keep_accepts_an_empty_snapshot_directory(run: Run, tmp_path: pathlib.Path) -> None:
    (tmp_path / "demo.github").mkdir()
    doc = _demo_json(run, "--keep", str(tmp_path / "demo"))
    assert doc["snapshot"] == f"{tmp_path / 'demo'}.github"
    assert any((tmp_path / "demo.github").iterdir())


# -- step 6: promotion (a local-directory store: plan, apply, rerun) ----------

TORCH_OWNED = {
    "whl/test/cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl",
    "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
    "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl.metadata",
}


def test_demo_promotion_step_plans_by_name_and_shows_the_glob_mistakes(run: Run) -> None:
    r = run("demo")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "7. Promotion, test channel to release channel" in out
    assert "relkit promote --versions " in out and "--package torchvision" in out
    assert "--package libtorch" in out
    assert "whl/test/cpu/torch-2.4.10+cpu-cp312-cp312-linux_x86_64.whl  (*torch-2.4.1*" in out
    assert "executorch-2.4.1-cp312-cp312-linux_x86_64.whl" in out
    assert out.count("     WRONG ") == 3
    assert "... --execute (copies, checksum-sha256, verification, a journal):" in out
    assert out.count("... --execute again: already applied: nothing left to copy") == 2
    assert "NOT DONE" not in out

    doc = _demo_json(run)["promotion"]
    assert doc["channel"] is None  # a temporary directory
    wheels, libtorch = doc["plans"]
    assert (wheels["name"], libtorch["name"]) == ("wheels", "libtorch")
    sources = {c["source"] for c in wheels["plan"]["copies"]}
    assert TORCH_OWNED <= sources
    assert "whl/test/cu121/torchvision-0.19.1+cu121-cp312-cp312-linux_x86_64.whl" in sources
    # Already promoted before the demo: found there, not copied again.
    assert [a["destination"] for a in wheels["plan"]["already_there"]] == [
        "whl/cpu/torchvision-0.19.1+cpu-cp312-cp312-linux_x86_64.whl"]
    assert wheels["plan"]["ok"] is True
    assert all(c["destination"] == "whl/" + c["source"][len("whl/test/"):]
               for c in wheels["plan"]["copies"])
    assert {c["source"] for c in libtorch["plan"]["copies"]} == {
        "libtorch/test/cpu/libtorch-shared-with-deps-2.4.1%2Bcpu.zip",
        "libtorch/test/cu121/libtorch-cxx11-abi-shared-with-deps-2.4.1%2Bcu121.zip"}
    # Every key the glob takes that relkit does not, none of them planned.
    mistakes = {m["key"]: m for m in doc["glob_mistakes"]}
    assert set(mistakes) == {
        "whl/test/cpu/torch-2.4.10+cpu-cp312-cp312-linux_x86_64.whl",
        "whl/test/cpu/executorch-2.4.1-cp312-cp312-linux_x86_64.whl",
        "libtorch/test/cpu/libtorch-shared-with-deps-2.4.10%2Bcpu.zip"}
    assert mistakes["whl/test/cpu/executorch-2.4.1-cp312-cp312-linux_x86_64.whl"]["reason"] == \
        "executorch, not torch"
    planned = {c["source"] for p in doc["plans"] for c in p["plan"]["copies"]}
    assert not planned & set(mistakes)
    assert set(mistakes) <= set(doc["channel_keys"])
    # Applied: every planned copy copied and verified, the wheels' pages written,
    # and a rerun has nothing left.
    for p in doc["plans"]:
        destinations = sorted(c["destination"] for c in p["plan"]["copies"])
        assert sorted(p["result"]["copied"]) == destinations
        assert set(destinations) <= set(p["result"]["verified"])
        assert p["result"]["ok"] is True and p["rerun_nothing_to_do"] is True
    assert "whl/torch/index.html" in wheels["index_pages_written"]
    assert libtorch["index_pages_written"] == []


def test_demo_keep_leaves_a_promoted_channel_that_relkit_promote_finds_done(
    run: Run, tmp_path: pathlib.Path
) -> None:
    repo = tmp_path / "demo"
    doc = _demo_json(run, "--keep", str(repo))["promotion"]
    channel = pathlib.Path(doc["channel"])
    assert channel == pathlib.Path(f"{repo}.channel")
    files = {str(p.relative_to(channel)) for p in channel.rglob("*")
             if p.is_file() and ".relkit-meta" not in p.parts}
    assert set(doc["channel_keys"]) <= files
    assert "release_versions.sh" in files
    before = {p: (channel / p).read_bytes() for p in files}
    wheels = doc["plans"][0]
    r = run("promote", "--versions", str(channel / "release_versions.sh"),
            "--from", f"file://{channel}//whl/test", "--to", f"file://{channel}//whl",
            "--package", "torch", "--package", "torchvision", "--allow-incomplete", "--json")
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    # The demo applied its plan: relkit promote finds every file there (by
    # size: the demo's test channel carries no checksum-sha256 of its own).
    assert plan["copies"] == []
    there = {a["destination"]: a for a in plan["already_there"]}
    for c in wheels["plan"]["copies"]:
        assert there[c["destination"]]["size"] == c["size"], c
    for key in doc["glob_mistakes"]:
        promoted = channel / key["key"].replace("/test/", "/", 1)
        assert (channel / key["key"]).exists() and not promoted.exists(), promoted
    assert {p: (channel / p).read_bytes() for p in files} == before  # a dry run


def test_demo_keep_refuses_a_non_empty_channel_directory_before_creating_anything(
        run: Run, tmp_path: pathlib.Path) -> None:
    channel = tmp_path / "demo.channel"
    channel.mkdir()
    (channel / "mine.txt").write_text("x")
    r = run("demo", "--keep", str(tmp_path / "demo"))
    assert r.returncode == 2, r.stderr
    assert r.stderr == (f'relkit: error: cannot keep the demo\'s test channel in '
                        f'"{channel}": it exists and is not an empty directory\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.channel"]
    assert [p.name for p in channel.iterdir()] == ["mine.txt"]
