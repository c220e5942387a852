"""Investment arithmetic on periodic flows: NPV, MIRR, sign changes.

Conventions follow numpy-financial: a series of flows ``flows[0], flows[1], ...`` falls at
times ``t = 0, 1, ...`` (``flows[0]`` is not discounted); negative numbers are outlays.
Every function also takes a 2-D array whose rows are separate projects and works on all
rows at once; a 1-D series gives a scalar back. A rate array gives one rate per row
(numpy-financial instead takes the outer product of rates and rows). IRR lives in
:mod:`costshare.finance._irr`, the annuity family in :mod:`costshare.finance._tvm`,
dated flows in :mod:`costshare.finance._dated`, loans and DSCR in
:mod:`costshare.finance._loans`.

References
----------
numpy-financial, ``_financial.py`` (conventions);
国家发展改革委、建设部《建设项目经济评价方法与参数》（第三版） for static and dynamic payback.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["check_finite", "mirr", "npv", "sign_changes"]

FloatArray = npt.NDArray[np.float64]


def _rows(flows: npt.ArrayLike) -> tuple[FloatArray, bool]:
    v = np.asarray(flows, dtype=np.float64)
    if v.ndim not in (1, 2):
        msg = f"flows must be 1-D (one series) or 2-D (rows = projects), got {v.ndim}-D"
        raise ValueError(msg)
    return np.atleast_2d(v), v.ndim == 1


def _out(x: np.ndarray, one_d: bool):
    return x[0].item() if one_d else x


def check_finite(x: npt.ArrayLike, name: str, *, rate: bool = False) -> FloatArray:
    """`x` as float64, refusing NaN, infinity and (for a rate) values at or below -100 %.

    Examples
    --------
    >>> check_finite([0.05, 0.1], "rate", rate=True).tolist()
    [0.05, 0.1]
    >>> check_finite(-1, "rate", rate=True)
    Traceback (most recent call last):
    ValueError: rate must be above -100 % (> -1), got -1.0
    """
    a = np.asarray(x, dtype=np.float64)
    if not np.isfinite(a).all():
        msg = f"{name} contains NaN or infinity; give finite numbers"
        raise ValueError(msg)
    if rate and (a <= -1).any():
        msg = f"{name} must be above -100 % (> -1), got {a[a <= -1].ravel()[0]}"
        raise ValueError(msg)
    return a


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
        NaN where the rate is exactly -100 % (Excel's #NUM!; no present value exists);
        below -100 % the sum is computed as Excel does (``(1 + rate)`` is negative).

    Raises
    ------
    ValueError
        NaN or infinity in `rate` or `flows`; more rates than rows.

    Notes
    -----
    ``NPV = sum_t flows[t] / (1 + rate)**t`` (numpy-financial's convention), computed as
    one matrix-vector product with the discount factors when the rate is shared.

    Examples
    --------
    >>> round(npv(0.1, [-100, 60, 60]), 6)
    4.132231
    >>> npv([0.0, 0.1], [[-100, 60, 60], [-100, 60, 60]]).round(6).tolist()
    [20.0, 4.132231]
    >>> npv(-2, [1, 2, 3])  # Excel: 1 + NPV(-200 %, 2, 3) = 1 - 2 + 3
    2.0
    """
    v = flows if type(flows) is np.ndarray and flows.dtype == np.float64 else None
    v, one_d = (v, v.ndim == 1) if v is not None and v.ndim in (1, 2) else _rows(flows)
    if isinstance(rate, (float, int)) and not isinstance(rate, bool):  # the common case
        r0 = float(rate)
        if not math.isfinite(r0):
            msg = "rate contains NaN or infinity; give finite numbers"
            raise ValueError(msg)
        if r0 == -1:
            _check_flows(v)
            return _out(np.full(1 if one_d else v.shape[0], np.nan), one_d)
        with np.errstate(all="ignore"):
            d = (1.0 + r0) ** -_arange(v.shape[-1])
            res = v @ d
        # NaN or infinity in a row of flows makes its sum non-finite (the factors are
        # finite and non-zero); only then are the flows themselves looked at
        if not (np.isfinite(res).all() and np.isfinite(d).all() and d.all()):
            _check_flows(v)
        return res.item() if one_d else res
    v = np.atleast_2d(v)
    r = check_finite(rate, "rate")
    if r.ndim > 1:
        msg = f"rate must be a number or one per row (1-D), got shape {r.shape}"
        raise ValueError(msg)
    _check_flows(v)
    t = _arange(v.shape[1])
    with np.errstate(all="ignore"):
        if r.size == 1:
            r0 = float(r.ravel()[0])
            res = v @ (1.0 + r0) ** -t if r0 != -1 else np.full(v.shape[0], np.nan)
        else:
            r = np.broadcast_to(r, (v.shape[0],))
            res = (v * (1.0 + r[:, None]) ** -t).sum(axis=1)
            res[r == -1] = np.nan
    return _out(res, one_d)


def _check_flows(v: np.ndarray) -> None:
    if not np.isfinite(v).all():
        msg = "flows contain NaN or infinity; give finite numbers"
        raise ValueError(msg)


def _arange(T: int) -> FloatArray:
    """0, 1, ..., T-1 as floats (the last length asked is kept)."""
    t = _T_LAST[0]
    if t.size != T:
        t = _T_LAST[0] = np.arange(T, dtype=np.float64)
    return t


