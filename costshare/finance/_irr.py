"""IRR that explains itself: every root in the search range, a rule to pick one, a reason
for every NaN, vectorized over rows and bounded in time for very long series.

The IRR solves ``f(x) = sum_t flows[t] x**t = 0`` with ``x = 1/(1 + r) > 0``. Short
series are evaluated by Horner's rule over all rows at once (no per-row Python); series
longer than 512 periods by powers ``x**t`` over the periods (one vector
operation per evaluation instead of one per period), so 1,000,000 periods take seconds.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from costshare.finance._financial import FloatArray, _out, _rows, sign_changes
from costshare.finance._irrgrid import (
    GRID,
    LONG,
    NONE,
    first_event,
    grid_values,
    one_blas_thread,
    solve_bracketed,
)

__all__ = ["IRRResult", "irr"]

_CHUNK = 65_536  # rows per block at most
_CELLS = 131_072  # rows x periods per block (1 MiB of flows): the block's working set
# stays in a core's cache, which on a loaded machine was 1.3-1.7x faster than one
# 10,000 x 30 block
_NEAR_MINUS_ONE = -0.99  # roots at or below this are used only when there is no other

REASONS = ("", "too_short", "nan_input", "all_zero", "no_sign_change", "not_found")


class IRRResult(NamedTuple):
    """IRR with diagnostics, from ``irr(..., full_output=True)``."""

    rate: float | FloatArray
    """Internal rate of return chosen by the root rule; NaN where none."""
    sign_changes: int | npt.NDArray[np.int64]
    """Sign changes in the series (zeros skipped); an upper bound on the number of IRRs."""
    multiple: bool | npt.NDArray[np.bool_]
    """True where more than one root was found."""
    reason: str | npt.NDArray[np.str_]
    """Why the rate is NaN (``too_short``, ``nan_input``, ``all_zero``,
    ``no_sign_change``, ``not_found``); ``""`` where there is a rate."""
    roots: tuple[float, ...] | list[tuple[float, ...]]
    """Every root found in the search range, ascending."""


def _irr_single_change(v: FloatArray, guess: float) -> FloatArray:
    """Rows with one sign change whose root lies off the grid: the one root, by
    safeguarded Newton in Cauchy's bounds.

    Every positive root ``x`` of ``sum_t v_t x**t`` (``v_f``, ``v_l`` the first and last
    non-zero flows, ``M`` the largest ``|v_t|``) satisfies
    ``|v_f| / (|v_f| + M) <= x <= 1 + M / |v_l|``; the bracket is widened by 2 each way.
    """
    n, T = v.shape
    rows = np.arange(n)
    nz = v != 0
    first = nz.argmax(axis=1)
    last = T - 1 - nz[:, ::-1].argmax(axis=1)
    absv = np.abs(v)
    big = absv.max(axis=1)
    vf, vl = absv[rows, first], absv[rows, last]
    a = 0.5 * vf / (vf + big)
    b = np.minimum(2.0 * (1.0 + big / vl), np.finfo(np.float64).max)
    x0 = np.full(n, 1.0 / (1.0 + guess))
    x0 = np.where((x0 > a) & (x0 < b), x0, np.sqrt(a * b))
    return 1.0 / solve_bracketed(np.ascontiguousarray(v.T), a, b, x0) - 1.0


def _solve_cells(
    vt: FloatArray,
    rows: npt.NDArray[np.intp],
    key: npt.NDArray[np.intp],
    ends: tuple[FloatArray, FloatArray] | None = None,
    *,
    distinct: bool = False,
) -> FloatArray:
    """Roots at grid events of the flows ``vt`` (transposed, shape (T, n)): ``key = 2j``
    is a zero of NPV at grid rate j in column ``rows``, ``key = 2k+1`` a sign change in
    grid cell k (solved, all cells of all rows in one call). `ends`, the scaled NPV at
    the cell's higher and lower rate, give the first guess by interpolation and the sign
    at the bracket's end; without them Newton starts mid-cell. `distinct`: no row has
    two events (its column of `vt` is then used in place)."""
    g = GRID
    out = np.where(key % 2 == 0, g[key // 2], np.nan)
    odd = key % 2 == 1
    if odd.any():
        k = key[odd] // 2
        a, b = 1.0 / (1.0 + g[k + 1]), 1.0 / (1.0 + g[k])
        x0, fab = 0.5 * (a + b), None
        if ends is not None:  # NPV is close to linear in x across one cell
            fab = ends[0][odd], ends[1][odd]
            xi = a + (b - a) * (fab[0] / (fab[0] - fab[1]))
            x0 = np.where((xi > a) & (xi < b), xi, x0)
        cols = rows[odd]
        if not distinct:  # several cells of one row: a column per cell
            vt, cols = vt[:, cols], None
        out[odd] = 1.0 / solve_bracketed(vt, a, b, x0, fab, cols=cols) - 1.0
    return out


def _irr_scan(v: FloatArray, vt: FloatArray, ri: npt.NDArray[np.intp]) -> FloatArray:
    """The root the root rule picks for rows `ri` of `v` (``vt`` = `v` transposed), from
    the first grid event on each side: the first at or above 0 %, else the first below
    it going down; NaN where none.

    Grid events (a zero at a grid rate, or a sign change in a cell) are ordered like the
    roots they hold, so only the one event the rule needs is solved per row."""
    n, g = ri.size, GRID
    i0 = int(np.searchsorted(g, 0.0))  # g[i0] == 0
    key = np.full(n, -1)
    fa, fb = np.zeros(n), np.zeros(n)  # NPV at the cell's higher and lower rate
    kp, lo, hi = first_event(v, g[i0:], skip_first_zero=False, rows=ri)
    hit = kp < NONE
    key[hit] = 2 * i0 + kp[hit]
    fa[hit], fb[hit] = hi[hit], lo[hit]
    rest = np.flatnonzero(~hit)
    if rest.size:  # from 0 % downwards: 2j = zero at g[i0-j], 2j+1 = cell i0-j-1
        kn, hi, lo = first_event(v, g[i0::-1], skip_first_zero=True, rows=ri[rest])
        ok = kn < NONE
        j = kn[ok] // 2
        key[rest[ok]] = np.where(kn[ok] % 2 == 0, 2 * (i0 - j), 2 * (i0 - j - 1) + 1)
        fa[rest[ok]], fb[rest[ok]] = hi[ok], lo[ok]
    rows = np.flatnonzero(key >= 0)
    rate = np.full(n, np.nan)
    rate[rows] = _solve_cells(vt, ri[rows], key[rows], (fa[rows], fb[rows]), distinct=True)
    return rate


def _irr_all_roots(v: FloatArray) -> tuple[FloatArray, list]:
    """Every root the grid brackets, per row, and the one the root rule picks."""
    n, g = v.shape[0], GRID
    val = grid_values(v, g)
    s = np.sign(val)
    ev = np.zeros((n, 2 * g.size - 1), dtype=bool)
    ev[:, 0::2] = s == 0
    ev[:, 1::2] = s[:, :-1] * s[:, 1:] < 0
    rows, key = np.nonzero(ev)
    k = key // 2  # the cell's lower rate; its higher one is k + 1 (or k for a zero)
    ends = val[rows, np.minimum(k + 1, g.size - 1)], val[rows, k]
    vals = _solve_cells(np.ascontiguousarray(v.T), rows, key, ends)
    ok = np.isfinite(vals) & (vals > -1.0)
    rows, vals = rows[ok], vals[ok]
    cnt = np.bincount(rows, minlength=n)
    R = np.full((n, max(int(cnt.max(initial=0)), 1)), np.nan)
    R[rows, np.arange(rows.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)] = vals
    return _choose(R), [tuple(R[i, : cnt[i]].tolist()) for i in range(n)]


def _choose(R: FloatArray) -> FloatArray:
    """The root rule on rows of roots (NaN-padded, ascending): drop roots within 1 % of
    -100 % unless nothing else is left; prefer non-negative roots when there are any
    (numpy-financial's default selection); take the one nearest 0."""
    use = np.isfinite(R)
    far = use & (R > _NEAR_MINUS_ONE)
    use = np.where(far.any(axis=1, keepdims=True), far, use)
    nonneg = use & (R >= 0)
    use = np.where(nonneg.any(axis=1, keepdims=True), nonneg, use)
    k = np.where(use, np.abs(R), np.inf).argmin(axis=1)
    out = R[np.arange(R.shape[0]), k]
    return np.where(use.any(axis=1), out, np.nan)


def irr(
    flows: npt.ArrayLike, *, guess: float = 0.1, full_output: bool = False
) -> float | FloatArray | IRRResult:
    """Internal rate of return of one series or of every row of a 2-D array at once.

    Parameters
    ----------
    flows : array_like, shape (T,) or (n_rows, T)
        Cash flows at ``t = 0, 1, ...``. Rows containing NaN or infinity give NaN with
        the reason ``nan_input`` (the other rows are unaffected).
    guess : float, default 0.1
        Starting rate for Newton's method on conventional series (changes only the
        iteration count: the root is unique there).
    full_output : bool, default False
        Return an :class:`IRRResult`: the rate, sign changes, whether several roots were
        found, the reason for each NaN and every root found.

    Returns
    -------
    float or ndarray, shape (n_rows,), or IRRResult
        The rate ``r > -1`` with ``npv(r, flows) == 0``; NaN where there is none.

    Notes
    -----
    **Reasons for NaN**: ``too_short`` (fewer than 2 flows), ``nan_input`` (NaN or
    infinity in the row), ``all_zero``, ``no_sign_change`` (no root can exist),
    ``not_found`` (sign changes but no root in the search range).

    **Roots.** NPV is scanned on a fixed grid of rates from -99.99 % to +100,000 %
    (step 0.5 % between -20 % and +50 %; one matrix product per block of rates, from 0 %
    outwards, so a row stops at its first event) and the bracketed root is solved by
    Newton's method with a bisection safeguard, from the interpolated grid values. One
    sign change: exactly one root (Descartes), also where it lies off the grid (then
    bracketed by Cauchy's bounds); agrees with numpy-financial to ~1e-12. Several sign
    changes: two roots inside one grid cell cancel and are not seen.

    **Root rule.** Roots within 1 % of -100 % (``r <= -0.99``) are used only when no
    other root exists; of the rest, non-negative roots are preferred when there are any
    (numpy-financial's default selection), and the one nearest 0 is returned.

    No floating-point warning escapes. Series longer than 512 periods are evaluated by
    powers over only the periods whose discount factor does not underflow; 1,000,000
    periods take a few seconds. Large batches run in blocks of about 131,072 cells, and
    the grid's matrix products on one BLAS thread (threadpoolctl; the caller's setting is
    restored, but the limit is process-wide while a call runs).

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 9)
    0.280948421
    >>> irr([[-100, 0, 0, 74], [10, 20, 30, 40]]).round(5).tolist()
    [-0.0955, nan]
    >>> res = irr([-100, 230, -132], full_output=True)
    >>> round(res.rate, 6), [round(x, 6) for x in res.roots], res.reason
    (0.1, [0.1, 0.2], '')
    >>> irr([1, 2, 3], full_output=True).reason
    'no_sign_change'
    """
    v, one_d = _rows(flows)
    n, T = v.shape
    size = max(256, min(_CHUNK, _CELLS // max(T, 1)))
    if n > size:  # blocks of rows stay in cache: faster, and the same results
        size = -(-n // -(-n // size))  # equal blocks
        parts = [
            irr(v[i : i + size], guess=guess, full_output=full_output) for i in range(0, n, size)
        ]
        if not full_output:
            return np.concatenate(parts)
        rate = np.concatenate([q.rate for q in parts])
        return IRRResult(
            rate,
            np.concatenate([q.sign_changes for q in parts]),
            np.concatenate([q.multiple for q in parts]),
            np.concatenate([q.reason for q in parts]),
            [r for q in parts for r in q.roots],
        )
    with one_blas_thread(n * T):  # small products: one BLAS thread, restored after
        rate, sc, reason, roots = _irr_block(v, guess, full_output)
    if not full_output:
        return _out(rate, one_d)
    many = np.array([len(r) > 1 for r in roots])
    return IRRResult(
        _out(rate, one_d),
        _out(sc, one_d),
        _out(many, one_d),
        reason[0] if one_d else reason.astype(str),
        roots[0] if one_d else roots,
    )


def _irr_block(v: FloatArray, guess: float, full_output: bool) -> tuple:
    """Rates, sign changes, reasons and roots (the last two only with `full_output`)."""
    n, T = v.shape
    rate = np.full(n, np.nan)
    reason = np.full(n, "", dtype=object) if full_output else None
    roots: list[tuple[float, ...]] = [() for _ in range(n)] if full_output else []
    if T < 2:
        if full_output:
            reason[:] = "too_short"
        return rate, np.zeros(n, np.int64), reason, roots
    with np.errstate(all="ignore"):  # NaN or infinity make a row's sum non-finite
        finite = np.isfinite(v @ np.ones(T))
    vf = v
    if not finite.all():  # the sum may also overflow: look at those rows only
        bad = np.flatnonzero(~finite)
        finite[bad] = np.isfinite(v[bad]).all(axis=1)
        vf = np.where(finite[:, None], v, 0.0)
    sc = np.asarray(sign_changes(vf), dtype=np.int64)
    single = finite & (sc == 1) & (T <= LONG)  # long series: bracket on the grid
    multi = finite & (sc >= 1) & ~single
    scan = single if full_output else single | multi
    with np.errstate(all="ignore"):
        if scan.any():
            ri = np.flatnonzero(scan)
            rate[ri] = _irr_scan(v, np.ascontiguousarray(v.T), ri)
            off = ri[np.isnan(rate[ri]) & single[ri]]  # one root, off the grid
            if off.size:
                rate[off] = _irr_single_change(v[off], guess)
        if full_output and multi.any():
            mi = np.flatnonzero(multi)
            rate[mi], found = _irr_all_roots(v[mi])
            for i, rs in zip(mi.tolist(), found, strict=True):
                roots[i] = rs
    rate[~(rate > -1.0) | ~np.isfinite(rate)] = np.nan
    if full_output:
        for i in np.flatnonzero(single & ~np.isnan(rate)).tolist():
            roots[i] = (float(rate[i]),)
        reason[~finite] = "nan_input"
        quiet = np.flatnonzero(finite & (sc == 0))
        allz = ~(vf[quiet] != 0).any(axis=1)
        reason[quiet[allz]] = "all_zero"
        reason[quiet[~allz]] = "no_sign_change"
        reason[(single | multi) & np.isnan(rate)] = "not_found"
    return rate, sc, reason, roots
