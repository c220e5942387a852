"""``costshare store recompute`` and ``publish``: a stored job record computed again, to the fen,
and a sheet's notice (a vote's ballot forms) rebuilt from its stored version and tagged
``published``.

Registered on :data:`costshare.cli.store.store_app`. A record keeps its inputs (scenario
documents inline; input files as their sha256 only), so files are handed in again with
``--file roster=PATH``; the result's headline must equal the one stored beside the record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli.store import DbOpt, open_store, store_app
from costshare.errors import InputError, Problem

__all__: list[str] = []


def _job_of(store: object, name: str, version: str | None, file: list[str] | None) -> tuple:
    """The job of a stored record with its input files handed in again, and the version."""
    from costshare import jobs
    from costshare.store import get

    files: dict[str, tuple[bytes, str]] = {}
    for item in file or []:
        field, sep, path = item.partition("=")
        if not sep or not field.strip() or not path.strip():
            raise InputError(Problem(f"write a file as FIELD=PATH, got {item!r}", field="file"))
        p = Path(path.strip())
        files[field.strip()] = (jobs.FileInput.from_path(p).content(), p.name)
    ref = int(version) if version and version.isdigit() else version
    v = get(store, name, ref)  # type: ignore[arg-type]
    record = v.data
    if not (isinstance(record, dict) and "job" in record and "request" in record):
        msg = f"{name} version {v.number} is a {v.kind} document, not a job record"
        raise InputError(Problem(msg, field="version"))
    job = jobs.parse(str(record["job"]), record["request"], f"{name} v{v.number}")
    needed = [k for k, val in job if isinstance(val, jobs.FileInput) and k not in files]
    if needed:
        msg = f"give the input file(s) again: {', '.join(f'--file {k}=PATH' for k in needed)}"
        raise InputError(Problem(msg + " (the record keeps only their sha256)", field="file"))
    if files:
        job = job.model_copy(update={k: getattr(job, k).with_file(*f) for k, f in files.items()})
    return job, v


@store_app.command("publish")
def publish_cmd(
    name: Annotated[str, typer.Argument(help="Document name (a saved household sheet or vote).")],
    version: Annotated[str, typer.Argument(help="Version number to publish.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Write the notice (ballots) PDF here.")
    ],
    file: Annotated[
        list[str] | None,
        typer.Option(
            help="The roster again, roster=PATH (a vote: register=PATH); records keep only "
            "its sha256."
        ),
    ] = None,
    tag_name: Annotated[str, typer.Option("--tag", help="Tag name.")] = "published",
    db: DbOpt = None,
) -> None:
    """Rebuild the notice from the stored version, write it, and tag that version with its
    sha256: the posted file is the stored version's, byte for byte (see ``store verify``)."""
    from costshare.jobs.notice import notice_pdf
    from costshare.report.safe import atomic_write_bytes
    from costshare.store import tag

    with open_store(db) as store:
        ballots = _vote_ballots(store, name, version, file)  # a vote record: its ballot forms
        if ballots is not None:
            atomic_write_bytes(output, ballots[0])
            t = tag(store, name, ballots[1].number, tag_name, file=ballots[0])
            typer.echo(
                f"wrote {output}; tagged {name} version {t.number} {t.tag!r} ({t.file_hash})"
            )
            return
        job, v = _job_of(store, name, version, file)
        if job.job != "sheet":
            msg = f"{name} version {v.number} is a {job.job} record: only sheets have notices"
            raise InputError(Problem(msg, field="version"))
        pdf = notice_pdf(job)
        atomic_write_bytes(output, pdf)
        t = tag(store, name, v.number, tag_name, file=pdf)
    typer.echo(f"wrote {output}; tagged {name} version {v.number} {t.tag!r} ({t.file_hash})")


def _vote_ballots(
    store: object, name: str, version: str, file: list[str] | None
) -> tuple[bytes, object] | None:
    """The ballot forms of a stored vote record rebuilt from it, and the version; ``None``
    when the version is not a vote record. Only the register is needed again
    (``--file register=PATH``, or ``units=PATH``): the forms never read the ballots."""
    from costshare import jobs
    from costshare.jobs.vote import ballot_pdf
    from costshare.store import get

    v = get(store, name, int(version) if version.isdigit() else version)  # type: ignore[arg-type]
    record = v.data
    if not (isinstance(record, dict) and record.get("job") == "vote" and "request" in record):
        return None
    given: dict[str, str] = {}
    for item in file or []:
        field, sep, path = item.partition("=")
        if not sep or not field.strip() or not path.strip():
            raise InputError(Problem(f"write a file as FIELD=PATH, got {item!r}", field="file"))
        given[field.strip()] = path
    path = (given.get("register") or given.get("units") or "").strip()
    if not path:
        msg = "give the register again: --file register=PATH (the record keeps only its sha256)"
        raise InputError(Problem(msg, field="file"))
    job = jobs.parse("vote", record["request"], f"{name} v{v.number}")
    register = jobs.FileInput.from_path(path)
    job = job.model_copy(update={"units": job.units.with_file(register.content(), register.name)})
    return ballot_pdf(job), v


@store_app.command("recompute")
def recompute_cmd(
    name: Annotated[str, typer.Argument(help="Document name.")],
    version: Annotated[str | None, typer.Argument(help="Version number or tag (newest).")] = None,
    file: Annotated[
        list[str] | None,
        typer.Option(help="An input file again, FIELD=PATH (roster=名册.xlsx); repeatable."),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Compute a stored job record again and compare it with the stored results (exit 1 if not)."""
    import json

    from costshare import jobs

    with open_store(db) as store:
        job, v = _job_of(store, name, version, file)
    record = v.data
    again = json.loads(jobs.canonical_json(job.headline(job.run())))
    stored = v.results or record.get("results") or {}
    if again == stored:
        typer.echo(f"{name} version {v.number} ({record['job']}): recomputed, equal to the fen")
        return
    typer.echo(f"{name} version {v.number}: recomputed results differ from the stored ones")
    for key in sorted(set(again) | set(stored)):
        if again.get(key) != stored.get(key):
            typer.echo(f"  {key}: stored {stored.get(key)!r}, now {again.get(key)!r}")
    raise typer.Exit(1)
