"""Depreciation as Excel computes it: ``sln``, ``syd``, ``db``, ``ddb``, ``vdb``.

Arguments broadcast as numpy-financial's do (a scalar in gives a float out); where Excel
(and LibreOffice Calc, which the parity tests compare with) answers ``#NUM!`` or
``#DIV/0!`` the result is NaN and an :class:`ExcelErrorWarning` names the reason.

References
----------
OpenFormula (ODF 1.2) part 2, 6.12 (DB, DDB, SLN, SYD, VDB); LibreOffice Calc
``sc/source/core/tool/interpr2.cxx``, whose period loops `vdb` follows step for step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from costshare.finance._excel import as_result, broadcast, mark_errors

__all__ = ["db", "ddb", "sln", "syd", "vdb"]

_APPROX = 2.0**-48  # LibreOffice's rtl::math::approxEqual tolerance


def _afloor(x: np.ndarray) -> np.ndarray:
    """Floor that treats a value within 2**-48 (relative) below a whole number as whole."""
    c = np.ceil(x)
    return np.where(c - x < np.abs(x) * _APPROX, c, np.floor(x))


def _aceil(x: np.ndarray) -> np.ndarray:
    f = np.floor(x)
    return np.where(x - f < np.abs(x) * _APPROX, f, np.ceil(x))


def _aeq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.abs(a - b) < np.abs(a) * _APPROX)


def sln(cost: Any, salvage: Any, life: Any) -> Any:
    """Straight-line depreciation per period (Excel's SLN): ``(cost - salvage) / life``.

    Parameters
    ----------
    cost, salvage, life : float or array_like
        Initial cost, value at the end of the life, number of periods; broadcast.

    Returns
    -------
    float or ndarray
        NaN where `life` is 0 (Excel's #DIV/0!).

    Examples
    --------
    >>> sln(30000, 7500, 10)
    2250.0
    >>> sln([30000, 1000], 0, [10, 4]).tolist()
    [3000.0, 250.0]
    """
    c, s, n = broadcast(cost, salvage, life)
    with np.errstate(all="ignore"):
        out = np.asarray((c - s) / n, dtype=np.float64)
    mark_errors(out, n == 0, "sln", "#DIV/0!", "life is 0")
    return as_result(out)


def syd(cost: Any, salvage: Any, life: Any, per: Any) -> Any:
    """Sum-of-years'-digits depreciation in period `per` (Excel's SYD).

    ``(cost - salvage) (life - per + 1) / (life (life + 1) / 2)``.

    Returns
    -------
    float or ndarray
        NaN where ``life <= 0``, ``per <= 0`` or ``per > life`` (Excel's #NUM!).

    Examples
    --------
    >>> syd(30000, 7500, 10, 1)
    4090.909090909091
    >>> round(syd(30000, 7500, 10, 10), 6)
    409.090909
    """
    c, s, n, p = broadcast(cost, salvage, life, per)
    with np.errstate(all="ignore"):
        out = np.asarray((c - s) * (n - p + 1.0) / (n * (n + 1.0) / 2.0), dtype=np.float64)
    mark_errors(out, (n <= 0) | (p <= 0) | (p > n), "syd", "#NUM!", "need 0 < per <= life")
    return as_result(out)


def db(cost: Any, salvage: Any, life: Any, period: Any, month: Any = 12) -> Any:
    """Fixed-declining-balance depreciation in `period` (Excel's DB).

    The rate ``1 - (salvage / cost) ** (1 / life)`` is rounded to three decimals, as
    Excel does. The first period covers `month` months (``cost × rate × month / 12``);
    when ``month < 12`` there is a period ``life + 1`` with the remaining
    ``12 - month`` months.

    Parameters
    ----------
    cost, salvage, life, period : float or array_like
    month : int or array_like, default 12
        Months in the first year (1 to 12; a fraction is cut to the whole month).

    Returns
    -------
    float or ndarray
        NaN where Excel gives #NUM!: ``cost <= 0``, ``salvage < 0``, ``salvage > cost``,
        ``life <= 0``, ``period <= 0``, ``period > life + 1``, `month` outside 1-12.

    Examples
    --------
    >>> db(1_000_000, 100_000, 6, 1, 7)  # Excel's documented example
    186083.33333333334
    >>> round(db(1_000_000, 100_000, 6, 7, 7), 2)
    15845.1
    """
    c, s, n, p, m = broadcast(cost, salvage, life, period, month)
    m = _afloor(m)
    bad = (m < 1) | (m > 12) | (n > 1200) | (s < 0) | (p > n + 1) | (s > c) | (c <= 0)
    bad |= (n <= 0) | (p <= 0)
    with np.errstate(all="ignore"):
        rate = 1.0 - (s / c) ** (1.0 / n)
        rate = _afloor(rate * 1000.0 + 0.5) / 1000.0
        first = c * rate * m / 12.0
        k = _afloor(np.minimum(n, p))
        rest = (c - first) * (1.0 - rate) ** np.maximum(k - 2.0, 0.0)  # book after k - 1
        last = (c - first) * (1.0 - rate) ** (k - 1.0) * rate * (12.0 - m) / 12.0
        out = np.where(p > n, last, rest * rate)
        out = np.asarray(np.where(_afloor(p) == 1, first, out), dtype=np.float64)
    mark_errors(out, bad, "db", "#NUM!", "need 0 < salvage <= cost, 0 < period <= life + 1")
    return as_result(out)


def _ddb_raw(c: Any, s: Any, n: Any, p: Any, f: Any) -> np.ndarray:
    """LibreOffice's ScGetDDB on arrays: the declining-balance step of period `p`."""
    rate = f / n
    full = rate >= 1.0
    with np.errstate(all="ignore"):
        old = np.where(full, np.where(p == 1.0, c, 0.0), c * (1.0 - rate) ** (p - 1.0))
        new = c * (1.0 - np.minimum(rate, 1.0)) ** p
        d = np.where(new < s, old - s, old - new)
    return np.maximum(d, 0.0)


def ddb(cost: Any, salvage: Any, life: Any, period: Any, factor: Any = 2) -> Any:
    """Double-declining-balance (or any `factor`) depreciation in `period` (Excel's DDB).

    ``min(book × factor / life, book - salvage)`` with ``book = cost (1 - factor/life)
    ** (period - 1)`` the value at the start of the period, never below 0. A fractional
    `period` uses that power as it stands, as LibreOffice Calc does (the parity cases
    include such periods; Excel may cut the period to a whole one).

    Returns
    -------
    float or ndarray
        NaN where Excel gives #NUM!: ``cost < 0``, ``salvage < 0``, ``salvage > cost``,
        ``factor <= 0``, ``period < 1`` or ``period > life``.

    Examples
    --------
    >>> round(ddb(2400, 300, 10 * 365, 1), 6)  # Excel's documented example, first day
    1.315068
    >>> ddb(2400, 300, 10, 1, 2), round(ddb(2400, 300, 10, 10), 6)
    (480.0, 22.122547)
    """
    c, s, n, p, f = broadcast(cost, salvage, life, period, factor)
    bad = (c < 0) | (s < 0) | (f <= 0) | (s > c) | (p < 1) | (p > n)
    out = np.asarray(_ddb_raw(c, s, n, p, f), dtype=np.float64)
    mark_errors(out, bad, "ddb", "#NUM!", "need 0 <= salvage <= cost, 1 <= period <= life")
    return as_result(out)


def _inter_vdb(c, s, n, n1, period, f) -> np.ndarray:
    """LibreOffice's ScInterVDB on arrays: declining balance switching to straight line
    once that is larger, over periods 1..ceil(period), the last one in part."""
    end = _aceil(period)
    total = np.zeros(c.shape)
    left = c - s
    now_sln = np.zeros(c.shape, bool)
    sl = np.zeros(c.shape)
    top = int(np.nanmax(end, initial=0.0)) if end.size else 0
    with np.errstate(all="ignore"):
        for i in range(1, top + 1):
            on = i <= end
            d = _ddb_raw(c, s, n, float(i), f)
            sl_i = left / (n1 - (i - 1))
            switch = on & ~now_sln & (sl_i > d)
            keep = on & ~now_sln & ~switch
            sl = np.where(switch, sl_i, sl)
            term = np.where(now_sln | switch, sl, d)
            left = np.where(keep, left - d, left)
            now_sln = now_sln | switch
            term = np.where(i == end, term * (period + 1.0 - end), term)
            total = total + np.where(on, term, 0.0)
    return total


def vdb(
    cost: Any,
    salvage: Any,
    life: Any,
    start_period: Any,
    end_period: Any,
    factor: Any = 2,
    no_switch: Any = False,
) -> Any:
    """Declining-balance depreciation from `start_period` to `end_period` (Excel's VDB).

    Declining balance at ``factor / life`` per period, switching to straight line over the
    remaining life once that is larger (unless `no_switch`); fractional start and end
    periods take the part of the period, as Excel and LibreOffice Calc do.

    Parameters
    ----------
    cost, salvage, life : float or array_like
    start_period, end_period : float or array_like
        ``0 <= start_period <= end_period <= life``; periods are counted from 0.
    factor : float or array_like, default 2
    no_switch : bool or array_like, default False
        True: never switch to straight line.

    Returns
    -------
    float or ndarray
        NaN where Excel gives #NUM!: ``start < 0``, ``end < start``, ``end > life``,
        ``cost < 0``, ``salvage > cost`` or ``factor <= 0``.

    Examples
    --------
    >>> round(vdb(2400, 300, 10 * 12, 0, 1), 2)  # Excel's documented examples
    40.0
    >>> round(vdb(2400, 300, 10, 0, 0.875, 1.5), 2)
    315.0
    >>> round(vdb(2400, 300, 10, 6, 10, 2, True), 6)  # Calc: 329.1456
    329.1456
    """
    c, s, n, a, b, f, ns = broadcast(cost, salvage, life, start_period, end_period, factor,
                                     no_switch)  # fmt: skip
    bad = (a < 0) | (b < a) | (b > n) | (c < 0) | (s > c) | (f <= 0)
    ok = ~bad & np.isfinite(c + s + n + a + b + f)
    c, s, n, a, b, f = (np.where(ok, x, 0.0) for x in (c, s, n, a, b, f))
    n = np.where(ok, n, 1.0)
    f = np.where(ok, f, 1.0)
    ia, ib = _afloor(a), _aceil(b)
    out = np.zeros(c.shape)
    sw = ok & (ns == 0)
    nsw = ok & (ns != 0)
    with np.errstate(all="ignore"):
        if nsw.any():
            for i in range(1, int(ib[nsw].max(initial=0.0)) + 1):
                on = nsw & (i >= ia + 1) & (i <= ib)
                term = _ddb_raw(c, s, n, float(i), f)
                term = np.where(
                    i == ia + 1,
                    term * (np.minimum(b, ia + 1.0) - a),
                    np.where(i == ib, term * (b + 1.0 - ib), term),
                )
                out = out + np.where(on, term, 0.0)
        if sw.any():
            part = np.zeros(c.shape)
            fa = sw & ~_aeq(a, ia)
            if fa.any():
                v = c - _inter_vdb(c, s, n, n, ia, f)
                part += np.where(fa, (a - ia) * _inter_vdb(v, s, n, n - ia, ia + 1 - ia, f), 0)
            fb = sw & ~_aeq(b, ib)
            if fb.any():
                v = c - _inter_vdb(c, s, n, n, ib - 1.0, f)
                part += np.where(fb, (ib - b) * _inter_vdb(v, s, n, n - ib + 1.0, 1.0, f), 0)
            c2 = c - _inter_vdb(c, s, n, n, ia, f)
            whole = _inter_vdb(c2, s, n, n - ia, ib - ia, f) - part
            out = np.where(sw, whole, out)
    out = np.asarray(out, dtype=np.float64)
    mark_errors(out, bad, "vdb", "#NUM!", "need 0 <= start <= end <= life, salvage <= cost")
    return as_result(out)
