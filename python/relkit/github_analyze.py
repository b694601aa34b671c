"""A drop-in for test-infra's ``tools/analytics/github_analyze.py``.

Same flags, same output for the release modes, relkit's exact matching
underneath (see docs/milestone-validation.md for each deliberate difference)::

    python -m relkit.github_analyze --repo-path ~/pytorch --remote upstream \\
        --branch release/2.4 --milestone-id 47 --missing-in-branch

Supported modes: ``--missing-in-branch`` and
``--analyze-missing-reverts-from-branch``. The statistics modes
(``--analyze-reverts``, ``--print-reverts``, ``--contributor-stats``,
``--analyze-stacks``, the monthly default) and ``--missing-in-release`` are
accepted but refused with exit status 2: they are not part of a release.
Offline: ``--snapshot DIR`` replays saved GitHub responses (relkit's
snapshots). The GitHub repository is looked up as ``relkit check`` does it
(``relkit.resolve_github_repo``): ``--github-repo OWNER/NAME``, else the URL
of ``--remote`` when given, else ``$GITHUB_REPOSITORY``, else the URL of
``upstream`` (if it exists, else ``origin``). The remote whose branches are
read is picked as the original picks it (``pick_remote``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from typing import Sequence

from . import _relkit

_UNSUPPORTED = (
    "analyze_reverts",
    "print_reverts",
    "contributor_stats",
    "missing_in_release",
    "analyze_stacks",
)


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Returns the parsed command line: the original's flags plus relkit's."""
    p = argparse.ArgumentParser(description="Print GitHub repo stats")
    p.add_argument("--repo-path", type=str, default=os.path.expanduser("~/git/pytorch/pytorch"))
    p.add_argument("--milestone-id", type=str)
    p.add_argument("--branch", type=str)
    p.add_argument("--minor-release", type=str)
    p.add_argument("--remote", type=str, default="")
    p.add_argument("--analyze-reverts", action="store_true")
    p.add_argument("--print-reverts", action="store_true")
    p.add_argument("--contributor-stats", action="store_true")
    p.add_argument("--missing-in-branch", action="store_true")
    p.add_argument("--missing-in-release", action="store_true")
    p.add_argument("--analyze-stacks", action="store_true")
    p.add_argument("--analyze-missing-reverts-from-branch", action="store_true")
    p.add_argument("--date", type=lambda d: datetime.datetime.strptime(d, "%Y-%m-%d"))
    p.add_argument("--issue-num", type=int)
    # relkit's additions.
    p.add_argument("--github-repo", type=str, default="",
                   help="OWNER/NAME (default: from the URL of --remote when given, else "
                        "$GITHUB_REPOSITORY, else from the URL of upstream or origin)")
    p.add_argument("--snapshot", type=str, default=None,
                   help="replay this relkit snapshot directory (offline)")
    p.add_argument("--api-url", type=str, default=None, help="GitHub API base URL")
    return p.parse_args(argv)


def _remote_urls(repo_path: str) -> dict[str, str]:
    """Returns remote name -> fetch URL as git reads them (libgit2: includes,
    ``insteadOf``); {} when `repo_path` is not a repository (the mode that
    opens it reports that)."""
    try:
        remotes = _relkit.Repository.open(repo_path).remotes()
    except _relkit.Error:
        return {}
    return {r.name: r.url for r in remotes if r.url}


def _names_pytorch(url: str) -> bool:
    """Whether `url` points at github.com's pytorch/pytorch, in any URL form
    (the original only recognised URLs ending in ``github.com/pytorch/pytorch``)."""
    if url.rstrip("/").endswith("github.com/pytorch/pytorch"):
        return True
    try:
        repo = _relkit.GitHubRepo.from_remote_url(url)
    except _relkit.Error:
        return False
    return (repo.owner.lower(), repo.name.lower()) == ("pytorch", "pytorch") and \
        _relkit.github_api_url_for_remote(url) == "https://api.github.com"


