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

__all__ = ["SOURCE_COLUMNS", "share_text", "sources_frame", "vote_rule_text"]

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
