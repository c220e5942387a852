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
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.community.plan_criteria import Criteria, Criterion
from costshare.errors import InputError, Problem
from costshare.money import ratio
from costshare.tables.headers import rename_columns

__all__ = ["CANDIDATE_HEADERS", "CANDIDATE_TEXT", "candidate_columns", "exact_number", "score"]

_MAX_PROBLEMS = 20
_TWO_52 = float(2**52)


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
    r = _ratio(value)
    return None if r is None else Fraction(*r)


def _ratio(value: Any) -> tuple[int, int] | None:
    """(numerator, denominator > 0) of :func:`exact_number` (money's one reader), or None."""
    if isinstance(value, (bool, np.bool_)):
        return int(value), 1
    try:
        return ratio(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Column:
    """A column of exact numbers over one denominator: value i is ``num[i] / den``."""

    num: list[int]
    den: int

    def over(self, den: int) -> list[int]:
        """Numerators over `den` (a multiple of ``self.den``)."""
        k = den // self.den
        return self.num if k == 1 else [n * k for n in self.num]


def _decimal_floats(x: npt.NDArray[np.float64]) -> _Column | None:
    """A float column as k-decimal numerators in one vectorized step, when unambiguous.

    Finds the fewest decimals k (≤ 15) at which every value is the float nearest to
    ``round(x·10^k) / 10^k``. While ``max|x|·10^k < 2^52`` two k-decimal numbers are
    farther apart than a float's spacing, so at most one rounds to each value: it is the
    number the value's shortest repr shows (what :func:`exact_number` reads). None when
    there is no such k; the caller then reads cell by cell.

    Examples
    --------
    >>> col = _decimal_floats(np.array([0.1, 2.5, 1980.0]))
    >>> col.num, col.den
    ([1, 25, 19800], 10)
    >>> _decimal_floats(np.array([1 / 3])) is None
    True
    """
    if len(x) == 0 or not np.isfinite(x).all():
        return None
    top = float(np.abs(x).max())
    for k in range(16):
        scale = 10.0**k
        if top * scale >= _TWO_52:
            return None
        m = np.round(x * scale)
        if (m / scale == x).all():  # IEEE division: the float nearest to m / 10^k
            return _Column(m.astype(np.int64).tolist(), 10**k)
    return None


def _numeric(df: pd.DataFrame, cols: list[str], ids: pd.Series) -> dict[str, _Column]:
    """Criterion columns as exact numbers; every missing or non-numeric cell is a problem."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = f"missing column(s) {missing}; found {list(df.columns)}"
        raise InputError(Problem(msg, "candidates", field=missing[0]))
    problems: list[Problem] = []
    out: dict[str, _Column] = {}
    for col in cols:
        raw = df[col]
        if raw.dtype.kind in "iub":  # whole numbers: nothing to read
            out[col] = _Column([int(v) for v in raw.tolist()], 1)
            continue
        fast = _decimal_floats(raw.to_numpy()) if raw.dtype.kind == "f" else None
        if fast is not None:
            out[col] = fast
            continue
        ratios = [_ratio(v) for v in raw.tolist()]
        problems.extend(
            Problem(
                f"not a number: {raw.iloc[i]!r}", "candidates", f"row {i + 1} ({ids.iloc[i]})", col
            )
            for i, r in enumerate(ratios)
            if r is None
        )
        if not problems:
            den = math.lcm(*{d for _, d in ratios})  # type: ignore[misc]
            out[col] = _Column([n * (den // d) for n, d in ratios], den)  # type: ignore[misc]
    if "built_year" in out:  # a year, not a phone or ID number typed in the wrong column
        y = out["built_year"]
        problems.extend(
            Problem(
                "expected a year such as 1988 (1800 to 2100)",
                "candidates",
                f"row {i + 1} ({ids.iloc[i]})",
                "built_year",
            )
            for i, n in enumerate(y.num)
            if not 1800 * y.den <= n <= 2100 * y.den
        )
    if problems:
        raise InputError(problems[:_MAX_PROBLEMS], more=max(0, len(problems) - _MAX_PROBLEMS))
    return out


def _scale(x: _Column, c: Criterion) -> tuple[list[int], int]:
    """A criterion's column scaled to [0, 1] exactly, as numerators ``a`` over ``d`` > 0.

    1 (``a == d``) is the most deserving.
    """
    num = x.num
    lo, hi = min(num), max(num)
    if c.method == "minmax":
        a, d = [n - lo for n in num], hi - lo
    elif c.method == "max":
        if lo < 0:
            msg = f"method 'max' needs values ≥ 0 in {c.column!r}"
            raise InputError(Problem(msg, "candidates", field=c.column))
        a, d = list(num), hi
    else:
        b_lo, b_hi = Fraction(c.lo), Fraction(c.hi)  # type: ignore[arg-type]  # by Criterion
        den = math.lcm(x.den, b_lo.denominator, b_hi.denominator)
        lo_n, hi_n = int(b_lo * den), int(b_hi * den)
        a, d = [min(hi_n - lo_n, max(0, n - lo_n)) for n in x.over(den)], hi_n - lo_n
    if d == 0:  # all equal (minmax): nobody earns points; all zero (max): scaled 0
        if c.method == "minmax":
            return [0] * len(num), 1
        a, d = [0] * len(num), 1
    if c.direction == "lower":
        a = [d - v for v in a]
    return a, d


def _gates(crit: Criteria, cols: dict[str, _Column], n: int) -> tuple[list[bool], list[str]]:
    """Whether each candidate passes every gate, and the failed gates as text."""
    ok, why = [True] * n, [""] * n
    for g in crit.gates:
        bound = ", ".join(
            t
            for t in (
                f"≥ {g.min}" if g.min is not None else "",
                f"≤ {g.max}" if g.max is not None else "",
            )
            if t
        )
        text = f"{g.label} {bound}"  # the file's own words and a bound: no language of ours
        x = cols[g.column]
        fail = [False] * n
        for limit, sign in ((g.min, -1), (g.max, 1)):
            if limit is not None:
                f = Fraction(limit)
                den = math.lcm(x.den, f.denominator)
                bar = int(f * den)  # exact: den is a multiple of f's denominator
                fail = [b or (v - bar) * sign > 0 for b, v in zip(fail, x.over(den), strict=True)]
        for i in (i for i, b in enumerate(fail) if b):
            ok[i] = False
            why[i] = f"{why[i]}; {text}" if why[i] else text
    return ok, why


CANDIDATE_HEADERS: dict[str, tuple[str, ...]] = {
    "community_id": ("小区编号", "小区", "小区名称", "项目编号", "community_id", "id"),
    "district": ("区", "区县", "所在区", "行政区", "district"),
    "cost": ("投资", "投资额", "改造投资", "估算投资", "cost"),
    "built_year": ("建成年份", "建成年代", "built_year"),
    "facility_gaps": ("配套设施短板", "设施短板", "设施缺项数", "facility_gaps"),
    "safety_hazards": ("安全隐患", "安全隐患项数", "safety_hazards"),
    "support_share": ("同意比例", "居民同意比例", "改造意愿", "support_share"),
    "self_raise_share": ("自筹比例", "居民自筹比例", "出资意愿", "self_raise_share"),
    "management": ("长效管理", "长效管理机制", "management"),
}
"""Header aliases of the candidate table (first: the Chinese header the page and exports
show). Matched by the one header matcher (:mod:`costshare.tables.headers`): case, spaces
and a unit in brackets ignored."""
CANDIDATE_TEXT = CANDIDATE_HEADERS["community_id"] + CANDIDATE_HEADERS["district"]
"""Headers read as text (ids such as ``007`` keep their zeros)."""


def candidate_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The candidate table with its headers renamed to the canonical columns.

    Raises
    ------
    InputError
        Two headers naming the same column (e.g. 区 and district).

    Examples
    --------
    >>> candidate_columns(pd.DataFrame(columns=["小区编号", "区县", "投资（元）", "x"])).columns.tolist()
    ['community_id', 'district', 'cost', 'x']
    """
    names, many = rename_columns(list(df.columns), CANDIDATE_HEADERS, strict=True)
    dup = sorted({str(n) for n in names if names.count(n) > 1} | set(many))
    if dup:
        msg = f"two headers name the same column {dup}"
        raise InputError(Problem(msg, "candidates", field=dup[0]))
    return df.set_axis(names, axis=1)


def score(
    candidates: pd.DataFrame, criteria: Criteria, *, id_column: str = "community_id"
) -> pd.DataFrame:
    """Score and rank candidate communities on weighted criteria.

    Parameters
    ----------
    candidates : DataFrame, one row per community
        ``community_id`` (or `id_column`) and one numeric column per criterion and gate
        (Chinese headers accepted: :data:`CANDIDATE_HEADERS`)
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
    candidates = candidate_columns(candidates)
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

    # score = 100 · Σ uⱼ·aⱼ/dⱼ / U with integer weights uⱼ (U = Σ uⱼ) and sⱼ = aⱼ/dⱼ;
    # compared as the integer Σ uⱼ·aⱼ·(L/dⱼ), L = lcm(dⱼ): exact, no rounding anywhere.
    wts = [Fraction(c.weight) for c in criteria.criteria]
    wden = math.lcm(*(w.denominator for w in wts))
    units = [int(w * wden) for w in wts]
    scaled = [_scale(cols[c.column], c) for c in criteria.criteria]
    big_l = math.lcm(*(d for _, d in scaled))
    total_u = sum(units)
    exact = [0] * len(df)
    for c, u, (a, d) in zip(criteria.criteria, units, scaled, strict=True):
        k = u * (big_l // d)
        exact = [e + k * v for e, v in zip(exact, a, strict=True)]
        df[f"pts_{c.id}"] = [100 * u * v / (d * total_u) for v in a]  # int/int: nearest float
    df["score"] = [100 * e / (big_l * total_u) for e in exact]
    df["eligible"], df["gate"] = _gates(criteria, cols, len(df))

    key = ids.tolist()
    order = sorted(range(len(df)), key=lambda i: (-exact[i], key[i]))
    df = df.iloc[order].reset_index(drop=True)
    df["rank"] = np.arange(1, len(df) + 1)
    df.attrs["criteria"] = criteria
    df.attrs["id_column"] = id_column
    return df
