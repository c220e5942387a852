"""``costshare transfers POT.yaml``: divide a subsidy or transfer pot over areas.

Registered by :mod:`costshare.cli` as ``app.command("transfers")(transfers_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, OutputOpt, document, emit_job, show_frame

__all__ = ["transfers_command"]


def transfers_command(
    pot: Annotated[
        Path, typer.Argument(help="Pot file (kind: transfers), e.g. scenarios/transfers/.")
    ],
    explain: Annotated[
        list[str] | None, typer.Option(help="Explain this area's share in words (repeat).")
    ] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Divide a pot over areas by its weighted formula with floors and caps, to the fen."""
    from costshare.jobs import TransfersJob
    from costshare.money import to_yuan

    job = TransfersJob.parse({"pot": document(pot, "transfers")}, "options")
    r = job.run()
    p = job.model
    if emit_job(job, r, fmt, r.to_frame(), output):
        return
    typer.echo(f"{p.name}: pot {to_yuan(r.pot_fen)} yuan over {len(p.areas)} areas")
    show_frame(r.to_frame())
    for w in p.weights:
        if w.confidence == "A":
            typer.echo(typer.style(f"A weight {w.factor} = {w.weight}: {w.reason}", fg="yellow"))
    for a in explain or []:
        typer.echo(r.explain(a))
