"""`relkit matrix ...` and `relkit schedule` as a user types them. Expected
values come from the RELEASE.md tables (tests/data/release_md_seed.md and
tests/data/release_md_tables.md)."""

from __future__ import annotations

import json
import pathlib

from conftest import Run

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def test_matrix_show_one_release_as_text(run: Run) -> None:
    r = run("matrix", "show", "2.4")
    assert r.returncode == 0, r.stderr
    assert "PyTorch 2.4" in r.stdout
    assert ">=3.8, <=3.12" in r.stdout
    assert "11.8 (cuDNN 9.1.0.70), 12.1 (cuDNN 9.1.0.70)" in r.stdout
    assert "Experimental CUDA: 12.4" in r.stdout
    assert "Stable ROCm:       6.1" in r.stdout


def test_matrix_show_json_is_the_matrix_schema(run: Run) -> None:
    r = run("matrix", "show", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    releases = [row["release"] for row in doc["releases"]]
    assert releases[0] == "2.14" and releases[-1] == "1.12"
    assert len(releases) == 17
    r214 = doc["releases"][0]
    assert r214["cxx"] == "C++20"
    assert r214["stable_cuda"][0] == {
        "version": "12.6",
        "cudnn": "9.10.2.21",
        "nccl": "2.29.3",
        "full_version": "12.6.3",
        "arches_x86_64": ["5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0"],
        "arches_aarch64": ["8.0", "9.0"],
    }


def test_matrix_show_markdown_seed_layout_reproduces_the_seed_table(run: Run) -> None:
    seed_lines = (DATA / "release_md_seed.md").read_text().splitlines()[1:10]
    r = run("matrix", "import", str(DATA / "release_md_seed.md"), "--markdown",
            "--layout", "seed")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == seed_lines


def test_matrix_import_json_feeds_show_matrix(run: Run, tmp_path: pathlib.Path) -> None:
    r = run("matrix", "import", str(DATA / "release_md_seed.md"))
    assert r.returncode == 0, r.stderr
    path = tmp_path / "matrix.json"
    path.write_text(r.stdout)
    shown = run("matrix", "show", "--matrix", str(path), "--json")
    assert shown.returncode == 0, shown.stderr
    releases = [row["release"] for row in json.loads(shown.stdout)["releases"]]
    assert releases == ["2.4", "2.3", "2.2", "2.1", "2.0", "1.13", "1.12"]
    assert run("matrix", "show", "2.5", "--matrix", str(path)).returncode == 2


def test_matrix_diff_text_and_json(run: Run) -> None:
    r = run("matrix", "diff", "2.3", "2.4")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        "2.4 adds Python 3.12, CUDA 12.1, CUDA 12.4 experimental, ROCm 6.1; drops ROCm 6.0"
    )
    j = json.loads(run("matrix", "diff", "2.4", "2.5", "--json").stdout)
    assert {"kind": "python", "name": "Python 3.8", "before": "stable",
            "after": "unsupported"} in j["changes"]
    assert {"kind": "python", "name": "Python 3.13", "before": "unsupported",
            "after": "experimental"} in j["changes"]


def test_matrix_unknown_release_is_one_line_error(run: Run) -> None:
    r = run("matrix", "diff", "2.4", "3.0")
    assert r.returncode == 2
    assert r.stderr.startswith("relkit: error:") and "3.0" in r.stderr
    assert r.stderr.count("\n") == 1


def test_matrix_import_malformed_table_names_file_and_line(
    run: Run, tmp_path: pathlib.Path
) -> None:
    bad = tmp_path / "RELEASE.md"
    bad.write_text(
        "# Release\n\n"
        "| PyTorch version | Python | C++ | Stable CUDA | Experimental CUDA | Stable ROCm |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 2.4 | >=3.8 | C++17 | CUDA 11.8 | ROCm 6.1 |\n"
    )
    r = run("matrix", "import", str(bad))
    assert r.returncode == 2
    assert f"{bad}:5: expected 6 cells, got 5" in r.stderr
    missing = run("matrix", "import", str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and "nope.md" in missing.stderr


def test_schedule_on_a_date_shows_phases_next_events_and_landing(run: Run) -> None:
    r = run("schedule", "--on", "2026-08-20")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    row = next(line for line in lines if line.startswith("2.14 "))
    assert "10 Aug 2026" in row and "2 Sept 2026" in row and row.endswith("branch cut")
    assert next(line for line in lines if line.startswith("2.12 ")).endswith("out of support")
    assert "  2 Sept 2026  2.14 release" in lines
    assert lines[-1].endswith("lands in: 2.15")


def test_schedule_json(run: Run) -> None:
    r = run("schedule", "--on", "2026-07-20", "--json", "--next", "2")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    phases = {row["minor"]: row["phase"] for row in doc["releases"]}
    assert phases["2.13"] == "patch window"  # (Aug 2026) patch ahead
    assert phases["2.14"] == "in development"
    assert [e["title"] for e in doc["next_events"]] == ["2.13.1 patch release", "2.14 branch cut"]
    assert doc["next_events"][0]["tentative"] is True
    assert doc["work_lands_in"] == "2.14"


def test_schedule_ics_is_a_crlf_calendar(run: Run, relkit_path: pathlib.Path) -> None:
    import subprocess

    raw = subprocess.run([str(relkit_path), "schedule", "--ics"], capture_output=True,
                         check=True).stdout
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode().replace("\r\n ", "")
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == 46
    assert "SUMMARY:PyTorch 2.16 release\r\n" in text


def test_schedule_bad_date_is_a_usage_error(run: Run) -> None:
    r = run("schedule", "--on", "20 Aug 2026")
    assert r.returncode == 2
    assert "YYYY-MM-DD" in r.stderr and r.stderr.count("\n") == 1


def test_matrix_propose_follows_the_policy(run: Run) -> None:
    r = run("matrix", "propose", "2.5", "--on", "2024-10-17", "--cuda", "11.8", "12.1", "12.4",
            "--json")
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)["releases"][0]
    # 3.8 reached end of life on 2024-10-07; 3.13 came out on 2024-10-07.
    assert row["python"] == ">=3.9, <=3.12"
    assert row["experimental_python"] == ["3.13", "3.13t"]
    assert [c["version"] for c in row["stable_cuda"]] == ["12.1", "12.4"]
    text = run("matrix", "propose", "2.3", "--on", "2024-04-24").stdout
    assert "macOS arm64" in text and "macOS x86_64" not in text


def test_matrix_check_exit_codes(run: Run) -> None:
    ok = run("matrix", "check", "2.4", "--on", "2024-07-24")
    assert ok.returncode == 0 and "follows the support policy" in ok.stdout
    bad = run("matrix", "check", "2.3", "--on", "2024-04-24", "--json")
    assert bad.returncode == 1
    assert [(d["kind"], d["subject"]) for d in json.loads(bad.stdout)] == [
        ("experimental python", "Python 3.12")]
    cuda = run("matrix", "check", "2.9", "--on", "2025-11-01", "--cuda", "12.6", "12.8",
               "12.9", "13.0")
    assert cuda.returncode == 1 and "CUDA 12.9" in cuda.stdout
    usage = run("matrix", "check", "2.9", "--cuda", "twelve")
    assert usage.returncode == 2 and "twelve" in usage.stderr
