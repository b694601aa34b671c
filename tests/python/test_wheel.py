"""Names, tags and wheel/sdist file names against the packaging.utils
conformance vectors in tests/data/filenames.json."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import relkit
from conftest import Tally, cases, value
from relkit import (
    InvalidName,
    InvalidSdistFilename,
    InvalidWheelFilename,
    SdistFilename,
    Tag,
    Version,
    WheelFilename,
)

DATA = "filenames.json"


@pytest.mark.parametrize("row", cases(DATA, "test_canonicalize_name"))
def test_canonicalize_name(row: list[str], tally: Tally) -> None:
    name, expected = row
    assert relkit.canonicalize_name(name) == expected
    assert relkit.canonicalize_name(name, validate=True) == expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_canonicalize_name_invalid"))
def test_canonicalize_name_invalid(row: list[str], tally: Tally) -> None:
    name, expected = row
    with pytest.raises(InvalidName) as info:
        relkit.canonicalize_name(name, validate=True)
    assert isinstance(info.value, ValueError)
    assert relkit.canonicalize_name(name) == expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_is_normalized_name"))
def test_is_normalized_name(row: list[str], tally: Tally) -> None:
    name, expected = row
    assert relkit.is_normalized_name(expected) is True
    if name != expected:
        assert relkit.is_normalized_name(name) is False
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_canonicalize_version"))
def test_canonicalize_version(row: list[Any], tally: Tally) -> None:
    version, expected = row
    assert relkit.canonicalize_version(value(version)) == expected
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_canonicalize_version_no_strip_trailing_zero"))
def test_canonicalize_version_keeps_zeros_on_request(row: str, tally: Tally) -> None:
    assert relkit.canonicalize_version(row, strip_trailing_zero=False) == row
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_parse_wheel_filename"))
def test_parse_wheel_filename(row: list[Any], tally: Tally) -> None:
    filename, name, version, build, tags = row
    got = relkit.parse_wheel_filename(filename)
    assert got == (name, value(version), tuple(build), frozenset(value(tags)))
    assert type(got[1]) is Version
    assert all(type(t) is Tag for t in got[3])
    w = WheelFilename(filename)
    assert (w.name, w.version, w.build, w.tags) == got
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_parse_wheel_invalid_filename"))
def test_parse_wheel_invalid_filename(row: str, tally: Tally) -> None:
    with pytest.raises(InvalidWheelFilename) as info:
        relkit.parse_wheel_filename(row)
    assert isinstance(info.value, ValueError)
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_parse_wheel_unsorted_tags_valid_by_default"))
def test_unsorted_tags_are_valid_by_default(row: str, tally: Tally) -> None:
    relkit.parse_wheel_filename(row)
    tally.add(DATA)


@pytest.mark.parametrize(
    "row", cases(DATA, "test_parse_wheel_unsorted_tags_invalid_with_validate")
)
def test_unsorted_tags_are_invalid_with_validate_order(row: str, tally: Tally) -> None:
    with pytest.raises(InvalidWheelFilename):
        relkit.parse_wheel_filename(row, validate_order=True)
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_parse_sdist_filename"))
def test_parse_sdist_filename(row: list[Any], tally: Tally) -> None:
    filename, name, version = row
    assert relkit.parse_sdist_filename(filename) == (name, value(version))
    s = SdistFilename(filename)
    assert (s.name, s.version) == (name, value(version))
    tally.add(DATA)


@pytest.mark.parametrize("row", cases(DATA, "test_parse_sdist_invalid_filename"))
def test_parse_sdist_invalid_filename(row: str, tally: Tally) -> None:
    with pytest.raises(InvalidSdistFilename) as info:
        relkit.parse_sdist_filename(row)
    assert isinstance(info.value, ValueError)
    tally.add(DATA)


class TestTag:
    def test_components_are_lower_cased(self) -> None:
        t = Tag("CP312", "Cp312", "Manylinux_2_17_X86_64")
        assert (t.interpreter, t.abi, t.platform) == ("cp312", "cp312", "manylinux_2_17_x86_64")
        assert str(t) == "cp312-cp312-manylinux_2_17_x86_64"

    def test_equality_hash_and_pickle(self) -> None:
        a, b = Tag("py3", "none", "any"), Tag("PY3", "none", "ANY")
        assert a == b and hash(a) == hash(b) and len({a, b}) == 1
        assert a != Tag("py2", "none", "any")
        assert pickle.loads(pickle.dumps(a)) == a

    def test_repr_like_packaging(self) -> None:
        t = Tag("py3", "none", "any")
        assert repr(t) == f"<py3-none-any @ {id(t)}>"

    def test_parse_tag_expands_compressed_sets(self) -> None:
        assert relkit.parse_tag("py2.py3-none-any") == frozenset(
            {Tag("py2", "none", "any"), Tag("py3", "none", "any")})


class TestWheelFilename:
    NAME = "torch-2.4.0+cu121-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"

    def test_components_of_a_pytorch_wheel(self) -> None:
        w = WheelFilename(self.NAME)
        assert w.name == "torch"
        assert w.version == Version("2.4.0+cu121")
        assert w.build == ()
        assert w.python_tags == ["cp312"] and w.abi_tags == ["cp312"]
        assert w.platform_tags == ["manylinux2014_x86_64", "manylinux_2_17_x86_64"]
        assert len(w.tags) == 2

    def test_build_tag_is_number_and_suffix(self) -> None:
        assert WheelFilename("foo-1.0-1000abc-py3-none-any.whl").build == (1000, "abc")

    def test_str_is_the_normalised_filename_and_round_trips(self) -> None:
        w = WheelFilename("Foo.Bar-1.0.0-py3.py2-none-any.whl")
        assert str(w) == "foo_bar-1.0.0-py2.py3-none-any.whl"
        assert WheelFilename(str(w)) == w
        assert repr(w) == "<WheelFilename('foo_bar-1.0.0-py2.py3-none-any.whl')>"
        assert pickle.loads(pickle.dumps(w)) == w
        assert hash(WheelFilename(str(w))) == hash(w)

    def test_sdist_format(self) -> None:
        assert SdistFilename("foo-1.0.tar.gz").format == ".tar.gz"
        assert SdistFilename("foo-1.0.zip").format == ".zip"
        assert str(SdistFilename("Foo_Bar-1.0.zip")) == "foo_bar-1.0.zip"
