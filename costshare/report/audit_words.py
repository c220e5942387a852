"""The audit appendix's parameter names and units in Chinese or English (for the screen).

:func:`costshare.report.audit.rule_rows` writes the words the exports have always used;
given a language it asks :func:`values` here instead, which names payers, categories,
owners, vote bars and floors through the one translation table.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from costshare.i18n import Lang, label, t
from costshare.rules import RuleSet
from costshare.rules.schema import (
    BasisRule,
    ElevatorSubsidy,
    FloorRule,
    Parameter,
    Rule,
    UtilitySplit,
    VoteRule,
)

UNITS = {
    "/1": "ratio",
    "currency-CNY": "yuan",
    "currency-CNY/m2": "yuan_m2",
    "year": "year",
}
"""Rule-file units → keys ``audit.unit.*``."""


def text(v: object) -> str:
    """A rule value as text: fractions as ``2/3``, whole decimals without a point.

    >>> text(Fraction(2, 3)), text(Decimal("80.00")), text(Decimal("0.65"))
    ('2/3', '80', '0.65')
    """
    if isinstance(v, Fraction):
        return str(v)
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else str(v)
    return str(v)


def unit(u: str, lang: Lang) -> str:
    """A rule file's unit in `lang`.

    >>> unit("currency-CNY/m2", "zh"), unit("/1", "en")
    ('元/m²', 'share')
    """
    return t(f"audit.unit.{UNITS[u]}", lang) if u in UNITS else u


def _payer(key: str, rs: RuleSet, lang: Lang) -> str:
    return label("payer", key, lang, rs.payers.get(key, key))


def values(rule: Rule, rs: RuleSet, lang: Lang) -> list[tuple[str, str, str]]:
    """(parameter, value, unit) for every number of `rule`, worded in `lang`.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("fujian", on="2024-01-01")
    >>> rule = next(r for r in rs.all_rules() if r.id == "fj.power.power_company")
    >>> values(rule, rs, "zh")
    [('供电线路及设备（供电企业）：供电企业', '1', '比例')]
    """
    if isinstance(rule, Parameter):
        return [(rule.label or rule.id, text(rule.value), unit(rule.unit, lang))]
    if isinstance(rule, UtilitySplit):
        cat = label("category", rule.category, lang, rs.categories.get(rule.category))
        owner = label("owner", rule.owner, lang, _payer(rule.owner, rs, lang))
        head = f"{cat}（{owner}）：" if lang == "zh" else f"{cat} ({owner}): "
        return [
            (f"{head}{_payer(p, rs, lang)}", text(s), unit("/1", lang))
            for p, s in rule.shares.items()
        ]
    matters = "/".join(label("matter", m, lang, m) for m in getattr(rule, "matters", ()))
    if isinstance(rule, VoteRule):
        out = []
        for k in ("quorum_area", "quorum_owners", "approve_area", "approve_owners"):
            bar = getattr(rule, k)
            if bar is not None:
                all_ = k.startswith("approve") and rule.approve_of == "all"
                sign = ">" if rule.strict and k.startswith("approve") else "≥"
                what = f"{matters}: {t(f'audit.vote.{k}', lang)} {sign}"
                out.append((what, text(bar), t(f"audit.unit.{k}{'_all' if all_ else ''}", lang)))
        over = t(f"audit.over.{rule.counted_over}", lang)
        out.append((f"{matters}: {t('audit.vote.counted_over', lang)}", over, ""))
        if rule.no_objection:
            what = f"{matters}: {t('audit.vote.objections', lang)}"
            out.append((what, "0", t("audit.unit.owners", lang)))
        return out
    city = label("jur", str(getattr(rule, "city", "")), lang, str(getattr(rule, "city", "")))
    if isinstance(rule, ElevatorSubsidy):
        return [
            (f"{city}: {t(f'audit.elevator.{k}', lang)}", text(v), unit(u, lang))
            for k, u in (
                ("per_elevator", "currency-CNY"),
                ("cost_ratio", "/1"),
                ("cap", "currency-CNY"),
                ("pipes_max_per_unit", "currency-CNY"),
            )
            if (v := getattr(rule, k)) is not None
        ]
    if isinstance(rule, FloorRule):
        u = t(
            "audit.unit.coefficient" if rule.style == "coefficient" else "audit.unit.net_share",
            lang,
        )
        return [
            (f"{city}: {t('audit.floor', lang, floor=f)}", text(v), u)
            for f, v in sorted(rule.values.items())
        ]
    if isinstance(rule, BasisRule):
        basis = label("basis", rule.basis, lang, rule.basis)
        return [(rule.label or rule.id, basis, t("audit.unit.basis", lang))]
    return [(rule.label or rule.id, "", "")]
