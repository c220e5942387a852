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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from costshare.errors import InputError, Problem
from costshare.households._roster_parse import (
    CANONICAL,
    MAX_PROBLEMS,
    NUMERIC_COLS,
    is_blank,
    is_formula,
    parse_body,
)

__all__ = [
    "CANONICAL",
    "HEADER_ALIASES",
    "MAX_PROBLEMS",
    "ROSTER_SUFFIXES",
    "read_roster",
    "read_roster_bytes",
]

ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")
"""File types :func:`read_roster` reads."""

REQUIRED = ("unit_id", "area_m2")

# Earlier aliases win when a roster has two columns for the same thing
# (专有部分面积 is preferred to 建筑面积: Civil Code Art. 283 shares by exclusive area).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_id": ("房号", "户号", "房间号", "门牌号", "房屋编号", "室号", "unit_id", "unit", "room"),
    "building": ("楼栋", "楼号", "栋号", "楼栋号", "幢号", "栋", "幢", "building", "bldg"),
    "stairwell": ("单元", "单元号", "stairwell", "entrance"),
    "floor": ("楼层", "所在楼层", "层", "层次", "floor"),
    "area_m2": (
        "专有部分面积",
        "套内建筑面积",
        "套内面积",
        "建筑面积",
        "房屋面积",
        "面积",
        "area_m2",
        "area",
        "exclusive_area",
    ),
    "owner_name": ("业主姓名", "户主姓名", "业主", "户主", "姓名", "owner_name", "owner", "name"),
    "headcount": ("人口", "人数", "家庭人口", "户籍人口", "常住人口", "headcount", "persons"),
    "fund_balance": (
        "维修资金余额",
        "专项维修资金余额",
        "住宅专项维修资金余额",
        "维修基金余额",
        "fund_balance",
        "maintenance_fund_balance",
    ),
}
_ID_HEADERS = ("身份证号", "身份证号码", "身份证", "证件号码", "证件号", "id_number", "id_no")
_HEADER_SEARCH_ROWS = 10


def _norm_header(text: object) -> str:
    s = str(text).strip().lower()
    s = re.sub(r"[（(\[【].*?[)）\]】]", "", s)  # drop units: 面积(m²), 余额（元）
    s = re.sub(r"[\s_\-/]+", "_", s).strip("_")
    return s.removesuffix("m2").removesuffix("㎡").strip("_")


_ALIAS_RANK: dict[str, tuple[str, int]] = {
    _norm_header(a): (col, i) for col, names in HEADER_ALIASES.items() for i, a in enumerate(names)
}
_ID_NORM = {_norm_header(h) for h in _ID_HEADERS}


def _map_header(cells: Sequence[object]) -> dict[str, int]:
    """Canonical column -> position, keeping the best-ranked alias for each."""
    best: dict[str, tuple[int, int]] = {}
    for pos, cell in enumerate(cells):
        if is_blank(cell):
            continue
        hit = _ALIAS_RANK.get(_norm_header(cell))
        if hit is None:
            continue
        col, rank = hit
        if col not in best or rank < best[col][0]:
            best[col] = (rank, pos)
    return {col: pos for col, (_, pos) in best.items()}


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


def _csv_rows(data: bytes, file: str) -> list[list[object]]:
    if not data.strip():
        raise InputError(Problem("the file is empty: expected a header row and households", file))
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
        return list(csv.reader(io.StringIO(text), dialect))
    finally:
        if paused:
            gc.enable()


