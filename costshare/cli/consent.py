"""``costshare gate``: residents' consent votes gate the annual plan's candidates.

Registered by :mod:`costshare.cli` as ``app.command("gate")(gate_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, OutputOpt, document, emit, show_frame

__all__ = ["gate_command"]


def gate_command(
    candidates: Annotated[
        Path, typer.Argument(help="Candidate communities (csv/xlsx), as for `costshare plan`.")
    ],
    matter: Annotated[
        list[str], typer.Option(help="Matter that gates the plan (repeat), e.g. inclusion.")
    ],
    jurisdiction: Annotated[str, typer.Option(help="Rule table with the vote rules.")],
    budget: Annotated[str, typer.Option(help="The year's budget in yuan.")],
    votes: Annotated[
        Path | None,
        typer.Argument(
            help="Vote counts (csv/xlsx): community_id, matter, owners, took_part, yes "
            "[, area_m2, area_took_part, area_yes]. May be left out with --stored-vote."
        ),
    ] = None,
    criteria: Annotated[
        Path | None, typer.Option(help="Criteria YAML (default: the bundled sheet).")
    ] = None,
    on: Annotated[str | None, typer.Option(help="Date of the votes (YYYY-MM-DD).")] = None,
    stored_vote: Annotated[
        list[str] | None,
        typer.Option(
            "--stored-vote",
            help="A vote saved in the store, as DOC@V (repeat): its counts gate its community "
            "(saved by the votes page or `costshare vote --community ID --save DOC`).",
        ),
    ] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Check each candidate's votes against the jurisdiction's rule, then choose the plan.

    A candidate that misses a threshold (or has no vote on a matter) is not eligible; the
    table says which gate it fails and by how much.
    """
    from costshare.jobs import FileInput, GateJob
    from costshare.jobs.output import to_jsonable

    job = GateJob.parse(
        {
            "candidates": FileInput.from_path(candidates),
            "votes": None if votes is None else FileInput.from_path(votes),
            "stored_votes": stored_vote or [],
            "matters": matter,
            "jurisdiction": jurisdiction,
            "budget": budget,
            "criteria": None if criteria is None else document(criteria, "plan_criteria"),
            **({"on": on} if on else {}),  # else the job's "today"
        },
        "options",
    )
    result = job.run()
    if fmt == "json":
        emit(to_jsonable(job.summary(result)), "json", output)
    elif fmt == "csv" or output is not None:
        emit(result.table, "csv", output)
    else:
        show_frame(result.consent)
        typer.echo(result.plan.summary())
        show_frame(result.table)
