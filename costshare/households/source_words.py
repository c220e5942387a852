"""A rule's source in plain words for posted documents (no confidence marks, no "none").

The words of :func:`costshare.rules.cite` without the "可信度 H" mark: the mark is written
out (an assumption says it is one), and a rule no document states says so.
"""

from __future__ import annotations

from costshare.households.sheet import SourceRow

__all__ = ["citation", "cited"]

_STATUS = {
    "H": "",
    "M": "据二手资料，待核对原文",
    "S": "据政策汇编摘录，待核对原文",
    "A": "假设值，未见文件依据，使用前请核对当地现行规定",
}


_STATUS_EN = {
    "H": "",
    "M": "from a secondary source; to be checked",
    "S": "from a policy digest; to be checked",
    "A": "assumed, no document found; check the local rule before use",
}


def cited(src: SourceRow) -> bool:
    """True when `src` names a document (not a rule no document states).

    Examples
    --------
    >>> cited(SourceRow(rule="x", kind="", applies_to="", value="", document="无文件依据",
    ...                 issuer="", article="none", date="", seed="", confidence="A"))
    False
    """
    doc = (src.document or "").strip()
    return bool(doc) and doc != "无文件依据" and src.confidence != "A"


def citation(src: SourceRow, *, short: bool = False, lang: str = "zh") -> str:
    """`src` in words: document article（issuer，date）, as ``rules.cite`` words it.

    The confidence mark is written out in plain words (no "可信度 H"); a rule no
    document states says so instead of "无文件依据 none". Document titles and issuers
    stay as published; `lang` sets the connecting words.

    Examples
    --------
    >>> row = SourceRow(rule="civil_code.art283", kind="BasisRule", applies_to="", value="",
    ...                 document="中华人民共和国民法典", issuer="全国人民代表大会",
    ...                 article="第二百八十三条", date="2020-05-28", seed="", confidence="H")
    >>> citation(row), citation(row, short=True)
    ('中华人民共和国民法典 第二百八十三条（全国人民代表大会，2020-05-28）', '中华人民共和国民法典 第二百八十三条')
    >>> citation(row, lang="en")
    '中华人民共和国民法典 第二百八十三条 (全国人民代表大会, 2020-05-28)'
    """
    en = lang == "en"
    words = _STATUS_EN if en else _STATUS
    sep, left, right = (", ", " (", ")") if en else ("，", "（", "）")
    article = "" if (src.article or "").lower().startswith("none") else src.article
    status = words.get(src.confidence, "")
    if not cited(src):
        who = src.issuer or ""
        return sep.join(x for x in (src.applies_to or "本规则", who, words["A"]) if x)
    head = " ".join(x for x in (src.document, article) if x)
    if short:
        return head
    date = "" if src.date in ("", "undated") else src.date
    parts = [x for x in (src.issuer, date or ("undated" if en else "未注明日期"), status) if x]
    return f"{head}{left}{sep.join(parts)}{right}"
