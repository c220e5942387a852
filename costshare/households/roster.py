"""Household rosters (业主名册) from Excel or CSV, checked and mapped to canonical columns.

A street office's roster comes in many shapes: xlsx or csv, UTF-8, UTF-8 with BOM or
GBK/GB18030, Chinese or English headers, a title row above the header. :func:`read_roster`
finds the header, maps it to the canonical columns, checks every row and reports *all*
problems at once with the row number the user sees in Excel (header = its own row,
usually row 1). ID numbers (身份证号) and every unrecognised column are dropped on
reading, so they can never reach an export.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from costshare.errors import InputError, Problem
from costshare.households._roster_header import (
    _ALIAS_RANK,
    _HEADER_SEARCH_ROWS,
    HEADER_ALIASES,
    REQUIRED,
    _map_header,
    _norm_header,
)
from costshare.households._roster_parse import (
    CANONICAL,
    MAX_PROBLEMS,
    NUMERIC_COLS,
    Bounds,
    combine_sheets,
    fill_merged_down,
    is_blank,
    is_formula,
    parse_body,
    total_rows,
)

__all__ = [
    "CANONICAL",
    "HEADER_ALIASES",
    "MAX_COLUMNS",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "ROSTER_SUFFIXES",
    "Bounds",
    "read_roster",
    "read_roster_bytes",
]

MAX_ROWS = 500_000
"""Largest roster read (households); a sheet claiming more rows is refused unread."""
MAX_COLUMNS = 200
"""Widest sheet read; a sheet whose cells reach further right is refused unread."""

ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")
"""File types :func:`read_roster` reads."""

# ---------------------------------------------------------------- reading raw cells


def _decode(data: bytes, name: str) -> str:
    """Decode CSV bytes: BOM, then strict UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None:
        msg = "cannot tell the text encoding; save the file as UTF-8 or GBK CSV"
        raise InputError(Problem(msg, file=name))
    return str(guess)


def _csv_rows(data: bytes, file: str) -> tuple[list[list[object]], bool]:
    """Rows of a csv file, and whether it is semicolon-separated (so decimal commas)."""
    if not data.strip():
        raise InputError(Problem("the file is empty: expected a header row and households", file))
    if data.count(b"\n") > MAX_ROWS + _HEADER_SEARCH_ROWS:
        msg = (
            f"more than {MAX_ROWS:,} rows: split the roster (by building, say) and share each part"
        )
        raise InputError(Problem(msg, file))
    text = _decode(data, file)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    # csv.reader makes one list per row and nothing cyclic: pausing the cycle collector
    # while it runs saves its repeated scans of the growing list (half the time at 100k rows)
    paused = gc.isenabled()
    gc.disable()
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        msg = f"not a readable csv table ({exc}); save it again as CSV"
        raise InputError(Problem(msg, file)) from None
    finally:
        if paused:
            gc.enable()
    wide = next((i for i, r in enumerate(rows) if len(r) > MAX_COLUMNS), None)
    if wide is not None:
        msg = f"more than {MAX_COLUMNS} columns: a roster has a few columns per household"
        raise InputError(Problem(msg, file, f"row {wide + 1}"))
    return rows, getattr(dialect, "delimiter", ",") == ";"


_Sheet = tuple[str, list[list[object]], list[str], Any]


def _is_roster(ws: Any) -> bool:
    head = ws.iter_rows(max_row=_HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)
    return any(set(REQUIRED) <= set(_map_header(list(r))) for r in head)


