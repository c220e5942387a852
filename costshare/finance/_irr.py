"""IRR that explains itself: every root in the search range, a rule to pick one, a reason
for every NaN, vectorized over rows and bounded in time for very long series.

The IRR solves ``f(x) = sum_t flows[t] x**t = 0`` with ``x = 1/(1 + r) > 0``. Short
series are evaluated by Horner's rule over all rows at once (no per-row Python); series
longer than :data:`_LONG` periods by powers ``x**t`` over the periods (one vector
operation per evaluation instead of one per period), so 1,000,000 periods take seconds.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from costshare.finance._financial import FloatArray, _out, _rows, sign_changes

__all__ = ["IRRResult", "irr"]

# Rates scanned for sign changes of NPV when a series has several sign changes:
# dense near zero (step 0.5 %), geometric towards -100 % and towards +100,000 %.
_GRID = np.sort(
    np.concatenate(
        [
            -1.0 + np.geomspace(1e-4, 0.8, 60),
            np.linspace(-0.2, 0.5, 141),
            np.geomspace(0.5, 1000.0, 80),
            [0.0],
        ]
    )
)
_GRID = _GRID[np.r_[True, np.diff(_GRID) != 0]]  # unique (np.unique would load numpy.ma)
_LONG = 512  # periods above which NPV is evaluated by powers rather than Horner
_CELLS = 4_000_000  # rows x periods per block in the power evaluation
_CHUNK = 65_536  # rows per block in a very large batch (bounds memory; measured fastest)
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


def _times(T: int) -> FloatArray:
    """0, 1, ..., T-1 as floats (cached for the last length asked)."""
    if _T_CACHE[0] is None or _T_CACHE[0].size != T:
        _T_CACHE[0] = np.arange(T, dtype=np.float64)
    return _T_CACHE[0]


_T_CACHE: list[FloatArray | None] = [None]


def _window(T: int, lz: float, small: bool) -> slice:
    """Periods whose power ``z**e`` (``lz = log z <= 0``) is not below 1e-320: the rest
    underflow to zero, so a long series far from ``x = 1`` needs only a short window."""
    k = T if lz == 0 else min(T, int(740.0 / -lz) + 2)
    return slice(0, k) if small else slice(T - k, T)


def _newton_step(vt: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sign carrier of ``f(x) = sum_t vt[t] x**t`` and the Newton step, overflow-free.

    `vt` holds the flows transposed, shape (T, n). For ``x <= 1`` it works on ``f``
    itself; for ``x > 1`` on ``h(y) = f(x) / x**m`` with ``y = 1/x`` and ``m = T - 1``
    (same sign as ``f``), and the step is ``x h / (m h - y h')``.
    """
    small = x <= 1.0
    z = np.where(small, x, 1.0 / x)
    T = vt.shape[0]
    m = T - 1
    if T <= _LONG:
        c = vt[::-1] if small.all() else vt if not small.any() else np.where(small, vt[::-1], vt)
        p = c[0].copy()
        dp = np.zeros_like(p)
        for j in range(1, T):
            dp *= z
            dp += p
            p *= z
            p += c[j]
    else:  # powers: p = sum v_t z**e_t, e_t = t (x <= 1) or m - t (x > 1)
        p, dp = np.empty_like(z), np.empty_like(z)
        lz = np.log(z)
        for i in range(z.size):  # few rows when series are this long
            w = _window(T, float(lz[i]), bool(small[i]))
            e = _times(T)[w] if small[i] else m - _times(T)[w]
            pw = np.exp(e * lz[i])
            p[i] = pw @ vt[w, i]
            dp[i] = (pw * e) @ vt[w, i] / z[i]
    step = np.where(small, p / dp, x * p / (m * p - z * dp))
    return p, step


