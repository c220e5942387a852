"""One workbook reader: .xlsx read fast and bounded, as the clerk sees it.

Values come from calamine (python-calamine, a Rust reader: the value Excel cached for
each formula, dates as dates); one byte scan of the sheet's XML (:mod:`.sheetxml`)
finds hidden rows and columns, the filter, the formulas and any stray cell far away,
before a grid is built. Memory and time grow with the cells present, never with a
sheet's claimed (stale) dimension, and a sheet too long or too wide is refused unread.

The stated rule: **what the clerk cannot see is left out** — hidden rows, rows hidden
by a filter, hidden columns, hidden sheets, chart sheets and sheets named void
(作废/废弃/void...) are not read, and the sheet's notes say which and how many. A
formula cell holds its text (``=A1*2``) and the value Excel cached
(:meth:`~costshare.tables.sheet.Sheet.cached_rows`).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from costshare.errors import InputError, Problem
from costshare.tables.sheet import MAX_COLUMNS, MAX_ROWS, Sheet, is_void_name, row_ranges
from costshare.tables.sheetxml import SheetXml, scan_sheet, sheet_paths

__all__ = ["MAX_SHEET_XML", "Workbook", "open_workbook"]

MAX_SHEET_XML = 600 * 2**20
"""Largest worksheet read, uncompressed (bytes): about 1.5 million rows of a roster."""


def _letters(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _reader_failure(exc: BaseException) -> bool:
    """True for a failure of the reader on the file (a Rust panic is a BaseException)."""
    return not isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))


def _value(v: Any) -> Any:
    """A calamine cell as the readers expect it: blank is None, whole floats are int."""
    if v == "" or v is None:
        return None
    if type(v) is float and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


class Workbook:
    """An .xlsx workbook: its sheets, and which ones count.

    :attr:`usable` lists the worksheets a clerk sees (visible, not named void);
    :attr:`left_out` says which sheets are not read and why.
    """

    def __init__(self, data: bytes, file: str) -> None:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        self.file = file
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            unpacked = sum(i.file_size for i in self._zip.infolist())
            if unpacked > 2 * MAX_SHEET_XML:  # a zip bomb is refused before it is opened
                msg = (
                    f"unpacks to {unpacked / 2**20:,.0f} MiB: more than "
                    f"{2 * MAX_SHEET_XML // 2**20} MiB (split the table)"
                )
                raise InputError(Problem(msg, file=file))
            self._paths = sheet_paths(self._zip)
            self._wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            meta = list(self._wb.sheets_metadata)
        except InputError:
            raise
        except BaseException as exc:  # any reader failure is the file's, named as such
            if not _reader_failure(exc):
                raise
            msg = f"not a readable .xlsx workbook ({type(exc).__name__}); save it again as .xlsx"
            raise InputError(Problem(msg, file=file)) from None
        self.names: list[str] = [m.name for m in meta]
        self.usable: list[str] = []
        self.left_out: list[str] = []
        self._scans: dict[str, SheetXml] = {}
        self._sheets: dict[str, Any] = {}
        for m in meta:
            n = m.name
            if m.typ != SheetTypeEnum.WorkSheet or n not in self._paths:
                self.left_out.append(
                    f"sheet {n!r} is a chart or macro sheet, not a table: left out"
                )
            elif m.visible != SheetVisibleEnum.Visible:
                self.left_out.append(f"sheet {n!r} is hidden: left out")
            elif is_void_name(n):
                self.left_out.append(f"sheet {n!r} is named as void: left out")
            else:
                self.usable.append(n)

    def _scan(self, name: str) -> SheetXml:
        """The sheet's XML scan; a sheet too long, too wide or too large is refused."""
        if name in self._scans:
            return self._scans[name]
        path = self._paths.get(name)
        if path is None:
            msg = f"sheet {name!r} is a chart or macro sheet, not a table"
            raise InputError(Problem(msg, self.file, field="sheet"))
        try:
            size = self._zip.getinfo(path).file_size
            if size > MAX_SHEET_XML:
                msg = (
                    f"sheet {name!r} is {size / 2**20:,.0f} MiB unpacked: more than "
                    f"{MAX_SHEET_XML // 2**20} MiB (split the table)"
                )
                raise InputError(Problem(msg, self.file))
            scan = scan_sheet(self._zip.read(path), MAX_COLUMNS)
        except InputError:
            raise
        except BaseException as exc:  # a damaged archive is the file's, named as such
            if not _reader_failure(exc):
                raise
            msg = f"sheet {name!r} cannot be read ({type(exc).__name__}); save it again as .xlsx"
            raise InputError(Problem(msg, self.file)) from None
        if scan.last_row > MAX_ROWS:
            msg = (
                f"sheet {name!r} reaches row {scan.last_row:,}"
                + (f", column {scan.far[1]:,}" if scan.far else "")
                + f": more than {MAX_ROWS - 10:,} rows (clear stray cells far below, "
                "or split the table)"
            )
            raise InputError(Problem(msg, self.file))
        if scan.far:
            msg = (
                f"sheet {name!r} has a value in column {scan.far[1]:,}: more than "
                f"{MAX_COLUMNS} columns (clear stray cells far to the right)"
            )
            raise InputError(Problem(msg, self.file, f"row {scan.far[0]}"))
        self._scans[name] = scan
        return scan

    def _values(self, name: str, nrows: int | None = None) -> Any:
        self._scan(name)
        try:
            if name not in self._sheets:  # parsed once: head() then read() reuse it
                self._sheets = {name: self._wb.get_sheet_by_name(name)}
            sheet = self._sheets[name]
            return sheet, sheet.to_python(skip_empty_area=False, nrows=nrows)
        except BaseException as exc:  # a damaged sheet is the file's, named as such
            if not _reader_failure(exc):
                raise
            msg = (
                f"sheet {name!r} cannot be read ({type(exc).__name__}); "
                "open it in Excel or WPS and save it again as .xlsx"
            )
            raise InputError(Problem(msg, self.file)) from None

    def head(self, name: str, n: int = 10) -> list[list[Any]]:
        """The first `n` rows of sheet `name` (values; hidden rows blank)."""
        hidden = self._scan(name).hidden_rows
        _, rows = self._values(name, n)
        return [[] if i + 1 in hidden else [_value(v) for v in r] for i, r in enumerate(rows)]

    def read(self, name: str) -> Sheet:
        """Every cell of sheet `name`, hidden rows and columns left out (with notes).

        Raises
        ------
        InputError
            A sheet with more than :data:`~costshare.tables.sheet.MAX_ROWS` rows or
            values beyond :data:`~costshare.tables.sheet.MAX_COLUMNS` columns
            (refused before its cells are read).
        """
        if name not in self.names:
            msg = f"no sheet named {name!r}; the workbook has {self.names}"
            raise InputError(Problem(msg, self.file, field="sheet"))
        scan = self._scan(name)
        sheet_obj, values = self._values(name)
        rows = [[_value(v) for v in r] for r in values]
        for r in rows:  # a row ends at its last value
            while r and r[-1] is None:
                r.pop()
        cached: dict[tuple[int, int], Any] = {}
        for (i, j), text in scan.formulas.items():
            if i <= len(rows):
                r = rows[i - 1]
                r.extend([None] * (j + 1 - len(r)))
                cached[(i - 1, j)] = r[j]
                r[j] = text
        hidden = {i - 1 for i in scan.hidden_rows if i <= len(rows) and rows[i - 1]}
        for i in hidden:
            rows[i] = []
        sheet = Sheet(name, rows, cached={k: v for k, v in cached.items() if k[0] not in hidden})
        sheet.merged = [
            f"{_letters(c0)}{r0 + 1}:{_letters(c1)}{r1 + 1}"
            for (r0, c0), (r1, c1) in (sheet_obj.merged_cell_ranges or [])
        ]
        _hide_columns(sheet, scan.hidden_cols)
        _note_rows(sheet, hidden, scan.filter_rows)
        return sheet


