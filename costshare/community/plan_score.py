"""Scoring and ranking candidate communities on a loaded sheet (量化计分、排序), exactly.

Every criterion value is read as the number a person typed (a float through its shortest
repr, so ``0.3`` is 3/10; text such as ``"0.3"`` the same), scaled and weighted in exact
rational arithmetic (:class:`fractions.Fraction`), so two candidates whose scores are
equal on paper are equal here, and the tie rule (id order) decides, never float noise.
The sheet comes from the caller (:func:`costshare.community.plan_criteria.load_criteria`);
this module reads no file.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from costshare.community.plan_criteria import Criteria, Criterion
from costshare.errors import InputError, Problem

__all__ = ["exact_number", "score"]

_MAX_PROBLEMS = 20


def exact_number(value: Any) -> Fraction | None:
    """A cell as the exact number it was typed as, or None if it is not a finite number.

    Integers and bools are whole numbers, floats are read through their shortest repr,
    ``Decimal`` and numeric text exactly.

    Examples
    --------
    >>> exact_number(0.1), exact_number(" 2.50 "), exact_number(True), exact_number("many")
    (Fraction(1, 10), Fraction(5, 2), Fraction(1, 1), None)
    >>> exact_number(0.1 + 0.2) == Fraction(3, 10)
    False
    """
    if isinstance(value, (bool, np.bool_, int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        return Fraction(repr(float(value))) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return None
    if isinstance(value, Decimal):
        return Fraction(value) if value.is_finite() else None
    return None


def _numeric(df: pd.DataFrame, cols: list[str], ids: pd.Series) -> dict[str, list[Fraction]]:
    """Criterion columns as exact numbers; every missing or non-numeric cell is a problem."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = f"missing column(s) {missing}; found {list(df.columns)}"
        raise InputError(Problem(msg, "candidates", field=missing[0]))
    problems: list[Problem] = []
    out: dict[str, list[Fraction]] = {}
    for col in cols:
        values = [exact_number(v) for v in df[col].tolist()]
        problems.extend(
            Problem(
                f"not a number: {df[col].iloc[i]!r}",
                "candidates",
                f"row {i + 1} ({ids.iloc[i]})",
                col,
            )
            for i, v in enumerate(values)
            if v is None
        )
        out[col] = values  # type: ignore[assignment]  # None only when problems are raised
    if problems:
        raise InputError(problems[:_MAX_PROBLEMS], more=max(0, len(problems) - _MAX_PROBLEMS))
    return out


def _scale(x: list[Fraction], c: Criterion) -> list[Fraction]:
    """A criterion's column scaled to [0, 1] exactly, 1 being the most deserving."""
    zero, one = Fraction(0), Fraction(1)
    lo, hi = min(x), max(x)
    if c.method == "minmax":
        s = [(v - lo) / (hi - lo) for v in x] if hi > lo else [zero] * len(x)
    elif c.method == "max":
        if lo < 0:
            msg = f"method 'max' needs values ≥ 0 in {c.column!r}"
            raise InputError(Problem(msg, "candidates", field=c.column))
        s = [v / hi for v in x] if hi > 0 else [zero] * len(x)
    else:
        a, b = Fraction(c.lo), Fraction(c.hi)  # type: ignore[arg-type]  # checked by Criterion
        s = [min(one, max(zero, (v - a) / (b - a))) for v in x]
    if c.direction == "lower" and not (c.method == "minmax" and hi == lo):
        s = [one - v for v in s]
    return s


def _gates(crit: Criteria, cols: dict[str, list[Fraction]], n: int) -> tuple[list[bool], list[str]]:
    """Whether each candidate passes every gate, and the failed gates as text."""
    ok, why = [True] * n, [""] * n
    for g in crit.gates:
        bound = " and ".join(
            t
            for t in (
                f"≥ {g.min}" if g.min is not None else "",
                f"≤ {g.max}" if g.max is not None else "",
            )
            if t
        )
        text = f"{g.label}: {g.column} must be {bound}"
        lo = Fraction(g.min) if g.min is not None else None
        hi = Fraction(g.max) if g.max is not None else None
        for i, v in enumerate(cols[g.column]):
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                ok[i] = False
                why[i] = f"{why[i]}; {text}" if why[i] else text
    return ok, why


