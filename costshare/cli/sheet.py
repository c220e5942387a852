"""``costshare sheet``: a household roster and an amount → contribution sheet, csv, notice.

Registered by :mod:`costshare.cli` as ``app.command("sheet")(sheet_command)``. This shell
loads the rules for the day (``--on``, today by default; a scenario brings its own date),
builds a :class:`~costshare.households.spec.SheetSpec` and writes what the typed result
gives.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from pathlib import Path
from typing import Annotated, Any

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
            msg = f"write a mix as area=0.7,equal=0.3, got {text!r}"
            raise InputError(Problem(msg, field="basis"))
        mix[k.strip()] = v.strip()
    return mix


def _floors(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return tuple(int(f) for f in text.replace("，", ",").split(",") if f.strip())
    except ValueError:
        msg = f"write floors as 1,2 — got {text!r}"
        raise InputError(Problem(msg, field="exempt_floors")) from None


def _floor_rule(text: str, on: dt.date) -> Any:
    """A floor rule named by jurisdiction key, rule id (``hangzhou.floor_percent``) or YAML."""
    from costshare import rules
    from costshare.households.basis import floor_scale

    if text.endswith((".yaml", ".yml")):
        return floor_scale(rules.load(text, on))
    key = text.split(".", 1)[0]
    return floor_scale(rules.load(key, on), text if "." in text else None)


def _spec(options: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    from costshare._base import problems_from_validation
    from costshare.households.spec import SheetSpec

    try:
        return SheetSpec(**options)
    except ValidationError as exc:
        raise problems_from_validation(exc, "options") from None


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
        str,
        typer.Option(
            "--floor-rule", help="Floor rule for basis floor: guangzhou, hangzhou or a rule id."
        ),
    ] = "guangzhou",
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
    on: Annotated[
        str | None, typer.Option(help="Rules in force on this day (YYYY-MM-DD); default today.")
    ] = None,
    sheet_name: Annotated[
        str | None,
        typer.Option("--sheet", help="Worksheet of an xlsx roster, or 'all' to combine them."),
    ] = None,
    per: Annotated[
        str | None,
        typer.Option(help="Notice with one section per 'building' or 'stairwell'."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the sheet as xlsx.")
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the sheet as csv (UTF-8 with BOM).")
    ] = None,
    notice: Annotated[
        Path | None,
        typer.Option("--notice", help="Write the public notice (PDF; .xlsx: masked workbook)."),
    ] = None,
    community: Annotated[str, typer.Option(help="Community name on the notice.")] = "",
    title: Annotated[
        str | None, typer.Option(help="What is being shared (notice and sheet title).")
    ] = None,
    font: Annotated[
        Path | None, typer.Option(help="CJK TrueType font (.ttf/.ttc) to embed in the notice.")
    ] = None,
    audit: Annotated[bool, typer.Option("--audit", help="Print the audit appendix.")] = False,
) -> None:
    """Per-household contribution sheet from a roster: xlsx, csv and a PDF public notice (公示)."""
    from costshare import rules
    from costshare.cli._out import show_frame
    from costshare.community.scenario import Scenario
    from costshare.households.explain import basis_text, sheet_title
    from costshare.households.roster import read_roster
    from costshare.households.sheet import contribution_sheet, from_scenario
    from costshare.money import amount_fen, format_amount
    from costshare.report._safe import atomic_paths
    from costshare.report.notice import write_notice
    from costshare.report.notice_xlsx import write_notice_xlsx
    from costshare.report.sheet import sheet_display, sheet_frame, write_sheet_csv, write_sheet_xlsx

    if scenario is not None and total is not None:
        raise InputError(Problem("give --scenario or --total, not both", field="total"))
    if scenario is None and total is None and fixed is None:
        msg = "give the amount: --scenario S.yaml or --total AMOUNT"
        raise InputError(Problem(msg, field="total"))
    today = dt.date.today()
    day = rules.load("national", on or today).on  # checks the date
    mix = _parse_basis(basis)
    spec = _spec(
        {
            "basis": mix,
            "fixed_yuan": fixed,
            "building": building,
            "stairwell": stairwell,
            "exempt": tuple(exempt or ()),
            "exempt_floors": _floors(exempt_floors),
            "title": title,
        }
    )
    if per not in (None, "building", "stairwell"):
        raise InputError(Problem(f"give building or stairwell, got {per!r}", field="per"))
    df = read_roster(roster, sheet=sheet_name)
    for note in df.attrs.get("notes", []):
        typer.echo(f"note: {roster.name}, {note}", err=True)
    if scenario is not None:
        result = Scenario.from_yaml(scenario).run()
        amount, spec = from_scenario(result, spec)
        rs = result.rules  # the scenario's own jurisdiction and date
    else:
        amount = None if total is None else amount_fen(total, "total")
        rs = rules.load("national", day)
    if "floor" in str(mix):
        spec = spec.model_copy(update={"floor_rule": _floor_rule(floor_rule, rs.on)})
    s = contribution_sheet(df, amount, spec, rs)
    targets = [p for p in (output, csv, notice) if p is not None]
    written = []
    # every file is made beside its target first and renamed only when all are made:
    # a failure leaves no output at all, and no temporary file
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(atomic_paths(targets))
        if output is not None:
            write_sheet_xlsx(s, tmp[output])
        if csv is not None:
            write_sheet_csv(s, tmp[csv])
        if notice is not None and notice.suffix.lower() == ".xlsx":
            write_notice_xlsx(s, tmp[notice])
        elif notice is not None:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                write_notice(
                    s, tmp[notice], date=today, community=community, font_path=font, per=per
                )
            for w in caught:
                typer.echo(f"warning: {w.message}", err=True)
        written = targets
    typer.echo(f"{sheet_title(s)}：{format_amount(s.meta.total_fen)}，{basis_text(s)}，{len(s)} 户")
    if not written:
        cols = ["楼栋", "单元", "房号", "楼层", "专有部分面积(m²)", "是否免缴", "应分摊金额(元)"]
        d = sheet_display(sheet_frame(s, explain=False).drop(columns="owner_name", errors="ignore"))
        show_frame(d[[c for c in cols if c in d.columns]])
    for p in written:
        typer.echo(f"wrote {p}")
    if audit:
        from costshare.report.audit import audit_frame

        extra = result.scenario.assumptions if scenario is not None else ()
        typer.echo("\naudit appendix (every rule value used, every assumption):")
        show_frame(audit_frame(s, rules=rs, assumptions=extra))
