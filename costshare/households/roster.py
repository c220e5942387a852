"""Household rosters (业主名册) from Excel or CSV, checked and mapped to canonical columns.

A street office's roster comes in many shapes: xlsx or csv in any of the usual encodings
(:mod:`costshare.tables.read`, the one table reader), Chinese or English headers (the one
header matcher, :mod:`costshare.tables.headers`), a title row above the header. :func:`read_roster`
finds the header, maps it to the canonical columns, checks every row and reports *all*
problems at once with the row number the user sees in Excel (header = its own row,
usually row 1). ID numbers (身份证号) and every unrecognised column are dropped on
reading, so they can never reach an export.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from costshare.errors import InputError, Problem
from costshare.households._roster_header import HEADER_ALIASES, REQUIRED, map_header
from costshare.households._roster_parse import (
    CANONICAL,
    MAX_PROBLEMS,
    Bounds,
    combine_sheets,
    fill_merged_down,
    is_blank,
    parse_body,
    total_rows,
)
from costshare.limits import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
from costshare.tables.cells import clean_text
from costshare.tables.headers import norm_header
from costshare.tables.read import find_header, read_sheets
from costshare.tables.sheet import TABLE_SUFFIXES, Sheet
from costshare.text import has_personal_number, scrub

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

MAX_ROWS = MAX_TABLE_ROWS
"""Largest roster read (households); a longer sheet is refused as it streams."""
MAX_COLUMNS = MAX_TABLE_COLUMNS
"""Widest sheet read; a sheet with values further right is refused as it streams."""

ROSTER_SUFFIXES = TABLE_SUFFIXES
"""File types :func:`read_roster` reads."""


def _fits(rows: list[list[object]]) -> bool:
    """True when one of a sheet's first rows is a roster header (unit id and area)."""
    return find_header(rows, HEADER_ALIASES, REQUIRED) is not None


