"""The notice's fixed words (Chinese and English), its document id and its PDF date.

Same inputs, same bytes: the document id is a hash of the notice's content and the
PDF's creation date is the notice's date at 00:00 Asia/Shanghai, never the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from costshare.households.sheet import ContributionSheet

__all__ = ["WORDS", "day_text", "document_id", "pdf_stamp"]

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "what": "分摊事项（所付费用）",
        "issuer": "发布单位",
        "basis": "分摊方式",
        "rests": "依据",
        "total": "分摊总额：{total}；共 {n} 户，其中免缴 {ex} 户。金额单位：元。",
        "params": "计算参数：",
        "posting": "公示期：自 {a} 至 {b}。",
        "object": "如有异议，请于 {until} 前向 {to} 书面提出。",
        "appendix": "附：分户计算说明（“≈”行：按该行算式取整到分，尾差按最大余数法分配，合计等于分摊总额）",
        "date": "日期",
        "page": "第 {page} 页",
        "docid": "文件编号",
        "blank": "______ 年 ___ 月 ___ 日",
        "to": "社区居委会",
        "sum": "合计",
        "sub": "小计",
        "section": "{label}：{n} 户，应分摊 {amount}",
    },
    "en": {
        "what": "What is paid for",
        "issuer": "Issued by",
        "basis": "How it is shared",
        "rests": "Rule and document",
        "total": "Total: {total}; {n} households, {ex} exempt. Amounts in yuan.",
        "params": "Parameters:",
        "posting": "Posted from {a} to {b}.",
        "object": "Objections in writing to {to} by {until}.",
        "appendix": "Appendix: how each amount is reached ('≈': rounded to the fen, the "
        "remainders by largest remainder, the total unchanged)",
        "date": "Date",
        "page": "page {page}",
        "docid": "Document",
        "blank": "__________",
        "to": "the residents' committee",
        "sum": "Total",
        "sub": "Subtotal",
        "section": "{label}: {n} households, {amount}",
        "col.序号": "No.",
        "col.楼栋": "Bldg",
        "col.单元": "Stair",
        "col.房号": "Unit",
        "col.楼层": "Floor",
        "col.面积(m²)": "Area (m²)",
        "col.业主": "Owner",
        "col.系数/比例": "Factor",
        "col.应分摊(元)": "Share (yuan)",
        "col.现金缴纳(元)": "Cash (yuan)",
        "col.备注": "Remarks",
    },
}


def document_id(sheet: ContributionSheet, *fields: object) -> str:
    """A document id derived from the notice's content: same inputs, same id.

    Examples
    --------
    >>> import pandas as pd
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101"], "area_m2": [50.0]})
    >>> s = contribution_sheet(r, 100, SheetSpec(), rules.load("national", "2024-06-01"))
    >>> document_id(s, "2024-06-01") == document_id(s, "2024-06-01"), len(document_id(s))
    (True, 15)
    """
    h = hashlib.sha256()
    t = sheet.table
    for col in ("building", "stairwell", "unit_id", "area_m2", "share_fen", "exempt"):
        if col in t:
            h.update(col.encode())
            h.update("\x1f".join(map(str, t[col].tolist())).encode())
    h.update(
        repr((sheet.meta.total_fen, [(p.basis, str(p.weight)) for p in sheet.meta.parts])).encode()
    )
    h.update("\x1f".join(map(str, fields)).encode())
    return "GS-" + h.hexdigest()[:12].upper()


def day_text(value: dt.date | str | None, blank: str) -> str:
    """A date as ``YYYY-MM-DD``, `blank` when not given.

    >>> day_text(dt.date(2024, 6, 1), "__"), day_text(None, "__")
    ('2024-06-01', '__')
    """
    if value is None or value == "":
        return blank
    return value if isinstance(value, str) else value.isoformat()


def pdf_stamp(day: str) -> Any:
    """The PDF's creation date: the notice's date at 00:00 Asia/Shanghai (no clock time)."""
    from reportlab.pdfbase.pdfdoc import TimeStamp

    ts = TimeStamp(invariant=True)
    try:
        d = dt.date.fromisoformat(day[:10])
    except ValueError:
        return ts
    ts.YMDhms = (d.year, d.month, d.day, 0, 0, 0)
    ts.dhh, ts.dmm, ts.tzname = 8, 0, "Asia/Shanghai"
    return ts
