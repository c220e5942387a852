"""``costshare run SCENARIO``: one community's sources and uses, balanced to the fen."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, document, emit, show_frame
from costshare.errors import InputError, Problem

__all__ = ["AUDIT_HELP", "OUTPUT_SUFFIXES", "AuditOpt", "run_command"]

AUDIT_HELP = (
    "Add the audit appendix: every rule value that produced the result (value, unit, rule, "
    "document, issuer, article, date, confidence) and every assumption with its reason."
)
AuditOpt = Annotated[bool, typer.Option("--audit", help=AUDIT_HELP)]

OUTPUT_SUFFIXES = (".xlsx", ".csv", ".json")
"""What ``run -o`` writes: the format its suffix names."""


def run_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    fmt: FormatOpt = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write to this file in the format its suffix names: .xlsx, .csv or .json.",
        ),
    ] = None,
    audit: AuditOpt = False,
) -> None:
    """Run a community scenario: sources and uses balanced to the fen, gap or surplus."""
    from costshare.jobs import CommunityJob
    from costshare.report.audit import audit_frame

    suffix = output.suffix.lower() if output is not None else ""
    if output is not None and suffix not in OUTPUT_SUFFIXES:
        msg = f"unknown output type {suffix or '(none)'!r}: use {', '.join(OUTPUT_SUFFIXES)}"
        raise InputError(Problem(msg, file=str(output)))
    job = CommunityJob.parse({"scenario": document(scenario, "community")}, scenario.name)
    result = job.run()
    if suffix == ".xlsx":
        from costshare.report.table_xlsx import write_scenario_result_xlsx

        write_scenario_result_xlsx(result, output)  # type: ignore[arg-type]
        typer.echo(f"wrote {output}")
        return
    if suffix:
        fmt = "json" if suffix == ".json" else "csv"
    if fmt == "json":
        data = job.summary(result)
        if audit:
            data["audit"] = audit_frame(result).to_dict("records")
        emit(data, "json", output)
        return
    table = result.table()
    if fmt == "csv":
        emit(audit_frame(result) if audit else table.drop(columns="amount_fen"), "csv", output)
        return
    s = result.scenario
    typer.echo(f"{s.name} — {s.community.name} ({result.rules.name}, rules of {result.rules.on})")
    show_frame(table.drop(columns=["amount_fen", "key"]))
    for k, v in result.indicators().items():
        typer.echo(f"  {k}: {v}")
    for w in result.warnings():
        typer.echo(f"warning: {w}", err=True)
    if audit:
        typer.echo("\naudit appendix (every rule value used, every assumption):")
        show_frame(audit_frame(result))
