#!/usr/bin/env python3
"""Checks that relkit's includes point down the layers (docs/architecture.md).

The layers, lowest first:

    internal   src/internal/          private helpers: JSON, files, HTML, Markdown
    values     src/values/            pure values and their parsers
    adapters   src/adapters/          git (libgit2), HTTP (libcurl), GitHub
    workflows  src/workflows/         plan-then-apply jobs
    rendering  src/rendering/         text / JSON / HTML of every report
    demo       src/demo/              the demo story (not in librelkit)
    faces      src/cli/, python/      the CLI and the Python bindings

A file may include headers of its own layer and of the layers beneath it.
A public header (include/relkit/X.h) belongs to the layer of its source file
(src/<layer>/.../X.cc); a header-only one is listed in HEADER_ONLY. Public
headers include only public headers, abseil and the standard library; the
faces include only public headers, the demo's and their own; libgit2 is
reached from src/adapters/git/ only and libcurl from src/adapters/http/ only.
The third-party rule follows private headers: including
src/adapters/git/git_raii.h from a workflow is including <git2.h>. Includes are checked whether written with "" or <>; a quoted include
that names no file relkit knows (a relative path) is an error too.

Usage: check_layers.py [--root DIR]. Prints one line per violation
("FILE:LINE: ...") and exits 1 when there is any, 0 otherwise.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

LAYERS = ["internal", "values", "adapters", "workflows", "rendering", "demo",
          "faces"]
RANK = {name: i for i, name in enumerate(LAYERS)}

# Public headers without a source file of their own.
HEADER_ONLY = {"status.h": "internal"}

# Where private headers and sources live, by path prefix (first match wins).
FOLDERS = [
    ("src/internal/", "internal"),
    ("src/values/", "values"),
    ("src/adapters/", "adapters"),
    ("src/workflows/", "workflows"),
    ("src/rendering/", "rendering"),
    ("src/demo/", "demo"),
    ("src/cli/", "faces"),
    ("python/bindings/", "faces"),
]

# Third-party headers only some folders may include.
RESTRICTED = [
    (re.compile(r"^git2(\.h|/)"), ("src/adapters/git/",), "libgit2"),
    (re.compile(r"^curl/"), ("src/adapters/http/",), "libcurl"),
    (re.compile(r"^zip\.h$|^zipconf"), ("src/adapters/wheel/",), "libzip"),
    (re.compile(r"^sodium(\.h|/)"), ("src/adapters/http/",), "libsodium"),
    (re.compile(r"^rapidjson/"),
     ("src/internal/", "src/values/", "src/adapters/", "src/workflows/",
      "src/rendering/", "src/demo/"), "RapidJSON"),
    (re.compile(r"^expat(_external)?\.h$"), ("src/values/",), "expat"),
    (re.compile(r"^openssl/"), ("src/adapters/",), "OpenSSL"),
    (re.compile(r"^(pybind11/|Python\.h)"), ("python/bindings/",), "pybind11"),
    (re.compile(r"^CLI/"), ("src/cli/",), "CLI11"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


class Tree:
    """The files of one checkout and the layer of each header."""

    def __init__(self, root: pathlib.Path):
        self.root = root
        self.public: dict[str, str] = {}  # "relkit/x.h" -> layer
        self.problems: list[str] = []
        sources: dict[str, list[str]] = {}
        for cc in sorted(root.glob("src/**/*.cc")):
            layer = self.folder_layer(self.rel(cc))
            if layer is not None:
                sources.setdefault(cc.stem, []).append(layer)
        for h in sorted((root / "include" / "relkit").glob("*.h")):
            name = f"relkit/{h.name}"
            if h.name in HEADER_ONLY:
                self.public[name] = HEADER_ONLY[h.name]
                continue
            layers = sources.get(h.stem, [])
            if len(layers) != 1:
                self.problems.append(
                    f"{self.rel(h)}: cannot tell its layer: "
                    f"{len(layers)} sources named {h.stem}.cc under src/ "
                    "(add one, or list the header in HEADER_ONLY in "
                    "tools/check_layers.py)")
                continue
            self.public[name] = layers[0]

    def rel(self, path: pathlib.Path) -> str:
        return path.relative_to(self.root).as_posix()

    @staticmethod
    def folder_layer(rel: str) -> str | None:
        for prefix, layer in FOLDERS:
            if rel.startswith(prefix):
                return layer
        return None

    def layer_of_include(self, target: str) -> tuple[str | None, bool]:
        """Returns (layer, is_public) of an include of relkit's, or (None,
        False) when it names none."""
        if target in self.public:
            return self.public[target], True
        if target.startswith("relkit/"):
            return None, True  # a public header that does not exist
        return self.folder_layer(f"src/{target}"), False

    def third_party_through(self, target: str,
                            seen: set[str] | None = None) -> set[str]:
        """Returns the third-party headers that including the private header
        `target` (a path under src/) brings in, directly or through other
        private headers."""
        seen = set() if seen is None else seen
        if target in seen:
            return set()
        seen.add(target)
        path = self.root / "src" / target
        if not path.is_file():
            return set()
        out = set()
        for line in path.read_text(encoding="utf-8",
                                   errors="replace").splitlines():
            m = INCLUDE.match(line)
            if not m:
                continue
            inner = m.group(2)
            if pattern_any(inner):
                out.add(inner)
            elif self.folder_layer(f"src/{inner}") is not None:
                out |= self.third_party_through(inner, seen)
        return out

    @staticmethod
    def own_file(path: pathlib.Path, target: str) -> bool:
        """Whether `target` names a file next to `path` (a face's own
        header: "bindings.h", "cli/cli.h" from src/cli/)."""
        return ((path.parent / target).is_file() or
                (path.parent.parent / target).is_file()) and ".." not in target

    def files(self):
        for pattern in ("include/relkit/*.h", "src/**/*.h", "src/**/*.cc",
                        "python/bindings/*.h", "python/bindings/*.cc"):
            yield from sorted(self.root.glob(pattern))

    def check(self) -> list[str]:
        out = list(self.problems)
        for path in self.files():
            out.extend(self.check_file(path))
        return out

    def check_file(self, path: pathlib.Path) -> list[str]:
        rel = self.rel(path)
        public_header = rel.startswith("include/relkit/")
        layer = (self.public.get(f"relkit/{path.name}") if public_header
                 else self.folder_layer(rel))
        if layer is None:
            return []
        out = []
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quoted, target = m.group(1) == '"', m.group(2)
            where = f"{rel}:{number}"
            for pattern, allowed, what in RESTRICTED:
                if pattern.match(target) and (
                        public_header or not rel.startswith(allowed)):
                    out.append(f"{where}: includes {what} ({target}); only "
                               f"{', '.join(allowed)} may")
            if target.startswith("absl/") or pattern_any(target):
                continue
            target_layer, is_public = self.layer_of_include(target)
            if target_layer is None:
                if is_public:
                    out.append(f"{where}: includes {target}, which is not a "
                               "public header")
                elif quoted and not self.own_file(path, target):
                    out.append(f"{where}: includes {target}, which names no "
                               "header of relkit's (include public headers as "
                               "\"relkit/x.h\", private ones from src/)")
                continue
            if public_header and not is_public:
                out.append(f"{where}: a public header includes the private "
                           f"header {target}")
            elif layer == "faces" and not is_public and target_layer != "demo" \
                    and not target.startswith(("cli/", "bindings/")):
                out.append(f"{where}: a face includes the private header "
                           f"{target} ({target_layer}); use a public header")
            elif RANK[target_layer] > RANK[layer]:
                out.append(f"{where}: {layer} file includes {target}, which "
                           f"belongs to the {target_layer} layer above it")
            if not is_public:
                for third in sorted(self.third_party_through(target)):
                    for pattern, allowed, what in RESTRICTED:
                        if pattern.match(third) and not rel.startswith(allowed):
                            out.append(f"{where}: includes {what} ({third}) "
                                       f"through {target}; only "
                                       f"{', '.join(allowed)} may")
        return out


def pattern_any(target: str) -> bool:
    return any(p.match(target) for p, _, _ in RESTRICTED)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent,
                        help="the checkout to check (default: this one)")
    args = parser.parse_args(argv)
    problems = Tree(args.root.resolve()).check()
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) break the layering "
              "(docs/architecture.md)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
