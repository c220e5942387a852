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
    pdf: Annotated[
        Path | None, typer.Option(help="Also write the evaluation report as an A4 PDF.")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the PDF report: zh or en.")] = "zh",
    community: Annotated[str, typer.Option(help="Community name printed on the PDF.")] = "",
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
    if pdf is not None:
        from costshare.report.evaluation_pdf import write_evaluation_pdf

        if lang not in ("zh", "en"):
            raise typer.BadParameter("use zh or en", param_hint="--lang")
        write_evaluation_pdf(ev, pdf, result.indicators, rule=job.rules().vote_rule("acceptance"),
                             lang=lang, community=community, date=job.on)  # fmt: skip
        typer.echo(f"wrote {pdf}")
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
