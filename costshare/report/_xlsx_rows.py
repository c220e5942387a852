"""The household rows of a sheet's xlsx as worksheet XML, built column by column.

:func:`costshare.report.sheet.write_sheet_xlsx` lets xlsxwriter build the workbook and
streams these rows into its first worksheet in chunks, so time is a fraction of a
per-cell writer's and memory stays flat however long the roster.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from costshare.money import yuan_text

__all__ = ["CHUNK", "DANGER", "ZIP64_ROWS", "renumber", "rows_xml"]

DANGER = re.compile(r"^[=+\-@\t\r]")
"""Text a spreadsheet would run as a formula (escaped with a leading ``'``)."""
ZIP64_ROWS = 1_000_000
CHUNK = 20_000
"""Rows built and written at a time by :func:`write_sheet_xlsx`."""
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def renumber(row_xml: str, old: int, new: int) -> str:
    row_xml = row_xml.replace(f'<row r="{old}"', f'<row r="{new}"')
    return re.sub(rf'(<c r="[A-Z]+){old}"', rf'\g<1>{new}"', row_xml)


_AT = "\x00"  # where a cell's row number goes; never in escaped text (_XML_BAD drops it)


def _text_cell(ref: str, value: str) -> str:
    """An inline-string cell for `value`: formula-escaped, XML-escaped; "" when empty."""
    if DANGER.match(value):
        value = "'" + value
    if not value:
        return ""
    value = _XML_BAD.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'{ref}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _column_cells(s: pd.Series, kind: str, ref: str, style: str) -> list[str]:
    """The ``<c>`` element of every cell of one column (row number left as :data:`_AT`)."""
    if kind == "text":
        # each distinct text is escaped once (names, buildings and reasons repeat)
        if not isinstance(s.dtype, pd.StringDtype):
            s = s.astype("str")
        codes, uniques = pd.factorize(s)
        cells = [_text_cell(ref, u) for u in uniques.tolist()]
        cells.append("")  # missing (code -1): no cell
        return np.asarray(cells, dtype=object)[codes].tolist()
    if kind == "bool":
        yes, no = _text_cell(ref, "是"), _text_cell(ref, "否")
        return [yes if v else no for v in s.to_numpy(dtype=bool).tolist()]
    head = f'{ref}"{style}><v>'
    if kind == "fen":
        return [
            f"{head}{v}</v></c>" for v in yuan_text(s.to_numpy(dtype=np.int64), thousands=False)
        ]
    if kind == "int":
        na = s.isna().to_numpy().tolist()
        return ["" if n else f"{head}{int(v)}</v></c>" for v, n in zip(s.tolist(), na, strict=True)]
    return [f"{head}{float(v)!r}</v></c>" for v in s.tolist()]


def rows_xml(
    part: pd.DataFrame, cols: list[tuple[str, str, str]], first_row: int, styles: dict[str, int]
) -> str:
    """``<row>`` elements for `part`: each column's cells built in one pass, then joined."""
    columns = []
    for j, (col, _, kind) in enumerate(cols):
        ref = f'<c r="{get_column_letter(j + 1)}{_AT}'
        style = f' s="{styles[kind]}"' if kind in styles and styles[kind] is not None else ""
        columns.append(_column_cells(part[col], kind, ref, style))
    rows = map("".join, zip(*columns, strict=True)) if columns else ([""] * len(part))
    out = []
    for r, cells in enumerate(rows, start=first_row):
        rn = str(r)
        out.append(f'<row r="{rn}">{cells.replace(_AT, rn)}</row>')
    return "".join(out)
