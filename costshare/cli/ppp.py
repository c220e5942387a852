"""``costshare ppp SCENARIO.yaml``: PPP cash flows, metrics, affordability, VfM."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from costshare import ppp, rules
from costshare.money import format_amount

__all__ = ["ppp_command"]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def _yuan_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Fen columns shown in 万元 for the terminal."""
    out = df.copy()
    for col in [c for c in df.columns if c.endswith("_fen")]:
        out[col.removesuffix("_fen") + "_万元"] = [
            format_amount(int(v), "万元").removesuffix(" 万元") for v in df[col]
        ]
        out = out.drop(columns=col)
    return out


def _json_default(x: Any) -> Any:
    if hasattr(x, "item"):
        return x.item()
    return str(x)


def _report(
    p: ppp.PPPProject, tornado: bool, mc: int | None, audit: bool = False
) -> dict[str, Any]:
    day = ppp.project_date(p) or dt.date.today()
    rs = rules.load("national", on=day)
    a = ppp.assess(p, rs)
    rep: dict[str, Any] = {
        "scenario": p.name,
        "regime": p.regime,
        "subsidy_rule": (
            f"{p.subsidy.kind}: 21号 formula, n = {p.subsidy.first_n} in operating year 1"
            if p.subsidy.kind in ("viability_gap", "government_pay")
            else p.subsidy.kind
        ),
        "rules_on": day.isoformat(),
        "metrics": a.metrics.as_dict(),
        "dated": None if a.dated is None else a.dated.as_dict(),
        "cash_flows": a.table,
    }
    if a.affordability is not None:
        rep["affordability"] = {
            "passes": a.affordability.passes,
            "limit": str(a.lines.limit),
            "warning_line": None if a.lines.warning is None else str(a.lines.warning),
            "rules": list(a.lines.sources),
            "warning_years": a.affordability.warning_years,
            "table": a.affordability.table,
        }
    rep["value_for_money"] = (
        None
        if a.vfm is None
        else {k: (str(x) if k in ("psc", "ppp", "vfm") else x) for k, x in vars(a.vfm).items()}
    )
    if audit:
        from costshare.report.audit import audit_frame

        rep["audit"] = audit_frame(rules=rs)
    if tornado:
        rep["tornado"] = ppp.tornado(p)
    if mc is not None:
        r = ppp.monte_carlo(p, draws=mc)
        rep["monte_carlo"] = {
            "draws": r.draws,
            "seed": r.seed,
            "p_payback_within_cooperation_period": r.p_payback_within,
            "summary": r.summary.reset_index(names="metric"),
        }
    return rep


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
    frame(_yuan_frame(rep["cash_flows"]))
    if "affordability" in rep:
        a = rep["affordability"]
        verdict = "PASS" if a["passes"] else "FAIL"
        limit = f"{float(Fraction(a['limit'])):.0%}"
        warn = "" if a["warning_line"] is None else f"{float(Fraction(a['warning_line'])):.0%}"
        typer.echo(
            f"\naffordability (<= {limit} of budget expenditure, rules of {rep['rules_on']}):"
            f" {verdict}"
            + (f"; years above {warn}: {a['warning_years'] or 'none'}" if warn else "")
        )
        frame(_yuan_frame(a["table"]))
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
            f"P(payback within period) = {m['p_payback_within_cooperation_period']:.1%}"
        )
        frame(m["summary"])
    if "audit" in rep:
        typer.echo("\naudit appendix (every rule value used):")
        frame(rep["audit"])


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
    audit: Annotated[bool, typer.Option("--audit", help="Add the audit appendix.")] = False,
) -> None:
    """PPP finance: cash flows, NPV/IRR/payback, 21号 subsidy, affordability, VfM."""
    p = ppp.PPPProject.from_yaml(scenario)  # an InputError ends in the CLI's one handler
    rep = _report(p, tornado, mc, audit)
    if format == OutputFormat.json:
        typer.echo(json.dumps(_jsonable(rep), ensure_ascii=False, indent=2, default=_json_default))
    else:
        _print_table(rep)
