"""relkit.Version against the packaging conformance vectors in
tests/data/versions.json, plus the Python protocol (hash, pickle, operators)."""

from __future__ import annotations

import copy
import itertools
import operator
import pickle
from typing import Any, Callable

import pytest

import relkit
from conftest import Tally, cases, load, table, value
from relkit import InvalidVersion, Version

DATA = "versions.json"


def sorted_lists() -> list[Any]:
    doc = load(DATA)
    return [
        pytest.param(doc["sorted_versions"]["values"], id="current"),
        pytest.param(doc["additional_sorted_versions"]["values"], id="24.2"),
    ]


@pytest.mark.parametrize("versions", sorted_lists())
def test_valid_versions_parse(versions: list[str], tally: Tally) -> None:
    for v in versions:
        Version(v)
    tally.add(DATA, len(versions))


OPS: list[tuple[Callable[[Any, Any], bool], Callable[[int, int], bool]]] = [
    (operator.lt, operator.lt),
    (operator.le, operator.le),
    (operator.eq, operator.eq),
    (operator.ne, operator.ne),
    (operator.ge, operator.ge),
    (operator.gt, operator.gt),
]


@pytest.mark.parametrize("versions", sorted_lists())
def test_comparisons_follow_the_sorted_order(
    versions: list[str], tally: Tally
) -> None:
    parsed = [Version(v) for v in versions]
    checked = 0
    for (i, a), (j, b) in itertools.product(enumerate(parsed), repeat=2):
        for op, index_op in OPS:
            assert op(a, b) == index_op(i, j), (versions[i], op, versions[j])
            checked += 1
    tally.add(DATA, checked)


@pytest.mark.parametrize("versions", sorted_lists())
def test_sorting_shuffled_versions_restores_the_order(versions: list[str]) -> None:
    shuffled = list(reversed(versions))
    assert [str(v) for v in sorted(map(Version, shuffled))] == [
        str(Version(v)) for v in versions
    ]
    assert relkit.sort_versions(shuffled) == versions


@pytest.mark.parametrize("row", cases(DATA, "TestVersion.test_invalid_versions"))
def test_invalid_versions_raise_invalid_version(row: str, tally: Tally) -> None:
    with pytest.raises(InvalidVersion):
        Version(row)
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestVersion.test_non_string_versions_raise_invalid_version")
)
def test_non_strings_raise_invalid_version(row: Any, tally: Tally) -> None:
    with pytest.raises(InvalidVersion):
        Version(value(row))
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestVersion.test_oversized_version_raises_valueerror")
)
def test_oversized_numbers_raise_value_error(row: str, tally: Tally) -> None:
    # packaging hits Python's int-digit limit; relkit's components are uint64.
    with pytest.raises(ValueError):
        Version(row)
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestVersion.test_normalized_versions"))
def test_normalized_versions(row: list[str], tally: Tally) -> None:
    given, normalized = row
    assert str(Version(given)) == normalized
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestVersion.test_version_str_repr"))
def test_str_and_repr(row: list[str], tally: Tally) -> None:
    given, expected = row
    assert str(Version(given)) == expected
    assert repr(Version(given)) == f"<Version({expected!r})>"
    tally.add(DATA)


PROPERTY_TABLES = {
    "TestVersion.test_version_public": "public",
    "TestVersion.test_version_base_version": "base_version",
    "TestVersion.test_version_epoch": "epoch",
    "TestVersion.test_version_release": "release",
    "TestVersion.test_version_local": "local",
    "TestVersion.test_version_pre": "pre",
    "TestVersion.test_version_is_prerelease": "is_prerelease",
    "TestVersion.test_version_dev": "dev",
    "TestVersion.test_version_is_devrelease": "is_devrelease",
    "TestVersion.test_version_post": "post",
    "TestVersion.test_version_is_postrelease": "is_postrelease",
}


def property_cases() -> list[Any]:
    params = []
    for test, attribute in PROPERTY_TABLES.items():
        for i, (given, expected) in enumerate(table(DATA, test)["cases"]):
            params.append(
                pytest.param(attribute, given, expected, id=f"{attribute}-{i}")
            )
    return params


@pytest.mark.parametrize("attribute,given,expected", property_cases())
def test_properties(attribute: str, given: str, expected: Any, tally: Tally) -> None:
    got = getattr(Version(given), attribute)
    if isinstance(expected, list):  # JSON has no tuples
        expected = tuple(expected)
        assert isinstance(got, tuple)
    assert got == expected
    assert type(got) is type(expected)
    tally.add(DATA)


def test_major_minor_micro(tally: Tally) -> None:
    rows = load(DATA)["manual_assertions"]["major_minor_micro"]
    for row in rows:
        v = Version(row["version"])
        for attribute in ("major", "minor", "micro"):
            if attribute in row:
                assert getattr(v, attribute) == row[attribute], row
    tally.add(DATA, len(rows))


def test_manual_equalities(tally: Tally) -> None:
    rows = load(DATA)["manual_assertions"]["equalities"]
    for left, op, right in rows:
        assert op == "=="
        assert Version(left) == Version(right)
        assert hash(Version(left)) == hash(Version(right))
    tally.add(DATA, len(rows))


