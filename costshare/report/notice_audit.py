"""The notice's audit appendix (审计附录) in the notice's language, as rows and a PDF table.

One row per rule value the sheet rests on (:func:`costshare.report.audit.audit_frame`
worded in the notice's language): parameter, value, unit, document and article, issuer,
date and, in plain words, how far the value is checked (no "可信度 H"; an assumption
says so with its reason). A Chinese notice gets Chinese words only (no rule ids, no
"none"); the rule id is listed only on an English notice.
"""

from __future__ import annotations

from typing import Any, Literal

from costshare.households.sheet import ContributionSheet
from costshare.report._notice_layout import clean

__all__ = ["AUDIT_HEAD", "STATUS", "audit_tables", "audit_title", "notice_audit_rows"]

Lang = Literal["zh", "en"]

AUDIT_HEAD: dict[str, tuple[str, ...]] = {
    "zh": ("参数", "取值", "单位", "文件及条款", "发布机关", "日期", "核实情况"),
    "en": (
        "Parameter",
        "Value",
        "Unit",
        "Rule",
        "Document and article",
        "Issuer",
        "Date",
        "Checked",
    ),
}
"""Header of the appendix table, by language."""
STATUS: dict[str, dict[str, str]] = {
    "zh": {
        "H": "已核对原文",
        "M": "据二手资料，待核对原文",
        "S": "据政策汇编摘录，待核对原文",
        "A": "假设值，未见文件依据",
    },
    "en": {
        "H": "checked against the published text",
        "M": "from a secondary source; to be checked",
        "S": "from a policy digest; to be checked",
        "A": "assumed; no document found",
    },
}
"""The confidence marks H/M/S/A in plain words, by language."""


def audit_title(lang: Lang) -> str:
    """The appendix heading: ``审计附录`` or ``Audit appendix``.

    >>> audit_title("zh"), audit_title("en")
    ('审计附录（本公示所依据的每一项规则取值）', 'Audit appendix (every rule value this notice rests on)')
    """
    if lang == "en":
        return "Audit appendix (every rule value this notice rests on)"
    return "审计附录（本公示所依据的每一项规则取值）"


def notice_audit_rows(sheet: ContributionSheet, lang: Lang = "zh") -> list[list[str]]:
    """The appendix rows of `sheet` in `lang` (columns :data:`AUDIT_HEAD`).

    Examples
    --------
    >>> import pandas as pd
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101"], "area_m2": [50.0]})
    >>> s = contribution_sheet(r, 100, SheetSpec(), rules.load("national", "2024-06-01"))
    >>> notice_audit_rows(s)[0]
    ['按专有部分面积分摊（默认）', '按专有部分面积', '分摊方式', '中华人民共和国民法典 第二百八十三条', '全国人民代表大会', '2020-05-28', '已核对原文']
    >>> notice_audit_rows(s, "en")[0][3]
    'civil_code.art283'
    """
    from costshare.report.audit import audit_frame

    frame = audit_frame(sheet, lang=lang)
    rows = []
    for r in frame.to_dict("records"):
        article = "" if str(r["article"]).lower().startswith("none") else r["article"]
        doc = " ".join(x for x in (r["document"], article) if x)
        date = r["date"]
        if date in ("", "undated"):
            date = "未注明日期" if lang == "zh" else "undated"
        status = STATUS[lang].get(r["confidence"], "")
        if r["confidence"] == "A" and r["reason"]:
            status += ("：" if lang == "zh" else ": ") + r["reason"]
        row = [r["parameter"], r["value"], r["unit"], doc, r["issuer"], date, status]
        if lang == "en":
            row.insert(3, r["rule"])
        rows.append([clean(c) for c in row])
    return rows


def audit_tables(
    rows: list[list[str]], lang: Lang, *, width: float, font: str, size: float
) -> list[Any]:
    """The appendix as one table, every cell wrapped in full (a few rules, never cut)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = ParagraphStyle("a", fontName=font, fontSize=size, leading=size * 1.3, wordWrap="CJK")
    if not rows:
        none = "本公示未引用规则。" if lang == "zh" else "No rule is cited."
        return [Paragraph(none, style)]
    weights = (6, 4, 3, 8, 5, 4.5, 6) if lang == "zh" else (5, 3, 3, 5, 7, 5, 4.5, 6)
    widths = [width * w / sum(weights) for w in weights]
    esc = lambda c: c.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    data = [[Paragraph(esc(c), style) for c in r] for r in [list(AUDIT_HEAD[lang]), *rows]]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, size),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [t]
