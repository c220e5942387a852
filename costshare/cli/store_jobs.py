"""``costshare store recompute DOC [VERSION]``: a stored job record computed again, to the fen.

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
    from costshare.store import get

    files: dict[str, tuple[bytes, str]] = {}
    for item in file or []:
        field, sep, path = item.partition("=")
        if not sep or not field.strip() or not path.strip():
            raise InputError(Problem(f"write a file as FIELD=PATH, got {item!r}", field="file"))
        p = Path(path.strip())
        files[field.strip()] = (jobs.FileInput.from_path(p).content(), p.name)
    with open_store(db) as store:
        ref = int(version) if version and version.isdigit() else version
        v = get(store, name, ref)
    record = v.data
    if not (isinstance(record, dict) and "job" in record and "request" in record):
        msg = f"{name} version {v.number} is a {v.kind} document, not a job record"
        raise InputError(Problem(msg, field="version"))
    job = jobs.parse(str(record["job"]), record["request"], f"{name} v{v.number}")
    needed = [k for k, v in job if isinstance(v, jobs.FileInput) and k not in files]
    if needed:
        msg = f"give the input file(s) again: {', '.join(f'--file {k}=PATH' for k in needed)}"
        raise InputError(Problem(msg + " (the record keeps only their sha256)", field="file"))
    if files:
        job = job.model_copy(update={k: getattr(job, k).with_file(*f) for k, f in files.items()})
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
