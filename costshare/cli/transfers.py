"""``costshare transfers POT.yaml``: divide a subsidy or transfer pot over areas.

Registered by :mod:`costshare.cli` as ``app.command("transfers")(transfers_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, OutputOpt, emit, show_frame

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
    from costshare.community.transfers import allocate_pot
    from costshare.community.transfers_model import Pot
    from costshare.money import to_yuan

    p = Pot.from_yaml(pot)
    r = allocate_pot(p)
    table = r.to_frame()
    if fmt == "json":
        recs = r.table.assign(**{c: r.table[c].astype(str) for c in r.table.columns
                                 if c.startswith("share_") or c == "formula_share"})  # fmt: skip
        emit(
            {
                "name": p.name,
                "pot_fen": r.pot_fen,
                "pot": str(to_yuan(r.pot_fen)),
                "weights": [w.model_dump(mode="json", exclude_none=True) for w in p.weights],
                "areas": recs.to_dict("records"),
                "explain": {a: r.explain(a) for a in r.table["area"]},
            },
            "json",
            output,
        )
        return
    if fmt == "csv" or output is not None:
        emit(table, "csv", output)
        return
    typer.echo(f"{p.name}: pot {to_yuan(r.pot_fen)} yuan over {len(p.areas)} areas")
    show_frame(table)
    for w in p.weights:
        if w.confidence == "A":
            typer.echo(typer.style(f"A weight {w.factor} = {w.weight}: {w.reason}", fg="yellow"))
    for a in explain or []:
        typer.echo(r.explain(a))
