"""Exact weights and the one-group fast paths of the allocator (see
:mod:`costshare.money._allocate`, which uses them).

:class:`Weights` holds weights as typed: exact int numerators, or full-precision floats
read exactly on demand (bounds on their typed sum from the binary values, one repr per
undecided row). :func:`one_int` (and :func:`costshare.money._floats.one_float`) split one
total over one group with scalars where the general grouped core needs arrays; same rule,
same exact decisions.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from costshare.money._counted import counted_fits, floors_into, one_counted, remainders_into
from costshare.money._weights import (
    float_decimals,
    float_ratios,
    float_sum_bounds,
    numerators,
    ratio,
)

__all__ = ["EPS", "Weights", "as_int64", "kth_largest", "one_int"]

I64 = np.int64
_BLOCK = 1 << 15  # values per block of the blocked loop in one_int (L2-cache sized)
EPS = 2.0**-49  # bound on the relative error of the float quota estimate (a few ulps)


class Weights:
    """Weights of contiguous groups: exact int numerators, or floats read exactly on demand.

    >>> Weights(np.array([0.35, 0.65])).n.tolist()  # typed decimals: 35/100, 65/100
    [35, 65]

    ``n`` holds exact numerators (int64 or Python ints) over one denominator; for floats
    with 16-17 significant digits ``n`` is None and a group's exact numerators are read
    from the floats' shortest repr only when the float estimate cannot decide.
    """

    def __init__(self, weights: npt.ArrayLike, *, rows: bool = False) -> None:
        arr = np.asarray(weights)
        self.range: tuple[float, float] | None = None  # (min, max) of float weights
        if arr.dtype.kind == "f" and arr.size:
            x = np.asarray(arr, dtype=np.float64)
            lo, hi = float(x.min()), float(x.max())  # NaN and infinities show here
            if not (math.isfinite(lo) and math.isfinite(hi)):
                msg = "weights must be finite numbers"
                raise ValueError(msg)
            short = float_decimals(x, top=max(-lo, hi))
            self.n = short[0] if short else None
            self.x, self.range = x, (lo, hi)
            self.scale = 10 ** short[1] if short else 0  # n == x × scale exactly
        else:
            self.n = numerators(arr)[0] if arr.size else np.zeros(arr.shape, I64)
            self.x = None
        vals = self.n if self.n is not None else self.x
        if (self.range[0] < 0) if self.range else (vals < 0).any():
            pos = int(np.flatnonzero(np.ravel(vals < 0))[0])
            msg = f"weights must be non-negative; position {pos} is negative"
            raise ValueError(msg)
        self.shape = vals.shape
        self._cache: dict[int, tuple[list[int], int]] = {}

    def take(self, idx: npt.NDArray[np.intp] | None = None, *, tile: int = 0) -> Weights:
        """Rows reordered (``idx``) or a 1-D row repeated ``tile`` times, flattened."""
        out = object.__new__(Weights)
        for name in ("n", "x"):
            v = getattr(self, name)
            if v is not None:
                v = np.tile(v, tile) if tile else v.ravel()[idx] if idx is not None else v.ravel()
            setattr(out, name, v)
        out.shape = (out.n if out.n is not None else out.x).shape
        out.range = self.range
        out._cache = {}
        return out

    def floats(self) -> npt.NDArray[np.float64]:
        """Weights as floats, proportional to the exact ones (relative error ≤ 2**-53)."""
        if self.n is None:
            return self.x
        if self.n.dtype != object:
            return self.n.astype(np.float64)
        top = max(max(self.n.ravel().tolist(), default=1), 1)  # int / int never overflows
        return np.array([v / top for v in self.n.ravel().tolist()]).reshape(self.n.shape)

    def sum_bounds(self, s: int, k: int) -> tuple[Fraction, Fraction]:
        """Exact bounds on the sum of rows ``s .. s+k-1`` read as typed (floats only)."""
        key = -1 - s
        if key not in self._cache:
            whole = s == 0 and k == self.x.size
            self._cache[key] = float_sum_bounds(self.x[s : s + k], self.range if whole else None)
        return self._cache[key]

    def quotas(self, T: int, rows: list[int], s: int, k: int) -> list[tuple[int, Fraction]]:
        """Floor and fractional part of ``T w_i / N`` for `rows` of the group at `s`,
        exact; floats are read one by one and decided by bounds on ``N`` where they can.
        """
        if self.n is None:
            lo, hi = self.sum_bounds(s, k)
            if lo > 0:
                out = []
                for i in rows:
                    p, q = ratio(float(self.x[i]))
                    a, b = Fraction(T * p, q) / hi, Fraction(T * p, q) / lo
                    fa, fb = math.floor(a), math.floor(b)
                    if fa != fb:
                        break
                    out.append((fa, a - fa, b - fb))
                else:
                    return out
        ints, big_n = self.exact(s, k)
        res = []
        for i in rows:
            q, r = divmod(T * ints[i - s], big_n)
            res.append((q, Fraction(r, big_n), Fraction(r, big_n)))
        return res

    def exact(self, s: int, k: int) -> tuple[list[int], int]:
        """Exact numerators of rows ``s .. s+k-1`` and their sum (cached per group)."""
        if s not in self._cache:
            if self.n is not None:
                ints = [int(v) for v in self.n[s : s + k]]
            else:
                ints, _ = float_ratios(self.x[s : s + k].tolist())
            self._cache[s] = (ints, sum(ints))
        return self._cache[s]


def as_int64(f: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Whole floats in ``[0, 2**52)`` as int64, in place, by their bits (``f + 2**52``
    holds ``f`` in its mantissa): much faster here than ``astype``.

    Examples
    --------
    >>> as_int64(np.array([0.0, 7.0, 2.0**51])).tolist()
    [0, 7, 2251799813685248]
    """
    f += 2.0**52
    out = f.view(np.int64)
    out -= 0x4330000000000000  # the bits of 2.0**52
    return out


