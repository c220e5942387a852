"""Exact money: integer fen inside, ``Decimal`` yuan at the edges.

Every amount in costshare is held as an integer number of fen (0.01 yuan). Inputs in
yuan (``int``, ``str``, ``Decimal`` or ``float``) are converted once with
:func:`to_fen`; scalar results are returned as ``Decimal`` yuan quantized to 0.01 by
:func:`to_yuan`. Splitting an amount among payers or households always goes through
:func:`allocate`, so every split in the package adds up to the fen and follows the same
tie rule.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "CENT",
    "MAX_FEN",
    "allocate",
    "allocate_groups",
    "amount_fen",
    "format_amount",
    "half_up",
    "to_fen",
    "to_fen_array",
    "to_yuan",
    "yuan_text",
]

CENT = Decimal("0.01")
MAX_FEN = 9 * 10**15
"""Largest amount, in fen, that costshare computes exactly (±9×10^15 fen = 90 trillion yuan)."""
_UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
Unit = Literal["元", "万元", "亿元"]


def to_fen(x: int | str | Decimal | float) -> int:
    """Convert an amount in yuan to integer fen, rounding half-up.

    Parameters
    ----------
    x : int, str, Decimal or float
        Amount in yuan. Strings may carry thousands separators (``"1,234.56"``),
        surrounding spaces and a trailing ``元``. Floats are read by their shortest
        repr, so ``0.1`` means exactly one jiao.

    Returns
    -------
    int
        Amount in fen.

    Raises
    ------
    ValueError
        If `x` is NaN, infinite, a bool, or text that is not a number; the message
        names the value.

    Examples
    --------
    >>> to_fen("1,234.565")
    123457
    >>> to_fen(0.1)
    10
    """
    if isinstance(x, bool):
        msg = f"not an amount: {x!r} (a bool)"
        raise ValueError(msg)
    if isinstance(x, (int, np.integer)):
        return int(x) * 100
    if isinstance(x, (float, np.floating)):
        if not math.isfinite(x):
            msg = f"not a finite amount: {x!r}"
            raise ValueError(msg)
        d = Decimal(repr(float(x)))
    elif isinstance(x, Decimal):
        d = x
    elif isinstance(x, str):
        text = x.strip().replace(",", "").replace("，", "").removesuffix("元").strip()
        try:
            d = Decimal(text)
        except InvalidOperation:
            msg = f"not a number of yuan: {x!r}"
            raise ValueError(msg) from None
    else:
        msg = f"not an amount: {x!r} (type {type(x).__name__})"
        raise ValueError(msg)
    if not d.is_finite():
        msg = f"not a finite amount: {x!r}"
        raise ValueError(msg)
    return int((d * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def amount_fen(x: int | str | Decimal | float, field: str) -> int:
    """:func:`to_fen` for a user-supplied, non-negative amount; errors name the field.

    Examples
    --------
    >>> amount_fen("1,000", "total")
    100000
    """
    from costshare.errors import InputError, Problem  # errors has no imports of ours

    try:
        fen = to_fen(x)
    except ValueError as exc:
        raise InputError(Problem(str(exc), field=field)) from None
    if fen < 0:
        raise InputError(Problem(f"must not be negative, got {x!r}", field=field))
    return fen


def to_fen_array(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Convert a column of yuan amounts to an int64 array of fen, half-up.

    Numeric input is converted in one vectorized step (rounded to 1e-6 fen first so
    that ``1.005`` yuan, stored as 1.00499999…, still rounds up); anything else goes
    through :func:`to_fen` element by element.

    Examples
    --------
    >>> to_fen_array([1.005, 2, -0.015]).tolist()
    [101, 200, -2]
    """
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64) * 100
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            bad = arr[~np.isfinite(arr)][0]
            msg = f"not a finite amount: {bad!r}"
            raise ValueError(msg)
        scaled = np.round(arr * 100.0, 6)
        return (np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)).astype(np.int64)
    return np.fromiter((to_fen(v) for v in arr.ravel()), np.int64, arr.size).reshape(arr.shape)


