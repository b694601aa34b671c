"""PyTorch release conventions: RC tags, release branches, nightlies,
accelerator labels and version bumps."""

from __future__ import annotations

import datetime
import pickle

import pytest

import relkit
from relkit import Accelerator, RcTag, ReleaseBranch, Version


class TestRcTag:
    def test_parses_an_rc_tag(self) -> None:
        tag = RcTag("v2.4.0-rc1")
        assert (tag.major, tag.minor, tag.patch, tag.rc) == (2, 4, 0, 1)
        assert tag.is_rc
        assert tag.version == Version("2.4.0rc1")
        assert tag.final_version == Version("2.4.0")
        assert tag.final() == RcTag("v2.4.0")
        assert str(tag) == "v2.4.0-rc1"
        assert repr(tag) == "<RcTag('v2.4.0-rc1')>"

    def test_final_tag_has_no_rc(self) -> None:
        tag = RcTag("v2.4.0")
        assert tag.rc is None and not tag.is_rc

    @pytest.mark.parametrize("text", ["2.4.0-rc1", "v2.4-rc1", "v2.4.0-RC1", " v2.4.0",
                                      "refs/tags/v2.4.0", "v02.4.0", "v2.4.0rc1"])
    def test_rejects_other_spellings(self, text: str) -> None:
        with pytest.raises(relkit.InvalidArgumentError):
            RcTag(text)

    def test_two_component_release_on_request(self) -> None:
        assert RcTag("v1.8-rc1", allow_two_component_release=True).version == Version("1.8rc1")

    def test_from_version(self) -> None:
        assert str(RcTag.from_version("2.4.0rc1")) == "v2.4.0-rc1"
        assert str(RcTag.from_version(Version("2.4"))) == "v2.4.0"
        with pytest.raises(ValueError):
            RcTag.from_version("2.4.0.dev1")

    def test_orders_rcs_before_the_final(self) -> None:
        tags = ["v2.4.1-rc1", "v2.4.0", "v2.4.0-rc2", "v2.4.0-rc1"]
        assert [str(t) for t in sorted(map(RcTag, tags))] == [
            "v2.4.0-rc1", "v2.4.0-rc2", "v2.4.0", "v2.4.1-rc1"]

    def test_hash_and_pickle(self) -> None:
        tag = RcTag("v2.4.0-rc1")
        assert hash(tag) == hash(RcTag("v2.4.0-rc1"))
        assert pickle.loads(pickle.dumps(tag)) == tag

    def test_next_rc_tag(self) -> None:
        tags = ["v2.4.0-rc1", "v2.4.0-rc2", "v2.3.1", "ciflow/trunk/123"]
        assert str(relkit.next_rc_tag("2.4.0", tags)) == "v2.4.0-rc3"
        assert str(relkit.next_rc_tag(Version("2.5.0"), tags)) == "v2.5.0-rc1"

    def test_next_rc_tag_after_the_final_is_a_failed_precondition(self) -> None:
        with pytest.raises(relkit.FailedPreconditionError) as info:
            relkit.next_rc_tag("2.4.0", ["v2.4.0-rc1", "v2.4.0"])
        assert info.value.code == "FAILED_PRECONDITION"
        assert isinstance(info.value, RuntimeError)


class TestReleaseBranch:
    def test_for_version(self) -> None:
        b = ReleaseBranch.for_version("2.4.1")
        assert str(b) == "release/2.4" and (b.major, b.minor) == (2, 4)
        assert not b.is_orig
        assert str(b.orig()) == "orig/release/2.4"
        assert b.orig().release() == b

    def test_contains_versions_of_its_series(self) -> None:
        b = ReleaseBranch("release/2.4")
        assert "2.4.0rc1" in b and Version("2.4.1") in b
        assert b.contains("2.4.0") and not b.contains("2.5.0")

    @pytest.mark.parametrize("text", ["release/0.18.0", "refs/heads/release/2.4", "release/2.04"])
    def test_rejects_other_spellings(self, text: str) -> None:
        with pytest.raises(ValueError):
            ReleaseBranch(text)

    def test_orders_numerically(self) -> None:
        names = ["release/2.10", "release/2.9", "orig/release/2.9"]
        assert [str(b) for b in sorted(map(ReleaseBranch, names))] == [
            "release/2.9", "orig/release/2.9", "release/2.10"]
        assert pickle.loads(pickle.dumps(ReleaseBranch("orig/release/2.9"))).is_orig


