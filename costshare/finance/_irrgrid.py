"""The numerical core of IRR: NPV of many rows on a grid of rates (one matrix product per
block of rates), the first grid event along the grid, and a safeguarded Newton in a
bracket (Horner's rule over all rows at once).

Small matrix products run on one BLAS thread (:func:`one_blas_thread`): on a shared
machine a multi-threaded product of 10,000 x 30 by 30 x 25 waits for a busy core and was
measured 30x slower than one thread; the caller's setting is restored on exit.
"""

from __future__ import annotations

import contextlib

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

__all__ = ["GRID", "LONG", "first_event", "grid_values", "one_blas_thread", "solve_bracketed"]

# Rates scanned for sign changes of NPV: dense near zero (step 0.5 %), geometric towards
# -100 % and towards +100,000 %.
GRID = np.sort(
    np.concatenate(
        [
            -1.0 + np.geomspace(1e-4, 0.8, 60),
            np.linspace(-0.2, 0.5, 141),
            np.geomspace(0.5, 1000.0, 80),
            [0.0],
        ]
    )
)
GRID = GRID[np.r_[True, np.diff(GRID) != 0]]  # unique (np.unique would load numpy.ma)
LONG = 512  # periods above which NPV is evaluated by powers rather than Horner
NONE = 10**9  # "no event" in first_event
_BLAS_CELLS = 8_000  # rows x periods from which OpenBLAS may thread a grid block
# (it threads a product once m*n*k > 262,144: 350 rows x 30 periods x 25 rates)
_CONTROLLER: list = []


def one_blas_thread(cells: int) -> contextlib.AbstractContextManager:
    """A context in which BLAS uses one thread, for batches of `cells` = rows x periods.

    Only batches big enough for OpenBLAS to start threads are limited (below that the
    limit would cost more than it saves). threadpoolctl is imported on first use, so
    ``import costshare.finance`` does not pay for it; without it nothing is limited.

    Examples
    --------
    >>> with one_blas_thread(100):  # too small to matter: nothing is changed
    ...     pass
    """
    if cells < _BLAS_CELLS:
        return contextlib.nullcontext()
    if not _CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - a declared dependency
            _CONTROLLER.append(None)
        else:
            _CONTROLLER.append(ThreadpoolController())
    ctl = _CONTROLLER[0]
    return contextlib.nullcontext() if ctl is None else ctl.limit(limits=1, user_api="blas")


def times(T: int) -> FloatArray:
    """0, 1, ..., T-1 as floats (cached for the last length asked; thread-safe)."""
    t = _T_CACHE[0]
    if t.size != T:
        t = _T_CACHE[0] = np.arange(T, dtype=np.float64)
    return t


_T_CACHE: list[FloatArray] = [np.arange(0, dtype=np.float64)]


def window(T: int, lz: float, small: bool) -> slice:
    """Periods whose power ``z**e`` (``lz = log z <= 0``) is not below 1e-320: the rest
    underflow to zero, so a long series far from ``x = 1`` needs only a short window."""
    k = T if lz == 0 else min(T, int(740.0 / -lz) + 2)
    return slice(0, k) if small else slice(T - k, T)


