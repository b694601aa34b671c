"""The exception hierarchy: one class per absl status code, each also the
builtin a Python caller would catch, raised by the single status translator."""

from __future__ import annotations

import pickle

import pytest

import relkit
from relkit import _relkit

# code -> (class, builtin it must also be)
HIERARCHY: dict[str, tuple[type[relkit.Error], type[BaseException] | None]] = {
    "CANCELLED": (relkit.CancelledError, None),
    "UNKNOWN": (relkit.Error, None),
    "INVALID_ARGUMENT": (relkit.InvalidArgumentError, ValueError),
    "DEADLINE_EXCEEDED": (relkit.DeadlineExceededError, TimeoutError),
    "NOT_FOUND": (relkit.NotFoundError, LookupError),
    "ALREADY_EXISTS": (relkit.AlreadyExistsError, FileExistsError),
    "PERMISSION_DENIED": (relkit.PermissionDeniedError, PermissionError),
    "RESOURCE_EXHAUSTED": (relkit.ResourceExhaustedError, RuntimeError),
    "FAILED_PRECONDITION": (relkit.FailedPreconditionError, RuntimeError),
    "ABORTED": (relkit.AbortedError, RuntimeError),
    "OUT_OF_RANGE": (relkit.OutOfRangeError, ValueError),
    "UNIMPLEMENTED": (relkit.UnimplementedError, NotImplementedError),
    "INTERNAL": (relkit.InternalError, RuntimeError),
    "UNAVAILABLE": (relkit.UnavailableError, ConnectionError),
    "DATA_LOSS": (relkit.DataLossError, RuntimeError),
    "UNAUTHENTICATED": (relkit.UnauthenticatedError, PermissionError),
}

# domain number (ErrorDomain in bindings.h) -> packaging-style alias
DOMAINS: dict[int, type[relkit.InvalidArgumentError]] = {
    1: relkit.InvalidVersion,
    2: relkit.InvalidSpecifier,
    3: relkit.InvalidWheelFilename,
    4: relkit.InvalidSdistFilename,
    5: relkit.InvalidName,
}


def test_error_is_an_exception_with_a_code() -> None:
    assert issubclass(relkit.Error, Exception)
    assert relkit.Error.code == "UNKNOWN"


@pytest.mark.parametrize("code", sorted(HIERARCHY))
def test_class_derives_from_error_and_its_builtin(code: str) -> None:
    cls, builtin = HIERARCHY[code]
    assert issubclass(cls, relkit.Error)
    if builtin is not None:
        assert issubclass(cls, builtin)
    assert cls.code == code
    assert cls.__module__ == "relkit"
    assert getattr(relkit, cls.__name__) is cls


@pytest.mark.parametrize("code", sorted(HIERARCHY))
def test_translator_maps_each_status_code_to_its_class(code: str) -> None:
    cls, builtin = HIERARCHY[code]
    with pytest.raises(cls) as info:
        _relkit._raise_status(code, f"thing {code.lower()} failed")
    assert type(info.value) is cls
    assert info.value.code == code
    assert str(info.value) == f"thing {code.lower()} failed"
    if builtin is not None:
        assert isinstance(info.value, builtin)


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_invalid_argument_in_a_domain_raises_the_packaging_alias(
    domain: int,
) -> None:
    alias = DOMAINS[domain]
    assert issubclass(alias, relkit.InvalidArgumentError)
    assert issubclass(alias, ValueError)
    assert alias.code == "INVALID_ARGUMENT"
    with pytest.raises(alias) as info:
        _relkit._raise_status("INVALID_ARGUMENT", "bad input", domain)
    assert type(info.value) is alias
    assert info.value.code == "INVALID_ARGUMENT"


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_other_codes_ignore_the_domain(domain: int) -> None:
    with pytest.raises(relkit.NotFoundError) as info:
        _relkit._raise_status("NOT_FOUND", "missing", domain)
    assert type(info.value) is relkit.NotFoundError


def test_unknown_code_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown status code"):
        _relkit._raise_status("NO_SUCH_CODE", "x")


def test_catching_the_builtin_works_for_real_errors() -> None:
    with pytest.raises(ValueError):
        relkit.Version("french toast")
    with pytest.raises(LookupError):
        relkit.max_version(["not", "versions"])


def test_invalid_version_names_the_input() -> None:
    with pytest.raises(relkit.InvalidVersion) as info:
        relkit.Version("1.0+a+")
    assert "1.0+a+" in str(info.value)
    assert info.value.code == "INVALID_ARGUMENT"


def test_errors_pickle_with_their_code() -> None:
    with pytest.raises(relkit.NotFoundError) as info:
        _relkit._raise_status("NOT_FOUND", 'milestone "2.4.1" not found')
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is relkit.NotFoundError
    assert copy.code == "NOT_FOUND"
    assert str(copy) == 'milestone "2.4.1" not found'


def test_user_code_can_raise_relkit_errors() -> None:
    with pytest.raises(relkit.Error) as info:
        raise relkit.UnavailableError("pypi.org returned 503")
    assert info.value.code == "UNAVAILABLE"
    assert isinstance(info.value, ConnectionError)
