#!/usr/bin/env python3
"""Generates a synthetic PyTorch-like repository for the branch-audit benchmark.

A bench tool, not part of relkit: it drives `git fast-import` (the git CLI is
fine here; the library itself never runs git). The repository (bare) holds:

  main          MAIN commits (default 100,000), merge-bot style: "Title (#N)",
                "Pull Request resolved: https://github.com/pytorch/pytorch/pull/N",
                "Approved by: ..."; each changes one file of FILES (default 5,000,
                in 50 directories); every 400th commit after the cut is a revert
                ("Revert ...", "This reverts commit <sha>.") of a recent commit;
  release/2.4   RELEASE commits (default 1,000) on top of the cut, which is
  orig/release/2.4  main's commit CUT (default MAIN - 10,000):
                  70% cherry-picks with -x trailer (same patch-id as on main),
                  10% picks without trailer, squashed "Title (#main) (#pick)",
                  10% picks whose conflict resolution changed the patch
                      ("[release/2.4] ... (#main) (#pick)"),
                  10% release-only commits;
                picks take the first change of a file after the cut, so a
                faithful pick has exactly main's patch-id.

Deterministic for a given --seed. Prints a JSON summary (what was planted) on
stdout and writes it next to the repository as <repo>.plan.json.

    python3 bench/make_synthetic_repo.py /tmp/synth.git [--main 100000] [--release 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import time
from typing import IO

TITLE_WORDS = (
    "inductor dynamo aten autograd cuda mps distributed fsdp onnx export quantization "
    "sparse nested jit functorch profiler dataloader optim compile triton cudagraphs"
).split()
VERBS = "Fix Add Remove Refactor Support Handle Speed up Enable Disable Skip Guard".split()
OBJECTS = (
    "recompilation shape-guard dtype-promotion memory-leak stride-check "
    "deadlock overflow layout-propagation error-message fallback kernel"
).split()

PR_BASE = 100_000
PICK_PR_BASE = 900_000
EPOCH = 1_700_000_000


def title_for(i: int, rng: random.Random) -> str:
    return (
        f"[{rng.choice(TITLE_WORDS)}] {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"in {rng.choice(TITLE_WORDS)} path {i}"
    )


def file_path(f: int) -> str:
    return f"torch/m{f % 50:02d}/file_{f:05d}.py"


def content(f: int, version: int) -> bytes:
    return (
        f'"""Module {f} (synthetic)."""\n\nimport torch\n\n\n'
        f"def op_{f}(x):\n    return x * {version}\n\n\n"
        f"VERSION = {version}\n"
    ).encode()


class Writer:
    def __init__(self, out: IO[bytes], answers: IO[bytes]) -> None:
        self.out = out
        self.answers = answers
        self.mark = 0
        self.clock = EPOCH

    def sha(self, mark: int) -> str:
        """Returns the sha of a commit already written (fast-import get-mark)."""
        self.out.write(b"get-mark :%d\n" % mark)
        self.out.flush()
        line = self.answers.readline().decode().strip()
        if len(line) != 40:
            raise RuntimeError(f"get-mark :{mark} answered {line!r}")
        return line

    def data(self, payload: bytes) -> None:
        self.out.write(b"data %d\n" % len(payload))
        self.out.write(payload)
        self.out.write(b"\n")

    def commit(
        self,
        ref: str,
        message: str,
        files: list[tuple[str, bytes]],
        parent: int | None,
        author: str,
        committer: str,
        root_files: bool = False,
    ) -> int:
        self.mark += 1
        self.clock += 60
        w = self.out.write
        w(f"commit {ref}\nmark :{self.mark}\n".encode())
        w(f"author {author} {self.clock} +0000\n".encode())
        w(f"committer {committer} {self.clock} +0000\n".encode())
        self.data(message.encode())
        if parent is not None:
            w(f"from :{parent}\n".encode())
        for path, blob in files:
            w(f"M 100644 inline {path}\n".encode())
            self.data(blob)
        w(b"\n")
        return self.mark


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo", type=pathlib.Path)
    ap.add_argument("--main", type=int, default=100_000, help="commits on main")
    ap.add_argument("--release", type=int, default=1_000, help="commits on the release branch")
    ap.add_argument("--cut", type=int, default=None, help="main commit index of the cut (default: MAIN - 10000)")
    ap.add_argument("--files", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    cut = args.cut if args.cut is not None else max(1, args.main - 10_000)
    if not 0 < cut < args.main:
        ap.error("--cut must be between 1 and --main - 1")
    if args.repo.exists():
        ap.error(f"{args.repo} exists")

    rng = random.Random(args.seed)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(args.repo)], check=True)
    start = time.perf_counter()
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["git", "-C", str(args.repo), "fast-import", "--quiet", f"--cat-blob-fd={write_fd}"],
        stdin=subprocess.PIPE,
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    assert proc.stdin is not None
    w = Writer(proc.stdin, os.fdopen(read_fd, "rb"))
    w.out.write(b"feature get-mark\n")
    bot = "PyTorch MergeBot <pytorchmergebot@users.noreply.github.com>"
    devs = [f"Dev {k} <dev{k}@example.com>" for k in range(40)]

    # main: a root commit with every file, then one change per commit.
    version = [0] * args.files
    head = w.commit(
        "refs/heads/main",
        "Initial commit\n",
        [(file_path(f), content(f, 0)) for f in range(args.files)],
        None,
        devs[0],
        devs[0],
    )
    main_marks = [head]  # index i -> mark of main commit i (0 = root)
    main_title: dict[int, str] = {}
    main_file: dict[int, int] = {}
    first_after_cut: list[int] = []  # main indices that first touch a file after the cut
    touched_after_cut: set[int] = set()
    cut_mark = head
    reverts = 0
    for i in range(1, args.main):
        pr = PR_BASE + i
        f = rng.randrange(args.files)
        version[f] = i
        if i > cut and (i - cut) % 400 == 0:
            # A revert of a recent main commit (by message; content moves on).
            target = rng.randrange(max(cut + 1, i - 300), i)
            ttitle = main_title[target]
            msg = (
                f'Revert "{ttitle} (#{PR_BASE + target})"\n\n'
                f"This reverts commit {w.sha(main_marks[target])}.\n\n"
                f"Reverted https://github.com/pytorch/pytorch/pull/{PR_BASE + target} "
                f"on behalf of https://github.com/dev{target % 40} due to breaks trunk\n"
            )
            reverts += 1
            main_title[i], main_file[i] = f"Revert {ttitle}", f
        else:
            title = title_for(i, rng)
            msg = (
                f"{title} (#{pr})\n\nSummary of change {i}.\n\n"
                f"Pull Request resolved: https://github.com/pytorch/pytorch/pull/{pr}\n"
                f"Approved by: https://github.com/dev{(i * 7) % 40}\n"
            )
            main_title[i], main_file[i] = title, f
            if i > cut and f not in touched_after_cut:
                first_after_cut.append(i)
        if i > cut:
            touched_after_cut.add(f)
        head = w.commit("refs/heads/main", msg, [(file_path(f), content(f, i))], head, devs[i % 40], bot)
        main_marks.append(head)
        if i == cut:
            cut_mark = head

    # The release branch on top of the cut.
    picks = list(first_after_cut)
    rng.shuffle(picks)
    plan: dict[str, list[int]] = {"picked_x": [], "picked_no_trailer": [], "conflicted": []}
    release_only = 0
    rel = cut_mark
    for j in range(args.release):
        kind = rng.random()
        pick_pr = PICK_PR_BASE + j
        if kind < 0.9 and picks:
            i = picks.pop()
            f = main_file[i]
            title = main_title[i]
            body = (
                f"Summary of change {i}.\n\n"
                f"Pull Request resolved: https://github.com/pytorch/pytorch/pull/{PR_BASE + i}\n"
                f"Approved by: https://github.com/dev{(i * 7) % 40}\n"
            )
            if kind < 0.7:
                msg = f"{title} (#{PR_BASE + i}) (#{pick_pr})\n\n{body}\n(cherry picked from commit {w.sha(main_marks[i])})\n"
                blob = content(f, i)
                plan["picked_x"].append(i)
            elif kind < 0.8:
                msg = f"{title} (#{PR_BASE + i}) (#{pick_pr})\n\n{body}"
                blob = content(f, i)
                plan["picked_no_trailer"].append(i)
            else:
                msg = (
                    f"[release/2.4] Backport change {i} (#{PR_BASE + i}) (#{pick_pr})\n\n"
                    "Conflict resolved by hand.\n"
                )
                blob = content(f, i) + b"# resolved on release/2.4\n"
                plan["conflicted"].append(i)
            files = [(file_path(f), blob)]
        else:
            release_only += 1
            msg = f"[RELEASE-ONLY CHANGES] Release notes update {j} (#{pick_pr})\n"
            files = [(f"release/notes_{j % 20:02d}.md", f"notes {j} {release_only}\n".encode())]
        rel = w.commit("refs/heads/release/2.4", msg, files, rel, devs[j % 40], "GitHub <noreply@github.com>")
    w.out.write(f"reset refs/heads/orig/release/2.4\nfrom :{cut_mark}\n\n".encode())
    w.out.write(f"reset refs/heads/viable/strict\nfrom :{cut_mark}\n\n".encode())
    proc.stdin.close()
    if proc.wait() != 0:
        print("git fast-import failed", file=sys.stderr)
        return 1

    seconds = time.perf_counter() - start
    summary = {
        "repository": str(args.repo),
        "main_commits": args.main,
        "release_commits": args.release,
        "cut_index": cut,
        "main_commits_since_cut": args.main - 1 - cut,
        "files": args.files,
        "seed": args.seed,
        "reverts_on_main_since_cut": reverts,
        "picked_with_trailer": len(plan["picked_x"]),
        "picked_without_trailer": len(plan["picked_no_trailer"]),
        "conflicted_picks": len(plan["conflicted"]),
        "release_only": release_only,
        "seconds": round(seconds, 1),
    }
    pathlib.Path(f"{args.repo}.plan.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
