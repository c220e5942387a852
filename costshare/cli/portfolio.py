"""``costshare portfolio FILE``: a city's communities, sources and uses, gap first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer

from costshare.cli._out import emit, show_frame
from costshare.cli.community import AuditOpt
from costshare.errors import InputError, Problem

__all__ = ["portfolio_command"]


def portfolio_command(
    file: Annotated[
        Path, typer.Argument(help="Portfolio file: YAML, CSV or XLSX table of communities.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Also write an xlsx workbook (summary + one sheet per channel)."
        ),
    ] = None,
    fmt: Annotated[
        Literal["table", "json", "csv"],
        typer.Option("--format", help="Printed output: table, json, or csv of communities."),
    ] = "table",
    top: Annotated[
        int, typer.Option(help="Communities shown in the table (gap first); 0 for all.")
    ] = 20,
    date: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Date of the rules for rows without a template (default: the file's, else today).",
        ),
    ] = None,
    community: Annotated[
        str | None,
        typer.Option(help="Show one community's sources and uses (the lines of its scenario run)."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar (default: when stderr is a terminal)."
        ),
    ] = None,
    audit: AuditOpt = False,
) -> None:
    """Run a city portfolio: totals by channel and payer, communities with a gap first."""
    from costshare.report.audit import audit_frame

    if output is not None and output.suffix.lower() != ".xlsx":
        raise InputError(Problem("the output must be an .xlsx file", file=str(output)))
    from costshare.cli._out import document
    from costshare.cli.bar import command_progress
    from costshare.jobs import FileInput, PortfolioJob

    day = date.date() if date is not None else None
    if file.suffix.lower() in (".yaml", ".yml"):
        request: dict[str, object] = {"portfolio": document(file, "portfolio"), "on": day}
    else:
        request = {"table": FileInput.from_path(file), "on": day}
    job = PortfolioJob.parse(request, file.name)
    with command_progress(show=progress) as bar:  # a bar when stderr is a terminal
        result = job.run(progress=bar)
    if output is not None:
        from costshare.report.portfolio_xlsx import write_portfolio_xlsx

        write_portfolio_xlsx(result, output)
        typer.echo(f"wrote {output}", err=fmt != "table")
    if community is not None:
        if fmt == "table":
            show_frame(result.community(community).drop(columns=["amount_fen", "key"]))
        else:
            emit(result.community_dict(community) if fmt == "json" else
                 result.community(community).drop(columns="amount_fen"), fmt, None)  # fmt: skip
        return
    appendix = audit_frame(result, assumptions=_assumptions(file), document=file.name)
    if fmt == "json":
        data = result.to_dict()
        if audit:
            data["audit"] = appendix.to_dict("records")
        emit(data, "json", None)
        return
    if fmt == "csv":
        emit(appendix if audit else result.wide(), "csv", None)
        return
    tot = result.totals()
    typer.echo(
        f"{result.name}: {tot['communities']} communities, {tot['households']:,} households, "
        f"{tot['area_m2']:,} m²"
    )
    typer.echo(
        f"  uses {tot['uses']:,} · sources {tot['sources']:,} · gap {tot['gap']:,} "
        f"({tot['communities_with_gap']} communities short by {tot['gap_of_those']:,} in all)"
    )
    typer.echo(
        f"  per household {tot['uses_per_household']:,} · per m² {tot['uses_per_m2']:,} yuan"
    )
    typer.echo("\nBy funding channel:")
    show_frame(result.by_channel().drop(columns="amount_fen"))
    typer.echo("\nBy payer (rule obligations):")
    show_frame(result.by_payer().drop(columns="amount_fen"))
    warns = result.warnings()
    for w in warns[:5]:
        typer.echo(f"warning: {w}", err=True)
    if len(warns) > 5:
        typer.echo(f"warning: … and {len(warns) - 5} more (see --format json)", err=True)
    shown = result.table() if top <= 0 else result.table().head(top)
    typer.echo(f"\nCommunities (gap first; {len(shown)} of {len(result)}):")
    show_frame(shown)
    if audit:
        typer.echo("\naudit appendix (every rule value used, every assumption):")
        show_frame(appendix)


def _assumptions(file: Path) -> list[object]:
    """The assumptions a YAML portfolio file lists (a CSV/XLSX table has none)."""
    if file.suffix.lower() not in (".yaml", ".yml"):
        return []
    from costshare.yamlio import load_kind_yaml

    raw = load_kind_yaml(file, "portfolio")
    return list(raw.get("assumptions") or []) if isinstance(raw, dict) else []