_T_LAST = [np.arange(0, dtype=np.float64)]


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
    n, T = v.shape
    if not (2 <= T <= 53 and n >= 64 and hasattr(np, "bitwise_count")):
        return _out(_sign_changes_by_rows(v), one_d)
    # each row's negative signs as the bits of one exact float (T <= 53); a sign change
    # is a bit that differs from the next one
    bits = ((v < 0) @ _POWERS_OF_TWO[:T]).astype(np.uint64)
    changed = (bits ^ (bits >> np.uint64(1))) & np.uint64((1 << (T - 1)) - 1)
    res = np.bitwise_count(changed).astype(np.int64)
    zero = v == 0
    with np.errstate(all="ignore"):
        slow = ~np.isfinite(v @ np.ones(T))  # NaN (and overflowing rows) as before
    if zero.any():  # rows with zeros: skip them
        slow |= (zero @ _POWERS_OF_TWO[:T]) != 0
    if slow.any():
        rows = np.flatnonzero(slow)
        res[rows] = _sign_changes_by_rows(v[rows])
    return _out(res, one_d)


def _sign_changes_by_rows(v: FloatArray) -> npt.NDArray[np.int64]:
    s = np.sign(v)
    res = np.count_nonzero(s[:, 1:] != s[:, :-1], axis=1).astype(np.int64)
    has_zero = np.count_nonzero(s == 0, axis=1) > 0
    if has_zero.any():  # forward-fill the last non-zero sign, then count
        sz = s[has_zero]
        idx = np.where(sz != 0, np.arange(v.shape[1]), 0)
        np.maximum.accumulate(idx, axis=1, out=idx)
        ff = np.take_along_axis(sz, idx, axis=1)
        res[has_zero] = (ff[:, 1:] * ff[:, :-1] < 0).sum(axis=1)
    return res


_POWERS_OF_TWO = 2.0 ** np.arange(53)


def mirr(
    flows: npt.ArrayLike, finance_rate: npt.ArrayLike, reinvest_rate: npt.ArrayLike
) -> float | FloatArray:
    """Modified internal rate of return (Excel's MIRR), per row.

    Parameters
    ----------
    flows : array_like, shape (T,) or (n_rows, T)
    finance_rate, reinvest_rate : float, Decimal or array_like, shape (n_rows,)
        One rate for all rows or one per row; with a 1-D series, a list of rates gives
        one MIRR per rate.

    Returns
    -------
    float or ndarray
        NaN unless the series has both signs and at least two flows, where a rate of
        exactly -100 % meets a flow of its sign after ``t = 0``, and where the ratio
        below is negative with a fractional root (Excel's #NUM! and #DIV/0!).

    Notes
    -----
    ``MIRR = (-FV(reinvest, positives) / PV(finance, negatives)) ** (1/(T-1)) - 1``:
    the positives carried forward to ``t = T-1``, the negatives discounted to ``t = 0``.
    For rates above -100 % this is numpy-financial's definition; below -100 % it is
    Excel's (numpy-financial takes absolute values there).

    Examples
    --------
    >>> round(mirr([-100, 50, -60, 70, 70], 0.1, 0.12), 10)
    0.099543161
    >>> round(mirr([-100, 50, 60], -2, 0.1), 10)  # Excel: MIRR({-100,50,60},-2,0.1)
    0.0723805295
    >>> mirr([-100], 0.1, 0.1), mirr([], 0.1, 0.1)
    (nan, nan)
    """
    v, one_d = _rows(flows)
    fr = np.atleast_1d(check_finite(finance_rate, "finance_rate"))
    rr = np.atleast_1d(check_finite(reinvest_rate, "reinvest_rate"))
    if fr.ndim > 1 or rr.ndim > 1 or fr.size == 0 or rr.size == 0:
        msg = "finance_rate and reinvest_rate must be numbers or 1-D (one per row)"
        raise ValueError(msg)
    k = max(fr.size, rr.size)
    if one_d and k > 1:
        v, one_d = np.repeat(v, k, axis=0), False
    n, T = v.shape
    try:
        fr, rr = np.broadcast_to(fr, (n,)), np.broadcast_to(rr, (n,))
    except ValueError:
        msg = f"{fr.size} finance and {rr.size} reinvest rates for {n} rows"
        raise ValueError(msg) from None
    if T < 2:
        return _out(np.full(n, np.nan), one_d)
    pos, neg = v > 0, v < 0
    t = np.arange(T, dtype=np.float64)
    with np.errstate(all="ignore"):  # Calc's order of operations, infinities included
        dr = np.where(t == 0, 1.0, (1.0 + rr[:, None]) ** -t)
        df = np.where(t == 0, 1.0, (1.0 + fr[:, None]) ** -t)
        npv_r = np.where(pos, v * dr, 0.0).sum(axis=1)
        npv_f = np.where(neg, v * df, 0.0).sum(axis=1)
        res = -npv_r / npv_f * (1.0 + rr) ** (T - 1)
        res = np.power(res, 1.0 / (T - 1)) - 1.0
    ok = pos.any(axis=1) & neg.any(axis=1) & np.isfinite(npv_r) & np.isfinite(npv_f)
    res = np.where(ok & np.isfinite(res), res, np.nan)
    return _out(res, one_d)
