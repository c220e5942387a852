"""Parsing the rows of a roster below its header, column by column (see :mod:`.roster`)."""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.households._roster_cells import (
    Bounds,
    _text,
    is_blank,
    is_formula,
    is_total_label,
    parse_cell,
)
from costshare.households.scope import unit_labels
from costshare.money import MAX_FEN
from costshare.tables.cells import clean_text, clean_texts, ident_keys

__all__ = [
    "CANONICAL",
    "MAX_PROBLEMS",
    "NUMERIC_COLS",
    "Bounds",
    "combine_sheets",
    "fill_merged_down",
    "is_blank",
    "is_formula",
    "is_total_label",
    "parse_body",
    "total_rows",
]

CANONICAL = (
    "unit_id",
    "building",
    "stairwell",
    "floor",
    "area_m2",
    "owner_name",
    "headcount",
    "fund_balance",
)
"""Canonical roster columns, in output order (plus ``row``, the Excel row number)."""


MAX_PROBLEMS = 30
"""Problems listed before the rest are summarised as "... and N more"."""


_TEXT_COLS = ("unit_id", "building", "stairwell", "owner_name")
NUMERIC_COLS = ("floor", "area_m2", "headcount", "fund_balance")
# Plain ASCII numbers that the column-wise path takes as they are; any other cell (units,
# commas, signs, exponents, formulas, out of range) goes through _parse_cell, which gives
# the same value or the problem. Floor 1-200, headcount >= 0, area > 0, fund in fen.
_PLAIN = {
    "floor": r"[0-9]{1,3}",
    "headcount": r"[0-9]{1,9}",
    "area_m2": r"[0-9]{1,15}(?:\.[0-9]{1,15})?",
    "fund_balance": r"[0-9]{1,15}(?:\.[0-9]{1,2})?",
}


def _column_text(vals: list[object], numeric: bool) -> tuple[list[str], np.ndarray]:
    """Each cell as stripped text ("" when blank) and a mask of cells of other types.

    Numbers from a workbook become their exact text (``repr`` of a float), so the
    column-wise parse sees what :func:`_number` would; text columns get :func:`_text`.
    Cells of other types (dates, booleans, ...) are masked for the per-cell path.
    """
    odd = np.zeros(len(vals), dtype=bool)
    kinds = set(map(type, vals))
    if kinds <= {str, type(None)}:  # csv (None: a short row)
        return clean_texts(vals), odd
    out: list[str] = []
    for i, v in enumerate(vals):
        if isinstance(v, str):
            out.append(clean_text(v))
        elif is_blank(v):
            out.append("")
        elif type(v) is int or type(v) is float:
            out.append((str(v) if type(v) is int else repr(v)) if numeric else _text(v))
        else:
            out.append("")
            odd[i] = True
    return out, odd


def total_rows(
    body: list[list[object]], positions: list[int], first_row: int
) -> tuple[np.ndarray, list[str]]:
    """Mask of the rows whose cell at one of `positions` is a totals label, and notes.

    `first_row` is the Excel row number of ``body[0]``.
    """
    mask = np.zeros(len(body), dtype=bool)
    notes: list[str] = []
    for i, r in enumerate(body):
        for pos in positions:
            v = r[pos] if pos < len(r) else None
            if type(v) is str and is_total_label(v):
                mask[i] = True
                if len(notes) < 20:
                    msg = f"row {first_row + i}: a totals row ({v.strip()}), not a household: left out"
                    notes.append(msg)
                break
    if mask.sum() > 20:
        notes.append(f"... and {int(mask.sum()) - 20} more totals rows left out")
    return mask, notes


