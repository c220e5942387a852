"""``costshare elevator-life ROSTER``: an elevator's lifetime costs and low-floor compensation.

Registered by :mod:`costshare.cli` as ``app.command("elevator-life")(elevator_life_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, emit_job, show_frame

__all__ = ["elevator_life_command"]


def _floors(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def elevator_life_command(
    roster: Annotated[Path, typer.Argument(help="Roster of the stairwell (xlsx/csv) with floors.")],
    cost: Annotated[str, typer.Option(help="Building cost, yuan.")],
    maintenance: Annotated[str, typer.Option(help="Maintenance a year, yuan (assumption).")] = "0",
    operation: Annotated[str, typer.Option(help="Electricity a year, yuan (assumption).")] = "0",
    years: Annotated[int, typer.Option(min=1, help="Life in years (assumption).")] = 15,
    compensation: Annotated[
        str, typer.Option(help="Compensation per low-floor household, yuan (assumption).")
    ] = "0",
    compensated_floors: Annotated[str, typer.Option(help="Floors compensated, e.g. 1,2.")] = "1",
    exempt_floors: Annotated[str, typer.Option(help="Floors that pay nothing, e.g. 1.")] = "1",
    basis: Annotated[
        str, typer.Option(help="Basis of the building cost (airport, floor, area…).")
    ] = "airport",
    running_basis: Annotated[
        str, typer.Option(help="Basis of maintenance and electricity.")
    ] = "airport",
    building: Annotated[str | None, typer.Option(help="Only this building's households.")] = None,
    stairwell: Annotated[str | None, typer.Option(help="Only this stairwell's households.")] = None,
    on: Annotated[str | None, typer.Option(help="Rules in force on (YYYY-MM-DD).")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Share building cost, lifetime maintenance and running costs, and low-floor compensation."""
    from costshare.jobs import ElevatorLifeJob, FileInput
    from costshare.money import to_yuan

    job = ElevatorLifeJob.parse(
        {
            "roster": FileInput.from_path(roster),
            "cost": cost, "maintenance": maintenance, "operation": operation,
            "years": years, "compensation": compensation,
            "compensated_floors": _floors(compensated_floors),
            "exempt_floors": _floors(exempt_floors),
            "basis": basis, "running_basis": running_basis,
            "building": building, "stairwell": stairwell,
            **({"on": on} if on else {}),  # else the job's "today"
        },
        "options",
    )  # fmt: skip
    t = job.run()
    if emit_job(job, t, fmt, t):
        return
    show_frame(t[["unit_id", "floor", "explanation"]])
    typer.echo(f"total {to_yuan(int(t['net_fen'].sum()))} yuan over {years} years")
    typer.echo(
        typer.style(
            "A: running costs, life and compensation are the caller's assumptions", fg="yellow"
        )
    )
