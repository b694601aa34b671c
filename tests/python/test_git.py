"""relkit.Repository, relkit.CommitMessage and relkit.audit_branch on real
repositories built in temporary directories (with the git CLI, tests only)."""

from __future__ import annotations

import datetime
import json
import pathlib
import subprocess
import sys
import threading

import pytest

import relkit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))
from git_cli import ENV, commit, git, merge_bot  # noqa: E402


@pytest.fixture()
def repo(tmp_path: pathlib.Path) -> dict[str, str]:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    s: dict[str, str] = {"path": str(r)}
    commit(r, "a.txt", "a\n", "Initial")
    s["x0"] = commit(r, "x.txt", "x\n", merge_bot("Add x", 90))
    git(r, "branch", "release/2.4")
    git(r, "branch", "orig/release/2.4")
    s["f1"] = commit(r, "a.txt", "a\nfix\n", merge_bot("Fix A", 101))
    s["f2"] = commit(r, "b.txt", "b\n", merge_bot("Fix B", 1010))
    git(r, "revert", "--no-edit", s["x0"])
    s["r1"] = git(r, "rev-parse", "HEAD")
    git(r, "tag", "-a", "-m", "rc1", "v2.4.0-rc1", s["x0"])
    git(r, "checkout", "-q", "release/2.4")
    git(r, "cherry-pick", "-x", s["f1"])
    s["p1"] = git(r, "rev-parse", "HEAD")
    s["e"] = commit(r, "rel.txt", "r\n", "[RELEASE-ONLY CHANGES] Branch cut")
    git(r, "checkout", "-q", "main")
    return s


def test_repository_reads_refs_commits_tags_and_files(repo: dict[str, str]) -> None:
    r = relkit.Repository.open(repo["path"])
    assert not r.is_bare
    assert r.resolve("release/2.4") == repo["e"]
    c = r.commit(repo["f1"])
    assert c.title == "Fix A (#101)"
    assert c.parents == [repo["x0"]]
    assert c.author_name == "Dev"
    assert isinstance(c.author_time, datetime.datetime)
    assert r.rev_list("orig/release/2.4..release/2.4") == [repo["e"], repo["p1"]]
    assert r.merge_base("main", "release/2.4") == repo["x0"]
    assert r.is_ancestor(repo["x0"], "main")
    assert not r.is_ancestor(repo["p1"], "main")
    assert r.read_file("main", "a.txt") == b"a\nfix\n"
    [tag] = r.tags()
    assert (tag.name, tag.target, tag.annotated) == ("v2.4.0-rc1", repo["x0"], True)
    assert ("refs/heads/release/2.4", repo["e"]) in r.refs("refs/heads/")


def test_commit_times_keep_the_signers_time_zone(tmp_path: pathlib.Path) -> None:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    (r / "a.txt").write_text("a\n")
    git(r, "add", "a.txt")
    subprocess.run(["git", "-C", str(r), "commit", "-q", "-m", "Zoned"], check=True,
                   env={**ENV, "GIT_AUTHOR_DATE": "2024-06-01T12:00:00+0530",
                        "GIT_COMMITTER_DATE": "2024-06-02T08:30:00-0700"})
    c = relkit.Repository.open(str(r)).commit("HEAD")
    ist = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    assert c.author_time == datetime.datetime(2024, 6, 1, 12, 0, tzinfo=ist)
    assert c.author_time.utcoffset() == datetime.timedelta(hours=5, minutes=30)
    assert c.committer_time.utcoffset() == datetime.timedelta(hours=-7)
    assert c.committer_time.hour == 8


def test_patch_id_equals_git_patch_id_stable(repo: dict[str, str]) -> None:
    r = relkit.Repository.open(repo["path"])
    out = subprocess.run(
        f"git -C '{repo['path']}' diff-tree -p --no-renames {repo['f1']} | git patch-id --stable",
        shell=True, check=True, capture_output=True, text=True, env=ENV,
    ).stdout.split()[0]
    assert r.patch_id(repo["f1"]) == out
    assert r.patch_id(repo["p1"]) == out  # the cherry-pick


