"""Investment arithmetic: NPV, IRR, MIRR, payback, DSCR and loan schedules.

Conventions follow numpy-financial: a series of flows ``flows[0], flows[1], ...`` falls at
times ``t = 0, 1, ...`` (``flows[0]`` is not discounted); negative numbers are outlays.
Every function also takes a 2-D array whose rows are separate projects and works on all
rows at once; a 1-D series gives a scalar back. Rates, IRRs and payback periods are
floats; loans (exact to the fen) and DSCR live in :mod:`costshare.finance._loans`.

References
----------
numpy-financial, ``_financial.py`` (conventions and the reference ``irr``);
国家发展改革委、建设部《建设项目经济评价方法与参数》（第三版） for static and dynamic payback.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "IRRResult",
    "irr",
    "mirr",
    "npv",
    "sign_changes",
]

FloatArray = npt.NDArray[np.float64]

# Rates scanned for sign changes of NPV when a series has several sign changes:
# dense near zero (step 0.5 %), geometric towards -100 % and towards +100,000 %.
_GRID = np.unique(
    np.concatenate(
        [
            -1.0 + np.geomspace(1e-4, 0.8, 60),
            np.linspace(-0.2, 0.5, 141),
            np.geomspace(0.5, 1000.0, 80),
            [0.0],
        ]
    )
)


class IRRResult(NamedTuple):
    """IRR with diagnostics, from ``irr(..., full_output=True)``."""

    rate: float | FloatArray
    """Internal rate of return; NaN where none was found."""
    sign_changes: int | npt.NDArray[np.int64]
    """Sign changes in the series (zeros skipped)."""
    multiple: bool | npt.NDArray[np.bool_]
    """True where the series changes sign more than once, so that several IRRs may exist."""


def _rows(flows: npt.ArrayLike) -> tuple[FloatArray, bool]:
    v = np.asarray(flows, dtype=np.float64)
    if v.ndim not in (1, 2):
        msg = f"flows must be 1-D (one series) or 2-D (rows = projects), got {v.ndim}-D"
        raise ValueError(msg)
    return np.atleast_2d(v), v.ndim == 1


def _out(x: np.ndarray, one_d: bool):
    return x[0].item() if one_d else x


def npv(rate: float | npt.ArrayLike, flows: npt.ArrayLike) -> float | FloatArray:
    """Net present value of flows at ``t = 0, 1, ...``.

    Parameters
    ----------
    rate : float or array_like, shape (n_rows,)
        Discount rate per period (0.05 = 5 %); one per row or one for all.
    flows : array_like, shape (T,) or (n_rows, T)
        Cash flows; ``flows[..., 0]`` is at ``t = 0`` and is not discounted.

    Returns
    -------
    float or ndarray, shape (n_rows,)

    Notes
    -----
    ``NPV = sum_t flows[t] / (1 + rate)**t`` (numpy-financial's convention).

    Examples
    --------
    >>> round(npv(0.1, [-100, 60, 60]), 6)
    4.132231
    >>> npv([0.0, 0.1], [[-100, 60, 60], [-100, 60, 60]]).round(6).tolist()
    [20.0, 4.132231]
    """
    v, one_d = _rows(flows)
    r = np.broadcast_to(np.asarray(rate, dtype=np.float64), (v.shape[0],))
    t = np.arange(v.shape[1])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        res = (v * (1.0 + r[:, None]) ** -t).sum(axis=1)
    return _out(res, one_d)


def sign_changes(flows: npt.ArrayLike) -> int | npt.NDArray[np.int64]:
    """Count sign changes in each series, skipping zeros.

    Examples
    --------
    >>> sign_changes([-100, 0, 50, -10, 70])
    3
    >>> sign_changes([[0, -1, 2], [1, 2, 3]]).tolist()
    [1, 0]
    """
    v, one_d = _rows(flows)
    s = np.sign(v)
    res = np.count_nonzero(s[:, 1:] != s[:, :-1], axis=1).astype(np.int64)
    has_zero = np.count_nonzero(s == 0, axis=1) > 0
    if has_zero.any():  # forward-fill the last non-zero sign, then count
        sz = s[has_zero]
        idx = np.where(sz != 0, np.arange(v.shape[1]), 0)
        np.maximum.accumulate(idx, axis=1, out=idx)
        ff = np.take_along_axis(sz, idx, axis=1)
        res[has_zero] = (ff[:, 1:] * ff[:, :-1] < 0).sum(axis=1)
    return _out(res, one_d)


def _newton_step(vt: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sign of ``f(x) = sum_t vt[t] x**t`` and the Newton step ``f/f'``, overflow-free.

    `vt` holds the flows transposed, shape (T, n), so that Horner reads contiguous rows.
    For ``x <= 1`` Horner runs on ``f`` itself; for ``x > 1`` on ``h(y) = f(x) / x**m``
    with ``y = 1/x`` and ``m = T - 1`` (same sign as ``f``), and the step is
    ``x h / (m h - y h')``.
    """
    small = x <= 1.0
    if small.all():
        z, c = x, vt[::-1]
    elif not small.any():
        z, c = 1.0 / x, vt
    else:
        z, c = np.where(small, x, 1.0 / x), np.where(small, vt[::-1], vt)
    p = c[0].copy()
    dp = np.zeros_like(p)
    for j in range(1, c.shape[0]):
        dp *= z
        dp += p
        p *= z
        p += c[j]
    m = vt.shape[0] - 1
    step = np.where(small, p / dp, x * p / (m * p - z * dp))
    return p, step


def _solve_bracketed(
    v: FloatArray, a: FloatArray, b: FloatArray, x0: FloatArray, maxiter: int = 100
) -> FloatArray:
    """Root of ``f(x) = sum v_t x**t`` in ``(a, b)`` per row; ``f(a)``, ``f(b)`` differ in sign.

    Safeguarded Newton: a Newton step that leaves the current bracket is replaced by
    bisection (geometric when the bracket spans more than a factor 4); every evaluation
    shrinks the bracket. Rows are dropped from the working set as they converge.
    """
    n = v.shape[0]
    out = np.full(n, np.nan)
    vt = np.ascontiguousarray(v.T)
    idx = np.arange(n)
    x = np.asarray(x0, dtype=np.float64)
    with np.errstate(all="ignore"):
        sa = np.sign(_newton_step(vt, a)[0])
        for it in range(maxiter):
            f, step = _newton_step(vt, x)
            same = np.sign(f) == sa
            a = np.where(same, x, a)
            b = np.where(same, b, x)
            xn = x - step
            done = (f == 0) | (np.abs(step) <= 1e-12 * x) | (b - a <= 1e-15 * x)
            done_x = np.where((f == 0) | ~np.isfinite(xn), x, xn)
            out[idx[done]] = done_x[done]
            bad = ~((xn > a) & (xn < b)) | (it >= 60)
            mid = np.where(b > 4 * a, np.sqrt(a * b), 0.5 * (a + b))
            xn = np.where(bad, mid, xn)
            keep = ~done
            if not keep.any():
                break
            if not keep.all():
                vt, a, b, sa, idx, xn = vt[:, keep], a[keep], b[keep], sa[keep], idx[keep], xn[keep]
            x = xn
        else:  # not converged: accept a tight bracket, else leave NaN
            tight = (b - a) <= 1e-9 * x
            out[idx[tight]] = x[tight]
    return out


def _sign_on_grid(v: FloatArray, rates: FloatArray) -> FloatArray:
    """Sign of NPV of each row at each rate, shape (n, len(rates)), without overflow."""
    xg = 1.0 / (1.0 + rates)
    t = np.arange(v.shape[1])[:, None]
    with np.errstate(under="ignore"):
        basis = np.where(xg <= 1.0, xg**t, xg ** (t - (v.shape[1] - 1)))  # all <= 1
    return np.sign(v @ basis)


def _irr_single_change(v: FloatArray, guess: float) -> FloatArray:
    """IRR of rows with one sign change: safeguarded Newton inside Cauchy's root bounds.

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
    with np.errstate(all="ignore"):
        a = 0.5 * vf / (vf + big)
        b = np.minimum(2.0 * (1.0 + big / vl), np.finfo(np.float64).max)
    x0 = np.full(n, 1.0 / (1.0 + guess))
    x0 = np.where((x0 > a) & (x0 < b), x0, np.sqrt(a * b))
    x = _solve_bracketed(v, a, b, x0)
    with np.errstate(all="ignore"):
        return 1.0 / x - 1.0


def _irr_multi_change(v: FloatArray) -> FloatArray:
    """IRR of rows with several sign changes: the root nearest 0 among grid-bracketed roots."""
    n = v.shape[0]
    g = _GRID
    s = _sign_on_grid(v, g)  # (n, G): sign of NPV at each grid rate
    zero = s == 0
    change = s[:, :-1] * s[:, 1:] < 0
    i0 = int(np.searchsorted(g, 0.0))  # g[i0] == 0
    res = np.full(n, np.nan)
    best = np.full(n, np.inf)
    rows = np.arange(n)
    # positive side: first zero at g[k] (k >= i0) or sign change in (g[k], g[k+1])
    hit_p = zero[:, i0:-1] | change[:, i0:]
    # negative side: last zero at g[k+1] (k+1 <= i0) or change in (g[k], g[k+1])
    hit_n = zero[:, 1 : i0 + 1] | change[:, :i0]
    cands = []
    if hit_p.shape[1]:
        k = hit_p.argmax(axis=1) + i0
        cands.append((hit_p.any(axis=1), k, zero[rows, k], g[k]))
    if hit_n.shape[1]:
        k = i0 - 1 - hit_n[:, ::-1].argmax(axis=1)
        cands.append((hit_n.any(axis=1), k, zero[rows, k + 1], g[k + 1]))
    for found, k, exact, at in cands:
        r = np.where(exact, at, np.nan)
        need = found & ~exact
        if need.any():
            kk = k[need]
            a, b = 1.0 / (1.0 + g[kk + 1]), 1.0 / (1.0 + g[kk])
            x = _solve_bracketed(v[need], a, b, 0.5 * (a + b))
            r[need] = 1.0 / x - 1.0
        better = found & (np.abs(r) < best)
        res[better], best[better] = r[better], np.abs(r[better])
    return res


def irr(
    flows: npt.ArrayLike, *, guess: float = 0.1, full_output: bool = False
) -> float | FloatArray | IRRResult:
    """Internal rate of return of one series or of every row of a 2-D array at once.

    Parameters
    ----------
    flows : array_like, shape (T,) or (n_rows, T)
        Cash flows at ``t = 0, 1, ...``.
    guess : float, default 0.1
        Starting rate for Newton's method on conventional series (does not change the
        answer, which is unique there; only the iteration count).
    full_output : bool, default False
        Also return the number of sign changes and a flag for series with several.

    Returns
    -------
    float or ndarray, shape (n_rows,), or IRRResult
        The rate ``r > -1`` with ``npv(r, flows) == 0``; NaN where there is none (no sign
        change, all zeros, length 1, NaN in the input, no root found, or a root so
        close to -100 % or so large that it cannot be told apart from them in float).

    Notes
    -----
    The IRR solves ``sum_t flows[t] x**t = 0`` with ``x = 1/(1 + r) > 0``.

    * **One sign change** (conventional series): by Descartes' rule there is exactly one
      positive root. It is bracketed by Cauchy's bounds and found by Newton's method with
      a bisection safeguard, all rows in one vectorized loop (no per-row Python).
      This agrees with numpy-financial's ``irr`` to ~1e-12.
    * **Several sign changes**: several IRRs may exist. **Root-choice rule:** NPV is
      scanned on a fixed grid of rates from -99.99 % to +100,000 % (step 0.5 % between
      -20 % and +50 %); of the roots it brackets, the one with the smallest ``|r|`` is
      returned -- numpy-financial's rule. Two roots within one grid cell cancel out and
      are not seen. Such rows are flagged by ``full_output=True``.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 9)
    0.280948421
    >>> irr([[-100, 0, 0, 74], [10, 20, 30, 40]]).round(5).tolist()
    [-0.0955, nan]
    >>> res = irr([-100, 230, -132], full_output=True)
    >>> round(res.rate, 6), int(res.sign_changes), bool(res.multiple)
    (0.1, 2, True)
    """
    v, one_d = _rows(flows)
    sc = np.asarray(sign_changes(v), dtype=np.int64)
    finite = np.isfinite(v).all(axis=1)
    rate = np.full(v.shape[0], np.nan)
    single = finite & (sc == 1)
    multi = finite & (sc >= 2)
    if single.any():
        rate[single] = _irr_single_change(v[single], guess)
    if multi.any():
        rate[multi] = _irr_multi_change(v[multi])
    rate[~(rate > -1.0) | ~np.isfinite(rate)] = np.nan  # root not representable as r > -1
    if full_output:
        return IRRResult(_out(rate, one_d), _out(sc, one_d), _out(sc > 1, one_d))
    return _out(rate, one_d)


def mirr(flows: npt.ArrayLike, finance_rate: float, reinvest_rate: float) -> float | FloatArray:
    """Modified internal rate of return (numpy-financial's definition), per row.

    Notes
    -----
    ``MIRR = (|NPV(reinvest, positives)| / |NPV(finance, negatives)|) ** (1/(T-1))
    * (1 + reinvest) - 1``; NaN unless the series has both signs.

    Examples
    --------
    >>> round(mirr([-100, 50, -60, 70, 70], 0.1, 0.12), 10)
    0.099543161
    """
    v, one_d = _rows(flows)
    pos, neg = v > 0, v < 0
    with np.errstate(all="ignore"):
        numer = np.abs(npv(reinvest_rate, np.atleast_2d(np.where(pos, v, 0.0))))
        denom = np.abs(npv(finance_rate, np.atleast_2d(np.where(neg, v, 0.0))))
        res = (numer / denom) ** (1.0 / (v.shape[1] - 1)) * (1.0 + reinvest_rate) - 1.0
    res = np.where(pos.any(axis=1) & neg.any(axis=1), res, np.nan)
    return _out(res, one_d)
