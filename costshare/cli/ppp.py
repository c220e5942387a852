"""``costshare ppp SCENARIO.yaml``: PPP cash flows, metrics, affordability, VfM."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from costshare.money import format_percent

__all__ = ["ppp_command"]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def _wan(df: pd.DataFrame) -> pd.DataFrame:
    """Fen columns shown in 万元 for the terminal."""
    from costshare.money.frames import yuan_frame

    out = yuan_frame(df, "万元")
    return out.rename(
        columns={
            c.removesuffix("_fen"): c.removesuffix("_fen") + "_万元"
            for c in df.columns
            if c.endswith("_fen")
        }
    )


def _json_default(x: Any) -> Any:
    if hasattr(x, "item"):
        return x.item()
    return str(x)


def _print_table(rep: dict[str, Any]) -> None:
    def frame(df: pd.DataFrame) -> None:
        with pd.option_context(
            "display.width", 250, "display.max_columns", 60, "display.max_rows", 200
        ):
            typer.echo(df.to_string(index=False))

    typer.echo(f"{rep['scenario']}\nregime: {rep['regime']}; subsidy: {rep['subsidy_rule']}\n")
    for k, v in rep["metrics"].items():
        typer.echo(f"  {k:26} {v}")
    short = rep["metrics"].get("dscr_below_one")
    if short:
        typer.echo(f"  WARNING: debt-service cover below 1 in project years {short}")
    d = rep.get("dated")
    if d is None:
        typer.echo("\ndated figures: none (no start_year or timing.start_date)")
    else:
        typer.echo(f"\ndated flows (actual/365 from {d['start_date']}):")
        for k, v in d.items():
            if k != "start_date":
                typer.echo(f"  {k:26} {v}")
    typer.echo("\ncash flows (万元, year-end; project view = before financing):")
    frame(_wan(rep["cash_flows"]))
    if "affordability" in rep:
        a = rep["affordability"]
        verdict = "PASS" if a["passes"] else "FAIL"
        limit = format_percent(a["limit"])
        warn = "" if a["warning_line"] is None else format_percent(a["warning_line"])
        typer.echo(
            f"\naffordability (<= {limit} of budget expenditure, rules of {rep['rules_on']}):"
            f" {verdict}"
            + (f"; years above {warn}: {a['warning_years'] or 'none'}" if warn else "")
        )
        frame(_wan(a["table"]))
    vfm = rep["value_for_money"]
    typer.echo(
        "\nvalue for money: "
        + (
            "not assessed (no vfm section)"
            if vfm is None
            else ", ".join(f"{k}={v}" for k, v in vfm.items())
        )
    )
    if "tornado" in rep:
        typer.echo("\ntornado (NPV in yuan):")
        frame(rep["tornado"])
    if "monte_carlo" in rep:
        m = rep["monte_carlo"]
        typer.echo(
            f"\nMonte Carlo: {m['draws']} draws, seed {m['seed']}; "
            f"P(payback within period) = {format_percent(m['p_payback_within_cooperation_period'], 1)}"
        )
        frame(m["summary"])
    if "audit" in rep:
        typer.echo("\naudit appendix (every rule value used, every figure with its source):")
        frame(rep["audit"])
        if rep.get("unsourced"):
            paths = ", ".join(rep["unsourced"])
            typer.echo(f"\nFLAGGED: {len(rep['unsourced'])} figure(s) without a source: {paths}")


def _jsonable(rep: dict[str, Any]) -> Any:
    if isinstance(rep, pd.DataFrame):
        return rep.to_dict("records")
    if isinstance(rep, dict):
        return {k: _jsonable(v) for k, v in rep.items()}
    return rep


def ppp_command(
    scenario: Annotated[Path, typer.Argument(help="PPP scenario YAML file.")],
    format: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.table,
    tornado: Annotated[bool, typer.Option("--tornado", help="Add the tornado table.")] = False,
    mc: Annotated[int | None, typer.Option("--mc", min=1, help="Monte Carlo with N draws.")] = None,
    audit: Annotated[
        bool,
        typer.Option(
            "--audit",
            help="Add the audit appendix: the rule values read, then every figure of the "
            "scenario with its source and confidence (a figure without a source is flagged).",
        ),
    ] = False,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the audit appendix: zh or en.")
    ] = "zh",
) -> None:
    """PPP finance: cash flows, NPV/IRR/payback, 21号 subsidy, affordability, VfM."""
    from costshare.cli._out import document
    from costshare.cli.bar import command_progress
    from costshare.jobs import PPPJob

    request = {"project": document(scenario, "ppp"), "tornado": tornado, "monte_carlo": mc}
    job = PPPJob.parse(request, scenario.name)  # an InputError ends in the CLI's one handler
    with command_progress() as bar:  # the Monte Carlo's draws, on a terminal
        result = job.run(progress=bar.part(0, 0.1))
        if mc is not None:
            job.monte_carlo_result(progress=bar.part(0.1, 1))
    rep = job.summary(result)
    if audit:
        from costshare.ppp import income_reading, provenance_rows, unsourced
        from costshare.report.audit import audit_frame

        if lang not in ("zh", "en"):
            raise typer.BadParameter("give zh or en", param_hint="--lang")
        rows = provenance_rows(job.model, scenario.name, lang)  # type: ignore[arg-type]
        rep["audit"] = audit_frame(
            rules=job.rules(),
            inputs=rows,
            assumptions=[income_reading(lang)],  # type: ignore[arg-type]
            document=scenario.name,
            lang=lang,  # type: ignore[arg-type]
        )
        rep["unsourced"] = unsourced(job.model)
    if format == OutputFormat.json:
        typer.echo(json.dumps(_jsonable(rep), ensure_ascii=False, indent=2, default=_json_default))
    else:
        _print_table(rep)
