"""One table reader: a CSV or XLSX file to sheets of cells, or to a frame of named columns.

Every table the project reads — rosters, registers, ballots, community tables, plan
candidates — comes through :func:`read_sheets`, so each is decoded, split, filtered
and chosen by one rule (:mod:`.delimited` for CSV, :mod:`.workbook` for XLSX);
:func:`read_frame` adds the one header matcher (:mod:`.headers`) for the plain tables.

Which sheet of a workbook is read: the one named (``sheet=``), else the sheets the
clerk sees (visible, not named void) whose first rows hold the table's header; one
such sheet is read, several are refused (name one, or ``sheet="all"``). Sheets left
out are listed in the notes with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from costshare.errors import InputError, Problem
from costshare.tables.cells import clean_text
from costshare.tables.delimited import csv_sheet
from costshare.tables.headers import alternatives, header_positions
from costshare.tables.sheet import Sheet, suffix_of
from costshare.tables.workbook import open_workbook

__all__ = ["HEADER_SEARCH_ROWS", "file_bytes", "find_header", "read_frame", "read_sheets"]

HEADER_SEARCH_ROWS = 10
"""The header is looked for in this many rows at the top of a sheet."""


def file_bytes(source: bytes | str | Path, name: str | None, default: str) -> tuple[bytes, str]:
    """The bytes of `source` and the base name messages use (`default` for bare bytes).

    Examples
    --------
    >>> file_bytes(b"a,b", None, "table.csv")
    (b'a,b', 'table.csv')
    """
    if isinstance(source, bytes):
        return source, Path(name or default).name or default
    path = Path(source)
    if not path.is_file():
        raise InputError(Problem("file not found", file=name or str(path)))
    return path.read_bytes(), name or path.name


def read_sheets(
    data: bytes,
    file: str,
    *,
    sheet: str | None = None,
    fits: Callable[[list[list[Any]]], bool] | None = None,
    what: str = "table",
    first: bool = False,
) -> list[Sheet]:
    """The sheets of a CSV or XLSX file to read, as the clerk sees them.

    Parameters
    ----------
    data, file : bytes, str
        The file's content and its name (the suffix says the type).
    sheet : str, optional
        A worksheet's name, or ``"all"`` for every fitting sheet.
    fits : callable, optional
        Says from a sheet's first :data:`HEADER_SEARCH_ROWS` rows whether it holds the
        table (default: any sheet with a value).
    what : str
        The table's name in messages ("roster", "ballot table").
    first : bool
        With several fitting sheets and none named, read the first (the notes say
        which were not read) instead of refusing.

    Returns
    -------
    list of Sheet
        One sheet unless ``sheet="all"``; the first one's notes say which sheets were
        left out and why.

    Examples
    --------
    >>> [s.rows for s in read_sheets("房号;面积\\n101;82,5\\n".encode("gb18030"), "a.csv")]
    [[['房号', '面积'], ['101', '82,5']]]
    """
    if suffix_of(file) not in (".xlsx", ".xlsm"):
        return [csv_sheet(data, file)]
    wb = open_workbook(data, file)
    if sheet is not None and sheet != "all":
        if sheet not in wb.names:
            msg = f"no sheet named {sheet!r}; the workbook has {wb.names}"
            raise InputError(Problem(msg, file, field="sheet"))
        chosen = [sheet]
        named = f"sheet {sheet!r} "
        left_out = [n for n in wb.left_out if not n.startswith(named)]
        left_out += [
            n.replace(": left out", ", but was asked for by name: read")
            for n in wb.left_out
            if n.startswith(named) and "chart" not in n
        ]
    else:
        test = fits or (lambda rows: any(v is not None for r in rows for v in r))
        extra: list[str] = []
        chosen = [n for n in wb.usable if test(wb.head(n, HEADER_SEARCH_ROWS))]
        left_out = list(wb.left_out)
        if not chosen and len(wb.usable) == 1:
            chosen = list(wb.usable)  # one sheet: its own header error says what is missing
        elif not chosen:
            msg = (
                f"no sheet has a {what} header in its first {HEADER_SEARCH_ROWS} rows; "
                f"sheets: {wb.usable or wb.names}; pick one with --sheet NAME (sheet=NAME)"
            )
            raise InputError(Problem(msg, file, field="sheet"))
        elif len(chosen) > 1 and sheet is None and first:
            extra, chosen = chosen[1:], chosen[:1]
            left_out.append(f"sheet(s) {extra} not read: the first sheet is the {what}")
        elif len(chosen) > 1 and sheet is None:
            msg = (
                f"{len(chosen)} sheets look like {what}s: {chosen}; choose one with "
                "--sheet NAME (sheet=NAME), or --sheet all to combine them"
            )
            raise InputError(Problem(msg, file, field="sheet"))
        skipped = [n for n in wb.usable if n not in chosen and n not in extra]
        if skipped:
            left_out.append(f"sheet(s) {skipped} hold no {what} header: left out")
    sheets = [wb.read(n) for n in chosen]
    sheets[0].notes[:0] = left_out
    return sheets


def find_header(
    rows: Sequence[Sequence[Any]],
    aliases: Mapping[str, Sequence[str]],
    required: Iterable[str],
) -> int | None:
    """The index of the first of the top rows that names every `required` column.

    Examples
    --------
    >>> find_header([["名册"], ["房号", "面积"]], {"unit_id": ("房号",)}, ["unit_id"])
    1
    """
    need = set(required)
    for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if need <= set(header_positions(r, aliases)):
            return i
    return None


def _typed(values: list[Any]) -> list[Any] | pd.Series:
    """A CSV column as read_csv would type it: numbers when every cell is one."""
    s = pd.Series(values, dtype=object)
    text = s.dropna()
    if len(text) and all(isinstance(v, str) for v in text):
        plain = text.str.strip().str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
        if plain.all():
            nums = pd.to_numeric(s)
            whole = nums.dropna()
            if (whole == whole.round()).all() and not text.str.contains(r"[.eE]").any():
                return nums.astype("Int64") if s.isna().any() else nums.astype("int64")
            return nums
    return s


def read_frame(
    source: bytes | str | Path,
    aliases: Mapping[str, Sequence[str]],
    *,
    name: str | None = None,
    required: Iterable[str] = (),
    text_columns: Iterable[str] = (),
    sheet: str | None = None,
    what: str = "table",
) -> pd.DataFrame:
    """A plain table (one header row, one record per row) as a frame of canonical columns.

    The header is the first of the top rows naming every `required` column (the
    first row with a value when none is required); its cells are matched to `aliases`
    by :func:`~costshare.tables.headers.header_positions`, other columns keep their
    own names. Blank rows are skipped; CSV numbers are typed as ``read_csv`` would,
    except in `text_columns` (ids such as ``007`` keep their zeros).

    Returns
    -------
    DataFrame
        ``attrs["rows"]``: each record's row number in the file; ``attrs["notes"]``:
        what was left out (hidden rows, columns, sheets) and which of two columns
        naming one field was used.

    Examples
    --------
    >>> df = read_frame("\\ufeff表决意见,房号\\n同意,007\\n".encode("utf-16"), {"unit_id": ("房号",),
    ...                 "vote": ("表决意见",)}, name="票.csv", text_columns=["unit_id"])
    >>> df.to_dict("list"), df.attrs["rows"]
    ({'vote': ['同意'], 'unit_id': ['007']}, [2])
    """
    data, file = file_bytes(source, name, "table.csv")
    need = list(required)

    def fits(rows: list[list[Any]]) -> bool:
        return find_header(rows, aliases, need) is not None if need else True

    # without required columns any sheet with values fits: the first one is read
    sh = read_sheets(data, file, sheet=sheet, fits=fits, what=what, first=not need)[0]
    rows = sh.cached_rows()
    at = find_header(rows, aliases, need) if need else None
    if at is None:
        at = next((i for i, r in enumerate(rows) if any(_filled(v) for v in r)), None)
    if at is None:
        raise InputError(Problem(f"the {what} is empty: expected a header row and rows", file))
    header = rows[at]
    if need and not set(need) <= set(header_positions(header, aliases)):
        missing = [c for c in need if c not in header_positions(header, aliases)]
        msg = f"missing column {missing[0]!r}: name it one of {list(aliases[missing[0]])[:4]}"
        raise InputError(Problem(msg, file, f"row {at + 1}", missing[0]))
    pos = header_positions(header, aliases)
    notes = list(sh.notes) + _alternatives_notes(header, aliases, pos)
    names: dict[int, str] = {p: c for c, p in pos.items()}
    for j, cell in enumerate(header):
        if j not in names and _filled(cell):
            names[j] = str(cell).strip().lstrip("\ufeff")
    seen: dict[str, int] = {}
    for j, n in sorted(names.items()):
        if n in seen:
            msg = f"column {n!r} appears twice (columns {seen[n] + 1} and {j + 1}); keep one"
            raise InputError(Problem(msg, file, f"row {at + 1}", n))
        seen[n] = j
    body = [(i, r) for i, r in enumerate(rows[at + 1 :], start=at + 2) if any(map(_filled, r))]
    text = set(text_columns)
    cols: dict[str, Any] = {}
    for j, n in sorted(names.items()):
        vals = [_cell(r[j]) if j < len(r) else None for _, r in body]
        if n in text:  # a number typed in an id column is its text: 7.0 → "7"
            vals = [v if v is None or isinstance(v, str) else clean_text(v) for v in vals]
            cols[n] = pd.Series(vals, dtype=object)
        else:
            cols[n] = _typed(vals)
    df = pd.DataFrame(cols, index=pd.RangeIndex(len(body)))
    df.attrs["rows"] = [i for i, _ in body]
    df.attrs["notes"] = notes
    return df


def _filled(v: Any) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _cell(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def _alternatives_notes(
    header: Sequence[Any], aliases: Mapping[str, Sequence[str]], pos: Mapping[str, int]
) -> list[str]:
    """A note for each field named by two columns: the one used and why."""
    out = []
    for col, others in alternatives(header, aliases).items():
        used = str(header[pos[col]]).strip()
        rest = ", ".join(repr(str(header[p]).strip()) for p in others)
        out.append(
            f"{col}: column {used!r} used, {rest} not (the header listed first for "
            f"{col} wins: {', '.join(list(aliases[col])[:4])}...)"
        )
    return out
