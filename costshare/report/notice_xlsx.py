"""The public notice (公示) as a masked xlsx: the PDF's columns, names masked, audit sheet.

For offices that post or edit the notice in Excel/WPS. Same rows and columns as
:func:`costshare.report.notice.notice_pdf_bytes` (序号, building, stairwell, unit, floor,
area, masked owner, factor, amounts, remarks) with a totals row, and a second sheet
"审计附录" listing every rule the sheet rests on. Written by xlsxwriter in constant
memory, text cells formula-escaped, atomically.
"""

from __future__ import annotations

import io
from pathlib import Path

from costshare.households.explain import reason_text, sheet_title
from costshare.households.sheet import ContributionSheet
from costshare.report.notice import money_columns, notice_rows
from costshare.report.notice_audit import AUDIT_HEAD, notice_audit_rows
from costshare.report.safe import atomic_write_bytes, escape_cell

__all__ = ["notice_xlsx_bytes", "write_notice_xlsx"]


def notice_xlsx_bytes(sheet: ContributionSheet, *, title: str | None = None) -> bytes:
    """The masked notice as xlsx bytes (sheet "公示" and sheet "审计附录").

    Examples
    --------
    >>> import pandas as pd
    >>> from openpyxl import load_workbook
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101", "102"], "area_m2": [50.0, 150.0],
    ...                   "owner_name": ["张小三", "=李四"]})
    >>> s = contribution_sheet(r, 10000, SheetSpec(), rules.load("national", "2024-06-01"))
    >>> ws = load_workbook(io.BytesIO(notice_xlsx_bytes(s)))["公示"]
    >>> [c.value for c in ws[3]][:5], [c.value for c in ws[5]][3:5]
    (['序号', '房号', '面积(m²)', '业主', '应分摊(元)'], ["'=*四", 75])
    """
    import xlsxwriter

    table = sheet.table.assign(exempt_reason=reason_text(sheet))
    rows, money_cols = notice_rows(table)
    header, body = rows[0], rows[1:]
    money = money_columns(table)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    yuan = wb.add_format({"num_format": "#,##0.00"})
    m2 = wb.add_format({"num_format": "0.00"})
    area = next(j for j, h in enumerate(header) if h.endswith("面积(m²)"))
    ws = wb.add_worksheet("公示")
    ws.write_string(0, 0, escape_cell(title or f"{sheet_title(sheet)}公示"))
    for j, h in enumerate(header):
        ws.write_string(2, j, h, bold)
    fen = {j: table[c].to_numpy().tolist() for j, c in zip(money_cols, money, strict=True)}
    for i, r in enumerate(body):
        for j, v in enumerate(r):
            if j in fen:
                ws.write_number(3 + i, j, fen[j][i] / 100, yuan)
            elif j == area:
                ws.write_number(3 + i, j, float(v), m2)
            elif v:
                ws.write_string(3 + i, j, escape_cell(v))
    last = 3 + len(body)
    ws.write_string(last, 0, "合计", bold)
    for j in money_cols:
        ws.write_number(last, j, sum(fen[j]) / 100, yuan)
    ws.set_column(0, len(header) - 1, 12)
    audit = wb.add_worksheet("审计附录")
    for j, h in enumerate(AUDIT_HEAD["zh"]):
        audit.write_string(0, j, h, bold)
    for i, r in enumerate(notice_audit_rows(sheet, "zh")):
        for j, v in enumerate(r):
            audit.write_string(1 + i, j, escape_cell(v))
    wb.close()
    return buf.getvalue()


def write_notice_xlsx(sheet: ContributionSheet, path: str | Path, **kwargs: str) -> Path:
    """Write :func:`notice_xlsx_bytes` to `path` atomically."""
    path = Path(path)
    atomic_write_bytes(path, notice_xlsx_bytes(sheet, **kwargs))
    return path