def parse_body(
    body: list[list[object]],
    cached: list[list[object]] | None,
    mapping: dict[str, int],
    hdr_row: int,
    name: str,
    *,
    bounds: Bounds | None = None,
    decimal_comma: bool = False,
    skip: np.ndarray | None = None,
) -> pd.DataFrame:
    """Parse the rows below the header, column by column.

    Rows where `skip` is set (totals rows) are left out. Numbers outside `bounds` are
    problems; with `decimal_comma` (a semicolon file) ``82,5`` is 82.5.

    Each column is checked with vectorized string operations; only the cells that are not
    plain (blank where a value is required, formulas, units, out of range, other types)
    go through :func:`_parse_cell`, which makes their value or their problem. Problems
    are listed by row, and within a row in header order, then the duplicate check.
    """
    n = len(body)
    b = bounds or Bounds()
    slot = {col: k for k, col in enumerate(mapping)}  # problem order within a row
    texts: dict[str, pd.Series] = {}
    nums: dict[str, np.ndarray] = {}
    blanks: dict[str, np.ndarray] = {}
    slow: dict[str, np.ndarray] = {}
    all_blank = np.ones(n, dtype=bool)
    shortest = min(map(len, body), default=0)
    for col, pos in mapping.items():
        cells = (
            list(map(itemgetter(pos), body))
            if pos < shortest
            else [r[pos] if pos < len(r) else None for r in body]
        )
        t, odd = _column_text(cells, col in NUMERIC_COLS)
        s = pd.Series(t, dtype="str")
        blank = s.eq("").to_numpy(dtype=bool, na_value=False) & ~odd
        all_blank &= blank
        if col in _TEXT_COLS:
            # a formula starts with "=" (stripped text too): checked cell by cell
            bad_cell = odd | s.str.startswith("=").to_numpy(dtype=bool, na_value=False)
            if col == "unit_id":
                bad_cell |= blank
            texts[col] = s
        else:
            plain = s.str.fullmatch(_PLAIN[col]).to_numpy(dtype=bool, na_value=False)
            dtype = np.int64 if col in ("floor", "headcount") else np.float64
            num = np.zeros(n, dtype=dtype)
            if plain.any():
                num[plain] = s[plain].astype(dtype).to_numpy()
            if col == "floor":
                ok = plain & (num >= max(1, b.floor[0])) & (num <= b.floor[1])
            elif col == "area_m2":
                ok = plain & (num >= b.area_m2[0]) & (num <= b.area_m2[1])
            elif col == "headcount":
                ok = (plain & (num >= b.headcount[0]) & (num <= b.headcount[1])) | blank
            else:  # fund_balance: blank is allowed; 15 digits stay within MAX_FEN
                ok = (plain & (num <= MAX_FEN // 100)) | blank
            bad_cell = odd | ~ok
            nums[col] = num
        blanks[col] = blank
        slow[col] = bad_cell
    keep = (
        ~all_blank if skip is None else ~all_blank & ~skip
    )  # rows with nothing in the known columns (notes, spacers) are skipped

    # the cells that are not plain, one at a time, in the order problems are listed
    found: list[tuple[int, int, Problem]] = []
    values: dict[str, dict[int, Any]] = {col: {} for col in mapping}
    tasks = sorted(
        (int(i), slot[col], col) for col in mapping for i in np.flatnonzero(slow[col] & keep)
    )
    for i, k, col in tasks:
        row = hdr_row + 1 + i
        r = body[i]
        v = r[mapping[col]] if mapping[col] < len(r) else None

        def bad(row: int, col: str, msg: str, i: int = i, k: int = k) -> None:
            found.append((i, k, Problem(msg, name, f"row {row}", col)))

        if is_formula(v):
            cv = cached[i][mapping[col]] if cached and mapping[col] < len(cached[i]) else None
            if col in NUMERIC_COLS and not is_blank(cv):
                v = cv
            else:
                bad(
                    row,
                    col,
                    f"is a spreadsheet formula {str(v)[:30]!r}, not a value; "
                    "type the value (or paste as values)",
                )
                values[col][i] = None
                continue
        values[col][i] = parse_cell(col, v, row, bad, b, decimal_comma)

    idx = np.flatnonzero(keep)
    final: dict[str, pd.Series] = {}  # text columns of the kept rows, blank -> ""
    for col, s in texts.items():
        if values[col]:
            vals = s.tolist()
            for i, v in values[col].items():
                vals[i] = v
            s = pd.Series(vals, dtype="str")
        final[col] = s.iloc[idx].fillna("").reset_index(drop=True)

    # a household is building + stairwell + unit id; it may appear once
    if "unit_id" in final:
        m = len(idx)
        shown_keys = pd.DataFrame(
            {
                c: final[c] if c in final else pd.Series([""] * m, dtype="str")
                for c in ("building", "stairwell", "unit_id")
            }
        )
        # one household however it is spelled: 1栋/1号楼/１, 0101/101 (tables.ident_key)
        keys = pd.DataFrame({c: ident_keys(shown_keys[c].tolist()) for c in shown_keys.columns})
        has_unit = keys["unit_id"].ne("").to_numpy()
        if keys[has_unit].duplicated().any():
            seen: dict[tuple[str, str, str], int] = {}
            labels = unit_labels(shown_keys).tolist()
            for j, key in enumerate(keys.itertuples(index=False, name=None)):
                if not has_unit[j]:
                    continue
                i = int(idx[j])
                row = hdr_row + 1 + i
                if key in seen:
                    msg = f"duplicate household {labels[j]}: already on row {seen[key]}"
                    found.append((i, len(mapping), Problem(msg, name, f"row {row}", "unit_id")))
                else:
                    seen[key] = row
    if found:
        found.sort(key=lambda f: (f[0], f[1]))
        problems = [p for _, _, p in found[:MAX_PROBLEMS]]
        raise InputError(problems, more=max(0, len(found) - MAX_PROBLEMS))
    if not len(idx):
        raise InputError(Problem("no households below the header", name, f"row {hdr_row}"))
    df = pd.DataFrame({"row": (hdr_row + 1 + idx).astype(np.int64)})
    for col in CANONICAL:
        if col not in mapping:
            continue
        if col in final:
            df[col] = final[col]
            continue
        fix = values[col]
        num, blank = nums[col], blanks[col]
        if fix:  # exactly as the per-cell reader builds the column
            vals = [None if b else v for v, b in zip(num.tolist(), blank.tolist(), strict=True)]
            for i, v in fix.items():
                vals[i] = v
            vals = [vals[i] for i in idx.tolist()]
            if col == "floor":
                df[col] = np.asarray(vals, dtype=np.int64)
            elif col == "area_m2":
                df[col] = np.asarray(vals, dtype=np.float64)
            elif col == "headcount":
                df[col] = pd.array(vals, dtype="Int64")
            else:
                df[col] = np.asarray([0.0 if v is None else v for v in vals], dtype=np.float64)
        elif col == "headcount":
            df[col] = pd.arrays.IntegerArray(num[idx], blank[idx].copy())
        else:  # floor, area: never blank here; fund_balance: blank is 0.0 already
            df[col] = num[idx]
    return df


_RANGE = re.compile(r"([A-Z]+)(\d+):([A-Z]+)(\d+)")


def fill_merged_down(
    rows: list[list[object]], merged: list[str], header_idx: int, mapping: dict[str, int]
) -> list[str]:
    """Give every row of a merged column range below the header its top cell; notes.

    Chinese rosters merge a building's cells over its rows (楼栋 B3:B5): each of those
    rows belongs to that building. Only ranges one column wide are filled (a range over
    several columns is a caption or a note, not a value).
    """
    from openpyxl.utils import column_index_from_string

    names = {pos: col for col, pos in mapping.items()}
    notes = []
    for rng in merged:
        m = _RANGE.fullmatch(rng)
        if m is None or m.group(1) != m.group(3):
            continue
        c = column_index_from_string(m.group(1)) - 1
        top, bottom = int(m.group(2)), min(int(m.group(4)), len(rows))
        if top <= header_idx + 1 or bottom <= top:
            continue
        first = rows[top - 1]
        value = first[c] if c < len(first) else None
        for r in range(top, bottom):
            row = rows[r]
            if not any(v is not None and v != "" for v in row):
                continue  # a hidden (left out) or blank row is no household
            if c >= len(row):
                row.extend([None] * (c + 1 - len(row)))
            row[c] = value
        if c in names:
            notes.append(f"merged cells {rng} ({names[c]}): filled down from row {top}")
    return notes


def combine_sheets(frames: list[pd.DataFrame], sheets: list[str], name: str) -> pd.DataFrame:
    """Several roster sheets as one roster with a ``sheet`` column (``--sheet all``).

    Without a building column a sheet's name is its building (one sheet per building is
    the common layout); a household on two sheets is refused.
    """
    notes = [f"[{s}] {n}" for f, s in zip(frames, sheets, strict=True) for n in f.attrs["notes"]]
    parts = []
    no_building = not any("building" in f.columns for f in frames)
    for f, s in zip(frames, sheets, strict=True):
        f = f.assign(sheet=s)
        if no_building:
            f["building"] = s
        parts.append(f)
    if no_building:
        notes.append("no building column: each sheet's name is its building")
    df = pd.concat(parts, ignore_index=True)
    for col in ("building", "stairwell", "owner_name"):
        if col in df.columns:
            df[col] = df[col].fillna("").astype(str)
    cols = [c for c in ("building", "stairwell", "unit_id") if c in df.columns]
    keys = pd.DataFrame({c: ident_keys(df[c].tolist()) for c in cols})
    dup = keys.duplicated(keep=False).to_numpy()
    if dup.any():
        where = [f"{s} row {r}" for s, r in zip(df["sheet"][dup], df["row"][dup], strict=True)]
        msg = f"the same household is on several sheets: {where[:6]}"
        raise InputError(Problem(msg, name, field="unit_id"))
    if len(df) > 500_000:
        raise InputError(Problem("more than 500,000 households in all sheets", name))
    df.attrs["notes"] = notes
    return df
