"""``costshare handover SCENARIO`` and ``costshare tax-relief``: the utilities after the works.

Registered by :mod:`costshare.cli` as ``handover`` and ``tax-relief``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, document, emit_job, show_frame
from costshare.money import yuan_frame

__all__ = ["handover_command", "tax_relief_command"]


def handover_command(
    scenario: Annotated[Path, typer.Argument(help="Community scenario YAML.")],
    fmt: FormatOpt = "table",
) -> None:
    """Who maintains each item after renovation; the power company's invested part as its asset."""
    from costshare.jobs import HandoverJob
    from costshare.money import to_yuan

    job = HandoverJob.parse({"scenario": document(scenario, "community")}, "options")
    result = job.run()
    t = result.table
    if emit_job(job, result, fmt, t):
        return
    show = t.assign(cost=[to_yuan(v) for v in t["cost_fen"]],
                    utility_asset=[to_yuan(v) for v in t["utility_asset_fen"]])  # fmt: skip
    show_frame(
        show[["item", "category", "owner", "cost", "maintained_by", "utility_asset", "note"]]
    )
    typer.echo(
        f"power company's effective assets: {to_yuan(int(t['utility_asset_fen'].sum()))} yuan"
    )


def tax_relief_command(
    spend: Annotated[str, typer.Option(help="The utility's renovation spending, yuan.")],
    life: Annotated[int, typer.Option(min=1, help="Depreciation life in years (assumption).")],
    tax_rate: Annotated[str, typer.Option(help="Income tax rate, e.g. 0.25 (assumption).")],
    discount: Annotated[str, typer.Option(help="Discount rate for present values.")] = "0",
    salvage: Annotated[str, typer.Option(help="Salvage value, yuan.")] = "0",
    fmt: FormatOpt = "table",
) -> None:
    """Tax saved by depreciating renovation spending (Zaozhuang's 计提折旧 relief, seed 002 line 112)."""
    from costshare.jobs import TaxReliefJob
    from costshare.money import to_yuan

    job = TaxReliefJob.parse(
        {"spend": spend, "life": life, "tax_rate": tax_rate, "discount": discount,
         "salvage": salvage},
        "options",
    )  # fmt: skip
    t = job.run()
    if emit_job(job, t, fmt, t):
        return
    show_frame(yuan_frame(t))
    for m, name in (("sl", "straight-line"), ("ddb", "double-declining")):
        typer.echo(
            f"{name}: tax saved {to_yuan(int(t[f'saving_{m}_fen'].sum()))} yuan, "
            f"present value {to_yuan(int(t[f'pv_{m}_fen'].sum()))} yuan"
        )
    typer.echo(
        typer.style(
            "A: life, tax rate and discount rate are assumptions (no seed gives them)", fg="yellow"
        )
    )