def test_errors_map_to_the_relkit_hierarchy(repo: dict[str, str], tmp_path: pathlib.Path) -> None:
    with pytest.raises(relkit.NotFoundError, match="does not exist"):
        relkit.Repository.open(str(tmp_path / "none"))
    r = relkit.Repository.open(repo["path"])
    with pytest.raises(LookupError, match="release/9.9"):
        r.resolve("release/9.9")
    with pytest.raises(relkit.AlreadyExistsError):
        r.create_branch("release/2.4", "main")
    with pytest.raises(FileExistsError):
        r.create_tag("v2.4.0-rc1", "main")


def test_discover_finds_the_repository_from_a_subdirectory(
    repo: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = pathlib.Path(repo["path"]) / "deep" / "er"
    sub.mkdir(parents=True)
    found = relkit.Repository.discover(str(sub))
    assert found.resolve("main") == relkit.Repository.open(repo["path"]).resolve("main")
    assert pathlib.Path(found.workdir or "").resolve() == pathlib.Path(repo["path"]).resolve()
    # The default is the current directory, as for git.
    monkeypatch.chdir(sub)
    assert relkit.Repository.discover().git_dir == found.git_dir
    # open() does not search parents; discover() stops at GIT_CEILING_DIRECTORIES.
    with pytest.raises(relkit.NotFoundError):
        relkit.Repository.open(str(sub))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(sub.parent))
    with pytest.raises(relkit.NotFoundError, match="deep/er"):
        relkit.Repository.discover(str(sub))


def test_writes_and_push_to_a_local_bare_repository(repo: dict[str, str], tmp_path: pathlib.Path) -> None:
    r = relkit.Repository.open(repo["path"])
    bare = relkit.Repository.init(str(tmp_path / "remote.git"), bare=True)
    assert bare.is_bare
    r.create_tag("v2.4.0-rc2", "release/2.4", message="RC2\n")
    r.push(str(tmp_path / "remote.git"), ["refs/heads/release/2.4", "refs/tags/v2.4.0-rc2"])
    assert bare.resolve("release/2.4") == repo["e"]
    assert bare.resolve("v2.4.0-rc2") == repo["e"]
    assert [t.name for t in bare.tags()] == ["v2.4.0-rc2"]


def test_commit_message_parse() -> None:
    m = relkit.CommitMessage.parse(
        'Revert "Fix foo (#123)" (#456)\n\nThis reverts commit '
        "4019e4c0addc6eda8e1af6cf4c4fac5d02684720.\n"
    )
    assert m.revert_kind == "revert"
    assert m.reverted_title == "Fix foo (#123)"
    assert m.title_prs == [456]
    assert m.reverted_commits == ["4019e4c0addc6eda8e1af6cf4c4fac5d02684720"]
    assert m.mentions_pr(456) and not m.mentions_pr(45) and not m.mentions_pr(123)


def test_audit_branch_typed_results(repo: dict[str, str]) -> None:
    r = relkit.Repository.open(repo["path"])
    a = relkit.audit_branch(r, "release/2.4")
    assert a.cut_point == repo["x0"]
    assert a.cut_point_source == "orig-branch"
    by_sha = {c.sha: c for c in a.commits}
    p1 = by_sha[repo["p1"]]
    assert not p1.release_only
    [cp] = p1.counterparts
    assert cp.sha == repo["f1"]
    assert cp.evidence == ["cherry-pick-trailer", "patch-id", "pr-number", "title"]
    assert by_sha[repo["e"]].release_only
    [need] = a.reverts_needed
    assert (need.revert_sha, need.reverted_sha, need.present_as) == (repo["r1"], repo["x0"], repo["x0"])
    assert need.evidence == ["ancestry"]
    states = {p.query: p.state for p in a.find_prs([101, 1010, 7])}
    assert states == {"#101": "present", "#1010": "missing", "#7": "not-on-main-since-cut"}
    [p] = a.find_commits(r, [repo["f2"]])
    assert p.state == "missing"
    records = a.to_records()
    assert {rec["sha"] for rec in records} == {repo["p1"], repo["e"]}
    assert "release-only" in repr(by_sha[repo["e"]])