def score(
    candidates: pd.DataFrame, criteria: Criteria, *, id_column: str = "community_id"
) -> pd.DataFrame:
    """Score and rank candidate communities on weighted criteria.

    Parameters
    ----------
    candidates : DataFrame, one row per community
        ``community_id`` (or `id_column`) and one numeric column per criterion and gate
        (bundled sheet: ``built_year``, ``facility_gaps``, ``safety_hazards``,
        ``support_share``, ``self_raise_share``, ``management``). Other columns, such
        as ``district`` and ``cost``, are carried through.
    criteria : Criteria
        The scoring sheet, loaded by the caller
        (:func:`~costshare.community.plan_criteria.load_criteria`).
    id_column : str, default "community_id"

    Returns
    -------
    DataFrame
        The candidates sorted by rank, with ``pts_<criterion>`` (points earned),
        ``score`` (0–100), ``rank`` (1 = best, unique), ``eligible`` and ``gate``
        (the failed gates, as text). ``score`` and the points are shown as the floats
        nearest to the exact values; the ranking uses the exact values.

    Notes
    -----
    score = 100 · Σ wᵢ · sᵢ / Σ wᵢ with sᵢ ∈ [0, 1] the scaled criterion
    (see :class:`~costshare.community.plan_criteria.Criterion`), computed in exact
    rationals. **Tie rule:** candidates with exactly equal scores are ranked by id in
    ascending text (code-point) order.

    References
    ----------
    Seed 002 line 14 (Ningbo: 量化计分、排序，将得分高的小区优先纳入年度改造计划).

    Examples
    --------
    Two criteria of equal weight; B is newer but has more shortfalls.

    >>> from costshare.community.plan_criteria import load_criteria
    >>> crit = load_criteria({"source": {"document": "d", "issuer": "i", "article": "a",
    ...     "date": "2021-12-01"}, "confidence": "S", "criteria": [
    ...     {"id": "age", "label": "age", "column": "built_year", "direction": "lower", "weight": 1},
    ...     {"id": "gaps", "label": "gaps", "column": "gaps", "method": "max", "weight": 1}]})
    >>> df = pd.DataFrame({"community_id": ["A", "B"], "built_year": [1980, 1990], "gaps": [1, 4]})
    >>> score(df, crit)[["community_id", "score", "rank"]].values.tolist()
    [['A', 62.5, 1], ['B', 50.0, 2]]
    """
    if not isinstance(criteria, Criteria):
        msg = "criteria must be a loaded Criteria (see plan_criteria.load_criteria)"
        raise TypeError(msg)
    if id_column not in candidates.columns:
        msg = f"missing column {id_column!r}; found {list(candidates.columns)}"
        raise InputError(Problem(msg, "candidates", field=id_column))
    if candidates.empty:
        raise InputError(Problem("no candidates to score", "candidates"))
    df = candidates.reset_index(drop=True).copy()
    ids = df[id_column].astype(str).str.strip()
    dup = ids[ids.duplicated()].unique().tolist()
    if dup:
        msg = f"duplicate id(s) {dup[:_MAX_PROBLEMS]}"
        raise InputError(Problem(msg, "candidates", field=id_column))
    cols = _numeric(df, criteria.columns, ids)

    weights = [Fraction(c.weight) for c in criteria.criteria]
    per_weight = Fraction(100) / sum(weights)
    total = [Fraction(0)] * len(df)
    for c, w in zip(criteria.criteria, weights, strict=True):
        pts = [per_weight * w * s for s in _scale(cols[c.column], c)]
        total = [t + p for t, p in zip(total, pts, strict=True)]
        df[f"pts_{c.id}"] = [float(p) for p in pts]
    df["score"] = [float(t) for t in total]
    df["eligible"], df["gate"] = _gates(criteria, cols, len(df))

    key = ids.tolist()
    order = sorted(range(len(df)), key=lambda i: (-total[i], key[i]))
    df = df.iloc[order].reset_index(drop=True)
    df["rank"] = np.arange(1, len(df) + 1)
    df.attrs["criteria"] = criteria
    df.attrs["id_column"] = id_column
    return df
