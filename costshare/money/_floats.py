"""The allocator for one group of full-precision floats (see :mod:`costshare.money._allocate`).

The float estimate ``x × (T / N)`` of each quota is within a few ulps of the exact one
(``N``: bounds on the typed sum, :meth:`~costshare.money._exact.Weights.sum_bounds`), so
every floor and every near-tie of the ranking it cannot decide within ``err`` is decided
exactly (:meth:`~costshare.money._exact.Weights.quotas`); the rest never leaves numpy.

One pass over cache-sized blocks does the work: a sample of rows first places a window
of keys (fractional parts) likely to hold the cut, then each block's floors and keys are
computed together, rows above the window take their fen at once and only rows inside it
are kept. No array of keys is made (a million fresh rows cost more in page faults than
the arithmetic). If the window missed the cut, the pass is made again over every row.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from costshare.money._exact import EPS, Weights, as_int64

__all__ = ["one_float"]

_BLOCK = 1 << 15  # rows per block: the temporaries stay in the CPU cache
_WINDOWED = 65536  # from this many rows the sampled window pays for itself


def one_float(T: int, w: Weights) -> npt.NDArray[np.int64]:
    """Shares of ``T >= 0`` fen by full-precision float weights `w`, exactly.

    Same rule and same exact decisions as the grouped core: floors of the exact quotas,
    leftover fen to the largest remainders, ties to the lower index, zeros get nothing.

    Examples
    --------
    >>> one_float(2, Weights(np.array([1 / 3, 1 / 3, 1 / 3]))).tolist()
    [1, 1, 0]
    """
    x = w.x
    lo, hi = w.sum_bounds(0, x.size)
    n_f = float((lo + hi) / 2)
    scale = T / n_f if n_f > 2.0**-1000 else math.inf
    err = T * EPS + EPS
    window = _window(x, scale, n_f, T, 2 * err) if x.size >= _WINDOWED else None
    f = _pass(T, w, scale, n_f, err, window) if window is not None else None
    if f is None:  # small, or the window missed the cut: every row is ranked
        f = _pass(T, w, scale, n_f, err, None)
    return as_int64(f) if T < 2**52 else f.astype(np.int64)


def _estimate(xb, scale: float, n_f: float, T: int, out):
    """The float quota estimate ``T x / N`` into `out`."""
    if math.isfinite(scale):
        return np.multiply(xb, scale, out=out)
    np.divide(xb, n_f, out=out)  # N so small that T / N overflows
    out *= T
    return out


def _window(x, scale: float, n_f: float, T: int, pad: float) -> tuple[float, float]:
    """Keys ``lo <= hi`` likely to hold the cut, from every ``step``-th row.

    The sampled keys estimate both the fen left over (their mean × rows: the remainders
    add up to them) and where the cut falls; the window spans several standard errors
    of both on either side. Only speed depends on it.
    """
    step = max(1, x.size // 16384)
    ks = _estimate(x[::step], scale, n_f, T, np.empty(x[::step].size))
    ks -= np.floor(ks)
    left = float(ks.mean()) * x.size
    smp = np.sort(ks)
    j = smp.size - math.ceil(left / step)
    half = 64 + 6 * math.isqrt(smp.size)
    a = float(smp[min(max(j - half, 0), smp.size - 1)]) - pad
    b = float(smp[min(max(j + half, 0), smp.size - 1)]) + pad
    return a, b


def _pass(T: int, w: Weights, scale, n_f, err: float, window):
    """Floors plus leftover fen as floats, or None if `window` does not hold the cut."""
    x, n = w.x, w.x.size
    lo_k, hi_k = window if window is not None else (-math.inf, math.inf)
    f = np.empty(n)
    keys = np.empty(n) if window is None else None  # every row ranked: keep every key
    size = min(_BLOCK, n)
    kbuf, buf = np.empty(size), np.empty(size)
    edges, rows, vals, above = [], [], [], 0
    for a in range(0, n, _BLOCK):
        m = min(_BLOCK, n - a)
        kb = keys[a : a + m] if keys is not None else kbuf[:m]
        fb = f[a : a + m]
        _estimate(x[a : a + m], scale, n_f, T, kb)
        np.floor(kb, out=fb)  # whole numbers below 2**53: float sums of them are exact
        kb -= fb  # |key - 1/2| >= 1/2 - err: the estimate cannot decide the floor
        np.abs(np.subtract(kb, 0.5, out=buf[:m]), out=buf[:m])
        e = np.flatnonzero(buf[:m] >= 0.5 - err)
        edges.append(e + a)
        if keys is None:  # rows above the window take their fen now; edges wait
            kb[e] = np.nan  # (NaN is neither above nor inside)
            big = kb > hi_k
            above += int(np.count_nonzero(big))
            fb += big
            inside = np.flatnonzero((kb >= lo_k) & (kb <= hi_k))
            rows.append(inside + a)
            vals.append(kb[inside])
    edge = np.concatenate(edges)
    zero = x[edge] == 0  # zero weights (key 0, always an edge) never take a fen
    if keys is not None:
        keys[edge[zero]] = -1.0
    edge = edge[~zero]
    ek = np.empty(edge.size)
    if edge.size:
        rl = edge.tolist()
        for j, (q, ra, rb) in enumerate(w.quotas(T, rl, 0, n)):
            f[rl[j]], ek[j] = q, float((ra + rb) / 2)
    if keys is not None:
        keys[edge] = ek
        rows_in, vals_in = np.arange(n), keys
    else:
        big = ek > hi_k
        f[edge[big]] += 1
        above += int(np.count_nonzero(big))
        mid = (ek >= lo_k) & ~big
        rows_in = np.concatenate([*rows, edge[mid]])
        vals_in = np.concatenate([*vals, ek[mid]])
        if mid.any():  # edges joined at the end: back to index order (the tie rule)
            order = np.argsort(rows_in, kind="stable")
            rows_in, vals_in = rows_in[order], vals_in[order]
    left = T - (int(f.sum()) - above)  # the floors' sum is exact (see above)
    k = left - above
    if keys is not None:
        if k > 0:
            f[_choose(T, w, rows_in, vals_in, k, 2 * err)] += 1
        return f
    if not 0 < k <= vals_in.size:
        return None
    chosen = _choose(T, w, rows_in, vals_in, k, 2 * err, (lo_k, hi_k))
    if chosen is None:
        return None
    f[chosen] += 1
    return f


def _choose(T: int, w: Weights, rows, vals, k: int, pad: float, window=None):
    """The `rows` that take the `k` leftover fen by their keys `vals` (rows ascending).

    The k-th largest key ``c`` is the cut; keys within `pad` of it (near-ties of the
    float ranking) are decided exactly, equal remainders to the lower index. Returns
    None if ``c ± pad`` is not inside `window` (rows outside it were not given).
    """
    c = np.partition(vals, vals.size - k)[vals.size - k]
    if window is not None and not (c - pad >= window[0] and c + pad <= window[1]):
        return None
    take = vals > c
    near = np.flatnonzero(np.abs(vals - c) <= pad)
    take[near[vals[near] == c][: k - int(np.count_nonzero(take))]] = True
    if near.size > 1:  # near-ties of the float ranking: decide them exactly
        cand_at = near[vals[near] <= c + pad]
        cand = rows[cand_at].tolist()
        got = w.quotas(T, cand, 0, w.x.size)
        at_hi = sorted((-rb, j) for j, (_, _, rb) in enumerate(got))  # j: in index order
        at_lo = sorted((-ra, j) for j, (_, ra, _) in enumerate(got))
        if [j for _, j in at_hi] != [j for _, j in at_lo]:
            ints, big_n = w.exact(0, w.x.size)
            at_hi = sorted((-(T * ints[i] % big_n), j) for j, i in enumerate(cand))
        take[cand_at] = False
        take[cand_at[[j for _, j in at_hi[: k - int(np.count_nonzero(take))]]]] = True
    return rows[take]