def _xlsx_rows(
    data: bytes, file: str, sheet: str | None
) -> tuple[list[list[object]], list[str], Any]:
    """Rows of the chosen sheet (formulas as text), merged ranges, and a value loader."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:
        msg = f"not a readable .xlsx workbook ({type(exc).__name__}); save it again as .xlsx"
        raise InputError(Problem(msg, file)) from None
    names = wb.sheetnames
    if sheet is not None:
        if sheet not in names:
            msg = f"no sheet named {sheet!r}; the workbook has {names}"
            raise InputError(Problem(msg, file))
        candidates = [sheet]
    else:
        candidates = names
    chosen = None
    for name in candidates:
        ws = wb[name]
        head = [list(r) for r in ws.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True)]
        if any(set(REQUIRED) <= set(_map_header(r)) for r in head):
            chosen = name
            break
    if chosen is None:
        if len(candidates) > 1:  # no sheet looks like a roster: say which sheets exist
            msg = (
                f"no sheet has a roster header with a unit id (房号) and an area (面积) in its "
                f"first {_HEADER_SEARCH_ROWS} rows; sheets: {names}; pick one with sheet="
            )
            raise InputError(Problem(msg, file))
        chosen = candidates[0]
    ws = wb[chosen]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merged = [str(r) for r in ws.merged_cells.ranges]

    def values() -> list[list[object]]:
        wbv = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        return [list(r) for r in wbv[chosen].iter_rows(values_only=True)]

    return rows, merged, values


def read_roster(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a household roster from .xlsx or .csv into canonical columns.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``/``.xlsm`` workbook or a ``.csv``/``.txt`` file (UTF-8, UTF-8 with
        BOM, GBK or GB18030, detected automatically; comma, tab or semicolon separated).
    sheet : str, optional
        Worksheet name; by default the first sheet whose header has a unit id and an
        area column.

    Returns
    -------
    DataFrame
        One row per household with ``row`` (the Excel row number) and those of
        :data:`CANONICAL` that the roster has: ``unit_id``, ``building``, ``stairwell``,
        ``owner_name`` (text, blank → ""), ``floor`` (int64), ``area_m2`` (float64, m²),
        ``headcount`` (nullable Int64) and ``fund_balance`` (float64 yuan, blank → 0).
        ID numbers and unknown columns are dropped.

    Raises
    ------
    InputError
        Listing every problem (up to :data:`MAX_PROBLEMS`) as ``file, row N, field 'x':
        what was expected, got what``.

    Notes
    -----
    The header is the first of the top 10 rows that names a unit id and an area. Blank
    rows are skipped. A household is identified by building + stairwell + unit id, so
    ``501`` may repeat across stairwells but not within one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_text("房号,楼层,建筑面积(㎡),身份证号\\n101,1,60.5,110101\\n", encoding="gbk")
    >>> read_roster(p)[["row", "unit_id", "floor", "area_m2"]].to_dict("records")
    [{'row': 2, 'unit_id': '101', 'floor': 1, 'area_m2': 60.5}]
    """
    path = Path(path)
    if not path.exists():
        raise InputError(Problem("file not found", file=str(path)))
    return read_roster_bytes(path.read_bytes(), path.name, sheet=sheet)


def read_roster_bytes(data: bytes, name: str, *, sheet: str | None = None) -> pd.DataFrame:
    """:func:`read_roster` on the bytes of a file called `name` (an upload, say).

    The suffix of `name` says the file type; messages name `name` (its base name).

    Examples
    --------
    >>> read_roster_bytes("房号,面积\\n101,50\\n".encode(), "up.csv")["area_m2"].tolist()
    [50.0]
    """
    name = Path(name).name or "roster.csv"
    suffix = Path(name).suffix.lower()
    merged: list[str] = []
    values_loader = None
    if suffix in (".xlsx", ".xlsm"):
        rows, merged, values_loader = _xlsx_rows(data, name, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(data, name)
    elif suffix == ".xls":
        msg = "old .xls workbooks are not read; open it in Excel/WPS and save as .xlsx or CSV"
        raise InputError(Problem(msg, name))
    else:
        msg = f"unsupported file type {suffix!r}: give an .xlsx or .csv roster"
        raise InputError(Problem(msg, name))

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
        found = [str(v) for v in rows[first] if not is_blank(v)]
        missing = [c for c in REQUIRED if c not in m]
        problems = [
            Problem(
                f"missing required column {c!r}: name it one of {list(HEADER_ALIASES[c][:4])}; "
                f"header found: {found}",
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

    body = rows[header_idx + 1 :]
    # formulas in numeric columns: use the values Excel cached, if it did
    numeric_cols = [c for c in NUMERIC_COLS if c in mapping]
    if values_loader is not None and any(
        is_formula(r[mapping[c]]) for r in body for c in numeric_cols if mapping[c] < len(r)
    ):
        cached = values_loader()[header_idx + 1 :]
    else:
        cached = None
    return parse_body(body, cached, mapping, hdr_row, name)


def _merged_problems(merged: list[str], header_idx: int, name: str) -> list[Problem]:
    out = []
    for rng in merged:
        m = re.match(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", rng)
        if m and int(m.group(2)) <= header_idx + 1 <= int(m.group(4)):
            msg = f"merged header cells {rng}: unmerge them so each column has its own one-line header"
            out.append(Problem(msg, name, f"row {header_idx + 1}"))
    return out