def test_audit_branch_sees_reverts_made_on_the_branch(repo: dict[str, str]) -> None:
    git(pathlib.Path(repo["path"]), "checkout", "-q", "release/2.4")
    git(pathlib.Path(repo["path"]), "revert", "--no-edit", repo["p1"])
    undo = git(pathlib.Path(repo["path"]), "rev-parse", "HEAD")
    r = relkit.Repository.open(repo["path"])
    a = relkit.audit_branch(r, "release/2.4")
    by_sha = {c.sha: c for c in a.commits}
    assert by_sha[repo["p1"]].reverted_by == undo
    assert by_sha[undo].reverted_by is None
    assert f"reverted by {undo[:12]}" in repr(by_sha[repo["p1"]])
    [p] = a.find_prs([101])
    assert p.state == "missing"
    assert p.in_branch == []
    assert [c.sha for c in p.reverted_in_branch] == [repo["p1"]]
    records = {rec["sha"]: rec for rec in a.to_records()}
    assert records[repo["p1"]]["reverted_by"] == undo
    assert records[repo["e"]]["reverted_by"] is None
    assert by_sha[repo["p1"]].counterparts_reverted == {}  # reverted as a whole
    assert a.reverted_before_cut == {}

    # Main's revert R1 of x0 (before the cut), picked with -x: x0's change is
    # gone from the branch although x0 is an ancestor.
    path = pathlib.Path(repo["path"])
    git(path, "checkout", "-q", "release/2.4")
    git(path, "cherry-pick", "-x", repo["r1"])
    pick = git(path, "rev-parse", "HEAD")
    a = relkit.audit_branch(r, "release/2.4")
    assert a.reverted_before_cut == {repo["x0"]: pick}
    [p] = a.find_commits(r, [repo["x0"]])
    assert p.state == "missing"
    assert [c.sha for c in p.reverted_in_branch] == [repo["x0"]]


def test_audit_branch_with_a_cache_finds_the_same(repo: dict[str, str], tmp_path: pathlib.Path) -> None:
    r = relkit.Repository.open(repo["path"])

    def findings(a: relkit.BranchAudit) -> list[tuple[str, list[tuple[str, list[str]]]]]:
        return [(c.sha, [(cp.sha, cp.evidence) for cp in c.counterparts]) for c in a.commits]

    plain = findings(relkit.audit_branch(r, "release/2.4"))
    cache = tmp_path / "cache"
    first = findings(relkit.audit_branch(r, "release/2.4", cache_dir=str(cache)))
    assert (cache / "diff-facts-v1.bin").is_file()
    second = findings(relkit.audit_branch(r, "release/2.4", cache_dir=str(cache)))
    assert plain == first == second
    assert any("patch-id" in ev for _, cps in plain for _, ev in cps)


def test_audit_releases_the_gil(repo: dict[str, str]) -> None:
    # Two threads share one Repository: the lock serialises them, and the
    # GIL is released during each audit so that neither deadlocks.
    r = relkit.Repository.open(repo["path"])
    results: list[int] = []

    def work() -> None:
        for _ in range(5):
            results.append(len(relkit.audit_branch(r, "release/2.4").commits))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [2] * 15


# --- branch cut, RC tags, pins and the demo repository -------------------------


@pytest.fixture()
def cut_repo(tmp_path: pathlib.Path) -> pathlib.Path:
    r = tmp_path / "cut"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    (r / ".github" / "workflows").mkdir(parents=True)
    commit(r, ".github/workflows/pull.yml", "uses: pytorch/test-infra/x.yml@main\n", "CI")
    commit(r, "version.txt", "2.5.0a0\n", merge_bot("Start 2.5", 200))
    git(r, "branch", "viable/strict")
    # The cut refuses to move a checked-out main: detach, as the docs say.
    git(r, "switch", "-q", "--detach")
    return r


def test_plan_branch_cut_is_a_typed_plan_that_writes_nothing(cut_repo: pathlib.Path) -> None:
    r = relkit.Repository.open(str(cut_repo))
    before = r.refs("refs/heads/")
    plan = relkit.plan_branch_cut(r)
    assert isinstance(plan, relkit.BranchCutPlan)
    assert plan.release == relkit.Version("2.5.0")
    assert plan.next_main_version == relkit.Version("2.6.0a0")
    assert (plan.release_branch, plan.orig_branch, plan.source) == (
        "release/2.5",
        "orig/release/2.5",
        "viable/strict",
    )
    assert plan.source_commit == r.resolve("viable/strict")
    assert plan.release_only is not None and plan.version_bump is not None
    (edit,) = plan.release_only.edits
    assert edit.path == ".github/workflows/pull.yml"
    assert "@release/2.5" in edit.after and "@main" in edit.before
    assert plan.version_bump.branch == "main"
    assert "+2.6.0a0" in plan.to_diff()
    doc = json.loads(plan.to_json())
    assert doc["release_branch"] == "release/2.5"
    assert doc["version_bump_commit"]["edits"][0]["after"] == "2.6.0a0\n"
    assert r.refs("refs/heads/") == before  # planning reads only


