"""relkit.text_escape: the terminal escaper the CLI and the text reports use."""

from __future__ import annotations

import pathlib

import pytest

import relkit
from relkit import github_analyze


def test_escapes_controls_bidi_and_keeps_text() -> None:
    assert relkit.text_escape("ok\nREADY: 6/6 criteria passed\x1b[8m") == \
        r"ok\nREADY: 6/6 criteria passed\x1b[8m"
    assert relkit.text_escape("abc\u202efed\u009b") == r"abc\u202efed\u009b"
    assert relkit.text_escape("café C:\\tmp") == "café C:\\tmp"
    assert relkit.text_escape("a\nb\r", keep_newlines=True) == "a\nb\\r"


def test_reports_to_text_escape_outside_text(tmp_path: pathlib.Path) -> None:
    d = relkit.build_demo_repository(str(tmp_path / "demo.git"))
    audit = relkit.audit_branch(relkit.Repository.open(d.path), d.release_branch)
    assert "\x1b" not in audit.to_text()
    assert audit.to_text().count("\n") >= len(audit.commits)


def test_github_analyze_escapes_its_error_messages(
        tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = relkit.build_demo_repository(str(tmp_path / "demo.git"))
    rc = github_analyze.main(["--repo-path", d.path, "--branch", "release/9\x1b[8m\nREADY",
                              "--analyze-missing-reverts-from-branch"])
    assert rc != 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("\n") == 1
    assert "\\x1b[8m\\nREADY" in err
