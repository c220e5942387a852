"""Dated cash flows: ``xnpv`` and ``xirr`` (Excel's XNPV/XIRR, pyxirr's convention).

A flow on date ``d_i`` is discounted over ``(d_i - d_0) / 365`` years (actual/365 fixed;
other day counts by pyxirr's names via `day_count`, see
:mod:`costshare.finance._daycount`), where ``d_0`` is the earliest date of the series (Excel's first date when the dates are in
order; pyxirr's earliest date in any order). Many series at once: rows of a 2-D array
sharing one row of dates, one row of dates per row, or ragged lists of per-series flows
and dates (padded internally with zero flows, which change nothing).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from costshare.finance._daycount import day_count_name, year_fraction
from costshare.finance._financial import FloatArray, check_finite, sign_changes

__all__ = ["XIRRResult", "xirr", "xnpv", "year_fractions"]

_TOL = 1e-12


class XIRRResult(NamedTuple):
    """XIRR with the reason for each NaN (as :class:`costshare.finance.IRRResult`)."""

    rate: float | FloatArray
    reason: str | npt.NDArray[np.str_]


def _ragged(x: Any) -> bool:
    return (
        isinstance(x, (list, tuple))
        and len({np.ndim(r) for r in x}) == 1
        and (len({len(r) for r in x if np.ndim(r) == 1}) > 1)
    )


def _days(d: Any) -> npt.NDArray[np.float64]:
    a = np.asarray(d)
    if a.dtype.kind in "iuf":
        return a.astype(np.float64)
    return np.asarray(d, dtype="datetime64[D]").view(np.int64).astype(np.float64)


def year_fractions(
    flows: Any, dates: Any, day_count: Any = None
) -> tuple[FloatArray, FloatArray, bool]:
    """Flows as rows and their times in years from each row's earliest date.

    `dates` are dates (``datetime.date``, ISO strings, ``datetime64``) or day numbers
    (from 1970-01-01); one row for all series or one per series; ragged lists are padded.
    `day_count` names the convention (pyxirr's names; default ``ACT_365F``, actual/365).

    Examples
    --------
    >>> v, t, one = year_fractions([-100, 110], ["2024-01-01", "2024-12-31"])
    >>> t.tolist(), one
    ([[0.0, 1.0]], True)
    """
    if _ragged(flows) or _ragged(dates):
        fl = [np.asarray(f, dtype=np.float64) for f in flows]
        ds = [_days(d) for d in dates]
        if len(fl) != len(ds) or any(f.shape != d.shape for f, d in zip(fl, ds, strict=False)):
            msg = "ragged flows and dates must pair up: one date per flow in every series"
            raise ValueError(msg)
        width = max((f.size for f in fl), default=0)
        v = np.zeros((len(fl), width))
        day = np.zeros((len(fl), width))
        for i, (f, d) in enumerate(zip(fl, ds, strict=True)):
            v[i, : f.size] = f
            day[i, :] = d.min() if d.size else 0.0
            day[i, : d.size] = d
        one_d = False
    else:
        v = np.asarray(flows, dtype=np.float64)
        day = _days(dates)
        one_d = v.ndim == 1
        v = np.atleast_2d(v)
        day = np.atleast_2d(day)
        if v.ndim != 2 or day.ndim != 2 or day.shape[1] != v.shape[1]:
            msg = f"need one date per flow: flows {v.shape}, dates {day.shape}"
            raise ValueError(msg)
        if day.shape[0] not in (1, v.shape[0]):
            msg = f"dates need one row or one row per series: {day.shape[0]} for {v.shape[0]}"
            raise ValueError(msg)
    if not np.isfinite(day).all():
        msg = "dates contain missing values"
        raise ValueError(msg)
    if not day.size:
        return v, day, one_d
    name = day_count_name(day_count)
    if name == "ACT_365F":
        t = np.subtract(day, day.min(axis=1, keepdims=True), out=day)  # day is our copy
        t /= 365.0
    else:
        d = day.astype(np.int64)
        t = year_fraction(d.min(axis=1, keepdims=True), d, name)
    return v, t, one_d


def _fdf(
    v: FloatArray, t: FloatArray, r: FloatArray, buf: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """``f(r) = sum v (1+r)^-t`` and ``f'(r)``, each row scaled by one positive factor
    where ``(1+r)^-t`` could overflow (rates near -100 %). `buf`, shaped like `v`, holds
    the terms (one working array for every iteration instead of a fresh one each)."""
    lr = np.log1p(r)[:, None]
    e = np.multiply(t, -lr, out=buf)
    if (lr < 0).any():
        neg = np.flatnonzero(lr[:, 0] < 0)
        top = e[neg].max(axis=1)
        big = neg[top > 700]
        if big.size:
            e[big] -= top[top > 700][:, None]
    np.exp(e, out=e)
    np.multiply(e, v, out=e)  # v (1+r)^-t, in place
    return e @ np.ones(e.shape[1]), -np.einsum("ij,ij->i", e, t) / (1.0 + r)


def xnpv(
    rate: npt.ArrayLike, flows: Any, dates: Any, *, day_count: Any = None
) -> float | FloatArray:
    """Net present value of dated flows (Excel's XNPV), actual/365 unless `day_count`.

    Parameters
    ----------
    rate : float or array_like, shape (n_rows,)
        Annual rate; NaN results where it is at or below -100 %.
    flows : array_like, shape (T,) or (n_rows, T), or a list of ragged series
    dates : array_like of dates, shape (T,) or (n_rows, T), or ragged as `flows`
    day_count : str, optional
        pyxirr's names: ``ACT_365F`` (default), ``ACT_360``, ``THIRTY_U_360`` (30/360 US),
        ``THIRTY_E_360`` (30E/360), ``ACT_ACT_ISDA`` and the others in
        :data:`costshare.finance.DAY_COUNTS`.

    Examples
    --------
    >>> round(xnpv(0.1, [-100, 60, 60], ["2020-01-01", "2021-01-01", "2022-01-01"]), 6)
    4.105044
    >>> round(xnpv(0.1, [-100, 60, 60], ["2020-01-01", "2021-01-01", "2022-01-01"],
    ...            day_count="30/360 US"), 6)  # whole years: 60/1.1 + 60/1.21 - 100
    4.132231
    """
    v, t, one_d = year_fractions(flows, dates, day_count)
    r = np.atleast_1d(check_finite(rate, "rate"))
    if not np.isfinite(v).all():
        msg = "flows contain NaN or infinity; give finite numbers"
        raise ValueError(msg)
    with np.errstate(all="ignore"):
        r = np.broadcast_to(r, (v.shape[0],))
        res = (v * np.exp(-t * np.log1p(np.maximum(r, -1.0))[:, None])).sum(axis=1)
        res[r <= -1] = np.nan
    return res[0].item() if one_d else res


def _bisect(v: FloatArray, t: FloatArray) -> FloatArray:
    """Fallback for rows where Newton fails: bracket on a grid of rates, then bisect."""
    from costshare.finance._irrgrid import GRID

    out = np.full(v.shape[0], np.nan)
    g = GRID
    s = np.stack([np.sign(_fdf(v, t, np.full(v.shape[0], x))[0]) for x in g], axis=1)
    ch = s[:, :-1] * s[:, 1:] <= 0
    has = ch.any(axis=1)
    if not has.any():
        return out
    i0 = int(np.searchsorted(g, 0.0))
    dist = np.where(ch, np.abs(np.arange(g.size - 1) - i0), np.iinfo(np.int64).max)
    k = dist.argmin(axis=1)[has]  # the bracket nearest 0 %
    vv, tt = v[has], t[has]
    a, b = g[k], g[k + 1]
    fa = np.sign(_fdf(vv, tt, a)[0])
    for _ in range(200):
        m = 0.5 * (a + b)
        fm = np.sign(_fdf(vv, tt, m)[0])
        left = fm == fa
        a, b = np.where(left, m, a), np.where(left, b, m)
        if (b - a <= _TOL * (1 + np.abs(a))).all():
            break
    out[has] = 0.5 * (a + b)
    return out


def xirr(
    flows: Any,
    dates: Any,
    *,
    guess: float = 0.1,
    full_output: bool = False,
    day_count: Any = None,
) -> float | FloatArray | XIRRResult:
    """Annual internal rate of return of dated flows (Excel's XIRR), vectorized over rows.

    Parameters
    ----------
    flows : array_like, shape (T,) or (n_rows, T), or a list of ragged series
    dates : dates, shape (T,) (shared by all rows) or (n_rows, T), or ragged as `flows`
    guess : float
        Newton's starting rate.
    day_count : str, optional
        Day-count convention (pyxirr's names, see :func:`xnpv`); actual/365 by default.
    full_output : bool
        Also return the reason for each NaN (``too_short``, ``nan_input``, ``all_zero``,
        ``no_sign_change``, ``not_found``), as :func:`costshare.finance.irr` does.

    Notes
    -----
    Newton's method on ``sum v_i (1+r)^(-t_i)`` from `guess`, all rows at once, only
    unconverged rows iterated; rows where it fails fall back to the rate-grid bracket
    nearest 0 and bisection. Agrees with pyxirr to 1e-9 on conventional series.

    Examples
    --------
    >>> round(xirr([-100, 60, 60], ["2020-01-01", "2021-01-01", "2022-01-01"]), 9)
    0.130404004
    >>> xirr([[-100, 110], [5, 5]], ["2024-01-01", "2025-01-01"], full_output=True).reason
    array(['', 'no_sign_change'], dtype='<U14')
    """
    v, t, one_d = year_fractions(flows, dates, day_count)
    n = v.shape[0]
    rate = np.full(n, np.nan)
    reason = np.full(n, "", dtype=object)
    if v.shape[1] < 2:
        reason[:] = "too_short"
    else:
        with np.errstate(all="ignore"):  # NaN, infinity: a non-finite sum
            finite = np.isfinite(v @ np.ones(v.shape[1]))
        vf = v
        if not finite.all():  # the sum may also overflow: look at those rows only
            bad = np.flatnonzero(~finite)
            finite[bad] = np.isfinite(v[bad]).all(axis=1)
            vf = np.where(finite[:, None], v, 0.0)
        reason[~finite] = "nan_input"
        sc = np.asarray(sign_changes(vf))
        quiet = np.flatnonzero(finite & (sc == 0))
        allz = ~(vf[quiet] != 0).any(axis=1)
        reason[quiet[allz]] = "all_zero"
        reason[quiet[~allz]] = "no_sign_change"
        act = finite & (sc > 0)
        with np.errstate(all="ignore"):
            if act.all():  # no copies
                rate[:] = _solve(v, t, guess)
            else:
                act = np.flatnonzero(act)
                rate[act] = _solve(v[act], t[act] if t.shape[0] == n else t, guess)
        reason[(reason == "") & np.isnan(rate)] = "not_found"
    if full_output:
        return XIRRResult(
            rate[0].item() if one_d else rate, reason[0] if one_d else reason.astype(str)
        )
    return rate[0].item() if one_d else rate


_CELLS = 131_072  # rows x dates per block (1 MiB of flows): the block stays in cache


def _solve(v: FloatArray, t: FloatArray, guess: float) -> FloatArray:
    n = v.shape[0]
    out = np.full(n, np.nan)
    if n == 0:
        return out
    t = np.broadcast_to(t, v.shape)
    size = max(256, _CELLS // max(v.shape[1], 1))
    if n > size:  # equal blocks of rows, each solved on its own (the same results)
        size = -(-n // -(-n // size))
        for i in range(0, n, size):
            out[i : i + size] = _solve(v[i : i + size], t[i : i + size], guess)
        return out
    idx = np.arange(n)
    with np.errstate(all="ignore"):  # first guess: NPV linear in r near 0
        r0 = (v @ np.ones(v.shape[1])) / np.einsum("ij,ij->i", v, t)
    r = np.where(np.isfinite(r0) & (r0 > -0.9) & (r0 < 1.0), r0, float(guess))
    vv, tt = v, t
    buf = np.empty(v.shape)
    prev = np.zeros(n)  # the Newton step before, 0 where there was none
    for _ in range(50):
        f, df = _fdf(vv, tt, r, buf[: vv.shape[0]])
        rn = r - f / df
        clamp = rn <= -1.0
        rn = np.where(clamp, 0.5 * (r - 1.0), rn)  # stay above -100 %
        step = np.abs(rn - r)
        tol = _TOL * (1.0 + np.abs(r))
        # quadratic convergence: the error left after this step is about step**3/prev**2
        done = (step <= tol) | ((step <= 1e-6) & (step**3 <= 1e-3 * tol * prev * prev))
        ok = done & np.isfinite(rn)
        out[idx[ok]] = rn[ok]
        keep = ~done & np.isfinite(rn)
        if not keep.any():
            break
        prev = np.where(clamp, 0.0, step)
        if keep.mean() < 0.8:  # shrink the working set only when it pays
            idx, vv, tt, rn, prev = idx[keep], vv[keep], tt[keep], rn[keep], prev[keep]
        else:
            rn = np.where(keep, rn, r)  # converged rows stay put
        r = rn
    bad = np.isnan(out)
    if bad.any():
        out[bad] = _bisect(v[bad], t[bad])
    return out
