"""relkit: release engineering as a library.

The compiled core (``relkit._relkit``, C++ over pybind11) does the work; this
package re-exports it under Pythonic names. ``Version`` is a drop-in
replacement for ``packaging.version.Version``::

    from relkit import Version, InvalidVersion

    Version("2.4.0-RC1") < Version("2.4.0")      # True
    relkit.sort_versions(["2.10.0", "2.9.1"])   # ['2.9.1', '2.10.0']

Errors derive from ``relkit.Error`` (with ``.code``, the absl status code name)
and from the builtin a caller would catch (``InvalidVersion`` is a
``ValueError``, ``NotFoundError`` a ``LookupError``, ...).
"""

from __future__ import annotations

try:
    from . import _relkit
except ImportError as _error:  # pragma: no cover - depends on the install
    raise ImportError(
        "relkit: the compiled module relkit._relkit could not be loaded "
        f"({_error}). Install the package with "
        "`pip install --no-build-isolation --no-index <relkit checkout>`, or for "
        "a development tree build it with CMake "
        "(-DRELKIT_BUILD_PYTHON=ON -DRELKIT_PYTHON_OUTPUT_DIR=<checkout>/python/relkit, "
        "target _relkit) and put <checkout>/python on PYTHONPATH."
    ) from _error

from ._relkit import (
    AbortedError,
    Accelerator,
    AlreadyExistsError,
    CancelledError,
    DataLossError,
    DeadlineExceededError,
    Error,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    InvalidName,
    InvalidSdistFilename,
    InvalidSpecifier,
    InvalidVersion,
    InvalidWheelFilename,
    NotFoundError,
    OutOfRangeError,
    PermissionDeniedError,
    RcTag,
    ReleaseBranch,
    ResourceExhaustedError,
    SdistFilename,
    Specifier,
    SpecifierSet,
    Tag,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    Version,
    WheelFilename,
    canonicalize_name,
    canonicalize_version,
    cuda_dotted_form,
    cuda_short_form,
    filter_versions,
    is_normalized_name,
    make_nightly_version,
    max_version,
    next_main_version,
    next_minor,
    next_patch,
    next_rc_tag,
    nightly_date,
    parse_sdist_filename,
    parse_tag,
    parse_versions,
    parse_wheel_filename,
    sort_versions,
    with_accelerator,
)

from ._relkit import (  # wheel indexes, coverage, release day
    IndexedWheel,
    InconsistentWheel,
    OversizeWheel,
    PublishPlan,
    PublishedVersions,
    SkippedLink,
    WheelCoverageReport,
    WheelIndex,
    check_wheel_coverage,
    expected_wheel_pattern,
    parse_wheel_index,
    plan_stable_release,
    quick_start_install_matrix,
    quick_start_module_json,
    wheel_os,
    wheel_python_version,
)

from ._relkit import (  # binary build matrix
    BuildMatrix,
    ChannelTables,
    ExpectedWheel,
    parse_build_matrix_timeline,
)

from ._relkit import (  # compatibility matrix, release schedule
    CompatibilityMatrix,
    CPythonVersion,
    CudaEntry,
    Deviation,
    MatrixChange,
    MatrixDiff,
    MatrixRow,
    OsSupport,
    ReleaseSchedule,
    ScheduleDate,
    ScheduleEvent,
    ScheduleRow,
    SupportPolicy,
    latest_minor_versions,
)

from ._relkit import (  # git, commit messages, branch audit
    BranchAudit,
    BranchCommit,
    Commit,
    CommitMessage,
    Counterpart,
    GitTag,
    Presence,
    Repository,
    RevertNeeded,
    Submodule,
    audit_branch,
)

__version__: str = _relkit.__version__


def parse(version: str) -> Version:
    """Parses ``version`` like ``packaging.version.parse``.

    Raises InvalidVersion (a ValueError) when it is not a valid PEP 440
    version.
    """
    return Version(version)


from ._relkit import (  # GitHub data, milestones, cherry-picks
    CherryPickCommand,
    CherryPickNomination,
    CommitChecks,
    GitHubClient,
    GitHubRepo,
    Issue,
    IssueComment,
    Milestone,
    PullRequest,
    TrackerLink,
    cherry_pick_classifications,
    cherry_pick_usage,
    find_tracker_issues,
    github_api_url_for_remote,
    parse_tracker_comment,
    tracker_version,
)

__all__ = [
    "CherryPickCommand",
    "CherryPickNomination",
    "CommitChecks",
    "GitHubClient",
    "GitHubRepo",
    "Issue",
    "IssueComment",
    "Milestone",
    "PullRequest",
    "TrackerLink",
    "cherry_pick_classifications",
    "cherry_pick_usage",
    "find_tracker_issues",
    "github_api_url_for_remote",
    "parse_tracker_comment",
    "tracker_version",
    "BranchAudit",
    "BranchCommit",
    "Commit",
    "CommitMessage",
    "Counterpart",
    "GitTag",
    "Presence",
    "Repository",
    "RevertNeeded",
    "Submodule",
    "audit_branch",
    "CompatibilityMatrix",
    "CPythonVersion",
    "CudaEntry",
    "Deviation",
    "MatrixChange",
    "MatrixDiff",
    "MatrixRow",
    "OsSupport",
    "ReleaseSchedule",
    "ScheduleDate",
    "ScheduleEvent",
    "ScheduleRow",
    "SupportPolicy",
    "latest_minor_versions",
    "BuildMatrix",
    "ChannelTables",
    "ExpectedWheel",
    "parse_build_matrix_timeline",
    "IndexedWheel",
    "InconsistentWheel",
    "OversizeWheel",
    "PublishPlan",
    "PublishedVersions",
    "SkippedLink",
    "WheelCoverageReport",
    "WheelIndex",
    "check_wheel_coverage",
    "expected_wheel_pattern",
    "parse_wheel_index",
    "plan_stable_release",
    "quick_start_install_matrix",
    "quick_start_module_json",
    "wheel_os",
    "wheel_python_version",
    "AbortedError",
    "Accelerator",
    "AlreadyExistsError",
    "CancelledError",
    "DataLossError",
    "DeadlineExceededError",
    "Error",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidName",
    "InvalidSdistFilename",
    "InvalidSpecifier",
    "InvalidVersion",
    "InvalidWheelFilename",
    "NotFoundError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "RcTag",
    "ReleaseBranch",
    "ResourceExhaustedError",
    "SdistFilename",
    "Specifier",
    "SpecifierSet",
    "Tag",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "Version",
    "WheelFilename",
    "__version__",
    "canonicalize_name",
    "canonicalize_version",
    "cuda_dotted_form",
    "cuda_short_form",
    "filter_versions",
    "is_normalized_name",
    "make_nightly_version",
    "max_version",
    "next_main_version",
    "next_minor",
    "next_patch",
    "next_rc_tag",
    "nightly_date",
    "parse",
    "parse_sdist_filename",
    "parse_tag",
    "parse_versions",
    "parse_wheel_filename",
    "sort_versions",
    "with_accelerator",
]