def _xlsx_sheets(data: bytes, file: str, sheet: str | None) -> list[_Sheet]:
    """The roster sheets to read: (name, rows with formulas as text, merged ranges, values).

    One sheet by default: the only roster-shaped one (sheets of notes are skipped); with
    several, the user chooses (`sheet`), or ``sheet="all"`` reads them all. A sheet
    claiming more than :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns is refused
    before its cells are read.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:
        msg = f"not a readable .xlsx workbook ({type(exc).__name__}); save it again as .xlsx"
        raise InputError(Problem(msg, file)) from None
    names = wb.sheetnames
    for name in names:
        ws = wb[name]
        if ws.max_row > MAX_ROWS + _HEADER_SEARCH_ROWS or ws.max_column > MAX_COLUMNS:
            msg = (
                f"sheet {name!r} reaches row {ws.max_row:,}, column {ws.max_column:,}: more than "
                f"{MAX_ROWS:,} rows or {MAX_COLUMNS} columns (clear stray cells far away, "
                "or split the roster)"
            )
            raise InputError(Problem(msg, file))
    if sheet is not None and sheet != "all":
        if sheet not in names:
            msg = f"no sheet named {sheet!r}; the workbook has {names}"
            raise InputError(Problem(msg, file))
        chosen = [sheet]
    else:
        chosen = [n for n in names if _is_roster(wb[n])]
        if not chosen and len(names) == 1:
            chosen = names  # one sheet: its own header error says what is missing
        elif not chosen:  # no sheet looks like a roster: say which sheets exist
            msg = (
                f"no sheet has a roster header with a unit id (房号) and an area (面积) in its "
                f"first {_HEADER_SEARCH_ROWS} rows; sheets: {names}; pick one with sheet="
            )
            raise InputError(Problem(msg, file))
        elif len(chosen) > 1 and sheet is None:
            msg = (
                f"{len(chosen)} sheets look like rosters: {chosen}; choose one with "
                "--sheet NAME (sheet=NAME), or --sheet all to combine them"
            )
            raise InputError(Problem(msg, file, field="sheet"))
    out: list[_Sheet] = []
    for name in chosen:
        ws = wb[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        merged = [str(r) for r in ws.merged_cells.ranges]

        def values(name: str = name) -> list[list[object]]:
            wbv = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
            return [list(r) for r in wbv[name].iter_rows(values_only=True)]

        out.append((name, rows, merged, values))
    return out


def read_roster(
    path: str | Path, *, sheet: str | None = None, bounds: Bounds | None = None
) -> pd.DataFrame:
    """Read a household roster from .xlsx or .csv into canonical columns.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``/``.xlsm`` workbook or a ``.csv``/``.txt`` file (UTF-8, UTF-8 with
        BOM, GBK or GB18030, detected automatically; comma, tab or semicolon separated).
    sheet : str, optional
        Worksheet name, or ``"all"`` to combine every roster sheet (with a ``sheet``
        column; a sheet's name is the building when there is no building column). By
        default the one sheet whose header has a unit id and an area column; with
        several such sheets the roster is refused, listing them.
    bounds : Bounds, optional
        Plausibility bounds of area, headcount and floor (default :class:`Bounds`).

    Returns
    -------
    DataFrame
        One row per household with ``row`` (the Excel row number) and those of
        :data:`CANONICAL` that the roster has: ``unit_id``, ``building``, ``stairwell``,
        ``owner_name`` (text, blank → ""), ``floor`` (int64), ``area_m2`` (float64, m²),
        ``headcount`` (nullable Int64) and ``fund_balance`` (float64 yuan, blank → 0).
        ID numbers and unknown columns are dropped. ``attrs["notes"]`` lists what was
        repaired: totals rows left out, merged cells filled down.

    Raises
    ------
    InputError
        Listing every problem (up to :data:`MAX_PROBLEMS`) as ``file, row N, field 'x':
        what was expected, got what`` (a long number, which may be an ID or phone
        number, is never quoted).

    Notes
    -----
    The header is the first of the top 10 rows that names a unit id and an area. Blank
    rows and totals rows (合计, 小计, 总计, Total...) are skipped. Text is NFKC-normalised
    (``１０１`` is ``101``). ``82,5`` is 82.5; ``1,234`` alone is ambiguous and refused
    (except as money). A household is identified by building + stairwell + unit id, so
    ``501`` may repeat across stairwells but not within one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_text("房号,楼层,建筑面积(㎡),身份证号\\n101,1,60.5,110101\\n合计,,60.5,\\n",
    ...                  encoding="gbk")
    >>> df = read_roster(p)
    >>> df[["row", "unit_id", "floor", "area_m2"]].to_dict("records")
    [{'row': 2, 'unit_id': '101', 'floor': 1, 'area_m2': 60.5}]
    >>> df.attrs["notes"]
    ['row 3: a totals row (合计), not a household: left out']
    """
    path = Path(path)
    if not path.exists():
        raise InputError(Problem("file not found", file=str(path)))
    return read_roster_bytes(path.read_bytes(), path.name, sheet=sheet, bounds=bounds)


def read_roster_bytes(
    data: bytes, name: str, *, sheet: str | None = None, bounds: Bounds | None = None
) -> pd.DataFrame:
    """:func:`read_roster` on the bytes of a file called `name` (an upload, say).

    The suffix of `name` says the file type; messages name `name` (its base name).

    Examples
    --------
    >>> df = read_roster_bytes("房号,面积\\n１０１,５０．５\\n".encode(), "up.csv")
    >>> df["unit_id"].tolist(), df["area_m2"].tolist()
    (['101'], [50.5])
    """
    name = Path(name).name or "roster.csv"
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheets = _xlsx_sheets(data, name, sheet)
        decimal_comma = False
    elif suffix in (".csv", ".txt", ".tsv"):
        rows, decimal_comma = _csv_rows(data, name)
        sheets = [("", rows, [], None)]
    elif suffix == ".xls":
        msg = "old .xls workbooks are not read; open it in Excel/WPS and save as .xlsx or CSV"
        raise InputError(Problem(msg, name))
    else:
        msg = f"unsupported file type {suffix!r}: give an .xlsx or .csv roster"
        raise InputError(Problem(msg, name))
    many = len(sheets) > 1
    frames = [
        _read_sheet(rows, merged, loader, f"{name}[{s}]" if many else name, bounds, decimal_comma)
        for s, rows, merged, loader in sheets
    ]
    if not many:
        return frames[0]
    return combine_sheets(frames, [s for s, *_ in sheets], name)


def _read_sheet(
    rows: list[list[object]],
    merged: list[str],
    values_loader: Any,
    name: str,
    bounds: Bounds | None,
    decimal_comma: bool,
) -> pd.DataFrame:
    if not any(not is_blank(v) for r in rows for v in r):
        raise InputError(Problem("the roster is empty: expected a header row and households", name))

    # find the header row
    header_idx, mapping = None, {}
    for i, r in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        m = _map_header(r)
        if set(REQUIRED) <= set(m):
            header_idx, mapping = i, m
            break
    if header_idx is None:
        first = next(i for i, r in enumerate(rows) if any(not is_blank(v) for v in r))
        m = _map_header(rows[first])
        cells = [v for v in rows[first] if not is_blank(v)]
        if any(not isinstance(v, str) or re.search(r"\d{3}", v) for v in cells):
            # a row of data, not a header: its cells (names, IDs, phones) are not echoed
            found = "the first row holds data, not column names: add a header row"
        else:
            found = f"header found: {[v.strip()[:20] for v in cells][:20]}"
        missing = [c for c in REQUIRED if c not in m]
        problems = [
            Problem(
                f"missing required column {c!r}: name it one of {list(HEADER_ALIASES[c][:4])}; "
                f"{found}",
                name,
                f"row {first + 1}",
                c,
            )
            for c in missing
        ]
        problems += _merged_problems(merged, first, name)
        raise InputError(problems)
    hdr_row = header_idx + 1
    problems: list[Problem] = _merged_problems(merged, header_idx, name)
    header = rows[header_idx]
    seen_names: dict[str, int] = {}
    for pos, cell in enumerate(header):
        n = _norm_header(cell) if not is_blank(cell) else ""
        if n and n in _ALIAS_RANK and n in seen_names:
            col = _ALIAS_RANK[n][0]
            msg = (
                f"column {str(cell)!r} appears twice ({get_column_letter(seen_names[n] + 1)} and "
                f"{get_column_letter(pos + 1)}); keep one"
            )
            problems.append(Problem(msg, name, f"row {hdr_row}", col))
        seen_names.setdefault(n, pos)
    if problems:
        raise InputError(problems)

    notes = fill_merged_down(rows, merged, header_idx, mapping)
    body = rows[header_idx + 1 :]
    label_cols = ("building", "stairwell", "unit_id", "owner_name")
    texts = sorted({0, *(mapping[c] for c in label_cols if c in mapping)})
    skip, more = total_rows(body, texts, hdr_row + 1)
    notes += more
    # formulas in numeric columns: use the values Excel cached, if it did
    numeric_cols = [c for c in NUMERIC_COLS if c in mapping]
    if values_loader is not None and any(
        is_formula(r[mapping[c]]) for r in body for c in numeric_cols if mapping[c] < len(r)
    ):
        cached = values_loader()[header_idx + 1 :]
    else:
        cached = None
    df = parse_body(
        body, cached, mapping, hdr_row, name, bounds=bounds, decimal_comma=decimal_comma, skip=skip
    )
    df.attrs["notes"] = notes
    df.attrs["area_header"] = re.sub(r"[（(\[【].*?[)）\]】]", "", str(header[mapping["area_m2"]]))
    return df


def _merged_problems(merged: list[str], header_idx: int, name: str) -> list[Problem]:
    out = []
    for rng in merged:
        m = re.match(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", rng)
        if m and int(m.group(2)) <= header_idx + 1 <= int(m.group(4)):
            msg = f"merged header cells {rng}: unmerge them so each column has its own one-line header"
            out.append(Problem(msg, name, f"row {header_idx + 1}"))
    return out
