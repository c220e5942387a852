"""An operation result worded for a reader: sources and assumptions in Chinese or English.

The rules are cited by :func:`costshare.rules.cite`; kinds, modes and thresholds are
named through the translation table; a scenario's assumptions and notes are shown in the
language they are written in (``*_en`` fields for English, the plain fields for Chinese).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pandas as pd

from costshare import i18n
from costshare.operation.model import MODES
from costshare.rules import cite

if TYPE_CHECKING:
    from costshare.operation.result import OperationResult

__all__ = ["SOURCE_COLUMNS", "period_text", "share_text", "sources_frame", "vote_rule_text"]

SOURCE_COLUMNS = ["kind", "item", "what", "source", "confidence"]
"""Columns of :func:`sources_frame` (``item``: a rule's id, the citation handle)."""


def share_text(value: Any) -> str:
    """A ratio as a percentage (exact up to two decimals).

    Examples
    --------
    >>> share_text("0.3"), share_text("2/3"), share_text(0.125)
    ('30%', '66.67%', '12.5%')
    """
    pct = Fraction(str(value)) * 100
    text = f"{float(pct):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def vote_rule_text(rule: Any, lang: i18n.Lang = "zh") -> str:
    """A vote rule's thresholds in words (participation, then approval).

    Examples
    --------
    >>> from costshare import rules
    >>> r = rules.load("national", on="2024-01-01").vote_rule("change_use")
    >>> vote_rule_text(r, "en")
    'at least 2/3 of the area and 2/3 of the owners take part; at least 3/4 of the participating area and 3/4 of the participating owners agree'
    """
    return i18n.t(
        "op.vote_rule",
        lang,
        quorum_area=rule.quorum_area,
        quorum_owners=rule.quorum_owners,
        approve_area=rule.approve_area,
        approve_owners=rule.approve_owners,
    )


def period_text(result: OperationResult, community: str, lang: i18n.Lang = "zh") -> str:
    """The whole period of one community in words: the period's break-even fee (with and
    without subsidy, and year 1's), years in deficit and the worst, years even unsubsidised.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.operation import OperationScenario, operate
    >>> s = OperationScenario(name="x", years=2, communities=[dict(
    ...     name="a", households=10, area_m2=1000, fee=1, collection_rate=0.9,
    ...     mode="trusteeship", costs=[dict(name="保洁", kind="cleaning_greening",
    ...     annual=12000)], subsidy=[1200])])
    >>> r = operate(s, rules.load("national", on="2024-01-01"))
    >>> print(period_text(r, "a"))
    整个测算期（2 年）：期内保本的物业费 1.06 元/m²/月（无补贴 1.12；第 1 年 1.00）；2 年中 1 年亏损，最差为第 2 年（-1,200.00 元）；无补贴时期内没有一年收支平衡。
    """
    from costshare.money import format_amount
    from costshare.operation.result import year_runs

    p = result.period().set_index("community").loc[community]
    row = result.summary.set_index("community").loc[community]
    n = int(p["years"])
    deficits = p["deficit_years"]
    amount = format_amount(int(p["worst_surplus_fen"]))
    if lang == "en":
        amount = amount.replace(" 元", " yuan")
    deficit = (
        i18n.t(
            "op.period.deficit", lang, n=n, k=len(deficits), worst=p["worst_year"], amount=amount
        )
        if deficits
        else i18n.t("op.period.no_deficit", lang, n=n)
    )
    free = p["unsubsidised_years"]
    if not free:
        free_years = i18n.t("op.period.free_none", lang)
    elif free == list(range(free[0], n + 1)):
        free_years = i18n.t("op.period.free_from", lang, y=free[0])
    else:
        free_years = i18n.t("op.period.free_some", lang, n=n, k=len(free), years=year_runs(free))
    return i18n.t(
        "op.period",
        lang,
        years=n,
        fee=p["breakeven_fee_period"],
        free=p["breakeven_fee_period_without_subsidy"],
        first=row["breakeven_fee"],
        deficit=deficit,
        free_years=free_years,
    )


def _pick(zh: str | None, en: str | None, lang: i18n.Lang) -> str:
    return (en or zh or "") if lang == "en" else (zh or "")


def sources_frame(result: OperationResult, lang: i18n.Lang = "zh") -> pd.DataFrame:
    """Where each number comes from, worded in `lang`: rules, modes, seeds, assumptions.

    Examples
    --------
    >>> import datetime as dt
    >>> from costshare import rules
    >>> from costshare.operation import OperationScenario, operate
    >>> s = OperationScenario.from_yaml("scenarios/operation/changping_closed_estate.yaml")
    >>> r = operate(s, rules.load(s.jurisdiction, on=s.day()))
    >>> sources_frame(r, "en").iloc[0][["kind", "item", "what"]].tolist()
    ['rule', 'fund.topup_trigger', 'Top-up trigger: 30% of the first deposits']
    """
    from costshare.operation.result import TAX_RULES, VOTE_MATTER

    rs, scen = result.rules, result.scenario
    rows: list[dict[str, Any]] = []
    for pid in ("fund.topup_trigger", *TAX_RULES):
        if pid in rs.parameters:
            rule = rs.parameters[pid]
            what = (
                i18n.t("op.rule.topup_trigger", lang, value=share_text(rule.value))
                if pid == "fund.topup_trigger"
                else f"{rule.label or ''} {rule.value} {rule.unit or ''}".strip()
            )
            rows.append({"kind": "rule", "item": rule.id, "what": what,
                         "source": cite(rule, lang), "confidence": rule.confidence})  # fmt: skip
    vote = rs.vote_rule(VOTE_MATTER)
    rows.append({"kind": "rule", "item": vote.id, "what": vote_rule_text(vote, lang),
                 "source": cite(vote, lang), "confidence": vote.confidence})  # fmt: skip
    for mode in sorted({c.mode for c in scen.communities}):
        m = MODES[mode]
        what = i18n.t("op.mode_fee", lang, mode=i18n.label("opmode", mode, lang, m.label),
                      ratio=share_text(m.management_fee_ratio))  # fmt: skip
        rows.append({"kind": "assumption" if m.assumed else "mode", "item": "",
                     "what": what, "source": m.source, "confidence": ""})  # fmt: skip
    for s in scen.sources:
        rows.append({"kind": "seed", "item": s.seed, "what": _pick(s.note, s.note_en, lang),
                     "source": s.passage, "confidence": ""})  # fmt: skip
    for a in scen.assumptions:
        what = _pick(a.what, a.what_en, lang)
        value = _pick(None if a.value is None else str(a.value), a.value_en, lang)
        rows.append({"kind": "assumption", "item": "", "what": f"{what}：{value}" if lang == "zh"
                     and value else (f"{what}: {value}" if value else what),
                     "source": _pick(a.note, a.note_en, lang), "confidence": ""})  # fmt: skip
    for _, r in result.space.iterrows():
        valuation = r["valuation_en"] if lang == "en" else r["valuation"]
        rows.append({"kind": "assumption", "item": "", "what": f"{r['name']}",
                     "source": f"{valuation}; {r['source']}", "confidence": ""})  # fmt: skip
    out = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    out["kind"] = [i18n.label("opsrc", k, lang) for k in out["kind"]]
    return out
