"""Investment arithmetic: NPV, IRR, MIRR, payback, DSCR and loan schedules.

Conventions follow numpy-financial: a series of flows ``flows[0], flows[1], ...`` falls at
times ``t = 0, 1, ...`` (``flows[0]`` is not discounted); negative numbers are outlays.
Every function also takes a 2-D array whose rows are separate projects and works on all
rows at once; a 1-D series gives a scalar back. Money amounts inside the loan schedule are
integer fen (see :mod:`costshare.money`); rates, IRRs and payback periods are floats.

References
----------
numpy-financial, ``_financial.py`` (conventions and the reference ``irr``);
国家发展改革委、建设部《建设项目经济评价方法与参数》（第三版） for static and dynamic payback.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.money import to_fen, to_yuan

__all__ = [
    "DSCR",
    "IRRResult",
    "amortize_fen",
    "discounted_payback",
    "dscr",
    "irr",
    "loan_schedule",
    "mirr",
    "npv",
    "payback",
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


class DSCR(NamedTuple):
    """Debt service coverage: per year, minimum and average."""

    per_year: FloatArray
    min: float | FloatArray
    avg: float | FloatArray


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


def _payback_rows(v: FloatArray) -> FloatArray:
    cum = np.cumsum(v, axis=1)
    neg = cum < 0
    t_neg = neg.argmax(axis=1)
    after = (np.arange(v.shape[1]) > t_neg[:, None]) & (cum >= 0)
    k = after.argmax(axis=1)
    rows = np.arange(v.shape[0])
    with np.errstate(all="ignore"):
        frac = -cum[rows, k - 1] / v[rows, k]
    res = np.where(after.any(axis=1), k - 1 + frac, np.nan)
    res = np.where(neg.any(axis=1), res, 0.0)
    return np.where(np.isfinite(v).all(axis=1), res, np.nan)


def _payback_out(res: FloatArray, one_d: bool):
    if one_d:
        return None if np.isnan(res[0]) else float(res[0])
    return res


def payback(flows: npt.ArrayLike) -> float | FloatArray | None:
    """Static payback period, in periods from ``t = 0``, interpolated within the period.

    Notes
    -----
    The first time the cumulative flow, having gone negative, is back at or above zero.
    If it turns non-negative during period ``k`` (cumulative ``C[k-1] < 0 <= C[k]``), the
    flow of period ``k`` is taken as spread evenly over it:
    ``payback = (k - 1) + (-C[k-1]) / flows[k]`` -- the 静态投资回收期 formula of
    《建设项目经济评价方法与参数》 when year 1 is ``t = 1``. Later dips below zero (say a
    major repair) do not undo it. Zero if the cumulative flow is never negative.

    Returns
    -------
    float or None, or ndarray with NaN
        None (1-D) or NaN (2-D rows) when the series never pays back.

    Examples
    --------
    >>> payback([-100, 30, 40, 60])
    2.5
    >>> payback([-100, 30, 40]) is None
    True
    >>> payback([[0, -100, 50, 100], [-1, 2, 0, 0]]).tolist()
    [2.5, 0.5]
    """
    v, one_d = _rows(flows)
    return _payback_out(_payback_rows(v), one_d)


def discounted_payback(
    rate: float | npt.ArrayLike, flows: npt.ArrayLike
) -> float | FloatArray | None:
    """Dynamic (discounted) payback: :func:`payback` of ``flows[t] / (1 + rate)**t``.

    Examples
    --------
    >>> round(discounted_payback(0.1, [-100, 30, 40, 60]), 4)
    2.88
    >>> discounted_payback(0.5, [-100, 30, 40, 60]) is None
    True
    """
    v, one_d = _rows(flows)
    r = np.broadcast_to(np.asarray(rate, dtype=np.float64), (v.shape[0],))
    disc = v * (1.0 + r[:, None]) ** -np.arange(v.shape[1])
    return _payback_out(_payback_rows(disc), one_d)


def dscr(cfads: npt.ArrayLike, debt_service: npt.ArrayLike) -> DSCR:
    """Debt service coverage ratio per year, with its minimum and average.

    Parameters
    ----------
    cfads : array_like, shape (T,) or (n_rows, T)
        Cash flow available for debt service in each year.
    debt_service : array_like, same shape
        Interest plus principal due in each year.

    Returns
    -------
    DSCR
        ``per_year = cfads / debt_service`` (NaN in years without debt service); ``min``
        and ``avg`` (mean of the yearly ratios) over the years with debt service.

    Examples
    --------
    >>> d = dscr([0, 130, 150, 160], [0, 100, 100, 100])
    >>> d.per_year.tolist(), d.min, round(d.avg, 6)
    ([nan, 1.3, 1.5, 1.6], 1.3, 1.466667)
    """
    c, one_d = _rows(cfads)
    ds, _ = _rows(debt_service)
    with np.errstate(all="ignore"):
        per = np.where(ds > 0, c / ds, np.nan)
    has = ~np.isnan(per).all(axis=1)
    safe = np.where(has[:, None], per, 0.0)
    mn = np.where(has, np.nanmin(np.where(np.isnan(safe), np.inf, safe), axis=1), np.nan)
    cnt = (~np.isnan(per)).sum(axis=1)
    avg = np.where(has, np.nansum(per, axis=1) / np.maximum(cnt, 1), np.nan)
    return DSCR(per[0] if one_d else per, _out(mn, one_d), _out(avg, one_d))


def _half_up(x: FloatArray) -> npt.NDArray[np.int64]:
    """Round to integer fen, half away from zero (after trimming float noise)."""
    y = np.round(x, 4)
    return (np.sign(y) * np.floor(np.abs(y) + 0.5)).astype(np.int64)


def amortize_fen(
    principal_fen: npt.ArrayLike,
    rate_per_period: npt.ArrayLike,
    periods: int,
    *,
    method: Literal["annuity", "equal_principal"] = "annuity",
    grace_periods: int = 0,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Interest, principal and closing balance in fen for many loans at once.

    Parameters
    ----------
    principal_fen : array_like of int, shape (n_loans,)
    rate_per_period : array_like of float, shape (n_loans,) or scalar
    periods : int
        Number of periods, grace included.
    method : {"annuity", "equal_principal"}
        等额本息 (level payment) or 等额本金 (level principal).
    grace_periods : int
        Leading interest-only periods.

    Returns
    -------
    interest, principal, balance : ndarray of int64, shape (n_loans, periods)
        Interest is rounded half-up to the fen each period; the level payment (or level
        principal) is rounded half-up; the last period repays the exact remaining
        balance, so principal sums to the loan.

    Examples
    --------
    >>> i, p, b = amortize_fen([100000], 0.1, 3)
    >>> i.tolist(), p.tolist(), b.tolist()
    ([[10000, 6979, 3656]], [[30211, 33232, 36557]], [[69789, 36557, 0]])
    """
    P = np.atleast_1d(np.asarray(principal_fen, dtype=np.int64))
    r = np.broadcast_to(np.asarray(rate_per_period, dtype=np.float64), P.shape)
    if periods < 1 or not 0 <= grace_periods < periods:
        msg = f"need periods >= 1 and 0 <= grace < periods, got {periods}, {grace_periods}"
        raise ValueError(msg)
    if method not in ("annuity", "equal_principal"):
        msg = f"method must be 'annuity' or 'equal_principal', got {method!r}"
        raise ValueError(msg)
    n = periods - grace_periods
    with np.errstate(divide="ignore", invalid="ignore"):
        ann = np.where(r == 0, P / n, P * r / (1.0 - (1.0 + r) ** -n))
    level = _half_up(ann if method == "annuity" else P / n)
    interest = np.zeros((P.size, periods), np.int64)
    principal = np.zeros_like(interest)
    balance = np.zeros_like(interest)
    bal = P.copy()
    for k in range(periods):
        interest[:, k] = _half_up(bal * r)
        if k == periods - 1:
            pay = bal
        elif k < grace_periods:
            pay = np.zeros_like(bal)
        elif method == "annuity":
            pay = np.clip(level - interest[:, k], 0, bal)
        else:
            pay = np.minimum(level, bal)
        principal[:, k] = pay
        bal = bal - pay
        balance[:, k] = bal
    return interest, principal, balance


