"""``costshare store`` commands of the audit and operation side: log, upgrade, verify,
export, import, purge (registered on :data:`costshare.cli.store.store_app`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli.store import DbOpt, open_store, store_app

__all__: list[str] = []


@store_app.command("log")
def log_cmd(
    name: Annotated[str | None, typer.Argument(help="Only this document's entries.")] = None,
    last: Annotated[int, typer.Option(help="Show the newest N entries (0: all).")] = 0,
    db: DbOpt = None,
) -> None:
    """The audit log: who did what, when, for which office, refused attempts included."""
    import pandas as pd

    from costshare.cli._out import show_frame
    from costshare.store import log

    with open_store(db) as store:
        entries = log(store, name, last or None)
    if not entries:
        typer.echo("the audit log has no entries" + (f" for {name}" if name else ""))
        return
    rows = [
        {
            "time": e.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "user": e.actor,
            "office": e.office,
            "action": e.action,
            "outcome": e.outcome,
            "document": e.document or "",
            "version": "" if e.version is None else e.version,
            "hash": (e.content_hash or "")[:12],
            "detail": e.detail,
        }
        for e in entries
    ]
    show_frame(pd.DataFrame(rows))


@store_app.command("upgrade")
def upgrade_cmd(db: DbOpt = None) -> None:
    """Bring the database's schema to this costshare's (the only command that migrates)."""
    from costshare.store import head_revision

    with open_store(db, migrate=True) as store:
        typer.echo(f"the store at {store.display_url} is at schema {head_revision()}")


@store_app.command("verify")
def verify_cmd(
    name: Annotated[str, typer.Argument(help="Document name.")],
    version: Annotated[str, typer.Argument(help="Version number or tag.")],
    file: Annotated[Path, typer.Argument(help="The posted file to check.")],
    db: DbOpt = None,
) -> None:
    """Whether FILE is exactly the file published for that version (sha256); exit 1 if not."""
    from costshare.store import verify

    with open_store(db) as store:
        v = verify(store, name, version, file)
    if v.matches:
        typer.echo(f"{file.name} is the file tagged {v.tag!r} on {v.document} version {v.number}")
        return
    typer.echo(
        f"{file.name} does NOT match {v.document} version {v.number} ({v.tag!r}): "
        f"sha256 {v.actual} ≠ {v.expected}"
    )
    raise typer.Exit(1)


@store_app.command("export")
def export_cmd(
    archive: Annotated[Path, typer.Argument(help="Archive to write (.json.gz).")],
    db: DbOpt = None,
) -> None:
    """Write the whole store (versions, times, tags, hashes, audit log) to ARCHIVE (admin)."""
    from costshare.store import export_store

    with open_store(db) as store:
        n = export_store(store, archive)
    typer.echo(f"exported {n} version(s) to {archive}")


@store_app.command("import")
def import_cmd(
    archive: Annotated[Path, typer.Argument(help="Archive written by `store export`.")],
    db: DbOpt = None,
) -> None:
    """Load ARCHIVE into an empty store (hashes checked; times and log kept) (admin)."""
    from costshare.store import import_store

    with open_store(db) as store:
        n = import_store(store, archive)
        typer.echo(f"imported {n} version(s) into {store.display_url}")


@store_app.command("purge")
def purge_cmd(
    name: Annotated[str, typer.Argument(help="Document to erase.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    db: DbOpt = None,
) -> None:
    """Erase a document's content for good (admin); a tombstone stays in the audit log."""
    from costshare.store import purge

    with open_store(db) as store:
        n = purge(store, name, reason)
    typer.echo(f"purged {name}: {n} version(s) erased; the audit log keeps a tombstone")


@store_app.command("grants")
def grants_cmd(
    role: Annotated[str, typer.Argument(help="The app's PostgreSQL role.")],
    apply: Annotated[
        bool, typer.Option("--apply", help="Run them on --db (as the owner) instead of printing.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """The SQL giving ROLE read and insert rights only (no UPDATE, no DELETE); run as owner."""
    from sqlalchemy import text

    from costshare.store.roles import app_grants

    sql = app_grants(role)
    if not apply:
        typer.echo(sql)
        return
    with open_store(db) as store, store.errors(), store.engine.begin() as conn:
        for stmt in sql.splitlines():
            conn.execute(text(stmt))
    typer.echo(f"granted {role} SELECT and INSERT on the store at {store.display_url}")


@store_app.command("token")
def token_cmd(
    user: Annotated[str, typer.Argument(help="The user the token acts as (in the access file).")],
    print_only: Annotated[
        bool,
        typer.Option("--print-only", help="Do not write the tokens file; print its line."),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Issue an API token for USER (admin): shown once here, only its hash is kept."""
    from costshare.store.tokens import PEPPER_ENV, entry_yaml, issue_token

    with open_store(db) as store:
        token, entry, path = issue_token(store, user, write=not print_only)
    if print_only:
        typer.echo(f"add under 'tokens:' in {path}:\n{entry_yaml(entry)}", err=True)
    else:
        typer.echo(f"added the token's hash for {user} to {path}", err=True)
    typer.echo(f"the token is shown only now; the API needs the same ${PEPPER_ENV}", err=True)
    typer.echo(token)
