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
    fetch_index_page,
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
    GitRemote,
    GitTag,
    Presence,
    Repository,
    RevertNeeded,
    Submodule,
    audit_branch,
)

from ._relkit import (  # branch cut, RC tags, pins, the demo repository
    TRITON_PIN_PATH,
    TRITON_VERSION_PATH,
    BranchCutPlan,
    DemoChange,
    DemoRepository,
    FileEdit,
    PlannedCommit,
    RcTagPlan,
    RepositoryRcTag,
    SubmoduleCheck,
    TritonPin,
    build_demo_repository,
    check_submodules,
    guard_final_tag,
    list_rc_tags,
    next_branch_rc_tag,
    parse_commit_pin,
    parse_version_pin,
    plan_branch_cut,
    plan_rc_tag,
    read_triton_pin,
    target_release,
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
    ResolvedGitHubRepo,
    TrackerLink,
    cherry_pick_classifications,
    cherry_pick_usage,
    find_tracker_issues,
    github_api_url_for_remote,
    parse_tracker_comment,
    resolve_github_repo,
    tracker_version,
)
from ._relkit import (  # milestone validation and the final-RC readiness report
    CherryPickStatus,
    Criterion,
    MilestoneValidation,
    ReadinessReport,
    ValidatedItem,
    check_readiness,
    text_escape,
    validate_milestone,
)

from ._relkit import (
    AlreadyPresent,
    AlreadyPresentFiles,
    ArtifactName,
    ArtifactSelection,
    LocalStore,
    ObjectInfo,
    ObjectStore,
    PackageVersion,
    PlannedCopies,
    PlannedCopy,
    PromotionFailure,
    PromotionJournalState,
    PromotionPackage,
    PromotionPackages,
    PromotionPlan,
    PromotionProblem,
    PromotionProblems,
    PromotionResult,
    ReleaseAssignment,
    ReleaseProblem,
    ReleaseSet,
    ReleaseVersionsFile,
    S3Store,
    UnreadableKey,
    compare_release_sets,
    open_store,
    parse_artifact_name,
    plan_promotion,
    promote,
    read_promotion_journal,
    select_artifacts,
)

