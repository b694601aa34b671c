"""relkit.promote(..., execute=True), PromotionResult and
read_promotion_journal() over real local directories and a real moto_server
on 127.0.0.1 (docs/promotion.md, docs/python.md)."""

from __future__ import annotations

import hashlib
import json
import pathlib
import sys
import threading
import urllib.request

import pytest

import relkit
from test_promotion import (  # noqa: F401  (the moto and s3_env fixtures)
    OWNED,
    SECRET,
    TOKEN,
    TRAPS,
    VERSIONS,
    _put,
    channel,
    moto,
    s3_env,
    tree,
    write_tree,
)

PACKAGES = ["torch", "torchvision"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def promote(channel: pathlib.Path, **kwargs: object) -> relkit.PromotionResult:
    result = relkit.promote(channel.parent / "release_versions.sh", f"file://{channel}//whl/test",
                            f"file://{channel}//whl", packages=PACKAGES, allow_incomplete=True,
                            execute=True, **kwargs)  # type: ignore[call-overload]
    assert isinstance(result, relkit.PromotionResult)
    return result


def test_promote_without_execute_is_the_plan_and_writes_nothing(
    channel: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    before = tree(tmp_path)
    plan = relkit.promote(tmp_path / "release_versions.sh", f"file://{channel}//whl/test",
                          f"file://{channel}//whl", packages=PACKAGES, allow_incomplete=True,
                          journal=tmp_path / "journal.jsonl")
    assert isinstance(plan, relkit.PromotionPlan)
    assert plan == relkit.plan_promotion(tmp_path / "release_versions.sh",
                                         f"file://{channel}//whl/test", f"file://{channel}//whl",
                                         packages=PACKAGES, allow_incomplete=True)
    assert tree(tmp_path) == before  # no copy, no journal
    assert not plan.has_mirror and len(plan.mirror_copies) == 0 and not plan.nothing_to_do


def test_execute_copies_verifies_and_a_rerun_is_already_applied(
    channel: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    journal = tmp_path / "journal.jsonl"
    seen: list[tuple[int, int, str]] = []
    threads: set[int] = set()

    def progress(done: int, total: int, key: str) -> None:
        seen.append((done, total, key))
        threads.add(threading.get_ident())

    result = promote(channel, journal=journal, jobs=2, progress=progress)
    expected = sorted("whl/" + k for k in OWNED)
    assert result.ok and not result.already_applied, result.to_text()
    assert result.copied == expected
    assert set(expected) <= set(result.verified)
    assert result.skipped == [] and result.failed == [] and result.overwritten == []
    assert result.journal_path == str(journal)
    # The bytes and the checksum-sha256 the copy carries (the LocalStore
    # sidecar), as a Head reads them back.
    dst = relkit.open_store(f"file://{channel}//whl")
    for rel, data in OWNED.items():
        assert (channel / "whl" / rel).read_bytes() == data
        assert dst.head("whl/" + rel).metadata["checksum-sha256"] == sha256(data)
        assert (channel / ".relkit-meta" / "whl" / (rel + ".json")).is_file()
    # The glob traps stayed in the test channel.
    for rel in TRAPS:
        assert not (channel / "whl" / rel).exists()
    assert sorted(k for _, _, k in seen) == expected
    assert {t for _, t, _ in seen} == {len(OWNED)}
    assert threading.get_ident() not in threads  # called from the workers
    records = result.to_records()
    assert sorted(r["key"] for r in records if r["outcome"] == "copied") == expected
    assert json.loads(result.to_json())["result"]["ok"] is True
    assert "promotion done" in result.to_text()
    assert "done" in repr(result)

    # The journal says what was done, with each sha256.
    state = relkit.read_promotion_journal(journal)
    assert state.verified == {"whl/" + k: sha256(v) for k, v in OWNED.items()}
    assert state.finished == 1 and len(state.plans) == 1
    assert "whl/test/" in state.plans[0]
    assert {(r["state"], r["key"], r["sha256"]) for r in state.to_records()} >= {
        ("verified", k, v) for k, v in state.verified.items()}

    # The same call again: nothing copied, the same bytes, "already applied".
    after = tree(channel)
    again = promote(channel, journal=journal)
    assert again.already_applied and again.ok
    assert again.copied == [] and again.skipped == expected
    assert tree(channel) == after
    assert "already applied" in again.to_text() and "already applied" in repr(again)


def test_a_conflict_is_refused_unless_overwrite(channel: pathlib.Path, tmp_path: pathlib.Path) -> None:
    key = "cpu/torch-2.4.1+cpu-cp312-cp312-linux_x86_64.whl"
    write_tree(channel / "whl", {key: b"another build of torch"})
    before = tree(channel)
    with pytest.raises(relkit.FailedPreconditionError) as e:
        promote(channel, journal=tmp_path / "j.jsonl")
    message = str(e.value)
    assert "refused" in message and f'"whl/{key}"' in message and "overwrite=True" in message
    assert tree(channel) == before
    assert not (tmp_path / "j.jsonl").exists()

    result = promote(channel, journal=tmp_path / "j.jsonl", overwrite=True)
    assert result.ok, result.to_text()
    assert result.overwritten == [f"whl/{key}"]
    assert f"whl/{key}" in result.copied
    assert (channel / "whl" / key).read_bytes() == OWNED[key]
    assert result.plan.copies[[c.destination_key for c in result.plan.copies].index(
        f"whl/{key}")].overwrite
    assert any(r["overwrite"] for r in result.plan.to_records())


def test_other_plan_errors_are_refused_with_their_messages(channel: pathlib.Path,
                                                          tmp_path: pathlib.Path) -> None:
    f = relkit.ReleaseVersionsFile.parse(VERSIONS)
    f.set_value("PYTORCH_VERSION", "2.4.1rc1")
    with pytest.raises(relkit.FailedPreconditionError, match="must be a GA version"):
        relkit.promote(f, f"file://{channel}//whl/test", f"file://{channel}//whl",
                       packages=["torch"], execute=True, journal=tmp_path / "j.jsonl")
    assert not (channel / "whl" / "cpu").exists()
    with pytest.raises(relkit.InvalidArgumentError, match="jobs"):
        promote(channel, journal=tmp_path / "j.jsonl", jobs=0)


def test_a_failing_store_is_in_the_result_and_a_rerun_finishes(
    channel: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    # A file where the destination needs a folder: the copies to whl/cpu/
    # fail (for root too), the one to whl/cu121/ may go through.
    (channel / "whl" / "cpu").write_bytes(b"in the way")
    journal = tmp_path / "j.jsonl"
    result = promote(channel, journal=journal, jobs=1)
    assert not result.ok
    assert result.failed and all(f.key.startswith("whl/") for f in result.failed)
    assert result.failed[0].code and result.failed[0].message
    assert "failed" in repr(result).lower() and "promotion failed" in result.to_text()
    assert any(r["outcome"] == "failed" and r["message"] for r in result.to_records())
    assert relkit.read_promotion_journal(journal).finished == 0

    (channel / "whl" / "cpu").unlink()
    rerun = promote(channel, journal=journal)
    assert rerun.ok, rerun.to_text()
    assert set(rerun.copied) | set(rerun.skipped) == {"whl/" + k for k in OWNED}
    assert all((channel / "whl" / k).read_bytes() == v for k, v in OWNED.items())
    assert relkit.read_promotion_journal(journal).finished == 1


def test_a_raising_progress_callback_does_not_stop_the_copies(
    channel: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(str(u.exc_value)))

    def progress(done: int, total: int, key: str) -> None:
        raise RuntimeError(f"progress bar broke at {key}")

    result = promote(channel, journal=tmp_path / "j.jsonl", progress=progress)
    assert result.ok and result.copied == sorted("whl/" + k for k in OWNED)
    assert sorted(reported) == sorted(f"progress bar broke at whl/{k}" for k in OWNED)


def test_an_unwritable_journal_raises_before_any_copy(channel: pathlib.Path,
                                                      tmp_path: pathlib.Path) -> None:
    (tmp_path / "not-a-dir").write_text("x")
    before = tree(channel)
    with pytest.raises(relkit.Error, match="not-a-dir"):
        promote(channel, journal=tmp_path / "not-a-dir" / "j.jsonl")
    assert tree(channel) == before


def test_a_local_mirror_gets_every_file(channel: pathlib.Path, tmp_path: pathlib.Path) -> None:
    mirror = tmp_path / "r2"
    mirror.mkdir()
    plan = relkit.plan_promotion(tmp_path / "release_versions.sh", f"file://{channel}//whl/test",
                                 f"file://{channel}//whl", packages=PACKAGES,
                                 allow_incomplete=True, mirror=f"file://{mirror}//whl")
    assert plan.has_mirror and plan.mirror_prefix == "whl/"
    assert {c.destination_key for c in plan.mirror_copies} == {"whl/" + k for k in OWNED}
    assert len(plan.mirror_copies.to_records()) == len(OWNED)
    result = promote(channel, journal=tmp_path / "j.jsonl", mirror=f"file://{mirror}//whl")
    assert result.ok, result.to_text()
    assert result.mirrored == sorted("whl/" + k for k in OWNED)
    mirror_store = relkit.open_store(f"file://{mirror}")
    for rel, data in OWNED.items():
        assert (mirror / "whl" / rel).read_bytes() == data
        assert mirror_store.head("whl/" + rel).metadata["checksum-sha256"] == sha256(data)
    state = relkit.read_promotion_journal(tmp_path / "j.jsonl")
    assert set(state.mirror_verified) == {"whl/" + k for k in OWNED}
    again = promote(channel, journal=tmp_path / "j.jsonl", mirror=f"file://{mirror}//whl")
    assert again.already_applied and again.mirror_skipped == result.mirrored


def test_default_journal_is_the_clis_cache_file(channel: pathlib.Path, tmp_path: pathlib.Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = promote(channel)
    path = pathlib.Path(result.journal_path)
    assert path.parent == tmp_path / "cache" / "relkit" / "promotions"
    assert path.suffix == ".jsonl" and path.is_file()
    # The same promotion finds the same journal (and the CLI, which names it
    # by the same plan identity: tests/cli/test_cli_promote.py).
    assert promote(channel).journal_path == result.journal_path


def test_journal_errors_name_the_file_and_line(tmp_path: pathlib.Path, channel: pathlib.Path) -> None:
    journal = tmp_path / "j.jsonl"
    promote(channel, journal=journal)
    good = journal.read_text()
    # A last line cut by a kill is ignored.
    journal.write_text(good + '{"kind": "verif')
    assert relkit.read_promotion_journal(journal).verified == relkit.read_promotion_journal(
        str(journal)).verified
    lines = good.count("\n")
    journal.write_text(good + "not json\n")
    with pytest.raises(relkit.InvalidArgumentError) as e:
        relkit.read_promotion_journal(journal)
    assert str(journal) in str(e.value) and str(lines + 1) in str(e.value)
    with pytest.raises(relkit.NotFoundError):
        relkit.read_promotion_journal(tmp_path / "missing.jsonl")


def test_result_html_escapes(channel: pathlib.Path, tmp_path: pathlib.Path) -> None:
    journal = tmp_path / "<script>j.jsonl"
    result = promote(channel, journal=journal)
    html = result._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table" in html and "whl/cpu/torch-2.4.1+cpu" in html
    assert "<table" in relkit.read_promotion_journal(journal)._repr_html_()


# -- S3 (moto_server on 127.0.0.1) ---------------------------------------------


def test_promote_between_s3_buckets_with_an_r2_mirror_leaks_no_secret(
    s3_env: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = s3_env
    for bucket in ("pytorch", "r2mirror"):
        _put(endpoint, bucket)
    for rel, data in OWNED.items():
        _put(endpoint, f"pytorch/whl/test/{urllib.request.quote(rel)}", data,
             {"x-amz-meta-checksum-sha256": sha256(data)})
    versions = tmp_path / "release_versions.sh"
    versions.write_text(VERSIONS)
    r2_secret = "r2-Secret-Must-Not-Leak-77aa"
    r2_token = "r2-Token-Must-Not-Leak-e1f0"
    args = dict(packages=PACKAGES, allow_incomplete=True, endpoint_url=endpoint,
                mirror="s3://r2mirror/whl", mirror_endpoint_url=endpoint,
                journal=tmp_path / "j.jsonl")
    shown: list[str] = []
    # The mirror's credentials are R2_*, never AWS_*.
    for k in ("R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "R2_SESSION_TOKEN", "R2_REGION"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("R2_ACCESS_KEY_ID", "R2KEYID")
    with pytest.raises(relkit.FailedPreconditionError, match="R2_SECRET_ACCESS_KEY") as e:
        relkit.promote(versions, "s3://pytorch/whl/test", "s3://pytorch/whl", **args)
    shown.append(str(e.value))
    with pytest.raises(relkit.InvalidArgumentError, match="mirror_endpoint_url"):
        relkit.promote(versions, "s3://pytorch/whl/test", "s3://pytorch/whl",
                       **{**args, "mirror_endpoint_url": None})
    monkeypatch.setenv("R2_SECRET_ACCESS_KEY", r2_secret)
    monkeypatch.setenv("R2_SESSION_TOKEN", r2_token)

    src = relkit.open_store("s3://pytorch/whl/test", endpoint_url=endpoint)
    result = relkit.promote(versions, src, "s3://pytorch/whl", execute=True, **args)
    assert isinstance(result, relkit.PromotionResult)
    assert result.ok, result.to_text()
    expected = sorted("whl/" + k for k in OWNED)
    assert result.copied == expected and result.mirrored == expected
    dst = relkit.open_store("s3://pytorch", endpoint_url=endpoint)
    mirror = relkit.open_store("s3://r2mirror", endpoint_url=endpoint)
    for rel, data in OWNED.items():
        assert dst.head("whl/" + rel).metadata["checksum-sha256"] == sha256(data)
        assert mirror.head("whl/" + rel).size == len(data)
    again = relkit.promote(versions, src, "s3://pytorch/whl", execute=True, **args)
    assert isinstance(again, relkit.PromotionResult) and again.already_applied

    shown += [repr(result), result.to_text(), result.to_json(), result.to_markdown(),
              result._repr_html_(), repr(result.plan), result.plan.to_json(),
              result.plan._repr_html_(), repr(again), (tmp_path / "j.jsonl").read_text(),
              repr(relkit.read_promotion_journal(tmp_path / "j.jsonl")),
              str(relkit.read_promotion_journal(tmp_path / "j.jsonl").to_records())]
    for text in shown:
        for secret in (SECRET, TOKEN, r2_secret, r2_token):
            assert secret not in text, text


def test_promote_client_code_type_checks_strictly(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("mypy")
    from test_typing import run as run_mypy

    client = tmp_path / "client.py"
    client.write_text(
        "import pathlib\n"
        "import relkit\n"
        "plan: relkit.PromotionPlan = relkit.promote('rv.sh', 'file:///a//t', 'file:///a//r')\n"
        "mirrors: int = len(plan.mirror_copies) + len(plan.mirror_already_present)\n"
        "r: relkit.PromotionResult = relkit.promote(\n"
        "    pathlib.Path('rv.sh'), 'file:///a//t', 'file:///a//r', execute=True,\n"
        "    overwrite=True, mirror='s3://m/whl', mirror_endpoint_url='http://x',\n"
        "    journal=pathlib.Path('j.jsonl'), jobs=2,\n"
        "    progress=lambda done, total, key: print(done, total, key))\n"
        "keys: list[str] = r.copied + r.verified + r.mirrored\n"
        "fails: list[tuple[str, str]] = [(f.key, f.message) for f in r.failed]\n"
        "rows: list[dict[str, str | None]] = r.to_records()\n"
        "ok: bool = r.ok and not r.already_applied\n"
        "s = relkit.read_promotion_journal(r.journal_path)\n"
        "v: dict[str, str] = s.verified\n"
        "n: int = s.finished + s.records\n",
        encoding="utf-8",
    )
    result = run_mypy("mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(client),
                      cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