def test_branch_cut_applies_atomically_once(cut_repo: pathlib.Path) -> None:
    r = relkit.Repository.open(str(cut_repo))
    plan = relkit.plan_branch_cut(r, version="2.5", source="viable/strict")
    assert plan.apply(r, author=("Release Manager", "rm@example.com")) == "applied"
    assert plan.apply(r, author=("Release Manager", "rm@example.com")) == "already applied"
    assert r.read_file("main", "version.txt") == b"2.6.0a0\n"
    assert r.resolve("orig/release/2.5") == plan.source_commit
    assert b"@release/2.5" in r.read_file("release/2.5", ".github/workflows/pull.yml")
    assert r.commit("release/2.5").author_name == "Release Manager"
    with pytest.raises(relkit.InvalidVersion):
        relkit.plan_branch_cut(r, version="two")


def test_rc_tags_list_next_plan_apply(cut_repo: pathlib.Path) -> None:
    r = relkit.Repository.open(str(cut_repo))
    relkit.plan_branch_cut(r).apply(r, author=("Dev", "dev@example.com"))
    assert relkit.list_rc_tags(r, "release/2.5") == []
    assert str(relkit.next_branch_rc_tag(r, "release/2.5")) == "v2.5.0-rc1"
    plan = relkit.plan_rc_tag(r, "release/2.5")
    assert isinstance(plan, relkit.RcTagPlan)
    assert str(plan.tag) == "v2.5.0-rc1" and plan.target == r.resolve("release/2.5")
    assert json.loads(plan.to_json())["tag"] == "v2.5.0-rc1"
    assert r.tags() == []  # planning writes nothing
    assert plan.apply(r) == "applied"
    assert plan.apply(r) == "already applied"
    (tag,) = relkit.list_rc_tags(r, "release/2.5")
    assert (tag.name, tag.commit, tag.annotated) == ("v2.5.0-rc1", plan.target, False)
    again = relkit.plan_rc_tag(r, "release/2.5")  # a rerun: the same tag
    assert str(again.tag) == "v2.5.0-rc1" and again.already_applied
    assert again.apply(r) == "already applied" and again.warnings == []
    final = relkit.plan_rc_tag(r, "release/2.5", final=True, message="PyTorch 2.5.0")
    assert str(final.tag) == "v2.5.0" and final.message == "PyTorch 2.5.0"
    assert final.promotes == "v2.5.0-rc1" and final.target == plan.target
    # Issue 13: the final tag's readiness guard; not run is refused unless
    # overridden with a reason, which goes into the tag message.
    with pytest.raises(relkit.FailedPreconditionError, match="readiness check was not run"):
        relkit.guard_final_tag(final, None)
    overridden = relkit.plan_rc_tag(r, "release/2.5", final=True, message="PyTorch 2.5.0",
                                    override_reason="checked by hand")
    guarded = relkit.guard_final_tag(overridden, None)
    assert guarded.override_reason == "checked by hand"
    assert guarded.overridden == ["the final-RC readiness check was not run"]
    assert guarded.message is not None and guarded.message.startswith(
        "PyTorch 2.5.0\n\nReadiness override: checked by hand\n")
    assert overridden.message == "PyTorch 2.5.0"  # the input plan is unchanged
    with pytest.raises(ValueError, match="override_reason"):
        relkit.plan_rc_tag(r, "release/2.5", final=True, override_reason="")
    with pytest.raises(relkit.Error, match="skips 2.5.0"):
        relkit.plan_rc_tag(r, "release/2.5", release="2.5.3")
    assert str(relkit.plan_rc_tag(r, "release/2.5", release="2.5.3", allow_skip=True).tag) == (
        "v2.5.3-rc1"
    )
    assert relkit.target_release("release/2.5", ["v2.5.0", "v2.5.1-rc1"]) == relkit.Version("2.5.1")
    with pytest.raises(relkit.InvalidArgumentError):
        relkit.plan_rc_tag(r, "main")


