"""The batch version APIs: one C++ call per list, GIL released."""

from __future__ import annotations

import threading

import pytest

import relkit
from relkit import InvalidVersion, Version


class TestParseVersions:
    def test_returns_versions_in_input_order(self) -> None:
        got = relkit.parse_versions(["2.0", "1.0rc1", "v3"])
        assert got == [Version("2.0"), Version("1.0rc1"), Version("3")]
        assert all(type(v) is Version for v in got)

    def test_empty(self) -> None:
        assert relkit.parse_versions([]) == []

    def test_accepts_any_iterable(self) -> None:
        assert relkit.parse_versions(v for v in ("1", "2")) == [Version("1"), Version("2")]
        assert relkit.parse_versions(("1",)) == [Version("1")]

    def test_invalid_item_raises_invalid_version_naming_it(self) -> None:
        with pytest.raises(InvalidVersion, match="nope"):
            relkit.parse_versions(["1.0", "nope"])

    def test_non_str_item_raises_type_error(self) -> None:
        with pytest.raises(TypeError, match="index 1"):
            relkit.parse_versions(["1.0", 2])  # type: ignore[list-item]

    def test_a_single_str_is_rejected(self) -> None:
        with pytest.raises(TypeError, match="single str"):
            relkit.parse_versions("1.0")


class TestSortVersions:
    def test_sorts_numerically_not_lexically(self) -> None:
        tags = ["2.10.0", "2.9.1", "2.4.0rc1", "2.4.0", "1.13.1", "2.4.0.dev20240101"]
        assert relkit.sort_versions(tags) == [
            "1.13.1", "2.4.0.dev20240101", "2.4.0rc1", "2.4.0", "2.9.1", "2.10.0"]

    def test_returns_original_spellings_stable_for_equal_versions(self) -> None:
        assert relkit.sort_versions(["1.0.0", "v0.9", "1.0", "1"]) == [
            "v0.9", "1.0.0", "1.0", "1"]

    def test_invalid_raises_by_default(self) -> None:
        with pytest.raises(InvalidVersion):
            relkit.sort_versions(["1.0", "latest"])

    def test_skip_invalid_drops_them(self) -> None:
        assert relkit.sort_versions(["2.0", "latest", "1.0"], skip_invalid=True) == [
            "1.0", "2.0"]

    def test_matches_sorted_with_version_key(self) -> None:
        items = [f"{a}.{b}.{c}" for a in range(3) for b in range(12) for c in (0, 1, 10)]
        items += [i + "rc1" for i in items[::7]] + [i + ".post2" for i in items[::5]]
        items.reverse()
        assert relkit.sort_versions(items) == sorted(items, key=Version)

    def test_non_ascii_text_round_trips(self) -> None:
        # Surrounding Unicode whitespace is allowed and kept in the output.
        assert relkit.sort_versions(["2.0", "\u00a01.0"]) == ["\u00a01.0", "2.0"]


class TestMaxVersion:
    def test_returns_the_greatest_original_string(self) -> None:
        tags = ["v2.9.1", "v2.10.0", "v2.10.0-rc3"]
        got = relkit.max_version(tags)
        assert got == "v2.10.0"
        assert got is tags[1]

    def test_skips_invalid(self) -> None:
        assert relkit.max_version(["latest", "1.0", "stable"]) == "1.0"

    def test_no_valid_version_is_not_found(self) -> None:
        with pytest.raises(relkit.NotFoundError) as info:
            relkit.max_version(["latest"])
        assert isinstance(info.value, LookupError)
        with pytest.raises(relkit.NotFoundError):
            relkit.max_version([])


def test_batch_calls_run_concurrently_from_threads() -> None:
    items = [f"1.{i}.{j}" for i in range(50) for j in range(50)]
    expected = sorted(items, key=Version)
    results: list[list[str]] = []

    def work() -> None:
        results.append(relkit.sort_versions(reversed(items)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4