def _hide_columns(sheet: Sheet, cols: set[int]) -> None:
    used = {j for j in cols for r in sheet.rows if j < len(r) and r[j] is not None}
    if not used:
        return
    for r in sheet.rows:
        for j in used:
            if j < len(r):
                r[j] = None
    sheet.cached = {k: v for k, v in sheet.cached.items() if k[1] not in used}
    sheet.hidden_cols = frozenset(used)
    letters = ", ".join(_letters(j) for j in sorted(used))
    sheet.notes.append(f"{len(used)} hidden column(s) ({letters}): left out")


def _note_rows(sheet: Sheet, hidden: set[int], filter_rows: tuple[int, int] | None) -> None:
    if not hidden:
        return
    sheet.hidden_rows = frozenset(hidden)
    filtered: set[int] = set()
    if filter_rows:
        lo, hi = filter_rows
        filtered = {i for i in hidden if lo <= i + 1 <= hi}
    plain = sorted(i + 1 for i in hidden - filtered)
    if filtered:
        rows = row_ranges([i + 1 for i in filtered])
        sheet.notes.append(
            f"{len(filtered)} row(s) filtered out by the sheet's filter (rows {rows}): left out"
        )
    if plain:
        sheet.notes.append(f"{len(plain)} hidden row(s) (rows {row_ranges(plain)}): left out")


def open_workbook(data: bytes, file: str) -> Workbook:
    """:class:`Workbook` for the bytes of an .xlsx file named `file`.

    Examples
    --------
    >>> import openpyxl
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.append(["房号", "面积"])
    >>> ws.append(["101", 80]); ws.append(["102", 90]); ws.row_dimensions[3].hidden = True
    >>> buf = io.BytesIO(); wb.save(buf)
    >>> s = open_workbook(buf.getvalue(), "r.xlsx").read("Sheet")
    >>> s.rows, s.notes
    ([['房号', '面积'], ['101', 80], []], ['1 hidden row(s) (rows 3): left out'])
    """
    if data[:4] == b"\xd0\xcf\x11\xe0":
        msg = (
            "an old .xls workbook (or an encrypted one) under an .xlsx name is not read; "
            "save as .xlsx"
        )
        raise InputError(Problem(msg, file=file))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        msg = "not a readable .xlsx workbook (not a zip archive); save it again as .xlsx"
        raise InputError(Problem(msg, file=file))
    return Workbook(data, file)
