"""``costshare evaluate SURVEY``: residents' satisfaction tallied, the acceptance gate applied.

Registered by :mod:`costshare.cli` as ``app.command("evaluate")(evaluate_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, document, emit, show_frame

__all__ = ["evaluate_command"]


def evaluate_command(
    survey: Annotated[
        Path,
        typer.Argument(
            help="Survey (csv/xlsx): 房号/unit_id, 楼栋/building, 总体满意度/overall, one "
            "column per item; answers 非常满意…非常不满意 or 1–5."
        ),
    ],
    jurisdiction: Annotated[
        str, typer.Option(help="Rule table with an acceptance rule.")
    ] = "hebei",
    households: Annotated[
        int | None, typer.Option(help="Households in the community (default: respondents).")
    ] = None,
    satisfied_from: Annotated[
        int, typer.Option(min=1, max=5, help="Lowest level counted as satisfied (3 = 基本满意).")
    ] = 3,
    scenario: Annotated[
        Path | None,
        typer.Option(help="The community's scenario: its cost indicators join the report."),
    ] = None,
    on: Annotated[str | None, typer.Option(help="Date of the survey (YYYY-MM-DD).")] = None,
    fmt: FormatOpt = "table",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the report (.xlsx or .json).")
    ] = None,
) -> None:
    """Tally satisfaction per item, per building and overall; may acceptance go ahead?"""
    from costshare.jobs import EvaluateJob, FileInput
    from costshare.jobs.output import to_jsonable

    job = EvaluateJob.parse(
        {
            "survey": FileInput.from_path(survey),
            "jurisdiction": jurisdiction,
            "households": households,
            "satisfied_from": satisfied_from,
            "scenario": None if scenario is None else document(scenario, "community"),
            **({"on": on} if on else {}),  # else the job's "today"
        },
        "options",
    )
    result = job.run()
    ev = result.evaluation
    if output is not None and output.suffix.lower() == ".xlsx":
        from costshare.households.evaluate_report import write_evaluation_xlsx

        write_evaluation_xlsx(ev, output, result.indicators)
        typer.echo(f"wrote {output}")
        return
    if fmt == "json" or output is not None:
        emit(to_jsonable(job.summary(result)), "json", output)
        return
    typer.echo(ev.summary())
    if not ev.passed:
        typer.echo(f"short by {ev.short_by()} satisfied household(s)")
    show_frame(ev.items)
    show_frame(ev.buildings)
    for n in ev.notes:
        typer.echo(typer.style(n, fg="yellow"))
