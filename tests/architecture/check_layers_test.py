"""Tests of tools/check_layers.py: the real tree passes, and a planted
wrong-way include of each kind makes it fail, naming the file and line."""

import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check_layers.py"


def run(root: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECKER), "--root", str(root)],
                          capture_output=True, text=True, check=False)


class CheckLayersTest(unittest.TestCase):

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="relkit-layers-"))
        for part in ("include", "src", "python/bindings"):
            shutil.copytree(ROOT / part, self.tmp / part)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def plant(self, rel: str, line: str) -> int:
        """Puts `line` before the first #include of `rel`; returns its line
        number."""
        path = self.tmp / rel
        text = path.read_text()
        first = text.index("\n#include") + 1 if not text.startswith(
            "#include") else 0
        path.write_text(text[:first] + line + "\n" + text[first:])
        return text[:first].count("\n") + 1

    def assertFails(self, expected: str) -> None:
        result = run(self.tmp)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(expected, result.stdout)

    def test_the_tree_as_committed_passes(self):
        result = run(ROOT)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")

    def test_the_copy_passes_before_anything_is_planted(self):
        self.assertEqual(run(self.tmp).returncode, 0)

    def test_a_value_including_an_adapter_fails(self):
        self.plant("src/values/version.cc", '#include "relkit/git.h"')
        self.assertFails("src/values/version.cc:1: values file includes "
                         "relkit/git.h, which belongs to the adapters layer")

    def test_a_value_header_including_a_workflow_fails(self):
        n = self.plant("include/relkit/cherry_pick.h",
                       '#include "relkit/readiness.h"')
        self.assertFails(f"include/relkit/cherry_pick.h:{n}: values file "
                         "includes relkit/readiness.h, which belongs to the "
                         "workflows layer")

    def test_an_adapter_including_a_workflow_fails(self):
        self.plant("src/adapters/github/github.cc",
                   '#include "relkit/github_repo_lookup.h"')
        self.assertFails("src/adapters/github/github.cc:1: adapters file "
                         "includes relkit/github_repo_lookup.h, which belongs "
                         "to the workflows layer")

    def test_the_library_including_the_demo_fails(self):
        self.plant("src/workflows/readiness.cc", '#include "demo/demo.h"')
        self.assertFails("workflows file includes demo/demo.h")

    def test_a_private_header_in_a_public_one_fails(self):
        n = self.plant("include/relkit/version.h",
                       '#include "internal/json.h"')
        self.assertFails(f"include/relkit/version.h:{n}: a public header "
                         "includes the private header internal/json.h")

    def test_a_face_reaching_into_internal_fails(self):
        n = self.plant("python/bindings/bindings.h",
                       '#include "internal/json.h"')
        self.assertFails(f"python/bindings/bindings.h:{n}: a face includes "
                         "the private header internal/json.h")

    def test_libgit2_outside_the_git_adapter_fails(self):
        self.plant("src/workflows/branch_audit.cc", "#include <git2.h>")
        self.assertFails("src/workflows/branch_audit.cc:1: includes libgit2")

    def test_libcurl_in_a_value_fails(self):
        self.plant("src/values/wheel_index.cc", "#include <curl/curl.h>")
        self.assertFails("src/values/wheel_index.cc:1: includes libcurl")

    def test_angle_brackets_do_not_hide_a_wrong_way_include(self):
        self.plant("src/values/version.cc", "#include <relkit/readiness.h>")
        self.assertFails("src/values/version.cc:1: values file includes "
                         "relkit/readiness.h, which belongs to the workflows")

    def test_angle_brackets_do_not_hide_a_private_header_in_a_face(self):
        n = self.plant("src/cli/main.cc", "#include <internal/json.h>")
        self.assertFails(f"src/cli/main.cc:{n}: a face includes the private "
                         "header internal/json.h")

    def test_a_relative_include_fails(self):
        self.plant("src/values/wheel.cc", '#include "../workflows/x.h"')
        self.assertFails("src/values/wheel.cc:1: includes ../workflows/x.h, "
                         "which names no header of relkit's")

    def test_libgit2_through_an_adapters_private_header_fails(self):
        self.plant("src/workflows/pins.cc", '#include "adapters/git/git_raii.h"')
        self.assertFails("src/workflows/pins.cc:1: includes libgit2 (git2.h) "
                         "through adapters/git/git_raii.h")

    def test_a_public_header_without_a_source_fails(self):
        (self.tmp / "include/relkit/orphan.h").write_text("// nothing\n")
        self.assertFails("include/relkit/orphan.h: cannot tell its layer")


if __name__ == "__main__":
    unittest.main()