def _solve_bracketed(
    v: FloatArray, a: FloatArray, b: FloatArray, x0: FloatArray, maxiter: int = 100
) -> FloatArray:
    """Root of ``f(x) = sum v_t x**t`` in ``(a, b)`` per row; ``f(a)``, ``f(b)`` differ in sign.

    Safeguarded Newton (as Numerical Recipes' ``rtsafe``): a Newton step that leaves the
    current bracket, or is not under half the step before last, is replaced by bisection
    (geometric when the bracket spans more than a factor 4); every evaluation shrinks the
    bracket. Only unconverged rows stay in the working set.
    """
    n = v.shape[0]
    out = np.full(n, np.nan)
    vt = np.ascontiguousarray(v.T)
    idx = np.arange(n)
    x = np.asarray(x0, dtype=np.float64)
    sa = np.sign(_newton_step(vt, a)[0])
    dx = dxold = b - a
    for _ in range(maxiter):
        f, step = _newton_step(vt, x)
        same = np.sign(f) == sa
        a = np.where(same, x, a)
        b = np.where(same, b, x)
        xn = x - step
        done = (f == 0) | (np.abs(step) <= 1e-12 * x) | (b - a <= 1e-13 * x)
        done_x = np.where((f == 0) | ~np.isfinite(xn), x, xn)
        new = done & np.isnan(out[idx])
        out[idx[new]] = done_x[new]
        bad = ~((xn > a) & (xn < b)) | (2 * np.abs(step) > np.abs(dxold))
        mid = np.where(b > 4 * a, np.sqrt(a * b), 0.5 * (a + b))
        xn = np.where(bad, mid, xn)
        dxold, dx = dx, xn - x
        keep = np.isnan(out[idx])  # a row once done stays done
        if not keep.any():
            break
        if keep.mean() < 0.75:  # shrink the working set only when it pays
            vt, a, b, sa, idx, xn = vt[:, keep], a[keep], b[keep], sa[keep], idx[keep], xn[keep]
            dx, dxold = dx[keep], dxold[keep]
        x = xn
    else:  # not converged: accept a tight bracket, else leave NaN
        tight = ((b - a) <= 1e-9 * x) & np.isnan(out[idx])
        out[idx[tight]] = x[tight]
    return out


def _sign_on_grid(v: FloatArray, rates: FloatArray) -> FloatArray:
    """Sign of NPV of each row at each rate, shape (n, len(rates)), without overflow."""
    xg = 1.0 / (1.0 + rates)
    T = v.shape[1]
    out = np.empty((v.shape[0], rates.size))
    t = _times(T)
    with np.errstate(all="ignore"):
        if T <= _LONG:
            tt = t[:, None]
            basis = np.where(xg <= 1.0, xg**tt, xg ** (tt - (T - 1)))  # all <= 1
            return np.sign(v @ basis)
        vt = np.ascontiguousarray(v.T)
        m = T - 1
        for k, x in enumerate(xg.tolist()):
            small = x <= 1.0
            lz = float(np.log(x if small else 1.0 / x))
            w = _window(T, lz, small)
            e = t[w] if small else m - t[w]
            out[:, k] = np.sign(np.exp(e * lz) @ vt[w])
    return out


