"""Printing and writing results for the CLI: tables, JSON, CSV; files written atomically.

Also the CLI's one error handler: :class:`CliGroup` turns an
:class:`~costshare.errors.InputError` raised by any command into ``error: ...`` on
stderr and exit code 1 (``costshare --debug`` lets the traceback through).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import click
import pandas as pd
import typer
from typer.core import TyperGroup

from costshare.errors import InputError
from costshare.progress import Cancelled
from costshare.report.safe import atomic_write_bytes, escape_frame
from costshare.text import escape_control

__all__ = [
    "CliGroup",
    "FormatOpt",
    "OutputOpt",
    "document",
    "emit",
    "emit_job",
    "fail",
    "show_frame",
    "state",
]

state: dict[str, bool] = {"debug": False}
"""Options of the root command that every command may read (``debug``)."""


def fail(message: str, code: int = 1) -> None:
    """Print ``error: message`` on stderr and end the command with exit `code`."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class CliGroup(TyperGroup):
    """The click group of ``costshare`` and its sub-groups: the one place input errors end.

    A command raises :class:`~costshare.errors.InputError`; this prints it as
    ``error: ...`` (file, row or rule, field) and exits 1, whether the command runs from
    the ``costshare`` entry point or from a test's ``CliRunner``. Work cancelled with
    Ctrl-C (:class:`~costshare.progress.Cancelled`) ends with exit 130.
    """

    def invoke(self, ctx: Any) -> Any:
        """Run the command; an :class:`InputError` becomes ``error: ...`` and exit 1."""
        try:
            return super().invoke(ctx)
        except InputError as exc:
            if state["debug"]:
                raise
            fail(escape_control(str(exc)))
        except Cancelled:  # Ctrl-C reached a chunk boundary: outputs are atomic, none made
            fail("cancelled; nothing was written", 130)
        except (typer.Exit, typer.Abort, click.exceptions.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug, not the input: one plain sentence and a reference
            if state["debug"]:
                raise
            ref = log_unexpected(exc)
            fail(f"something went wrong inside costshare (reference {ref}); nothing was written")


def log_unexpected(exc: BaseException) -> str:
    """Log `exc` with its traceback under a short reference and return the reference.

    The log is ``$COSTSHARE_LOG`` or ``~/.costshare/errors.log``; the person sees only the
    reference (a traceback can hold file content or personal data).
    """
    import logging
    import os
    import secrets
    import traceback

    ref = secrets.token_hex(4)
    path = Path(os.environ.get("COSTSHARE_LOG") or Path.home() / ".costshare" / "errors.log")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {ref}\n{''.join(traceback.format_exception(exc))}\n")
    except OSError:
        logging.getLogger("costshare").exception("unexpected error %s", ref)
    return ref


FormatOpt = Annotated[
    Literal["table", "json", "csv"], typer.Option("--format", help="Output format.")
]
"""The ``--format`` option shared by commands that print tables."""

OutputOpt = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
]
"""The ``-o/--output`` option shared by commands that can write a file."""


def document(path: Path, kind: str) -> dict[str, Any]:
    """A request's document source for the YAML file at `path`: its data, inline."""
    from costshare.yamlio import load_kind_yaml

    data = load_kind_yaml(path, kind)
    if not isinstance(data, dict):
        raise InputError(f"{path.name}: a {kind} file must be a mapping at top level")
    return {"data": data, "file": path.name, "folder": str(path.parent)}


def emit_job(
    job: Any, result: Any, fmt: str, table: pd.DataFrame, output: Path | None = None
) -> bool:
    """Print or write a job's result: JSON is the job's summary (what the API answers),
    CSV is `table`. Returns False when `fmt` asks for the terminal table instead."""
    from costshare.jobs.output import to_jsonable

    if fmt == "json":
        emit(to_jsonable(job.summary(result)), "json", output)
        return True
    if fmt == "csv" or output is not None:
        emit(table, "csv", output)
        return True
    return False


def show_frame(df: pd.DataFrame) -> None:
    """Print a DataFrame as an aligned table (Chinese characters counted double-width)."""
    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.width",
        250,
        "display.max_rows",
        500,
        "display.max_columns",
        50,
        "display.max_colwidth",
        60,
    ):
        typer.echo(df.to_string(index=False))


def _json_default(x: Any) -> Any:
    if isinstance(x, Decimal):
        return str(x)
    if hasattr(x, "isoformat"):
        return x.isoformat()
    if hasattr(x, "item"):
        return x.item()
    return str(x)


def emit(data: pd.DataFrame | dict[str, Any], fmt: str, output: Path | None) -> None:
    """Render `data` as JSON or CSV and print it or write it atomically to `output`."""
    if fmt == "json":
        obj = data.to_dict("records") if isinstance(data, pd.DataFrame) else data
        payload = json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default).encode()
    else:
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame([data])
        # UTF-8 with BOM so Excel opens the Chinese correctly; formulas escaped
        payload = escape_frame(frame).to_csv(index=False).encode("utf-8-sig")
    if output is None:
        typer.echo(payload.decode("utf-8-sig").rstrip("\n"))
    else:
        atomic_write_bytes(output, payload)
        typer.echo(f"wrote {output}")
