"""Building test repositories with the git CLI, for the Python and CLI tests.

A fixed identity and no user or system configuration, so that every test
repository is the same wherever the tests run.
"""

from __future__ import annotations

import os
import pathlib
import subprocess

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git(repo: pathlib.Path, *args: str) -> str:
    """Runs `git -C repo ARGS...`; returns its stripped stdout."""
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=ENV
    ).stdout.strip()


def commit(repo: pathlib.Path, path: str, content: str, message: str) -> str:
    """Writes `content` to `path`, commits it with `message`; returns the sha."""
    (repo / path).write_text(content)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def merge_bot(title: str, pr: int) -> str:
    """A commit message as PyTorch's merge bot writes it."""
    return f"{title} (#{pr})\n\nPull Request resolved: https://github.com/pytorch/pytorch/pull/{pr}\n"
