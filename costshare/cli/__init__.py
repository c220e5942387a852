"""The ``costshare`` command line: a thin shell over the library.

Every command translates arguments, calls the library, and prints or writes the result.
Bad input ends with a short message naming file, row or rule, and field, and exit
code 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from costshare import rules as rules_mod
from costshare.cli._out import CliGroup, FormatOpt, emit, show_frame, state
from costshare.errors import InputError

__all__ = ["app", "main"]

app = typer.Typer(
    cls=CliGroup,
    help="costshare: who pays what in old-community renovation (城镇老旧小区改造).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
rules_app = typer.Typer(
    cls=CliGroup, help="Browse the bundled rule tables and their sources.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")

_state = state  # the name the sub-command modules import


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


@rules_app.command("list")
def rules_list() -> None:
    """List the jurisdictions with their codes and what they extend."""
    from costshare.jobs.lookup import rule_tables

    rows = []
    for rs in rule_tables():
        rows.append(
            {
                "key": rs.key,
                "name": rs.name,
                "code": rs.code,
                "chain": " → ".join(rs.chain),
                "rules": len(rs.all_rules()),
            }
        )
    show_frame(pd.DataFrame(rows))


@rules_app.command("show")
def rules_show(
    key: Annotated[
        str, typer.Argument(help="Jurisdiction key (see `costshare rules list`) or a YAML path.")
    ],
    on: Annotated[
        str | None, typer.Option(help="Date the rules must be in force on (YYYY-MM-DD).")
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Show every rule of a jurisdiction with its value, source, article, date and confidence."""
    from costshare.jobs.lookup import rule_table

    rs = rule_table(key, on)
    df = rs.provenance()
    if fmt == "table":
        typer.echo(
            f"{rs.name} ({rs.key}, {rs.code}), rules in force on {rs.on}; chain {' → '.join(rs.chain)}"
        )
        show_frame(
            df[["rule", "applies_to", "value", "confidence", "document", "article", "date", "seed"]]
        )
        for r in df[df["confidence"] == "A"].itertuples():  # assumptions stand out
            typer.echo(typer.style(f"A {r.rule}: assumption — {r.reason}", fg="yellow"))
    else:
        emit(df, fmt, None)


@rules_app.command("history")
def rules_history(
    key: Annotated[str, typer.Argument(help="Jurisdiction key or a YAML path.")],
    rule: Annotated[str, typer.Argument(help="Rule id, e.g. fund.subsidy_ratio.")],
    fmt: FormatOpt = "table",
) -> None:
    """Every dated value of one rule along the extends chain, each with its source."""
    df = rules_mod.history(key, rule)
    if fmt == "table":
        show_frame(df[["file", "effective_from", "effective_to", "value", "document", "article"]])
    else:
        emit(df, fmt, None)


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="YAML files of any kind (community, ppp, portfolio, rules, ...)."),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every bundled file of every kind (the default).")
    ] = False,
) -> None:
    """Check files of any kind: print `OK <kind> <path>` per file, or every problem found.

    With no path (or ``--all``) every bundled file is checked: scenarios, PPP scenarios,
    portfolios, rule files and the plan criteria.
    """
    from costshare.kinds import ROOT, bundled_files, check_file

    files = [*(paths or []), *(bundled_files() if all_ or not paths else [])]
    problems = []
    for path in files:
        try:
            checked = check_file(path)
        except InputError as exc:
            problems += exc.problems
            continue
        shown = path.relative_to(ROOT) if path.is_absolute() and path.is_relative_to(ROOT) else path
        typer.echo(f"OK {checked.kind} {shown.as_posix()} ({checked.summary})")
    if problems:
        raise InputError(problems)


def _register_optional() -> None:
    """Sub-commands that live in their own modules (PPP, household sheet, votes, ...)."""
    import importlib

    for mod, names in {
        "costshare.cli.ppp": {"ppp": "ppp_command"},
        "costshare.cli.sheet": {"sheet": "sheet_command"},
        "costshare.cli.vote": {"vote": "vote_command", "plan": "plan_command"},
        "costshare.cli.portfolio": {"portfolio": "portfolio_command"},
        "costshare.cli.community": {"run": "run_command"},
        "costshare.cli.operation": {"operate": "operate_command"},
        "costshare.cli.solve": {"solve": "solve_command"},
        "costshare.cli.api": {"api": "api_command"},
        "costshare.cli.consent": {"gate": "gate_command"},
        "costshare.cli.transfers": {"transfers": "transfers_command"},
        "costshare.cli.evaluate": {"evaluate": "evaluate_command"},
        "costshare.cli.management": {
            "suggest-mode": "suggest_command",
            "merge-estates": "merge_command",
        },
        "costshare.cli.utility": {
            "handover": "handover_command",
            "tax-relief": "tax_relief_command",
        },
        "costshare.cli.elevator_life": {"elevator-life": "elevator_life_command"},
        "costshare.cli.sweep": {"sweep": "sweep_command"},
    }.items():
        try:
            module = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
            continue
        for cmd, fn in names.items():
            if hasattr(module, fn):
                app.command(cmd)(getattr(module, fn))


_register_optional()
from costshare.cli import store_admin, store_jobs  # noqa: E402, F401  (register their commands)
from costshare.cli.store import store_app  # noqa: E402  (the store's sub-app)

app.add_typer(store_app, name="store")


def main() -> None:
    """Entry point: run the app; input errors end in :class:`CliGroup`, others here."""
    try:
        # in non-standalone mode click returns (not raises) the code of typer.Exit(n)
        code = app(standalone_mode=False)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        sys.exit(code or 0)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        if state["debug"]:
            raise
        typer.echo(
            f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
