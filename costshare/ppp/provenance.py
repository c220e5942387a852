"""Where a PPP scenario's own figures come from: each figure the engine takes, with its mark.

No seed or rule states a project's discount rates, loan terms, growth, residual value or
tax rates; a scenario states them. Its ``provenance`` section says where each comes from
(:class:`costshare.base.Mark`: confidence H/M/S/A, A with its reason, S with seed and
line), keyed by the figure's path (``financing.loan.annual_rate``) or by a group of
figures (``revenues``, ``revenues.停车位``, ``financing.loan``): the longest key that is
the path or a prefix of it applies. A figure no key covers is used but flagged
(:func:`unsourced`). :func:`provenance_rows` makes the audit appendix's rows
(:func:`costshare.report.audit.audit_frame` ``inputs=``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from costshare import i18n
from costshare.base import Mark
from costshare.money import format_percent, to_fen, yuan_text

__all__ = ["FIGURES", "ITEM_FIGURES", "figures", "mark_for", "provenance_rows", "unsourced"]

# path → kind of value: rate/share (shown as a percentage), yuan, years, text
FIGURES: dict[str, str] = {
    "cooperation_years": "years",
    "construction.cost": "yuan",
    "construction.schedule": "shares",
    "financing.equity_share": "rate",
    "financing.government_equity_share": "rate",
    "financing.loan.annual_rate": "rate",
    "financing.loan.years": "years",
    "financing.loan.grace_years": "years",
    "financing.loan.method": "text",
    "taxes.revenue_tax_rate": "rate",
    "taxes.income_tax_rate": "rate",
    "taxes.depreciation_years": "years",
    "residual_value": "yuan",
    "subsidy.profit_rate": "rate",
    "subsidy.discount_rate": "rate",
    "subsidy.years": "years",
    "subsidy.construction_grant": "yuan",
    "evaluation.discount_rate": "rate",
    "evaluation.equity_discount_rate": "rate",
    "fiscal.budget_expenditure": "yuan",
    "fiscal.budget_growth": "rate",
    "fiscal.other_ppp_obligations": "yuan",
    "vfm.discount_rate": "rate",
    "vfm.competitive_neutrality": "yuan",
    "vfm.transferable_risk_share": "rate",
}
"""The scalar figures the PPP engine takes that no seed or rule states, in report order."""

ITEM_FIGURES: dict[str, dict[str, str]] = {
    "revenues": {"annual_amount": "yuan", "growth": "rate", "ramp_up": "shares"},
    "om_costs": {"annual_amount": "yuan", "growth": "rate"},
}
"""Figures of each revenue stream and cost item (path ``revenues.<name>.<field>``)."""


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def figures(p: Any) -> Iterator[tuple[str, str, Any]]:
    """Every figure `p` (a :class:`~costshare.ppp.model.PPPProject`) gives: path, kind, value.

    A section the scenario leaves out (no loan, no fiscal data) gives no figures; an
    empty ramp-up is not a figure.

    Examples
    --------
    >>> from costshare.ppp.model import PPPProject
    >>> p = PPPProject.from_yaml("scenarios/ppp/ppp_example.yaml")
    >>> next(x for x in figures(p) if x[0] == "financing.loan.annual_rate")
    ('financing.loan.annual_rate', 'rate', 0.042)
    """
    for path, kind in FIGURES.items():
        v = _get(p, path)
        if v is not None:
            yield path, kind, v
    for group, fields in ITEM_FIGURES.items():
        for item in getattr(p, group):
            for f, kind in fields.items():
                v = getattr(item, f)
                if v is not None and v != []:
                    yield f"{group}.{item.name}.{f}", kind, v


def known_key(key: str) -> bool:
    """Whether `key` can name a figure or a group of figures (a typo cannot).

    A section the scenario leaves out (no ``vfm``) may still be named: the key covers
    nothing then. Item figures are ``revenues.<name>[.<field>]`` and ``om_costs.…``.

    Examples
    --------
    >>> [known_key(k) for k in ("financing.loan", "revenues.停车位.growth", "financing.lone")]
    [True, True, False]
    """
    if any(path == key or path.startswith(key + ".") for path in FIGURES):
        return True
    # an item's name is free text (it may hold dots): a mistyped item key covers nothing,
    # so the item's figures stay flagged (see unsourced)
    return key.partition(".")[0] in ITEM_FIGURES


def mark_for(path: str, provenance: Mapping[str, Mark]) -> Mark | None:
    """The mark of `path`: the longest key that is the path or a prefix of it at a dot.

    Examples
    --------
    >>> m = {"revenues": Mark(confidence="A", reason="all assumed")}
    >>> mark_for("revenues.parking.growth", m).reason, mark_for("residual_value", m)
    ('all assumed', None)
    """
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in provenance:
            return provenance[key]
    return None


def unsourced(p: Any) -> list[str]:
    """Paths of the figures no provenance key covers (used, but flagged).

    Examples
    --------
    >>> from costshare.ppp.model import PPPProject
    >>> unsourced(PPPProject.from_yaml("scenarios/ppp/chongqing_jiulongpo.yaml"))
    []
    """
    return [path for path, _, _ in figures(p) if mark_for(path, p.provenance) is None]


def _value(kind: str, v: Any) -> str:
    if kind == "rate":
        return format_percent(v, 2)
    if kind == "shares":
        return " / ".join(format_percent(x, 0) for x in v)
    if kind == "yuan":
        return yuan_text([to_fen(Decimal(str(v)))])[0]
    return str(v)


def _name(path: str, lang: i18n.Lang) -> str:
    head, _, rest = path.partition(".")
    if head in ITEM_FIGURES and rest:
        item, _, field = rest.rpartition(".")
        return i18n.t(f"ppp.fig.item.{field}", lang, item=item)
    return i18n.t("ppp.fig." + path.replace(".", "_"), lang)


def provenance_rows(
    p: Any, document: str = "", lang: i18n.Lang | None = None
) -> list[dict[str, str]]:
    """Audit rows of every figure of `p` with its mark, in `lang` (Chinese by default).

    Section ``assumption`` for an A figure or one without a source (its reason says "no
    source given"), ``input`` for a cited one; ``rule`` holds the figure's path (its
    handle, shown in the id column as a rule's id is).

    Examples
    --------
    >>> from costshare.ppp.model import PPPProject
    >>> p = PPPProject.from_yaml("scenarios/ppp/ppp_example.yaml")
    >>> r = next(r for r in provenance_rows(p, lang="en") if r["rule"].endswith("annual_rate"))
    >>> r["parameter"], r["value"], r["confidence"]
    ('Loan rate', '4.20%', 'A')
    """
    lang = lang or "zh"
    rows = []
    for path, kind, v in figures(p):
        m = mark_for(path, p.provenance)
        conf = m.confidence if m is not None else None
        said = None if m is None else (m.reason_en if lang == "en" and m.reason_en else m.reason)
        reason = said or ("" if conf else i18n.t("ppp.prov.unsourced", lang))
        rows.append(
            {
                "section": "assumption" if conf in ("A", None) else "input",
                "parameter": _name(path, lang),
                "value": _value(kind, v),
                "document": (m.document if m is not None else None) or document,
                "article": m.source_text() if m is not None and m.seed else "",
                "confidence": conf or "",
                "reason": reason,
                "rule": path,  # the figure's handle, as a rule's id is (an id column)
            }
        )
    return rows
