"""``costshare operate SCENARIO``: yearly operating accounts, break-even fee, fund projection."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from costshare.cli._out import emit, show_frame
from costshare.errors import InputError, Problem

__all__ = ["operate_command"]

_YEARLY = [
    "community",
    "year",
    "fee_revenue_fen",
    "other_revenue_fen",
    "to_operator_fen",
    "cost_fen",
    "subsidy_fen",
    "surplus_fen",
    "cumulative_fen",
    "breakeven_fee_fen",
]


def operate_command(
    scenario: Annotated[Path, typer.Argument(help="Operation scenario YAML (kind: operation).")],
    fmt: Annotated[
        Literal["table", "json", "csv", "xlsx"], typer.Option("--format", help="Output format.")
    ] = "table",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    units: Annotated[
        Path | None,
        typer.Option(help="Units register (csv/xlsx: unit_id, area) for the public-income vote."),
    ] = None,
    ballots: Annotated[
        Path | None, typer.Option(help="Ballots (csv/xlsx: unit_id, vote) on the public income.")
    ] = None,
) -> None:
    """Run an operation scenario: yearly surplus, break-even fee and maintenance-fund projection.

    Amounts are yuan (exact to the fen); ``--format xlsx`` needs ``-o``. With ``--units``
    and ``--ballots`` the owners' vote on using common parts for business (Civil Code
    Art. 278, matter ``change_use``) is tallied under the scenario's rules.
    """
    from costshare.cli._out import document
    from costshare.jobs import OperationJob
    from costshare.money.frames import yuan_frame as yuan_columns
    from costshare.operation import public_income_vote

    job = OperationJob.parse({"scenario": document(scenario, "operation")}, scenario.name)
    result = job.run()
    tally = None
    if (units is None) != (ballots is None):
        raise InputError(Problem("give both --units and --ballots", field="ballots"))
    if units is not None and ballots is not None:
        from costshare.households.vote_files import read_ballots, read_register

        register = read_register(units)
        votes = read_ballots(ballots)
        tally = public_income_vote(register, votes, result.rules)
    if fmt == "json":
        data = job.summary(result)
        if tally is not None:
            data["public_income_vote"]["tally"] = tally.to_dict()
        emit(data, "json", output)
        return
    if fmt == "csv":
        emit(yuan_columns(result.yearly), "csv", output)
        return
    if fmt == "xlsx":
        if output is None:
            raise InputError(
                Problem("--format xlsx writes a file: give -o FILE.xlsx", field="output")
            )
        from costshare.report.operation_xlsx import operation_xlsx_bytes
        from costshare.report.safe import atomic_write_bytes

        atomic_write_bytes(output, operation_xlsx_bytes(result))
        typer.echo(f"wrote {output}")
        return
    s, rs = result.scenario, result.rules
    typer.echo(f"{s.name} ({rs.name}, rules of {rs.on}; {s.years} years; amounts in yuan)")
    for line in result.headline():
        typer.echo(f"  {line}")
    typer.echo("\nyearly accounts (breakeven_fee in yuan per m² per month):")
    show_frame(yuan_columns(result.yearly[_YEARLY]))
    for name, f in result.funds.items():
        typer.echo(
            f"\nmaintenance fund — {name} (trigger {f.trigger} of first deposits, "
            f"{f.trigger_source}):"
        )
        show_frame(yuan_columns(f.table))
    v = result.vote
    if v["needed"]:
        typer.echo(
            f"\npublic income from common parts needs an owners' vote ({v['document']} "
            f"{v['article']}, rule {v['rule']}: quorum {v['quorum_area']} area and "
            f"{v['quorum_owners']} owners; approval {v['approve_area']} of participating area "
            f"and {v['approve_owners']} of owners): {', '.join(v['communities'])}"
        )
    if tally is not None:
        typer.echo(f"owners' vote: {tally.summary()}")
    if len(result.space):
        typer.echo("\nspace and land lines (valuation assumptions):")
        show_frame(yuan_columns(result.space.drop(columns=["source"])))
    n_assumed = int((result.sources()["kind"] == "assumption").sum())
    typer.echo(f"\n{n_assumed} assumptions listed; --format json or xlsx shows every source.")
