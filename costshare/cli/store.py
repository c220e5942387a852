"""``costshare store``: save, list, show, diff, restore, tag, log, verify, export, purge.

Registered by :mod:`costshare.cli` with ``app.add_typer(store_app, name="store")``. The
database is ``--db`` (any SQLAlchemy URL or a SQLite file path), else ``$COSTSHARE_DB``,
else ``~/.costshare/costshare.db``. With an access file (``$COSTSHARE_ACCESS``) the CLI
acts as ``$COSTSHARE_USER`` (an unknown user is refused); without one it is single-user
mode as ``$COSTSHARE_USER`` or the login name. Only ``store upgrade`` changes the schema.
SQLAlchemy is imported only when a command runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from costshare.errors import InputError, Problem
from costshare.kinds import kind_of

if TYPE_CHECKING:
    from costshare.store import Store

__all__ = ["DbOpt", "open_store", "store_app"]

store_app = typer.Typer(
    help="Saved, versioned scenarios in a database (SQLite file by default, or PostgreSQL).",
    no_args_is_help=True,
)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL or SQLite file (default: $COSTSHARE_DB, else ~/.costshare/costshare.db).",
        show_default=False,
    ),
]
BaseOpt = Annotated[
    int | None,
    typer.Option(
        "--base",
        help="The version your file is based on (leave out for a new document); "
        "a save on an older version is refused.",
        show_default=False,
    ),
]
CommentOpt = Annotated[str, typer.Option("-m", "--comment", help="Why this version.")]
_ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv")


@contextmanager
def open_store(db: str | None, *, migrate: bool = False) -> Iterator[Store]:
    """Open the store (an InputError ends in the CLI's one handler: one line, exit 1)."""
    from costshare.store import Store

    with Store(db, migrate=migrate) as store:
        yield store


def _headline(kind: str, raw: dict[str, Any], name: str) -> dict[str, int] | None:
    """Headline results kept beside the inputs (community scenarios: uses, sources, gap)."""
    if kind != "community":
        return None
    from costshare.community.scenario import Scenario

    try:
        r = Scenario.from_dict(raw, name).run()
    except InputError as exc:
        typer.echo(f"warning: saved without results, the scenario does not run: {exc}", err=True)
        return None
    return {"uses_fen": r.uses_fen, "sources_fen": r.sources_fen, "gap_fen": r.gap_fen}


def _sheet_record(roster: Path, params: list[str]) -> dict[str, Any]:
    """The sheet job's store record from ``key=value`` options (``costshare sheet``'s names).

    Known keys: ``total`` (yuan), ``basis``, ``building``, ``stairwell``, ``exempt`` and
    ``exempt_floors`` (comma-separated), ``sheet`` (workbook sheet) and ``on`` (the
    rules' date, default today). The record keeps the roster's digest, never its content.
    """
    from costshare.cli.sheet import parse_floors, sheet_job

    parameters: dict[str, str] = {}
    for p in params:
        k, sep, v = p.partition("=")
        if not sep or not k.strip():
            raise InputError(Problem(f"write a parameter as key=value, got {p!r}", field="param"))
        parameters[k.strip()] = v.strip()
    known = {"total", "basis", "building", "stairwell", "exempt", "exempt_floors", "sheet", "on"}
    unknown = sorted(set(parameters) - known)
    if unknown:
        msg = f"unknown sheet parameter(s) {unknown}; known: {sorted(known)}"
        raise InputError(Problem(msg, field="param"))
    if "total" not in parameters:
        raise InputError(Problem("give the amount to share: --param total=AMOUNT", field="param"))
    job = sheet_job(
        roster,
        total=parameters["total"],
        basis=parameters.get("basis", "area"),
        on=parameters.get("on"),
        worksheet=parameters.get("sheet"),
        building=parameters.get("building"),
        stairwell=parameters.get("stairwell"),
        exempt=tuple(x for x in parameters.get("exempt", "").split(",") if x.strip()),
        exempt_floors=parse_floors(parameters.get("exempt_floors")),
    )
    return job.record()


@store_app.command("save")
def save_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario/rule YAML, or a roster (.xlsx/.csv).")],
    name: Annotated[str | None, typer.Option(help="Document name (default: file stem).")] = None,
    kind: Annotated[
        str | None, typer.Option(help="community, ppp, portfolio, operation, rules …")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(help="Roster only: sheet parameter key=value (basis, total …); repeatable."),
    ] = None,
    results: Annotated[
        bool, typer.Option(help="Keep headline results (community scenarios).")
    ] = True,
    base: BaseOpt = None,
    comment: CommentOpt = "",
    db: DbOpt = None,
) -> None:
    """Save FILE as a new version based on version --base (nothing is recorded when unchanged)."""
    from costshare.store import save
    from costshare.store.content import parse_content

    with open_store(db) as store:
        doc = name or file.stem
        if file.suffix.lower() in _ROSTER_SUFFIXES:
            from costshare.jobs import canonical_json

            record = _sheet_record(file, param or [])
            text = canonical_json(record)
            saved = save(
                store,
                record["job"],
                doc,
                text,
                None,
                comment,
                results=record["results"],
                base=base or 0,
            )
        else:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(Problem(f"cannot read: {exc}", file=str(file))) from None
            raw = parse_content(text, file.name)
            k = kind or kind_of(raw, file.name)
            head = _headline(k, raw, file.name) if results else None
            saved = save(store, k, doc, text, None, comment, results=head, base=base or 0)
        v = saved.version
        if saved.unchanged:
            typer.echo(f"unchanged: {v.document} version {v.number} already holds this text")
        else:
            typer.echo(f"saved {v.document} version {v.number} ({v.kind}, {v.content_hash[:12]})")