def loan_schedule(
    principal: int | str | Decimal | float,
    annual_rate: float | str | Decimal,
    years: int,
    method: Literal["annuity", "equal_principal"] = "annuity",
    periods_per_year: int = 1,
    grace_years: float = 0,
) -> pd.DataFrame:
    """Repayment schedule of a loan, exact to the fen.

    Parameters
    ----------
    principal : int, str, Decimal or float
        Loan amount in yuan.
    annual_rate : float, str or Decimal
        Nominal annual rate; the period rate is ``annual_rate / periods_per_year``
        (Chinese banks' monthly rate is the annual rate / 12).
    years : int
        Term in years, grace included.
    method : {"annuity", "equal_principal"}
        等额本息 (equal installments) or 等额本金 (equal principal).
    periods_per_year : int
        1 (annual) or 12 (monthly), or any other whole number.
    grace_years : float
        Interest-only years at the start; ``grace_years * periods_per_year`` must be whole.

    Returns
    -------
    DataFrame
        One row per period: ``period`` (1...), ``payment_fen``, ``interest_fen``,
        ``principal_fen``, ``balance_fen`` (closing balance) as int64, and the same as
        ``Decimal`` yuan in ``payment``, ``interest``, ``principal``, ``balance``.

    Notes
    -----
    Interest each period = opening balance x period rate, rounded half-up to the fen.
    Annuity payment = ``P i / (1 - (1 + i)**-n)`` over the ``n`` periods after grace,
    rounded half-up; the last payment absorbs the rounding, so ``principal_fen`` sums to
    the loan exactly.

    Examples
    --------
    >>> s = loan_schedule(1000, 0.10, 3)
    >>> s[["payment", "interest", "principal", "balance"]].astype(str).values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['402.11', '100.00', '302.11', '697.89'],
     ['402.11', '69.79', '332.32', '365.57'],
     ['402.13', '36.56', '365.57', '0.00']]
    """
    P = to_fen(principal)
    periods = int(years) * int(periods_per_year)
    grace = float(grace_years) * periods_per_year
    if P < 0 or years < 1 or periods_per_year < 1 or grace != int(grace):
        msg = (
            "need principal >= 0, years >= 1, periods_per_year >= 1 and whole grace periods;"
            f" got {principal}, {years}, {periods_per_year}, {grace_years}"
        )
        raise ValueError(msg)
    rate = float(Decimal(str(annual_rate))) / periods_per_year
    i, p, b = amortize_fen([P], rate, periods, method=method, grace_periods=int(grace))
    df = pd.DataFrame(
        {
            "period": np.arange(1, periods + 1),
            "payment_fen": i[0] + p[0],
            "interest_fen": i[0],
            "principal_fen": p[0],
            "balance_fen": b[0],
        }
    )
    for col in ("payment", "interest", "principal", "balance"):
        df[col] = [to_yuan(x) for x in df[f"{col}_fen"]]
    return df
