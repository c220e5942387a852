"""Contribution sheets to xlsx (with a parameters-and-sources sheet) and csv (UTF-8 with BOM).

Every export takes the typed :class:`~costshare.households.sheet.ContributionSheet`,
shows Chinese headers and yuan with two decimals computed from integer fen, escapes every
text cell against formula injection, never contains ID numbers (only known columns are
written), and is built as bytes or written atomically to a path (a failure leaves no
partial file).
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from costshare import i18n
from costshare.households.explain import (
    exempt_flags,
    explain_sheet,
    reason_text,
    sheet_parameters,
    sheet_title,
)
from costshare.households.sheet import ContributionSheet
from costshare.money import yuan_text
from costshare.progress import Progress, as_progress
from costshare.report._xlsx_rows import CHUNK, DANGER, ZIP64_ROWS, renumber
from costshare.report._xlsx_rows import rows_xml as _rows_xml
from costshare.report.csv import csv_bytes
from costshare.report.safe import atomic_path, atomic_write_bytes, escape_cell

__all__ = [
    "COLUMNS",
    "SOURCE_HEADERS",
    "area_header",
    "escape_text",
    "sheet_csv_bytes",
    "sheet_display",
    "sheet_frame",
    "sheet_preview",
    "sheet_sources",
    "sheet_xlsx_bytes",
    "write_sheet_csv",
    "write_sheet_xlsx",
]

# (source column, Chinese header, kind) in display order; fen columns are shown in yuan.
_COLUMN_KINDS = (
    ("building", "text"),
    ("stairwell", "text"),
    ("unit_id", "text"),
    ("floor", "int"),
    ("area_m2", "area"),
    ("owner_name", "text"),
    ("headcount", "int"),
    ("factor", "factor"),
    ("exempt", "bool"),
    ("exempt_reason", "text"),
    ("share_area_fen", "fen"),
    ("share_floor_fen", "fen"),
    ("share_headcount_fen", "fen"),
    ("share_equal_fen", "fen"),
    ("share_fen", "fen"),
    ("fund_balance_fen", "fen"),
    ("topup_fen", "fen"),
    ("fund_used_fen", "fen"),
    ("subsidy_fen", "fen"),
    ("cash_fen", "fen"),
    ("net_outlay_fen", "fen"),
    ("explanation", "text"),
)
COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (key, i18n.label("sheet", key), kind) for key, kind in _COLUMN_KINDS
)
"""Sheet columns: key, Chinese header (from the translation table), cell format."""
SOURCE_HEADERS = {
    "rule": "规则编号",
    "kind": "类型",
    "applies_to": "适用",
    "value": "取值",
    "document": "文件",
    "issuer": "发布机关",
    "article": "条款",
    "date": "日期",
    "seed": "种子文件",
    "confidence": "可信度",
}
"""The sources sheet's Chinese headers, by key (the app renames them for English)."""


_AREA_WORDS = ("专有部分面积", "套内建筑面积", "套内面积", "建筑面积", "房屋面积", "面积")


def area_header(frame: pd.DataFrame) -> str:
    """The area column's header: the roster's own word (建筑面积 stays 建筑面积), in m².

    The roster reader records the header it took the area from (``attrs["area_header"]``);
    a Chinese area word is kept as the source wrote it, anything else is shown as
    专有部分面积 (the Civil Code's basis).

    Examples
    --------
    >>> f = pd.DataFrame({"area_m2": [1.0]})
    >>> area_header(f)
    '专有部分面积(m²)'
    >>> f.attrs["area_header"] = "建筑面积"
    >>> area_header(f)
    '建筑面积(m²)'
    """
    word = str(frame.attrs.get("area_header", "")).strip()
    return f"{word if word in _AREA_WORDS else _AREA_WORDS[0]}(m²)"


def escape_text(col: pd.Series) -> pd.Series:
    """Vectorized :func:`~costshare.report.safe.escape_cell` for a text column.

    Examples
    --------
    >>> escape_text(pd.Series(["=1+1", "张三", "-2", "@x"])).tolist()
    ["'=1+1", '张三', "'-2", "'@x"]
    """
    s = col.astype("str").fillna("")
    return s.where(~s.str.match(DANGER), "'" + s)


