"""The audit appendix: every rule value that produced a result, and every assumption.

One row per number a rule contributed (a parameter, each payer's share of a utility split,
each vote threshold, each elevator-subsidy amount, each floor's coefficient) with its
unit, rule id, document, issuer, article, date, start and confidence (H/M/S/A, see
DOMAIN.md), then one row per assumption of the scenario or portfolio with its reason.
An analyst can hand it to an auditor as it is.

Which rules "produced the result" is recorded, not guessed: a :class:`~costshare.rules.RuleSet`
notes every rule an engine looks up (``RuleSet.reads``); a community result adds the rule
ids of its split table, a contribution sheet the rules it rests on.

The app shows the same list under each result with :func:`audit_frame`::

    from costshare.report.audit import audit_frame
    st.dataframe(audit_frame(result))                     # a scenario or portfolio result
    st.dataframe(audit_frame(sheet))                      # a contribution sheet
    st.dataframe(audit_frame(rules=rs, assumptions=...))  # e.g. a PPP assessment

Examples
--------
>>> from costshare import rules
>>> rs = rules.load("ningbo", on="2024-06-30").fresh()
>>> _ = rs.param("fund.standard_yuan_per_m2")
>>> row = audit_frame(rules=rs).iloc[0]
>>> row["rule"], row["value"], row["unit"], row["confidence"]
('fund.standard_yuan_per_m2', '80', '元/m²', 'A')
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pandas as pd

from costshare.i18n import Lang, t
from costshare.report import audit_words as _words
from costshare.report.audit_words import text as _text
from costshare.rules import RuleSet
from costshare.rules.citation import reason
from costshare.rules.schema import (
    Rule,
)

__all__ = [
    "AUDIT_COLUMNS",
    "assumption_rows",
    "audit_frame",
    "land_rows",
    "rule_rows",
    "write_audit_sheet",
]

AUDIT_COLUMNS = [
    "section",
    "parameter",
    "value",
    "unit",
    "rule",
    "document",
    "issuer",
    "article",
    "date",
    "effective_from",
    "confidence",
    "reason",
    "note",
    "jurisdiction",
]
"""Columns of the appendix. ``section`` is ``rule``, ``input`` (a scenario's own figure that
stands in for a rule value) or ``assumption``."""

_VOTE_UNITS = {
    "quorum_area": "share of all exclusive area",
    "quorum_owners": "share of all owners",
    "approve_area": "share of participating area",
    "approve_owners": "share of participating owners",
}


def _values(rule: Rule, rs: RuleSet, lang: Lang | None = None) -> list[tuple[str, str, str]]:
    """(parameter, value, unit) for every number of `rule`: one wording, Chinese by default (as i18n)."""
    return _words.values(rule, rs, lang or "zh")


def rule_rows(
    rs: RuleSet, ids: Iterable[str] | None = None, lang: Lang | None = None
) -> list[dict[str, str]]:
    """Appendix rows of the rules `ids` of `rs` (default: those it recorded as read).

    Rules are listed in the order of :meth:`RuleSet.all_rules`; an id not in force in `rs`
    is skipped. With `lang`, parameter names, units and "undated" are in that language
    (for the screen); without it, as the exports have always written them.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("fujian", on="2024-01-01")
    >>> [r["value"] for r in rule_rows(rs, ["fj.telecom_cabling"])]
    ['0.65', '0.35']
    """
    want = set(rs.reads if ids is None else ids)
    rows = []
    for rule in rs.all_rules():
        if rule.id not in want:
            continue
        src = rule.source
        for what, value, unit in _values(rule, rs, lang):
            rows.append(
                {
                    "section": "rule",
                    "parameter": what,
                    "value": value,
                    "unit": unit,
                    "rule": rule.id,
                    "document": src.document,
                    "issuer": src.issuer,
                    "article": src.article + (f"（{src.seed}）" if src.seed else ""),
                    "date": src.date_text,
                    "effective_from": (
                        rule.effective_from.isoformat()
                        if rule.effective_from
                        else (t("cite.undated", lang) if lang else "undated")
                    ),
                    "confidence": rule.confidence,
                    "reason": reason(rule, lang) if lang else (rule.reason or ""),
                    "note": (rule.note_en if lang == "en" and rule.note_en else rule.note) or "",
                    "jurisdiction": rs.key,
                }
            )
    return rows


def assumption_rows(assumptions: Iterable[Any], document: str = "") -> list[dict[str, str]]:
    """Appendix rows of a scenario's or portfolio's assumptions (confidence A, the note as reason).

    Each assumption has ``what``, ``value`` (optional) and ``note`` (attributes or keys).

    Examples
    --------
    >>> assumption_rows([{"what": "top-up ratio", "value": 0.7, "note": "midpoint"}])[0]["reason"]
    'midpoint'
    """
    rows = []
    for a in assumptions:
        get = a.get if isinstance(a, dict) else lambda k, _a=a: getattr(_a, k, None)
        value = get("value")
        rows.append(
            {
                **dict.fromkeys(AUDIT_COLUMNS, ""),
                "section": "assumption",
                "parameter": str(get("what") or ""),
                "value": "" if value is None else str(value),
                "document": document,
                "confidence": "A",
                "reason": str(get("note") or ""),
            }
        )
    return rows


def _frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS).drop_duplicates(ignore_index=True)


def audit_frame(
    result: Any = None,
    *,
    rules: RuleSet | Iterable[RuleSet] | None = None,
    assumptions: Iterable[Any] = (),
    document: str = "",
    lang: Lang | None = None,
    inputs: Iterable[dict[str, str]] = (),
) -> pd.DataFrame:
    """The audit appendix of a result as a table (columns :data:`AUDIT_COLUMNS`).

    Parameters
    ----------
    result : ScenarioResult, PortfolioResult or ContributionSheet, optional
        A community scenario result (its rules' reads, its split rules, its scenario's
        assumptions), a portfolio result (every template's rules), or a contribution
        sheet (the rules it rests on, with the floor rule's coefficients).
    rules : RuleSet or iterable of RuleSet, optional
        Rule sets whose recorded reads to list (e.g. the one a PPP assessment used).
    assumptions : iterable, optional
        Further assumptions (``what``, ``value``, ``note``), e.g. a portfolio file's.
    document : str
        Name of the file the assumptions come from.
    lang : {"zh", "en"}, optional
        Language of the rule rows' parameter names and units (the app's screen); by
        default the words the exports write.
    inputs : iterable of dict, optional
        Rows already made with their own marks (columns of :data:`AUDIT_COLUMNS`, any
        left out empty), e.g. :func:`costshare.ppp.provenance.provenance_rows`.

    Returns
    -------
    DataFrame
        One row per rule value, then one per assumption; no duplicates.

    Examples
    --------
    >>> from costshare.community.scenario import Scenario, default_scenario_path
    >>> df = audit_frame(Scenario.from_yaml(default_scenario_path()).run())
    >>> df[df["rule"] == "fj.telecom_cabling"]["value"].tolist()
    ['0.65', '0.35']
    """
    rows: list[dict[str, str]] = []
    sets = [rules] if isinstance(rules, RuleSet) else list(rules or ())
    for rs in sets:
        rows += rule_rows(rs, lang=lang)
    if result is not None:
        rows += _result_rows(result, lang)
    rows += assumption_rows(assumptions, document)
    rows += [{**dict.fromkeys(AUDIT_COLUMNS, ""), **r} for r in inputs]
    return _frame(rows)


def _result_rows(result: Any, lang: Lang | None = None) -> list[dict[str, str]]:
    kind = type(result).__name__
    if kind == "ScenarioResult":
        rs = result.rules
        ids = set(rs.reads) | set(result.split.table["rule"].dropna().astype(str))
        name = result.scenario.name
        rows = rule_rows(rs, ids, lang) + _fund_inputs(result.scenario, rs, lang)
        rows += land_rows(result.scenario.funding.land, name, rs.key, lang)
        return rows + assumption_rows(result.scenario.assumptions, name)
    if kind == "PortfolioResult":
        rows = []
        for rs in getattr(result, "rules", ()):
            rows += rule_rows(rs, lang=lang)
        return rows
    if kind == "ContributionSheet":
        return _sheet_rows(result, lang)
    msg = f"no audit appendix for a {kind}"
    raise TypeError(msg)


_FUND_INPUTS = {
    "ratio": ("", "/1"),
    "standard_yuan_per_m2": ("fund.standard_yuan_per_m2", "currency-CNY/m2"),
    "subsidy_ratio": ("fund.subsidy_ratio", "/1"),
}


def _fund_inputs(scenario: Any, rs: RuleSet, lang: Lang | None = None) -> list[dict[str, str]]:
    """A scenario's own top-up figures that stand in for rule values (the rule is not read).

    A figure equal to the rule in force is listed with that rule's provenance; any other
    figure is the scenario's own, confidence A unless the scenario lists it as an assumption.
    """
    topup = scenario.funding.fund_topup
    if topup is None:
        return []
    rows = []
    for field_name, (pid, unit) in _FUND_INPUTS.items():
        value = getattr(topup, field_name)
        if value is None:
            continue
        rule = rs.parameters.get(pid) if pid else None  # noted as read: it is now cited
        if rule is not None and Decimal(str(rule.value)) == Decimal(str(value)):
            rows += rule_rows(rs, [pid], lang)
            continue
        reason = "given in the scenario" + (
            f"; the rule {pid} in force says {_text(rule.value)}" if rule is not None else ""
        )
        what = f"funding.fund_topup.{field_name}"
        if lang is not None:
            what = t(f"audit.fund.{field_name}", lang)
            reason = (
                t("audit.given_rule", lang, rule=pid, value=_text(rule.value))
                if rule is not None
                else t("audit.given", lang)
            )
        rows.append(
            {
                **dict.fromkeys(AUDIT_COLUMNS, ""),
                "section": "input",
                "parameter": what,
                "value": _text(Decimal(str(value))),
                "unit": unit,
                "document": scenario.name,
                "confidence": "A",
                "reason": reason,
                "jurisdiction": rs.key,
            }
        )
    return rows


def land_rows(
    lines: Iterable[Any], document: str = "", jurisdiction: str = "", lang: Lang | None = None
) -> list[dict[str, str]]:
    """Appendix rows of land lines' figures (section ``input``): value, unit, source, mark.

    The parameter is the line's name and the figure's name in `lang` (Chinese by
    default); ``rule`` holds the figure's path (``land.<line>.<field>``), its handle. A
    figure given without a source is listed with an empty confidence and says so.

    Examples
    --------
    >>> from costshare.community.land import LandValue
    >>> x = LandValue(name="p", added_floor_area_m2=10, floor_price=1,
    ...     capture_share={"value": 1, "confidence": "A", "reason": "all"})
    >>> r = land_rows([x], lang="en")[-1]
    >>> r["parameter"], r["rule"], r["confidence"]
    ('p: Share captured for the renovation (0–1)', 'land.p.capture_share', 'A')
    """
    from costshare.community.land import UNITS

    rows = []
    for x in lines:
        for k, f in x.figures():
            rows.append(
                {
                    **dict.fromkeys(AUDIT_COLUMNS, ""),
                    "section": "input",
                    "parameter": f"{x.name}: {_land_field(k, lang)}",
                    "rule": f"land.{x.name}.{k}",
                    "value": _text(f.value),
                    "unit": UNITS.get(k, "currency-CNY"),
                    "document": f.document or document,
                    "article": f.source_text() if f.seed else "",
                    "confidence": f.confidence or "",
                    "reason": f.reason
                    or ("" if f.confidence else t("ppp.prov.unsourced", lang or "zh")),
                    "jurisdiction": jurisdiction,
                }
            )
    return rows


def _land_field(key: str, lang: Lang | None) -> str:
    """A land figure's name in `lang` (a stated cost as ``cost:<what>``)."""
    if key.startswith("cost:"):
        return t("land.cost", lang or "zh", what=key.removeprefix("cost:"))
    return t(f"land.{key}", lang or "zh")


def _sheet_rows(sheet: Any, lang: Lang | None = None) -> list[dict[str, str]]:
    """A contribution sheet's rules: each from its jurisdiction's file, with all its values."""
    from costshare.errors import InputError
    from costshare.rules import load

    rows = []
    day = sheet.meta.rules_on
    for src in sheet.sources:
        key = src.rule.split(".", 1)[0]
        for jur in (sheet.meta.jurisdiction, key):
            try:
                found = rule_rows(load(jur, on=day), [src.rule], lang)
            except InputError:  # a rule id need not name a jurisdiction
                found = []
            if found:
                rows += found
                break
        else:
            rows.append(
                {
                    **dict.fromkeys(AUDIT_COLUMNS, ""),
                    **{k: str(v) for k, v in src.model_dump().items() if k in AUDIT_COLUMNS},
                    "section": "rule",
                    "parameter": src.applies_to,
                    "jurisdiction": sheet.meta.jurisdiction,
                }
            )
    return rows


AUDIT_SHEET = "audit"
"""Name of the appendix sheet in every xlsx export."""


def write_audit_sheet(wb: Any, frame: pd.DataFrame, name: str = AUDIT_SHEET) -> None:
    """Add the appendix `frame` as a sheet of the xlsxwriter workbook `wb` (text cells escaped).

    Examples
    --------
    >>> import io, openpyxl, xlsxwriter
    >>> buf = io.BytesIO()
    >>> wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    >>> write_audit_sheet(wb, audit_frame(assumptions=[{"what": "=x", "note": "n"}]))
    >>> wb.close()
    >>> ws = openpyxl.load_workbook(buf)["audit"]
    >>> ws["A1"].value, ws["B2"].value
    ('section', "'=x")
    """
    from costshare.report.safe import escape_cell

    ws = wb.add_worksheet(name)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for j, col in enumerate(frame.columns):
        ws.write_string(0, j, str(col), head)
        ws.set_column(j, j, 40 if col in ("parameter", "document", "reason") else 16)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, v in enumerate(row):
            ws.write_string(i, j, escape_cell("" if v is None else str(v)))
    ws.freeze_panes(1, 0)