def newton_step(vt: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sign carrier of ``f(x) = sum_t vt[t] x**t`` and the Newton step, overflow-free.

    `vt` holds the flows transposed, shape (T, n). For ``x <= 1`` it works on ``f``
    itself; for ``x > 1`` on ``h(y) = f(x) / x**m`` with ``y = 1/x`` and ``m = T - 1``
    (same sign as ``f``), and the step is ``x h / (m h - y h')``.
    """
    small = x <= 1.0
    T = vt.shape[0]
    m = T - 1
    all_small = bool(small.all())
    z = x if all_small else np.where(small, x, 1.0 / x)
    if T <= LONG:
        c = vt[::-1] if all_small else vt if not small.any() else np.where(small, vt[::-1], vt)
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
            w = window(T, float(lz[i]), bool(small[i]))
            e = times(T)[w] if small[i] else m - times(T)[w]
            pw = np.exp(e * lz[i])
            p[i] = pw @ vt[w, i]
            dp[i] = (pw * e) @ vt[w, i] / z[i]
    if all_small:
        return p, p / dp
    return p, np.where(small, p / dp, x * p / (m * p - z * dp))


def solve_bracketed(
    vt: FloatArray,
    a: FloatArray,
    b: FloatArray,
    x0: FloatArray,
    ends: tuple[FloatArray, FloatArray] | None = None,
    maxiter: int = 100,
    cols: npt.NDArray[np.intp] | None = None,
) -> FloatArray:
    """Root of ``f(x) = sum_t vt[t] x**t`` in ``(a, b)`` per column of `vt` (flows
    transposed, shape (T, n)); ``f(a)``, ``f(b)`` differ in sign. `ends`, when known,
    are ``f(a)`` and ``f(b)`` (each side may be scaled by one positive factor).

    Safeguarded Newton (as Numerical Recipes' ``rtsafe``): a Newton step that leaves the
    current bracket, or is not under half the step before last, is replaced by bisection
    (geometric when the bracket spans more than a factor 4); every evaluation shrinks the
    bracket. A step is accepted when it is at most 1e-12 x. With `ends` (and ``b <= 1``)
    the first step solves the parabola through ``f(x0)``, ``f'(x0)`` and the bracket's
    far end instead, and its curvature ``|f''/2f'|`` also accepts a later Newton step
    whose remaining error ``|f''/2f'| step**2`` is below 1e-15 x: one evaluation fewer.
    Only unconverged rows stay in the working set. `cols` picks distinct columns of `vt`
    to solve (`a`, `b`, `x0` and `ends` are theirs); when they are most of them, the
    others are carried along until the first shrink rather than copied out.

    Examples
    --------
    >>> vt = np.array([[-100.0], [230.0], [-132.0]])  # roots at x = 1/1.1 and 1/1.2
    >>> x = solve_bracketed(vt, np.array([0.88]), np.array([0.95]), np.array([0.9]))
    >>> round(float(1 / x[0] - 1), 12)
    0.1
    """
    if cols is not None and cols.size < 0.75 * vt.shape[1]:
        vt, cols = vt[:, cols], None
    n = vt.shape[1]
    out = np.full(n, np.nan)
    if cols is not None:  # the other columns count as done; a dummy bracket for them
        out[:] = 0.0
        out[cols] = np.nan
        a, b, x0 = (_spread(u, cols, n, d) for u, d in ((a, 0.5), (b, 1.0), (x0, 0.75)))
        if ends is not None:
            ends = _spread(ends[0], cols, n, 1.0), _spread(ends[1], cols, n, -1.0)
    idx = np.arange(n)
    x = np.asarray(x0, dtype=np.float64)
    sa = np.sign(newton_step(vt, a)[0] if ends is None else ends[0])
    curv = None
    dx = dxold = b - a
    for it in range(maxiter):
        f, step = newton_step(vt, x)
        same = np.sign(f) == sa
        a_end, b_end = a, b
        a = np.where(same, x, a)
        b = np.where(same, b, x)
        xn = x - step
        done = (f == 0) | (np.abs(step) <= 1e-12 * x) | (b - a <= 1e-13 * x)
        if curv is not None:  # the error left after a Newton step is curv * step**2
            done |= (np.abs(step) <= 1e-7 * x) & (curv * step * step <= 1e-15 * x)
        elif it == 0 and ends is not None:
            fp = f / step  # f'(x); the root lies between x and the far end e
            e = np.where(same, b_end, a_end)
            d = e - x
            c = (np.where(same, ends[1], ends[0]) - f - fp * d) / (d * d)
            disc = fp * fp - 4.0 * c * f
            xq = x - 2.0 * f / (fp + np.copysign(np.sqrt(np.abs(disc)), fp))
            quad = (disc >= 0) & np.isfinite(xq) & ~done & (b_end <= 1.0)
            xn = np.where(quad, xq, xn)
            step = np.where(quad, x - xn, step)
            curv = np.where(quad, np.abs(c / fp), np.inf)
        if done.any():
            done_x = np.where((f == 0) | ~np.isfinite(xn), x, xn)
            new = done & np.isnan(out[idx])
            out[idx[new]] = done_x[new]
        bad = ~((xn > a) & (xn < b)) | (2 * np.abs(step) > np.abs(dxold))
        if bad.any():
            mid = np.where(b > 4 * a, np.sqrt(a * b), 0.5 * (a + b))
            xn = np.where(bad, mid, xn)
        dxold, dx = dx, xn - x
        keep = np.isnan(out[idx])  # a row once done stays done
        nk = np.count_nonzero(keep)
        if nk == 0:
            break
        if nk < 0.75 * keep.size:  # shrink the working set only when it pays
            vt, a, b, sa, idx, xn = vt[:, keep], a[keep], b[keep], sa[keep], idx[keep], xn[keep]
            dx, dxold = dx[keep], dxold[keep]
            if curv is not None:
                curv = curv[keep]
        x = xn
    else:  # not converged: accept a tight bracket, else leave NaN
        tight = ((b - a) <= 1e-9 * x) & np.isnan(out[idx])
        out[idx[tight]] = x[tight]
    return out if cols is None else out[cols]


def _spread(u: FloatArray, cols: npt.NDArray[np.intp], n: int, fill: float) -> FloatArray:
    full = np.full(n, fill)
    full[cols] = u
    return full


def grid_values(v: FloatArray, rates: FloatArray) -> FloatArray:
    """NPV of each row at each rate, shape (n, len(rates)), each column scaled by a
    positive factor (``(1 + rate)**(T-1)`` for rates below 0) so that nothing overflows:
    the signs are those of NPV, and values within one side of 0 % are comparable."""
    xg = 1.0 / (1.0 + rates)
    T = v.shape[1]
    t = times(T)
    with np.errstate(all="ignore"):
        if T <= LONG:
            tt = t[:, None]
            basis = np.where(xg <= 1.0, xg**tt, xg ** (tt - (T - 1)))  # all <= 1
            return v @ basis
        out = np.empty((v.shape[0], rates.size))
        vt = np.ascontiguousarray(v.T)
        m = T - 1
        for k, x in enumerate(xg.tolist()):
            small = x <= 1.0
            lz = float(np.log(x if small else 1.0 / x))
            w = window(T, lz, small)
            e = t[w] if small else m - t[w]
            out[:, k] = np.exp(e * lz) @ vt[w]
    return out


def first_event(
    v: FloatArray,
    seq: FloatArray,
    *,
    skip_first_zero: bool,
    rows: npt.NDArray[np.intp] | None = None,
) -> tuple[npt.NDArray[np.int64], FloatArray, FloatArray]:
    """Per row (of `rows`, default all), the first grid event along `seq` (rates ordered
    away from 0): ``2j`` for NPV = 0 at ``seq[j]``, ``2j + 1`` for a sign change between
    ``seq[j]`` and ``seq[j+1]``; :data:`NONE` if none. Also the (scaled) NPV at both ends
    of the event's cell, for a first guess by interpolation. Scanned in blocks of rates,
    so rows whose first root is near 0 never evaluate the far end of the grid."""
    m = v.shape[0] if rows is None else rows.size
    out = np.full(m, NONE)
    fa, fb = np.zeros(m), np.zeros(m)
    if rows is None or rows.size == v.shape[0]:
        vv, todo = v, np.arange(m)
    elif rows.size >= 0.75 * v.shape[0]:  # scan all rows once rather than copy most
        vv, todo = v, np.full(v.shape[0], -1)
        todo[rows] = np.arange(m)
    else:
        vv, todo = v[rows], np.arange(m)
    s0, step = 0, 24
    while s0 < seq.size - 1 and todo.size:
        val = grid_values(vv, seq[s0 : s0 + step + 1])
        if (val == 0).any() or not np.isfinite(val.sum()):  # zero at a grid rate, overflow
            sg = np.sign(val)
            z = sg == 0
            if skip_first_zero and s0 == 0:
                z[:, 0] = False
            c = sg[:, :-1] * sg[:, 1:] < 0
            kz = np.where(z.any(axis=1), 2 * z.argmax(axis=1), NONE)
            kc = np.where(c.any(axis=1), 2 * c.argmax(axis=1) + 1, NONE)
            k = np.minimum(kz, kc)
        else:  # no zeros: the first change of sign, by booleans
            pos = val > 0
            c = pos[:, 1:] != pos[:, :-1]
            kc = c.argmax(axis=1)
            k = np.where(c[np.arange(kc.size), kc], 2 * kc + 1, NONE)
        asked = todo >= 0
        hit = np.flatnonzero((k < NONE) & asked)
        j = k[hit] // 2
        out[todo[hit]] = 2 * s0 + k[hit]
        fa[todo[hit]] = val[hit, j]
        fb[todo[hit]] = val[hit, np.minimum(j + 1, val.shape[1] - 1)]
        miss = (k == NONE) & asked
        if not miss.all():
            todo, vv = todo[miss], vv[miss]
        s0 += step
        step *= 2  # rows left after the first block have their roots far out
        if todo.size * (seq.size - s0) <= 65_536:  # few left: the rest in one product
            step = seq.size
    return out, fa, fb
