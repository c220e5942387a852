"""Exact int64 floors and remainders, and the allocator for many rows over few values.

A roster's weights repeat: two-decimal areas from 40.00 to 120.00 m² are at most 8,001
numerators, however many households carry them. A share's floor and remainder depend on
its numerator only, so :func:`one_counted` computes them once per distinct value (one
``bincount``), ranks the values by remainder weighted by how many rows carry each, and
gives every row its share by one table lookup. Rows whose remainder equals the cut's
take the last fen in index order: the allocator's tie rule, unchanged.

:func:`floors_into` and :func:`remainders_into` are the exact int64 steps shared with
:func:`costshare.money._exact.one_int` (the general path for wide or distinct weights).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["counted_fits", "floors_into", "one_counted", "remainders_into"]

I64 = np.int64
_MAX_VALUES = 1 << 18  # a table of 2 MB: beyond it the blocked path of one_int wins


def floors_into(src, q: float, T: int, est, out) -> None:
    """``floor(src × q)`` into the int64 `out` (within a few of the exact floor).

    Examples
    --------
    >>> out = np.empty(2, np.int64)
    >>> floors_into(np.array([1.0, 2.0]), 2.5, 5, np.empty(2), out)
    >>> out.tolist()
    [2, 5]
    """
    e = np.multiply(src, q, out=est)
    np.floor(e, out=e)
    if T < 2**52:  # whole floats below 2**52 as int64 by their bits (astype is slow)
        e += 2.0**52
        np.subtract(e.view(I64), 0x4330000000000000, out=out)
    else:
        out[:] = e


def remainders_into(f, n, T: int, N: int, out, prod):
    """``T n - f N`` into `out` (exact in wrapping int64: the true value is near 0).

    Examples
    --------
    >>> r = remainders_into(np.array([2]), np.array([1]), 5, 2, np.empty(1, np.int64),
    ...                     np.empty(1, np.int64))
    >>> r.tolist()  # 5 × 1 - 2 × 2
    [1]
    """
    with np.errstate(over="ignore"):
        np.multiply(f, -N, out=out)
        out += np.multiply(n, T, out=prod)
    return out


def counted_fits(size: int, lo: int, hi: int) -> bool:
    """True if `size` rows with numerators in ``lo .. hi`` are worth counting by value
    (few distinct values per row, so the table is small and mostly full).

    >>> counted_fits(1_000_000, 4000, 12000), counted_fits(100, 0, 1000)
    (True, False)
    """
    return hi - lo < min(size // 4, _MAX_VALUES)  # measured over 1,000,000 rows: 3 ms vs
    # 10 ms at 12,000 values, 6 vs 10 at 200,000, 10 vs 12 at 250,000, 13 vs 9 at 400,000


def one_counted(T: int, n: npt.NDArray[np.int64], N: int, lo: int, hi: int, *, reuse=False):
    """Shares of `T` by int64 numerators ``lo <= n <= hi`` summing to ``N < 2**57``.

    Equal to :func:`costshare.money._exact.one_int` row for row, for ``T >= 0``. With
    `reuse`, the shares are written over `n` (a scratch array the caller owns): a
    million fresh rows cost more in page faults than the counting itself.

    Examples
    --------
    >>> one_counted(19755, np.array([5, 5, 4, 2, 5, 5, 1]), 27, 1, 5).tolist()
    [3659, 3658, 2927, 1463, 3658, 3658, 732]
    """
    base = lo if lo > hi - lo else 0  # a table from 0 saves a pass when lo is small
    idx = n - base if base else n
    c = np.bincount(idx, minlength=hi - base + 1)  # rows per value; values never seen
    vals = np.arange(base, base + c.size, dtype=I64)  # count 0 and change nothing
    f = np.empty(vals.size, I64)
    floors_into(vals.astype(np.float64), T / N, T, np.empty(vals.size), f)
    r = remainders_into(f, vals, T, N, np.empty(vals.size, I64), np.empty(vals.size, I64))
    off = np.flatnonzero(r.view(np.uint64) >= N)  # r < 0 or r >= N: the estimate missed
    if off.size:
        adj = r[off] // N
        f[off] += adj
        r[off] -= adj * N
    left = T - int(c @ f)  # sum of the floors: at most T, no overflow
    out = idx if reuse and idx is n else None
    if left <= 0:
        return np.take(f, idx, out=out, mode="clip")  # clip: unbuffered, in place
    cut = _cut(r, c, left, N)  # > 0: more than `left` rows have a positive remainder
    add = r > cut
    table = f + add
    k = left - int(c[add].sum())  # fen for the rows at the cut, lowest index first
    at_cut = r == cut  # one value, or several with T n ≡ T n' (mod N)
    tied = np.flatnonzero(at_cut & (c > 0))
    rows = np.flatnonzero(idx == tied[0] if tied.size == 1 else at_cut[idx])
    out = np.take(table, idx, out=out, mode="clip")  # every index is in the table
    out[rows[:k]] += 1
    return out


def _cut(r: npt.NDArray[np.int64], c: npt.NDArray[np.int64], left: int, N: int) -> int:
    """The remainder at which `left` fen run out, values ranked by remainder descending
    and each counted `c` times. Remainders fall in buckets by ``floor(r B / N)``
    (monotone in ``r``); counts per bucket place the cut in one bucket, and only that
    bucket's values are sorted.
    """
    B = 1 << min(10, max(0, r.size.bit_length() - 4))
    b = np.multiply(r, B / N)
    np.floor(b, out=b)
    down = (B - 1) - np.minimum(b.astype(np.intp), B - 1)  # bucket, counted from the top
    cum = np.cumsum(np.bincount(down, weights=c, minlength=B))  # exact: counts < 2**53
    jb = int(np.searchsorted(cum, left))  # the bucket holding the cut
    above = int(cum[jb - 1]) if jb else 0
    cand = np.flatnonzero(down == jb)
    order = cand[np.argsort(-r[cand], kind="stable")]
    j = int(np.searchsorted(np.cumsum(c[order]), left - above))
    return int(r[order[j]])
