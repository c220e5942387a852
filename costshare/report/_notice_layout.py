"""Page-sized tables for the PDF notice: fixed widths and heights, cells cut to fit.

A single reportlab ``Table`` of every household is re-measured at each page split, so
time grows with the square of the households. Here the rows go into tables of
:data:`ROWS_PER_TABLE` rows with fixed column widths and row heights, each cell cut to
its column with an ellipsis: reportlab never measures a cell, and time is linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["ROWS_PER_TABLE", "clean", "col_widths", "fit", "line_tables", "row_tables", "wrap"]

ROWS_PER_TABLE = 50
"""Rows per table: at most a page, so a split never re-measures many rows."""
ROW_HEIGHT = 12.0
_CTRL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_WEIGHT = {
    "序号": 3.2,
    "楼栋": 4,
    "单元": 3.2,
    "房号": 4.5,
    "楼层": 3,
    "面积(m²)": 5,
    "业主": 5.5,
    "系数/比例": 4.5,
    "备注": 9,
}


def clean(text: object) -> str:
    """`text` as one line: control characters and line breaks become a space.

    Examples
    --------
    >>> clean("a\\nb\\x00c")
    'a b c'
    """
    return _CTRL.sub(" ", str(text)).strip()


def col_widths(header: Sequence[str], total: float) -> list[float]:
    """Column widths (points) summing to `total`, by a fixed weight per column."""
    w = [_WEIGHT.get(h, 7.0) for h in header]
    s = sum(w)
    return [total * x / s for x in w]


def _char_width(ch: str, size: float) -> float:
    return size * (0.6 if ord(ch) < 0x2E80 else 1.0)


def fit(text: str, width: float, font: str, size: float) -> str:
    """`text` cut with an ellipsis so that it fits `width` points in `font` at `size`.

    Short text (that fits even if every character were wide) is returned untouched
    without measuring; only longer text is measured.

    Examples
    --------
    >>> fit("abc", 100, "Helvetica", 8)
    'abc'
    >>> fit("x" * 200, 30, "Helvetica", 8).endswith("…")
    True
    """
    room = width - 4
    if len(text) * size <= room:
        return text
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= room:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` broken into lines of at most `width` points (estimated per character)."""
    lines, cur, w = [], [], 0.0
    for ch in clean(text):
        cw = _char_width(ch, size)
        if cur and w + cw > width:
            lines.append("".join(cur))
            cur, w = [], 0.0
        cur.append(ch)
        w += cw
    if cur or not lines:
        lines.append("".join(cur))
    return lines


def _chunks(n: int, k: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, k):
        yield start, min(n, start + k)


def row_tables(
    header: list[str],
    rows: list[list[str]],
    footer: list[str] | None,
    *,
    width: float,
    font: str,
    size: float,
    right: Sequence[int] = (),
) -> list[Any]:
    """The household rows as tables of :data:`ROWS_PER_TABLE` rows, each with the header."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    widths = col_widths(header, width)
    cut = [[fit(c, w, font, size) for c, w in zip(r, widths, strict=True)] for r in rows]
    head = [fit(h, w, font, size) for h, w in zip(header, widths, strict=True)]
    style = [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        *[("ALIGN", (j, 1), (j, -1), "RIGHT") for j in right],
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    out = []
    parts = list(_chunks(len(cut), ROWS_PER_TABLE)) or [(0, 0)]
    for k, (a, b) in enumerate(parts):
        data = [head, *cut[a:b]]
        st = list(style)
        if footer is not None and k == len(parts) - 1:
            data.append([fit(c, w, font, size) for c, w in zip(footer, widths, strict=True)])
            st.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2F2")))
        t = Table(data, colWidths=widths, rowHeights=ROW_HEIGHT, repeatRows=1, hAlign="CENTER")
        t.setStyle(TableStyle(st))
        out.append(t)
    return out


def line_tables(lines: list[str], *, width: float, font: str, size: float) -> list[Any]:
    """Text lines (already wrapped to `width`) as borderless page-sized tables."""
    from reportlab.platypus import Table, TableStyle

    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, size),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
    )
    out = []
    for a, b in _chunks(len(lines), ROWS_PER_TABLE):
        t = Table([[x] for x in lines[a:b]], colWidths=[width], rowHeights=size * 1.3)
        t.setStyle(style)
        out.append(t)
    return out