def test_pin_parsers_name_source_and_position() -> None:
    sha = "5f40dc89506d67ab8e7aa2b7c8cf1351f8b22f31"
    assert relkit.parse_commit_pin(sha + "\n") == sha
    with pytest.raises(ValueError, match=r"^triton\.txt:1:5: ") as e:
        relkit.parse_commit_pin("5f40xc89", "triton.txt")
    assert isinstance(e.value, relkit.InvalidArgumentError)
    assert relkit.parse_version_pin("3.0.0\n") == relkit.Version("3.0.0")
    with pytest.raises(relkit.InvalidArgumentError, match=r"^v:2:1: "):
        relkit.parse_version_pin("3.0.0\n3.1.0\n", "v")


def test_triton_pin_and_submodules_at_a_ref(tmp_path: pathlib.Path) -> None:
    up = tmp_path / "up"
    up.mkdir()
    git(up, "init", "-q", "-b", "main")
    on_main = commit(up, "lib.h", "a\n", "A")
    git(up, "checkout", "-q", "-b", "feature")
    off_main = commit(up, "lib.h", "s\n", "S")

    sup = tmp_path / "super"
    sup.mkdir()
    git(sup, "init", "-q", "-b", "main")
    (sup / ".ci" / "docker" / "ci_commit_pins").mkdir(parents=True)
    (sup / relkit.TRITON_PIN_PATH).write_text(on_main + "\n")
    (sup / relkit.TRITON_VERSION_PATH).write_text("3.0.0\n")
    (sup / ".gitmodules").write_text(
        '[submodule "ok"]\n\tpath = third_party/ok\n\turl = https://example.com/up.git\n'
        '[submodule "fork"]\n\tpath = third_party/fork\n\turl = https://example.com/up.git\n'
    )
    git(sup, "add", ".")
    git(sup, "update-index", "--add", "--cacheinfo", f"160000,{on_main},third_party/ok")
    git(sup, "update-index", "--add", "--cacheinfo", f"160000,{off_main},third_party/fork")
    git(sup, "commit", "-q", "-m", "Pins")
    r = relkit.Repository.open(str(sup))

    pin = relkit.read_triton_pin(r, "main")
    assert pin.commit == on_main and pin.version == relkit.Version("3.0.0")

    checks = relkit.check_submodules(
        r, "main", upstreams={"third_party/ok": str(up), "third_party/fork": str(up)}
    )
    by_path = {c.path: c for c in checks}
    assert by_path["third_party/ok"].state == "on-default-branch"
    assert not by_path["third_party/ok"].flagged
    fork = by_path["third_party/fork"]
    assert (fork.state, fork.flagged, fork.commit) == ("off-default-branch", True, off_main)
    assert fork.default_branch == "main" and fork.default_branch_commit == on_main
    assert fork.submodule.url == "https://example.com/up.git"
    checks = relkit.check_submodules(
        r, "main", upstreams={"third_party/fork": str(up)}, default_branches={"third_party/fork": "feature"}
    )
    assert {c.path: c.state for c in checks} == {
        "third_party/fork": "on-default-branch",
        "third_party/ok": "unchecked",
    }
    with pytest.raises(relkit.NotFoundError):
        relkit.read_triton_pin(relkit.Repository.open(str(up)), "main")


def test_demo_repository_and_its_audit(tmp_path: pathlib.Path) -> None:
    demo = relkit.build_demo_repository(str(tmp_path / "demo.git"))
    assert demo.release_branch == "release/2.4" and demo.rc_tag == "v2.4.0-rc1"
    roles = {c.role: c for c in demo.changes}
    assert roles["never-picked"].branch_commit is None
    r = relkit.Repository.open(demo.path)
    audit = relkit.audit_branch(r, demo.release_branch)
    states = {p.query: p.state for p in audit.find_prs(demo.requested_prs)}
    assert states["#128004"] == "missing"
    assert sum(s == "present" for s in states.values()) == 4
    (need,) = audit.reverts_needed
    assert need.revert_sha == roles["reverted-on-main"].revert_commit
    conflicted = next(c for c in audit.commits if c.sha == roles["conflict-resolved"].branch_commit)
    assert [cp.evidence for cp in conflicted.counterparts] == [["pr-number"]]
    assert relkit.read_triton_pin(r, "release/2.4").version == relkit.Version("3.0.0")
    with pytest.raises(relkit.FailedPreconditionError):
        relkit.build_demo_repository(demo.path)


