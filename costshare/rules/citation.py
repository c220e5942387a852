"""A rule's citation as one line of text, in Chinese or English.

The one place a rule's source becomes a sentence (help tooltips, page captions, notices):
document and article, issuer, the document's date (or when it was published, or
"undated") and the confidence mark. Words come from the one translation table.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from costshare import i18n
from costshare.money import format_percent
from costshare.rules.dated import Rule, Source


def date_text(source: Source, lang: i18n.Lang) -> str:
    if source.date is not None:
        return source.date.isoformat()
    if source.published:
        return i18n.t("cite.published", lang, when=source.published)
    return i18n.t("cite.undated", lang)


def reason(rule: Rule, lang: i18n.Lang = "zh") -> str:
    """Why `rule` is assumed, in `lang` (``reason_en`` in English when given), or "".

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("guangzhou", on="2024-01-01")
    >>> rule = next(r for r in rs.all_rules() if r.confidence == "A")
    >>> reason(rule, "en").startswith("The coefficients")
    True
    """
    if lang == "en" and rule.reason_en:
        return rule.reason_en
    return rule.reason or ""


def cite(rule: Rule, lang: i18n.Lang = "zh") -> str:
    """`rule`'s source as one line: document article (issuer, date, confidence).

    Parameters
    ----------
    rule : Rule
        A rule of a resolved :class:`~costshare.rules.RuleSet` (its source is the one that
        applies on the set's date).
    lang : {"zh", "en"}
        Language of the connecting words; document titles stay as published.

    Returns
    -------
    str
        ``"{document} {article}（{issuer}，{date}，可信度 {H|M|S|A}）"`` in Chinese, or the
        English equivalent. An assumption (A) adds its reason.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("national", on="2024-01-01")
    >>> cite(rs.basis_rule("area"))
    '中华人民共和国民法典 第二百八十三条（全国人民代表大会，2020-05-28，可信度 H）'
    >>> cite(rs.basis_rule("area"), "en")
    '中华人民共和国民法典 第二百八十三条 (全国人民代表大会, 2020-05-28, confidence H)'
    """
    s = rule.source
    parts = [s.issuer, date_text(s, lang), i18n.t("cite.confidence", lang, mark=rule.confidence)]
    if rule.confidence == "A" and rule.reason:
        parts.append(i18n.t("cite.assumed", lang, reason=reason(rule, lang)))
    # "none" marks a source without an article (a rule no document states)
    article = "" if s.article.lower().startswith("none") else s.article
    head = " ".join(p for p in (s.document, article) if p)
    if lang == "zh":
        return f"{head}（{'，'.join(parts)}）"
    return f"{head} ({', '.join(parts)})"


def _num(v: object) -> str:
    """A number as written: exact decimals without trailing zeros, thousands separated."""
    d = Decimal(str(v))
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"


def _pct(v: object) -> str:
    """A share as a percentage (``0.65`` → ``65%``; ``2/3`` stays a fraction)."""
    return format_percent(v)


def value_text(rule: Rule, payers: Mapping[str, str], lang: i18n.Lang = "zh") -> str:
    """`rule`'s value as one line for a reader, in Chinese or English (no internal keys).

    `payers` are the rule set's payer names (key → Chinese name), shown in Chinese, or
    through the translation table in English.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("fujian", on="2024-01-01")
    >>> rule = next(r for r in rs.all_rules() if r.id == "fj.telecom_cabling")
    >>> value_text(rule, rs.payers), value_text(rule, rs.payers, "en")
    ('通信及广电企业 65%，地方财政 35%', 'Telecom and cable-TV operators 65%, Local finance 35%')
    >>> value_text(rs.vote_rule("commercial_use"), rs.payers)
    '参与表决面积 ≥ 2/3；参与表决人数 ≥ 2/3；同意面积 ≥ 3/4；同意人数 ≥ 3/4'
    """
    from costshare.rules.schema import (
        BasisRule,
        ElevatorSubsidy,
        FloorRule,
        Parameter,
        UtilitySplit,
        VoteRule,
    )

    sep = "，" if lang == "zh" else ", "
    word = lambda key, **kw: i18n.t(f"ruleval.{key}", lang, **kw)  # noqa: E731
    if isinstance(rule, UtilitySplit):
        return sep.join(
            f"{i18n.label('payer', p, lang, default=payers.get(p, p)) if lang == 'en' else payers.get(p, p)} "
            f"{_pct(s)}"
            for p, s in rule.shares.items()
        )
    if isinstance(rule, Parameter):
        unit = {"/1": None, "currency-CNY": "yuan", "currency-CNY/m2": "yuan_m2", "year": "year"}
        key = unit[rule.unit]
        text = _pct(rule.value) if key is None else word(key, v=_num(rule.value))
        return text + (word("assumed") if rule.assumed or rule.confidence == "A" else "")
    if isinstance(rule, VoteRule):
        parts = [
            f"{word(k)} {'>' if rule.strict and k.startswith('approve') else '≥'} {v}"
            for k in ("quorum_area", "quorum_owners", "approve_area", "approve_owners")
            if (v := getattr(rule, k)) is not None
        ]
        return ("；" if lang == "zh" else "; ").join(parts)
    if isinstance(rule, ElevatorSubsidy):
        parts = []
        if rule.per_elevator is not None:
            parts.append(word("per_elevator", v=_num(rule.per_elevator)))
        if rule.cost_ratio is not None:
            parts.append(word("cost_ratio", v=_pct(rule.cost_ratio)))
        if rule.cap is not None:
            parts.append(word("cap", v=_num(rule.cap)))
        if rule.pipes_max_per_unit is not None:
            parts.append(word("pipes_max", v=_num(rule.pipes_max_per_unit)))
        return sep.join(parts)
    if isinstance(rule, FloorRule):
        fmt = _num if rule.style == "coefficient" else _pct
        floors = sep.join(word("floor", f=f, v=fmt(v)) for f, v in sorted(rule.values.items()))
        return f"{word(rule.style)}{'：' if lang == 'zh' else ': '}{floors}"
    if isinstance(rule, BasisRule):
        return i18n.label("basis", rule.basis, lang)
    return ""
