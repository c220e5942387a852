"""Rate conversions and simple growth: ``effect``, ``nominal``, ``ispmt``, ``pduration``,
``rri``, ``fvschedule`` (Excel's functions of these names).

Arguments broadcast as numpy-financial's do (a scalar in gives a float out); where Excel
answers ``#NUM!`` or ``#DIV/0!`` the result is NaN and an
:class:`~costshare.finance.ExcelErrorWarning` names the reason.

References
----------
OpenFormula (ODF 1.2) part 2, 6.12 (EFFECT, NOMINAL, ISPMT, PDURATION, RRI, FVSCHEDULE).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from costshare.finance._excel import as_result, broadcast, mark_errors

__all__ = ["effect", "fvschedule", "ispmt", "nominal", "pduration", "rri"]


def effect(nominal_rate: Any, npery: Any) -> Any:
    """Effective annual rate of a nominal annual rate compounded `npery` times a year.

    ``(1 + nominal_rate / npery) ** npery - 1`` with `npery` cut to a whole number
    (Excel's EFFECT). Chinese loan quotes are nominal annual rates (年利率, monthly
    rate = annual / 12).

    Returns
    -------
    float or ndarray
        NaN where ``nominal_rate <= 0`` or ``npery < 1`` (Excel's #NUM!).

    Examples
    --------
    >>> round(effect(0.0525, 4), 10)  # Excel's documented example
    0.0535426674
    >>> effect([0.049, 0.049], [1, 12]).round(6).tolist()
    [0.049, 0.050116]
    """
    r, k = broadcast(nominal_rate, npery)
    k = np.trunc(k)
    with np.errstate(all="ignore"):
        out = np.asarray(np.expm1(k * np.log1p(r / k)), dtype=np.float64)
    mark_errors(out, (r <= 0) | (k < 1), "effect", "#NUM!", "need nominal_rate > 0, npery >= 1")
    return as_result(out)


def nominal(effect_rate: Any, npery: Any) -> Any:
    """Nominal annual rate that compounds `npery` times a year to `effect_rate`.

    ``npery ((1 + effect_rate) ** (1 / npery) - 1)``, `npery` cut to a whole number
    (Excel's NOMINAL); the inverse of :func:`effect`.

    Returns
    -------
    float or ndarray
        NaN where ``effect_rate <= 0`` or ``npery < 1`` (Excel's #NUM!).

    Examples
    --------
    >>> round(nominal(0.053543, 4), 10)  # Excel's documented example
    0.0525003199
    """
    r, k = broadcast(effect_rate, npery)
    k = np.trunc(k)
    with np.errstate(all="ignore"):
        out = np.asarray(k * np.expm1(np.log1p(r) / k), dtype=np.float64)
    mark_errors(out, (r <= 0) | (k < 1), "nominal", "#NUM!", "need effect_rate > 0, npery >= 1")
    return as_result(out)


def ispmt(rate: Any, per: Any, nper: Any, pv: Any) -> Any:
    """Interest in period `per` of a loan repaid in equal principal parts (Excel's ISPMT).

    ``pv × rate × (per / nper - 1)``; `per` counts from 0 (Excel's convention: period 0
    pays interest on the whole loan). Money paid out is negative.

    Returns
    -------
    float or ndarray
        NaN where ``nper`` is 0 (Excel's #DIV/0!).

    Examples
    --------
    >>> round(ispmt(0.1 / 12, 1, 36, 8_000_000), 4)  # Excel's documented example
    -64814.8148
    >>> round(ispmt(0.1, 1, 3, 8_000_000), 4)
    -533333.3333
    """
    r, k, n, v = broadcast(rate, per, nper, pv)
    with np.errstate(all="ignore"):
        out = np.asarray(v * r * (k / n - 1.0), dtype=np.float64)
    mark_errors(out, n == 0, "ispmt", "#DIV/0!", "nper is 0")
    return as_result(out)


def pduration(rate: Any, pv: Any, fv: Any) -> Any:
    """Periods for `pv` to grow to `fv` at `rate` per period (Excel's PDURATION).

    ``log(fv / pv) / log(1 + rate)``.

    Returns
    -------
    float or ndarray
        NaN where ``rate <= 0``, ``pv <= 0`` or ``fv <= 0`` (Excel's #NUM!).

    Examples
    --------
    >>> round(pduration(0.025, 2000, 2200), 6)  # Excel's documented example
    3.859866
    """
    r, p, f = broadcast(rate, pv, fv)
    with np.errstate(all="ignore"):
        out = np.asarray(np.log(f / p) / np.log1p(r), dtype=np.float64)
    mark_errors(out, (r <= 0) | (p <= 0) | (f <= 0), "pduration", "#NUM!", "need all > 0")
    return as_result(out)


def rri(nper: Any, pv: Any, fv: Any) -> Any:
    """Equivalent rate per period for `pv` to grow to `fv` in `nper` periods (Excel's RRI).

    ``(fv / pv) ** (1 / nper) - 1``.

    Returns
    -------
    float or ndarray
        NaN where ``nper <= 0``, ``pv`` is 0 or ``fv / pv < 0`` with a fractional root
        (Excel's #NUM!).

    Examples
    --------
    >>> round(rri(96, 10000, 11000), 10)  # Excel's documented example
    0.0009933074
    """
    n, p, f = broadcast(nper, pv, fv)
    with np.errstate(all="ignore"):
        out = np.asarray(np.power(f / p, 1.0 / n) - 1.0, dtype=np.float64)
    bad = (n <= 0) | (p == 0)
    mark_errors(out, bad, "rri", "#NUM!", "need nper > 0 and pv != 0")
    mark_errors(out, ~np.isfinite(out) & ~bad, "rri", "#NUM!", "no real root of fv / pv")
    return as_result(out)


def fvschedule(principal: Any, schedule: Any) -> Any:
    """Future value of `principal` after the rates in `schedule` (Excel's FVSCHEDULE).

    ``principal × prod(1 + schedule)``, the rates along the last axis of `schedule`
    (one floating-rate schedule, or one per row).

    Examples
    --------
    >>> round(fvschedule(1, [0.09, 0.11, 0.1]), 6)  # Excel's documented example
    1.33089
    >>> fvschedule([100, 200], [[0.1, 0.1], [0.0, 0.5]]).round(6).tolist()
    [121.0, 300.0]
    """
    s = np.asarray(schedule, dtype=np.float64)
    p = np.asarray(principal, dtype=np.float64)
    growth = np.prod(1.0 + s, axis=-1) if s.ndim else 1.0 + s
    return as_result(np.asarray(p * growth, dtype=np.float64))
