"""Page-sized tables for the PDF notice: fixed widths and heights, cells cut to fit.

A single reportlab ``Table`` of every household is re-measured at each page split, so
time grows with the square of the households. Here the rows are drawn straight onto
the canvas with fixed column widths and row heights, each cell cut to its column with
an ellipsis; a page split is a pair of row indices: time and memory are linear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["clean", "col_widths", "fit", "line_tables", "row_tables", "wrap"]

ROW_HEIGHT = 12.0
_CTRL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_WEIGHT = {
    "序号": 3.2,
    "楼栋": 4,
    "单元": 3.2,
    "房号": 4.5,
    "楼层": 3,
    "面积(m²)": 5,
    "建筑面积(m²)": 6,
    "套内面积(m²)": 6,
    "房屋面积(m²)": 6,
    "套内建筑面积(m²)": 7,
    "业主": 5.5,
    "系数/比例": 4.5,
    "备注": 12,
    "No.": 3.2,
    "Bldg": 4,
    "Stair": 3.2,
    "Unit": 4.5,
    "Floor": 3,
    "Area (m²)": 5,
    "Owner": 5.5,
    "Factor": 4.5,
    "Remarks": 12,
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
    """`text` broken into lines of at most `width` points (estimated per character).

    Examples
    --------
    >>> wrap("一二三四五", 25, 10)
    ['一二', '三四', '五']
    >>> wrap("floor area 242.42 m2", 60, 10)
    ['floor area', '242.42 m2']
    """
    text = clean(text)
    if len(text) * size <= width:
        return [text]
    narrow, wide = size * 0.6, float(size)
    lines, start, w, space = [], 0, 0.0, -1
    widths = [narrow if ch < "\u2e80" else wide for ch in text]
    for i, cw in enumerate(widths):
        if text[i] == " ":
            space = i
        if w + cw > width and i > start:
            if text[i] == " ":  # break at this space, dropping it
                lines.append(text[start:i])
                start, space, w = i + 1, -1, 0.0
                continue
            # break after the last space of the line when it has one (English words whole)
            cut = space + 1 if start < space < i else i
            lines.append(text[start:cut].rstrip())
            start, space = cut, -1
            w = sum(widths[start:i])
        w += cw
    lines.append(text[start:])
    return lines


_TOKEN = re.compile(r"[0-9.,]+|\s+|[^0-9.,\s]+")


def _writer(t: Any) -> tuple[Any, Any]:
    """``textOut`` and ``textLine`` for text object `t`, fast for an embedded TrueType font.

    reportlab maps every character to its font subset one at a time, for every string.
    Here each token (a run of digits, of spaces, of other characters) is mapped once per
    document and the PDF operators are assembled from the cached pieces, exactly as
    reportlab writes them. Other fonts use reportlab's own methods.
    """
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfmetrics import getFont

    font = getFont(t._fontname)
    if not getattr(font, "_dynamicFont", False) or getattr(font, "shapable", False):
        return t.textOut, t.textLine
    canv = t._canvas
    doc = canv._doc
    cache: dict[str, list[tuple[int, bytes]]] = canv.__dict__.setdefault("_costshare_split", {})
    tail = f"{fp_str(t._fontsize)} Tf {fp_str(t._leading)} TL"
    escape = canv._escape

    def code(text: str) -> str:
        parts: list[tuple[int, bytes]] = []
        for tok in _TOKEN.findall(text):
            got = cache.get(tok)
            if got is None:
                got = cache[tok] = font.splitString(tok, doc)
            for subset, b in got:
                if parts and parts[-1][0] == subset:
                    parts[-1] = (subset, parts[-1][1] + b)
                else:
                    parts.append((subset, b))
        ops = []
        for subset, b in parts:
            if subset != t._curSubset:
                ops.append(f"{font.getSubsetInternalName(subset, doc)} {tail}")
                t._curSubset = subset
            ops.append(f"({escape(b)}) Tj")
        return " ".join(ops)

    def out(text: str) -> None:
        t._code.append(code(text))

    def line(text: str) -> None:
        t._code.append(f"{code(text)} T*")
        t._y -= t._leading

    return out, line


def _grid_rows() -> type:
    """The flowable class of page tables (made on first use: reportlab is imported late)."""
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    class GridRows(Flowable):  # type: ignore[misc]
        """Rows ``a:b`` of `rows`, fixed height, under a header, drawn onto the canvas.

        No per-cell objects: one text object and one grid per page. A split is two
        index pairs on the same list, so it costs nothing however long the list.
        """

        def __init__(
            self,
            head: list[str],
            rows: list[list[str]],
            a: int,
            b: int,
            footer: list[str] | None,
            opts: tuple[Any, ...],
        ) -> None:
            super().__init__()
            self.head, self.rows, self.a, self.b, self.footer = head, rows, a, b, footer
            self.opts = opts
            self.widths, right, self.font, self.size, self.bordered = opts
            self.right = set(right)
            self.hAlign = "CENTER" if self.bordered else "LEFT"
            self.rh = ROW_HEIGHT if self.bordered else self.size * 1.3

        def _n(self) -> int:
            return self.b - self.a + bool(self.head) + (self.footer is not None)

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width, self.height = sum(self.widths), self._n() * self.rh
            return self.width, self.height

        def split(self, aw: float, ah: float) -> list[Any]:
            mid = self.a + int(ah // self.rh) - bool(self.head)
            if mid <= self.a or mid >= self.b:
                return []
            return [
                GridRows(self.head, self.rows, self.a, mid, None, self.opts),
                GridRows(self.head, self.rows, mid, self.b, self.footer, self.opts),
            ]

        def _cut(self, r: list[str]) -> list[str]:
            f, z = self.font, self.size
            return [fit(c, w, f, z) for c, w in zip(r, self.widths, strict=True)]

        def draw(self) -> None:
            c, rh, size, font = self.canv, self.rh, self.size, self.font
            body = [self._cut(r) for r in self.rows[self.a : self.b]]
            body += [self._cut(self.footer)] if self.footer is not None else []
            lines = ([self.head] if self.head else []) + body
            top = len(lines) * rh
            xs = [0.0]
            for w in self.widths:
                xs.append(xs[-1] + w)
            if self.bordered:
                c.setFillColor(colors.HexColor("#DDEBF7"))
                c.rect(0, top - rh, xs[-1], rh, stroke=0, fill=1)
                if self.footer is not None:
                    c.setFillColor(colors.HexColor("#F2F2F2"))
                    c.rect(0, 0, xs[-1], rh, stroke=0, fill=1)
                c.setFillColor(colors.black)
                c.setStrokeColor(colors.grey)
                c.setLineWidth(0.4)
                c.grid(xs, [k * rh for k in range(len(lines) + 1)])
            base = top - rh + (rh - size) / 2 + size * 0.15
            pad = 2.0 if self.bordered else 0.0
            t = c.beginText()
            t.setFont(font, size, rh)
            out, line = _writer(t)
            skip = 1 if self.head else 0
            for j, x in enumerate(xs[:-1]):
                w = self.widths[j]
                if skip and self.bordered:  # the header, centred
                    text = lines[0][j]
                    t.setTextOrigin(x + (w - stringWidth(text, font, size)) / 2, base)
                    out(text)
                if j in self.right:
                    for k in range(skip, len(lines)):
                        text = lines[k][j]
                        if text:
                            t.setTextOrigin(
                                x + w - pad - stringWidth(text, font, size), base - k * rh
                            )
                            out(text)
                    continue
                t.setTextOrigin(x + pad, base - skip * rh)  # left: one line after another
                for k in range(skip, len(lines)):
                    line(lines[k][j])
            c.drawText(t)

    return GridRows


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
    """The household rows as one flowable that splits at the foot of each page.

    Every cell is cut to its column with an ellipsis (:func:`fit`) when its page is
    drawn; the header repeats on every page; a split is a pair of row indices, so time
    and memory stay linear in rows.
    """
    widths = col_widths(header, width)
    head = [fit(h, w, font, size) for h, w in zip(header, widths, strict=True)]
    opts = (widths, tuple(right), font, size, True)
    return [_grid_rows()(head, rows, 0, len(rows), footer, opts)]


def line_tables(lines: list[str], *, width: float, font: str, size: float) -> list[Any]:
    """Text lines (already wrapped to `width`) as one borderless flowable."""
    opts = ([width], (), font, size, False)
    return [_grid_rows()([], [[x] for x in lines], 0, len(lines), None, opts)]
