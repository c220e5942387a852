"""Static and dynamic payback periods (投资回收期), for one series or many rows at once.

References
----------
国家发展改革委、建设部《建设项目经济评价方法与参数》（第三版）.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from costshare.finance._financial import FloatArray, _rows, check_finite, npv
from costshare.finance._irr import irr

__all__ = ["SeriesSummary", "discounted_payback", "payback", "series_summary"]


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
    r = np.broadcast_to(check_finite(rate, "rate", rate=True), (v.shape[0],))
    disc = v * (1.0 + r[:, None]) ** -np.arange(v.shape[1])
    return _payback_out(_payback_rows(disc), one_d)


class SeriesSummary(NamedTuple):
    """NPV, IRR (with the several-roots flag) and payback periods of one series."""

    npv: float
    irr: float
    """NaN where no IRR exists."""
    multiple: bool
    """More than one IRR root was found (the root rule of :func:`irr` chose one)."""
    payback: float | None
    discounted_payback: float | None
    irr_reason: str = ""
    """Why `irr` is NaN (see :func:`costshare.finance.irr`); "" when it exists."""
    roots: tuple[float, ...] = ()
    """Every IRR root found."""


def series_summary(flows: npt.ArrayLike, rate: float) -> SeriesSummary:
    """The usual evaluation of one cash-flow series at discount rate `rate`.

    Examples
    --------
    >>> s = series_summary([-100, 60, 60], 0.05)
    >>> round(s.npv, 4), round(s.irr, 4), s.multiple, round(s.payback, 4)
    (11.5646, 0.1307, False, 1.6667)
    """
    v = np.asarray(flows, dtype=np.float64)
    res = irr(v, full_output=True)
    return SeriesSummary(
        float(npv(rate, v)),
        float(res.rate),
        bool(res.multiple),
        payback(v),
        discounted_payback(rate, v),
        str(res.reason),
        tuple(res.roots),
    )