def _irr_single_change(v: FloatArray, guess: float) -> FloatArray:
    """Rows with one sign change: the one root, by safeguarded Newton in Cauchy's bounds.

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
    return 1.0 / _solve_bracketed(v, a, b, x0) - 1.0


def _solve_cells(v: FloatArray, rows: npt.NDArray[np.intp], key: npt.NDArray[np.intp]):
    """Roots at grid events: ``key = 2j`` is a zero of NPV at grid rate j, ``key = 2k+1``
    a sign change in grid cell k (solved, all cells of all rows in one call)."""
    g = _GRID
    out = np.where(key % 2 == 0, g[key // 2], np.nan)
    odd = key % 2 == 1
    if odd.any():
        k = key[odd] // 2
        a, b = 1.0 / (1.0 + g[k + 1]), 1.0 / (1.0 + g[k])
        out[odd] = 1.0 / _solve_bracketed(v[rows[odd]], a, b, 0.5 * (a + b)) - 1.0
    return out


_NONE = 10**9


def _first_event(v: FloatArray, seq: FloatArray, *, skip_first_zero: bool) -> npt.NDArray:
    """Per row, the first grid event along `seq` (rates ordered away from 0): ``2j`` for
    NPV = 0 at ``seq[j]``, ``2j + 1`` for a sign change between ``seq[j]`` and
    ``seq[j+1]``; :data:`_NONE` if none. Scanned in blocks of rates, so rows whose
    first root is near 0 never evaluate the far end of the grid."""
    out = np.full(v.shape[0], _NONE)
    todo = np.arange(v.shape[0])
    step = 24
    for s0 in range(0, seq.size - 1, step):
        sg = _sign_on_grid(v[todo], seq[s0 : s0 + step + 1])
        z = sg == 0
        if skip_first_zero and s0 == 0:
            z[:, 0] = False
        c = sg[:, :-1] * sg[:, 1:] < 0
        kz = np.where(z.any(axis=1), 2 * (s0 + z.argmax(axis=1)), _NONE)
        kc = np.where(c.any(axis=1), 2 * (s0 + c.argmax(axis=1)) + 1, _NONE)
        k = np.minimum(kz, kc)
        hit = k < _NONE
        out[todo[hit]] = k[hit]
        todo = todo[~hit]
        if todo.size == 0:
            break
    return out


def _irr_multi_change(v: FloatArray, all_roots: bool) -> tuple[FloatArray, list | None]:
    """Rows whose NPV is scanned on the rate grid: the chosen root, and every root found.

    Grid events (a zero at a grid rate, or a sign change in a cell) are ordered like the
    roots they hold. Without `all_roots` only the one event the root rule needs is
    solved per row: the first at or above 0 %, else the last below it.
    """
    n, g = v.shape[0], _GRID
    i0 = int(np.searchsorted(g, 0.0))  # g[i0] == 0
    if not all_roots:  # positive side first; the negative side only for rows without
        key = np.full(n, -1)
        kp = _first_event(v, g[i0:], skip_first_zero=False)
        hit = kp < _NONE
        key[hit] = 2 * i0 + kp[hit]
        rest = np.flatnonzero(~hit)
        if rest.size:  # from 0 % downwards: 2j = zero at g[i0-j], 2j+1 = cell i0-j-1
            kn = _first_event(v[rest], g[i0::-1], skip_first_zero=True)
            ok = kn < _NONE
            j = kn[ok] // 2
            key[rest[ok]] = np.where(kn[ok] % 2 == 0, 2 * (i0 - j), 2 * (i0 - j - 1) + 1)
        rows = np.flatnonzero(key >= 0)
        rate = np.full(n, np.nan)
        rate[rows] = _solve_cells(v, rows, key[rows])
        return rate, None
    s = _sign_on_grid(v, g)
    ev = np.zeros((n, 2 * g.size - 1), dtype=bool)
    ev[:, 0::2] = s == 0
    ev[:, 1::2] = s[:, :-1] * s[:, 1:] < 0
    rows, key = np.nonzero(ev)
    vals = _solve_cells(v, rows, key)
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

    **Roots.** One sign change: exactly one root (Descartes), bracketed by Cauchy's
    bounds and found by Newton's method with a bisection safeguard; agrees with
    numpy-financial to ~1e-12. Several sign changes: NPV is scanned on a fixed grid of
    rates from -99.99 % to +100,000 % (step 0.5 % between -20 % and +50 %) and every
    bracketed root is solved; two roots inside one grid cell cancel and are not seen.

    **Root rule.** Roots within 1 % of -100 % (``r <= -0.99``) are used only when no
    other root exists; of the rest, non-negative roots are preferred when there are any
    (numpy-financial's default selection), and the one nearest 0 is returned.

    No floating-point warning escapes. Series longer than 512 periods are bracketed on
    the grid even with one sign change and evaluated by powers over only the periods
    whose discount factor does not underflow; 1,000,000 periods take a few seconds.

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
    if n > _CHUNK:  # blocks of rows stay in cache: faster, and the same results
        parts = [
            irr(v[i : i + _CHUNK], guess=guess, full_output=full_output)
            for i in range(0, n, _CHUNK)
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
    rate = np.full(n, np.nan)
    reason = np.full(n, "", dtype=object)
    roots: list[tuple[float, ...]] = [() for _ in range(n)]
    sc = np.zeros(n, np.int64)
    if T < 2:
        reason[:] = "too_short"
    else:
        finite = np.isfinite(v).all(axis=1)
        reason[~finite] = "nan_input"
        vf = np.where(finite[:, None], v, 0.0)
        sc = np.asarray(sign_changes(vf), dtype=np.int64)
        allz = finite & ~(vf != 0).any(axis=1)
        reason[allz] = "all_zero"
        reason[finite & ~allz & (sc == 0)] = "no_sign_change"
        single = finite & (sc == 1) & (T <= _LONG)  # long series: bracket on the grid
        multi = finite & (sc >= 1) & ~single
        with np.errstate(all="ignore"):
            if single.any():
                rate[single] = _irr_single_change(v[single], guess)
                if full_output:
                    for i in np.flatnonzero(single & (rate > -1)).tolist():
                        roots[i] = (float(rate[i]),)
            if multi.any():
                mi = np.flatnonzero(multi)
                rate[mi], found = _irr_multi_change(v[mi], full_output)
                for i, rs in zip(mi.tolist(), found or [], strict=False):
                    roots[i] = rs
        rate[~(rate > -1.0) | ~np.isfinite(rate)] = np.nan
        reason[(single | multi) & np.isnan(rate)] = "not_found"
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
