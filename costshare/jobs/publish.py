"""Publishing a stored job version: its posted file rebuilt from the STORED record, then tagged.

One function for every shell: ``costshare store publish``, the app's publish button and the
API's ``POST /v1/store/documents/{name}/versions/{ref}/publish`` all call :func:`publish`,
so the tag's sha256 is that of the file the stored version gives, never of a page's
current (perhaps unsaved) state. A record keeps its input files as sha256 only, so the
files are handed in again (``files``); the same record and files give the same bytes.

>>> from costshare.jobs import FileInput, SheetJob
>>> from costshare.store import Store, save
>>> job = SheetJob(roster=FileInput.from_path("data/sample_roster.xlsx"),
...                amount={"kind": "total", "yuan": "100000"}, on="2024-06-01")
>>> roster = {"roster": (job.roster.content(), "roster.xlsx")}
>>> with Store("sqlite://", user="ana") as st:
...     _ = save(st, "sheet", "east", job.record(), base=0)
...     p = publish(st, "east", 1, roster)
>>> p.tag.tag, p.tag.number, p.tag.file_hash == file_sha256(p.data)
('published', 1, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from costshare.errors import InputError, Problem
from costshare.jobs.base import FileInput, Job
from costshare.store.content import file_sha256

__all__ = [
    "PUBLISHABLE",
    "MissingFilesError",
    "Publication",
    "posted_file",
    "publish",
    "stored_job",
]

PUBLISHABLE = ("sheet", "vote")
"""Jobs whose stored record rebuilds a posted file (a sheet's notice, a vote's ballot forms)."""

POSTED_READS: dict[str, tuple[str, ...]] = {"vote": ("units",)}
"""The input files a job's posted file reads, where not all of them: ballot forms are
built from the register (``units``), never from the ballots cast."""

ALIASES = {"register": "units"}
"""Other names of a file field on the command line (``--file register=PATH``)."""

Files = Mapping[str, tuple[bytes, str]]


class MissingFilesError(InputError):
    """A stored record's input files were not handed in again (``fields`` names them)."""

    def __init__(self, problem: Problem, fields: list[str]) -> None:
        super().__init__(problem)
        self.fields = fields


@dataclass(frozen=True)
class Publication:
    """What publishing did: the tag (with the file's sha256) and the file's bytes."""

    tag: Any
    data: bytes


def stored_job(
    store: Any, name: str, ref: int | str | None, files: Files | None = None, *, strict: bool = True
) -> tuple[Job, Any]:
    """The job of stored version `ref` of `name`, with its input files handed in again.

    `files` maps a file field (``roster``) to ``(bytes, name)``. With ``strict=False`` a
    file whose sha256 is not the record's is left out (the page offers its current
    files; only the stored ones count); the error then names what to give again.
    """
    from costshare.jobs import parse
    from costshare.store import get

    v = get(store, name, ref)
    record = v.data
    if not (isinstance(record, dict) and "job" in record and "request" in record):
        msg = f"{name} version {v.number} is a {v.kind} document, not a job record"
        raise InputError(Problem(msg, field="version"))
    job = parse(str(record["job"]), record["request"], f"{name} v{v.number}")
    fields = type(job).model_fields
    given = {k if k in fields else ALIASES.get(k, k): f for k, f in (files or {}).items()}
    reads = POSTED_READS.get(job.job)
    if not strict:
        given = {
            k: f
            for k, f in given.items()
            if isinstance(getattr(job, k, None), FileInput)
            and file_sha256(f[0]) == getattr(job, k).sha256
        }
    needed = [
        k
        for k, val in job
        if isinstance(val, FileInput) and k not in given and (reads is None or k in reads)
    ]
    if needed:
        msg = f"give the input file(s) of version {v.number} again: {', '.join(needed)}"
        problem = Problem(msg + " (the record keeps only their sha256)", field="file")
        raise MissingFilesError(problem, needed)
    if given:
        job = job.model_copy(update={k: getattr(job, k).with_file(*f) for k, f in given.items()})
    return job, v


def posted_file(job: Job) -> bytes:
    """The file posted for `job` (a sheet's notice PDF, a vote's ballot forms), from the
    request alone."""
    if job.job not in PUBLISHABLE:
        msg = f"a {job.job} record has no posted file; publishable: {', '.join(PUBLISHABLE)}"
        raise InputError(Problem(msg, field="version"))
    if job.job == "vote":
        from costshare.jobs.vote import ballot_pdf

        return ballot_pdf(job)
    from costshare.jobs.notice import notice_pdf

    return notice_pdf(job, job.run())


def publish(
    store: Any,
    name: str,
    ref: int | str,
    files: Files | None = None,
    *,
    tag_name: str = "published",
    strict: bool = True,
) -> Publication:
    """Rebuild the posted file of stored version `ref` and tag that version with its sha256.

    The store checks that its actor may publish (the refusal is logged); tags never move,
    so publishing the same version again with the same file is a no-op.
    """
    from costshare.store import tag
    from costshare.store.reads import may_tag

    may_tag(store, name, tag_name)  # refused before the file is built
    job, v = stored_job(store, name, ref, files, strict=strict)
    data = posted_file(job)
    return Publication(tag(store, name, v.number, tag_name, file=data), data)