__all__ = [
    "AlreadyPresent",
    "AlreadyPresentFiles",
    "ArtifactName",
    "ArtifactSelection",
    "LocalStore",
    "ObjectInfo",
    "ObjectStore",
    "PackageVersion",
    "PlannedCopies",
    "PlannedCopy",
    "PromotionFailure",
    "PromotionJournalState",
    "PromotionPackage",
    "PromotionPackages",
    "PromotionPlan",
    "PromotionProblem",
    "PromotionProblems",
    "PromotionResult",
    "ReleaseAssignment",
    "ReleaseProblem",
    "ReleaseSet",
    "ReleaseVersionsFile",
    "S3Store",
    "UnreadableKey",
    "compare_release_sets",
    "open_store",
    "parse_artifact_name",
    "plan_promotion",
    "promote",
    "read_promotion_journal",
    "select_artifacts",
    "CherryPickStatus",
    "Criterion",
    "MilestoneValidation",
    "ReadinessReport",
    "ValidatedItem",
    "check_readiness",
    "text_escape",
    "validate_milestone",
    "CherryPickCommand",
    "CherryPickNomination",
    "CommitChecks",
    "GitHubClient",
    "GitHubRepo",
    "Issue",
    "IssueComment",
    "Milestone",
    "PullRequest",
    "ResolvedGitHubRepo",
    "TrackerLink",
    "cherry_pick_classifications",
    "cherry_pick_usage",
    "find_tracker_issues",
    "github_api_url_for_remote",
    "parse_tracker_comment",
    "resolve_github_repo",
    "tracker_version",
    "BranchAudit",
    "BranchCommit",
    "Commit",
    "CommitMessage",
    "Counterpart",
    "GitRemote",
    "GitTag",
    "Presence",
    "Repository",
    "RevertNeeded",
    "Submodule",
    "audit_branch",
    "TRITON_PIN_PATH",
    "TRITON_VERSION_PATH",
    "BranchCutPlan",
    "DemoChange",
    "DemoRepository",
    "FileEdit",
    "PlannedCommit",
    "RcTagPlan",
    "RepositoryRcTag",
    "SubmoduleCheck",
    "TritonPin",
    "build_demo_repository",
    "check_submodules",
    "guard_final_tag",
    "list_rc_tags",
    "next_branch_rc_tag",
    "parse_commit_pin",
    "parse_version_pin",
    "plan_branch_cut",
    "plan_rc_tag",
    "read_triton_pin",
    "target_release",
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
    "fetch_index_page",
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

# Wheel files read, verified and rewritten for PyPI (relkit/wheel_archive.h).
from ._relkit import (  # noqa: E402
    CoreMetadata,
    RecordCheck,
    RecordEntry,
    RecordProblem,
    WheelContents,
    WheelRewrite,
    read_wheel,
    rewrite_wheel,
    verify_wheel_record,
)

__all__ += [
    "CoreMetadata",
    "RecordCheck",
    "RecordEntry",
    "RecordProblem",
    "WheelContents",
    "WheelRewrite",
    "read_wheel",
    "rewrite_wheel",
    "verify_wheel_record",
]

# PyPI upload (issue 12): relkit/pypi_upload.h.
from ._relkit import (  # noqa: E402
    PypiAppliedFile,
    PypiPlannedFile,
    PypiUploadPlan,
    PypiUploadRun,
    pypi_upload,
)

__all__ += [
    "PypiAppliedFile",
    "PypiPlannedFile",
    "PypiUploadPlan",
    "PypiUploadRun",
    "pypi_upload",
]

# PyPI staging: the selection rule, staging and validation
# (relkit/pypi_staging.h, pypi_stage.h, pypi_validate.h).
from ._relkit import (  # noqa: E402
    PypiCandidate,
    PypiCheckProblem,
    PypiPackageValidation,
    PypiSelection,
    PypiStagedFile,
    PypiStagedWheel,
    PypiStageItem,
    PypiStagePlan,
    PypiStageProblem,
    PypiStageRun,
    PypiStagingRule,
    PypiValidation,
    pypi_select,
    pypi_stage,
    pypi_staging_rule,
    pypi_validate,
)

__all__ += [
    "PypiCandidate",
    "PypiCheckProblem",
    "PypiPackageValidation",
    "PypiSelection",
    "PypiStagedFile",
    "PypiStagedWheel",
    "PypiStageItem",
    "PypiStagePlan",
    "PypiStageProblem",
    "PypiStageRun",
    "PypiStagingRule",
    "PypiValidation",
    "pypi_select",
    "pypi_stage",
    "pypi_staging_rule",
    "pypi_validate",
]

# GitHub writes (issue 13): relkit/github_writes.h. Every create looks for its
# object first; `Written.created` is False when it was there already.
from ._relkit import (  # noqa: E402
    Written,
    add_labels,
    create_comment,
    create_issue,
    create_milestone,
    create_pull_request,
    create_ref,
    edit_issue,
    edit_milestone,
    get_issue,
)

__all__ += [
    "Written",
    "add_labels",
    "create_comment",
    "create_issue",
    "create_milestone",
    "create_pull_request",
    "create_ref",
    "edit_issue",
    "edit_milestone",
    "get_issue",
]

from ._relkit import (  # patch-release triage
    LinkedIssue,
    PatchCandidate,
    PatchDeadline,
    PatchTriage,
    patch_triage,
)

__all__ += [
    "LinkedIssue",
    "PatchCandidate",
    "PatchDeadline",
    "PatchTriage",
    "patch_triage",
]

# Tracker issues and milestones written to GitHub (issue 13):
# relkit/tracker_create.h, relkit/milestone_plan.h.
from ._relkit import (  # noqa: E402
    PlannedIssue,
    TrackerCreatePlan,
    CreatedIssue,
    TrackerCreateResult,
    PlannedMilestone,
    MilestoneCreatePlan,
    MilestoneWriteResult,
    MilestoneCreateResult,
    MilestoneMovePlan,
    MovedItem,
    MilestoneMoveResult,
    apply_milestone_create,
    apply_milestone_move,
    apply_tracker_create,
    plan_milestone_create,
    plan_milestone_move,
    plan_tracker_create,
)

__all__ += [
    "PlannedIssue",
    "TrackerCreatePlan",
    "CreatedIssue",
    "TrackerCreateResult",
    "PlannedMilestone",
    "MilestoneCreatePlan",
    "MilestoneWriteResult",
    "MilestoneCreateResult",
    "MilestoneMovePlan",
    "MovedItem",
    "MilestoneMoveResult",
    "apply_milestone_create",
    "apply_milestone_move",
    "apply_tracker_create",
    "plan_milestone_create",
    "plan_milestone_move",
    "plan_tracker_create",
]

from ._relkit import (  # noqa: E402  # the cherry-pick bot (plan, then apply)
    CherryPickApplyResult,
    CherryPickPlan,
    apply_cherry_pick,
    plan_cherry_pick,
)

__all__ += [
    "CherryPickApplyResult",
    "CherryPickPlan",
    "apply_cherry_pick",
    "plan_cherry_pick",
]
