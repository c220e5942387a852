"""Cumulative interest and principal over a run of periods (Excel's CUMIPMT, CUMPRINC).

Excel's rules, vectorized over every argument: the start period is rounded up to a whole
period and the end period cut down to one (a fractional ``start_period = 1.5`` begins at
period 2; LibreOffice Calc instead cuts it down to 1); NaN with an
:class:`~costshare.finance.ExcelErrorWarning` where Excel gives #NUM!: ``rate <= 0``,
``nper <= 0``, ``pv <= 0``, ``start < 1``, ``end < start`` or ``end > nper``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from costshare.finance._excel import as_result, mark_errors
from costshare.finance._tvm import _when, ipmt, ppmt

__all__ = ["cumipmt", "cumprinc"]


def _cum(part: Any, name: str, rate, nper, pv, start, end, when) -> Any:
    r, n, v, a, b, w = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (rate, nper, pv, start, end)),
        _when(when).astype(np.float64),
    )
    s, e = np.ceil(a), np.floor(b)
    bad = (r <= 0) | (n <= 0) | (v <= 0) | (s < 1) | (e < s) | (e > n) | ~np.isin(w, (0, 1))
    bad |= ~np.isfinite(r + n + v + a + b)
    ok = ~bad
    out = np.zeros(r.shape)
    if ok.any():
        lo, hi = int(s[ok].min()), int(e[ok].max())
        rr, nn, vv, ww = (np.where(ok, x, y) for x, y in ((r, 0.1), (n, 1.0), (v, 1.0), (w, 0)))
        with np.errstate(all="ignore"):
            for k in range(lo, hi + 1):
                on = ok & (s <= k) & (k <= e)
                if on.any():
                    out = out + np.where(on, part(rr, float(k), nn, vv, 0, ww), 0.0)
    out = np.asarray(out, dtype=np.float64)
    out[bad] = 0.0
    mark_errors(out, bad, name, "#NUM!", "need rate, nper, pv > 0, 1 <= start <= end <= nper", 4)
    return as_result(out)


def cumipmt(
    rate: Any, nper: Any, pv: Any, start_period: Any, end_period: Any, when: Any = "end"
) -> Any:
    """Interest paid from period `start_period` to `end_period`, both included (CUMIPMT).

    Parameters
    ----------
    rate, nper, pv : float or array_like
        Rate per period (> 0), number of periods, loan (> 0); broadcast.
    start_period, end_period : float or array_like
        First and last period (1-based); a fractional start is rounded up and a
        fractional end cut down, as Excel does.
    when : {"end", "begin", 0, 1}

    Returns
    -------
    float or ndarray
        Negative (interest paid); NaN where Excel gives #NUM!.

    Examples
    --------
    >>> round(cumipmt(0.09 / 12, 360, 125000, 13, 24), 6)  # Excel's documented example
    -11135.232131
    >>> cumipmt(0.01, 36, 1000, 1.5, 12) == cumipmt(0.01, 36, 1000, 2, 12)
    True
    """
    return _cum(ipmt, "cumipmt", rate, nper, pv, start_period, end_period, when)


def cumprinc(
    rate: Any, nper: Any, pv: Any, start_period: Any, end_period: Any, when: Any = "end"
) -> Any:
    """Principal repaid from `start_period` to `end_period`, both included (CUMPRINC).

    Arguments and Excel's rules as :func:`cumipmt`.

    Examples
    --------
    >>> round(cumprinc(0.09 / 12, 360, 125000, 13, 24), 6)  # Excel's documented example
    -934.107123
    """
    return _cum(ppmt, "cumprinc", rate, nper, pv, start_period, end_period, when)
