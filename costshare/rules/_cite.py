"""A rule's citation as one line of text, in Chinese or English.

The one place a rule's source becomes a sentence (help tooltips, page captions, notices):
document and article, issuer, the document's date (or when it was published, or
"undated") and the confidence mark. Words come from the one translation table.
"""

from __future__ import annotations

from costshare import i18n
from costshare.rules._dated import Rule, Source


def _date_text(source: Source, lang: i18n.Lang) -> str:
    if source.date is not None:
        return source.date.isoformat()
    if source.published:
        return i18n.t("cite.published", lang, when=source.published)
    return i18n.t("cite.undated", lang)


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
    parts = [s.issuer, _date_text(s, lang), i18n.t("cite.confidence", lang, mark=rule.confidence)]
    if rule.confidence == "A" and rule.reason:
        reason = i18n.label("rule_reason", rule.id, lang, default=rule.reason)  # zh if known
        parts.append(i18n.t("cite.assumed", lang, reason=reason))
    # "none" marks a source without an article (a rule no document states)
    article = "" if s.article.lower().startswith("none") else s.article
    head = " ".join(p for p in (s.document, article) if p)
    if lang == "zh":
        return f"{head}（{'，'.join(parts)}）"
    return f"{head} ({', '.join(parts)})"
