"""relkit.Specifier / relkit.SpecifierSet against the packaging conformance
vectors in tests/data/specifiers.json."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import relkit
from conftest import Tally, cases, load, table, value
from relkit import InvalidSpecifier, Specifier, SpecifierSet, Version

DATA = "specifiers.json"
OPERATORS = ["~=", "==", "!=", "<=", ">=", "<", ">"]


def kwargs(**items: Any) -> dict[str, Any]:
    """Returns the keyword arguments whose value is not None (JSON null means
    'argument not given')."""
    return {k: v for k, v in items.items() if v is not None}


def as_items(raw: list[Any]) -> list[Any]:
    return [value(x) for x in raw]


def same_items(got: list[Any], expected: list[Any]) -> bool:
    """Compares filter output item by item, type included (str vs Version)."""
    return len(got) == len(expected) and all(
        type(a) is type(b) and a == b for a, b in zip(got, expected)
    )


# --- Specifier -----------------------------------------------------------------


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifiers_valid"))
def test_valid_specifiers_parse(row: str, tally: Tally) -> None:
    Specifier(row)
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifiers_invalid"))
def test_invalid_specifiers_raise_invalid_specifier(row: str, tally: Tally) -> None:
    with pytest.raises(InvalidSpecifier) as info:
        Specifier(row)
    assert isinstance(info.value, ValueError)
    assert info.value.code == "INVALID_ARGUMENT"
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifiers_normalized"))
def test_specifier_versions_accept_every_spelling(row: str, tally: Tally) -> None:
    ops = ["==", "!="] if "+" in row else OPERATORS
    for op in ops:
        Specifier(op + row)
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifiers_str_and_repr"))
def test_specifier_str_and_repr(row: list[str], tally: Tally) -> None:
    given, expected = row
    assert str(Specifier(given)) == expected
    assert repr(Specifier(given)) == f"<Specifier({expected!r})>"
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifiers"))
def test_specifier_contains(row: list[Any], tally: Tally) -> None:
    version, spec, expected = row
    s = Specifier(spec, prereleases=True)
    assert s.contains(version) is expected
    assert s.contains(Version(version)) is expected
    assert (version in s) is expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_invalid_version"))
def test_specifier_contains_unparsable_version(row: list[Any], tally: Tally) -> None:
    spec, version, expected = row
    assert Specifier(spec, prereleases=True).contains(version) is expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifier_prereleases_set"))
def test_specifier_prereleases_setter(row: list[Any], tally: Tally) -> None:
    spec, initial, new, version, initial_contains, final_contains = row
    s = Specifier(spec, prereleases=initial)
    assert s.contains(version) is initial_contains
    s.prereleases = new
    assert s.contains(version) is final_contains
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_arbitrary_equality"))
def test_arbitrary_equality(row: list[Any], tally: Tally) -> None:
    version, spec, expected = row
    assert Specifier(spec).contains(version) is expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifier.test_arbitrary_equality_normalization")
)
def test_arbitrary_equality_normalization(row: list[Any], tally: Tally) -> None:
    spec, version, expected = row
    assert Specifier(spec, prereleases=True).contains(value(version)) is expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifier.test_specifier_prereleases_detection")
)
def test_specifier_prereleases_detection(row: list[Any], tally: Tally) -> None:
    spec, expected = row
    assert Specifier(spec).prereleases == expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifiers_prereleases"))
def test_specifier_contains_prereleases(row: list[Any], tally: Tally) -> None:
    spec, version, spec_pre, contains_pre, expected = row
    s = Specifier(spec, **kwargs(prereleases=spec_pre))
    assert s.contains(version, **kwargs(prereleases=contains_pre)) is expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifier_filter"))
def test_specifier_filter(row: list[Any], tally: Tally) -> None:
    spec, spec_pre, pre, items, expected = row
    s = Specifier(spec, **kwargs(prereleases=spec_pre))
    got = list(s.filter(as_items(items), **kwargs(prereleases=pre)))
    assert same_items(got, as_items(expected))
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifier.test_specifier_filter_arbitrary_equality_normalization")
)
def test_specifier_filter_arbitrary_equality_normalization(
    row: list[Any], tally: Tally
) -> None:
    spec, items, expected = row
    got = list(Specifier(spec, prereleases=True).filter(as_items(items)))
    assert same_items(got, as_items(expected))
    tally.add(DATA)


def keyed_filter_cases(test: str) -> list[Any]:
    return [pytest.param(test, row, id=f"{test.split('.')[-1]}-{i}")
            for i, row in enumerate(table(DATA, test)["cases"])]


@pytest.mark.parametrize(
    "test,row",
    keyed_filter_cases("TestSpecifier.test_specifier_filter_with_key")
    + keyed_filter_cases("TestSpecifierSet.test_specifierset_filter_with_key")
    + keyed_filter_cases("TestSpecifierSet.test_empty_specifierset_filter_with_key"),
)
def test_filter_with_key(test: str, row: dict[str, Any], tally: Tally) -> None:
    items = [{"version": v} for v in row["items"]]
    if test.endswith("test_specifier_filter_with_key"):
        got = list(Specifier(">=2.0").filter(
            items, key=lambda i: i["version"], **kwargs(prereleases=row["prereleases"])))
    elif test.endswith("test_specifierset_filter_with_key"):
        got = list(SpecifierSet(">=2").filter(
            items, key=lambda i: i["version"], **kwargs(prereleases=row["prereleases"])))
    else:
        got = list(SpecifierSet("", prereleases=row["prereleases"]).filter(
            items, key=lambda i: i["version"]))
    assert got == [items[i] for i in row["expected_indexes"]]
    assert all(a is items[i] for a, i in zip(got, row["expected_indexes"]))
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifier_operator_property"))
def test_operator_property(row: list[str], tally: Tally) -> None:
    spec, op = row
    assert Specifier(spec).operator == op
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifier_version_property"))
def test_version_property(row: list[str], tally: Tally) -> None:
    spec, version = row
    assert Specifier(spec).version == version
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_specifiers_hash"))
def test_specifier_hash_is_stable(row: str, tally: Tally) -> None:
    assert hash(Specifier(row)) == hash(Specifier(row))
    assert Specifier(row) in {Specifier(row)}
    tally.add(DATA)


def test_specifier_equality_rules(tally: Tally) -> None:
    specs = load(DATA)["SPECIFIERS"]
    checked = 0
    for x in specs:
        for y in specs:
            if x == y:
                assert Specifier(x) == Specifier(y)
                assert Specifier(x) == y
                assert SpecifierSet(x) == SpecifierSet(y)
                assert SpecifierSet(x) == Specifier(y)
                assert SpecifierSet(x) == y
            else:
                assert Specifier(x) != Specifier(y)
                assert Specifier(x) != y
                assert SpecifierSet(x) != SpecifierSet(y)
                assert SpecifierSet(x) != Specifier(y)
                assert SpecifierSet(x) != y
            checked += 1
    assert Specifier("==2.8.0") == Specifier("==2.8")
    assert SpecifierSet("==2.8.0") == SpecifierSet("==2.8")
    assert Specifier("~=1.18.0") != Specifier("~=1.18")
    assert hash(Specifier("~=1.18.0")) != hash(Specifier("~=1.18"))
    assert Specifier(">=1") != 12 and Specifier(">=1") != "12"
    assert Specifier(">=1").__eq__(12) is NotImplemented
    tally.add(DATA, checked)


@pytest.mark.parametrize(
    "row", cases(DATA, "test_boundary_closure_short_release")
)
def test_boundary_closure_short_release(row: list[Any], tally: Tally) -> None:
    spec, version, expected = row
    v = Version(version)
    assert Specifier(spec).contains(v) is expected
    got = list(Specifier(spec).filter([v], prereleases=True))
    assert got == ([v] if expected else [])
    tally.add(DATA)


# --- SpecifierSet --------------------------------------------------------------


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_length"))
def test_length(row: list[Any], tally: Tally) -> None:
    spec, n = row
    assert len(SpecifierSet(spec)) == n
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifier.test_iteration"))
def test_iteration(row: list[Any], tally: Tally) -> None:
    spec, items = row
    members = list(SpecifierSet(spec))
    assert all(type(m) is Specifier for m in members)
    assert {str(m) for m in members} == set(items)
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifierSet.test_empty_specifier"))
def test_empty_set_contains_every_version(row: str, tally: Tally) -> None:
    s = SpecifierSet(prereleases=True)
    assert s.contains(row) and s.contains(Version(row)) and row in s
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_empty_specifier_arbitrary_string")
)
def test_empty_set_arbitrary_string(row: list[Any], tally: Tally) -> None:
    pre, items, expected = row
    s = SpecifierSet("", prereleases=pre)
    assert s.contains("foobar") is True
    assert list(s.filter(items)) == expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_empty_specifier_ordering_with_arbitrary")
)
def test_empty_set_ordering_with_arbitrary(row: list[Any], tally: Tally) -> None:
    items, expected = row
    assert list(SpecifierSet("").filter(items)) == expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_specifier_prereleases_explicit")
)
def test_set_prereleases_setter(row: list[Any], tally: Tally) -> None:
    initial, new, version, initial_contains, final_contains, spec = row
    s = SpecifierSet(spec, prereleases=initial)
    assert s.contains(version) is initial_contains
    s.prereleases = new
    assert s.contains(version) is final_contains
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_specifier_contains_installed_prereleases")
)
def test_set_contains_installed(row: list[Any], tally: Tally) -> None:
    spec, version, spec_pre, contains_pre, installed, expected = row
    s = SpecifierSet(spec, **kwargs(prereleases=spec_pre))
    got = s.contains(version, **kwargs(prereleases=contains_pre, installed=installed))
    assert got is expected
    tally.add(DATA)


def test_set_contains_installed_extra_assertions() -> None:
    s = SpecifierSet("~=1.0", prereleases=False)
    assert s.contains("1.1.0.dev1", installed=True) is True
    assert s.contains("1.1.0.dev1", prereleases=False, installed=False) is False


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifierSet.test_specifier_filter"))
def test_set_filter(row: list[Any], tally: Tally) -> None:
    spec, spec_pre, pre, items, expected = row
    s = SpecifierSet(spec, **kwargs(prereleases=spec_pre))
    got = list(s.filter(as_items(items), **kwargs(prereleases=pre)))
    assert same_items(got, as_items(expected))
    if all(isinstance(i, str) for i in items) and spec_pre is None:
        assert relkit.filter_versions(items, spec, **kwargs(prereleases=pre)) == expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_filter_exclusionary_bridges")
)
def test_filter_exclusionary_bridges(row: list[Any], tally: Tally) -> None:
    spec, pre, items, expected = row
    assert list(SpecifierSet(spec).filter(items, **kwargs(prereleases=pre))) == expected
    assert relkit.filter_versions(items, spec, **kwargs(prereleases=pre)) == expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_contains_exclusionary_bridges")
)
def test_contains_exclusionary_bridges(row: list[Any], tally: Tally) -> None:
    spec, pre, version, expected = row
    assert SpecifierSet(spec).contains(version, **kwargs(prereleases=pre)) is expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_contains_rejects_invalid_specifier")
)
def test_set_contains_rejects_unparsable(row: list[Any], tally: Tally) -> None:
    spec, item = row
    assert SpecifierSet(spec, prereleases=True).contains(item) is False
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_contains_post_release_boundary_intersection")
)
def test_post_release_boundary_intersection(row: list[Any], tally: Tally) -> None:
    spec, version, expected = row
    s = SpecifierSet(spec)
    assert s.contains(version, prereleases=True) is expected
    assert all(m.contains(version, prereleases=True) for m in s) is expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_contains_oversized_version_raises_valueerror")
)
def test_oversized_specifier_version_is_a_value_error(row: str, tally: Tally) -> None:
    # packaging hits Python's int-digit limit; relkit rejects numbers past
    # uint64 when parsing the specifier.
    with pytest.raises(ValueError):
        SpecifierSet(row).contains("1.0")
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_contains_arbitrary_equality_contains")
)
def test_set_arbitrary_equality_contains(row: list[Any], tally: Tally) -> None:
    version, spec, expected = row
    assert SpecifierSet(spec).contains(version) is expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_contains_arbitrary_equality_normalization")
)
def test_set_arbitrary_equality_normalization(row: list[Any], tally: Tally) -> None:
    spec, version, expected = row
    assert SpecifierSet(spec, prereleases=True).contains(value(version)) is expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifierSet.test_specifiers_str_and_repr"))
def test_set_str_and_repr(row: list[str], tally: Tally) -> None:
    given, expected = row
    assert str(SpecifierSet(given)) == expected
    assert repr(SpecifierSet(given)) == f"<SpecifierSet({expected!r})>"
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifierSet.test_specifiers_combine"))
def test_combine(row: list[str], tally: Tally) -> None:
    left, right, expected = row
    assert SpecifierSet(left) & SpecifierSet(right) == SpecifierSet(expected)
    assert SpecifierSet(left) & right == SpecifierSet(expected)
    tally.add(DATA)


def test_combine_prerelease_overrides() -> None:
    def pre(a: bool | None, b: bool | None) -> bool | None:
        return (SpecifierSet(">1", prereleases=a) & SpecifierSet("<5", prereleases=b)).prereleases

    assert pre(None, True) is True
    assert pre(True, None) is True
    assert pre(True, True) is True
    assert pre(False, False) is False
    with pytest.raises(ValueError, match="Cannot combine"):
        pre(True, False)
    with pytest.raises(TypeError):
        SpecifierSet("") & 12  # type: ignore[operator]


@pytest.mark.parametrize(
    "method,test",
    [("is_subset", "TestSpecifierSet.test_is_subset"),
     ("is_superset", "TestSpecifierSet.test_is_superset"),
     ("is_disjoint", "TestSpecifierSet.test_is_disjoint")],
)
def test_set_relations(method: str, test: str, tally: Tally) -> None:
    rows = table(DATA, test)["cases"]
    for left, right, expected in rows:
        assert getattr(SpecifierSet(left), method)(SpecifierSet(right)) is expected, (
            left, right)
    tally.add(DATA, len(rows))


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_set_relations_reject_arbitrary_equality")
)
def test_set_relations_reject_arbitrary_equality(row: list[str], tally: Tally) -> None:
    left, right = row
    for method in ("is_subset", "is_superset", "is_disjoint"):
        with pytest.raises(ValueError, match="==="):
            getattr(SpecifierSet(left), method)(SpecifierSet(right))
    tally.add(DATA)


def test_set_relations_reject_different_overrides_and_strings() -> None:
    a = SpecifierSet(">=1", prereleases=True)
    b = SpecifierSet(">=2", prereleases=False)
    for method in ("is_subset", "is_superset", "is_disjoint"):
        with pytest.raises(ValueError, match="pre-release"):
            getattr(a, method)(b)
    with pytest.raises(TypeError, match="SpecifierSet"):
        SpecifierSet(">=1.0").is_subset(">=1.0")  # type: ignore[arg-type]


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifierSet.test_comparison_ignores_local"))
def test_comparison_ignores_local(row: list[Any], tally: Tally) -> None:
    version, spec, expected = row
    assert (Version(version) in SpecifierSet(spec)) is expected
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestSpecifierSet.test_arbitrary_equality_is_intersection_preserving")
)
def test_arbitrary_equality_is_intersection_preserving(row: list[Any], tally: Tally) -> None:
    spec1, spec2, items = row
    combined = set(SpecifierSet(spec1 + "," + spec2).filter(items))
    assert combined == set(Specifier(spec1).filter(items)) & set(Specifier(spec2).filter(items))
    tally.add(DATA)


UNSATISFIABLE = [
    ("TestIsUnsatisfiable.test_unsatisfiable", None, True),
    ("TestIsUnsatisfiable.test_satisfiable", None, False),
    ("TestIsUnsatisfiable.test_unsatisfiable_prereleases_false", False, True),
    ("TestIsUnsatisfiable.test_satisfiable_prereleases_false", False, False),
]


@pytest.mark.parametrize("test,pre,unsatisfiable", UNSATISFIABLE)
def test_is_unsatisfiable(
    test: str, pre: bool | None, unsatisfiable: bool, tally: Tally
) -> None:
    samples = load(DATA)["sample_versions"]["values"]
    rows = table(DATA, test)["cases"]
    for spec in rows:
        s = SpecifierSet(spec, prereleases=pre)
        assert s.is_unsatisfiable() is unsatisfiable, spec
        if pre is None:
            matched = list(s.filter(samples, prereleases=True))
        else:
            matched = list(s.filter(samples))
        assert (matched == []) is unsatisfiable, (spec, matched[:5])
    tally.add(DATA, len(rows))


@pytest.mark.parametrize(
    "row", cases(DATA, "TestIsUnsatisfiable.test_post_release_boundary_unsatisfiable")
)
def test_post_release_boundary_unsatisfiable(row: str, tally: Tally) -> None:
    assert SpecifierSet(row).is_unsatisfiable() is True
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "TestIsUnsatisfiable.test_contains_identical_across_canonicalization")
)
def test_contains_identical_across_canonicalization(row: list[Any], tally: Tally) -> None:
    spec, versions = row
    a, b = SpecifierSet(spec), SpecifierSet(str(SpecifierSet(spec)))
    for v in versions:
        assert a.contains(v) == b.contains(v), v
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "TestSpecifierSet.test_specifiers_hash"))
def test_set_hash_is_stable(row: str, tally: Tally) -> None:
    assert hash(SpecifierSet(row)) == hash(SpecifierSet(row))
    tally.add(DATA)


def test_manual_assertions(tally: Tally) -> None:
    assert SpecifierSet().prereleases is None
    assert SpecifierSet().contains("1.0.dev1") is True
    assert SpecifierSet().contains("1.0.dev1", prereleases=True) is True
    assert SpecifierSet(prereleases=True).contains("1.0.dev1") is True
    assert SpecifierSet(prereleases=True).contains("1.0.dev1", prereleases=False) is False
    assert SpecifierSet(">1.0.0,>1.0") == SpecifierSet(">1.0")
    assert str(SpecifierSet(">1.0.0,>1.0")) == str(SpecifierSet(">1.0"))
    assert str(SpecifierSet(">=1.0") & SpecifierSet(">=1.0,<5.0")) == "<5.0,>=1.0"
    assert "1.19.5" not in (SpecifierSet("~=1.18.0") & SpecifierSet("~=1.18"))
    assert "1.18.0" in (SpecifierSet("~=1.18.0") & SpecifierSet("~=1.18"))
    assert list(SpecifierSet(">1.0,!=1.0.post1").filter(
        ["1.0.post2", "1.0.post3", "1.1"], prereleases=True)) == ["1.1"]
    assert list(SpecifierSet("!=1.5").filter(["1.4", "1.6a1"])) == ["1.4"]
    assert list(SpecifierSet("!=1.5").filter(["1.6a1", "1.4"])) == ["1.4"]
    assert list(Specifier("===1.0a1").filter(["1.0a1", "0.9"], prereleases=False)) == []
    assert list(Specifier("===1.0a1", prereleases=False).filter(["1.0a1"])) == []
    assert Specifier("===1.0a1", prereleases=False).contains("1.0a1") is False
    items = [{"v": "wat"}, {"v": "WAT"}, {"v": "else"}]
    assert [i["v"] for i in Specifier("===wat").filter(items, key=lambda x: x["v"])] == [
        "wat", "WAT"]
    items2: list[dict[str, str | None]] = [{"v": "1.0"}, {"v": None}, {"v": "2.0"}]
    assert [i["v"] for i in SpecifierSet(">=1").filter(items2, key=lambda x: x["v"])] == [
        "1.0", "2.0"]
    assert list(Specifier("===wat").filter(["wat", "wat"])) == ["wat", "wat"]
    assert list(Specifier("===1.0a1").filter(["1.0a1"])) == ["1.0a1"]
    assert Specifier("~=1.18.0") != Specifier("~=1.18")
    assert (SpecifierSet(">=2.0") & SpecifierSet("<1.0")).is_unsatisfiable() is True
    assert (SpecifierSet(">=1.0") & SpecifierSet("<2.0")).is_unsatisfiable() is False
    tally.add(DATA, 25)


# --- Python protocol -----------------------------------------------------------


class TestProtocol:
    def test_filter_returns_an_iterator_of_the_original_items(self) -> None:
        v = Version("1.5")
        items = ["1.0", v, "2.0"]
        it = SpecifierSet(">1.2").filter(items)
        assert iter(it) is it
        got = list(it)
        assert got == [v, "2.0"] and got[0] is v

    def test_filter_accepts_generators(self) -> None:
        assert list(Specifier(">=2").filter(str(i) for i in range(4))) == ["2", "3"]

    def test_contains_of_a_non_version_is_false(self) -> None:
        assert Specifier(">=1").contains(None) is False  # type: ignore[arg-type]
        assert (3 in SpecifierSet(">=1")) is False

    def test_set_from_an_iterable_of_specifiers(self) -> None:
        s = SpecifierSet([Specifier(">=1"), "<2"])
        assert s == SpecifierSet(">=1,<2")
        assert len(s) == 2

    def test_repr_shows_an_explicit_override(self) -> None:
        assert repr(Specifier(">=1", prereleases=True)) == "<Specifier('>=1', prereleases=True)>"
        assert repr(SpecifierSet(">=1", prereleases=False)) == (
            "<SpecifierSet('>=1', prereleases=False)>")

    @pytest.mark.parametrize("obj", [
        Specifier(">=1.0"), Specifier("==2.*", prereleases=True), SpecifierSet(""),
        SpecifierSet(">=1,<2,!=1.5", prereleases=False)])
    def test_pickle_roundtrip(self, obj: Any) -> None:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(obj, protocol=protocol))
            assert type(back) is type(obj)
            assert back == obj and str(back) == str(obj) and repr(back) == repr(obj)
            assert back.prereleases == obj.prereleases

    def test_specifiers_work_as_dict_keys(self) -> None:
        d = {SpecifierSet(">=1,<2"): "a", Specifier("==2.8.0"): "b"}
        assert d[SpecifierSet("<2,>=1")] == "a"
        assert d[Specifier("==2.8")] == "b"


class TestFilterVersions:
    def test_returns_matching_original_strings_in_order(self) -> None:
        tags = ["2.3.1", "v2.4.0", "2.4.0rc1", "2.5.0", "latest"]
        got = relkit.filter_versions(tags, ">=2.4,<2.5")
        assert got == ["v2.4.0"]
        assert got[0] is tags[1]

    def test_prereleases_flag(self) -> None:
        assert relkit.filter_versions(["2.4.0rc1", "2.4.0"], ">=2.3", prereleases=True) == [
            "2.4.0rc1", "2.4.0"]
        assert relkit.filter_versions(["2.4.0rc1"], ">=2.3", prereleases=False) == []

    def test_invalid_specifier_raises_invalid_specifier(self) -> None:
        with pytest.raises(InvalidSpecifier):
            relkit.filter_versions(["1.0"], "=>1.0")


def test_large_filters_release_the_gil_and_agree_with_small_ones() -> None:
    import threading

    items: list[str | Version] = [f"{a}.{b}{pre}" for a in range(4) for b in range(30)
                                  for pre in ("", "rc1", ".dev2")]
    items += [Version(str(i)) for i in items[::5]] + ["junk"] * 3
    s = SpecifierSet(">=1.5,!=2.3.*,<3")
    expected = [i for i in items if list(s.filter([i], prereleases=False))]
    results: list[list[Any]] = []

    def work() -> None:
        results.append(list(s.filter(items, prereleases=False)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(items) > 64
    assert results == [expected] * 4
