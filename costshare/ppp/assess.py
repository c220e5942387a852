"""One PPP assessment: cash flows, metrics, affordability and value for money together.

The CLI (``costshare ppp``) and the app page both show this; they load the rule set for
the project's date (:func:`project_date`) and pass it in.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from costshare import i18n
from costshare.i18n import Lang
from costshare.money import format_percent
from costshare.ppp.dated import DatedMetrics, dated_metrics
from costshare.ppp.engine import simulate
from costshare.ppp.fiscal import (
    Affordability,
    AffordabilityLines,
    affordability,
    affordability_lines,
)
from costshare.ppp.model import DRIVERS, PPPProject
from costshare.ppp.provenance import ITEM_FIGURES, known_key
from costshare.ppp.tables import Metrics, cash_flow_table, metrics
from costshare.ppp.vfm import VfM, value_for_money
from costshare.rules import RuleSet

__all__ = [
    "Assessment",
    "apply_edits",
    "assess",
    "project_assumptions",
    "project_date",
    "tornado_defaults",
]


@dataclass(frozen=True)
class Assessment:
    """Everything the PPP views show for one scenario."""

    table: pd.DataFrame
    """Annual cash flows (:func:`costshare.ppp.cash_flow_table`), fen columns."""
    metrics: Metrics
    vfm: VfM | None
    """None when the scenario has no ``vfm`` section: not assessed."""
    affordability: Affordability | None
    """None when the scenario has no ``fiscal`` section (see `affordability_note`)."""
    affordability_note: str | None
    lines: AffordabilityLines
    regime: str
    start_year: int | None
    dated: DatedMetrics | None = None
    """XNPV/XIRR of the dated flows; None without a start date."""


def project_date(p: PPPProject) -> dt.date | None:
    """The date whose rules apply: 1 January of ``start_year``, or None if not given.

    Examples
    --------
    >>> from costshare.ppp.model import PPPProject
    >>> project_date(PPPProject.from_yaml("scenarios/ppp/ppp_example.yaml"))
    datetime.date(2025, 1, 1)
    """
    return dt.date(p.start_year, 1, 1) if p.start_year else None


def assess(p: PPPProject, rules: RuleSet) -> Assessment:
    """Simulate `p` once and derive the table, metrics, VfM and affordability.

    `rules` is the national rule set in force on the project's date; it supplies the
    affordability ceiling and warning line.
    """
    fl = simulate(p)
    aff, note = None, None
    if p.fiscal is None:
        note = f"scenario {p.name!r} has no 'fiscal' section: cannot test affordability"
    else:
        aff = affordability(p, rules, fl)
    return Assessment(
        table=cash_flow_table(p, fl),
        metrics=metrics(p, fl),
        vfm=value_for_money(p, fl),
        affordability=aff,
        affordability_note=note,
        lines=affordability_lines(rules),
        regime=p.regime,
        start_year=p.start_year,
        dated=dated_metrics(p, fl),
    )


def _same(a: Any, b: Any) -> bool:
    """The same figure, however typed (``100000000`` and ``"100000000.00"``, 4.2/100 and 0.042)."""
    if a == b:
        return True
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)
    except (TypeError, ValueError):
        return False


def apply_edits(
    base: dict[str, Any], drivers: dict[str, Any], revenues: list[dict], om: list[dict]
) -> dict[str, Any]:
    """A scenario's plain data with edits applied (the base is not changed).

    `drivers` maps dotted field paths (``"financing.loan.annual_rate"``) to values; a
    path through an absent section (no loan) is skipped. `revenues` / `om` are rows in
    the base's order; only their fields replace the base's (ramp-ups, end years stay).
    A figure the edits change is recorded in ``provenance`` as an assumption (A)
    "entered on the page" (see :mod:`costshare.ppp.provenance`).

    Examples
    --------
    >>> base = {"financing": {"loan": None, "equity_share": 0.3}, "revenues": [{"a": 1, "b": 2}]}
    >>> out = apply_edits(base, {"financing.equity_share": 0.4, "financing.loan.years": 9},
    ...                   [{"b": 5}], [])
    >>> out["financing"], out["revenues"], list(out["provenance"])
    ({'loan': None, 'equity_share': 0.4}, [{'a': 1, 'b': 5}], ['financing.equity_share'])
    """
    raw = copy.deepcopy(base)
    changed: list[str] = []
    for dotted, value in drivers.items():
        *path, last = dotted.split(".")
        node = raw
        for part in path:
            if node.get(part) is None:
                break
            node = node[part]
        else:
            if not _same(node.get(last), value):
                changed.append(dotted)
            node[last] = value
    for key, rows in (("revenues", revenues), ("om_costs", om)):
        olds = raw.get(key) or []
        raw[key] = [{**old, **new} for old, new in zip(olds, rows, strict=False)]
        for old, row in zip(olds, raw[key], strict=False):
            changed += [
                f"{key}.{row.get('name')}.{f}"
                for f in ITEM_FIGURES[key]
                if f in row and not _same(old.get(f), row[f])
            ]
    changed = [c for c in changed if known_key(c)]  # figures only (not regime, subsidy.kind)
    if changed:
        mark = {
            "confidence": "A",
            "reason": i18n.t("ppp.prov.page", "zh"),
            "reason_en": i18n.t("ppp.prov.page", "en"),
        }
        raw["provenance"] = {**(raw.get("provenance") or {}), **dict.fromkeys(changed, mark)}
    return raw


def tornado_defaults(p: PPPProject) -> tuple[list[str], list[str], float]:
    """Drivers offered, drivers preselected (the scenario's, else all) and the change."""
    offered = [*DRIVERS, *(f"revenue.{r.name}" for r in p.revenues)]
    chosen = [d.driver for d in p.sensitivity.tornado] or list(DRIVERS)
    change = p.sensitivity.tornado[0].change if p.sensitivity.tornado else 0.10
    return offered, chosen, change


def income_reading(lang: Lang = "zh") -> dict[str, str]:
    """The one reading every scenario makes (an assumption): operating income is user payment.

    Examples
    --------
    >>> income_reading("en")["what"].startswith("All operating income")
    True
    """
    return {
        "what": i18n.t("ppp.assume.kinds", lang),
        "value": "",
        "note": i18n.t("ppp.assume.note", lang),
    }


def project_assumptions(p: PPPProject, lang: Lang = "zh") -> list[dict[str, str]]:
    """The scenario's own rates that no document sets, as audit assumptions (``what``,
    ``value`` as a percentage, ``note``), in `lang`.

    Examples
    --------
    >>> p = PPPProject.from_yaml("scenarios/ppp/ppp_example.yaml")
    >>> project_assumptions(p)[0]
    {'what': '合理利润率（财金〔2015〕21号公式）', 'value': '6.00%', 'note': '方案取值，无文件规定'}
    """
    rates = {
        "profit_rate": p.subsidy.profit_rate,
        "sub_rate": p.subsidy.discount_rate,
        "eval_rate": p.evaluation.discount_rate,
        "equity_rate": p.evaluation.equity_discount_rate,
        "loan_rate": p.financing.loan.annual_rate if p.financing.loan else None,
        "revenue_tax_rate": p.taxes.revenue_tax_rate,
        "income_tax_rate": p.taxes.income_tax_rate,
    }
    note = i18n.t("ppp.assume.note", lang)
    out = [
        {"what": i18n.t(f"ppp.assume.{k}", lang), "value": format_percent(v, 2), "note": note}
        for k, v in rates.items()
        if v is not None
    ]
    out.append(income_reading(lang))
    return out