def half_up(num: npt.ArrayLike, den: npt.ArrayLike) -> npt.NDArray[np.int64] | int:
    """``num / den`` rounded half away from zero, exactly, on integers.

    The one rounding of an exact rational in costshare: a fen amount times a ratio
    ``p/q`` is ``half_up(fen * p, q)``. Python ints give a Python int (any size); arrays
    give int64 (the caller keeps ``num`` below 2**63).

    Parameters
    ----------
    num : int or array_like of int
        Numerator.
    den : int or array_like of int
        Denominator, non-zero.

    Examples
    --------
    >>> half_up(5, 2), half_up(-5, 2), half_up(7, 3)
    (3, -3, 2)
    >>> half_up([1, 3, -3], 2).tolist()
    [1, 2, -2]
    """
    if isinstance(num, int) and isinstance(den, int):
        if den == 0:
            msg = "half_up: division by zero"
            raise ZeroDivisionError(msg)
        q, r = divmod(abs(num), abs(den))
        q += 2 * r >= abs(den)
        return q if (num >= 0) == (den > 0) else -q
    n = np.asarray(num, dtype=np.int64)
    d = np.asarray(den, dtype=np.int64)
    if (d == 0).any():
        msg = "half_up: division by zero"
        raise ZeroDivisionError(msg)
    an, ad = np.abs(n), np.abs(d)
    q, r = np.divmod(an, ad)
    q = q + (2 * r >= ad)
    return np.where((n >= 0) == (d > 0), q, -q).astype(np.int64)


def to_yuan(fen: int | np.integer) -> Decimal:
    """Return integer fen as ``Decimal`` yuan quantized to 0.01.

    Examples
    --------
    >>> to_yuan(123457)
    Decimal('1234.57')
    """
    return (Decimal(int(fen)) / 100).quantize(CENT)


