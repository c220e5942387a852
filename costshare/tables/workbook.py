"""One workbook reader: .xlsx streamed, as the clerk sees it.

The sheet is parsed as a stream (openpyxl's read-only sheet parser, no cell objects
kept), so memory and time grow with the cells present, never with the sheet's claimed
size, and a sheet too long or too wide is refused as it streams. The stated rule:
**what the clerk cannot see is left out** — hidden rows, rows hidden by a filter,
hidden columns, hidden sheets, chart sheets and sheets named void (作废/废弃/void...)
are not read, and the sheet's notes say which and how many. A formula keeps its text
and the value Excel cached (:meth:`~costshare.tables.sheet.Sheet.cached_rows`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from costshare.errors import InputError, Problem
from costshare.tables.sheet import MAX_COLUMNS, MAX_ROWS, Sheet, is_void_name, row_ranges

__all__ = ["Workbook", "open_workbook"]


def _parser_class() -> Any:
    from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser, _cast_number

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's streaming sheet parser, keeping each formula's cached value too."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["data_type"] == "f":
                v, t = element.findtext(VALUE_TAG), element.get("t", "n")
                if not v or t == "e":
                    cell["cached"] = None
                elif t == "b":
                    cell["cached"] = bool(int(v))
                elif t in ("str", "s", "inlineStr"):
                    cell["cached"] = v
                else:
                    try:
                        cell["cached"] = _cast_number(v)
                    except ValueError:
                        cell["cached"] = None
            return cell

    return _Parser


def _truthy(v: object) -> bool:
    return str(v).lower() in ("1", "true")


class Workbook:
    """An .xlsx workbook opened for streaming: its sheets, and which ones count.

    :attr:`usable` lists the worksheets a clerk sees (visible, not named void);
    :attr:`left_out` says which sheets are not read and why.
    """

    def __init__(self, data: bytes, file: str) -> None:
        import openpyxl
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        self.file = file
        if data[:4] == b"\xd0\xcf\x11\xe0":
            msg = "an old .xls workbook (or an encrypted one) under an .xlsx name is not read; save it as .xlsx"
            raise InputError(Problem(msg, file=file))
        try:
            self._wb = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
        except Exception as exc:  # any reader failure is the file's, named as such
            msg = f"not a readable .xlsx workbook ({type(exc).__name__}); save it again as .xlsx"
            raise InputError(Problem(msg, file=file)) from None
        self.names: list[str] = list(self._wb.sheetnames)
        self.usable: list[str] = []
        self.left_out: list[str] = []
        for n in self.names:
            ws = self._wb[n]
            if not isinstance(ws, ReadOnlyWorksheet):
                self.left_out.append(f"sheet {n!r} is a chart, not a table: left out")
            elif ws.sheet_state != "visible":
                self.left_out.append(f"sheet {n!r} is hidden: left out")
            elif is_void_name(n):
                self.left_out.append(f"sheet {n!r} is named as void: left out")
            else:
                self.usable.append(n)

    def _cells(
        self, name: str, stop: int | None = None
    ) -> Iterator[tuple[int, list[dict[str, Any]], Any]]:
        ws = self._wb[name]
        wb = self._wb
        with ws._get_source() as src:
            parser = _parser_class()(
                src,
                ws._shared_strings,
                data_only=False,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            rows = parser.parse()
            while True:
                try:
                    idx, cells = next(rows)
                except StopIteration:
                    return
                except Exception as exc:  # a damaged sheet is the file's, named as such
                    msg = (
                        f"sheet {name!r} cannot be read ({type(exc).__name__}); "
                        "open it in Excel or WPS and save it again as .xlsx"
                    )
                    raise InputError(Problem(msg, self.file)) from None
                if stop is not None and idx > stop:
                    return
                yield idx, cells, parser

    def head(self, name: str, n: int = 10) -> list[list[Any]]:
        """The first `n` rows of sheet `name` (values; hidden rows blank), read cheaply."""
        rows: list[list[Any]] = [[] for _ in range(n)]
        for idx, cells, parser in self._cells(name, stop=n):
            attrs = parser.row_dimensions.get(str(idx), {})
            if _truthy(attrs.get("hidden", "0")):
                continue
            row: list[Any] = []
            for c in cells:
                if c["value"] is not None and c["column"] <= MAX_COLUMNS:
                    row.extend([None] * (c["column"] - len(row)))
                    row[c["column"] - 1] = c["value"]
            rows[idx - 1] = row
        return rows

    def read(self, name: str) -> Sheet:
        """Every cell of sheet `name`, hidden rows and columns left out (with notes).

        Raises
        ------
        InputError
            A sheet with more than :data:`MAX_ROWS` rows or values beyond
            :data:`MAX_COLUMNS` columns (refused as it streams, never read whole).
        """
        if name not in self.names:
            msg = f"no sheet named {name!r}; the workbook has {self.names}"
            raise InputError(Problem(msg, self.file, field="sheet"))
        rows: list[list[Any]] = []
        cached: dict[tuple[int, int], Any] = {}
        hidden: set[int] = set()
        parser = None
        for idx, cells, parser in self._cells(name):
            if idx > MAX_ROWS:
                far = max((c["column"] for c in cells), default=1)
                msg = (
                    f"sheet {name!r} reaches row {idx:,}, column {far:,}: more than "
                    f"{MAX_ROWS - 10:,} rows (clear stray cells far below, or split the table)"
                )
                raise InputError(Problem(msg, self.file))
            while len(rows) < idx - 1:
                rows.append([])
            row: list[Any] = []
            for c in cells:
                col, v = c["column"], c["value"]
                if v is None:
                    continue
                if col > MAX_COLUMNS:
                    msg = (
                        f"sheet {name!r} has a value in column {col:,}: more than {MAX_COLUMNS} "
                        "columns (clear stray cells far to the right)"
                    )
                    raise InputError(Problem(msg, self.file, f"row {idx}"))
                row.extend([None] * (col - len(row)))
                row[col - 1] = v
                if "cached" in c:
                    cached[(idx - 1, col - 1)] = c["cached"]
            attrs = parser.row_dimensions.get(str(idx), {})
            if _truthy(attrs.get("hidden", "0")) and any(v is not None for v in row):
                hidden.add(idx - 1)
                row = []
            rows.append(row)
        sheet = Sheet(name, rows, cached=cached)
        if parser is None:
            return sheet
        merged = getattr(parser, "merged_cells", None)
        sheet.merged = [str(r.ref) for r in merged.mergeCell] if merged else []
        self._hide_columns(sheet, parser.column_dimensions)
        self._note_rows(sheet, hidden, getattr(parser, "auto_filter", None))
        return sheet

    @staticmethod
    def _hide_columns(sheet: Sheet, dims: dict[str, dict[str, str]]) -> None:
        from openpyxl.utils import get_column_letter

        cols: set[int] = set()
        for attrs in dims.values():
            if _truthy(attrs.get("hidden", "0")):
                lo, hi = int(attrs["min"]), min(int(attrs["max"]), MAX_COLUMNS)
                cols |= set(range(lo - 1, hi))
        used = {j for j in cols for r in sheet.rows if j < len(r) and r[j] is not None}
        if not used:
            return
        for r in sheet.rows:
            for j in used:
                if j < len(r):
                    r[j] = None
        sheet.cached = {k: v for k, v in sheet.cached.items() if k[1] not in used}
        sheet.hidden_cols = frozenset(used)
        letters = ", ".join(get_column_letter(j + 1) for j in sorted(used))
        sheet.notes.append(f"{len(used)} hidden column(s) ({letters}): left out")

    @staticmethod
    def _note_rows(sheet: Sheet, hidden: set[int], auto_filter: Any) -> None:
        if not hidden:
            return
        sheet.hidden_rows = frozenset(hidden)
        filtered: set[int] = set()
        ref = getattr(auto_filter, "ref", None)
        if ref and getattr(auto_filter, "filterColumn", None):
            m = re.fullmatch(r"[A-Z]+(\d+):[A-Z]+(\d+)", str(ref))
            if m:
                lo, hi = int(m.group(1)), int(m.group(2))
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
    if not zipfile.is_zipfile(io.BytesIO(data)) and data[:4] != b"\xd0\xcf\x11\xe0":
        msg = "not a readable .xlsx workbook (not a zip archive); save it again as .xlsx"
        raise InputError(Problem(msg, file=file))
    return Workbook(data, file)