def _present(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    return [c for c in COLUMNS if c[0] in frame.columns]


def sheet_frame(sheet: ContributionSheet, *, explain: bool = True) -> pd.DataFrame:
    """The sheet's table with the exemption reasons (and explanations) in words.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101", "102"], "area_m2": [50.0, 50.0]})
    >>> s = contribution_sheet(r, 100, SheetSpec(exempt=("101",)), rules.load("national"))
    >>> sheet_frame(s)[["exempt_reason", "share_fen"]].values.tolist()
    [['名单豁免', 0], ['', 100]]
    """
    out = sheet.table.assign(exempt_reason=reason_text(sheet), exempt=exempt_flags(sheet))
    if explain:
        out["explanation"] = explain_sheet(sheet)
    return out


def sheet_display(frame: pd.DataFrame | ContributionSheet, *, yuan: str = "text") -> pd.DataFrame:
    """The sheet as shown to people: Chinese headers, yuan, escaped text, no ID numbers.

    Parameters
    ----------
    frame : ContributionSheet or DataFrame
        A sheet (its :func:`sheet_frame`, explanations included) or such a frame.
    yuan : {"text", "float", "decimal"}
        Yuan as exact ``"1234.50"`` strings, floats (for spreadsheets) or Decimals.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101"], "area_m2": [50.0], "owner_name": ["=cmd"]})
    >>> s = contribution_sheet(r, 1050, SheetSpec(), rules.load("national"))
    >>> sheet_display(sheet_frame(s, explain=False)).iloc[0].to_dict()
    {'房号': '101', '专有部分面积(m²)': '50.00', '业主姓名': "'=cmd", '是否免缴': '否', '免缴原因': '', '应分摊金额(元)': '10.50'}
    """
    if isinstance(frame, ContributionSheet):
        frame = sheet_frame(frame)
    out: dict[str, Any] = {}
    for col, head, kind in _present(frame):
        s = frame[col]
        head = area_header(frame) if col == "area_m2" else head
        if kind == "text":
            out[head] = escape_text(s)
        elif kind == "fen":
            fen = s.to_numpy(dtype=np.int64)
            if yuan == "text":
                out[head] = yuan_text(fen, thousands=False)
            elif yuan == "decimal":
                out[head] = [Decimal(int(v)).scaleb(-2) for v in fen.tolist()]
            else:
                out[head] = fen / 100
        elif kind == "area":
            out[head] = [f"{v:.2f}" for v in s.tolist()] if yuan == "text" else s.to_numpy()
        elif kind == "bool":
            out[head] = np.where(s.to_numpy(dtype=bool), "是", "否")
        elif kind == "factor":
            out[head] = [f"{v:g}" for v in s.tolist()] if yuan == "text" else s.to_numpy()
        else:
            out[head] = s
    return pd.DataFrame(out)


def sheet_preview(sheet: ContributionSheet, *, show_names: bool = False) -> pd.DataFrame:
    """:func:`sheet_display` for a screen: owner names masked (张*三) unless `show_names`.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101"], "area_m2": [50.0], "owner_name": ["张小三"]})
    >>> s = contribution_sheet(r, 100, SheetSpec(), rules.load("national"))
    >>> sheet_preview(s)["业主姓名"].tolist(), sheet_preview(s, show_names=True)["业主姓名"].tolist()
    (['张*三'], ['张小三'])
    """
    from costshare.text import mask_name

    frame = sheet_frame(sheet)
    if "owner_name" in frame and not show_names:
        frame["owner_name"] = frame["owner_name"].map(mask_name).astype("str")
    return sheet_display(frame)


def sheet_sources(sheet: ContributionSheet) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """Parameters ``(name, value)`` and the sources of every rule used, Chinese headers."""
    rows = [r.model_dump() for r in sheet.sources]
    src = pd.DataFrame(rows, columns=list(SOURCE_HEADERS))
    src = src.rename(columns=SOURCE_HEADERS).fillna("").astype(str)
    return sheet_parameters(sheet), src


def sheet_csv_bytes(sheet: ContributionSheet) -> bytes:
    """The sheet as CSV bytes in UTF-8 with BOM (Excel opens the Chinese correctly).

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101", "102"], "area_m2": [50.0, 50.0]})
    >>> s = contribution_sheet(r, 100, SheetSpec(), rules.load("national"))
    >>> sheet_csv_bytes(s)[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    return csv_bytes(sheet_display(sheet_frame(sheet), yuan="decimal"))


def write_sheet_csv(sheet: ContributionSheet, path: str | Path) -> Path:
    """Write :func:`sheet_csv_bytes` to `path` atomically."""
    path = Path(path)
    atomic_write_bytes(path, sheet_csv_bytes(sheet))
    return path


def sheet_xlsx_bytes(
    sheet: ContributionSheet, *, title: str | None = None, explain: bool = True
) -> bytes:
    """The sheet as xlsx bytes (see :func:`write_sheet_xlsx`)."""
    buf = io.BytesIO()
    _write_xlsx(sheet, buf, title, explain, None)
    return buf.getvalue()


def write_sheet_xlsx(
    sheet: ContributionSheet,
    path: str | Path,
    *,
    title: str | None = None,
    explain: bool = True,
    progress: Progress | None = None,
) -> Path:
    """Write the sheet to xlsx: frozen header, yuan ``#,##0.00``, totals row, sources sheet.

    xlsxwriter builds the workbook (styles, header, totals, parameters-and-sources
    sheet); the household rows are then streamed into the first worksheet in chunks of
    :data:`CHUNK` rows, each chunk built with vectorized string operations, so time is a
    fraction of a per-cell writer's and memory stays flat however long the roster.

    Parameters
    ----------
    sheet : ContributionSheet
        From :func:`costshare.households.sheet.contribution_sheet`.
    path : str or Path
        Target ``.xlsx``; written to a temporary file beside it, then renamed.
    title : str, optional
        Title shown on the parameters sheet (default :func:`sheet_title`).
    explain : bool, default True
        Add the 计算说明 column (leave it out for speed on huge rosters).
    progress : Progress, optional
        Told ``xlsx.rows`` per chunk; a :class:`~costshare.progress.Cancelled` leaves no file.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101", "102"], "area_m2": [50.0, 150.0]})
    >>> s = contribution_sheet(r, 10000, SheetSpec(), rules.load("national"))
    >>> p = write_sheet_xlsx(s, Path(tempfile.mkdtemp()) / "s.xlsx")
    >>> wb = openpyxl.load_workbook(p)
    >>> wb.sheetnames, wb.active["E3"].value, wb.active["A4"].value, wb.active["E4"].value
    (['分户出资表', '参数与来源', 'audit'], 75.0, '合计', 100)
    """
    path = Path(path)
    with atomic_path(path) as tmp, tmp.open("wb") as fh:
        _write_xlsx(sheet, fh, title, explain, progress)
    return path


def _write_xlsx(
    sheet: ContributionSheet, target: IO[bytes], title: str | None, explain: bool, progress: Any
) -> None:
    import xlsxwriter

    frame = sheet_frame(sheet, explain=explain)
    cols = _present(frame)
    n = len(frame)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    fmts = {
        "fen": wb.add_format({"num_format": "#,##0.00"}),
        "area": wb.add_format({"num_format": "0.00"}),
    }
    bold = wb.add_format({"bold": True, "top": 1})
    bold_money = wb.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"})
    ws = wb.add_worksheet("分户出资表")
    ws.freeze_panes(1, 0)
    for j, (col, label, kind) in enumerate(cols):
        ws.write_string(0, j, area_header(frame) if col == "area_m2" else label, head)
        width = {"text": 10, "fen": 14, "area": 12, "int": 6, "factor": 10, "bool": 8}[kind]
        ws.set_column(j, j, 80 if col == "explanation" else width)
        ws.write_number(1, j, 0, fmts.get(kind))  # template row: registers the formats
        if kind == "fen":
            ws.write_number(2, j, int(frame[col].sum()) / 100, bold_money)
        elif col == "area_m2":
            ws.write_number(2, j, round(float(frame[col].sum()), 2), bold)
        else:
            ws.write_string(2, j, "合计" if j == 0 else "", bold)
    _write_sources(wb, sheet, title or sheet_title(sheet), head)
    from costshare.report.audit import audit_frame, write_audit_sheet

    write_audit_sheet(wb, audit_frame(sheet))
    wb.close()
    styles = {k: f.xf_index for k, f in fmts.items()}
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            text = data.decode("utf-8")
            i_hdr = text.index("</row>") + len("</row>")
            i_tpl = text.index("</row>", i_hdr) + len("</row>")
            i_end = text.index("</sheetData>")
            total_row = renumber(text[i_tpl:i_end], 3, n + 2)
            prefix = re.sub(
                r'<dimension ref="[^"]*"/>',
                f'<dimension ref="A1:{get_column_letter(len(cols))}{n + 2}"/>',
                text[:i_hdr],
            )
            zinfo = zipfile.ZipInfo(info.filename, info.date_time)
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            with out.open(zinfo, "w", force_zip64=n > ZIP64_ROWS) as fh:
                fh.write(prefix.encode("utf-8"))
                for lo in range(0, n, CHUNK):
                    as_progress(progress).step(lo, n, "xlsx.rows")
                    part = frame.iloc[lo : lo + CHUNK]
                    fh.write(_rows_xml(part, cols, lo + 2, styles).encode("utf-8"))
                as_progress(progress).step(n, n, "xlsx.rows")
                fh.write((total_row + text[i_end:]).encode("utf-8"))


def _write_sources(wb: Any, sheet: ContributionSheet, title: str | None, head: Any) -> None:
    params, src = sheet_sources(sheet)
    ws = wb.add_worksheet("参数与来源")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 9, 24)
    r = 0
    if title:
        ws.write_string(r, 0, escape_cell(str(title)), head)
        r += 2
    ws.write_string(r, 0, "参数", head)
    ws.write_string(r, 1, "取值", head)
    r += 1
    for name, value in params:
        ws.write_string(r, 0, escape_cell(name))
        ws.write_string(r, 1, escape_cell(value))
        r += 1
    r += 1
    ws.write_string(r, 0, "所用规则及来源", head)
    r += 1
    for j, c in enumerate(src.columns):
        ws.write_string(r, j, c, head)
    for row in src.itertuples(index=False):
        r += 1
        for j, v in enumerate(row):
            ws.write_string(r, j, escape_cell(str(v)))
