"""Fixtures for the CLI tests: they run the built `relkit` program.

The program is found through $RELKIT_CLI (test-all sets it) or at
build/default/relkit. A missing program is an error, never a skip.
"""

from __future__ import annotations

import fcntl
import json
import os
import pathlib
import pty
import select
import struct
import subprocess
import termios
import threading
import time
from typing import IO, Any, Callable, Sequence

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def relkit_path() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("RELKIT_CLI", ROOT / "build" / "default" / "relkit"))
    if not path.is_file():
        pytest.fail(f"relkit CLI not built at {path}; set RELKIT_CLI or run ./test-all")
    return path


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture()
def run(relkit_path: pathlib.Path) -> Run:
    def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(relkit_path), *args],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return _run


def run_with_tty_stderr(argv: Sequence[str], env: dict[str, str] | None = None,
                        timeout: float = 60, columns: int = 0) -> tuple[int, str, str]:
    """Runs `argv` with stderr on a pseudo-terminal (stdout on a pipe), as a
    user at a terminal who redirects the output. `columns` sets the
    terminal's width (0: a pty's default, which reports no size). Returns
    (exit status, stdout, what the terminal showed)."""
    master, slave = pty.openpty()
    if columns:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    try:
        proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=slave, env=env)
    finally:
        os.close(slave)
    assert proc.stdout is not None
    pipe: IO[bytes] = proc.stdout
    stdout: list[bytes] = []
    reader = threading.Thread(target=lambda: stdout.append(pipe.read()))
    reader.start()
    shown = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the program exited and closed the terminal
                break
            if not data:
                break
            shown += data
        else:
            proc.kill()
            pytest.fail(f"{argv[0]} did not finish in {timeout} s")
        proc.wait(timeout=timeout)
        reader.join(timeout=timeout)
    finally:
        os.close(master)
        pipe.close()
    return proc.returncode, b"".join(stdout).decode(), shown.decode()


@pytest.fixture(autouse=True)
def _private_cache_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own $XDG_CACHE_HOME: relkit's default caches (the
    audit's patch-ids, GitHub ETags) never touch the user's, and no test sees
    another's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))


def reset_demo_to_story(repo: pathlib.Path, info: dict[str, Any]) -> None:
    """Puts a kept demo repository back to the story's state before the
    cherry-pick bot's step (which merges the pick and tags the next RC):
    the state the demo's `audit`, `requested` and `readiness` describe."""
    bot = info.get("cherry_pick_bot") or {}
    if not bot.get("release_head_before"):
        return
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "update-ref", f"refs/heads/{info['release_branch']}",
                    bot["release_head_before"], bot["release_head_after"]], check=True)
    subprocess.run([*git, "tag", "-d", bot["rc_after"]], check=True, capture_output=True)
    subprocess.run([*git, "branch", "-D", bot["plan"]["branch"]], check=True,
                   capture_output=True)


def build_demo_with_snapshot(base: pathlib.Path, relkit_path: pathlib.Path) -> dict[str, Any]:
    """`relkit demo --keep` into `base`/pytorch.git plus a GitHub snapshot of
    the matching milestone and tracker in `base`/snap. Returns the paths,
    the demo's JSON (`info`), the release branch, its head and the changes
    that reach the branch."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "data" / "github"))
    from demo_snapshot import Change, write_demo_snapshot

    repo = base / "pytorch.git"
    out = subprocess.run([str(relkit_path), "demo", "--keep", str(repo), "--json"],
                         capture_output=True, text=True, check=True, timeout=120)
    info = json.loads(out.stdout)
    reset_demo_to_story(repo, info)
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", info["release_branch"]],
                          capture_output=True, text=True, check=True).stdout.strip()
    changes = [c for c in info["changes"] if c["role"] != "main-only"]
    snap = base / "snap"
    write_demo_snapshot(snap, [Change(c["pr"], c["title"], c["branch_pr"]) for c in changes],
                        head)
    return {"repo": repo, "snap": snap, "info": info, "branch": info["release_branch"],
            "head": head, "changes": changes}
