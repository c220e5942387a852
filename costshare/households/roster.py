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
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from costshare.errors import InputError, Problem

__all__ = ["CANONICAL", "HEADER_ALIASES", "MAX_PROBLEMS", "read_roster"]

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
_EXPECT = {
    "unit_id": "a unit id such as 501",
    "floor": "a whole number from 1 to 200",
    "area_m2": "a positive number of m² such as 82.5",
    "headcount": "a whole number of people, 0 or more",
    "fund_balance": "an amount in yuan, 0 or more, such as 1234.50",
}
MAX_PROBLEMS = 30
"""Problems listed before the rest are summarised as "... and N more"."""
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


def _is_blank(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and not v.strip())
    )


def _map_header(cells: Sequence[object]) -> dict[str, int]:
    """Canonical column -> position, keeping the best-ranked alias for each."""
    best: dict[str, tuple[int, int]] = {}
    for pos, cell in enumerate(cells):
        if _is_blank(cell):
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


def _csv_rows(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(
            Problem("the file is empty: expected a header row and households", path.name)
        )
    text = _decode(data, path.name)
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


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[list[object]], list[str], Any]:
    """Rows of the chosen sheet (formulas as text), merged ranges, and a value loader."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:
        msg = f"not a readable .xlsx workbook ({type(exc).__name__}); save it again as .xlsx"
        raise InputError(Problem(msg, path.name)) from None
    names = wb.sheetnames
    if sheet is not None:
        if sheet not in names:
            msg = f"no sheet named {sheet!r}; the workbook has {names}"
            raise InputError(Problem(msg, path.name))
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
            raise InputError(Problem(msg, path.name))
        chosen = candidates[0]
    ws = wb[chosen]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merged = [str(r) for r in ws.merged_cells.ranges]

    def values() -> list[list[object]]:
        wbv = openpyxl.load_workbook(path, data_only=True, read_only=True)
        return [list(r) for r in wbv[chosen].iter_rows(values_only=True)]

    return rows, merged, values


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


def _is_formula(v: object) -> bool:
    return isinstance(v, str) and v.startswith("=") and len(v) > 1


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
    name = path.name
    if not path.exists():
        raise InputError(Problem("file not found", file=str(path)))
    suffix = path.suffix.lower()
    merged: list[str] = []
    values_loader = None
    if suffix in (".xlsx", ".xlsm"):
        rows, merged, values_loader = _xlsx_rows(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(path)
    elif suffix == ".xls":
        msg = "old .xls workbooks are not read; open it in Excel/WPS and save as .xlsx or CSV"
        raise InputError(Problem(msg, name))
    else:
        msg = f"unsupported file type {suffix!r}: give an .xlsx or .csv roster"
        raise InputError(Problem(msg, name))

    if not any(not _is_blank(v) for r in rows for v in r):
        raise InputError(Problem("the roster is empty: expected a header row and households", name))

    # find the header row
    header_idx, mapping = None, {}
    for i, r in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        m = _map_header(r)
        if set(REQUIRED) <= set(m):
            header_idx, mapping = i, m
            break
    if header_idx is None:
        first = next(i for i, r in enumerate(rows) if any(not _is_blank(v) for v in r))
        m = _map_header(rows[first])
        found = [str(v) for v in rows[first] if not _is_blank(v)]
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
        n = _norm_header(cell) if not _is_blank(cell) else ""
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
    numeric_cols = [c for c in ("floor", "area_m2", "headcount", "fund_balance") if c in mapping]
    if values_loader is not None and any(
        _is_formula(r[mapping[c]]) for r in body for c in numeric_cols if mapping[c] < len(r)
    ):
        cached = values_loader()[header_idx + 1 :]
    else:
        cached = None
    return _parse_body(body, cached, mapping, hdr_row, name)


def _merged_problems(merged: list[str], header_idx: int, name: str) -> list[Problem]:
    out = []
    for rng in merged:
        m = re.match(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", rng)
        if m and int(m.group(2)) <= header_idx + 1 <= int(m.group(4)):
            msg = f"merged header cells {rng}: unmerge them so each column has its own one-line header"
            out.append(Problem(msg, name, f"row {header_idx + 1}"))
    return out


_TEXT_COLS = ("unit_id", "building", "stairwell", "owner_name")
_NUMERIC_COLS = ("floor", "area_m2", "headcount", "fund_balance")
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
        elif _is_blank(v):
            out.append("")
        elif type(v) is int or type(v) is float:
            out.append((str(v) if type(v) is int else repr(v)) if numeric else _text(v))
        else:
            out.append("")
            odd[i] = True
    return out, odd


def _parse_body(
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
        t, odd = _column_text(cells, col in _NUMERIC_COLS)
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

        if _is_formula(v):
            cv = cached[i][mapping[col]] if cached and mapping[col] < len(cached[i]) else None
            if col in _NUMERIC_COLS and not _is_blank(cv):
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
            for j, key in enumerate(keys.itertuples(index=False, name=None)):
                if not has_unit[j]:
                    continue
                i = int(idx[j])
                row = hdr_row + 1 + i
                if key in seen:
                    label = "-".join(x for x in key if x)
                    msg = f"duplicate household {label}: already on row {seen[key]}"
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
    blank = _is_blank(v)
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
