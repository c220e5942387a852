"""Community tables: the one CSV/XLSX reader of the portfolio side, and row validation.

:func:`read_table` reads a CSV or XLSX table from a path or from bytes into a DataFrame
(through the one table reader, :mod:`costshare.tables.read`); :func:`normalize` checks
a portfolio's community table (known columns, unique ids, non-negative numbers, one
residents' basis per row) and :func:`rows_of` hands its numeric columns to the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from costshare.community.engine import BASES, CHANNEL_COLUMNS, Rows
from costshare.errors import InputError, Problem
from costshare.money import MAX_FEN
from costshare.tables.read import read_frame

__all__ = ["NUMERIC", "RESIDENT_COLUMNS", "TEXT", "normalize", "read_table", "rows_of"]

TEXT = ("id", "name", "district", "template", "jurisdiction")
"""Text columns of a community table."""
RESIDENT_COLUMNS = tuple(f"residents_{b}" for b in BASES)
"""The residents' basis columns; a row gives at most one."""
NUMERIC = (
    "households",
    "area_m2",
    "cost",
    "cost_scale",
    "funding_scale",
    "fund_balance",
    *CHANNEL_COLUMNS.values(),
    *RESIDENT_COLUMNS,
)
"""Numeric columns of a community table (besides ``other:<name>``)."""


def read_table(
    source: str | Path | bytes, *, name: str | None = None, text_columns: Iterable[str] = ()
) -> pd.DataFrame:
    """Read a CSV or XLSX table from a path or from bytes (the one table reader).

    Parameters
    ----------
    source : str, Path or bytes
        The file, or its content.
    name : str, optional
        File name for messages and, with bytes, for the suffix (``.csv``, ``.xlsx``).
    text_columns : iterable of str
        Columns kept as text (ids like ``007`` keep their zeros).

    Returns
    -------
    DataFrame
        The first row with values is the header; ``attrs["notes"]`` says what the
        reader left out (hidden rows, columns and sheets) and ``attrs["rows"]`` gives
        each record's row in the file.

    Raises
    ------
    InputError
        Missing file, unknown suffix, or content that is not a readable table.

    Notes
    -----
    Decoding, separators, quoting and what of a workbook is read are those of
    :func:`costshare.tables.read.read_sheets`.

    Examples
    --------
    >>> df = read_table(b"id,households\\n007,12\\n", name="c.csv", text_columns=["id"])
    >>> df["id"].tolist(), df["households"].tolist()
    (['007'], [12])
    """
    return read_frame(source, {}, name=name, text_columns=text_columns)


def _text(col: pd.Series) -> pd.Series:
    s = col.astype(object).where(col.notna(), "")
    return s.astype(str).str.strip().astype(object)


_LIMITS = {"households": 1e7, "area_m2": 1e9, "cost_scale": 1e3, "funding_scale": 1e3}
"""Largest plausible value of the numeric columns that are not yuan."""


def normalize(
    table: pd.DataFrame, file: str, missing: dict[str, np.ndarray] | None = None
) -> pd.DataFrame:
    """Known columns only, text as str, numbers as float (NaN = not given); ids unique.

    `missing` marks, per column, the cells that were absent (a YAML row without the
    key); any other NaN was typed (``.nan``) and is refused, as is inf.

    Examples
    --------
    >>> df = normalize(pd.DataFrame({"households": ["12"], "cost": [" 1,0"]}), "t.csv")
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: t.csv, community 'C0001', field 'cost': must be a non-negative number, got ' 1,0'
    """
    df = table.copy().reset_index(drop=True)
    df.columns = [str(c).strip() for c in df.columns]
    known = set(TEXT) | set(NUMERIC)
    unknown = [c for c in df.columns if c not in known and not c.startswith("other:")]
    if unknown:
        msg = f"unknown column(s) {unknown}; see costshare.community.portfolio for the allowed ones"
        raise InputError(Problem(msg, file=file))
    if len(df) == 0:
        raise InputError(Problem("the portfolio has no communities", file=file))
    if "id" not in df.columns:
        df["id"] = [f"C{i + 1:04d}" for i in range(len(df))]
    for c in TEXT:
        df[c] = _text(df[c]) if c in df.columns else pd.Series([""] * len(df), dtype=object)
    df["name"] = df["name"].where(df["name"] != "", df["id"])
    problems: list[Problem] = []
    dup = df["id"][df["id"].duplicated()].unique().tolist()
    if dup:
        problems.append(Problem(f"duplicate community id(s) {dup}", file=file, field="id"))

    def bad_rows(mask: pd.Series | np.ndarray, field: str, msg: str) -> None:
        for i in np.flatnonzero(np.asarray(mask))[:5]:
            problems.append(Problem(msg, file, f"community {df['id'].iloc[i]!r}", field))

    missing = dict(missing or {})
    for c in [c for c in df.columns if c in NUMERIC or c.startswith("other:")]:
        raw = df[c]
        if c not in missing:  # a float NaN from a table reader is an empty cell
            missing[c] = raw.isna().to_numpy()
        conv = raw if raw.dtype.kind == "f" else pd.to_numeric(raw, errors="coerce")
        conv = conv.astype(np.float64)
        bad = (conv.isna() & raw.notna() & (raw.astype(str).str.strip() != "")) | (conv < 0)
        nan_typed = raw.map(lambda v: isinstance(v, float) and v != v).to_numpy() & ~missing[c]
        bad |= np.isinf(conv) | nan_typed
        for i in np.flatnonzero(bad.to_numpy())[:5]:
            msg = f"must be a non-negative number, got {str(raw.iloc[i])[:40]!r}"
            problems.append(Problem(msg, file, f"community {df['id'].iloc[i]!r}", c))
        limit = _LIMITS.get(c, MAX_FEN / 100)
        for i in np.flatnonzero((conv > limit).to_numpy() & ~bad.to_numpy())[:5]:
            msg = f"must be at most {limit:g}" + (
                "" if c in _LIMITS else " yuan (the exact range ±MAX_FEN = 9×10^15 fen)"
            )
            problems.append(Problem(msg, file, f"community {df['id'].iloc[i]!r}", c))
        df[c] = conv
    res_cols = [c for c in RESIDENT_COLUMNS if c in df.columns]
    if res_cols:
        many = df[res_cols].notna().sum(axis=1) > 1
        bad_rows(many, "residents", f"give at most one of {list(RESIDENT_COLUMNS)}")
    if "households" in df.columns:
        hh = df["households"]
        bad = hh.notna() & ((hh <= 0) | (hh != np.floor(hh)))
        bad_rows(bad, "households", "households must be a whole number > 0")
    if "area_m2" in df.columns:
        bad_rows(df["area_m2"] <= 0, "area_m2", "area must be > 0")
    if problems:
        raise InputError(problems)
    return df


def rows_of(df: pd.DataFrame) -> Rows:
    """The engine's view of (a group of) a normalized table: ids and numeric columns.

    Examples
    --------
    >>> rows = rows_of(normalize(pd.DataFrame({"households": [3], "cost": ["12.5"]}), "t"))
    >>> rows.ids.tolist(), rows.col("cost").tolist(), rows.col("area_m2").tolist()
    (['C0001'], [12.5], [nan])
    """
    cols = {
        c: df[c].to_numpy(dtype=np.float64)
        for c in df.columns
        if c in NUMERIC or c.startswith("other:")
    }
    return Rows(ids=df["id"].to_numpy(dtype=object), columns=cols)
