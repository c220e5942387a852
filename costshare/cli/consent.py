"""``costshare gate``: residents' consent votes gate the annual plan's candidates.

Registered by :mod:`costshare.cli` as ``app.command("gate")(gate_command)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, OutputOpt, emit, show_frame

__all__ = ["gate_command"]


def gate_command(
    candidates: Annotated[
        Path, typer.Argument(help="Candidate communities (csv/xlsx), as for `costshare plan`.")
    ],
    votes: Annotated[
        Path,
        typer.Argument(
            help="Vote counts (csv/xlsx): community_id, matter, owners, took_part, yes "
            "[, area_m2, area_took_part, area_yes]."
        ),
    ],
    matter: Annotated[
        list[str], typer.Option(help="Matter that gates the plan (repeat), e.g. inclusion.")
    ],
    jurisdiction: Annotated[str, typer.Option(help="Rule table with the vote rules.")],
    budget: Annotated[str, typer.Option(help="The year's budget in yuan.")],
    criteria: Annotated[
        Path | None, typer.Option(help="Criteria YAML (default: the bundled sheet).")
    ] = None,
    on: Annotated[str | None, typer.Option(help="Date of the votes (YYYY-MM-DD).")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Check each candidate's votes against the jurisdiction's rule, then choose the plan.

    A candidate that misses a threshold (or has no vote on a matter) is not eligible; the
    table says which gate it fails and by how much.
    """
    from costshare import rules
    from costshare.community.consent import consent_table, gate_candidates
    from costshare.community.plan import choose_plan, load_criteria, score
    from costshare.community.table import read_table

    rs = rules.load(jurisdiction, on or dt.date.today())
    cands = read_table(candidates, text_columns=("community_id", "district"))
    counts = read_table(votes, text_columns=("community_id", "matter"))
    consent = consent_table(counts, rs, matter, file=votes.name)
    gated, crit = gate_candidates(cands, consent, load_criteria(criteria), rs)
    plan = choose_plan(score(gated, crit), budget)
    table = plan.to_frame()
    why = consent[~consent["passed"]].groupby("community_id")["failed"].agg("; ".join)
    voted = set(consent["community_id"])
    table["consent"] = [
        why.get(str(c), "") if str(c) in voted else "无表决记录 no vote"
        for c in table[plan.id_column]
    ]
    if fmt == "json":
        emit(
            {
                "summary": plan.summary(),
                "consent": consent.to_dict("records"),
                "candidates": table.to_dict("records"),
            },
            "json",
            output,
        )
    elif fmt == "csv" or output is not None:
        emit(table, "csv", output)
    else:
        show_frame(consent)
        typer.echo(plan.summary())
        show_frame(table)