def pick_remote(repo_path: str, remote: str) -> str:
    """Returns the remote whose branches are read, as the original picks it:
    `remote`, else the first remote in ``git remote`` order (sorted by name),
    preferring one whose URL points at pytorch/pytorch; "" (local branches)
    when the repository has no remotes."""
    if remote:
        return remote
    urls = _remote_urls(repo_path)
    names = sorted(urls)
    for name in names:
        if _names_pytorch(urls[name]):
            return name
    return names[0] if names else ""


def _github_repo(args: argparse.Namespace) -> _relkit.GitHubRepo:
    """The lookup of `relkit check`: --github-repo, else the URL of --remote
    when the user gave it, else $GITHUB_REPOSITORY, else the URL of upstream
    (if it exists, else origin). The remote `pick_remote` chose for the
    branches is not passed: without --remote the resolver's default applies."""
    return _relkit.resolve_github_repo(
        args.repo_path, github_repo=args.github_repo, remote=args.remote,
        api_url=args.api_url or "").repo


def _ref(remote: str, branch: str) -> str:
    return f"{remote}/{branch}" if remote else branch


def missing_in_branch(args: argparse.Namespace, remote: str) -> str:
    """Returns the `--missing-in-branch` output."""
    repo = _github_repo(args)
    client = _relkit.GitHubClient(args.api_url, snapshot=args.snapshot)
    milestone = client.find_milestone(repo, str(args.milestone_id))
    items = client.milestone_items(repo, milestone.number)
    validation = _relkit.validate_milestone(
        args.repo_path, _ref(remote, args.branch), milestone, items, main=_ref(remote, "main"))
    return validation.analyze_lines()


def missing_reverts_from_branch(args: argparse.Namespace, remote: str) -> str:
    """Returns the `--analyze-missing-reverts-from-branch` output: one block
    per revert on main whose reverted change is in the branch."""
    repo = _relkit.Repository.open(args.repo_path)
    branch = _ref(remote, args.branch)
    audit = _relkit.audit_branch(repo, branch, main=_ref(remote, "main"))
    lines: list[str] = []
    for r in audit.reverts_needed:
        reverted = repo.commit(r.reverted_sha)
        # Commit titles are outside text: escaped, as relkit prints them.
        lines += [
            f"Reverted GitHub Commit: {r.reverted_sha}",
            f"Commit Hash: {r.revert_sha}",
            f"Title: {_relkit.text_escape(r.revert_title)}",
            f"Reverted Title: {_relkit.text_escape(reverted.title)}",
            f"🔴  WARNING: The reverted commit {r.reverted_sha} is in "
            f"{_relkit.text_escape(branch)} as "
            f"{r.present_as} ({', '.join(r.evidence)}); the revert is not.",
            "-" * 80,
        ]
    if not lines:
        lines.append(f"No reverts on main are missing from {_relkit.text_escape(branch)}.")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = parse_arguments(argv)
    try:
        remote = pick_remote(args.repo_path, args.remote)
        if args.analyze_missing_reverts_from_branch:
            if not args.branch:
                print("github_analyze: error: --branch is required", file=sys.stderr)
                return 2
            sys.stdout.write(missing_reverts_from_branch(args, remote))
            return 0
        if args.missing_in_branch:
            if not args.branch or args.milestone_id is None:
                print("github_analyze: error: --missing-in-branch needs --branch and "
                      "--milestone-id", file=sys.stderr)
                return 2
            sys.stdout.write(missing_in_branch(args, remote))
            return 0
    except _relkit.Error as e:
        print(f"github_analyze: error: {_relkit.text_escape(str(e))}", file=sys.stderr)
        return 2 if isinstance(e, (ValueError, LookupError)) else 3
    chosen = [name for name in _UNSUPPORTED if getattr(args, name)] or ["monthly stats"]
    print(f"github_analyze: error: {chosen[0].replace('_', '-')} is not supported by relkit "
          "(use --missing-in-branch or --analyze-missing-reverts-from-branch)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
