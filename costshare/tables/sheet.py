"""A sheet of cells as the clerk sees it, the size limits and the file types read.

Shared by the CSV reader (:mod:`.delimited`), the workbook reader (:mod:`.workbook`)
and the table reader built on them (:mod:`.read`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from costshare.errors import InputError, Problem
from costshare.limits import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "TABLE_SUFFIXES",
    "Sheet",
    "is_void_name",
    "row_ranges",
    "suffix_of",
]

MAX_ROWS = MAX_TABLE_ROWS + 10
"""Most rows a sheet may have (households plus a few title and header rows)."""
MAX_COLUMNS = MAX_TABLE_COLUMNS
"""Widest sheet read; a sheet with values further right is refused."""
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")
"""File types read."""
_REFUSED = {
    ".xls": "an old .xls workbook",
    ".et": "a WPS .et workbook",
    ".ods": "an OpenDocument .ods spreadsheet",
    ".numbers": "an Apple Numbers file",
    ".xlsb": "a binary .xlsb workbook",
}
_VOID = re.compile(
    r"作废|废弃|废止|无效|删除|备份|旧版|void|obsolete|deleted|\bold\b|backup", re.IGNORECASE
)


def is_void_name(name: str) -> bool:
    """True for a sheet name that says its content does not count (作废, void, 备份...).

    Examples
    --------
    >>> [is_void_name(n) for n in ("名册", "作废", "Sheet1(void)", "备份-2023", "Golden")]
    [False, True, True, True, False]
    """
    return bool(_VOID.search(name))


@dataclass
class Sheet:
    """The cells of one sheet (or CSV file) as the clerk sees them.

    ``rows[i]`` is spreadsheet row ``i + 1`` (CSV: record ``i + 1``); a row left out
    (hidden, filtered) is an empty list and a hidden column's cells are ``None``, so
    row numbers stay those the clerk sees. ``cached`` holds the value Excel cached for
    each formula cell; ``notes`` says what was left out and how many.
    """

    name: str
    rows: list[list[Any]]
    merged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    cached: dict[tuple[int, int], Any] = field(default_factory=dict)
    decimal_comma: bool = False

    def cached_rows(self) -> list[list[Any]]:
        """`rows` with each formula replaced by the value Excel cached (None if none).

        Examples
        --------
        >>> Sheet("s", [["=1+1", 3]], cached={(0, 0): 2}).cached_rows()
        [[2, 3]]
        """
        out = [list(r) for r in self.rows]
        for (i, j), v in self.cached.items():
            out[i][j] = v
        return out


def suffix_of(name: str) -> str:
    """The lower-case suffix of `name`, refused unless it is a table type read here.

    Examples
    --------
    >>> suffix_of("名册.XLSX")
    '.xlsx'
    >>> suffix_of("r.xls")
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: r.xls: an old .xls workbook is not read; open it in Excel or WPS and save as .xlsx (or CSV)
    """
    suffix = Path(name).suffix.lower()
    if suffix in _REFUSED:
        msg = f"{_REFUSED[suffix]} is not read; open it in Excel or WPS and save as .xlsx (or CSV)"
        raise InputError(Problem(msg, file=name))
    if suffix not in TABLE_SUFFIXES:
        msg = f"unsupported file type {suffix!r}: give an .xlsx or .csv table"
        raise InputError(Problem(msg, file=name))
    return suffix


def row_ranges(nums: list[int]) -> str:
    """Row numbers as ranges: ``[3, 4, 5, 9]`` → ``'3-5, 9'`` (at most 8 ranges shown).

    Examples
    --------
    >>> row_ranges([9, 3, 4, 5]), row_ranges(list(range(1, 40, 2)))
    ('3-5, 9', '1, 3, 5, 7, 9, 11, 13, 15, ...')
    """
    parts: list[list[int]] = []
    for n in sorted(nums):
        if parts and parts[-1][1] == n - 1:
            parts[-1][1] = n
        else:
            parts.append([n, n])
    text = [f"{a}" if a == b else f"{a}-{b}" for a, b in parts[:8]]
    return ", ".join(text) + (", ..." if len(parts) > 8 else "")
