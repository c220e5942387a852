"""What a worksheet's XML says besides its values: hidden rows and columns, the filter,
formulas, and how far its cells reach — read by one pass of byte patterns, no tree.

The values themselves come from the workbook reader (:mod:`.workbook`); this scan
tells it which rows and columns the clerk cannot see and which cells are formulas,
and finds a stray cell far away before any grid is built for it.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

__all__ = ["SheetXml", "scan_sheet", "sheet_paths"]

_P = rb"<(?:\w+:)?"  # an element, with or without a namespace prefix
_ROW = re.compile(_P + rb"row\b([^>]*)>")
_COL = re.compile(_P + rb"col\b([^>]*)>")
_R = re.compile(rb"""\br=["']([A-Z]*)(\d+)["']""")
_HIDDEN = re.compile(rb"""\bhidden=["'](?:1|true)["']""")
_MINMAX = re.compile(
    rb"""\bmin=["'](\d+)["'][^>]*?\bmax=["'](\d+)["']|\bmax=["'](\d+)["'][^>]*?\bmin=["'](\d+)["']"""
)
# a cell in a column right of GR (200): three letters, or two from GS on
_FAR = re.compile(
    _P
    + rb"""c\b[^>]*?\br=["']([A-Z]{3,}|[H-Z][A-Z]|G[S-Z])(\d+)["'][^>]*?(?<!/)>\s*<(?:\w+:)?[vfi]"""
)
_FORMULA = re.compile(
    _P + rb"c\b([^>]*?)(?<!/)>\s*" + _P + rb"f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)", re.DOTALL
)
_FILTER = re.compile(_P + rb"""autoFilter\b[^>]*?\bref=["']([A-Z]+\d+:[A-Z]+\d+)["'][^>]*?(/?)>""")


@dataclass
class SheetXml:
    """The scan of one worksheet: 1-based row numbers, 0-based column positions."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    filter_rows: tuple[int, int] | None = None
    last_row: int = 0
    far: tuple[int, int] | None = None


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def scan_sheet(xml: bytes, max_columns: int) -> SheetXml:
    """Scan a worksheet's XML (see the module notes).

    Examples
    --------
    >>> x = (b'<worksheet><cols><col min="2" max="3" hidden="1"/></cols><sheetData>'
    ...      b'<row r="1"><c r="A1"><v>1</v></c></row><row r="2" hidden="1"><c r="A2">'
    ...      b'<f>A1*2</f><v>2</v></c></row></sheetData></worksheet>')
    >>> s = scan_sheet(x, 200)
    >>> s.hidden_rows, s.hidden_cols, s.formulas, s.last_row
    ({2}, {1, 2}, {(2, 0): '=A1*2'}, 2)
    """
    out = SheetXml()
    cur = 0
    for m in _ROW.finditer(xml):
        attrs = m.group(1)
        r = _R.search(attrs)
        cur = int(r.group(2)) if r else cur + 1
        if b"hidden" in attrs and _HIDDEN.search(attrs):
            out.hidden_rows.add(cur)
    out.last_row = cur
    for m in _COL.finditer(xml):
        attrs = m.group(1)
        mm = _MINMAX.search(attrs)
        if mm and _HIDDEN.search(attrs):
            lo, hi = (
                (int(mm.group(1)), int(mm.group(2)))
                if mm.group(1)
                else (
                    int(mm.group(4)),
                    int(mm.group(3)),
                )
            )
            out.hidden_cols |= set(range(lo - 1, min(hi, max_columns)))
    far = _FAR.search(xml)
    if far:
        out.far = (int(far.group(2)), _col_index(far.group(1)))
    if re.search(_P + rb"f\b", xml):
        for m in _FORMULA.finditer(xml):
            r = _R.search(m.group(1))
            if r and r.group(1):
                text = html.unescape((m.group(2) or b"").decode("utf-8", "replace")).strip()
                key = (int(r.group(2)), _col_index(r.group(1)) - 1)
                out.formulas[key] = "=" + (text or "(shared formula)")
    flt = _FILTER.search(xml)
    if flt and not flt.group(2):  # a filter with columns (not self-closing) hides rows
        lo, hi = re.findall(rb"\d+", flt.group(1))
        out.filter_rows = (int(lo), int(hi))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name → the path of its XML part in the archive.

    Examples
    --------
    >>> import io, openpyxl
    >>> wb = openpyxl.Workbook(); _ = wb.create_sheet("名册"); buf = io.BytesIO(); wb.save(buf)
    >>> sheet_paths(zipfile.ZipFile(buf))
    {'Sheet': 'xl/worksheets/sheet1.xml', '名册': 'xl/worksheets/sheet2.xml'}
    """
    names = set(zf.namelist())
    book = next((n for n in ("xl/workbook.xml", "xl/workbook2.xml") if n in names), None)
    if book is None:
        return {}
    rels_path = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
    targets: dict[str, str] = {}
    if rels_path in names:
        for el in ElementTree.fromstring(zf.read(rels_path)).iter():
            if _local(el.tag) == "Relationship":
                target = el.get("Target", "")
                if target.startswith("/"):
                    path = target.lstrip("/")
                else:
                    path = posixpath.normpath(posixpath.join(posixpath.dirname(book), target))
                targets[el.get("Id", "")] = path
    out: dict[str, str] = {}
    for el in ElementTree.fromstring(zf.read(book)).iter():
        if _local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            if rid in targets:
                out[el.get("name", "")] = targets[rid]
    return out