def _fmt(key: str, value: Any) -> str:
    from costshare.money import format_amount

    if value is None:
        return ""
    if key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
        return format_amount(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _when(t: Any) -> str:
    return t.strftime("%Y-%m-%d %H:%M UTC")


@store_app.command("list")
def list_cmd(
    name: Annotated[str | None, typer.Argument(help="Show this document's versions.")] = None,
    db: DbOpt = None,
) -> None:
    """List documents, or one document's versions with their tags and results."""
    import pandas as pd

    from costshare.cli._out import show_frame
    from costshare.store import documents, history

    with open_store(db) as store:
        if name is None:
            rows = [
                {
                    "document": d.name,
                    "kind": d.kind,
                    "versions": d.versions,
                    "latest": d.latest,
                    "updated": _when(d.updated),
                    "tags": ", ".join(f"{t.tag}@{t.number}" for t in d.tags),
                }
                for d in documents(store)
            ]
            if not rows:
                typer.echo(f"the store at {store.display_url} is empty")
                return
        else:
            rows = [
                {
                    "version": v.number,
                    "created": _when(v.created),
                    "author": v.author,
                    "comment": v.comment,
                    "hash": v.content_hash[:12],
                    "tags": ", ".join(t.tag for t in v.tags),
                    "results": "; ".join(f"{k} {_fmt(k, x)}" for k, x in (v.results or {}).items()),
                }
                for v in history(store, name)
            ]
        show_frame(pd.DataFrame(rows))


@store_app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Document name.")],
    version: Annotated[
        str | None, typer.Argument(help="Version number or tag (default: latest).")
    ] = None,
    meta: Annotated[
        bool, typer.Option("--meta", help="Print who, when, why, hash, results, tags.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Print a version's content exactly as stored (or its metadata with --meta)."""
    from costshare.store import get

    with open_store(db) as store:
        v = get(store, name, version)
        if not meta:
            typer.echo(v.content, nl=not v.content.endswith("\n"))
            return
        typer.echo(f"{v.document} version {v.number} ({v.kind})")
        typer.echo(f"  author:  {v.author}\n  created: {_when(v.created)}\n  comment: {v.comment}")
        typer.echo(f"  sha256:  {v.content_hash}")
        for k, x in (v.results or {}).items():
            typer.echo(f"  {k}: {_fmt(k, x)}")
        for t in v.tags:
            extra = f", file sha256 {t.file_hash}" if t.file_hash else ""
            by = f" by {t.author}" if t.author else ""
            typer.echo(f"  tag {t.tag} ({_when(t.created)}{by}{extra}) {t.note}".rstrip())


@store_app.command("diff")
def diff_cmd(
    name: Annotated[str, typer.Argument(help="Document name.")],
    old: Annotated[
        str | None, typer.Argument(help="Old version or tag (default: the one before NEW).")
    ] = None,
    new: Annotated[str | None, typer.Argument(help="New version or tag (default: latest).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the diff as JSON.")] = False,
    db: DbOpt = None,
) -> None:
    """Field-level changes between two versions, and their headline results side by side."""
    import pandas as pd

    from costshare.cli._out import show_frame
    from costshare.store import diff

    with open_store(db) as store:
        d = diff(store, name, old, new)
    if as_json:
        typer.echo(json.dumps(d.to_dict(), ensure_ascii=False, indent=2))
        return
    same = " (same content hash)" if d.same_content else ""
    typer.echo(f"{d.document}: version {d.old} → {d.new}, {len(d.changes)} field(s) changed{same}")
    if d.changes:
        show_frame(
            pd.DataFrame(
                [
                    {
                        "field": c.path,
                        "change": c.change,
                        "old": _fmt("", c.old),
                        "new": _fmt("", c.new),
                    }
                    for c in d.changes
                ]
            )
        )
    if d.results:
        typer.echo("results:")
        rows = [
            {
                "result": r.key,
                f"v{d.old}": _fmt(r.key, r.old),
                f"v{d.new}": _fmt(r.key, r.new),
                "change": _fmt(r.key, r.delta),
            }
            for r in d.results
        ]
        show_frame(pd.DataFrame(rows))


@store_app.command("restore")
def restore_cmd(
    name: Annotated[str, typer.Argument(help="Document name.")],
    version: Annotated[str, typer.Argument(help="Version number or tag to bring back.")],
    base: BaseOpt = None,
    comment: CommentOpt = "",
    db: DbOpt = None,
) -> None:
    """Save an old version's content again as the newest version (history is kept)."""
    from costshare.store import restore

    with open_store(db) as store:
        saved = restore(store, name, version, None, comment, base=base)
    v = saved.version
    if saved.unchanged:
        typer.echo(f"unchanged: version {v.number} of {name} already holds that content")
    else:
        typer.echo(f"restored {name} version {version} as version {v.number}")


@store_app.command("tag")
def tag_cmd(
    name: Annotated[str, typer.Argument(help="Document name.")],
    version: Annotated[str, typer.Argument(help="Version number (or 'latest').")],
    tag_name: Annotated[str, typer.Argument(metavar="TAG", help="Tag, e.g. published.")],
    file: Annotated[
        Path | None, typer.Option(help="The file that was published; its sha256 is recorded.")
    ] = None,
    note: Annotated[str, typer.Option(help="A note kept with the tag.")] = "",
    db: DbOpt = None,
) -> None:
    """Tag a version (e.g. published, with the posted notice's file hash); tags never move."""
    from costshare.store import tag

    with open_store(db) as store:
        t = tag(store, name, version, tag_name, note=note, file=file)
    extra = f", file sha256 {t.file_hash}" if t.file_hash else ""
    typer.echo(f"{t.document} version {t.number} tagged {t.tag!r} by {t.author}{extra}")
