"""`relkit --help/--version` and `relkit version ...` as a user types them."""

from __future__ import annotations

import json

from conftest import Run


def test_help_lists_commands_and_exit_codes(run: Run) -> None:
    r = run("--help")
    assert r.returncode == 0
    assert "version" in r.stdout and "demo" in r.stdout
    assert "Exit status" in r.stdout


def test_version_flag_prints_the_project_version(run: Run) -> None:
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.strip().startswith("relkit 0.")


def test_no_command_is_a_usage_error(run: Run) -> None:
    r = run()
    assert r.returncode == 2
    assert r.stderr.startswith("relkit: error:")
    assert r.stderr.count("\n") == 1


def test_unknown_option_is_a_usage_error_on_one_line(run: Run) -> None:
    r = run("version", "sort", "--no-such-flag", "1.0")
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1


def test_normalize_prints_the_normal_form(run: Run) -> None:
    r = run("version", "normalize", "2.4.0-RC1", "v1.0-1", "1.0.0-DEV")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["2.4.0rc1", "1.0.post1", "1.0.0.dev0"]


def test_normalize_reads_stdin_when_no_arguments(run: Run) -> None:
    r = run("version", "normalize", stdin="2.4.0-RC1\n\n  1.0a  \n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["2.4.0rc1", "1.0a0"]


def test_invalid_version_names_input_and_position_and_exits_2(run: Run) -> None:
    r = run("version", "normalize", "1.0", "1.0+foo&asd")
    assert r.returncode == 2
    assert r.stdout.split() == ["1.0"]
    assert "1.0+foo&asd" in r.stderr and "position" in r.stderr
    assert r.stderr.startswith("relkit: error:")


def test_parse_json_gives_every_component(run: Run) -> None:
    r = run("version", "parse", "--json", "1!2.4.0rc1.post2.dev3+cu121")
    assert r.returncode == 0, r.stderr
    [v] = json.loads(r.stdout)
    assert v["normalized"] == "1!2.4.0rc1.post2.dev3+cu121"
    assert v["epoch"] == 1
    assert v["release"] == [2, 4, 0]
    assert v["pre"] == ["rc", 1]
    assert (v["post"], v["dev"], v["local"]) == (2, 3, "cu121")
    assert v["public"] == "1!2.4.0rc1.post2.dev3"
    assert v["base_version"] == "1!2.4.0"
    assert v["is_prerelease"] and v["is_postrelease"] and v["is_devrelease"]


def test_compare_uses_pep440_order_not_string_order(run: Run) -> None:
    assert run("version", "compare", "2.10.0", "2.9.1").stdout.strip() == "2.10.0 > 2.9.1"
    assert run("version", "compare", "1.0", "1.0.0").stdout.strip() == "1.0 == 1.0.0"
    r = run("version", "compare", "--json", "2.4.0rc1", "2.4.0")
    assert json.loads(r.stdout) == {
        "left": "2.4.0rc1", "right": "2.4.0", "operator": "<", "result": -1}


def test_sort_orders_dev_pre_final_post(run: Run) -> None:
    r = run("version", "sort", "2.4.0.post1", "2.10.0", "2.4.0", "2.4.0rc1", "2.4.0.dev20240501")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["2.4.0.dev20240501", "2.4.0rc1", "2.4.0", "2.4.0.post1", "2.10.0"]
    r = run("version", "sort", "--reverse", "--json", "1.0", "1.1")
    assert json.loads(r.stdout) == ["1.1", "1.0"]


def test_sort_rejects_or_skips_invalid_input(run: Run) -> None:
    r = run("version", "sort", "1.0", "not-a-version")
    assert r.returncode == 2
    assert "not-a-version" in r.stderr
    r = run("version", "sort", "--skip-invalid", "1.1", "not-a-version", "1.0")
    assert r.returncode == 0
    assert r.stdout.split() == ["1.0", "1.1"]


def test_satisfies_exits_1_when_a_version_is_outside_the_set(run: Run) -> None:
    r = run("version", "satisfies", ">=3.8,<=3.12", "3.8", "3.12")
    assert r.returncode == 0, r.stderr
    r = run("version", "satisfies", "--json", ">=3.8,<=3.12", "3.12", "3.13")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert [(x["version"], x["satisfies"]) for x in doc["results"]] == [
        ("3.12", True), ("3.13", False)]
    assert doc["all_satisfy"] is False


def test_satisfies_filter_applies_the_prerelease_rule(run: Run) -> None:
    # pip's rule: pre-releases only when no final release matches.
    r = run("version", "satisfies", "--filter", ">=2.4", "2.4.0rc1", "2.4.0", "2.5.0.dev1")
    assert r.stdout.split() == ["2.4.0"]
    r = run("version", "satisfies", "--filter", ">=2.3", "2.4.0rc1", "2.5.0.dev1")
    assert r.stdout.split() == ["2.4.0rc1", "2.5.0.dev1"]
    r = run("version", "satisfies", "--filter", "--prereleases", ">=2.3", "2.4.0rc1", "2.4.0")
    assert r.stdout.split() == ["2.4.0rc1", "2.4.0"]


def test_satisfies_rejects_a_bad_specifier_with_its_position(run: Run) -> None:
    r = run("version", "satisfies", "=>2.0", "2.0")
    assert r.returncode == 2
    assert "=>2.0" in r.stderr and "position" in r.stderr


def test_demo_versions_runs_offline_and_shows_the_model(run: Run) -> None:
    r = run("demo", "--versions")
    assert r.returncode == 0, r.stderr
    assert "v2.4.0-rc4" in r.stdout
    r = run("demo", "--versions", "--json")
    doc = json.loads(r.stdout)
    assert doc["next_rc_tag"] == "v2.4.0-rc4"
    assert doc["final_tag"] == "v2.4.0"
    assert doc["release_branch"] == "release/2.4"
    assert doc["pep440_sorted"][-1] == "2.10.0"
    assert doc["string_sorted"][-1] == "2.9.1"
    assert doc["rocm_order"] == ["rocm6.1", "rocm7.2", "rocm7.14"]
    assert doc["python_support"]["2.4"] == {"3.7": False, "3.8": True, "3.12": True, "3.13": False}
    assert doc["main_version_after_cut"] == "2.6.0a0"
