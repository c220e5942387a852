"""``costshare sheet``: a household roster and an amount → contribution sheet, csv, notice.

Registered by :mod:`costshare.cli` as ``app.command("sheet")(sheet_command)``. This shell
builds a :class:`~costshare.jobs.SheetJob` from the options (``--on`` defaults to today;
a scenario brings its own date), runs it and writes what the typed result gives.
"""

from __future__ import annotations

import contextlib
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


def parse_floors(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return tuple(int(f) for f in text.replace("，", ",").split(",") if f.strip())
    except ValueError:
        msg = f"write floors as 1,2 — got {text!r}"
        raise InputError(Problem(msg, field="exempt_floors")) from None


def sheet_job(
    roster: Path,
    *,
    scenario: Path | None = None,
    total: str | None = None,
    per: str = "total",
    fixed: str | None = None,
    basis: str = "area",
    floor_rule: str | None = None,
    on: str | None = None,
    **options: Any,
) -> Any:
    """The :class:`~costshare.jobs.SheetJob` these command-line options ask for."""

    from costshare.jobs import FileInput, SheetJob
    from costshare.jobs.base import today
    from costshare.yamlio import load_kind_yaml

    if scenario is not None and total is not None:
        raise InputError(Problem("give --scenario or --total, not both", field="total"))
    if scenario is None and total is None and fixed is None:
        msg = "give the amount: --scenario S.yaml or --total AMOUNT"
        raise InputError(Problem(msg, field="total"))
    if scenario is not None:
        data = load_kind_yaml(scenario, "community")
        amount: dict[str, Any] = {"kind": "scenario", "scenario": {"data": data}, "per": per}
    elif total is not None:
        amount = {"kind": "total", "yuan": _yuan(total)}
    else:
        amount = {"kind": "fixed", "yuan_per_household": _yuan(fixed)}
    request = {
        "roster": FileInput.from_path(roster),
        "amount": amount,
        "basis": _parse_basis(basis),
        "floor_rule": floor_rule,
        "on": on or today().isoformat(),  # the shell's "today", in Asia/Shanghai
        **{k: v for k, v in options.items() if v is not None},
    }
    return SheetJob.parse(request, "options")


def _yuan(text: str | None) -> Any:
    from costshare.money import amount_fen, to_yuan

    return to_yuan(amount_fen(text, "total"))


def _parts(bar: Any, output: Path | None, csv: Path | None, notice: Path | None) -> dict[str, Any]:
    """Slices of the command's progress: the run, then each output by its rough cost."""
    pdf = notice is not None and notice.suffix.lower() != ".xlsx"
    cost = {"run": 1.0, "xlsx": 2.0 * (output is not None), "csv": 0.3 * (csv is not None)}
    cost["notice"] = (8.0 if pdf else 1.0) * (notice is not None)
    whole, lo, out = sum(cost.values()), 0.0, {}
    for k, c in cost.items():
        out[k] = bar.part(lo / whole, min((lo + c) / whole, 1.0))
        lo += c
    return out


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
            "--floor-rule",
            help="Floor rule for basis floor: guangzhou, hangzhou or a rule id "
            "(default: the rules' own floor rule, else guangzhou).",
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
    on: Annotated[
        str | None, typer.Option(help="Rules in force on this day (YYYY-MM-DD); default today.")
    ] = None,
    sheet_name: Annotated[
        str | None,
        typer.Option("--sheet", help="Worksheet of an xlsx roster, or 'all' to combine them."),
    ] = None,
    per: Annotated[
        str | None,
        typer.Option(
            help="With --scenario: take the scenario's figure per 'household' or per 'm2' "
            "and apply it to this roster (without it the roster must be the scenario's "
            "community). 'building'/'stairwell' still mean --sections."
        ),
    ] = None,
    sections: Annotated[
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
    what: Annotated[
        str | None, typer.Option(help="Notice: what is paid for (default the sheet's title).")
    ] = None,
    issuer: Annotated[str, typer.Option(help="Notice: who issues it.")] = "社区居民委员会",
    posting_from: Annotated[
        str | None, typer.Option("--posting-from", help="Notice: first day posted (YYYY-MM-DD).")
    ] = None,
    posting_until: Annotated[
        str | None, typer.Option("--posting-until", help="Notice: last day posted (YYYY-MM-DD).")
    ] = None,
    object_to: Annotated[
        str, typer.Option("--object-to", help="Notice: where to object (place or office).")
    ] = "",
    object_until: Annotated[
        str | None, typer.Option("--object-until", help="Notice: last day to object.")
    ] = None,
    notice_lang: Annotated[
        str, typer.Option("--notice-lang", help="Notice language: zh or en.")
    ] = "zh",
    landscape: Annotated[bool, typer.Option("--landscape", help="Notice on landscape A4.")] = False,
    labels: Annotated[
        str, typer.Option(help="Household labels on the notice: zh (1号楼1单元101) or dash.")
    ] = "zh",
    signature: Annotated[
        list[str] | None,
        typer.Option(
            "--signature", help="Notice: a signature line (repeat for each; default three lines)."
        ),
    ] = None,
    objection: Annotated[
        str | None,
        typer.Option(
            help="Notice: the office's own objection sentence (default: the standard one)."
        ),
    ] = None,
) -> None:
    """Per-household contribution sheet from a roster: xlsx, csv and a PDF public notice (公示)."""
    from costshare.cli._out import show_frame
    from costshare.cli.bar import command_progress
    from costshare.households.explain import basis_text, sheet_title
    from costshare.jobs.notice import notice_pdf
    from costshare.money import format_amount
    from costshare.report.notice_xlsx import write_notice_xlsx
    from costshare.report.safe import atomic_paths
    from costshare.report.sheet import (
        area_header,
        sheet_display,
        sheet_frame,
        write_sheet_csv,
        write_sheet_xlsx,
    )

    if per in ("building", "stairwell"):  # the option's earlier meaning
        sections, per = per, None
    if per not in (None, "total", "household", "m2"):
        raise InputError(Problem(f"give household or m2, got {per!r}", field="per"))
    if per is not None and scenario is None:
        raise InputError(Problem("--per household|m2 goes with --scenario", field="per"))
    if sections not in (None, "building", "stairwell"):
        msg = f"give building or stairwell, got {sections!r}"
        raise InputError(Problem(msg, field="sections"))
    job = sheet_job(
        roster,
        scenario=scenario,
        total=total,
        per=per or "total",
        fixed=fixed,
        basis=basis,
        floor_rule=floor_rule,
        on=on,
        worksheet=sheet_name,
        building=building,
        stairwell=stairwell,
        exempt=tuple(exempt or ()),
        exempt_floors=parse_floors(exempt_floors),
        title=title,
        notice={
            "community": community,
            "what": what,
            "issuer": issuer,
            "posting_from": posting_from,
            "posting_until": posting_until,
            "objection_to": object_to,
            "objection_until": object_until,
            "lang": notice_lang,
            "orientation": "landscape" if landscape else "portrait",
            "label_style": labels,
            "sections": sections,
            "signatures": tuple(signature) if signature else None,
            "objection": objection,
        },
    )
    targets = [p for p in (output, csv, notice) if p is not None]
    written = []
    # every file is made beside its target first and renamed only when all are made:
    # a failure, Ctrl-C or a cancel leaves no output at all, and no temporary file
    with command_progress() as bar, contextlib.ExitStack() as stack:
        parts = _parts(bar, output, csv, notice)
        s = job.run(progress=parts["run"])
        for note in job.frame.attrs.get("notes", []):
            typer.echo(f"note: {roster.name}, {note}", err=True)
        rs = job.rules()
        tmp = stack.enter_context(atomic_paths(targets))
        if output is not None:
            write_sheet_xlsx(s, tmp[output], progress=parts["xlsx"])
        if csv is not None:
            parts["csv"].step(0, 1, "csv.write")
            write_sheet_csv(s, tmp[csv])
        if notice is not None and notice.suffix.lower() == ".xlsx":
            parts["notice"].step(0, 1, "xlsx.rows")
            write_notice_xlsx(s, tmp[notice])
        elif notice is not None:
            # the job's notice: the stored version rebuilds these very bytes
            pdf = notice_pdf(job, s, font_path=font, progress=parts["notice"])
            tmp[notice].write_bytes(pdf)
        bar.step(1, 1, "done")
        written = targets
    typer.echo(f"{sheet_title(s)}：{format_amount(s.meta.total_fen)}，{basis_text(s)}，{len(s)} 户")
    if not written:
        d = sheet_display(sheet_frame(s, explain=False).drop(columns="owner_name", errors="ignore"))
        cols = ["楼栋", "单元", "房号", "楼层", area_header(s.table), "是否免缴", "应分摊金额(元)"]
        show_frame(d[[c for c in cols if c in d.columns]])
    for p in written:
        typer.echo(f"wrote {p}")
    if audit:
        from costshare.report.audit import audit_frame

        extra = job.scenario_result.scenario.assumptions if scenario is not None else ()
        typer.echo("\naudit appendix (every rule value used, every assumption):")
        show_frame(audit_frame(s, rules=rs, assumptions=extra))
