"""``costshare suggest-mode`` and ``costshare merge-estates``: management after renovation.

Registered by :mod:`costshare.cli` as ``suggest-mode`` and ``merge-estates``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, emit, emit_job, show_frame

__all__ = ["merge_command", "suggest_command"]


def suggest_command(
    households: Annotated[int, typer.Option(min=1, help="Households in the estate.")],
    collection_rate: Annotated[str, typer.Option(help="Property-fee collection rate, 0–1.")],
    self_governance: Annotated[
        bool, typer.Option("--self-governance", help="Residents' will to self-manage is strong.")
    ] = False,
    current: Annotated[
        str,
        typer.Option(
            help="Mode now: professional, self_management, unit_management, backstop, none."
        ),
    ] = "none",
    satisfied: Annotated[
        bool, typer.Option("--satisfied", help="Managed well and residents satisfied now.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Suggest a management mode after renovation (Beijing ch. 7; Yancheng keep-if-satisfied)."""
    from costshare.jobs import SuggestModeJob
    from costshare.operation.management import MODE_LABELS

    job = SuggestModeJob.parse(
        {
            "households": households,
            "collection_rate": collection_rate,
            "self_governance": self_governance,
            "current": current,
            "satisfied": satisfied,
        },
        "options",
    )
    s = job.run()
    if fmt == "json":
        emit(job.summary(s), "json", None)
        return
    alt = ", ".join(MODE_LABELS[a] for a in s.alternatives)
    typer.echo(f"suggested: {s.label} ({s.mode})" + (f"; or {alt}" if alt else ""))
    for r in s.reasons:
        typer.echo(f"  {r}")


def merge_command(
    estates: Annotated[Path, typer.Argument(help="Estates YAML, e.g. scenarios/management/.")],
    fmt: FormatOpt = "table",
) -> None:
    """Merge small estates into one management area: cost per household and fee, before and after."""
    from costshare.jobs import MergeEstatesJob
    from costshare.money import to_yuan
    from costshare.yamlio import load_yaml

    job = MergeEstatesJob.from_document(load_yaml(estates), estates.name)
    t = job.run()
    if emit_job(job, t, fmt, t):
        return
    before, after = t.iloc[0], t.iloc[-1]
    shown = t if len(t) <= 12 else t.iloc[[0, len(t) - 1]]
    show = shown.assign(
        cost=[to_yuan(v) for v in shown["cost_fen"]],
        cost_per_household=[to_yuan(v) for v in shown["cost_per_household_fen"]],
        breakeven_fee=[to_yuan(v) for v in shown["breakeven_fee_fen"]],
    )[["estate", "households", "area_m2", "cost", "cost_per_household", "breakeven_fee"]]
    show_frame(show)
    typer.echo(
        f"{len(t) - 1} estates → one area: cost per household {to_yuan(before['cost_per_household_fen'])}"
        f" → {to_yuan(after['cost_per_household_fen'])} yuan a year; break-even fee "
        f"{to_yuan(before['breakeven_fee_fen'])} → {to_yuan(after['breakeven_fee_fen'])} yuan/m²/month"
    )