class TestNightly:
    def test_nightly_date(self) -> None:
        assert relkit.nightly_date("2.5.0.dev20240801") == datetime.date(2024, 8, 1)
        assert relkit.nightly_date(Version("2.5.0.dev20240801+cu121")) == datetime.date(2024, 8, 1)
        assert relkit.nightly_date("1.0.dev0") is None
        assert relkit.nightly_date("1.0.dev20241301") is None
        assert relkit.nightly_date("2.4.0") is None

    def test_make_nightly_version(self) -> None:
        day = datetime.date(2024, 8, 1)
        assert relkit.make_nightly_version("2.5.0a0", day) == Version("2.5.0.dev20240801")
        assert str(relkit.make_nightly_version("2.5.0+cu121", day)) == "2.5.0.dev20240801+cu121"

    def test_make_nightly_version_wants_a_date(self) -> None:
        # A str day was read through .year and raised AttributeError.
        with pytest.raises(TypeError, match="expected a datetime.date"):
            relkit.make_nightly_version("2.5.0a0", "2024-08-01")  # type: ignore[arg-type]


class TestAccelerator:
    def test_cuda_label(self) -> None:
        a = Accelerator("cu121")
        assert a.kind == "cuda" and a.version == (12, 1) and a.version_string == "12.1"
        assert a.variant == "" and str(a) == "cu121" and repr(a) == "<Accelerator('cu121')>"

    def test_other_kinds(self) -> None:
        assert Accelerator("+rocm6.1").kind == "rocm"
        assert Accelerator("cpu-cxx11-abi").variant == "cxx11.abi"
        assert Accelerator.cpu() == Accelerator("cpu")
        assert Accelerator.xpu().kind == "xpu"
        assert Accelerator.cuda("12.1") == Accelerator("cu121")
        assert Accelerator.rocm("5.4.2").version == (5, 4, 2)

    def test_from_version(self) -> None:
        assert Accelerator.from_version("2.4.0+cu121") == Accelerator("cu121")
        assert Accelerator.from_version("2.4.0") is None
        with pytest.raises(ValueError):
            Accelerator.from_version("1.0+ubuntu1")

    def test_orders_numerically(self) -> None:
        assert Accelerator("rocm7.14") > Accelerator("rocm7.2")
        assert sorted([Accelerator("xpu"), Accelerator("cu118"), Accelerator("cpu")]) == [
            Accelerator("cpu"), Accelerator("cu118"), Accelerator("xpu")]

    def test_cuda_spellings(self) -> None:
        assert relkit.cuda_short_form("12.1") == "cu121"
        assert relkit.cuda_dotted_form("cu121") == "12.1"
        with pytest.raises(ValueError):
            relkit.cuda_short_form("12.10")

    def test_with_accelerator(self) -> None:
        assert relkit.with_accelerator("2.4.0", Accelerator("cu121")) == Version("2.4.0+cu121")
        assert str(relkit.with_accelerator("2.4.0+cpu", Accelerator("rocm6.1"))) == "2.4.0+rocm6.1"

    def test_hash_and_pickle(self) -> None:
        a = Accelerator("cu121.with.pypi.cudnn")
        assert hash(a) == hash(Accelerator("cu121-with-pypi-cudnn"))
        assert pickle.loads(pickle.dumps(a)) == a


class TestBumps:
    def test_next_minor_patch_and_main(self) -> None:
        assert relkit.next_minor("2.4.1") == Version("2.5.0")
        assert relkit.next_minor(Version("2.5.0a0")) == Version("2.6.0")
        assert relkit.next_patch("2.4") == Version("2.4.1")
        assert str(relkit.next_main_version("2.5.0a0")) == "2.6.0a0"

    def test_epochs_are_rejected(self) -> None:
        with pytest.raises(relkit.InvalidArgumentError):
            relkit.next_minor("1!2.4.0")

    def test_invalid_version_text_raises_invalid_version(self) -> None:
        with pytest.raises(relkit.InvalidVersion):
            relkit.next_minor("not a version")