@pytest.mark.parametrize("row", cases(DATA, "test_from_parts"))
def test_from_parts(row: list[Any], tally: Tally) -> None:
    args, expected = row
    if args.get("pre") is not None:
        args = {**args, "pre": tuple(args["pre"])}
    built = Version.from_parts(**args)
    assert built == Version(expected)
    assert str(built) == str(Version(expected))
    tally.add(DATA)


def test_from_parts_rejects_a_bad_pre_letter() -> None:
    with pytest.raises(InvalidVersion, match="pre-release"):
        Version.from_parts(release=[1], pre=("x", 1))


def test_from_parts_rejects_a_bad_local_label() -> None:
    with pytest.raises(InvalidVersion):
        Version.from_parts(release=[1], local="a+b")


@pytest.mark.parametrize("row", cases(DATA, "test_pickle_roundtrip"))
def test_pickle_roundtrip(row: str, tally: Tally) -> None:
    v = Version(row)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(v, protocol=protocol))
        assert type(back) is Version
        assert back == v
        assert str(back) == str(v)
        assert hash(back) == hash(v)
    tally.add(DATA)


def test_copy_and_deepcopy() -> None:
    v = Version("1!2.0rc1.post2.dev3+abc.1")
    assert copy.copy(v) == v and str(copy.copy(v)) == str(v)
    assert copy.deepcopy(v) == v and str(copy.deepcopy(v)) == str(v)


class TestHash:
    def test_equal_versions_hash_equal(self) -> None:
        pairs = [("1.0", "1.0.0"), ("1.0", "1.0.0.0"), ("1!2", "1!2.0"),
                 ("1.0rc1", "1.0c1"), ("1.0+ABC", "1.0+abc"), ("1.0-1", "1.0.post1"),
                 ("v1.0", "1.0"), ("1.0+1-a", "1.0+1.a")]
        for a, b in pairs:
            assert Version(a) == Version(b)
            assert hash(Version(a)) == hash(Version(b)), (a, b)

    def test_versions_work_as_dict_keys_and_set_members(self) -> None:
        assert len({Version("1.0"), Version("1.0.0"), Version("1.0.post1")}) == 2
        d = {Version("2.4.0"): "final"}
        assert d[Version("2.4")] == "final"

    def test_hash_is_stable(self) -> None:
        v = Version("2.4.0rc1")
        assert hash(v) == hash(v) == hash(Version("2.4.0rc1"))


class TestOperatorProtocol:
    def test_equality_with_other_types_is_false(self) -> None:
        assert Version("1.0") != "1.0"
        assert not (Version("1.0") == "1.0")
        assert Version("1.0") != 1
        assert Version("1.0") != None  # noqa: E711

    @pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"])
    def test_dunder_returns_not_implemented_for_other_types(self, op: str) -> None:
        assert getattr(Version("1"), op)(object()) is NotImplemented
        assert getattr(Version("1"), op)("1") is NotImplemented

    @pytest.mark.parametrize("op", [operator.lt, operator.le, operator.gt, operator.ge])
    def test_ordering_against_other_types_raises_type_error(
        self, op: Callable[[Any, Any], bool]
    ) -> None:
        with pytest.raises(TypeError):
            op(Version("1"), "1")
        with pytest.raises(TypeError):
            op("1", Version("1"))


def test_parse_is_the_constructor() -> None:
    assert relkit.parse("2.4.0-RC1") == Version("2.4.0rc1")
    assert isinstance(relkit.parse("1"), Version)
    with pytest.raises(InvalidVersion):
        relkit.parse("french toast")


def test_pytorch_style_versions() -> None:
    v = Version("2.5.0.dev20240801+cu124")
    assert v.release == (2, 5, 0)
    assert v.dev == 20240801
    assert v.local == "cu124"
    assert v.public == "2.5.0.dev20240801"
    assert v.base_version == "2.5.0"
    assert v.is_prerelease and v.is_devrelease and not v.is_postrelease
    assert (v.major, v.minor, v.micro) == (2, 5, 0)
    assert Version("2.4.0") < Version("2.4.1rc1") < Version("2.4.1") < Version("2.10.0")


class TestConstructor:
    def test_keyword_argument(self) -> None:
        assert Version(version="1.0") == Version("1.0")

    @pytest.mark.parametrize("args,kwargs", [((), {}), (("1", "2"), {}), ((), {"v": "1"})])
    def test_bad_arguments_raise_type_error(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        with pytest.raises(TypeError):
            Version(*args, **kwargs)

    def test_lone_surrogate_is_invalid(self) -> None:
        with pytest.raises(InvalidVersion):
            Version("1.0\udcff")

    def test_subclasses_construct_through_the_base(self) -> None:
        class Tagged(Version):
            def __init__(self, text: str) -> None:
                super().__init__(text.removeprefix("tag-"))

        t = Tagged("tag-2.4.0rc1")
        assert t == Version("2.4.0rc1") and isinstance(t, Version)
        assert repr(t) == "<Version('2.4.0rc1')>"

    def test_subclass_without_init_uses_the_base_init(self) -> None:
        class Plain(Version):
            pass

        assert Plain("1.0").release == (1, 0)

    def test_init_again_is_ignored(self) -> None:
        # pybind11 cannot re-run a C++ constructor on a live object; the
        # second call leaves the value as it was (packaging would replace it).
        v = Version("1.0")
        v.__init__("2.0")  # type: ignore[misc]
        assert v == Version("1.0") and str(v) == "1.0"