def kth_largest(key: npt.NDArray[np.float64], k: int, pad: float):
    """The `k`-th largest key and the (ascending) indices of every key within `pad` of it.

    A strided sample places a narrow window around the answer; the window is checked by
    two counts and only its keys are partitioned (a full partition when the check fails).

    Examples
    --------
    >>> c, near = kth_largest(np.array([0.5, 0.9, 0.1, 0.7]), 2, 0.0)
    >>> float(c), near.tolist()
    (0.7, [3])
    """
    n = key.size
    step = max(1, n // 16384)
    if n > 65536:
        smp = np.sort(key[::step])
        j = smp.size - (k + step - 1) // step
        half = 64 + 4 * int(np.sqrt(smp.size))
        a = smp[max(j - half, 0)] - pad
        b = smp[min(j + half, smp.size - 1)] + pad
        inside = np.flatnonzero((key >= a) & (key <= b))
        above = int(np.count_nonzero(key > b))
        if above < k <= above + inside.size:
            vals = key[inside]
            c = np.partition(vals, vals.size - (k - above))[vals.size - (k - above)]
            if c - pad >= a and c + pad <= b:
                return c, inside
    c = np.partition(key, n - k)[n - k]
    return c, np.flatnonzero(np.abs(key - c) <= pad)


def one_int(
    T: int,
    n: npt.NDArray[np.int64],
    N: int,
    x: npt.NDArray[np.float64] | None = None,
    scale=1,
    *,
    reuse: bool = False,
) -> npt.NDArray[np.int64]:
    """The allocator for one group of int64 numerators with ``N < 2**57``.

    The same exact floors and remainders as the grouped core in
    :mod:`costshare.money._allocate`, with scalars, and the remainders ranked exactly as
    integers (ties to the lower index). `x` (floats with ``n == x × scale``) only speeds
    up the float estimate; every floor is checked exactly. With `reuse`, `n` is scratch
    the caller owns and may hold the shares afterwards.

    Few distinct values (two-decimal areas, counts) are counted and split once per
    value (:func:`~costshare.money._counted.one_counted`). Otherwise: one pass over
    cache-sized blocks, with no array of remainders: a sample of rows
    places a window of remainders around the cut first; each block's exact floors and
    remainders are then computed together, rows above the window take their fen at
    once and rows inside it are kept, and their exact ranking settles the rest. If the
    window missed the cut (an unusual spread), the fen are taken back and every
    remainder is ranked.

    Examples
    --------
    >>> one_int(19755, np.array([5, 5, 4, 2, 5, 5, 1]), 27).tolist()
    [3659, 3658, 2927, 1463, 3658, 3658, 732]
    """
    if n.size >= 64:  # few distinct values among many rows: one count per value
        lo_n, hi_n = int(n.min()), int(n.max())
        if counted_fits(n.size, lo_n, hi_n):
            return one_counted(T, n, N, lo_n, hi_n, reuse=reuse)  # reuse: `n` is scratch
    f = np.empty(n.shape, I64)
    src, q = (x, scale * T / N) if x is not None else (n, T / N)
    lo, hi = _cut_window(src, n, q, T, N) if n.size > 65536 else (N, N)  # (N, N): none
    size = min(_BLOCK, n.size)
    est, rem, prod = np.empty(size), np.empty(size, I64), np.empty(size, I64)
    total, above, rows, vals = 0, 0, [], []
    for a in range(0, n.size, _BLOCK):
        fb, m = f[a : a + _BLOCK], min(_BLOCK, n.size - a)
        floors_into(src[a : a + m], q, T, est[:m], fb)
        rb = remainders_into(fb, n[a : a + m], T, N, rem[:m], prod[:m])
        if rb.view(np.uint64).max() >= N:  # r < 0 or r >= N: the estimate missed
            off = np.flatnonzero(rb.view(np.uint64) >= N)  # (huge totals): correct them
            adj = rb[off] // N
            fb[off] += adj
            rb[off] -= adj * N
        total += int(fb.sum())
        rb -= lo  # then lo <= r <= hi is one unsigned comparison
        inside = np.flatnonzero(rb.view(np.uint64) <= hi - lo)
        rows.append(inside + a)
        vals.append(rb[inside] + lo)
        big = rb > hi - lo  # above the window: a fen whatever the cut inside it
        above += int(np.count_nonzero(big))
        fb += big
    left = T - total
    rows_in, vals_in = np.concatenate(rows), np.concatenate(vals)
    k = left - above
    if 0 <= k <= rows_in.size:  # the cut is inside the window: rank the rows there
        if k:
            c = np.partition(vals_in, vals_in.size - k)[vals_in.size - k]
            win = vals_in > c
            f[rows_in[win]] += 1
            f[rows_in[vals_in == c][: k - int(np.count_nonzero(win))]] += 1
        return f
    for a in range(0, n.size, _BLOCK):  # undo: a row given a fen has T n - f N < 0
        fb, m = f[a : a + _BLOCK], min(_BLOCK, n.size - a)
        fb -= remainders_into(fb, n[a : a + m], T, N, rem[:m], prod[:m]) < 0
    if left <= 0:
        return f
    r = remainders_into(f, n, T, N, np.empty(n.shape, I64), np.empty(n.shape, I64))
    c, near = kth_largest(r, left, 0)  # zero weights (r = 0) never reach it: more than
    take = r > c  # `left` rows have a positive remainder (they add up to left × N)
    take[near[r[near] == c][: left - int(np.count_nonzero(take))]] = True
    f += take
    return f


def _cut_window(src, n, q: float, T: int, N: int) -> tuple[int, int]:
    """Bounds ``lo <= hi`` on remainders, likely to hold the cut, from a row sample.

    The exact remainders of every ``step``-th row estimate both the fen left over
    (their mean fraction × rows) and where the cut falls; the window spans several
    standard errors of both on either side (only speed depends on it).
    """
    step = max(1, n.size // 16384)
    ns = n[::step]
    fs = np.empty(ns.size, I64)
    floors_into(src[::step], q, T, np.empty(ns.size), fs)
    rs = remainders_into(fs, ns, T, N, np.empty(ns.size, I64), np.empty(ns.size, I64))
    rs -= (rs // N) * N  # exact remainders in [0, N)
    left = float(np.mean(rs / N)) * n.size
    smp = np.sort(rs)
    j = smp.size - math.ceil(left / step)
    half = 64 + 6 * math.isqrt(smp.size)
    return int(smp[min(max(j - half, 0), smp.size - 1)]), int(
        smp[min(max(j + half, 0), smp.size - 1)]
    )