def allocate(total_fen: int, weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Split `total_fen` in proportion to `weights`, exactly, by largest remainder.

    Each share first gets the floor of its exact quota ``total * w / sum(w)``; the fen
    left over go one each to the largest fractional remainders. **Tie rule:** equal
    remainders are served in index order (the lower index gets the fen first). A zero
    weight always gets 0. A negative total (a refund) is split as its absolute value
    and the signs mirrored, so refunds and charges round the same way.

    Parameters
    ----------
    total_fen : int
        Amount to split, in fen.
    weights : array_like of float, shape (n,)
        Non-negative weights; at least one must be positive.

    Returns
    -------
    ndarray of int64, shape (n,)
        Shares in fen; ``shares.sum() == total_fen`` always.

    Raises
    ------
    ValueError
        For empty, all-zero, negative, NaN or infinite weights.

    Notes
    -----
    Quotas are computed in float64. With ``|total| < 2**53`` fen (90 trillion yuan) each
    share is within one fen of its exact quota; the sum is exact by construction. The
    leftover fen are found with a partial partition (O(n)), not a full sort.

    Examples
    --------
    >>> allocate(100, [1, 1, 1]).tolist()
    [34, 33, 33]
    >>> allocate(-100, [1, 1, 1]).tolist()
    [-34, -33, -33]
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        msg = "weights must be a non-empty 1-D sequence"
        raise ValueError(msg)
    if not np.isfinite(w).all():
        msg = f"weights must be finite numbers; position {int(np.argmin(np.isfinite(w)))} is not"
        raise ValueError(msg)
    if (w < 0).any():
        msg = f"weights must be non-negative; position {int(np.argmax(w < 0))} is {w[w < 0][0]}"
        raise ValueError(msg)
    wsum = float(w.sum())
    if wsum <= 0:
        msg = "weights are all zero: nothing to allocate by"
        raise ValueError(msg)
    total = int(total_fen)
    if total < 0:
        return -allocate(-total, w)
    quota = (w / wsum) * total  # w / wsum <= 1: no overflow with tiny weights
    base = np.floor(quota)
    base[w == 0] = 0.0
    rem = quota - base
    rem[w == 0] = -1.0  # never receives a leftover fen
    shares = base.astype(np.int64)
    left = total - int(shares.sum())
    if left > 0:
        shares[_top(rem, left)] += 1
    elif left < 0:  # float quotas overshot by a fen or two: take back from the smallest
        order = np.argsort(rem, kind="stable")
        order = order[shares[order] > 0]
        shares[order[:-left]] -= 1
    return shares


def _top(rem: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.intp]:
    """Indices of the `k` largest values, ties taken in index order; O(n), no full sort."""
    if k >= rem.size:
        return np.arange(rem.size)
    cut = np.partition(rem, rem.size - k)[rem.size - k]  # the k-th largest value
    above = np.flatnonzero(rem > cut)
    level = np.flatnonzero(rem == cut)[: k - above.size]
    return np.concatenate([above, level])


def allocate_groups(
    totals_fen: npt.ArrayLike, groups: npt.ArrayLike, weights: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Split many totals at once, each among its own group, by largest remainder.

    The vectorized form of :func:`allocate` for a stairwell per elevator, a community per
    budget, a province of communities: row ``i`` belongs to group ``groups[i]`` and gets a
    share of ``totals_fen[groups[i]]`` in proportion to ``weights[i]`` within its group.
    Same tie rule as :func:`allocate` (lower row index first), same sign mirroring.

    Parameters
    ----------
    totals_fen : array_like of int, shape (g,)
        Amount per group, in fen.
    groups : array_like of int, shape (n,)
        Group index of each row, in ``0 .. g-1``.
    weights : array_like of float, shape (n,)
        Non-negative weights; each group with a non-zero total needs a positive one.

    Returns
    -------
    ndarray of int64, shape (n,)
        Shares; within each group they add up exactly to its total.

    Examples
    --------
    >>> allocate_groups([100, 10], [0, 0, 0, 1, 1], [1, 1, 1, 1, 3]).tolist()
    [34, 33, 33, 3, 7]
    """
    totals = np.asarray(totals_fen, dtype=np.int64)
    g = np.asarray(groups, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    if g.shape != w.shape or g.ndim != 1:
        msg = "groups and weights must be 1-D arrays of the same length"
        raise ValueError(msg)
    if g.size and (g.min() < 0 or g.max() >= totals.size):
        msg = f"group indices must lie in 0..{totals.size - 1}"
        raise ValueError(msg)
    if not np.isfinite(w).all() or (w < 0).any():
        msg = "weights must be finite and non-negative"
        raise ValueError(msg)
    wsum = np.bincount(g, weights=w, minlength=totals.size)
    empty = (wsum <= 0) & (totals != 0)
    if empty.any():
        msg = f"group {int(np.argmax(empty))} has an amount to share but no positive weight"
        raise ValueError(msg)
    sign = np.where(totals < 0, -1, 1)
    absolute = np.abs(totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(wsum[g] > 0, w / wsum[g], 0.0)
    quota = frac * absolute[g]
    base = np.floor(quota)
    rem = np.where(w > 0, quota - base, -1.0)
    shares = base.astype(np.int64)
    left = absolute - np.bincount(g, weights=shares, minlength=totals.size).astype(np.int64)
    # rank rows within their group by remainder (desc), ties by row index (asc)
    order = np.lexsort((np.arange(g.size), -rem, g))
    starts = np.searchsorted(g[order], np.arange(totals.size))
    rank = np.empty(g.size, dtype=np.int64)
    rank[order] = np.arange(g.size) - starts[g[order]]
    shares += (rank < left[g]) & (left[g] > 0)
    return shares * sign[g]


def yuan_text(fen: npt.ArrayLike, *, thousands: bool = True) -> list[str]:
    """Fen as exact yuan text, ``"1,234.56"`` (or ``"1234.56"``), for a whole column.

    Examples
    --------
    >>> yuan_text([123456, -5, 0]), yuan_text([123456], thousands=False)
    (['1,234.56', '-0.05', '0.00'], ['1234.56'])
    """
    sep = "," if thousands else ""
    return [
        f"{'-' if v < 0 else ''}{abs(v) // 100:{sep}}.{abs(v) % 100:02d}"
        for v in np.asarray(fen, dtype=np.int64).tolist()
    ]


def format_amount(fen: int, unit: Unit = "元", decimals: int = 2) -> str:
    """Format fen for display in 元, 万元 or 亿元 with thousands separators.

    Examples
    --------
    >>> format_amount(123456789)
    '1,234,567.89 元'
    >>> format_amount(28_000_000_000, "亿元")
    '2.80 亿元'
    >>> format_amount(15_300_000_000, "万元")
    '15,300.00 万元'
    """
    if unit not in _UNITS:
        msg = f"unit must be one of {list(_UNITS)}, got {unit!r}"
        raise ValueError(msg)
    value = Decimal(int(fen)) / 100 / _UNITS[unit]
    q = Decimal(1).scaleb(-decimals)
    return f"{value.quantize(q, rounding=ROUND_HALF_UP):,} {unit}"
