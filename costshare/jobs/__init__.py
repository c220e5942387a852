"""Jobs: one typed request per thing a user does, the one door every shell goes through.

The CLI, the app and the HTTP API build a request (a frozen pydantic model), call
:meth:`~costshare.jobs.base.Job.run` and show the typed result; the store keeps
:meth:`~costshare.jobs.base.Job.record`, from which :func:`recompute` gives the result
again to the fen. Only this package (and :mod:`costshare.rules` itself) decides which
rules apply.

>>> from costshare import jobs
>>> job = jobs.parse("community", {"scenario": {"bundled": "fujian_default.yaml"}})
>>> job.run().gap_fen == jobs.recompute(job.record()).gap_fen
True
"""

from __future__ import annotations

from typing import Any

from costshare.errors import InputError, Problem
from costshare.jobs.after import (
    HandoverJob,
    MergeEstatesJob,
    SuggestModeJob,
    TaxReliefJob,
)
from costshare.jobs.base import FileInput, Job, canonical_json
from costshare.jobs.city import PlanJob, PortfolioJob, SweepJob
from costshare.jobs.community import CommunityJob, GoalSeekJob
from costshare.jobs.finance import OperationJob, PPPJob
from costshare.jobs.household import SheetJob
from costshare.jobs.mechanisms import ElevatorLifeJob, EvaluateJob, GateJob, TransfersJob
from costshare.jobs.source import DocumentSource, merge_patch
from costshare.jobs.vote import VoteJob

__all__ = [
    "JOBS",
    "CommunityJob",
    "DocumentSource",
    "ElevatorLifeJob",
    "EvaluateJob",
    "FileInput",
    "GateJob",
    "GoalSeekJob",
    "HandoverJob",
    "InputError",
    "Job",
    "MergeEstatesJob",
    "OperationJob",
    "PPPJob",
    "PlanJob",
    "PortfolioJob",
    "SheetJob",
    "SuggestModeJob",
    "SweepJob",
    "TaxReliefJob",
    "TransfersJob",
    "VoteJob",
    "canonical_json",
    "merge_patch",
    "parse",
    "recompute",
]

JOBS: dict[str, type[Job]] = {
    j.job: j
    for j in (
        CommunityJob,
        PortfolioJob,
        SheetJob,
        VoteJob,
        PPPJob,
        OperationJob,
        PlanJob,
        GoalSeekJob,
        GateJob,
        EvaluateJob,
        TransfersJob,
        ElevatorLifeJob,
        SuggestModeJob,
        MergeEstatesJob,
        HandoverJob,
        TaxReliefJob,
        SweepJob,
    )
}
"""Every job by its name (the CLI command, the API route ``/v1/<job>``, the store kind)."""


def parse(job: str, data: Any, source: str = "request") -> Job:
    """The request of job `job` from plain data (JSON, a record's ``request``)."""
    if job not in JOBS:
        msg = f"unknown job {job!r}; jobs: {', '.join(sorted(JOBS))}"
        raise InputError(Problem(msg, field="job"))
    return JOBS[job].parse(data, source)


def recompute(record: dict[str, Any], files: dict[str, tuple[bytes, str]] | None = None) -> Any:
    """The result of a stored job record, computed again (to the fen).

    `files` maps a request's file field (``roster``, ``candidates``, ``survey``, ...) to ``(bytes, name)``:
    records keep only a file's digest, so the same file must be handed in again.
    """
    if not isinstance(record, dict) or "job" not in record or "request" not in record:
        raise InputError(Problem("not a job record (needs 'job' and 'request')", field="record"))
    job = parse(str(record["job"]), record["request"], "record")
    if files:
        update = {k: getattr(job, k).with_file(*v) for k, v in files.items()}
        job = job.model_copy(update=update)
    return job.run()
