"""``costshare solve SCENARIO TARGET``: the value of one funding input that closes the gap.

Registered by :mod:`costshare.cli` as ``app.command("solve")(solve_command)``; the search
is :func:`costshare.community.solve.solve` (exact to the fen, with bounds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from costshare.cli._out import FormatOpt, document, emit

__all__ = ["solve_command"]


def solve_command(
    scenario: Annotated[Path, typer.Argument(help="Community scenario YAML file.")],
    target: Annotated[
        str,
        typer.Argument(
            help="What to solve for: residents.ratio, residents.per_household, "
            "residents.per_m2, residents.amount, a channel (central_subsidy, municipal, …) "
            "or other:<name>."
        ),
    ],
    lo: Annotated[str | None, typer.Option(help="Lower bound (default 0).")] = None,
    hi: Annotated[
        str | None, typer.Option(help="Upper bound (default 1 for a ratio, else the uses).")
    ] = None,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact", help="Exact value (may not be payable) instead of rounding up to the fen."
        ),
    ] = False,
    fmt: FormatOpt = "table",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the solved scenario YAML here.")
    ] = None,
) -> None:
    """Solve for the residents' ratio or amount, or a subsidy line, that leaves a gap of 0 fen."""
    from costshare.jobs import GoalSeekJob
    from costshare.report.safe import atomic_write_bytes

    request = {"scenario": document(scenario, "community"), "target": target, "lo": lo, "hi": hi}
    request["exact"] = exact
    job = GoalSeekJob.parse(request, scenario.name)
    sol = job.run()
    if output is not None:
        atomic_write_bytes(output, sol.scenario.to_yaml().encode("utf-8"))
    if fmt == "table":
        d = sol.to_dict()
        typer.echo(
            f"{target} = {d['value']}  (uses {d['uses']}, sources {d['sources']}, "
            f"left over {d['leftover']})"
        )
        if d["rounding"]:
            typer.echo(f"rounding: {d['rounding']}")
        if output is not None:
            typer.echo(f"wrote {output}")
        return
    emit(job.summary(sol), fmt, None)
