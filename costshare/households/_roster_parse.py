"""Parsing the rows of a roster below its header, column by column (see :mod:`.roster`)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.households.scope import unit_labels

__all__ = ["CANONICAL", "MAX_PROBLEMS", "NUMERIC_COLS", "is_blank", "is_formula", "parse_body"]

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

_EXPECT = {
    "unit_id": "a unit id such as 501",
    "floor": "a whole number from 1 to 200",
    "area_m2": "a positive number of m² such as 82.5",
    "headcount": "a whole number of people, 0 or more",
    "fund_balance": "an amount in yuan, 0 or more, such as 1234.50",
}
MAX_PROBLEMS = 30
"""Problems listed before the rest are summarised as "... and N more"."""


"""Problems listed before the rest are summarised as "... and N more"."""


def is_blank(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and not v.strip())
    )


# ---------------------------------------------------------------- parsing cells


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _number(v: object) -> Decimal | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v)) if np.isfinite(v) else None
    s = str(v).strip().replace(",", "").replace("，", "")
    s = re.sub(r"\s*(m²|m2|㎡|平方米|平米|元|人|层|f)$", "", s, flags=re.IGNORECASE)
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _whole(v: object) -> int | None:
    d = _number(v)
    if d is None or d != d.to_integral_value():
        return None
    return int(d)


def is_formula(v: object) -> bool:
    return isinstance(v, str) and v.startswith("=") and len(v) > 1


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
    if kinds <= {str}:  # csv
        return list(map(str.strip, vals)), odd
    if kinds <= {str, type(None)}:  # csv with short rows
        return ["" if v is None else v.strip() for v in vals], odd
    out: list[str] = []
    for i, v in enumerate(vals):
        if isinstance(v, str):
            out.append(v.strip())
        elif is_blank(v):
            out.append("")
        elif type(v) is int or type(v) is float:
            out.append((str(v) if type(v) is int else repr(v)) if numeric else _text(v))
        else:
            out.append("")
            odd[i] = True
    return out, odd


def parse_body(
    body: list[list[object]],
    cached: list[list[object]] | None,
    mapping: dict[str, int],
    hdr_row: int,
    name: str,
) -> pd.DataFrame:
    """Parse the rows below the header, column by column.

    Each column is checked with vectorized string operations; only the cells that are not
    plain (blank where a value is required, formulas, units, out of range, other types)
    go through :func:`_parse_cell`, which makes their value or their problem. Problems
    are listed by row, and within a row in header order, then the duplicate check.
    """
    n = len(body)
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
                ok = plain & (num >= 1) & (num <= 200)
            elif col == "area_m2":
                ok = plain & (num > 0)
            else:  # headcount, fund_balance: blank is allowed
                ok = plain | blank
            bad_cell = odd | ~ok
            nums[col] = num
        blanks[col] = blank
        slow[col] = bad_cell
    keep = ~all_blank  # rows with nothing in the known columns (notes, spacers) are skipped

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
        values[col][i] = _parse_cell(col, v, row, bad)

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
        keys = pd.DataFrame(
            {
                c: final[c] if c in final else pd.Series([""] * m, dtype="str")
                for c in ("building", "stairwell", "unit_id")
            }
        )
        has_unit = keys["unit_id"].ne("").to_numpy()
        if keys[has_unit].duplicated().any():
            seen: dict[tuple[str, str, str], int] = {}
            labels = unit_labels(keys).tolist()
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


def _parse_cell(col: str, v: object, row: int, bad: Any) -> Any:
    blank = is_blank(v)
    shown = repr(v if not isinstance(v, str) else v.strip())
    if col in ("unit_id", "building", "stairwell", "owner_name"):
        if blank:
            if col == "unit_id":
                bad(row, col, f"is empty: expected {_EXPECT[col]}")
            return ""
        return _text(v)
    if col == "floor":
        n = None if blank else _whole(v)
        if n is None or not 1 <= n <= 200:
            bad(row, col, f"expected {_EXPECT[col]}, got {'nothing' if blank else shown}")
        return n
    if col == "area_m2":
        d = None if blank else _number(v)
        if d is None or d <= 0:
            bad(row, col, f"expected {_EXPECT[col]}, got {'nothing' if blank else shown}")
            return None
        return float(d)
    if col == "headcount":
        if blank:
            return None
        n = _whole(v)
        if n is None or n < 0:
            bad(row, col, f"expected {_EXPECT[col]}, got {shown}")
        return n
    # fund_balance
    if blank:
        return None
    d = _number(v)
    if d is None or d < 0 or d != d.quantize(Decimal("0.01")):
        bad(row, col, f"expected {_EXPECT[col]}, got {shown}")
        return None
    return float(d)
