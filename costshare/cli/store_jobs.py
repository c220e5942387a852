"""``costshare store recompute`` and ``publish``: a stored job record computed again, to the fen,
and a sheet's notice (a vote's ballot forms) rebuilt from its stored version and tagged
``published``.

Registered on :data:`costshare.cli.store.store_app`. A record keeps its inputs (scenario
documents inline; input files as their sha256 only), so files are handed in again with
``--file roster=PATH``; the result's headline must equal the one stored beside the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from costshare.cli.store import DbOpt, open_store, store_app
from costshare.errors import InputError, Problem

__all__: list[str] = []


def _files(file: list[str] | None) -> dict[str, tuple[bytes, str]]:
    """``--file FIELD=PATH`` options as ``{field: (bytes, name)}``."""
    from costshare import jobs

    files: dict[str, tuple[bytes, str]] = {}
    for item in file or []:
        field, sep, path = item.partition("=")
        if not sep or not field.strip() or not path.strip():
            raise InputError(Problem(f"write a file as FIELD=PATH, got {item!r}", field="file"))
        p = Path(path.strip())
        files[field.strip()] = (jobs.FileInput.from_path(p).content(), p.name)
    return files


@contextmanager
def _cli_files() -> Iterator[None]:
    """A missing input file named as the option that gives it (``--file roster=PATH``)."""
    from costshare.jobs.publish import MissingFilesError

    try:
        yield
    except MissingFilesError as exc:
        opts = ", ".join(f"--file {k}=PATH" for k in exc.fields)
        msg = f"give the input file(s) again: {opts} (the record keeps only their sha256)"
        raise InputError(Problem(msg, field="file")) from None


def _ref(version: str | None) -> int | str | None:
    return int(version) if version and version.isdigit() else version


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
    from costshare.jobs.publish import publish
    from costshare.report.safe import atomic_write_bytes

    with open_store(db) as store, _cli_files():
        done = publish(store, name, _ref(version) or version, _files(file), tag_name=tag_name)
    atomic_write_bytes(output, done.data)
    t = done.tag
    typer.echo(f"wrote {output}; tagged {name} version {t.number} {t.tag!r} ({t.file_hash})")


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
    from costshare.jobs.publish import stored_job

    with open_store(db) as store, _cli_files():
        job, v = stored_job(store, name, _ref(version), _files(file))
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