def read_roster(
    path: str | Path, *, sheet: str | None = None, bounds: Bounds | None = None
) -> pd.DataFrame:
    """Read a household roster from .xlsx or .csv into canonical columns.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``/``.xlsm`` workbook or a ``.csv``/``.txt``/``.tsv`` file, read by the
        one table reader (:func:`costshare.tables.read.read_sheets`: UTF-8, UTF-16,
        GB18030 or Big5, BOM or not; comma, tab or semicolon, or an Excel ``sep=`` line).
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
    ``501`` may repeat across stairwells but not within one, however it is spelled
    (``1栋``/``1号楼``, :func:`costshare.tables.cells.ident_key`). What the clerk cannot
    see in a workbook is left out — hidden rows, rows hidden by a filter, hidden columns,
    hidden, chart and void (作废) sheets — and counted in ``attrs["notes"]``, as is the
    column used when two name one field (套内面积 before 建筑面积). A header naming an
    ID or phone number (``业主（身份证号）``) is never read as a roster column.

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
    sheets = read_sheets(data, name, sheet=sheet, fits=_fits, what="roster")
    many = len(sheets) > 1
    frames = [_read_sheet(s, f"{name}[{s.name}]" if many else name, bounds) for s in sheets]
    if not many:
        return frames[0]
    return combine_sheets(frames, [s.name for s in sheets], name)


def _read_sheet(sh: Sheet, name: str, bounds: Bounds | None) -> pd.DataFrame:
    rows, merged = sh.rows, sh.merged
    if not any(not is_blank(v) for r in rows for v in r):
        raise InputError(Problem("the roster is empty: expected a header row and households", name))

    header_idx = find_header(rows, HEADER_ALIASES, REQUIRED)
    if header_idx is None:
        first = next(i for i, r in enumerate(rows) if any(not is_blank(v) for v in r))
        m = map_header(rows[first])
        cells = [v for v in rows[first] if not is_blank(v)]
        if any(not isinstance(v, str) or re.search(r"\d{3}", v) for v in cells):
            # a row of data, not a header: its cells (names, IDs, phones) are not echoed
            found = "the first row holds data, not column names: add a header row"
        else:
            found = f"header found: {[clean_text(v)[:20] for v in cells][:20]}"
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
    header = rows[header_idx]
    mapping = map_header(header)
    problems: list[Problem] = _merged_problems(merged, header_idx, name)
    problems += _twice(header, hdr_row, name)
    if problems:
        raise InputError(problems)

    notes = list(sh.notes) + _used_notes(header, mapping)
    notes += fill_merged_down(rows, merged, header_idx, mapping)
    body = rows[header_idx + 1 :]
    label_cols = ("building", "stairwell", "unit_id", "owner_name")
    texts = sorted({0, *(mapping[c] for c in label_cols if c in mapping)})
    skip, more = total_rows(body, texts, hdr_row + 1)
    notes += more
    # formulas in numeric columns: use the values Excel cached, if it did
    cached = sh.cached_rows()[header_idx + 1 :] if sh.cached else None
    df = parse_body(
        body,
        cached,
        mapping,
        hdr_row,
        name,
        bounds=bounds,
        decimal_comma=sh.decimal_comma,
        skip=skip,
    )
    df, more = _mask_personal(df, header, mapping)
    df.attrs["notes"] = notes + more
    df.attrs["area_header"] = re.sub(r"[（(\[【].*?[)）\]】]", "", str(header[mapping["area_m2"]]))
    return df


def _mask_personal(
    df: pd.DataFrame, header: list[object], mapping: dict[str, int]
) -> tuple[pd.DataFrame, list[str]]:
    """Owner names classified by content: phone or ID numbers never pass as names.

    A column whose names are mostly personal numbers is left out whatever its header;
    otherwise a name cell holding one keeps its name with the number hidden.
    """
    if "owner_name" not in df.columns or df.empty:
        return df, []
    names = df["owner_name"]
    digits = names.str.contains(r"\d", regex=True, na=False).to_numpy()
    if not digits.any():
        return df, []
    hit = np.zeros(len(df), dtype=bool)
    hit[digits] = [has_personal_number(v) for v in names[digits]]
    if not hit.any():
        return df, []
    col = f"{get_column_letter(mapping['owner_name'] + 1)} {clean_text(header[mapping['owner_name']])!r}"
    filled = int((names != "").sum())
    if hit.sum() * 2 >= filled:
        msg = f"column {col} holds phone or ID numbers, not names: left out"
        return df.drop(columns="owner_name"), [msg]
    out = df.copy()
    out.loc[hit, "owner_name"] = [scrub(v) for v in names[hit]]
    msg = f"{int(hit.sum())} owner name cell(s) in column {col} held a phone or ID number: hidden"
    return out, [msg]


def _twice(header: list[object], hdr_row: int, name: str) -> list[Problem]:
    """A problem for each roster header written twice (the same alias, two columns)."""
    out = []
    seen: dict[str, int] = {}
    for pos, cell in enumerate(header):
        n = norm_header(cell) if not is_blank(cell) else ""
        col = next(iter(map_header([cell])), None) if n else None
        if col is not None and n in seen:
            msg = (
                f"column {clean_text(cell)!r} appears twice ({get_column_letter(seen[n] + 1)} "
                f"and {get_column_letter(pos + 1)}); keep one"
            )
            out.append(Problem(msg, name, f"row {hdr_row}", col))
        seen.setdefault(n, pos)
    return out


def _used_notes(header: list[object], mapping: dict[str, int]) -> list[str]:
    """Which column was used when two name one field (建筑面积 and 套内面积), and why."""
    notes = []
    for col, pos in mapping.items():
        others = [
            p for p, c in enumerate(header) if p != pos and map_header([c]).get(col) is not None
        ]
        if not others:
            continue
        used = f"{get_column_letter(pos + 1)} {clean_text(header[pos])!r}"
        rest = ", ".join(f"{get_column_letter(p + 1)} {clean_text(header[p])!r}" for p in others)
        why = (
            "the exclusive (套内/专有) area comes before the building area in the roster's "
            "area headers"
            if col == "area_m2"
            else f"it comes first in the {col} headers"
        )
        notes.append(f"{col}: column {used} used, not {rest}: {why}")
    return notes


def _merged_problems(merged: list[str], header_idx: int, name: str) -> list[Problem]:
    out = []
    for rng in merged:
        m = re.match(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", rng)
        if m and int(m.group(2)) <= header_idx + 1 <= int(m.group(4)):
            msg = f"merged header cells {rng}: unmerge them so each column has its own one-line header"
            out.append(Problem(msg, name, f"row {header_idx + 1}"))
    return out
