"""``costshare sweep``: the national sweep (synthetic nation, chunk by chunk) with a bar.

Registered by :mod:`costshare.cli` as ``sweep``. The sweep keeps only sums
(:func:`costshare.scale.sweep.national_sweep`); its chunks move a bar on stderr when
stderr is a terminal, and Ctrl-C stops it at the next chunk (exit 130).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

__all__ = ["sweep_command"]


def sweep_command(
    communities: Annotated[
        int | None, typer.Option(min=1, help="Communities (default: the national stock).")
    ] = None,
    households: Annotated[
        int | None, typer.Option(min=1, help="Households (default: the national stock).")
    ] = None,
    chunk: Annotated[int, typer.Option(min=1, help="Communities per chunk.")] = 2_000,
    workers: Annotated[int, typer.Option(min=1, help="Processes side by side.")] = 1,
    seed: Annotated[int, typer.Option(help="Base seed of the synthetic nation.")] = 0,
    on: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="National rules in force on this day."),
    ] = None,
) -> None:
    """Sweep a synthetic nation in chunks: totals, funding lines, households by contribution."""
    from costshare.cli._out import emit
    from costshare.cli.bar import command_progress
    from costshare.jobs import SweepJob

    job = SweepJob(
        communities=communities, households=households, chunk=chunk, workers=workers,
        seed=seed, **({"on": on.date()} if on is not None else {}),
    )  # fmt: skip
    with command_progress() as bar:
        result = job.run(bar)
    emit(job.summary(result), "json", None)