def test_workflows_release_the_gil(tmp_path: pathlib.Path) -> None:
    # Threads build demo repositories and audit them concurrently; each call
    # releases the GIL, so the threads finish and the results are consistent.
    results: list[int] = []

    def work(k: int) -> None:
        demo = relkit.build_demo_repository(str(tmp_path / f"demo{k}.git"))
        r = relkit.Repository.open(demo.path)
        results.append(len(relkit.audit_branch(r, demo.release_branch).commits))
        relkit.check_submodules(r, demo.release_branch)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [6, 6, 6]


def test_remotes_and_their_urls(tmp_path: pathlib.Path) -> None:
    r = tmp_path / "remotes"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    repo = relkit.Repository.open(str(r))
    assert repo.remotes() == []
    git(r, "remote", "add", "upstream", "gh:pytorch/pytorch")
    git(r, "remote", "add", "origin", "git@github.com:me/pytorch.git")
    git(r, "config", "url.https://github.com/.insteadOf", "gh:")
    remotes = relkit.Repository.open(str(r)).remotes()
    assert [(x.name, x.url) for x in remotes] == [
        ("origin", "git@github.com:me/pytorch.git"),
        ("upstream", "https://github.com/pytorch/pytorch"),  # insteadOf applied, as git does
    ]
    assert isinstance(remotes[0], relkit.GitRemote)
    assert remotes[0] == relkit.Repository.open(str(r)).remotes()[0]
    assert len({remotes[0], remotes[0]}) == 1
    assert repr(remotes[0]) == "<GitRemote origin git@github.com:me/pytorch.git>"
    assert repo.remote_url("upstream") == git(r, "remote", "get-url", "upstream")
    # Credentials are in `url` (on purpose) but never in repr() or str().
    git(r, "remote", "add", "bot", "tok:o/n")
    git(r, "config", "url.https://tok:secret@github.com/.insteadOf", "tok:")
    bot = next(x for x in relkit.Repository.open(str(r)).remotes() if x.name == "bot")
    assert bot.url == "https://tok:secret@github.com/o/n"
    assert repr(bot) == "<GitRemote bot https://***@github.com/o/n>"
    assert "secret" not in repr(bot) and "secret" not in str(bot)
    assert "secret" not in repr([bot])
    # A password with an unencoded '#', which RedactUrl-style redaction misses.
    git(r, "config", "url.https://tok:se#cret@github.com/.insteadOf", "tok2:")
    git(r, "remote", "add", "bot2", "tok2:o/n")
    bot2 = next(x for x in relkit.Repository.open(str(r)).remotes() if x.name == "bot2")
    assert repr(bot2) == "<GitRemote bot2 https://***@github.com/o/n>"
    assert "cret" not in str(bot2)
    with pytest.raises(relkit.NotFoundError, match='remote "fork" not found') as e:
        repo.remote_url("fork")
    assert isinstance(e.value, LookupError)
    with pytest.raises(relkit.InvalidArgumentError):
        repo.remote_url("bad name")


def test_branch_cut_push_sends_what_the_remote_lacks(
    cut_repo: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    r = relkit.Repository.open(str(cut_repo))
    plan = relkit.plan_branch_cut(r, remote=str(remote))
    assert plan.apply(r, author=("Dev", "dev@example.com")) == "applied"
    assert plan.push(r) == ["orig/release/2.5", "release/2.5", "main"]
    rerun = relkit.plan_branch_cut(r, remote=str(remote))
    assert rerun.already_applied and rerun.version_bump is None
    assert rerun.push(r) == []
    with pytest.raises(relkit.NotFoundError, match="nope.git"):
        relkit.plan_branch_cut(r, remote=str(tmp_path / "nope.git"))
