"""``costshare sheet``: a household roster and an amount → contribution sheet, csv, notice.

Registered by :mod:`costshare.cli` as ``app.command("sheet")(sheet_command)``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer

from costshare.errors import InputError, Problem

__all__ = ["sheet_command"]


def _parse_basis(text: str) -> str | dict[str, str]:
    """``area`` or a mix ``area=0.7,equal=0.3``."""
    if "=" not in text and ":" not in text:
        return text.strip()
    mix: dict[str, str] = {}
    for part in text.split(","):
        k, _, v = part.replace(":", "=").partition("=")
        if not v:
            raise InputError(
                Problem(f"write a mix as area=0.7,equal=0.3, got {text!r}", field="basis")
            )
        mix[k.strip()] = v.strip()
    return mix


def sheet_command(
    roster: Annotated[
        Path, typer.Argument(help="Household roster (.xlsx or .csv; UTF-8, BOM or GBK).")
    ],
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", help="Share this scenario's residents' self-raised amount."),
    ] = None,
    total: Annotated[str | None, typer.Option("--total", help="Amount in yuan to share.")] = None,
    basis: Annotated[
        str,
        typer.Option(
            help="area | floor | headcount | equal | fixed, or a mix such as area=0.7,equal=0.3."
        ),
    ] = "area",
    floor_rule: Annotated[
        str | None,
        typer.Option(
            "--floor-rule", help="Floor rule for basis floor: guangzhou, hangzhou or a rule id."
        ),
    ] = None,
    fixed: Annotated[str | None, typer.Option(help="Yuan per household for basis fixed.")] = None,
    building: Annotated[
        str | None, typer.Option(help="Only this building shares the amount.")
    ] = None,
    stairwell: Annotated[
        str | None, typer.Option(help="Only this stairwell shares the amount.")
    ] = None,
    exempt: Annotated[
        list[str] | None,
        typer.Option(help="Exempt household (building-stairwell-unit); repeatable."),
    ] = None,
    exempt_floors: Annotated[
        str | None, typer.Option("--exempt-floors", help="Floors that pay nothing, e.g. 1,2.")
    ] = None,
    sheet_name: Annotated[
        str | None, typer.Option("--sheet", help="Worksheet of an xlsx roster.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the sheet as xlsx.")
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the sheet as csv (UTF-8 with BOM).")
    ] = None,
    notice: Annotated[
        Path | None, typer.Option("--notice", help="Write the public notice (PDF).")
    ] = None,
    community: Annotated[str, typer.Option(help="Community name on the notice.")] = "",
    title: Annotated[
        str | None, typer.Option(help="What is being shared (notice and sheet title).")
    ] = None,
    font: Annotated[
        Path | None, typer.Option(help="CJK TrueType font (.ttf/.ttc) to embed in the notice.")
    ] = None,
) -> None:
    """Per-household contribution sheet from a roster: xlsx, csv and a PDF public notice (公示)."""
    try:
        _run(**locals())
    except InputError as exc:
        from costshare.cli import _state

        if _state.get("debug"):
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _run(
    roster: Path,
    scenario: Path | None,
    total: str | None,
    basis: str,
    floor_rule: str | None,
    fixed: str | None,
    building: str | None,
    stairwell: str | None,
    exempt: list[str] | None,
    exempt_floors: str | None,
    sheet_name: str | None,
    output: Path | None,
    csv: Path | None,
    notice: Path | None,
    community: str,
    title: str | None,
    font: Path | None,
) -> None:
    from costshare.cli._out import show_frame
    from costshare.households.roster import read_roster
    from costshare.households.sheet import contribution_sheet
    from costshare.money import format_amount
    from costshare.report.notice import write_notice
    from costshare.report.sheet import sheet_display, write_sheet_csv, write_sheet_xlsx

    if scenario is not None and total is not None:
        raise InputError(Problem("give --scenario or --total, not both", field="total"))
    if scenario is None and total is None and fixed is None:
        raise InputError(
            Problem("give the amount: --scenario S.yaml or --total AMOUNT", field="total")
        )
    floors = None
    if exempt_floors is not None:
        try:
            floors = [int(f) for f in exempt_floors.replace("，", ",").split(",") if f.strip()]
        except ValueError:
            raise InputError(
                Problem(f"write floors as 1,2 — got {exempt_floors!r}", field="exempt_floors")
            ) from None
    df = read_roster(roster, sheet=sheet_name)
    s = contribution_sheet(
        df,
        total=total,
        scenario=scenario,
        basis=_parse_basis(basis),
        floor_rule=floor_rule,
        fixed=fixed,
        building=building,
        stairwell=stairwell,
        exempt=exempt or None,
        exempt_floors=floors,
        title=title,
    )
    written = []
    if output is not None:
        written.append(write_sheet_xlsx(s, output))
    if csv is not None:
        written.append(write_sheet_csv(s, csv))
    if notice is not None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            written.append(write_notice(s, notice, community=community, font_path=font))
        for w in caught:
            typer.echo(f"warning: {w.message}", err=True)
    meta = s.attrs["costshare"]
    typer.echo(
        f"{meta['title']}：{format_amount(meta['total_fen'])}，{meta['basis_text']}，{len(s)} 户"
    )
    if not written:
        cols = [
            c
            for c in (
                "楼栋",
                "单元",
                "房号",
                "楼层",
                "专有部分面积(m²)",
                "是否免缴",
                "应分摊金额(元)",
            )
            if c
        ]
        d = sheet_display(s.drop(columns=["explanation", "owner_name"], errors="ignore"))
        show_frame(d[[c for c in cols if c in d.columns]])
    for p in written:
        typer.echo(f"wrote {p}")
